//! Statistical process control as NHS England's "Making Data Count" defines it, following the
//! R package `NHSRplotthedots`.
//!
//! # Limits (`XmR`)
//!
//! The centre line is the mean of the baseline points. Moving ranges are the absolute
//! differences of consecutive points and `mR̄` is their mean. Process limits are
//! `mean ± 2.66 × mR̄`; the near-limit lines are `mean ± (2/3) × 2.66 × mR̄`. With screening
//! (`NHSRplotthedots`' default), moving ranges of at least `3.267 × mR̄` are dropped once and `mR̄`
//! recomputed from the rest; without it (as the Making Data Count spreadsheets) all count.
//! Limits may be fixed on the first `n` points of each segment, and the series may be rebased:
//! each segment between rebase points gets limits of its own.
//!
//! # Special causes
//!
//! Within each segment: (1) a point strictly outside a process limit; (2) a shift: 7 points in
//! a row strictly on one side of the mean (a point on the mean breaks the run), all 7 flagged;
//! (3) a trend: 7 points in a row each strictly above (or below) the one before, all 7 flagged;
//! (4) two of three: among 3 consecutive points all strictly on one side of the mean, at least
//! 2 beyond the near-limit line but not beyond the process limit; those points are flagged.
//! Each point's rule label follows the precedence outside limits, trend, two of three, shift.
//!
//! A flagged point is *improvement* or *concern* by which side of the mean it lies on and the
//! direction of improvement, or *neutral high/low* when no direction is set. The chart's
//! variation icon is the type of its last point; its assurance icon compares the target with
//! the last segment's limits: a target beyond the limit on the good side means the process
//! will consistently pass, beyond the other limit consistently fail, and between them hit and
//! miss. A segment of fewer than 12 points carries a short-baseline warning.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::error::{MonitorError, Result};

/// Which way is better.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum Improvement {
    /// Higher is better.
    Increase,
    /// Lower is better.
    Decrease,
    /// Neither direction is better.
    #[default]
    Neutral,
}

/// Where a new segment with its own limits begins.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(tag = "kind", rename_all = "snake_case", deny_unknown_fields)]
pub enum Rebase {
    /// At a 1-based point position.
    Position {
        /// The first point of the new segment.
        position: usize,
    },
    /// At the first point dated on or after a date.
    Date {
        /// The date.
        #[cfg_attr(feature = "schema", schemars(with = "String"))]
        #[serde(with = "commissioning_model::period::serde_date")]
        date: NaiveDate,
    },
}

/// Options of an SPC chart.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
#[non_exhaustive]
pub struct SpcOptions {
    /// Which way is better.
    #[serde(default)]
    pub improvement: Improvement,
    /// Screen moving ranges of at least 3.267 × mR̄ (`NHSRplotthedots`' default: true).
    #[serde(default = "yes")]
    pub screen_outliers: bool,
    /// Base each segment's limits on its first `n` points only.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fix_after_n_points: Option<usize>,
    /// Where new segments begin.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub rebase: Vec<Rebase>,
    /// A target, for the assurance icon.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub target: Option<f64>,
    /// Segments shorter than this many points get a warning (default 12).
    #[serde(default = "twelve")]
    pub short_baseline: usize,
}

fn yes() -> bool {
    true
}

fn twelve() -> usize {
    12
}

impl Default for SpcOptions {
    fn default() -> Self {
        Self {
            improvement: Improvement::Neutral,
            screen_outliers: true,
            fix_after_n_points: None,
            rebase: Vec::new(),
            target: None,
            short_baseline: 12,
        }
    }
}

impl SpcOptions {
    /// The defaults (as `Default`), to change with the methods below.
    ///
    /// # Examples
    ///
    /// ```
    /// use commissioning_monitor::spc::{spc, Improvement, Observation, SpcOptions};
    ///
    /// let options = SpcOptions::new()
    ///     .improvement(Improvement::Increase)
    ///     .target(80.0)
    ///     .fix_after(12);
    /// let values: Vec<Observation> = (0..24).map(|i| Observation::new(70.0 + f64::from(i % 5))).collect();
    /// let chart = spc(&values, &options)?;
    /// assert_eq!(chart.target, Some(80.0));
    /// assert_eq!(chart.segments[0].baseline_points, 12);
    /// # Ok::<(), commissioning_monitor::MonitorError>(())
    /// ```
    pub fn new() -> Self {
        Self::default()
    }

