//! The actor and offer directory: storage, self-service with moderation, placement in areas,
//! the audit trail and keeping the search index in step. Input rules are
//! `qn_domain::directory::entry`; this module decides who may do what and writes it.
//!
//! Visibility: an offer is public when it and its actor are `published` and today lies in its
//! validity period. Members of the actor and the tenant's staff also see pending and rejected
//! entries (with the reason), and changes waiting for review.

pub mod categories;
pub mod coverage;
pub mod entity;
mod entries;
pub mod export;
pub mod import;
mod moderation;
pub mod search_sync;
mod upkeep;
mod views;
pub use entries::*;
pub use moderation::*;
pub use upkeep::*;
pub use views::*;

use crate::accounts;
use crate::areas::entity::areas;
use crate::kernel::audit;
use crate::kernel::error::{AppError, AppResult};
use crate::kernel::permissions::Can;
use crate::kernel::state::AppState;
use crate::kernel::viewer::Viewer;
use chrono::{DateTime, Utc};
use entity::{actor_areas, actor_members, actors, offer_areas, offer_serves, offers};
use qn_domain::directory::entry::{self, needs_review, ActorInput, Editor, OfferInput};
use qn_domain::directory::schedule::Schedule;
use qn_domain::directory::{EntryError, Point};
use qn_domain::tenancy::Role;
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter,
    QueryOrder, QuerySelect, QueryTrait, Set,
};
use std::collections::{BTreeSet, HashMap};

pub use entity::EntryStatus;

/// Whether a change is live or waits for a moderator.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    Published,
    Waiting,
}

/// Entries are subjects of the tenant's audit log (`actor:12`, `offer:7`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Actor,
    Offer,
}

qn_domain::str_enum!(Kind, AppError, AppError::Validation, {
    Actor => "actor",
    Offer => "offer",
});

impl Kind {
    /// The stored word or the German one of the forms (`akteur`, `angebot`).
    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "akteur" => Some(Self::Actor),
            "angebot" => Some(Self::Offer),
            _ => s.parse().ok(),
        }
    }
}

fn subject(kind: Kind, id: i32) -> String {
    format!("{}:{id}", kind.as_str())
}

fn json_list(v: &[String]) -> String {
    serde_json::to_string(v).unwrap_or_else(|_| "[]".into())
}

/// A stored JSON list (unreadable text counts as empty: it was written by this module).
pub fn list(s: &str) -> Vec<String> {
    serde_json::from_str(s).unwrap_or_default()
}

pub fn schedule_of(o: &offers::Model) -> Schedule {
    serde_json::from_str(&o.schedule).unwrap_or_default()
}

impl From<Vec<EntryError>> for AppError {
    fn from(errs: Vec<EntryError>) -> Self {
        AppError::Entry(errs)
    }
}

/// The tenant's areas containing a point, at every level.
pub fn place(state: &AppState, tenant_id: i32, p: Point) -> Vec<i32> {
    crate::areas::tenant_areas_at(state, tenant_id, p.lon, p.lat)
}

fn placed(state: &AppState, tenant_id: i32, p: Point) -> AppResult<Vec<i32>> {
    let areas = place(state, tenant_id, p);
    if areas.is_empty() {
        Err(AppError::Entry(vec![EntryError::Outside]))
    } else {
        Ok(areas)
    }
}

fn actor_point(a: &actors::Model) -> Option<Point> {
    Some(Point {
        lon: a.lon?,
        lat: a.lat?,
    })
}

pub fn offer_point_of_actor(a: &actors::Model) -> Option<Point> {
    actor_point(a)
}

pub fn offer_point(o: &offers::Model, a: &actors::Model) -> Option<Point> {
    match (o.lon, o.lat) {
        (Some(lon), Some(lat)) => Some(Point { lon, lat }),
        _ => actor_point(a),
    }
}

fn is_member_query(actor_id: i32, user_id: i32) -> sea_orm::Select<actor_members::Entity> {
    actor_members::Entity::find()
        .filter(actor_members::Column::ActorId.eq(actor_id))
        .filter(actor_members::Column::UserId.eq(user_id))
}

