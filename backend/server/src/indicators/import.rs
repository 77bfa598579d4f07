//! Import of indicator values: the whole file is parsed and checked against the level's areas
//! first (every problem with its line), then all rows are written in one transaction, or none.
//! Also the planner page's two-step flow: an uploaded file is kept as a draft with its dry-run
//! report until the planner confirms it.

use super::entity::{indicator_import_drafts as drafts, indicator_values};
use super::{get, Indicator};
use crate::areas::{self, entity::area_versions, entity::areas as area_table};
use crate::kernel::error::{AppError, AppResult};
use crate::kernel::permissions::Can;
use crate::kernel::state::AppState;
use crate::kernel::viewer::Viewer;
use chrono::{NaiveDate, Utc};
use qn_domain::indicators::import::{parse, Format, ImportOptions, Layout, ParsedValue, Problem};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QuerySelect, Set,
};
use serde::{Deserialize, Serialize};
use std::collections::{HashMap, HashSet};

/// Rows shown in a preview.
const PREVIEW_ROWS: usize = 20;

/// What to import where.
#[derive(Debug, Clone)]
pub struct ImportInput {
    pub indicator_id: i32,
    pub level_id: i32,
    pub bytes: Vec<u8>,
    pub format: Format,
    pub layout: Layout,
    pub area_property: Option<String>,
    pub dry_run: bool,
}

/// A problem as reported to the caller.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ReportProblem {
    pub line: Option<usize>,
    pub code: String,
    pub message: String,
}

impl From<&Problem> for ReportProblem {
    fn from(p: &Problem) -> Self {
        Self {
            line: p.line,
            code: p.code.as_str().to_owned(),
            message: p.message.clone(),
        }
    }
}

/// A row of the preview.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PreviewRow {
    pub line: usize,
    pub area_code: String,
    pub area_name: String,
    pub date: NaiveDate,
    pub value: Option<f64>,
    pub numerator: Option<f64>,
    pub denominator: Option<f64>,
}

/// The outcome; with problems nothing was stored.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct ImportReport {
    pub applied: bool,
    pub rows: usize,
    /// Values new for their area and date.
    pub created: usize,
    /// Values that replace a stored one.
    pub replaced: usize,
    /// Rows that are "no data".
    pub no_data: usize,
    pub areas: usize,
    pub dates: Vec<NaiveDate>,
    pub format: String,
    pub encoding: String,
    pub problems: Vec<ReportProblem>,
    pub preview: Vec<PreviewRow>,
}

fn problems_only(problems: &[Problem]) -> ImportReport {
    ImportReport {
        problems: problems.iter().map(ReportProblem::from).collect(),
        ..Default::default()
    }
}

/// The level's areas by code with the date their last boundary ended (`None` while current).
async fn area_validity(
    db: &impl ConnectionTrait,
    level_id: i32,
) -> AppResult<(
    HashMap<String, Option<NaiveDate>>,
    HashMap<String, (i32, String)>,
)> {
    let list = area_table::Entity::find()
        .filter(area_table::Column::LevelId.eq(level_id))
        .all(db)
        .await?;
    let ids: Vec<i32> = list.iter().map(|a| a.id).collect();
    let mut ends: HashMap<i32, Option<NaiveDate>> = HashMap::new();
    for chunk in ids.chunks(areas_chunk()) {
        for (area_id, valid_to) in area_versions::Entity::find()
            .select_only()
            .column(area_versions::Column::AreaId)
            .column(area_versions::Column::ValidTo)
            .filter(area_versions::Column::AreaId.is_in(chunk.iter().copied()))
            .into_tuple::<(i32, Option<chrono::DateTime<Utc>>)>()
            .all(db)
            .await?
        {
            let end = valid_to.map(|t| t.date_naive());
            let e = ends.entry(area_id).or_insert(end);
            // Any current version (no end) keeps the area valid; else the latest end counts.
            *e = match (*e, end) {
                (None, _) | (_, None) => None,
                (Some(a), Some(b)) => Some(a.max(b)),
            };
        }
    }
    let validity = list
        .iter()
        .map(|a| (a.code.clone(), ends.get(&a.id).copied().flatten()))
        .collect();
    let by_code = list.into_iter().map(|a| (a.code, (a.id, a.name))).collect();
    Ok((validity, by_code))
}

