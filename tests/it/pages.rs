use qn_domain::tenancy::{Role, TenantKind};
use qn_tests::serde_json::json;
use qn_tests::*;

async fn with_koeln(app: &TestApp) {
    let koeln = app.tenant("koeln", TenantKind::KreisfreieStadt, None).await;
    let planner = app.other_client();
    planner
        .sign_in_as("planung@koeln.test", Some((&koeln, Role::Planner)))
        .await;
    planner.import(bezirke_input("koeln")).await;
    let r = planner.import(stadtteile_input("koeln")).await;
    assert_eq!(r["data"]["importAreas"]["created"], 86, "{r}");
}

db_test!(
    kommune_and_quartier_pages_render_on_the_server,
    |app: TestApp| async move {
        with_koeln(&app).await;
        let r = app.get("/").await;
        assert_eq!(r.status(), 200);
        let html = r.text().await.expect("html");
        assert!(html.contains("<html lang=\"de\">"));
        assert!(html.contains("href=\"/kommune/koeln\""));

        let html = app.html("/kommune/koeln").await;
        // The finest level is shown by default: 86 Stadtteile in the table, each with its Bezirk.
        assert_eq!(html.matches("<th scope=\"row\">").count(), 86);
        assert!(html.contains("Altstadt/Nord") && html.contains("Innenstadt"));
        assert!(html.contains("class=\"qn-map\""));
        let html = app.html("/kommune/koeln?ebene=stadtbezirk").await;
        assert_eq!(html.matches("<th scope=\"row\">").count(), 9);

        let d = app
            .gql_ok(
                "{ areaAt(lon: 6.9583, lat: 50.9413) { id level { key } } }",
                json!({}),
            )
            .await;
        let id = d["areaAt"][1]["id"].as_str().expect("id").to_owned();
        let html = app.html(&format!("/quartier/{id}")).await;
        assert!(html.contains("<h1>Altstadt/Nord</h1>"), "{html}");
        assert!(html.contains("Nachbargebiete") && html.contains("Altstadt/Süd"));
        assert!(html.contains("Innenstadt"), "parent shown");

        assert_eq!(app.get("/kommune/gibt-es-nicht").await.status(), 404);
        assert_eq!(app.get("/quartier/999999").await.status(), 404);
        assert_eq!(app.get("/irgendwas").await.status(), 404);

        let fc: qn_tests::serde_json::Value = app
            .get(&format!("/api/v1/levels/{}/areas.geojson", 2))
            .await
            .json()
            .await
            .expect("geojson");
        assert_eq!(fc["features"].as_array().map(Vec::len), Some(86));

        // PWA files are served.
        let m = app.get("/manifest.webmanifest").await;
        assert_eq!(m.status(), 200);
        let manifest: qn_tests::serde_json::Value = m.json().await.expect("manifest");
        assert_eq!(manifest["start_url"], "/");
        assert_eq!(app.get("/sw.js").await.status(), 200);
    }
);

db_test!(pages_carry_security_headers, |app: TestApp| async move {
    let r = app.get("/").await;
    let csp = r.headers()["content-security-policy"]
        .to_str()
        .expect("csp")
        .to_owned();
    assert!(
        csp.contains("script-src 'self' 'nonce-") && csp.contains("frame-ancestors 'none'"),
        "{csp}"
    );
    let nonce = csp
        .split("'nonce-")
        .nth(1)
        .and_then(|n| n.split('\'').next())
        .expect("nonce")
        .to_owned();
    assert_eq!(r.headers()["x-content-type-options"], "nosniff");
    // No inline styles and no image source beyond this site (no tile server is configured).
    assert!(
        csp.contains("style-src 'self';")
            && csp.contains("img-src 'self' data:;")
            && !csp.contains("unsafe-inline"),
        "{csp}"
    );
    let html = r.text().await.expect("html");
    assert!(!html.contains(" style="), "inline style attribute: {html}");
    // Query values echoed into a form are decoded once: a typed "%20" stays "%20".
    let login = app.html("/anmelden?email=a%2520b%2Bc").await;
    assert!(login.contains("value=\"a%20b+c\""), "{login}");
    // Every inline script carries the nonce, so the policy lets hydration run.
    let inline_scripts = html.matches("<script").count() - html.matches("<script src=").count();
    assert!(inline_scripts >= 1);
    assert_eq!(
        html.matches(&format!("nonce=\"{nonce}\"")).count(),
        inline_scripts,
        "{html}"
    );
});

