//! Institution names in scripts whose names are not capitalised: Russian
//! names built around a head noun ("клиническая больница института медицины …")
//! and Chinese names ending in a head suffix ("华东护理协会").

use crate::orgs::NameMention;
use crate::resources::Resources;
use crate::segment::{Segmentation, Word};
use crate::text::{is_cjk, is_cyrillic, Text, TokenKind};
use accord_model::Span;

const ADJECTIVE_ENDINGS: &[&str] = &[
    "ый", "ий", "ой", "ая", "яя", "ое", "ее", "ые", "ие", "ого", "его", "ому", "ему", "ую", "юю", "ых", "их", "ым", "им", "ыми", "ими",
];
const GENITIVE_ADJECTIVE_ENDINGS: &[&str] = &["ого", "его", "ой", "ей", "ых", "их"];
const REGION_NOUNS: &[&str] = &[
    "края",
    "крае",
    "краю",
    "области",
    "республики",
    "округа",
    "федерации",
    "района",
    "города",
    "президента",
    "правительства",
    "губернатора",
    "министерства",
    "россии",
];

fn cyr_word(text: &Text, i: usize) -> Option<&str> {
    let t = text.tokens.get(i)?;
    (t.kind == TokenKind::Word && is_cyrillic(text.chars[t.span.start])).then(|| text.lower_slice(t.span))
}

/// A head noun; adjectives sharing its stem ("центральной", "академических") are not.
fn is_head(res: &Resources, w: &str) -> bool {
    let stem = res.head_stems.iter().find(|(s, _)| w.starts_with(s.as_str()));
    let adjective = stem.is_some_and(|(s, _)| w.chars().count() > s.chars().count() + 2 && is_adjective(w));
    !res.is_dept_word(w) && stem.is_some() && !adjective
}

fn is_adjective(w: &str) -> bool {
    w.chars().count() > 3 && ADJECTIVE_ENDINGS.iter().any(|e| w.ends_with(e))
}

/// Russian names: a head noun with the adjectives before it and the
/// genitive chain after it.
pub fn find_cyrillic_names(text: &Text, res: &Resources, skip: &dyn Fn(usize) -> bool) -> Vec<NameMention> {
    let mut out = Vec::new();
    for s in &text.sentences {
        if skip(s.span.start) {
            continue;
        }
        let mut i = s.first_token;
        while i < s.end_token {
            let Some(w) = cyr_word(text, i) else {
                i += 1;
                continue;
            };
            if let Some(m) = acronym_led_name(text, res, i, s.end_token) {
                i = text.token_at_or_after(m.span.end);
                out.push(m);
                continue;
            }
            if !is_head(res, w) {
                i += 1;
                continue;
            }
            let mut left = i;
            while left > s.first_token && i - left < 4 {
                match cyr_word(text, left - 1) {
                    Some(p) if !res.lead_words.contains(p) && (res.is_inner_word(p) || is_adjective(p)) => left -= 1,
                    _ => break,
                }
            }
            let right = named_after(
                text,
                numbered(text, genitive_chain(text, res, i, s.end_token), s.end_token),
                s.end_token,
            );
            let span = Span::new(text.tokens[left].span.start, text.tokens[right].span.end);
            let count = right + 1 - left;
            let capitalised = (left..=right).any(|k| text.is_capitalized(k));
            let genitive_pair = count == 2 && cyr_word(text, right).is_some_and(|r| REGION_NOUNS.contains(&r));
            if count >= 3
                || (count == 2 && (capitalised || genitive_pair))
                || (count == 1 && text.is_capitalized(i) && w.starts_with("минздрав"))
            {
                let kind = res.head_kind(w).unwrap_or(accord_model::OrgKind::Other);
                let head: String = res
                    .head_stems
                    .iter()
                    .find(|(st, _)| w.starts_with(st.as_str()))
                    .map(|(st, _)| st.clone())
                    .unwrap_or(w.to_string());
                let whole = NameMention {
                    span,
                    name: text.original_slice(span),
                    acronym: None,
                    core: None,
                    forms: Vec::new(),
                    kind,
                    head,
                };
                let shared = coordinated_adjectives(text, res, left, i, s.first_token);
                if shared.is_empty() {
                    out.extend(split_coordinated(text, whole, left, right));
                } else {
                    out.extend(distribute_plural_head(text, &whole, &shared, i));
                }
            }
            i = right + 1;
        }
    }
    out
}

