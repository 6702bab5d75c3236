//! The shared amount of one settlement in exact integer arithmetic, when no step would round.
//!
//! Every amount, rate and score of a settlement is a decimal: an integer mantissa and a scale.
//! While every mantissa stays within a `Decimal`'s 96 bits and every scale within 28 places,
//! `Decimal`'s sums, differences and products are exact, so the same steps on the mantissas
//! (scales aligned for sums and comparisons, added for products) give the same values with
//! a few integer instructions each. [`shared`] takes those steps for the band sum, the quality
//! gate and the caps, and gives up (`None`) at anything else: a step that would need more
//! than 96 bits or 28 places, an input or agreement that [`crate::settle()`] refuses, a cap on
//! another base, or a loss-side quality rate. The caller then takes the `Decimal` steps, which
//! give the same value or the error with its field. A property test checks both ways agree
//! with `settle` on generated agreements.

use std::cmp::Ordering;

use commissioning_model::{Decimal, Money};

use crate::agreement::{Agreement, GainGate, Limit, Mode, Threshold};
use crate::settle::{QualityOutcome, SettlementInput};

/// `mantissa × 10^-scale`, with the mantissa below 2^96 in magnitude and the scale at most 28:
/// a value a `Decimal` holds exactly.
#[derive(Debug, Clone, Copy)]
struct Exact {
    mantissa: i128,
    scale: u32,
}

/// The exclusive bound on a `Decimal`'s mantissa, 2^96.
const MANTISSA_BOUND: u128 = 1 << 96;
/// A `Decimal`'s greatest scale.
const MAX_SCALE: u32 = 28;

/// 10^0 to 10^28, the widenings between any two scales.
// Evaluated when compiling: an index out of range or an overflow would fail the build.
#[allow(clippy::indexing_slicing, clippy::arithmetic_side_effects)]
const POWERS_OF_TEN: [i128; 29] = {
    let mut powers = [1i128; 29];
    let mut k = 1;
    while k < powers.len() {
        powers[k] = powers[k - 1] * 10;
        k += 1;
    }
    powers
};

impl Exact {
    const ZERO: Self = Self {
        mantissa: 0,
        scale: 0,
    };

    fn new(mantissa: i128, scale: u32) -> Option<Self> {
        (mantissa.unsigned_abs() < MANTISSA_BOUND && scale <= MAX_SCALE)
            .then_some(Self { mantissa, scale })
    }

    fn of(d: Decimal) -> Self {
        Self {
            mantissa: d.mantissa(),
            scale: d.scale(),
        }
    }

    fn money(self) -> Option<Money> {
        Decimal::try_from_i128_with_scale(self.mantissa, self.scale)
            .ok()
            .map(Money::new)
    }

    /// The mantissa written at a scale at least this one's.
    fn at_scale(self, scale: u32) -> Option<i128> {
        match scale.checked_sub(self.scale)? {
            0 => Some(self.mantissa),
            places => {
                let power = POWERS_OF_TEN.get(usize::try_from(places).ok()?)?;
                self.mantissa.checked_mul(*power)
            }
        }
    }

    /// Both mantissas at the wider of the two scales.
    fn aligned(self, other: Self) -> Option<(i128, i128, u32)> {
        let scale = self.scale.max(other.scale);
        Some((self.at_scale(scale)?, other.at_scale(scale)?, scale))
    }

    fn add(self, other: Self) -> Option<Self> {
        let (a, b, scale) = self.aligned(other)?;
        Self::new(a.checked_add(b)?, scale)
    }

    fn sub(self, other: Self) -> Option<Self> {
        let (a, b, scale) = self.aligned(other)?;
        Self::new(a.checked_sub(b)?, scale)
    }

    fn mul(self, other: Self) -> Option<Self> {
        Self::new(
            self.mantissa.checked_mul(other.mantissa)?,
            self.scale.checked_add(other.scale)?,
        )
    }

    fn cmp(self, other: Self) -> Option<Ordering> {
        let (a, b, _) = self.aligned(other)?;
        Some(a.cmp(&b))
    }

    fn is_zero(self) -> bool {
        self.mantissa == 0
    }
}

