//! Writing: posts and comments, with admission, the word filter, placement and edits.

use super::*;

/// A new post as typed.
#[derive(Debug, Clone, Default)]
pub struct NewPost {
    pub board_id: i32,
    pub kind: String,
    pub title: String,
    pub body: String,
    /// Required on anonymous boards without an account; optional otherwise.
    pub display_name: Option<String>,
    pub lon: Option<f64>,
    pub lat: Option<f64>,
    /// "Wo genau?" as an address ("Kalker Hauptstraße 120, 51103 Köln"), the way to give a
    /// place without a map: looked up in the Kommune's address register when no point is set.
    pub address: String,
    pub tag_ids: Vec<i32>,
}

/// Refuses when the board is closed, needs an account, or the participant is banned or too fast;
/// returns the name shown with the contribution.
pub(super) async fn may_write(
    db: &impl ConnectionTrait,
    participant: Participant<'_>,
    board: &Board,
    display_name: Option<&str>,
    recent: impl std::future::Future<Output = AppResult<u64>>,
    per_hour: u64,
) -> AppResult<String> {
    if !board.open {
        return Err(BoardError::BoardClosed.into());
    }
    let anonymous_ok = board.access == Access::Anonymous.as_str();
    let name = match (
        participant.viewer.user.as_ref(),
        display_name.filter(|n| !n.trim().is_empty()),
    ) {
        (Some(_), Some(n)) if anonymous_ok => rules::display_name(n)?,
        (Some(u), _) => u.display_name.clone(),
        (None, _) if !anonymous_ok => return Err(BoardError::AccountRequired.into()),
        (None, Some(n)) => rules::display_name(n)?,
        (None, None) => return Err(BoardError::DisplayNameInvalid.into()),
    };
    if participant.user_id().is_none() && participant.device.is_none() {
        return Err(AppError::Validation(
            "ohne Konto wird ein Geräte-Cookie gebraucht".into(),
        ));
    }
    if moderation::is_banned(db, board.tenant_id, participant).await? {
        return Err(BoardError::Banned.into());
    }
    if !participant.viewer.may(board.tenant_id, Can::ModeratePosts) {
        rules::within_rate(recent.await?, per_hour)?;
    }
    Ok(name)
}

/// Counts a board write (post, comment, report, support) made without an account against its
/// client address. The per-device limits cannot hold a client that drops the device cookie:
/// then every request is a new device.
///
/// # Errors
/// `RateLimited` beyond `QN_ANONYMOUS_WRITES_PER_HOUR` writes of the address in the last hour.
pub fn count_anonymous_write(state: &AppState, viewer: &Viewer, client: &str) -> AppResult<()> {
    if viewer.user.is_some() {
        return Ok(());
    }
    if state.mem.limits.anonymous_writes.is_blocked(&[client]) {
        return Err(AppError::RateLimited);
    }
    state.mem.limits.anonymous_writes.record_failure(&[client]);
    Ok(())
}

pub(super) fn hour_ago() -> DateTime<Utc> {
    Utc::now() - Duration::hours(1)
}

/// How many rows of `E` (posts, comments, reports) the participant wrote in the last hour, for the
/// rate limits; 0 for an participant without account or device (refused elsewhere).
pub(crate) async fn written_last_hour<E: EntityTrait>(
    db: &impl ConnectionTrait,
    participant: Participant<'_>,
    user_col: E::Column,
    device_col: E::Column,
    created_col: E::Column,
) -> AppResult<u64>
where
    E::Model: Sync,
{
    Ok(match participant.owns(user_col, device_col) {
        Some(mine) => {
            E::find()
                .filter(mine)
                .filter(created_col.gt(hour_ago()))
                .count(db)
                .await?
        }
        None => 0,
    })
}

/// The areas of the tenant containing the point, at every level.
pub(super) fn place(state: &AppState, tenant_id: i32, lon: f64, lat: f64) -> Vec<i32> {
    crate::areas::tenant_areas_at(state, tenant_id, lon, lat)
}

