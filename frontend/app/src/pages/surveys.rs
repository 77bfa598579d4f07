//! Survey pages: the list of a Kommune, answering (start, one section per page, review,
//! thanks), results, and the builders' page. Answering is plain HTML forms posted to the
//! server, one section per page, so a survey can be answered to the end without JavaScript on
//! a 360-px screen; the survey's own texts are shown in the respondent's language.

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
    let params = use_params_map();
    let data = Resource::new(
        move || params.read().get("slug").unwrap_or_default(),
        get_surveys_page,
    );
    view! {
        <Suspense fallback=LoadingText>
            {move || Suspend::new(async move { loaded(data.await, |d| view! { <Surveys d/> }.into_any()) })}
        </Suspense>
    }
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
    let id = id_param();
    let q = use_query_map();
    let data = Resource::new(
        move || (id(), q.read().get("sprache")),
        |(id, lang)| async move {
            match id {
                Some(id) => get_survey_start(id, lang).await,
                None => not_found(),
            }
        },
    );
    view! {
        <Suspense fallback=LoadingText>
            {move || Suspend::new(async move { loaded(data.await, |d| view! { <Start d/> }.into_any()) })}
        </Suspense>
    }
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

#[component]
pub fn SurveySectionPage() -> impl IntoView {
    let params = use_params_map();
    let data = Resource::new(
        move || {
            let p = params.read();
            (
                p.get("id").and_then(|s| s.parse::<i32>().ok()),
                p.get("nr").and_then(|s| s.parse::<usize>().ok()),
            )
        },
        |(id, nr)| async move {
            match (id, nr) {
                (Some(id), Some(nr)) => get_survey_section(id, nr).await,
                _ => not_found(),
            }
        },
    );
    view! {
        <Suspense fallback=LoadingText>
            {move || Suspend::new(async move {
                match data.await {
                    Ok(Err(e)) if e.code == "DRAFT_MISSING" => view! { <Restart/> }.into_any(),
                    other => loaded(other, |d| view! { <Section d/> }.into_any()),
                }
            })}
        </Suspense>
    }
}

/// The answers in progress are gone (24 hours passed, or another browser): start again.
#[component]
fn Restart() -> impl IntoView {
    let id = id_param();
    view! {
        <Title text=ts().list_title/>
        <h1>{ts().list_title}</h1>
        <p role="alert">{message("DRAFT_MISSING")}</p>
        <p><a href=move || format!("/umfrage/{}", id().unwrap_or_default())>{ts().start}</a></p>
    }
}

fn value_of(values: &[(String, String)], name: &str) -> Option<String> {
    values
        .iter()
        .find(|(k, _)| k == name)
        .map(|(_, v)| v.clone())
}

fn has_value(values: &[(String, String)], name: &str, v: &str) -> bool {
    values.iter().any(|(k, x)| k == name && x == v)
}

#[component]
fn Section(d: SurveySectionData) -> impl IntoView {
    // The page's words in the language the survey is answered in.
    provide_context(SurveyLang(d.head.lang.clone()));
    let t = ts();
    let id = d.head.id;
    let number = d.number;
    let current = d
        .sections
        .iter()
        .find(|s| s.number == number)
        .cloned()
        .unwrap_or_else(|| crate::api::SectionView {
            number,
            title: None,
            questions: Vec::new(),
        });
    let problems: Vec<(String, String, String)> = current
        .questions
        .iter()
        .filter_map(|q| {
            q.error
                .clone()
                .map(|e| (q.question.key.clone(), q.text.clone(), e))
        })
        .collect();
    let shown: Vec<String> = current
        .questions
        .iter()
        .filter(|q| !q.hidden)
        .map(|q| q.question.key.clone())
        .collect();
    let title = current
        .title
        .clone()
        .unwrap_or_else(|| d.head.title.clone());
    let polygons = d.polygons_url.clone();
    let quartier_map = d.quartier_map_url.clone();
    let map = d.map.clone();
    let tenant = d.head.tenant.slug.clone();
    let quartiere = d.quartiere.clone();
    let postcodes = d.postcodes_json.is_some();
    view! {
        <Title text=format!("{} ({} {} {} {}) – {}", title, t.step, d.step, t.of, d.steps, d.head.title)/>
        <div lang=d.head.lang.clone() dir=if d.head.rtl { "rtl" } else { "ltr" } class="survey">
            <p class="survey-name">{d.head.title.clone()}</p>
            <p class="progress-text" id="fortschritt" data-step-label=t.step data-of-label=t.of>
                {t.step}" "{d.step}" "{t.of}" "{d.steps}
            </p>
            <progress max=d.steps.to_string() value=d.step.to_string() aria-labelledby="fortschritt"></progress>
            {feedback()}
            {d.preview.then(|| view! { <p class="notice notice-info">{t.preview_note}</p> })}
            {d.revealed.then(|| view! { <p class="notice notice-info" role="status">{t.revealed}</p> })}
            <div class="notice notice-error" role="alert" id="fehler" hidden=problems.is_empty()>
                <h2>{t.problems_heading}</h2>
                <ul>
                    {problems.iter().map(|(k, text, e)| view! {
                        <li><a href=format!("#q-{k}")>{text.clone()}": "{message(e)}</a></li>
                    }).collect_view()}
                </ul>
            </div>
            <form method="post" action=format!("/umfrage/{id}/seite/{number}") class="survey-form" id="fragen" novalidate
                data-survey=d.survey_json.clone() data-survey-id=id.to_string() data-lang=d.head.lang.clone()
                data-code=d.code.clone() data-section=(number - 1).to_string()
                data-thanks=format!("/umfrage/{id}/danke?sprache={}", d.head.lang)
                data-preview=d.preview.then_some("true")
                data-postcodes=d.postcodes_json.clone()
                data-start=format!("/umfrage/{id}")>
                <input type="hidden" name="angezeigt" value=shown.join(",")/>
                {d.sections.into_iter().map(|sec| {
                    let here = sec.number == number;
                    let heading = sec.title.clone().unwrap_or_else(|| d.head.title.clone());
                    let heading_id = format!("teil-{}", sec.number);
                    let labelled = heading_id.clone();
                    view! {
                        <section class="survey-section" data-section=(sec.number - 1).to_string() hidden=!here
                            aria-labelledby=labelled>
                            <h1 id=heading_id tabindex="-1">{heading}</h1>
                            <p class="hint">{t.optional_note}</p>
                            {sec.questions.into_iter().map(|q| view! {
                                <QuestionField q=q quartiere=quartiere.clone() polygons=polygons.clone() postcodes=postcodes
                                    quartier_map=quartier_map.clone() map=map.clone() tenant=tenant.clone()/>
                            }).collect_view()}
                        </section>
                    }
                }).collect_view()}
                // Shown by the browser after the last section: sending from the phone, which
                // keeps the answers when there is no connection and sends them later.
                <section class="survey-section" data-final hidden aria-labelledby="teil-senden">
                    <h1 id="teil-senden" tabindex="-1">{t.review_title}</h1>
                    <p>{t.review_intro}</p>
                    // Filled by the browser with the answers and a "change" button per part.
                    <div id="antworten" data-edit=t.review_edit data-none=t.no_answer></div>
                    <p>{t.final_intro}</p>
                    <div class="hp" aria-hidden="true">
                        <label for="s-website">{t.honeypot}</label>
                        <input id="s-website" name="website" tabindex="-1" autocomplete="off"/>
                    </div>
                    <p class="notice notice-info" role="status" aria-live="polite" id="senden-status" hidden
                        data-saved=t.offline_saved data-sent=t.offline_sent data-failed=t.send_failed
                        data-sent-link=t.thanks_link></p>
                </section>
                <div class="survey-nav">
                    <button type="submit" name="richtung" value="zurueck" class="secondary" formnovalidate>{t.back}</button>
                    <button type="submit" name="richtung" value="weiter" data-next>{t.next}</button>
                    <button type="submit" name="richtung" value="senden" data-send hidden>{t.send}</button>
                </div>
            </form>
        </div>
    }
}

