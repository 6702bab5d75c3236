//! Financial years, months, quarters, date ranges and pro-rating.
//!
//! The NHS financial year runs from 1 April to 31 March and is written `2025/26`. Its months are
//! numbered M1 (April) to M12 (March) and its quarters Q1 (April to June) to Q4 (January to
//! March). Dates are strict ISO 8601 calendar dates, `YYYY-MM-DD`.

use chrono::{Datelike, NaiveDate};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;

use crate::decimal::truncate;
use crate::error::{ModelError, Result};
use crate::money::Money;

/// Reads a strict ISO 8601 date `YYYY-MM-DD`, naming `field` in any error.
///
/// # Errors
///
/// [`ModelError::InvalidDate`] for another layout (`2025-4-1`, `01/04/2025`) or an impossible
/// date (`2025-02-30`).
///
/// # Examples
///
/// ```
/// use commissioning_model::period::parse_date;
/// assert!(parse_date("start", "2025-04-01").is_ok());
/// assert!(parse_date("start", "2025-02-30").is_err());
/// assert!(parse_date("start", "2025-4-1").is_err());
/// ```
pub fn parse_date(field: &str, input: &str) -> Result<NaiveDate> {
    let err = |reason: &'static str| ModelError::InvalidDate {
        field: field.to_owned(),
        input: truncate(input),
        reason,
    };
    let b = input.as_bytes();
    let layout_ok = b.len() == 10
        && b.get(4) == Some(&b'-')
        && b.get(7) == Some(&b'-')
        && b.iter()
            .enumerate()
            .all(|(i, c)| i == 4 || i == 7 || c.is_ascii_digit());
    if !layout_ok {
        return Err(err("expected a date written YYYY-MM-DD"));
    }
    let num = |r: std::ops::Range<usize>| input.get(r).and_then(|s| s.parse::<u32>().ok());
    let (Some(y), Some(m), Some(d)) = (num(0..4), num(5..7), num(8..10)) else {
        return Err(err("expected a date written YYYY-MM-DD"));
    };
    let y = i32::try_from(y).map_err(|_| err("year out of range"))?;
    NaiveDate::from_ymd_opt(y, m, d).ok_or_else(|| err("no such day in the calendar"))
}

/// Reads a date as a UK spreadsheet writes it, `DD/MM/YYYY` (day first; one-digit days and
/// months such as `1/4/2025` are accepted, as Excel exports them), or as ISO 8601
/// `YYYY-MM-DD`, naming `field` in any error.
///
/// Documents keep to [`parse_date`]'s strict ISO form; this is for cells of a spreadsheet
/// export, where the UK layout is the common one. A date is never read month first.
///
/// # Errors
///
/// [`ModelError::InvalidDate`] for another layout (`01/04/25`, `2025/04/01`, `1-4-2025`) or an
/// impossible date (`30/02/2025`).
///
/// # Examples
///
/// ```
/// use commissioning_model::period::parse_spreadsheet_date;
/// use commissioning_model::NaiveDate;
///
/// let first_of_april = NaiveDate::from_ymd_opt(2025, 4, 1).unwrap();
/// assert_eq!(parse_spreadsheet_date("date", "01/04/2025")?, first_of_april);
/// assert_eq!(parse_spreadsheet_date("date", "1/4/2025")?, first_of_april);
/// assert_eq!(parse_spreadsheet_date("date", "2025-04-01")?, first_of_april);
/// assert!(parse_spreadsheet_date("date", "30/02/2025").is_err());
/// assert!(parse_spreadsheet_date("date", "01/04/25").is_err());
/// # Ok::<(), commissioning_model::ModelError>(())
/// ```
pub fn parse_spreadsheet_date(field: &str, input: &str) -> Result<NaiveDate> {
    if !input.contains('/') {
        return parse_date(field, input).map_err(|e| match e {
            ModelError::InvalidDate { reason, .. } if reason.starts_with("expected") => {
                ModelError::InvalidDate {
                    field: field.to_owned(),
                    input: truncate(input),
                    reason: "expected a date written DD/MM/YYYY or YYYY-MM-DD",
                }
            }
            other => other,
        });
    }
    let err = |reason: &'static str| ModelError::InvalidDate {
        field: field.to_owned(),
        input: truncate(input),
        reason,
    };
    let digits = |s: &str, len: std::ops::RangeInclusive<usize>| {
        len.contains(&s.len()) && s.bytes().all(|c| c.is_ascii_digit())
    };
    let mut parts = input.split('/');
    let (Some(d), Some(m), Some(y), None) =
        (parts.next(), parts.next(), parts.next(), parts.next())
    else {
        return Err(err("expected a date written DD/MM/YYYY or YYYY-MM-DD"));
    };
    if !(digits(d, 1..=2) && digits(m, 1..=2) && digits(y, 4..=4)) {
        return Err(err("expected a date written DD/MM/YYYY or YYYY-MM-DD"));
    }
    let (Ok(y), Ok(m), Ok(d)) = (y.parse::<i32>(), m.parse::<u32>(), d.parse::<u32>()) else {
        return Err(err("expected a date written DD/MM/YYYY or YYYY-MM-DD"));
    };
    NaiveDate::from_ymd_opt(y, m, d).ok_or_else(|| err("no such day in the calendar"))
}

