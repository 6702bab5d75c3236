//! Demand and capacity for NHS commissioning: how long the queue for a service is, what
//! capacity it needs, and what list meets the referral-to-treatment standard.
//!
//! | module | what it does | reference |
//! |---|---|---|
//! | [`waiting`] | queue load, target mean wait and queue size, relief and target capacity, waiting-list pressure; the RTT relation under exponential waits | NHSRwaitinglist (NHS-R community) |
//!
//! # Examples
//!
//! An ENT list of 1,200 with 30 referrals and 27 removals a week, held to a 52-week target:
//!
//! ```
//! use commissioning_demand::{Numbers, waiting};
//!
//! let (demand, target) = (Numbers::One(30.0), Numbers::One(52.0));
//! let pressure = waiting::pressure(&63.0.into(), &target)?;
//! assert_eq!(pressure, Numbers::One(2.0 * 63.0 / 52.0)); // above 1: the target will be missed
//! let capacity = waiting::target_capacity(&demand, &target, &4.0.into(), &1.0.into(), &1.0.into())?;
//! assert_eq!(capacity, Numbers::One(30.0 + 1.0 * (4.0 / 52.0)));
//! # Ok::<(), commissioning_demand::DemandError>(())
//! ```
//!
//! # Conformance
//!
//! The queue formulas follow NHSRwaitinglist's code (`calc_queue_load`,
//! `calc_target_mean_wait`, `calc_target_queue_size`, `calc_relief_capacity`,
//! `calc_target_capacity`, `calc_waiting_list_pressure`, the RTT relation of
//! `plot_rtt_journey`), in the same order of operations; the shared vectors `waiting/*` pass at
//! 1e-9 relative (`tests/vectors/`).
//!
//! # Deviations
//!
//! - Where the package's help and code disagree, the code is followed: the target capacity's
//!   variability term is divided by 2 (its issues #134 and #135).
//! - The package returns whatever the arithmetic gives; here a value outside a formula's
//!   domain is refused by name, a load with no capacity is undefined, and lists of different
//!   lengths are refused (R would recycle them with a warning).
//! - `wl_stats` (the statistics of a list of referral and removal dates) is not provided yet.
#![cfg_attr(docsrs, feature(doc_cfg))]

mod error;
mod numbers;
pub mod waiting;

pub use error::{DemandError, Result};
pub use numbers::Numbers;
