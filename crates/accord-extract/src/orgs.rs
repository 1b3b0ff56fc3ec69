//! Institutions: full names found by a name grammar over head words
//! ("Hospital", "Université", "больница", "医院"…), acronyms defined in either
//! direction, short forms tied back to the full name, and one entity per
//! institution with every place that names it.

use crate::resources::{Resources, TitleKind};
use crate::text::{is_cjk, is_cyrillic, Text, TokenKind};
use accord_model::{OrgKind, Span};
use std::collections::HashMap;

/// One place in the text that names an institution.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NameMention {
    /// Characters of the mention.
    pub span: Span,
    /// The name as the record writes it (may skip an inner parenthesis).
    pub name: String,
    /// An acronym defined beside it, with its span.
    pub acronym: Option<(String, Span)>,
    /// The name without a trailing "of the Ministry of Health …".
    pub core: Option<String>,
    /// Other forms: the acronym in place of the words it stands for, the
    /// literal text with an inner parenthesis.
    pub forms: Vec<String>,
    /// Kind suggested by the head word.
    pub kind: OrgKind,
    /// Principal head word, lower case.
    pub head: String,
}

/// An institution of the document, with all its names.
#[derive(Debug, Clone, PartialEq)]
pub struct Org {
    /// The fullest name.
    pub name: String,
    /// Other names the text uses.
    pub aliases: Vec<String>,
    /// Kind of institution.
    pub kind: OrgKind,
    /// Principal head word, lower case ("hospital"), empty for a bare acronym.
    pub head: String,
    /// Every span that names it.
    pub mentions: Vec<Span>,
    /// ISO country code, filled by the country component.
    pub country: Option<String>,
    /// City, filled by the country component.
    pub city: Option<String>,
}

impl Org {
    /// Position of its first mention.
    pub fn first(&self) -> usize {
        self.mentions.iter().map(|s| s.start).min().unwrap_or(usize::MAX)
    }

    /// The name and every alias.
    pub fn all_names(&self) -> impl Iterator<Item = &String> {
        std::iter::once(&self.name).chain(self.aliases.iter())
    }
}

/// Comparison key of a name: lower case, `centre` read as `center`, quotes,
/// possessives and a leading article dropped.
/// Russian words are cut to their first five letters, so that the cases of a
/// name ("министерство", "министерстве") share one key.
pub fn name_key(name: &str) -> String {
    let lower = name
        .to_lowercase()
        .replace("centre", "center")
        .replace('&', " and ")
        .replace("минздрав", "министерство здравоохранения");
    let cleaned: String = lower.chars().map(|c| if c.is_alphanumeric() { c } else { ' ' }).collect();
    let words: Vec<String> = cleaned
        .split_whitespace()
        .map(|w| {
            if w.chars().any(is_cyrillic) {
                w.chars().take(5).collect()
            } else {
                w.to_string()
            }
        })
        .collect();
    let words = match words.first().map(String::as_str) {
        Some("the") => &words[1..],
        _ => &words[..],
    };
    words.join(" ")
}

/// Content words of a name (lower case, no connectors).
fn content_words(res: &Resources, name: &str) -> Vec<String> {
    name_key(name)
        .split(' ')
        .filter(|w| !w.is_empty() && !res.connectors.contains(*w) && *w != "s")
        .map(String::from)
        .collect()
}

struct Grammar<'a> {
    text: &'a Text,
    res: &'a Resources,
    lang: &'a str,
    /// Head kind of each token, computed once.
    heads: Vec<Option<OrgKind>>,
}

