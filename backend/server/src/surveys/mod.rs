//! Resident surveys: planners build them (structure and texts, checked by the domain rules),
//! open and close them, hand out one-time codes; residents answer anonymously; results leave
//! the server only after the disclosure rule. Storage keeps answers apart from everything
//! that could identify a respondent: no account, IP address, user agent or time of day with a
//! response, and the ballots that stop a second response are not linked to it.

pub mod entity;
pub mod export;

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

impl Status {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Draft => "draft",
            Self::Open => "open",
            Self::Closed => "closed",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Access {
    /// Anyone with the link; one response per device.
    Public,
    /// A one-time code per response (letters, conferences).
    Codes,
    /// Signed-in members of the Kommune; one response per account.
    Residents,
}

impl Access {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Public => "public",
            Self::Codes => "codes",
            Self::Residents => "residents",
        }
    }

    pub fn parse(s: &str) -> Self {
        match s {
            "codes" => Self::Codes,
            "residents" => Self::Residents,
            _ => Self::Public,
        }
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

// ---------------------------------------------------------------------------------------------
// Building

/// Checks the builder's input: structure and texts by the domain rules, target areas in the
/// tenant, dates in order, a smallest group that protects anyone.
async fn check_input(
    db: &impl ConnectionTrait,
    viewer: &Viewer,
    tenant_id: i32,
    input: &SurveyInput,
) -> AppResult<String> {
    input.structure.check().map_err(Refusal::Structure)?;
    input
        .texts
        .check(&input.structure)
        .map_err(Refusal::Texts)?;
    if let (Some(o), Some(c)) = (input.opens_at, input.closes_at) {
        if c <= o {
            return Err(bad("das Ende der Umfrage liegt vor ihrem Beginn"));
        }
    }
    if input.min_group < MIN_GROUP_FLOOR || input.min_group > 1000 {
        return Err(bad(format!(
            "die kleinste gezeigte Gruppe muss zwischen {MIN_GROUP_FLOOR} und 1000 liegen"
        )));
    }
    let found = areas::by_ids(db, viewer, &input.areas).await?;
    for id in &input.areas {
        if !found
            .iter()
            .any(|a| a.id == *id && a.tenant_id == tenant_id)
        {
            return Err(bad(format!("Gebiet {id} gehört nicht zu dieser Kommune")));
        }
    }
    let title = input
        .texts
        .of(qn_domain::surveys::texts::BASE_LANGUAGE)
        .get("title")
        .unwrap_or_default()
        .trim()
        .to_owned();
    if title.chars().count() > 200 {
        return Err(bad("der Titel ist länger als 200 Zeichen"));
    }
    Ok(title)
}

fn to_json<T: Serialize>(v: &T) -> AppResult<String> {
    serde_json::to_string(v).map_err(AppError::internal)
}

async fn set_areas(db: &impl ConnectionTrait, survey_id: i32, areas: &[i32]) -> AppResult<()> {
    survey_areas::Entity::delete_many()
        .filter(survey_areas::Column::SurveyId.eq(survey_id))
        .exec(db)
        .await?;
    let unique: HashSet<i32> = areas.iter().copied().collect();
    if !unique.is_empty() {
        survey_areas::Entity::insert_many(unique.into_iter().map(|a| survey_areas::ActiveModel {
            survey_id: Set(survey_id),
            area_id: Set(a),
        }))
        .exec(db)
        .await?;
    }
    Ok(())
}

/// Creates a survey as a draft.
///
/// # Errors
/// `Forbidden` without a builder role, the input's first problem, database errors.
pub async fn create(
    db: &sea_orm::DatabaseConnection,
    viewer: &Viewer,
    tenant_id: i32,
    input: SurveyInput,
) -> AppResult<Loaded> {
    let user = viewer.require(tenant_id, Can::ManageSurveys)?.id;
    let txn = crate::kernel::db::write_txn(db).await?;
    let title = check_input(&txn, viewer, tenant_id, &input).await?;
    let now = Utc::now();
    let row = surveys::ActiveModel {
        tenant_id: Set(tenant_id),
        title: Set(title),
        status: Set(Status::Draft.as_str().into()),
        access: Set(input.access.as_str().into()),
        opens_at: Set(input.opens_at),
        closes_at: Set(input.closes_at),
        structure: Set(to_json(&input.structure)?),
        texts: Set(to_json(&input.texts)?),
        min_group: Set(i32::try_from(input.min_group).unwrap_or(5)),
        results_published: Set(false),
        results_upto: Set(None),
        version: Set(1),
        previous_id: Set(None),
        created_by: Set(Some(user).filter(|u| *u > 0)),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    }
    .insert(&txn)
    .await?;
    set_areas(&txn, row.id, &input.areas).await?;
    audit::record(
        &txn,
        tenant_id,
        viewer,
        "survey_create",
        &format!("survey:{}", row.id),
        &row.title,
    )
    .await?;
    txn.commit().await?;
    Ok(Loaded {
        areas: target_areas(db, row.id).await?,
        survey: input.structure,
        texts: input.texts,
        row,
    })
}

/// Changes a survey. Once it has responses its questions are frozen (a change would make the
/// answers mean something else): then only texts, dates and settings change, and a changed
/// structure is refused with `SURVEY_FROZEN` (make a new version instead).
///
/// # Errors
/// `Forbidden`, `NotFound`, the input's first problem, `SURVEY_FROZEN`, database errors.
pub async fn update(
    db: &sea_orm::DatabaseConnection,
    viewer: &Viewer,
    id: i32,
    input: SurveyInput,
) -> AppResult<Loaded> {
    let txn = crate::kernel::db::write_txn(db).await?;
    let current = load(&txn, viewer, id).await?;
    viewer.require(current.row.tenant_id, Can::ManageSurveys)?;
    let title = check_input(&txn, viewer, current.row.tenant_id, &input).await?;
    if current.survey != input.structure && has_responses(&txn, id).await? {
        return Err(Refusal::Frozen.into());
    }
    let mut m: surveys::ActiveModel = current.row.clone().into();
    m.title = Set(title);
    m.access = Set(input.access.as_str().into());
    m.opens_at = Set(input.opens_at);
    m.closes_at = Set(input.closes_at);
    m.structure = Set(to_json(&input.structure)?);
    m.texts = Set(to_json(&input.texts)?);
    m.min_group = Set(i32::try_from(input.min_group).unwrap_or(5));
    m.updated_at = Set(Utc::now());
    let row = m.update(&txn).await?;
    set_areas(&txn, id, &input.areas).await?;
    audit::record(
        &txn,
        row.tenant_id,
        viewer,
        "survey_update",
        &format!("survey:{id}"),
        &row.title,
    )
    .await?;
    txn.commit().await?;
    load(db, viewer, id).await.map(|mut l| {
        l.row = row;
        l
    })
}

/// Changes a survey's structure and texts with a builder step, keeping its settings (the same
/// rules as [`update`]: frozen once answered).
///
/// # Errors
/// As [`update`], and the step's own refusal.
pub async fn edit(
    db: &sea_orm::DatabaseConnection,
    viewer: &Viewer,
    id: i32,
    step: impl FnOnce(&mut Survey, &mut Translations) -> Result<(), Refusal>,
) -> AppResult<Loaded> {
    let mut s = load(db, viewer, id).await?;
    viewer.require(s.row.tenant_id, Can::ManageSurveys)?;
    step(&mut s.survey, &mut s.texts)?;
    let input = SurveyInput {
        access: s.access(),
        opens_at: s.row.opens_at,
        closes_at: s.row.closes_at,
        min_group: s.min_group(),
        areas: s.areas,
        structure: s.survey,
        texts: s.texts,
    };
    update(db, viewer, id, input).await
}

/// Opens, closes or (without responses) returns a survey to draft.
///
/// # Errors
/// `Forbidden`, `NotFound`, `CONFLICT` for a draft with responses, database errors.
pub async fn set_status(
    db: &impl ConnectionTrait,
    viewer: &Viewer,
    id: i32,
    status: Status,
) -> AppResult<SurveyRow> {
    let current = load(db, viewer, id).await?;
    viewer.require(current.row.tenant_id, Can::ManageSurveys)?;
    if status == Status::Draft && has_responses(db, id).await? {
        return Err(AppError::Conflict(
            "eine Umfrage mit Antworten kann kein Entwurf mehr werden".into(),
        ));
    }
    let mut m: surveys::ActiveModel = current.row.into();
    m.status = Set(status.as_str().into());
    m.updated_at = Set(Utc::now());
    let row = m.update(db).await?;
    audit::record(
        db,
        row.tenant_id,
        viewer,
        "survey_status",
        &format!("survey:{id}"),
        status.as_str(),
    )
    .await?;
    Ok(row)
}

/// Publishes the (suppressed) results for residents, or withdraws them.
///
/// # Errors
/// `Forbidden`, `NotFound`, database errors.
pub async fn publish_results(
    db: &impl ConnectionTrait,
    viewer: &Viewer,
    id: i32,
    published: bool,
) -> AppResult<SurveyRow> {
    let current = load(db, viewer, id).await?;
    viewer.require(current.row.tenant_id, Can::ManageSurveys)?;
    // Frozen at publication: answers sent later cannot be subtracted from a published group
    // (send seven own answers, see a hidden group appear, take the seven away).
    let upto = if published {
        Some(
            survey_responses::Entity::find()
                .select_only()
                .column_as(survey_responses::Column::Id.max(), "upto")
                .filter(survey_responses::Column::SurveyId.eq(id))
                .into_tuple::<Option<i32>>()
                .one(db)
                .await?
                .flatten()
                .unwrap_or(0),
        )
    } else {
        None
    };
    let mut m: surveys::ActiveModel = current.row.into();
    m.results_published = Set(published);
    m.results_upto = Set(upto);
    let row = m.update(db).await?;
    audit::record(
        db,
        row.tenant_id,
        viewer,
        "survey_publish",
        &format!("survey:{id}"),
        if published {
            "veröffentlicht"
        } else {
            "zurückgezogen"
        },
    )
    .await?;
    Ok(row)
}

/// Copies a survey as a new draft: a duplicate starts over at version 1, a new version
/// continues the old one (`previous_id`, version + 1) so its results can be read together.
///
/// # Errors
/// `Forbidden`, `NotFound`, database errors.
pub async fn duplicate(
    db: &sea_orm::DatabaseConnection,
    viewer: &Viewer,
    id: i32,
    new_version: bool,
) -> AppResult<Loaded> {
    let txn = crate::kernel::db::write_txn(db).await?;
    let src = load(&txn, viewer, id).await?;
    let user = viewer.require(src.row.tenant_id, Can::ManageSurveys)?.id;
    let now = Utc::now();
    let title = if new_version {
        src.row.title.clone()
    } else {
        format!("{} (Kopie)", src.row.title)
    };
    let row = surveys::ActiveModel {
        tenant_id: Set(src.row.tenant_id),
        title: Set(title),
        status: Set(Status::Draft.as_str().into()),
        access: Set(src.row.access.clone()),
        opens_at: Set(None),
        closes_at: Set(None),
        structure: Set(src.row.structure.clone()),
        texts: Set(src.row.texts.clone()),
        min_group: Set(src.row.min_group),
        results_published: Set(false),
        results_upto: Set(None),
        version: Set(if new_version { src.row.version + 1 } else { 1 }),
        previous_id: Set(new_version.then_some(src.row.id)),
        created_by: Set(Some(user).filter(|u| *u > 0)),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    }
    .insert(&txn)
    .await?;
    set_areas(&txn, row.id, &src.areas).await?;
    audit::record(
        &txn,
        row.tenant_id,
        viewer,
        if new_version {
            "survey_version"
        } else {
            "survey_duplicate"
        },
        &format!("survey:{}", row.id),
        &format!("aus survey:{id}"),
    )
    .await?;
    txn.commit().await?;
    Ok(Loaded {
        row,
        survey: src.survey,
        texts: src.texts,
        areas: src.areas,
    })
}

/// Letters without 0/O, 1/I/L, 5/S, 2/Z: read off paper and typed on a phone.
const CODE_ALPHABET: &[u8] = b"ABCDEFGHJKMNPQRTUVWXY346789";

/// A code as people type it: letters upper case, spaces and dashes dropped.
pub fn normalise_code(code: &str) -> String {
    code.chars()
        .filter(|c| c.is_ascii_alphanumeric())
        .map(|c| c.to_ascii_uppercase())
        .collect()
}

fn code_hash(survey_id: i32, code: &str) -> String {
    hash(
        "qn-survey-code",
        &format!("{survey_id}:{}", normalise_code(code)),
    )
}

/// Makes `count` one-time codes (`XXXX-XXXX`, about 38 bits each). They are shown once and
/// stored only hashed.
///
/// # Errors
/// `Forbidden`, `NotFound`, a count out of range, database errors.
pub async fn generate_codes(
    db: &sea_orm::DatabaseConnection,
    viewer: &Viewer,
    id: i32,
    count: usize,
) -> AppResult<Vec<String>> {
    use rand::Rng;
    let txn = crate::kernel::db::write_txn(db).await?;
    let s = load(&txn, viewer, id).await?;
    viewer.require(s.row.tenant_id, Can::ManageSurveys)?;
    if count == 0 || count > CODES_MAX {
        return Err(bad(format!("zwischen 1 und {CODES_MAX} Codes")));
    }
    let mut rng = rand::rngs::OsRng;
    let mut seen = HashSet::new();
    let mut codes = Vec::with_capacity(count);
    while codes.len() < count {
        let raw: String = (0..8)
            .map(|_| char::from(CODE_ALPHABET[rng.gen_range(0..CODE_ALPHABET.len())]))
            .collect();
        if seen.insert(raw.clone()) {
            codes.push(format!("{}-{}", &raw[..4], &raw[4..]));
        }
    }
    let now = Utc::now();
    for chunk in codes.chunks(500) {
        survey_codes::Entity::insert_many(chunk.iter().map(|c| survey_codes::ActiveModel {
            survey_id: Set(id),
            code_hash: Set(code_hash(id, c)),
            used_at: Set(None),
            created_at: Set(now),
            ..Default::default()
        }))
        .exec(&txn)
        .await?;
    }
    audit::record(
        &txn,
        s.row.tenant_id,
        viewer,
        "survey_codes",
        &format!("survey:{id}"),
        &format!("{count} Codes"),
    )
    .await?;
    txn.commit().await?;
    Ok(codes)
}

/// How many codes a survey has and how many are used.
///
/// # Errors
/// Database errors.
pub async fn code_counts(db: &impl ConnectionTrait, id: i32) -> AppResult<(u64, u64)> {
    let all = survey_codes::Entity::find()
        .filter(survey_codes::Column::SurveyId.eq(id))
        .count(db)
        .await?;
    let used = survey_codes::Entity::find()
        .filter(survey_codes::Column::SurveyId.eq(id))
        .filter(survey_codes::Column::UsedAt.is_not_null())
        .count(db)
        .await?;
    Ok((all, used))
}

/// Checks a code without using it (the start page of a code survey).
///
/// # Errors
/// `CODE_UNKNOWN`, `CODE_USED`, database errors.
pub async fn check_code(db: &impl ConnectionTrait, survey_id: i32, code: &str) -> AppResult<()> {
    let found = survey_codes::Entity::find()
        .filter(survey_codes::Column::SurveyId.eq(survey_id))
        .filter(survey_codes::Column::CodeHash.eq(code_hash(survey_id, code)))
        .one(db)
        .await?;
    match found {
        None => Err(Refusal::CodeUnknown.into()),
        Some(c) if c.used_at.is_some() => Err(Refusal::CodeUsed.into()),
        Some(_) => Ok(()),
    }
}

// ---------------------------------------------------------------------------------------------
// Answering

/// One response as a client sends it.
pub struct Submission<'a> {
    pub survey_id: i32,
    /// The client's idempotency key (a replay of the same key stores nothing new).
    pub key: &'a str,
    pub language: &'a str,
    pub answers: Answers,
    pub code: Option<&'a str>,
    /// The honeypot field: people leave it empty, form-filling robots do not.
    pub honeypot: Option<&'a str>,
    pub viewer: &'a Viewer,
    /// The device's hash (see `web::DeviceCookie`), for one response per device.
    pub device: Option<&'a str>,
    /// The client's address, for the rate limit only (never stored).
    pub client: &'a str,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    Stored,
    /// The key was seen before: the first response stands.
    Replay,
    /// The honeypot was filled: answered as stored, nothing kept.
    Discarded,
}

