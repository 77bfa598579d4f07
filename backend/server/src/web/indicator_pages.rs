//! The data the indicator pages read, built on the same services as the GraphQL API (and so under
//! the same visibility and disclosure rules), formatted for reading in German.

use super::indicators::{map_request, MapQuery, DEFAULT_CLASSES};
use crate::areas::{self, Area};
use crate::indicators::maps::{self, label, MapSource};
use crate::indicators::need_index::{self as need};
use crate::indicators::{self, format_de, import as imp, profile, Indicator};
use crate::kernel::error::{AppError, AppResult};
use crate::kernel::permissions::Can;
use crate::kernel::state::AppState;
use crate::kernel::viewer::Viewer;
use crate::tenancy::Tenant;
use qn_app::api::{
    AreaLink, ChoroplethData, DraftData, ImportPageData, IndexFacts, IndexSummary,
    IndicatorSummary, IndicatorsData, LegendItem, LevelSummary, MapArgs, MapConfig, MapRowData,
    PreviewData, ProblemData, ProfileLineData, TenantSummary,
};
use qn_domain::indicators::Cell;

pub fn link(a: &Area) -> AreaLink {
    AreaLink {
        id: a.id,
        code: a.code.clone(),
        name: a.name.clone(),
    }
}

fn level_summary(l: &areas::Level) -> LevelSummary {
    LevelSummary {
        id: l.id,
        key: l.key.clone(),
        name: l.name.clone(),
    }
}

pub fn summary(i: &Indicator) -> IndicatorSummary {
    IndicatorSummary {
        id: i.id,
        key: i.key.clone(),
        name: i.name.clone(),
        abbreviation: i.abbreviation.clone(),
        unit: i.unit.clone(),
        topic: i.topic.clone(),
        source: i.source.clone(),
        description: i.description.clone(),
        polarity: i.polarity.clone(),
        kind: i.kind.clone(),
        visibility: i.visibility.clone(),
        derived: i.derivation.is_some(),
        min_count: i.min_count,
        precision: i.precision,
    }
}

/// The catalogue page.
///
/// # Errors
/// Database errors.
pub async fn catalogue(
    state: &AppState,
    viewer: &Viewer,
    tenant: &Tenant,
    tenant_summary: TenantSummary,
) -> AppResult<IndicatorsData> {
    let db = &state.db;
    let list = indicators::list(db, viewer, tenant.id).await?;
    let levels = areas::levels(db, viewer, tenant.id).await?;
    let indices = need::list(db, viewer, tenant.id).await?;
    Ok(IndicatorsData {
        tenant: tenant_summary,
        can_edit: viewer.may(tenant.id, Can::EditIndicators),
        indicators: list.iter().map(summary).collect(),
        indices: indices
            .iter()
            .map(|d| IndexSummary {
                id: d.id,
                name: d.name.clone(),
                level: levels
                    .iter()
                    .find(|l| l.id == d.level_id)
                    .map(|l| l.name.clone())
                    .unwrap_or_default(),
            })
            .collect(),
        levels: levels.iter().map(level_summary).collect(),
    })
}

fn query_of(args: &MapArgs) -> MapQuery {
    MapQuery {
        ebene: args.level,
        datum: args
            .date
            .as_deref()
            .and_then(|d| d.parse::<chrono::NaiveDate>().ok()),
        methode: args.method.clone(),
        klassen: args.classes,
        grenzen: args.breaks.clone(),
    }
}

fn url_query(args: &MapArgs, level: i32, date: Option<&str>) -> String {
    let mut q = format!("ebene={level}");
    if let Some(d) = date {
        q.push_str(&format!("&datum={d}"));
    }
    if let Some(m) = &args.method {
        q.push_str(&format!("&methode={}", super::forms::enc(m)));
    }
    if let Some(c) = args.classes {
        q.push_str(&format!("&klassen={c}"));
    }
    if let Some(b) = args.breaks.as_deref().filter(|b| !b.is_empty()) {
        q.push_str(&format!("&grenzen={}", super::forms::enc(b)));
    }
    q
}

/// A value as the page shows it: the number with its unit (status texts come from the UI).
fn value_text(cell: Cell, precision: i32, unit: &str) -> String {
    match cell {
        Cell::Value(_) => label(cell, precision, unit),
        Cell::NoData | Cell::Suppressed => String::new(),
    }
}

