//! The flows (`backend/server/src/flows`): what follows a change that other modules depend on.
//! Account deletion and renaming are checked in `boards.rs` (posts and comments show
//! "gelöschtes Konto", the outbox keeps no mail to the address) and `accounts.rs`.

use qn_domain::tenancy::{Role, TenantKind};
use qn_tests::serde_json::{json, Value};
use qn_tests::*;

/// The four Viertel of [`small_city`] at `x`, optionally with V1 and V2 swapped.
fn viertel_input(slug: &str, x: f64, swapped: bool) -> Value {
    let child = |id: &str, name: &str, parent: &str, x: f64| {
        let mut f = square_feature(id, name, x, 50.0, 0.01);
        f["properties"]["parent"] = json!(parent);
        f
    };
    let (v1, v2) = if swapped {
        (x + 0.01, x)
    } else {
        (x, x + 0.01)
    };
    json!({"tenant": slug, "levelKey": "viertel", "levelName": "Viertel",
    "parentLevelKey": "bezirk", "parentProperty": "parent",
    "idProperty": "id", "nameProperty": "name",
    "geojson": collection(vec![
        child("V1", "Altdorf", "B1", v1),
        child("V2", "Bergheim", "B1", v2),
        child("V3", "Chausseeviertel", "B2", x + 0.02),
        child("V4", "Domplatz", "B2", x + 0.03),
    ])})
}

/// A city `slug` at `x` with its planner signed in on a client of its own, a board post and a
/// directory offer at a point in V1. Returns the client and the (post, offer) ids.
async fn city_with_content(app: &TestApp, slug: &str, x: f64) -> (TestApp, String, i64) {
    let planner = app.other_client();
    let t = app.tenant(slug, TenantKind::KreisfreieStadt, None).await;
    planner
        .sign_in_as(&format!("planung@{slug}.test"), Some((&t, Role::Planner)))
        .await;
    small_city(&planner, slug, x).await;
    let board = planner
        .gql_ok(
            "mutation($t: ID!, $i: BoardSettings!) { createBoard(tenantId: $t, input: $i) { id } }",
            json!({"t": t.id.to_string(), "i": {"title": "Ideen", "rules": "<p>Freundlich</p>",
                   "access": "ACCOUNTS", "premoderateFirst": false}}),
        )
        .await["createBoard"]["id"]
        .as_str()
        .expect("board")
        .to_owned();
    let post = planner
        .gql_ok(
            "mutation($i: PostInput!) { createPost(input: $i) { id } }",
            json!({"i": {"boardId": board, "kind": "IDEA", "title": "Mehr Bänke",
                   "body": "Am Platz fehlen Bänke.", "lon": x + 0.005, "lat": 50.005}}),
        )
        .await["createPost"]["id"]
        .as_str()
        .expect("post")
        .to_owned();
    let lon = format!("{}", x + 0.005);
    let to = planner
        .post_form(
            &format!("/kommune/{slug}/anbieten"),
            &[
                ("name", "Nachbarschaftshilfe e.V."),
                ("art", "verein"),
                ("beschreibung", "Wir helfen im Viertel."),
                ("lat", "50.005"),
                ("lon", &lon),
                ("sprache", "de"),
            ],
        )
        .await;
    let actor: i64 = to
        .strip_prefix("/akteur/")
        .and_then(|r| r.split(['?', '/']).next())
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(|| panic!("actor: {to}"));
    let to = planner
        .post_form(
            &format!("/akteur/{actor}/angebot-neu"),
            &[
                ("titel", "Lernhilfe"),
                ("beschreibung", "Hilfe bei den Hausaufgaben."),
                ("kategorie", "hausaufgaben"),
                ("zielgruppe", "kinder"),
                ("sprache", "de"),
                ("kosten", "kostenlos"),
            ],
        )
        .await;
    let offer: i64 = to
        .strip_prefix("/angebot/")
        .and_then(|r| r.split(['?', '/']).next())
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(|| panic!("offer: {to}"));
    (planner, post, offer)
}

