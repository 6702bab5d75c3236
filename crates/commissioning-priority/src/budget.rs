//! Budget impact in the ISPOR good-practice form (Sullivan et al. 2014): the health-care budget
//! with a new technology minus the budget without it, year by year for one to five years, with
//! NICE's budget impact test and resource-impact flags.
//!
//! Year `t`: `eligible = population × eligible_fraction`; patients on each treatment under the
//! current and the new mix (exact decimals, never rounded); `cost = Σ patients × cost per
//! patient` under each mix; `budget impact = cost_new − cost_current`; the cumulative impact;
//! and, with a discount rate `r`, `impact / (1 + r)^(t − 1)` (year 1 undiscounted; undiscounted
//! figures are always reported, as ISPOR recommends). Every money figure is the exact value
//! rounded half away from zero to the penny once; totals are rounded from the exact sums.
//!
//! Flags compare the rounded, undiscounted annual impact, strictly: NICE's **budget impact
//! test** (over £20 million in any of the first three years, from 1 April 2017; the threshold
//! is a parameter) and NICE **resource impact** (substantial over £1 million a year for one
//! recommendation, £5 million for a whole guideline, in England).
//!
//! # Examples
//!
//! ```
//! use commissioning_priority::budget::{budget_impact, BudgetImpactInput, BudgetYear};
//!
//! // ABC of HTA: 200 patients at £8,000 a year more cost £1.6 million a year.
//! let year = BudgetYear::new(200, "1".parse()?, vec!["0.00".parse()?, "8000.00".parse()?],
//!     vec!["1".parse()?, "0".parse()?], vec!["0".parse()?, "1".parse()?]);
//! let input = BudgetImpactInput::new(vec!["current".into(), "drug_a".into()], vec![year]);
//! let b = budget_impact(&input)?;
//! assert_eq!(b.years[0].budget_impact.to_string(), "£1,600,000.00");
//! assert!(b.resource_impact.substantial_recommendation);
//! assert!(!b.budget_impact_test.exceeded);
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

use commissioning_model::period::FinancialYear;
use commissioning_model::{Decimal, Money, Rounding};
use serde::{Deserialize, Serialize};

use crate::error::{PriorityError, Result, unique_ids};

/// The most years a budget impact covers.
pub const MAX_YEARS: usize = 5;

/// NICE's budget impact test threshold from 1 April 2017: £20 million in any of the first three
/// years.
pub const NICE_BUDGET_IMPACT_TEST: Money =
    Money::new(Decimal::from_parts(20_000_000, 0, 0, false, 0));

/// NICE resource impact: substantial for one recommendation above £1 million a year.
pub const SUBSTANTIAL_RECOMMENDATION: Money =
    Money::new(Decimal::from_parts(1_000_000, 0, 0, false, 0));

/// NICE resource impact: substantial for a whole guideline above £5 million a year.
pub const SUBSTANTIAL_GUIDELINE: Money = Money::new(Decimal::from_parts(5_000_000, 0, 0, false, 0));

/// One year of a budget impact.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
#[non_exhaustive]
pub struct BudgetYear {
    /// The population (a whole number).
    pub population: u64,
    /// The share eligible, in [0, 1].
    #[cfg_attr(feature = "schema", schemars(with = "String"))]
    pub eligible_fraction: Decimal,
    /// The annual cost of a patient on each treatment, offsets included.
    pub cost_per_patient: Vec<Money>,
    /// The current mix of treatments: one share per treatment, summing to 1.
    #[cfg_attr(feature = "schema", schemars(with = "Vec<String>"))]
    pub mix_current: Vec<Decimal>,
    /// The mix with the new technology: one share per treatment, summing to 1.
    #[cfg_attr(feature = "schema", schemars(with = "Vec<String>"))]
    pub mix_new: Vec<Decimal>,
}

impl BudgetYear {
    /// A year.
    pub fn new(
        population: u64,
        eligible_fraction: Decimal,
        cost_per_patient: Vec<Money>,
        mix_current: Vec<Decimal>,
        mix_new: Vec<Decimal>,
    ) -> Self {
        Self {
            population,
            eligible_fraction,
            cost_per_patient,
            mix_current,
            mix_new,
        }
    }
}

/// A budget impact analysis.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
#[non_exhaustive]
pub struct BudgetImpactInput {
    /// The treatments, the new technology among them.
    pub treatments: Vec<String>,
    /// One to five years, year 1 first.
    pub years: Vec<BudgetYear>,
    /// The annual discount rate, for discounted figures beside the undiscounted ones.
    #[serde(default)]
    #[cfg_attr(feature = "schema", schemars(with = "Option<String>"))]
    pub discount_rate: Option<Decimal>,
    /// The financial year of year 1, to label the years (`2026/27`).
    #[serde(default)]
    pub first_financial_year: Option<FinancialYear>,
    /// The budget impact test threshold (default £20 million).
    #[serde(default)]
    pub budget_impact_test_threshold: Option<Money>,
}

