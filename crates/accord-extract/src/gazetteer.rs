//! Places and countries: country names, adjectives and compounds in each
//! language ("Russian", "Sino-Russian", "российско-китайский", "中俄"), and
//! cities and regions mapped to their country.

use crate::resources::{CountryForm, PlaceEntry, Resources};
use crate::text::{is_cjk, is_cyrillic, Text, TokenKind};
use accord_model::Span;

/// A country named in the text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CountryMention {
    /// Characters naming it.
    pub span: Span,
    /// ISO 3166-1 alpha-2 code.
    pub code: String,
    /// True when the text names the country itself rather than an adjective or compound.
    pub is_name: bool,
}

/// A city or region named in the text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PlaceMention {
    /// Characters naming it.
    pub span: Span,
    /// The gazetteer's entry.
    pub place: PlaceEntry,
}

/// Context characters after a Chinese compound of country abbreviations ("中俄合作").
const ZH_COMPOUND_CONTEXT: &[char] = &[
    '合', '医', '醫', '两', '兩', '关', '關', '友', '联', '聯', '交', '双', '雙', '边', '邊', '卫', '衛', '健', '青', '建', '经', '經',
    '战', '戰', '文', '科', '教', '人', '签', '簽',
];

/// True when a match in a cased script starts with a capital, as names do.
fn capitalised(text: &Text, span: Span) -> bool {
    let c = text.chars[span.start];
    !c.is_alphabetic() || is_cjk(c) || c.is_uppercase()
}

/// Finds every country the text names.
pub fn find_countries(text: &Text, res: &Resources) -> Vec<CountryMention> {
    let mut out: Vec<CountryMention> = res
        .countries
        .find(text)
        .into_iter()
        .filter(|h| h.value.1 == CountryForm::Adjective || capitalised(text, h.span))
        .map(|h| CountryMention {
            span: h.span,
            code: h.value.0.clone(),
            is_name: h.value.1 == CountryForm::Name,
        })
        .collect();
    for (i, t) in text.tokens.iter().enumerate() {
        if t.kind != TokenKind::Word {
            continue;
        }
        let cyrillic = is_cyrillic(text.chars[t.span.start]);
        let word = text.lower_slice(t.span);
        if !cyrillic && !word.contains('-') {
            continue;
        }
        let mut offset = t.span.start;
        let parts: Vec<&str> = word.split('-').collect();
        for (k, part) in parts.iter().enumerate() {
            let span = Span::new(offset, offset + part.chars().count());
            offset = span.end + 1;
            let prefix = (k + 1 < parts.len()).then(|| res.country_prefixes.get(*part)).flatten();
            let stem = cyrillic.then(|| res.country_of_stem(part)).flatten();
            if let Some(code) = prefix.map(String::as_str).or(stem) {
                if !out.iter().any(|m| m.span.overlaps(&span)) {
                    out.push(CountryMention {
                        span,
                        code: code.to_string(),
                        is_name: stem.is_some() && k == 0 && text.is_capitalized(i),
                    });
                }
            }
        }
    }
    out.extend(find_zh_compounds(text, res));
    out.sort_by_key(|m| m.span.start);
    out
}

/// "中俄", "中法" and the like, when a compound word follows.
fn find_zh_compounds(text: &Text, res: &Resources) -> Vec<CountryMention> {
    let chars = &text.chars;
    let mut out = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let start = i;
        while i < chars.len() && res.country_abbreviations.contains_key(&chars[i]) {
            i += 1;
        }
        let run = &chars[start..i];
        let followed = chars.get(i).is_some_and(|c| ZH_COMPOUND_CONTEXT.contains(c));
        if run.len() >= 2 && run.contains(&'中') && followed {
            for (k, c) in run.iter().enumerate() {
                out.push(CountryMention {
                    span: Span::new(start + k, start + k + 1),
                    code: res.country_abbreviations[c].clone(),
                    is_name: false,
                });
            }
        }
        if i == start {
            i += 1;
        }
    }
    out
}

/// Finds every city and region the text names, by name or by the adjective
/// made from it ("Харбинский университет", "Würzburger Klinikum").
pub fn find_places(text: &Text, res: &Resources) -> Vec<PlaceMention> {
    let mut out: Vec<PlaceMention> = res
        .places
        .find(text)
        .into_iter()
        .filter(|h| capitalised(text, h.span) && !in_titled_person_name(text, res, h.span))
        .map(|h| PlaceMention {
            span: h.span,
            place: h.value.clone(),
        })
        .collect();
    let named = out.len();
    for (i, t) in text.tokens.iter().enumerate() {
        if t.kind != TokenKind::Word || !text.is_capitalized(i) {
            continue;
        }
        let before = out[..named].partition_point(|m| m.span.start < t.span.end);
        if before > 0 && out[before - 1].span.end > t.span.start {
            continue;
        }
        if let Some(place) = place_of_adjective(res, text.lower_slice(t.span)) {
            out.push(PlaceMention {
                span: t.span,
                place: place.clone(),
            });
        }
    }
    out.sort_by_key(|m| m.span.start);
    out
}