impl Grammar<'_> {
    fn lower(&self, i: usize) -> &str {
        self.text.lower_slice(self.text.tokens[i].span)
    }

    fn head_of(&self, i: usize) -> Option<OrgKind> {
        self.heads[i]
    }

    fn compute_head(&self, i: usize) -> Option<OrgKind> {
        let t = self.text.tokens[i];
        if t.kind != TokenKind::Word {
            return None;
        }
        let w = self.lower(i);
        let w = w.strip_suffix("'s").unwrap_or(w);
        if self.res.is_dept_word(w) {
            return None;
        }
        if let Some(k) = self.res.head_words.get(w) {
            return Some(*k);
        }
        self.res.head_kind(w).filter(|_| {
            w.contains('-')
                || self.res.head_stems.iter().any(|(s, _)| w.starts_with(s.as_str()))
                || self.lang == "de"
                || is_german_compound(w)
        })
    }

    /// A verb or phrase of the event lexicon: it ends a name in a title-case headline.
    fn is_action_word(&self, i: usize) -> bool {
        self.res.triggers.exact(self.text, self.text.tokens[i].span).is_some_and(|ts| {
            ts.iter()
                .any(|t| matches!(t.role, crate::resources::TriggerRole::Phrase | crate::resources::TriggerRole::Verb))
        })
    }

    fn is_connector(&self, i: usize) -> bool {
        let t = self.text.tokens[i];
        if t.kind == TokenKind::Punct {
            return self.text.chars[t.span.start] == '&';
        }
        t.kind == TokenKind::Word && self.res.connectors.contains(self.lower(i)) && !self.text.is_capitalized(i)
    }

    /// Whether token `k` continues the name being read: a name word, a number after a head, a
    /// connector or hyphen between name words, a quote, or a comma inside an enumeration.
    fn extends_run(&self, run: &Run, k: usize, end: usize) -> bool {
        let next_is_name = k + 1 < end && (self.is_name_word(k + 1) || self.is_connector(k + 1));
        let named_after = self.lang == "de" && self.lower(k) == "nach" && self.head_seen(run) && next_is_name;
        named_after
            || self.is_name_word(k)
            || (self.text.tokens[k].kind == TokenKind::Number && run.tokens.len() > 1 && self.head_seen(run))
            || ((self.is_connector(k) || self.is_punct(k, '-') || self.is_punct(k, '\'')) && next_is_name)
            || (self.is_punct(k, '"') && k + 1 < end && (self.is_name_word(k + 1) || run.tokens.iter().any(|&t| self.is_punct(t, '"'))))
            || (self.is_punct(k, ',') && self.comma_in_enumeration(run.tokens[0], k, end))
    }

    fn is_name_word(&self, i: usize) -> bool {
        let t = self.text.tokens[i];
        if t.kind == TokenKind::Number {
            return false;
        }
        if t.kind != TokenKind::Word {
            return false;
        }
        let c = self.text.chars[t.span.start];
        if is_cyrillic(c) {
            return false;
        }
        if c.is_uppercase() {
            return true;
        }
        matches!(self.lang, "fr" | "es" | "ru") && self.res.is_inner_word(self.lower(i))
    }

    /// True when token `i` (a comma) sits inside an enumeration of a name's
    /// fields: "Institute for Heart, Lung and Blood Research".
    fn comma_in_enumeration(&self, run_start: usize, i: usize, end: usize) -> bool {
        let has_for = (run_start..i).any(|k| matches!(self.lower(k), "for" | "of" | "de" | "für"));
        if !has_for || i + 3 >= end {
            return false;
        }
        let mut k = i + 1;
        let mut words = 0;
        while k < end && k < i + 6 {
            if self.is_punct(k, ',') {
                k += 1;
                continue;
            }
            if self.text.is_capitalized(k) && self.head_of(k).is_none() {
                words += 1;
                k += 1;
                continue;
            }
            return words >= 1 && matches!(self.lower(k), "and" | "et" | "y" | "und") && k + 1 < end && self.text.is_capitalized(k + 1);
        }
        false
    }

    fn is_punct(&self, i: usize, c: char) -> bool {
        i < self.text.tokens.len() && self.text.is_punct(i, c)
    }

    /// "(ABBR)" at token `i`: the acronym and the index after the parenthesis.
    fn acronym_at(&self, i: usize, end: usize) -> Option<(String, Span, usize)> {
        if !self.is_punct(i, '(') || i + 2 >= end.max(i + 3) {
            return None;
        }
        let mut k = i + 1;
        let start = self.text.tokens.get(k)?.span.start;
        let mut last = k;
        while k < end && k < i + 5 && !self.is_punct(k, ')') {
            last = k;
            k += 1;
        }
        if !self.is_punct(k, ')') {
            return None;
        }
        let span = Span::new(start, self.text.tokens[last].span.end);
        let acr = self.text.original_slice(span);
        is_acronym_shape(&acr).then_some((acr, span, k + 1))
    }

    /// Maximal runs of name tokens in the sentence `[first, end)`.
    fn runs(&self, first: usize, end: usize) -> Vec<Run> {
        let mut runs = Vec::new();
        let mut i = first;
        while i < end {
            if !self.is_name_word(i) && !self.opens_quoted_name(i, end) && !self.opens_lowercase_head(i, end) {
                i += 1;
                continue;
            }
            let mut run = Run {
                tokens: vec![i],
                acronym: None,
                inner: None,
            };
            let mut k = i + 1;
            while k < end {
                if self.extends_run(&run, k, end) {
                    run.tokens.push(k);
                    k += 1;
                } else if self.number_sign_at(&run, k, end) || self.saint_abbreviation_at(&run, k, end) {
                    run.tokens.extend([k, k + 1]);
                    k += 2;
                } else if let Some((acr, span, after)) = self.acronym_at(k, end) {
                    let of_like = after < end && matches!(self.lower(after), "of" | "de" | "du" | "des" | "d'" | "del");
                    let continues = after + 1 < end && of_like && self.is_name_word(after + 1) && self.head_seen(&run);
                    if continues && run.inner.is_none() {
                        run.inner = Some(((k, after), (acr, span)));
                        k = after;
                    } else {
                        run.acronym = Some((acr, span));
                        break;
                    }
                } else if self.lang == "en"
                    && !self.head_seen(&run)
                    && self.text.tokens[k].kind == TokenKind::Word
                    && self.head_of(k).is_some()
                    && !self.only_nationality(&run.tokens)
                {
                    run.tokens.push(k);
                    k += 1;
                    break;
                } else {
                    break;
                }
            }
            i = k.max(i + 1);
            runs.push(run);
        }
        runs
    }

    /// "Hospital No. 20", "Klinikum Nr. 3": the period of an abbreviated
    /// number sign, followed by the number, after a head.
    fn number_sign_at(&self, run: &Run, k: usize, end: usize) -> bool {
        let last = *run.tokens.last().expect("a run has a token");
        self.is_punct(k, '.')
            && matches!(self.lower(last), "no" | "nr" | "n°")
            && k + 1 < end
            && self.text.tokens[k + 1].kind == TokenKind::Number
            && self.head_seen(run)
    }

    /// "hôpital", "ministerio": a lower-case head of a kind that names institutions, in French or Spanish.
    fn is_lowercase_head(&self, i: usize) -> bool {
        matches!(self.lang, "fr" | "es")
            && self.text.tokens[i].kind == TokenKind::Word
            && self.text.first_char(i).is_lowercase()
            && self.head_of(i).is_some_and(|k| k != OrgKind::Other)
    }

    /// "hôpital de Gongli", "ministère de la Santé", "gobierno municipal de
    /// Valdivia": in French and Spanish a name may start with a lower-case
    /// head, when lower-case adjectives and "de" lead to a capitalised word.
    fn opens_lowercase_head(&self, i: usize, end: usize) -> bool {
        if !self.is_lowercase_head(i) {
            return false;
        }
        let mut k = i + 1;
        while k < end && k < i + 3 && self.text.tokens[k].kind == TokenKind::Word && self.res.is_inner_word(self.lower(k)) {
            k += 1;
        }
        while k < end && k < i + 6 && matches!(self.lower(k), "de" | "du" | "des" | "del" | "d'" | "la" | "l'") {
            k += 1;
        }
        k > i + 1 && k < end && self.text.is_capitalized(k) && !self.res.months.contains_key(self.lower(k))
    }

    /// "St. Josef Hospital": the period of "St." followed by a capitalised name.
    fn saint_abbreviation_at(&self, run: &Run, k: usize, end: usize) -> bool {
        let last = *run.tokens.last().expect("a run has a token");
        self.is_punct(k, '.') && matches!(self.lower(last), "st" | "ste") && k + 1 < end && self.is_name_word(k + 1)
    }

    fn opens_quoted_name(&self, i: usize, end: usize) -> bool {
        if !self.is_punct(i, '"') || i + 1 >= end || !self.is_name_word(i + 1) {
            return false;
        }
        let close = (i + 1..end).find(|&k| self.is_punct(k, '"'));
        close.is_some_and(|c| c + 1 < end && self.text.is_capitalized(c + 1))
    }

    /// "Chinese hospitals", "TCM center": country words or acronyms before a
    /// lower-case head describe institutions, they do not name one.
    fn only_nationality(&self, toks: &[usize]) -> bool {
        toks.iter().all(|&t| {
            self.text.tokens[t].kind != TokenKind::Word
                || self.text.is_all_caps(t)
                || self.res.countries.exact(self.text, self.text.tokens[t].span).is_some()
        })
    }

    /// A job title inside a run ("Yashoda Head of Administration"): a person's
    /// title is an edge of an institution's name, unless a head follows it
    /// ("Executive Council").
    fn is_title_edge(&self, t: usize) -> bool {
        let next_is_head = t + 1 < self.text.tokens.len() && self.head_of(t + 1).is_some();
        let title = self.res.title_of_word(self.lower(t)) == Some(TitleKind::Role) || self.starts_title_phrase(t);
        self.text.is_capitalized(t) && self.head_of(t).is_none() && !next_is_head && title
    }

    /// The first word of a title of several words ("Vice" of "Vice Chancellor").
    fn starts_title_phrase(&self, t: usize) -> bool {
        let start = self.text.tokens[t].span.start;
        let last = self.text.tokens[(t + 3).min(self.text.tokens.len() - 1)].span.end;
        self.res
            .title_phrases
            .find_in(self.text, Span::new(start, last.max(self.text.tokens[t].span.end)))
            .iter()
            .any(|h| h.span.start == start && h.span.end > self.text.tokens[t].span.end && *h.value == TitleKind::Role)
    }

    fn head_seen(&self, run: &Run) -> bool {
        run.tokens.iter().any(|&t| self.head_of(t).is_some())
    }

    /// Turns a run into zero or more name mentions.
    fn names_of_run(&self, run: &Run, out: &mut Vec<NameMention>) {
        let mut segments: Vec<Vec<usize>> = vec![Vec::new()];
        for &t in &run.tokens {
            let w = self.lower(t);
            let is_word = self.text.tokens[t].kind == TokenKind::Word;
            let current = segments.last().expect("segment");
            let event_after_head = self.res.is_event_word(w) && current.iter().any(|&x| x != usize::MAX && self.head_of(x).is_some());
            if is_word && (event_after_head || self.res.is_dept_word(w) || self.is_action_word(t) || self.is_title_edge(t)) {
                let dept = self.res.is_dept_word(w);
                segments.push(Vec::new());
                if dept {
                    segments.last_mut().expect("segment").push(usize::MAX);
                }
                continue;
            }
            segments.last_mut().expect("segment").push(t);
        }
        let last_segment = segments.len() - 1;
        for (n, seg) in segments.into_iter().enumerate() {
            let after_dept = seg.first() == Some(&usize::MAX);
            let mut seg: Vec<usize> = seg.into_iter().filter(|&t| t != usize::MAX).collect();
            if after_dept {
                seg = self.skip_department_complement(&seg);
            }
            let acronym = if n == last_segment { run.acronym.clone() } else { None };
            self.split_conjunctions(&seg, acronym, run.inner.clone(), out);
        }
    }

    /// After "Department", "of Urology of X Hospital" keeps "X Hospital".
    fn skip_department_complement(&self, seg: &[usize]) -> Vec<usize> {
        if seg.is_empty() || !matches!(self.lower(seg[0]), "of" | "de" | "du" | "des" | "für") {
            return seg.to_vec();
        }
        let next_of = seg
            .iter()
            .skip(1)
            .position(|&t| matches!(self.lower(t), "of" | "at" | "in" | "de" | "du"));
        let first_part_end = next_of.map_or(seg.len(), |p| p + 1);
        let first_part_has_head = seg[1..first_part_end].iter().any(|&t| self.head_of(t).is_some());
        if first_part_has_head {
            seg.to_vec()
        } else {
            next_of.map_or_else(Vec::new, |p| seg[p + 2..].to_vec())
        }
    }

    fn split_conjunctions(&self, seg: &[usize], acronym: Option<(String, Span)>, inner: Inner, out: &mut Vec<NameMention>) {
        for (k, &t) in seg.iter().enumerate() {
            let w = self.lower(t);
            if !matches!(w, "and" | "et" | "y" | "und") || k == 0 {
                continue;
            }
            let (left, right) = (&seg[..k], &seg[k + 1..]);
            let left_named = left.iter().any(|&x| self.head_of(x).is_some()) || (left.len() == 1 && self.text.is_all_caps(left[0]));
            let plural_head = left
                .last()
                .is_some_and(|&x| self.head_of(x).is_some() && self.lower(x).ends_with('s'));
            if self.starts_fresh_name(right) && left_named && !plural_head {
                if inner.as_ref().is_some_and(|((a, _), _)| *a < t) {
                    self.name_of_tokens(left, None, inner, out);
                    self.split_conjunctions(right, acronym, None, out);
                } else {
                    self.name_of_tokens(left, None, None, out);
                    self.split_conjunctions(right, acronym, inner, out);
                }
                return;
            }
        }
        self.name_of_tokens(seg, acronym, inner, out);
    }

    /// True when the tokens begin a new name: words then a head, no connector before it.
    fn starts_fresh_name(&self, all: &[usize]) -> bool {
        let toks = self.trim_lead(all);
        let Some(h) = toks.iter().position(|&t| self.head_of(t).is_some()) else {
            return false;
        };
        let article = all
            .first()
            .is_some_and(|&t| matches!(self.lower(t), "the" | "l'" | "le" | "la" | "el" | "der" | "die" | "das"));
        let head_first_language = self.lang != "en";
        if h == 0 && !(toks.len() >= 2 && (self.head_of(toks[1]).is_some() || article || head_first_language)) {
            return false;
        }
        toks[..h].iter().all(|&t| !self.is_connector(t) || self.lower(t) == "the")
    }

    fn trim_lead<'t>(&self, mut toks: &'t [usize]) -> &'t [usize] {
        while let Some(&t) = toks.first() {
            let w = self.lower(t);
            let w = w.trim_end_matches('.');
            let lowercase =
                self.text.tokens[t].kind == TokenKind::Word && self.text.first_char(t).is_lowercase() && !self.is_lowercase_head(t);
            let drop = self.is_connector(t)
                || lowercase
                || self.res.lead_words.contains(w)
                || self.text.tokens[t].kind == TokenKind::Punct
                || self.res.months.contains_key(w)
                || self.res.weekdays.contains_key(w)
                || self
                    .res
                    .titles
                    .get(w)
                    .is_some_and(|k| *k != TitleKind::Postnominal && self.head_of(t).is_none())
                || (self.lower(t) == "the");
            if !drop {
                break;
            }
            toks = &toks[1..];
        }
        while let Some(&t) = toks.last() {
            if self.is_connector(t) || self.text.tokens[t].kind == TokenKind::Punct || self.lower(t) == "the" {
                toks = &toks[..toks.len() - 1];
            } else {
                break;
            }
        }
        toks
    }

    fn name_of_tokens(&self, toks: &[usize], acronym: Option<(String, Span)>, inner: Inner, out: &mut Vec<NameMention>) {
        let paren = inner.as_ref().map(|(r, _)| *r);
        let toks = self.drop_descriptor_head(self.drop_owner_prefix(self.possessed(self.trim_lead(toks))));
        let toks = self.trim_lead(self.cut_trailing_conjunction(toks));
        if toks.is_empty() || self.is_reference_tail(toks) || self.only_heads_and_connectors(toks) || self.followed_by_year(toks, &acronym)
        {
            return;
        }
        let heads: Vec<usize> = toks
            .iter()
            .enumerate()
            .filter(|(_, &t)| self.head_of(t).is_some())
            .map(|(k, _)| k)
            .collect();
        let Some(&first_head) = heads.first() else {
            return;
        };
        let single = toks.len() == 1;
        let bare_head = self.res.head_words.contains_key(self.lower(toks[0]));
        if single
            && (bare_head
                || (!self.text.is_all_caps(toks[0]) && !self.lower(toks[0]).contains('-') && !is_german_compound(self.lower(toks[0]))))
        {
            return;
        }
        let core_end = self.government_suffix(toks, first_head);
        let principal = heads
            .iter()
            .rev()
            .map(|&k| toks[k])
            .find(|&t| toks[..core_end].contains(&t))
            .unwrap_or(toks[heads[0]]);
        let kind = self.head_of(principal).unwrap_or(OrgKind::Other);
        let mut name = self.join(toks, paren);
        let mut span = Span::new(
            self.text.tokens[toks[0]].span.start,
            self.text.tokens[*toks.last().expect("non-empty")].span.end,
        );
        if let Some(stripped) = possessive_stripped(&name) {
            name = stripped;
            span.end -= 2;
        }
        let core = (core_end < toks.len()).then(|| self.join(&toks[..core_end], paren));
        let literal = paren.map(|_| self.text.original_slice(span));
        let acronym_form = inner.as_ref().map(|((_, after), (acr, _))| {
            let rest: Vec<usize> = toks.iter().copied().filter(|t| t >= after).collect();
            format!("{acr} {}", self.join(&rest, None))
        });
        let acronym = acronym.or_else(|| inner.map(|(_, a)| a));
        let head = self.lower(principal).trim_end_matches("'s").replace("centre", "center");
        let forms = acronym_form.into_iter().chain(literal).collect();
        out.push(NameMention {
            span,
            name,
            acronym,
            core,
            forms,
            kind,
            head,
        });
    }

    /// "Party Secretary of X Hospital", "LI Ming of X Hospital", "International
    /// Exchange Center of X University": what precedes "of" names a role, a
    /// person or a unit, and the institution is what follows.
    fn drop_owner_prefix<'t>(&self, toks: &'t [usize]) -> &'t [usize] {
        let Some(of) = toks.iter().position(|&t| matches!(self.lower(t), "of" | "at")) else {
            return toks;
        };
        let (left, right) = (&toks[..of], self.trim_lead(&toks[of + 1..]));
        let right_complete = right.iter().any(|&t| self.head_of(t).is_some()) && right.iter().any(|&t| self.is_proper_word(t))
            || (right.len() == 1 && self.text.is_all_caps(right[0]));
        if !right_complete {
            return toks;
        }
        let left_has_head = left.iter().any(|&t| self.head_of(t).is_some());
        let left_unit = left.iter().all(|&t| !self.is_proper_word(t))
            && left
                .iter()
                .filter_map(|&t| self.head_of(t))
                .all(|k| matches!(k, OrgKind::Other | OrgKind::ResearchInstitute));
        if !left_has_head || left_unit {
            return right;
        }
        toks
    }

    /// "Peru's Lima Heart Institute" → "Lima Heart Institute"; "X Centre's
    /// Sister Institution" → "X Centre": the possessive of a country, place or
    /// institution inside a name separates the owner from what it owns; the
    /// owned part is kept when it is itself a name.
    fn possessed<'t>(&self, toks: &'t [usize]) -> &'t [usize] {
        let Some(k) = toks[..toks.len().saturating_sub(1)]
            .iter()
            .position(|&t| self.text.tokens[t].kind == TokenKind::Word && self.lower(t).ends_with("'s"))
        else {
            return toks;
        };
        if k > 0 && self.lower(toks[k - 1]) == "the" {
            // "of the People's Republic": a possessive after an article belongs to a fixed name.
            return toks;
        }
        let (owner, owned) = (&toks[..=k], &toks[k + 1..]);
        let owned_named = owned.iter().any(|&t| self.is_proper_word(t)) && owned.iter().any(|&t| self.head_of(t).is_some());
        let owner_is_place = owner.iter().all(|&t| {
            let span = self.text.tokens[t].span;
            let word = self.lower(t).trim_end_matches("'s");
            self.text.tokens[t].kind != TokenKind::Word
                || self.res.countries.exact(self.text, span).is_some()
                || self.res.places.exact(self.text, span).is_some()
                || self.res.countries.exact_str(word)
                || self.is_connector(t)
        });
        let owner_is_institution = owner.iter().any(|&t| self.head_of(t).is_some());
        match (owner_is_place, owner_is_institution) {
            (true, _) => owned,
            (false, true) if owned_named => owned,
            (false, true) => owner,
            // "People's Hospital", "Children's Hospital": a common noun's possessive belongs to the name.
            (false, false) => toks,
        }
    }

    /// "Krankenhaus Bugando Medical Center", "Krankenhausverbund Nord
    /// Kliniken": a head word that only describes the name after it, which
    /// has a head of its own, is not part of the name.
    fn drop_descriptor_head<'t>(&self, toks: &'t [usize]) -> &'t [usize] {
        let describes = toks.len() >= 3
            && matches!(self.lang, "de" | "en")
            && self.head_of(toks[0]).is_some()
            && self.is_proper_word(toks[1])
            && toks[2..].iter().any(|&t| self.head_of(t).is_some())
            && !toks[1..].iter().any(|&t| self.is_connector(t));
        if describes {
            &toks[1..]
        } else {
            toks
        }
    }

    /// A capitalised word that is neither a head nor a generic qualifier.
    fn is_proper_word(&self, t: usize) -> bool {
        let w = self.lower(t);
        self.text.tokens[t].kind == TokenKind::Word
            && self.head_of(t).is_none()
            && !self.is_connector(t)
            && !GENERIC.contains(&w)
            && (self.text.is_capitalized(t) || self.text.is_all_caps(t))
    }

    /// "Committee of the Fund": a unit of an institution named by reference.
    fn is_reference_tail(&self, toks: &[usize]) -> bool {
        let n = toks.len();
        n >= 3 && self.head_of(toks[n - 1]).is_some() && self.lower(toks[n - 2]) == "the" && matches!(self.lower(toks[n - 3]), "of" | "at")
    }

    fn only_heads_and_connectors(&self, toks: &[usize]) -> bool {
        let connectors = toks.iter().any(|&t| self.is_connector(t));
        connectors
            && toks
                .iter()
                .all(|&t| self.head_of(t).is_some() || self.is_connector(t) || self.lower(t) == "the")
    }

    /// "Medical Tourism Expo (MTE) 2018": a name followed by a year is an event's.
    fn followed_by_year(&self, toks: &[usize], acronym: &Option<(String, Span)>) -> bool {
        let last = *toks.last().expect("non-empty");
        let mut next = last + 1;
        if let Some((_, span)) = acronym {
            next = self.text.token_at_or_after(span.end) + 1;
        }
        self.text
            .tokens
            .get(next)
            .is_some_and(|t| t.kind == TokenKind::Number && t.span.len() == 4)
    }

    /// Cuts "X Centre and Dr Victor" after the last head, unless the
    /// conjunction sits inside an "of"/"for" complement.
    fn cut_trailing_conjunction<'t>(&self, toks: &'t [usize]) -> &'t [usize] {
        let Some(last_head) = toks.iter().rposition(|&t| self.head_of(t).is_some()) else {
            return toks;
        };
        for k in last_head + 1..toks.len() {
            let w = self.lower(toks[k]);
            if matches!(w, "of" | "for" | "de" | "du" | "des" | "für") {
                return toks;
            }
            if matches!(w, "and" | "et" | "y" | "und") {
                return &toks[..k];
            }
        }
        toks
    }

    /// Index where a trailing "of the Ministry of Health …" starts, else the length.
    fn government_suffix(&self, toks: &[usize], first_head: usize) -> usize {
        for k in first_head + 1..toks.len().saturating_sub(1) {
            if matches!(self.lower(toks[k]), "of" | "de" | "du") {
                let next = toks[k + 1..].iter().find(|&&t| self.lower(t) != "the").copied();
                if next.is_some_and(|t| matches!(self.head_of(t), Some(OrgKind::Government))) {
                    return k;
                }
            }
        }
        toks.len()
    }

    /// The name text of tokens, with their original spacing, skipping a parenthesis.
    fn join(&self, toks: &[usize], paren: Option<(usize, usize)>) -> String {
        let mut s = String::new();
        let mut prev: Option<usize> = None;
        for &t in toks {
            if paren.is_some_and(|(a, b)| t >= a && t < b) {
                continue;
            }
            if let Some(p) = prev {
                let gap = self.text.tokens[t].space_before || p + 1 != t;
                if gap {
                    s.push(' ');
                }
            }
            s.push_str(&self.text.original_slice(self.text.tokens[t].span));
            prev = Some(t);
        }
        s.trim_matches('"').trim().to_string()
    }
}

