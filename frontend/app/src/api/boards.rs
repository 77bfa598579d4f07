//! Data of the participation pages (boards, posts, moderation), as the server sends it. Rich
//! text arrives sanitised by the server (`*_html`); everything else is plain text.

use super::{AreaLink, MapConfig, TenantSummary};
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct TagData {
    pub id: i32,
    pub name: String,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct BoardCard {
    pub id: i32,
    pub title: String,
    pub topic: Option<String>,
    pub area: Option<AreaLink>,
    pub open: bool,
    /// Posts without an account (under a chosen name) are allowed.
    pub anonymous: bool,
    pub premoderate_first: bool,
    pub posts: i64,
}

/// `/kommune/{slug}/beteiligung`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct BoardsData {
    pub tenant: TenantSummary,
    pub boards: Vec<BoardCard>,
    pub can_manage: bool,
    pub can_moderate: bool,
    /// Areas for the create form, by level and name.
    pub areas: Vec<AreaLink>,
    pub tags: Vec<TagData>,
}

/// The GET parameters of a board page.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct BoardArgs {
    pub sort: Option<String>,
    pub art: Option<String>,
    pub status: Option<String>,
    pub feld: Option<i32>,
    pub seite: Option<u64>,
    /// An indicator shown as choropleth under the posts.
    pub hintergrund: Option<i32>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PostCardData {
    pub id: i32,
    pub kind: String,
    pub status: String,
    pub title: String,
    pub excerpt: String,
    pub author: String,
    pub created: String,
    pub supports: i32,
    pub comments: i32,
    pub tags: Vec<String>,
    pub answered: bool,
    pub moderation: String,
    pub moderation_reason: Option<String>,
}

/// `/pinnwand/{id}`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct BoardData {
    pub board: BoardCard,
    pub rules_html: String,
    pub tenant: TenantSummary,
    pub posts: Vec<PostCardData>,
    pub total: u64,
    pub page: u64,
    pub pages: u64,
    pub args: BoardArgs,
    pub tags: Vec<TagData>,
    pub signed_in: bool,
    pub following: bool,
    pub can_manage: bool,
    pub can_moderate: bool,
    /// May download the planners' CSV.
    pub is_staff: bool,
    pub map: MapConfig,
    /// URL of the polygons under the posts (boundaries, or an indicator's choropleth).
    pub polygons_url: Option<String>,
    pub choropleth: bool,
    /// Indicators that can be the map's background.
    pub backgrounds: Vec<(i32, String)>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CommentData {
    pub id: i32,
    pub parent_id: Option<i32>,
    pub author: String,
    pub created: String,
    pub body_html: String,
    pub moderation: String,
    pub moderation_reason: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct RevisionData {
    pub title: Option<String>,
    pub body_html: String,
    pub edited_by: String,
    pub edited: String,
}

/// `/beitrag/{id}`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PostData {
    pub id: i32,
    pub board: BoardCard,
    pub tenant: TenantSummary,
    pub kind: String,
    pub status: String,
    pub title: String,
    pub body_html: String,
    /// The text for the edit form; only for those who may edit.
    pub edit_text: Option<String>,
    pub author: String,
    pub created: String,
    pub edited: bool,
    pub lon: Option<f64>,
    pub lat: Option<f64>,
    pub areas: Vec<AreaLink>,
    pub tags: Vec<String>,
    pub supports: i32,
    pub comments: Vec<CommentData>,
    pub answer_html: Option<String>,
    pub answered: Option<String>,
    pub answered_by: Option<String>,
    pub moderation: String,
    pub moderation_reason: Option<String>,
    pub supported: bool,
    pub following: bool,
    pub signed_in: bool,
    pub mine: bool,
    pub can_moderate: bool,
    pub can_answer: bool,
    pub revisions: Vec<RevisionData>,
    pub map: MapConfig,
    pub polygons_url: Option<String>,
    pub highlight: Option<i32>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct QueueItemData {
    pub target: String,
    pub id: i32,
    pub post_id: i32,
    pub title: String,
    pub excerpt: String,
    pub author: String,
    pub moderation: String,
    pub held_reason: Option<String>,
    pub reports: Vec<String>,
    pub created: String,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct BanData {
    pub id: i32,
    pub reason: String,
    pub until: Option<String>,
    pub created: String,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct AuditData {
    pub action: String,
    pub subject: String,
    pub detail: String,
    pub created: String,
}

/// Items per page of a staff queue.
pub const QUEUE_PAGE: u64 = 50;

/// `/kommune/{slug}/moderation`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ModerationData {
    pub tenant: TenantSummary,
    /// One page of the queue ([`QUEUE_PAGE`] items): a flooded queue must stay a page a
    /// browser opens at once.
    pub items: Vec<QueueItemData>,
    /// All items waiting, the page shown (1-based) and the number of pages.
    pub total: u64,
    pub page: u64,
    pub pages: u64,
    pub bans: Vec<BanData>,
    /// One entry per line.
    pub words: String,
    pub audit: Vec<AuditData>,
}
