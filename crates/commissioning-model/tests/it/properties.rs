//! Invariants checked on generated input.

use commissioning_model::period::FyMonth;
use commissioning_model::{Decimal, FinancialYear, Money, Rounding, allocate, instalments};
use proptest::prelude::*;

/// Any `Decimal` at all, including values near `Decimal::MAX` and with 28 decimal places.
fn any_decimal() -> impl Strategy<Value = Decimal> {
    (
        any::<u32>(),
        any::<u32>(),
        any::<u32>(),
        any::<bool>(),
        0u32..=28,
    )
        .prop_map(|(lo, mid, hi, neg, scale)| Decimal::from_parts(lo, mid, hi, neg, scale))
}

/// Amounts of money up to about ±£10¹⁵ in pence or finer.
fn amount() -> impl Strategy<Value = Money> {
    (any::<i64>(), 0u32..=6).prop_map(|(m, scale)| Money::new(Decimal::new(m, scale)))
}

fn weights() -> impl Strategy<Value = Vec<Decimal>> {
    prop::collection::vec(
        (0u64..=10_000_000_000, 0u32..=8)
            .prop_map(|(m, s)| Decimal::new(i64::try_from(m).unwrap_or(0), s)),
        1..40,
    )
}

fn rounding() -> impl Strategy<Value = Rounding> {
    prop_oneof![Just(Rounding::HalfUp), Just(Rounding::HalfEven)]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2_000))]

    #[test]
    fn allocation_sums_exactly_to_the_rounded_total(total in amount(), w in weights(), mode in rounding()) {
        prop_assume!(w.iter().any(|x| !x.is_zero()));
        let parts = allocate(total, &w, mode).expect("valid weights");
        prop_assert_eq!(parts.len(), w.len());
        prop_assert_eq!(Money::checked_sum(parts.iter().copied()).expect("sum"), total.round(mode));
        for (p, wi) in parts.iter().zip(&w) {
            prop_assert!(p.is_whole_pence());
            if wi.is_zero() { prop_assert!(p.is_zero()); }
            // Every part is within one penny of its exact share.
            let sum_w: Decimal = w.iter().sum();
            if let Some(exact) = total.round(mode).amount().checked_mul(*wi).and_then(|x| x.checked_div(sum_w)) {
                prop_assert!((p.amount() - exact).abs() < Decimal::new(1, 2), "part {} exact {}", p, exact);
            }
        }
    }

    #[test]
    fn allocation_of_a_loss_mirrors_the_gain(total in amount(), w in weights()) {
        prop_assume!(w.iter().any(|x| !x.is_zero()));
        let gain = allocate(total, &w, Rounding::HalfUp).expect("gain");
        let loss = allocate(-total, &w, Rounding::HalfUp).expect("loss");
        let negated: Vec<Money> = gain.into_iter().map(|m| -m).collect();
        prop_assert_eq!(loss, negated);
    }

    #[test]
    fn instalments_sum_exactly(total in amount(), n in 1u32..=60, mode in rounding()) {
        let parts = instalments(total, n, mode).expect("instalments");
        prop_assert_eq!(parts.len(), n as usize);
        prop_assert_eq!(Money::checked_sum(parts.iter().copied()).expect("sum"), total.round(mode));
        let max = parts.iter().max().copied().unwrap_or_default();
        let min = parts.iter().min().copied().unwrap_or_default();
        prop_assert!((max.checked_sub(min).expect("spread")).abs() <= Money::from_pence(1));
    }

    #[test]
    fn no_panic_on_any_decimal(a in any_decimal(), b in any_decimal(), w in prop::collection::vec(any_decimal(), 0..6)) {
        let x = Money::new(a);
        let y = Money::new(b);
        let _ = x.checked_add(y);
        let _ = x.checked_sub(y);
        let _ = x.checked_mul_decimal(b);
        let _ = x.checked_div_decimal(b);
        let _ = x.checked_ratio(y);
        let rounded = x.round(Rounding::HalfUp);
        prop_assert!(rounded.is_whole_pence());
        let _ = x.round(Rounding::HalfEven);
        let _ = x.to_pence();
        let shown = x.to_string();
        prop_assert!(shown.contains('£'));
        let _ = shown.parse::<Money>();
        if let Ok(parts) = allocate(x, &w, Rounding::HalfUp) {
            prop_assert_eq!(Money::checked_sum(parts).expect("sum"), rounded);
        }
        let _ = instalments(x, 12, Rounding::HalfEven);
    }

    #[test]
    fn money_text_round_trips(m in amount()) {
        let plain = m.amount().to_string();
        prop_assert_eq!(plain.parse::<Money>().expect("plain"), m);
        prop_assert_eq!(m.to_string().parse::<Money>().expect("display"), m);
        let json = serde_json::to_string(&m).expect("json");
        prop_assert_eq!(serde_json::from_str::<Money>(&json).expect("back"), m);
    }

    #[test]
    fn financial_year_label_round_trips(start in 1000i32..=9998) {
        let fy = FinancialYear::try_new(start).expect("year");
        let label = fy.to_string();
        prop_assert_eq!(label.parse::<FinancialYear>().expect("parse"), fy);
        prop_assert!(fy.contains(fy.start_date()) && fy.contains(fy.end_date()));
        prop_assert_eq!(FinancialYear::containing(fy.end_date()).expect("contains"), fy);
        prop_assert!(fy.days() == 365 || fy.days() == 366);
        let months: Vec<_> = fy.months().collect();
        prop_assert_eq!(months.len(), 12);
        for (m, cm) in FyMonth::all().zip(&months) {
            prop_assert_eq!(cm.fy_month(), m);
        }
    }

    #[test]
    fn financial_year_parser_never_panics(text in "\\PC{0,12}") {
        let _ = text.parse::<FinancialYear>();
        let _ = text.parse::<Money>();
        let _ = text.parse::<FyMonth>();
    }
}
