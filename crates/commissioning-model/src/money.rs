//! Exact amounts of money in pounds sterling.
//!
//! [`Money`] keeps full decimal precision through every computation; it is rounded to pence
//! only when [`Money::round`] (one named step with an explicit [`Rounding`] mode) is called.
//! All arithmetic is checked: overflow is an error value, never a panic.

use rust_decimal::{Decimal, RoundingStrategy};
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::fmt;
use std::str::FromStr;

use crate::decimal::{DecimalVisitor, parse_decimal, truncate};
use crate::error::{ModelError, Result};

/// How an amount is rounded to whole pence.
///
/// # Examples
///
/// ```
/// use commissioning_model::{Money, Rounding};
///
/// let m: Money = "2.345".parse()?;
/// assert_eq!(m.round(Rounding::HalfUp).to_string(), "£2.35");
/// assert_eq!(m.round(Rounding::HalfEven).to_string(), "£2.34");
/// # Ok::<(), commissioning_model::ModelError>(())
/// ```
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum Rounding {
    /// Half a penny rounds away from zero: £2.345 → £2.35 and −£2.345 → −£2.35.
    /// This is the default and what finance teams call "rounding half up".
    #[default]
    HalfUp,
    /// Half a penny rounds to the even penny (banker's rounding): £2.345 → £2.34,
    /// £2.355 → £2.36.
    HalfEven,
}

impl Rounding {
    fn strategy(self) -> RoundingStrategy {
        match self {
            Self::HalfUp => RoundingStrategy::MidpointAwayFromZero,
            Self::HalfEven => RoundingStrategy::MidpointNearestEven,
        }
    }
}

/// An exact amount of money in pounds sterling.
///
/// Serialises as a decimal string (`"1234.56"`); deserialises from such a string (also
/// accepting the display form `"£1,234.56"`) or a JSON integer. JSON fractions are rejected so
/// that no binary floating point ever touches an amount.
///
/// # Examples
///
/// ```
/// use commissioning_model::Money;
///
/// let price: Money = "1234.56".parse()?;
/// let total = price.checked_mul_decimal(3.into())?;
/// assert_eq!(total.to_string(), "£3,703.68");
/// assert_eq!((-total).to_string(), "-£3,703.68");
/// # Ok::<(), commissioning_model::ModelError>(())
/// ```
#[derive(Debug, Clone, Copy, Default)]
pub struct Money(Decimal);

/// Amounts compare by value, as their decimals do (`5.0` equals `5.00`): amounts at the same
/// scale (the usual case: pence against pence, or band edges of one target) by their integer
/// mantissas, in a few instructions; others through `Decimal`'s own comparison, which aligns
/// the scales. A property test checks the two agree.
impl Ord for Money {
    #[inline]
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        if self.0.scale() == other.0.scale() {
            self.0.mantissa().cmp(&other.0.mantissa())
        } else {
            self.0.cmp(&other.0)
        }
    }
}

impl PartialOrd for Money {
    #[inline]
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

impl PartialEq for Money {
    #[inline]
    fn eq(&self, other: &Self) -> bool {
        self.cmp(other).is_eq()
    }
}

impl Eq for Money {}

/// Hashed as its decimal, whose hash is the same for equal values at any scale.
impl std::hash::Hash for Money {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        self.0.hash(state);
    }
}

impl Money {
    /// Zero pounds.
    pub const ZERO: Self = Self(Decimal::ZERO);

    /// The largest amount a `Money` can hold (about £7.9 × 10²⁸).
    pub const MAX: Self = Self(Decimal::MAX);

    /// The most negative amount a `Money` can hold.
    pub const MIN: Self = Self(Decimal::MIN);

    /// Wraps an exact decimal number of pounds.
    pub const fn new(pounds: Decimal) -> Self {
        Self(pounds)
    }

    /// An amount from a whole number of pence.
    ///
    /// ```
    /// use commissioning_model::Money;
    /// assert_eq!(Money::from_pence(123_456).to_string(), "£1,234.56");
    /// ```
    pub fn from_pence(pence: i64) -> Self {
        Self(Decimal::new(pence, 2))
    }

    /// An amount from a whole number of pounds.
    pub fn from_pounds(pounds: i64) -> Self {
        Self(Decimal::from(pounds))
    }

    /// The exact amount in pounds.
    pub const fn amount(self) -> Decimal {
        self.0
    }

