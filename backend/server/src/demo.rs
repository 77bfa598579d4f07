//! Demo data: the city of Köln with its 9 Stadtbezirke and 86 Stadtteile (Stadt Köln, CC BY;
//! see `demo/SOURCE.md`), a Kreis with two Kommunen to show the tenant tree, and demo accounts.
//! Loaded through the same import path as a planner's file.

use crate::accounts::{self, Registration, Viewer};
use crate::areas::{self, ImportRequest};
use crate::indicators::{self, import as value_import, index as need_index};
use crate::kernel::error::{AppError, AppResult};
use crate::kernel::state::AppState;
use crate::tenancy;
use qn_domain::areas::FieldMapping;
use qn_domain::indicators::import::{Format, Layout};
use qn_domain::indicators::index::{Combination, IndexClasses, Normalisation};
use qn_domain::indicators::{IndicatorKind, Polarity};
use qn_domain::tenancy::{Role, TenantKind, Visibility};

pub const STADTBEZIRKE: &str = include_str!("../demo/koeln-stadtbezirke.geojson");
pub const STADTTEILE: &str = include_str!("../demo/koeln-stadtteile.geojson");

/// Slug of the demo city.
pub const DEMO_CITY: &str = "koeln";
/// Demo accounts (e-mail, display name, role in Köln). Password: [`DEMO_PASSWORD`].
pub const DEMO_ACCOUNTS: [(&str, &str, Role); 7] = [
    ("admin@koeln.demo", "Admin Köln", Role::Admin),
    ("planung@koeln.demo", "Sozialplanung Köln", Role::Planner),
    (
        "quartiersmanagement@koeln.demo",
        "Quartiersmanagement Kalk",
        Role::QuartierManager,
    ),
    ("bewohnerin@koeln.demo", "Anna aus Kalk", Role::Resident),
    (
        "bewohner@koeln.demo",
        "Murat aus Humboldt/Gremberg",
        Role::Resident,
    ),
    ("moderation@koeln.demo", "Moderation Köln", Role::Moderator),
    (
        "anbieter@koeln.demo",
        "Familienzentrum Kalk (Demo)",
        Role::Provider,
    ),
];
pub const DEMO_PASSWORD: &str = "quartiersnetz-demo";

/// Source line of the demo indicators.
const KOELN_SOURCE: &str =
    "Stadt Köln, Amt für Stadtentwicklung und Statistik (offenedaten-koeln.de), CC BY";

