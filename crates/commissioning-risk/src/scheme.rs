//! NHS Payment Scheme mechanics of 2023/25 to 2025/26, and outcome-based payments: the market
//! forces factor on unit prices, aligned payment and incentive with the elective variable
//! element and the best practice tariff adjustment, the low volume activity block, and an
//! outcome pot paid on graded metrics.
//!
//! Sources: NHS England, *2023/25 NHS Payment Scheme* (amended) and *2025/26 NHS Payment
//! Scheme*, with the provider payment mechanisms guidance; HFMA, *NHS payment system 2022/23*
//! briefing. Where the guidance leaves a choice open it is a parameter, with the default and
//! the reason stated at the function; every amount is computed exactly and rounded half away
//! from zero to the penny once.
//!
//! # Examples
//!
//! ```
//! use commissioning_risk::scheme::{mff_payment, MffRounding};
//! use commissioning_model::{Decimal, Money};
//!
//! // £168 at an MFF payment index of 1.0461 (the Model Hospital's example): £175.74 a unit.
//! let p = mff_payment("168.00".parse()?, "1.0461".parse()?, 1000, MffRounding::PerUnit)?;
//! assert_eq!(p.adjusted_unit_price, "175.74".parse::<Money>()?);
//! assert_eq!(p.payment, "175740.00".parse::<Money>()?);
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

use commissioning_model::period::FinancialYear;
use commissioning_model::{Decimal, Money, Rounding, Share, allocate};
use serde::{Deserialize, Serialize};

use crate::error::{Result, RiskError, overflow};

/// Where the MFF-adjusted price is rounded to the penny.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum MffRounding {
    /// Each unit is charged at the adjusted price rounded to the penny (the default: the only
    /// worked examples with pence round the charge per unit).
    #[default]
    PerUnit,
    /// The exact adjusted price times the units, rounded once.
    PerTotal,
}

/// A payment at MFF-adjusted unit prices.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[non_exhaustive]
pub struct MffPayment {
    /// The unit price times the index, to the penny.
    pub adjusted_unit_price: Money,
    /// What the units are paid.
    pub payment: Money,
}

/// The market forces factor applied to an NHS Payment Scheme unit price: the price times the
/// provider's MFF payment index (at least 1), for `units` of activity.
///
/// # Errors
///
/// [`RiskError::OutOfRange`] for an index below 1; [`RiskError::InvalidInput`] for an index of
/// 0 or less or a negative price.
pub fn mff_payment(
    unit_price: Money,
    mff_payment_index: Decimal,
    units: u64,
    rounding: MffRounding,
) -> Result<MffPayment> {
    if mff_payment_index <= Decimal::ZERO {
        return Err(RiskError::input(
            "mff_payment_index",
            format!("must be above 0, got {mff_payment_index}"),
        ));
    }
    if mff_payment_index < Decimal::ONE {
        return Err(RiskError::OutOfRange {
            field: "mff_payment_index".into(),
            value: mff_payment_index.to_string(),
            rule: "an MFF payment index is at least 1",
        });
    }
    if unit_price.is_negative() {
        return Err(RiskError::input("unit_price", "must not be negative"));
    }
    let exact = unit_price.checked_mul_decimal(mff_payment_index)?;
    let adjusted_unit_price = exact.round(Rounding::HalfUp);
    let n = Decimal::from(units);
    let payment = match rounding {
        MffRounding::PerUnit => adjusted_unit_price.checked_mul_decimal(n)?,
        MffRounding::PerTotal => exact.checked_mul_decimal(n)?.round(Rounding::HalfUp),
    };
    Ok(MffPayment {
        adjusted_unit_price,
        payment: payment.round(Rounding::HalfUp),
    })
}

/// A best practice tariff line of an aligned payment and incentive agreement.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
#[non_exhaustive]
pub struct BptLine {
    /// The BPT price.
    pub bpt_price: Money,
    /// The base price it differs from.
    pub base_price: Money,
    /// The BPT-compliant activity delivered.
    pub compliant_volume: u64,
    /// The compliant activity the fixed element assumed.
    pub expected_compliant_volume: u64,
}

