//! Proportions, crude rates, and directly and indirectly standardised rates with their
//! confidence intervals, as PHEindicatormethods computes them for Fingertips.
//!
//! | function | statistic | interval |
//! |---|---|---|
//! | [`proportion`] | `x / n × M` | Wilson score |
//! | [`crude_rate`] | `x / n × M` | exact Poisson below 10 events, Byar's from 10 |
//! | [`standardised_ratio`] | `O / E × refvalue` | exact below 10 observed, Byar's from 10, divided by `E` |
//! | [`directly_standardised_rate`] | `Σ wᵢ xᵢ/nᵢ / Σ wᵢ × M` | Dobson, from Byar's limits of the total count; suppressed below 10 events |
//!
//! # Examples
//!
//! ```
//! use commissioning_compare::rates::{standardised_ratio, RatioInput};
//!
//! // Nine deaths against 7.5 expected: an SMR of 120 with exact limits.
//! let mut input = RatioInput::from_expected(9.0, 7.5);
//! input.refvalue = 100.0;
//! let r = standardised_ratio(&input)?;
//! assert_eq!(r.value, 120.0);
//! assert_eq!(r.method.to_string(), "exact");
//! assert!((r.intervals[0].lower - 54.871_641_298_377_774).abs() < 1e-9);
//! # Ok::<(), commissioning_compare::CompareError>(())
//! ```

use serde::{Deserialize, Serialize};

use crate::error::{CompareError, Result, check_count, check_whole};
use crate::intervals::{CountMethod, Interval, byars, poisson_limits, wilson};
use crate::level::Confidence;

fn one() -> f64 {
    1.0
}

fn per_100k() -> f64 {
    100_000.0
}

fn check_multiplier(field: &str, m: f64) -> Result<()> {
    if !m.is_finite() || m <= 0.0 {
        return Err(CompareError::input(
            field,
            format!("must be a finite number above 0, got {m}"),
        ));
    }
    Ok(())
}

fn check_levels(levels: &[Confidence]) -> Result<()> {
    if levels.is_empty() {
        return Err(CompareError::input(
            "confidence",
            "at least one level is required",
        ));
    }
    Ok(())
}

/// A proportion: `numerator` events out of `denominator`.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
#[non_exhaustive]
pub struct ProportionInput {
    /// Events (at least 0; may be fractional, as in weighted counts).
    pub numerator: f64,
    /// The population at risk (above 0, at least the numerator).
    pub denominator: f64,
    /// The scale of the result: 1 for a fraction (the default), 100 for a percentage.
    #[serde(default = "one")]
    pub multiplier: f64,
    /// The confidence levels (default 95% and 99.8%).
    #[serde(default = "Confidence::defaults")]
    pub confidence: Vec<Confidence>,
}

impl ProportionInput {
    /// `numerator` of `denominator`, as a fraction, at 95% and 99.8%.
    pub fn new(numerator: f64, denominator: f64) -> Self {
        Self {
            numerator,
            denominator,
            multiplier: 1.0,
            confidence: Confidence::defaults(),
        }
    }
}

/// A value with its confidence intervals.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[non_exhaustive]
pub struct Estimate {
    /// The statistic, scaled by its multiplier.
    pub value: f64,
    /// One interval per requested level, in the order asked.
    pub intervals: Vec<Interval>,
}

