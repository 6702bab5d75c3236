//! Funnel plots with overdispersion, as FunnelPlotR draws them (Spiegelhalter 2005).
//!
//! The steps of [`funnel`], in order:
//!
//! 1. **Denominators**: for standardised ratios with the SHMI method, each expected count is
//!    rounded to 2 places (half away from zero) and the rounded value used everywhere below,
//!    except in the ratio itself, which uses the expected count as given.
//! 2. **Transform**: each unit's value `y`, the target `θ`, its standard error `s` and its
//!    z-score `(y − θ)/s`: SHMI on the log scale (`y = ln(O/E)`, `θ = 0`, `s = 1/√E`); CQC on
//!    the square-root scale (`y = √(O/E)`, `θ = 1`, `s = 1/(2√E)`); proportions on the arcsine
//!    scale (`y = asin √(O/n)`, `θ = asin √p` with `p = ΣO/Σn`, `s = 1/(2√n)`).
//! 3. **Trimming**: SHMI truncates (units in the bottom and top `trim_by` groups by rank are
//!    left out of the overdispersion estimate); CQC and proportions winsorise (z-scores beyond
//!    the `trim_by` and `1 − trim_by` quantiles are pulled in to them).
//! 4. **Overdispersion**: the multiplicative `φ = mean(z²)` of the retained units and the
//!    additive DerSimonian–Laird `τ² = (nφ − (n − 1)) / (Σw − Σw²/Σw)` with `w = 1/s²`, floored
//!    at 0. The adjusted limits are in use when overdispersion is asked for and `φ > 1`.
//! 5. **Limits** at each unit's denominator: exact Poisson (standardised ratios) or arcsine
//!    normal (proportions) without adjustment; `exp(∓z √(1/E + τ²))` (SHMI),
//!    `(1 ∓ z √(1/(4E) + τ²))²` (CQC) or `sin²(θ ∓ z √(1/(4n) + τ²))` (proportions) with it.
//! 6. **Flags**: each unit's overdispersion-adjusted z-score, and whether its ratio lies
//!    strictly outside the 95% and 99.8% limits in use.
//!
//! # Examples
//!
//! ```
//! use commissioning_compare::funnel::{funnel, FunnelInput, FunnelUnit};
//!
//! let units = [("a", 100.0, 108.0), ("b", 150.0, 112.0), ("c", 180.0, 165.0),
//!              ("d", 80.0, 95.0), ("e", 120.0, 100.0), ("f", 225.0, 220.0)]
//!     .map(|(id, o, e)| FunnelUnit::new(id, o, e));
//! let input = FunnelInput::ratios(units.to_vec());
//! let f = funnel(&input)?; // the points borrow their ids from the input
//! assert!((f.phi.unwrap() - 2.948_033_175_102_358).abs() < 1e-12);
//! assert!(f.adjusted_in_use);
//! assert_eq!(f.outliers_95, 0); // b's 1.34 is within its widened limits
//! # Ok::<(), commissioning_compare::CompareError>(())
//! ```

use commissioning_model::Decimal;
use serde::{Deserialize, Serialize};

use crate::dist::{NormalAnchor, chi_square_quantile_anchored};
use crate::error::{CompareError, Result, check_count, unique_ids};
use crate::level::{Confidence, fraction};

/// One unit on the funnel: a provider or a place.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
#[non_exhaustive]
pub struct FunnelUnit {
    /// The unit's name or ODS code (unique).
    pub id: String,
    /// Observed events `O` (at least 0).
    pub numerator: f64,
    /// Expected events `E` for a standardised ratio, or the population `n` for a proportion
    /// (above 0).
    pub denominator: f64,
}

impl FunnelUnit {
    /// A unit.
    pub fn new(id: impl Into<String>, numerator: f64, denominator: f64) -> Self {
        Self {
            id: id.into(),
            numerator,
            denominator,
        }
    }
}

/// What the units' values are.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub enum DataType {
    /// An indirectly standardised ratio `O / E` (SHMI, SMR).
    #[default]
    #[serde(rename = "SR", alias = "sr", alias = "ratio")]
    Ratio,
    /// A proportion `O / n`.
    #[serde(rename = "PR", alias = "pr", alias = "proportion")]
    Proportion,
}

