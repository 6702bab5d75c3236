//! Indicators of commissioning itself: is the effort of commissioning worth what it secures?
//!
//! A [`Programme`] records a piece of commissioning work through its phases (review and
//! engagement, specification, procurement, contract award, then review or decommissioning)
//! with dates, staff effort and its cost, the annual value at stake, and what it achieved.
//! A [`Portfolio`] adds the commissioner's budget and how it is contracted. The report gives,
//! per programme:
//!
//! - effort in hours and its cost;
//! - the cost of that effort per pound of recurrent change in spend (`effort cost ÷ |change|`);
//! - the days from the start of the first review or engagement to contract award;
//! - a **"time to cut a deal"** signal when no contract has been awarded and either engagement
//!   has run longer than a threshold (180 days by default) or the effort has cost more than a
//!   share of the annual value at stake (5% by default);
//!
//! and for the portfolio: the share of the budget reviewed in the year, the share of spend in
//! block contracts, the share of spend with measurable objectives, the spend decommissioned,
//! and the totals of effort and recurrent change. Shares are exact decimals rounded to six
//! places.

use chrono::NaiveDate;
use commissioning_model::decimal::serde_decimal;
use commissioning_model::period::{serde_date, serde_date_opt};
use commissioning_model::{Decimal, Money, Share};
use serde::{Deserialize, Serialize};

use crate::error::{MonitorError, Result};

/// The phases of commissioning.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum PhaseKind {
    /// Reviewing the existing service and its data.
    Review,
    /// Engaging patients, clinicians and providers.
    Engagement,
    /// Writing the service specification.
    Specification,
    /// Procuring (or negotiating with) providers.
    Procurement,
    /// Awarding the contract.
    ContractAward,
    /// Reviewing the service once it runs.
    PostImplementationReview,
    /// Decommissioning a service.
    Decommissioning,
}

/// One phase of a programme.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
#[non_exhaustive]
pub struct Phase {
    /// Which phase.
    pub kind: PhaseKind,
    /// When it started.
    #[cfg_attr(feature = "schema", schemars(with = "String"))]
    #[serde(with = "serde_date")]
    pub start: NaiveDate,
    /// When it ended, if it has.
    #[cfg_attr(feature = "schema", schemars(with = "Option<String>"))]
    #[serde(
        default,
        with = "serde_date_opt",
        skip_serializing_if = "Option::is_none"
    )]
    pub end: Option<NaiveDate>,
    /// Staff effort in hours.
    #[cfg_attr(feature = "schema", schemars(with = "String"))]
    #[serde(with = "serde_decimal")]
    pub effort_hours: Decimal,
    /// The cost of that effort.
    pub staff_cost: Money,
}

impl Phase {
    /// A phase.
    pub fn new(
        kind: PhaseKind,
        start: NaiveDate,
        end: Option<NaiveDate>,
        effort_hours: Decimal,
        staff_cost: Money,
    ) -> Self {
        Self {
            kind,
            start,
            end,
            effort_hours,
            staff_cost,
        }
    }
}

/// What a programme achieved.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
#[non_exhaustive]
pub struct Outcomes {
    /// The recurrent change in annual spend: negative for a saving, positive for investment.
    pub recurrent_change: Money,
    /// Health gain in QALYs a year, if estimated.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub health_gain: Option<f64>,
    /// KPIs that improved.
    #[serde(default)]
    pub kpis_improved: u32,
    /// Annual spend decommissioned.
    #[serde(default)]
    pub decommissioned_spend: Money,
}

/// A piece of commissioning work.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
#[non_exhaustive]
pub struct Programme {
    /// An identifier.
    pub id: String,
    /// What it is.
    pub name: String,
    /// The annual value of the services at stake.
    pub value_at_stake: Money,
    /// Its phases.
    pub phases: Vec<Phase>,
    /// What it achieved, once known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub outcomes: Option<Outcomes>,
}

impl Programme {
    /// A programme with no outcomes recorded yet.
    pub fn new(
        id: impl Into<String>,
        name: impl Into<String>,
        value_at_stake: Money,
        phases: Vec<Phase>,
    ) -> Self {
        Self {
            id: id.into(),
            name: name.into(),
            value_at_stake,
            phases,
            outcomes: None,
        }
    }
}

impl Portfolio {
    /// A portfolio.
    pub fn new(
        total_budget: Money,
        budget_reviewed: Money,
        spend_in_block_contracts: Money,
        spend_with_measurable_objectives: Money,
        programmes: Vec<Programme>,
    ) -> Self {
        Self {
            total_budget,
            budget_reviewed,
            spend_in_block_contracts,
            spend_with_measurable_objectives,
            programmes,
        }
    }
}