/// Codes of the areas a post, an actor's offer, lies in.
async fn placed(app: &TestApp, post: &str, offer: i64) -> (i64, i64) {
    let in_v = |table: &str, col: &str, id: &str, code: &str| {
        format!(
            "SELECT COUNT(*) FROM {table} p JOIN areas a ON a.id = p.area_id \
             WHERE p.{col} = {id} AND a.code = '{code}'"
        )
    };
    let post_v2 = app
        .count(&in_v("board_post_areas", "post_id", post, "V2"))
        .await;
    let offer_v2 = app
        .count(&in_v(
            "directory_offer_areas",
            "offer_id",
            &offer.to_string(),
            "V2",
        ))
        .await;
    (post_v2, offer_v2)
}

db_test!(
    a_boundary_import_replaces_the_posts_and_entries_of_its_tenant_only,
    |app: TestApp| async move {
        let (a, a_post, a_offer) = city_with_content(&app, "stadt-a", 7.0).await;
        let (_b, b_post, b_offer) = city_with_content(&app, "stadt-b", 8.0).await;
        assert_eq!(placed(&app, &a_post, a_offer).await, (0, 0));
        let before =
            |id: &str| format!("SELECT COUNT(*) FROM board_post_areas WHERE post_id = {id}");
        assert_eq!(app.count(&before(&b_post)).await, 2, "Bezirk and Viertel");

        // Stadt B's placements are wiped by hand: only a re-placement of B would restore them.
        app.exec(&format!(
            "DELETE FROM board_post_areas WHERE post_id = {b_post}"
        ))
        .await;
        app.exec(&format!(
            "DELETE FROM directory_offer_areas WHERE offer_id = {b_offer}"
        ))
        .await;

        let r = a.import(viertel_input("stadt-a", 7.0, true)).await;
        assert_eq!(r["data"]["importAreas"]["applied"], json!(true), "{r}");
        // Stadt A's post and offer moved with the redrawn Viertel ...
        assert_eq!(placed(&app, &a_post, a_offer).await, (1, 1));
        // ... Stadt B was not touched.
        assert_eq!(app.count(&before(&b_post)).await, 0);
        assert_eq!(
            app.count(&format!(
                "SELECT COUNT(*) FROM directory_offer_areas WHERE offer_id = {b_offer}"
            ))
            .await,
            0
        );

        // The search follows too: the offer is found in its new Viertel.
        let v2 = app
            .count("SELECT CAST(a.id AS BIGINT) FROM areas a JOIN tenants t ON t.id = a.tenant_id WHERE t.slug = 'stadt-a' AND a.code = 'V2'")
            .await;
        let fc: Value = app
            .get(&format!(
                "/api/v1/kommune/stadt-a/angebote.geojson?gebiet={v2}"
            ))
            .await
            .json()
            .await
            .expect("geojson");
        assert_eq!(fc["features"].as_array().map(Vec::len), Some(1), "{fc}");
    }
);

db_test!(
    a_dry_run_and_a_refused_import_owe_nothing,
    |app: TestApp| async move {
        let (a, a_post, a_offer) = city_with_content(&app, "stadt-a", 7.0).await;
        let mut input = viertel_input("stadt-a", 7.0, true);
        input["dryRun"] = json!(true);
        let r = a.import(input).await;
        assert_eq!(r["data"]["importAreas"]["applied"], json!(false), "{r}");
        assert_eq!(placed(&app, &a_post, a_offer).await, (0, 0));
        let mut input = viertel_input("stadt-a", 7.0, true);
        input["geojson"] = json!("{\"type\": \"FeatureCollection\", \"features\": [{}]}");
        let r = a.import(input).await;
        assert_eq!(r["data"]["importAreas"]["applied"], json!(false), "{r}");
        assert_eq!(placed(&app, &a_post, a_offer).await, (0, 0));
    }
);
