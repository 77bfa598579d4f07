//! Indicators over the real server: catalogue, import in every format, bad files, derived
//! indicators, disclosure control on every way out, the tenancy matrix, need index, maps, profile.

use base64::Engine;
use qn_domain::tenancy::{Role, TenantKind};
use qn_tests::serde_json::{json, Value};
use qn_tests::*;

/// A kreisfreie Stadt `stadt` with the small city's areas; `app` is its planner.
async fn city(app: &TestApp) -> (String, String) {
    let c = CityBuilder::new("stadt").build(app).await;
    (c.bezirk_level, c.viertel_level)
}

fn codes(report: &Value) -> Vec<(Option<i64>, String)> {
    report["problems"]
        .as_array()
        .map(|l| {
            l.iter()
                .map(|p| {
                    (
                        p["line"].as_i64(),
                        p["code"].as_str().unwrap_or("").to_owned(),
                    )
                })
                .collect()
        })
        .unwrap_or_default()
}

db_test!(
    values_import_in_every_format_and_replace_by_area_and_date,
    |app: TestApp| async move {
        let (_, viertel) = city(&app).await;
        let id = app
            .indicator("stadt", "anteil_u18", "SHARE", "NEUTRAL", json!({}))
            .await;

        // Long CSV with semicolons, decimal comma, counts, a "no data" row and a BOM.
        let long = "\u{feff}Gebiet;Jahr;Wert;Zähler;Nenner\nV1;2020;12,5;25;200\nV2;2020;;;\nV3;2020;7,5;30;400\nV4;2020;0;0;150\n";
        let r = app.import_values(&id, &viertel, long, true).await;
        assert_eq!(r["applied"], false, "dry run: {r}");
        assert_eq!(
            (
                r["rows"].as_i64(),
                r["created"].as_i64(),
                r["noData"].as_i64()
            ),
            (Some(4), Some(4), Some(1))
        );
        assert!(
            app.values(&id, &viertel).await.is_empty(),
            "a dry run stores nothing"
        );
        let r = app.import_values(&id, &viertel, long, false).await;
        assert_eq!(r["applied"], true, "{r}");
        assert_eq!(r["dates"], json!(["2020-12-31"]));
        let v = app.values(&id, &viertel).await;
        assert_eq!(
            v[0],
            ("V1".into(), "2020-12-31".into(), Some(12.5), "VALUE".into())
        );
        // No data stays no data (null), and 0 stays 0 (suppression is off for shares without
        // counts below the minimum? V4 has a count of 0 < 3: suppressed).
        assert_eq!(v[1].2, None);
        assert_eq!(v[1].3, "NO_DATA");
        assert_eq!(v[3].3, "SUPPRESSED", "0 of 150 is a count below 3");

        // Wide CSV in Windows-1252 with tabs: a second date, and 2020 again for V1 (replaced).
        let wide =
            "Gebiet\tName\t2020\t2021\nV1\tAltdorf (Süd)\t13,0\t14,5\nV2\tBergheim\t10\t11\n";
        let (bytes, _, _) = encoding_rs::WINDOWS_1252.encode(wide);
        let b64 = base64::engine::general_purpose::STANDARD.encode(&bytes);
        let r = app
            .gql(
                IMPORT_VALUES,
                json!({"i": {"indicatorId": id, "levelId": viertel, "contentBase64": b64}}),
            )
            .await;
        let r = &r["data"]["importIndicatorValues"];
        assert_eq!(r["applied"], true, "{r}");
        assert_eq!(r["encoding"], "windows-1252");
        assert_eq!(
            (r["created"].as_i64(), r["replaced"].as_i64()),
            (Some(2), Some(2))
        );
        let v = app.values(&id, &viertel).await;
        assert!(v.contains(&("V1".into(), "2020-12-31".into(), Some(13.0), "VALUE".into())));
        assert!(v.contains(&("V1".into(), "2021-12-31".into(), Some(14.5), "VALUE".into())));

        // KomMonitor's value JSON and a GeoJSON with DATE_ properties.
        let km = json!({"indicatorValues": [
            {"spatialReferenceKey": "V3", "valueMapping": [{"timestamp": "2021-12-31", "indicatorValue": 8.5}]},
            {"spatialReferenceKey": "V4", "valueMapping": [{"timestamp": "2021-12-31", "indicatorValue": null}]}]});
        let r = app
            .import_values(&id, &viertel, &km.to_string(), false)
            .await;
        assert_eq!(
            (r["applied"].as_bool(), r["format"].as_str()),
            (Some(true), Some("kommonitor")),
            "{r}"
        );
        let gj = json!({"type": "FeatureCollection", "features": [
            {"type": "Feature", "properties": {"ID": "V2", "DATE_2022-12-31": 9.5}, "geometry": null}]});
        let r = app
            .import_values(&id, &viertel, &gj.to_string(), false)
            .await;
        assert_eq!(r["applied"], true, "{r}");
        let v = app.values(&id, &viertel).await;
        assert!(v.contains(&("V3".into(), "2021-12-31".into(), Some(8.5), "VALUE".into())));
        assert!(v.contains(&("V4".into(), "2021-12-31".into(), None, "NO_DATA".into())));
        assert!(v.contains(&("V2".into(), "2022-12-31".into(), Some(9.5), "VALUE".into())));

        // What was exported reads back the same (long CSV, KomMonitor JSON).
        let csv = app
            .get(&format!(
                "/api/v1/indicators/{id}/values.csv?ebene={viertel}"
            ))
            .await
            .text()
            .await
            .expect("csv");
        assert!(csv.starts_with('\u{feff}'));
        assert!(csv.contains("V1;Altdorf;2021-12-31;14,5"), "{csv}");
        let other = app
            .indicator("stadt", "kopie", "SHARE", "NEUTRAL", json!({"minCount": 0}))
            .await;
        let r = app.import_values(&other, &viertel, &csv, false).await;
        assert_eq!(r["applied"], true, "the export imports again: {r}");
        let json_export = app
            .get(&format!(
                "/api/v1/indicators/{id}/values.json?ebene={viertel}"
            ))
            .await
            .text()
            .await
            .expect("json");
        let kopie2 = app
            .indicator(
                "stadt",
                "kopie2",
                "SHARE",
                "NEUTRAL",
                json!({"minCount": 0}),
            )
            .await;
        let r = app
            .import_values(&kopie2, &viertel, &json_export, false)
            .await;
        assert_eq!(r["applied"], true, "{r}");
        let a: Vec<_> = app
            .values(&other, &viertel)
            .await
            .into_iter()
            .map(|v| (v.0, v.1, v.2))
            .collect();
        let b: Vec<_> = app
            .values(&kopie2, &viertel)
            .await
            .into_iter()
            .map(|v| (v.0, v.1, v.2))
            .collect();
        assert_eq!(a, b);
        let wide: String = app
            .get(&format!(
                "/api/v1/indicators/{id}/values.csv?ebene={viertel}&layout=breit"
            ))
            .await
            .text()
            .await
            .expect("wide");
        assert!(
            wide.lines()
                .next()
                .is_some_and(|h| h.contains("2020-12-31") && h.contains("2022-12-31")),
            "{wide}"
        );
        let geo: Value = app
            .get(&format!(
                "/api/v1/indicators/{id}/values.geojson?ebene={viertel}"
            ))
            .await
            .json()
            .await
            .expect("geojson");
        assert_eq!(geo["features"].as_array().map(Vec::len), Some(4));
    }
);

