//! The error type of priority setting.

use commissioning_model::ModelError;
use thiserror::Error;

/// Everything that can go wrong when scoring, weighting or selecting.
///
/// Each variant names the item or field at fault and the rule it broke.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
#[non_exhaustive]
pub enum PriorityError {
    /// An error from the domain model (money arithmetic, parsing).
    #[error(transparent)]
    Model(#[from] ModelError),

    /// A value is malformed or outside its domain (NaN, infinite, negative weight, ...).
    #[error("{field}: {reason}")]
    InvalidInput {
        /// The path of the offending value, e.g. `options[2].raw[1]`.
        field: String,
        /// The rule it breaks.
        reason: String,
    },

    /// A valid value lies outside what a rule defines (e.g. outside a value function's
    /// breakpoints in `error` mode).
    #[error("{field}: {value} is outside the range the rule defines ({range})")]
    OutOfRange {
        /// The field at fault.
        field: String,
        /// The value given.
        value: String,
        /// The defined range.
        range: String,
    },

    /// The result is mathematically undefined (e.g. TOPSIS closeness when every alternative
    /// is identical).
    #[error("{what} is undefined: {reason}")]
    Undefined {
        /// What could not be computed.
        what: String,
        /// Why.
        reason: String,
    },

    /// Two items share an id that must be unique.
    #[error("{field}: duplicate id {id:?}")]
    Duplicate {
        /// The list at fault.
        field: String,
        /// The repeated id.
        id: String,
    },
}

impl PriorityError {
    pub(crate) fn input(field: impl Into<String>, reason: impl Into<String>) -> Self {
        Self::InvalidInput {
            field: field.into(),
            reason: reason.into(),
        }
    }
}

/// Shorthand for results of this crate.
pub type Result<T, E = PriorityError> = std::result::Result<T, E>;

/// Rejects NaN and infinities.
pub(crate) fn finite(field: impl FnOnce() -> String, value: f64) -> Result<f64> {
    if value.is_finite() {
        Ok(value)
    } else {
        Err(PriorityError::input(
            field(),
            format!("must be a finite number, got {value}"),
        ))
    }
}

/// Rejects duplicate ids in a list, reporting the first repeat in list order. (A hash set is
/// used only to detect repeats; its order never reaches any output.)
pub(crate) fn unique_ids<'a>(
    field: &str,
    ids: &(impl ExactSizeIterator<Item = &'a str> + Clone),
) -> Result<()> {
    if let Some(i) = ids.clone().position(|id| id.trim().is_empty()) {
        return Err(PriorityError::input(
            format!("{field}[{i}].id"),
            "must not be empty",
        ));
    }
    match commissioning_model::ids::first_duplicate(ids) {
        Some((i, id)) => Err(PriorityError::Duplicate {
            field: format!("{field}[{i}].id"),
            id: id.to_owned(),
        }),
        None => Ok(()),
    }
}
