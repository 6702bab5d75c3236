//! Benchmarks of the domain model: instalments, allocation and plan-against-actual variance.

#![allow(missing_docs, clippy::unwrap_used, clippy::expect_used)]

use commissioning::model::activity::compare;
use commissioning::model::period::FyMonth;
use commissioning::model::{Money, Rounding, allocate, instalments};
use commissioning_benches::{activity, weights};
use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use std::hint::black_box;

fn bench_instalments(c: &mut Criterion) {
    let annual: Money = "1000000.00".parse().unwrap();
    c.bench_function("model/instalments_12", |b| {
        b.iter(|| instalments(black_box(annual), 12, Rounding::HalfUp).unwrap());
    });
}

fn bench_allocation(c: &mut Criterion) {
    let total: Money = "12345678.91".parse().unwrap();
    let mut group = c.benchmark_group("model/allocate");
    for n in [10usize, 10_000] {
        let w = weights(n, 7);
        group.throughput(Throughput::Elements(n as u64));
        group.bench_function(format!("{n}_parties"), |b| {
            b.iter(|| allocate(black_box(total), black_box(&w), Rounding::HalfUp).unwrap());
        });
    }
    group.finish();
}

fn bench_variance(c: &mut Criterion) {
    // 16,667 lines × 5 points of delivery × 12 months ≈ 1,000,000 entries on each side.
    let (plan, actual) = activity(16_667, 11).unwrap();
    let month = FyMonth::try_new(6).unwrap();
    let mut group = c.benchmark_group("model/variance");
    group.sample_size(10);
    group.throughput(Throughput::Elements(plan.entries().len() as u64));
    group.bench_function("1m_activity_lines", |b| {
        b.iter(|| {
            compare(
                black_box(&plan),
                black_box(&actual),
                month,
                Rounding::HalfUp,
            )
            .unwrap()
        });
    });
    group.finish();
}

/// Reading an amount from its text and writing its text, as the command does for every
/// amount of a document and a result.
fn bench_money_text(c: &mut Criterion) {
    let mut group = c.benchmark_group("model/money_text");
    group.bench_function("read_1078.19", |b| {
        b.iter(|| black_box("1078.19").parse::<Money>().unwrap());
    });
    group.bench_function("read_£1,234,567.89", |b| {
        b.iter(|| Money::parse_field("x", black_box("£1,234,567.89")).unwrap());
    });
    let amount: Money = "26898.53".parse().unwrap();
    group.bench_function("write_26898.53", |b| {
        let mut buf = [0u8; commissioning::model::money::PLAIN_TEXT_MAX];
        b.iter(|| black_box(amount).plain_text(&mut buf).len());
    });
    group.finish();
}

criterion_group!(
    benches,
    bench_instalments,
    bench_allocation,
    bench_variance,
    bench_money_text
);
criterion_main!(benches);
