//! Confidence levels: fractions strictly between 0 and 1, read as decimals.

use commissioning_model::Decimal;
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::fmt;
use std::str::FromStr;

use crate::error::{CompareError, Result};

/// A confidence level strictly between 0 and 1, such as `0.95` or `0.998`.
///
/// It is kept as the decimal the user wrote, so that `α = 1 − level` is exact before it becomes
/// a binary fraction: `0.998` gives `α/2 = 0.001` to the last bit, where `(1 − 0.998) / 2` in
/// floating point would not. It reads from a decimal string (`"0.95"`), a number (`0.95`) or a
/// percentage (`"95%"`), and is written back as a decimal string.
///
/// # Examples
///
/// ```
/// use commissioning_compare::Confidence;
///
/// let c: Confidence = "99.8%".parse()?;
/// assert_eq!(c.to_string(), "0.998");
/// assert_eq!(c.tail(), 0.001);
/// assert!((c.z() - 3.090_232_306_167_813).abs() < 1e-14);
/// assert!("1".parse::<Confidence>().is_err());
/// # Ok::<(), commissioning_compare::CompareError>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Confidence(Decimal);

impl Confidence {
    /// 95%, the inner funnel limits.
    pub const P95: Confidence = Confidence(Decimal::from_parts(95, 0, 0, false, 2));
    /// 99.8%, the outer funnel limits.
    pub const P998: Confidence = Confidence(Decimal::from_parts(998, 0, 0, false, 3));

    /// A level from a decimal, checked to lie strictly between 0 and 1.
    ///
    /// # Errors
    ///
    /// [`CompareError::InvalidInput`] outside (0, 1).
    pub fn new(level: Decimal) -> Result<Self> {
        if level <= Decimal::ZERO || level >= Decimal::ONE {
            return Err(CompareError::input(
                "confidence",
                format!("must be strictly between 0 and 1 (a fraction, e.g. 0.95), got {level}"),
            ));
        }
        Ok(Self(level.normalize()))
    }

    /// The level as a decimal.
    pub fn level(self) -> Decimal {
        self.0
    }

    /// `α = 1 − level`, as a float.
    pub fn alpha(self) -> f64 {
        to_f64(Decimal::ONE.checked_sub(self.0).unwrap_or_default())
    }

    /// The probability in each tail, `α / 2`.
    pub fn tail(self) -> f64 {
        // Decimal division by 2 is exact.
        to_f64(
            Decimal::ONE
                .checked_sub(self.0)
                .and_then(|a| a.checked_div(Decimal::TWO))
                .unwrap_or_default(),
        )
    }

    /// The two-sided normal critical value `Φ⁻¹(1 − α/2)` at full precision.
    pub fn z(self) -> f64 {
        crate::dist::normal_critical(self.alpha())
    }

    /// The default pair of levels, 95% and 99.8%.
    pub fn defaults() -> Vec<Confidence> {
        vec![Self::P95, Self::P998]
    }
}

fn to_f64(d: Decimal) -> f64 {
    // Through the shortest decimal string: correctly rounded.
    d.to_string().parse().unwrap_or(f64::NAN)
}

impl FromStr for Confidence {
    type Err = CompareError;
    fn from_str(s: &str) -> Result<Self> {
        let d = fraction::parse(s).map_err(|_| {
            CompareError::input(
                "confidence",
                format!("expected a fraction such as 0.95, got {s:?}"),
            )
        })?;
        Self::new(d)
    }
}

impl fmt::Display for Confidence {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.0)
    }
}

impl Serialize for Confidence {
    fn serialize<S: Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
        s.serialize_str(&self.0.to_string())
    }
}

impl<'de> Deserialize<'de> for Confidence {
    fn deserialize<D: Deserializer<'de>>(d: D) -> std::result::Result<Self, D::Error> {
        struct V;
        impl serde::de::Visitor<'_> for V {
            type Value = Confidence;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a confidence level such as \"0.95\"")
            }
            fn visit_str<E: serde::de::Error>(self, v: &str) -> std::result::Result<Confidence, E> {
                v.parse().map_err(|e: CompareError| E::custom(reason(&e)))
            }
            fn visit_f64<E: serde::de::Error>(self, v: f64) -> std::result::Result<Confidence, E> {
                self.visit_str(&v.to_string())
            }
            fn visit_u64<E: serde::de::Error>(self, v: u64) -> std::result::Result<Confidence, E> {
                self.visit_str(&v.to_string())
            }
            fn visit_i64<E: serde::de::Error>(self, v: i64) -> std::result::Result<Confidence, E> {
                self.visit_str(&v.to_string())
            }
        }
        d.deserialize_any(V)
    }
}

fn reason(e: &CompareError) -> String {
    match e {
        CompareError::InvalidInput { reason, .. }
        | CompareError::OutOfRange { reason, .. }
        | CompareError::Undefined { reason, .. } => reason.clone(),
    }
}

#[cfg(feature = "schema")]
impl schemars::JsonSchema for Confidence {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "Confidence".into()
    }
    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({
            "description": "A confidence level strictly between 0 and 1, e.g. \"0.95\" or \"99.8%\".",
            "type": ["string", "number"]
        })
    }
}

/// Reads a decimal fraction written as a string (`"0.1"`, `"10%"`) or a number.
pub(crate) mod fraction {
    use super::*;

    pub(crate) fn parse(s: &str) -> std::result::Result<Decimal, String> {
        let t = s.trim();
        let (number, percent) = match t.strip_suffix('%') {
            Some(n) => (n.trim(), true),
            None => (t, false),
        };
        let d = Decimal::from_str(number)
            .or_else(|_| Decimal::from_scientific(number))
            .map_err(|_| format!("expected a fraction such as 0.1, got {s:?}"))?;
        Ok(if percent {
            d.checked_div(Decimal::ONE_HUNDRED).unwrap_or(d)
        } else {
            d
        })
    }

    pub(crate) fn deserialize<'de, D: Deserializer<'de>>(
        d: D,
    ) -> std::result::Result<Decimal, D::Error> {
        struct V;
        impl serde::de::Visitor<'_> for V {
            type Value = Decimal;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a fraction such as \"0.1\"")
            }
            fn visit_str<E: serde::de::Error>(self, v: &str) -> std::result::Result<Decimal, E> {
                parse(v).map_err(E::custom)
            }
            fn visit_f64<E: serde::de::Error>(self, v: f64) -> std::result::Result<Decimal, E> {
                self.visit_str(&v.to_string())
            }
            fn visit_u64<E: serde::de::Error>(self, v: u64) -> std::result::Result<Decimal, E> {
                Ok(Decimal::from(v))
            }
            fn visit_i64<E: serde::de::Error>(self, v: i64) -> std::result::Result<Decimal, E> {
                Ok(Decimal::from(v))
            }
        }
        d.deserialize_any(V)
    }

    pub(crate) fn to_f64(d: Decimal) -> f64 {
        super::to_f64(d)
    }
}
