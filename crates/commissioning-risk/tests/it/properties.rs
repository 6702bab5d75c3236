//! Invariants of settlement on generated agreements and outturns.

use commissioning_model::{Decimal, Money, Rate, Share};
use commissioning_risk::RiskError;
use commissioning_risk::agreement::{
    Agreement, Band, Basis, GainGate, Limit, Mode, Party, PartyGroup, QualityGate, QualityLossRate,
    SideRule, Split, Threshold, Weighting,
};
use commissioning_risk::settle::{QualityOutcome, QualityResult, Role, SettlementInput, settle};
use proptest::prelude::*;

fn money(max: i64) -> impl Strategy<Value = Money> {
    (0..=max).prop_map(Money::from_pence)
}

fn share() -> impl Strategy<Value = Share> {
    (0i64..=100).prop_map(|p| Share::try_new(Decimal::new(p, 2)).unwrap())
}

/// Contiguous bands at increasing fractions of target.
fn side() -> impl Strategy<Value = SideRule> {
    (
        prop::collection::vec((1i64..=500, share()), 1..4),
        prop_oneof![Just(Mode::NetOfThreshold), Just(Mode::FirstDollar)],
        proptest::option::of(money(2_000_000_000)),
        proptest::option::of(1i64..=300),
    )
        .prop_map(|(widths, mode, cap, cap_pct)| {
            let mut from = 0i64;
            let n = widths.len();
            let bands = widths
                .into_iter()
                .enumerate()
                .map(|(i, (w, rate))| {
                    let lo = Threshold::of_target(Rate::from_fraction(Decimal::new(from, 4)));
                    from += w;
                    let hi = (i + 1 < n)
                        .then(|| Threshold::of_target(Rate::from_fraction(Decimal::new(from, 4))));
                    Band::new(lo, hi, rate)
                })
                .collect();
            with_caps(SideRule::new(bands, mode), cap, cap_pct)
        })
}

/// A side with a cap of an amount and one of a share of the target (in tenths of a percent),
/// where given.
fn with_caps(mut rule: SideRule, cap: Option<Money>, cap_pct: Option<i64>) -> SideRule {
    if let Some(c) = cap {
        rule = rule.with_cap(Limit::Amount { amount: c });
    }
    if let Some(p) = cap_pct {
        rule = rule.with_cap(Limit::OfTarget {
            rate: Rate::from_fraction(Decimal::new(p, 3)),
        });
    }
    rule
}

fn group(weighting: Weighting) -> impl Strategy<Value = PartyGroup> {
    prop::collection::vec(1i64..=1_000_000, 1..6).prop_map(move |ws| {
        let parties = match weighting {
            Weighting::FixedShares => {
                // Shares in hundredths that sum to exactly 1.
                let n = ws.len() as i64;
                let mut left = 100i64;
                ws.iter()
                    .enumerate()
                    .map(|(i, w)| {
                        let take = if i as i64 == n - 1 {
                            left
                        } else {
                            (w % (left / (n - i as i64)).max(1)).min(left)
                        };
                        left -= take;
                        Party::new(format!("P{i}"), Decimal::new(take, 2))
                    })
                    .collect()
            }
            _ => ws
                .iter()
                .enumerate()
                .map(|(i, w)| Party::new(format!("P{i}"), Decimal::from(*w)))
                .collect(),
        };
        PartyGroup::new(weighting, parties)
    })
}

fn agreement() -> impl Strategy<Value = Agreement> {
    (
        prop_oneof![Just(Basis::SharedSavings), Just(Basis::RiskCorridor)],
        proptest::option::of(side()),
        proptest::option::of(side()),
        group(Weighting::FixedShares),
        prop_oneof![group(Weighting::ContractValue), group(Weighting::Custom)],
    )
        .prop_map(|(basis, gain, loss, c, p)| {
            Agreement::new("generated", basis, gain, loss).with_split(Split::new(c, p))
        })
}

