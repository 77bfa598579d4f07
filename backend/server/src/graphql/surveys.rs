//! GraphQL types and operations of resident surveys. Structure, texts, answers and results are
//! JSON in the shapes of `qn_domain::surveys` (documented in the README); the services check
//! roles, tenants and the disclosure rule, resolvers only translate.

use super::{ctx, gql, parse_id, GqlResult};
use crate::kernel::error::AppError;
use crate::surveys::{self, Access, Loaded, Outcome, Status, Submission, SurveyInput};
use async_graphql::{Context, InputObject, Json, Object, Result, SimpleObject, ID};
use chrono::{DateTime, Utc};
use qn_domain::surveys::texts::Translations;
use qn_domain::surveys::{Answers, Survey, DEFAULT_MIN_GROUP};

#[derive(async_graphql::Enum, Copy, Clone, Eq, PartialEq)]
#[graphql(name = "SurveyStatus")]
pub enum StatusGql {
    Draft,
    Open,
    Closed,
}

impl From<StatusGql> for Status {
    fn from(s: StatusGql) -> Self {
        match s {
            StatusGql::Draft => Status::Draft,
            StatusGql::Open => Status::Open,
            StatusGql::Closed => Status::Closed,
        }
    }
}

#[derive(async_graphql::Enum, Copy, Clone, Eq, PartialEq)]
#[graphql(name = "SurveyAccess")]
pub enum AccessGql {
    Public,
    Codes,
    Residents,
}

impl From<AccessGql> for Access {
    fn from(a: AccessGql) -> Self {
        match a {
            AccessGql::Public => Access::Public,
            AccessGql::Codes => Access::Codes,
            AccessGql::Residents => Access::Residents,
        }
    }
}

fn id(i: i32) -> ID {
    ID(i.to_string())
}

/// A survey. `structure` and `texts` are the builder's JSON.
#[derive(SimpleObject)]
#[graphql(name = "Survey")]
pub struct SurveyGql {
    id: ID,
    tenant_id: ID,
    title: String,
    /// `draft`, `open` or `closed`.
    status: String,
    /// `public`, `codes` or `residents`.
    access: String,
    opens_at: Option<DateTime<Utc>>,
    closes_at: Option<DateTime<Utc>>,
    version: i32,
    previous_id: Option<ID>,
    min_group: i32,
    results_published: bool,
    structure: Json<Survey>,
    texts: Json<Translations>,
    target_area_ids: Vec<ID>,
    /// Responses so far; for the tenant's staff only.
    response_count: Option<u64>,
}

impl SurveyGql {
    fn new(l: Loaded, responses: Option<u64>) -> Self {
        Self {
            id: id(l.row.id),
            tenant_id: id(l.row.tenant_id),
            title: l.row.title,
            status: l.row.status,
            access: l.row.access,
            opens_at: l.row.opens_at,
            closes_at: l.row.closes_at,
            version: l.row.version,
            previous_id: l.row.previous_id.map(id),
            min_group: l.row.min_group,
            results_published: l.row.results_published,
            structure: Json(l.survey),
            texts: Json(l.texts),
            target_area_ids: l.areas.into_iter().map(id).collect(),
            response_count: responses,
        }
    }
}

/// What the builder sends.
#[derive(InputObject)]
#[graphql(name = "SurveyInput")]
pub struct SurveyInputGql {
    access: AccessGql,
    opens_at: Option<DateTime<Utc>>,
    closes_at: Option<DateTime<Utc>>,
    structure: Json<Survey>,
    texts: Json<Translations>,
    #[graphql(default)]
    target_area_ids: Vec<ID>,
    min_group: Option<i32>,
}

impl SurveyInputGql {
    fn into_input(self) -> Result<SurveyInput> {
        Ok(SurveyInput {
            access: self.access.into(),
            opens_at: self.opens_at,
            closes_at: self.closes_at,
            structure: self.structure.0,
            texts: self.texts.0,
            areas: self
                .target_area_ids
                .iter()
                .map(parse_id)
                .collect::<Result<_>>()?,
            min_group: match self.min_group {
                Some(m) => u64::try_from(m)
                    .map_err(|_| gql(AppError::Validation("minGroup muss positiv sein".into())))?,
                None => DEFAULT_MIN_GROUP,
            },
        })
    }
}

