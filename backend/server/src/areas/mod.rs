//! Spatial units: levels per tenant, areas with versioned boundaries, imports, and the
//! area index (point-in-polygon).

pub mod addresses;
mod boundary_import;
pub mod entity;
pub mod postcodes;
mod reading;
pub use boundary_import::*;
pub use reading::*;

use crate::kernel::error::{AppError, AppResult};
use crate::kernel::permissions::Can;
use crate::kernel::state::AppState;
use crate::kernel::viewer::Viewer;
use crate::tenancy::{self, DATASET_AREA_LEVEL};
use chrono::{DateTime, Utc};
use entity::{area_levels, area_versions, areas};
use geo::BoundingRect;
use qn_domain::areas::{
    check_parents, geometry_from_geojson, geometry_to_geojson, parse_feature_collection, AreaIndex,
    Crs, FieldMapping, ImportProblem, IndexedArea, Problem,
};
use qn_domain::tenancy::Visibility;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, Condition, ConnectionTrait, EntityTrait, QueryFilter,
    QueryOrder, Set,
};
use std::collections::{HashMap, HashSet};
use std::sync::Arc;

pub use entity::area_levels::Model as Level;
pub use entity::areas::Model as Area;

/// `area_versions.area_id IN (SELECT id FROM areas WHERE level_id = ?)`: one bound value
/// however large the level (id lists hit SQLite's limit of 32,766 bound values).
fn versions_of_level(level_id: i32) -> Condition {
    let ids = sea_orm::sea_query::Query::select()
        .column(areas::Column::Id)
        .from(areas::Entity)
        .and_where(sea_orm::sea_query::ExprTrait::eq(
            sea_orm::sea_query::Expr::col(areas::Column::LevelId),
            level_id,
        ))
        .to_owned();
    Condition::all().add(area_versions::Column::AreaId.in_subquery(ids))
}

/// A sort key that orders German names the same on every database (DIN 5007-1: umlauts as
/// their base letters, ß as ss, case ignored); SQLite and PostgreSQL collate differently.
pub fn name_key(name: &str) -> String {
    name.chars()
        .flat_map(char::to_lowercase)
        .map(|c| match c {
            'ä' => "a".to_owned(),
            'ö' => "o".to_owned(),
            'ü' => "u".to_owned(),
            'ß' => "ss".to_owned(),
            c => c.to_string(),
        })
        .collect()
}

fn sort_by_name(list: &mut [Area]) {
    list.sort_by_cached_key(|a| (name_key(&a.name), a.id));
}

/// Rows per statement in batched writes (SQLite allows 32,766 bound values per statement).
const BATCH: usize = 500;

fn level_visible(viewer: &Viewer) -> Condition {
    tenancy::visible_condition(
        DATASET_AREA_LEVEL,
        area_levels::Column::Id,
        area_levels::Column::TenantId,
        area_levels::Column::Visibility,
        &viewer.staff_tenant_ids(),
    )
}

/// Rebuilds the area index (point-in-polygon) from all current boundaries.
///
/// # Errors
/// Database errors; a stored geometry that does not parse is logged and skipped.
pub async fn rebuild_index(state: &AppState) -> AppResult<usize> {
    let _guard = state.mem.write_lock.lock().await;
    rebuild_index_locked(state).await
}

/// [`rebuild_index`] for callers that hold the import lock (rebuilds never overtake each other).
async fn rebuild_index_locked(state: &AppState) -> AppResult<usize> {
    let current = area_versions::Entity::find()
        .filter(area_versions::Column::ValidTo.is_null())
        .all(&state.db)
        .await?;
    let meta: HashMap<i32, Area> = areas::Entity::find()
        .all(&state.db)
        .await?
        .into_iter()
        .map(|a| (a.id, a))
        .collect();
    let entries: Vec<IndexedArea> = current
        .into_iter()
        .filter_map(|v| {
            let a = meta.get(&v.area_id)?;
            match geometry_from_geojson(&v.geometry) {
                Ok(geometry) => Some(IndexedArea {
                    area_id: i64::from(a.id),
                    tenant_id: i64::from(a.tenant_id),
                    level_id: i64::from(a.level_id),
                    geometry,
                }),
                Err(e) => {
                    tracing::error!(area = a.id, error = %e, "stored geometry unreadable");
                    None
                }
            }
        })
        .collect();
    let n = entries.len();
    let index = tokio::task::spawn_blocking(move || AreaIndex::new(entries))
        .await
        .map_err(AppError::internal)?;
    // Parents and levels decide disclosure control and the maps: both are computed again.
    state.mem.boundaries_replaced(index);
    Ok(n)
}

