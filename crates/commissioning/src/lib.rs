//! Reusable libraries for health-care commissioning in the NHS in England, in one crate.
//!
//! Commissioners (integrated care boards, NHS England, local authorities) buy care from NHS
//! trusts, GP practices, independent and voluntary providers. This crate gives a program what
//! that work needs, exactly: money to the penny, contracts and payment models, the year-end
//! settlement of a shared risk, priority setting within a budget, monitoring of activity, money
//! and quality, and comparison of a provider or place with its peers.
//!
//! # Getting started
//!
//! Add the facade to `Cargo.toml`:
//!
//! ```toml
//! [dependencies]
//! commissioning = "0.1"
//! ```
//!
//! and import the prelude, which brings the types most programs need from every library:
//!
//! ```
//! use commissioning::prelude::*;
//!
//! // A block contract of £1m paid in twelve instalments that sum to the penny.
//! let annual: Money = "£1,000,000.00".parse()?;
//! let months = instalments(annual, 12, Rounding::HalfUp)?;
//! assert_eq!(months[0].to_string(), "£83,333.34");
//! assert_eq!(Money::checked_sum(months)?, annual);
//!
//! let fy: FinancialYear = "2025/26".parse()?;
//! assert_eq!(fy.end_date().to_string(), "2026-03-31");
//! # Ok::<(), commissioning::model::ModelError>(())
//! ```
//!
//! Every type a program builds has a constructor, so JSON is never the only way in, and the
//! [`prelude`] holds them all: the example `from_rustdoc` (`cargo run --example from_rustdoc`)
//! builds a contract, a risk-sharing agreement, a selection problem and a funnel plot from Rust
//! values with `use commissioning::prelude::*;` alone, settles, selects and draws.
//!
//! # A tour of the libraries
//!
//! | module | crate | what it does | start with |
//! |---|---|---|---|
//! | [`model`] | `commissioning-model` | exact money, rates and shares, financial years, ODS codes, services, contracts, payment models, activity plans and actuals | [`model::Money`], [`model::contract::Contract`], [`model::payment::PaymentModel`] |
//! | [`risk`] | `commissioning-risk` | risk-sharing settlement: corridors, shares, caps, quality gates, stop-loss, NHS payment rules, ACA, Part D and MSSP presets, multi-year terms, scenarios; every figure explained and split to the penny | [`risk::settle::settle`], [`risk::agreement::Agreement`] |
//! | [`priority`] | `commissioning-priority` | MCDA, weights, AHP, TOPSIS, the cost-effectiveness frontier, exact budget selection with disinvestment, sensitivity and SMAA, spend concentration; decisions under uncertainty (PSA, CEAC, EVPI, expected loss, one- and two-way sensitivity, budget impact) | [`priority::cea::calculate_icers`], [`priority::select::select`], [`priority::psa`] |
//! | [`monitor`] | `commissioning-monitor` | SPC with the Making Data Count rules and charts, KPIs with money consequences and RAG, budget variance and price–volume–mix, indicators of commissioning itself | [`monitor::spc::spc`], [`monitor::kpi::assess`] |
//! | [`compare`] | `commissioning-compare` | whether a provider or place differs from its peers: rates and standardisation with their intervals, funnel plots with overdispersion, similar-10 peer groups, opportunity against the Best 5 | [`compare::funnel::funnel`], [`compare::peers`], [`compare::opportunity`] |
//!
//! A settlement, step by step:
//!
//! ```
//! use commissioning::prelude::*;
//! use commissioning::risk::agreement::{Band, Basis, Mode, SideRule, Threshold};
//!
//! // Half of any saving beyond 2% of the target goes to the provider.
//! let gain = SideRule::new(
//!     vec![Band::new(Threshold::of_target("2%".parse()?), None, "0.5".parse()?)],
//!     Mode::NetOfThreshold,
//! );
//! let deal = Agreement::new("Stroke pathway", Basis::SharedSavings, Some(gain), None);
//! let input = SettlementInput::new("£20,000,000".parse()?, "£19,000,000".parse()?);
//! let s = settle(&deal, &input)?;
//! assert_eq!(s.transfer.to_string(), "£300,000.00"); // 50% of (£1m − £400k)
//! assert!(s.explanation.iter().any(|line| line.contains("net-of-threshold sharing")));
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! # Features
//!
//! - `schema`: JSON Schemas of the input types (through `schemars`), as the `commissioning`
//!   command's `schema` subcommand prints them. Off by default.
//!
//! # Chapters
//!
//! Each library's front page documents its rules with their sources, formulas, worked examples,
//! conformance to the published tools it reproduces (dampack, FunnelPlotR,
//! PHEindicatormethods, NHSRplotthedots, the NHS Payment Scheme, ACA, Part D and MSSP) and any
//! deviation. The repository's `docs/` folder has the same as chapters: getting started,
//! the domain, methods, risk, priority, monitoring, comparison, charts, the JSON form of every
//! document, conformance, performance and robustness.
//!
//! # Conformance
//!
//! As each re-exported crate documents: see [`model`], [`risk`], [`priority`], [`monitor`] and
//! [`compare`].
//!
//! # Deviations
//!
//! None beyond those of the re-exported crates.
#![cfg_attr(docsrs, feature(doc_cfg))]

