//! The data of the directory pages, built on the directory services (the same rules of
//! visibility and editing as everywhere), with German labels for the taxonomy keys.

use crate::areas::{self, entity::areas as area_table};
use crate::directory::{self, entity::actors, entity::offers, list, schedule_of, PUBLISHED};
use crate::kernel::error::{AppError, AppResult};
use crate::kernel::permissions::Can;
use crate::kernel::state::AppState;
use crate::kernel::viewer::Viewer;
use crate::tenancy::Tenant;
use chrono::Utc;
use qn_app::api::{
    ActorFormData, ActorInput, ActorPageData, AreaLink, CategoriesData, CategoryRow,
    DirectoryImportData, FacetGroup, FacetOption, Fact, MapConfig, OfferCard, OfferFormData,
    OfferInput, OfferPageData, OfferSearchArgs, OfferSearchData, ProviderData, ReviewData,
    ReviewItem, TenantSummary,
};
use qn_domain::directory::categories::Categories;
use qn_domain::directory::entry;
use qn_domain::directory::search::{Filters, Order, SearchQuery, MAX_LIMIT};
use qn_domain::directory::taxonomy::{self, Term};
use qn_domain::directory::Point;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect};
use std::collections::{BTreeMap, HashMap};

/// Offers per page of results.
pub const PAGE_SIZE: usize = 20;

fn labels(keys: &[String], list_: &[Term]) -> Vec<String> {
    keys.iter()
        .map(|k| taxonomy::label(list_, k).unwrap_or(k).to_owned())
        .collect()
}

fn category_labels(keys: &[String], categories: &Categories) -> Vec<String> {
    keys.iter()
        .map(|k| categories.label(k).unwrap_or(k).to_owned())
        .collect()
}

fn group_labels(keys: &[String]) -> Vec<String> {
    keys.iter()
        .map(|k| taxonomy::target_group_label(k).unwrap_or(k).to_owned())
        .collect()
}

fn day_de(t: chrono::DateTime<Utc>) -> String {
    t.format("%d.%m.%Y").to_string()
}

/// One line per schedule entry, German weekday names.
fn times(o: &offers::Model) -> Vec<String> {
    let s = schedule_of(o);
    let mut out: Vec<String> = s
        .weekly
        .iter()
        .map(|w| {
            format!(
                "{} {}–{} Uhr",
                taxonomy::label(
                    taxonomy::WEEKDAYS,
                    qn_domain::directory::schedule::day_key(w.day)
                )
                .unwrap_or_default(),
                w.from.format("%H:%M"),
                w.to.format("%H:%M")
            )
        })
        .collect();
    out.extend(s.dates.iter().map(|d| match (d.from, d.to) {
        (Some(f), Some(t)) => format!(
            "{} {}–{} Uhr",
            d.date.format("%d.%m.%Y"),
            f.format("%H:%M"),
            t.format("%H:%M")
        ),
        _ => d.date.format("%d.%m.%Y").to_string(),
    }));
    out
}

pub fn card(
    o: &offers::Model,
    a: &actors::Model,
    distance_m: Option<f64>,
    categories: &Categories,
) -> OfferCard {
    OfferCard {
        id: o.id,
        title: o.title.clone(),
        actor_id: a.id,
        actor: a.name.clone(),
        categories: category_labels(&list(&o.categories), categories),
        cost: taxonomy::label(taxonomy::COSTS, &o.cost)
            .unwrap_or_default()
            .to_owned(),
        times: times(o).join("; "),
        distance: distance_m.map(|d| {
            if d < 1_000.0 {
                format!("{} m", (d / 10.0).round() * 10.0)
            } else {
                format!("{:.1} km", d / 1_000.0).replace('.', ",")
            }
        }),
        status: o.status.clone(),
        change_pending: o.pending_change.is_some(),
        stale: entry::is_stale(o.confirmed_at, Utc::now()),
    }
}