fn good_idem_key(k: &str) -> bool {
    (16..=128).contains(&k.len()) && k.bytes().all(|b| b.is_ascii_graphic())
}

/// The areas a respondent may name as their Quartier: the target areas, or without targets
/// the tenant's finest level.
pub async fn quartier_choices(
    db: &impl ConnectionTrait,
    viewer: &Viewer,
    s: &Loaded,
) -> AppResult<Vec<areas::Area>> {
    let mut list = if s.areas.is_empty() {
        match areas::levels(db, viewer, s.row.tenant_id).await?.last() {
            Some(l) => areas::current_areas(db, viewer, l.id).await?,
            None => Vec::new(),
        }
    } else {
        areas::by_ids(db, viewer, &s.areas).await?
    };
    list.sort_by_cached_key(|a| areas::name_key(&a.name));
    Ok(list)
}

/// Postcode → the survey's Quartier choices, for deriving "your Quartier" from a postcode.
///
/// # Errors
/// Database errors.
pub async fn postcode_table(
    state: &AppState,
    s: &Loaded,
) -> AppResult<std::collections::BTreeMap<String, Vec<i64>>> {
    let choices: Vec<i32> = quartier_choices(&state.db, &Viewer::anonymous(), s)
        .await?
        .iter()
        .map(|a| a.id)
        .collect();
    areas::postcodes::for_choices(&state.db, s.row.tenant_id, &choices).await
}

