//! The error type of the domain model.

use thiserror::Error;

/// Everything that can go wrong when building or computing with the domain model.
///
/// Each variant names the field or value at fault and the rule it broke, so that the message
/// alone is enough to fix the input.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
#[non_exhaustive]
pub enum ModelError {
    /// A checked arithmetic operation on money or a rate left the range of `Decimal`
    /// (about ±7.9 × 10²⁸) or divided by zero.
    #[error("arithmetic overflow in {operation}: the result does not fit in a 96-bit decimal")]
    Overflow {
        /// What was being computed, e.g. `"money addition"`.
        operation: &'static str,
    },

    /// A word that is not one of the words a value may be written as.
    #[error("{what}: {input:?} is not a word it accepts: {reason}")]
    UnknownWord {
        /// The kind of value, e.g. `"contract form"`.
        what: String,
        /// The text given.
        input: String,
        /// The words accepted, as the reader of the word lists them.
        reason: String,
    },

    /// A division by zero was requested.
    #[error("division by zero in {operation}")]
    DivisionByZero {
        /// What was being computed.
        operation: &'static str,
    },

    /// A string could not be read as an amount of money or a decimal number.
    #[error("{field}: cannot read {input:?} as a decimal: {reason}")]
    InvalidDecimal {
        /// The field or kind of value being parsed.
        field: String,
        /// The text that was given.
        input: String,
        /// Why it was rejected.
        reason: &'static str,
    },

    /// A value lies outside the range its field allows.
    #[error("{field}: must be {expected}, got {value}")]
    OutOfRange {
        /// The field at fault.
        field: String,
        /// The value given, as text.
        value: String,
        /// The rule, e.g. `"between 0 and 1"`.
        expected: &'static str,
    },

    /// Weights for an allocation were unusable.
    #[error("{field}: {reason}")]
    InvalidWeights {
        /// The field at fault, e.g. `"weights[3]"`.
        field: String,
        /// Why the weights cannot be used.
        reason: &'static str,
    },

    /// A financial year label or number was malformed.
    #[error("invalid financial year {input:?}: {reason} (expected a label such as \"2025/26\")")]
    InvalidFinancialYear {
        /// The text or number given.
        input: String,
        /// Why it was rejected.
        reason: &'static str,
    },

    /// A date, month or period was malformed or impossible.
    #[error("{field}: invalid date or period {input:?}: {reason}")]
    InvalidDate {
        /// The field at fault.
        field: String,
        /// The text given.
        input: String,
        /// Why it was rejected.
        reason: &'static str,
    },

    /// A range of dates ends before it starts.
    #[error("{field}: end {end} is before start {start}")]
    InvalidDateRange {
        /// The field at fault.
        field: String,
        /// The start date.
        start: String,
        /// The end date.
        end: String,
    },

    /// An ODS organisation code did not match the format of its kind.
    #[error("invalid {kind} code {input:?}: expected {expected}")]
    InvalidOdsCode {
        /// The kind of organisation, e.g. `"NHS trust"`.
        kind: &'static str,
        /// The code given.
        input: String,
        /// The expected format.
        expected: &'static str,
    },

    /// A code other than an ODS code (treatment function, programme budgeting category) was
    /// malformed.
    #[error("invalid {kind} {input:?}: expected {expected}")]
    InvalidCode {
        /// The kind of code.
        kind: &'static str,
        /// The code given.
        input: String,
        /// The expected format.
        expected: &'static str,
    },

    /// Two items in a collection share an identifier that must be unique.
    #[error("{field}: duplicate {what} {id:?}")]
    Duplicate {
        /// The collection at fault.
        field: String,
        /// What is duplicated, e.g. `"organisation code"`.
        what: &'static str,
        /// The repeated identifier.
        id: String,
    },

    /// A required list was empty.
    #[error("{field}: must not be empty")]
    Empty {
        /// The field at fault.
        field: String,
    },

    /// Activity counted in one unit was compared with activity counted in another.
    #[error("{field}: cannot compare activity in {left} with activity in {right}")]
    UnitMismatch {
        /// Where the mismatch was found.
        field: String,
        /// The first unit.
        left: String,
        /// The second unit.
        right: String,
    },

    /// A value needed for a computation was missing.
    #[error("{field}: {reason}")]
    Missing {
        /// The field that is missing.
        field: String,
        /// What it is needed for.
        reason: &'static str,
    },

    /// A contract failed validation; every problem found is listed.
    #[error("contract is invalid: {}", format_issues(.issues))]
    InvalidContract {
        /// Every problem found, in document order.
        issues: Vec<crate::contract::ValidationIssue>,
    },
}

fn format_issues(issues: &[crate::contract::ValidationIssue]) -> String {
    issues
        .iter()
        .map(ToString::to_string)
        .collect::<Vec<_>>()
        .join("; ")
}

/// Shorthand for results of the domain model.
pub type Result<T, E = ModelError> = std::result::Result<T, E>;

impl ModelError {
    pub(crate) fn overflow(operation: &'static str) -> Self {
        Self::Overflow { operation }
    }

    pub(crate) fn out_of_range(
        field: impl Into<String>,
        value: impl std::fmt::Display,
        expected: &'static str,
    ) -> Self {
        Self::OutOfRange {
            field: field.into(),
            value: value.to_string(),
            expected,
        }
    }
}
