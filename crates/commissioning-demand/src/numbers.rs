//! One number or a list of them, as the queue formulas take their arguments: a list makes the
//! result a list, computed element by element, and a single number serves every element.

use serde::{Deserialize, Serialize};

use crate::error::{DemandError, Result};

/// One number, or a list of numbers.
///
/// ```
/// use commissioning_demand::Numbers;
///
/// let one: Numbers = serde_json::from_str("30")?;
/// let many: Numbers = serde_json::from_str("[35, 30, 52]")?;
/// assert_eq!(one, Numbers::One(30.0));
/// assert_eq!(many.len(), Some(3));
/// # Ok::<(), serde_json::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(untagged)]
pub enum Numbers {
    /// One number, used for every element.
    One(f64),
    /// A list, one number per element.
    Many(Vec<f64>),
}

impl Numbers {
    /// The list's length; `None` for a single number.
    pub fn len(&self) -> Option<usize> {
        match self {
            Self::One(_) => None,
            Self::Many(v) => Some(v.len()),
        }
    }

    /// Whether this is an empty list.
    pub fn is_empty(&self) -> bool {
        self.len() == Some(0)
    }

    /// The number for element `i`.
    fn at(&self, i: usize) -> f64 {
        match self {
            Self::One(x) => *x,
            Self::Many(v) => v.get(i).copied().unwrap_or(f64::NAN),
        }
    }
}

impl From<f64> for Numbers {
    fn from(x: f64) -> Self {
        Self::One(x)
    }
}

impl From<Vec<f64>> for Numbers {
    fn from(v: Vec<f64>) -> Self {
        Self::Many(v)
    }
}

/// `f` applied element by element to `args` (each named, for errors): a single number when
/// every argument is one, otherwise a list as long as the lists (which must agree).
///
/// # Errors
///
/// [`DemandError::InvalidInput`] when the lists differ in length or a value is not finite
/// (naming the argument and element); whatever `f` refuses, at the element.
pub(crate) fn broadcast<const N: usize>(
    args: [(&str, &Numbers); N],
    f: impl Fn([f64; N]) -> Result<f64>,
) -> Result<Numbers> {
    let mut length: Option<(usize, &str)> = None;
    for (name, value) in &args {
        if let Some(n) = value.len() {
            match length {
                Some((m, first)) if m != n => {
                    return Err(DemandError::input(
                        *name,
                        format!(
                            "has {n} values where {first} has {m}: lists must be of the same length"
                        ),
                    ));
                }
                None => length = Some((n, name)),
                _ => {}
            }
        }
    }
    let element = |i: usize, indexed: bool| -> Result<f64> {
        let mut values = [0.0; N];
        for (slot, (name, value)) in values.iter_mut().zip(&args) {
            let x = value.at(i);
            if !x.is_finite() {
                let at = if indexed && value.len().is_some() {
                    format!("{name}[{i}]")
                } else {
                    (*name).to_owned()
                };
                return Err(DemandError::input(
                    at,
                    format!("must be a finite number, got {x}"),
                ));
            }
            *slot = x;
        }
        f(values).map_err(|e| if indexed { at_element(e, i) } else { e })
    };
    match length {
        None => element(0, false).map(Numbers::One),
        Some((n, _)) => (0..n)
            .map(|i| element(i, true))
            .collect::<Result<Vec<_>>>()
            .map(Numbers::Many),
    }
}

/// An error about an argument put at element `i` (`demand` → `demand[2]`).
fn at_element(e: DemandError, i: usize) -> DemandError {
    match e {
        DemandError::InvalidInput { field, reason } => DemandError::InvalidInput {
            field: format!("{field}[{i}]"),
            reason,
        },
        DemandError::Undefined { field, reason } => DemandError::Undefined {
            field: format!("{field}[{i}]"),
            reason,
        },
    }
}