db_test!(
    bad_files_are_reported_by_line_and_store_nothing,
    |app: TestApp| async move {
        let (bezirk, viertel) = city(&app).await;
        let id = app
            .indicator("stadt", "quote", "SHARE", "HIGH_IS_BAD", json!({}))
            .await;
        let good = "gebiet;datum;wert\nV1;2020;1\n";
        assert_eq!(
            app.import_values(&id, &viertel, good, false).await["applied"],
            true
        );
        let before = app.values(&id, &viertel).await;

        type Expected = Vec<(Option<i64>, &'static str)>;
        let cases: Vec<(&str, Expected)> = vec![
            (
                "gebiet;datum;wert\nV1;2021;1\nV2;2021\n",
                vec![(Some(3), "RAGGED_ROW")],
            ),
            (
                "gebiet;datum;wert\nV1;2021;viel\n",
                vec![(Some(2), "NOT_A_NUMBER")],
            ),
            (
                "gebiet;datum;wert\nV9;2021;1\n",
                vec![(Some(2), "UNKNOWN_AREA")],
            ),
            (
                "gebiet;datum;wert\nV1;2021;1\nV1;2021;2\n",
                vec![(Some(3), "DUPLICATE_ROW")],
            ),
            (
                "gebiet;datum;wert\nV1;20x1;2\n",
                vec![(Some(2), "BAD_DATE")],
            ),
            ("", vec![(None, "EMPTY_FILE")]),
            ("gebiet;datum;wert\n", vec![(None, "EMPTY_FILE")]),
        ];
        for (content, expected) in cases {
            let r = app.import_values(&id, &viertel, content, false).await;
            assert_eq!(r["applied"], false, "{content:?}: {r}");
            let got = codes(&r);
            for (line, code) in expected {
                assert!(
                    got.iter()
                        .any(|(l, c)| c == code && (line.is_none() || *l == line || l.is_none())),
                    "{content:?}: expected {code} at {line:?}, got {got:?}"
                );
            }
        }
        // Every problem of a file is reported, not just the first.
        let r = app
            .import_values(
                &id,
                &viertel,
                "gebiet;datum;wert\nV1;2021;zwei\nV2;2021;y\nV9;2021;1\n",
                false,
            )
            .await;
        assert!(codes(&r).len() >= 3, "{r}");
        // A code of the other level is unknown at this one.
        let r = app
            .import_values(&id, &bezirk, "gebiet;datum;wert\nV1;2021;1\n", false)
            .await;
        assert_eq!(codes(&r)[0].1, "UNKNOWN_AREA");
        // A million rows: a clear error, quickly, nothing stored.
        let mut big = String::from("gebiet;datum;wert\n");
        for _ in 0..1_000_000 {
            big.push_str("V1;2020;1\n");
        }
        let r = app.import_values(&id, &viertel, &big, false).await;
        assert!(
            codes(&r).iter().any(|(_, c)| c == "TOO_MANY_ROWS"),
            "{:?}",
            codes(&r)
        );
        assert_eq!(app.values(&id, &viertel).await, before, "nothing changed");

        // A value dated after an area was retired (its level re-imported without it) is refused;
        // one from before is fine.
        let child = |id: &str, name: &str, parent: &str, x: f64| {
            let mut f = square_feature(id, name, x, 50.0, 0.01);
            f["properties"]["parent"] = json!(parent);
            f
        };
        let three = collection(vec![
            child("V1", "Altdorf", "B1", 7.0),
            child("V2", "Bergheim", "B1", 7.01),
            child("V3", "Chausseeviertel", "B2", 7.02),
        ]);
        let r = app
            .import(
                json!({"tenant": "stadt", "levelKey": "viertel", "levelName": "Viertel",
                "parentLevelKey": "bezirk", "parentProperty": "parent",
                "idProperty": "id", "nameProperty": "name", "geojson": three}),
            )
            .await;
        assert_eq!(r["data"]["importAreas"]["retired"], 1, "{r}");
        let r = app
            .import_values(&id, &viertel, "gebiet;datum;wert\nV4;2099-12-31;1\n", false)
            .await;
        assert_eq!(
            codes(&r),
            vec![(Some(2), "OUTSIDE_VALIDITY".to_owned())],
            "{r}"
        );
        let r = app
            .import_values(&id, &viertel, "gebiet;datum;wert\nV4;2019-12-31;1\n", false)
            .await;
        assert_eq!(r["applied"], true, "{r}");

        // Only planners and admins of the indicator's tenant import.
        let resident = app.other_client();
        let t = qn_tests::tenant_by_slug(&app, "stadt").await;
        resident
            .sign_in_as("anna@stadt.test", Some((&t, Role::Resident)))
            .await;
        let r = resident
            .gql(
                IMPORT_VALUES,
                json!({"i": {"indicatorId": id, "levelId": viertel, "content": good}}),
            )
            .await;
        assert_code(&r, "FORBIDDEN");
    }
);

/// A count with minimum 3 in which V1 (2) must be suppressed, and V2 with it: B1 = 2 + 40,
/// B2 = 30 + 27, so without secondary suppression V1 would be 42 − 40, and V2 is its only
/// sibling. Returns (bezirk level, viertel level, indicator).
async fn suppressed_counts(app: &TestApp) -> (String, String, String) {
    let (bezirk, viertel) = city(app).await;
    let id = app
        .indicator(
            "stadt",
            "sgb2_u15",
            "COUNT",
            "HIGH_IS_BAD",
            json!({"minCount": 3, "unit": "Kinder"}),
        )
        .await;
    let r = app
        .import_values(
            &id,
            &bezirk,
            "gebiet;datum;wert\nB1;2020;42\nB2;2020;57\n",
            false,
        )
        .await;
    assert_eq!(r["applied"], true, "{r}");
    let r = app
        .import_values(
            &id,
            &viertel,
            "gebiet;datum;wert\nV1;2020;2\nV2;2020;40\nV3;2020;30\nV4;2020;27\n",
            false,
        )
        .await;
    assert_eq!(r["applied"], true, "{r}");

    (bezirk, viertel, id)
}

/// Values by area code: (value, status).
fn by_area(
    v: Vec<(String, String, Option<f64>, String)>,
) -> std::collections::HashMap<String, (Option<f64>, String)> {
    v.into_iter().map(|x| (x.0, (x.2, x.3))).collect()
}

db_test!(
    disclosure_control_holds_in_the_api_maps_and_exports,
    |app: TestApp| async move {
        let (_, viertel, id) = suppressed_counts(&app).await;
        let check = by_area;
        let anonymous = app.other_client();
        // The planner has no explicit right to raw data: hidden from them too.
        let v = check(app.values(&id, &viertel).await);
        assert_eq!(v["V1"], (None, "SUPPRESSED".into()));
        assert_eq!(
            v["V2"],
            (None, "SUPPRESSED".into()),
            "secondary suppression"
        );
        assert_eq!(v["V3"], (Some(30.0), "VALUE".into()));
        let v = check(anonymous.values(&id, &viertel).await);
        assert_eq!(v["V1"].1, "SUPPRESSED");
        assert_eq!(v["V2"].1, "SUPPRESSED");

        // The choropleth and the map GeoJSON.
        let d = anonymous
            .gql_ok(
                "query($i: ID!, $l: ID!) { choropleth(input: {indicatorId: $i, levelId: $l}) {
                    suppressedCount noDataCount areas { area { code } value status label } } }",
                json!({"i": id, "l": viertel}),
            )
            .await;
        assert_eq!(d["choropleth"]["suppressedCount"], 2);
        for code in ["V1", "V2"] {
            let a = d["choropleth"]["areas"]
                .as_array()
                .and_then(|l| l.iter().find(|a| a["area"]["code"] == code))
                .expect("area");
            assert_eq!(
                (
                    a["value"].clone(),
                    a["status"].as_str(),
                    a["label"].as_str()
                ),
                (Value::Null, Some("SUPPRESSED"), Some("geheim gehalten"))
            );
        }
        assert!(!d.to_string().contains("40"), "{d}");
        let fc: Value = anonymous
            .get(&format!(
                "/api/v1/indicators/{id}/map.geojson?ebene={viertel}"
            ))
            .await
            .json()
            .await
            .expect("map");
        for f in fc["features"].as_array().expect("features") {
            let p = &f["properties"];
            if p["code"] == "V1" || p["code"] == "V2" {
                assert_eq!(
                    (p["status"].as_str(), p["value"].clone(), p["fill"].as_str()),
                    (Some("suppressed"), Value::Null, Some("#bdbdbd")),
                    "{p}"
                );
            } else {
                assert_eq!(p["status"], "value", "{p}");
            }
        }

        // Exports in every format.
        for ext in ["csv", "json", "geojson"] {
            let body = anonymous
                .get(&format!(
                    "/api/v1/indicators/{id}/values.{ext}?ebene={viertel}"
                ))
                .await
                .text()
                .await
                .expect("export");
            assert!(
                !body.contains(";40") && !body.contains(":40") && !body.contains(";2;"),
                "{ext}: {body}"
            );
        }
        let csv = anonymous
            .get(&format!(
                "/api/v1/indicators/{id}/values.csv?ebene={viertel}&layout=breit"
            ))
            .await
            .text()
            .await
            .expect("wide");
        assert!(!csv.contains(";40") && csv.contains("geheim"), "{csv}");
    }
);

