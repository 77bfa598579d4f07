//! Indicator pages: the catalogue of a Kommune (with the planners' forms), the choropleth of an
//! indicator or need index (map, legend, sortable table, GET form with a time slider), and the
//! two-step import (upload and check, then confirm). Everything works without wasm.

mod maps;
pub use maps::*;

use crate::api::{
    get_import_page, get_index_map, get_indicator_map, get_indicators, ApiError, ChoroplethData,
    ImportPageData, IndicatorsData, MapArgs, MapRowData,
};
use crate::i18n::{
    import_summary, index_class, index_note, indicator_kind_label, legend_range, polarity_label, t,
    ti, value_text,
};
use crate::pages::use_query_map;
use crate::pages::DataTable;
use crate::pages::{by_slug, page_with};
use crate::pages::{feedback, textarea_text, TableWrap};
use crate::Notice;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;

fn indicator_notice(code: &str) -> Option<&'static str> {
    let ti = ti();
    Some(match code {
        "importiert" => ti.imported,
        "angelegt" => ti.created,
        "geaendert" => ti.changed,
        "geloescht" => ti.deleted,
        "gespeichert" => ti.saved,
        "aus-umfrage" => ti.from_survey,
        _ => return None,
    })
}

#[component]
pub fn IndicatorsPage() -> impl IntoView {
    by_slug(get_indicators, |d| view! { <Catalogue d/> })
}

#[component]
fn Catalogue(d: IndicatorsData) -> impl IntoView {
    let ti = ti();
    let IndicatorsData {
        tenant,
        can_edit,
        indicators,
        indices,
        levels,
    } = d;
    let title = format!("{}: {}", ti.catalogue_title, tenant.name);
    let slug = tenant.slug.clone();
    let planner = can_edit.then(|| {
        view! { <PlannerForms slug=slug.clone() indicators=indicators.clone() levels=levels.clone()/> }
    });
    view! {
        <Title text=title.clone()/>
        <nav aria-label=t().breadcrumb class="breadcrumb">
            <a href=format!("/kommune/{}", tenant.slug)>{tenant.name.clone()}</a>
        </nav>
        <h1>{title}</h1>
        {feedback(indicator_notice)}
        <p class="lead">{ti.catalogue_intro}</p>
        {if indicators.is_empty() {
            view! { <p>{ti.catalogue_empty}</p> }.into_any()
        } else {
            view! {
                <DataTable label=ti.catalogue_title class="indicator-table" heads=vec![ti.col_indicator, ti.col_topic, ti.col_unit, ti.col_direction, ti.col_source]>
                            {indicators.into_iter().map(|i| view! {
                                <tr>
                                    <th scope="row">
                                        <a href=format!("/indikator/{}", i.id)>{i.name}</a>
                                        {i.derived.then(|| view! { " "<span class="tag">{ti.derived}</span> })}
                                    </th>
                                    <td>{i.topic}</td>
                                    <td>{if i.unit.is_empty() { indicator_kind_label(&i.kind).to_owned() } else { i.unit }}</td>
                                    <td>{polarity_label(&i.polarity)}</td>
                                    <td>{i.source}</td>
                                </tr>
                            }).collect_view()}
                </DataTable>
            }.into_any()
        }}
        <h2 id="sozialindizes">{ti.indices_heading}</h2>
        {if indices.is_empty() {
            view! { <p>{ti.indices_empty}</p> }.into_any()
        } else {
            view! {
                <ul>
                    {indices.into_iter().map(|x| view! {
                        <li><a href=format!("/sozialindex/{}", x.id)>{x.name}</a>" ("{x.level}")"</li>
                    }).collect_view()}
                </ul>
            }.into_any()
        }}
        {planner}
    }
}

