//! Settling many periods quickly: the transfer alone, with no working and no heap allocation.
//!
//! [`Settler`] checks an agreement once and then settles any number of inputs, returning only
//! the transfer (after the party caps, before the split). It follows exactly the same steps as
//! [`crate::settle()`] and gives exactly the same transfer (a property test checks this on
//! generated agreements); use it for batches and simulations, and `settle` when the working or
//! the split is wanted.

use commissioning_model::{Decimal, Money, Share};

use crate::agreement::{Agreement, Basis, GainGate, Mode, SideRule};
use crate::error::{Result, RiskError, overflow};
use crate::settle::{QualityOutcome, SettlementInput, cap_limit};

/// An agreement checked once, ready to settle many inputs.
#[derive(Debug, Clone, Copy)]
pub struct Settler<'a> {
    agreement: &'a Agreement,
    /// What capped parties can absorb, when every party on a side is capped.
    capacity: Option<Money>,
}

impl<'a> Settler<'a> {
    /// Checks the agreement ([`Agreement::validate`]) once.
    ///
    /// # Errors
    ///
    /// [`RiskError::InvalidAgreement`] as [`Agreement::validate`].
    pub fn new(agreement: &'a Agreement) -> Result<Self> {
        agreement.validate()?;
        let capacity = agreement.split.as_ref().and_then(|s| {
            [s.commissioners.capacity(), s.providers.capacity()]
                .into_iter()
                .flatten()
                .min()
        });
        Ok(Self {
            agreement,
            capacity,
        })
    }

    /// The transfer for one input: positive when the commissioner pays the provider.
    ///
    /// ```
    /// use commissioning_risk::fast::Settler;
    /// use commissioning_risk::presets::aca_risk_corridor;
    /// use commissioning_risk::settle::SettlementInput;
    /// use commissioning_model::Money;
    ///
    /// let aca = aca_risk_corridor();
    /// let settler = Settler::new(&aca)?;
    /// let t = settler.transfer(&SettlementInput::new("100000000.00".parse()?, "110000000.00".parse()?))?;
    /// assert_eq!(t, "4100000.00".parse::<Money>()?);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    ///
    /// # Errors
    ///
    /// As [`crate::settle()`] for the input.
    pub fn transfer(&self, input: &SettlementInput) -> Result<Money> {
        let a = self.agreement;
        if input.target.is_negative() {
            return Err(RiskError::input(
                "target",
                format!("must not be negative, got {}", input.target),
            ));
        }
        if input.outturn.is_negative() {
            return Err(RiskError::input(
                "outturn",
                format!("must not be negative, got {}", input.outturn),
            ));
        }
        let variance = input.target.checked_sub(input.outturn)?;
        let gain = variance > Money::ZERO;
        let (rule, side) = if variance.is_zero() {
            (None, "none")
        } else if gain {
            (a.gain.as_ref(), "gain")
        } else {
            (a.loss.as_ref(), "loss")
        };
        let magnitude = variance.abs();
        let mut shared = Money::ZERO;
        if let Some(rule) = rule {
            let (gross, reached) = band_sum(rule, side, input.target, magnitude, None)?;
            shared = gross;
            if reached && let Some(gate) = &a.quality {
                shared = quality(gate, input, rule, side, gain, magnitude, shared)?;
            }
            shared = caps(rule, side, input, shared)?;
        }
        let to_provider = matches!(
            (a.basis, gain),
            (Basis::SharedSavings, true) | (Basis::RiskCorridor, false)
        );
        let mut transfer = if to_provider {
            shared
        } else {
            shared.negated()
        };
        if let Some(factor) = input.proration
            && transfer > Money::ZERO
            && factor != Share::ONE
        {
            transfer = factor.of(transfer)?;
        }
        let mut rounded = transfer.round(a.rounding);
        if let Some(limit) = self.capacity
            && rounded.abs() > limit
        {
            rounded = if rounded.is_negative() {
                limit.negated()
            } else {
                limit
            };
        }
        Ok(rounded)
    }

    /// The transfers for many inputs, in order.
    ///
    /// # Errors
    ///
    /// The first input's error, its position named in the field (`inputs[12].target`).
    pub fn transfers(&self, inputs: &[SettlementInput]) -> Result<Vec<Money>> {
        inputs
            .iter()
            .enumerate()
            .map(|(i, input)| {
                self.transfer(input).map_err(|e| match e {
                    RiskError::InvalidInput { field, reason } => {
                        RiskError::input(format!("inputs[{i}].{field}"), reason)
                    }
                    other => other,
                })
            })
            .collect()
    }
}

