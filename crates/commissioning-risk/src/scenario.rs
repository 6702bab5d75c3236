//! Scenario evaluation: one agreement, or several side by side, over many outturns.
//!
//! For each design the report gives the expected transfer and its spread (5th, 50th and 95th
//! percentiles, minimum and maximum) for the whole agreement and for every party, and how often
//! each cap or collar, the quality gate and proration changed the result. Running two candidate
//! designs over the same outturns shows which shares risk better before either is signed.
//!
//! # Conventions
//!
//! - Percentiles are nearest-rank: the p-th percentile of `n` sorted values is the value at
//!   rank `⌈p × n ÷ 100⌉` (1-based), so every figure reported is one that actually occurred.
//! - Means are exact sums divided by the number of runs, rounded once to pence (half-up).
//! - Simulated outturns come from `SplitMix64` (Steele, Lea and Flood, 2014), a 64-bit generator
//!   defined by integer arithmetic alone, so a seed gives the same stream on every platform;
//!   draws are rounded to pence. Normal draws use the Box–Muller transform. A draw below zero
//!   (impossible for a cost) is redrawn, and the number redrawn is reported.

use commissioning_model::rng::SplitMix64;
use commissioning_model::{Decimal, Money, Rounding};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

use crate::agreement::Agreement;
use crate::error::{Result, RiskError, overflow};
use crate::settle::{Role, SettlementInput, StepKind, run};

/// A distribution of outturns, in pounds.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(tag = "kind", rename_all = "snake_case", deny_unknown_fields)]
#[non_exhaustive]
pub enum Distribution {
    /// Normal with a mean and standard deviation, redrawn below zero.
    Normal {
        /// The mean outturn.
        mean: Money,
        /// The standard deviation.
        sd: Money,
    },
    /// Uniform between two amounts.
    Uniform {
        /// The lowest outturn.
        low: Money,
        /// The highest outturn.
        high: Money,
    },
    /// Triangular with a minimum, most likely value and maximum (a common planning estimate).
    Triangular {
        /// The lowest outturn.
        low: Money,
        /// The most likely outturn.
        mode: Money,
        /// The highest outturn.
        high: Money,
    },
}

/// Where the outturns come from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(tag = "kind", rename_all = "snake_case", deny_unknown_fields)]
#[non_exhaustive]
pub enum Outturns {
    /// A given list.
    List {
        /// The outturns.
        values: Vec<Money>,
    },
    /// A seeded simulation.
    Simulated {
        /// The distribution.
        distribution: Distribution,
        /// How many draws.
        count: u32,
        /// The seed; the same seed gives the same draws everywhere.
        seed: u64,
    },
}

/// The spread of an amount over the runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
#[non_exhaustive]
pub struct Spread {
    /// The mean, rounded to pence.
    pub mean: Money,
    /// The 5th percentile (nearest rank).
    pub p5: Money,
    /// The median (nearest rank).
    pub p50: Money,
    /// The 95th percentile (nearest rank).
    pub p95: Money,
    /// The smallest value.
    pub min: Money,
    /// The largest value.
    pub max: Money,
}

/// One party's spread.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
#[non_exhaustive]
pub struct PartySpread {
    /// The party.
    pub id: String,
    /// Its side.
    pub role: Role,
    /// What it receives (positive) or pays (negative), over the runs.
    pub spread: Spread,
}

/// How often each rule changed the result.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
#[non_exhaustive]
pub struct Binding {
    /// Runs below target.
    pub gain_side: u32,
    /// Runs above target.
    pub loss_side: u32,
    /// Runs whose variance reached no band (inside the deadband) or hit a side with no sharing.
    pub nothing_shared: u32,
    /// Runs in which each gain cap bound, by the cap's position.
    pub gain_caps: BTreeMap<usize, u32>,
    /// Runs in which each loss collar bound, by its position.
    pub loss_caps: BTreeMap<usize, u32>,
    /// Runs in which the quality gate changed the amount.
    pub quality_gate: u32,
    /// Runs in which proration reduced a payment.
    pub proration: u32,
}