impl BudgetImpactInput {
    /// Treatments and years, undiscounted, with NICE's threshold.
    pub fn new(treatments: Vec<String>, years: Vec<BudgetYear>) -> Self {
        Self {
            treatments,
            years,
            discount_rate: None,
            first_financial_year: None,
            budget_impact_test_threshold: None,
        }
    }
}

/// One year's figures.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[non_exhaustive]
pub struct BudgetImpactYear {
    /// 1-based.
    pub year: usize,
    /// Its financial year, when year 1's is given.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub financial_year: Option<FinancialYear>,
    /// Eligible patients (exact, not rounded to people).
    #[serde(with = "decimal_text")]
    pub eligible: Decimal,
    /// Patients on each treatment under the current mix.
    #[serde(with = "decimals_text")]
    pub patients_current: Vec<Decimal>,
    /// Patients on each treatment under the new mix.
    #[serde(with = "decimals_text")]
    pub patients_new: Vec<Decimal>,
    /// The budget without the new technology.
    pub cost_current: Money,
    /// The budget with it.
    pub cost_new: Money,
    /// `cost_new − cost_current`.
    pub budget_impact: Money,
    /// The sum of the impacts to this year.
    pub cumulative_budget_impact: Money,
    /// The impact discounted to year 1, when a discount rate is given.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub discounted_budget_impact: Option<Money>,
}

/// NICE's budget impact test.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[non_exhaustive]
pub struct BudgetImpactTest {
    /// The threshold.
    pub threshold: Money,
    /// How many years were checked: the first three, or fewer.
    pub years_checked: usize,
    /// Whether the impact exceeds the threshold in any of them.
    pub exceeded: bool,
    /// Those years, 1-based.
    pub years_exceeding: Vec<usize>,
}

/// NICE's resource-impact flags.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct ResourceImpact {
    /// Over £1 million in any year.
    pub substantial_recommendation: bool,
    /// Over £5 million in any year.
    pub substantial_guideline: bool,
}

/// The budget impact, year by year, with its flags.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[non_exhaustive]
pub struct BudgetImpact {
    /// The years, year 1 first.
    pub years: Vec<BudgetImpactYear>,
    /// The sum of the yearly impacts, rounded once.
    pub total_budget_impact: Money,
    /// The sum of the discounted impacts, rounded once, when a discount rate is given.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub total_discounted_budget_impact: Option<Money>,
    /// NICE's budget impact test.
    pub budget_impact_test: BudgetImpactTest,
    /// NICE's resource-impact flags.
    pub resource_impact: ResourceImpact,
}

mod decimal_text {
    use commissioning_model::Decimal;
    use serde::Serializer;

    pub(super) fn serialize<S: Serializer>(d: &Decimal, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(&d.normalize())
    }
}

mod decimals_text {
    use commissioning_model::Decimal;
    use serde::ser::{SerializeSeq, Serializer};

    pub(super) fn serialize<S: Serializer>(v: &[Decimal], s: S) -> Result<S::Ok, S::Error> {
        let mut seq = s.serialize_seq(Some(v.len()))?;
        for d in v {
            seq.serialize_element(&d.normalize().to_string())?;
        }
        seq.end()
    }
}

/// An exact amount rounded half away from zero to the penny, written with two places.
fn pence(d: Decimal) -> Money {
    let mut r = Money::new(d).round(Rounding::HalfUp).amount();
    r.rescale(2);
    Money::new(r)
}

fn overflow(field: &str) -> PriorityError {
    PriorityError::input(field, "the figures overflow the exact decimal range")
}

fn check_share(field: impl FnOnce() -> String, v: Decimal) -> Result<()> {
    if v < Decimal::ZERO || v > Decimal::ONE {
        return Err(PriorityError::input(
            field(),
            format!("must be between 0 and 1, got {v}"),
        ));
    }
    Ok(())
}

fn check_mix(field: &str, i: usize, mix: &[Decimal], k: usize) -> Result<()> {
    if mix.len() != k {
        return Err(PriorityError::input(
            format!("years[{i}].{field}"),
            format!("expected {k} shares (one per treatment), got {}", mix.len()),
        ));
    }
    let mut sum = Decimal::ZERO;
    for (j, s) in mix.iter().enumerate() {
        check_share(|| format!("years[{i}].{field}[{j}]"), *s)?;
        sum = sum.checked_add(*s).ok_or_else(|| overflow(field))?;
    }
    if sum != Decimal::ONE {
        return Err(PriorityError::input(
            format!("years[{i}].{field}"),
            format!("the shares must sum to exactly 1, got {sum}"),
        ));
    }
    Ok(())
}

