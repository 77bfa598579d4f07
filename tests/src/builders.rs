//! Builders for what most tests start from — a city, a board, a survey, an offer — so that a
//! test names only what matters to it (crates.io's `CrateBuilder` is the model). Each builder
//! goes through the public API or the plain forms, as a person would; nothing is written to
//! the database behind the server's back.

use crate::{small_city, TestApp};
use qn_domain::tenancy::{Role, TenantKind};
use quartiersnetz::tenancy::Tenant;
use serde_json::{json, Value};
use std::collections::HashMap;

/// A kreisfreie Stadt with the areas of [`small_city`]: two Bezirke and four Viertel
/// (V1–V4, 0.01° squares side by side from `x`, lat 50.00–50.01).
pub struct City {
    pub tenant: Tenant,
    pub bezirk_level: String,
    pub viertel_level: String,
    /// The Viertel as (code, id), ordered by code (V1 … V4, which is also their names' order).
    pub viertel: Vec<(String, String)>,
}

impl City {
    /// The ids of V1 … V4.
    pub fn viertel_ids(&self) -> Vec<String> {
        self.viertel.iter().map(|(_, id)| id.clone()).collect()
    }

    /// The Viertel ids by code, as numbers.
    pub fn viertel_by_code(&self) -> HashMap<String, i64> {
        self.viertel
            .iter()
            .map(|(code, id)| (code.clone(), id.parse().unwrap_or_default()))
            .collect()
    }
}

pub struct CityBuilder {
    slug: String,
    x: f64,
    planner: Option<String>,
}

impl CityBuilder {
    pub fn new(slug: &str) -> Self {
        Self {
            slug: slug.to_owned(),
            x: 7.0,
            planner: None,
        }
    }

    /// Where the first Viertel starts (longitude), so that two cities do not overlap.
    pub fn at(mut self, x: f64) -> Self {
        self.x = x;
        self
    }

    /// The planner's e-mail (default `planung@{slug}.test`).
    pub fn planner(mut self, email: &str) -> Self {
        self.planner = Some(email.to_owned());
        self
    }

    /// Creates the tenant, signs `app`'s client in as its planner and imports the areas.
    pub async fn build(self, app: &TestApp) -> City {
        let tenant = app
            .tenant(&self.slug, TenantKind::KreisfreieStadt, None)
            .await;
        let planner = self
            .planner
            .unwrap_or_else(|| format!("planung@{}.test", self.slug));
        app.sign_in_as(&planner, Some((&tenant, Role::Planner)))
            .await;
        let (bezirk_level, viertel_level) = small_city(app, &self.slug, self.x).await;
        let d = app
            .gql_ok(
                "query($l: ID!) { areas(levelId: $l) { id code } }",
                json!({"l": viertel_level}),
            )
            .await;
        let mut viertel: Vec<(String, String)> = d["areas"]
            .as_array()
            .expect("areas")
            .iter()
            .map(|a| {
                (
                    a["code"].as_str().unwrap_or_default().to_owned(),
                    a["id"].as_str().unwrap_or_default().to_owned(),
                )
            })
            .collect();
        viertel.sort();
        City {
            tenant,
            bezirk_level,
            viertel_level,
            viertel,
        }
    }
}

/// A participation board, created by a planner of its tenant signed in on the app's client.
pub struct BoardBuilder {
    tenant_id: String,
    input: Value,
}

impl BoardBuilder {
    pub fn new(tenant: &Tenant) -> Self {
        Self {
            tenant_id: tenant.id.to_string(),
            input: json!({"title": "Ideen", "rules": "<p>Freundlich bleiben</p><script>x</script>",
                "access": "ACCOUNTS", "premoderateFirst": false}),
        }
    }

    /// `ACCOUNTS` (the default) or `ANONYMOUS`.
    pub fn access(mut self, access: &str) -> Self {
        self.input["access"] = json!(access);
        self
    }

    /// A person's first post waits for a moderator.
    pub fn premoderated(mut self) -> Self {
        self.input["premoderateFirst"] = json!(true);
        self
    }

    /// Any other setting of `BoardSettings` (e.g. `"areaId"`).
    pub fn with(mut self, field: &str, value: Value) -> Self {
        self.input[field] = value;
        self
    }

    /// Returns the board's id.
    pub async fn build(self, app: &TestApp) -> String {
        let d = app
            .gql_ok(
                "mutation($t: ID!, $i: BoardSettings!) { createBoard(tenantId: $t, input: $i) { id } }",
                json!({"t": self.tenant_id, "i": self.input}),
            )
            .await;
        d["createBoard"]["id"]
            .as_str()
            .expect("board id")
            .to_owned()
    }
}

/// The structure of the standard test survey: the Quartier, "do you feel safe" (ja/nein),
/// why not (shown only after "nein", with "other"), age, and a free-text idea.
pub fn survey_structure() -> Value {
    json!({"sections": [
        {"key": "wohnen", "questions": [
            {"key": "quartier", "required": true, "kind": {"type": "quartier"}},
            {"key": "sicher", "required": true, "kind": {"type": "single_choice", "options": [
                {"key": "ja", "code": 1}, {"key": "nein", "code": 2}]}},
            {"key": "warum", "show_if": {"op": "is", "question": "sicher", "option": "nein"},
             "kind": {"type": "multiple_choice", "other": true, "options": [
                {"key": "licht", "code": 1}, {"key": "laerm", "code": 2}]}},
            {"key": "alter", "kind": {"type": "number", "min": 0, "max": 120, "integer": true}}
        ]},
        {"key": "ideen", "questions": [
            {"key": "idee", "kind": {"type": "free_text", "max_chars": 2000}}
        ]}
    ]})
}

