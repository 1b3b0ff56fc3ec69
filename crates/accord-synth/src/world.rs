//! A world of invented institutions and the cooperation events between them,
//! reported by pages in English, French, Spanish, German, Russian and
//! Chinese. An event is often reported by both partners, each in its own
//! language, so a registry built from the pages can be checked against the
//! world: one institution per institution, one event per event.

use crate::{Rng, EN_HEADS, EN_MONTHS};

/// An invented institution.
#[derive(Debug, Clone)]
pub struct Institution {
    /// Its name, written as its own pages write it.
    pub name: String,
    /// Its name in English, as foreign pages write it (the same for Latin-script names).
    pub english: String,
    /// Its acronym, for Latin-script names.
    pub acronym: Option<String>,
    /// Language of its pages.
    pub lang: &'static str,
    /// ISO 3166-1 alpha-2 country.
    pub country: &'static str,
    /// City, as written in its language.
    pub city: &'static str,
}

/// A cooperation event between two institutions.
#[derive(Debug, Clone)]
pub struct Event {
    /// `agreement`, `visit` or `training`.
    pub kind: &'static str,
    /// (year, month, day).
    pub date: (u32, u32, u32),
    /// Indices into [`World::institutions`].
    pub parties: [usize; 2],
    /// Reported by both parties' pages, not only the first's.
    pub reported_twice: bool,
}

/// A page reporting one event.
#[derive(Debug, Clone)]
pub struct Page {
    /// File name.
    pub name: String,
    /// Its text.
    pub text: String,
    /// The event it reports (index into [`World::events`]).
    pub event: usize,
}

/// Institutions, events, and the pages that report them.
#[derive(Debug, Clone)]
pub struct World {
    /// Every institution.
    pub institutions: Vec<Institution>,
    /// Every event.
    pub events: Vec<Event>,
}

const PREFIXES: &[&str] = &[
    "North", "South", "East", "West", "Lake", "River", "Green", "Silver", "Stone", "Maple", "Oak", "High", "Clear", "Red", "Bright",
    "Fair", "Ash", "Elm", "Pine", "Rose",
];
const SUFFIXES: &[&str] = &[
    "bridge", "shore", "field", "view", "gate", "brook", "wood", "haven", "water", "ridge", "land", "ford", "mont", "dale", "port",
];
const LATIN_PLACES: &[(&str, &str, &str)] = &[
    ("Lyon", "FR", "fr"),
    ("Dakar", "SN", "fr"),
    ("Madrid", "ES", "es"),
    ("Bogotá", "CO", "es"),
    ("Munich", "DE", "de"),
    ("Hanoi", "VN", "en"),
    ("Almaty", "KZ", "en"),
    ("Oslo", "NO", "en"),
    ("Nairobi", "KE", "en"),
];
const RU_HEADS: &[&str] = &[
    "Областная клиническая больница",
    "Городская клиническая больница",
    "Республиканский онкологический диспансер",
    "Детская республиканская больница",
];
const RU_HEADS_EN: &[&str] = &[
    "Regional Clinical Hospital",
    "City Clinical Hospital",
    "Republican Oncology Dispensary",
    "Republican Children's Hospital",
];
const RU_CITIES: &[(&str, &str)] = &[
    ("Казань", "Kazan"),
    ("Томск", "Tomsk"),
    ("Омск", "Omsk"),
    ("Пермь", "Perm"),
    ("Иркутск", "Irkutsk"),
];
const ZH_PREFIXES: &[(&str, &str)] = &[
    ("江城", "Jiangcheng"),
    ("滨海", "Binhai"),
    ("山城", "Shancheng"),
    ("云岭", "Yunling"),
    ("湖阳", "Huyang"),
    ("松原", "Songyuan"),
    ("青川", "Qingchuan"),
    ("石门", "Shimen"),
    ("临江", "Linjiang"),
    ("白沙", "Baisha"),
];
const ZH_FORMS: &[(&str, &str)] = &[
    ("市第{}人民医院", "{} People's Hospital of {}"),
    ("医科大学附属第{}医院", "{} Affiliated Hospital of {} Medical University"),
    ("市第{}中医医院", "{} Hospital of Traditional Chinese Medicine of {}"),
];
const ZH_NUMERALS: &[(&str, &str)] = &[
    ("一", "First"),
    ("二", "Second"),
    ("三", "Third"),
    ("四", "Fourth"),
    ("五", "Fifth"),
    ("六", "Sixth"),
    ("七", "Seventh"),
    ("八", "Eighth"),
    ("九", "Ninth"),
];
const KINDS: &[&str] = &["agreement", "visit", "training"];
const FR_MONTHS: &[&str] = &[
    "janvier",
    "février",
    "mars",
    "avril",
    "mai",
    "juin",
    "juillet",
    "août",
    "septembre",
    "octobre",
    "novembre",
    "décembre",
];
const ES_MONTHS: &[&str] = &[
    "enero",
    "febrero",
    "marzo",
    "abril",
    "mayo",
    "junio",
    "julio",
    "agosto",
    "septiembre",
    "octubre",
    "noviembre",
    "diciembre",
];
const DE_MONTHS: &[&str] = &[
    "Januar",
    "Februar",
    "März",
    "April",
    "Mai",
    "Juni",
    "Juli",
    "August",
    "September",
    "Oktober",
    "November",
    "Dezember",
];
const RU_MONTHS: &[&str] = &[
    "января",
    "февраля",
    "марта",
    "апреля",
    "мая",
    "июня",
    "июля",
    "августа",
    "сентября",
    "октября",
    "ноября",
    "декабря",
];
const FIELDS: &[&str] = &[
    "oncology",
    "cardiology",
    "pediatrics",
    "ophthalmology",
    "nuclear medicine",
    "rehabilitation",
];
const PEOPLE: &[&str] = &[
    "Anna Holm",
    "David Kerr",
    "Maria Santos",
    "Peter Novak",
    "Elena Moreau",
    "Thomas Keller",
];