/// A proportion with Wilson score intervals (PHEindicatormethods `phe_proportion`).
///
/// # Errors
///
/// [`CompareError::InvalidInput`] for a negative or non-finite numerator, a denominator of 0
/// or less, a numerator above the denominator, or a multiplier of 0 or less.
///
/// # Examples
///
/// ```
/// use commissioning_compare::rates::{proportion, ProportionInput};
///
/// let p = proportion(&ProportionInput::new(0.0, 50.0))?;
/// assert_eq!(p.intervals[0].lower, 0.0);
/// assert!((p.intervals[0].upper - 0.071_347_599_133_358_7).abs() < 1e-12);
/// # Ok::<(), commissioning_compare::CompareError>(())
/// ```
pub fn proportion(input: &ProportionInput) -> Result<Estimate> {
    let (x, n, m) = (input.numerator, input.denominator, input.multiplier);
    check_count(|| "numerator".into(), x, false)?;
    check_count(|| "denominator".into(), n, true)?;
    if x > n {
        return Err(CompareError::input(
            "numerator",
            format!("must not exceed the denominator ({n}), got {x}"),
        ));
    }
    check_multiplier("multiplier", m)?;
    check_levels(&input.confidence)?;
    Ok(Estimate {
        value: x / n * m,
        intervals: input
            .confidence
            .iter()
            .map(|&c| {
                let (lo, hi) = wilson(x, n, c);
                Interval {
                    confidence: c,
                    lower: lo * m,
                    upper: hi * m,
                }
            })
            .collect(),
    })
}

/// A crude rate: `count` events in `population`.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
#[non_exhaustive]
pub struct RateInput {
    /// Events (a whole number, at least 0).
    pub count: f64,
    /// The population (above 0).
    pub population: f64,
    /// The rate is per this many (default 100,000).
    #[serde(default = "per_100k")]
    pub multiplier: f64,
    /// The confidence levels (default 95% and 99.8%).
    #[serde(default = "Confidence::defaults")]
    pub confidence: Vec<Confidence>,
}

impl RateInput {
    /// `count` events in `population`, per 100,000, at 95% and 99.8%.
    pub fn new(count: f64, population: f64) -> Self {
        Self {
            count,
            population,
            multiplier: per_100k(),
            confidence: Confidence::defaults(),
        }
    }
}

/// A count-based statistic with its intervals and the method that gave them.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[non_exhaustive]
pub struct CountEstimate {
    /// The statistic, scaled.
    pub value: f64,
    /// Exact below 10 events, Byar's from 10.
    pub method: CountMethod,
    /// One interval per requested level, in the order asked.
    pub intervals: Vec<Interval>,
}

/// A crude rate per `multiplier` with exact Poisson (below 10 events) or Byar's (from 10)
/// limits (PHEindicatormethods `phe_rate`).
///
/// # Errors
///
/// [`CompareError::InvalidInput`] for a negative, fractional or non-finite count, a
/// population of 0 or less, or a multiplier of 0 or less.
///
/// # Examples
///
/// ```
/// use commissioning_compare::rates::{crude_rate, RateInput};
///
/// let r = crude_rate(&RateInput::new(65.0, 100_000.0))?;
/// assert_eq!(r.value, 65.0);
/// assert!((r.intervals[0].lower - 50.163_187_710_459_454).abs() < 1e-9);
/// # Ok::<(), commissioning_compare::CompareError>(())
/// ```
pub fn crude_rate(input: &RateInput) -> Result<CountEstimate> {
    let (x, n, m) = (input.count, input.population, input.multiplier);
    check_count(|| "count".into(), x, false)?;
    check_whole(|| "count".into(), x)?;
    check_count(|| "population".into(), n, true)?;
    check_multiplier("multiplier", m)?;
    check_levels(&input.confidence)?;
    let method = poisson_limits(x, Confidence::P95).2;
    Ok(CountEstimate {
        value: x / n * m,
        method,
        intervals: input
            .confidence
            .iter()
            .map(|&c| {
                let (lo, hi, _) = poisson_limits(x, c);
                Interval {
                    confidence: c,
                    lower: lo / n * m,
                    upper: hi / n * m,
                }
            })
            .collect(),
    })
}

/// One stratum (an age band, say) of an indirectly standardised ratio.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
#[non_exhaustive]
pub struct RatioStratum {
    /// Observed events in the stratum (whole, at least 0); may be left out when the input
    /// gives `observed_total`.
    #[serde(default)]
    pub observed: Option<f64>,
    /// The local population of the stratum (at least 0).
    pub population: f64,
    /// Events in the reference population (at least 0).
    pub ref_count: f64,
    /// The reference population (above 0).
    pub ref_population: f64,
}

