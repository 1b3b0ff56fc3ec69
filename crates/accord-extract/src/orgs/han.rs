//! Chinese institution names: a head suffix ("医院", "大学", "委员会") with
//! the whole words before it, on the boundaries of the page's segmentation.

use super::mention::NameMention;
use crate::resources::Resources;
use crate::segment::{Segmentation, Word};
use crate::text::{is_cjk, Text};
use accord_model::Span;

/// Chinese names: a head suffix with the words before it, up to a boundary
/// word, a word that cannot be inside a name (a verb, a preposition, a
/// numeral…), a title, a punctuation mark or another script. Names start
/// and end on word boundaries.
pub fn find_han_names(text: &Text, res: &Resources, seg: &Segmentation, skip: &dyn Fn(usize) -> bool) -> Vec<NameMention> {
    let mut found: Vec<NameMention> = Vec::new();
    if seg.is_empty() {
        return found;
    }
    for hit in res.han_heads.find(text) {
        if skip(hit.span.start) {
            continue;
        }
        let Some(end) = han_name_end(text, res, seg, hit.span) else {
            continue;
        };
        let start = han_name_start(text, res, seg, hit.span.start);
        let span = Span::new(start, end);
        let head_len = end - hit.span.start;
        let bare_head = span.start >= hit.span.start;
        if bare_head || (span.len() < head_len + 2 && span.len() < 4) || only_generic_before(text, res, seg, span, hit.span.start) {
            continue;
        }
        found.push(NameMention {
            span,
            name: text.original_slice(span),
            acronym: None,
            core: None,
            forms: Vec::new(),
            kind: *hit.value,
            head: text.slice(Span::new(hit.span.start, end)),
        });
    }
    found.sort_by_key(|m| (m.span.start, std::cmp::Reverse(m.span.end)));
    found.dedup_by_key(|m| m.span);
    drop_contained(found)
}

/// Keeps the names not inside another, in one pass over names sorted by
/// start (longest first at each start).
fn drop_contained(sorted: Vec<NameMention>) -> Vec<NameMention> {
    let mut out: Vec<NameMention> = Vec::with_capacity(sorted.len());
    let mut reach = 0;
    for m in sorted {
        if m.span.end <= reach && !out.is_empty() {
            continue;
        }
        reach = reach.max(m.span.end);
        out.push(m);
    }
    out
}

/// Where a name with this head ends: at the head when a word ends there or
/// a title follows ("医院院长", "卫生健康委副主任"); at the end of the word when
/// the word is a longer head ("医科大学" for "医科大"); else nowhere.
fn han_name_end(text: &Text, res: &Resources, seg: &Segmentation, head: Span) -> Option<usize> {
    if seg.is_boundary(head.end) {
        return Some(head.end);
    }
    let after: String = text.chars[head.end..(head.end + 8).min(text.chars.len())].iter().collect();
    if res.han_titles.iter().any(|t| after.starts_with(t.as_str())) {
        return Some(head.end);
    }
    // A longer head ending with the word ("医科大学" beside "医科大") is a hit of its own.
    None
}

/// A word that never stands inside an institution's name: a verb of two or
/// more characters ("签署"; a single-character one, "立" of "州立", may be a
/// misread name part), a preposition, pronoun, classifier, particle, adverb,
/// numeral (but an ordinal, "第一"), time word.
fn stops_word(word: &str, w: &Word) -> bool {
    let first = w.pos.chars().next();
    let verb = first == Some('v') && w.pos != "vn" && word.chars().count() >= 2;
    verb || matches!(first, Some('p' | 'r' | 'q' | 'u' | 'd' | 'y' | 'e' | 'o' | 'w' | 't'))
        || (w.pos == "m" && !word.starts_with('第'))
        || w.pos == "zg"
}

/// "卫生和计划生育委员会": a conjunction inside a name joins common nouns,
/// never a proper name, a complete institution ("A医院和B大学") or a word
/// that only points at one ("我院与B医院", also when read as 我 + 院: a
/// single character is never the common noun joined).
fn joins_common_nouns(text: &Text, res: &Resources, before: &Word) -> bool {
    let common = matches!(before.pos.as_str(), "n" | "an" | "vn" | "a" | "l");
    let word = text.slice(before.span);
    let whole_word = word.chars().count() >= 2;
    common && whole_word && word.chars().all(is_cjk) && !res.zh_generic.contains(&word) && !ends_in_head(text, res, before.span)
}

