//! The administration of people and roles through its forms: giving roles to accounts and by
//! invitation, revoking, suspending, the rules that keep a tenant administrable, and who may
//! act at all.

use qn_domain::tenancy::{Role, TenantKind};
use qn_tests::serde_json::json;
use qn_tests::*;
use quartiersnetz::accounts;

const ROLES: &str = "{ viewer { memberships { role tenant { slug } } } }";

async fn roles(app: &TestApp) -> Vec<String> {
    let v = app.gql_ok(ROLES, json!({})).await;
    let mut out: Vec<String> = v["viewer"]["memberships"]
        .as_array()
        .map(|list| {
            list.iter()
                .map(|m| {
                    format!(
                        "{}:{}",
                        m["tenant"]["slug"].as_str().unwrap_or(""),
                        m["role"].as_str().unwrap_or("")
                    )
                })
                .collect()
        })
        .unwrap_or_default();
    out.sort();
    out
}

async fn user_id(app: &TestApp, email: &str) -> String {
    accounts::user_by_email(&app.state.db, email)
        .await
        .expect("user")
        .id
        .to_string()
}

fn link_token(body: &str) -> String {
    body.split("/einladung?token=")
        .nth(1)
        .and_then(|t| t.split_whitespace().next())
        .expect("invitation link")
        .to_owned()
}

const PAGE: &str = "/kommune/dorf/verwaltung";

