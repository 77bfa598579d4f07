use qn_domain::tenancy::{Role, TenantKind};
use qn_tests::serde_json::{json, Value};
use qn_tests::*;
use sea_orm::{EntityTrait, PaginatorTrait};

async fn area_count(app: &TestApp) -> u64 {
    quartiersnetz::areas::entity::areas::Entity::find()
        .count(&app.state.db)
        .await
        .expect("count")
}

async fn planner_of_koeln(app: &TestApp) {
    let koeln = app.tenant("koeln", TenantKind::KreisfreieStadt, None).await;
    app.sign_in_as("planung@koeln.test", Some((&koeln, Role::Planner)))
        .await;
}

fn problems(r: &Value) -> Vec<(Option<i64>, String)> {
    r["data"]["importAreas"]["problems"]
        .as_array()
        .expect("problems")
        .iter()
        .map(|p| {
            (
                p["feature"].as_i64(),
                p["code"].as_str().unwrap_or_default().to_owned(),
            )
        })
        .collect()
}

db_test!(
    imports_koeln_with_hierarchy_and_finds_points,
    |app: TestApp| async move {
        planner_of_koeln(&app).await;
        let started = std::time::Instant::now();
        let r = app.import(bezirke_input("koeln")).await;
        assert_eq!(r["data"]["importAreas"]["created"], 9, "{r}");
        let r = app.import(stadtteile_input("koeln")).await;
        eprintln!("import of 9 + 86 areas took {:?}", started.elapsed());
        let report = &r["data"]["importAreas"];
        assert_eq!(report["applied"], true, "{r}");
        assert_eq!(report["created"], 86);
        assert_eq!(report["level"]["key"], "stadtteil");

        // The Kölner Dom lies in Altstadt/Nord (103), in the Stadtbezirk Innenstadt (1)
        // (checked independently with shapely on the same file).
        let d = app
        .gql_ok("{ areaAt(lon: 6.9583, lat: 50.9413) { id code name level { key } parent { name } } }", json!({}))
        .await;
        let hits = d["areaAt"].as_array().expect("hits");
        assert_eq!(hits.len(), 2, "{d}");
        assert_eq!(hits[0]["name"], "Innenstadt");
        assert_eq!(hits[1]["code"], "103");
        assert_eq!(hits[1]["name"], "Altstadt/Nord");
        assert_eq!(hits[1]["parent"]["name"], "Innenstadt");
        // Outside Köln: nothing.
        let d = app
            .gql_ok("{ areaAt(lon: 8.0, lat: 52.0) { id } }", json!({}))
            .await;
        assert_eq!(d["areaAt"], json!([]));

        // Neighbours of Altstadt/Nord include Altstadt/Süd (101), and are all Stadtteile.
        let id = hits[1]["id"].as_str().expect("id").to_owned();
        let d = app
            .gql_ok(
                "query($id: ID!) { area(id: $id) { neighbours { code } } }",
                json!({"id": id}),
            )
            .await;
        let codes: Vec<&str> = d["area"]["neighbours"]
            .as_array()
            .expect("n")
            .iter()
            .filter_map(|n| n["code"].as_str())
            .collect();
        assert!(codes.contains(&"101"), "{codes:?}");
        assert!(codes.iter().all(|c| c.len() == 3), "{codes:?}");

        // Simplified geometry is smaller but still a MultiPolygon.
        let d = app
        .gql_ok("query($id: ID!) { area(id: $id) { full: geometry rough: geometry(simplify: 0.001) } }", json!({"id": id}))
        .await;
        assert_eq!(d["area"]["rough"]["type"], "MultiPolygon");
        assert!(d["area"]["rough"].to_string().len() < d["area"]["full"].to_string().len() / 2);
    }
);

