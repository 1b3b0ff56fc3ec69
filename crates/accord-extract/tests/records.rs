//! Whole records from small pages: behaviours that need the full pipeline.

use accord_model::{EventType, Fact};

#[test]
fn a_later_today_speaks_of_the_pages_own_event() {
    let page = "Rivertown University Hospital and Lakeside Cancer Institute join forces

Published: 4 November 2019

On 1 November 2019, Rivertown University Hospital and Lakeside Cancer Institute signed a memorandum of understanding in Lyon.
The two institutions have worked together for years. Their surgeons met twice in 2018. Nurses trained together in Lyon.
The hospital has 1,200 beds. The institute treats 30,000 patients a year. Both run research programmes in oncology.
Their teams publish together. A joint symposium is planned.
Both directors signed the agreement today in front of the staff of the two hospitals.";
    let record = accord_extract::extract("news.txt", page, None);
    let agreements: Vec<_> = record.events.iter().filter(|e| e.event_type == EventType::Agreement).collect();
    assert_eq!(agreements.len(), 1, "{agreements:#?}");
    assert_eq!(agreements[0].date.as_deref(), Some("2019-11-01"));
}

#[test]
fn an_institution_without_a_country_of_its_own_takes_the_one_its_sentences_name() {
    let page = "Surgeons trained abroad

Published: 4 November 2019

Lakeside Cancer Institute of Peru and Greyfield Medical College of Kenya met in Lima on Monday.
The KMTC team then flew to Nairobi, where KMTC runs its wards. KMTC thanked the Peruvian hosts.";
    let record = accord_extract::extract("news.txt", page, None);
    let kmtc = record
        .organizations
        .iter()
        .find(|o| o.name == "KMTC")
        .expect("the acronym is an institution");
    assert_eq!(kmtc.country.as_deref(), Some("KE"), "{:#?}", record.organizations);
}

#[test]
fn each_fact_of_an_event_keeps_the_words_it_was_read_from() {
    let page = "Eye surgeons meet

Published: 9 June 2023

On 2 June 2023 Rivertown University Hospital and Lakeside Cancer Institute signed a memorandum of understanding in Lyon on cooperation in ophthalmology, training 40 doctors online.";
    let record = accord_extract::extract("news.txt", page, None);
    let chars: Vec<char> = page.chars().collect();
    let said = |span: accord_model::Span| chars[span.start..span.end].iter().collect::<String>();
    let e = record
        .events
        .iter()
        .find(|e| e.event_type == EventType::Agreement)
        .expect("the agreement");
    let words = |fact: Fact, value: Option<&str>| e.spans_of(fact, value).map(said).collect::<Vec<_>>();
    assert_eq!(words(Fact::Date, None), ["2 June 2023"], "{e:#?}");
    assert_eq!(words(Fact::Place, None), ["Lyon"]);
    assert_eq!(words(Fact::Field, Some("ophthalmology")), ["ophthalmology"]);
    assert_eq!(words(Fact::Mode, None), ["online"]);
    assert_eq!(words(Fact::Participants, None), ["doctors"]);
}