/// Quoted names introduced by a title, a legal form or a head noun:
/// президент «Сакура медикал групп», ООО «Медтех».
pub fn find_quoted_cyrillic_names(text: &Text, res: &Resources, skip: &dyn Fn(usize) -> bool) -> Vec<NameMention> {
    let toks = &text.tokens;
    let mut out = Vec::new();
    for i in 1..toks.len() {
        if !text.is_punct(i, '"') || skip(toks[i].span.start) || cyr_word(text, i + 1).is_none() || !text.is_capitalized(i + 1) {
            continue;
        }
        let Some(close) = (i + 2..toks.len().min(i + 8)).find(|&k| text.is_punct(k, '"')) else {
            continue;
        };
        if close == i + 2 && crate::orgs::is_acronym_shape(&text.tok(i + 1)) {
            continue;
        }
        let introduced = (i.saturating_sub(2)..i).any(|k| {
            cyr_word(text, k).is_some_and(|w| {
                res.titles.get(w).is_some_and(|kind| *kind == crate::resources::TitleKind::Role)
                    || is_head(res, w)
                    || res.acronym_stop.contains(&text.tok(k))
            })
        });
        if !introduced {
            continue;
        }
        let span = Span::new(toks[i + 1].span.start, toks[close - 1].span.end);
        let name = text.original_slice(span);
        out.push(NameMention {
            span,
            name,
            acronym: None,
            core: None,
            forms: Vec::new(),
            kind: accord_model::OrgKind::Company,
            head: String::new(),
        });
    }
    out
}

/// "Северный, Южный и Западный университеты": the capitalised adjectives
/// coordinated before a plural head, the last one (at `left`) included;
/// empty when the head is not plural or nothing is coordinated.
fn coordinated_adjectives(text: &Text, res: &Resources, left: usize, head: usize, first: usize) -> Vec<usize> {
    if left + 1 != head || singular_head(cyr_word(text, head).unwrap_or("")).is_none() || !text.is_capitalized(left) {
        return Vec::new();
    }
    let mut adjectives = vec![left];
    let mut k = left;
    while k >= first + 2 {
        let joiner = text.is_punct(k - 1, ',') || cyr_word(text, k - 1) == Some("и");
        let before = cyr_word(text, k - 2).filter(|w| is_adjective(w) && !res.is_inner_word(w));
        if !joiner || before.is_none() || !text.is_capitalized(k - 2) {
            break;
        }
        adjectives.push(k - 2);
        k -= 2;
    }
    adjectives.reverse();
    if adjectives.len() < 2 {
        return Vec::new();
    }
    adjectives
}

/// The singular of a plural head noun: "университеты" → "университет",
/// "больницы" → "больница", "академии" → "академия".
fn singular_head(w: &str) -> Option<String> {
    if let Some(stem) = w.strip_suffix("ии") {
        return Some(format!("{stem}ия"));
    }
    let stem = w.strip_suffix('ы')?;
    if stem.ends_with('ц') {
        return Some(format!("{stem}а"));
    }
    let last = stem.chars().last()?;
    "бвдзлмнпрстф".contains(last).then(|| stem.to_string())
}

/// One institution per coordinated adjective, each with the singular head;
/// the text's phrase stays as another form of the last.
fn distribute_plural_head(text: &Text, whole: &NameMention, adjectives: &[usize], head: usize) -> Vec<NameMention> {
    let singular = singular_head(cyr_word(text, head).unwrap_or("")).unwrap_or_default();
    adjectives
        .iter()
        .map(|&a| {
            let span = text.tokens[a].span;
            NameMention {
                span: if a + 1 == head { whole.span } else { span },
                name: format!("{} {singular}", text.original_slice(span)),
                forms: vec![if a + 1 == head {
                    whole.name.clone()
                } else {
                    text.original_slice(span)
                }],
                ..whole.clone()
            }
        })
        .collect()
}

/// "Министерства здравоохранения Бурятии и Якутии": two names sharing their
/// head, one for each proper name joined by "и".
fn split_coordinated(text: &Text, whole: NameMention, left: usize, right: usize) -> Vec<NameMention> {
    let and = (left + 1..right).find(|&k| cyr_word(text, k) == Some("и"));
    let Some(and) = and.filter(|&k| k + 1 == right && k >= left + 2 && text.is_capitalized(k - 1) && text.is_capitalized(right)) else {
        return vec![whole];
    };
    let first = Span::new(text.tokens[left].span.start, text.tokens[and - 1].span.end);
    let stem = Span::new(text.tokens[left].span.start, text.tokens[and - 2].span.end);
    let second = format!("{} {}", text.original_slice(stem), text.original_slice(text.tokens[right].span));
    let literal = whole.name.clone();
    vec![
        NameMention {
            span: first,
            name: text.original_slice(first),
            ..whole.clone()
        },
        NameMention {
            name: second,
            forms: vec![literal],
            ..whole
        },
    ]
}

/// "… им. П. А. Герцена", "… имени Пирогова": the person an institution is
/// named after belongs to its name; returns the last token of the name.
fn named_after(text: &Text, last: usize, end: usize) -> usize {
    let k = last + 1;
    let Some(w) = cyr_word(text, k) else { return last };
    if w != "им" && w != "имени" {
        return last;
    }
    let mut j = k + 1;
    if text.is_punct(j, '.') {
        j += 1;
    }
    // Initials: single capitals, each followed by a period.
    while j + 1 < end && text.tokens[j].span.len() == 1 && text.is_capitalized(j) && text.is_punct(j + 1, '.') {
        j += 2;
    }
    if j < end && cyr_word(text, j).is_some() && text.is_capitalized(j) {
        j
    } else {
        last
    }
}

