use qn_domain::tenancy::{Role, TenantKind};
use qn_tests::serde_json::{json, Value};
use qn_tests::*;
use quartiersnetz::accounts::entity::password_resets;
use quartiersnetz::kernel::outbox::entity as outbox;
use sea_orm::{ActiveModelTrait, EntityTrait, QueryOrder, Set};

const LOGIN: &str =
    "mutation($e: String!, $p: String!) { login(email: $e, password: $p) { displayName } }";
const VIEWER: &str = "{ viewer { email displayName memberships { role tenant { slug } } } }";

db_test!(register_login_logout, |app: TestApp| async move {
    app.tenant("koeln", TenantKind::KreisfreieStadt, None).await;
    let r = app
        .gql("mutation { register(email: \"Anna@Example.org\", password: \"kurz\", displayName: \"Anna\") }", json!({}))
        .await;
    assert_eq!(error_code(&r), "PASSWORD_TOO_SHORT", "{r}");
    let r = app
        .gql("mutation { register(email: \"keine-adresse\", password: \"lang genug 123\", displayName: \"Anna\") }", json!({}))
        .await;
    assert_eq!(error_code(&r), "INVALID_EMAIL", "{r}");
    app.register_confirmed("Anna@Example.org", "Anna", Some("koeln"))
        .await;
    let v = app.gql_ok(VIEWER, json!({})).await;
    assert_eq!(v["viewer"]["email"], "anna@example.org");
    assert_eq!(
        v["viewer"]["memberships"],
        json!([{"role": "resident", "tenant": {"slug": "koeln"}}])
    );
    app.gql_ok("mutation { logout }", json!({})).await;
    assert_eq!(app.gql_ok(VIEWER, json!({})).await["viewer"], Value::Null);

    let r = app
        .gql(
            LOGIN,
            json!({"e": "anna@example.org", "p": "falsches Passwort"}),
        )
        .await;
    assert_eq!(error_code(&r), "INVALID_CREDENTIALS");
    let r = app
        .gql(
            LOGIN,
            json!({"e": "niemand@example.org", "p": "falsches Passwort"}),
        )
        .await;
    assert_eq!(
        error_code(&r),
        "INVALID_CREDENTIALS",
        "same answer for unknown addresses"
    );
    app.gql_ok(
        LOGIN,
        json!({"e": " ANNA@example.org", "p": "lang genug 123"}),
    )
    .await;
    assert_eq!(
        app.gql_ok(VIEWER, json!({})).await["viewer"]["displayName"],
        "Anna"
    );
});

db_test!(
    registration_does_not_tell_who_is_registered,
    |app: TestApp| async move {
        app.sign_in_as("bob@example.org", None).await;
        let stranger = app.other_client();
        async fn register_as(c: &TestApp, email: &str) -> Value {
            c.gql(
                "mutation($e: String!) { register(email: $e, password: \"lang genug 123\", displayName: \"Mallory\") }",
                json!({"e": email}),
            )
            .await
        }
        let register = |email| register_as(&stranger, email);
        // Same answer for a registered and a new address, and nobody is signed in by it.
        let taken = register("Bob@example.org").await;
        let new = register("neu@example.org").await;
        assert_eq!(taken, json!({"data": {"register": true}}));
        assert_eq!(new, taken);
        assert_eq!(
            stranger.gql_ok(VIEWER, json!({})).await["viewer"],
            Value::Null
        );
        // Bob's account is unchanged: his password still works, the stranger's does not.
        let r = stranger
            .gql(
                LOGIN,
                json!({"e": "bob@example.org", "p": "lang genug 123"}),
            )
            .await;
        assert_eq!(error_code(&r), "INVALID_CREDENTIALS");
        // Bob hears about it, with the way to his account instead of a link that creates one.
        let (subject, body) = app.last_mail("bob@example.org").await.expect("mail to bob");
        assert!(subject.contains("schon ein Konto"), "{subject}");
        assert!(
            body.contains("/passwort-vergessen") && !body.contains("token="),
            "{body}"
        );
        // The new address gets a link; before it is used no account exists and login fails.
        let (_, body) = app.last_mail("neu@example.org").await.expect("mail to neu");
        let token = body
            .split("konto-bestaetigen?token=")
            .nth(1)
            .and_then(|t| t.split_whitespace().next())
            .expect("link")
            .to_owned();
        let r = stranger
            .gql(
                LOGIN,
                json!({"e": "neu@example.org", "p": "lang genug 123"}),
            )
            .await;
        assert_eq!(error_code(&r), "INVALID_CREDENTIALS");
        assert_eq!(
            app.count("SELECT COUNT(*) FROM users WHERE email = 'neu@example.org'")
                .await,
            0
        );
        let confirm = "mutation($t: String!) { confirmRegistration(token: $t) { displayName } }";
        let r = stranger.gql_ok(confirm, json!({"t": token})).await;
        assert_eq!(r["confirmRegistration"]["displayName"], "Mallory");
        assert_eq!(
            stranger.gql_ok(VIEWER, json!({})).await["viewer"]["email"],
            "neu@example.org"
        );
        // The link works once; a second registration of the address now gets the note.
        let r = app.other_client().gql(confirm, json!({"t": token})).await;
        assert_eq!(error_code(&r), "INVALID_TOKEN");
        register("neu@example.org").await;
        let (subject, _) = app.last_mail("neu@example.org").await.expect("second mail");
        assert!(subject.contains("schon ein Konto"), "{subject}");
        // A link for an address that got its account meanwhile creates no second one.
        assert_eq!(
            app.count("SELECT COUNT(*) FROM users WHERE email = 'neu@example.org'")
                .await,
            1
        );
    }
);

