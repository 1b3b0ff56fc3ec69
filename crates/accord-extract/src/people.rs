//! People: names with honorifics and titles ("Prof.", "Academician", "Vice
//! President"), Chinese names in both orders and with upper-case surnames,
//! Russian names with patronymics or initials, Chinese names beside their
//! titles ("副院长张丽华"), each tied to the institution the text gives them.

use crate::resources::{Resources, TitleKind};
use crate::segment::Segmentation;
use crate::text::{is_cjk, is_cyrillic, Text, TokenKind};
use accord_model::Span;

/// A person found in the text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PersonMention {
    /// Characters of the name.
    pub span: Span,
    /// The name in its base form (the nominative, for Russian).
    pub name: String,
    /// The name as written, when it differs from `name`.
    pub form: Option<String>,
    /// Titles found beside it.
    pub titles: Vec<String>,
}

const SPEECH_VERBS: &[&str] = &[
    "said",
    "says",
    "noted",
    "added",
    "stated",
    "explained",
    "stressed",
    "emphasized",
    "emphasised",
    "remarked",
    "told",
    "announced",
    "believes",
    "expressed",
    "pointed",
    "a déclaré",
    "declaró",
    "sagte",
    "заявил",
    "заявила",
    "отметил",
    "отметила",
    "сказал",
    "сказала",
];

struct Finder<'a> {
    text: &'a Text,
    res: &'a Resources,
    blocked: &'a dyn Fn(Span) -> bool,
}

