//! The data of the participation pages, built on the boards services (the same path as the
//! GraphQL API, so visibility and moderation hold for both).

use crate::areas::{self, Area};
use crate::boards::{self, moderation, ListQuery, Participant, Sort};
use crate::kernel::error::{AppError, AppResult};
use crate::kernel::permissions::Can;
use crate::kernel::state::AppState;
use crate::kernel::viewer::Viewer;
use crate::tenancy::Tenant;
use chrono::{DateTime, Utc};
use qn_app::api::{
    level_geojson_url, AreaLink, AuditData, BanData, BoardArgs, BoardCard, BoardData, BoardsData,
    CommentData, MapConfig, ModerationData, PostCardData, PostData, QueueItemData, RevisionData,
    TagData, TenantSummary, QUEUE_PAGE,
};
use qn_domain::boards::{Access, PostKind, PostStatus};

/// Dates on the pages: day and time (UTC) in German notation.
fn when(t: DateTime<Utc>) -> String {
    t.format("%d.%m.%Y, %H:%M").to_string()
}

fn link(a: &Area) -> AreaLink {
    AreaLink {
        id: a.id,
        code: a.code.clone(),
        name: a.name.clone(),
    }
}

async fn card(
    db: &impl sea_orm::ConnectionTrait,
    viewer: &Viewer,
    b: &boards::Board,
    posts: i64,
) -> AppResult<BoardCard> {
    Ok(cards(db, viewer, &[(b, posts)]).await?.remove(0))
}

/// Cards of several boards with their areas read in one query (no query per board).
async fn cards(
    db: &impl sea_orm::ConnectionTrait,
    viewer: &Viewer,
    list: &[(&boards::Board, i64)],
) -> AppResult<Vec<BoardCard>> {
    let ids: Vec<i32> = list.iter().filter_map(|(b, _)| b.area_id).collect();
    let area_links: std::collections::HashMap<i32, AreaLink> = areas::by_ids(db, viewer, &ids)
        .await?
        .iter()
        .map(|a| (a.id, link(a)))
        .collect();
    Ok(list
        .iter()
        .map(|(b, posts)| {
            board_card(
                b,
                *posts,
                b.area_id.and_then(|a| area_links.get(&a).cloned()),
            )
        })
        .collect())
}

fn board_card(b: &boards::Board, posts: i64, area: Option<AreaLink>) -> BoardCard {
    BoardCard {
        id: b.id,
        title: b.title.clone(),
        topic: b.topic.clone(),
        area,
        open: b.open,
        anonymous: b.access == Access::Anonymous.as_str(),
        premoderate_first: b.premoderate_first,
        posts,
    }
}

fn tag_data(list: Vec<boards::entity::board_tags::Model>) -> Vec<TagData> {
    list.into_iter()
        .map(|t| TagData {
            id: t.id,
            name: t.name,
        })
        .collect()
}

/// The boards of one area, for its Quartier page.
pub async fn area_boards(
    state: &AppState,
    viewer: &Viewer,
    area_id: i32,
) -> AppResult<Vec<BoardCard>> {
    let list = boards::boards_of(&state.db, None, Some(area_id)).await?;
    let pairs: Vec<_> = list.iter().map(|s| (&s.board, s.posts)).collect();
    cards(&state.db, viewer, &pairs).await
}

pub async fn boards_page(
    state: &AppState,
    viewer: &Viewer,
    tenant: &Tenant,
    summary: TenantSummary,
) -> AppResult<BoardsData> {
    let db = &state.db;
    let list = boards::boards_of(db, Some(tenant.id), None).await?;
    let pairs: Vec<_> = list.iter().map(|s| (&s.board, s.posts)).collect();
    let board_cards = cards(db, viewer, &pairs).await?;
    let can_manage = viewer.may(tenant.id, Can::ManageBoards);
    let mut area_list = Vec::new();
    if can_manage {
        for level in areas::levels(db, viewer, tenant.id).await? {
            let mut of_level = areas::current_areas(db, viewer, level.id).await?;
            of_level.sort_by_cached_key(|a| areas::name_key(&a.name));
            area_list.extend(of_level.iter().map(link));
        }
    }
    Ok(BoardsData {
        tenant: summary,
        boards: board_cards,
        can_manage,
        can_moderate: viewer.may(tenant.id, Can::ModeratePosts),
        areas: area_list,
        tags: tag_data(boards::tags(db, tenant.id).await?),
    })
}

