//! `commissioning demo`: an end-to-end commissioning review of a built-in, clearly labelled
//! illustrative health economy. Nothing here is real data; the organisation codes follow the
//! ODS formats but are invented.

// The arithmetic here is on small fixed illustrative constants.
#![allow(clippy::arithmetic_side_effects)]

use chrono::NaiveDate;
use commissioning::model::activity::{ActivityEntry, ActivitySchedule, compare};
use commissioning::model::contract::Contract;
use commissioning::model::organisation::{Commissioner, Organisations, Provider};
use commissioning::model::payment::BillingPeriod;
use commissioning::model::period::{FinancialYear, FyMonth};
use commissioning::model::service::PointOfDelivery;
use commissioning::model::{Decimal, Money, Rate, Rounding, Share};
use commissioning::monitor::effectiveness::{
    Outcomes, Phase, PhaseKind, Portfolio, Programme, Thresholds, effectiveness,
};
use commissioning::monitor::finance::{BudgetLine, PvmLine, budget_position, price_volume_mix};
use commissioning::monitor::kpi::{KpiObservation, KpiSeries, assess};
use commissioning::monitor::spc::{Improvement, Observation, SpcOptions, spc};
use commissioning::priority::cea::{Strategy, calculate_icers, net_monetary_benefit};
use commissioning::priority::mcda::{Alternative, Criterion, score};
use commissioning::priority::select::{Candidate, Problem, select};
use commissioning::priority::value::{Performance, ValueFunction};
use commissioning::risk::agreement::{
    Agreement, Band, Basis, GainGate, Limit, Mode, Party, PartyGroup, QualityGate, SideRule, Split,
    Threshold, Weighting,
};
use commissioning::risk::scenario::{Distribution, Outturns, compare_designs};
use commissioning::risk::settle::{QualityOutcome, QualityResult, SettlementInput, settle};
use serde_json::{Value, json};
use std::collections::BTreeMap;
use std::fmt::Write as _;

use commissioning::document::DocumentError;

/// The demo's report, as text and as JSON, with the charts of its sections.
pub(crate) struct Report {
    pub(crate) text: String,
    pub(crate) json: Value,
    /// Each chart with the number of the section it belongs to.
    pub(crate) charts: Vec<(u32, String)>,
}

const CONTRACTS: &str = r#"[
{
  "id": "ILL-C1", "title": "Community diabetes service (block)", "form": "shorter_form",
  "commissioners": [{"code": "QZZ", "coordinating": true}],
  "provider": {"kind": "single", "code": "RZY"},
  "term": {"start": "2025-04-01", "end": "2028-03-31"},
  "payment_mechanism": "aligned_payment_and_incentive",
  "service_lines": [{"id": "diabetes-community", "service": {"id": "diabetes", "name": "Diabetes", "programme": "04A", "treatment_functions": ["307"]},
    "point_of_delivery": "community", "payment": {"kind": "block", "annual_value": "4800000.00"}}],
  "quality_requirements": [{"id": "care-processes", "name": "Eight care processes completed", "unit": "percent",
    "direction": "higher_is_better", "threshold": "75", "period": "quarterly", "consequence": {"kind": "remedial_action_plan"}}]
},
{
  "id": "ILL-C2", "title": "Acute stroke and diabetes care (aligned payment and incentive)", "form": "full_length",
  "commissioners": [{"code": "QZZ", "coordinating": true}],
  "provider": {"kind": "single", "code": "RZZ"},
  "term": {"start": "2025-04-01", "end": "2027-03-31", "extensions": [{"end": "2028-03-31"}]},
  "payment_mechanism": "aligned_payment_and_incentive",
  "service_lines": [
    {"id": "stroke-ne", "service": {"id": "stroke", "name": "Stroke", "programme": "10B", "treatment_functions": ["328"]},
     "point_of_delivery": "non_elective", "payment": {"kind": "blended", "fixed": "9000000.00", "unit_price": "6250.00",
     "baseline_activity": "1440", "variable_rate": "0.2", "variation": "symmetric"}},
    {"id": "diabetes-op", "service": {"id": "diabetes", "name": "Diabetes", "programme": "04A", "treatment_functions": ["307"]},
     "point_of_delivery": "outpatient_first", "payment": {"kind": "cost_and_volume", "price": "180.00", "planned_activity": "6000"}}
  ],
  "quality_requirements": [{"id": "scan-1h", "name": "Brain imaging within 1 hour", "unit": "percent", "direction": "higher_is_better",
    "threshold": "80", "period": "monthly", "consequence": {"kind": "sanction", "amount_per_breach": "5000.00"}}],
  "incentive": {"kind": "cquin", "share_of_value": "1.25%", "indicators": [
    {"id": "CQ1", "name": "Flu vaccination of staff"}, {"id": "CQ2", "name": "Timely stroke rehabilitation", "weight": "2"}]},
  "indexation": [{"year": "2025/26", "version": "illustrative", "cost_uplift": "0.0415", "efficiency": "0.02", "method": "multiplicative"}]
},
{
  "id": "ILL-C3", "title": "Dementia alliance with a shared risk", "form": "full_length",
  "commissioners": [{"code": "QZZ", "coordinating": true}],
  "provider": {"kind": "alliance", "name": "Example dementia alliance", "members": ["RZY", "ZZGPF", "8ZZ01"], "lead": "RZY"},
  "term": {"start": "2025-04-01", "end": "2030-03-31"},
  "payment_mechanism": "local",
  "service_lines": [
    {"id": "memory-assessment", "service": {"id": "dementia", "name": "Dementia", "programme": "05B", "treatment_functions": ["727"]},
     "point_of_delivery": "outpatient_first", "payment": {"kind": "block", "annual_value": "6500000.00"}},
    {"id": "post-diagnostic", "service": {"id": "dementia", "name": "Dementia", "programme": "05B", "treatment_functions": []},
     "point_of_delivery": "community", "payment": {"kind": "capitated", "rate_per_head": "1150.00",
     "groups": [{"id": "place-A", "population": "2400", "weight": "1.1"}, {"id": "place-B", "population": "2100", "weight": "0.95"}]}}
  ],
  "quality_requirements": [{"id": "diagnosis-6wk", "name": "Diagnosis within 6 weeks of referral", "unit": "percent",
    "direction": "higher_is_better", "threshold": "85", "period": "monthly", "consequence": {"kind": "withhold", "share_of_monthly_value": "0.01"}}]
}
]"#;

