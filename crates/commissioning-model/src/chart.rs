//! The house style of the workspace's charts: standalone SVG with round-valued axes, light
//! gridlines, axis titles, a title and subtitle, and a legend, in one palette.
//!
//! It lives in the model crate because every crate that draws (monitoring, comparison) depends
//! on the model and on nothing else; the charts themselves stay with the crate whose results
//! they show. Text uses the generic `sans-serif` family at fixed sizes and positions that leave
//! room for the widest labels, so a chart reads the same whatever fonts the viewer has.
//!
//! # Examples
//!
//! ```
//! use commissioning_model::chart::{Axis, Plot};
//!
//! let x = Axis::nice(0.0, 1_950.0, 6);
//! assert_eq!(x.ticks, [0.0, 500.0, 1_000.0, 1_500.0, 2_000.0]);
//! let mut plot = Plot::new(640, 400, x, Axis::nice(0.61, 1.42, 6));
//! plot.begin("Stroke mortality", "Deaths against expected", "Expected deaths", "Ratio");
//! let svg = plot.finish();
//! assert!(svg.starts_with("<svg") && svg.ends_with("</svg>\n"));
//! assert!(svg.contains(">1,500<") && svg.contains(">1.4<"));
//! ```

use std::fmt::Write as _;

/// Text and axes.
pub const INK: &str = "#231f20";
/// Colours for several series on one chart, in order (NHS identity colours: blue, aqua green,
/// warm yellow, pink, dark blue, orange, purple, grey).
pub const SERIES: [&str; 8] = [
    "#005eb8", "#00a499", "#ffb81c", "#ae2573", "#003087", "#ed8b00", "#330072", "#425563",
];
/// Gridlines.
pub const GRID: &str = "#e8edee";
/// Points of no note (Making Data Count's common-cause grey).
pub const MUTED: &str = "#a6a6a6";
/// Improvement, or a unit better than expected (Making Data Count blue).
pub const BETTER: &str = "#00b0f0";
/// Concern, or a unit worse than expected (Making Data Count orange).
pub const WORSE: &str = "#e46c0a";
/// Neutral special cause (Making Data Count purple).
pub const NEUTRAL: &str = "#490092";
/// Targets (Making Data Count red).
pub const TARGET: &str = "#de1b1b";
/// Inner limits (NHS blue).
pub const INNER: &str = "#005eb8";
/// Outer limits (NHS dark blue).
pub const OUTER: &str = "#003087";

/// Escapes text for SVG and drops control characters.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            c if c.is_control() => out.push(' '),
            c => out.push(c),
        }
    }
    out
}

/// An axis over round values: its range and its ticks.
#[derive(Debug, Clone, PartialEq)]
pub struct Axis {
    /// The lowest value shown.
    pub lo: f64,
    /// The highest value shown.
    pub hi: f64,
    /// The ticks, at multiples of `step`.
    pub ticks: Vec<f64>,
    /// The distance between ticks: 1, 2 or 5 times a power of ten.
    pub step: f64,
}

impl Axis {
    /// An axis covering `lo..=hi` with at most about `max_ticks` ticks at 1, 2 or 5 times a
    /// power of ten, widened to the ticks either side. A degenerate or non-finite range becomes
    /// a unit range around it.
    pub fn nice(lo: f64, hi: f64, max_ticks: usize) -> Self {
        let (mut lo, mut hi) = if lo.is_finite() && hi.is_finite() {
            (lo.min(hi), lo.max(hi))
        } else {
            (0.0, 1.0)
        };
        if hi - lo <= f64::EPSILON * hi.abs().max(1.0) {
            lo -= 0.5;
            hi += 0.5;
        }
        let n = max_ticks.clamp(2, 20);
        let raw = (hi - lo) / f64::from(u32::try_from(n.saturating_sub(1)).unwrap_or(1));
        let magnitude = 10f64.powf(raw.log10().floor());
        let step = [1.0, 2.0, 5.0, 10.0]
            .iter()
            .map(|m| m * magnitude)
            .find(|s| *s >= raw)
            .unwrap_or(10.0 * magnitude);
        let first = (lo / step).floor();
        let last = (hi / step).ceil();
        let mut ticks = Vec::new();
        let mut k = first;
        while k <= last + 0.5 && ticks.len() < 64 {
            // Snap to the step's decimal places to avoid 0.30000000000000004.
            ticks.push(snap(k * step, step));
            k += 1.0;
        }
        Self {
            lo: first * step,
            hi: last * step,
            ticks,
            step,
        }
    }

    /// A tick's label: thousands separated by commas, as many decimals as the step needs.
    pub fn label(&self, v: f64) -> String {
        let decimals = if self.step >= 1.0 {
            0
        } else {
            places(self.step)
        };
        group(&format!("{:.*}", decimals.min(10), v))
    }
}