/// How a standardised ratio is transformed (FunnelPlotR `sr_method`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub enum SrMethod {
    /// The log scale, truncation and rounded expected counts, as NHS Digital's SHMI.
    #[default]
    #[serde(rename = "SHMI", alias = "shmi")]
    Shmi,
    /// The square-root scale and winsorisation, as the Care Quality Commission.
    #[serde(rename = "CQC", alias = "cqc")]
    Cqc,
}

/// How extreme z-scores were kept from inflating the overdispersion estimate.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum TrimKind {
    /// The bottom and top groups were left out (SHMI).
    Truncated,
    /// Values beyond the quantiles were pulled in to them (CQC, proportions).
    Winsorised,
}

fn default_trim() -> Decimal {
    Decimal::new(1, 1)
}

fn yes() -> bool {
    true
}

fn one() -> f64 {
    1.0
}

/// A funnel plot to draw: the units and FunnelPlotR's options.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
#[non_exhaustive]
pub struct FunnelInput {
    /// The units, one row each (no aggregation).
    pub units: Vec<FunnelUnit>,
    /// Standardised ratios (`"SR"`, the default) or proportions (`"PR"`).
    #[serde(default)]
    pub data_type: DataType,
    /// For standardised ratios: `"SHMI"` (the default) or `"CQC"`.
    #[serde(default)]
    pub sr_method: SrMethod,
    /// The share trimmed from each tail before estimating overdispersion, strictly between 0
    /// and 0.5 (default 0.1).
    #[serde(default = "default_trim", deserialize_with = "fraction::deserialize")]
    #[cfg_attr(feature = "schema", schemars(with = "String"))]
    pub trim_by: Decimal,
    /// Round expected counts to 2 places, as SHMI does (default true; SHMI only).
    #[serde(default = "yes")]
    pub shmi_rounding: bool,
    /// Adjust the limits for overdispersion when the data are overdispersed (default true).
    #[serde(default = "yes")]
    pub overdispersion: bool,
    /// The scale of ratios and limits: 1 (the default) or 100.
    #[serde(default = "one")]
    pub multiplier: f64,
    /// The inner and outer confidence levels (default 95% and 99.8%). Output fields keep the
    /// names `lower_95`, `upper_998` and so on for the inner and outer pair.
    #[serde(default = "default_levels")]
    pub levels: [Confidence; 2],
}

fn default_levels() -> [Confidence; 2] {
    [Confidence::P95, Confidence::P998]
}

impl FunnelInput {
    /// Standardised ratios with FunnelPlotR's defaults (SHMI, 10% truncation, overdispersion).
    pub fn ratios(units: Vec<FunnelUnit>) -> Self {
        Self {
            units,
            data_type: DataType::Ratio,
            sr_method: SrMethod::Shmi,
            trim_by: default_trim(),
            shmi_rounding: true,
            overdispersion: true,
            multiplier: 1.0,
            levels: default_levels(),
        }
    }

    /// Proportions with FunnelPlotR's defaults (10% winsorisation, overdispersion).
    pub fn proportions(units: Vec<FunnelUnit>) -> Self {
        Self {
            data_type: DataType::Proportion,
            ..Self::ratios(units)
        }
    }
}

/// The two pairs of limits at one denominator, scaled by the multiplier.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Limits {
    /// Lower inner (95%) limit.
    pub lower_95: f64,
    /// Upper inner (95%) limit.
    pub upper_95: f64,
    /// Lower outer (99.8%) limit.
    pub lower_998: f64,
    /// Upper outer (99.8%) limit.
    pub upper_998: f64,
}

