//! Resident surveys through the real server: building, access modes, the JSON submission with
//! its refusals and replays, the plain HTML form, results with small groups suppressed,
//! free-text review, and the exports.

use qn_domain::tenancy::{Role, TenantKind};
use qn_tests::serde_json::{json, Value};
use qn_tests::*;
use sea_orm::{ConnectionTrait, Statement};

const CREATE: &str = "mutation($t: ID!, $i: SurveyInput!) { createSurvey(tenantId: $t, input: $i) { id version status } }";
const UPDATE: &str =
    "mutation($id: ID!, $i: SurveyInput!) { updateSurvey(id: $id, input: $i) { id title } }";
const STATUS: &str =
    "mutation($id: ID!, $s: SurveyStatus!) { setSurveyStatus(id: $id, status: $s) { status } }";
const RESULTS: &str = "query($id: ID!) { surveyResults(id: $id) }";

/// A city with four Viertel (V1..V4); the client is its planner. Returns tenant and Viertel ids.
async fn city(app: &TestApp, slug: &str) -> (quartiersnetz::tenancy::Tenant, Vec<String>) {
    let c = CityBuilder::new(slug).build(app).await;
    let ids = c.viertel_ids();
    (c.tenant, ids)
}

async fn open_survey(
    app: &TestApp,
    t: &quartiersnetz::tenancy::Tenant,
    access: &str,
    areas: &[String],
) -> String {
    SurveyBuilder::new(t)
        .access(access)
        .areas(areas)
        .open()
        .build(app)
        .await
}

/// Sends a response as the browser does; returns status and body.
async fn send(client: &TestApp, survey: &str, body: Value) -> (u16, Value) {
    let r = client
        .client
        .post(format!("{}/api/v1/surveys/{survey}/responses", client.url))
        .header("origin", &client.url)
        .json(&body)
        .send()
        .await
        .expect("send");
    let status = r.status().as_u16();
    (status, r.json().await.unwrap_or(Value::Null))
}

fn answers(area: &str, sicher: &str) -> Value {
    json!({"quartier": {"type": "area", "value": area.parse::<i64>().unwrap_or(0)},
           "sicher": {"type": "choice", "value": sicher}})
}

async fn status(c: &TestApp, path: &str) -> u16 {
    c.get(path).await.status().as_u16()
}

db_test!(
    surveys_are_built_checked_frozen_and_versioned,
    |app: TestApp| async move {
        let (t, areas) = city(&app, "stadt").await;
        // Structure and texts are checked by the domain rules, with their codes.
        let mut bad = survey_input("PUBLIC", &[]);
        bad["structure"]["sections"][0]["questions"][2]["show_if"]["question"] = json!("alter");
        let r = app
            .gql(CREATE, json!({"t": t.id.to_string(), "i": bad}))
            .await;
        assert_eq!(error_code(&r), "CONDITION_FORWARD", "{r}");
        let mut bad = survey_input("PUBLIC", &[]);
        bad["texts"]["de"]
            .as_object_mut()
            .map(|o| o.remove("q.sicher"));
        let r = app
            .gql(CREATE, json!({"t": t.id.to_string(), "i": bad}))
            .await;
        assert_eq!(error_code(&r), "TEXT_MISSING", "{r}");
        let mut bad = survey_input("PUBLIC", &[]);
        bad["texts"]["tr"]["q.sichr"] = json!("typo");
        let r = app
            .gql(CREATE, json!({"t": t.id.to_string(), "i": bad}))
            .await;
        assert_eq!(error_code(&r), "TEXT_UNKNOWN", "{r}");

        // Another Kommune's planner and a resident may not build here.
        let other = app.other_client();
        let t2 = other
            .tenant("dorf", TenantKind::KreisfreieStadt, None)
            .await;
        other
            .sign_in_as("planung@dorf.test", Some((&t2, Role::Planner)))
            .await;
        let r = other
            .gql(
                CREATE,
                json!({"t": t.id.to_string(), "i": survey_input("PUBLIC", &[])}),
            )
            .await;
        assert_eq!(error_code(&r), "FORBIDDEN");
        // Nor use our areas as targets of their own survey.
        let r = other
            .gql(
                CREATE,
                json!({"t": t2.id.to_string(), "i": survey_input("PUBLIC", &areas[..1])}),
            )
            .await;
        assert_eq!(error_code(&r), "VALIDATION", "{r}");

        let d = app
            .gql_ok(
                CREATE,
                json!({"t": t.id.to_string(), "i": survey_input("PUBLIC", &areas)}),
            )
            .await;
        let id = d["createSurvey"]["id"].as_str().expect("id").to_owned();
        assert_eq!(d["createSurvey"]["status"], "draft");
        // A draft is the builders' preview: invisible to others, and it takes no answers.
        let anon = app.other_client();
        let r = anon
            .gql(
                "query($id: ID!) { survey(id: $id) { id } }",
                json!({"id": id}),
            )
            .await;
        assert_eq!(r["data"]["survey"], Value::Null);
        let (status, body) = send(
            &anon,
            &id,
            json!({"key": "k".repeat(20), "answers": answers(&areas[0], "ja")}),
        )
        .await;
        assert_eq!(
            (status, body["error"]["code"].as_str()),
            (404, Some("NOT_FOUND"))
        );

        app.gql_ok(STATUS, json!({"id": id, "s": "OPEN"})).await;
        let (status, _) = send(
            &anon,
            &id,
            json!({"key": "first-response-key-1", "answers": answers(&areas[0], "ja")}),
        )
        .await;
        assert_eq!(status, 201);
        // With a response the questions are frozen; texts may still change.
        let mut changed = survey_input("PUBLIC", &areas);
        changed["structure"]["sections"][0]["questions"][3]["kind"]["max"] = json!(99);
        let r = app.gql(UPDATE, json!({"id": id, "i": changed})).await;
        assert_eq!(error_code(&r), "SURVEY_FROZEN", "{r}");
        let mut retitled = survey_input("PUBLIC", &areas);
        retitled["texts"]["de"]["title"] = json!("Sicher im Viertel 2026");
        let d = app.gql_ok(UPDATE, json!({"id": id, "i": retitled})).await;
        assert_eq!(d["updateSurvey"]["title"], "Sicher im Viertel 2026");
        // A new version continues it; a copy starts over.
        let d = app
        .gql_ok(
            "mutation($id: ID!) { duplicateSurvey(id: $id, newVersion: true) { id version previousId status targetAreaIds } }",
            json!({"id": id}),
        )
        .await;
        assert_eq!(d["duplicateSurvey"]["version"], 2);
        assert_eq!(d["duplicateSurvey"]["previousId"], json!(id));
        assert_eq!(d["duplicateSurvey"]["status"], "draft");
        assert_eq!(
            d["duplicateSurvey"]["targetAreaIds"]
                .as_array()
                .map(Vec::len),
            Some(4)
        );
        let v2 = d["duplicateSurvey"]["id"].as_str().expect("id").to_owned();
        app.gql_ok(UPDATE, json!({"id": v2, "i": changed})).await;
        // Nothing the builders did is missing from the audit log.
        assert!(
            app.count("SELECT COUNT(*) FROM audit_log WHERE action LIKE 'survey_%'")
                .await
                >= 5
        );
    }
);