struct Run {
    tokens: Vec<usize>,
    acronym: Option<(String, Span)>,
    inner: Inner,
}

/// An acronym inside a name, "(CHU)" of "Centre hospitalier universitaire (CHU)
/// de Djibouti": the parenthesis's tokens and the acronym.
type Inner = Option<((usize, usize), (String, Span))>;

/// The name without a final possessive "'s" (or "’s"), when it has one.
fn possessive_stripped(name: &str) -> Option<String> {
    name.strip_suffix("'s").or_else(|| name.strip_suffix("’s")).map(str::to_string)
}

/// A German compound ending in a head ("Universitätsklinikum").
fn is_german_compound(w: &str) -> bool {
    [
        "klinikum",
        "krankenhaus",
        "universität",
        "klinik",
        "zentrum",
        "institut",
        "ministerium",
        "stiftung",
        "gesellschaft",
    ]
    .iter()
    .any(|s| w.ends_with(s) && w.chars().count() > s.chars().count() + 2)
}

/// Upper-case words of two to ten characters, like "ICMR", "KfW", "CHU-B".
pub fn is_acronym_shape(s: &str) -> bool {
    let mut chars = s.chars();
    if !chars.next().is_some_and(char::is_uppercase) || !chars.any(char::is_uppercase) {
        return false;
    }
    let n = s.chars().count();
    if !(2..=10).contains(&n) || s.contains(' ') {
        return false;
    }
    let letters: Vec<char> = s.chars().filter(|c| c.is_alphabetic()).collect();
    let upper = letters.iter().filter(|c| c.is_uppercase()).count();
    let first_ok = s.chars().next().is_some_and(|c| c.is_uppercase());
    first_ok && upper >= 2 && upper * 10 >= letters.len() * 6 && s.chars().all(|c| c.is_alphanumeric() || c == '-' || c == '&')
}