db_test!(
    disclosure_control_holds_in_profiles_and_derived_indicators,
    |app: TestApp| async move {
        let (_, viertel, id) = suppressed_counts(&app).await;
        let check = by_area;
        let anonymous = app.other_client();
        // The profile of V2 shows its value as suppressed, and the level's mean only from what
        // is visible (30 and 27), so it cannot give V1 or V2 away.
        let v2 = area_id(&app, &viertel, "V2").await;
        let d = anonymous
            .gql_ok(
                "query($a: ID!) { areaProfile(areaId: $a) { lines { value status levelMean rank } } }",
                json!({"a": v2}),
            )
            .await;
        let line = &d["areaProfile"]["lines"][0];
        assert_eq!(line["status"], "SUPPRESSED");
        assert_eq!(line["value"], Value::Null);
        assert_eq!(line["levelMean"], 28.5);
        let csv = anonymous
            .get(&format!("/api/v1/areas/{v2}/profile.csv"))
            .await
            .text()
            .await
            .expect("profile");
        assert!(csv.contains("geheim") && !csv.contains(";40;"), "{csv}");
        let html = anonymous
            .get(&format!("/quartier/{v2}"))
            .await
            .text()
            .await
            .expect("page");
        assert!(html.contains("geheim gehalten"));

        // Nothing computed from the hidden values gives them away: a change over time and a need
        // index over this one indicator leave V1 and V2 out instead of revealing them.
        app.import_values(
            &id,
            &viertel,
            "gebiet;datum;wert\nV1;2021;10\nV2;2021;41\nV3;2021;33\nV4;2021;27\n",
            false,
        )
        .await;
        let d = app
            .gql_ok(
                "mutation($i: ID!) { deriveIndicator(tenant: \"stadt\", input: {key: \"diff\", name: \"Veränderung\",
                    kind: COUNT, polarity: NEUTRAL, minCount: 0}, derivation: {kind: ABSOLUTE_CHANGE, sourceId: $i}) { id } }",
                json!({"i": id}),
            )
            .await;
        let change = d["deriveIndicator"]["id"].as_str().expect("id").to_owned();
        let v = check(stats_free_values(&app, &change, &viertel).await);
        assert_eq!(
            v["V1"],
            (None, "NO_DATA".into()),
            "10 − 2 would reveal the 2"
        );
        assert_eq!(v["V2"], (None, "NO_DATA".into()));
        assert_eq!(v["V3"], (Some(3.0), "VALUE".into()));
        let d = app
            .gql_ok(
                "mutation($l: ID!, $i: ID!) { saveIndexDefinition(input: {tenant: \"stadt\", key: \"eins\", name: \"Eins\",
                    levelId: $l, normalisation: DEVIATION_FROM_MEAN, components: [{indicatorId: $i, polarity: HIGH_IS_BAD}]}) { id } }",
                json!({"l": viertel, "i": id}),
            )
            .await;
        let r = app
            .gql_ok(
                "query($d: ID!) { needIndex(definitionId: $d, date: \"2020-12-31\") { scores { area { code } score excluded } } }",
                json!({"d": d["saveIndexDefinition"]["id"]}),
            )
            .await;
        for s in r["needIndex"]["scores"].as_array().expect("scores") {
            let hidden = s["area"]["code"] == "V1" || s["area"]["code"] == "V2";
            assert_eq!(s["score"].is_null(), hidden, "{s}");
            if hidden {
                assert_eq!(s["excluded"], "MISSING_VALUE");
            }
        }
    }
);

db_test!(
    only_the_statistics_office_may_lower_disclosure_control,
    |app: TestApp| async move {
        let (bezirk, viertel, id) = suppressed_counts(&app).await;
        let check = by_area;
        let anonymous = app.other_client();
        // The shielded statistics office sees the raw values.
        let stats = app.other_client();
        let t = qn_tests::tenant_by_slug(&app, "stadt").await;
        stats
            .sign_in_as("statistik@stadt.test", Some((&t, Role::Statistician)))
            .await;
        let v = check(
            stats
                .values(&id, &viertel)
                .await
                .into_iter()
                .filter(|v| v.1 == "2020-12-31")
                .collect(),
        );
        assert_eq!(v["V1"], (Some(2.0), "VALUE".into()));
        assert_eq!(v["V2"], (Some(40.0), "VALUE".into()));

        // Only the statistics office may switch protection off: a planner may neither lower
        // the minimum count nor read the count as an index (which has no counts to protect).
        for input in [
            "{minCount: 0}",
            "{kind: INDEX}",
            "{minCount: 2, name: \"Y\"}",
        ] {
            let r = app
                .gql(
                    &format!("mutation($id: ID!) {{ updateIndicator(id: $id, input: {input}) {{ minCount }} }}"),
                    json!({"id": id}),
                )
                .await;
            assert_code(&r, "FORBIDDEN");
        }
        let v = check(
            anonymous
                .values(&id, &viertel)
                .await
                .into_iter()
                .filter(|v| v.1 == "2020-12-31")
                .collect(),
        );
        assert_eq!(v["V1"].1, "SUPPRESSED", "a refused change changes nothing");
        assert_eq!(
            app.count(
                "SELECT COUNT(*) FROM audit_log WHERE action = 'indicator.protection_lowered'"
            )
            .await,
            0
        );
        // The statistics office's own person, also a planner, may.
        let stats_id = app
            .count("SELECT CAST(id AS BIGINT) FROM users WHERE email = 'statistik@stadt.test'")
            .await;
        quartiersnetz::accounts::grant(
            &app.state.db,
            i32::try_from(stats_id).expect("id"),
            t.id,
            Role::Planner,
        )
        .await
        .expect("grant");
        // Minimum count 0 turns disclosure control off; the change is audited.
        let patched = stats.gql_ok(
            "mutation($id: ID!) { updateIndicator(id: $id, input: {minCount: 0}) { minCount name unit } }",
            json!({"id": id}),
        )
        .await;
        assert_eq!(
            patched["updateIndicator"],
            json!({"minCount": 0, "name": "Indikator sgb2_u15", "unit": "Kinder"}),
            "a patch keeps what it leaves out"
        );
        assert_eq!(
            app.count(
                "SELECT COUNT(*) FROM audit_log WHERE action = 'indicator.protection_lowered'"
            )
            .await,
            1
        );
        let v = check(
            anonymous
                .values(&id, &viertel)
                .await
                .into_iter()
                .filter(|v| v.1 == "2020-12-31")
                .collect(),
        );
        assert_eq!(v["V1"], (Some(2.0), "VALUE".into()));
        // Maps read published values from a cache: a change of the minimum count and a new
        // import are seen at once.
        let suppressed = "query($i: ID!, $l: ID!) { choropleth(input: {indicatorId: $i, levelId: $l, date: \"2020-12-31\"}) { suppressedCount areas { area { code } value } } }";
        let d = anonymous
            .gql_ok(suppressed, json!({"i": id, "l": viertel}))
            .await;
        assert_eq!(d["choropleth"]["suppressedCount"], 0, "{d}");
        app.gql_ok(
            "mutation($id: ID!) { updateIndicator(id: $id, input: {minCount: 3}) { minCount } }",
            json!({"id": id}),
        )
        .await;
        let d = anonymous
            .gql_ok(suppressed, json!({"i": id, "l": viertel}))
            .await;
        assert_eq!(d["choropleth"]["suppressedCount"], 2, "{d}");
        app.import_values(&id, &viertel, "gebiet;datum;wert\nV1;2020;12\n", false)
            .await;
        app.import_values(&id, &bezirk, "gebiet;datum;wert\nB1;2020;52\n", false)
            .await;
        let d = anonymous
            .gql_ok(suppressed, json!({"i": id, "l": viertel}))
            .await;
        assert_eq!(d["choropleth"]["suppressedCount"], 0, "{d}");
    }
);

/// Values as the signed-in planner sees them (no raw-data right).
async fn stats_free_values(
    app: &TestApp,
    indicator: &str,
    level: &str,
) -> Vec<(String, String, Option<f64>, String)> {
    app.values(indicator, level)
        .await
        .into_iter()
        .filter(|v| v.1 == "2021-12-31")
        .collect()
}

