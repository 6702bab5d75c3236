//! Pooled budgets under section 75 of the NHS Act 2006 and the Better Care Fund: partners'
//! contributions per spend line, and the year-end overspend worked through the waterfall the
//! agreement writes, every step explained and split to the penny.
//!
//! The waterfall is an ordered list of steps, each at most once, because agreements differ:
//!
//! 1. `underspends`: offset by underspends on other lines (the Better Care Fund call-off
//!    agreement's first step);
//! 2. `risk_reserve`: a risk pool set aside for it;
//! 3. `uncommitted`: uncommitted scheme allocations reduced;
//! 4. `partners`: what remains split among the partners pro rata to their total contributions
//!    (or fixed shares), to the penny by largest remainder, each cut to its cap where the
//!    agreement caps it (Rotherham's "subject to the maximum level of funding each partner
//!    contributes"); an amount cut stays unallocated for a later step;
//! 5. `host`: the host partner takes all that still remains.
//!
//! Underspend not used to offset overspend is retained in the pool, or returned to the
//! partners by the same weights. Sources: the Better Care Fund Call Off Partnership Agreement,
//! clause "Over and Underspends"; the Rotherham Place BCF agreement, clause 8; SCIE, *Pooling
//! budgets and agreeing risk share*.
//!
//! # Examples
//!
//! ```
//! use commissioning_risk::pooled::{settle_pool, PooledBudget};
//! use commissioning_model::Money;
//!
//! let pool: PooledBudget = serde_json::from_str(r#"{
//!   "partners": [{"name": "ICB", "host": true}, {"name": "Council"}],
//!   "lines": [
//!     {"id": "care homes", "budget": "7000000.00", "actual": "8100000.00", "contributions": ["4000000.00", "3000000.00"]},
//!     {"id": "home care", "budget": "3000000.00", "actual": "2900000.00", "contributions": ["2000000.00", "1000000.00"]}],
//!   "risk_reserve": "300000.00", "uncommitted_schemes": "100000.00",
//!   "waterfall": ["underspends", "risk_reserve", "uncommitted", "partners"]}"#)?;
//! let s = settle_pool(&pool)?;
//! // £1.1m over: £100,000 offset, £300,000 reserve, £100,000 uncommitted, £600,000 shared 60:40.
//! assert_eq!(s.partner_shares, [Money::from_pounds(360_000), Money::from_pounds(240_000)]);
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

use commissioning_model::{Decimal, Money, Rounding, allocate};
use serde::{Deserialize, Serialize};

use crate::error::{Result, RiskError, overflow};

/// A partner to the pool.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
#[non_exhaustive]
pub struct PoolPartner {
    /// The partner.
    pub name: String,
    /// Whether it hosts the pool (exactly one does).
    #[serde(default)]
    pub host: bool,
    /// The most it takes of an overspend in the partners step, if capped.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cap: Option<Money>,
}

impl PoolPartner {
    /// A partner, not the host, uncapped.
    pub fn new(name: impl Into<String>) -> Self {
        Self {
            name: name.into(),
            host: false,
            cap: None,
        }
    }

    /// The same partner as the host.
    #[must_use]
    pub fn hosting(mut self) -> Self {
        self.host = true;
        self
    }

    /// The same partner with a cap on its share of an overspend.
    #[must_use]
    pub fn capped(mut self, cap: Money) -> Self {
        self.cap = Some(cap);
        self
    }
}

/// A spend line of the pool.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
#[non_exhaustive]
pub struct PoolLine {
    /// The line.
    pub id: String,
    /// Its budget.
    pub budget: Money,
    /// Its outturn.
    pub actual: Money,
    /// Each partner's contribution, in the partners' order; they sum to the budget.
    pub contributions: Vec<Money>,
}

impl PoolLine {
    /// A line.
    pub fn new(
        id: impl Into<String>,
        budget: Money,
        actual: Money,
        contributions: Vec<Money>,
    ) -> Self {
        Self {
            id: id.into(),
            budget,
            actual,
            contributions,
        }
    }
}

/// A step of the overspend waterfall.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum WaterfallStep {
    /// Offset by underspends on other lines.
    Underspends,
    /// The risk reserve.
    RiskReserve,
    /// Uncommitted scheme allocations.
    Uncommitted,
    /// The partners pro rata, each capped where capped.
    Partners,
    /// The host takes what remains.
    Host,
}