/// Serde helpers for a `NaiveDate` written strictly as `YYYY-MM-DD`.
pub mod serde_date {
    use chrono::NaiveDate;
    use serde::{Deserialize, Deserializer, Serializer};

    /// Writes the date as `YYYY-MM-DD`.
    ///
    /// # Errors
    ///
    /// Only the serializer's own errors.
    pub fn serialize<S: Serializer>(date: &NaiveDate, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(&date.format("%Y-%m-%d"))
    }

    /// Reads a strict `YYYY-MM-DD` date.
    ///
    /// # Errors
    ///
    /// For any other layout or an impossible date.
    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<NaiveDate, D::Error> {
        let text = <std::borrow::Cow<'de, str>>::deserialize(d)?;
        super::parse_date("date", &text).map_err(serde::de::Error::custom)
    }
}

/// Serde helpers for an `Option<NaiveDate>`, as [`serde_date`].
pub mod serde_date_opt {
    use chrono::NaiveDate;
    use serde::{Deserialize, Deserializer, Serializer};

    /// Writes the date as `YYYY-MM-DD`, or `null`.
    ///
    /// # Errors
    ///
    /// Only the serializer's own errors.
    pub fn serialize<S: Serializer>(date: &Option<NaiveDate>, s: S) -> Result<S::Ok, S::Error> {
        match date {
            Some(d) => s.collect_str(&d.format("%Y-%m-%d")),
            None => s.serialize_none(),
        }
    }

    /// Reads an optional strict `YYYY-MM-DD` date.
    ///
    /// # Errors
    ///
    /// For any other layout or an impossible date.
    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Option<NaiveDate>, D::Error> {
        let text = Option::<std::borrow::Cow<'de, str>>::deserialize(d)?;
        text.map(|t| super::parse_date("date", &t))
            .transpose()
            .map_err(serde::de::Error::custom)
    }
}

/// An NHS financial year, 1 April to 31 March, written `2025/26`.
///
/// Start years from 1000 to 9998 are supported, so every label has the `YYYY/YY` form.
///
/// # Examples
///
/// ```
/// use commissioning_model::period::{FinancialYear, FyMonth, parse_date};
///
/// let fy: FinancialYear = "2025/26".parse()?;
/// assert_eq!(fy.start_date().to_string(), "2025-04-01");
/// assert_eq!(fy.end_date().to_string(), "2026-03-31");
/// assert!("2025/27".parse::<FinancialYear>().is_err());
///
/// let christmas = parse_date("date", "2025-12-25")?;
/// assert_eq!(FinancialYear::containing(christmas)?, fy);
/// assert_eq!(FyMonth::of_date(christmas).to_string(), "M9");
/// # Ok::<(), commissioning_model::ModelError>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(try_from = "String", into = "String")]
pub struct FinancialYear {
    start_year: i32,
}

impl FinancialYear {
    /// The earliest supported start year.
    pub const MIN_START_YEAR: i32 = 1000;
    /// The latest supported start year (the year 9998/99).
    pub const MAX_START_YEAR: i32 = 9998;

