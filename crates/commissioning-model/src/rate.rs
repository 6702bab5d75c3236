//! Rates and shares as exact decimal fractions.
//!
//! A [`Rate`] is any decimal fraction (an uplift, an efficiency factor, a variance): `0.125`
//! means 12.5%. A [`Share`] is a fraction that must lie between 0 and 1 inclusive (a sharing
//! rate, a variable rate, a party's portion). Both are written in JSON as decimal strings:
//! either a fraction (`"0.125"`) or a percentage with its sign (`"12.5%"`).

use rust_decimal::Decimal;
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::fmt;
use std::str::FromStr;

use crate::decimal::{DecimalVisitor, parse_decimal};
use crate::error::{ModelError, Result};
use crate::money::Money;

const HUNDRED: Decimal = Decimal::ONE_HUNDRED;

/// Converts a percentage to a fraction, refusing any loss of precision.
fn percent_to_fraction(field: &str, percent: Decimal) -> Result<Decimal> {
    let fraction = percent
        .checked_div(HUNDRED)
        .ok_or_else(|| ModelError::overflow("percentage to fraction"))?;
    if fraction.checked_mul(HUNDRED) == Some(percent) {
        Ok(fraction)
    } else {
        Err(ModelError::InvalidDecimal {
            field: field.to_owned(),
            input: format!("{percent}%"),
            reason: "the percentage has too many decimal places to be held exactly as a fraction",
        })
    }
}

/// Reads `"0.125"` or `"12.5%"` as the fraction 0.125.
fn parse_fraction(field: &str, input: &str) -> Result<Decimal> {
    match input.strip_suffix('%') {
        Some(p) => percent_to_fraction(field, parse_decimal(field, p)?),
        None => parse_decimal(field, input),
    }
}

/// A decimal fraction with no range restriction: `0.021` is 2.1%, `-0.01` is −1%.
///
/// # Examples
///
/// ```
/// use commissioning_model::Rate;
/// use rust_decimal::Decimal;
///
/// let uplift = Rate::from_percent(Decimal::new(215, 2))?; // 2.15%
/// assert_eq!(uplift.fraction(), Decimal::new(215, 4));
/// assert_eq!(uplift.to_string(), "2.15%");
/// assert_eq!("2.15%".parse::<Rate>()?, uplift);
/// # Ok::<(), commissioning_model::ModelError>(())
/// ```
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Rate(Decimal);

impl Rate {
    /// Zero.
    pub const ZERO: Self = Self(Decimal::ZERO);

    /// A rate from a decimal fraction (`0.5` for 50%).
    pub const fn from_fraction(fraction: Decimal) -> Self {
        Self(fraction)
    }

    /// A rate from a percentage (`50` for 50%).
    ///
    /// # Errors
    ///
    /// [`ModelError::InvalidDecimal`] when the percentage has so many decimal places that the
    /// fraction cannot be held exactly.
    pub fn from_percent(percent: Decimal) -> Result<Self> {
        percent_to_fraction("rate", percent).map(Self)
    }

    /// The rate as a fraction.
    pub const fn fraction(self) -> Decimal {
        self.0
    }

    /// The rate as a percentage (`0.125` → `12.5`).
    ///
    /// # Errors
    ///
    /// [`ModelError::Overflow`] for a fraction too large to multiply by 100.
    pub fn percent(self) -> Result<Decimal> {
        self.0
            .checked_mul(HUNDRED)
            .ok_or_else(|| ModelError::overflow("fraction to percentage"))
    }

    /// `amount × rate`, unrounded.
    ///
    /// # Errors
    ///
    /// [`ModelError::Overflow`] when the product does not fit.
    pub fn of(self, amount: Money) -> Result<Money> {
        amount.checked_mul_decimal(self.0)
    }

    /// Parses `"0.125"` or `"12.5%"`, naming `field` in any error.
    ///
    /// # Errors
    ///
    /// [`ModelError::InvalidDecimal`] for text that is neither form.
    pub fn parse_field(field: &str, input: &str) -> Result<Self> {
        parse_fraction(field, input).map(Self)
    }
}

