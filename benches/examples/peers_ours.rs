//! Our side of the peer comparison (`benches/peers/compare`): reads the shared matrix, times
//! TOPSIS and the weighted sum, and writes the scores for the comparison.
//!
//! ```text
//! cargo run --release --example peers-ours -- DATA OUT
//! ```
//! DATA holds two little-endian `u64` (rows, columns) and then the matrix as `f64`, row by
//! row. Weights are `(j + 1) / Σ` and every third criterion (from the first) is a cost, as the
//! other sides assume. OUT receives the scores as `f64` in the order the timings are printed.

#![allow(
    clippy::print_stdout,
    clippy::print_stderr,
    clippy::cast_possible_truncation,
    clippy::cast_precision_loss,
    clippy::arithmetic_side_effects,
    clippy::indexing_slicing
)]

use commissioning::priority::mcda::{column_extremes, linear_scores};
use commissioning::priority::topsis::{CriterionType, Normalisation, topsis_flat, topsis_unranked};
use std::hint::black_box;
use std::process::ExitCode;
use std::time::Instant;

fn median_ms(mut f: impl FnMut() -> Vec<f64>, reps: usize) -> (f64, Vec<f64>) {
    let mut times = Vec::with_capacity(reps);
    let mut out = Vec::new();
    for _ in 0..reps {
        let t = Instant::now();
        out = black_box(f());
        times.push(t.elapsed().as_secs_f64() * 1e3);
    }
    times.sort_by(f64::total_cmp);
    (times[times.len() / 2], out)
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().collect();
    let (Some(data), Some(out)) = (args.get(1), args.get(2)) else {
        eprintln!("usage: peers-ours DATA OUT");
        return ExitCode::from(2);
    };
    let bytes = match std::fs::read(data) {
        Ok(b) => b,
        Err(e) => {
            eprintln!("cannot read {data}: {e}");
            return ExitCode::from(1);
        }
    };
    let word = |i: usize| u64::from_le_bytes(bytes[i * 8..i * 8 + 8].try_into().unwrap_or([0; 8]));
    let (rows, cols) = (word(0) as usize, word(1) as usize);
    let values: Vec<f64> = (0..rows * cols)
        .map(|k| f64::from_le_bytes(bytes[16 + k * 8..24 + k * 8].try_into().unwrap_or([0; 8])))
        .collect();
    let total: f64 = (1..=cols).map(|j| j as f64).sum();
    let weights: Vec<f64> = (1..=cols).map(|j| j as f64 / total).collect();
    let types: Vec<CriterionType> = (0..cols)
        .map(|j| {
            if j % 3 == 0 {
                CriterionType::Cost
            } else {
                CriterionType::Benefit
            }
        })
        .collect();
    let reps = 21;

    let (t_vec, c_vec) = median_ms(
        || {
            topsis_unranked(&values, rows, &weights, &types, Normalisation::Vector)
                .map(|r| r.closeness)
                .unwrap_or_default()
        },
        reps,
    );
    let (t_vec_ranked, _) = median_ms(
        || {
            topsis_flat(&values, rows, &weights, &types, Normalisation::Vector)
                .map(|r| r.closeness)
                .unwrap_or_default()
        },
        reps,
    );
    let (t_mm, c_mm) = median_ms(
        || {
            topsis_unranked(&values, rows, &weights, &types, Normalisation::MinMax)
                .map(|r| r.closeness)
                .unwrap_or_default()
        },
        reps,
    );
    // Weighted sum of min–max values (linear value functions between each column's extremes):
    // one pass for the extremes, one for the scores, on the 0–1 scale the peers use.
    let (t_wsm, s_wsm) = median_ms(
        || {
            let extremes = column_extremes(&values, cols).unwrap_or_default();
            let ranges: Vec<(f64, f64)> = (0..cols)
                .map(|j| {
                    let (lo, hi) = extremes[j];
                    if types[j] == CriterionType::Cost {
                        (hi, lo)
                    } else {
                        (lo, hi)
                    }
                })
                .collect();
            let mut scores = linear_scores(&values, rows, &ranges, &weights).unwrap_or_default();
            for s in &mut scores {
                *s /= 100.0;
            }
            scores
        },
        reps,
    );
    let mut buf = Vec::with_capacity((c_vec.len() + c_mm.len() + s_wsm.len()) * 8);
    for x in c_vec.iter().chain(&c_mm).chain(&s_wsm) {
        buf.extend_from_slice(&x.to_le_bytes());
    }
    if let Err(e) = std::fs::write(out, buf) {
        eprintln!("cannot write {out}: {e}");
        return ExitCode::from(1);
    }
    println!(
        "{{\"topsis_vector_ms\": {t_vec}, \"topsis_vector_ranked_ms\": {t_vec_ranked}, \"topsis_minmax_ms\": {t_mm}, \"wsm_minmax_ms\": {t_wsm}}}"
    );
    ExitCode::SUCCESS
}
