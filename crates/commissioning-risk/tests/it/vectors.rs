//! Every case of the shared risk vectors, to the penny.

use commissioning_model::payment::Variation;
use commissioning_model::{Decimal, Money, Rate, Rounding, Share, allocate};
use commissioning_risk::agreement::{Agreement, Band, Basis, Mode, SideRule, Threshold};
use commissioning_risk::mssp::{MsspInput, minimum_savings_rate, settle_mssp};
use commissioning_risk::nhs::{IndicatorResult, blended, cquin_withhold, marginal_rate};
use commissioning_risk::presets::{MsspTrack, PartDYears, aca_risk_corridor, part_d_risk_corridor};
use commissioning_risk::settle::{QualityOutcome, QualityResult, SettlementInput, settle};
use commissioning_risk::stoploss::{Layer, MemberClaims, StopLoss, aggregate_stop_loss};
use serde_json::Value;
use std::str::FromStr;

fn load(name: &str) -> Value {
    let path = format!("{}/tests/vectors/{name}", env!("CARGO_MANIFEST_DIR"));
    serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap()
}

fn cases(file: &Value) -> Vec<Value> {
    file["cases"].as_array().unwrap().clone()
}

fn money(v: &Value) -> Money {
    v.as_str()
        .unwrap_or_else(|| panic!("not money: {v}"))
        .parse()
        .unwrap()
}

fn share(v: &Value) -> Share {
    v.as_str()
        .unwrap_or_else(|| panic!("not a share: {v}"))
        .parse()
        .unwrap()
}

fn percent(v: &Value) -> Rate {
    Rate::from_percent(Decimal::from_str(v.as_str().unwrap()).unwrap()).unwrap()
}

fn id(case: &Value) -> String {
    case["id"].as_str().unwrap().to_owned()
}

#[test]
fn aca_risk_corridors() {
    let aca = aca_risk_corridor();
    let all = cases(&load("aca_risk_corridors.json"));
    assert_eq!(all.len(), 12);
    for case in all {
        let i = &case["input"];
        let mut input =
            SettlementInput::new(money(&i["target_amount"]), money(&i["allowable_costs"]));
        if let Some(f) = i.get("proration_factor") {
            input = input.with_proration(share(f));
        }
        let s = settle(&aca, &input).unwrap();
        let want = money(&case["expected"]["payment_to_plan"]);
        assert_eq!(s.transfer, want, "{}", id(&case));
        let direction = match s.transfer.amount().cmp(&Decimal::ZERO) {
            std::cmp::Ordering::Greater => "hhs_pays_plan",
            std::cmp::Ordering::Less => "plan_pays_hhs",
            std::cmp::Ordering::Equal => "none",
        };
        assert_eq!(
            direction,
            case["expected"]["direction"].as_str().unwrap(),
            "{}",
            id(&case)
        );
    }
}

#[test]
fn part_d_risk_corridors() {
    let all = cases(&load("part_d_risk_corridors.json"));
    assert_eq!(all.len(), 17);
    for case in all {
        let i = &case["input"];
        let years = match i["parameter_set"].as_str().unwrap() {
            "2008+" => PartDYears::Y2008Onwards,
            "2006-2007" => PartDYears::Y2006To2007,
            other => panic!("unknown parameter set {other}"),
        };
        let higher = i["higher_government_share"].as_bool().unwrap_or(false);
        let agreement = part_d_risk_corridor(years, higher).unwrap();
        let target = money(&i["target_amount"]);
        let s = settle(
            &agreement,
            &SettlementInput::new(target, money(&i["adjusted_allowable_costs"])),
        )
        .unwrap();
        assert_eq!(
            s.transfer,
            money(&case["expected"]["adjustment_to_plan"]),
            "{}",
            id(&case)
        );
        if let Some(t) = case["expected"].get("thresholds") {
            let (p1, p2) = match years {
                PartDYears::Y2008Onwards => (Decimal::new(5, 2), Decimal::new(10, 2)),
                PartDYears::Y2006To2007 => (Decimal::new(25, 3), Decimal::new(5, 2)),
            };
            let at = |f: Decimal| target.checked_mul_decimal(f).unwrap().round_pence();
            assert_eq!(at(Decimal::ONE + p1), money(&t["u1"]), "{}", id(&case));
            assert_eq!(at(Decimal::ONE + p2), money(&t["u2"]), "{}", id(&case));
            assert_eq!(at(Decimal::ONE - p1), money(&t["l1"]), "{}", id(&case));
            assert_eq!(at(Decimal::ONE - p2), money(&t["l2"]), "{}", id(&case));
        }
    }
}

