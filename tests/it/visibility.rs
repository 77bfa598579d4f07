use qn_domain::tenancy::{Role, TenantKind};
use qn_tests::serde_json::{json, Value};
use qn_tests::*;

fn level_input(tenant: &str, key: &str, visibility: &str, shared_with: &[&str], x: f64) -> Value {
    json!({"tenant": tenant, "levelKey": key, "levelName": key, "visibility": visibility, "sharedWith": shared_with,
           "idProperty": "id", "nameProperty": "name",
           "geojson": collection(vec![square_feature("1", &format!("Gebiet {key}"), x, 50.9, 0.01)])})
}

async fn visible_levels(app: &TestApp, tenant: &str) -> Vec<String> {
    let d = app
        .gql_ok(
            "query($t: String!) { levels(tenant: $t) { key } }",
            json!({"t": tenant}),
        )
        .await;
    d["levels"]
        .as_array()
        .expect("levels")
        .iter()
        .filter_map(|l| l["key"].as_str().map(str::to_owned))
        .collect()
}

db_test!(
    datasets_are_visible_by_rule_in_every_query,
    |app: TestApp| async move {
        let kreis = app.tenant("rbk", TenantKind::Kreis, None).await;
        let a = app
            .tenant("gladbach", TenantKind::Kommune, Some("rbk"))
            .await;
        let c = app
            .tenant("overath", TenantKind::Kommune, Some("rbk"))
            .await;
        app.sign_in_as("planung@rbk.test", Some((&kreis, Role::Planner)))
            .await;
        for input in [
            level_input("rbk", "oeffentlich", "PUBLIC", &[], 7.00),
            level_input("rbk", "intern", "TENANT", &["gladbach"], 7.02),
            level_input("rbk", "geteilt", "SHARED", &["gladbach"], 7.04),
        ] {
            let r = app.import(input).await;
            assert_eq!(r["data"]["importAreas"]["applied"], true, "{r}");
        }
        // The Kreis sees all three.
        assert_eq!(
            visible_levels(&app, "rbk").await,
            vec!["oeffentlich", "intern", "geteilt"]
        );

        let anonymous = app.other_client();
        assert_eq!(visible_levels(&anonymous, "rbk").await, vec!["oeffentlich"]);

        let in_a = app.other_client();
        in_a.sign_in_as("planung@gladbach.test", Some((&a, Role::Planner)))
            .await;
        assert_eq!(
            visible_levels(&in_a, "rbk").await,
            vec!["oeffentlich", "geteilt"]
        );

        // Residents choose their Kommune themselves: that membership shows public data only.
        let resident = app.other_client();
        resident
            .sign_in_as("anna@rbk.test", Some((&kreis, Role::Resident)))
            .await;
        assert_eq!(visible_levels(&resident, "rbk").await, vec!["oeffentlich"]);
        let self_registered = app.other_client();
        self_registered
            .register_confirmed("eve@example.org", "Eve", Some("rbk"))
            .await;
        assert_eq!(
            visible_levels(&self_registered, "rbk").await,
            vec!["oeffentlich"]
        );

        let in_c = app.other_client();
        in_c.sign_in_as("planung@overath.test", Some((&c, Role::Planner)))
            .await;
        assert_eq!(visible_levels(&in_c, "rbk").await, vec!["oeffentlich"]);

        // The same rule in areaAt, in area(id), and in the GeoJSON endpoint.
        let shared_point = "{ areaAt(lon: 7.045, lat: 50.905) { id name } }";
        let hit = app.gql_ok(shared_point, json!({})).await;
        let id = hit["areaAt"][0]["id"].as_str().expect("id").to_owned();
        assert_eq!(
            in_a.gql_ok(shared_point, json!({})).await["areaAt"]
                .as_array()
                .map(Vec::len),
            Some(1)
        );
        assert_eq!(
            in_c.gql_ok(shared_point, json!({})).await["areaAt"],
            json!([])
        );
        assert_eq!(
            anonymous
                .gql_ok(
                    "query($id: ID!) { area(id: $id) { name } }",
                    json!({"id": id})
                )
                .await["area"],
            Value::Null
        );

        let levels = app
            .gql_ok("{ levels(tenant: \"rbk\") { id key } }", json!({}))
            .await;
        let intern_id = levels["levels"]
            .as_array()
            .expect("l")
            .iter()
            .find(|l| l["key"] == "intern")
            .expect("intern")["id"]
            .as_str()
            .expect("id")
            .to_owned();
        let url = format!("/api/v1/levels/{intern_id}/areas.geojson");
        assert_eq!(anonymous.get(&url).await.status(), 404);
        assert_eq!(
            in_a.get(&url).await.status(),
            404,
            "TENANT visibility ignores shares"
        );
        let fc: Value = app.get(&url).await.json().await.expect("json");
        assert_eq!(fc["features"].as_array().map(Vec::len), Some(1));
    }
);

