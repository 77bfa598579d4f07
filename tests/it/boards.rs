//! Participation boards through the real server: posts, placement, comments, support, answers,
//! moderation, bans, devices, sanitising, exports, no-JS forms and CSRF.

use qn_domain::tenancy::{Role, TenantKind};
use qn_tests::serde_json::{json, Value};
use qn_tests::*;
use quartiersnetz::kernel::outbox::entity as outbox;
use sea_orm::EntityTrait;

const CREATE_POST: &str = "mutation($i: PostInput!) { createPost(input: $i) { id moderation bodyHtml title authorName } }";
const POST: &str = "query($id: ID!) { post(id: $id) { post { title bodyHtml status answerHtml answeredBy moderation moderationReason supportCount commentCount tags }
    areaIds comments { id parentId bodyHtml moderation authorName } revisions { title } supportedByMe canModerate } }";
const POSTS: &str = "query($b: ID!, $s: PostSort!) { posts(boardId: $b, sort: $s) { total items { id title supportCount moderation } } }";

/// A city with two Bezirke and four Viertel (0.01° squares from x=7.0), its planner signed in.
async fn city(app: &TestApp, slug: &str) -> quartiersnetz::tenancy::Tenant {
    CityBuilder::new(slug).build(app).await.tenant
}

async fn board(
    app: &TestApp,
    tenant: &quartiersnetz::tenancy::Tenant,
    access: &str,
    premoderate: bool,
) -> String {
    let b = BoardBuilder::new(tenant).access(access);
    if premoderate { b.premoderated() } else { b }
        .build(app)
        .await
}

async fn post(app: &TestApp, board: &str, extra: Value) -> Value {
    let mut input = json!({"boardId": board, "kind": "IDEA", "title": "Mehr Bänke", "body": "Am Platz fehlen Bänke."});
    if let (Some(i), Some(e)) = (input.as_object_mut(), extra.as_object()) {
        i.extend(e.clone());
    }
    app.gql(CREATE_POST, json!({"i": input})).await
}

fn post_id(r: &Value) -> String {
    r["data"]["createPost"]["id"]
        .as_str()
        .unwrap_or_else(|| panic!("post: {r}"))
        .to_owned()
}

async fn resident(app: &TestApp, email: &str) -> TestApp {
    let c = app.other_client();
    c.sign_in_as(email, None).await;
    c
}

