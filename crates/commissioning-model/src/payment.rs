//! Payment models: how the money due under a contract line is computed.
//!
//! The payment *model* (block, cost and volume, cost per case, blended, capitated) is separate
//! from the payment *mechanism* of the NHS Payment Scheme (see
//! [`crate::contract::PaymentMechanism`]). Every model answers two questions: what is the
//! expected annual value, and what is due for a billing period given the actual activity.
//!
//! # Conventions
//!
//! - Fixed annual elements (a block value, the fixed element of a blend, a capitation budget)
//!   are paid in twelve equal monthly instalments that sum exactly to the annual value
//!   ([`crate::instalments`]: the leftover pennies fall in the earliest months).
//! - A baseline or plan stated per year is apportioned evenly: a period of `k` months carries
//!   `k/12` of it.
//! - Variable elements are computed exactly and the period's total is rounded once, with the
//!   caller's [`Rounding`], to pence.

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use crate::allocation::instalments;
use crate::decimal::serde_decimal;
use crate::error::{ModelError, Result};
use crate::money::{Money, Rounding};
use crate::period::FyMonth;
use crate::rate::Share;

/// Which side of a baseline the variable element of a blend applies to.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum Variation {
    /// Activity above the baseline is paid and activity below it refunded, at the same rate.
    #[default]
    Symmetric,
    /// Only activity above the baseline changes the payment.
    AboveOnly,
    /// Only activity below the baseline changes the payment.
    BelowOnly,
}

/// A population group for a capitated payment.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
#[non_exhaustive]
pub struct CapitationGroup {
    /// An identifier for the group (a practice, an age band).
    pub id: String,
    /// Its population (heads or member months).
    #[cfg_attr(feature = "schema", schemars(with = "String"))]
    #[serde(with = "serde_decimal")]
    pub population: Decimal,
    /// Its risk weight; 1 when not risk adjusted.
    #[cfg_attr(feature = "schema", schemars(with = "String"))]
    #[serde(with = "serde_decimal", default = "one")]
    pub weight: Decimal,
}

impl CapitationGroup {
    /// A group with a population and a risk weight.
    pub fn new(id: impl Into<String>, population: Decimal, weight: Decimal) -> Self {
        Self {
            id: id.into(),
            population,
            weight,
        }
    }
}

fn one() -> Decimal {
    Decimal::ONE
}

/// How the money due under a contract line is computed.
///
/// Serialised with a `"kind"` tag, e.g.
/// `{"kind": "block", "annual_value": "1200000.00"}`.
///
/// # Examples
///
/// ```
/// use commissioning_model::payment::{BillingPeriod, PaymentModel, Variation};
/// use commissioning_model::{Money, Rounding, Share};
/// use rust_decimal::Decimal;
///
/// // A blend: £1.2m fixed, and 75% of the unit price on activity above or below 1,000 cases.
/// let blend = PaymentModel::Blended {
///     fixed: "1200000.00".parse()?,
///     unit_price: "2000.00".parse()?,
///     baseline_activity: Decimal::from(1000),
///     variable_rate: "0.75".parse()?,
///     variation: Variation::Symmetric,
/// };
/// let year = blend.amount_due(BillingPeriod::Year, Decimal::from(1100), Rounding::HalfUp)?;
/// assert_eq!(year.variable, "150000.00".parse::<Money>()?); // 0.75 × 2,000 × 100
/// assert_eq!(year.total, "1350000.00".parse::<Money>()?);
/// # Ok::<(), commissioning_model::ModelError>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(tag = "kind", rename_all = "snake_case", deny_unknown_fields)]
#[non_exhaustive]
pub enum PaymentModel {
    /// A fixed annual value paid in monthly instalments whatever the activity.
    Block {
        /// The annual contract value.
        annual_value: Money,
    },
    /// A price per unit of activity against an indicative plan.
    CostAndVolume {
        /// The price per unit.
        price: Money,
        /// The planned annual activity.
        #[cfg_attr(feature = "schema", schemars(with = "String"))]
        #[serde(with = "serde_decimal")]
        planned_activity: Decimal,
    },
    /// A price per case with no volume agreed in advance.
    CostPerCase {
        /// The price per case.
        price: Money,
        /// The expected cases a year, if an estimate is wanted.
        #[cfg_attr(feature = "schema", schemars(with = "Option<String>"))]
        #[serde(
            default,
            with = "crate::decimal::serde_decimal_opt",
            skip_serializing_if = "Option::is_none"
        )]
        expected_cases: Option<Decimal>,
    },
    /// A fixed element plus a variable rate on the value of activity above or below a baseline
    /// (the aligned payment and incentive blend, the blended emergency payment).
    Blended {
        /// The fixed annual element.
        fixed: Money,
        /// The unit price that values the activity.
        unit_price: Money,
        /// The annual baseline activity.
        #[cfg_attr(feature = "schema", schemars(with = "String"))]
        #[serde(with = "serde_decimal")]
        baseline_activity: Decimal,
        /// The share of the unit price paid (or refunded) per unit of variation.
        variable_rate: Share,
        /// Which side of the baseline counts.
        #[serde(default)]
        variation: Variation,
    },
    /// A rate per head of a (risk-weighted) population.
    Capitated {
        /// The annual rate per weighted head.
        rate_per_head: Money,
        /// The population groups and their weights.
        groups: Vec<CapitationGroup>,
    },
}