#[component]
fn QuestionField(
    q: QuestionView,
    quartiere: Vec<crate::api::AreaLink>,
    /// The Kommune keeps a postcode table: the Quartier may be given by postcode.
    postcodes: bool,
    polygons: Option<String>,
    quartier_map: Option<String>,
    map: crate::api::MapConfig,
    /// The Kommune's slug, for looking up an address in its register.
    tenant: String,
) -> impl IntoView {
    let t = ts();
    let key = q.question.key.clone();
    let name = format!("q.{key}");
    let anchor = format!("q-{key}");
    let help_id = format!("h-{key}");
    let error_id = format!("e-{key}");
    let described = [
        q.help.is_some().then(|| help_id.clone()),
        q.error.is_some().then(|| error_id.clone()),
    ]
    .into_iter()
    .flatten()
    .collect::<Vec<_>>()
    .join(" ");
    let described = (!described.is_empty()).then_some(described);
    let invalid = q.error.is_some().then_some("true");
    let values = q.values.clone();
    let legend = view! {
        <legend id=format!("{anchor}-legend")>
            {q.text.clone()}
            {q.question.required.then(|| view! { <span class="required" title=t.required>" *"<span class="sr-only">{t.required}</span></span> })}
        </legend>
    };
    let help = q
        .help
        .clone()
        .map(|h| view! { <p class="hint" id=help_id.clone()>{h}</p> });
    let error = q
        .error
        .as_deref()
        .map(|e| view! { <p class="field-error" id=error_id.clone()>{message(e)}</p> });
    let radio_list = |opts: Vec<(String, String)>, field: String, prefix: String| {
        let values = values.clone();
        opts.into_iter()
            .map(|(k, label)| {
                let id = format!("{prefix}-{k}");
                let for_id = id.clone();
                let checked = has_value(&values, &field, &k);
                view! {
                    <label class="choice" for=for_id>
                        <input type="radio" id=id name=field.clone() value=k checked=checked/>
                        " "{label}
                    </label>
                }
            })
            .collect_view()
    };
    let body = match &q.question.kind {
        QuestionKind::SingleChoice { .. } => {
            radio_list(q.options.clone(), name.clone(), anchor.clone()).into_any()
        }
        QuestionKind::Rating { .. } => view! {
            <div class="rating">
                {q.low.clone().map(|l| view! { <span class="rating-end">{l}</span> })}
                <div class="rating-values">{radio_list(q.options.clone(), name.clone(), anchor.clone())}</div>
                {q.high.clone().map(|h| view! { <span class="rating-end">{h}</span> })}
            </div>
        }
        .into_any(),
        QuestionKind::MultipleChoice { other, .. } => {
            let other_name = format!("{name}.other");
            let other_value = value_of(&values, &other_name).unwrap_or_default();
            let other = *other;
            view! {
                {q.options.clone().into_iter().map(|(k, label)| {
                    let id = format!("{anchor}-{k}");
                    let for_id = id.clone();
                    let checked = has_value(&values, &name, &k);
                    view! {
                        <label class="choice" for=for_id>
                            <input type="checkbox" id=id name=name.clone() value=k checked=checked/>
                            " "{label}
                        </label>
                    }
                }).collect_view()}
                {other.then(|| view! {
                    <label for=format!("{anchor}-other")>{t.other_label}</label>
                    <input id=format!("{anchor}-other") name=other_name.clone() value=other_value.clone() maxlength="500"/>
                })}
            }
            .into_any()
        }
        QuestionKind::Matrix { .. } => q
            .items
            .clone()
            .into_iter()
            .map(|(item, label)| {
                let field = format!("{name}.{item}");
                view! {
                    <fieldset class="matrix-item">
                        <legend>{label}</legend>
                        {radio_list(q.options.clone(), field, format!("{anchor}-{item}"))}
                    </fieldset>
                }
            })
            .collect_view()
            .into_any(),
        QuestionKind::Number { min, max, integer } => {
            let range = match (min, max) {
                (Some(lo), Some(hi)) => Some(format!("{} {lo} {} {hi}", t.number_range, t.and)),
                _ => None,
            };
            view! {
                <input id=format!("{anchor}-input") name=name.clone() aria-labelledby=format!("{anchor}-legend")
                    inputmode=if *integer { "numeric" } else { "decimal" }
                    value=value_of(&values, &name).unwrap_or_default() class="short"/>
                {range.map(|r| view! { <p class="hint">{r}</p> })}
            }
            .into_any()
        }
        QuestionKind::FreeText { max_chars } => view! {
            <textarea id=format!("{anchor}-input") name=name.clone() rows="4" maxlength=max_chars.to_string()
                aria-labelledby=format!("{anchor}-legend")>
                {textarea_text(value_of(&values, &name).unwrap_or_default())}
            </textarea>
            <p class="hint">{t.chars_max}" "{*max_chars}</p>
        }
        .into_any(),
        QuestionKind::Date { min, max } => view! {
            <input type="date" id=format!("{anchor}-input") name=name.clone() aria-labelledby=format!("{anchor}-legend")
                min=min.map(|d| d.to_string()) max=max.map(|d| d.to_string())
                value=value_of(&values, &name).unwrap_or_default()/>
        }
        .into_any(),
        QuestionKind::MapPoint => {
            let pick = format!("{anchor}-pick");
            let targets = quartiere
                .iter()
                .map(|a| a.id.to_string())
                .collect::<Vec<_>>()
                .join(" ");
            view! {
                <p class="hint">{t.point_hint}</p>
                {polygons.clone().map(|url| view! {
                    <div class="qn-map small" data-geojson=url data-pick=pick.clone()
                        data-targets=targets.clone()
                        data-outside-note=format!("{anchor}-outside")
                        data-tiles=map.tile_url.clone() data-attribution=map.tile_attribution.clone()></div>
                })}
                <p class="field-error" id=format!("{anchor}-outside") role="alert" hidden>{message("UNKNOWN_AREA")}</p>
                <label for=format!("{anchor}-address")>{t.point_address}</label>
                <input id=format!("{anchor}-address") name=format!("{name}.address") maxlength="200"
                    autocomplete="street-address" aria-describedby=format!("{anchor}-address-hint")
                    value=value_of(&values, &format!("{name}.address")).unwrap_or_default()/>
                <p class="hint" id=format!("{anchor}-address-hint")>{t.point_address_hint}</p>
                {address_finder(tenant.clone(), &format!("{anchor}-address"), &pick, format!("{anchor}-found"),
                    Some(targets.clone()), crate::i18n::FinderTexts {
                        button: t.point_find,
                        wait: t.point_find_wait,
                        found: t.point_found,
                        unknown: message("ADDRESS_UNKNOWN"),
                        ambiguous: message("ADDRESS_AMBIGUOUS"),
                        outside: message("UNKNOWN_AREA"),
                        no_register: message("NO_ADDRESS_REGISTER"),
                        failed: message("LOCATE_FAILED"),
                    })}
                <details id=pick.clone() open=value_of(&values, &format!("{name}.lat")).is_some()>
                    <summary>{t.point_coords}</summary>
                    <label for=format!("{anchor}-lat")>{t.point_lat}</label>
                    <input id=format!("{anchor}-lat") name=format!("{name}.lat") inputmode="decimal" data-pick-lat
                        value=value_of(&values, &format!("{name}.lat")).unwrap_or_default()/>
                    <label for=format!("{anchor}-lon")>{t.point_lon}</label>
                    <input id=format!("{anchor}-lon") name=format!("{name}.lon") inputmode="decimal" data-pick-lon
                        value=value_of(&values, &format!("{name}.lon")).unwrap_or_default()/>
                </details>
            }
            .into_any()
        }
        QuestionKind::Ranking { .. } => {
            let count = q.options.len();
            view! {
                <p class="hint">{t.rank_hint}</p>
                {q.options.clone().into_iter().map(|(k, label)| {
                    let field = format!("{name}.{k}");
                    let current = value_of(&values, &field).unwrap_or_default();
                    let id = format!("{anchor}-{k}");
                    view! {
                        <div class="rank-row">
                            <select id=id.clone() name=field>
                                <option value="">{t.rank_none}</option>
                                {(1..=count).map(|r| {
                                    let r = r.to_string();
                                    let selected = r == current;
                                    view! { <option value=r.clone() selected=selected>{t.rank_label}" "{r.clone()}</option> }
                                }).collect_view()}
                            </select>
                            <label for=id>{label}</label>
                        </div>
                    }
                }).collect_view()}
            }
            .into_any()
        }
        QuestionKind::Quartier => {
            let current = value_of(&values, &name).unwrap_or_default();
            view! {
                {quartier_map.clone().map(|url| view! {
                    <div class="qn-map small" data-geojson=url data-pick-area=format!("{anchor}-input")
                        data-tiles=map.tile_url.clone() data-attribution=map.tile_attribution.clone()></div>
                    <p class="hint">{t.quartier_map_hint}</p>
                })}
                <select id=format!("{anchor}-input") name=name.clone() aria-labelledby=format!("{anchor}-legend")>
                    <option value="">{t.choose}</option>
                    {quartiere.into_iter().map(|a| {
                        let v = a.id.to_string();
                        let selected = v == current;
                        view! { <option value=v selected=selected>{a.name}</option> }
                    }).collect_view()}
                </select>
                {postcodes.then(|| {
                    let typed = value_of(&values, &format!("{name}.plz")).unwrap_or_default();
                    view! {
                        <div class="postcode">
                            <label for=format!("{anchor}-plz")>{t.postcode_label}</label>
                            <input id=format!("{anchor}-plz") name=format!("{name}.plz") value=typed
                                inputmode="numeric" autocomplete="postal-code" size="7" maxlength="8"
                                data-postcode-for=format!("{anchor}-input")
                                aria-describedby=format!("{anchor}-plz-hint")/>
                            <p class="hint" id=format!("{anchor}-plz-hint") aria-live="polite"
                                data-several=t.postcode_several data-unknown=t.postcode_unknown>
                                {t.postcode_hint}
                            </p>
                        </div>
                    }
                })}
            }
            .into_any()
        }
    };
    view! {
        <fieldset class="question" id=anchor.clone() hidden=q.hidden aria-describedby=described
            aria-invalid=invalid data-question=key.clone()>
            {legend}
            {help}
            {error}
            {body}
        </fieldset>
    }
}

