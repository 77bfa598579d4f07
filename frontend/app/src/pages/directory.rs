//! The directory pages: search with filters, list and map; an offer's and an actor's page (with
//! schema.org JSON-LD); the providers' self-service forms; the moderators' queue; the planners'
//! import. Everything is a plain GET or POST form: it works before (or without) the wasm.

use crate::api::{
    get_actor_form, get_actor_page, get_categories_page, get_directory_import_page, get_offer_form,
    get_offer_page, get_offer_search, get_provider_page, get_review_page, level_geojson_url,
    ActorFormData, ActorInput, ActorPageData, AreaLink, CategoriesData, DirectoryImportData,
    MapConfig, OfferCard, OfferFormData, OfferInput, OfferPageData, OfferSearchArgs,
    OfferSearchData, ProviderData, ReviewData,
};
use crate::i18n::directory::td;
use crate::i18n::t;
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
    let data = Resource::new(
        move || {
            (
                params.read().get("slug").unwrap_or_default(),
                args_of(&query.read()),
            )
        },
        |(slug, args)| get_offer_search(slug, args),
    );
    view! {
        <Suspense fallback=LoadingText>
            {move || Suspend::new(async move {
                loaded(data.await, |d| view! { <Search d/> }.into_any())
            })}
        </Suspense>
    }
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

fn status_notices(
    status: &str,
    change_pending: bool,
    reason: Option<String>,
    stale: bool,
) -> impl IntoView {
    let d = td();
    view! {
        {(status == "pending").then(|| view! { <p class="notice notice-info" role="status">{d.pending_notice}</p> })}
        {(status == "rejected" || reason.is_some()).then(|| view! {
            <p class="notice notice-error" role="status">{d.rejected_notice}" "{reason.clone().unwrap_or_default()}</p>
        })}
        {change_pending.then(|| view! { <p class="notice notice-info" role="status">{d.change_notice}</p> })}
        {stale.then(|| view! { <p class="notice notice-info" role="status">{d.stale_notice}</p> })}
    }
}

fn facts_list(facts: Vec<(String, String)>) -> impl IntoView {
    view! {
        <dl class="facts">
            {facts.into_iter().map(|(k, v)| view! { <dt>{k}</dt><dd>{v}</dd> }).collect_view()}
        </dl>
    }
}

fn area_links(list: Vec<AreaLink>) -> impl IntoView {
    list.into_iter()
        .enumerate()
        .map(|(i, a)| view! { {(i > 0).then_some(", ")}<a href=format!("/quartier/{}", a.id)>{a.name}</a> })
        .collect_view()
}

#[component]
pub fn OfferPage() -> impl IntoView {
    let id = id_param("id");
    let data = Resource::new(id, |id| async move {
        match id {
            Some(id) => get_offer_page(id).await,
            None => Ok(Err(crate::api::ApiError::new("NOT_FOUND"))),
        }
    });
    view! {
        <Suspense fallback=LoadingText>
            {move || Suspend::new(async move { loaded(data.await, |d| view! { <Offer d/> }.into_any()) })}
        </Suspense>
    }
}

#[component]
fn Offer(d: OfferPageData) -> impl IntoView {
    let td = td();
    let OfferPageData {
        tenant,
        id,
        title,
        description_html,
        actor_id,
        actor,
        facts,
        times,
        address,
        point,
        areas,
        serves,
        status,
        change_pending,
        rejection_reason,
        stale,
        confirmed,
        can_edit,
        json_ld,
        map,
        level_id,
    } = d;
    view! {
        <Title text=format!("{title} – {actor}")/>
        <script type="application/ld+json" inner_html=json_ld></script>
        <nav aria-label=t().breadcrumb class="breadcrumb">
            <a href=format!("/kommune/{}", tenant.slug)>{tenant.name.clone()}</a>" › "
            <a href=format!("/kommune/{}/angebote", tenant.slug)>{td.nav_offers}</a>
        </nav>
        <h1>{title.clone()}</h1>
        {feedback(notice)}
        <p class="lead">{td.offer_provider}": "<a href=format!("/akteur/{actor_id}")>{actor}</a></p>
        {status_notices(&status, change_pending, rejection_reason, stale)}
        <div class="rich" inner_html=description_html></div>
        {facts_list(facts)}
        {(!times.is_empty()).then(|| view! {
            <h2>{td.offer_when}</h2>
            <ul>{times.into_iter().map(|l| view! { <li>{l}</li> }).collect_view()}</ul>
        })}
        <h2>{td.offer_where}</h2>
        {address.map(|a| view! { <p>{a}</p> })}
        {(!areas.is_empty()).then(|| view! { <p>{td.offer_areas}": "{area_links(areas)}</p> })}
        {(!serves.is_empty()).then(|| view! { <p>{td.offer_serves}": "{area_links(serves)}</p> })}
        {level_id.zip(point).map(|(l, (lon, lat))| view! {
            <section class="map-section" aria-label=td.offer_where>
                <div class="qn-map small" data-geojson=level_geojson_url(l) data-marker=format!("{lat:.6},{lon:.6}")
                    data-tiles=map.tile_url.clone() data-attribution=map.tile_attribution.clone()></div>
            </section>
        })}
        <p class="hint">{td.offer_confirmed}" "{confirmed}</p>
        {can_edit.then(|| view! {
            <p class="actions">
                <a class="button" href=format!("/angebot/{id}/bearbeiten")>{td.edit}</a>
            </p>
            <form method="post" action=format!("/angebot/{id}/bestaetigen")>
                <button type="submit" class="secondary">{td.confirm_entry}</button>
            </form>
            <form method="post" action=format!("/angebot/{id}/loeschen")>
                <button type="submit" class="secondary danger">{td.delete_confirm}</button>
            </form>
        })}
    }
}

