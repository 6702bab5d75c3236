//! Exact allocation of an amount between parties, to the penny.
//!
//! # The rule
//!
//! The total is first rounded to whole pence with the caller's [`Rounding`] mode (the one
//! rounding step). Each party's exact share `total × wᵢ / Σw` is then rounded *down* to the
//! penny, and the pennies left over (always fewer than the number of parties) are handed out one
//! at a time to the parties with the largest fractional remainders. Ties go to the party that
//! comes first in the list. The parts therefore always sum exactly to the rounded total.
//!
//! A negative total is allocated as its magnitude and every part negated, so a loss is shared
//! exactly as a gain of the same size would be.
//!
//! The arithmetic is exact integer arithmetic on pence and on the weights scaled to a common
//! number of decimal places, widened to 256 bits where a product needs it: no floating point,
//! no rounded division, whatever the size of the inputs.
//!
//! # Weights
//!
//! Weights are non-negative decimals (shares, contract values, populations); only their ratios
//! matter. A party may have weight zero (it receives nothing), but the list must not be empty,
//! no weight may be negative, and not every weight may be zero.

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use crate::error::{ModelError, Result};
use crate::money::{Money, Rounding};

/// The working of an allocation: the parts and which parties received a leftover penny.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct Allocation {
    /// The total after rounding to pence; the parts sum to exactly this.
    pub total: Money,
    /// Each party's amount, in the order of the weights.
    pub parts: Vec<Money>,
    /// The positions (0-based) of the parties that received one extra penny by largest
    /// remainder, in the order the pennies were handed out.
    pub extra_penny: Vec<usize>,
}

/// Splits `total` in proportion to `weights` so that the parts sum exactly to the total
/// rounded to pence.
///
/// # Examples
///
/// ```
/// use commissioning_model::{allocate, Money, Rounding};
/// use rust_decimal::Decimal;
///
/// let total: Money = "100000.00".parse()?;
/// let parts = allocate(total, &[Decimal::ONE; 3], Rounding::HalfUp)?;
/// let shown: Vec<String> = parts.iter().map(ToString::to_string).collect();
/// assert_eq!(shown, ["£33,333.34", "£33,333.33", "£33,333.33"]);
/// # Ok::<(), commissioning_model::ModelError>(())
/// ```
///
/// # Errors
///
/// [`ModelError::Empty`] for no weights; [`ModelError::InvalidWeights`] for a negative weight,
/// all weights zero, or weights too large or too precise to combine exactly (a sum beyond
/// about 3.4 × 10³⁸ once scaled to whole numbers).
pub fn allocate(total: Money, weights: &[Decimal], rounding: Rounding) -> Result<Vec<Money>> {
    allocate_detailed(total, weights, rounding).map(|a| a.parts)
}

/// As [`allocate`], with the working: which parties received the leftover pennies.
///
/// # Examples
///
/// ```
/// use commissioning_model::{allocate_detailed, Money, Rounding};
/// use rust_decimal::Decimal;
///
/// let a = allocate_detailed(Money::from_pence(100), &[Decimal::ONE; 3], Rounding::HalfUp)?;
/// assert_eq!(a.parts, [Money::from_pence(34), Money::from_pence(33), Money::from_pence(33)]);
/// assert_eq!(a.extra_penny, [0]);
/// # Ok::<(), commissioning_model::ModelError>(())
/// ```
///
/// # Errors
///
/// As [`allocate`].
pub fn allocate_detailed(
    total: Money,
    weights: &[Decimal],
    rounding: Rounding,
) -> Result<Allocation> {
    let rounded = total.round(rounding);
    let pence = rounded
        .to_pence()
        .ok_or_else(|| ModelError::overflow("allocation total in pence"))?;
    let negative = pence < 0;
    let magnitude = pence.unsigned_abs();
    let scaled = integer_weights(weights)?;
    let sum = scaled
        .iter()
        .try_fold(0u128, |acc, w| acc.checked_add(*w))
        .ok_or_else(|| ModelError::InvalidWeights {
            field: "weights".to_owned(),
            reason: "the weights are too large to add up exactly; scale them down",
        })?;
    if sum == 0 {
        return Err(ModelError::InvalidWeights {
            field: "weights".to_owned(),
            reason: "all weights are zero, so there is no proportion to allocate by",
        });
    }

    let mut floors = Vec::with_capacity(scaled.len());
    let mut remainders = Vec::with_capacity(scaled.len());
    let mut handed_out: u128 = 0;
    for &w in &scaled {
        let (q, r) = mul_div(magnitude, w, sum);
        floors.push(q);
        remainders.push(r);
        // q ≤ magnitude·w/sum and Σw = sum, so the running total never exceeds `magnitude`.
        handed_out = handed_out.saturating_add(q);
    }
    let leftover = magnitude.saturating_sub(handed_out);

    let take = usize::try_from(leftover).unwrap_or(usize::MAX);
    let extra_penny = largest_remainders(&remainders, take);
    for &i in &extra_penny {
        if let Some(f) = floors.get_mut(i) {
            *f = f.saturating_add(1);
        }
    }

    let parts = floors
        .into_iter()
        .map(|p| pence_to_money(p, negative))
        .collect::<Result<Vec<_>>>()?;
    Ok(Allocation {
        total: rounded,
        parts,
        extra_penny,
    })
}

