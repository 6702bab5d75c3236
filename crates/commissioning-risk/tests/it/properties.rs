//! Invariants of settlement on generated agreements and outturns.