    /// Whether the amount is exactly zero.
    pub fn is_zero(self) -> bool {
        self.0.is_zero()
    }

    /// Whether the amount is below zero.
    pub fn is_negative(self) -> bool {
        self.0.is_sign_negative() && !self.0.is_zero()
    }

    /// The same amount with the opposite sign; never overflows (`Decimal` is sign-magnitude).
    #[must_use]
    pub fn negated(self) -> Self {
        Self(std::ops::Neg::neg(self.0))
    }

    /// The absolute value.
    #[must_use]
    pub fn abs(self) -> Self {
        Self(self.0.abs())
    }

    /// The smaller of two amounts.
    #[must_use]
    pub fn min(self, other: Self) -> Self {
        std::cmp::min(self, other)
    }

    /// The larger of two amounts.
    #[must_use]
    pub fn max(self, other: Self) -> Self {
        std::cmp::max(self, other)
    }

    /// `self + other`.
    ///
    /// # Errors
    ///
    /// [`ModelError::Overflow`] when the sum does not fit.
    pub fn checked_add(self, other: Self) -> Result<Self> {
        self.0
            .checked_add(other.0)
            .map(Self)
            .ok_or_else(|| ModelError::overflow("money addition"))
    }

    /// `self − other`.
    ///
    /// # Errors
    ///
    /// [`ModelError::Overflow`] when the difference does not fit.
    pub fn checked_sub(self, other: Self) -> Result<Self> {
        self.0
            .checked_sub(other.0)
            .map(Self)
            .ok_or_else(|| ModelError::overflow("money subtraction"))
    }

    /// `self × factor`, for a price times a quantity or an amount times a rate.
    ///
    /// # Errors
    ///
    /// [`ModelError::Overflow`] when the product does not fit.
    pub fn checked_mul_decimal(self, factor: Decimal) -> Result<Self> {
        self.0
            .checked_mul(factor)
            .map(Self)
            .ok_or_else(|| ModelError::overflow("money multiplication"))
    }

    /// `self ÷ divisor`.
    ///
    /// The quotient is exact where it terminates within 28 significant digits, and otherwise
    /// correct to the 28th; round it to pence with [`Money::round`].
    ///
    /// # Errors
    ///
    /// [`ModelError::DivisionByZero`] for a zero divisor, [`ModelError::Overflow`] when the
    /// quotient does not fit.
    pub fn checked_div_decimal(self, divisor: Decimal) -> Result<Self> {
        if divisor.is_zero() {
            return Err(ModelError::DivisionByZero {
                operation: "money division",
            });
        }
        self.0
            .checked_div(divisor)
            .map(Self)
            .ok_or_else(|| ModelError::overflow("money division"))
    }

    /// The ratio `self ÷ other` as a plain decimal (for example outturn over target).
    ///
    /// # Errors
    ///
    /// [`ModelError::DivisionByZero`] when `other` is zero, [`ModelError::Overflow`] when the
    /// ratio does not fit.
    pub fn checked_ratio(self, other: Self) -> Result<Decimal> {
        if other.0.is_zero() {
            return Err(ModelError::DivisionByZero {
                operation: "ratio of money amounts",
            });
        }
        self.0
            .checked_div(other.0)
            .ok_or_else(|| ModelError::overflow("ratio of money amounts"))
    }

    /// Adds up amounts with checked arithmetic.
    ///
    /// ```
    /// use commissioning_model::Money;
    /// let parts = [Money::from_pence(1), Money::from_pence(2)];
    /// assert_eq!(Money::checked_sum(parts)?, Money::from_pence(3));
    /// # Ok::<(), commissioning_model::ModelError>(())
    /// ```
    ///
    /// # Errors
    ///
    /// [`ModelError::Overflow`] when a partial sum does not fit.
    pub fn checked_sum<I: IntoIterator<Item = Self>>(amounts: I) -> Result<Self> {
        amounts
            .into_iter()
            .try_fold(Self::ZERO, |acc, m| acc.checked_add(m))
    }

    /// The one rounding step: to whole pence with the given mode.
    ///
    /// Rounding an amount near [`Money::MAX`] cannot overflow: the value is rounded to fewer
    /// decimal places, never scaled up.
    #[must_use]
    pub fn round(self, mode: Rounding) -> Self {
        let rounded = self.0.round_dp_with_strategy(2, mode.strategy());
        Self(with_min_scale(rounded, 2))
    }

