//! Page furniture: breadcrumbs, menus, share buttons, font-size switches and
//! browser notices that scraped pages keep. Such lines are recognised and
//! never mined for facts.

use crate::resources::Resources;
use crate::text::Text;
use accord_model::Span;

/// Spans of the lines that are page furniture.
pub fn find_furniture(text: &Text, res: &Resources) -> Vec<Span> {
    let hits = res.furniture.find(text);
    let mut out = Vec::new();
    let mut start = 0;
    let n = text.len();
    while start <= n {
        let end = text.chars[start..].iter().position(|&c| c == '\n').map_or(n, |p| start + p);
        let line = text.trim(Span::new(start, end));
        if !line.is_empty() && is_furniture_line(text, line, &hits) {
            out.push(line);
        }
        start = end + 1;
    }
    out
}

fn is_furniture_line(text: &Text, line: Span, hits: &[crate::lexicon::PhraseHit<'_, ()>]) -> bool {
    let chars = &text.chars[line.start..line.end];
    if chars.iter().filter(|c| matches!(c, '»' | '›' | '>' | '|' | '/')).count() >= 2 && line.len() < 120 {
        return true;
    }
    let covered: usize = hits.iter().filter(|h| line.contains(&h.span)).map(|h| h.span.len()).sum();
    let letters = chars.iter().filter(|c| c.is_alphanumeric()).count();
    if letters == 0 {
        return line.len() < 10;
    }
    let long_notice = covered >= 12 && covered * 10 >= letters * 6;
    let short_menu = line.len() <= 60 && covered * 10 >= letters * 6;
    long_notice || short_menu
}

/// True when a character offset lies in furniture.
pub fn in_furniture(furniture: &[Span], pos: usize) -> bool {
    let i = furniture.partition_point(|s| s.end <= pos);
    i < furniture.len() && furniture[i].start <= pos
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn recognises_menus_breadcrumbs_and_browser_notices() {
        let res = Resources::get();
        let s = "Home  »  News  »  Content\nPrint Mail Large Medium Small\nThe hospital signed an agreement with a university in Lyon.\n请升级浏览器版本\nShare this";
        let t = Text::new(s, &|_| false);
        let f = find_furniture(&t, res);
        let lines: Vec<String> = f.iter().map(|s| t.original_slice(*s)).collect();
        assert_eq!(
            lines,
            [
                "Home  »  News  »  Content",
                "Print Mail Large Medium Small",
                "请升级浏览器版本",
                "Share this"
            ]
        );
        assert!(in_furniture(&f, 3));
        assert!(!in_furniture(&f, 60));
    }
}
