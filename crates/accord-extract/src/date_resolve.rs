//! The date resolver: every date mention made as complete as the page
//! allows, anchored on the page's publication date ("last year", "on
//! Friday", "le 12 dernier") or on the last full date the text gave before
//! ("the next day", 当天); a year is carried only within the event's story
//! (its paragraph and the sentences just before), so that a founding year of
//! the background never dates a later signing.

use crate::dates::{DateKind, DateMention, PartialDate};
use crate::events::EventMention;
use crate::Document;
use accord_model::Span;

/// Sentences before an event's own that still belong to its story.
const STORY: usize = 4;

/// The event's date and whether its sentence states it: the best date of
/// its sentence that is nearer to its own trigger than to another event's,
/// else the last date the text gave before it (a bare year only from its
/// own paragraph); with the span of the mention it was read from.
pub fn event_date(d: &Document, m: &EventMention) -> (Option<(PartialDate, Span)>, bool) {
    let s = d.text.sentences[m.sentence];
    let from = d.dates.partition_point(|x| x.span.start < s.span.start);
    let candidates: Vec<&DateMention> = dates_before(d, s.span.end)[from..]
        .iter()
        .filter(|x| s.span.contains(&x.span) && !is_published(d, x))
        .collect();
    let distance = |x: &DateMention| m.triggers.iter().map(|t| gap(x.span, *t)).min().unwrap_or(0);
    let others: Vec<&Span> = d
        .events
        .iter()
        .filter(|e| e.sentence == m.sentence && e.event_type != m.event_type)
        .flat_map(|e| e.triggers.iter())
        .collect();
    // A date belongs to the nearest trigger of the sentence, whatever its type.
    let owned = |x: &DateMention| others.iter().all(|t| gap(x.span, **t) >= distance(x));
    let best = candidates.iter().filter(|x| resolve(d, x).is_some() && owned(x)).min_by_key(|x| {
        (
            rank(x.kind),
            if x.kind == DateKind::Calendar { distance(x) } else { 0 },
            x.span.start,
        )
    });
    if let Some(x) = best {
        let stated = !matches!(
            x.kind,
            DateKind::Weekday(_) | DateKind::Relative(0) | DateKind::RelativeYear(_) | DateKind::RelativeMonth(_)
        );
        return (resolve(d, x).map(|date| (date, x.span)), stated);
    }
    let paragraph = paragraph_start(d, m.sentence);
    let carried = dates_before(d, s.span.start)
        .iter()
        .filter(|x| x.span.end <= s.span.start && !is_published(d, x) && !d.in_furniture(x.span.start))
        .filter(|x| !matches!(x.kind, DateKind::BareYear | DateKind::RelativeYear(_)) || x.span.start >= paragraph)
        .filter_map(|x| resolve(d, x).map(|date| (date, x.span)))
        .next_back();
    (carried, false)
}

/// How much a kind of mention tells: a calendar date first, a bare year last.
fn rank(kind: DateKind) -> u8 {
    match kind {
        DateKind::Calendar => 0,
        DateKind::BareMonth | DateKind::RelativeMonth(_) => 1,
        DateKind::DayOnly | DateKind::Anchored(_) => 2,
        DateKind::Relative(_) | DateKind::Weekday(_) => 3,
        DateKind::BareYear | DateKind::RelativeYear(_) => 4,
    }
}

fn gap(x: Span, t: Span) -> usize {
    if x.end <= t.start {
        t.start - x.end
    } else {
        x.start.saturating_sub(t.end)
    }
}

fn is_published(d: &Document, x: &DateMention) -> bool {
    d.published.is_some_and(|(_, sp)| sp == x.span)
}

fn paragraph_start(d: &Document, sentence: usize) -> usize {
    let s = &d.text.sentences;
    s[..=sentence]
        .iter()
        .rev()
        .take_while(|x| x.paragraph == s[sentence].paragraph)
        .last()
        .map_or(s[sentence].span.start, |x| x.span.start)
}

/// Where the story of a sentence begins: its paragraph's start or the
/// sentence `STORY` before it, whichever is earlier.
fn story_start(d: &Document, sentence: usize) -> usize {
    let s = &d.text.sentences;
    paragraph_start(d, sentence).min(s[sentence.saturating_sub(STORY)].span.start)
}

/// A date mention made as complete as the text allows.
pub fn resolve(d: &Document, m: &DateMention) -> Option<PartialDate> {
    let published = d.published.map(|(p, _)| p);
    match m.kind {
        DateKind::Calendar if m.date.year.is_some() => Some(m.date),
        DateKind::BareYear => Some(m.date),
        DateKind::Calendar | DateKind::BareMonth => Some(PartialDate {
            year: if m.past {
                year_before(published, m.date)
            } else {
                carried_year(d, m)
            },
            ..m.date
        }),
        DateKind::DayOnly => {
            let base = last_full_before(d, m.span.start).or(published)?;
            Some(PartialDate {
                year: base.year,
                month: base.month,
                day: m.date.day,
            })
        }
        DateKind::Relative(off) => Some(PartialDate::from_days(published?.days()? + off)),
        DateKind::Anchored(off) => {
            let base = last_full_before(d, m.span.start).or(published)?;
            Some(PartialDate::from_days(base.days()? + off))
        }
        DateKind::RelativeYear(off) => Some(PartialDate::year(published?.year? + off as i32)),
        DateKind::RelativeMonth(off) => {
            let p = published?;
            let months = i64::from(p.year?) * 12 + i64::from(p.month?) - 1 + off;
            Some(PartialDate {
                year: Some(months.div_euclid(12) as i32),
                month: Some((months.rem_euclid(12) + 1) as u8),
                day: None,
            })
        }
        DateKind::Weekday(wd) => {
            let days = published?.days()?;
            let today = (days.rem_euclid(7) + 3) % 7 + 1;
            let back = (today - i64::from(wd)).rem_euclid(7);
            Some(PartialDate::from_days(days - back))
        }
    }
}

