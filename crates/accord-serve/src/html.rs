//! HTML built in code rather than templates: the document view, where
//! every extracted fact is highlighted in the page's text, search snippets,
//! and the events-per-year chart. Page text is untrusted: every character
//! of it goes through [`escape`].

use accord_model::{Record, Span};
use std::fmt::Write;

/// Escapes text for HTML content and attribute values.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 16);
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// A search snippet: escaped, with the matched words (between U+E000 and
/// U+E001, as the store marks them) in `<mark>`.
pub fn snippet(marked: &str) -> String {
    escape(marked).replace('\u{E000}', "<mark>").replace('\u{E001}', "</mark>")
}

/// One highlighted fact of a document.
#[derive(Debug, Clone, PartialEq)]
pub struct Fact {
    /// `org`, `person` or `event`.
    pub kind: &'static str,
    /// What it is, for the list beside the text.
    pub label: String,
    /// Where it is.
    pub span: Span,
    /// Anchor id (`f-N`).
    pub anchor: String,
    /// What it is in the record: `org:o1`, `person:NAME`, `event:INDEX`.
    pub key: String,
    /// Where the highlight links (the entity's page), when it is a link.
    pub href: Option<String>,
}

/// Every fact of a record with a span: organization and person mentions,
/// event evidence. Ordered by position.
pub fn facts(record: &Record) -> Vec<Fact> {
    let mut out = Vec::new();
    for o in &record.organizations {
        for m in &o.mentions {
            out.push((o.name.clone(), "org", *m, format!("org:{}", o.id)));
        }
    }
    for p in &record.people {
        for m in &p.mentions {
            out.push((p.name.clone(), "person", *m, format!("person:{}", p.name)));
        }
    }
    for (i, e) in record.events.iter().enumerate() {
        let ty = serde_json::to_value(e.event_type)
            .ok()
            .and_then(|v| v.as_str().map(String::from))
            .unwrap_or_default();
        out.push((
            format!("{ty}{}", e.date.as_ref().map(|d| format!(", {d}")).unwrap_or_default()),
            "event",
            e.evidence_span,
            format!("event:{i}"),
        ));
    }
    out.sort_by_key(|(_, kind, span, _)| (span.start, std::cmp::Reverse(span.end), *kind != "event"));
    out.into_iter()
        .enumerate()
        .map(|(i, (label, kind, span, key))| Fact {
            kind,
            label,
            span,
            anchor: format!("f-{i}"),
            key,
            href: None,
        })
        .collect()
}

/// The text with each fact in `<mark class="fact KIND" id="f-N">`. Facts
/// that cross instead of nesting are cut so the HTML stays well formed;
/// spans outside the text are ignored.
pub fn highlight(text: &str, facts: &[Fact]) -> String {
    let chars: Vec<char> = text.chars().collect();
    let mut opens: Vec<Vec<usize>> = vec![Vec::new(); chars.len() + 1];
    let mut closes: Vec<Vec<usize>> = vec![Vec::new(); chars.len() + 1];
    for (i, f) in facts.iter().enumerate() {
        if f.span.start < f.span.end && f.span.end <= chars.len() {
            opens[f.span.start].push(i);
            closes[f.span.end].push(i);
        }
    }
    let mut out = String::with_capacity(text.len() * 2);
    let mut stack: Vec<usize> = Vec::new();
    let mut first_open = vec![true; facts.len()];
    for pos in 0..=chars.len() {
        if !closes[pos].is_empty() {
            // Close everything down to the deepest closing fact, then reopen the survivors.
            let closing: Vec<usize> = closes[pos].clone();
            let depth = stack.iter().position(|f| closing.contains(f)).unwrap_or(stack.len());
            let reopen: Vec<usize> = stack[depth..].iter().copied().filter(|f| !closing.contains(f)).collect();
            for &f in stack[depth..].iter().rev() {
                out.push_str(close_tag(&facts[f]));
            }
            stack.truncate(depth);
            for f in reopen {
                open_tag(&mut out, &facts[f], false);
                stack.push(f);
            }
        }
        if pos == chars.len() {
            break;
        }
        if opens[pos].iter().any(|&f| first_open[f]) {
            let _ = write!(out, "<span class=\"anchor\" id=\"c-{pos}\"></span>");
        }
        for &f in &opens[pos] {
            open_tag(&mut out, &facts[f], first_open[f]);
            first_open[f] = false;
            stack.push(f);
        }
        let mut buf = [0u8; 4];
        out.push_str(&escape(chars[pos].encode_utf8(&mut buf)));
    }
    for &f in stack.iter().rev() {
        out.push_str(close_tag(&facts[f]));
    }
    out
}