db_test!(
    bad_files_are_reported_per_feature_and_change_nothing,
    |app: TestApp| async move {
        planner_of_koeln(&app).await;
        let base = json!({"tenant": "koeln", "levelKey": "quartier", "levelName": "Quartier", "idProperty": "id", "nameProperty": "name"});
        let with = |geojson: String| {
            let mut v = base.clone();
            v["geojson"] = Value::String(geojson);
            v
        };
        let r = app.import(with("{ not json".into())).await;
        assert_eq!(
            problems(&r),
            vec![(None, "MALFORMED_JSON".to_owned())],
            "{r}"
        );

        let bowtie = json!({"type": "Feature", "properties": {"id": "3", "name": "Schleife"},
        "geometry": {"type": "Polygon", "coordinates": [[[6.9, 50.9], [7.0, 51.0], [7.0, 50.9], [6.9, 51.0], [6.9, 50.9]]]}});
        let no_geometry =
            json!({"type": "Feature", "properties": {"id": "4", "name": "Leer"}, "geometry": null});
        let unclosed = json!({"type": "Feature", "properties": {"id": "5", "name": "Offen"},
        "geometry": {"type": "Polygon", "coordinates": [[[6.9, 50.9], [7.0, 50.9], [7.0, 51.0], [6.9, 51.0]]]}});
        let file = collection(vec![
            square_feature("1", "Gut", 6.9, 50.9, 0.01),
            square_feature("1", "Doppelt", 6.95, 50.9, 0.01),
            bowtie,
            no_geometry,
            unclosed,
            square_feature("6", "Metrisch", 356_000.0, 5_645_000.0, 100.0),
        ]);
        let r = app.import(with(file)).await;
        assert_eq!(r["data"]["importAreas"]["applied"], false);
        assert_eq!(
            problems(&r),
            vec![
                (Some(2), "DUPLICATE_ID".to_owned()),
                (Some(3), "INVALID_GEOMETRY".to_owned()),
                (Some(4), "MISSING_GEOMETRY".to_owned()),
                (Some(5), "UNCLOSED_RING".to_owned()),
                (Some(6), "WRONG_CRS".to_owned()),
            ],
            "{r}"
        );
        assert_eq!(area_count(&app).await, 0);

        // Unknown parent: the whole level is refused, the parent level stays as it was.
        app.import(bezirke_input("koeln")).await;
        let mut child = json!({"tenant": "koeln", "levelKey": "quartier", "levelName": "Quartier", "parentLevelKey": "stadtbezirk",
        "parentProperty": "bezirk", "idProperty": "id", "nameProperty": "name"});
        let mut f1 = square_feature("q1", "Quartier 1", 6.95, 50.93, 0.001);
        f1["properties"]["bezirk"] = json!("1");
        let mut f2 = square_feature("q2", "Quartier 2", 6.96, 50.93, 0.001);
        f2["properties"]["bezirk"] = json!("99");
        child["geojson"] = Value::String(collection(vec![f1, f2]));
        let r = app.import(child).await;
        assert_eq!(
            problems(&r),
            vec![(Some(2), "UNKNOWN_PARENT".to_owned())],
            "{r}"
        );
        assert_eq!(area_count(&app).await, 9);

        // A level cannot be its own parent; a parent level needs a parent property and vice versa.
        let mut own = bezirke_input("koeln");
        own["parentLevelKey"] = json!("stadtbezirk");
        own["parentProperty"] = json!("STB_NR");
        let r = app.import(own).await;
        assert_code(&r, "VALIDATION");
        let mut half = stadtteile_input("koeln");
        half["parentProperty"] = Value::Null;
        let r = app.import(half).await;
        assert_code(&r, "VALIDATION");

        // A dry run validates and stores nothing.
        let mut dry = stadtteile_input("koeln");
        dry["dryRun"] = json!(true);
        let r = app.import(dry).await;
        assert_eq!(r["data"]["importAreas"]["created"], 86, "{r}");
        assert_eq!(r["data"]["importAreas"]["applied"], false);
        assert_eq!(area_count(&app).await, 9);
    }
);

