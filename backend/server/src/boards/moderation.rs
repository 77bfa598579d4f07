//! Keeping boards civil: reports by anyone, the moderators' queue, hiding and restoring with a
//! reason, approving held contributions, bans per tenant, the word filter, and the audit log of
//! every moderator action. A moderator acts only in the tenants where they hold the role.

use super::entity::{board_bans, board_comments, board_filter_words, board_posts, board_reports};
use super::{bump, excerpt, post_model, visible_post, written_last_hour, Participant};
use crate::kernel::audit::{self, audit_log};
use crate::kernel::error::{AppError, AppResult};
use crate::kernel::permissions::Can;
use crate::kernel::viewer::Viewer;
use chrono::{DateTime, Duration, Utc};
use qn_domain::boards::{self as rules, Moderation, Target, WordFilter};
use sea_orm::sea_query::ExprTrait;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, Condition, ConnectionTrait, EntityTrait, PaginatorTrait,
    QueryFilter, QueryOrder, QuerySelect, Set,
};
use std::collections::HashMap;

/// The tenant's word filter.
///
/// # Errors
/// Database errors.
pub async fn word_filter(db: &impl ConnectionTrait, tenant_id: i32) -> AppResult<WordFilter> {
    let words = filter_words(db, tenant_id).await?;
    Ok(WordFilter::new(words.iter().map(String::as_str)))
}

/// # Errors
/// Database errors.
pub async fn filter_words(db: &impl ConnectionTrait, tenant_id: i32) -> AppResult<Vec<String>> {
    Ok(board_filter_words::Entity::find()
        .select_only()
        .column(board_filter_words::Column::Word)
        .filter(board_filter_words::Column::TenantId.eq(tenant_id))
        .order_by_asc(board_filter_words::Column::Word)
        .into_tuple()
        .all(db)
        .await?)
}

/// Replaces the tenant's word filter (one entry per line).
///
/// # Errors
/// `Forbidden` without a moderating role.
pub async fn set_filter_words(
    db: &sea_orm::DatabaseConnection,
    viewer: &Viewer,
    tenant_id: i32,
    words: &[String],
) -> AppResult<Vec<String>> {
    viewer.require(tenant_id, Can::ModeratePosts)?;
    let mut list: Vec<String> = words
        .iter()
        .map(|w| w.trim().to_owned())
        .filter(|w| !w.is_empty() && w.chars().count() <= 100)
        .collect();
    list.sort();
    list.dedup();
    let txn = crate::kernel::db::write_txn(db).await?;
    board_filter_words::Entity::delete_many()
        .filter(board_filter_words::Column::TenantId.eq(tenant_id))
        .exec(&txn)
        .await?;
    if !list.is_empty() {
        board_filter_words::Entity::insert_many(list.iter().map(|w| {
            board_filter_words::ActiveModel {
                tenant_id: Set(tenant_id),
                word: Set(w.clone()),
                ..Default::default()
            }
        }))
        .exec(&txn)
        .await?;
    }
    audit::record(
        &txn,
        tenant_id,
        viewer,
        "filter",
        "filter",
        &format!("{} Einträge", list.len()),
    )
    .await?;
    txn.commit().await?;
    Ok(list)
}

/// Whether the participant's account or device is banned in the tenant now.
///
/// # Errors
/// Database errors.
pub async fn is_banned(
    db: &impl ConnectionTrait,
    tenant_id: i32,
    participant: Participant<'_>,
) -> AppResult<bool> {
    let mut who = Condition::any();
    if let Some(u) = participant.user_id() {
        who = who.add(board_bans::Column::UserId.eq(u));
    }
    if let Some(d) = participant.device {
        who = who.add(board_bans::Column::DeviceHash.eq(d));
    }
    if who.is_empty() {
        return Ok(false);
    }
    Ok(board_bans::Entity::find()
        .filter(board_bans::Column::TenantId.eq(tenant_id))
        .filter(who)
        .filter(
            Condition::any()
                .add(board_bans::Column::Until.is_null())
                .add(board_bans::Column::Until.gt(Utc::now())),
        )
        .count(db)
        .await?
        > 0)
}

/// The post a target belongs to, with the target's author.
struct Located {
    post: board_posts::Model,
    user_id: Option<i32>,
    device_hash: Option<String>,
    moderation: String,
}

async fn locate(db: &impl ConnectionTrait, target: Target, id: i32) -> AppResult<Located> {
    match target {
        Target::Post => {
            let post = post_model(db, id).await?;
            Ok(Located {
                user_id: post.user_id,
                device_hash: post.device_hash.clone(),
                moderation: post.moderation.clone(),
                post,
            })
        }
        Target::Comment => {
            let c = board_comments::Entity::find_by_id(id)
                .one(db)
                .await?
                .ok_or(AppError::NotFound)?;
            Ok(Located {
                post: post_model(db, c.post_id).await?,
                user_id: c.user_id,
                device_hash: c.device_hash,
                moderation: c.moderation,
            })
        }
    }
}