/// The actor as a card (in the provider's list).
fn actor_card(a: &actors::Model) -> OfferCard {
    OfferCard {
        id: a.id,
        title: a.name.clone(),
        actor_id: a.id,
        actor: a.name.clone(),
        categories: vec![taxonomy::label(taxonomy::ACTOR_KINDS, &a.kind)
            .unwrap_or_default()
            .to_owned()],
        cost: String::new(),
        times: String::new(),
        distance: None,
        status: a.status.clone(),
        change_pending: a.pending_change.is_some(),
        stale: entry::is_stale(a.confirmed_at, Utc::now()),
    }
}

fn link(a: &area_table::Model) -> AreaLink {
    AreaLink {
        id: a.id,
        code: a.code.clone(),
        name: a.name.clone(),
    }
}

/// The tenant's visible areas with their level's name, coarse levels first; and the finest
/// level (for maps).
async fn tenant_areas(
    state: &AppState,
    viewer: &Viewer,
    tenant_id: i32,
) -> AppResult<(Vec<(String, AreaLink)>, Option<i32>)> {
    let levels = areas::levels(&state.db, viewer, tenant_id).await?;
    let names: HashMap<i32, (usize, String)> = levels
        .iter()
        .enumerate()
        .map(|(i, l)| (l.id, (i, l.name.clone())))
        .collect();
    let mut list = area_table::Entity::find()
        .filter(area_table::Column::LevelId.is_in(levels.iter().map(|l| l.id)))
        .order_by_asc(area_table::Column::Name)
        .all(&state.db)
        .await?;
    list.sort_by_key(|a| names.get(&a.level_id).map_or(usize::MAX, |n| n.0));
    Ok((
        list.iter()
            .filter_map(|a| Some((names.get(&a.level_id)?.1.clone(), link(a))))
            .collect(),
        levels.last().map(|l| l.id),
    ))
}

fn facet<'t>(
    name: &str,
    label: &str,
    terms: impl IntoIterator<Item = (&'t str, &'t str)>,
    counts: &BTreeMap<String, u64>,
    checked: &[String],
) -> FacetGroup {
    FacetGroup {
        name: name.into(),
        label: label.into(),
        options: terms
            .into_iter()
            .filter(|(k, _)| counts.contains_key(*k) || checked.iter().any(|c| c == k))
            .map(|(k, l)| FacetOption {
                value: k.into(),
                label: l.into(),
                count: counts.get(k).copied().unwrap_or(0),
                checked: checked.iter().any(|c| c == k),
            })
            .collect(),
    }
}

/// The search query of the page's arguments (shared with the map's GeoJSON endpoint).
pub fn query_of(
    tenant_id: i32,
    args: &OfferSearchArgs,
    offset: usize,
    limit: usize,
) -> SearchQuery {
    let mut q = SearchQuery::new(tenant_id, args.q.as_deref().unwrap_or_default());
    q.filters = Filters {
        categories: args.kategorie.clone(),
        target_groups: args.zielgruppe.clone(),
        languages: args.sprache.clone(),
        costs: args.kosten.clone(),
        weekdays: args.tag.clone(),
        area: args.gebiet,
    };
    if let (Some(lon), Some(lat)) = (args.lon, args.lat) {
        if let Ok(p) = Point::new(lon, lat) {
            q.near = Some(p);
            // "beliebig" is 0: a location without a limit (it still orders by distance).
            q.radius_m = args.umkreis.filter(|m| *m > 0).map(f64::from);
        }
    }
    q.order = if args.sortierung.as_deref() == Some("entfernung") && q.near.is_some() {
        Order::Distance
    } else {
        Order::Relevance
    };
    q.offset = offset;
    q.limit = limit.min(MAX_LIMIT);
    q
}

