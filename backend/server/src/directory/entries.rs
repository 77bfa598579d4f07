//! Self-service: actors and offers created, changed, deleted and confirmed by their members or the staff.

use super::*;
use crate::directory::EntryStatus;

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
        status: Set(if staff {
            EntryStatus::Published
        } else {
            EntryStatus::Pending
        }),
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
    let outcome = if current.status == EntryStatus::Published && needs_review(ed, false) {
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
            if current.status == EntryStatus::Rejected {
                EntryStatus::Pending
            } else {
                current.status
            }
        } else if current.status == EntryStatus::Published {
            EntryStatus::Published
        } else {
            EntryStatus::Pending
        };
        m.status = Set(status);
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
        if status == EntryStatus::Published {
            Outcome::Published
        } else {
            Outcome::Waiting
        }
    };
    txn.commit().await?;
    search_sync::sync_actor(state, id).await;
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
    let review = needs_review(ed, a.status != EntryStatus::Published);
    let now = Utc::now();
    let txn = crate::kernel::db::write_txn(&state.db).await?;
    let mut m = offers::ActiveModel {
        tenant_id: Set(a.tenant_id),
        actor_id: Set(a.id),
        status: Set(if review {
            EntryStatus::Pending
        } else {
            EntryStatus::Published
        }),
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
    search_sync::sync_offers(state, &[model.id]).await;
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
    let outcome = if current.status == EntryStatus::Published && needs_review(ed, false) {
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
        let status = if current.status == EntryStatus::Published
            || (ed == Editor::Staff && current.status != EntryStatus::Rejected)
        {
            current.status
        } else {
            EntryStatus::Pending
        };
        m.status = Set(status);
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
        if status == EntryStatus::Published {
            Outcome::Published
        } else {
            Outcome::Waiting
        }
    };
    txn.commit().await?;
    search_sync::sync_offers(state, &[id]).await;
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
    search_sync::sync_offers(state, &[id]).await;
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
