//! Medicare Shared Savings Program helpers: the one-sided minimum savings rate by size, and a
//! settlement from per-capita benchmark and expenditure.

use commissioning_model::{Decimal, Money, Rate};
use serde::{Deserialize, Serialize};

use crate::error::{Result, RiskError, overflow};
use crate::presets::{MsspTrack, mssp};
use crate::settle::{QualityResult, Settlement, SettlementInput, settle};

/// The one-sided minimum savings rate table: (beneficiaries at the band's low end, rate in
/// percent at that point). From 60,000 the rate is 2%.
///
/// Source: 42 CFR 425.604(b) (table as commonly cited).
const MSR_TABLE: [(u32, i64, u32); 10] = [
    (5_000, 39, 1),
    (6_000, 36, 1),
    (7_000, 34, 1),
    (8_000, 32, 1),
    (9_000, 31, 1),
    (10_000, 30, 1),
    (15_000, 27, 1),
    (20_000, 25, 1),
    (50_000, 22, 1),
    (60_000, 20, 1),
];

/// The minimum savings rate of a one-sided ACO with `beneficiaries` assigned beneficiaries.
///
/// Within a size band the rate falls linearly from the band's published rate at its low end
/// to the next band's rate at the next band's low end (so 7,500 gives exactly 3.3%); from
/// 60,000 it is 2%.
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
    let below = MSR_TABLE.iter().rev().find(|(n, _, _)| beneficiaries >= *n);
    let Some(&(low_n, low_v, low_s)) = below else {
        return Err(RiskError::OutOfRange {
            field: "assigned_beneficiaries".into(),
            value: beneficiaries.to_string(),
            rule: "the one-sided minimum savings rate table starts at 5,000 beneficiaries",
        });
    };
    let low = Decimal::new(low_v, low_s);
    let next = MSR_TABLE.iter().find(|(n, _, _)| *n > low_n);
    let percent = match next {
        None => low,
        Some(&(high_n, high_v, high_s)) => {
            let high = Decimal::new(high_v, high_s);
            let span = Decimal::from(high_n.saturating_sub(low_n));
            let into = Decimal::from(beneficiaries.saturating_sub(low_n));
            low.checked_sub(high)
                .and_then(|drop| drop.checked_mul(into))
                .and_then(|v| v.checked_div(span))
                .and_then(|v| low.checked_sub(v))
                .ok_or_else(|| overflow("minimum savings rate"))?
        }
    };
    Ok(Rate::from_percent(percent.normalize())?)
}

/// The facts of one MSSP performance year.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
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
/// As [`minimum_savings_rate`], [`mssp`] and [`settle`]; [`RiskError::InvalidInput`] when a
/// BASIC C–E loss needs `ffs_revenue` and it is missing.
pub fn settle_mssp(input: &MsspInput) -> Result<Settlement> {
    let msr = match input.msr {
        Some(r) => r,
        None => minimum_savings_rate(input.assigned_beneficiaries)?,
    };
    let mlr = input.mlr.unwrap_or(msr);
    let agreement = mssp(input.track, msr, mlr)?;
    let n = Decimal::from(input.assigned_beneficiaries);
    let benchmark = input.benchmark_per_capita.checked_mul_decimal(n)?;
    let expenditure = input.expenditure_per_capita.checked_mul_decimal(n)?;
    let mut settlement_input =
        SettlementInput::new(benchmark, expenditure).with_quality(input.quality.clone());
    if let Some(rev) = input.ffs_revenue {
        settlement_input = settlement_input.with_base("revenue", rev);
    }
    settle(&agreement, &settlement_input)
}
