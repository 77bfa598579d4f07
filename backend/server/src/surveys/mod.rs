//! Resident surveys: planners build them (structure and texts, checked by the domain rules),
//! open and close them, hand out one-time codes; residents answer anonymously; results leave
//! the server only after the disclosure rule. Storage keeps answers apart from everything
//! that could identify a respondent: no account, IP address, user agent or time of day with a
//! response, and the ballots that stop a second response are not linked to it.

mod answering;
mod building;
mod codes;
mod drafts;
pub mod entity;
mod evaluation;
pub mod export;
mod storing;
pub use answering::*;
pub use building::*;
pub use codes::*;
pub use drafts::*;
pub use evaluation::*;

use crate::areas;
use crate::kernel::audit;
use crate::kernel::error::{AppError, AppResult};
use crate::kernel::permissions::Can;
use crate::kernel::state::AppState;
use crate::kernel::viewer::Viewer;
use chrono::{DateTime, Duration, Utc};
use entity::{
    survey_areas, survey_ballots, survey_codes, survey_drafts, survey_free_texts, survey_responses,
    surveys,
};
use qn_domain::surveys::results::{self, Respondent, Results};
use qn_domain::surveys::texts::Translations;
use qn_domain::surveys::{
    accepting, Answer, AnswerError, Answers, QuestionKind, Refusal, Survey, DEFAULT_MIN_GROUP,
};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter,
    QueryOrder, QuerySelect, Set, SqlErr,
};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use std::collections::{HashMap, HashSet};
use std::sync::Arc;

pub use entity::surveys::Model as SurveyRow;

/// How long a half-filled plain form is kept on the server.
const DRAFT_HOURS: i64 = 24;
/// How long a device is remembered as having answered a public survey (at most).
const BALLOT_DAYS: i64 = 60;
/// Most one-time codes made at once (a mailing to every household of a Quartier).
pub const CODES_MAX: usize = 20_000;
/// Smallest group a planner may choose (below it nothing is anonymous).
pub const MIN_GROUP_FLOOR: u64 = 3;

