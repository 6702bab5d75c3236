//! Benchmarks of monitoring: SPC charts with the "Making Data Count" rules, their SVG, and a
//! dashboard of many indicators.

#![allow(
    missing_docs,
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::arithmetic_side_effects
)]

use commissioning::monitor::spc::{Improvement, Observation, SpcOptions, spc};
use commissioning::monitor::svg::render;
use commissioning_benches::Lcg;
use criterion::{BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};
use std::hint::black_box;

/// A series of `n` points around 100 with a step change two thirds of the way along.
fn series(n: usize, seed: u64) -> Vec<Observation> {
    let mut rng = Lcg::new(seed);
    (0..n)
        .map(|i| {
            #[allow(clippy::cast_precision_loss)]
            let noise = rng.below(2_001) as f64 / 100.0 - 10.0;
            let step = if i * 3 >= n * 2 { 8.0 } else { 0.0 };
            Observation::new(100.0 + noise + step)
        })
        .collect()
}

fn options() -> SpcOptions {
    let mut o = SpcOptions::default();
    o.improvement = Improvement::Increase;
    o.target = Some(105.0);
    o
}

fn bench_spc(c: &mut Criterion) {
    let opts = options();
    let mut group = c.benchmark_group("monitor/spc");
    for n in [60usize, 10_000, 1_000_000] {
        let s = series(n, 5);
        group.throughput(Throughput::Elements(n as u64));
        if n >= 1_000_000 {
            group.sample_size(10);
        }
        group.bench_function(BenchmarkId::from_parameter(n), |b| {
            b.iter(|| spc(black_box(&s), &opts).unwrap());
        });
    }
    group.finish();
}

fn bench_dashboard(c: &mut Criterion) {
    // 1,000 indicators × 36 months: a system-wide monthly dashboard.
    let all: Vec<Vec<Observation>> = (0..1_000u64).map(|k| series(36, k)).collect();
    let opts = options();
    let mut group = c.benchmark_group("monitor/dashboard");
    group.throughput(Throughput::Elements(all.len() as u64));
    group.bench_function("1k_indicators_x36", |b| {
        b.iter(|| {
            all.iter()
                .map(|s| spc(black_box(s), &opts).unwrap().points.len())
                .sum::<usize>()
        });
    });
    group.finish();
}

fn bench_svg(c: &mut Criterion) {
    let chart = spc(&series(60, 9), &options()).unwrap();
    c.bench_function("monitor/svg_60_points", |b| {
        b.iter(|| render(black_box(&chart), "Referral to treatment", 800, 400));
    });
}

criterion_group!(benches, bench_spc, bench_dashboard, bench_svg);
criterion_main!(benches);