/// The shell's files and the wasm bundle under their hashed names (from `assets.txt`, as
/// infra/site-assets.sh writes it), precompressed as the build left them, kept a year; pages and
/// other files are revalidated on each use.
#[test]
fn the_bundle_is_hashed_precompressed_and_kept_a_year() {
    runtime().block_on(async {
        let site = std::env::temp_dir().join(format!("qn-site-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&site);
        std::fs::create_dir_all(site.join("pkg")).expect("dir");
        for f in ["manifest.webmanifest", "qn.css"] {
            std::fs::copy(
                workspace_root().join("frontend/public").join(f),
                site.join(f),
            )
            .expect("copy");
        }
        let name = "quartiersnetz-0123456789abcdef";
        std::fs::write(
            site.join("assets.txt"),
            format!(
                "qn.js /pkg/qn-00112233aabbccdd.js\nqn.css /pkg/qn-4455.css\n\
                 outbox.js ../outbox.js\nsurvey /pkg/{name}.js\n"
            ),
        )
        .expect("names");
        std::fs::write(site.join(format!("pkg/{name}.js")), "export default 1;").expect("js");
        std::fs::write(site.join(format!("pkg/{name}.js.br")), b"BROTLI").expect("br");
        std::fs::write(site.join(format!("pkg/{name}.js.gz")), b"GZIP").expect("gz");
        let site_root = site.clone();
        let app = TestApp::spawn("sqlite::memory:", move |s| s.site_root = site_root).await;

        let r = app.get("/").await;
        assert_eq!(r.headers()["cache-control"], "private, no-cache");
        let html = r.text().await.expect("html");
        // Pages name the hashed shell; a name that leaves /pkg/ is not taken (the default).
        assert!(
            html.contains(r#"<script src="/pkg/qn-00112233aabbccdd.js" defer"#),
            "{html}"
        );
        assert!(
            html.contains(r#"<link rel="stylesheet" href="/pkg/qn-4455.css""#),
            "{html}"
        );
        assert!(html.contains(r#"<script src="/outbox.js" defer"#), "{html}");
        // No page but a survey's question pages names the wasm (they carry it in
        // `data-bundle`; tests/e2e/budgets.test.mjs follows it there).
        assert!(!html.contains(name), "{html}");
        let get = |enc: &'static str| {
            app.client
                .get(format!("{}/pkg/{name}.js", app.url))
                .header("accept-encoding", enc)
                .send()
        };
        let r = get("gzip, deflate, br").await.expect("br");
        assert_eq!(r.headers()["content-encoding"], "br");
        assert_eq!(
            r.headers()["cache-control"],
            "public, max-age=31536000, immutable"
        );
        assert_eq!(r.bytes().await.expect("body").as_ref(), b"BROTLI");
        let r = get("gzip").await.expect("gzip");
        assert_eq!(r.headers()["content-encoding"], "gzip");
        let r = get("identity").await.expect("plain");
        assert_eq!(r.text().await.expect("text"), "export default 1;");
        let r = app.get("/qn.css").await;
        assert_eq!(r.headers()["cache-control"], "private, no-cache");
        assert_eq!(app.get(&format!("/pkg/{name}.missing")).await.status(), 404);
        let _ = std::fs::remove_dir_all(&site);
    });
}

// Another server of the same process starting up (as the test servers do, and as a second
// router would) must not stall a page being rendered: listing the routes switches resource
// loading off process-wide, and a page that first polled its resource meanwhile never ended.
db_test!(
    pages_finish_while_another_router_is_built,
    |app: TestApp| async move {
        app.tenant("dorf", TenantKind::KreisfreieStadt, None).await;
        let stop = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
        let builder = {
            let (state, stop) = (app.state.clone(), stop.clone());
            tokio::task::spawn_blocking(move || {
                let mut built = 0u32;
                while !stop.load(std::sync::atomic::Ordering::Relaxed) {
                    drop(quartiersnetz::startup::router(state.clone()));
                    built += 1;
                }
                built
            })
        };
        for _ in 0..20 {
            let page = app
                .client
                .get(format!("{}/", app.url))
                .timeout(std::time::Duration::from_secs(15))
                .send()
                .await
                .expect("answer")
                .text()
                .await
                .expect("the whole page, not one that stops half way");
            assert!(page.contains("href=\"/kommune/dorf\""), "{page}");
        }
        stop.store(true, std::sync::atomic::Ordering::Relaxed);
        let built = builder.await.expect("router builder");
        assert!(built > 0, "no router was built meanwhile");
    }
);