/// Checks an optional point: both coordinates or none, inside one of the tenant's areas.
pub(super) fn checked_point(
    state: &AppState,
    tenant_id: i32,
    lon: Option<f64>,
    lat: Option<f64>,
) -> AppResult<Option<(f64, f64, Vec<i32>)>> {
    match (lon, lat) {
        (None, None) => Ok(None),
        (Some(lon), Some(lat))
            if lon.is_finite()
                && lat.is_finite()
                && (-180.0..=180.0).contains(&lon)
                && (-90.0..=90.0).contains(&lat) =>
        {
            let areas = place(state, tenant_id, lon, lat);
            if areas.is_empty() {
                Err(BoardError::PointOutside.into())
            } else {
                Ok(Some((lon, lat, areas)))
            }
        }
        _ => Err(AppError::Validation(
            "ein Punkt braucht Länge (-180…180) und Breite (-90…90)".into(),
        )),
    }
}

pub(super) async fn filter_and_admission(
    db: &impl ConnectionTrait,
    participant: Participant<'_>,
    board: &Board,
    text: &str,
) -> AppResult<(Moderation, Option<String>)> {
    let filter = moderation::word_filter(db, board.tenant_id).await?;
    let is_moderator = participant.viewer.may(board.tenant_id, Can::ModeratePosts);
    let known = if board.premoderate_first && !is_moderator {
        match participant.owns(board_posts::Column::UserId, board_posts::Column::DeviceHash) {
            Some(mine) => {
                board_posts::Entity::find()
                    .filter(mine)
                    .filter(board_posts::Column::TenantId.eq(board.tenant_id))
                    .filter(board_posts::Column::Moderation.eq(Moderation::Visible.as_str()))
                    .count(db)
                    .await?
                    > 0
            }
            None => false,
        }
    } else {
        true
    };
    Ok(rules::admit(Admission {
        premoderate_first: board.premoderate_first,
        author_known: known,
        author_is_moderator: is_moderator,
        filtered_word: filter.first_match(text),
    }))
}

/// Writes a post (held for a moderator when the board or the word filter says so).
///
/// # Errors
/// `NotFound` for an unknown board; [`BoardError`]s for closed boards, bans, rate limits and bad
/// input; `Validation` for a tag of another tenant.
pub async fn create_post(
    state: &AppState,
    participant: Participant<'_>,
    input: NewPost,
) -> AppResult<Post> {
    let db = &state.db;
    let board = board(db, input.board_id).await?;
    let recent = written_last_hour::<board_posts::Entity>(
        db,
        participant,
        board_posts::Column::UserId,
        board_posts::Column::DeviceHash,
        board_posts::Column::CreatedAt,
    );
    let author_name = may_write(
        db,
        participant,
        &board,
        input.display_name.as_deref(),
        recent,
        rules::POSTS_PER_HOUR,
    )
    .await?;
    let kind: PostKind = input.kind.parse()?;
    let title = rules::title(&input.title)?;
    let body_source = rules::body(&input.body)?;
    let body_html = richtext::to_html(body_source);
    let (lon, lat) = match (input.lon, input.lat, input.address.trim()) {
        (None, None, address) if !address.is_empty() => {
            let (street, postcode, city) = qn_domain::areas::addresses::one_line(address);
            let p = crate::areas::addresses::point_of(
                state,
                board.tenant_id,
                &street,
                &postcode,
                &city,
            )
            .await?
            .ok_or(BoardError::NoAddressRegister)?;
            (Some(p.lon), Some(p.lat))
        }
        _ => (input.lon, input.lat),
    };
    let point = checked_point(state, board.tenant_id, lon, lat)?;
    let tag_ids = checked_tags(db, board.tenant_id, &input.tag_ids).await?;
    let text = format!("{title} {} {author_name}", richtext::to_text(&body_html));
    let (moderation, reason) = filter_and_admission(db, participant, &board, &text).await?;
    let now = Utc::now();
    let txn = crate::kernel::db::write_txn(db).await?;
    let post = board_posts::ActiveModel {
        board_id: Set(board.id),
        tenant_id: Set(board.tenant_id),
        user_id: Set(participant.user_id()),
        device_hash: Set(participant
            .device
            .map(str::to_owned)
            .filter(|_| participant.user_id().is_none())),
        author_name: Set(author_name),
        kind: Set(kind.as_str().to_owned()),
        title: Set(title),
        body_html: Set(body_html),
        body_source: Set(Some(body_source.to_owned())),
        lon: Set(point.as_ref().map(|p| p.0)),
        lat: Set(point.as_ref().map(|p| p.1)),
        status: Set(PostStatus::New.as_str().to_owned()),
        answer_html: Set(None),
        answered_at: Set(None),
        answered_by: Set(None),
        moderation: Set(moderation.as_str().to_owned()),
        moderation_reason: Set(reason),
        support_count: Set(0),
        comment_count: Set(0),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    }
    .insert(&txn)
    .await?;
    if let Some((_, _, area_ids)) = point {
        insert_areas(&txn, post.id, &area_ids).await?;
    }
    if !tag_ids.is_empty() {
        board_post_tags::Entity::insert_many(tag_ids.iter().map(|t| {
            board_post_tags::ActiveModel {
                post_id: Set(post.id),
                tag_id: Set(*t),
            }
        }))
        .exec(&txn)
        .await?;
    }
    txn.commit().await?;
    Ok(post)
}