fn m(s: &str) -> Result<Money, DocumentError> {
    s.parse().map_err(DocumentError::rule)
}

fn code<T: std::str::FromStr<Err = commissioning::model::ModelError>>(
    c: &str,
) -> Result<T, DocumentError> {
    c.parse().map_err(DocumentError::rule)
}

fn share(s: &str) -> Result<Share, DocumentError> {
    s.parse().map_err(DocumentError::rule)
}

fn rate(s: &str) -> Result<Rate, DocumentError> {
    s.parse().map_err(DocumentError::rule)
}

fn date(y: i32, mo: u32, d: u32) -> Result<NaiveDate, DocumentError> {
    NaiveDate::from_ymd_opt(y, mo, d).ok_or_else(|| DocumentError::rule("invalid demo date"))
}

fn j<T: serde::Serialize>(v: &T) -> Result<Value, DocumentError> {
    serde_json::to_value(v).map_err(|e| DocumentError::Io(e.to_string()))
}

/// Runs the whole review.
#[allow(clippy::too_many_lines)]
pub(crate) fn run() -> Result<Report, DocumentError> {
    let mut t = String::new();
    let mut charts: Vec<(u32, String)> = Vec::new();
    let mut out = serde_json::Map::new();
    let rule = |t: &mut String, title: &str| {
        let _ = writeln!(t, "\n{title}\n{}", "=".repeat(title.chars().count()));
    };
    let _ = writeln!(t, "COMMISSIONING REVIEW OF AN ILLUSTRATIVE HEALTH ECONOMY");
    let _ = writeln!(
        t,
        "All organisations, contracts and figures below are invented for illustration."
    );

    // 1. The health economy.
    rule(&mut t, "1. The health economy");
    let mut orgs = Organisations::new();
    orgs.insert(
        Commissioner::Icb {
            code: code("QZZ")?,
            name: "Example Integrated Care Board".into(),
        }
        .into(),
    )
    .map_err(DocumentError::rule)?;
    orgs.insert(
        Commissioner::SubIcbLocation {
            code: code("98Z")?,
            name: "Example place A".into(),
            icb: Some(code("QZZ")?),
        }
        .into(),
    )
    .map_err(DocumentError::rule)?;
    orgs.insert(
        Commissioner::SubIcbLocation {
            code: code("97Z")?,
            name: "Example place B".into(),
            icb: Some(code("QZZ")?),
        }
        .into(),
    )
    .map_err(DocumentError::rule)?;
    orgs.insert(
        Provider::FoundationTrust {
            code: code("RZZ")?,
            name: "Example Acute Hospitals NHS Foundation Trust".into(),
        }
        .into(),
    )
    .map_err(DocumentError::rule)?;
    orgs.insert(
        Provider::NhsTrust {
            code: code("RZY")?,
            name: "Example Community and Mental Health NHS Trust".into(),
        }
        .into(),
    )
    .map_err(DocumentError::rule)?;
    orgs.insert(
        Provider::Other {
            code: code("ZZGPF")?,
            name: "Example GP Federation".into(),
        }
        .into(),
    )
    .map_err(DocumentError::rule)?;
    orgs.insert(
        Provider::VoluntarySector {
            code: code("8ZZ01")?,
            name: "Example Memory Support Charity".into(),
        }
        .into(),
    )
    .map_err(DocumentError::rule)?;
    for o in orgs.iter() {
        let _ = writeln!(t, "  {:<6} {}", o.code(), o.name());
    }
    out.insert("organisations".into(), j(&orgs)?);

    // 2. Contracts.
    rule(&mut t, "2. Contracts, validated");
    let contracts: Vec<Contract> = serde_json::from_str(CONTRACTS)
        .map_err(|e| DocumentError::rule(format!("demo contracts: {e}")))?;
    let mut contract_json = Vec::new();
    for c in &contracts {
        let issues = c.validate_with(&orgs);
        let value = c
            .expected_annual_value()
            .map_err(DocumentError::rule)?
            .round_pence();
        let months = c
            .monthly_instalments(Rounding::HalfUp)
            .map_err(DocumentError::rule)?;
        let _ = writeln!(t, "  {}  {}", c.id, c.title);
        let _ = writeln!(
            t,
            "      expected annual value {value}; M1 instalment {}; {}",
            months.first().copied().unwrap_or_default(),
            if issues.is_empty() {
                "valid".to_owned()
            } else {
                format!("{} problems", issues.len())
            }
        );
        contract_json.push(json!({"id": c.id, "expected_annual_value": value, "monthly_instalments": months, "issues": j(&issues)?}));
    }
    out.insert("contracts".into(), Value::Array(contract_json));

    // 3. A year of activity against plan on the acute contract.
    rule(&mut t, "3. Acute activity against plan, 2025/26");
    let year: FinancialYear = "2025/26".parse().map_err(DocumentError::rule)?;
    let stroke_actual = [118, 121, 125, 119, 127, 131, 126, 133, 138, 135, 129, 136];
    let op_actual = [480, 510, 495, 530, 470, 505, 520, 515, 540, 500, 525, 535];
    let prices: BTreeMap<String, Money> = [
        ("stroke-ne".to_owned(), m("6250.00")?),
        ("diabetes-op".to_owned(), m("180.00")?),
    ]
    .into();
    let mut plan = Vec::new();
    let mut actual = Vec::new();
    for (k, month) in FyMonth::all().enumerate() {
        plan.push(ActivityEntry::new(
            "stroke-ne",
            PointOfDelivery::NonElective,
            month,
            Decimal::from(120),
        ));
        plan.push(ActivityEntry::new(
            "diabetes-op",
            PointOfDelivery::OutpatientFirst,
            month,
            Decimal::from(500),
        ));
        actual.push(ActivityEntry::new(
            "stroke-ne",
            PointOfDelivery::NonElective,
            month,
            Decimal::from(stroke_actual.get(k).copied().unwrap_or(0)),
        ));
        actual.push(ActivityEntry::new(
            "diabetes-op",
            PointOfDelivery::OutpatientFirst,
            month,
            Decimal::from(op_actual.get(k).copied().unwrap_or(0)),
        ));
    }
    let plan = ActivitySchedule::try_new(year, plan)
        .map_err(DocumentError::rule)?
        .priced(&prices)
        .map_err(DocumentError::rule)?;
    let actual = ActivitySchedule::try_new(year, actual)
        .map_err(DocumentError::rule)?
        .priced(&prices)
        .map_err(DocumentError::rule)?;
    let report =
        compare(&plan, &actual, FyMonth::M12, Rounding::HalfUp).map_err(DocumentError::rule)?;
    for l in &report.lines {
        let _ = writeln!(
            t,
            "  {:<12} {:>6} planned, {:>6} delivered ({}), value variance {}",
            l.line,
            l.year_to_date.planned,
            l.year_to_date.actual,
            l.year_to_date.variance_fraction.map_or_else(
                || "—".into(),
                |f| format!("{:+}%", (f * Decimal::ONE_HUNDRED).round_dp(1))
            ),
            l.year_to_date.value_variance.unwrap_or_default()
        );
    }
    let stroke_line = contracts
        .get(1)
        .and_then(|c| c.line("stroke-ne"))
        .ok_or_else(|| DocumentError::rule("demo: missing stroke line"))?;
    let spells: i64 = stroke_actual.iter().sum();
    let due = stroke_line
        .payment
        .amount_due(BillingPeriod::Year, Decimal::from(spells), Rounding::HalfUp)
        .map_err(DocumentError::rule)?;
    let _ = writeln!(
        t,
        "  Stroke blend for the year: fixed {} + variable {} (20% of £6,250 on {} spells over the 1,440 baseline) = {}",
        due.fixed,
        due.variable,
        spells - 1440,
        due.total
    );
    out.insert(
        "activity".into(),
        json!({"variance": j(&report)?, "stroke_payment": j(&due)?}),
    );

    // 4. Year-end settlement of the alliance risk share.
    rule(
        &mut t,
        "4. Dementia alliance: year-end risk-share settlement",
    );
    let pct = |p: &str| -> Result<Threshold, DocumentError> { Ok(Threshold::of_target(rate(p)?)) };
    let design_a = {
        let gain = SideRule::new(
            vec![Band::new(pct("1%")?, None, share("0.5")?)],
            Mode::NetOfThreshold,
        )
        .with_cap(Limit::Amount {
            amount: m("750000.00")?,
        });
        let loss = SideRule::new(
            vec![Band::new(pct("1%")?, None, share("0.5")?)],
            Mode::NetOfThreshold,
        )
        .with_cap(Limit::Amount {
            amount: m("400000.00")?,
        });
        let split = Split::new(
            PartyGroup::new(
                Weighting::FixedShares,
                vec![
                    Party::new("98Z", Decimal::new(55, 2)),
                    Party::new("97Z", Decimal::new(45, 2)),
                ],
            ),
            PartyGroup::new(
                Weighting::ContractValue,
                vec![
                    Party::new("RZY", Decimal::from(8_200_000)),
                    Party::new("ZZGPF", Decimal::from(2_300_000)),
                    Party::new("8ZZ01", Decimal::from(700_000)),
                ],
            ),
        );
        let mut gate = QualityGate::default();
        gate.gain = GainGate::ScaleByScore;
        Agreement::new(
            "Design A: 50/50 beyond 1%, capped",
            Basis::SharedSavings,
            Some(gain),
            Some(loss),
        )
        .with_quality(gate)
        .with_split(split)
    };
    let target = m("11200000.00")?;
    let input = SettlementInput::new(target, m("10640000.00")?).with_quality(QualityResult::new(
        QualityOutcome::PartlyMeets,
        Some(Decimal::from(90)),
    ));
    let settled = settle(&design_a, &input).map_err(DocumentError::rule)?;
    for line in &settled.explanation {
        let _ = writeln!(t, "  {line}");
    }
    out.insert("settlement".into(), j(&settled)?);

    // 5. Two designs over 10,000 simulated outturns.
    rule(
        &mut t,
        "5. Comparing two risk-share designs over 10,000 simulated years",
    );
    let design_b = {
        let side = SideRule::new(
            vec![
                Band::new(pct("2%")?, Some(pct("6%")?), share("0.25")?),
                Band::new(pct("6%")?, None, share("0.75")?),
            ],
            Mode::NetOfThreshold,
        );
        let mut b = Agreement::new(
            "Design B: corridor, 25% from 2% to 6%, 75% beyond",
            Basis::SharedSavings,
            Some(side.clone()),
            Some(side),
        );
        b.split = design_a.split.clone();
        b
    };
    let mut design_a_plain = design_a;
    design_a_plain.quality = None;
    let outturns = Outturns::Simulated {
        distribution: Distribution::Normal {
            mean: target,
            sd: m("448000.00")?,
        },
        count: 10_000,
        seed: 2025,
    };
    let reports = compare_designs(
        &[design_a_plain, design_b],
        &SettlementInput::new(target, target),
        &outturns,
    )
    .map_err(DocumentError::rule)?;
    let _ = writeln!(
        t,
        "  Outturns: normal around the £11.2m target with a 4% standard deviation (seed 2025)."
    );
    let _ = writeln!(
        t,
        "  {:<52} {:>14} {:>14} {:>14}",
        "design (transfer to the alliance)", "mean", "5th pct", "95th pct"
    );
    for r in &reports {
        let _ = writeln!(
            t,
            "  {:<52} {:>14} {:>14} {:>14}",
            r.agreement,
            r.transfer.mean.to_string(),
            r.transfer.p5.to_string(),
            r.transfer.p95.to_string()
        );
    }
    for r in &reports {
        let caps: u32 = r
            .binding
            .gain_caps
            .values()
            .chain(r.binding.loss_caps.values())
            .sum();
        let _ = writeln!(
            t,
            "  {}: caps bound in {} of {} years; nothing shared in {}",
            r.agreement, caps, r.runs, r.binding.nothing_shared
        );
    }
    out.insert("scenarios".into(), j(&reports)?);

    // 6. Ten options scored.
    rule(
        &mut t,
        "6. Ten investment and disinvestment options, scored",
    );
    let options: [(&str, &str, i64, f64, &str); 10] = [
        (
            "diabetes-prevention",
            "Diabetes prevention programme expansion",
            420_000,
            38.0,
            "large",
        ),
        (
            "structured-education",
            "Structured education for type 2 diabetes",
            180_000,
            16.0,
            "some",
        ),
        (
            "foot-protection",
            "Diabetic foot protection service",
            260_000,
            14.0,
            "some",
        ),
        (
            "dementia-advisers",
            "Dementia advisers in primary care",
            310_000,
            12.0,
            "large",
        ),
        (
            "memory-clinic-hub",
            "Memory clinic hub redesign",
            540_000,
            20.0,
            "none",
        ),
        (
            "stroke-esd",
            "Stroke early supported discharge",
            650_000,
            30.0,
            "some",
        ),
        (
            "stroke-6m-review",
            "Six-month stroke reviews",
            150_000,
            5.0,
            "some",
        ),
        (
            "telecare",
            "Telecare for people with dementia",
            380_000,
            9.0,
            "none",
        ),
        (
            "decommission-gp-wound",
            "Decommission duplicated wound clinic",
            -220_000,
            -2.5,
            "none",
        ),
        (
            "decommission-inpatient-beds",
            "Close under-used rehabilitation beds",
            -480_000,
            -6.0,
            "some",
        ),
    ];
    let criteria = vec![
        Criterion::new(
            "health_gain",
            100.0,
            ValueFunction::Linear {
                worst: -10.0,
                best: 40.0,
            },
        ),
        Criterion::new(
            "inequalities",
            50.0,
            ValueFunction::Categories {
                values: [
                    ("none".to_owned(), 0.0),
                    ("some".to_owned(), 50.0),
                    ("large".to_owned(), 100.0),
                ]
                .into(),
            },
        ),
        Criterion::new(
            "net_cost_k",
            70.0,
            ValueFunction::Linear {
                worst: 700.0,
                best: -500.0,
            },
        ),
    ];
    #[allow(clippy::cast_precision_loss)]
    let alternatives: Vec<Alternative> = options
        .iter()
        .map(|(id, _, cost, q, ineq)| {
            Alternative::new(
                *id,
                vec![
                    Performance::Number(*q),
                    Performance::Category((*ineq).to_owned()),
                    Performance::Number(*cost as f64 / 1000.0),
                ],
            )
        })
        .collect();
    let scores = score(&criteria, &alternatives).map_err(DocumentError::rule)?;
    let _ = writeln!(
        t,
        "  {:<28} {:>12} {:>8} {:>14} {:>7} {:>5}",
        "option", "net cost", "QALYs", "cost per QALY", "score", "rank"
    );
    for ((id, _, cost, q, _), s) in options.iter().zip(&scores.options) {
        #[allow(clippy::cast_precision_loss)]
        let cpq = if *q > 0.0 && *cost > 0 {
            format!("£{:.0}", *cost as f64 / q)
        } else {
            "—".to_owned()
        };
        let _ = writeln!(
            t,
            "  {:<28} {:>12} {:>8} {:>14} {:>7.1} {:>5}",
            id,
            Money::from_pounds(*cost).to_string(),
            q,
            cpq,
            s.score,
            s.rank
        );
    }
    out.insert("scores".into(), j(&scores)?);

    // 7. The cost-effectiveness frontier for one decision.
    rule(
        &mut t,
        "7. Stroke discharge: the cost-effectiveness frontier (per 100 patients)",
    );
    let strategies = vec![
        Strategy::new("usual care", m("820000")?, 61.0),
        Strategy::new("ESD basic", m("905000")?, 64.5),
        Strategy::new("ESD enhanced", m("990000")?, 66.0),
        Strategy::new("ESD + home therapy", m("1060000")?, 68.8),
        Strategy::new("inpatient rehab extension", m("1150000")?, 65.0),
    ];
    let rows = calculate_icers(&strategies).map_err(DocumentError::rule)?;
    charts.push((
        7,
        commissioning::priority::chart::ce_plane_svg(
            &rows,
            Some(20_000.0),
            "Stroke discharge: the cost-effectiveness plane (per 100 patients)",
        ),
    ));
    for r in &rows {
        let _ = writeln!(
            t,
            "  {:<26} {:>14} {:>6} {:>4} {}",
            r.id,
            r.cost.to_string(),
            r.effect,
            serde_json::to_value(r.status)
                .ok()
                .and_then(|v| v.as_str().map(str::to_owned))
                .unwrap_or_default(),
            r.icer
                .map_or_else(String::new, |i| format!("ICER £{i:.0} per QALY"))
        );
    }
    let (_, best) = net_monetary_benefit(&strategies, 30_000.0).map_err(DocumentError::rule)?;
    let _ = writeln!(t, "  Best at £30,000 per QALY: {}", best.join(", "));
    out.insert(
        "frontier".into(),
        json!({"rows": j(&rows)?, "best_at_30000": best}),
    );

    // 8. Selection within the budget.
    rule(&mut t, "8. Choosing within a £1.5m development budget");
    let candidates: Vec<Candidate> = options
        .iter()
        .map(|(id, _, cost, q, _)| Candidate::new(*id, Money::from_pounds(*cost), *q))
        .collect();
    let mut problem = Problem::new(m("1500000.00")?, candidates);
    problem.max_cost_per_benefit = Some(m("35000.00")?);
    let chosen = select(&problem).map_err(DocumentError::rule)?;
    let _ = writeln!(
        t,
        "  Exact optimum: {} — cost {}, {} QALYs, {} left",
        chosen.exact.ids.join(", "),
        chosen.exact.cost,
        chosen.exact.benefit,
        chosen.budget_left
    );
    let _ = writeln!(
        t,
        "  League table:  {} — cost {}, {} QALYs",
        chosen.greedy.ids.join(", "),
        chosen.greedy.cost,
        chosen.greedy.benefit
    );
    let _ = writeln!(
        t,
        "  No selection can exceed {:.1} QALYs (the divisible bound).",
        chosen.divisible_bound
    );
    for l in &chosen.left_out {
        let _ = writeln!(
            t,
            "    left out {:<28} {}",
            l.id,
            serde_json::to_value(&l.reason)
                .ok()
                .and_then(|v| v.get("kind").and_then(|k| k.as_str()).map(str::to_owned))
                .unwrap_or_default()
        );
    }
    out.insert("selection".into(), j(&chosen)?);

    // 9. Monitoring.
    rule(
        &mut t,
        "9. Monitoring quality, money and commissioning itself",
    );
    let scan = [
        72.0, 74.5, 71.8, 73.2, 75.1, 72.4, 73.9, 71.5, 74.2, 76.0, 73.1, 72.6, 79.5, 80.2, 81.4,
        79.9, 82.3, 80.7, 81.8, 83.1, 80.9, 82.5, 81.2, 83.6,
    ];
    let series: Vec<Observation> = scan
        .iter()
        .enumerate()
        .filter_map(|(i, v)| {
            let k = u32::try_from(i).ok()?;
            let (y, mo) = (2024 + i32::try_from((k + 3) / 12).ok()?, (k + 3) % 12 + 1);
            Some(Observation::dated(NaiveDate::from_ymd_opt(y, mo, 1)?, *v))
        })
        .collect();
    let mut spc_options = SpcOptions::default();
    spc_options.improvement = Improvement::Increase;
    spc_options.target = Some(80.0);
    let chart = spc(&series, &spc_options).map_err(DocumentError::rule)?;
    charts.push((
        9,
        commissioning::monitor::svg::draw(
            &chart,
            &commissioning::monitor::svg::ChartText {
                subtitle: "Stroke patients with brain imaging within 1 hour, monthly (illustrative)",
                y_title: "Per cent within 1 hour",
                ..commissioning::monitor::svg::ChartText::titled("Brain imaging within 1 hour")
            },
            "demo-spc",
        ),
    ));
    let name = |v: Value| {
        v.as_str()
            .map_or_else(|| "none".to_owned(), |s| s.replace('_', " "))
    };
    let _ = writeln!(
        t,
        "  Brain imaging within 1 hour (monthly, 2 years): variation {}, assurance {} against the 80% target",
        name(j(&chart.variation)?),
        name(j(&chart.assurance)?)
    );
    let kpi_values: Vec<KpiObservation> = scan
        .iter()
        .skip(12)
        .zip(FyMonth::all())
        .map(|(v, mo)| {
            KpiObservation::new(
                year.calendar_month(mo).to_string(),
                Decimal::try_from(*v).unwrap_or_default(),
            )
        })
        .collect();
    let scan_kpi = contracts
        .get(1)
        .and_then(|c| c.quality_requirements.first().cloned())
        .ok_or_else(|| DocumentError::rule("demo: missing KPI"))?;
    let kpis = assess(
        &[KpiSeries::new("ILL-C2", "RZZ", scan_kpi, kpi_values)],
        share("0.2")?,
    )
    .map_err(DocumentError::rule)?;
    for s in &kpis.by_contract {
        let _ = writeln!(
            t,
            "  KPI on {}: {} of {} months met, sanctions {}, status {}",
            s.id,
            s.met,
            s.assessed,
            s.consequences,
            name(j(&s.rag)?)
        );
    }
    let monthly = |v: i64| vec![Money::from_pounds(v); 12];
    let budget = vec![
        BudgetLine::new(
            "acute stroke",
            monthly(812_500),
            vec![
                Money::from_pounds(806_000),
                Money::from_pounds(815_000),
                Money::from_pounds(829_000),
                Money::from_pounds(821_000),
                Money::from_pounds(834_000),
                Money::from_pounds(846_000),
            ],
        ),
        BudgetLine::new("community diabetes", monthly(400_000), monthly(400_000)),
    ];
    let (_, total) = budget_position(&budget, FyMonth::try_new(6).map_err(DocumentError::rule)?)
        .map_err(DocumentError::rule)?;
    let _ = writeln!(
        t,
        "  Budget at M6: year to date {} against {} ({}); run-rate outturn {} against a plan of {}",
        total.ytd_actual,
        total.ytd_plan,
        total.ytd_variance,
        total.forecast_run_rate,
        total.annual_plan
    );
    let pvm = vec![
        PvmLine::new(
            "stroke spells",
            Decimal::from(1440),
            m("6250.00")?,
            Decimal::from(1538),
            m("6250.00")?,
        ),
        PvmLine::new(
            "diabetes outpatients",
            Decimal::from(6000),
            m("180.00")?,
            Decimal::from(6125),
            m("183.60")?,
        ),
    ];
    let (_, effects) = price_volume_mix(&pvm).map_err(DocumentError::rule)?;
    let _ = writeln!(
        t,
        "  Acute money variance {} = price {} + volume {} + mix {}",
        effects.variance, effects.price, effects.volume, effects.mix
    );
    let programmes = vec![
        {
            let mut p = Programme::new(
                "diabetes-redesign",
                "Diabetes pathway redesign",
                m("4800000.00")?,
                vec![
                    Phase::new(
                        PhaseKind::Review,
                        date(2024, 6, 1)?,
                        Some(date(2024, 8, 31)?),
                        Decimal::from(320),
                        m("16000.00")?,
                    ),
                    Phase::new(
                        PhaseKind::Engagement,
                        date(2024, 9, 1)?,
                        Some(date(2024, 11, 30)?),
                        Decimal::from(410),
                        m("20500.00")?,
                    ),
                    Phase::new(
                        PhaseKind::ContractAward,
                        date(2025, 3, 1)?,
                        Some(date(2025, 3, 20)?),
                        Decimal::from(60),
                        m("3000.00")?,
                    ),
                ],
            );
            p.outcomes = Some(
                serde_json::from_value::<Outcomes>(
                    json!({"recurrent_change": "-240000.00", "kpis_improved": 2}),
                )
                .map_err(DocumentError::rule)?,
            );
            p
        },
        Programme::new(
            "dementia-alliance",
            "Dementia alliance",
            m("11200000.00")?,
            vec![Phase::new(
                PhaseKind::Engagement,
                date(2024, 10, 1)?,
                None,
                Decimal::from(2_400),
                m("132000.00")?,
            )],
        ),
    ];
    let portfolio = Portfolio::new(
        m("380000000.00")?,
        m("41000000.00")?,
        m("236000000.00")?,
        m("152000000.00")?,
        programmes,
    );
    let eff = effectiveness(&portfolio, date(2026, 3, 31)?, &Thresholds::default())
        .map_err(DocumentError::rule)?;
    for p in &eff.programmes {
        let _ = writeln!(
            t,
            "  {}: effort {} hours ({}){}{}",
            p.id,
            p.effort_hours,
            p.effort_cost,
            p.cost_per_pound_of_change
                .map_or_else(String::new, |c| format!(", {c} per £1 of recurrent change")),
            p.cut_a_deal
                .as_ref()
                .map_or_else(String::new, |r| format!("; TIME TO CUT A DEAL: {r}"))
        );
    }
    let _ = writeln!(
        t,
        "  Portfolio: {:.1}% of the budget reviewed this year, {:.1}% in block contracts, {:.1}% with measurable objectives",
        eff.portfolio.share_reviewed * Decimal::ONE_HUNDRED,
        eff.portfolio.share_block * Decimal::ONE_HUNDRED,
        eff.portfolio.share_measurable * Decimal::ONE_HUNDRED
    );
    out.insert(
        "monitoring".into(),
        json!({"spc": j(&chart)?, "kpis": j(&kpis)?, "budget_total": j(&total)?, "price_volume_mix": j(&effects)?, "effectiveness": j(&eff)?}),
    );
    comparison(&mut t, &mut out, &mut charts)?;
    uncertainty(&mut t, &mut out)?;
    pooled_budget(&mut t, &mut out)?;
    waiting_list(&mut t, &mut out)?;
    let _ = writeln!(
        t,
        "\nEvery figure above comes from the commissioning libraries; run any step on your own data with the subcommands (commissioning --help)."
    );
    Ok(Report {
        text: t,
        json: Value::Object(out),
        charts,
    })
}

