//! Every case of the shared `compare/` vectors, at each file's stated tolerance.

use commissioning_compare::CompareError;
use commissioning_compare::funnel::{FunnelInput, funnel};
use commissioning_compare::opportunity::{OpportunityInput, opportunity};
use commissioning_compare::peers::{PeerInput, similar};
use commissioning_compare::rates::{
    DsrInput, ProportionInput, RatioInput, directly_standardised_rate, proportion,
    standardised_ratio,
};
use commissioning_compare::significance::{SignificanceInput, significance};
use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::Value;

struct Tolerance {
    relative: bool,
    value: f64,
}

fn tolerance(v: &Value) -> Tolerance {
    Tolerance {
        relative: v["kind"].as_str().unwrap() == "relative",
        value: v["value"].as_f64().unwrap(),
    }
}

/// Compares an expected JSON value with the actual one: numbers within the tolerance, all else
/// exactly; every expected key must be present.
fn compare(path: &str, want: &Value, got: &Value, tol: &Tolerance) {
    match (want, got) {
        (Value::Number(w), Value::Number(g)) => {
            let (w, g) = (w.as_f64().unwrap(), g.as_f64().unwrap());
            let bound = if tol.relative {
                tol.value * w.abs().max(1.0)
            } else {
                tol.value
            };
            assert!(
                (w - g).abs() <= bound,
                "{path}: expected {w}, got {g} (difference {})",
                (w - g).abs()
            );
        }
        (Value::Object(w), Value::Object(g)) => {
            for (k, wv) in w {
                let gv = g
                    .get(k)
                    .unwrap_or_else(|| panic!("{path}.{k}: missing from the result"));
                compare(&format!("{path}.{k}"), wv, gv, tol);
            }
        }
        (Value::Array(w), Value::Array(g)) => {
            assert_eq!(w.len(), g.len(), "{path}: length");
            for (i, (wv, gv)) in w.iter().zip(g).enumerate() {
                compare(&format!("{path}[{i}]"), wv, gv, tol);
            }
        }
        _ => assert_eq!(want, got, "{path}"),
    }
}

/// Runs every case of a file through `run`, checking results and error classes; returns the
/// number of cases.
fn check<I: DeserializeOwned, O: Serialize>(
    file: &str,
    run: impl Fn(&I) -> Result<O, CompareError>,
) -> usize {
    let path = format!("{}/tests/vectors/{file}", env!("CARGO_MANIFEST_DIR"));
    let doc: Value = serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
    let file_tol = tolerance(&doc["tolerance"]);
    let cases = doc["cases"].as_array().unwrap();
    for case in cases {
        let id = case["id"].as_str().unwrap();
        let tol = case
            .get("tolerance")
            .map_or_else(|| file_tol.clone(), tolerance);
        let expected = &case["expected"];
        let parsed: Result<I, _> = serde_json::from_value(case["input"].clone());
        let result = parsed
            .map_err(|e| ("invalid_input".to_owned(), e.to_string()))
            .and_then(|input| run(&input).map_err(|e| (e.kind().to_owned(), e.to_string())));
        match (expected.get("error"), result) {
            (Some(kind), Err((got, message))) => {
                assert_eq!(kind.as_str().unwrap(), got, "{id}: error class ({message})");
            }
            (Some(kind), Ok(_)) => panic!("{id}: expected the error {kind}, got a result"),
            (None, Err((kind, message))) => panic!("{id}: unexpected {kind}: {message}"),
            (None, Ok(out)) => compare(id, expected, &serde_json::to_value(&out).unwrap(), &tol),
        }
    }
    cases.len()
}

impl Clone for Tolerance {
    fn clone(&self) -> Self {
        Self {
            relative: self.relative,
            value: self.value,
        }
    }
}

#[test]
fn proportion_intervals() {
    assert_eq!(
        check::<ProportionInput, _>("proportion_intervals.json", proportion),
        10
    );
}

#[test]
fn standardised_ratios() {
    assert_eq!(
        check::<RatioInput, _>("standardised_ratio.json", standardised_ratio),
        10
    );
}

#[test]
fn directly_standardised_rates() {
    assert_eq!(
        check::<DsrInput, _>(
            "directly_standardised_rate.json",
            directly_standardised_rate
        ),
        7
    );
}

#[test]
fn funnel_limits() {
    assert_eq!(
        check::<FunnelInput, _>("funnel_limits.json", |i: &FunnelInput| {
            funnel(i).map(|f| serde_json::to_value(f).unwrap())
        }),
        8
    );
}

#[test]
fn funnel_significance() {
    assert_eq!(
        check::<SignificanceInput, _>("funnel_significance.json", significance),
        5
    );
}

#[test]
fn peer_groups() {
    assert_eq!(check::<PeerInput, _>("peer_groups.json", similar), 6);
}

#[test]
fn opportunities() {
    assert_eq!(
        check::<OpportunityInput, _>("opportunity.json", opportunity),
        6
    );
}
