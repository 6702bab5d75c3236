//! Benchmarks of priority setting: scoring, TOPSIS, AHP, the frontier, exact selection and SMAA.

#![allow(
    missing_docs,
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::arithmetic_side_effects,
    clippy::cast_precision_loss,
    clippy::cast_possible_truncation,
    clippy::cast_possible_wrap,
    clippy::indexing_slicing,
    clippy::needless_range_loop,
    clippy::semicolon_if_nothing_returned
)]

use commissioning::model::Money;
use commissioning::priority::ahp::{AhpMethod, RandomIndex, ahp};
use commissioning::priority::cea::{Strategy, calculate_icers, frontier};
use commissioning::priority::mcda::weighted_sums;
use commissioning::priority::select::{Candidate, Problem, select};
use commissioning::priority::sensitivity::{ValuedOption, smaa};
use commissioning::priority::topsis::{CriterionType, Normalisation, topsis_flat, topsis_unranked};
use commissioning_benches::Lcg;
use criterion::{BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};
use std::hint::black_box;

fn uniform(rng: &mut Lcg) -> f64 {
    rng.below(1 << 30) as f64 / f64::from(1u32 << 30)
}

fn bench_scoring(c: &mut Criterion) {
    let mut group = c.benchmark_group("priority/weighted_sum");
    group.sample_size(10);
    for n in [100_000usize, 1_000_000] {
        let mut rng = Lcg::new(1);
        let values: Vec<f64> = (0..n * 10).map(|_| uniform(&mut rng) * 100.0).collect();
        let weights: Vec<f64> = (1..=10).map(|k| k as f64 / 55.0).collect();
        let mut out = vec![0.0; n];
        group.throughput(Throughput::Elements(n as u64));
        group.bench_function(BenchmarkId::new("x10", n), |b| {
            b.iter(|| weighted_sums(black_box(&values), &weights, &mut out).unwrap())
        });
        // The memory-bandwidth floor: one vectorised pass reading the same bytes, eight
        // independent sums so that neither add latency nor the order of a serial sum limits it.
        group.bench_function(BenchmarkId::new("floor_bandwidth_x10", n), |b| {
            b.iter(|| {
                let mut lanes = [0.0f64; 8];
                for chunk in black_box(&values).as_chunks::<8>().0 {
                    for (lane, x) in lanes.iter_mut().zip(chunk) {
                        *lane += x;
                    }
                }
                lanes.iter().sum::<f64>()
            })
        });
        // The floor with the output: the same vectorised pass, and one number written for
        // each row, as a weighted sum must write it (the output's bytes are read for
        // ownership and written back, so they cost more than their size suggests).
        group.bench_function(BenchmarkId::new("floor_read_write_x10", n), |b| {
            b.iter(|| {
                let rows = black_box(&values).chunks_exact(40);
                for (four, o) in rows.zip(out.chunks_exact_mut(4)) {
                    let mut lanes = [0.0f64; 8];
                    for chunk in four.as_chunks::<8>().0 {
                        for (lane, x) in lanes.iter_mut().zip(chunk) {
                            *lane += x;
                        }
                    }
                    for (o, lane) in o.iter_mut().zip(lanes) {
                        *o = lane;
                    }
                }
                black_box(&out);
            })
        });
    }
    group.finish();
}

