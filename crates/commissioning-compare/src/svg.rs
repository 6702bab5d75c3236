//! The funnel plot as a standalone SVG, in the workspace's house style
//! ([`commissioning_model::chart`]): units as points, the target line, the inner (95%) and outer
//! (99.8%) limits as curves over the range of denominators, outliers coloured and labelled.
//!
//! # Examples
//!
//! ```
//! use commissioning_compare::funnel::{funnel, FunnelInput, FunnelUnit};
//! use commissioning_compare::opportunity::Polarity;
//! use commissioning_compare::svg::{render, FunnelChart};
//!
//! let units: Vec<FunnelUnit> = [("a", 100.0, 108.0), ("b", 150.0, 112.0), ("c", 180.0, 165.0),
//!     ("d", 80.0, 95.0), ("e", 120.0, 100.0), ("f", 225.0, 220.0)]
//!     .iter().map(|&(id, o, e)| FunnelUnit::new(id, o, e)).collect();
//! let mut input = FunnelInput::ratios(units);
//! input.overdispersion = false;
//! let f = funnel(&input)?;
//! let mut chart = FunnelChart::new("Stroke mortality by trust");
//! chart.polarity = Some(Polarity::LowerIsBetter);
//! let svg = render(&f, &chart);
//! assert_eq!(svg.matches("<circle class=\"unit\"").count(), 6);
//! assert!(svg.contains(">b</text>")); // the outlier is labelled
//! # Ok::<(), commissioning_compare::CompareError>(())
//! ```

use commissioning_model::chart::{self, Axis, Plot};
use std::fmt::Write as _;

use crate::funnel::Funnel;
use crate::opportunity::Polarity;

/// What to write on a funnel plot.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct FunnelChart {
    /// The title.
    pub title: String,
    /// The subtitle; when empty, the method and the overdispersion in use.
    pub subtitle: String,
    /// The horizontal axis title; when empty, "Expected events" or "Denominator".
    pub x_title: String,
    /// The vertical axis title; when empty, "Standardised ratio" or "Proportion".
    pub y_title: String,
    /// Which direction is better, to colour outliers as better (blue) or worse (orange);
    /// `None` colours them neutral (purple).
    pub polarity: Option<Polarity>,
    /// Width in pixels.
    pub width: u32,
    /// Height in pixels.
    pub height: u32,
}

impl FunnelChart {
    /// A 760 × 480 chart with this title and the default subtitle and axis titles.
    pub fn new(title: impl Into<String>) -> Self {
        Self {
            title: title.into(),
            subtitle: String::new(),
            x_title: String::new(),
            y_title: String::new(),
            polarity: None,
            width: 760,
            height: 480,
        }
    }
}

fn or<'a>(s: &'a str, default: &'a str) -> &'a str {
    if s.is_empty() { default } else { s }
}

