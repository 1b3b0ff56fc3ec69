//! Length caps (issue 11): a name or an evidence quote longer than its cap
//! is cut at a word boundary and the record says so (`truncated`); spans
//! still quote real characters of the text.

use accord_extract::caps::{MAX_EVIDENCE_CHARS, MAX_NAME_CHARS};
use accord_extract::extract;
use accord_extract::orgs::name_key;
use accord_model::Span;
use accord_synth::hostile;

fn quote(chars: &[char], s: Span) -> String {
    chars[s.start..s.end].iter().collect()
}

#[test]
fn an_institution_name_over_the_cap_is_cut_at_a_word_and_recorded() {
    let text = hostile::long_name(400);
    let chars: Vec<char> = text.chars().collect();
    let rec = extract("long-name.txt", &text, None);
    let cut: Vec<_> = rec.organizations.iter().filter(|o| o.truncated).collect();
    assert_eq!(cut.len(), 1, "the long name is kept, cut: {:?}", rec.organizations);
    let org = cut[0];
    let n = org.name.chars().count();
    assert!((MAX_NAME_CHARS / 2..=MAX_NAME_CHARS).contains(&n), "{n} characters");
    assert!(
        text.contains(&format!("{} ", org.name)),
        "the name stops at the end of a word of the text"
    );
    for m in &org.mentions {
        assert!(m.len() <= MAX_NAME_CHARS);
        assert_eq!(name_key(&quote(&chars, *m)), name_key(&org.name), "the mention quotes the cut name");
    }
    let other = hostile::institution(1);
    let kept = rec
        .organizations
        .iter()
        .find(|o| o.name == other)
        .expect("the ordinary institution");
    assert!(!kept.truncated);
    assert!(rec
        .organizations
        .iter()
        .all(|o| o.aliases.iter().all(|a| a.chars().count() <= MAX_NAME_CHARS)));
    let json = serde_json::to_value(&rec).unwrap();
    assert_eq!(
        json["organizations"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|o| o["truncated"] == true)
            .count(),
        1
    );
}

#[test]
fn an_evidence_sentence_over_the_cap_is_cut_around_its_trigger_and_recorded() {
    for (before, after) in [(0, 3_000), (3_000, 0), (3_000, 3_000)] {
        let text = hostile::long_sentence(before, after);
        let chars: Vec<char> = text.chars().collect();
        let rec = extract("long-sentence.txt", &text, None);
        let event = rec.events.first().unwrap_or_else(|| panic!("{before}/{after}: no event"));
        assert!(event.truncated, "{before}/{after}");
        assert!(event.evidence.chars().count() <= MAX_EVIDENCE_CHARS, "{before}/{after}");
        assert_eq!(
            quote(&chars, event.evidence_span),
            event.evidence,
            "{before}/{after}: the span quotes the evidence"
        );
        assert!(event.evidence.contains("signed"), "{before}/{after}: the trigger is in the quote");
        let (s, e) = (event.evidence_span.start, event.evidence_span.end);
        assert!(s == 0 || chars[s - 1].is_whitespace(), "{before}/{after}: starts at a word");
        assert!(e == chars.len() || !chars[e].is_alphanumeric(), "{before}/{after}: ends at a word");
    }
    let short = extract("short.txt", &hostile::long_sentence(0, 0), None);
    assert!(short.events.iter().all(|e| !e.truncated));
}

#[test]
fn a_person_name_over_the_cap_is_cut_and_recorded() {
    let run: Vec<String> = (0..300).map(|i| hostile::word(100 + i)).collect();
    let text = format!("News\n\nDr. Anna {} Bell said the hospital would grow.\n", run.join("-"));
    let chars: Vec<char> = text.chars().collect();
    let rec = extract("long-person.txt", &text, None);
    let person = rec.people.iter().find(|p| p.truncated).expect("the long name is kept, cut");
    assert!(person.name.chars().count() <= MAX_NAME_CHARS, "{}", person.name.chars().count());
    let end = person.mentions[0].end;
    assert!(
        chars[end - 1].is_alphanumeric() && !chars[end].is_alphanumeric(),
        "cut after a whole word"
    );
    let first = quote(&chars, person.mentions[0]);
    assert!(
        first == person.name || person.aliases.contains(&first),
        "the first mention quotes the name"
    );
    assert!(person.mentions.iter().all(|m| m.len() <= MAX_NAME_CHARS));
}
