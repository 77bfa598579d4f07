//! Spatial units: levels per tenant, areas with versioned boundaries, imports, and the
//! point-in-area index.

pub mod addresses;
pub mod entity;
pub mod postcodes;

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

/// Levels of a tenant the viewer may see, ordered from the top of the hierarchy down.
///
/// # Errors
/// `NotFound` for an unknown tenant; database errors.
pub async fn levels(
    db: &impl ConnectionTrait,
    viewer: &Viewer,
    tenant_id: i32,
) -> AppResult<Vec<Level>> {
    let all = area_levels::Entity::find()
        .filter(area_levels::Column::TenantId.eq(tenant_id))
        .filter(level_visible(viewer))
        .order_by_asc(area_levels::Column::Id)
        .all(db)
        .await?;
    Ok(order_by_hierarchy(all))
}

/// Parents before children; the import order already is that, but re-created levels may not be.
fn order_by_hierarchy(mut levels: Vec<Level>) -> Vec<Level> {
    let mut out: Vec<Level> = Vec::with_capacity(levels.len());
    while !levels.is_empty() {
        let placed: HashSet<i32> = out.iter().map(|l| l.id).collect();
        let ids: HashSet<i32> = levels.iter().map(|l| l.id).collect();
        let (ready, rest): (Vec<Level>, Vec<Level>) = levels.into_iter().partition(|l| {
            l.parent_level_id
                .is_none_or(|p| placed.contains(&p) || !ids.contains(&p))
        });
        if ready.is_empty() {
            out.extend(rest);
            break;
        }
        out.extend(ready);
        levels = rest;
    }
    out
}

/// # Errors
/// `NotFound` when the level does not exist or is not visible to the viewer.
pub async fn level(db: &impl ConnectionTrait, viewer: &Viewer, id: i32) -> AppResult<Level> {
    area_levels::Entity::find_by_id(id)
        .filter(level_visible(viewer))
        .one(db)
        .await?
        .ok_or(AppError::NotFound)
}

/// Levels by id, only the visible ones; one query.
///
/// # Errors
/// Database errors.
pub async fn levels_by_ids(
    db: &impl ConnectionTrait,
    viewer: &Viewer,
    ids: &[i32],
) -> AppResult<Vec<Level>> {
    Ok(area_levels::Entity::find()
        .filter(area_levels::Column::Id.is_in(ids.iter().copied()))
        .filter(level_visible(viewer))
        .all(db)
        .await?)
}

/// # Errors
/// `NotFound` when the level does not exist or is not visible to the viewer.
pub async fn level_by_key(
    db: &impl ConnectionTrait,
    viewer: &Viewer,
    tenant_id: i32,
    key: &str,
) -> AppResult<Level> {
    area_levels::Entity::find()
        .filter(area_levels::Column::TenantId.eq(tenant_id))
        .filter(area_levels::Column::Key.eq(key))
        .filter(level_visible(viewer))
        .one(db)
        .await?
        .ok_or(AppError::NotFound)
}

/// Areas by id, only those on levels the viewer may see. One query for any number of ids.
///
/// # Errors
/// Database errors.
pub async fn by_ids(
    db: &impl ConnectionTrait,
    viewer: &Viewer,
    ids: &[i32],
) -> AppResult<Vec<Area>> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    Ok(areas::Entity::find()
        .inner_join(area_levels::Entity)
        .filter(areas::Column::Id.is_in(ids.iter().copied()))
        .filter(level_visible(viewer))
        .all(db)
        .await?)
}

/// # Errors
/// `NotFound` when missing or not visible.
pub async fn by_id(db: &impl ConnectionTrait, viewer: &Viewer, id: i32) -> AppResult<Area> {
    by_ids(db, viewer, &[id])
        .await?
        .pop()
        .ok_or(AppError::NotFound)
}

/// An area with the boundary valid at the time asked for.
#[derive(Debug, Clone)]
pub struct AreaWithBoundary {
    pub area: Area,
    pub version: area_versions::Model,
}