/// The server's checks that the domain cannot make: a Quartier answer names an allowed area,
/// a point lies inside the survey's areas. Returns the respondent's area.
async fn check_places(
    state: &AppState,
    s: &Loaded,
    answers: &Answers,
) -> AppResult<(Option<i32>, Vec<(String, AnswerError)>)> {
    let mut problems = Vec::new();
    let mut area = None;
    let index = state.mem.area_index();
    let tenant = i64::from(s.row.tenant_id);
    let targets: HashSet<i64> = s.areas.iter().map(|a| i64::from(*a)).collect();
    let mut allowed: Option<HashSet<i64>> = None;
    for q in s.survey.questions() {
        match (&q.kind, answers.get(&q.key)) {
            (QuestionKind::Quartier, Some(Answer::Area(id))) => {
                if allowed.is_none() {
                    // The targets are the choices: no query on the submission path. Only a
                    // survey without targets reads its tenant's finest level.
                    allowed = Some(if targets.is_empty() {
                        quartier_choices(&state.db, &Viewer::anonymous(), s)
                            .await?
                            .iter()
                            .map(|a| i64::from(a.id))
                            .collect()
                    } else {
                        targets.clone()
                    });
                }
                if allowed.as_ref().is_some_and(|a| a.contains(id)) {
                    area = area.or(i32::try_from(*id).ok());
                } else {
                    problems.push((q.key.clone(), AnswerError::UnknownArea));
                }
            }
            (QuestionKind::MapPoint, Some(Answer::Point { lon, lat })) => {
                let inside = index.containing(*lon, *lat).any(|a| {
                    a.tenant_id == tenant && (targets.is_empty() || targets.contains(&a.area_id))
                });
                if !inside {
                    problems.push((q.key.clone(), AnswerError::UnknownArea));
                }
            }
            _ => {}
        }
    }
    if area.is_none() && s.areas.len() == 1 {
        area = s.areas.first().copied();
    }
    Ok((area, problems))
}

