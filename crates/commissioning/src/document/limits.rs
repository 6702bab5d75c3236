//! The limits that keep every accepted document within bounded time and memory. Each is
//! checked before the work it bounds is allocated or started; a document beyond one is refused
//! at once with exit status 2, naming the limit and the environment variable that raises it.

use crate::document::io::DocumentError;

/// One limit: its default and the environment variable that changes it.
#[derive(Debug, Clone, Copy)]
#[non_exhaustive]
pub struct Limit {
    /// What is counted.
    pub what: &'static str,
    /// The environment variable that overrides the default.
    pub env: &'static str,
    /// The default.
    pub default: u64,
}

impl Limit {
    /// The limit in force: the environment variable's value, or else the default.
    pub fn value(self) -> u64 {
        std::env::var(self.env)
            .ok()
            .and_then(|v| v.trim().replace(['_', ','], "").parse().ok())
            .unwrap_or(self.default)
    }

    /// Refuses `amount` above the limit, naming `field`.
    ///
    /// # Errors
    ///
    /// [`DocumentError::Input`] at `field` naming the limit and how to raise it.
    pub fn check(self, field: &str, amount: u64) -> Result<(), DocumentError> {
        let limit = self.value();
        if amount > limit {
            return Err(DocumentError::input(
                field,
                format!(
                    "{amount} {} is more than the limit of {limit}; set {}={} (or more) to allow it",
                    self.what, self.env, amount
                ),
            ));
        }
        Ok(())
    }
}

/// Simulated settlements in a scenario comparison: outturns × designs.
pub const SIMULATIONS: Limit = Limit {
    what: "simulated settlements (outturns × designs)",
    env: "COMMISSIONING_MAX_SIMULATIONS",
    default: 10_000_000,
};

/// SMAA work: samples × options × criteria.
pub const SMAA_WORK: Limit = Limit {
    what: "SMAA draws (samples × options × criteria)",
    env: "COMMISSIONING_MAX_SMAA_WORK",
    default: 500_000_000,
};

/// Rows of a result that grows with the square of the input (one-way crossovers: one per pair
/// of options).
pub const OUTPUT_ROWS: Limit = Limit {
    what: "result rows (pairs of options)",
    env: "COMMISSIONING_MAX_OUTPUT_ROWS",
    default: 2_000_000,
};

/// Candidates of an exact selection.
pub const CANDIDATES: Limit = Limit {
    what: "candidates",
    env: "COMMISSIONING_MAX_CANDIDATES",
    default: 10_000,
};

/// The exact selection's work: nodes of the search × (candidates + 1), each node costing a
/// pass over the candidates for its bound.
pub const SEARCH_WORK: Limit = Limit {
    what: "units of search work (max_nodes × (candidates + 1))",
    env: "COMMISSIONING_MAX_SEARCH_WORK",
    default: 2_000_000_000,
};

/// Units of a peer-group search, whose work grows with the square of the count.
pub const PEER_UNITS: Limit = Limit {
    what: "units (the work grows with the square of the count)",
    env: "COMMISSIONING_MAX_PEER_UNITS",
    default: 50_000,
};

/// Cells of a CSV table (rows × columns), each of which becomes a value of the document.
pub const TABLE_CELLS: Limit = Limit {
    what: "table cells (rows × columns)",
    env: "COMMISSIONING_MAX_TABLE_CELLS",
    default: 20_000_000,
};

/// The output a result would be, estimated from the parsed input before any of the work: for
/// results that repeat a name or an id on every row (a strategy's name at every
/// willingness-to-pay value or grid point, a peer's id in every peer list).
pub const OUTPUT_BYTES: Limit = Limit {
    what: "bytes of output (estimated before the work)",
    env: "COMMISSIONING_MAX_OUTPUT_BYTES",
    default: 512 * 1024 * 1024,
};

/// The documents of a meeting pack's sections together, counting a file each time a section
/// names it: each section's work grows with its document, so this bounds the pack's work.
pub const REPORT_BYTES: Limit = Limit {
    what: "bytes of section documents in one pack (a file counted each time it is named)",
    env: "COMMISSIONING_MAX_REPORT_BYTES",
    default: 64 * 1024 * 1024,
};

/// The bytes a JSON number takes at most, with its separator and indentation.
pub const NUMBER_BYTES: u64 = 40;

/// The bytes a JSON string of `len` bytes takes at most: every byte escaped (`\u00XX`), with
/// its quotes, separator and indentation.
pub fn text_bytes(len: usize) -> u64 {
    n(len).saturating_mul(6).saturating_add(40)
}

/// Every limit of the document layer, for a front door to list.
pub const LIMITS: [Limit; 9] = [
    OUTPUT_BYTES,
    REPORT_BYTES,
    SIMULATIONS,
    SMAA_WORK,
    OUTPUT_ROWS,
    CANDIDATES,
    SEARCH_WORK,
    PEER_UNITS,
    TABLE_CELLS,
];

/// A count as `u64`.
pub fn n(len: usize) -> u64 {
    u64::try_from(len).unwrap_or(u64::MAX)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_refusal_names_the_field_the_limit_and_how_to_raise_it() {
        let e = CANDIDATES
            .check("candidates", 10_001)
            .unwrap_err()
            .to_string();
        assert!(
            e.starts_with("candidates: 10001 candidates is more than the limit of 10000"),
            "{e}"
        );
        assert!(e.contains("COMMISSIONING_MAX_CANDIDATES=10001"), "{e}");
        assert!(CANDIDATES.check("candidates", 10_000).is_ok());
    }
}