/// Demand and capacity: an ENT waiting list held to 52 weeks, and what clears it by March.
fn waiting_list(
    t: &mut String,
    out: &mut serde_json::Map<String, Value>,
) -> Result<(), DocumentError> {
    use commissioning::demand::{Numbers, waiting};
    let one = |n: Numbers| match n {
        Numbers::One(x) => Ok(x),
        Numbers::Many(_) => Err(DocumentError::rule("demo: expected one number")),
    };
    let (list, referrals, removals, target, weeks_to_march) = (1200.0, 30.0, 27.0, 52.0, 16.0);
    let rule = DocumentError::rule;
    let load = one(waiting::load(&referrals.into(), &removals.into()).map_err(rule)?)?;
    let target_list = one(waiting::target_queue_size(
        &referrals.into(),
        &target.into(),
        &waiting::DEFAULT_FACTOR.into(),
    )
    .map_err(rule)?)?;
    let relief = one(waiting::relief_capacity(
        &referrals.into(),
        &list.into(),
        &target_list.into(),
        &weeks_to_march.into(),
        0.0,
        0.0,
    )
    .map_err(rule)?)?;
    let rtt = waiting::rtt_levels(referrals, &[0.92]).map_err(rule)?;
    let rtt_list = rtt.first().map_or(0.0, |l| l.waiting_list_size);
    let _ = writeln!(
        t,
        "\nDemand and capacity: the ENT waiting list\n========================================="
    );
    let _ = writeln!(
        t,
        "  {list:.0} waiting; {referrals:.0} referrals and {removals:.0} removals a week: a load of {load:.2}, so the list grows while capacity stays as it is."
    );
    let _ = writeln!(
        t,
        "  Held to {target:.0} weeks (a mean wait of {:.0}), the list should be {target_list:.0}; clearing the excess by March ({weeks_to_march:.0} weeks) needs {relief:.1} removals a week, {:.1} more than today.",
        target / waiting::DEFAULT_FACTOR,
        relief - removals
    );
    let _ = writeln!(
        t,
        "  For 92% within 18 weeks (referral to treatment) at {referrals:.0} referrals a week, the list can hold at most {rtt_list:.0}."
    );
    out.insert(
        "demand".into(),
        json!({"load": load, "target_queue_size": target_list, "relief_capacity": relief, "weeks": weeks_to_march, "rtt": j(&rtt)?}),
    );
    Ok(())
}