impl RatioStratum {
    /// A stratum with its observed count.
    pub fn new(observed: f64, population: f64, ref_count: f64, ref_population: f64) -> Self {
        Self {
            observed: Some(observed),
            population,
            ref_count,
            ref_population,
        }
    }
}

/// An indirectly standardised ratio: either an observed count against a given expected count,
/// or strata against reference rates.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
#[non_exhaustive]
pub struct RatioInput {
    /// The observed count, with `expected` (whole, at least 0).
    #[serde(default)]
    pub observed: Option<f64>,
    /// The expected count, with `observed` (at least 0; 0 makes the ratio undefined).
    #[serde(default)]
    pub expected: Option<f64>,
    /// Strata with reference rates, instead of `observed` and `expected`.
    #[serde(default)]
    pub strata: Option<Vec<RatioStratum>>,
    /// With `strata`: the total observed count, when the strata carry none.
    #[serde(default)]
    pub observed_total: Option<f64>,
    /// The scale: 1 (the default) for a ratio, 100 for an SMR-style index.
    #[serde(default = "one")]
    pub refvalue: f64,
    /// The confidence levels (default 95% and 99.8%).
    #[serde(default = "Confidence::defaults")]
    pub confidence: Vec<Confidence>,
}

impl RatioInput {
    /// An observed count against a given expected count.
    pub fn from_expected(observed: f64, expected: f64) -> Self {
        Self {
            observed: Some(observed),
            expected: Some(expected),
            strata: None,
            observed_total: None,
            refvalue: 1.0,
            confidence: Confidence::defaults(),
        }
    }

    /// Strata against reference rates.
    pub fn from_strata(strata: Vec<RatioStratum>) -> Self {
        Self {
            observed: None,
            expected: None,
            strata: Some(strata),
            observed_total: None,
            refvalue: 1.0,
            confidence: Confidence::defaults(),
        }
    }
}

/// An indirectly standardised ratio with its intervals.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[non_exhaustive]
pub struct RatioEstimate {
    /// The observed count `O`.
    pub observed: f64,
    /// The expected count `E`, unrounded.
    pub expected: f64,
    /// `O / E × refvalue`.
    pub value: f64,
    /// Exact below 10 observed, Byar's from 10.
    pub method: CountMethod,
    /// One interval per requested level, in the order asked.
    pub intervals: Vec<Interval>,
}

/// The observed and expected counts of a ratio input.
fn observed_expected(input: &RatioInput) -> Result<(f64, f64)> {
    match (&input.strata, input.observed, input.expected) {
        (None, Some(o), Some(e)) => {
            check_count(|| "expected".into(), e, false)?;
            Ok((o, e))
        }
        (Some(strata), None, None) => {
            if strata.is_empty() {
                return Err(CompareError::input(
                    "strata",
                    "at least one stratum is required",
                ));
            }
            let mut o = 0.0;
            let mut e = 0.0;
            for (i, s) in strata.iter().enumerate() {
                check_count(|| format!("strata[{i}].population"), s.population, false)?;
                check_count(|| format!("strata[{i}].ref_count"), s.ref_count, false)?;
                check_count(
                    || format!("strata[{i}].ref_population"),
                    s.ref_population,
                    true,
                )?;
                e += s.ref_count / s.ref_population * s.population;
                match (s.observed, input.observed_total) {
                    (Some(x), _) => {
                        check_count(|| format!("strata[{i}].observed"), x, false)?;
                        check_whole(|| format!("strata[{i}].observed"), x)?;
                        o += x;
                    }
                    (None, Some(_)) => {}
                    (None, None) => {
                        return Err(CompareError::input(
                            format!("strata[{i}].observed"),
                            "missing; give each stratum's observed count or observed_total",
                        ));
                    }
                }
            }
            Ok((input.observed_total.unwrap_or(o), e))
        }
        (Some(_), _, _) => Err(CompareError::input(
            "observed",
            "give either strata or observed and expected, not both",
        )),
        _ => Err(CompareError::input(
            "expected",
            "give observed and expected, or strata with reference rates",
        )),
    }
}