#[derive(Default)]
pub struct SurveysQuery;

#[Object]
impl SurveysQuery {
    /// The surveys of a Kommune the viewer may see (drafts only for its builders).
    async fn surveys(&self, c: &Context<'_>, tenant_id: ID) -> Result<Vec<SurveyGql>> {
        let (state, rc) = ctx(c)?;
        let tenant = parse_id(&tenant_id)?;
        let staff = rc.viewer.staff_tenant_ids().contains(&tenant);
        // Three queries for any number of surveys: rows, response counts, target areas.
        let list = surveys::list(&state.db, &rc.viewer, tenant).await.gql()?;
        let counts: Vec<u64> = list.iter().map(|l| l.responses).collect();
        let loaded = surveys::load_many(&state.db, list.into_iter().map(|l| l.row).collect())
            .await
            .gql()?;
        Ok(loaded
            .into_iter()
            .zip(counts)
            .map(|(l, n)| SurveyGql::new(l, staff.then_some(n)))
            .collect())
    }

    async fn survey(&self, c: &Context<'_>, id: ID) -> Result<Option<SurveyGql>> {
        let (state, rc) = ctx(c)?;
        match surveys::load(&state.db, &rc.viewer, parse_id(&id)?).await {
            Ok(l) => Ok(Some(SurveyGql::new(l, None))),
            Err(AppError::NotFound) => Ok(None),
            Err(e) => Err(gql(e)),
        }
    }

    /// Results per question, overall and per area, after the disclosure rule (groups below
    /// `minGroup` have `shown: false` and no numbers). For the tenant's staff, or everyone
    /// once published.
    async fn survey_results(&self, c: &Context<'_>, id: ID) -> Result<Json<serde_json::Value>> {
        let (state, rc) = ctx(c)?;
        let r = surveys::results(&state.db, &rc.viewer, parse_id(&id)?)
            .await
            .gql()?;
        Ok(Json(serde_json::json!({
            "minGroup": r.survey.min_group(),
            "areas": r.areas.iter().map(|a| serde_json::json!({"id": a.id.to_string(), "code": a.code, "name": a.name})).collect::<Vec<_>>(),
            "results": r.results,
            "freeTexts": r.free_texts.iter().map(|t| serde_json::json!({"id": t.id.to_string(), "question": t.question, "text": t.body, "status": t.status})).collect::<Vec<_>>(),
        })))
    }
}

#[derive(Default)]
pub struct SurveysMutation;

#[Object]
impl SurveysMutation {
    async fn create_survey(
        &self,
        c: &Context<'_>,
        tenant_id: ID,
        input: SurveyInputGql,
    ) -> Result<SurveyGql> {
        let (state, rc) = ctx(c)?;
        let l = surveys::create(
            &state.db,
            &rc.viewer,
            parse_id(&tenant_id)?,
            input.into_input()?,
        )
        .await
        .gql()?;
        Ok(SurveyGql::new(l, Some(0)))
    }

    /// Refused with `SURVEY_FROZEN` when the questions change after the first response.
    async fn update_survey(
        &self,
        c: &Context<'_>,
        id: ID,
        input: SurveyInputGql,
    ) -> Result<SurveyGql> {
        let (state, rc) = ctx(c)?;
        let l = surveys::update(&state.db, &rc.viewer, parse_id(&id)?, input.into_input()?)
            .await
            .gql()?;
        Ok(SurveyGql::new(l, None))
    }

    async fn set_survey_status(
        &self,
        c: &Context<'_>,
        id: ID,
        status: StatusGql,
    ) -> Result<SurveyGql> {
        let (state, rc) = ctx(c)?;
        let sid = parse_id(&id)?;
        surveys::set_status(&state.db, &rc.viewer, sid, status.into())
            .await
            .gql()?;
        let l = surveys::load(&state.db, &rc.viewer, sid).await.gql()?;
        Ok(SurveyGql::new(l, None))
    }

