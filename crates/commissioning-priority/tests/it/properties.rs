//! Invariants on generated input.

use commissioning_model::Money;
use commissioning_priority::ahp::{AhpMethod, RandomIndex, ahp};
use commissioning_priority::cea::{Status, Strategy as CeaStrategy, calculate_icers};
use commissioning_priority::mcda::{Alternative, Criterion, score};
use commissioning_priority::select::{Candidate, Problem, select};
use commissioning_priority::topsis::{CriterionType, Normalisation, topsis};
use commissioning_priority::value::{Performance, ValueFunction};
use commissioning_priority::weights::{RankMethod, from_ranks, normalise};
use proptest::prelude::*;

/// Brute force over every subset: the reference for the exact selection.
fn brute_force(p: &Problem) -> (Vec<String>, Money, f64) {
    brute_force_opt(p).expect("a feasible selection")
}

/// Brute force, or `None` when no subset fits the budget.
fn brute_force_opt(p: &Problem) -> Option<(Vec<String>, Money, f64)> {
    let n = p.candidates.len();
    let mut best: Option<(f64, Money, Vec<String>)> = None;
    for mask in 0u32..(1 << n) {
        let set: Vec<&Candidate> = (0..n)
            .filter(|i| mask & (1 << i) != 0)
            .map(|i| &p.candidates[i])
            .collect();
        // Groups: at most one per group.
        let mut groups = std::collections::BTreeSet::new();
        if set
            .iter()
            .any(|c| c.group.as_ref().is_some_and(|g| !groups.insert(g.clone())))
        {
            continue;
        }
        // Options that cost something and bring nothing are never chosen (and zero-zero ones).
        if set
            .iter()
            .any(|c| c.benefit <= 0.0 && !c.cost.is_negative())
        {
            continue;
        }
        let cost = Money::checked_sum(set.iter().map(|c| c.cost)).unwrap();
        if cost > p.budget {
            continue;
        }
        // Benefits are multiples of 0.5 here, so these sums are exact.
        let benefit: f64 = set.iter().map(|c| c.benefit).sum();
        let mut ids: Vec<String> = set.iter().map(|c| c.id.clone()).collect();
        ids.sort();
        let better = match &best {
            None => true,
            Some((b, c, i)) => {
                benefit > *b || (benefit == *b && (cost < *c || (cost == *c && ids < *i)))
            }
        };
        if better {
            best = Some((benefit, cost, ids));
        }
    }
    best.map(|(b, c, i)| (i, c, b))
}

