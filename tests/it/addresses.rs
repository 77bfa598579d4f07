//! The address register through the real server: planners replace it from a file (all rows
//! checked first), try an address against it, and entries given by their address only land on
//! their house and in its Quartier.

use qn_domain::tenancy::Role;
use qn_tests::*;

const PAGE: &str = "/kommune/stadt/angebote/adressen";

/// Uploads a register through the planners' form; returns where it led.
async fn upload(app: &TestApp, text: &str, crs: &str) -> String {
    upload_address_register(app, "stadt", text, crs).await
}

/// Viertel V1–V4 side by side from lon 7.00 (V2 "Bergheim" is lon 7.01–7.02, lat 50.00–50.01).
const REGISTER: &str = "strasse;hausnummer;zusatz;plz;ort;lon;lat\n\
    Bergweg;12;;12345;Stadt;7,015;50,005\n\
    Bergweg;12;a;12345;Stadt;7.0152;50.0051\n\
    Hauptstraße;1;;12345;Stadt;7.025;50.005\n\
    Hauptstraße;1;;12399;Stadt;7.035;50.005\n";

async fn actor_by_address(app: &TestApp, street: &str, postcode: &str) -> String {
    app.post_form(
        "/kommune/stadt/anbieten",
        &[
            ("name", "Nachbarschaftstreff Bergheim"),
            ("art", "verein"),
            ("strasse", street),
            ("plz", postcode),
        ],
    )
    .await
}

db_test!(
    entries_given_by_their_address_land_on_their_house,
    |app: TestApp| async move {
        let t = CityBuilder::new("stadt").build(&app).await.tenant;
        let provider = app.other_client();
        provider.sign_in_as("verein@nachbarn.test", None).await;

        // Without a register an address alone is refused, and the page says why.
        let to = actor_by_address(&provider, "Bergweg 12", "12345").await;
        assert!(
            provider
                .html(&to)
                .await
                .contains("Zur Adresse fehlt der Ort"),
            "{to}"
        );
        assert!(app.html(PAGE).await.contains("Noch kein Adressverzeichnis"));

        // A file with a broken row changes nothing and names the row.
        let broken = format!("{REGISTER}Bergweg;zwölf;;12345;Stadt;7.015;50.005\nTalweg;3;;12345;Stadt;356560;5645227\n");
        let to = upload(&app, &broken, "EPSG:25832").await;
        assert!(to.contains("fehler=VALIDATION"), "{to}");
        let page = app.html(&to).await;
        assert!(
            page.contains("Zeile 6: „zwölf“ ist keine Hausnummer") && page.contains("Zeile 7"),
            "{page}"
        );
        assert_eq!(app.count("SELECT COUNT(*) FROM address_points").await, 0);

        let to = upload(&app, REGISTER, "EPSG:25832").await;
        assert_eq!(to, format!("{PAGE}?hinweis=gespeichert&haeuser=4"));
        let page = app.html(&to).await;
        assert!(
            page.contains("Das Adressverzeichnis wurde gespeichert.")
                && page.contains("<strong>4</strong>"),
            "{page}"
        );

        // The planner tries an address: the point and its Quartier.
        let page = app
            .html(&format!("{PAGE}?adresse=Bergweg+12%2C+12345+Stadt"))
            .await;
        assert!(
            page.contains("50.00500, 7.01500") && page.contains(">Bergheim</a>"),
            "{page}"
        );
        let page = app.html(&format!("{PAGE}?adresse=Bergweg+99")).await;
        assert!(page.contains("steht nicht im Adressverzeichnis"), "{page}");

        // The provider's address alone now places the entry in Bergheim and its Bezirk, as
        // written ("Bergweg 12 a" is the register's "12a").
        let to = actor_by_address(&provider, "Bergweg 12 a", "").await;
        assert!(to.ends_with("?hinweis=wartet"), "{to}");
        assert_eq!(
            app.count(
                "SELECT COUNT(*) FROM directory_actors WHERE lon > 7.01519 AND lon < 7.01521 AND lat > 50.00509 AND lat < 50.00511"
            )
            .await,
            1
        );
        assert_eq!(
            app.count(
                "SELECT COUNT(*) FROM directory_actor_areas x JOIN areas a ON a.id = x.area_id WHERE a.name IN ('Bergheim', 'Nord')"
            )
            .await,
            2
        );

        // The moderation card says where it will show.
        let moderator = app.other_client();
        moderator
            .sign_in_as("moderation@stadt.test", Some((&t, Role::Moderator)))
            .await;
        let card = moderator.html("/kommune/stadt/angebote/pruefen").await;
        assert!(
            card.contains("Ort (Breite, Länge): 50.00510, 7.01520")
                && card.contains(">Bergheim</a>"),
            "{card}"
        );

        // An address the register lacks, or one it has twice, is refused with what to do.
        let to = actor_by_address(&provider, "Bergweg 99", "").await;
        assert!(
            provider
                .html(&to)
                .await
                .contains("„Bergweg 99“ steht nicht im Adressverzeichnis"),
            "{to}"
        );
        let to = actor_by_address(&provider, "Hauptstr. 1", "").await;
        let page = provider.html(&to).await;
        assert!(
            page.contains("Diese Adresse gibt es mehrmals (12345 Stadt, 12399 Stadt)"),
            "{page}"
        );
        let to = actor_by_address(&provider, "Hauptstr. 1", "12399").await;
        assert!(to.ends_with("?hinweis=wartet"), "{to}");
        assert_eq!(app.count("SELECT COUNT(*) FROM directory_actors").await, 2);

        // The register is the planners'; a provider neither reads nor replaces it.
        assert_eq!(provider.get(PAGE).await.status(), 403);
        let to = upload(
            &provider,
            "strasse;hausnummer;lon;lat\nA;1;7.0;50.0\n",
            "EPSG:25832",
        )
        .await;
        assert!(to.contains("fehler=FORBIDDEN"), "{to}");
        assert_eq!(app.count("SELECT COUNT(*) FROM address_points").await, 4);

        // A new file replaces the old one whole; houses in metres (UTM) become degrees.
        let to = upload(
            &app,
            "STN;HNR;PLZ;OSTWERT;NORDWERT\nDomkloster;4;50667;356560.26;5645227.28\n",
            "EPSG:25832",
        )
        .await;
        assert_eq!(to, format!("{PAGE}?hinweis=gespeichert&haeuser=1"));
        assert_eq!(
            app.count("SELECT COUNT(*) FROM address_points WHERE lon > 6.95 AND lon < 6.97")
                .await,
            1
        );
    }
);

