//! Benchmarks of decisions under uncertainty: PSA summaries and acceptability curves at 10,000
//! simulations × 10 strategies × 100 willingness-to-pay values, and EVPI.

#![allow(
    missing_docs,
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::arithmetic_side_effects,
    clippy::cast_precision_loss
)]

use commissioning::model::Money;
use commissioning::priority::psa::{Psa, ceac, evpi, summary};
use commissioning_benches::Lcg;
use criterion::{Criterion, criterion_group, criterion_main};
use std::hint::black_box;

fn psa(n: usize, k: usize) -> Psa {
    let mut rng = Lcg::new(11);
    let ids = (0..k).map(|j| format!("s{j}")).collect();
    let mut cost = Vec::with_capacity(n);
    let mut effect = Vec::with_capacity(n);
    for _ in 0..n {
        cost.push(
            (0..k)
                .map(|j| {
                    Money::from_pence(
                        i64::try_from(500_000 + 100_000 * j as u64 + rng.below(200_000)).unwrap(),
                    )
                })
                .collect(),
        );
        effect.push(
            (0..k)
                .map(|j| 0.6 + 0.02 * j as f64 + rng.below(10_000) as f64 / 100_000.0)
                .collect(),
        );
    }
    Psa::new(ids, cost, effect).unwrap()
}

fn bench(c: &mut Criterion) {
    let p = psa(10_000, 10);
    let wtp: Vec<Money> = (0..100).map(|i| Money::from_pounds(i * 500)).collect();
    let mut group = c.benchmark_group("uncertainty");
    group.sample_size(20);
    group.bench_function("summary/10000x10", |b| {
        b.iter(|| summary(black_box(&p)).unwrap());
    });
    group.bench_function("ceac/10000x10x100", |b| {
        b.iter(|| ceac(black_box(&p), &wtp).unwrap());
    });
    group.bench_function("evpi/10000x10x100", |b| {
        b.iter(|| evpi(black_box(&p), &wtp, None).unwrap());
    });
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