/// A period to bill for, within a financial year.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(tag = "kind", content = "month", rename_all = "snake_case")]
pub enum BillingPeriod {
    /// One month.
    Month(FyMonth),
    /// M1 up to and including the month.
    YearToDate(FyMonth),
    /// The whole year.
    Year,
}

impl BillingPeriod {
    /// The months the period covers.
    pub fn months(self) -> Vec<FyMonth> {
        match self {
            Self::Month(m) => vec![m],
            Self::YearToDate(m) => m.to_date().collect(),
            Self::Year => FyMonth::all().collect(),
        }
    }
}

/// What is due for a billing period, with its working.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
#[non_exhaustive]
pub struct PaymentDue {
    /// The period billed.
    pub period: BillingPeriod,
    /// The fixed element for the period (whole pence: the sum of its instalments).
    pub fixed: Money,
    /// The baseline or planned activity apportioned to the period, where the model has one.
    #[cfg_attr(feature = "schema", schemars(with = "Option<String>"))]
    #[serde(
        default,
        with = "crate::decimal::serde_decimal_opt",
        skip_serializing_if = "Option::is_none"
    )]
    pub baseline_activity: Option<Decimal>,
    /// The actual activity given.
    #[cfg_attr(feature = "schema", schemars(with = "String"))]
    #[serde(with = "serde_decimal")]
    pub actual_activity: Decimal,
    /// The variable element, rounded to pence.
    pub variable: Money,
    /// The amount due: fixed plus variable, rounded once to pence.
    pub total: Money,
}

fn non_negative(field: &str, value: Decimal) -> Result<()> {
    if value.is_sign_negative() && !value.is_zero() {
        Err(ModelError::out_of_range(field, value, "zero or more"))
    } else {
        Ok(())
    }
}

fn non_negative_money(field: &str, value: Money) -> Result<()> {
    non_negative(field, value.amount())
}