    /// Which direction is an improvement.
    #[must_use]
    pub fn improvement(mut self, improvement: Improvement) -> Self {
        self.improvement = improvement;
        self
    }

    /// The target, for the assurance icon and the target line.
    #[must_use]
    pub fn target(mut self, target: f64) -> Self {
        self.target = Some(target);
        self
    }

    /// Limits computed from the first `n` points only (of each segment).
    #[must_use]
    pub fn fix_after(mut self, n: usize) -> Self {
        self.fix_after_n_points = Some(n);
        self
    }

    /// Limits recalculated from a point on (a change in the process).
    #[must_use]
    pub fn rebase_at(mut self, at: Rebase) -> Self {
        self.rebase.push(at);
        self
    }

    /// Whether moving ranges above the upper range limit are left out of the limits (the
    /// Making Data Count default, `true`).
    #[must_use]
    pub fn screen_outliers(mut self, screen: bool) -> Self {
        self.screen_outliers = screen;
        self
    }

    /// The fewest points a segment's baseline should have before a warning (12 by default).
    #[must_use]
    pub fn short_baseline(mut self, points: usize) -> Self {
        self.short_baseline = points;
        self
    }
}

/// One observation.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
#[non_exhaustive]
pub struct Observation {
    /// When it was observed, if dated.
    #[cfg_attr(feature = "schema", schemars(with = "Option<String>"))]
    #[serde(
        default,
        with = "commissioning_model::period::serde_date_opt",
        skip_serializing_if = "Option::is_none"
    )]
    pub date: Option<NaiveDate>,
    /// The value.
    pub value: f64,
}

impl Observation {
    /// An undated observation.
    pub fn new(value: f64) -> Self {
        Self { date: None, value }
    }

    /// A dated observation.
    pub fn dated(date: NaiveDate, value: f64) -> Self {
        Self {
            date: Some(date),
            value,
        }
    }
}

/// `XmR` limits.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
#[non_exhaustive]
pub struct Limits {
    /// The mean.
    pub mean: f64,
    /// The mean moving range (after screening, if any).
    pub mean_moving_range: f64,
    /// `mean + 2.66 × mR̄`.
    pub upper_process_limit: f64,
    /// `mean − 2.66 × mR̄`.
    pub lower_process_limit: f64,
    /// `mean + (2/3) × 2.66 × mR̄`.
    pub upper_near_limit: f64,
    /// `mean − (2/3) × 2.66 × mR̄`.
    pub lower_near_limit: f64,
}

/// Computes `XmR` limits of a series.
///
/// ```
/// use commissioning_monitor::spc::xmr_limits;
/// let v = [1.0, 2.0, 1.0, 2.0, 10.0, 1.0, 2.0, 1.0, 2.0, 1.0, 2.0, 1.0, 2.0, 1.0, 2.0, 1.0, 2.0, 1.0];
/// let raw = xmr_limits(&v, false)?;
/// assert!((raw.upper_process_limit - 6.951503267973856).abs() < 1e-9);
/// let screened = xmr_limits(&v, true)?;
/// assert!((screened.upper_process_limit - 4.604444444444445).abs() < 1e-9);
/// # Ok::<(), commissioning_monitor::MonitorError>(())
/// ```
///
/// # Errors
///
/// [`MonitorError::InvalidInput`] for fewer than two points or a non-finite value.
pub fn xmr_limits(values: &[f64], screen_outliers: bool) -> Result<Limits> {
    if values.len() < 2 {
        return Err(MonitorError::input(
            "values",
            "at least two points are needed for a moving range",
        ));
    }
    if let Some(i) = values.iter().position(|v| !v.is_finite()) {
        return Err(MonitorError::input(
            format!("values[{i}]"),
            "must be a finite number",
        ));
    }
    // The mean as the first value plus the mean deviation from it, so that a constant series
    // has exactly its value as the mean (a plain sum can be off by an ulp, which would put
    // every point "above" or "below" the mean).
    let first = values.first().copied().unwrap_or(0.0);
    #[allow(clippy::cast_precision_loss)]
    let mean = first + values.iter().map(|v| v - first).sum::<f64>() / values.len() as f64;
    let ranges: Vec<f64> = values
        .windows(2)
        .map(|w| (w.get(1).copied().unwrap_or(0.0) - w.first().copied().unwrap_or(0.0)).abs())
        .collect();
    #[allow(clippy::cast_precision_loss)]
    let mut mr = ranges.iter().sum::<f64>() / ranges.len() as f64;
    if screen_outliers {
        let cut = 3.267 * mr;
        let kept: Vec<f64> = ranges.iter().copied().filter(|r| *r < cut).collect();
        if !kept.is_empty() {
            #[allow(clippy::cast_precision_loss)]
            {
                mr = kept.iter().sum::<f64>() / kept.len() as f64;
            }
        }
    }
    let width = 2.66 * mr;
    Ok(Limits {
        mean,
        mean_moving_range: mr,
        upper_process_limit: mean + width,
        lower_process_limit: mean - width,
        upper_near_limit: mean + width * 2.0 / 3.0,
        lower_near_limit: mean - width * 2.0 / 3.0,
    })
}