/// The last full calendar date the text states before `pos` (not the page's
/// own date): the anchor of "the next day".
fn last_full_before(d: &Document, pos: usize) -> Option<PartialDate> {
    dates_before(d, pos)
        .iter()
        .filter(|x| x.span.end <= pos && x.kind == DateKind::Calendar && x.date.is_full())
        .filter(|x| !is_published(d, x) && !d.in_furniture(x.span.start))
        .map(|x| x.date)
        .next_back()
}

/// The year of the latest past occurrence of a month (and day) on the page's
/// date: "en avril dernier" on a page of March is April of the year before.
fn year_before(published: Option<PartialDate>, date: PartialDate) -> Option<i32> {
    let p = published?;
    let later_in_year = (date.month, date.day) > (p.month, p.day.or(Some(31)));
    p.year.map(|y| if later_in_year { y - 1 } else { y })
}

/// The year a month-day date takes from a calendar date of its story (or a
/// year of its own sentence), or from the page's date, or from the last
/// calendar year before it.
fn carried_year(d: &Document, m: &DateMention) -> Option<i32> {
    let story = d.text.sentence_of(m.span.start).map_or(0, |s| story_start(d, s));
    let with_year =
        |x: &&DateMention| x.span.end <= m.span.start && x.date.year.is_some() && !is_published(d, x) && !d.in_furniture(x.span.start);
    let own_sentence = d.text.sentence_of(m.span.start).map(|s| d.text.sentences[s].span);
    let calendar = |x: &&DateMention| x.kind == DateKind::Calendar || own_sentence.is_some_and(|s| s.contains(&x.span));
    let before = dates_before(d, m.span.start);
    if let Some(x) = before.iter().filter(with_year).filter(calendar).rfind(|x| x.span.start >= story) {
        return x.date.year;
    }
    if d.published.is_some() {
        return year_before(d.published.map(|p| p.0), m.date);
    }
    before.iter().filter(with_year).rfind(calendar).and_then(|x| x.date.year)
}

/// The date mentions that start before `pos` (mentions are in text order),
/// so that looking back costs a binary search, not a scan of the page.
fn dates_before(d: &Document, pos: usize) -> &[DateMention] {
    &d.dates[..d.dates.partition_point(|x| x.span.start < pos)]
}

#[cfg(test)]
mod tests {
    use accord_model::EventType;

    /// The date of the first event of a type on an invented page.
    fn date_of(page: &str, t: EventType) -> Option<String> {
        crate::extract("t.txt", page, None)
            .events
            .into_iter()
            .find(|e| e.event_type == t)
            .and_then(|e| e.date)
    }

    #[test]
    fn english_relative_years_and_anchored_days() {
        let page = "Clinic news\nPublished: 2021-03-10\n\nLast year the two hospitals signed a memorandum of understanding.";
        assert_eq!(date_of(page, EventType::Agreement).as_deref(), Some("2020"));
        let page = "Clinic news\n\nOn 3 May 2019 the delegation visited Lakeside General Hospital. The next day the two hospitals signed an agreement.";
        assert_eq!(date_of(page, EventType::Agreement).as_deref(), Some("2019-05-04"));
    }

    #[test]
    fn english_background_years_do_not_date_a_signing() {
        let page = "Clinic news\nPublished: 2021-06-01\n\nFounded in 1988, the clinic treats children. On 3 May the clinic signed an agreement with the college.";
        assert_eq!(date_of(page, EventType::Agreement).as_deref(), Some("2021-05-03"));
    }

    #[test]
    fn english_weekdays_resolve_on_the_page_date() {
        // 2021-06-03 is a Thursday.
        let page = "Clinic news\nPublished: 2021-06-03\n\nThe two hospitals signed an agreement on Monday.";
        assert_eq!(date_of(page, EventType::Agreement).as_deref(), Some("2021-05-31"));
    }

    #[test]
    fn russian_last_month() {
        let page = "Новости клиники\nДата: 15.02.2022\n\nВ прошлом месяце больницы подписали соглашение о сотрудничестве.";
        assert_eq!(date_of(page, EventType::Agreement).as_deref(), Some("2022-01"));
    }

    #[test]
    fn chinese_that_day_takes_the_last_full_date() {
        let page = "医院新闻\n\n2019年5月3日,代表团访问了医院。当天,双方签署了合作协议。";
        assert_eq!(date_of(page, EventType::Agreement).as_deref(), Some("2019-05-03"));
    }

    #[test]
    fn french_last_april_is_the_latest_past_april() {
        let page = "Actualités\nPublié le 01/03/2021\n\nLes deux hôpitaux ont signé une convention le 12 avril dernier.";
        assert_eq!(date_of(page, EventType::Agreement).as_deref(), Some("2020-04-12"));
    }

    #[test]
    fn spanish_ranges_give_their_first_day() {
        let page = "Noticias\nFecha: 01/02/2022\n\nEl hospital realizó un curso de capacitación para enfermeras del 10 al 15 de enero.";
        assert_eq!(date_of(page, EventType::Training).as_deref(), Some("2022-01-10"));
    }

    #[test]
    fn german_dates_without_year_take_the_page_year() {
        let page = "Nachrichten\nDatum: 01.06.2020\n\nAm 5. Mai unterzeichneten die Kliniken eine Kooperationsvereinbarung.";
        assert_eq!(date_of(page, EventType::Agreement).as_deref(), Some("2020-05-05"));
    }
}
