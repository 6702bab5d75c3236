//! Charts of the priority crate as standalone SVG, in the workspace's house style
//! ([`commissioning_model::chart`]):
//!
//! - [`ceac_svg`]: cost-effectiveness acceptability curves: for each strategy, the share of
//!   simulations in which it has the highest net monetary benefit, against the willingness to
//!   pay; the acceptability frontier (the strategy with the highest expected NMB) as dots;
//! - [`evpi_svg`]: the expected value of perfect information against the willingness to pay,
//!   per person and, with a population, for the population over the horizon;
//! - [`ce_plane_svg`]: the cost-effectiveness plane: strategies by effect and cost, the
//!   frontier joined with each segment's ICER, dominated and extendedly dominated strategies
//!   marked, and the willingness-to-pay threshold as a line through the frontier's first
//!   strategy;
//! - [`tornado_svg`]: one-way sensitivity as a tornado of the outcome's range per parameter;
//! - [`pareto_svg`]: spend concentration as a Pareto chart: bars by service, the cumulative
//!   share as a line, and the A/B cut-offs.
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

use commissioning_model::{Decimal, Share};

use crate::cea::{IcerRow, Status, to_f64};
use crate::concentration::Concentration;
use crate::dsa::OneWay;
use crate::psa::{Ceac, Evpi};

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
        let colour = series(k);
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

/// A decimal fraction as a number for drawing.
fn decimal(d: Decimal) -> f64 {
    d.to_string().parse().unwrap_or(0.0)
}

/// The colour of the `k`th series.
fn series(k: usize) -> &'static str {
    chart::SERIES
        .get(k.checked_rem(chart::SERIES.len()).unwrap_or(0))
        .copied()
        .unwrap_or(chart::INK)
}

/// An amount in pounds for a label: `£12,500`, or `£1.2m` for millions.
fn pounds(v: f64) -> String {
    if v.abs() >= 1e6 {
        format!("£{:.1}m", v / 1e6)
    } else {
        let axis = Axis::nice(0.0, v.abs().max(1.0), 2);
        let whole = Axis { step: 1.0, ..axis };
        let s = whole.label(v.round());
        format!("£{s}").replace("£-", "−£")
    }
}

