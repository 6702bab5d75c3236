//! Monitoring commissioned services.
#![allow(missing_docs)]
pub mod error;
pub mod spc;
pub use error::{MonitorError, Result};
