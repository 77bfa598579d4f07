//! The page of one area (Quartier, Stadtteil, …): where it lies, what is in it, its neighbours.
//! The modules fill its sections (profile, boards, surveys, offers); conferences and measures
//! are still to come.

use crate::api::{get_area, level_geojson_url, ApiError, AreaData, AreaLink};
use crate::i18n::t;
use crate::pages::page_with;
use crate::pages::AreaMap;
use crate::pages::DataTable;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;

/// Offers listed on the page; the rest are one link away in the directory's search.
const OFFERS_SHOWN: usize = 8;

#[component]
pub fn QuartierPage() -> impl IntoView {
    let params = use_params_map();
    page_with(
        move || params.read().get("id").and_then(|s| s.parse::<i32>().ok()),
        |id| async move {
            match id {
                Some(id) => get_area(id).await,
                None => Ok(Err(ApiError::new("NOT_FOUND"))),
            }
        },
        |d| view! { <Quartier d/> },
    )
}

fn link_list(list: Vec<AreaLink>) -> impl IntoView {
    let t = t();
    if list.is_empty() {
        return view! { <p>{t.area_none}</p> }.into_any();
    }
    view! {
        <ul class="inline-list">
            {list.into_iter().map(|a| view! { <li><a href=format!("/quartier/{}", a.id)>{a.name}</a></li> }).collect_view()}
        </ul>
    }
    .into_any()
}