/// The cost-effectiveness plane of a frontier (as [`calculate_icers`] gives it), 760 × 480:
/// effect across, cost up; the non-dominated strategies joined in order of effect with each
/// segment's ICER written at its middle; dominated strategies as grey crosses and extendedly
/// dominated ones as orange diamonds; every strategy labelled; and, with a `threshold`, the
/// willingness-to-pay line through the first strategy on the frontier (strategies below it
/// are worth their cost against the first).
///
/// [`calculate_icers`]: crate::cea::calculate_icers
///
/// # Examples
///
/// ```
/// use commissioning_priority::cea::{calculate_icers, Strategy};
/// use commissioning_priority::chart::ce_plane_svg;
/// use commissioning_model::Money;
///
/// let strategies = vec![
///     Strategy::new("usual care", Money::from_pounds(5_000), 1.0),
///     Strategy::new("telecare", Money::from_pounds(10_000), 2.0),
///     Strategy::new("clinic", Money::from_pounds(12_000), 1.5),
///     Strategy::new("home team", Money::from_pounds(35_000), 4.0),
/// ];
/// let rows = calculate_icers(&strategies)?;
/// let svg = ce_plane_svg(&rows, Some(20_000.0), "Stroke follow-up");
/// assert_eq!(svg.matches("<circle class=\"frontier\"").count(), 3);
/// assert_eq!(svg.matches("class=\"dominated\"").count(), 1); // the clinic
/// assert!(svg.contains(">£5,000 per QALY<") && svg.contains(">£12,500 per QALY<"));
/// assert!(svg.contains("Threshold £20,000 per QALY"));
/// # Ok::<(), commissioning_priority::PriorityError>(())
/// ```
pub fn ce_plane_svg(rows: &[IcerRow<'_>], threshold: Option<f64>, title: &str) -> String {
    let points: Vec<(f64, f64)> = rows.iter().map(|r| (r.effect, to_f64(r.cost))).collect();
    let (mut xlo, mut xhi, mut ylo, mut yhi) = (
        f64::INFINITY,
        f64::NEG_INFINITY,
        f64::INFINITY,
        f64::NEG_INFINITY,
    );
    for &(x, y) in &points {
        if x.is_finite() && y.is_finite() {
            xlo = xlo.min(x);
            xhi = xhi.max(x);
            ylo = ylo.min(y);
            yhi = yhi.max(y);
        }
    }
    // Room around the points for their labels.
    let (dx, dy) = (
        (xhi - xlo).abs().max(1e-9) * 0.08,
        (yhi - ylo).abs().max(1e-9) * 0.08,
    );
    let x = Axis::nice(xlo - dx, xhi + dx, 7);
    let y = Axis::nice((ylo - dy).min(0.0_f64.max(ylo - dy)), yhi + dy, 7).pounds();
    let mut plot = Plot::new(760, 480, x, y).with_id("ce-plane");
    plot.begin(
        title,
        "Each strategy's cost and effect; the frontier joins those not dominated",
        "Effect (QALYs)",
        "Cost",
    );
    let frontier: Vec<(usize, &IcerRow<'_>)> = rows
        .iter()
        .enumerate()
        .filter(|(_, r)| r.status == Status::NonDominated)
        .collect();
    if let (Some(lambda), Some((_, first))) = (threshold, frontier.first()) {
        let (x0, y0) = (first.effect, to_f64(first.cost));
        let (a, b) = (plot.x.lo, plot.x.hi);
        plot.line(
            &[(a, y0 + lambda * (a - x0)), (b, y0 + lambda * (b - x0))],
            chart::TARGET,
            1.2,
            Some("3 3"),
        );
        plot.legend(
            &Plot::line_swatch(chart::TARGET, 1.2, Some("3 3")),
            &format!("Threshold {} per QALY", pounds(lambda)),
        );
    }
    let line: Vec<(f64, f64)> = frontier
        .iter()
        .filter_map(|(i, _)| points.get(*i).copied())
        .collect();
    plot.line(&line, chart::INNER, 2.0, None);
    let mut marks = String::new();
    for (r, &(ex, c)) in rows.iter().zip(&points) {
        if !(ex.is_finite() && c.is_finite()) {
            continue;
        }
        let (px, py) = (plot.px(ex), plot.py(c));
        let tip = format!("{}: {}, {} QALYs", r.id, pounds(c), plot.x.label(ex));
        match r.status {
            Status::NonDominated => {
                let _ = write!(
                    marks,
                    r#"<circle class="frontier" cx="{px:.2}" cy="{py:.2}" r="5" fill="{}" stroke="white" stroke-width="1"><title>{}</title></circle>"#,
                    chart::INNER,
                    chart::escape(&tip)
                );
            }
            Status::ExtendedlyDominated => {
                let _ = write!(
                    marks,
                    r#"<path class="extendedly-dominated" d="M{px:.2} {:.2} l6 6 l-6 6 l-6 -6 z" fill="{}"><title>{} (extendedly dominated)</title></path>"#,
                    py - 6.0,
                    chart::WORSE,
                    chart::escape(&tip)
                );
            }
            Status::Dominated => {
                let _ = write!(
                    marks,
                    r#"<path class="dominated" d="M{:.2} {:.2} l10 10 m0 -10 l-10 10" stroke="{}" stroke-width="2.2"><title>{} (dominated)</title></path>"#,
                    px - 5.0,
                    py - 5.0,
                    chart::MUTED,
                    chart::escape(&tip)
                );
            }
        }
        let _ = write!(
            marks,
            r#"<text x="{:.2}" y="{:.2}" font-size="11">{}</text>"#,
            px + 8.0,
            py - 7.0,
            chart::escape(r.id)
        );
    }
    for pair in frontier.windows(2) {
        let (Some((_, a)), Some((_, b))) = (pair.first(), pair.get(1)) else {
            continue;
        };
        let Some(icer) = b.icer else { continue };
        let (mx, my) = (
            (a.effect + b.effect) / 2.0,
            (to_f64(a.cost) + to_f64(b.cost)) / 2.0,
        );
        let _ = write!(
            marks,
            r#"<text class="icer" x="{:.2}" y="{:.2}" font-size="11" fill="{}" text-anchor="start">{} per QALY</text>"#,
            plot.px(mx) + 8.0,
            plot.py(my) + 14.0,
            chart::OUTER,
            chart::escape(&pounds(icer))
        );
    }
    plot.raw(&marks);
    plot.legend(&Plot::point_swatch(chart::INNER), "On the frontier");
    plot.legend(
        &format!(
            r#"<path d="M11 -6 l6 6 l-6 6 l-6 -6 z" fill="{}"/>"#,
            chart::WORSE
        ),
        "Extendedly dominated",
    );
    plot.legend(
        &format!(
            r#"<path d="M6 -5 l10 10 m0 -10 l-10 10" stroke="{}" stroke-width="2.2"/>"#,
            chart::MUTED
        ),
        "Dominated",
    );
    plot.finish()
}

/// One-way sensitivity as a tornado (as dampack's `plot` of an `owsa`), 760 × (150 + 34 per
/// parameter): for each parameter, a bar from the best outcome at its lowest value to the best
/// outcome at its highest, widest first, with the optimal strategy named at each end.
///
/// # Examples
///
/// ```
/// use commissioning_priority::chart::tornado_svg;
/// use commissioning_priority::dsa::{owsa, OneWayInput};
///
/// let input: OneWayInput = serde_json::from_str(r#"{
///   "strategies": ["usual", "new"], "wtp": "20000",
///   "parameters": [
///     {"name": "response_rate", "values": [0.25, 0.5, 0.75],
///      "cost": [["1000", "1500"], ["1000", "1500"], ["1000", "1500"]],
///      "effect": [[1.0, 1.0], [1.0, 1.05], [1.0, 1.1]]},
///     {"name": "drug_cost", "values": [1, 2],
///      "cost": [["1000", "1200"], ["1000", "1900"]],
///      "effect": [[1.0, 1.05], [1.0, 1.05]]}
///   ]}"#)?;
/// let svg = tornado_svg(&owsa(&input)?, "Early discharge");
/// assert_eq!(svg.matches("<rect class=\"bar\"").count(), 2);
/// assert!(svg.contains(">response_rate<") && svg.contains(">drug_cost<"));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn tornado_svg(result: &OneWay, title: &str) -> String {
    let bars = &result.tornado;
    let (mut lo, mut hi) = (f64::INFINITY, f64::NEG_INFINITY);
    for b in bars {
        for v in [b.outcome_low, b.outcome_high] {
            if v.is_finite() {
                lo = lo.min(v);
                hi = hi.max(v);
            }
        }
    }
    let pad = (hi - lo).abs().max(1.0) * 0.2;
    let n = bars.len().max(1);
    let height = u32::try_from(n)
        .unwrap_or(20)
        .saturating_mul(34)
        .saturating_add(150);
    let x = Axis::nice(lo - pad, hi + pad, 7).pounds();
    let y = Axis {
        lo: 0.0,
        hi: n as f64,
        ticks: Vec::new(),
        step: 1.0,
        labels: Vec::new(),
    };
    let mut plot = Plot::new(760, height, x, y).with_id("tornado");
    plot.begin(
        title,
        "Best outcome at each parameter's lowest and highest value, widest range first",
        "Net monetary benefit of the optimal strategy",
        "",
    );
    let mut o = String::new();
    for (i, b) in bars.iter().enumerate() {
        let row = n as f64 - i as f64;
        let (top, bottom) = (plot.py(row - 0.4), plot.py(row - 0.9));
        let (x0, x1) = (
            plot.px(b.outcome_low.min(b.outcome_high)),
            plot.px(b.outcome_low.max(b.outcome_high)),
        );
        let _ = write!(
            o,
            r#"<rect class="bar" x="{x0:.2}" y="{top:.2}" width="{:.2}" height="{:.2}" fill="{}"><title>{}: {} at {} to {} at {}</title></rect>"#,
            (x1 - x0).max(1.5),
            bottom - top,
            chart::INNER,
            chart::escape(&b.parameter),
            pounds(b.outcome_low),
            b.low_value,
            pounds(b.outcome_high),
            b.high_value
        );
        let mid = (top + bottom) / 2.0 + 4.0;
        let (left_name, right_name) = if b.outcome_low <= b.outcome_high {
            (&b.optimal_low, &b.optimal_high)
        } else {
            (&b.optimal_high, &b.optimal_low)
        };
        let _ = write!(
            o,
            r#"<text x="{:.2}" y="{mid:.2}" text-anchor="end" font-size="11">{}</text><text x="{:.2}" y="{mid:.2}" font-size="11">{}</text>"#,
            x0 - 4.0,
            chart::escape(left_name),
            x1 + 4.0,
            chart::escape(right_name)
        );
        plot.text(
            plot.px(plot.x.lo) + 6.0,
            top - 3.0,
            &b.parameter,
            chart::INK,
            "start",
        );
    }
    plot.raw(&o);
    plot.legend(
        &format!(
            r#"<rect x="2" y="-6" width="18" height="12" fill="{}"/>"#,
            chart::INNER
        ),
        "Range of the best outcome (optimal strategy named at each end)",
    );
    plot.finish()
}

/// Spend concentration as a Pareto chart, 760 × 480: a bar per service in order of spend
/// (coloured by its A/B/C class), the cumulative share of spend as a line on a 0–100% scale,
/// and the A and B cut-offs (`a_limit`, `b_limit`, as given to [`concentration`]) as dashed
/// lines.
///
/// [`concentration`]: crate::concentration::concentration
///
/// # Examples
///
/// ```
/// use commissioning_priority::chart::pareto_svg;
/// use commissioning_priority::concentration::{concentration, Spend};
/// use commissioning_model::{Money, Share};
///
/// let spend = vec![
///     Spend::new("acute stroke", Money::from_pounds(9_000_000)),
///     Spend::new("memory clinics", Money::from_pounds(6_000_000)),
///     Spend::new("diabetes", Money::from_pounds(1_000_000)),
/// ];
/// let (a, b) = ("0.8".parse::<Share>()?, "0.95".parse::<Share>()?);
/// let c = concentration(&spend, a, a, b)?;
/// let svg = pareto_svg(&c, a, b, "Where the money goes");
/// assert_eq!(svg.matches("<rect class=\"bar\"").count(), 3);
/// assert!(svg.contains(">100%<"));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn pareto_svg(c: &Concentration, a_limit: Share, b_limit: Share, title: &str) -> String {
    let n = c.rows.len().max(1);
    let total = to_f64(c.total);
    let x = Axis {
        lo: 0.0,
        hi: n as f64,
        ticks: Vec::new(),
        step: 1.0,
        labels: Vec::new(),
    };
    let y = Axis::nice(0.0, 1.0, 6).percent();
    let mut plot = Plot::new(760, 480, x, y).with_id("pareto");
    plot.begin(
        title,
        &format!(
            "Share of total spend ({}) by service, largest first, with the cumulative share",
            pounds(total)
        ),
        "",
        "Share of spend",
    );
    let mut o = String::new();
    let mut cumulative = Vec::with_capacity(n);
    for (i, r) in c.rows.iter().enumerate() {
        let share = decimal(r.share);
        let cum = decimal(r.cumulative);
        let colour = match r.class {
            crate::concentration::Class::A => chart::INNER,
            crate::concentration::Class::B => "#41b6e6",
            _ => chart::MUTED,
        };
        let (a, b) = (plot.px(i as f64 + 0.15), plot.px(i as f64 + 0.85));
        let _ = write!(
            o,
            r#"<rect class="bar" x="{a:.2}" y="{:.2}" width="{:.2}" height="{:.2}" fill="{colour}"><title>{}: {} ({:.1}%)</title></rect>"#,
            plot.py(share),
            b - a,
            plot.py(0.0) - plot.py(share),
            chart::escape(&r.id),
            pounds(to_f64(r.amount)),
            share * 100.0
        );
        cumulative.push((i as f64 + 0.5, cum));
        let label: String = if r.id.chars().count() > 22 {
            r.id.chars().take(21).chain(std::iter::once('…')).collect()
        } else {
            r.id.clone()
        };
        plot.overlay(&format!(
            r#"<text transform="translate({:.2} {:.2}) rotate(-30)" text-anchor="end" font-size="11">{}</text>"#,
            plot.px(i as f64 + 0.5),
            plot.py(0.0) + 14.0,
            chart::escape(&label)
        ));
    }
    plot.raw(&o);
    plot.line(&cumulative, chart::INK, 1.6, None);
    let mut dots = String::new();
    for &(xv, yv) in &cumulative {
        let _ = write!(
            dots,
            r#"<circle cx="{:.2}" cy="{:.2}" r="3" fill="{}"/>"#,
            plot.px(xv),
            plot.py(yv),
            chart::INK
        );
    }
    plot.raw(&dots);
    for (cut, name) in [(a_limit, "A"), (b_limit, "B")] {
        let v = decimal(cut.fraction());
        plot.line(&[(0.0, v), (n as f64, v)], chart::TARGET, 1.0, Some("4 3"));
        plot.text(
            plot.right_edge() - 4.0,
            plot.py(v) - 4.0,
            &format!("{name} cut-off {:.0}%", v * 100.0),
            chart::TARGET,
            "end",
        );
    }
    plot.legend(
        &format!(
            r#"<rect x="2" y="-6" width="18" height="12" fill="{}"/>"#,
            chart::INNER
        ),
        "Class A",
    );
    plot.legend(
        &format!(
            r#"<rect x="2" y="-6" width="18" height="12" fill="{}"/>"#,
            "#41b6e6"
        ),
        "Class B",
    );
    plot.legend(
        &format!(
            r#"<rect x="2" y="-6" width="18" height="12" fill="{}"/>"#,
            chart::MUTED
        ),
        "Class C",
    );
    plot.legend(
        &Plot::line_swatch(chart::INK, 1.6, None),
        "Cumulative share",
    );
    plot.finish()
}

