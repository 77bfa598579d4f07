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
mod posting;
mod reactions;
mod reading;
mod setup;
pub use posting::*;
pub use reactions::*;
pub use reading::*;
pub use setup::*;

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
pub struct Participant<'a> {
    pub viewer: &'a Viewer,
    pub device: Option<&'a str>,
}

impl Participant<'_> {
    /// The account, unless it is the installation itself.
    fn user_id(&self) -> Option<i32> {
        self.viewer.account_id()
    }

    /// Rows written by this participant: the account's, or without an account the device's.
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
