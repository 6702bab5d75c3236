//! Whether a provider or a place differs from its peers: rates and standardisation with their
//! intervals, funnel plots with overdispersion, similar-k peer groups, and the opportunity of
//! matching the best of them.
//!
//! | module | what it does | reference |
//! |---|---|---|
//! | [`rates`] | proportions (Wilson), crude rates (exact / Byar), indirectly standardised ratios, directly standardised rates (Dobson, 2013 ESP) | PHEindicatormethods 2.1.0 |
//! | [`funnel`] | funnel limits for ratios (SHMI log, CQC square-root) and proportions, winsorised or truncated z-scores, φ and τ² adjustments, outlier flags | FunnelPlotR 0.6.0 |
//! | [`significance`] | funnel significance labels and lines for proportions and ratios | PHEindicatormethods 2.1.0 |
//! | [`peers`] | the "similar 10": capped, square-rooted, standardised variables and weighted squared distances | NHS RightCare |
//! | [`opportunity`] | the Best 5 of the similar 10, the gap and its interval | Commissioning for Value |
//! | [`svg`] | the funnel plot as a standalone SVG | |
//! | [`intervals`], [`dist`] | Wilson, Byar and exact Poisson limits; normal and chi-square quantiles | |
//!
//! # Examples
//!
//! Which of six trusts' mortality ratios stands out, before and after allowing for
//! overdispersion:
//!
//! ```
//! use commissioning_compare::funnel::{funnel, FunnelInput, FunnelUnit};
//!
//! let units: Vec<FunnelUnit> = [("a", 100.0, 108.0), ("b", 150.0, 112.0), ("c", 180.0, 165.0),
//!     ("d", 80.0, 95.0), ("e", 120.0, 100.0), ("f", 225.0, 220.0)]
//!     .iter().map(|&(id, o, e)| FunnelUnit::new(id, o, e)).collect();
//! let mut input = FunnelInput::ratios(units);
//! input.overdispersion = false;
//! let plain = funnel(&input)?;
//! assert_eq!(plain.outliers_998, 1); // b, 150 deaths against 112 expected
//! assert!(plain.units[1].outlier_998);
//! input.overdispersion = true;
//! let adjusted = funnel(&input)?;
//! assert_eq!(adjusted.outliers_95, 0); // φ = 2.95: within the wider limits
//! # Ok::<(), commissioning_compare::CompareError>(())
//! ```
//!
//! # Conformance
//!
//! - Proportions, ratios and directly standardised rates follow PHEindicatormethods 2.1.0
//!   (`phe_proportion`, `phe_rate`, `calculate_ISRatio`, `calculate_dsr`,
//!   `assign_funnel_significance`): Wilson intervals; exact Poisson limits below 10 events and
//!   Byar's from 10; Dobson limits from Byar's at every count; suppression below 10 events; the
//!   2013 European Standard Population. The shared vectors `proportion_intervals`,
//!   `standardised_ratio`, `directly_standardised_rate` and `funnel_significance` pass at 1e-9
//!   relative.
//! - Funnel plots follow FunnelPlotR 0.6.0 (`funnel_plot`) for SHMI and CQC ratios and for
//!   proportions, with its rounded constants 1.959964 and 3.090232 for normal limits and
//!   full-precision chi-square quantiles for the exact Poisson ones; the vectors
//!   `funnel_limits` pass at 1e-9 relative.
//! - Peer groups follow NHS England RightCare's Similar 10 script (population standard
//!   deviations, cap at mean + 5 SD, square root, z-score, weighted squared distance);
//!   opportunity the Commissioning for Value "Best 5 of the similar 10".
//!
//! # Deviations
//!
//! - CQC adjusted limits are squared back to the ratio scale, as Spiegelhalter's square-root
//!   method intends; FunnelPlotR 0.6.0 reports them on the square-root scale (its issue #33).
//! - Confidence levels are fractions strictly between 0 and 1; PHEindicatormethods accepts only
//!   0.90 to 1. Proportion funnel lines are clamped at the multiplier (PHEindicatormethods clamps
//!   at 100 whatever the multiplier).
//! - Similar-k peers exclude only the unit itself and return exactly `k`, ties by id; the
//!   RightCare script drops every unit at distance 0 and keeps all units tied at the `k`th place.
//! - FunnelPlotR's ratio-of-counts data type is not provided: its limits and z-scores use
//!   different standard errors, and the choice between them is not settled.
#![cfg_attr(docsrs, feature(doc_cfg))]

pub mod dist;
pub mod error;
pub mod funnel;
pub mod intervals;
pub mod level;
pub mod opportunity;
pub mod peers;
pub mod rates;
pub mod significance;
pub mod svg;

pub use error::{CompareError, Result};
pub use level::Confidence;

/// The README's code example, compiled and run as a doctest.
#[cfg(doctest)]
#[doc = include_str!("../README.md")]
pub struct ReadmeDoctests;