/// An indirectly standardised ratio `O / E × refvalue` with exact (below 10 observed) or
/// Byar's limits divided by `E` (PHEindicatormethods `calculate_ISRatio`).
///
/// # Errors
///
/// [`CompareError::InvalidInput`] for a negative or fractional observed count, a negative
/// population or reference count, a reference population of 0 or less, no strata, or a
/// refvalue of 0 or less; [`CompareError::Undefined`] when the expected count is 0.
pub fn standardised_ratio(input: &RatioInput) -> Result<RatioEstimate> {
    let (o, e) = observed_expected(input)?;
    let field = if input.strata.is_some() {
        "observed_total"
    } else {
        "observed"
    };
    check_count(|| field.into(), o, false)?;
    check_whole(|| field.into(), o)?;
    check_multiplier("refvalue", input.refvalue)?;
    check_levels(&input.confidence)?;
    if e <= 0.0 {
        return Err(CompareError::undefined(
            "expected",
            "the expected count is 0, so the ratio is undefined",
        ));
    }
    let scale = input.refvalue / e;
    Ok(RatioEstimate {
        observed: o,
        expected: e,
        value: o * scale,
        method: poisson_limits(o, Confidence::P95).2,
        intervals: input
            .confidence
            .iter()
            .map(|&c| {
                let (lo, hi, _) = poisson_limits(o, c);
                Interval {
                    confidence: c,
                    lower: lo * scale,
                    upper: hi * scale,
                }
            })
            .collect(),
    })
}

/// The 2013 European Standard Population: 19 age bands (0–4, 5–9, …, 85–89, 90+) summing to
/// 100,000. Source: Eurostat (2013), *Revision of the European Standard Population*, report of
/// Eurostat's task force, table 1 (as shipped in PHEindicatormethods `esp2013`).
pub const ESP2013: [f64; 19] = [
    5000.0, 5500.0, 5500.0, 5500.0, 6000.0, 6000.0, 6500.0, 7000.0, 7000.0, 7000.0, 7000.0, 6500.0,
    6000.0, 5500.0, 5000.0, 4000.0, 2500.0, 1500.0, 1000.0,
];

/// The labels of the [`ESP2013`] age bands.
pub const ESP2013_BANDS: [&str; 19] = [
    "0-4", "5-9", "10-14", "15-19", "20-24", "25-29", "30-34", "35-39", "40-44", "45-49", "50-54",
    "55-59", "60-64", "65-69", "70-74", "75-79", "80-84", "85-89", "90+",
];

/// The position of an age band among the [`ESP2013_BANDS`], read as people write it (`0-4`,
/// `0–4`, `0 to 4`, `90+`, `90 and over`, `85-89 years`); `None` for any other label.
///
/// ```
/// use commissioning_compare::rates::esp2013_band;
///
/// assert_eq!(esp2013_band("0-4"), Some(0));
/// assert_eq!(esp2013_band("90 and over"), Some(18));
/// assert_eq!(esp2013_band("banana"), None);
/// ```
pub fn esp2013_band(label: &str) -> Option<usize> {
    let lower = label.trim().to_ascii_lowercase();
    let trimmed = lower
        .trim_end_matches("years")
        .trim_end_matches("yrs")
        .trim();
    let plain = trimmed
        .replace(['\u{2013}', '\u{2014}'], "-")
        .replace(" to ", "-")
        .replace("and over", "+")
        .replace("plus", "+")
        .replace(' ', "");
    ESP2013_BANDS.iter().position(|b| *b == plain)
}

