//! Open data: the public offers of a tenant as CSV (one row per offer, keys and German labels)
//! and as GeoJSON points. Only what the offer pages show anyway; no member data.

use super::entity::{actors, offers};
use super::{list, offer_point, offer_public, schedule_of};
use crate::kernel::error::{AppError, AppResult};
use chrono::Utc;
use qn_domain::directory::taxonomy;
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder};
use std::collections::HashMap;

/// Public offers of a tenant with their actors, by id.
///
/// # Errors
/// Database errors.
pub async fn public_offers(
    db: &impl ConnectionTrait,
    tenant_id: i32,
) -> AppResult<Vec<(offers::Model, actors::Model)>> {
    let actors_by: HashMap<i32, actors::Model> = actors::Entity::find()
        .filter(actors::Column::TenantId.eq(tenant_id))
        .filter(actors::Column::Status.eq(super::EntryStatus::Published))
        .all(db)
        .await?
        .into_iter()
        .map(|a| (a.id, a))
        .collect();
    let today = Utc::now().date_naive();
    Ok(offers::Entity::find()
        .filter(offers::Column::TenantId.eq(tenant_id))
        .filter(offers::Column::Status.eq(super::EntryStatus::Published))
        .order_by_asc(offers::Column::Id)
        .all(db)
        .await?
        .into_iter()
        .filter_map(|o| {
            let a = actors_by.get(&o.actor_id)?;
            offer_public(&o, a, today).then(|| (o, a.clone()))
        })
        .collect())
}

fn point(o: &offers::Model, a: &actors::Model) -> Option<(f64, f64)> {
    offer_point(o, a).map(|p| (p.lon, p.lat))
}

/// CSV (UTF-8 with BOM, `;`), for spreadsheets.
///
/// # Errors
/// Database errors.
pub async fn csv(db: &impl ConnectionTrait, tenant_id: i32, base_url: &str) -> AppResult<String> {
    let rows = public_offers(db, tenant_id).await?;
    let categories = super::categories::of(db, tenant_id).await?;
    let mut w = qn_domain::csv_out::Sheet::new(true, false);
    let header = [
        "id",
        "titel",
        "akteur_id",
        "akteur",
        "kategorien",
        "zielgruppen",
        "alter_von",
        "alter_bis",
        "sprachen",
        "zeiten",
        "kosten",
        "anmeldung",
        "barrierefrei",
        "strasse",
        "plz",
        "ort",
        "laenge",
        "breite",
        "gueltig_ab",
        "gueltig_bis",
        "beschreibung",
        "url",
    ];
    w.write_record(header).map_err(AppError::internal)?;
    fn labels<'l>(keys: Vec<String>, f: impl Fn(&str) -> Option<&'l str>) -> String {
        keys.iter()
            .map(|k| f(k).unwrap_or(k.as_str()).to_owned())
            .collect::<Vec<_>>()
            .join(", ")
    }
    for (o, a) in rows {
        let p = point(&o, &a);
        let street = o
            .street
            .clone()
            .or_else(|| a.street.clone())
            .unwrap_or_default();
        let postcode = o
            .postcode
            .clone()
            .or_else(|| a.postcode.clone())
            .unwrap_or_default();
        let city = o
            .city
            .clone()
            .or_else(|| a.city.clone())
            .unwrap_or_default();
        w.write_record([
            o.id.to_string(),
            o.title.clone(),
            a.id.to_string(),
            a.name.clone(),
            labels(list(&o.categories), |k| categories.label(k)),
            labels(list(&o.target_groups), taxonomy::target_group_label),
            o.age_min.map(|v| v.to_string()).unwrap_or_default(),
            o.age_max.map(|v| v.to_string()).unwrap_or_default(),
            labels(list(&o.languages), |k| {
                taxonomy::label(taxonomy::LANGUAGES, k)
            }),
            schedule_of(&o).to_text().replace('\n', "; "),
            taxonomy::label(taxonomy::COSTS, &o.cost)
                .unwrap_or_default()
                .to_owned(),
            if o.registration { "ja" } else { "nein" }.into(),
            if o.barrier_free { "ja" } else { "nein" }.into(),
            street,
            postcode,
            city,
            p.map(|p| format!("{:.6}", p.0)).unwrap_or_default(),
            p.map(|p| format!("{:.6}", p.1)).unwrap_or_default(),
            o.valid_from.map(|d| d.to_string()).unwrap_or_default(),
            o.valid_until.map(|d| d.to_string()).unwrap_or_default(),
            crate::kernel::richtext::to_text(&o.description)
                .split_whitespace()
                .collect::<Vec<_>>()
                .join(" "),
            format!("{}/angebot/{}", base_url.trim_end_matches('/'), o.id),
        ])
        .map_err(AppError::internal)?;
    }
    Ok(w.into_string())
}

/// A GeoJSON point feature of an offer (also used by the maps).
pub fn feature(o: &offers::Model, a: &actors::Model) -> Option<serde_json::Value> {
    let (lon, lat) = point(o, a)?;
    Some(serde_json::json!({
        "type": "Feature",
        "id": o.id,
        "geometry": { "type": "Point", "coordinates": [lon, lat] },
        "properties": {
            "title": o.title,
            "kind": "angebot",
            "url": format!("/angebot/{}", o.id),
            "actor": a.name,
            "actor_id": a.id,
            "categories": list(&o.categories),
            "target_groups": list(&o.target_groups),
            "languages": list(&o.languages),
            "cost": o.cost,
            "weekdays": schedule_of(o).weekdays(),
        }
    }))
}

pub fn collection(rows: &[(offers::Model, actors::Model)]) -> serde_json::Value {
    serde_json::json!({
        "type": "FeatureCollection",
        "features": rows.iter().filter_map(|(o, a)| feature(o, a)).collect::<Vec<_>>(),
    })
}
