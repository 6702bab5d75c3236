//! Funnel-plot significance as PHEindicatormethods assigns it (`assign_funnel_significance`):
//! a second, named method beside [`crate::funnel`], because the two flag different units on the
//! same data.
//!
//! - **Proportions**: the baseline `p = Σx / Σn`; limits `p ∓ z √(p(1 − p)/n)` at each unit's
//!   own denominator (full-precision `z`); a unit is significant exactly when the Wilson
//!   interval of its own proportion excludes the baseline.
//! - **Ratios**: each unit's exact (below 10 observed) or Byar's limits for `O/E`, against 1.
//!
//! Labels, checked in this order with strict comparisons: `Low (0.001)`, `Low (0.025)`,
//! `High (0.001)`, `High (0.025)`, else `Not significant`.
//!
//! # Examples
//!
//! ```
//! use commissioning_compare::significance::{significance, Significance, SignificanceInput, SignificanceUnit, Statistic};
//!
//! let units = vec![
//!     SignificanceUnit::ratio("o10", 10.0, 25.0),
//!     SignificanceUnit::ratio("o50", 50.0, 48.0),
//! ];
//! let r = significance(&SignificanceInput::new(Statistic::Ratio, units))?;
//! assert_eq!(r.units[0].significance, Significance::Low001);
//! assert_eq!(r.units[0].significance.to_string(), "Low (0.001)");
//! assert_eq!(r.units[1].significance, Significance::NotSignificant);
//! # Ok::<(), commissioning_compare::CompareError>(())
//! ```

use serde::{Deserialize, Serialize};
use std::fmt;

use crate::dist::chi_square_quantile;
use crate::error::{CompareError, Result, check_count, check_whole, unique_ids};
use crate::intervals::poisson_limits;
use crate::level::Confidence;

/// Which statistic the units carry.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum Statistic {
    /// `numerator / denominator`.
    Proportion,
    /// `observed / expected`.
    Ratio,
}

/// One unit: a numerator and denominator for proportions, observed and expected for ratios.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
#[non_exhaustive]
pub struct SignificanceUnit {
    /// The unit's name or code (unique).
    pub id: String,
    /// Events, for proportions (at least 0, at most the denominator).
    #[serde(default)]
    pub numerator: Option<f64>,
    /// The population, for proportions (above 0).
    #[serde(default)]
    pub denominator: Option<f64>,
    /// Observed events, for ratios (whole, at least 0).
    #[serde(default)]
    pub observed: Option<f64>,
    /// Expected events, for ratios (above 0).
    #[serde(default)]
    pub expected: Option<f64>,
}

impl SignificanceUnit {
    /// A unit with a proportion.
    pub fn proportion(id: impl Into<String>, numerator: f64, denominator: f64) -> Self {
        Self {
            id: id.into(),
            numerator: Some(numerator),
            denominator: Some(denominator),
            observed: None,
            expected: None,
        }
    }

    /// A unit with a standardised ratio.
    pub fn ratio(id: impl Into<String>, observed: f64, expected: f64) -> Self {
        Self {
            id: id.into(),
            numerator: None,
            denominator: None,
            observed: Some(observed),
            expected: Some(expected),
        }
    }
}

fn one() -> f64 {
    1.0
}

/// The units and options.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
#[non_exhaustive]
pub struct SignificanceInput {
    /// Proportions or ratios.
    pub statistic: Statistic,
    /// The units.
    pub units: Vec<SignificanceUnit>,
    /// For proportions, the scale of values and limits (default 1; 100 for percentages).
    #[serde(default = "one")]
    pub multiplier: f64,
    /// Points at which to report the funnel lines as well: denominators for proportions,
    /// observed counts for ratios.
    #[serde(default)]
    pub lines_at: Option<Vec<f64>>,
}

impl SignificanceInput {
    /// Units of one statistic, with no multiplier and no lines.
    pub fn new(statistic: Statistic, units: Vec<SignificanceUnit>) -> Self {
        Self {
            statistic,
            units,
            multiplier: 1.0,
            lines_at: None,
        }
    }
}

