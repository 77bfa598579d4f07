//! Keeping the search index in step with the database: documents of public offers, updated
//! after every change, rebuilt as a whole by `quartiersnetz search reindex` (and daily, since
//! offers leave their validity period without a change), and the search itself with a
//! fallback to the database when the search server does not answer.

use super::entity::{actors, offer_areas, offer_serves, offers};
use super::{actor_point, list, offer_public, schedule_of};
use crate::kernel::error::{AppError, AppResult};
use crate::kernel::state::AppState;
use crate::kernel::viewer::Viewer;
use chrono::Utc;
use qn_domain::directory::search::{self, OfferDoc, SearchQuery, SearchResults};
use qn_domain::directory::{taxonomy, Point};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QuerySelect};
use std::collections::{BTreeSet, HashMap};

/// Search documents of the public offers among `ids` (all offers of all tenants for `None`).
///
/// # Errors
/// Database errors.
pub async fn docs(db: &impl ConnectionTrait, ids: Option<&[i32]>) -> AppResult<Vec<OfferDoc>> {
    let mut q =
        offers::Entity::find().filter(offers::Column::Status.eq(super::EntryStatus::Published));
    if let Some(ids) = ids {
        q = q.filter(offers::Column::Id.is_in(ids.iter().copied()));
    }
    let list_offers = q.all(db).await?;
    docs_of(db, list_offers).await
}

/// Documents of the public offers of one tenant (the database fallback's corpus, coverage).
pub async fn docs_of_tenant(db: &impl ConnectionTrait, tenant_id: i32) -> AppResult<Vec<OfferDoc>> {
    let list_offers = offers::Entity::find()
        .filter(offers::Column::Status.eq(super::EntryStatus::Published))
        .filter(offers::Column::TenantId.eq(tenant_id))
        .all(db)
        .await?;
    docs_of(db, list_offers).await
}

async fn docs_of(
    db: &impl ConnectionTrait,
    list_offers: Vec<offers::Model>,
) -> AppResult<Vec<OfferDoc>> {
    let actor_ids: BTreeSet<i32> = list_offers.iter().map(|o| o.actor_id).collect();
    let mut actors_by: HashMap<i32, actors::Model> = HashMap::new();
    let actor_ids: Vec<i32> = actor_ids.into_iter().collect();
    for chunk in actor_ids.chunks(1_000) {
        for a in actors::Entity::find()
            .filter(actors::Column::Id.is_in(chunk.iter().copied()))
            .all(db)
            .await?
        {
            actors_by.insert(a.id, a);
        }
    }
    let today = Utc::now().date_naive();
    let public: Vec<(offers::Model, &actors::Model)> = list_offers
        .into_iter()
        .filter_map(|o| {
            let a = actors_by.get(&o.actor_id)?;
            offer_public(&o, a, today).then_some((o, a))
        })
        .collect();
    let ids: Vec<i32> = public.iter().map(|(o, _)| o.id).collect();
    let tenants: Vec<i32> = public
        .iter()
        .map(|(o, _)| o.tenant_id)
        .collect::<BTreeSet<_>>()
        .into_iter()
        .collect();
    let categories = super::categories::of_tenants(db, &tenants).await?;
    let mut areas_by: HashMap<i32, BTreeSet<i32>> = HashMap::new();
    for chunk in ids.chunks(1_000) {
        let placed: Vec<(i32, i32)> = offer_areas::Entity::find()
            .select_only()
            .columns([offer_areas::Column::OfferId, offer_areas::Column::AreaId])
            .filter(offer_areas::Column::OfferId.is_in(chunk.iter().copied()))
            .into_tuple()
            .all(db)
            .await?;
        let served: Vec<(i32, i32)> = offer_serves::Entity::find()
            .select_only()
            .columns([offer_serves::Column::OfferId, offer_serves::Column::AreaId])
            .filter(offer_serves::Column::OfferId.is_in(chunk.iter().copied()))
            .into_tuple()
            .all(db)
            .await?;
        for (o, a) in placed.into_iter().chain(served) {
            areas_by.entry(o).or_default().insert(a);
        }
    }
    Ok(public
        .into_iter()
        .map(|(o, a)| {
            let location = match (o.lon, o.lat) {
                (Some(lon), Some(lat)) => Some(Point { lon, lat }),
                _ => actor_point(a),
            };
            let categories_of = categories.get(&o.tenant_id);
            let categories = list(&o.categories);
            let target_groups = list(&o.target_groups);
            // Category and target-group labels are searchable words too ("Sprachkurs").
            let tags = categories
                .iter()
                .filter_map(|c| categories_of.and_then(|list| list.label(c)))
                .map(str::to_owned)
                .chain(
                    target_groups
                        .iter()
                        .filter_map(|g| taxonomy::target_group_label(g).map(str::to_owned)),
                )
                .collect();
            OfferDoc {
                id: i64::from(o.id),
                tenant_id: o.tenant_id,
                description: crate::kernel::richtext::to_text(&o.description)
                    .split_whitespace()
                    .collect::<Vec<_>>()
                    .join(" "),
                actor: a.name.clone(),
                categories,
                target_groups,
                tags,
                languages: list(&o.languages),
                cost: o.cost.clone(),
                weekdays: schedule_of(&o).weekdays(),
                area_ids: areas_by
                    .remove(&o.id)
                    .unwrap_or_default()
                    .into_iter()
                    .collect(),
                location,
                title: o.title,
            }
        })
        .collect())
}