db_test!(logins_are_rate_limited, |app: TestApp| async move {
    app.sign_in_as("bob@example.org", None).await;
    let other = app.other_client();
    for _ in 0..5 {
        let r = other
            .gql(LOGIN, json!({"e": "bob@example.org", "p": "falsch falsch"}))
            .await;
        assert_eq!(error_code(&r), "INVALID_CREDENTIALS");
    }
    // Now even the right password is refused for a while.
    let r = other
        .gql(
            LOGIN,
            json!({"e": "bob@example.org", "p": "ein sicheres Testpasswort"}),
        )
        .await;
    assert_eq!(error_code(&r), "RATE_LIMITED", "{r}");
});

db_test!(password_reset_by_mailed_token, |app: TestApp| async move {
    app.sign_in_as("carla@example.org", None).await;
    app.gql_ok(
        "mutation { requestPasswordReset(email: \"carla@example.org\") }",
        json!({}),
    )
    .await;
    // Unknown addresses get the same answer and no mail.
    app.gql_ok(
        "mutation { requestPasswordReset(email: \"niemand@example.org\") }",
        json!({}),
    )
    .await;
    let mails = outbox::Entity::find()
        .order_by_asc(outbox::Column::Id)
        .all(&app.state.db)
        .await
        .expect("outbox");
    assert_eq!(mails.len(), 1);
    assert_eq!(mails[0].recipient, "carla@example.org");
    let token = mails[0]
        .body
        .split("token=")
        .nth(1)
        .and_then(|t| t.split_whitespace().next())
        .expect("link")
        .to_owned();

    // The mail worker delivers it (to the log, without SMTP) and marks it sent.
    let sent = quartiersnetz::kernel::outbox::deliver_due(&app.state.db, &app.state.settings)
        .await
        .expect("deliver");
    assert!(sent <= 1);

    let reset = "mutation($t: String!, $p: String!) { resetPassword(token: $t, password: $p) }";
    let r = app
        .gql(reset, json!({"t": "falsch", "p": "neues Passwort 1"}))
        .await;
    assert_eq!(error_code(&r), "INVALID_TOKEN");
    app.gql_ok(reset, json!({"t": token, "p": "neues Passwort 1"}))
        .await;
    // All sessions ended; the old password no longer works, the new one does.
    assert_eq!(app.gql_ok(VIEWER, json!({})).await["viewer"], Value::Null);
    let r = app
        .gql(
            LOGIN,
            json!({"e": "carla@example.org", "p": "ein sicheres Testpasswort"}),
        )
        .await;
    assert_eq!(error_code(&r), "INVALID_CREDENTIALS");
    app.gql_ok(
        LOGIN,
        json!({"e": "carla@example.org", "p": "neues Passwort 1"}),
    )
    .await;
    // A used token cannot be used again.
    let r = app
        .gql(reset, json!({"t": token, "p": "noch ein Passwort"}))
        .await;
    assert_eq!(error_code(&r), "INVALID_TOKEN");

    // An expired token is refused.
    app.gql_ok(
        "mutation { requestPasswordReset(email: \"carla@example.org\") }",
        json!({}),
    )
    .await;
    let mail = outbox::Entity::find()
        .order_by_desc(outbox::Column::Id)
        .one(&app.state.db)
        .await
        .expect("q")
        .expect("mail");
    let token = mail
        .body
        .split("token=")
        .nth(1)
        .and_then(|t| t.split_whitespace().next())
        .expect("link")
        .to_owned();
    let row = password_resets::Entity::find()
        .order_by_desc(password_resets::Column::Id)
        .one(&app.state.db)
        .await
        .expect("q")
        .expect("row");
    let mut am: password_resets::ActiveModel = row.into();
    am.expires_at = Set(chrono::Utc::now() - chrono::Duration::minutes(1));
    am.update(&app.state.db).await.expect("update");
    let r = app
        .gql(reset, json!({"t": token, "p": "neues Passwort 2"}))
        .await;
    assert_eq!(error_code(&r), "INVALID_TOKEN");
});

