//! Demo data: the city of Köln with its 9 Stadtbezirke and 86 Stadtteile (Stadt Köln, CC BY;
//! see `demo/SOURCE.md`), a Kreis with two Kommunen to show the tenant tree, and demo accounts.
//! Loaded through the same import path as a planner's file.

use crate::accounts::{self, Registration, Viewer};
use crate::areas::{self, ImportRequest};
use crate::error::{AppError, AppResult};
use crate::state::AppState;
use crate::tenancy;
use qn_domain::areas::FieldMapping;
use qn_domain::tenancy::{Role, TenantKind, Visibility};

pub const STADTBEZIRKE: &str = include_str!("../demo/koeln-stadtbezirke.geojson");
pub const STADTTEILE: &str = include_str!("../demo/koeln-stadtteile.geojson");

/// Slug of the demo city.
pub const DEMO_CITY: &str = "koeln";
/// Demo accounts (e-mail, display name, role in Köln). Password: [`DEMO_PASSWORD`].
pub const DEMO_ACCOUNTS: [(&str, &str, Role); 3] = [
    ("admin@koeln.demo", "Admin Köln", Role::Admin),
    ("planung@koeln.demo", "Sozialplanung Köln", Role::Planner),
    ("bewohnerin@koeln.demo", "Anna aus Kalk", Role::Resident),
];
pub const DEMO_PASSWORD: &str = "quartiersnetz-demo";

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
        let report = areas::import(
            state,
            &operator,
            ImportRequest {
                tenant_id: city.id,
                level_key: key.into(),
                level_name: name.into(),
                parent_level_key: parent.map(str::to_owned),
                visibility: Visibility::Public,
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
    }
    Ok(())
}
