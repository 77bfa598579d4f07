//! GraphQL types and operations of participation boards: boards, posts, comments, support,
//! follows, the administration's answer, and moderation (queue, hide/restore, bans, word
//! filter, audit log). The services check roles and tenants; resolvers only translate.

mod objects;
pub use objects::*;

use super::{ctx, parse_id, GqlResult};
use crate::boards::{
    self, entity, moderation, BoardInput, Followed, ListQuery, NewPost, Participant, Sort,
};
use crate::kernel::permissions::Can;
use async_graphql::{Context, InputObject, Object, Result, SimpleObject, ID};
use chrono::{DateTime, Utc};
use qn_domain::boards::{Access, Moderation, PostKind, PostStatus, Target};

gql_enum!(PostKindGql, "PostKind", PostKind, { Idea, Concern, Question, Praise });
gql_enum!(PostStatusGql, "PostStatus", PostStatus, { New, InReview, Answered, InConference, Implemented, Declined });
gql_enum!(ModerationGql, "ModerationState", Moderation, { Visible, Pending, Hidden });
gql_enum!(AccessGql, "BoardAccess", Access, { Accounts, Anonymous });
gql_enum!(TargetGql, "ModerationTarget", Target, { Post, Comment });

/// Order of a board's posts.
#[derive(async_graphql::Enum, Copy, Clone, Eq, PartialEq)]
pub enum PostSort {
    Newest,
    MostSupported,
    Status,
}

fn id(i: i32) -> ID {
    ID(i.to_string())
}

fn parse<T: std::str::FromStr<Err = qn_domain::boards::BoardError>>(s: &str) -> Result<T> {
    s.parse::<T>()
        .map_err(|e| super::gql(crate::kernel::error::AppError::Board(e)))
}

#[derive(Default)]
pub struct BoardsQuery;

#[Object]
impl BoardsQuery {
    /// The boards of a tenant, or of one area.
    async fn boards(
        &self,
        c: &Context<'_>,
        tenant_id: Option<ID>,
        area_id: Option<ID>,
    ) -> Result<Vec<BoardGql>> {
        let (state, _) = ctx(c)?;
        let tenant = tenant_id.as_ref().map(parse_id).transpose()?;
        let area = area_id.as_ref().map(parse_id).transpose()?;
        boards::boards_of(&state.db, tenant, area)
            .await
            .gql()?
            .into_iter()
            .map(|s| BoardGql::new(s.board, s.posts))
            .collect()
    }

    async fn board(&self, c: &Context<'_>, id: ID) -> Result<Option<BoardGql>> {
        let (state, _) = ctx(c)?;
        match boards::board(&state.db, parse_id(&id)?).await {
            Ok(b) => Ok(Some(BoardGql::new(b, 0)?)),
            Err(crate::kernel::error::AppError::NotFound) => Ok(None),
            Err(e) => Err(super::gql(e)),
        }
    }

    /// One page (20) of a board's posts.
    #[allow(clippy::too_many_arguments)]
    async fn posts(
        &self,
        c: &Context<'_>,
        board_id: ID,
        #[graphql(default_with = "PostSort::Newest")] sort: PostSort,
        kind: Option<PostKindGql>,
        status: Option<PostStatusGql>,
        tag_id: Option<ID>,
        #[graphql(default = 1)] page: u64,
    ) -> Result<PostPage> {
        let (state, rc) = ctx(c)?;
        let q = ListQuery {
            sort: match sort {
                PostSort::Newest => Sort::Newest,
                PostSort::MostSupported => Sort::MostSupported,
                PostSort::Status => Sort::Status,
            },
            kind: kind.map(Into::into),
            status: status.map(Into::into),
            tag_id: tag_id.as_ref().map(parse_id).transpose()?,
            page,
        };
        let (cards, total) = boards::list_posts(&state.db, &rc.viewer, parse_id(&board_id)?, &q)
            .await
            .gql()?;
        Ok(PostPage {
            total,
            items: cards
                .into_iter()
                .map(|card| PostGql::new(card.post, card.tags))
                .collect::<Result<_>>()?,
        })
    }