/// Stroke deaths and expected deaths (indirectly standardised on case mix) at twelve providers:
/// the ICB's acute trust, RZZ, and eleven others of the region. Invented for illustration.
const STROKE_DEATHS: [(&str, f64, f64); 12] = [
    ("RZZ", 212.0, 158.4),
    ("RA1", 143.0, 151.2),
    ("RB2", 98.0, 104.75),
    ("RC3", 305.0, 298.1),
    ("RD4", 61.0, 70.3),
    ("RE5", 188.0, 176.9),
    ("RF6", 122.0, 131.65),
    ("RG7", 254.0, 262.4),
    ("RH8", 77.0, 83.2),
    ("RJ9", 166.0, 171.05),
    ("RK1", 231.0, 219.8),
    ("RL2", 109.0, 118.6),
];

/// Places of England described by deprivation, population (thousands), share over 65 and
/// share rural, with their stroke death rate per 100,000 (directly standardised). Invented.
const PLACES: [(&str, [f64; 4], f64); 12] = [
    ("98Z", [31.4, 312.0, 19.8, 0.11], 41.2),
    ("97Z", [29.8, 288.0, 20.4, 0.14], 33.8),
    ("96Y", [18.2, 545.0, 16.1, 0.05], 28.9),
    ("95X", [27.5, 402.0, 18.9, 0.19], 36.1),
    ("94W", [12.6, 198.0, 24.7, 0.41], 30.2),
    ("93V", [35.9, 251.0, 17.2, 0.03], 47.5),
    ("92U", [22.1, 176.0, 23.5, 0.36], 31.7),
    ("91T", [33.0, 330.0, 18.6, 0.09], 29.4),
    ("90S", [28.7, 265.0, 21.1, 0.16], 31.2),
    ("89R", [30.9, 301.0, 19.1, 0.12], 30.8),
    ("88Q", [24.4, 356.0, 20.9, 0.22], 38.7),
    ("87P", [16.8, 421.0, 22.3, 0.28], 27.6),
];