/// The German texts of [`survey_structure`] and one Turkish translation.
pub fn survey_texts() -> Value {
    json!({"de": {
        "title": "Sicher im Viertel", "q.quartier": "Ihr Viertel?", "q.sicher": "Fühlen Sie sich sicher?",
        "opt.sicher.ja": "Ja", "opt.sicher.nein": "Nein", "q.warum": "Warum nicht?",
        "opt.warum.licht": "Dunkel", "opt.warum.laerm": "Laut", "q.alter": "Ihr Alter", "q.idee": "Ihre Idee"
    }, "tr": {"q.sicher": "Güvende hissediyor musunuz?"}})
}

/// The survey input of [`SurveyBuilder`]'s standard survey.
pub fn survey_input(access: &str, areas: &[String]) -> Value {
    json!({"access": access, "structure": survey_structure(), "texts": survey_texts(),
        "targetAreaIds": areas})
}

/// A resident survey (the standard one unless told otherwise), created by a planner of its
/// tenant signed in on the app's client.
pub struct SurveyBuilder {
    tenant_id: String,
    input: Value,
    open: bool,
}

impl SurveyBuilder {
    pub fn new(tenant: &Tenant) -> Self {
        Self {
            tenant_id: tenant.id.to_string(),
            input: survey_input("PUBLIC", &[]),
            open: false,
        }
    }

    /// `PUBLIC` (the default), `CODES` or `RESIDENTS`.
    pub fn access(mut self, access: &str) -> Self {
        self.input["access"] = json!(access);
        self
    }

    /// The areas the survey asks about.
    pub fn areas(mut self, areas: &[String]) -> Self {
        self.input["targetAreaIds"] = json!(areas);
        self
    }

    pub fn structure(mut self, structure: Value) -> Self {
        self.input["structure"] = structure;
        self
    }

    /// Opened for answers after it is created (otherwise it stays a draft).
    pub fn open(mut self) -> Self {
        self.open = true;
        self
    }

    /// Returns the survey's id.
    pub async fn build(self, app: &TestApp) -> String {
        let d = app
            .gql_ok(
                "mutation($t: ID!, $i: SurveyInput!) { createSurvey(tenantId: $t, input: $i) { id } }",
                json!({"t": self.tenant_id, "i": self.input}),
            )
            .await;
        let id = d["createSurvey"]["id"].as_str().expect("id").to_owned();
        if self.open {
            app.gql_ok(
                "mutation($id: ID!) { setSurveyStatus(id: $id, status: OPEN) { status } }",
                json!({"id": id}),
            )
            .await;
        }
        id
    }
}

/// The actor form of [`OfferBuilder`]: an association in V1 with a script and a `javascript:`
/// link in its description (to be sanitised) and two languages.
pub const ACTOR_FORM: &[(&str, &str)] = &[
    ("name", "Nachbarschaftshilfe Altdorf e.V."),
    ("art", "verein"),
    (
        "beschreibung",
        "Wir helfen im Viertel.<script>alert(1)</script> <a href=\"javascript:alert(2)\">Mehr</a>",
    ),
    ("email", "info@nachbarn.test"),
    ("website", "www.nachbarn.test"),
    ("strasse", "Dorfstraße 1"),
    ("lat", "50.005"),
    ("lon", "7.005"),
    ("sprache", "de"),
    ("sprache", "tr"),
];

/// The offer form of [`OfferBuilder`]: homework help for children of 6–10, free, step-free.
pub fn offer_form(title: &str) -> Vec<(&'static str, String)> {
    vec![
        ("titel", title.to_owned()),
        (
            "beschreibung",
            "Hilfe bei den Hausaufgaben für Grundschulkinder.".into(),
        ),
        ("kategorie", "hausaufgaben".into()),
        ("zielgruppe", "kinder".into()),
        ("alter_von", "6".into()),
        ("alter_bis", "10".into()),
        ("sprache", "de".into()),
        ("sprache", "ar".into()),
        ("zeiten", "Mo 14:00-16:00\nDo 14-16 Uhr".into()),
        ("kosten", "kostenlos".into()),
        ("barrierefrei", "1".into()),
    ]
}

/// An actor and its offer entered through the plain forms by whoever is signed in on the
/// app's client (staff publish at once; a provider's entry waits for moderation).
pub struct OfferBuilder {
    slug: String,
    fields: Vec<(&'static str, String)>,
}

impl OfferBuilder {
    pub fn new(slug: &str, title: &str) -> Self {
        Self {
            slug: slug.to_owned(),
            fields: offer_form(title),
        }
    }

    /// Sets a field of the offer form (replacing every value it had).
    pub fn field(mut self, name: &'static str, value: &str) -> Self {
        self.fields.retain(|(k, _)| *k != name);
        self.fields.push((name, value.to_owned()));
        self
    }

    /// Returns (actor id, offer id).
    pub async fn build(self, app: &TestApp) -> (i64, i64) {
        let actor = id_in(
            &app.post_form(&format!("/kommune/{}/anbieten", self.slug), ACTOR_FORM)
                .await,
            "/akteur/",
        );
        let fields: Vec<(&str, &str)> = self.fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
        let offer = id_in(
            &app.post_form(&format!("/akteur/{actor}/angebot-neu"), &fields)
                .await,
            "/angebot/",
        );
        (actor, offer)
    }
}

/// The number after `prefix` in a redirect target such as `/akteur/12?gespeichert=1`.
pub fn id_in(location: &str, prefix: &str) -> i64 {
    location
        .strip_prefix(prefix)
        .and_then(|r| r.split(['?', '/']).next())
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(|| panic!("no id in {location}"))
}
