//! Priority setting for local health budgets: multi-criteria value models, weights, AHP,
//! TOPSIS, cost per QALY and the cost-effectiveness frontier, budget-constrained selection,
//! sensitivity of rankings, and where the money goes.
//!
//! The tools a priorities panel, a programme-budgeting and marginal-analysis (PBMA) exercise or
//! a health economist would use, reproducing the reference tools and explaining every rank:
//!
//! | module | what it does |
//! |---|---|
//! | [`weights`] | direct and swing weights; rank order centroid, rank sum, rank reciprocal |
//! | [`ahp`] | AHP weights (eigenvector, geometric mean, column average), λmax, CI, CR with four random-index tables; two-level hierarchies |
//! | [`value`], [`mcda`] | value functions (linear, piecewise, categorical) and the weighted-sum model with each contribution; competition ranking |
//! | [`topsis`] | TOPSIS with vector or min–max normalisation and the ideal points |
//! | [`cea`] | the frontier as dampack's `calculate_icers`; net monetary benefit and ties; NICE thresholds by date; discounting |
//! | [`select`] | exact budget selection with disinvestments and exclusive groups, beside the greedy league table and the divisible bound |
//! | [`sensitivity`] | one-way weight crossovers and rank-1 intervals; SMAA rank acceptability, central weights, confidence factors |
//! | [`concentration`] | share, cumulative share, smallest covering set and A/B/C classes of spend |
//!
//! Scores, weights and health effects are `f64` (NaN and infinities are rejected at the edge);
//! money is [`commissioning_model::Money`].
//!
//! # Examples
//!
//! Ten options cannot all be funded from a £500,000 budget; the exact choice buys more health
//! than the league table:
//!
//! ```
//! use commissioning_model::Money;
//! use commissioning_priority::select::{select, Candidate, Problem};
//!
//! let k = |id: &str, cost: i64, qalys: f64| Candidate::new(id, Money::from_pounds(cost), qalys);
//! let problem = Problem::new(Money::from_pounds(500_000), vec![
//!     k("I1", 200_000, 12.0), k("I2", 150_000, 10.0), k("I3", 250_000, 14.0),
//!     k("I4", 100_000, 4.0), k("I5", 180_000, 9.5),
//!     k("D1", -120_000, -2.0), // decommission a low-value service: frees £120,000, loses 2 QALYs
//! ]);
//! let s = select(&problem)?;
//! assert_eq!(s.exact.ids, ["D1", "I1", "I2", "I3"]);
//! assert_eq!((s.exact.cost, s.exact.benefit), (Money::from_pounds(480_000), 34.0));
//! assert_eq!(s.greedy.benefit, 26.0);
//! # Ok::<(), commissioning_priority::PriorityError>(())
//! ```
//!
//! # Conformance
//!
//! | method | reproduces | shared vectors |
//! |---|---|---|
//! | frontier | dampack `calculate_icers` (incl. its identical-strategy rule) and heemod frontier sets | `calculate_icers.json` (12 cases) |
//! | AHP | `AHPy` and `pyDecision` figures at full precision; RI tables of Saaty 1980 and 2005, Tummala–Ling 1998, Donegan–Dodd 1991 | `ahp_weights.json` (13), `ahp_hierarchy.json` |
//! | TOPSIS | pymcdm and R `MCDA` (vector), pymcdm `minmax` | `topsis.json` |
//! | surrogate weights | Barron and Barrett 1996 | `surrogate_weights.json` (9) |
//! | value functions | rsmaa `smaa.pvf` (error, clip, extrapolate) | `value_functions.json` (7) |
//! | weighted sum | DCLG MCA manual (2009) swing weighting | `weighted_sum.json` |
//! | NMB | dampack HERC example | `net_monetary_benefit.json` |
//! | exact selection | exhaustive enumeration | `knapsack.json` (4) |
//! | one-way sensitivity | standard MCDA sensitivity | `weight_sensitivity.json` |
//!
//! # Deviations
//!
//! - Where dampack and heemod differ on identical strategies, dampack is followed: the later
//!   one is strongly dominated.
//! - Options with zero cost and zero benefit are never selected (they change nothing).
//! - The greedy answer does not consider disinvestments; it shows what a plain league table
//!   would fund.
#![cfg_attr(docsrs, feature(doc_cfg))]
// Exact floating-point comparisons are deliberate here: the reference tools break ties and
// detect equal breakpoints, equal ICERs and equal scores exactly, and so must this crate.
#![allow(clippy::float_cmp)]

pub mod ahp;
pub mod budget;
pub mod cea;
pub mod chart;
pub mod concentration;
pub mod dsa;
pub mod error;
mod kernel;
pub mod mcda;
pub mod psa;
pub mod select;
pub mod sensitivity;
pub mod topsis;
pub mod value;
pub mod weights;

pub use error::{PriorityError, Result};

/// The README's code example, compiled and run as a doctest.
#[cfg(doctest)]
#[doc = include_str!("../README.md")]
pub struct ReadmeDoctests;