/// 10. Whether the acute trust and the place differ from their peers.
fn comparison(
    t: &mut String,
    out: &mut serde_json::Map<String, Value>,
    charts: &mut Vec<(u32, String)>,
) -> Result<(), DocumentError> {
    use commissioning::compare::funnel::{FunnelInput, FunnelUnit, funnel};
    use commissioning::compare::opportunity::{OpportunityInput, Peer, Polarity, opportunity};
    use commissioning::compare::peers::{PeerInput, PeerUnit, similar};
    use commissioning::compare::rates::{RatioInput, standardised_ratio};

    let _ = writeln!(
        t,
        "\n10. Challenging provision: stroke mortality against peers\n{}",
        "=".repeat(58)
    );
    let units = STROKE_DEATHS
        .iter()
        .map(|&(id, o, e)| FunnelUnit::new(id, o, e))
        .collect();
    let input = FunnelInput::ratios(units);
    let f = funnel(&input).map_err(DocumentError::rule)?;
    charts.push((
        10,
        commissioning::compare::svg::render(
            &f,
            &commissioning::compare::svg::FunnelChart::new(
                "Stroke mortality against expected, 12 providers",
            ),
        ),
    ));
    let _ = writeln!(
        t,
        "  Funnel plot of 12 providers (SHMI method): phi {:.2}, so the limits are {}",
        f.phi.unwrap_or(f64::NAN),
        if f.adjusted_in_use {
            "widened for overdispersion"
        } else {
            "not adjusted (no overdispersion)"
        }
    );
    for u in f.units.iter().filter(|u| u.outlier_95) {
        let at = f.limits_at(u.denominator);
        let _ = writeln!(
            t,
            "  OUTLIER {}: ratio {:.2} at {:.1} expected deaths, outside the {} limits ({:.2} to {:.2})",
            u.id,
            u.ratio,
            u.denominator,
            if u.outlier_998 { "99.8%" } else { "95%" },
            if u.outlier_998 {
                at.lower_998
            } else {
                at.lower_95
            },
            if u.outlier_998 {
                at.upper_998
            } else {
                at.upper_95
            }
        );
    }
    let rzz = STROKE_DEATHS
        .first()
        .map_or((0.0, 1.0), |&(_, o, e)| (o, e));
    let mut ratio = RatioInput::from_expected(rzz.0, rzz.1);
    ratio.refvalue = 100.0;
    let smr = standardised_ratio(&ratio).map_err(DocumentError::rule)?;
    if let Some(i) = smr.intervals.first() {
        let _ = writeln!(
            t,
            "  RZZ standardised mortality ratio {:.1} (95% interval {:.1} to {:.1}, {}): {:.0} deaths more than expected",
            smr.value,
            i.lower,
            i.upper,
            match smr.method {
                commissioning::compare::intervals::CountMethod::Exact => "exact Poisson limits",
                _ => "Byar's limits",
            },
            rzz.0 - rzz.1
        );
    }
    let variables = [
        "deprivation",
        "population_thousands",
        "pct_over_65",
        "pct_rural",
    ]
    .map(String::from)
    .to_vec();
    let places = PLACES
        .iter()
        .map(|(id, v, _)| PeerUnit::new(*id, v.to_vec()))
        .collect();
    let mut peer_input = PeerInput::new(variables, places, 10);
    peer_input.weights = Some(vec![2.0, 1.0, 1.5, 1.0]);
    let groups = similar(&peer_input).map_err(DocumentError::rule)?;
    let place = groups
        .get("98Z")
        .ok_or_else(|| DocumentError::rule("the demo's place 98Z is missing"))?;
    let _ = writeln!(t, "  Place 98Z's similar 10: {}", place.peers.join(", "));
    let rate = |id: &str| PLACES.iter().find(|p| p.0 == id).map_or(0.0, |p| p.2);
    let peers = place
        .peers
        .iter()
        .zip(&place.distances)
        .map(|(id, d)| {
            let mut p = Peer::new(id.clone(), rate(id));
            p.distance = Some(*d);
            p
        })
        .collect();
    let mut o = OpportunityInput::new(rate("98Z"), 312_000.0, Polarity::LowerIsBetter, peers);
    o.per = 100_000.0;
    o.events = Some(129.0);
    let opp = opportunity(&o).map_err(DocumentError::rule)?;
    let _ = writeln!(
        t,
        "  Stroke deaths per 100,000: 98Z {:.1} against the Best 5 ({}) {:.1}: an opportunity of {:.0} deaths a year",
        rate("98Z"),
        opp.best_ids.join(", "),
        opp.best_mean,
        opp.opportunity
    );
    if let Some(i) = &opp.interval {
        let _ = writeln!(
            t,
            "    95% interval {:.0} to {:.0} deaths; {}",
            i.opportunity_lower,
            i.opportunity_upper,
            if i.significant {
                "the gap is beyond chance: a case to take to the provider"
            } else {
                "the gap could be chance: watch, do not act yet"
            }
        );
    }
    out.insert(
        "comparison".into(),
        json!({"funnel": j(&f)?, "standardised_ratio": j(&smr)?, "peers": j(place)?, "opportunity": j(&opp)?}),
    );
    Ok(())
}

