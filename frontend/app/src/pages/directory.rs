//! The directory pages: search with filters, list and map; an offer's and an actor's page (with
//! schema.org JSON-LD); the providers' self-service forms; the moderators' queue; the planners'
//! import. Everything is a plain GET or POST form: it works before (or without) the wasm.

mod entry_pages;
mod forms;
mod staff;
pub use entry_pages::*;
pub use forms::*;
pub use staff::*;

use crate::api::{
    get_actor_form, get_actor_page, get_categories_page, get_directory_import_page, get_offer_form,
    get_offer_page, get_offer_search, get_provider_page, get_review_page, level_geojson_url,
    ActorFormData, ActorInput, ActorPageData, AreaLink, CategoriesData, DirectoryImportData,
    MapConfig, OfferCard, OfferFormData, OfferInput, OfferPageData, OfferSearchArgs,
    OfferSearchData, ProviderData, ReviewData,
};
use crate::i18n::directory::td;
use crate::i18n::t;
use crate::pages::page_with;
use crate::pages::use_query_map;
use crate::pages::{address_finder, feedback, loaded, page_number, textarea_text, TableWrap};
use crate::LoadingText;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;
use leptos_router::params::ParamsMap;
use qn_domain::directory::taxonomy;

fn notice(code: &str) -> Option<&'static str> {
    let d = td();
    Some(match code {
        "gespeichert" => d.notice_saved,
        "wartet" => d.notice_waiting,
        "bestaetigt" => d.notice_confirmed,
        "geloescht" => d.notice_deleted,
        "freigegeben" => d.notice_approved,
        "abgelehnt" => d.notice_rejected,
        "importiert" => d.import_done,
        "kategorien" => d.notice_categories,
        _ => return None,
    })
}

fn args_of(q: &ParamsMap) -> OfferSearchArgs {
    let all = |k: &str| {
        q.get_all(k)
            .unwrap_or_default()
            .into_iter()
            .filter(|v| !v.is_empty())
            .collect()
    };
    let num = |k: &str| {
        q.get(k)
            .and_then(|v| v.replace(',', ".").parse::<f64>().ok())
    };
    OfferSearchArgs {
        q: q.get("q"),
        kategorie: all("kategorie"),
        zielgruppe: all("zielgruppe"),
        sprache: all("sprache"),
        kosten: all("kosten"),
        tag: all("tag"),
        gebiet: q.get("gebiet").and_then(|v| v.parse().ok()),
        sortierung: q.get("sortierung").filter(|s| !s.is_empty()),
        seite: q.get("seite").and_then(|v| v.parse().ok()),
        lon: num("lon"),
        lat: num("lat"),
        umkreis: q.get("umkreis").and_then(|v| v.parse().ok()),
    }
}

fn id_param(name: &'static str) -> impl Fn() -> Option<i32> {
    let params = use_params_map();
    move || params.read().get(name).and_then(|s| s.parse::<i32>().ok())
}

/// Status badges of an entry (shown to its providers and the moderation).
fn badges(status: &str, change_pending: bool, stale: bool) -> impl IntoView {
    let d = td();
    view! {
        {(status == "pending").then(|| view! { <span class="badge badge-held">{d.pending_badge}</span> })}
        {(status == "rejected").then(|| view! { <span class="badge badge-hidden">{d.rejected_badge}</span> })}
        {change_pending.then(|| view! { <span class="badge badge-held">{d.change_badge}</span> })}
        {stale.then(|| view! { <span class="badge">{d.stale_badge}</span> })}
    }
}

fn offer_list(cards: Vec<OfferCard>, with_status: bool) -> impl IntoView {
    let d = td();
    view! {
        <ol class="cards offer-list">
            {cards.into_iter().map(|c| view! {
                <li class="card">
                    <h3><a href=format!("/angebot/{}", c.id)>{c.title}</a></h3>
                    <p class="meta">{d.by}" "<a href=format!("/akteur/{}", c.actor_id)>{c.actor}</a>
                        {c.distance.map(|x| format!(" · {x}"))}</p>
                    <p class="meta">{c.categories.join(", ")}{(!c.cost.is_empty()).then(|| format!(" · {}", c.cost))}</p>
                    {(!c.times.is_empty()).then(|| view! { <p class="meta">{c.times}</p> })}
                    {with_status.then(|| badges(&c.status, c.change_pending, c.stale))}
                </li>
            }).collect_view()}
        </ol>
    }
}