db_test!(forms_work_without_javascript, |app: TestApp| async move {
    let post = |path: &'static str, form: Vec<(&'static str, &'static str)>| {
        let app = &app;
        async move {
            app.client
                .post(format!("{}{path}", app.url))
                .header("origin", &app.url)
                .form(&form)
                .send()
                .await
                .expect("post")
        }
    };
    let r = post(
        "/registrieren",
        vec![
            ("email", "dora@example.org"),
            ("password", "kurz"),
            ("display_name", "Dora"),
        ],
    )
    .await;
    assert_eq!(r.status(), 303);
    let loc = r.headers()["location"]
        .to_str()
        .expect("location")
        .to_owned();
    assert!(
        loc.starts_with("/registrieren?fehler=PASSWORD_TOO_SHORT&email=dora%40example.org"),
        "{loc}"
    );
    // The page shows the German message.
    let html = app.html(&loc).await;
    assert!(html.contains("mindestens 10 Zeichen"), "{html}");

    let r = post(
        "/registrieren",
        vec![
            ("email", "dora@example.org"),
            ("password", "lang genug 123"),
            ("display_name", "Dora"),
        ],
    )
    .await;
    assert_eq!(r.status(), 303);
    assert_eq!(r.headers()["location"], "/registrieren?hinweis=bestaetigen");
    assert!(
        r.headers().get("set-cookie").is_none(),
        "nobody is signed in yet"
    );
    assert!(app
        .html("/registrieren?hinweis=bestaetigen")
        .await
        .contains("Wir haben Ihnen eine E-Mail geschickt"));
    // The mailed link opens a page whose button creates the account (a mail scanner that only
    // follows links creates nothing).
    let (_, body) = app.last_mail("dora@example.org").await.expect("mail");
    let link = body
        .split_whitespace()
        .find(|w| w.contains("/konto-bestaetigen?token="))
        .expect("link");
    let token: &'static str = link
        .split("token=")
        .nth(1)
        .expect("token")
        .to_owned()
        .leak();
    let page = app.html(&format!("/konto-bestaetigen?token={token}")).await;
    assert!(
        page.contains("action=\"/konto-bestaetigen\"") && page.contains(token),
        "{page}"
    );
    assert_eq!(
        app.count("SELECT COUNT(*) FROM users WHERE email = 'dora@example.org'")
            .await,
        0
    );
    let r = post("/konto-bestaetigen", vec![("token", token)]).await;
    assert_eq!(r.headers()["location"], "/?hinweis=willkommen");
    let cookie = r.headers()["set-cookie"]
        .to_str()
        .expect("cookie")
        .to_owned();
    assert!(
        cookie.contains("HttpOnly") && cookie.contains("SameSite=Lax"),
        "{cookie}"
    );
    let r = post("/konto-bestaetigen", vec![("token", token)]).await;
    assert!(
        r.headers()["location"]
            .to_str()
            .expect("loc")
            .starts_with("/konto-bestaetigen?fehler=INVALID_TOKEN"),
        "used once"
    );
    let html = app.html("/").await;
    assert!(
        html.contains("Angemeldet als") && html.contains("Dora"),
        "signed in after registration"
    );

    let r = post("/abmelden", vec![]).await;
    assert_eq!(r.headers()["location"], "/anmelden?hinweis=abgemeldet");
    let r = post(
        "/anmelden",
        vec![
            ("email", "dora@example.org"),
            ("password", "falsch falsch"),
            ("weiter", "/"),
        ],
    )
    .await;
    assert!(r.headers()["location"]
        .to_str()
        .expect("loc")
        .starts_with("/anmelden?fehler=INVALID_CREDENTIALS"));
    let r = post(
        "/anmelden",
        vec![
            ("email", "dora@example.org"),
            ("password", "lang genug 123"),
            ("weiter", "https://evil.example/"),
        ],
    )
    .await;
    assert_eq!(r.headers()["location"], "/", "no open redirect");
});