db_test!(
    reimport_keeps_old_boundaries_as_versions,
    |app: TestApp| async move {
        planner_of_koeln(&app).await;
        let input = |geojson: String| {
            json!({"tenant": "koeln", "levelKey": "quartier", "levelName": "Quartier",
        "idProperty": "id", "nameProperty": "name", "geojson": geojson})
        };
        let r = app
            .import(input(collection(vec![
                square_feature("a", "Nord", 6.90, 50.90, 0.01),
                square_feature("b", "Süd", 6.92, 50.90, 0.01),
                square_feature("c", "West", 6.94, 50.90, 0.01),
            ])))
            .await;
        assert_eq!(r["data"]["importAreas"]["created"], 3, "{r}");
        let level = r["data"]["importAreas"]["level"]["id"]
            .as_str()
            .expect("level")
            .to_owned();
        let before = chrono::Utc::now();
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;

        // a unchanged, b grows, c is gone, d is new.
        let r = app
            .import(input(collection(vec![
                square_feature("a", "Nord", 6.90, 50.90, 0.01),
                square_feature("b", "Süd", 6.92, 50.90, 0.015),
                square_feature("d", "Ost", 6.96, 50.90, 0.01),
            ])))
            .await;
        let rep = &r["data"]["importAreas"];
        assert_eq!(
            (
                rep["created"].as_i64(),
                rep["changed"].as_i64(),
                rep["unchanged"].as_i64(),
                rep["retired"].as_i64()
            ),
            (Some(1), Some(1), Some(1), Some(1)),
            "{r}"
        );

        let q = "query($l: ID!, $at: DateTime) { areas(levelId: $l, at: $at) { code geometry versions { validTo } } }";
        let now = app.gql_ok(q, json!({"l": level})).await;
        let codes: Vec<&str> = now["areas"]
            .as_array()
            .expect("areas")
            .iter()
            .filter_map(|a| a["code"].as_str())
            .collect();
        assert_eq!(
            codes,
            vec!["a", "d", "b"],
            "ordered by name: Nord, Ost, Süd"
        );
        let b = now["areas"]
            .as_array()
            .expect("areas")
            .iter()
            .find(|a| a["code"] == "b")
            .expect("b")
            .clone();
        assert_eq!(b["versions"].as_array().map(Vec::len), Some(2));
        assert!(
            b["versions"][1]["validTo"].is_string(),
            "old version closed: {b}"
        );
        // The point in the grown part of b is found in b now, in nothing before.
        let d = app
            .gql_ok("{ areaAt(lon: 6.9345, lat: 50.9145) { code } }", json!({}))
            .await;
        assert_eq!(d["areaAt"], json!([{"code": "b"}]));

        let then = app
            .gql_ok(q, json!({"l": level, "at": before.to_rfc3339()}))
            .await;
        let codes: Vec<&str> = then["areas"]
            .as_array()
            .expect("areas")
            .iter()
            .filter_map(|a| a["code"].as_str())
            .collect();
        assert_eq!(codes, vec!["a", "b", "c"]);
        let old_b = then["areas"]
            .as_array()
            .expect("areas")
            .iter()
            .find(|a| a["code"] == "b")
            .expect("b");
        assert_ne!(old_b["geometry"], b["geometry"]);
    }
);

db_test!(utm_files_are_reprojected, |app: TestApp| async move {
    planner_of_koeln(&app).await;
    // Project the Köln Stadtbezirke to EPSG:25832 with an independent forward transform,
    // declare the CRS in the file, import, and compare with the original lon/lat.
    let src = proj4rs::Proj::from_proj_string("+proj=longlat +ellps=GRS80 +no_defs").expect("src");
    let dst = proj4rs::Proj::from_proj_string("+proj=utm +zone=32 +ellps=GRS80 +units=m +no_defs")
        .expect("dst");
    let mut fc: Value = serde_json::from_str(koeln_bezirke()).expect("json");
    let original = fc["features"][0]["geometry"]["coordinates"][0][0].clone();
    for f in fc["features"].as_array_mut().expect("features") {
        let rings = f["geometry"]["coordinates"].as_array_mut().expect("rings");
        for ring in rings {
            for p in ring.as_array_mut().expect("ring") {
                let mut xy = (
                    p[0].as_f64().expect("x").to_radians(),
                    p[1].as_f64().expect("y").to_radians(),
                );
                proj4rs::transform::transform(&src, &dst, &mut xy).expect("transform");
                *p = json!([xy.0, xy.1]);
            }
        }
    }
    fc["crs"] = json!({"type": "name", "properties": {"name": "urn:ogc:def:crs:EPSG::25832"}});
    let mut input = bezirke_input("koeln");
    input["geojson"] = Value::String(fc.to_string());
    let r = app.import(input).await;
    assert_eq!(r["data"]["importAreas"]["created"], 9, "{r}");
    let d = app
        .gql_ok(
            "{ levels(tenant: \"koeln\") { areas { geometry } } }",
            json!({}),
        )
        .await;
    let first = &d["levels"][0]["areas"]
        .as_array()
        .expect("areas")
        .iter()
        .find(|a| {
            let c = &a["geometry"]["coordinates"][0][0][0];
            (c[0].as_f64().unwrap_or(0.0) - original[0].as_f64().unwrap_or(1.0)).abs() < 1e-6
        });
    let p = &first.expect("the first Bezirk, at its original place")["geometry"]["coordinates"][0]
        [0][0];
    assert!(
        (p[1].as_f64().expect("lat") - original[1].as_f64().expect("lat")).abs() < 1e-6,
        "{p} vs {original}"
    );

    // Declared as UTM 33 while the file says 32: refused.
    let mut conflict = bezirke_input("koeln");
    conflict["geojson"] = Value::String(fc.to_string());
    conflict["crs"] = json!("EPSG:25833");
    let r = app.import(conflict).await;
    assert_eq!(problems(&r), vec![(None, "CRS_CONFLICT".to_owned())]);
});

