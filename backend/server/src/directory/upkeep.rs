//! Keeping entries current: placing them in areas again, reminding about stale ones.

use super::*;
use crate::directory::EntryStatus;

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
        .filter(offers::Column::Status.eq(EntryStatus::Published))
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
        .filter(actors::Column::Status.eq(EntryStatus::Published))
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
