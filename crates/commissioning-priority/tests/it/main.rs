//! Integration tests of priority setting: published vectors and invariants.

// A failing test panics by design; the library lints against panics do not apply here.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    clippy::arithmetic_side_effects,
    clippy::cast_possible_truncation,
    clippy::cast_precision_loss,
    clippy::float_cmp,
    clippy::needless_range_loop,
    clippy::redundant_clone
)]

mod properties;
mod uncertainty;
mod vectors;