/// Finds the institutions of a document; the spans of people found at the
/// end of a name (and cut from it) are added to `person_hints`.
pub fn find_orgs(
    text: &Text,
    res: &Resources,
    lang: &str,
    seg: &crate::segment::Segmentation,
    skip: &dyn Fn(usize) -> bool,
    person_hints: &mut Vec<Span>,
) -> Vec<Org> {
    let mut grammar = Grammar {
        text,
        res,
        lang,
        heads: Vec::new(),
    };
    grammar.heads = (0..text.tokens.len()).map(|i| grammar.compute_head(i)).collect();
    let mut names = Vec::new();
    for s in &text.sentences {
        if skip(s.span.start) {
            continue;
        }
        for run in grammar.runs(s.first_token, s.end_token) {
            grammar.names_of_run(&run, &mut names);
        }
    }
    let mut names: Vec<NameMention> = names.into_iter().flat_map(|m| split_plural_head(text, res, m)).collect();
    names.extend(find_reversed_acronyms(&grammar, skip));
    names.extend(crate::orgs_cjk::find_cyrillic_names(text, res, skip));
    names.extend(crate::orgs_cjk::find_quoted_cyrillic_names(text, res, skip));
    names.extend(crate::orgs_cjk::find_han_names(text, res, seg, skip));
    person_hints.extend(crate::settle::cut_person_tails(text, res, &mut names));
    let mut orgs = cluster(res, names);
    drop_concatenations(&mut orgs);
    link_acronyms(text, res, &mut orgs, skip);
    orgs.sort_by_key(Org::first);
    orgs
}

