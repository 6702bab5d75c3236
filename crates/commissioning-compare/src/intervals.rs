//! Confidence intervals for a proportion (Wilson) and for a count (exact Poisson, Byar), as in
//! PHEindicatormethods.
//!
//! # Examples
//!
//! ```
//! use commissioning_compare::Confidence;
//! use commissioning_compare::intervals::{byars, wilson};
//!
//! // PHEindicatormethods' own test: 65 of 100 at 95%.
//! let (lo, hi) = wilson(65.0, 100.0, Confidence::P95);
//! assert!((lo - 0.552_544_432_968_879_7).abs() < 1e-12);
//! assert!((hi - 0.736_357_517_569_024_7).abs() < 1e-12);
//! // Byar's limits for a count of 65.
//! let (lo, hi) = byars(65.0, Confidence::P95);
//! assert!((lo - 50.163_187_710_459_454).abs() < 1e-9);
//! assert!((hi - 82.849_138_545_939_84).abs() < 1e-9);
//! ```

use serde::Serialize;

use crate::dist::chi_square_quantile;
use crate::level::Confidence;

/// One confidence interval, echoing the level it was asked for.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Interval {
    /// The level, as given.
    pub confidence: Confidence,
    /// The lower limit.
    pub lower: f64,
    /// The upper limit.
    pub upper: f64,
}

/// Which interval a count was given.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum CountMethod {
    /// Exact Poisson limits through the chi-square distribution (fewer than 10 events).
    Exact,
    /// Byar's approximation (10 events or more).
    Byars,
}

impl std::fmt::Display for CountMethod {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Self::Exact => "exact",
            Self::Byars => "byars",
        })
    }
}

/// The count at and above which PHEindicatormethods uses Byar's approximation.
pub const BYARS_FROM: f64 = 10.0;

/// The Wilson score interval (no continuity correction) for `x` events out of `n`, as
/// fractions: `(2x + z² ∓ z √(z² + 4x(1 − x/n))) / (2(n + z²))`.
///
/// The caller checks `0 <= x <= n`, `n > 0`.
pub fn wilson(x: f64, n: f64, level: Confidence) -> (f64, f64) {
    let z = level.z();
    let z2 = z * z;
    let root = z * (z2 + 4.0 * x * (1.0 - x / n)).max(0.0).sqrt();
    let denom = 2.0 * (n + z2);
    ((2.0 * x + z2 - root) / denom, (2.0 * x + z2 + root) / denom)
}

/// Byar's approximate limits for a Poisson count `o`:
/// `o (1 − 1/(9o) − z/(3√o))³` and `(o + 1)(1 − 1/(9(o + 1)) + z/(3√(o + 1)))³`.
/// The lower limit is 0 at `o = 0`.
pub fn byars(o: f64, level: Confidence) -> (f64, f64) {
    let z = level.z();
    let lower = if o > 0.0 {
        o * (1.0 - 1.0 / (9.0 * o) - z / (3.0 * o.sqrt())).powi(3)
    } else {
        0.0
    };
    let o1 = o + 1.0;
    let upper = o1 * (1.0 - 1.0 / (9.0 * o1) + z / (3.0 * o1.sqrt())).powi(3);
    (lower, upper)
}

/// Exact Poisson limits for a count `o`: `χ²_{α/2}(2o)/2` (0 at `o = 0`) and
/// `χ²_{1−α/2}(2o + 2)/2`.
pub fn exact_poisson(o: f64, level: Confidence) -> (f64, f64) {
    let tail = level.tail();
    let lower = if o > 0.0 {
        chi_square_quantile(tail, 2.0 * o, false) / 2.0
    } else {
        0.0
    };
    let upper = chi_square_quantile(tail, 2.0 * o + 2.0, true) / 2.0;
    (lower, upper)
}

/// The limits PHEindicatormethods gives a count: exact below [`BYARS_FROM`] events, Byar's
/// from it.
pub fn poisson_limits(o: f64, level: Confidence) -> (f64, f64, CountMethod) {
    if o < BYARS_FROM {
        let (l, u) = exact_poisson(o, level);
        (l, u, CountMethod::Exact)
    } else {
        let (l, u) = byars(o, level);
        (l, u, CountMethod::Byars)
    }
}
