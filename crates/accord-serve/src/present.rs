//! How things are named for a person: an event as "Agreement · 12 March
//! 2024 · A – B", dates in words, no codes or jargon.

use accord_store::EventRow;

const MONTHS: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

/// `2024-03-12` as "12 March 2024", `2024-03` as "March 2024", a year as
/// itself, `--03-12` (a day the page gives without its year) as "12 March".
pub fn date_in_words(date: &str) -> String {
    if let Some(day) = date.strip_prefix("--") {
        return date_in_words(&format!("?-{day}")).trim_end_matches(" ?").to_string();
    }
    let mut parts = date.split('-');
    let (year, month, day) = (parts.next(), parts.next(), parts.next());
    let month_name = month
        .and_then(|m| m.parse::<usize>().ok())
        .and_then(|m| MONTHS.get(m.wrapping_sub(1)));
    match (year, month_name, day.and_then(|d| d.parse::<u32>().ok())) {
        (Some(y), Some(m), Some(d)) => format!("{d} {m} {y}"),
        (Some(y), Some(m), None) => format!("{m} {y}"),
        _ => date.to_string(),
    }
}

/// Whether a page's date `given` (maybe partial, maybe without its year)
/// agrees with the event's `date`.
pub fn dates_agree(date: &str, given: &str) -> bool {
    match given.strip_prefix('-') {
        Some(month_day) => date.get(4..).is_some_and(|d| d.starts_with(month_day)),
        None => date.starts_with(given),
    }
}

/// An event type as a word: `agreement` as "Agreement".
pub fn type_name(event_type: &str) -> String {
    let kind = event_type.replace('_', " ");
    match kind.get(..1) {
        Some(first) => first.to_uppercase() + &kind[1..],
        None => kind,
    }
}

/// An event's title: its type, date and parties ("+ 2 more" beyond two).
pub fn event_title(e: &EventRow) -> String {
    let mut parts = vec![type_name(&e.event_type)];
    if let Some(d) = &e.date {
        parts.push(date_in_words(d));
    }
    let names: Vec<&str> = e.parties.iter().map(|(_, n)| n.as_str()).collect();
    match names.len() {
        0 => {}
        1 | 2 => parts.push(names.join(" – ")),
        n => parts.push(format!("{} – {} + {} more", names[0], names[1], n - 2)),
    }
    parts.join(" · ")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(date: Option<&str>, parties: &[&str]) -> EventRow {
        EventRow {
            id: 1,
            event_type: "agreement".into(),
            date: date.map(String::from),
            city: None,
            country: None,
            parties: parties.iter().enumerate().map(|(i, p)| (i as i64, p.to_string())).collect(),
            fields: Vec::new(),
            sources: Vec::new(),
            status: None,
        }
    }

    #[test]
    fn events_read_as_type_date_and_parties() {
        assert_eq!(
            event_title(&row(Some("2024-03-12"), &["A", "B"])),
            "Agreement · 12 March 2024 · A – B"
        );
        assert_eq!(event_title(&row(Some("2024-03"), &["A"])), "Agreement · March 2024 · A");
        assert_eq!(event_title(&row(None, &["A", "B", "C", "D"])), "Agreement · A – B + 2 more");
        assert_eq!(date_in_words("2024"), "2024");
        assert_eq!(date_in_words("2024-13-01"), "2024-13-01");
        assert_eq!(date_in_words("--03-12"), "12 March");
        assert_eq!(date_in_words("--03"), "March");
        assert!(dates_agree("2024-03-12", "2024-03") && dates_agree("2024-03-12", "--03-12"));
        assert!(!dates_agree("2024-03-12", "2023") && !dates_agree("2024-03-12", "--04"));
    }
}
