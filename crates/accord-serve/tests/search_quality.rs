//! Search quality over a fixed registry of pages written here (every
//! institution, place and sentence invented), one or two per language:
//! each query must find the pages listed (recall) and, where one is named,
//! rank it first. Also: exact totals and facets past any sample, pages of
//! results to the very end, phrases, and the cost bounds of a query.

use accord_store::{content_hash, IngestDoc, SearchQuery, SqliteStore, Store};

/// (file name, page text): the fixed registry.
const PAGES: &[(&str, &str)] = &[
    (
        "en_joint_centre.txt",
        "Brackenford Children's Hospital opens joint paediatric centre with Olmsted Medical University

Published: 10 May 2024

Brackenford Children's Hospital and Olmsted Medical University opened a joint paediatric centre on 8 May 2024 in Brackenford. The two hospitals will train nurses together.
",
    ),
    (
        "en_delegation.txt",
        "Olmsted Medical University receives a delegation from Carrow Bay

Published: 3 October 2019

A delegation from the Carrow Bay health board visited Olmsted Medical University on 1 October 2019. The joint visit ended at the simulation centre, where paediatric staff showed their work.
",
    ),
    (
        "en_training_old.txt",
        "Carrow Bay Hospital signs a training agreement with Pellham Institute

Published: 14 February 2016

Carrow Bay Hospital and Pellham Institute signed a training agreement on 12 February 2016 covering emergency medicine.
",
    ),
    (
        "en_training_new.txt",
        "Carrow Bay Hospital signs a training agreement with Dunmore Institute

Published: 20 January 2025

Carrow Bay Hospital and Dunmore Institute signed a training agreement on 17 January 2025 covering emergency medicine.
",
    ),
    (
        "ru_soglashenie.txt",
        "Краснобережская городская больница подписала соглашение с университетом Тальвика

Дата: 15.03.2023

13 марта 2023 года Краснобережская городская больница и Тальвикский медицинский университет подписали соглашение о сотрудничестве в области кардиологии. Врачи больницы пройдут обучение в университете.
",
    ),
    (
        "ru_vizit.txt",
        "Делегация из Казахстана посетила Заречную детскую больницу

Дата: 02.06.2021

2 июня 2021 года делегация Степнянского национального центра педиатрии посетила Заречную детскую больницу. Гости осмотрели отделения и встретились с врачами больницы.
",
    ),
    (
        "zh_xieyi.txt",
        "云岭市人民医院与澜沧医科大学签署合作协议

发布时间：2023年9月12日

2023年9月10日，云岭市人民医院与澜沧医科大学签署合作协议，双方将在肿瘤和康复领域开展合作，共同培养医学人才，深化合作。
",
    ),
    (
        "zh_hant_beiwanglu.txt",
        "華濱榮民醫院與香江大學醫學院簽署合作備忘錄

發布時間：2022年11月3日

2022年11月1日，華濱榮民醫院與香江大學醫學院簽署合作備忘錄，雙方將在護理教育領域開展交流。
",
    ),
    (
        "fr_convention.txt",
        "L'Hôpital universitaire de Montferrand signe une convention avec l'Université de Lysandre

Publié le 4 avril 2023

L'Hôpital universitaire de Montferrand et l'Université de Lysandre, au Québec, ont signé le 3 avril 2023 une convention de partenariat. Les deux hôpitaux partageront leurs programmes de cardiologie.
",
    ),
    (
        "es_convenio.txt",
        "El Hospital Clínico de Valdemora firma un convenio con la Universidad de Altamar

Publicado el 8 de julio de 2022

El Hospital Clínico de Valdemora y la Universidad de Altamar firmaron el 6 de julio de 2022 un convenio de colaboración en oncología. Los hospitales compartirán investigadores.
",
    ),
    (
        "de_vertrag.txt",
        "Universitätsklinikum Nordhaven unterzeichnet Kooperationsvertrag mit dem Krankenhaus Eibenfeld

Veröffentlicht am 21. September 2023

Das Universitätsklinikum Nordhaven und das Krankenhaus Eibenfeld haben am 19. September 2023 einen Kooperationsvertrag unterzeichnet. Beide Krankenhäuser wollen in der Kardiologie zusammenarbeiten.
",
    ),
];

