//! HTML reduced to its main text: scripts, styles, menus, headers and footers
//! dropped, blocks turned into lines, entities decoded. When the page marks its
//! main content (`<article>` or `<main>`), only that content is kept.
//!
//! The reducer is a small tolerant scanner rather than a full HTML5 parser: it
//! never fails, whatever the markup, and runs at memory speed.

/// The text of an HTML page and its title.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HtmlText {
    /// The main text, one block per line, paragraphs separated by blank lines.
    pub text: String,
    /// The content of `<title>` or of the first `<h1>`.
    pub title: Option<String>,
}

const DROPPED: &[&str] = &[
    "script", "style", "noscript", "template", "svg", "nav", "footer", "aside", "form", "button", "select", "iframe", "menu", "head",
    "object", "canvas",
];
const PARAGRAPHS: &[&str] = &[
    "p",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "article",
    "section",
    "main",
    "blockquote",
    "table",
    "ul",
    "ol",
    "pre",
    "figure",
    "header",
    "dl",
];
const LINES: &[&str] = &[
    "br",
    "div",
    "li",
    "tr",
    "td",
    "th",
    "dt",
    "dd",
    "figcaption",
    "caption",
    "hr",
    "time",
    "address",
];
const MAIN: &[&str] = &["article", "main"];

struct Reducer {
    all: String,
    main: String,
    dropped: Vec<String>,
    main_depth: usize,
    title: Option<String>,
    in_title: bool,
    in_h1: bool,
    h1: String,
    title_buf: String,
    in_pre: usize,
}

/// Reduces an HTML page to its main text.
pub fn html_to_text(html: &str) -> HtmlText {
    let mut r = Reducer {
        all: String::with_capacity(html.len() / 2),
        main: String::new(),
        dropped: Vec::new(),
        main_depth: 0,
        title: None,
        in_title: false,
        in_h1: false,
        h1: String::new(),
        title_buf: String::new(),
        in_pre: 0,
    };
    let bytes = html.as_bytes();
    let mut i = 0;
    let mut text_start = 0;
    while i < bytes.len() {
        if bytes[i] != b'<' {
            i += 1;
            continue;
        }
        r.text(&html[text_start..i]);
        let end = tag_end(html, i);
        r.tag(&html[i..end]);
        i = end;
        text_start = end;
    }
    r.text(&html[text_start..]);
    let body = if r.main.trim().is_empty() { &r.all } else { &r.main };
    let title = r
        .title
        .filter(|t| !t.is_empty())
        .or_else(|| Some(collapse(&r.h1)).filter(|t| !t.is_empty()));
    HtmlText { text: tidy(body), title }
}

/// End (exclusive) of the markup starting at `i`: a comment, a declaration or a tag.
fn tag_end(html: &str, i: usize) -> usize {
    let rest = &html[i..];
    if rest.starts_with("<!--") {
        return rest.find("-->").map_or(html.len(), |p| i + p + 3);
    }
    let bytes = rest.as_bytes();
    let mut quote: Option<u8> = None;
    for (k, &b) in bytes.iter().enumerate().skip(1) {
        match quote {
            Some(q) if b == q => quote = None,
            Some(_) => {}
            None if b == b'"' || b == b'\'' => quote = Some(b),
            None if b == b'>' => return i + k + 1,
            None if b == b'<' && k > 1 => return i + k,
            None => {}
        }
    }
    html.len()
}

impl Reducer {
    fn tag(&mut self, raw: &str) {
        let inner = raw.trim_start_matches('<').trim_end_matches('>');
        let closing = inner.starts_with('/');
        let name: String = inner
            .trim_start_matches('/')
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric())
            .collect::<String>()
            .to_ascii_lowercase();
        if name.is_empty() {
            return;
        }
        let self_closing = inner.ends_with('/');
        if name == "title" {
            self.in_title = !closing;
            if closing && self.title.is_none() {
                self.title = Some(collapse(&self.title_buf));
            }
            return;
        }
        if let Some(open) = self.dropped.last() {
            if closing && *open == name {
                self.dropped.pop();
            } else if !closing && !self_closing && DROPPED.contains(&name.as_str()) && name != "head" {
                self.dropped.push(name.clone());
            }
            return;
        }
        let header_outside_main = name == "header" && self.main_depth == 0;
        if !closing && !self_closing && (DROPPED.contains(&name.as_str()) || header_outside_main) {
            self.dropped.push(name);
            return;
        }
        if MAIN.contains(&name.as_str()) {
            if closing {
                self.main_depth = self.main_depth.saturating_sub(1);
            } else {
                self.main_depth += 1;
            }
        }
        match name.as_str() {
            "h1" => self.in_h1 = !closing && self.h1.is_empty(),
            "pre" if closing => self.in_pre = self.in_pre.saturating_sub(1),
            "pre" => self.in_pre += 1,
            _ => {}
        }
        if PARAGRAPHS.contains(&name.as_str()) {
            self.push("\n\n");
        } else if LINES.contains(&name.as_str()) {
            self.push("\n");
        } else if matches!(name.as_str(), "td" | "th" | "span" | "a" | "img") {
            self.push(" ");
        }
    }

    fn text(&mut self, raw: &str) {
        if raw.is_empty() {
            return;
        }
        if self.in_title {
            self.title_buf.push_str(&decode_entities(raw));
            return;
        }
        if !self.dropped.is_empty() {
            return;
        }
        let decoded = decode_entities(raw);
        let text = if self.in_pre > 0 { decoded } else { collapse_inline(&decoded) };
        if self.in_h1 {
            self.h1.push_str(&text);
        }
        self.push(&text);
    }

    fn push(&mut self, s: &str) {
        self.all.push_str(s);
        if self.main_depth > 0 {
            self.main.push_str(s);
        }
    }
}

