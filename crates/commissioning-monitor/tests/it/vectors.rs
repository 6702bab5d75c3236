//! The shared SPC vectors.

use commissioning_monitor::spc::{Observation, Rule, SpcOptions, spc, xmr_limits};
use serde_json::Value;

fn load(name: &str) -> (Vec<Value>, f64) {
    let path = format!("{}/tests/vectors/{name}", env!("CARGO_MANIFEST_DIR"));
    let v: Value = serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
    (
        v["cases"].as_array().unwrap().clone(),
        v["tolerance"]["value"].as_f64().unwrap(),
    )
}

fn values(c: &Value) -> Vec<f64> {
    c["input"]["values"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_f64().unwrap())
        .collect()
}

#[test]
fn xmr_limit_cases() {
    let (cases, tol) = load("xmr_limits.json");
    assert_eq!(cases.len(), 2);
    for c in cases {
        let l = xmr_limits(
            &values(&c),
            c["input"]["screen_outliers"].as_bool().unwrap(),
        )
        .unwrap();
        let e = &c["expected"];
        for (key, got) in [
            ("mean", l.mean),
            ("mean_moving_range", l.mean_moving_range),
            ("upper_process_limit", l.upper_process_limit),
            ("lower_process_limit", l.lower_process_limit),
            ("upper_near_limit", l.upper_near_limit),
            ("lower_near_limit", l.lower_near_limit),
        ] {
            let want = e[key].as_f64().unwrap();
            assert!(
                (got - want).abs() <= tol,
                "{} {key}: {got} vs {want}",
                c["id"]
            );
        }
    }
}

#[test]
fn special_cause_cases() {
    let (cases, tol) = load("spc_special_causes.json");
    assert_eq!(cases.len(), 2);
    for c in cases {
        let obs: Vec<Observation> = values(&c).into_iter().map(Observation::new).collect();
        let mut o = SpcOptions::default();
        o.screen_outliers = c["input"]["screen_outliers"].as_bool().unwrap();
        let chart = spc(&obs, &o).unwrap();
        let e = &c["expected"];
        let l = chart.segments[0].limits;
        assert!((l.upper_process_limit - e["upper_process_limit"].as_f64().unwrap()).abs() <= tol);
        assert!((l.lower_process_limit - e["lower_process_limit"].as_f64().unwrap()).abs() <= tol);
        let positions = |rule: Rule| -> Vec<u64> {
            chart
                .points
                .iter()
                .filter(|p| p.rule == rule)
                .map(|p| p.position as u64)
                .collect()
        };
        let want = |k: &str| -> Vec<u64> {
            e[k].as_array()
                .unwrap()
                .iter()
                .map(|v| v.as_u64().unwrap())
                .collect()
        };
        assert_eq!(positions(Rule::OutsideLimits), want("outside_limits"));
        assert_eq!(positions(Rule::Shift), want("shift"));
        assert_eq!(positions(Rule::Trend), want("trend"));
        assert_eq!(positions(Rule::TwoOfThree), want("two_of_three"));
        let labels: Vec<String> = chart
            .points
            .iter()
            .map(|p| {
                serde_json::to_value(p.rule)
                    .unwrap()
                    .as_str()
                    .unwrap()
                    .to_owned()
            })
            .collect();
        let expected: Vec<String> = e["labels"]
            .as_array()
            .unwrap()
            .iter()
            .map(|v| v.as_str().unwrap().to_owned())
            .collect();
        assert_eq!(labels, expected, "{}", c["id"]);
    }
}