#[component]
pub fn ActorPage() -> impl IntoView {
    let id = id_param("id");
    let data = Resource::new(id, |id| async move {
        match id {
            Some(id) => get_actor_page(id).await,
            None => Ok(Err(crate::api::ApiError::new("NOT_FOUND"))),
        }
    });
    view! {
        <Suspense fallback=LoadingText>
            {move || Suspend::new(async move { loaded(data.await, |d| view! { <ActorView d/> }.into_any()) })}
        </Suspense>
    }
}

#[component]
fn ActorView(d: ActorPageData) -> impl IntoView {
    let td = td();
    let ActorPageData {
        tenant,
        id,
        name,
        kind,
        description_html,
        facts,
        website,
        email,
        address,
        areas,
        offers,
        status,
        change_pending,
        rejection_reason,
        stale,
        confirmed,
        can_edit,
        json_ld,
    } = d;
    view! {
        <Title text=name.clone()/>
        <script type="application/ld+json" inner_html=json_ld></script>
        <nav aria-label=t().breadcrumb class="breadcrumb">
            <a href=format!("/kommune/{}", tenant.slug)>{tenant.name.clone()}</a>" › "
            <a href=format!("/kommune/{}/angebote", tenant.slug)>{td.nav_offers}</a>
        </nav>
        <h1>{name}</h1>
        {feedback(notice)}
        <p class="lead">{kind}</p>
        {status_notices(&status, change_pending, rejection_reason, stale)}
        <div class="rich" inner_html=description_html></div>
        {facts_list(facts)}
        <h2>{td.contact}</h2>
        <ul class="plain">
            {address.map(|a| view! { <li>{a}</li> })}
            {website.map(|w| view! { <li>{td.website}": "<a href=w.clone() rel="nofollow noopener">{w.clone()}</a></li> })}
            {email.map(|e| view! { <li>{td.email}": "<a href=format!("mailto:{e}")>{e.clone()}</a></li> })}
        </ul>
        {(!areas.is_empty()).then(|| view! { <p>{td.offer_areas}": "{area_links(areas)}</p> })}
        <h2>{td.actor_offers}</h2>
        {if offers.is_empty() { view! { <p>{td.actor_no_offers}</p> }.into_any() } else { offer_list(offers, can_edit).into_any() }}
        <p class="hint">{td.offer_confirmed}" "{confirmed}</p>
        {can_edit.then(|| view! {
            <p class="actions">
                <a class="button" href=format!("/akteur/{id}/angebot-neu")>{td.new_offer}</a>" "
                <a href=format!("/akteur/{id}/bearbeiten")>{td.edit_actor}</a>
            </p>
            <form method="post" action=format!("/akteur/{id}/bestaetigen")>
                <button type="submit" class="secondary">{td.confirm_all}</button>
            </form>
        })}
    }
}

fn checks(
    name: &'static str,
    legend: &'static str,
    terms: Vec<(String, String)>,
    selected: &[String],
) -> impl IntoView {
    view! {
        <fieldset class="checks">
            <legend>{legend}</legend>
            {terms.into_iter().map(|(k, l)| {
                let id = format!("{name}-{k}");
                let on = selected.contains(&k);
                view! {
                    <div class="check">
                        <input type="checkbox" id=id.clone() name=name value=k checked=on/>
                        <label for=id>{l}</label>
                    </div>
                }
            }).collect_view()}
        </fieldset>
    }
}

/// A fixed list of the taxonomy as owned (key, label) pairs for [`checks`].
fn owned(list: &[(&str, &str)]) -> Vec<(String, String)> {
    list.iter()
        .map(|(k, l)| ((*k).to_owned(), (*l).to_owned()))
        .collect()
}