/// The place checks for some answers (one page of the plain form).
///
/// # Errors
/// Database errors; the problems are the value.
pub async fn check_places_of(
    state: &AppState,
    s: &Loaded,
    answers: &Answers,
) -> AppResult<Vec<(String, AnswerError)>> {
    Ok(check_places(state, s, answers).await?.1)
}

/// Checks answers the way a submission will (structure rules, then places), without storing.
/// The plain form uses it page by page.
///
/// # Errors
/// Database errors; the problems are the `Ok` value.
pub async fn check_answers(
    state: &AppState,
    s: &Loaded,
    answers: &Answers,
) -> AppResult<Result<(Answers, Option<i32>), Vec<(String, AnswerError)>>> {
    let kept = match s.survey.check_response(answers) {
        Ok(k) => k,
        Err(p) => return Ok(Err(p)),
    };
    let (area, problems) = check_places(state, s, &kept).await?;
    Ok(if problems.is_empty() {
        Ok((kept, area))
    } else {
        Err(problems)
    })
}

/// Whether the key was used before: `Some(Replay)` when it came with the same answers; a
/// refusal when it came with others (the first response stands).
async fn replayed(
    db: &impl ConnectionTrait,
    survey_id: i32,
    key_hash: &str,
    body_hash: &str,
) -> AppResult<Option<Outcome>> {
    let found = survey_responses::Entity::find()
        .select_only()
        .column(survey_responses::Column::BodyHash)
        .filter(survey_responses::Column::SurveyId.eq(survey_id))
        .filter(survey_responses::Column::IdemKey.eq(key_hash))
        .into_tuple::<Option<String>>()
        .one(db)
        .await?;
    match found {
        None => Ok(None),
        // Responses stored before bodies were hashed answer as replays.
        Some(Some(stored)) if stored != body_hash => Err(Refusal::KeyReused.into()),
        Some(_) => Ok(Some(Outcome::Replay)),
    }
}

fn unique_violation(e: &sea_orm::DbErr) -> bool {
    matches!(e.sql_err(), Some(SqlErr::UniqueConstraintViolation(_)))
}

