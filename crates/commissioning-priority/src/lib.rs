//! Priority setting for local health budgets.
#![allow(missing_docs)]
pub mod ahp;
pub mod cea;
pub mod concentration;
pub mod error;
pub mod mcda;
pub mod select;
pub mod sensitivity;
pub mod topsis;
pub mod value;
pub mod weights;
pub use error::{PriorityError, Result};