#[component]
fn PlannerForms(
    slug: String,
    indicators: Vec<crate::api::IndicatorSummary>,
    levels: Vec<crate::api::LevelSummary>,
) -> impl IntoView {
    let ti = ti();
    let has_indicators = !indicators.is_empty();
    let polarity_options = move || {
        view! {
            <option value="high_is_bad">{ti.high_is_bad}</option>
            <option value="high_is_good">{ti.high_is_good}</option>
            <option value="neutral">{ti.neutral}</option>
        }
    };
    view! {
        <section aria-labelledby="planung" class="planner">
            <h2 id="planung">{ti.planner_heading}</h2>
            <p><a href=format!("/kommune/{slug}/indikatoren/import")>{ti.import_link}</a></p>
            {view! {
            <details>
                <summary>{ti.new_indicator}</summary>
                <form method="post" action=format!("/kommune/{slug}/indikatoren/neu") class="stack">
                    <label for="ind-name">{ti.f_name}</label>
                    <input id="ind-name" name="name" required maxlength="200"/>
                    <label for="ind-key">{ti.f_key}</label>
                    <input id="ind-key" name="key" required pattern="[a-z0-9_\\-]{1,64}" aria-describedby="ind-key-hint"/>
                    <p id="ind-key-hint" class="hint">{ti.f_key_hint}</p>
                    <label for="ind-topic">{ti.f_topic}</label>
                    <input id="ind-topic" name="topic" maxlength="200"/>
                    <label for="ind-kind">{ti.f_kind}</label>
                    <select id="ind-kind" name="kind">
                        <option value="share">{ti.kind_share}</option>
                        <option value="count">{ti.kind_count}</option>
                        <option value="rate">{ti.kind_rate}</option>
                        <option value="index">{ti.kind_index}</option>
                    </select>
                    <label for="ind-unit">{ti.f_unit}</label>
                    <input id="ind-unit" name="unit" maxlength="200"/>
                    <label for="ind-abbr">{ti.f_abbreviation}</label>
                    <input id="ind-abbr" name="abbreviation" maxlength="200"/>
                    <label for="ind-polarity">{ti.f_polarity}</label>
                    <select id="ind-polarity" name="polarity">{polarity_options()}</select>
                    <label for="ind-precision">{ti.f_precision}</label>
                    <input id="ind-precision" name="precision" type="number" min="0" max="6" value="1"/>
                    <label for="ind-min">{ti.f_min_count}</label>
                    <input id="ind-min" name="min_count" type="number" min="0" max="1000" value="3" aria-describedby="ind-min-hint"/>
                    <p id="ind-min-hint" class="hint">{ti.f_min_count_hint}</p>
                    <label for="ind-source">{ti.f_source}</label>
                    <input id="ind-source" name="source" maxlength="200"/>
                    <label for="ind-desc">{ti.f_description}</label>
                    <textarea id="ind-desc" name="description" rows="3" maxlength="10000"></textarea>
                    <label for="ind-vis">{ti.f_visibility}</label>
                    <select id="ind-vis" name="visibility">
                        <option value="public">{ti.vis_public}</option>
                        <option value="tenant">{ti.vis_tenant}</option>
                    </select>
                    <button type="submit">{ti.f_create}</button>
                </form>
            </details>
            }.into_any()}
            {(has_indicators && !levels.is_empty()).then(|| view! {
                <details>
                    <summary>{ti.new_index}</summary>
                    <form method="post" action=format!("/kommune/{slug}/sozialindex") class="stack">
                        <p class="hint">{ti.new_index_intro}</p>
                        <label for="idx-name">{ti.f_name}</label>
                        <input id="idx-name" name="name" required maxlength="200"/>
                        <label for="idx-key">{ti.f_key}</label>
                        <input id="idx-key" name="key" required pattern="[a-z0-9_\\-]{1,64}"/>
                        <label for="idx-level">{ti.f_level}</label>
                        <select id="idx-level" name="ebene">
                            {levels.iter().rev().map(|l| view! { <option value=l.id>{l.name.clone()}</option> }).collect_view()}
                        </select>
                        <fieldset>
                            <legend>{ti.catalogue_title}</legend>
                            <table class="index-components">
                                <thead><tr>
                                    <th scope="col">{ti.col_indicator}</th>
                                    <th scope="col">{ti.f_weight}</th>
                                    <th scope="col">{ti.f_polarity}</th>
                                </tr></thead>
                                <tbody>
                                {indicators.iter().map(|i| {
                                    let w = format!("idx-w-{}", i.id);
                                    let p = format!("idx-p-{}", i.id);
                                    let pol = i.polarity.clone();
                                    view! {
                                        <tr>
                                            <th scope="row">{i.name.clone()}</th>
                                            <td>
                                                <label for=w.clone() class="sr-only">{format!("{}: {}", ti.f_weight, i.name)}</label>
                                                <input id=w name=format!("gewicht_{}", i.id) inputmode="decimal" size="4"/>
                                            </td>
                                            <td>
                                                <label for=p.clone() class="sr-only">{format!("{}: {}", ti.f_polarity, i.name)}</label>
                                                <select id=p name=format!("richtung_{}", i.id)>
                                                    <option value="high_is_bad" selected=pol == "high_is_bad">{ti.high_is_bad}</option>
                                                    <option value="high_is_good" selected=pol == "high_is_good">{ti.high_is_good}</option>
                                                </select>
                                            </td>
                                        </tr>
                                    }
                                }).collect_view()}
                                </tbody>
                            </table>
                        </fieldset>
                        <label for="idx-norm">{ti.f_normalisation}</label>
                        <select id="idx-norm" name="normalisation">
                            <option value="z_score">{ti.norm_z}</option>
                            <option value="deviation_from_mean">{ti.norm_dev}</option>
                            <option value="rank_min_max">{ti.norm_rank}</option>
                        </select>
                        <label for="idx-comb">{ti.f_combination}</label>
                        <select id="idx-comb" name="combination">
                            <option value="weighted_sum">{ti.comb_sum}</option>
                            <option value="weighted_mean">{ti.comb_mean}</option>
                        </select>
                        <label class="check"><input type="checkbox" name="restandardise" value="1"/>" "{ti.f_restandardise}</label>
                        <label for="idx-classes">{ti.f_classes}</label>
                        <select id="idx-classes" name="klassen">
                            <option value="sd">{ti.classes_sd}</option>
                            <option value="q4">{ti.classes_q4}</option>
                            <option value="q5">{ti.classes_q5}</option>
                        </select>
                        <label for="idx-pop">{ti.f_population}</label>
                        <select id="idx-pop" name="einwohner">
                            <option value="">{ti.f_population_none}</option>
                            {indicators.iter().filter(|i| i.kind == "count").map(|i| view! { <option value=i.id>{i.name.clone()}</option> }).collect_view()}
                        </select>
                        <label for="idx-minpop">{ti.f_min_population}</label>
                        <input id="idx-minpop" name="min_einwohner" inputmode="numeric"/>
                        <label for="idx-excl">{ti.f_excluded}</label>
                        <input id="idx-excl" name="ausschluss" aria-describedby="idx-excl-hint"/>
                        <p id="idx-excl-hint" class="hint">{ti.f_excluded_hint}</p>
                        <label for="idx-vis">{ti.f_visibility}</label>
                        <select id="idx-vis" name="visibility">
                            <option value="tenant">{ti.vis_tenant}</option>
                            <option value="public">{ti.vis_public}</option>
                        </select>
                        <button type="submit">{ti.f_save_index}</button>
                    </form>
                </details>
            }.into_any())}
        </section>
    }
}