db_test!(cross_site_requests_are_refused, |app: TestApp| async move {
    app.sign_in_as("eva@example.org", None).await;
    let r = app
        .client
        .post(format!("{}/graphql", app.url))
        .header("origin", "https://evil.example")
        .json(&json!({"query": "mutation { logout }"}))
        .send()
        .await
        .expect("send");
    assert_eq!(r.status(), 403);
    let r = app
        .client
        .post(format!("{}/abmelden", app.url))
        .header("origin", "https://evil.example")
        .send()
        .await
        .expect("send");
    assert_eq!(r.status(), 403);
    // Still signed in.
    assert_eq!(
        app.gql_ok(VIEWER, json!({})).await["viewer"]["email"],
        "eva@example.org"
    );
    // A form post to /graphql (no JSON) is refused as well.
    let r = app
        .client
        .post(format!("{}/graphql", app.url))
        .header("origin", &app.url)
        .form(&[("query", "mutation { logout }")])
        .send()
        .await
        .expect("send");
    assert_eq!(r.status(), 415);
});

db_test!(
    admins_grant_roles_in_their_tenant_only,
    |app: TestApp| async move {
        let kreis = app.tenant("rbk", TenantKind::Kreis, None).await;
        app.tenant("overath", TenantKind::Kommune, Some("rbk"))
            .await;
        let bonn = app.tenant("bonn", TenantKind::KreisfreieStadt, None).await;
        let grant = "mutation($e: String!, $t: String!, $r: String!) { grantRole(email: $e, tenant: $t, role: $r) }";
        let fred = app.other_client();
        fred.sign_in_as("fred@example.org", None).await;
        app.sign_in_as(
            "admin@rbk.test",
            Some((&kreis, qn_domain::tenancy::Role::Admin)),
        )
        .await;
        // The Kreis admin may give roles in the Kreis and its Kommunen, not in Bonn.
        app.gql_ok(
            grant,
            json!({"e": "fred@example.org", "t": "overath", "r": "planner"}),
        )
        .await;
        let r = app
            .gql(
                grant,
                json!({"e": "fred@example.org", "t": "bonn", "r": "planner"}),
            )
            .await;
        assert_eq!(error_code(&r), "FORBIDDEN");
        let r = app
            .gql(
                grant,
                json!({"e": "fred@example.org", "t": "rbk", "r": "kaiser"}),
            )
            .await;
        assert_eq!(error_code(&r), "VALIDATION");
        let v = fred.gql_ok(VIEWER, json!({})).await;
        assert_eq!(
            v["viewer"]["memberships"],
            json!([{"role": "planner", "tenant": {"slug": "overath"}}])
        );
        let _ = bonn;
    }
);

