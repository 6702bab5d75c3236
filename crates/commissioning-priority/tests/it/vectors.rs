//! Every case of the shared priority vectors, within the stated tolerances.

use commissioning_model::Money;
use commissioning_priority::ahp::{AhpMethod, RandomIndex, ahp, hierarchy};
use commissioning_priority::cea::{Status, Strategy, calculate_icers, net_monetary_benefit};
use commissioning_priority::mcda::{Alternative, Criterion, score};
use commissioning_priority::select::{Candidate, Problem, select};
use commissioning_priority::sensitivity::{ValuedOption, one_way};
use commissioning_priority::topsis::{CriterionType, Normalisation, topsis};
use commissioning_priority::value::{OutOfRange, Performance, ValueFunction};
use commissioning_priority::weights::{RankMethod, from_ranks, normalise};
use serde_json::Value;

struct Tol {
    relative: bool,
    value: f64,
}

fn load(name: &str) -> (Vec<Value>, Tol) {
    let path = format!("{}/tests/vectors/{name}", env!("CARGO_MANIFEST_DIR"));
    let v: Value = serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
    let t = &v["tolerance"];
    let tol = Tol {
        relative: t["kind"] == "relative",
        value: t["value"].as_f64().unwrap(),
    };
    (v["cases"].as_array().unwrap().clone(), tol)
}

fn close(tol: &Tol, got: f64, want: f64, what: &str) {
    let limit = if tol.relative {
        tol.value * want.abs().max(1.0)
    } else {
        tol.value
    };
    assert!(
        (got - want).abs() <= limit,
        "{what}: got {got}, want {want}"
    );
}

fn f(v: &Value) -> f64 {
    v.as_f64().unwrap_or_else(|| panic!("not a number: {v}"))
}

fn fs(v: &Value) -> Vec<f64> {
    v.as_array().unwrap().iter().map(f).collect()
}

fn matrix(v: &Value) -> Vec<Vec<f64>> {
    v.as_array().unwrap().iter().map(fs).collect()
}

fn money(v: &Value) -> Money {
    match v {
        Value::String(s) => s.parse().unwrap(),
        Value::Number(n) => n.to_string().parse().unwrap(),
        other => panic!("not money: {other}"),
    }
}

fn method(v: &Value) -> AhpMethod {
    serde_json::from_value(v.clone()).unwrap()
}

fn table(v: &Value) -> RandomIndex {
    match v.as_str().unwrap() {
        "saaty_1980" => RandomIndex::Saaty1980,
        "saaty_2005" => RandomIndex::Saaty2005,
        "tummala_ling_1998" => RandomIndex::TummalaLing1998,
        "donegan_dodd_1991" => RandomIndex::DoneganDodd1991,
        other => panic!("unknown table {other}"),
    }
}

#[test]
fn ahp_weights() {
    let (cases, tol) = load("ahp_weights.json");
    assert_eq!(cases.len(), 13);
    for c in cases {
        let id = c["id"].as_str().unwrap();
        let i = &c["input"];
        let r = ahp(
            &matrix(&i["matrix"]),
            method(&i["method"]),
            table(&i["ri_table"]),
        )
        .unwrap();
        let e = &c["expected"];
        for (k, (g, w)) in r.weights.iter().zip(fs(&e["weights"])).enumerate() {
            close(&tol, *g, w, &format!("{id} weights[{k}]"));
        }
        close(
            &tol,
            r.lambda_max,
            f(&e["lambda_max"]),
            &format!("{id} lambda_max"),
        );
        close(&tol, r.ci, f(&e["ci"]), &format!("{id} ci"));
        close(&tol, r.cr, f(&e["cr"]), &format!("{id} cr"));
    }
}