/// A choropleth page of an indicator or a need index.
///
/// # Errors
/// `NotFound` for what the viewer may not see.
pub async fn choropleth(
    state: &AppState,
    viewer: &Viewer,
    source: MapSource,
    args: MapArgs,
    tenant_of: impl Fn(i32) -> Option<TenantSummary>,
    map: MapConfig,
) -> AppResult<ChoroplethData> {
    let db = &state.db;
    let mut req = map_request(source, &query_of(&args))?;
    let (indicator, tenant_id, precision) = match source {
        MapSource::Indicator(id) => {
            let i = indicators::get(db, viewer, id).await?;
            (Some(summary(&i)), i.tenant_id, i.precision)
        }
        MapSource::Index(id) => (None, need::get(db, viewer, id).await?.tenant_id, 2),
    };
    // A classification the data does not allow (e.g. manual breaks out of order) shows the map
    // with quantiles and says why, instead of failing the page.
    let (m, problem) = match maps::choropleth(db, Some(&state.mem.published), viewer, &req).await {
        Ok(m) => (m, None),
        Err(AppError::Validation(msg))
            if req.method.is_some() || req.classes != DEFAULT_CLASSES =>
        {
            req.method = None;
            req.breaks.clear();
            req.classes = DEFAULT_CLASSES;
            (
                maps::choropleth(db, Some(&state.mem.published), viewer, &req).await?,
                Some(msg),
            )
        }
        Err(e) => return Err(e),
    };
    let date = m.date.map(|d| d.to_string());
    let level_id = m.level.id;
    let base = match source {
        MapSource::Indicator(id) => format!("/api/v1/indicators/{id}"),
        MapSource::Index(id) => format!("/api/v1/indices/{id}"),
    };
    let q = url_query(
        &MapArgs {
            method: req.method.map(|m| m.as_str().to_owned()),
            classes: Some(req.classes),
            ..args.clone()
        },
        level_id,
        date.as_deref(),
    );
    let geojson_url = format!("{base}/map.geojson?{q}");
    let exports = match source {
        MapSource::Indicator(id) => vec![
            (
                "CSV (lang)".to_owned(),
                format!("/api/v1/indicators/{id}/values.csv?ebene={level_id}"),
            ),
            (
                "CSV (breit)".to_owned(),
                format!("/api/v1/indicators/{id}/values.csv?ebene={level_id}&layout=breit"),
            ),
            (
                "KomMonitor-JSON".to_owned(),
                format!("/api/v1/indicators/{id}/values.json?ebene={level_id}"),
            ),
            (
                "GeoJSON".to_owned(),
                format!("/api/v1/indicators/{id}/values.geojson?ebene={level_id}"),
            ),
        ],
        MapSource::Index(_) => Vec::new(),
    };
    let (ranks, high_need, index) = match source {
        MapSource::Index(_) => {
            let run = m
                .index_run
                .clone()
                .ok_or_else(|| AppError::Internal("index map without its run".into()))?;
            let ranks: std::collections::HashMap<i32, (Option<usize>, Option<usize>)> = run
                .rows
                .iter()
                .map(|r| (r.area.id, (r.rank, r.class)))
                .collect();
            let high: Vec<MapRowData> = run
                .high_need()
                .into_iter()
                .map(|r| MapRowData {
                    area: link(&r.area),
                    value: r.score,
                    label: value_text(Cell::from(r.score), 2, ""),
                    status: Cell::from(r.score).status().to_owned(),
                    color: None,
                    rank: r.rank,
                    class: r.class,
                })
                .collect();
            let facts = IndexFacts {
                valid_areas: run.valid_areas,
                areas: run.rows.len(),
                high_need_from: run.high_need_from(),
                class_count: run.class_count,
                named_classes: matches!(
                    run.spec.classes,
                    qn_domain::indicators::need_index::IndexClasses::SdBands(_)
                ) && run.class_count == 4,
                own_classes: req.method.is_none(),
            };
            (ranks, high, Some(facts))
        }
        MapSource::Indicator(_) => (Default::default(), Vec::new(), None),
    };
    let rows = m
        .rows
        .iter()
        .map(|r| {
            let (rank, class) = ranks.get(&r.area.id).copied().unwrap_or((None, None));
            MapRowData {
                area: link(&r.area),
                value: r.cell.value(),
                label: value_text(r.cell, m.precision, &m.unit),
                status: r.cell.status().to_owned(),
                color: r.color.map(str::to_owned),
                rank,
                class,
            }
        })
        .collect();
    let tenant = tenant_of(tenant_id).ok_or(AppError::NotFound)?;
    let own_classes = matches!(source, MapSource::Index(_)) && req.method.is_none();
    let bound = |v: f64| label(Cell::Value(v), precision, &m.unit);
    Ok(ChoroplethData {
        tenant,
        can_edit: viewer.may(tenant_id, Can::EditIndicators),
        title: m.title.clone(),
        unit: m.unit.clone(),
        indicator,
        levels: m.levels.iter().map(level_summary).collect(),
        level: level_summary(&m.level),
        dates: m.dates.iter().map(ToString::to_string).collect(),
        date,
        method: if own_classes {
            String::new()
        } else {
            m.method.as_str().to_owned()
        },
        classes: if req.classes == 0 {
            DEFAULT_CLASSES
        } else {
            req.classes
        },
        breaks: args.breaks.clone().unwrap_or_default(),
        legend: m
            .legend
            .iter()
            .map(|e| LegendItem {
                lower: bound(e.lower),
                upper: bound(e.upper),
                single: e.single_value || (e.upper - e.lower).abs() < f64::EPSILON,
                color: e.color.to_owned(),
                count: e.count,
            })
            .collect(),
        no_data: m.no_data,
        suppressed: m.suppressed,
        rows,
        geojson_url,
        exports,
        high_need,
        index,
        problem,
        map,
    })
}

