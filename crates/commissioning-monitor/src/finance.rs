//! Financial performance: plan against actual by month and year to date, a forecast outturn,
//! and the split of a money variance into price, volume and mix effects.
//!
//! # Price, volume and mix
//!
//! For lines `i` with planned volume `Qᵢ` at planned price `Pᵢ` and actual volume `qᵢ` at actual
//! price `pᵢ` (the standard sales-variance analysis of management accounting: CIMA *Official
//! Terminology*, 2005; Horngren, *Cost Accounting*):
//!
//! - price effect `= (pᵢ − Pᵢ) × qᵢ`;
//! - volume effect `= (Σq − ΣQ) × (Qᵢ / ΣQ) × Pᵢ`, the change in total volume at the planned
//!   mix and prices;
//! - mix effect `= (qᵢ − Σq × Qᵢ / ΣQ) × Pᵢ`, the shift between lines at planned prices.
//!
//! The three add up to `pᵢqᵢ − PᵢQᵢ` exactly. Planned and actual values are rounded to pence and a
//! line's variance is the difference of the rounded values; its price and volume effects are
//! rounded to pence once and its mix effect is the variance less the other two, so every row
//! reads `actual − planned = price + volume + mix` to the penny, and so do the totals. With no
//! planned volume at all, the mix is undefined: the whole quantity change is volume.

use commissioning_model::decimal::serde_decimal;
use commissioning_model::period::FyMonth;
use commissioning_model::{Decimal, Money, Rounding};
use serde::{Deserialize, Serialize};

use crate::error::{MonitorError, Result};

/// A line's plan and outturn for price–volume–mix analysis.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
#[non_exhaustive]
pub struct PvmLine {
    /// The line (a service, a point of delivery).
    pub id: String,
    /// Planned volume.
    #[cfg_attr(feature = "schema", schemars(with = "String"))]
    #[serde(with = "serde_decimal")]
    pub planned_volume: Decimal,
    /// Planned price per unit.
    pub planned_price: Money,
    /// Actual volume.
    #[cfg_attr(feature = "schema", schemars(with = "String"))]
    #[serde(with = "serde_decimal")]
    pub actual_volume: Decimal,
    /// Actual price per unit.
    pub actual_price: Money,
}

impl PvmLine {
    /// A line.
    pub fn new(
        id: impl Into<String>,
        planned_volume: Decimal,
        planned_price: Money,
        actual_volume: Decimal,
        actual_price: Money,
    ) -> Self {
        Self {
            id: id.into(),
            planned_volume,
            planned_price,
            actual_volume,
            actual_price,
        }
    }
}

/// The effects on one line (or the total).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
#[non_exhaustive]
pub struct Effects {
    /// The line, or `"total"`.
    pub id: String,
    /// Planned value `Q × P`, rounded.
    pub planned: Money,
    /// Actual value `q × p`, rounded.
    pub actual: Money,
    /// Price effect.
    pub price: Money,
    /// Volume effect.
    pub volume: Money,
    /// Mix effect.
    pub mix: Money,
    /// Actual − planned: price + volume + mix.
    pub variance: Money,
}