/// The special-cause rule that labels a point, by precedence.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum Rule {
    /// Outside a process limit.
    OutsideLimits,
    /// Part of 7 rising or falling.
    Trend,
    /// Part of two of three beyond a near limit.
    TwoOfThree,
    /// Part of 7 on one side of the mean.
    Shift,
    /// No special cause.
    CommonCause,
}

/// Every special-cause rule that flagged a point, in order of precedence (outside the limits,
/// trend, two of three, shift): a point's [`Point::rule`] is the first of them, and these are
/// all of them, so that a reader can check the label. Held in one byte; written in JSON as the
/// list of rules (`["outside_limits", "shift"]`).
///
/// # Examples
///
/// ```
/// use commissioning_monitor::spc::{spc, Observation, Rule, SpcOptions};
///
/// // Seven points above the mean, the last far outside the limits.
/// let mut values = vec![1.0, 2.0, 1.0, 2.0, 1.0, 2.0, 1.0, 2.0];
/// values.extend([5.0, 5.0, 5.0, 5.0, 5.0, 5.0, 30.0]);
/// let obs: Vec<Observation> = values.iter().map(|v| Observation::new(*v)).collect();
/// let chart = spc(&obs, &SpcOptions::default())?;
/// let last = chart.points.last().unwrap();
/// assert_eq!(last.rule, Rule::OutsideLimits);
/// assert_eq!(last.rules.iter().collect::<Vec<_>>(), [Rule::OutsideLimits, Rule::Shift]);
/// # Ok::<(), commissioning_monitor::MonitorError>(())
/// ```
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
pub struct Rules(u8);

impl Rules {
    const ORDER: [Rule; 4] = [
        Rule::OutsideLimits,
        Rule::Trend,
        Rule::TwoOfThree,
        Rule::Shift,
    ];

    fn bit(rule: Rule) -> u8 {
        match rule {
            Rule::OutsideLimits => 1,
            Rule::Trend => 2,
            Rule::TwoOfThree => 4,
            Rule::Shift => 8,
            Rule::CommonCause => 0,
        }
    }

    /// The same set with `rule` in it (common cause adds nothing).
    #[must_use]
    pub fn with(self, rule: Rule) -> Self {
        Self(self.0 | Self::bit(rule))
    }

    /// Whether `rule` flagged the point.
    pub fn contains(self, rule: Rule) -> bool {
        Self::bit(rule) != 0 && self.0 & Self::bit(rule) != 0
    }

    /// Whether no rule flagged the point (common cause).
    #[allow(clippy::trivially_copy_pass_by_ref)] // by reference, for serde's `skip_serializing_if`
    pub fn is_empty(&self) -> bool {
        self.0 == 0
    }

    /// The rules, in order of precedence.
    pub fn iter(self) -> impl Iterator<Item = Rule> {
        Self::ORDER.into_iter().filter(move |r| self.contains(*r))
    }
}

impl Serialize for Rules {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_seq(self.iter())
    }
}

impl<'de> Deserialize<'de> for Rules {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let rules = Vec::<Rule>::deserialize(deserializer)?;
        Ok(rules.into_iter().fold(Self::default(), Self::with))
    }
}

#[cfg(feature = "schema")]
impl schemars::JsonSchema for Rules {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "Rules".into()
    }

    fn json_schema(generator: &mut schemars::SchemaGenerator) -> schemars::Schema {
        <Vec<Rule>>::json_schema(generator)
    }
}

