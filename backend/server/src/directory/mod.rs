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
pub mod export;
pub mod import;
pub mod index;

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

pub const PENDING: &str = "pending";
pub const PUBLISHED: &str = "published";
pub const REJECTED: &str = "rejected";

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

impl Kind {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Actor => "actor",
            Self::Offer => "offer",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "actor" | "akteur" => Some(Self::Actor),
            "offer" | "angebot" => Some(Self::Offer),
            _ => None,
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
    viewer.user.as_ref().map(|u| u.id).filter(|id| *id > 0)
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

/// Registers an actor. Staff publish directly; anyone else signed in becomes its first member
/// (and a provider of the tenant), and the actor waits for a moderator.
///
/// # Errors
/// `Unauthenticated`, [`AppError::Entry`] with every problem of the input, or a point outside
/// the tenant's areas.
pub async fn create_actor(
    state: &AppState,
    viewer: &Viewer,
    tenant_id: i32,
    input: &ActorInput,
) -> AppResult<actors::Model> {
    viewer.user.as_ref().ok_or(AppError::Unauthenticated)?;
    crate::tenancy::by_id(&state.db, tenant_id).await?;
    limit_new_entries(&state.db, viewer, tenant_id).await?;
    // Given by its address only: the point comes from the Kommune's address register.
    let input = &crate::areas::addresses::complete(state, tenant_id, input).await?;
    let a = input.check()?;
    let areas = placed(state, tenant_id, a.location)?;
    let staff = viewer.may(tenant_id, Can::ModerateDirectory);
    let now = Utc::now();
    let txn = crate::kernel::db::write_txn(&state.db).await?;
    let mut m = actors::ActiveModel {
        tenant_id: Set(tenant_id),
        status: Set(if staff { PUBLISHED } else { PENDING }.into()),
        trusted: Set(false),
        pending_change: Set(None),
        pending_by: Set(None),
        rejection_reason: Set(None),
        source: Set(None),
        confirmed_at: Set(now),
        reminded_at: Set(None),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    };
    actor_columns(&mut m, &a);
    let model = m.insert(&txn).await?;
    if let Some(uid) = user_id(viewer) {
        actor_members::ActiveModel {
            actor_id: Set(model.id),
            user_id: Set(uid),
            created_at: Set(now),
        }
        .insert(&txn)
        .await?;
        if !staff {
            accounts::grant(&txn, uid, tenant_id, Role::Provider).await?;
        }
    }
    set_actor_areas(&txn, model.id, &areas).await?;
    audit::record(
        &txn,
        tenant_id,
        viewer,
        "directory.created",
        &subject(Kind::Actor, model.id),
        &model.name,
    )
    .await?;
    txn.commit().await?;
    Ok(model)
}

/// The fields of an actor that differ between two inputs (for the audit trail and the queue).
pub fn changed_fields<T: serde::Serialize>(before: &T, after: &T) -> Vec<String> {
    let (Ok(serde_json::Value::Object(a)), Ok(serde_json::Value::Object(b))) =
        (serde_json::to_value(before), serde_json::to_value(after))
    else {
        return Vec::new();
    };
    b.iter()
        .filter(|(k, v)| a.get(*k) != Some(v))
        .map(|(k, _)| k.clone())
        .collect()
}

/// The input that reproduces a stored actor (for edit forms and change comparison).
pub fn actor_input(a: &actors::Model) -> ActorInput {
    ActorInput {
        name: a.name.clone(),
        kind: a.kind.clone(),
        description: crate::kernel::richtext::to_text(&a.description)
            .trim()
            .to_owned(),
        contact_name: a.contact_name.clone().unwrap_or_default(),
        email: a.email.clone().unwrap_or_default(),
        phone: a.phone.clone().unwrap_or_default(),
        street: a.street.clone().unwrap_or_default(),
        postcode: a.postcode.clone().unwrap_or_default(),
        city: a.city.clone().unwrap_or_default(),
        lon: a.lon,
        lat: a.lat,
        website: a.website.clone().unwrap_or_default(),
        languages: list(&a.languages),
        accessibility: a.accessibility.clone().unwrap_or_default(),
    }
}

/// The input that reproduces a stored offer.
pub fn offer_input(o: &offers::Model, serves: Vec<i32>) -> OfferInput {
    OfferInput {
        title: o.title.clone(),
        description: crate::kernel::richtext::to_text(&o.description)
            .trim()
            .to_owned(),
        categories: list(&o.categories),
        target_groups: list(&o.target_groups),
        age_min: o.age_min.and_then(|a| u8::try_from(a).ok()),
        age_max: o.age_max.and_then(|a| u8::try_from(a).ok()),
        languages: list(&o.languages),
        schedule: schedule_of(o).to_text(),
        cost: o.cost.clone(),
        registration: o.registration,
        barrier_free: o.barrier_free,
        street: o.street.clone().unwrap_or_default(),
        postcode: o.postcode.clone().unwrap_or_default(),
        city: o.city.clone().unwrap_or_default(),
        lon: o.lon,
        lat: o.lat,
        valid_from: o.valid_from,
        valid_until: o.valid_until,
        serves,
    }
}

pub async fn serves_of(db: &impl ConnectionTrait, offer_id: i32) -> AppResult<Vec<i32>> {
    Ok(offer_serves::Entity::find()
        .select_only()
        .column(offer_serves::Column::AreaId)
        .filter(offer_serves::Column::OfferId.eq(offer_id))
        .order_by_asc(offer_serves::Column::AreaId)
        .into_tuple()
        .all(db)
        .await?)
}

/// Writes an actor change: live for staff, trusted providers and entries not yet published
/// (they wait for review anyway); otherwise kept as a pending change beside the published
/// version.
///
/// # Errors
/// `NotFound`, `Forbidden` for anyone but members and staff, [`AppError::Entry`].
pub async fn update_actor(
    state: &AppState,
    viewer: &Viewer,
    id: i32,
    input: &ActorInput,
) -> AppResult<Outcome> {
    let current = actor_by_id(&state.db, id).await?;
    let ed = editor(&state.db, viewer, &current).await?;
    // Given by its address only: the point comes from the Kommune's address register.
    let input = &crate::areas::addresses::complete(state, current.tenant_id, input).await?;
    let a = input.check()?;
    let areas = placed(state, current.tenant_id, a.location)?;
    let fields = changed_fields(&actor_input(&current), &input.normalised()).join(", ");
    let now = Utc::now();
    let txn = crate::kernel::db::write_txn(&state.db).await?;
    let outcome = if current.status == PUBLISHED && needs_review(ed, false) {
        let mut m: actors::ActiveModel = current.clone().into();
        m.pending_change = Set(Some(
            serde_json::to_string(input).map_err(AppError::internal)?,
        ));
        m.pending_by = Set(user_id(viewer));
        m.rejection_reason = Set(None);
        m.updated_at = Set(now);
        m.update(&txn).await?;
        audit::record(
            &txn,
            current.tenant_id,
            viewer,
            "directory.change_submitted",
            &subject(Kind::Actor, id),
            &fields,
        )
        .await?;
        Outcome::Waiting
    } else {
        let mut m: actors::ActiveModel = current.clone().into();
        actor_columns(&mut m, &a);
        m.pending_change = Set(None);
        m.pending_by = Set(None);
        // Editing a rejected entry sends it back to the queue; staff edits publish.
        let status = if ed == Editor::Staff {
            if current.status == REJECTED {
                PENDING
            } else {
                current.status.as_str()
            }
        } else if current.status == PUBLISHED {
            PUBLISHED
        } else {
            PENDING
        };
        m.status = Set(status.into());
        m.confirmed_at = Set(now);
        m.updated_at = Set(now);
        m.update(&txn).await?;
        set_actor_areas(&txn, id, &areas).await?;
        audit::record(
            &txn,
            current.tenant_id,
            viewer,
            "directory.changed",
            &subject(Kind::Actor, id),
            &fields,
        )
        .await?;
        if status == PUBLISHED {
            Outcome::Published
        } else {
            Outcome::Waiting
        }
    };
    txn.commit().await?;
    index::sync_actor(state, id).await;
    Ok(outcome)
}

/// Adds an offer to an actor. It is public at once when staff write it, or a trusted provider
/// of a published actor; otherwise it waits for a moderator.
///
/// # Errors
/// `NotFound`, `Forbidden`, [`AppError::Entry`], areas of another tenant.
pub async fn create_offer(
    state: &AppState,
    viewer: &Viewer,
    actor_id: i32,
    input: &OfferInput,
) -> AppResult<offers::Model> {
    let a = actor_by_id(&state.db, actor_id).await?;
    let ed = editor(&state.db, viewer, &a).await?;
    limit_new_entries(&state.db, viewer, a.tenant_id).await?;
    // Given by its address only: the point comes from the Kommune's address register.
    let input = &crate::areas::addresses::complete(state, a.tenant_id, input).await?;
    let o = input.check(&categories::of(&state.db, a.tenant_id).await?)?;
    let point = o
        .location
        .or_else(|| actor_point(&a))
        .ok_or(AppError::Entry(vec![EntryError::NoCoordinates]))?;
    let areas = placed(state, a.tenant_id, point)?;
    check_serves(&state.db, a.tenant_id, &o.serves).await?;
    // An offer of an actor not yet published is part of its first publication.
    let review = needs_review(ed, a.status != PUBLISHED);
    let now = Utc::now();
    let txn = crate::kernel::db::write_txn(&state.db).await?;
    let mut m = offers::ActiveModel {
        tenant_id: Set(a.tenant_id),
        actor_id: Set(a.id),
        status: Set(if review { PENDING } else { PUBLISHED }.into()),
        pending_change: Set(None),
        pending_by: Set(None),
        rejection_reason: Set(None),
        source: Set(None),
        confirmed_at: Set(now),
        reminded_at: Set(None),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    };
    offer_columns(&mut m, &o);
    let model = m.insert(&txn).await?;
    set_offer_areas(&txn, model.id, &areas, &o.serves).await?;
    audit::record(
        &txn,
        a.tenant_id,
        viewer,
        "directory.created",
        &subject(Kind::Offer, model.id),
        &model.title,
    )
    .await?;
    txn.commit().await?;
    index::sync_offers(state, &[model.id]).await;
    Ok(model)
}

/// Changes an offer (see [`update_actor`] for when it goes live).
///
/// # Errors
/// `NotFound`, `Forbidden`, [`AppError::Entry`].
pub async fn update_offer(
    state: &AppState,
    viewer: &Viewer,
    id: i32,
    input: &OfferInput,
) -> AppResult<Outcome> {
    let current = offer_by_id(&state.db, id).await?;
    let a = actor_by_id(&state.db, current.actor_id).await?;
    let ed = editor(&state.db, viewer, &a).await?;
    let cats = categories::of(&state.db, a.tenant_id).await?;
    // Given by its address only: the point comes from the Kommune's address register.
    let input = &crate::areas::addresses::complete(state, a.tenant_id, input).await?;
    let o = input.check(&cats)?;
    let point = o
        .location
        .or_else(|| actor_point(&a))
        .ok_or(AppError::Entry(vec![EntryError::NoCoordinates]))?;
    let areas = placed(state, a.tenant_id, point)?;
    check_serves(&state.db, a.tenant_id, &o.serves).await?;
    let before = offer_input(&current, serves_of(&state.db, id).await?);
    let fields = changed_fields(&before, &input.normalised(&cats)).join(", ");
    let now = Utc::now();
    let txn = crate::kernel::db::write_txn(&state.db).await?;
    let mut m: offers::ActiveModel = current.clone().into();
    m.updated_at = Set(now);
    let outcome = if current.status == PUBLISHED && needs_review(ed, false) {
        m.pending_change = Set(Some(
            serde_json::to_string(input).map_err(AppError::internal)?,
        ));
        m.pending_by = Set(user_id(viewer));
        m.rejection_reason = Set(None);
        m.update(&txn).await?;
        audit::record(
            &txn,
            a.tenant_id,
            viewer,
            "directory.change_submitted",
            &subject(Kind::Offer, id),
            &fields,
        )
        .await?;
        Outcome::Waiting
    } else {
        offer_columns(&mut m, &o);
        m.pending_change = Set(None);
        m.pending_by = Set(None);
        let status =
            if current.status == PUBLISHED || (ed == Editor::Staff && current.status != REJECTED) {
                current.status.clone()
            } else {
                PENDING.to_owned()
            };
        m.status = Set(status.clone());
        m.confirmed_at = Set(now);
        m.update(&txn).await?;
        set_offer_areas(&txn, id, &areas, &o.serves).await?;
        audit::record(
            &txn,
            a.tenant_id,
            viewer,
            "directory.changed",
            &subject(Kind::Offer, id),
            &fields,
        )
        .await?;
        if status == PUBLISHED {
            Outcome::Published
        } else {
            Outcome::Waiting
        }
    };
    txn.commit().await?;
    index::sync_offers(state, &[id]).await;
    Ok(outcome)
}

/// Removes an offer (members and staff); the audit log keeps that it existed.
///
/// # Errors
/// `NotFound`, `Forbidden`.
pub async fn delete_offer(state: &AppState, viewer: &Viewer, id: i32) -> AppResult<()> {
    let o = offer_by_id(&state.db, id).await?;
    let a = actor_by_id(&state.db, o.actor_id).await?;
    editor(&state.db, viewer, &a).await?;
    let txn = crate::kernel::db::write_txn(&state.db).await?;
    offers::Entity::delete_by_id(id).exec(&txn).await?;
    audit::record(
        &txn,
        a.tenant_id,
        viewer,
        "directory.deleted",
        &subject(Kind::Offer, id),
        &o.title,
    )
    .await?;
    txn.commit().await?;
    index::sync_offers(state, &[id]).await;
    Ok(())
}

/// A provider confirms that an entry is still right (it stops being stale); confirming an
/// actor confirms its offers.
///
/// # Errors
/// `NotFound`, `Forbidden`.
pub async fn confirm(state: &AppState, viewer: &Viewer, kind: Kind, id: i32) -> AppResult<()> {
    let t = target(&state.db, kind, id).await?;
    let tenant_id = t.tenant_id;
    let a = actor_by_id(&state.db, t.actor_id).await?;
    editor(&state.db, viewer, &a).await?;
    let now = Utc::now();
    let txn = crate::kernel::db::write_txn(&state.db).await?;
    set_columns(&txn, kind, id, vec![("confirmed_at", now.into())]).await?;
    if kind == Kind::Actor {
        // Confirming the actor confirms its offers too: one click for the provider.
        offers::Entity::update_many()
            .col_expr(offers::Column::ConfirmedAt, Expr::value(now))
            .filter(offers::Column::ActorId.eq(id))
            .exec(&txn)
            .await?;
    }
    audit::record(
        &txn,
        tenant_id,
        viewer,
        "directory.confirmed",
        &subject(kind, id),
        "",
    )
    .await?;
    txn.commit().await?;
    Ok(())
}

/// One entry waiting for a moderator.
#[derive(Debug, Clone)]
pub struct QueueItem {
    pub kind: Kind,
    pub id: i32,
    pub name: String,
    pub actor_id: i32,
    pub actor_name: String,
    /// `None`: a first publication; otherwise the fields a pending change touches.
    pub changed: Option<Vec<String>>,
    pub since: DateTime<Utc>,
    /// Where the entry will be once approved (a waiting change's point, else the stored one):
    /// a moderator checks that the address and the place agree.
    pub point: Option<Point>,
}

/// The tenant's moderation queue, oldest first.
///
/// # Errors
/// `Forbidden` without a moderating role.
pub async fn queue(
    db: &impl ConnectionTrait,
    viewer: &Viewer,
    tenant_id: i32,
) -> AppResult<Vec<QueueItem>> {
    viewer.require(tenant_id, Can::ModerateDirectory)?;
    let waiting_actors = actors::Entity::find()
        .filter(actors::Column::TenantId.eq(tenant_id))
        .filter(
            sea_orm::Condition::any()
                .add(actors::Column::Status.eq(PENDING))
                .add(actors::Column::PendingChange.is_not_null()),
        )
        .all(db)
        .await?;
    let waiting_offers = offers::Entity::find()
        .filter(offers::Column::TenantId.eq(tenant_id))
        .filter(
            sea_orm::Condition::any()
                .add(offers::Column::Status.eq(PENDING))
                .add(offers::Column::PendingChange.is_not_null()),
        )
        .all(db)
        .await?;
    let ids: BTreeSet<i32> = waiting_offers.iter().map(|o| o.actor_id).collect();
    let names = actors_by_id(db, ids).await?;
    let mut items: Vec<QueueItem> = waiting_actors
        .into_iter()
        .map(|a| {
            let pending = a
                .pending_change
                .as_deref()
                .map(serde_json::from_str::<ActorInput>);
            let changed = pending.as_ref().map(|new| {
                new.as_ref()
                    .map(|new| changed_fields(&actor_input(&a), &new.normalised()))
                    .unwrap_or_default()
            });
            let point = match &pending {
                Some(Ok(new)) => new.lon.zip(new.lat).map(|(lon, lat)| Point { lon, lat }),
                _ => actor_point(&a),
            };
            QueueItem {
                point,
                kind: Kind::Actor,
                id: a.id,
                name: a.name.clone(),
                actor_id: a.id,
                actor_name: a.name.clone(),
                changed,
                since: a.updated_at,
            }
        })
        .collect();
    let cats = categories::of(db, tenant_id).await?;
    // The served areas of every waiting change in one query.
    let changed_ids: Vec<i32> = waiting_offers
        .iter()
        .filter(|o| o.pending_change.is_some())
        .map(|o| o.id)
        .collect();
    let mut serves: HashMap<i32, Vec<i32>> = HashMap::new();
    for chunk in changed_ids.chunks(1_000) {
        let rows: Vec<(i32, i32)> = offer_serves::Entity::find()
            .select_only()
            .columns([offer_serves::Column::OfferId, offer_serves::Column::AreaId])
            .filter(offer_serves::Column::OfferId.is_in(chunk.iter().copied()))
            .order_by_asc(offer_serves::Column::AreaId)
            .into_tuple()
            .all(db)
            .await?;
        for (o, a) in rows {
            serves.entry(o).or_default().push(a);
        }
    }
    for o in waiting_offers {
        let pending = o
            .pending_change
            .as_deref()
            .map(serde_json::from_str::<OfferInput>);
        let changed = pending.as_ref().map(|new| {
            let before = offer_input(&o, serves.remove(&o.id).unwrap_or_default());
            new.as_ref()
                .map(|new| changed_fields(&before, &new.normalised(&cats)))
                .unwrap_or_default()
        });
        let actor = names.get(&o.actor_id);
        let own = match &pending {
            Some(Ok(new)) => new.lon.zip(new.lat).map(|(lon, lat)| Point { lon, lat }),
            _ => o.lon.zip(o.lat).map(|(lon, lat)| Point { lon, lat }),
        };
        let point = own.or_else(|| actor.and_then(actor_point));
        items.push(QueueItem {
            point,
            kind: Kind::Offer,
            id: o.id,
            name: o.title.clone(),
            actor_id: o.actor_id,
            actor_name: names
                .get(&o.actor_id)
                .map(|a| a.name.clone())
                .unwrap_or_default(),
            changed,
            since: o.updated_at,
        });
    }
    items.sort_by_key(|i| i.since);
    Ok(items)
}

async fn member_emails(db: &impl ConnectionTrait, actor_id: i32) -> AppResult<Vec<String>> {
    let ids: Vec<i32> = actor_members::Entity::find()
        .select_only()
        .column(actor_members::Column::UserId)
        .filter(actor_members::Column::ActorId.eq(actor_id))
        .into_tuple()
        .all(db)
        .await?;
    Ok(accounts::entity::users::Entity::find()
        .filter(accounts::entity::users::Column::Id.is_in(ids))
        .all(db)
        .await?
        .into_iter()
        .map(|u| u.email)
        .collect())
}

/// Approves a first publication or a pending change; `trust` lets the actor's members publish
/// later changes directly.
///
/// # Errors
/// `Forbidden` without a moderating role, `NotFound`, `Conflict` when nothing waits, and
/// [`AppError::Entry`] when a pending change no longer passes the checks.
pub async fn approve(
    state: &AppState,
    viewer: &Viewer,
    kind: Kind,
    id: i32,
    trust: bool,
) -> AppResult<()> {
    let now = Utc::now();
    let t = target(&state.db, kind, id).await?;
    viewer.require(t.tenant_id, Can::ModerateDirectory)?;
    if !t.pending_change && t.status != PENDING {
        return Err(AppError::Conflict("nichts zu prüfen".into()));
    }
    // Read before the transaction: SQLite pools may hold one connection.
    let cats = categories::of(&state.db, t.tenant_id).await?;
    let txn = crate::kernel::db::write_txn(&state.db).await?;
    // A waiting change is checked and placed again: rules or boundaries may have changed.
    match kind {
        Kind::Actor => {
            let a = actor_by_id(&txn, id).await?;
            if let Some(p) = a.pending_change.as_deref() {
                let input: ActorInput = serde_json::from_str(p).map_err(AppError::internal)?;
                let checked = input.check()?;
                let areas = placed(state, a.tenant_id, checked.location)?;
                let mut m: actors::ActiveModel = a.clone().into();
                actor_columns(&mut m, &checked);
                m.update(&txn).await?;
                set_actor_areas(&txn, a.id, &areas).await?;
            }
        }
        Kind::Offer => {
            let o = offer_by_id(&txn, id).await?;
            if let Some(p) = o.pending_change.as_deref() {
                let a = actor_by_id(&txn, o.actor_id).await?;
                let input: OfferInput = serde_json::from_str(p).map_err(AppError::internal)?;
                let checked = input.check(&cats)?;
                let point = checked
                    .location
                    .or_else(|| actor_point(&a))
                    .ok_or(AppError::Entry(vec![EntryError::NoCoordinates]))?;
                let areas = placed(state, a.tenant_id, point)?;
                let mut m: offers::ActiveModel = o.clone().into();
                offer_columns(&mut m, &checked);
                m.update(&txn).await?;
                set_offer_areas(&txn, o.id, &areas, &checked.serves).await?;
            }
        }
    }
    set_columns(
        &txn,
        kind,
        id,
        vec![
            ("status", PUBLISHED.into()),
            ("pending_change", Option::<String>::None.into()),
            ("pending_by", Option::<i32>::None.into()),
            ("rejection_reason", Option::<String>::None.into()),
            ("confirmed_at", now.into()),
            ("updated_at", now.into()),
        ],
    )
    .await?;
    if trust {
        set_columns(
            &txn,
            Kind::Actor,
            t.actor_id,
            vec![("trusted", true.into())],
        )
        .await?;
    }
    audit::record(
        &txn,
        t.tenant_id,
        viewer,
        "directory.approved",
        &subject(kind, id),
        if trust { "trusted" } else { "" },
    )
    .await?;
    txn.commit().await?;
    let (actor_id, name) = (t.actor_id, t.name);
    match kind {
        Kind::Actor => index::sync_actor(state, actor_id).await,
        Kind::Offer => index::sync_offers(state, &[id]).await,
    }
    let link = format!(
        "{}/{}/{id}",
        state.settings.public_url.trim_end_matches('/'),
        if kind == Kind::Actor {
            "akteur"
        } else {
            "angebot"
        }
    );
    for to in member_emails(&state.db, actor_id).await? {
        crate::kernel::outbox::enqueue(
            &state.db,
            &to,
            &format!("Freigegeben: {name}"),
            &format!("Ihr Eintrag „{name}“ ist jetzt im Angebotsverzeichnis zu sehen:\n{link}\n"),
        )
        .await?;
    }
    state.mail_wakeup.notify_one();
    Ok(())
}

/// What moderation needs to know of an entry, whichever its kind.
struct Target {
    tenant_id: i32,
    actor_id: i32,
    name: String,
    status: String,
    pending_change: bool,
}

async fn target(db: &impl ConnectionTrait, kind: Kind, id: i32) -> AppResult<Target> {
    Ok(match kind {
        Kind::Actor => {
            let a = actor_by_id(db, id).await?;
            Target {
                tenant_id: a.tenant_id,
                actor_id: a.id,
                name: a.name,
                status: a.status,
                pending_change: a.pending_change.is_some(),
            }
        }
        Kind::Offer => {
            let o = offer_by_id(db, id).await?;
            Target {
                tenant_id: o.tenant_id,
                actor_id: o.actor_id,
                name: o.title,
                status: o.status,
                pending_change: o.pending_change.is_some(),
            }
        }
    })
}

/// Sets columns (by name; actors and offers share them) of one entry.
async fn set_columns(
    db: &impl ConnectionTrait,
    kind: Kind,
    id: i32,
    cols: Vec<(&str, sea_orm::Value)>,
) -> AppResult<()> {
    async fn on<E: EntityTrait>(
        db: &impl ConnectionTrait,
        id: i32,
        cols: Vec<(&str, sea_orm::Value)>,
    ) -> AppResult<()>
    where
        E::Column: std::str::FromStr,
    {
        let column = |name: &str| {
            <E::Column as std::str::FromStr>::from_str(name)
                .map_err(|_| AppError::Internal(format!("no column {name}").into()))
        };
        let mut q = E::update_many();
        for (name, value) in cols {
            q = q.col_expr(column(name)?, Expr::value(value));
        }
        q.filter(column("id")?.eq(id)).exec(db).await?;
        Ok(())
    }
    match kind {
        Kind::Actor => on::<actors::Entity>(db, id, cols).await,
        Kind::Offer => on::<offers::Entity>(db, id, cols).await,
    }
}

/// Rejects a first publication or a pending change, with a reason the provider sees.
///
/// # Errors
/// `Forbidden`, `NotFound`, `Validation` without a reason, `Conflict` when nothing waits.
pub async fn reject(
    state: &AppState,
    viewer: &Viewer,
    kind: Kind,
    id: i32,
    reason: &str,
) -> AppResult<()> {
    let reason = reason.trim();
    if reason.is_empty() || reason.chars().count() > 2000 {
        return Err(AppError::Validation(
            "Bitte geben Sie einen Grund an (höchstens 2000 Zeichen).".into(),
        ));
    }
    let t = target(&state.db, kind, id).await?;
    viewer.require(t.tenant_id, Can::ModerateDirectory)?;
    let mut cols: Vec<(&str, sea_orm::Value)> = vec![
        ("rejection_reason", Some(reason.to_owned()).into()),
        ("updated_at", Utc::now().into()),
    ];
    if t.pending_change {
        cols.push(("pending_change", Option::<String>::None.into()));
        cols.push(("pending_by", Option::<i32>::None.into()));
    } else if t.status == PENDING {
        cols.push(("status", REJECTED.into()));
    } else {
        return Err(AppError::Conflict("nichts zu prüfen".into()));
    }
    let txn = crate::kernel::db::write_txn(&state.db).await?;
    set_columns(&txn, kind, id, cols).await?;
    audit::record(
        &txn,
        t.tenant_id,
        viewer,
        "directory.rejected",
        &subject(kind, id),
        reason,
    )
    .await?;
    txn.commit().await?;
    let (actor_id, name) = (t.actor_id, t.name);
    for to in member_emails(&state.db, actor_id).await? {
        crate::kernel::outbox::enqueue(
            &state.db,
            &to,
            &format!("Nicht freigegeben: {name}"),
            &format!("Ihr Eintrag „{name}“ wurde nicht freigegeben.\nGrund: {reason}\n"),
        )
        .await?;
    }
    state.mail_wakeup.notify_one();
    Ok(())
}

/// Whether an offer is public today.
pub fn offer_public(o: &offers::Model, a: &actors::Model, today: chrono::NaiveDate) -> bool {
    o.status == PUBLISHED
        && a.status == PUBLISHED
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
    if !can_edit && actor.status != PUBLISHED {
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
            .filter(offers::Column::Status.eq(PUBLISHED))
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

/// Places every actor and offer of a tenant again (its boundaries changed; see
/// `flows::boundaries`, which also refreshes the search). Returns the number of entries.
///
/// # Errors
/// Database errors.
pub async fn place_all(state: &AppState, tenant_id: i32) -> AppResult<usize> {
    let all_actors = actors::Entity::find()
        .filter(actors::Column::TenantId.eq(tenant_id))
        .all(&state.db)
        .await?;
    let actor_ids = || {
        actors::Entity::find()
            .select_only()
            .column(actors::Column::Id)
            .filter(actors::Column::TenantId.eq(tenant_id))
            .into_query()
    };
    let offer_ids = offers::Entity::find()
        .select_only()
        .column(offers::Column::Id)
        .filter(offers::Column::ActorId.in_subquery(actor_ids()))
        .into_query();
    let all_offers: Vec<(i32, i32, Option<f64>, Option<f64>)> = offers::Entity::find()
        .select_only()
        .columns([
            offers::Column::Id,
            offers::Column::ActorId,
            offers::Column::Lon,
            offers::Column::Lat,
        ])
        .filter(offers::Column::ActorId.in_subquery(actor_ids()))
        .into_tuple()
        .all(&state.db)
        .await?;
    let by_id: HashMap<i32, &actors::Model> = all_actors.iter().map(|a| (a.id, a)).collect();
    let txn = crate::kernel::db::write_txn(&state.db).await?;
    actor_areas::Entity::delete_many()
        .filter(actor_areas::Column::ActorId.in_subquery(actor_ids()))
        .exec(&txn)
        .await?;
    offer_areas::Entity::delete_many()
        .filter(offer_areas::Column::OfferId.in_subquery(offer_ids))
        .exec(&txn)
        .await?;
    let actor_rows: Vec<actor_areas::ActiveModel> = all_actors
        .iter()
        .filter_map(|a| Some((a, actor_point(a)?)))
        .flat_map(|(a, p)| {
            place(state, a.tenant_id, p)
                .into_iter()
                .map(|area| actor_areas::ActiveModel {
                    actor_id: Set(a.id),
                    area_id: Set(area),
                })
        })
        .collect();
    for chunk in actor_rows.chunks(5_000) {
        actor_areas::Entity::insert_many(chunk.to_vec())
            .exec_without_returning(&txn)
            .await?;
    }
    let offer_rows: Vec<offer_areas::ActiveModel> = all_offers
        .iter()
        .filter_map(|(id, actor, lon, lat)| {
            let a = by_id.get(actor)?;
            let p = match (lon, lat) {
                (Some(lon), Some(lat)) => Point {
                    lon: *lon,
                    lat: *lat,
                },
                _ => actor_point(a)?,
            };
            Some((*id, a.tenant_id, p))
        })
        .flat_map(|(id, tenant, p)| {
            place(state, tenant, p)
                .into_iter()
                .map(move |area| offer_areas::ActiveModel {
                    offer_id: Set(id),
                    area_id: Set(area),
                })
        })
        .collect();
    for chunk in offer_rows.chunks(5_000) {
        offer_areas::Entity::insert_many(chunk.to_vec())
            .exec_without_returning(&txn)
            .await?;
    }
    txn.commit().await?;
    Ok(all_actors.len() + all_offers.len())
}

/// Asks the members of actors with stale entries (the actor or one of its offers) to confirm
/// them, at most every 30 days per actor.
/// Returns the number of reminders queued.
///
/// # Errors
/// Database errors.
pub async fn remind_stale(state: &AppState) -> AppResult<usize> {
    let now = Utc::now();
    let cutoff = now - chrono::Duration::days(entry::STALE_AFTER_DAYS);
    let mut sent = 0;
    let with_old_offers: Vec<i32> = offers::Entity::find()
        .select_only()
        .column(offers::Column::ActorId)
        .filter(offers::Column::ConfirmedAt.lt(cutoff))
        .filter(offers::Column::Status.eq(PUBLISHED))
        .distinct()
        .into_tuple()
        .all(&state.db)
        .await?;
    let old_actors = actors::Entity::find()
        .filter(
            sea_orm::Condition::any()
                .add(actors::Column::ConfirmedAt.lt(cutoff))
                .add(actors::Column::Id.is_in(with_old_offers)),
        )
        .filter(actors::Column::Status.eq(PUBLISHED))
        .all(&state.db)
        .await?;
    let base = state.settings.public_url.trim_end_matches('/').to_owned();
    for a in old_actors {
        // The oldest confirmation among the actor and its offers decides.
        let oldest = a.confirmed_at.min(cutoff - chrono::Duration::seconds(1));
        if !entry::reminder_due(oldest, a.reminded_at, now) {
            continue;
        }
        for to in member_emails(&state.db, a.id).await? {
            crate::kernel::outbox::enqueue(
                &state.db,
                &to,
                &format!("Bitte bestätigen: {}", a.name),
                &format!(
                    "Der Eintrag „{}“ wurde seit über einem Jahr nicht bestätigt und ist deshalb als veraltet markiert.\nBitte prüfen Sie ihn und seine Angebote und bestätigen Sie sie hier:\n{base}/akteur/{}\n",
                    a.name, a.id
                ),
            )
            .await?;
            sent += 1;
        }
        actors::Entity::update_many()
            .col_expr(actors::Column::RemindedAt, Expr::value(now))
            .filter(actors::Column::Id.eq(a.id))
            .exec(&state.db)
            .await?;
    }
    if sent > 0 {
        state.mail_wakeup.notify_one();
    }
    Ok(sent)
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