impl BptLine {
    /// A BPT line.
    pub fn new(
        bpt_price: Money,
        base_price: Money,
        compliant_volume: u64,
        expected_compliant_volume: u64,
    ) -> Self {
        Self {
            bpt_price,
            base_price,
            compliant_volume,
            expected_compliant_volume,
        }
    }
}

/// An aligned payment and incentive agreement's year.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
#[non_exhaustive]
pub struct ApiInput {
    /// The fixed element.
    pub fixed_element: Money,
    /// Elective activity delivered, at (MFF-adjusted) unit prices.
    pub elective_actual_value: Money,
    /// The elective value already funded in the fixed element (0 from 2023/24).
    pub elective_value_in_fixed: Money,
    /// The elective plan, reported against only.
    pub elective_plan_value: Money,
    /// The share of unit prices paid for elective activity: 1 from 2023/24, 0.75 in 2022/23.
    #[cfg_attr(feature = "schema", schemars(with = "String"))]
    #[serde(with = "commissioning_model::decimal::serde_decimal")]
    pub elective_rate: Decimal,
    /// Best practice tariff lines.
    #[serde(default)]
    pub bpt_lines: Vec<BptLine>,
}

impl ApiInput {
    /// A year from 2023/24 on: elective activity paid at 100% of unit prices, none of it in the
    /// fixed element, and no BPT lines.
    pub fn new(
        fixed_element: Money,
        elective_actual_value: Money,
        elective_plan_value: Money,
    ) -> Self {
        Self {
            fixed_element,
            elective_actual_value,
            elective_value_in_fixed: Money::ZERO,
            elective_plan_value,
            elective_rate: Decimal::ONE,
            bpt_lines: Vec::new(),
        }
    }
}

/// What an aligned payment and incentive agreement pays for the year.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[non_exhaustive]
pub struct ApiPayment {
    /// `elective_rate × (actual − value in fixed)`, to the penny.
    pub elective_variable_element: Money,
    /// Actual against plan (reported only: it does not change the payment).
    pub elective_above_plan_value: Money,
    /// Each BPT line's adjustment, to the penny.
    pub bpt_adjustments: Vec<Money>,
    /// Their exact sum, to the penny.
    pub bpt_adjustment_total: Money,
    /// The elective variable element plus the BPT adjustments, rounded from the exact sum.
    pub variable_element: Money,
    /// The fixed element plus the variable element, rounded from the exact sum.
    pub total_payment: Money,
}

/// The aligned payment and incentive rule: `fixed + elective_rate × (elective actual − elective
/// value in fixed) + Σ (BPT price − base price) × (compliant − expected compliant volume)`.
///
/// The BPT adjustment (the price differential times the difference from the compliant volume
/// the fixed element assumed) is this crate's reading of "the variable element will also adjust
/// for actual attainment of best practice tariffs" (HFMA 2022) and of the Payment Scheme's
/// "price differential"; no published worked example pins it, so it is a documented
/// convention.
///
/// # Examples
///
/// ```
/// use commissioning_risk::scheme::{api_payment, ApiInput, BptLine};
/// use commissioning_model::Money;
///
/// let mut year = ApiInput::new("180000000.00".parse()?, "40000000.00".parse()?, "40000000.00".parse()?);
/// year.bpt_lines.push(BptLine::new("1445.00".parse()?, "1000.00".parse()?, 620, 560));
/// let p = api_payment(&year)?;
/// assert_eq!(p.bpt_adjustment_total, "26700.00".parse::<Money>()?); // £445 × 60
/// assert_eq!(p.total_payment, "220026700.00".parse::<Money>()?);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
///
/// # Errors
///
/// [`RiskError::InvalidInput`] for an elective rate outside 0 to 1; overflow errors.
pub fn api_payment(input: &ApiInput) -> Result<ApiPayment> {
    if input.elective_rate < Decimal::ZERO || input.elective_rate > Decimal::ONE {
        return Err(RiskError::input(
            "elective_rate",
            format!("must be between 0 and 1, got {}", input.elective_rate),
        ));
    }
    let elective = input
        .elective_actual_value
        .checked_sub(input.elective_value_in_fixed)?
        .checked_mul_decimal(input.elective_rate)?;
    let mut bpt_total = Money::ZERO;
    let mut bpt_adjustments = Vec::with_capacity(input.bpt_lines.len());
    for line in &input.bpt_lines {
        let differential = line.bpt_price.checked_sub(line.base_price)?;
        let volume = i128::from(line.compliant_volume)
            .checked_sub(i128::from(line.expected_compliant_volume))
            .ok_or_else(|| overflow("BPT volume"))?;
        let volume =
            Decimal::try_from_i128_with_scale(volume, 0).map_err(|_| overflow("BPT volume"))?;
        let adjustment = differential.checked_mul_decimal(volume)?;
        bpt_total = bpt_total.checked_add(adjustment)?;
        bpt_adjustments.push(adjustment.round(Rounding::HalfUp));
    }
    let variable = elective.checked_add(bpt_total)?;
    Ok(ApiPayment {
        elective_variable_element: elective.round(Rounding::HalfUp),
        elective_above_plan_value: input
            .elective_actual_value
            .checked_sub(input.elective_plan_value)?
            .round(Rounding::HalfUp),
        bpt_adjustments,
        bpt_adjustment_total: bpt_total.round(Rounding::HalfUp),
        variable_element: variable.round(Rounding::HalfUp),
        total_payment: input
            .fixed_element
            .checked_add(variable)?
            .round(Rounding::HalfUp),
    })
}