/// Splits the money variance of a set of lines into price, volume and mix effects.
///
/// ```
/// use commissioning_model::{Decimal, Money};
/// use commissioning_monitor::finance::{price_volume_mix, PvmLine};
///
/// let lines = [
///     PvmLine::new("elective", Decimal::from(100), Money::from_pounds(1_000), Decimal::from(90), Money::from_pounds(1_050)),
///     PvmLine::new("day case", Decimal::from(100), Money::from_pounds(500), Decimal::from(130), Money::from_pounds(500)),
/// ];
/// let (_, total) = price_volume_mix(&lines)?;
/// assert_eq!(total.price, Money::from_pounds(4_500));   // 50 × 90
/// assert_eq!(total.volume, Money::from_pounds(15_000)); // 20 more cases at the planned mix
/// assert_eq!(total.mix, Money::from_pounds(-10_000));   // the shift to cheaper day cases
/// assert_eq!(total.variance, Money::from_pounds(9_500)); // £159,500 against £150,000
/// # Ok::<(), commissioning_monitor::MonitorError>(())
/// ```
///
/// # Errors
///
/// [`MonitorError::InvalidInput`] for no lines, negative volumes or prices, or duplicate ids;
/// overflow errors from the model.
pub fn price_volume_mix(lines: &[PvmLine]) -> Result<(Vec<Effects>, Effects)> {
    if lines.is_empty() {
        return Err(MonitorError::input(
            "lines",
            "at least one line is required",
        ));
    }
    let mut seen = std::collections::BTreeSet::new();
    for (i, l) in lines.iter().enumerate() {
        if !seen.insert(l.id.as_str()) {
            return Err(MonitorError::input(
                format!("lines[{i}].id"),
                format!("duplicate line {:?}", l.id),
            ));
        }
        for (name, v) in [
            ("planned_volume", l.planned_volume),
            ("actual_volume", l.actual_volume),
        ] {
            if v.is_sign_negative() && !v.is_zero() {
                return Err(MonitorError::input(
                    format!("lines[{i}].{name}"),
                    "must not be negative",
                ));
            }
        }
        for (name, m) in [
            ("planned_price", l.planned_price),
            ("actual_price", l.actual_price),
        ] {
            if m.is_negative() {
                return Err(MonitorError::input(
                    format!("lines[{i}].{name}"),
                    "must not be negative",
                ));
            }
        }
    }
    let overflow = || MonitorError::input("lines", "volumes too large to add");
    let planned_q = lines
        .iter()
        .try_fold(Decimal::ZERO, |a, l| a.checked_add(l.planned_volume))
        .ok_or_else(overflow)?;
    let actual_q = lines
        .iter()
        .try_fold(Decimal::ZERO, |a, l| a.checked_add(l.actual_volume))
        .ok_or_else(overflow)?;
    let mut out = Vec::with_capacity(lines.len());
    let mut total = Effects {
        id: "total".into(),
        ..Effects::default()
    };
    for l in lines {
        let planned = l.planned_price.checked_mul_decimal(l.planned_volume)?;
        let actual = l.actual_price.checked_mul_decimal(l.actual_volume)?;
        // The variance of the rounded values, so that each row reads actual − planned exactly.
        let variance = actual
            .round(Rounding::HalfUp)
            .checked_sub(planned.round(Rounding::HalfUp))?;
        let price = l
            .actual_price
            .checked_sub(l.planned_price)?
            .checked_mul_decimal(l.actual_volume)?
            .round(Rounding::HalfUp);
        let volume = if planned_q.is_zero() {
            // No plan to take a mix from: the whole change in quantity is volume.
            l.planned_price.checked_mul_decimal(
                l.actual_volume
                    .checked_sub(l.planned_volume)
                    .ok_or_else(overflow)?,
            )?
        } else {
            let share = l
                .planned_volume
                .checked_div(planned_q)
                .ok_or_else(overflow)?;
            let change = actual_q.checked_sub(planned_q).ok_or_else(overflow)?;
            l.planned_price
                .checked_mul_decimal(change)?
                .checked_mul_decimal(share)?
        }
        .round(Rounding::HalfUp);
        let mix = variance.checked_sub(price)?.checked_sub(volume)?;
        let e = Effects {
            id: l.id.clone(),
            planned: planned.round(Rounding::HalfUp),
            actual: actual.round(Rounding::HalfUp),
            price,
            volume,
            mix,
            variance,
        };
        total.planned = total.planned.checked_add(e.planned)?;
        total.actual = total.actual.checked_add(e.actual)?;
        total.price = total.price.checked_add(price)?;
        total.volume = total.volume.checked_add(volume)?;
        total.mix = total.mix.checked_add(mix)?;
        total.variance = total.variance.checked_add(variance)?;
        out.push(e);
    }
    Ok((out, total))
}

/// A budget line: a plan for each month of the year and actuals so far.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
#[non_exhaustive]
pub struct BudgetLine {
    /// The line.
    pub id: String,
    /// Planned spend for M1 to M12.
    pub plan: Vec<Money>,
    /// Actual spend for M1 onwards (as many months as are known).
    pub actual: Vec<Money>,
}

impl BudgetLine {
    /// A budget line.
    pub fn new(id: impl Into<String>, plan: Vec<Money>, actual: Vec<Money>) -> Self {
        Self {
            id: id.into(),
            plan,
            actual,
        }
    }
}