    /// Rounds to whole pence half-up (the default mode).
    #[must_use]
    pub fn round_pence(self) -> Self {
        self.round(Rounding::HalfUp)
    }

    /// Whether the amount is a whole number of pence.
    pub fn is_whole_pence(self) -> bool {
        self.0.round_dp(2) == self.0
    }

    /// The amount as a whole number of pence, if it is one (every whole-penny `Money` fits in
    /// an `i128` of pence).
    pub fn to_pence(self) -> Option<i128> {
        if !self.is_whole_pence() {
            return None;
        }
        let d = self.0.normalize();
        let places = 2u32.checked_sub(d.scale())?;
        10i128
            .checked_pow(places)
            .and_then(|f| d.mantissa().checked_mul(f))
    }

    /// Parses an amount, naming `field` in any error.
    ///
    /// Accepts the spellings spreadsheets and finance systems write: plain decimal text
    /// (`"1234.56"`, `"-12.5"`), with or without a pound sign (`"£1234.56"`), with or without
    /// thousands separators (`"1,234.56"`, `"£1,234.56"`, `"-£1,234.56"`), and accounting
    /// brackets for a negative amount (`"(£1,234.56)"`). Thousands separators, where used, must
    /// group the digits in threes.
    ///
    /// # Examples
    ///
    /// ```
    /// use commissioning_model::Money;
    ///
    /// let m = Money::from_pence(123_456);
    /// for text in ["1234.56", "£1234.56", "1,234.56", "£1,234.56"] {
    ///     assert_eq!(Money::parse_field("target", text)?, m);
    /// }
    /// assert_eq!(Money::parse_field("target", "(£1,234.56)")?, -m);
    /// assert!(Money::parse_field("target", "£1,23.456").is_err());
    /// # Ok::<(), commissioning_model::ModelError>(())
    /// ```
    ///
    /// # Errors
    ///
    /// [`ModelError::InvalidDecimal`] for anything else, or a value that `Decimal` cannot hold
    /// exactly.
    pub fn parse_field(field: &str, input: &str) -> Result<Self> {
        let (bracketed, inner) = match input.strip_prefix('(').and_then(|r| r.strip_suffix(')')) {
            Some(r) => (true, r),
            None => (false, input),
        };
        let (minus, rest) = match inner.strip_prefix('-') {
            Some(r) if !bracketed => (true, r),
            _ => (false, inner),
        };
        let body = rest.strip_prefix('£').unwrap_or(rest);
        if body.len() == input.len() && !body.contains(',') {
            return parse_decimal(field, input).map(Self);
        }
        let (int_part, frac) = match body.split_once('.') {
            Some((i, f)) => (i, Some(f)),
            None => (body, None),
        };
        let grouped = int_part.contains(',');
        let well_grouped = if grouped {
            int_part.split(',').enumerate().all(|(i, g)| {
                let len_ok = if i == 0 {
                    (1..=3).contains(&g.len())
                } else {
                    g.len() == 3
                };
                len_ok && g.bytes().all(|b| b.is_ascii_digit())
            })
        } else {
            int_part.bytes().all(|b| b.is_ascii_digit())
        };
        if !well_grouped {
            return Err(ModelError::InvalidDecimal {
                field: field.to_owned(),
                input: truncate(input),
                reason: if grouped {
                    "thousands separators must group the digits in threes, as in £1,234.56"
                } else {
                    "expected an amount such as 1234.56, £1,234.56 or (£1,234.56) for a negative amount"
                },
            });
        }
        let mut plain = String::with_capacity(input.len());
        if minus || bracketed {
            plain.push('-');
        }
        plain.extend(int_part.split(','));
        if let Some(f) = frac {
            plain.push('.');
            plain.push_str(f);
        }
        parse_decimal(field, &plain).map(Self).map_err(|e| match e {
            ModelError::InvalidDecimal { reason, .. } => ModelError::InvalidDecimal {
                field: field.to_owned(),
                input: truncate(input),
                reason,
            },
            other => other,
        })
    }
}

/// The same value written with at least `places` decimal places where the mantissa allows
/// (`7` → `7.00`); a value too large to widen is returned unchanged.
pub(crate) fn with_min_scale(value: Decimal, places: u32) -> Decimal {
    let scale = value.scale();
    if scale >= places {
        return value;
    }
    let factor = 10i128.checked_pow(places.saturating_sub(scale));
    factor
        .and_then(|f| value.mantissa().checked_mul(f))
        .and_then(|m| Decimal::try_from_i128_with_scale(m, places).ok())
        .unwrap_or(value)
}