fn valid_at(at: Option<DateTime<Utc>>) -> Condition {
    match at {
        None => Condition::all().add(area_versions::Column::ValidTo.is_null()),
        Some(t) => Condition::all()
            .add(area_versions::Column::ValidFrom.lte(t))
            .add(
                Condition::any()
                    .add(area_versions::Column::ValidTo.is_null())
                    .add(area_versions::Column::ValidTo.gt(t)),
            ),
    }
}

/// The areas of a level with their boundaries now (or at `at`), ordered by name. Two queries.
///
/// # Errors
/// `NotFound` when the level is not visible.
pub async fn areas_of_level(
    db: &impl ConnectionTrait,
    viewer: &Viewer,
    level_id: i32,
    at: Option<DateTime<Utc>>,
) -> AppResult<Vec<AreaWithBoundary>> {
    level(db, viewer, level_id).await?;
    let mut list = areas::Entity::find()
        .filter(areas::Column::LevelId.eq(level_id))
        .all(db)
        .await?;
    sort_by_name(&mut list);
    let mut versions: HashMap<i32, area_versions::Model> = area_versions::Entity::find()
        .filter(versions_of_level(level_id))
        .filter(valid_at(at))
        .all(db)
        .await?
        .into_iter()
        .map(|v| (v.area_id, v))
        .collect();
    Ok(list
        .into_iter()
        .filter_map(|area| {
            let version = versions.remove(&area.id)?;
            Some(AreaWithBoundary { area, version })
        })
        .collect())
}

/// The areas of a level that have a current boundary, ordered by name, without loading the
/// boundaries (lists, tables, maps that take their shapes from [`cached_features`]). One query.
///
/// # Errors
/// `NotFound` when the level is not visible.
pub async fn current_areas(
    db: &impl ConnectionTrait,
    viewer: &Viewer,
    level_id: i32,
) -> AppResult<Vec<Area>> {
    level(db, viewer, level_id).await?;
    let current = sea_orm::sea_query::Query::select()
        .column(area_versions::Column::AreaId)
        .from(area_versions::Entity)
        .and_where(sea_orm::sea_query::ExprTrait::is_null(
            sea_orm::sea_query::Expr::col(area_versions::Column::ValidTo),
        ))
        .to_owned();
    let mut list = areas::Entity::find()
        .filter(areas::Column::LevelId.eq(level_id))
        .filter(areas::Column::Id.in_subquery(current))
        .all(db)
        .await?;
    sort_by_name(&mut list);
    Ok(list)
}

/// All boundary versions of an area, newest first.
///
/// # Errors
/// Database errors.
pub async fn versions(
    db: &impl ConnectionTrait,
    area_id: i32,
) -> AppResult<Vec<area_versions::Model>> {
    Ok(area_versions::Entity::find()
        .filter(area_versions::Column::AreaId.eq(area_id))
        .order_by_desc(area_versions::Column::ValidFrom)
        .order_by_desc(area_versions::Column::Id)
        .all(db)
        .await?)
}

/// Children of an area (areas whose parent it is), ordered by name.
///
/// # Errors
/// Database errors.
pub async fn children(
    db: &impl ConnectionTrait,
    viewer: &Viewer,
    area_id: i32,
) -> AppResult<Vec<Area>> {
    Ok(areas::Entity::find()
        .inner_join(area_levels::Entity)
        .filter(areas::Column::ParentId.eq(area_id))
        .filter(level_visible(viewer))
        .order_by_asc(areas::Column::Name)
        .all(db)
        .await?)
}

/// Areas of the same level that touch this one (from the spatial index).
///
/// # Errors
/// Database errors.
pub async fn neighbours(state: &AppState, viewer: &Viewer, area_id: i32) -> AppResult<Vec<Area>> {
    let ids: Vec<i32> = state
        .mem
        .area_index()
        .neighbours(i64::from(area_id))
        .into_iter()
        .filter_map(|id| i32::try_from(id).ok())
        .collect();
    let mut list = by_ids(&state.db, viewer, &ids).await?;
    sort_by_name(&mut list);
    Ok(list)
}