/// The weights of the partners step.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum ShareBasis {
    /// Each partner's total contribution to the pool.
    #[default]
    Contributions,
    /// Fixed shares, summing to exactly 1.
    Fixed,
}

/// What happens to underspend not used to offset overspend.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum UnderspendTreatment {
    /// It stays in the pool.
    #[default]
    Retain,
    /// It is returned to the partners by the same weights.
    ReturnProRata,
}

/// A pooled budget's year.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
#[non_exhaustive]
pub struct PooledBudget {
    /// The partners, exactly one the host.
    pub partners: Vec<PoolPartner>,
    /// The spend lines.
    pub lines: Vec<PoolLine>,
    /// The risk reserve.
    #[serde(default)]
    pub risk_reserve: Money,
    /// Uncommitted scheme allocations that may be reduced.
    #[serde(default)]
    pub uncommitted_schemes: Money,
    /// The overspend's waterfall, in order.
    pub waterfall: Vec<WaterfallStep>,
    /// The partners step's weights.
    #[serde(default)]
    pub share_basis: ShareBasis,
    /// The fixed shares, with `share_basis` `fixed`.
    #[cfg_attr(feature = "schema", schemars(with = "Vec<String>"))]
    #[serde(default, with = "commissioning_model::decimal::serde_decimal_vec")]
    pub fixed_shares: Vec<Decimal>,
    /// What happens to unused underspend.
    #[serde(default)]
    pub underspend_treatment: UnderspendTreatment,
}

impl PooledBudget {
    /// A pool with its partners, lines and waterfall; no risk reserve or uncommitted schemes,
    /// shares by contribution, unused underspend retained (change them with the methods below).
    pub fn new(
        partners: Vec<PoolPartner>,
        lines: Vec<PoolLine>,
        waterfall: Vec<WaterfallStep>,
    ) -> Self {
        Self {
            partners,
            lines,
            risk_reserve: Money::ZERO,
            uncommitted_schemes: Money::ZERO,
            waterfall,
            share_basis: ShareBasis::Contributions,
            fixed_shares: Vec::new(),
            underspend_treatment: UnderspendTreatment::Retain,
        }
    }

    /// The same pool with a risk reserve.
    #[must_use]
    pub fn with_risk_reserve(mut self, reserve: Money) -> Self {
        self.risk_reserve = reserve;
        self
    }

    /// The same pool with uncommitted scheme allocations.
    #[must_use]
    pub fn with_uncommitted_schemes(mut self, amount: Money) -> Self {
        self.uncommitted_schemes = amount;
        self
    }

    /// The same pool sharing by fixed shares (summing to exactly 1).
    #[must_use]
    pub fn with_fixed_shares(mut self, shares: Vec<Decimal>) -> Self {
        self.share_basis = ShareBasis::Fixed;
        self.fixed_shares = shares;
        self
    }

    /// The same pool returning unused underspend to the partners.
    #[must_use]
    pub fn returning_underspend(mut self) -> Self {
        self.underspend_treatment = UnderspendTreatment::ReturnProRata;
        self
    }
}

/// The year-end settlement of a pooled budget.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[non_exhaustive]
pub struct PoolSettlement {
    /// The lines' budgets.
    pub total_budget: Money,
    /// Their outturns.
    pub total_actual: Money,
    /// The sum of the lines' overspends.
    pub gross_overspend: Money,
    /// The sum of the lines' underspends.
    pub gross_underspend: Money,
    /// Outturn − budget.
    pub net_variance: Money,
    /// Overspend offset by underspends.
    pub offset_by_underspends: Money,
    /// The risk reserve used.
    pub risk_reserve_used: Money,
    /// Uncommitted schemes reduced.
    pub uncommitted_used: Money,
    /// Each partner's share in the partners step.
    pub partner_shares: Vec<Money>,
    /// What the host took in the host step.
    pub host_residual: Money,
    /// Each partner's whole share of the overspend.
    pub partner_totals: Vec<Money>,
    /// Overspend left after the last step.
    pub unallocated: Money,
    /// Unused underspend kept in the pool.
    pub underspend_retained: Money,
    /// Unused underspend returned to each partner.
    pub underspend_returned: Vec<Money>,
    /// The working, in words.
    pub explanation: Vec<String>,
}