impl Finder<'_> {
    fn lower(&self, i: usize) -> &str {
        self.text.lower_slice(self.text.tokens[i].span)
    }

    fn title_kind(&self, i: usize) -> Option<TitleKind> {
        if self.text.tokens.get(i)?.kind != TokenKind::Word {
            return None;
        }
        let w = self.lower(i);
        self.res
            .title_of_word(w)
            .or_else(|| self.res.titles.get(w.trim_end_matches('s')).copied())
    }

    /// A capitalised word that cannot begin a name of three or more words: an
    /// acronym ("РК Анна Белова"), a possessive ("Clinic's Anna Bell"), a
    /// title, a country or place in any case ("Китае").
    fn is_lead_noise(&self, t: usize) -> bool {
        (self.text.is_all_caps(t) && self.text.tokens[t].span.len() > 1)
            || self.lower(t).ends_with("'s")
            || self.title_kind(t).is_some()
            || self.res.names_place(self.text, self.text.tokens[t].span)
    }

    /// The name without leading words that are not part of it, keeping at least two words.
    fn trim_lead(&self, mut toks: Vec<usize>) -> Vec<usize> {
        let full_words = |toks: &[usize]| toks.iter().filter(|&&t| self.text.tokens[t].span.len() > 1).count();
        loop {
            let first = toks[0];
            let initial = self.text.tokens[first].span.len() == 1;
            let noise = self.text.tokens[first].kind == TokenKind::Word
                && if initial {
                    // "M. Paul Ndiaye": a one-letter title before two full words; "M.C. Mishra" keeps its initials.
                    self.title_kind(first).is_some() && toks.len() > 2 && self.text.is_punct(toks[1], '.') && full_words(&toks[2..3]) == 1
                } else {
                    self.is_lead_noise(first)
                };
            if !noise || full_words(&toks[1..]) < 2 {
                return toks;
            }
            toks.remove(0);
            if toks.first().is_some_and(|&t| self.text.is_punct(t, '.')) {
                toks.remove(0);
            }
        }
    }

    /// Words a person's name never holds: an event word ("Sign"), a medical
    /// field ("Coronary Intervention"), or nothing but initials ("M.D.").
    fn holds_no_name(&self, toks: &[usize]) -> bool {
        let words: Vec<usize> = toks
            .iter()
            .copied()
            .filter(|&t| self.text.tokens[t].kind == TokenKind::Word)
            .collect();
        let only_initials = words.iter().all(|&t| self.text.tokens[t].span.len() == 1);
        let span = |t: usize| self.text.tokens[t].span;
        only_initials
            || words.iter().any(|&t| {
                self.text.tokens[t].span.len() > 1
                    && (self.res.triggers.exact(self.text, span(t)).is_some() || self.res.fields.exact(self.text, span(t)).is_some())
            })
            || !self
                .res
                .fields
                .find_in(self.text, Span::new(span(toks[0]).start, span(*toks.last().expect("a name")).end))
                .is_empty()
    }

    /// A given name of the lexicon in any case ("Михаила").
    fn is_given_any_case(&self, w: &str) -> bool {
        self.res.given_names.contains(w) || crate::morph::russian_given_base(w, &|x| self.res.given_names.contains(x)).is_some()
    }

    /// A pair of capitalised Cyrillic words that reads as a name: no country,
    /// place or title among them, and none ending like a plural or an abstract
    /// noun in an oblique case ("Конституции", "ВУЗах").
    fn plausible_cyrillic_name(&self, toks: &[usize]) -> bool {
        toks.iter().filter(|&&t| self.text.tokens[t].kind == TokenKind::Word).all(|&t| {
            let w = self.lower(t);
            !self.is_lead_noise(t) && !["ии", "ах", "ях", "ости", "ами"].iter().any(|e| w.ends_with(e))
        })
    }

    /// The Russian nominative of a name and the text's form, when they differ.
    fn russian_base(&self, toks: &[usize]) -> Option<String> {
        let words: Vec<String> = toks
            .iter()
            .filter(|&&t| self.text.tokens[t].kind == TokenKind::Word)
            .map(|&t| self.text.original_slice(self.text.tokens[t].span))
            .collect();
        if words.len() != toks.len() {
            return None;
        }
        let words: Vec<&str> = words.iter().map(String::as_str).collect();
        let before = toks[0].checked_sub(1);
        let genitive_before = before.is_some_and(|b| {
            let w = self.lower(b);
            self.title_kind(b).is_some() && (w.ends_with('а') || w.ends_with('я'))
        });
        crate::morph::russian_name_nominative(&words, &|x| self.res.given_names.contains(x), genitive_before).map(|w| w.join(" "))
    }

    /// The first word of a title of several words ("Assistant" of "Assistant Director").
    fn starts_title_phrase(&self, i: usize) -> bool {
        !self.res.title_phrases_from(self.text, i).is_empty()
    }

    /// A word that can be part of a name.
    fn is_name_token(&self, i: usize) -> bool {
        let t = self.text.tokens[i];
        if t.kind != TokenKind::Word || (self.blocked)(t.span) {
            return false;
        }
        let c = self.text.chars[t.span.start];
        if !c.is_uppercase() {
            return false;
        }
        let w = self.lower(i);
        let w = w.strip_suffix("'s").unwrap_or(w);
        !(self.res.head_kind(w).is_some()
            || self.res.is_dept_word(w)
            || self.res.is_event_word(w)
            || self.res.months.contains_key(w)
            || self.res.weekdays.contains_key(w)
            || self.res.lead_words.contains(w)
            || self.res.connectors.contains(w)
            || self.res.function_words.contains_key(w)
            || self.res.acronym_stop.contains(&w.to_uppercase())
            || ((self.title_kind(i).is_some() || self.starts_title_phrase(i))
                && !self.res.surnames.contains(w)
                && !self.res.given_names.contains(w))
            || self.res.names_place(self.text, t.span))
    }

    /// An initial: one capital letter and a period, glued ("S." of "S.P. Rao").
    fn initial_len(&self, i: usize) -> usize {
        let t = self.text.tokens[i];
        let one_letter = t.kind == TokenKind::Word && t.span.len() == 1 && self.text.chars[t.span.start].is_uppercase();
        if one_letter && self.text.is_punct(i + 1, '.') && !self.text.tokens[i + 1].space_before {
            2
        } else {
            0
        }
    }

    /// The name starting at token `i`: token indices and the index after it.
    fn name_at(&self, i: usize, end: usize) -> Option<(Vec<usize>, usize)> {
        let mut toks = Vec::new();
        let mut k = i;
        while k < end && toks.len() < 5 {
            let init = if k + 1 < end { self.initial_len(k) } else { 0 };
            if init > 0 {
                toks.push(k);
                toks.push(k + 1);
                k += init;
                continue;
            }
            if self.is_name_token(k) {
                let glued_to_initial = !toks.is_empty() && !self.text.tokens[k].space_before && self.text.is_punct(k - 1, '.');
                if !toks.is_empty() && !self.text.tokens[k].space_before && !glued_to_initial {
                    break;
                }
                toks.push(k);
                k += 1;
                continue;
            }
            let particle = self.text.tokens[k].kind == TokenKind::Word
                && self.res.name_particles.contains(self.lower(k))
                && !toks.is_empty()
                && k + 1 < end
                && self.is_name_token(k + 1);
            if particle {
                toks.push(k);
                k += 1;
                continue;
            }
            break;
        }
        let words = toks.iter().filter(|&&t| self.text.tokens[t].kind == TokenKind::Word).count();
        let all_caps = toks.iter().filter(|&&t| self.text.is_all_caps(t)).count();
        (words >= 2 && all_caps < words && toks.len() <= 5).then_some((toks, k))
    }

    fn looks_like_name(&self, toks: &[usize]) -> bool {
        let words: Vec<&str> = toks
            .iter()
            .filter(|&&t| self.text.tokens[t].kind == TokenKind::Word)
            .map(|&t| self.lower(t))
            .collect();
        let first = words[0];
        let last = words[words.len() - 1];
        self.res.given_names.contains(first)
            || self.res.surnames.contains(first)
            || self.res.surnames.contains(last)
            || self.res.given_names.contains(first.split('-').next().unwrap_or(first))
            || words.iter().any(|w| is_cyrillic_str(w) && self.is_given_any_case(w))
            || toks.iter().any(|&t| self.text.is_all_caps(t))
            || words.iter().any(|w| is_patronymic(w))
    }

    /// Title words just before token `i` (skipping a period).
    fn titles_before(&self, i: usize, first: usize) -> Vec<String> {
        let mut out = Vec::new();
        let mut k = i;
        while k > first {
            if self.text.is_punct(k - 1, '.') && k - 1 > first {
                k -= 1;
                continue;
            }
            match self.title_kind(k - 1) {
                Some(_) => {
                    out.push(self.text.tok(k - 1));
                    k -= 1;
                }
                None => break,
            }
            if out.len() >= 4 {
                break;
            }
        }
        out.reverse();
        out
    }

    /// A title in an apposition after the name: ", director of …", "(Head of …)", ", MD".
    fn title_after(&self, next: usize, end: usize) -> Option<String> {
        let mut k = next;
        if k < end && (self.text.is_punct(k, ',') || self.text.is_punct(k, '(')) {
            k += 1;
        }
        let mut skipped = 0;
        while k < end && skipped < 4 {
            if let Some(kind) = self.title_kind(k) {
                let _ = kind;
                let mut j = k + 1;
                while j < end && (self.title_kind(j).is_some() || self.text.is_punct(j, '-')) {
                    j += 1;
                }
                return Some(
                    self.text
                        .slice(Span::new(self.text.tokens[k].span.start, self.text.tokens[j - 1].span.end)),
                );
            }
            let w = self.lower(k);
            if self.text.tokens[k].kind == TokenKind::Word
                && (w == "the"
                    || w == "a"
                    || w == "an"
                    || !self.text.is_capitalized(k)
                        && skipped < 3
                        && matches!(
                            w,
                            "deputy"
                                | "vice"
                                | "general"
                                | "chief"
                                | "executive"
                                | "associate"
                                | "assistant"
                                | "senior"
                                | "first"
                                | "former"
                                | "honorary"
                                | "international"
                                | "affairs"
                        ))
            {
                k += 1;
                skipped += 1;
                continue;
            }
            break;
        }
        None
    }

    /// A speech verb right after the name, or after the comma closing its apposition.
    fn spoke_after(&self, next: usize, end: usize) -> bool {
        let verb = if next < end && self.text.is_punct(next, ',') {
            next + 1
        } else {
            next
        };
        verb < end && self.text.tokens[verb].kind == TokenKind::Word && SPEECH_VERBS.contains(&self.lower(verb))
    }
}