/// The result of running one design over the outturns.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
#[non_exhaustive]
pub struct ScenarioReport {
    /// The agreement's name.
    pub agreement: String,
    /// How many outturns were run.
    pub runs: u32,
    /// Negative draws that were redrawn (simulations only).
    pub redrawn: u32,
    /// The spread of the outturns themselves.
    pub outturn: Spread,
    /// The spread of the transfer (positive: the commissioner pays the provider).
    pub transfer: Spread,
    /// Each party's spread, in the agreement's split order.
    pub parties: Vec<PartySpread>,
    /// How often each rule bound.
    pub binding: Binding,
}

fn to_f64(m: Money, field: &str) -> Result<f64> {
    m.amount()
        .to_string()
        .parse::<f64>()
        .map_err(|_| RiskError::input(field, "is not a finite amount"))
}

fn to_money(x: f64) -> Result<Money> {
    if !x.is_finite() {
        return Err(overflow("simulated outturn"));
    }
    let d = Decimal::try_from(x).map_err(|_| overflow("simulated outturn"))?;
    Ok(Money::new(d).round(Rounding::HalfUp))
}

/// Draws the outturns, returning them with the number of negative draws redrawn.
///
/// # Errors
///
/// [`RiskError::InvalidInput`] for an empty list, a zero count, a negative amount, a negative
/// standard deviation, `low > high`, a mode outside the range, or a normal distribution so far
/// below zero that 1,000 draws in a row are negative.
pub fn draw(outturns: &Outturns) -> Result<(Vec<Money>, u32)> {
    match outturns {
        Outturns::List { values } => {
            if values.is_empty() {
                return Err(RiskError::input(
                    "outturns.values",
                    "at least one outturn is required",
                ));
            }
            if let Some(i) = values.iter().position(|v| v.is_negative()) {
                return Err(RiskError::input(
                    format!("outturns.values[{i}]"),
                    "must not be negative",
                ));
            }
            Ok((values.clone(), 0))
        }
        Outturns::Simulated {
            distribution,
            count,
            seed,
        } => {
            if *count == 0 {
                return Err(RiskError::input("outturns.count", "must be at least 1"));
            }
            let mut rng = SplitMix64::new(*seed);
            let n = usize::try_from(*count).unwrap_or(usize::MAX);
            let mut out = Vec::with_capacity(n);
            let mut redrawn = 0u32;
            match distribution {
                Distribution::Normal { mean, sd } => {
                    if sd.is_negative() {
                        return Err(RiskError::input(
                            "outturns.distribution.sd",
                            "must not be negative",
                        ));
                    }
                    let (mu, sigma) = (
                        to_f64(*mean, "outturns.distribution.mean")?,
                        to_f64(*sd, "outturns.distribution.sd")?,
                    );
                    let mut in_a_row = 0u32;
                    while out.len() < n {
                        // Box–Muller: u1 in (0, 1] so the logarithm is finite.
                        let u1 = 1.0 - rng.unit();
                        let u2 = rng.unit();
                        let z = (-2.0 * u1.ln()).sqrt() * (std::f64::consts::TAU * u2).cos();
                        let v = to_money(mu + sigma * z)?;
                        if v.is_negative() {
                            redrawn = redrawn.saturating_add(1);
                            in_a_row = in_a_row.saturating_add(1);
                            if in_a_row >= 1_000 {
                                return Err(RiskError::input(
                                    "outturns.distribution",
                                    "almost every draw is negative: the mean is too far below zero for a cost",
                                ));
                            }
                            continue;
                        }
                        in_a_row = 0;
                        out.push(v);
                    }
                }
                Distribution::Uniform { low, high } => {
                    check_range(*low, None, *high)?;
                    let (a, b) = (
                        to_f64(*low, "outturns.distribution.low")?,
                        to_f64(*high, "outturns.distribution.high")?,
                    );
                    for _ in 0..n {
                        out.push(to_money(a + (b - a) * rng.unit())?);
                    }
                }
                Distribution::Triangular { low, mode, high } => {
                    check_range(*low, Some(*mode), *high)?;
                    let (a, c, b) = (
                        to_f64(*low, "outturns.distribution.low")?,
                        to_f64(*mode, "outturns.distribution.mode")?,
                        to_f64(*high, "outturns.distribution.high")?,
                    );
                    let f = if b > a { (c - a) / (b - a) } else { 0.5 };
                    for _ in 0..n {
                        let u = rng.unit();
                        let x = if u < f {
                            a + ((b - a) * (c - a) * u).sqrt()
                        } else {
                            b - ((b - a) * (b - c) * (1.0 - u)).sqrt()
                        };
                        out.push(to_money(x)?);
                    }
                }
            }
            Ok((out, redrawn))
        }
    }
}