/// One unit's place on the funnel.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[non_exhaustive]
pub struct FunnelPoint<'a> {
    /// The unit's id, borrowed from the input.
    pub id: &'a str,
    /// `O/E` or `O/n`, times the multiplier (with the expected count as given).
    pub ratio: f64,
    /// The denominator as used (rounded to 2 places for SHMI).
    pub denominator: f64,
    /// The unadjusted z-score; `None` (JSON `null`) when it is minus infinity (no events on
    /// the log scale).
    pub z: Option<f64>,
    /// Whether trimming touched the unit (truncated, or winsorised to or at a quantile).
    pub trimmed: bool,
    /// The z-score after trimming; `None` for a truncated unit.
    pub z_trimmed: Option<f64>,
    /// Spiegelhalter's overdispersion-adjusted z-score `(y − θ)/√(s² + τ²)`; `None` when `τ²`
    /// cannot be estimated or `z` is minus infinity.
    pub z_adjusted: Option<f64>,
    /// The limits without adjustment.
    pub limits_unadjusted: Limits,
    /// The limits with the additive adjustment `τ²`; `None` when `τ²` cannot be estimated.
    pub limits_adjusted: Option<Limits>,
    /// Strictly outside the inner limits in use.
    pub outlier_95: bool,
    /// Strictly outside the outer limits in use.
    pub outlier_998: bool,
}

/// A funnel plot: the target, the overdispersion estimates and every unit.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[non_exhaustive]
pub struct Funnel<'a> {
    /// The target: 1 for ratios, the pooled proportion for proportions (times the multiplier).
    pub target: f64,
    /// How trimming was done.
    pub trim_kind: TrimKind,
    /// The number of units that entered the overdispersion estimate.
    pub n_retained: usize,
    /// The multiplicative overdispersion factor; `None` (JSON `null`) when it cannot be
    /// computed (infinite, because a retained unit has no events on the log scale).
    pub phi: Option<f64>,
    /// The additive random-effects variance; `None` with fewer than 2 retained units.
    pub tau2: Option<f64>,
    /// Whether the adjusted limits are the ones in use (overdispersion asked for and `φ > 1`).
    pub adjusted_in_use: bool,
    /// Units strictly outside the inner limits in use.
    pub outliers_95: usize,
    /// Units strictly outside the outer limits in use.
    pub outliers_998: usize,
    /// The units, in input order.
    pub units: Vec<FunnelPoint<'a>>,
    #[serde(skip)]
    curve: Curve,
}

/// What is needed to draw the limits at any denominator.
#[derive(Debug, Clone, Copy, PartialEq)]
struct Curve {
    data_type: DataType,
    sr_method: SrMethod,
    theta: f64,
    sin_theta: f64,
    cos_theta: f64,
    tau2: f64,
    adjusted: bool,
    multiplier: f64,
    levels: [Confidence; 2],
    z: [f64; 2],
    /// `α/2` and the normal tail anchored at the exact `Φ⁻¹(1 − α/2)` of each level, for exact
    /// limits.
    tails: [(f64, NormalAnchor); 2],
}

/// FunnelPlotR's normal critical values: 1.959964 at 95% and 3.090232 at 99.8%; any other
/// level at full precision.
pub fn funnel_z(level: Confidence) -> f64 {
    if level == Confidence::P95 {
        1.959_964
    } else if level == Confidence::P998 {
        3.090_232
    } else {
        level.z()
    }
}

impl Funnel<'_> {
    /// The limits in use at a denominator (an expected count, or a population), scaled by the
    /// multiplier: what the funnel's curves are drawn from.
    pub fn limits_at(&self, denominator: f64) -> Limits {
        self.curve.limits(denominator, self.curve.adjusted)
    }

    /// The inner and outer confidence levels.
    pub fn levels(&self) -> [Confidence; 2] {
        self.curve.levels
    }

    /// Whether the units are proportions (else standardised ratios).
    pub fn is_proportion(&self) -> bool {
        self.curve.data_type == DataType::Proportion
    }
}

impl Curve {
    fn limits(&self, d: f64, adjusted: bool) -> Limits {
        let tau2 = if adjusted { self.tau2 } else { 0.0 };
        // The standard error of the scale with τ² added, shared by both levels.
        let spread = match (self.data_type, self.sr_method) {
            (DataType::Ratio, SrMethod::Shmi) => (1.0 / d + tau2).sqrt(),
            _ => (0.25 / d + tau2).sqrt(),
        };
        self.limits_with(d, adjusted, spread)
    }