/// The commissioner's budget and how it is contracted, with its programmes.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
#[non_exhaustive]
pub struct Portfolio {
    /// The total budget for the year.
    pub total_budget: Money,
    /// Spend whose services were reviewed in the year.
    pub budget_reviewed: Money,
    /// Spend paid by block contract.
    pub spend_in_block_contracts: Money,
    /// Spend under contracts with measurable objectives.
    pub spend_with_measurable_objectives: Money,
    /// The programmes.
    pub programmes: Vec<Programme>,
}

/// When the "time to cut a deal" signal fires.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
#[non_exhaustive]
pub struct Thresholds {
    /// Days of review and engagement without a contract award.
    pub max_engagement_days: u32,
    /// Effort cost as a share of the annual value at stake.
    pub max_effort_share: Share,
}

impl Default for Thresholds {
    fn default() -> Self {
        Self {
            max_engagement_days: 180,
            max_effort_share: Share::try_new(Decimal::new(5, 2)).unwrap_or(Share::ZERO),
        }
    }
}

/// One programme's indicators.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
#[non_exhaustive]
pub struct ProgrammeIndicators {
    /// The programme.
    pub id: String,
    /// Staff effort in hours.
    #[cfg_attr(feature = "schema", schemars(with = "String"))]
    #[serde(with = "serde_decimal")]
    pub effort_hours: Decimal,
    /// Its cost.
    pub effort_cost: Money,
    /// Effort cost per pound of recurrent change, to six places; absent without a change.
    #[cfg_attr(feature = "schema", schemars(with = "Option<String>"))]
    #[serde(
        default,
        with = "commissioning_model::decimal::serde_decimal_opt",
        skip_serializing_if = "Option::is_none"
    )]
    pub cost_per_pound_of_change: Option<Decimal>,
    /// Days from the first review or engagement to contract award; absent before award.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub days_to_award: Option<i64>,
    /// Why it is time to cut a deal, if it is.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cut_a_deal: Option<String>,
}

/// Portfolio-level indicators.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
#[non_exhaustive]
pub struct PortfolioIndicators {
    /// Share of the budget reviewed in the year.
    #[cfg_attr(feature = "schema", schemars(with = "String"))]
    #[serde(with = "serde_decimal")]
    pub share_reviewed: Decimal,
    /// Share of spend in block contracts.
    #[cfg_attr(feature = "schema", schemars(with = "String"))]
    #[serde(with = "serde_decimal")]
    pub share_block: Decimal,
    /// Share of spend with measurable objectives.
    #[cfg_attr(feature = "schema", schemars(with = "String"))]
    #[serde(with = "serde_decimal")]
    pub share_measurable: Decimal,
    /// Spend decommissioned across programmes.
    pub decommissioned_spend: Money,
    /// Effort cost across programmes.
    pub effort_cost: Money,
    /// Recurrent change across programmes.
    pub recurrent_change: Money,
}

/// The effectiveness report.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
#[non_exhaustive]
pub struct Effectiveness {
    /// Per programme, in input order.
    pub programmes: Vec<ProgrammeIndicators>,
    /// For the portfolio.
    pub portfolio: PortfolioIndicators,
}

fn ratio(a: Money, b: Money) -> Result<Decimal> {
    Ok(a.checked_ratio(b)?.round_dp(6).normalize())
}

