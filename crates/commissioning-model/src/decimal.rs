//! Strict reading of decimal numbers, and serde helpers for plain decimals.
//!
//! Decimal text must be plain: an optional `-`, ASCII digits, and optionally a `.` followed by
//! ASCII digits (`"1234.56"`, `"-0.5"`, `"7"`). Exponents, underscores, a leading `+`, spaces and
//! non-ASCII digits are rejected, and so is any value that `Decimal` cannot hold exactly (more
//! than 28 decimal places, or a magnitude beyond about 7.9 × 10²⁸).

use rust_decimal::Decimal;
use serde::de::{self, Visitor};
use serde::{Deserializer, Serializer};
use std::fmt;

use crate::error::{ModelError, Result};

/// Reads plain decimal text exactly, naming `field` in the error.
///
/// # Errors
///
/// [`ModelError::InvalidDecimal`] when the text is not plain decimal notation or does not fit
/// exactly in a `Decimal`.
///
/// # Examples
///
/// ```
/// use commissioning_model::decimal::parse_decimal;
/// use rust_decimal::Decimal;
///
/// assert_eq!(parse_decimal("rate", "0.125")?, Decimal::new(125, 3));
/// assert!(parse_decimal("rate", "1e3").is_err());
/// # Ok::<(), commissioning_model::ModelError>(())
/// ```
pub fn parse_decimal(field: &str, input: &str) -> Result<Decimal> {
    let err = |reason: &'static str| ModelError::InvalidDecimal {
        field: field.to_owned(),
        input: truncate(input),
        reason,
    };
    let digits = input.strip_prefix('-').unwrap_or(input);
    let (int_part, frac_part) = match digits.split_once('.') {
        Some((i, f)) => (i, Some(f)),
        None => (digits, None),
    };
    if int_part.is_empty() {
        return Err(err("expected at least one digit before the decimal point"));
    }
    if !int_part.bytes().all(|b| b.is_ascii_digit()) {
        return Err(err(
            "expected plain decimal notation: an optional '-', ASCII digits and an optional '.' followed by digits",
        ));
    }
    if let Some(frac) = frac_part {
        if frac.is_empty() {
            return Err(err("expected at least one digit after the decimal point"));
        }
        if !frac.bytes().all(|b| b.is_ascii_digit()) {
            return Err(err(
                "expected plain decimal notation: an optional '-', ASCII digits and an optional '.' followed by digits",
            ));
        }
        if frac.len() > 28 {
            return Err(err("more than 28 decimal places cannot be held exactly"));
        }
    }
    Decimal::from_str_exact(input)
        .map_err(|_| err("the value does not fit exactly in a 96-bit decimal (at most about 7.9e28 and 28 significant digits)"))
}

/// Shortens very long input before it is echoed back in an error message.
pub(crate) fn truncate(input: &str) -> String {
    const MAX: usize = 64;
    if input.chars().count() <= MAX {
        input.to_owned()
    } else {
        let head: String = input.chars().take(MAX).collect();
        format!("{head}…")
    }
}

/// Reads a JSON float through its shortest round-trip decimal representation.
pub(crate) fn decimal_from_f64(field: &str, value: f64) -> Result<Decimal> {
    if !value.is_finite() {
        return Err(ModelError::InvalidDecimal {
            field: field.to_owned(),
            input: value.to_string(),
            reason: "NaN and infinities are not numbers",
        });
    }
    let text = format!("{value}");
    parse_decimal(field, &text)
}

/// Serde helpers for a plain `Decimal` field (a quantity, a weight, a population).
///
/// Serialises as a decimal string; deserialises from a decimal string, a JSON integer, or a
/// JSON number read through its shortest round-trip decimal representation (write values with
/// more than 15 significant digits as strings).
pub mod serde_decimal {
    use super::{Decimal, DecimalVisitor, Deserializer, Serializer};

    /// Serialises a `Decimal` as a string.
    ///
    /// # Errors
    ///
    /// Only the serializer's own errors.
    pub fn serialize<S: Serializer>(value: &Decimal, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(value)
    }

    /// Deserialises a `Decimal` from a string or a number.
    ///
    /// # Errors
    ///
    /// When the value is not plain decimal text, is a non-finite number, or does not fit.
    pub fn deserialize<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Decimal, D::Error> {
        deserializer.deserialize_any(DecimalVisitor { allow_float: true })
    }
}

/// Serde helpers for an `Option<Decimal>` field, as [`serde_decimal`].
pub mod serde_decimal_opt {
    use super::{Decimal, Deserializer, Serializer};
    use serde::Deserialize;

    /// Serialises an optional `Decimal` as a string or `null`.
    ///
    /// # Errors
    ///
    /// Only the serializer's own errors.
    pub fn serialize<S: Serializer>(
        value: &Option<Decimal>,
        serializer: S,
    ) -> Result<S::Ok, S::Error> {
        match value {
            Some(v) => serializer.collect_str(v),
            None => serializer.serialize_none(),
        }
    }