impl std::ops::Neg for Money {
    type Output = Self;

    /// Negation never overflows: `Decimal` is sign-magnitude.
    fn neg(self) -> Self {
        Self(self.0.neg())
    }
}

impl From<Decimal> for Money {
    fn from(value: Decimal) -> Self {
        Self(value)
    }
}

impl FromStr for Money {
    type Err = ModelError;

    fn from_str(s: &str) -> Result<Self> {
        Self::parse_field("money", s)
    }
}

impl fmt::Display for Money {
    /// `£1,234.56`, `-£1,234.56`; amounts finer than a penny keep their significant extra
    /// places (`£0.125`), so nothing is hidden, and trailing zeros beyond the pence are
    /// dropped (`950000.0000` shows as `£950,000.00`). Round first to show pence.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let value = with_min_scale(self.0.abs().normalize(), 2);
        let text = value.to_string();
        let (int_part, frac) = match text.split_once('.') {
            Some((i, fr)) => (i, Some(fr)),
            None => (text.as_str(), None),
        };
        let mut out = String::with_capacity(text.len().saturating_mul(2));
        if self.is_negative() {
            out.push('-');
        }
        out.push('£');
        let len = int_part.len();
        for (i, ch) in int_part.chars().enumerate() {
            if i > 0 && len.saturating_sub(i).is_multiple_of(3) {
                out.push(',');
            }
            out.push(ch);
        }
        if let Some(fr) = frac {
            out.push('.');
            out.push_str(fr);
        }
        f.pad(&out)
    }
}

#[cfg(feature = "schema")]
impl schemars::JsonSchema for Money {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "Money".into()
    }

    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({
            "description": "An exact amount in pounds as a decimal string, e.g. \"1234.56\" (also \"£1,234.56\", \"1,234.56\", \"£1234.56\" or \"(£1,234.56)\" for a negative amount), or a whole number",
            "type": ["string", "integer"],
            "pattern": "^(-?£?([0-9]{1,3}(,[0-9]{3})*|[0-9]+)(\\.[0-9]+)?|\\(£?([0-9]{1,3}(,[0-9]{3})*|[0-9]+)(\\.[0-9]+)?\\))$"
        })
    }
}

impl Serialize for Money {
    /// Written as a decimal string at one scale: pounds and pence (`"5000.00"`), with any
    /// significant places beyond the penny kept (`"0.125"`), whatever the scale it was read or
    /// computed at (`"5000"` and `"5000.000000"` are both written `"5000.00"`).
    fn serialize<S: Serializer>(&self, serializer: S) -> std::result::Result<S::Ok, S::Error> {
        let mut buf = [0u8; PLAIN_TEXT_MAX];
        serializer.serialize_str(self.plain_text(&mut buf))
    }
}

/// Room for any text [`Money::plain_text`] writes (a sign, up to 31 digits and a point).
pub const PLAIN_TEXT_MAX: usize = 64;

