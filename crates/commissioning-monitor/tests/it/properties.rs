//! Invariants on generated input.

use commissioning_model::{Decimal, Money};
use commissioning_monitor::finance::{PvmLine, price_volume_mix};
use commissioning_monitor::spc::{Observation, Rule, SpcOptions, spc, xmr_limits};
use proptest::prelude::*;

proptest! {
    #![proptest_config(ProptestConfig::with_cases(1_000))]

    #[test]
    fn variance_components_sum_exactly(lines in prop::collection::vec((0i64..10_000, 0i64..10_000_000, 0i64..10_000, 0i64..10_000_000, 0u32..3), 1..12)) {
        let lines: Vec<PvmLine> = lines.iter().enumerate().map(|(i, (q, p, aq, ap, s))| {
            PvmLine::new(format!("L{i}"), Decimal::new(*q, *s), Money::from_pence(*p), Decimal::new(*aq, *s), Money::from_pence(*ap))
        }).collect();
        let (rows, total) = price_volume_mix(&lines).unwrap();
        for r in &rows {
            prop_assert_eq!(r.price.checked_add(r.volume).unwrap().checked_add(r.mix).unwrap(), r.variance);
            prop_assert!(r.price.is_whole_pence() && r.volume.is_whole_pence() && r.mix.is_whole_pence());
        }
        prop_assert_eq!(total.price.checked_add(total.volume).unwrap().checked_add(total.mix).unwrap(), total.variance);
        prop_assert_eq!(total.actual.checked_sub(total.planned).unwrap(), total.variance);
    }

    #[test]
    fn limits_are_symmetric_about_the_mean(v in prop::collection::vec(-1e6f64..1e6, 2..200), screen in any::<bool>()) {
        let l = xmr_limits(&v, screen).unwrap();
        let tol = 1e-9 * (1.0 + l.mean.abs() + l.mean_moving_range);
        prop_assert!(((l.upper_process_limit - l.mean) - (l.mean - l.lower_process_limit)).abs() <= tol);
        prop_assert!(((l.upper_near_limit - l.mean) - (l.mean - l.lower_near_limit)).abs() <= tol);
        prop_assert!(l.upper_process_limit >= l.upper_near_limit && l.upper_near_limit >= l.mean);
    }

    #[test]
    fn a_constant_series_gives_no_special_cause(x in -1e6f64..1e6, n in 2usize..60) {
        let obs: Vec<Observation> = (0..n).map(|_| Observation::new(x)).collect();
        let chart = spc(&obs, &SpcOptions::default()).unwrap();
        prop_assert!(chart.points.iter().all(|p| p.rule == Rule::CommonCause));
    }
}

#[test]
fn bad_series_are_errors_not_panics() {
    for bad in [
        vec![],
        vec![1.0],
        vec![1.0, f64::NAN],
        vec![f64::INFINITY, 1.0],
    ] {
        let obs: Vec<Observation> = bad.iter().map(|v| Observation::new(*v)).collect();
        assert!(spc(&obs, &SpcOptions::default()).is_err(), "{bad:?}");
        assert!(xmr_limits(&bad, true).is_err(), "{bad:?}");
    }
    assert!(price_volume_mix(&[]).is_err());
}

#[test]
fn public_types_are_send_and_sync() {
    fn check<T: Send + Sync>() {}
    check::<commissioning_monitor::spc::SpcChart>();
    check::<commissioning_monitor::kpi::KpiReport>();
    check::<commissioning_monitor::finance::Effects>();
    check::<commissioning_monitor::effectiveness::Effectiveness>();
    check::<commissioning_monitor::MonitorError>();
}
