//! Arbitrary bytes as a `select` document. Nothing may panic; a selection stays in budget.
#![no_main]

use commissioning::priority::select::{Problem, select};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(mut p) = serde_json::from_slice::<Problem>(data) else { return };
    // Keep each run short: the node limit bounds the exact search.
    p.max_nodes = Some(p.max_nodes.unwrap_or(100_000).min(100_000));
    if let Ok(s) = select(&p) {
        assert!(s.exact.cost <= p.budget);
        // The league table ignores disinvestments, so under a savings target (a negative
        // budget) it may not fit; when it fits, the exact choice is at least as good.
        if s.greedy.cost <= p.budget {
            assert!(s.exact.benefit >= s.greedy.benefit);
        }
    }
});
