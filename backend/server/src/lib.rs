//! The Quartiersnetz server as a library: the binary (`main.rs`) and the black-box tests
//! (`tests/`) both start it through [`startup`].
//!
//! Floors, each using only those below it (ARCHITECTURE.md; `tests/floors.rs` checks it):
//! 1. `kernel`: viewer, errors, settings, database, tokens, audit log, outbox, search and
//!    geocoder clients, and `kernel::memory`, all the process keeps in memory;
//! 2. `tenancy`; 3. `areas`, `accounts`; 4. the domain modules `indicators`, `boards`,
//!    `directory`, `surveys`, each with its tables (`entity.rs`) and use cases;
//! 5. `flows`, the only place where modules meet;
//! 6. the edges `web`, `graphql`, `demo`; 7. `startup`; 8. `cli`.

pub mod accounts;
pub mod areas;
pub mod boards;
pub mod cli;
pub mod demo;
pub mod directory;
pub mod flows;
pub mod graphql;
pub mod indicators;
pub mod kernel;
pub mod startup;
pub mod surveys;
pub mod tenancy;
pub mod web;
