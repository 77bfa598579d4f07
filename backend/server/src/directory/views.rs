//! What readers see: an offer, an actor, one's own entries, a Quartier's offers.

use super::*;
use crate::directory::EntryStatus;

/// Whether an offer is public today.
pub fn offer_public(o: &offers::Model, a: &actors::Model, today: chrono::NaiveDate) -> bool {
    o.status == EntryStatus::Published
        && a.status == EntryStatus::Published
        && entry::valid_on(o.valid_from, o.valid_until, today)
}

/// An offer with its actor, as its page shows it.
#[derive(Debug, Clone)]
pub struct OfferView {
    pub offer: offers::Model,
    pub actor: actors::Model,
    /// Areas it lies in (every level), then the areas it serves.
    pub placed: Vec<areas::Model>,
    pub serves: Vec<areas::Model>,
    pub can_edit: bool,
    pub stale: bool,
}

/// # Errors
/// `NotFound` also for entries the viewer may not see (not public, not theirs).
pub async fn offer_view(
    db: &impl ConnectionTrait,
    viewer: &Viewer,
    id: i32,
) -> AppResult<OfferView> {
    let offer = offer_by_id(db, id).await?;
    let actor = actor_by_id(db, offer.actor_id).await?;
    let can_edit = may_see_unpublished(db, viewer, &actor).await?;
    if !can_edit && !offer_public(&offer, &actor, Utc::now().date_naive()) {
        return Err(AppError::NotFound);
    }
    let placed_ids: Vec<i32> = offer_areas::Entity::find()
        .select_only()
        .column(offer_areas::Column::AreaId)
        .filter(offer_areas::Column::OfferId.eq(id))
        .into_tuple()
        .all(db)
        .await?;
    let serves_ids = serves_of(db, id).await?;
    let all: Vec<i32> = placed_ids.iter().chain(&serves_ids).copied().collect();
    // Placement reaches every level; the page names only the areas the viewer may see.
    let found: HashMap<i32, areas::Model> = crate::areas::by_ids(db, viewer, &all)
        .await?
        .into_iter()
        .map(|a| (a.id, a))
        .collect();
    let pick = |ids: &[i32]| {
        ids.iter()
            .filter_map(|i| found.get(i).cloned())
            .collect::<Vec<_>>()
    };
    Ok(OfferView {
        stale: entry::is_stale(offer.confirmed_at, Utc::now()),
        placed: pick(&placed_ids),
        serves: pick(&serves_ids),
        offer,
        actor,
        can_edit,
    })
}

/// The areas an actor lies in (every level the viewer may see), so that the provider and the
/// moderators see where its address or point placed it.
///
/// # Errors
/// Database errors.
pub async fn actor_placed(
    db: &impl ConnectionTrait,
    viewer: &Viewer,
    id: i32,
) -> AppResult<Vec<areas::Model>> {
    let ids: Vec<i32> = actor_areas::Entity::find()
        .select_only()
        .column(actor_areas::Column::AreaId)
        .filter(actor_areas::Column::ActorId.eq(id))
        .into_tuple()
        .all(db)
        .await?;
    crate::areas::by_ids(db, viewer, &ids).await
}

/// An actor with the offers the viewer may see.
#[derive(Debug, Clone)]
pub struct ActorView {
    pub actor: actors::Model,
    pub offers: Vec<offers::Model>,
    pub can_edit: bool,
    pub stale: bool,
}

/// # Errors
/// `NotFound` also for actors the viewer may not see.
pub async fn actor_view(
    db: &impl ConnectionTrait,
    viewer: &Viewer,
    id: i32,
) -> AppResult<ActorView> {
    let actor = actor_by_id(db, id).await?;
    let can_edit = may_see_unpublished(db, viewer, &actor).await?;
    if !can_edit && actor.status != EntryStatus::Published {
        return Err(AppError::NotFound);
    }
    let today = Utc::now().date_naive();
    let offers = offers::Entity::find()
        .filter(offers::Column::ActorId.eq(id))
        .order_by_asc(offers::Column::Title)
        .all(db)
        .await?
        .into_iter()
        .filter(|o| can_edit || offer_public(o, &actor, today))
        .collect();
    Ok(ActorView {
        stale: entry::is_stale(actor.confirmed_at, Utc::now()),
        actor,
        offers,
        can_edit,
    })
}

/// The actors the viewer is a member of in a tenant (the provider's "Meine Einträge").
///
/// # Errors
/// `Unauthenticated`.
pub async fn mine(
    db: &impl ConnectionTrait,
    viewer: &Viewer,
    tenant_id: i32,
) -> AppResult<Vec<ActorView>> {
    let user = viewer.user.as_ref().ok_or(AppError::Unauthenticated)?;
    let ids: Vec<i32> = actor_members::Entity::find()
        .select_only()
        .column(actor_members::Column::ActorId)
        .filter(actor_members::Column::UserId.eq(user.id))
        .into_tuple()
        .all(db)
        .await?;
    let list = actors::Entity::find()
        .filter(actors::Column::Id.is_in(ids))
        .filter(actors::Column::TenantId.eq(tenant_id))
        .order_by_asc(actors::Column::Name)
        .all(db)
        .await?;
    let mut offers_by: HashMap<i32, Vec<offers::Model>> = HashMap::new();
    for o in offers::Entity::find()
        .filter(offers::Column::ActorId.is_in(list.iter().map(|a| a.id)))
        .order_by_asc(offers::Column::Title)
        .all(db)
        .await?
    {
        offers_by.entry(o.actor_id).or_default().push(o);
    }
    let now = Utc::now();
    Ok(list
        .into_iter()
        .map(|a| ActorView {
            stale: entry::is_stale(a.confirmed_at, now),
            offers: offers_by.remove(&a.id).unwrap_or_default(),
            actor: a,
            can_edit: true,
        })
        .collect())
}

/// Public offers that lie in or serve an area, with their actor's name, by title.
///
/// # Errors
/// Database errors.
pub async fn area_offers(
    db: &impl ConnectionTrait,
    area_id: i32,
) -> AppResult<Vec<(offers::Model, actors::Model)>> {
    let mut ids: Vec<i32> = offer_areas::Entity::find()
        .select_only()
        .column(offer_areas::Column::OfferId)
        .filter(offer_areas::Column::AreaId.eq(area_id))
        .into_tuple()
        .all(db)
        .await?;
    ids.extend(
        offer_serves::Entity::find()
            .select_only()
            .column(offer_serves::Column::OfferId)
            .filter(offer_serves::Column::AreaId.eq(area_id))
            .into_tuple::<i32>()
            .all(db)
            .await?,
    );
    ids.sort_unstable();
    ids.dedup();
    let mut out = Vec::new();
    for chunk in ids.chunks(500) {
        let list = offers::Entity::find()
            .filter(offers::Column::Id.is_in(chunk.iter().copied()))
            .filter(offers::Column::Status.eq(EntryStatus::Published))
            .all(db)
            .await?;
        let actor_ids: BTreeSet<i32> = list.iter().map(|o| o.actor_id).collect();
        let actors_by = actors_by_id(db, actor_ids).await?;
        let today = Utc::now().date_naive();
        for o in list {
            if let Some(a) = actors_by.get(&o.actor_id) {
                if offer_public(&o, a, today) {
                    out.push((o, a.clone()));
                }
            }
        }
    }
    out.sort_by_cached_key(|x| x.0.title.to_lowercase());
    Ok(out)
}
