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