db_test!(
    responses_are_checked_stored_once_and_anonymous,
    |app: TestApp| async move {
        let (t, areas) = city(&app, "stadt").await;
        let id = open_survey(&app, &t, "PUBLIC", &areas).await;
        let anna = app.other_client();

        // Every problem comes back by question; nothing is stored.
        let (status, body) = send(
            &anna,
            &id,
            json!({"key": "anna-key-000000001", "answers": {
                "quartier": {"type": "area", "value": 999999},
                "sicher": {"type": "choice", "value": "vielleicht"},
                "alter": {"type": "number", "value": 130},
                "idee": {"type": "text", "value": "x".repeat(1_000_000)},
                "erfunden": {"type": "text", "value": "?"}
            }}),
        )
        .await;
        assert_eq!(status, 400, "{body}");
        let problems: Vec<(String, String)> = body["error"]["problems"]
            .as_array()
            .expect("problems")
            .iter()
            .map(|p| {
                (
                    p["question"].as_str().unwrap_or_default().to_owned(),
                    p["code"].as_str().unwrap_or_default().to_owned(),
                )
            })
            .collect();
        for expected in [
            ("erfunden", "UNKNOWN_QUESTION"),
            ("sicher", "UNKNOWN_OPTION"),
            ("alter", "OUT_OF_RANGE"),
            ("idee", "TOO_LONG"),
        ] {
            assert!(
                problems
                    .iter()
                    .any(|(q, c)| q == expected.0 && c == expected.1),
                "{expected:?} in {problems:?}"
            );
        }
        // A Quartier outside the survey's areas is refused too (once the other answers fit).
        let (status, body) = send(
            &anna,
            &id,
            json!({"key": "anna-key-000000001", "answers": answers("999999", "ja")}),
        )
        .await;
        assert_eq!(
            (status, body["error"]["problems"][0]["code"].as_str()),
            (400, Some("UNKNOWN_AREA")),
            "{body}"
        );
        assert_eq!(app.count("SELECT COUNT(*) FROM survey_responses").await, 0);

        // A valid response with an answer to a question its condition hides, and HTML in text.
        let mut a = answers(&areas[0], "ja");
        a["warum"] = json!({"type": "choices", "value": {"selected": ["licht"]}});
        a["idee"] = json!({"type": "text", "value": "<script>alert(1)</script> Mehr Licht"});
        let (status, body) = send(
            &anna,
            &id,
            json!({"key": "anna-key-000000001", "language": "tr", "answers": a}),
        )
        .await;
        assert_eq!(
            (status, body["status"].as_str()),
            (201, Some("stored")),
            "{body}"
        );
        // The replay (an offline queue sending again) stores nothing new.
        let (status, body) = send(
            &anna,
            &id,
            json!({"key": "anna-key-000000001", "answers": a}),
        )
        .await;
        assert_eq!((status, body["status"].as_str()), (200, Some("duplicate")));
        assert_eq!(app.count("SELECT COUNT(*) FROM survey_responses").await, 1);
        // The same key with other answers is no replay: refused, and the first response stands.
        let mut other = a.clone();
        other["idee"] = json!({"type": "text", "value": "Etwas ganz anderes"});
        let (status, body) = send(
            &anna,
            &id,
            json!({"key": "anna-key-000000001", "answers": other}),
        )
        .await;
        assert_eq!(
            (status, body["error"]["code"].as_str()),
            (409, Some("IDEMPOTENCY_KEY_REUSED")),
            "{body}"
        );
        assert_eq!(app.count("SELECT COUNT(*) FROM survey_responses").await, 1);
        let db = &app.state.db;
        let row = db
            .query_one_raw(Statement::from_string(
                db.get_database_backend(),
                "SELECT * FROM survey_responses".to_owned(),
            ))
            .await
            .expect("query")
            .expect("row");
        let stored: String = row.try_get("", "answers").expect("answers");
        assert!(!stored.contains("warum"), "hidden answer dropped: {stored}");
        assert!(
            stored.contains("<script>alert(1)</script> Mehr Licht"),
            "text kept as typed: {stored}"
        );
        let language: String = row.try_get("", "language").expect("language");
        assert_eq!(language, "tr");
        // No account, address, agent or time of day with a response: only these columns exist.
        let columns: Vec<String> = match db.get_database_backend() {
            sea_orm::DatabaseBackend::Postgres => {
                let rows = db.query_all_raw(Statement::from_string(
                sea_orm::DatabaseBackend::Postgres,
                "SELECT column_name AS name FROM information_schema.columns WHERE table_name = 'survey_responses' ORDER BY column_name".to_owned(),
            )).await.expect("columns");
                rows.iter()
                    .map(|r| r.try_get::<String>("", "name").expect("name"))
                    .collect()
            }
            _ => {
                let rows = db
                    .query_all_raw(Statement::from_string(
                        sea_orm::DatabaseBackend::Sqlite,
                        "SELECT name FROM pragma_table_info('survey_responses') ORDER BY name"
                            .to_owned(),
                    ))
                    .await
                    .expect("columns");
                rows.iter()
                    .map(|r| r.try_get::<String>("", "name").expect("name"))
                    .collect()
            }
        };
        assert_eq!(
            columns,
            [
                "answers",
                "area_id",
                // A hash of the answers column itself: says nothing about who answered.
                "body_hash",
                "id",
                "idem_key",
                "language",
                "submitted_on",
                "survey_id",
                "tenant_id"
            ]
        );
        // The same device cannot answer twice (its ballot is not linked to the response).
        let (status, body) = send(
            &anna,
            &id,
            json!({"key": "anna-key-000000002", "answers": a}),
        )
        .await;
        assert_eq!(
            (status, body["error"]["code"].as_str()),
            (409, Some("ALREADY_ANSWERED"))
        );
        // The honeypot: answered like success, nothing kept.
        let bot = app.other_client();
        let (status, _) = send(&bot, &id, json!({"key": "bot-key-0000000001", "website": "http://spam", "answers": answers(&areas[0], "ja")})).await;
        assert_eq!(status, 201);
        assert_eq!(app.count("SELECT COUNT(*) FROM survey_responses").await, 1);
        // A malformed key is a precise error.
        let (status, body) = send(
            &bot,
            &id,
            json!({"key": "short", "answers": answers(&areas[0], "ja")}),
        )
        .await;
        assert_eq!(
            (status, body["error"]["code"].as_str()),
            (400, Some("VALIDATION"))
        );

        // Closed: refused and said so; a replay of an accepted response still finds it.
        app.gql_ok(STATUS, json!({"id": id, "s": "CLOSED"})).await;
        let late = app.other_client();
        let (status, body) = send(
            &late,
            &id,
            json!({"key": "late-key-000000001", "answers": answers(&areas[0], "ja")}),
        )
        .await;
        assert_eq!(
            (status, body["error"]["code"].as_str()),
            (403, Some("SURVEY_CLOSED"))
        );
        let (status, _) = send(
            &anna,
            &id,
            json!({"key": "anna-key-000000001", "answers": a}),
        )
        .await;
        assert_eq!(status, 200);
        assert_eq!(app.count("SELECT COUNT(*) FROM survey_responses").await, 1);
        // Reopened: the survey kept as closed is read again, and answers are taken at once.
        app.gql_ok(STATUS, json!({"id": id, "s": "OPEN"})).await;
        let (status, body) = send(
            &late,
            &id,
            json!({"key": "late-key-000000001", "answers": answers(&areas[0], "ja")}),
        )
        .await;
        assert_eq!((status, body["status"].as_str()), (201, Some("stored")));
        assert_eq!(app.count("SELECT COUNT(*) FROM survey_responses").await, 2);
    }
);