    /// The financial year that starts on 1 April of `start_year`.
    ///
    /// # Errors
    ///
    /// [`ModelError::InvalidFinancialYear`] outside 1000..=9998.
    pub fn try_new(start_year: i32) -> Result<Self> {
        if !(Self::MIN_START_YEAR..=Self::MAX_START_YEAR).contains(&start_year) {
            return Err(ModelError::InvalidFinancialYear {
                input: start_year.to_string(),
                reason: "the start year must be between 1000 and 9998",
            });
        }
        Ok(Self { start_year })
    }

    /// The financial year that contains `date`.
    ///
    /// # Errors
    ///
    /// [`ModelError::InvalidFinancialYear`] for a date outside the supported years.
    pub fn containing(date: NaiveDate) -> Result<Self> {
        let y = date.year();
        let start = if date.month() >= 4 {
            y
        } else {
            y.saturating_sub(1)
        };
        Self::try_new(start)
    }

    /// The calendar year in which it starts.
    pub const fn start_year(self) -> i32 {
        self.start_year
    }

    /// 1 April of the start year.
    pub fn start_date(self) -> NaiveDate {
        ymd(self.start_year, 4, 1)
    }

    /// 31 March of the following year.
    pub fn end_date(self) -> NaiveDate {
        ymd(self.start_year.saturating_add(1), 3, 31)
    }

    /// The whole year as an inclusive date range.
    pub fn range(self) -> DateRange {
        DateRange {
            start: self.start_date(),
            end: self.end_date(),
        }
    }

    /// 366 when the year contains 29 February, otherwise 365.
    pub fn days(self) -> u32 {
        self.range().days()
    }

    /// Whether `date` falls in this year.
    pub fn contains(self, date: NaiveDate) -> bool {
        self.range().contains(date)
    }

    /// The following financial year.
    ///
    /// # Errors
    ///
    /// [`ModelError::InvalidFinancialYear`] after 9998/99.
    pub fn next(self) -> Result<Self> {
        Self::try_new(self.start_year.saturating_add(1))
    }

    /// The preceding financial year.
    ///
    /// # Errors
    ///
    /// [`ModelError::InvalidFinancialYear`] before 1000/01.
    pub fn previous(self) -> Result<Self> {
        Self::try_new(self.start_year.saturating_sub(1))
    }

    /// The calendar month that is month `m` of this year (M1 is April of the start year).
    pub fn calendar_month(self, m: FyMonth) -> CalendarMonth {
        let n = u32::from(m.number());
        if n <= 9 {
            CalendarMonth {
                year: self.start_year,
                month: n.saturating_add(3),
            }
        } else {
            CalendarMonth {
                year: self.start_year.saturating_add(1),
                month: n.saturating_sub(9),
            }
        }
    }

    /// The twelve months in order, M1 to M12.
    pub fn months(self) -> impl Iterator<Item = CalendarMonth> {
        FyMonth::all().map(move |m| self.calendar_month(m))
    }
}

fn ymd(y: i32, m: u32, d: u32) -> NaiveDate {
    // Callers keep y within 1000..=9999 and (m, d) a real day, so this never falls back.
    NaiveDate::from_ymd_opt(y, m, d).unwrap_or(NaiveDate::MIN)
}

impl fmt::Display for FinancialYear {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let next = self.start_year.saturating_add(1).rem_euclid(100);
        f.pad(&format!("{:04}/{:02}", self.start_year, next))
    }
}

impl FromStr for FinancialYear {
    type Err = ModelError;

    /// Reads `YYYY/YY` exactly: no spaces, ASCII digits only, and the second part must be the
    /// year after the first (`2025/26`, `1999/00`).
    fn from_str(s: &str) -> Result<Self> {
        let err = |reason| ModelError::InvalidFinancialYear {
            input: truncate(s),
            reason,
        };
        let b = s.as_bytes();
        if b.len() != 7 || b.get(4) != Some(&b'/') {
            return Err(err("expected the form YYYY/YY"));
        }
        if !b
            .iter()
            .enumerate()
            .all(|(i, c)| i == 4 || c.is_ascii_digit())
        {
            return Err(err("expected ASCII digits in the form YYYY/YY"));
        }
        let start: i32 = s
            .get(0..4)
            .and_then(|t| t.parse().ok())
            .ok_or_else(|| err("expected the form YYYY/YY"))?;
        let end: i32 = s
            .get(5..7)
            .and_then(|t| t.parse().ok())
            .ok_or_else(|| err("expected the form YYYY/YY"))?;
        if start.saturating_add(1).rem_euclid(100) != end {
            return Err(err("the second year must follow the first, as in 2025/26"));
        }
        Self::try_new(start)
    }
}

