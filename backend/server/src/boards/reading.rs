//! Reading: lists, a post with its thread, map points; what only moderators may see is left out.

use super::*;

pub(super) async fn post_model(db: &impl ConnectionTrait, id: i32) -> AppResult<Post> {
    board_posts::Entity::find_by_id(id)
        .one(db)
        .await?
        .ok_or(AppError::NotFound)
}

/// A post as the participant may see it: held posts only for their author and moderators; hidden
/// posts without title and text for everyone but moderators (the reason stays).
pub(super) async fn visible_post(
    db: &impl ConnectionTrait,
    participant: Participant<'_>,
    id: i32,
) -> AppResult<Post> {
    let mut post = post_model(db, id).await?;
    let is_moderator = participant.viewer.may(post.tenant_id, Can::ModeratePosts);
    let is_author = participant.is_author(post.user_id, post.device_hash.as_deref());
    if post.moderation == Moderation::Pending.as_str() && !is_moderator && !is_author {
        return Err(AppError::NotFound);
    }
    if post.moderation == Moderation::Hidden.as_str() && !is_moderator {
        redact_post(&mut post);
    }
    Ok(post)
}

pub(super) fn redact_post(post: &mut Post) {
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

pub(super) fn excerpt(html: &str, max: usize) -> String {
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
pub(super) async fn tags_of(
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
    participant: Participant<'_>,
    id: i32,
) -> AppResult<PostDetail> {
    let post = visible_post(db, participant, id).await?;
    let board = board(db, post.board_id).await?;
    let can_moderate = participant.viewer.may(post.tenant_id, Can::ModeratePosts);
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
    let mut area_list = areas::by_ids(db, participant.viewer, &area_ids).await?;
    area_list.sort_by_key(|a| (a.level_id, a.id));
    let mut comments = board_comments::Entity::find()
        .filter(board_comments::Column::PostId.eq(id))
        .order_by_asc(board_comments::Column::Id)
        .all(db)
        .await?;
    comments.retain(|c| {
        c.moderation != Moderation::Pending.as_str()
            || can_moderate
            || participant.is_author(c.user_id, c.device_hash.as_deref())
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
    let supported = match participant.owns(
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
    let following = match participant.user_id() {
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
        mine: participant.is_author(post.user_id, post.device_hash.as_deref()),
        can_answer: participant.viewer.may(post.tenant_id, Can::AnswerPosts),
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
pub(super) fn thread_order(comments: Vec<Comment>) -> Vec<Comment> {
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
