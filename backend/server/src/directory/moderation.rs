//! Moderation: the queue, approving and rejecting entries.

use super::*;
use crate::directory::EntryStatus;

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
                .add(actors::Column::Status.eq(EntryStatus::Pending))
                .add(actors::Column::PendingChange.is_not_null()),
        )
        .all(db)
        .await?;
    let waiting_offers = offers::Entity::find()
        .filter(offers::Column::TenantId.eq(tenant_id))
        .filter(
            sea_orm::Condition::any()
                .add(offers::Column::Status.eq(EntryStatus::Pending))
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

pub(super) async fn member_emails(
    db: &impl ConnectionTrait,
    actor_id: i32,
) -> AppResult<Vec<String>> {
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
    if !t.pending_change && t.status != EntryStatus::Pending {
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
            ("status", EntryStatus::Published.into()),
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
        Kind::Actor => search_sync::sync_actor(state, actor_id).await,
        Kind::Offer => search_sync::sync_offers(state, &[id]).await,
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
pub(super) struct Target {
    pub(super) tenant_id: i32,
    pub(super) actor_id: i32,
    pub(super) name: String,
    pub(super) status: EntryStatus,
    pub(super) pending_change: bool,
}

pub(super) async fn target(db: &impl ConnectionTrait, kind: Kind, id: i32) -> AppResult<Target> {
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
pub(super) async fn set_columns(
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
    } else if t.status == EntryStatus::Pending {
        cols.push(("status", EntryStatus::Rejected.into()));
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