db_test!(
    posts_are_placed_commented_supported_and_answered,
    |app: TestApp| async move {
        let t = city(&app, "stadt").await;
        let b = board(&app, &t, "ACCOUNTS", false).await;
        let tag = app
            .gql_ok(
                "mutation($t: ID!) { createBoardTag(tenantId: $t, name: \"Wohnen\") { id } }",
                json!({"t": t.id.to_string()}),
            )
            .await["createBoardTag"]["id"]
            .clone();
        let anna = resident(&app, "anna@example.org").await;
        let bob = resident(&app, "bob@example.org").await;

        // Anonymous people cannot write on a board for accounts.
        let anonymous = app.other_client();
        assert_eq!(
            error_code(&post(&anonymous, &b, json!({})).await),
            "ACCOUNT_REQUIRED"
        );
        // A point outside the city, and bad input, are refused with precise codes.
        assert_eq!(
            error_code(&post(&anna, &b, json!({"lon": 8.5, "lat": 50.005})).await),
            "POINT_OUTSIDE"
        );
        assert_eq!(
            error_code(&post(&anna, &b, json!({"title": "  "})).await),
            "TITLE_MISSING"
        );
        assert_eq!(
            error_code(&post(&anna, &b, json!({"body": "x".repeat(10_001)})).await),
            "BODY_TOO_LONG"
        );
        assert_eq!(
            error_code(&post(&anna, &b, json!({"tagIds": ["99999"]})).await),
            "VALIDATION"
        );

        // In Altdorf (V1, inside Bezirk Nord).
        let r = post(
            &anna,
            &b,
            json!({"lon": 7.005, "lat": 50.005, "tagIds": [tag]}),
        )
        .await;
        let p = post_id(&r);
        let d = anna.gql_ok(POST, json!({"id": p})).await;
        assert_eq!(
            d["post"]["areaIds"].as_array().map(Vec::len),
            Some(2),
            "{d}"
        );
        assert_eq!(d["post"]["post"]["tags"], json!(["Wohnen"]));
        let altdorf = d["post"]["areaIds"][1].as_str().expect("area").to_owned();
        let fc: Value = app
            .get(&format!("/api/v1/areas/{altdorf}/posts.geojson"))
            .await
            .json()
            .await
            .expect("geojson");
        assert_eq!(fc["features"][0]["properties"]["title"], "Mehr Bänke");
        assert_eq!(
            fc["features"][0]["geometry"]["coordinates"],
            json!([7.005, 50.005])
        );
        assert_eq!(fc["features"].as_array().map(Vec::len), Some(1));
        assert_eq!(fc["features"][0]["id"].to_string(), p.to_string());
        // A board without points: an empty collection, not null.
        let empty = board(&app, &t, "ACCOUNTS", false).await;
        let fc: Value = app
            .get(&format!("/api/v1/boards/{empty}/posts.geojson"))
            .await
            .json()
            .await
            .expect("geojson");
        assert_eq!(fc, json!({"type": "FeatureCollection", "features": []}));

        // Comments with one level of replies.
        let c = bob
            .gql_ok(
                "mutation($p: ID!) { createComment(postId: $p, body: \"Gute Idee\") { id } }",
                json!({"p": p}),
            )
            .await["createComment"]["id"]
            .clone();
        let reply = anna
            .gql_ok(
                "mutation($p: ID!, $c: ID!) { createComment(postId: $p, parentId: $c, body: \"Danke\") { id } }",
                json!({"p": p, "c": c}),
            )
            .await["createComment"]["id"]
            .clone();
        let r = bob
            .gql(
                "mutation($p: ID!, $c: ID!) { createComment(postId: $p, parentId: $c, body: \"Noch tiefer\") { id } }",
                json!({"p": p, "c": reply}),
            )
            .await;
        assert_eq!(error_code(&r), "NESTED_REPLY");

        // Support once per account.
        const SUPPORT: &str = "mutation($p: ID!) { supportPost(id: $p) }";
        assert_eq!(bob.gql_ok(SUPPORT, json!({"p": p})).await["supportPost"], 1);
        assert_eq!(
            error_code(&bob.gql(SUPPORT, json!({"p": p})).await),
            "ALREADY_SUPPORTED"
        );
        assert_eq!(
            anna.gql_ok(SUPPORT, json!({"p": p})).await["supportPost"],
            2
        );
        let second = post_id(&post(&bob, &b, json!({"title": "Zweiter Beitrag"})).await);
        let list = app
            .gql_ok(POSTS, json!({"b": b, "s": "MOST_SUPPORTED"}))
            .await;
        assert_eq!(list["posts"]["total"], 2);
        assert_eq!(list["posts"]["items"][0]["id"], json!(p));
        let list = app.gql_ok(POSTS, json!({"b": b, "s": "NEWEST"})).await;
        assert_eq!(list["posts"]["items"][0]["id"], json!(second));

        // Bob follows; only the administration answers; followers and the author get a mail.
        bob.gql_ok("mutation($p: ID!) { follow(postId: $p) }", json!({"p": p}))
            .await;
        const ANSWER: &str = "mutation($p: ID!) { answerPost(id: $p, status: IN_CONFERENCE, answer: \"Wir nehmen das in die Konferenz mit.\") { status answerHtml } }";
        assert_eq!(
            error_code(&anna.gql(ANSWER, json!({"p": p})).await),
            "FORBIDDEN"
        );
        let a = app.gql_ok(ANSWER, json!({"p": p})).await;
        assert_eq!(a["answerPost"]["status"], "IN_CONFERENCE");
        let d = anna.gql_ok(POST, json!({"id": p})).await;
        assert_eq!(
            d["post"]["post"]["answerHtml"],
            "<p>Wir nehmen das in die Konferenz mit.</p>"
        );
        assert_eq!(d["post"]["post"]["answeredBy"], "Test stadt");
        assert_eq!(d["post"]["post"]["commentCount"], 2);
        assert_eq!(d["post"]["comments"][1]["parentId"], json!(c));
        let mails: Vec<String> = outbox::Entity::find()
            .all(&app.state.db)
            .await
            .expect("outbox")
            .into_iter()
            .filter(|m| m.subject.contains("Antwort"))
            .map(|m| m.recipient)
            .collect();
        assert_eq!(mails.len(), 2, "{mails:?}");
        assert!(
            mails.contains(&"anna@example.org".to_owned())
                && mails.contains(&"bob@example.org".to_owned())
        );

        // The pages show it without JavaScript: list, post with answer, Quartier map points.
        let html = app.html(&format!("/beitrag/{p}")).await;
        assert!(
            html.contains("Antwort der Verwaltung")
                && html.contains("Wir nehmen das in die Konferenz mit.")
        );
        assert!(html.contains("in der Sozialraumkonferenz"));
        let html = app.html(&format!("/pinnwand/{b}?sort=unterstuetzt")).await;
        assert!(html.contains("Mehr Bänke") && html.contains("Zweiter Beitrag"));
        assert!(html.contains("Freundlich bleiben") && !html.contains("<script>x</script>"));

        // Deleting the account removes the name, not the contribution.
        anna.gql_ok(
            "mutation { deleteAccount(password: \"ein sicheres Testpasswort\") }",
            json!({}),
        )
        .await;
        let d = app.gql_ok(POSTS, json!({"b": b, "s": "NEWEST"})).await;
        assert_eq!(d["posts"]["total"], 2);
        let html = app.html(&format!("/beitrag/{p}")).await;
        assert!(html.contains("gelöschtes Konto") && !html.contains("anna@example.org"));
    }
);

