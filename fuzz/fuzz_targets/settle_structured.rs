//! Structured input: agreements built from arbitrary numbers, settled against arbitrary
//! targets and outturns. No panic; caps hold; the split is exact.
#![no_main]

use arbitrary::{Arbitrary, Unstructured};
use commissioning::model::{Decimal, Money, Rate, Share};
use commissioning::risk::agreement::{Agreement, Band, Basis, Limit, Mode, Party, PartyGroup, SideRule, Split, Threshold, Weighting};
use commissioning::risk::settle::{Role, SettlementInput, settle};
use libfuzzer_sys::fuzz_target;

fn decimal(u: &mut Unstructured<'_>) -> arbitrary::Result<Decimal> {
    let (lo, mid, hi, neg, scale) = (u32::arbitrary(u)?, u32::arbitrary(u)?, u32::arbitrary(u)?, bool::arbitrary(u)?, u32::arbitrary(u)? % 29);
    Ok(Decimal::from_parts(lo, mid, hi % 4, neg, scale))
}

fn side(u: &mut Unstructured<'_>) -> arbitrary::Result<SideRule> {
    let n = usize::from(u8::arbitrary(u)? % 4) + 1;
    let mut bands = Vec::new();
    let mut from = 0i64;
    for i in 0..n {
        let width = i64::from(u16::arbitrary(u)?) + 1;
        let rate = Share::try_new(Decimal::new(i64::from(u8::arbitrary(u)? % 101), 2)).unwrap_or(Share::ZERO);
        let lo = Threshold::of_target(Rate::from_fraction(Decimal::new(from, 4)));
        from += width;
        let hi = (i + 1 < n).then(|| Threshold::of_target(Rate::from_fraction(Decimal::new(from, 4))));
        let mut b = Band::new(lo, hi, rate);
        if bool::arbitrary(u)? {
            b = b.exclusive();
        }
        bands.push(b);
    }
    let mode = if bool::arbitrary(u)? { Mode::FirstDollar } else { Mode::NetOfThreshold };
    let mut rule = SideRule::new(bands, mode);
    if bool::arbitrary(u)? {
        rule = rule.with_cap(Limit::Amount { amount: Money::new(decimal(u)?.abs()) });
    }
    Ok(rule)
}

fn run(u: &mut Unstructured<'_>) -> arbitrary::Result<()> {
    let basis = if bool::arbitrary(u)? { Basis::SharedSavings } else { Basis::RiskCorridor };
    let gain = if bool::arbitrary(u)? { Some(side(u)?) } else { None };
    let loss = if bool::arbitrary(u)? { Some(side(u)?) } else { None };
    let parties = (0..(u8::arbitrary(u)? % 5 + 1)).map(|i| Ok(Party::new(format!("P{i}"), Decimal::from(u16::arbitrary(u)?)))).collect::<arbitrary::Result<Vec<_>>>()?;
    let agreement = Agreement::new("fuzz", basis, gain, loss)
        .with_split(Split::new(PartyGroup::new(Weighting::Custom, vec![Party::new("C", Decimal::ONE)]), PartyGroup::new(Weighting::Custom, parties)));
    let input = SettlementInput::new(Money::new(decimal(u)?), Money::new(decimal(u)?));
    if let Ok(s) = settle(&agreement, &input) {
        let providers = Money::checked_sum(s.split.iter().filter(|p| p.role == Role::Provider).map(|p| p.amount)).ok();
        assert_eq!(providers, Some(s.transfer));
        assert!(s.transfer.abs() <= s.variance.abs().round_pence());
    }
    Ok(())
}

fuzz_target!(|data: &[u8]| {
    let _ = run(&mut Unstructured::new(data));
});
