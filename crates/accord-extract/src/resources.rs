//! All lexicons, loaded once from the embedded data files and shared by
//! every extraction (they are read-only, so threads share them freely).

use crate::lexicon::{rows, FastMap as HashMap, FastSet as HashSet, PhraseMatcher};
use accord_model::{EventType, Mode, OrgKind};
use std::sync::OnceLock;

macro_rules! data {
    ($name:literal) => {
        ($name, include_str!(concat!("../data/", $name)))
    };
}

/// What a country phrase is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CountryForm {
    /// The country's name ("Russia", "俄罗斯").
    Name,
    /// An adjective or demonym ("Russian", "russe").
    Adjective,
}

/// A place of the gazetteer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PlaceEntry {
    /// True for a city, false for a region.
    pub is_city: bool,
    /// ISO code of its country.
    pub country: String,
    /// English name.
    pub canonical: String,
}

/// The role of a trigger word.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TriggerRole {
    /// States an event alone.
    Phrase,
    /// An action word that needs a noun of the same type.
    Verb,
    /// An object word that needs a verb of the same type.
    Noun,
    /// A phrase that contains a trigger word but states no event.
    Ignore,
}

/// A trigger word of the event lexicon.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Trigger {
    /// Event type it signals.
    pub event_type: EventType,
    /// Its role.
    pub role: TriggerRole,
    /// Finer kind it names, for nouns.
    pub subtype: Option<String>,
}

/// What a clause cue of `data/frames.tsv` does to the triggers after it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FrameCueKind {
    /// Future, modality, plan, wish, possibility or negation.
    Irrealis,
    /// A longer phrase that masks a cue word ("not only").
    Neutral,
    /// "during …": what follows may be only the setting.
    Setting,
    /// "included", "was led by": beside a delegation noun, the sentence says
    /// who a delegation was, not that it visited.
    Composition,
}

/// A clause cue of one language, for some event types.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FrameCue {
    /// Language the cue belongs to.
    pub lang: String,
    /// What it does.
    pub kind: FrameCueKind,
    /// The cue's form (for suffixes, the ending).
    pub form: String,
    /// Types it applies to; `None` for all.
    pub types: Option<Vec<EventType>>,
}

impl FrameCue {
    /// True when the cue governs triggers of this type.
    pub fn applies_to(&self, t: EventType) -> bool {
        self.types.as_ref().is_none_or(|ts| ts.contains(&t))
    }
}

/// Where a reference phrase points.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Reference {
    /// The institution whose page this is.
    Host,
    /// The sides of the cooperation.
    Parties,
    /// The one institution of this kind.
    Kind(OrgKind),
}

/// What a participant count counts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CountKey {
    /// People.
    People,
    /// Institutions.
    Institutions,
    /// Countries.
    Countries,
}

/// Kinds of words in a person's neighbourhood.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TitleKind {
    /// Written right before a name ("Prof.", "Dr").
    Honorific,
    /// Written after a name ("MD", "PhD").
    Postnominal,
    /// A job title ("President", "director").
    Role,
}

