//! `cargo bench -p qn-tests --bench boards`: the participation boards' speed targets through the
//! real HTTP server on SQLite (a file) and, when `QN_TEST_POSTGRES_URL` is set, PostgreSQL.
//!
//! One Quartier board holds 10,000 posts with points in its Quartier and 50,000 comments
//! (written in bulk; the services' write path is covered by the tests). Measured, as a browser
//! asks for them:
//! - the board's list page, first 20 sorted by support, rendered server-side (target < 30 ms
//!   median);
//! - the map query of all posts of the Quartier, `/api/v1/areas/{id}/posts.geojson` (target
//!   < 50 ms median), and the board's own GeoJSON;
//! - the page of the most supported post, and placing all posts into their areas again (as
//!   after a boundary import).
//!
//! Under `cargo test` it runs once on a small board as a smoke test.

use chrono::{Duration, Utc};
use qn_domain::areas::FieldMapping;
use qn_domain::boards::Access;
use qn_domain::tenancy::{Role, Visibility};
use qn_tests::{Db, TestApp};
use quartiersnetz::accounts::{self, Registration, Viewer};
use quartiersnetz::boards::entity::{board_comments, board_posts};
use quartiersnetz::boards::{self, BoardInput};
use sea_orm::{EntityTrait, Set};
use std::time::Instant;

struct Size {
    posts: usize,
    comments_per_post: usize,
    rounds: usize,
}

/// 10 × 10 Quartiere of 0.01° squares; the board's Quartier is the first.
fn grid() -> String {
    let d = 0.01;
    let mut features = Vec::new();
    for i in 0..10 {
        for j in 0..10 {
            let (x, y) = (6.9 + f64::from(i) * d, 50.9 + f64::from(j) * d);
            features.push(serde_json::json!({"type": "Feature",
                "properties": {"id": format!("q{i}{j}"), "name": format!("Quartier {i}/{j}")},
                "geometry": {"type": "Polygon", "coordinates": [[[x, y], [x + d, y], [x + d, y + d], [x, y + d], [x, y]]]}}));
        }
    }
    serde_json::json!({"type": "FeatureCollection", "features": features}).to_string()
}

fn stats(v: &mut [f64]) -> (f64, f64) {
    v.sort_by(f64::total_cmp);
    let p95 = ((v.len() as f64 * 0.95).ceil() as usize).clamp(1, v.len()) - 1;
    (v[v.len() / 2], v[p95])
}

/// Median and p95 in ms of `rounds` GETs of `path`, after one warm-up; checks the status and
/// that the body contains one of `expect`.
async fn measure(app: &TestApp, path: &str, rounds: usize, expect: &[String]) -> (f64, f64, usize) {
    let mut times = Vec::with_capacity(rounds);
    let mut bytes = 0;
    for i in 0..=rounds {
        let t = Instant::now();
        let r = app.get(path).await;
        assert_eq!(r.status(), 200, "{path}");
        let body = r.text().await.expect("body");
        let ms = t.elapsed().as_secs_f64() * 1e3;
        assert!(
            expect.iter().any(|e| body.contains(e.as_str())),
            "{path} lacks {expect:?}"
        );
        bytes = body.len();
        if i > 0 {
            times.push(ms);
        }
    }
    let (median, p95) = stats(&mut times);
    (median, p95, bytes)
}

