//! Structured documents for the command: a settlement, a selection of up to thousands of
//! candidates, a funnel and a peer search built from arbitrary values, run through
//! `commissioning_cli::run`. Exit 0 or 2 only; a success must be valid JSON with no `null`
//! where a number was expected.
#![no_main]

use arbitrary::Arbitrary;
use libfuzzer_sys::fuzz_target;
use serde_json::{Value, json};

#[derive(Arbitrary, Debug)]
enum Doc {
    Settle { target: i64, outturn: i64, rate: u16, from: u16, cap: Option<i64>, mode: bool },
    Select { budget: i64, candidates: Vec<(i32, i16, u8)>, max_nodes: Option<u32> },
    Funnel { units: Vec<(u16, u32)>, proportion: bool, cqc: bool, trim: u8, overdispersion: bool },
    Peers { units: Vec<[u16; 3]>, k: u8 },
}

fn money(pence: i64) -> String {
    format!("{}.{:02}", pence / 100, (pence % 100).abs())
}

fn document(d: &Doc) -> (&'static str, Value) {
    match d {
        Doc::Settle { target, outturn, rate, from, cap, mode } => {
            let mut side = json!({
                "mode": if *mode { "first_dollar" } else { "net_of_threshold" },
                "bands": [{"from": {"kind": "of_target", "rate": format!("{}%", from % 100)}, "rate": format!("0.{:04}", rate % 10_000)}],
            });
            if let Some(c) = cap {
                side["caps"] = json!([{"kind": "amount", "amount": money(c.unsigned_abs().min(1 << 50) as i64)}]);
            }
            ("settle", json!({
                "kind": "single",
                "agreement": {"name": "fuzz", "basis": "shared_savings", "gain": side.clone(), "loss": side},
                "input": {"target": money(*target), "outturn": money(*outturn)},
            }))
        }
        Doc::Select { budget, candidates, max_nodes } => {
            let c: Vec<Value> = candidates
                .iter()
                .take(4_000)
                .enumerate()
                .map(|(i, (cost, benefit, group))| {
                    json!({"id": format!("c{i}"), "cost": money(i64::from(*cost)), "benefit": benefit, "group": format!("g{}", group % 8)})
                })
                .collect();
            let mut doc = json!({"budget": money(*budget), "candidates": c});
            if let Some(m) = max_nodes {
                doc["max_nodes"] = json!(m);
            }
            ("select", doc)
        }
        Doc::Funnel { units, proportion, cqc, trim, overdispersion } => {
            let u: Vec<Value> = units
                .iter()
                .take(2_000)
                .enumerate()
                .map(|(i, (o, d))| json!({"id": format!("u{i}"), "numerator": o, "denominator": f64::from(*d) / 100.0}))
                .collect();
            ("funnel", json!({
                "units": u,
                "data_type": if *proportion { "PR" } else { "SR" },
                "sr_method": if *cqc { "CQC" } else { "SHMI" },
                "trim_by": format!("0.{:02}", trim % 60),
                "overdispersion": overdispersion,
            }))
        }
        Doc::Peers { units, k } => {
            let u: Vec<Value> = units
                .iter()
                .take(500)
                .enumerate()
                .map(|(i, v)| json!({"id": format!("p{i}"), "values": v}))
                .collect();
            ("peers", json!({"variables": ["a", "b", "c"], "units": u, "k": k}))
        }
    }
}

fuzz_target!(|d: Doc| {
    let (command, doc) = document(&d);
    let text = serde_json::to_vec(&doc).unwrap_or_default();
    let (mut out, mut err) = (Vec::new(), Vec::new());
    let code = commissioning_cli::run(["commissioning", command, "-"], &mut &text[..], &mut out, &mut err);
    assert!(code == 0 || code == 2, "exit {code}: {}", String::from_utf8_lossy(&err));
    if code == 0 {
        let v: Value = serde_json::from_slice(&out).expect("a success is valid JSON");
        assert!(!v.is_null());
    }
});
