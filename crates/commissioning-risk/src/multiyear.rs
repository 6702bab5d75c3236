//! Multi-year agreements: a settlement each year, with cumulative limits across the term and
//! optional carry-forward of what a limit holds back.
//!
//! # The rule
//!
//! Each year is settled on its own ([`crate::settle()`]), giving that year's transfer `tᵧ`.
//! The amount due in the year is `dueᵧ = tᵧ + carried inᵧ`. The net cumulative transfer `R`
//! (positive: paid to the provider) must stay within `[−cumulative_loss_limit,
//! +cumulative_gain_limit]`, so the year pays `paidᵧ = clamp(R + dueᵧ) − R`. What is held back,
//! `dueᵧ − paidᵧ`, is carried into the next year when `carry_forward` is set (and can be paid
//! once a later year makes room, for instance after a loss) and is forfeited otherwise. Whatever
//! is still carried after the last year is forfeited.

use commissioning_model::{FinancialYear, Money};
use serde::{Deserialize, Serialize};

use crate::agreement::Agreement;
use crate::error::{Result, RiskError};
use crate::settle::{Settlement, SettlementInput, settle};

/// An agreement that runs over several financial years.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
#[non_exhaustive]
pub struct MultiYearAgreement {
    /// The yearly terms (the same every year; vary them with per-year inputs).
    pub agreement: Agreement,
    /// The most the provider may receive, net, over the whole term.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cumulative_gain_limit: Option<Money>,
    /// The most the provider may pay, net, over the whole term.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cumulative_loss_limit: Option<Money>,
    /// Whether amounts held back by a cumulative limit carry into the next year.
    #[serde(default)]
    pub carry_forward: bool,
}

impl MultiYearAgreement {
    /// A multi-year agreement with no cumulative limits.
    pub fn new(agreement: Agreement) -> Self {
        Self {
            agreement,
            cumulative_gain_limit: None,
            cumulative_loss_limit: None,
            carry_forward: false,
        }
    }
}

/// One year's facts.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
#[non_exhaustive]
pub struct YearInput {
    /// The financial year.
    pub year: FinancialYear,
    /// Its target, outturn and other facts.
    pub input: SettlementInput,
}

impl YearInput {
    /// A year's facts.
    pub fn new(year: FinancialYear, input: SettlementInput) -> Self {
        Self { year, input }
    }
}

/// One year of a multi-year settlement.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
#[non_exhaustive]
pub struct YearResult {
    /// The year.
    pub year: FinancialYear,
    /// The year's own settlement.
    pub settlement: Settlement,
    /// Carried in from the year before.
    pub carried_in: Money,
    /// What was due: the year's transfer plus what was carried in.
    pub due: Money,
    /// What is paid this year after the cumulative limits (positive to the provider).
    pub paid: Money,
    /// Held back and carried into the next year.
    pub carried_out: Money,
    /// Held back and not carried: positive for a gain share lost, negative for a loss share
    /// waived.
    pub forfeited: Money,
    /// The net cumulative transfer after this year.
    pub cumulative: Money,
    /// The year's working in plain English.
    pub explanation: Vec<String>,
}

/// A multi-year settlement: each year and the whole term.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
#[non_exhaustive]
pub struct MultiYearSettlement {
    /// Year by year, in order.
    pub years: Vec<YearResult>,
    /// The sum of the yearly transfers before cumulative limits.
    pub total_before_limits: Money,
    /// The sum paid: the net transfer over the term.
    pub total_paid: Money,
    /// Gain shares the provider lost to the cumulative gain limit (including what was still
    /// carried at the end), as a positive amount.
    pub forfeited_gain: Money,
    /// Loss shares the provider was spared by the cumulative loss limit (including what was
    /// still carried at the end), as a positive amount.
    pub waived_loss: Money,
}