/// Plain words, as a report would print them.
///
/// ```
/// use commissioning_monitor::spc::Rule;
/// assert_eq!(Rule::Shift.to_string(), "a run of 7 on one side of the mean");
/// ```
impl std::fmt::Display for Rule {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.pad(match self {
            Self::OutsideLimits => "a point outside the process limits",
            Self::Trend => "a run of 7 rising or falling",
            Self::TwoOfThree => "two of three near a process limit",
            Self::Shift => "a run of 7 on one side of the mean",
            Self::CommonCause => "common cause",
        })
    }
}

/// What a point (or the chart, by its last point) signals.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum PointType {
    /// Common-cause variation.
    CommonCause,
    /// Special cause on the better side.
    SpecialCauseImprovement,
    /// Special cause on the worse side.
    SpecialCauseConcern,
    /// Special cause above the mean with no direction set.
    SpecialCauseNeutralHigh,
    /// Special cause below the mean with no direction set.
    SpecialCauseNeutralLow,
}

/// Plain words, as a report would print them.
///
/// ```
/// use commissioning_monitor::spc::PointType;
/// assert_eq!(PointType::SpecialCauseImprovement.to_string(), "special cause: improvement");
/// ```
impl std::fmt::Display for PointType {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.pad(match self {
            Self::CommonCause => "common cause variation",
            Self::SpecialCauseImprovement => "special cause: improvement",
            Self::SpecialCauseConcern => "special cause: concern",
            Self::SpecialCauseNeutralHigh => "special cause: high",
            Self::SpecialCauseNeutralLow => "special cause: low",
        })
    }
}

/// What the limits say about a target.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum Assurance {
    /// The process will consistently meet the target.
    ConsistentlyPassing,
    /// The process will consistently miss the target.
    ConsistentlyFailing,
    /// The process will sometimes meet and sometimes miss the target.
    HitAndMiss,
}

/// Plain words, as a report would print them.
///
/// ```
/// use commissioning_monitor::spc::Assurance;
/// assert_eq!(Assurance::HitAndMiss.to_string(), "hit and miss");
/// ```
impl std::fmt::Display for Assurance {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.pad(match self {
            Self::ConsistentlyPassing => "consistently passing the target",
            Self::ConsistentlyFailing => "consistently failing the target",
            Self::HitAndMiss => "hit and miss",
        })
    }
}

/// One point of the chart.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
#[non_exhaustive]
pub struct Point {
    /// Its 1-based position.
    pub position: usize,
    /// Its date, if dated.
    #[cfg_attr(feature = "schema", schemars(with = "Option<String>"))]
    #[serde(
        default,
        with = "commissioning_model::period::serde_date_opt",
        skip_serializing_if = "Option::is_none"
    )]
    pub date: Option<NaiveDate>,
    /// Its value.
    pub value: f64,
    /// Its segment (0-based).
    pub segment: usize,
    /// The rule that labels it.
    pub rule: Rule,
    /// Every rule that flagged it, the label's first (omitted in JSON for common cause).
    #[serde(default, skip_serializing_if = "Rules::is_empty")]
    pub rules: Rules,
    /// What it signals.
    pub point_type: PointType,
}

/// A segment of the chart with its limits.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
#[non_exhaustive]
pub struct Segment {
    /// Its first point (1-based).
    pub start: usize,
    /// Its last point (1-based).
    pub end: usize,
    /// How many points the limits were computed from.
    pub baseline_points: usize,
    /// The limits.
    pub limits: Limits,
    /// Whether the segment is shorter than the short-baseline threshold.
    pub short_baseline: bool,
}

/// A computed SPC chart.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
#[non_exhaustive]
pub struct SpcChart {
    /// Every point.
    pub points: Vec<Point>,
    /// The segments.
    pub segments: Vec<Segment>,
    /// The variation icon: the last point's type.
    pub variation: PointType,
    /// The assurance icon, when a target and a direction are set.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub assurance: Option<Assurance>,
    /// The target, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub target: Option<f64>,
    /// Warnings, e.g. short baselines.
    pub warnings: Vec<String>,
}

