//! The error type of risk-sharing settlement.

use commissioning_model::ModelError;
use thiserror::Error;

/// Everything that can go wrong when building or settling a risk-sharing agreement.
///
/// Each variant names the field at fault and the rule it broke.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
#[non_exhaustive]
pub enum RiskError {
    /// An error from the domain model: money arithmetic, allocation, parsing.
    #[error(transparent)]
    Model(#[from] ModelError),

    /// The agreement breaks one of its own rules (unordered bands, a negative cap, shares
    /// that do not sum to 1, ...).
    #[error("{field}: {reason}")]
    InvalidAgreement {
        /// The path of the offending value, e.g. `gain.bands[1].from`.
        field: String,
        /// The rule it breaks.
        reason: String,
    },

    /// The settlement input is unusable (a negative target, a missing base, ...).
    #[error("{field}: {reason}")]
    InvalidInput {
        /// The path of the offending value.
        field: String,
        /// The rule it breaks.
        reason: String,
    },

    /// A value is outside the range a published rule defines (e.g. an MSSP minimum savings
    /// rate for fewer than 5,000 beneficiaries).
    #[error("{field}: {value} is outside the range the rule defines ({rule})")]
    OutOfRange {
        /// The field at fault.
        field: String,
        /// The value given.
        value: String,
        /// The range the rule covers.
        rule: &'static str,
    },
}

impl RiskError {
    pub(crate) fn agreement(field: impl Into<String>, reason: impl Into<String>) -> Self {
        Self::InvalidAgreement {
            field: field.into(),
            reason: reason.into(),
        }
    }

    pub(crate) fn input(field: impl Into<String>, reason: impl Into<String>) -> Self {
        Self::InvalidInput {
            field: field.into(),
            reason: reason.into(),
        }
    }
}

/// Shorthand for results of this crate.
pub type Result<T, E = RiskError> = std::result::Result<T, E>;

pub(crate) fn overflow(operation: &'static str) -> RiskError {
    RiskError::Model(ModelError::Overflow { operation })
}