/// The visible areas containing a point, at every level, top level first.
///
/// # Errors
/// Validation for coordinates outside lon/lat ranges; database errors.
pub async fn at_point(
    state: &AppState,
    viewer: &Viewer,
    lon: f64,
    lat: f64,
) -> AppResult<Vec<Area>> {
    if !Crs::Wgs84.plausible(lon, lat) || !lon.is_finite() || !lat.is_finite() {
        return Err(AppError::Validation(
            "lon muss zwischen -180 und 180, lat zwischen -90 und 90 liegen".into(),
        ));
    }
    let ids: Vec<i32> = state
        .mem
        .area_index()
        .containing(lon, lat)
        .filter_map(|a| i32::try_from(a.area_id).ok())
        .collect();
    let mut list = by_ids(&state.db, viewer, &ids).await?;
    list.sort_by_key(|a| (a.level_id, a.id));
    Ok(list)
}

/// The ids of the tenant's current areas, at every level, that contain the point.
pub fn tenant_areas_at(state: &AppState, tenant_id: i32, lon: f64, lat: f64) -> Vec<i32> {
    state
        .mem
        .area_index()
        .containing(lon, lat)
        .filter(|a| a.tenant_id == i64::from(tenant_id))
        .filter_map(|a| i32::try_from(a.area_id).ok())
        .collect()
}

/// Rebuilds the point-in-area index from all current boundaries.
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

/// What to import: the target level (created if new) and how to read the file.
#[derive(Debug, Clone)]
pub struct ImportRequest {
    pub tenant_id: i32,
    pub level_key: String,
    pub level_name: String,
    pub parent_level_key: Option<String>,
    /// `None`: a new level is `Tenant`, an existing one keeps its visibility and shares.
    pub visibility: Option<Visibility>,
    pub shared_with: Vec<i32>,
    pub mapping: FieldMapping,
    pub crs: Option<Crs>,
    pub geojson: String,
    pub dry_run: bool,
}

/// The outcome of an import. With problems, nothing was stored.
#[derive(Debug, Clone, Default)]
pub struct ImportReport {
    pub applied: bool,
    pub level_id: Option<i32>,
    pub created: usize,
    pub changed: usize,
    pub unchanged: usize,
    pub retired: usize,
    pub problems: Vec<ImportProblem>,
    /// Steps after the stored import that failed (the import itself stands; each step runs
    /// again at the next import or start). Filled by `flows::boundaries`.
    pub unsettled: Vec<String>,
}

/// An applied or refused import, and the reaction it still owes.
#[must_use = "the changed boundaries must be settled: flows::boundaries::import"]
#[derive(Debug)]
pub struct Imported {
    pub report: ImportReport,
    /// `Some` once boundaries were stored: only `flows::boundaries::settle` consumes it.
    pub changed: Option<BoundariesChanged>,
}

/// Proof that a tenant's boundaries changed. What depends on them (the area index, maps,
/// published values, where posts and directory entries lie, the search) is out of date until
/// `flows::boundaries::settle` consumes this; dropping it unsettled is a bug, logged (and a
/// panic in debug builds).
#[must_use = "pass it to flows::boundaries::settle"]
#[derive(Debug)]
pub struct BoundariesChanged {
    tenant_id: i32,
    settled: bool,
}

impl BoundariesChanged {
    fn new(tenant_id: i32) -> Self {
        Self {
            tenant_id,
            settled: false,
        }
    }

    pub fn tenant_id(&self) -> i32 {
        self.tenant_id
    }

    /// Marks the reaction as done; returns the tenant.
    pub fn settle(mut self) -> i32 {
        self.settled = true;
        self.tenant_id
    }
}

impl Drop for BoundariesChanged {
    fn drop(&mut self) {
        if !self.settled && !std::thread::panicking() {
            tracing::error!(
                tenant_id = self.tenant_id,
                "boundaries changed and not settled"
            );
            debug_assert!(false, "BoundariesChanged dropped unsettled");
        }
    }
}

fn problem_report(problems: Vec<ImportProblem>) -> Imported {
    Imported {
        report: ImportReport {
            problems,
            ..Default::default()
        },
        changed: None,
    }
}

fn level_key_ok(key: &str) -> bool {
    !key.is_empty()
        && key.len() <= 64
        && key
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-' || c == '_')
}

