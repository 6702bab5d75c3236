//! Opportunity, as the Commissioning for Value packs show it: what an area would reach if it
//! matched the mean of the best `n` of its peers (the "Best 5 of the similar 10").
//!
//! The steps of [`opportunity`]:
//!
//! 1. **Best n**: the `best_n` peers with the best values (lowest when lower is better),
//!    ties broken by the peers' order in the list.
//! 2. **Benchmark**: their mean, unweighted by default (as the packs) or weighted by similarity
//!    `1 / (1 + d)` from each peer's distance.
//! 3. **Gap**: `value − benchmark` when lower is better, `benchmark − value` when higher is
//!    better; a positive gap means the area does worse.
//! 4. **Opportunity**: `max(0, gap) × denominator / per`, in the indicator's own units (events,
//!    people or pounds), unrounded.
//! 5. **Interval**: because a point estimate alone misleads (Dropkin 2018), when the area's
//!    event count is given its value gets an interval (exact Poisson or Byar's for a rate,
//!    Wilson for a proportion), and the opportunity is reported at both ends of it, with
//!    whether the whole interval lies on the worse side of the benchmark.
//!
//! # Examples
//!
//! ```
//! use commissioning_compare::opportunity::{opportunity, OpportunityInput, Peer, Polarity};
//!
//! let peers = [("P1", 9.0), ("P2", 10.0), ("P3", 12.0), ("P4", 15.0)]
//!     .map(|(id, v)| Peer::new(id, v)).to_vec();
//! let mut input = OpportunityInput::new(14.0, 50_000.0, Polarity::LowerIsBetter, peers);
//! input.per = 1000.0; // admissions per 1,000 people
//! input.best_n = 2;
//! let o = opportunity(&input)?;
//! assert_eq!(o.best_ids, ["P1", "P2"]);
//! assert_eq!(o.best_mean, 9.5);
//! assert_eq!(o.opportunity, 225.0); // 4.5 per 1,000 × 50,000
//! # Ok::<(), commissioning_compare::CompareError>(())
//! ```

use serde::{Deserialize, Serialize};

use crate::error::{CompareError, Result, check_count, check_whole};
use crate::intervals::{poisson_limits, wilson};
use crate::level::Confidence;

/// Which direction is better.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum Polarity {
    /// Lower values are better (admissions, spend, mortality).
    LowerIsBetter,
    /// Higher values are better (coverage, screening uptake).
    HigherIsBetter,
}

/// How the Best n are averaged.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum Weighting {
    /// An unweighted mean, as the Commissioning for Value packs (the default).
    #[default]
    Equal,
    /// Weighted by similarity `1 / (1 + d)`, with `d` each peer's `distance` (as from
    /// [`crate::peers::similar`]): closer peers count for more.
    Similarity,
}

/// What the area's value is, for its interval.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum ValueKind {
    /// A rate of events: exact Poisson limits below 10 events, Byar's from 10 (the default).
    #[default]
    Rate,
    /// A proportion of the denominator: Wilson limits.
    Proportion,
}

/// One peer and its value of the indicator.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
#[non_exhaustive]
pub struct Peer {
    /// The peer's id.
    pub id: String,
    /// Its value of the indicator (at least 0).
    pub value: f64,
    /// Its distance from the area, for similarity weighting.
    #[serde(default)]
    pub distance: Option<f64>,
}

impl Peer {
    /// A peer.
    pub fn new(id: impl Into<String>, value: f64) -> Self {
        Self {
            id: id.into(),
            value,
            distance: None,
        }
    }
}

fn one() -> f64 {
    1.0
}

fn five() -> usize {
    5
}

/// An area, its indicator and its peers.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
#[non_exhaustive]
pub struct OpportunityInput {
    /// The area's value: a rate per `per` of its denominator (at least 0).
    pub value: f64,
    /// The area's denominator: its population, registered list or spells (above 0).
    pub denominator: f64,
    /// The value is per this many of the denominator (default 1).
    #[serde(default = "one")]
    pub per: f64,
    /// Which direction is better.
    pub polarity: Polarity,
    /// The peers, normally the similar 10, most similar first.
    pub peers: Vec<Peer>,
    /// How many of the best peers set the benchmark (default 5).
    #[serde(default = "five")]
    pub best_n: usize,
    /// How the Best n are averaged (default equal).
    #[serde(default)]
    pub weighting: Weighting,
    /// The area's event count behind its value, for an interval (optional).
    #[serde(default)]
    pub events: Option<f64>,
    /// Whether the value is a rate (the default) or a proportion, for its interval.
    #[serde(default)]
    pub value_kind: ValueKind,
    /// The interval's confidence level (default 95%).
    #[serde(default = "default_level")]
    pub confidence: Confidence,
}

fn default_level() -> Confidence {
    Confidence::P95
}

impl OpportunityInput {
    /// An area against its peers, with the Best 5, unweighted, and no interval.
    pub fn new(value: f64, denominator: f64, polarity: Polarity, peers: Vec<Peer>) -> Self {
        Self {
            value,
            denominator,
            per: 1.0,
            polarity,
            peers,
            best_n: 5,
            weighting: Weighting::Equal,
            events: None,
            value_kind: ValueKind::Rate,
            confidence: Confidence::P95,
        }
    }
}

/// The opportunity at either end of the area's interval.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct OpportunityInterval {
    /// The level.
    pub confidence: Confidence,
    /// The lower limit of the area's value.
    pub value_lower: f64,
    /// The upper limit of the area's value.
    pub value_upper: f64,
    /// The smallest opportunity consistent with the interval (at least 0).
    pub opportunity_lower: f64,
    /// The largest opportunity consistent with the interval.
    pub opportunity_upper: f64,
    /// True when the whole interval lies on the worse side of the benchmark: the area differs
    /// from its Best n beyond chance (in its own sampling variation).
    pub significant: bool,
}

