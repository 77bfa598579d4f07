//! Survey pages: the list of a Kommune, answering (start, one section per page, review,
//! thanks), results, and the builders' page. Answering is plain HTML forms posted to the
//! server, one section per page, so a survey can be answered to the end without JavaScript on
//! a 360-px screen; the survey's own texts are shown in the respondent's language.

mod answering;
mod managing;
mod results;
pub use answering::*;
pub use managing::*;
pub use results::*;

use crate::api::{
    get_survey_manage, get_survey_results, get_survey_review, get_survey_section, get_survey_start,
    get_survey_texts, get_survey_thanks, get_surveys_page, ApiError, QuestionFormData,
    QuestionResultView, QuestionView, ResultGroup, SurveyCard, SurveyHead, SurveyManageData,
    SurveyResultsData, SurveyReviewData, SurveySectionData, SurveyStartData, SurveyTextsData,
    SurveyThanksData, SurveysData,
};
use crate::i18n::surveys::{
    access_label, kind_label, message, notice, status_label, ts, SurveyLang, KINDS,
};
use crate::pages::use_query_map;
use crate::pages::{address_finder, loaded, textarea_text, TableWrap};
use crate::pages::{by_slug, page_with};
use crate::LoadingText;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;
use qn_domain::surveys::QuestionKind;

fn id_param() -> impl Fn() -> Option<i32> + Copy {
    let params = use_params_map();
    move || params.read().get("id").and_then(|s| s.parse::<i32>().ok())
}

fn not_found<T>() -> Result<Result<T, ApiError>, ServerFnError> {
    Ok(Err(ApiError::new("NOT_FOUND")))
}

/// A page of one survey in the language asked for (`?sprache=`).
fn in_language<T, Fut, V>(
    fetch: impl Fn(i32, Option<String>) -> Fut + Copy + Send + Sync + 'static,
    page: fn(T) -> V,
) -> impl IntoView
where
    T: Clone + Send + Sync + 'static,
    crate::pages::Loaded<T>: serde::Serialize + serde::de::DeserializeOwned,
    Fut: std::future::Future<Output = crate::pages::Loaded<T>> + Send + 'static,
    V: IntoView + 'static,
{
    let id = id_param();
    let q = use_query_map();
    page_with(
        move || (id(), q.read().get("sprache")),
        move |(id, lang)| async move {
            match id {
                Some(id) => fetch(id, lang).await,
                None => not_found(),
            }
        },
        page,
    )
}

/// The error (German by its code, with the server's signed detail if any) and the notice a
/// form handler sent back.
fn feedback() -> impl IntoView {
    crate::pages::feedback_with(notice, |code, detail| match detail {
        Some(d) => format!("{} ({d})", message(code)),
        None => message(code).to_owned(),
    })
}

fn breadcrumb(head: &SurveyHead) -> impl IntoView {
    let slug = head.tenant.slug.clone();
    view! {
        <nav aria-label="Brotkrumen" class="breadcrumb">
            <a href=format!("/kommune/{slug}")>{head.tenant.name.clone()}</a>
            " › "
            <a href=format!("/kommune/{slug}/umfragen")>{ts().nav_surveys}</a>
        </nav>
    }
}

/// Paragraphs of a plain text (blank lines separate them).
fn paragraphs(text: &str) -> impl IntoView {
    text.split("\n\n")
        .map(str::trim)
        .filter(|p| !p.is_empty())
        .map(|p| view! { <p>{p.to_owned()}</p> })
        .collect_view()
}

// ---------------------------------------------------------------------------------------------

#[component]
pub fn SurveysPage() -> impl IntoView {
    by_slug(get_surveys_page, |d| view! { <Surveys d/> })
}

fn survey_card(c: SurveyCard, manage: bool) -> impl IntoView {
    let t = ts();
    let id = c.id;
    view! {
        <li class="card">
            <h2><a href=format!("/umfrage/{id}")>{c.title.clone()}</a></h2>
            <ul class="badges">
                <li>{status_label(&c.status)}</li>
                {(c.status == "open" && !c.accepting).then(|| view! { <li>{t.not_accepting}</li> })}
                {c.closes.clone().map(|d| view! { <li>{t.until}" "{d}</li> })}
                {(c.version > 1).then(|| view! { <li>{t.version}" "{c.version}</li> })}
                {c.responses.map(|n| view! { <li>{n}" "{t.responses}</li> })}
            </ul>
            <p class="actions">
                {c.accepting.then(|| view! { <a href=format!("/umfrage/{id}")>{t.answer_link}</a> })}
                {(c.results_published || manage).then(|| view! { " " <a href=format!("/umfrage/{id}/ergebnisse")>{t.results_link}</a> })}
                {manage.then(|| view! { " " <a href=format!("/umfrage/{id}/verwaltung")>{t.manage_link}</a> })}
            </p>
        </li>
    }
}

