//! Cost-effectiveness acceptability curves as a standalone SVG, in the workspace's house style
//! ([`commissioning_model::chart`]): for each strategy, the share of simulations in which it
//! has the highest net monetary benefit, against the willingness to pay; the acceptability
//! frontier (the strategy with the highest expected NMB) drawn over them as dots.
//!
//! # Examples
//!
//! ```
//! use commissioning_priority::chart::ceac_svg;
//! use commissioning_priority::psa::{ceac, Psa};
//! use commissioning_model::Money;
//!
//! let m = |v: &[i64]| v.iter().map(|&c| Money::from_pounds(c)).collect::<Vec<_>>();
//! let psa = Psa::new(
//!     vec!["usual care".into(), "early discharge".into()],
//!     vec![m(&[1_000, 2_900]), m(&[1_200, 2_700]), m(&[900, 3_100]), m(&[1_100, 2_800])],
//!     vec![vec![1.00, 1.05], vec![0.95, 1.10], vec![1.02, 1.04], vec![0.98, 1.08]],
//! )?;
//! let wtp = m(&[0, 20_000, 40_000, 60_000]);
//! let curves = ceac(&psa, &wtp)?;
//! let svg = ceac_svg(&curves, psa.strategies(), "Early supported discharge");
//! assert_eq!(svg.matches("<polyline").count(), 2); // one curve per strategy
//! assert_eq!(svg.matches("<circle class=\"frontier\"").count(), 4); // the frontier at each value
//! # Ok::<(), commissioning_priority::PriorityError>(())
//! ```

use commissioning_model::chart::{self, Axis, Plot};
use std::fmt::Write as _;

use crate::cea::to_f64;
use crate::psa::Ceac;

/// The acceptability curves of `curves`, one per strategy named in `strategies` (in the PSA's
/// order), with the acceptability frontier as dots, as a 720 × 440 SVG.
pub fn ceac_svg(curves: &Ceac, strategies: &[String], title: &str) -> String {
    let wtp: Vec<f64> = curves.points.iter().map(|p| to_f64(p.wtp)).collect();
    let (lo, hi) = wtp
        .iter()
        .fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), &w| {
            (a.min(w), b.max(w))
        });
    let (lo, hi) = if lo.is_finite() && hi > lo {
        (lo, hi)
    } else {
        (0.0, lo.max(0.0) + 1.0)
    };
    let mut plot = Plot::new(720, 440, Axis::nice(lo, hi, 7), Axis::nice(0.0, 1.0, 6));
    plot.begin(
        title,
        &format!(
            "Share of {} simulations in which each strategy has the highest net benefit",
            curves.n_sim
        ),
        "Willingness to pay per unit of effect (£)",
        "Probability cost-effective",
    );
    for (k, name) in strategies.iter().enumerate() {
        let colour = chart::SERIES
            .get(k.checked_rem(chart::SERIES.len()).unwrap_or(0))
            .copied()
            .unwrap_or(chart::INK);
        let line: Vec<(f64, f64)> = curves
            .points
            .iter()
            .zip(&wtp)
            .map(|(p, &w)| (w, p.proportion.get(k).copied().unwrap_or(0.0)))
            .collect();
        plot.line(&line, colour, 2.0, None);
        plot.legend(&Plot::line_swatch(colour, 2.0, None), name);
    }
    let mut dots = String::new();
    for (p, &w) in curves.points.iter().zip(&wtp) {
        let _ = write!(
            dots,
            "<circle class=\"frontier\" cx=\"{:.2}\" cy=\"{:.2}\" r=\"3.5\" fill=\"none\" stroke=\"{}\" stroke-width=\"1.5\"><title>{}: frontier {}</title></circle>",
            plot.px(w),
            plot.py(p.frontier_proportion),
            chart::INK,
            chart::escape(&format!("£{}", plot.x.label(w))),
            chart::escape(&p.frontier),
        );
    }
    plot.raw(&dots);
    let ring = format!(
        r#"<circle cx="11" cy="0" r="3.5" fill="none" stroke="{}" stroke-width="1.5"/>"#,
        chart::INK
    );
    plot.legend(
        &ring,
        "Acceptability frontier (highest expected net benefit)",
    );
    plot.finish()
}
