//! Single pages in four languages, each with the names it contains: for
//! extraction's property tests and benchmark.

use crate::{Rng, EN_HEADS, EN_MONTHS};

/// One generated page and what it states.
pub struct SynthPage {
    /// File name.
    pub name: String,
    /// The page text.
    pub text: String,
    /// Full names of the institutions it names.
    pub orgs: Vec<String>,
    /// People it names.
    pub people: Vec<String>,
    /// ISO codes of the countries it involves.
    pub countries: Vec<&'static str>,
}

const STEMS: &[&str] = &[
    "Northbridge",
    "Lakeshore",
    "Riverside",
    "Greenfield",
    "Harborview",
    "Eastgate",
    "Silverbrook",
    "Maplewood",
    "Stonebridge",
    "Westhaven",
    "Brightwater",
    "Oakridge",
    "Highland",
    "Clearwater",
    "Redcliff",
];
const CITIES: &[(&str, &str, &str)] = &[
    ("Wuhan", "CN", "China"),
    ("Kazan", "RU", "Russia"),
    ("Lyon", "FR", "France"),
    ("Dakar", "SN", "Senegal"),
    ("Madrid", "ES", "Spain"),
    ("Munich", "DE", "Germany"),
    ("Almaty", "KZ", "Kazakhstan"),
    ("Hanoi", "VN", "Vietnam"),
];
const GIVEN: &[&str] = &[
    "Anna", "David", "Maria", "Peter", "Elena", "Thomas", "Sarah", "Michael", "Olga", "Robert",
];
const SURNAMES: &[&str] = &[
    "Holm",
    "Kerr",
    "Vance",
    "Brandt",
    "Novak",
    "Lindqvist",
    "Moreau",
    "Santos",
    "Keller",
    "Ortega",
];
const ZH_SURNAMES: &[&str] = &["ZHANG", "WANG", "LI", "LIU", "CHEN", "ZHOU"];
const ZH_GIVEN: &[&str] = &["Haoran", "Meilin", "Jianguo", "Xiaoyu", "Wenjie", "Yutong"];
const FIELDS: &[&str] = &[
    "oncology",
    "cardiology",
    "pediatrics",
    "ophthalmology",
    "radiation oncology",
    "minimally invasive surgery",
    "nuclear medicine",
];

fn person(rng: &mut Rng) -> String {
    if rng.below(2) == 0 {
        format!("{} {}", rng.pick(GIVEN), rng.pick(SURNAMES))
    } else {
        format!("{} {}", rng.pick(ZH_SURNAMES), rng.pick(ZH_GIVEN))
    }
}

fn english_page(rng: &mut Rng, i: usize) -> SynthPage {
    let a = format!("{} {}", rng.pick(STEMS), rng.pick(EN_HEADS));
    let mut b = format!("{} {}", rng.pick(STEMS), rng.pick(EN_HEADS));
    while b == a {
        b = format!("{} {}", rng.pick(STEMS), rng.pick(EN_HEADS));
    }
    let (city, code, country) = CITIES[rng.below(CITIES.len())];
    let (p1, p2) = (person(rng), person(rng));
    let (f1, f2) = (rng.pick(FIELDS), rng.pick(FIELDS));
    let day = 1 + rng.below(28);
    let month = rng.pick(EN_MONTHS);
    let year = 2015 + rng.below(10);
    let n = 5 + rng.below(60);
    let text = format!(
        "Home » News » International Cooperation\n\n{a} signs agreement with partner in {country}\n\nPublished: {day} {month} {year}\n\n\
On {month} {day}, {year}, {a} and {b} signed a memorandum of understanding in {city}, {country}. \
Prof. {p1}, President of {a}, and Dr. {p2}, Director of {b}, attended the signing ceremony.\n\n\
According to the memorandum, the partners will exchange staff and run joint studies in {f1} and {f2}. \
\"This agreement opens a new chapter for our hospitals,\" {p1} said.\n\n\
In {year}, {a} also held a training course for {n} doctors from {country} in {f1}. The training was held online.\n\n\
Share this: Facebook Twitter Print"
    );
    SynthPage {
        name: format!("en_{i:06}.txt"),
        text,
        orgs: vec![a, b],
        people: vec![p1, p2],
        countries: vec![code],
    }
}

