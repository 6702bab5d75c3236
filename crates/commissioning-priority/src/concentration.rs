//! Where the money goes: the concentration of spend across services.
//!
//! Services are sorted by spend, largest first (ties by id). Each gets its share of the total
//! and the cumulative share up to and including it, exact in decimal. The smallest set of
//! services covering a stated share of the budget is the shortest prefix whose cumulative share
//! reaches it. Classes follow the usual A/B/C convention: A while the cumulative share *before*
//! the service is below the A limit (80% by default), B below the B limit (95%), C after.

use commissioning_model::{Decimal, Money, Share};
use serde::{Deserialize, Serialize};

use crate::error::{PriorityError, Result, unique_ids};

/// Spend on one service.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
#[non_exhaustive]
pub struct Spend {
    /// The service.
    pub id: String,
    /// What is spent on it (not negative).
    pub amount: Money,
}

impl Spend {
    /// Spend on a service.
    pub fn new(id: impl Into<String>, amount: Money) -> Self {
        Self {
            id: id.into(),
            amount,
        }
    }
}

/// A/B/C class.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub enum Class {
    /// The services that make up most of the spend.
    A,
    /// The middle.
    B,
    /// The long tail.
    C,
}

/// One service's place in the spend.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
#[non_exhaustive]
pub struct SpendRow {
    /// The service.
    pub id: String,
    /// Its spend.
    pub amount: Money,
    /// Its share of the total, to 10 decimal places.
    #[cfg_attr(feature = "schema", schemars(with = "String"))]
    pub share: Decimal,
    /// The cumulative share up to and including it, to 10 decimal places.
    #[cfg_attr(feature = "schema", schemars(with = "String"))]
    pub cumulative: Decimal,
    /// Its class.
    pub class: Class,
}

/// The concentration of spend.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
#[non_exhaustive]
pub struct Concentration {
    /// The total spend.
    pub total: Money,
    /// Services from largest to smallest spend.
    pub rows: Vec<SpendRow>,
    /// The smallest set of services covering the target share, largest first.
    pub covering: Vec<String>,
    /// The target share used for `covering`.
    pub target: Share,
}

/// Computes the concentration of spend.
///
/// ```
/// use commissioning_priority::concentration::{concentration, Class, Spend};
/// use commissioning_model::Money;
///
/// let spend = [Spend::new("stroke", Money::from_pounds(60)), Spend::new("diabetes", Money::from_pounds(30)),
///              Spend::new("dementia", Money::from_pounds(10))];
/// let c = concentration(&spend, "0.8".parse()?, "0.8".parse()?, "0.95".parse()?)?;
/// assert_eq!(c.covering, ["stroke", "diabetes"]);
/// assert_eq!(c.rows.iter().map(|r| r.class).collect::<Vec<_>>(), [Class::A, Class::A, Class::B]);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
///
/// # Errors
///
/// [`PriorityError::InvalidInput`] for no services, duplicate ids, negative spend, a zero
/// total, or an A limit above the B limit.
pub fn concentration(
    spend: &[Spend],
    target: Share,
    a_limit: Share,
    b_limit: Share,
) -> Result<Concentration> {
    if spend.is_empty() {
        return Err(PriorityError::input(
            "spend",
            "at least one service is required",
        ));
    }
    unique_ids("spend", &spend.iter().map(|s| s.id.as_str()))?;
    if a_limit > b_limit {
        return Err(PriorityError::input("a_limit", "must not exceed b_limit"));
    }
    for (i, s) in spend.iter().enumerate() {
        if s.amount.is_negative() {
            return Err(PriorityError::input(
                format!("spend[{i}].amount"),
                "must not be negative",
            ));
        }
    }
    let total = Money::checked_sum(spend.iter().map(|s| s.amount))?;
    if total.is_zero() {
        return Err(PriorityError::input(
            "spend",
            "the total is zero, so there are no shares",
        ));
    }
    let mut sorted: Vec<&Spend> = spend.iter().collect();
    sorted.sort_by(|a, b| b.amount.cmp(&a.amount).then(a.id.cmp(&b.id)));
    let mut running = Money::ZERO;
    let mut rows = Vec::with_capacity(sorted.len());
    let mut covering = Vec::new();
    let mut covered = false;
    for s in sorted {
        let before = running.checked_ratio(total)?;
        running = running.checked_add(s.amount)?;
        let cumulative = running.checked_ratio(total)?;
        let class = if before < a_limit.fraction() {
            Class::A
        } else if before < b_limit.fraction() {
            Class::B
        } else {
            Class::C
        };
        if !covered {
            covering.push(s.id.clone());
            covered = cumulative >= target.fraction();
        }
        let r10 = |d: Decimal| d.round_dp(10).normalize();
        rows.push(SpendRow {
            id: s.id.clone(),
            amount: s.amount,
            share: r10(s.amount.checked_ratio(total)?),
            cumulative: r10(cumulative),
            class,
        });
    }
    Ok(Concentration {
        total,
        rows,
        covering,
        target,
    })
}
