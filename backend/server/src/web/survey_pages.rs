//! The data of the survey pages, built on the surveys services (the same rules as the API:
//! drafts are previewed only by builders, results leave only after the disclosure rule).

mod answering;
mod evaluation;
pub use answering::*;
pub use evaluation::*;

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