fn is_cyrillic_str(w: &str) -> bool {
    w.chars().next().is_some_and(is_cyrillic)
}

fn is_patronymic(w: &str) -> bool {
    ["вич", "вна", "ична", "ьич"].iter().any(|e| w.ends_with(e)) && w.chars().count() > 5
}

/// Finds the people of a document; `blocked` says which spans belong to
/// institutions or places and cannot be names; `hints` are names the
/// institution grammar already settled as people's.
pub fn find_people(
    text: &Text,
    res: &Resources,
    skip: &dyn Fn(usize) -> bool,
    blocked: &dyn Fn(Span) -> bool,
    hints: &[Span],
    seg: &Segmentation,
) -> Vec<PersonMention> {
    let f = Finder { text, res, blocked };
    let mut out: Vec<PersonMention> = Vec::new();
    for &span in hints {
        let first = text.token_at_or_after(span.start);
        let toks: Vec<usize> = (first..text.token_at_or_after(span.end)).collect();
        let base = if is_cyrillic(text.chars[span.start]) {
            f.russian_base(&toks)
        } else {
            None
        };
        push_person(&mut out, span, text.original_slice(span), base, Vec::new());
    }
    for s in &text.sentences {
        if skip(s.span.start) {
            continue;
        }
        let mut listing = false;
        let mut i = s.first_token;
        while i < s.end_token {
            let Some((toks, next)) = f.name_at(i, s.end_token) else {
                i += 1;
                continue;
            };
            let toks = f.trim_lead(toks);
            let start = toks[0];
            let before = f.titles_before(start, s.first_token);
            let after = f.title_after(next, s.end_token);
            let cyrillic = is_cyrillic(text.first_char(toks[0]));
            let list_member = listing
                && start > s.first_token
                && (text.is_punct(start - 1, ',') || matches!(f.lower(start - 1), "and" | "et" | "y" | "und" | "и"));
            let accept = !before.is_empty()
                || after.is_some()
                || f.looks_like_name(&toks)
                || f.spoke_after(next, s.end_token)
                || list_member
                || (cyrillic && start > s.first_token && f.plausible_cyrillic_name(&toks));
            let whole = Span::new(text.tokens[toks[0]].span.start, text.tokens[*toks.last().expect("name")].span.end);
            // "Pain Medicine", "Emergency Care": a medical field is not a person.
            if accept && !f.holds_no_name(&toks) {
                let written = text.original_slice(whole);
                let written = written
                    .strip_suffix("'s")
                    .or_else(|| written.strip_suffix("’s"))
                    .unwrap_or(&written)
                    .to_string();
                let span = Span::new(whole.start, whole.start + written.chars().count());
                let base = if cyrillic { f.russian_base(&toks) } else { None };
                let mut titles = before;
                titles.extend(after);
                push_person(&mut out, span, written, base, titles);
                listing = true;
            } else {
                listing = false;
            }
            i = next.max(i + 1);
        }
    }
    for p in find_han_people(text, res, skip)
        .into_iter()
        .chain(find_han_after_titles(text, res, seg, skip))
    {
        push_person(&mut out, p.span, p.name, None, p.titles);
    }
    out.sort_by_key(|p| p.span.start);
    out
}