/// The area against its Best n.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[non_exhaustive]
pub struct Opportunity {
    /// The Best n, best first.
    pub best_ids: Vec<String>,
    /// Their mean (the benchmark).
    pub best_mean: f64,
    /// How far the area is worse than the benchmark (negative when better).
    pub gap: f64,
    /// `max(0, gap)`.
    pub opportunity_rate: f64,
    /// `opportunity_rate × denominator / per`, in the indicator's own units.
    pub opportunity: f64,
    /// What the area would have at the benchmark: `best_mean × denominator / per`.
    pub expected_at_best: f64,
    /// What the area has: `value × denominator / per`.
    pub actual: f64,
    /// The opportunity at the ends of the area's interval, when its events are given.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub interval: Option<OpportunityInterval>,
}

/// The area's opportunity against the Best n of its peers: see the module documentation.
///
/// # Errors
///
/// [`CompareError::InvalidInput`] for a negative or non-finite value, a denominator or `per`
/// of 0 or less, a `best_n` of 0, a missing or negative distance with similarity weighting, or
/// events that are negative (or fractional, for a rate) or exceed the denominator (for a
/// proportion); [`CompareError::OutOfRange`] for fewer peers than `best_n`.
pub fn opportunity(input: &OpportunityInput) -> Result<Opportunity> {
    check_count(|| "value".into(), input.value, false)?;
    check_count(|| "denominator".into(), input.denominator, true)?;
    check_count(|| "per".into(), input.per, true)?;
    if input.best_n < 1 {
        return Err(CompareError::input("best_n", "must be at least 1"));
    }
    for (i, p) in input.peers.iter().enumerate() {
        check_count(|| format!("peers[{i}].value"), p.value, false)?;
        if let Some(d) = p.distance {
            check_count(|| format!("peers[{i}].distance"), d, false)?;
        }
    }
    if input.peers.len() < input.best_n {
        return Err(CompareError::range(
            "peers",
            format!(
                "the Best {} needs at least {} peers, got {}",
                input.best_n,
                input.best_n,
                input.peers.len()
            ),
        ));
    }
    // (1) Best n: a stable sort keeps the list order among ties.
    let mut order: Vec<usize> = (0..input.peers.len()).collect();
    let value = |i: usize| input.peers.get(i).map_or(f64::NAN, |p| p.value);
    match input.polarity {
        Polarity::LowerIsBetter => order.sort_by(|&a, &b| value(a).total_cmp(&value(b))),
        Polarity::HigherIsBetter => order.sort_by(|&a, &b| value(b).total_cmp(&value(a))),
    }
    order.truncate(input.best_n);
    let best: Vec<&Peer> = order.iter().filter_map(|&i| input.peers.get(i)).collect();
    // (2) Benchmark.
    let best_mean = match input.weighting {
        Weighting::Equal => best.iter().map(|p| p.value).sum::<f64>() / best.len() as f64,
        Weighting::Similarity => {
            let mut sw = 0.0;
            let mut swv = 0.0;
            for p in &best {
                let i = input
                    .peers
                    .iter()
                    .position(|q| std::ptr::eq(q, *p))
                    .unwrap_or(0);
                let d = p.distance.ok_or_else(|| {
                    CompareError::input(
                        format!("peers[{i}].distance"),
                        "missing; similarity weighting needs every Best n peer's distance",
                    )
                })?;
                let w = 1.0 / (1.0 + d);
                sw += w;
                swv += w * p.value;
            }
            swv / sw
        }
    };
    // (3), (4) Gap and opportunity.
    let gap_of = |v: f64| match input.polarity {
        Polarity::LowerIsBetter => v - best_mean,
        Polarity::HigherIsBetter => best_mean - v,
    };
    let scale = input.denominator / input.per;
    let gap = gap_of(input.value);
    let opportunity_rate = gap.max(0.0);
    // (5) Interval.
    let interval = match input.events {
        None => None,
        Some(x) => {
            check_count(|| "events".into(), x, false)?;
            let (lo, hi) = match input.value_kind {
                ValueKind::Rate => {
                    check_whole(|| "events".into(), x)?;
                    let (l, h, _) = poisson_limits(x, input.confidence);
                    (l / scale, h / scale)
                }
                ValueKind::Proportion => {
                    if x > input.denominator {
                        return Err(CompareError::input(
                            "events",
                            format!(
                                "a proportion's events must not exceed the denominator ({}), got {x}",
                                input.denominator
                            ),
                        ));
                    }
                    let (l, h) = wilson(x, input.denominator, input.confidence);
                    (l * input.per, h * input.per)
                }
            };
            let (g_lo, g_hi) = {
                let (a, b) = (gap_of(lo), gap_of(hi));
                (a.min(b), a.max(b))
            };
            Some(OpportunityInterval {
                confidence: input.confidence,
                value_lower: lo,
                value_upper: hi,
                opportunity_lower: g_lo.max(0.0) * scale,
                opportunity_upper: g_hi.max(0.0) * scale,
                significant: g_lo > 0.0,
            })
        }
    };
    Ok(Opportunity {
        best_ids: best.iter().map(|p| p.id.clone()).collect(),
        best_mean,
        gap,
        opportunity_rate,
        opportunity: opportunity_rate * scale,
        expected_at_best: best_mean * scale,
        actual: input.value * scale,
        interval,
    })
}

commissioning_model::words_from_str!(
    Polarity => "polarity",
);
commissioning_model::words_display!(Polarity);