/// A unit's significance against the baseline.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum Significance {
    /// Below the 99.8% limit.
    #[serde(rename = "Low (0.001)")]
    Low001,
    /// Below the 95% limit.
    #[serde(rename = "Low (0.025)")]
    Low025,
    /// Above the 99.8% limit.
    #[serde(rename = "High (0.001)")]
    High001,
    /// Above the 95% limit.
    #[serde(rename = "High (0.025)")]
    High025,
    /// Within the 95% limits.
    #[serde(rename = "Not significant")]
    NotSignificant,
}

impl fmt::Display for Significance {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::Low001 => "Low (0.001)",
            Self::Low025 => "Low (0.025)",
            Self::High001 => "High (0.001)",
            Self::High025 => "High (0.025)",
            Self::NotSignificant => "Not significant",
        })
    }
}

/// One unit's value, limits and label.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[non_exhaustive]
pub struct SignificanceRow {
    /// The unit's id.
    pub id: String,
    /// The proportion (times the multiplier) or the ratio.
    pub value: f64,
    /// Lower 95% limit.
    pub lower_95: f64,
    /// Upper 95% limit.
    pub upper_95: f64,
    /// Lower 99.8% limit.
    pub lower_998: f64,
    /// Upper 99.8% limit.
    pub upper_998: f64,
    /// The label.
    pub significance: Significance,
}

/// The funnel lines at one point.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Line {
    /// The denominator (proportions) or observed count (ratios).
    pub at: f64,
    /// Lower 95% line.
    pub lower_95: f64,
    /// Upper 95% line; `None` (JSON `null`) for a ratio at 0 observed, where it is unbounded.
    pub upper_95: Option<f64>,
    /// Lower 99.8% line.
    pub lower_998: f64,
    /// Upper 99.8% line; `None` for a ratio at 0 observed.
    pub upper_998: Option<f64>,
}

/// The labelled units.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[non_exhaustive]
pub struct SignificanceResult {
    /// For proportions, the baseline `Σx / Σn` times the multiplier.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub average: Option<f64>,
    /// The units, in input order.
    pub units: Vec<SignificanceRow>,
    /// The funnel lines at the requested points.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub lines: Option<Vec<Line>>,
}

fn need(v: Option<f64>, field: impl FnOnce() -> String, statistic: &str) -> Result<f64> {
    v.ok_or_else(|| CompareError::input(field(), format!("missing; {statistic} units need it")))
}