db_test!(
    anonymous_boards_count_devices_and_moderators_ban_and_hide,
    |app: TestApp| async move {
        let t = city(&app, "stadt").await;
        let b = board(&app, &t, "ANONYMOUS", false).await;
        let other = app
            .tenant("andere", TenantKind::KreisfreieStadt, None)
            .await;
        let stranger = resident(&app, "mod@andere.test").await;
        accounts_grant(&app, "mod@andere.test", &other, Role::Moderator).await;
        let moderator = resident(&app, "mod@stadt.test").await;
        accounts_grant(&app, "mod@stadt.test", &t, Role::Moderator).await;

        let device = app.other_client();
        assert_eq!(
            error_code(&post(&device, &b, json!({})).await),
            "DISPLAY_NAME_INVALID"
        );
        let r = post(&device, &b, json!({"displayName": "Nachbarin <b>X</b>"})).await;
        let p = post_id(&r);
        assert_eq!(r["data"]["createPost"]["authorName"], "Nachbarin <b>X</b>");

        // One support per device; another device may support too.
        const SUPPORT: &str = "mutation($p: ID!) { supportPost(id: $p) }";
        assert_eq!(
            device.gql_ok(SUPPORT, json!({"p": p})).await["supportPost"],
            1
        );
        assert_eq!(
            error_code(&device.gql(SUPPORT, json!({"p": p})).await),
            "ALREADY_SUPPORTED"
        );
        let second_device = app.other_client();
        assert_eq!(
            second_device.gql_ok(SUPPORT, json!({"p": p})).await["supportPost"],
            2
        );

        // A moderator of another Kommune can neither hide nor ban here.
        const HIDE: &str = "mutation($p: ID!) { moderate(target: POST, id: $p, to: HIDDEN, reason: \"Beleidigung\") }";
        assert_eq!(
            error_code(&stranger.gql(HIDE, json!({"p": p})).await),
            "FORBIDDEN"
        );
        const BAN: &str = "mutation($p: ID!) { banAuthor(target: POST, id: $p, reason: \"Spam\", days: 7) { id until } }";
        assert_eq!(
            error_code(&stranger.gql(BAN, json!({"p": p})).await),
            "FORBIDDEN"
        );
        assert_eq!(
            error_code(&device.gql(HIDE, json!({"p": p})).await),
            "UNAUTHENTICATED"
        );

        // Banned devices cannot write, support or comment; lifting the ban lets them again.
        let ban = moderator.gql_ok(BAN, json!({"p": p})).await["banAuthor"]["id"].clone();
        assert_eq!(
            error_code(&post(&device, &b, json!({"displayName": "X"})).await),
            "BANNED"
        );
        let r = device
            .gql("mutation($p: ID!) { createComment(postId: $p, body: \"hallo\", displayName: \"X\") { id } }", json!({"p": p}))
            .await;
        assert_eq!(error_code(&r), "BANNED");
        moderator
            .gql_ok("mutation($b: ID!) { liftBan(id: $b) }", json!({"b": ban}))
            .await;
        post_id(
            &post(
                &device,
                &b,
                json!({"displayName": "X", "title": "Wieder da"}),
            )
            .await,
        );

        // Rate limit per device: five posts an hour.
        for i in 0..3 {
            post_id(
                &post(
                    &device,
                    &b,
                    json!({"displayName": "X", "title": format!("Nr. {i}")}),
                )
                .await,
            );
        }
        assert_eq!(
            error_code(&post(&device, &b, json!({"displayName": "X"})).await),
            "TOO_MANY"
        );

        // Hidden: the reason stands in place of the post for everyone but moderators.
        moderator.gql_ok(HIDE, json!({"p": p})).await;
        let d = device.gql_ok(POST, json!({"id": p})).await;
        assert_eq!(d["post"]["post"]["title"], "");
        assert_eq!(d["post"]["post"]["moderation"], "HIDDEN");
        assert_eq!(d["post"]["post"]["moderationReason"], "Beleidigung");
        let html = device.html(&format!("/beitrag/{p}")).await;
        assert!(html.contains("Ausgeblendet durch die Moderation") && html.contains("Beleidigung"));
        assert!(!html.contains("Mehr Bänke"));
        let d = moderator.gql_ok(POST, json!({"id": p})).await;
        assert_eq!(d["post"]["post"]["title"], "Mehr Bänke");
        moderator
            .gql_ok("mutation($p: ID!) { moderate(target: POST, id: $p, to: VISIBLE, reason: \"Missverständnis\") }", json!({"p": p}))
            .await;
        assert_eq!(
            device.gql_ok(POST, json!({"id": p})).await["post"]["post"]["title"],
            "Mehr Bänke"
        );
        let log = moderator
            .gql_ok(
                "query($t: ID!) { auditLog(tenantId: $t) { action subject detail } }",
                json!({"t": t.id.to_string()}),
            )
            .await;
        let actions: Vec<&str> = log["auditLog"]
            .as_array()
            .expect("log")
            .iter()
            .filter_map(|e| e["action"].as_str())
            .collect();
        assert_eq!(actions, vec!["restore", "hide", "unban", "ban"]);
    }
);