    async fn post(&self, c: &Context<'_>, id: ID) -> Result<Option<PostDetail>> {
        let (state, rc) = ctx(c)?;
        let device = rc.device.for_reading(&rc.viewer);
        let participant = Participant {
            viewer: &rc.viewer,
            device: device.as_deref(),
        };
        let d = match boards::post_detail(&state.db, participant, parse_id(&id)?).await {
            Ok(d) => d,
            Err(crate::kernel::error::AppError::NotFound) => return Ok(None),
            Err(e) => return Err(super::gql(e)),
        };
        Ok(Some(PostDetail {
            post: PostGql::new(d.post, d.tags)?,
            board: BoardGql::new(d.board, 0)?,
            area_ids: d.areas.iter().map(|a| self::id(a.id)).collect(),
            comments: d
                .comments
                .into_iter()
                .map(CommentGql::new)
                .collect::<Result<_>>()?,
            revisions: d
                .revisions
                .into_iter()
                .map(|r| Revision {
                    title: r.title,
                    body_html: r.body_html,
                    edited_by: r.edited_by,
                    edited_at: r.edited_at,
                })
                .collect(),
            supported_by_me: d.supported,
            following: d.following,
            can_moderate: d.can_moderate,
            can_answer: d.can_answer,
        }))
    }

    /// The tenant's fields of action.
    async fn board_tags(&self, c: &Context<'_>, tenant_id: ID) -> Result<Vec<Tag>> {
        let (state, _) = ctx(c)?;
        Ok(boards::tags(&state.db, parse_id(&tenant_id)?)
            .await
            .gql()?
            .into_iter()
            .map(|t| Tag {
                id: id(t.id),
                name: t.name,
            })
            .collect())
    }

    /// Reported and held posts and comments of a tenant (moderators), in queue order:
    /// `limit` (at most 200) from `offset`.
    async fn moderation_queue(
        &self,
        c: &Context<'_>,
        tenant_id: ID,
        #[graphql(default)] offset: u32,
        #[graphql(default = 50)] limit: u32,
    ) -> Result<Vec<QueueEntry>> {
        let (state, rc) = ctx(c)?;
        moderation::queue(&state.db, &rc.viewer, parse_id(&tenant_id)?)
            .await
            .gql()?
            .into_iter()
            .skip(offset as usize)
            .take(limit.min(200) as usize)
            .map(|q| {
                Ok(QueueEntry {
                    target: q.target.into(),
                    id: id(q.id),
                    post_id: id(q.post_id),
                    board_id: id(q.board_id),
                    moderation: parse::<Moderation>(&q.moderation)?.into(),
                    title: q.title,
                    excerpt: q.excerpt,
                    author_name: q.author,
                    held_reason: q.held_reason,
                    reports: q.reports,
                    created_at: q.created_at,
                })
            })
            .collect()
    }

    /// Current bans of a tenant (moderators).
    async fn bans(&self, c: &Context<'_>, tenant_id: ID) -> Result<Vec<Ban>> {
        let (state, rc) = ctx(c)?;
        Ok(
            moderation::bans(&state.db, &rc.viewer, parse_id(&tenant_id)?)
                .await
                .gql()?
                .into_iter()
                .map(ban)
                .collect(),
        )
    }

    /// The tenant's word filter (moderators).
    async fn filter_words(&self, c: &Context<'_>, tenant_id: ID) -> Result<Vec<String>> {
        let (state, rc) = ctx(c)?;
        let tenant = parse_id(&tenant_id)?;
        rc.viewer.require(tenant, Can::ModeratePosts).gql()?;
        moderation::filter_words(&state.db, tenant).await.gql()
    }

    /// The newest entries of the tenant's audit log (moderators and planners).
    async fn audit_log(
        &self,
        c: &Context<'_>,
        tenant_id: ID,
        #[graphql(default = 100)] limit: u64,
    ) -> Result<Vec<AuditEntry>> {
        let (state, rc) = ctx(c)?;
        Ok(
            moderation::audit_entries(&state.db, &rc.viewer, parse_id(&tenant_id)?, limit)
                .await
                .gql()?
                .into_iter()
                .map(|a| AuditEntry {
                    action: a.action,
                    subject: a.subject,
                    detail: a.detail,
                    user_id: a.user_id.map(id),
                    created_at: a.created_at,
                })
                .collect(),
        )
    }
}

fn ban(b: entity::board_bans::Model) -> Ban {
    Ban {
        id: id(b.id),
        user_id: b.user_id.map(id),
        reason: b.reason,
        until: b.until,
        created_at: b.created_at,
    }
}

#[derive(Default)]
pub struct BoardsMutation;