fn target_groups() -> Vec<(String, String)> {
    taxonomy::TARGET_GROUPS
        .iter()
        .map(|g| (g.0.to_owned(), g.1.to_owned()))
        .collect()
}

fn text_input(
    id: &'static str,
    label: &'static str,
    value: String,
    required: bool,
) -> impl IntoView {
    view! {
        <label for=id>{label}</label>
        <input id=id name=id value=value required=required/>
    }
}

/// Where an entry is: a map to click and the coordinates (required for actors).
fn place_fields(
    tenant: &str,
    lon: Option<f64>,
    lat: Option<f64>,
    hint: &'static str,
    level_id: Option<i32>,
    map: &MapConfig,
) -> impl IntoView {
    let td = td();
    view! {
        <fieldset>
            <legend>{td.place_legend}</legend>
            <p class="hint" id="ort-hinweis">{hint}</p>
            {level_id.map(|l| view! {
                <div class="qn-map small" data-geojson=level_geojson_url(l) data-pick="ort-koordinaten"
                    data-marker=lat.zip(lon).map(|(a, o)| format!("{a:.6},{o:.6}"))
                    data-tiles=map.tile_url.clone() data-attribution=map.tile_attribution.clone()></div>
            })}
            <div id="ort-koordinaten" class="coords">
                <label for="lat">{td.lat}</label>
                <input id="lat" name="lat" inputmode="decimal" data-pick-lat aria-describedby="ort-hinweis" value=lat.map(|v| format!("{v:.6}"))/>
                <label for="lon">{td.lon}</label>
                <input id="lon" name="lon" inputmode="decimal" data-pick-lon aria-describedby="ort-hinweis" value=lon.map(|v| format!("{v:.6}"))/>
            </div>
            {address_finder(tenant.to_owned(), "strasse plz ort", "ort-koordinaten", "ort-gefunden".into(), None, t().find_address)}
        </fieldset>
    }
}

fn actor_fields(
    tenant: &str,
    f: ActorInput,
    level_id: Option<i32>,
    map: MapConfig,
) -> impl IntoView {
    let td = td();
    view! {
        {text_input("name", td.actor_name, f.name.clone(), true)}
        <label for="art">{td.actor_kind}</label>
        <select id="art" name="art">
            {taxonomy::ACTOR_KINDS.iter().map(|(k, l)| view! { <option value=*k selected=f.kind == *k>{*l}</option> }).collect_view()}
        </select>
        <label for="beschreibung">{td.description}</label>
        <textarea id="beschreibung" name="beschreibung" rows="6" aria-describedby="beschreibung-hinweis">{textarea_text(&f.description)}</textarea>
        <p class="hint" id="beschreibung-hinweis">{td.description_hint}</p>
        {text_input("ansprechperson", td.contact_name, f.contact_name.clone(), false)}
        <label for="email">{td.email}</label>
        <input id="email" name="email" type="email" value=f.email.clone()/>
        <label for="telefon">{td.phone}</label>
        <input id="telefon" name="telefon" type="tel" value=f.phone.clone()/>
        <label for="website">{td.website}</label>
        <input id="website" name="website" type="url" inputmode="url" value=f.website.clone()/>
        {text_input("strasse", td.street, f.street.clone(), false)}
        {text_input("plz", td.postcode, f.postcode.clone(), false)}
        {text_input("ort", td.city, f.city.clone(), false)}
        {place_fields(tenant, f.lon, f.lat, td.place_hint, level_id, &map)}
        {checks("sprache", td.languages, owned(taxonomy::LANGUAGES), &f.languages)}
        <label for="barrierefreiheit">{td.accessibility}</label>
        <textarea id="barrierefreiheit" name="barrierefreiheit" rows="2" placeholder=td.accessibility_hint>{textarea_text(&f.accessibility)}</textarea>
    }
}