/// Splits an amount into `count` equal instalments that sum exactly to it rounded to pence;
/// the leftover pennies fall in the earliest instalments.
///
/// # Examples
///
/// ```
/// use commissioning_model::{instalments, Money, Rounding};
///
/// let annual: Money = "1000000.00".parse()?;
/// let months = instalments(annual, 12, Rounding::HalfUp)?;
/// assert_eq!(months[0].to_string(), "£83,333.34");
/// assert_eq!(months[4].to_string(), "£83,333.33");
/// assert_eq!(Money::checked_sum(months)?, annual);
/// # Ok::<(), commissioning_model::ModelError>(())
/// ```
///
/// # Errors
///
/// [`ModelError::OutOfRange`] when `count` is zero.
pub fn instalments(total: Money, count: u32, rounding: Rounding) -> Result<Vec<Money>> {
    if count == 0 {
        return Err(ModelError::out_of_range("instalments", count, "at least 1"));
    }
    // Equal weights: every remainder is the same, so the leftover pennies go to the first
    // instalments; computed directly, with the same result as `allocate`.
    let pence = total
        .round(rounding)
        .to_pence()
        .ok_or_else(|| ModelError::overflow("instalment total in pence"))?;
    let n = u128::from(count);
    let magnitude = pence.unsigned_abs();
    let base = magnitude.checked_div(n).unwrap_or(0);
    let extra = magnitude.checked_rem(n).unwrap_or(0);
    (0..n)
        .map(|i| {
            let part = if i < extra {
                base.saturating_add(1)
            } else {
                base
            };
            pence_to_money(part, pence < 0)
        })
        .collect()
}

/// The positions of the `take` largest remainders, largest first, ties to the lower position.
fn largest_remainders(remainders: &[u128], take: usize) -> Vec<usize> {
    if take == 0 {
        return Vec::new();
    }
    // Keys are unique (the position breaks ties), so an unstable selection is deterministic.
    let mut order: Vec<(std::cmp::Reverse<u128>, usize)> = remainders
        .iter()
        .enumerate()
        .map(|(i, &r)| (std::cmp::Reverse(r), i))
        .collect();
    if take < order.len() {
        order.select_nth_unstable(take);
        order.truncate(take);
    }
    order.sort_unstable();
    order.into_iter().map(|(_, i)| i).collect()
}

/// Pence as money, written with two decimal places where the mantissa allows and fewer for
/// whole pounds near the limit of `Decimal`.
fn pence_to_money(pence: u128, negative: bool) -> Result<Money> {
    let signed = i128::try_from(pence).map_err(|_| ModelError::overflow("allocation part"))?;
    let mut mantissa = if negative {
        signed.saturating_neg()
    } else {
        signed
    };
    let mut scale = 2;
    loop {
        if let Ok(d) = Decimal::try_from_i128_with_scale(mantissa, scale) {
            return Ok(Money::new(d));
        }
        if scale == 0 || mantissa.checked_rem(10) != Some(0) {
            return Err(ModelError::overflow("allocation part"));
        }
        mantissa = mantissa.checked_div(10).unwrap_or(0);
        scale = scale.saturating_sub(1);
    }
}

