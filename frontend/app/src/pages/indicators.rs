//! Indicator pages: the catalogue of a Kommune (with the planners' forms), the choropleth of an
//! indicator or need index (map, legend, sortable table, GET form with a time slider), and the
//! two-step import (upload and check, then confirm). Everything works without wasm.

use crate::api::{
    get_import_page, get_index_map, get_indicator_map, get_indicators, ApiError, ChoroplethData,
    ImportPageData, IndicatorsData, MapArgs, MapRowData,
};
use crate::i18n::{
    import_summary, index_class, index_note, indicator_kind_label, legend_range, polarity_label, t,
    ti, value_text,
};
use crate::pages::use_query_map;
use crate::pages::{feedback, loaded, textarea_text, TableWrap};
use crate::{LoadingText, Notice};
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
    let params = use_params_map();
    let data = Resource::new(
        move || params.read().get("slug").unwrap_or_default(),
        get_indicators,
    );
    view! {
        <Suspense fallback=LoadingText>
            {move || Suspend::new(async move {
                loaded(data.await, |d| view! { <Catalogue d/> }.into_any())
            })}
        </Suspense>
    }
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
                <TableWrap label=ti.catalogue_title>
                    <table class="indicator-table">
                        <caption class="sr-only">{ti.catalogue_title}</caption>
                        <thead>
                            <tr>
                                <th scope="col">{ti.col_indicator}</th>
                                <th scope="col">{ti.col_topic}</th>
                                <th scope="col">{ti.col_unit}</th>
                                <th scope="col">{ti.col_direction}</th>
                                <th scope="col">{ti.col_source}</th>
                            </tr>
                        </thead>
                        <tbody>
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
                        </tbody>
                    </table>
                </TableWrap>
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

fn map_args(q: &leptos_router::params::ParamsMap) -> MapArgs {
    MapArgs {
        level: q.get("ebene").and_then(|s| s.parse().ok()),
        date: q.get("datum").filter(|s| !s.is_empty()),
        method: q.get("methode").filter(|s| !s.is_empty()),
        classes: q.get("klassen").and_then(|s| s.parse().ok()),
        breaks: q.get("grenzen").filter(|s| !s.is_empty()),
    }
}

/// A choropleth page: of an indicator (`/indikator/:id`) or of a need index (`/sozialindex/:id`).
fn map_page(index: bool) -> impl IntoView {
    let params = use_params_map();
    let query = use_query_map();
    let data = Resource::new(
        move || {
            (
                params.read().get("id").and_then(|s| s.parse::<i32>().ok()),
                map_args(&query.read()),
            )
        },
        move |(id, args)| async move {
            match id {
                Some(id) if index => get_index_map(id, args).await,
                Some(id) => get_indicator_map(id, args).await,
                None => Ok(Err(ApiError::new("NOT_FOUND"))),
            }
        },
    );
    view! {
        <Suspense fallback=LoadingText>
            {move || Suspend::new(async move {
                loaded(data.await, |d| view! { <ChoroplethView d/> }.into_any())
            })}
        </Suspense>
    }
}

#[component]
pub fn IndicatorMapPage() -> impl IntoView {
    map_page(false)
}

#[component]
pub fn IndexMapPage() -> impl IntoView {
    map_page(true)
}

/// Sorts the table rows as the `sortierung` query asks (`name`, `wert`, `wert_ab`).
fn sorted(mut rows: Vec<MapRowData>, sort: &str) -> Vec<MapRowData> {
    let by_value = |a: &MapRowData, b: &MapRowData| match (a.value, b.value) {
        (Some(x), Some(y)) => x.total_cmp(&y),
        (Some(_), None) => std::cmp::Ordering::Less,
        (None, Some(_)) => std::cmp::Ordering::Greater,
        (None, None) => std::cmp::Ordering::Equal,
    };
    match sort {
        "wert" => rows.sort_by(by_value),
        "wert_ab" => rows.sort_by(|a, b| match (a.value, b.value) {
            (Some(x), Some(y)) => y.total_cmp(&x),
            _ => by_value(a, b),
        }),
        _ => {}
    }
    rows
}