fn offer_fields(
    tenant: &str,
    f: OfferInput,
    areas: Vec<(String, AreaLink)>,
    level_id: Option<i32>,
    map: MapConfig,
    categories: Vec<(String, String)>,
) -> impl IntoView {
    let td = td();
    let groups = target_groups();
    view! {
        {text_input("titel", td.offer_title, f.title.clone(), true)}
        <label for="beschreibung">{td.description}</label>
        <textarea id="beschreibung" name="beschreibung" rows="6" aria-describedby="beschreibung-hinweis">{textarea_text(&f.description)}</textarea>
        <p class="hint" id="beschreibung-hinweis">{td.description_hint}</p>
        {checks("kategorie", td.categories, categories, &f.categories)}
        {checks("zielgruppe", td.target_groups, groups, &f.target_groups)}
        <div class="inline-fields">
            <label for="alter_von">{td.age_from}</label>
            <input id="alter_von" name="alter_von" type="number" min="0" max="120" value=f.age_min.map(|a| a.to_string())/>
            <label for="alter_bis">{td.age_to}</label>
            <input id="alter_bis" name="alter_bis" type="number" min="0" max="120" value=f.age_max.map(|a| a.to_string())/>
        </div>
        {checks("sprache", td.languages, owned(taxonomy::LANGUAGES), &f.languages)}
        <label for="zeiten">{td.schedule}</label>
        <textarea id="zeiten" name="zeiten" rows="3" aria-describedby="zeiten-hinweis">{textarea_text(&f.schedule)}</textarea>
        <p class="hint" id="zeiten-hinweis">{td.schedule_hint}</p>
        <fieldset>
            <legend>{td.cost}</legend>
            {taxonomy::COSTS.iter().map(|(k, l)| {
                let id = format!("kosten-{k}");
                view! { <div class="check"><input type="radio" id=id.clone() name="kosten" value=*k checked=f.cost == *k/><label for=id>{*l}</label></div> }
            }).collect_view()}
        </fieldset>
        <div class="check"><input type="checkbox" id="anmeldung" name="anmeldung" value="1" checked=f.registration/><label for="anmeldung">{td.registration}</label></div>
        <div class="check"><input type="checkbox" id="barrierefrei" name="barrierefrei" value="1" checked=f.barrier_free/><label for="barrierefrei">{td.barrier_free}</label></div>
        <div class="inline-fields">
            <label for="gueltig_ab">{td.valid_from}</label>
            <input id="gueltig_ab" name="gueltig_ab" type="date" value=f.valid_from.map(|d| d.to_string())/>
            <label for="gueltig_bis">{td.valid_until}</label>
            <input id="gueltig_bis" name="gueltig_bis" type="date" value=f.valid_until.map(|d| d.to_string())/>
        </div>
        {text_input("strasse", td.street, f.street.clone(), false)}
        {text_input("plz", td.postcode, f.postcode.clone(), false)}
        {text_input("ort", td.city, f.city.clone(), false)}
        {place_fields(tenant, f.lon, f.lat, td.place_own_hint, level_id, &map)}
        <label for="gebiete">{td.serves}</label>
        <select id="gebiete" name="gebiete" multiple size="6" aria-describedby="gebiete-hinweis">
            {areas.into_iter().map(|(level, a)| {
                let on = f.serves.contains(&a.id);
                view! { <option value=a.id.to_string() selected=on>{format!("{} ({level})", a.name)}</option> }
            }).collect_view()}
        </select>
        <p class="hint" id="gebiete-hinweis">{td.serves_hint}</p>
    }
}

#[component]
pub fn ProviderPage() -> impl IntoView {
    let params = use_params_map();
    let query = use_query_map();
    let data = Resource::new(
        move || {
            (
                params.read().get("slug").unwrap_or_default(),
                query.read().get("entwurf"),
            )
        },
        |(slug, draft)| get_provider_page(slug, draft),
    );
    view! {
        <Suspense fallback=LoadingText>
            {move || Suspend::new(async move { loaded(data.await, |d| view! { <Provider d/> }.into_any()) })}
        </Suspense>
    }
}

#[component]
fn Provider(d: ProviderData) -> impl IntoView {
    let td = td();
    let ProviderData {
        tenant,
        signed_in,
        actors,
        form,
        map,
        level_id,
    } = d;
    let here = format!("/kommune/{}/anbieten", tenant.slug);
    view! {
        <Title text=td.provider_title/>
        <nav aria-label=t().breadcrumb class="breadcrumb">
            <a href=format!("/kommune/{}", tenant.slug)>{tenant.name.clone()}</a>" › "
            <a href=format!("/kommune/{}/angebote", tenant.slug)>{td.nav_offers}</a>
        </nav>
        <h1>{td.provider_title}</h1>
        {feedback(notice)}
        <p class="lead">{td.provider_intro}</p>
        {if !signed_in {
            view! {
                <p>{td.provider_sign_in}</p>
                <p class="actions">
                    <a class="button" href=format!("/anmelden?weiter={here}")>{td.sign_in}</a>" "
                    <a href=format!("/registrieren?kommune={}&weiter={here}", tenant.slug)>{td.register}</a>
                </p>
            }.into_any()
        } else {
            view! {
                <section aria-labelledby="meine">
                    <h2 id="meine">{td.mine}</h2>
                    {if actors.is_empty() { view! { <p>{td.mine_empty}</p> }.into_any() } else {
                        view! {
                            <ul class="cards">
                                {actors.into_iter().map(|(a, offers)| view! {
                                    <li class="card">
                                        <h3><a href=format!("/akteur/{}", a.id)>{a.title}</a></h3>
                                        <p class="meta">{a.categories.join(", ")}</p>
                                        {badges(&a.status, a.change_pending, a.stale)}
                                        {(!offers.is_empty()).then(|| offer_list(offers, true))}
                                        <p class="actions"><a href=format!("/akteur/{}/angebot-neu", a.id)>{td.new_offer}</a></p>
                                    </li>
                                }).collect_view()}
                            </ul>
                        }.into_any()
                    }}
                </section>
                <section aria-labelledby="neu">
                    <h2 id="neu">{td.new_actor}</h2>
                    <form method="post" action=here.clone() class="stack">
                        {actor_fields(&tenant.slug, form, level_id, map)}
                        <button type="submit">{td.submit}</button>
                    </form>
                </section>
            }.into_any()
        }}
    }
}

