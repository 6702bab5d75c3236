//! Invariants of the queue arithmetic.

use commissioning_demand::{Numbers, waiting};
use proptest::prelude::*;

fn one(n: Numbers) -> f64 {
    match n {
        Numbers::One(x) => x,
        Numbers::Many(v) => panic!("expected one number, got {v:?}"),
    }
}

proptest! {
    /// More capacity never raises the load; a list below its target never needs relief above
    /// demand.
    #[test]
    fn more_capacity_lowers_the_load(d in 0.0..1e4f64, c in 0.1..1e4f64, extra in 0.0..1e3f64) {
        let before = one(waiting::load(&d.into(), &c.into()).unwrap());
        let after = one(waiting::load(&d.into(), &(c + extra).into()).unwrap());
        prop_assert!(after <= before);
    }

    #[test]
    fn relief_is_demand_when_the_list_is_at_target(d in 0.0..1e4f64, q in 0.0..1e5f64, w in 1.0..104.0f64) {
        let relief = one(waiting::relief_capacity(&d.into(), &q.into(), &q.into(), &w.into(), 0.0, 0.0).unwrap());
        prop_assert_eq!(relief, d);
    }

    /// A list meeting a higher share within 18 weeks is never longer.
    #[test]
    fn a_higher_standard_needs_a_shorter_list(r in 1.0..1e4f64, p in 0.01..0.98f64, dp in 0.0..0.01f64) {
        let levels = waiting::rtt_levels(r, &[p, p + dp]).unwrap();
        prop_assert!(levels[1].waiting_list_size <= levels[0].waiting_list_size);
        prop_assert!((levels[0].percent_within_target - 100.0 * p).abs() < 1e-9);
    }

    /// A single number serves every element of a list.
    #[test]
    fn broadcasting_is_elementwise(d in proptest::collection::vec(0.0..1e4f64, 1..20), t in 1.0..104.0f64) {
        let many = waiting::target_queue_size(&Numbers::Many(d.clone()), &t.into(), &4.0.into()).unwrap();
        let Numbers::Many(values) = many else { panic!("a list gives a list") };
        for (x, di) in values.iter().zip(&d) {
            prop_assert_eq!(*x, one(waiting::target_queue_size(&(*di).into(), &t.into(), &4.0.into()).unwrap()));
        }
    }
}

#[test]
fn lists_of_different_lengths_are_refused_by_name() {
    let e = waiting::load(&Numbers::Many(vec![1.0, 2.0]), &Numbers::Many(vec![1.0])).unwrap_err();
    assert_eq!(
        e.to_string(),
        "capacity: has 1 values where demand has 2: lists must be of the same length"
    );
    let e = waiting::load(&Numbers::Many(vec![1.0, -2.0]), &3.0.into()).unwrap_err();
    assert_eq!(e.to_string(), "demand[1]: must not be negative, got -2");
}