fn check_range(low: Money, mode: Option<Money>, high: Money) -> Result<()> {
    if low.is_negative() {
        return Err(RiskError::input(
            "outturns.distribution.low",
            "must not be negative",
        ));
    }
    if low > high {
        return Err(RiskError::input(
            "outturns.distribution.high",
            format!("must not be below low ({low} > {high})"),
        ));
    }
    if let Some(m) = mode
        && (m < low || m > high)
    {
        return Err(RiskError::input(
            "outturns.distribution.mode",
            "must lie between low and high",
        ));
    }
    Ok(())
}

fn spread(values: &mut [Money]) -> Result<Spread> {
    values.sort_unstable();
    let n = values.len();
    let rank = |p: usize| -> Money {
        // ⌈p·n/100⌉, at least 1.
        let r = p.saturating_mul(n).div_ceil(100).max(1);
        values.get(r.saturating_sub(1)).copied().unwrap_or_default()
    };
    let sum = Money::checked_sum(values.iter().copied())?;
    let mean = sum
        .checked_div_decimal(Decimal::from(n))?
        .round(Rounding::HalfUp);
    Ok(Spread {
        mean,
        p5: rank(5),
        p50: rank(50),
        p95: rank(95),
        min: values.first().copied().unwrap_or_default(),
        max: values.last().copied().unwrap_or_default(),
    })
}

/// Runs one design over the outturns, with the other facts (target, quality, bases,
/// proration) taken from `base`.
///
/// ```
/// use commissioning_risk::presets::aca_risk_corridor;
/// use commissioning_risk::scenario::{evaluate, Distribution, Outturns};
/// use commissioning_risk::settle::SettlementInput;
/// use commissioning_model::Money;
///
/// let target: Money = "100000000.00".parse()?;
/// let outturns = Outturns::Simulated {
///     distribution: Distribution::Normal { mean: target, sd: "5000000.00".parse()? },
///     count: 2_000,
///     seed: 7,
/// };
/// let report = evaluate(&aca_risk_corridor(), &SettlementInput::new(target, target), &outturns)?;
/// assert_eq!(report.runs, 2_000);
/// assert!(report.transfer.p5 < Money::ZERO && report.transfer.p95 > Money::ZERO);
/// // The same seed gives the same report.
/// assert_eq!(report, evaluate(&aca_risk_corridor(), &SettlementInput::new(target, target), &outturns)?);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
///
/// # Errors
///
/// As [`draw`], [`Agreement::validate`] and [`crate::settle()`].
pub fn evaluate(
    agreement: &Agreement,
    base: &SettlementInput,
    outturns: &Outturns,
) -> Result<ScenarioReport> {
    let (values, redrawn) = draw(outturns)?;
    evaluate_values(agreement, base, values, redrawn)
}

/// Runs several designs over the same outturns, for a side-by-side comparison.
///
/// # Errors
///
/// As [`evaluate`], for the first design that fails.
pub fn compare_designs(
    designs: &[Agreement],
    base: &SettlementInput,
    outturns: &Outturns,
) -> Result<Vec<ScenarioReport>> {
    let (values, redrawn) = draw(outturns)?;
    designs
        .iter()
        .map(|d| evaluate_values(d, base, values.clone(), redrawn))
        .collect()
}

