//! Waiting lists as queues: the arithmetic of NHSRwaitinglist (NHS-R community; Fong et al.
//! 2022), each formula computed exactly as the package's code computes it, in the same order.
//!
//! Every function takes [`Numbers`]: one number or a list, element by element, a single number
//! serving every element. The package checks only that its arguments are numeric; here a
//! value outside a formula's domain is refused by name (a negative demand, a zero target), and
//! a load with no capacity is undefined rather than infinite.
//!
//! ```
//! use commissioning_demand::{Numbers, waiting};
//!
//! // The package's ENT walkthrough: 30 referrals a week, 27 removals, a 52-week target.
//! let load = waiting::load(&30.0.into(), &27.0.into())?;
//! assert_eq!(load, Numbers::One(30.0 / 27.0)); // above 1: the list grows
//! let target = waiting::target_queue_size(&30.0.into(), &52.0.into(), &4.0.into())?;
//! assert_eq!(target, Numbers::One(390.0)); // Little's law at a mean wait of 13 weeks
//! let relief = waiting::relief_capacity(&30.0.into(), &1200.0.into(), &390.0.into(), &26.0.into(), 0.0, 0.0)?;
//! assert_eq!(relief, Numbers::One(30.0 + 810.0 / 26.0)); // clear the excess in 26 weeks
//! # Ok::<(), commissioning_demand::DemandError>(())
//! ```

use crate::error::{DemandError, Result};
use crate::numbers::{Numbers, broadcast};

/// The default factor between a waiting-time target and the mean wait that meets it: a mean
/// wait of a quarter of the target misses it for about 1.8% of patients.
pub const DEFAULT_FACTOR: f64 = 4.0;

/// The default number of time steps in which relief capacity clears the excess list.
pub const DEFAULT_TIME_TO_TARGET: f64 = 26.0;

/// The referral-to-treatment standard, in weeks.
pub const RTT_TARGET_WEEKS: f64 = 18.0;

fn at_least_zero(name: &str, x: f64) -> Result<f64> {
    if x < 0.0 {
        return Err(DemandError::input(
            name,
            format!("must not be negative, got {x}"),
        ));
    }
    Ok(x)
}

fn above_zero(name: &str, x: f64) -> Result<f64> {
    if x <= 0.0 {
        return Err(DemandError::input(
            name,
            format!("must be above 0, got {x}"),
        ));
    }
    Ok(x)
}

/// The queue's load: `demand / capacity` (`calc_queue_load`). At 1 or more the list grows
/// without limit.
///
/// # Errors
///
/// [`DemandError::InvalidInput`] for a negative or non-finite value or lists of different
/// lengths; [`DemandError::Undefined`] for a capacity of 0.
pub fn load(demand: &Numbers, capacity: &Numbers) -> Result<Numbers> {
    broadcast([("demand", demand), ("capacity", capacity)], |[d, c]| {
        at_least_zero("demand", d)?;
        at_least_zero("capacity", c)?;
        if c == 0.0 {
            return Err(DemandError::undefined(
                "capacity",
                "is 0, so the load is undefined (infinite)",
            ));
        }
        Ok(d / c)
    })
}

/// The target mean wait: `target_wait / factor` (`calc_target_mean_wait`).
///
/// # Errors
///
/// [`DemandError::InvalidInput`] for a target or factor of 0 or less.
pub fn target_mean_wait(target_wait: &Numbers, factor: &Numbers) -> Result<Numbers> {
    broadcast(
        [("target_wait", target_wait), ("factor", factor)],
        |[t, f]| Ok(above_zero("target_wait", t)? / above_zero("factor", f)?),
    )
}

/// The target queue size by Little's law: `demand × (target_wait / factor)`
/// (`calc_target_queue_size`), multiplied in that order.
///
/// # Errors
///
/// [`DemandError::InvalidInput`] for a negative demand, or a target or factor of 0 or less.
pub fn target_queue_size(
    demand: &Numbers,
    target_wait: &Numbers,
    factor: &Numbers,
) -> Result<Numbers> {
    broadcast(
        [
            ("demand", demand),
            ("target_wait", target_wait),
            ("factor", factor),
        ],
        |[d, t, f]| {
            let d = at_least_zero("demand", d)?;
            Ok(d * (above_zero("target_wait", t)? / above_zero("factor", f)?))
        },
    )
}

/// The capacity that clears the excess over the target queue in `time_to_target` steps:
/// `demand + (queue_size − target_queue_size) / time_to_target` (`calc_relief_capacity`).
///
/// With `num_referrals` above 0, demand is first raised for its uncertainty as the package's
/// code does: with `k = 2 × demand × cv_demand / √num_referrals`, demand becomes
/// `demand / (1 − k)` when `k < 1`, and is left as it is otherwise (the package's rule,
/// discontinuous at `k = 1`; its help says "to be completed"). The result is not clamped: a
/// queue below its target gives a relief capacity below demand.
///
/// # Errors
///
/// [`DemandError::InvalidInput`] for a negative value, a `time_to_target` of 0 or less, or —
/// with `num_referrals` above 0 — a list of more than one element (the package's scalar
/// condition).
pub fn relief_capacity(
    demand: &Numbers,
    queue_size: &Numbers,
    target_queue_size: &Numbers,
    time_to_target: &Numbers,
    num_referrals: f64,
    cv_demand: f64,
) -> Result<Numbers> {
    if !num_referrals.is_finite() || !cv_demand.is_finite() {
        return Err(DemandError::input(
            "num_referrals",
            "num_referrals and cv_demand must be finite numbers",
        ));
    }
    at_least_zero("num_referrals", num_referrals)?;
    at_least_zero("cv_demand", cv_demand)?;
    if num_referrals > 0.0 {
        for (name, value) in [
            ("demand", demand),
            ("queue_size", queue_size),
            ("target_queue_size", target_queue_size),
            ("time_to_target", time_to_target),
        ] {
            if value.len().is_some_and(|n| n > 1) {
                return Err(DemandError::input(
                    name,
                    "must be a single number when num_referrals is above 0",
                ));
            }
        }
    }
    broadcast(
        [
            ("demand", demand),
            ("queue_size", queue_size),
            ("target_queue_size", target_queue_size),
            ("time_to_target", time_to_target),
        ],
        |[d, q, t, w]| {
            let mut d = at_least_zero("demand", d)?;
            let q = at_least_zero("queue_size", q)?;
            let t = at_least_zero("target_queue_size", t)?;
            let w = above_zero("time_to_target", w)?;
            if num_referrals > 0.0 {
                let k = 2.0 * d * cv_demand / num_referrals.sqrt();
                if k < 1.0 {
                    d /= 1.0 - k;
                }
            }
            Ok(d + (q - t) / w)
        },
    )
}

