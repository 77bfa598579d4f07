//! Managing a survey: status, codes, questions, texts per language.

use super::*;

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
pub(super) fn Manage(d: SurveyManageData) -> impl IntoView {
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
    in_language(get_survey_texts, |d| view! { <Texts d/> })
}

/// Every text of the survey beside its German original: translating is filling one column.
#[component]
pub(super) fn Texts(d: SurveyTextsData) -> impl IntoView {
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
pub(super) fn ConditionSelect(
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
pub(super) fn QuestionForm(
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