fn caps_of(a: &Agreement, target: Money, outturn: Money) -> Option<Money> {
    let rule = if outturn < target {
        a.gain.as_ref()
    } else {
        a.loss.as_ref()
    }?;
    rule.caps
        .iter()
        .map(|c| match c {
            Limit::Amount { amount } => *amount,
            Limit::OfTarget { rate } => rate.of(target).unwrap(),
            _ => Money::MAX,
        })
        .min()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2_000))]

    #[test]
    fn split_sums_to_the_transfer_and_no_cap_is_exceeded(a in agreement(), target in money(10_000_000_000_000), outturn in money(20_000_000_000_000)) {
        prop_assume!(!target.is_zero());
        let s = settle(&a, &SettlementInput::new(target, outturn)).unwrap();
        let providers = Money::checked_sum(s.split.iter().filter(|p| p.role == Role::Provider).map(|p| p.amount)).unwrap();
        let commissioners = Money::checked_sum(s.split.iter().filter(|p| p.role == Role::Commissioner).map(|p| p.amount)).unwrap();
        prop_assert_eq!(providers, s.transfer);
        prop_assert_eq!(commissioners, -s.transfer);
        prop_assert!(s.transfer.is_whole_pence());
        if let Some(cap) = caps_of(&a, target, outturn) {
            prop_assert!(s.transfer.abs() <= cap.round_pence(), "transfer {} above cap {}", s.transfer, cap);
        }
        // Never more than the whole variance moves.
        prop_assert!(s.transfer.abs() <= s.variance.abs());
        // Same input, same output, to the byte.
        let again = settle(&a, &SettlementInput::new(target, outturn)).unwrap();
        prop_assert_eq!(serde_json::to_string(&again).unwrap(), serde_json::to_string(&s).unwrap());
    }

    #[test]
    fn symmetric_agreements_mirror(rule in side(), target in money(10_000_000_000_000), delta in money(5_000_000_000_000)) {
        prop_assume!(!target.is_zero() && delta <= target);
        let a = Agreement::new("symmetric", Basis::SharedSavings, Some(rule.clone()), Some(rule));
        let under = settle(&a, &SettlementInput::new(target, target.checked_sub(delta).unwrap())).unwrap();
        let over = settle(&a, &SettlementInput::new(target, target.checked_add(delta).unwrap())).unwrap();
        prop_assert_eq!(under.transfer, -over.transfer);
    }

    #[test]
    fn net_of_threshold_is_continuous_at_band_joins(rule in side(), target in (1_000_000i64..=1_000_000_000_000).prop_map(Money::from_pence)) {
        let mut rule = rule;
        rule.mode = Mode::NetOfThreshold;
        rule.caps.clear();
        let a = Agreement::new("net", Basis::SharedSavings, Some(rule.clone()), None);
        for band in &rule.bands {
            let Threshold::OfTarget { rate } = band.from else { continue };
            let edge = rate.of(target).unwrap();
            for step in [Money::from_pence(1), Money::from_pence(-1)] {
                let near = edge.checked_add(step).unwrap();
                if near.is_negative() || near > target { continue; }
                let at = settle(&a, &SettlementInput::new(target, target.checked_sub(edge).unwrap())).unwrap();
                let by = settle(&a, &SettlementInput::new(target, target.checked_sub(near).unwrap())).unwrap();
                // One penny of variance moves the transfer by at most a penny (plus rounding).
                let jump = by.transfer.checked_sub(at.transfer).unwrap().abs();
                prop_assert!(jump <= Money::from_pence(2), "jump {} at {}", jump, edge);
            }
        }
    }

    #[test]
    fn no_panic_on_extreme_input(a in agreement(), t in any::<i64>(), o in any::<i64>(), scale in 0u32..=28, huge in any::<bool>()) {
        let (target, outturn) = if huge {
            (Money::new(Decimal::MAX), Money::new(Decimal::from_i128_with_scale(i128::from(o), scale)))
        } else {
            (Money::new(Decimal::new(t, scale)), Money::new(Decimal::new(o, scale)))
        };
        let _ = settle(&a, &SettlementInput::new(target, outturn));
    }
}

