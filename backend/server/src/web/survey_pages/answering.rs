//! The pages of answering: start, sections, review, thanks.

use super::*;

/// Whether this account or device has already answered (the start page says so at once,
/// instead of after the last question).
pub(super) async fn already_answered(
    state: &AppState,
    s: &Loaded,
    viewer: &Viewer,
    device: Option<&str>,
) -> AppResult<bool> {
    surveys::has_ballot(&state.db, s, viewer, device).await
}

#[allow(clippy::too_many_arguments)]
pub async fn start(
    state: &AppState,
    viewer: &Viewer,
    headers: &HeaderMap,
    device: Option<&str>,
    id: i32,
    lang: Option<String>,
    summary: impl FnOnce(i32) -> Option<TenantSummary>,
) -> AppResult<SurveyStartData> {
    let s = surveys::load(&state.db, viewer, id).await?;
    let tenant = summary(s.row.tenant_id).ok_or(AppError::NotFound)?;
    let draft = match draft_token(headers, id) {
        Some(t) => surveys::draft(&state.db, id, &t).await?,
        None => None,
    };
    let lang = language(
        &s,
        lang.as_deref()
            .or(draft.as_ref().map(|d| d.language.as_str())),
    );
    let texts = s.texts.of(&lang);
    let can_manage = viewer.may(s.row.tenant_id, Can::ManageSurveys);
    // Builders may walk through a draft (a preview that stores nothing).
    let preview = s.row.status == "draft" && can_manage;
    let mut refusal = accepting(&s.row.status, s.row.opens_at, s.row.closes_at, Utc::now())
        .err()
        .filter(|_| !preview)
        .map(|r| r.code().to_owned());
    if refusal.is_none() && !preview {
        if s.access() == Access::Residents
            && !viewer
                .memberships
                .iter()
                .any(|(t, _)| *t == s.row.tenant_id)
        {
            refusal = Some("ACCOUNT_REQUIRED".into());
        } else if already_answered(state, &s, viewer, device).await? {
            refusal = Some("ALREADY_ANSWERED".into());
        }
    }
    let in_progress = draft.as_ref().and_then(|d| {
        let shown = s.survey.shown_sections(&d.answers);
        // Continue at the first shown section without any answer yet.
        let next = shown
            .iter()
            .find(|i| {
                s.survey.sections[**i]
                    .questions
                    .iter()
                    .all(|q| !d.answers.contains_key(&q.key))
            })
            .or(shown.last())?;
        (!d.answers.is_empty()).then(|| u32::try_from(*next + 1).unwrap_or(1))
    });
    Ok(SurveyStartData {
        head: head(&s, &lang, tenant),
        intro: texts.get("intro").map(str::to_owned),
        privacy: texts.get("privacy").map(str::to_owned),
        languages: s
            .texts
            .offered(&s.survey)
            .into_iter()
            .map(|tag| LanguageLink {
                name: language_name(&tag),
                translated: 0,
                total: 0,
                tag,
            })
            .collect(),
        access: s.row.access.clone(),
        accepting: refusal.is_none(),
        refusal,
        closes: s.row.closes_at.map(day),
        results_published: s.row.results_published,
        can_manage,
        in_progress,
        questions: s.survey.questions().count(),
        status: s.row.status.clone(),
    })
}

/// Keys with their labels.
pub(super) type Labelled = Vec<(String, String)>;

pub(super) fn options_of(q: &Question, texts: &Texts) -> (Labelled, Labelled) {
    let opts = |list: &[qn_domain::surveys::Choice]| {
        list.iter()
            .map(|o| (o.key.clone(), texts.option(&q.key, &o.key)))
            .collect::<Vec<_>>()
    };
    match &q.kind {
        QuestionKind::SingleChoice { options }
        | QuestionKind::MultipleChoice { options, .. }
        | QuestionKind::Ranking { options } => (opts(options), Vec::new()),
        QuestionKind::Matrix { items, scale } => (
            opts(scale),
            items
                .iter()
                .map(|i| (i.clone(), texts.or_key(&format!("item.{}.{i}", q.key))))
                .collect(),
        ),
        QuestionKind::Rating { min, max } => (
            (*min..=*max)
                .map(|v| (v.to_string(), v.to_string()))
                .collect(),
            Vec::new(),
        ),
        _ => (Vec::new(), Vec::new()),
    }
}

