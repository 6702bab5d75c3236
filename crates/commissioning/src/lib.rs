//! Reusable libraries for health-care commissioning in the NHS in England, in one crate.
//!
//! This facade re-exports the workspace's crates as modules named after them, so that one
//! dependency brings in the whole library:
//!
//! | module | crate | what it does |
//! |---|---|---|
//! | [`model`] | `commissioning-model` | exact money, financial years, ODS codes, services, contracts, payment models, activity |
//! | [`risk`] | `commissioning-risk` | risk-sharing settlement: corridors, shares, caps, quality gates, stop-loss, multi-year terms, scenarios |
//! | [`priority`] | `commissioning-priority` | MCDA, weights, AHP, TOPSIS, cost-effectiveness frontier, budget selection, sensitivity, spend concentration |
//! | [`monitor`] | `commissioning-monitor` | SPC with the Making Data Count rules and SVG charts, KPIs and RAG, budget variance and price–volume–mix, indicators of commissioning itself |
//! | [`compare`] | `commissioning-compare` | whether a provider or place differs from its peers: rates and standardisation, funnel plots with overdispersion, similar-k peer groups, opportunity |
//!
//! # Examples
//!
//! ```
//! use commissioning::prelude::*;
//!
//! let annual: Money = "1000000.00".parse()?;
//! let months = instalments(annual, 12, Rounding::HalfUp)?;
//! assert_eq!(months[0].to_string(), "£83,333.34");
//! assert_eq!(Money::checked_sum(months)?, annual);
//!
//! let fy: FinancialYear = "2025/26".parse()?;
//! assert_eq!(fy.end_date().to_string(), "2026-03-31");
//! # Ok::<(), commissioning::model::ModelError>(())
//! ```
//!
//! # Conformance
//!
//! As each re-exported crate documents: see [`model`], [`risk`], [`priority`], [`monitor`] and
//! [`compare`].
//!
//! # Deviations
//!
//! None beyond those of the re-exported crates.

#[doc(inline)]
pub use commissioning_compare as compare;
#[doc(inline)]
pub use commissioning_model as model;
#[doc(inline)]
pub use commissioning_monitor as monitor;
#[doc(inline)]
pub use commissioning_priority as priority;
#[doc(inline)]
pub use commissioning_risk as risk;

/// The types most programs need, for a glob import: from every library.
///
/// ```
/// use commissioning::prelude::*;
///
/// let start = NaiveDate::from_ymd_opt(2025, 4, 1).ok_or("no such date")?;
/// assert_eq!(FinancialYear::containing(start)?.to_string(), "2025/26");
/// let strategies = [Strategy::new("usual care", Money::from_pounds(5_000), 1.0),
///                   Strategy::new("new pathway", Money::from_pounds(10_000), 1.5)];
/// assert_eq!(calculate_icers(&strategies)?[1].icer, Some(10_000.0));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub mod prelude {
    #[doc(no_inline)]
    pub use crate::compare::funnel::{FunnelInput, FunnelUnit, funnel};
    #[doc(no_inline)]
    pub use crate::compare::{CompareError, Confidence};
    #[doc(no_inline)]
    pub use crate::model::NaiveDate;
    #[doc(no_inline)]
    pub use crate::model::contract::Contract;
    #[doc(no_inline)]
    pub use crate::model::period::{DateRange, FinancialYear, FyMonth, Quarter};
    #[doc(no_inline)]
    pub use crate::model::{
        Decimal, ModelError, Money, Rate, Rounding, Share, allocate, allocate_detailed, instalments,
    };
    #[doc(no_inline)]
    pub use crate::monitor::MonitorError;
    #[doc(no_inline)]
    pub use crate::monitor::spc::{SpcOptions, spc};
    #[doc(no_inline)]
    pub use crate::priority::PriorityError;
    #[doc(no_inline)]
    pub use crate::priority::cea::{Strategy, calculate_icers};
    #[doc(no_inline)]
    pub use crate::priority::select::{Problem, select};
    #[doc(no_inline)]
    pub use crate::risk::{Agreement, RiskError, Settlement, SettlementInput, settle};
}

/// The README's code examples, compiled and run as doctests.
#[cfg(doctest)]
#[doc = include_str!("../../../README.md")]
pub struct ReadmeDoctests;

/// The crate README's code example, compiled and run as a doctest.
#[cfg(doctest)]
#[doc = include_str!("../README.md")]
pub struct CrateReadmeDoctests;
