//! Medicare Shared Savings Program helpers: the one-sided minimum savings rate by size, and a
//! settlement from per-capita benchmark and expenditure.

use commissioning_model::{Decimal, Money, Rate};
use serde::{Deserialize, Serialize};

use crate::error::{Result, RiskError, overflow};
use crate::presets::{MsspTrack, mssp};
use crate::settle::{QualityResult, Settlement, SettlementInput, settle};

/// A rate that depends on size (beneficiaries, population, contract value in whole units),
/// read from a table by linear interpolation.
///
/// Each point gives the rate at the low end of a size band. Within a band the rate moves
/// linearly from the band's rate to the next band's rate, measured from the band's low end to
/// the next band's low end; from the last point on, the last rate holds. Below the first point
/// the table does not apply.
///
/// ```
/// use commissioning_risk::mssp::SizeTable;
/// use commissioning_model::Rate;
///
/// let table = SizeTable::try_new(vec![(1_000, "5%".parse()?), (2_000, "3%".parse()?)])?;
/// assert_eq!(table.rate_for(1_500)?, "4%".parse::<Rate>()?);
/// assert_eq!(table.rate_for(9_999)?, "3%".parse::<Rate>()?);
/// assert!(table.rate_for(999).is_err());
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(try_from = "Vec<(u64, Rate)>", into = "Vec<(u64, Rate)>")]
pub struct SizeTable {
    points: Vec<(u64, Rate)>,
}

impl SizeTable {
    /// A table from (size at the band's low end, rate) points in increasing order of size.
    ///
    /// # Errors
    ///
    /// [`RiskError::InvalidAgreement`] for no points or sizes not strictly increasing.
    pub fn try_new(points: Vec<(u64, Rate)>) -> Result<Self> {
        if points.is_empty() {
            return Err(RiskError::agreement(
                "table",
                "at least one point is required",
            ));
        }
        for (i, w) in points.windows(2).enumerate() {
            if let [(a, _), (b, _)] = w
                && b <= a
            {
                return Err(RiskError::agreement(
                    format!("table[{}]", i.saturating_add(1)),
                    "sizes must be strictly increasing",
                ));
            }
        }
        Ok(Self { points })
    }

    /// The rate for a size.
    ///
    /// # Errors
    ///
    /// [`RiskError::OutOfRange`] below the first point.
    pub fn rate_for(&self, size: u64) -> Result<Rate> {
        let Some(k) = self.points.iter().rposition(|(n, _)| size >= *n) else {
            return Err(RiskError::OutOfRange {
                field: "size".into(),
                value: size.to_string(),
                rule: "the table starts above this size",
            });
        };
        let (low_n, low) = self.points.get(k).copied().unwrap_or((0, Rate::ZERO));
        let Some(&(high_n, high)) = self.points.get(k.saturating_add(1)) else {
            return Ok(low);
        };
        let span = Decimal::from(high_n.saturating_sub(low_n));
        let into = Decimal::from(size.saturating_sub(low_n));
        let rate = low
            .fraction()
            .checked_sub(high.fraction())
            .and_then(|drop| drop.checked_mul(into))
            .and_then(|v| v.checked_div(span))
            .and_then(|v| low.fraction().checked_sub(v))
            .ok_or_else(|| overflow("size table interpolation"))?;
        Ok(Rate::from_fraction(rate.normalize()))
    }

    /// The points.
    pub fn points(&self) -> &[(u64, Rate)] {
        &self.points
    }
}

impl TryFrom<Vec<(u64, Rate)>> for SizeTable {
    type Error = RiskError;
    fn try_from(points: Vec<(u64, Rate)>) -> Result<Self> {
        Self::try_new(points)
    }
}

impl From<SizeTable> for Vec<(u64, Rate)> {
    fn from(t: SizeTable) -> Self {
        t.points
    }
}

/// The one-sided minimum savings rate table of the Medicare Shared Savings Program: the rate
/// at the low end of each size band (5,000 beneficiaries: 3.9%, ... 60,000: 2.0%).
///
/// Source: 42 CFR 425.604(b), as commonly cited; the 7,000–7,999 end points and the 2.0% floor
/// are confirmed by a worked example (7,500 → 3.3%).
pub fn mssp_msr_table() -> SizeTable {
    let points = [
        (5_000, 39),
        (6_000, 36),
        (7_000, 34),
        (8_000, 32),
        (9_000, 31),
        (10_000, 30),
        (15_000, 27),
        (20_000, 25),
        (50_000, 22),
        (60_000, 20),
    ]
    .into_iter()
    .map(|(n, tenths)| (n, Rate::from_fraction(Decimal::new(tenths, 3))))
    .collect();
    SizeTable { points }
}