/// Each stratum's 2013 ESP weight: by its band where the strata give bands (every one of them,
/// each band once), otherwise by position.
fn esp2013_weights(strata: &[DsrStratum]) -> Result<Vec<f64>> {
    if strata.iter().all(|s| s.band.is_none()) {
        return Ok(ESP2013.to_vec());
    }
    let mut seen = [false; 19];
    strata
        .iter()
        .enumerate()
        .map(|(i, s)| {
            let field = || format!("strata[{i}].band");
            let band = s.band.as_deref().ok_or_else(|| {
                CompareError::input(field(), "give every stratum's age band, or none")
            })?;
            let at = esp2013_band(band).ok_or_else(|| {
                CompareError::input(
                    field(),
                    format!(
                        "{band:?} is not a band of the 2013 European Standard Population; expected one of {}",
                        ESP2013_BANDS.join(", ")
                    ),
                )
            })?;
            match seen.get_mut(at) {
                Some(slot) if !*slot => *slot = true,
                _ => {
                    return Err(CompareError::input(field(), format!("the band {band:?} is given twice")));
                }
            }
            Ok(ESP2013.get(at).copied().unwrap_or(0.0))
        })
        .collect()
}

/// The standard population of a directly standardised rate.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum Standard {
    /// The 2013 European Standard Population ([`ESP2013`]); exactly 19 strata, youngest first.
    #[default]
    Esp2013,
    /// Each stratum's `standard_population`.
    Custom,
}

/// One stratum of a directly standardised rate.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
#[non_exhaustive]
pub struct DsrStratum {
    /// Events (whole, at least 0).
    pub count: f64,
    /// The local population (above 0).
    pub population: f64,
    /// The stratum's standard-population weight, with `standard: custom`.
    #[serde(default)]
    pub standard_population: Option<f64>,
    /// The stratum's age band (`"0-4"` … `"90+"`), with the 2013 European Standard Population:
    /// strata with bands are matched to the standard by label, in any order; without, by
    /// position, youngest first.
    #[serde(default)]
    pub band: Option<String>,
}

impl DsrStratum {
    /// A stratum for the European Standard Population.
    pub fn new(count: f64, population: f64) -> Self {
        Self {
            count,
            population,
            standard_population: None,
            band: None,
        }
    }

    /// The stratum of an age band, matched to the 2013 European Standard Population by label.
    #[must_use]
    pub fn in_band(mut self, band: impl Into<String>) -> Self {
        self.band = Some(band.into());
        self
    }

    /// A stratum with its own standard-population weight.
    pub fn with_standard(count: f64, population: f64, weight: f64) -> Self {
        Self {
            count,
            population,
            standard_population: Some(weight),
            band: None,
        }
    }
}

/// A directly standardised rate.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
#[non_exhaustive]
pub struct DsrInput {
    /// The strata, in the standard's order.
    pub strata: Vec<DsrStratum>,
    /// The standard population (default the 2013 ESP).
    #[serde(default)]
    pub standard: Standard,
    /// The rate is per this many (default 100,000).
    #[serde(default = "per_100k")]
    pub multiplier: f64,
    /// The confidence levels (default 95% and 99.8%).
    #[serde(default = "Confidence::defaults")]
    pub confidence: Vec<Confidence>,
}

impl DsrInput {
    /// Strata on the 2013 European Standard Population, per 100,000, at 95% and 99.8%.
    pub fn esp2013(strata: Vec<DsrStratum>) -> Self {
        Self {
            strata,
            standard: Standard::Esp2013,
            multiplier: per_100k(),
            confidence: Confidence::defaults(),
        }
    }
}

/// A limit that may be suppressed.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct SuppressibleInterval {
    /// The level, as given.
    pub confidence: Confidence,
    /// The lower limit; `None` (JSON `null`) when the rate is suppressed.
    pub lower: Option<f64>,
    /// The upper limit; `None` when the rate is suppressed.
    pub upper: Option<f64>,
}

