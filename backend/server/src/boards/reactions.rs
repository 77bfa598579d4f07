//! Reactions to posts: support, follows, the administration's answer, and mails to followers.

use super::*;

/// Adds `by` to a counter of a post in one statement (no lost updates under concurrency).
pub(super) async fn bump(
    db: &impl ConnectionTrait,
    post_id: i32,
    col: board_posts::Column,
    by: i32,
) -> AppResult<()> {
    board_posts::Entity::update_many()
        .col_expr(col, Expr::col(col).add(by))
        .filter(board_posts::Column::Id.eq(post_id))
        .exec(db)
        .await?;
    Ok(())
}

/// Supports a post: once per account, or per device without an account.
///
/// # Errors
/// [`BoardError::AlreadySupported`] the second time; `AccountRequired` on boards for accounts;
/// `Banned`.
pub async fn support(
    state: &AppState,
    participant: Participant<'_>,
    post_id: i32,
) -> AppResult<i32> {
    let db = &state.db;
    let post = visible_post(db, participant, post_id).await?;
    if post.moderation != Moderation::Visible.as_str() {
        return Err(BoardError::Hidden.into());
    }
    let board = board(db, post.board_id).await?;
    if participant.user_id().is_none() && board.access != Access::Anonymous.as_str() {
        return Err(BoardError::AccountRequired.into());
    }
    let Some(mine) = participant.owns(
        board_supports::Column::UserId,
        board_supports::Column::DeviceHash,
    ) else {
        return Err(AppError::Validation(
            "ohne Konto wird ein Geräte-Cookie gebraucht".into(),
        ));
    };
    if moderation::is_banned(db, post.tenant_id, participant).await? {
        return Err(BoardError::Banned.into());
    }
    let txn = crate::kernel::db::write_txn(db).await?;
    let exists = board_supports::Entity::find()
        .filter(board_supports::Column::PostId.eq(post_id))
        .filter(mine)
        .count(&txn)
        .await?
        > 0;
    if exists {
        return Err(BoardError::AlreadySupported.into());
    }
    let inserted = board_supports::ActiveModel {
        post_id: Set(post_id),
        user_id: Set(participant.user_id()),
        device_hash: Set(participant
            .device
            .map(str::to_owned)
            .filter(|_| participant.user_id().is_none())),
        created_at: Set(Utc::now()),
        ..Default::default()
    }
    .insert(&txn)
    .await;
    // A concurrent second click loses against the unique index.
    if inserted.is_err() {
        return Err(BoardError::AlreadySupported.into());
    }
    bump(&txn, post_id, board_posts::Column::SupportCount, 1).await?;
    txn.commit().await?;
    Ok(post.support_count + 1)
}

/// Withdraws the participant's support.
///
/// # Errors
/// `NotFound` when there was none.
pub async fn withdraw_support(
    state: &AppState,
    participant: Participant<'_>,
    post_id: i32,
) -> AppResult<()> {
    let mine = participant
        .owns(
            board_supports::Column::UserId,
            board_supports::Column::DeviceHash,
        )
        .ok_or(AppError::NotFound)?;
    let txn = crate::kernel::db::write_txn(&state.db).await?;
    let gone = board_supports::Entity::delete_many()
        .filter(board_supports::Column::PostId.eq(post_id))
        .filter(mine)
        .exec(&txn)
        .await?;
    if gone.rows_affected == 0 {
        return Err(AppError::NotFound);
    }
    bump(&txn, post_id, board_posts::Column::SupportCount, -1).await?;
    txn.commit().await?;
    Ok(())
}

/// What to follow.
#[derive(Debug, Clone, Copy)]
pub enum Followed {
    Board(i32),
    Post(i32),
}