fn areas_chunk() -> usize {
    10_000
}

/// Parses, checks and (unless a dry run) stores the values of a file.
///
/// # Errors
/// `NotFound` for an invisible indicator or level, `Forbidden` for viewers who are not planners
/// or admins of the indicator's tenant, validation errors for a level of another tenant. Problems
/// in the file come back in the report.
pub async fn import(
    state: &AppState,
    viewer: &Viewer,
    mut input: ImportInput,
) -> AppResult<ImportReport> {
    let ind = get(&state.db, viewer, input.indicator_id).await?;
    viewer.require(ind.tenant_id, Can::EditIndicators)?;
    let level = areas::level(&state.db, viewer, input.level_id).await?;
    if level.tenant_id != ind.tenant_id {
        return Err(AppError::Validation(
            "Die Ebene gehört nicht zum Mandanten des Indikators".into(),
        ));
    }
    let bytes = std::mem::take(&mut input.bytes);
    let (validity, by_code) = area_validity(&state.db, level.id).await?;
    let opts = ImportOptions {
        format: input.format,
        layout: input.layout,
        area_property: input.area_property.clone(),
        known_areas: Some(validity),
        ..ImportOptions::default()
    };
    // Parsing 300,000 rows is CPU work: off the async workers.
    let parsed = tokio::task::spawn_blocking(move || parse(&bytes, &opts))
        .await
        .map_err(AppError::internal)?;
    let parsed = match parsed {
        Ok(p) => p,
        Err(problems) => return Ok(problems_only(&problems)),
    };
    let existing: HashSet<(i32, NaiveDate)> = indicator_values::Entity::find()
        .select_only()
        .column(indicator_values::Column::AreaId)
        .column(indicator_values::Column::Date)
        .filter(indicator_values::Column::IndicatorId.eq(ind.id))
        .into_tuple::<(i32, NaiveDate)>()
        .all(&state.db)
        .await?
        .into_iter()
        .collect();
    let mut report = ImportReport {
        rows: parsed.rows.len(),
        format: parsed.format.as_str().to_owned(),
        encoding: parsed.encoding.to_owned(),
        ..Default::default()
    };
    let mut models = Vec::with_capacity(parsed.rows.len());
    let mut dates = std::collections::BTreeSet::new();
    let mut areas_seen = HashSet::new();
    for row in &parsed.rows {
        let Some((area_id, _)) = by_code.get(&row.area_code) else {
            return Err(AppError::Internal(
                format!("area {} vanished after the check", row.area_code).into(),
            ));
        };
        if existing.contains(&(*area_id, row.date)) {
            report.replaced += 1;
        } else {
            report.created += 1;
        }
        if row.value.is_none() {
            report.no_data += 1;
        }
        dates.insert(row.date);
        areas_seen.insert(*area_id);
        models.push(value_model(ind.id, *area_id, row));
    }
    report.dates = dates.into_iter().collect();
    report.areas = areas_seen.len();
    report.preview = parsed
        .rows
        .iter()
        .take(PREVIEW_ROWS)
        .map(|r| PreviewRow {
            line: r.line,
            area_code: r.area_code.clone(),
            area_name: by_code
                .get(&r.area_code)
                .map(|(_, n)| n.clone())
                .unwrap_or_default(),
            date: r.date,
            value: r.value,
            numerator: r.numerator,
            denominator: r.denominator,
        })
        .collect();
    if input.dry_run {
        return Ok(report);
    }
    super::values::replace(
        &state.db,
        &state.mem.published,
        ind.id,
        models,
        super::values::Replacing::SameAreaAndDate,
    )
    .await?;
    report.applied = true;
    Ok(report)
}

pub(crate) fn value_model(
    indicator_id: i32,
    area_id: i32,
    row: &ParsedValue,
) -> indicator_values::ActiveModel {
    indicator_values::ActiveModel {
        indicator_id: Set(indicator_id),
        area_id: Set(area_id),
        date: Set(row.date),
        value: Set(row.value),
        numerator: Set(row.numerator),
        denominator: Set(row.denominator),
        ..Default::default()
    }
}