#[Object]
impl BoardsMutation {
    async fn create_board(
        &self,
        c: &Context<'_>,
        tenant_id: ID,
        input: BoardSettings,
    ) -> Result<BoardGql> {
        let (state, rc) = ctx(c)?;
        let b = boards::create_board(
            &state.db,
            &rc.viewer,
            parse_id(&tenant_id)?,
            input.into_input()?,
        )
        .await
        .gql()?;
        BoardGql::new(b, 0)
    }

    async fn update_board(
        &self,
        c: &Context<'_>,
        id: ID,
        input: BoardSettings,
    ) -> Result<BoardGql> {
        let (state, rc) = ctx(c)?;
        let b = boards::update_board(&state.db, &rc.viewer, parse_id(&id)?, input.into_input()?)
            .await
            .gql()?;
        BoardGql::new(b, 0)
    }

    /// Adds a field of action to the tenant's managed list.
    async fn create_board_tag(&self, c: &Context<'_>, tenant_id: ID, name: String) -> Result<Tag> {
        let (state, rc) = ctx(c)?;
        let t = boards::create_tag(&state.db, &rc.viewer, parse_id(&tenant_id)?, &name)
            .await
            .gql()?;
        Ok(Tag {
            id: id(t.id),
            name: t.name,
        })
    }

    async fn create_post(&self, c: &Context<'_>, input: PostInput) -> Result<PostGql> {
        let (state, rc) = ctx(c)?;
        boards::count_anonymous_write(state, &rc.viewer, &rc.client).gql()?;
        let device = rc.device.for_writing(&rc.viewer);
        let participant = Participant {
            viewer: &rc.viewer,
            device: device.as_deref(),
        };
        let post = boards::create_post(
            state,
            participant,
            NewPost {
                board_id: parse_id(&input.board_id)?,
                kind: PostKind::from(input.kind).as_str().to_owned(),
                title: input.title,
                body: input.body,
                display_name: input.display_name,
                lon: input.lon,
                lat: input.lat,
                address: input.address,
                tag_ids: input.tag_ids.iter().map(parse_id).collect::<Result<_>>()?,
            },
        )
        .await
        .gql()?;
        PostGql::new(post, Vec::new())
    }

    /// Edits a post (its author, or a moderator); the earlier version is kept.
    async fn edit_post(
        &self,
        c: &Context<'_>,
        id: ID,
        title: String,
        body: String,
    ) -> Result<PostGql> {
        let (state, rc) = ctx(c)?;
        let device = rc.device.for_writing(&rc.viewer);
        let participant = Participant {
            viewer: &rc.viewer,
            device: device.as_deref(),
        };
        let post = boards::edit_post(state, participant, parse_id(&id)?, &title, &body)
            .await
            .gql()?;
        PostGql::new(post, Vec::new())
    }

    async fn create_comment(
        &self,
        c: &Context<'_>,
        post_id: ID,
        parent_id: Option<ID>,
        body: String,
        display_name: Option<String>,
    ) -> Result<CommentGql> {
        let (state, rc) = ctx(c)?;
        boards::count_anonymous_write(state, &rc.viewer, &rc.client).gql()?;
        let device = rc.device.for_writing(&rc.viewer);
        let participant = Participant {
            viewer: &rc.viewer,
            device: device.as_deref(),
        };
        let comment = boards::create_comment(
            state,
            participant,
            parse_id(&post_id)?,
            parent_id.as_ref().map(parse_id).transpose()?,
            &body,
            display_name.as_deref(),
        )
        .await
        .gql()?;
        CommentGql::new(comment)
    }

    /// Supports a post; returns the new count. A second support is refused.
    async fn support_post(&self, c: &Context<'_>, id: ID) -> Result<i32> {
        let (state, rc) = ctx(c)?;
        boards::count_anonymous_write(state, &rc.viewer, &rc.client).gql()?;
        let device = rc.device.for_writing(&rc.viewer);
        let participant = Participant {
            viewer: &rc.viewer,
            device: device.as_deref(),
        };
        boards::support(state, participant, parse_id(&id)?)
            .await
            .gql()
    }

    async fn withdraw_support(&self, c: &Context<'_>, id: ID) -> Result<bool> {
        let (state, rc) = ctx(c)?;
        let device = rc.device.for_reading(&rc.viewer);
        let participant = Participant {
            viewer: &rc.viewer,
            device: device.as_deref(),
        };
        boards::withdraw_support(state, participant, parse_id(&id)?)
            .await
            .gql()?;
        Ok(true)
    }