// ---------------------------------------------------------------------------------------------

#[component]
pub fn SurveyReviewPage() -> impl IntoView {
    let id = id_param();
    let data = Resource::new(id, |id| async move {
        match id {
            Some(id) => get_survey_review(id).await,
            None => not_found(),
        }
    });
    view! {
        <Suspense fallback=LoadingText>
            {move || Suspend::new(async move {
                match data.await {
                    Ok(Err(e)) if e.code == "DRAFT_MISSING" => view! { <Restart/> }.into_any(),
                    other => loaded(other, |d| view! { <Review d/> }.into_any()),
                }
            })}
        </Suspense>
    }
}

#[component]
fn Review(d: SurveyReviewData) -> impl IntoView {
    // The page's words in the language the survey is answered in.
    provide_context(SurveyLang(d.head.lang.clone()));
    let t = ts();
    let id = d.head.id;
    view! {
        <Title text=format!("{} – {}", t.review_title, d.head.title)/>
        <div lang=d.head.lang.clone() dir=if d.head.rtl { "rtl" } else { "ltr" } class="survey">
            <p class="survey-name">{d.head.title.clone()}</p>
            <p class="progress-text" id="fortschritt">{t.step}" "{d.steps}" "{t.of}" "{d.steps}</p>
            <h1>{t.review_title}</h1>
            <progress max=d.steps.to_string() value=d.steps.to_string() aria-labelledby="fortschritt"></progress>
            {feedback()}
            <p>{t.review_intro}</p>
            {d.sections.into_iter().map(|s| view! {
                <section class="review-section">
                    {s.title.clone().map(|t| view! { <h2>{t}</h2> })}
                    <dl>
                        {s.lines.into_iter().map(|l| view! {
                            <dt>{l.question}</dt>
                            <dd>{if l.answer.is_empty() { t.no_answer.to_owned() } else { l.answer }}</dd>
                        }).collect_view()}
                    </dl>
                    <p><a href=format!("/umfrage/{id}/seite/{}", s.number)>{t.review_edit}</a></p>
                </section>
            }).collect_view()}
            <form method="post" action=format!("/umfrage/{id}/absenden")>
                <div class="hp" aria-hidden="true">
                    <label for="r-website">{t.honeypot}</label>
                    <input id="r-website" name="website" tabindex="-1" autocomplete="off"/>
                </div>
                <button type="submit">{t.send}</button>
            </form>
        </div>
    }
}

