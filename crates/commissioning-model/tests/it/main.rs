//! Integration tests of the domain model: published vectors, invariants and JSON round trips.

mod json;
mod properties;
mod vectors;
