//! A set of spans that answers "does this span overlap any of them" in
//! logarithmic time, so that components asking it for every token of a page
//! stay linear in the page's length.

use accord_model::Span;

/// Spans sorted by start, with the furthest end reached so far at each.
#[derive(Debug, Clone, Default)]
pub struct SpanSet {
    starts: Vec<usize>,
    reach: Vec<usize>,
}

impl SpanSet {
    /// Builds the set from spans in any order.
    pub fn new(spans: impl IntoIterator<Item = Span>) -> SpanSet {
        let mut spans: Vec<Span> = spans.into_iter().collect();
        spans.sort_by_key(|s| s.start);
        let mut furthest = 0;
        let reach = spans
            .iter()
            .map(|s| {
                furthest = furthest.max(s.end);
                furthest
            })
            .collect();
        SpanSet {
            starts: spans.iter().map(|s| s.start).collect(),
            reach,
        }
    }

    /// True when `span` shares a character with one of the spans.
    pub fn overlaps(&self, span: &Span) -> bool {
        let before_end = self.starts.partition_point(|&s| s < span.end);
        before_end > 0 && self.reach[before_end - 1] > span.start
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn overlap_matches_a_linear_scan() {
        let spans = [Span::new(10, 20), Span::new(2, 4), Span::new(12, 40), Span::new(50, 51)];
        let set = SpanSet::new(spans);
        for start in 0..60 {
            for len in 1..8 {
                let q = Span::new(start, start + len);
                assert_eq!(set.overlaps(&q), spans.iter().any(|s| s.overlaps(&q)), "{q:?}");
            }
        }
    }
}