#[test]
fn invalid_agreements_name_the_field() {
    let band = |from: i64, to: Option<i64>| {
        Band::new(
            Threshold::of_target(Rate::from_fraction(Decimal::new(from, 2))),
            to.map(|t| Threshold::of_target(Rate::from_fraction(Decimal::new(t, 2)))),
            Share::ONE,
        )
    };
    let cases: Vec<(SideRule, &str)> = vec![
        (
            SideRule::new(vec![band(0, Some(5)), band(3, None)], Mode::NetOfThreshold),
            "gain.bands[1].from",
        ),
        (
            SideRule::new(vec![band(5, Some(2))], Mode::NetOfThreshold),
            "gain.bands[0].to",
        ),
        (
            SideRule::new(vec![band(0, None), band(5, None)], Mode::NetOfThreshold),
            "gain.bands[0].to",
        ),
        (
            SideRule::new(vec![band(-1, None)], Mode::NetOfThreshold),
            "gain.bands[0].from",
        ),
        (SideRule::new(vec![], Mode::NetOfThreshold), "gain.bands"),
        (
            SideRule::new(vec![band(0, None)], Mode::NetOfThreshold).with_cap(Limit::Amount {
                amount: Money::from_pence(-1),
            }),
            "gain.caps[0]",
        ),
    ];
    for (rule, field) in cases {
        let err = Agreement::new("bad", Basis::SharedSavings, Some(rule), None)
            .validate()
            .unwrap_err()
            .to_string();
        assert!(err.starts_with(field), "{field}: {err}");
    }
    let bad_shares = PartyGroup::new(
        Weighting::FixedShares,
        vec![
            Party::new("A", Decimal::new(6, 1)),
            Party::new("B", Decimal::new(5, 1)),
        ],
    );
    let ok = PartyGroup::new(Weighting::Custom, vec![Party::new("X", Decimal::ONE)]);
    let err = Agreement::new("bad", Basis::SharedSavings, None, None)
        .with_split(Split::new(bad_shares, ok))
        .validate()
        .unwrap_err()
        .to_string();
    assert!(
        err.contains("split.commissioners.parties") && err.contains("sum to exactly 1, got 1.1"),
        "{err}"
    );
    // A share above 1 is rejected when read from JSON.
    let json = r#"{"from": {"kind": "of_target", "rate": "0.02"}, "rate": "1.5"}"#;
    let err = serde_json::from_str::<Band>(json).unwrap_err().to_string();
    assert!(err.contains("between 0 and 1"), "{err}");
    // A percentage band needs a non-zero target.
    let a = Agreement::new(
        "pct",
        Basis::SharedSavings,
        None,
        Some(SideRule::new(vec![band(2, None)], Mode::NetOfThreshold)),
    );
    let err = settle(
        &a,
        &SettlementInput::new(Money::ZERO, Money::from_pence(100)),
    )
    .unwrap_err()
    .to_string();
    assert!(
        err.contains("target") && err.contains("percentage"),
        "{err}"
    );
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(1_000))]

    #[test]
    fn party_caps_hold_and_the_split_still_sums(
        target in money(1_000_000_000),
        outturn in money(2_000_000_000),
        provider_caps in prop::collection::vec((1i64..=100, proptest::option::of(0i64..=50_000_000)), 1..6),
        commissioner_caps in prop::collection::vec((1i64..=100, proptest::option::of(0i64..=50_000_000)), 1..4),
    ) {
        prop_assume!(!target.is_zero());
        let group = |caps: &[(i64, Option<i64>)], prefix: &str| PartyGroup::new(
            Weighting::Custom,
            caps.iter().enumerate().map(|(i, (w, c))| {
                let p = Party::new(format!("{prefix}{i}"), Decimal::from(*w));
                match c { Some(c) => p.with_cap(Money::from_pence(*c)), None => p }
            }).collect(),
        );
        let all = SideRule::new(vec![Band::new(Threshold::of_target(Rate::ZERO), None, Share::ONE)], Mode::NetOfThreshold);
        let a = Agreement::new("capped", Basis::SharedSavings, Some(all.clone()), Some(all))
            .with_split(Split::new(group(&commissioner_caps, "C"), group(&provider_caps, "P")));
        let s = settle(&a, &SettlementInput::new(target, outturn)).unwrap();
        let providers = Money::checked_sum(s.split.iter().filter(|p| p.role == Role::Provider).map(|p| p.amount)).unwrap();
        let commissioners = Money::checked_sum(s.split.iter().filter(|p| p.role == Role::Commissioner).map(|p| p.amount)).unwrap();
        prop_assert_eq!(providers, s.transfer);
        prop_assert_eq!(commissioners, -s.transfer);
        let caps: Vec<Option<i64>> = commissioner_caps.iter().chain(&provider_caps).map(|(_, c)| *c).collect();
        for (p, cap) in s.split.iter().zip(caps) {
            if let Some(c) = cap {
                prop_assert!(p.amount.abs() <= Money::from_pence(c), "{} {} above cap {}", p.id, p.amount, c);
            }
        }
        prop_assert!(s.transfer.abs() <= s.variance.abs());
    }

    #[test]
    fn seeded_scenarios_are_reproducible(seed in any::<u64>(), sd in 1i64..=1_000_000_000) {
        use commissioning_risk::scenario::{Distribution, Outturns, evaluate};
        let target = Money::from_pence(10_000_000_000);
        let outturns = Outturns::Simulated { distribution: Distribution::Normal { mean: target, sd: Money::from_pence(sd) }, count: 200, seed };
        let a = commissioning_risk::presets::aca_risk_corridor();
        let one = evaluate(&a, &SettlementInput::new(target, target), &outturns).unwrap();
        let two = evaluate(&a, &SettlementInput::new(target, target), &outturns).unwrap();
        prop_assert_eq!(serde_json::to_string(&one).unwrap(), serde_json::to_string(&two).unwrap());
        prop_assert!(one.transfer.p5 <= one.transfer.p50 && one.transfer.p50 <= one.transfer.p95);
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(1_000))]

    #[test]
    fn multi_year_terms_conserve_money(outturns in prop::collection::vec(0i64..=2_000_000, 1..8), gain_cap in proptest::option::of(0i64..=300_000), loss_cap in proptest::option::of(0i64..=300_000), carry in any::<bool>()) {
        use commissioning_risk::multiyear::{MultiYearAgreement, YearInput, settle_term};
        let all = SideRule::new(vec![Band::new(Threshold::of_target(Rate::ZERO), None, Share::try_new(Decimal::new(5, 1)).unwrap())], Mode::NetOfThreshold);
        let mut term = MultiYearAgreement::new(Agreement::new("term", Basis::SharedSavings, Some(all.clone()), Some(all)));
        term.cumulative_gain_limit = gain_cap.map(Money::from_pounds);
        term.cumulative_loss_limit = loss_cap.map(Money::from_pounds);
        term.carry_forward = carry;
        let years: Vec<YearInput> = outturns.iter().enumerate().map(|(i, o)| {
            YearInput::new(commissioning_model::FinancialYear::try_new(2025 + i as i32).unwrap(), SettlementInput::new(Money::from_pounds(1_000_000), Money::from_pounds(*o)))
        }).collect();
        let r = settle_term(&term, &years).unwrap();
        let paid = Money::checked_sum(r.years.iter().map(|y| y.paid)).unwrap();
        prop_assert_eq!(paid, r.total_paid);
        // Everything due is either paid, forfeited or waived: nothing is lost.
        let forfeited = r.forfeited_gain.checked_sub(r.waived_loss).unwrap();
        prop_assert_eq!(r.total_paid.checked_add(forfeited).unwrap(), r.total_before_limits);
        for y in &r.years {
            if let Some(g) = gain_cap { prop_assert!(y.cumulative <= Money::from_pounds(g)); }
            if let Some(l) = loss_cap { prop_assert!(y.cumulative >= Money::from_pounds(-l)); }
        }
    }

    #[test]
    fn cquin_values_sum_to_the_scheme(base in 0i64..=10_000_000_000, weights in prop::collection::vec(0u32..=10, 1..8), met in prop::collection::vec(any::<bool>(), 8), clawback in any::<bool>()) {
        use commissioning_risk::nhs::{IndicatorResult, cquin_withhold};
        prop_assume!(weights.iter().any(|w| *w > 0));
        let indicators: Vec<IndicatorResult> = weights.iter().zip(&met).enumerate().map(|(i, (w, m))| {
            let mut r = IndicatorResult::met(format!("I{i}"), *m);
            r.weight = Decimal::from(*w);
            r
        }).collect();
        let c = cquin_withhold(Money::from_pence(base), "1.25%".parse().unwrap(), &indicators, clawback, commissioning_model::Rounding::HalfUp).unwrap();
        prop_assert_eq!(Money::checked_sum(c.indicator_values.iter().copied()).unwrap(), c.cquin_value);
        prop_assert_eq!(c.deduction.checked_add(c.cquin_earned).unwrap(), c.cquin_value);
        prop_assert!(!c.deduction.is_negative() && c.deduction <= c.cquin_value);
    }
}