pub async fn search_page(
    state: &AppState,
    viewer: &Viewer,
    tenant: &Tenant,
    sum: TenantSummary,
    args: OfferSearchArgs,
    map: MapConfig,
) -> AppResult<OfferSearchData> {
    let page = args.seite.unwrap_or(1).clamp(1, crate::boards::MAX_PAGE);
    let offset = usize::try_from(page - 1)
        .unwrap_or(0)
        .saturating_mul(PAGE_SIZE);
    let q = query_of(tenant.id, &args, offset, PAGE_SIZE);
    let results = directory::index::find(state, viewer, &q).await?;
    let categories = directory::categories::of(&state.db, tenant.id).await?;
    let ids: Vec<i32> = results
        .hits
        .iter()
        .filter_map(|h| i32::try_from(h.id).ok())
        .collect();
    let distances: HashMap<i32, f64> = results
        .hits
        .iter()
        .filter_map(|h| Some((i32::try_from(h.id).ok()?, h.distance_m?)))
        .collect();
    let hits = directory::offers_with_actors(&state.db, &ids)
        .await?
        .iter()
        .map(|(o, a)| card(o, a, distances.get(&o.id).copied(), &categories))
        .collect();
    let f = &results.facets;
    let terms = |list: &'static [Term]| list.iter().copied();
    let facets = vec![
        facet(
            "kategorie",
            "Kategorie",
            categories
                .0
                .iter()
                .map(|c| (c.key.as_str(), c.label.as_str())),
            &f.categories,
            &args.kategorie,
        ),
        facet(
            "zielgruppe",
            "Für wen",
            taxonomy::TARGET_GROUPS.iter().map(|g| (g.0, g.1)),
            &f.target_groups,
            &args.zielgruppe,
        ),
        facet(
            "sprache",
            "Sprache",
            terms(taxonomy::LANGUAGES),
            &f.languages,
            &args.sprache,
        ),
        facet(
            "kosten",
            "Kosten",
            terms(taxonomy::COSTS),
            &f.costs,
            &args.kosten,
        ),
        facet(
            "tag",
            "Wochentag",
            terms(taxonomy::WEEKDAYS),
            &f.weekdays,
            &args.tag,
        ),
    ];
    let (areas, level_id) = tenant_areas(state, viewer, tenant.id).await?;
    let total = results.total as u64;
    let qs = args.query_string(None);
    Ok(OfferSearchData {
        // `suche=1`: the map shows this search's offers (at most 200), never all of them.
        points_url: format!(
            "/api/v1/kommune/{}/angebote.geojson?suche=1&{qs}",
            tenant.slug
        ),
        tenant: sum,
        hits,
        total,
        page,
        pages: total.div_ceil(PAGE_SIZE as u64).max(1),
        facets,
        areas,
        degraded: results.degraded,
        map,
        level_id,
        can_moderate: viewer.may(tenant.id, Can::ModerateDirectory),
        can_import: viewer.may(tenant.id, Can::ImportDirectory),
        args,
    })
}

fn address(
    street: &Option<String>,
    postcode: &Option<String>,
    city: &Option<String>,
) -> Option<String> {
    let place = [postcode.as_deref(), city.as_deref()]
        .into_iter()
        .flatten()
        .collect::<Vec<_>>()
        .join(" ");
    let parts: Vec<&str> = [street.as_deref(), Some(place.as_str())]
        .into_iter()
        .flatten()
        .filter(|s| !s.is_empty())
        .collect();
    (!parts.is_empty()).then(|| parts.join(", "))
}

/// JSON for inside `<script>`: `<`, `>` and `&` escaped so no text can end the element.
fn script_json(v: &serde_json::Value) -> String {
    v.to_string()
        .replace('<', "\\u003c")
        .replace('>', "\\u003e")
        .replace('&', "\\u0026")
}

const SCHEMA_DAYS: [&str; 7] = [
    "Monday",
    "Tuesday",
    "Wednesday",
    "Thursday",
    "Friday",
    "Saturday",
    "Sunday",
];

fn postal(
    street: &Option<String>,
    postcode: &Option<String>,
    city: &Option<String>,
) -> serde_json::Value {
    serde_json::json!({
        "@type": "PostalAddress",
        "streetAddress": street,
        "postalCode": postcode,
        "addressLocality": city,
        "addressCountry": "DE",
    })
}