async fn accounts_grant(
    app: &TestApp,
    email: &str,
    t: &quartiersnetz::tenancy::Tenant,
    role: Role,
) {
    let user = quartiersnetz::accounts::user_by_email(&app.state.db, email)
        .await
        .expect("user");
    quartiersnetz::accounts::grant(&app.state.db, user.id, t.id, role)
        .await
        .expect("grant");
}

db_test!(
    reports_word_filter_and_premoderation_fill_the_queue,
    |app: TestApp| async move {
        let t = city(&app, "stadt").await;
        let b = board(&app, &t, "ACCOUNTS", true).await;
        let moderator = resident(&app, "mod@stadt.test").await;
        accounts_grant(&app, "mod@stadt.test", &t, Role::Moderator).await;
        moderator
            .gql_ok(
                "mutation($t: ID!) { setFilterWords(tenantId: $t, words: [\"idiot*\", \"\"]) }",
                json!({"t": t.id.to_string()}),
            )
            .await;
        let anna = resident(&app, "anna@example.org").await;
        const QUEUE: &str = "query($t: ID!) { moderationQueue(tenantId: $t) { target id heldReason reports moderation } }";

        // A first post waits on a pre-moderated board; the author sees it, others do not.
        let first = post_id(&post(&anna, &b, json!({})).await);
        assert_eq!(
            anna.gql_ok(POST, json!({"id": first})).await["post"]["post"]["moderation"],
            "PENDING"
        );
        assert_eq!(
            app.other_client().gql_ok(POST, json!({"id": first})).await["post"],
            Value::Null
        );
        assert_eq!(
            app.other_client()
                .gql_ok(POSTS, json!({"b": b, "s": "NEWEST"}))
                .await["posts"]["total"],
            0
        );
        let q = moderator
            .gql_ok(QUEUE, json!({"t": t.id.to_string()}))
            .await;
        assert_eq!(q["moderationQueue"][0]["heldReason"], "erster Beitrag");
        assert_eq!(
            error_code(&anna.gql(QUEUE, json!({"t": t.id.to_string()})).await),
            "FORBIDDEN"
        );
        moderator
            .gql_ok(
                "mutation($p: ID!) { moderate(target: POST, id: $p, to: VISIBLE, reason: \"ok\") }",
                json!({"p": first}),
            )
            .await;
        // Once known, the next post appears at once, unless it contains a filtered word.
        let second = post(&anna, &b, json!({"title": "Zweiter"})).await;
        assert_eq!(second["data"]["createPost"]["moderation"], "VISIBLE");
        let rude = post(&anna, &b, json!({"body": "Lauter Idioten hier"})).await;
        assert_eq!(rude["data"]["createPost"]["moderation"], "PENDING");

        // Anyone can report; the report lands in the queue with its reason.
        let reporter = app.other_client();
        let second = post_id(&second);
        assert_eq!(
            error_code(
                &reporter
                    .gql(
                        "mutation($p: ID!) { report(target: POST, id: $p, reason: \" \") }",
                        json!({"p": second})
                    )
                    .await
            ),
            "REASON_INVALID"
        );
        reporter
            .gql_ok(
                "mutation($p: ID!) { report(target: POST, id: $p, reason: \"Werbung\") }",
                json!({"p": second}),
            )
            .await;
        let q = moderator
            .gql_ok(QUEUE, json!({"t": t.id.to_string()}))
            .await;
        let items = q["moderationQueue"].as_array().expect("queue");
        assert_eq!(items.len(), 2, "{q}");
        assert_eq!(items[0]["reports"], json!(["Werbung"]));
        assert_eq!(items[1]["heldReason"], "Wortfilter: „idiot*“");
        moderator
            .gql_ok(
                "mutation($p: ID!) { dismissReports(target: POST, id: $p) }",
                json!({"p": second}),
            )
            .await;
        let q = moderator
            .gql_ok(QUEUE, json!({"t": t.id.to_string()}))
            .await;
        assert_eq!(q["moderationQueue"].as_array().map(Vec::len), Some(1));

        // The queue page works without JavaScript.
        let html = moderator.html("/kommune/stadt/moderation").await;
        assert!(html.contains("Wortfilter: „idiot*“") && html.contains("Lauter Idioten hier"));
        assert_eq!(
            app.other_client()
                .get("/kommune/stadt/moderation")
                .await
                .status(),
            403
        );

        // Edits keep the earlier version.
        anna.gql_ok("mutation($p: ID!) { editPost(id: $p, title: \"Zweiter, korrigiert\", body: \"Neu\\n\\nmit a < b\") { title } }", json!({"p": second}))
            .await;
        let d = anna.gql_ok(POST, json!({"id": second})).await;
        assert_eq!(d["post"]["revisions"][0]["title"], "Zweiter");
        // The edit form gives back the typed text (blank line, '<' as typed), not the markup,
        // and only to those who may edit.
        let html = anna.html(&format!("/beitrag/{second}")).await;
        assert!(
            html.contains("name=\"text\" rows=\"6\" required maxlength=\"10000\">Neu\n\nmit a &lt; b</textarea>"),
            "{html}"
        );
        let html = app.other_client().html(&format!("/beitrag/{second}")).await;
        assert!(html.contains("mit a &lt; b") && !html.contains("id=\"e-text\""));
        let other = resident(&app, "bob@example.org").await;
        assert_eq!(
            error_code(&other.gql("mutation($p: ID!) { editPost(id: $p, title: \"Meins\", body: \"x\") { title } }", json!({"p": second})).await),
            "FORBIDDEN"
        );
    }
);

