//! Arbitrary bytes as a `frontier` document. Nothing may panic; every strategy gets a row.
#![no_main]

use commissioning::priority::cea::{Strategy, calculate_icers};
use libfuzzer_sys::fuzz_target;

#[derive(serde::Deserialize)]
struct Doc {
    strategies: Vec<Strategy>,
}

fuzz_target!(|data: &[u8]| {
    let Ok(doc) = serde_json::from_slice::<Doc>(data) else { return };
    if let Ok(rows) = calculate_icers(&doc.strategies) {
        assert_eq!(rows.len(), doc.strategies.len());
    }
});