/// Plan against actual for one line (or the total) at a month.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
#[non_exhaustive]
pub struct BudgetPosition {
    /// The line, or `"total"`.
    pub id: String,
    /// Planned in the month.
    pub month_plan: Money,
    /// Actual in the month.
    pub month_actual: Money,
    /// Actual − plan in the month.
    pub month_variance: Money,
    /// Planned year to date.
    pub ytd_plan: Money,
    /// Actual year to date.
    pub ytd_actual: Money,
    /// Actual − plan year to date.
    pub ytd_variance: Money,
    /// The plan for the whole year.
    pub annual_plan: Money,
    /// Run-rate forecast outturn: year to date × 12 ÷ months, rounded to pence.
    pub forecast_run_rate: Money,
    /// Year-to-date actual plus the plan for the remaining months.
    pub forecast_plan_completed: Money,
}

/// Reports plan against actual at month `month` (actuals after it are ignored).
///
/// ```
/// use commissioning_model::{Money, period::FyMonth};
/// use commissioning_monitor::finance::{budget_position, BudgetLine};
///
/// let line = BudgetLine::new("stroke", vec![Money::from_pounds(100); 12], vec![Money::from_pounds(110); 3]);
/// let (_, total) = budget_position(&[line], FyMonth::try_new(3)?)?;
/// assert_eq!(total.ytd_variance, Money::from_pounds(30));
/// assert_eq!(total.forecast_run_rate, Money::from_pounds(1_320));
/// assert_eq!(total.forecast_plan_completed, Money::from_pounds(1_230));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
///
/// # Errors
///
/// [`MonitorError::InvalidInput`] for a plan that is not twelve months, fewer actual months
/// than the reporting month, or duplicate ids.
pub fn budget_position(
    lines: &[BudgetLine],
    month: FyMonth,
) -> Result<(Vec<BudgetPosition>, BudgetPosition)> {
    let m = usize::from(month.number());
    let mut seen = std::collections::BTreeSet::new();
    let mut out = Vec::with_capacity(lines.len());
    let mut total = BudgetPosition {
        id: "total".into(),
        ..BudgetPosition::default()
    };
    for (i, l) in lines.iter().enumerate() {
        if !seen.insert(l.id.as_str()) {
            return Err(MonitorError::input(
                format!("lines[{i}].id"),
                format!("duplicate line {:?}", l.id),
            ));
        }
        if l.plan.len() != 12 {
            return Err(MonitorError::input(
                format!("lines[{i}].plan"),
                format!("needs 12 months, got {}", l.plan.len()),
            ));
        }
        if l.actual.len() < m {
            return Err(MonitorError::input(
                format!("lines[{i}].actual"),
                format!(
                    "has {} months; reporting at {month} needs {m}",
                    l.actual.len()
                ),
            ));
        }
        let sum = |v: &[Money]| Money::checked_sum(v.iter().copied());
        let month_plan = l.plan.get(m.saturating_sub(1)).copied().unwrap_or_default();
        let month_actual = l
            .actual
            .get(m.saturating_sub(1))
            .copied()
            .unwrap_or_default();
        let ytd_plan = sum(l.plan.get(..m).unwrap_or(&[]))?;
        let ytd_actual = sum(l.actual.get(..m).unwrap_or(&[]))?;
        let annual_plan = sum(&l.plan)?;
        let remaining = sum(l.plan.get(m..).unwrap_or(&[]))?;
        let p = BudgetPosition {
            id: l.id.clone(),
            month_plan,
            month_actual,
            month_variance: month_actual.checked_sub(month_plan)?,
            ytd_plan,
            ytd_actual,
            ytd_variance: ytd_actual.checked_sub(ytd_plan)?,
            annual_plan,
            forecast_run_rate: ytd_actual
                .checked_mul_decimal(Decimal::from(12))?
                .checked_div_decimal(Decimal::from(m))?
                .round(Rounding::HalfUp),
            forecast_plan_completed: ytd_actual.checked_add(remaining)?,
        };
        total.month_plan = total.month_plan.checked_add(p.month_plan)?;
        total.month_actual = total.month_actual.checked_add(p.month_actual)?;
        total.month_variance = total.month_variance.checked_add(p.month_variance)?;
        total.ytd_plan = total.ytd_plan.checked_add(p.ytd_plan)?;
        total.ytd_actual = total.ytd_actual.checked_add(p.ytd_actual)?;
        total.ytd_variance = total.ytd_variance.checked_add(p.ytd_variance)?;
        total.annual_plan = total.annual_plan.checked_add(p.annual_plan)?;
        total.forecast_run_rate = total.forecast_run_rate.checked_add(p.forecast_run_rate)?;
        total.forecast_plan_completed = total
            .forecast_plan_completed
            .checked_add(p.forecast_plan_completed)?;
        out.push(p);
    }
    Ok((out, total))
}