/// The level whose boundaries lie under a board's posts: the board's Quartier's level, else the
/// tenant's finest visible level.
async fn map_level(
    db: &impl sea_orm::ConnectionTrait,
    viewer: &Viewer,
    tenant_id: i32,
    area: Option<i32>,
) -> AppResult<Option<i32>> {
    if let Some(a) = area {
        if let Some(a) = areas::by_ids(db, viewer, &[a]).await?.pop() {
            return Ok(Some(a.level_id));
        }
    }
    Ok(areas::levels(db, viewer, tenant_id)
        .await?
        .last()
        .map(|l| l.id))
}

pub async fn board_page(
    state: &AppState,
    viewer: &Viewer,
    id: i32,
    args: BoardArgs,
    map: MapConfig,
    summary: impl FnOnce(i32) -> Option<TenantSummary>,
) -> AppResult<BoardData> {
    let db = &state.db;
    let board = boards::board(db, id).await?;
    let q = ListQuery {
        sort: match args.sort.as_deref() {
            Some("unterstuetzt") => Sort::MostSupported,
            Some("status") => Sort::Status,
            _ => Sort::Newest,
        },
        kind: args.art.as_deref().and_then(|k| k.parse::<PostKind>().ok()),
        status: args
            .status
            .as_deref()
            .and_then(|s| s.parse::<PostStatus>().ok()),
        tag_id: args.feld,
        page: args.seite.unwrap_or(1).max(1),
    };
    let (cards, total) = boards::list_posts(db, viewer, id, &q).await?;
    let pages = total.div_ceil(boards::PAGE_SIZE).max(1);
    let level = map_level(db, viewer, board.tenant_id, board.area_id).await?;
    let backgrounds: Vec<(i32, String)> = crate::indicators::list(db, viewer, board.tenant_id)
        .await?
        .into_iter()
        .map(|i| (i.id, i.name))
        .collect();
    let background = args
        .hintergrund
        .filter(|h| backgrounds.iter().any(|(id, _)| id == h));
    let polygons_url = level.map(|l| match background {
        Some(ind) => format!("/api/v1/indicators/{ind}/map.geojson?ebene={l}"),
        None => level_geojson_url(l),
    });
    let posts = cards
        .into_iter()
        .map(|c| PostCardData {
            id: c.post.id,
            answered: c.post.answer_html.is_some(),
            kind: c.post.kind,
            status: c.post.status,
            title: c.post.title,
            excerpt: c.excerpt,
            author: c.post.author_name,
            created: when(c.post.created_at),
            supports: c.post.support_count,
            comments: c.post.comment_count,
            tags: c.tags,
            moderation: c.post.moderation,
            moderation_reason: c.post.moderation_reason,
        })
        .collect();
    Ok(BoardData {
        board: card(db, viewer, &board, i64::try_from(total).unwrap_or(i64::MAX)).await?,
        rules_html: board.rules.clone(),
        tenant: summary(board.tenant_id).ok_or(AppError::NotFound)?,
        posts,
        total,
        page: q.page.min(pages),
        pages,
        args: BoardArgs {
            hintergrund: background,
            ..args
        },
        tags: tag_data(boards::tags(db, board.tenant_id).await?),
        signed_in: viewer.user.is_some(),
        following: boards::follows_board(db, viewer, id).await?,
        can_manage: viewer.may(board.tenant_id, Can::ManageBoards),
        can_moderate: viewer.may(board.tenant_id, Can::ModeratePosts),
        is_staff: viewer.staff_tenant_ids().contains(&board.tenant_id),
        map,
        polygons_url,
        choropleth: background.is_some(),
        backgrounds,
    })
}