#[test]
fn mssp_minimum_savings_rates() {
    let all = cases(&load("mssp_minimum_savings_rate.json"));
    assert_eq!(all.len(), 14);
    for case in all {
        let n = u32::try_from(case["input"]["assigned_beneficiaries"].as_u64().unwrap()).unwrap();
        let result = minimum_savings_rate(n);
        let e = &case["expected"];
        if e.get("error").is_some() {
            assert!(result.is_err(), "{}", id(&case));
            continue;
        }
        let pct = result.unwrap().percent().unwrap().normalize();
        assert_eq!(
            pct.to_string(),
            e["msr_percent"].as_str().unwrap(),
            "{}",
            id(&case)
        );
        if let Some(dp) = case["input"].get("round_to_dp") {
            let dp = u32::try_from(dp.as_u64().unwrap()).unwrap();
            let rounded = pct
                .round_dp_with_strategy(dp, rust_decimal::RoundingStrategy::MidpointAwayFromZero);
            assert_eq!(
                format!("{rounded:.2}"),
                e["msr_percent_rounded"].as_str().unwrap(),
                "{}",
                id(&case)
            );
        }
    }
}

#[test]
fn mssp_settlements() {
    let all = cases(&load("mssp_settlement.json"));
    assert_eq!(all.len(), 19);
    for case in all {
        let i = &case["input"];
        let track = match (i["track"].as_str().unwrap(), i["level"].as_str()) {
            ("BASIC", Some("A")) => MsspTrack::BasicA,
            ("BASIC", Some("B")) => MsspTrack::BasicB,
            ("BASIC", Some("C")) => MsspTrack::BasicC,
            ("BASIC", Some("D")) => MsspTrack::BasicD,
            ("BASIC", Some("E")) => MsspTrack::BasicE,
            ("ENHANCED", _) => MsspTrack::Enhanced,
            other => panic!("unknown track {other:?}"),
        };
        let outcome = match i["quality_outcome"].as_str().unwrap() {
            "meets" => QualityOutcome::Meets,
            "alternative" => QualityOutcome::PartlyMeets,
            "fails" => QualityOutcome::Fails,
            other => panic!("unknown outcome {other}"),
        };
        let score = i
            .get("quality_score")
            .and_then(Value::as_str)
            .map(|s| Decimal::from_str(s).unwrap());
        let n = u32::try_from(i["assigned_beneficiaries"].as_u64().unwrap()).unwrap();
        let mut input = MsspInput::new(
            track,
            n,
            money(&i["benchmark_per_capita"]),
            money(&i["expenditure_per_capita"]),
            QualityResult::new(outcome, score),
        );
        input.msr = i.get("msr_percent").filter(|v| !v.is_null()).map(percent);
        input.ffs_revenue = i.get("ffs_revenue").map(money);
        let s = settle_mssp(&input).unwrap_or_else(|e| panic!("{}: {e}", id(&case)));
        // The fast path gives the same transfer, quality gate included.
        {
            let msr = input
                .msr
                .unwrap_or_else(|| minimum_savings_rate(n).unwrap());
            let agreement = commissioning_risk::presets::mssp(track, msr, msr).unwrap();
            let mut fi =
                SettlementInput::new(s.target, s.outturn).with_quality(input.quality.clone());
            if let Some(rev) = input.ffs_revenue {
                fi = fi.with_base("revenue", rev);
            }
            let fast = commissioning_risk::fast::Settler::new(&agreement)
                .unwrap()
                .transfer(&fi)
                .unwrap();
            assert_eq!(fast, s.transfer, "{} fast path", id(&case));
        }
        let e = &case["expected"];
        let name = id(&case);
        assert_eq!(s.target, money(&e["benchmark_total"]), "{name}");
        assert_eq!(s.outturn, money(&e["expenditure_total"]), "{name}");
        assert_eq!(s.variance, money(&e["savings"]), "{name}");
        let rate = s
            .variance_fraction
            .unwrap()
            .to_string()
            .parse::<f64>()
            .unwrap();
        // The file's tolerance: 1e-12 absolute.
        assert!(
            (rate - e["savings_rate"].as_f64().unwrap()).abs() <= 1e-12,
            "{name}: {rate}"
        );
        assert_eq!(s.transfer, money(&e["net_payment_to_aco"]), "{name}");
        let gain = if s.transfer.is_negative() {
            Money::ZERO
        } else {
            s.transfer
        };
        let loss = if s.transfer.is_negative() {
            s.transfer.abs()
        } else {
            Money::ZERO
        };
        assert_eq!(gain, money(&e["shared_savings"]), "{name}");
        assert_eq!(loss, money(&e["shared_losses"]), "{name}");
        let qualified = !s.bands.is_empty();
        assert_eq!(
            qualified && s.variance > Money::ZERO,
            e["savings_qualify"].as_bool().unwrap(),
            "{name}"
        );
        assert_eq!(
            qualified && s.variance.is_negative(),
            e["losses_qualify"].as_bool().unwrap(),
            "{name}"
        );
        let cap_bound = s
            .steps
            .iter()
            .any(|st| matches!(st.kind, commissioning_risk::settle::StepKind::Cap { .. }));
        if let Some(b) = e.get("cap_binds") {
            assert_eq!(cap_bound, b.as_bool().unwrap(), "{name}");
        }
        if let Some(b) = e.get("loss_limit_binds") {
            assert_eq!(cap_bound, b.as_bool().unwrap(), "{name}");
        }
        if let Some(r) = e.get("final_sharing_rate") {
            // The effective rate: the amount after the quality gate over the savings.
            let after_gate = s
                .steps
                .iter()
                .find(|st| matches!(st.kind, commissioning_risk::settle::StepKind::QualityGate))
                .map_or(s.gross_share, |st| st.after);
            let effective = after_gate.checked_ratio(s.variance).unwrap().normalize();
            assert_eq!(
                effective,
                Decimal::from_str(r.as_str().unwrap()).unwrap(),
                "{name}"
            );
        }
        if let Some(r) = e.get("shared_loss_rate") {
            let after_gate = s
                .steps
                .iter()
                .find(|st| matches!(st.kind, commissioning_risk::settle::StepKind::QualityGate))
                .map_or(s.gross_share, |st| st.after);
            let effective = after_gate
                .checked_ratio(s.variance.abs())
                .unwrap()
                .normalize();
            assert_eq!(
                effective,
                Decimal::from_str(r.as_str().unwrap()).unwrap(),
                "{name}"
            );
        }
        if let Some(limit) = e.get("loss_limit") {
            let limits: Vec<Money> = match track {
                MsspTrack::Enhanced => {
                    vec![s.target.checked_mul_decimal(Decimal::new(15, 2)).unwrap()]
                }
                MsspTrack::BasicC => vec![
                    input
                        .ffs_revenue
                        .unwrap()
                        .checked_mul_decimal(Decimal::new(2, 2))
                        .unwrap(),
                    s.target.checked_mul_decimal(Decimal::new(1, 2)).unwrap(),
                ],
                MsspTrack::BasicD => vec![
                    input
                        .ffs_revenue
                        .unwrap()
                        .checked_mul_decimal(Decimal::new(4, 2))
                        .unwrap(),
                    s.target.checked_mul_decimal(Decimal::new(2, 2)).unwrap(),
                ],
                MsspTrack::BasicE => vec![
                    input
                        .ffs_revenue
                        .unwrap()
                        .checked_mul_decimal(Decimal::new(8, 2))
                        .unwrap(),
                    s.target.checked_mul_decimal(Decimal::new(4, 2)).unwrap(),
                ],
                _ => vec![],
            };
            let least = limits.into_iter().min().unwrap().round_pence();
            assert_eq!(least, money(limit), "{name}");
        }
    }
}