fn bench_topsis(c: &mut Criterion) {
    let n = 100_000usize;
    let mut rng = Lcg::new(2);
    let values: Vec<f64> = (0..n * 10)
        .map(|_| uniform(&mut rng) * 100.0 + 1.0)
        .collect();
    let weights = vec![0.1; 10];
    let types: Vec<CriterionType> = (0..10)
        .map(|j| {
            if j % 3 == 0 {
                CriterionType::Cost
            } else {
                CriterionType::Benefit
            }
        })
        .collect();
    let mut group = c.benchmark_group("priority/topsis");
    group.throughput(Throughput::Elements(n as u64));
    group.bench_function("100k_x10_vector", |b| {
        b.iter(|| {
            topsis_flat(
                black_box(&values),
                n,
                &weights,
                &types,
                Normalisation::Vector,
            )
            .unwrap()
        })
    });
    group.bench_function("100k_x10_vector_unranked", |b| {
        b.iter(|| {
            topsis_unranked(
                black_box(&values),
                n,
                &weights,
                &types,
                Normalisation::Vector,
            )
            .unwrap()
        })
    });
    // Growth: the unranked closeness at a tenth and ten times the size.
    for rows in [10_000usize, 1_000_000] {
        let mut rng = Lcg::new(5);
        let values: Vec<f64> = (0..rows * 10)
            .map(|_| uniform(&mut rng) * 100.0 + 1.0)
            .collect();
        group.throughput(Throughput::Elements(rows as u64));
        group.bench_function(BenchmarkId::new("x10_vector_unranked", rows), |b| {
            b.iter(|| {
                topsis_unranked(
                    black_box(&values),
                    rows,
                    &weights,
                    &types,
                    Normalisation::Vector,
                )
                .unwrap()
            })
        });
    }
    group.throughput(Throughput::Elements(n as u64));
    group.bench_function("100k_x10_minmax_unranked", |b| {
        b.iter(|| {
            topsis_unranked(
                black_box(&values),
                n,
                &weights,
                &types,
                Normalisation::MinMax,
            )
            .unwrap()
        })
    });
    group.finish();
}

fn bench_ahp(c: &mut Criterion) {
    let n = 15;
    let mut rng = Lcg::new(3);
    let mut m = vec![vec![1.0; n]; n];
    for i in 0..n {
        for j in i + 1..n {
            let v = (rng.below(9) + 1) as f64;
            let v = if rng.below(2) == 0 { v } else { 1.0 / v };
            m[i][j] = v;
            m[j][i] = 1.0 / v;
        }
    }
    c.bench_function("priority/ahp_15x15_eigenvector", |b| {
        b.iter(|| {
            ahp(
                black_box(&m),
                AhpMethod::Eigenvector,
                RandomIndex::Saaty1980,
            )
            .unwrap()
        })
    });
}

fn bench_frontier(c: &mut Criterion) {
    let mut group = c.benchmark_group("priority/frontier");
    group.sample_size(10);
    for n in [1_000usize, 100_000, 1_000_000] {
        let mut rng = Lcg::new(4);
        let s: Vec<Strategy> = (0..n)
            .map(|i| {
                Strategy::new(
                    format!("S{i}"),
                    Money::from_pence(rng.below(10_000_000_000) as i64),
                    uniform(&mut rng) * 20.0,
                )
            })
            .collect();
        group.throughput(Throughput::Elements(n as u64));
        group.bench_function(BenchmarkId::new("table", n), |b| {
            b.iter(|| calculate_icers(black_box(&s)).unwrap())
        });
        group.bench_function(BenchmarkId::new("positions", n), |b| {
            b.iter(|| frontier(black_box(&s)).unwrap())
        });
    }
    group.finish();
}

fn bench_select(c: &mut Criterion) {
    let mut group = c.benchmark_group("priority/exact_selection");
    group.sample_size(10);
    for n in [40usize, 60] {
        let mut rng = Lcg::new(5);
        let cands: Vec<Candidate> = (0..n)
            .map(|i| {
                Candidate::new(
                    format!("O{i:02}"),
                    Money::from_pounds(rng.below(300_000) as i64 + 10_000),
                    (rng.below(400) as f64 + 1.0) / 10.0,
                )
            })
            .collect();
        let p = Problem::new(Money::from_pounds(2_500_000), cands);
        group.bench_function(BenchmarkId::from_parameter(n), |b| {
            b.iter(|| select(black_box(&p)).unwrap())
        });
    }
    group.finish();
}

fn bench_smaa(c: &mut Criterion) {
    let mut rng = Lcg::new(6);
    let options: Vec<ValuedOption> = (0..20)
        .map(|i| {
            ValuedOption::new(
                format!("O{i}"),
                (0..6).map(|_| uniform(&mut rng) * 100.0).collect(),
            )
        })
        .collect();
    let mut group = c.benchmark_group("priority/smaa");
    group.sample_size(10);
    group.bench_function("10k_samples_20x6", |b| {
        b.iter(|| smaa(black_box(&options), 10_000, 42).unwrap())
    });
    group.finish();
}

criterion_group!(
    benches,
    bench_scoring,
    bench_topsis,
    bench_ahp,
    bench_frontier,
    bench_select,
    bench_smaa
);
criterion_main!(benches);