/// Brings the index up to date for these offers (added, changed, gone or no longer public).
/// A failure is logged, not returned: the change is stored, and the next reindex repairs it.
pub async fn sync_offers(state: &AppState, ids: &[i32]) {
    for chunk in ids.chunks(1_000) {
        sync_chunk(state, chunk).await;
    }
}

async fn sync_chunk(state: &AppState, ids: &[i32]) {
    let result = async {
        let d = docs(&state.db, Some(ids)).await?;
        let public: BTreeSet<i64> = d.iter().map(|d| d.id).collect();
        let gone: Vec<i64> = ids
            .iter()
            .map(|i| i64::from(*i))
            .filter(|i| !public.contains(i))
            .collect();
        if !d.is_empty() {
            state.search.upsert(d).await.map_err(AppError::internal)?;
        }
        if !gone.is_empty() {
            state
                .search
                .remove(&gone)
                .await
                .map_err(AppError::internal)?;
        }
        Ok::<(), AppError>(())
    }
    .await;
    if let Err(e) = result {
        tracing::error!(error = %e.public_message(), "search index update");
    }
}

/// [`sync_offers`] for every offer of an actor (its name or place changed).
pub async fn sync_actor(state: &AppState, actor_id: i32) {
    let ids: Result<Vec<i32>, _> = offers::Entity::find()
        .select_only()
        .column(offers::Column::Id)
        .filter(offers::Column::ActorId.eq(actor_id))
        .into_tuple()
        .all(&state.db)
        .await;
    match ids {
        Ok(ids) if !ids.is_empty() => sync_offers(state, &ids).await,
        Ok(_) => {}
        Err(e) => tracing::error!(error = %e, "search index update"),
    }
}

/// Rebuilds the whole index from the database. Returns the number of indexed offers.
///
/// # Errors
/// Database errors and a search server that does not accept the documents.
pub async fn reindex(state: &AppState) -> AppResult<usize> {
    let d = docs(&state.db, None).await?;
    let n = d.len();
    state
        .search
        .replace_all(d)
        .await
        .map_err(AppError::internal)?;
    Ok(n)
}

/// Indexes every public offer of a tenant again (after its category labels changed).
/// A failure is logged, not returned, as in [`sync_offers`].
pub async fn reindex_tenant(state: &AppState, tenant_id: i32) {
    let result = async {
        let d = docs_of_tenant(&state.db, tenant_id).await?;
        state.search.upsert(d).await.map_err(AppError::internal)
    }
    .await;
    if let Err(e) = result {
        tracing::error!(error = %e, tenant_id, "search index update");
    }
}

/// Searches with the configured backend; when it cannot answer, searches the database
/// (simple word matching, no typo tolerance) and says so with `degraded`.
///
/// # Errors
/// Database errors of the fallback.
///
/// Offers are placed in the areas of every level, restricted ones too; the viewer learns only of
/// those they may see: a filter by an area they may not see finds nothing, and the area facet
/// lists visible areas only.
pub async fn find(state: &AppState, viewer: &Viewer, q: &SearchQuery) -> AppResult<SearchResults> {
    let mut wanted: Vec<i32> = q.filters.area.into_iter().collect();
    let mut r = match state.search.search(q).await {
        Ok(r) => r,
        Err(e) => {
            tracing::warn!(backend = state.search.name(), error = %e, "search falls back to the database");
            fallback(&state.db, q).await?
        }
    };
    wanted.extend(r.facets.areas.keys().copied());
    let visible: std::collections::HashSet<i32> = crate::areas::by_ids(&state.db, viewer, &wanted)
        .await?
        .into_iter()
        .map(|a| a.id)
        .collect();
    if q.filters.area.is_some_and(|a| !visible.contains(&a)) {
        return Ok(SearchResults::default());
    }
    r.facets.areas.retain(|a, _| visible.contains(a));
    Ok(r)
}

/// The database fallback: every word must appear (case-insensitive, umlauts folded) in the
/// title, the actor's name, the category and target-group labels or the description.
///
/// # Errors
/// Database errors.
pub async fn fallback(db: &impl ConnectionTrait, q: &SearchQuery) -> AppResult<SearchResults> {
    let corpus = docs_of_tenant(db, q.tenant_id).await?;
    let fold = |s: &str| {
        s.to_lowercase()
            .replace('ä', "ae")
            .replace('ö', "oe")
            .replace('ü', "ue")
            .replace('ß', "ss")
    };
    let words: Vec<String> = q.text.split_whitespace().map(fold).collect();
    let matched = corpus.iter().filter_map(|d| {
        if !search::passes(d, q) {
            return None;
        }
        let title = fold(&d.title);
        let text = format!(
            "{title} {} {} {}",
            fold(&d.actor),
            fold(&d.tags.join(" ")),
            fold(&d.description)
        );
        if !words.iter().all(|w| text.contains(w.as_str())) {
            return None;
        }
        let score = words.iter().filter(|w| title.contains(w.as_str())).count() as f32;
        Some((d, score))
    });
    let mut r = search::finish(q, matched);
    r.degraded = true;
    Ok(r)
}
