//! HTML built in code rather than templates: the document view, where
//! every extracted fact is highlighted in the page's text, search snippets,
//! and the events-per-year chart. Page text is untrusted: every character
//! of it goes through [`escape`].

use accord_model::{Record, Span};
use std::fmt::Write;

/// Escapes text for HTML content and attribute values.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 16);
    escape_into(&mut out, text);
    out
}

/// [`escape`] appended to `out`, without a string per call.
fn escape_into(out: &mut String, text: &str) {
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c if is_hidden_control(c) => {
                let _ = write!(out, "\u{27E6}U+{:04X}\u{27E7}", c as u32);
            }
            c => out.push(c),
        }
    }
}

/// Characters that change how text around them reads without showing
/// themselves: bidirectional overrides and isolates (a name could display
/// reversed), and control characters other than line breaks and tabs.
/// [`escape`] shows them as ⟦U+202E⟧.
fn is_hidden_control(c: char) -> bool {
    matches!(c, '\u{200E}' | '\u{200F}' | '\u{061C}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
        || (c.is_control() && !matches!(c, '\n' | '\r' | '\t'))
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

/// Characters of a page shown on one document view; a longer page is
/// shown in parts of this size, so one response stays small whatever the
/// page (pages may be 16 MB).
pub const PART_CHARS: usize = 200_000;
/// Facts marked and listed on one view; beyond, the view says how many
/// were left out. Bounds the tags one response carries.
pub const MAX_FACTS: usize = 2_000;
/// Deepest nesting of marks: a fact inside this many others is listed but
/// not marked, so crossing facts cannot multiply the tags.
const MAX_DEPTH: usize = 12;

/// One part of a document, highlighted, with its facts.
#[derive(Debug, Clone, PartialEq)]
pub struct DocumentView {
    /// The part's text as HTML, facts in `<mark>`.
    pub html: String,
    /// The facts that touch this part (at most [`MAX_FACTS`]), with their
    /// spans in the whole page.
    pub facts: Vec<Fact>,
    /// Facts of this part beyond [`MAX_FACTS`], neither marked nor listed.
    pub facts_left_out: usize,
    /// Which part this is (0-based) and how many the page has.
    pub part: usize,
    /// Parts of [`PART_CHARS`] characters in the page (at least one).
    pub parts: usize,
}

/// Part `part` of a page's text with its facts highlighted; `None` when
/// the page has no such part. Costs time linear in the part's length plus
/// the number of its facts.
pub fn document_view(text: &str, facts: &[Fact], part: usize) -> Option<DocumentView> {
    let len = text.chars().count();
    let parts = len.div_ceil(PART_CHARS).max(1);
    if part >= parts {
        return None;
    }
    let (from, to) = (part * PART_CHARS, ((part + 1) * PART_CHARS).min(len));
    let slice = char_slice(text, from, to);
    let mut inside: Vec<Fact> = facts
        .iter()
        .filter(|f| f.span.start < to && f.span.end > from && f.span.start < f.span.end && f.span.end <= len)
        .cloned()
        .collect();
    let facts_left_out = inside.len().saturating_sub(MAX_FACTS);
    inside.truncate(MAX_FACTS);
    let clipped: Vec<Fact> = inside
        .iter()
        .map(|f| Fact {
            span: Span {
                start: f.span.start.max(from) - from,
                end: f.span.end.min(to) - from,
            },
            ..f.clone()
        })
        .collect();
    let html = highlight_from(slice, &clipped, from);
    Some(DocumentView {
        html,
        facts: inside,
        facts_left_out,
        part,
        parts,
    })
}

/// Characters `[from, to)` of `text`, without copying it.
fn char_slice(text: &str, from: usize, to: usize) -> &str {
    let mut at = text.char_indices().map(|(b, _)| b).chain(std::iter::once(text.len()));
    let start = at.nth(from).unwrap_or(text.len());
    let end = if to > from {
        at.nth(to - from - 1).unwrap_or(text.len())
    } else {
        start
    };
    &text[start..end]
}

/// The text with each fact in `<mark class="fact KIND" id="f-N">`. Facts
/// that cross instead of nesting are cut so the HTML stays well formed;
/// spans outside the text are ignored.
pub fn highlight(text: &str, facts: &[Fact]) -> String {
    highlight_from(text, facts, 0)
}

/// [`highlight`] of a part of a page starting at character `offset`
/// (anchors `c-N` name positions in the whole page). Walks the text once
/// and the facts' boundaries once: linear in both.
fn highlight_from(text: &str, facts: &[Fact], offset: usize) -> String {
    let len = text.chars().count();
    // (position, 0 = close / 1 = open, fact): closes before opens at a position.
    let mut bounds: Vec<(usize, u8, usize)> = Vec::with_capacity(facts.len() * 2);
    for (i, f) in facts.iter().enumerate() {
        if f.span.start < f.span.end && f.span.end <= len {
            bounds.push((f.span.start, 1, i));
            bounds.push((f.span.end, 0, i));
        }
    }
    bounds.sort_unstable();
    let mut out = String::with_capacity(text.len() + text.len() / 8 + bounds.len() * 48);
    let mut marks = Marks {
        stack: Vec::new(),
        on: vec![false; facts.len()],
    };
    let (mut at_char, mut at_byte) = (0, 0);
    for group in bounds.chunk_by(|a, b| a.0 == b.0) {
        let pos = group[0].0;
        let skip: usize = text[at_byte..]
            .char_indices()
            .nth(pos - at_char)
            .map_or(text.len() - at_byte, |(b, _)| b);
        escape_into(&mut out, &text[at_byte..at_byte + skip]);
        (at_char, at_byte) = (pos, at_byte + skip);
        let split = group.partition_point(|b| b.1 == 0);
        marks.close(&mut out, facts, group[..split].iter().map(|b| b.2));
        if split < group.len() {
            let _ = write!(out, "<span class=\"anchor\" id=\"c-{}\"></span>", pos + offset);
        }
        for b in &group[split..] {
            marks.open(&mut out, facts, b.2);
        }
    }
    escape_into(&mut out, &text[at_byte..]);
    for &f in marks.stack.iter().rev() {
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

/// The marks open at a point of the text.
struct Marks {
    /// Open facts, outermost first (at most [`MAX_DEPTH`]).
    stack: Vec<usize>,
    /// Whether each fact is on the stack.
    on: Vec<bool>,
}

impl Marks {
    /// Closes the facts ending here: everything down to the outermost of
    /// them, then reopens the survivors.
    fn close(&mut self, out: &mut String, facts: &[Fact], ending: impl Iterator<Item = usize>) {
        let mut any = false;
        for f in ending {
            if self.on[f] {
                self.on[f] = false;
                any = true;
            }
        }
        if !any {
            return;
        }
        let depth = self.stack.iter().position(|&f| !self.on[f]).unwrap_or(self.stack.len());
        let reopen: Vec<usize> = self.stack[depth..].iter().copied().filter(|&f| self.on[f]).collect();
        for &f in self.stack[depth..].iter().rev() {
            out.push_str(close_tag(&facts[f]));
        }
        self.stack.truncate(depth);
        for f in reopen {
            open_tag(out, &facts[f], false);
            self.stack.push(f);
        }
    }

    /// Opens a fact starting here, unless marks are already [`MAX_DEPTH`] deep.
    fn open(&mut self, out: &mut String, facts: &[Fact], f: usize) {
        if self.stack.len() >= MAX_DEPTH {
            return;
        }
        open_tag(out, &facts[f], true);
        self.on[f] = true;
        self.stack.push(f);
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
        // A right-to-left override would show "Clinic gpj.exe" reversed: shown escaped.
        assert_eq!(
            escape("Clinic\u{202E}exe.jpg\u{0007}\n"),
            "Clinic\u{27E6}U+202E\u{27E7}exe.jpg\u{27E6}U+0007\u{27E7}\n"
        );
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
    fn a_long_page_is_shown_in_parts_with_its_own_facts() {
        let text = "é".repeat(PART_CHARS * 2 + 10);
        let facts = [fact("org", 5, 8), fact("event", PART_CHARS - 2, PART_CHARS + 3)];
        let first = document_view(&text, &facts, 0).unwrap();
        assert_eq!((first.part, first.parts, first.facts.len()), (0, 3, 2));
        assert_eq!(first.html.chars().filter(|&c| c == 'é').count(), PART_CHARS);
        let second = document_view(&text, &facts, 1).unwrap();
        assert_eq!(second.facts, vec![fact("event", PART_CHARS - 2, PART_CHARS + 3)]);
        assert!(second
            .html
            .starts_with(&format!("<span class=\"anchor\" id=\"c-{PART_CHARS}\"></span><mark")));
        assert_eq!(document_view(&text, &facts, 2).unwrap().html, "é".repeat(10));
        assert!(document_view(&text, &facts, 3).is_none());
        assert_eq!(document_view("", &[], 0).unwrap().parts, 1);
    }

    #[test]
    fn marks_are_bounded_in_number_and_depth() {
        let text = "x".repeat(10_000);
        let many: Vec<Fact> = (0..5_000).map(|i| fact("org", i, i + 1)).collect();
        let view = document_view(&text, &many, 0).unwrap();
        assert_eq!((view.facts.len(), view.facts_left_out), (MAX_FACTS, 5_000 - MAX_FACTS));
        assert_eq!(view.html.matches("<mark").count(), MAX_FACTS);
        // A thousand crossing facts: each cut reopens at most MAX_DEPTH marks.
        let crossing: Vec<Fact> = (0..1_000).map(|i| fact("event", i, i + 5_000)).collect();
        let html = highlight(&text, &crossing);
        assert!(html.matches("<mark").count() <= 1_000 * (MAX_DEPTH + 1), "{}", html.len());
        assert_eq!(html.matches("<mark").count(), html.matches("</mark>").count());
    }

    #[test]
    fn context_marks_the_evidence() {
        assert_eq!(
            in_context("One. Two signed. Three.", 5, 16, 3),
            "…e. <mark class=\"fact event\">Two signed.</mark> Th…"
        );
    }
}
