//! x
pub use commissioning_model as model;
