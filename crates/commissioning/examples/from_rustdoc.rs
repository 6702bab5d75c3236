//! What a Rust developer writes from rustdoc alone, with one import: a contract and an alliance
//! risk share built from Rust values, settled to the penny, and the providers compared on a
//! funnel plot drawn as SVG.
//!
//! ```text
//! cargo run --example from_rustdoc
//! ```

#![allow(clippy::print_stdout)]

use commissioning::prelude::*;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let date = |y, m, d| NaiveDate::from_ymd_opt(y, m, d).ok_or("no such date");
    let code = |c: &str| c.parse::<OdsCode>();

    // 1. The contract: an alliance delivering community stroke rehabilitation, on a block.
    let contract = Contract::new(
        "ILL-C9",
        ContractForm::FullLength,
        vec![ContractCommissioner::new(code("QZZ")?, true)],
        ProviderParty::alliance(
            "Stroke rehabilitation alliance",
            vec![code("RZY")?, code("ZZGPF")?],
            Some(code("RZY")?),
        ),
        Term::new(date(2025, 4, 1)?, date(2028, 3, 31)?)
            .with_extension(Extension::new(date(2030, 3, 31)?)),
        PaymentMechanism::AlignedPaymentAndIncentive,
        vec![ServiceLine::new(
            "stroke-rehab",
            ServiceArea::stroke(),
            PointOfDelivery::Community,
            PaymentModel::Block {
                annual_value: Money::from_pounds(2_400_000),
            },
        )],
    )
    .titled("Community stroke rehabilitation")
    .with_quality_requirement(QualityRequirement::new(
        "six-month-review",
        "Six-month reviews completed",
        KpiUnit::Percent,
        Direction::HigherIsBetter,
        Decimal::from(90),
        ReportingPeriod::Quarterly,
        Consequence::RemedialActionPlan,
    ));
    assert!(contract.validate().is_empty(), "{:?}", contract.validate());
    let months = contract.monthly_instalments(Rounding::HalfUp)?;
    assert_eq!(months.first(), Some(&Money::from_pounds(200_000)));
    println!(
        "{}: valid; monthly instalment {}",
        contract.title,
        Money::from_pounds(200_000)
    );

    // 2. The agreement: half of any saving beyond 1% of the target, scaled by quality, split
    //    between the two members by contract value.
    let gain = SideRule::new(
        vec![Band::new(
            Threshold::of_target("1%".parse()?),
            None,
            "0.5".parse()?,
        )],
        Mode::NetOfThreshold,
    );
    let split = Split::new(
        PartyGroup::new(
            Weighting::FixedShares,
            vec![Party::new("QZZ", Decimal::ONE)],
        ),
        PartyGroup::new(
            Weighting::ContractValue,
            vec![
                Party::new("RZY", Decimal::from(1_800_000)),
                Party::new("ZZGPF", Decimal::from(600_000)),
            ],
        ),
    );
    let agreement = Agreement::new(
        "Stroke rehabilitation risk share",
        Basis::SharedSavings,
        Some(gain),
        None,
    )
    .with_quality(QualityGate::new(GainGate::ScaleByScore))
    .with_split(split);
    agreement.validate()?;
    let input = SettlementInput::new(Money::from_pounds(2_400_000), Money::from_pounds(2_300_000))
        .with_quality(QualityResult::new(
            QualityOutcome::PartlyMeets,
            Some(Decimal::from(80)),
        ));
    let settled = settle(&agreement, &input)?;
    // The saving is £100,000; 1% of the target is £24,000; half of the £76,000 beyond it is
    // £38,000; quality at 80 scales it to £30,400, shared 3:1 by contract value.
    assert_eq!(settled.transfer, Money::from_pounds(30_400));
    let to = |id: &str| settled.split.iter().find(|p| p.id == id).map(|p| p.amount);
    assert_eq!(to("RZY"), Some(Money::from_pounds(22_800)));
    assert_eq!(to("ZZGPF"), Some(Money::from_pounds(7_600)));
    for line in &settled.explanation {
        println!("  {line}");
    }

    // 3. The selection: what the £30,400 and a £219,600 development pot buy, if a duplicated
    //    clinic (saving £40,000 for a small loss of benefit) may be decommissioned.
    let problem = Problem::new(
        Money::from_pounds(250_000),
        vec![
            Candidate::new(
                "early supported discharge",
                Money::from_pounds(150_000),
                12.0,
            ),
            Candidate::new("six-month reviews", Money::from_pounds(60_000), 4.5),
            Candidate::new("carer support", Money::from_pounds(80_000), 5.0),
            Candidate::new("duplicate clinic", Money::from_pounds(-40_000), -0.5),
        ],
    );
    let chosen = select(&problem)?;
    assert_eq!(
        chosen.exact.ids,
        [
            "carer support",
            "duplicate clinic",
            "early supported discharge",
            "six-month reviews"
        ]
    );
    // Without decommissioning, £250,000 buys at most 17 units of benefit; with it, 21.
    assert_eq!(chosen.exact.cost, Money::from_pounds(250_000));
    assert!((chosen.exact.benefit - 21.0).abs() < 1e-9);
    println!(
        "chosen: {} for {} (benefit {})",
        chosen.exact.ids.join(", "),
        chosen.exact.cost,
        chosen.exact.benefit
    );

    // 4. The challenge: stroke deaths at six providers against expected, on a funnel plot
    //    with FunnelPlotR's overdispersion, drawn as SVG.
    let units = [
        ("RZY", 100.0, 108.0),
        ("RXF", 150.0, 112.0),
        ("RWY", 180.0, 165.0),
        ("RR8", 80.0, 95.0),
        ("RAE", 120.0, 100.0),
        ("RCF", 225.0, 220.0),
    ]
    .iter()
    .map(|&(id, o, e)| FunnelUnit::new(id, o, e))
    .collect();
    // The plot borrows the units' ids from its input, so the input is kept in a variable.
    let input = FunnelInput::ratios(units);
    let plot = funnel(&input)?;
    assert_eq!(plot.outliers_95, 0); // within the limits once overdispersion is allowed for
    let mut chart = FunnelChart::new("Stroke mortality");
    chart.polarity = Some(Polarity::LowerIsBetter);
    let svg = funnel_svg(&plot, &chart);
    assert!(svg.starts_with("<svg"));
    println!(
        "funnel plot: φ = {:.2}, {} bytes of SVG",
        plot.phi.unwrap_or(f64::NAN),
        svg.len()
    );
    Ok(())
}