/// The catalogue entry as a form, for planners on the indicator's page.
#[component]
fn EditIndicator(i: crate::api::IndicatorSummary) -> impl IntoView {
    let ti = ti();
    let id = i.id;
    let selected = |a: &str, b: &str| a == b;
    view! {
        <section aria-labelledby="katalog" class="planner">
            <h2 id="katalog">{ti.edit_heading}</h2>
            <details>
                <summary>{ti.edit_summary}</summary>
                <form method="post" action=format!("/indikator/{id}/bearbeiten") class="stack">
                    <label for="ed-name">{ti.f_name}</label>
                    <input id="ed-name" name="name" required maxlength="200" value=i.name.clone()/>
                    <label for="ed-topic">{ti.f_topic}</label>
                    <input id="ed-topic" name="topic" maxlength="200" value=i.topic.clone()/>
                    <label for="ed-kind">{ti.f_kind}</label>
                    <select id="ed-kind" name="kind">
                        {[("share", ti.kind_share), ("count", ti.kind_count), ("rate", ti.kind_rate), ("index", ti.kind_index)]
                            .into_iter()
                            .map(|(v, l)| view! { <option value=v selected=selected(&i.kind, v)>{l}</option> })
                            .collect_view()}
                    </select>
                    <label for="ed-unit">{ti.f_unit}</label>
                    <input id="ed-unit" name="unit" maxlength="200" value=i.unit.clone()/>
                    <label for="ed-abbr">{ti.f_abbreviation}</label>
                    <input id="ed-abbr" name="abbreviation" maxlength="200" value=i.abbreviation.clone()/>
                    <label for="ed-polarity">{ti.f_polarity}</label>
                    <select id="ed-polarity" name="polarity">
                        {[("high_is_bad", ti.high_is_bad), ("high_is_good", ti.high_is_good), ("neutral", ti.neutral)]
                            .into_iter()
                            .map(|(v, l)| view! { <option value=v selected=selected(&i.polarity, v)>{l}</option> })
                            .collect_view()}
                    </select>
                    <label for="ed-precision">{ti.f_precision}</label>
                    <input id="ed-precision" name="precision" type="number" min="0" max="6" value=i.precision/>
                    <label for="ed-min">{ti.f_min_count}</label>
                    <input id="ed-min" name="min_count" type="number" min="0" max="1000" value=i.min_count aria-describedby="ed-min-hint"/>
                    <p id="ed-min-hint" class="hint">{ti.f_min_count_hint}</p>
                    <label for="ed-source">{ti.f_source}</label>
                    <input id="ed-source" name="source" maxlength="200" value=i.source.clone()/>
                    <label for="ed-desc">{ti.f_description}</label>
                    <textarea id="ed-desc" name="description" rows="3" maxlength="10000">{textarea_text(&i.description)}</textarea>
                    <label for="ed-vis">{ti.f_visibility}</label>
                    <select id="ed-vis" name="visibility">
                        {[("public", ti.vis_public), ("tenant", ti.vis_tenant), ("shared", ti.vis_shared)]
                            .into_iter()
                            // "Shared" only for an entry that is shared (its partners are kept).
                            .filter(|(v, _)| *v != "shared" || i.visibility == "shared")
                            .map(|(v, l)| view! { <option value=v selected=selected(&i.visibility, v)>{l}</option> })
                            .collect_view()}
                    </select>
                    <button type="submit">{ti.f_save}</button>
                </form>
                <form method="post" action=format!("/indikator/{id}/loeschen")>
                    <button type="submit" class="danger">{ti.delete}</button>
                </form>
            </details>
        </section>
    }
    .into_any()
}

