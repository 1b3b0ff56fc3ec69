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

/// `2024-03-12` as "12 March 2024", `2024-03` as "March 2024", a year as itself.
pub fn date_in_words(date: &str) -> String {
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

/// An event's title: its type, date and parties ("+ 2 more" beyond two).
pub fn event_title(e: &EventRow) -> String {
    let mut kind = e.event_type.replace('_', " ");
    if let Some(first) = kind.get(..1) {
        kind = first.to_uppercase() + &kind[1..];
    }
    let mut parts = vec![kind];
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
    }
}