impl PaymentModel {
    /// Checks the model's own fields: prices, values and activity are not negative, and a
    /// capitated model has at least one group with unique ids.
    ///
    /// # Errors
    ///
    /// The first problem found, naming its field.
    pub fn check(&self) -> Result<()> {
        match self {
            Self::Block { annual_value } => non_negative_money("annual_value", *annual_value),
            Self::CostAndVolume {
                price,
                planned_activity,
            } => {
                non_negative_money("price", *price)?;
                non_negative("planned_activity", *planned_activity)
            }
            Self::CostPerCase {
                price,
                expected_cases,
            } => {
                non_negative_money("price", *price)?;
                expected_cases.map_or(Ok(()), |c| non_negative("expected_cases", c))
            }
            Self::Blended {
                fixed,
                unit_price,
                baseline_activity,
                ..
            } => {
                non_negative_money("fixed", *fixed)?;
                non_negative_money("unit_price", *unit_price)?;
                non_negative("baseline_activity", *baseline_activity)
            }
            Self::Capitated {
                rate_per_head,
                groups,
            } => {
                non_negative_money("rate_per_head", *rate_per_head)?;
                if groups.is_empty() {
                    return Err(ModelError::Empty {
                        field: "groups".to_owned(),
                    });
                }
                let mut seen = std::collections::BTreeSet::new();
                for (i, g) in groups.iter().enumerate() {
                    non_negative(&format!("groups[{i}].population"), g.population)?;
                    non_negative(&format!("groups[{i}].weight"), g.weight)?;
                    if !seen.insert(g.id.as_str()) {
                        return Err(ModelError::Duplicate {
                            field: format!("groups[{i}].id"),
                            what: "capitation group",
                            id: g.id.clone(),
                        });
                    }
                }
                Ok(())
            }
        }
    }

    /// The fixed annual element (zero for purely activity-based models).
    ///
    /// # Errors
    ///
    /// [`ModelError::Overflow`] for a capitation budget that does not fit.
    pub fn fixed_annual(&self) -> Result<Money> {
        match self {
            Self::Block { annual_value } => Ok(*annual_value),
            Self::Blended { fixed, .. } => Ok(*fixed),
            Self::Capitated {
                rate_per_head,
                groups,
            } => rate_per_head.checked_mul_decimal(weighted_population(groups)?),
            Self::CostAndVolume { .. } | Self::CostPerCase { .. } => Ok(Money::ZERO),
        }
    }

    /// The expected annual value, unrounded: the block value; price × planned activity; price ×
    /// expected cases; the fixed element of a blend (at baseline the variable element is zero);
    /// rate × weighted population.
    ///
    /// # Errors
    ///
    /// [`ModelError::Missing`] for cost per case without expected cases;
    /// [`ModelError::Overflow`] when the value does not fit.
    pub fn expected_annual_value(&self) -> Result<Money> {
        match self {
            Self::CostAndVolume {
                price,
                planned_activity,
            } => price.checked_mul_decimal(*planned_activity),
            Self::CostPerCase {
                price,
                expected_cases,
            } => {
                let cases = expected_cases.ok_or_else(|| ModelError::Missing {
                    field: "expected_cases".to_owned(),
                    reason: "a cost-per-case line needs expected cases to give an expected annual value",
                })?;
                price.checked_mul_decimal(cases)
            }
            Self::Block { .. } | Self::Blended { .. } | Self::Capitated { .. } => {
                self.fixed_annual()
            }
        }
    }

