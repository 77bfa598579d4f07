use qn_tests::serde_json::json;
use qn_tests::*;

db_test!(
    deep_and_invalid_queries_get_coded_errors,
    |app: TestApp| async move {
        let mut q = String::from("id");
        for _ in 0..50 {
            q = format!("parent {{ {q} }}");
        }
        let r = app
            .gql(
                &format!("{{ areaAt(lon: 7.0, lat: 51.0) {{ {q} }} }}"),
                json!({}),
            )
            .await;
        assert_code(&r, "QUERY_TOO_COMPLEX");
        assert!(r.get("data").is_none_or(|d| d.is_null()));

        let r = app.gql("{ nope }", json!({})).await;
        assert_code(&r, "BAD_REQUEST");

        let r = app
            .gql("{ areaAt(lon: 700, lat: 51) { id } }", json!({}))
            .await;
        assert_code(&r, "VALIDATION");

        let r = app.gql("{ area(id: \"abc\") { id } }", json!({})).await;
        assert_code(&r, "VALIDATION");

        // Malformed JSON bodies get a coded error too.
        let r = app
            .client
            .post(format!("{}/graphql", app.url))
            .header("origin", &app.url)
            .header("content-type", "application/json")
            .body("{\"query\": ")
            .send()
            .await
            .expect("send");
        assert_eq!(r.status(), 400);
        let body: qn_tests::serde_json::Value = r.json().await.expect("json");
        assert_code(&body, "VALIDATION");

        assert_eq!(app.get("/healthz").await.text().await.expect("text"), "ok");
        // Every response carries a Content-Security-Policy, not only the pages.
        for path in ["/healthz", "/qn.css", "/api/v1/kommune/keine/angebote.csv"] {
            let r = app.get(path).await;
            let csp = r
                .headers()
                .get("content-security-policy")
                .and_then(|v| v.to_str().ok())
                .unwrap_or_default()
                .to_owned();
            assert!(
                csp.contains("object-src 'none'") && csp.contains("frame-ancestors 'none'"),
                "{path}: {csp}"
            );
        }
    }
);

/// The committed schema is the contract for clients; it must match the code.
/// Update it with `cargo run -p quartiersnetz -- schema > schema.graphql`.
#[test]
fn schema_file_matches_code() {
    let committed =
        std::fs::read_to_string(workspace_root().join("schema.graphql")).expect("schema.graphql");
    let current = quartiersnetz::graphql::sdl();
    assert!(
        committed == current,
        "schema.graphql is out of date: run `cargo run -p quartiersnetz -- schema > schema.graphql`"
    );
}

db_test!(
    the_graphql_cost_of_one_request_is_bounded,
    |app: TestApp| async move {
        let t = app
            .tenant(
                "stadt",
                qn_domain::tenancy::TenantKind::KreisfreieStadt,
                None,
            )
            .await;
        app.sign_in_as(
            "planung@stadt.test",
            Some((&t, qn_domain::tenancy::Role::Planner)),
        )
        .await;
        // Introspection is off outside development: the committed schema is the contract.
        let r = app.gql("{ __schema { types { name } } }", json!({})).await;
        assert!(r["data"]["__schema"].is_null(), "{r}");
        assert!(!r.to_string().contains("\"types\""), "{r}");

        // A query document of more than 32 KiB is refused before it is parsed.
        let huge = format!("{{ tenants {{ slug }} }} #{}", "x".repeat(40 * 1024));
        let r = app
            .client
            .post(format!("{}/graphql", app.url))
            .header("origin", &app.url)
            .header("content-type", "application/json")
            .body(json!({"query": huge}).to_string())
            .send()
            .await
            .expect("send");
        assert_eq!(r.status(), 413);
        let body: qn_tests::serde_json::Value = r.json().await.expect("json");
        assert_code(&body, "TOO_LARGE");

        // One import per request: two aliased (dry-run) imports are too complex; one passes.
        let input = json!({"tenant": "stadt", "levelKey": "bezirk", "levelName": "Bezirk",
            "idProperty": "id", "nameProperty": "name", "dryRun": true,
            "geojson": collection(vec![square_feature("B1", "Nord", 7.0, 50.0, 0.02)])});
        let r = app
            .gql(
                "mutation($i: ImportAreasInput!) { a: importAreas(input: $i) { applied } b: importAreas(input: $i) { applied } }",
                json!({"i": input}),
            )
            .await;
        assert_code(&r, "QUERY_TOO_COMPLEX");
        let r = app
            .gql(
                "mutation($i: ImportAreasInput!) { a: importAreas(input: $i) { applied } }",
                json!({"i": input}),
            )
            .await;
        assert_eq!(r["data"]["a"]["applied"], false, "{r}");
    }
);

/// A client that never finishes its headers (slowloris) or stalls its body loses the
/// connection after the read timeout instead of holding it for minutes.
#[test]
fn slow_clients_are_cut_off() {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    runtime().block_on(async {
        for db in [Db::Sqlite, Db::Postgres] {
            let Some(database) = TestDatabase::new(db).await else {
                continue;
            };
            let app = TestApp::spawn(&database.url, |s| s.read_timeout_secs = 1).await;
            let addr = app.url.trim_start_matches("http://").to_owned();
            // Headers begun, never ended.
            let mut tcp = tokio::net::TcpStream::connect(&addr).await.expect("connect");
            tcp.write_all(b"GET /healthz HTTP/1.1\r\nHost: x\r\n")
                .await
                .expect("write");
            let mut buf = Vec::new();
            let closed = tokio::time::timeout(
                std::time::Duration::from_secs(30),
                tcp.read_to_end(&mut buf),
            )
            .await;
            assert!(closed.is_ok(), "{db:?}: the half-sent request still holds its connection");
            // A body announced, then stalled.
            let mut tcp = tokio::net::TcpStream::connect(&addr).await.expect("connect");
            tcp.write_all(
                format!("POST /graphql HTTP/1.1\r\nHost: {addr}\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{{\"query\"")
                    .as_bytes(),
            )
            .await
            .expect("write");
            let mut buf = Vec::new();
            let answered = tokio::time::timeout(
                std::time::Duration::from_secs(30),
                tcp.read_to_end(&mut buf),
            )
            .await;
            assert!(answered.is_ok(), "{db:?}: the stalled body still holds its connection");
            // And the server still answers others.
            assert_eq!(app.get("/healthz").await.status(), 200);
            database.cleanup().await;
        }
    });
}