/// The id of an area by its code at a level.
async fn area_id(app: &TestApp, level: &str, code: &str) -> String {
    let d = app
        .gql_ok(
            "query($l: ID!) { areas(levelId: $l) { id code } }",
            json!({"l": level}),
        )
        .await;
    d["areas"]
        .as_array()
        .and_then(|l| l.iter().find(|a| a["code"] == code))
        .and_then(|a| a["id"].as_str())
        .expect("area")
        .to_owned()
}

db_test!(
    a_restricted_indicator_stays_in_its_kommune_on_every_path,
    |app: TestApp| async move {
        let kreis = app.tenant("kreis", TenantKind::Kreis, None).await;
        let a = app
            .tenant("kommune-a", TenantKind::Kommune, Some("kreis"))
            .await;
        let b = app
            .tenant("kommune-b", TenantKind::Kommune, Some("kreis"))
            .await;
        app.sign_in_as("planung@a.test", Some((&a, Role::Planner)))
            .await;
        let (_, viertel) = small_city(&app, "kommune-a", 7.2).await;
        let secret = app
            .indicator(
                "kommune-a",
                "intern",
                "SHARE",
                "HIGH_IS_BAD",
                json!({"visibility": "TENANT", "minCount": 0}),
            )
            .await;
        let public = app
            .indicator(
                "kommune-a",
                "offen",
                "SHARE",
                "HIGH_IS_BAD",
                json!({"minCount": 0}),
            )
            .await;
        let values = "gebiet;datum;wert\nV1;2020;11\nV2;2020;22\nV3;2020;33\nV4;2020;44\n";
        for id in [&secret, &public] {
            assert_eq!(
                app.import_values(id, &viertel, values, false).await["applied"],
                true
            );
        }
        let d = app
            .gql_ok(
                "mutation($l: ID!, $s: ID!, $p: ID!) { saveIndexDefinition(input: {tenant: \"kommune-a\", key: \"idx\",
                    name: \"Index\", levelId: $l, visibility: PUBLIC,
                    components: [{indicatorId: $s, polarity: HIGH_IS_BAD}, {indicatorId: $p, polarity: HIGH_IS_BAD}]}) { id } }",
                json!({"l": viertel, "s": secret, "p": public}),
            )
            .await;
        let index = d["saveIndexDefinition"]["id"]
            .as_str()
            .expect("index")
            .to_owned();
        let v1 = area_id(&app, &viertel, "V1").await;

        // The public indicator also has a value on a level only the Kommune's staff may see.
        let r = app
            .import(json!({"tenant": "kommune-a", "levelKey": "intern", "levelName": "Intern", "visibility": "TENANT",
                "idProperty": "id", "nameProperty": "name",
                "geojson": collection(vec![square_feature("I1", "Interner Bezirk", 7.2, 50.0, 0.04)])}))
            .await;
        let intern = r["data"]["importAreas"]["level"]["id"]
            .as_str()
            .expect("level")
            .to_owned();
        assert_eq!(
            app.import_values(&public, &intern, "gebiet;datum;wert\nI1;2020;77\n", false)
                .await["applied"],
            true
        );
        let all_values = "query($id: ID!) { indicator(id: $id) { values { value } } }";
        assert_eq!(
            app.gql_ok(all_values, json!({"id": public})).await["indicator"]["values"]
                .as_array()
                .map(Vec::len),
            Some(5)
        );

        let in_b = app.other_client();
        in_b.sign_in_as("planung@b.test", Some((&b, Role::Planner)))
            .await;
        let kreis_planner = app.other_client();
        kreis_planner
            .sign_in_as("planung@kreis.test", Some((&kreis, Role::Planner)))
            .await;
        let resident_of_a = app.other_client();
        resident_of_a
            .sign_in_as("anna@a.test", Some((&a, Role::Resident)))
            .await;
        let anonymous = app.other_client();

        for (who, client) in [
            ("B", &in_b),
            ("Kreis", &kreis_planner),
            ("resident", &resident_of_a),
            ("anonymous", &anonymous),
        ] {
            let list = client
                .gql_ok("{ indicators(tenant: \"kommune-a\") { key } }", json!({}))
                .await;
            assert_eq!(list["indicators"], json!([{"key": "offen"}]), "{who}");
            let values = client.gql_ok(all_values, json!({"id": public})).await;
            assert_eq!(
                values["indicator"]["values"].as_array().map(Vec::len),
                Some(4),
                "{who}: {values}"
            );
            assert!(!values.to_string().contains("77"), "{who}");
            let one = client
                .gql_ok(
                    "query($id: ID!) { indicator(id: $id) { key values { value } } }",
                    json!({"id": secret}),
                )
                .await;
            assert_eq!(one["indicator"], Value::Null, "{who}");
            let map = client
                .gql(
                    "query($i: ID!) { choropleth(input: {indicatorId: $i}) { title } }",
                    json!({"i": secret}),
                )
                .await;
            assert_code(&map, "NOT_FOUND");
            for path in [
                format!("/api/v1/indicators/{secret}/values.csv?ebene={viertel}"),
                format!("/api/v1/indicators/{secret}/values.json?ebene={viertel}"),
                format!("/api/v1/indicators/{secret}/values.geojson?ebene={viertel}"),
                format!("/api/v1/indicators/{secret}/map.geojson?ebene={viertel}"),
                format!("/indikator/{secret}"),
            ] {
                assert_eq!(client.get(&path).await.status(), 404, "{who}: {path}");
            }
            let profile = client
                .gql_ok(
                    "query($a: ID!) { areaProfile(areaId: $a) { lines { indicator { key } } } }",
                    json!({"a": v1}),
                )
                .await;
            assert_eq!(
                profile["areaProfile"]["lines"],
                json!([{"indicator": {"key": "offen"}}]),
                "{who}"
            );
            let csv = client
                .get(&format!("/api/v1/areas/{v1}/profile.csv"))
                .await
                .text()
                .await
                .expect("csv");
            assert!(!csv.contains("intern"), "{who}");
            // An index over a hidden indicator is not computed for them.
            let idx = client
                .gql(
                    "query($d: ID!) { needIndex(definitionId: $d) { scores { score } } }",
                    json!({"d": index}),
                )
                .await;
            assert_code(&idx, "NOT_FOUND");
            assert_eq!(
                client
                    .get(&format!("/api/v1/indices/{index}/map.geojson"))
                    .await
                    .status(),
                404,
                "{who}"
            );
        }
        // The Kommune's own planner sees everything.
        let list = app
            .gql_ok("{ indicators(tenant: \"kommune-a\") { key } }", json!({}))
            .await;
        assert_eq!(list["indicators"].as_array().map(Vec::len), Some(2));
        assert_eq!(
            app.get(&format!(
                "/api/v1/indicators/{secret}/values.csv?ebene={viertel}"
            ))
            .await
            .status(),
            200
        );
        // Shared with the Kreis, the Kreis sees it; B still does not.
        app.gql_ok(
            "mutation($id: ID!) { updateIndicator(id: $id, input: {visibility: SHARED, sharedWith: [\"kreis\"]}) { visibility } }",
            json!({"id": secret}),
        )
        .await;
        let one = kreis_planner
            .gql_ok(
                "query($id: ID!) { indicator(id: $id) { key } }",
                json!({"id": secret}),
            )
            .await;
        assert_eq!(one["indicator"]["key"], "intern");
        // Saving the entry on its page (no share list in the form) keeps the Kreis as partner, and a
        // patch without visibility leaves it shared.
        let to = app
            .post_form(
                &format!("/indikator/{secret}/bearbeiten"),
                &[
                    ("name", "Intern (neu)"),
                    ("kind", "share"),
                    ("polarity", "high_is_bad"),
                    ("visibility", "shared"),
                    ("min_count", "0"),
                ],
            )
            .await;
        assert!(to.contains("hinweis=geaendert"), "{to}");
        app.gql_ok(
            "mutation($id: ID!) { updateIndicator(id: $id, input: {unit: \"%\"}) { unit } }",
            json!({"id": secret}),
        )
        .await;
        let one = kreis_planner
            .gql_ok(
                "query($id: ID!) { indicator(id: $id) { name visibility } }",
                json!({"id": secret}),
            )
            .await;
        assert_eq!(
            one["indicator"],
            json!({"name": "Intern (neu)", "visibility": "shared"})
        );
        let one = in_b
            .gql_ok(
                "query($id: ID!) { indicator(id: $id) { key } }",
                json!({"id": secret}),
            )
            .await;
        assert_eq!(one["indicator"], Value::Null);
        // Nobody outside edits it.
        let r = in_b
            .gql(
                "mutation($id: ID!) { updateIndicator(id: $id, input: {name: \"X\"}) { name } }",
                json!({"id": public}),
            )
            .await;
        assert_code(&r, "FORBIDDEN");
    }
);

