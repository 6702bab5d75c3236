//! NHS payment rules that share risk: the marginal rate for emergency activity, blended
//! payment, and the CQUIN withhold, with their parameters by year.

use commissioning_model::payment::{BlendedPayment, Variation};
use commissioning_model::{Decimal, FinancialYear, Money, Rounding, Share, allocate};
use serde::{Deserialize, Serialize};

use crate::error::{Result, RiskError};

/// What the marginal rate rule pays.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
#[non_exhaustive]
pub struct MarginalRatePayment {
    /// Paid to the provider, rounded to pence.
    pub payment: Money,
    /// The value of activity above the baseline that the commissioner keeps, rounded to pence.
    pub retained_by_commissioner: Money,
}

/// The marginal rate rule for emergency activity: activity valued at tariff is paid in full up
/// to the baseline value and at the marginal rate above it; activity below the baseline is
/// paid as it is, with no top-up.
///
/// ```
/// use commissioning_risk::nhs::marginal_rate;
/// use commissioning_model::{Money, Rounding};
///
/// let p = marginal_rate("50000000.00".parse()?, "56000000.00".parse()?, "0.30".parse()?, Rounding::HalfUp)?;
/// assert_eq!(p.payment, "51800000.00".parse::<Money>()?);
/// assert_eq!(p.retained_by_commissioner, "4200000.00".parse::<Money>()?);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
///
/// # Errors
///
/// [`RiskError::InvalidInput`] for a negative baseline or actual value; overflow errors.
pub fn marginal_rate(
    baseline_value: Money,
    actual_value: Money,
    rate: Share,
    rounding: Rounding,
) -> Result<MarginalRatePayment> {
    if baseline_value.is_negative() {
        return Err(RiskError::input("baseline_value", "must not be negative"));
    }
    if actual_value.is_negative() {
        return Err(RiskError::input("actual_value", "must not be negative"));
    }
    let above = actual_value.checked_sub(baseline_value)?.max(Money::ZERO);
    let paid_above = rate.of(above)?;
    let payment = actual_value
        .min(baseline_value)
        .checked_add(paid_above)?
        .round(rounding);
    let retained = above.checked_sub(paid_above)?.round(rounding);
    Ok(MarginalRatePayment {
        payment,
        retained_by_commissioner: retained,
    })
}

/// The marginal rate for emergency activity above the baseline, by year: 30% when the rule
/// was introduced in 2010/11, 70% by 2017/18. Years in between, whose rate was not
/// confirmed from a published source, give `None`.
pub fn marginal_rate_preset(year: FinancialYear) -> Option<Share> {
    match year.start_year() {
        2010 => Share::try_new(Decimal::new(3, 1)).ok(),
        2017..=2018 => Share::try_new(Decimal::new(7, 1)).ok(),
        _ => None,
    }
}

/// The blended payment rule on values: `fixed + rate × (actual − planned)`; see
/// [`commissioning_model::payment::blended_payment`].
///
/// # Errors
///
/// Overflow errors only.
pub fn blended(
    fixed: Money,
    planned_value: Money,
    actual_value: Money,
    rate: Share,
    variation: Variation,
    rounding: Rounding,
) -> Result<BlendedPayment> {
    Ok(commissioning_model::payment::blended_payment(
        fixed,
        planned_value,
        actual_value,
        rate,
        variation,
        rounding,
    )?)
}

/// The variable rate of a blended payment, by year and scheme.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum BlendScheme {
    /// The 2019/20 blended payment for emergency care: 20% of the price above or below plan.
    EmergencyBlend2019,
    /// The 2022/23 aligned payment and incentive: 75% of unit price for elective activity above
    /// or below plan.
    AlignedPaymentAndIncentive2022,
    /// From 2023/24, elective activity under aligned payment and incentive: 100% of unit price.
    ElectiveFrom2023,
}

impl BlendScheme {
    /// The variable rate.
    pub fn variable_rate(self) -> Share {
        let r = match self {
            Self::EmergencyBlend2019 => Decimal::new(2, 1),
            Self::AlignedPaymentAndIncentive2022 => Decimal::new(75, 2),
            Self::ElectiveFrom2023 => Decimal::ONE,
        };
        Share::try_new(r).unwrap_or(Share::ONE)
    }
}

/// One CQUIN indicator with its weight and whether it was met.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
#[non_exhaustive]
pub struct IndicatorResult {
    /// The indicator.
    pub id: String,
    /// Its weight (only ratios matter; equal weights split equally).
    #[cfg_attr(feature = "schema", schemars(with = "String"))]
    #[serde(with = "commissioning_model::decimal::serde_decimal", default = "one")]
    pub weight: Decimal,
    /// The share of the indicator achieved: 1 when met, 0 when not, or in between where
    /// partial achievement is rewarded.
    pub achievement: Share,
}

