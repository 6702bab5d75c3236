//! Monitoring commissioned services: statistical process control with the NHS "Making Data
//! Count" rules, KPI assessment, financial variance, and indicators of whether commissioning
//! effort is worth what it secures.
//!
//! | module | what it does |
//! |---|---|
//! | [`spc`] | `XmR` limits (screened or not), fixed baselines, rebasing, the four special-cause rules, variation and assurance icons, short-baseline warnings |
//! | [`svg`] | SPC charts as SVG, coloured as Making Data Count does |
//! | [`kpi`] | KPIs against thresholds by period, money consequences, RAG by contract and provider |
//! | [`finance`] | plan against actual by month and year to date, forecast outturn, price–volume–mix |
//! | [`effectiveness`] | effort, cost per pound of change, time to contract award, "time to cut a deal", portfolio shares |
//!
//! # Examples
//!
//! The Making Data Count vignette series, with and without screening of moving ranges:
//!
//! ```
//! use commissioning_monitor::spc::{spc, Observation, Rule, SpcOptions};
//!
//! let values = [1.0, 2.0, 1.0, 2.0, 10.0, 1.0, 2.0, 1.0, 2.0, 1.0, 2.0, 1.0, 2.0, 1.0, 2.0, 1.0, 2.0, 1.0];
//! let series: Vec<Observation> = values.iter().map(|v| Observation::new(*v)).collect();
//! let mut options = SpcOptions::default(); // screening on, as `NHSRplotthedots`
//! let screened = spc(&series, &options)?;
//! let l = screened.segments[0].limits;
//! assert_eq!((format!("{:.2}", l.upper_process_limit), format!("{:.2}", l.lower_process_limit)), ("4.60".into(), "-0.72".into()));
//! options.screen_outliers = false; // as the Making Data Count spreadsheets
//! let raw = spc(&series, &options)?;
//! assert_eq!(format!("{:.2}", raw.segments[0].limits.upper_process_limit), "6.95");
//! assert_eq!(raw.points[4].rule, Rule::OutsideLimits);
//! # Ok::<(), commissioning_monitor::MonitorError>(())
//! ```
//!
//! # Conformance
//!
//! - SPC follows NHS England's Making Data Count guidance as implemented by the R package
//!   `NHSRplotthedots`: limits, screening at 3.267 × mR̄ applied once, the four rules with their
//!   counts (7 for shifts and trends, 2 of 3 beyond the near limits), rule precedence, point
//!   types, variation and assurance icons, the 12-point short-baseline warning, and the colours.
//!   The shared vectors `xmr_limits.json` and `spc_special_causes.json` (the package's vignette
//!   series: limits 6.95 / −3.06 unscreened, 4.60 / −0.72 screened) pass to 1e-9.
//! - Price, volume and mix follow the standard sales-variance analysis (CIMA *Official
//!   Terminology*, 2005).
//!
//! # Deviations
//!
//! - Each point is given one rule label by precedence (outside limits, trend, two of three,
//!   shift), as the shared vectors specify; `NHSRplotthedots` records only whether a point is
//!   special.
//! - The variation icon is the last point's type, and the assurance icon uses the last
//!   segment's limits.
#![cfg_attr(docsrs, feature(doc_cfg))]

pub mod effectiveness;
pub mod error;
pub mod finance;
pub mod kpi;
pub mod spc;
pub mod svg;

pub use error::{MonitorError, Result};

/// The README's code example, compiled and run as a doctest.
#[cfg(doctest)]
#[doc = include_str!("../README.md")]
pub struct ReadmeDoctests;
