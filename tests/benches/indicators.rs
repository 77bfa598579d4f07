//! `cargo bench -p qn-tests --bench indicators`: the indicator module's speed targets through the
//! real services on SQLite (a file, WAL) and, when `QN_TEST_POSTGRES_URL` is set, PostgreSQL:
//! - importing 300,000 value rows (1,000 areas × 30 indicators × 10 dates) from CSV, as 30 files
//!   of 10,000 rows and as one file of 300,000 rows;
//! - the choropleth of one indicator over 1,000 areas with simplified geometry (GeoJSON as the
//!   map fetches it, serialised), cold and with the boundary cache warm;
//! - a need index over 30 indicators and 1,000 areas through the server.
//!
//! Under `cargo test` it runs once on a small city as a smoke test.

use qn_domain::areas::FieldMapping;
use qn_domain::indicators::import::{Format, Layout};
use qn_domain::indicators::need_index::{Combination, IndexClasses, Normalisation};
use qn_domain::indicators::{IndicatorKind, Polarity};
use qn_domain::tenancy::{Role, Visibility};
use qn_tests::Db;
use quartiersnetz::indicators::{self, import as values, maps, need_index as need};
use quartiersnetz::kernel::state::AppState;
use quartiersnetz::kernel::viewer::Viewer;
use std::time::Instant;

struct Size {
    cols: usize,
    rows: usize,
    indicators: usize,
    dates: usize,
    rounds: usize,
}

/// A grid of `cols × rows` blocks, each a polygon with 40 vertices (real boundaries are not
/// squares; simplification and parsing costs grow with vertices).
fn grid(cols: usize, rows: usize) -> String {
    let d = 0.01;
    let mut features = Vec::with_capacity(cols * rows);
    for i in 0..cols {
        for j in 0..rows {
            let (x, y) = (6.8 + i as f64 * d, 50.8 + j as f64 * d);
            let mut ring = Vec::with_capacity(41);
            for k in 0..10 {
                ring.push([x + d * k as f64 / 10.0, y]);
            }
            for k in 0..10 {
                ring.push([x + d, y + d * k as f64 / 10.0]);
            }
            for k in 0..10 {
                ring.push([x + d - d * k as f64 / 10.0, y + d]);
            }
            for k in 0..10 {
                ring.push([x, y + d - d * k as f64 / 10.0]);
            }
            ring.push([x, y]);
            features.push(serde_json::json!({"type": "Feature",
                "properties": {"id": format!("{i:03}{j:03}"), "name": format!("Block {i}/{j}")},
                "geometry": {"type": "Polygon", "coordinates": [ring]}}));
        }
    }
    serde_json::json!({"type": "FeatureCollection", "features": features}).to_string()
}

/// A long CSV the way German spreadsheets write it: `;`, decimal comma, counts.
fn csv(codes: &[String], dates: usize, seed: usize) -> String {
    let mut out = String::from("gebiet_id;datum;wert;zaehler;nenner\n");
    for (a, code) in codes.iter().enumerate() {
        for d in 0..dates {
            let den = 500 + (a * 37 + seed * 11) % 4000;
            let num = (a * 13 + d * 7 + seed * 3) % (den / 3);
            let share = 100.0 * num as f64 / den as f64;
            out.push_str(&format!(
                "{code};{}-12-31;{};{num};{den}\n",
                1900 + d,
                format!("{share:.3}").replace('.', ",")
            ));
        }
    }
    out
}

fn median(v: &mut [f64]) -> f64 {
    v.sort_by(f64::total_cmp);
    v[v.len() / 2]
}

async fn setup(url: &str, size: &Size) -> (AppState, Viewer, i32, Vec<String>) {
    let state = qn_tests::bench_state(url).await;
    let tenant = qn_tests::bench_tenant(&state, "bench", "Bench").await;
    let viewer = Viewer::system(tenant.id, Role::Planner);
    let report = quartiersnetz::flows::boundaries::import(
        &state,
        &viewer,
        quartiersnetz::areas::ImportRequest {
            tenant_id: tenant.id,
            level_key: "block".into(),
            level_name: "Block".into(),
            parent_level_key: None,
            visibility: Some(Visibility::Public),
            shared_with: Vec::new(),
            mapping: FieldMapping {
                id: "id".into(),
                name: "name".into(),
                parent: None,
            },
            crs: None,
            geojson: grid(size.cols, size.rows),
            dry_run: false,
        },
    )
    .await
    .expect("areas");
    assert_eq!(report.created, size.cols * size.rows);
    let level = report.level_id.expect("level");
    let rows = size.rows;
    let codes: Vec<String> = (0..size.cols)
        .flat_map(|i| (0..rows).map(move |j| format!("{i:03}{j:03}")))
        .collect();
    (state, viewer, level, codes)
}

async fn new_indicator(state: &AppState, viewer: &Viewer, tenant: i32, key: &str) -> i32 {
    indicators::create(
        &state.db,
        viewer,
        tenant,
        indicators::IndicatorInput {
            key: key.into(),
            name: key.into(),
            abbreviation: String::new(),
            unit: "%".into(),
            description: String::new(),
            source: String::new(),
            topic: String::new(),
            polarity: Polarity::HighIsBad,
            kind: IndicatorKind::Share,
            precision: 1,
            min_count: 3,
            visibility: Visibility::Public,
            shared_with: Vec::new(),
        },
        None,
    )
    .await
    .expect("indicator")
    .id
}