/// Whether a provider is an NHS provider.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum ProviderType {
    /// An NHS trust or foundation trust.
    Nhs,
    /// Any other provider.
    NonNhs,
}

/// Who commissions.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum CommissionerType {
    /// An integrated care board.
    Icb,
    /// NHS England.
    NhsEngland,
}

/// The payment mechanism of a relationship.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum Mechanism {
    /// A low volume activity block.
    LvaBlock,
    /// Aligned payment and incentive.
    Api,
    /// Activity-based payment (non-NHS providers).
    ActivityBased,
}

/// One provider–commissioner relationship's year, for the low volume activity rule.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
#[non_exhaustive]
pub struct LvaInput {
    /// The financial year.
    pub year: FinancialYear,
    /// The provider's type.
    pub provider_type: ProviderType,
    /// The commissioner's type.
    pub commissioner_type: CommissionerType,
    /// The expected value of the relationship's annual activity, as NHS England sets it.
    pub expected_annual_value: Money,
    /// The LVA value, when given.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lva_value: Option<Money>,
    /// Otherwise three annual values at the year's prices, whose mean is the LVA value.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub rolling_values: Vec<Money>,
    /// The activity actually delivered (it never changes an LVA block's payment).
    #[serde(default)]
    pub actual_activity_value: Money,
    /// A threshold other than the year's.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub threshold: Option<Money>,
    /// Whether a value exactly at the threshold is an LVA block (other than the year's rule).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub threshold_inclusive: Option<bool>,
}

/// The mechanism and, for an LVA block, what it pays.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[non_exhaustive]
pub struct LvaDecision {
    /// The mechanism.
    pub mechanism: Mechanism,
    /// The threshold that applied.
    pub threshold_applied: Money,
    /// The LVA value, for an LVA block.
    pub lva_value: Option<Money>,
    /// The annual payment, for an LVA block.
    pub annual_payment: Option<Money>,
}

/// The low volume activity threshold of a year and whether a value exactly at it is within:
/// 2023/24 and 2024/25 "below £0.5m" (exclusive); 2025/26 "£1.5m or less" (the provider payment
/// mechanisms guidance, inclusive; the Payment Scheme's web page says "below").
pub fn lva_threshold(year: FinancialYear) -> Option<(Money, bool)> {
    match year.start_year() {
        2023 | 2024 => Some((Money::from_pounds(500_000), false)),
        2025 => Some((Money::from_pounds(1_500_000), true)),
        _ => None,
    }
}