/// Settles a multi-year agreement year by year.
///
/// ```
/// use commissioning_risk::agreement::{Agreement, Band, Basis, Mode, SideRule, Threshold};
/// use commissioning_risk::multiyear::{settle_term, MultiYearAgreement, YearInput};
/// use commissioning_risk::settle::SettlementInput;
/// use commissioning_model::{Money, Share};
///
/// let half = SideRule::new(vec![Band::new(Threshold::of_target("0%".parse()?), None, "0.5".parse()?)], Mode::NetOfThreshold);
/// let mut term = MultiYearAgreement::new(Agreement::new("3-year share", Basis::SharedSavings, Some(half.clone()), Some(half)));
/// term.cumulative_gain_limit = Some("1000000.00".parse()?);
/// term.carry_forward = true;
/// let year = |y: &str, outturn: &str| -> Result<YearInput, Box<dyn std::error::Error>> {
///     Ok(YearInput::new(y.parse()?, SettlementInput::new("10000000.00".parse()?, outturn.parse()?)))
/// };
/// let years = [year("2025/26", "8000000.00")?, year("2026/27", "10600000.00")?, year("2027/28", "10000000.00")?];
/// let r = settle_term(&term, &years)?;
/// // Year 1 earns half of a £2m saving, exactly the £1m cumulative cap; year 2 loses half of £600k.
/// assert_eq!(r.years[0].paid, "1000000.00".parse::<Money>()?);
/// assert_eq!(r.years[1].paid, "-300000.00".parse::<Money>()?);
/// assert_eq!(r.total_paid, "700000.00".parse::<Money>()?);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
///
/// # Errors
///
/// [`RiskError::InvalidAgreement`] for negative cumulative limits; [`RiskError::InvalidInput`]
/// for no years or years out of order or repeated; any year's settlement error, naming the
/// year.
pub fn settle_term(term: &MultiYearAgreement, years: &[YearInput]) -> Result<MultiYearSettlement> {
    for (field, limit) in [
        ("cumulative_gain_limit", term.cumulative_gain_limit),
        ("cumulative_loss_limit", term.cumulative_loss_limit),
    ] {
        if limit.is_some_and(Money::is_negative) {
            return Err(RiskError::agreement(field, "must not be negative"));
        }
    }
    if years.is_empty() {
        return Err(RiskError::input("years", "at least one year is required"));
    }
    for (i, pair) in years.windows(2).enumerate() {
        if let [a, b] = pair
            && b.year <= a.year
        {
            return Err(RiskError::input(
                format!("years[{}].year", i.saturating_add(1)),
                format!("{} must come after {}", b.year, a.year),
            ));
        }
    }
    let mut out = Vec::with_capacity(years.len());
    let mut cumulative = Money::ZERO;
    let mut carried = Money::ZERO;
    let mut total_before = Money::ZERO;
    let mut forfeited_gain = Money::ZERO;
    let mut waived_loss = Money::ZERO;
    let mut tally = |amount: Money| -> Result<()> {
        if amount.is_negative() {
            waived_loss = waived_loss.checked_add(amount.abs())?;
        } else {
            forfeited_gain = forfeited_gain.checked_add(amount)?;
        }
        Ok(())
    };
    for (i, y) in years.iter().enumerate() {
        let settlement = settle(&term.agreement, &y.input).map_err(|e| match e {
            RiskError::InvalidInput { field, reason } => {
                RiskError::input(format!("years[{i}].{field}"), reason)
            }
            other => other,
        })?;
        total_before = total_before.checked_add(settlement.transfer)?;
        let due = settlement.transfer.checked_add(carried)?;
        let wanted = cumulative.checked_add(due)?;
        let mut allowed = wanted;
        if let Some(g) = term.cumulative_gain_limit {
            allowed = allowed.min(g);
        }
        if let Some(l) = term.cumulative_loss_limit {
            allowed = allowed.max(l.negated());
        }
        // A year never reverses what the limits already allow: clamp only moves towards them.
        let paid = allowed.checked_sub(cumulative)?;
        let held = due.checked_sub(paid)?;
        let (carried_out, forfeited) = if term.carry_forward {
            (held, Money::ZERO)
        } else {
            (Money::ZERO, held)
        };
        tally(forfeited)?;
        cumulative = cumulative.checked_add(paid)?;
        let mut explanation = vec![format!(
            "{}: the year's transfer is {}",
            y.year, settlement.transfer
        )];
        if !carried.is_zero() {
            explanation.push(format!(
                "{carried} is carried in from the year before, so {due} is due"
            ));
        }
        if !held.is_zero() {
            explanation.push(format!(
                "the cumulative limit holds back {held}, which is {}",
                if term.carry_forward {
                    "carried forward"
                } else {
                    "forfeited"
                }
            ));
        }
        explanation.push(format!(
            "paid {paid}; net over the term so far {cumulative}"
        ));
        out.push(YearResult {
            year: y.year,
            settlement,
            carried_in: carried,
            due,
            paid,
            carried_out,
            forfeited,
            cumulative,
            explanation,
        });
        carried = carried_out;
    }
    tally(carried)?;
    Ok(MultiYearSettlement {
        years: out,
        total_before_limits: total_before,
        total_paid: cumulative,
        forfeited_gain,
        waived_loss,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::agreement::{Band, Basis, Mode, SideRule, Threshold};
    use commissioning_model::Rate;

    fn m(s: &str) -> Money {
        s.parse().unwrap_or_default()
    }

    fn term(carry: bool) -> MultiYearAgreement {
        let all = SideRule::new(
            vec![Band::new(
                Threshold::of_target(Rate::ZERO),
                None,
                commissioning_model::Share::ONE,
            )],
            Mode::NetOfThreshold,
        );
        let mut t = MultiYearAgreement::new(Agreement::new(
            "all",
            Basis::SharedSavings,
            Some(all.clone()),
            Some(all),
        ));
        t.cumulative_gain_limit = Some(m("100"));
        t.cumulative_loss_limit = Some(m("50"));
        t.carry_forward = carry;
        t
    }

    fn years(outturns: &[&str]) -> Vec<YearInput> {
        (2025..)
            .zip(outturns)
            .map(|(y, o)| {
                YearInput::new(
                    FinancialYear::try_new(y).expect("year"),
                    SettlementInput::new(m("1000"), m(o)),
                )
            })
            .collect()
    }

    #[test]
    fn carry_forward_pays_later_when_room_appears() -> Result<()> {
        // +150 (cap 100: 50 held), then −80 (due −30 with the 50 carried), then +40.
        let r = settle_term(&term(true), &years(&["850", "1080", "960"]))?;
        let paid: Vec<Money> = r.years.iter().map(|y| y.paid).collect();
        assert_eq!(paid, [m("100"), m("-30"), m("30")]);
        assert_eq!(r.years[2].carried_out, m("10"));
        assert_eq!(r.total_paid, m("100"));
        assert_eq!((r.forfeited_gain, r.waived_loss), (m("10"), m("0")));
        assert_eq!(r.total_before_limits, m("110"));
        Ok(())
    }

    #[test]
    fn without_carry_forward_excess_is_forfeited() -> Result<()> {
        let r = settle_term(&term(false), &years(&["850", "1200"]))?;
        let paid: Vec<Money> = r.years.iter().map(|y| y.paid).collect();
        assert_eq!(paid, [m("100"), m("-150")]);
        assert_eq!(r.total_paid, m("-50"));
        assert_eq!((r.forfeited_gain, r.waived_loss), (m("50"), m("50")));
        Ok(())
    }

    #[test]
    fn years_must_be_in_order() {
        let mut ys = years(&["1000", "1000"]);
        ys.swap(0, 1);
        assert!(settle_term(&term(true), &ys).is_err());
        assert!(settle_term(&term(true), &[]).is_err());
    }
}
