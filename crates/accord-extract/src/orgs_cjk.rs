//! Institution names in scripts whose names are not capitalised: Russian
//! names built around a head noun ("клиническая больница института медицины …")
//! and Chinese names ending in a head suffix ("华东护理协会").

use crate::orgs::NameMention;
use crate::resources::Resources;
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
            if !is_head(res, w) {
                i += 1;
                continue;
            }
            let mut left = i;
            while left > s.first_token && i - left < 4 {
                match cyr_word(text, left - 1) {
                    Some(p) if res.is_inner_word(p) || is_adjective(p) => left -= 1,
                    _ => break,
                }
            }
            let right = numbered(text, genitive_chain(text, res, i, s.end_token), s.end_token);
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
                out.extend(split_coordinated(text, whole, left, right));
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

/// Chinese names: a head suffix with the characters before it, up to a
/// boundary word, a punctuation mark or another script.
pub fn find_han_names(text: &Text, res: &Resources, skip: &dyn Fn(usize) -> bool) -> Vec<NameMention> {
    let chars = &text.chars;
    let mut found: Vec<NameMention> = Vec::new();
    if !text.chars.iter().copied().any(is_cjk) {
        return Vec::new();
    }
    for hit in res.han_heads.find(text) {
        if skip(hit.span.start) {
            continue;
        }
        let mut start = hit.span.start;
        while start > 0 && hit.span.start - start < 16 && is_cjk(chars[start - 1]) && !boundary_ends_at(res, chars, start) {
            start -= 1;
        }
        let span = Span::new(start, hit.span.end);
        if span.len() < hit.span.len() + 2 && span.len() < 4 {
            continue;
        }
        let head: String = chars[hit.span.start..hit.span.end].iter().collect();
        found.push(NameMention {
            span,
            name: text.original_slice(span),
            acronym: None,
            core: None,
            forms: Vec::new(),
            kind: *hit.value,
            head,
        });
    }
    let all = found.clone();
    found.retain(|m| !all.iter().any(|o| o.span != m.span && o.span.contains(&m.span)));
    found
}

fn boundary_ends_at(res: &Resources, chars: &[char], pos: usize) -> bool {
    (1..=pos.min(4)).any(|n| {
        let word: String = chars[pos - n..pos].iter().collect();
        res.zh_boundaries.contains(&word)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(s: &str) -> Vec<String> {
        let res = Resources::get();
        let t = Text::new(s, &|w| res.is_abbreviation(w));
        let mut v: Vec<String> = find_cyrillic_names(&t, res, &|_| false).into_iter().map(|m| m.name).collect();
        v.extend(find_han_names(&t, res, &|_| false).into_iter().map(|m| m.name));
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
}