db_test!(
    rich_text_is_sanitised_and_titles_escaped,
    |app: TestApp| async move {
        let t = city(&app, "stadt").await;
        let b = board(&app, &t, "ANONYMOUS", false).await;
        let vectors: Vec<String> =
            serde_json::from_str(include_str!("../fixtures/xss-vectors.json")).expect("vectors");
        let writer = app.other_client();
        let mut ids = Vec::new();
        for (i, v) in vectors.iter().enumerate().step_by(9) {
            let r = post(&writer, &b, json!({"title": v.chars().take(150).collect::<String>(), "body": format!("{v}\n\nText {i}"), "displayName": v.chars().take(60).collect::<String>()})).await;
            let html = r["data"]["createPost"]["bodyHtml"]
                .as_str()
                .unwrap_or_else(|| panic!("{v}: {r}"))
                .to_lowercase();
            for bad in [
                "<script",
                "<img",
                "<iframe",
                "<svg",
                "<style",
                "<object",
                "<embed",
                "<meta",
                "<link",
                "<base",
                "onerror",
                "onload",
                "javascript:",
                "vbscript:",
                "style=",
            ] {
                assert!(!html.contains(bad), "{v} gave {html}");
            }
            ids.push(post_id(&r));
            if ids.len() == 5 {
                break;
            }
        }
        // The page prints titles and names as text: the markup arrives escaped.
        let html = app.html(&format!("/beitrag/{}", ids[0])).await;
        assert!(!html.contains(&vectors[0]), "raw vector in page");
        // Another device: the first used up its five posts of the hour.
        let links = post(&app.other_client(), &b, json!({"title": "Links", "displayName": "L", "body": "<a href=\"https://koeln.de\">ok</a> <a href=\"javascript:alert(1)\">böse</a>"})).await;
        assert_eq!(
            links["data"]["createPost"]["bodyHtml"],
            "<p><a href=\"https://koeln.de\" rel=\"nofollow ugc noopener\">ok</a> <a rel=\"nofollow ugc noopener\">böse</a></p>"
        );
    }
);

db_test!(exports_forms_and_csrf, |app: TestApp| async move {
    let t = city(&app, "stadt").await;
    let b = board(&app, &t, "ACCOUNTS", false).await;
    let anna = resident(&app, "anna@example.org").await;
    // The no-JS form: a plain POST answered with a redirect to the new post.
    let r = anna
        .client
        .post(format!("{}/pinnwand/{b}/beitraege", anna.url))
        .header("origin", &anna.url)
        .body("art=concern&titel=Dunkler+Weg&text=Abends+kein+Licht&lat=50%2C005&lon=7.015")
        .header("content-type", "application/x-www-form-urlencoded")
        .send()
        .await
        .expect("post");
    assert_eq!(r.status(), 303);
    let location = r.headers()["location"]
        .to_str()
        .expect("location")
        .to_owned();
    assert!(
        location.starts_with("/beitrag/") && location.ends_with("?hinweis=erstellt"),
        "{location}"
    );
    // A bad form comes back with the German message and the typed text.
    let location = anna
        .post_form(
            &format!("/pinnwand/{b}/beitraege"),
            &[
                ("art", "idea"),
                ("titel", ""),
                ("text", "Mein langer Text</textarea><b id=\"raus\">"),
            ],
        )
        .await;
    assert!(
        location.contains("fehler=TITLE_MISSING") && location.contains("Mein+langer+Text"),
        "{location}"
    );
    // The typed text comes back inside the textarea, escaped: it cannot close the element
    // (Leptos writes textarea contents raw; pages::textarea_text escapes them).
    let html = anna.html(&location).await;
    assert!(
        html.contains("Mein langer Text&lt;/textarea&gt;&lt;b id=\"raus\"&gt;</textarea>")
            && !html.contains("<b id=\"raus\">"),
        "{html}"
    );
    // Cross-site posts are refused.
    let r = anna
        .client
        .post(format!("{}/pinnwand/{b}/beitraege", anna.url))
        .header("origin", "https://evil.example")
        .form(&[("art", "idea"), ("titel", "X"), ("text", "Y")])
        .send()
        .await
        .expect("post");
    assert_eq!(r.status(), 403);

    // The planners' CSV: the tenant's administration only.
    let csv = app.get(&format!("/api/v1/boards/{b}/posts.csv")).await;
    assert_eq!(csv.status(), 200);
    let text = csv.text().await.expect("csv");
    assert!(
        text.starts_with('\u{feff}')
            && text.contains("Dunkler Weg")
            && text.contains("Nord|Bergheim"),
        "{text}"
    );
    assert_eq!(
        app.other_client()
            .get(&format!("/api/v1/boards/{b}/posts.csv"))
            .await
            .status(),
        401
    );
    assert_eq!(
        anna.get(&format!("/api/v1/boards/{b}/posts.csv"))
            .await
            .status(),
        403
    );
    let geo: Value = app
        .other_client()
        .get(&format!("/api/v1/boards/{b}/posts.geojson"))
        .await
        .json()
        .await
        .expect("geojson");
    assert_eq!(geo["features"][0]["properties"]["kind"], "concern");
});