/// A fraction between 0 and 1 inclusive: a sharing rate, a variable rate, a party's portion.
///
/// # Examples
///
/// ```
/// use commissioning_model::Share;
/// use rust_decimal::Decimal;
///
/// let s = Share::from_percent(Decimal::from(75))?;
/// assert_eq!(s.fraction(), Decimal::new(75, 2));
/// assert_eq!(s.complement().fraction(), Decimal::new(25, 2));
/// assert!(Share::try_new(Decimal::new(15, 1)).is_err()); // 1.5
/// # Ok::<(), commissioning_model::ModelError>(())
/// ```
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Share(Decimal);

impl Share {
    /// Nothing: 0.
    pub const ZERO: Self = Self(Decimal::ZERO);
    /// Everything: 1.
    pub const ONE: Self = Self(Decimal::ONE);

    /// A share from a fraction in 0..=1.
    ///
    /// # Errors
    ///
    /// [`ModelError::OutOfRange`] outside 0..=1.
    pub fn try_new(fraction: Decimal) -> Result<Self> {
        Self::try_new_field("share", fraction)
    }

    /// As [`Share::try_new`], naming `field` in the error.
    ///
    /// # Errors
    ///
    /// [`ModelError::OutOfRange`] outside 0..=1.
    pub fn try_new_field(field: &str, fraction: Decimal) -> Result<Self> {
        if fraction < Decimal::ZERO || fraction > Decimal::ONE {
            return Err(ModelError::out_of_range(field, fraction, "between 0 and 1"));
        }
        Ok(Self(fraction))
    }

    /// A share from a percentage in 0..=100.
    ///
    /// # Errors
    ///
    /// [`ModelError::OutOfRange`] outside 0..=100, [`ModelError::InvalidDecimal`] for a
    /// percentage too precise to hold as a fraction.
    pub fn from_percent(percent: Decimal) -> Result<Self> {
        Self::try_new(percent_to_fraction("share", percent)?)
    }

    /// The share as a fraction in 0..=1.
    pub const fn fraction(self) -> Decimal {
        self.0
    }

    /// The share as a percentage in 0..=100.
    pub fn percent(self) -> Decimal {
        // In 0..=1 the product cannot overflow; saturate defensively all the same.
        self.0.saturating_mul(HUNDRED)
    }

    /// `1 − share`.
    #[must_use]
    pub fn complement(self) -> Self {
        // In 0..=1 the difference is exact and in range.
        Self(Decimal::ONE.saturating_sub(self.0))
    }

    /// The share as an unrestricted [`Rate`].
    pub const fn as_rate(self) -> Rate {
        Rate(self.0)
    }

    /// `amount × share`, unrounded.
    ///
    /// # Errors
    ///
    /// [`ModelError::Overflow`] when the product does not fit (only for amounts near the
    /// limit of `Decimal` with very long fractions).
    pub fn of(self, amount: Money) -> Result<Money> {
        amount.checked_mul_decimal(self.0)
    }

    /// Parses `"0.75"` or `"75%"`, naming `field` in any error.
    ///
    /// # Errors
    ///
    /// [`ModelError::InvalidDecimal`] for malformed text, [`ModelError::OutOfRange`] outside
    /// 0..=1.
    pub fn parse_field(field: &str, input: &str) -> Result<Self> {
        Self::try_new_field(field, parse_fraction(field, input)?)
    }
}

impl TryFrom<Decimal> for Share {
    type Error = ModelError;
    fn try_from(value: Decimal) -> Result<Self> {
        Self::try_new(value)
    }
}

impl From<Share> for Rate {
    fn from(value: Share) -> Self {
        value.as_rate()
    }
}

impl FromStr for Rate {
    type Err = ModelError;
    fn from_str(s: &str) -> Result<Self> {
        Self::parse_field("rate", s)
    }
}

impl FromStr for Share {
    type Err = ModelError;
    fn from_str(s: &str) -> Result<Self> {
        Self::parse_field("share", s)
    }
}

fn fmt_percent(fraction: Decimal, f: &mut fmt::Formatter<'_>) -> fmt::Result {
    match fraction.checked_mul(HUNDRED) {
        Some(p) => f.pad(&format!("{}%", p.normalize())),
        None => f.pad(&format!("{}", fraction.normalize())),
    }
}

impl fmt::Display for Rate {
    /// As a percentage: `12.5%`, `-1%`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt_percent(self.0, f)
    }
}

