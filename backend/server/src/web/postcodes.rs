//! The planners' postcode form (`/kommune/{slug}/postleitzahlen`): a CSV file or pasted rows
//! replace the tenant's postcode table, or nothing changes and the page lists every bad row.

use super::forms::{back_with_error, multipart_fields, see_other};
use crate::areas::postcodes;
use crate::kernel::state::AppState;
use crate::kernel::viewer::Viewer;
use crate::tenancy;
use axum::extract::{Multipart, Path, State};
use axum::response::Response;

/// `POST /kommune/{slug}/postleitzahlen` (multipart: `datei`, or `text` when no file is given).
pub async fn replace(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(slug): Path<String>,
    multipart: Multipart,
) -> Response {
    let back = format!("/kommune/{slug}/postleitzahlen");
    let result = async {
        let tenant = tenancy::by_slug(&state.db, &slug).await?;
        let fields = multipart_fields(multipart).await?;
        let text = match fields.get("datei").filter(|f| !f.is_empty()) {
            Some(file) => qn_domain::indicators::import::decode(file).0.into_owned(),
            None => fields
                .get("text")
                .map(|t| String::from_utf8_lossy(t).into_owned())
                .unwrap_or_default(),
        };
        postcodes::replace(&state.db, &viewer, tenant.id, &text).await
    }
    .await;
    match result {
        Ok(_) => see_other(&format!("{back}?hinweis=gespeichert")),
        Err(e) => back_with_error(&state.signer, &back, &e),
    }
}