/// Scales every weight to a whole number at the largest scale among them.
fn integer_weights(weights: &[Decimal]) -> Result<Vec<u128>> {
    if weights.is_empty() {
        return Err(ModelError::Empty {
            field: "weights".to_owned(),
        });
    }
    if let Some(i) = weights
        .iter()
        .position(|w| w.is_sign_negative() && !w.is_zero())
    {
        return Err(ModelError::InvalidWeights {
            field: format!("weights[{i}]"),
            reason: "a weight must not be negative",
        });
    }
    // Weights as written usually share a scale and fit at once; only when scaling overflows
    // are trailing zeros stripped (`1.500` → `1.5`) and the scaling tried again.
    scale_to_integers(weights.iter().copied())
        .or_else(|_| scale_to_integers(weights.iter().map(Decimal::normalize)))
}

fn scale_to_integers(weights: impl Iterator<Item = Decimal> + Clone) -> Result<Vec<u128>> {
    let scale = weights.clone().map(|w| w.scale()).max().unwrap_or(0);
    weights
        .map(|w| {
            10u128
                .checked_pow(scale.saturating_sub(w.scale()))
                .and_then(|f| w.mantissa().unsigned_abs().checked_mul(f))
                .ok_or_else(|| ModelError::InvalidWeights {
                    field: "weights".to_owned(),
                    reason: "the weights span too many orders of magnitude to combine exactly; round the smallest or scale the largest down",
                })
        })
        .collect()
}

/// `(a·b / d, a·b mod d)` for `d > 0` and a quotient that fits in 128 bits, which holds here
/// because `b ≤ d`.
fn mul_div(a: u128, b: u128, d: u128) -> (u128, u128) {
    if let Some(p) = a.checked_mul(b) {
        return (p.checked_div(d).unwrap_or(0), p.checked_rem(d).unwrap_or(0));
    }
    let (hi, lo) = mul_wide(a, b);
    div_wide(hi, lo, d)
}

/// The full 256-bit product of two 128-bit numbers as `(high, low)` halves.
#[allow(clippy::arithmetic_side_effects)] // every operation is on 64-bit halves and cannot overflow 128 bits
fn mul_wide(a: u128, b: u128) -> (u128, u128) {
    const MASK: u128 = u64::MAX as u128;
    let (a1, a0) = (a >> 64, a & MASK);
    let (b1, b0) = (b >> 64, b & MASK);
    let p00 = a0 * b0;
    let p01 = a0 * b1;
    let p10 = a1 * b0;
    let p11 = a1 * b1;
    let mid = (p00 >> 64) + (p01 & MASK) + (p10 & MASK);
    let lo = (p00 & MASK) | (mid << 64);
    let hi = p11 + (p01 >> 64) + (p10 >> 64) + (mid >> 64);
    (hi, lo)
}