db_test!(
    a_board_post_may_give_its_place_as_an_address,
    |app: TestApp| async move {
        let t = CityBuilder::new("stadt").build(&app).await.tenant;
        let b = app
            .gql_ok(
                "mutation($t: ID!, $i: BoardSettings!) { createBoard(tenantId: $t, input: $i) { id } }",
                qn_tests::serde_json::json!({"t": t.id.to_string(), "i": {"title": "Ideen", "access": "ACCOUNTS"}}),
            )
            .await["createBoard"]["id"]
            .as_str()
            .expect("board")
            .to_owned();
        let anna = app.other_client();
        anna.sign_in_as("anna@example.org", None).await;
        let send = |address: &'static str| {
            let (anna, b) = (&anna, b.clone());
            async move {
                let r = anna
                    .client
                    .post(format!("{}/pinnwand/{b}/beitraege", anna.url))
                    .header("origin", &anna.url)
                    .form(&[
                        ("art", "concern"),
                        ("titel", "Dunkler Weg"),
                        ("text", "Abends kein Licht"),
                        ("adresse", address),
                    ])
                    .send()
                    .await
                    .expect("post");
                assert_eq!(r.status(), 303);
                r.headers()["location"]
                    .to_str()
                    .expect("location")
                    .to_owned()
            }
        };
        // Without a register the address cannot be placed, and the form says so.
        let to = send("Bergweg 12").await;
        assert!(to.contains("fehler=NO_ADDRESS_REGISTER"), "{to}");

        let to = upload(&app, REGISTER, "EPSG:25832").await;
        assert!(to.contains("hinweis=gespeichert"), "{to}");
        let to = send("Bergweg 99, 12345").await;
        assert!(to.contains("fehler=ADDRESS_UNKNOWN"), "{to}");
        let to = send("Bergweg 12, 12345 Stadt").await;
        assert!(to.ends_with("?hinweis=erstellt"), "{to}");
        let post = to
            .strip_prefix("/beitrag/")
            .and_then(|r| r.split('?').next())
            .expect("post id")
            .to_owned();
        assert_eq!(
            app.count(&format!(
                "SELECT COUNT(*) FROM board_posts WHERE id = {post} AND lon > 7.0149 AND lon < 7.0151"
            ))
            .await,
            1
        );
        let areas = app
            .gql_ok(
                "query($id: ID!) { post(id: $id) { areaIds } }",
                qn_tests::serde_json::json!({"id": post}),
            )
            .await;
        let bergheim = app
            .count("SELECT CAST(id AS BIGINT) FROM areas WHERE name = 'Bergheim'")
            .await
            .to_string();
        assert!(
            areas["post"]["areaIds"]
                .as_array()
                .is_some_and(|a| a.iter().any(|id| id.as_str() == Some(bergheim.as_str()))),
            "{areas}"
        );
    }
);

