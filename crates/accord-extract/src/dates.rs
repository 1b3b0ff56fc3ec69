//! The date grammar: full, partial and relative dates in the usual forms of
//! each language, and the page's own publication date from its header.
//!
//! Dates are read from tokens, not from regular expressions, so that one
//! grammar serves "17 August 2019", "17 августа 2019 г.", "2019年8月17日",
//! "Aug. 17th, 2019" and "17.08.2019" alike.

use crate::resources::Resources;
use crate::text::{Text, TokenKind};
use accord_model::Span;

/// A date as precise as the text gives it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct PartialDate {
    /// Year, when stated or carried.
    pub year: Option<i32>,
    /// Month 1..=12.
    pub month: Option<u8>,
    /// Day 1..=31 (only with a month).
    pub day: Option<u8>,
}

impl PartialDate {
    /// A year alone.
    pub fn year(y: i32) -> PartialDate {
        PartialDate {
            year: Some(y),
            month: None,
            day: None,
        }
    }

    /// True when year, month and day are all known.
    pub fn is_full(&self) -> bool {
        self.year.is_some() && self.month.is_some() && self.day.is_some()
    }

    /// The schema's form: `YYYY-MM-DD`, `YYYY-MM`, `YYYY`, `--MM-DD` or `--MM`.
    pub fn to_schema(&self) -> Option<String> {
        match (self.year, self.month, self.day) {
            (Some(y), Some(m), Some(d)) => Some(format!("{y:04}-{m:02}-{d:02}")),
            (Some(y), Some(m), None) => Some(format!("{y:04}-{m:02}")),
            (Some(y), None, _) => Some(format!("{y:04}")),
            (None, Some(m), Some(d)) => Some(format!("--{m:02}-{d:02}")),
            (None, Some(m), None) => Some(format!("--{m:02}")),
            _ => None,
        }
    }

    /// Days since 1970-01-01 of a full date (proleptic Gregorian).
    pub fn days(&self) -> Option<i64> {
        let (y, m, d) = (self.year? as i64, self.month? as i64, self.day? as i64);
        let (y, m) = if m <= 2 { (y - 1, m + 9) } else { (y, m - 3) };
        let era = y.div_euclid(400);
        let yoe = y - era * 400;
        let doy = (153 * m + 2) / 5 + d - 1;
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
        Some(era * 146_097 + doe - 719_468)
    }

    /// The full date of a day count.
    pub fn from_days(z: i64) -> PartialDate {
        let z = z + 719_468;
        let era = z.div_euclid(146_097);
        let doe = z - era * 146_097;
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        let mp = (5 * doy + 2) / 153;
        let d = (doy - (153 * mp + 2) / 5 + 1) as u8;
        let m = if mp < 10 { mp + 3 } else { mp - 9 } as u8;
        let y = (yoe + era * 400 + i64::from(m <= 2)) as i32;
        PartialDate {
            year: Some(y),
            month: Some(m),
            day: Some(d),
        }
    }
}

/// How a date mention was written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DateKind {
    /// Day, month and possibly year, or month and year.
    Calendar,
    /// A four-digit year alone.
    BareYear,
    /// A month name alone ("in December").
    BareMonth,
    /// A weekday or a word like "yesterday", resolved against the page's date.
    Relative(i64),
    /// "last year", "в этом году": a year relative to the page's date.
    RelativeYear(i64),
    /// "last month", 上月: a month relative to the page's date.
    RelativeMonth(i64),
    /// "the next day", 当天: a day relative to the last full date before.
    Anchored(i64),
    /// A weekday name (resolved against the page's date).
    Weekday(u8),
    /// A day of the month alone ("5日").
    DayOnly,
}

/// A date found in the text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DateMention {
    /// Characters that state it.
    pub span: Span,
    /// The date as written (no year carried yet).
    pub date: PartialDate,
    /// How it was written.
    pub kind: DateKind,
    /// Marked as the latest past one ("le 12 dernier", "el pasado abril",
    /// "last May"): its year is the page's, or the one before.
    pub past: bool,
}

struct Scanner<'a> {
    text: &'a Text,
    res: &'a Resources,
    lang_en: bool,
}