/// The demo's indicators: key, name, abbreviation, unit, kind, topic, and its two files
/// (Stadtbezirke, Stadtteile) made by `demo/make_koeln_indicators.py` from the city's
/// population table 2005–2012.
/// Key, name, abbreviation, unit, kind, topic, and the files for the two levels.
type DemoIndicator = (
    &'static str,
    &'static str,
    &'static str,
    &'static str,
    IndicatorKind,
    &'static str,
    [&'static str; 2],
);

const KOELN_INDICATORS: [DemoIndicator; 6] = [
    (
        "einwohner",
        "Einwohnerinnen und Einwohner",
        "EW",
        "Personen",
        IndicatorKind::Count,
        "Bevölkerung",
        [
            include_str!("../demo/koeln-indikatoren-stadtbezirk-einwohner.csv"),
            include_str!("../demo/koeln-indikatoren-stadtteil-einwohner.csv"),
        ],
    ),
    (
        "anteil_u18",
        "Anteil unter 18-Jähriger",
        "U18",
        "%",
        IndicatorKind::Share,
        "Kinder und Jugend",
        [
            include_str!("../demo/koeln-indikatoren-stadtbezirk-u18.csv"),
            include_str!("../demo/koeln-indikatoren-stadtteil-u18.csv"),
        ],
    ),
    (
        "anteil_u6",
        "Anteil unter 6-Jähriger",
        "U6",
        "%",
        IndicatorKind::Share,
        "Kinder und Jugend",
        [
            include_str!("../demo/koeln-indikatoren-stadtbezirk-u6.csv"),
            include_str!("../demo/koeln-indikatoren-stadtteil-u6.csv"),
        ],
    ),
    (
        "anteil_65plus",
        "Anteil ab 65-Jähriger",
        "65+",
        "%",
        IndicatorKind::Share,
        "Alter",
        [
            include_str!("../demo/koeln-indikatoren-stadtbezirk-65plus.csv"),
            include_str!("../demo/koeln-indikatoren-stadtteil-65plus.csv"),
        ],
    ),
    (
        "anteil_migration",
        "Anteil mit Migrationshintergrund",
        "MH",
        "%",
        IndicatorKind::Share,
        "Migration und Teilhabe",
        [
            include_str!("../demo/koeln-indikatoren-stadtbezirk-migration.csv"),
            include_str!("../demo/koeln-indikatoren-stadtteil-migration.csv"),
        ],
    ),
    (
        "anteil_auslaender",
        "Anteil ausländischer Einwohnerinnen und Einwohner",
        "AUS",
        "%",
        IndicatorKind::Share,
        "Migration und Teilhabe",
        [
            include_str!("../demo/koeln-indikatoren-stadtbezirk-foreign.csv"),
            include_str!("../demo/koeln-indikatoren-stadtteil-foreign.csv"),
        ],
    ),
];

/// Loads the demo; fails (changing nothing more) if the demo city exists already.
///
/// # Errors
/// `Conflict` when the demo is loaded already; import problems as validation errors.
pub async fn load(state: &AppState) -> AppResult<()> {
    let city = tenancy::create(
        &state.db,
        DEMO_CITY,
        "Stadt Köln (Demo)",
        TenantKind::KreisfreieStadt,
        None,
    )
    .await?;
    tenancy::create(
        &state.db,
        "rbk",
        "Rheinisch-Bergischer Kreis (Demo)",
        TenantKind::Kreis,
        None,
    )
    .await?;
    tenancy::create(
        &state.db,
        "bergisch-gladbach",
        "Bergisch Gladbach (Demo)",
        TenantKind::Kommune,
        Some("rbk"),
    )
    .await?;
    tenancy::create(
        &state.db,
        "overath",
        "Overath (Demo)",
        TenantKind::Kommune,
        Some("rbk"),
    )
    .await?;

    // The demo loader acts as the city's planner.
    let operator = Viewer::system(city.id, Role::Planner);
    for (key, name, parent, mapping, file) in [
        (
            "stadtbezirk",
            "Stadtbezirk",
            None,
            FieldMapping {
                id: "STB_NR".into(),
                name: "STB_NAME".into(),
                parent: None,
            },
            STADTBEZIRKE,
        ),
        (
            "stadtteil",
            "Stadtteil",
            Some("stadtbezirk"),
            FieldMapping {
                id: "STT_NR".into(),
                name: "STT_NAME".into(),
                parent: Some("STB_NR".into()),
            },
            STADTTEILE,
        ),
    ] {
        let report = crate::flows::boundaries::import(
            state,
            &operator,
            ImportRequest {
                tenant_id: city.id,
                level_key: key.into(),
                level_name: name.into(),
                parent_level_key: parent.map(str::to_owned),
                visibility: Some(Visibility::Public),
                shared_with: Vec::new(),
                mapping,
                crs: None,
                geojson: file.to_owned(),
                dry_run: false,
            },
        )
        .await?;
        if !report.applied {
            return Err(AppError::Validation(areas::describe(&report.problems)));
        }
    }
    load_indicators(state, &operator, city.id).await?;
    let mut people = Vec::new();
    for (email, name, role) in DEMO_ACCOUNTS {
        let user = accounts::register(
            state,
            Registration {
                email,
                password: DEMO_PASSWORD,
                display_name: name,
                tenant_slug: None,
                client: None,
            },
        )
        .await?;
        accounts::grant(&state.db, user.id, city.id, role).await?;
        people.push(Viewer {
            user: Some(accounts::person(user)),
            memberships: vec![(city.id, role)],
        });
    }
    load_boards(state, city.id, &people).await?;
    load_surveys(state, city.id, &people).await?;
    load_directory(state, &operator, city.id, &people).await
}

/// OpenStreetMap points of social places in Köln (ODbL 1.0, © OpenStreetMap contributors; see
/// `demo/SOURCE.md`): file, actor kind, categories, target groups, ages, the demo's text.
/// A POI file with its actor kind, categories, target groups and age range.
type PoiFile = (
    &'static str,
    &'static str,
    &'static str,
    &'static str,
    Option<u8>,
    Option<u8>,
);

const OSM_POIS: [PoiFile; 6] = [
    (
        include_str!("../demo/osm/amenity_kindergarten.geojson"),
        "kita",
        "betreuung,bildung",
        "kinder,familien",
        Some(0),
        Some(6),
    ),
    (
        include_str!("../demo/osm/amenity_place_of_worship.geojson"),
        "kirchengemeinde",
        "religion,freizeit",
        "alle",
        None,
        None,
    ),
    (
        include_str!("../demo/osm/amenity_social_facility.geojson"),
        "beratungsstelle",
        "beratung",
        "alle",
        None,
        None,
    ),
    (
        include_str!("../demo/osm/amenity_community_centre.geojson"),
        "buergerzentrum",
        "freizeit,engagement,kultur",
        "alle",
        None,
        None,
    ),
    (
        include_str!("../demo/osm/amenity_youth_centre.geojson"),
        "jugendeinrichtung",
        "freizeit,hausaufgaben",
        "jugendliche,kinder",
        Some(10),
        Some(21),
    ),
    (
        include_str!("../demo/osm/amenity_nursing_home.geojson"),
        "senioreneinrichtung",
        "pflege",
        "senioren",
        Some(65),
        None,
    ),
];

/// Places of worship named as mosques or synagogues are not Kirchengemeinden.
fn worship_kind(name: &str) -> &'static str {
    let n = name.to_lowercase();
    if ["moschee", "islam", "cami", "mescid"]
        .iter()
        .any(|k| n.contains(k))
    {
        "moscheegemeinde"
    } else if n.contains("synagoge") {
        "religionsgemeinschaft"
    } else {
        "kirchengemeinde"
    }
}