/// Most capitalised words between an honorific and a place-named surname.
const MAX_NAME_WORDS_BEFORE: usize = 3;

/// "Dr. Gustavo Aldereguía Lima": a place name ending a run of capitalised
/// words opened by an honorific is a surname, not a place.
fn in_titled_person_name(text: &Text, res: &Resources, span: Span) -> bool {
    let first = text.token_at_or_after(span.start);
    let mut k = first;
    for _ in 0..=MAX_NAME_WORDS_BEFORE {
        if k == 0 {
            return false;
        }
        k -= 1;
        if text.is_punct(k, '.') && k > 0 {
            let word = text.lower_slice(text.tokens[k - 1].span);
            return k < first && res.titles.get(word).is_some_and(|t| *t == crate::resources::TitleKind::Honorific);
        }
        if !text.is_capitalized(k) {
            return false;
        }
    }
    false
}

/// Russian adjective endings made from a place name with "-ск-".
const RU_PLACE_ADJECTIVE_ENDINGS: &[&str] = &[
    "скими",
    "ского",
    "скому",
    "ский",
    "ская",
    "ской",
    "скую",
    "ское",
    "ские",
    "ских",
    "ским",
    "ском",
];

/// Shortest place name an adjective is read as: shorter ones match by chance.
const MIN_PLACE_STEM: usize = 4;

/// The place a capitalised adjective is made from: Russian "-ский" on the
/// name or its stem (Харбин → Харбинский, Хоккайдо → Хоккайдского, Томск →
/// Томский), German "-er" (Würzburg → Würzburger).
fn place_of_adjective<'r>(res: &'r Resources, word: &str) -> Option<&'r PlaceEntry> {
    let stem_ok = |s: &str| s.chars().count() >= MIN_PLACE_STEM;
    if let Some(stem) = RU_PLACE_ADJECTIVE_ENDINGS.iter().find_map(|e| word.strip_suffix(e)) {
        if !stem.chars().all(is_cyrillic) {
            return None;
        }
        return ["", "ск", "о", "ь", "а"].iter().find_map(|tail| {
            let name = format!("{stem}{tail}");
            res.places.get(&name).filter(|_| stem_ok(&name))
        });
    }
    let stem = word.strip_suffix("er")?;
    (stem_ok(stem) && !stem.chars().any(is_cyrillic))
        .then(|| res.places.get(stem))
        .flatten()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn codes(s: &str) -> Vec<String> {
        let res = Resources::get();
        let t = Text::new(s, &|_| false);
        find_countries(&t, res).into_iter().map(|m| m.code).collect()
    }

    #[test]
    fn finds_names_adjectives_and_compounds() {
        assert_eq!(codes("Sino-Russian ties and French doctors in Senegal"), ["CN", "RU", "FR", "SN"]);
        assert_eq!(codes("российско-китайский центр в России"), ["RU", "CN", "RU"]);
        assert_eq!(codes("中俄医疗合作"), ["CN", "RU"]);
        assert_eq!(codes("中心"), Vec::<String>::new());
        assert_eq!(codes("a china cup"), Vec::<String>::new());
    }

    #[test]
    fn maps_cities_to_countries() {
        let res = Resources::get();
        let t = Text::new("signed in Chongqing and Москве", &|_| false);
        let p: Vec<(String, String)> = find_places(&t, res)
            .into_iter()
            .map(|m| (m.place.canonical, m.place.country))
            .collect();
        assert_eq!(
            p,
            [
                ("Chongqing".to_string(), "CN".to_string()),
                ("Moscow".to_string(), "RU".to_string())
            ]
        );
    }

    #[test]
    fn reads_places_from_their_adjectives() {
        let res = Resources::get();
        let t = Text::new(
            "Харбинского университета, Томский центр, Würzburger Klinik, Поморский банк",
            &|_| false,
        );
        let p: Vec<String> = find_places(&t, res).into_iter().map(|m| m.place.canonical).collect();
        assert_eq!(p, ["Harbin", "Tomsk", "Würzburg"]);
        let t = Text::new("Hospital Dr. Ana Ruiz Lima y el Dr. Lima, en Lima", &|_| false);
        let p: Vec<usize> = find_places(&t, res).into_iter().map(|m| m.span.start).collect();
        assert_eq!(p, [t.len() - 4], "only the last Lima is the city");
    }
}
