//! Demo data: the city of Köln with its 9 Stadtbezirke and 86 Stadtteile (Stadt Köln, CC BY;
//! see `demo/SOURCE.md`), a Kreis with two Kommunen to show the tenant tree, and demo accounts.
//! Loaded through the same import path as a planner's file.

mod directory;
mod participation;
mod statistics;
use directory::*;
pub use participation::*;
use statistics::*;

use crate::accounts::{self, Registration, Viewer};
use crate::areas::{self, ImportRequest};
use crate::indicators::{self, import as value_import, need_index};
use crate::kernel::error::{AppError, AppResult};
use crate::kernel::state::AppState;
use crate::tenancy;
use qn_domain::areas::FieldMapping;
use qn_domain::indicators::import::{Format, Layout};
use qn_domain::indicators::need_index::{Combination, IndexClasses, Normalisation};
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
