//! The Rust side of the Python package's benchmark (`benches/python/bench.py`): the library
//! called in-process on the same generated data, for the Python call to be compared with.
//!
//! ```text
//! cargo run --release --example python-baseline -- 10000 100000 1000000
//! ```
//! For each row count prints one JSON line: the median milliseconds of `funnel` on that many
//! units and of `spc` on that many points in series of 36, building the library's inputs from
//! plain vectors included (as the Python call builds them from Arrow columns).

#![allow(
    clippy::print_stdout,
    clippy::print_stderr,
    clippy::cast_precision_loss,
    clippy::arithmetic_side_effects,
    clippy::cast_possible_truncation
)]

use commissioning::compare::funnel::{FunnelInput, FunnelUnit, funnel};
use commissioning::document::DocumentError;
use commissioning::document::table::{self, Columns};
use commissioning::monitor::spc::{Observation, SpcOptions, spc};
use std::hint::black_box;
use std::process::ExitCode;
use std::time::Instant;

/// The points of a series, as `bench.py` generates them.
const SERIES: usize = 36;

/// Unit `i`'s expected and observed counts, as `bench.py` generates them.
fn unit(i: usize) -> (f64, f64) {
    let expected = 50.0 + ((i * 7919) % 1000) as f64;
    let observed = (expected * (0.8 + 0.4 * (((i * 104_729) % 1000) as f64) / 1000.0)).round();
    (observed, expected)
}

/// Point `i`'s value, as `bench.py` generates it.
fn point(i: usize) -> f64 {
    50.0 + 10.0 * ((i % SERIES) as f64 * 0.3).sin() + (((i * 7919) % 100) as f64) / 10.0
}

/// A table held as plain vectors, for the document layer's table functions without Arrow.
struct Plain {
    text: Vec<(&'static str, Vec<Option<String>>)>,
    numbers: Vec<(&'static str, Vec<Option<f64>>)>,
    rows: usize,
}

impl Columns for Plain {
    fn rows(&self) -> usize {
        self.rows
    }
    fn has(&self, column: &str) -> bool {
        self.text.iter().any(|(n, _)| *n == column)
            || self.numbers.iter().any(|(n, _)| *n == column)
    }
    fn floats(&self, column: &str) -> Result<Vec<Option<f64>>, DocumentError> {
        self.numbers
            .iter()
            .find(|(n, _)| *n == column)
            .map(|(_, v)| v.clone())
            .ok_or_else(|| DocumentError::input(column, "no such column"))
    }
    fn texts(&self, column: &str) -> Result<Vec<Option<String>>, DocumentError> {
        self.text
            .iter()
            .find(|(n, _)| *n == column)
            .map(|(_, v)| v.clone())
            .ok_or_else(|| DocumentError::input(column, "no such column"))
    }
}

fn median_ms(mut f: impl FnMut() -> usize, reps: usize) -> f64 {
    let mut times: Vec<f64> = (0..reps)
        .map(|_| {
            let t = Instant::now();
            black_box(f());
            t.elapsed().as_secs_f64() * 1e3
        })
        .collect();
    times.sort_by(f64::total_cmp);
    times.get(times.len() / 2).copied().unwrap_or(f64::NAN)
}

fn main() -> ExitCode {
    let sizes: Vec<usize> = std::env::args()
        .skip(1)
        .filter_map(|a| a.parse().ok())
        .collect();
    if sizes.is_empty() {
        eprintln!("usage: python-baseline ROWS...");
        return ExitCode::from(2);
    }
    for n in sizes {
        let reps = if n >= 1_000_000 { 5 } else { 11 };
        let ids: Vec<String> = (0..n).map(|i| format!("U{i}")).collect();
        let counts: Vec<(f64, f64)> = (0..n).map(unit).collect();
        let funnel_ms = median_ms(
            || {
                let units = ids
                    .iter()
                    .zip(&counts)
                    .map(|(id, (o, e))| FunnelUnit::new(id.clone(), *o, *e))
                    .collect();
                funnel(&FunnelInput::ratios(units)).map_or(0, |f| f.units.len())
            },
            reps,
        );
        let values: Vec<f64> = (0..n).map(point).collect();
        let options = SpcOptions::default();
        let spc_ms = median_ms(
            || {
                values
                    .chunks(SERIES)
                    .map(|s| {
                        let series: Vec<Observation> =
                            s.iter().map(|v| Observation::new(*v)).collect();
                        spc(&series, &options).map_or(0, |c| c.points.len())
                    })
                    .sum()
            },
            reps,
        );
        let plain = Plain {
            text: vec![
                ("unit", ids.iter().cloned().map(Some).collect()),
                (
                    "series",
                    (0..n).map(|i| Some((i / SERIES).to_string())).collect(),
                ),
            ],
            numbers: vec![
                ("observed", counts.iter().map(|c| Some(c.0)).collect()),
                ("expected", counts.iter().map(|c| Some(c.1)).collect()),
                ("value", values.iter().copied().map(Some).collect()),
            ],
            rows: n,
        };
        let layer_funnel_ms = median_ms(
            || {
                let options =
                    r#"{"numerator": "observed", "denominator": "expected", "id": "unit"}"#;
                table::run("funnel", &plain, options).map_or(0, |t| t.rows.len())
            },
            reps,
        );
        let layer_spc_ms = median_ms(
            || {
                let options = r#"{"value": "value", "facet": "series"}"#;
                table::run("spc", &plain, options).map_or(0, |t| t.rows.len())
            },
            reps,
        );
        println!(
            "{{\"rows\": {n}, \"funnel_ms\": {funnel_ms:.3}, \"spc_ms\": {spc_ms:.3}, \"layer_funnel_ms\": {layer_funnel_ms:.3}, \"layer_spc_ms\": {layer_spc_ms:.3}}}"
        );
    }
    ExitCode::SUCCESS
}