impl Scanner<'_> {
    fn number(&self, i: usize) -> Option<u32> {
        let t = self.text.tokens.get(i)?;
        if t.kind != TokenKind::Number || t.span.len() > 4 {
            return None;
        }
        self.text.tok(i).parse().ok()
    }

    fn digits(&self, i: usize) -> usize {
        self.text
            .tokens
            .get(i)
            .map_or(0, |t| if t.kind == TokenKind::Number { t.span.len() } else { 0 })
    }

    fn glued(&self, i: usize) -> bool {
        self.text.tokens.get(i).is_some_and(|t| !t.space_before)
    }

    fn punct(&self, i: usize, set: &[char]) -> bool {
        self.text
            .tokens
            .get(i)
            .is_some_and(|t| t.kind == TokenKind::Punct && set.contains(&self.text.chars[t.span.start]))
    }

    fn word_lower(&self, i: usize) -> Option<&str> {
        let t = self.text.tokens.get(i)?;
        (t.kind == TokenKind::Word).then(|| self.text.lower_slice(t.span))
    }

    fn cjk(&self, i: usize, c: char) -> bool {
        self.text
            .tokens
            .get(i)
            .is_some_and(|t| t.kind == TokenKind::Cjk && self.text.chars[t.span.start] == c)
    }

    /// Month at token `i`: returns (month, tokens used), accepting a trailing period.
    fn month(&self, i: usize, beside_number: bool) -> Option<(u8, usize)> {
        let w = self.word_lower(i)?;
        let m = *self.res.months.get(w)?;
        if !beside_number && self.res.ambiguous_months.contains(w) {
            return None;
        }
        // Lower case "may" in English is the verb; French writes "10 mai" in lower case.
        if self.lang_en
            && self.res.ambiguous_months.contains(w)
            && w.chars().count() <= 3
            && !self.text.is_capitalized(i)
            && self.text.tokens[i].kind == TokenKind::Word
        {
            let all_lower_script = self.text.first_char(i).is_lowercase();
            if all_lower_script && !crate::text::is_cyrillic(self.text.first_char(i)) {
                return None;
            }
        }
        let used = if self.punct(i + 1, &['.']) && self.glued(i + 1) { 2 } else { 1 };
        Some((m, used))
    }

    fn year_at(&self, i: usize) -> Option<(i32, usize)> {
        let y = self.number(i)?;
        if self.digits(i) != 4 || !(1900..=2100).contains(&y) {
            return None;
        }
        let mut used = 1;
        if self.cjk(i + 1, '年') {
            used += 1;
        } else if let Some(w) = self.word_lower(i + 1) {
            if matches!(w, "г" | "года" | "год" | "году" | "гг") {
                used += if self.punct(i + 2, &['.']) { 2 } else { 1 };
            }
        }
        Some((y as i32, used))
    }

    fn day_value(&self, i: usize) -> Option<u8> {
        let d = self.number(i)?;
        (self.digits(i) <= 2 && (1..=31).contains(&d)).then_some(d as u8)
    }

    /// Skips an ordinal suffix after a day ("th", "er", "º", ".").
    fn after_ordinal(&self, i: usize) -> usize {
        if let Some(w) = self.word_lower(i) {
            if self.glued(i) && matches!(w, "st" | "nd" | "rd" | "th" | "er" | "e" | "eme" | "ème" | "го" | "е" | "o" | "a") {
                return i + 1;
            }
        }
        if self.punct(i, &['º', 'ª']) {
            return i + 1;
        }
        i
    }

    fn skip_words(&self, mut i: usize, words: &[&str]) -> usize {
        while let Some(w) = self.word_lower(i) {
            if words.contains(&w) {
                i += 1;
            } else {
                break;
            }
        }
        i
    }

    /// Tries every pattern at token `i`; returns the mention and the next token.
    fn at(&self, i: usize) -> Option<(PartialDate, DateKind, usize)> {
        self.numeric(i)
            .or_else(|| self.cjk_date(i))
            .or_else(|| self.day_month_year(i))
            .or_else(|| self.month_day_year(i))
            .or_else(|| self.month_year(i))
            .or_else(|| self.single(i))
    }

    /// 2019-08-17, 2019/8/17, 17.08.2019, 08/16/07, 13.07.23
    fn numeric(&self, i: usize) -> Option<(PartialDate, DateKind, usize)> {
        let a = self.number(i)?;
        let sep = self.text.tokens.get(i + 1).filter(|_| self.glued(i + 1))?;
        let sep_char = self.text.chars[sep.span.start];
        if !matches!(sep_char, '-' | '/' | '.') || !self.glued(i + 2) {
            return None;
        }
        let b = self.number(i + 2)?;
        let full = self.punct(i + 3, &[sep_char]) && self.glued(i + 3) && self.glued(i + 4);
        if self.digits(i) == 4 {
            let m = u8::try_from(b).ok().filter(|m| (1..=12).contains(m))?;
            if full {
                let d = self
                    .number(i + 4)
                    .and_then(|d| u8::try_from(d).ok())
                    .filter(|d| (1..=31).contains(d))?;
                return Some((
                    PartialDate {
                        year: Some(a as i32),
                        month: Some(m),
                        day: Some(d),
                    },
                    DateKind::Calendar,
                    i + 5,
                ));
            }
            return (sep_char != '.').then_some((
                PartialDate {
                    year: Some(a as i32),
                    month: Some(m),
                    day: None,
                },
                DateKind::Calendar,
                i + 3,
            ));
        }
        if !full || self.digits(i) > 2 || self.digits(i + 2) > 2 {
            return None;
        }
        let c = self.number(i + 4)?;
        let year = match self.digits(i + 4) {
            4 => c as i32,
            2 => expand_two_digit_year(c),
            _ => return None,
        };
        let (mut d, mut m) = (a, b);
        if sep_char == '/' && self.lang_en && a <= 12 {
            (d, m) = (b, a);
        } else if m > 12 && d <= 12 {
            (d, m) = (m, d);
        }
        let (d, m) = (
            u8::try_from(d).ok().filter(|d| (1..=31).contains(d))?,
            u8::try_from(m).ok().filter(|m| (1..=12).contains(m))?,
        );
        Some((
            PartialDate {
                year: Some(year),
                month: Some(m),
                day: Some(d),
            },
            DateKind::Calendar,
            i + 5,
        ))
    }

    /// 2019年8月17日, 8月17日, 2019年8月, 3月 09, 2016, 5日
    fn cjk_date(&self, i: usize) -> Option<(PartialDate, DateKind, usize)> {
        let mut j = i;
        let mut date = PartialDate {
            year: None,
            month: None,
            day: None,
        };
        if self.digits(j) == 4 && self.cjk(j + 1, '年') {
            date.year = Some(self.number(j)? as i32);
            j += 2;
        }
        if let Some(m) = self.number(j).filter(|m| (1..=12).contains(m)) {
            if self.cjk(j + 1, '月') {
                date.month = Some(m as u8);
                j += 2;
                if let Some(d) = self.day_value(j) {
                    if self.cjk(j + 1, '日') || self.cjk(j + 1, '号') || self.cjk(j + 1, '號') {
                        date.day = Some(d);
                        j += 2;
                    } else if date.year.is_none() && self.punct(j + 1, &[',']) {
                        if let Some((y, used)) = self.year_at(j + 2) {
                            date.day = Some(d);
                            date.year = Some(y);
                            j += 2 + used;
                        }
                    }
                }
            }
        }
        if date.month.is_none() && date.year.is_none() {
            let d = self.day_value(i)?;
            if (self.cjk(i + 1, '日') || self.cjk(i + 1, '号')) && !self.cjk(i.wrapping_sub(1), '月') {
                return Some((
                    PartialDate {
                        year: None,
                        month: None,
                        day: Some(d),
                    },
                    DateKind::DayOnly,
                    i + 2,
                ));
            }
            return None;
        }
        if date.year.is_some() && date.month.is_none() {
            return Some((date, DateKind::BareYear, j));
        }
        Some((date, DateKind::Calendar, j))
    }

    /// 17 August 2019, 28th of January, 5. März 2019, 9 de diciembre de 2024,
    /// 17 августа 2019 г., 15-Sep-15, 19–21 October 2014
    fn day_month_year(&self, i: usize) -> Option<(PartialDate, DateKind, usize)> {
        let d = self.day_value(i)?;
        let mut j = self.after_ordinal(i + 1);
        if self.punct(j, &['.']) && self.glued(j) {
            j += 1;
        }
        // A range "19-21 October" or "с 3 по 5 июня": the first day takes the second's month.
        if let Some(k) = self.range_second_day(j) {
            if let Some((date, kind, next)) = self.day_month_year(k) {
                if date.month.is_some() {
                    return Some((PartialDate { day: Some(d), ..date }, kind, next));
                }
            }
        }
        let dashed = self.punct(j, &['-']) && self.glued(j);
        if dashed {
            j += 1;
        }
        j = self.skip_words(j, &["of", "de", "del"]);
        if let Some(w) = self.word_lower(j) {
            if let Some((mon, ym)) = split_month_year(self.res, w) {
                return Some((
                    PartialDate {
                        year: Some(ym),
                        month: Some(mon),
                        day: Some(d),
                    },
                    DateKind::Calendar,
                    j + 1,
                ));
            }
        }
        let (m, used) = self.month(j, true)?;
        j += used;
        let mut k = j;
        if dashed && self.punct(k, &['-']) {
            k += 1;
        }
        if self.punct(k, &[',']) {
            k += 1;
        }
        k = self.skip_words(k, &["de", "del", "of"]);
        let date = PartialDate {
            year: None,
            month: Some(m),
            day: Some(d),
        };
        if let Some((y, used)) = self.year_at(k) {
            return Some((PartialDate { year: Some(y), ..date }, DateKind::Calendar, k + used));
        }
        if dashed && self.digits(k) == 2 {
            let y = expand_two_digit_year(self.number(k)?);
            return Some((PartialDate { year: Some(y), ..date }, DateKind::Calendar, k + 1));
        }
        Some((date, DateKind::Calendar, j))
    }

    fn range_second_day(&self, j: usize) -> Option<usize> {
        let sep = if self.punct(j, &['-', '–']) {
            1
        } else {
            let w = self.word_lower(j)?;
            if matches!(w, "по" | "до" | "to" | "au" | "al" | "bis" | "and" | "et" | "y" | "und" | "и") {
                1
            } else {
                return None;
            }
        };
        self.day_value(j + sep).map(|_| j + sep)
    }

    /// January 28th, 2019; Nov 4, 2019; Aug. 22, 2022; January 22,2017; June 2
    fn month_day_year(&self, i: usize) -> Option<(PartialDate, DateKind, usize)> {
        let (m, used) = self.month(i, true)?;
        let j = i + used;
        let d = self.day_value(j)?;
        if self.digits(j + 1) > 0 && self.glued(j + 1) {
            return None;
        }
        let mut k = self.after_ordinal(j + 1);
        if self.punct(k, &[',']) {
            k += 1;
        }
        let date = PartialDate {
            year: None,
            month: Some(m),
            day: Some(d),
        };
        if let Some((y, used)) = self.year_at(k) {
            return Some((PartialDate { year: Some(y), ..date }, DateKind::Calendar, k + used));
        }
        Some((date, DateKind::Calendar, self.after_ordinal(j + 1)))
    }

    /// September 2018, в сентябре 2018 года, décembre 2024, Sep-15
    fn month_year(&self, i: usize) -> Option<(PartialDate, DateKind, usize)> {
        if let Some(w) = self.word_lower(i) {
            if let Some((m, y)) = split_month_year(self.res, w) {
                return Some((
                    PartialDate {
                        year: Some(y),
                        month: Some(m),
                        day: None,
                    },
                    DateKind::Calendar,
                    i + 1,
                ));
            }
        }
        let (m, used) = self.month(i, true)?;
        let mut k = i + used;
        if self.punct(k, &[',']) {
            k += 1;
        }
        k = self.skip_words(k, &["de", "del", "of"]);
        let (y, yused) = self.year_at(k)?;
        Some((
            PartialDate {
                year: Some(y),
                month: Some(m),
                day: None,
            },
            DateKind::Calendar,
            k + yused,
        ))
    }

    /// A relative day written in CJK characters ("昨日"): its offset and length in tokens.
    fn cjk_relative(&self, i: usize) -> Option<(i64, usize)> {
        if self.text.tokens.get(i)?.kind != TokenKind::Cjk {
            return None;
        }
        self.res.relative_days.iter().find_map(|(w, &off)| {
            let n = w.chars().count();
            let matches = w.chars().enumerate().all(|(k, c)| self.cjk(i + k, c));
            (n > 0 && w.chars().all(crate::text::is_cjk) && matches).then_some((off, n))
        })
    }

    /// A word beside the mention that marks it as the latest past one.
    fn past_marked(&self, first: usize, next: usize) -> bool {
        let marks = |k: usize| self.word_lower(k).is_some_and(|w| self.res.past_markers.contains(w));
        let month_of = first >= 3 && marks(first - 3) && self.word_lower(first - 2) == Some("mes");
        marks(next) || first.checked_sub(1).is_some_and(marks) || month_of
    }

    /// A year alone, a month alone, a weekday or a relative day word.
    fn single(&self, i: usize) -> Option<(PartialDate, DateKind, usize)> {
        if let Some((y, used)) = self.year_at(i) {
            let glued_digits = self.glued(i) && i > 0 && self.text.tokens[i - 1].kind == TokenKind::Number;
            if !(glued_digits || self.glued(i + 1) && self.digits(i + 1) > 0) {
                return Some((PartialDate::year(y), DateKind::BareYear, i + used));
            }
        }
        if let Some((off, used)) = self.cjk_relative(i) {
            return Some((
                PartialDate {
                    year: None,
                    month: None,
                    day: None,
                },
                DateKind::Relative(off),
                i + used,
            ));
        }
        let w = self.word_lower(i)?;
        if let Some(&off) = self.res.relative_days.get(w) {
            return Some((
                PartialDate {
                    year: None,
                    month: None,
                    day: None,
                },
                DateKind::Relative(off),
                i + 1,
            ));
        }
        if let Some(&wd) = self.res.weekdays.get(w) {
            return Some((
                PartialDate {
                    year: None,
                    month: None,
                    day: None,
                },
                DateKind::Weekday(wd),
                i + 1,
            ));
        }
        let (m, _) = self.month(i, false)?;
        let prev = i.checked_sub(1).and_then(|p| self.word_lower(p))?;
        if matches!(
            prev,
            "in" | "since" | "until" | "during" | "of" | "en" | "im" | "в" | "au" | "el" | "de" | "mid" | "early" | "late" | "end"
        ) {
            return Some((
                PartialDate {
                    year: None,
                    month: Some(m),
                    day: None,
                },
                DateKind::BareMonth,
                i + 1,
            ));
        }
        None
    }
}