/// A fact with a link is an `<a>`, any other a `<mark>`.
fn close_tag(fact: &Fact) -> &'static str {
    if fact.href.is_some() {
        "</a>"
    } else {
        "</mark>"
    }
}

fn open_tag(out: &mut String, fact: &Fact, with_id: bool) {
    match &fact.href {
        Some(href) => {
            let _ = write!(
                out,
                "<a href=\"{}\" class=\"fact {}\" title=\"{}\"",
                escape(href),
                fact.kind,
                escape(&fact.label)
            );
        }
        None => {
            let _ = write!(out, "<mark class=\"fact {}\" title=\"{}\"", fact.kind, escape(&fact.label));
        }
    }
    if with_id {
        let _ = write!(out, " id=\"{}\"", fact.anchor);
    }
    out.push('>');
}

/// The characters around a span, with the span in `<mark>`: the sentence
/// that states an event, shown in its paragraph.
pub fn in_context(text: &str, start: usize, end: usize, around: usize) -> String {
    let chars: Vec<char> = text.chars().collect();
    let (start, end) = (start.min(chars.len()), end.min(chars.len()).max(start.min(chars.len())));
    let from = start.saturating_sub(around);
    let to = (end + around).min(chars.len());
    let piece = |a: usize, b: usize| escape(&chars[a..b].iter().collect::<String>());
    format!(
        "{}{}<mark class=\"fact event\">{}</mark>{}{}",
        if from > 0 { "…" } else { "" },
        piece(from, start),
        piece(start, end),
        piece(end, to),
        if to < chars.len() { "…" } else { "" }
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fact(kind: &'static str, start: usize, end: usize) -> Fact {
        Fact {
            kind,
            label: kind.to_string(),
            span: Span { start, end },
            anchor: format!("f-{start}"),
            key: String::new(),
            href: None,
        }
    }

    #[test]
    fn page_text_is_escaped_never_run() {
        let html = highlight("<script>alert('x')</script> & more", &[fact("org", 0, 8)]);
        assert!(!html.contains("<script>"));
        assert!(html.starts_with(
            "<span class=\"anchor\" id=\"c-0\"></span><mark class=\"fact org\" title=\"org\" id=\"f-0\">&lt;script&gt;</mark>"
        ));
        assert_eq!(snippet("a <b> \u{E000}c\u{E001}"), "a &lt;b&gt; <mark>c</mark>");
    }

    #[test]
    fn nested_facts_nest_and_crossing_facts_are_cut() {
        assert_eq!(
            highlight("abcdef", &[fact("event", 0, 6), fact("org", 1, 3)]),
            "<span class=\"anchor\" id=\"c-0\"></span><mark class=\"fact event\" title=\"event\" id=\"f-0\">a\
             <span class=\"anchor\" id=\"c-1\"></span><mark class=\"fact org\" title=\"org\" id=\"f-1\">bc</mark>def</mark>"
        );
        let crossing = highlight("abcdef", &[fact("event", 0, 4), fact("org", 2, 6)]);
        assert_eq!(crossing.matches("<mark").count(), crossing.matches("</mark>").count());
        assert!(crossing.ends_with("ef</mark>"));
        assert_eq!(highlight("ab", &[fact("org", 1, 9)]), "ab");
    }

    #[test]
    fn context_marks_the_evidence() {
        assert_eq!(
            in_context("One. Two signed. Three.", 5, 16, 3),
            "…e. <mark class=\"fact event\">Two signed.</mark> Th…"
        );
    }
}