// The document layer names the libraries by the facade's own name, as its users do.
#[cfg(feature = "document")]
extern crate self as commissioning;

#[cfg(feature = "document")]
#[cfg_attr(docsrs, doc(cfg(feature = "document")))]
pub mod document;

#[doc(inline)]
pub use commissioning_compare as compare;
#[doc(inline)]
pub use commissioning_demand as demand;
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
    // Money, rates, dates and identifiers.
    #[doc(no_inline)]
    pub use crate::model::NaiveDate;
    #[doc(no_inline)]
    pub use crate::model::ods::OdsCode;
    #[doc(no_inline)]
    pub use crate::model::period::{DateRange, FinancialYear, FyMonth, Quarter};
    #[doc(no_inline)]
    pub use crate::model::{
        Decimal, ModelError, Money, Rate, Rounding, Share, allocate, allocate_detailed, instalments,
    };
    // Building a contract.
    #[doc(no_inline)]
    pub use crate::model::contract::{
        Consequence, Contract, ContractCommissioner, ContractForm, Direction, Extension, KpiUnit,
        PaymentMechanism, ProviderParty, QualityRequirement, ReportingPeriod, ServiceLine, Term,
    };
    #[doc(no_inline)]
    pub use crate::model::payment::PaymentModel;
    #[doc(no_inline)]
    pub use crate::model::service::{PointOfDelivery, ServiceArea};
    // Building and settling a risk share.
    #[doc(no_inline)]
    pub use crate::risk::agreement::{
        Band, Basis, GainGate, Mode, Party, PartyGroup, QualityGate, SideRule, Split, Threshold,
        Weighting,
    };
    #[doc(no_inline)]
    pub use crate::risk::settle::{QualityOutcome, QualityResult};
    #[doc(no_inline)]
    pub use crate::risk::{Agreement, RiskError, Settlement, SettlementInput, settle};
    // Comparing with peers, and drawing it.
    #[doc(no_inline)]
    pub use crate::compare::funnel::{FunnelInput, FunnelUnit, funnel};
    #[doc(no_inline)]
    pub use crate::compare::opportunity::Polarity;
    #[doc(no_inline)]
    pub use crate::compare::svg::{FunnelChart, render as funnel_svg};
    #[doc(no_inline)]
    pub use crate::compare::{CompareError, Confidence};
    // Monitoring, priorities and demand.
    #[doc(no_inline)]
    pub use crate::demand::{DemandError, Numbers};
    #[doc(no_inline)]
    pub use crate::monitor::MonitorError;
    #[doc(no_inline)]
    pub use crate::monitor::spc::{Observation, SpcOptions, spc};
    #[doc(no_inline)]
    pub use crate::priority::PriorityError;
    #[doc(no_inline)]
    pub use crate::priority::cea::{Strategy, calculate_icers};
    #[doc(no_inline)]
    pub use crate::priority::select::{Candidate, Problem, select};
}

/// The README's code examples, compiled and run as doctests.
#[cfg(doctest)]
#[doc = include_str!("../../../README.md")]
pub struct ReadmeDoctests;

/// The crate README's code example, compiled and run as a doctest.
#[cfg(doctest)]
#[doc = include_str!("../README.md")]
pub struct CrateReadmeDoctests;
