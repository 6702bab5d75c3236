//! The error type of monitoring.

use commissioning_model::ModelError;
use thiserror::Error;

/// Everything that can go wrong when monitoring a series, a KPI or a budget.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
#[non_exhaustive]
pub enum MonitorError {
    /// An error from the domain model.
    #[error(transparent)]
    Model(#[from] ModelError),

    /// A value is malformed or outside its domain.
    #[error("{field}: {reason}")]
    InvalidInput {
        /// The path of the offending value.
        field: String,
        /// The rule it breaks.
        reason: String,
    },
}

impl MonitorError {
    pub(crate) fn input(field: impl Into<String>, reason: impl Into<String>) -> Self {
        Self::InvalidInput {
            field: field.into(),
            reason: reason.into(),
        }
    }
}

/// Shorthand for results of this crate.
pub type Result<T, E = MonitorError> = std::result::Result<T, E>;