#[test]
fn public_types_are_send_and_sync() {
    fn check<T: Send + Sync>() {}
    check::<Agreement>();
    check::<commissioning_risk::Settlement>();
    check::<commissioning_risk::SettlementInput>();
    check::<commissioning_risk::RiskError>();
    check::<commissioning_risk::multiyear::MultiYearSettlement>();
    check::<commissioning_risk::scenario::ScenarioReport>();
    check::<commissioning_risk::stoploss::StopLoss>();
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(3_000))]

    #[test]
    fn the_fast_path_gives_the_same_transfer(a in agreement(), target in money(10_000_000_000_000), outturn in money(20_000_000_000_000), proration in proptest::option::of(share())) {
        let mut input = SettlementInput::new(target, outturn);
        input.proration = proration;
        let settler = commissioning_risk::fast::Settler::new(&a).unwrap();
        let fast = settler.transfer(&input);
        let full = settle(&a, &input).map(|s| s.transfer);
        prop_assert_eq!(fast, full);
    }

    /// With a quality gate and result, edges resolved once per target give exactly the
    /// transfer of `settle`, alone and in a batch that changes target part way.
    #[test]
    fn edges_resolved_once_per_target_give_the_same_transfers(
        a in agreement(),
        gate in proptest::option::of(gate()),
        result in proptest::option::of(quality_result()),
        target in money(10_000_000_000_000),
        other in money(10_000_000_000_000),
        outturns in prop::collection::vec(money(20_000_000_000_000), 1..6),
    ) {
        let a = match gate {
            Some(g) => a.with_quality(g),
            None => a,
        };
        let settler = commissioning_risk::fast::Settler::new(&a).unwrap();
        let at = settler.at_target(target).unwrap();
        let mut inputs = Vec::new();
        for (k, outturn) in outturns.iter().enumerate() {
            let mut input = SettlementInput::new(if k % 3 == 2 { other } else { target }, *outturn);
            input.quality = result.clone();
            let full = settle(&a, &input).map(|s| s.transfer);
            prop_assert_eq!(&settler.transfer(&input), &full);
            if input.target == target {
                prop_assert_eq!(&at.transfer(&input), &full);
            }
            inputs.push((input, full));
        }
        let all: Vec<SettlementInput> = inputs.iter().map(|(i, _)| i.clone()).collect();
        let batch = settler.transfers(&all);
        match inputs.iter().position(|(_, full)| full.is_err()) {
            None => prop_assert_eq!(
                batch.unwrap(),
                inputs.iter().map(|(_, full)| full.clone().unwrap()).collect::<Vec<_>>()
            ),
            Some(k) => {
                let expected = match inputs[k].1.clone().unwrap_err() {
                    RiskError::InvalidInput { field, reason } => {
                        RiskError::InvalidInput { field: format!("inputs[{k}].{field}"), reason }
                    }
                    other => other,
                };
                prop_assert_eq!(batch.unwrap_err(), expected);
            }
        }
    }
}