/// Positions of points flagged by a run of 7 of a per-point property (`side` gives +1, −1 or
/// 0 for each point, and 0 never counts); every point of each run is flagged.
fn runs_of_seven(side: &[i8]) -> Vec<bool> {
    let mut flagged = vec![false; side.len()];
    let mut start = 0usize;
    while start < side.len() {
        let s = side.get(start).copied().unwrap_or(0);
        let mut end = start.saturating_add(1);
        while end < side.len() && side.get(end).copied() == Some(s) {
            end = end.saturating_add(1);
        }
        if s != 0 && end.saturating_sub(start) >= 7 {
            for f in flagged.iter_mut().take(end).skip(start) {
                *f = true;
            }
        }
        start = end;
    }
    flagged
}

/// Each point's rule label and, for points in a trend, the trend's direction (1 rising, −1
/// falling, 0 otherwise).
fn segment_rules(values: &[f64], l: &Limits) -> Vec<(Rule, i8, Rules)> {
    let n = values.len();
    let rel: Vec<i8> = values
        .iter()
        .map(|&v| {
            if v > l.mean {
                1
            } else if v < l.mean {
                -1
            } else {
                0
            }
        })
        .collect();
    let outside: Vec<bool> = values
        .iter()
        .map(|&v| v > l.upper_process_limit || v < l.lower_process_limit)
        .collect();
    let near: Vec<i8> = values
        .iter()
        .zip(&outside)
        .map(|(&v, &o)| {
            if o {
                0
            } else if v > l.upper_near_limit {
                1
            } else if v < l.lower_near_limit {
                -1
            } else {
                0
            }
        })
        .collect();
    let shift = runs_of_seven(&rel);
    // Trend: the direction of each step; 7 points in a row need 6 steps the same way.
    let steps: Vec<i8> = values
        .windows(2)
        .map(|w| match (w.first(), w.get(1)) {
            (Some(a), Some(b)) if b > a => 1,
            (Some(a), Some(b)) if b < a => -1,
            _ => 0,
        })
        .collect();
    let mut trend = vec![false; n];
    let mut direction = vec![0i8; n];
    let mut i = 0usize;
    while i < steps.len() {
        let s = steps.get(i).copied().unwrap_or(0);
        let mut j = i.saturating_add(1);
        while j < steps.len() && steps.get(j).copied() == Some(s) {
            j = j.saturating_add(1);
        }
        if s != 0 && j.saturating_sub(i) >= 6 {
            // Steps i..j join points i..=j.
            for f in trend.iter_mut().take(j.saturating_add(1)).skip(i) {
                *f = true;
            }
            for d in direction.iter_mut().take(j.saturating_add(1)).skip(i) {
                *d = s;
            }
        }
        i = j;
    }
    let mut two_of_three = vec![false; n];
    for k in 0..n.saturating_sub(2) {
        let window = k..k.saturating_add(3);
        let sides: Vec<i8> = rel.get(window.clone()).unwrap_or(&[]).to_vec();
        let same_side = sides.iter().all(|s| *s == 1) || sides.iter().all(|s| *s == -1);
        let nears = near.get(window.clone()).unwrap_or(&[]);
        if same_side && nears.iter().filter(|x| **x != 0).count() >= 2 {
            for p in window {
                if near.get(p).copied().unwrap_or(0) != 0
                    && let Some(f) = two_of_three.get_mut(p)
                {
                    *f = true;
                }
            }
        }
    }
    (0..n)
        .map(|p| {
            let at = |v: &Vec<bool>| v.get(p).copied().unwrap_or(false);
            let rule = if at(&outside) {
                Rule::OutsideLimits
            } else if at(&trend) {
                Rule::Trend
            } else if at(&two_of_three) {
                Rule::TwoOfThree
            } else if at(&shift) {
                Rule::Shift
            } else {
                Rule::CommonCause
            };
            let mut all = Rules::default();
            for (flags, r) in [
                (&outside, Rule::OutsideLimits),
                (&trend, Rule::Trend),
                (&two_of_three, Rule::TwoOfThree),
                (&shift, Rule::Shift),
            ] {
                if at(flags) {
                    all = all.with(r);
                }
            }
            (rule, direction.get(p).copied().unwrap_or(0), all)
        })
        .collect()
}

