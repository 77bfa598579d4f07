//! The data of the survey pages, built on the surveys services (the same rules as the API:
//! drafts are previewed only by builders, results leave only after the disclosure rule).

use super::surveys::draft_token;
use crate::areas::{self, Area};
use crate::kernel::error::{AppError, AppResult};
use crate::kernel::permissions::Can;
use crate::kernel::state::AppState;
use crate::kernel::viewer::Viewer;
use crate::surveys::{self, Access, Draft, Loaded};
use crate::tenancy::Tenant;
use axum::http::HeaderMap;
use chrono::{DateTime, Utc};
use qn_app::api::{
    level_geojson_url, AreaLink, FreeTextView, LanguageLink, MapConfig, OutlineQuestion,
    OutlineSection, QuestionFormData, QuestionResultView, QuestionView, ResultCell, ResultGroup,
    ReviewLine, ReviewSection, SectionView, SurveyCard, SurveyHead, SurveyManageData,
    SurveyResultsData, SurveyReviewData, SurveySectionData, SurveyStartData, SurveyTextsData,
    SurveyThanksData, SurveysData, TenantSummary, TextRow,
};
use qn_domain::surveys::form::fields_of;
use qn_domain::surveys::results::Group;
use qn_domain::surveys::texts::{Texts, BASE_LANGUAGE, LEICHTE_SPRACHE};
use qn_domain::surveys::{accepting, Answer, Question, QuestionKind, Refusal};
use std::collections::HashMap;

fn day(t: DateTime<Utc>) -> String {
    t.format("%d.%m.%Y").to_string()
}

fn link(a: &Area) -> AreaLink {
    AreaLink {
        id: a.id,
        code: a.code.clone(),
        name: a.name.clone(),
    }
}

/// Names of languages in themselves, and which are written right to left.
fn language_name(tag: &str) -> String {
    match tag {
        "de" => "Deutsch",
        LEICHTE_SPRACHE => "Leichte Sprache",
        "en" => "English",
        "tr" => "Türkçe",
        "ar" => "العربية",
        "fa" => "فارسی",
        "ru" => "Русский",
        "uk" => "Українська",
        "pl" => "Polski",
        "ro" => "Română",
        "bg" => "Български",
        "ku" | "kmr" => "Kurdî",
        "fr" => "Français",
        "es" => "Español",
        "it" => "Italiano",
        "el" => "Ελληνικά",
        "sq" => "Shqip",
        "sr" => "Srpski",
        "hr" => "Hrvatski",
        "bs" => "Bosanski",
        "so" => "Soomaali",
        "ti" => "ትግርኛ",
        "ps" => "پښتو",
        "ur" => "اردو",
        other => other,
    }
    .to_owned()
}

fn rtl(tag: &str) -> bool {
    matches!(
        tag.split('-').next(),
        Some("ar" | "fa" | "he" | "ur" | "ps" | "ckb" | "yi")
    )
}

/// The language to show: the asked one if the survey offers it (all its texts are
/// translated), else German.
fn language(s: &Loaded, asked: Option<&str>) -> String {
    asked
        .filter(|l| s.texts.0.contains_key(*l) && s.texts.missing(&s.survey, l).is_empty())
        .unwrap_or(BASE_LANGUAGE)
        .to_owned()
}

fn head(s: &Loaded, lang: &str, tenant: TenantSummary) -> SurveyHead {
    let texts = s.texts.of(lang);
    SurveyHead {
        id: s.row.id,
        title: texts.or_key("title"),
        lang: lang.to_owned(),
        rtl: rtl(lang),
        tenant,
    }
}

pub fn card(row: &surveys::SurveyRow, responses: Option<u64>) -> SurveyCard {
    SurveyCard {
        id: row.id,
        title: row.title.clone(),
        status: row.status.clone(),
        access: row.access.clone(),
        accepting: accepting(&row.status, row.opens_at, row.closes_at, Utc::now()).is_ok(),
        opens: row.opens_at.map(day),
        closes: row.closes_at.map(day),
        version: row.version,
        responses,
        results_published: row.results_published,
    }
}