/// (query, pages it must find, page it must rank first), over pages only.
const QUERIES: &[(&str, &[&str], Option<&str>)] = &[
    // Russian: every case of the word, from the nominative typed.
    ("больница", &["ru_soglashenie.txt", "ru_vizit.txt"], None),
    ("больницы", &["ru_soglashenie.txt", "ru_vizit.txt"], None),
    ("Краснобережская больница", &["ru_soglashenie.txt"], Some("ru_soglashenie.txt")),
    // Chinese: two-character words anywhere in the text, either script.
    ("医院", &["zh_xieyi.txt", "zh_hant_beiwanglu.txt"], None),
    ("醫院", &["zh_xieyi.txt", "zh_hant_beiwanglu.txt"], None),
    ("合作", &["zh_xieyi.txt", "zh_hant_beiwanglu.txt"], None),
    ("签署", &["zh_xieyi.txt", "zh_hant_beiwanglu.txt"], None),
    ("合作协议", &["zh_xieyi.txt"], Some("zh_xieyi.txt")),
    ("护理", &["zh_hant_beiwanglu.txt"], Some("zh_hant_beiwanglu.txt")),
    ("澜沧医科", &["zh_xieyi.txt"], Some("zh_xieyi.txt")),
    // French: accents optional, plural forms.
    ("hopital", &["fr_convention.txt"], Some("fr_convention.txt")),
    ("universite Lysandre", &["fr_convention.txt"], Some("fr_convention.txt")),
    ("hôpitaux", &["fr_convention.txt"], Some("fr_convention.txt")),
    // Spanish.
    ("hospitales Valdemora", &["es_convenio.txt"], Some("es_convenio.txt")),
    ("clinico", &["es_convenio.txt"], Some("es_convenio.txt")),
    // German: umlauts optional, plural forms.
    ("Krankenhauser", &["de_vertrag.txt"], Some("de_vertrag.txt")),
    ("universitatsklinikum", &["de_vertrag.txt"], Some("de_vertrag.txt")),
    // English: plurals; the more recent of two alike pages first.
    ("hospitals Brackenford", &["en_joint_centre.txt"], Some("en_joint_centre.txt")),
    (
        "training agreement",
        &["en_training_old.txt", "en_training_new.txt"],
        Some("en_training_new.txt"),
    ),
    // A phrase finds its words together only.
    ("\"joint paediatric centre\"", &["en_joint_centre.txt"], Some("en_joint_centre.txt")),
];

fn page(name: &str, text: &str) -> IngestDoc {
    IngestDoc {
        path: format!("pages/{name}"),
        source_url: None,
        hash: content_hash(text.as_bytes()),
        text: text.to_string(),
        record: accord_extract::extract(name, text, None),
    }
}

struct Registry {
    _dir: tempfile::TempDir,
    store: SqliteStore,
    /// (document id, file name).
    names: Vec<(i64, String)>,
}

fn registry() -> Registry {
    let dir = tempfile::tempdir().unwrap();
    let mut store = SqliteStore::open(&dir.path().join("accord.db")).unwrap();
    store.ingest(&PAGES.iter().map(|(n, t)| page(n, t)).collect::<Vec<_>>()).unwrap();
    let names = (1..=PAGES.len() as i64)
        .filter_map(|id| store.document(id).unwrap())
        .map(|d| (d.id, d.doc))
        .collect();
    Registry { _dir: dir, store, names }
}

fn documents(r: &Registry, q: &str) -> Vec<String> {
    let query = SearchQuery {
        q: q.to_string(),
        kind: Some("document".into()),
        limit: Some(50),
        ..Default::default()
    };
    let results = r.store.search(&query).unwrap();
    assert_eq!(
        results.total,
        results.hits.len(),
        "{q}: every page of this registry fits one page of results"
    );
    results
        .hits
        .iter()
        .map(|h| {
            r.names
                .iter()
                .find(|(id, _)| *id == h.id)
                .map(|(_, n)| n.clone())
                .unwrap_or_default()
        })
        .collect()
}

