//! Reading levels and areas: by id, of a level, at a date, children, neighbours, at a point.

use super::*;

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
pub(super) fn order_by_hierarchy(mut levels: Vec<Level>) -> Vec<Level> {
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

pub(super) fn valid_at(at: Option<DateTime<Utc>>) -> Condition {
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

/// Areas of the same level that touch this one (from the area index).
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