    /// The limits at `d` given the scale's spread there (`√(s² + τ²)`, or `s` unadjusted).
    fn limits_with(&self, d: f64, adjusted: bool, spread: f64) -> Limits {
        let pair = |i: usize| -> (f64, f64) {
            let z = self.z.get(i).copied().unwrap_or(f64::NAN);
            let (tail, anchor) = self
                .tails
                .get(i)
                .copied()
                .unwrap_or((f64::NAN, NormalAnchor::new(f64::NAN)));
            match (self.data_type, self.sr_method, adjusted) {
                (DataType::Ratio, _, false) => (
                    chi_square_quantile_anchored(tail, 2.0 * d, false, &anchor.negated())
                        / (2.0 * d),
                    chi_square_quantile_anchored(tail, 2.0 * d + 2.0, true, &anchor) / (2.0 * d),
                ),
                (DataType::Ratio, SrMethod::Shmi, true) => {
                    let h = z * spread;
                    ((-h).exp(), h.exp())
                }
                (DataType::Ratio, SrMethod::Cqc, true) => {
                    let h = z * spread;
                    let lo = 1.0 - h;
                    (if lo <= 0.0 { 0.0 } else { lo * lo }, (1.0 + h) * (1.0 + h))
                }
                (DataType::Proportion, _, _) => {
                    let h = z * spread;
                    let (a_lo, a_hi) = (self.theta - h, self.theta + h);
                    // sin(θ ∓ h) = sin θ cos h ∓ cos θ sin h: one sin_cos for both limits.
                    let (sh, ch) = sin_cos(h);
                    let (s_lo, s_hi) = (
                        self.sin_theta * ch - self.cos_theta * sh,
                        self.sin_theta * ch + self.cos_theta * sh,
                    );
                    let lo = if a_lo <= 0.0 { 0.0 } else { s_lo * s_lo };
                    let hi = if a_hi >= std::f64::consts::FRAC_PI_2 {
                        1.0
                    } else {
                        s_hi * s_hi
                    };
                    (lo, hi)
                }
            }
        };
        let (l95, u95) = pair(0);
        let (l998, u998) = pair(1);
        let m = self.multiplier;
        Limits {
            lower_95: l95 * m,
            upper_95: u95 * m,
            lower_998: l998 * m,
            upper_998: u998 * m,
        }
    }
}

/// `(sin h, cos h)`: by their Taylor series for `|h| ≤ π/4`, where the terms left out are
/// below 5e-17 (a funnel's half-widths are almost always in this range), else the standard
/// library's. Written out so both series evaluate side by side, without a call.
fn sin_cos(h: f64) -> (f64, f64) {
    if h.abs() > std::f64::consts::FRAC_PI_4 {
        return h.sin_cos();
    }
    // Coefficients of x = h² in sin h / h and cos h, to x⁷ and x⁸, as exact reciprocals of
    // factorials; Estrin's scheme (pairs, then pairs of pairs) keeps the chains short.
    const S: [f64; 8] = [
        1.0,
        -1.0 / 6.0,
        1.0 / 120.0,
        -1.0 / 5_040.0,
        1.0 / 362_880.0,
        -1.0 / 39_916_800.0,
        1.0 / 6_227_020_800.0,
        -1.0 / 1_307_674_368_000.0,
    ];
    const C: [f64; 9] = [
        1.0,
        -1.0 / 2.0,
        1.0 / 24.0,
        -1.0 / 720.0,
        1.0 / 40_320.0,
        -1.0 / 3_628_800.0,
        1.0 / 479_001_600.0,
        -1.0 / 87_178_291_200.0,
        1.0 / 20_922_789_888_000.0,
    ];
    let x = h * h;
    let x2 = x * x;
    let x4 = x2 * x2;
    let s = (S[0] + S[1] * x + (S[2] + S[3] * x) * x2)
        + (S[4] + S[5] * x + (S[6] + S[7] * x) * x2) * x4;
    let c = (C[0] + C[1] * x + (C[2] + C[3] * x) * x2)
        + (C[4] + C[5] * x + (C[6] + C[7] * x) * x2) * x4
        + C[8] * x4 * x4;
    (h * s, c)
}

/// A count as a float (exact below 2^53).
#[allow(clippy::cast_precision_loss)]
fn count(n: usize) -> f64 {
    n as f64
}

/// The whole part of a non-negative float as an index.
#[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
fn index(x: f64) -> usize {
    x as usize
}

