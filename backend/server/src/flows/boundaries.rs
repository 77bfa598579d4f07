//! A tenant's boundaries changed (an area import): everything derived from them follows.

use crate::areas::{self, BoundariesChanged, ImportReport, ImportRequest};
use crate::kernel::error::AppResult;
use crate::kernel::state::AppState;
use crate::kernel::viewer::Viewer;
use crate::{boards, directory};

/// Imports boundaries and settles what follows from them.
///
/// # Errors
/// Those of [`areas::import`]; the steps after it never fail the import (see [`settle`]).
pub async fn import(
    state: &AppState,
    viewer: &Viewer,
    req: ImportRequest,
) -> AppResult<ImportReport> {
    let imported = areas::import(state, viewer, req).await?;
    let mut report = imported.report;
    if let Some(changed) = imported.changed {
        report.unsettled = settle(state, changed).await;
    }
    Ok(report)
}

/// The steps after stored boundaries, in order: the area index and what was derived from the
/// old one (maps, published values), where the tenant's posts and directory entries lie, then
/// the search. Each step runs even when one before it failed (a post placed by the old index is
/// better than none); each failure is logged and returned on its own. The import stands either
/// way: every step runs again at the next import, and the index and search at the next start.
pub async fn settle(state: &AppState, changed: BoundariesChanged) -> Vec<String> {
    let tenant_id = changed.settle();
    let mut failed = Vec::new();
    let mut step = |name: &str, result: AppResult<usize>| {
        if let Err(e) = result {
            tracing::error!(tenant_id, step = name, error = %e.public_message(), "after a boundary import");
            failed.push(name.to_owned());
        }
    };
    step("area_index", areas::rebuild_index(state).await);
    step("board_posts", boards::place_all(state, tenant_id).await);
    step(
        "directory_entries",
        directory::place_all(state, tenant_id).await,
    );
    step("search", directory::search_sync::reindex(state).await);
    failed
}
