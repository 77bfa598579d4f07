//! The boards' GraphQL objects and inputs.

use super::*;

/// A participation board of a Quartier or a topic.
#[derive(SimpleObject)]
#[graphql(name = "Board")]
pub struct BoardGql {
    pub(super) id: ID,
    pub(super) tenant_id: ID,
    pub(super) area_id: Option<ID>,
    pub(super) topic: Option<String>,
    pub(super) title: String,
    /// Sanitised HTML.
    pub(super) rules_html: String,
    pub(super) open: bool,
    pub(super) access: AccessGql,
    pub(super) premoderate_first: bool,
    /// Visible posts.
    pub(super) post_count: i64,
}

impl BoardGql {
    pub(super) fn new(b: boards::Board, post_count: i64) -> Result<Self> {
        Ok(Self {
            id: id(b.id),
            tenant_id: id(b.tenant_id),
            area_id: b.area_id.map(id),
            access: parse::<Access>(&b.access)?.into(),
            topic: b.topic,
            title: b.title,
            rules_html: b.rules,
            open: b.open,
            premoderate_first: b.premoderate_first,
            post_count,
        })
    }
}

/// A post. Hidden posts come without title, text and point unless the viewer moderates.
#[derive(SimpleObject)]
#[graphql(name = "Post")]
pub struct PostGql {
    pub(super) id: ID,
    pub(super) board_id: ID,
    pub(super) kind: PostKindGql,
    pub(super) title: String,
    /// Sanitised HTML.
    pub(super) body_html: String,
    pub(super) author_name: String,
    pub(super) lon: Option<f64>,
    pub(super) lat: Option<f64>,
    pub(super) status: PostStatusGql,
    pub(super) answer_html: Option<String>,
    pub(super) answered_at: Option<DateTime<Utc>>,
    pub(super) answered_by: Option<String>,
    pub(super) moderation: ModerationGql,
    pub(super) moderation_reason: Option<String>,
    pub(super) support_count: i32,
    pub(super) comment_count: i32,
    pub(super) tags: Vec<String>,
    pub(super) created_at: DateTime<Utc>,
    pub(super) updated_at: DateTime<Utc>,
    /// The page of the post.
    pub(super) url: String,
}

impl PostGql {
    pub(super) fn new(p: boards::Post, tags: Vec<String>) -> Result<Self> {
        Ok(Self {
            id: id(p.id),
            board_id: id(p.board_id),
            kind: parse::<PostKind>(&p.kind)?.into(),
            status: parse::<PostStatus>(&p.status)?.into(),
            moderation: parse::<Moderation>(&p.moderation)?.into(),
            url: format!("/beitrag/{}", p.id),
            title: p.title,
            body_html: p.body_html,
            author_name: p.author_name,
            lon: p.lon,
            lat: p.lat,
            answer_html: p.answer_html,
            answered_at: p.answered_at,
            answered_by: p.answered_by,
            moderation_reason: p.moderation_reason,
            support_count: p.support_count,
            comment_count: p.comment_count,
            tags,
            created_at: p.created_at,
            updated_at: p.updated_at,
        })
    }
}

#[derive(SimpleObject)]
#[graphql(name = "Comment")]
pub struct CommentGql {
    pub(super) id: ID,
    pub(super) post_id: ID,
    pub(super) parent_id: Option<ID>,
    pub(super) author_name: String,
    /// Sanitised HTML; empty when hidden (unless the viewer moderates).
    pub(super) body_html: String,
    pub(super) moderation: ModerationGql,
    pub(super) moderation_reason: Option<String>,
    pub(super) created_at: DateTime<Utc>,
}

impl CommentGql {
    pub(super) fn new(c: boards::Comment) -> Result<Self> {
        Ok(Self {
            id: id(c.id),
            post_id: id(c.post_id),
            parent_id: c.parent_id.map(id),
            moderation: parse::<Moderation>(&c.moderation)?.into(),
            author_name: c.author_name,
            body_html: c.body_html,
            moderation_reason: c.moderation_reason,
            created_at: c.created_at,
        })
    }
}

/// An earlier version of an edited post.
#[derive(SimpleObject)]
pub struct Revision {
    pub(super) title: Option<String>,
    pub(super) body_html: String,
    /// `author` or `moderation`.
    pub(super) edited_by: String,
    pub(super) edited_at: DateTime<Utc>,
}

/// A post with everything its page shows.
#[derive(SimpleObject)]
pub struct PostDetail {
    pub(super) post: PostGql,
    pub(super) board: BoardGql,
    pub(super) area_ids: Vec<ID>,
    pub(super) comments: Vec<CommentGql>,
    pub(super) revisions: Vec<Revision>,
    pub(super) supported_by_me: bool,
    pub(super) following: bool,
    pub(super) can_moderate: bool,
    pub(super) can_answer: bool,
}

#[derive(SimpleObject)]
pub struct PostPage {
    pub(super) total: u64,
    pub(super) items: Vec<PostGql>,
}

#[derive(SimpleObject)]
pub struct Tag {
    pub(super) id: ID,
    pub(super) name: String,
}

#[derive(SimpleObject)]
pub struct QueueEntry {
    pub(super) target: TargetGql,
    pub(super) id: ID,
    pub(super) post_id: ID,
    pub(super) board_id: ID,
    pub(super) title: String,
    pub(super) excerpt: String,
    pub(super) author_name: String,
    pub(super) moderation: ModerationGql,
    pub(super) held_reason: Option<String>,
    pub(super) reports: Vec<String>,
    pub(super) created_at: DateTime<Utc>,
}

#[derive(SimpleObject)]
pub struct Ban {
    pub(super) id: ID,
    /// The banned account; `null` for a device ban.
    pub(super) user_id: Option<ID>,
    pub(super) reason: String,
    pub(super) until: Option<DateTime<Utc>>,
    pub(super) created_at: DateTime<Utc>,
}

#[derive(SimpleObject)]
pub struct AuditEntry {
    pub(super) action: String,
    pub(super) subject: String,
    pub(super) detail: String,
    pub(super) user_id: Option<ID>,
    pub(super) created_at: DateTime<Utc>,
}

#[derive(InputObject)]
pub struct BoardSettings {
    pub(super) area_id: Option<ID>,
    pub(super) topic: Option<String>,
    pub(super) title: String,
    #[graphql(default)]
    pub(super) rules: String,
    #[graphql(default = true)]
    pub(super) open: bool,
    #[graphql(default_with = "AccessGql::Accounts")]
    pub(super) access: AccessGql,
    #[graphql(default)]
    pub(super) premoderate_first: bool,
}

impl BoardSettings {
    pub(super) fn into_input(self) -> Result<BoardInput> {
        Ok(BoardInput {
            area_id: self.area_id.as_ref().map(parse_id).transpose()?,
            topic: self.topic,
            title: self.title,
            rules: self.rules,
            open: self.open,
            access: self.access.into(),
            premoderate_first: self.premoderate_first,
        })
    }
}

#[derive(InputObject)]
pub struct PostInput {
    pub(super) board_id: ID,
    pub(super) kind: PostKindGql,
    pub(super) title: String,
    /// Plain text (blank lines make paragraphs) or limited HTML; it is sanitised.
    pub(super) body: String,
    /// Needed on anonymous boards without an account.
    pub(super) display_name: Option<String>,
    pub(super) lon: Option<f64>,
    pub(super) lat: Option<f64>,
    /// Instead of a point: an address, looked up in the Kommune's address register.
    #[graphql(default)]
    pub(super) address: String,
    #[graphql(default)]
    pub(super) tag_ids: Vec<ID>,
}
