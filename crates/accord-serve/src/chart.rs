//! The events-per-year chart of the overview: inline SVG on a continuous
//! axis (every year from the first to the last, empty ones as gaps), bars
//! sized to the width available, labels thinned so they never overlap, a
//! scale with gridlines; styled by the stylesheet (`.chart .bar`…).

use crate::html::escape;
use std::fmt::Write;

/// Width of the drawing, in SVG units (it scales to the page).
const WIDTH: f64 = 720.0;
/// Height of the plot area.
const HEIGHT: f64 = 160.0;
/// Room for the scale on the left and the years below.
const LEFT: f64 = 36.0;
const BOTTOM: f64 = 22.0;
/// Least room a year label needs, in SVG units.
const LABEL_ROOM: f64 = 38.0;

/// Every year from the first to the last of `data` (`YYYY`, count), missing years as 0.
pub fn continuous_years(data: &[(String, usize)]) -> Vec<(i32, usize)> {
    let years: Vec<(i32, usize)> = data.iter().filter_map(|(y, n)| y.parse().ok().map(|y| (y, *n))).collect();
    let (Some(first), Some(last)) = (years.iter().map(|y| y.0).min(), years.iter().map(|y| y.0).max()) else {
        return Vec::new();
    };
    (first..=last)
        .map(|y| (y, years.iter().filter(|(year, _)| *year == y).map(|(_, n)| n).sum()))
        .collect()
}

/// A round step for a scale up to `max` with about three lines.
fn step(max: usize) -> usize {
    let rough = (max as f64 / 3.0).max(1.0);
    let magnitude = 10f64.powi(rough.log10().floor() as i32);
    let nice = [1.0, 2.0, 5.0, 10.0].into_iter().find(|m| m * magnitude >= rough).unwrap_or(10.0);
    (nice * magnitude) as usize
}

/// The chart of events per year, or a sentence when there is none.
pub fn years_chart(data: &[(String, usize)]) -> String {
    let years = continuous_years(data);
    if years.is_empty() {
        return "<p class=\"muted\">No dated events yet.</p>".to_string();
    }
    let max = years.iter().map(|y| y.1).max().unwrap_or(1).max(1);
    let step = step(max);
    let top = max.div_ceil(step) * step;
    let slot = (WIDTH - LEFT) / years.len() as f64;
    let every = (LABEL_ROOM / slot).ceil().max(1.0) as usize;
    let total: usize = years.iter().map(|y| y.1).sum();
    let (first, last) = (years[0].0, years[years.len() - 1].0);
    let mut svg = format!(
        "<svg class=\"chart\" viewBox=\"0 0 {WIDTH} {}\" role=\"img\" aria-label=\"Events per year, {first} to {last}: {total} dated events\">",
        HEIGHT + BOTTOM
    );
    let y_of = |n: usize| HEIGHT - n as f64 / top as f64 * (HEIGHT - 8.0);
    for tick in (0..=top).step_by(step) {
        let y = y_of(tick);
        let _ = write!(
            svg,
            "<line class=\"grid\" x1=\"{LEFT}\" x2=\"{WIDTH}\" y1=\"{y:.1}\" y2=\"{y:.1}\"/><text class=\"axis\" x=\"{}\" y=\"{:.1}\" text-anchor=\"end\">{tick}</text>",
            LEFT - 6.0,
            y + 4.0
        );
    }
    for (i, (year, n)) in years.iter().enumerate() {
        let x = LEFT + i as f64 * slot;
        let y = y_of(*n);
        let _ = write!(
            svg,
            "<g><title>{year}: {n} events</title><rect class=\"bar\" x=\"{:.1}\" y=\"{y:.1}\" width=\"{:.1}\" height=\"{:.1}\"/></g>",
            x + slot * 0.15,
            slot * 0.7,
            HEIGHT - y
        );
        if i % every == 0 {
            let _ = write!(
                svg,
                "<text class=\"axis\" x=\"{:.1}\" y=\"{}\" text-anchor=\"middle\">{}</text>",
                x + slot / 2.0,
                HEIGHT + 16.0,
                escape(&year.to_string())
            );
        }
    }
    svg.push_str("</svg>");
    svg
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn empty_years_are_on_the_axis() {
        let data = vec![("2019".to_string(), 3), ("2022".to_string(), 1)];
        assert_eq!(continuous_years(&data), vec![(2019, 3), (2020, 0), (2021, 0), (2022, 1)]);
        let svg = years_chart(&data);
        assert_eq!(svg.matches("<rect").count(), 4);
        assert!(svg.contains("<title>2020: 0 events</title>"));
    }

    #[test]
    fn labels_are_thinned_so_they_never_overlap() {
        let data: Vec<(String, usize)> = (1990..2025).map(|y| (y.to_string(), (y % 7) as usize)).collect();
        let svg = years_chart(&data);
        let labels: Vec<f64> = svg
            .split("<text class=\"axis\" x=\"")
            .skip(1)
            .filter(|t| t.contains("text-anchor=\"middle\""))
            .map(|t| t.split('"').next().unwrap().parse().unwrap())
            .collect();
        assert!(labels.len() >= 5);
        assert!(labels.windows(2).all(|w| w[1] - w[0] >= LABEL_ROOM), "{labels:?}");
    }

    #[test]
    fn the_scale_has_round_steps() {
        assert_eq!(step(7), 5);
        assert_eq!(step(2000), 1000);
        assert_eq!(step(1), 1);
        assert!(years_chart(&[]).contains("No dated events"));
    }
}
