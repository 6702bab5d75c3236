//! A small seeded random-number generator for reproducible simulation.
//!
//! Scenario analysis of risk shares and probabilistic sensitivity of rankings draw from
//! [`SplitMix64`] (Steele, Lea and Flood, "Fast splittable pseudorandom number generators",
//! OOPSLA 2014). It uses integer arithmetic only, so a seed gives the same stream, and so the
//! same results, on every platform.

/// The `SplitMix64` generator: a 64-bit state advanced by a fixed odd constant and mixed.
///
/// ```
/// use commissioning_model::rng::SplitMix64;
/// let mut g = SplitMix64::new(0);
/// assert_eq!(g.next_u64(), 0xE220_A839_7B1D_CDAF); // the algorithm's published first outputs
/// assert_eq!(g.next_u64(), 0x6E78_9E6A_A1B9_65F4);
/// let u = g.unit();
/// assert!((0.0..1.0).contains(&u));
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SplitMix64(u64);

impl SplitMix64 {
    /// A generator from a seed.
    pub fn new(seed: u64) -> Self {
        Self(seed)
    }

    /// The next 64 random bits.
    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A uniform draw in [0, 1) with 53 random bits.
    #[allow(clippy::cast_precision_loss)] // 53-bit integers are exact in f64
    pub fn unit(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 * (1.0 / (1u64 << 53) as f64)
    }
}