impl World {
    /// A world with enough institutions and events for `pages` pages: about
    /// one institution per fifty pages, each event reported by one or two.
    pub fn new(seed: u64, pages: usize) -> World {
        let mut rng = Rng::new(seed);
        let n = (pages / 50).clamp(30, 3000);
        let mut institutions: Vec<Institution> = Vec::with_capacity(n);
        let mut seen = std::collections::HashSet::new();
        while institutions.len() < n {
            let mut inst = match rng.below(4) {
                0 | 1 => latin(&mut rng),
                2 => russian(&mut rng),
                _ => chinese(&mut rng),
            };
            if !seen.insert(inst.name.clone()) {
                continue;
            }
            if inst.acronym.as_ref().is_some_and(|a| !seen.insert(a.clone())) {
                inst.acronym = None;
            }
            institutions.push(inst);
        }
        let mut events = Vec::new();
        let mut reports = 0;
        while reports < pages {
            let a = rng.below(n);
            let mut b = rng.below(n);
            while b == a {
                b = rng.below(n);
            }
            let reported_twice = rng.below(5) < 2 && reports + 2 <= pages;
            events.push(Event {
                kind: rng.pick(KINDS),
                date: (2015 + rng.below(11) as u32, 1 + rng.below(12) as u32, 1 + rng.below(28) as u32),
                parties: [a, b],
                reported_twice,
            });
            reports += 1 + usize::from(reported_twice);
        }
        World { institutions, events }
    }

    /// The first `count` pages reporting the events, in a fixed order: each
    /// event by its first party, and two events in five by the second too.
    pub fn pages(&self, seed: u64, count: usize) -> impl Iterator<Item = Page> + '_ {
        let mut reports: Vec<(usize, usize)> = Vec::new();
        for (e, ev) in self.events.iter().enumerate() {
            reports.push((e, 0));
            if ev.reported_twice {
                reports.push((e, 1));
            }
        }
        reports.truncate(count);
        reports.into_iter().enumerate().map(move |(i, (e, side))| {
            let mut rng = Rng::new(seed.wrapping_add(i as u64 * 7919));
            let ev = &self.events[e];
            let reporter = &self.institutions[ev.parties[side]];
            let partner = &self.institutions[ev.parties[1 - side]];
            let text = page_text(&mut rng, ev, reporter, partner, i);
            let html = rng.below(4) == 0;
            Page {
                name: format!("w{i:07}.{}", if html { "html" } else { "txt" }),
                text: if html { as_html(&text) } else { text },
                event: e,
            }
        })
    }
}