const SAVE_INDEX: &str =
    "mutation($i: IndexDefinitionInput!) { saveIndexDefinition(input: $i) { id } }";
const NEED_INDEX: &str = "query($d: ID!) { needIndex(definitionId: $d) { validAreas breaks
    scores { area { code } score class rank excluded } highNeed { area { code } } } }";

db_test!(
    need_index_reproduces_berlin_and_rbk_and_rejects_bad_definitions,
    |app: TestApp| async move {
        let (_, viertel) = city(&app).await;
        let mut ids = Vec::new();
        // Three shares; V4 has a small population and is left out of the Berlin-style index.
        for (key, values) in [
            ("alo", [10.0, 20.0, 30.0, 99.0]),
            ("transfer", [12.0, 18.0, 36.0, 99.0]),
            ("kinderarmut", [5.0, 25.0, 30.0, 99.0]),
        ] {
            let id = app
                .indicator("stadt", key, "SHARE", "HIGH_IS_BAD", json!({"minCount": 0}))
                .await;
            let csv = format!(
                "gebiet;datum;wert\nV1;2020;{}\nV2;2020;{}\nV3;2020;{}\nV4;2020;{}\n",
                values[0], values[1], values[2], values[3]
            );
            assert_eq!(
                app.import_values(&id, &viertel, &csv, false).await["applied"],
                true
            );
            ids.push(id);
        }
        let pop = app
            .indicator("stadt", "ew", "COUNT", "NEUTRAL", json!({"minCount": 0}))
            .await;
        app.import_values(
            &pop,
            &viertel,
            "gebiet;datum;wert\nV1;2020;5000\nV2;2020;4000\nV3;2020;3000\nV4;2020;200\n",
            false,
        )
        .await;
        let components: Vec<Value> = ids
            .iter()
            .map(|i| json!({"indicatorId": i, "polarity": "HIGH_IS_BAD"}))
            .collect();
        let d = app
            .gql_ok(
                SAVE_INDEX,
                json!({"i": {"tenant": "stadt", "key": "mss", "name": "Status", "levelId": viertel,
                "components": components, "normalisation": "Z_SCORE", "combination": "WEIGHTED_SUM",
                "restandardise": true, "populationIndicatorId": pop, "minPopulation": 300}}),
            )
            .await;
        let mss = d["saveIndexDefinition"]["id"]
            .as_str()
            .expect("id")
            .to_owned();
        let r = app.gql_ok(NEED_INDEX, json!({"d": mss})).await;
        let r = &r["needIndex"];
        assert_eq!(r["validAreas"], 3);
        // Hand computation: z-scores over V1–V3 (population sd), summed, standardised again.
        // alo: mean 20, sd √(200/3); transfer: mean 22, sd √104; kinderarmut: mean 20, sd √(350/3).
        let z = |x: f64, m: f64, sd: f64| (x - m) / sd;
        let sums: Vec<f64> = [(10.0, 12.0, 5.0), (20.0, 18.0, 25.0), (30.0, 36.0, 30.0)]
            .iter()
            .map(|(a, t, k)| {
                z(*a, 20.0, (200.0f64 / 3.0).sqrt())
                    + z(*t, 22.0, 104.0f64.sqrt())
                    + z(*k, 20.0, (350.0f64 / 3.0).sqrt())
            })
            .collect();
        let m = sums.iter().sum::<f64>() / 3.0;
        let sd = (sums.iter().map(|s| (s - m).powi(2)).sum::<f64>() / 3.0).sqrt();
        let scores = r["scores"].as_array().expect("scores");
        for (i, code) in ["V1", "V2", "V3"].iter().enumerate() {
            let s = scores
                .iter()
                .find(|s| s["area"]["code"] == *code)
                .expect("score");
            let expected = (sums[i] - m) / sd;
            assert!(
                (s["score"].as_f64().expect("score") - expected).abs() < 1e-9,
                "{code}: {s}"
            );
        }
        let v4 = scores
            .iter()
            .find(|s| s["area"]["code"] == "V4")
            .expect("V4");
        assert_eq!(v4["score"], Value::Null);
        assert_eq!(v4["excluded"], "SMALL_POPULATION");
        // V3 ≈ +1.27 standard deviations: class 3 of 4 ("erhöhter Handlungsbedarf") and on the list.
        let v3 = scores
            .iter()
            .find(|s| s["area"]["code"] == "V3")
            .expect("V3");
        assert_eq!(v3["class"], 2);
        assert_eq!(v3["rank"], 1);
        assert_eq!(r["highNeed"], json!([{"area": {"code": "V3"}}]));

        // A planner leaves an area out by name.
        let v2 = area_id(&app, &viertel, "V2").await;
        let d = app
            .gql_ok(SAVE_INDEX, json!({"i": {"tenant": "stadt", "key": "ohne_v2", "name": "Ohne V2", "levelId": viertel,
                "components": components, "excludedAreaIds": [v2]}}))
            .await;
        let r = app
            .gql_ok(NEED_INDEX, json!({"d": d["saveIndexDefinition"]["id"]}))
            .await;
        let s2 = r["needIndex"]["scores"]
            .as_array()
            .and_then(|l| l.iter().find(|s| s["area"]["code"] == "V2"))
            .expect("V2");
        assert_eq!(
            (s2["score"].clone(), s2["excluded"].as_str()),
            (Value::Null, Some("NAMED"))
        );
        assert_eq!(r["needIndex"]["validAreas"], 3);

        // RBK: equal-weight sum of deviations from the mean, over all four areas.
        let d = app
            .gql_ok(SAVE_INDEX, json!({"i": {"tenant": "stadt", "key": "rbk", "name": "RBK", "levelId": viertel,
                "components": components, "normalisation": "DEVIATION_FROM_MEAN", "combination": "WEIGHTED_SUM"}}))
            .await;
        let rbk = d["saveIndexDefinition"]["id"]
            .as_str()
            .expect("id")
            .to_owned();
        let r = app.gql_ok(NEED_INDEX, json!({"d": rbk})).await;
        let means = [
            (10.0 + 20.0 + 30.0 + 99.0) / 4.0,
            (12.0 + 18.0 + 36.0 + 99.0) / 4.0,
            (5.0 + 25.0 + 30.0 + 99.0) / 4.0,
        ];
        let v1 = r["needIndex"]["scores"]
            .as_array()
            .and_then(|l| l.iter().find(|s| s["area"]["code"] == "V1"))
            .expect("V1");
        let expected = (10.0 - means[0]) + (12.0 - means[1]) + (5.0 - means[2]);
        assert!(
            (v1["score"].as_f64().expect("score") - expected).abs() < 1e-9,
            "{v1}"
        );

        // An indicator in use by an index cannot be deleted; an unused one goes with its values.
        for used in [&ids[0], &pop] {
            let r = app
                .gql(
                    "mutation($id: ID!) { deleteIndicator(id: $id) }",
                    json!({"id": used}),
                )
                .await;
            assert_code(&r, "CONFLICT");
        }
        let spare = app
            .indicator("stadt", "spare", "SHARE", "NEUTRAL", json!({}))
            .await;
        app.import_values(&spare, &viertel, "gebiet;datum;wert\nV1;2020;1\n", false)
            .await;
        app.gql_ok(
            "mutation($id: ID!) { deleteIndicator(id: $id) }",
            json!({"id": spare}),
        )
        .await;
        let gone = app
            .gql_ok(
                "query($id: ID!) { indicator(id: $id) { key } }",
                json!({"id": spare}),
            )
            .await;
        assert_eq!(gone["indicator"], Value::Null);

        // Bad definitions: a negative weight, all weights zero, an index over no valid area.
        let bad = |weight: f64| {
            json!({"i": {"tenant": "stadt", "key": "bad", "name": "Bad", "levelId": viertel,
            "components": [{"indicatorId": ids[0], "polarity": "HIGH_IS_BAD", "weight": weight}]}})
        };
        for w in [-1.0, 0.0] {
            let r = app.gql(SAVE_INDEX, bad(w)).await;
            assert_code(&r, "VALIDATION");
        }
        let d = app
            .gql_ok(
                SAVE_INDEX,
                json!({"i": {"tenant": "stadt", "key": "leer", "name": "Leer", "levelId": viertel,
                "components": components, "populationIndicatorId": pop, "minPopulation": 1000000}}),
            )
            .await;
        let empty = d["saveIndexDefinition"]["id"]
            .as_str()
            .expect("id")
            .to_owned();
        let r = app.gql(NEED_INDEX, json!({"d": empty})).await;
        assert_code(&r, "VALIDATION");
        assert!(r["errors"][0]["message"]
            .as_str()
            .is_some_and(|m| !m.is_empty()));
        // A planner of another Kommune cannot save an index over these indicators.
        let other = app
            .tenant("andere", TenantKind::KreisfreieStadt, None)
            .await;
        let stranger = app.other_client();
        stranger
            .sign_in_as("planung@andere.test", Some((&other, Role::Planner)))
            .await;
        let r = stranger.gql(SAVE_INDEX, json!({"i": {"tenant": "stadt", "key": "x", "name": "X", "levelId": viertel, "components": components}})).await;
        assert_code(&r, "FORBIDDEN");
    }
);

