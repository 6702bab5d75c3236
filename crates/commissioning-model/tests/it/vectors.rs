//! The published worked examples in `tests/vectors/`, run case by case.

use commissioning_model::ods::OdsKind;
use commissioning_model::payment::{CapitationGroup, Variation, blended_payment};
use commissioning_model::period::{FyMonth, parse_date};
use commissioning_model::{Decimal, FinancialYear, Money, Rounding, Share, allocate};
use serde_json::Value;
use std::str::FromStr;

fn load(name: &str) -> Value {
    let path = format!("{}/tests/vectors/{name}", env!("CARGO_MANIFEST_DIR"));
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{path}: {e}"))
}

fn cases(file: &Value) -> &Vec<Value> {
    file["cases"].as_array().expect("cases")
}

fn s<'a>(v: &'a Value, key: &str) -> &'a str {
    v[key]
        .as_str()
        .unwrap_or_else(|| panic!("{key} missing in {v}"))
}

fn money(v: &Value, key: &str) -> Money {
    s(v, key).parse().unwrap_or_else(|e| panic!("{key}: {e}"))
}

/// A JSON number taken at its exact decimal text.
fn decimal(v: &Value) -> Decimal {
    match v {
        Value::String(t) => Decimal::from_str(t).expect("decimal string"),
        Value::Number(n) => Decimal::from_str(&n.to_string()).expect("decimal number"),
        other => panic!("not a number: {other}"),
    }
}

#[test]
fn financial_years() {
    let file = load("financial_years.json");
    let mut checked = 0;
    for case in cases(&file) {
        let id = s(case, "id");
        let input = &case["input"];
        let expected = &case["expected"];
        let result = if let Some(label) = input["label"].as_str() {
            label.parse::<FinancialYear>().map(|fy| (fy, None))
        } else {
            parse_date("date", s(input, "date")).and_then(|d| {
                FinancialYear::containing(d).map(|fy| (fy, Some(FyMonth::of_date(d))))
            })
        };
        if expected.get("error").is_some() {
            assert!(result.is_err(), "{id}: expected an error, got {result:?}");
        } else {
            let (fy, month) = result.unwrap_or_else(|e| panic!("{id}: {e}"));
            assert_eq!(
                i64::from(fy.start_year()),
                expected["start_year"].as_i64().expect("start_year"),
                "{id}"
            );
            assert_eq!(fy.to_string(), s(expected, "label"), "{id}");
            assert_eq!(
                fy.start_date().to_string(),
                s(expected, "start_date"),
                "{id}"
            );
            assert_eq!(fy.end_date().to_string(), s(expected, "end_date"), "{id}");
            if let Some(month) = month {
                assert_eq!(
                    i64::from(month.number()),
                    expected["month_number"].as_i64().expect("month"),
                    "{id}"
                );
                assert_eq!(
                    i64::from(month.quarter().number()),
                    expected["quarter"].as_i64().expect("quarter"),
                    "{id}"
                );
            }
        }
        checked += 1;
    }
    assert_eq!(checked, 25);
}

#[test]
fn ods_codes() {
    let file = load("ods_codes.json");
    let mut checked = 0;
    for case in cases(&file) {
        let id = s(case, "id");
        let input = &case["input"];
        let kind: OdsKind = serde_json::from_value(input["kind"].clone()).expect("kind");
        let normalise = input["normalise"].as_bool().unwrap_or(false);
        let result = kind.check(s(input, "code"), normalise);
        if case["expected"]["valid"].as_bool() == Some(true) {
            let code = result.unwrap_or_else(|e| panic!("{id}: {e}"));
            assert_eq!(code.as_str(), s(&case["expected"], "normalised"), "{id}");
        } else {
            assert!(result.is_err(), "{id}: expected invalid, got {result:?}");
        }
        checked += 1;
    }
    assert_eq!(checked, 56);
}

#[test]
fn allocation_to_pence() {
    let file = load("allocation_to_pence.json");
    for case in cases(&file) {
        let input = &case["input"];
        let weights: Vec<Decimal> = input["weights"]
            .as_array()
            .expect("weights")
            .iter()
            .map(decimal)
            .collect();
        let parts =
            allocate(money(input, "amount"), &weights, Rounding::HalfUp).expect("allocation");
        let expected: Vec<Money> = case["expected"]["parts"]
            .as_array()
            .expect("parts")
            .iter()
            .map(|p| p.as_str().expect("part").parse().expect("money"))
            .collect();
        assert_eq!(parts, expected, "{}", s(case, "id"));
    }
}

#[test]
fn capitation_allocation() {
    let file = load("capitation_allocation.json");
    for case in cases(&file) {
        let input = &case["input"];
        let groups: Vec<CapitationGroup> = input["practices"]
            .as_array()
            .expect("practices")
            .iter()
            .map(|p| {
                CapitationGroup::new(
                    s(p, "id"),
                    decimal(&p["members"]),
                    decimal(&p["risk_score"]),
                )
            })
            .collect();
        let weights: Vec<Decimal> = groups.iter().map(|g| g.population * g.weight).collect();
        let parts = allocate(money(input, "pool"), &weights, Rounding::HalfUp).expect("allocation");
        for (got, want) in parts.iter().zip(
            case["expected"]["allocations"]
                .as_array()
                .expect("allocations"),
        ) {
            assert_eq!(
                *got,
                money(want, "amount"),
                "{} {}",
                s(case, "id"),
                s(want, "id")
            );
        }
    }
}

#[test]
fn blended_payments() {
    let file = load("blended_payment.json");
    let mut checked = 0;
    for case in cases(&file) {
        let input = &case["input"];
        let rate = Share::from_str(s(input, "variable_rate")).expect("rate");
        let p = blended_payment(
            money(input, "fixed_payment"),
            money(input, "planned_value"),
            money(input, "actual_value"),
            rate,
            Variation::Symmetric,
            Rounding::HalfUp,
        )
        .expect("payment");
        let id = s(case, "id");
        assert_eq!(
            p.variable_element,
            money(&case["expected"], "variable_element"),
            "{id}"
        );
        assert_eq!(
            p.total_payment,
            money(&case["expected"], "total_payment"),
            "{id}"
        );
        assert_eq!(p.total_payment.to_string().matches('.').count(), 1, "{id}");
        checked += 1;
    }
    assert_eq!(checked, 6);
}