/// schema.org `Service` of an offer, provided by the actor's `Organization`.
pub fn offer_json_ld(
    base: &str,
    o: &offers::Model,
    a: &actors::Model,
    serves: &[AreaLink],
    categories: &Categories,
) -> serde_json::Value {
    let base = base.trim_end_matches('/');
    let s = schedule_of(o);
    let hours: Vec<serde_json::Value> = s
        .weekly
        .iter()
        .map(|w| {
            serde_json::json!({
                "@type": "OpeningHoursSpecification",
                "dayOfWeek": format!("https://schema.org/{}", SCHEMA_DAYS[usize::from(w.day.clamp(1, 7) - 1)]),
                "opens": w.from.format("%H:%M").to_string(),
                "closes": w.to.format("%H:%M").to_string(),
            })
        })
        .collect();
    let point = directory::offer_point(o, a);
    let (street, postcode, city) = if o.lon.is_some() {
        (&o.street, &o.postcode, &o.city)
    } else {
        (&a.street, &a.postcode, &a.city)
    };
    serde_json::json!({
        "@context": "https://schema.org",
        "@type": "Service",
        "@id": format!("{base}/angebot/{}", o.id),
        "url": format!("{base}/angebot/{}", o.id),
        "name": o.title,
        "description": crate::kernel::richtext::to_text(&o.description).split_whitespace().collect::<Vec<_>>().join(" "),
        "serviceType": category_labels(&list(&o.categories), categories),
        "audience": { "@type": "Audience", "audienceType": group_labels(&list(&o.target_groups)).join(", ") },
        "availableLanguage": list(&o.languages),
        "isAccessibleForFree": o.cost == "kostenlos",
        "hoursAvailable": hours,
        "areaServed": serves.iter().map(|s| serde_json::json!({"@type": "Place", "name": s.name})).collect::<Vec<_>>(),
        "availableChannel": {
            "@type": "ServiceChannel",
            "serviceLocation": {
                "@type": "Place",
                "address": postal(street, postcode, city),
                "geo": point.map(|p| serde_json::json!({"@type": "GeoCoordinates", "latitude": p.lat, "longitude": p.lon})),
            }
        },
        "provider": {
            "@type": "Organization",
            "@id": format!("{base}/akteur/{}", a.id),
            "name": a.name,
            "url": a.website.clone().unwrap_or_else(|| format!("{base}/akteur/{}", a.id)),
        },
    })
}