/// Stores one response, exactly once per idempotency key.
///
/// Order: a replay is answered first (whatever changed since: the survey may have closed
/// while the phone was offline, and the response was accepted then); then the survey must
/// accept answers, the honeypot be empty, the rate limit allow, the access mode be met, and
/// the answers fit. Code, ballot, response and free texts are written in one transaction.
///
/// # Errors
/// `Survey(..)` refusals, `RateLimited`, `Validation` for a malformed key, database errors.
pub async fn submit(state: &AppState, sub: Submission<'_>) -> AppResult<Outcome> {
    let db = &state.db;
    if !good_idem_key(sub.key) {
        return Err(bad(
            "der Idempotenzschlüssel muss 16 bis 128 sichtbare ASCII-Zeichen haben",
        ));
    }
    let key_hash = hash("qn-survey-key", &format!("{}:{}", sub.survey_id, sub.key));
    let body_hash = hash("qn-survey-body", &to_json(&sub.answers)?);
    if let Some(replay) = replayed(db, sub.survey_id, &key_hash, &body_hash).await? {
        return Ok(replay);
    }
    let s = load(db, sub.viewer, sub.survey_id).await?;
    accepting(&s.row.status, s.row.opens_at, s.row.closes_at, Utc::now())?;
    if sub.honeypot.is_some_and(|h| !h.trim().is_empty()) {
        return Ok(Outcome::Discarded);
    }
    if state.mem.limits.survey_responses.is_blocked(&[sub.client]) {
        return Err(AppError::RateLimited);
    }
    let access = s.access();
    let user_id = sub.viewer.user.as_ref().map(|u| u.id).filter(|id| *id > 0);
    if access == Access::Residents
        && (user_id.is_none()
            || !sub
                .viewer
                .memberships
                .iter()
                .any(|(t, _)| *t == s.row.tenant_id))
    {
        return Err(Refusal::AccountRequired.into());
    }
    let code = match (
        access,
        sub.code.map(normalise_code).filter(|c| !c.is_empty()),
    ) {
        (Access::Codes, None) => return Err(Refusal::CodeRequired.into()),
        (Access::Codes, Some(c)) => Some(c),
        _ => None,
    };
    let (answers, area) = check_answers(state, &s, &sub.answers)
        .await?
        .map_err(Refusal::Answers)?;
    let language = if s.texts.0.contains_key(sub.language) {
        sub.language
    } else {
        qn_domain::surveys::texts::BASE_LANGUAGE
    };
    state
        .mem
        .limits
        .survey_responses
        .record_failure(&[sub.client]);

    let now = Utc::now();
    let txn = crate::kernel::db::write_txn(db).await?;
    if let Some(c) = &code {
        let used = survey_codes::Entity::update_many()
            .col_expr(survey_codes::Column::UsedAt, Expr::value(now))
            .filter(survey_codes::Column::SurveyId.eq(s.row.id))
            .filter(survey_codes::Column::CodeHash.eq(code_hash(s.row.id, c)))
            .filter(survey_codes::Column::UsedAt.is_null())
            .exec(&txn)
            .await?;
        if used.rows_affected == 0 {
            txn.rollback().await?;
            // A replay that raced this one used the code: answer as a replay.
            if let Some(replay) = replayed(db, s.row.id, &key_hash, &body_hash).await? {
                return Ok(replay);
            }
            check_code(db, s.row.id, c).await?;
            return Err(Refusal::CodeUsed.into());
        }
    }
    let ballot = match (access, user_id, sub.device) {
        (Access::Codes, ..) => None,
        (_, Some(u), _) => Some((Some(u), None)),
        (Access::Public, None, Some(d)) => Some((
            None,
            Some(hash("qn-survey-device", &format!("{}:{d}", s.row.id))),
        )),
        _ => None,
    };
    if let Some((user, device)) = ballot {
        let expires = (user.is_none()).then(|| {
            let limit = now + Duration::days(BALLOT_DAYS);
            s.row.closes_at.map_or(limit, |c| Ord::min(c, limit))
        });
        let inserted = survey_ballots::ActiveModel {
            survey_id: Set(s.row.id),
            user_id: Set(user),
            device_hash: Set(device.clone()),
            expires_at: Set(expires),
            ..Default::default()
        }
        .insert(&txn)
        .await;
        if let Err(e) = inserted {
            txn.rollback().await?;
            if !unique_violation(&e) {
                return Err(e.into());
            }
            if let Some(replay) = replayed(db, s.row.id, &key_hash, &body_hash).await? {
                return Ok(replay);
            }
            // An expired ballot of a device does not count.
            if let Some(d) = device {
                let removed = survey_ballots::Entity::delete_many()
                    .filter(survey_ballots::Column::SurveyId.eq(s.row.id))
                    .filter(survey_ballots::Column::DeviceHash.eq(d))
                    .filter(survey_ballots::Column::ExpiresAt.lt(now))
                    .exec(db)
                    .await?;
                if removed.rows_affected > 0 {
                    return Box::pin(submit(state, sub)).await;
                }
            }
            return Err(Refusal::AlreadyAnswered.into());
        }
    }
    let inserted = survey_responses::ActiveModel {
        survey_id: Set(s.row.id),
        tenant_id: Set(s.row.tenant_id),
        idem_key: Set(key_hash.clone()),
        area_id: Set(area),
        language: Set(language.to_owned()),
        answers: Set(to_json(&answers)?),
        submitted_on: Set(now.date_naive()),
        body_hash: Set(Some(body_hash.clone())),
        ..Default::default()
    }
    .insert(&txn)
    .await;
    let response = match inserted {
        Ok(r) => r,
        Err(e) if unique_violation(&e) => {
            txn.rollback().await?;
            // The same key won a race: a replay, unless it brought other answers.
            return Ok(replayed(db, s.row.id, &key_hash, &body_hash)
                .await?
                .unwrap_or(Outcome::Replay));
        }
        Err(e) => return Err(e.into()),
    };
    let texts: Vec<survey_free_texts::ActiveModel> = s
        .survey
        .questions()
        .filter(|q| {
            matches!(
                q.kind,
                QuestionKind::FreeText { .. } | QuestionKind::MultipleChoice { other: true, .. }
            )
        })
        .filter_map(|q| {
            let body = match answers.get(&q.key)? {
                Answer::Text(t) => t.clone(),
                Answer::Choices { other: Some(o), .. } => o.clone(),
                _ => return None,
            };
            Some(survey_free_texts::ActiveModel {
                survey_id: Set(s.row.id),
                response_id: Set(response.id),
                question: Set(q.key.clone()),
                body: Set(body),
                status: Set("pending".into()),
                reviewed_by: Set(None),
                reviewed_at: Set(None),
                ..Default::default()
            })
        })
        .collect();
    if !texts.is_empty() {
        survey_free_texts::Entity::insert_many(texts)
            .exec(&txn)
            .await?;
    }
    txn.commit().await?;
    Ok(Outcome::Stored)
}