#[component]
pub fn SurveyThanksPage() -> impl IntoView {
    let id = id_param();
    let q = use_query_map();
    let data = Resource::new(
        move || (id(), q.read().get("sprache")),
        |(id, lang)| async move {
            match id {
                Some(id) => get_survey_thanks(id, lang).await,
                None => not_found(),
            }
        },
    );
    view! {
        <Suspense fallback=LoadingText>
            {move || Suspend::new(async move { loaded(data.await, |d| view! { <Thanks d/> }.into_any()) })}
        </Suspense>
    }
}

#[component]
fn Thanks(d: SurveyThanksData) -> impl IntoView {
    // The page's words in the language the survey is answered in.
    provide_context(SurveyLang(d.head.lang.clone()));
    let t = ts();
    let q = use_query_map();
    let preview = move || q.read().get("vorschau").is_some();
    let id = d.head.id;
    view! {
        <Title text=format!("{} – {}", t.thanks_title, d.head.title)/>
        <div lang=d.head.lang.clone() dir=if d.head.rtl { "rtl" } else { "ltr" }>
            {move || preview().then(|| view! { <p class="notice notice-info" role="status">{t.preview_done}</p> })}
            <h1>{t.thanks_title}</h1>
            <p role="status">{d.thanks.clone().unwrap_or_else(|| t.thanks_default.to_owned())}</p>
            {d.results_published.then(|| view! { <p><a href=format!("/umfrage/{id}/ergebnisse")>{t.thanks_results}</a></p> })}
            <p><a href=format!("/kommune/{}/umfragen", d.head.tenant.slug)>{t.list_title}</a></p>
        </div>
    }
}

// ---------------------------------------------------------------------------------------------

#[component]
pub fn SurveyResultsPage() -> impl IntoView {
    let id = id_param();
    let data = Resource::new(id, |id| async move {
        match id {
            Some(id) => get_survey_results(id).await,
            None => not_found(),
        }
    });
    view! {
        <Suspense fallback=LoadingText>
            {move || Suspend::new(async move { loaded(data.await, |d| view! { <Results d/> }.into_any()) })}
        </Suspense>
    }
}

fn percent(share: f64) -> String {
    format!("{:.0} %", share * 100.0)
}

fn number(x: f64) -> String {
    format!("{x:.1}").replace('.', ",")
}

fn group_row(label: String, g: &ResultGroup, columns: usize, mean: bool) -> impl IntoView {
    let t = ts();
    let suppressed = g.n.is_none();
    view! {
        <tr>
            <th scope="row">{label}</th>
            <td>{g.n.map_or_else(|| t.suppressed.to_owned(), |n| n.to_string())}</td>
            {if suppressed {
                (0..columns).map(|_| view! { <td>{t.suppressed}</td> }).collect_view().into_any()
            } else {
                g.cells.iter().map(|c| view! {
                    <td>{c.as_ref().map_or_else(|| t.suppressed.to_owned(), |c| percent(c.share))}</td>
                }).collect_view().into_any()
            }}
            {mean.then(|| view! { <td>{g.mean.map_or_else(|| t.suppressed.to_owned(), number)}</td> })}
        </tr>
    }
}

