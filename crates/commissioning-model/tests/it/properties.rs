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

mod contracts {
    use chrono::NaiveDate;
    use commissioning_model::contract::{
        Consequence, Contract, ContractCommissioner, ContractForm, CquinIndicator, Direction,
        Extension, IncentiveScheme, Indexation, KpiUnit, NetMethod, PaymentMechanism,
        ProviderParty, QualityRequirement, ReportingPeriod, ServiceLine, Term,
    };
    use commissioning_model::ods::OdsCode;
    use commissioning_model::payment::{CapitationGroup, PaymentModel, Variation};
    use commissioning_model::service::{PointOfDelivery, ServiceArea};
    use commissioning_model::{Decimal, FinancialYear, Money, Rate, Share};
    use proptest::prelude::*;

    fn money() -> impl Strategy<Value = Money> {
        (0i64..=1_000_000_000_000, 0u32..=4).prop_map(|(m, s)| Money::new(Decimal::new(m, s)))
    }

    fn quantity() -> impl Strategy<Value = Decimal> {
        (0i64..=10_000_000, 0u32..=3).prop_map(|(m, s)| Decimal::new(m, s))
    }

    fn share() -> impl Strategy<Value = Share> {
        (0i64..=10_000).prop_map(|m| Share::try_new(Decimal::new(m, 4)).expect("in range"))
    }

    fn date() -> impl Strategy<Value = NaiveDate> {
        (2000i32..=2090, 1u32..=12, 1u32..=28)
            .prop_map(|(y, m, d)| NaiveDate::from_ymd_opt(y, m, d).expect("real day"))
    }

    fn code() -> impl Strategy<Value = OdsCode> {
        "[A-Z0-9]{3,10}".prop_map(|c| OdsCode::parse(&c).expect("valid"))
    }

    fn payment() -> impl Strategy<Value = PaymentModel> {
        prop_oneof![
            money().prop_map(|annual_value| PaymentModel::Block { annual_value }),
            (money(), quantity()).prop_map(|(price, planned_activity)| {
                PaymentModel::CostAndVolume {
                    price,
                    planned_activity,
                }
            }),
            (money(), proptest::option::of(quantity())).prop_map(|(price, expected_cases)| {
                PaymentModel::CostPerCase {
                    price,
                    expected_cases,
                }
            }),
            (
                money(),
                money(),
                quantity(),
                share(),
                prop_oneof![
                    Just(Variation::Symmetric),
                    Just(Variation::AboveOnly),
                    Just(Variation::BelowOnly)
                ]
            )
                .prop_map(
                    |(fixed, unit_price, baseline_activity, variable_rate, variation)| {
                        PaymentModel::Blended {
                            fixed,
                            unit_price,
                            baseline_activity,
                            variable_rate,
                            variation,
                        }
                    }
                ),
            (
                money(),
                prop::collection::vec((quantity(), quantity()), 1..4)
            )
                .prop_map(|(rate_per_head, g)| PaymentModel::Capitated {
                    rate_per_head,
                    groups: g
                        .into_iter()
                        .enumerate()
                        .map(|(i, (p, w))| CapitationGroup::new(format!("G{i}"), p, w))
                        .collect(),
                }),
        ]
    }

    fn pod() -> impl Strategy<Value = PointOfDelivery> {
        prop_oneof![
            Just(PointOfDelivery::Elective),
            Just(PointOfDelivery::NonElective),
            Just(PointOfDelivery::OutpatientFollowUp),
            Just(PointOfDelivery::AccidentAndEmergency),
            Just(PointOfDelivery::Community),
            Just(PointOfDelivery::Other),
        ]
    }

    fn consequence() -> impl Strategy<Value = Consequence> {
        prop_oneof![
            Just(Consequence::None),
            Just(Consequence::RemedialActionPlan),
            money().prop_map(|amount_per_breach| Consequence::Sanction { amount_per_breach }),
            share().prop_map(|share_of_monthly_value| Consequence::Withhold {
                share_of_monthly_value
            }),
        ]
    }