/// The ballot of this account (or, on a public survey, device), if one is stored.
fn ballot_filter(s: &Loaded, viewer: &Viewer, device: Option<&str>) -> Option<sea_orm::Condition> {
    let user_id = viewer.user.as_ref().map(|u| u.id).filter(|id| *id > 0);
    match (s.access(), user_id, device) {
        (Access::Codes, ..) => None,
        (_, Some(u), _) => {
            Some(sea_orm::Condition::all().add(survey_ballots::Column::UserId.eq(u)))
        }
        (Access::Public, None, Some(d)) => Some(
            sea_orm::Condition::all().add(
                survey_ballots::Column::DeviceHash
                    .eq(hash("qn-survey-device", &format!("{}:{d}", s.row.id))),
            ),
        ),
        _ => None,
    }
}

/// Whether this account or device has already answered the survey.
///
/// # Errors
/// Database errors.
pub async fn has_ballot(
    db: &impl ConnectionTrait,
    s: &Loaded,
    viewer: &Viewer,
    device: Option<&str>,
) -> AppResult<bool> {
    let Some(filter) = ballot_filter(s, viewer, device) else {
        return Ok(false);
    };
    let found = survey_ballots::Entity::find()
        .filter(survey_ballots::Column::SurveyId.eq(s.row.id))
        .filter(filter)
        .one(db)
        .await?;
    Ok(found.is_some_and(|b| b.expires_at.is_none_or(|e| e > Utc::now())))
}

// ---------------------------------------------------------------------------------------------
// Drafts of the plain form

/// What the plain HTML form has collected so far, kept on the server between pages.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct Draft {
    pub answers: Answers,
    pub language: String,
    pub code: Option<String>,
    /// The fields of a page that had problems, to show them again with the problems.
    pub pending: Option<Pending>,
    /// A builder walking through a draft: nothing is stored at the end.
    #[serde(default)]
    pub preview: bool,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct Pending {
    pub section: usize,
    pub fields: Vec<(String, String)>,
    /// Question key → error code.
    pub problems: Vec<(String, String)>,
}

fn draft_hash(token: &str) -> String {
    hash("qn-survey-draft", token)
}

/// The draft behind a draft cookie, if it has not expired.
///
/// # Errors
/// Database errors.
pub async fn draft(
    db: &impl ConnectionTrait,
    survey_id: i32,
    token: &str,
) -> AppResult<Option<Draft>> {
    let row = survey_drafts::Entity::find_by_id(draft_hash(token))
        .one(db)
        .await?
        .filter(|d| d.survey_id == survey_id && d.expires_at > Utc::now());
    Ok(row.and_then(|d| serde_json::from_str(&d.data).ok()))
}

/// Saves a draft (and removes expired ones of any survey, a few at a time).
///
/// # Errors
/// Database errors.
pub async fn save_draft(
    db: &impl ConnectionTrait,
    survey_id: i32,
    token: &str,
    draft: &Draft,
) -> AppResult<()> {
    let now = Utc::now();
    survey_drafts::Entity::delete_many()
        .filter(survey_drafts::Column::ExpiresAt.lt(now))
        .exec(db)
        .await?;
    let model = survey_drafts::ActiveModel {
        token_hash: Set(draft_hash(token)),
        survey_id: Set(survey_id),
        data: Set(to_json(draft)?),
        expires_at: Set(now + Duration::hours(DRAFT_HOURS)),
    };
    let exists = survey_drafts::Entity::find_by_id(draft_hash(token))
        .one(db)
        .await?
        .is_some();
    if exists {
        model.update(db).await?;
    } else {
        model.insert(db).await?;
    }
    Ok(())
}

/// Removes a draft (after the response is stored).
///
/// # Errors
/// Database errors.
pub async fn delete_draft(db: &impl ConnectionTrait, token: &str) -> AppResult<()> {
    survey_drafts::Entity::delete_by_id(draft_hash(token))
        .exec(db)
        .await?;
    Ok(())
}

// ---------------------------------------------------------------------------------------------
// Results