/// The low volume activity rule: an NHS provider's relationship with an ICB whose expected
/// annual value is within the year's threshold is paid a block of the LVA value, whatever the
/// activity; a non-NHS provider is paid on activity; any other NHS relationship is aligned
/// payment and incentive.
///
/// # Examples
///
/// ```
/// use commissioning_risk::scheme::{lva, LvaInput, Mechanism};
/// use commissioning_model::Money;
///
/// let rel: LvaInput = serde_json::from_str(r#"{"year": "2025/26", "provider_type": "nhs",
///     "commissioner_type": "icb", "expected_annual_value": "1500000.00", "lva_value": "1500000.00"}"#)?;
/// let d = lva(&rel)?;
/// assert_eq!(d.mechanism, Mechanism::LvaBlock); // "£1.5m or less" in 2025/26
/// assert_eq!(d.annual_payment, Some(Money::from_pounds(1_500_000)));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
///
/// # Errors
///
/// [`RiskError::OutOfRange`] for a year with no threshold (before 2023/24 or after 2025/26)
/// and no threshold given; [`RiskError::InvalidInput`] for an LVA block with neither an LVA
/// value nor exactly three rolling values.
pub fn lva(input: &LvaInput) -> Result<LvaDecision> {
    let year_rule = lva_threshold(input.year);
    let (threshold, inclusive) = match (input.threshold, year_rule) {
        (Some(t), rule) => (
            t,
            input
                .threshold_inclusive
                .or(rule.map(|r| r.1))
                .unwrap_or(false),
        ),
        (None, Some((t, inclusive))) => (t, input.threshold_inclusive.unwrap_or(inclusive)),
        (None, None) => {
            return Err(RiskError::OutOfRange {
                field: "year".into(),
                value: input.year.to_string(),
                rule: "LVA thresholds are published for 2023/24 to 2025/26; give the threshold",
            });
        }
    };
    let within = if inclusive {
        input.expected_annual_value <= threshold
    } else {
        input.expected_annual_value < threshold
    };
    let mechanism = match input.provider_type {
        ProviderType::NonNhs => Mechanism::ActivityBased,
        ProviderType::Nhs if within && input.commissioner_type == CommissionerType::Icb => {
            Mechanism::LvaBlock
        }
        ProviderType::Nhs => Mechanism::Api,
    };
    if mechanism != Mechanism::LvaBlock {
        return Ok(LvaDecision {
            mechanism,
            threshold_applied: threshold,
            lva_value: None,
            annual_payment: None,
        });
    }
    let value = match (input.lva_value, input.rolling_values.as_slice()) {
        (Some(v), _) => v,
        (None, [a, b, c]) => a
            .checked_add(*b)?
            .checked_add(*c)?
            .checked_div_decimal(Decimal::from(3))?
            .round(Rounding::HalfUp),
        (None, _) => {
            return Err(RiskError::input(
                "rolling_values",
                "an LVA block needs its lva_value, or exactly three rolling_values to average",
            ));
        }
    };
    Ok(LvaDecision {
        mechanism,
        threshold_applied: threshold,
        lva_value: Some(value),
        annual_payment: Some(value),
    })
}

/// One metric of an outcome pot.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
#[non_exhaustive]
pub struct OutcomeMetric {
    /// The metric.
    pub id: String,
    /// Its weight; the weights sum to exactly 1.
    #[cfg_attr(feature = "schema", schemars(with = "String"))]
    #[serde(with = "commissioning_model::decimal::serde_decimal")]
    pub weight: Decimal,
    /// Where it starts to earn (score 0).
    #[cfg_attr(feature = "schema", schemars(with = "String"))]
    #[serde(with = "commissioning_model::decimal::serde_decimal")]
    pub floor: Decimal,
    /// Where it earns in full (score 1); below the floor for a lower-is-better metric.
    #[cfg_attr(feature = "schema", schemars(with = "String"))]
    #[serde(with = "commissioning_model::decimal::serde_decimal")]
    pub target: Decimal,
    /// What was achieved.
    #[cfg_attr(feature = "schema", schemars(with = "String"))]
    #[serde(with = "commissioning_model::decimal::serde_decimal")]
    pub achieved: Decimal,
}