/// The planners' form that turns a choice question's result into indicator values.
fn to_indicator(q: &QuestionResultView, survey: i32) -> impl IntoView {
    let t = ts();
    let p = format!("ind-{}", q.key);
    view! {
        <details class="to-indicator">
            <summary>{t.to_indicator}</summary>
            <form method="post" action=format!("/umfrage/{survey}/verwaltung/indikator") class="stack">
                <input type="hidden" name="frage" value=q.key.clone()/>
                <fieldset>
                    <legend>{t.to_indicator_options}</legend>
                    {q.options.iter().map(|(k, label)| {
                        let id = format!("{p}-{k}");
                        let for_id = id.clone();
                        view! { <label class="choice" for=for_id><input type="checkbox" id=id name="antwort" value=k.clone()/>" "{label.clone()}</label> }
                    }).collect_view()}
                </fieldset>
                <label for=format!("{p}-kuerzel")>{t.to_indicator_key}</label>
                <input id=format!("{p}-kuerzel") name="kuerzel" required maxlength="64" pattern="[a-z0-9_\\-]+"
                    value=format!("umfrage-{survey}-{}", q.key)/>
                <label for=format!("{p}-name")>{t.to_indicator_name}</label>
                <input id=format!("{p}-name") name="name" required maxlength="200"/>
                <label for=format!("{p}-richtung")>{t.to_indicator_polarity}</label>
                <select id=format!("{p}-richtung") name="richtung">
                    <option value="hoch_schlecht">{t.polarity_bad}</option>
                    <option value="hoch_gut">{t.polarity_good}</option>
                    <option value="neutral">{t.polarity_neutral}</option>
                </select>
                <label for=format!("{p}-datum")>{t.to_indicator_date}</label>
                <input type="date" id=format!("{p}-datum") name="datum"/>
                <button type="submit">{t.to_indicator_submit}</button>
            </form>
        </details>
    }
}

fn question_result(
    q: QuestionResultView,
    survey: i32,
    can_review: bool,
    can_map: bool,
) -> impl IntoView {
    let t = ts();
    let mean = matches!(q.kind.as_str(), "rating" | "number");
    let has_table = (!q.categories.is_empty() || mean) && q.kind != "quartier";
    let columns = q.categories.len();
    let heading_id = format!("r-{}", q.key);
    let indicator_form = (can_map && !q.options.is_empty()).then(|| to_indicator(&q, survey));
    let total_n = q
        .total
        .n
        .map_or_else(|| t.suppressed.to_owned(), |n| n.to_string());
    view! {
        <section class="result" aria-labelledby=heading_id.clone()>
            <h2 id=heading_id.clone()>{q.text.clone()}</h2>
            {has_table.then(|| view! {
                <TableWrap label=q.text.clone()>
                    <table>
                        <caption class="sr-only">{q.text.clone()}</caption>
                        <thead>
                            <tr>
                                <th scope="col">{t.col_area}</th>
                                <th scope="col">{t.col_n}</th>
                                {q.categories.iter().map(|c| view! { <th scope="col">{c.clone()}</th> }).collect_view()}
                                {mean.then(|| view! { <th scope="col">{t.col_mean}</th> })}
                            </tr>
                        </thead>
                        <tbody>
                            {group_row(t.total.to_owned(), &q.total, columns, mean)}
                            {q.areas.iter().map(|g| {
                                let label = g.area.as_ref().map_or_else(|| t.no_area.to_owned(), |a| a.name.clone());
                                group_row(label, g, columns, mean)
                            }).collect_view()}
                        </tbody>
                    </table>
                </TableWrap>
            })}
            {(!has_table).then(|| view! {
                <p>{t.col_n}": "{total_n.clone()}</p>
            })}
            {indicator_form}
            {(q.kind == "free_text" || !q.texts.is_empty()).then(|| view! {
                <h3>{t.free_texts}</h3>
                {if q.texts.is_empty() {
                    view! { <p>{t.free_texts_none}</p> }.into_any()
                } else {
                    view! {
                        <ul class="free-texts">
                            {q.texts.into_iter().map(|x| {
                                let state = match x.status.as_str() {
                                    "approved" => t.text_approved,
                                    "rejected" => t.text_rejected,
                                    _ => t.text_pending,
                                };
                                view! {
                                    <li id=format!("freitext-{}", x.id)>
                                        <blockquote>{x.body.clone()}</blockquote>
                                        {can_review.then(|| view! {
                                            <p class="hint">{state}</p>
                                            <form method="post" action=format!("/umfrage/{survey}/verwaltung/freitext") class="inline-form">
                                                <input type="hidden" name="text" value=x.id.to_string()/>
                                                <button type="submit" name="entscheidung" value="freigeben">{t.approve}</button>
                                                <button type="submit" name="entscheidung" value="ablehnen" class="secondary">{t.reject}</button>
                                            </form>
                                        })}
                                    </li>
                                }
                            }).collect_view()}
                        </ul>
                    }.into_any()
                }}
            })}
        </section>
    }
}