/// Every lexicon of the pipeline.
pub struct Resources {
    /// Month words (all languages) to month numbers.
    pub months: HashMap<String, u8>,
    /// Month words that are also ordinary words, usable only beside a number.
    pub ambiguous_months: HashSet<String>,
    /// Weekday words to 1..=7 (Monday = 1).
    pub weekdays: HashMap<String, u8>,
    /// Publication date labels.
    pub date_labels: PhraseMatcher<()>,
    /// Relative day words to offsets.
    pub relative_days: HashMap<String, i64>,
    /// Relative dates of several words, or of a year, a month or an anchored day.
    pub relative_phrases: PhraseMatcher<crate::dates::DateKind>,
    /// Words that mark a date without year as the latest past one.
    pub past_markers: HashSet<String>,
    /// Country names and adjectives.
    pub countries: PhraseMatcher<(String, CountryForm)>,
    /// Russian stems of country names and adjectives.
    pub country_stems: Vec<(String, String)>,
    /// Combining forms ("Sino", "российско") to codes, without the hyphen.
    pub country_prefixes: HashMap<String, String>,
    /// Chinese one-character country abbreviations.
    pub country_abbreviations: HashMap<char, String>,
    /// Cities and regions.
    pub places: PhraseMatcher<PlaceEntry>,
    /// Head words of institution names (whole words).
    pub head_words: HashMap<String, OrgKind>,
    /// Head suffixes (German compounds, Chinese names).
    pub head_suffixes: Vec<(String, OrgKind)>,
    /// Head stems (Russian).
    pub head_stems: Vec<(String, OrgKind)>,
    /// Chinese head suffixes, for matching.
    pub han_heads: PhraseMatcher<OrgKind>,
    /// Words for units inside an institution.
    pub dept_words: HashSet<String>,
    /// Stems of department words (Russian).
    pub dept_stems: Vec<String>,
    /// Words that make a name an event's.
    pub event_words: HashSet<String>,
    /// Suffixes and stems that make a name an event's.
    pub event_affixes: Vec<String>,
    /// Lower-case words allowed inside names.
    pub connectors: HashSet<String>,
    /// Lower-case adjectives allowed inside names after the head.
    pub inner_words: HashSet<String>,
    /// Stems of such adjectives (Russian).
    pub inner_stems: Vec<String>,
    /// Words never first in a name.
    pub lead_words: HashSet<String>,
    /// Chinese words that end an institution's name on its left.
    pub zh_boundaries: HashSet<String>,
    /// Chinese words that only count or qualify ("两家", "公立"): with a head alone they name no institution.
    pub zh_generic: HashSet<String>,
    /// Event trigger phrases.
    pub triggers: PhraseMatcher<Vec<Trigger>>,
    /// Clause cues (irrealis, neutral, setting) by form.
    pub frame_cues: PhraseMatcher<Vec<FrameCue>>,
    /// Future and conditional verb endings per language.
    pub frame_suffixes: HashMap<String, Vec<FrameCue>>,
    /// Cues of event identity (`data/identity.tsv`).
    pub identity: crate::event_identity::IdentityCues,
    /// Initiatives to canonical names.
    pub initiatives: PhraseMatcher<String>,
    /// Reference phrases.
    pub references: PhraseMatcher<Reference>,
    /// Number words.
    pub number_words: HashMap<String, u64>,
    /// Participant nouns.
    pub participant_nouns: PhraseMatcher<CountKey>,
    /// Mode words.
    pub modes: PhraseMatcher<Mode>,
    /// Furniture phrases.
    pub furniture: PhraseMatcher<()>,
    /// Upper-case words that are not acronyms of institutions.
    pub acronym_stop: HashSet<String>,
    /// Function words of the Latin-script languages.
    pub function_words: HashMap<String, Vec<&'static str>>,
    /// Medical fields: form to output form.
    pub fields: PhraseMatcher<String>,
    /// Kinds of cooperation: form to canonical.
    pub activities: PhraseMatcher<String>,
    /// Given names (lower case).
    pub given_names: HashSet<String>,
    /// Surnames (lower case; Latin and Cyrillic).
    pub surnames: HashSet<String>,
    /// Chinese surnames in Han characters (one or two characters).
    pub han_surnames: HashSet<String>,
    /// Particles kept inside names ("van", "de").
    pub name_particles: HashSet<String>,
    /// Titles by lower-cased form.
    pub titles: HashMap<String, TitleKind>,
    /// German role titles that also end compounds ("direktor" of "Verwaltungsdirektor").
    pub title_suffixes: Vec<String>,
    /// Title phrases, longest first, for matching.
    pub title_phrases: PhraseMatcher<TitleKind>,
    /// Chinese titles (matched as suffixes and prefixes of names), longest first.
    pub han_titles: Vec<String>,
    /// Chinese titles, for matching.
    pub han_title_phrases: PhraseMatcher<()>,
}

