//! The evaluation (Auswertung): results through the disclosure rule, the review of free-text
//! answers, raw responses, and a choice question saved as an indicator.

use super::*;

/// The last response the viewer's results include: everything for the tenant's staff, the
/// responses up to the publication for everyone else.
pub(super) fn public_upto(viewer: &Viewer, row: &SurveyRow) -> Option<i32> {
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
pub(super) async fn breakdown_areas(
    db: &impl ConnectionTrait,
    s: &Loaded,
) -> AppResult<Vec<areas::Area>> {
    quartier_choices(db, &Viewer::anonymous(), s).await
}

/// The stored answers of a survey, parsed, with their areas; up to response `upto` when given.
pub(super) async fn stored(
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
    indicators::values::replace(
        db,
        &state.mem.published,
        indicator.id,
        models,
        indicators::values::Replacing::SameAreaAndDate,
    )
    .await?;
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
