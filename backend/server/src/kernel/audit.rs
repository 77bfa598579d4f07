//! The audit log: one line per action that changes what others see or may do (moderation,
//! directory and survey changes, disclosure settings, roles), per tenant, with who and when.
//! Every module writes here; the moderation page and the administration page read it.

use crate::kernel::error::AppResult;
use crate::kernel::viewer::Viewer;
use chrono::Utc;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder,
    QuerySelect, Set,
};

pub mod audit_log {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
    #[sea_orm(table_name = "audit_log")]
    pub struct Model {
        #[sea_orm(primary_key)]
        pub id: i32,
        pub tenant_id: i32,
        pub user_id: Option<i32>,
        pub action: String,
        /// `post:12`, `comment:7`, `ban:3`, …
        pub subject: String,
        #[sea_orm(column_type = "Text")]
        pub detail: String,
        pub created_at: DateTimeUtc,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

/// Writes one line of the audit log.
///
/// # Errors
/// Database errors.
pub async fn record(
    db: &impl ConnectionTrait,
    tenant_id: i32,
    viewer: &Viewer,
    action: &str,
    subject: &str,
    detail: &str,
) -> AppResult<()> {
    audit_log::ActiveModel {
        tenant_id: Set(tenant_id),
        user_id: Set(viewer.account_id()),
        action: Set(action.to_owned()),
        subject: Set(subject.to_owned()),
        detail: Set(detail.to_owned()),
        created_at: Set(Utc::now()),
        ..Default::default()
    }
    .insert(db)
    .await?;
    Ok(())
}

/// The tenant's newest lines, those whose action starts with `prefix` when one is given. The
/// caller checks who may read them.
///
/// # Errors
/// Database errors.
pub async fn newest(
    db: &impl ConnectionTrait,
    tenant_id: i32,
    prefix: Option<&str>,
    limit: u64,
) -> AppResult<Vec<audit_log::Model>> {
    let mut q = audit_log::Entity::find().filter(audit_log::Column::TenantId.eq(tenant_id));
    if let Some(prefix) = prefix {
        q = q.filter(audit_log::Column::Action.starts_with(prefix));
    }
    Ok(q.order_by_desc(audit_log::Column::Id)
        .limit(Ord::min(limit, 1_000))
        .all(db)
        .await?)
}