db_test!(
    people_see_download_rename_and_delete_what_is_stored_about_them,
    |app: TestApp| async move {
        let t = city(&app, "stadt").await;
        // Signed-in people may write under another name on an open board.
        let b = board(&app, &t, "ANONYMOUS", false).await;
        let anna = resident(&app, "anna@example.org").await;
        let bob = resident(&app, "bob@example.org").await;
        let mine = post_id(&post(&anna, &b, json!({"title": "Mehr Licht im Park"})).await);
        let pseudonym = post_id(
            &post(
                &anna,
                &b,
                json!({"title": "Unter anderem Namen", "displayName": "Nachbarin"}),
            )
            .await,
        );
        let theirs = post_id(&post(&bob, &b, json!({"title": "Bobs Idee"})).await);
        anna.gql_ok(
            "mutation($p: ID!) { createComment(postId: $p, body: \"Gute Idee, Bob\") { id } }",
            json!({"p": theirs}),
        )
        .await;
        anna.gql_ok(
            "mutation($p: ID!) { supportPost(id: $p) }",
            json!({"p": theirs}),
        )
        .await;
        anna.gql_ok("mutation($b: ID!) { follow(boardId: $b) }", json!({"b": b}))
            .await;

        // Without an account there is nothing to show or download.
        let html = app.other_client().html("/konto").await;
        assert!(html.contains("Melden Sie sich an, um Ihr Konto zu sehen."));
        let r = app.other_client().get("/konto/daten.json").await;
        assert_eq!(r.status(), 303);
        assert_eq!(r.headers()["location"], "/anmelden?weiter=/konto");

        // The page counts what is stored and offers the download.
        // (Leptos marks text boundaries with `<!>` for hydration.)
        let html = anna.html("/konto").await.replace("<!>", "");
        assert!(html.contains("anna@example.org"));
        for line in [
            "<strong>2</strong> Beiträge",
            "<strong>1</strong> Kommentare",
            "<strong>1</strong> unterstützte Beiträge",
            "<strong>1</strong> Pinnwände und Beiträge, denen Sie folgen",
        ] {
            assert!(html.contains(line), "{line}");
        }
        assert!(html.contains("href=\"/konto/daten.json\""));

        // The download has Anna's contributions, no secrets, nothing of Bob.
        let r = anna.get("/konto/daten.json").await;
        assert_eq!(r.status(), 200);
        assert!(r.headers()["content-disposition"]
            .to_str()
            .is_ok_and(|d| d.starts_with("attachment")));
        assert_eq!(r.headers()["cache-control"], "no-store");
        let text = r.text().await.expect("body");
        let data: Value = qn_tests::serde_json::from_str(&text).expect("json");
        assert_eq!(data["konto"]["email"], "anna@example.org");
        let titles: Vec<&str> = data["beitraege"]
            .as_array()
            .expect("posts")
            .iter()
            .filter_map(|p| p["titel"].as_str())
            .collect();
        assert_eq!(titles, ["Mehr Licht im Park", "Unter anderem Namen"]);
        assert_eq!(data["kommentare"][0]["beitrag"].to_string(), theirs);
        assert_eq!(data["unterstuetzt"][0]["beitrag"].to_string(), theirs);
        assert_eq!(data["folgt"][0]["pinnwand"].to_string(), b);
        assert_eq!(data["anmeldungen"].as_array().map(Vec::len), Some(1));
        assert!(!text.contains("Bobs Idee") && !text.contains("bob@example.org"));
        assert!(!text.contains("argon2") && !text.contains("token"));
        // Through GraphQL too, for the signed-in person only.
        let g = anna.gql_ok("{ viewer { personalData } }", json!({})).await;
        assert_eq!(g["viewer"]["personalData"]["beitraege"], data["beitraege"]);

        // A new name shows on what was written under the old one, not under a pseudonym.
        let to = anna
            .post_form("/konto/name", &[("display_name", "  ")])
            .await;
        assert!(to.starts_with("/konto?fehler="), "{to}");
        let to = anna
            .post_form("/konto/name", &[("display_name", "Anna K.")])
            .await;
        assert_eq!(to, "/konto?hinweis=name-geaendert");
        let author = |id: String| {
            let app = &app;
            async move {
                app.gql_ok(
                    "query($id: ID!) { post(id: $id) { post { authorName } } }",
                    json!({"id": id}),
                )
                .await["post"]["post"]["authorName"]
                    .clone()
            }
        };
        assert_eq!(author(mine.clone()).await, "Anna K.");
        assert_eq!(author(pseudonym.clone()).await, "Nachbarin");
        assert_eq!(author(theirs.clone()).await, "bob@example.org");

        // Deleting needs the tick and the password; then the account, its sessions and its
        // mails are gone, the contributions stay without the name.
        let users = "SELECT COUNT(*) FROM users WHERE email = 'anna@example.org'";
        let to = anna
            .post_form(
                "/konto/loeschen",
                &[("password", "ein sicheres Testpasswort")],
            )
            .await;
        assert!(to.starts_with("/konto?fehler=VALIDATION"), "{to}");
        let to = anna
            .post_form(
                "/konto/loeschen",
                &[("password", "falsch"), ("bestaetigung", "ja")],
            )
            .await;
        assert_eq!(to, "/konto?fehler=INVALID_CREDENTIALS");
        assert_eq!(app.count(users).await, 1);
        quartiersnetz::kernel::outbox::enqueue(&app.state.db, "anna@example.org", "Hallo", "Text")
            .await
            .expect("mail");
        let to = anna
            .post_form(
                "/konto/loeschen",
                &[
                    ("password", "ein sicheres Testpasswort"),
                    ("bestaetigung", "ja"),
                ],
            )
            .await;
        assert_eq!(to, "/anmelden?hinweis=konto-geloescht");
        assert_eq!(app.count(users).await, 0);
        assert_eq!(
            app.count("SELECT COUNT(*) FROM outbox WHERE recipient = 'anna@example.org'")
                .await,
            0
        );
        assert_eq!(app.count("SELECT COUNT(*) FROM board_follows").await, 0);
        assert_eq!(author(mine).await, "gelöschtes Konto");
        assert_eq!(author(pseudonym).await, "gelöschtes Konto");
        let html = anna.html("/konto").await;
        assert!(html.contains("Melden Sie sich an, um Ihr Konto zu sehen."));
        let html = anna.html("/anmelden?hinweis=konto-geloescht").await;
        assert!(html.contains("Ihr Konto und die Daten dazu sind gelöscht."));
    }
);

