//! Answering a survey: its sections with their questions, the review, the thanks.

use super::*;

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
pub(super) fn Restart() -> impl IntoView {
    let id = id_param();
    view! {
        <Title text=ts().list_title/>
        <h1>{ts().list_title}</h1>
        <p role="alert">{message("DRAFT_MISSING")}</p>
        <p><a href=move || format!("/umfrage/{}", id().unwrap_or_default())>{ts().start}</a></p>
    }
}

pub(super) fn value_of(values: &[(String, String)], name: &str) -> Option<String> {
    values
        .iter()
        .find(|(k, _)| k == name)
        .map(|(_, v)| v.clone())
}

pub(super) fn has_value(values: &[(String, String)], name: &str, v: &str) -> bool {
    values.iter().any(|(k, x)| k == name && x == v)
}

#[component]
pub(super) fn Section(d: SurveySectionData) -> impl IntoView {
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
    let bundle: Option<String> = use_context::<crate::Assets>().map(|a| a.survey);
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
                data-messages=answer_messages(&d.head.lang)
                data-bundle=bundle
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
pub(super) fn QuestionField(
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
pub(super) fn Review(d: SurveyReviewData) -> impl IntoView {
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
    in_language(get_survey_thanks, |d| view! { <Thanks d/> })
}

#[component]
pub(super) fn Thanks(d: SurveyThanksData) -> impl IntoView {
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

/// The message of every answer check in the respondent's language, for the checks the browser
/// runs (JSON: code → text).
fn answer_messages(lang: &str) -> String {
    let all: std::collections::BTreeMap<&str, &str> = qn_domain::surveys::AnswerError::CODES
        .iter()
        .map(|c| (*c, crate::i18n::surveys::message_in(lang, c)))
        .collect();
    serde_json::to_string(&all).unwrap_or_default()
}