/// Whether the variance was a gain, and the shared amount before its sign, proration and
/// rounding, as [`super::Settler::transfer`] computes them, or `None` where these steps give
/// up (the `Decimal` steps then decide).
pub(super) fn shared(a: &Agreement, input: &SettlementInput) -> Option<(bool, Money)> {
    let target = Exact::of(input.target.amount());
    let outturn = Exact::of(input.outturn.amount());
    // Refused inputs, and a zero target (a percentage of it may be refused), go the long way.
    if target.mantissa <= 0 || outturn.mantissa < 0 {
        return None;
    }
    let variance = target.sub(outturn)?;
    let gain = variance.mantissa > 0;
    let rule = match variance.mantissa.cmp(&0) {
        Ordering::Equal => None,
        Ordering::Greater => a.gain.as_ref(),
        Ordering::Less => a.loss.as_ref(),
    };
    let Some(rule) = rule else {
        return Some((gain, Money::ZERO));
    };
    let magnitude = Exact::new(variance.mantissa.checked_abs()?, variance.scale)?;
    let resolve = |t: Threshold| match t {
        Threshold::Amount { amount } => Some(Exact::of(amount.amount())),
        Threshold::OfTarget { rate } => Exact::of(rate.fraction()).mul(target),
    };
    // The band sum.
    let mut total = Exact::ZERO;
    let mut reached = false;
    let mut first_dollar: Option<(Option<Exact>, Exact)> = None;
    for band in &rule.bands {
        let from = resolve(band.from)?;
        let to = match band.to {
            Some(t) => Some(resolve(t)?),
            None => None,
        };
        if let Some(to) = to
            && to.cmp(from)? != Ordering::Greater
        {
            return None;
        }
        let rate = Exact::of(band.rate.fraction());
        match rule.mode {
            Mode::NetOfThreshold => {
                if magnitude.cmp(from)? == Ordering::Greater {
                    let top = match to {
                        Some(to) if magnitude.cmp(to)? == Ordering::Greater => to,
                        _ => magnitude,
                    };
                    total = total.add(rate.mul(top.sub(from)?)?)?;
                    reached = true;
                }
            }
            Mode::FirstDollar => {
                let order = magnitude.cmp(from)?;
                let hit =
                    order == Ordering::Greater || (band.from_inclusive && order == Ordering::Equal);
                if hit {
                    first_dollar = Some((to, rate));
                }
            }
        }
    }
    if let Some((to, rate)) = first_dollar {
        let below = match to {
            Some(to) => magnitude.cmp(to)? == Ordering::Less,
            None => true,
        };
        if below {
            total = rate.mul(magnitude)?;
            reached = true;
        }
    }
    // The quality gate.
    let mut shared = total;
    if reached && let Some(gate) = &a.quality {
        if gain {
            if gate.gain != GainGate::None {
                let q = input.quality.as_ref()?;
                let factor = match (gate.gain, q.outcome) {
                    (_, QualityOutcome::Fails) => Exact::ZERO,
                    (GainGate::ScaleByScore, QualityOutcome::PartlyMeets) => {
                        let score = Exact::of(q.score?);
                        let hundred = Exact::of(Decimal::ONE_HUNDRED);
                        if score.mantissa < 0 || score.cmp(hundred)? == Ordering::Greater {
                            return None;
                        }
                        // score / 100, by moving the point.
                        Exact::new(score.mantissa, score.scale.checked_add(2)?)?
                    }
                    _ => Exact::new(1, 0)?,
                };
                shared = shared.mul(factor)?;
            }
        } else if gate.loss_rate.is_some() {
            return None;
        }
    }
    // The caps.
    let mut least: Option<Exact> = None;
    for cap in &rule.caps {
        let limit = match cap {
            Limit::Amount { amount } => Exact::of(amount.amount()),
            Limit::OfTarget { rate } => Exact::of(rate.fraction()).mul(target)?,
            Limit::OfBase { .. } => return None,
        };
        least = Some(match least {
            Some(l) if l.cmp(limit)? != Ordering::Greater => l,
            _ => limit,
        });
    }
    if let Some(least) = least
        && shared.cmp(least)? == Ordering::Greater
    {
        shared = least;
    }
    if shared.is_zero() {
        return Some((gain, Money::ZERO));
    }
    Some((gain, shared.money()?))
}