pub async fn offer_page(
    state: &AppState,
    viewer: &Viewer,
    id: i32,
    tenant_of: impl Fn(i32) -> Option<TenantSummary>,
    map: MapConfig,
) -> AppResult<OfferPageData> {
    let v = directory::offer_view(&state.db, viewer, id).await?;
    let (o, a) = (&v.offer, &v.actor);
    let categories = directory::categories::of(&state.db, o.tenant_id).await?;
    let mut facts: Vec<Fact> = vec![(
        "Kategorien".into(),
        category_labels(&list(&o.categories), &categories).join(", "),
    )];
    let groups = group_labels(&list(&o.target_groups));
    if !groups.is_empty() {
        facts.push(("Für wen".into(), groups.join(", ")));
    }
    match (o.age_min, o.age_max) {
        (Some(x), Some(y)) => facts.push(("Alter".into(), format!("{x} bis {y} Jahre"))),
        (Some(x), None) => facts.push(("Alter".into(), format!("ab {x} Jahren"))),
        (None, Some(y)) => facts.push(("Alter".into(), format!("bis {y} Jahre"))),
        (None, None) => {}
    }
    let langs = labels(&list(&o.languages), taxonomy::LANGUAGES);
    if !langs.is_empty() {
        facts.push(("Sprachen".into(), langs.join(", ")));
    }
    facts.push((
        "Kosten".into(),
        taxonomy::label(taxonomy::COSTS, &o.cost)
            .unwrap_or_default()
            .into(),
    ));
    facts.push((
        "Anmeldung".into(),
        if o.registration {
            "nötig"
        } else {
            "nicht nötig"
        }
        .into(),
    ));
    facts.push((
        "Barrierefrei".into(),
        if o.barrier_free { "ja" } else { "keine Angabe" }.into(),
    ));
    if o.valid_from.is_some() || o.valid_until.is_some() {
        facts.push((
            "Zeitraum".into(),
            format!(
                "{} bis {}",
                o.valid_from
                    .map_or("offen".into(), |d| d.format("%d.%m.%Y").to_string()),
                o.valid_until
                    .map_or("offen".into(), |d| d.format("%d.%m.%Y").to_string())
            ),
        ));
    }
    let serves: Vec<AreaLink> = v.serves.iter().map(link).collect();
    let point = directory::offer_point(o, a).map(|p| (p.lon, p.lat));
    let address = if o.lon.is_some() {
        address(&o.street, &o.postcode, &o.city)
    } else {
        address(&a.street, &a.postcode, &a.city)
    };
    let level_id = match v.placed.iter().map(|a| a.level_id).max() {
        Some(_) => {
            let levels = areas::levels(&state.db, viewer, o.tenant_id).await?;
            levels.last().map(|l| l.id)
        }
        None => None,
    };
    Ok(OfferPageData {
        tenant: tenant_of(o.tenant_id).ok_or(AppError::NotFound)?,
        id: o.id,
        title: o.title.clone(),
        description_html: o.description.clone(),
        actor_id: a.id,
        actor: a.name.clone(),
        facts,
        times: times(o),
        address,
        point,
        areas: v.placed.iter().map(link).collect(),
        json_ld: script_json(&offer_json_ld(
            &state.settings.public_url,
            o,
            a,
            &serves,
            &categories,
        )),
        serves,
        status: if o.status == PUBLISHED && a.status != PUBLISHED {
            a.status.clone()
        } else {
            o.status.clone()
        },
        change_pending: o.pending_change.is_some(),
        rejection_reason: o.rejection_reason.clone(),
        stale: v.stale,
        confirmed: day_de(o.confirmed_at),
        can_edit: v.can_edit,
        map,
        level_id,
    })
}

pub async fn actor_page(
    state: &AppState,
    viewer: &Viewer,
    id: i32,
    tenant_of: impl Fn(i32) -> Option<TenantSummary>,
) -> AppResult<ActorPageData> {
    let v = directory::actor_view(&state.db, viewer, id).await?;
    let a = &v.actor;
    let categories = directory::categories::of(&state.db, a.tenant_id).await?;
    let mut facts: Vec<Fact> = vec![(
        "Art".into(),
        taxonomy::label(taxonomy::ACTOR_KINDS, &a.kind)
            .unwrap_or_default()
            .into(),
    )];
    let langs = labels(&list(&a.languages), taxonomy::LANGUAGES);
    if !langs.is_empty() {
        facts.push(("Sprachen".into(), langs.join(", ")));
    }
    if let Some(c) = &a.contact_name {
        facts.push(("Ansprechperson".into(), c.clone()));
    }
    if let Some(p) = &a.phone {
        facts.push(("Telefon".into(), p.clone()));
    }
    if let Some(x) = &a.accessibility {
        facts.push(("Barrierefreiheit".into(), x.clone()));
    }
    let base = state.settings.public_url.trim_end_matches('/');
    let json_ld = serde_json::json!({
        "@context": "https://schema.org",
        "@type": "Organization",
        "@id": format!("{base}/akteur/{}", a.id),
        "name": a.name,
        "description": crate::kernel::richtext::to_text(&a.description).split_whitespace().collect::<Vec<_>>().join(" "),
        "url": a.website.clone().unwrap_or_else(|| format!("{base}/akteur/{}", a.id)),
        "email": a.email,
        "telephone": a.phone,
        "address": postal(&a.street, &a.postcode, &a.city),
        "geo": directory::offer_point_of_actor(a).map(|p| serde_json::json!({"@type": "GeoCoordinates", "latitude": p.lat, "longitude": p.lon})),
        "knowsLanguage": list(&a.languages),
    });
    Ok(ActorPageData {
        tenant: tenant_of(a.tenant_id).ok_or(AppError::NotFound)?,
        id: a.id,
        name: a.name.clone(),
        kind: taxonomy::label(taxonomy::ACTOR_KINDS, &a.kind)
            .unwrap_or_default()
            .into(),
        description_html: a.description.clone(),
        facts,
        website: a.website.clone(),
        email: a.email.clone(),
        address: address(&a.street, &a.postcode, &a.city),
        areas: directory::actor_placed(&state.db, viewer, a.id)
            .await?
            .iter()
            .map(link)
            .collect(),
        offers: v
            .offers
            .iter()
            .map(|o| card(o, a, None, &categories))
            .collect(),
        status: a.status.clone(),
        change_pending: a.pending_change.is_some(),
        rejection_reason: a.rejection_reason.clone(),
        stale: v.stale,
        confirmed: day_de(a.confirmed_at),
        can_edit: v.can_edit,
        json_ld: script_json(&json_ld),
    })
}