#[test]
fn generic_corridor() {
    let all = cases(&load("shared_savings_corridor.json"));
    assert_eq!(all.len(), 5);
    for case in all {
        let i = &case["input"];
        let mode: Mode = serde_json::from_value(i["mode"].clone()).unwrap();
        let bands = i["savings_bands"]
            .as_array()
            .unwrap()
            .iter()
            .map(|b| {
                let to = b["upper"]
                    .as_str()
                    .map(|u| Threshold::of_target(u.parse().unwrap()));
                Band::new(
                    Threshold::of_target(b["lower"].as_str().unwrap().parse().unwrap()),
                    to,
                    share(&b["share"]),
                )
            })
            .collect();
        let agreement = Agreement::new(
            "generic",
            Basis::SharedSavings,
            Some(SideRule::new(bands, mode)),
            None,
        );
        let s = settle(
            &agreement,
            &SettlementInput::new(money(&i["target"]), money(&i["actual"])),
        )
        .unwrap();
        let e = &case["expected"];
        assert_eq!(s.variance, money(&e["savings"]), "{}", id(&case));
        assert_eq!(
            s.transfer,
            money(&e["net_payment_to_provider"]),
            "{}",
            id(&case)
        );
        assert_eq!(
            s.transfer,
            money(&e["savings_share_to_provider"]),
            "{}",
            id(&case)
        );
    }
}