/// Checks a pooled budget: one host; contributions one per partner, not negative, summing to
/// each line's budget; amounts not negative; each waterfall step at most once; fixed shares one
/// per partner summing to exactly 1.
fn check(p: &PooledBudget) -> Result<()> {
    let n = p.partners.len();
    if n == 0 {
        return Err(RiskError::input(
            "partners",
            "at least one partner is required",
        ));
    }
    if p.partners.iter().filter(|x| x.host).count() != 1 {
        return Err(RiskError::input(
            "partners",
            "exactly one partner must be the host",
        ));
    }
    for (i, partner) in p.partners.iter().enumerate() {
        if partner.cap.is_some_and(Money::is_negative) {
            return Err(RiskError::input(
                format!("partners[{i}].cap"),
                "must not be negative",
            ));
        }
    }
    for (field, m) in [
        ("risk_reserve", p.risk_reserve),
        ("uncommitted_schemes", p.uncommitted_schemes),
    ] {
        if m.is_negative() {
            return Err(RiskError::input(field, "must not be negative"));
        }
    }
    for (i, line) in p.lines.iter().enumerate() {
        if line.budget.is_negative() || line.actual.is_negative() {
            return Err(RiskError::input(
                format!("lines[{i}]"),
                "budget and actual must not be negative",
            ));
        }
        if line.contributions.len() != n {
            return Err(RiskError::input(
                format!("lines[{i}].contributions"),
                format!(
                    "expected {n} (one per partner), got {}",
                    line.contributions.len()
                ),
            ));
        }
        if line.contributions.iter().any(|c| c.is_negative()) {
            return Err(RiskError::input(
                format!("lines[{i}].contributions"),
                "must not be negative",
            ));
        }
        let sum = Money::checked_sum(line.contributions.iter().copied())?;
        if sum != line.budget {
            return Err(RiskError::input(
                format!("lines[{i}].contributions"),
                format!("sum to {sum}, not the line's budget of {}", line.budget),
            ));
        }
    }
    for (i, step) in p.waterfall.iter().enumerate() {
        if p.waterfall.iter().take(i).any(|s| s == step) {
            return Err(RiskError::input(
                format!("waterfall[{i}]"),
                "each step may appear only once",
            ));
        }
    }
    if p.share_basis == ShareBasis::Fixed {
        if p.fixed_shares.len() != n {
            return Err(RiskError::input(
                "fixed_shares",
                format!(
                    "expected {n} (one per partner), got {}",
                    p.fixed_shares.len()
                ),
            ));
        }
        let total = p
            .fixed_shares
            .iter()
            .try_fold(Decimal::ZERO, |a, s| a.checked_add(*s))
            .ok_or_else(|| overflow("fixed shares"))?;
        if total != Decimal::ONE
            || p.fixed_shares
                .iter()
                .any(|s| s.is_sign_negative() && !s.is_zero())
        {
            return Err(RiskError::input(
                "fixed_shares",
                format!("must not be negative and must sum to exactly 1, got {total}"),
            ));
        }
    }
    Ok(())
}

/// Splits `amount` by `weights` to the penny (largest remainder, ties to the earlier partner);
/// nothing to split, or no weight, gives zeros.
fn split(amount: Money, weights: &[Decimal]) -> Result<Vec<Money>> {
    if amount.is_zero() || weights.iter().all(Decimal::is_zero) {
        return Ok(vec![Money::ZERO; weights.len()]);
    }
    Ok(allocate(amount, weights, Rounding::HalfUp)?)
}