/// The shared amount from the bands, and whether any band was reached.
fn band_sum(
    rule: &SideRule,
    side: &str,
    target: Money,
    magnitude: Money,
    rate: Option<Share>,
) -> Result<(Money, bool)> {
    let mut total = Money::ZERO;
    let mut reached = false;
    let mut first_dollar: Option<(Money, Option<Money>, Share)> = None;
    for (i, band) in rule.bands.iter().enumerate() {
        let from = band
            .from
            .resolve_lazy(target, || format!("{side}.bands[{i}].from"))?;
        let to = band
            .to
            .map(|t| t.resolve_lazy(target, || format!("{side}.bands[{i}].to")))
            .transpose()?;
        if let Some(to) = to
            && to <= from
        {
            return Err(RiskError::agreement(
                format!("{side}.bands[{i}].to"),
                format!("resolves to {to}, not above the band's start {from}"),
            ));
        }
        let r = rate.unwrap_or(band.rate);
        match rule.mode {
            Mode::NetOfThreshold => {
                if magnitude > from {
                    let top = to.map_or(magnitude, |t| magnitude.min(t));
                    total = total.checked_add(r.of(top.checked_sub(from)?)?)?;
                    reached = true;
                }
            }
            Mode::FirstDollar => {
                let hit = if band.from_inclusive {
                    magnitude >= from
                } else {
                    magnitude > from
                };
                if hit {
                    first_dollar = Some((from, to, r));
                }
            }
        }
    }
    if let Some((_, to, r)) = first_dollar
        && to.is_none_or(|t| magnitude < t)
    {
        total = r.of(magnitude)?;
        reached = true;
    }
    Ok((total, reached))
}

fn quality(
    gate: &crate::agreement::QualityGate,
    input: &SettlementInput,
    rule: &SideRule,
    side: &str,
    gain: bool,
    magnitude: Money,
    shared: Money,
) -> Result<Money> {
    let needed = if gain {
        gate.gain != GainGate::None
    } else {
        gate.loss_rate.is_some()
    };
    if !needed {
        return Ok(shared);
    }
    let q = input.quality.as_ref().ok_or_else(|| {
        RiskError::input(
            "quality",
            "the agreement's quality gate needs a quality result",
        )
    })?;
    let score = || -> Result<Decimal> {
        match q.score {
            Some(s) if s < Decimal::ZERO || s > Decimal::ONE_HUNDRED => Err(RiskError::input(
                "quality.score",
                format!("must be between 0 and 100, got {s}"),
            )),
            Some(s) => Ok(s),
            None => Err(RiskError::input(
                "quality.score",
                "a score is needed for this quality outcome",
            )),
        }
    };
    if gain {
        let factor = match (gate.gain, q.outcome) {
            (_, QualityOutcome::Fails) => Decimal::ZERO,
            (GainGate::ScaleByScore, QualityOutcome::PartlyMeets) => score()?
                .checked_div(Decimal::ONE_HUNDRED)
                .ok_or_else(|| overflow("quality factor"))?,
            _ => Decimal::ONE,
        };
        Ok(shared.checked_mul_decimal(factor)?)
    } else {
        let Some(lr) = &gate.loss_rate else {
            return Ok(shared);
        };
        let rate = if q.outcome == QualityOutcome::Fails {
            lr.on_fail.fraction()
        } else {
            let raw = score()?
                .checked_mul(lr.slope)
                .and_then(|v| v.checked_div(Decimal::ONE_HUNDRED))
                .and_then(|v| lr.intercept.checked_sub(v))
                .ok_or_else(|| overflow("quality-adjusted loss rate"))?;
            raw.max(lr.min.fraction()).min(lr.max.fraction())
        };
        let rate = Share::try_new_field("quality.loss_rate", rate.normalize())?;
        Ok(band_sum(rule, side, input.target, magnitude, Some(rate))?.0)
    }
}

fn caps(rule: &SideRule, side: &str, input: &SettlementInput, shared: Money) -> Result<Money> {
    let mut least: Option<Money> = None;
    for (i, cap) in rule.caps.iter().enumerate() {
        let limit = cap_limit(cap, side, i, input)?;
        least = Some(least.map_or(limit, |l| l.min(limit)));
    }
    Ok(match least {
        Some(l) if shared > l => l,
        _ => shared,
    })
}