/// The draft of this device: the pages after the start need one.
pub(super) async fn need_draft(
    state: &AppState,
    headers: &HeaderMap,
    id: i32,
) -> AppResult<(String, Draft)> {
    let missing = || AppError::Survey(Refusal::NoDraft);
    let token = draft_token(headers, id).ok_or_else(missing)?;
    let draft = surveys::draft(&state.db, id, &token)
        .await?
        .ok_or_else(missing)?;
    Ok((token, draft))
}

pub async fn section(
    state: &AppState,
    viewer: &Viewer,
    headers: &HeaderMap,
    id: i32,
    number: usize,
    map: MapConfig,
    summary: impl FnOnce(i32) -> Option<TenantSummary>,
) -> AppResult<SurveySectionData> {
    let s = surveys::load(&state.db, viewer, id).await?;
    let tenant = summary(s.row.tenant_id).ok_or(AppError::NotFound)?;
    let (_, draft) = need_draft(state, headers, id).await?;
    let index = number.checked_sub(1).ok_or(AppError::NotFound)?;
    if index >= s.survey.sections.len() {
        return Err(AppError::NotFound);
    }
    let lang = language(&s, Some(&draft.language));
    let texts = s.texts.of(&lang);
    let shown = s.survey.shown_sections(&draft.answers);
    let step = shown.iter().position(|i| *i == index).map_or(1, |p| p + 1);
    let pending = draft.pending.as_ref().filter(|p| p.section == index);
    let kinds = || s.survey.questions().map(|q| &q.kind);
    let sections = s
        .survey
        .sections
        .iter()
        .enumerate()
        .map(|(i, section)| SectionView {
            number: i + 1,
            title: texts
                .get(&format!("section.{}", section.key))
                .map(str::to_owned),
            questions: section
                .questions
                .iter()
                .map(|q| question_view(&s, q, &texts, &draft, pending.filter(|_| i == index)))
                .collect(),
        })
        .collect();
    let quartiere = if kinds().any(|k| matches!(k, QuestionKind::Quartier)) {
        surveys::quartier_choices(&state.db, viewer, &s)
            .await?
            .iter()
            .map(link)
            .collect()
    } else {
        Vec::new()
    };
    let quartier_map_url = match quartiere.first().map(|a: &AreaLink| a.id) {
        Some(a) => areas::by_ids(&state.db, viewer, &[a])
            .await?
            .first()
            .map(|a| level_geojson_url(a.level_id)),
        None => None,
    };
    let postcodes_json = if quartiere.is_empty() {
        None
    } else {
        let table = surveys::postcode_table(state, &s).await?;
        if table.is_empty() {
            None
        } else {
            Some(serde_json::to_string(&table).map_err(AppError::internal)?)
        }
    };
    let polygons_url = if kinds().any(|k| matches!(k, QuestionKind::MapPoint)) {
        let level = match s.areas.first() {
            Some(a) => areas::by_ids(&state.db, viewer, &[*a])
                .await?
                .first()
                .map(|a| a.level_id),
            None => areas::levels(&state.db, viewer, s.row.tenant_id)
                .await?
                .last()
                .map(|l| l.id),
        };
        level.map(level_geojson_url)
    } else {
        None
    };
    Ok(SurveySectionData {
        head: head(&s, &lang, tenant),
        number,
        step,
        // The review before sending is the last step.
        steps: shown.len() + 1,
        sections,
        quartiere,
        polygons_url,
        quartier_map_url,
        postcodes_json,
        map,
        preview: draft.preview,
        revealed: pending.is_some_and(|p| p.problems.is_empty()),
        survey_json: serde_json::to_string(&s.survey).map_err(AppError::internal)?,
        code: draft.code.clone(),
    })
}

/// One question with its labels and its current answer (or, after an error on its page, what
/// was typed, with the problem).
pub(super) fn question_view(
    s: &Loaded,
    q: &Question,
    texts: &Texts,
    draft: &Draft,
    pending: Option<&surveys::Pending>,
) -> QuestionView {
    let (options, items) = options_of(q, texts);
    let values = match pending {
        Some(p) => p
            .fields
            .iter()
            .filter(|(k, _)| {
                k == &format!("q.{}", q.key) || k.starts_with(&format!("q.{}.", q.key))
            })
            .cloned()
            .collect(),
        None => draft
            .answers
            .get(&q.key)
            .map(|a| fields_of(q, a))
            .unwrap_or_default(),
    };
    QuestionView {
        text: texts.question(&q.key),
        help: texts.get(&format!("help.{}", q.key)).map(str::to_owned),
        low: texts.get(&format!("low.{}", q.key)).map(str::to_owned),
        high: texts.get(&format!("high.{}", q.key)).map(str::to_owned),
        options,
        items,
        values,
        error: pending.and_then(|p| {
            p.problems
                .iter()
                .find(|(k, _)| *k == q.key)
                .map(|(_, c)| c.clone())
        }),
        hidden: !s.survey.is_shown(&q.key, &draft.answers),
        question: q.clone(),
    }
}