/// The directory: the OSM points imported through the planners' import (points without a
/// name or outside Köln left out first, since the import refuses files with broken rows), and
/// a provider's own actor with one published and one waiting offer.
async fn load_directory(
    state: &AppState,
    operator: &Viewer,
    city: i32,
    people: &[Viewer],
) -> AppResult<()> {
    use crate::directory;
    use qn_domain::directory::entry::{ActorInput, OfferInput};
    use qn_domain::directory::import::{read_geojson, Mapping};
    let split = |s: &str| -> Vec<String> { s.split(',').map(str::to_owned).collect() };
    let index = state.mem.area_index();
    for (file, kind, categories, groups, age_min, age_max) in OSM_POIS {
        let fc: serde_json::Value =
            serde_json::from_str(file).map_err(|e| AppError::Validation(e.to_string()))?;
        let features: Vec<serde_json::Value> = fc["features"]
            .as_array()
            .cloned()
            .unwrap_or_default()
            .into_iter()
            .filter(|f| {
                let named = f["properties"]["tags/name"]
                    .as_str()
                    .is_some_and(|n| !n.trim().is_empty());
                let inside = match (
                    f["geometry"]["coordinates"][0].as_f64(),
                    f["geometry"]["coordinates"][1].as_f64(),
                ) {
                    (Some(lon), Some(lat)) => index
                        .containing(lon, lat)
                        .any(|a| a.tenant_id == i64::from(city)),
                    _ => false,
                };
                named && inside
            })
            .collect();
        let kinds: Vec<&str> = if kind == "kirchengemeinde" {
            vec![
                "kirchengemeinde",
                "moscheegemeinde",
                "religionsgemeinschaft",
            ]
        } else {
            vec![kind]
        };
        for k in kinds {
            let part: Vec<&serde_json::Value> = features
                .iter()
                .filter(|f| {
                    kind != "kirchengemeinde"
                        || worship_kind(f["properties"]["tags/name"].as_str().unwrap_or_default())
                            == k
                })
                .collect();
            let text =
                serde_json::json!({ "type": "FeatureCollection", "features": part }).to_string();
            let mapping = Mapping {
                title: "tags/name".into(),
                source: "osm-node".into(),
                actor_kind: k.into(),
                categories: split(categories),
                target_groups: split(groups),
                age_min,
                age_max,
                languages: vec!["de".into()],
                cost: "kostenlos".into(),
                default_description: "Beispieleintrag der Demodaten: Name und Ort stammen aus OpenStreetMap (© OpenStreetMap-Mitwirkende, ODbL), Angebot und Zeiten sind erfunden.".into(),
                ..Mapping::default()
            };
            let read = read_geojson(
                &text,
                &mapping,
                &directory::categories::of(&state.db, city).await?,
            )
            .map_err(|e| AppError::Validation(e.to_string()))?;
            let report = directory::import::apply(state, operator, city, read, false).await?;
            if !report.applied {
                return Err(AppError::Validation(report.describe()));
            }
        }
    }
    // A provider's own entries: published actor and offer, and a second offer waiting.
    let provider = people
        .iter()
        .find(|p| p.has_any_role(city, &[Role::Provider]))
        .ok_or(AppError::NotFound)?;
    let actor = directory::create_actor(
        state,
        provider,
        city,
        &ActorInput {
            name: "Familienzentrum Kalk (Demo)".into(),
            kind: "familienzentrum".into(),
            description: "Offenes Haus für Familien im Stadtteil Kalk: Beratung, Treffpunkte und Kurse. Ausgedachter Eintrag der Demodaten.".into(),
            email: "anbieter@koeln.demo".into(),
            street: "Kalker Hauptstraße 100".into(),
            postcode: "51103".into(),
            city: "Köln".into(),
            lon: Some(6.9985),
            lat: Some(50.9395),
            languages: split("de,tr,ar"),
            accessibility: "Eingang und Räume im Erdgeschoss stufenlos.".into(),
            ..ActorInput::default()
        },
    )
    .await?;
    let moderator = people
        .iter()
        .find(|p| p.has_any_role(city, &[Role::Moderator]))
        .ok_or(AppError::NotFound)?;
    directory::approve(state, moderator, directory::Kind::Actor, actor.id, false).await?;
    let offer =
        |title: &str, categories: &str, groups: &str, schedule: &str, languages: &str| OfferInput {
            title: title.into(),
            description: format!(
                "{title} im Familienzentrum Kalk. Ausgedachtes Angebot der Demodaten."
            ),
            categories: split(categories),
            target_groups: split(groups),
            languages: split(languages),
            schedule: schedule.into(),
            cost: "kostenlos".into(),
            barrier_free: true,
            ..OfferInput::default()
        };
    for (title, categories, groups, schedule, languages) in [
        (
            "Elterncafé",
            "beratung,freizeit",
            "eltern,familien",
            "Mi 09:00-11:00",
            "de,tr",
        ),
        (
            "Hausaufgabenhilfe",
            "hausaufgaben,bildung",
            "kinder",
            "Mo 14:00-16:00\nDo 14:00-16:00",
            "de,ar",
        ),
    ] {
        let o = directory::create_offer(
            state,
            provider,
            actor.id,
            &offer(title, categories, groups, schedule, languages),
        )
        .await?;
        directory::approve(state, moderator, directory::Kind::Offer, o.id, false).await?;
    }
    // The provider is not trusted: this offer waits, so the moderation queue shows something.
    directory::create_offer(
        state,
        provider,
        actor.id,
        &offer(
            "Deutschkurs für Mütter",
            "sprache,bildung",
            "eltern,frauen,migranten",
            "Di 09:00-11:30",
            "de,ar,tr",
        ),
    )
    .await?;
    Ok(())
}