/// How the viewer edits an actor's entries; `Forbidden` for anyone else.
async fn editor(
    db: &impl ConnectionTrait,
    viewer: &Viewer,
    a: &actors::Model,
) -> AppResult<Editor> {
    let user = viewer.user.as_ref().ok_or(AppError::Unauthenticated)?;
    if viewer.may(a.tenant_id, Can::ModerateDirectory) {
        return Ok(Editor::Staff);
    }
    if is_member_query(a.id, user.id).count(db).await? == 0 {
        return Err(AppError::Forbidden);
    }
    Ok(if a.trusted {
        Editor::TrustedProvider
    } else {
        Editor::Provider
    })
}

/// Whether the viewer may see an entry that is not public (member or staff).
async fn may_see_unpublished(
    db: &impl ConnectionTrait,
    viewer: &Viewer,
    a: &actors::Model,
) -> AppResult<bool> {
    Ok(editor(db, viewer, a).await.is_ok())
}

pub async fn actor_by_id(db: &impl ConnectionTrait, id: i32) -> AppResult<actors::Model> {
    actors::Entity::find_by_id(id)
        .one(db)
        .await?
        .ok_or(AppError::NotFound)
}

pub async fn offer_by_id(db: &impl ConnectionTrait, id: i32) -> AppResult<offers::Model> {
    offers::Entity::find_by_id(id)
        .one(db)
        .await?
        .ok_or(AppError::NotFound)
}

/// Areas an offer serves must be the tenant's.
async fn check_serves(db: &impl ConnectionTrait, tenant_id: i32, ids: &[i32]) -> AppResult<()> {
    if ids.is_empty() {
        return Ok(());
    }
    let found = areas::Entity::find()
        .filter(areas::Column::Id.is_in(ids.iter().copied()))
        .filter(areas::Column::TenantId.eq(tenant_id))
        .count(db)
        .await?;
    if found as usize == ids.len() {
        Ok(())
    } else {
        Err(AppError::Validation(
            "Ein gewähltes Gebiet gehört nicht zu dieser Kommune.".into(),
        ))
    }
}

pub(crate) fn actor_columns(m: &mut actors::ActiveModel, a: &entry::Actor) {
    m.name = Set(a.name.clone());
    m.kind = Set(a.kind.clone());
    m.description = Set(crate::kernel::richtext::to_html(&a.description));
    m.contact_name = Set(a.contact_name.clone());
    m.email = Set(a.email.clone());
    m.phone = Set(a.phone.clone());
    m.street = Set(a.street.clone());
    m.postcode = Set(a.postcode.clone());
    m.city = Set(a.city.clone());
    m.lon = Set(Some(a.location.lon));
    m.lat = Set(Some(a.location.lat));
    m.website = Set(a.website.clone());
    m.languages = Set(json_list(&a.languages));
    m.accessibility = Set(a.accessibility.clone());
}

pub(crate) fn offer_columns(m: &mut offers::ActiveModel, o: &entry::Offer) {
    m.title = Set(o.title.clone());
    m.description = Set(crate::kernel::richtext::to_html(&o.description));
    m.categories = Set(json_list(&o.categories));
    m.target_groups = Set(json_list(&o.target_groups));
    m.age_min = Set(o.age_min.map(i32::from));
    m.age_max = Set(o.age_max.map(i32::from));
    m.languages = Set(json_list(&o.languages));
    m.schedule = Set(serde_json::to_string(&o.schedule).unwrap_or_else(|_| "{}".into()));
    m.cost = Set(o.cost.clone());
    m.registration = Set(o.registration);
    m.barrier_free = Set(o.barrier_free);
    m.street = Set(o.street.clone());
    m.postcode = Set(o.postcode.clone());
    m.city = Set(o.city.clone());
    m.lon = Set(o.location.map(|p| p.lon));
    m.lat = Set(o.location.map(|p| p.lat));
    m.valid_from = Set(o.valid_from);
    m.valid_until = Set(o.valid_until);
}