/// "Sep-15" or "Sep-2015" written as one word.
fn split_month_year(res: &Resources, w: &str) -> Option<(u8, i32)> {
    let (mon, year) = w.split_once('-')?;
    let m = *res.months.get(mon)?;
    if !year.chars().all(|c| c.is_ascii_digit()) {
        return None;
    }
    let y: u32 = year.parse().ok()?;
    match year.len() {
        2 => Some((m, expand_two_digit_year(y))),
        4 if (1900..=2100).contains(&y) => Some((m, y as i32)),
        _ => None,
    }
}

fn expand_two_digit_year(y: u32) -> i32 {
    if y < 70 {
        2000 + y as i32
    } else {
        1900 + y as i32
    }
}

/// Finds every date mention in the text, left to right, longest form first.
pub fn find_dates(text: &Text, res: &Resources, lang: &str) -> Vec<DateMention> {
    let scanner = Scanner {
        text,
        res,
        lang_en: lang == "en",
    };
    let mut out = Vec::new();
    let mut i = 0;
    while i < text.tokens.len() {
        match scanner.at(i) {
            Some((date, kind, next)) if next > i => {
                let end = text.tokens[next - 1].span.end;
                let past =
                    (kind == DateKind::Calendar || kind == DateKind::BareMonth) && date.year.is_none() && scanner.past_marked(i, next);
                out.push(DateMention {
                    span: Span::new(text.tokens[i].span.start, end),
                    date,
                    kind,
                    past,
                });
                i = next;
            }
            _ => i += 1,
        }
    }
    add_relative_phrases(text, res, &mut out);
    for k in 0..out.len() {
        if let Some(date) = weekday_reading(&out, k) {
            out[k].date = date;
        }
    }
    out
}