    /// A copy as a new draft; with `newVersion` it continues this survey (version + 1).
    async fn duplicate_survey(
        &self,
        c: &Context<'_>,
        id: ID,
        #[graphql(default)] new_version: bool,
    ) -> Result<SurveyGql> {
        let (state, rc) = ctx(c)?;
        let l = surveys::duplicate(&state.db, &rc.viewer, parse_id(&id)?, new_version)
            .await
            .gql()?;
        Ok(SurveyGql::new(l, Some(0)))
    }

    /// New one-time codes; returned this once, stored only hashed.
    async fn generate_survey_codes(
        &self,
        c: &Context<'_>,
        id: ID,
        count: i32,
    ) -> Result<Vec<String>> {
        let (state, rc) = ctx(c)?;
        surveys::generate_codes(
            &state.db,
            &rc.viewer,
            parse_id(&id)?,
            usize::try_from(count).unwrap_or(0),
        )
        .await
        .gql()
    }

    async fn publish_survey_results(
        &self,
        c: &Context<'_>,
        id: ID,
        published: bool,
    ) -> Result<bool> {
        let (state, rc) = ctx(c)?;
        surveys::publish_results(&state.db, &rc.viewer, parse_id(&id)?, published)
            .await
            .gql()?;
        Ok(published)
    }

    /// Approves (shown with the published results) or rejects a free-text answer.
    async fn review_survey_text(&self, c: &Context<'_>, id: ID, approve: bool) -> Result<bool> {
        let (state, rc) = ctx(c)?;
        surveys::review_free_text(&state.db, &rc.viewer, parse_id(&id)?, approve)
            .await
            .gql()?;
        Ok(approve)
    }

    /// Saves the share answering one of `options` to a choice question, per area, as values of
    /// the indicator `key` (created as a share in % if the tenant has none) on `date` (default:
    /// today), for the indicator maps. Suppressed areas get no value.
    #[allow(clippy::too_many_arguments)]
    async fn save_survey_indicator(
        &self,
        c: &Context<'_>,
        survey_id: ID,
        question: String,
        options: Vec<String>,
        key: String,
        name: String,
        polarity: super::indicators::PolarityGql,
        date: Option<chrono::NaiveDate>,
    ) -> Result<SavedIndicator> {
        let (state, rc) = ctx(c)?;
        let (ind, areas) = surveys::save_as_indicator(
            state,
            &rc.viewer,
            parse_id(&survey_id)?,
            surveys::IndicatorRequest {
                question,
                options,
                key,
                name,
                polarity: polarity.into(),
                date: date.unwrap_or_else(|| Utc::now().date_naive()),
            },
        )
        .await
        .gql()?;
        Ok(SavedIndicator {
            indicator_id: id(ind.id),
            areas: i32::try_from(areas).unwrap_or(i32::MAX),
        })
    }

    /// One response; `DUPLICATE` when the key was seen before (nothing new stored).
    async fn submit_survey_response(
        &self,
        c: &Context<'_>,
        survey_id: ID,
        key: String,
        answers: Json<Answers>,
        language: Option<String>,
        code: Option<String>,
    ) -> Result<SubmitResult> {
        let (state, rc) = ctx(c)?;
        let device = rc.device.for_writing(&rc.viewer);
        let outcome = surveys::submit(
            state,
            Submission {
                survey_id: parse_id(&survey_id)?,
                key: &key,
                language: language.as_deref().unwrap_or_default(),
                answers: answers.0,
                code: code.as_deref(),
                honeypot: None,
                viewer: &rc.viewer,
                device: device.as_deref(),
                client: &rc.client,
            },
        )
        .await
        .gql()?;
        Ok(SubmitResult {
            status: match outcome {
                Outcome::Replay => "DUPLICATE",
                _ => "STORED",
            }
            .into(),
        })
    }
}

#[derive(SimpleObject)]
pub struct SavedIndicator {
    indicator_id: ID,
    /// Areas that got a value (suppressed ones get none).
    areas: i32,
}

#[derive(SimpleObject)]
pub struct SubmitResult {
    /// `STORED` or `DUPLICATE`.
    status: String,
}
