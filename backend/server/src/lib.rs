//! The Quartiersnetz server as a library: the binary (`main.rs`) and the black-box tests
//! (`tests/`) both start it through [`startup`].
//!
//! One folder per domain (`tenancy`, `accounts`, `areas`; later `indicators`, `directory`,
//! `surveys`, `boards`, `conferences`, `notifications`, `search`), each with its tables
//! (`entity.rs`) and its use cases (`mod.rs`); `graphql/` and `web/` are the thin edges.

pub mod accounts;
pub mod areas;
pub mod audit;
pub mod boards;
pub mod cli;
pub mod db;
pub mod demo;
pub mod directory;
pub mod error;
pub mod graphql;
pub mod indicators;
pub mod mail;
pub mod richtext;
pub mod search;
pub mod settings;
pub mod signing;
pub mod startup;
pub mod state;
pub mod surveys;
pub mod tenancy;
pub mod web;