#[component]
fn Results(d: SurveyResultsData) -> impl IntoView {
    let t = ts();
    let id = d.head.id;
    let can_review = d.can_review;
    let can_map = d.can_map;
    view! {
        <Title text=format!("{} – {}", t.results_title, d.head.title)/>
        {breadcrumb(&d.head)}
        <h1>{t.results_title}": "{d.head.title.clone()}</h1>
        {feedback()}
        {(!d.published).then(|| view! { <p class="notice notice-info">{t.results_unpublished}</p> })}
        <p>{t.results_responses}": "{d.responses.map_or_else(|| t.suppressed.to_owned(), |n| n.to_string())}</p>
        <p class="hint">{t.results_note.replace("{n}", &d.min_group.to_string())}</p>
        {d.can_export.then(|| view! {
            <nav aria-label=t.exports>
                <ul class="inline-list">
                    <li><a href=format!("/api/v1/surveys/{id}/responses.csv") rel="external">{t.export_csv}</a></li>
                    <li><a href=format!("/api/v1/surveys/{id}/codebook.csv") rel="external">{t.export_codebook}</a></li>
                    <li><a href=format!("/api/v1/surveys/{id}/responses.json") rel="external">{t.export_json}</a></li>
                </ul>
            </nav>
        })}
        {(d.responses.is_some() && !d.by_area.is_empty()).then(|| view! {
            <section class="result" aria-labelledby="r-gebiete">
                <h2 id="r-gebiete">{t.by_area}</h2>
                <TableWrap label=t.by_area>
                    <table>
                        <thead><tr><th scope="col">{t.col_area}</th><th scope="col">{t.col_n}</th></tr></thead>
                        <tbody>
                            {d.by_area.iter().map(|(a, n)| view! {
                                <tr>
                                    <th scope="row">{a.as_ref().map_or_else(|| t.no_area.to_owned(), |a| a.name.clone())}</th>
                                    <td>{n.map_or_else(|| t.suppressed.to_owned(), |n| n.to_string())}</td>
                                </tr>
                            }).collect_view()}
                        </tbody>
                    </table>
                </TableWrap>
            </section>
        })}
        {match d.responses {
            None => view! { <p>{t.results_too_few}</p> }.into_any(),
            Some(_) => d.questions.into_iter().map(|q| question_result(q, id, can_review, can_map)).collect_view().into_any(),
        }}
    }
}

// ---------------------------------------------------------------------------------------------

#[component]
pub fn SurveyManagePage() -> impl IntoView {
    let id = id_param();
    let data = Resource::new(id, |id| async move {
        match id {
            Some(id) => get_survey_manage(id).await,
            None => not_found(),
        }
    });
    view! {
        <Suspense fallback=LoadingText>
            {move || Suspend::new(async move { loaded(data.await, |d| view! { <Manage d/> }.into_any()) })}
        </Suspense>
    }
}