fn candidates() -> impl Strategy<Value = Vec<Candidate>> {
    prop::collection::vec(
        (-50i64..=200, -10i32..=40, proptest::option::of(0u8..3)),
        1..=15,
    )
    .prop_map(|v| {
        v.into_iter()
            .enumerate()
            .map(|(i, (cost, half_qalys, group))| {
                let c = Candidate::new(
                    format!("O{i:02}"),
                    Money::from_pounds(cost * 1000),
                    f64::from(half_qalys) / 2.0,
                );
                match group {
                    Some(g) => c.in_group(format!("G{g}")),
                    None => c,
                }
            })
            .collect()
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(500))]

    #[test]
    fn exact_selection_equals_brute_force(cands in candidates(), budget in -150i64..=600) {
        let p = Problem::new(Money::from_pounds(budget * 1000), cands);
        let Some((ids, cost, benefit)) = brute_force_opt(&p) else {
            prop_assert!(select(&p).is_err(), "an unmeetable budget must be an error");
            return Ok(());
        };
        let s = select(&p).unwrap();
        prop_assert_eq!(&s.exact.ids, &ids);
        prop_assert_eq!(s.exact.cost, cost);
        prop_assert_eq!(s.exact.benefit, benefit);
        prop_assert!(s.exact.cost <= p.budget);
        prop_assert!(s.divisible_bound + 1e-9 >= s.exact.benefit);
        // The league table funds no disinvestment that loses benefit, so under a savings target
        // it may not meet the budget; where it does, the optimum is at least as good.
        if s.greedy.cost <= p.budget {
            prop_assert!(s.exact.benefit >= s.greedy.benefit);
        } else {
            prop_assert!(p.budget < Money::ZERO, "the league table overspends only a savings target");
        }
        prop_assert_eq!(s.exact.ids.len() + s.left_out.len(), p.candidates.len());
    }

    #[test]
    fn frontier_icers_never_fall(points in prop::collection::vec((0i64..=1_000_000, 0.0f64..20.0), 1..200)) {
        let strategies: Vec<CeaStrategy> = points.iter().enumerate().map(|(i, (c, e))| CeaStrategy::new(format!("S{i}"), Money::from_pence(*c), *e)).collect();
        let rows = calculate_icers(&strategies).unwrap();
        prop_assert_eq!(rows.len(), strategies.len());
        let nd: Vec<_> = rows.iter().filter(|r| r.status == Status::NonDominated).collect();
        prop_assert!(!nd.is_empty());
        for w in nd.windows(2) {
            prop_assert!(w[1].cost >= w[0].cost && w[1].effect > w[0].effect);
        }
        let icers: Vec<f64> = nd.iter().filter_map(|r| r.icer).collect();
        for w in icers.windows(2) {
            prop_assert!(w[1] >= w[0], "ICERs fall: {:?}", icers);
        }
    }

    #[test]
    fn weights_sum_to_one(raw in prop::collection::vec(0.0f64..1000.0, 1..20), n in 1usize..30) {
        prop_assume!(raw.iter().sum::<f64>() > 0.0);
        let w = normalise(&raw).unwrap();
        prop_assert!((w.iter().sum::<f64>() - 1.0).abs() < 1e-12);
        for m in [RankMethod::Roc, RankMethod::RankSum, RankMethod::RankReciprocal] {
            let w = from_ranks(m, n).unwrap();
            prop_assert!((w.iter().sum::<f64>() - 1.0).abs() < 1e-12);
            prop_assert!(w.windows(2).all(|p| p[0] >= p[1]));
        }
    }

    #[test]
    fn ahp_weights_sum_to_one(upper in prop::collection::vec(prop_oneof![1u8..=9, 1u8..=9], 3..=28), method in prop_oneof![Just(AhpMethod::Eigenvector), Just(AhpMethod::GeometricMean), Just(AhpMethod::ColumnAverage)]) {
        // Fill an n × n reciprocal matrix from the generated upper triangle.
        let mut n = 2usize;
        while n * (n - 1) / 2 <= upper.len() { n += 1; }
        n -= 1;
        let mut m = vec![vec![1.0; n]; n];
        let mut k = 0;
        for i in 0..n {
            for j in i + 1..n {
                let v = f64::from(upper[k]);
                let v = if k % 2 == 0 { v } else { 1.0 / v };
                m[i][j] = v;
                m[j][i] = 1.0 / v;
                k += 1;
            }
        }
        let r = ahp(&m, method, RandomIndex::Saaty1980).unwrap();
        prop_assert!((r.weights.iter().sum::<f64>() - 1.0).abs() < 1e-9);
        prop_assert!(r.weights.iter().all(|w| *w > 0.0));
        prop_assert!(r.lambda_max >= n as f64 - 1e-9);
    }

    #[test]
    fn scores_do_not_depend_on_order(values in prop::collection::vec(prop::collection::vec(0.0f64..100.0, 3), 2..8), weights in prop::collection::vec(1.0f64..100.0, 3), shift in 0usize..3) {
        let criteria: Vec<Criterion> = weights.iter().enumerate().map(|(j, w)| Criterion::new(format!("c{j}"), *w, ValueFunction::Linear { worst: 0.0, best: 100.0 })).collect();
        let options: Vec<Alternative> = values.iter().enumerate().map(|(i, v)| Alternative::new(format!("o{i}"), v.iter().map(|x| Performance::Number(*x)).collect())).collect();
        let a = score(&criteria, &options).unwrap();
        // Rotate the criteria (and every option's performance with them), reverse the options.
        let mut c2 = criteria.clone();
        c2.rotate_left(shift);
        let o2: Vec<Alternative> = options.iter().rev().map(|o| { let mut p = o.performance.clone(); p.rotate_left(shift); Alternative::new(o.id.clone(), p) }).collect();
        let b = score(&c2, &o2).unwrap();
        for s in &a.options {
            let t = b.options.iter().find(|x| x.id == s.id).unwrap();
            prop_assert!((s.score - t.score).abs() < 1e-9);
            prop_assert_eq!(s.rank, t.rank);
        }
    }

    #[test]
    fn no_panic_on_hostile_numbers(x in prop_oneof![Just(f64::NAN), Just(f64::INFINITY), Just(f64::NEG_INFINITY), Just(0.0), Just(-1.0), Just(1e308)]) {
        let _ = normalise(&[x, 1.0]);
        let _ = ahp(&[vec![1.0, x], vec![1.0 / x, 1.0]], AhpMethod::Eigenvector, RandomIndex::Saaty1980);
        let _ = topsis(&[vec![x, 1.0], vec![2.0, 3.0]], &[0.5, 0.5], &[CriterionType::Benefit, CriterionType::Cost], Normalisation::Vector);
        let _ = calculate_icers(&[CeaStrategy::new("a", Money::from_pence(1), x)]);
        let _ = select(&Problem::new(Money::from_pence(100), vec![Candidate::new("a", Money::from_pence(1), x)]));
        let c = vec![Criterion::new("c", x, ValueFunction::Linear { worst: 0.0, best: 1.0 })];
        let _ = score(&c, &[Alternative::new("o", vec![Performance::Number(x)])]);
    }
}