fn gate() -> impl Strategy<Value = QualityGate> {
    (
        prop_oneof![
            Just(GainGate::None),
            Just(GainGate::ScaleByScore),
            Just(GainGate::Block)
        ],
        proptest::option::of((0i64..=150, 0i64..=150, share(), share(), share())),
    )
        .prop_map(|(gain, loss)| {
            let gate = QualityGate::new(gain);
            match loss {
                Some((intercept, slope, x, y, fail)) => gate.with_loss_rate(QualityLossRate::new(
                    Decimal::new(intercept, 2),
                    Decimal::new(slope, 2),
                    x.min(y),
                    x.max(y),
                    fail,
                )),
                None => gate,
            }
        })
}

fn quality_result() -> impl Strategy<Value = QualityResult> {
    (
        prop_oneof![
            Just(QualityOutcome::Meets),
            Just(QualityOutcome::PartlyMeets),
            Just(QualityOutcome::Fails)
        ],
        proptest::option::of((0i64..=10_000, 0u32..=2)),
    )
        .prop_map(|(outcome, score)| {
            QualityResult::new(
                outcome,
                score.map(|(m, scale)| Decimal::new(m / 10i64.pow(2 - scale), scale)),
            )
        })
}

mod pooled {
    use commissioning_model::Money;
    use commissioning_risk::pooled::{
        PoolLine, PoolPartner, PooledBudget, WaterfallStep, settle_pool,
    };
    use proptest::prelude::*;