/// Adds a person unless the place is taken; `base` is the name's base form when it differs from the text's.
fn push_person(out: &mut Vec<PersonMention>, span: Span, written: String, base: Option<String>, titles: Vec<String>) {
    if out.iter().any(|p| p.span.overlaps(&span)) {
        return;
    }
    let (name, form) = match base {
        Some(b) => (b, Some(written)),
        None => (written, None),
    };
    out.push(PersonMention { span, name, form, titles });
}

/// Characters after which a Chinese name ends.
const HAN_NAME_END: &[&str] = &[
    "一行", "等", "及", "和", "与", "與", "、", "率", "出席", "参加", "參加", "介绍", "介紹", "表示", "指出", "代表", "在", "会见", "會見",
    "致辞", "致辭", "发言", "發言", "主持", "先生", "女士", "同志", "见证", "見證", "为", "為", "说", "說", "对", "對", "进行", "進行",
    "带领", "帶領", "首先", "也", "则", "則", "于", "於", "的", "向", "是",
];

fn han_end_at(res: &Resources, chars: &[char], pos: usize) -> bool {
    if pos >= chars.len() || !is_cjk(chars[pos]) {
        return true;
    }
    let rest = &chars[pos..];
    let starts = |w: &str| {
        let n = w.chars().count();
        rest.len() >= n && rest[..n].iter().copied().eq(w.chars())
    };
    HAN_NAME_END.iter().any(|w| starts(w)) || res.han_titles.iter().any(|t| starts(t))
}