#[test]
fn every_query_finds_its_pages_and_ranks_the_best_first() {
    let r = registry();
    assert_eq!(r.names.len(), PAGES.len());
    let mut failures = Vec::new();
    for (q, must_find, first) in QUERIES {
        let found = documents(&r, q);
        for name in *must_find {
            if !found.iter().any(|f| f == name) {
                failures.push(format!("{q}: {name} not found (found {found:?})"));
            }
        }
        if let Some(first) = first {
            if found.first().map(String::as_str) != Some(*first) {
                failures.push(format!("{q}: {first} should rank first (got {found:?})"));
            }
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {} queries failed:\n{}",
        failures.len(),
        QUERIES.len(),
        failures.join("\n")
    );
}

#[test]
fn phrases_and_all_words_are_required() {
    let r = registry();
    assert_eq!(documents(&r, "\"joint paediatric centre\""), vec!["en_joint_centre.txt"]);
    // Both pages hold "joint" and "centre"; only one holds them as a phrase.
    assert_eq!(documents(&r, "joint centre").len(), 2);
    assert_eq!(documents(&r, "\"joint centre\"").len(), 0);
    assert!(documents(&r, "больница Montferrand").is_empty());
}

#[test]
fn institutions_are_found_by_name_in_any_form() {
    let r = registry();
    let q = SearchQuery {
        q: "Краснобережская больница".into(),
        ..Default::default()
    };
    let results = r.store.search(&q).unwrap();
    assert_eq!(results.hits[0].kind, "institution", "{:#?}", results.hits);
    assert!(results.hits[0].title.starts_with("Краснобережская"));
    let hant = SearchQuery {
        q: "华滨荣民医院".into(),
        kind: Some("institution".into()),
        ..Default::default()
    };
    let found = r.store.search(&hant).unwrap();
    assert!(found.hits.iter().any(|h| h.title.contains("華濱榮民醫院")), "{:#?}", found.hits);
}

#[test]
fn totals_and_facets_count_every_match_and_pages_reach_the_end() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = SqliteStore::open(&dir.path().join("accord.db")).unwrap();
    let pages: Vec<IngestDoc> = (0..420)
        .map(|i| {
            let year = 2000 + i % 20;
            let text = format!("Report {i} of the Elmbridge archive\n\nPublished: 1 March {year}\n\nEntry {i} of the archive.\n");
            page(&format!("archive_{i}.txt"), &text)
        })
        .collect();
    store.ingest(&pages).unwrap();
    let mut q = SearchQuery {
        q: "Elmbridge archive".into(),
        kind: Some("document".into()),
        limit: Some(200),
        ..Default::default()
    };
    let first = store.search(&q).unwrap();
    assert_eq!(first.total, 420);
    assert!(!first.total_is_lower_bound);
    let years = &first.facets["year"];
    assert_eq!(years.iter().map(|(_, n)| n).sum::<usize>(), 420, "{years:?}");
    assert!(years.iter().all(|(_, n)| *n == 21), "{years:?}");
    let mut seen: Vec<i64> = Vec::new();
    for offset in [0, 200, 400] {
        q.offset = Some(offset);
        seen.extend(store.search(&q).unwrap().hits.iter().map(|h| h.id));
    }
    seen.sort();
    seen.dedup();
    assert_eq!(seen.len(), 420, "paging reaches every match once");
    q.year = Some("2019".into());
    let narrowed = store.search(&q).unwrap();
    assert_eq!(narrowed.total, 21);
    assert!(narrowed.hits.iter().all(|h| h.year.as_deref() == Some("2019")));
}

#[test]
fn long_queries_are_refused_and_repeated_words_count_once() {
    let too_long = SearchQuery {
        q: "a".repeat(300),
        ..Default::default()
    };
    assert_eq!(too_long.check().unwrap_err().parameter, "q");
    let too_many = SearchQuery {
        q: (0..20).map(|i| format!("w{i} ")).collect(),
        ..Default::default()
    };
    assert!(too_many.check().unwrap_err().message.contains("at most 12"));
    let r = registry();
    assert_eq!(documents(&r, "hopital hopital Hopital"), documents(&r, "hopital"));
}