impl OutcomeMetric {
    /// A metric.
    pub fn new(
        id: impl Into<String>,
        weight: Decimal,
        floor: Decimal,
        target: Decimal,
        achieved: Decimal,
    ) -> Self {
        Self {
            id: id.into(),
            weight,
            floor,
            target,
            achieved,
        }
    }
}

/// One metric's part of an outcome pot.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[non_exhaustive]
pub struct MetricEarned {
    /// The metric.
    pub id: String,
    /// Its score, 0 to 1.
    pub score: f64,
    /// What it earned, to the penny.
    pub earned: Money,
}

/// What an outcome pot paid.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[non_exhaustive]
pub struct OutcomePot {
    /// The pot: contract value × pot share, to the penny.
    pub pot: Money,
    /// What was earned, to the penny.
    pub earned: Money,
    /// The rest of the pot.
    pub unearned: Money,
    /// `Σ weight × score`.
    pub earned_fraction: f64,
    /// Each metric's score and earnings, which sum to `earned`.
    pub metrics: Vec<MetricEarned>,
}

fn to_f64(d: Decimal) -> f64 {
    d.to_string().parse().unwrap_or(f64::NAN)
}

/// An outcome pot: a share of contract value paid on metrics graded from a floor (nothing) to a
/// target (in full), linearly and capped at both ends (`score = clamp((achieved − floor) ÷
/// (target − floor), 0, 1)`; a floor above the target grades a lower-is-better metric). The
/// earned fraction is `Σ weight × score`; `earned = pot × fraction` rounded once and `unearned =
/// pot − earned`, so the two sum to the pot; each metric's part is split from `earned` by
/// `weight × score` to the penny by largest remainder.
///
/// The linear graded shape is the shape of CQUIN indicators with minimum and maximum
/// thresholds; local outcome contracts set their own floors, targets and weights.
///
/// # Examples
///
/// ```
/// use commissioning_risk::scheme::{outcome_pot, OutcomeMetric};
/// use commissioning_model::{Decimal, Money};
///
/// let d = |s: &str| s.parse::<Decimal>().unwrap();
/// let metrics = [
///     OutcomeMetric::new("m1", d("0.5"), d("0"), d("3"), d("1")),
///     OutcomeMetric::new("m2", d("0.5"), d("0"), d("3"), d("2")),
/// ];
/// let p = outcome_pot("1000000.00".parse()?, "0.01".parse()?, &metrics)?;
/// assert_eq!(p.earned, Money::from_pounds(5_000));
/// assert_eq!(p.metrics[0].earned, "1666.67".parse::<Money>()?);
/// assert_eq!(p.earned.checked_add(p.unearned)?, p.pot);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
///
/// # Errors
///
/// [`RiskError::InvalidInput`] for no metrics, a negative weight, weights that do not sum to
/// exactly 1, or a floor equal to the target.
pub fn outcome_pot(
    contract_value: Money,
    pot_share: Share,
    metrics: &[OutcomeMetric],
) -> Result<OutcomePot> {
    if metrics.is_empty() {
        return Err(RiskError::input(
            "metrics",
            "at least one metric is required",
        ));
    }
    let mut total_weight = Decimal::ZERO;
    for (i, m) in metrics.iter().enumerate() {
        if m.weight.is_sign_negative() && !m.weight.is_zero() {
            return Err(RiskError::input(
                format!("metrics[{i}].weight"),
                "must not be negative",
            ));
        }
        if m.floor == m.target {
            return Err(RiskError::input(
                format!("metrics[{i}].target"),
                "must differ from the floor",
            ));
        }
        total_weight = total_weight
            .checked_add(m.weight)
            .ok_or_else(|| overflow("outcome weights"))?;
    }
    if total_weight != Decimal::ONE {
        return Err(RiskError::input(
            "metrics",
            format!("the weights must sum to exactly 1, got {total_weight}"),
        ));
    }
    let pot = pot_share.of(contract_value)?.round(Rounding::HalfUp);
    let mut scores = Vec::with_capacity(metrics.len());
    let mut fraction = Decimal::ZERO;
    let mut shares = Vec::with_capacity(metrics.len());
    for m in metrics {
        let span = m
            .target
            .checked_sub(m.floor)
            .ok_or_else(|| overflow("outcome span"))?;
        let score = m
            .achieved
            .checked_sub(m.floor)
            .and_then(|a| a.checked_div(span))
            .ok_or_else(|| overflow("outcome score"))?
            .clamp(Decimal::ZERO, Decimal::ONE);
        let share = m
            .weight
            .checked_mul(score)
            .ok_or_else(|| overflow("outcome share"))?;
        fraction = fraction
            .checked_add(share)
            .ok_or_else(|| overflow("outcome fraction"))?;
        scores.push(score);
        shares.push(share);
    }
    let earned = pot.checked_mul_decimal(fraction)?.round(Rounding::HalfUp);
    let parts = if earned.is_zero() || shares.iter().all(Decimal::is_zero) {
        vec![Money::ZERO; metrics.len()]
    } else {
        allocate(earned, &shares, Rounding::HalfUp)?
    };
    Ok(OutcomePot {
        pot,
        earned,
        unearned: pot.checked_sub(earned)?,
        earned_fraction: to_f64(fraction),
        metrics: metrics
            .iter()
            .zip(scores)
            .zip(parts)
            .map(|((m, s), e)| MetricEarned {
                id: m.id.clone(),
                score: to_f64(s),
                earned: e,
            })
            .collect(),
    })
}