#[test]
fn nhs_rules() {
    for case in cases(&load("marginal_rate_emergency.json")) {
        let i = &case["input"];
        let p = marginal_rate(
            money(&i["baseline_value"]),
            money(&i["actual_value"]),
            share(&i["marginal_rate"]),
            Rounding::HalfUp,
        )
        .unwrap();
        assert_eq!(
            p.payment,
            money(&case["expected"]["payment"]),
            "{}",
            id(&case)
        );
        assert_eq!(
            p.retained_by_commissioner,
            money(&case["expected"]["retained_by_commissioner"]),
            "{}",
            id(&case)
        );
    }
    let mut blends = 0;
    for case in cases(&load("blended_payment.json")) {
        let i = &case["input"];
        let p = blended(
            money(&i["fixed_payment"]),
            money(&i["planned_value"]),
            money(&i["actual_value"]),
            share(&i["variable_rate"]),
            Variation::Symmetric,
            Rounding::HalfUp,
        )
        .unwrap();
        assert_eq!(
            p.variable_element,
            money(&case["expected"]["variable_element"]),
            "{}",
            id(&case)
        );
        assert_eq!(
            p.total_payment,
            money(&case["expected"]["total_payment"]),
            "{}",
            id(&case)
        );
        blends += 1;
    }
    assert_eq!(blends, 6);
    for case in cases(&load("cquin_withhold.json")) {
        let i = &case["input"];
        let count = i["indicator_count"].as_u64().unwrap();
        let met = i["indicators_met"].as_u64().unwrap();
        let indicators: Vec<IndicatorResult> = (0..count)
            .map(|k| IndicatorResult::met(format!("I{k}"), k < met))
            .collect();
        let c = cquin_withhold(
            money(&i["contract_base_value"]),
            percent(&i["cquin_percent"]).fraction().try_into().unwrap(),
            &indicators,
            i["clawback_applies"].as_bool().unwrap(),
            Rounding::HalfUp,
        )
        .unwrap();
        assert_eq!(
            c.cquin_value,
            money(&case["expected"]["cquin_value"]),
            "{}",
            id(&case)
        );
        assert_eq!(
            c.deduction,
            money(&case["expected"]["deduction"]),
            "{}",
            id(&case)
        );
        assert_eq!(
            c.cquin_earned,
            money(&case["expected"]["cquin_earned"]),
            "{}",
            id(&case)
        );
    }
}