/// Computes the indicators as at a date.
///
/// ```
/// use chrono::NaiveDate;
/// use commissioning_model::{Decimal, Money};
/// use commissioning_monitor::effectiveness::*;
///
/// let d = |y, m, day| NaiveDate::from_ymd_opt(y, m, day).unwrap();
/// let programme = Programme::new("diabetes", "Diabetes pathway redesign", Money::from_pounds(2_000_000),
///     vec![Phase::new(PhaseKind::Engagement, d(2025, 4, 1), None, Decimal::from(900), Money::from_pounds(45_000))]);
/// let portfolio = Portfolio::new(Money::from_pounds(100_000_000), Money::from_pounds(8_000_000),
///     Money::from_pounds(62_000_000), Money::from_pounds(40_000_000), vec![programme]);
/// let r = effectiveness(&portfolio, d(2025, 11, 1), &Thresholds::default())?;
/// assert!(r.programmes[0].cut_a_deal.as_deref().is_some_and(|s| s.contains("214 days")));
/// assert_eq!(r.portfolio.share_block, Decimal::new(62, 2));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
///
/// # Errors
///
/// [`MonitorError::InvalidInput`] for a zero or negative budget, negative amounts or effort, a
/// reviewed, block or measurable spend above the total budget, a phase that ends before it
/// starts, or duplicate programme ids.
pub fn effectiveness(
    portfolio: &Portfolio,
    as_of: NaiveDate,
    thresholds: &Thresholds,
) -> Result<Effectiveness> {
    if portfolio.total_budget <= Money::ZERO {
        return Err(MonitorError::input("total_budget", "must be above zero"));
    }
    for (name, m) in [
        ("budget_reviewed", portfolio.budget_reviewed),
        (
            "spend_in_block_contracts",
            portfolio.spend_in_block_contracts,
        ),
        (
            "spend_with_measurable_objectives",
            portfolio.spend_with_measurable_objectives,
        ),
    ] {
        if m.is_negative() {
            return Err(MonitorError::input(name, "must not be negative"));
        }
        // Each is a part of the budget: more than all of it is a mistake in the document,
        // not a share above 100%.
        if m > portfolio.total_budget {
            return Err(MonitorError::input(
                name,
                format!(
                    "is part of the total budget and must not exceed it ({}), got {m}",
                    portfolio.total_budget
                ),
            ));
        }
    }
    let mut seen = std::collections::BTreeSet::new();
    let mut programmes = Vec::with_capacity(portfolio.programmes.len());
    let (mut effort_total, mut change_total, mut decommissioned) =
        (Money::ZERO, Money::ZERO, Money::ZERO);
    for (i, p) in portfolio.programmes.iter().enumerate() {
        if !seen.insert(p.id.as_str()) {
            return Err(MonitorError::input(
                format!("programmes[{i}].id"),
                format!("duplicate programme {:?}", p.id),
            ));
        }
        if p.value_at_stake.is_negative() {
            return Err(MonitorError::input(
                format!("programmes[{i}].value_at_stake"),
                "must not be negative",
            ));
        }
        let mut hours = Decimal::ZERO;
        let mut cost = Money::ZERO;
        for (k, ph) in p.phases.iter().enumerate() {
            if ph.end.is_some_and(|e| e < ph.start) {
                return Err(MonitorError::input(
                    format!("programmes[{i}].phases[{k}].end"),
                    "is before the start",
                ));
            }
            if ph.effort_hours.is_sign_negative() && !ph.effort_hours.is_zero()
                || ph.staff_cost.is_negative()
            {
                return Err(MonitorError::input(
                    format!("programmes[{i}].phases[{k}]"),
                    "effort and cost must not be negative",
                ));
            }
            hours = hours.checked_add(ph.effort_hours).ok_or_else(|| {
                MonitorError::input(format!("programmes[{i}]"), "effort too large")
            })?;
            cost = cost.checked_add(ph.staff_cost)?;
        }
        let first = p
            .phases
            .iter()
            .filter(|ph| matches!(ph.kind, PhaseKind::Review | PhaseKind::Engagement))
            .map(|ph| ph.start)
            .min();
        let award = p
            .phases
            .iter()
            .filter(|ph| ph.kind == PhaseKind::ContractAward)
            .map(|ph| ph.end.unwrap_or(ph.start))
            .min();
        let days_to_award = match (first, award) {
            (Some(f), Some(a)) => Some(a.signed_duration_since(f).num_days()),
            _ => None,
        };
        let cut_a_deal = if award.is_some() {
            None
        } else {
            let mut reasons = Vec::new();
            if let Some(f) = first {
                let days = as_of.signed_duration_since(f).num_days();
                if days > i64::from(thresholds.max_engagement_days) {
                    reasons.push(format!("engagement has run {days} days without a contract award (threshold {} days)", thresholds.max_engagement_days));
                }
            }
            let limit = thresholds.max_effort_share.of(p.value_at_stake)?;
            if cost > limit {
                reasons.push(format!(
                    "effort has cost {cost}, more than {} of the {} at stake",
                    thresholds.max_effort_share, p.value_at_stake
                ));
            }
            (!reasons.is_empty()).then(|| reasons.join("; "))
        };
        let cost_per_pound_of_change = match &p.outcomes {
            Some(o) if !o.recurrent_change.is_zero() => {
                Some(ratio(cost, o.recurrent_change.abs())?)
            }
            _ => None,
        };
        if let Some(o) = &p.outcomes {
            change_total = change_total.checked_add(o.recurrent_change)?;
            decommissioned = decommissioned.checked_add(o.decommissioned_spend)?;
        }
        effort_total = effort_total.checked_add(cost)?;
        programmes.push(ProgrammeIndicators {
            id: p.id.clone(),
            effort_hours: hours,
            effort_cost: cost,
            cost_per_pound_of_change,
            days_to_award,
            cut_a_deal,
        });
    }
    let b = portfolio.total_budget;
    Ok(Effectiveness {
        programmes,
        portfolio: PortfolioIndicators {
            share_reviewed: ratio(portfolio.budget_reviewed, b)?,
            share_block: ratio(portfolio.spend_in_block_contracts, b)?,
            share_measurable: ratio(portfolio.spend_with_measurable_objectives, b)?,
            decommissioned_spend: decommissioned,
            effort_cost: effort_total,
            recurrent_change: change_total,
        },
    })
}