// Responses are written on the survey as it was read (from the process's cache): replays racing
// each other store one response, other phones at the same moment each store theirs, and a
// survey changed meanwhile is read again rather than answered as it was.
db_test!(
    concurrent_replays_store_once_on_the_survey_as_it_is,
    |app: TestApp| async move {
        let (t, areas) = city(&app, "stadt").await;
        let id = open_survey(&app, &t, "PUBLIC", &areas).await;
        let phone = app.other_client();
        let others: Vec<TestApp> = (0..12).map(|_| app.other_client()).collect();
        let same = (0..12).map(|_| {
            send(
                &phone,
                &id,
                json!({"key": "queued-key-0000001", "answers": answers(&areas[0], "ja")}),
            )
        });
        let different = others.iter().enumerate().map(|(i, c)| {
            let body = json!({"key": format!("phone-{i:02}-key-000001"), "answers": answers(&areas[1], "nein")});
            send(c, &id, body)
        });
        let (same, different) = tokio::join!(
            futures::future::join_all(same),
            futures::future::join_all(different)
        );
        let stored = same.iter().filter(|(s, _)| *s == 201).count();
        let replays = same
            .iter()
            .filter(|(s, b)| *s == 200 && b["status"] == "duplicate")
            .count();
        assert_eq!((stored, replays), (1, 11), "{same:?}");
        assert!(different.iter().all(|(s, _)| *s == 201), "{different:?}");
        assert_eq!(app.count("SELECT COUNT(*) FROM survey_responses").await, 13);
        assert_eq!(app.count("SELECT COUNT(*) FROM survey_ballots").await, 13);

        // Closed while kept as open: the write finds the survey changed, reads it again and
        // refuses. Reopened while kept as closed: read again at the refusal, and stored.
        app.gql_ok(STATUS, json!({"id": id, "s": "CLOSED"})).await;
        let late = app.other_client();
        let body = json!({"key": "after-close-000001", "answers": answers(&areas[0], "ja")});
        let (status, refused) = send(&late, &id, body.clone()).await;
        assert_eq!(
            (status, refused["error"]["code"].as_str()),
            (403, Some("SURVEY_CLOSED"))
        );
        app.gql_ok(STATUS, json!({"id": id, "s": "OPEN"})).await;
        let (status, _) = send(&late, &id, body.clone()).await;
        assert_eq!(status, 201);
        // Closed and reopened between two responses (the kept copy is open but old): stored.
        app.gql_ok(STATUS, json!({"id": id, "s": "CLOSED"})).await;
        app.gql_ok(STATUS, json!({"id": id, "s": "OPEN"})).await;
        let (status, _) = send(
            &app.other_client(),
            &id,
            json!({"key": "after-reopen-00001", "answers": answers(&areas[0], "ja")}),
        )
        .await;
        assert_eq!(status, 201);
        assert_eq!(app.count("SELECT COUNT(*) FROM survey_responses").await, 15);
    }
);

db_test!(codes_and_resident_access, |app: TestApp| async move {
    let (t, areas) = city(&app, "stadt").await;
    let id = open_survey(&app, &t, "CODES", &areas).await;
    let d = app
        .gql_ok(
            "mutation($id: ID!) { generateSurveyCodes(id: $id, count: 3) }",
            json!({"id": id}),
        )
        .await;
    let codes: Vec<String> = d["generateSurveyCodes"]
        .as_array()
        .expect("codes")
        .iter()
        .map(|c| c.as_str().unwrap_or_default().to_owned())
        .collect();
    assert_eq!(codes.len(), 3);
    assert!(
        codes
            .iter()
            .all(|c| c.len() == 9 && c.as_bytes()[4] == b'-'),
        "{codes:?}"
    );
    // Stored only hashed.
    assert_eq!(
        app.count(&format!(
            "SELECT COUNT(*) FROM survey_codes WHERE code_hash = '{}'",
            codes[0]
        ))
        .await,
        0
    );
    let c = app.other_client();
    let (status, body) = send(
        &c,
        &id,
        json!({"key": "code-key-00000001", "answers": answers(&areas[0], "ja")}),
    )
    .await;
    assert_eq!(
        (status, body["error"]["code"].as_str()),
        (400, Some("CODE_REQUIRED"))
    );
    let (_, body) = send(&c, &id, json!({"key": "code-key-00000001", "code": "ZZZZ-ZZZZ", "answers": answers(&areas[0], "ja")})).await;
    assert_eq!(body["error"]["code"], "CODE_UNKNOWN");
    // Typed in lower case without the dash: still the code.
    let typed = codes[0].replace('-', "").to_lowercase();
    let (status, _) = send(
        &c,
        &id,
        json!({"key": "code-key-00000001", "code": typed, "answers": answers(&areas[0], "ja")}),
    )
    .await;
    assert_eq!(status, 201);
    let other = app.other_client();
    let (status, body) = send(
        &other,
        &id,
        json!({"key": "code-key-00000002", "code": codes[0], "answers": answers(&areas[1], "ja")}),
    )
    .await;
    assert_eq!(
        (status, body["error"]["code"].as_str()),
        (409, Some("CODE_USED"))
    );
    // The first phone's replay is a duplicate, not a "used code".
    let (status, _) = send(
        &c,
        &id,
        json!({"key": "code-key-00000001", "code": codes[0], "answers": answers(&areas[0], "ja")}),
    )
    .await;
    assert_eq!(status, 200);
    // Codes, not devices, count here: the same phone answers again with the next code.
    let (status, _) = send(&c, &id, json!({"key": "code-key-00000003", "code": codes[1], "answers": answers(&areas[0], "nein")})).await;
    assert_eq!(status, 201);
    assert_eq!(app.count("SELECT COUNT(*) FROM survey_responses").await, 2);

    // Residents only: sign in first, as a member of this Kommune; once per account.
    let rid = open_survey(&app, &t, "RESIDENTS", &areas).await;
    let anon = app.other_client();
    let (status, body) = send(
        &anon,
        &rid,
        json!({"key": "resident-key-0001", "answers": answers(&areas[0], "ja")}),
    )
    .await;
    assert_eq!(
        (status, body["error"]["code"].as_str()),
        (401, Some("ACCOUNT_REQUIRED"))
    );
    let stranger = app.other_client();
    stranger.sign_in_as("fremd@example.org", None).await;
    let (status, _) = send(
        &stranger,
        &rid,
        json!({"key": "resident-key-0002", "answers": answers(&areas[0], "ja")}),
    )
    .await;
    assert_eq!(status, 401);
    let resident = app.other_client();
    resident
        .sign_in_as("anna@example.org", Some((&t, Role::Resident)))
        .await;
    let (status, _) = send(
        &resident,
        &rid,
        json!({"key": "resident-key-0003", "answers": answers(&areas[0], "ja")}),
    )
    .await;
    assert_eq!(status, 201);
    let (status, body) = send(
        &resident,
        &rid,
        json!({"key": "resident-key-0004", "answers": answers(&areas[0], "ja")}),
    )
    .await;
    assert_eq!(
        (status, body["error"]["code"].as_str()),
        (409, Some("ALREADY_ANSWERED"))
    );
});