/// Collapses white space inside a run of inline text, as a browser does.
fn collapse_inline(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut space = false;
    for c in s.chars() {
        if c.is_whitespace() && c != '\u{00A0}' {
            space = true;
        } else {
            if space {
                out.push(' ');
            }
            space = false;
            out.push(c);
        }
    }
    if space {
        out.push(' ');
    }
    out
}

fn collapse(s: &str) -> String {
    collapse_inline(s).trim().to_string()
}

/// Trims every line and keeps at most one blank line between blocks.
fn tidy(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut blank = 0;
    for line in s.lines() {
        let line = line.trim_matches(|c: char| c.is_whitespace() && c != '\u{00A0}');
        if line.is_empty() {
            blank += 1;
            continue;
        }
        if !out.is_empty() {
            out.push_str(if blank > 0 { "\n\n" } else { "\n" });
        }
        blank = 0;
        out.push_str(line);
    }
    out
}

/// Decodes character references: numeric ones and the common named ones.
pub fn decode_entities(s: &str) -> String {
    if !s.contains('&') {
        return s.to_string();
    }
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(p) = rest.find('&') {
        out.push_str(&rest[..p]);
        rest = &rest[p..];
        let end = rest[1..].find(|c: char| !(c.is_ascii_alphanumeric() || c == '#')).map(|e| e + 1);
        let (name, consumed) = match end {
            Some(e) if rest[e..].starts_with(';') => (&rest[1..e], e + 1),
            Some(e) => (&rest[1..e], e),
            None => (&rest[1..], rest.len()),
        };
        match entity(name) {
            Some(c) if !name.is_empty() => {
                out.push(c);
                rest = &rest[consumed..];
            }
            _ => {
                out.push('&');
                rest = &rest[1..];
            }
        }
    }
    out.push_str(rest);
    out
}

fn entity(name: &str) -> Option<char> {
    if let Some(num) = name.strip_prefix('#') {
        let code = match num.strip_prefix(['x', 'X']) {
            Some(hex) => u32::from_str_radix(hex, 16).ok()?,
            None => num.parse().ok()?,
        };
        return Some(char::from_u32(code).filter(|c| *c != '\0').unwrap_or('\u{FFFD}'));
    }
    Some(match name {
        "amp" => '&',
        "lt" => '<',
        "gt" => '>',
        "quot" => '"',
        "apos" => '\'',
        "nbsp" => '\u{00A0}',
        "laquo" => '«',
        "raquo" => '»',
        "ldquo" => '“',
        "rdquo" => '”',
        "lsquo" => '‘',
        "rsquo" => '’',
        "bdquo" => '„',
        "mdash" => '—',
        "ndash" => '–',
        "hellip" => '…',
        "middot" => '·',
        "bull" => '•',
        "copy" => '©',
        "reg" => '®',
        "trade" => '™',
        "deg" => '°',
        "eacute" => 'é',
        "Eacute" => 'É',
        "egrave" => 'è',
        "Egrave" => 'È',
        "ecirc" => 'ê',
        "euml" => 'ë',
        "agrave" => 'à',
        "Agrave" => 'À',
        "aacute" => 'á',
        "acirc" => 'â',
        "auml" => 'ä',
        "Auml" => 'Ä',
        "ccedil" => 'ç',
        "Ccedil" => 'Ç',
        "iacute" => 'í',
        "icirc" => 'î',
        "iuml" => 'ï',
        "ntilde" => 'ñ',
        "Ntilde" => 'Ñ',
        "oacute" => 'ó',
        "ocirc" => 'ô',
        "ouml" => 'ö',
        "Ouml" => 'Ö',
        "uacute" => 'ú',
        "ugrave" => 'ù',
        "ucirc" => 'û',
        "uuml" => 'ü',
        "Uuml" => 'Ü',
        "szlig" => 'ß',
        "oelig" => 'œ',
        "OElig" => 'Œ',
        "aelig" => 'æ',
        "shy" => '\u{00AD}',
        "zwnj" => '\u{200C}',
        "zwj" => '\u{200D}',
        "thinsp" => '\u{2009}',
        "ensp" => '\u{2002}',
        "emsp" => '\u{2003}',
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_the_article_and_drops_furniture() {
        let html = r#"<html><head><title>Joint centre opens</title><style>p{color:red}</style></head>
<body><nav><a href="/">Home</a> » <a>News</a></nav>
<script>var x = "<p>not text</p>";</script>
<article><h1>Joint centre opens</h1><p>The Lakeside Hospital&nbsp;and the Institut&#x20;Pasteur signed an&nbsp;agreement.</p>
<p>Second &amp; last<br>line.</p></article><footer>Share</footer></body></html>"#;
        let r = html_to_text(html);
        assert_eq!(r.title.as_deref(), Some("Joint centre opens"));
        assert_eq!(
            r.text,
            "Joint centre opens\n\nThe Lakeside Hospital\u{a0}and the Institut Pasteur signed an\u{a0}agreement.\n\nSecond & last\nline."
        );
    }

    #[test]
    fn survives_broken_markup() {
        let r = html_to_text("<p>Open <b>bold <i>never closed <div attr=\"x>y\">text & more &bogus; &#99999999;");
        assert_eq!(r.text, "Open bold never closed\ntext & more &bogus; \u{FFFD}");
        assert_eq!(html_to_text("<<<>>>").text, ">>");
        assert_eq!(html_to_text("").text, "");
    }
}
