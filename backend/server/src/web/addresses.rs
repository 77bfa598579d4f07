//! The planners' address register form (`/kommune/{slug}/angebote/adressen`): a CSV or GeoJSON
//! file replaces the tenant's house coordinates, or nothing changes and the page lists every
//! bad row.

use super::forms::{back_with_error, multipart_fields, see_other};
use crate::areas::addresses;
use crate::kernel::state::AppState;
use crate::kernel::viewer::Viewer;
use crate::tenancy;
use axum::extract::{Multipart, Path, State};
use axum::response::Response;
use qn_domain::areas::Crs;

/// `POST /kommune/{slug}/angebote/adressen` (multipart: `datei`, `crs` for metres).
pub async fn replace(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(slug): Path<String>,
    multipart: Multipart,
) -> Response {
    let back = format!("/kommune/{slug}/angebote/adressen");
    let result = async {
        let tenant = tenancy::by_slug(&state.db, &slug).await?;
        let fields = multipart_fields(multipart).await?;
        let text = fields
            .get("datei")
            .map(|f| qn_domain::indicators::import::decode(f).0.into_owned())
            .unwrap_or_default();
        let crs = fields
            .get("crs")
            .and_then(|c| Crs::parse(&String::from_utf8_lossy(c)))
            .unwrap_or(Crs::Utm32);
        addresses::replace(&state.db, &viewer, tenant.id, &text, crs).await
    }
    .await;
    match result {
        Ok(n) => see_other(&format!("{back}?hinweis=gespeichert&haeuser={n}")),
        Err(e) => back_with_error(&state.signer, &back, &e),
    }
}
