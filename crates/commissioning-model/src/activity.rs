//! Planned and actual activity, and the variance between them in activity and in money.
//!
//! A schedule is a list of entries keyed by contract line, point of delivery and month of the
//! financial year. [`compare`] sets a plan against actuals up to a reporting month and gives,
//! for each line and point of delivery, the variance in the month and year to date, and a
//! forecast outturn for the year.
//!
//! # Conventions
//!
//! - Plan and actuals for the same line and point of delivery must count activity in the same
//!   unit; otherwise the comparison is an error, never a silent mix of spells and bed days.
//! - Money is compared only where both sides carry a value for every entry of that line (set
//!   the values directly, or with [`ActivitySchedule::priced`]); otherwise the money fields are
//!   absent. Months without entries count as zero.
//! - Actuals after the reporting month are ignored.
//! - The run-rate forecast is `year-to-date actual × 12 ÷ months elapsed`; the alternative
//!   `year-to-date actual + plan for the remaining months` is given beside it. Forecast
//!   activity is rounded to two decimal places and forecast money to pence, half-up, once.

use rust_decimal::{Decimal, RoundingStrategy};
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet, HashMap};

use crate::decimal::serde_decimal;
use crate::error::{ModelError, Result};
use crate::money::{Money, Rounding};
use crate::period::{FinancialYear, FyMonth};
use crate::service::{ActivityUnit, PointOfDelivery, same_unit};

/// One line of a plan or of actuals.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
#[non_exhaustive]
pub struct ActivityEntry {
    /// The contract line's id.
    pub line: String,
    /// The point of delivery.
    pub point_of_delivery: PointOfDelivery,
    /// The month of the financial year.
    pub month: FyMonth,
    /// The unit of activity.
    pub unit: ActivityUnit,
    /// How much activity.
    #[cfg_attr(feature = "schema", schemars(with = "String"))]
    #[serde(with = "serde_decimal")]
    pub quantity: Decimal,
    /// Its money value, where known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub value: Option<Money>,
}

impl ActivityEntry {
    /// An entry without a money value, counted in the point of delivery's usual unit.
    pub fn new(
        line: impl Into<String>,
        point_of_delivery: PointOfDelivery,
        month: FyMonth,
        quantity: Decimal,
    ) -> Self {
        Self {
            line: line.into(),
            point_of_delivery,
            month,
            unit: point_of_delivery.unit(),
            quantity,
            value: None,
        }
    }

    /// The same entry with a money value.
    #[must_use]
    pub fn with_value(mut self, value: Money) -> Self {
        self.value = Some(value);
        self
    }
}

/// A plan or a set of actuals for one financial year; each (line, point of delivery, month)
/// appears at most once.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(try_from = "RawSchedule", into = "RawSchedule")]
pub struct ActivitySchedule {
    year: FinancialYear,
    entries: Vec<ActivityEntry>,
}

#[derive(Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
struct RawSchedule {
    year: FinancialYear,
    entries: Vec<ActivityEntry>,
}

impl TryFrom<RawSchedule> for ActivitySchedule {
    type Error = ModelError;
    fn try_from(raw: RawSchedule) -> Result<Self> {
        Self::try_new(raw.year, raw.entries)
    }
}

impl From<ActivitySchedule> for RawSchedule {
    fn from(s: ActivitySchedule) -> Self {
        Self {
            year: s.year,
            entries: s.entries,
        }
    }
}

impl ActivitySchedule {
    /// A schedule from its entries.
    ///
    /// # Errors
    ///
    /// [`ModelError::Duplicate`] when a (line, point of delivery, month) repeats;
    /// [`ModelError::OutOfRange`] for negative quantities or values.
    pub fn try_new(year: FinancialYear, entries: Vec<ActivityEntry>) -> Result<Self> {
        let mut seen = BTreeSet::new();
        for (i, e) in entries.iter().enumerate() {
            if e.quantity.is_sign_negative() && !e.quantity.is_zero() {
                return Err(ModelError::out_of_range(
                    format!("entries[{i}].quantity"),
                    e.quantity,
                    "zero or more",
                ));
            }
            if e.value.is_some_and(Money::is_negative) {
                return Err(ModelError::out_of_range(
                    format!("entries[{i}].value"),
                    e.value.map(|v| v.amount()).unwrap_or_default(),
                    "zero or more",
                ));
            }
            if !seen.insert((e.line.as_str(), e.point_of_delivery, e.month)) {
                return Err(ModelError::Duplicate {
                    field: format!("entries[{i}]"),
                    what: "line, point of delivery and month",
                    id: format!("{} / {} / {}", e.line, e.point_of_delivery, e.month),
                });
            }
        }
        Ok(Self { year, entries })
    }