fn latin(rng: &mut Rng) -> Institution {
    let (prefix, suffix) = (rng.pick(PREFIXES), rng.pick(SUFFIXES));
    let head = rng.pick(EN_HEADS);
    let name = format!("{prefix}{suffix} {head}");
    let initials: String = head
        .split([' ', '\''])
        .filter_map(|w| w.chars().next())
        .filter(|c| c.is_uppercase())
        .collect();
    let acronym = format!("{}{}{initials}", &prefix[..1], suffix[..1].to_uppercase());
    let (city, country, lang) = LATIN_PLACES[rng.below(LATIN_PLACES.len())];
    Institution {
        acronym: Some(acronym),
        english: name.clone(),
        name,
        lang,
        country,
        city,
    }
}

fn russian(rng: &mut Rng) -> Institution {
    let (city, city_en) = RU_CITIES[rng.below(RU_CITIES.len())];
    let (head, number) = (rng.below(RU_HEADS.len()), 1 + rng.below(200));
    Institution {
        name: format!("{} № {number}", RU_HEADS[head]),
        english: format!("{city_en} {} No. {number}", RU_HEADS_EN[head]),
        acronym: None,
        lang: "ru",
        country: "RU",
        city,
    }
}

fn chinese(rng: &mut Rng) -> Institution {
    let (city, city_en) = ZH_PREFIXES[rng.below(ZH_PREFIXES.len())];
    let (form, form_en) = ZH_FORMS[rng.below(ZH_FORMS.len())];
    let (numeral, ordinal) = ZH_NUMERALS[rng.below(ZH_NUMERALS.len())];
    Institution {
        name: format!("{city}{}", form.replace("{}", numeral)),
        english: form_en.replacen("{}", ordinal, 1).replacen("{}", city_en, 1),
        acronym: None,
        lang: "zh",
        country: "CN",
        city,
    }
}

/// How a page names an institution the first time: Latin names with their
/// acronym, so later mentions can use it.
fn first_mention(inst: &Institution) -> String {
    match &inst.acronym {
        Some(a) => format!("{} ({a})", inst.name),
        None => inst.name.clone(),
    }
}

/// How a page in `lang` names a partner: in the partner's own script when
/// it is the page's, else by its English name.
fn partner_mention(inst: &Institution, lang: &str) -> String {
    let own_script = match inst.lang {
        "ru" | "zh" => inst.lang == lang,
        _ => true,
    };
    if own_script {
        first_mention(inst)
    } else {
        inst.english.clone()
    }
}

fn short(inst: &Institution) -> &str {
    inst.acronym.as_deref().unwrap_or(&inst.name)
}

