//! JSON round trips and whole-document validation.

use commissioning_model::contract::{Contract, IncentiveScheme};
use commissioning_model::{Decimal, FinancialYear, Money, Rounding};

fn alliance() -> Contract {
    let text = include_str!("../data/alliance_contract.json");
    serde_json::from_str(text).expect("the sample contract reads")
}

#[test]
fn full_contract_round_trips_unchanged() {
    let contract = alliance();
    assert!(contract.validate().is_empty(), "{:?}", contract.validate());
    let once = serde_json::to_string_pretty(&contract).expect("write");
    let back: Contract = serde_json::from_str(&once).expect("read back");
    assert_eq!(back, contract);
    let twice = serde_json::to_string_pretty(&back).expect("write again");
    assert_eq!(once, twice, "serialisation is deterministic");
}

#[test]
fn full_contract_values() {
    let c = alliance();
    // 4,800,000 + 9,000,000 + 1,210.50 × 2,400 + 385 × 1,800 + 212.40 × (1,450 × 1.2 + 2,210 × 0.9)
    //   = 4,800,000 + 9,000,000 + 2,905,200 + 693,000 + 792,039.60
    let expected: Money = "18190239.60".parse().expect("money");
    assert_eq!(
        c.expected_annual_value().expect("value").round_pence(),
        expected
    );
    let months = c
        .monthly_instalments(Rounding::HalfUp)
        .expect("instalments");
    assert_eq!(Money::checked_sum(months).expect("sum"), expected);
    let cquin = c.incentive.as_ref().expect("cquin");
    let value = cquin.value(expected).expect("cquin value");
    assert_eq!(value, "227377.995".parse().expect("money")); // 1.25%, exact
    let parts = cquin
        .indicator_values(expected, Rounding::HalfUp)
        .expect("split");
    assert_eq!(
        parts.iter().map(ToString::to_string).collect::<Vec<_>>(),
        ["£56,844.50", "£56,844.50", "£113,689.00"]
    );
    assert!(matches!(cquin, IncentiveScheme::Cquin { .. }));
    let ix = c
        .indexation_for(FinancialYear::try_new(2025).expect("fy"))
        .expect("indexation");
    assert_eq!(
        ix.net_change().expect("net").fraction(),
        Decimal::new(2067, 5)
    ); // 1.0415 × 0.98 − 1
}

#[test]
fn validation_reports_every_problem_with_its_path() {
    let mut c = alliance();
    c.commissioners
        .iter_mut()
        .for_each(|p| p.coordinating = true);
    c.term.end = c.term.start;
    if let Some(line) = c.service_lines.get_mut(1) {
        line.id = "diabetes-community".into();
    }
    c.quality_requirements[0].threshold = Decimal::from(120);
    let issues = c.validate();
    let paths: Vec<&str> = issues.iter().map(|i| i.path.as_str()).collect();
    assert_eq!(
        paths,
        [
            "commissioners",
            "term.end",
            "service_lines[1].id",
            "quality_requirements[0].threshold"
        ],
        "{issues:#?}"
    );
    let err = c.check().expect_err("invalid");
    assert!(
        err.to_string()
            .contains("exactly one commissioner must be co-ordinating, found 2"),
        "{err}"
    );
}

#[test]
fn unknown_fields_are_named() {
    let text = include_str!("../data/alliance_contract.json").replacen(
        "\"title\"",
        "\"colour\": 1, \"title\"",
        1,
    );
    let err = serde_json::from_str::<Contract>(&text)
        .expect_err("unknown field")
        .to_string();
    assert!(err.contains("unknown field `colour`"), "{err}");
    let text = include_str!("../data/alliance_contract.json").replacen(
        "\"unit_price\"",
        "\"unit_prise\": 1, \"unit_price\"",
        1,
    );
    let err = serde_json::from_str::<Contract>(&text)
        .expect_err("unknown field")
        .to_string();
    assert!(err.contains("unit_prise"), "{err}");
}

#[test]
fn malformed_values_are_rejected_with_the_rule() {
    let cases = [
        ("\"2025-04-01\"", "\"2025-02-30\"", "no such day"),
        ("\"QWO\"", "\"QW\"", "3 to 10 letters or digits"),
        ("\"RWY\"", "\"R-WY\"", "3 to 10 letters or digits"),
        ("\"0.75\"", "\"1.5\"", "between 0 and 1"),
        ("\"4800000.00\"", "4800000.5", "decimal strings"),
        ("\"2025/26\"", "\"2025/27\"", "second year must follow"),
        ("\"307\"", "\"3O7\"", "treatment function"),
    ];
    for (good, bad, rule) in cases {
        let text = include_str!("../data/alliance_contract.json").replacen(good, bad, 1);
        let err = serde_json::from_str::<Contract>(&text)
            .expect_err(bad)
            .to_string();
        assert!(err.contains(rule), "{bad}: {err}");
    }
}

#[test]
fn public_types_are_send_and_sync() {
    fn check<T: Send + Sync>() {}
    check::<Contract>();
    check::<Money>();
    check::<commissioning_model::ModelError>();
    check::<commissioning_model::organisation::Organisations>();
    check::<commissioning_model::activity::ActivitySchedule>();
    check::<commissioning_model::activity::VarianceReport>();
    check::<commissioning_model::payment::PaymentModel>();
}