    /// The financial year.
    pub const fn year(&self) -> FinancialYear {
        self.year
    }

    /// The entries, in the order given.
    pub fn entries(&self) -> &[ActivityEntry] {
        &self.entries
    }

    /// The same schedule with every entry valued at its line's price (`quantity × price`,
    /// exact). Lines missing from `prices` keep the values they had.
    ///
    /// # Errors
    ///
    /// [`ModelError::Overflow`] when a value does not fit.
    pub fn priced(&self, prices: &BTreeMap<String, Money>) -> Result<Self> {
        let mut out = self.clone();
        for e in &mut out.entries {
            if let Some(price) = prices.get(&e.line) {
                e.value = Some(price.checked_mul_decimal(e.quantity)?);
            }
        }
        Ok(out)
    }
}

/// Plan against actual over a span of months.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
#[non_exhaustive]
pub struct Comparison {
    /// Planned activity.
    #[cfg_attr(feature = "schema", schemars(with = "String"))]
    #[serde(with = "serde_decimal")]
    pub planned: Decimal,
    /// Actual activity.
    #[cfg_attr(feature = "schema", schemars(with = "String"))]
    #[serde(with = "serde_decimal")]
    pub actual: Decimal,
    /// Actual minus planned.
    #[cfg_attr(feature = "schema", schemars(with = "String"))]
    #[serde(with = "serde_decimal")]
    pub variance: Decimal,
    /// The variance as a fraction of plan, to six decimal places; absent when the plan is zero.
    #[cfg_attr(feature = "schema", schemars(with = "Option<String>"))]
    #[serde(
        default,
        with = "crate::decimal::serde_decimal_opt",
        skip_serializing_if = "Option::is_none"
    )]
    pub variance_fraction: Option<Decimal>,
    /// Planned money value, where both sides are valued.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub planned_value: Option<Money>,
    /// Actual money value, where both sides are valued.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub actual_value: Option<Money>,
    /// Actual minus planned money, where both sides are valued.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub value_variance: Option<Money>,
}

/// A forecast outturn for the whole year.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
#[non_exhaustive]
pub struct Forecast {
    /// Planned activity for the year.
    #[cfg_attr(feature = "schema", schemars(with = "String"))]
    #[serde(with = "serde_decimal")]
    pub planned: Decimal,
    /// Run rate: year-to-date actual × 12 ÷ months elapsed, to two decimal places.
    #[cfg_attr(feature = "schema", schemars(with = "String"))]
    #[serde(with = "serde_decimal")]
    pub run_rate: Decimal,
    /// Year-to-date actual plus the plan for the remaining months.
    #[cfg_attr(feature = "schema", schemars(with = "String"))]
    #[serde(with = "serde_decimal")]
    pub actual_plus_remaining_plan: Decimal,
    /// Planned money for the year, where valued.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub planned_value: Option<Money>,
    /// Run-rate money outturn, rounded to pence, where valued.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub run_rate_value: Option<Money>,
}

/// The variance for one line and point of delivery.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
#[non_exhaustive]
pub struct LineVariance {
    /// The contract line.
    pub line: String,
    /// The point of delivery.
    pub point_of_delivery: PointOfDelivery,
    /// The unit of activity.
    pub unit: ActivityUnit,
    /// The reporting month alone.
    pub in_month: Comparison,
    /// M1 to the reporting month.
    pub year_to_date: Comparison,
    /// The forecast outturn.
    pub forecast: Forecast,
}

/// Money totals across every valued line.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
#[non_exhaustive]
pub struct MoneyTotals {
    /// Planned value in the month.
    pub in_month_planned: Money,
    /// Actual value in the month.
    pub in_month_actual: Money,
    /// Planned value year to date.
    pub ytd_planned: Money,
    /// Actual value year to date.
    pub ytd_actual: Money,
    /// Actual minus planned, year to date.
    pub ytd_variance: Money,
    /// Planned value for the year.
    pub annual_planned: Money,
    /// Run-rate outturn: the sum of the lines' rounded forecasts.
    pub forecast_outturn: Money,
}

