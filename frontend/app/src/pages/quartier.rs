//! The page of one area (Quartier, Stadtteil, …): where it lies, what is in it, its neighbours.
//! Later modules fill the sections (indicators, offers, surveys, boards, conferences).

use crate::api::{get_area, level_geojson_url, ApiError, AreaData, AreaLink};
use crate::i18n::t;
use crate::pages::{loaded, AreaMap};
use crate::LoadingText;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;

#[component]
pub fn QuartierPage() -> impl IntoView {
    let params = use_params_map();
    let data = Resource::new(
        move || params.read().get("id").and_then(|s| s.parse::<i32>().ok()),
        |id| async move {
            match id {
                Some(id) => get_area(id).await,
                None => Ok(Err(ApiError::new("NOT_FOUND"))),
            }
        },
    );
    view! {
        <Suspense fallback=LoadingText>
            {move || Suspend::new(async move {
                loaded(data.await, |d| view! { <Quartier d/> }.into_any())
            })}
        </Suspense>
    }
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
    } = d;
    view! {
        <Title text=format!("{} ({})", area.name, tenant.name)/>
        <nav aria-label=t.breadcrumb class="breadcrumb">
            <a href=format!("/kommune/{}?ebene={}", tenant.slug, level.key)>{tenant.name.clone()}</a>
            {parent.clone().map(|p| view! { " › "<a href=format!("/quartier/{}", p.id)>{p.name}</a> })}
        </nav>
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
        />
        <section aria-labelledby="nachbarn">
            <h2 id="nachbarn">{t.area_neighbours}</h2>
            {link_list(neighbours)}
        </section>
        {(!children.is_empty()).then(|| view! {
            <section aria-labelledby="darin">
                <h2 id="darin">{t.area_children}</h2>
                {link_list(children)}
            </section>
        })}
        <section aria-labelledby="module">
            <h2 id="module">{t.area_sections_heading}</h2>
            <p>{t.area_sections_note}</p>
        </section>
        <p><a href=format!("/kommune/{}?ebene={}", tenant.slug, level.key)>{t.back_to_kommune}</a></p>
    }
}
