//! An offer's and an actor's page, with schema.org data.

use super::*;
use crate::directory::EntryStatus;

pub(super) fn address(
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
pub(super) fn script_json(v: &serde_json::Value) -> String {
    v.to_string()
        .replace('<', "\\u003c")
        .replace('>', "\\u003e")
        .replace('&', "\\u0026")
}

pub(super) const SCHEMA_DAYS: [&str; 7] = [
    "Monday",
    "Tuesday",
    "Wednesday",
    "Thursday",
    "Friday",
    "Saturday",
    "Sunday",
];

pub(super) fn postal(
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
        status: if o.status == EntryStatus::Published && a.status != EntryStatus::Published {
            a.status.as_str().to_owned()
        } else {
            o.status.as_str().to_owned()
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
        status: a.status.as_str().to_owned(),
        change_pending: a.pending_change.is_some(),
        rejection_reason: a.rejection_reason.clone(),
        stale: v.stale,
        confirmed: day_de(a.confirmed_at),
        can_edit: v.can_edit,
        json_ld: script_json(&json_ld),
    })
}
