//! A Kommune (or Kreis): its areas at a chosen level on a map and as a table.

use crate::api::{get_kommune, level_geojson_url, KommuneData};
use crate::i18n::{kind_label, t};
use crate::pages::page_with;
use crate::pages::use_query_map;
use crate::pages::{AreaMap, TableWrap};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;

#[component]
pub fn KommunePage() -> impl IntoView {
    let params = use_params_map();
    let query = use_query_map();
    page_with(
        move || {
            (
                params.read().get("slug").unwrap_or_default(),
                query.read().get("ebene"),
            )
        },
        |(slug, level)| get_kommune(slug, level),
        |d| view! { <Kommune d/> },
    )
}

#[component]
fn Kommune(d: KommuneData) -> impl IntoView {
    let t = t();
    let KommuneData {
        tenant,
        parent,
        children,
        levels,
        level,
        areas,
        map,
        administer,
    } = d;
    let title = tenant.name.clone();
    let has_parent_col = areas.iter().any(|a| a.parent.is_some());
    view! {
        <Title text=title.clone()/>
        <h1>{title}</h1>
        <p class="kind">
            {kind_label(&tenant.kind)}
            {parent.map(|p| view! { ", "{t.part_of}" "<a href=format!("/kommune/{}", p.slug)>{p.name}</a> })}
        </p>
        <p>
            <a href=format!("/kommune/{}/indikatoren", tenant.slug) class="button-link">{crate::i18n::ti().nav_indicators}</a>
            " "
            <a href=format!("/kommune/{}/beteiligung", tenant.slug) class="button-link">{crate::i18n::boards::tb().nav_boards}</a>
            " "
            <a href=format!("/kommune/{}/umfragen", tenant.slug) class="button-link">{crate::i18n::surveys::ts().nav_surveys}</a>
            " "
            <a href=format!("/kommune/{}/angebote", tenant.slug) class="button-link">{crate::i18n::directory::td().nav_directory}</a>
            {administer.then(|| view! {
                " "<a href=format!("/kommune/{}/verwaltung", tenant.slug) class="button-link">{crate::i18n::members::tm().nav}</a>
            })}
        </p>
        {
            let td = crate::i18n::directory::td();
            view! {
                <p class="find-area">
                    <button type="button" class="secondary" hidden data-find-area=tenant.slug.clone() data-status="gebiet-status"
                        data-wait=td.find_area_wait data-outside=td.find_area_outside data-denied=td.find_area_denied
                        data-failed=td.find_area_failed>{td.find_area}</button>
                    " "<span id="gebiet-status" role="status"></span>
                </p>
            }
        }
        {(!children.is_empty()).then(|| view! {
            <nav aria-label=t.kommunen_im_kreis>
                <h2>{t.kommunen_im_kreis}</h2>
                <ul class="inline-list">
                    {children.into_iter().map(|c| view! { <li><a href=format!("/kommune/{}", c.slug)>{c.name}</a></li> }).collect_view()}
                </ul>
            </nav>
        })}
        {match level {
            None => view! { <p>{t.no_levels}</p> }.into_any(),
            Some(level) => {
                let selected = level.key.clone();
                let count = areas.len();
                view! {
                    <form method="get" class="level-form">
                        <label for="ebene">{t.level_label}</label>
                        <select id="ebene" name="ebene">
                            {levels.into_iter().map(|l| {
                                let is_selected = l.key == selected;
                                view! { <option value=l.key selected=is_selected>{l.name}</option> }
                            }).collect_view()}
                        </select>
                        <button type="submit">{t.level_submit}</button>
                    </form>
                    <h2 id="gebiete">{level.name.clone()}" ("{count}" "{t.count_areas}")"</h2>
                    <AreaMap
                        geojson_url=level_geojson_url(level.id)
                        label=format!("{}: {}", t.map_label, level.name)
                        map=map
                    />
                    <h2 id="liste">{t.list_heading}</h2>
                    <TableWrap label=level.name.clone()>
                        <table class="area-table">
                            <caption class="sr-only">{level.name.clone()}</caption>
                            <thead>
                                <tr>
                                    <th scope="col">{t.col_name}</th>
                                    <th scope="col">{t.col_code}</th>
                                    {has_parent_col.then(|| view! { <th scope="col">{t.col_parent}</th> })}
                                </tr>
                            </thead>
                            <tbody>
                                {areas.into_iter().map(|row| view! {
                                    <tr>
                                        <th scope="row"><a href=format!("/quartier/{}", row.area.id)>{row.area.name}</a></th>
                                        <td>{row.area.code}</td>
                                        {has_parent_col.then(|| view! {
                                            <td>{row.parent.map(|p| view! { <a href=format!("/quartier/{}", p.id)>{p.name}</a> })}</td>
                                        })}
                                    </tr>
                                }).collect_view()}
                            </tbody>
                        </table>
                    </TableWrap>
                }.into_any()
            }
        }}
    }
}