/// 11. The stroke discharge decision under uncertainty, and what it does to the budget.
fn uncertainty(
    t: &mut String,
    out: &mut serde_json::Map<String, Value>,
) -> Result<(), DocumentError> {
    use commissioning::model::rng::SplitMix64;
    use commissioning::priority::budget::{BudgetImpactInput, BudgetYear, budget_impact};
    use commissioning::priority::psa::{Population, Psa, ceac, evpi};

    let _ = writeln!(
        t,
        "\n11. Deciding under uncertainty: early supported discharge\n{}",
        "=".repeat(56)
    );
    // 2,000 simulated patients' costs and QALYs for usual care and ESD: illustrative
    // distributions around the section 7 means (per patient), drawn from a fixed seed.
    let mut rng = SplitMix64::new(2026);
    let mut normal = move || {
        // Box–Muller from two uniform draws in (0, 1].
        let (u, v) = (1.0 - rng.unit(), rng.unit());
        (-2.0 * u.ln()).sqrt() * (2.0 * std::f64::consts::PI * v).cos()
    };
    let strategies = vec!["usual care".to_owned(), "ESD basic".to_owned()];
    let (mut cost, mut effect) = (Vec::new(), Vec::new());
    for _ in 0..2_000 {
        let c_usual = 8_200.0 + 900.0 * normal();
        let c_esd = 9_050.0 + 1_100.0 * normal();
        let e_usual = 0.61 + 0.05 * normal();
        let e_esd = e_usual + 0.035 + 0.03 * normal();
        cost.push(vec![
            m(&format!("{c_usual:.2}"))?,
            m(&format!("{c_esd:.2}"))?,
        ]);
        effect.push(vec![
            (e_usual * 1e6_f64).round() / 1e6,
            (e_esd * 1e6_f64).round() / 1e6,
        ]);
    }
    let psa = Psa::new(strategies, cost, effect).map_err(DocumentError::rule)?;
    let wtp = [m("20000.00")?, m("30000.00")?];
    let curves = ceac(&psa, &wtp).map_err(DocumentError::rule)?;
    for p in &curves.points {
        let _ = writeln!(
            t,
            "  At {} per QALY: {} is optimal on expected net benefit; ESD is the better choice in {:.1}% of 2,000 simulations",
            p.wtp,
            p.frontier,
            p.proportion.get(1).copied().unwrap_or(0.0) * 100.0
        );
    }
    let population = Population {
        by_year: vec![1_200.0; 5],
        discount_rate: Decimal::new(35, 3),
    };
    let value = evpi(&psa, &wtp, Some(&population)).map_err(DocumentError::rule)?;
    if let Some(p) = value.points.first() {
        let _ = writeln!(
            t,
            "  Value of perfect information at £20,000: {} a patient, {} over 5 years of 1,200 strokes (3.5% discount): the most further research could be worth",
            m(&format!("{:.2}", p.evpi))?,
            m(&format!("{:.2}", p.population_evpi.unwrap_or(0.0)))?
        );
    }
    let year = |uptake: &str| -> Result<BudgetYear, DocumentError> {
        let u: Decimal = uptake
            .parse()
            .map_err(|e| DocumentError::rule(format!("{e}")))?;
        Ok(BudgetYear::new(
            1_200,
            Decimal::ONE,
            vec![m("8200.00")?, m("9050.00")?],
            vec![Decimal::ONE, Decimal::ZERO],
            vec![Decimal::ONE - u, u],
        ))
    };
    let mut bia = BudgetImpactInput::new(
        vec!["usual care".into(), "ESD basic".into()],
        vec![year("0.4")?, year("0.7")?, year("0.9")?],
    );
    bia.first_financial_year = Some("2026/27".parse().map_err(DocumentError::rule)?);
    let impact = budget_impact(&bia).map_err(DocumentError::rule)?;
    let by_year: Vec<String> = impact
        .years
        .iter()
        .map(|y| {
            format!(
                "{} {}",
                y.financial_year.map(|f| f.to_string()).unwrap_or_default(),
                y.budget_impact
            )
        })
        .collect();
    let _ = writeln!(
        t,
        "  Budget impact as ESD reaches 40%, 70%, 90% of patients: {}; NICE budget impact test (over £20m in a year) {}",
        by_year.join(", "),
        if impact.budget_impact_test.exceeded {
            "EXCEEDED"
        } else {
            "not exceeded"
        }
    );
    out.insert(
        "uncertainty".into(),
        json!({"ceac": j(&curves)?, "evpi": j(&value)?, "budget_impact": j(&impact)?}),
    );
    Ok(())
}