#[test]
fn ahp_hierarchy() {
    let (cases, tol) = load("ahp_hierarchy.json");
    for c in cases {
        let i = &c["input"];
        let alts: Vec<Vec<Vec<f64>>> = i["alternative_matrices"]
            .as_array()
            .unwrap()
            .iter()
            .map(matrix)
            .collect();
        let h = hierarchy(
            &matrix(&i["criteria_matrix"]),
            &alts,
            method(&i["method"]),
            table(&i["ri_table"]),
        )
        .unwrap();
        let e = &c["expected"];
        for (g, w) in h.criteria.weights.iter().zip(fs(&e["criteria_weights"])) {
            close(&tol, *g, w, "criteria weight");
        }
        close(&tol, h.criteria.cr, f(&e["criteria_cr"]), "criteria cr");
        for (k, (l, want)) in h
            .local
            .iter()
            .zip(e["local_weights"].as_array().unwrap())
            .enumerate()
        {
            for (g, w) in l.weights.iter().zip(fs(want)) {
                close(&tol, *g, w, &format!("local[{k}]"));
            }
            close(&tol, l.cr, f(&e["local_cr"][k]), &format!("local cr[{k}]"));
        }
        for (alt, g) in i["alternatives"].as_array().unwrap().iter().zip(&h.global) {
            close(
                &tol,
                *g,
                f(&e["global_priorities"][alt.as_str().unwrap()]),
                "global",
            );
        }
    }
}

#[test]
fn frontier() {
    let (cases, tol) = load("calculate_icers.json");
    assert_eq!(cases.len(), 12);
    for c in cases {
        let id = c["id"].as_str().unwrap().to_owned();
        let tol = c.get("tolerance").map_or(
            Tol {
                relative: tol.relative,
                value: tol.value,
            },
            |t| Tol {
                relative: t["kind"] == "relative",
                value: f(&t["value"]),
            },
        );
        let strategies: Vec<Strategy> = c["input"]["strategies"]
            .as_array()
            .unwrap()
            .iter()
            .map(|s| {
                Strategy::new(
                    s["id"].as_str().unwrap(),
                    money(&s["cost"]),
                    f(&s["effect"]),
                )
            })
            .collect();
        let rows = calculate_icers(&strategies).unwrap();
        let want = c["expected"]["rows"].as_array().unwrap();
        assert_eq!(rows.len(), want.len(), "{id}");
        for (r, w) in rows.iter().zip(want) {
            assert_eq!(r.id, w["id"].as_str().unwrap(), "{id} order");
            let status = match w["status"].as_str().unwrap() {
                "ND" => Status::NonDominated,
                "ED" => Status::ExtendedlyDominated,
                "D" => Status::Dominated,
                other => panic!("{other}"),
            };
            assert_eq!(r.status, status, "{id} {}", r.id);
            match (&r.icer, &w["icer"]) {
                (None, Value::Null) => {}
                (Some(g), v) => close(&tol, *g, f(v), &format!("{id} {} icer", r.id)),
                (None, v) => panic!("{id} {}: missing icer {v}", r.id),
            }
            match (&r.inc_cost, &w["inc_cost"]) {
                (None, Value::Null) => {}
                (Some(g), v) => close(
                    &tol,
                    g.amount().to_string().parse().unwrap(),
                    f(v),
                    &format!("{id} {} inc_cost", r.id),
                ),
                (None, v) => panic!("{id} {}: missing inc_cost {v}", r.id),
            }
            match (&r.inc_effect, &w["inc_effect"]) {
                (None, Value::Null) => {}
                (Some(g), v) => close(&tol, *g, f(v), &format!("{id} {} inc_effect", r.id)),
                (None, v) => panic!("{id} {}: missing inc_effect {v}", r.id),
            }
        }
    }
}

#[test]
fn net_monetary_benefits() {
    let (cases, tol) = load("net_monetary_benefit.json");
    for c in cases {
        let i = &c["input"];
        let strategies: Vec<Strategy> = i["strategies"]
            .as_array()
            .unwrap()
            .iter()
            .map(|s| {
                Strategy::new(
                    s["id"].as_str().unwrap(),
                    money(&s["cost"]),
                    f(&s["effect"]),
                )
            })
            .collect();
        let (nmb, best) = net_monetary_benefit(&strategies, f(&i["willingness_to_pay"])).unwrap();
        for (g, w) in nmb.iter().zip(c["expected"]["nmb"].as_array().unwrap()) {
            assert_eq!(g.id, w["id"].as_str().unwrap());
            close(&tol, g.nmb, f(&w["nmb"]), "nmb");
        }
        let want: Vec<&str> = c["expected"]["optimal_ids"]
            .as_array()
            .unwrap()
            .iter()
            .map(|v| v.as_str().unwrap())
            .collect();
        assert_eq!(best, want, "{}", c["id"]);
    }
}

