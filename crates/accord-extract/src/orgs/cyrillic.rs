//! Institution names in Cyrillic, where names are not capitalised: a head
//! noun ("больница", "университет") with the adjectives before it and the
//! genitive chain after it, acronym-led names, coordinated adjectives
//! sharing a plural head, and quoted names after a legal form.

use super::mention::{is_acronym_shape, NameMention};
use crate::resources::Resources;
use crate::text::{is_cyrillic, Text, TokenKind};
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
        if close == i + 2 && is_acronym_shape(&text.tok(i + 1)) {
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
                // A capitalised head after "и" opens a name of its own
                // ("Университет Цинхуа и Больница Жэньминь").
                let opens_name = text.is_capitalized(k + 1) && is_head(res, n);
                !opens_name
                    && (text.is_capitalized(k + 1) || res.is_inner_word(n) || GENITIVE_ADJECTIVE_ENDINGS.iter().any(|e| n.ends_with(e)))
            })
        {
            k += 1;
        } else {
            break;
        }
    }
    last
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(s: &str) -> Vec<String> {
        let res = Resources::get();
        let t = Text::new(s, &|w| res.is_abbreviation(w));
        find_cyrillic_names(&t, res, &|_| false).into_iter().map(|m| m.name).collect()
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
    fn a_capitalised_head_after_and_opens_another_name() {
        assert_eq!(
            names("Университет Цинхуа и Больница Жэньминь провели встречу."),
            ["Университет Цинхуа", "Больница Жэньминь"]
        );
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