    /// Follows (or unfollows) a board or a post; give exactly one of `boardId` and `postId`.
    async fn follow(
        &self,
        c: &Context<'_>,
        board_id: Option<ID>,
        post_id: Option<ID>,
        #[graphql(default = true)] on: bool,
    ) -> Result<bool> {
        let (state, rc) = ctx(c)?;
        let what = match (board_id, post_id) {
            (Some(b), None) => Followed::Board(parse_id(&b)?),
            (None, Some(p)) => Followed::Post(parse_id(&p)?),
            _ => {
                return Err(super::gql(crate::kernel::error::AppError::Validation(
                    "genau eines von boardId und postId angeben".into(),
                )))
            }
        };
        let participant = Participant {
            viewer: &rc.viewer,
            device: None,
        };
        boards::follow(state, participant, what, on).await.gql()?;
        Ok(on)
    }

    /// Reports a post or comment to the moderators.
    async fn report(
        &self,
        c: &Context<'_>,
        target: TargetGql,
        id: ID,
        reason: String,
    ) -> Result<bool> {
        let (state, rc) = ctx(c)?;
        boards::count_anonymous_write(state, &rc.viewer, &rc.client).gql()?;
        let device = rc.device.for_writing(&rc.viewer);
        let participant = Participant {
            viewer: &rc.viewer,
            device: device.as_deref(),
        };
        moderation::report(
            &state.db,
            participant,
            target.into(),
            parse_id(&id)?,
            &reason,
        )
        .await
        .gql()?;
        Ok(true)
    }

    /// Hides (`HIDDEN`) or shows (`VISIBLE`: restore or approve) a post or comment.
    async fn moderate(
        &self,
        c: &Context<'_>,
        target: TargetGql,
        id: ID,
        to: ModerationGql,
        reason: String,
    ) -> Result<bool> {
        let (state, rc) = ctx(c)?;
        moderation::set_moderation(
            &state.db,
            &rc.viewer,
            target.into(),
            parse_id(&id)?,
            to.into(),
            &reason,
        )
        .await
        .gql()?;
        Ok(true)
    }

    /// Closes the open reports of an item without acting; returns how many.
    async fn dismiss_reports(&self, c: &Context<'_>, target: TargetGql, id: ID) -> Result<u64> {
        let (state, rc) = ctx(c)?;
        moderation::dismiss_reports(&state.db, &rc.viewer, target.into(), parse_id(&id)?)
            .await
            .gql()
    }

    /// Bans the author of a post or comment in its tenant, for `days` or for good.
    async fn ban_author(
        &self,
        c: &Context<'_>,
        target: TargetGql,
        id: ID,
        reason: String,
        days: Option<i64>,
    ) -> Result<Ban> {
        let (state, rc) = ctx(c)?;
        moderation::ban_author(
            &state.db,
            &rc.viewer,
            target.into(),
            parse_id(&id)?,
            &reason,
            days,
        )
        .await
        .gql()
        .map(ban)
    }

    async fn lift_ban(&self, c: &Context<'_>, id: ID) -> Result<bool> {
        let (state, rc) = ctx(c)?;
        moderation::lift_ban(&state.db, &rc.viewer, parse_id(&id)?)
            .await
            .gql()?;
        Ok(true)
    }

    /// Sets a post's status and, optionally, the administration's answer.
    async fn answer_post(
        &self,
        c: &Context<'_>,
        id: ID,
        status: PostStatusGql,
        answer: Option<String>,
    ) -> Result<PostGql> {
        let (state, rc) = ctx(c)?;
        let post = boards::answer(
            state,
            &rc.viewer,
            parse_id(&id)?,
            status.into(),
            answer.as_deref(),
        )
        .await
        .gql()?;
        PostGql::new(post, Vec::new())
    }

    /// Replaces the tenant's word filter.
    async fn set_filter_words(
        &self,
        c: &Context<'_>,
        tenant_id: ID,
        words: Vec<String>,
    ) -> Result<Vec<String>> {
        let (state, rc) = ctx(c)?;
        moderation::set_filter_words(&state.db, &rc.viewer, parse_id(&tenant_id)?, &words)
            .await
            .gql()
    }
}