#[test]
fn knapsack() {
    let (cases, tol) = load("knapsack.json");
    assert_eq!(cases.len(), 4);
    for c in cases {
        let i = &c["input"];
        let items = i["items"]
            .as_array()
            .unwrap()
            .iter()
            .map(|x| {
                Candidate::new(
                    x["id"].as_str().unwrap(),
                    money(&x["cost"]),
                    f(&x["benefit"]),
                )
            })
            .collect();
        let mut p = Problem::new(money(&i["budget"]), items);
        p.max_cost_per_benefit = i.get("max_cost_per_benefit").map(money);
        let s = select(&p).unwrap();
        let e = &c["expected"];
        let want: Vec<&str> = e["selected_ids"]
            .as_array()
            .unwrap()
            .iter()
            .map(|v| v.as_str().unwrap())
            .collect();
        assert_eq!(s.exact.ids, want, "{}", c["id"]);
        assert_eq!(s.exact.cost, money(&e["total_cost"]));
        close(&tol, s.exact.benefit, f(&e["total_benefit"]), "benefit");
        let eligible: Vec<&str> = e["eligible_ids"]
            .as_array()
            .unwrap()
            .iter()
            .map(|v| v.as_str().unwrap())
            .collect();
        assert_eq!(s.eligible, eligible, "{}", c["id"]);
        assert!(s.divisible_bound + 1e-9 >= s.exact.benefit);
        assert!(s.exact.benefit >= s.greedy.benefit);
    }
}

#[test]
fn surrogate_weights() {
    let (cases, tol) = load("surrogate_weights.json");
    assert_eq!(cases.len(), 9);
    for c in cases {
        let m: RankMethod = serde_json::from_value(c["input"]["method"].clone()).unwrap();
        let n = c["input"]["n"].as_u64().unwrap() as usize;
        for (g, w) in from_ranks(m, n)
            .unwrap()
            .iter()
            .zip(fs(&c["expected"]["weights"]))
        {
            close(&tol, *g, w, c["id"].as_str().unwrap());
        }
    }
}

#[test]
fn topsis_cases() {
    let (cases, tol) = load("topsis.json");
    for c in cases {
        let i = &c["input"];
        let types: Vec<CriterionType> =
            serde_json::from_value(i["criteria_types"].clone()).unwrap();
        let norm = match i["normalisation"].as_str().unwrap() {
            "vector" => Normalisation::Vector,
            "minmax" => Normalisation::MinMax,
            other => panic!("{other}"),
        };
        let r = topsis(&matrix(&i["matrix"]), &fs(&i["weights"]), &types, norm).unwrap();
        let e = &c["expected"];
        for (key, got) in [
            ("closeness", &r.closeness),
            ("d_plus", &r.d_plus),
            ("d_minus", &r.d_minus),
            ("pis", &r.pis),
            ("nis", &r.nis),
        ] {
            for (g, w) in got.iter().zip(fs(&e[key])) {
                close(&tol, *g, w, &format!("{} {key}", c["id"]));
            }
        }
        let ranking: Vec<usize> = e["ranking"]
            .as_array()
            .unwrap()
            .iter()
            .map(|v| v.as_u64().unwrap() as usize)
            .collect();
        assert_eq!(r.ranking, ranking, "{}", c["id"]);
    }
}

#[test]
fn value_functions() {
    let (cases, tol) = load("value_functions.json");
    assert_eq!(cases.len(), 7);
    for c in cases {
        let i = &c["input"];
        let bp: Vec<(f64, f64)> = i["breakpoints"]
            .as_array()
            .unwrap()
            .iter()
            .map(|p| (f(&p[0]), f(&p[1])))
            .collect();
        let vf = ValueFunction::Piecewise { breakpoints: bp };
        vf.check("vf").unwrap();
        let mode: OutOfRange = serde_json::from_value(i["out_of_range"].clone()).unwrap();
        for (x, want) in fs(&i["points"])
            .into_iter()
            .zip(c["expected"]["values"].as_array().unwrap())
        {
            let got = vf.value(&Performance::Number(x), mode, "x");
            if want.get("error").is_some() {
                assert!(
                    matches!(
                        got,
                        Err(commissioning_priority::PriorityError::OutOfRange { .. })
                    ),
                    "{} at {x}",
                    c["id"]
                );
            } else {
                close(&tol, got.unwrap(), f(want), &format!("{} at {x}", c["id"]));
            }
        }
    }
}