async fn set_actor_areas(db: &impl ConnectionTrait, id: i32, areas: &[i32]) -> AppResult<()> {
    actor_areas::Entity::delete_many()
        .filter(actor_areas::Column::ActorId.eq(id))
        .exec(db)
        .await?;
    if !areas.is_empty() {
        actor_areas::Entity::insert_many(areas.iter().map(|a| actor_areas::ActiveModel {
            actor_id: Set(id),
            area_id: Set(*a),
        }))
        .exec_without_returning(db)
        .await?;
    }
    Ok(())
}

async fn set_offer_areas(
    db: &impl ConnectionTrait,
    id: i32,
    placed: &[i32],
    serves: &[i32],
) -> AppResult<()> {
    offer_areas::Entity::delete_many()
        .filter(offer_areas::Column::OfferId.eq(id))
        .exec(db)
        .await?;
    offer_serves::Entity::delete_many()
        .filter(offer_serves::Column::OfferId.eq(id))
        .exec(db)
        .await?;
    if !placed.is_empty() {
        offer_areas::Entity::insert_many(placed.iter().map(|a| offer_areas::ActiveModel {
            offer_id: Set(id),
            area_id: Set(*a),
        }))
        .exec_without_returning(db)
        .await?;
    }
    if !serves.is_empty() {
        offer_serves::Entity::insert_many(serves.iter().map(|a| offer_serves::ActiveModel {
            offer_id: Set(id),
            area_id: Set(*a),
        }))
        .exec_without_returning(db)
        .await?;
    }
    Ok(())
}

fn user_id(viewer: &Viewer) -> Option<i32> {
    viewer.account_id()
}

/// New actors and offers one account may enter per hour, unless it is the tenant's staff:
/// enough for an organisation entering its programme, too few to flood the moderators.
pub const NEW_ENTRIES_PER_HOUR: u64 = 20;

/// Refuses a new entry past [`NEW_ENTRIES_PER_HOUR`] (counted in the audit trail, which
/// records every creation with its author).
async fn limit_new_entries(
    db: &impl ConnectionTrait,
    viewer: &Viewer,
    tenant_id: i32,
) -> AppResult<()> {
    use crate::kernel::audit::audit_log;
    let Some(uid) = user_id(viewer) else {
        return Ok(());
    };
    if viewer.may(tenant_id, Can::ModerateDirectory) {
        return Ok(());
    }
    let recent = audit_log::Entity::find()
        .filter(audit_log::Column::UserId.eq(uid))
        .filter(audit_log::Column::Action.eq("directory.created"))
        .filter(audit_log::Column::CreatedAt.gt(Utc::now() - chrono::Duration::hours(1)))
        .count(db)
        .await?;
    if recent >= NEW_ENTRIES_PER_HOUR {
        return Err(AppError::RateLimited);
    }
    Ok(())
}

/// Actors by id, for the actors of a list of offers.
///
/// # Errors
/// Database errors.
async fn actors_by_id(
    db: &impl ConnectionTrait,
    ids: impl IntoIterator<Item = i32>,
) -> AppResult<HashMap<i32, actors::Model>> {
    Ok(actors::Entity::find()
        .filter(actors::Column::Id.is_in(ids))
        .all(db)
        .await?
        .into_iter()
        .map(|a| (a.id, a))
        .collect())
}

/// Offers with their actors, in the order of `ids` (search hits); ids no longer stored are
/// left out. Two queries whatever the number.
///
/// # Errors
/// Database errors.
pub async fn offers_with_actors(
    db: &impl ConnectionTrait,
    ids: &[i32],
) -> AppResult<Vec<(offers::Model, actors::Model)>> {
    let found: HashMap<i32, offers::Model> = offers::Entity::find()
        .filter(offers::Column::Id.is_in(ids.iter().copied()))
        .all(db)
        .await?
        .into_iter()
        .map(|o| (o.id, o))
        .collect();
    let actor_ids: BTreeSet<i32> = found.values().map(|o| o.actor_id).collect();
    let actors_by = actors_by_id(db, actor_ids).await?;
    Ok(ids
        .iter()
        .filter_map(|id| {
            let o = found.get(id)?;
            Some((o.clone(), actors_by.get(&o.actor_id)?.clone()))
        })
        .collect())
}
