//! Black-box tests of the running server, each on SQLite and on PostgreSQL.

mod accounts;
mod addresses;
mod api;
mod areas;
mod boards;
mod directory;
mod disclosure;
mod flows;
mod geocoder;
mod indicators;
mod members;
mod migrations;
mod pages;
mod surveys;
mod visibility;