fn evaluate_values(
    agreement: &Agreement,
    base: &SettlementInput,
    mut values: Vec<Money>,
    redrawn: u32,
) -> Result<ScenarioReport> {
    agreement.validate()?;
    let runs =
        u32::try_from(values.len()).map_err(|_| RiskError::input("outturns", "too many runs"))?;
    let mut input = base.clone();
    let mut transfers = Vec::with_capacity(values.len());
    let party_count = agreement.split.as_ref().map_or(0, |s| {
        s.commissioners
            .parties
            .len()
            .saturating_add(s.providers.parties.len())
    });
    let mut per_party: Vec<Vec<Money>> = (0..party_count)
        .map(|_| Vec::with_capacity(values.len()))
        .collect();
    let mut ids: Vec<(String, Role)> = Vec::new();
    let mut binding = Binding::default();
    for (i, outturn) in values.iter().enumerate() {
        input.outturn = *outturn;
        let s = run(agreement, &input, false).map_err(|e| match e {
            RiskError::InvalidInput { field, reason } => {
                RiskError::input(format!("run {i}: {field}"), reason)
            }
            other => other,
        })?;
        match s.side {
            crate::settle::Side::Gain => binding.gain_side = binding.gain_side.saturating_add(1),
            crate::settle::Side::Loss => binding.loss_side = binding.loss_side.saturating_add(1),
            crate::settle::Side::OnTarget => {}
        }
        if s.bands.is_empty() {
            binding.nothing_shared = binding.nothing_shared.saturating_add(1);
        }
        for step in &s.steps {
            match step.kind {
                StepKind::Cap { index } => {
                    let map = if s.side == crate::settle::Side::Gain {
                        &mut binding.gain_caps
                    } else {
                        &mut binding.loss_caps
                    };
                    let c = map.entry(index).or_insert(0);
                    *c = c.saturating_add(1);
                }
                StepKind::QualityGate if step.before != step.after => {
                    binding.quality_gate = binding.quality_gate.saturating_add(1);
                }
                StepKind::Proration => binding.proration = binding.proration.saturating_add(1),
                _ => {}
            }
        }
        if ids.is_empty() {
            ids = s.split.iter().map(|p| (p.id.clone(), p.role)).collect();
        }
        for (slot, p) in per_party.iter_mut().zip(&s.split) {
            slot.push(p.amount);
        }
        transfers.push(s.transfer);
    }
    let parties = ids
        .into_iter()
        .zip(per_party.iter_mut())
        .map(|((id, role), v)| {
            Ok(PartySpread {
                id,
                role,
                spread: spread(v)?,
            })
        })
        .collect::<Result<Vec<_>>>()?;
    Ok(ScenarioReport {
        agreement: agreement.name.clone(),
        runs,
        redrawn,
        outturn: spread(&mut values)?,
        transfer: spread(&mut transfers)?,
        parties,
        binding,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nearest_rank_percentiles() -> Result<()> {
        let mut v: Vec<Money> = (1..=20).map(Money::from_pounds).collect();
        let s = spread(&mut v)?;
        assert_eq!(
            (s.p5, s.p50, s.p95),
            (
                Money::from_pounds(1),
                Money::from_pounds(10),
                Money::from_pounds(19)
            )
        );
        assert_eq!(s.mean, "10.50".parse()?);
        Ok(())
    }

    #[test]
    fn bad_distributions_are_rejected() {
        let m = |s: &str| s.parse::<Money>().unwrap_or_default();
        let sim = |d| Outturns::Simulated {
            distribution: d,
            count: 10,
            seed: 1,
        };
        assert!(
            draw(&sim(Distribution::Uniform {
                low: m("10"),
                high: m("5")
            }))
            .is_err()
        );
        assert!(
            draw(&sim(Distribution::Normal {
                mean: m("10"),
                sd: m("-1")
            }))
            .is_err()
        );
        assert!(
            draw(&sim(Distribution::Triangular {
                low: m("1"),
                mode: m("9"),
                high: m("5")
            }))
            .is_err()
        );
        assert!(
            draw(&sim(Distribution::Normal {
                mean: m("-1000000"),
                sd: m("1")
            }))
            .is_err()
        );
        assert!(draw(&Outturns::List { values: vec![] }).is_err());
    }
}