    fn pence(max: i64) -> impl Strategy<Value = Money> {
        (0..=max).prop_map(Money::from_pence)
    }

    /// A pool of two or three partners (the first the host), lines whose contributions sum to
    /// their budgets, buffers, optional caps, and a waterfall in any order.
    fn pool() -> impl Strategy<Value = PooledBudget> {
        (
            2usize..=3,
            prop::collection::vec(
                (
                    prop::collection::vec(pence(50_000_000), 3),
                    pence(80_000_000),
                ),
                1..5,
            ),
            pence(5_000_000),
            pence(5_000_000),
            prop::collection::vec(proptest::option::of(pence(3_000_000)), 3),
            Just(vec![
                WaterfallStep::Underspends,
                WaterfallStep::RiskReserve,
                WaterfallStep::Uncommitted,
                WaterfallStep::Partners,
                WaterfallStep::Host,
            ])
            .prop_shuffle(),
            1usize..=5,
            any::<bool>(),
        )
            .prop_map(
                |(n, lines, reserve, uncommitted, caps, steps, keep, give_back)| {
                    let partners = (0..n)
                        .map(|i| {
                            let p = PoolPartner::new(format!("P{i}"));
                            let p = if i == 0 { p.hosting() } else { p };
                            match caps.get(i).copied().flatten() {
                                Some(c) => p.capped(c),
                                None => p,
                            }
                        })
                        .collect();
                    let lines = lines
                        .into_iter()
                        .enumerate()
                        .map(|(i, (contributions, actual))| {
                            let contributions: Vec<Money> =
                                contributions.into_iter().take(n).collect();
                            let budget = Money::checked_sum(contributions.iter().copied()).unwrap();
                            PoolLine::new(format!("L{i}"), budget, actual, contributions)
                        })
                        .collect();
                    let p =
                        PooledBudget::new(partners, lines, steps.into_iter().take(keep).collect())
                            .with_risk_reserve(reserve)
                            .with_uncommitted_schemes(uncommitted);
                    if give_back {
                        p.returning_underspend()
                    } else {
                        p
                    }
                },
            )
    }

