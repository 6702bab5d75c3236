//! Monitoring commissioned services.
#![allow(missing_docs)]
pub mod error;
pub mod finance;
pub mod kpi;
pub mod spc;
pub mod svg;
pub use error::{MonitorError, Result};
