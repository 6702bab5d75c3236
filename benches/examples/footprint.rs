//! Peak memory of the 1,000,000-item workloads, one per process:
//!
//! ```text
//! for w in variance transfers weighted_sum frontier_positions frontier_table; do
//!     cargo run --release -q --example footprint -- $w
//! done
//! ```
//!
//! Prints the peak resident set (`VmHWM` from `/proc/self/status`) after building the input
//! and after running the workload once.

#![allow(
    clippy::print_stdout,
    clippy::print_stderr,
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::cast_precision_loss,
    clippy::cast_possible_wrap,
    clippy::arithmetic_side_effects
)]

use commissioning::model::activity::compare;
use commissioning::model::period::FyMonth;
use commissioning::model::{Decimal, Money, Rounding};
use commissioning::priority::cea::{Strategy, calculate_icers, frontier};
use commissioning::priority::mcda::weighted_sums;
use commissioning::risk::agreement::{Agreement, Band, Basis, Mode, SideRule, Threshold};
use commissioning::risk::fast::Settler;
use commissioning::risk::settle::SettlementInput;
use commissioning_benches::{Lcg, activity};
use std::hint::black_box;
use std::process::ExitCode;

fn peak_kib() -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmHWM:"))
                .and_then(|l| l.split_whitespace().nth(1))
                .and_then(|v| v.parse().ok())
        })
        .unwrap_or(0)
}

fn main() -> ExitCode {
    let workload = std::env::args().nth(1).unwrap_or_default();
    let mut rng = Lcg::new(9);
    let report = |label: &str, before: u64| {
        let after = peak_kib();
        println!(
            "{workload}: peak {:.1} MiB after the input, {:.1} MiB after {label}",
            before as f64 / 1024.0,
            after as f64 / 1024.0
        );
    };
    match workload.as_str() {
        "variance" => {
            let (plan, actual) = activity(16_667, 11).unwrap();
            let before = peak_kib();
            black_box(
                compare(
                    &plan,
                    &actual,
                    FyMonth::try_new(6).unwrap(),
                    Rounding::HalfUp,
                )
                .unwrap(),
            );
            report("the variance of 1,000,020 entries a side", before);
        }
        "transfers" => {
            let side = SideRule::new(
                vec![Band::new(
                    Threshold::of_target("1%".parse().unwrap()),
                    None,
                    "0.5".parse().unwrap(),
                )],
                Mode::NetOfThreshold,
            );
            let a = Agreement::new("m", Basis::SharedSavings, Some(side.clone()), Some(side));
            let inputs: Vec<SettlementInput> = (0..1_000_000)
                .map(|_| {
                    SettlementInput::new(
                        Money::from_pounds(60_000_000),
                        Money::from_pence(rng.below(2_400_000_000) as i64 + 4_800_000_000),
                    )
                })
                .collect();
            let before = peak_kib();
            let s = Settler::new(&a).unwrap();
            black_box(s.transfers(&inputs).unwrap());
            report("1,000,000 settlements", before);
        }
        "weighted_sum" => {
            let values: Vec<f64> = (0..10_000_000).map(|_| rng.below(1 << 30) as f64).collect();
            let weights = vec![0.1; 10];
            let before = peak_kib();
            let mut out = vec![0.0; 1_000_000];
            weighted_sums(&values, &weights, &mut out).unwrap();
            black_box(&out);
            report("scoring 1,000,000 × 10", before);
        }
        "frontier_positions" | "frontier_table" => {
            let s: Vec<Strategy> = (0..1_000_000)
                .map(|i| {
                    Strategy::new(
                        format!("S{i}"),
                        Money::from_pence(rng.below(10_000_000_000) as i64),
                        rng.below(1 << 30) as f64 / 1e8,
                    )
                })
                .collect();
            let before = peak_kib();
            if workload == "frontier_table" {
                black_box(calculate_icers(&s).unwrap());
            } else {
                black_box(frontier(&s).unwrap());
            }
            report("the frontier of 1,000,000 strategies", before);
        }
        _ => {
            eprintln!(
                "workloads: variance, transfers, weighted_sum, frontier_positions, frontier_table"
            );
            let _ = Decimal::ZERO;
            return ExitCode::from(2);
        }
    }
    ExitCode::SUCCESS
}