    prop_compose! {
        fn contract()(
            id in "[A-Za-z0-9 \\-\"\\\\é£]{1,20}",
            commissioners in prop::collection::vec((code(), any::<bool>()), 1..4),
            alliance in proptest::option::of(prop::collection::vec(code(), 2..5)),
            single in code(),
            start in date(),
            ends in prop::collection::vec(1i64..2_000, 1..4),
            lines in prop::collection::vec((pod(), payment()), 1..5),
            kpis in prop::collection::vec((quantity(), any::<bool>(), consequence()), 0..4),
            cquin in proptest::option::of((share(), prop::collection::vec(quantity(), 1..4))),
            uplift in (-500i64..=1_000), efficiency in (0i64..=500),
        ) -> Contract {
            let provider = match alliance {
                Some(members) => ProviderParty::Alliance { name: "alliance".into(), lead: members.first().cloned(), members },
                None => ProviderParty::Single { code: single },
            };
            let mut term = Term::new(start, start + chrono::Days::new(ends[0].unsigned_abs()));
            let mut last = term.end;
            for extra in ends.iter().skip(1) {
                last = last + chrono::Days::new(extra.unsigned_abs());
                term.extensions.push(serde_json::from_value::<Extension>(serde_json::json!({"end": last.to_string(), "exercised": extra % 2 == 0})).expect("extension"));
            }
            let service_lines = lines.into_iter().enumerate().map(|(i, (p, pay))| {
                ServiceLine::new(format!("line-{i}"), ServiceArea::stroke(), p, pay)
            }).collect();
            let quality_requirements = kpis.into_iter().enumerate().map(|(i, (t, higher, c))| {
                let dir = if higher { Direction::HigherIsBetter } else { Direction::LowerIsBetter };
                QualityRequirement::new(format!("kpi-{i}"), "measure", KpiUnit::Count, dir, t, ReportingPeriod::Quarterly, c)
            }).collect();
            let incentive = cquin.map(|(s, w)| IncentiveScheme::Cquin {
                share_of_value: s,
                indicators: w.into_iter().enumerate().map(|(i, weight)| serde_json::from_value::<CquinIndicator>(
                    serde_json::json!({"id": format!("C{i}"), "name": "indicator", "weight": weight.to_string()})).expect("indicator")).collect(),
            });
            let indexation = vec![Indexation::new(
                FinancialYear::containing(start).expect("year"), "generated",
                Rate::from_fraction(Decimal::new(uplift, 4)), Rate::from_fraction(Decimal::new(efficiency, 4)),
                if uplift % 2 == 0 { NetMethod::Additive } else { NetMethod::Multiplicative })];
            let mut c: Contract = serde_json::from_value(serde_json::json!({
                "id": "x", "form": "full_length",
                "commissioners": [], "provider": {"kind": "single", "code": "RWY"},
                "term": {"start": "2025-04-01", "end": "2026-03-31"},
                "payment_mechanism": "aligned_payment_and_incentive", "service_lines": []
            })).expect("skeleton");
            c.id = id;
            c.form = ContractForm::ShorterForm;
            c.commissioners = commissioners.into_iter().map(|(code, co)| ContractCommissioner::new(code, co)).collect();
            c.provider = provider;
            c.term = term;
            c.payment_mechanism = PaymentMechanism::Local;
            c.service_lines = service_lines;
            c.quality_requirements = quality_requirements;
            c.incentive = incentive;
            c.indexation = indexation;
            c
        }
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(500))]

        #[test]
        fn json_round_trip_of_a_full_contract(c in contract()) {
            let text = serde_json::to_string(&c).expect("write");
            let back: Contract = serde_json::from_str(&text).expect("read back");
            prop_assert_eq!(&back, &c);
            prop_assert_eq!(serde_json::to_string(&back).expect("write again"), text);
            // Validation and money never panic on any generated contract.
            let _ = c.validate();
            if let Ok(v) = c.expected_annual_value() {
                let months = c.monthly_instalments(commissioning_model::Rounding::HalfUp).expect("instalments");
                prop_assert_eq!(Money::checked_sum(months).expect("sum"), v.round_pence());
            }
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(20_000))]

    /// Money is serialised as the normalised decimal at a scale of at least two, as `Display`
    /// writes it, for any mantissa and scale a decimal can hold.
    #[test]
    fn money_text_is_the_normalised_decimal_at_two_places(
        lo in any::<u32>(), mid in any::<u32>(), hi in any::<u32>(),
        negative in any::<bool>(), scale in 0u32..=28, small in any::<bool>(),
    ) {
        let (mid, hi) = if small { (mid % 1000, 0) } else { (mid, hi) };
        let d = commissioning_model::Decimal::from_parts(lo, mid, hi, negative, scale);
        let normal = d.normalize();
        let factor = 10i128.pow(2u32.saturating_sub(normal.scale()));
        let expected = normal
            .mantissa()
            .checked_mul(factor)
            .and_then(|m| commissioning_model::Decimal::try_from_i128_with_scale(m, 2).ok())
            .filter(|_| normal.scale() < 2)
            .unwrap_or(normal)
            .to_string();
        let expected = if expected.starts_with('-') && normal.is_zero() { expected[1..].to_owned() } else { expected };
        let json = serde_json::to_string(&Money::new(d)).unwrap();
        prop_assert_eq!(json, format!("\"{expected}\""));
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(20_000))]

    /// Amounts compare, test equal and hash exactly as their decimals do, at the same scale
    /// (the integer path) or not, with zeros of both signs.
    #[test]
    fn money_compares_as_its_decimal(
        a in any_decimal(), (lo, mid, hi, negative, scale) in (any::<u32>(), any::<u32>(), any::<u32>(), any::<bool>(), 0u32..=28),
        same_scale in any::<bool>(), small in any::<bool>(), zero in 0u8..6,
    ) {
        use std::hash::{BuildHasher, RandomState};
        // Small mantissas as well, where equal values and near neighbours are likely.
        let (mid, hi) = if small { (mid % 4, 0) } else { (mid, hi) };
        let b = Decimal::from_parts(lo, mid, hi, negative, if same_scale { a.scale() } else { scale });
        let (a, b) = match zero {
            0 => (Decimal::from_parts(0, 0, 0, true, a.scale()), b),
            1 => (a, Decimal::from_parts(0, 0, 0, false, a.scale())),
            2 => (a, a),
            3 => {
                // The same value one place wider, where it fits.
                let mut wider = a;
                wider.rescale(a.scale().saturating_add(1).min(28));
                (a, wider)
            }
            _ => (a, b),
        };
        let (ma, mb) = (Money::new(a), Money::new(b));
        prop_assert_eq!(ma.cmp(&mb), a.cmp(&b));
        prop_assert_eq!(ma == mb, a == b);
        prop_assert_eq!(ma.partial_cmp(&mb), a.partial_cmp(&b));
        let hasher = RandomState::new();
        if ma == mb {
            prop_assert_eq!(hasher.hash_one(ma), hasher.hash_one(mb));
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(20_000))]

    /// Plain decimal text reads as `Decimal::from_str_exact` reads it, bit for bit (mantissa,
    /// scale and the sign of zero), short or long, with leading and trailing zeros.
    #[test]
    fn decimal_text_reads_as_rust_decimal_reads_it(
        negative in any::<bool>(),
        int_part in "[0-9]{1,22}",
        frac_part in proptest::option::of("[0-9]{1,28}"),
    ) {
        let text = format!(
            "{}{int_part}{}",
            if negative { "-" } else { "" },
            frac_part.map(|f| format!(".{f}")).unwrap_or_default()
        );
        let ours = commissioning_model::decimal::parse_decimal("x", &text);
        match Decimal::from_str_exact(&text) {
            Ok(theirs) => prop_assert_eq!(ours.unwrap().serialize(), theirs.serialize()),
            Err(_) => prop_assert!(ours.is_err()),
        }
    }
}

