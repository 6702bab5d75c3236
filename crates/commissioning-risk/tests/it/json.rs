//! Agreements, inputs and settlements travel as JSON and back unchanged.

use commissioning_model::{Decimal, Money};
use commissioning_risk::agreement::Agreement;
use commissioning_risk::multiyear::{
    MultiYearAgreement, MultiYearSettlement, YearInput, settle_term,
};
use commissioning_risk::presets::{
    MsspTrack, PartDYears, aca_risk_corridor, mssp, part_d_risk_corridor,
};
use commissioning_risk::scenario::{Distribution, Outturns, ScenarioReport, compare_designs};
use commissioning_risk::settle::{
    QualityOutcome, QualityResult, Settlement, SettlementInput, settle,
};

const ALLIANCE: &str = r#"{
  "name": "Stroke alliance risk share",
  "basis": "shared_savings",
  "gain": {
    "mode": "net_of_threshold",
    "bands": [
      {"from": {"kind": "of_target", "rate": "1%"}, "to": {"kind": "of_target", "rate": "5%"}, "rate": "0.5"},
      {"from": {"kind": "of_target", "rate": "5%"}, "rate": "0.25"}
    ],
    "caps": [{"kind": "amount", "amount": "1500000.00"}]
  },
  "loss": {
    "mode": "first_dollar",
    "bands": [{"from": {"kind": "amount", "amount": "250000.00"}, "rate": "0.5", "from_inclusive": false}],
    "caps": [{"kind": "of_base", "base": "revenue", "rate": "0.02"}, {"kind": "of_target", "rate": "0.03"}]
  },
  "quality": {"gain": "scale_by_score"},
  "split": {
    "commissioners": {"weighting": "fixed_shares", "parties": [{"id": "QWO", "weight": "0.75"}, {"id": "02T", "weight": "0.25"}]},
    "providers": {"weighting": "contract_value", "parties": [
      {"id": "RWY", "weight": "42000000"}, {"id": "RXG", "weight": "17500000"},
      {"id": "8J123", "weight": "3100000", "cap": "30000.00"}]}
  },
  "rounding": "half_even"
}"#;

fn alliance() -> Agreement {
    serde_json::from_str(ALLIANCE).unwrap()
}

#[test]
fn agreements_round_trip() {
    let designs = vec![
        alliance(),
        aca_risk_corridor(),
        part_d_risk_corridor(PartDYears::Y2006To2007, true).unwrap(),
        mssp(
            MsspTrack::Enhanced,
            "2%".parse().unwrap(),
            "2%".parse().unwrap(),
        )
        .unwrap(),
        mssp(
            MsspTrack::BasicE,
            "1%".parse().unwrap(),
            "1%".parse().unwrap(),
        )
        .unwrap(),
    ];
    for a in designs {
        a.validate().unwrap();
        let text = serde_json::to_string_pretty(&a).unwrap();
        let back: Agreement = serde_json::from_str(&text).unwrap();
        assert_eq!(back, a, "{text}");
    }
}

#[test]
fn settlements_round_trip_and_explain_themselves() {
    let input = SettlementInput::new(
        "60000000.00".parse().unwrap(),
        "57000000.00".parse().unwrap(),
    )
    .with_quality(QualityResult::new(
        QualityOutcome::PartlyMeets,
        Some(Decimal::from(80)),
    ));
    let s = settle(&alliance(), &input).unwrap();
    // Saving £3m on £60m: 50% of £2.4m between 1% and 5% = £1.2m; 80% quality = £960,000.
    assert_eq!(s.transfer, "960000.00".parse::<Money>().unwrap());
    let small = s.split.iter().find(|p| p.id == "8J123").unwrap();
    assert_eq!(
        small.amount,
        "30000.00".parse::<Money>().unwrap(),
        "the small provider's cap binds"
    );
    assert_eq!(
        s.explanation,
        [
            "Stroke alliance risk share: target £60,000,000.00, outturn £57,000,000.00, variance £3,000,000.00 (below target: the gain side)",
            "net-of-threshold sharing: 50% of £2,400,000.00 in band 1 (£600,000.00 to £3,000,000.00) = £1,200,000.00",
            "quality partly meets with score 80, so the gain share is scaled by 80%: £1,200,000.00 becomes £960,000.00",
            "the commissioner pays the provider £960,000.00",
            "transfer: £960,000.00 (the commissioner pays the provider £960,000.00)",
            "  QWO (commissioner): -£720,000.00",
            "  02T (commissioner): -£240,000.00",
            "  RWY (provider): £656,470.59",
            "  RXG (provider): £273,529.41",
            "  8J123 (provider): £30,000.00",
        ]
    );
    let text = serde_json::to_string(&s).unwrap();
    let back: Settlement = serde_json::from_str(&text).unwrap();
    assert_eq!(back, s);
    let input_text = serde_json::to_string(&input).unwrap();
    assert_eq!(
        serde_json::from_str::<SettlementInput>(&input_text).unwrap(),
        input
    );
}