async fn run(db: Db, size: &Size) -> Option<()> {
    let database = qn_tests::BenchDatabase::new(db, "boards").await?;
    let url = database.url.clone();
    let app = TestApp::spawn(&url, |_| {}).await;
    let state = &app.state;
    let tenant = qn_tests::bench_tenant(state, "bench", "Bench").await;
    let planner = accounts::register(
        state,
        Registration {
            email: "planung@bench.example",
            password: "bench-bench-bench",
            display_name: "Planung",
            tenant_slug: None,
            client: None,
        },
    )
    .await
    .expect("user");
    accounts::grant(&state.db, planner.id, tenant.id, Role::Planner)
        .await
        .expect("grant");
    let viewer = Viewer {
        user: Some(accounts::person(planner)),
        memberships: vec![(tenant.id, Role::Planner)],
    };
    let report = quartiersnetz::flows::boundaries::import(
        state,
        &viewer,
        quartiersnetz::areas::ImportRequest {
            tenant_id: tenant.id,
            level_key: "quartier".into(),
            level_name: "Quartier".into(),
            parent_level_key: None,
            visibility: Some(Visibility::Public),
            shared_with: Vec::new(),
            mapping: FieldMapping {
                id: "id".into(),
                name: "name".into(),
                parent: None,
            },
            crs: None,
            geojson: grid(),
            dry_run: false,
        },
    )
    .await
    .expect("areas");
    let level = report.level_id.expect("level");
    let area = quartiersnetz::areas::current_areas(&state.db, &viewer, level)
        .await
        .expect("areas")
        .into_iter()
        .find(|a| a.code == "q00")
        .expect("q00")
        .id;
    let board = boards::create_board(
        &state.db,
        &viewer,
        tenant.id,
        BoardInput {
            area_id: Some(area),
            topic: None,
            title: "Ideen für Quartier 0/0".into(),
            rules: String::new(),
            open: true,
            access: Access::Anonymous,
            premoderate_first: false,
        },
    )
    .await
    .expect("board");

    // The posts: points spread over the Quartier, supports and statuses mixed, 5 comments each.
    let kinds = ["idea", "concern", "question", "praise"];
    let statuses = ["new", "in_review", "answered", "in_conference"];
    let start = Utc::now() - Duration::days(365);
    let t = Instant::now();
    let posts: Vec<board_posts::ActiveModel> = (0..size.posts)
        .map(|i| {
            let body = format!("Beitrag {i}: Hier fehlt etwas im Quartier, zum Beispiel Bänke, Licht oder ein Treffpunkt für Jugendliche.");
            let when = start + Duration::minutes(i as i64 * 50);
            board_posts::ActiveModel {
                board_id: Set(board.id),
                tenant_id: Set(tenant.id),
                user_id: Set(None),
                device_hash: Set(Some(format!("{i:064x}"))),
                author_name: Set(format!("Nachbar {}", i % 700)),
                kind: Set(kinds[i % 4].into()),
                title: Set(format!("Vorschlag Nummer {i} für das Quartier")),
                body_html: Set(format!("<p>{body}</p>")),
                body_source: Set(Some(body)),
                lon: Set(Some(6.9 + 0.0005 + (i % 90) as f64 * 0.0001)),
                lat: Set(Some(50.9 + 0.0005 + (i % 89) as f64 * 0.0001)),
                status: Set(statuses[i % 4].into()),
                answer_html: Set(None),
                answered_at: Set(None),
                answered_by: Set(None),
                moderation: Set("visible".into()),
                moderation_reason: Set(None),
                support_count: Set(((i * 7919) % 503) as i32),
                comment_count: Set(size.comments_per_post as i32),
                created_at: Set(when),
                updated_at: Set(when),
                ..Default::default()
            }
        })
        .collect();
    for chunk in posts.chunks(500) {
        board_posts::Entity::insert_many(chunk.to_vec())
            .exec(&state.db)
            .await
            .expect("posts");
    }
    let ids: Vec<i32> = board_posts::Entity::find()
        .all(&state.db)
        .await
        .expect("ids")
        .into_iter()
        .map(|p| p.id)
        .collect();
    let comments: Vec<board_comments::ActiveModel> = ids
        .iter()
        .flat_map(|id| (0..size.comments_per_post).map(move |k| (*id, k)))
        .map(|(post, k)| board_comments::ActiveModel {
            post_id: Set(post),
            parent_id: Set(None),
            user_id: Set(None),
            device_hash: Set(None),
            author_name: Set(format!("Nachbarin {k}")),
            body_html: Set("<p>Sehe ich genauso, das fehlt hier wirklich.</p>".into()),
            moderation: Set("visible".into()),
            moderation_reason: Set(None),
            created_at: Set(start),
            updated_at: Set(start),
            ..Default::default()
        })
        .collect();
    for chunk in comments.chunks(1000) {
        board_comments::Entity::insert_many(chunk.to_vec())
            .exec(&state.db)
            .await
            .expect("comments");
    }
    let written = t.elapsed().as_secs_f64();
    let t = Instant::now();
    let placed = boards::place_all(state, tenant.id).await.expect("place");
    let place_ms = t.elapsed().as_secs_f64() * 1e3;
    assert_eq!(
        placed, size.posts,
        "every post lies in exactly one Quartier"
    );
    println!(
        "{db:?}: {} posts and {} comments written in bulk in {written:.1} s; placing all posts into their Quartiere: {place_ms:.0} ms",
        size.posts,
        comments.len()
    );

    // One of the most supported posts heads the list.
    let support = |i: usize| (i * 7919) % 503;
    let best = (0..size.posts).map(support).max().unwrap_or(0);
    let top: Vec<usize> = (0..size.posts).filter(|i| support(*i) == best).collect();
    let titles: Vec<String> = top
        .iter()
        .map(|i| format!("Vorschlag Nummer {i} für"))
        .collect();
    let (median, p95, bytes) = measure(
        &app,
        &format!("/pinnwand/{}?sort=unterstuetzt", board.id),
        size.rounds,
        &titles,
    )
    .await;
    println!(
        "{db:?}: board list page (first 20 of {} by support, SSR, over HTTP): median {median:.1} ms, p95 {p95:.1} ms, {} kB",
        size.posts,
        bytes / 1024
    );
    let (median, p95, bytes) = measure(
        &app,
        &format!(
            "/pinnwand/{}?sort=neu&seite={}",
            board.id,
            Ord::max(size.posts / 200, 1)
        ),
        size.rounds,
        &["Vorschlag Nummer".into()],
    )
    .await;
    println!(
        "{db:?}: board list page {}, newest first: median {median:.1} ms, p95 {p95:.1} ms, {} kB",
        Ord::max(size.posts / 200, 1),
        bytes / 1024
    );
    let (median, p95, bytes) = measure(
        &app,
        &format!("/api/v1/areas/{area}/posts.geojson"),
        size.rounds,
        &["FeatureCollection".into()],
    )
    .await;
    println!(
        "{db:?}: map query, all {} posts of the Quartier as GeoJSON: median {median:.1} ms, p95 {p95:.1} ms, {} kB",
        size.posts,
        bytes / 1024
    );
    // Where the time goes: the query through sea-orm, and serialising.
    let (mut query, mut serialise) = (Vec::new(), Vec::new());
    for _ in 0..size.rounds {
        let t = Instant::now();
        let points = boards::points(&state.db, None, Some(area))
            .await
            .expect("points");
        query.push(t.elapsed().as_secs_f64() * 1e3);
        let t = Instant::now();
        let json = serde_json::to_vec(&boards::export::feature_collection(&points)).expect("json");
        serialise.push(t.elapsed().as_secs_f64() * 1e3);
        assert_eq!(points.len(), size.posts, "{}", json.len());
    }
    println!(
        "{db:?}:   of which the query (sea-orm) median {:.1} ms, serialising median {:.1} ms",
        stats(&mut query).0,
        stats(&mut serialise).0
    );
    // As a browser asks for it: compressed on the fly.
    let mut times = Vec::new();
    let mut bytes = 0;
    for i in 0..=size.rounds {
        let t = Instant::now();
        let r = app
            .client
            .get(format!("{}/api/v1/areas/{area}/posts.geojson", app.url))
            .header("accept-encoding", "gzip")
            .send()
            .await
            .expect("get");
        assert_eq!(r.headers()["content-encoding"], "gzip");
        bytes = r.bytes().await.expect("body").len();
        if i > 0 {
            times.push(t.elapsed().as_secs_f64() * 1e3);
        }
    }
    let (median, p95) = stats(&mut times);
    println!(
        "{db:?}: the same, gzip as browsers ask: median {median:.1} ms, p95 {p95:.1} ms, {} kB",
        bytes / 1024
    );
    let (median, p95, _) = measure(
        &app,
        &format!("/api/v1/boards/{}/posts.geojson", board.id),
        size.rounds,
        &["FeatureCollection".into()],
    )
    .await;
    println!("{db:?}: the board's GeoJSON: median {median:.1} ms, p95 {p95:.1} ms");
    let top_id = ids[top[0]];
    let (median, p95, _) = measure(
        &app,
        &format!("/beitrag/{top_id}"),
        size.rounds,
        &["Sehe ich genauso".into()],
    )
    .await;
    println!(
        "{db:?}: post page with {} comments: median {median:.1} ms, p95 {p95:.1} ms",
        size.comments_per_post
    );
    drop(app);
    database.cleanup().await;
    Some(())
}

#[tokio::main]
async fn main() {
    let size = if qn_tests::full_bench() {
        Size {
            posts: 10_000,
            comments_per_post: 5,
            rounds: 50,
        }
    } else {
        Size {
            posts: 60,
            comments_per_post: 2,
            rounds: 2,
        }
    };
    qn_tests::bench_each_db(|db| run(db, &size)).await;
}