#[component]
pub fn ActorEditPage() -> impl IntoView {
    let id = id_param("id");
    let query = use_query_map();
    let data = Resource::new(
        move || (id(), query.read().get("entwurf")),
        |(id, draft)| async move {
            match id {
                Some(id) => get_actor_form(id, draft).await,
                None => Ok(Err(crate::api::ApiError::new("NOT_FOUND"))),
            }
        },
    );
    view! {
        <Suspense fallback=LoadingText>
            {move || Suspend::new(async move { loaded(data.await, |d| view! { <ActorEdit d/> }.into_any()) })}
        </Suspense>
    }
}

#[component]
fn ActorEdit(d: ActorFormData) -> impl IntoView {
    let td = td();
    let ActorFormData {
        tenant,
        id,
        form,
        change_pending,
        map,
        level_id,
    } = d;
    view! {
        <Title text=td.edit_actor/>
        <nav aria-label=t().breadcrumb class="breadcrumb">
            <a href=format!("/kommune/{}/angebote", tenant.slug)>{td.nav_offers}</a>" › "
            <a href=format!("/akteur/{id}")>{form.name.clone()}</a>
        </nav>
        <h1>{td.edit_actor}</h1>
        {feedback(notice)}
        {change_pending.then(|| view! { <p class="notice notice-info" role="status">{td.change_notice}</p> })}
        <form method="post" action=format!("/akteur/{id}/bearbeiten") class="stack">
            {actor_fields(&tenant.slug, form, level_id, map)}
            <button type="submit">{td.save}</button>
        </form>
    }
}

#[component]
pub fn OfferNewPage() -> impl IntoView {
    let id = id_param("id");
    let query = use_query_map();
    let data = Resource::new(
        move || (id(), query.read().get("entwurf")),
        |(id, draft)| get_offer_form(id, None, draft),
    );
    view! {
        <Suspense fallback=LoadingText>
            {move || Suspend::new(async move { loaded(data.await, |d| view! { <OfferEdit d/> }.into_any()) })}
        </Suspense>
    }
}

#[component]
pub fn OfferEditPage() -> impl IntoView {
    let id = id_param("id");
    let query = use_query_map();
    let data = Resource::new(
        move || (id(), query.read().get("entwurf")),
        |(id, draft)| async move {
            match id {
                Some(id) => get_offer_form(None, Some(id), draft).await,
                None => Ok(Err(crate::api::ApiError::new("NOT_FOUND"))),
            }
        },
    );
    view! {
        <Suspense fallback=LoadingText>
            {move || Suspend::new(async move { loaded(data.await, |d| view! { <OfferEdit d/> }.into_any()) })}
        </Suspense>
    }
}

#[component]
fn OfferEdit(d: OfferFormData) -> impl IntoView {
    let td = td();
    let OfferFormData {
        tenant,
        actor_id,
        actor,
        offer_id,
        form,
        change_pending,
        areas,
        map,
        level_id,
        categories,
    } = d;
    let (heading, action) = match offer_id {
        Some(o) => (td.edit_offer, format!("/angebot/{o}/bearbeiten")),
        None => (td.new_offer, format!("/akteur/{actor_id}/angebot-neu")),
    };
    view! {
        <Title text=heading/>
        <nav aria-label=t().breadcrumb class="breadcrumb">
            <a href=format!("/kommune/{}/angebote", tenant.slug)>{td.nav_offers}</a>" › "
            <a href=format!("/akteur/{actor_id}")>{actor}</a>
        </nav>
        <h1>{heading}</h1>
        {feedback(notice)}
        {change_pending.then(|| view! { <p class="notice notice-info" role="status">{td.change_notice}</p> })}
        <form method="post" action=action class="stack">
            {offer_fields(&tenant.slug, form, areas, level_id, map, categories)}
            <button type="submit">{td.save}</button>
        </form>
    }
}

