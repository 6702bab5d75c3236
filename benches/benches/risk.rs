//! Benchmarks of risk-sharing settlement: one settlement, a batch, a scenario evaluation, and
//! the floor of the bare decimal operations one settlement needs.

#![allow(
    missing_docs,
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::arithmetic_side_effects
)]

use commissioning::model::{Decimal, Money};
use commissioning::risk::agreement::{
    Agreement, Band, Basis, GainGate, Limit, Mode, Party, PartyGroup, QualityGate, SideRule, Split,
    Threshold, Weighting,
};
use commissioning::risk::scenario::{Distribution, Outturns, evaluate};
use commissioning::risk::settle::{QualityOutcome, QualityResult, SettlementInput, settle};
use commissioning_benches::Lcg;
use criterion::{BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};
use std::hint::black_box;

/// Three bands each side, a cap and a collar, a quality gate, five parties.
fn agreement() -> Agreement {
    let pct = |p: i64| {
        Threshold::of_target(commissioning::model::Rate::from_fraction(Decimal::new(
            p, 3,
        )))
    };
    let side = |cap: &str| {
        SideRule::new(
            vec![
                Band::new(pct(10), Some(pct(30)), "0.5".parse().unwrap()),
                Band::new(pct(30), Some(pct(60)), "0.7".parse().unwrap()),
                Band::new(pct(60), None, "0.9".parse().unwrap()),
            ],
            Mode::NetOfThreshold,
        )
        .with_cap(Limit::Amount {
            amount: cap.parse().unwrap(),
        })
        .with_cap(Limit::OfTarget {
            rate: "4%".parse().unwrap(),
        })
    };
    let split = Split::new(
        PartyGroup::new(
            Weighting::FixedShares,
            vec![
                Party::new("QWO", Decimal::new(6, 1)),
                Party::new("02T", Decimal::new(4, 1)),
            ],
        ),
        PartyGroup::new(
            Weighting::ContractValue,
            vec![
                Party::new("RWY", Decimal::from(42_000_000)),
                Party::new("RXG", Decimal::from(17_500_000)),
                Party::new("8J123", Decimal::from(3_100_000)),
            ],
        ),
    );
    let mut gate = QualityGate::default();
    gate.gain = GainGate::ScaleByScore;
    Agreement::new(
        "bench",
        Basis::SharedSavings,
        Some(side("2000000.00")),
        Some(side("1500000.00")),
    )
    .with_quality(gate)
    .with_split(split)
}

fn input(outturn: Money) -> SettlementInput {
    SettlementInput::new("60000000.00".parse().unwrap(), outturn).with_quality(QualityResult::new(
        QualityOutcome::PartlyMeets,
        Some(Decimal::from(85)),
    ))
}

fn bench_one(c: &mut Criterion) {
    let a = agreement();
    let i = input("57100000.00".parse().unwrap());
    let settler = commissioning::risk::fast::Settler::new(&a).unwrap();
    c.bench_function("risk/settle_one_transfer", |b| {
        b.iter(|| settler.transfer(black_box(&i)).unwrap());
    });
    let at = settler.at_target(i.target).unwrap();
    c.bench_function("risk/settle_one_transfer_at_target", |b| {
        b.iter(|| at.transfer(black_box(&i)).unwrap());
    });
    c.bench_function("risk/settle_one", |b| {
        b.iter(|| settle(black_box(&a), black_box(&i)).unwrap());
    });
    // The floor: the checked decimal operations such a settlement performs, without the engine.
    let target: Money = "60000000.00".parse().unwrap();
    let outturn: Money = "57100000.00".parse().unwrap();
    c.bench_function("risk/decimal_floor", |b| {
        b.iter(|| {
            let v = black_box(target).checked_sub(black_box(outturn)).unwrap();
            let e1 = target.checked_mul_decimal(Decimal::new(10, 3)).unwrap();
            let e2 = target.checked_mul_decimal(Decimal::new(30, 3)).unwrap();
            let s1 = e2
                .checked_sub(e1)
                .unwrap()
                .checked_mul_decimal(Decimal::new(5, 1))
                .unwrap();
            let s2 = v
                .checked_sub(e2)
                .unwrap()
                .checked_mul_decimal(Decimal::new(7, 1))
                .unwrap();
            let g = s1
                .checked_add(s2)
                .unwrap()
                .checked_mul_decimal(Decimal::new(85, 2))
                .unwrap();
            let cap = target.checked_mul_decimal(Decimal::new(4, 2)).unwrap();
            black_box(g.min(cap).round_pence())
        });
    });
}

fn bench_batch(c: &mut Criterion) {
    let a = agreement();
    let mut rng = Lcg::new(3);
    let inputs: Vec<SettlementInput> = (0..1_000_000)
        .map(|_| {
            input(Money::from_pence(
                i64::try_from(rng.below(2_400_000_000)).unwrap() + 4_800_000_000,
            ))
        })
        .collect();
    let mut group = c.benchmark_group("risk/batch");
    group.sample_size(10);
    group.throughput(Throughput::Elements(inputs.len() as u64));
    let settler = commissioning::risk::fast::Settler::new(&a).unwrap();
    group.bench_function("1m_transfers", |b| {
        b.iter(|| {
            let mut total = Money::ZERO;
            for i in &inputs {
                total = total.checked_add(settler.transfer(i).unwrap()).unwrap();
            }
            black_box(total)
        });
    });
    // The same inputs through `transfers`, which resolves the edges once for each run of
    // inputs with one target (here all of them), at three sizes for the growth.
    for n in [10_000usize, 100_000, 1_000_000] {
        let some = inputs.get(..n).unwrap();
        group.throughput(Throughput::Elements(n as u64));
        group.bench_function(BenchmarkId::new("transfers_one_target", n), |b| {
            b.iter(|| black_box(settler.transfers(black_box(some)).unwrap()));
        });
    }
    group.throughput(Throughput::Elements(inputs.len() as u64));
    group.bench_function("1m_settlements", |b| {
        b.iter(|| {
            let mut total = Money::ZERO;
            for i in &inputs {
                total = total.checked_add(settle(&a, i).unwrap().transfer).unwrap();
            }
            black_box(total)
        });
    });
    group.finish();
}

fn bench_scenario(c: &mut Criterion) {
    let a = agreement();
    let base = input("60000000.00".parse().unwrap());
    let outturns = Outturns::Simulated {
        distribution: Distribution::Normal {
            mean: "60000000.00".parse().unwrap(),
            sd: "3000000.00".parse().unwrap(),
        },
        count: 100_000,
        seed: 42,
    };
    let mut group = c.benchmark_group("risk/scenario");
    group.sample_size(10);
    group.throughput(Throughput::Elements(100_000));
    group.bench_function("100k_outturns", |b| {
        b.iter(|| evaluate(black_box(&a), &base, &outturns).unwrap());
    });
    group.finish();
}

criterion_group!(benches, bench_one, bench_batch, bench_scenario);
criterion_main!(benches);