/// The minimum savings rate of a one-sided ACO with `beneficiaries` assigned beneficiaries,
/// from [`mssp_msr_table`]: 7,500 gives exactly 3.3%; from 60,000 it is 2%.
///
/// ```
/// use commissioning_risk::mssp::minimum_savings_rate;
/// assert_eq!(minimum_savings_rate(7_500)?.to_string(), "3.3%");
/// assert_eq!(minimum_savings_rate(9_999)?.to_string(), "3.0001%");
/// assert!(minimum_savings_rate(4_999).is_err());
/// # Ok::<(), commissioning_risk::RiskError>(())
/// ```
///
/// # Errors
///
/// [`RiskError::OutOfRange`] below 5,000 beneficiaries, where this table does not apply.
pub fn minimum_savings_rate(beneficiaries: u32) -> Result<Rate> {
    mssp_msr_table()
        .rate_for(u64::from(beneficiaries))
        .map_err(|_| RiskError::OutOfRange {
            field: "assigned_beneficiaries".into(),
            value: beneficiaries.to_string(),
            rule: "the one-sided minimum savings rate table starts at 5,000 beneficiaries",
        })
}

/// The facts of one MSSP performance year.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
#[non_exhaustive]
pub struct MsspInput {
    /// Track and level.
    pub track: MsspTrack,
    /// Assigned beneficiaries.
    pub assigned_beneficiaries: u32,
    /// Benchmark per beneficiary.
    pub benchmark_per_capita: Money,
    /// Expenditure per beneficiary.
    pub expenditure_per_capita: Money,
    /// The minimum savings rate; `None` for the one-sided size table.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub msr: Option<Rate>,
    /// The minimum loss rate; `None` for the same as the minimum savings rate.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mlr: Option<Rate>,
    /// The quality result.
    pub quality: QualityResult,
    /// The participants' Part A and B fee-for-service revenue (BASIC C–E loss limit).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ffs_revenue: Option<Money>,
}

impl MsspInput {
    /// The facts of a performance year, with the MSR from the size table and MLR equal to it.
    pub fn new(
        track: MsspTrack,
        assigned_beneficiaries: u32,
        benchmark_per_capita: Money,
        expenditure_per_capita: Money,
        quality: QualityResult,
    ) -> Self {
        Self {
            track,
            assigned_beneficiaries,
            benchmark_per_capita,
            expenditure_per_capita,
            msr: None,
            mlr: None,
            quality,
            ffs_revenue: None,
        }
    }
}

/// Settles an MSSP performance year: benchmark and expenditure totals are the per-capita
/// amounts times the assigned beneficiaries; savings are benchmark − expenditure.
///
/// ```
/// use commissioning_risk::mssp::{settle_mssp, MsspInput};
/// use commissioning_risk::presets::MsspTrack;
/// use commissioning_risk::settle::{QualityOutcome, QualityResult};
/// use commissioning_model::Money;
///
/// let year = MsspInput::new(MsspTrack::BasicA, 7_500, "12000.00".parse()?, "11400.00".parse()?,
///     QualityResult::new(QualityOutcome::Meets, None));
/// let s = settle_mssp(&year)?;
/// assert_eq!(s.variance, "4500000.00".parse::<Money>()?); // 5% savings against a 3.3% MSR
/// assert_eq!(s.transfer, "1800000.00".parse::<Money>()?); // 40%, first dollar
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
///
/// # Errors
///
/// As [`minimum_savings_rate`], [`mssp`] and [`settle`]; [`RiskError::InvalidInput`] for no
/// assigned beneficiaries, a benchmark of zero or less, a negative expenditure or revenue, a
/// total beyond the largest amount, or when a BASIC C–E loss needs `ffs_revenue` and it is
/// missing.
pub fn settle_mssp(input: &MsspInput) -> Result<Settlement> {
    if input.assigned_beneficiaries == 0 {
        return Err(RiskError::input(
            "assigned_beneficiaries",
            "must be at least 1: an ACO with no assigned beneficiaries has no benchmark to settle against",
        ));
    }
    // The amounts are checked under the names the year's facts give them, before they become
    // the settlement's target, outturn and revenue base.
    if input.benchmark_per_capita <= Money::ZERO {
        return Err(RiskError::input(
            "benchmark_per_capita",
            format!(
                "must be above zero, got {}: savings are measured against it",
                input.benchmark_per_capita
            ),
        ));
    }
    for (field, amount) in [
        ("expenditure_per_capita", Some(input.expenditure_per_capita)),
        ("ffs_revenue", input.ffs_revenue),
    ] {
        if let Some(m) = amount.filter(|m| m.is_negative()) {
            return Err(RiskError::input(
                field,
                format!("must not be negative, got {m}"),
            ));
        }
    }
    let msr = match input.msr {
        Some(r) => r,
        None => minimum_savings_rate(input.assigned_beneficiaries)?,
    };
    let mlr = input.mlr.unwrap_or(msr);
    let agreement = mssp(input.track, msr, mlr)?;
    let n = Decimal::from(input.assigned_beneficiaries);
    let total = |field: &str, per_capita: Money| {
        per_capita.checked_mul_decimal(n).map_err(|_| {
            RiskError::input(
                field,
                format!(
                    "{per_capita} × {} assigned beneficiaries is beyond the largest amount",
                    input.assigned_beneficiaries
                ),
            )
        })
    };
    let benchmark = total("benchmark_per_capita", input.benchmark_per_capita)?;
    let expenditure = total("expenditure_per_capita", input.expenditure_per_capita)?;
    let mut settlement_input =
        SettlementInput::new(benchmark, expenditure).with_quality(input.quality.clone());
    if let Some(rev) = input.ffs_revenue {
        settlement_input = settlement_input.with_base("revenue", rev);
    }
    settle(&agreement, &settlement_input)
}
