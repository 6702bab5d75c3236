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

/// A keyed multiply–fold hash of ids (the folded 128-bit product of each 8-byte word with a
/// per-set random key, as in `foldhash`): several times cheaper than `SipHash` on short ids,
/// and, being keyed afresh for every set, not open to ids chosen to collide.
#[derive(Debug, Clone, Copy)]
struct IdHasher {
    state: u64,
    key: u64,
}

/// Eight bytes as a little-endian word.
fn word(w: &[u8]) -> u64 {
    let mut b = [0_u8; 8];
    b.copy_from_slice(w);
    u64::from_le_bytes(b)
}

/// The high and low halves of a 128-bit product, xored.
#[allow(clippy::cast_possible_truncation)]
fn fold(a: u64, b: u64) -> u64 {
    let p = u128::from(a).wrapping_mul(u128::from(b));
    (p as u64) ^ ((p >> 64) as u64)
}

impl std::hash::Hasher for IdHasher {
    fn write(&mut self, bytes: &[u8]) {
        let mut words = bytes.chunks_exact(8);
        for w in &mut words {
            self.state = fold(self.state ^ word(w), self.key);
        }
        let rest = words.remainder();
        // The last 1 to 7 bytes as one word from overlapping reads (no copy through memory).
        let tail = match rest.len() {
            0 => 0,
            n @ 1..=3 => {
                let byte = |i: usize| u64::from(rest.get(i).copied().unwrap_or(0));
                byte(0) | byte(n / 2) << 8 | byte(n.saturating_sub(1)) << 16
            }
            n => {
                let half = |i: usize| {
                    let mut b = [0_u8; 4];
                    if let Some(s) = rest.get(i..i.saturating_add(4)) {
                        b.copy_from_slice(s);
                    }
                    u64::from(u32::from_le_bytes(b))
                };
                half(0) | half(n.saturating_sub(4)) << 32
            }
        };
        let len = u64::try_from(bytes.len()).unwrap_or(u64::MAX);
        self.state = fold(self.state ^ tail, self.key ^ len);
    }

    fn finish(&self) -> u64 {
        self.state
    }
}

/// Builds [`IdHasher`]s with two keys drawn from the standard library's random source.
#[derive(Debug, Clone, Copy)]
struct IdHashKeys(u64, u64);

impl IdHashKeys {
    fn new() -> Self {
        use std::hash::BuildHasher;
        let random = std::collections::hash_map::RandomState::new();
        Self(random.hash_one(1_u8), random.hash_one(2_u8) | 1)
    }
}

impl std::hash::BuildHasher for IdHashKeys {
    type Hasher = IdHasher;
    fn build_hasher(&self) -> IdHasher {
        IdHasher {
            state: self.0,
            key: self.1,
        }
    }
}

/// A hasher for keys that are already keyed hashes: it keeps the word it is given.
#[derive(Debug, Clone, Copy, Default)]
struct Prehashed(u64);

impl std::hash::Hasher for Prehashed {
    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 = self.0.rotate_left(8) ^ u64::from(b);
        }
    }

    fn write_u64(&mut self, v: u64) {
        self.0 = v;
    }

    fn finish(&self) -> u64 {
        self.0
    }
}

/// Checks that the ids of a list are unique, naming the first repeat as `{list}[i].id`.
///
/// Each id's 64-bit keyed hash goes into a set of words (9 bytes an id, so that a set of
/// 100,000 stays in cache); only when two hashes meet are the ids themselves compared.
pub(crate) fn unique_ids<'a>(
    list: &str,
    ids: &(impl ExactSizeIterator<Item = &'a str> + Clone),
) -> Result<()> {
    use std::hash::BuildHasher;
    let keys = IdHashKeys::new();
    let mut seen = std::collections::HashSet::with_capacity_and_hasher(
        ids.len(),
        std::hash::BuildHasherDefault::<Prehashed>::default(),
    );
    for (i, id) in ids.clone().enumerate() {
        if !seen.insert(keys.hash_one(id)) && ids.clone().take(i).any(|earlier| earlier == id) {
            return Err(CompareError::input(
                format!("{list}[{i}].id"),
                format!("duplicate id {id:?}"),
            ));
        }
    }
    Ok(())
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