/// A form draft kept after a refused post (see `web::drafts`), else `fallback`.
fn draft_or<T: serde::de::DeserializeOwned>(
    state: &AppState,
    viewer: &Viewer,
    draft: Option<String>,
    fallback: T,
) -> T {
    let user = viewer.user.as_ref().map_or(0, |u| u.id);
    draft
        .and_then(|t| state.mem.form_drafts.get(&t, user))
        .and_then(|json| serde_json::from_str(&json).ok())
        .unwrap_or(fallback)
}

pub async fn provider_page(
    state: &AppState,
    viewer: &Viewer,
    tenant: &Tenant,
    sum: TenantSummary,
    draft: Option<String>,
    map: MapConfig,
) -> AppResult<ProviderData> {
    let signed_in = viewer.user.is_some();
    let categories = directory::categories::of(&state.db, tenant.id).await?;
    let actors = if signed_in {
        directory::mine(&state.db, viewer, tenant.id)
            .await?
            .iter()
            .map(|v| {
                (
                    actor_card(&v.actor),
                    v.offers
                        .iter()
                        .map(|o| card(o, &v.actor, None, &categories))
                        .collect(),
                )
            })
            .collect()
    } else {
        Vec::new()
    };
    let levels = areas::levels(&state.db, viewer, tenant.id).await?;
    Ok(ProviderData {
        tenant: sum,
        signed_in,
        actors,
        form: draft_or(
            state,
            viewer,
            draft,
            ActorInput {
                kind: "verein".into(),
                languages: vec!["de".into()],
                ..ActorInput::default()
            },
        ),
        map,
        level_id: levels.last().map(|l| l.id),
    })
}

pub async fn actor_form(
    state: &AppState,
    viewer: &Viewer,
    id: i32,
    draft: Option<String>,
    tenant_of: impl Fn(i32) -> Option<TenantSummary>,
    map: MapConfig,
) -> AppResult<ActorFormData> {
    let v = directory::actor_view(&state.db, viewer, id).await?;
    if !v.can_edit {
        return Err(AppError::Forbidden);
    }
    let a = &v.actor;
    // A waiting change is what the provider last wrote: edit that, not the published version.
    let current = a
        .pending_change
        .as_deref()
        .and_then(|p| serde_json::from_str(p).ok())
        .unwrap_or_else(|| directory::actor_input(a));
    let levels = areas::levels(&state.db, viewer, a.tenant_id).await?;
    Ok(ActorFormData {
        tenant: tenant_of(a.tenant_id).ok_or(AppError::NotFound)?,
        id,
        form: draft_or(state, viewer, draft, current),
        change_pending: a.pending_change.is_some(),
        map,
        level_id: levels.last().map(|l| l.id),
    })
}