db_test!(
    results_suppress_small_groups_everywhere,
    |app: TestApp| async move {
        let (t, areas) = city(&app, "stadt").await;
        let id = open_survey(&app, &t, "PUBLIC", &areas).await;
        // V1: 7 responses, V2: 3 (too small), V3: 6 → V3 hidden with V2 (else 16 − 7 − 6 = 3).
        let mut n = 0;
        for (area, how_many) in [(&areas[0], 7), (&areas[1], 3), (&areas[2], 6)] {
            for i in 0..how_many {
                n += 1;
                let phone = app.other_client();
                let mut a = answers(area, if i % 2 == 0 { "ja" } else { "nein" });
                if n <= 3 {
                    a["idee"] = json!({"type": "text", "value": format!("Idee {n} <b>fett</b>")});
                }
                let (status, body) = send(
                    &phone,
                    &id,
                    json!({"key": format!("results-key-{n:08}"), "answers": a}),
                )
                .await;
                assert_eq!(status, 201, "{body}");
            }
        }
        let d = app.gql_ok(RESULTS, json!({"id": id})).await;
        let r = &d["surveyResults"]["results"];
        assert_eq!(r["responses"], 16);
        let sicher = &r["questions"][1];
        assert_eq!(sicher["total"]["n"], 16);
        let groups = sicher["areas"].as_array().expect("areas");
        let shown: Vec<bool> = groups
            .iter()
            .map(|g| g["shown"].as_bool().unwrap_or(true))
            .collect();
        assert_eq!(
            shown,
            [true, false, false, true],
            "V1 shown, V2 and V3 hidden, V4 empty"
        );
        assert_eq!(groups[1]["n"], Value::Null);
        assert!(groups[1]["counts"].as_array().is_some_and(Vec::is_empty));
        assert_eq!(r["by_area"].as_array().map(Vec::len), Some(4));
        // No Quartier counts sneak out through the Quartier question.
        assert!(r["questions"][0]["total"]["counts"]
            .as_array()
            .is_some_and(Vec::is_empty));

        // Unpublished: nobody outside the administration sees results.
        let anon = app.other_client();
        let r = anon.gql(RESULTS, json!({"id": id})).await;
        assert_eq!(error_code(&r), "NOT_FOUND");
        assert_eq!(
            status(&anon, &format!("/api/v1/surveys/{id}/results.json")).await,
            404
        );
        app.gql_ok(
            "mutation($id: ID!) { publishSurveyResults(id: $id, published: true) }",
            json!({"id": id}),
        )
        .await;
        let public: Value = anon
            .get(&format!("/api/v1/surveys/{id}/results.json"))
            .await
            .json()
            .await
            .expect("json");
        let g = &public["results"]["questions"][1]["areas"];
        assert_eq!(g[1]["n"], Value::Null, "{public}");
        assert_eq!(g[2]["n"], Value::Null);
        assert_eq!(public["results"]["by_area"][1][1], Value::Null);
        // Free texts: only approved ones leave the planners.
        assert!(public["freeTexts"].as_array().is_some_and(Vec::is_empty));
        let all = app.gql_ok(RESULTS, json!({"id": id})).await;
        let texts = all["surveyResults"]["freeTexts"]
            .as_array()
            .expect("texts")
            .clone();
        assert_eq!(texts.len(), 3);
        let first = texts[0]["id"].as_str().expect("id").to_owned();
        // A resident cannot review; the planner can.
        let resident = app.other_client();
        resident
            .sign_in_as("anna@example.org", Some((&t, Role::Resident)))
            .await;
        let r = resident
            .gql(
                "mutation($id: ID!) { reviewSurveyText(id: $id, approve: true) }",
                json!({"id": first}),
            )
            .await;
        assert_eq!(error_code(&r), "FORBIDDEN");
        app.gql_ok(
            "mutation($id: ID!) { reviewSurveyText(id: $id, approve: true) }",
            json!({"id": first}),
        )
        .await;
        let public: Value = anon
            .get(&format!("/api/v1/surveys/{id}/results.json"))
            .await
            .json()
            .await
            .expect("json");
        assert_eq!(public["freeTexts"].as_array().map(Vec::len), Some(1));
        // The results page shows the same: "–" for V2 and V3, the approved text escaped.
        let html = anon.html(&format!("/umfrage/{id}/ergebnisse")).await;
        assert!(
            html.contains("Idee 1 &lt;b&gt;fett&lt;/b&gt;"),
            "escaped text on the page"
        );
        assert!(!html.contains("Idee 2"), "pending text not public");
        // The result onto the indicator map: only the shown area gets a value.
        const SAVE: &str = "mutation($s: ID!, $q: String!, $o: [String!]!) { saveSurveyIndicator(surveyId: $s,
        question: $q, options: $o, key: \"unsicher\", name: \"Fühlt sich unsicher\", polarity: HIGH_IS_BAD,
        date: \"2026-11-01\") { indicatorId areas } }";
        let r = resident
            .gql(SAVE, json!({"s": id, "q": "sicher", "o": ["nein"]}))
            .await;
        assert_eq!(error_code(&r), "FORBIDDEN");
        let r = app
            .gql(SAVE, json!({"s": id, "q": "alter", "o": ["nein"]}))
            .await;
        assert_eq!(error_code(&r), "VALIDATION");
        let r = app
            .gql(SAVE, json!({"s": id, "q": "sicher", "o": ["vielleicht"]}))
            .await;
        assert_eq!(error_code(&r), "VALIDATION");
        let d = app
            .gql_ok(SAVE, json!({"s": id, "q": "sicher", "o": ["nein"]}))
            .await;
        assert_eq!(d["saveSurveyIndicator"]["areas"], 1);
        let ind = d["saveSurveyIndicator"]["indicatorId"]
            .as_str()
            .expect("id")
            .to_owned();
        assert_eq!(
        app.count(&format!("SELECT COUNT(*) FROM indicator_values WHERE indicator_id = {ind} AND area_id = {} AND numerator = 3 AND denominator = 7", areas[0])).await,
        1,
        "V1: 3 of 7 said no"
    );
        assert_eq!(
            app.count(&format!(
                "SELECT COUNT(*) FROM indicator_values WHERE indicator_id = {ind}"
            ))
            .await,
            1
        );
        // Saving again (a later date or the same) updates instead of doubling.
        app.gql_ok(SAVE, json!({"s": id, "q": "sicher", "o": ["nein"]}))
            .await;
        assert_eq!(
            app.count(&format!(
                "SELECT COUNT(*) FROM indicator_values WHERE indicator_id = {ind}"
            ))
            .await,
            1
        );
        let bergheim = html.split("Bergheim").nth(1).expect("Bergheim row");
        assert!(
            bergheim[..200].contains("–"),
            "Bergheim suppressed on the page"
        );
        // The probe's attack: add seven own answers to the hidden group and subtract them. The
        // published results are frozen at publication, so the group stays as it was.
        for i in 0..7 {
            let (status, body) = send(
                &app.other_client(),
                &id,
                json!({"key": format!("padding-key-{i:08}"), "answers": answers(&areas[1], "ja")}),
            )
            .await;
            assert_eq!(status, 201, "{body}");
        }
        let after: Value = anon
            .get(&format!("/api/v1/surveys/{id}/results.json"))
            .await
            .json()
            .await
            .expect("json");
        assert_eq!(after["results"], public["results"], "frozen at publication");
        let staff = app.gql_ok(RESULTS, json!({"id": id})).await;
        assert_eq!(
            staff["surveyResults"]["results"]["responses"], 23,
            "the administration sees all"
        );
    }
);