async fn import(
    state: &AppState,
    viewer: &Viewer,
    indicator: i32,
    level: i32,
    body: String,
) -> usize {
    let r = values::import(
        state,
        viewer,
        values::ImportInput {
            indicator_id: indicator,
            level_id: level,
            bytes: body.into_bytes(),
            format: Format::Csv,
            layout: Layout::Long,
            area_property: None,
            dry_run: false,
        },
    )
    .await
    .expect("import");
    assert!(r.applied, "{:?}", r.problems.first());
    r.rows
}

async fn run(db: Db, size: &Size) -> Option<()> {
    let database = qn_tests::BenchDatabase::new(db, "indicators").await?;
    let url = database.url.clone();
    let (state, viewer, level, codes) = setup(&url, size).await;
    let tenant = viewer.memberships[0].0;
    let areas = codes.len();

    // 30 indicators × 1,000 areas × 10 dates, one file per indicator.
    let files: Vec<String> = (0..size.indicators)
        .map(|i| csv(&codes, size.dates, i))
        .collect();
    let mut ids = Vec::new();
    let t = Instant::now();
    let mut rows = 0;
    for (i, body) in files.into_iter().enumerate() {
        let id = new_indicator(&state, &viewer, tenant, &format!("ind{i}")).await;
        rows += import(&state, &viewer, id, level, body).await;
        ids.push(id);
    }
    let many = t.elapsed().as_secs_f64();
    println!(
        "{db:?}: import {rows} rows ({areas} areas × {} indicators × {} dates) as {} files: {many:.2} s",
        size.indicators, size.dates, size.indicators
    );
    // One file with all of them (one indicator, 300 dates): a single transaction.
    let big = csv(&codes, size.indicators * size.dates, 99);
    let id = new_indicator(&state, &viewer, tenant, "gross").await;
    let t = Instant::now();
    let rows = import(&state, &viewer, id, level, big.clone()).await;
    println!(
        "{db:?}: import one file of {rows} rows: {:.2} s",
        t.elapsed().as_secs_f64()
    );
    // The same file again: every row replaces a stored one.
    let t = Instant::now();
    import(&state, &viewer, id, level, big).await;
    println!(
        "{db:?}: re-import replacing {rows} rows: {:.2} s",
        t.elapsed().as_secs_f64()
    );

    // The choropleth as the map page fetches it.
    let req = maps::MapRequest {
        source: maps::MapSource::Indicator(ids[0]),
        level_id: Some(level),
        date: None,
        method: None,
        classes: 5,
        breaks: Vec::new(),
    };
    if let Ok(mut cache) = state.mem.map_features.write() {
        cache.clear();
    }
    let t = Instant::now();
    let fc = maps::feature_collection(&state, &viewer, &req, 0.0001)
        .await
        .expect("map");
    let cold = t.elapsed().as_secs_f64() * 1e3;
    assert_eq!(fc["features"].as_array().map(Vec::len), Some(areas));
    let mut times = Vec::new();
    let mut bytes = 0;
    for _ in 0..size.rounds {
        let t = Instant::now();
        let fc = maps::feature_collection(&state, &viewer, &req, 0.0001)
            .await
            .expect("map");
        bytes = serde_json::to_vec(&fc).expect("json").len();
        times.push(t.elapsed().as_secs_f64() * 1e3);
    }
    println!(
        "{db:?}: choropleth GeoJSON of {areas} areas: cold {cold:.1} ms, warm median {:.1} ms ({} rounds, {} kB)",
        median(&mut times),
        size.rounds,
        bytes / 1024
    );

    // A need index over all indicators, computed by the server per request.
    let def = need::save(
        &state.db,
        &viewer,
        need::DefinitionInput {
            tenant_id: tenant,
            key: "bench".into(),
            name: "Bench".into(),
            description: String::new(),
            level_id: level,
            spec: need::StoredSpec {
                components: ids
                    .iter()
                    .map(|id| need::StoredComponent {
                        indicator_id: *id,
                        polarity: Polarity::HighIsBad,
                        weight: 1.0,
                    })
                    .collect(),
                normalisation: Normalisation::ZScore,
                combination: Combination::WeightedSum,
                restandardise: true,
                classes: IndexClasses::SdBands(vec![-1.0, 1.0, 1.5]),
                population_indicator_id: None,
                min_population: None,
                excluded_area_ids: Vec::new(),
            },
            visibility: Visibility::Public,
            shared_with: Vec::new(),
        },
    )
    .await
    .expect("index");
    let mut times = Vec::new();
    let mut valid = 0;
    for _ in 0..size.rounds {
        let t = Instant::now();
        let run = need::run(&state.db, Some(&state.mem.published), &viewer, def.id, None)
            .await
            .expect("run");
        // Areas with a hidden component value (small counts) are left out, not scored.
        assert!(run.valid_areas > 0 && run.valid_areas <= areas);
        valid = run.valid_areas;
        times.push(t.elapsed().as_secs_f64() * 1e3);
    }
    println!(
        "{db:?}: need index over {} indicators × {areas} areas ({valid} valid) via the server: median {:.1} ms",
        size.indicators,
        median(&mut times)
    );
    drop(state);
    database.cleanup().await;
    Some(())
}

#[tokio::main]
async fn main() {
    let size = if qn_tests::full_bench() {
        Size {
            cols: 40,
            rows: 25,
            indicators: 30,
            dates: 10,
            rounds: 20,
        }
    } else {
        Size {
            cols: 5,
            rows: 4,
            indicators: 3,
            dates: 2,
            rounds: 2,
        }
    };
    qn_tests::bench_each_db(|db| run(db, &size)).await;
}
