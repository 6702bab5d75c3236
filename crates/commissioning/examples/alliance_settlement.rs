//! Settles a year of an illustrative dementia alliance's risk share and splits it between the
//! places that commission it and the providers in the alliance.
//!
//! ```text
//! cargo run --example alliance_settlement
//! ```

#![allow(clippy::print_stdout, clippy::unwrap_used, clippy::expect_used)]

use commissioning::model::{Decimal, Money};
use commissioning::risk::agreement::{
    Agreement, Band, Basis, GainGate, Limit, Mode, Party, PartyGroup, QualityGate, SideRule, Split,
    Threshold, Weighting,
};
use commissioning::risk::settle::{QualityOutcome, QualityResult, SettlementInput, settle};

fn main() {
    // Half of any saving or overspend beyond 1% of the £11.2m target is shared; the alliance's
    // gain is capped at £750,000 and its loss at £400,000; quality scales the gain share.
    let side = |cap: &str| {
        SideRule::new(
            vec![Band::new(
                Threshold::of_target("1%".parse().unwrap()),
                None,
                "0.5".parse().unwrap(),
            )],
            Mode::NetOfThreshold,
        )
        .with_cap(Limit::Amount {
            amount: cap.parse().unwrap(),
        })
    };
    let mut gate = QualityGate::default();
    gate.gain = GainGate::ScaleByScore;
    let split = Split::new(
        PartyGroup::new(
            Weighting::FixedShares,
            vec![
                Party::new("place A", Decimal::new(55, 2)),
                Party::new("place B", Decimal::new(45, 2)),
            ],
        ),
        PartyGroup::new(
            Weighting::ContractValue,
            vec![
                Party::new("community trust", Decimal::from(8_200_000)),
                Party::new("GP federation", Decimal::from(2_300_000)),
                Party::new("memory charity", Decimal::from(700_000)),
            ],
        ),
    );
    let agreement = Agreement::new(
        "Dementia alliance risk share",
        Basis::SharedSavings,
        Some(side("750000.00")),
        Some(side("400000.00")),
    )
    .with_quality(gate)
    .with_split(split);

    let year = SettlementInput::new(
        "11200000.00".parse().unwrap(),
        "10640000.00".parse().unwrap(),
    )
    .with_quality(QualityResult::new(
        QualityOutcome::PartlyMeets,
        Some(Decimal::from(90)),
    ));
    let settlement = settle(&agreement, &year).expect("a valid agreement settles");
    for line in &settlement.explanation {
        println!("{line}");
    }
    let providers: Money = Money::checked_sum(
        settlement
            .split
            .iter()
            .filter(|p| !p.amount.is_negative())
            .map(|p| p.amount),
    )
    .unwrap();
    println!(
        "\nthe providers' parts add up to the transfer: {}",
        providers == settlement.transfer
    );
}
