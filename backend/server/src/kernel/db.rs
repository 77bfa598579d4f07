//! Connecting to SQLite or PostgreSQL and running the migrations.

use crate::kernel::settings::SqliteSynchronous;
use qn_migrations::{Migrator, MigratorTrait};
use sea_orm::sqlx;
use sea_orm::sqlx::sqlite::SqliteJournalMode;
use sea_orm::{
    ConnectOptions, Database, DatabaseConnection, DbErr, SqliteTransactionMode, TransactionOptions,
    TransactionTrait,
};

/// Connects; for SQLite the folder of the file is created, and every connection of the pool gets
/// foreign keys, WAL, a busy timeout and the chosen `synchronous`.
///
/// # Errors
/// When the database cannot be reached or opened.
pub async fn connect(
    url: &str,
    synchronous: SqliteSynchronous,
) -> Result<DatabaseConnection, DbErr> {
    if let Some(path) = url.strip_prefix("sqlite://") {
        let file = path.split('?').next().unwrap_or_default();
        if let Some(dir) = std::path::Path::new(file).parent() {
            if !dir.as_os_str().is_empty() {
                std::fs::create_dir_all(dir).map_err(|e| DbErr::Custom(e.to_string()))?;
            }
        }
    }
    let mut opts = ConnectOptions::new(url.to_owned());
    opts.sqlx_logging(false);
    if url.starts_with("sqlite:") {
        // One writer at a time in SQLite; a small pool avoids lock contention; in-memory
        // databases must share one connection to be one database.
        opts.max_connections(if url.contains(":memory:") { 1 } else { 4 })
            .min_connections(1)
            // Per connection (a PRAGMA run once would set only the connection that ran it).
            .map_sqlx_sqlite_opts(move |o| {
                o.foreign_keys(true)
                    .journal_mode(SqliteJournalMode::Wal)
                    .busy_timeout(std::time::Duration::from_secs(5))
                    .synchronous(match synchronous {
                        SqliteSynchronous::Normal => sqlx::sqlite::SqliteSynchronous::Normal,
                        SqliteSynchronous::Full => sqlx::sqlite::SqliteSynchronous::Full,
                    })
            });
    }
    Database::connect(opts).await
}

/// Applies all pending migrations.
///
/// # Errors
/// When a migration fails; it is rolled back where the database supports it.
pub async fn migrate(db: &DatabaseConnection) -> Result<(), DbErr> {
    Migrator::up(db, None).await
}

/// Begins a transaction that is going to write. On SQLite it takes the write lock at `BEGIN`
/// (`BEGIN IMMEDIATE`): a deferred transaction that reads first cannot upgrade its lock once
/// another connection (the mail worker, a survey response) has written in between, and fails at
/// once with "database is locked" whatever the busy timeout; taking the lock first makes it wait
/// its turn instead. PostgreSQL ignores the mode.
///
/// # Errors
/// When the database cannot begin (on SQLite: still locked after the busy timeout).
pub async fn write_txn<C: TransactionTrait>(db: &C) -> Result<C::Transaction, DbErr> {
    db.begin_with_options(TransactionOptions {
        sqlite_transaction_mode: Some(SqliteTransactionMode::Immediate),
        ..TransactionOptions::default()
    })
    .await
}
