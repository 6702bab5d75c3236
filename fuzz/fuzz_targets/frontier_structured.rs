//! Structured input: strategies from arbitrary numbers (including NaN and infinities). No
//! panic; on success the frontier's ICERs never fall.
#![no_main]

use arbitrary::{Arbitrary, Unstructured};
use commissioning::model::Money;
use commissioning::priority::cea::{Status, Strategy, calculate_icers};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let mut u = Unstructured::new(data);
    let Ok(points) = Vec::<(i64, f64)>::arbitrary(&mut u) else { return };
    let strategies: Vec<Strategy> = points.iter().enumerate().map(|(i, (c, e))| Strategy::new(format!("S{i}"), Money::from_pence(*c), *e)).collect();
    if let Ok(rows) = calculate_icers(&strategies) {
        let icers: Vec<f64> = rows.iter().filter(|r| r.status == Status::NonDominated).filter_map(|r| r.icer).collect();
        assert!(icers.windows(2).all(|w| w[1] >= w[0] || w[0].is_nan() || w[1].is_nan()));
    }
});
