//! Domain model for NHS health-care commissioning.
#![allow(missing_docs)]
pub mod allocation;
pub mod decimal;
pub mod error;
pub mod money;
pub mod ods;
pub mod organisation;
pub mod period;
pub mod rate;
pub mod service;
pub mod contract { #[derive(Debug, Clone, PartialEq, Eq)] pub struct ValidationIssue; impl std::fmt::Display for ValidationIssue { fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result { f.write_str("x") } } }
pub use allocation::{allocate, allocate_detailed, instalments, Allocation};
pub use error::{ModelError, Result};
pub use money::{Money, Rounding};
pub use rate::{Rate, Share};