fn han_start_ok(res: &Resources, chars: &[char], pos: usize) -> bool {
    if pos == 0 || !is_cjk(chars[pos - 1]) {
        return true;
    }
    let before = &chars[..pos];
    let ends = |w: &str| {
        let n = w.chars().count();
        before.len() >= n && before[before.len() - n..].iter().copied().eq(w.chars())
    };
    res.han_titles.iter().any(|t| ends(t))
        || HAN_NAME_END.iter().any(|w| ends(w))
        || res.head_suffixes.iter().any(|(s, _)| s.chars().all(is_cjk) && ends(s))
}

fn han_surname_len(res: &Resources, chars: &[char], pos: usize) -> usize {
    let two: String = chars[pos..(pos + 2).min(chars.len())].iter().collect();
    if two.chars().count() == 2 && res.han_surnames.contains(&two) {
        return 2;
    }
    let one: String = chars[pos..pos + 1].iter().collect();
    usize::from(res.han_surnames.contains(&one))
}

/// Chinese names written beside a title: "副院长张丽华", "刘春梅副会长".
fn find_han_people(text: &Text, res: &Resources, skip: &dyn Fn(usize) -> bool) -> Vec<PersonMention> {
    let chars = &text.chars;
    let mut out: Vec<PersonMention> = Vec::new();
    if !chars.iter().copied().any(crate::text::is_cjk) {
        return out;
    }
    for hit in res.han_title_phrases.find(text) {
        if skip(hit.span.start) {
            continue;
        }
        let title = text.slice(hit.span);
        let after = hit.span.end;
        if after < chars.len() && is_cjk(chars[after]) {
            let sl = han_surname_len(res, chars, after);
            if sl > 0 {
                for given in [2, 1] {
                    let end = after + sl + given;
                    if end <= chars.len() && chars[after..end].iter().all(|c| is_cjk(*c)) && han_end_at(res, chars, end) {
                        push_person(
                            &mut out,
                            Span::new(after, end),
                            text.original_slice(Span::new(after, end)),
                            None,
                            vec![title.clone()],
                        );
                        break;
                    }
                }
            }
        }
        for len in [3, 2] {
            if hit.span.start < len {
                continue;
            }
            let start = hit.span.start - len;
            if !chars[start..hit.span.start].iter().all(|c| is_cjk(*c)) {
                continue;
            }
            let sl = han_surname_len(res, chars, start);
            if sl > 0 && sl < len && han_start_ok(res, chars, start) {
                push_person(
                    &mut out,
                    Span::new(start, hit.span.start),
                    text.original_slice(Span::new(start, hit.span.start)),
                    None,
                    vec![title.clone()],
                );
                break;
            }
        }
    }
    out
}

/// Titles of the people who write a page: any two or three characters after them are a name.
const HAN_BYLINES: &[&str] = &["记者", "記者", "作者", "编辑", "編輯", "通讯员", "通訊員"];