/// The capacity that keeps the mean wait at `target_wait / factor` given the variability of
/// arrivals and removals (the Kingman / Pollaczek–Khinchine form, `calc_target_capacity`):
/// `demand + ((cv_demand² + cv_capacity²) / 2) × (factor / target_wait)`.
///
/// The package's help text omits the division by 2 (its issues #134 and #135); its code and
/// tests divide, and so does this function.
///
/// # Errors
///
/// [`DemandError::InvalidInput`] for a negative demand or coefficient of variation, or a
/// target or factor of 0 or less.
pub fn target_capacity(
    demand: &Numbers,
    target_wait: &Numbers,
    factor: &Numbers,
    cv_demand: &Numbers,
    cv_capacity: &Numbers,
) -> Result<Numbers> {
    broadcast(
        [
            ("demand", demand),
            ("target_wait", target_wait),
            ("factor", factor),
            ("cv_demand", cv_demand),
            ("cv_capacity", cv_capacity),
        ],
        |[d, t, f, a, s]| {
            let d = at_least_zero("demand", d)?;
            let (t, f) = (above_zero("target_wait", t)?, above_zero("factor", f)?);
            let (a, s) = (
                at_least_zero("cv_demand", a)?,
                at_least_zero("cv_capacity", s)?,
            );
            Ok(d + ((a.powi(2) + s.powi(2)) / 2.0) * (f / t))
        },
    )
}

/// Waiting-list pressure: `2 × mean_wait / target_wait` (`calc_waiting_list_pressure`). Above 1
/// the list is likely to miss its target.
///
/// # Errors
///
/// [`DemandError::InvalidInput`] for a negative mean wait or a target of 0 or less.
pub fn pressure(mean_wait: &Numbers, target_wait: &Numbers) -> Result<Numbers> {
    broadcast(
        [("mean_wait", mean_wait), ("target_wait", target_wait)],
        |[m, t]| Ok(2.0 * at_least_zero("mean_wait", m)? / above_zero("target_wait", t)?),
    )
}

/// One level of referral-to-treatment performance under exponential waits.
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize)]
#[non_exhaustive]
pub struct RttLevel {
    /// The share of patients seen within 18 weeks, as given.
    pub rtt_performance: f64,
    /// The rate of the exponential waits: `−ln(1 − p) / 18` per week.
    pub lambda: f64,
    /// The mean wait, `1 / λ`, in weeks.
    pub mean_wait: f64,
    /// The list that gives that performance at the referral rate (Little's law): `r / λ`.
    pub waiting_list_size: f64,
    /// The percentage within 18 weeks that the list gives back: `100 × (1 − e^(−18λ))`.
    pub percent_within_target: f64,
}

/// The waiting list that meets each level of "p% within 18 weeks" for `referral_rate` referrals
/// a week, with waits taken to be exponential (as NHSRwaitinglist's `plot_rtt_journey`
/// computes them).
///
/// ```
/// use commissioning_demand::waiting::rtt_levels;
///
/// let levels = rtt_levels(100.0, &[0.92])?;
/// // 92% within 18 weeks at 100 referrals a week: a list of about 713.
/// assert!((levels[0].waiting_list_size - 712.67).abs() < 0.01);
/// # Ok::<(), commissioning_demand::DemandError>(())
/// ```
///
/// # Errors
///
/// [`DemandError::InvalidInput`] for a referral rate of 0 or less, no levels, or a level
/// outside (0, 1).
pub fn rtt_levels(referral_rate: f64, rtt_performance: &[f64]) -> Result<Vec<RttLevel>> {
    if !(referral_rate.is_finite() && referral_rate > 0.0) {
        return Err(DemandError::input(
            "referral_rate",
            format!("must be a finite number above 0, got {referral_rate}"),
        ));
    }
    if rtt_performance.is_empty() {
        return Err(DemandError::input(
            "rtt_performance",
            "give at least one level",
        ));
    }
    rtt_performance
        .iter()
        .enumerate()
        .map(|(i, &p)| {
            if !(p > 0.0 && p < 1.0) {
                return Err(DemandError::input(
                    format!("rtt_performance[{i}]"),
                    format!("must be strictly between 0 and 1, got {p}"),
                ));
            }
            let lambda = -(1.0 - p).ln() / RTT_TARGET_WEEKS;
            Ok(RttLevel {
                rtt_performance: p,
                lambda,
                mean_wait: 1.0 / lambda,
                waiting_list_size: referral_rate / lambda,
                percent_within_target: 100.0 * (1.0 - (-RTT_TARGET_WEEKS * lambda).exp()),
            })
        })
        .collect()
}
