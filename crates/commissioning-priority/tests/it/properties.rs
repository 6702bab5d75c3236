//! Invariants on generated input.