pub async fn post_page(
    state: &AppState,
    participant: Participant<'_>,
    id: i32,
    map: MapConfig,
    summary: impl FnOnce(i32) -> Option<TenantSummary>,
) -> AppResult<PostData> {
    let db = &state.db;
    let d = boards::post_detail(db, participant, id).await?;
    let board_card = card(db, participant.viewer, &d.board, 0).await?;
    // The finest area the point lies in is highlighted on the map of its level.
    let finest = d.areas.last();
    let polygons_url = match finest {
        Some(a) => Some(level_geojson_url(a.level_id)),
        None => map_level(db, participant.viewer, d.board.tenant_id, d.board.area_id)
            .await?
            .map(level_geojson_url),
    };
    let may_edit = d.can_moderate
        || (d.mine && d.post.moderation != qn_domain::boards::Moderation::Hidden.as_str());
    Ok(PostData {
        id: d.post.id,
        tenant: summary(d.post.tenant_id).ok_or(AppError::NotFound)?,
        board: board_card,
        kind: d.post.kind,
        status: d.post.status,
        title: d.post.title,
        // Rows from before the source was kept fall back to their (valid, sanitised) HTML.
        edit_text: may_edit.then(|| {
            d.post
                .body_source
                .unwrap_or_else(|| d.post.body_html.clone())
        }),
        body_html: d.post.body_html,
        author: d.post.author_name,
        created: when(d.post.created_at),
        edited: !d.revisions.is_empty(),
        lon: d.post.lon,
        lat: d.post.lat,
        highlight: finest.map(|a| a.id).or(d.board.area_id),
        areas: d.areas.iter().map(link).collect(),
        tags: d.tags,
        supports: d.post.support_count,
        comments: d
            .comments
            .into_iter()
            .map(|c| CommentData {
                id: c.id,
                parent_id: c.parent_id,
                author: c.author_name,
                created: when(c.created_at),
                body_html: c.body_html,
                moderation: c.moderation,
                moderation_reason: c.moderation_reason,
            })
            .collect(),
        answer_html: d.post.answer_html,
        answered: d.post.answered_at.map(when),
        answered_by: d.post.answered_by,
        moderation: d.post.moderation,
        moderation_reason: d.post.moderation_reason,
        supported: d.supported,
        following: d.following,
        signed_in: participant.viewer.user.is_some(),
        mine: d.mine,
        can_moderate: d.can_moderate,
        can_answer: d.can_answer,
        revisions: d
            .revisions
            .into_iter()
            .map(|r| RevisionData {
                title: r.title,
                body_html: r.body_html,
                edited_by: r.edited_by,
                edited: when(r.edited_at),
            })
            .collect(),
        map,
        polygons_url,
    })
}

pub async fn moderation_page(
    state: &AppState,
    viewer: &Viewer,
    tenant: &Tenant,
    summary: TenantSummary,
    page: u64,
) -> AppResult<ModerationData> {
    let db = &state.db;
    let queue = moderation::queue(db, viewer, tenant.id).await?;
    let total = queue.len() as u64;
    let pages = total.div_ceil(QUEUE_PAGE).max(1);
    let page = page.clamp(1, pages);
    let skip = usize::try_from((page - 1) * QUEUE_PAGE).unwrap_or(usize::MAX);
    let take = usize::try_from(QUEUE_PAGE).unwrap_or(usize::MAX);
    let items = queue
        .into_iter()
        .skip(skip)
        .take(take)
        .map(|q| QueueItemData {
            target: q.target.as_str().to_owned(),
            id: q.id,
            post_id: q.post_id,
            title: q.title,
            excerpt: q.excerpt,
            author: q.author,
            moderation: q.moderation,
            held_reason: q.held_reason,
            reports: q.reports,
            created: when(q.created_at),
        })
        .collect();
    let bans = moderation::bans(db, viewer, tenant.id)
        .await?
        .into_iter()
        .map(|b| BanData {
            id: b.id,
            reason: b.reason,
            until: b.until.map(when),
            created: when(b.created_at),
        })
        .collect();
    let audit = moderation::audit_entries(db, viewer, tenant.id, 50)
        .await?
        .into_iter()
        .map(|a| AuditData {
            action: a.action,
            subject: a.subject,
            detail: a.detail,
            created: when(a.created_at),
        })
        .collect();
    Ok(ModerationData {
        tenant: summary,
        items,
        total,
        page,
        pages,
        bans,
        words: moderation::filter_words(db, tenant.id).await?.join("\n"),
        audit,
    })
}
