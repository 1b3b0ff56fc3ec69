//! Shared test support.
pub mod synth;