#[component]
fn Manage(d: SurveyManageData) -> impl IntoView {
    let t = ts();
    let id = d.head.id;
    let action = move |a: &str| format!("/umfrage/{id}/verwaltung/{a}");
    let status = d.card.status.clone();
    let button = move |a: &'static str, label: &'static str| {
        view! {
            <form method="post" action=action(a) class="inline">
                <button type="submit" class="secondary">{label}</button>
            </form>
        }
    };
    view! {
        <Title text=format!("{} – {}", t.manage_title, d.head.title)/>
        {breadcrumb(&d.head)}
        <h1>{t.manage_title}": "{d.head.title.clone()}</h1>
        {feedback()}
        <p>
            {t.manage_status}": "<strong>{status_label(&status)}</strong>
            " · "{access_label(&d.card.access)}
            " · "{d.card.responses.unwrap_or(0)}" "{t.responses}
            " · "{t.version}" "{d.card.version}
        </p>
        {d.previous_id.map(|p| view! { <p><a href=format!("/umfrage/{p}/verwaltung")>{t.previous_version}</a></p> })}
        <div class="actions">
            <a href=format!("/umfrage/{id}")>{t.preview_action}</a>
            " "<a href=format!("/umfrage/{id}/ergebnisse")>{t.results_link}</a>
            {(status != "open").then(|| button("oeffnen", t.open_action))}
            {(status == "open").then(|| button("schliessen", t.close_action))}
            {(status != "draft" && !d.frozen).then(|| button("entwurf", t.draft_action))}
            {if d.card.results_published { button("zurueckziehen", t.unpublish_action) } else { button("veroeffentlichen", t.publish_action) }}
            {button("kopie", t.copy_action)}
            {button("version", t.version_action)}
        </div>
        {(d.pending_texts > 0).then(|| view! {
            <p><a href=format!("/umfrage/{id}/ergebnisse")>{d.pending_texts}" "{t.pending_texts}</a></p>
        })}
        <section aria-labelledby="aufbau">
            <h2 id="aufbau">{t.outline_heading}</h2>
            {d.frozen.then(|| view! { <p class="notice notice-info">{t.frozen_note}</p> })}
            {d.outline.iter().map(|sec| view! {
                <h3>{t.section_label}" "{sec.number}{sec.title.clone().map(|x| format!(": {x}"))}</h3>
                {(!d.frozen && sec.number > 1).then(|| {
                    let id_for = format!("teil-bedingung-{}", sec.number);
                    view! {
                        <form method="post" action=action("teil-bedingung") class="inline-form">
                            <input type="hidden" name="teil" value=sec.number.to_string()/>
                            <label for=id_for.clone()>{t.section_condition}</label>
                            <ConditionSelect id=id_for name="bedingung" current=sec.condition.clone()
                                conditions=d.conditions.clone()/>
                            <button type="submit" class="secondary small">{t.section_condition_save}</button>
                        </form>
                    }
                })}
                <ol class="outline">
                    {sec.questions.iter().map(|q| {
                        let key = q.key.clone();
                        let step = move |a: &'static str, label: &'static str, text: String| {
                            let key = key.clone();
                            view! {
                                <form method="post" action=action(a) class="inline">
                                    <input type="hidden" name="frage" value=key/>
                                    <button type="submit" class="secondary small" aria-label=format!("{label}: {text}")>{label}</button>
                                </form>
                            }
                        };
                        view! {
                            <li>
                                <span>{q.text.clone()}</span>" "
                                <span class="hint">"("{kind_label(&q.kind)}{q.required.then_some(", *")}{q.conditional.then_some(", ").map(|s| format!("{s}{}", t.conditional))}")"</span>
                                {(!d.frozen).then(|| view! {
                                    <span class="outline-actions">
                                        {step("frage-hoch", t.move_up, q.text.clone())}
                                        {step("frage-runter", t.move_down, q.text.clone())}
                                        {step("frage-weg", t.remove, q.text.clone())}
                                    </span>
                                    <details class="edit-question">
                                        <summary aria-label=format!("{}: {}", t.edit_question, q.text)>{t.edit_question}</summary>
                                        <QuestionForm prefix=format!("e-{}", q.key) action=action("frage-aendern")
                                            data=q.form.clone() key=Some(q.key.clone())
                                            conditions=d.conditions.clone() sections=Vec::new()/>
                                    </details>
                                })}
                            </li>
                        }
                    }).collect_view()}
                </ol>
            }).collect_view()}
            {(!d.frozen).then(|| view! {
                <details class="to-indicator" open=d.outline.is_empty()>
                    <summary>{t.add_question}</summary>
                    <QuestionForm prefix="f".to_owned() action=action("frage")
                        data=QuestionFormData::default() key=None conditions=d.conditions.clone()
                        sections=d.outline.iter().map(|sec| (sec.number, sec.title.clone())).collect()/>
                </details>
            })}
            <p>
                {t.translate_heading}": "
                {d.languages.iter().map(|l| {
                    let state = (l.tag != "de").then(|| {
                        let offered = if l.translated == l.total { t.language_offered } else { t.language_waiting };
                        format!(" ({}/{}, {offered})", l.translated, l.total)
                    });
                    view! {
                        <a href=format!("/umfrage/{id}/texte?sprache={}", l.tag) lang=l.tag.clone()>{l.name.clone()}</a>
                        {state}" · "
                    }
                }).collect_view()}
                <a href=format!("/umfrage/{id}/texte?sprache=de-x-ls")>{t.add_language}</a>
            </p>
        </section>
        <section aria-labelledby="einstellungen">
            <h2 id="einstellungen">{t.settings_heading}</h2>
            <form method="post" action=action("speichern") class="stack">
                <label for="m-zugang">{t.access_label}</label>
                <select id="m-zugang" name="zugang">
                    {["public", "codes", "residents"].into_iter().map(|a| view! {
                        <option value=a selected=d.card.access == a>{access_label(a)}</option>
                    }).collect_view()}
                </select>
                <label for="m-beginn">{t.opens_label}</label>
                <input type="date" id="m-beginn" name="beginn" value=d.opens.clone().unwrap_or_default()/>
                <label for="m-ende">{t.closes_label}</label>
                <input type="date" id="m-ende" name="ende" value=d.closes.clone().unwrap_or_default()/>
                <label for="m-gruppe">{t.min_group_label}</label>
                <input id="m-gruppe" name="mindestgruppe" inputmode="numeric" class="short" value=d.min_group.to_string()/>
                <label for="m-gebiete">{t.areas_label}</label>
                <select id="m-gebiete" name="gebiete" multiple size="8">
                    {d.areas.iter().map(|a| view! {
                        <option value=a.id.to_string() selected=d.selected_areas.contains(&a.id)>{a.name.clone()}</option>
                    }).collect_view()}
                </select>
                <label for="m-aufbau">{t.structure_label}</label>
                <textarea id="m-aufbau" name="aufbau" rows="16" class="code" spellcheck="false">{textarea_text(&d.structure_json)}</textarea>
                <label for="m-texte">{t.texts_label}</label>
                <textarea id="m-texte" name="texte" rows="16" class="code" spellcheck="false">{textarea_text(&d.texts_json)}</textarea>
                <button type="submit">{t.save}</button>
            </form>
        </section>
        <section aria-labelledby="codes">
            <h2 id="codes">{t.codes_heading}</h2>
            <p>{t.codes_count}" "{d.codes_total}" / "{d.codes_used}</p>
            <form method="post" action=action("codes") class="inline-form">
                <label for="m-anzahl">{t.codes_new}</label>
                <input id="m-anzahl" name="anzahl" inputmode="numeric" class="short" value="100"/>
                <button type="submit">{t.codes_submit}</button>
            </form>
        </section>
        {d.can_export.then(|| view! {
            <section aria-labelledby="export">
                <h2 id="export">{t.exports}</h2>
                <ul>
                    <li><a href=format!("/api/v1/surveys/{id}/responses.csv") rel="external">{t.export_csv}</a></li>
                    <li><a href=format!("/api/v1/surveys/{id}/codebook.csv") rel="external">{t.export_codebook}</a></li>
                    <li><a href=format!("/api/v1/surveys/{id}/responses.json") rel="external">{t.export_json}</a></li>
                </ul>
            </section>
        })}
    }
}

// ---------------------------------------------------------------------------------------------

#[component]
pub fn SurveyTextsPage() -> impl IntoView {
    let id = id_param();
    let q = use_query_map();
    let data = Resource::new(
        move || (id(), q.read().get("sprache")),
        |(id, lang)| async move {
            match id {
                Some(id) => get_survey_texts(id, lang).await,
                None => not_found(),
            }
        },
    );
    view! {
        <Suspense fallback=LoadingText>
            {move || Suspend::new(async move { loaded(data.await, |d| view! { <Texts d/> }.into_any()) })}
        </Suspense>
    }
}