/// The decimal places a step below 1 needs (0.2 → 1, 0.05 → 2), at most 10.
#[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
fn places(step: f64) -> usize {
    let d = -step.log10().floor();
    if d.is_finite() && d > 0.0 {
        d.min(10.0) as usize
    } else {
        0
    }
}

fn snap(v: f64, step: f64) -> f64 {
    let scale = if step >= 1.0 {
        1.0
    } else {
        10f64.powf((-step.log10()).ceil())
    };
    (v * scale).round() / scale
}

/// Groups the integer digits of a formatted number in threes.
fn group(s: &str) -> String {
    let (sign, rest) = s.strip_prefix('-').map_or(("", s), |r| ("-", r));
    let (int, frac) = rest
        .split_once('.')
        .map_or((rest, None), |(i, f)| (i, Some(f)));
    let mut out = String::with_capacity(s.len().saturating_add(4));
    for (i, c) in int.chars().enumerate() {
        if i > 0 && int.len().saturating_sub(i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    let body = match frac {
        Some(f) => format!("{out}.{f}"),
        None => out,
    };
    if body.chars().all(|c| c == '0' || c == '.' || c == ',') {
        body
    } else {
        format!("{sign}{body}")
    }
}

/// A plot area with its axes, written as SVG.
#[derive(Debug, Clone)]
pub struct Plot {
    width: f64,
    height: f64,
    left: f64,
    right: f64,
    top: f64,
    bottom: f64,
    /// The horizontal axis.
    pub x: Axis,
    /// The vertical axis.
    pub y: Axis,
    out: String,
    legend: Vec<(String, String)>,
}

impl Plot {
    /// A `width` × `height` chart over two axes.
    pub fn new(width: u32, height: u32, x: Axis, y: Axis) -> Self {
        Self {
            width: f64::from(width.max(320)),
            height: f64::from(height.max(240)),
            left: 72.0,
            right: 24.0,
            top: 80.0,
            bottom: 56.0,
            x,
            y,
            out: String::with_capacity(16 * 1024),
            legend: Vec::new(),
        }
    }

    /// The horizontal pixel of a value.
    pub fn px(&self, v: f64) -> f64 {
        self.left
            + (v - self.x.lo) / (self.x.hi - self.x.lo) * (self.width - self.left - self.right)
    }

    /// The vertical pixel of a value.
    pub fn py(&self, v: f64) -> f64 {
        self.top
            + (self.y.hi - v) / (self.y.hi - self.y.lo) * (self.height - self.top - self.bottom)
    }

    /// Whether a point lies within the plotted ranges.
    pub fn contains(&self, x: f64, y: f64) -> bool {
        x >= self.x.lo && x <= self.x.hi && y >= self.y.lo && y <= self.y.hi
    }

    /// Writes the header, title, subtitle, gridlines, ticks and axis titles, and opens the
    /// clipped plot area into which [`Plot::raw`] draws.
    pub fn begin(&mut self, title: &str, subtitle: &str, x_title: &str, y_title: &str) {
        let (w, h) = (self.width, self.height);
        let (l, r, t, b) = (
            self.left,
            self.width - self.right,
            self.top,
            self.height - self.bottom,
        );
        let mut o = String::new();
        let _ = writeln!(
            o,
            r#"<svg xmlns="http://www.w3.org/2000/svg" width="{w}" height="{h}" viewBox="0 0 {w} {h}" font-family="Arial, Helvetica, sans-serif" font-size="12" fill="{INK}">"#
        );
        let _ = writeln!(o, r#"<rect width="100%" height="100%" fill="white"/>"#);
        let _ = writeln!(
            o,
            r#"<text x="{l}" y="24" font-size="16" font-weight="bold">{}</text>"#,
            escape(title)
        );
        let _ = writeln!(
            o,
            r##"<text x="{l}" y="44" font-size="12" fill="#425563">{}</text>"##,
            escape(subtitle)
        );
        let _ = writeln!(
            o,
            r#"<clipPath id="plot-area"><rect x="{l}" y="{t}" width="{:.2}" height="{:.2}"/></clipPath>"#,
            r - l,
            b - t
        );
        for &v in &self.y.ticks {
            let y = self.py(v);
            let _ = writeln!(
                o,
                r#"<line x1="{l}" y1="{y:.2}" x2="{r:.2}" y2="{y:.2}" stroke="{GRID}"/>"#
            );
            let _ = writeln!(
                o,
                r#"<text x="{:.2}" y="{:.2}" text-anchor="end">{}</text>"#,
                l - 6.0,
                y + 4.0,
                self.y.label(v)
            );
        }
        for &v in &self.x.ticks {
            let x = self.px(v);
            let _ = writeln!(
                o,
                r#"<line x1="{x:.2}" y1="{t}" x2="{x:.2}" y2="{b:.2}" stroke="{GRID}"/>"#
            );
            let _ = writeln!(
                o,
                r#"<text x="{x:.2}" y="{:.2}" text-anchor="middle">{}</text>"#,
                b + 16.0,
                self.x.label(v)
            );
        }
        let _ = writeln!(
            o,
            r#"<rect x="{l}" y="{t}" width="{:.2}" height="{:.2}" fill="none" stroke="{INK}" stroke-width="0.8"/>"#,
            r - l,
            b - t
        );
        let _ = writeln!(
            o,
            r#"<text x="{:.2}" y="{:.2}" text-anchor="middle" font-weight="bold">{}</text>"#,
            (l + r) / 2.0,
            h - 14.0,
            escape(x_title)
        );
        let _ = writeln!(
            o,
            r#"<text transform="translate(18 {:.2}) rotate(-90)" text-anchor="middle" font-weight="bold">{}</text>"#,
            (t + b) / 2.0,
            escape(y_title)
        );
        let _ = writeln!(o, r#"<g clip-path="url(#plot-area)">"#);
        self.out.push_str(&o);
    }

    /// Appends SVG elements to the plot area.
    pub fn raw(&mut self, svg: &str) {
        self.out.push_str(svg);
    }

    /// A polyline through points, skipping non-finite ones (which break the line).
    pub fn line(&mut self, points: &[(f64, f64)], colour: &str, width: f64, dash: Option<&str>) {
        let mut runs: Vec<Vec<String>> = vec![Vec::new()];
        for &(x, y) in points {
            if x.is_finite() && y.is_finite() {
                if let Some(run) = runs.last_mut() {
                    run.push(format!(
                        "{:.2},{:.2}",
                        self.px(x),
                        self.py(y).clamp(-1e4, 1e4)
                    ));
                }
            } else if runs.last().is_some_and(|r| !r.is_empty()) {
                runs.push(Vec::new());
            }
        }
        let dash = dash
            .map(|d| format!(r#" stroke-dasharray="{d}""#))
            .unwrap_or_default();
        for run in runs.iter().filter(|r| r.len() > 1) {
            let _ = writeln!(
                self.out,
                r#"<polyline points="{}" fill="none" stroke="{colour}" stroke-width="{width}"{dash}/>"#,
                run.join(" ")
            );
        }
    }

    /// Adds an entry to the legend: an SVG swatch drawn at the origin, and its label.
    pub fn legend(&mut self, swatch: &str, label: &str) {
        self.legend.push((swatch.to_owned(), label.to_owned()));
    }

    /// A line swatch for the legend.
    pub fn line_swatch(colour: &str, width: f64, dash: Option<&str>) -> String {
        let dash = dash
            .map(|d| format!(r#" stroke-dasharray="{d}""#))
            .unwrap_or_default();
        format!(
            r#"<line x1="0" y1="0" x2="22" y2="0" stroke="{colour}" stroke-width="{width}"{dash}/>"#
        )
    }

    /// A point swatch for the legend.
    pub fn point_swatch(colour: &str) -> String {
        format!(
            r#"<circle cx="11" cy="0" r="4.5" fill="{colour}" stroke="white" stroke-width="0.8"/>"#
        )
    }

    /// Closes the plot area, draws the legend in a row under the subtitle, and returns the
    /// document.
    pub fn finish(mut self) -> String {
        self.out.push_str("</g>\n");
        let mut x = self.left;
        let y = self.top - 14.0;
        for (swatch, label) in &self.legend {
            let _ = writeln!(
                self.out,
                r#"<g transform="translate({x:.2} {y:.2})">{swatch}<text x="28" y="4">{}</text></g>"#,
                escape(label)
            );
            // Room for the label at about 6.5 px a character at 12 px.
            x += 40.0 + 6.5 * label.chars().count() as f64;
        }
        self.out.push_str("</svg>\n");
        self.out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ticks_are_round_and_cover_the_range() {
        let a = Axis::nice(0.613, 1.42, 6);
        assert_eq!(a.ticks, [0.6, 0.8, 1.0, 1.2, 1.4, 1.6]);
        assert_eq!(a.label(1.0), "1.0");
        let b = Axis::nice(12.0, 99_000.0, 6);
        assert_eq!(b.ticks.first(), Some(&0.0));
        assert_eq!(b.label(20_000.0), "20,000");
        let c = Axis::nice(5.0, 5.0, 5);
        assert!(c.lo < 5.0 && c.hi > 5.0);
        assert_eq!(escape("a<b\n"), "a&lt;b ");
    }
}
