//! The error type of demand and capacity.

use thiserror::Error;

/// Everything that can go wrong in the arithmetic of demand and capacity.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
#[non_exhaustive]
pub enum DemandError {
    /// A value is malformed or outside its domain (a negative demand, a zero target wait,
    /// lists of different lengths).
    #[error("{field}: {reason}")]
    InvalidInput {
        /// The offending argument, e.g. `demand[2]`.
        field: String,
        /// The rule it breaks.
        reason: String,
    },
    /// The result is mathematically undefined (a load with no capacity).
    #[error("{field}: {reason}")]
    Undefined {
        /// The argument that makes the result undefined.
        field: String,
        /// Why.
        reason: String,
    },
}

impl DemandError {
    pub(crate) fn input(field: impl Into<String>, reason: impl Into<String>) -> Self {
        Self::InvalidInput {
            field: field.into(),
            reason: reason.into(),
        }
    }

    pub(crate) fn undefined(field: impl Into<String>, reason: impl Into<String>) -> Self {
        Self::Undefined {
            field: field.into(),
            reason: reason.into(),
        }
    }

    /// The class of the error, as the shared vectors name it: `invalid_input` or `undefined`.
    pub fn kind(&self) -> &'static str {
        match self {
            Self::InvalidInput { .. } => "invalid_input",
            Self::Undefined { .. } => "undefined",
        }
    }
}

/// The result type of this crate.
pub type Result<T> = std::result::Result<T, DemandError>;
