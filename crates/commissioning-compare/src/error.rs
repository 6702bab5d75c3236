//! The error type of comparison.

use thiserror::Error;

/// Everything that can go wrong when comparing units with their peers.
///
/// The three classes follow the shared vectors: malformed or out-of-domain input, valid input
/// that the rule does not define, and a result that is mathematically undefined.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
#[non_exhaustive]
pub enum CompareError {
    /// A value is malformed or outside its domain (a negative count, a zero denominator, a
    /// duplicate id, a confidence level outside (0, 1)).
    #[error("{field}: {reason}")]
    InvalidInput {
        /// The path of the offending value, e.g. `units[3].denominator`.
        field: String,
        /// The rule it breaks.
        reason: String,
    },
    /// The input is valid but outside what the rule defines (more peers asked for than there
    /// are other units, fewer peers than the Best n).
    #[error("{field}: {reason}")]
    OutOfRange {
        /// The path of the offending value.
        field: String,
        /// Why it is out of range.
        reason: String,
    },
    /// The result is mathematically undefined (an expected count of zero, an overdispersion
    /// adjustment with a single unit).
    #[error("{field}: {reason}")]
    Undefined {
        /// The input that makes the result undefined.
        field: String,
        /// Why.
        reason: String,
    },
}

impl CompareError {
    pub(crate) fn input(field: impl Into<String>, reason: impl Into<String>) -> Self {
        Self::InvalidInput {
            field: field.into(),
            reason: reason.into(),
        }
    }

    pub(crate) fn range(field: impl Into<String>, reason: impl Into<String>) -> Self {
        Self::OutOfRange {
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

    /// The class of the error as the shared vectors name it: `invalid_input`, `out_of_range`
    /// or `undefined`.
    pub fn kind(&self) -> &'static str {
        match self {
            Self::InvalidInput { .. } => "invalid_input",
            Self::OutOfRange { .. } => "out_of_range",
            Self::Undefined { .. } => "undefined",
        }
    }
}

/// Shorthand for results of this crate.
pub type Result<T, E = CompareError> = std::result::Result<T, E>;

/// Checks that a number is finite and at least zero (or, with `positive`, above zero).
pub(crate) fn check_count(field: impl FnOnce() -> String, v: f64, positive: bool) -> Result<()> {
    if !v.is_finite() {
        return Err(CompareError::input(
            field(),
            format!("must be a finite number, got {v}"),
        ));
    }
    if positive && v <= 0.0 {
        return Err(CompareError::input(
            field(),
            format!("must be above 0, got {v}"),
        ));
    }
    if v < 0.0 {
        return Err(CompareError::input(
            field(),
            format!("must not be negative, got {v}"),
        ));
    }
    Ok(())
}

/// Checks that a count is a whole number.
pub(crate) fn check_whole(field: impl FnOnce() -> String, v: f64) -> Result<()> {
    if v.fract() != 0.0 {
        return Err(CompareError::input(
            field(),
            format!("must be a whole number, got {v}"),
        ));
    }
    Ok(())
}

/// Checks that the ids of a list are unique, naming the first repeat as `{list}[i].id`
/// (see [`commissioning_model::ids::first_duplicate`]).
pub(crate) fn unique_ids<'a>(
    list: &str,
    ids: &(impl ExactSizeIterator<Item = &'a str> + Clone),
) -> Result<()> {
    match commissioning_model::ids::first_duplicate(ids) {
        Some((i, id)) => Err(CompareError::input(
            format!("{list}[{i}].id"),
            format!("duplicate id {id:?}"),
        )),
        None => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::unique_ids;

    #[test]
    fn repeats_are_named_at_their_second_place() {
        let ids = ["a", "b", "c", "b", "a"];
        let e = unique_ids("units", &ids.iter().copied()).unwrap_err();
        assert_eq!(e.to_string(), "units[3].id: duplicate id \"b\"");
        let many: Vec<String> = (0..20_000).map(|i| format!("P{i:05}")).collect();
        assert!(unique_ids("units", &many.iter().map(String::as_str)).is_ok());
        let mut again = many;
        again.push("P12345".into());
        let e = unique_ids("units", &again.iter().map(String::as_str)).unwrap_err();
        assert_eq!(e.to_string(), "units[20000].id: duplicate id \"P12345\"");
    }
}
