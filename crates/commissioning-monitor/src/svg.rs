//! SPC charts as SVG in the Making Data Count style, on the workspace's house style
//! ([`commissioning_model::chart`]): the points joined by a grey line and coloured by their
//! special-cause type (grey common cause, blue improvement, orange concern, purple neutral, as
//! NHSRplotthedots colours them), each segment's mean and process limits drawn over that
//! segment only (so a rebased chart shows its limits step), the target as a red dashed line,
//! the lines labelled at the right, dated ticks at whole months, axis titles, a legend, and the
//! variation and assurance icons drawn as the Making Data Count icons (a circle in the icon's
//! colour with its letter: `H` or `L` for a special cause high or low, `P` passing, `F`
//! failing, `?` hit and miss; common cause as a grey circle with a flat trace).
//!
//! Several series can share one figure as facets ([`facets`]).

use std::fmt::Write as _;

use commissioning_model::chart::{Axis, INK, MUTED, Plot, TARGET, escape};

use crate::spc::{Assurance, PointType, SpcChart};

const IMPROVEMENT: &str = "#00b0f0";
const CONCERN: &str = "#e46c0a";
const NEUTRAL: &str = "#490092";
const LINE: &str = "#7f7f7f";

fn colour(t: PointType) -> &'static str {
    match t {
        PointType::CommonCause => MUTED,
        PointType::SpecialCauseImprovement => IMPROVEMENT,
        PointType::SpecialCauseConcern => CONCERN,
        PointType::SpecialCauseNeutralHigh | PointType::SpecialCauseNeutralLow => NEUTRAL,
    }
}

/// The words of a chart: its title, subtitle and axis titles, and its size.
#[derive(Debug, Clone)]
pub struct ChartText<'a> {
    /// The title.
    pub title: &'a str,
    /// A line under the title (the measure, its source).
    pub subtitle: &'a str,
    /// The horizontal axis's title.
    pub x_title: &'a str,
    /// The vertical axis's title.
    pub y_title: &'a str,
    /// Width in pixels.
    pub width: u32,
    /// Height in pixels.
    pub height: u32,
}

impl<'a> ChartText<'a> {
    /// A chart titled `title`, 800 × 420, with `Value` and `Date` (or `Point`) axis titles.
    pub fn titled(title: &'a str) -> Self {
        Self {
            title,
            subtitle: "",
            x_title: "",
            y_title: "Value",
            width: 800,
            height: 420,
        }
    }
}

/// Renders a chart as a standalone SVG document, `width` × `height` pixels, with a title.
///
/// # Examples
///
/// ```
/// use commissioning_monitor::spc::{spc, Observation, SpcOptions};
/// use commissioning_monitor::svg::render;
/// let obs: Vec<Observation> = [3.0, 4.0, 3.5, 9.0, 3.8, 4.1].iter().map(|v| Observation::new(*v)).collect();
/// let svg = render(&spc(&obs, &SpcOptions::default())?, "Stroke admissions", 640, 360);
/// assert!(svg.starts_with("<svg") && svg.contains("Stroke admissions"));
/// assert_eq!(svg.matches("<circle class=\"point\"").count(), 6);
/// assert!(svg.contains(">Mean 4.567<")); // (3 + 4 + 3.5 + 9 + 3.8 + 4.1) / 6
/// # Ok::<(), commissioning_monitor::MonitorError>(())
/// ```
pub fn render(chart: &SpcChart, title: &str, width: u32, height: u32) -> String {
    draw(
        chart,
        &ChartText {
            width,
            height,
            ..ChartText::titled(title)
        },
        "spc",
    )
}

/// The x value of each point: days since the first date when every point is dated, otherwise
/// its position.
fn x_values(chart: &SpcChart, width: u32) -> (Vec<f64>, Axis, &'static str) {
    // About 80 pixels a dated label, across the plot area.
    let room = usize::try_from(width.saturating_sub(190) / 80)
        .unwrap_or(2)
        .max(2);
    let dates: Option<Vec<_>> = chart.points.iter().map(|p| p.date).collect();
    match dates {
        Some(d) if !d.is_empty() => {
            let first = d.iter().min().copied().unwrap_or_default();
            let last = d.iter().max().copied().unwrap_or_default();
            let xs = d
                .iter()
                .map(|x| x.signed_duration_since(first).num_days() as f64)
                .collect();
            (xs, Axis::dated(first, last, room), "Date")
        }
        _ => {
            let xs: Vec<f64> = chart.points.iter().map(|p| p.position as f64).collect();
            let n = xs.len().max(2) as f64;
            (xs, Axis::nice(1.0, n, 10), "Point")
        }
    }
}