fn page_text(rng: &mut Rng, ev: &Event, us: &Institution, them: &Institution, i: usize) -> String {
    let (y, m, d) = ev.date;
    let (pub_d, field, person) = ((d + rng.below(2) as u32).min(28), rng.pick(FIELDS), rng.pick(PEOPLE));
    let (a, b) = (first_mention(us), partner_mention(them, us.lang));
    let mi = (m - 1) as usize;
    let body = match (us.lang, ev.kind) {
        ("fr", "agreement") => format!(
            "Publié le {pub_d} {} {y}\n\nLe {a} et le {b} ont signé une convention de partenariat le {d} {} {y} à {}. \
             Le Pr {person} a salué cette coopération en {field}.",
            FR_MONTHS[mi], FR_MONTHS[mi], us.city
        ),
        ("fr", "visit") => format!(
            "Publié le {pub_d} {} {y}\n\nLe {d} {} {y}, une délégation du {b} a visité le {a}. Les deux parties ont échangé sur la {field}.",
            FR_MONTHS[mi], FR_MONTHS[mi]
        ),
        ("fr", _) => format!(
            "Publié le {pub_d} {} {y}\n\nLe {d} {} {y}, le {a} a lancé une formation en {field} pour {} médecins du {b}.",
            FR_MONTHS[mi],
            FR_MONTHS[mi],
            5 + rng.below(40)
        ),
        ("es", "agreement") => format!(
            "{pub_d} de {} de {y}\n\nEl {a} y el {b} firmaron un convenio de colaboración el {d} de {} de {y} en {}.",
            ES_MONTHS[mi], ES_MONTHS[mi], us.city
        ),
        ("es", "visit") => format!(
            "{pub_d} de {} de {y}\n\nEl {d} de {} de {y}, una delegación del {b} visitó el {a} en {}.",
            ES_MONTHS[mi], ES_MONTHS[mi], us.city
        ),
        ("es", _) => format!(
            "{pub_d} de {} de {y}\n\nEl {d} de {} de {y}, el {a} inauguró un curso de capacitación en {field} para {} médicos del {b}.",
            ES_MONTHS[mi],
            ES_MONTHS[mi],
            5 + rng.below(40)
        ),
        ("de", "agreement") => format!(
            "{pub_d}. {} {y}\n\nDas {a} und das {b} haben am {d}. {} {y} in {} einen Kooperationsvertrag unterzeichnet.",
            DE_MONTHS[mi], DE_MONTHS[mi], us.city
        ),
        ("de", "visit") => format!(
            "{pub_d}. {} {y}\n\nEine Delegation des {b} besuchte am {d}. {} {y} das {a} in {}.",
            DE_MONTHS[mi], DE_MONTHS[mi], us.city
        ),
        ("de", _) => format!(
            "{pub_d}. {} {y}\n\nAm {d}. {} {y} begann am {a} eine Fortbildung in {field} für {} Ärzte des {b}.",
            DE_MONTHS[mi],
            DE_MONTHS[mi],
            5 + rng.below(40)
        ),
        ("ru", "agreement") => format!(
            "Дата: {pub_d:02}.{m:02}.{y}\n\n{d} {} {y} года {a} и {b} подписали соглашение о сотрудничестве в области онкологии.",
            RU_MONTHS[mi]
        ),
        ("ru", "visit") => format!(
            "Дата: {pub_d:02}.{m:02}.{y}\n\n{d} {} {y} года состоялся визит делегации: {b} и {a} обсудили обмен опытом и стажировки врачей.",
            RU_MONTHS[mi]
        ),
        ("ru", _) => format!(
            "Дата: {pub_d:02}.{m:02}.{y}\n\n{d} {} {y} года {a} и {b} начали программу обучения: {} врачей пройдут стажировку.",
            RU_MONTHS[mi],
            5 + rng.below(40)
        ),
        ("zh", "agreement") => format!("发布时间:{y}-{m:02}-{pub_d:02}\n\n{y}年{m}月{d}日,{a}与{b}签署合作协议。双方将在肿瘤领域开展交流。"),
        ("zh", "visit") => format!("发布时间:{y}-{m:02}-{pub_d:02}\n\n{y}年{m}月{d}日,{b}代表团访问{a}。"),
        ("zh", _) => format!("发布时间:{y}-{m:02}-{pub_d:02}\n\n{y}年{m}月{d}日,{a}为{b}举办培训班,培训医生{}名。", 5 + rng.below(40)),
        (_, "agreement") => format!(
            "Published: {pub_d} {} {y}\n\n{a} and {b} sign cooperation agreement\n\nOn {} {d}, {y}, {a} and {b} signed a memorandum of \
             understanding in {}. Prof. {person}, President of {}, attended the ceremony. The two sides will cooperate in {field}.",
            EN_MONTHS[mi], EN_MONTHS[mi], us.city, short(us)
        ),
        (_, "visit") => format!(
            "Published: {pub_d} {} {y}\n\nOn {} {d}, {y}, a delegation of {b} led by Dr. {person} visited {a} in {}.",
            EN_MONTHS[mi], EN_MONTHS[mi], us.city
        ),
        _ => format!(
            "Published: {pub_d} {} {y}\n\nOn {} {d}, {y}, {a} opened a training course in {field} for {} doctors from {b}.",
            EN_MONTHS[mi],
            EN_MONTHS[mi],
            5 + rng.below(40)
        ),
    };
    format!("Home » News » Cooperation\n\n{body}\n\nArchive item {i}.\n\nShare this: Facebook Twitter Print\n")
}

/// How well a registry built from a world's pages matches the world.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Resolution {
    /// Institutions of the world named by the pages.
    pub institutions: usize,
    /// Registry institutions that are one of the world's.
    pub registry_institutions: usize,
    /// Share of those registry institutions that are exactly one world institution.
    pub institution_purity: f64,
    /// Registry institutions per name form of a world institution (1.0 is
    /// perfect). A Russian or Chinese institution has two forms, its own and
    /// the English one foreign pages use: telling they are one takes the ROR
    /// knowledge base or a curator, so they count apart here.
    pub institution_split: f64,
    /// Events of the world reported by the pages.
    pub events: usize,
    /// Registry events with a source among the pages.
    pub registry_events: usize,
    /// Share of registry events whose sources all report one world event.
    pub event_purity: f64,
    /// Share of events reported by two pages, between institutions named
    /// alike in every language (Latin-script names), that the registry made one.
    pub twice_reported_merged: f64,
}