#[test]
fn stop_loss_and_reinsurance() {
    let all = cases(&load("reinsurance_layer.json"));
    assert_eq!(all.len(), 10);
    for case in all {
        let i = &case["input"];
        let cap = i.get("cap").filter(|v| !v.is_null()).map(money);
        let layer = Layer::try_new(
            money(&i["attachment_point"]),
            cap,
            share(&i["coinsurance_rate"]),
        )
        .unwrap();
        assert_eq!(
            layer.payment(money(&i["claims"])).unwrap().round_pence(),
            money(&case["expected"]["payment"]),
            "{}",
            id(&case)
        );
    }
    for case in cases(&load("stop_loss_specific.json")) {
        let i = &case["input"];
        let members: Vec<MemberClaims> = i["members"]
            .as_array()
            .unwrap()
            .iter()
            .map(|m| MemberClaims::new(m["member_id"].as_str().unwrap(), money(&m["claims"])))
            .collect();
        let sl = StopLoss::new(
            Some(Layer::try_new(money(&i["specific_deductible"]), None, Share::ONE).unwrap()),
            None,
        );
        let r = sl.apply(&members, Rounding::HalfUp).unwrap();
        for (got, want) in r
            .members
            .iter()
            .zip(case["expected"]["members"].as_array().unwrap())
        {
            assert_eq!(got.member_id, want["member_id"].as_str().unwrap());
            assert_eq!(
                got.reimbursement,
                money(&want["reimbursement"]),
                "{}",
                id(&case)
            );
            assert_eq!(got.retained, money(&want["retained"]), "{}", id(&case));
        }
        assert_eq!(
            r.total_specific,
            money(&case["expected"]["total_reimbursement"])
        );
        assert_eq!(r.total_retained, money(&case["expected"]["total_retained"]));
    }
    for case in cases(&load("stop_loss_aggregate.json")) {
        let i = &case["input"];
        let factor = Decimal::from_str(i["attachment_factor"].as_str().unwrap()).unwrap();
        let (point, paid) = aggregate_stop_loss(
            money(&i["expected_claims"]),
            factor,
            money(&i["retained_claims"]),
            Rounding::HalfUp,
        )
        .unwrap();
        assert_eq!(
            point,
            money(&case["expected"]["attachment_point"]),
            "{}",
            id(&case)
        );
        assert_eq!(
            paid,
            money(&case["expected"]["reimbursement"]),
            "{}",
            id(&case)
        );
    }
}

#[test]
fn allocation_vectors() {
    for case in cases(&load("allocation_to_pence.json"))
        .into_iter()
        .chain(cases(&load("capitation_allocation.json")))
    {
        let i = &case["input"];
        let (total, weights, expected): (Money, Vec<Decimal>, Vec<Money>) =
            if let Some(w) = i.get("weights") {
                (
                    money(&i["amount"]),
                    w.as_array()
                        .unwrap()
                        .iter()
                        .map(|x| Decimal::from_str(&x.to_string()).unwrap())
                        .collect(),
                    case["expected"]["parts"]
                        .as_array()
                        .unwrap()
                        .iter()
                        .map(money)
                        .collect(),
                )
            } else {
                (
                    money(&i["pool"]),
                    i["practices"]
                        .as_array()
                        .unwrap()
                        .iter()
                        .map(|p| {
                            Decimal::from_str(&p["members"].to_string()).unwrap()
                                * Decimal::from_str(&p["risk_score"].to_string()).unwrap()
                        })
                        .collect(),
                    case["expected"]["allocations"]
                        .as_array()
                        .unwrap()
                        .iter()
                        .map(|a| money(&a["amount"]))
                        .collect(),
                )
            };
        assert_eq!(
            allocate(total, &weights, Rounding::HalfUp).unwrap(),
            expected,
            "{}",
            id(&case)
        );
    }
}

