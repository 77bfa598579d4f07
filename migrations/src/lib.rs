//! Database migrations. Frozen once released: a change is a new migration, never an edit.
//! No seed data here (demo data is loaded by `quartiersnetz demo`).

pub use sea_orm_migration::prelude::*;

mod common;
mod m20261122_000001_foundation;
mod m20261123_000001_indicators;
mod m20261124_000001_boards;
mod m20261125_000001_board_post_sources;
mod m20261126_000001_surveys;
mod m20261127_000001_postcodes;
mod m20261128_000001_directory;
mod m20261129_000001_directory_categories;
mod m20261202_000001_survey_results_frozen;
mod m20261203_000001_pending_registrations;
mod m20261204_000001_members;
mod m20261205_000001_addresses;

pub struct Migrator;

#[async_trait::async_trait]
impl MigratorTrait for Migrator {
    fn migrations() -> Vec<Box<dyn MigrationTrait>> {
        vec![
            Box::new(m20261122_000001_foundation::Migration),
            Box::new(m20261123_000001_indicators::Migration),
            Box::new(m20261124_000001_boards::Migration),
            Box::new(m20261125_000001_board_post_sources::Migration),
            Box::new(m20261126_000001_surveys::Migration),
            Box::new(m20261127_000001_postcodes::Migration),
            Box::new(m20261128_000001_directory::Migration),
            Box::new(m20261129_000001_directory_categories::Migration),
            Box::new(m20261202_000001_survey_results_frozen::Migration),
            Box::new(m20261203_000001_pending_registrations::Migration),
            Box::new(m20261204_000001_members::Migration),
            Box::new(m20261205_000001_addresses::Migration),
        ]
    }
}