#[test]
fn weight_sensitivity() {
    let (cases, tol) = load("weight_sensitivity.json");
    for c in cases {
        let i = &c["input"];
        let options: Vec<ValuedOption> = i["options"]
            .as_array()
            .unwrap()
            .iter()
            .map(|o| ValuedOption::new(o["id"].as_str().unwrap(), fs(&o["values"])))
            .collect();
        let s = one_way(
            &fs(&i["weights"]),
            i["varied_criterion"].as_u64().unwrap() as usize,
            &options,
        )
        .unwrap();
        let e = &c["expected"];
        let want = e["crossovers"].as_array().unwrap();
        assert_eq!(s.crossovers.len(), want.len());
        for (g, w) in s.crossovers.iter().zip(want) {
            assert_eq!(g.ids[0], w["ids"][0].as_str().unwrap());
            assert_eq!(g.ids[1], w["ids"][1].as_str().unwrap());
            close(&tol, g.weight, f(&w["weight"]), "crossover");
        }
        let want = e["rank1_intervals"].as_array().unwrap();
        assert_eq!(s.rank1_intervals.len(), want.len());
        for (g, w) in s.rank1_intervals.iter().zip(want) {
            assert_eq!(g.best, w["best"].as_str().unwrap());
            close(&tol, g.from, f(&w["from"]), "from");
            close(&tol, g.to, f(&w["to"]), "to");
        }
    }
}

#[test]
fn weighted_sum() {
    let (cases, tol) = load("weighted_sum.json");
    for c in cases {
        let i = &c["input"];
        let criteria: Vec<Criterion> = i["criteria"]
            .as_array()
            .unwrap()
            .iter()
            .map(|k| {
                let bp = k["breakpoints"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|p| (f(&p[0]), f(&p[1])))
                    .collect();
                let bp = normalise_breakpoints(bp);
                Criterion::new(
                    k["id"].as_str().unwrap(),
                    f(&k["swing_weight"]),
                    ValueFunction::Piecewise { breakpoints: bp },
                )
            })
            .collect();
        let options: Vec<Alternative> = i["options"]
            .as_array()
            .unwrap()
            .iter()
            .map(|o| {
                Alternative::new(
                    o["id"].as_str().unwrap(),
                    fs(&o["raw"]).into_iter().map(Performance::Number).collect(),
                )
            })
            .collect();
        let s = score(&criteria, &options).unwrap();
        let e = &c["expected"];
        for (g, w) in s.weights.iter().zip(fs(&e["weights"])) {
            close(&tol, *g, w, "weight");
        }
        let want = normalise(&fs(&e["weights"])).unwrap();
        assert_eq!(want.len(), s.weights.len());
        for (g, w) in s.options.iter().zip(e["options"].as_array().unwrap()) {
            assert_eq!(g.id, w["id"].as_str().unwrap());
            for (a, b) in g.values.iter().zip(fs(&w["values"])) {
                close(&tol, *a, b, "value");
            }
            close(&tol, g.score, f(&w["score"]), "score");
        }
    }
}

/// The vector gives decreasing functions with breakpoints in increasing raw order already; keep
/// them as given (sorted by raw value).
fn normalise_breakpoints(mut bp: Vec<(f64, f64)>) -> Vec<(f64, f64)> {
    bp.sort_by(|a, b| a.0.total_cmp(&b.0));
    bp
}

/// Three crossovers at one exact weight (51/128) are ordered by their pairs, though one of them
/// is computed an ulp away.
#[test]
fn crossover_ties_are_ordered_by_pair() {
    use commissioning_priority::sensitivity::{ValuedOption, one_way};
    let options = vec![
        ValuedOption::new("A", vec![70.0, 20.0, 90.0]),
        ValuedOption::new("B", vec![40.0, 90.0, 30.0]),
        ValuedOption::new("C", vec![55.0, 55.0, 60.0]),
    ];
    let r = one_way(&[0.25, 0.45, 0.3], 1, &options).unwrap();
    let pairs: Vec<[String; 2]> = r.crossovers.iter().map(|c| c.ids.clone()).collect();
    assert_eq!(
        pairs,
        [["A", "B"], ["A", "C"], ["B", "C"]].map(|p| p.map(String::from))
    );
    assert!(r.crossovers.iter().all(|c| c.weight == 51.0 / 128.0));
}