impl Money {
    /// The amount as its serialised text, written into `buf` without allocating: the digits of
    /// the decimal with trailing zeros dropped down to two places, or widened to two (`5000` →
    /// `"5000.00"`, `0.1250` → `"0.125"`, `-3` → `"-3.00"`, negative zero → `"0.00"`); an
    /// amount too large to widen keeps the places it has. This is exactly what `Display` gives
    /// for the normalised decimal at a scale of at least two.
    ///
    /// ```
    /// use commissioning_model::Money;
    /// use commissioning_model::money::PLAIN_TEXT_MAX;
    ///
    /// let mut buf = [0u8; PLAIN_TEXT_MAX];
    /// assert_eq!(Money::from_pounds(5000).plain_text(&mut buf), "5000.00");
    /// assert_eq!("-0.1250".parse::<Money>()?.plain_text(&mut buf), "-0.125");
    /// # Ok::<(), commissioning_model::ModelError>(())
    /// ```
    pub fn plain_text(self, buf: &mut [u8; PLAIN_TEXT_MAX]) -> &str {
        const TEN_POW_19: u128 = 10_000_000_000_000_000_000;
        let mut mantissa = self.0.mantissa().unsigned_abs();
        let mut scale = self.0.scale();
        // Trailing zeros dropped, in 64 bits when the mantissa fits (every everyday amount),
        // where a division by ten is a multiplication rather than a call.
        if let Ok(mut small) = u64::try_from(mantissa) {
            while scale > 0 && small.is_multiple_of(10) {
                small = small.checked_div(10).unwrap_or(0);
                scale = scale.saturating_sub(1);
            }
            mantissa = u128::from(small);
        }
        while scale > 0 && mantissa.is_multiple_of(10) {
            mantissa = mantissa.checked_div(10).unwrap_or(0);
            scale = scale.saturating_sub(1);
        }
        // Widened to two places when the wider mantissa still fits a decimal's 96 bits (it
        // is below 2^96 × 100, far inside 128 bits); the largest amounts keep fewer places.
        if scale < 2 {
            let factor = if scale == 0 { 100 } else { 10 };
            let wide = mantissa.saturating_mul(factor);
            if wide >> 96 == 0 {
                (mantissa, scale) = (wide, 2);
            }
        }
        // The digits, right-aligned in `digits` from `start`: in two 64-bit halves, so that
        // each division by ten is a multiplication.
        let mut digits = [b'0'; PLAIN_TEXT_MAX];
        let mut start = PLAIN_TEXT_MAX;
        let (high, low) = match u64::try_from(mantissa) {
            Ok(small) if u128::from(small) < TEN_POW_19 => (0, small),
            _ => (
                u64::try_from(mantissa.checked_div(TEN_POW_19).unwrap_or(0)).unwrap_or(0),
                u64::try_from(mantissa.checked_rem(TEN_POW_19).unwrap_or(0)).unwrap_or(0),
            ),
        };
        start = write_digits(&mut digits, start, low, if high > 0 { 19 } else { 1 });
        if high > 0 {
            start = write_digits(&mut digits, start, high, 1);
        }
        let places = usize::try_from(scale).unwrap_or(0);
        // At least one digit before the point (`0.125`).
        start = start.min(PLAIN_TEXT_MAX.saturating_sub(places.saturating_add(1)));
        let point = PLAIN_TEXT_MAX.saturating_sub(places);
        let whole = digits.get(start..point).unwrap_or_default();
        let fraction = digits.get(point..).unwrap_or_default();
        let negative = self.0.is_sign_negative() && mantissa != 0;
        let mut len = 0usize;
        let point: &[u8] = if places > 0 { b"." } else { b"" };
        for part in [
            if negative { &b"-"[..] } else { &b""[..] },
            whole,
            point,
            fraction,
        ] {
            if let Some(slot) = buf.get_mut(len..len.saturating_add(part.len())) {
                slot.copy_from_slice(part);
                len = len.saturating_add(part.len());
            }
        }
        std::str::from_utf8(buf.get(..len).unwrap_or_default()).unwrap_or_default()
    }
}

/// Writes `n` in decimal, right-aligned to end at `end`, zero-padded to `min_digits`; returns
/// where the digits start.
fn write_digits(
    digits: &mut [u8; PLAIN_TEXT_MAX],
    end: usize,
    mut n: u64,
    min_digits: usize,
) -> usize {
    let mut at = end;
    let floor = end.saturating_sub(min_digits);
    while (n > 0 || at > floor) && at > 0 {
        at = at.saturating_sub(1);
        if let Some(d) = digits.get_mut(at) {
            // `n % 10` is below ten.
            *d = b'0'.saturating_add(u8::try_from(n % 10).unwrap_or(0));
        }
        n /= 10;
    }
    at
}

impl<'de> Deserialize<'de> for Money {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> std::result::Result<Self, D::Error> {
        struct MoneyVisitor;
        impl serde::de::Visitor<'_> for MoneyVisitor {
            type Value = Money;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("an amount of money as a decimal string such as \"1234.56\"")
            }
            fn visit_str<E: serde::de::Error>(self, v: &str) -> std::result::Result<Money, E> {
                Money::parse_field("money", v).map_err(E::custom)
            }
            fn visit_i64<E: serde::de::Error>(self, v: i64) -> std::result::Result<Money, E> {
                DecimalVisitor { allow_float: false }
                    .visit_i64(v)
                    .map(Money)
            }
            fn visit_u64<E: serde::de::Error>(self, v: u64) -> std::result::Result<Money, E> {
                DecimalVisitor { allow_float: false }
                    .visit_u64(v)
                    .map(Money)
            }
            fn visit_f64<E: serde::de::Error>(self, v: f64) -> std::result::Result<Money, E> {
                DecimalVisitor { allow_float: false }
                    .visit_f64(v)
                    .map(Money)
            }
        }
        deserializer.deserialize_any(MoneyVisitor)
    }
}

