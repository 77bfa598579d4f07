//! `cargo bench -p qn-tests`: importing Köln's 9 Stadtbezirke and 86 Stadtteile through the
//! real import service (validation, one transaction, index rebuild) on SQLite and, when
//! `QN_TEST_POSTGRES_URL` is set, PostgreSQL. Under `cargo test` it runs once as a smoke test.

use qn_domain::areas::FieldMapping;
use qn_domain::tenancy::{Role, Visibility};
use qn_tests::{koeln_bezirke, koeln_stadtteile, Db, TestDatabase};
use quartiersnetz::areas::ImportRequest;
use quartiersnetz::flows::boundaries::import;
use quartiersnetz::kernel::viewer::Viewer;
use std::time::Instant;

async fn run(db: Db, rounds: u32) -> Option<(f64, f64)> {
    let mut bezirke_ms = 0.0;
    let mut stadtteile_ms = 0.0;
    for _ in 0..rounds {
        let database = TestDatabase::new(db).await?;
        let state = qn_tests::bench_state(&database.url).await;
        let tenant = qn_tests::bench_tenant(&state, "koeln", "Köln").await;
        let viewer = Viewer::system(tenant.id, Role::Planner);
        let req =
            |key: &str, parent: Option<&str>, mapping: FieldMapping, geojson: &str| ImportRequest {
                tenant_id: tenant.id,
                level_key: key.into(),
                level_name: key.into(),
                parent_level_key: parent.map(str::to_owned),
                visibility: Some(Visibility::Public),
                shared_with: Vec::new(),
                mapping,
                crs: None,
                geojson: geojson.to_owned(),
                dry_run: false,
            };
        let t = Instant::now();
        let r = import(
            &state,
            &viewer,
            req(
                "stadtbezirk",
                None,
                FieldMapping {
                    id: "STB_NR".into(),
                    name: "STB_NAME".into(),
                    parent: None,
                },
                koeln_bezirke(),
            ),
        )
        .await
        .expect("bezirke");
        assert_eq!(r.created, 9);
        bezirke_ms += t.elapsed().as_secs_f64() * 1e3;
        let t = Instant::now();
        let r = import(
            &state,
            &viewer,
            req(
                "stadtteil",
                Some("stadtbezirk"),
                FieldMapping {
                    id: "STT_NR".into(),
                    name: "STT_NAME".into(),
                    parent: Some("STB_NR".into()),
                },
                koeln_stadtteile(),
            ),
        )
        .await
        .expect("stadtteile");
        assert_eq!(r.created, 86);
        stadtteile_ms += t.elapsed().as_secs_f64() * 1e3;
        drop(state);
        database.cleanup().await;
    }
    Some((
        bezirke_ms / f64::from(rounds),
        stadtteile_ms / f64::from(rounds),
    ))
}

#[tokio::main]
async fn main() {
    let full = std::env::args().any(|a| a == "--bench");
    let rounds = if full { 5 } else { 1 };
    for db in [Db::Sqlite, Db::Postgres] {
        match run(db, rounds).await {
            Some((b, s)) => println!("{db:?}: import 9 Stadtbezirke {b:.0} ms, 86 Stadtteile {s:.0} ms (mean of {rounds})"),
            None => println!("{db:?}: skipped (no QN_TEST_POSTGRES_URL)"),
        }
    }
}