impl fmt::Display for Share {
    /// As a percentage: `75%`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt_percent(self.0, f)
    }
}

#[cfg(feature = "schema")]
impl schemars::JsonSchema for Rate {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "Rate".into()
    }

    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({
            "description": "A decimal fraction (\"0.125\") or a percentage (\"12.5%\")",
            "type": ["string", "number"],
            "pattern": "^-?[0-9]+(\\.[0-9]+)?%?$"
        })
    }
}

#[cfg(feature = "schema")]
impl schemars::JsonSchema for Share {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "Share".into()
    }

    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({
            "description": "A fraction between 0 and 1 (\"0.75\") or a percentage between 0% and 100% (\"75%\")",
            "type": ["string", "number"],
            "pattern": "^[0-9]+(\\.[0-9]+)?%?$"
        })
    }
}

impl Serialize for Rate {
    /// As a decimal fraction string without trailing zeros, whatever the scale it was read
    /// at: `"0.125"` (and `"12.50%"` is written `"0.125"`).
    fn serialize<S: Serializer>(&self, serializer: S) -> std::result::Result<S::Ok, S::Error> {
        serializer.collect_str(&self.0.normalize())
    }
}

impl Serialize for Share {
    /// As a decimal fraction string without trailing zeros, whatever the scale it was read
    /// at: `"0.75"` (and `"75%"` is written `"0.75"`).
    fn serialize<S: Serializer>(&self, serializer: S) -> std::result::Result<S::Ok, S::Error> {
        serializer.collect_str(&self.0.normalize())
    }
}

struct FractionVisitor;

impl serde::de::Visitor<'_> for FractionVisitor {
    type Value = Decimal;
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(
            "a fraction as a decimal string such as \"0.125\", or a percentage such as \"12.5%\"",
        )
    }
    fn visit_str<E: serde::de::Error>(self, v: &str) -> std::result::Result<Decimal, E> {
        parse_fraction("value", v).map_err(E::custom)
    }
    fn visit_i64<E: serde::de::Error>(self, v: i64) -> std::result::Result<Decimal, E> {
        DecimalVisitor { allow_float: false }.visit_i64(v)
    }
    fn visit_u64<E: serde::de::Error>(self, v: u64) -> std::result::Result<Decimal, E> {
        DecimalVisitor { allow_float: false }.visit_u64(v)
    }
    fn visit_f64<E: serde::de::Error>(self, v: f64) -> std::result::Result<Decimal, E> {
        DecimalVisitor { allow_float: true }.visit_f64(v)
    }
}

impl<'de> Deserialize<'de> for Rate {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> std::result::Result<Self, D::Error> {
        deserializer.deserialize_any(FractionVisitor).map(Self)
    }
}

impl<'de> Deserialize<'de> for Share {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> std::result::Result<Self, D::Error> {
        let d = deserializer.deserialize_any(FractionVisitor)?;
        Self::try_new_field("share", d).map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn percent_and_fraction_forms_agree() -> Result<()> {
        assert_eq!("12.5%".parse::<Rate>()?, "0.125".parse::<Rate>()?);
        assert_eq!("-1%".parse::<Rate>()?.fraction(), Decimal::new(-1, 2));
        assert_eq!("75%".parse::<Share>()?.to_string(), "75%");
        Ok(())
    }

    #[test]
    fn shares_outside_unit_interval_are_rejected() {
        assert!("1.5".parse::<Share>().is_err());
        assert!("-0.01".parse::<Share>().is_err());
        assert!("101%".parse::<Share>().is_err());
        assert!(serde_json::from_str::<Share>("\"1.5\"").is_err());
        assert!(serde_json::from_str::<Share>("1").is_ok());
    }

    #[test]
    fn too_precise_percentages_are_rejected() {
        let p = Decimal::from_i128_with_scale(1, 28);
        assert!(Rate::from_percent(p).is_err());
    }

    #[test]
    fn serde_round_trip() -> std::result::Result<(), serde_json::Error> {
        let s: Share = serde_json::from_str("\"0.75\"")?;
        assert_eq!(serde_json::to_string(&s)?, "\"0.75\"");
        let r: Rate = serde_json::from_str("\"2.15%\"")?;
        assert_eq!(serde_json::to_string(&r)?, "\"0.0215\"");
        Ok(())
    }
}