db_test!(
    exports_are_coded_and_for_planners_only,
    |app: TestApp| async move {
        let (t, areas) = city(&app, "stadt").await;
        let id = open_survey(&app, &t, "PUBLIC", &areas).await;
        for (i, sicher) in ["ja", "nein"].into_iter().enumerate() {
            let phone = app.other_client();
            let mut a = answers(&areas[0], sicher);
            if sicher == "nein" {
                a["warum"] = json!({"type": "choices", "value": {"selected": ["laerm"], "other": "Baustelle; nachts"}});
                a["alter"] = json!({"type": "number", "value": 34});
            }
            let (status, _) = send(
                &phone,
                &id,
                json!({"key": format!("export-key-{i:07}"), "answers": a}),
            )
            .await;
            assert_eq!(status, 201);
        }
        let csv = app
            .get(&format!("/api/v1/surveys/{id}/responses.csv"))
            .await;
        assert_eq!(csv.status(), 200);
        assert!(csv.headers()["content-disposition"]
            .to_str()
            .unwrap_or_default()
            .contains("umfrage-"));
        let csv = csv.text().await.expect("csv");
        let lines: Vec<&str> = csv.trim_start_matches('\u{feff}').split("\r\n").collect();
        assert_eq!(
            lines[0],
            "nr;gebiet;quartier;sicher;warum_licht;warum_laerm;warum_other;alter;idee"
        );
        assert_eq!(lines[1], format!("1;V1;{};1;-2;-2;;-1;", areas[0]));
        assert_eq!(
            lines[2],
            format!("2;V1;{};2;0;1;Baustelle; nachts;34;", areas[0])
                .replace("Baustelle; nachts", "\"Baustelle; nachts\"")
        );
        let book = app
            .get(&format!("/api/v1/surveys/{id}/codebook.csv"))
            .await
            .text()
            .await
            .expect("codebook");
        assert!(
            book.contains("sicher;Fühlen Sie sich sicher?;;code;;"),
            "{book}"
        );
        assert!(book.contains("sicher;;;;2;Nein"));
        assert!(book.contains("warum_licht;;;;-2;nicht gefragt (Filter)"));
        let json: Value = app
            .get(&format!("/api/v1/surveys/{id}/responses.json"))
            .await
            .json()
            .await
            .expect("json");
        assert_eq!(json["responses"].as_array().map(Vec::len), Some(2));
        assert_eq!(json["responses"][1]["answers"]["alter"]["value"], 34.0);
        // Residents, moderators and anonymous visitors get no raw responses.
        let anon = app.other_client();
        assert_eq!(
            status(&anon, &format!("/api/v1/surveys/{id}/responses.csv")).await,
            401
        );
        let resident = app.other_client();
        resident
            .sign_in_as("anna@example.org", Some((&t, Role::Resident)))
            .await;
        assert_eq!(
            status(&resident, &format!("/api/v1/surveys/{id}/responses.json")).await,
            403
        );
        let moderator = app.other_client();
        moderator
            .sign_in_as("mod@example.org", Some((&t, Role::Moderator)))
            .await;
        assert_eq!(
            status(&moderator, &format!("/api/v1/surveys/{id}/codebook.csv")).await,
            403
        );
    }
);

/// A form POST as a browser without JavaScript sends it; returns the redirect target.
async fn form(c: &TestApp, path: &str, fields: &[(&str, &str)]) -> String {
    c.post_form(path, fields).await
}