/// Builds an SPC chart from a series.
///
/// ```
/// use commissioning_monitor::spc::{spc, Improvement, Observation, PointType, SpcOptions};
/// let mut values: Vec<Observation> = (0..20).map(|i| Observation::new(f64::from(i % 2) + 10.0)).collect();
/// values.extend((0..8).map(|_| Observation::new(12.0))); // a step change upwards
/// let mut options = SpcOptions::default();
/// options.improvement = Improvement::Increase;
/// let chart = spc(&values, &options)?;
/// assert_eq!(chart.variation, PointType::SpecialCauseImprovement);
/// # Ok::<(), commissioning_monitor::MonitorError>(())
/// ```
///
/// # Errors
///
/// [`MonitorError::InvalidInput`] for fewer than two points, a non-finite value or target, a
/// rebase position outside the series or leaving a segment of fewer than two points, a
/// `fix_after_n_points` below 2, or a dated rebase on an undated series.
pub fn spc(series: &[Observation], options: &SpcOptions) -> Result<SpcChart> {
    if series.len() < 2 {
        return Err(MonitorError::input(
            "values",
            "at least two points are needed",
        ));
    }
    if let Some(i) = series.iter().position(|o| !o.value.is_finite()) {
        return Err(MonitorError::input(
            format!("values[{i}].value"),
            "must be a finite number",
        ));
    }
    if let Some(t) = options.target
        && !t.is_finite()
    {
        return Err(MonitorError::input("target", "must be a finite number"));
    }
    if options.fix_after_n_points.is_some_and(|n| n < 2) {
        return Err(MonitorError::input(
            "fix_after_n_points",
            "must be at least 2",
        ));
    }
    // Segment starts (0-based).
    let mut starts = vec![0usize];
    for (k, r) in options.rebase.iter().enumerate() {
        let at = match r {
            Rebase::Position { position } => position
                .checked_sub(1)
                .filter(|p| *p < series.len())
                .ok_or_else(|| {
                    MonitorError::input(
                        format!("rebase[{k}].position"),
                        format!("must be between 1 and {}", series.len()),
                    )
                })?,
            Rebase::Date { date } => {
                if series.iter().any(|o| o.date.is_none()) {
                    return Err(MonitorError::input(
                        format!("rebase[{k}].date"),
                        "a dated rebase needs every point dated",
                    ));
                }
                series
                    .iter()
                    .position(|o| o.date.is_some_and(|d| d >= *date))
                    .ok_or_else(|| {
                        MonitorError::input(
                            format!("rebase[{k}].date"),
                            format!("{date} is after the last point"),
                        )
                    })?
            }
        };
        starts.push(at);
    }
    starts.sort_unstable();
    starts.dedup();
    let values: Vec<f64> = series.iter().map(|o| o.value).collect();
    let mut segments = Vec::new();
    let mut points = Vec::with_capacity(series.len());
    let mut warnings = Vec::new();
    for (s, &start) in starts.iter().enumerate() {
        let end = starts
            .get(s.saturating_add(1))
            .copied()
            .unwrap_or(series.len());
        let seg = values.get(start..end).unwrap_or(&[]);
        if seg.len() < 2 {
            return Err(MonitorError::input(
                "rebase",
                format!(
                    "the segment starting at point {} has fewer than two points",
                    start.saturating_add(1)
                ),
            ));
        }
        let baseline_len = options
            .fix_after_n_points
            .map_or(seg.len(), |n| n.min(seg.len()));
        let limits = xmr_limits(
            seg.get(..baseline_len).unwrap_or(seg),
            options.screen_outliers,
        )?;
        let short = seg.len() < options.short_baseline;
        if short {
            warnings.push(format!(
                "segment {} (points {} to {}) has {} points, fewer than the {} recommended for reliable limits",
                s.saturating_add(1),
                start.saturating_add(1),
                end,
                seg.len(),
                options.short_baseline
            ));
        }
        for (k, (rule, direction, rules)) in segment_rules(seg, &limits).into_iter().enumerate() {
            let p = start.saturating_add(k);
            let value = values.get(p).copied().unwrap_or(f64::NAN);
            // NHSRplotthedots 0.2.0 (issues #167 and #171, pull request #180): a point labelled
            // by a trend takes the trend's direction, not its side of the mean, so a trend that
            // crosses the mean is coloured as one.
            let high = if rule == Rule::Trend {
                direction > 0
            } else {
                value > limits.mean
            };
            let point_type = match (rule, options.improvement) {
                (Rule::CommonCause, _) => PointType::CommonCause,
                (_, Improvement::Neutral) => {
                    if high {
                        PointType::SpecialCauseNeutralHigh
                    } else {
                        PointType::SpecialCauseNeutralLow
                    }
                }
                (_, Improvement::Increase) => {
                    if high {
                        PointType::SpecialCauseImprovement
                    } else {
                        PointType::SpecialCauseConcern
                    }
                }
                (_, Improvement::Decrease) => {
                    if high {
                        PointType::SpecialCauseConcern
                    } else {
                        PointType::SpecialCauseImprovement
                    }
                }
            };
            points.push(Point {
                position: p.saturating_add(1),
                date: series.get(p).and_then(|o| o.date),
                value,
                segment: s,
                rule,
                rules,
                point_type,
            });
        }
        segments.push(Segment {
            start: start.saturating_add(1),
            end,
            baseline_points: baseline_len,
            limits,
            short_baseline: short,
        });
    }
    let variation = points
        .last()
        .map_or(PointType::CommonCause, |p| p.point_type);
    let assurance = match (options.target, options.improvement, segments.last()) {
        (Some(t), Improvement::Increase, Some(seg)) => {
            Some(if t > seg.limits.upper_process_limit {
                Assurance::ConsistentlyFailing
            } else if t < seg.limits.lower_process_limit {
                Assurance::ConsistentlyPassing
            } else {
                Assurance::HitAndMiss
            })
        }
        (Some(t), Improvement::Decrease, Some(seg)) => {
            Some(if t > seg.limits.upper_process_limit {
                Assurance::ConsistentlyPassing
            } else if t < seg.limits.lower_process_limit {
                Assurance::ConsistentlyFailing
            } else {
                Assurance::HitAndMiss
            })
        }
        _ => None,
    };
    Ok(SpcChart {
        points,
        segments,
        variation,
        assurance,
        target: options.target,
        warnings,
    })
}