/// Every text of the survey beside its German original: translating is filling one column.
#[component]
fn Texts(d: SurveyTextsData) -> impl IntoView {
    let t = ts();
    let id = d.head.id;
    let german = d.lang == "de";
    view! {
        <Title text=format!("{} ({}) – {}", t.translate_heading, d.lang_name, d.head.title)/>
        {breadcrumb(&d.head)}
        <h1>{t.translate_heading}": "{d.lang_name.clone()}</h1>
        {feedback()}
        <p><a href=format!("/umfrage/{id}/verwaltung")>{t.manage_title}</a></p>
        <form method="get" action=format!("/umfrage/{id}/texte") class="inline-form">
            <label for="t-sprache">{t.language_tag}</label>
            <input id="t-sprache" name="sprache" value=d.lang.clone() list="t-sprachen" maxlength="35" class="short"/>
            <datalist id="t-sprachen">
                {["de", "de-x-ls", "en", "tr", "ar", "ru", "uk", "pl", "fa"].into_iter().map(|l| view! { <option value=l></option> }).collect_view()}
            </datalist>
            <button type="submit">{t.language_open}</button>
        </form>
        <p class="hint">{t.translate_hint}</p>
        {(!german).then(|| {
            let total = d.rows.iter().filter(|r| !r.german.trim().is_empty()).count();
            let done = d.rows.iter().filter(|r| !r.german.trim().is_empty() && !r.value.trim().is_empty()).count();
            let state = t.translation_state.replace("{n}", &done.to_string()).replace("{m}", &total.to_string());
            view! {
                <p class="translation-state" role="status">
                    <strong>{state}</strong>" "
                    {if done == total { t.translation_complete } else { t.translation_waiting }}
                </p>
            }
        })}
        <form method="post" action=format!("/umfrage/{id}/verwaltung/texte") class="stack wide">
            <input type="hidden" name="sprache" value=d.lang.clone()/>
            {d.rows.into_iter().map(|r| {
                let field = format!("t.{}", r.key);
                let input_id = format!("t-{}", r.key.replace('.', "-"));
                let for_id = input_id.clone();
                let hint_id = format!("{input_id}-de");
                let untranslated = !german && !r.german.trim().is_empty() && r.value.trim().is_empty();
                view! {
                    <label for=for_id>
                        <code>{r.key.clone()}</code>
                        {r.required.then(|| view! { <span class="required">" *"</span> })}
                        {untranslated.then(|| view! { " "<span class="missing">{t.translation_missing}</span> })}
                    </label>
                    {(!german).then(|| view! { <p class="hint" id=hint_id.clone() lang="de">{if r.german.is_empty() { "–".to_owned() } else { r.german.clone() }}</p> })}
                    {if r.long {
                        view! {
                            <textarea id=input_id name=field rows="4" lang=d.lang.clone()
                                aria-describedby=(!german).then(|| hint_id.clone())>{textarea_text(&r.value)}</textarea>
                        }.into_any()
                    } else {
                        view! {
                            <input id=input_id name=field value=r.value.clone() lang=d.lang.clone()
                                aria-describedby=(!german).then(|| hint_id.clone())/>
                        }.into_any()
                    }}
                }
            }).collect_view()}
            <button type="submit">{t.save}</button>
        </form>
    }
}

/// The select of a condition: always, `question=option`, or one set in the JSON editor.
#[component]
fn ConditionSelect(
    id: String,
    name: &'static str,
    current: String,
    conditions: Vec<(String, String)>,
) -> impl IntoView {
    let t = ts();
    view! {
        <select id=id name=name>
            <option value="">{t.always}</option>
            {(current == "=keep").then(|| view! { <option value="=keep" selected>{t.condition_custom}</option> })}
            {conditions.into_iter().map(|(v, label)| {
                let selected = v == current;
                view! { <option value=v selected=selected>{label}</option> }
            }).collect_view()}
        </select>
    }
}

/// The builder's question form: adding one (`key` is `None`: type and section chosen here) or
/// editing one (its type stays).
#[component]
fn QuestionForm(
    prefix: String,
    action: String,
    data: QuestionFormData,
    key: Option<String>,
    conditions: Vec<(String, String)>,
    /// Sections to add to (number, title); empty when editing.
    sections: Vec<(usize, Option<String>)>,
) -> impl IntoView {
    let t = ts();
    let id = move |field: &str| format!("{prefix}-{field}");
    let adding = key.is_none();
    let last = sections.len();
    view! {
        <form method="post" action=action class="stack">
            {key.clone().map(|k| view! {
                <input type="hidden" name="frage" value=k/>
                <input type="hidden" name="art" value=data.kind.clone()/>
                <p class="hint">{t.kind_label}": "{kind_label(&data.kind)}</p>
            })}
            {adding.then(|| view! {
                <label for=id("teil")>{t.section_label}</label>
                <select id=id("teil") name="teil">
                    {sections.into_iter().map(|(number, title)| view! {
                        <option value=number.to_string() selected=number == last>
                            {number}{title.map(|x| format!(": {x}"))}
                        </option>
                    }).collect_view()}
                    <option value="">{t.new_section}</option>
                </select>
                <label for=id("neuer-teil")>{t.new_section_title}</label>
                <input id=id("neuer-teil") name="neuer_teil" maxlength="200"/>
                <label for=id("art")>{t.kind_label}</label>
                <select id=id("art") name="art">
                    {KINDS.iter().map(|k| view! { <option value=*k>{kind_label(k)}</option> }).collect_view()}
                </select>
            })}
            <label for=id("text")>{t.question_text}</label>
            <input id=id("text") name="text" required maxlength="500" value=data.text/>
            <label for=id("hilfe")>{t.question_help}</label>
            <input id=id("hilfe") name="hilfe" maxlength="500" value=data.help/>
            <label for=id("antworten")>{t.question_options}</label>
            <textarea id=id("antworten") name="antworten" rows="4">{textarea_text(&data.options)}</textarea>
            <label for=id("zeilen")>{t.question_items}</label>
            <textarea id=id("zeilen") name="zeilen" rows="3">{textarea_text(&data.items)}</textarea>
            <label for=id("min")>{t.question_min}</label>
            <input id=id("min") name="min" inputmode="decimal" class="short" value=data.min/>
            <label for=id("max")>{t.question_max}</label>
            <input id=id("max") name="max" inputmode="decimal" class="short" value=data.max/>
            <label for=id("links")>{t.question_low}</label>
            <input id=id("links") name="links" maxlength="100" value=data.low/>
            <label for=id("rechts")>{t.question_high}</label>
            <input id=id("rechts") name="rechts" maxlength="100" value=data.high/>
            <label for=id("bedingung")>{t.question_condition}</label>
            <ConditionSelect id=id("bedingung") name="bedingung" current=data.condition
                conditions=conditions/>
            <label class="check"><input type="checkbox" name="pflicht" value="1" checked=data.required/>" "{t.required}</label>
            <label class="check"><input type="checkbox" name="sonstiges" value="1" checked=data.other/>" "{t.question_other}</label>
            <button type="submit">{if adding { t.add_question } else { t.save_question }}</button>
        </form>
    }
}