fn russian_page(rng: &mut Rng, i: usize) -> SynthPage {
    let orgs = [
        "Областная клиническая больница",
        "Республиканский онкологический диспансер",
        "Городская детская больница",
    ];
    let a = format!("{} № {}", orgs[rng.below(orgs.len())], 1 + rng.below(9));
    let b = format!("{} {}", rng.pick(STEMS), rng.pick(EN_HEADS));
    let names = ["Петренко Олег Иванович", "Смирнова Анна Петровна", "Кузнецов Игорь Сергеевич"];
    let p = names[rng.below(names.len())].to_string();
    let day = 1 + rng.below(28);
    let year = 2015 + rng.below(10);
    let text = format!(
        "Дата: {day:02}.0{}.{year}\n\n{a} подписала соглашение о сотрудничестве\n\n\
{day} мая {year} года {a} и {b} подписали соглашение о сотрудничестве в области онкологии. \
Документ подписал главный врач {p}. Стороны договорились об обмене опытом и совместных исследованиях.\n\n\
В рамках визита китайская делегация посетила отделения больницы.",
        1 + rng.below(9)
    );
    SynthPage {
        name: format!("ru_{i:06}.txt"),
        text,
        orgs: vec![a, b],
        people: vec![p],
        countries: vec!["RU", "CN"],
    }
}

fn chinese_page(rng: &mut Rng, i: usize) -> SynthPage {
    let a = ["江城市第一人民医院", "滨海医科大学附属医院", "山城肿瘤医院"][rng.below(3)].to_string();
    let b = ["俄罗斯阿尔泰边疆区临床医院", "哈萨克斯坦国家肿瘤中心", "法国里昂大学医院"][rng.below(3)].to_string();
    let p = ["王建国", "李晓雨", "张文杰"][rng.below(3)].to_string();
    let year = 2015 + rng.below(10);
    let month = 1 + rng.below(12);
    let day = 1 + rng.below(28);
    let text = format!(
        "发布时间:{year}-{month:02}-{day:02}\n\n{a}与{b}签署合作协议\n\n\
{month}月{day}日,{a}与{b}签署合作协议。院长{p}出席签约仪式。双方将在肿瘤、心血管等领域开展学术交流与人才培养。\n\n\
请升级浏览器版本"
    );
    SynthPage {
        name: format!("zh_{i:06}.txt"),
        text,
        orgs: vec![a, b],
        people: vec![p],
        countries: vec!["CN"],
    }
}

fn french_page(rng: &mut Rng, i: usize) -> SynthPage {
    let city = ["Tadjourah", "Thiès", "Meknès", "Kaolack"][rng.below(4)];
    let a = format!("Centre hospitalier universitaire de {city}");
    let b = format!("Université {} de {}", rng.pick(SURNAMES), ["Dakar", "Rabat", "Lyon"][rng.below(3)]);
    let p = format!("{} {}", ["Jean", "Marie", "Omar", "Fatou"][rng.below(4)], rng.pick(SURNAMES));
    let year = 2015 + rng.below(10);
    let text = format!(
        "{a} : signature d'une convention\n\n{} juin {year}\n\n\
Le {a} et l'{b} ont signé une convention de partenariat le {} juin {year}. \
La signature a eu lieu en présence du Pr {p}, recteur de l'université. \
Cinquante médecins seront formés en pédiatrie et en cardiologie.",
        1 + rng.below(28),
        1 + rng.below(28)
    );
    SynthPage {
        name: format!("fr_{i:06}.txt"),
        text,
        orgs: vec![a, b],
        people: vec![p],
        countries: vec!["SN"],
    }
}

/// Generates `n` pages, cycling through the languages.
pub fn generate(seed: u64, n: usize) -> Vec<SynthPage> {
    let mut rng = Rng::new(seed);
    (0..n)
        .map(|i| match i % 4 {
            0 => english_page(&mut rng, i),
            1 => russian_page(&mut rng, i),
            2 => chinese_page(&mut rng, i),
            _ => french_page(&mut rng, i),
        })
        .collect()
}