/// The expected value of perfect information against the willingness to pay (as dampack's
/// `plot` of `calc_evpi`), 720 × 440: per person, or for the effective population when the
/// analysis has one (then per person in the subtitle's words).
///
/// # Examples
///
/// ```
/// use commissioning_priority::chart::evpi_svg;
/// use commissioning_priority::psa::{evpi, Psa};
/// use commissioning_model::Money;
///
/// let m = |v: &[i64]| v.iter().map(|&c| Money::from_pounds(c)).collect::<Vec<_>>();
/// let psa = Psa::new(
///     vec!["A".into(), "B".into()],
///     vec![m(&[1_000, 3_500]), m(&[1_000, 2_000]), m(&[1_200, 4_200]), m(&[800, 1_800])],
///     vec![vec![1.0, 1.125], vec![1.0, 1.125], vec![0.875, 1.0], vec![1.0, 0.9375]],
/// )?;
/// let result = evpi(&psa, &m(&[0, 10_000, 20_000, 30_000]), None)?;
/// let svg = evpi_svg(&result, "Early discharge");
/// assert_eq!(svg.matches("<circle class=\"evpi\"").count(), 4);
/// assert!(svg.contains("per person"));
/// # Ok::<(), commissioning_priority::PriorityError>(())
/// ```
pub fn evpi_svg(result: &Evpi, title: &str) -> String {
    let population = result.effective_population.is_some()
        && result.points.iter().all(|p| p.population_evpi.is_some());
    let points: Vec<(f64, f64)> = result
        .points
        .iter()
        .map(|p| {
            let v = if population {
                p.population_evpi.unwrap_or(p.evpi)
            } else {
                p.evpi
            };
            (to_f64(p.wtp), v)
        })
        .collect();
    let (mut xlo, mut xhi, mut yhi) = (f64::INFINITY, f64::NEG_INFINITY, 0.0_f64);
    for &(x, y) in &points {
        if x.is_finite() && y.is_finite() {
            xlo = xlo.min(x);
            xhi = xhi.max(x);
            yhi = yhi.max(y);
        }
    }
    let x = Axis::nice(xlo, xhi, 7).pounds();
    let y = Axis::nice(0.0, yhi.max(1.0) * 1.05, 6).pounds();
    let mut plot = Plot::new(720, 440, x, y).with_id("evpi");
    let subtitle = match result.effective_population {
        Some(n) if population => format!(
            "For an effective population of {} (discounted over the horizon); divide by it for the value per person",
            plot_number(n)
        ),
        _ => "The most a decision maker should pay per person to remove all uncertainty".to_owned(),
    };
    plot.begin(
        title,
        &subtitle,
        "Willingness to pay per QALY",
        "Expected value of perfect information",
    );
    plot.line(&points, chart::INNER, 2.0, None);
    let mut dots = String::new();
    for &(xv, yv) in &points {
        if xv.is_finite() && yv.is_finite() {
            let _ = write!(
                dots,
                r#"<circle class="evpi" cx="{:.2}" cy="{:.2}" r="3.5" fill="{}"><title>{} per QALY: {}</title></circle>"#,
                plot.px(xv),
                plot.py(yv),
                chart::INNER,
                pounds(xv),
                pounds(yv)
            );
        }
    }
    plot.raw(&dots);
    plot.legend(
        &Plot::line_swatch(chart::INNER, 2.0, None),
        if population {
            "EVPI for the population"
        } else {
            "EVPI per person"
        },
    );
    plot.finish()
}

/// A count for a subtitle: `4,630.2`.
fn plot_number(n: f64) -> String {
    let axis = Axis::nice(0.0, n.abs().max(1.0), 2);
    let one = Axis { step: 0.1, ..axis };
    one.label((n * 10.0).round() / 10.0)
}
