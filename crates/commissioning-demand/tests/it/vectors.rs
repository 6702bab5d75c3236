//! The shared `waiting` vectors, every case, at each file's tolerance.

use commissioning_demand::{DemandError, Numbers, waiting};
use serde_json::Value;

fn file(name: &str) -> Value {
    let path = format!("{}/tests/vectors/{name}.json", env!("CARGO_MANIFEST_DIR"));
    serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
}

fn numbers(input: &Value, key: &str, default: f64) -> Numbers {
    input.get(key).map_or(Numbers::One(default), |v| {
        serde_json::from_value(v.clone()).unwrap()
    })
}

fn number(input: &Value, key: &str, default: f64) -> f64 {
    input.get(key).and_then(Value::as_f64).unwrap_or(default)
}

fn close(actual: f64, expected: f64, tolerance: &Value, at: &str) {
    let bound = tolerance["value"].as_f64().unwrap()
        * if tolerance["kind"] == "relative" {
            expected.abs().max(1.0)
        } else {
            1.0
        };
    assert!(
        (actual - expected).abs() <= bound,
        "{at}: {actual} is not {expected}"
    );
}

/// Runs every case of `name`: `f` computes the result from the input.
fn check(name: &str, key: &str, f: impl Fn(&Value) -> Result<Numbers, DemandError>) {
    let data = file(name);
    let cases = data["cases"].as_array().unwrap();
    assert!(!cases.is_empty());
    for case in cases {
        let id = case["id"].as_str().unwrap();
        let tolerance = case.get("tolerance").unwrap_or(&data["tolerance"]);
        let expected = &case["expected"];
        let result = f(&case["input"]);
        if let Some(kind) = expected.get("error") {
            let e = result.expect_err(id);
            assert_eq!(e.kind(), kind.as_str().unwrap(), "{id}: {e}");
            continue;
        }
        match (
            result.unwrap_or_else(|e| panic!("{id}: {e}")),
            &expected[key],
        ) {
            (Numbers::One(x), Value::Number(e)) => close(x, e.as_f64().unwrap(), tolerance, id),
            (Numbers::Many(xs), Value::Array(es)) => {
                assert_eq!(xs.len(), es.len(), "{id}");
                for (x, e) in xs.iter().zip(es) {
                    close(*x, e.as_f64().unwrap(), tolerance, id);
                }
            }
            (got, want) => panic!("{id}: {got:?} against {want}"),
        }
    }
}

#[test]
fn queue_load() {
    check("queue_load", "load", |i| {
        waiting::load(
            &numbers(i, "demand", f64::NAN),
            &numbers(i, "capacity", f64::NAN),
        )
    });
}

#[test]
fn target_mean_wait() {
    check("target_mean_wait", "target_mean_wait", |i| {
        waiting::target_mean_wait(
            &numbers(i, "target_wait", f64::NAN),
            &numbers(i, "factor", waiting::DEFAULT_FACTOR),
        )
    });
}

#[test]
fn target_queue_size() {
    check("target_queue_size", "target_queue_size", |i| {
        waiting::target_queue_size(
            &numbers(i, "demand", f64::NAN),
            &numbers(i, "target_wait", f64::NAN),
            &numbers(i, "factor", waiting::DEFAULT_FACTOR),
        )
    });
}

#[test]
fn relief_capacity() {
    check("relief_capacity", "relief_capacity", |i| {
        waiting::relief_capacity(
            &numbers(i, "demand", f64::NAN),
            &numbers(i, "queue_size", f64::NAN),
            &numbers(i, "target_queue_size", f64::NAN),
            &numbers(i, "time_to_target", waiting::DEFAULT_TIME_TO_TARGET),
            number(i, "num_referrals", 0.0),
            number(i, "cv_demand", 0.0),
        )
    });
}

#[test]
fn target_capacity() {
    check("target_capacity", "target_capacity", |i| {
        waiting::target_capacity(
            &numbers(i, "demand", f64::NAN),
            &numbers(i, "target_wait", f64::NAN),
            &numbers(i, "factor", waiting::DEFAULT_FACTOR),
            &numbers(i, "cv_demand", 1.0),
            &numbers(i, "cv_capacity", 1.0),
        )
    });
}

#[test]
fn waiting_list_pressure() {
    check("waiting_list_pressure", "pressure", |i| {
        waiting::pressure(
            &numbers(i, "mean_wait", f64::NAN),
            &numbers(i, "target_wait", f64::NAN),
        )
    });
}

#[test]
fn rtt_exponential() {
    let data = file("rtt_exponential");
    for case in data["cases"].as_array().unwrap() {
        let id = case["id"].as_str().unwrap();
        let input = &case["input"];
        let levels: Vec<f64> = match &input["rtt_performance"] {
            Value::Array(a) => a.iter().map(|x| x.as_f64().unwrap()).collect(),
            x => vec![x.as_f64().unwrap()],
        };
        let result = waiting::rtt_levels(input["referral_rate"].as_f64().unwrap(), &levels);
        if let Some(kind) = case["expected"].get("error") {
            assert_eq!(result.expect_err(id).kind(), kind.as_str().unwrap(), "{id}");
            continue;
        }
        let result = result.unwrap();
        let expected = case["expected"]["levels"].as_array().unwrap();
        assert_eq!(result.len(), expected.len(), "{id}");
        for (r, e) in result.iter().zip(expected) {
            let got = serde_json::to_value(r).unwrap();
            for key in [
                "rtt_performance",
                "lambda",
                "mean_wait",
                "waiting_list_size",
                "percent_within_target",
            ] {
                close(
                    got[key].as_f64().unwrap(),
                    e[key].as_f64().unwrap(),
                    &data["tolerance"],
                    &format!("{id}.{key}"),
                );
            }
        }
    }
}
