//! Invariants of the funnel plot, the intervals and the peer groups.

use commissioning_compare::Confidence;
use commissioning_compare::funnel::{DataType, FunnelInput, FunnelUnit, SrMethod, funnel};
use commissioning_compare::intervals::{exact_poisson, wilson};
use commissioning_compare::peers::{PeerInput, PeerUnit, similar};
use proptest::prelude::*;

fn units_strategy(proportion: bool) -> impl Strategy<Value = Vec<FunnelUnit>> {
    prop::collection::vec((0u32..400, 20u32..2000), 2..25).prop_map(move |rows| {
        rows.into_iter()
            .enumerate()
            .map(|(i, (o, d))| {
                let (o, d) = (f64::from(o), f64::from(d));
                let o = if proportion { o.min(d) } else { o.max(1.0) };
                FunnelUnit::new(format!("u{i:02}"), o, d)
            })
            .collect()
    })
}

fn input(units: Vec<FunnelUnit>, kind: u8) -> FunnelInput {
    match kind % 3 {
        0 => FunnelInput::ratios(units),
        1 => {
            let mut i = FunnelInput::ratios(units);
            i.sr_method = SrMethod::Cqc;
            i
        }
        _ => FunnelInput::proportions(units),
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn limits_widen_as_the_denominator_falls(units in units_strategy(false), kind in 0u8..3, d in 5.0f64..5000.0) {
        let units = if kind % 3 == 2 { units.into_iter().map(|u| FunnelUnit::new(u.id, u.numerator.min(u.denominator), u.denominator)).collect() } else { units };
        let doc = input(units, kind);
        let Ok(f) = funnel(&doc) else { return Ok(()) };
        let (wide, narrow) = (f.limits_at(d), f.limits_at(d * 2.0));
        prop_assert!(wide.lower_95 <= narrow.lower_95 + 1e-12);
        prop_assert!(wide.upper_95 >= narrow.upper_95 - 1e-12);
        prop_assert!(wide.lower_998 <= wide.lower_95 && wide.upper_998 >= wide.upper_95);
    }

    #[test]
    fn intervals_widen_as_the_level_rises(x in 0u32..500, extra in 1u32..500) {
        let (x, n) = (f64::from(x), f64::from(x + extra));
        let (l95, u95) = wilson(x, n, Confidence::P95);
        let (l998, u998) = wilson(x, n, Confidence::P998);
        prop_assert!(l998 <= l95 && u998 >= u95);
        let (p95, q95) = exact_poisson(x, Confidence::P95);
        let (p998, q998) = exact_poisson(x, Confidence::P998);
        prop_assert!(p998 <= p95 && q998 >= q95);
        prop_assert!(p95 <= x && q95 >= x);
    }

    #[test]
    fn a_unit_at_the_target_has_z_zero(units in units_strategy(false), kind in 0u8..2, e in 1u32..500) {
        let mut units = units;
        // Observed equal to expected (whole, so SHMI rounding leaves it alone).
        units.push(FunnelUnit::new("at_target", f64::from(e), f64::from(e)));
        let mut doc = input(units, kind);
        if funnel(&doc).is_err() { doc.overdispersion = false; }
        if let Ok(f) = funnel(&doc) {
            let u = f.units.iter().find(|u| u.id == "at_target").unwrap();
            prop_assert_eq!(u.z, Some(0.0));
        }
    }

    #[test]
    fn phi_at_most_one_leaves_the_limits_unchanged(units in units_strategy(true)) {
        let doc = FunnelInput::proportions(units.clone());
        let Ok(f) = funnel(&doc) else { return Ok(()) };
        let mut plain = FunnelInput::proportions(units);
        plain.overdispersion = false;
        let g = funnel(&plain).unwrap();
        if f.phi.unwrap() <= 1.0 {
            prop_assert!(!f.adjusted_in_use);
            for (a, b) in f.units.iter().zip(&g.units) {
                prop_assert_eq!(a.limits_unadjusted, b.limits_unadjusted);
                prop_assert_eq!(a.outlier_95, b.outlier_95);
            }
        } else {
            prop_assert!(f.adjusted_in_use);
        }
    }

    #[test]
    fn permuting_units_changes_only_the_order(units in units_strategy(false), kind in 0u8..3, seed in any::<u64>()) {
        let units = if kind % 3 == 2 { units.into_iter().map(|u| FunnelUnit::new(u.id, u.numerator.min(u.denominator), u.denominator)).collect() } else { units };
        let mut shuffled: Vec<FunnelUnit> = units.clone();
        // A deterministic shuffle from the seed.
        let mut s = seed;
        for i in (1..shuffled.len()).rev() {
            s = s.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1_442_695_040_888_963_407);
            shuffled.swap(i, (s >> 33) as usize % (i + 1));
        }
        let (da, db) = (input(units, kind), input(shuffled, kind));
        let (a, b) = (funnel(&da), funnel(&db));
        prop_assert_eq!(a.is_ok(), b.is_ok());
        if let (Ok(a), Ok(b)) = (a, b) {
            prop_assert_eq!(a.outliers_95, b.outliers_95);
            prop_assert_eq!(a.n_retained, b.n_retained);
            let close = |x: f64, y: f64| (x - y).abs() <= 1e-9 * x.abs().max(1.0);
            prop_assert!(close(a.phi.unwrap(), b.phi.unwrap()));
            for u in &a.units {
                let v = b.units.iter().find(|v| v.id == u.id).unwrap();
                prop_assert_eq!(u.outlier_998, v.outlier_998);
                prop_assert!(close(u.limits_adjusted.unwrap().upper_95, v.limits_adjusted.unwrap().upper_95));
            }
        }
    }

    #[test]
    fn hostile_numbers_are_errors_naming_the_unit(pos in 0usize..5, bad in prop::sample::select(vec![f64::NAN, f64::INFINITY, f64::NEG_INFINITY, -1.0, 0.0]), field in 0u8..2) {
        let mut units: Vec<FunnelUnit> = (0..5).map(|i| FunnelUnit::new(format!("u{i}"), 10.0, 20.0)).collect();
        if field == 0 { units[pos].numerator = bad } else { units[pos].denominator = bad }
        for kind in [DataType::Ratio, DataType::Proportion] {
            let mut i = FunnelInput::ratios(units.clone());
            i.data_type = kind;
            match funnel(&i) {
                Ok(_) => prop_assert!(field == 0 && bad == 0.0, "accepted {bad}"),
                Err(e) => {
                    let message = e.to_string();
                    prop_assert!(message.starts_with(&format!("units[{pos}].")), "{}", message);
                }
            }
        }
    }

    #[test]
    fn peers_never_include_the_unit_and_are_sorted(rows in prop::collection::vec(prop::collection::vec(0.0f64..100.0, 3), 3..30), k in 1usize..5) {
        let n = rows.len();
        let units: Vec<PeerUnit> = rows.into_iter().enumerate().map(|(i, v)| PeerUnit::new(format!("p{i:02}"), v)).collect();
        let input = PeerInput::new(vec!["a".into(), "b".into(), "c".into()], units, k);
        match similar(&input) {
            Err(e) => prop_assert!(k + 1 > n, "{}", e),
            Ok(g) => {
                for u in &g.units {
                    prop_assert_eq!(u.peers.len(), k);
                    prop_assert!(!u.peers.contains(&u.id));
                    prop_assert!(u.distances.windows(2).all(|w| w[0] <= w[1]));
                }
            }
        }
    }
}