/// Long division of the 256-bit `(hi, lo)` by `d`, for `hi < d`.
fn div_wide(hi: u128, lo: u128, d: u128) -> (u128, u128) {
    let mut rem = hi;
    let mut quot: u128 = 0;
    for bit in (0..128).rev() {
        let carry = rem >> 127;
        rem = (rem << 1) | ((lo >> bit) & 1);
        quot <<= 1;
        if carry == 1 || rem >= d {
            rem = rem.wrapping_sub(d);
            quot |= 1;
        }
    }
    (quot, rem)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn money(s: &str) -> Money {
        s.parse().unwrap_or_else(|e| panic!("{s}: {e}"))
    }

    #[test]
    fn instalments_match_equal_weight_allocation() -> Result<()> {
        for total in ["1000000.00", "-0.07", "12345.675", "0"] {
            for n in [1u32, 7, 12, 13] {
                let weights = vec![Decimal::ONE; n as usize];
                assert_eq!(
                    instalments(money(total), n, Rounding::HalfUp)?,
                    allocate(money(total), &weights, Rounding::HalfUp)?,
                    "{total} / {n}"
                );
            }
        }
        Ok(())
    }

    #[test]
    fn wide_arithmetic_matches_narrow() {
        for (a, b, d) in [
            (10u128, 7u128, 3u128),
            (u64::MAX as u128, 12345, 99_999),
            (1, 1, 1),
        ] {
            let (q, r) = mul_div(a, b, d);
            let (hi, lo) = mul_wide(a, b);
            assert_eq!(hi, 0);
            assert_eq!(div_wide(hi, lo, d), (q, r));
        }
    }

    #[test]
    fn wide_arithmetic_on_huge_values() {
        // (2^100 + 3)(2^100 − 1) = 2^200 + 2^101 − 3 = (2^100 + 1)·2^100 + (2^100 − 3)
        let two100 = 1u128 << 100;
        let (q, r) = mul_div(two100 + 3, two100 - 1, two100);
        assert_eq!(q, two100 + 1);
        assert_eq!(r, two100 - 3);
    }

    #[test]
    fn three_equal_parts_of_100000() -> Result<()> {
        let parts = allocate(money("100000.00"), &[Decimal::ONE; 3], Rounding::HalfUp)?;
        assert_eq!(
            parts,
            [money("33333.34"), money("33333.33"), money("33333.33")]
        );
        Ok(())
    }

    #[test]
    fn ties_go_to_the_earlier_party() -> Result<()> {
        let a = allocate_detailed(money("0.02"), &[Decimal::ONE; 3], Rounding::HalfUp)?;
        assert_eq!(a.parts, [money("0.01"), money("0.01"), money("0.00")]);
        assert_eq!(a.extra_penny, [0, 1]);
        Ok(())
    }

    #[test]
    fn largest_remainder_wins_over_position() -> Result<()> {
        // 1.00 by 1:2 → 0.333.. and 0.666..: the second has the larger remainder.
        let parts = allocate(
            money("1.00"),
            &[Decimal::ONE, Decimal::TWO],
            Rounding::HalfUp,
        )?;
        assert_eq!(parts, [money("0.33"), money("0.67")]);
        Ok(())
    }

    #[test]
    fn negative_totals_mirror_positive_ones() -> Result<()> {
        let parts = allocate(money("-100.00"), &[Decimal::ONE; 3], Rounding::HalfUp)?;
        assert_eq!(parts, [money("-33.34"), money("-33.33"), money("-33.33")]);
        Ok(())
    }

    #[test]
    fn total_is_rounded_once_first() -> Result<()> {
        let a = allocate_detailed(money("10.005"), &[Decimal::ONE; 2], Rounding::HalfEven)?;
        assert_eq!(a.total, money("10.00"));
        let b = allocate_detailed(money("10.005"), &[Decimal::ONE; 2], Rounding::HalfUp)?;
        assert_eq!(b.total, money("10.01"));
        assert_eq!(b.parts, [money("5.01"), money("5.00")]);
        Ok(())
    }

    #[test]
    fn zero_weight_parties_get_nothing() -> Result<()> {
        let parts = allocate(
            money("10.00"),
            &[Decimal::ZERO, Decimal::ONE],
            Rounding::HalfUp,
        )?;
        assert_eq!(parts, [money("0.00"), money("10.00")]);
        Ok(())
    }

    #[test]
    fn bad_weights_are_errors() {
        assert!(matches!(
            allocate(money("1"), &[], Rounding::HalfUp),
            Err(ModelError::Empty { .. })
        ));
        assert!(matches!(
            allocate(
                money("1"),
                &[Decimal::ZERO, Decimal::ZERO],
                Rounding::HalfUp
            ),
            Err(ModelError::InvalidWeights { .. })
        ));
        let err = allocate(
            money("1"),
            &[Decimal::ONE, Decimal::NEGATIVE_ONE],
            Rounding::HalfUp,
        );
        assert!(
            matches!(&err, Err(ModelError::InvalidWeights { field, .. }) if field == "weights[1]"),
            "{err:?}"
        );
        assert!(instalments(money("1"), 0, Rounding::HalfUp).is_err());
    }

    #[test]
    fn extreme_values_allocate_exactly() -> Result<()> {
        let parts = allocate(
            Money::MAX,
            &[Decimal::MAX, Decimal::ONE, Decimal::new(1, 28)],
            Rounding::HalfUp,
        );
        // Weights spanning 56 orders of magnitude cannot be combined exactly: a clear error.
        assert!(parts.is_err());
        let big = Money::new(Decimal::from_i128_with_scale(10i128.pow(27), 0));
        let parts = allocate(
            big,
            &[Decimal::MAX, Decimal::MAX, Decimal::ONE],
            Rounding::HalfUp,
        )?;
        assert_eq!(Money::checked_sum(parts)?, big);
        // Whole pounds at the very top of the range stay representable.
        let parts = allocate(Money::MAX, &[Decimal::ONE], Rounding::HalfUp)?;
        assert_eq!(parts, [Money::MAX]);
        Ok(())
    }
}
