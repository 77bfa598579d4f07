//! Export of an indicator's values at one level in the import formats (CSV long and wide,
//! KomMonitor JSON, GeoJSON), after disclosure control like every other way out.

use super::{cells, get, Dates};
use crate::areas;
use crate::kernel::error::AppResult;
use crate::kernel::state::AppState;
use crate::kernel::viewer::Viewer;
use qn_domain::indicators::export::{self as write, ExportRow};
use std::collections::{BTreeMap, HashMap};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ExportFormat {
    CsvLong,
    CsvWide,
    KomMonitor,
    GeoJson,
}

impl ExportFormat {
    pub fn content_type(self) -> &'static str {
        match self {
            Self::CsvLong | Self::CsvWide => "text/csv; charset=utf-8",
            Self::KomMonitor => "application/json",
            Self::GeoJson => "application/geo+json",
        }
    }

    pub fn extension(self) -> &'static str {
        match self {
            Self::CsvLong | Self::CsvWide => "csv",
            Self::KomMonitor => "json",
            Self::GeoJson => "geojson",
        }
    }
}

/// The export as a file body and a file name.
///
/// # Errors
/// `NotFound` for an indicator or level the viewer may not see.
pub async fn export(
    state: &AppState,
    viewer: &Viewer,
    indicator_id: i32,
    level_id: i32,
    format: ExportFormat,
) -> AppResult<(String, String)> {
    let db = &state.db;
    let ind = get(db, viewer, indicator_id).await?;
    let level = areas::level(db, viewer, level_id).await?;
    let list = areas::current_areas(db, viewer, level.id).await?;
    let names: HashMap<i32, (String, String)> = list
        .iter()
        .map(|a| (a.id, (a.code.clone(), a.name.clone())))
        .collect();
    let by_date = cells(
        db,
        None,
        viewer,
        std::slice::from_ref(&ind),
        Dates::All,
        Some(level.id),
    )
    .await?
    .remove(&ind.id)
    .unwrap_or_default();
    let mut rows: Vec<ExportRow> = Vec::new();
    for (date, values) in by_date {
        for v in values {
            let Some((code, name)) = names.get(&v.area_id) else {
                continue;
            };
            rows.push(ExportRow {
                area_code: code.clone(),
                area_name: name.clone(),
                date,
                cell: v.cell,
                numerator: v.numerator,
                denominator: v.denominator,
            });
        }
    }
    rows.sort_by(|a, b| {
        areas::name_key(&a.area_name)
            .cmp(&areas::name_key(&b.area_name))
            .then(a.date.cmp(&b.date))
    });
    let precision = u32::try_from(ind.precision).unwrap_or(1);
    let body = match format {
        ExportFormat::CsvLong => write::csv_long(&ind.name, &rows, precision),
        ExportFormat::CsvWide => write::csv_wide(&rows, precision),
        ExportFormat::KomMonitor => write::kommonitor_json(&rows).to_string(),
        ExportFormat::GeoJson => {
            let shapes = areas::cached_features(state, viewer, level.id, 0.0001).await?;
            let mut per_area: BTreeMap<&str, Vec<ExportRow>> = BTreeMap::new();
            for r in &rows {
                per_area
                    .entry(r.area_code.as_str())
                    .or_default()
                    .push(r.clone());
            }
            let features: Vec<serde_json::Value> = shapes
                .iter()
                .filter_map(|(id, geometry)| {
                    let (code, name) = names.get(id)?;
                    let mut props = per_area
                        .get(code.as_str())
                        .map(|r| write::geojson_properties(r))
                        .unwrap_or_default();
                    props.insert("ID".into(), code.clone().into());
                    props.insert("NAME".into(), name.clone().into());
                    Some(serde_json::json!({"type": "Feature", "properties": props, "geometry": geometry}))
                })
                .collect();
            serde_json::json!({"type": "FeatureCollection", "features": features}).to_string()
        }
    };
    let suffix = if format == ExportFormat::CsvWide {
        "-breit"
    } else {
        ""
    };
    let file = format!("{}-{}{}.{}", ind.key, level.key, suffix, format.extension());
    Ok((body, file))
}