#[test]
fn zero_events_one_unit_and_zero_denominators_do_not_panic() {
    // Zero events everywhere on the log scale: infinite φ makes the adjustment undefined.
    let zeros: Vec<FunnelUnit> = (0..12)
        .map(|i| FunnelUnit::new(format!("z{i}"), 0.0, 10.0))
        .collect();
    let e = funnel(&FunnelInput::ratios(zeros.clone())).unwrap_err();
    assert_eq!(e.kind(), "undefined");
    let mut plain = FunnelInput::ratios(zeros);
    plain.overdispersion = false;
    let f = funnel(&plain).unwrap();
    assert!(f.units.iter().all(|u| u.z.is_none() && u.ratio == 0.0));
    // One unit: plotted without adjustment, undefined with it.
    let one = vec![FunnelUnit::new("only", 40.0, 33.3)];
    assert_eq!(
        funnel(&FunnelInput::ratios(one.clone()))
            .unwrap_err()
            .kind(),
        "undefined"
    );
    let mut plain = FunnelInput::ratios(one);
    plain.overdispersion = false;
    assert_eq!(funnel(&plain).unwrap().units.len(), 1);
    // A denominator that rounds to 0 under SHMI rounding names the unit.
    let tiny = vec![
        FunnelUnit::new("a", 1.0, 10.0),
        FunnelUnit::new("b", 0.0, 0.004),
    ];
    let e = funnel(&FunnelInput::ratios(tiny)).unwrap_err();
    assert!(e.to_string().starts_with("units[1].denominator"), "{e}");
}
