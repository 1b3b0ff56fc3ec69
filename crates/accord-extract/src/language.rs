//! Language of a page: the script decides between Chinese, Russian and the
//! Latin-script languages, function words decide among the latter.

use crate::resources::Resources;
use crate::text::{is_cjk, is_cyrillic, Text, TokenKind};

/// ISO 639-1 code of the page's main language, or `None` for a text with no letters.
pub fn detect(text: &Text, res: &Resources, skip: &dyn Fn(usize) -> bool) -> Option<&'static str> {
    let (mut han, mut cyr, mut latin) = (0usize, 0usize, 0usize);
    let mut votes: [(&str, usize); 4] = [("en", 0), ("fr", 0), ("es", 0), ("de", 0)];
    for t in text.tokens.iter() {
        if skip(t.span.start) {
            continue;
        }
        match t.kind {
            TokenKind::Cjk => han += 1,
            TokenKind::Word => {
                let c = text.chars[t.span.start];
                if is_cyrillic(c) {
                    cyr += t.span.len();
                } else if c.is_alphabetic() && !is_cjk(c) {
                    latin += t.span.len();
                    if let Some(langs) = res.function_words.get(text.lower_slice(t.span)) {
                        for l in langs {
                            if let Some(v) = votes.iter_mut().find(|(name, _)| name == l) {
                                v.1 += if langs.len() == 1 { 2 } else { 1 };
                            }
                        }
                    }
                }
            }
            _ => {}
        }
    }
    // A Han character carries about as much as a two-to-three-letter word.
    let han_weight = han * 3;
    if han_weight == 0 && cyr == 0 && latin == 0 {
        return None;
    }
    if han_weight >= cyr && han_weight >= latin {
        return Some("zh");
    }
    if cyr >= latin {
        return Some("ru");
    }
    let best = votes.iter().max_by_key(|(_, v)| *v).map_or("en", |(l, _)| *l);
    Some(if votes.iter().all(|(_, v)| *v == 0) { "en" } else { best })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lang(s: &str) -> Option<&'static str> {
        let res = Resources::get();
        let t = Text::new(s, &|_| false);
        detect(&t, res, &|_| false)
    }

    #[test]
    fn tells_the_six_languages_apart() {
        assert_eq!(lang("The hospital signed an agreement with the university."), Some("en"));
        assert_eq!(lang("Le centre hospitalier et l'université ont signé une convention."), Some("fr"));
        assert_eq!(
            lang("El hospital y la universidad firmaron un convenio de colaboración."),
            Some("es")
        );
        assert_eq!(
            lang("Das Klinikum und die Universität haben einen Vertrag unterzeichnet."),
            Some("de")
        );
        assert_eq!(lang("Больница подписала соглашение о сотрудничестве."), Some("ru"));
        assert_eq!(lang("医院与大学签署合作协议。"), Some("zh"));
        assert_eq!(lang("12345 !!!"), None);
    }
}