crate::words_from_str!(
    Rounding => "rounding",
);
crate::words_display!(Rounding);

#[cfg(test)]
mod tests {
    use super::*;

    fn m(s: &str) -> Money {
        s.parse().unwrap_or_else(|e| panic!("{s}: {e}"))
    }

    #[test]
    fn display_groups_thousands_and_keeps_two_places() {
        assert_eq!(m("1234.56").to_string(), "£1,234.56");
        assert_eq!(m("-1234.56").to_string(), "-£1,234.56");
        assert_eq!(m("1000000").to_string(), "£1,000,000.00");
        assert_eq!(m("0.5").to_string(), "£0.50");
        assert_eq!(m("999").to_string(), "£999.00");
        assert_eq!(m("0.125").to_string(), "£0.125");
        assert_eq!(m("-0.00").to_string(), "£0.00");
        assert_eq!(m("950000.0000").to_string(), "£950,000.00");
        assert_eq!(m("0.1250").to_string(), "£0.125");
    }

    #[test]
    fn display_form_parses_back() {
        for s in ["£1,234.56", "-£1,234.56", "£0.50", "£1,000,000.00", "£12"] {
            assert_eq!(m(s).to_string().replace("£12.00", "£12"), s);
        }
        for s in [
            "£1234.56",
            "1,234.56",
            "1234.56",
            "(£1,234.56)",
            "(1234.56)",
            "-1,234.56",
        ] {
            assert_eq!(m(s).abs(), m("1234.56"), "{s}");
        }
        assert!(m("(£1,234.56)").is_negative());
        for bad in [
            "£1,23.00",
            "£,123",
            "£1234,567",
            "£-1",
            "£ 1",
            "£1,234,56",
            "1,23",
            "(-1)",
            "(£1",
            "--1",
            "£",
            "£.5",
            "1,234.",
            ",",
        ] {
            assert!(bad.parse::<Money>().is_err(), "{bad} should be rejected");
        }
    }

    #[test]
    fn rounding_modes_differ_only_at_half() {
        assert_eq!(m("2.345").round(Rounding::HalfUp), m("2.35"));
        assert_eq!(m("2.345").round(Rounding::HalfEven), m("2.34"));
        assert_eq!(m("2.355").round(Rounding::HalfEven), m("2.36"));
        assert_eq!(m("-2.345").round(Rounding::HalfUp), m("-2.35"));
        assert_eq!(m("2.344").round(Rounding::HalfUp), m("2.34"));
        assert_eq!(m("7").round_pence().amount().scale(), 2);
    }

    #[test]
    fn rounding_near_max_does_not_panic() {
        let r = Money::MAX.round_pence();
        assert_eq!(r, Money::MAX);
        let r = Money::MIN.round(Rounding::HalfEven);
        assert_eq!(r, Money::MIN);
    }

    #[test]
    fn overflow_is_an_error() {
        assert!(Money::MAX.checked_add(Money::from_pence(100)).is_err());
        assert!(Money::MIN.checked_sub(Money::from_pence(100)).is_err());
        assert!(Money::MAX.checked_mul_decimal(Decimal::TWO).is_err());
        assert!(Money::MAX.checked_div_decimal(Decimal::ZERO).is_err());
        assert!(Money::MAX.checked_ratio(Money::ZERO).is_err());
    }

    #[test]
    fn pence_round_trip() {
        assert_eq!(Money::from_pence(-5).to_pence(), Some(-5));
        assert_eq!(m("1.5").to_pence(), Some(150));
        assert_eq!(m("1.005").to_pence(), None);
        assert_eq!(m("1.500").to_pence(), Some(150));
        assert!(Money::MAX.to_pence().is_some());
    }

    #[test]
    fn serde_is_a_string_and_rejects_fractions() -> std::result::Result<(), serde_json::Error> {
        assert_eq!(serde_json::to_string(&m("1234.50"))?, "\"1234.50\"");
        let back: Money = serde_json::from_str("\"1234.50\"")?;
        assert_eq!(back, m("1234.50"));
        let whole: Money = serde_json::from_str("12")?;
        assert_eq!(whole, m("12"));
        assert!(serde_json::from_str::<Money>("12.5").is_err());
        assert!(serde_json::from_str::<Money>("\"1e5\"").is_err());
        Ok(())
    }
}