/// How a draft is to be read, kept with it.
#[derive(Debug, Clone, Serialize, Deserialize)]
struct DraftOptions {
    format: String,
    layout: String,
}

/// Keeps an uploaded file with its dry-run report for the planner to confirm (the preview step
/// of the import page). Drafts older than a day are removed on the way.
///
/// # Errors
/// As [`import`].
pub async fn create_draft(
    state: &AppState,
    viewer: &Viewer,
    input: ImportInput,
) -> AppResult<(i32, ImportReport)> {
    let user = viewer.user.as_ref().ok_or(AppError::Unauthenticated)?;
    let ind: Indicator = get(&state.db, viewer, input.indicator_id).await?;
    viewer.require(ind.tenant_id, Can::EditIndicators)?;
    drafts::Entity::delete_many()
        .filter(drafts::Column::CreatedAt.lt(Utc::now() - chrono::Duration::days(1)))
        .exec(&state.db)
        .await?;
    let payload = input.bytes.clone();
    let options = DraftOptions {
        format: input.format.as_str().to_owned(),
        layout: input.layout.as_str().to_owned(),
    };
    let level_id = input.level_id;
    let report = import(
        state,
        viewer,
        ImportInput {
            dry_run: true,
            ..input
        },
    )
    .await?;
    let draft = drafts::ActiveModel {
        tenant_id: Set(ind.tenant_id),
        user_id: Set(user.id),
        indicator_id: Set(ind.id),
        level_id: Set(level_id),
        options: Set(serde_json::to_string(&options).map_err(AppError::internal)?),
        payload: Set(payload),
        report: Set(serde_json::to_string(&report).map_err(AppError::internal)?),
        created_at: Set(Utc::now()),
        ..Default::default()
    }
    .insert(&state.db)
    .await?;
    Ok((draft.id, report))
}

/// A draft of the viewer's with its report.
#[derive(Debug, Clone)]
pub struct Draft {
    pub id: i32,
    pub indicator_id: i32,
    pub level_id: i32,
    pub report: ImportReport,
}

/// # Errors
/// `NotFound` unless the draft is the viewer's own.
pub async fn draft(db: &impl ConnectionTrait, viewer: &Viewer, id: i32) -> AppResult<Draft> {
    let user = viewer.user.as_ref().ok_or(AppError::Unauthenticated)?;
    // Not the uploaded file itself (up to the upload limit): the page shows the report.
    let (draft_id, indicator_id, level_id, report) = drafts::Entity::find_by_id(id)
        .select_only()
        .column(drafts::Column::Id)
        .column(drafts::Column::IndicatorId)
        .column(drafts::Column::LevelId)
        .column(drafts::Column::Report)
        .filter(drafts::Column::UserId.eq(user.id))
        .into_tuple::<(i32, i32, i32, String)>()
        .one(db)
        .await?
        .ok_or(AppError::NotFound)?;
    Ok(Draft {
        id: draft_id,
        indicator_id,
        level_id,
        report: serde_json::from_str(&report).map_err(AppError::internal)?,
    })
}

/// Applies a confirmed draft (checked again: the areas may have changed since) and removes it.
///
/// # Errors
/// As [`import`]; `NotFound` for a draft that is not the viewer's.
pub async fn apply_draft(state: &AppState, viewer: &Viewer, id: i32) -> AppResult<ImportReport> {
    let user = viewer.user.as_ref().ok_or(AppError::Unauthenticated)?;
    let d = drafts::Entity::find_by_id(id)
        .filter(drafts::Column::UserId.eq(user.id))
        .one(&state.db)
        .await?
        .ok_or(AppError::NotFound)?;
    let options: DraftOptions = serde_json::from_str(&d.options).map_err(AppError::internal)?;
    let report = import(
        state,
        viewer,
        ImportInput {
            indicator_id: d.indicator_id,
            level_id: d.level_id,
            bytes: d.payload.clone(),
            format: options.format.parse().unwrap_or(Format::Auto),
            layout: options.layout.parse().unwrap_or(Layout::Auto),
            area_property: None,
            dry_run: false,
        },
    )
    .await?;
    if report.applied {
        drafts::Entity::delete_by_id(d.id).exec(&state.db).await?;
    }
    Ok(report)
}
