//! SPC charts as SVG: points joined by a line, the mean, the process limits, the target, and
//! special causes coloured as Making Data Count does (grey common cause, blue improvement,
//! orange concern, purple neutral; a red target line).

use std::fmt::Write as _;

use crate::spc::{Assurance, PointType, SpcChart};

const COMMON: &str = "#a6a6a6";
const IMPROVEMENT: &str = "#00b0f0";
const CONCERN: &str = "#e46c0a";
const NEUTRAL: &str = "#490092";
const TARGET: &str = "#de1b1b";

fn colour(t: PointType) -> &'static str {
    match t {
        PointType::CommonCause => COMMON,
        PointType::SpecialCauseImprovement => IMPROVEMENT,
        PointType::SpecialCauseConcern => CONCERN,
        PointType::SpecialCauseNeutralHigh | PointType::SpecialCauseNeutralLow => NEUTRAL,
    }
}

fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// Renders a chart as a standalone SVG document, `width` × `height` pixels, with a title.
///
/// ```
/// use commissioning_monitor::spc::{spc, Observation, SpcOptions};
/// use commissioning_monitor::svg::render;
/// let obs: Vec<Observation> = [3.0, 4.0, 3.5, 9.0, 3.8, 4.1].iter().map(|v| Observation::new(*v)).collect();
/// let svg = render(&spc(&obs, &SpcOptions::default())?, "Stroke admissions", 640, 360);
/// assert!(svg.starts_with("<svg") && svg.contains("Stroke admissions"));
/// assert_eq!(svg.matches("<circle").count(), 6);
/// # Ok::<(), commissioning_monitor::MonitorError>(())
/// ```
pub fn render(chart: &SpcChart, title: &str, width: u32, height: u32) -> String {
    let (w, h) = (f64::from(width.max(200)), f64::from(height.max(150)));
    let (left, right, top, bottom) = (60.0, 20.0, 40.0, 40.0);
    let mut lo = f64::INFINITY;
    let mut hi = f64::NEG_INFINITY;
    for p in &chart.points {
        lo = lo.min(p.value);
        hi = hi.max(p.value);
    }
    for s in &chart.segments {
        lo = lo.min(s.limits.lower_process_limit);
        hi = hi.max(s.limits.upper_process_limit);
    }
    if let Some(t) = chart.target {
        lo = lo.min(t);
        hi = hi.max(t);
    }
    if !lo.is_finite() || !hi.is_finite() {
        lo = 0.0;
        hi = 1.0;
    }
    if (hi - lo).abs() < f64::EPSILON {
        lo -= 1.0;
        hi += 1.0;
    }
    let pad = (hi - lo) * 0.05;
    let (lo, hi) = (lo - pad, hi + pad);
    #[allow(clippy::cast_precision_loss)]
    let n = chart.points.len().max(2) as f64;
    #[allow(clippy::cast_precision_loss)]
    let x = |pos: usize| left + (pos as f64 - 1.0) * (w - left - right) / (n - 1.0);
    let y = |v: f64| top + (hi - v) * (h - top - bottom) / (hi - lo);
    let mut out = String::with_capacity(4096);
    let _ = writeln!(
        out,
        r#"<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" viewBox="0 0 {w} {h}" font-family="sans-serif" font-size="12">"#
    );
    let _ = writeln!(out, r#"<rect width="100%" height="100%" fill="white"/>"#);
    let _ = writeln!(
        out,
        r#"<text x="{left}" y="24" font-size="16" font-weight="bold">{}</text>"#,
        escape(title)
    );
    // Axis and tick labels at the limits of the plotted range.
    let _ = writeln!(
        out,
        r##"<line x1="{left}" y1="{top}" x2="{left}" y2="{:.2}" stroke="#333"/>"##,
        h - bottom
    );
    let _ = writeln!(
        out,
        r##"<line x1="{left}" y1="{:.2}" x2="{:.2}" y2="{:.2}" stroke="#333"/>"##,
        h - bottom,
        w - right,
        h - bottom
    );
    for v in [lo, (lo + hi) / 2.0, hi] {
        let _ = writeln!(
            out,
            r#"<text x="{:.2}" y="{:.2}" text-anchor="end">{}</text>"#,
            left - 6.0,
            y(v) + 4.0,
            fmt_num(v)
        );
    }
    for seg in &chart.segments {
        let (x0, x1) = (x(seg.start), x(seg.end));
        let l = &seg.limits;
        let _ = writeln!(
            out,
            r#"<line class="mean" x1="{x0:.2}" y1="{0:.2}" x2="{x1:.2}" y2="{0:.2}" stroke="black" stroke-width="1.5"/>"#,
            y(l.mean)
        );
        for v in [l.upper_process_limit, l.lower_process_limit] {
            let _ = writeln!(
                out,
                r#"<line class="limit" x1="{x0:.2}" y1="{0:.2}" x2="{x1:.2}" y2="{0:.2}" stroke="{COMMON}" stroke-width="1.5" stroke-dasharray="6 4"/>"#,
                y(v)
            );
        }
    }
    if let Some(t) = chart.target {
        let _ = writeln!(
            out,
            r#"<line class="target" x1="{left}" y1="{0:.2}" x2="{1:.2}" y2="{0:.2}" stroke="{TARGET}" stroke-width="1.5" stroke-dasharray="2 3"/>"#,
            y(t),
            w - right
        );
    }
    let path: Vec<String> = chart
        .points
        .iter()
        .map(|p| format!("{:.2},{:.2}", x(p.position), y(p.value)))
        .collect();
    let _ = writeln!(
        out,
        r#"<polyline points="{}" fill="none" stroke="{COMMON}" stroke-width="1.5"/>"#,
        path.join(" ")
    );
    for p in &chart.points {
        let _ = writeln!(
            out,
            r#"<circle cx="{:.2}" cy="{:.2}" r="4" fill="{}"><title>point {}: {} ({:?})</title></circle>"#,
            x(p.position),
            y(p.value),
            colour(p.point_type),
            p.position,
            fmt_num(p.value),
            p.rule
        );
    }
    // Dates of the first and last points, when dated.
    if let (Some(first), Some(last)) = (chart.points.first(), chart.points.last())
        && let (Some(d0), Some(d1)) = (first.date, last.date)
    {
        let _ = writeln!(
            out,
            r#"<text x="{:.2}" y="{:.2}" text-anchor="start">{}</text>"#,
            x(first.position),
            h - bottom + 16.0,
            d0.format("%Y-%m")
        );
        let _ = writeln!(
            out,
            r#"<text x="{:.2}" y="{:.2}" text-anchor="end">{}</text>"#,
            x(last.position),
            h - bottom + 16.0,
            d1.format("%Y-%m")
        );
    }
    let mut legend = format!(
        "variation: {}",
        match chart.variation {
            PointType::CommonCause => "common cause",
            PointType::SpecialCauseImprovement => "special cause, improvement",
            PointType::SpecialCauseConcern => "special cause, concern",
            PointType::SpecialCauseNeutralHigh => "special cause, neutral (high)",
            PointType::SpecialCauseNeutralLow => "special cause, neutral (low)",
        }
    );
    if let Some(a) = chart.assurance {
        legend.push_str(match a {
            Assurance::ConsistentlyPassing => "; assurance: consistently passing",
            Assurance::ConsistentlyFailing => "; assurance: consistently failing",
            Assurance::HitAndMiss => "; assurance: hit and miss",
        });
    }
    let _ = writeln!(
        out,
        r#"<text x="{left}" y="{:.2}">{}</text>"#,
        h - 12.0,
        escape(&legend)
    );
    out.push_str("</svg>\n");
    out
}

fn fmt_num(v: f64) -> String {
    let r = (v * 100.0).round() / 100.0;
    format!("{r}")
}