/// The singular of a plural name word, when it is one: "Centres" → "Centre",
/// "hospitaliers" → "hospitalier", "Hôpitaux" → "Hôpital", "Universities" → "University".
fn singular(word: &str) -> Option<String> {
    let lower = word.to_lowercase();
    if lower.chars().count() <= 3 {
        return None;
    }
    if let Some(stem) = word.strip_suffix("aux") {
        return Some(format!("{stem}al"));
    }
    if let Some(stem) = word.strip_suffix("ies") {
        return Some(format!("{stem}y"));
    }
    word.strip_suffix('s').map(str::to_string)
}

/// "Les Centres hospitaliers universitaires Ibn Rochd de Tanger et Valmont",
/// "the Universities of Dakar and Bamako": a plural head shared by two
/// institutions becomes two names, each with the singular head. Both keep
/// the text they were read from as another form.
fn split_plural_head(text: &Text, res: &Resources, m: NameMention) -> Vec<NameMention> {
    let first = text.token_at_or_after(m.span.start);
    let toks: Vec<usize> = (first..text.tokens.len())
        .take_while(|&k| text.tokens[k].span.end <= m.span.end)
        .collect();
    let words: Vec<String> = toks.iter().map(|&k| text.tok(k)).collect();
    let Some(and) = words.iter().rposition(|w| matches!(w.as_str(), "et" | "and" | "y" | "und")) else {
        return vec![m];
    };
    let tail = &words[and + 1..];
    let is_head = |w: &String| res.head_kind(&w.to_lowercase()).is_some();
    let head_singular = words.first().and_then(|w| {
        let plain = singular(w).filter(is_head);
        plain.or_else(|| w.strip_suffix("es").map(str::to_string).filter(is_head))
    });
    let (Some(head), true) = (head_singular, and >= 2 && (1..=2).contains(&tail.len())) else {
        return vec![m];
    };
    if !tail.iter().all(|w| w.chars().next().is_some_and(char::is_uppercase)) {
        return vec![m];
    }
    // The head phrase: the plural head and the plural adjectives after it.
    let mut phrase = vec![head];
    let mut k = 1;
    while k < and && !matches!(words[k].as_str(), "de" | "of" | "del" | "des") {
        match singular(&words[k]).filter(|_| words[k].ends_with(['s', 'x'])) {
            Some(one) => phrase.push(one),
            None => break,
        }
        k += 1;
    }
    let head_phrase = phrase.join(" ");
    let first_span = Span::new(m.span.start, text.tokens[toks[and - 1]].span.end);
    let member = text.original_slice(Span::new(text.tokens[toks[k]].span.start, first_span.end));
    let linker = words[k..and]
        .iter()
        .rev()
        .skip(1)
        .find(|w| matches!(w.as_str(), "de" | "of" | "del"))
        .cloned();
    let second_member = text.original_slice(Span::new(text.tokens[toks[and + 1]].span.start, m.span.end));
    let second_name = match linker {
        Some(l) => format!("{head_phrase} {l} {second_member}"),
        None => format!("{head_phrase} {second_member}"),
    };
    let whole = m.name.clone();
    vec![
        NameMention {
            span: first_span,
            name: format!("{head_phrase} {member}"),
            forms: vec![text.original_slice(first_span)],
            acronym: None,
            core: None,
            ..m.clone()
        },
        NameMention {
            name: second_name,
            forms: vec![whole],
            acronym: None,
            core: None,
            ..m
        },
    ]
}