db_test!(
    the_plain_form_answers_to_the_end,
    |app: TestApp| async move {
        let (t, areas) = city(&app, "stadt").await;
        let id = open_survey(&app, &t, "PUBLIC", &areas).await;
        let p = app.other_client();
        // The Quartier page of a target area invites to the open survey.
        let quartier = p.html(&format!("/quartier/{}", areas[0])).await;
        assert!(quartier.contains(&format!("href=\"/umfrage/{id}\"")));
        let start = p.html(&format!("/umfrage/{id}")).await;
        assert!(
            start.contains("Sicher im Viertel")
                && start.contains(&format!("action=\"/umfrage/{id}/start\""))
        );
        let to = form(&p, &format!("/umfrage/{id}/start"), &[("sprache", "de")]).await;
        assert_eq!(to, format!("/umfrage/{id}/seite/1"));
        let page = p.html(&to).await;
        assert!(
            page.contains("Schritt 1 von 3") && page.contains("Altdorf"),
            "{page}"
        );
        // Required questions left open, a word in a number field: back with the problems.
        let to = form(
            &p,
            &format!("/umfrage/{id}/seite/1"),
            &[
                ("angezeigt", "quartier,sicher,alter"),
                ("q.alter", "zwölf"),
                ("richtung", "weiter"),
            ],
        )
        .await;
        assert_eq!(to, format!("/umfrage/{id}/seite/1#fragen"));
        let page = p.html(&format!("/umfrage/{id}/seite/1")).await;
        assert!(
            page.contains("Bitte beantworten Sie diese Frage.")
                && page.contains("Bitte geben Sie eine Zahl ein"),
            "{page}"
        );
        assert!(page.contains("value=\"zwölf\""), "typed value kept");
        // "nein" reveals "warum" on the same page: shown again before going on.
        let to = form(
            &p,
            &format!("/umfrage/{id}/seite/1"),
            &[
                ("angezeigt", "quartier,sicher,alter"),
                ("q.quartier", &areas[1]),
                ("q.sicher", "nein"),
                ("q.alter", "41"),
                ("richtung", "weiter"),
            ],
        )
        .await;
        assert_eq!(to, format!("/umfrage/{id}/seite/1#fragen"));
        let page = p.html(&format!("/umfrage/{id}/seite/1")).await;
        assert!(page.contains("Zu Ihrer Antwort gibt es weitere Fragen"));
        let to = form(
            &p,
            &format!("/umfrage/{id}/seite/1"),
            &[
                ("angezeigt", "quartier,sicher,warum,alter"),
                ("q.quartier", &areas[1]),
                ("q.sicher", "nein"),
                ("q.warum", "licht"),
                ("q.alter", "41"),
                ("richtung", "weiter"),
            ],
        )
        .await;
        assert_eq!(to, format!("/umfrage/{id}/seite/2"));
        // Back keeps the answers.
        let to = form(
            &p,
            &format!("/umfrage/{id}/seite/2"),
            &[("q.idee", "Mehr Laternen"), ("richtung", "zurueck")],
        )
        .await;
        assert_eq!(to, format!("/umfrage/{id}/seite/1"));
        let page = p.html(&to).await;
        assert!(
            page.contains("value=\"41\"") && page.contains("value=\"licht\" checked"),
            "answers kept"
        );
        let page = p.html(&format!("/umfrage/{id}/seite/2")).await;
        assert!(page.contains(">Mehr Laternen</textarea>"));
        let to = form(
            &p,
            &format!("/umfrage/{id}/seite/2"),
            &[("q.idee", "Mehr Laternen"), ("richtung", "weiter")],
        )
        .await;
        assert_eq!(to, format!("/umfrage/{id}/abschluss"));
        let review = p.html(&to).await;
        assert!(
            review.contains("Bergheim")
                && review.contains("Dunkel")
                && review.contains("Mehr Laternen")
        );
        let to = form(&p, &format!("/umfrage/{id}/absenden"), &[("website", "")]).await;
        assert_eq!(to, format!("/umfrage/{id}/danke?sprache=de"));
        assert_eq!(app.count("SELECT COUNT(*) FROM survey_responses").await, 1);
        assert_eq!(
            app.count("SELECT COUNT(*) FROM survey_drafts").await,
            0,
            "draft removed"
        );
        // Sending again (a reload) stores nothing; the start page says it is answered.
        form(&p, &format!("/umfrage/{id}/absenden"), &[("website", "")]).await;
        assert_eq!(app.count("SELECT COUNT(*) FROM survey_responses").await, 1);
        let start = p.html(&format!("/umfrage/{id}")).await;
        assert!(start.contains("schon beantwortet"));
        // A closed survey says so on the form.
        app.gql_ok(STATUS, json!({"id": id, "s": "CLOSED"})).await;
        let q = app.other_client();
        let start = q.html(&format!("/umfrage/{id}")).await;
        assert!(start.contains("nimmt keine Antworten mehr an") && !start.contains("/start\""));
        let to = form(&q, &format!("/umfrage/{id}/start"), &[("sprache", "de")]).await;
        assert!(to.contains("fehler=SURVEY_CLOSED"), "{to}");
    }
);

db_test!(
    submissions_are_rate_limited_per_address,
    |app: TestApp| async move {
        let (t, areas) = city(&app, "stadt").await;
        let id = open_survey(&app, &t, "PUBLIC", &areas).await;
        // The default allows 120 per address and minute (a conference hall behind one router).
        let mut limited_at = None;
        for i in 0..125 {
            let phone = app.other_client();
            let (status, _) = send(
                &phone,
                &id,
                json!({"key": format!("rate-key-{i:08}"), "answers": answers(&areas[0], "ja")}),
            )
            .await;
            if status == 429 {
                limited_at = Some(i);
                break;
            }
            assert_eq!(status, 201);
        }
        assert_eq!(limited_at, Some(120));
    }
);

async fn stored_survey(app: &TestApp, id: &str) -> Value {
    app.gql_ok(
        "query($id: ID!) { survey(id: $id) { structure texts } }",
        json!({"id": id}),
    )
    .await["survey"]
        .clone()
}