db_test!(only_planners_and_admins_import, |app: TestApp| async move {
    let koeln = app.tenant("koeln", TenantKind::KreisfreieStadt, None).await;
    let bonn = app.tenant("bonn", TenantKind::KreisfreieStadt, None).await;
    let r = app.import(bezirke_input("koeln")).await;
    assert_code(&r, "UNAUTHENTICATED");
    app.sign_in_as("anna@koeln.test", Some((&koeln, Role::Resident)))
        .await;
    let r = app.import(bezirke_input("koeln")).await;
    assert_code(&r, "FORBIDDEN");
    // A planner of Bonn cannot import into Köln.
    let bonn_planner = app.other_client();
    bonn_planner
        .sign_in_as("planung@bonn.test", Some((&bonn, Role::Planner)))
        .await;
    let r = bonn_planner.import(bezirke_input("koeln")).await;
    assert_code(&r, "FORBIDDEN");
    assert_eq!(area_count(&app).await, 0);
});

db_test!(
    concurrent_imports_keep_one_current_boundary,
    |app: TestApp| async move {
        planner_of_koeln(&app).await;
        let file = |d: f64| {
            json!({"tenant": "koeln", "levelKey": "quartier", "levelName": "Quartier",
        "idProperty": "id", "nameProperty": "name",
        "geojson": collection((0..20).map(|i| square_feature(&i.to_string(), &format!("Q{i}"), 6.9 + f64::from(i) * 0.02, 50.9, d)).collect())})
        };
        app.import(file(0.01)).await;
        let (a, b) = tokio::join!(app.import(file(0.011)), app.import(file(0.012)));
        assert_eq!(a["data"]["importAreas"]["applied"], true, "{a}");
        assert_eq!(b["data"]["importAreas"]["applied"], true, "{b}");
        use quartiersnetz::areas::entity::area_versions;
        use sea_orm::{ColumnTrait, QueryFilter};
        let current = area_versions::Entity::find()
            .filter(area_versions::Column::ValidTo.is_null())
            .count(&app.state.db)
            .await
            .expect("count");
        assert_eq!(current, 20);
        assert_eq!(
            area_versions::Entity::find()
                .count(&app.state.db)
                .await
                .expect("count"),
            60
        );
    }
);

#[tokio::test]
async fn oversized_uploads_are_refused() {
    let database = TestDatabase::new(Db::Sqlite).await.expect("sqlite");
    let app = TestApp::spawn(&database.url, |s| s.max_upload_bytes = 1024 * 1024).await;
    let body = json!({"query": IMPORT_AREAS, "variables": {"input": {"geojson": "x".repeat(2 * 1024 * 1024)}}});
    let r = app
        .client
        .post(format!("{}/graphql", app.url))
        .header("origin", &app.url)
        .json(&body)
        .send()
        .await
        .expect("send");
    assert_eq!(r.status(), 413);
    assert_eq!(area_count(&app).await, 0);
}