/// The comparison of a plan with actuals at a reporting month.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
#[non_exhaustive]
pub struct VarianceReport {
    /// The financial year.
    pub year: FinancialYear,
    /// The reporting month.
    pub month: FyMonth,
    /// One row per line and point of delivery, sorted by line id then point of delivery.
    pub lines: Vec<LineVariance>,
    /// Totals over the lines valued on both sides; lines without values are left out.
    pub totals: MoneyTotals,
}

#[derive(Default)]
struct Side {
    unit: Option<ActivityUnit>,
    quantity: [Decimal; 12],
    value: [Decimal; 12],
    fully_valued: bool,
    any: bool,
}

impl Side {
    /// Adds an entry; `field` names it in an error and is only called on failure.
    fn add(&mut self, e: &ActivityEntry, field: impl FnOnce() -> String) -> Result<()> {
        if let Some(u) = self.unit {
            if u != e.unit {
                same_unit(&field(), u, e.unit)?;
            }
        } else {
            self.unit = Some(e.unit);
            self.fully_valued = true;
        }
        self.any = true;
        let i = usize::from(e.month.number()).saturating_sub(1);
        if let Some(q) = self.quantity.get_mut(i) {
            *q = q
                .checked_add(e.quantity)
                .ok_or_else(|| ModelError::overflow("activity total"))?;
        }
        match e.value {
            Some(v) => {
                if let Some(slot) = self.value.get_mut(i) {
                    *slot = slot
                        .checked_add(v.amount())
                        .ok_or_else(|| ModelError::overflow("activity value total"))?;
                }
            }
            None => self.fully_valued = false,
        }
        Ok(())
    }

    fn sum(values: &[Decimal; 12], months: std::ops::RangeInclusive<usize>) -> Result<Decimal> {
        values
            .get(months)
            .unwrap_or(&[])
            .iter()
            .try_fold(Decimal::ZERO, |a, v| a.checked_add(*v))
            .ok_or_else(|| ModelError::overflow("activity total"))
    }
}

/// The position of an entry's (line, point of delivery) in `index`, adding it if new.
fn slot_for<'a>(
    index: &mut HashMap<(&'a str, PointOfDelivery), usize>,
    e: &'a ActivityEntry,
) -> usize {
    let next = index.len();
    *index
        .entry((e.line.as_str(), e.point_of_delivery))
        .or_insert(next)
}

fn comparison(
    plan: &Side,
    actual: &Side,
    months: std::ops::RangeInclusive<usize>,
    valued: bool,
) -> Result<Comparison> {
    let planned = Side::sum(&plan.quantity, months.clone())?;
    let act = Side::sum(&actual.quantity, months.clone())?;
    let variance = act
        .checked_sub(planned)
        .ok_or_else(|| ModelError::overflow("activity variance"))?;
    let variance_fraction = if planned.is_zero() {
        None
    } else {
        variance.checked_div(planned).map(|f| {
            f.round_dp_with_strategy(6, RoundingStrategy::MidpointAwayFromZero)
                .normalize()
        })
    };
    let (planned_value, actual_value, value_variance) = if valued {
        let pv = Money::new(Side::sum(&plan.value, months.clone())?);
        let av = Money::new(Side::sum(&actual.value, months)?);
        (Some(pv), Some(av), Some(av.checked_sub(pv)?))
    } else {
        (None, None, None)
    };
    Ok(Comparison {
        planned,
        actual: act,
        variance,
        variance_fraction,
        planned_value,
        actual_value,
        value_variance,
    })
}