db_test!(people_can_delete_their_account, |app: TestApp| async move {
    let koeln = app.tenant("koeln", TenantKind::KreisfreieStadt, None).await;
    app.sign_in_as(
        "gina@example.org",
        Some((&koeln, qn_domain::tenancy::Role::Resident)),
    )
    .await;
    let delete = "mutation($p: String!) { deleteAccount(password: $p) }";
    let r = app.gql(delete, json!({"p": "falsches Passwort"})).await;
    assert_eq!(error_code(&r), "INVALID_CREDENTIALS");
    app.gql_ok(delete, json!({"p": "ein sicheres Testpasswort"}))
        .await;
    assert_eq!(app.gql_ok(VIEWER, json!({})).await["viewer"], Value::Null);
    let r = app
        .gql(
            LOGIN,
            json!({"e": "gina@example.org", "p": "ein sicheres Testpasswort"}),
        )
        .await;
    assert_eq!(error_code(&r), "INVALID_CREDENTIALS");
    use quartiersnetz::accounts::entity::{memberships, sessions, users};
    use sea_orm::PaginatorTrait;
    assert_eq!(
        users::Entity::find()
            .count(&app.state.db)
            .await
            .expect("count"),
        0
    );
    assert_eq!(
        memberships::Entity::find()
            .count(&app.state.db)
            .await
            .expect("count"),
        0
    );
    assert_eq!(
        sessions::Entity::find()
            .count(&app.state.db)
            .await
            .expect("count"),
        0
    );
    let r = app
        .gql(delete, json!({"p": "ein sicheres Testpasswort"}))
        .await;
    assert_eq!(error_code(&r), "UNAUTHENTICATED");
});

#[tokio::test]
async fn registrations_are_limited_per_client() {
    let database = TestDatabase::new(Db::Sqlite).await.expect("sqlite");
    let app = TestApp::spawn(&database.url, |s| s.signups_per_hour = 2).await;
    let register = "mutation($e: String!) { register(email: $e, password: \"lang genug 123\", displayName: \"X\") }";
    for i in 0..2 {
        app.other_client()
            .gql_ok(register, json!({"e": format!("p{i}@example.org")}))
            .await;
    }
    let r = app
        .other_client()
        .gql(register, json!({"e": "p3@example.org"}))
        .await;
    assert_eq!(error_code(&r), "RATE_LIMITED", "{r}");
}

/// The embedded default under ordinary concurrency: a file SQLite (a pool of connections, as in
/// production; the other tests use one in-memory connection), planners creating indicators,
/// people registering and asking for reset mails (the mail worker writes in between). Every
/// write either succeeds or is refused for a reason, never "database is locked" as INTERNAL.
#[test]
fn sqlite_writers_wait_their_turn_instead_of_failing() {
    runtime().block_on(async {
        let dir = std::env::temp_dir().join(format!("qn-writers-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        let url = format!("sqlite://{}/qn.sqlite?mode=rwc", dir.display());
        let app = TestApp::spawn(&url, |_| {}).await;
        let t = app
            .tenant("stadt", TenantKind::KreisfreieStadt, None)
            .await;
        app.sign_in_as("planung@stadt.test", Some((&t, Role::Planner)))
            .await;
        let mut tasks = Vec::new();
        for i in 0..12 {
            let planner = TestApp {
                url: app.url.clone(),
                state: app.state.clone(),
                client: app.client.clone(),
            };
            tasks.push(tokio::spawn(async move {
                planner
                    .gql(
                        CREATE_INDICATOR,
                        json!({"t": "stadt", "i": {"key": format!("k{i}"), "name": format!("Indikator {i}"),
                            "kind": "COUNT", "polarity": "NEUTRAL"}}),
                    )
                    .await
            }));
            let visitor = app.other_client();
            tasks.push(tokio::spawn(async move {
                visitor
                    .gql(
                        "mutation($e: String!) { register(email: $e, password: \"ein sicheres Testpasswort\", displayName: \"Neu\") }",
                        json!({"e": format!("neu{i}@stadt.test")}),
                    )
                    .await
            }));
            let asker = app.other_client();
            tasks.push(tokio::spawn(async move {
                asker
                    .gql(
                        "mutation { requestPasswordReset(email: \"planung@stadt.test\") }",
                        json!({}),
                    )
                    .await
            }));
        }
        for task in tasks {
            let r = task.await.expect("task");
            let codes: Vec<&str> = r["errors"]
                .as_array()
                .into_iter()
                .flatten()
                .filter_map(|e| e["extensions"]["code"].as_str())
                .collect();
            assert!(
                codes.iter().all(|c| *c != "INTERNAL"),
                "a write failed under concurrency: {r}"
            );
        }
        assert_eq!(app.count("SELECT COUNT(*) FROM indicators").await, 12);
        let _ = std::fs::remove_dir_all(&dir);
    });
}