impl TryFrom<String> for FinancialYear {
    type Error = ModelError;
    fn try_from(value: String) -> Result<Self> {
        value.parse()
    }
}

impl From<FinancialYear> for String {
    fn from(value: FinancialYear) -> Self {
        value.to_string()
    }
}

/// A month of the financial year: M1 (April) to M12 (March).
///
/// # Examples
///
/// ```
/// use commissioning_model::period::{FyMonth, Quarter};
/// let m: FyMonth = "M10".parse()?;
/// assert_eq!(m.calendar_month_number(), 1); // January
/// assert_eq!(m.quarter(), Quarter::Q4);
/// # Ok::<(), commissioning_model::ModelError>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(try_from = "String", into = "String")]
pub struct FyMonth(u8);

impl FyMonth {
    /// M1, April.
    pub const M1: Self = Self(1);
    /// M12, March.
    pub const M12: Self = Self(12);

    /// Month `number` of the financial year, 1 to 12.
    ///
    /// # Errors
    ///
    /// [`ModelError::OutOfRange`] outside 1..=12.
    pub fn try_new(number: u8) -> Result<Self> {
        if (1..=12).contains(&number) {
            Ok(Self(number))
        } else {
            Err(ModelError::out_of_range(
                "month",
                number,
                "between 1 (M1, April) and 12 (M12, March)",
            ))
        }
    }

    /// The month of the financial year in which `date` falls.
    pub fn of_date(date: NaiveDate) -> Self {
        Self::of_calendar_month(date.month())
    }

    /// The financial-year month of calendar month `month` (1 = January); values outside
    /// 1..=12 are read modulo 12.
    pub fn of_calendar_month(month: u32) -> Self {
        // April (4) → 1, ..., December (12) → 9, January (1) → 10, March (3) → 12.
        let n = month.saturating_add(8).rem_euclid(12).saturating_add(1);
        Self(u8::try_from(n).unwrap_or(1))
    }

    /// The number, 1 to 12.
    pub const fn number(self) -> u8 {
        self.0
    }

    /// The calendar month number, 1 (January) to 12 (December).
    pub fn calendar_month_number(self) -> u32 {
        u32::from(self.0)
            .saturating_add(2)
            .rem_euclid(12)
            .saturating_add(1)
    }

    /// The quarter of the financial year.
    pub fn quarter(self) -> Quarter {
        match self.0 {
            1..=3 => Quarter::Q1,
            4..=6 => Quarter::Q2,
            7..=9 => Quarter::Q3,
            _ => Quarter::Q4,
        }
    }

    /// All twelve months in order.
    pub fn all() -> impl Iterator<Item = Self> {
        (1..=12).map(Self)
    }

    /// M1 up to and including this month (year to date).
    pub fn to_date(self) -> impl Iterator<Item = Self> {
        (1..=self.0).map(Self)
    }
}

impl fmt::Display for FyMonth {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.pad(&format!("M{}", self.0))
    }
}

impl FromStr for FyMonth {
    type Err = ModelError;
    /// Reads `M1` to `M12`.
    fn from_str(s: &str) -> Result<Self> {
        let err = || ModelError::InvalidDate {
            field: "month".to_owned(),
            input: truncate(s),
            reason: "expected a financial-year month M1 (April) to M12 (March)",
        };
        let n = s
            .strip_prefix('M')
            .filter(|d| {
                !d.is_empty()
                    && d.len() <= 2
                    && d.bytes().all(|b| b.is_ascii_digit())
                    && !d.starts_with('0')
            })
            .and_then(|d| d.parse::<u8>().ok())
            .ok_or_else(err)?;
        Self::try_new(n).map_err(|_| err())
    }
}