/// The review as a self-contained HTML page: each numbered section of the text under its
/// heading, with the section's chart above it.
pub(crate) fn html(report: &Report) -> String {
    let lines: Vec<&str> = report.text.lines().collect();
    let mut sections: Vec<crate::html::Section> = Vec::new();
    let mut intro = String::new();
    let mut i = 0;
    while i < lines.len() {
        let line = lines.get(i).copied().unwrap_or("");
        let underlined = lines
            .get(i.saturating_add(1))
            .is_some_and(|next| !next.is_empty() && next.chars().all(|c| c == '='));
        if underlined {
            let number: u32 = line
                .split('.')
                .next()
                .and_then(|n| n.trim().parse().ok())
                .unwrap_or(0);
            let mut body = String::new();
            for (_, svg) in report.charts.iter().filter(|(n, _)| *n == number) {
                body.push_str(&crate::html::chart(svg));
            }
            body.push_str("<pre>");
            // The contents number the sections; the heading keeps its words.
            let heading = line
                .trim()
                .split_once(". ")
                .filter(|(n, _)| n.parse::<u32>().is_ok())
                .map_or(line.trim(), |(_, words)| words);
            sections.push(crate::html::Section {
                id: format!("s{number}"),
                title: heading.to_owned(),
                body,
            });
            i = i.saturating_add(2);
            continue;
        }
        match sections.last_mut() {
            Some(s) => {
                s.body.push_str(&crate::html::escape(line));
                s.body.push('\n');
            }
            None => {
                intro.push_str(line);
                intro.push(' ');
            }
        }
        i = i.saturating_add(1);
    }
    for s in &mut sections {
        s.body.push_str("</pre>");
    }
    crate::html::page(
        "Commissioning review of an illustrative health economy",
        "All organisations, contracts and figures are invented for illustration; every figure comes from the commissioning libraries.",
        &sections,
    )
}