db_test!(
    derived_indicators_share_rate_change_and_roll_up,
    |app: TestApp| async move {
        let (bezirk, viertel) = city(&app).await;
        let kids = app
            .indicator(
                "stadt",
                "kinder",
                "COUNT",
                "NEUTRAL",
                json!({"minCount": 0}),
            )
            .await;
        let pop = app
            .indicator(
                "stadt",
                "einwohner",
                "COUNT",
                "NEUTRAL",
                json!({"minCount": 0}),
            )
            .await;
        app.import_values(&kids, &viertel, "gebiet;datum;wert\nV1;2020;50\nV2;2020;30\nV3;2020;\nV4;2020;10\nV1;2021;60\nV2;2021;30\nV3;2021;5\nV4;2021;10\n", false).await;
        app.import_values(&pop, &viertel, "gebiet;datum;wert\nV1;2020;500\nV2;2020;300\nV3;2020;100\nV4;2020;0\nV1;2021;500\nV2;2021;300\nV3;2021;100\nV4;2021;100\n", false).await;
        let derive = |key: &str, kind: &str, derivation: Value| json!({"t": "stadt", "i": {"key": key, "name": key, "kind": kind, "polarity": "NEUTRAL", "minCount": 0}, "d": derivation});
        let q = "mutation($t: String!, $i: IndicatorInput!, $d: DerivationInput!) { deriveIndicator(tenant: $t, input: $i, derivation: $d) { id derivation } }";
        let share = app
            .gql_ok(
                q,
                derive(
                    "anteil",
                    "SHARE",
                    json!({"kind": "SHARE", "numeratorId": kids, "denominatorId": pop}),
                ),
            )
            .await;
        let share_id = share["deriveIndicator"]["id"]
            .as_str()
            .expect("id")
            .to_owned();
        assert_eq!(share["deriveIndicator"]["derivation"]["kind"], "share");
        let v = app.values(&share_id, &viertel).await;
        assert!(v.contains(&("V1".into(), "2020-12-31".into(), Some(10.0), "VALUE".into())));
        assert!(
            v.contains(&("V3".into(), "2020-12-31".into(), None, "NO_DATA".into())),
            "no data in, no data out"
        );
        assert!(
            v.contains(&("V4".into(), "2020-12-31".into(), None, "NO_DATA".into())),
            "share of nobody"
        );
        let rate = app
            .gql_ok(
                q,
                derive(
                    "rate",
                    "RATE",
                    json!({"kind": "RATE_PER_1000", "numeratorId": kids, "denominatorId": pop}),
                ),
            )
            .await;
        let v = app
            .values(
                rate["deriveIndicator"]["id"].as_str().expect("id"),
                &viertel,
            )
            .await;
        assert!(v.contains(&(
            "V2".into(),
            "2021-12-31".into(),
            Some(100.0),
            "VALUE".into()
        )));
        let change = app
            .gql_ok(
                q,
                derive(
                    "diff",
                    "COUNT",
                    json!({"kind": "ABSOLUTE_CHANGE", "sourceId": kids, "periods": 1}),
                ),
            )
            .await;
        let v = app
            .values(
                change["deriveIndicator"]["id"].as_str().expect("id"),
                &viertel,
            )
            .await;
        assert!(v.contains(&("V1".into(), "2021-12-31".into(), Some(10.0), "VALUE".into())));
        let rel = app
            .gql_ok(
                q,
                derive(
                    "rel",
                    "INDEX",
                    json!({"kind": "RELATIVE_CHANGE", "sourceId": kids, "periods": 1}),
                ),
            )
            .await;
        let v = app
            .values(rel["deriveIndicator"]["id"].as_str().expect("id"), &viertel)
            .await;
        assert!(v
            .iter()
            .any(|x| x.0 == "V1" && x.2.is_some_and(|r| (r - 20.0).abs() < 1e-9)));
        let sum = app
            .gql_ok(
                q,
                derive(
                    "summe",
                    "COUNT",
                    json!({"kind": "ROLL_UP_SUM", "sourceId": kids, "levelId": viertel}),
                ),
            )
            .await;
        let v = app
            .values(sum["deriveIndicator"]["id"].as_str().expect("id"), &bezirk)
            .await;
        assert!(v.contains(&("B1".into(), "2020-12-31".into(), Some(80.0), "VALUE".into())));
        assert!(
            v.contains(&("B2".into(), "2020-12-31".into(), None, "NO_DATA".into())),
            "a child without data"
        );
        assert!(v.contains(&("B2".into(), "2021-12-31".into(), Some(15.0), "VALUE".into())));
        let mean = app.gql_ok(q, derive("mittel", "SHARE", json!({"kind": "ROLL_UP_WEIGHTED_MEAN", "sourceId": share_id, "weightId": pop, "levelId": viertel}))).await;
        let v = app
            .values(mean["deriveIndicator"]["id"].as_str().expect("id"), &bezirk)
            .await;
        // B1 2021: (12 % × 500 + 10 % × 300) / 800 = 11.25 %.
        assert!(
            v.iter().any(|x| x.0 == "B1"
                && x.1 == "2021-12-31"
                && x.2.is_some_and(|m| (m - 11.25).abs() < 1e-9)),
            "{v:?}"
        );
        // Nothing to compute: an error, and no indicator created.
        let nothing = app
            .indicator("stadt", "nichts", "COUNT", "NEUTRAL", json!({}))
            .await;
        let r = app
            .gql(
                q,
                derive(
                    "leer",
                    "SHARE",
                    json!({"kind": "SHARE", "numeratorId": kids, "denominatorId": nothing}),
                ),
            )
            .await;
        assert_code(&r, "VALIDATION");
        let r = app
            .gql(
                q,
                derive(
                    "kaputt",
                    "COUNT",
                    json!({"kind": "ABSOLUTE_CHANGE", "sourceId": kids, "periods": 0}),
                ),
            )
            .await;
        assert_code(&r, "VALIDATION");
        let list = app
            .gql_ok("{ indicators(tenant: \"stadt\") { key } }", json!({}))
            .await;
        assert!(
            !list.to_string().contains("kaputt") && !list.to_string().contains("leer"),
            "a failed derivation leaves no indicator"
        );
    }
);

const CHOROPLETH: &str = "query($i: ID!, $l: ID, $m: ClassificationMethod, $c: Int = 5, $b: [Float!] = []) {
    choropleth(input: {indicatorId: $i, levelId: $l, method: $m, classes: $c, breaks: $b}) {
    date dates noDataCount legend { lower upper color count singleValue } areas { area { code } class color label } } }";