/// The profile lines of the Quartier page.
///
/// # Errors
/// Database errors.
pub async fn profile_lines(
    state: &AppState,
    viewer: &Viewer,
    area_id: i32,
) -> AppResult<(Vec<ProfileLineData>, Vec<String>, Vec<String>)> {
    let p = profile::profile(&state.db, Some(&state.mem.published), viewer, area_id).await?;
    let lines: Vec<ProfileLineData> = p
        .entries
        .iter()
        .map(|e| {
            let prec = e.indicator.precision;
            let unit = &e.indicator.unit;
            let signed = |v: f64| {
                let s = format_de(v, prec);
                if v > 0.0 && s.chars().any(|c| c.is_ascii_digit() && c != '0') {
                    format!("+{s}")
                } else {
                    s
                }
            };
            ProfileLineData {
                indicator_id: e.indicator.id,
                name: e.indicator.name.clone(),
                topic: e.indicator.topic.clone(),
                date: e.date.format("%d.%m.%Y").to_string(),
                value: value_text(e.cell, prec, unit),
                status: e.cell.status().to_owned(),
                mean: e
                    .line
                    .mean
                    .map(|m| label(Cell::Value(m), prec, unit))
                    .unwrap_or_else(|| "–".into()),
                deviation: e.line.deviation.map(signed).unwrap_or_else(|| "–".into()),
                rank: e
                    .line
                    .rank
                    .map(|r| format!("{r} von {}", e.line.of))
                    .unwrap_or_else(|| "–".into()),
                trend: e.line.trend.map(signed).unwrap_or_else(|| "–".into()),
                assessment: match e.line.assessment {
                    Some(a) if a > 0.0 => "better",
                    Some(a) if a < 0.0 => "worse",
                    _ => "neutral",
                }
                .into(),
            }
        })
        .collect();
    let names = |idx: &[usize]| -> Vec<String> {
        idx.iter()
            .filter_map(|i| p.entries.get(*i))
            .map(|e| e.indicator.name.clone())
            .collect()
    };
    Ok((lines.clone(), names(&p.strengths), names(&p.weaknesses)))
}

/// The import page, with the viewer's draft when one is named.
///
/// # Errors
/// `Forbidden` for viewers who may not import into this tenant.
pub async fn import_page(
    state: &AppState,
    viewer: &Viewer,
    tenant: &Tenant,
    tenant_summary: TenantSummary,
    draft: Option<i32>,
) -> AppResult<ImportPageData> {
    viewer.require(tenant.id, Can::EditIndicators)?;
    let db = &state.db;
    let list = indicators::list(db, viewer, tenant.id).await?;
    let levels = areas::levels(db, viewer, tenant.id).await?;
    let draft = match draft {
        Some(id) => {
            let d = imp::draft(db, viewer, id).await?;
            let r = d.report;
            Some(DraftData {
                id: d.id,
                indicator: list
                    .iter()
                    .find(|i| i.id == d.indicator_id)
                    .map(|i| i.name.clone())
                    .unwrap_or_default(),
                level: levels
                    .iter()
                    .find(|l| l.id == d.level_id)
                    .map(|l| l.name.clone())
                    .unwrap_or_default(),
                rows: r.rows,
                created: r.created,
                replaced: r.replaced,
                no_data: r.no_data,
                areas: r.areas,
                dates: r
                    .dates
                    .iter()
                    .map(|d| d.format("%d.%m.%Y").to_string())
                    .collect(),
                format: r.format,
                encoding: r.encoding,
                problems: r
                    .problems
                    .into_iter()
                    .map(|p| ProblemData {
                        line: p.line,
                        code: p.code,
                        message: p.message,
                    })
                    .collect(),
                preview: r
                    .preview
                    .into_iter()
                    .map(|p| PreviewData {
                        line: p.line,
                        area: format!("{} ({})", p.area_name, p.area_code),
                        date: p.date.format("%d.%m.%Y").to_string(),
                        value: p.value.map(|v| {
                            format_de(v, 6)
                                .trim_end_matches('0')
                                .trim_end_matches(',')
                                .to_owned()
                        }),
                    })
                    .collect(),
            })
        }
        None => None,
    };
    Ok(ImportPageData {
        tenant: tenant_summary,
        indicators: list.iter().map(summary).collect(),
        levels: levels.iter().map(level_summary).collect(),
        draft,
    })
}