impl World {
    /// Compares a registry with the world: `institutions` holds each
    /// registry institution's names, `events` each registry event's source
    /// page file names.
    pub fn score(&self, pages: &[Page], institutions: &[Vec<String>], events: &[Vec<String>]) -> Resolution {
        use std::collections::{HashMap, HashSet};
        let key = |s: &str| s.trim().trim_start_matches("The ").trim_start_matches("the ").to_lowercase();
        let mut truth: HashMap<String, (usize, bool)> = HashMap::new();
        for (i, inst) in self.institutions.iter().enumerate() {
            truth.insert(key(&inst.name), (i, false));
            if inst.english != inst.name {
                truth.insert(key(&inst.english), (i, true));
            }
            if let Some(a) = &inst.acronym {
                truth.insert(key(a), (i, false));
            }
        }
        let mut named: HashSet<usize> = HashSet::new();
        let (mut matched, mut pure) = (0, 0);
        let mut per_name: HashMap<(usize, bool), usize> = HashMap::new();
        for names in institutions {
            let variants: HashSet<(usize, bool)> = names.iter().filter_map(|n| truth.get(&key(n)).copied()).collect();
            let ids: HashSet<usize> = variants.iter().map(|v| v.0).collect();
            if ids.is_empty() {
                continue;
            }
            matched += 1;
            if ids.len() == 1 {
                pure += 1;
            }
            named.extend(ids);
            for v in variants {
                *per_name.entry(v).or_default() += 1;
            }
        }
        let event_of: HashMap<&str, usize> = pages.iter().map(|p| (p.name.as_str(), p.event)).collect();
        let reported: HashSet<usize> = pages.iter().map(|p| p.event).collect();
        let (mut ev_matched, mut ev_pure) = (0, 0);
        let mut merged_pairs: HashSet<usize> = HashSet::new();
        for sources in events {
            let mut truth_events: Vec<usize> = sources.iter().filter_map(|s| event_of.get(s.as_str()).copied()).collect();
            if truth_events.is_empty() {
                continue;
            }
            ev_matched += 1;
            let n = truth_events.len();
            truth_events.sort_unstable();
            truth_events.dedup();
            if truth_events.len() == 1 {
                ev_pure += 1;
                if n >= 2 {
                    merged_pairs.insert(truth_events[0]);
                }
            }
        }
        let mut reports: HashMap<usize, usize> = HashMap::new();
        for p in pages {
            *reports.entry(p.event).or_default() += 1;
        }
        let latin = |i: usize| self.institutions[i].english == self.institutions[i].name;
        let twice: Vec<usize> = reports
            .iter()
            .filter(|(&e, &n)| n >= 2 && self.events[e].parties.iter().all(|&p| latin(p)))
            .map(|(&e, _)| e)
            .collect();
        let share = |a: usize, b: usize| if b == 0 { 1.0 } else { a as f64 / b as f64 };
        Resolution {
            institutions: named.len(),
            registry_institutions: matched,
            institution_purity: share(pure, matched),
            institution_split: share(per_name.values().sum(), per_name.len()),
            events: reported.len(),
            registry_events: ev_matched,
            event_purity: share(ev_pure, ev_matched),
            twice_reported_merged: share(twice.iter().filter(|e| merged_pairs.contains(e)).count(), twice.len()),
        }
    }
}

/// The page as a site would serve it: a menu, paragraphs, a script.
fn as_html(text: &str) -> String {
    let paragraphs: String = text
        .split("\n\n")
        .map(|p| format!("<p>{}</p>\n", p.replace('&', "&amp;").replace('<', "&lt;")))
        .collect();
    format!(
        "<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>News</title><script>var views = 1;</script></head>\n\
         <body><nav><a href=\"/\">Home</a> <a href=\"/news\">News</a></nav><article>\n{paragraphs}</article></body></html>\n"
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn worlds_are_deterministic_and_pages_report_their_events() {
        let w = World::new(3, 200);
        let pages: Vec<Page> = w.pages(3, 200).collect();
        let again: Vec<Page> = World::new(3, 200).pages(3, 200).collect();
        assert_eq!(pages.len(), 200);
        assert_eq!(pages[17].text, again[17].text);
        let twice = (0..w.events.len())
            .filter(|e| pages.iter().filter(|p| p.event == *e).count() == 2)
            .count();
        assert!(twice > 20, "{twice}");
        let ev = &w.events[pages[0].event];
        assert!(pages[0].text.contains(&w.institutions[ev.parties[0]].name));
    }
}