/// Settles a pooled budget's year: the overspend through the waterfall, the unused underspend
/// kept or returned.
///
/// # Errors
///
/// [`RiskError::InvalidInput`] for a pool that breaks its rules (see the module); overflow
/// errors.
pub fn settle_pool(p: &PooledBudget) -> Result<PoolSettlement> {
    check(p)?;
    let n = p.partners.len();
    let mut total_budget = Money::ZERO;
    let mut total_actual = Money::ZERO;
    let mut over = Money::ZERO;
    let mut under = Money::ZERO;
    let mut contributed = vec![Money::ZERO; n];
    for line in &p.lines {
        total_budget = total_budget.checked_add(line.budget)?;
        total_actual = total_actual.checked_add(line.actual)?;
        let variance = line.actual.checked_sub(line.budget)?;
        if variance.is_negative() {
            under = under.checked_sub(variance)?;
        } else {
            over = over.checked_add(variance)?;
        }
        for (c, amount) in contributed.iter_mut().zip(&line.contributions) {
            *c = c.checked_add(*amount)?;
        }
    }
    let weights: Vec<Decimal> = match p.share_basis {
        ShareBasis::Contributions => contributed.iter().map(|m| m.amount()).collect(),
        ShareBasis::Fixed => p.fixed_shares.clone(),
    };
    let mut explanation = vec![format!(
        "budget {total_budget}, outturn {total_actual}: lines over budget by {over} in all, under by {under}"
    )];
    let mut remaining = over;
    let mut unused_under = under;
    let mut offset = Money::ZERO;
    let mut reserve_used = Money::ZERO;
    let mut uncommitted_used = Money::ZERO;
    let mut partner_shares = vec![Money::ZERO; n];
    let mut host_residual = Money::ZERO;
    for step in &p.waterfall {
        match step {
            WaterfallStep::Underspends => {
                offset = take(&mut remaining, unused_under)?;
                unused_under = unused_under.checked_sub(offset)?;
                explanation.push(format!(
                    "underspends on other lines offset {offset}; {remaining} remains"
                ));
            }
            WaterfallStep::RiskReserve => {
                reserve_used = take(&mut remaining, p.risk_reserve)?;
                explanation.push(format!(
                    "the risk reserve of {} covers {reserve_used}; {remaining} remains",
                    p.risk_reserve
                ));
            }
            WaterfallStep::Uncommitted => {
                uncommitted_used = take(&mut remaining, p.uncommitted_schemes)?;
                explanation.push(format!(
                    "uncommitted schemes of {} are reduced by {uncommitted_used}; {remaining} remains",
                    p.uncommitted_schemes
                ));
            }
            WaterfallStep::Partners => {
                let shares = split(remaining, &weights)?;
                for ((slot, share), partner) in
                    partner_shares.iter_mut().zip(shares).zip(&p.partners)
                {
                    let taken = partner.cap.map_or(share, |cap| share.min(cap));
                    if taken != share {
                        explanation.push(format!(
                            "{}'s share of {share} is capped at {taken}",
                            partner.name
                        ));
                    }
                    *slot = taken;
                }
                let shared = Money::checked_sum(partner_shares.iter().copied())?;
                remaining = remaining.checked_sub(shared)?;
                let parts: Vec<String> = p
                    .partners
                    .iter()
                    .zip(&partner_shares)
                    .map(|(x, m)| format!("{} {m}", x.name))
                    .collect();
                explanation.push(format!(
                    "the partners share {shared} ({}); {remaining} remains",
                    parts.join(", ")
                ));
            }
            WaterfallStep::Host => {
                host_residual = remaining;
                remaining = Money::ZERO;
                let host = p
                    .partners
                    .iter()
                    .find(|x| x.host)
                    .map_or("the host", |x| x.name.as_str());
                explanation.push(format!(
                    "{host}, the host, takes the remaining {host_residual}"
                ));
            }
        }
    }
    let partner_totals = p
        .partners
        .iter()
        .zip(&partner_shares)
        .map(|(x, s)| {
            if x.host {
                s.checked_add(host_residual)
            } else {
                Ok(*s)
            }
        })
        .collect::<std::result::Result<Vec<Money>, _>>()?;
    let (underspend_retained, underspend_returned) = match p.underspend_treatment {
        UnderspendTreatment::Retain => (unused_under, vec![Money::ZERO; n]),
        UnderspendTreatment::ReturnProRata => (Money::ZERO, split(unused_under, &weights)?),
    };
    if !unused_under.is_zero() {
        explanation.push(match p.underspend_treatment {
            UnderspendTreatment::Retain => {
                format!("unused underspend of {unused_under} stays in the pool")
            }
            UnderspendTreatment::ReturnProRata => {
                format!("unused underspend of {unused_under} is returned to the partners pro rata")
            }
        });
    }
    if !remaining.is_zero() {
        explanation.push(format!(
            "{remaining} of the overspend is not allocated by the waterfall"
        ));
    }
    Ok(PoolSettlement {
        total_budget,
        total_actual,
        gross_overspend: over,
        gross_underspend: under,
        net_variance: total_actual.checked_sub(total_budget)?,
        offset_by_underspends: offset,
        risk_reserve_used: reserve_used,
        uncommitted_used,
        partner_shares,
        host_residual,
        partner_totals,
        unallocated: remaining,
        underspend_retained,
        underspend_returned,
        explanation,
    })
}