/// Multi-word relative dates ("last year", "на следующий день", 当天),
/// where no other date stands.
fn add_relative_phrases(text: &Text, res: &Resources, out: &mut Vec<DateMention>) {
    let free: Vec<DateMention> = res
        .relative_phrases
        .find(text)
        .into_iter()
        .filter(|h| !out.iter().any(|m| m.span.overlaps(&h.span)))
        .map(|h| DateMention {
            span: h.span,
            date: PartialDate {
                year: None,
                month: None,
                day: None,
            },
            kind: *h.value,
            past: false,
        })
        .collect();
    if !free.is_empty() {
        out.extend(free);
        out.sort_by_key(|m| m.span.start);
    }
}

/// "Tuesday 2/11/2021": a numeric date whose day and month could be read
/// either way, read the way that falls on the weekday beside it.
fn weekday_reading(out: &[DateMention], k: usize) -> Option<PartialDate> {
    let m = out[k];
    let (day, month) = (m.date.day?, m.date.month?);
    if day > 12 || day == month || m.kind != DateKind::Calendar {
        return None;
    }
    let beside = |w: &DateMention| {
        (w.span.end <= m.span.start && m.span.start - w.span.end <= 2) || (w.span.start >= m.span.end && w.span.start - m.span.end <= 2)
    };
    let wd = out.iter().find_map(|w| match w.kind {
        DateKind::Weekday(wd) if beside(w) => Some(wd),
        _ => None,
    })?;
    let weekday_of = |d: PartialDate| d.days().map(|n| ((n.rem_euclid(7) + 3) % 7 + 1) as u8);
    let swapped = PartialDate {
        day: Some(month),
        month: Some(day),
        ..m.date
    };
    (weekday_of(m.date) != Some(wd) && weekday_of(swapped) == Some(wd)).then_some(swapped)
}