/// The last response the viewer's results include: everything for the tenant's staff, the
/// responses up to the publication for everyone else.
fn public_upto(viewer: &Viewer, row: &SurveyRow) -> Option<i32> {
    if viewer.staff_tenant_ids().contains(&row.tenant_id) {
        None
    } else {
        Some(row.results_upto.unwrap_or(0))
    }
}

/// Who may see a survey's results: its tenant's staff always; everyone once published.
pub fn may_see_results(viewer: &Viewer, row: &SurveyRow) -> bool {
    viewer.staff_tenant_ids().contains(&row.tenant_id)
        || (row.results_published && row.status != Status::Draft.as_str())
}

/// A reviewed (or, for planners, any) free-text answer.
#[derive(Debug, Clone)]
pub struct FreeText {
    pub id: i32,
    pub question: String,
    pub body: String,
    pub status: String,
}

/// Everything the results page and API show.
#[derive(Debug, Clone)]
pub struct SurveyResults {
    pub survey: Loaded,
    pub results: Results,
    /// The areas of the breakdown, in its order.
    pub areas: Vec<areas::Area>,
    /// Approved free texts; for reviewers and planners also pending and rejected ones.
    pub free_texts: Vec<FreeText>,
}

/// The areas results are broken down by: the target areas, else the Quartier choices (as
/// the public sees them, so the breakdown is the same for everyone).
async fn breakdown_areas(db: &impl ConnectionTrait, s: &Loaded) -> AppResult<Vec<areas::Area>> {
    quartier_choices(db, &Viewer::anonymous(), s).await
}

/// The stored answers of a survey, parsed, with their areas; up to response `upto` when given.
async fn stored(
    db: &impl ConnectionTrait,
    survey_id: i32,
    upto: Option<i32>,
) -> AppResult<Vec<(Option<i32>, Answers)>> {
    let mut q = survey_responses::Entity::find()
        .select_only()
        .column(survey_responses::Column::AreaId)
        .column(survey_responses::Column::Answers)
        .filter(survey_responses::Column::SurveyId.eq(survey_id));
    if let Some(last) = upto {
        q = q.filter(survey_responses::Column::Id.lte(last));
    }
    let rows: Vec<(Option<i32>, String)> = q
        .order_by_asc(survey_responses::Column::Id)
        .into_tuple()
        .all(db)
        .await?;
    rows.into_iter()
        .map(|(a, json)| {
            serde_json::from_str::<Answers>(&json)
                .map(|ans| (a, ans))
                .map_err(AppError::internal)
        })
        .collect()
}

/// Results after the disclosure rule.
///
/// # Errors
/// `NotFound` for a survey the viewer may not see results of, database errors.
pub async fn results(
    db: &impl ConnectionTrait,
    viewer: &Viewer,
    id: i32,
) -> AppResult<SurveyResults> {
    let s = load(db, viewer, id).await?;
    if !may_see_results(viewer, &s.row) {
        return Err(AppError::NotFound);
    }
    let responses = stored(db, id, public_upto(viewer, &s.row)).await?;
    let areas = breakdown_areas(db, &s).await?;
    let ids: Vec<i32> = areas.iter().map(|a| a.id).collect();
    let respondents: Vec<Respondent> = responses
        .iter()
        .map(|(area, answers)| Respondent {
            area: *area,
            answers,
        })
        .collect();
    let results = results::results(&s.survey, &respondents, &ids, s.min_group());
    let all_texts = viewer.may(s.row.tenant_id, Can::ReviewFreeTexts)
        || viewer.may(s.row.tenant_id, Can::ManageSurveys);
    let mut q = survey_free_texts::Entity::find()
        .filter(survey_free_texts::Column::SurveyId.eq(id))
        .order_by_asc(survey_free_texts::Column::Id);
    if !all_texts {
        q = q.filter(survey_free_texts::Column::Status.eq("approved"));
    }
    // Free texts of a survey with fewer responses than the smallest group stay hidden from
    // the public too: with three answers, a text can point at its writer.
    let enough = results.responses.is_some();
    let free_texts = if all_texts || enough {
        q.all(db)
            .await?
            .into_iter()
            .map(|t| FreeText {
                id: t.id,
                question: t.question,
                body: t.body,
                status: t.status,
            })
            .collect()
    } else {
        Vec::new()
    };
    Ok(SurveyResults {
        survey: s,
        results,
        areas,
        free_texts,
    })
}

/// Approves or rejects a free-text answer for showing beyond the planners.
///
/// # Errors
/// `Forbidden`, `NotFound`, database errors.
pub async fn review_free_text(
    db: &impl ConnectionTrait,
    viewer: &Viewer,
    id: i32,
    approve: bool,
) -> AppResult<()> {
    let t = survey_free_texts::Entity::find_by_id(id)
        .one(db)
        .await?
        .ok_or(AppError::NotFound)?;
    let s = load(db, viewer, t.survey_id).await?;
    let user = viewer.require(s.row.tenant_id, Can::ReviewFreeTexts)?.id;
    let status = if approve { "approved" } else { "rejected" };
    let mut m: survey_free_texts::ActiveModel = t.into();
    m.status = Set(status.into());
    m.reviewed_by = Set(Some(user).filter(|u| *u > 0));
    m.reviewed_at = Set(Some(Utc::now()));
    m.update(db).await?;
    audit::record(
        db,
        s.row.tenant_id,
        viewer,
        "survey_free_text",
        &format!("survey_free_text:{id}"),
        status,
    )
    .await?;
    Ok(())
}