#[component]
pub fn ReviewPage() -> impl IntoView {
    let params = use_params_map();
    let query = use_query_map();
    let data = Resource::new(
        move || {
            (
                params.read().get("slug").unwrap_or_default(),
                page_number(&query.read()),
            )
        },
        |(slug, page)| get_review_page(slug, page),
    );
    view! {
        <Suspense fallback=LoadingText>
            {move || Suspend::new(async move { loaded(data.await, |d| view! { <Review d/> }.into_any()) })}
        </Suspense>
    }
}

#[component]
fn Review(d: ReviewData) -> impl IntoView {
    let td = td();
    let ReviewData {
        tenant,
        items,
        total,
        page,
        pages,
    } = d;
    let action = format!("/kommune/{}/angebote/pruefen", tenant.slug);
    let pager = (pages > 1).then(|| {
        let link = |n: u64| format!("/kommune/{}/angebote/pruefen?seite={n}", tenant.slug);
        view! {
            <nav aria-label=td.page_of class="pager">
                {(page > 1).then(|| view! { <a href=link(page - 1) rel="prev">{td.page_prev}</a> })}
                " "<span>{td.page_of}" "{page}" / "{pages}" ("{total}")"</span>" "
                {(page < pages).then(|| view! { <a href=link(page + 1) rel="next">{td.page_next}</a> })}
            </nav>
        }
    });
    view! {
        <Title text=td.review_title/>
        <nav aria-label=t().breadcrumb class="breadcrumb">
            <a href=format!("/kommune/{}", tenant.slug)>{tenant.name.clone()}</a>" › "
            <a href=format!("/kommune/{}/angebote", tenant.slug)>{td.nav_offers}</a>
        </nav>
        <h1>{td.review_title}</h1>
        {feedback(notice)}
        <p class="lead">{td.review_intro}</p>
        {pager}
        {if items.is_empty() { view! { <p>{td.review_empty}</p> }.into_any() } else {
            view! {
                <ul class="cards">
                    {items.into_iter().map(|i| {
                        let href = if i.kind == "actor" { format!("/akteur/{}", i.id) } else { format!("/angebot/{}", i.id) };
                        let key = format!("{}-{}", i.kind, i.id);
                        view! {
                            <li class="card">
                                <h2 class="h3"><a href=href>{i.name.clone()}</a></h2>
                                <p class="meta">
                                    {if i.kind == "actor" { td.review_actor } else { td.review_offer }}
                                    {(i.kind != "actor").then(|| view! { " · "<a href=format!("/akteur/{}", i.actor_id)>{i.actor.clone()}</a> })}
                                    " · "{i.since.clone()}" · "
                                    {match i.changed.clone() {
                                        None => td.review_new.to_owned(),
                                        Some(fields) => format!("{} {}", td.review_changed, fields.join(", ")),
                                    }}
                                </p>
                                <p class="meta">
                                    {match i.point {
                                        Some((lon, lat)) => format!("{} {lat:.5}, {lon:.5}", td.review_point),
                                        None => td.review_no_point.to_owned(),
                                    }}
                                    {(!i.areas.is_empty()).then(|| view! { " · "{td.offer_areas}": "{area_links(i.areas.clone())} })}
                                </p>
                                <form method="post" action=action.clone() class="inline">
                                    <input type="hidden" name="art" value=i.kind.clone()/>
                                    <input type="hidden" name="id" value=i.id.to_string()/>
                                    <input type="hidden" name="aktion" value="freigeben"/>
                                    <div class="check">
                                        <input type="checkbox" id=format!("vertrauen-{key}") name="vertrauen" value="1"/>
                                        <label for=format!("vertrauen-{key}")>{td.trust}</label>
                                    </div>
                                    // The entry's name in each button: a screen reader's list of buttons tells them apart.
                                    <button type="submit" aria-label=format!("{}: {}", td.approve, i.name)>{td.approve}</button>
                                </form>
                                <form method="post" action=action.clone() class="inline">
                                    <input type="hidden" name="art" value=i.kind.clone()/>
                                    <input type="hidden" name="id" value=i.id.to_string()/>
                                    <input type="hidden" name="aktion" value="ablehnen"/>
                                    <label for=format!("grund-{key}")>{td.reason}</label>
                                    <input id=format!("grund-{key}") name="grund" required/>
                                    <button type="submit" class="secondary" aria-label=format!("{}: {}", td.reject, i.name)>{td.reject}</button>
                                </form>
                            </li>
                        }
                    }).collect_view()}
                </ul>
            }.into_any()
        }}
    }
}

