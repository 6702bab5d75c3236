//! Domain model for NHS health-care commissioning.
#![allow(missing_docs)]
pub mod activity;
pub mod allocation;
pub mod decimal;
pub mod error;
pub mod money;
pub mod ods;
pub mod organisation;
pub mod payment;
pub mod period;
pub mod rate;
pub mod service;
pub mod contract;
pub use allocation::{allocate, allocate_detailed, instalments, Allocation};
pub use error::{ModelError, Result};
pub use money::{Money, Rounding};
pub use rate::{Rate, Share};