#[test]
fn bad_input_is_named() {
    let dup = calculate_icers(&[
        CeaStrategy::new("a", Money::ZERO, 1.0),
        CeaStrategy::new("a", Money::ZERO, 2.0),
    ])
    .unwrap_err()
    .to_string();
    assert!(
        dup.contains("strategies[1].id") && dup.contains("duplicate"),
        "{dup}"
    );
    let nan = calculate_icers(&[CeaStrategy::new("a", Money::ZERO, f64::NAN)])
        .unwrap_err()
        .to_string();
    assert!(nan.contains("strategies[0].effect"), "{nan}");
    assert!(calculate_icers(&[]).is_err());
    let same = topsis(
        &[vec![1.0, 1.0], vec![1.0, 1.0]],
        &[0.5, 0.5],
        &[CriterionType::Benefit, CriterionType::Benefit],
        Normalisation::MinMax,
    )
    .unwrap_err()
    .to_string();
    assert!(same.contains("undefined"), "{same}");
    let c = vec![Criterion::new(
        "c",
        1.0,
        ValueFunction::Linear {
            worst: 0.0,
            best: 10.0,
        },
    )];
    let out = score(
        &c,
        &[Alternative::new("o", vec![Performance::Number(11.0)])],
    )
    .unwrap_err()
    .to_string();
    assert!(
        out.contains("options[0].performance[0]") && out.contains("0 to 10"),
        "{out}"
    );
    let w = score(
        &[Criterion::new(
            "c",
            -1.0,
            ValueFunction::Linear {
                worst: 0.0,
                best: 10.0,
            },
        )],
        &[Alternative::new("o", vec![Performance::Number(1.0)])],
    )
    .unwrap_err()
    .to_string();
    assert!(w.contains("criteria[0].weight"), "{w}");
}

/// Found by fuzzing (`select_json`): a disinvestment losing an enormous benefit made the bound,
/// then computed in `f64`, lose the small benefits to rounding and prune the optimum. The bound
/// is now exact integer arithmetic.
#[test]
fn regression_huge_disinvestment_does_not_hide_the_optimum() {
    let k = |id: &str, cost: &str, b: f64| Candidate::new(id, cost.parse().unwrap(), b);
    let mut p = Problem::new(
        "500000.00".parse().unwrap(),
        vec![
            k("I1", "200000.00", 11.0),
            k("I2", "150000.00", 10.0),
            k("I3", "250000.01", 14.0),
            k("I4", "100000.00", 4.0),
            k("I5", "180000.00", 9.5),
            k("D1", "-1200", -2.0),
            k("D2", "-80000.00", -66666666666666646666666666666.0),
        ],
    );
    p.max_cost_per_benefit = Some("30000.00".parse().unwrap());
    let s = select(&p).unwrap();
    let (ids, cost, benefit) = brute_force(&p);
    assert!(s.exact.benefit >= s.greedy.benefit);
    assert_eq!(s.exact.ids, ids);
    assert_eq!(s.exact.cost, cost);
    assert_eq!(s.exact.benefit, benefit);
}

#[test]
fn public_types_are_send_and_sync() {
    fn check<T: Send + Sync>() {}
    check::<Problem>();
    check::<commissioning_priority::select::Selection>();
    check::<commissioning_priority::cea::IcerRow<'static>>();
    check::<commissioning_priority::mcda::Scores>();
    check::<commissioning_priority::ahp::AhpResult>();
    check::<commissioning_priority::topsis::TopsisResult>();
    check::<commissioning_priority::sensitivity::Acceptability>();
    check::<commissioning_priority::PriorityError>();
}

/// Found by fuzzing (`select_json`): a negative budget (a savings target) that the options
/// cannot meet returned the empty set, over budget. It is now an error; a target that can be
/// met is met.
#[test]
fn regression_unmeetable_savings_target_is_an_error() {
    let p = Problem::new(
        "-500000.00".parse().unwrap(),
        vec![Candidate::new("I1", "10000.00".parse().unwrap(), 9.512)],
    );
    let err = select(&p).unwrap_err().to_string();
    assert!(err.starts_with("budget:"), "{err}");
    let p = Problem::new(
        "-100000.00".parse().unwrap(),
        vec![
            Candidate::new("D1", "-120000.00".parse().unwrap(), -2.0),
            Candidate::new("D2", "-150000.00".parse().unwrap(), -5.0),
        ],
    );
    let s = select(&p).unwrap();
    assert_eq!(s.exact.ids, ["D1"]);
    assert!(s.exact.cost <= p.budget);
}