/// Codes of the areas of a level that have a current boundary, with their ids.
async fn current_codes(
    db: &impl ConnectionTrait,
    level_id: i32,
) -> AppResult<HashMap<String, i32>> {
    let list = areas::Entity::find()
        .filter(areas::Column::LevelId.eq(level_id))
        .all(db)
        .await?;
    let current: HashSet<i32> = area_versions::Entity::find()
        .filter(versions_of_level(level_id))
        .filter(area_versions::Column::ValidTo.is_null())
        .all(db)
        .await?
        .into_iter()
        .map(|v| v.area_id)
        .collect();
    Ok(list
        .into_iter()
        .filter(|a| current.contains(&a.id))
        .map(|a| (a.code, a.id))
        .collect())
}

/// The GeoJSON FeatureCollection of a level for maps (properties: id, code, name).
///
/// # Errors
/// `NotFound` when the level is not visible.
pub async fn level_feature_collection(
    db: &impl ConnectionTrait,
    viewer: &Viewer,
    level_id: i32,
    simplify: Option<f64>,
) -> AppResult<serde_json::Value> {
    let list = areas_of_level(db, viewer, level_id, None).await?;
    let features: Vec<serde_json::Value> = list
        .into_iter()
        .filter_map(|a| {
            let g = geometry_from_geojson(&a.version.geometry).ok()?;
            Some(serde_json::json!({
                "type": "Feature",
                "id": a.area.id,
                "properties": {"id": a.area.id, "code": a.area.code, "name": a.area.name},
                "geometry": geometry_to_geojson(&g, simplify),
            }))
        })
        .collect();
    Ok(serde_json::json!({"type": "FeatureCollection", "features": features}))
}

/// The current boundaries of a level, simplified with `simplify` (degrees), as (area id, GeoJSON
/// geometry); parsed once per level and tolerance and kept until the next area import.
///
/// # Errors
/// `NotFound` when the level is not visible to the viewer.
pub async fn cached_features(
    state: &AppState,
    viewer: &Viewer,
    level_id: i32,
    simplify: f64,
) -> AppResult<crate::kernel::memory::LevelFeatures> {
    level(&state.db, viewer, level_id).await?;
    let key = (level_id, simplify.to_bits());
    if let Some(hit) = state
        .mem
        .map_features
        .read()
        .ok()
        .and_then(|c| c.get(&key).cloned())
    {
        return Ok(hit);
    }
    let list = areas_of_level(&state.db, viewer, level_id, None).await?;
    let features = tokio::task::spawn_blocking(move || {
        list.into_iter()
            .filter_map(|a| {
                let g = geometry_from_geojson(&a.version.geometry).ok()?;
                Some((a.area.id, geometry_to_geojson(&g, Some(simplify))))
            })
            .collect::<Vec<_>>()
    })
    .await
    .map_err(AppError::internal)?;
    let features = Arc::new(features);
    if let Ok(mut cache) = state.mem.map_features.write() {
        cache.insert(key, Arc::clone(&features));
    }
    Ok(features)
}

/// Reads a problem list into a short text (CLI output, logs).
pub fn describe(problems: &[ImportProblem]) -> String {
    problems
        .iter()
        .map(ToString::to_string)
        .collect::<Vec<_>>()
        .join("\n")
}

/// Shapes a file-level problem (e.g. the file is too large) like the others.
pub fn file_problem(problem: Problem) -> ImportReport {
    problem_report(vec![ImportProblem {
        feature: None,
        problem,
    }])
    .report
}