db_test!(
    choropleths_classify_and_draw_no_data_apart,
    |app: TestApp| async move {
        let (_, viertel) = city(&app).await;
        let id = app
            .indicator(
                "stadt",
                "quote",
                "SHARE",
                "HIGH_IS_BAD",
                json!({"minCount": 0}),
            )
            .await;
        app.import_values(
            &id,
            &viertel,
            "gebiet;datum;wert\nV1;2019;1\nV1;2020;1\nV2;2020;2\nV3;2020;3\n",
            false,
        )
        .await;
        // Three distinct values: the values are the classes, whatever the method; V4 has no data.
        let d = app
            .gql_ok(
                CHOROPLETH,
                json!({"i": id, "l": viertel, "m": "NATURAL_BREAKS", "c": 5}),
            )
            .await;
        let c = &d["choropleth"];
        assert_eq!(c["date"], "2020-12-31", "the latest date by default");
        assert_eq!(c["dates"], json!(["2019-12-31", "2020-12-31"]));
        assert_eq!(c["noDataCount"], 1);
        assert_eq!(c["legend"].as_array().map(Vec::len), Some(3));
        assert_eq!(c["legend"][0]["singleValue"], true);
        let v4 = c["areas"]
            .as_array()
            .and_then(|l| l.iter().find(|a| a["area"]["code"] == "V4"))
            .expect("V4");
        assert_eq!(
            (v4["class"].clone(), v4["label"].as_str()),
            (Value::Null, Some("keine Daten"))
        );
        // An earlier date from the time slider.
        let d = app
        .gql_ok("query($i: ID!) { choropleth(input: {indicatorId: $i, date: \"2019-12-31\"}) { noDataCount } }", json!({"i": id}))
        .await;
        assert_eq!(d["choropleth"]["noDataCount"], 3);
        // More distinct values (a finer level of six blocks): equal intervals, manual breaks.
        let blocks = collection(
            (1..=6)
                .map(|i| {
                    square_feature(
                        &format!("K{i}"),
                        &format!("Block {i}"),
                        7.0 + f64::from(i) * 0.005,
                        50.03,
                        0.005,
                    )
                })
                .collect(),
        );
        let r = app
            .import(
                json!({"tenant": "stadt", "levelKey": "block", "levelName": "Block",
        "idProperty": "id", "nameProperty": "name", "geojson": blocks}),
            )
            .await;
        let block = r["data"]["importAreas"]["level"]["id"]
            .as_str()
            .expect("level")
            .to_owned();
        app.import_values(&id, &block, "gebiet;datum;wert\nK1;2021;1\nK2;2021;2\nK3;2021;3\nK4;2021;4\nK5;2021;5\nK6;2021;10\n", false).await;
        let d = app
            .gql_ok(
                CHOROPLETH,
                json!({"i": id, "l": block, "m": "EQUAL_INTERVAL", "c": 3}),
            )
            .await;
        assert_eq!(d["choropleth"]["legend"][0]["upper"], 4.0, "{d}");
        assert_eq!(d["choropleth"]["legend"][0]["count"], 3);
        let d = app
            .gql_ok(
                CHOROPLETH,
                json!({"i": id, "l": block, "m": "MANUAL", "b": [2.5, 5.0]}),
            )
            .await;
        let counts: Vec<i64> = d["choropleth"]["legend"]
            .as_array()
            .expect("legend")
            .iter()
            .filter_map(|e| e["count"].as_i64())
            .collect();
        assert_eq!(counts, vec![2, 2, 2]);
        let d = app
            .gql_ok(
                CHOROPLETH,
                json!({"i": id, "l": block, "m": "QUANTILES", "c": 3}),
            )
            .await;
        let counts: Vec<i64> = d["choropleth"]["legend"]
            .as_array()
            .expect("legend")
            .iter()
            .filter_map(|e| e["count"].as_i64())
            .collect();
        assert_eq!(counts, vec![2, 2, 2], "{d}");
        let r = app
            .gql(
                CHOROPLETH,
                json!({"i": id, "l": block, "m": "MANUAL", "b": [5.0, 2.5]}),
            )
            .await;
        assert_code(&r, "VALIDATION");
        // The page: map, legend, sortable table, and the same problem in German.
        app.import_values(
            &id,
            &viertel,
            "gebiet;datum;wert\nV1;2021;1\nV2;2021;2\nV3;2021;3\nV4;2021;10\n",
            false,
        )
        .await;
        let html = app
            .get(&format!(
                "/indikator/{id}?ebene={viertel}&sortierung=wert_ab"
            ))
            .await
            .text()
            .await
            .expect("page");
        assert!(html.contains("data-choropleth=\"1\"") && html.contains("class=\"legend-list\""));
        assert!(html.contains("aria-sort=\"descending\""));
        let first = html.find("Domplatz").expect("V4");
        assert!(
            first < html.find("Altdorf").expect("V1"),
            "sorted by value, highest first"
        );
        let html = app
            .get(&format!(
                "/indikator/{id}?ebene={block}&methode=manual&grenzen=5%3B2"
            ))
            .await
            .text()
            .await
            .expect("page");
        assert!(
            html.contains("notice-error"),
            "a bad break is explained, the map still shows"
        );
    }
);

db_test!(
    profile_compares_with_the_level_and_names_strengths,
    |app: TestApp| async move {
        let (_, viertel) = city(&app).await;
        let bad = app
            .indicator(
                "stadt",
                "armut",
                "SHARE",
                "HIGH_IS_BAD",
                json!({"minCount": 0, "name": "Kinderarmut"}),
            )
            .await;
        let good = app
            .indicator(
                "stadt",
                "kita",
                "SHARE",
                "HIGH_IS_GOOD",
                json!({"minCount": 0, "name": "Betreuungsquote"}),
            )
            .await;
        app.import_values(
            &bad,
            &viertel,
            "gebiet;datum;wert\nV1;2019;30\nV1;2020;40\nV2;2020;10\nV3;2020;10\nV4;2020;20\n",
            false,
        )
        .await;
        app.import_values(
            &good,
            &viertel,
            "gebiet;datum;wert\nV1;2020;60\nV2;2020;20\nV3;2020;20\nV4;2020;20\n",
            false,
        )
        .await;
        let v1 = area_id(&app, &viertel, "V1").await;
        let d = app
        .gql_ok(
            "query($a: ID!) { areaProfile(areaId: $a) { lines { indicator { key } date value levelMean deviation rank rankOf trend }
                strengths { indicator { key } } weaknesses { indicator { key } } } }",
            json!({"a": v1}),
        )
        .await;
        let p = &d["areaProfile"];
        let line = p["lines"]
            .as_array()
            .and_then(|l| l.iter().find(|x| x["indicator"]["key"] == "armut"))
            .expect("line");
        assert_eq!(
            (
                line["value"].as_f64(),
                line["levelMean"].as_f64(),
                line["deviation"].as_f64()
            ),
            (Some(40.0), Some(20.0), Some(20.0))
        );
        assert_eq!(
            (
                line["rank"].as_i64(),
                line["rankOf"].as_i64(),
                line["trend"].as_f64()
            ),
            (Some(1), Some(4), Some(10.0))
        );
        assert_eq!(p["strengths"], json!([{"indicator": {"key": "kita"}}]));
        assert_eq!(p["weaknesses"], json!([{"indicator": {"key": "armut"}}]));
        let html = app
            .get(&format!("/quartier/{v1}"))
            .await
            .text()
            .await
            .expect("page");
        assert!(
            html.contains("Steckbrief") && html.contains("Stärken") && html.contains("Kinderarmut")
        );
        let r = app.get(&format!("/api/v1/areas/{v1}/profile.csv")).await;
        assert_eq!(r.headers()["content-type"], "text/csv; charset=utf-8");
        let csv = r.text().await.expect("csv");
        assert!(
            csv.contains("Kinderarmut;%;2020-12-31;40,0;20,0;20,0;1;4;10,0"),
            "{csv}"
        );
    }
);