    proptest! {
        /// Where the agreement is symmetric (no buffers, no caps, the partners share, unused
        /// underspend returned by the same weights), an overspend and an underspend of the
        /// same amount fall on the partners in the same amounts.
        #[test]
        fn a_symmetric_agreement_shares_over_and_underspends_alike(
            contributions in prop::collection::vec(0i64..=50_000_000, 2..=4),
            variance in 0i64..=20_000_000,
        ) {
            let contributions: Vec<Money> = contributions.into_iter().map(Money::from_pence).collect();
            let budget = Money::checked_sum(contributions.iter().copied()).unwrap();
            prop_assume!(!budget.is_zero());
            let d = Money::from_pence(variance).min(budget);
            let partners: Vec<PoolPartner> = (0..contributions.len())
                .map(|i| if i == 0 { PoolPartner::new("host").hosting() } else { PoolPartner::new(format!("P{i}")) })
                .collect();
            let pool = |actual: Money| {
                PooledBudget::new(
                    partners.clone(),
                    vec![PoolLine::new("pool", budget, actual, contributions.clone())],
                    vec![WaterfallStep::Partners],
                )
                .returning_underspend()
            };
            let over = settle_pool(&pool(budget.checked_add(d).unwrap())).unwrap();
            let under = settle_pool(&pool(budget.checked_sub(d).unwrap())).unwrap();
            prop_assert_eq!(over.partner_shares, under.underspend_returned);
        }
    }

    proptest! {
        #[test]
        fn the_waterfall_conserves_money_and_respects_caps(p in pool()) {
            let s = settle_pool(&p).unwrap();
            // Every pound of overspend is accounted for once.
            let taken = [
                s.offset_by_underspends,
                s.risk_reserve_used,
                s.uncommitted_used,
                s.host_residual,
                s.unallocated,
            ]
            .into_iter()
            .chain(s.partner_shares.iter().copied());
            prop_assert_eq!(Money::checked_sum(taken).unwrap(), s.gross_overspend);
            // Every pound of underspend too.
            let under = [s.offset_by_underspends, s.underspend_retained]
                .into_iter()
                .chain(s.underspend_returned.iter().copied());
            prop_assert_eq!(Money::checked_sum(under).unwrap(), s.gross_underspend);
            // Budget plus variance is the outturn.
            prop_assert_eq!(s.total_budget.checked_add(s.net_variance).unwrap(), s.total_actual);
            // No partner takes more than its cap in the partners step, and no buffer more than it holds.
            for (partner, share) in p.partners.iter().zip(&s.partner_shares) {
                if let Some(cap) = partner.cap {
                    prop_assert!(*share <= cap);
                }
                prop_assert!(!share.is_negative());
            }
            prop_assert!(s.risk_reserve_used <= p.risk_reserve);
            prop_assert!(s.uncommitted_used <= p.uncommitted_schemes);
        }
    }
}