impl From<Refusal> for AppError {
    fn from(e: Refusal) -> Self {
        AppError::Survey(e)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Status {
    Draft,
    Open,
    Closed,
}

qn_domain::str_enum!(Status, AppError, AppError::Validation, {
    Draft => "draft",
    Open => "open",
    Closed => "closed",
});

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Access {
    /// Anyone with the link; one response per device.
    Public,
    /// A one-time code per response (letters, conferences).
    Codes,
    /// Signed-in members of the Kommune; one response per account.
    Residents,
}

qn_domain::str_enum!(Access, AppError, AppError::Validation, {
    Public => "public",
    Codes => "codes",
    Residents => "residents",
});

impl Access {
    /// A stored or posted word; anything unknown is the most open mode's default, `public`
    /// (the form offers only the three).
    pub fn parse(s: &str) -> Self {
        s.parse().unwrap_or(Self::Public)
    }
}

/// A survey as the builder sends it.
#[derive(Debug, Clone)]
pub struct SurveyInput {
    pub access: Access,
    pub opens_at: Option<DateTime<Utc>>,
    pub closes_at: Option<DateTime<Utc>>,
    pub structure: Survey,
    pub texts: Translations,
    pub areas: Vec<i32>,
    pub min_group: u64,
}

/// A stored survey with its parsed structure, texts and target areas.
#[derive(Debug, Clone)]
pub struct Loaded {
    pub row: SurveyRow,
    pub survey: Survey,
    pub texts: Translations,
    pub areas: Vec<i32>,
}

impl Loaded {
    pub fn min_group(&self) -> u64 {
        u64::try_from(self.row.min_group).unwrap_or(DEFAULT_MIN_GROUP)
    }

    pub fn access(&self) -> Access {
        Access::parse(&self.row.access)
    }
}

fn hash(domain: &str, value: &str) -> String {
    Sha256::digest(format!("{domain}:{value}").as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

fn bad(m: impl Into<String>) -> AppError {
    AppError::Validation(m.into())
}

fn parse(row: SurveyRow, areas: Vec<i32>) -> AppResult<Loaded> {
    let survey: Survey = serde_json::from_str(&row.structure).map_err(AppError::internal)?;
    let texts: Translations = serde_json::from_str(&row.texts).map_err(AppError::internal)?;
    Ok(Loaded {
        row,
        survey,
        texts,
        areas,
    })
}

async fn target_areas(db: &impl ConnectionTrait, survey_id: i32) -> AppResult<Vec<i32>> {
    Ok(survey_areas::Entity::find()
        .filter(survey_areas::Column::SurveyId.eq(survey_id))
        .order_by_asc(survey_areas::Column::AreaId)
        .all(db)
        .await?
        .into_iter()
        .map(|a| a.area_id)
        .collect())
}

/// Whether the viewer may see the survey: open and closed ones are public (their link is
/// handed out); drafts only to the tenant's builders (preview).
fn may_see(viewer: &Viewer, row: &SurveyRow) -> bool {
    row.status != Status::Draft.as_str() || viewer.may(row.tenant_id, Can::ManageSurveys)
}

/// A survey by id, for the viewer.
///
/// # Errors
/// `NotFound` (also for a draft the viewer may not preview), database errors.
pub async fn load(db: &impl ConnectionTrait, viewer: &Viewer, id: i32) -> AppResult<Loaded> {
    let row = surveys::Entity::find_by_id(id)
        .one(db)
        .await?
        .filter(|r| may_see(viewer, r))
        .ok_or(AppError::NotFound)?;
    let areas = target_areas(db, id).await?;
    parse(row, areas)
}

/// Several surveys at once, from rows already read: their target areas in one query.
///
/// # Errors
/// Database errors.
pub async fn load_many(db: &impl ConnectionTrait, rows: Vec<SurveyRow>) -> AppResult<Vec<Loaded>> {
    let ids: Vec<i32> = rows.iter().map(|r| r.id).collect();
    let mut targets: HashMap<i32, Vec<i32>> = HashMap::new();
    if !ids.is_empty() {
        for a in survey_areas::Entity::find()
            .filter(survey_areas::Column::SurveyId.is_in(ids))
            .order_by_asc(survey_areas::Column::AreaId)
            .all(db)
            .await?
        {
            targets.entry(a.survey_id).or_default().push(a.area_id);
        }
    }
    rows.into_iter()
        .map(|row| {
            let areas = targets.remove(&row.id).unwrap_or_default();
            parse(row, areas)
        })
        .collect()
}

/// The number of responses of one survey.
///
/// # Errors
/// Database errors.
pub async fn response_count(db: &impl ConnectionTrait, id: i32) -> AppResult<u64> {
    Ok(response_counts(db, &[id])
        .await?
        .get(&id)
        .copied()
        .unwrap_or(0))
}

/// A survey with its number of responses.
#[derive(Debug, Clone)]
pub struct Listed {
    pub row: SurveyRow,
    pub responses: u64,
}

/// The tenant's surveys the viewer may see, newest first, with response counts (two queries).
///
/// # Errors
/// Database errors.
pub async fn list(
    db: &impl ConnectionTrait,
    viewer: &Viewer,
    tenant_id: i32,
) -> AppResult<Vec<Listed>> {
    let rows: Vec<SurveyRow> = surveys::Entity::find()
        .filter(surveys::Column::TenantId.eq(tenant_id))
        .order_by_desc(surveys::Column::Id)
        .all(db)
        .await?
        .into_iter()
        .filter(|r| may_see(viewer, r))
        .collect();
    let counts = response_counts(db, &rows.iter().map(|r| r.id).collect::<Vec<_>>()).await?;
    Ok(rows
        .into_iter()
        .map(|row| Listed {
            responses: counts.get(&row.id).copied().unwrap_or(0),
            row,
        })
        .collect())
}

/// Surveys aimed at an area (for its Quartier page), open ones only.
///
/// # Errors
/// Database errors.
pub async fn open_for_area(db: &impl ConnectionTrait, area_id: i32) -> AppResult<Vec<SurveyRow>> {
    let ids: Vec<i32> = survey_areas::Entity::find()
        .filter(survey_areas::Column::AreaId.eq(area_id))
        .all(db)
        .await?
        .into_iter()
        .map(|a| a.survey_id)
        .collect();
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    Ok(surveys::Entity::find()
        .filter(surveys::Column::Id.is_in(ids))
        .filter(surveys::Column::Status.eq(Status::Open.as_str()))
        .order_by_desc(surveys::Column::Id)
        .all(db)
        .await?)
}

async fn response_counts(db: &impl ConnectionTrait, ids: &[i32]) -> AppResult<HashMap<i32, u64>> {
    if ids.is_empty() {
        return Ok(HashMap::new());
    }
    Ok(survey_responses::Entity::find()
        .select_only()
        .column(survey_responses::Column::SurveyId)
        .column_as(survey_responses::Column::Id.count(), "n")
        .filter(survey_responses::Column::SurveyId.is_in(ids.to_vec()))
        .group_by(survey_responses::Column::SurveyId)
        .into_tuple::<(i32, i64)>()
        .all(db)
        .await?
        .into_iter()
        .map(|(id, n)| (id, u64::try_from(n).unwrap_or(0)))
        .collect())
}

async fn has_responses(db: &impl ConnectionTrait, survey_id: i32) -> AppResult<bool> {
    Ok(survey_responses::Entity::find()
        .filter(survey_responses::Column::SurveyId.eq(survey_id))
        .count(db)
        .await?
        > 0)
}