db_test!(
    roles_are_given_revoked_and_suspended,
    |app: TestApp| async move {
        app.tenant("kreis", TenantKind::Kreis, None).await;
        let dorf = app.tenant("dorf", TenantKind::Kommune, Some("kreis")).await;
        app.sign_in_as("admin@dorf.example", Some((&dorf, Role::Admin)))
            .await;
        let bob = app.other_client();
        bob.sign_in_as("bob@example.org", None).await;

        // An existing account gets the role at once, and a note.
        let to = app
            .post_form(
                &format!("{PAGE}/einladen"),
                &[("email", "Bob@Example.org"), ("rolle", "planner")],
            )
            .await;
        assert_eq!(to, format!("{PAGE}?hinweis=vergeben"));
        assert_eq!(roles(&bob).await, ["dorf:planner"]);
        let (subject, _) = app.last_mail("bob@example.org").await.expect("note to bob");
        assert!(subject.contains("neue Rolle"), "{subject}");

        // A new address gets an invitation; its link creates the account with the role.
        let to = app
            .post_form(
                &format!("{PAGE}/einladen"),
                &[("email", "carol@example.org"), ("rolle", "moderator")],
            )
            .await;
        assert_eq!(to, format!("{PAGE}?hinweis=eingeladen"));
        let html = app.html(PAGE).await;
        assert!(html.contains("carol@example.org"), "open invitation listed");
        let (_, body) = app
            .last_mail("carol@example.org")
            .await
            .expect("invitation");
        let token = link_token(&body);
        let carol = app.other_client();
        let page = carol.html(&format!("/einladung?token={token}")).await;
        assert!(
            page.contains("Test dorf") && page.contains("Moderation"),
            "{page}"
        );
        let to = carol
            .post_form(
                "/einladung",
                &[("token", &token), ("name", "Carol"), ("password", "kurz")],
            )
            .await;
        assert!(to.contains("fehler=PASSWORD_TOO_SHORT"), "{to}");
        let to = carol
            .post_form(
                "/einladung",
                &[
                    ("token", &token),
                    ("name", "Carol"),
                    ("password", "lang genug 123"),
                ],
            )
            .await;
        assert_eq!(to, "/konto?hinweis=eingeladen");
        assert_eq!(roles(&carol).await, ["dorf:moderator"]);
        let again = app.other_client();
        let to = again
            .post_form(
                "/einladung",
                &[
                    ("token", &token),
                    ("name", "Eve"),
                    ("password", "lang genug 123"),
                ],
            )
            .await;
        assert!(
            to.contains("fehler=INVALID_TOKEN"),
            "a link works once: {to}"
        );

        // Revoking takes the role; suspending keeps it listed but makes it grant nothing.
        let bob_id = user_id(&app, "bob@example.org").await;
        let carol_id = user_id(&app, "carol@example.org").await;
        let to = app
            .post_form(
                &format!("{PAGE}/entziehen"),
                &[("person", &bob_id), ("rolle", "planner")],
            )
            .await;
        assert_eq!(to, format!("{PAGE}?hinweis=entzogen"));
        assert!(roles(&bob).await.is_empty());
        let to = app
            .post_form(&format!("{PAGE}/sperren"), &[("person", &carol_id)])
            .await;
        assert_eq!(to, format!("{PAGE}?hinweis=gesperrt"));
        assert!(
            roles(&carol).await.is_empty(),
            "suspended roles grant nothing"
        );
        let html = app.html(PAGE).await;
        assert!(
            html.contains("gesperrt") && html.contains("Zugang freigeben"),
            "still listed"
        );
        app.post_form(&format!("{PAGE}/freigeben"), &[("person", &carol_id)])
            .await;
        assert_eq!(roles(&carol).await, ["dorf:moderator"]);

        // The rules: residents choose themselves, nobody suspends themselves, the last admin stays.
        let admin_id = user_id(&app, "admin@dorf.example").await;
        let to = app
            .post_form(
                &format!("{PAGE}/einladen"),
                &[("email", "x@example.org"), ("rolle", "resident")],
            )
            .await;
        assert!(to.contains("fehler=NOT_GRANTABLE"), "{to}");
        let to = app
            .post_form(&format!("{PAGE}/sperren"), &[("person", &admin_id)])
            .await;
        assert!(to.contains("fehler=OWN_ACCOUNT"), "{to}");
        let to = app
            .post_form(
                &format!("{PAGE}/entziehen"),
                &[("person", &admin_id), ("rolle", "admin")],
            )
            .await;
        assert!(to.contains("fehler=LAST_ADMIN"), "{to}");
        // With a second admin, the first may step down.
        app.post_form(
            &format!("{PAGE}/einladen"),
            &[("email", "carol@example.org"), ("rolle", "admin")],
        )
        .await;
        let to = app
            .post_form(
                &format!("{PAGE}/entziehen"),
                &[("person", &admin_id), ("rolle", "admin")],
            )
            .await;
        assert_eq!(to, format!("{PAGE}?hinweis=entzogen"));

        // Every change is in the log, with who did it.
        let lines = app
            .count("SELECT COUNT(*) FROM audit_log WHERE action LIKE 'member.%'")
            .await;
        assert_eq!(
            lines, 8,
            "granted, invited, accepted, revoked, suspended, restored, granted, revoked"
        );
        let html = carol.html(PAGE).await;
        assert!(
            html.contains("Rolle entzogen") && html.contains("Einladung angenommen"),
            "log shown"
        );
    }
);