/// 12. The Better Care Fund pool the ICB hosts with the council, at the year end.
fn pooled_budget(
    t: &mut String,
    out: &mut serde_json::Map<String, Value>,
) -> Result<(), DocumentError> {
    use commissioning::risk::pooled::{
        PoolLine, PoolPartner, PooledBudget, WaterfallStep, settle_pool,
    };

    let _ = writeln!(
        t,
        "\n12. The Better Care Fund pool with Example County Council, year end\n{}",
        "=".repeat(66)
    );
    let pool = PooledBudget::new(
        vec![
            PoolPartner::new("Example ICB (QZZ)").hosting(),
            PoolPartner::new("Example County Council").capped(m("250000.00")?),
        ],
        vec![
            PoolLine::new(
                "intermediate care",
                m("6200000.00")?,
                m("6890000.00")?,
                vec![m("4200000.00")?, m("2000000.00")?],
            ),
            PoolLine::new(
                "reablement",
                m("2800000.00")?,
                m("2655000.00")?,
                vec![m("800000.00")?, m("2000000.00")?],
            ),
            PoolLine::new(
                "disabled facilities grant",
                m("1500000.00")?,
                m("1500000.00")?,
                vec![m("0.00")?, m("1500000.00")?],
            ),
        ],
        vec![
            WaterfallStep::Underspends,
            WaterfallStep::RiskReserve,
            WaterfallStep::Uncommitted,
            WaterfallStep::Partners,
            WaterfallStep::Host,
        ],
    )
    .with_risk_reserve(m("250000.00")?)
    .with_uncommitted_schemes(m("75000.00")?);
    let s = settle_pool(&pool).map_err(DocumentError::rule)?;
    for line in &s.explanation {
        let _ = writeln!(t, "  {line}");
    }
    let _ = writeln!(
        t,
        "  The ICB bears {} and the council {} of the overspend; the partners' totals sum with the buffers to the {} overspend.",
        s.partner_totals.first().copied().unwrap_or_default(),
        s.partner_totals.get(1).copied().unwrap_or_default(),
        s.gross_overspend
    );
    out.insert("pooled_budget".into(), j(&s)?);
    Ok(())
}