#[component]
fn Surveys(d: SurveysData) -> impl IntoView {
    let t = ts();
    let slug = d.tenant.slug.clone();
    let manage = d.can_manage;
    view! {
        <Title text=format!("{} – {}", t.list_title, d.tenant.name)/>
        <nav aria-label="Brotkrumen" class="breadcrumb">
            <a href=format!("/kommune/{slug}")>{d.tenant.name.clone()}</a>
        </nav>
        <h1>{t.list_title}" – "{d.tenant.name.clone()}</h1>
        {feedback()}
        <p>{t.list_intro}</p>
        {if d.surveys.is_empty() {
            view! { <p>{t.list_empty}</p> }.into_any()
        } else {
            view! { <ul class="cards">{d.surveys.into_iter().map(|c| survey_card(c, manage)).collect_view()}</ul> }.into_any()
        }}
        {manage.then(|| view! {
            <section aria-labelledby="neue-umfrage">
                <h2 id="neue-umfrage">{t.create_heading}</h2>
                <form method="post" action=format!("/kommune/{slug}/umfragen") class="inline-form">
                    <label for="u-titel">{t.create_title}</label>
                    <input id="u-titel" name="titel" required maxlength="200"/>
                    <button type="submit">{t.create_submit}</button>
                </form>
                <p><a href=format!("/kommune/{slug}/postleitzahlen")>{t.postcodes_link}</a></p>
            </section>
        })}
    }
}

// ---------------------------------------------------------------------------------------------

#[component]
pub fn SurveyStartPage() -> impl IntoView {
    in_language(get_survey_start, |d| view! { <Start d/> })
}

#[component]
fn Start(d: SurveyStartData) -> impl IntoView {
    // The page's words in the language the survey is answered in.
    provide_context(SurveyLang(d.head.lang.clone()));
    let t = ts();
    let id = d.head.id;
    let refusal_text = d.refusal.as_deref().map(|r| match r {
        "SURVEY_CLOSED" => t.closed_text,
        "SURVEY_NOT_OPEN" => t.not_open_text,
        "ALREADY_ANSWERED" => t.already_text,
        "ACCOUNT_REQUIRED" => t.account_text,
        other => message(other),
    });
    let account = d.refusal.as_deref() == Some("ACCOUNT_REQUIRED");
    let lang = d.head.lang.clone();
    view! {
        <Title text=d.head.title.clone()/>
        {breadcrumb(&d.head)}
        <div lang=d.head.lang.clone() dir=if d.head.rtl { "rtl" } else { "ltr" }>
            <h1>{d.head.title.clone()}</h1>
            {feedback()}
            {(d.status == "draft").then(|| view! { <p class="notice notice-info">{t.preview_note}</p> })}
            {d.intro.as_deref().map(|i| view! { <div class="intro">{paragraphs(i)}</div> })}
            <p>{d.questions}" "{t.questions_count}{d.closes.clone().map(|c| format!(" · {} {c}", t.until))}</p>
            {(d.languages.len() > 1).then(|| view! {
                <nav aria-label=t.language_choose class="languages">
                    <ul class="inline-list">
                        {d.languages.iter().map(|l| {
                            let current = l.tag == lang;
                            view! {
                                <li><a href=format!("/umfrage/{id}?sprache={}", l.tag) lang=l.tag.clone()
                                    aria-current=current.then_some("true")>{l.name.clone()}</a></li>
                            }
                        }).collect_view()}
                    </ul>
                </nav>
            })}
            <section aria-labelledby="datenschutz" class="privacy">
                <h2 id="datenschutz">{t.privacy_heading}</h2>
                {match d.privacy.as_deref() {
                    Some(p) => paragraphs(p).into_any(),
                    None => view! { <p>{t.privacy_default}</p> }.into_any(),
                }}
            </section>
            {match refusal_text {
                Some(text) => view! {
                    <p class="notice notice-info" role="status">{text}</p>
                    {account.then(|| view! { <p><a href=format!("/anmelden?weiter=/umfrage/{id}")>{t.sign_in}</a></p> })}
                    {d.results_published.then(|| view! { <p><a href=format!("/umfrage/{id}/ergebnisse")>{t.thanks_results}</a></p> })}
                }.into_any(),
                None => view! {
                    <form method="post" action=format!("/umfrage/{id}/start") class="stack">
                        <input type="hidden" name="sprache" value=lang.clone()/>
                        {(d.access == "codes").then(|| view! {
                            <label for="s-code">{t.code_label}</label>
                            <input id="s-code" name="code" required autocomplete="off" autocapitalize="characters"
                                spellcheck="false" aria-describedby="s-code-hint" maxlength="20"/>
                            <p id="s-code-hint" class="hint">{t.code_hint}</p>
                        })}
                        <button type="submit">{if d.in_progress.is_some() { t.resume } else { t.start }}</button>
                    </form>
                }.into_any(),
            }}
            {d.can_manage.then(|| view! { <p><a href=format!("/umfrage/{id}/verwaltung")>{t.manage_link}</a></p> })}
        </div>
    }
}

// ---------------------------------------------------------------------------------------------
