//! The data of the directory pages, built on the directory services (the same rules of
//! visibility and editing as everywhere), with German labels for the taxonomy keys.

mod entry_pages;
mod forms;
mod search;
pub use entry_pages::*;
pub use forms::*;
pub use search::*;

use crate::areas::{self, entity::areas as area_table};
use crate::directory::{self, entity::actors, entity::offers, list, schedule_of};
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
        status: o.status.as_str().to_owned(),
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
        status: a.status.as_str().to_owned(),
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
    let results = directory::search_sync::find(state, &Viewer::anonymous(), &q).await?;
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