pub const SURVEY: &str = include_str!("../demo/umfrage-kalk.json");

const POSTCODES: &str = include_str!("../demo/postleitzahlen-kalk.csv");

/// The survey "Leben im Stadtbezirk Kalk" in German, Leichte Sprache and Turkish, aimed at the
/// Stadtteile of the Stadtbezirk Kalk, open, with 80 generated responses (unevenly spread, so
/// the results page shows suppressed Stadtteile) and reviewed free texts.
async fn load_surveys(state: &AppState, city: i32, people: &[Viewer]) -> AppResult<()> {
    use crate::surveys::{self, Access, Status, Submission, SurveyInput};
    use qn_domain::surveys::{Answers, DEFAULT_MIN_GROUP};
    let [_, planner, _, _, moderator, ..] = people else {
        // A changed account list must fail loudly, not leave the demo half empty.
        return Err(AppError::Validation("demo accounts missing".into()));
    };
    let file: serde_json::Value = serde_json::from_str(SURVEY).map_err(AppError::internal)?;
    let structure =
        serde_json::from_value(file["structure"].clone()).map_err(AppError::internal)?;
    let texts = serde_json::from_value(file["texts"].clone()).map_err(AppError::internal)?;
    let bezirk = areas::level_by_key(&state.db, planner, city, "stadtbezirk").await?;
    let kalk = areas::current_areas(&state.db, planner, bezirk.id)
        .await?
        .into_iter()
        .find(|a| a.name == "Kalk")
        .ok_or(AppError::NotFound)?;
    let mut targets = areas::children(&state.db, planner, kalk.id).await?;
    targets.sort_by_key(|a| a.id);
    let s = surveys::create(
        &state.db,
        planner,
        city,
        SurveyInput {
            access: Access::Public,
            opens_at: None,
            closes_at: Some(chrono::Utc::now() + chrono::Duration::days(60)),
            structure,
            texts,
            areas: targets.iter().map(|a| a.id).collect(),
            min_group: DEFAULT_MIN_GROUP,
        },
    )
    .await?;
    let id = s.row.id;
    // Postcodes of the Stadtbezirk Kalk for "your Quartier" (a demo table, not an official
    // assignment: a postcode can cut through a Stadtteil).
    areas::postcodes::replace(&state.db, planner, city, POSTCODES).await?;
    surveys::set_status(&state.db, planner, id, Status::Open).await?;
    surveys::publish_results(&state.db, planner, id, true).await?;

    // A small deterministic generator: the same demo every time.
    let mut seed: u64 = 20_261_126;
    let mut next = move |n: u64| {
        seed = seed
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        (seed >> 33) % n
    };
    // Most answers from four Stadtteile, a few from the others (suppressed on the page).
    let big = ["Kalk", "Humboldt/Gremberg", "Vingst", "Höhenberg"];
    let weights: Vec<u64> = targets
        .iter()
        .map(|a| {
            if big.contains(&a.name.as_str()) {
                12
            } else {
                2
            }
        })
        .collect();
    let total: u64 = weights.iter().sum();
    let ideas = [
        "Mehr Licht am Bahndamm, abends ist es dort sehr dunkel.",
        "Ein Treffpunkt für Jugendliche, der auch am Wochenende offen hat.",
        "Die Spielplätze müssten öfter gereinigt werden.",
        "Beratung in türkischer und arabischer Sprache im Bürgeramt.",
        "Mehr Bänke und Schatten auf der Einkaufsstraße.",
    ];
    let anonymous = Viewer::anonymous();
    for i in 0..80u32 {
        let mut pick = next(total);
        let mut area = &targets[0];
        for (a, w) in targets.iter().zip(&weights) {
            if pick < *w {
                area = a;
                break;
            }
            pick -= w;
        }
        let unsafe_bias = u64::from(area.id % 3 == 0);
        let sicher = [
            "sehr_sicher",
            "eher_sicher",
            "eher_unsicher",
            "sehr_unsicher",
        ][usize::try_from((next(3) + unsafe_bias).min(3)).unwrap_or(0)];
        let mut one = |options: &[&'static str]| {
            options[usize::try_from(next(options.len() as u64)).unwrap_or(0)]
        };
        let missing: Vec<&str> = [
            "spielplatz",
            "jugendtreff",
            "seniorentreff",
            "beratung",
            "sport",
            "kita",
        ]
        .into_iter()
        .skip(usize::try_from(i % 4).unwrap_or(0))
        .step_by(2)
        .take(3)
        .collect();
        let park = one(&["gern", "egal", "ungern"]);
        let station = one(&["egal", "ungern", "ungern"]);
        let kita = one(&["ja", "nein", "brauche_keinen"]);
        let children = one(&["ja", "nein", "nein"]);
        let ranking: &[&str] = match i % 3 {
            0 => &["sicherheit", "mieten", "gruen"],
            1 => &["mieten", "kinder"],
            _ => &["gruen", "kinder", "sicherheit", "mieten"],
        };
        let years = next(40);
        let feeling = 1 + next(5);
        let mut a = serde_json::json!({
            "quartier": {"type": "area", "value": area.id},
            "seit": {"type": "number", "value": years},
            "wohl": {"type": "number", "value": feeling},
            "sicher": {"type": "choice", "value": sicher},
            "kinder": {"type": "choice", "value": children},
            "fehlt": {"type": "choices", "value": {"selected": missing}},
            "orte": {"type": "matrix", "value": {"park": park, "bahnhof": station}},
            "wichtig": {"type": "ranking", "value": ranking},
        });
        if sicher.ends_with("unsicher") {
            a["warum"] = serde_json::json!({"type": "choices", "value": {"selected": ["licht", "sauberkeit"]}});
        }
        if a["kinder"]["value"] == "ja" {
            a["kita"] = serde_json::json!({"type": "choice", "value": kita});
        }
        if i % 9 == 0 {
            a["idee"] =
                serde_json::json!({"type": "text", "value": ideas[(i as usize / 9) % ideas.len()]});
            if let Some((lon, lat)) = state.mem.area_index().interior_point(i64::from(area.id)) {
                a["ort"] = serde_json::json!({"type": "point", "value": {"lon": lon, "lat": lat}});
            }
        }
        let answers: Answers = serde_json::from_value(a).map_err(AppError::internal)?;
        surveys::submit(
            state,
            Submission {
                survey_id: id,
                key: &format!("demo-response-{i:04}"),
                language: if i % 7 == 0 { "tr" } else { "de" },
                answers,
                code: None,
                honeypot: None,
                viewer: &anonymous,
                device: None,
                client: &format!("demo-{i}"),
            },
        )
        .await?;
    }
    // The moderation approves two ideas; the others wait in the review queue.
    let results = surveys::results(&state.db, moderator, id).await?;
    for t in results.free_texts.iter().take(2) {
        surveys::review_free_text(&state.db, moderator, t.id, true).await?;
    }
    Ok(())
}