/// The variance fraction is exact: a saving of 2.849999999145% is not reported as 2.85%, the
/// MSSP minimum savings rate it falls just short of.
#[test]
fn the_variance_fraction_is_not_rounded() {
    let side = SideRule::new(
        vec![Band::new(
            Threshold::of_target("2.85%".parse().unwrap()),
            None,
            "0.5".parse().unwrap(),
        )],
        Mode::FirstDollar,
    );
    let deal = Agreement::new("MSR edge", Basis::SharedSavings, Some(side), None);
    let input = SettlementInput::new(
        "10000000000.03".parse().unwrap(),
        "9715000000.03".parse().unwrap(),
    );
    let s = settle(&deal, &input).unwrap();
    let fraction = s.variance_fraction.unwrap();
    assert!(fraction < "0.0285".parse().unwrap(), "{fraction}");
    assert!(
        fraction.to_string().starts_with("0.02849999999"),
        "{fraction}"
    );
    assert!(s.transfer.is_zero(), "the band is not reached");
}

/// The kind of error a case expects, from the error.
fn error_kind(e: &commissioning_risk::RiskError) -> &'static str {
    use commissioning_risk::RiskError as E;
    match e {
        E::OutOfRange { .. } => "out_of_range",
        E::Model(commissioning_model::ModelError::OutOfRange { .. }) => "out_of_range",
        _ => "invalid_input",
    }
}

/// A case that expects an error of a kind, and the error it got.
fn expect_error(case: &Value, e: &commissioning_risk::RiskError) {
    let want = case["expected"]["error"]
        .as_str()
        .unwrap_or_else(|| panic!("{}: unexpected error {e}", id(case)));
    assert_eq!(error_kind(e), want, "{}: {e}", id(case));
}

#[test]
fn market_forces_factor() {
    use commissioning_risk::scheme::{MffRounding, mff_payment};
    let all = cases(&load("market_forces_factor.json"));
    assert_eq!(all.len(), 7);
    for case in all {
        let i = &case["input"];
        let rounding = match i.get("rounding").and_then(Value::as_str) {
            Some("per_total") => MffRounding::PerTotal,
            _ => MffRounding::PerUnit,
        };
        let got = mff_payment(
            money(&i["unit_price"]),
            Decimal::from_str(i["mff_payment_index"].as_str().unwrap()).unwrap(),
            i["units"].as_u64().unwrap(),
            rounding,
        );
        let want = &case["expected"];
        match got {
            Ok(p) => {
                assert_eq!(
                    p.adjusted_unit_price,
                    money(&want["adjusted_unit_price"]),
                    "{}",
                    id(&case)
                );
                assert_eq!(p.payment, money(&want["payment"]), "{}", id(&case));
            }
            Err(e) => expect_error(&case, &e),
        }
    }
}