/// An answer as a sentence for the review page.
pub(super) fn describe(
    q: &Question,
    a: &Answer,
    texts: &Texts,
    area_names: &HashMap<i32, String>,
) -> String {
    let num = |n: f64| {
        let s = if n.fract() == 0.0 && n.abs() < 1e15 {
            format!("{}", n as i64)
        } else {
            n.to_string()
        };
        s.replace('.', ",")
    };
    match a {
        Answer::Choice(c) => texts.option(&q.key, c),
        Answer::Choices { selected, other } => {
            let mut v: Vec<String> = selected.iter().map(|s| texts.option(&q.key, s)).collect();
            if let Some(o) = other {
                v.push(o.clone());
            }
            v.join(", ")
        }
        Answer::Number(n) => num(*n),
        Answer::Text(t) => t.clone(),
        Answer::Date(d) => d.format("%d.%m.%Y").to_string(),
        Answer::Point { lon, lat } => format!("{} / {}", num(*lat), num(*lon)),
        Answer::Ranking(r) => r
            .iter()
            .enumerate()
            .map(|(i, o)| format!("{}. {}", i + 1, texts.option(&q.key, o)))
            .collect::<Vec<_>>()
            .join(", "),
        Answer::Matrix(m) => m
            .iter()
            .map(|(i, o)| {
                format!(
                    "{}: {}",
                    texts.or_key(&format!("item.{}.{i}", q.key)),
                    texts.option(&q.key, o)
                )
            })
            .collect::<Vec<_>>()
            .join("; "),
        Answer::Area(id) => i32::try_from(*id)
            .ok()
            .and_then(|i| area_names.get(&i).cloned())
            .unwrap_or_else(|| id.to_string()),
    }
}

pub async fn review(
    state: &AppState,
    viewer: &Viewer,
    headers: &HeaderMap,
    id: i32,
    summary: impl FnOnce(i32) -> Option<TenantSummary>,
) -> AppResult<SurveyReviewData> {
    let s = surveys::load(&state.db, viewer, id).await?;
    let tenant = summary(s.row.tenant_id).ok_or(AppError::NotFound)?;
    let (_, draft) = need_draft(state, headers, id).await?;
    let lang = language(&s, Some(&draft.language));
    let texts = s.texts.of(&lang);
    let kept = s.survey.visible_answers(&draft.answers);
    let area_ids: Vec<i32> = kept
        .values()
        .filter_map(|a| match a {
            Answer::Area(id) => i32::try_from(*id).ok(),
            _ => None,
        })
        .collect();
    let area_names: HashMap<i32, String> = areas::by_ids(&state.db, viewer, &area_ids)
        .await?
        .into_iter()
        .map(|a| (a.id, a.name))
        .collect();
    let shown = s.survey.shown_sections(&kept);
    let sections = shown
        .iter()
        .map(|i| {
            let sec = &s.survey.sections[*i];
            ReviewSection {
                number: i + 1,
                title: texts
                    .get(&format!("section.{}", sec.key))
                    .map(str::to_owned),
                lines: sec
                    .questions
                    .iter()
                    .filter(|q| s.survey.is_shown(&q.key, &kept))
                    .map(|q| ReviewLine {
                        question: texts.question(&q.key),
                        answer: kept
                            .get(&q.key)
                            .map(|a| describe(q, a, &texts, &area_names))
                            .unwrap_or_default(),
                    })
                    .collect(),
            }
        })
        .collect();
    Ok(SurveyReviewData {
        head: head(&s, &lang, tenant),
        sections,
        steps: shown.len() + 1,
    })
}

pub async fn thanks(
    state: &AppState,
    viewer: &Viewer,
    id: i32,
    lang: Option<String>,
    summary: impl FnOnce(i32) -> Option<TenantSummary>,
) -> AppResult<SurveyThanksData> {
    let s = surveys::load(&state.db, viewer, id).await?;
    let tenant = summary(s.row.tenant_id).ok_or(AppError::NotFound)?;
    let lang = language(&s, lang.as_deref());
    Ok(SurveyThanksData {
        thanks: s.texts.of(&lang).get("thanks").map(str::to_owned),
        head: head(&s, &lang, tenant),
        results_published: s.row.results_published,
    })
}
