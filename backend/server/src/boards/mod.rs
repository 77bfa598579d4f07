//! Participation boards: boards per Quartier or topic, posts with a kind, a point on the map and
//! fields of action, comments with one level of replies, support, follows, and the official
//! answer of the administration. Moderation (reports, hiding, bans, the word filter, the audit
//! log) is in [`moderation`]; exports in [`export`].
//!
//! Boards are public: everyone can read visible posts. Held posts are seen by their author and
//! the tenant's moderators; hidden ones show the moderator's reason in their place.

pub mod entity;
pub mod export;
pub mod moderation;

use crate::areas::{self, Area};
use crate::kernel::error::{AppError, AppResult};
use crate::kernel::permissions::Can;
use crate::kernel::richtext;
use crate::kernel::state::AppState;
use crate::kernel::viewer::Viewer;
use chrono::{DateTime, Duration, Utc};
use entity::{
    board_comments, board_follows, board_post_areas, board_post_tags, board_posts, board_revisions,
    board_supports, board_tags, boards,
};
use qn_domain::boards::{
    self as rules, Access, Admission, BoardError, Moderation, PostKind, PostStatus,
};
use sea_orm::sea_query::{Expr, ExprTrait};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, Condition, ConnectionTrait, EntityTrait, PaginatorTrait,
    QueryFilter, QueryOrder, QuerySelect, QueryTrait, Set,
};
use sha2::{Digest, Sha256};
use std::collections::HashMap;

pub use entity::board_comments::Model as Comment;
pub use entity::board_posts::Model as Post;
pub use entity::boards::Model as Board;

/// Posts per page of a board's list.
pub const PAGE_SIZE: u64 = 20;
/// The last page a list serves (200,000 posts): a page number from a link or an API call is
/// cut to it, so no offset overflows a database's integer.
pub const MAX_PAGE: u64 = 10_000;
/// The cookie that tells devices apart on anonymous boards (support once, rate limits, bans).
pub const DEVICE_COOKIE: &str = "qn_device";

impl From<BoardError> for AppError {
    fn from(e: BoardError) -> Self {
        AppError::Board(e)
    }
}