impl TryFrom<String> for FyMonth {
    type Error = ModelError;
    fn try_from(value: String) -> Result<Self> {
        value.parse()
    }
}

impl From<FyMonth> for String {
    fn from(value: FyMonth) -> Self {
        value.to_string()
    }
}

/// A quarter of the financial year: Q1 is April to June, Q4 January to March.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub enum Quarter {
    /// April to June (M1–M3).
    Q1,
    /// July to September (M4–M6).
    Q2,
    /// October to December (M7–M9).
    Q3,
    /// January to March (M10–M12).
    Q4,
}

impl Quarter {
    /// The quarter's number, 1 to 4.
    pub const fn number(self) -> u8 {
        match self {
            Self::Q1 => 1,
            Self::Q2 => 2,
            Self::Q3 => 3,
            Self::Q4 => 4,
        }
    }

    /// Its three months in order.
    pub fn months(self) -> [FyMonth; 3] {
        let first = self.number().saturating_sub(1).saturating_mul(3);
        [
            FyMonth(first.saturating_add(1)),
            FyMonth(first.saturating_add(2)),
            FyMonth(first.saturating_add(3)),
        ]
    }
}

impl fmt::Display for Quarter {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.pad(&format!("Q{}", self.number()))
    }
}

/// A calendar month, written `2025-04`.
///
/// # Examples
///
/// ```
/// use commissioning_model::period::CalendarMonth;
/// let feb: CalendarMonth = "2024-02".parse()?;
/// assert_eq!(feb.days(), 29);
/// assert_eq!(feb.last_day().to_string(), "2024-02-29");
/// # Ok::<(), commissioning_model::ModelError>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(try_from = "String", into = "String")]
pub struct CalendarMonth {
    year: i32,
    month: u32,
}

impl CalendarMonth {
    /// Month `month` (1–12) of `year` (1000–9999).
    ///
    /// # Errors
    ///
    /// [`ModelError::OutOfRange`] for a month outside 1..=12 or a year outside 1000..=9999.
    pub fn try_new(year: i32, month: u32) -> Result<Self> {
        if !(1..=12).contains(&month) {
            return Err(ModelError::out_of_range("month", month, "between 1 and 12"));
        }
        if !(1000..=9999).contains(&year) {
            return Err(ModelError::out_of_range(
                "year",
                year,
                "between 1000 and 9999",
            ));
        }
        Ok(Self { year, month })
    }

    /// The month containing `date`.
    ///
    /// # Errors
    ///
    /// [`ModelError::OutOfRange`] for a date outside the years 1000 to 9999.
    pub fn of_date(date: NaiveDate) -> Result<Self> {
        Self::try_new(date.year(), date.month())
    }

    /// The calendar year.
    pub const fn year(self) -> i32 {
        self.year
    }

    /// The month number, 1 (January) to 12 (December).
    pub const fn month(self) -> u32 {
        self.month
    }

    /// Its first day.
    pub fn first_day(self) -> NaiveDate {
        ymd(self.year, self.month, 1)
    }

    /// Its last day.
    pub fn last_day(self) -> NaiveDate {
        let (y, m) = if self.month == 12 {
            (self.year.saturating_add(1), 1)
        } else {
            (self.year, self.month.saturating_add(1))
        };
        NaiveDate::from_ymd_opt(y, m, 1)
            .and_then(|d| d.pred_opt())
            .unwrap_or_else(|| ymd(self.year, 12, 31))
    }

    /// The number of days in the month (28 to 31).
    pub fn days(self) -> u32 {
        self.last_day().day()
    }

    /// The month as an inclusive date range.
    pub fn range(self) -> DateRange {
        DateRange {
            start: self.first_day(),
            end: self.last_day(),
        }
    }

    /// The financial year it belongs to.
    ///
    /// # Errors
    ///
    /// [`ModelError::InvalidFinancialYear`] for January to March 1000 or April to December 9999.
    pub fn financial_year(self) -> Result<FinancialYear> {
        FinancialYear::containing(self.first_day())
    }

    /// Its month of the financial year.
    pub fn fy_month(self) -> FyMonth {
        FyMonth::of_calendar_month(self.month)
    }
}