    /// The amount due for `period` given the actual activity in that period.
    ///
    /// # Errors
    ///
    /// [`ModelError::OutOfRange`] for negative activity or a model that fails
    /// [`PaymentModel::check`]; [`ModelError::Overflow`] when an amount does not fit.
    pub fn amount_due(
        &self,
        period: BillingPeriod,
        actual_activity: Decimal,
        rounding: Rounding,
    ) -> Result<PaymentDue> {
        self.check()?;
        non_negative("actual_activity", actual_activity)?;
        let months = period.months();
        let month_count = Decimal::from(months.len());
        let fixed_annual = self.fixed_annual()?;
        let fixed = if fixed_annual.is_zero() {
            Money::ZERO.round(rounding)
        } else {
            let schedule = instalments(fixed_annual, 12, rounding)?;
            Money::checked_sum(months.iter().filter_map(|m| {
                schedule
                    .get(usize::from(m.number()).saturating_sub(1))
                    .copied()
            }))?
        };
        let twelve = Decimal::from(12);
        let (baseline, variable_exact) = match self {
            Self::Block { .. } | Self::Capitated { .. } => (None, Money::ZERO),
            Self::CostAndVolume {
                price,
                planned_activity,
            } => {
                let plan = apportion(*planned_activity, month_count)?;
                (Some(plan), price.checked_mul_decimal(actual_activity)?)
            }
            Self::CostPerCase { price, .. } => (None, price.checked_mul_decimal(actual_activity)?),
            Self::Blended {
                unit_price,
                baseline_activity,
                variable_rate,
                variation,
                ..
            } => {
                // unit_price × (actual − baseline × k/12), kept exact as
                // unit_price × (12·actual − k·baseline) / 12.
                let scaled_actual = actual_activity
                    .checked_mul(twelve)
                    .ok_or_else(|| ModelError::overflow("blended variation"))?;
                let scaled_base = baseline_activity
                    .checked_mul(month_count)
                    .ok_or_else(|| ModelError::overflow("blended variation"))?;
                let diff = scaled_actual
                    .checked_sub(scaled_base)
                    .ok_or_else(|| ModelError::overflow("blended variation"))?;
                let counted = match variation {
                    Variation::Symmetric => diff,
                    Variation::AboveOnly => diff.max(Decimal::ZERO),
                    Variation::BelowOnly => diff.min(Decimal::ZERO),
                };
                let value = unit_price
                    .checked_mul_decimal(counted)?
                    .checked_mul_decimal(variable_rate.fraction())?
                    .checked_div_decimal(twelve)?;
                (Some(apportion(*baseline_activity, month_count)?), value)
            }
        };
        let total = fixed.checked_add(variable_exact)?.round(rounding);
        let variable = total.checked_sub(fixed)?;
        Ok(PaymentDue {
            period,
            fixed,
            baseline_activity: baseline,
            actual_activity,
            variable,
            total,
        })
    }
}

fn apportion(annual: Decimal, months: Decimal) -> Result<Decimal> {
    annual
        .checked_mul(months)
        .and_then(|v| v.checked_div(Decimal::from(12)))
        .ok_or_else(|| ModelError::overflow("apportioning an annual baseline"))
}

fn weighted_population(groups: &[CapitationGroup]) -> Result<Decimal> {
    groups.iter().try_fold(Decimal::ZERO, |acc, g| {
        g.population
            .checked_mul(g.weight)
            .and_then(|w| acc.checked_add(w))
            .ok_or_else(|| ModelError::overflow("weighted capitation population"))
    })
}

/// The blended payment rule on values: `fixed + rate × (actual value − planned value)`, with
/// the variation restricted to one side where asked.
///
/// Both parts are exact; `variable_element` and `total_payment` are rounded once, to pence.
///
/// # Examples
///
/// The 2022/23 aligned payment and incentive blend at 75% (HFMA worked figures):
///
/// ```
/// use commissioning_model::payment::{blended_payment, Variation};
/// use commissioning_model::{Money, Rounding};
///
/// let p = blended_payment(
///     "100000000.00".parse()?, "10000000.00".parse()?, "11200000.00".parse()?,
///     "0.75".parse()?, Variation::Symmetric, Rounding::HalfUp)?;
/// assert_eq!(p.variable_element, "900000.00".parse::<Money>()?);
/// assert_eq!(p.total_payment, "100900000.00".parse::<Money>()?);
/// # Ok::<(), commissioning_model::ModelError>(())
/// ```
///
/// # Errors
///
/// [`ModelError::Overflow`] when an amount does not fit.
pub fn blended_payment(
    fixed: Money,
    planned_value: Money,
    actual_value: Money,
    variable_rate: Share,
    variation: Variation,
    rounding: Rounding,
) -> Result<BlendedPayment> {
    let diff = actual_value.checked_sub(planned_value)?;
    let counted = match variation {
        Variation::Symmetric => diff,
        Variation::AboveOnly => diff.max(Money::ZERO),
        Variation::BelowOnly => diff.min(Money::ZERO),
    };
    let variable = variable_rate.of(counted)?;
    Ok(BlendedPayment {
        variable_element: variable.round(rounding),
        total_payment: fixed.checked_add(variable)?.round(rounding),
    })
}