#[component]
pub fn DirectoryImportPage() -> impl IntoView {
    let params = use_params_map();
    let data = Resource::new(
        move || params.read().get("slug").unwrap_or_default(),
        get_directory_import_page,
    );
    view! {
        <Suspense fallback=LoadingText>
            {move || Suspend::new(async move { loaded(data.await, |d| view! { <Import d/> }.into_any()) })}
        </Suspense>
    }
}

#[component]
fn Import(d: DirectoryImportData) -> impl IntoView {
    let td = td();
    let DirectoryImportData {
        tenant,
        populations,
        categories,
    } = d;
    let groups = target_groups();
    let category_keys = categories
        .iter()
        .map(|(k, l)| format!("{k} ({l})"))
        .collect::<Vec<_>>()
        .join(", ");
    let coverage_action = format!("/kommune/{}/angebote/versorgung", tenant.slug);
    let query = use_query_map();
    let report = move || query.read().get("bericht");
    let field = |id: &'static str, label: &'static str, value: &'static str| {
        view! {
            <label for=id>{label}</label>
            <input id=id name=id value=value/>
        }
    };
    view! {
        <Title text=td.import_title/>
        <nav aria-label=t().breadcrumb class="breadcrumb">
            <a href=format!("/kommune/{}", tenant.slug)>{tenant.name.clone()}</a>" › "
            <a href=format!("/kommune/{}/angebote", tenant.slug)>{td.nav_offers}</a>
        </nav>
        <h1>{td.import_title}</h1>
        {feedback(notice)}
        {move || report().map(|r| view! { <p class="notice notice-info" role="status">{r}</p> })}
        <p class="lead">{td.import_intro}</p>
        <form method="post" enctype="multipart/form-data" class="stack" action=format!("/kommune/{}/angebote/import", tenant.slug)>
            <label for="datei">{td.import_file}</label>
            <input id="datei" name="datei" type="file" accept=".geojson,.json,.csv,.txt" required/>
            <fieldset>
                <legend>{td.import_mapping}</legend>
                {field("feld_titel", td.import_title_field, "name")}
                {field("feld_akteur", td.import_actor_field, "")}
                {field("feld_beschreibung", td.import_description_field, "beschreibung")}
                {field("feld_website", td.import_website_field, "website")}
                {field("feld_strasse", td.street, "strasse")}
                {field("feld_plz", td.postcode, "plz")}
                {field("feld_ort", td.city, "ort")}
                {field("feld_lon", td.lon, "lon")}
                {field("feld_lat", td.lat, "lat")}
                {field("feld_id", td.import_id_field, "")}
            </fieldset>
            <fieldset>
                <legend>{td.import_values}</legend>
                {field("quelle", td.import_source, "import")}
                <label for="art">{td.actor_kind}</label>
                <select id="art" name="art">
                    {taxonomy::ACTOR_KINDS.iter().map(|(k, l)| view! { <option value=*k>{*l}</option> }).collect_view()}
                </select>
                <p class="hint" id="schluessel">{td.import_keys_hint}</p>
                <label for="kategorien">{td.categories}</label>
                <input id="kategorien" name="kategorien" required aria-describedby="schluessel kategorien-liste"/>
                <p class="hint" id="kategorien-liste">{td.categories_in_import}" "{category_keys}" "
                    <a href=format!("/kommune/{}/angebote/kategorien", tenant.slug)>{td.categories_link}</a>
                </p>
                <label for="zielgruppen">{td.target_groups}</label>
                <input id="zielgruppen" name="zielgruppen" aria-describedby="schluessel"/>
                <label for="sprachen">{td.languages}</label>
                <input id="sprachen" name="sprachen" value="de" aria-describedby="schluessel"/>
                <div class="inline-fields">
                    <label for="alter_von">{td.age_from}</label>
                    <input id="alter_von" name="alter_von" type="number" min="0" max="120"/>
                    <label for="alter_bis">{td.age_to}</label>
                    <input id="alter_bis" name="alter_bis" type="number" min="0" max="120"/>
                </div>
                <label for="kosten">{td.cost}</label>
                <select id="kosten" name="kosten">
                    {taxonomy::COSTS.iter().map(|(k, l)| view! { <option value=*k>{*l}</option> }).collect_view()}
                </select>
                <label for="text">{td.import_text}</label>
                <textarea id="text" name="text" rows="2"></textarea>
            </fieldset>
            <div class="check"><input type="checkbox" id="nur_pruefen" name="nur_pruefen" value="1"/><label for="nur_pruefen">{td.import_dry_run}</label></div>
            <button type="submit">{td.import_button}</button>
        </form>
        <section aria-labelledby="versorgung">
            <h2 id="versorgung">{td.coverage_title}</h2>
            <p>{td.coverage_intro}</p>
            {if populations.is_empty() {
                view! { <p>{td.coverage_none}</p> }.into_any()
            } else {
                view! {
                    <form method="post" action=coverage_action class="stack">
                        <label for="v-zielgruppe">{td.coverage_group}</label>
                        <select id="v-zielgruppe" name="zielgruppe">
                            {groups.into_iter().map(|(k, l)| view! { <option value=k>{l}</option> }).collect_view()}
                        </select>
                        {checks("kategorie", td.coverage_categories, categories, &[])}
                        <label for="v-bevoelkerung">{td.coverage_population}</label>
                        <select id="v-bevoelkerung" name="bevoelkerung">
                            {populations.into_iter().map(|(id, name)| view! { <option value=id.to_string()>{name}</option> }).collect_view()}
                        </select>
                        <button type="submit">{td.coverage_button}</button>
                    </form>
                }.into_any()
            }}
        </section>
    }
}