impl fmt::Display for CalendarMonth {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.pad(&format!("{:04}-{:02}", self.year, self.month))
    }
}

impl FromStr for CalendarMonth {
    type Err = ModelError;
    /// Reads `YYYY-MM`.
    fn from_str(s: &str) -> Result<Self> {
        let err = |reason| ModelError::InvalidDate {
            field: "month".to_owned(),
            input: truncate(s),
            reason,
        };
        let b = s.as_bytes();
        if b.len() != 7
            || b.get(4) != Some(&b'-')
            || !b
                .iter()
                .enumerate()
                .all(|(i, c)| i == 4 || c.is_ascii_digit())
        {
            return Err(err("expected a calendar month written YYYY-MM"));
        }
        let y = s.get(0..4).and_then(|t| t.parse::<i32>().ok());
        let m = s.get(5..7).and_then(|t| t.parse::<u32>().ok());
        match (y, m) {
            (Some(y), Some(m)) => Self::try_new(y, m).map_err(|_| err("no such month")),
            _ => Err(err("expected a calendar month written YYYY-MM")),
        }
    }
}

impl TryFrom<String> for CalendarMonth {
    type Error = ModelError;
    fn try_from(value: String) -> Result<Self> {
        value.parse()
    }
}

impl From<CalendarMonth> for String {
    fn from(value: CalendarMonth) -> Self {
        value.to_string()
    }
}

/// An inclusive range of dates: both the first and the last day count.
///
/// # Examples
///
/// ```
/// use commissioning_model::period::{DateRange, parse_date};
/// let r = DateRange::try_new(parse_date("start", "2025-04-01")?, parse_date("end", "2025-04-30")?)?;
/// assert_eq!(r.days(), 30);
/// # Ok::<(), commissioning_model::ModelError>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(try_from = "RawDateRange", into = "RawDateRange")]
pub struct DateRange {
    start: NaiveDate,
    end: NaiveDate,
}

#[derive(Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
struct RawDateRange {
    #[cfg_attr(feature = "schema", schemars(with = "String"))]
    #[serde(with = "serde_date")]
    start: NaiveDate,
    #[cfg_attr(feature = "schema", schemars(with = "String"))]
    #[serde(with = "serde_date")]
    end: NaiveDate,
}

impl TryFrom<RawDateRange> for DateRange {
    type Error = ModelError;
    fn try_from(raw: RawDateRange) -> Result<Self> {
        Self::try_new(raw.start, raw.end)
    }
}

impl From<DateRange> for RawDateRange {
    fn from(r: DateRange) -> Self {
        Self {
            start: r.start,
            end: r.end,
        }
    }
}

impl DateRange {
    /// The days from `start` to `end` inclusive.
    ///
    /// # Errors
    ///
    /// [`ModelError::InvalidDateRange`] when `end` is before `start`.
    pub fn try_new(start: NaiveDate, end: NaiveDate) -> Result<Self> {
        if end < start {
            return Err(ModelError::InvalidDateRange {
                field: "range".to_owned(),
                start: start.to_string(),
                end: end.to_string(),
            });
        }
        Ok(Self { start, end })
    }

    /// The first day.
    pub const fn start(self) -> NaiveDate {
        self.start
    }

    /// The last day.
    pub const fn end(self) -> NaiveDate {
        self.end
    }

    /// The number of days, counting both ends.
    pub fn days(self) -> u32 {
        let span = self.end.signed_duration_since(self.start).num_days();
        u32::try_from(span.saturating_add(1)).unwrap_or(u32::MAX)
    }

    /// Whether `date` lies in the range.
    pub fn contains(self, date: NaiveDate) -> bool {
        self.start <= date && date <= self.end
    }

    /// The days the two ranges have in common, if any.
    pub fn intersection(self, other: Self) -> Option<Self> {
        let start = self.start.max(other.start);
        let end = self.end.min(other.end);
        (start <= end).then_some(Self { start, end })
    }
}