db_test!(
    only_administrators_manage_people,
    |app: TestApp| async move {
        let kreis = app.tenant("kreis", TenantKind::Kreis, None).await;
        let dorf = app.tenant("dorf", TenantKind::Kommune, Some("kreis")).await;
        let stadt = app.tenant("stadt", TenantKind::KreisfreieStadt, None).await;
        let planner = app.other_client();
        planner
            .sign_in_as("planung@dorf.example", Some((&dorf, Role::Planner)))
            .await;
        let to = planner
            .post_form(
                &format!("{PAGE}/einladen"),
                &[("email", "x@example.org"), ("rolle", "planner")],
            )
            .await;
        assert!(to.contains("fehler=FORBIDDEN"), "{to}");
        assert!(planner.get(PAGE).await.status() == 403);
        let anonymous = app.other_client();
        let to = anonymous
            .post_form(&format!("{PAGE}/sperren"), &[("person", "1")])
            .await;
        assert!(to.contains("fehler=UNAUTHENTICATED"), "{to}");
        // An admin of another city has no say here; the Kreis's admin has.
        let other = app.other_client();
        other
            .sign_in_as("admin@stadt.example", Some((&stadt, Role::Admin)))
            .await;
        assert!(other.get(PAGE).await.status() == 403);
        let kreis_admin = app.other_client();
        kreis_admin
            .sign_in_as("admin@kreis.example", Some((&kreis, Role::Admin)))
            .await;
        let to = kreis_admin
            .post_form(
                &format!("{PAGE}/einladen"),
                &[("email", "planung@dorf.example"), ("rolle", "moderator")],
            )
            .await;
        assert_eq!(to, format!("{PAGE}?hinweis=vergeben"));
        // A person of another tenant cannot be touched through this one.
        let stadt_admin = user_id(&app, "admin@stadt.example").await;
        let to = kreis_admin
            .post_form(&format!("{PAGE}/sperren"), &[("person", &stadt_admin)])
            .await;
        assert!(to.contains("fehler=NOT_FOUND"), "{to}");
        let kommune = kreis_admin.html("/kommune/dorf").await;
        assert!(
            kommune.contains("/kommune/dorf/verwaltung"),
            "linked for admins"
        );
        let kommune = planner.html("/kommune/dorf").await;
        assert!(
            !kommune.contains("/kommune/dorf/verwaltung"),
            "not for others"
        );
    }
);

db_test!(
    invitations_are_in_the_personal_data_of_who_sent_them,
    |app: TestApp| async move {
        let dorf = app.tenant("dorf", TenantKind::KreisfreieStadt, None).await;
        app.sign_in_as("admin@dorf.example", Some((&dorf, Role::Admin)))
            .await;
        let second = app.other_client();
        second
            .sign_in_as("zweite@dorf.example", Some((&dorf, Role::Admin)))
            .await;
        let to = second
            .post_form(
                &format!("{PAGE}/einladen"),
                &[("email", "dave@example.org"), ("rolle", "planner")],
            )
            .await;
        assert_eq!(to, format!("{PAGE}?hinweis=eingeladen"));

        // The download names the address invited, the role and where; others' downloads do not.
        let data = second
            .get("/konto/daten.json")
            .await
            .text()
            .await
            .expect("body");
        let data: qn_tests::serde_json::Value =
            qn_tests::serde_json::from_str(&data).expect("json");
        let sent = data["einladungen"].as_array().expect("invitations");
        assert_eq!(sent.len(), 1);
        assert_eq!(sent[0]["an"], "dave@example.org");
        assert_eq!(sent[0]["rolle"], "planner");
        assert_eq!(sent[0]["kommune"]["kennung"], "dorf");
        let first = app
            .get("/konto/daten.json")
            .await
            .text()
            .await
            .expect("body");
        assert!(!first.contains("dave@example.org"), "{first}");

        // Deleting the account keeps the invitation usable but no longer tied to the sender.
        let to = second
            .post_form(
                "/konto/loeschen",
                &[
                    ("password", "ein sicheres Testpasswort"),
                    ("bestaetigung", "ja"),
                ],
            )
            .await;
        assert_eq!(to, "/anmelden?hinweis=konto-geloescht");
        assert_eq!(
            app.count("SELECT COUNT(*) FROM invitations WHERE invited_by IS NOT NULL")
                .await,
            0
        );
        assert_eq!(app.count("SELECT COUNT(*) FROM invitations").await, 1);
        let (_, body) = app.last_mail("dave@example.org").await.expect("invitation");
        let dave = app.other_client();
        let to = dave
            .post_form(
                "/einladung",
                &[
                    ("token", &link_token(&body)),
                    ("name", "Dave"),
                    ("password", "lang genug 123"),
                ],
            )
            .await;
        assert_eq!(to, "/konto?hinweis=eingeladen");
        assert_eq!(roles(&dave).await, ["dorf:planner"]);
    }
);
