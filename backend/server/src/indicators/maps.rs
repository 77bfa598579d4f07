//! Choropleth maps of an indicator or a need index at a level and date: classified values with a
//! legend (no data and suppressed areas named apart), as a table and as GeoJSON for the map.

use super::need_index;
use super::{cells, dates, get, levels_with_values, Dates, Indicator, PublishedCache};
use crate::areas::{self, Area, Level};
use crate::kernel::error::{AppError, AppResult};
use crate::kernel::state::AppState;
use crate::kernel::viewer::Viewer;
use chrono::NaiveDate;
use qn_domain::indicators::classify::{classify, palette, Method, Scheme};
use qn_domain::indicators::Cell;
use sea_orm::ConnectionTrait;
use std::collections::HashMap;

/// What a map shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MapSource {
    Indicator(i32),
    Index(i32),
}

#[derive(Debug, Clone)]
pub struct MapRequest {
    pub source: MapSource,
    /// The level (default: the finest level with values).
    pub level_id: Option<i32>,
    /// The date (default: the latest).
    pub date: Option<NaiveDate>,
    /// The classification (default: quantiles for an indicator, the index's own classes for a
    /// need index).
    pub method: Option<Method>,
    pub classes: usize,
    /// Breaks for the manual method.
    pub breaks: Vec<f64>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct LegendEntry {
    pub lower: f64,
    pub upper: f64,
    pub color: &'static str,
    pub count: usize,
    /// The class is one distinct value (few distinct values: the values are the classes).
    pub single_value: bool,
}

#[derive(Debug, Clone)]
pub struct MapRow {
    pub area: Area,
    pub cell: Cell,
    pub class: Option<usize>,
    pub color: Option<&'static str>,
}

#[derive(Debug, Clone)]
pub struct Choropleth {
    pub title: String,
    pub unit: String,
    pub precision: i32,
    pub level: Level,
    pub levels: Vec<Level>,
    pub dates: Vec<NaiveDate>,
    pub date: Option<NaiveDate>,
    pub method: Method,
    pub legend: Vec<LegendEntry>,
    pub no_data: usize,
    pub suppressed: usize,
    pub rows: Vec<MapRow>,
    /// The computed index, for a need-index map (so a page does not compute it twice).
    pub index_run: Option<need_index::IndexRun>,
}

/// Fill of areas without data and of suppressed areas (the map adds a hatching to both, so they
/// are not told apart by colour alone).
pub const NO_DATA_COLOR: &str = "#ffffff";
pub const SUPPRESSED_COLOR: &str = "#bdbdbd";

/// What a map is made from, before classification.
struct Source {
    title: String,
    unit: String,
    precision: i32,
    level: Level,
    levels: Vec<Level>,
    dates: Vec<NaiveDate>,
    date: Option<NaiveDate>,
    cells: Vec<(Area, Cell)>,
    /// The index's own class breaks (need index only).
    own_breaks: Option<Vec<f64>>,
    index_run: Option<need_index::IndexRun>,
}

async fn indicator_map(
    db: &impl ConnectionTrait,
    cache: Option<&PublishedCache>,
    viewer: &Viewer,
    ind: Indicator,
    req: &MapRequest,
) -> AppResult<Source> {
    let levels = levels_with_values(db, cache, viewer, &ind).await?;
    let level = match req.level_id {
        Some(id) => areas::level(db, viewer, id).await?,
        // Without values yet: the tenant's finest level, every area without data.
        None => match levels.last() {
            Some(l) => l.clone(),
            None => areas::levels(db, viewer, ind.tenant_id)
                .await?
                .pop()
                .ok_or_else(|| {
                    AppError::Validation("Für diese Kommune gibt es noch keine Gebiete".into())
                })?,
        },
    };
    if level.tenant_id != ind.tenant_id {
        return Err(AppError::NotFound);
    }
    let all_dates = dates(db, cache, ind.id, Some(level.id)).await?;
    let date = req.date.or_else(|| all_dates.last().copied());
    let by_area: HashMap<i32, Cell> = match date {
        Some(d) => cells(
            db,
            cache,
            viewer,
            std::slice::from_ref(&ind),
            Dates::Only(&[d]),
            Some(level.id),
        )
        .await?
        .remove(&ind.id)
        .and_then(|mut m| m.remove(&d))
        .unwrap_or_default()
        .into_iter()
        .map(|v| (v.area_id, v.cell))
        .collect(),
        None => HashMap::new(),
    };
    let list = areas::current_areas(db, viewer, level.id).await?;
    let cells = list
        .into_iter()
        .map(|a| {
            let c = by_area.get(&a.id).copied().unwrap_or(Cell::NoData);
            (a, c)
        })
        .collect();
    Ok(Source {
        title: ind.name,
        unit: ind.unit,
        precision: ind.precision,
        level,
        levels,
        dates: all_dates,
        date,
        cells,
        own_breaks: None,
        index_run: None,
    })
}

/// Builds a choropleth.
///
/// # Errors
/// `NotFound` for what the viewer may not see; validation errors for a bad classification.
pub async fn choropleth(
    db: &impl ConnectionTrait,
    cache: Option<&PublishedCache>,
    viewer: &Viewer,
    req: &MapRequest,
) -> AppResult<Choropleth> {
    let Source {
        title,
        unit,
        precision,
        level,
        levels,
        dates: all_dates,
        date,
        cells,
        own_breaks,
        index_run,
    } = match req.source {
        MapSource::Indicator(id) => {
            let ind = get(db, viewer, id).await?;
            indicator_map(db, cache, viewer, ind, req).await?
        }
        MapSource::Index(id) => {
            let run = need_index::run(db, cache, viewer, id, req.date).await?;
            let level = areas::level(db, viewer, run.definition.level_id).await?;
            let cells = run
                .rows
                .iter()
                .map(|r| (r.area.clone(), Cell::from(r.score)))
                .collect();
            Source {
                title: run.definition.name.clone(),
                unit: String::new(),
                precision: 2,
                level: level.clone(),
                levels: vec![level],
                dates: run.dates.clone(),
                date: run.date,
                cells,
                own_breaks: Some(run.breaks.clone()),
                index_run: Some(run),
            }
        }
    };
    let values: Vec<f64> = cells.iter().filter_map(|(_, c)| c.value()).collect();
    let mut method = req.method.unwrap_or(Method::Quantiles);
    let (legend, class_of): (Vec<LegendEntry>, Box<dyn Fn(f64) -> usize + Send>) =
        if values.is_empty() {
            (Vec::new(), Box::new(|_| 0))
        } else {
            let c = match (req.method, own_breaks) {
                (None, Some(own)) => classify(&values, Method::Manual, own.len() + 1, &own, &[]),
                (method, _) => classify(
                    &values,
                    method.unwrap_or(Method::Quantiles),
                    req.classes,
                    &req.breaks,
                    &[],
                ),
            }
            .map_err(|e| AppError::Validation(e.to_string()))?;
            method = c.method;
            let ranges = c.classes();
            let colours = match req.source {
                // Warm colours for more need: PuOr runs from orange to purple, so it is turned
                // round.
                MapSource::Index(_) => {
                    let mut c = palette(Scheme::Diverging, ranges.len());
                    c.reverse();
                    c
                }
                MapSource::Indicator(_) => palette(Scheme::Sequential, ranges.len()),
            };
            let mut legend: Vec<LegendEntry> = ranges
                .iter()
                .enumerate()
                .map(|(i, r)| LegendEntry {
                    lower: r.lower,
                    upper: r.upper,
                    color: colours.get(i).copied().unwrap_or(SUPPRESSED_COLOR),
                    count: 0,
                    single_value: c.distinct,
                })
                .collect();
            for v in &values {
                if let Some(e) = legend.get_mut(c.class_of(*v)) {
                    e.count += 1;
                }
            }
            (legend, Box::new(move |v| c.class_of(v)))
        };
    let mut no_data = 0;
    let mut suppressed = 0;
    let rows = cells
        .into_iter()
        .map(|(area, cell)| {
            let class = match cell {
                Cell::Value(v) => Some(class_of(v)),
                Cell::NoData => {
                    no_data += 1;
                    None
                }
                Cell::Suppressed => {
                    suppressed += 1;
                    None
                }
            };
            let color = class.and_then(|c| legend.get(c)).map(|e| e.color);
            MapRow {
                area,
                cell,
                class,
                color,
            }
        })
        .collect();
    Ok(Choropleth {
        title,
        unit,
        precision,
        level,
        levels,
        dates: all_dates,
        date,
        method,
        legend,
        no_data,
        suppressed,
        rows,
        index_run,
    })
}

/// The map as GeoJSON: the level's simplified boundaries with each area's value, status, class
/// and fill colour as properties.
///
/// # Errors
/// As [`choropleth`].
pub async fn feature_collection(
    state: &AppState,
    viewer: &Viewer,
    req: &MapRequest,
    simplify: f64,
) -> AppResult<serde_json::Value> {
    let map = choropleth(&state.db, Some(&state.mem.published), viewer, req).await?;
    let shapes = areas::cached_features(state, viewer, map.level.id, simplify).await?;
    let by_area: HashMap<i32, &MapRow> = map.rows.iter().map(|r| (r.area.id, r)).collect();
    let features: Vec<serde_json::Value> = shapes
        .iter()
        .filter_map(|(id, geometry)| {
            let r = by_area.get(id)?;
            let fill = match r.cell {
                Cell::Value(_) => r.color.unwrap_or(SUPPRESSED_COLOR),
                Cell::NoData => NO_DATA_COLOR,
                Cell::Suppressed => SUPPRESSED_COLOR,
            };
            Some(serde_json::json!({
                "type": "Feature",
                "id": id,
                "properties": {
                    "id": id, "code": r.area.code, "name": r.area.name,
                    "value": r.cell.value(), "status": r.cell.status(),
                    "label": label(r.cell, map.precision, &map.unit),
                    "class": r.class, "fill": fill,
                },
                "geometry": geometry,
            }))
        })
        .collect();
    Ok(serde_json::json!({"type": "FeatureCollection", "features": features}))
}

/// A value as people read it: "12,5 %", "keine Daten", "geheim gehalten".
pub fn label(cell: Cell, precision: i32, unit: &str) -> String {
    match cell {
        Cell::Value(v) if unit.is_empty() => super::format_de(v, precision),
        Cell::Value(v) => format!("{} {unit}", super::format_de(v, precision)),
        Cell::NoData => "keine Daten".into(),
        Cell::Suppressed => "geheim gehalten".into(),
    }
}