/// The value-weighted elective activity of a year against its 2019/20 baseline and a target:
/// each line's activity times its unit price, summed, as a share of the baseline value.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[non_exhaustive]
pub struct ValueWeightedActivity {
    /// The year's activity at the prices given.
    pub value: Money,
    /// The 2019/20 baseline at the same prices.
    pub baseline_value: Money,
    /// `value ÷ baseline`, e.g. 1.07 for 107%.
    pub percent_of_baseline: f64,
    /// The target as a share of the baseline (e.g. 1.07).
    pub target: f64,
    /// The value the target asks for: `target × baseline`, to the penny.
    pub target_value: Money,
    /// `value − target_value`: above the target when positive.
    pub above_target: Money,
}

/// One line of elective activity: a count at a unit price.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
#[non_exhaustive]
pub struct WeightedLine {
    /// The activity (spells, attendances, procedures).
    #[cfg_attr(feature = "schema", schemars(with = "String"))]
    #[serde(with = "commissioning_model::decimal::serde_decimal")]
    pub activity: Decimal,
    /// Its unit price (the same year's prices for the year and the baseline).
    pub unit_price: Money,
}

impl WeightedLine {
    /// A line.
    pub fn new(activity: Decimal, unit_price: Money) -> Self {
        Self {
            activity,
            unit_price,
        }
    }
}