/// A board for Kalk and a city-wide topic board with posts, comments, support and an answer,
/// written through the same services as the pages (so placement and moderation apply).
async fn load_boards(state: &AppState, city: i32, people: &[Viewer]) -> AppResult<()> {
    use crate::boards::{self, Actor, BoardInput, NewPost};
    use qn_domain::boards::{Access, PostStatus};
    let [admin, planner, anna, murat, _moderator, ..] = people else {
        // A changed account list must fail loudly, not leave the demo half empty.
        return Err(AppError::Validation("demo accounts missing".into()));
    };
    let as_actor = |v| Actor {
        viewer: v,
        device: None,
    };
    let stadtteil = areas::level_by_key(&state.db, planner, city, "stadtteil").await?;
    let by_name: std::collections::HashMap<String, i32> =
        areas::current_areas(&state.db, planner, stadtteil.id)
            .await?
            .into_iter()
            .map(|a| (a.name, a.id))
            .collect();
    // Posts of one Stadtteil get nearby points inside it, so their dots do not cover each other.
    let point = |name: &str, nth: usize| {
        let id = i64::from(*by_name.get(name)?);
        let index = state.mem.area_index();
        let (lon, lat) = index.interior_point(id)?;
        [(0.0, 0.0), (0.003, 0.001), (-0.003, 0.001), (0.001, -0.002)]
            .iter()
            .map(|(dx, dy)| (lon + dx, lat + dy))
            .cycle()
            .skip(nth % 4)
            .take(4)
            .find(|(x, y)| index.containing(*x, *y).any(|a| a.area_id == id))
    };
    for tag in [
        "Wohnen",
        "Grün und Spielen",
        "Verkehr",
        "Nachbarschaft",
        "Sicherheit",
    ] {
        boards::create_tag(&state.db, admin, city, tag).await?;
    }
    let tags = boards::tags(&state.db, city).await?;
    let tag = |name: &str| {
        tags.iter()
            .filter(|t| t.name == name)
            .map(|t| t.id)
            .collect::<Vec<_>>()
    };
    let kalk = boards::create_board(
        &state.db,
        planner,
        city,
        BoardInput {
            area_id: by_name.get("Kalk").copied(),
            topic: None,
            title: "Ideen für Kalk".into(),
            rules: "Bitte bleiben Sie freundlich und sachlich. Beiträge mit Beleidigungen blendet die Moderation aus.\n\nDie Sozialplanung antwortet innerhalb von zwei Wochen.".into(),
            open: true,
            access: Access::Anonymous,
            premoderate_first: false,
        },
    )
    .await?;
    let green = boards::create_board(
        &state.db,
        planner,
        city,
        BoardInput {
            area_id: None,
            topic: Some("Spielplätze und Grünflächen".into()),
            title: "Spielplätze und Grünflächen in Köln".into(),
            rules: "Nur mit Konto. Bitte nennen Sie den Ort möglichst genau.".into(),
            open: true,
            access: Access::Accounts,
            premoderate_first: false,
        },
    )
    .await?;
    let mut posts = Vec::new();
    for (i, (board, who, kind, title, body, place, field)) in [
        (kalk.id, anna, "idea", "Mehr Bänke an der Kalker Hauptstraße", "Zwischen Kalk Post und dem Bürgeramt gibt es kaum Sitzgelegenheiten. Gerade Ältere brauchen unterwegs eine Pause.\n\nVorschlag: drei Bänke mit Rückenlehne.", Some("Kalk"), "Nachbarschaft"),
        (kalk.id, murat, "concern", "Dunkler Weg am Bahndamm", "Der Fußweg entlang der Bahn ist abends nicht beleuchtet. Viele gehen lieber einen Umweg.", Some("Kalk"), "Sicherheit"),
        (kalk.id, anna, "question", "Wann öffnet das Familienzentrum wieder?", "Seit dem Umbau ist unklar, wann die offenen Treffs wieder stattfinden.", None, "Nachbarschaft"),
        (kalk.id, murat, "praise", "Danke für das Sommerfest", "Das Fest im Bürgerpark hat viele Nachbarn zusammengebracht. Gerne wieder!", Some("Kalk"), "Nachbarschaft"),
        (green.id, anna, "idea", "Wasserspielplatz im Rheinpark", "Im Sommer fehlt für kleine Kinder Abkühlung in der Nähe.", Some("Deutz"), "Grün und Spielen"),
        (green.id, murat, "concern", "Spielplatz in Humboldt/Gremberg verwahrlost", "Die Schaukel ist seit Monaten kaputt, der Sand ist verschmutzt.", Some("Humboldt/Gremberg"), "Grün und Spielen"),
    ]
    .into_iter()
    .enumerate()
    {
        let (lon, lat) = match place.and_then(|p| point(p, i)) {
            Some((lon, lat)) => (Some(lon), Some(lat)),
            None => (None, None),
        };
        posts.push(
            boards::create_post(
                state,
                as_actor(who),
                NewPost {
                    board_id: board,
                    kind: kind.into(),
                    title: title.into(),
                    body: body.into(),
                    display_name: None,
                    lon,
                    lat,
                    address: String::new(),
                    tag_ids: tag(field),
                },
            )
            .await?,
        );
    }
    for (post, who) in [(0, murat), (1, anna), (4, murat), (5, anna)] {
        boards::support(state, as_actor(who), posts[post].id).await?;
    }
    let c = boards::create_comment(
        state,
        as_actor(murat),
        posts[0].id,
        None,
        "Gute Idee! Vor der Apotheke wäre auch ein guter Platz.",
        None,
    )
    .await?;
    boards::create_comment(
        state,
        as_actor(anna),
        posts[0].id,
        Some(c.id),
        "Stimmt, da ist auch Schatten.",
        None,
    )
    .await?;
    // Something for the moderation queue.
    crate::boards::moderation::report(
        &state.db,
        as_actor(anna),
        qn_domain::boards::Target::Post,
        posts[5].id,
        "Doppelt: der Schaden ist schon beim Grünflächenamt gemeldet.",
    )
    .await?;
    boards::answer(
        state,
        planner,
        posts[1].id,
        PostStatus::InConference,
        Some("Danke für den Hinweis. Wir nehmen den Weg in die Sozialraumkonferenz Kalk am 4. Dezember mit und prüfen mit dem Tiefbauamt eine Beleuchtung."),
    )
    .await?;
    Ok(())
}