/// "ABBR (Full Name)": the acronym comes first, its expansion in parentheses.
fn find_reversed_acronyms(g: &Grammar<'_>, skip: &dyn Fn(usize) -> bool) -> Vec<NameMention> {
    let toks = &g.text.tokens;
    let mut out = Vec::new();
    for i in 0..toks.len().saturating_sub(3) {
        if skip(toks[i].span.start) || !g.text.is_all_caps(i) || !g.is_punct(i + 1, '(') {
            continue;
        }
        let close = (i + 2..toks.len().min(i + 20)).find(|&k| g.is_punct(k, ')'));
        let Some(close) = close else { continue };
        let inner: Vec<usize> = (i + 2..close).collect();
        let mut found = Vec::new();
        g.name_of_tokens(&inner, None, None, &mut found);
        if let Some(mut m) = found.into_iter().next() {
            let acr = g.text.original_slice(toks[i].span);
            if initials_match(&acr, &m.name) {
                m.acronym = Some((acr, toks[i].span));
                out.push(m);
            }
        }
    }
    out
}

/// True when an acronym's letters are the initials of the name's words.
pub fn initials_match(acronym: &str, name: &str) -> bool {
    let acr: Vec<char> = acronym
        .chars()
        .filter(|c| c.is_alphanumeric())
        .flat_map(char::to_lowercase)
        .collect();
    let words: Vec<String> = name
        .split(|c: char| c.is_whitespace() || c == '-' || c == '&')
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
        .collect();
    let strict: String = words
        .iter()
        .filter(|w| {
            !matches!(
                w.as_str(),
                "of" | "the" | "for" | "and" | "de" | "du" | "des" | "la" | "le" | "et" | "y" | "del" | "für" | "und" | "der" | "и"
            )
        })
        .filter_map(|w| w.chars().next())
        .collect();
    let loose: String = words.iter().filter_map(|w| w.chars().next()).collect();
    let a: String = acr.iter().collect();
    a.len() >= 2 && (strict == a || loose == a || (a.len() >= 3 && strict.starts_with(&a)))
}

/// Groups name mentions into institutions: equal names, short forms of a
/// longer name with the same head, and acronyms.
/// Longest institution name taken: a longer "name" is a run of capitalised
/// text (a heading, a list), not an institution.
const MAX_NAME_CHARS: usize = 250;

fn cluster(res: &Resources, mut names: Vec<NameMention>) -> Vec<Org> {
    names.sort_by_key(|n| (n.span.start, std::cmp::Reverse(n.span.end)));
    names.dedup_by(|b, a| a.span.contains(&b.span) && a.span != b.span && name_key(&b.name) == name_key(&a.name));
    let mut orgs: Vec<Org> = Vec::new();
    let mut by_key: HashMap<String, usize> = HashMap::new();
    for n in &names {
        let key = name_key(&n.name);
        if key.is_empty() || n.name.chars().count() > MAX_NAME_CHARS {
            continue;
        }
        let idx = *by_key.entry(key).or_insert_with(|| {
            orgs.push(Org {
                name: n.name.clone(),
                aliases: Vec::new(),
                kind: n.kind,
                head: n.head.clone(),
                mentions: Vec::new(),
                country: None,
                city: None,
            });
            orgs.len() - 1
        });
        let org = &mut orgs[idx];
        org.mentions.push(n.span);
        for alias in std::iter::once(&n.name)
            .chain(n.core.iter())
            .chain(n.forms.iter())
            .chain(n.acronym.as_ref().map(|(a, _)| a))
        {
            if add_alias(org, alias) {
                by_key.entry(name_key(alias)).or_insert(idx);
            }
        }
        if let Some((_, span)) = &n.acronym {
            org.mentions.push(*span);
        }
    }
    merge_short_forms(res, orgs)
}

/// Adds a form of the name unless the org already lists it (case aside).
fn add_alias(org: &mut Org, alias: &str) -> bool {
    let alias = alias.trim();
    let known = org
        .all_names()
        .any(|a| a.len() == alias.len() && a.to_lowercase() == alias.to_lowercase());
    let added = !known && alias.chars().any(char::is_alphanumeric);
    if added {
        org.aliases.push(alias.to_string());
    }
    added
}

/// Words too common to make a short form distinctive on their own.
const GENERIC: &[&str] = &[
    "national",
    "international",
    "medical",
    "general",
    "central",
    "first",
    "second",
    "third",
    "people",
    "peoples",
    "state",
    "city",
    "municipal",
    "provincial",
    "regional",
    "clinical",
    "research",
    "university",
    "joint",
    "cancer",
    "health",
    "science",
    "sciences",
    "new",
    "exchange",
    "technology",
    "affairs",
    "education",
    "educational",
    "scientific",
    "management",
    "services",
    "service",
    "care",
    "public",
    "global",
    "main",
    "key",
    "academic",
    "reproductive",
    "translational",
    "medicine",
    "genetics",
    "information",
    "resources",
    "investment",
    "development",
    "cooperation",
    "training",
];

/// Most institutions a short form is compared with: beyond this many
/// sharing its rarest word, it is ambiguous anyway and stays as it is.
const MAX_SHORT_FORM_CANDIDATES: usize = 64;