pub async fn surveys_page(
    state: &AppState,
    viewer: &Viewer,
    tenant: &Tenant,
    summary: TenantSummary,
) -> AppResult<SurveysData> {
    let staff = viewer.staff_tenant_ids().contains(&tenant.id);
    let list = surveys::list(&state.db, viewer, tenant.id).await?;
    Ok(SurveysData {
        tenant: summary,
        surveys: list
            .iter()
            .map(|l| card(&l.row, staff.then_some(l.responses)))
            .collect(),
        can_manage: viewer.may(tenant.id, Can::ManageSurveys),
    })
}

/// Whether this account or device has already answered (the start page says so at once,
/// instead of after the last question).
async fn already_answered(
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
type Labelled = Vec<(String, String)>;

fn options_of(q: &Question, texts: &Texts) -> (Labelled, Labelled) {
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
async fn need_draft(state: &AppState, headers: &HeaderMap, id: i32) -> AppResult<(String, Draft)> {
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
fn question_view(
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
fn describe(q: &Question, a: &Answer, texts: &Texts, area_names: &HashMap<i32, String>) -> String {
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

fn group_view(g: &Group, links: &HashMap<i32, AreaLink>) -> ResultGroup {
    ResultGroup {
        area: g.area.and_then(|a| links.get(&a).cloned()),
        n: g.n,
        cells: if g.shown {
            g.counts
                .iter()
                .map(|c| {
                    Some(ResultCell {
                        count: c.count,
                        share: c.share,
                    })
                })
                .collect()
        } else {
            Vec::new()
        },
        mean: g.mean,
    }
}

pub async fn results(
    state: &AppState,
    viewer: &Viewer,
    id: i32,
    summary: impl FnOnce(i32) -> Option<TenantSummary>,
) -> AppResult<SurveyResultsData> {
    let r = surveys::results(&state.db, viewer, id).await?;
    let s = &r.survey;
    let tenant = summary(s.row.tenant_id).ok_or(AppError::NotFound)?;
    let texts = s.texts.of(BASE_LANGUAGE);
    let links: HashMap<i32, AreaLink> = r.areas.iter().map(|a| (a.id, link(a))).collect();
    let questions = s
        .survey
        .questions()
        .zip(&r.results.questions)
        .map(|(q, res)| {
            let categories = res
                .total
                .counts
                .iter()
                .map(|c| category_label(q, &c.key, &texts, &links))
                .collect::<Vec<_>>();
            // A suppressed total has no counts: label the categories from the structure.
            let categories = if categories.is_empty() {
                structure_categories(q, &texts)
            } else {
                categories
            };
            QuestionResultView {
                key: q.key.clone(),
                text: texts.question(&q.key),
                kind: qn_domain::surveys::builder::kind_name(&q.kind).to_owned(),
                categories,
                total: group_view(&res.total, &links),
                areas: res.areas.iter().map(|g| group_view(g, &links)).collect(),
                texts: r
                    .free_texts
                    .iter()
                    .filter(|t| t.question == q.key)
                    .map(|t| FreeTextView {
                        id: t.id,
                        body: t.body.clone(),
                        status: t.status.clone(),
                    })
                    .collect(),
                options: match &q.kind {
                    QuestionKind::SingleChoice { .. } | QuestionKind::MultipleChoice { .. } => {
                        options_of(q, &texts).0
                    }
                    _ => Vec::new(),
                },
            }
        })
        .collect();
    Ok(SurveyResultsData {
        head: head(s, BASE_LANGUAGE, tenant),
        responses: r.results.responses,
        by_area: r
            .results
            .by_area
            .iter()
            .map(|(a, n)| (a.and_then(|a| links.get(&a).cloned()), *n))
            .collect(),
        min_group: s.min_group(),
        questions,
        is_staff: viewer.staff_tenant_ids().contains(&s.row.tenant_id),
        can_review: viewer.may(s.row.tenant_id, Can::ReviewFreeTexts),
        can_export: viewer.may(s.row.tenant_id, Can::ReadRawAnswers),
        can_map: viewer.may(s.row.tenant_id, Can::EditIndicators),
        published: s.row.results_published,
    })
}

fn category_label(
    q: &Question,
    key: &str,
    texts: &Texts,
    links: &HashMap<i32, AreaLink>,
) -> String {
    match &q.kind {
        QuestionKind::Matrix { .. } => match key.split_once('.') {
            Some((item, opt)) => format!(
                "{}: {}",
                texts.or_key(&format!("item.{}.{item}", q.key)),
                texts.option(&q.key, opt)
            ),
            None => key.to_owned(),
        },
        QuestionKind::Rating { .. } => key.to_owned(),
        QuestionKind::Quartier => key
            .parse::<i32>()
            .ok()
            .and_then(|id| links.get(&id))
            .map_or_else(|| key.to_owned(), |l| l.name.clone()),
        QuestionKind::MultipleChoice { .. } if key == "other" => "Sonstiges".into(),
        _ => texts.option(&q.key, key),
    }
}

fn structure_categories(q: &Question, texts: &Texts) -> Vec<String> {
    let (options, items) = options_of(q, texts);
    if items.is_empty() {
        options.into_iter().map(|(_, l)| l).collect()
    } else {
        items
            .iter()
            .flat_map(|(_, i)| options.iter().map(move |(_, o)| format!("{i}: {o}")))
            .collect()
    }
}

pub async fn manage(
    state: &AppState,
    viewer: &Viewer,
    id: i32,
    summary: impl FnOnce(i32) -> Option<TenantSummary>,
) -> AppResult<SurveyManageData> {
    let db = &state.db;
    let s = surveys::load(db, viewer, id).await?;
    viewer.require(s.row.tenant_id, Can::ManageSurveys)?;
    let tenant = summary(s.row.tenant_id).ok_or(AppError::NotFound)?;
    let responses = surveys::response_count(db, id).await?;
    let mut area_list = Vec::new();
    for level in areas::levels(db, viewer, s.row.tenant_id).await? {
        let mut of_level = areas::current_areas(db, viewer, level.id).await?;
        of_level.sort_by_cached_key(|a| areas::name_key(&a.name));
        area_list.extend(of_level.iter().map(link));
    }
    let (codes_total, codes_used) = surveys::code_counts(db, id).await?;
    let base = s.texts.of(BASE_LANGUAGE);
    let pretty = |v: &serde_json::Value| serde_json::to_string_pretty(v).unwrap_or_default();
    let structure = serde_json::to_value(&s.survey).map_err(AppError::internal)?;
    let texts = serde_json::to_value(&s.texts).map_err(AppError::internal)?;
    Ok(SurveyManageData {
        head: head(&s, BASE_LANGUAGE, tenant),
        card: card(&s.row, Some(responses)),
        structure_json: pretty(&structure),
        texts_json: pretty(&texts),
        opens: s.row.opens_at.map(|t| t.format("%Y-%m-%d").to_string()),
        closes: s.row.closes_at.map(|t| t.format("%Y-%m-%d").to_string()),
        min_group: s.min_group(),
        areas: area_list,
        selected_areas: s.areas.clone(),
        codes_total,
        codes_used,
        frozen: responses > 0,
        previous_id: s.row.previous_id,
        can_export: viewer.may(s.row.tenant_id, Can::ReadRawAnswers),
        pending_texts: surveys::pending_free_texts(db, id).await?,
        outline: s
            .survey
            .sections
            .iter()
            .enumerate()
            .map(|(i, sec)| OutlineSection {
                number: i + 1,
                condition: condition_value(sec.show_if.as_ref()),
                title: base.get(&format!("section.{}", sec.key)).map(str::to_owned),
                questions: sec
                    .questions
                    .iter()
                    .map(|q| OutlineQuestion {
                        key: q.key.clone(),
                        text: base.question(&q.key),
                        kind: qn_domain::surveys::builder::kind_name(&q.kind).to_owned(),
                        required: q.required,
                        conditional: q.show_if.is_some(),
                        form: question_form(&s, &q.key),
                    })
                    .collect(),
            })
            .collect(),
        conditions: s
            .survey
            .questions()
            .flat_map(|q| {
                let (options, _) = match &q.kind {
                    QuestionKind::SingleChoice { .. } | QuestionKind::MultipleChoice { .. } => {
                        options_of(q, &base)
                    }
                    _ => (Vec::new(), Vec::new()),
                };
                let text = base.question(&q.key);
                options
                    .into_iter()
                    .map(move |(o, label)| (format!("{}={o}", q.key), format!("{text} → {label}")))
            })
            .collect(),
        languages: languages(&s),
    })
}

/// A condition as the builder's select has it: `question=option`, `=keep` for one set in the
/// JSON editor (the form cannot show it), empty for none.
fn condition_value(c: Option<&qn_domain::surveys::Condition>) -> String {
    match c {
        None => String::new(),
        Some(qn_domain::surveys::Condition::Is { question, option }) => {
            format!("{question}={option}")
        }
        Some(_) => "=keep".into(),
    }
}

/// The edit form of a question, filled in.
fn question_form(s: &Loaded, key: &str) -> QuestionFormData {
    let Some(q) = qn_domain::surveys::builder::describe_question(&s.survey, &s.texts, key) else {
        return QuestionFormData::default();
    };
    let num = |n: Option<f64>| {
        n.map(|n| {
            if n.fract() == 0.0 && n.abs() < 1e15 {
                format!("{}", n as i64)
            } else {
                n.to_string().replace('.', ",")
            }
        })
        .unwrap_or_default()
    };
    QuestionFormData {
        kind: q.kind,
        text: q.text,
        help: q.help.unwrap_or_default(),
        required: q.required,
        options: q.options.join("\n"),
        items: q.items.join("\n"),
        min: num(q.min),
        max: num(q.max),
        low: q.low.unwrap_or_default(),
        high: q.high.unwrap_or_default(),
        other: q.other,
        condition: if q.keep_condition {
            "=keep".into()
        } else {
            q.condition
                .map(|(a, b)| format!("{a}={b}"))
                .unwrap_or_default()
        },
    }
}

/// Every language with texts, and how complete each is (for the builder).
fn languages(s: &Loaded) -> Vec<LanguageLink> {
    s.texts
        .languages()
        .into_iter()
        .map(|tag| {
            let (translated, total) = s.texts.completeness(&s.survey, &tag);
            LanguageLink {
                name: language_name(&tag),
                translated,
                total,
                tag,
            }
        })
        .collect()
}

/// Every text of a survey in German and in one language, for translating.
pub async fn texts(
    state: &AppState,
    viewer: &Viewer,
    id: i32,
    lang: Option<String>,
    summary: impl FnOnce(i32) -> Option<TenantSummary>,
) -> AppResult<SurveyTextsData> {
    let s = surveys::load(&state.db, viewer, id).await?;
    viewer.require(s.row.tenant_id, Can::ManageSurveys)?;
    let tenant = summary(s.row.tenant_id).ok_or(AppError::NotFound)?;
    let lang = lang
        .filter(|l| !l.trim().is_empty())
        .unwrap_or_else(|| BASE_LANGUAGE.to_owned());
    let german = s.texts.0.get(BASE_LANGUAGE);
    let current = s.texts.0.get(&lang);
    let rows = qn_domain::surveys::texts::keys(&s.survey)
        .into_iter()
        .map(|(key, required)| TextRow {
            german: german
                .and_then(|g| g.get(&key))
                .cloned()
                .unwrap_or_default(),
            value: current
                .and_then(|c| c.get(&key))
                .cloned()
                .unwrap_or_default(),
            long: matches!(key.as_str(), "intro" | "privacy" | "thanks")
                || key.starts_with("help."),
            required: required && lang == BASE_LANGUAGE,
            key,
        })
        .collect();
    Ok(SurveyTextsData {
        head: head(&s, BASE_LANGUAGE, tenant),
        lang_name: language_name(&lang),
        lang,
        languages: languages(&s),
        rows,
    })
}