/// Reports a post or comment to the moderators. Anyone may report what they can see.
///
/// # Errors
/// `NotFound`; [`BoardError::ReasonInvalid`], [`BoardError::TooMany`].
pub async fn report(
    db: &impl ConnectionTrait,
    participant: Participant<'_>,
    target: Target,
    id: i32,
    reason: &str,
) -> AppResult<()> {
    let reason = rules::reason(reason)?;
    let located = locate(db, target, id).await?;
    // What the reporter cannot see, they cannot report (held posts of others stay unknown).
    visible_post(db, participant, located.post.id).await?;
    let recent = written_last_hour::<board_reports::Entity>(
        db,
        participant,
        board_reports::Column::UserId,
        board_reports::Column::DeviceHash,
        board_reports::Column::CreatedAt,
    );
    rules::within_rate(recent.await?, rules::REPORTS_PER_HOUR)?;
    board_reports::ActiveModel {
        tenant_id: Set(located.post.tenant_id),
        target: Set(target.as_str().to_owned()),
        target_id: Set(id),
        post_id: Set(located.post.id),
        reason: Set(reason),
        user_id: Set(participant.user_id()),
        device_hash: Set(participant
            .device
            .map(str::to_owned)
            .filter(|_| participant.user_id().is_none())),
        created_at: Set(Utc::now()),
        resolved_at: Set(None),
        resolved_by: Set(None),
        ..Default::default()
    }
    .insert(db)
    .await?;
    Ok(())
}

async fn resolve_reports(
    db: &impl ConnectionTrait,
    viewer: &Viewer,
    target: Target,
    id: i32,
) -> AppResult<u64> {
    let r = board_reports::Entity::update_many()
        .col_expr(
            board_reports::Column::ResolvedAt,
            sea_orm::sea_query::Expr::value(Utc::now()),
        )
        .col_expr(
            board_reports::Column::ResolvedBy,
            sea_orm::sea_query::Expr::value(viewer.user.as_ref().map(|u| u.id).filter(|i| *i > 0)),
        )
        .filter(board_reports::Column::Target.eq(target.as_str()))
        .filter(board_reports::Column::TargetId.eq(id))
        .filter(board_reports::Column::ResolvedAt.is_null())
        .exec(db)
        .await?;
    Ok(r.rows_affected)
}

/// Hides (`Hidden`) or shows (`Visible`: restore, or approve a held contribution) a post or
/// comment, with a reason; open reports on it are resolved; the step is logged.
///
/// # Errors
/// `NotFound`; `Forbidden` without a moderating role in the item's tenant;
/// [`BoardError::ReasonInvalid`]; `Validation` for `Pending`.
pub async fn set_moderation(
    db: &sea_orm::DatabaseConnection,
    viewer: &Viewer,
    target: Target,
    id: i32,
    to: Moderation,
    reason: &str,
) -> AppResult<()> {
    if to == Moderation::Pending {
        return Err(AppError::Validation(
            "Ziel muss visible oder hidden sein".into(),
        ));
    }
    let located = locate(db, target, id).await?;
    viewer.require(located.post.tenant_id, Can::ModeratePosts)?;
    let reason = rules::reason(reason)?;
    let from = located.moderation.as_str();
    let txn = crate::kernel::db::write_txn(db).await?;
    let stored_reason = (to == Moderation::Hidden).then(|| reason.clone());
    match target {
        Target::Post => {
            board_posts::ActiveModel {
                id: Set(id),
                moderation: Set(to.as_str().to_owned()),
                moderation_reason: Set(stored_reason),
                ..Default::default()
            }
            .update(&txn)
            .await?;
        }
        Target::Comment => {
            board_comments::ActiveModel {
                id: Set(id),
                moderation: Set(to.as_str().to_owned()),
                moderation_reason: Set(stored_reason),
                ..Default::default()
            }
            .update(&txn)
            .await?;
            // The post's comment count counts visible comments.
            let was_visible = from == Moderation::Visible.as_str();
            let is_visible = to == Moderation::Visible;
            if was_visible != is_visible {
                bump(
                    &txn,
                    located.post.id,
                    board_posts::Column::CommentCount,
                    if is_visible { 1 } else { -1 },
                )
                .await?;
            }
        }
    }
    resolve_reports(&txn, viewer, target, id).await?;
    let action = match (from, to) {
        ("pending", Moderation::Visible) => "approve",
        (_, Moderation::Visible) => "restore",
        _ => "hide",
    };
    audit::record(
        &txn,
        located.post.tenant_id,
        viewer,
        action,
        &format!("{}:{id}", target.as_str()),
        &reason,
    )
    .await?;
    txn.commit().await?;
    Ok(())
}