pub async fn offer_form(
    state: &AppState,
    viewer: &Viewer,
    actor_id: Option<i32>,
    offer_id: Option<i32>,
    draft: Option<String>,
    tenant_of: impl Fn(i32) -> Option<TenantSummary>,
    map: MapConfig,
) -> AppResult<OfferFormData> {
    let (offer, actor_id) = match (offer_id, actor_id) {
        (Some(o), _) => {
            let o = directory::offer_by_id(&state.db, o).await?;
            let a = o.actor_id;
            (Some(o), a)
        }
        (None, Some(a)) => (None, a),
        (None, None) => return Err(AppError::NotFound),
    };
    let v = directory::actor_view(&state.db, viewer, actor_id).await?;
    if !v.can_edit {
        return Err(AppError::Forbidden);
    }
    let current = match &offer {
        Some(o) => match o
            .pending_change
            .as_deref()
            .and_then(|p| serde_json::from_str(p).ok())
        {
            Some(pending) => pending,
            None => directory::offer_input(o, directory::serves_of(&state.db, o.id).await?),
        },
        None => OfferInput {
            cost: "kostenlos".into(),
            languages: vec!["de".into()],
            ..OfferInput::default()
        },
    };
    let (areas, level_id) = tenant_areas(state, viewer, v.actor.tenant_id).await?;
    let categories = directory::categories::of(&state.db, v.actor.tenant_id).await?;
    Ok(OfferFormData {
        tenant: tenant_of(v.actor.tenant_id).ok_or(AppError::NotFound)?,
        actor_id,
        actor: v.actor.name.clone(),
        offer_id: offer.as_ref().map(|o| o.id),
        change_pending: offer.as_ref().is_some_and(|o| o.pending_change.is_some()),
        form: draft_or(state, viewer, draft, current),
        areas,
        map,
        level_id,
        categories: categories.choices(),
    })
}

pub async fn review_page(
    state: &AppState,
    viewer: &Viewer,
    tenant: &Tenant,
    sum: TenantSummary,
    page: u64,
) -> AppResult<ReviewData> {
    let items = directory::queue(&state.db, viewer, tenant.id).await?;
    let total = items.len() as u64;
    let pages = total.div_ceil(qn_app::api::QUEUE_PAGE).max(1);
    let page = page.clamp(1, pages);
    let skip = usize::try_from((page - 1) * qn_app::api::QUEUE_PAGE).unwrap_or(usize::MAX);
    let take = usize::try_from(qn_app::api::QUEUE_PAGE).unwrap_or(usize::MAX);
    let items: Vec<_> = items.into_iter().skip(skip).take(take).collect();
    // The areas of every card's point in one query (the moderator sees where it will show).
    let placed: Vec<Vec<i32>> = items
        .iter()
        .map(|i| {
            i.point
                .map(|p| directory::place(state, tenant.id, p))
                .unwrap_or_default()
        })
        .collect();
    let all: Vec<i32> = placed.iter().flatten().copied().collect();
    let names: HashMap<i32, area_table::Model> = areas::by_ids(&state.db, viewer, &all)
        .await?
        .into_iter()
        .map(|a| (a.id, a))
        .collect();
    Ok(ReviewData {
        tenant: sum,
        total,
        page,
        pages,
        items: items
            .into_iter()
            .zip(placed)
            .map(|(i, placed)| ReviewItem {
                point: i.point.map(|p| (p.lon, p.lat)),
                areas: placed
                    .iter()
                    .filter_map(|id| names.get(id))
                    .map(link)
                    .collect(),
                kind: i.kind.as_str().into(),
                id: i.id,
                name: i.name,
                actor_id: i.actor_id,
                actor: i.actor_name,
                changed: i
                    .changed
                    .map(|c| c.iter().map(|f| field_label(f).to_owned()).collect()),
                since: i.since.format("%d.%m.%Y, %H:%M").to_string(),
            })
            .collect(),
    })
}

/// German names of the input fields (for "what changed" in the queue).
fn field_label(f: &str) -> &str {
    match f {
        "name" => "Name",
        "title" => "Titel",
        "kind" => "Art",
        "description" => "Beschreibung",
        "contact_name" => "Ansprechperson",
        "email" => "E-Mail",
        "phone" => "Telefon",
        "street" => "Straße",
        "postcode" => "Postleitzahl",
        "city" => "Ort",
        "lon" | "lat" => "Lage",
        "website" => "Webseite",
        "languages" => "Sprachen",
        "accessibility" => "Barrierefreiheit",
        "categories" => "Kategorien",
        "target_groups" => "Zielgruppen",
        "age_min" | "age_max" => "Alter",
        "schedule" => "Zeiten",
        "cost" => "Kosten",
        "registration" => "Anmeldung",
        "barrier_free" => "Barrierefrei",
        "valid_from" | "valid_until" => "Zeitraum",
        "serves" => "Gebiete",
        other => other,
    }
}