/// The page's own publication date: a full date on a short line near the top,
/// or after a label such as "Published:", "Дата:" or "发布时间".
pub fn find_published(text: &Text, res: &Resources, dates: &[DateMention]) -> Option<(PartialDate, Span)> {
    let head_end = header_limit(text);
    let labels = res.date_labels.find_in(text, Span::new(0, head_end));
    for m in dates
        .iter()
        .filter(|m| m.span.start < head_end && m.kind == DateKind::Calendar && m.date.is_full())
    {
        let line = text.line_of(m.span.start);
        let before = text.trim(Span::new(line.start, m.span.start));
        let after = text.trim(Span::new(m.span.end, line.end.max(m.span.end)));
        let labelled = labels.iter().any(|l| {
            (l.span.start >= line.start
                && l.span.end <= m.span.start
                && text.slice(Span::new(l.span.end, m.span.start)).chars().count() < 40)
                || previous_line_is_label(text, line, l.span)
        });
        let short = before.len() <= 25 && after.len() <= 45 && before.len() + after.len() <= 60;
        if labelled || short || is_dateline(text, before, after) {
            return Some((m.date, m.span));
        }
    }
    None
}

/// "Springfield, March 3, 2021 (Agency) – …": a place and a comma open the
/// story's first line, and the date is followed by a credit or a dash.
fn is_dateline(text: &Text, before: Span, after: Span) -> bool {
    let opens = !before.is_empty() && before.len() <= 40 && text.chars[before.end - 1] == ',';
    opens && !after.is_empty() && matches!(text.chars[after.start], '(' | '-' | '–' | '—' | ':')
}

