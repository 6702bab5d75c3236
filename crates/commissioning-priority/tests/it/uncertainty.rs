//! The shared `uncertainty/` vectors for PSA summaries, acceptability curves, EVPI and expected
//! loss, at each file's stated tolerance.

use commissioning_priority::PriorityError;
use commissioning_priority::psa::{PsaInput, ceac, evpi, expected_loss, summary};
use serde::Serialize;
use serde_json::Value;

/// Numbers within the tolerance (relative: |a − e| ≤ tol × max(1, |e|)), all else exactly;
/// every expected key must be present.
fn compare(path: &str, want: &Value, got: &Value, tol: f64) {
    match (want, got) {
        (Value::Number(w), Value::Number(g)) => {
            let (w, g) = (w.as_f64().unwrap(), g.as_f64().unwrap());
            assert!(
                (w - g).abs() <= tol * w.abs().max(1.0),
                "{path}: expected {w}, got {g}"
            );
        }
        (Value::Object(w), Value::Object(g)) => {
            for (k, wv) in w {
                let gv = g.get(k).unwrap_or_else(|| panic!("{path}.{k}: missing"));
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

#[test]
fn psa_summaries_and_the_frontier_on_the_means() {
    assert_eq!(
        check_classes("calculate_icers_psa.json", |i: &PsaInput| summary(
            &i.psa()?
        )),
        13
    );
}

#[test]
fn acceptability_curves_and_frontier() {
    assert_eq!(
        check_classes("ceac.json", |i: &PsaInput| ceac(&i.psa()?, i.wtp()?)),
        16
    );
}

#[test]
fn expected_value_of_perfect_information() {
    assert_eq!(
        check_classes("evpi.json", |i: &PsaInput| evpi(
            &i.psa()?,
            i.wtp()?,
            i.population()?.as_ref()
        )),
        21
    );
}

#[test]
fn expected_loss_curves() {
    assert_eq!(
        check_classes("expected_loss.json", |i: &PsaInput| expected_loss(
            &i.psa()?,
            i.wtp()?
        )),
        16
    );
}

#[test]
fn budget_impact_with_the_nice_flags() {
    assert_eq!(
        check_classes(
            "budget_impact.json",
            commissioning_priority::budget::budget_impact
        ),
        18
    );
}

/// Runs a file whose inputs deserialize as `I`, with error classes.
fn check_classes<I: serde::de::DeserializeOwned, O: Serialize>(
    file: &str,
    run: impl Fn(&I) -> Result<O, PriorityError>,
) -> usize {
    let path = format!("{}/tests/vectors/{file}", env!("CARGO_MANIFEST_DIR"));
    let doc: Value = serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    let tol = doc["tolerance"]["value"].as_f64().unwrap();
    let cases = doc["cases"].as_array().unwrap();
    for case in cases {
        let id = case["id"].as_str().unwrap();
        let result = serde_json::from_value::<I>(case["input"].clone())
            .map_err(|e| ("invalid_input", e.to_string()))
            .and_then(|i| {
                run(&i).map_err(|e| match e {
                    PriorityError::OutOfRange { .. } => ("out_of_range", e.to_string()),
                    PriorityError::Undefined { .. } => ("undefined", e.to_string()),
                    _ => ("invalid_input", e.to_string()),
                })
            });
        match (case["expected"].get("error"), result) {
            (Some(kind), Err((got, message))) => assert_eq!(kind, got, "{id}: {message}"),
            (Some(kind), Ok(_)) => panic!("{id}: expected {kind}"),
            (None, Err((_, message))) => panic!("{id}: {message}"),
            (None, Ok(out)) => compare(
                id,
                &case["expected"],
                &serde_json::to_value(&out).unwrap(),
                tol,
            ),
        }
    }
    cases.len()
}

#[test]
fn one_way_sensitivity_and_tornado() {
    assert_eq!(
        check_classes("owsa.json", commissioning_priority::dsa::owsa),
        12
    );
}

#[test]
fn two_way_sensitivity() {
    assert_eq!(
        check_classes("twsa.json", commissioning_priority::dsa::twsa),
        7
    );
}