/// "Lakeside Hospital" beside "Lakeside Cancer Hospital": a short form whose
/// words are all in exactly one longer name (with the same head) becomes its
/// alias. Candidates come from an index of distinctive words, so the cost
/// stays linear in the number of names.
fn merge_short_forms(res: &Resources, mut orgs: Vec<Org>) -> Vec<Org> {
    let words: Vec<Vec<String>> = orgs.iter().map(|o| core_words(res, o)).collect();
    let mut by_word: HashMap<&str, Vec<usize>> = HashMap::new();
    for (i, ws) in words.iter().enumerate() {
        for w in ws {
            by_word.entry(w.as_str()).or_default().push(i);
        }
    }
    let mut by_head: HashMap<&str, Vec<usize>> = HashMap::new();
    for (i, o) in orgs.iter().enumerate() {
        by_head.entry(o.head.as_str()).or_default().push(i);
    }
    let mut target: Vec<Option<usize>> = vec![None; orgs.len()];
    for a in 0..orgs.len() {
        if orgs[a].head.is_empty() || !words[a].iter().any(|w| *w != orgs[a].head && !GENERIC.contains(&w.as_str())) {
            continue;
        }
        let han = orgs[a].name.chars().all(is_cjk);
        let key_a = format!("{} and ", name_key(&orgs[a].name));
        let candidates: Vec<usize> = if han {
            by_head.get(orgs[a].head.as_str()).cloned().unwrap_or_default()
        } else {
            words[a]
                .iter()
                .filter_map(|w| by_word.get(w.as_str()))
                .min_by_key(|list| list.len())
                .cloned()
                .unwrap_or_default()
        };
        if candidates.len() > MAX_SHORT_FORM_CANDIDATES {
            continue;
        }
        let fits: Vec<usize> = candidates
            .into_iter()
            .filter(|&b| b != a && (orgs[b].head == orgs[a].head || name_key(&orgs[b].name).starts_with(&key_a)))
            .filter(|&b| {
                if name_key(&orgs[b].name).starts_with(&key_a) {
                    true
                } else if han {
                    orgs[b].name.len() > orgs[a].name.len() && orgs[b].name.contains(&orgs[a].name)
                } else {
                    words[b].len() > words[a].len() && words[a].iter().all(|w| words[b].contains(w))
                }
            })
            .collect();
        if fits.len() == 1
            || (fits.len() > 1
                && fits.iter().all(|&b| {
                    fits.iter()
                        .all(|&c| b == c || words[b].iter().all(|w| words[c].contains(w)) || words[c].iter().all(|w| words[b].contains(w)))
                }))
        {
            target[a] = fits.iter().copied().max_by_key(|&b| words[b].len());
        }
    }
    for a in 0..orgs.len() {
        if let Some(b) = target[a] {
            let b = follow(&target, b);
            let moved = std::mem::take(&mut orgs[a].mentions);
            let names: Vec<String> = orgs[a].all_names().cloned().collect();
            orgs[b].mentions.extend(moved);
            for n in names {
                add_alias(&mut orgs[b], &n);
            }
        }
    }
    orgs.into_iter().filter(|o| !o.mentions.is_empty()).collect()
}

fn follow(target: &[Option<usize>], mut b: usize) -> usize {
    let mut steps = 0;
    while let Some(next) = target[b] {
        b = next;
        steps += 1;
        if steps > target.len() {
            break;
        }
    }
    b
}

/// Content words of an institution's name (its aliases are other forms, not more words).
fn core_words(res: &Resources, org: &Org) -> Vec<String> {
    let mut all: Vec<String> = Vec::new();
    for w in content_words(res, &org.name) {
        if !all.contains(&w) {
            all.push(w);
        }
    }
    all
}

/// Drops a name that is only two other names written side by side, found
/// by splitting each name at its word boundaries and looking both halves up.
fn drop_concatenations(orgs: &mut Vec<Org>) {
    let mut owners: HashMap<String, Vec<usize>> = HashMap::new();
    for (i, o) in orgs.iter().enumerate() {
        for n in o.all_names() {
            owners.entry(name_key(n)).or_default().push(i);
        }
    }
    let named_by_other = |key: &str, i: usize| owners.get(key).is_some_and(|v| v.iter().any(|&o| o != i));
    let drop: Vec<bool> = orgs
        .iter()
        .enumerate()
        .map(|(i, o)| {
            let k = name_key(&o.name);
            k.match_indices(' ')
                .any(|(at, _)| named_by_other(&k[..at], i) && named_by_other(&k[at + 1..], i))
        })
        .collect();
    let mut idx = 0;
    orgs.retain(|_| {
        idx += 1;
        !drop[idx - 1]
    });
}

/// Ties every standalone acronym to its institution, and makes institutions
/// of undefined acronyms that the text uses as actors.
fn link_acronyms(text: &Text, res: &Resources, orgs: &mut Vec<Org>, skip: &dyn Fn(usize) -> bool) {
    let mut undefined: HashMap<String, Vec<Span>> = HashMap::new();
    let mut order: Vec<String> = Vec::new();
    for (i, t) in text.tokens.iter().enumerate() {
        if t.kind != TokenKind::Word || skip(t.span.start) {
            continue;
        }
        let word = text.original_slice(t.span);
        let (bare, span) = match word.strip_suffix("'s").or_else(|| word.strip_suffix("’s")) {
            Some(b) => (b.to_string(), Span::new(t.span.start, t.span.start + b.chars().count())),
            None => (word.clone(), t.span),
        };
        if !is_acronym_shape(&bare) || res.acronym_stop.contains(&bare.to_uppercase()) {
            continue;
        }
        let surname = res.surnames.contains(&bare.to_lowercase())
            && (text
                .tokens
                .get(i + 1)
                .is_some_and(|_| text.is_capitalized(i + 1) && !text.is_all_caps(i + 1))
                || (i > 0 && text.is_capitalized(i - 1) && !text.is_all_caps(i - 1)));
        if surname {
            continue;
        }
        if let Some(org) = orgs.iter_mut().find(|o| o.all_names().any(|n| *n == bare)) {
            if !org.mentions.iter().any(|m| m.overlaps(&span)) {
                org.mentions.push(span);
            }
            continue;
        }
        let inside_name = orgs.iter().any(|o| o.mentions.iter().any(|m| m.contains(&span)));
        if inside_name || in_caps_heading(text, i) || is_place_or_country(text, res, span) {
            continue;
        }
        if !undefined.contains_key(&bare) {
            order.push(bare.clone());
        }
        undefined.entry(bare).or_default().push(span);
    }
    for acr in order {
        let spans = &undefined[&acr];
        if let Some(org) = orgs.iter_mut().find(|o| !o.head.is_empty() && initials_match(&acr, &o.name)) {
            org.aliases.push(acr.clone());
            org.mentions.extend(spans.iter().copied());
            continue;
        }
        if spans.len() >= 2 {
            orgs.push(Org {
                name: acr.clone(),
                aliases: Vec::new(),
                kind: OrgKind::Other,
                head: String::new(),
                mentions: spans.clone(),
                country: None,
                city: None,
            });
        }
    }
}

fn in_caps_heading(text: &Text, i: usize) -> bool {
    let Some(s) = text.sentence_of(text.tokens[i].span.start) else {
        return false;
    };
    let s = text.sentences[s];
    let words: Vec<usize> = (s.first_token..s.end_token)
        .filter(|&k| text.tokens[k].kind == TokenKind::Word)
        .collect();
    let caps = words.iter().filter(|&&k| text.is_all_caps(k)).count();
    words.len() >= 3 && caps * 2 > words.len()
}