#[component]
fn ChoroplethView(d: ChoroplethData) -> impl IntoView {
    let ti = ti();
    let query = use_query_map();
    // Reactive: after hydration, a sort link changes only the query, not the loaded data.
    let sort = Memo::new(move |_| query.read().get("sortierung").unwrap_or_default());
    let ChoroplethData {
        tenant,
        can_edit,
        title,
        unit,
        indicator,
        levels,
        level,
        dates,
        date,
        method,
        classes,
        breaks,
        legend,
        no_data,
        suppressed,
        rows,
        geojson_url,
        exports,
        high_need,
        index,
        problem,
        map,
    } = d;
    let is_index = indicator.is_none();
    // Class names for the index's own standard-deviation classes.
    let (named, class_count, own_classes) = index.as_ref().map_or((false, 0, false), |x| {
        (x.named_classes, x.class_count, x.own_classes)
    });
    let class_text = move |c: Option<usize>| {
        c.map(|c| index_class(c, class_count, named))
            .unwrap_or_default()
    };
    let heading = match &date {
        Some(d) => format!("{title} – {} ({})", level.name, german_date(d)),
        None => format!("{title} – {}", level.name),
    };
    // Links that keep the map's settings and change only the sorting.
    let keep = {
        let mut q = format!("ebene={}", level.id);
        if let Some(d) = &date {
            q.push_str(&format!("&datum={d}"));
        }
        q.push_str(&format!("&methode={method}&klassen={classes}"));
        if !breaks.is_empty() {
            q.push_str("&grenzen=");
            q.push_str(&breaks.replace(';', "%3B"));
        }
        q
    };
    let date_index = date
        .as_ref()
        .and_then(|d| dates.iter().position(|x| x == d))
        .unwrap_or(0);
    let n_dates = dates.len();
    let rows = StoredValue::new(rows);
    let aria_sort = move |col: &'static str| {
        move || -> &'static str {
            match (col, sort.get().as_str()) {
                ("name", "" | "name") => "ascending",
                ("wert", "wert") => "ascending",
                ("wert", "wert_ab") => "descending",
                _ => "none",
            }
        }
    };
    let name_href = format!("?{keep}&sortierung=name#tabelle");
    let value_href = move || {
        let next = if sort.get() == "wert" {
            "wert_ab"
        } else {
            "wert"
        };
        format!("?{keep}&sortierung={next}#tabelle")
    };
    view! {
        <Title text=format!("{title} ({})", tenant.name)/>
        <nav aria-label=t().breadcrumb class="breadcrumb">
            <a href=format!("/kommune/{}", tenant.slug)>{tenant.name.clone()}</a>
            " › "
            <a href=format!("/kommune/{}/indikatoren", tenant.slug)>{ti.catalogue_title}</a>
        </nav>
        <h1>{heading}</h1>
        {feedback(indicator_notice)}
        {problem.map(|p| view! { <Notice kind="error" text=p/> })}
        {indicator.as_ref().map(|i| view! {
            <p class="lead">
                {polarity_label(&i.polarity)}
                {(!i.source.is_empty()).then(|| format!(" · {}: {}", ti.col_source, i.source))}
            </p>
            {(!i.description.is_empty()).then(|| view! { <p>{i.description.clone()}</p> })}
        })}
        {index.as_ref().map(|x| view! { <p class="lead">{index_note(x.valid_areas, x.areas, x.high_need_from)}</p> })}
        <form method="get" class="map-form" aria-label=ti.map_settings>
            {(levels.len() > 1).then(|| view! {
                <div class="field">
                    <label for="ebene">{ti.f_level}</label>
                    <select id="ebene" name="ebene">
                        {levels.iter().map(|l| view! { <option value=l.id selected=l.id == level.id>{l.name.clone()}</option> }).collect_view()}
                    </select>
                </div>
            })}
            {(levels.len() <= 1).then(|| view! { <input type="hidden" name="ebene" value=level.id/> })}
            {(!dates.is_empty()).then(|| view! {
                <div class="field">
                    <label for="datum">{ti.f_date}</label>
                    <select id="datum" name="datum">
                        {dates.iter().map(|d| view! { <option value=d.clone() selected=Some(d) == date.as_ref()>{german_date(d)}</option> }).collect_view()}
                    </select>
                </div>
                {(n_dates > 1).then(|| view! {
                    <div class="field slider" hidden data-slider-for="datum">
                        <label for="zeit">{ti.f_time_slider}</label>
                        <input id="zeit" type="range" min="0" max=n_dates - 1 value=date_index step="1"/>
                    </div>
                })}
            })}
            <div class="field">
                <label for="methode">{ti.f_method}</label>
                <select id="methode" name="methode">
                    {is_index.then(|| view! { <option value="" selected=method.is_empty()>{ti.m_index_classes}</option> })}
                    {[("quantiles", ti.m_quantiles), ("equal_interval", ti.m_equal), ("natural_breaks", ti.m_jenks), ("std_dev", ti.m_sd), ("manual", ti.m_manual)]
                        .into_iter()
                        .map(|(v, l)| view! { <option value=v selected=method == v>{l}</option> })
                        .collect_view()}
                </select>
            </div>
            <div class="field">
                <label for="klassen">{ti.f_class_count}</label>
                <select id="klassen" name="klassen">
                    {(2..=7usize).map(|n| view! { <option value=n selected=n == classes>{n}</option> }).collect_view()}
                </select>
            </div>
            <div class="field">
                <label for="grenzen">{ti.f_breaks}</label>
                <input id="grenzen" name="grenzen" value=breaks aria-describedby="grenzen-hint"/>
                <span id="grenzen-hint" class="hint">{ti.f_breaks_hint}</span>
            </div>
            <button type="submit">{ti.f_show}</button>
        </form>
        <section class="map-section" aria-label=format!("{}: {}", t().map_label, title)>
            <div class="qn-map" data-geojson=geojson_url data-choropleth="1"
                data-tiles=map.tile_url data-attribution=map.tile_attribution></div>
            <p class="hint">{ti.map_hint}</p>
            <noscript><p>{t().map_noscript}</p></noscript>
        </section>
        <section aria-labelledby="legende" class="legend">
            <h2 id="legende">{ti.legend}{(!unit.is_empty()).then(|| format!(" ({unit})"))}</h2>
            {if legend.is_empty() {
                view! { <p>{ti.no_values}</p> }.into_any()
            } else {
                view! {
                    <ul class="legend-list">
                        {legend.into_iter().enumerate().map(|(i, e)| {
                            let range = legend_range(&e.lower, &e.upper, e.single);
                            let text = if own_classes && named { format!("{}: {range}", index_class(i, class_count, named)) } else { range };
                            view! {
                                <li><svg class="swatch" viewBox="0 0 1 1" aria-hidden="true"><rect width="1" height="1" fill=e.color.clone()/></svg>
                                    {text}" ("{e.count}" "{ti.areas_suffix}")"</li>
                            }
                        }).collect_view()}
                        {(no_data > 0).then(|| view! {
                            <li><span class="swatch swatch-no-data"></span>{ti.legend_no_data}" ("{no_data}" "{ti.areas_suffix}")"</li>
                        })}
                        {(suppressed > 0).then(|| view! {
                            <li><span class="swatch swatch-suppressed"></span>{ti.legend_suppressed}" ("{suppressed}" "{ti.areas_suffix}")"</li>
                        })}
                    </ul>
                }.into_any()
            }}
            {(suppressed > 0).then(|| view! { <p class="hint">{ti.suppressed_note}</p> })}
        </section>
        {is_index.then(|| view! {
            <section aria-labelledby="bedarf">
                <h2 id="bedarf">{ti.high_need_heading}</h2>
                {if high_need.is_empty() {
                    view! { <p>{ti.high_need_empty}</p> }.into_any()
                } else {
                    view! {
                        <ol class="high-need">
                            {high_need.into_iter().map(|r| view! {
                                <li><a href=format!("/quartier/{}", r.area.id)>{r.area.name}</a>
                                    " – "{value_text(&r.status, &r.label)}{r.class.map(|c| format!(" ({})", class_text(Some(c))))}</li>
                            }).collect_view()}
                        </ol>
                    }.into_any()
                }}
            </section>
        })}
        <section aria-labelledby="tabelle">
            <h2 id="tabelle">{ti.table_heading}</h2>
            <TableWrap label=title.clone()>
                <table class="value-table">
                    <caption class="sr-only">{title.clone()}</caption>
                    <thead>
                        <tr>
                            <th scope="col" aria-sort=aria_sort("name")>
                                <a href=name_href>{t().col_name}<span class="sr-only">{format!(", {}", ti.sort_by_name)}</span></a>
                            </th>
                            <th scope="col">{t().col_code}</th>
                            <th scope="col" aria-sort=aria_sort("wert")>
                                <a href=value_href>{ti.col_value}<span class="sr-only">{format!(", {}", ti.sort_by_value)}</span></a>
                            </th>
                            {is_index.then(|| view! {
                                <th scope="col">{ti.col_rank}</th>
                                <th scope="col">{ti.col_class}</th>
                            })}
                        </tr>
                    </thead>
                    <tbody>
                        {move || sorted(rows.get_value(), &sort.get()).into_iter().map(|r| view! {
                            <tr data-status=r.status.clone()>
                                <th scope="row"><a href=format!("/quartier/{}", r.area.id)>{r.area.name}</a></th>
                                <td>{r.area.code}</td>
                                <td class="num">{value_text(&r.status, &r.label)}</td>
                                {is_index.then(|| view! {
                                    <td class="num">{r.rank.map(|x| x.to_string()).unwrap_or_else(|| "–".into())}</td>
                                    <td>{class_text(r.class)}</td>
                                })}
                            </tr>
                        }).collect_view()}
                    </tbody>
                </table>
            </TableWrap>
        </section>
        {(!exports.is_empty()).then(|| view! {
            <section aria-labelledby="export">
                <h2 id="export">{ti.exports}</h2>
                <ul class="inline-list">
                    {exports.into_iter().map(|(label, url)| view! { <li><a href=url download="">{label}</a></li> }).collect_view()}
                </ul>
            </section>
        })}
        {indicator.filter(|_| can_edit).map(|i| view! { <EditIndicator i/> })}
        <p><a href=format!("/kommune/{}/indikatoren", tenant.slug)>{ti.back_to_catalogue}</a></p>
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
    let data = Resource::new(
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
    );
    view! {
        <Suspense fallback=LoadingText>
            {move || Suspend::new(async move {
                loaded(data.await, |d| view! { <Import d/> }.into_any())
            })}
        </Suspense>
    }
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