/// The Köln indicators with their values at both levels, and a demo need index over them.
async fn load_indicators(state: &AppState, operator: &Viewer, city: i32) -> AppResult<()> {
    let levels = areas::levels(&state.db, operator, city).await?;
    let level = |key: &str| {
        levels
            .iter()
            .find(|l| l.key == key)
            .map(|l| l.id)
            .ok_or_else(|| AppError::Internal(format!("demo level {key} missing").into()))
    };
    let (bezirke, stadtteile) = (level("stadtbezirk")?, level("stadtteil")?);
    let mut ids = std::collections::HashMap::new();
    for (key, name, abbreviation, unit, kind, topic, files) in KOELN_INDICATORS {
        let ind = indicators::create(
            &state.db,
            operator,
            city,
            indicators::IndicatorInput {
                key: key.into(),
                name: name.into(),
                abbreviation: abbreviation.into(),
                unit: unit.into(),
                description: String::new(),
                source: KOELN_SOURCE.into(),
                topic: topic.into(),
                polarity: Polarity::Neutral,
                kind,
                precision: if kind == IndicatorKind::Count { 0 } else { 1 },
                min_count: 3,
                visibility: Visibility::Public,
                shared_with: Vec::new(),
            },
            None,
        )
        .await?;
        for (level_id, file) in [(bezirke, files[0]), (stadtteile, files[1])] {
            let report = value_import::import(
                state,
                operator,
                value_import::ImportInput {
                    indicator_id: ind.id,
                    level_id,
                    bytes: file.as_bytes().to_vec(),
                    format: Format::Csv,
                    layout: Layout::Long,
                    area_property: None,
                    dry_run: false,
                },
            )
            .await?;
            if !report.applied {
                let problems: Vec<String> =
                    report.problems.iter().map(|p| p.message.clone()).collect();
                return Err(AppError::Validation(problems.join("\n")));
            }
        }
        ids.insert(key, ind.id);
    }
    let id = |key: &str| {
        ids.get(key)
            .copied()
            .ok_or_else(|| AppError::Internal(format!("demo indicator {key} missing").into()))
    };
    let component = |key: &str| -> AppResult<need_index::StoredComponent> {
        Ok(need_index::StoredComponent {
            indicator_id: id(key)?,
            polarity: Polarity::HighIsBad,
            weight: 1.0,
        })
    };
    need_index::save(
        &state.db,
        operator,
        need_index::DefinitionInput {
            tenant_id: city,
            key: "demografie".into(),
            name: "Demografischer Bedarfsindex (Demo)".into(),
            description: "Beispiel: z-Werte der Anteile unter 6-Jähriger, ab 65-Jähriger und mit Migrationshintergrund, summiert und erneut standardisiert; Stadtteile unter 1.000 Einwohnern bleiben außen vor.".into(),
            level_id: stadtteile,
            spec: need_index::StoredSpec {
                components: vec![component("anteil_u6")?, component("anteil_65plus")?, component("anteil_migration")?],
                normalisation: Normalisation::ZScore,
                combination: Combination::WeightedSum,
                restandardise: true,
                classes: IndexClasses::SdBands(vec![-1.0, 1.0, 1.5]),
                population_indicator_id: Some(id("einwohner")?),
                min_population: Some(1000.0),
                excluded_area_ids: Vec::new(),
            },
            visibility: Visibility::Public,
            shared_with: Vec::new(),
        },
    )
    .await?;
    Ok(())
}