#[component]
pub fn CategoriesPage() -> impl IntoView {
    let params = use_params_map();
    let data = Resource::new(
        move || params.read().get("slug").unwrap_or_default(),
        get_categories_page,
    );
    view! {
        <Suspense fallback=LoadingText>
            {move || Suspend::new(async move { loaded(data.await, |d| view! { <Categories d/> }.into_any()) })}
        </Suspense>
    }
}

/// One form per change, each a plain POST: renaming has its own labelled field per row; the
/// buttons name their category for screen readers.
#[component]
fn Categories(d: CategoriesData) -> impl IntoView {
    let td = td();
    let CategoriesData { tenant, categories } = d;
    let action = format!("/kommune/{}/angebote/kategorien", tenant.slug);
    let last = categories.len().saturating_sub(1);
    let rows = categories
        .into_iter()
        .enumerate()
        .map(|(i, c)| {
            let action = action.clone();
            let field = format!("bezeichnung-{}", c.key);
            let button = |aktion: &'static str, text: &'static str, key: &str, label: &str| {
                view! {
                    <form method="post" action=action.clone() class="inline">
                        <input type="hidden" name="aktion" value=aktion/>
                        <input type="hidden" name="schluessel" value=key.to_owned()/>
                        <button type="submit" class="secondary" aria-label=format!("{text}: {label}")>{text}</button>
                    </form>
                }
            };
            let (key, label) = (c.key.clone(), c.label.clone());
            view! {
                <tr>
                    <td>
                        <form method="post" action=action.clone() class="inline">
                            <input type="hidden" name="aktion" value="umbenennen"/>
                            <input type="hidden" name="schluessel" value=key.clone()/>
                            <label class="sr-only" for=field.clone()>{format!("{}: {}", td.category_label, label)}</label>
                            <input id=field name="bezeichnung" value=label.clone() required maxlength="60"/>
                            <button type="submit" class="secondary" aria-label=format!("{}: {}", td.category_rename, label)>{td.category_rename}</button>
                        </form>
                    </td>
                    <td><code>{key.clone()}</code></td>
                    <td class="num">{c.offers}</td>
                    <td>{if c.retired { td.category_retired } else { td.category_active }}</td>
                    <td>
                        {(i > 0).then(|| button("hoch", td.category_up, &key, &label))}
                        {(i < last).then(|| button("runter", td.category_down, &key, &label))}
                        {if c.retired {
                            button("wiederherstellen", td.category_restore, &key, &label)
                        } else {
                            button("stilllegen", td.category_retire, &key, &label)
                        }}
                    </td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <Title text=td.categories_title/>
        <nav aria-label=t().breadcrumb class="breadcrumb">
            <a href=format!("/kommune/{}", tenant.slug)>{tenant.name.clone()}</a>" › "
            <a href=format!("/kommune/{}/angebote", tenant.slug)>{td.nav_offers}</a>
        </nav>
        <h1>{td.categories_title}</h1>
        {feedback(notice)}
        <p class="lead">{td.categories_intro}</p>
        <TableWrap label=td.categories_title>
            <table>
                <thead>
                    <tr>
                        <th scope="col">{td.category_label}</th>
                        <th scope="col">{td.category_key}</th>
                        <th scope="col" class="num">{td.category_offers}</th>
                        <th scope="col">{td.category_status}</th>
                        <th scope="col">{td.category_actions}</th>
                    </tr>
                </thead>
                <tbody>{rows}</tbody>
            </table>
        </TableWrap>
        <form method="post" action=action class="stack">
            <input type="hidden" name="aktion" value="hinzufuegen"/>
            <label for="neue-kategorie">{td.category_new}</label>
            <input id="neue-kategorie" name="bezeichnung" required maxlength="60"/>
            <button type="submit">{td.category_add}</button>
        </form>
    }
}