/// Zeros of both signs and at any scale, which generated digits almost never give, and
/// mantissas at the edges of 64 bits.
#[test]
fn decimal_text_at_the_edges_reads_as_rust_decimal_reads_it() {
    for text in [
        "0",
        "-0",
        "0.00",
        "-0.00",
        "-000.000",
        "0000000000000000000",
        "-0.0000000000000000000000000000",
        "9999999999999999999",
        "-9999999999999999999",
        "18446744073709551615",
        "1.000000000000000000",
        "99999999999999999999",
        "0.0000000000000000001",
        "-1234567890.123456789",
    ] {
        let ours = commissioning_model::decimal::parse_decimal("x", text).unwrap();
        let theirs = Decimal::from_str_exact(text).unwrap();
        assert_eq!(ours.serialize(), theirs.serialize(), "{text}");
    }
}

#[test]
fn money_text_at_the_edges() {
    for (value, text) in [
        ("0", "0.00"),
        ("-0.000", "0.00"),
        ("5000", "5000.00"),
        ("0.1250", "0.125"),
        ("-3", "-3.00"),
        (
            "0.0000000000000000000000000001",
            "0.0000000000000000000000000001",
        ),
        (
            "79228162514264337593543950335",
            "79228162514264337593543950335",
        ),
        (
            "7922816251426433759354395033.5",
            "7922816251426433759354395033.5",
        ),
        (
            "792281625142643375935439503.35",
            "792281625142643375935439503.35",
        ),
        (
            "-7922816251426433759354395033.5",
            "-7922816251426433759354395033.5",
        ),
        ("12345678901234567890.5", "12345678901234567890.50"),
        ("10000000000000000000", "10000000000000000000.00"),
    ] {
        let m = Money::new(value.parse().unwrap());
        assert_eq!(
            serde_json::to_string(&m).unwrap(),
            format!("\"{text}\""),
            "{value}"
        );
    }
}