fn previous_line_is_label(text: &Text, line: Span, label: Span) -> bool {
    if line.start == 0 {
        return false;
    }
    let prev = text.line_of(line.start - 1);
    let prev_trim = text.trim(prev);
    prev_trim.start == label.start && prev_trim.len() <= label.len() + 2
}

/// The header of a page: its first lines, where publication dates stand.
fn header_limit(text: &Text) -> usize {
    let mut lines = 0;
    for (i, c) in text.chars.iter().enumerate() {
        if *c == '\n' {
            lines += 1;
            if lines >= 14 || i > 1500 {
                return i;
            }
        }
    }
    text.len().min(1500)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn dates(s: &str, lang: &str) -> Vec<String> {
        let res = Resources::get();
        let t = Text::new(s, &|w| res.is_abbreviation(w));
        find_dates(&t, res, lang).iter().filter_map(|m| m.date.to_schema()).collect()
    }

    #[test]
    fn reads_the_usual_forms_of_each_language() {
        assert_eq!(dates("On January 28th , 2019 he came", "en"), ["2019-01-28"]);
        assert_eq!(dates("On 14 September 2021 and Mar 3, 2022", "en"), ["2021-09-14", "2022-03-03"]);
        assert_eq!(dates("Дата: 13.07.2023", "ru"), ["2023-07-13"]);
        assert_eq!(dates("2019-08-17 and 2019年8月17日", "zh"), ["2019-08-17", "2019-08-17"]);
        assert_eq!(dates("17 августа 2019 г. и 17 août 2019", "ru"), ["2019-08-17", "2019-08-17"]);
        assert_eq!(dates("el 9 de diciembre de 2024", "es"), ["2024-12-09"]);
        assert_eq!(dates("am 5. März 2019", "de"), ["2019-03-05"]);
        assert_eq!(dates("Publish Date: 05/22/09", "en"), ["2009-05-22"]);
        assert_eq!(dates("15-Sep-15, Business", "en"), ["2015-09-15"]);
        assert_eq!(dates("January 22,2017 By", "en"), ["2017-01-22"]);
        assert_eq!(dates("in September 2018 and In December", "en"), ["2018-09", "--12"]);
        assert_eq!(dates("on July 24 by", "en"), ["--07-24"]);
        assert_eq!(dates("с 3 по 5 июня 2016 года", "ru"), ["2016-06-03"]);
        assert_eq!(dates("12月31日上午", "zh"), ["--12-31"]);
        assert_eq!(dates("周三 3月 09, 2016 10:15", "zh"), ["2016-03-09"]);
        assert_eq!(dates("Since 2020, it", "en"), ["2020"]);
        assert_eq!(dates("Elle s’est renforcée les 9 et 10 mai, à l’occasion", "fr"), ["--05-09"]);
    }

    #[test]
    fn may_is_a_month_only_beside_a_number() {
        assert_eq!(dates("We may sign on May 5, 2020", "en"), ["2020-05-05"]);
    }

    #[test]
    fn day_counts_round_trip() {
        let d = PartialDate {
            year: Some(2012),
            month: Some(1),
            day: Some(7),
        };
        assert_eq!(PartialDate::from_days(d.days().unwrap() - 1).to_schema().unwrap(), "2012-01-06");
        assert_eq!(PartialDate::from_days(d.days().unwrap()), d);
    }

    #[test]
    fn published_comes_from_a_header_line() {
        let res = Resources::get();
        let t = Text::new(
            "Title of news\nTime:Mar 3, 2022\n\nOn 14 September 2021, the ceremony was held in our hospital today.",
            &|w| res.is_abbreviation(w),
        );
        let ds = find_dates(&t, res, "en");
        assert_eq!(find_published(&t, res, &ds).unwrap().0.to_schema().unwrap(), "2022-03-03");
        let t = Text::new(
            "On 14 September 2021, the ceremony was held in our hospital with many guests present.",
            &|w| res.is_abbreviation(w),
        );
        let ds = find_dates(&t, res, "en");
        assert!(find_published(&t, res, &ds).is_none());
        let t = Text::new(
            "Clinics join forces\n\nLakeside, June 4, 2020 (Health Wire) - Two clinics of the region signed a long agreement on nursing care and research.",
            &|w| res.is_abbreviation(w),
        );
        let ds = find_dates(&t, res, "en");
        assert_eq!(find_published(&t, res, &ds).unwrap().0.to_schema().unwrap(), "2020-06-04");
    }

    #[test]
    fn a_weekday_decides_how_a_numeric_date_reads() {
        assert_eq!(dates("met on Tuesday 2/11/2021 with", "en"), ["2021-11-02"]);
        assert_eq!(dates("met on Thursday 2/11/2021 with", "en"), ["2021-02-11"]);
    }

    #[test]
    fn relative_phrases_and_past_markers_are_found() {
        let res = Resources::get();
        let kinds = |s: &str, lang: &str| -> Vec<(DateKind, bool)> {
            let t = Text::new(s, &|w| res.is_abbreviation(w));
            find_dates(&t, res, lang).iter().map(|m| (m.kind, m.past)).collect()
        };
        assert_eq!(kinds("Last year the clinics met.", "en"), [(DateKind::RelativeYear(-1), false)]);
        assert_eq!(
            kinds("В прошлом году клиники встретились.", "ru"),
            [(DateKind::RelativeYear(-1), false)]
        );
        assert_eq!(kinds("双方当天签约。", "zh"), [(DateKind::Anchored(0), false)]);
        assert_eq!(kinds("signée le 12 avril dernier", "fr"), [(DateKind::Calendar, true)]);
        assert_eq!(kinds("firmado el pasado mes de abril", "es"), [(DateKind::BareMonth, true)]);
        assert_eq!(kinds("am nächsten Tag", "de"), [(DateKind::Anchored(1), false)]);
    }
}