/// What a planner saves as an indicator: the share answering one of `options` to a choice
/// question, per area, on `date`.
#[derive(Debug, Clone)]
pub struct IndicatorRequest {
    pub question: String,
    pub options: Vec<String>,
    /// The indicator's key; an existing indicator of the tenant with it gets the values.
    pub key: String,
    pub name: String,
    pub polarity: qn_domain::indicators::Polarity,
    pub date: chrono::NaiveDate,
}

/// Writes a choice question's result per area as values of a share indicator (in %), so it
/// appears on the indicator maps next to the statistics. Only areas whose group may be shown
/// get a value; the indicator keeps the survey's smallest group as its minimum count.
///
/// # Errors
/// `Forbidden` (planners and admins), `NotFound`, `Validation` for a question that is not a
/// choice question or options it does not have, database errors.
pub async fn save_as_indicator(
    state: &AppState,
    viewer: &Viewer,
    id: i32,
    req: IndicatorRequest,
) -> AppResult<(crate::indicators::Indicator, usize)> {
    use crate::indicators::{self, entity::indicator_values};
    use qn_domain::indicators::IndicatorKind;
    let db = &state.db;
    let s = load(db, viewer, id).await?;
    viewer.require(s.row.tenant_id, Can::EditIndicators)?;
    let question = s
        .survey
        .questions()
        .find(|q| q.key == req.question)
        .ok_or_else(|| bad(format!("keine Frage {:?}", req.question)))?;
    let options = match &question.kind {
        QuestionKind::SingleChoice { options } | QuestionKind::MultipleChoice { options, .. } => {
            options
        }
        _ => return Err(bad("nur Auswahlfragen können ein Indikator werden")),
    };
    if req.options.is_empty()
        || req
            .options
            .iter()
            .any(|o| !options.iter().any(|c| c.key == *o))
    {
        return Err(bad("bitte eine oder mehrere Antworten dieser Frage wählen"));
    }
    let responses = stored(db, id, None).await?;
    let areas = breakdown_areas(db, &s).await?;
    let ids: Vec<i32> = areas.iter().map(|a| a.id).collect();
    let respondents: Vec<Respondent> = responses
        .iter()
        .map(|(area, answers)| Respondent {
            area: *area,
            answers,
        })
        .collect();
    let shares = results::share_by_area(
        &s.survey,
        &respondents,
        &ids,
        s.min_group(),
        &req.question,
        &req.options,
    );
    let existing = indicators::list(db, viewer, s.row.tenant_id)
        .await?
        .into_iter()
        .find(|i| i.key == req.key);
    let indicator = match existing {
        Some(i) => i,
        None => {
            let texts = s.texts.of(qn_domain::surveys::texts::BASE_LANGUAGE);
            let labels: Vec<String> = req
                .options
                .iter()
                .map(|o| texts.option(&req.question, o))
                .collect();
            indicators::create(
                db,
                viewer,
                s.row.tenant_id,
                indicators::IndicatorInput {
                    key: req.key.clone(),
                    name: req.name.clone(),
                    abbreviation: String::new(),
                    unit: "%".into(),
                    description: format!(
                        "Anteil der Antworten „{}“ auf die Frage „{}“ der Umfrage „{}“ (Version {}), je Gebiet.",
                        labels.join("“ oder „"),
                        texts.question(&req.question),
                        s.row.title,
                        s.row.version
                    ),
                    source: format!("Umfrage „{}“, Quartiersnetz", s.row.title),
                    topic: "Umfragen".into(),
                    polarity: req.polarity,
                    kind: IndicatorKind::Share,
                    precision: 1,
                    min_count: s.row.min_group,
                    visibility: qn_domain::tenancy::Visibility::Tenant,
                    shared_with: Vec::new(),
                },
                None,
            )
            .await?
        }
    };
    if indicator.tenant_id != s.row.tenant_id {
        return Err(AppError::Forbidden);
    }
    let models: Vec<indicator_values::ActiveModel> = shares
        .iter()
        .map(|(area, num, den)| indicator_values::ActiveModel {
            indicator_id: Set(indicator.id),
            area_id: Set(*area),
            date: Set(req.date),
            value: Set(Some(*num as f64 / *den as f64 * 100.0)),
            numerator: Set(Some(*num as f64)),
            denominator: Set(Some(*den as f64)),
            ..Default::default()
        })
        .collect();
    let written = models.len();
    indicators::import::write_values(db, models, None).await?;
    state.mem.published.forget(Some(indicator.id));
    audit::record(
        db,
        s.row.tenant_id,
        viewer,
        "survey_indicator",
        &format!("survey:{id}"),
        &format!(
            "{} → indicator:{} ({written} Gebiete)",
            req.question, indicator.id
        ),
    )
    .await?;
    Ok((indicator, written))
}

/// How many free-text answers wait for review.
///
/// # Errors
/// Database errors.
pub async fn pending_free_texts(db: &impl ConnectionTrait, survey_id: i32) -> AppResult<u64> {
    Ok(survey_free_texts::Entity::find()
        .filter(survey_free_texts::Column::SurveyId.eq(survey_id))
        .filter(survey_free_texts::Column::Status.eq("pending"))
        .count(db)
        .await?)
}

/// The raw responses (planners of the tenant only).
///
/// # Errors
/// `Forbidden`, `NotFound`, database errors.
pub async fn raw_responses(
    db: &impl ConnectionTrait,
    viewer: &Viewer,
    id: i32,
) -> AppResult<(Loaded, Vec<(Option<i32>, Answers)>)> {
    let s = load(db, viewer, id).await?;
    viewer.require(s.row.tenant_id, Can::ReadRawAnswers)?;
    let rows = stored(db, id, None).await?;
    Ok((s, rows))
}