/// Names without a known surname right after a title: transliterations
/// ("教授奥列格", "总统埃尔多安", "代表莫妮卡·阿波罗") and bylines ("记者 王芳").
/// The name runs to the next punctuation, space, digit, verb of two
/// characters or function word (joined by a middle dot), and holds a word
/// the segmenter reads as a name, unless a byline introduces it.
fn find_han_after_titles(text: &Text, res: &Resources, seg: &Segmentation, skip: &dyn Fn(usize) -> bool) -> Vec<PersonMention> {
    let mut out = Vec::new();
    if seg.is_empty() {
        return out;
    }
    for hit in res.han_title_phrases.find(text) {
        if skip(hit.span.start) || !seg.is_boundary(hit.span.end) {
            continue;
        }
        let title = text.slice(hit.span);
        let byline = HAN_BYLINES.contains(&title.as_str());
        let mut start = hit.span.end;
        while byline && start < text.chars.len() && matches!(text.chars[start], ' ' | ':' | '：') {
            start += 1;
        }
        let Some(first) = seg.word_at(start).filter(|&w| seg.words[w].span.start == start) else {
            continue;
        };
        let mut end = start;
        let mut named = false;
        for w in &seg.words[first..] {
            let word = text.slice(w.span);
            let middle_dot = matches!(word.as_str(), "·" | "•");
            let verb = w.pos.starts_with('v') && word.chars().count() >= 2;
            let function = matches!(
                w.pos.chars().next(),
                Some('i' | 'l' | 'd' | 'p' | 'c' | 'u' | 'm' | 't' | 'f' | 'r')
            );
            let foreign = !middle_dot && !word.chars().all(is_cjk);
            if verb || function || foreign || res.han_titles.contains(&word) || end - start >= 8 {
                break;
            }
            named |= w.pos.starts_with("nr");
            end = w.span.end;
        }
        let len = text.chars[start..end].iter().filter(|c| is_cjk(**c)).count();
        if (2..=6).contains(&len) && (named || (byline && len <= 3)) && !text.chars[end - 1].eq(&'·') {
            out.push(PersonMention {
                span: Span::new(start, end),
                name: text.original_slice(Span::new(start, end)),
                form: None,
                titles: vec![title],
            });
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn people(s: &str) -> Vec<String> {
        let res = Resources::get();
        let t = Text::new(s, &|w| res.is_abbreviation(w));
        find_people(&t, res, &|_| false, &|_| false, &[], &Segmentation::of(&t))
            .into_iter()
            .map(|p| p.name)
            .collect()
    }

    #[test]
    fn finds_names_by_titles_lexicons_and_appositions() {
        assert_eq!(
            people("Prof. LIN Haoran met Mr. Tomas Brandt and Zhou Meilin, director of the clinic."),
            ["LIN Haoran", "Tomas Brandt", "Zhou Meilin"]
        );
        assert_eq!(
            people("From left are Robert Vance, MD, Peter Holm and Anna Kerr."),
            ["Robert Vance", "Peter Holm", "Anna Kerr"]
        );
        assert_eq!(people("RIMS director K.R. Varma said."), ["K.R. Varma"]);
    }

    #[test]
    fn titles_and_fields_are_not_names() {
        assert_eq!(
            people("Ms. Mei Lindgren Assistant Director of the clinic welcomed them."),
            ["Mei Lindgren"]
        );
        assert!(!people("Doctors of Anesthesiology and Pain Medicine met Dr. Rosa Vidal.").contains(&"Pain Medicine".to_string()));
    }

    #[test]
    fn finds_russian_and_chinese_names() {
        assert_eq!(
            people("С докладом выступил главный врач Петренко Олег Иванович."),
            ["Петренко Олег Иванович"]
        );
        assert_eq!(people("协会周明远副会长会见了卫健委副主任赵明一行"), ["周明远", "赵明"]);
    }

    #[test]
    fn initials_stay_and_phrases_of_headlines_are_no_names() {
        assert_eq!(people("The unit of Dr. R.K. Anand opened."), ["R.K. Anand"]);
        assert_eq!(people("M. Paul Dembele a signé la convention."), ["Paul Dembele"]);
        assert!(people("Hospitals Sign Liver Transplant Pact").is_empty());
        assert_eq!(people("He met his counterpart Farid Nouri in the capital."), ["Farid Nouri"]);
        assert_eq!(
            people("The head of nursing, Tarek Mansour, said the unit would grow."),
            ["Tarek Mansour"]
        );
    }

    #[test]
    fn chinese_names_without_a_known_surname_after_titles() {
        assert_eq!(people("乌干达卫生部顾问安娜·卡里米表示感谢"), ["安娜·卡里米"]);
        assert_eq!(people("本报讯(记者 林小雨)近日"), ["林小雨"]);
    }
}