/// The result of [`blended_payment`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
#[non_exhaustive]
pub struct BlendedPayment {
    /// `rate × (actual − planned)`, rounded to pence.
    pub variable_element: Money,
    /// Fixed plus variable, rounded once to pence.
    pub total_payment: Money,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn m(s: &str) -> Money {
        s.parse().unwrap_or_else(|e| panic!("{s}: {e}"))
    }

    #[test]
    fn block_months_sum_to_the_year() -> Result<()> {
        let block = PaymentModel::Block {
            annual_value: m("1000000.00"),
        };
        let mut sum = Money::ZERO;
        for month in FyMonth::all() {
            let due =
                block.amount_due(BillingPeriod::Month(month), Decimal::ZERO, Rounding::HalfUp)?;
            sum = sum.checked_add(due.total)?;
        }
        assert_eq!(sum, m("1000000.00"));
        let m1 = block.amount_due(
            BillingPeriod::Month(FyMonth::M1),
            Decimal::ZERO,
            Rounding::HalfUp,
        )?;
        assert_eq!(m1.total, m("83333.34"));
        let ytd = block.amount_due(
            BillingPeriod::YearToDate(FyMonth::try_new(6)?),
            Decimal::ZERO,
            Rounding::HalfUp,
        )?;
        assert_eq!(ytd.total, m("500000.02"));
        Ok(())
    }

    #[test]
    fn one_sided_blends() -> Result<()> {
        let blend = |variation| PaymentModel::Blended {
            fixed: m("1200.00"),
            unit_price: m("10.00"),
            baseline_activity: Decimal::from(120),
            variable_rate: Share::ONE,
            variation,
        };
        let month = BillingPeriod::Month(FyMonth::M1);
        // Monthly baseline is 10; 8 delivered is 2 under.
        let sym =
            blend(Variation::Symmetric).amount_due(month, Decimal::from(8), Rounding::HalfUp)?;
        assert_eq!(sym.variable, m("-20.00"));
        assert_eq!(sym.total, m("80.00"));
        let above =
            blend(Variation::AboveOnly).amount_due(month, Decimal::from(8), Rounding::HalfUp)?;
        assert_eq!(above.variable, m("0.00"));
        let below =
            blend(Variation::BelowOnly).amount_due(month, Decimal::from(13), Rounding::HalfUp)?;
        assert_eq!(below.variable, m("0.00"));
        Ok(())
    }

    #[test]
    fn capitation_and_cost_per_case() -> Result<()> {
        let cap = PaymentModel::Capitated {
            rate_per_head: m("100.00"),
            groups: vec![
                CapitationGroup::new("A", Decimal::from(1000), Decimal::new(12, 1)),
                CapitationGroup::new("B", Decimal::from(2000), Decimal::new(9, 1)),
            ],
        };
        assert_eq!(cap.expected_annual_value()?, m("300000.00"));
        let cpc = PaymentModel::CostPerCase {
            price: m("250.00"),
            expected_cases: None,
        };
        assert!(matches!(
            cpc.expected_annual_value(),
            Err(ModelError::Missing { .. })
        ));
        let due = cpc.amount_due(BillingPeriod::Year, Decimal::from(3), Rounding::HalfUp)?;
        assert_eq!(due.total, m("750.00"));
        Ok(())
    }

    #[test]
    fn negative_inputs_are_rejected() {
        let block = PaymentModel::Block {
            annual_value: m("-1.00"),
        };
        assert!(
            block
                .amount_due(BillingPeriod::Year, Decimal::ZERO, Rounding::HalfUp)
                .is_err()
        );
        let cv = PaymentModel::CostAndVolume {
            price: m("1.00"),
            planned_activity: Decimal::ONE,
        };
        assert!(
            cv.amount_due(BillingPeriod::Year, Decimal::NEGATIVE_ONE, Rounding::HalfUp)
                .is_err()
        );
    }
}