/// Half away from zero to 2 places.
fn round2(x: f64) -> f64 {
    (x * 100.0).round() / 100.0
}

fn validate(input: &FunnelInput) -> Result<f64> {
    if input.units.is_empty() {
        return Err(CompareError::input(
            "units",
            "at least one unit is required",
        ));
    }
    unique_ids("units", &input.units.iter().map(|u| &*u.id))?;
    for (i, u) in input.units.iter().enumerate() {
        check_count(|| format!("units[{i}].numerator"), u.numerator, false)?;
        check_count(|| format!("units[{i}].denominator"), u.denominator, true)?;
        if input.data_type == DataType::Proportion && u.numerator > u.denominator {
            return Err(CompareError::input(
                format!("units[{i}].numerator"),
                format!(
                    "a proportion's numerator must not exceed its denominator ({}), got {}",
                    u.denominator, u.numerator
                ),
            ));
        }
        if rounds(input) && round2(u.denominator) <= 0.0 {
            return Err(CompareError::input(
                format!("units[{i}].denominator"),
                format!(
                    "rounds to 0 at 2 places (SHMI rounding), got {}",
                    u.denominator
                ),
            ));
        }
    }
    if !input.multiplier.is_finite() || input.multiplier <= 0.0 {
        return Err(CompareError::input(
            "multiplier",
            format!("must be a finite number above 0, got {}", input.multiplier),
        ));
    }
    let half = Decimal::new(5, 1);
    if input.trim_by <= Decimal::ZERO || input.trim_by >= half {
        return Err(CompareError::input(
            "trim_by",
            format!("must be strictly between 0 and 0.5, got {}", input.trim_by),
        ));
    }
    Ok(fraction::to_f64(input.trim_by))
}

fn rounds(input: &FunnelInput) -> bool {
    input.data_type == DataType::Ratio && input.sr_method == SrMethod::Shmi && input.shmi_rounding
}

/// Average ranks (1-based) of the values, ties sharing their mean rank; minus infinity lowest.
fn average_ranks(z: impl ExactSizeIterator<Item = f64>) -> Vec<f64> {
    let mut ranks = vec![0.0; z.len()];
    let mut order: Vec<(f64, usize)> = z.zip(0..).collect();
    order.sort_unstable_by(|a, b| a.0.total_cmp(&b.0));
    let mut i = 0_usize;
    while let Some(&(zi, _)) = order.get(i) {
        let mut j = i;
        while order
            .get(j.saturating_add(1))
            .is_some_and(|&(v, _)| v.total_cmp(&zi).is_eq() || (v == 0.0 && zi == 0.0))
        {
            j = j.saturating_add(1);
        }
        // Positions i..=j (0-based) share the mean of the 1-based ranks i + 1 to j + 1.
        let r = (count(i) + count(j) + 2.0) / 2.0;
        for &(_, k) in order.get(i..=j).unwrap_or(&[]) {
            if let Some(slot) = ranks.get_mut(k) {
                *slot = r;
            }
        }
        i = j.saturating_add(1);
    }
    ranks
}

/// The R type-7 sample quantile, by selection rather than a full sort (the values are
/// reordered): `x₍ⱼ₎ + (h − j)(x₍ⱼ₊₁₎ − x₍ⱼ₎)` with `h = (n − 1)p`, `j = ⌊h⌋`.
fn quantile7(values: &mut [f64], p: f64) -> f64 {
    let n = values.len();
    if n == 0 {
        return f64::NAN;
    }
    let h = count(n.saturating_sub(1)) * p;
    let lo = h.floor();
    let i = index(lo).min(n.saturating_sub(1));
    let (_, a, rest) = values.select_nth_unstable_by(i, f64::total_cmp);
    let a = *a;
    // The next order statistic is the smallest of those above.
    let b = rest.iter().copied().min_by(f64::total_cmp).unwrap_or(a);
    if h > lo { a + (h - lo) * (b - a) } else { a }
}