/// The budget impact of a new technology: see the module documentation.
///
/// # Errors
///
/// [`PriorityError::InvalidInput`] for an empty or repeated treatment list, no years, an
/// eligible fraction or share outside [0, 1], shares not summing to exactly 1, a negative cost,
/// lists whose lengths do not match the treatments, or a negative discount rate or threshold;
/// [`PriorityError::OutOfRange`] for more than five years.
pub fn budget_impact(input: &BudgetImpactInput) -> Result<BudgetImpact> {
    if input.treatments.is_empty() {
        return Err(PriorityError::input(
            "treatments",
            "at least one treatment is required",
        ));
    }
    unique_ids("treatments", &input.treatments.iter().map(String::as_str))?;
    if input.years.is_empty() {
        return Err(PriorityError::input(
            "years",
            "at least one year is required",
        ));
    }
    if input.years.len() > MAX_YEARS {
        return Err(PriorityError::OutOfRange {
            field: "years".into(),
            value: input.years.len().to_string(),
            range: "1 to 5 years".into(),
        });
    }
    let rate = input.discount_rate.unwrap_or_default();
    if rate.is_sign_negative() && !rate.is_zero() {
        return Err(PriorityError::input(
            "discount_rate",
            format!("must not be negative, got {rate}"),
        ));
    }
    let threshold = input
        .budget_impact_test_threshold
        .unwrap_or(NICE_BUDGET_IMPACT_TEST);
    if threshold.is_negative() {
        return Err(PriorityError::input(
            "budget_impact_test_threshold",
            format!("must not be negative, got {threshold}"),
        ));
    }
    let k = input.treatments.len();
    let factor = Decimal::ONE
        .checked_add(rate)
        .ok_or_else(|| overflow("discount_rate"))?;
    let mut discount = Decimal::ONE;
    let mut cumulative = Decimal::ZERO;
    let mut discounted_total = Decimal::ZERO;
    let mut fy = input.first_financial_year;
    let mut years = Vec::with_capacity(input.years.len());
    for (i, y) in input.years.iter().enumerate() {
        check_share(
            || format!("years[{i}].eligible_fraction"),
            y.eligible_fraction,
        )?;
        if y.cost_per_patient.len() != k {
            return Err(PriorityError::input(
                format!("years[{i}].cost_per_patient"),
                format!(
                    "expected {k} costs (one per treatment), got {}",
                    y.cost_per_patient.len()
                ),
            ));
        }
        for (j, c) in y.cost_per_patient.iter().enumerate() {
            if c.is_negative() {
                return Err(PriorityError::input(
                    format!("years[{i}].cost_per_patient[{j}]"),
                    format!("must not be negative, got {c}"),
                ));
            }
        }
        check_mix("mix_current", i, &y.mix_current, k)?;
        check_mix("mix_new", i, &y.mix_new, k)?;
        let eligible = Decimal::from(y.population)
            .checked_mul(y.eligible_fraction)
            .ok_or_else(|| overflow("years"))?;
        let patients = |mix: &[Decimal]| -> Result<Vec<Decimal>> {
            mix.iter()
                .map(|s| eligible.checked_mul(*s).ok_or_else(|| overflow("years")))
                .collect()
        };
        let (current, new) = (patients(&y.mix_current)?, patients(&y.mix_new)?);
        let cost = |p: &[Decimal]| -> Result<Decimal> {
            p.iter()
                .zip(&y.cost_per_patient)
                .try_fold(Decimal::ZERO, |acc, (n, c)| {
                    n.checked_mul(c.amount())
                        .and_then(|x| acc.checked_add(x))
                        .ok_or_else(|| overflow("years"))
                })
        };
        let (cost_current, cost_new) = (cost(&current)?, cost(&new)?);
        let impact = cost_new
            .checked_sub(cost_current)
            .ok_or_else(|| overflow("years"))?;
        cumulative = cumulative
            .checked_add(impact)
            .ok_or_else(|| overflow("years"))?;
        let discounted = match input.discount_rate {
            Some(_) => {
                let d = impact
                    .checked_div(discount)
                    .ok_or_else(|| overflow("discount_rate"))?;
                discounted_total = discounted_total
                    .checked_add(d)
                    .ok_or_else(|| overflow("years"))?;
                Some(pence(d))
            }
            None => None,
        };
        discount = discount
            .checked_mul(factor)
            .ok_or_else(|| overflow("discount_rate"))?;
        years.push(BudgetImpactYear {
            year: i.saturating_add(1),
            financial_year: fy,
            eligible: eligible.normalize(),
            patients_current: current,
            patients_new: new,
            cost_current: pence(cost_current),
            cost_new: pence(cost_new),
            budget_impact: pence(impact),
            cumulative_budget_impact: pence(cumulative),
            discounted_budget_impact: discounted,
        });
        fy = match fy {
            Some(f) => Some(f.next()?),
            None => None,
        };
    }
    let years_checked = years.len().min(3);
    let years_exceeding: Vec<usize> = years
        .iter()
        .take(3)
        .filter(|y| y.budget_impact > threshold)
        .map(|y| y.year)
        .collect();
    let any_over = |limit: Money| years.iter().any(|y| y.budget_impact > limit);
    Ok(BudgetImpact {
        total_budget_impact: pence(cumulative),
        total_discounted_budget_impact: input.discount_rate.map(|_| pence(discounted_total)),
        budget_impact_test: BudgetImpactTest {
            threshold: pence(threshold.amount()),
            years_checked,
            exceeded: !years_exceeding.is_empty(),
            years_exceeding,
        },
        resource_impact: ResourceImpact {
            substantial_recommendation: any_over(SUBSTANTIAL_RECOMMENDATION),
            substantial_guideline: any_over(SUBSTANTIAL_GUIDELINE),
        },
        years,
    })
}