/// Labels each unit as PHEindicatormethods does.
///
/// # Errors
///
/// [`CompareError::InvalidInput`] for no units, a duplicate id, a missing, negative or
/// non-finite count, a fractional observed count, a denominator or expected count of 0 or
/// less, a numerator above its denominator, a multiplier of 0 or less, or a `lines_at` point
/// that is not above 0 (proportions) or a whole number of at least 0 (ratios).
pub fn significance(input: &SignificanceInput) -> Result<SignificanceResult> {
    if input.units.is_empty() {
        return Err(CompareError::input(
            "units",
            "at least one unit is required",
        ));
    }
    let m = input.multiplier;
    if !m.is_finite() || m <= 0.0 {
        return Err(CompareError::input(
            "multiplier",
            format!("must be a finite number above 0, got {m}"),
        ));
    }
    unique_ids("units", &input.units.iter().map(|u| u.id.as_str()))?;
    let (z95, z998) = (Confidence::P95.z(), Confidence::P998.z());
    match input.statistic {
        Statistic::Proportion => {
            let mut pairs = Vec::with_capacity(input.units.len());
            for (i, u) in input.units.iter().enumerate() {
                let x = need(
                    u.numerator,
                    || format!("units[{i}].numerator"),
                    "proportion",
                )?;
                let n = need(
                    u.denominator,
                    || format!("units[{i}].denominator"),
                    "proportion",
                )?;
                check_count(|| format!("units[{i}].numerator"), x, false)?;
                check_count(|| format!("units[{i}].denominator"), n, true)?;
                if x > n {
                    return Err(CompareError::input(
                        format!("units[{i}].numerator"),
                        format!("must not exceed the denominator ({n}), got {x}"),
                    ));
                }
                pairs.push((x, n));
            }
            let p = pairs.iter().map(|(x, _)| x).sum::<f64>()
                / pairs.iter().map(|(_, n)| n).sum::<f64>();
            let at = |n: f64| {
                let sd = (p * (1.0 - p) / n).sqrt();
                (p - z95 * sd, p + z95 * sd, p - z998 * sd, p + z998 * sd)
            };
            let clamp = |v: f64| v.clamp(0.0, 1.0) * m;
            let units = input
                .units
                .iter()
                .zip(&pairs)
                .map(|(u, &(x, n))| {
                    let v = x / n;
                    let (l95, u95, l998, u998) = at(n);
                    let significance = if v < l998 {
                        Significance::Low001
                    } else if v < l95 {
                        Significance::Low025
                    } else if v > u998 {
                        Significance::High001
                    } else if v > u95 {
                        Significance::High025
                    } else {
                        Significance::NotSignificant
                    };
                    SignificanceRow {
                        id: u.id.clone(),
                        value: v * m,
                        lower_95: clamp(l95),
                        upper_95: clamp(u95),
                        lower_998: clamp(l998),
                        upper_998: clamp(u998),
                        significance,
                    }
                })
                .collect();
            let lines = match &input.lines_at {
                None => None,
                Some(points) => {
                    let mut lines = Vec::with_capacity(points.len());
                    for (i, &n) in points.iter().enumerate() {
                        check_count(|| format!("lines_at[{i}]"), n, true)?;
                        let (l95, u95, l998, u998) = at(n);
                        lines.push(Line {
                            at: n,
                            lower_95: clamp(l95),
                            upper_95: Some(clamp(u95)),
                            lower_998: clamp(l998),
                            upper_998: Some(clamp(u998)),
                        });
                    }
                    Some(lines)
                }
            };
            Ok(SignificanceResult {
                average: Some(p * m),
                units,
                lines,
            })
        }
        Statistic::Ratio => {
            let mut units = Vec::with_capacity(input.units.len());
            for (i, u) in input.units.iter().enumerate() {
                let o = need(u.observed, || format!("units[{i}].observed"), "ratio")?;
                let e = need(u.expected, || format!("units[{i}].expected"), "ratio")?;
                check_count(|| format!("units[{i}].observed"), o, false)?;
                check_whole(|| format!("units[{i}].observed"), o)?;
                check_count(|| format!("units[{i}].expected"), e, true)?;
                let (l95, u95, _) = poisson_limits(o, Confidence::P95);
                let (l998, u998, _) = poisson_limits(o, Confidence::P998);
                let (l95, u95, l998, u998) = (l95 / e, u95 / e, l998 / e, u998 / e);
                let significance = if l998 > 1.0 {
                    Significance::High001
                } else if l95 > 1.0 {
                    Significance::High025
                } else if u998 < 1.0 {
                    Significance::Low001
                } else if u95 < 1.0 {
                    Significance::Low025
                } else {
                    Significance::NotSignificant
                };
                units.push(SignificanceRow {
                    id: u.id.clone(),
                    value: o / e,
                    lower_95: l95,
                    upper_95: u95,
                    lower_998: l998,
                    upper_998: u998,
                    significance,
                });
            }
            let lines = match &input.lines_at {
                None => None,
                Some(points) => {
                    let mut lines = Vec::with_capacity(points.len());
                    for (i, &o) in points.iter().enumerate() {
                        check_count(|| format!("lines_at[{i}]"), o, false)?;
                        check_whole(|| format!("lines_at[{i}]"), o)?;
                        let lower =
                            |a: f64| o / (chi_square_quantile(a, 2.0 * o + 2.0, true) / 2.0);
                        let upper = |a: f64| {
                            (o > 0.0).then(|| o / (chi_square_quantile(a, 2.0 * o, false) / 2.0))
                        };
                        lines.push(Line {
                            at: o,
                            lower_95: lower(0.025),
                            upper_95: upper(0.025),
                            lower_998: lower(0.001),
                            upper_998: upper(0.001),
                        });
                    }
                    Some(lines)
                }
            };
            Ok(SignificanceResult {
                average: None,
                units,
                lines,
            })
        }
    }
}