db_test!(
    planner_pages_import_in_two_steps_without_javascript,
    |app: TestApp| async move {
        let (_, viertel) = city(&app).await;
        // A new indicator from the catalogue form.
        let location = app
            .post_form(
                "/kommune/stadt/indikatoren/neu",
                &[
                    ("key", "quote"),
                    ("name", "Quote"),
                    ("kind", "share"),
                    ("polarity", "high_is_bad"),
                    ("visibility", "public"),
                    ("precision", "1"),
                    ("min_count", "0"),
                    ("unit", "%"),
                ],
            )
            .await;
        let id = location
            .trim_start_matches("/indikator/")
            .split('?')
            .next()
            .expect("id")
            .to_owned();
        // A duplicate key comes back with a German message.
        let to = app
            .post_form(
                "/kommune/stadt/indikatoren/neu",
                &[
                    ("key", "quote"),
                    ("name", "Quote"),
                    ("kind", "share"),
                    ("polarity", "high_is_bad"),
                    ("visibility", "public"),
                ],
            )
            .await;
        assert!(to.contains("fehler=CONFLICT"), "{to}");

        let upload = |content: &'static str| {
            reqwest::multipart::Form::new()
                .text("indikator", id.clone())
                .text("ebene", viertel.clone())
                .text("format", "auto")
                .text("layout", "auto")
                .part(
                    "datei",
                    reqwest::multipart::Part::bytes(content.as_bytes()).file_name("werte.csv"),
                )
        };
        // A broken file: the page lists the problems; nothing is stored.
        let r = app
            .client
            .post(format!("{}/kommune/stadt/indikatoren/import", app.url))
            .header("origin", &app.url)
            .multipart(upload("gebiet;datum;wert\nV1;2020;zehn\nV7;2020;1\n"))
            .send()
            .await
            .expect("upload");
        assert_eq!(r.status(), 303);
        let page = r.headers()["location"].to_str().expect("loc").to_owned();
        let html = app.get(&page).await.text().await.expect("page");
        assert!(
            html.contains("NOT_A_NUMBER") && html.contains("UNKNOWN_AREA"),
            "{html}"
        );
        assert!(!html.contains("Jetzt importieren"));
        assert!(app.values(&id, &viertel).await.is_empty());
        // A good file: preview first, stored only after confirming.
        let r = app
            .client
            .post(format!("{}/kommune/stadt/indikatoren/import", app.url))
            .header("origin", &app.url)
            .multipart(upload("gebiet;datum;wert\nV1;2020;10,5\nV2;2020;20\n"))
            .send()
            .await
            .expect("upload");
        let page = r.headers()["location"].to_str().expect("loc").to_owned();
        let html = app.get(&page).await.text().await.expect("page");
        assert!(
            html.contains("Vorschau") && html.contains("Altdorf (V1)") && html.contains("10,5"),
            "{html}"
        );
        assert!(
            app.values(&id, &viertel).await.is_empty(),
            "the preview stores nothing"
        );
        let draft = page.rsplit('=').next().expect("draft").to_owned();
        // Another planner cannot apply this draft.
        let other = app.other_client();
        let t = qn_tests::tenant_by_slug(&app, "stadt").await;
        other
            .sign_in_as("zweite@stadt.test", Some((&t, Role::Planner)))
            .await;
        other
            .client
            .post(format!(
                "{}/kommune/stadt/indikatoren/import/{draft}",
                app.url
            ))
            .header("origin", &app.url)
            .send()
            .await
            .expect("apply");
        assert!(app.values(&id, &viertel).await.is_empty());
        let r = app
            .client
            .post(format!(
                "{}/kommune/stadt/indikatoren/import/{draft}",
                app.url
            ))
            .header("origin", &app.url)
            .send()
            .await
            .expect("apply");
        assert!(r.headers()["location"]
            .to_str()
            .expect("loc")
            .contains("hinweis=importiert"));
        assert_eq!(app.values(&id, &viertel).await.len(), 2);
        // Residents do not get the import page; a cross-site form post is refused.
        let anonymous = app.other_client();
        assert_eq!(
            anonymous
                .get("/kommune/stadt/indikatoren/import")
                .await
                .status(),
            403
        );
        let r = app
            .client
            .post(format!("{}/kommune/stadt/indikatoren/neu", app.url))
            .header("origin", "https://evil.example")
            .form(&[
                ("key", "x"),
                ("name", "X"),
                ("kind", "share"),
                ("polarity", "neutral"),
                ("visibility", "public"),
            ])
            .send()
            .await
            .expect("post");
        assert_eq!(r.status(), 403);
    }
);

db_test!(
    index_form_weights_and_catalogue_edits_without_javascript,
    |app: TestApp| async move {
        let (_, viertel) = city(&app).await;
        let t = qn_tests::tenant_by_slug(&app, "stadt").await;
        let id = app
            .indicator(
                "stadt",
                "quote",
                "SHARE",
                "HIGH_IS_BAD",
                json!({"name": "Quote"}),
            )
            .await;
        let r = app
            .import_values(
                &id,
                &viertel,
                "gebiet;datum;wert\nV1;2020;10\nV2;2020;20\nV3;2020;30\nV4;2020;40\n",
                false,
            )
            .await;
        assert_eq!(r["applied"], true, "{r}");
        let index_form = |key: &str, weight: &str| {
            vec![
                ("key".to_owned(), key.to_owned()),
                ("name".to_owned(), key.to_uppercase()),
                ("ebene".to_owned(), viertel.clone()),
                ("normalisation".to_owned(), "z_score".to_owned()),
                ("combination".to_owned(), "weighted_sum".to_owned()),
                ("klassen".to_owned(), "sd".to_owned()),
                ("visibility".to_owned(), "public".to_owned()),
                ("ausschluss".to_owned(), String::new()),
                (format!("gewicht_{id}"), weight.to_owned()),
                (format!("richtung_{id}"), "high_is_bad".to_owned()),
            ]
        };
        // The index form: weights per indicator.
        let loc = app
            .post_fields("/kommune/stadt/sozialindex", &index_form("idx", "1"))
            .await;
        assert!(loc.starts_with("/sozialindex/"), "{loc}");
        // A weight that is not a number comes back as a German message; nothing is saved.
        let back = app
            .post_fields("/kommune/stadt/sozialindex", &index_form("nan", "NaN"))
            .await;
        assert!(
            back.contains("fehler=VALIDATION") && back.contains("meldung="),
            "{back}"
        );
        let list = app
            .gql_ok("{ indexDefinitions(tenant: \"stadt\") { key } }", json!({}))
            .await;
        assert_eq!(list["indexDefinitions"], json!([{"key": "idx"}]));
        let html = app.html(&loc).await;
        assert!(
            html.contains("Quartiere mit besonderem Handlungsbedarf"),
            "{html}"
        );

        // The catalogue entry is edited on the indicator's page; deleting it is refused while the
        // index uses it.
        let edit = |name: &str| {
            vec![
                ("name".to_owned(), name.to_owned()),
                ("kind".to_owned(), "share".to_owned()),
                ("polarity".to_owned(), "high_is_good".to_owned()),
                ("visibility".to_owned(), "tenant".to_owned()),
                ("precision".to_owned(), "2".to_owned()),
                ("min_count".to_owned(), "5".to_owned()),
                ("unit".to_owned(), "%".to_owned()),
            ]
        };
        let to = app
            .post_fields(&format!("/indikator/{id}/bearbeiten"), &edit("Quote neu"))
            .await;
        assert!(to.contains("hinweis=geaendert"), "{to}");
        let d = app.gql_ok("query($id: ID!) { indicator(id: $id) { key name polarity visibility precision minCount } }", json!({"id": id})).await;
        assert_eq!(
            d["indicator"],
            json!({"key": "quote", "name": "Quote neu", "polarity": "HIGH_IS_GOOD",
            "visibility": "tenant", "precision": 2, "minCount": 5})
        );
        let to = app
            .post_fields(&format!("/indikator/{id}/loeschen"), &[])
            .await;
        assert!(to.contains("fehler=CONFLICT"), "{to}");
        // A resident cannot edit.
        let resident = app.other_client();
        resident
            .sign_in_as("anna@stadt.test", Some((&t, Role::Resident)))
            .await;
        let to = resident
            .post_fields(&format!("/indikator/{id}/bearbeiten"), &edit("Gehackt"))
            .await;
        assert!(to.contains("fehler="), "{to}");
        let d = app
            .gql_ok(
                "query($id: ID!) { indicator(id: $id) { name } }",
                json!({"id": id}),
            )
            .await;
        assert_eq!(
            d["indicator"]["name"], "Quote neu",
            "kept after the refused edit and delete"
        );
    }
);