db_test!(
    an_address_is_found_before_anything_is_saved,
    |app: TestApp| async move {
        CityBuilder::new("stadt").build(&app).await;
        // Anyone may look up where an address lies (a resident answering a survey, too).
        let visitor = app.other_client();
        let find = |a: &'static str| locate_address(&visitor, "stadt", a);
        // Without a register there is nothing to find, which is not an error.
        let r = find("Bergweg 12").await;
        assert!(
            r["data"]["locateAddress"].is_null() && r["errors"].is_null(),
            "{r}"
        );
        upload(&app, REGISTER, "EPSG:25832").await;
        let r = find("Bergweg 12, 12345 Stadt").await;
        let found = &r["data"]["locateAddress"];
        assert_eq!(found["lat"].as_f64(), Some(50.005), "{r}");
        assert_eq!(found["lon"].as_f64(), Some(7.015), "{r}");
        let names: Vec<&str> = found["areas"]
            .as_array()
            .map(|a| a.iter().filter_map(|x| x["name"].as_str()).collect())
            .unwrap_or_default();
        assert_eq!(names, ["Nord", "Bergheim"], "{r}");
        let code = |r: &qn_tests::serde_json::Value| {
            r["errors"][0]["extensions"]["code"]
                .as_str()
                .unwrap_or_default()
                .to_owned()
        };
        let r = find("Bergweg 99").await;
        assert_eq!(error_code(&r), "ADDRESS_UNKNOWN", "{r}");
        assert!(
            r["errors"][0]["message"]
                .as_str()
                .is_some_and(|m| m.contains("„Bergweg 99“ steht nicht im Adressverzeichnis")),
            "{r}"
        );
        let r = find("Hauptstraße 1").await;
        assert_eq!(error_code(&r), "ADDRESS_AMBIGUOUS", "{r}");
        let long: &'static str = Box::leak("x".repeat(201).into_boxed_str());
        assert_eq!(code(&find(long).await), "VALIDATION");
        let r = locate_address(&visitor, "nirgendwo", "Bergweg 12").await;
        assert_eq!(error_code(&r), "NOT_FOUND", "{r}");
    }
);

db_test!(
    a_survey_point_may_be_given_as_an_address_without_javascript,
    |app: TestApp| async move {
        use qn_tests::serde_json::json;
        let t = CityBuilder::new("stadt").build(&app).await.tenant;
        upload(&app, REGISTER, "EPSG:25832").await;
        let bergheim = app
            .count("SELECT CAST(id AS BIGINT) FROM areas WHERE name = 'Bergheim'")
            .await
            .to_string();
        let d = app
            .gql_ok(
                "mutation($t: ID!, $i: SurveyInput!) { createSurvey(tenantId: $t, input: $i) { id } }",
                json!({"t": t.id.to_string(), "i": {
                    "access": "PUBLIC", "targetAreaIds": [bergheim],
                    "structure": {"sections": [{"key": "wo", "questions": [
                        {"key": "ort", "required": true, "kind": {"type": "map_point"}}]}]},
                    "texts": {"de": {"title": "Dunkle Ecken", "q.ort": "Wo ist es dunkel?"}}}}),
            )
            .await;
        let id = d["createSurvey"]["id"].as_str().expect("id").to_owned();
        app.gql_ok(
            "mutation($id: ID!, $s: SurveyStatus!) { setSurveyStatus(id: $id, status: $s) { status } }",
            json!({"id": id, "s": "OPEN"}),
        )
        .await;

        let p = app.other_client();
        p.post_form(&format!("/umfrage/{id}/start"), &[("sprache", "de")])
            .await;
        let page1 = format!("/umfrage/{id}/seite/1");
        let html = p.html(&page1).await;
        assert!(
            html.contains("name=\"q.ort.address\"")
                && html.contains("Oder eine Adresse in der Nähe"),
            "{html}"
        );
        let answer = |address: &'static str| {
            let (p, page1) = (&p, page1.clone());
            async move {
                p.post_form(
                    &page1,
                    &[
                        ("angezeigt", "ort"),
                        ("q.ort.address", address),
                        ("richtung", "weiter"),
                    ],
                )
                .await
            }
        };
        // An unknown address, one in two places, and a house outside the survey's Quartier:
        // each is named at the question, and nothing is kept.
        for (address, says) in [
            ("Bergweg 99", "Diese Adresse kennen wir nicht."),
            ("Hauptstraße 1", "Diese Adresse gibt es mehrmals."),
            (
                "Hauptstraße 1, 12399",
                "Dieser Ort liegt nicht im Gebiet der Umfrage.",
            ),
        ] {
            let to = answer(address).await;
            assert_eq!(to, format!("{page1}#fragen"), "{address}");
            let html = p.html(&page1).await;
            assert!(html.contains(says), "{address}: {html}");
        }
        // A house of the register is the point, as if tapped; the address is not stored.
        let to = answer("Bergweg 12, 12345 Stadt").await;
        assert_eq!(to, format!("/umfrage/{id}/abschluss"));
        let to = p
            .post_form(&format!("/umfrage/{id}/absenden"), &[("website", "")])
            .await;
        assert!(to.starts_with(&format!("/umfrage/{id}/danke")), "{to}");
        assert_eq!(
            app.count(
                "SELECT COUNT(*) FROM survey_responses WHERE answers LIKE '%7.015%' AND answers LIKE '%50.005%' AND answers NOT LIKE '%Bergweg%'"
            )
            .await,
            1
        );
    }
);