/// Closes the open reports of an item without acting on it.
///
/// # Errors
/// `NotFound`, `Forbidden`.
pub async fn dismiss_reports(
    db: &sea_orm::DatabaseConnection,
    viewer: &Viewer,
    target: Target,
    id: i32,
) -> AppResult<u64> {
    let located = locate(db, target, id).await?;
    viewer.require(located.post.tenant_id, Can::ModeratePosts)?;
    let txn = crate::kernel::db::write_txn(db).await?;
    let n = resolve_reports(&txn, viewer, target, id).await?;
    audit::record(
        &txn,
        located.post.tenant_id,
        viewer,
        "dismiss",
        &format!("{}:{id}", target.as_str()),
        &format!("{n} Meldungen"),
    )
    .await?;
    txn.commit().await?;
    Ok(n)
}

/// Bans the author of a post or comment (their account, or their device when they wrote
/// without one) in the item's tenant, for `days` or for good.
///
/// # Errors
/// `NotFound`, `Forbidden`, [`BoardError::ReasonInvalid`], `Validation` for bad days.
pub async fn ban_author(
    db: &sea_orm::DatabaseConnection,
    viewer: &Viewer,
    target: Target,
    id: i32,
    reason: &str,
    days: Option<i64>,
) -> AppResult<board_bans::Model> {
    let located = locate(db, target, id).await?;
    let tenant_id = located.post.tenant_id;
    viewer.require(tenant_id, Can::ModeratePosts)?;
    let reason = rules::reason(reason)?;
    if located.user_id.is_none() && located.device_hash.is_none() {
        return Err(AppError::Validation(
            "der Autor ist nicht mehr bekannt (Konto gelöscht)".into(),
        ));
    }
    let until: Option<DateTime<Utc>> = match days {
        None => None,
        Some(d) if (1..=3650).contains(&d) => Some(Utc::now() + Duration::days(d)),
        Some(_) => {
            return Err(AppError::Validation(
                "Tage müssen zwischen 1 und 3650 liegen".into(),
            ))
        }
    };
    let txn = crate::kernel::db::write_txn(db).await?;
    let ban = board_bans::ActiveModel {
        tenant_id: Set(tenant_id),
        user_id: Set(located.user_id),
        device_hash: Set(located.device_hash.filter(|_| located.user_id.is_none())),
        reason: Set(reason.clone()),
        until: Set(until),
        created_by: Set(viewer.user.as_ref().map(|u| u.id).filter(|i| *i > 0)),
        created_at: Set(Utc::now()),
        ..Default::default()
    }
    .insert(&txn)
    .await?;
    audit::record(
        &txn,
        tenant_id,
        viewer,
        "ban",
        &format!("ban:{}", ban.id),
        &format!("{}:{id}: {reason}", target.as_str()),
    )
    .await?;
    txn.commit().await?;
    Ok(ban)
}

/// Lifts a ban.
///
/// # Errors
/// `NotFound`, `Forbidden`.
pub async fn lift_ban(
    db: &sea_orm::DatabaseConnection,
    viewer: &Viewer,
    ban_id: i32,
) -> AppResult<()> {
    let ban = board_bans::Entity::find_by_id(ban_id)
        .one(db)
        .await?
        .ok_or(AppError::NotFound)?;
    viewer.require(ban.tenant_id, Can::ModeratePosts)?;
    let txn = crate::kernel::db::write_txn(db).await?;
    board_bans::Entity::delete_by_id(ban_id).exec(&txn).await?;
    audit::record(
        &txn,
        ban.tenant_id,
        viewer,
        "unban",
        &format!("ban:{ban_id}"),
        "",
    )
    .await?;
    txn.commit().await?;
    Ok(())
}

/// One entry of the moderators' queue.
#[derive(Debug, Clone)]
pub struct QueueItem {
    pub target: Target,
    pub id: i32,
    pub post_id: i32,
    pub board_id: i32,
    pub title: String,
    pub excerpt: String,
    pub author: String,
    pub moderation: String,
    /// Why it is held (word filter, first post).
    pub held_reason: Option<String>,
    /// Reasons of the open reports.
    pub reports: Vec<String>,
    pub created_at: DateTime<Utc>,
}