/// A directly standardised rate with Dobson limits.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[non_exhaustive]
pub struct DsrEstimate {
    /// `O`, the total count.
    pub total_count: f64,
    /// The total local population.
    pub total_population: f64,
    /// True when there are fewer than 10 events: the value and limits are then withheld, as
    /// Fingertips does.
    pub suppressed: bool,
    /// The rate per multiplier; `None` (JSON `null`) when suppressed.
    pub value: Option<f64>,
    /// One interval per requested level, in the order asked.
    pub intervals: Vec<SuppressibleInterval>,
}

/// The count below which a directly standardised rate is suppressed.
pub const DSR_SUPPRESS_BELOW: f64 = 10.0;

/// A directly standardised rate with Dobson limits (PHEindicatormethods `calculate_dsr`):
/// `DSR = Σ xᵢ wᵢ / nᵢ / Σ wᵢ × M`, variance `V = Σ xᵢ wᵢ² / nᵢ² / (Σ wᵢ)²`, limits
/// `DSR + √(V/O) (O_L − O) M` and `DSR + √(V/O) (O_U − O) M` with Byar's limits `O_L`, `O_U`
/// of the total count `O`. Suppressed below 10 events.
///
/// # Errors
///
/// [`CompareError::InvalidInput`] for no strata, a negative or fractional count, a population
/// of 0 or less, a negative or missing weight, weights summing to 0, the ESP with other than
/// 19 strata, or a multiplier of 0 or less.
pub fn directly_standardised_rate(input: &DsrInput) -> Result<DsrEstimate> {
    if input.strata.is_empty() {
        return Err(CompareError::input(
            "strata",
            "at least one stratum is required",
        ));
    }
    if input.standard == Standard::Esp2013 && input.strata.len() != ESP2013.len() {
        return Err(CompareError::input(
            "strata",
            format!(
                "the 2013 European Standard Population has 19 age bands (0-4 to 90+), got {} strata",
                input.strata.len()
            ),
        ));
    }
    check_multiplier("multiplier", input.multiplier)?;
    check_levels(&input.confidence)?;
    let esp = match input.standard {
        Standard::Esp2013 => esp2013_weights(&input.strata)?,
        Standard::Custom => Vec::new(),
    };
    let (mut o, mut pop, mut sum_w, mut rate, mut var) = (0.0, 0.0, 0.0, 0.0, 0.0);
    for (i, s) in input.strata.iter().enumerate() {
        check_count(|| format!("strata[{i}].count"), s.count, false)?;
        check_whole(|| format!("strata[{i}].count"), s.count)?;
        check_count(|| format!("strata[{i}].population"), s.population, true)?;
        let w = match input.standard {
            Standard::Esp2013 => esp.get(i).copied().unwrap_or(0.0),
            Standard::Custom => {
                let w = s.standard_population.ok_or_else(|| {
                    CompareError::input(
                        format!("strata[{i}].standard_population"),
                        "missing; a custom standard needs a weight for every stratum",
                    )
                })?;
                check_count(|| format!("strata[{i}].standard_population"), w, false)?;
                w
            }
        };
        o += s.count;
        pop += s.population;
        sum_w += w;
        rate += s.count * w / s.population;
        var += s.count * w * w / (s.population * s.population);
    }
    if sum_w <= 0.0 {
        return Err(CompareError::input(
            "strata",
            "the standard-population weights sum to 0",
        ));
    }
    let m = input.multiplier;
    let suppressed = o < DSR_SUPPRESS_BELOW;
    let dsr = rate / sum_w * m;
    let v = var / (sum_w * sum_w);
    let intervals = input
        .confidence
        .iter()
        .map(|&c| {
            if suppressed {
                return SuppressibleInterval {
                    confidence: c,
                    lower: None,
                    upper: None,
                };
            }
            let (ol, ou) = byars(o, c);
            let k = (v / o).sqrt() * m;
            SuppressibleInterval {
                confidence: c,
                lower: Some(dsr + k * (ol - o)),
                upper: Some(dsr + k * (ou - o)),
            }
        })
        .collect();
    Ok(DsrEstimate {
        total_count: o,
        total_population: pop,
        suppressed,
        value: (!suppressed).then_some(dsr),
        intervals,
    })
}
