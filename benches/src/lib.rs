//! Deterministic data generators shared by the benchmarks.
//!
//! A small linear congruential generator keeps the data identical on every machine and run
//! without a dependency on a random-number crate.

use commissioning::model::activity::{ActivityEntry, ActivitySchedule};
use commissioning::model::period::{FinancialYear, FyMonth};
use commissioning::model::service::PointOfDelivery;
use commissioning::model::{Decimal, ModelError, Money};

/// A deterministic pseudo-random sequence (Knuth's MMIX constants).
#[derive(Debug, Clone)]
pub struct Lcg(u64);

impl Lcg {
    /// A generator from a seed.
    pub fn new(seed: u64) -> Self {
        Self(seed)
    }

    /// The next value in `0..bound` (`bound` at least 1).
    pub fn below(&mut self, bound: u64) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        (self.0 >> 33).checked_rem(bound.max(1)).unwrap_or(0)
    }
}

/// `n` weights between 0.01 and 1,000.00.
pub fn weights(n: usize, seed: u64) -> Vec<Decimal> {
    let mut rng = Lcg::new(seed);
    (0..n)
        .map(|_| {
            Decimal::new(
                i64::try_from(rng.below(100_000))
                    .unwrap_or(0)
                    .saturating_add(1),
                2,
            )
        })
        .collect()
}

const PODS: [PointOfDelivery; 5] = [
    PointOfDelivery::Elective,
    PointOfDelivery::NonElective,
    PointOfDelivery::OutpatientFirst,
    PointOfDelivery::OutpatientFollowUp,
    PointOfDelivery::Community,
];

/// A plan and actuals with `lines × 5 points of delivery × 12 months` entries each, valued at
/// a price per line.
///
/// # Errors
///
/// Only if the generated data were invalid, which it is not.
pub fn activity(
    lines: usize,
    seed: u64,
) -> Result<(ActivitySchedule, ActivitySchedule), ModelError> {
    let year = FinancialYear::try_new(2025)?;
    let mut rng = Lcg::new(seed);
    let mut plan = Vec::with_capacity(lines.saturating_mul(60));
    let mut actual = Vec::with_capacity(lines.saturating_mul(60));
    for line in 0..lines {
        let id = format!("L{line:06}");
        let price = Money::from_pence(
            i64::try_from(rng.below(500_000))
                .unwrap_or(0)
                .saturating_add(5_000),
        );
        for pod in PODS {
            for month in FyMonth::all() {
                let planned = Decimal::from(rng.below(400).saturating_add(50));
                let delivered = Decimal::from(rng.below(450).saturating_add(40));
                plan.push(
                    ActivityEntry::new(id.clone(), pod, month, planned)
                        .with_value(price.checked_mul_decimal(planned)?),
                );
                actual.push(
                    ActivityEntry::new(id.clone(), pod, month, delivered)
                        .with_value(price.checked_mul_decimal(delivered)?),
                );
            }
        }
    }
    Ok((
        ActivitySchedule::try_new(year, plan)?,
        ActivitySchedule::try_new(year, actual)?,
    ))
}
