//! The offer categories of a Kommune (`qn_domain::directory::categories`): read for every form,
//! filter and index document; changed by planners and admins. A Kommune without stored rows
//! has the default taxonomy; the first change stores the whole list.

use super::entity::categories;
use crate::kernel::audit;
use crate::kernel::error::{AppError, AppResult};
use crate::kernel::permissions::Can;
use crate::kernel::state::AppState;
use crate::kernel::viewer::Viewer;
use qn_domain::directory::categories::{Categories, Category, Change};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, Set};
use std::collections::HashMap;

fn from_rows(rows: Vec<categories::Model>) -> Categories {
    if rows.is_empty() {
        return Categories::default();
    }
    Categories(
        rows.into_iter()
            .map(|r| Category {
                key: r.key,
                label: r.label,
                retired: r.retired,
            })
            .collect(),
    )
}

/// A Kommune's categories in their order.
///
/// # Errors
/// Database errors.
pub async fn of(db: &impl ConnectionTrait, tenant_id: i32) -> AppResult<Categories> {
    Ok(from_rows(
        categories::Entity::find()
            .filter(categories::Column::TenantId.eq(tenant_id))
            .order_by_asc(categories::Column::Position)
            .all(db)
            .await?,
    ))
}

/// The categories of several Kommunen in one query (for index documents and exports).
///
/// # Errors
/// Database errors.
pub async fn of_tenants(
    db: &impl ConnectionTrait,
    tenant_ids: &[i32],
) -> AppResult<HashMap<i32, Categories>> {
    let mut rows: HashMap<i32, Vec<categories::Model>> =
        tenant_ids.iter().map(|t| (*t, Vec::new())).collect();
    for chunk in tenant_ids.chunks(1_000) {
        for r in categories::Entity::find()
            .filter(categories::Column::TenantId.is_in(chunk.iter().copied()))
            .order_by_asc(categories::Column::Position)
            .all(db)
            .await?
        {
            rows.entry(r.tenant_id).or_default().push(r);
        }
    }
    Ok(rows.into_iter().map(|(t, r)| (t, from_rows(r))).collect())
}

/// Applies a planner's change and stores the whole list in one transaction; a renamed label is
/// searchable at once (the Kommune's offers are indexed again).
///
/// # Errors
/// `Forbidden` for anyone but planners and admins, `Validation` with the German reason for a
/// refused change, database errors.
pub async fn change(
    state: &AppState,
    viewer: &Viewer,
    tenant_id: i32,
    change: &Change,
) -> AppResult<Categories> {
    viewer.require(tenant_id, Can::EditCategories)?;
    let txn = crate::kernel::db::write_txn(&state.db).await?;
    let mut list = of(&txn, tenant_id).await?;
    list.apply(change)
        .map_err(|e| AppError::Validation(e.german()))?;
    categories::Entity::delete_many()
        .filter(categories::Column::TenantId.eq(tenant_id))
        .exec(&txn)
        .await?;
    categories::Entity::insert_many(list.0.iter().enumerate().map(|(i, c)| {
        categories::ActiveModel {
            tenant_id: Set(tenant_id),
            key: Set(c.key.clone()),
            label: Set(c.label.clone()),
            position: Set(i32::try_from(i).unwrap_or(i32::MAX)),
            retired: Set(c.retired),
        }
    }))
    .exec(&txn)
    .await?;
    let (action, detail) = match change {
        Change::Add { label } => ("category_added", label.clone()),
        Change::Rename { key, label } => ("category_renamed", format!("{key}: {label}")),
        Change::Retire { key } => ("category_retired", key.clone()),
        Change::Restore { key } => ("category_restored", key.clone()),
        Change::Move { key, up } => (
            "category_moved",
            format!("{key} {}", if *up { "hoch" } else { "runter" }),
        ),
    };
    audit::record(&txn, tenant_id, viewer, action, "categories", &detail).await?;
    txn.commit().await?;
    if matches!(change, Change::Rename { .. }) {
        super::search_sync::reindex_tenant(state, tenant_id).await;
    }
    Ok(list)
}