db_test!(
    the_builder_pages_add_move_remove_and_translate,
    |app: TestApp| async move {
        let (_, areas) = city(&app, "stadt").await;
        // A new survey starts as a valid draft with one question.
        let to = form(&app, "/kommune/stadt/umfragen", &[("titel", "Spielplätze")]).await;
        let id = to
            .trim_start_matches("/umfrage/")
            .split('/')
            .next()
            .expect("id")
            .to_owned();
        assert!(to.ends_with("/verwaltung?hinweis=angelegt"), "{to}");
        let page = app.html(&to).await;
        assert!(page.contains("Ihre erste Frage") && page.contains("Frage hinzufügen"));
        let here = format!("/umfrage/{id}/verwaltung");
        let to = form(
            &app,
            &format!("{here}/frage"),
            &[
                ("teil", ""),
                ("neuer_teil", "Spielen im Viertel"),
                ("art", "multiple_choice"),
                ("text", "Wo spielen Ihre Kinder?"),
                ("antworten", "Spielplatz\r\nPark\r\n\r\nHof"),
                ("max", "2"),
                ("sonstiges", "1"),
                ("bedingung", "frage-1=ja"),
                ("pflicht", "1"),
            ],
        )
        .await;
        assert!(to.contains("hinweis=frage"), "{to}");
        let s = stored_survey(&app, &id).await;
        let q = &s["structure"]["sections"][1]["questions"][0];
        assert_eq!(q["key"], "wo-spielen-ihre-kinder");
        assert_eq!(
            q["show_if"],
            json!({"op": "is", "question": "frage-1", "option": "ja"})
        );
        assert_eq!(q["kind"]["options"].as_array().map(Vec::len), Some(3));
        assert_eq!(
            s["texts"]["de"]["section.spielen-im-viertel"],
            "Spielen im Viertel"
        );
        assert_eq!(s["texts"]["de"]["opt.wo-spielen-ihre-kinder.hof"], "Hof");
        // A single choice with one answer is refused with its reason; nothing changes.
        let to = form(
            &app,
            &format!("{here}/frage"),
            &[
                ("teil", "1"),
                ("art", "single_choice"),
                ("text", "Nur eins"),
                ("antworten", "ja"),
            ],
        )
        .await;
        assert!(to.contains("fehler=TOO_FEW_OPTIONS"), "{to}");
        // The first question is read by the new one's condition: it cannot be removed.
        let to = form(&app, &format!("{here}/frage-weg"), &[("frage", "frage-1")]).await;
        assert!(to.contains("fehler=QUESTION_REFERENCED"), "{to}");
        // Editing in place: the form comes filled in; key and type stay.
        let page = app.html(&here).await;
        assert!(
            page.contains("id=\"e-wo-spielen-ihre-kinder-text\"")
                && page.contains("value=\"Wo spielen Ihre Kinder?\"")
                && page.contains("Spielplatz\nPark\nHof</textarea>"),
            "{page}"
        );
        let to = form(
            &app,
            &format!("{here}/frage-aendern"),
            &[
                ("frage", "wo-spielen-ihre-kinder"),
                ("art", "multiple_choice"),
                ("text", "Wo spielen Ihre Kinder am liebsten?"),
                ("antworten", "Spielplatz\nPark\nHof\nSchulhof"),
                ("bedingung", "frage-1=ja"),
            ],
        )
        .await;
        assert!(to.contains("hinweis=gespeichert"), "{to}");
        let s = stored_survey(&app, &id).await;
        let q = &s["structure"]["sections"][1]["questions"][0];
        assert_eq!(q["key"], "wo-spielen-ihre-kinder");
        assert_eq!(q["required"], false);
        assert_eq!(q["kind"]["options"].as_array().map(Vec::len), Some(4));
        assert_eq!(
            s["texts"]["de"]["q.wo-spielen-ihre-kinder"],
            "Wo spielen Ihre Kinder am liebsten?"
        );
        // The first question's "ja" is read by that condition: it cannot be dropped; nor can
        // a question change its type.
        let first = stored_survey(&app, &id).await["structure"]["sections"][0]["questions"][0]
            ["kind"]["type"]
            .as_str()
            .expect("type")
            .to_owned();
        let to = form(
            &app,
            &format!("{here}/frage-aendern"),
            &[
                ("frage", "frage-1"),
                ("art", &first),
                ("text", "Ihre erste Frage"),
                ("antworten", "Vielleicht\nNein"),
            ],
        )
        .await;
        assert!(to.contains("fehler=CONDITION_OPTION_UNKNOWN"), "{to}");
        let to = form(
            &app,
            &format!("{here}/frage-aendern"),
            &[("frage", "frage-1"), ("art", "free_text"), ("text", "x")],
        )
        .await;
        assert!(to.contains("fehler=KIND_CHANGED"), "{to}");
        // A whole section shown only on an earlier answer; never on its own questions.
        let to = form(
            &app,
            &format!("{here}/teil-bedingung"),
            &[("teil", "2"), ("bedingung", "frage-1=nein")],
        )
        .await;
        assert!(to.contains("hinweis=gespeichert"), "{to}");
        let to = form(
            &app,
            &format!("{here}/teil-bedingung"),
            &[("teil", "1"), ("bedingung", "frage-1=nein")],
        )
        .await;
        assert!(to.contains("fehler=CONDITION_FORWARD"), "{to}");
        let s = stored_survey(&app, &id).await;
        assert_eq!(
            s["structure"]["sections"][1]["show_if"],
            json!({"op": "is", "question": "frage-1", "option": "nein"})
        );
        assert!(s["structure"]["sections"][0]["show_if"].is_null());
        // Translating: one column beside the German text.
        let page = app.html(&format!("/umfrage/{id}/texte?sprache=tr")).await;
        assert!(
            page.contains("Wo spielen Ihre Kinder am liebsten?")
                && page.contains("name=\"t.q.wo-spielen-ihre-kinder\"")
        );
        let to = form(
            &app,
            &format!("{here}/texte"),
            &[
                ("sprache", "tr"),
                ("t.q.wo-spielen-ihre-kinder", "Çocuklarınız nerede oynuyor?"),
                ("t.title", ""),
            ],
        )
        .await;
        assert!(to.contains("hinweis=gespeichert"), "{to}");
        let s = stored_survey(&app, &id).await;
        assert_eq!(
            s["texts"]["tr"]["q.wo-spielen-ihre-kinder"],
            "Çocuklarınız nerede oynuyor?"
        );
        assert!(
            s["texts"]["tr"].get("title").is_none(),
            "empty means: use German"
        );
        // Half translated: the builder says how far, respondents are not offered it yet (a
        // Turkish page would show German texts), and asking for it shows German.
        let page = app.html(&format!("/umfrage/{id}/texte?sprache=tr")).await;
        assert!(
            page.contains("1 von ") && page.contains("noch nicht übersetzt"),
            "{page}"
        );
        let manage = app.html(&format!("/umfrage/{id}/verwaltung")).await;
        assert!(
            manage.contains("noch nicht angeboten"),
            "state in the builder"
        );
        let start = app.html(&format!("/umfrage/{id}?sprache=tr")).await;
        assert!(!start.contains("?sprache=tr\""), "Türkçe not offered");
        assert!(start.contains("<div lang=\"de\""), "shown in German");
        let to = form(
            &app,
            &format!("{here}/texte"),
            &[("sprache", "Türkisch!"), ("t.title", "x")],
        )
        .await;
        assert!(to.contains("fehler=BAD_LANGUAGE"), "{to}");
        // Once answered, questions are frozen.
        form(&app, &format!("{here}/oeffnen"), &[]).await;
        let phone = app.other_client();
        let (status, body) = send(&phone, &id, json!({"key": "builder-key-000001", "answers": {"frage-1": {"type": "choice", "value": "nein"}}})).await;
        assert_eq!(status, 201, "{body}");
        let to = form(
            &app,
            &format!("{here}/frage"),
            &[("teil", "1"), ("art", "free_text"), ("text", "Noch was?")],
        )
        .await;
        assert!(to.contains("fehler=SURVEY_FROZEN"), "{to}");
        let _ = areas;
    }
);

db_test!(
    builders_preview_a_draft_without_storing,
    |app: TestApp| async move {
        let (t, areas) = city(&app, "stadt").await;
        let d = app
            .gql_ok(
                CREATE,
                json!({"t": t.id.to_string(), "i": survey_input("PUBLIC", &areas)}),
            )
            .await;
        let id = d["createSurvey"]["id"].as_str().expect("id").to_owned();
        // The builder walks through the draft to the end: nothing is stored.
        let start = app.html(&format!("/umfrage/{id}")).await;
        assert!(start.contains("Vorschau") && start.contains(&format!("/umfrage/{id}/start")));
        let to = form(&app, &format!("/umfrage/{id}/start"), &[("sprache", "de")]).await;
        assert_eq!(to, format!("/umfrage/{id}/seite/1"));
        let to = form(
            &app,
            &format!("/umfrage/{id}/seite/1"),
            &[
                ("angezeigt", "quartier,sicher,alter"),
                ("q.quartier", &areas[0]),
                ("q.sicher", "ja"),
                ("richtung", "weiter"),
            ],
        )
        .await;
        assert_eq!(to, format!("/umfrage/{id}/seite/2"));
        let to = form(
            &app,
            &format!("/umfrage/{id}/seite/2"),
            &[("richtung", "weiter")],
        )
        .await;
        assert_eq!(to, format!("/umfrage/{id}/abschluss"));
        let to = form(&app, &format!("/umfrage/{id}/absenden"), &[("website", "")]).await;
        assert_eq!(to, format!("/umfrage/{id}/danke?sprache=de&vorschau=1"));
        assert_eq!(app.count("SELECT COUNT(*) FROM survey_responses").await, 0);
        // Nobody else can start the draft.
        let other = app.other_client();
        let to = other
            .post_form(&format!("/umfrage/{id}/start"), &[("sprache", "de")])
            .await;
        assert!(to.contains("fehler=NOT_FOUND"), "{to}");
    }
);

const POSTCODES: &str = "mutation($t: String!, $csv: String!) {
    replacePostcodes(tenant: $t, csv: $csv) { postcode areaId areaName } }";