db_test!(tenant_tree_rules, |app: TestApp| async move {
    app.tenant("rbk", TenantKind::Kreis, None).await;
    app.tenant("koeln", TenantKind::KreisfreieStadt, None).await;
    let db = &app.state.db;
    use quartiersnetz::tenancy::create;
    assert!(
        create(db, "x", "X", TenantKind::Kommune, None)
            .await
            .is_err(),
        "a Kommune needs a Kreis"
    );
    assert!(
        create(db, "y", "Y", TenantKind::Kommune, Some("koeln"))
            .await
            .is_err(),
        "not below a city"
    );
    assert!(
        create(db, "rbk", "Doppelt", TenantKind::Kreis, None)
            .await
            .is_err(),
        "slug taken"
    );
    assert!(
        create(db, "Groß", "Groß", TenantKind::Kreis, None)
            .await
            .is_err(),
        "slug format"
    );
    app.tenant("overath", TenantKind::Kommune, Some("rbk"))
        .await;
    let d = app.gql_ok("{ tenant(slug: \"overath\") { kind parent { slug } } rbk: tenant(slug: \"rbk\") { children { slug } } }", json!({})).await;
    assert_eq!(d["tenant"]["parent"]["slug"], "rbk");
    assert_eq!(d["rbk"]["children"], json!([{"slug": "overath"}]));
});

db_test!(
    a_level_stays_as_restricted_as_it_was_when_reimported_without_visibility,
    |app: TestApp| async move {
        let t = app.tenant("stadt", TenantKind::KreisfreieStadt, None).await;
        app.sign_in_as("planung@stadt.test", Some((&t, Role::Planner)))
            .await;
        let anonymous = app.other_client();
        let mut new_level = level_input("stadt", "neu", "PUBLIC", &[], 7.0);
        if let Some(o) = new_level.as_object_mut() {
            o.remove("visibility");
            o.remove("sharedWith");
        }
        let r = app.import_as_given(new_level.clone()).await;
        assert_eq!(
            r["data"]["importAreas"]["level"]["visibility"], "tenant",
            "{r}"
        );
        assert!(visible_levels(&anonymous, "stadt").await.is_empty());

        // Shared with another tenant, then re-imported without saying: still shared, with the
        // same partner, never public.
        app.tenant("kreis2", TenantKind::Kreis, None).await;
        let r = app
            .import_as_given(level_input("stadt", "neu", "SHARED", &["kreis2"], 7.0))
            .await;
        assert_eq!(r["data"]["importAreas"]["applied"], true, "{r}");
        let r = app.import_as_given(new_level).await;
        assert_eq!(
            r["data"]["importAreas"]["level"]["visibility"], "shared",
            "{r}"
        );
        assert!(visible_levels(&anonymous, "stadt").await.is_empty());
        assert_eq!(
            app.count("SELECT COUNT(*) FROM dataset_shares").await,
            1,
            "the partner stays"
        );
    }
);
