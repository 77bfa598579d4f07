//! The indicator and need-index maps with their table.

use super::*;
use crate::pages::page_with;

pub(super) fn map_args(q: &leptos_router::params::ParamsMap) -> MapArgs {
    MapArgs {
        level: q.get("ebene").and_then(|s| s.parse().ok()),
        date: q.get("datum").filter(|s| !s.is_empty()),
        method: q.get("methode").filter(|s| !s.is_empty()),
        classes: q.get("klassen").and_then(|s| s.parse().ok()),
        breaks: q.get("grenzen").filter(|s| !s.is_empty()),
    }
}

/// A choropleth page: of an indicator (`/indikator/:id`) or of a need index (`/sozialindex/:id`).
pub(super) fn map_page(index: bool) -> impl IntoView {
    let params = use_params_map();
    let query = use_query_map();
    page_with(
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
        |d| view! { <ChoroplethView d/> },
    )
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
pub(super) fn sorted(mut rows: Vec<MapRowData>, sort: &str) -> Vec<MapRowData> {
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
pub(super) fn ChoroplethView(d: ChoroplethData) -> impl IntoView {
    let ti = ti();
    let query = use_query_map();
    // The sort order comes from the query; the loaded data does not depend on it.
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