fn is_place_or_country(text: &Text, res: &Resources, span: Span) -> bool {
    res.places.exact(text, span).is_some() || res.countries.exact(text, span).is_some()
}

/// True for characters that can belong to a Latin or Cyrillic word.
pub fn is_letter(c: char) -> bool {
    c.is_alphabetic() && !is_cjk(c)
}

/// True when the word is written in Cyrillic.
pub fn is_cyrillic_word(text: &Text, i: usize) -> bool {
    text.tokens[i].kind == TokenKind::Word && is_cyrillic(text.chars[text.tokens[i].span.start])
}

#[cfg(test)]
mod tests {
    use super::*;

    fn orgs(s: &str, lang: &str) -> Vec<(String, Vec<String>)> {
        let res = Resources::get();
        let t = Text::new(s, &|w| res.is_abbreviation(w));
        find_orgs(&t, res, lang, &crate::segment::Segmentation::of(&t), &|_| false, &mut Vec::new())
            .into_iter()
            .map(|o| (o.name, o.aliases))
            .collect()
    }

    fn names(s: &str, lang: &str) -> Vec<String> {
        orgs(s, lang).into_iter().map(|(n, _)| n).collect()
    }

    #[test]
    fn finds_names_by_their_heads() {
        assert_eq!(
            names(
                "Mei Zhou, Secretary-General of Eastern Rehabilitation Association, met the Vice President of Lakeside Cancer Hospital.",
                "en"
            ),
            ["Eastern Rehabilitation Association", "Lakeside Cancer Hospital"]
        );
    }

    #[test]
    fn a_plural_head_shared_by_two_names_makes_two_institutions() {
        let sorted = |s: &str, lang: &str| {
            let mut n = names(s, lang);
            n.sort();
            n
        };
        assert_eq!(
            sorted(
                "Les Centres hospitaliers universitaires Ibn Rochd de Tanger et Valmont ont signé une convention.",
                "fr"
            ),
            [
                "Centre hospitalier universitaire Ibn Rochd de Tanger",
                "Centre hospitalier universitaire de Valmont"
            ]
        );
        assert_eq!(
            sorted(
                "Los Hospitales Universitarios San Rafael de Cuenca y Almeria firmaron un convenio.",
                "es"
            ),
            ["Hospital Universitario San Rafael de Cuenca", "Hospital Universitario de Almeria"]
        );
    }

    #[test]
    fn numbered_hospitals_keep_their_number() {
        assert_eq!(
            names("The delegation visited Tomsk City Clinical Hospital No. 20 on Monday.", "en"),
            ["Tomsk City Clinical Hospital No. 20"]
        );
    }

    #[test]
    fn defines_acronyms_in_both_directions() {
        let o = orgs(
            "The Northbridge University Hospital (NUH) and CRI (Coastal Research Institute) met. NUH signed.",
            "en",
        );
        assert_eq!(o[0], ("Northbridge University Hospital".to_string(), vec!["NUH".to_string()]));
        assert_eq!(o[1], ("Coastal Research Institute".to_string(), vec!["CRI".to_string()]));
    }

    #[test]
    fn splits_coordinated_names_but_not_inner_conjunctions() {
        assert_eq!(
            names("It was founded by Alpha Cancer Institute & Hospital and The Second Hospital of Rivertown Medical University for Cancer Prevention and Treatment.", "en"),
            ["Alpha Cancer Institute & Hospital", "Second Hospital of Rivertown Medical University for Cancer Prevention and Treatment"]
        );
    }

    #[test]
    fn departments_and_events_are_not_institutions() {
        assert_eq!(
            names(
                "Dr. Li of the Department of Urology of Greenfield Hospital spoke at the National Oncology Congress.",
                "en"
            ),
            ["Greenfield Hospital"]
        );
        assert_eq!(
            names("The Culture Department of the Italian Consulate-General Chengdu attended.", "en"),
            ["Italian Consulate-General Chengdu"]
        );
    }

    #[test]
    fn short_forms_join_the_full_name() {
        let o = orgs("The Smirnov National Medical Research Center for Cardiology, Neurology and Rehabilitation of the Ministry of Health of Russia hosted the talks. The Smirnov Center thanked them.", "en");
        assert_eq!(o.len(), 1);
        assert!(o[0].0.ends_with("Ministry of Health of Russia"), "{:?}", o);
        assert!(o[0].1.contains(&"Smirnov Center".to_string()), "{:?}", o);
    }

    #[test]
    fn french_names_keep_inner_acronyms_and_adjectives() {
        let o = orgs(
            "Le Centre hospitalier universitaire (CHU) de Tadjourah et l'Université Gaston Berger de Saint-Louis (UGB) ont signé.",
            "fr",
        );
        assert_eq!(o[0].0, "Centre hospitalier universitaire de Tadjourah");
        assert!(o[0].1.contains(&"CHU de Tadjourah".to_string()));
        assert_eq!(
            o[1],
            ("Université Gaston Berger de Saint-Louis".to_string(), vec!["UGB".to_string()])
        );
    }

    #[test]
    fn undefined_acronyms_used_twice_become_institutions() {
        let o = names(
            "KMC welcomed guests. Later KMC signed the deal with Harbour Medical Centre (HMC).",
            "en",
        );
        assert_eq!(o, ["KMC", "Harbour Medical Centre"]);
    }

    #[test]
    fn possessives_separate_owners_from_what_they_own() {
        assert_eq!(
            names("A delegation visited Chile's Harbour Heart Institute last week.", "en"),
            ["Harbour Heart Institute"]
        );
        assert_eq!(
            names("It became the Kestrel Cancer Center's Sister Institution.", "en"),
            ["Kestrel Cancer Center"]
        );
        assert_eq!(
            names("Staff of Dunmore Children's Hospital came.", "en"),
            ["Dunmore Children's Hospital"]
        );
    }

    #[test]
    fn nationalities_with_a_lower_case_head_and_titles_name_no_institution() {
        assert!(names("They met with Chinese hospitals and a Turkish company.", "en").is_empty());
        assert_eq!(
            names("The Brightwater Clinic CEO spoke at the Westford Head of Surgery meeting.", "en"),
            ["Brightwater Clinic"]
        );
    }

    #[test]
    fn german_names_keep_saints_and_namesakes_and_drop_describing_heads() {
        assert_eq!(
            names("Sie arbeiteten im St. Anna und St. Paulus Hospital mehrere Monate.", "de"),
            ["St. Anna und St. Paulus Hospital"]
        );
        assert_eq!(
            names("Partner ist die Medizinische Akademie Lemberg nach Iwan Sirko seit 2019.", "de"),
            ["Medizinische Akademie Lemberg nach Iwan Sirko"]
        );
        assert_eq!(
            names("Sie besuchten das Krankenhaus Kibo Medical Center im Norden.", "de"),
            ["Kibo Medical Center"]
        );
    }
}
