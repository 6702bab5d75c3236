//! The domain model of NHS health-care commissioning: exact money, financial years,
//! organisations and their ODS codes, services, contracts, payment models and activity.
//!
//! Every other crate of the workspace builds on these types. Money is a [`Money`] over
//! `rust_decimal::Decimal` with checked arithmetic and one named rounding step
//! ([`Money::round`]); amounts split between parties or months sum exactly to the penny
//! ([`allocate`], [`instalments`]). Every type with an invariant is validated on construction
//! and on deserialisation, and every error names the field and the rule it broke.
//!
//! | module | what it holds |
//! |---|---|
//! | [`money`], [`rate`] | [`Money`], [`Rounding`], [`Rate`], [`Share`] |
//! | [`allocation`] | largest-remainder allocation and instalments |
//! | [`chart`] | the house style of the workspace's SVG charts: round axes, titles, legend, palette |
//! | [`period`] | [`FinancialYear`], months M1–M12, quarters, calendar months, date ranges, pro-rating |
//! | [`ods`], [`organisation`] | ODS codes by kind; commissioners, providers and a register |
//! | [`service`] | service areas, programme categories, treatment functions, points of delivery |
//! | [`contract`] | contracts, terms, quality requirements, CQUIN, indexation, validation |
//! | [`payment`] | block, cost and volume, cost per case, blended and capitated payment |
//! | [`activity`] | plans and actuals, variance, forecast outturn |
//! | [`rng`] | a seeded generator for reproducible scenarios and sensitivity analysis |
//!
//! # Examples
//!
//! A block contract's monthly instalments sum exactly to its annual value:
//!
//! ```
//! use commissioning_model::{instalments, Money, Rounding};
//!
//! let annual: Money = "1000000.00".parse()?;
//! let months = instalments(annual, 12, Rounding::HalfUp)?;
//! assert_eq!(months[0].to_string(), "£83,333.34"); // M1 to M4 carry the 4 leftover pence
//! assert_eq!(months[11].to_string(), "£83,333.33");
//! assert_eq!(Money::checked_sum(months)?, annual);
//! # Ok::<(), commissioning_model::ModelError>(())
//! ```
//!
//! A service that starts part-way through the year is paid for the days it runs:
//!
//! ```
//! use commissioning_model::period::{prorate, DateRange, parse_date};
//! use commissioning_model::{FinancialYear, Money};
//!
//! let fy: FinancialYear = "2024/25".parse()?;
//! let from_july = DateRange::try_new(parse_date("start", "2024-07-01")?, fy.end_date())?;
//! assert_eq!(from_july.days(), 274);
//! let due = prorate("730000.00".parse()?, from_july, fy)?.round_pence();
//! assert_eq!(due.to_string(), "£548,000.00"); // 730,000 × 274 ÷ 365
//! # Ok::<(), commissioning_model::ModelError>(())
//! ```
//!
//! A risk share is split between an alliance's members by contract value, to the penny:
//!
//! ```
//! use commissioning_model::{allocate, Decimal, Money, Rounding};
//!
//! let gain: Money = "250000.00".parse()?;
//! let contract_values = [42_000_000, 17_500_000, 3_100_000].map(Decimal::from);
//! let parts = allocate(gain, &contract_values, Rounding::HalfUp)?;
//! let shown: Vec<String> = parts.iter().map(ToString::to_string).collect();
//! assert_eq!(shown, ["£167,731.63", "£69,888.18", "£12,380.19"]);
//! assert_eq!(Money::checked_sum(parts)?, gain);
//! # Ok::<(), commissioning_model::ModelError>(())
//! ```
//!
//! # Conformance
//!
//! - Financial years, months and quarters follow NHS practice: 1 April to 31 March, written
//!   `2025/26`, M1 = April, Q1 = April to June (NHS Standard Contract 2025/26; 2023/25 NHS
//!   Payment Scheme).
//! - ODS code formats follow the NHS Data Dictionary's organisation and site coding frames
//!   (table in [`ods`]); a format is a sanity check, not proof of an organisation's kind.
//! - Payment mechanisms are the four of the NHS Payment Scheme (aligned payment and incentive,
//!   low-volume activity block, activity-based, local). The blended rule
//!   ([`payment::blended_payment`]) reproduces the HFMA worked figures for the 2022/23 aligned
//!   payment and incentive (75%) and the 2019/20 blended emergency payment (20%).
//! - Programme budgeting categories (04A diabetes, 05B organic mental disorders including
//!   dementia, 10B cerebrovascular disease) and treatment function codes (307 diabetes, 727
//!   dementia assessment, 328 stroke medicine) are those of the NHS Data Dictionary.
//!
//! # Deviations
//!
//! - Rounding "half up" means half away from zero, so a negative half-penny rounds to the more
//!   negative penny; this keeps rounding symmetric for gains and losses.
//! - Allocation hands leftover pennies to the largest remainders, ties to the earlier party;
//!   no published NHS rule fixes this, so it is this crate's documented choice.
//! - JSON numbers are accepted for quantities and weights (read through their shortest decimal
//!   form) but not for money, which must be a decimal string or a whole number.
#![cfg_attr(docsrs, feature(doc_cfg))]

pub mod activity;
pub mod allocation;
pub mod chart;
pub mod contract;
pub mod decimal;
pub mod error;
pub mod ids;
pub mod money;
pub mod ods;
pub mod organisation;
pub mod payment;
pub mod period;
pub mod rate;
pub mod rng;
pub mod service;
pub mod words;

pub use allocation::{Allocation, allocate, allocate_detailed, instalments};
/// The calendar date type of the public API (contract terms, periods, as-of dates), so that
/// callers need not depend on `chrono` themselves.
pub use chrono::NaiveDate;
pub use contract::Contract;
pub use error::{ModelError, Result};
pub use money::{Money, Rounding};
pub use period::{FinancialYear, FyMonth};
pub use rate::{Rate, Share};
pub use rust_decimal::Decimal;

/// The README's code example, compiled and run as a doctest.
#[cfg(doctest)]
#[doc = include_str!("../README.md")]
pub struct ReadmeDoctests;