impl Resources {
    /// The shared resources, built on first use.
    pub fn get() -> &'static Resources {
        static RESOURCES: OnceLock<Resources> = OnceLock::new();
        RESOURCES.get_or_init(Resources::load)
    }

    fn load() -> Resources {
        let mut r = Resources::empty();
        r.load_dates();
        r.load_countries();
        r.load_places();
        r.load_org_words();
        r.load_events();
        r.load_people();
        r.load_misc();
        r
    }

    fn empty() -> Resources {
        Resources {
            months: HashMap::default(),
            ambiguous_months: HashSet::default(),
            weekdays: HashMap::default(),
            date_labels: PhraseMatcher::new(Vec::new()),
            relative_days: HashMap::default(),
            relative_phrases: PhraseMatcher::new(Vec::new()),
            past_markers: HashSet::default(),
            countries: PhraseMatcher::new(Vec::new()),
            country_stems: Vec::new(),
            country_prefixes: HashMap::default(),
            country_abbreviations: HashMap::default(),
            places: PhraseMatcher::new(Vec::new()),
            head_words: HashMap::default(),
            head_suffixes: Vec::new(),
            head_stems: Vec::new(),
            han_heads: PhraseMatcher::new(Vec::new()),
            dept_words: HashSet::default(),
            dept_stems: Vec::new(),
            event_words: HashSet::default(),
            event_affixes: Vec::new(),
            connectors: HashSet::default(),
            inner_words: HashSet::default(),
            inner_stems: Vec::new(),
            lead_words: HashSet::default(),
            zh_boundaries: HashSet::default(),
            zh_generic: HashSet::default(),
            triggers: PhraseMatcher::new(Vec::new()),
            frame_cues: PhraseMatcher::new(Vec::new()),
            frame_suffixes: HashMap::default(),
            identity: crate::event_identity::IdentityCues::load(),
            initiatives: PhraseMatcher::new(Vec::new()),
            references: PhraseMatcher::new(Vec::new()),
            number_words: HashMap::default(),
            participant_nouns: PhraseMatcher::new(Vec::new()),
            modes: PhraseMatcher::new(Vec::new()),
            furniture: PhraseMatcher::new(Vec::new()),
            acronym_stop: HashSet::default(),
            function_words: HashMap::default(),
            fields: PhraseMatcher::new(Vec::new()),
            activities: PhraseMatcher::new(Vec::new()),
            given_names: HashSet::default(),
            surnames: HashSet::default(),
            han_surnames: HashSet::default(),
            name_particles: HashSet::default(),
            titles: HashMap::default(),
            title_suffixes: Vec::new(),
            title_phrases: PhraseMatcher::new(Vec::new()),
            han_titles: Vec::new(),
            han_title_phrases: PhraseMatcher::new(Vec::new()),
        }
    }

    fn load_dates(&mut self) {
        let (name, data) = data!("dates.tsv");
        let mut labels = Vec::new();
        let mut relative = Vec::new();
        for f in rows(name, data, 4) {
            let offset = || -> i64 { f[3].parse().unwrap_or_else(|_| panic!("data/{name}: bad offset {}", f[3])) };
            let form = f[2].to_lowercase();
            match f[1] {
                "month" => {
                    let m: u8 = f[3].parse().unwrap_or_else(|_| panic!("data/{name}: bad month {}", f[3]));
                    if form.chars().count() <= 3 || matches!(form.as_str(), "may" | "mai" | "mayo" | "march" | "sept") {
                        self.ambiguous_months.insert(form.clone());
                    }
                    self.months.insert(form, m);
                }
                "weekday" => {
                    self.weekdays
                        .insert(form, f[3].parse().unwrap_or_else(|_| panic!("data/{name}: bad weekday {}", f[3])));
                }
                "label" => labels.push((form, ())),
                "relative" => {
                    self.relative_days
                        .insert(form, f[3].parse().unwrap_or_else(|_| panic!("data/{name}: bad offset {}", f[3])));
                }
                "relyear" => relative.push((form, crate::dates::DateKind::RelativeYear(offset()))),
                "relmonth" => relative.push((form, crate::dates::DateKind::RelativeMonth(offset()))),
                "anchor" => relative.push((form, crate::dates::DateKind::Anchored(offset()))),
                "past" => {
                    self.past_markers.insert(form);
                }
                other => panic!("data/{name}: unknown role {other}"),
            }
        }
        self.date_labels = PhraseMatcher::new(labels);
        self.relative_phrases = PhraseMatcher::new(relative);
    }

    fn load_countries(&mut self) {
        let (name, data) = data!("countries.tsv");
        let mut phrases = Vec::new();
        for f in rows(name, data, 4) {
            let code = f[0].to_uppercase();
            match f[2] {
                "name" => phrases.push((f[3].to_string(), (code, CountryForm::Name))),
                "adj" => phrases.push((f[3].to_string(), (code, CountryForm::Adjective))),
                "stem" => self.country_stems.push((f[3].to_lowercase(), code)),
                "prefix" => {
                    self.country_prefixes.insert(f[3].trim_end_matches('-').to_lowercase(), code);
                }
                "zhabbr" => {
                    if let Some(c) = f[3].chars().next() {
                        self.country_abbreviations.insert(c, code);
                    }
                }
                other => panic!("data/{name}: unknown kind {other}"),
            }
        }
        self.countries = PhraseMatcher::new(phrases);
    }

    fn load_places(&mut self) {
        let (name, data) = data!("places.tsv");
        let mut phrases = Vec::new();
        for f in rows(name, data, 4) {
            let entry = PlaceEntry {
                is_city: f[0] == "city",
                country: f[1].to_uppercase(),
                canonical: f[2].to_string(),
            };
            for form in f[3].split('|').map(str::trim).filter(|s| !s.is_empty()) {
                phrases.push((form.to_string(), entry.clone()));
            }
        }
        self.places = PhraseMatcher::new(phrases);
    }

    fn load_org_words(&mut self) {
        let (name, data) = data!("org_words.tsv");
        for f in rows(name, data, 5) {
            let form = f[3].to_lowercase();
            let kind = OrgKind::parse(f[4]);
            match (f[1], f[2]) {
                ("head", "word") => {
                    if let Some(k) = kind {
                        self.head_words.insert(form, k);
                    }
                }
                ("head", "suffix") => self.head_suffixes.push((form, kind.unwrap_or(OrgKind::Other))),
                ("head", "stem") => self.head_stems.push((form, kind.unwrap_or(OrgKind::Other))),
                ("dept", "stem") => self.dept_stems.push(form),
                ("dept", _) => {
                    self.dept_words.insert(form);
                }
                ("event", "word") => {
                    self.event_words.insert(form);
                }
                ("event", _) => self.event_affixes.push(form),
                ("connector", _) => {
                    self.connectors.insert(form);
                }
                ("inner", "stem") => self.inner_stems.push(form),
                ("inner", _) => {
                    self.inner_words.insert(form);
                }
                ("lead", _) => {
                    self.lead_words.insert(form);
                }
                ("boundary", _) => {
                    self.zh_boundaries.insert(form);
                }
                ("generic", _) => {
                    self.zh_generic.insert(form);
                }
                (role, m) => panic!("data/{name}: unknown role/match {role}/{m}"),
            }
        }
        self.head_suffixes.sort_by_key(|(s, _)| std::cmp::Reverse(s.chars().count()));
        let han: Vec<(String, OrgKind)> = self
            .head_suffixes
            .iter()
            .filter(|(s, _)| s.chars().all(crate::text::is_cjk))
            .cloned()
            .collect();
        self.han_heads = PhraseMatcher::new(han);
    }

    fn load_events(&mut self) {
        let (name, data) = data!("triggers.tsv");
        let mut phrases = Vec::new();
        for f in rows(name, data, 4) {
            let event_type = EventType::parse(f[1]).unwrap_or_else(|| panic!("data/{name}: unknown type {}", f[1]));
            let role = match f[2] {
                "phrase" => TriggerRole::Phrase,
                "verb" => TriggerRole::Verb,
                "noun" => TriggerRole::Noun,
                "ignore" => TriggerRole::Ignore,
                other => panic!("data/{name}: unknown role {other}"),
            };
            let subtype = f.get(4).filter(|s| **s != "-" && !s.is_empty()).map(|s| s.to_string());
            let trigger = Trigger { event_type, role, subtype };
            match phrases.iter_mut().find(|(form, _): &&mut (String, Vec<Trigger>)| form == f[3]) {
                Some((_, triggers)) => triggers.push(trigger),
                None => phrases.push((f[3].to_string(), vec![trigger])),
            }
        }
        inherit_verbs(&mut phrases);
        self.triggers = PhraseMatcher::new(phrases);
        self.load_frames();

        let (name, data) = data!("initiatives.tsv");
        self.initiatives = PhraseMatcher::new(rows(name, data, 3).map(|f| (f[1].to_string(), f[2].to_string())));

        let (name, data) = data!("references.tsv");
        self.references = PhraseMatcher::new(rows(name, data, 3).map(|f| {
            let target = match f[2] {
                "host" => Reference::Host,
                "parties" => Reference::Parties,
                k => Reference::Kind(
                    k.strip_prefix("kind:")
                        .and_then(OrgKind::parse)
                        .unwrap_or_else(|| panic!("data/{name}: bad target {k}")),
                ),
            };
            (f[1].to_string(), target)
        }));

        let (name, data) = data!("participants.tsv");
        self.participant_nouns = PhraseMatcher::new(rows(name, data, 3).map(|f| {
            let key = match f[2] {
                "people" => CountKey::People,
                "institutions" => CountKey::Institutions,
                "countries" => CountKey::Countries,
                k => panic!("data/{name}: bad key {k}"),
            };
            (f[1].to_string(), key)
        }));

        let (name, data) = data!("modes.tsv");
        self.modes = PhraseMatcher::new(rows(name, data, 3).map(|f| {
            let mode = match f[2] {
                "online" => Mode::Online,
                "offline" => Mode::Offline,
                "hybrid" => Mode::Hybrid,
                m => panic!("data/{name}: bad mode {m}"),
            };
            (f[1].to_string(), mode)
        }));

        let (name, data) = data!("numbers.tsv");
        for f in rows(name, data, 3) {
            self.number_words.insert(
                f[1].to_lowercase(),
                f[2].parse().unwrap_or_else(|_| panic!("data/{name}: bad number {}", f[2])),
            );
        }

        let (name, data) = data!("fields.tsv");
        self.fields = PhraseMatcher::new(rows(name, data, 2).map(|f| {
            let canonical = f.get(2).filter(|c| !c.is_empty()).copied().unwrap_or(f[1]);
            (f[1].to_string(), canonical.to_lowercase())
        }));
        let (name, data) = data!("activities.tsv");
        self.activities = PhraseMatcher::new(rows(name, data, 2).map(|f| {
            let canonical = f.get(2).filter(|c| !c.is_empty()).copied().unwrap_or(f[1]);
            (f[1].to_string(), canonical.to_lowercase())
        }));
    }

    fn load_frames(&mut self) {
        let (name, data) = data!("frames.tsv");
        let mut phrases: Vec<(String, Vec<FrameCue>)> = Vec::new();
        for f in rows(name, data, 4) {
            let types = (f[3] != "*").then(|| {
                f[3].split(',')
                    .map(|t| EventType::parse(t).unwrap_or_else(|| panic!("data/{name}: unknown type {t}")))
                    .collect()
            });
            let kind = match f[1] {
                "irrealis" | "suffix" => FrameCueKind::Irrealis,
                "neutral" => FrameCueKind::Neutral,
                "setting" => FrameCueKind::Setting,
                "composition" => FrameCueKind::Composition,
                other => panic!("data/{name}: unknown cue {other}"),
            };
            let cue = FrameCue {
                lang: f[0].to_string(),
                kind,
                form: f[2].to_string(),
                types,
            };
            if f[1] == "suffix" {
                self.frame_suffixes.entry(cue.lang.clone()).or_default().push(cue);
                continue;
            }
            match phrases.iter_mut().find(|(form, _)| form == f[2]) {
                Some((_, cues)) => cues.push(cue),
                None => phrases.push((f[2].to_string(), vec![cue])),
            }
        }
        self.frame_cues = PhraseMatcher::new(phrases);
    }

    fn load_people(&mut self) {
        let (name, data) = data!("person_names.tsv");
        for f in rows(name, data, 3) {
            let form = f[2].to_lowercase();
            match (f[0], f[1]) {
                ("given", _) => {
                    self.given_names.insert(form);
                }
                ("surname", "zh") => {
                    self.han_surnames.insert(f[2].to_string());
                }
                ("surname", _) => {
                    self.surnames.insert(form);
                }
                ("particle", _) => {
                    self.name_particles.insert(form);
                }
                (k, _) => panic!("data/{name}: unknown kind {k}"),
            }
        }
        let (name, data) = data!("titles.tsv");
        let mut phrases = Vec::new();
        for f in rows(name, data, 3) {
            let kind = match f[1] {
                "honorific" | "org_title" => TitleKind::Honorific,
                "postnominal" => TitleKind::Postnominal,
                "role" => TitleKind::Role,
                k => panic!("data/{name}: unknown kind {k}"),
            };
            if f[0] == "zh" {
                self.han_titles.push(f[2].to_string());
                continue;
            }
            let form = f[2].to_lowercase();
            if f[0] == "de" && kind == TitleKind::Role && !form.contains(' ') && form.chars().count() >= 5 {
                self.title_suffixes.push(form.clone());
            }
            self.titles.entry(form.trim_end_matches('.').to_string()).or_insert(kind);
            phrases.push((f[2].to_string(), kind));
        }
        self.han_titles.sort_by_key(|t| std::cmp::Reverse(t.chars().count()));
        self.han_title_phrases = PhraseMatcher::new(self.han_titles.iter().map(|t| (t.clone(), ())));
        self.title_phrases = PhraseMatcher::new(phrases);
    }

    fn load_misc(&mut self) {
        let (name, data) = data!("furniture.tsv");
        self.furniture = PhraseMatcher::new(rows(name, data, 2).map(|f| (f[1].to_string(), ())));
        let (name, data) = data!("acronym_stop.tsv");
        self.acronym_stop = rows(name, data, 1).map(|f| f[0].to_uppercase()).collect();
        let (name, data) = data!("language.tsv");
        for f in rows(name, data, 2) {
            let lang: &'static str = match f[0] {
                "en" => "en",
                "fr" => "fr",
                "es" => "es",
                "de" => "de",
                other => panic!("data/{name}: unknown language {other}"),
            };
            self.function_words.entry(f[1].to_lowercase()).or_default().push(lang);
        }
    }

    /// The kind of institution a head word names, if it is one.
    pub fn head_kind(&self, word_lower: &str) -> Option<OrgKind> {
        if let Some(k) = self.head_words.get(word_lower) {
            return Some(*k);
        }
        let first = word_lower.chars().next()?;
        if crate::text::is_cyrillic(first) {
            return self
                .head_stems
                .iter()
                .find(|(s, _)| word_lower.starts_with(s.as_str()))
                .map(|(_, k)| *k);
        }
        self.head_suffixes
            .iter()
            .find(|(s, _)| word_lower.ends_with(s.as_str()))
            .map(|(_, k)| *k)
    }

    /// True for a word naming a unit inside an institution.
    pub fn is_dept_word(&self, word_lower: &str) -> bool {
        self.dept_words.contains(word_lower) || self.dept_stems.iter().any(|s| word_lower.starts_with(s.as_str()))
    }

    /// True for a word that makes a name an event's or a programme's.
    pub fn is_event_word(&self, word_lower: &str) -> bool {
        self.event_words.contains(word_lower)
            || self
                .event_affixes
                .iter()
                .any(|s| word_lower.ends_with(s.as_str()) || word_lower.starts_with(s.as_str()))
    }

    /// True for a lower-case word allowed inside a name after its head.
    pub fn is_inner_word(&self, word_lower: &str) -> bool {
        self.inner_words.contains(word_lower) || self.inner_stems.iter().any(|s| word_lower.starts_with(s.as_str()))
    }

    /// The kind of title a single word is: a listed title, the last part of a
    /// hyphenated one ("премьер-министра"), or a German compound ending in a
    /// role ("Verwaltungsdirektor").
    pub fn title_of_word(&self, word_lower: &str) -> Option<TitleKind> {
        if let Some(k) = self.titles.get(word_lower) {
            return Some(*k);
        }
        if let Some((_, last)) = word_lower.rsplit_once('-') {
            if let Some(k) = self.titles.get(last).filter(|k| **k == TitleKind::Role) {
                return Some(*k);
            }
        }
        self.title_suffixes
            .iter()
            .any(|s| word_lower.ends_with(s.as_str()) && word_lower.chars().count() >= s.chars().count() + 3)
            .then_some(TitleKind::Role)
    }

    /// The kinds of the titles of several words that start at token `i` and
    /// go on past it ("Vice" of "Vice Chancellor"), within the next four
    /// tokens: both the people and the institution grammars stop at one.
    pub fn title_phrases_from(&self, text: &crate::text::Text, i: usize) -> Vec<TitleKind> {
        let t = text.tokens[i];
        let last = text.tokens[(i + 4).min(text.tokens.len() - 1)];
        self.title_phrases
            .find_in(text, accord_model::Span::new(t.span.start, last.span.end.max(t.span.end)))
            .iter()
            .filter(|h| h.span.start == t.span.start && h.span.end > t.span.end)
            .map(|h| *h.value)
            .collect()
    }

    /// True when a word or phrase of the text names a country or a place, in
    /// any case ("Китае" through its Russian stem).
    pub fn names_place(&self, text: &crate::text::Text, span: accord_model::Span) -> bool {
        self.countries.exact(text, span).is_some()
            || self.places.exact(text, span).is_some()
            || self.country_of_stem(text.lower_slice(span)).is_some()
    }

    /// The country a Russian word's stem names.
    pub fn country_of_stem(&self, word_lower: &str) -> Option<&str> {
        self.country_stems
            .iter()
            .find(|(s, _)| word_lower.starts_with(s.as_str()))
            .map(|(_, c)| c.as_str())
    }

    /// True for a word that can abbreviate (ends a sentence only when it does not).
    pub fn is_abbreviation(&self, word: &str) -> bool {
        let lower = word.to_lowercase();
        matches!(
            lower.as_str(),
            "st" | "no"
                | "dep"
                | "dept"
                | "inc"
                | "ltd"
                | "co"
                | "vs"
                | "etc"
                | "approx"
                | "int"
                | "assoc"
                | "univ"
                | "г"
                | "им"
                | "ул"
                | "т"
                | "д"
        ) || self.titles.contains_key(&lower)
            || self.months.contains_key(&lower)
    }
}