mod psa {
    use commissioning_model::Money;
    use commissioning_priority::psa::{Psa, ceac, evpi, expected_loss};
    use proptest::prelude::*;

    /// `n` simulations of `k` strategies: costs in pence, effects in 64ths (exact in binary).
    fn matrices() -> impl Strategy<Value = (usize, Vec<Vec<i64>>, Vec<Vec<i32>>)> {
        (1usize..5, 1usize..30).prop_flat_map(|(k, n)| {
            (
                Just(k),
                prop::collection::vec(prop::collection::vec(0i64..5_000_000, k), n),
                prop::collection::vec(prop::collection::vec(0i32..128, k), n),
            )
        })
    }

    fn build(k: usize, cost: &[Vec<i64>], effect: &[Vec<i32>], order: &[usize]) -> Psa {
        let ids = order.iter().map(|j| format!("s{j}")).collect();
        let c = cost
            .iter()
            .map(|r| order.iter().map(|&j| Money::from_pence(r[j])).collect())
            .collect();
        let e = effect
            .iter()
            .map(|r| order.iter().map(|&j| f64::from(r[j]) / 64.0).collect())
            .collect();
        let _ = k;
        Psa::new(ids, c, e).unwrap()
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(64))]

        #[test]
        fn acceptability_sums_to_one_and_the_frontier_maximises_expected_nmb((k, cost, effect) in matrices(), wtp in 0i64..60_000) {
            let order: Vec<usize> = (0..k).collect();
            let psa = build(k, &cost, &effect, &order);
            let c = ceac(&psa, &[Money::from_pounds(wtp)]).unwrap();
            let p = &c.points[0];
            let total: f64 = p.proportion.iter().sum();
            prop_assert!((total - 1.0).abs() < 1e-12, "{}", total);
            let best = p.expected_nmb.iter().copied().fold(f64::NEG_INFINITY, f64::max);
            let f = psa.strategies().iter().position(|s| *s == p.frontier).unwrap();
            prop_assert_eq!(p.expected_nmb[f], best);
            let loss = expected_loss(&psa, &[Money::from_pounds(wtp)]).unwrap();
            prop_assert_eq!(&loss.points[0].frontier, &p.frontier);
        }

        #[test]
        fn evpi_is_never_negative_and_zero_when_one_strategy_always_wins((k, cost, effect) in matrices(), wtp in 0i64..60_000) {
            prop_assume!(k >= 2);
            let order: Vec<usize> = (0..k).collect();
            let psa = build(k, &cost, &effect, &order);
            let e = evpi(&psa, &[Money::from_pounds(wtp)], None).unwrap();
            prop_assert!(e.points[0].evpi >= 0.0);
            // A strategy that is cheaper and better in every simulation leaves nothing to learn.
            let mut cost2 = cost.clone();
            let mut effect2 = effect.clone();
            for (c, ef) in cost2.iter_mut().zip(effect2.iter_mut()) {
                c[0] = 0;
                ef[0] = 200;
            }
            let dominant = build(k, &cost2, &effect2, &order);
            let e = evpi(&dominant, &[Money::from_pounds(wtp)], None).unwrap();
            // Zero up to the rounding of two means of the same numbers.
            let scale = e.points[0].ev_current_information.abs().max(1.0);
            prop_assert!(e.points[0].evpi <= 1e-12 * scale, "{}", e.points[0].evpi);
        }

        #[test]
        fn results_do_not_depend_on_the_order_of_the_strategies((k, cost, effect) in matrices(), wtp in 0i64..60_000) {
            let order: Vec<usize> = (0..k).collect();
            let reversed: Vec<usize> = (0..k).rev().collect();
            let (a, b) = (build(k, &cost, &effect, &order), build(k, &cost, &effect, &reversed));
            let w = [Money::from_pounds(wtp)];
            let (ca, cb) = (ceac(&a, &w).unwrap(), ceac(&b, &w).unwrap());
            for j in 0..k {
                prop_assert!((ca.points[0].proportion[j] - cb.points[0].proportion[k - 1 - j]).abs() < 1e-12);
                prop_assert!((ca.points[0].expected_nmb[j] - cb.points[0].expected_nmb[k - 1 - j]).abs() <= 1e-9 * ca.points[0].expected_nmb[j].abs().max(1.0));
            }
            let (ea, eb) = (expected_loss(&a, &w).unwrap(), expected_loss(&b, &w).unwrap());
            prop_assert!((ea.points[0].frontier_loss - eb.points[0].frontier_loss).abs() <= 1e-9 * ea.points[0].frontier_loss.abs().max(1.0));
        }
    }
}