db_test!(old_mail_records_are_purged, |app: TestApp| async move {
    use quartiersnetz::kernel::outbox as mail;
    use sea_orm::{ActiveModelTrait, Set};
    let old = chrono::Utc::now() - chrono::Duration::days(mail::KEEP_DAYS + 1);
    // Sent long ago, and given up long ago: both go. (The server's own worker purges too, so
    // only the end state is checked, not who removed what.)
    for (recipient, sent, attempts) in [("a@example.org", Some(old), 1), ("b@example.org", None, 5)]
    {
        outbox::ActiveModel {
            recipient: Set(recipient.into()),
            subject: Set("Erinnerung".into()),
            body: Set(String::new()),
            created_at: Set(old),
            sent_at: Set(sent),
            attempts: Set(attempts),
            last_error: Set(None),
            ..Default::default()
        }
        .insert(&app.state.db)
        .await
        .expect("insert");
    }
    mail::enqueue(&app.state.db, "c@example.org", "Neu", "")
        .await
        .expect("mail");
    mail::purge_old(&app.state.db).await.expect("purge");
    let left: Vec<String> = outbox::Entity::find()
        .all(&app.state.db)
        .await
        .expect("outbox")
        .into_iter()
        .map(|m| m.recipient)
        .collect();
    assert_eq!(left, ["c@example.org"]);
});

db_test!(
    hostile_text_is_refused_clearly_or_kept_inside_its_box,
    |app: TestApp| async move {
        let t = city(&app, "stadt").await;
        let b = board(&app, &t, "ACCOUNTS", false).await;
        // NUL: refused at the edge with a clear code on both databases, never INTERNAL.
        let r = post(&app, &b, json!({"body": "Bänke\u{0} fehlen"})).await;
        assert_eq!(error_code(&r), "CONTROL_CHARACTER", "{r}");
        let r = app
            .gql(
                "query($s: String!) { tenant(slug: $s) { id } }",
                json!({"s": "stadt\u{0}"}),
            )
            .await;
        assert_eq!(error_code(&r), "CONTROL_CHARACTER", "{r}");
        let form = app
            .client
            .post(format!("{}/pinnwand/{b}/beitraege", app.url))
            .header("origin", &app.url)
            .header("accept", "text/html")
            .header("content-type", "application/x-www-form-urlencoded")
            .body("art=idea&titel=Hallo&text=a%00b")
            .send()
            .await
            .expect("form");
        assert_eq!(form.status(), 400);
        let page = form.text().await.expect("page");
        assert!(page.contains("Steuerzeichen"), "{page}");
        assert_eq!(
            app.count("SELECT COUNT(*) FROM board_posts").await,
            0,
            "nothing stored"
        );

        // A right-to-left override cannot turn a title or a name around.
        let p = post_id(&post(&app, &b, json!({"title": "Bänke \u{202E}gnutlawrevtdatS"})).await);
        let d = app
            .gql_ok(
                "query($p: ID!) { post(id: $p) { post { title } } }",
                json!({"p": p}),
            )
            .await;
        assert_eq!(d["post"]["post"]["title"], "Bänke gnutlawrevtdatS");

        // A bare <li> in a comment stays inside its comment: the comment list cannot get a
        // forged entry (the browser closes an open <li> only up to the <article>).
        app.gql_ok(
            "mutation($p: ID!, $b: String!) { createComment(postId: $p, body: $b) { id } }",
            json!({"p": p, "b": "<li>x</li><li><strong>Stadtverwaltung</strong> · 01.12.2026 Das Projekt wurde gestoppt</li>"}),
        )
        .await;
        let html = app.html(&format!("/beitrag/{p}")).await;
        let forged = html
            .find("Das Projekt wurde gestoppt")
            .expect("comment shown");
        let before = &html[..forged];
        assert!(
            before.rfind("<article class=\"user-content\">") > before.rfind("</article>"),
            "the comment's markup is inside its article: {html}"
        );

        // Page numbers far beyond the end answer, with an empty page.
        let d = app
            .gql_ok(
                "query($b: ID!) { posts(boardId: $b, page: 9223372036854775807) { total items { id } } }",
                json!({"b": b}),
            )
            .await;
        assert_eq!(d["posts"]["items"], json!([]), "{d}");
        let r = app
            .get(&format!("/pinnwand/{b}?seite=9223372036854775807"))
            .await;
        assert_eq!(r.status(), 200);
    }
);