/// Validates the whole file first, then applies it in one transaction: new areas are created,
/// changed boundaries get a new version (the old one keeps its `valid_to`), areas missing from
/// the file are retired. The index is rebuilt afterwards.
///
/// # Errors
/// `Forbidden` unless the viewer is a planner or admin of the tenant; validation errors for the
/// level; problems in the file come back in the report, not as an error.
pub async fn import(
    state: &AppState,
    viewer: &Viewer,
    mut req: ImportRequest,
) -> AppResult<Imported> {
    viewer.require(req.tenant_id, Can::EditAreas)?;
    if !level_key_ok(&req.level_key) {
        return Err(AppError::Validation(
            "Ebenen-Kürzel: nur Kleinbuchstaben, Ziffern, - und _ (1–64 Zeichen)".into(),
        ));
    }
    if req.level_name.trim().is_empty() {
        return Err(AppError::Validation("Name der Ebene fehlt".into()));
    }
    let parent_level = match &req.parent_level_key {
        Some(key) => Some(
            area_levels::Entity::find()
                .filter(area_levels::Column::TenantId.eq(req.tenant_id))
                .filter(area_levels::Column::Key.eq(key.as_str()))
                .one(&state.db)
                .await?
                .ok_or_else(|| {
                    AppError::Validation(format!("übergeordnete Ebene {key} gibt es nicht"))
                })?,
        ),
        None => None,
    };
    if parent_level.is_some() != req.mapping.parent.is_some() {
        return Err(AppError::Validation(
            "Übergeordnete Ebene und Eigenschaft der übergeordneten Kennung nur gemeinsam angeben"
                .into(),
        ));
    }
    if req.parent_level_key.as_deref() == Some(req.level_key.as_str()) {
        return Err(AppError::Validation(
            "eine Ebene kann nicht ihre eigene übergeordnete sein".into(),
        ));
    }

    let geojson = std::mem::take(&mut req.geojson);
    let mapping = req.mapping.clone();
    let crs = req.crs;
    // Parsing and validating large files is CPU work: off the async workers.
    let parsed =
        tokio::task::spawn_blocking(move || parse_feature_collection(&geojson, &mapping, crs))
            .await
            .map_err(AppError::internal)?;
    let source = match parsed {
        Ok(s) => s,
        Err(problems) => return Ok(problem_report(problems)),
    };

    // One import at a time: two imports of one level would both close the same versions, and
    // the parents checked here must not change before they are used.
    let _guard = state.mem.write_lock.lock().await;
    let parent_ids: HashMap<String, i32> = match &parent_level {
        Some(p) => current_codes(&state.db, p.id).await?,
        None => HashMap::new(),
    };
    let problems = check_parents(&source, &parent_ids.keys().cloned().collect());
    if !problems.is_empty() {
        return Ok(problem_report(problems));
    }
    let existing_level = area_levels::Entity::find()
        .filter(area_levels::Column::TenantId.eq(req.tenant_id))
        .filter(area_levels::Column::Key.eq(req.level_key.as_str()))
        .one(&state.db)
        .await?;
    let now = Utc::now();
    let txn = crate::kernel::db::write_txn(&state.db).await?;
    let level = match existing_level {
        Some(l) => {
            let mut am: area_levels::ActiveModel = l.into();
            am.name = Set(req.level_name.trim().to_owned());
            am.parent_level_id = Set(parent_level.as_ref().map(|p| p.id));
            if let Some(v) = req.visibility {
                am.visibility = Set(v.as_str().to_owned());
            }
            am.update(&txn).await?
        }
        None => {
            area_levels::ActiveModel {
                tenant_id: Set(req.tenant_id),
                key: Set(req.level_key.clone()),
                name: Set(req.level_name.trim().to_owned()),
                parent_level_id: Set(parent_level.as_ref().map(|p| p.id)),
                visibility: Set(req
                    .visibility
                    .unwrap_or(Visibility::Tenant)
                    .as_str()
                    .to_owned()),
                created_at: Set(now),
                ..Default::default()
            }
            .insert(&txn)
            .await?
        }
    };
    if let Some(v) = req.visibility {
        let shares = if v == Visibility::Shared {
            req.shared_with.clone()
        } else {
            Vec::new()
        };
        tenancy::set_shares(&txn, DATASET_AREA_LEVEL, level.id, &shares).await?;
    }

    let existing: HashMap<String, Area> = areas::Entity::find()
        .filter(areas::Column::LevelId.eq(level.id))
        .all(&txn)
        .await?
        .into_iter()
        .map(|a| (a.code.clone(), a))
        .collect();
    let mut current: HashMap<i32, area_versions::Model> = area_versions::Entity::find()
        .filter(versions_of_level(level.id))
        .filter(area_versions::Column::ValidTo.is_null())
        .all(&txn)
        .await?
        .into_iter()
        .map(|v| (v.area_id, v))
        .collect();

    // Batched writes: a few statements per level instead of several per area.
    let new_areas: Vec<areas::ActiveModel> = source
        .iter()
        .filter(|s| !existing.contains_key(&s.code))
        .map(|s| areas::ActiveModel {
            tenant_id: Set(req.tenant_id),
            level_id: Set(level.id),
            code: Set(s.code.clone()),
            name: Set(s.name.clone()),
            parent_id: Set(s
                .parent_code
                .as_ref()
                .and_then(|c| parent_ids.get(c).copied())),
            created_at: Set(now),
            ..Default::default()
        })
        .collect();
    let mut by_code = existing;
    for chunk in new_areas.chunks(BATCH) {
        for a in areas::Entity::insert_many(chunk.to_vec())
            .exec_with_returning(&txn)
            .await?
        {
            by_code.insert(a.code.clone(), a);
        }
    }

    let mut report = ImportReport {
        applied: true,
        level_id: Some(level.id),
        ..Default::default()
    };
    let mut to_close: Vec<i32> = Vec::new();
    let mut new_versions: Vec<area_versions::ActiveModel> = Vec::new();
    let mut seen = HashSet::new();
    for s in &source {
        let Some(area) = by_code.get(&s.code) else {
            return Err(AppError::Internal(
                format!("area {} missing after insert", s.code).into(),
            ));
        };
        let parent_id = s
            .parent_code
            .as_ref()
            .and_then(|c| parent_ids.get(c).copied());
        if area.name != s.name || area.parent_id != parent_id {
            let mut am: areas::ActiveModel = area.clone().into();
            am.name = Set(s.name.clone());
            am.parent_id = Set(parent_id);
            am.update(&txn).await?;
        }
        seen.insert(area.id);
        let geometry = geometry_to_geojson(&s.geometry, None).to_string();
        match current.remove(&area.id) {
            Some(v) if v.geometry == geometry => {
                report.unchanged += 1;
                continue;
            }
            Some(v) => {
                to_close.push(v.id);
                report.changed += 1;
            }
            None => report.created += 1,
        }
        let Some(bbox) = s.geometry.bounding_rect() else {
            return Err(AppError::Validation(format!(
                "Feature {}: leere Geometrie",
                s.feature
            )));
        };
        new_versions.push(area_versions::ActiveModel {
            area_id: Set(area.id),
            geometry: Set(geometry),
            min_lon: Set(bbox.min().x),
            min_lat: Set(bbox.min().y),
            max_lon: Set(bbox.max().x),
            max_lat: Set(bbox.max().y),
            valid_from: Set(now),
            valid_to: Set(None),
            ..Default::default()
        });
    }
    // Areas no longer in the file keep their history but stop being current.
    for (_, v) in current.into_iter().filter(|(id, _)| !seen.contains(id)) {
        to_close.push(v.id);
        report.retired += 1;
    }
    for chunk in to_close.chunks(BATCH) {
        area_versions::Entity::update_many()
            .col_expr(
                area_versions::Column::ValidTo,
                sea_orm::sea_query::Expr::value(now),
            )
            .filter(area_versions::Column::Id.is_in(chunk.iter().copied()))
            .exec(&txn)
            .await?;
    }
    for chunk in new_versions.chunks(BATCH) {
        area_versions::Entity::insert_many(chunk.to_vec())
            .exec_without_returning(&txn)
            .await?;
    }
    if req.dry_run {
        // Everything was checked and counted against what is stored; nothing is kept.
        txn.rollback().await?;
        report.applied = false;
        report.level_id = None;
        return Ok(Imported {
            report,
            changed: None,
        });
    }
    txn.commit().await?;
    Ok(Imported {
        report,
        changed: Some(BoundariesChanged::new(req.tenant_id)),
    })
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
