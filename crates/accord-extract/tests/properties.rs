//! Properties that hold for every input: no panic, and every span the record
//! gives quotes exactly the characters it claims to.

use accord_extract::input::page_from_bytes;
use accord_extract::orgs::name_key;
use accord_model::{Fact, Record, Span};
use accord_synth::pages as synth;
use proptest::prelude::*;
use std::path::Path;

fn slice(chars: &[char], s: Span) -> String {
    chars[s.start..s.end].iter().collect()
}

/// Checks every span of a record against the text it was extracted from.
fn check_spans(text: &str, rec: &Record) {
    let chars: Vec<char> = text.chars().collect();
    let in_bounds = |s: &Span| s.start < s.end && s.end <= chars.len();
    for e in &rec.events {
        assert!(in_bounds(&e.evidence_span), "{}: evidence span out of bounds", rec.doc);
        assert_eq!(
            slice(&chars, e.evidence_span),
            e.evidence,
            "{}: evidence is not the text at its span",
            rec.doc
        );
        assert!(!e.evidence.trim().is_empty(), "{}: empty evidence", rec.doc);
        for m in &e.mentions {
            assert!(in_bounds(m), "{}: event trigger out of bounds", rec.doc);
        }
        for f in &e.fact_spans {
            assert!(in_bounds(&f.span), "{}: the span of a {:?} is out of bounds", rec.doc, f.fact);
        }
        let stated = |fact: Fact| e.fact_spans.iter().any(|f| f.fact == fact);
        for (fact, given) in [(Fact::Place, e.place.is_some()), (Fact::Mode, e.mode.is_some())] {
            assert_eq!(
                stated(fact),
                given,
                "{}: a {fact:?} without its span, or a span without it",
                rec.doc
            );
        }
        for field in &e.fields {
            assert!(
                e.spans_of(Fact::Field, Some(field)).next().is_some(),
                "{}: the field {field} has no span",
                rec.doc
            );
        }
        for p in &e.parties {
            assert!(
                rec.organizations.iter().any(|o| &o.id == p),
                "{}: party {p} is not an organization",
                rec.doc
            );
        }
    }
    for o in &rec.organizations {
        assert!(!o.mentions.is_empty(), "{}: organization {} has no evidence", rec.doc, o.name);
        let keys: Vec<String> = std::iter::once(&o.name).chain(&o.aliases).map(|n| name_key(n)).collect();
        for m in &o.mentions {
            assert!(in_bounds(m), "{}: mention of {} out of bounds", rec.doc, o.name);
            let quoted = name_key(&slice(&chars, *m));
            assert!(
                keys.contains(&quoted),
                "{}: mention {:?} of {} is neither its name nor an alias {:?}",
                rec.doc,
                slice(&chars, *m),
                o.name,
                o.aliases
            );
        }
    }
    for p in &rec.people {
        assert!(!p.mentions.is_empty(), "{}: person {} has no evidence", rec.doc, p.name);
        for m in &p.mentions {
            assert!(in_bounds(m), "{}: mention of {} out of bounds", rec.doc, p.name);
        }
        let first = slice(&chars, p.mentions[0]);
        assert!(
            first == p.name || p.aliases.contains(&first),
            "{}: a person's first mention {first} quotes neither the name {} nor an alias",
            rec.doc,
            p.name
        );
        if let Some(org) = &p.org {
            assert!(
                rec.organizations.iter().any(|o| &o.id == org),
                "{}: {} tied to unknown {org}",
                rec.doc,
                p.name
            );
        }
    }
}

fn extract_bytes(bytes: &[u8], html: bool) {
    if let Ok(page) = page_from_bytes("prop.txt".into(), bytes, html) {
        let rec = accord_extract::extract_page(&page);
        check_spans(&page.text, &rec);
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    #[test]
    fn random_bytes_never_panic(bytes in prop::collection::vec(any::<u8>(), 0..2000), html in any::<bool>()) {
        extract_bytes(&bytes, html);
    }

    #[test]
    fn random_unicode_never_panics(chars in prop::collection::vec(any::<char>(), 0..800)) {
        let s: String = chars.into_iter().collect();
        let rec = accord_extract::extract("prop.txt", &s, None);
        check_spans(&s, &rec);
    }

    #[test]
    fn mangled_generated_pages_keep_exact_spans(seed in any::<u64>(), cut in 0usize..4000, noise in prop::collection::vec(prop::sample::select(vec!["\u{a0}", "\n", "“", "（", "Ｈ", "<b>", "&amp;", "»", " (", ") ", "\u{200b}", "Hospital", "signed", "2019"]), 0..20)) {
        let page = synth::generate(seed, 4).remove((seed % 4) as usize);
        let mut text: String = page.text.chars().take(cut).collect();
        for (k, n) in noise.iter().enumerate() {
            let at = text.char_indices().nth((k * 37) % text.chars().count().max(1)).map_or(text.len(), |(b, _)| b);
            text.insert_str(at, n);
        }
        let rec = accord_extract::extract("mangled.txt", &text, None);
        check_spans(&text, &rec);
        extract_bytes(text.as_bytes(), true);
    }
}

#[test]
fn empty_input_gives_an_empty_record() {
    let rec = accord_extract::extract("empty.txt", "", None);
    assert!(rec.organizations.is_empty() && rec.people.is_empty() && rec.events.is_empty() && rec.countries.is_empty());
    assert_eq!(rec.published, None);
    assert_eq!(rec.doc, "empty.txt");
}

fn pages_in(dir: &Path) -> Vec<std::path::PathBuf> {
    let mut out: Vec<_> = std::fs::read_dir(dir)
        .map(|d| d.filter_map(|e| e.ok().map(|e| e.path())).collect())
        .unwrap_or_default();
    out.retain(|p| accord_extract::input::is_page_path(p));
    out.sort();
    out
}

#[test]
fn spans_are_exact_on_real_and_example_pages() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let mut dirs = vec![root.join("examples/pages")];
    let shared = root.join("../shared/dev/docs");
    if shared.is_dir() {
        dirs.push(shared);
    }
    let mut n = 0;
    for dir in dirs {
        for p in pages_in(&dir) {
            let page = accord_extract::input::read_page(&p).expect("example page reads");
            check_spans(&page.text, &accord_extract::extract_page(&page));
            n += 1;
        }
    }
    assert!(n >= 10, "expected the example pages, found {n}");
}

#[test]
fn generated_pages_yield_their_truth() {
    let pages = synth::generate(7, 40);
    let (mut found, mut total) = (0, 0);
    for p in &pages {
        let rec = accord_extract::extract(&p.name, &p.text, None);
        check_spans(&p.text, &rec);
        for o in &p.orgs {
            total += 1;
            if rec
                .organizations
                .iter()
                .any(|r| std::iter::once(&r.name).chain(&r.aliases).any(|n| name_key(n) == name_key(o)))
            {
                found += 1;
            }
        }
    }
    assert!(found * 10 >= total * 7, "found {found} of {total} generated institutions");
}
