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

use chrono::{Datelike, NaiveDate};

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
    /// The ticks' labels, where they are not the numbers themselves (dates); empty for
    /// numbers.
    pub labels: Vec<String>,
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
            labels: Vec::new(),
        }
    }

    /// A time axis from `first` to `last`, in days since `first`, with ticks on the first of
    /// the month every 1, 2, 3, 6 or 12 months (whichever keeps at most about `max_ticks`),
    /// labelled `Apr 2025`. The range is padded by half a month either side so that the first
    /// and last points do not sit on the frame.
    ///
    /// # Examples
    ///
    /// ```
    /// use commissioning_model::chart::Axis;
    /// use commissioning_model::NaiveDate;
    ///
    /// let first = NaiveDate::from_ymd_opt(2023, 4, 1).unwrap();
    /// let last = NaiveDate::from_ymd_opt(2025, 9, 1).unwrap();
    /// let x = Axis::dated(first, last, 8);
    /// assert_eq!(x.labels.first().map(String::as_str), Some("Apr 2023"));
    /// assert_eq!(x.labels.get(1).map(String::as_str), Some("Aug 2023")); // every 4 months
    /// assert_eq!(x.label(0.0), "Apr 2023");
    /// ```
    pub fn dated(first: NaiveDate, last: NaiveDate, max_ticks: usize) -> Self {
        let (first, last) = (first.min(last), first.max(last));
        // Months since year 0; chrono's years fit comfortably, so the sums cannot overflow.
        let months = |d: NaiveDate| {
            i64::from(d.year())
                .saturating_mul(12)
                .saturating_add(i64::from(d.month0()))
        };
        let (m_first, m_last) = (months(first), months(last));
        let span = m_last.saturating_sub(m_first).saturating_add(1);
        let max = i64::try_from(max_ticks.clamp(2, 24)).unwrap_or(8);
        let every: i64 = [1, 2, 3, 4, 6, 12, 24, 60]
            .into_iter()
            .find(|m| span.checked_div(*m).is_some_and(|k| k <= max))
            .unwrap_or(120);
        let day = |d: NaiveDate| d.signed_duration_since(first).num_days() as f64;
        let mut ticks = Vec::new();
        let mut labels = Vec::new();
        // Ticks on months a whole number of intervals from April (the financial year).
        let offset = m_first.saturating_sub(3).rem_euclid(every);
        let mut m = if offset == 0 {
            m_first
        } else {
            m_first.saturating_add(every.saturating_sub(offset))
        };
        while m <= m_last && ticks.len() < 64 {
            let (y, mo) = (m.div_euclid(12), m.rem_euclid(12));
            if let (Ok(y), Ok(mo)) = (i32::try_from(y), u32::try_from(mo.saturating_add(1)))
                && let Some(d) = NaiveDate::from_ymd_opt(y, mo, 1)
            {
                ticks.push(day(d));
                labels.push(d.format("%b %Y").to_string());
            }
            m = m.saturating_add(every);
        }
        let pad = 15.0;
        Self {
            lo: -pad,
            hi: day(last) + pad,
            ticks,
            step: 30.0 * every as f64,
            labels,
        }
    }

    /// The same axis labelled in pounds: `£20,000`, `−£5,000`.
    ///
    /// ```
    /// use commissioning_model::chart::Axis;
    /// let a = Axis::nice(-5_000.0, 20_000.0, 6).pounds();
    /// assert_eq!(a.label(-5_000.0), "−£5,000");
    /// assert_eq!(a.label(20_000.0), "£20,000");
    /// ```
    ///
    /// Amounts of a million or more are written in millions, `£1.5m`, so that the labels stay
    /// narrow:
    ///
    /// ```
    /// use commissioning_model::chart::Axis;
    /// assert_eq!(Axis::nice(0.0, 4_000_000.0, 6).pounds().label(1_000_000.0), "£1m");
    /// assert_eq!(Axis::nice(0.0, 2_500_000.0, 6).pounds().label(1_500_000.0), "£1.5m");
    /// ```
    #[must_use]
    pub fn pounds(mut self) -> Self {
        let millions = self.ticks.iter().any(|t| t.abs() >= 1e6);
        let plain = Self {
            labels: Vec::new(),
            ..self.clone()
        };
        let scaled = Self {
            labels: Vec::new(),
            step: self.step / 1e6,
            ..self.clone()
        };
        self.labels = self
            .ticks
            .iter()
            .map(|&v| {
                let n = if millions {
                    format!("{}m", scaled.label(v.abs() / 1e6))
                } else {
                    plain.label(v.abs())
                };
                if v < 0.0 {
                    format!("−£{n}")
                } else {
                    format!("£{n}")
                }
            })
            .collect();
        self
    }

    /// The same axis, whose values are fractions, labelled as percentages: `0.25` → `25%`.
    ///
    /// ```
    /// use commissioning_model::chart::Axis;
    /// let a = Axis::nice(0.0, 1.0, 6).percent();
    /// assert_eq!(a.label(0.2), "20%");
    /// assert_eq!(a.label(1.0), "100%");
    /// ```
    #[must_use]
    pub fn percent(mut self) -> Self {
        let decimals = places(self.step * 100.0);
        self.labels = self
            .ticks
            .iter()
            .map(|&v| format!("{:.*}%", decimals.min(6), v * 100.0))
            .collect();
        self
    }

    /// A tick's label: its own where the axis has labels, otherwise the number with thousands
    /// separated by commas and as many decimals as the step needs.
    pub fn label(&self, v: f64) -> String {
        if let Some(l) = self
            .ticks
            .iter()
            .position(|t| (t - v).abs() < 1e-9)
            .and_then(|i| self.labels.get(i))
        {
            return l.clone();
        }
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
    overlay: String,
    legend: Vec<(String, String)>,
    id: String,
    title: String,
    subtitle: String,
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
            overlay: String::new(),
            legend: Vec::new(),
            id: "plot-area".to_owned(),
            title: String::new(),
            subtitle: String::new(),
        }
    }

    /// The same plot with a wider right margin, for labels at the right-hand end of lines.
    #[must_use]
    pub fn with_right_margin(mut self, px: u32) -> Self {
        self.right = f64::from(px);
        self
    }

    /// The same plot with its own id for the clipped area, so that several plots can share one
    /// document (facets, a report).
    #[must_use]
    pub fn with_id(mut self, id: &str) -> Self {
        self.id = id
            .chars()
            .map(|c| if c.is_ascii_alphanumeric() { c } else { '-' })
            .collect();
        self
    }

    /// The right-hand edge of the plot area, in pixels.
    pub fn right_edge(&self) -> f64 {
        self.width - self.right
    }

    /// The top edge of the plot area, in pixels.
    pub fn top_edge(&self) -> f64 {
        self.top
    }

    /// The chart's width in pixels.
    pub fn width(&self) -> f64 {
        self.width
    }

    /// Text at a pixel position, outside the clipped area (labels in the margins, icons):
    /// `anchor` is `start`, `middle` or `end`.
    pub fn text(&mut self, x: f64, y: f64, text: &str, colour: &str, anchor: &str) {
        let _ = writeln!(
            self.overlay,
            r#"<text x="{x:.2}" y="{y:.2}" text-anchor="{anchor}" fill="{colour}">{}</text>"#,
            escape(text)
        );
    }

    /// SVG elements drawn over the chart, outside the clipped plot area.
    pub fn overlay(&mut self, svg: &str) {
        self.overlay.push_str(svg);
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
        self.title = escape(title);
        self.subtitle = escape(subtitle);
        let _ = writeln!(
            o,
            r#"<clipPath id="{}"><rect x="{l}" y="{t}" width="{:.2}" height="{:.2}"/></clipPath>"#,
            self.id,
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
        let _ = writeln!(o, r#"<g clip-path="url(#{})">"#, self.id);
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
        self.out.push_str(&self.overlay);
        // Room for a label at about 6.5 px a character at 12 px; entries that do not fit in
        // the plot's width go on further rows, the first rows rising into the space above.
        let widths: Vec<f64> = self
            .legend
            .iter()
            .map(|(_, label)| 40.0 + 6.5 * label.chars().count() as f64)
            .collect();
        let room = self.width - self.right - self.left;
        let mut rows = 1.0;
        let mut used = 0.0;
        for w in &widths {
            if used > 0.0 && used + w > room {
                rows += 1.0;
                used = 0.0;
            }
            used += w;
        }
        // The title, subtitle and legend share the space above the plot: with a second row
        // of legend they move up to make room.
        let (title_y, subtitle_y) = if rows > 1.0 && !self.subtitle.is_empty() {
            (20.0, 36.0)
        } else {
            (24.0, 44.0)
        };
        let _ = writeln!(
            self.out,
            r#"<text x="{}" y="{title_y}" font-size="16" font-weight="bold">{}</text>"#,
            self.left, self.title
        );
        if !self.subtitle.is_empty() {
            let _ = writeln!(
                self.out,
                r##"<text x="{}" y="{subtitle_y}" font-size="12" fill="#425563">{}</text>"##,
                self.left, self.subtitle
            );
        }
        let mut x = self.left;
        let mut y = self.top - 14.0 - 16.0 * (rows - 1.0);
        for ((swatch, label), w) in self.legend.iter().zip(&widths) {
            if x > self.left && x - self.left + w > room {
                x = self.left;
                y += 16.0;
            }
            let _ = writeln!(
                self.out,
                r#"<g transform="translate({x:.2} {y:.2})">{swatch}<text x="28" y="4">{}</text></g>"#,
                escape(label)
            );
            x += w;
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