/// "为玛希隆": an unknown word read with the boundary character before it; the name starts after that character.
fn glued_boundary(text: &Text, res: &Resources, w: &Word) -> Option<usize> {
    if !matches!(w.pos.as_str(), "nr" | "nrt" | "x" | "nz") || w.span.len() < 2 {
        return None;
    }
    let first = text.slice(Span::new(w.span.start, w.span.start + 1));
    res.zh_boundaries.contains(&first).then_some(w.span.start + 1)
}

/// Where the name whose head starts at `head_start` begins, walking back over whole words.
fn han_name_start(text: &Text, res: &Resources, seg: &Segmentation, head_start: usize) -> usize {
    let Some(mut w) = seg.word_at(head_start) else {
        return head_start;
    };
    let mut start = seg.words[w].span.start;
    while w > 0 && head_start - start < MAX_HAN_NAME {
        let prev = &seg.words[w - 1];
        let word = text.slice(prev.span);
        if !word.chars().all(is_cjk) {
            let dash = word.chars().all(|c| matches!(c, '—' | '-' | '–')) && w >= 2 && han_place(&seg.words[w - 2]);
            if !dash {
                break;
            }
        } else if is_conjunction(&word, prev) {
            if w < 2 || start >= head_start || !joins_common_nouns(text, res, &seg.words[w - 2]) {
                break;
            }
        } else if let Some(cut) = glued_boundary(text, res, prev) {
            start = cut;
            break;
        } else if res.zh_boundaries.contains(&word) || stops_word(&word, prev) || is_title(res, &word) {
            break;
        }
        start = prev.span.start;
        w -= 1;
    }
    start
}

/// Longest stretch, in characters, that a Chinese name reaches left of its head.
const MAX_HAN_NAME: usize = 20;

fn is_conjunction(word: &str, w: &Word) -> bool {
    w.pos == "c" || matches!(word, "和" | "与" | "與" | "及")
}

fn han_place(w: &Word) -> bool {
    matches!(w.pos.as_str(), "ns" | "j" | "nt")
}

fn is_title(res: &Resources, word: &str) -> bool {
    res.han_titles.iter().any(|t| word.ends_with(t.as_str()) && t.chars().count() >= 2)
}

fn ends_in_head(text: &Text, res: &Resources, span: Span) -> bool {
    res.han_heads.find_in(text, span).iter().any(|h| h.span.end == span.end)
}

/// "两家医院", "公立医院": words before the head that only count or qualify.
fn only_generic_before(text: &Text, res: &Resources, seg: &Segmentation, span: Span, head_start: usize) -> bool {
    let (Some(first), Some(last)) = (seg.word_at(span.start), head_start.checked_sub(1).and_then(|p| seg.word_at(p))) else {
        return false;
    };
    if head_start <= span.start {
        return false;
    }
    (first..=last).all(|w| {
        let word = &seg.words[w];
        res.zh_generic.contains(&text.slice(word.span)) || matches!(word.pos.as_str(), "m" | "q" | "r")
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(s: &str) -> Vec<String> {
        let res = Resources::get();
        let t = Text::new(s, &|w| res.is_abbreviation(w));
        find_han_names(&t, res, &Segmentation::of(&t), &|_| false)
            .into_iter()
            .map(|m| m.name)
            .collect()
    }

    #[test]
    fn chinese_names_stop_at_boundaries() {
        assert_eq!(
            names("近日,东湖医学协会会见了江城市卫生健康委副主任"),
            ["东湖医学协会", "江城市卫生健康委"]
        );
        assert_eq!(
            names("滨海医院管理局与山城康复医院发展中心签署协议"),
            ["滨海医院管理局", "山城康复医院发展中心"]
        );
    }

    #[test]
    fn chinese_names_follow_word_boundaries() {
        // A conjunction between common nouns stays inside the name; between two institutions it ends one.
        assert_eq!(names("江城市卫生和计划生育委员会签署协议"), ["江城市卫生和计划生育委员会"]);
        assert_eq!(names("东湖医院和西山大学签署协议"), ["东湖医院", "西山大学"]);
        assert_eq!(names("我院与西山州立儿童临床医院签署协议"), ["西山州立儿童临床医院"]);
        // "和" inside "共和国" is no boundary.
        assert_eq!(names("中华人民共和国卫生部代表出席"), ["中华人民共和国卫生部"]);
        // Counting or qualifying words alone make no institution.
        assert!(names("两家医院的专家参加了会议").is_empty());
    }
}