/// The device cookie is stored hashed, like session tokens.
pub fn device_hash(token: &str) -> String {
    Sha256::digest(format!("qn-device:{token}").as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// Who acts: the viewer, and on anonymous boards the device (hash of its cookie).
#[derive(Clone, Copy)]
pub struct Actor<'a> {
    pub viewer: &'a Viewer,
    pub device: Option<&'a str>,
}

impl Actor<'_> {
    /// The account, unless it is the installation itself.
    fn user_id(&self) -> Option<i32> {
        self.viewer.user.as_ref().map(|u| u.id).filter(|id| *id > 0)
    }

    /// Rows written by this actor: the account's, or without an account the device's.
    fn owns(&self, user_col: impl ColumnTrait, device_col: impl ColumnTrait) -> Option<Condition> {
        match (self.user_id(), self.device) {
            (Some(u), _) => Some(Condition::all().add(user_col.eq(u))),
            (None, Some(d)) => Some(Condition::all().add(device_col.eq(d))),
            (None, None) => None,
        }
    }

    fn is_author(&self, user_id: Option<i32>, device: Option<&str>) -> bool {
        match self.user_id() {
            Some(u) => user_id == Some(u),
            None => self.device.is_some() && device == self.device && user_id.is_none(),
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Boards and fields of action

/// Settings of a board as a planner enters them.
#[derive(Debug, Clone)]
pub struct BoardInput {
    pub area_id: Option<i32>,
    pub topic: Option<String>,
    pub title: String,
    pub rules: String,
    pub open: bool,
    pub access: Access,
    pub premoderate_first: bool,
}

async fn check_board_input(
    db: &impl ConnectionTrait,
    viewer: &Viewer,
    tenant_id: i32,
    input: &BoardInput,
) -> AppResult<String> {
    let title = rules::title(&input.title)?;
    if let Some(area_id) = input.area_id {
        let area = areas::by_id(db, viewer, area_id).await?;
        if area.tenant_id != tenant_id {
            return Err(AppError::Validation(
                "das Gebiet gehört nicht zu dieser Kommune".into(),
            ));
        }
    }
    Ok(title)
}

/// # Errors
/// `Forbidden` without a managing role in the tenant; validation errors.
pub async fn create_board(
    db: &impl ConnectionTrait,
    viewer: &Viewer,
    tenant_id: i32,
    input: BoardInput,
) -> AppResult<Board> {
    let user = viewer.require(tenant_id, Can::ManageBoards)?;
    let title = check_board_input(db, viewer, tenant_id, &input).await?;
    Ok(boards::ActiveModel {
        tenant_id: Set(tenant_id),
        created_by: Set(Some(user.id).filter(|id| *id > 0)),
        created_at: Set(Utc::now()),
        ..settings(input, title)
    }
    .insert(db)
    .await?)
}

/// # Errors
/// `NotFound`, `Forbidden`, validation errors.
pub async fn update_board(
    db: &impl ConnectionTrait,
    viewer: &Viewer,
    id: i32,
    input: BoardInput,
) -> AppResult<Board> {
    let board = board(db, id).await?;
    viewer.require(board.tenant_id, Can::ManageBoards)?;
    let title = check_board_input(db, viewer, board.tenant_id, &input).await?;
    Ok(boards::ActiveModel {
        id: Set(id),
        ..settings(input, title)
    }
    .update(db)
    .await?)
}

/// The columns a planner sets, for creating and for updating a board.
fn settings(input: BoardInput, title: String) -> boards::ActiveModel {
    boards::ActiveModel {
        area_id: Set(input.area_id),
        topic: Set(input
            .topic
            .map(|t| t.trim().to_owned())
            .filter(|t| !t.is_empty())),
        title: Set(title),
        rules: Set(richtext::to_html(&input.rules)),
        open: Set(input.open),
        access: Set(input.access.as_str().to_owned()),
        premoderate_first: Set(input.premoderate_first),
        ..Default::default()
    }
}

/// # Errors
/// `NotFound`.
pub async fn board(db: &impl ConnectionTrait, id: i32) -> AppResult<Board> {
    boards::Entity::find_by_id(id)
        .one(db)
        .await?
        .ok_or(AppError::NotFound)
}

/// A board with the number of its visible posts.
#[derive(Debug, Clone)]
pub struct BoardSummary {
    pub board: Board,
    pub posts: i64,
}

/// The boards of a tenant (or, with `area_id`, of one Quartier), newest first. Two queries.
///
/// # Errors
/// Database errors.
pub async fn boards_of(
    db: &impl ConnectionTrait,
    tenant_id: Option<i32>,
    area_id: Option<i32>,
) -> AppResult<Vec<BoardSummary>> {
    let mut q = boards::Entity::find().order_by_desc(boards::Column::Id);
    if let Some(t) = tenant_id {
        q = q.filter(boards::Column::TenantId.eq(t));
    }
    if let Some(a) = area_id {
        q = q.filter(boards::Column::AreaId.eq(a));
    }
    let list = q.all(db).await?;
    let ids: Vec<i32> = list.iter().map(|b| b.id).collect();
    let counts: HashMap<i32, i64> = if ids.is_empty() {
        HashMap::new()
    } else {
        board_posts::Entity::find()
            .select_only()
            .column(board_posts::Column::BoardId)
            .column_as(board_posts::Column::Id.count(), "n")
            .filter(board_posts::Column::BoardId.is_in(ids))
            .filter(board_posts::Column::Moderation.eq(Moderation::Visible.as_str()))
            .group_by(board_posts::Column::BoardId)
            .into_tuple::<(i32, i64)>()
            .all(db)
            .await?
            .into_iter()
            .collect()
    };
    Ok(list
        .into_iter()
        .map(|b| BoardSummary {
            posts: counts.get(&b.id).copied().unwrap_or(0),
            board: b,
        })
        .collect())
}

/// The tenant's fields of action, by name.
///
/// # Errors
/// Database errors.
pub async fn tags(db: &impl ConnectionTrait, tenant_id: i32) -> AppResult<Vec<board_tags::Model>> {
    Ok(board_tags::Entity::find()
        .filter(board_tags::Column::TenantId.eq(tenant_id))
        .order_by_asc(board_tags::Column::Name)
        .all(db)
        .await?)
}

/// Adds a field of action to the managed list (idempotent by name).
///
/// # Errors
/// `Forbidden`; validation errors.
pub async fn create_tag(
    db: &impl ConnectionTrait,
    viewer: &Viewer,
    tenant_id: i32,
    name: &str,
) -> AppResult<board_tags::Model> {
    viewer.require(tenant_id, Can::ManageBoards)?;
    let name = rules::title(name)?;
    if let Some(t) = board_tags::Entity::find()
        .filter(board_tags::Column::TenantId.eq(tenant_id))
        .filter(board_tags::Column::Name.eq(&name))
        .one(db)
        .await?
    {
        return Ok(t);
    }
    Ok(board_tags::ActiveModel {
        tenant_id: Set(tenant_id),
        name: Set(name),
        ..Default::default()
    }
    .insert(db)
    .await?)
}

// ---------------------------------------------------------------------------------------------
// Writing posts and comments

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

/// Refuses when the board is closed, needs an account, or the actor is banned or too fast;
/// returns the name shown with the contribution.
async fn may_write(
    db: &impl ConnectionTrait,
    actor: Actor<'_>,
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
        actor.viewer.user.as_ref(),
        display_name.filter(|n| !n.trim().is_empty()),
    ) {
        (Some(_), Some(n)) if anonymous_ok => rules::display_name(n)?,
        (Some(u), _) => u.display_name.clone(),
        (None, _) if !anonymous_ok => return Err(BoardError::AccountRequired.into()),
        (None, Some(n)) => rules::display_name(n)?,
        (None, None) => return Err(BoardError::DisplayNameInvalid.into()),
    };
    if actor.user_id().is_none() && actor.device.is_none() {
        return Err(AppError::Validation(
            "ohne Konto wird ein Geräte-Cookie gebraucht".into(),
        ));
    }
    if moderation::is_banned(db, board.tenant_id, actor).await? {
        return Err(BoardError::Banned.into());
    }
    if !actor.viewer.may(board.tenant_id, Can::ModeratePosts) {
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

fn hour_ago() -> DateTime<Utc> {
    Utc::now() - Duration::hours(1)
}

/// How many rows of `E` (posts, comments, reports) the actor wrote in the last hour, for the
/// rate limits; 0 for an actor without account or device (refused elsewhere).
pub(crate) async fn written_last_hour<E: EntityTrait>(
    db: &impl ConnectionTrait,
    actor: Actor<'_>,
    user_col: E::Column,
    device_col: E::Column,
    created_col: E::Column,
) -> AppResult<u64>
where
    E::Model: Sync,
{
    Ok(match actor.owns(user_col, device_col) {
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
fn place(state: &AppState, tenant_id: i32, lon: f64, lat: f64) -> Vec<i32> {
    crate::areas::tenant_areas_at(state, tenant_id, lon, lat)
}

/// Checks an optional point: both coordinates or none, inside one of the tenant's areas.
fn checked_point(
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

async fn filter_and_admission(
    db: &impl ConnectionTrait,
    actor: Actor<'_>,
    board: &Board,
    text: &str,
) -> AppResult<(Moderation, Option<String>)> {
    let filter = moderation::word_filter(db, board.tenant_id).await?;
    let is_moderator = actor.viewer.may(board.tenant_id, Can::ModeratePosts);
    let known = if board.premoderate_first && !is_moderator {
        match actor.owns(board_posts::Column::UserId, board_posts::Column::DeviceHash) {
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
pub async fn create_post(state: &AppState, actor: Actor<'_>, input: NewPost) -> AppResult<Post> {
    let db = &state.db;
    let board = board(db, input.board_id).await?;
    let recent = written_last_hour::<board_posts::Entity>(
        db,
        actor,
        board_posts::Column::UserId,
        board_posts::Column::DeviceHash,
        board_posts::Column::CreatedAt,
    );
    let author_name = may_write(
        db,
        actor,
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
    let (moderation, reason) = filter_and_admission(db, actor, &board, &text).await?;
    let now = Utc::now();
    let txn = crate::kernel::db::write_txn(db).await?;
    let post = board_posts::ActiveModel {
        board_id: Set(board.id),
        tenant_id: Set(board.tenant_id),
        user_id: Set(actor.user_id()),
        device_hash: Set(actor
            .device
            .map(str::to_owned)
            .filter(|_| actor.user_id().is_none())),
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

async fn insert_areas(db: &impl ConnectionTrait, post_id: i32, area_ids: &[i32]) -> AppResult<()> {
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

async fn checked_tags(
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
    actor: Actor<'_>,
    id: i32,
    title: &str,
    body: &str,
) -> AppResult<Post> {
    let db = &state.db;
    let post = post_model(db, id).await?;
    let board = board(db, post.board_id).await?;
    let is_moderator = actor.viewer.may(post.tenant_id, Can::ModeratePosts);
    let is_author = actor.is_author(post.user_id, post.device_hash.as_deref());
    let author_may = is_author && post.moderation != Moderation::Hidden.as_str();
    if !(is_moderator || author_may) {
        return Err(AppError::Forbidden);
    }
    if !is_moderator && moderation::is_banned(db, post.tenant_id, actor).await? {
        return Err(BoardError::Banned.into());
    }
    let title = rules::title(title)?;
    let body_source = rules::body(body)?;
    let body_html = richtext::to_html(body_source);
    let text = format!("{title} {}", richtext::to_text(&body_html));
    let (held, reason) = filter_and_admission(db, actor, &board, &text).await?;
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
            actor.viewer,
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
    actor: Actor<'_>,
    post_id: i32,
    parent_id: Option<i32>,
    body: &str,
    display_name: Option<&str>,
) -> AppResult<Comment> {
    let db = &state.db;
    let post = visible_post(db, actor, post_id).await?;
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
        actor,
        board_comments::Column::UserId,
        board_comments::Column::DeviceHash,
        board_comments::Column::CreatedAt,
    );
    let author_name = may_write(
        db,
        actor,
        &board,
        display_name,
        recent,
        rules::COMMENTS_PER_HOUR,
    )
    .await?;
    let body_html = richtext::to_html(rules::body(body)?);
    let filter = moderation::word_filter(db, board.tenant_id).await?;
    let is_moderator = actor.viewer.may(board.tenant_id, Can::ModeratePosts);
    let hit = filter
        .first_match(&format!("{} {author_name}", richtext::to_text(&body_html)))
        .filter(|_| !is_moderator)
        .map(|w| format!("Wortfilter: „{w}“"));
    let now = Utc::now();
    let txn = crate::kernel::db::write_txn(db).await?;
    let comment = board_comments::ActiveModel {
        post_id: Set(post_id),
        parent_id: Set(parent_id),
        user_id: Set(actor.user_id()),
        device_hash: Set(actor
            .device
            .map(str::to_owned)
            .filter(|_| actor.user_id().is_none())),
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

/// Adds `by` to a counter of a post in one statement (no lost updates under concurrency).
async fn bump(
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
pub async fn support(state: &AppState, actor: Actor<'_>, post_id: i32) -> AppResult<i32> {
    let db = &state.db;
    let post = visible_post(db, actor, post_id).await?;
    if post.moderation != Moderation::Visible.as_str() {
        return Err(BoardError::Hidden.into());
    }
    let board = board(db, post.board_id).await?;
    if actor.user_id().is_none() && board.access != Access::Anonymous.as_str() {
        return Err(BoardError::AccountRequired.into());
    }
    let Some(mine) = actor.owns(
        board_supports::Column::UserId,
        board_supports::Column::DeviceHash,
    ) else {
        return Err(AppError::Validation(
            "ohne Konto wird ein Geräte-Cookie gebraucht".into(),
        ));
    };
    if moderation::is_banned(db, post.tenant_id, actor).await? {
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
        user_id: Set(actor.user_id()),
        device_hash: Set(actor
            .device
            .map(str::to_owned)
            .filter(|_| actor.user_id().is_none())),
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

/// Withdraws the actor's support.
///
/// # Errors
/// `NotFound` when there was none.
pub async fn withdraw_support(state: &AppState, actor: Actor<'_>, post_id: i32) -> AppResult<()> {
    let mine = actor
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
pub async fn follow(state: &AppState, actor: Actor<'_>, what: Followed, on: bool) -> AppResult<()> {
    let db = &state.db;
    let user_id = actor.user_id().ok_or(AppError::Unauthenticated)?;
    let (board_id, post_id) = match what {
        Followed::Board(b) => (Some(board(db, b).await?.id), None),
        Followed::Post(p) => (None, Some(visible_post(db, actor, p).await?.id)),
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

async fn notify_followers(
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

// ---------------------------------------------------------------------------------------------
// Reading

async fn post_model(db: &impl ConnectionTrait, id: i32) -> AppResult<Post> {
    board_posts::Entity::find_by_id(id)
        .one(db)
        .await?
        .ok_or(AppError::NotFound)
}

/// A post as the actor may see it: held posts only for their author and moderators; hidden
/// posts without title and text for everyone but moderators (the reason stays).
async fn visible_post(db: &impl ConnectionTrait, actor: Actor<'_>, id: i32) -> AppResult<Post> {
    let mut post = post_model(db, id).await?;
    let is_moderator = actor.viewer.may(post.tenant_id, Can::ModeratePosts);
    let is_author = actor.is_author(post.user_id, post.device_hash.as_deref());
    if post.moderation == Moderation::Pending.as_str() && !is_moderator && !is_author {
        return Err(AppError::NotFound);
    }
    if post.moderation == Moderation::Hidden.as_str() && !is_moderator {
        redact_post(&mut post);
    }
    Ok(post)
}

fn redact_post(post: &mut Post) {
    post.title = String::new();
    post.body_html = String::new();
    post.body_source = None;
    post.lon = None;
    post.lat = None;
}

/// Order of a board's list.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Sort {
    #[default]
    Newest,
    MostSupported,
    /// Open questions first: new, in review, answered, in conference, implemented, declined.
    Status,
}

/// Filters and page of a board's list.
#[derive(Debug, Clone, Default)]
pub struct ListQuery {
    pub sort: Sort,
    pub kind: Option<PostKind>,
    pub status: Option<PostStatus>,
    pub tag_id: Option<i32>,
    /// 1-based.
    pub page: u64,
}

/// A post in a list.
#[derive(Debug, Clone)]
pub struct PostCard {
    pub post: Post,
    pub excerpt: String,
    pub tags: Vec<String>,
}

/// One page of a board's posts plus the total. Moderators also see held and hidden posts.
/// Three queries whatever the page size (posts, total, tags).
///
/// # Errors
/// `NotFound` for an unknown board.
pub async fn list_posts(
    db: &impl ConnectionTrait,
    viewer: &Viewer,
    board_id: i32,
    q: &ListQuery,
) -> AppResult<(Vec<PostCard>, u64)> {
    let board = board(db, board_id).await?;
    let mut find = board_posts::Entity::find().filter(board_posts::Column::BoardId.eq(board_id));
    if !viewer.may(board.tenant_id, Can::ModeratePosts) {
        find = find.filter(board_posts::Column::Moderation.eq(Moderation::Visible.as_str()));
    }
    if let Some(k) = q.kind {
        find = find.filter(board_posts::Column::Kind.eq(k.as_str()));
    }
    if let Some(s) = q.status {
        find = find.filter(board_posts::Column::Status.eq(s.as_str()));
    }
    if let Some(t) = q.tag_id {
        find = find.filter(
            board_posts::Column::Id.in_subquery(
                sea_orm::sea_query::Query::select()
                    .column(board_post_tags::Column::PostId)
                    .from(board_post_tags::Entity)
                    .and_where(Expr::col(board_post_tags::Column::TagId).eq(t))
                    .to_owned(),
            ),
        );
    }
    let total = find.clone().count(db).await?;
    find = match q.sort {
        // By time, so the (board_id, created_at) index gives the order without a sort.
        Sort::Newest => find
            .order_by_desc(board_posts::Column::CreatedAt)
            .order_by_desc(board_posts::Column::Id),
        Sort::MostSupported => find
            .order_by_desc(board_posts::Column::SupportCount)
            .order_by_desc(board_posts::Column::Id),
        Sort::Status => {
            let mut case = sea_orm::sea_query::CaseStatement::new();
            for (i, s) in PostStatus::ALL.iter().enumerate() {
                case = case.case(board_posts::Column::Status.eq(s.as_str()), i as i32);
            }
            find.order_by(Into::<Expr>::into(case.finally(99)), sea_orm::Order::Asc)
                .order_by_desc(board_posts::Column::Id)
        }
    };
    let offset = q
        .page
        .clamp(1, MAX_PAGE)
        .saturating_sub(1)
        .saturating_mul(PAGE_SIZE);
    let posts = find.offset(offset).limit(PAGE_SIZE).all(db).await?;
    let mut tags = tags_of(db, &posts.iter().map(|p| p.id).collect::<Vec<_>>()).await?;
    let is_moderator = viewer.may(board.tenant_id, Can::ModeratePosts);
    let cards = posts
        .into_iter()
        .map(|mut post| {
            if post.moderation == Moderation::Hidden.as_str() && !is_moderator {
                redact_post(&mut post);
            }
            PostCard {
                excerpt: excerpt(&post.body_html, 220),
                tags: tags.remove(&post.id).unwrap_or_default(),
                post,
            }
        })
        .collect();
    Ok((cards, total))
}

fn excerpt(html: &str, max: usize) -> String {
    let text = richtext::to_text(html);
    if text.chars().count() <= max {
        return text;
    }
    let cut: String = text.chars().take(max).collect();
    match cut.rfind(' ') {
        Some(i) => format!("{}…", &cut[..i]),
        None => format!("{cut}…"),
    }
}

/// Names of the fields of action per post, in one query.
async fn tags_of(
    db: &impl ConnectionTrait,
    post_ids: &[i32],
) -> AppResult<HashMap<i32, Vec<String>>> {
    let mut out: HashMap<i32, Vec<String>> = HashMap::new();
    if post_ids.is_empty() {
        return Ok(out);
    }
    let rows: Vec<(i32, String)> = board_post_tags::Entity::find()
        .select_only()
        .column(board_post_tags::Column::PostId)
        .column(board_tags::Column::Name)
        .join(
            sea_orm::JoinType::InnerJoin,
            board_post_tags::Entity::belongs_to(board_tags::Entity)
                .from(board_post_tags::Column::TagId)
                .to(board_tags::Column::Id)
                .into(),
        )
        .filter(board_post_tags::Column::PostId.is_in(post_ids.iter().copied()))
        .order_by_asc(board_tags::Column::Name)
        .into_tuple()
        .all(db)
        .await?;
    for (post, name) in rows {
        out.entry(post).or_default().push(name);
    }
    Ok(out)
}

/// Everything the page of one post shows.
#[derive(Debug, Clone)]
pub struct PostDetail {
    pub post: Post,
    pub board: Board,
    pub tags: Vec<String>,
    /// The areas the point lies in, top level first.
    pub areas: Vec<Area>,
    /// Comments in thread order (each top-level comment followed by its replies).
    pub comments: Vec<Comment>,
    pub revisions: Vec<board_revisions::Model>,
    pub mine: bool,
    pub supported: bool,
    pub following: bool,
    pub can_moderate: bool,
    pub can_answer: bool,
}

/// # Errors
/// `NotFound` for unknown posts and held posts of others.
pub async fn post_detail(
    db: &impl ConnectionTrait,
    actor: Actor<'_>,
    id: i32,
) -> AppResult<PostDetail> {
    let post = visible_post(db, actor, id).await?;
    let board = board(db, post.board_id).await?;
    let can_moderate = actor.viewer.may(post.tenant_id, Can::ModeratePosts);
    let hidden_for_me = post.moderation == Moderation::Hidden.as_str() && !can_moderate;
    let tags = tags_of(db, &[id]).await?.remove(&id).unwrap_or_default();
    let area_ids: Vec<i32> = if hidden_for_me {
        Vec::new()
    } else {
        board_post_areas::Entity::find()
            .select_only()
            .column(board_post_areas::Column::AreaId)
            .filter(board_post_areas::Column::PostId.eq(id))
            .into_tuple()
            .all(db)
            .await?
    };
    let mut area_list = areas::by_ids(db, actor.viewer, &area_ids).await?;
    area_list.sort_by_key(|a| (a.level_id, a.id));
    let mut comments = board_comments::Entity::find()
        .filter(board_comments::Column::PostId.eq(id))
        .order_by_asc(board_comments::Column::Id)
        .all(db)
        .await?;
    comments.retain(|c| {
        c.moderation != Moderation::Pending.as_str()
            || can_moderate
            || actor.is_author(c.user_id, c.device_hash.as_deref())
    });
    if !can_moderate {
        for c in &mut comments {
            if c.moderation == Moderation::Hidden.as_str() {
                c.body_html = String::new();
            }
        }
    }
    let comments = thread_order(comments);
    let revisions = if hidden_for_me {
        Vec::new()
    } else {
        board_revisions::Entity::find()
            .filter(board_revisions::Column::Target.eq("post"))
            .filter(board_revisions::Column::TargetId.eq(id))
            .order_by_desc(board_revisions::Column::Id)
            .all(db)
            .await?
    };
    let supported = match actor.owns(
        board_supports::Column::UserId,
        board_supports::Column::DeviceHash,
    ) {
        Some(mine) => {
            board_supports::Entity::find()
                .filter(board_supports::Column::PostId.eq(id))
                .filter(mine)
                .count(db)
                .await?
                > 0
        }
        None => false,
    };
    let following = match actor.user_id() {
        Some(u) => {
            board_follows::Entity::find()
                .filter(board_follows::Column::UserId.eq(u))
                .filter(board_follows::Column::PostId.eq(id))
                .count(db)
                .await?
                > 0
        }
        None => false,
    };
    Ok(PostDetail {
        mine: actor.is_author(post.user_id, post.device_hash.as_deref()),
        can_answer: actor.viewer.may(post.tenant_id, Can::AnswerPosts),
        post,
        board,
        tags,
        areas: area_list,
        comments,
        revisions,
        supported,
        following,
        can_moderate,
    })
}

/// Top-level comments in order, each followed by its replies.
fn thread_order(comments: Vec<Comment>) -> Vec<Comment> {
    let mut replies: HashMap<i32, Vec<Comment>> = HashMap::new();
    let mut top = Vec::new();
    for c in comments {
        match c.parent_id {
            Some(p) => replies.entry(p).or_default().push(c),
            None => top.push(c),
        }
    }
    let mut out = Vec::with_capacity(top.len());
    for c in top {
        let id = c.id;
        out.push(c);
        out.extend(replies.remove(&id).unwrap_or_default());
    }
    out
}

/// Whether the viewer follows a board.
///
/// # Errors
/// Database errors.
pub async fn follows_board(
    db: &impl ConnectionTrait,
    viewer: &Viewer,
    board_id: i32,
) -> AppResult<bool> {
    let Some(u) = viewer.user.as_ref().map(|u| u.id) else {
        return Ok(false);
    };
    Ok(board_follows::Entity::find()
        .filter(board_follows::Column::UserId.eq(u))
        .filter(board_follows::Column::BoardId.eq(board_id))
        .count(db)
        .await?
        > 0)
}

/// A post on a map.
#[derive(Debug, Clone)]
pub struct PostPoint {
    pub id: i32,
    pub title: String,
    pub kind: String,
    pub status: String,
    pub support_count: i32,
    pub lon: f64,
    pub lat: f64,
}

/// The visible posts with a point, of a board or of an area (across its tenant's boards).
/// One query.
///
/// # Errors
/// Database errors.
pub async fn points(
    db: &impl ConnectionTrait,
    board_id: Option<i32>,
    area_id: Option<i32>,
) -> AppResult<Vec<PostPoint>> {
    let mut q = board_posts::Entity::find()
        .select_only()
        .columns([
            board_posts::Column::Id,
            board_posts::Column::Title,
            board_posts::Column::Kind,
            board_posts::Column::Status,
            board_posts::Column::SupportCount,
            board_posts::Column::Lon,
            board_posts::Column::Lat,
        ])
        .filter(board_posts::Column::Moderation.eq(Moderation::Visible.as_str()))
        .filter(board_posts::Column::Lon.is_not_null())
        .filter(board_posts::Column::Lat.is_not_null())
        .order_by_asc(board_posts::Column::Id);
    if let Some(b) = board_id {
        q = q.filter(board_posts::Column::BoardId.eq(b));
    }
    if let Some(a) = area_id {
        q = q.filter(
            board_posts::Column::Id.in_subquery(
                sea_orm::sea_query::Query::select()
                    .column(board_post_areas::Column::PostId)
                    .from(board_post_areas::Entity)
                    .and_where(Expr::col(board_post_areas::Column::AreaId).eq(a))
                    .to_owned(),
            ),
        );
    }
    type Row = (i32, String, String, String, i32, Option<f64>, Option<f64>);
    let rows: Vec<Row> = q.into_tuple().all(db).await?;
    Ok(rows
        .into_iter()
        .filter_map(|(id, title, kind, status, support_count, lon, lat)| {
            Some(PostPoint {
                id,
                title,
                kind,
                status,
                support_count,
                lon: lon?,
                lat: lat?,
            })
        })
        .collect())
}

/// Removes the name of a deleted account from its posts and comments (DSGVO Art. 17); the
/// contributions stay, as "gelöschtes Konto", because others answered and supported them.
///
/// # Errors
/// Database errors.
pub async fn forget_user(db: &impl ConnectionTrait, user_id: i32) -> AppResult<()> {
    rename_author(db, user_id, None, "gelöschtes Konto").await
}

/// Shows `name` as the author of what an account wrote: everything, or (after a rename) only
/// what appeared under the old name `from`, not under a name typed for one post.
///
/// # Errors
/// Database errors.
pub async fn rename_author(
    db: &impl ConnectionTrait,
    user_id: i32,
    from: Option<&str>,
    name: &str,
) -> AppResult<()> {
    board_posts::Entity::update_many()
        .col_expr(board_posts::Column::AuthorName, Expr::value(name))
        .filter(board_posts::Column::UserId.eq(user_id))
        .filter(Condition::all().add_option(from.map(|f| board_posts::Column::AuthorName.eq(f))))
        .exec(db)
        .await?;
    board_comments::Entity::update_many()
        .col_expr(board_comments::Column::AuthorName, Expr::value(name))
        .filter(board_comments::Column::UserId.eq(user_id))
        .filter(Condition::all().add_option(from.map(|f| board_comments::Column::AuthorName.eq(f))))
        .exec(db)
        .await?;
    Ok(())
}
