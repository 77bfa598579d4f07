//! A survey's results, group by group, through the disclosure rule.

use super::*;

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

pub(super) fn percent(share: f64) -> String {
    format!("{:.0} %", share * 100.0)
}

pub(super) fn number(x: f64) -> String {
    format!("{x:.1}").replace('.', ",")
}

pub(super) fn group_row(
    label: String,
    g: &ResultGroup,
    columns: usize,
    mean: bool,
) -> impl IntoView {
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
pub(super) fn to_indicator(q: &QuestionResultView, survey: i32) -> impl IntoView {
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

pub(super) fn question_result(
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
pub(super) fn Results(d: SurveyResultsData) -> impl IntoView {
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