pub async fn import_page(
    state: &AppState,
    viewer: &Viewer,
    tenant: &Tenant,
    sum: TenantSummary,
) -> AppResult<DirectoryImportData> {
    use qn_domain::indicators::IndicatorKind;
    viewer.require(tenant.id, Can::ImportDirectory)?;
    let populations = crate::indicators::list(&state.db, viewer, tenant.id)
        .await?
        .into_iter()
        .filter(|i| {
            i.tenant_id == tenant.id
                && matches!(
                    crate::indicators::kind(i),
                    IndicatorKind::Count | IndicatorKind::Share
                )
        })
        .map(|i| (i.id, i.name))
        .collect();
    Ok(DirectoryImportData {
        tenant: sum,
        populations,
        categories: directory::categories::of(&state.db, tenant.id)
            .await?
            .choices(),
    })
}

/// The planners' category list, with how many offers carry each category.
pub async fn categories_page(
    state: &AppState,
    viewer: &Viewer,
    tenant: &Tenant,
    sum: TenantSummary,
) -> AppResult<CategoriesData> {
    viewer.require(tenant.id, Can::EditCategories)?;
    let categories = directory::categories::of(&state.db, tenant.id).await?;
    let used: Vec<String> = offers::Entity::find()
        .select_only()
        .column(offers::Column::Categories)
        .filter(offers::Column::TenantId.eq(tenant.id))
        .into_tuple()
        .all(&state.db)
        .await?;
    let mut counts: HashMap<String, u64> = HashMap::new();
    for keys in used {
        for k in list(&keys) {
            *counts.entry(k).or_default() += 1;
        }
    }
    Ok(CategoriesData {
        tenant: sum,
        categories: categories
            .0
            .into_iter()
            .map(|c| CategoryRow {
                offers: counts.get(&c.key).copied().unwrap_or(0),
                key: c.key,
                label: c.label,
                retired: c.retired,
            })
            .collect(),
    })
}

/// Public offers lying in or serving an area, for the Quartier page.
pub async fn area_offers(state: &AppState, area_id: i32) -> AppResult<Vec<OfferCard>> {
    let offers = directory::area_offers(&state.db, area_id).await?;
    let tenants: Vec<i32> = offers
        .iter()
        .map(|(o, _)| o.tenant_id)
        .collect::<std::collections::BTreeSet<_>>()
        .into_iter()
        .collect();
    let categories = directory::categories::of_tenants(&state.db, &tenants).await?;
    let none = Categories::default();
    Ok(offers
        .iter()
        .map(|(o, a)| card(o, a, None, categories.get(&o.tenant_id).unwrap_or(&none)))
        .collect())
}

/// Ids of offers among `ids` (hits) that are still there, for GeoJSON of a search.
pub async fn search_points(
    state: &AppState,
    tenant_id: i32,
    args: &OfferSearchArgs,
) -> AppResult<serde_json::Value> {
    let q = query_of(tenant_id, args, 0, MAX_LIMIT);
    // Open data: what an anonymous visitor may see.
    let results = directory::index::find(state, &Viewer::anonymous(), &q).await?;
    let ids: Vec<i32> = results
        .hits
        .iter()
        .filter_map(|h| i32::try_from(h.id).ok())
        .collect();
    let rows = directory::offers_with_actors(&state.db, &ids).await?;
    Ok(directory::export::collection(&rows))
}

/// Offers of an area as GeoJSON points (the Quartier map).
pub async fn area_points(state: &AppState, area_id: i32) -> AppResult<serde_json::Value> {
    let rows = directory::area_offers(&state.db, area_id).await?;
    Ok(directory::export::collection(&rows))
}