#[test]
fn aligned_payment_incentive() {
    use commissioning_risk::scheme::{ApiInput, api_payment};
    let all = cases(&load("aligned_payment_incentive.json"));
    assert_eq!(all.len(), 6);
    for case in all {
        let input: ApiInput = serde_json::from_value(case["input"].clone()).unwrap();
        let want = &case["expected"];
        match api_payment(&input) {
            Ok(p) => {
                for (key, got) in [
                    ("elective_variable_element", p.elective_variable_element),
                    ("elective_above_plan_value", p.elective_above_plan_value),
                    ("bpt_adjustment_total", p.bpt_adjustment_total),
                    ("variable_element", p.variable_element),
                    ("total_payment", p.total_payment),
                ] {
                    assert_eq!(got, money(&want[key]), "{}: {key}", id(&case));
                }
                let bpt: Vec<Money> = want["bpt_adjustments"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(money)
                    .collect();
                assert_eq!(p.bpt_adjustments, bpt, "{}", id(&case));
            }
            Err(e) => expect_error(&case, &e),
        }
    }
}

#[test]
fn low_volume_activity() {
    use commissioning_risk::scheme::{LvaInput, lva};
    let all = cases(&load("low_volume_activity.json"));
    assert_eq!(all.len(), 7);
    for case in all {
        let input: LvaInput = serde_json::from_value(case["input"].clone()).unwrap();
        let want = &case["expected"];
        match lva(&input) {
            Ok(d) => {
                let got = serde_json::to_value(&d).unwrap();
                assert_eq!(got["mechanism"], want["mechanism"], "{}", id(&case));
                assert_eq!(
                    d.threshold_applied,
                    money(&want["threshold_applied"]),
                    "{}",
                    id(&case)
                );
                for key in ["lva_value", "annual_payment"] {
                    match want[key].as_str() {
                        Some(_) => assert_eq!(
                            got[key].as_str().map(|s| s.parse::<Money>().unwrap()),
                            Some(money(&want[key])),
                            "{}: {key}",
                            id(&case)
                        ),
                        None => assert!(got[key].is_null(), "{}: {key}", id(&case)),
                    }
                }
            }
            Err(e) => expect_error(&case, &e),
        }
    }
}

#[test]
fn outcome_pot() {
    use commissioning_risk::scheme::{OutcomeMetric, outcome_pot};
    let all = cases(&load("outcome_pot.json"));
    assert_eq!(all.len(), 5);
    for case in all {
        let i = &case["input"];
        let metrics: Vec<OutcomeMetric> = serde_json::from_value(i["metrics"].clone()).unwrap();
        let want = &case["expected"];
        match outcome_pot(
            money(&i["contract_value"]),
            share(&i["pot_share"]),
            &metrics,
        ) {
            Ok(p) => {
                assert_eq!(p.pot, money(&want["pot"]), "{}", id(&case));
                assert_eq!(p.earned, money(&want["earned"]), "{}", id(&case));
                assert_eq!(p.unearned, money(&want["unearned"]), "{}", id(&case));
                assert!(
                    (p.earned_fraction - want["earned_fraction"].as_f64().unwrap()).abs() <= 1e-9,
                    "{}",
                    id(&case)
                );
                for (m, w) in p.metrics.iter().zip(want["metrics"].as_array().unwrap()) {
                    assert_eq!(m.id, w["id"].as_str().unwrap());
                    assert!(
                        (m.score - w["score"].as_f64().unwrap()).abs() <= 1e-9,
                        "{}",
                        id(&case)
                    );
                    assert_eq!(m.earned, money(&w["earned"]), "{}: {}", id(&case), m.id);
                }
            }
            Err(e) => expect_error(&case, &e),
        }
    }
}

#[test]
fn pooled_budget_s75() {
    use commissioning_risk::pooled::{PooledBudget, settle_pool};
    let all = cases(&load("pooled_budget_s75.json"));
    assert_eq!(all.len(), 6);
    for case in all {
        let pool: PooledBudget = serde_json::from_value(case["input"].clone())
            .unwrap_or_else(|e| panic!("{}: {e}", id(&case)));
        let s = settle_pool(&pool).unwrap_or_else(|e| panic!("{}: {e}", id(&case)));
        let got = serde_json::to_value(&s).unwrap();
        let want = &case["expected"];
        for (key, w) in want.as_object().unwrap() {
            match w {
                Value::Array(list) => {
                    let g: Vec<Money> = got[key].as_array().unwrap().iter().map(money).collect();
                    let w: Vec<Money> = list.iter().map(money).collect();
                    assert_eq!(g, w, "{}: {key}", id(&case));
                }
                _ => assert_eq!(money(&got[key]), money(w), "{}: {key}", id(&case)),
            }
        }
    }
}