/// Compares a plan with actuals at reporting month `month`.
///
/// # Examples
///
/// ```
/// use commissioning_model::activity::{compare, ActivityEntry, ActivitySchedule};
/// use commissioning_model::period::FyMonth;
/// use commissioning_model::service::PointOfDelivery;
/// use commissioning_model::{Money, Rounding};
/// use rust_decimal::Decimal;
///
/// let year = "2025/26".parse()?;
/// let plan = ActivitySchedule::try_new(year, FyMonth::all()
///     .map(|m| ActivityEntry::new("stroke", PointOfDelivery::NonElective, m, Decimal::from(100))
///         .with_value(Money::from_pounds(500_000)))
///     .collect())?;
/// let actual = ActivitySchedule::try_new(year, FyMonth::M1.to_date()
///     .chain(FyMonth::try_new(2)?.to_date().skip(1))
///     .map(|m| ActivityEntry::new("stroke", PointOfDelivery::NonElective, m, Decimal::from(110))
///         .with_value(Money::from_pounds(550_000)))
///     .collect())?;
/// let report = compare(&plan, &actual, FyMonth::try_new(2)?, Rounding::HalfUp)?;
/// let line = &report.lines[0];
/// assert_eq!(line.year_to_date.variance, Decimal::from(20));
/// assert_eq!(line.forecast.run_rate, Decimal::from(1320));
/// assert_eq!(report.totals.ytd_variance, Money::from_pounds(100_000));
/// assert_eq!(report.totals.forecast_outturn, Money::from_pounds(6_600_000));
/// # Ok::<(), commissioning_model::ModelError>(())
/// ```
///
/// # Errors
///
/// [`ModelError::InvalidFinancialYear`] when the schedules are for different years;
/// [`ModelError::UnitMismatch`] when a line is counted in different units;
/// [`ModelError::Overflow`] when a total does not fit.
pub fn compare(
    plan: &ActivitySchedule,
    actual: &ActivitySchedule,
    month: FyMonth,
    rounding: Rounding,
) -> Result<VarianceReport> {
    if plan.year != actual.year {
        return Err(ModelError::InvalidFinancialYear {
            input: actual.year.to_string(),
            reason: "the actuals are for a different financial year from the plan",
        });
    }
    // Aggregate through a hash index into a vector (cheap inserts of large accumulators), then
    // visit the keys in sorted order: no hash-map order reaches the output.
    let mut index: HashMap<(&str, PointOfDelivery), usize> = HashMap::new();
    let plan_slots: Vec<usize> = plan
        .entries
        .iter()
        .map(|e| slot_for(&mut index, e))
        .collect();
    let actual_slots: Vec<Option<usize>> = actual
        .entries
        .iter()
        .map(|e| (e.month <= month).then(|| slot_for(&mut index, e)))
        .collect();
    let mut sides: Vec<(Side, Side)> = (0..index.len()).map(|_| Default::default()).collect();
    let mut keys: Vec<((&str, PointOfDelivery), usize)> = index.into_iter().collect();
    keys.sort_unstable();
    for (i, (e, &k)) in plan.entries.iter().zip(&plan_slots).enumerate() {
        if let Some((p, _)) = sides.get_mut(k) {
            p.add(e, || format!("plan.entries[{i}].unit"))?;
        }
    }
    for (i, (e, k)) in actual.entries.iter().zip(&actual_slots).enumerate() {
        let Some((p, a)) = k.and_then(|k| sides.get_mut(k)) else {
            continue;
        };
        a.add(e, || format!("actual.entries[{i}].unit"))?;
        if let (Some(pu), Some(au)) = (p.unit, a.unit)
            && pu != au
        {
            same_unit(&format!("actual.entries[{i}].unit"), pu, au)?;
        }
    }

    let m = usize::from(month.number());
    let elapsed = Decimal::from(m);
    let twelve = Decimal::from(12);
    let mut lines = Vec::with_capacity(sides.len());
    let mut totals = MoneyTotals::default();
    let add = |a: &mut Money, b: Option<Money>| -> Result<()> {
        if let Some(b) = b {
            *a = a.checked_add(b)?;
        }
        Ok(())
    };
    for ((line, pod), k) in keys {
        let Some((p, a)) = sides.get(k) else {
            continue;
        };
        let unit = p.unit.or(a.unit).unwrap_or_else(|| pod.unit());
        // Valued when every entry on each side that has entries carries a value.
        let valued = (p.any || a.any) && (!p.any || p.fully_valued) && (!a.any || a.fully_valued);
        let in_month = comparison(p, a, m.saturating_sub(1)..=m.saturating_sub(1), valued)?;
        let ytd = comparison(p, a, 0..=m.saturating_sub(1), valued)?;
        let annual = comparison(p, a, 0..=11, valued)?;
        let remaining = Side::sum(&p.quantity, m..=11)?;
        let run_rate = ytd
            .actual
            .checked_mul(twelve)
            .and_then(|v| v.checked_div(elapsed))
            .ok_or_else(|| ModelError::overflow("run-rate forecast"))?
            .round_dp_with_strategy(2, RoundingStrategy::MidpointAwayFromZero)
            .normalize();
        let run_rate_value = match ytd.actual_value {
            Some(v) => Some(
                v.checked_mul_decimal(twelve)?
                    .checked_div_decimal(elapsed)?
                    .round(rounding),
            ),
            None => None,
        };
        let forecast = Forecast {
            planned: annual.planned,
            run_rate,
            actual_plus_remaining_plan: ytd
                .actual
                .checked_add(remaining)
                .ok_or_else(|| ModelError::overflow("forecast"))?,
            planned_value: annual.planned_value,
            run_rate_value,
        };
        if valued {
            add(&mut totals.in_month_planned, in_month.planned_value)?;
            add(&mut totals.in_month_actual, in_month.actual_value)?;
            add(&mut totals.ytd_planned, ytd.planned_value)?;
            add(&mut totals.ytd_actual, ytd.actual_value)?;
            add(&mut totals.annual_planned, annual.planned_value)?;
            add(&mut totals.forecast_outturn, run_rate_value)?;
        }
        lines.push(LineVariance {
            line: line.to_owned(),
            point_of_delivery: pod,
            unit,
            in_month,
            year_to_date: ytd,
            forecast,
        });
    }
    totals.ytd_variance = totals.ytd_actual.checked_sub(totals.ytd_planned)?;
    Ok(VarianceReport {
        year: plan.year,
        month,
        lines,
        totals,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(line: &str, m: u8, q: i64) -> ActivityEntry {
        let month = FyMonth::try_new(m).unwrap_or(FyMonth::M1);
        ActivityEntry::new(
            line,
            PointOfDelivery::OutpatientFirst,
            month,
            Decimal::from(q),
        )
    }

    #[test]
    fn lines_are_sorted_and_actual_only_lines_appear() -> Result<()> {
        let year = "2025/26".parse()?;
        let plan = ActivitySchedule::try_new(year, vec![entry("b", 1, 5), entry("a", 1, 5)])?;
        let actual = ActivitySchedule::try_new(year, vec![entry("c", 1, 3), entry("b", 1, 6)])?;
        let r = compare(&plan, &actual, FyMonth::M1, Rounding::HalfUp)?;
        let ids: Vec<&str> = r.lines.iter().map(|l| l.line.as_str()).collect();
        assert_eq!(ids, ["a", "b", "c"]);
        let c = r.lines.get(2).ok_or(ModelError::Empty {
            field: "lines".into(),
        })?;
        assert_eq!(
            (c.in_month.planned, c.in_month.actual),
            (Decimal::ZERO, Decimal::from(3))
        );
        assert_eq!(c.in_month.variance_fraction, None);
        Ok(())
    }

    #[test]
    fn different_units_cannot_be_compared() -> Result<()> {
        let year = "2025/26".parse()?;
        let plan = ActivitySchedule::try_new(year, vec![entry("a", 1, 10)])?;
        let mut wrong = entry("a", 1, 10);
        wrong.unit = ActivityUnit::BedDay;
        let actual = ActivitySchedule::try_new(year, vec![wrong])?;
        let err = compare(&plan, &actual, FyMonth::M1, Rounding::HalfUp);
        assert!(
            matches!(err, Err(ModelError::UnitMismatch { .. })),
            "{err:?}"
        );
        Ok(())
    }

    #[test]
    fn duplicates_and_negatives_are_rejected() -> Result<()> {
        let year = "2025/26".parse()?;
        assert!(ActivitySchedule::try_new(year, vec![entry("a", 1, 1), entry("a", 1, 2)]).is_err());
        assert!(ActivitySchedule::try_new(year, vec![entry("a", 1, -1)]).is_err());
        let json = r#"{"year":"2025/26","entries":[],"extra":1}"#;
        assert!(serde_json::from_str::<ActivitySchedule>(json).is_err());
        Ok(())
    }

    #[test]
    fn unvalued_lines_have_no_money_and_later_actuals_are_ignored() -> Result<()> {
        let year = "2025/26".parse()?;
        let plan = ActivitySchedule::try_new(year, (1..=12).map(|m| entry("a", m, 10)).collect())?;
        let actual = ActivitySchedule::try_new(
            year,
            vec![entry("a", 1, 12), entry("a", 2, 9), entry("a", 5, 99)],
        )?;
        let r = compare(&plan, &actual, FyMonth::try_new(2)?, Rounding::HalfUp)?;
        let l = r.lines.first().ok_or(ModelError::Empty {
            field: "lines".into(),
        })?;
        assert_eq!(l.year_to_date.actual, Decimal::from(21));
        assert_eq!(l.in_month.variance, Decimal::from(-1));
        assert_eq!(l.in_month.variance_fraction, Some(Decimal::new(-1, 1)));
        assert_eq!(l.year_to_date.value_variance, None);
        assert_eq!(l.forecast.run_rate, Decimal::from(126));
        assert_eq!(l.forecast.actual_plus_remaining_plan, Decimal::from(121));
        Ok(())
    }
}