#[component]
fn Quartier(d: AreaData) -> impl IntoView {
    let t = t();
    let AreaData {
        area,
        level,
        tenant,
        parent,
        parent_level,
        children,
        neighbours,
        map,
        profile,
        strengths,
        weaknesses,
        boards,
        surveys,
        offers,
    } = d;
    let td = crate::i18n::directory::td();
    let ti = crate::i18n::ti();
    let area_id = area.id;
    let offer_count = offers.len();
    view! {
        <Title text=format!("{} ({})", area.name, tenant.name)/>
        <nav aria-label=t.breadcrumb class="breadcrumb">
            <a href=format!("/kommune/{}?ebene={}", tenant.slug, level.key)>{tenant.name.clone()}</a>
            {parent.clone().map(|p| view! { " › "<a href=format!("/quartier/{}", p.id)>{p.name}</a> })}
        </nav>
        <p class="print-only print-kicker">{ti.print_title}" · "{tenant.name.clone()}</p>
        <h1>{area.name.clone()}</h1>
        <dl class="facts">
            <dt>{t.area_level}</dt>
            <dd>{level.name.clone()}" "<span class="code">{format!("{} {}", t.number, area.code)}</span></dd>
            <dt>{t.area_parent}</dt>
            <dd>
                {match parent {
                    Some(p) => view! {
                        <a href=format!("/quartier/{}", p.id)>{p.name}</a>
                        {parent_level.map(|l| format!(" ({l})"))}
                    }.into_any(),
                    None => view! { <a href=format!("/kommune/{}", tenant.slug)>{tenant.name.clone()}</a> }.into_any(),
                }}
            </dd>
        </dl>
        <AreaMap
            geojson_url=level_geojson_url(level.id)
            label=format!("{}: {}", t.map_label, area.name)
            map=map
            highlight=area.id
            points=format!("/api/v1/areas/{area_id}/posts.geojson /api/v1/areas/{area_id}/offers.geojson")
        />
        <section class="no-print" aria-labelledby="beteiligung">
            <h2 id="beteiligung">{crate::i18n::boards::tb().boards_title}</h2>
            {if boards.is_empty() {
                view! { <p><a href=format!("/kommune/{}/beteiligung", tenant.slug)>{crate::i18n::boards::tb().boards_empty}</a></p> }.into_any()
            } else {
                view! {
                    <ul>
                        {boards.into_iter().map(|b| view! {
                            <li><a href=format!("/pinnwand/{}", b.id)>{b.title}</a>" ("{b.posts}" "{crate::i18n::boards::tb().board_posts}")"</li>
                        }).collect_view()}
                    </ul>
                }.into_any()
            }}
        </section>
        {(!surveys.is_empty()).then(|| view! {
            <section class="no-print" aria-labelledby="umfragen">
                <h2 id="umfragen">{crate::i18n::surveys::ts().list_title}</h2>
                <ul>
                    {surveys.into_iter().map(|s| view! {
                        <li><a href=format!("/umfrage/{}", s.id)>{s.title}</a>
                            {s.closes.map(|c| format!(" ({} {c})", crate::i18n::surveys::ts().until))}</li>
                    }).collect_view()}
                </ul>
            </section>
        })}
        <section class="no-print" aria-labelledby="angebote">
            <h2 id="angebote">{td.area_offers_heading}" ("{offer_count}")"</h2>
            {if offers.is_empty() {
                view! { <p>{td.area_offers_empty}</p> }.into_any()
            } else {
                view! {
                    <ul class="offer-links">
                        {offers.into_iter().take(OFFERS_SHOWN).map(|o| {
                            // Many places have one offer under their own name: say it once.
                            let actor = (o.actor != o.title).then(|| format!(" – {}", o.actor));
                            view! {
                                <li><a href=format!("/angebot/{}", o.id)>{o.title}</a>{actor}
                                    {(!o.categories.is_empty()).then(|| format!(" ({})", o.categories.join(", ")))}</li>
                            }
                        }).collect_view()}
                    </ul>
                }.into_any()
            }}
            <p><a href=format!("/kommune/{}/angebote?gebiet={area_id}", tenant.slug)>
                {if offer_count > OFFERS_SHOWN { format!("{} ({offer_count})", td.area_offers_more) } else { td.area_offers_search.to_owned() }}
            </a></p>
        </section>
        <section class="no-print" aria-labelledby="nachbarn">
            <h2 id="nachbarn">{t.area_neighbours}</h2>
            {link_list(neighbours)}
        </section>
        {(!children.is_empty()).then(|| view! {
            <section class="no-print" aria-labelledby="darin">
                <h2 id="darin">{t.area_children}</h2>
                {link_list(children)}
            </section>
        })}
        <section aria-labelledby="steckbrief" class="profile">
            <h2 id="steckbrief">{ti.profile_heading}</h2>
            {if profile.is_empty() {
                view! { <p>{ti.profile_empty}</p> }.into_any()
            } else {
                view! {
                    <p>{ti.profile_intro}</p>
                    {(!strengths.is_empty() || !weaknesses.is_empty()).then(|| view! {
                        <div class="sw">
                            {(!strengths.is_empty()).then(|| view! {
                                <div><h3>{ti.strengths}</h3><ul>{strengths.into_iter().map(|s| view! { <li>{s}</li> }).collect_view()}</ul></div>
                            })}
                            {(!weaknesses.is_empty()).then(|| view! {
                                <div><h3>{ti.weaknesses}</h3><ul>{weaknesses.into_iter().map(|s| view! { <li>{s}</li> }).collect_view()}</ul></div>
                            })}
                        </div>
                    })}
                    <DataTable label=ti.profile_heading class="profile-table" heads=vec![ti.col_indicator, ti.col_as_of, ti.col_value, ti.col_mean, ti.col_deviation, ti.col_rank, ti.col_trend]>
                                {profile.into_iter().map(|l| view! {
                                    <tr class=format!("assess-{}", l.assessment)>
                                        <th scope="row"><a href=format!("/indikator/{}", l.indicator_id)>{l.name}</a></th>
                                        <td>{l.date}</td>
                                        <td class="num">{crate::i18n::value_text(&l.status, &l.value)}</td>
                                        <td class="num">{l.mean}</td>
                                        <td class="num">{l.deviation}</td>
                                        <td class="num">{l.rank}</td>
                                        <td class="num">{l.trend}</td>
                                    </tr>
                                }).collect_view()}
                    </DataTable>
                    <p class="actions">
                        <a href=format!("/api/v1/areas/{area_id}/profile.csv") download="">{ti.profile_csv}</a>
                        " "
                        <button type="button" class="secondary" data-print hidden>{ti.print}</button>
                    </p>
                    <p class="print-only source-line">
                        {ti.print_source.replace("{kommune}", &tenant.name).replace("{ebene}", &level.name)}
                        " "{ti.printed_on}" "<span data-print-date></span>
                    </p>
                }.into_any()
            }}
        </section>
        <p class="no-print"><a href=format!("/kommune/{}?ebene={}", tenant.slug, level.key)>{t.back_to_kommune}</a></p>
    }
}