pub(super) async fn insert_areas(
    db: &impl ConnectionTrait,
    post_id: i32,
    area_ids: &[i32],
) -> AppResult<()> {
    if area_ids.is_empty() {
        return Ok(());
    }
    board_post_areas::Entity::insert_many(area_ids.iter().map(|a| board_post_areas::ActiveModel {
        post_id: Set(post_id),
        area_id: Set(*a),
    }))
    .exec(db)
    .await?;
    Ok(())
}

pub(super) async fn checked_tags(
    db: &impl ConnectionTrait,
    tenant_id: i32,
    ids: &[i32],
) -> AppResult<Vec<i32>> {
    let mut ids = ids.to_vec();
    ids.sort_unstable();
    ids.dedup();
    if ids.is_empty() {
        return Ok(ids);
    }
    let found = board_tags::Entity::find()
        .filter(board_tags::Column::Id.is_in(ids.clone()))
        .filter(board_tags::Column::TenantId.eq(tenant_id))
        .count(db)
        .await?;
    if found as usize != ids.len() {
        return Err(AppError::Validation("unbekanntes Handlungsfeld".into()));
    }
    Ok(ids)
}

/// Places every post of a tenant that has a point again (its boundaries changed; see
/// `flows::boundaries`). Returns the number of posts.
///
/// # Errors
/// Database errors.
pub async fn place_all(state: &AppState, tenant_id: i32) -> AppResult<usize> {
    let posts: Vec<(i32, i32, f64, f64)> = board_posts::Entity::find()
        .select_only()
        .columns([
            board_posts::Column::Id,
            board_posts::Column::TenantId,
            board_posts::Column::Lon,
            board_posts::Column::Lat,
        ])
        .filter(board_posts::Column::TenantId.eq(tenant_id))
        .filter(board_posts::Column::Lon.is_not_null())
        .filter(board_posts::Column::Lat.is_not_null())
        .into_tuple()
        .all(&state.db)
        .await?;
    let of_tenant = board_posts::Entity::find()
        .select_only()
        .column(board_posts::Column::Id)
        .filter(board_posts::Column::TenantId.eq(tenant_id))
        .into_query();
    let txn = crate::kernel::db::write_txn(&state.db).await?;
    board_post_areas::Entity::delete_many()
        .filter(board_post_areas::Column::PostId.in_subquery(of_tenant))
        .exec(&txn)
        .await?;
    let rows: Vec<board_post_areas::ActiveModel> = posts
        .iter()
        .flat_map(|(id, tenant, lon, lat)| {
            place(state, *tenant, *lon, *lat).into_iter().map(move |a| {
                board_post_areas::ActiveModel {
                    post_id: Set(*id),
                    area_id: Set(a),
                }
            })
        })
        .collect();
    for chunk in rows.chunks(5_000) {
        board_post_areas::Entity::insert_many(chunk.to_vec())
            .exec(&txn)
            .await?;
    }
    txn.commit().await?;
    Ok(posts.len())
}

