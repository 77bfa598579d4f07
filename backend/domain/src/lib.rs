//! Quartiersnetz domain rules: plain Rust without I/O, so they can be tested on their own and,
//! where the browser needs the same rule, compiled to wasm.
//!
//! Later modules add a sibling module each (`indicators`, `surveys`, `directory`, `boards`,
//! `conferences`, `notifications`) and keep storage and transport out of it.

pub mod accounts;
pub mod areas;
pub mod boards;
pub mod csv_in;
pub mod csv_out;
pub mod directory;
pub mod indicators;
pub mod members;
pub mod surveys;
pub mod tenancy;
pub mod text;