/// Value-weighted elective activity (NHS England's measure of elective recovery, "value-based
/// activity": activity weighted by its unit price, so that a day case and an outpatient
/// follow-up count by what they cost), as a share of the 2019/20 baseline at the same prices,
/// against a national or ICB target (`target`, e.g. 1.07 for 107%).
///
/// # Examples
///
/// ```
/// use commissioning_risk::scheme::{value_weighted_activity, WeightedLine};
/// use commissioning_model::{Decimal, Money};
///
/// let year = [WeightedLine::new(Decimal::from(1_100), Money::from_pounds(1_000)),
///             WeightedLine::new(Decimal::from(4_000), Money::from_pounds(100))];
/// let base = [WeightedLine::new(Decimal::from(1_000), Money::from_pounds(1_000)),
///             WeightedLine::new(Decimal::from(4_000), Money::from_pounds(100))];
/// let v = value_weighted_activity(&year, &base, Decimal::new(107, 2))?;
/// assert_eq!(v.value, Money::from_pounds(1_500_000));
/// assert!((v.percent_of_baseline - 1.5 / 1.4).abs() < 1e-12); // 107.1%
/// assert_eq!(v.above_target, Money::from_pounds(2_000)); // £1.5m against 107% of £1.4m
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
///
/// # Errors
///
/// [`RiskError::InvalidInput`] for a negative activity, price or target, or a baseline of zero.
pub fn value_weighted_activity(
    year: &[WeightedLine],
    baseline: &[WeightedLine],
    target: Decimal,
) -> Result<ValueWeightedActivity> {
    let total = |field: &str, lines: &[WeightedLine]| -> Result<Money> {
        let mut sum = Money::ZERO;
        for (i, l) in lines.iter().enumerate() {
            if l.activity.is_sign_negative() && !l.activity.is_zero() || l.unit_price.is_negative()
            {
                return Err(RiskError::input(
                    format!("{field}[{i}]"),
                    "activity and unit price must not be negative",
                ));
            }
            sum = sum.checked_add(l.unit_price.checked_mul_decimal(l.activity)?)?;
        }
        Ok(sum)
    };
    if target.is_sign_negative() && !target.is_zero() {
        return Err(RiskError::input("target", "must not be negative"));
    }
    let value = total("year", year)?;
    let baseline_value = total("baseline", baseline)?;
    if baseline_value.is_zero() {
        return Err(RiskError::input(
            "baseline",
            "the baseline has no value to compare with",
        ));
    }
    let ratio = value
        .amount()
        .checked_div(baseline_value.amount())
        .ok_or_else(|| overflow("value-weighted activity"))?;
    let target_value = baseline_value.checked_mul_decimal(target)?;
    Ok(ValueWeightedActivity {
        value: value.round(Rounding::HalfUp),
        baseline_value: baseline_value.round(Rounding::HalfUp),
        percent_of_baseline: to_f64(ratio),
        target: to_f64(target),
        target_value: target_value.round(Rounding::HalfUp),
        above_target: value.checked_sub(target_value)?.round(Rounding::HalfUp),
    })
}

/// What a notified payment limit leaves payable.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[non_exhaustive]
pub struct PaymentLimit {
    /// Whether the limit applies (the planned value is above the de minimis).
    pub applies: bool,
    /// What the commissioner pays.
    pub paid: Money,
    /// Activity delivered above the limit, which the commissioner is not obliged to pay for.
    pub unpaid: Money,
}

/// A notified payment limit on activity-based services, as the draft NHS Standard Contract
/// 2025/26 proposed it: for services whose activity-based payments were likely to exceed
/// £100,000 a year, the commissioner could notify a limit, the provider had still to accept
/// referrals, and the commissioner was not obliged to pay above the limit. NHS England withdrew
/// the proposal before the final 2025/26 contract (its response of 8 May 2025), so this is a
/// building block for local agreements and modelling, not a current national rule; the de
/// minimis (`£100,000` in the draft) is a parameter.
///
/// # Examples
///
/// ```
/// use commissioning_risk::scheme::payment_limit;
/// use commissioning_model::Money;
///
/// let p = payment_limit(Money::from_pounds(1_250_000), Money::from_pounds(1_100_000),
///                       Money::from_pounds(1_000_000), Money::from_pounds(100_000))?;
/// assert!(p.applies);
/// assert_eq!((p.paid, p.unpaid), (Money::from_pounds(1_100_000), Money::from_pounds(150_000)));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
///
/// # Errors
///
/// [`RiskError::InvalidInput`] for a negative amount.
pub fn payment_limit(
    activity_value: Money,
    limit: Money,
    planned_value: Money,
    de_minimis: Money,
) -> Result<PaymentLimit> {
    for (field, m) in [
        ("activity_value", activity_value),
        ("limit", limit),
        ("planned_value", planned_value),
        ("de_minimis", de_minimis),
    ] {
        if m.is_negative() {
            return Err(RiskError::input(field, "must not be negative"));
        }
    }
    let applies = planned_value > de_minimis;
    let paid = if applies {
        activity_value.min(limit)
    } else {
        activity_value
    };
    Ok(PaymentLimit {
        applies,
        paid,
        unpaid: activity_value.checked_sub(paid)?,
    })
}

commissioning_model::words_from_str!(
    MffRounding => "MFF rounding",
    ProviderType => "provider type",
    CommissionerType => "commissioner type",
    Mechanism => "payment mechanism",
);
commissioning_model::words_display!(MffRounding, ProviderType, CommissionerType, Mechanism);
