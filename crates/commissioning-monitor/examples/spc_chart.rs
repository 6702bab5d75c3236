//! Draws an SPC chart of an illustrative monthly series and writes it as SVG.
//!
//! ```text
//! cargo run -p commissioning-monitor --example spc_chart [out.svg]
//! ```

#![allow(
    clippy::print_stdout,
    clippy::print_stderr,
    clippy::arithmetic_side_effects
)]

use chrono::NaiveDate;
use commissioning_monitor::spc::{Improvement, Observation, SpcOptions, spc};
use commissioning_monitor::svg::render;
use std::process::ExitCode;

/// Illustrative: the share of stroke patients scanned within an hour, by month, before and
/// after a pathway change in month 19.
const VALUES: [f64; 30] = [
    71.0, 74.5, 69.8, 72.2, 75.1, 70.4, 73.3, 68.9, 72.7, 74.0, 71.6, 69.5, 73.8, 72.1, 70.2, 74.4,
    71.9, 72.8, 78.5, 79.2, 80.4, 78.9, 81.3, 79.7, 80.8, 82.1, 79.9, 81.5, 80.2, 82.6,
];

fn main() -> ExitCode {
    let out = std::env::args()
        .nth(1)
        .unwrap_or_else(|| "spc-chart.svg".to_owned());
    let series: Vec<Observation> = VALUES
        .iter()
        .enumerate()
        .filter_map(|(i, v)| {
            let month = u32::try_from(i).ok()?;
            let (year, m) = (
                2023 + i32::try_from((month + 3) / 12).ok()?,
                (month + 3) % 12 + 1,
            );
            Some(Observation::dated(NaiveDate::from_ymd_opt(year, m, 1)?, *v))
        })
        .collect();
    let mut options = SpcOptions::default();
    options.improvement = Improvement::Increase;
    options.target = Some(80.0);
    let chart = match spc(&series, &options) {
        Ok(c) => c,
        Err(e) => {
            eprintln!("{e}");
            return ExitCode::from(2);
        }
    };
    let svg = render(
        &chart,
        "Stroke patients scanned within 1 hour (%), illustrative",
        800,
        400,
    );
    if let Err(e) = std::fs::write(&out, svg) {
        eprintln!("cannot write {out}: {e}");
        return ExitCode::from(1);
    }
    println!(
        "wrote {out}: variation {:?}, assurance {:?}",
        chart.variation, chart.assurance
    );
    ExitCode::SUCCESS
}
