//! The floor every module stands on. It knows no domain module: a request's viewer, errors,
//! settings, the database connection, tokens and hashing, the audit log, the mail outbox, search
//! and geocoding clients, and [`memory`], the one list of what the process keeps in memory.

pub mod audit;
pub mod db;
pub mod drafts;
pub mod error;
pub mod geocoder;
pub mod memory;
pub mod outbox;
pub mod permissions;
pub mod richtext;
pub mod search;
pub mod settings;
pub mod signing;
pub mod state;
pub mod tokens;
pub mod viewer;
pub mod window_counter;
