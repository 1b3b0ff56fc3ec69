//! Institution names in capitalised scripts (English, French, Spanish,
//! German): runs of name words around a head word, with departments,
//! events, titles, owners and describing heads cut away.

use super::mention::{initials_match, is_acronym_shape, NameMention, GENERIC};
use crate::resources::{Resources, TitleKind};
use crate::text::{is_cyrillic, Text, TokenKind};
use accord_model::{OrgKind, Span};

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
            let adjectives = self.german_adjectives_before_head(i, end);
            if adjectives == 0 && !self.is_name_word(i) && !self.opens_quoted_name(i, end) && !self.opens_lowercase_head(i, end) {
                i += 1;
                continue;
            }
            let mut run = Run {
                tokens: (i..=i + adjectives).collect(),
                acronym: None,
                inner: None,
            };
            let mut k = i + adjectives + 1;
            while k < end {
                if self.extends_run(&run, k, end) {
                    run.tokens.push(k);
                    k += 1;
                } else if self.number_sign_at(&run, k, end) || self.saint_abbreviation_at(&run, k, end) || self.city_of_number(&run, k, end)
                {
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

    /// "städtisches klinisches Krankenhaus Nr. 4", "dem regionalen
    /// Krankenhaus „Sonnental“": German adjectives are written in lower case
    /// even inside a name; they belong to it when a capitalised head follows
    /// and the head is itself followed by what singles one institution out
    /// (a quoted name, a number, a proper name) — not when a full name of its
    /// own follows ("dem dazugehörigen Krankenhaus Lakeside Medical Center"
    /// describes it). Returns how many adjectives
    /// open such a name at `i` (0: none).
    fn german_adjectives_before_head(&self, i: usize, end: usize) -> usize {
        if self.lang != "de" {
            return 0;
        }
        let is_adjective = |k: usize| {
            let w = self.lower(k);
            self.text.tokens[k].kind == TokenKind::Word
                && self.text.first_char(k).is_lowercase()
                && w.chars().count() >= 5
                && ["e", "en", "er", "es", "em"].iter().any(|e| w.ends_with(e))
                && !self.res.connectors.contains(w)
        };
        let mut k = i;
        while k < end && k < i + 3 && is_adjective(k) {
            k += 1;
        }
        let head = k > i && k + 1 < end && self.text.is_capitalized(k) && self.head_of(k).is_some_and(|h| h != OrgKind::Other);
        let apposition = (k + 1..(k + 5).min(end)).any(|n| self.head_of(n).is_some());
        let singled_out = head && !apposition && {
            let next = k + 1;
            self.is_punct(next, '"')
                || matches!(self.lower(next), "nr" | "no")
                || self.text.tokens[next].kind == TokenKind::Number
                || (self.is_proper_word(next) && self.head_of(next).is_none())
        };
        if singled_out {
            k - i
        } else {
            0
        }
    }

    /// "Krankenhaus Nr. 4 von Dnipro": a numbered institution is told apart
    /// by its town, which then belongs to the name.
    fn city_of_number(&self, run: &Run, k: usize, end: usize) -> bool {
        let last = *run.tokens.last().expect("a run has a token");
        self.lang == "de"
            && self.text.tokens[last].kind == TokenKind::Number
            && matches!(self.lower(k), "von" | "in")
            && k + 1 < end
            && self.is_proper_word(k + 1)
            && self.head_of(k + 1).is_none()
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

    /// "St. Josef Hospital", "Hospital General Dr. Ana Ruiz": the period of
    /// "St." followed by a capitalised name; or of "Dr." / "Prof." in a name
    /// that opens with its head, as names given after a doctor are written
    /// (a head at the end, "Lakeside Clinic Dr. Smith", is followed by a person).
    fn saint_abbreviation_at(&self, run: &Run, k: usize, end: usize) -> bool {
        let last = *run.tokens.last().expect("a run has a token");
        let saint = matches!(self.lower(last), "st" | "ste");
        let namesake = matches!(self.lower(last), "dr" | "prof") && run.tokens.len() > 1 && self.head_of(run.tokens[0]).is_some();
        self.is_punct(k, '.') && (saint || namesake) && k + 1 < end && self.is_name_word(k + 1)
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
        self.res.title_phrases_from(self.text, t).contains(&TitleKind::Role)
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
        if seg.is_empty() || !matches!(self.lower(seg[0]), "of" | "de" | "del" | "du" | "des" | "für") {
            return seg.to_vec();
        }
        let next_of = seg
            .iter()
            .skip(1)
            .position(|&t| matches!(self.lower(t), "of" | "at" | "in" | "de" | "del" | "du"));
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
            let lowercase = self.text.tokens[t].kind == TokenKind::Word
                && self.text.first_char(t).is_lowercase()
                && !self.is_lowercase_head(t)
                && self.german_adjectives_before_head(t, self.text.tokens.len()) == 0;
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
            let closes_quote = self.is_punct(t, '"') && toks.iter().filter(|&&q| self.is_punct(q, '"')).count() % 2 == 0;
            let honorific = self.res.titles.get(self.lower(t)) == Some(&TitleKind::Honorific) && self.head_of(t).is_none();
            if !closes_quote
                && (self.is_connector(t) || self.text.tokens[t].kind == TokenKind::Punct || self.lower(t) == "the" || honorific)
            {
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
            self.acronym_with_quoted_name(toks, out);
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

    /// "NDKL „Sonnental“", "KNP „Lakeside“": an institution written as the
    /// acronym of its legal form followed by its name in quotes (usual for
    /// institutions of the former Soviet Union in any language) has no head
    /// word; the quotes and the acronym make it a name.
    fn acronym_with_quoted_name(&self, toks: &[usize], out: &mut Vec<NameMention>) {
        let [first, open, inner @ .., close] = toks else {
            return;
        };
        let quoted = self.is_punct(*open, '"') && self.is_punct(*close, '"') && !inner.is_empty();
        let acronym = self.text.original_slice(self.text.tokens[*first].span);
        if !quoted || !is_acronym_shape(&acronym) || !inner.iter().all(|&t| self.is_proper_word(t) || self.is_connector(t)) {
            return;
        }
        let span = Span::new(self.text.tokens[*first].span.start, self.text.tokens[*close].span.end);
        let quoted_name = Span::new(
            self.text.tokens[inner[0]].span.start,
            self.text.tokens[*inner.last().expect("non-empty")].span.end,
        );
        out.push(NameMention {
            span,
            name: self.text.original_slice(span),
            acronym: None,
            core: None,
            forms: vec![self.text.original_slice(quoted_name)],
            kind: OrgKind::Other,
            head: acronym.to_lowercase(),
        });
    }

    /// "Party Secretary of X Hospital", "LI Ming of X Hospital", "International
    /// Exchange Center of X University": what precedes "of" names a role, a
    /// person or a unit, and the institution is what follows; the same for a
    /// German genitive ("Unterstützung der Deutschen Gesellschaft für …").
    fn drop_owner_prefix<'t>(&self, toks: &'t [usize]) -> &'t [usize] {
        let genitive = |w: &str| self.lang == "de" && matches!(w, "der" | "des");
        let Some(of) = toks
            .iter()
            .position(|&t| matches!(self.lower(t), "of" | "at") || genitive(self.lower(t)))
        else {
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
        let owner_span = Span::new(
            self.text.tokens[owner[0]].span.start,
            self.text.tokens[owner[owner.len() - 1]].span.end,
        );
        let places: Vec<Span> = self
            .res
            .countries
            .find_in(self.text, owner_span)
            .into_iter()
            .map(|h| h.span)
            .chain(self.res.places.find_in(self.text, owner_span).into_iter().map(|h| h.span))
            .collect();
        // "Vietnam - South Korea's": every word of the owner belongs to a country or place.
        let owner_is_place = owner.iter().all(|&t| {
            let span = self.text.tokens[t].span;
            self.text.tokens[t].kind != TokenKind::Word
                || places.iter().any(|p| p.start <= span.start && span.end <= p.end + 2)
                || self.res.countries.exact_str(self.lower(t).trim_end_matches("'s"))
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

/// Every name the grammar reads in the sentences of a page, a plural head
/// shared by two names distributed, and acronyms written before their expansion.
pub(super) fn find_latin_names(text: &Text, res: &Resources, lang: &str, skip: &dyn Fn(usize) -> bool) -> Vec<NameMention> {
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
    names
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