/// `2012-12-31` → `31.12.2012`.
pub fn german_date(iso: &str) -> String {
    let mut parts = iso.splitn(3, '-');
    match (parts.next(), parts.next(), parts.next()) {
        (Some(y), Some(m), Some(d)) => format!("{d}.{m}.{y}"),
        _ => iso.to_owned(),
    }
}

#[component]
pub fn ImportPage() -> impl IntoView {
    let params = use_params_map();
    let query = use_query_map();
    page_with(
        move || {
            (
                params.read().get("slug").unwrap_or_default(),
                query
                    .read()
                    .get("entwurf")
                    .and_then(|s| s.parse::<i32>().ok()),
            )
        },
        |(slug, draft)| get_import_page(slug, draft),
        |d| view! { <Import d/> },
    )
}

#[component]
fn Import(d: ImportPageData) -> impl IntoView {
    let ti = ti();
    let ImportPageData {
        tenant,
        indicators,
        levels,
        draft,
    } = d;
    let slug = tenant.slug.clone();
    view! {
        <Title text=ti.import_title/>
        <nav aria-label=t().breadcrumb class="breadcrumb">
            <a href=format!("/kommune/{}", tenant.slug)>{tenant.name.clone()}</a>
            " › "
            <a href=format!("/kommune/{}/indikatoren", tenant.slug)>{ti.catalogue_title}</a>
        </nav>
        <h1>{ti.import_title}</h1>
        {feedback(indicator_notice)}
        {draft.map(|d| {
            let ok = d.problems.is_empty();
            view! {
                <section aria-labelledby="pruefung" class="draft">
                    {if ok {
                        view! {
                            <h2 id="pruefung">{ti.preview_heading}": "{d.indicator.clone()}" – "{d.level.clone()}</h2>
                            <p role="status">{ti.preview_summary}" "
                                {import_summary(d.rows, d.areas, &d.dates.join(", "), d.created, d.replaced, d.no_data, &d.format, &d.encoding)}
                            </p>
                            <TableWrap label=ti.preview_heading>
                                <table>
                                    <thead><tr>
                                        <th scope="col">{ti.col_line}</th>
                                        <th scope="col">{ti.col_area}</th>
                                        <th scope="col">{ti.col_date}</th>
                                        <th scope="col">{ti.col_value}</th>
                                    </tr></thead>
                                    <tbody>
                                        {d.preview.into_iter().map(|p| view! {
                                            <tr><td class="num">{p.line}</td><td>{p.area}</td><td>{p.date}</td><td class="num">{p.value.unwrap_or_else(|| value_text("no_data", ""))}</td></tr>
                                        }).collect_view()}
                                    </tbody>
                                </table>
                            </TableWrap>
                            <form method="post" action=format!("/kommune/{}/indikatoren/import/{}", slug, d.id)>
                                <button type="submit">{ti.apply}</button>
                            </form>
                        }.into_any()
                    } else {
                        view! {
                            <h2 id="pruefung">{ti.problems_heading}</h2>
                            <p role="alert">{ti.problems_intro}</p>
                            <TableWrap label=ti.problems_heading>
                                <table class="problems">
                                    <thead><tr>
                                        <th scope="col">{ti.col_line}</th>
                                        <th scope="col">{ti.col_problem}</th>
                                    </tr></thead>
                                    <tbody>
                                        {d.problems.into_iter().map(|p| view! {
                                            <tr data-code=p.code.clone()>
                                                <td class="num">{p.line.map(|l| l.to_string()).unwrap_or_else(|| "–".into())}</td>
                                                <td>{p.message}" "<span class="code">{format!("({})", p.code)}</span></td>
                                            </tr>
                                        }).collect_view()}
                                    </tbody>
                                </table>
                            </TableWrap>
                        }.into_any()
                    }}
                </section>
            }
        })}
        <p>{ti.import_intro}</p>
        <form method="post" enctype="multipart/form-data" action=format!("/kommune/{}/indikatoren/import", tenant.slug) class="stack">
            <label for="imp-ind">{ti.f_indicator}</label>
            <select id="imp-ind" name="indikator" required>
                {indicators.into_iter().map(|i| view! { <option value=i.id>{i.name}</option> }).collect_view()}
            </select>
            <label for="imp-level">{ti.f_level}</label>
            <select id="imp-level" name="ebene" required>
                {levels.into_iter().rev().map(|l| view! { <option value=l.id>{l.name}</option> }).collect_view()}
            </select>
            <label for="imp-format">{ti.f_format}</label>
            <select id="imp-format" name="format">
                <option value="auto">{ti.fmt_auto}</option>
                <option value="csv">{ti.fmt_csv}</option>
                <option value="kommonitor">{ti.fmt_kommonitor}</option>
                <option value="geojson">{ti.fmt_geojson}</option>
            </select>
            <label for="imp-layout">{ti.f_layout}</label>
            <select id="imp-layout" name="layout">
                <option value="auto">{ti.layout_auto}</option>
                <option value="long">{ti.layout_long}</option>
                <option value="wide">{ti.layout_wide}</option>
            </select>
            <label for="imp-file">{ti.f_file}</label>
            <input id="imp-file" name="datei" type="file" required accept=".csv,.txt,.json,.geojson,text/csv,application/json"/>
            <button type="submit">{ti.f_check}</button>
        </form>
    }
}