commissioning_model::words_from_str!(
    Improvement => "improvement",
    Rule => "SPC rule",
    PointType => "point type",
    Assurance => "assurance",
);
commissioning_model::words_display!(Improvement);

#[cfg(test)]
mod tests {
    #![allow(clippy::field_reassign_with_default)]

    use super::*;

    fn chart(values: &[f64], improvement: Improvement) -> SpcChart {
        let obs: Vec<Observation> = values.iter().map(|v| Observation::new(*v)).collect();
        let mut o = SpcOptions::default();
        o.improvement = improvement;
        o.screen_outliers = false;
        spc(&obs, &o).unwrap_or_else(|e| panic!("{e}"))
    }

    #[test]
    fn a_trend_is_coloured_by_its_direction_even_across_the_mean() {
        // NHSRplotthedots 0.2.0 (its issues #167 and #171): the seven points of a rising trend
        // that crosses the mean are all improvement when higher is better.
        let mut values: Vec<f64> = (0..12)
            .map(|i| if i % 2 == 0 { 9.0 } else { 11.0 })
            .collect();
        values.extend([7.0, 8.0, 9.0, 10.0, 11.0, 12.0, 13.0]);
        let obs: Vec<Observation> = values.iter().map(|v| Observation::new(*v)).collect();
        let mut o = SpcOptions::default();
        o.improvement = Improvement::Increase;
        let c = spc(&obs, &o).unwrap();
        let trend: Vec<PointType> = c.points.iter().skip(12).map(|p| p.point_type).collect();
        assert_eq!(trend, vec![PointType::SpecialCauseImprovement; 7]);
        assert!(c.points.iter().skip(12).all(|p| p.rule == Rule::Trend));
        // Lower is better: the same trend is concern throughout, below the mean too.
        o.improvement = Improvement::Decrease;
        let c = spc(&obs, &o).unwrap();
        assert!(
            c.points
                .iter()
                .skip(12)
                .all(|p| p.point_type == PointType::SpecialCauseConcern)
        );
    }

    #[test]
    fn a_point_shared_by_two_trends_takes_the_later_one() {
        // Up seven then down seven, sharing the peak: the peak takes the step to its right, as
        // NHSRplotthedots does ("use right side").
        let mut values: Vec<f64> = (0..12)
            .map(|i| if i % 2 == 0 { 0.0 } else { 8.0 })
            .collect();
        values.extend([
            1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0, 6.0, 5.0, 4.0, 3.0, 2.0, 1.0,
        ]);
        let obs: Vec<Observation> = values.iter().map(|v| Observation::new(*v)).collect();
        let mut o = SpcOptions::default();
        o.improvement = Improvement::Increase;
        let c = spc(&obs, &o).unwrap();
        let types: Vec<PointType> = c.points.iter().skip(12).map(|p| p.point_type).collect();
        let (up, down) = types.split_at(6);
        assert!(
            up.iter().all(|t| *t == PointType::SpecialCauseImprovement),
            "{types:?}"
        );
        assert!(
            down.iter().all(|t| *t == PointType::SpecialCauseConcern),
            "{types:?}"
        );
    }