/// Edits a post's title and text; the author (while it is not hidden) or a moderator. The
/// version before is kept in the edit history.
///
/// # Errors
/// `NotFound`, `Forbidden`, [`BoardError`]s for bad input.
pub async fn edit_post(
    state: &AppState,
    participant: Participant<'_>,
    id: i32,
    title: &str,
    body: &str,
) -> AppResult<Post> {
    let db = &state.db;
    let post = post_model(db, id).await?;
    let board = board(db, post.board_id).await?;
    let is_moderator = participant.viewer.may(post.tenant_id, Can::ModeratePosts);
    let is_author = participant.is_author(post.user_id, post.device_hash.as_deref());
    let author_may = is_author && post.moderation != Moderation::Hidden.as_str();
    if !(is_moderator || author_may) {
        return Err(AppError::Forbidden);
    }
    if !is_moderator && moderation::is_banned(db, post.tenant_id, participant).await? {
        return Err(BoardError::Banned.into());
    }
    let title = rules::title(title)?;
    let body_source = rules::body(body)?;
    let body_html = richtext::to_html(body_source);
    let text = format!("{title} {}", richtext::to_text(&body_html));
    let (held, reason) = filter_and_admission(db, participant, &board, &text).await?;
    let txn = crate::kernel::db::write_txn(db).await?;
    board_revisions::ActiveModel {
        target: Set("post".into()),
        target_id: Set(id),
        title: Set(Some(post.title.clone())),
        body_html: Set(post.body_html.clone()),
        edited_by: Set(if is_author {
            "author".into()
        } else {
            "moderation".into()
        }),
        edited_at: Set(Utc::now()),
        ..Default::default()
    }
    .insert(&txn)
    .await?;
    let mut m = board_posts::ActiveModel {
        id: Set(id),
        title: Set(title),
        body_html: Set(body_html),
        body_source: Set(Some(body_source.to_owned())),
        updated_at: Set(Utc::now()),
        ..Default::default()
    };
    // A filtered word in an edit holds the post again; a moderator's edit never does.
    if held == Moderation::Pending && post.moderation == Moderation::Visible.as_str() {
        m.moderation = Set(held.as_str().to_owned());
        m.moderation_reason = Set(reason);
    }
    let updated = m.update(&txn).await?;
    if is_moderator && !is_author {
        crate::kernel::audit::record(
            &txn,
            post.tenant_id,
            participant.viewer,
            "edit",
            &format!("post:{id}"),
            "",
        )
        .await?;
    }
    txn.commit().await?;
    Ok(updated)
}

/// A comment on a post, or with `parent_id` a reply to a comment (one level only).
///
/// # Errors
/// `NotFound`; [`BoardError`]s.
pub async fn create_comment(
    state: &AppState,
    participant: Participant<'_>,
    post_id: i32,
    parent_id: Option<i32>,
    body: &str,
    display_name: Option<&str>,
) -> AppResult<Comment> {
    let db = &state.db;
    let post = visible_post(db, participant, post_id).await?;
    if post.moderation != Moderation::Visible.as_str() {
        return Err(BoardError::Hidden.into());
    }
    let board = board(db, post.board_id).await?;
    if let Some(p) = parent_id {
        let parent = board_comments::Entity::find_by_id(p)
            .one(db)
            .await?
            .filter(|c| c.post_id == post_id)
            .ok_or(AppError::NotFound)?;
        if parent.parent_id.is_some() {
            return Err(BoardError::NestedReply.into());
        }
    }
    let recent = written_last_hour::<board_comments::Entity>(
        db,
        participant,
        board_comments::Column::UserId,
        board_comments::Column::DeviceHash,
        board_comments::Column::CreatedAt,
    );
    let author_name = may_write(
        db,
        participant,
        &board,
        display_name,
        recent,
        rules::COMMENTS_PER_HOUR,
    )
    .await?;
    let body_html = richtext::to_html(rules::body(body)?);
    let filter = moderation::word_filter(db, board.tenant_id).await?;
    let is_moderator = participant.viewer.may(board.tenant_id, Can::ModeratePosts);
    let hit = filter
        .first_match(&format!("{} {author_name}", richtext::to_text(&body_html)))
        .filter(|_| !is_moderator)
        .map(|w| format!("Wortfilter: „{w}“"));
    let now = Utc::now();
    let txn = crate::kernel::db::write_txn(db).await?;
    let comment = board_comments::ActiveModel {
        post_id: Set(post_id),
        parent_id: Set(parent_id),
        user_id: Set(participant.user_id()),
        device_hash: Set(participant
            .device
            .map(str::to_owned)
            .filter(|_| participant.user_id().is_none())),
        author_name: Set(author_name),
        body_html: Set(body_html),
        moderation: Set(if hit.is_some() {
            Moderation::Pending
        } else {
            Moderation::Visible
        }
        .as_str()
        .to_owned()),
        moderation_reason: Set(hit.clone()),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    }
    .insert(&txn)
    .await?;
    if hit.is_none() {
        bump(&txn, post_id, board_posts::Column::CommentCount, 1).await?;
    }
    txn.commit().await?;
    Ok(comment)
}