/// A term of pooled-budget years, each settled in turn with the underspend the year before kept
/// in the pool carried forward into its risk reserve (as alliance agreements carry a reserve
/// forward); the result has each year's settlement, the reserve each started with, and the
/// amount carried out of the last year.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[non_exhaustive]
pub struct PoolTerm {
    /// Each year's settlement.
    pub years: Vec<PoolSettlement>,
    /// The risk reserve each year started with: its own plus what was carried in.
    pub reserves: Vec<Money>,
    /// The underspend carried out of the last year.
    pub carried_out: Money,
}

/// Settles pooled-budget years in order, the underspend each year keeps in the pool (with
/// underspend treatment `retain`) added to the next year's risk reserve.
///
/// # Examples
///
/// ```
/// use commissioning_risk::pooled::{settle_pool_term, PoolLine, PoolPartner, PooledBudget, WaterfallStep};
/// use commissioning_model::Money;
///
/// let partners = || vec![PoolPartner::new("ICB").hosting(), PoolPartner::new("Council")];
/// let steps = vec![WaterfallStep::Underspends, WaterfallStep::RiskReserve, WaterfallStep::Partners];
/// let year = |actual: i64| PooledBudget::new(
///     partners(),
///     vec![PoolLine::new("care", Money::from_pounds(1_000_000), Money::from_pounds(actual),
///                        vec![Money::from_pounds(600_000), Money::from_pounds(400_000)])],
///     steps.clone(),
/// );
/// // £50,000 under in year 1 is kept, and covers year 2's £80,000 overspend up to £50,000.
/// let term = settle_pool_term(&[year(950_000), year(1_080_000)])?;
/// assert_eq!(term.reserves[1], Money::from_pounds(50_000));
/// assert_eq!(term.years[1].risk_reserve_used, Money::from_pounds(50_000));
/// assert_eq!(term.years[1].partner_shares, [Money::from_pounds(18_000), Money::from_pounds(12_000)]);
/// # Ok::<(), commissioning_risk::RiskError>(())
/// ```
///
/// # Errors
///
/// As [`settle_pool`], for any year (its index named).
pub fn settle_pool_term(years: &[PooledBudget]) -> Result<PoolTerm> {
    let mut carried = Money::ZERO;
    let mut settled = Vec::with_capacity(years.len());
    let mut reserves = Vec::with_capacity(years.len());
    for (i, year) in years.iter().enumerate() {
        let mut this = year.clone();
        this.risk_reserve = this.risk_reserve.checked_add(carried)?;
        reserves.push(this.risk_reserve);
        let s = settle_pool(&this).map_err(|e| match e {
            RiskError::InvalidInput { field, reason } => RiskError::InvalidInput {
                field: format!("years[{i}].{field}"),
                reason,
            },
            other => other,
        })?;
        carried = s.underspend_retained;
        settled.push(s);
    }
    Ok(PoolTerm {
        years: settled,
        reserves,
        carried_out: carried,
    })
}

commissioning_model::words_from_str!(
    WaterfallStep => "waterfall step",
    ShareBasis => "share basis",
    UnderspendTreatment => "underspend treatment",
);
commissioning_model::words_display!(WaterfallStep, ShareBasis, UnderspendTreatment);

/// Takes as much of `remaining` as `available` covers, and returns what was taken.
fn take(remaining: &mut Money, available: Money) -> Result<Money> {
    let taken = (*remaining).min(available);
    *remaining = remaining.checked_sub(taken)?;
    Ok(taken)
}
