//! Arbitrary bytes as a `score` document. Nothing may panic; scores must be finite.
#![no_main]

use commissioning::priority::mcda::{Alternative, Criterion, score};
use libfuzzer_sys::fuzz_target;

#[derive(serde::Deserialize)]
struct Doc {
    criteria: Vec<Criterion>,
    options: Vec<Alternative>,
}

fuzz_target!(|data: &[u8]| {
    let Ok(doc) = serde_json::from_slice::<Doc>(data) else { return };
    if let Ok(s) = score(&doc.criteria, &doc.options) {
        assert!(s.options.iter().all(|o| o.score.is_finite()));
    }
});
