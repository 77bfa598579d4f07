use qn_migrations::{Migrator, MigratorTrait};
use qn_tests::{Db, TestDatabase};
use sea_orm::{ConnectionTrait, Statement};

async fn table_count(db: &sea_orm::DatabaseConnection) -> i64 {
    let sql = match db.get_database_backend() {
        sea_orm::DbBackend::Sqlite => "SELECT COUNT(*) AS n FROM sqlite_master WHERE type = 'table' AND name IN ('tenants', 'users', 'areas', 'area_versions', 'outbox', 'indicators', 'indicator_values', 'index_definitions')",
        _ => "SELECT COUNT(*) AS n FROM information_schema.tables WHERE table_schema = 'public' AND table_name IN ('tenants', 'users', 'areas', 'area_versions', 'outbox', 'indicators', 'indicator_values', 'index_definitions')",
    };
    let row = db
        .query_one_raw(Statement::from_string(db.get_database_backend(), sql))
        .await
        .expect("query")
        .expect("row");
    row.try_get::<i64>("", "n").expect("n")
}

async fn up_down_up(kind: Db) {
    let Some(database) = TestDatabase::new(kind).await else {
        return;
    };
    let db = quartiersnetz::kernel::db::connect(
        &database.url,
        quartiersnetz::kernel::settings::SqliteSynchronous::Normal,
    )
    .await
    .expect("connect");
    Migrator::up(&db, None).await.expect("up");
    assert_eq!(table_count(&db).await, 8);
    Migrator::down(&db, None).await.expect("down");
    assert_eq!(table_count(&db).await, 0);
    Migrator::up(&db, None).await.expect("up again");
    assert_eq!(table_count(&db).await, 8);
    drop(db);
    database.cleanup().await;
}

#[tokio::test]
async fn up_down_up_sqlite() {
    up_down_up(Db::Sqlite).await;
}

#[tokio::test]
async fn up_down_up_postgres() {
    up_down_up(Db::Postgres).await;
}