#[test]
fn loss_side_needs_its_base() {
    let input = SettlementInput::new(
        "60000000.00".parse().unwrap(),
        "62000000.00".parse().unwrap(),
    );
    let err = settle(&alliance(), &input).unwrap_err().to_string();
    assert!(
        err.contains("bases.revenue") && err.contains("loss.caps[0]"),
        "{err}"
    );
    let s = settle(
        &alliance(),
        &input.with_base("revenue", "50000000.00".parse().unwrap()),
    )
    .unwrap();
    // £2m over, beyond the £250,000 threshold: first-dollar 50% = £1m; the collars are £1m
    // (2% of revenue) and £1.8m (3% of target), so the lesser, £1m, is exactly reached.
    assert_eq!(s.transfer, "-1000000.00".parse::<Money>().unwrap());
}

#[test]
fn unknown_fields_are_named() {
    let text = ALLIANCE.replacen("\"basis\"", "\"bassis\": 1, \"basis\"", 1);
    let err = serde_json::from_str::<Agreement>(&text)
        .unwrap_err()
        .to_string();
    assert!(err.contains("unknown field `bassis`"), "{err}");
    let text = ALLIANCE.replacen("\"rate\": \"0.25\"", "\"rate\": \"0.25\", \"colour\": 1", 1);
    assert!(
        serde_json::from_str::<Agreement>(&text)
            .unwrap_err()
            .to_string()
            .contains("colour")
    );
}

#[test]
fn multi_year_and_scenario_reports_round_trip() {
    let term = MultiYearAgreement::new(aca_risk_corridor());
    let years: Vec<YearInput> = (2025..2028)
        .zip(["104000000.00", "95000000.00", "112000000.00"])
        .map(|(y, o)| {
            YearInput::new(
                commissioning_model::FinancialYear::try_new(y).unwrap(),
                SettlementInput::new("100000000.00".parse().unwrap(), o.parse().unwrap()),
            )
        })
        .collect();
    let r = settle_term(&term, &years).unwrap();
    let back: MultiYearSettlement =
        serde_json::from_str(&serde_json::to_string(&r).unwrap()).unwrap();
    assert_eq!(back, r);
    let outturns = Outturns::Simulated {
        distribution: Distribution::Triangular {
            low: "90000000.00".parse().unwrap(),
            mode: "100000000.00".parse().unwrap(),
            high: "120000000.00".parse().unwrap(),
        },
        count: 500,
        seed: 1,
    };
    let reports = compare_designs(
        &[
            aca_risk_corridor(),
            part_d_risk_corridor(PartDYears::Y2008Onwards, false).unwrap(),
        ],
        &SettlementInput::new("100000000.00".parse().unwrap(), Money::ZERO),
        &outturns,
    )
    .unwrap();
    assert_eq!(reports.len(), 2);
    assert_eq!(
        reports[0].outturn, reports[1].outturn,
        "both designs see the same outturns"
    );
    for rep in reports {
        let back: ScenarioReport =
            serde_json::from_str(&serde_json::to_string(&rep).unwrap()).unwrap();
        assert_eq!(back, rep);
    }
}