/// Without the device cookie every request is a new device, so anonymous writes are also
/// counted per client address.
#[test]
fn anonymous_writes_are_limited_per_client_address_without_cookies() {
    runtime().block_on(async {
        for db in [Db::Sqlite, Db::Postgres] {
            let Some(database) = TestDatabase::new(db).await else {
                continue;
            };
            let app = TestApp::spawn(&database.url, |s| s.anonymous_writes_per_hour = 3).await;
            let t = city(&app, "stadt").await;
            let b = board(&app, &t, "ANONYMOUS", false).await;
            let mut codes = Vec::new();
            for i in 0..5 {
                // A fresh client each time: no device cookie is ever sent back.
                let r = post(
                    &app.other_client(),
                    &b,
                    json!({"title": format!("Beitrag {i}"), "displayName": "Anna"}),
                )
                .await;
                codes.push(
                    r["errors"][0]["extensions"]["code"]
                        .as_str()
                        .map(str::to_owned),
                );
            }
            assert_eq!(
                codes,
                vec![
                    None,
                    None,
                    None,
                    Some("RATE_LIMITED".into()),
                    Some("RATE_LIMITED".into())
                ],
                "{db:?}"
            );
            // Accounts are not counted against the address.
            let r = post(&app, &b, json!({"title": "Vom Planungsamt"})).await;
            assert!(r.get("errors").is_none(), "{r}");
            database.cleanup().await;
        }
    });
}

db_test!(
    a_flooded_moderation_queue_is_paged,
    |app: TestApp| async move {
        use quartiersnetz::boards::entity::board_posts;
        use sea_orm::{ActiveModelTrait, Set};
        let t = city(&app, "stadt").await;
        let b: i32 = board(&app, &t, "ANONYMOUS", false)
            .await
            .parse()
            .expect("board id");
        // 60 held posts, as a flood of anonymous posts would leave them.
        let now = chrono::Utc::now();
        for i in 0..60 {
            board_posts::ActiveModel {
                board_id: Set(b),
                tenant_id: Set(t.id),
                author_name: Set("Flut".into()),
                kind: Set("idea".into()),
                title: Set(format!("Flut {i}")),
                body_html: Set("<p>x</p>".into()),
                status: Set("new".into()),
                moderation: Set("pending".into()),
                moderation_reason: Set(Some("erster Beitrag".into())),
                support_count: Set(0),
                comment_count: Set(0),
                created_at: Set(now),
                updated_at: Set(now),
                ..Default::default()
            }
            .insert(&app.state.db)
            .await
            .expect("post");
        }
        let moderator = app.other_client();
        moderator
            .sign_in_as("moderation@stadt.test", Some((&t, Role::Moderator)))
            .await;
        let first = moderator.html("/kommune/stadt/moderation").await;
        assert_eq!(first.matches("<li class=\"card\">").count(), 50);
        assert!(
            first.contains("/kommune/stadt/moderation?seite=2"),
            "a link to page 2"
        );
        let second = moderator.html("/kommune/stadt/moderation?seite=2").await;
        assert_eq!(second.matches("<li class=\"card\">").count(), 10);
        let beyond = moderator
            .html("/kommune/stadt/moderation?seite=999999999")
            .await;
        assert_eq!(
            beyond.matches("<li class=\"card\">").count(),
            10,
            "cut to the last page"
        );
        let q = moderator
            .gql_ok(
                "query($t: ID!) { moderationQueue(tenantId: $t, offset: 40, limit: 500) { id } }",
                json!({"t": t.id.to_string()}),
            )
            .await;
        assert_eq!(q["moderationQueue"].as_array().map(Vec::len), Some(20));
    }
);
