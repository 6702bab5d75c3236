//! Benchmarks of comparison with peers: funnel plots with overdispersion, exact Poisson limits,
//! similar-k peer groups at the scale of every GP practice in England, and the chart.

#![allow(
    missing_docs,
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::arithmetic_side_effects,
    clippy::cast_precision_loss
)]

use commissioning::compare::funnel::{FunnelInput, FunnelUnit, funnel};
use commissioning::compare::peers::{PeerInput, PeerUnit, similar};
use commissioning::compare::svg::{FunnelChart, render};
use commissioning_benches::Lcg;
use criterion::{BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};
use std::hint::black_box;

/// `n` units with denominators from 50 to 50,000 and rates around 12%, each distinct.
fn proportion_units(n: usize, seed: u64) -> Vec<FunnelUnit> {
    let mut rng = Lcg::new(seed);
    (0..n)
        .map(|i| {
            let d = 50.0 + rng.below(49_951) as f64;
            let p = 0.08 + rng.below(8_001) as f64 / 100_000.0;
            FunnelUnit::new(format!("u{i}"), (d * p).round(), d)
        })
        .collect()
}

/// `n` units with distinct expected counts from 5 to 5,000 and ratios around 1.
fn ratio_units(n: usize, seed: u64) -> Vec<FunnelUnit> {
    let mut rng = Lcg::new(seed);
    (0..n)
        .map(|i| {
            let e = 5.0 + rng.below(4_995_000) as f64 / 1000.0 + i as f64 * 1e-7;
            let r = 0.8 + rng.below(40_001) as f64 / 100_000.0;
            FunnelUnit::new(format!("u{i}"), (e * r).round(), e)
        })
        .collect()
}

fn bench_funnel(c: &mut Criterion) {
    let mut group = c.benchmark_group("compare/funnel_proportions_overdispersed");
    for n in [1_000usize, 100_000] {
        let input = FunnelInput::proportions(proportion_units(n, 3));
        group.throughput(Throughput::Elements(n as u64));
        group.sample_size(if n >= 100_000 { 20 } else { 50 });
        group.bench_function(BenchmarkId::from_parameter(n), |b| {
            b.iter(|| funnel(black_box(&input)).unwrap());
        });
    }
    group.finish();

    let mut group = c.benchmark_group("compare/funnel_ratios_exact_poisson");
    for n in [1_000usize, 100_000] {
        let mut input = FunnelInput::ratios(ratio_units(n, 4));
        input.shmi_rounding = false;
        input.overdispersion = false;
        group.throughput(Throughput::Elements(n as u64));
        group.sample_size(10);
        group.bench_function(BenchmarkId::from_parameter(n), |b| {
            b.iter(|| funnel(black_box(&input)).unwrap());
        });
    }
    group.finish();
}

/// `n` areas described by `v` variables, like GP practices' list sizes, deprivation and age.
fn areas(n: usize, v: usize, seed: u64) -> (Vec<String>, Vec<PeerUnit>) {
    let mut rng = Lcg::new(seed);
    let variables = (0..v).map(|j| format!("x{j}")).collect();
    let units = (0..n)
        .map(|i| {
            let values = (0..v)
                .map(|j| rng.below(100_000) as f64 / (1.0 + j as f64))
                .collect();
            PeerUnit::new(format!("P{i:05}"), values)
        })
        .collect();
    (variables, units)
}

fn bench_peers(c: &mut Criterion) {
    let mut group = c.benchmark_group("compare/similar_10");
    for n in [700usize, 7_000] {
        let (variables, units) = areas(n, 12, 9);
        let input = PeerInput::new(variables, units, 10);
        group.throughput(Throughput::Elements(n as u64));
        group.sample_size(10);
        group.bench_function(BenchmarkId::new("12_variables", n), |b| {
            b.iter(|| similar(black_box(&input)).unwrap());
        });
    }
    group.finish();
}

fn bench_svg(c: &mut Criterion) {
    let input = FunnelInput::ratios(ratio_units(200, 5));
    let f = funnel(&input).unwrap();
    let chart = FunnelChart::new("Mortality by trust");
    c.bench_function("compare/funnel_svg/200", |b| {
        b.iter(|| render(black_box(&f), &chart));
    });
}

criterion_group!(benches, bench_funnel, bench_peers, bench_svg);
criterion_main!(benches);