#[component]
pub fn OfferSearchPage() -> impl IntoView {
    let params = use_params_map();
    let query = use_query_map();
    page_with(
        move || {
            (
                params.read().get("slug").unwrap_or_default(),
                args_of(&query.read()),
            )
        },
        |(slug, args)| get_offer_search(slug, args),
        |d| view! { <Search d/> },
    )
}

/// Kommunen to choose from, for the header's "Angebote" link.
#[component]
pub fn DirectoryStartPage() -> impl IntoView {
    let td = td();
    let tenants = Resource::new(|| (), |_| crate::api::get_tenants());
    view! {
        <Title text=td.start_title/>
        <h1>{td.start_title}</h1>
        <p class="lead">{td.start_intro}</p>
        <Suspense fallback=LoadingText>
            {move || Suspend::new(async move {
                loaded(tenants.await, |list| view! {
                    <ul class="tenant-list">
                        {list.into_iter().map(|k| view! {
                            <li><a href=format!("/kommune/{}/angebote", k.slug)>{k.name}</a></li>
                        }).collect_view()}
                    </ul>
                }.into_any())
            })}
        </Suspense>
    }
}

#[component]
fn Search(d: OfferSearchData) -> impl IntoView {
    let td = td();
    let OfferSearchData {
        tenant,
        args,
        hits,
        total,
        page,
        pages,
        facets,
        areas,
        degraded,
        map,
        level_id,
        points_url,
        can_moderate,
        can_import,
    } = d;
    let base = format!("/kommune/{}/angebote", tenant.slug);
    let page_link = |p: u64| format!("{base}?{}", args.query_string(Some(p)));
    let prev = (page > 1).then(|| page_link(page - 1));
    let next = (page < pages).then(|| page_link(page + 1));
    let near = args.lon.is_some() && args.lat.is_some();
    let active_count = args.kategorie.len()
        + args.zielgruppe.len()
        + args.sprache.len()
        + args.kosten.len()
        + args.tag.len()
        + usize::from(args.gebiet.is_some())
        + usize::from(near);
    let filters_active = active_count > 0;
    view! {
        <Title text=format!("{} – {}", td.search_title, tenant.name)/>
        <nav aria-label=t().breadcrumb class="breadcrumb">
            <a href=format!("/kommune/{}", tenant.slug)>{tenant.name.clone()}</a>
        </nav>
        <h1>{td.search_title}</h1>
        {feedback(notice)}
        <p class="lead">{td.search_intro}</p>
        <p class="actions">
            <a href=format!("/kommune/{}/anbieten", tenant.slug)>{td.provider_link}</a>
            {can_moderate.then(|| view! { " · "<a href=format!("/kommune/{}/angebote/pruefen", tenant.slug)>{td.review_link}</a> })}
            {can_import.then(|| view! {
                " · "<a href=format!("/kommune/{}/angebote/import", tenant.slug)>{td.import_link}</a>
                " · "<a href=format!("/kommune/{}/angebote/kategorien", tenant.slug)>{td.categories_link}</a>
                " · "<a href=format!("/kommune/{}/angebote/adressen", tenant.slug)>{td.addresses_link}</a>
            })}
        </p>
        <form method="get" action=base.clone() class="search-form" role="search">
            <div class="search-row">
                <label for="suche">{td.search_label}</label>
                <input id="suche" name="q" type="search" value=args.q.clone().unwrap_or_default()
                    placeholder=td.search_hint aria-describedby="suche-hinweis"/>
                <span id="suche-hinweis" class="sr-only">{td.search_hint}</span>
                <button type="submit">{td.search_button}</button>
            </div>
            // Closed on phones unless a filter is set, so the results come first; qn.js opens it
            // on wide screens.
            <details class="filters" open=filters_active data-open-wide>
                <summary>{td.filters}{(active_count > 0).then(|| format!(" ({active_count})"))}</summary>
                {facets.into_iter().filter(|g| !g.options.is_empty()).map(|g| view! {
                    <fieldset class="facet">
                        <legend>{g.label}</legend>
                        {g.options.into_iter().map(|o| {
                            let id = format!("f-{}-{}", g.name, o.value);
                            view! {
                                <div class="check">
                                    <input type="checkbox" id=id.clone() name=g.name.clone() value=o.value checked=o.checked/>
                                    <label for=id>{o.label}" "<span class="count">"("{o.count}")"</span></label>
                                </div>
                            }
                        }).collect_view()}
                    </fieldset>
                }).collect_view()}
                <label for="gebiet">{td.area_label}</label>
                <select id="gebiet" name="gebiet">
                    <option value="">{td.area_all}</option>
                    {areas.into_iter().map(|(level, a)| {
                        let selected = args.gebiet == Some(a.id);
                        view! { <option value=a.id.to_string() selected=selected>{format!("{} ({level})", a.name)}</option> }
                    }).collect_view()}
                </select>
                <fieldset class="near" data-near>
                    <legend>{td.near_label}</legend>
                    <p class="hint">{td.near_hint}</p>
                    <button type="button" class="secondary" data-locate hidden>{td.near_me}</button>
                    <label for="near-lat">{td.lat}</label>
                    <input id="near-lat" name="lat" inputmode="decimal" value=args.lat.map(|v| format!("{v:.5}")) data-locate-lat/>
                    <label for="near-lon">{td.lon}</label>
                    <input id="near-lon" name="lon" inputmode="decimal" value=args.lon.map(|v| format!("{v:.5}")) data-locate-lon/>
                    <label for="umkreis">{td.radius_label}</label>
                    <select id="umkreis" name="umkreis">
                        {[(500u32, "500 m"), (1_000, "1 km"), (2_000, "2 km"), (5_000, "5 km"), (0, "beliebig")].into_iter().map(|(m, l)| {
                            let selected = args.umkreis.unwrap_or(1_000) == m;
                            view! { <option value=m.to_string() selected=selected>{l}</option> }
                        }).collect_view()}
                    </select>
                </fieldset>
                <label for="sortierung">{td.order_label}</label>
                <select id="sortierung" name="sortierung">
                    <option value="relevanz">{td.order_relevance}</option>
                    <option value="entfernung" selected=args.sortierung.as_deref() == Some("entfernung")>{td.order_distance}</option>
                </select>
                <p class="actions">
                    <button type="submit">{td.apply}</button>" "
                    <a href=base.clone()>{td.reset}</a>
                </p>
            </details>
        </form>
        {degraded.then(|| view! { <p class="notice notice-info" role="status">{td.degraded}</p> })}
        <div class="results-layout">
            <section aria-labelledby="ergebnisse" class="results">
                <h2 id="ergebnisse">{td.results}": "{total}" "{td.results_count}</h2>
                {if hits.is_empty() {
                    view! { <p>{td.results_none}</p> }.into_any()
                } else {
                    offer_list(hits, false).into_any()
                }}
                {(pages > 1).then(|| view! {
                    <nav aria-label=td.page_of class="pager">
                        {prev.map(|h| view! { <a href=h rel="prev">{td.page_prev}</a> })}
                        <span>{format!(" {} {page} / {pages} ", td.page_of)}</span>
                        {next.map(|h| view! { <a href=h rel="next">{td.page_next}</a> })}
                    </nav>
                })}
            </section>
            {level_id.map(|l| view! {
                <section class="map-section" aria-label=td.map_heading>
                    <div class="qn-map" data-geojson=level_geojson_url(l) data-points=points_url
                        data-marker=near.then(|| format!("{:.5},{:.5}", args.lat.unwrap_or_default(), args.lon.unwrap_or_default()))
                        data-tiles=map.tile_url.clone() data-attribution=map.tile_attribution.clone()></div>
                    <noscript><p>{t().map_noscript}</p></noscript>
                </section>
            })}
        </div>
        <p class="hint">
            <a href=format!("/api/v1/kommune/{}/angebote.csv", tenant.slug) download="">{td.export_csv}</a>" · "
            <a href=format!("/api/v1/kommune/{}/angebote.geojson", tenant.slug) rel="external">{td.export_geojson}</a>
            " "{td.osm_attribution}
        </p>
    }
}
