//! The actor and offer directory through the real server: providers' self-service with
//! moderation and audit, refused input, placement (also after boundaries change), search and
//! facets, the Quartier page, staleness, bulk import and the open-data exports.

use qn_domain::tenancy::{Role, TenantKind};
use qn_tests::serde_json::{json, Value};
use qn_tests::*;

/// A Kommune with four Viertel (V1–V4 side by side from lon 7.00, lat 50.00–50.01), imported by
/// a planner signed in on `app`; returns the Viertel ids by code.
async fn city(app: &TestApp) -> std::collections::HashMap<String, i64> {
    city_and_level(app).await.0
}

/// [`city`] and the id of the Viertel level.
async fn city_and_level(app: &TestApp) -> (std::collections::HashMap<String, i64>, String) {
    let c = CityBuilder::new("stadt").build(app).await;
    (c.viertel_by_code(), c.viertel_level)
}

/// Posts a form as a same-origin browser; returns the redirect target.
async fn post(app: &TestApp, path: &str, fields: &[(&str, &str)]) -> String {
    app.post_form(path, fields).await
}

async fn post_owned(app: &TestApp, path: &str, fields: &[(&'static str, String)]) -> String {
    let f: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
    post(app, path, &f).await
}

/// An actor and an offer entered by the staff member signed in on `app` (public at once):
/// (actor id, offer id).
async fn staff_offer(app: &TestApp, title: &str) -> (i64, i64) {
    OfferBuilder::new("stadt", title).build(app).await
}

async fn search(app: &TestApp, query: &str) -> Value {
    let r = app
        .get(&format!("/api/v1/kommune/stadt/angebote.geojson?{query}"))
        .await;
    assert_eq!(r.status(), 200);
    r.json().await.expect("geojson")
}

fn titles(fc: &Value) -> Vec<String> {
    fc["features"]
        .as_array()
        .map(|l| {
            l.iter()
                .map(|f| {
                    f["properties"]["title"]
                        .as_str()
                        .unwrap_or_default()
                        .to_owned()
                })
                .collect()
        })
        .unwrap_or_default()
}

db_test!(
    providers_publish_through_moderation,
    |app: TestApp| async move {
        city(&app).await;
        let t = tenant_by_slug(&app, "stadt").await;

        // A provider registers (no role in the Kommune yet) and enters an actor: it waits.
        let provider = app.other_client();
        provider.sign_in_as("verein@nachbarn.test", None).await;
        let to = post(&provider, "/kommune/stadt/anbieten", ACTOR_FORM).await;
        assert!(to.ends_with("?hinweis=wartet"), "{to}");
        let actor = id_in(&to, "/akteur/");
        assert_eq!(
            app.count("SELECT COUNT(*) FROM memberships WHERE role = 'provider'")
                .await,
            1
        );
        // Script and the javascript: link are gone; the text stays.
        let html = provider.html(&format!("/akteur/{actor}")).await;
        assert!(
            html.contains("Wir helfen im Viertel.")
                && !html.contains("<script>alert")
                && !html.contains("javascript:"),
            "{html}"
        );
        assert!(html.contains("Die Moderation prüft ihn"), "pending notice");
        // Nobody else sees it yet.
        let anonymous = app.other_client();
        assert_eq!(
            anonymous.get(&format!("/akteur/{actor}")).await.status(),
            404
        );
        // Placed in its Viertel and the Bezirk above.
        assert_eq!(
            app.count(&format!(
                "SELECT COUNT(*) FROM directory_actor_areas WHERE actor_id = {actor}"
            ))
            .await,
            2
        );

        // An offer at the actor's place, waiting too.
        let to = post_owned(
            &provider,
            &format!("/akteur/{actor}/angebot-neu"),
            &offer_form("Hausaufgabenhilfe Altdorf"),
        )
        .await;
        let o = id_in(&to, "/angebot/");
        assert!(
            titles(&search(&app, "q=hausaufgaben").await).is_empty(),
            "not public before approval"
        );

        // The moderator's queue lists both; approving publishes them into the search.
        let moderator = app.other_client();
        moderator
            .sign_in_as("moderation@stadt.test", Some((&t, Role::Moderator)))
            .await;
        let queue = moderator.html("/kommune/stadt/angebote/pruefen").await;
        assert!(
            queue.contains("Nachbarschaftshilfe Altdorf e.V.")
                && queue.contains("Hausaufgabenhilfe Altdorf"),
            "{queue}"
        );
        // Providers cannot approve.
        let to = post(
            &provider,
            "/kommune/stadt/angebote/pruefen",
            &[
                ("art", "offer"),
                ("id", &o.to_string()),
                ("aktion", "freigeben"),
            ],
        )
        .await;
        assert!(to.contains("fehler=FORBIDDEN"), "{to}");
        for (kind, id) in [("actor", actor), ("offer", o)] {
            let to = post(
                &moderator,
                "/kommune/stadt/angebote/pruefen",
                &[
                    ("art", kind),
                    ("id", &id.to_string()),
                    ("aktion", "freigeben"),
                ],
            )
            .await;
            assert!(to.ends_with("hinweis=freigegeben"), "{to}");
        }
        assert_eq!(
            app.count("SELECT COUNT(*) FROM outbox WHERE recipient = 'verein@nachbarn.test'")
                .await,
            2
        );

        // Another provider may not edit it.
        let stranger = app.other_client();
        stranger
            .sign_in_as("fremd@anders.test", Some((&t, Role::Provider)))
            .await;
        let to = post_owned(
            &stranger,
            &format!("/angebot/{o}/bearbeiten"),
            &offer_form("Gekapert"),
        )
        .await;
        assert!(to.contains("fehler=FORBIDDEN"), "{to}");

        // The (untrusted) provider's change waits; the public keeps seeing the published title.
        let to = post_owned(
            &provider,
            &format!("/angebot/{o}/bearbeiten"),
            &offer_form("Hausaufgabenhilfe Altdorf (neu)"),
        )
        .await;
        assert!(to.ends_with("hinweis=wartet"), "{to}");
        assert!(!anonymous
            .html(&format!("/angebot/{o}"))
            .await
            .contains("(neu)"));
        let queue = moderator.html("/kommune/stadt/angebote/pruefen").await;
        assert!(queue.contains("geändert: Titel"), "{queue}");
        let to = post(
            &moderator,
            "/kommune/stadt/angebote/pruefen",
            &[
                ("art", "offer"),
                ("id", &o.to_string()),
                ("aktion", "ablehnen"),
                ("grund", "Bitte ohne Klammern"),
            ],
        )
        .await;
        assert!(to.ends_with("hinweis=abgelehnt"), "{to}");
        assert!(provider
            .html(&format!("/angebot/{o}"))
            .await
            .contains("Bitte ohne Klammern"));
        assert!(!anonymous
            .html(&format!("/angebot/{o}"))
            .await
            .contains("(neu)"));

        // Approved with trust: the next change is live at once.
        post_owned(
            &provider,
            &format!("/angebot/{o}/bearbeiten"),
            &offer_form("Hausaufgabenhilfe im Viertel"),
        )
        .await;
        post(
            &moderator,
            "/kommune/stadt/angebote/pruefen",
            &[
                ("art", "offer"),
                ("id", &o.to_string()),
                ("aktion", "freigeben"),
                ("vertrauen", "1"),
            ],
        )
        .await;
        assert_eq!(
            titles(&search(&app, "q=viertel").await),
            vec!["Hausaufgabenhilfe im Viertel"]
        );
        let to = post_owned(
            &provider,
            &format!("/angebot/{o}/bearbeiten"),
            &offer_form("Lernhilfe im Viertel"),
        )
        .await;
        assert!(to.ends_with("hinweis=gespeichert"), "{to}");
        assert_eq!(
            titles(&search(&app, "q=lernhilfe").await),
            vec!["Lernhilfe im Viertel"]
        );

        // Every step is in the audit trail.
        let audit = app
            .count(&format!(
                "SELECT COUNT(*) FROM audit_log WHERE subject = 'offer:{o}'"
            ))
            .await;
        assert_eq!(
            audit, 7,
            "created, approved, submitted, rejected, submitted, approved, changed"
        );

        // Deleting removes it from the search.
        post(&provider, &format!("/angebot/{o}/loeschen"), &[]).await;
        assert!(titles(&search(&app, "q=lernhilfe").await).is_empty());
    }
);

db_test!(
    refused_actor_input_is_named_kept_and_signed,
    |app: TestApp| async move {
        city(&app).await;
        let provider = app.other_client();
        provider.sign_in_as("verein@nachbarn.test", None).await;
        // Bad input: every problem named, what was typed shown again, nothing stored.
        let bad = [
            ("name", "Zweiter Verein"),
            ("art", "verein"),
            ("website", "javascript:alert(1)"),
            ("strasse", "Ohne Koordinaten 5"),
        ];
        let to = post(&provider, "/kommune/stadt/anbieten", &bad).await;
        assert!(to.contains("entwurf=") && to.contains("fehler="), "{to}");
        let page = provider.html(&to).await;
        assert!(
            page.contains("Die Webadresse muss mit http:// oder https:// beginnen."),
            "{page}"
        );
        assert!(page.contains("Zur Adresse fehlt der Ort"), "{page}");
        assert!(page.contains("value=\"Zweiter Verein\""), "typed name kept");
        // The detail travels signed: a link with other text, or without the signature, shows
        // the code's own text only (no phishing notice in the page's name).
        let forged = format!(
            "{}&meldung=Ihr+Konto+wird+gesperrt%2C+melden+Sie+sich+auf+evil.example+an",
            to.split("&meldung=").next().unwrap_or_default()
        );
        let sig = to.split("&zeichen=").nth(1).unwrap_or_default();
        for url in [
            format!("{forged}&zeichen={sig}"),
            forged.clone(),
            "/anmelden?fehler=VALIDATION&meldung=Ihr+Konto+wird+gesperrt&zeichen=AAAAAAAAAAAAAAAAAAAAAAAA".to_owned(),
        ] {
            let page = provider.html(&url).await;
            assert!(!page.contains("gesperrt"), "{url}: {page}");
            assert!(page.contains("role=\"alert\""), "{url}: the code's text is still shown");
        }
        let outside = [
            ("name", "Weit weg"),
            ("art", "verein"),
            ("lat", "52.5"),
            ("lon", "13.4"),
        ];
        let to = post(&provider, "/kommune/stadt/anbieten", &outside).await;
        assert!(provider.html(&to).await.contains("außerhalb der Gebiete"));
        assert_eq!(
            app.count("SELECT COUNT(*) FROM directory_actors").await,
            0,
            "nothing refused is stored"
        );
    }
);

db_test!(
    published_offers_are_found_by_words_facets_place_and_area,
    |app: TestApp| async move {
        let areas = city(&app).await;
        let (_, o) = staff_offer(&app, "Hausaufgabenhilfe Altdorf").await;
        let anonymous = app.other_client();
        // Found by a misspelt word and a facet; not by a facet it lacks.
        assert_eq!(
            titles(&search(&app, "q=hausaufgabn&kategorie=hausaufgaben").await),
            vec!["Hausaufgabenhilfe Altdorf"]
        );
        assert_eq!(
            titles(&search(&app, "q=hausaufgaben&tag=do&sprache=ar").await),
            vec!["Hausaufgabenhilfe Altdorf"]
        );
        assert!(titles(&search(&app, "q=hausaufgaben&kosten=kostenpflichtig").await).is_empty());
        let v1 = areas["V1"];
        assert_eq!(
            titles(&search(&app, &format!("gebiet={v1}")).await).len(),
            1
        );
        assert!(titles(&search(&app, &format!("gebiet={}", areas["V3"])).await).is_empty());
        // A location 20 km away: "beliebig" (0) is no limit, 5 km is.
        assert_eq!(
            titles(&search(&app, "q=hausaufgaben&lat=50.2&lon=7.005&umkreis=0").await),
            vec!["Hausaufgabenhilfe Altdorf"]
        );
        assert!(
            titles(&search(&app, "q=hausaufgaben&lat=50.2&lon=7.005&umkreis=5000").await)
                .is_empty()
        );
        let page = anonymous
            .html("/kommune/stadt/angebote?q=hausaufgabn")
            .await;
        assert!(page.contains("Hausaufgabenhilfe Altdorf"), "{page}");
        assert!(
            page.contains("name=\"kategorie\" value=\"hausaufgaben\""),
            "facet offered"
        );
        // The map beside the list shows this search's offers, not all of them.
        assert!(
            page.contains("angebote.geojson?suche=1&amp;q=hausaufgabn"),
            "map points of the search"
        );
        assert_eq!(
            titles(&search(&app, "suche=1&q=hausaufgabn").await),
            vec!["Hausaufgabenhilfe Altdorf"]
        );

        // The Quartier page lists it and its map layer has the point.
        let q = anonymous.html(&format!("/quartier/{v1}")).await;
        assert!(
            q.contains("Hausaufgabenhilfe Altdorf")
                && q.contains(&format!("/api/v1/areas/{v1}/offers.geojson")),
            "{q}"
        );
        let fc: Value = anonymous
            .get(&format!("/api/v1/areas/{v1}/offers.geojson"))
            .await
            .json()
            .await
            .expect("json");
        assert_eq!(titles(&fc), vec!["Hausaufgabenhilfe Altdorf"]);
        assert!(titles(
            &anonymous
                .get(&format!("/api/v1/areas/{}/offers.geojson", areas["V2"]))
                .await
                .json::<Value>()
                .await
                .expect("json")
        )
        .is_empty());

        // The offer page carries schema.org JSON-LD.
        let page = anonymous.html(&format!("/angebot/{o}")).await;
        assert!(
            page.contains("application/ld+json")
                && page.contains("\"@type\":\"Service\"")
                && page.contains("https://schema.org/Thursday"),
            "{page}"
        );
    }
);

db_test!(
    placement_follows_boundary_changes,
    |app: TestApp| async move {
        let areas = city(&app).await;
        // Planners publish directly.
        let to = post(&app, "/kommune/stadt/anbieten", ACTOR_FORM).await;
        assert!(to.ends_with("hinweis=gespeichert"), "{to}");
        let actor = id_in(&to, "/akteur/");
        let to = post_owned(
            &app,
            &format!("/akteur/{actor}/angebot-neu"),
            &offer_form("Lernhilfe"),
        )
        .await;
        let o = id_in(&to, "/angebot/");
        let placed = |code: &str| {
            format!(
                "SELECT COUNT(*) FROM directory_offer_areas WHERE offer_id = {o} AND area_id = {}",
                areas[code]
            )
        };
        assert_eq!(app.count(&placed("V1")).await, 1);
        // The Viertel are redrawn: V2 now covers the point.
        let child = |id: &str, name: &str, parent: &str, x: f64| {
            let mut f = square_feature(id, name, x, 50.0, 0.01);
            f["properties"]["parent"] = json!(parent);
            f
        };
        let viertel = collection(vec![
            child("V1", "Altdorf", "B1", 7.01),
            child("V2", "Bergheim", "B1", 7.0),
            child("V3", "Chausseeviertel", "B2", 7.02),
            child("V4", "Domplatz", "B2", 7.03),
        ]);
        let r = app
            .import(
                json!({"tenant": "stadt", "levelKey": "viertel", "levelName": "Viertel",
            "parentLevelKey": "bezirk", "parentProperty": "parent",
            "idProperty": "id", "nameProperty": "name", "geojson": viertel}),
            )
            .await;
        assert_eq!(r["data"]["importAreas"]["applied"], json!(true), "{r}");
        assert_eq!(app.count(&placed("V1")).await, 0);
        assert_eq!(app.count(&placed("V2")).await, 1);
        assert_eq!(
            titles(&search(&app, &format!("gebiet={}", areas["V2"])).await),
            vec!["Lernhilfe"]
        );
        assert!(titles(&search(&app, &format!("gebiet={}", areas["V1"])).await).is_empty());
    }
);

db_test!(
    stale_entries_are_marked_and_providers_reminded,
    |app: TestApp| async move {
        city(&app).await;
        let t = tenant_by_slug(&app, "stadt").await;
        let provider = app.other_client();
        provider
            .sign_in_as("verein@nachbarn.test", Some((&t, Role::Provider)))
            .await;
        let actor = id_in(
            &post(&provider, "/kommune/stadt/anbieten", ACTOR_FORM).await,
            "/akteur/",
        );
        let moderator = app.other_client();
        moderator
            .sign_in_as("moderation@stadt.test", Some((&t, Role::Moderator)))
            .await;
        post(
            &moderator,
            "/kommune/stadt/angebote/pruefen",
            &[
                ("art", "actor"),
                ("id", &actor.to_string()),
                ("aktion", "freigeben"),
            ],
        )
        .await;
        let mails = "SELECT COUNT(*) FROM outbox WHERE subject LIKE 'Bitte bestätigen%'";
        assert_eq!(
            quartiersnetz::directory::remind_stale(&app.state)
                .await
                .expect("remind"),
            0
        );
        // Thirteen months without confirmation.
        let old = if app.state.db.get_database_backend() == sea_orm::DatabaseBackend::Postgres {
            "now() - interval '400 days'"
        } else {
            "datetime('now', '-400 days')"
        };
        app.exec(&format!("UPDATE directory_actors SET confirmed_at = {old}"))
            .await;
        assert!(app
            .other_client()
            .html(&format!("/akteur/{actor}"))
            .await
            .contains("seit über einem Jahr nicht bestätigt"));
        assert_eq!(
            quartiersnetz::directory::remind_stale(&app.state)
                .await
                .expect("remind"),
            1
        );
        assert_eq!(app.count(mails).await, 1);
        // Not again the next day.
        assert_eq!(
            quartiersnetz::directory::remind_stale(&app.state)
                .await
                .expect("remind"),
            0
        );
        // The provider confirms: no longer stale.
        post(&provider, &format!("/akteur/{actor}/bestaetigen"), &[]).await;
        assert!(!app
            .other_client()
            .html(&format!("/akteur/{actor}"))
            .await
            .contains("seit über einem Jahr nicht bestätigt"));
        assert_eq!(
            quartiersnetz::directory::remind_stale(&app.state)
                .await
                .expect("remind"),
            0
        );
    }
);

fn rows_csv(n: usize, broken: &[usize]) -> String {
    let mut s = String::from("Name;Strasse;Breite;Länge\n");
    for i in 0..n {
        let line = i + 2;
        let lon = 7.0003 + (i % 79) as f64 * 0.0005;
        let lat = 50.0003 + (i / 79 % 19) as f64 * 0.0005;
        if broken.contains(&line) {
            match line % 3 {
                0 => s.push_str(&format!("Angebot {i};Weg {i};;\n")),
                1 => s.push_str(&format!(";Weg {i};{lat};{lon}\n")),
                _ => s.push_str(&format!("Angebot {i};Weg {i};52.5;13.4\n")),
            }
        } else {
            s.push_str(&format!("Angebot {i};Weg {i};{lat:.6};{lon:.6}\n"));
        }
    }
    s
}

async fn upload(app: &TestApp, csv: String) -> String {
    upload_to(app, csv, "kitas").await.1
}

/// Uploads through the import page; returns where it led and that page.
async fn upload_to(app: &TestApp, csv: String, source: &str) -> (String, String) {
    let form = reqwest::multipart::Form::new()
        .part(
            "datei",
            reqwest::multipart::Part::bytes(csv.into_bytes()).file_name("kitas.csv"),
        )
        .text("feld_titel", "Name")
        .text("quelle", source.to_owned())
        .text("art", "kita")
        .text("kategorien", "betreuung")
        .text("zielgruppen", "kinder")
        .text("alter_bis", "6");
    let to = app
        .post_multipart("/kommune/stadt/angebote/import", form)
        .await;
    let page = app.html(&to).await;
    (to, page)
}

db_test!(
    imports_are_checked_whole_and_skip_duplicates,
    |app: TestApp| async move {
        city(&app).await;
        // 10,000 rows, 3 of them broken (no coordinates, no name, outside the Kommune): nothing stored.
        let page = upload(&app, rows_csv(10_000, &[501, 5002, 9003])).await;
        assert!(
            page.contains("Nichts gespeichert: 3 fehlerhafte Zeilen."),
            "{}",
            &page[..page.len().min(3000)]
        );
        for line in ["Zeile 501:", "Zeile 5002:", "Zeile 9003:"] {
            assert!(page.contains(line), "{line}");
        }
        assert_eq!(app.count("SELECT COUNT(*) FROM directory_offers").await, 0);

        // Fixed: all 10,000 in one go, published and searchable.
        let page = upload(&app, rows_csv(10_000, &[])).await;
        assert!(
            page.contains("10000 Angebote angelegt"),
            "{}",
            &page[..page.len().min(3000)]
        );
        assert_eq!(
            app.count("SELECT COUNT(*) FROM directory_offers WHERE status = 'published'")
                .await,
            10_000
        );
        assert_eq!(
            titles(&search(&app, "q=angebot%209999").await)
                .first()
                .map(String::as_str),
            Some("Angebot 9999")
        );

        // The same rows again: reported, not doubled.
        let page = upload(&app, rows_csv(3, &[])).await;
        assert!(
            page.contains("3 Doppelte übersprungen") && page.contains("schon importiert (kitas:2)"),
            "{}",
            &page[..page.len().min(3000)]
        );
        // From another source: the same name a few metres away is the same place; a new one is added.
        let other =
            "Name;lat;lon\nANGEBOT 1;50.00031;7.00081\nNeue Kita;50.0041;7.0041\n".to_owned();
        let (_, page) = upload_to(&app, other, "stadtliste").await;
        assert!(
            page.contains("1 Angebote angelegt")
                && page.contains("„ANGEBOT 1“ ist schon eingetragen"),
            "{}",
            &page[..page.len().min(3000)]
        );
        assert_eq!(
            app.count("SELECT COUNT(*) FROM directory_offers").await,
            10_001
        );

        // Residents cannot import.
        let t = tenant_by_slug(&app, "stadt").await;
        let resident = app.other_client();
        resident
            .sign_in_as("anwohnerin@stadt.test", Some((&t, Role::Resident)))
            .await;
        let (to, _) = upload_to(&resident, rows_csv(2, &[]), "x").await;
        assert!(to.contains("fehler=FORBIDDEN"), "{to}");
        assert_eq!(
            app.count("SELECT COUNT(*) FROM directory_offers").await,
            10_001
        );

        // Open data: CSV and GeoJSON of every public offer.
        let csv = app
            .other_client()
            .html("/api/v1/kommune/stadt/angebote.csv")
            .await;
        assert_eq!(csv.lines().count(), 10_002);
        assert!(csv.starts_with("\u{feff}id;titel;"));
        let fc: Value = app
            .other_client()
            .get("/api/v1/kommune/stadt/angebote.geojson")
            .await
            .json()
            .await
            .expect("json");
        assert_eq!(fc["features"].as_array().map(Vec::len), Some(10_001));
    }
);

db_test!(
    search_falls_back_to_the_database,
    |app: TestApp| async move {
        city(&app).await;
        let actor = id_in(
            &post(&app, "/kommune/stadt/anbieten", ACTOR_FORM).await,
            "/akteur/",
        );
        post_owned(
            &app,
            &format!("/akteur/{actor}/angebot-neu"),
            &offer_form("Hausaufgabenhilfe Altdorf"),
        )
        .await;
        let t = tenant_by_slug(&app, "stadt").await;
        let mut q = qn_domain::directory::search::SearchQuery::new(t.id, "hausaufgabenhilfe");
        q.filters.languages = vec!["ar".into()];
        let r = quartiersnetz::directory::search_sync::fallback(&app.state.db, &q)
            .await
            .expect("fallback");
        assert!(r.degraded);
        assert_eq!(r.total, 1);
        assert_eq!(r.facets.categories.get("hausaufgaben"), Some(&1));
        q.text = "gibtsnicht".into();
        assert_eq!(
            quartiersnetz::directory::search_sync::fallback(&app.state.db, &q)
                .await
                .expect("fallback")
                .total,
            0
        );
    }
);

db_test!(
    search_server_down_degrades_to_the_database,
    |app: TestApp| async move {
        // A Meilisearch that does not answer (nothing listens on port 9): the platform starts,
        // saving works, and the search page answers from the database and says so.
        let db_url = app.state.settings.database_url.clone();
        let down = TestApp::spawn(&db_url, |s| {
            s.search_url = Some("http://127.0.0.1:9".into());
        })
        .await;
        city(&down).await;
        let actor = id_in(
            &post(&down, "/kommune/stadt/anbieten", ACTOR_FORM).await,
            "/akteur/",
        );
        post_owned(
            &down,
            &format!("/akteur/{actor}/angebot-neu"),
            &offer_form("Hausaufgabenhilfe Altdorf"),
        )
        .await;
        let page = down
            .html("/kommune/stadt/angebote?q=hausaufgaben&sprache=ar")
            .await;
        assert!(page.contains("Hausaufgabenhilfe Altdorf"), "{page}");
        assert!(
            page.contains("Die Suche läuft gerade eingeschränkt"),
            "degraded notice"
        );
        assert_eq!(
            titles(&search(&down, "q=hausaufgaben").await),
            vec!["Hausaufgabenhilfe Altdorf"]
        );
    }
);

db_test!(coverage_becomes_an_indicator, |app: TestApp| async move {
    let (_, viertel) = city_and_level(&app).await;
    // Children under 6 per Viertel, as the share's numerators.
    let u6 = app
        .indicator("stadt", "anteil_u6", "SHARE", "NEUTRAL", json!({}))
        .await;
    let r = app
        .import_values(&u6, &viertel, "Gebiet;Jahr;Wert;Zähler;Nenner\nV1;2024;5;500;10000\nV2;2024;2;200;10000\nV3;2024;0;0;800\n", false)
        .await;
    assert_eq!(r["applied"], true, "{r}");
    // Two offers for children in V1 (one of them a Kita), one in V2, one for seniors in V1.
    let actor = id_in(
        &post(&app, "/kommune/stadt/anbieten", ACTOR_FORM).await,
        "/akteur/",
    );
    for (title, group, category, lon) in [
        ("Kita Sonnenschein", "kinder", "betreuung", "7.005"),
        ("Spielgruppe", "kinder", "freizeit", "7.006"),
        ("Kita Regenbogen", "kinder", "betreuung", "7.015"),
        ("Seniorentreff", "senioren", "freizeit", "7.005"),
    ] {
        let mut f = offer_form(title);
        f.retain(|(k, _)| !matches!(*k, "zielgruppe" | "kategorie" | "alter_von" | "alter_bis"));
        f.extend([
            ("zielgruppe", group.to_owned()),
            ("kategorie", category.to_owned()),
            ("lat", "50.005".to_owned()),
            ("lon", lon.to_owned()),
        ]);
        post_owned(&app, &format!("/akteur/{actor}/angebot-neu"), &f).await;
    }
    let form = [
        ("zielgruppe", "kinder"),
        ("kategorie", "betreuung"),
        ("bevoelkerung", u6.as_str()),
    ];
    let to = post(&app, "/kommune/stadt/angebote/versorgung", &form).await;
    let id = to
        .strip_prefix("/indikator/")
        .unwrap_or_else(|| panic!("{to}"))
        .to_owned();
    let v: Vec<(String, Option<f64>)> = app
        .values(&id, &viertel)
        .await
        .into_iter()
        .map(|(a, _, v, _)| (a, v))
        .collect();
    assert_eq!(
        v,
        vec![("V1".into(), Some(2.0)), ("V2".into(), Some(5.0))],
        "Kitas per 1,000 children: V1 1/500, V2 1/200; V3 has no children"
    );
    // All categories: the play group counts too.
    let to = post(
        &app,
        "/kommune/stadt/angebote/versorgung",
        &[("zielgruppe", "kinder"), ("bevoelkerung", u6.as_str())],
    )
    .await;
    let all = to
        .strip_prefix("/indikator/")
        .unwrap_or_default()
        .to_owned();
    assert_ne!(all, id);
    assert_eq!(app.values(&all, &viertel).await[0].2, Some(4.0));
    // Providers cannot write indicators.
    let t = tenant_by_slug(&app, "stadt").await;
    let provider = app.other_client();
    provider
        .sign_in_as("verein@nachbarn.test", Some((&t, Role::Provider)))
        .await;
    let to = post(&provider, "/kommune/stadt/angebote/versorgung", &form).await;
    assert!(to.contains("fehler=FORBIDDEN"), "{to}");
});

db_test!(planners_manage_the_categories, |app: TestApp| async move {
    city(&app).await;
    let page = "/kommune/stadt/angebote/kategorien";
    let html = app.html(page).await;
    assert!(
        html.contains("Sport und Bewegung") && html.contains("Hausaufgabenhilfe"),
        "the default taxonomy until the first change"
    );
    // Refused: a resident, a one-letter label, a label that exists.
    let resident = app.other_client();
    resident.sign_in_as("anwohnerin@stadt.test", None).await;
    let to = post(
        &resident,
        page,
        &[("aktion", "hinzufuegen"), ("bezeichnung", "Hackerei")],
    )
    .await;
    assert!(to.contains("fehler=FORBIDDEN"), "{to}");
    let to = post(
        &app,
        page,
        &[("aktion", "hinzufuegen"), ("bezeichnung", "x")],
    )
    .await;
    assert!(app.html(&to).await.contains("2 bis 60 Zeichen"), "{to}");
    let to = post(
        &app,
        page,
        &[("aktion", "hinzufuegen"), ("bezeichnung", "beratung")],
    )
    .await;
    assert!(app.html(&to).await.contains("gibt es schon"), "{to}");
    assert_eq!(
        app.count("SELECT COUNT(*) FROM directory_categories").await,
        0,
        "nothing stored after refusals"
    );
    // Added: stored as the whole list, offered in the offer form and usable.
    let to = post(
        &app,
        page,
        &[
            ("aktion", "hinzufuegen"),
            ("bezeichnung", "Digitales & Medien"),
        ],
    )
    .await;
    assert!(to.ends_with("hinweis=kategorien"), "{to}");
    assert_eq!(
        app.count("SELECT COUNT(*) FROM directory_categories").await,
        18
    );
    let actor = id_in(
        &post(&app, "/kommune/stadt/anbieten", ACTOR_FORM).await,
        "/akteur/",
    );
    let form = app.html(&format!("/akteur/{actor}/angebot-neu")).await;
    assert!(
        form.contains(r#"value="digitales_medien""#) && form.contains("Digitales &amp; Medien"),
        "new category in the form"
    );
    let mut f = offer_form("Tablet-Sprechstunde");
    f.retain(|(k, _)| *k != "kategorie");
    f.push(("kategorie", "digitales_medien".into()));
    let offer_id = id_in(
        &post_owned(&app, &format!("/akteur/{actor}/angebot-neu"), &f).await,
        "/angebot/",
    );
    let found = app
        .html("/kommune/stadt/angebote?kategorie=digitales_medien")
        .await;
    assert!(
        found.contains("Tablet-Sprechstunde") && found.contains("Digitales &amp; Medien"),
        "facet with the Kommune's label"
    );
    // Renamed: the key stays, the new label is shown and searchable at once.
    post(
        &app,
        page,
        &[
            ("aktion", "umbenennen"),
            ("schluessel", "digitales_medien"),
            ("bezeichnung", "Digitale Teilhabe"),
        ],
    )
    .await;
    assert!(app
        .html(&format!("/angebot/{offer_id}"))
        .await
        .contains("Digitale Teilhabe"));
    let hits = search(&app, "suche=1&q=Teilhabe").await;
    assert_eq!(
        titles(&hits),
        ["Tablet-Sprechstunde"],
        "the new label is a search word: {hits}"
    );
    // Moved up, then retired: no longer offered, refused for new offers, kept by the old one.
    post(
        &app,
        page,
        &[("aktion", "hoch"), ("schluessel", "digitales_medien")],
    )
    .await;
    let list = app.html(page).await;
    let at = |label: &str| list.find(label).unwrap_or_else(|| panic!("{label} listed"));
    assert!(
        at("Digitale Teilhabe") < at("Hilfe in Notlagen"),
        "moved above the former last"
    );
    post(
        &app,
        page,
        &[("aktion", "stilllegen"), ("schluessel", "digitales_medien")],
    )
    .await;
    let form = app.html(&format!("/akteur/{actor}/angebot-neu")).await;
    assert!(!form.contains(r#"value="digitales_medien""#), "not offered");
    let to = post_owned(&app, &format!("/akteur/{actor}/angebot-neu"), &f).await;
    assert!(to.contains("fehler="), "retired category refused: {to}");
    assert!(app
        .html(&format!("/angebot/{offer_id}"))
        .await
        .contains("Digitale Teilhabe"));
    let csv = app
        .get("/api/v1/kommune/stadt/angebote.csv")
        .await
        .text()
        .await
        .expect("csv");
    assert!(csv.contains("Digitale Teilhabe"), "export uses the label");
    assert!(app.html(page).await.contains("stillgelegt"));
    let to = post(
        &app,
        page,
        &[("aktion", "stilllegen"), ("schluessel", "zauberei")],
    )
    .await;
    assert!(app.html(&to).await.contains("gibt es nicht"), "{to}");
    assert_eq!(
        app.count("SELECT COUNT(*) FROM audit_log WHERE subject = 'categories'")
            .await,
        4,
        "added, renamed, moved, retired"
    );
    // Another Kommune keeps the default list.
    let dorf = app.tenant("dorf", TenantKind::KreisfreieStadt, None).await;
    let other = app.other_client();
    other
        .sign_in_as("planung@dorf.test", Some((&dorf, Role::Planner)))
        .await;
    let html = other.html("/kommune/dorf/angebote/kategorien").await;
    assert!(html.contains("Sport und Bewegung") && !html.contains("Digitale Teilhabe"));
});

db_test!(
    providers_cannot_flood_the_moderators,
    |app: TestApp| async move {
        city(&app).await;
        let provider = app.other_client();
        provider.sign_in_as("verein@nachbarn.test", None).await;
        let actor = id_in(
            &post(&provider, "/kommune/stadt/anbieten", ACTOR_FORM).await,
            "/akteur/",
        );
        // The actor and 19 offers are 20 new entries within the hour: the 21st is refused.
        for n in 1..=19 {
            let to = post_owned(
                &provider,
                &format!("/akteur/{actor}/angebot-neu"),
                &offer_form(&format!("Kurs {n}")),
            )
            .await;
            assert!(!to.contains("fehler="), "entry {n}: {to}");
        }
        let to = post_owned(
            &provider,
            &format!("/akteur/{actor}/angebot-neu"),
            &offer_form("Kurs 20"),
        )
        .await;
        assert!(to.contains("fehler=RATE_LIMITED"), "{to}");
        assert_eq!(app.count("SELECT COUNT(*) FROM directory_offers").await, 19);
        // Staff are not limited.
        let to = post_owned(
            &app,
            &format!("/akteur/{actor}/angebot-neu"),
            &offer_form("Kurs der Verwaltung"),
        )
        .await;
        assert!(!to.contains("fehler="), "{to}");
    }
);

db_test!(graphql_reads_the_directory, |app: TestApp| async move {
    city(&app).await;
    let tenant = tenant_by_slug(&app, "stadt").await.id.to_string();
    // Staff entries are public at once; a provider's new entry waits.
    let (actor, public) = staff_offer(&app, "Hausaufgabenhilfe Altdorf").await;
    let provider = app.other_client();
    provider.sign_in_as("verein@nachbarn.test", None).await;
    let own = id_in(
        &post(&provider, "/kommune/stadt/anbieten", ACTOR_FORM).await,
        "/akteur/",
    );
    let waiting = id_in(
        &post_owned(
            &provider,
            &format!("/akteur/{own}/angebot-neu"),
            &offer_form("Noch nicht geprüft"),
        )
        .await,
        "/angebot/",
    );
    let search = "query($t: ID!, $q: String!, $f: OfferFilter) {
        offerSearch(tenantId: $t, text: $q, filter: $f, near: {lon: 7.005, lat: 50.005}, order: DISTANCE) {
            total degraded
            offers { id title actorName categories { key label } cost { key label } distanceM url }
            facets { categories { value label count } languages { value count } areas { areaId count } }
        } }";
    let d = app
        .gql_ok(
            search,
            json!({"t": tenant, "q": "Hausaufgabnhilfe", "f": {"languages": ["ar"]}}),
        )
        .await;
    let r = &d["offerSearch"];
    assert_eq!(r["total"], 1, "{d}");
    assert_eq!(r["offers"][0]["title"], "Hausaufgabenhilfe Altdorf");
    assert_eq!(
        r["offers"][0]["categories"][0]["label"],
        "Hausaufgabenhilfe"
    );
    assert_eq!(r["offers"][0]["cost"]["label"], "kostenlos");
    assert!(r["offers"][0]["distanceM"]
        .as_f64()
        .is_some_and(|m| m < 1.0));
    assert_eq!(r["facets"]["categories"][0]["count"], 1);
    assert!(r["facets"]["areas"]
        .as_array()
        .is_some_and(|a| a.len() == 2));
    let none = app
        .gql_ok(
            search,
            json!({"t": tenant, "q": "", "f": {"languages": ["uk"]}}),
        )
        .await;
    assert_eq!(none["offerSearch"]["total"], 0);
    // The waiting offer: its provider sees it, nobody else; the search never has it.
    let one = "query($id: ID!) { offer(id: $id) { title status } }";
    let anonymous = app.other_client();
    let d = anonymous
        .gql_ok(one, json!({"id": waiting.to_string()}))
        .await;
    assert!(d["offer"].is_null(), "{d}");
    let d = provider
        .gql_ok(one, json!({"id": waiting.to_string()}))
        .await;
    assert_eq!(d["offer"]["status"], "pending");
    let d = anonymous
        .gql_ok(one, json!({"id": public.to_string()}))
        .await;
    assert_eq!(d["offer"]["title"], "Hausaufgabenhilfe Altdorf");
    let d = anonymous
        .gql_ok(
            "query($id: ID!) { actor(id: $id) { name kind { key } offers { title } } }",
            json!({"id": actor.to_string()}),
        )
        .await;
    assert_eq!(
        d["actor"]["offers"][0]["title"],
        "Hausaufgabenhilfe Altdorf"
    );
    assert_eq!(d["actor"]["kind"]["key"], "verein");
    let d = anonymous
        .gql_ok(
            "query($t: ID!) { offerCategories(tenantId: $t) { key label retired } }",
            json!({"t": tenant}),
        )
        .await;
    assert_eq!(d["offerCategories"][0]["key"], "beratung");
    let d = anonymous
        .gql(
            "query($t: ID!) { offerSearch(tenantId: $t, near: {lon: 500, lat: 0}) { total } }",
            json!({"t": tenant}),
        )
        .await;
    assert!(d["errors"][0]["message"].is_string(), "{d}");
});

db_test!(
    restricted_areas_stay_hidden_and_exports_defuse_formulas,
    |app: TestApp| async move {
        let areas = city(&app).await;
        let t = tenant_by_slug(&app, "stadt").await;
        // A tenant-only level over the whole city: offers are placed in it too.
        let r = app
            .import(json!({"tenant": "stadt", "levelKey": "intern", "levelName": "Planungsraum",
                "visibility": "TENANT", "idProperty": "id", "nameProperty": "name",
                "geojson": collection(vec![square_feature("P1", "Geheimer Planungsraum", 6.99, 49.99, 0.1)])}))
            .await;
        assert_eq!(r["data"]["importAreas"]["applied"], true, "{r}");
        let restricted = app
            .count("SELECT CAST(id AS BIGINT) FROM areas WHERE code = 'P1'")
            .await;

        // Staff entries are public at once.
        let (_, o) = staff_offer(&app, "=HYPERLINK(\"http://evil.test\";\"Hilfe\")").await;
        assert!(
            app.count(&format!(
                "SELECT COUNT(*) FROM directory_offer_areas WHERE offer_id = {o} AND area_id = {restricted}"
            ))
            .await
                == 1,
            "placed in the restricted area inside the server"
        );

        let anonymous = app.other_client();
        let page = anonymous.html(&format!("/angebot/{o}")).await;
        assert!(!page.contains("Geheimer Planungsraum"), "{page}");
        assert!(
            app.html(&format!("/angebot/{o}"))
                .await
                .contains("Geheimer Planungsraum"),
            "staff see it"
        );
        let search =
            "query($t: ID!, $f: OfferFilter) { offerSearch(tenantId: $t, text: \"\", filter: $f) {
            total facets { areas { areaId count } } } }";
        let d = anonymous
            .gql_ok(search, json!({"t": t.id.to_string(), "f": {}}))
            .await;
        assert_eq!(d["offerSearch"]["total"], 1, "{d}");
        let ids: Vec<i64> = d["offerSearch"]["facets"]["areas"]
            .as_array()
            .expect("areas")
            .iter()
            .filter_map(|a| a["areaId"].as_str().and_then(|s| s.parse().ok()))
            .collect();
        assert!(
            !ids.contains(&restricted) && ids.contains(&areas["V1"]),
            "{d}"
        );
        let d = anonymous
            .gql_ok(
                search,
                json!({"t": t.id.to_string(), "f": {"areaId": restricted.to_string()}}),
            )
            .await;
        assert_eq!(
            d["offerSearch"]["total"], 0,
            "a restricted area finds nothing: {d}"
        );

        // The open-data CSV defuses the formula.
        let csv = anonymous
            .get("/api/v1/kommune/stadt/angebote.csv")
            .await
            .text()
            .await
            .expect("csv");
        assert!(csv.contains("'=HYPERLINK"), "{csv}");
        assert!(
            !csv.contains(";=HYPERLINK") && !csv.contains(";\"=HYPERLINK"),
            "{csv}"
        );
    }
);