    #[test]
    fn seven_rising_is_a_trend_and_six_is_not() {
        let mut v = vec![5.0, 5.5, 4.5, 5.0, 5.5, 4.5, 5.0];
        v.extend([4.4, 4.6, 4.8, 5.0, 5.2, 5.4, 5.6]);
        v.extend([5.0, 5.5, 4.5]);
        let c = chart(&v, Improvement::Increase);
        let trend: Vec<usize> = c
            .points
            .iter()
            .filter(|p| p.rule == Rule::Trend)
            .map(|p| p.position)
            .collect();
        assert_eq!(trend, (8..=14).collect::<Vec<_>>());
        let mut w = v.clone();
        w[13] = 5.4; // a tie breaks the run
        let c = chart(&w, Improvement::Increase);
        assert!(c.points.iter().all(|p| p.rule != Rule::Trend));
    }

    #[test]
    fn a_point_on_the_mean_breaks_a_shift() {
        // The mean is 0: 6 above, one on the mean, 6 above, then 12 below; noise keeps every
        // point inside the near limits, so only the shift rule can fire.
        let above = [0.5, 1.5, 0.5, 1.5, 0.5, 1.5];
        let mut v = above.to_vec();
        v.push(0.0);
        v.extend(above);
        v.extend(above.iter().chain(&above).map(|x| -x));
        let c = chart(&v, Improvement::Neutral);
        assert!(c.points.iter().take(13).all(|p| p.rule != Rule::Shift));
        assert!(c.points.iter().skip(13).all(|p| p.rule == Rule::Shift));
    }

    #[test]
    fn a_constant_series_has_no_special_cause() {
        let c = chart(&[3.0; 20], Improvement::Increase);
        assert!(c.points.iter().all(|p| p.rule == Rule::CommonCause));
        assert_eq!(c.variation, PointType::CommonCause);
    }

    #[test]
    fn assurance_follows_the_target() {
        let obs: Vec<Observation> = (0..24)
            .map(|i| Observation::new(50.0 + f64::from(i % 3)))
            .collect();
        let mut o = SpcOptions::default();
        o.improvement = Improvement::Increase;
        o.target = Some(40.0);
        assert_eq!(
            spc(&obs, &o).ok().and_then(|c| c.assurance),
            Some(Assurance::ConsistentlyPassing)
        );
        o.target = Some(51.0);
        assert_eq!(
            spc(&obs, &o).ok().and_then(|c| c.assurance),
            Some(Assurance::HitAndMiss)
        );
        o.improvement = Improvement::Decrease;
        o.target = Some(40.0);
        assert_eq!(
            spc(&obs, &o).ok().and_then(|c| c.assurance),
            Some(Assurance::ConsistentlyFailing)
        );
    }

    #[test]
    fn rebasing_gives_each_segment_its_limits_and_short_ones_warn() {
        let mut v: Vec<f64> = (0..15).map(|i| 10.0 + f64::from(i % 2)).collect();
        v.extend((0..6).map(|i| 20.0 + f64::from(i % 2)));
        let obs: Vec<Observation> = v.iter().map(|x| Observation::new(*x)).collect();
        let mut o = SpcOptions::default();
        o.rebase = vec![Rebase::Position { position: 16 }];
        let c = spc(&obs, &o).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(c.segments.len(), 2);
        assert!((c.segments[1].limits.mean - 20.5).abs() < 1e-12);
        assert!(c.segments[1].short_baseline && !c.segments[0].short_baseline);
        assert_eq!(c.warnings.len(), 1);
    }

    #[test]
    fn bad_series_are_errors() {
        assert!(spc(&[], &SpcOptions::default()).is_err());
        assert!(spc(&[Observation::new(1.0)], &SpcOptions::default()).is_err());
        assert!(
            spc(
                &[Observation::new(1.0), Observation::new(f64::NAN)],
                &SpcOptions::default()
            )
            .is_err()
        );
    }
}