/// Renders the funnel plot as a standalone SVG document.
pub fn render(f: &Funnel<'_>, options: &FunnelChart) -> String {
    let dens: Vec<f64> = f
        .units
        .iter()
        .map(|u| u.denominator)
        .filter(|d| d.is_finite())
        .collect();
    let d_min = dens.iter().copied().fold(f64::INFINITY, f64::min);
    let d_max = dens.iter().copied().fold(0.0, f64::max);
    let (d_min, d_max) = if d_min.is_finite() && d_max > 0.0 {
        (d_min, d_max)
    } else {
        (1.0, 2.0)
    };
    let x = Axis::nice(0.0, d_max * 1.05, 7);
    // Curves from the smallest unit's denominator to the axis end.
    let start = d_min.max(x.hi * 1e-3);
    let samples: Vec<f64> = (0..=160)
        .map(|i| start * (x.hi / start).powf(f64::from(i) / 160.0))
        .collect();
    let curves: Vec<_> = samples.iter().map(|&d| (d, f.limits_at(d))).collect();
    let mut lo = f.target;
    let mut hi = f.target;
    for u in &f.units {
        lo = lo.min(u.ratio);
        hi = hi.max(u.ratio);
    }
    if let Some((_, l)) = curves.first() {
        lo = lo.min(l.lower_998);
        hi = hi.max(l.upper_998);
    }
    let mut plot = Plot::new(options.width, options.height, x, Axis::nice(lo, hi, 7));
    let [inner, outer] = f.levels();
    let pct = |c: crate::Confidence| {
        let p = c
            .level()
            .checked_mul(commissioning_model::Decimal::ONE_HUNDRED)
            .unwrap_or_default();
        format!("{}%", p.normalize())
    };
    let subtitle = if options.subtitle.is_empty() {
        let od = match (f.adjusted_in_use, f.phi, f.tau2) {
            (true, Some(phi), Some(t)) => {
                format!("limits widened for overdispersion (φ = {phi:.2}, τ² = {t:.4})")
            }
            (false, Some(phi), _) if phi <= 1.0 => format!("no overdispersion (φ = {phi:.2})"),
            (false, Some(phi), _) => format!("limits not adjusted (φ = {phi:.2})"),
            _ => "limits not adjusted".to_owned(),
        };
        format!(
            "{} units; {} and {} limits; {od}",
            f.units.len(),
            pct(inner),
            pct(outer)
        )
    } else {
        options.subtitle.clone()
    };
    let proportion = f.is_proportion();
    plot.begin(
        &options.title,
        &subtitle,
        or(
            &options.x_title,
            if proportion {
                "Denominator"
            } else {
                "Expected events"
            },
        ),
        or(
            &options.y_title,
            if proportion {
                "Proportion"
            } else {
                "Standardised ratio"
            },
        ),
    );
    let target = [(0.0, f.target), (plot.x.hi, f.target)];
    plot.line(&target, chart::INK, 1.2, None);
    let pick = |sel: fn(&crate::funnel::Limits) -> f64| -> Vec<(f64, f64)> {
        curves.iter().map(|(d, l)| (*d, sel(l))).collect()
    };
    plot.line(&pick(|l| l.lower_95), chart::INNER, 1.4, Some("6 4"));
    plot.line(&pick(|l| l.upper_95), chart::INNER, 1.4, Some("6 4"));
    plot.line(&pick(|l| l.lower_998), chart::OUTER, 1.6, None);
    plot.line(&pick(|l| l.upper_998), chart::OUTER, 1.6, None);
    let outlier_colour = |above: bool| match (options.polarity, above) {
        (None, _) => chart::NEUTRAL,
        (Some(Polarity::LowerIsBetter), true) | (Some(Polarity::HigherIsBetter), false) => {
            chart::WORSE
        }
        _ => chart::BETTER,
    };
    let mut points = String::new();
    let mut labels = String::new();
    // Draw the plain points first so that outliers sit on top.
    let mut order: Vec<&crate::funnel::FunnelPoint<'_>> = f.units.iter().collect();
    order.sort_by_key(|u| (u.outlier_998, u.outlier_95));
    for u in order {
        let (cx, cy) = (plot.px(u.denominator), plot.py(u.ratio));
        if !cx.is_finite() || !cy.is_finite() {
            continue;
        }
        let above = u.ratio > f.target;
        let (fill, opacity) = if u.outlier_998 {
            (outlier_colour(above), 1.0)
        } else if u.outlier_95 {
            (outlier_colour(above), 0.55)
        } else {
            (chart::MUTED, 0.9)
        };
        let _ = writeln!(
            points,
            r#"<circle class="unit" cx="{cx:.2}" cy="{cy:.2}" r="4.5" fill="{fill}" fill-opacity="{opacity}" stroke="white" stroke-width="0.8"><title>{}: {:.3} at {:.1}</title></circle>"#,
            chart::escape(u.id),
            u.ratio,
            u.denominator
        );
        if u.outlier_95 {
            let _ = writeln!(
                labels,
                r#"<text x="{:.2}" y="{:.2}" font-size="11" font-weight="bold" fill="{fill}">{}</text>"#,
                cx + 7.0,
                cy - 6.0,
                chart::escape(u.id)
            );
        }
    }
    plot.raw(&points);
    plot.raw(&labels);
    plot.legend(&Plot::line_swatch(chart::INK, 1.2, None), "Target");
    plot.legend(
        &Plot::line_swatch(chart::INNER, 1.4, Some("6 4")),
        &format!("{} limits", pct(inner)),
    );
    plot.legend(
        &Plot::line_swatch(chart::OUTER, 1.6, None),
        &format!("{} limits", pct(outer)),
    );
    if options.polarity.is_some() {
        plot.legend(&Plot::point_swatch(chart::WORSE), "Worse than expected");
        plot.legend(&Plot::point_swatch(chart::BETTER), "Better than expected");
    } else {
        plot.legend(&Plot::point_swatch(chart::NEUTRAL), "Outside the limits");
    }
    plot.finish()
}