fn one() -> Decimal {
    Decimal::ONE
}

impl IndicatorResult {
    /// An indicator of weight 1, met or not.
    pub fn met(id: impl Into<String>, met: bool) -> Self {
        Self {
            id: id.into(),
            weight: Decimal::ONE,
            achievement: if met { Share::ONE } else { Share::ZERO },
        }
    }
}

/// What a CQUIN scheme earned.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
#[non_exhaustive]
pub struct CquinOutcome {
    /// The value at stake, rounded to pence.
    pub cquin_value: Money,
    /// Each indicator's value at stake, in pence that sum to `cquin_value`.
    pub indicator_values: Vec<Money>,
    /// What is deducted for indicators not achieved (zero when clawback does not apply).
    pub deduction: Money,
    /// What the provider keeps: value − deduction.
    pub cquin_earned: Money,
}

/// The CQUIN withhold: `share × contract base value` is at stake, split across indicators by
/// weight; when clawback applies, the unachieved part of each indicator's value is deducted.
///
/// The deduction is computed exactly as `value × Σ wᵢ(1 − aᵢ) ÷ Σ wᵢ` and rounded once.
///
/// ```
/// use commissioning_risk::nhs::{cquin_withhold, IndicatorResult};
/// use commissioning_model::{Money, Rounding};
///
/// let indicators: Vec<_> = (0..5).map(|i| IndicatorResult::met(format!("I{i}"), i < 3)).collect();
/// let c = cquin_withhold("80000000.00".parse()?, "1.25%".parse()?, &indicators, true, Rounding::HalfUp)?;
/// assert_eq!(c.cquin_value, "1000000.00".parse::<Money>()?);
/// assert_eq!(c.deduction, "400000.00".parse::<Money>()?);
/// assert_eq!(c.cquin_earned, "600000.00".parse::<Money>()?);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
///
/// # Errors
///
/// [`RiskError::InvalidInput`] for no indicators, negative weights or all weights zero, or a
/// negative base value.
pub fn cquin_withhold(
    base_value: Money,
    share: Share,
    indicators: &[IndicatorResult],
    clawback: bool,
    rounding: Rounding,
) -> Result<CquinOutcome> {
    if base_value.is_negative() {
        return Err(RiskError::input(
            "contract_base_value",
            "must not be negative",
        ));
    }
    if indicators.is_empty() {
        return Err(RiskError::input(
            "indicators",
            "at least one indicator is required",
        ));
    }
    let value = share.of(base_value)?;
    let weights: Vec<Decimal> = indicators.iter().map(|i| i.weight).collect();
    let indicator_values = allocate(value, &weights, rounding)
        .map_err(|e| RiskError::input("indicators", e.to_string()))?;
    let total_weight = weights
        .iter()
        .try_fold(Decimal::ZERO, |a, w| a.checked_add(*w))
        .ok_or_else(|| RiskError::input("indicators", "weights too large"))?;
    let missed = indicators
        .iter()
        .try_fold(Decimal::ZERO, |a, i| {
            i.weight
                .checked_mul(i.achievement.complement().fraction())
                .and_then(|m| a.checked_add(m))
        })
        .ok_or_else(|| RiskError::input("indicators", "weights too large"))?;
    let deduction = if clawback {
        value
            .checked_mul_decimal(missed)?
            .checked_div_decimal(total_weight)?
    } else {
        Money::ZERO
    };
    let cquin_value = value.round(rounding);
    let earned = value.checked_sub(deduction)?.round(rounding);
    Ok(CquinOutcome {
        cquin_value,
        indicator_values,
        deduction: cquin_value.checked_sub(earned)?,
        cquin_earned: earned,
    })
}

/// CQUIN parameters for a year: the share of contract value at stake and whether unearned
/// CQUIN is clawed back.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
#[non_exhaustive]
pub struct CquinParameters {
    /// The year.
    pub year: FinancialYear,
    /// The share of contract value (of the fixed element) at stake.
    pub share: Share,
    /// Whether indicators not met are clawed back.
    pub clawback: bool,
}

/// CQUIN for 2022/23 to 2024/25: 1.25% of the fixed element, reinstated with clawback in
/// 2022/23, and with clawback withdrawn for 2024/25 (HFMA, "Guidance issued on reinstating
/// CQUIN"; "CQUIN clawback to be withdrawn for 2024/25"). Other years give `None`.
pub fn cquin_preset(year: FinancialYear) -> Option<CquinParameters> {
    let share = Share::try_new(Decimal::new(125, 4)).ok()?;
    match year.start_year() {
        2022 | 2023 => Some(CquinParameters {
            year,
            share,
            clawback: true,
        }),
        2024 => Some(CquinParameters {
            year,
            share,
            clawback: false,
        }),
        _ => None,
    }
}