db_test!(a_postcode_names_the_quartier, |app: TestApp| async move {
    let (t, areas) = city(&app, "stadt").await;
    let id = open_survey(&app, &t, "PUBLIC", &areas).await;
    // The table by area code and by name; 10002 touches two Viertel.
    let d = app
            .gql_ok(
                POSTCODES,
                json!({"t": "stadt", "csv": "PLZ;Gebiet\n10001;V1\n10002;Bergheim\n10002;V3\n10004;V4\n"}),
            )
            .await;
    assert_eq!(d["replacePostcodes"].as_array().map(Vec::len), Some(4));
    let rows = "SELECT COUNT(*) FROM postcode_areas";
    assert_eq!(app.count(rows).await, 4);

    // A file with broken rows changes nothing and names every broken line.
    let upload = |content: &'static str| {
        reqwest::multipart::Form::new()
            .part(
                "datei",
                reqwest::multipart::Part::bytes(content.as_bytes()).file_name("plz.csv"),
            )
            .text("text", "")
    };
    let to = app
        .post_multipart(
            "/kommune/stadt/postleitzahlen",
            upload("plz;gebiet\n10001;V1\n1000x;V2\n10005;Nirgendwo\n"),
        )
        .await;
    let page = app.html(&to).await;
    assert!(
        page.contains("Zeile 3: „1000x“ ist keine fünfstellige Postleitzahl")
            && page.contains("Zeile 4: kein Gebiet mit Schlüssel oder Namen „Nirgendwo“"),
        "{page}"
    );
    assert_eq!(app.count(rows).await, 4, "nothing replaced");
    assert!(
        page.contains("Bergheim, ") || page.contains("Bergheim</a>, "),
        "table listed"
    );

    // Residents neither see nor change the table.
    let resident = app.other_client();
    resident
        .sign_in_as("anwohner@stadt.test", Some((&t, Role::Resident)))
        .await;
    let r = resident
        .gql(POSTCODES, json!({"t": "stadt", "csv": "10001;V2"}))
        .await;
    assert_eq!(error_code(&r), "FORBIDDEN");
    assert_eq!(app.count(rows).await, 4);

    // Answering: the page offers the postcode field and carries the table for the browser.
    let p = app.other_client();
    form(&p, &format!("/umfrage/{id}/start"), &[("sprache", "de")]).await;
    let page = p.html(&format!("/umfrage/{id}/seite/1")).await;
    assert!(
        page.contains("name=\"q.quartier.plz\"") && page.contains("data-postcodes="),
        "{page}"
    );
    let send_page = |plz: &'static str| {
        let p = &p;
        let id = &id;
        async move {
            form(
                p,
                &format!("/umfrage/{id}/seite/1"),
                &[
                    ("angezeigt", "quartier,sicher,alter"),
                    ("q.quartier", ""),
                    ("q.quartier.plz", plz),
                    ("q.sicher", "ja"),
                    ("richtung", "weiter"),
                ],
            )
            .await
        }
    };
    for (plz, message) in [
        ("10002", "Zu dieser Postleitzahl gehören mehrere Quartiere"),
        (
            "99999",
            "Diese Postleitzahl gehört zu keinem Quartier der Umfrage",
        ),
        ("12", "Bitte geben Sie eine fünfstellige Postleitzahl ein"),
    ] {
        assert_eq!(
            send_page(plz).await,
            format!("/umfrage/{id}/seite/1#fragen")
        );
        let page = p.html(&format!("/umfrage/{id}/seite/1")).await;
        assert!(page.contains(message), "{plz}: {page}");
        assert!(
            page.contains(&format!("value=\"{plz}\"")),
            "typed postcode kept"
        );
    }
    assert_eq!(send_page("D-10001").await, format!("/umfrage/{id}/seite/2"));
    let to = form(
        &p,
        &format!("/umfrage/{id}/seite/2"),
        &[("q.idee", ""), ("richtung", "weiter")],
    )
    .await;
    assert_eq!(to, format!("/umfrage/{id}/abschluss"));
    let review = p.html(&to).await;
    assert!(review.contains("Altdorf"), "{review}");
});

db_test!(
    respondents_get_the_form_in_their_language,
    |app: TestApp| async move {
        let (t, areas) = city(&app, "stadt").await;
        let id = open_survey(&app, &t, "PUBLIC", &areas).await;
        let p = app.other_client();
        // Turkish has one text of ten: not offered yet, so a Turkish link shows German.
        let start = p.html(&format!("/umfrage/{id}?sprache=tr")).await;
        assert!(start.contains("Umfrage beginnen") && !start.contains("Ankete başla"));
        let to = form(
            &app,
            &format!("/umfrage/{id}/verwaltung/texte"),
            &[
                ("sprache", "tr"),
                ("t.title", "Mahallede güvenlik"),
                ("t.q.quartier", "Mahalleniz?"),
                ("t.q.sicher", "Güvende hissediyor musunuz?"),
                ("t.opt.sicher.ja", "Evet"),
                ("t.opt.sicher.nein", "Hayır"),
                ("t.q.warum", "Neden değil?"),
                ("t.opt.warum.licht", "Karanlık"),
                ("t.opt.warum.laerm", "Gürültülü"),
                ("t.q.alter", "Yaşınız"),
                ("t.q.idee", "Fikriniz"),
            ],
        )
        .await;
        assert!(to.contains("hinweis=gespeichert"), "{to}");
        let start = p.html(&format!("/umfrage/{id}?sprache=tr")).await;
        assert!(
            start.contains("Ankete başla") && start.contains("Veri koruma"),
            "the platform's words in Turkish: {start}"
        );
        let to = form(&p, &format!("/umfrage/{id}/start"), &[("sprache", "tr")]).await;
        let page = p.html(&to).await;
        assert!(
            page.contains("Güvende hissediyor musunuz?")
                && page.contains("Adım 1 / 3")
                && page.contains(">İleri<")
                && page.contains(">Geri<"),
            "{page}"
        );
        assert!(
            page.contains("Mahalleniz?") && !page.contains("Ihr Viertel?"),
            "every text in Turkish"
        );
        form(
            &p,
            &format!("/umfrage/{id}/seite/1"),
            &[
                ("angezeigt", "quartier,sicher,alter"),
                ("q.alter", "zwölf"),
                ("richtung", "weiter"),
            ],
        )
        .await;
        let page = p.html(&format!("/umfrage/{id}/seite/1")).await;
        assert!(
            page.contains("Lütfen bu soruyu cevaplayın.")
                && page.contains("Lütfen bir sayı girin")
                && !page.contains("Bitte beantworten Sie diese Frage."),
            "the problems in Turkish: {page}"
        );
        // The planners' pages stay German.
        let manage = app.html(&format!("/umfrage/{id}/verwaltung")).await;
        assert!(manage.contains("Umfrage verwalten") && !manage.contains("İleri"));
    }
);

db_test!(
    a_page_of_answers_gone_says_so_with_a_title,
    |app: TestApp| async move {
        let (t, areas) = city(&app, "stadt").await;
        let id = open_survey(&app, &t, "PUBLIC", &areas).await;
        // A page of the survey opened without starting it (a bookmark, answers older than 24 h).
        let page = app
            .other_client()
            .html(&format!("/umfrage/{id}/seite/1"))
            .await;
        assert!(
            page.contains("nicht mehr vorhanden") && page.contains("<title>Umfragen"),
            "{page}"
        );
    }
);