/// The tenant's queue: reported items (most reports first), then held items (oldest first).
///
/// # Errors
/// `Forbidden` without a moderating role.
pub async fn queue(
    db: &impl ConnectionTrait,
    viewer: &Viewer,
    tenant_id: i32,
) -> AppResult<Vec<QueueItem>> {
    viewer.require(tenant_id, Can::ModeratePosts)?;
    let open = board_reports::Entity::find()
        .filter(board_reports::Column::TenantId.eq(tenant_id))
        .filter(board_reports::Column::ResolvedAt.is_null())
        .order_by_asc(board_reports::Column::Id)
        .all(db)
        .await?;
    let mut reasons: HashMap<(String, i32), Vec<String>> = HashMap::new();
    for r in open {
        reasons
            .entry((r.target, r.target_id))
            .or_default()
            .push(r.reason);
    }
    let post_ids: Vec<i32> = reasons
        .keys()
        .filter(|(t, _)| t == Target::Post.as_str())
        .map(|(_, id)| *id)
        .collect();
    let comment_ids: Vec<i32> = reasons
        .keys()
        .filter(|(t, _)| t == Target::Comment.as_str())
        .map(|(_, id)| *id)
        .collect();
    let pending = Moderation::Pending.as_str();
    let posts = board_posts::Entity::find()
        .filter(board_posts::Column::TenantId.eq(tenant_id))
        .filter(
            Condition::any()
                .add(board_posts::Column::Id.is_in(post_ids))
                .add(board_posts::Column::Moderation.eq(pending)),
        )
        .all(db)
        .await?;
    let comments = board_comments::Entity::find()
        .filter(
            board_comments::Column::PostId.in_subquery(
                sea_orm::sea_query::Query::select()
                    .column(board_posts::Column::Id)
                    .from(board_posts::Entity)
                    .and_where(
                        sea_orm::sea_query::Expr::col(board_posts::Column::TenantId).eq(tenant_id),
                    )
                    .to_owned(),
            ),
        )
        .filter(
            Condition::any()
                .add(board_comments::Column::Id.is_in(comment_ids))
                .add(board_comments::Column::Moderation.eq(pending)),
        )
        .all(db)
        .await?;
    let comment_posts: Vec<i32> = comments.iter().map(|c| c.post_id).collect();
    let titles: HashMap<i32, (String, i32)> = board_posts::Entity::find()
        .select_only()
        .columns([
            board_posts::Column::Id,
            board_posts::Column::Title,
            board_posts::Column::BoardId,
        ])
        .filter(board_posts::Column::Id.is_in(comment_posts))
        .into_tuple::<(i32, String, i32)>()
        .all(db)
        .await?
        .into_iter()
        .map(|(id, t, b)| (id, (t, b)))
        .collect();
    let mut items: Vec<QueueItem> = posts
        .into_iter()
        .map(|p| QueueItem {
            target: Target::Post,
            id: p.id,
            post_id: p.id,
            board_id: p.board_id,
            excerpt: excerpt(&p.body_html, 300),
            reports: reasons.remove(&("post".into(), p.id)).unwrap_or_default(),
            held_reason: (p.moderation == pending)
                .then_some(p.moderation_reason)
                .flatten(),
            title: p.title,
            author: p.author_name,
            moderation: p.moderation,
            created_at: p.created_at,
        })
        .collect();
    items.extend(comments.into_iter().map(|c| {
        let (title, board_id) = titles.get(&c.post_id).cloned().unwrap_or_default();
        QueueItem {
            target: Target::Comment,
            id: c.id,
            post_id: c.post_id,
            board_id,
            title,
            excerpt: excerpt(&c.body_html, 300),
            reports: reasons
                .remove(&("comment".into(), c.id))
                .unwrap_or_default(),
            held_reason: (c.moderation == pending)
                .then_some(c.moderation_reason)
                .flatten(),
            author: c.author_name,
            moderation: c.moderation,
            created_at: c.created_at,
        }
    }));
    items.sort_by(|a, b| {
        b.reports
            .len()
            .cmp(&a.reports.len())
            .then(a.created_at.cmp(&b.created_at))
    });
    Ok(items)
}

/// The tenant's current bans.
///
/// # Errors
/// `Forbidden`.
pub async fn bans(
    db: &impl ConnectionTrait,
    viewer: &Viewer,
    tenant_id: i32,
) -> AppResult<Vec<board_bans::Model>> {
    viewer.require(tenant_id, Can::ModeratePosts)?;
    Ok(board_bans::Entity::find()
        .filter(board_bans::Column::TenantId.eq(tenant_id))
        .filter(
            Condition::any()
                .add(board_bans::Column::Until.is_null())
                .add(board_bans::Column::Until.gt(Utc::now())),
        )
        .order_by_desc(board_bans::Column::Id)
        .all(db)
        .await?)
}

/// The newest entries of the tenant's audit log.
///
/// # Errors
/// `Forbidden` without a moderating or managing role.
pub async fn audit_entries(
    db: &impl ConnectionTrait,
    viewer: &Viewer,
    tenant_id: i32,
    limit: u64,
) -> AppResult<Vec<audit_log::Model>> {
    if !viewer.may(tenant_id, Can::ModeratePosts) {
        viewer.require(tenant_id, Can::ManageBoards)?;
    }
    audit::newest(db, tenant_id, None, limit).await
}
