//! Risk-sharing settlement for health-care contracts: corridors, gain and loss shares, caps and
//! collars, quality gates, stop-loss and exact splits between parties, explained step by step.
//!
//! An [`Agreement`] says how the variance between outturn and target is
//! shared; [`settle`](settle::settle) applies it to one period and returns a
//! [`Settlement`] that carries every step of its working, in structured
//! form and in plain English, and the transfer split to the penny between the parties.
//!
//! Signs are the same everywhere: **variance = target − outturn** (positive below target, the
//! gain side) and a **transfer is positive when the commissioner pays the provider**.
//!
//! # Examples
//!
//! An alliance shares half of any saving beyond 1% of a £40m target, net of the 1%, with the
//! gain capped at £1m; the commissioners pay by fixed shares and the providers receive by
//! contract value:
//!
//! ```
//! use commissioning_model::{Decimal, Money};
//! use commissioning_risk::agreement::*;
//! use commissioning_risk::settle::{settle, SettlementInput};
//!
//! let gain = SideRule::new(
//!     vec![Band::new(Threshold::of_target("1%".parse()?), None, "0.5".parse()?)],
//!     Mode::NetOfThreshold,
//! ).with_cap(Limit::Amount { amount: "1000000.00".parse()? });
//! let split = Split::new(
//!     PartyGroup::new(Weighting::FixedShares, vec![
//!         Party::new("QWO", Decimal::new(7, 1)), Party::new("02T", Decimal::new(3, 1))]),
//!     PartyGroup::new(Weighting::ContractValue, vec![
//!         Party::new("RWY", Decimal::from(30_000_000)), Party::new("RXG", Decimal::from(9_000_000)),
//!         Party::new("8J123", Decimal::from(1_000_000))]),
//! );
//! let agreement = Agreement::new("Diabetes alliance", Basis::SharedSavings, Some(gain), None)
//!     .with_split(split);
//! let s = settle(&agreement, &SettlementInput::new("40000000.00".parse()?, "38650000.00".parse()?))?;
//! // Saving £1,350,000; the first £400,000 is the deadband; half of £950,000 is £475,000.
//! assert_eq!(s.transfer, "475000.00".parse::<Money>()?);
//! let parts: Vec<String> = s.split.iter().map(|p| format!("{} {}", p.id, p.amount)).collect();
//! assert_eq!(parts, ["QWO -£332,500.00", "02T -£142,500.00",
//!                    "RWY £356,250.00", "RXG £106,875.00", "8J123 £11,875.00"]);
//! assert_eq!(s.explanation[1],
//!     "net-of-threshold sharing: 50% of £950,000.00 in band 1 (£400,000.00 and above) = £475,000.00");
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! # Conformance
//!
//! The shared worked examples are reproduced to the penny (see `tests/vectors/`):
//!
//! | rule | preset or function | source |
//! |---|---|---|
//! | ACA risk corridors 2014–2016, with proration | [`presets::aca_risk_corridor`] | ACA §1342; 45 CFR 153.510 |
//! | Medicare Part D risk corridors 2006–07 and 2008+ | [`presets::part_d_risk_corridor`] | SSA §1860D-15(e); 42 CFR 423.336 |
//! | MSSP minimum savings rate by size | [`mssp::minimum_savings_rate`] | 42 CFR 425.604(b) |
//! | MSSP BASIC A–E and ENHANCED settlement | [`presets::mssp`], [`mssp::settle_mssp`] | 42 CFR 425.605, 425.610 |
//! | Generic gain/loss corridor, first-dollar and net | [`agreement::Agreement`] | Axene worked example |
//! | Marginal rate for emergency activity | [`nhs::marginal_rate`] | NHS tariff, 2010/11 onwards |
//! | Blended payment (API 2022/23, BPEC 2019/20, elective 2023/24) | [`nhs::blended`] | HFMA; NHS Payment Scheme |
//! | CQUIN withhold and clawback | [`nhs::cquin_withhold`] | HFMA on CQUIN 2022/23–2024/25 |
//! | Reinsurance layer, specific and aggregate stop-loss | [`stoploss`] | HHS transitional reinsurance 2014–2016 |
//!
//! # Deviations
//!
//! - Part D below the second lower threshold follows the regulation (the lower limit), not the
//!   statute's literal "upper limit"; see [`presets::part_d_risk_corridor`].
//! - A quality-adjusted loss rate replaces the rate of every loss band, not only the first.
//! - In first-dollar mode a variance beyond a bounded last band shares nothing; make the last
//!   band open-ended to share without limit.
#![cfg_attr(docsrs, feature(doc_cfg))]

pub mod agreement;
pub mod error;
pub mod fast;
pub mod mssp;
pub mod multiyear;
pub mod nhs;
pub mod pooled;
pub mod presets;
pub mod scenario;
pub mod scheme;
pub mod settle;
pub mod stoploss;

pub use agreement::Agreement;
pub use error::{Result, RiskError};
pub use settle::{Settlement, SettlementInput, settle};

/// The README's code example, compiled and run as a doctest.
#[cfg(doctest)]
#[doc = include_str!("../README.md")]
pub struct ReadmeDoctests;