/// "НМИЦ радиологии Минздрава России", "МНИОИ им. П. А. Герцена": an
/// upper-case acronym followed by the field it serves (a lower-case genitive
/// noun) or by the person it is named after is the start of a name.
fn acronym_led_name(text: &Text, res: &Resources, i: usize, end: usize) -> Option<NameMention> {
    let acronym = text.original_slice(text.tokens[i].span);
    if !text.is_all_caps(i) || acronym.chars().count() < 3 || i + 1 >= end {
        return None;
    }
    let next = cyr_word(text, i + 1)?;
    let field = !text.is_capitalized(i + 1) && ["ии", "ки", "ы", "ого"].iter().any(|e| next.ends_with(e)) && next.chars().count() > 5;
    let last = if field {
        named_after(text, genitive_chain(text, res, i + 1, end), end)
    } else {
        let n = named_after(text, i, end);
        (n > i).then_some(n)?
    };
    let span = Span::new(text.tokens[i].span.start, text.tokens[last].span.end);
    Some(NameMention {
        span,
        name: text.original_slice(span),
        acronym: None,
        core: None,
        forms: Vec::new(),
        kind: accord_model::OrgKind::ResearchInstitute,
        head: acronym.to_lowercase(),
    })
}

/// "больница № 52": a number sign and a number after a name belong to it.
fn numbered(text: &Text, last: usize, end: usize) -> usize {
    let sign = last + 1;
    let is_sign = sign < end && (text.is_punct(sign, '№') || text.tok(sign) == "№");
    if is_sign && sign + 1 < end && text.tokens[sign + 1].kind == TokenKind::Number {
        sign + 1
    } else {
        last
    }
}

fn genitive_chain(text: &Text, res: &Resources, head: usize, end: usize) -> usize {
    let mut last = head;
    let mut k = head + 1;
    while k < end && k - head <= 10 {
        let Some(w) = cyr_word(text, k) else { break };
        if res.lead_words.contains(w) {
            break;
        }
        let ok = (text.is_capitalized(k) && w.chars().count() > 1)
            || res.is_inner_word(w)
            || is_head(res, w)
            || REGION_NOUNS.contains(&w)
            || GENITIVE_ADJECTIVE_ENDINGS.iter().any(|e| w.ends_with(e) && w.chars().count() > 4);
        if ok {
            last = k;
            k += 1;
        } else if w == "и"
            && cyr_word(text, k + 1).is_some_and(|n| {
                text.is_capitalized(k + 1) || res.is_inner_word(n) || GENITIVE_ADJECTIVE_ENDINGS.iter().any(|e| n.ends_with(e))
            })
        {
            k += 1;
        } else {
            break;
        }
    }
    last
}

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
/// never a proper name or a complete institution ("A医院和B大学").
fn joins_common_nouns(text: &Text, res: &Resources, before: &Word) -> bool {
    let common = matches!(before.pos.as_str(), "n" | "an" | "vn" | "a" | "l");
    common && text.slice(before.span).chars().all(is_cjk) && !ends_in_head(text, res, before.span)
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
        let mut v: Vec<String> = find_cyrillic_names(&t, res, &|_| false).into_iter().map(|m| m.name).collect();
        v.extend(
            find_han_names(&t, res, &Segmentation::of(&t), &|_| false)
                .into_iter()
                .map(|m| m.name),
        );
        v
    }

    #[test]
    fn russian_names_take_adjectives_and_genitive_chains() {
        assert_eq!(
            names("Встреча прошла в министерстве промышленности и торговли Хабаровского края с делегацией."),
            ["министерстве промышленности и торговли Хабаровского края"]
        );
        assert_eq!(
            names("Делегация посетила Городскую клиническую больницу № 52 и областной онкодиспансер."),
            ["Городскую клиническую больницу № 52"]
        );
        assert_eq!(
            names("Оборудование для второй городской клинической больницы."),
            ["второй городской клинической больницы"]
        );
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
        // "和" inside "共和国" is no boundary.
        assert_eq!(names("中华人民共和国卫生部代表出席"), ["中华人民共和国卫生部"]);
        // Counting or qualifying words alone make no institution.
        assert!(names("两家医院的专家参加了会议").is_empty());
    }

    #[test]
    fn coordinated_adjectives_share_a_plural_head() {
        assert_eq!(
            names("В форуме участвовали Северный, Озёрный и Приморский университеты."),
            ["Северный университет", "Озёрный университет", "Приморский университет"]
        );
    }

    #[test]
    fn russian_names_led_by_an_acronym_or_named_after_a_person() {
        assert_eq!(
            names("Делегация посетила НИИЦ кардиологии Минздрава России в среду."),
            ["НИИЦ кардиологии Минздрава России"]
        );
        assert_eq!(names("Гостей принял НИИО им. А. В. Соколова сегодня."), ["НИИО им. А. В. Соколова"]);
    }
}