/// The part of an annual value that falls to the days of `period` inside financial year `year`:
/// `annual × days in both ÷ days in the year` (actual/actual: a year with 29 February has 366
/// days). The result is exact to 28 significant digits and unrounded; round it once with
/// [`Money::round`].
///
/// # Examples
///
/// ```
/// use commissioning_model::period::{prorate, DateRange, FinancialYear, parse_date};
/// use commissioning_model::Money;
///
/// // A service starting on 1 October 2025 runs for 182 of the 365 days of 2025/26.
/// let fy: FinancialYear = "2025/26".parse()?;
/// let part = DateRange::try_new(parse_date("start", "2025-10-01")?, fy.end_date())?;
/// let due = prorate("365000.00".parse()?, part, fy)?;
/// assert_eq!(due.round_pence(), "182000.00".parse::<Money>()?);
///
/// // 2023/24 contains 29 February 2024, so it has 366 days.
/// let leap: FinancialYear = "2023/24".parse()?;
/// let feb = DateRange::try_new(parse_date("start", "2024-02-01")?, parse_date("end", "2024-02-29")?)?;
/// assert_eq!(prorate("366000.00".parse()?, feb, leap)?.round_pence(), "29000.00".parse::<Money>()?);
/// # Ok::<(), commissioning_model::ModelError>(())
/// ```
///
/// # Errors
///
/// [`ModelError::Overflow`] only for annual values near the limit of `Decimal`.
pub fn prorate(annual: Money, period: DateRange, year: FinancialYear) -> Result<Money> {
    let days = period.intersection(year.range()).map_or(0, DateRange::days);
    annual
        .checked_mul_decimal(Decimal::from(days))?
        .checked_div_decimal(Decimal::from(year.days()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn labels_parse_and_display() -> Result<()> {
        for s in ["2024/25", "2025/26", "1999/00", "2099/00"] {
            assert_eq!(s.parse::<FinancialYear>()?.to_string(), s);
        }
        for bad in [
            "2025/27",
            "2025/25",
            "2025-26",
            "2025/2026",
            "25/26",
            "2025/6",
            " 2025/26",
            "２０２５/26",
            "0999/00",
            "9999/00",
        ] {
            assert!(bad.parse::<FinancialYear>().is_err(), "{bad}");
        }
        Ok(())
    }

    #[test]
    fn months_and_quarters() -> Result<()> {
        let fy: FinancialYear = "2025/26".parse()?;
        let months: Vec<String> = fy.months().map(|m| m.to_string()).collect();
        assert_eq!(months.first().map(String::as_str), Some("2025-04"));
        assert_eq!(months.last().map(String::as_str), Some("2026-03"));
        for (i, m) in fy.months().enumerate() {
            assert_eq!(usize::from(m.fy_month().number()), i + 1);
            assert_eq!(m.financial_year()?, fy);
        }
        assert_eq!(
            Quarter::Q4.months(),
            [FyMonth(10), FyMonth(11), FyMonth(12)]
        );
        assert!("M0".parse::<FyMonth>().is_err());
        assert!("M13".parse::<FyMonth>().is_err());
        assert!("M01".parse::<FyMonth>().is_err());
        Ok(())
    }

    #[test]
    fn leap_years_have_366_days() -> Result<()> {
        assert_eq!("2023/24".parse::<FinancialYear>()?.days(), 366);
        assert_eq!("2024/25".parse::<FinancialYear>()?.days(), 365);
        assert_eq!("2099/00".parse::<FinancialYear>()?.days(), 365); // 2100 is not a leap year
        Ok(())
    }

    #[test]
    fn strict_dates() {
        for bad in [
            "2025-02-30",
            "2025-13-01",
            "2023-02-29",
            "2025-4-1",
            "01/04/2025",
            "",
            "2025-04-01 ",
        ] {
            assert!(parse_date("d", bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn ranges_reject_end_before_start() -> Result<()> {
        let a = parse_date("a", "2025-04-02")?;
        let b = parse_date("b", "2025-04-01")?;
        assert!(DateRange::try_new(a, b).is_err());
        assert_eq!(DateRange::try_new(b, b)?.days(), 1);
        let json = r#"{"start":"2025-04-02","end":"2025-04-01"}"#;
        assert!(serde_json::from_str::<DateRange>(json).is_err());
        Ok(())
    }
}