/// Follows (or with `on = false` unfollows) a board or a post; followers get a mail when the
/// administration answers. Accounts only (a mail needs an address).
///
/// # Errors
/// `Unauthenticated`; `NotFound`.
pub async fn follow(
    state: &AppState,
    participant: Participant<'_>,
    what: Followed,
    on: bool,
) -> AppResult<()> {
    let db = &state.db;
    let user_id = participant.user_id().ok_or(AppError::Unauthenticated)?;
    let (board_id, post_id) = match what {
        Followed::Board(b) => (Some(board(db, b).await?.id), None),
        Followed::Post(p) => (None, Some(visible_post(db, participant, p).await?.id)),
    };
    let existing = board_follows::Entity::find()
        .filter(board_follows::Column::UserId.eq(user_id))
        .filter(match board_id {
            Some(b) => board_follows::Column::BoardId.eq(b),
            None => board_follows::Column::BoardId.is_null(),
        })
        .filter(match post_id {
            Some(p) => board_follows::Column::PostId.eq(p),
            None => board_follows::Column::PostId.is_null(),
        })
        .one(db)
        .await?;
    match (existing, on) {
        (None, true) => {
            board_follows::ActiveModel {
                user_id: Set(user_id),
                board_id: Set(board_id),
                post_id: Set(post_id),
                created_at: Set(Utc::now()),
                ..Default::default()
            }
            .insert(db)
            .await?;
        }
        (Some(f), false) => {
            board_follows::Entity::delete_by_id(f.id).exec(db).await?;
        }
        _ => {}
    }
    Ok(())
}

/// Sets a post's status and the administration's answer; followers of the post and its board
/// and the author (with an account) get a mail.
///
/// # Errors
/// `NotFound`; `Forbidden` without an answering role in the post's tenant.
pub async fn answer(
    state: &AppState,
    viewer: &Viewer,
    post_id: i32,
    status: PostStatus,
    answer: Option<&str>,
) -> AppResult<Post> {
    let db = &state.db;
    let post = post_model(db, post_id).await?;
    viewer.require(post.tenant_id, Can::AnswerPosts)?;
    let tenant = crate::tenancy::by_id(db, post.tenant_id).await?;
    let answer_html = match answer.map(str::trim).filter(|a| !a.is_empty()) {
        Some(a) => Some(richtext::to_html(rules::body(a)?)),
        None => post.answer_html.clone(),
    };
    let answer_changed = answer_html != post.answer_html;
    let txn = crate::kernel::db::write_txn(db).await?;
    let mut m = board_posts::ActiveModel {
        id: Set(post_id),
        status: Set(status.as_str().to_owned()),
        ..Default::default()
    };
    if answer_changed {
        m.answer_html = Set(answer_html.clone());
        m.answered_at = Set(Some(Utc::now()));
        m.answered_by = Set(Some(tenant.name.clone()));
    }
    let updated = m.update(&txn).await?;
    crate::kernel::audit::record(
        &txn,
        post.tenant_id,
        viewer,
        "answer",
        &format!("post:{post_id}"),
        &format!("Status {}", status.as_str()),
    )
    .await?;
    if answer_changed {
        notify_followers(state, &txn, &updated, &tenant.name).await?;
    }
    txn.commit().await?;
    state.mail_wakeup.notify_one();
    Ok(updated)
}

pub(super) async fn notify_followers(
    state: &AppState,
    db: &impl ConnectionTrait,
    post: &Post,
    tenant_name: &str,
) -> AppResult<()> {
    use crate::accounts::entity::users;
    let mut ids: Vec<i32> = board_follows::Entity::find()
        .select_only()
        .column(board_follows::Column::UserId)
        .filter(
            Condition::any()
                .add(board_follows::Column::PostId.eq(post.id))
                .add(board_follows::Column::BoardId.eq(post.board_id)),
        )
        .into_tuple()
        .all(db)
        .await?;
    ids.extend(post.user_id);
    ids.sort_unstable();
    ids.dedup();
    if ids.is_empty() {
        return Ok(());
    }
    let link = format!(
        "{}/beitrag/{}",
        state.settings.public_url.trim_end_matches('/'),
        post.id
    );
    for user in users::Entity::find()
        .filter(users::Column::Id.is_in(ids))
        .all(db)
        .await?
    {
        crate::kernel::outbox::enqueue(
            db,
            &user.email,
            &format!("Quartiersnetz: Antwort auf „{}“", post.title),
            &format!(
                "Hallo {},\n\n{tenant_name} hat auf den Beitrag „{}“ geantwortet:\n\n{}\n\n{link}\n\nSie bekommen diese E-Mail, weil Sie dem Beitrag oder der Pinnwand folgen oder ihn geschrieben haben.\n",
                user.display_name,
                post.title,
                richtext::to_text(post.answer_html.as_deref().unwrap_or_default()),
            ),
        )
        .await?;
    }
    Ok(())
}