/// A verb of several words ("se realizó", "was held") also carries the
/// readings of the one-word verbs inside it: the matcher keeps only the
/// longest form, which would otherwise hide that "realizó" also opens a
/// training.
fn inherit_verbs(phrases: &mut [(String, Vec<Trigger>)]) {
    let verbs_of = |form: &str| -> Vec<Trigger> {
        phrases
            .iter()
            .filter(|(f, _)| f != form && contains_words(form, f))
            .flat_map(|(_, ts)| ts.iter().filter(|t| t.role == TriggerRole::Verb).cloned())
            .collect()
    };
    let inherited: Vec<Vec<Trigger>> = phrases
        .iter()
        .map(|(form, ts)| {
            if form.contains(' ') && ts.iter().all(|t| t.role == TriggerRole::Verb) {
                verbs_of(form)
            } else {
                Vec::new()
            }
        })
        .collect();
    for ((_, ts), more) in phrases.iter_mut().zip(inherited) {
        for t in more {
            if !ts.iter().any(|x| x.event_type == t.event_type) {
                ts.push(t);
            }
        }
    }
}

/// True when `inner` is a run of whole words of `outer`.
fn contains_words(outer: &str, inner: &str) -> bool {
    let (o, i): (Vec<&str>, Vec<&str>) = (outer.split(' ').collect(), inner.split(' ').collect());
    i.len() < o.len() && o.windows(i.len()).any(|w| w == i.as_slice())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn all_data_files_load() {
        let r = Resources::get();
        assert!(r.months.len() > 60);
        assert!(r.countries.len() > 300, "countries: {}", r.countries.len());
        assert!(r.places.len() > 500, "places: {}", r.places.len());
        assert!(r.triggers.len() > 300);
        assert!(r.fields.len() > 100);
        assert!(r.given_names.len() > 300);
        assert!(!r.han_titles.is_empty());
        assert_eq!(r.head_kind("hospital"), Some(OrgKind::Hospital));
        assert_eq!(r.head_kind("больницы"), Some(OrgKind::Hospital));
        assert_eq!(r.head_kind("universitätsklinikum"), Some(OrgKind::Hospital));
        assert!(r.is_dept_word("department"));
        assert!(r.is_event_word("congress"));
    }
}