    /// Deserialises an optional `Decimal`.
    ///
    /// # Errors
    ///
    /// As [`super::serde_decimal::deserialize`].
    pub fn deserialize<'de, D: Deserializer<'de>>(
        deserializer: D,
    ) -> Result<Option<Decimal>, D::Error> {
        #[derive(Deserialize)]
        struct Wrap(#[serde(with = "super::serde_decimal")] Decimal);
        Ok(Option::<Wrap>::deserialize(deserializer)?.map(|w| w.0))
    }
}

/// Serde helpers for a `Vec<Decimal>` field (shares, weights), each element as
/// [`serde_decimal`].
pub mod serde_decimal_vec {
    use super::{Decimal, Deserializer, Serializer};
    use serde::Deserialize;
    use serde::ser::SerializeSeq;

    /// Serialises the decimals as strings.
    ///
    /// # Errors
    ///
    /// Only the serializer's own errors.
    pub fn serialize<S: Serializer>(values: &[Decimal], serializer: S) -> Result<S::Ok, S::Error> {
        let mut seq = serializer.serialize_seq(Some(values.len()))?;
        for v in values {
            seq.serialize_element(&v.to_string())?;
        }
        seq.end()
    }

    /// Deserialises a list of decimals.
    ///
    /// # Errors
    ///
    /// As [`super::serde_decimal::deserialize`], for any element.
    pub fn deserialize<'de, D: Deserializer<'de>>(
        deserializer: D,
    ) -> Result<Vec<Decimal>, D::Error> {
        #[derive(Deserialize)]
        struct Wrap(#[serde(with = "super::serde_decimal")] Decimal);
        Ok(Vec::<Wrap>::deserialize(deserializer)?
            .into_iter()
            .map(|w| w.0)
            .collect())
    }
}

pub(crate) struct DecimalVisitor {
    pub(crate) allow_float: bool,
}

impl Visitor<'_> for DecimalVisitor {
    type Value = Decimal;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.allow_float {
            f.write_str("a decimal string such as \"1234.56\" or a number")
        } else {
            f.write_str("a decimal string such as \"1234.56\" or a whole number")
        }
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<Decimal, E> {
        parse_decimal("value", v).map_err(E::custom)
    }

    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Decimal, E> {
        Ok(Decimal::from(v))
    }

    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Decimal, E> {
        Ok(Decimal::from(v))
    }

    fn visit_i128<E: de::Error>(self, v: i128) -> Result<Decimal, E> {
        Decimal::try_from_i128_with_scale(v, 0)
            .map_err(|_| E::custom("the number does not fit in a 96-bit decimal"))
    }

    fn visit_u128<E: de::Error>(self, v: u128) -> Result<Decimal, E> {
        i128::try_from(v)
            .ok()
            .and_then(|v| Decimal::try_from_i128_with_scale(v, 0).ok())
            .ok_or_else(|| E::custom("the number does not fit in a 96-bit decimal"))
    }

    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Decimal, E> {
        if self.allow_float {
            decimal_from_f64("value", v).map_err(E::custom)
        } else {
            Err(E::custom(format!(
                "amounts of money must be written as decimal strings such as \"1234.56\", not as JSON fractions, so that no binary rounding touches them; got {v}"
            )))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_decimals_parse_exactly() {
        assert_eq!(
            parse_decimal("x", "1234.56").ok(),
            Some(Decimal::new(123_456, 2))
        );
        assert_eq!(parse_decimal("x", "-0.5").ok(), Some(Decimal::new(-5, 1)));
        assert_eq!(parse_decimal("x", "007").ok(), Some(Decimal::from(7)));
    }

    #[test]
    fn anything_but_plain_notation_is_rejected() {
        for bad in [
            "", "-", ".5", "5.", "1e3", "+1", "1_000", " 1", "1 ", "1,000", "١٢", "--1", "1.2.3",
            "NaN", "inf",
        ] {
            assert!(
                parse_decimal("x", bad).is_err(),
                "{bad:?} should be rejected"
            );
        }
    }

    #[test]
    fn values_beyond_decimal_are_rejected_not_rounded() {
        assert!(parse_decimal("x", "79228162514264337593543950336").is_err());
        assert!(parse_decimal("x", "0.00000000000000000000000000001").is_err());
        assert!(parse_decimal("x", "79228162514264337593543950335").is_ok());
    }

    #[test]
    fn non_finite_floats_are_rejected() {
        assert!(decimal_from_f64("x", f64::NAN).is_err());
        assert!(decimal_from_f64("x", f64::INFINITY).is_err());
        assert_eq!(decimal_from_f64("x", 1.2).ok(), Some(Decimal::new(12, 1)));
        assert!(decimal_from_f64("x", 1e300).is_err());
    }

    #[test]
    fn long_input_is_truncated_in_errors() {
        let long = "9".repeat(500);
        let msg = parse_decimal("x", &long)
            .err()
            .map(|e| e.to_string())
            .unwrap_or_default();
        assert!(msg.len() < 300, "{msg}");
    }
}
