//! Value functions: from a criterion's raw performance to a value.
//!
//! A piecewise-linear function is given by breakpoints `(x, value)` with strictly increasing
//! `x`; between breakpoints the value is interpolated linearly and at a breakpoint it is that
//! breakpoint's value. Outside the breakpoints the [`OutOfRange`] mode decides: an error, the
//! nearest end value (clip), or the first or last segment continued (extrapolate).

use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

use crate::error::{PriorityError, Result, finite};

/// What happens to a raw value outside a function's domain.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum OutOfRange {
    /// Reject it with [`PriorityError::OutOfRange`].
    #[default]
    Error,
    /// Use the value at the nearest end.
    Clip,
    /// Continue the first or last segment linearly.
    Extrapolate,
}

/// How raw performance becomes value.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(tag = "kind", rename_all = "snake_case", deny_unknown_fields)]
#[non_exhaustive]
pub enum ValueFunction {
    /// Linear from `worst` (value 0) to `best` (value 100); `best` may be below `worst` for a
    /// criterion where less is better.
    Linear {
        /// The raw performance worth 0.
        worst: f64,
        /// The raw performance worth 100.
        best: f64,
    },
    /// Piecewise linear through `(raw, value)` breakpoints with strictly increasing raw values.
    Piecewise {
        /// The breakpoints.
        breakpoints: Vec<(f64, f64)>,
    },
    /// A value for each category of a qualitative criterion.
    Categories {
        /// Category name to value.
        values: BTreeMap<String, f64>,
    },
}

/// A raw performance: a number, or a category name for a qualitative criterion.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(untagged)]
pub enum Performance {
    /// A measured value.
    Number(f64),
    /// A category.
    Category(String),
}

impl From<f64> for Performance {
    fn from(value: f64) -> Self {
        Self::Number(value)
    }
}

impl ValueFunction {
    /// Checks the function's own rules: finite numbers, `worst ≠ best`, at least two
    /// breakpoints with strictly increasing raw values, at least one category.
    ///
    /// # Errors
    ///
    /// [`PriorityError::InvalidInput`] naming the part at fault, relative to `field`.
    pub fn check(&self, field: &str) -> Result<()> {
        match self {
            Self::Linear { worst, best } => {
                finite(|| format!("{field}.worst"), *worst)?;
                finite(|| format!("{field}.best"), *best)?;
                if worst == best {
                    return Err(PriorityError::input(
                        format!("{field}.best"),
                        "must differ from worst",
                    ));
                }
            }
            Self::Piecewise { breakpoints } => {
                if breakpoints.len() < 2 {
                    return Err(PriorityError::input(
                        format!("{field}.breakpoints"),
                        "at least two breakpoints are required",
                    ));
                }
                for (i, (x, v)) in breakpoints.iter().enumerate() {
                    finite(|| format!("{field}.breakpoints[{i}]"), *x)?;
                    finite(|| format!("{field}.breakpoints[{i}]"), *v)?;
                    if i > 0
                        && breakpoints
                            .get(i.saturating_sub(1))
                            .is_some_and(|(px, _)| *px >= *x)
                    {
                        return Err(PriorityError::input(
                            format!("{field}.breakpoints[{i}]"),
                            "raw values must be strictly increasing",
                        ));
                    }
                }
            }
            Self::Categories { values } => {
                if values.is_empty() {
                    return Err(PriorityError::input(
                        format!("{field}.values"),
                        "at least one category is required",
                    ));
                }
                for (k, v) in values {
                    finite(|| format!("{field}.values.{k}"), *v)?;
                }
            }
        }
        Ok(())
    }

    /// The value of a raw performance.
    ///
    /// ```
    /// use commissioning_priority::value::{OutOfRange, Performance, ValueFunction};
    /// let f = ValueFunction::Piecewise { breakpoints: vec![(50.0, 1.0), (75.0, 0.8), (90.0, 0.5), (100.0, 0.0)] };
    /// assert!((f.value(&Performance::Number(60.0), OutOfRange::Error, "x")? - 0.92).abs() < 1e-12);
    /// assert!((f.value(&Performance::Number(120.0), OutOfRange::Extrapolate, "x")? + 1.0).abs() < 1e-12);
    /// assert_eq!(f.value(&Performance::Number(120.0), OutOfRange::Clip, "x")?, 0.0);
    /// assert!(f.value(&Performance::Number(120.0), OutOfRange::Error, "x").is_err());
    /// # Ok::<(), commissioning_priority::PriorityError>(())
    /// ```
    ///
    /// # Errors
    ///
    /// [`PriorityError::OutOfRange`] outside the domain in `Error` mode;
    /// [`PriorityError::InvalidInput`] for a non-finite number, a category the function does not
    /// know, or a number given to a categorical function (and the other way round).
    pub fn value(&self, raw: &Performance, mode: OutOfRange, field: &str) -> Result<f64> {
        match (self, raw) {
            (Self::Categories { values }, Performance::Category(c)) => {
                values.get(c).copied().ok_or_else(|| {
                    PriorityError::input(
                        field,
                        format!(
                            "unknown category {c:?}; expected one of {:?}",
                            values.keys().collect::<Vec<_>>()
                        ),
                    )
                })
            }
            (Self::Categories { .. }, Performance::Number(x)) => Err(PriorityError::input(
                field,
                format!("expected a category name, got the number {x}"),
            )),
            (_, Performance::Category(c)) => Err(PriorityError::input(
                field,
                format!("expected a number, got the category {c:?}"),
            )),
            (Self::Linear { worst, best }, Performance::Number(x)) => {
                let x = finite(|| field.to_owned(), *x)?;
                let (w, b) = (*worst, *best);
                let ends = if w < b {
                    [(w, 0.0), (b, 100.0)]
                } else {
                    [(b, 100.0), (w, 0.0)]
                };
                piecewise(&ends, x, mode, field)
            }
            (Self::Piecewise { breakpoints }, Performance::Number(x)) => {
                let x = finite(|| field.to_owned(), *x)?;
                piecewise(breakpoints, x, mode, field)
            }
        }
    }
}

fn lerp((x0, v0): (f64, f64), (x1, v1): (f64, f64), x: f64) -> f64 {
    v0 + (v1 - v0) * (x - x0) / (x1 - x0)
}

fn piecewise(bp: &[(f64, f64)], x: f64, mode: OutOfRange, field: &str) -> Result<f64> {
    let (Some(&first), Some(&last)) = (bp.first(), bp.last()) else {
        return Err(PriorityError::input(
            field,
            "the value function has no breakpoints",
        ));
    };
    if x < first.0 || x > last.0 {
        return match mode {
            OutOfRange::Error => Err(PriorityError::OutOfRange {
                field: field.to_owned(),
                value: x.to_string(),
                range: format!("{} to {}", first.0, last.0),
            }),
            OutOfRange::Clip => Ok(if x < first.0 { first.1 } else { last.1 }),
            OutOfRange::Extrapolate => {
                let seg = if x < first.0 {
                    (bp.first(), bp.get(1))
                } else {
                    (bp.get(bp.len().saturating_sub(2)), bp.last())
                };
                match seg {
                    (Some(a), Some(b)) => Ok(lerp(*a, *b, x)),
                    _ => Ok(first.1),
                }
            }
        };
    }
    for w in bp.windows(2) {
        if let [a, b] = w {
            if x == a.0 {
                return Ok(a.1);
            }
            if x == b.0 {
                return Ok(b.1);
            }
            if a.0 < x && x < b.0 {
                return Ok(lerp(*a, *b, x));
            }
        }
    }
    Ok(first.1)
}
