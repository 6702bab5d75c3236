//! Duplicate ids in large lists, found quickly.
//!
//! Every list of units, strategies or options is keyed by id, and a repeated id is an error in
//! the document. [`first_duplicate`] finds the first repeat of a list of a million ids in a few
//! milliseconds: each id's keyed 64-bit hash goes into a set of words (9 bytes an id, so that
//! a set of 100,000 stays in cache), and only when two hashes meet are the ids compared.
//!
//! ```
//! use commissioning_model::ids::first_duplicate;
//!
//! let ids = ["RWY", "RXG", "RAE", "RXG"];
//! assert_eq!(first_duplicate(&ids.iter().copied()), Some((3, "RXG")));
//! assert_eq!(first_duplicate(&ids[..3].iter().copied()), None);
//! ```

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

/// The first id that repeats an earlier one, with its position; `None` when all are unique.
/// The iterator is walked once, and again up to a position only when two hashes meet.
pub fn first_duplicate<'a>(
    ids: &(impl ExactSizeIterator<Item = &'a str> + Clone),
) -> Option<(usize, &'a str)> {
    use std::hash::BuildHasher;
    let keys = IdHashKeys::new();
    let mut seen = std::collections::HashSet::with_capacity_and_hasher(
        ids.len(),
        std::hash::BuildHasherDefault::<Prehashed>::default(),
    );
    ids.clone().enumerate().find(|&(i, id)| {
        !seen.insert(keys.hash_one(id)) && ids.clone().take(i).any(|earlier| earlier == id)
    })
}