/// A number for a label: up to 3 significant decimals, thousands grouped.
fn figure(v: f64) -> String {
    let s = format!("{v:.3}");
    let s = s.trim_end_matches('0').trim_end_matches('.');
    let (sign, rest) = s.strip_prefix('-').map_or(("", s), |r| ("-", r));
    let (int, frac) = rest
        .split_once('.')
        .map_or((rest, None), |(i, f)| (i, Some(f)));
    let mut out = String::from(sign);
    for (i, c) in int.chars().enumerate() {
        if i > 0 && int.len().saturating_sub(i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    if let Some(f) = frac {
        out.push('.');
        out.push_str(f);
    }
    out
}

/// Draws `chart` with its words; `id` keeps its clipped area apart from other charts in the
/// same document.
///
/// # Examples
///
/// ```
/// use commissioning_monitor::spc::{spc, Observation, SpcOptions};
/// use commissioning_monitor::svg::{draw, ChartText};
/// let obs: Vec<Observation> = (0..20).map(|i| Observation::new(f64::from(i % 4))).collect();
/// let chart = spc(&obs, &SpcOptions::default())?;
/// let text = ChartText { subtitle: "Monthly, April 2024 onwards", ..ChartText::titled("Falls") };
/// let svg = draw(&chart, &text, "falls");
/// assert!(svg.contains("clip-path=\"url(#falls)\"") && svg.contains("Monthly, April 2024 onwards"));
/// assert!(svg.contains(">Upper limit ") && svg.contains(">Lower limit "));
/// # Ok::<(), commissioning_monitor::MonitorError>(())
/// ```
pub fn draw(chart: &SpcChart, text: &ChartText<'_>, id: &str) -> String {
    let (xs, x_axis, x_default) = x_values(chart, text.width);
    let mut lo = f64::INFINITY;
    let mut hi = f64::NEG_INFINITY;
    let mut widen = |v: f64| {
        if v.is_finite() {
            lo = lo.min(v);
            hi = hi.max(v);
        }
    };
    chart.points.iter().for_each(|p| widen(p.value));
    for s in &chart.segments {
        widen(s.limits.lower_process_limit);
        widen(s.limits.upper_process_limit);
    }
    if let Some(t) = chart.target {
        widen(t);
    }
    let y_axis = Axis::nice(lo, hi, 7);
    let mut plot = Plot::new(text.width, text.height, x_axis, y_axis)
        .with_right_margin(118)
        .with_id(id);
    let x_title = if text.x_title.is_empty() {
        x_default
    } else {
        text.x_title
    };
    plot.begin(text.title, text.subtitle, x_title, text.y_title);

    // Each segment's mean and limits over its own points.
    let at = |i: usize| xs.get(i.saturating_sub(1)).copied().unwrap_or(0.0);
    for s in &chart.segments {
        let (a, b) = (at(s.start), at(s.end));
        let l = &s.limits;
        plot.line(&[(a, l.mean), (b, l.mean)], INK, 1.4, None);
        for v in [l.upper_process_limit, l.lower_process_limit] {
            plot.line(&[(a, v), (b, v)], INK, 1.0, Some("6 4"));
        }
    }
    if let Some(t) = chart.target {
        plot.line(&[(plot.x.lo, t), (plot.x.hi, t)], TARGET, 1.4, Some("3 3"));
    }
    let trace: Vec<(f64, f64)> = xs
        .iter()
        .zip(&chart.points)
        .map(|(x, p)| (*x, p.value))
        .collect();
    plot.line(&trace, LINE, 1.2, None);
    let mut dots = String::new();
    for (x, p) in xs.iter().zip(&chart.points) {
        if p.value.is_finite() {
            let _ = writeln!(
                dots,
                r#"<circle class="point" cx="{:.2}" cy="{:.2}" r="3.6" fill="{}" stroke="white" stroke-width="0.8"><title>{}: {}</title></circle>"#,
                plot.px(*x),
                plot.py(p.value),
                colour(p.point_type),
                p.date
                    .map_or_else(|| format!("point {}", p.position), |d| d.to_string()),
                figure(p.value)
            );
        }
    }
    plot.raw(&dots);
    label_lines(&mut plot, chart);
    legend(&mut plot, chart);
    icons(&mut plot, chart);
    plot.finish()
}

/// Labels the last segment's mean and limits, and the target, at the right of the plot,
/// nudged apart where they would overlap.
fn label_lines(plot: &mut Plot, chart: &SpcChart) {
    let mut labels: Vec<(f64, String, &str)> = Vec::new();
    if let Some(s) = chart.segments.last() {
        let l = &s.limits;
        labels.push((
            l.upper_process_limit,
            format!("Upper limit {}", figure(l.upper_process_limit)),
            INK,
        ));
        labels.push((l.mean, format!("Mean {}", figure(l.mean)), INK));
        labels.push((
            l.lower_process_limit,
            format!("Lower limit {}", figure(l.lower_process_limit)),
            INK,
        ));
    }
    if let Some(t) = chart.target {
        labels.push((t, format!("Target {}", figure(t)), TARGET));
    }
    let (top, bottom) = (plot.py(plot.y.hi), plot.py(plot.y.lo));
    let mut placed: Vec<(f64, String, &str)> = labels
        .into_iter()
        .filter(|(v, ..)| v.is_finite())
        .map(|(v, t, c)| (plot.py(v).clamp(top + 4.0, bottom), t, c))
        .collect();
    placed.sort_by(|a, b| a.0.total_cmp(&b.0));
    for i in 1..placed.len() {
        let above = placed
            .get(i.saturating_sub(1))
            .map_or(f64::NEG_INFINITY, |p| p.0);
        if let Some(p) = placed.get_mut(i)
            && p.0 < above + 13.0
        {
            p.0 = above + 13.0;
        }
    }
    let x = plot.right_edge() + 6.0;
    for (y, t, c) in placed {
        plot.text(x, y + 4.0, &t, c, "start");
    }
}

/// The legend: the point types present, and the lines.
fn legend(plot: &mut Plot, chart: &SpcChart) {
    let present = |t: fn(PointType) -> bool| chart.points.iter().any(|p| t(p.point_type));
    plot.legend(&Plot::point_swatch(MUTED), "Common cause");
    if present(|t| t == PointType::SpecialCauseImprovement) {
        plot.legend(&Plot::point_swatch(IMPROVEMENT), "Improvement");
    }
    if present(|t| t == PointType::SpecialCauseConcern) {
        plot.legend(&Plot::point_swatch(CONCERN), "Concern");
    }
    if present(|t| {
        matches!(
            t,
            PointType::SpecialCauseNeutralHigh | PointType::SpecialCauseNeutralLow
        )
    }) {
        plot.legend(&Plot::point_swatch(NEUTRAL), "Neutral special cause");
    }
    plot.legend(&Plot::line_swatch(INK, 1.4, None), "Mean");
    plot.legend(&Plot::line_swatch(INK, 1.0, Some("6 4")), "Process limits");
    if chart.target.is_some() {
        plot.legend(&Plot::line_swatch(TARGET, 1.4, Some("3 3")), "Target");
    }
}

/// The variation icon and (with a target) the assurance icon, top right.
fn icons(plot: &mut Plot, chart: &SpcChart) {
    let y = 30.0;
    let right = plot.width() - 30.0;
    let mean = chart.segments.last().map_or(0.0, |s| s.limits.mean);
    let last = chart.points.last().map_or(mean, |p| p.value);
    let high = last >= mean;
    let (colour, letter, name) = match chart.variation {
        PointType::CommonCause => (MUTED, "", "Common cause variation"),
        PointType::SpecialCauseImprovement => (
            IMPROVEMENT,
            if high { "H" } else { "L" },
            "Special cause variation: improvement",
        ),
        PointType::SpecialCauseConcern => (
            CONCERN,
            if high { "H" } else { "L" },
            "Special cause variation: concern",
        ),
        PointType::SpecialCauseNeutralHigh => {
            (NEUTRAL, "H", "Special cause variation: neutral, high")
        }
        PointType::SpecialCauseNeutralLow => {
            (NEUTRAL, "L", "Special cause variation: neutral, low")
        }
    };
    let vx = if chart.assurance.is_some() {
        right - 46.0
    } else {
        right
    };
    plot.overlay(&icon(
        vx,
        y,
        colour,
        letter,
        name,
        chart.variation == PointType::CommonCause,
    ));
    if let Some(a) = chart.assurance {
        let (colour, letter, name) = match a {
            Assurance::ConsistentlyPassing => (
                IMPROVEMENT,
                "P",
                "Assurance: consistently passing the target",
            ),
            Assurance::ConsistentlyFailing => {
                (CONCERN, "F", "Assurance: consistently failing the target")
            }
            Assurance::HitAndMiss => (MUTED, "?", "Assurance: hit and miss"),
        };
        plot.overlay(&icon(right, y, colour, letter, name, false));
    }
}

/// One icon: a circle in its colour with a letter, or a flat trace for common cause.
fn icon(cx: f64, cy: f64, colour: &str, letter: &str, name: &str, trace: bool) -> String {
    let mut o = String::new();
    let _ = write!(
        o,
        r#"<g class="icon"><title>{}</title><circle cx="{cx:.1}" cy="{cy:.1}" r="18" fill="white" stroke="{colour}" stroke-width="3"/>"#,
        escape(name)
    );
    if trace {
        let pts: Vec<String> = [
            (-11.0, 2.0),
            (-6.0, -3.0),
            (-1.0, 3.0),
            (4.0, -2.0),
            (10.0, 1.0),
        ]
        .iter()
        .map(|(dx, dy)| format!("{:.1},{:.1}", cx + dx, cy + dy))
        .collect();
        let _ = write!(
            o,
            r#"<polyline points="{}" fill="none" stroke="{colour}" stroke-width="2"/>"#,
            pts.join(" ")
        );
    } else {
        let _ = write!(
            o,
            r#"<text x="{cx:.1}" y="{:.1}" text-anchor="middle" font-size="17" font-weight="bold" fill="{colour}">{}</text>"#,
            cy + 6.0,
            escape(letter)
        );
    }
    o.push_str("</g>\n");
    o
}

/// Several charts in one figure: facets in `columns` columns, each `width` × `height`, under a
/// title.
///
/// # Examples
///
/// ```
/// use commissioning_monitor::spc::{spc, Observation, SpcOptions};
/// use commissioning_monitor::svg::facets;
/// let a: Vec<Observation> = (0..12).map(|i| Observation::new(f64::from(i % 3))).collect();
/// let b: Vec<Observation> = (0..12).map(|i| Observation::new(f64::from(i))).collect();
/// let (a, b) = (spc(&a, &SpcOptions::default())?, spc(&b, &SpcOptions::default())?);
/// let svg = facets(&[("North", &a), ("South", &b)], "Falls by place", 2, 520, 320);
/// assert_eq!(svg.matches("<svg").count(), 3); // the figure and its two facets
/// assert!(svg.contains(">North<") && svg.contains(">South<") && svg.contains(">Falls by place<"));
/// # Ok::<(), commissioning_monitor::MonitorError>(())
/// ```
pub fn facets(
    charts: &[(&str, &SpcChart)],
    title: &str,
    columns: usize,
    width: u32,
    height: u32,
) -> String {
    let columns = columns.clamp(1, 6);
    let rows = charts.len().div_ceil(columns).max(1);
    let (w, h) = (f64::from(width), f64::from(height));
    let total_w = w * columns as f64;
    let total_h = 40.0 + h * rows as f64;
    let mut o = String::new();
    let _ = writeln!(
        o,
        r#"<svg xmlns="http://www.w3.org/2000/svg" width="{total_w}" height="{total_h}" viewBox="0 0 {total_w} {total_h}" font-family="Arial, Helvetica, sans-serif" fill="{INK}">"#
    );
    let _ = writeln!(o, r#"<rect width="100%" height="100%" fill="white"/>"#);
    let _ = writeln!(
        o,
        r#"<text x="16" y="26" font-size="18" font-weight="bold">{}</text>"#,
        escape(title)
    );
    for (i, (name, chart)) in charts.iter().enumerate() {
        let (col, row) = (
            i.checked_rem(columns).unwrap_or(0),
            i.checked_div(columns).unwrap_or(0),
        );
        let text = ChartText {
            width,
            height,
            ..ChartText::titled(name)
        };
        let svg = draw(chart, &text, &format!("facet-{i}"));
        let inner = svg
            .split_once('>')
            .map_or(svg.as_str(), |(_, rest)| rest)
            .trim_end()
            .trim_end_matches("</svg>");
        let _ = writeln!(
            o,
            r#"<svg x="{:.0}" y="{:.0}" width="{w}" height="{h}" viewBox="0 0 {w} {h}" font-size="12">{inner}</svg>"#,
            w * col as f64,
            40.0 + h * row as f64,
        );
    }
    o.push_str("</svg>\n");
    o
}