/// Bands whose edges are amounts or fractions of the target, with gaps between them and
/// starts inclusive or not: for some targets a band then ends below its start, which
/// `settle` refuses.
fn side_with_amounts() -> impl Strategy<Value = SideRule> {
    (
        prop::collection::vec(
            (1i64..=500, 0i64..=50, any::<bool>(), any::<bool>(), share()),
            1..4,
        ),
        prop_oneof![Just(Mode::NetOfThreshold), Just(Mode::FirstDollar)],
        proptest::option::of(money(2_000_000_000)),
        proptest::option::of(1i64..=300),
    )
        .prop_map(|(widths, mode, cap, cap_pct)| {
            // Basis points of the target, or the same number of £10,000s.
            let edge = |bp: i64, amount: bool| {
                if amount {
                    Threshold::Amount {
                        amount: Money::from_pounds(bp * 10_000),
                    }
                } else {
                    Threshold::of_target(Rate::from_fraction(Decimal::new(bp, 4)))
                }
            };
            let mut at = 0i64;
            let n = widths.len();
            let bands = widths
                .into_iter()
                .enumerate()
                .map(|(i, (width, gap, amount, inclusive, rate))| {
                    at += gap;
                    let from = edge(at, amount);
                    at += width;
                    let to = (i + 1 < n).then(|| edge(at, amount));
                    let mut band = Band::new(from, to, rate);
                    band.from_inclusive = inclusive;
                    band
                })
                .collect();
            with_caps(SideRule::new(bands, mode), cap, cap_pct)
        })
}

/// Amounts at any scale up to four places, and now and then near a decimal's limits (where
/// the exact integer steps give up and the decimal ones round or overflow).
fn any_amount() -> impl Strategy<Value = Money> {
    prop_oneof![
        8 => (0i64..=10_000_000_000_000, 0u32..=4).prop_map(|(m, s)| Money::new(Decimal::new(m, s))),
        1 => (any::<u32>(), any::<u32>(), any::<u32>(), 0u32..=28)
            .prop_map(|(lo, mid, hi, s)| Money::new(Decimal::from_parts(lo, mid, hi, false, s))),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(5_000))]

    /// The one-off transfer (exact integer steps where nothing rounds, decimal steps
    /// otherwise) is `settle`'s, or its error, on edges written as amounts, gaps, exclusive
    /// starts, amounts at any scale and amounts near the limits.
    #[test]
    fn the_one_off_transfer_is_settles_at_any_scale(
        basis in prop_oneof![Just(Basis::SharedSavings), Just(Basis::RiskCorridor)],
        gain in proptest::option::of(side_with_amounts()),
        loss in proptest::option::of(side_with_amounts()),
        gate in proptest::option::of(gate()),
        result in proptest::option::of(quality_result()),
        target in any_amount(),
        outturn in any_amount(),
        proration in proptest::option::of(share()),
    ) {
        let a = Agreement::new("generated", basis, gain, loss);
        let a = match gate {
            Some(g) => a.with_quality(g),
            None => a,
        };
        let Ok(settler) = commissioning_risk::fast::Settler::new(&a) else {
            return Ok(());
        };
        let mut input = SettlementInput::new(target, outturn);
        input.quality = result;
        input.proration = proration;
        let full = settle(&a, &input).map(|s| s.transfer);
        prop_assert_eq!(settler.transfer(&input), full);
    }
}

/// A band that ends exactly at its start at this target (an amount edge meeting a
/// percentage one) is refused the same way by the one-off transfer and by `settle`.
#[test]
fn a_band_ending_at_its_start_is_refused_by_both() {
    let band = Band::new(
        Threshold::Amount {
            amount: Money::from_pounds(600_000),
        },
        Some(Threshold::of_target(Rate::from_fraction(Decimal::new(
            1, 2,
        )))),
        Share::try_new(Decimal::new(5, 1)).unwrap(),
    );
    let rule = SideRule::new(vec![band], Mode::NetOfThreshold);
    let a = Agreement::new("edge", Basis::SharedSavings, Some(rule), None);
    let settler = commissioning_risk::fast::Settler::new(&a).unwrap();
    let input = SettlementInput::new(
        Money::from_pounds(60_000_000),
        Money::from_pounds(59_000_000),
    );
    let full = settle(&a, &input).map(|s| s.transfer);
    assert!(full.is_err(), "{full:?}");
    assert_eq!(settler.transfer(&input), full);
}