/// Draws a funnel plot: see the module documentation for the steps.
///
/// # Errors
///
/// [`CompareError::InvalidInput`] for no units, a duplicate id, a negative or non-finite
/// numerator, a denominator of 0 or less (or rounding to 0), a proportion above 1, a
/// multiplier of 0 or less, or `trim_by` outside (0, 0.5); [`CompareError::Undefined`] when
/// overdispersion is asked for but `φ` or `τ²` cannot be estimated (a single retained unit, or
/// a retained unit with no events on the log scale).
pub fn funnel(input: &FunnelInput) -> Result<Funnel<'_>> {
    let trim_by = validate(input)?;
    let n_units = input.units.len();
    let rounding = rounds(input);
    // (1) Denominators.
    let denominator = |u: &FunnelUnit| {
        if rounding {
            round2(u.denominator)
        } else {
            u.denominator
        }
    };

    // (2) Transform: each unit's deviation from the target `y − θ` and standard error `s`, by
    // the scale's factor `s = k/√d` (the weight of the overdispersion estimate is `1/s² = d/k²`).
    let pooled = {
        let o: f64 = input.units.iter().map(|u| u.numerator).sum();
        let n: f64 = input.units.iter().map(|u| u.denominator).sum();
        o / n
    };
    let (theta, k) = match (input.data_type, input.sr_method) {
        (DataType::Ratio, SrMethod::Shmi) => (0.0, 1.0),
        (DataType::Ratio, SrMethod::Cqc) => (1.0, 0.5),
        (DataType::Proportion, _) => (pooled.sqrt().asin(), 0.5),
    };
    let transform = |u: &FunnelUnit, d: f64| -> f64 {
        match (input.data_type, input.sr_method) {
            (DataType::Ratio, SrMethod::Shmi) => (u.numerator / d).ln(),
            (DataType::Ratio, SrMethod::Cqc) => (u.numerator / d).sqrt(),
            (DataType::Proportion, _) => (u.numerator / d).sqrt().asin(),
        }
    };
    // (deviation, s) per unit; z = deviation / s.
    let dev_s: Vec<(f64, f64)> = input
        .units
        .iter()
        .map(|u| {
            let d = denominator(u);
            (transform(u, d) - theta, k / d.sqrt())
        })
        .collect();
    let z_of = |i: usize| dev_s.get(i).map_or(f64::NAN, |&(dv, s)| dv / s);

    // (3) Trimming: which units are kept (SHMI), or the quantiles z is pulled in to.
    let shmi = input.data_type == DataType::Ratio && input.sr_method == SrMethod::Shmi;
    let (trim_kind, keep, bounds) = if shmi {
        let groups = 1.0 / trim_by;
        let keep: Vec<bool> = average_ranks((0..n_units).map(z_of))
            .iter()
            .map(|r| {
                let g = (r * groups / (count(n_units) + 1.0)).floor();
                g > 0.0 && g < groups - 1.0
            })
            .collect();
        (
            TrimKind::Truncated,
            keep,
            (f64::NEG_INFINITY, f64::INFINITY),
        )
    } else {
        let mut scratch: Vec<f64> = (0..n_units).map(z_of).collect();
        let lo = quantile7(&mut scratch, trim_by);
        let hi = quantile7(&mut scratch, 1.0 - trim_by);
        (TrimKind::Winsorised, Vec::new(), (lo, hi))
    };
    // Unit i's trimmed z-score (`None` when truncated) and whether trimming touched it.
    let trimmed_z = |i: usize, zi: f64| -> (Option<f64>, bool) {
        if shmi {
            let kept = keep.get(i).copied().unwrap_or(false);
            (kept.then_some(zi), !kept)
        } else {
            let (lo, hi) = bounds;
            (Some(zi.clamp(lo, hi)), !(lo < zi && zi < hi))
        }
    };

    // (4) Overdispersion over the retained units.
    let (mut n_retained, mut sum_z2, mut sw, mut sw2) = (0_usize, 0.0, 0.0, 0.0);
    let mut first_infinite = None;
    for (i, u) in input.units.iter().enumerate() {
        if let (Some(zt), _) = trimmed_z(i, z_of(i)) {
            let w = denominator(u) / (k * k);
            n_retained = n_retained.saturating_add(1);
            sum_z2 += zt * zt;
            sw += w;
            sw2 += w * w;
            if first_infinite.is_none() && zt.is_infinite() {
                first_infinite = Some(i);
            }
        }
    }
    let n = count(n_retained);
    let phi = if n_retained == 0 {
        f64::NAN
    } else {
        sum_z2 / n
    };
    let tau2 = if n_retained < 2 || !phi.is_finite() {
        None
    } else if n * phi < n - 1.0 {
        Some(0.0)
    } else {
        Some(((n * phi - (n - 1.0)) / (sw - sw2 / sw)).max(0.0))
    };
    if input.overdispersion && (!phi.is_finite() || tau2.is_none()) {
        if n_retained < 2 {
            return Err(CompareError::undefined(
                "units",
                format!(
                    "overdispersion needs at least 2 units after trimming, got {n_retained}; set overdispersion to false"
                ),
            ));
        }
        let i = first_infinite.unwrap_or(0);
        return Err(CompareError::undefined(
            format!("units[{i}].numerator"),
            "no events, so the unit's log-scale z-score is minus infinity and overdispersion cannot be estimated; set overdispersion to false or use the CQC method",
        ));
    }
    let adjusted = input.overdispersion && phi > 1.0;

    // (5) Limits, (6) flags.
    let m = input.multiplier;
    let curve = Curve {
        data_type: input.data_type,
        sr_method: input.sr_method,
        theta,
        sin_theta: theta.sin(),
        cos_theta: theta.cos(),
        tau2: tau2.unwrap_or(0.0),
        adjusted,
        multiplier: m,
        levels: input.levels,
        z: input.levels.map(funnel_z),
        tails: input.levels.map(|l| (l.tail(), NormalAnchor::new(l.z()))),
    };
    let mut units = Vec::with_capacity(n_units);
    let (mut outliers_95, mut outliers_998) = (0_usize, 0_usize);
    for (i, (u, &(dev, si))) in input.units.iter().zip(&dev_s).enumerate() {
        let d = denominator(u);
        let zi = dev / si;
        let (z_trimmed, trimmed) = trimmed_z(i, zi);
        // Unadjusted, the spread is the unit's own standard error.
        let unadjusted = curve.limits_with(d, false, si);
        let spread = tau2.map(|t| (si * si + t).sqrt());
        let with_tau = spread.map(|sp| curve.limits_with(d, true, sp));
        let in_use = if adjusted {
            with_tau.unwrap_or(unadjusted)
        } else {
            unadjusted
        };
        let ratio = u.numerator / u.denominator * m;
        let outlier_95 = ratio < in_use.lower_95 || ratio > in_use.upper_95;
        let outlier_998 = ratio < in_use.lower_998 || ratio > in_use.upper_998;
        outliers_95 = outliers_95.saturating_add(usize::from(outlier_95));
        outliers_998 = outliers_998.saturating_add(usize::from(outlier_998));
        units.push(FunnelPoint {
            id: &u.id,
            ratio,
            denominator: d,
            z: zi.is_finite().then_some(zi),
            trimmed,
            z_trimmed: z_trimmed.filter(|v| v.is_finite()),
            z_adjusted: spread.filter(|_| dev.is_finite()).map(|sp| dev / sp),
            limits_unadjusted: unadjusted,
            limits_adjusted: with_tau,
            outlier_95,
            outlier_998,
        });
    }
    Ok(Funnel {
        target: match input.data_type {
            DataType::Ratio => m,
            DataType::Proportion => pooled * m,
        },
        trim_kind,
        n_retained,
        phi: phi.is_finite().then_some(phi),
        tau2,
        adjusted_in_use: adjusted,
        outliers_95,
        outliers_998,
        units,
        curve,
    })
}

#[cfg(test)]
mod tests {
    use super::sin_cos;

    #[test]
    fn the_short_series_agree_with_the_standard_library_to_a_few_ulps() {
        let mut worst = 0.0_f64;
        for i in -2_000..=2_000 {
            let h = f64::from(i) * 1e-3; // beyond ±π/4 the standard library answers
            let (s, c) = sin_cos(h);
            let (s0, c0) = h.sin_cos();
            worst = worst.max((s - s0).abs()).max((c - c0).abs());
        }
        assert!(worst < 4.0 * f64::EPSILON, "worst difference {worst:e}");
        assert_eq!(sin_cos(0.0), (0.0, 1.0));
    }
}
