//! Tenants (Kreis → Kommunen, kreisfreie Städte) and the visibility rule for every dataset.

pub mod entity;

use crate::kernel::error::{AppError, AppResult};
use entity::{dataset_shares, tenants};
use qn_domain::tenancy::{TenantKind, Visibility};
use sea_orm::sea_query::{Expr, ExprTrait, Query};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, Condition, ConnectionTrait, EntityTrait, QueryFilter,
    QueryOrder, Set,
};

pub use entity::tenants::Model as Tenant;

/// Dataset kinds that carry a visibility; each module defines its own beside its tables
/// (e.g. `indicators::DATASET_INDICATOR`).
pub const DATASET_AREA_LEVEL: &str = "area_level";

/// All tenants, ordered by name. The list of municipalities is public.
///
/// # Errors
/// Database errors.
pub async fn list(db: &impl ConnectionTrait) -> AppResult<Vec<Tenant>> {
    Ok(tenants::Entity::find()
        .order_by_asc(tenants::Column::Name)
        .all(db)
        .await?)
}

/// # Errors
/// [`AppError::NotFound`] for an unknown slug.
pub async fn by_slug(db: &impl ConnectionTrait, slug: &str) -> AppResult<Tenant> {
    tenants::Entity::find()
        .filter(tenants::Column::Slug.eq(slug))
        .one(db)
        .await?
        .ok_or(AppError::NotFound)
}

/// # Errors
/// [`AppError::NotFound`] for an unknown id.
pub async fn by_id(db: &impl ConnectionTrait, id: i32) -> AppResult<Tenant> {
    tenants::Entity::find_by_id(id)
        .one(db)
        .await?
        .ok_or(AppError::NotFound)
}

/// Creates a tenant, enforcing the tree rule (a Kommune below a Kreis).
///
/// # Errors
/// Validation errors for a bad slug or tree position; conflict for a taken slug.
pub async fn create(
    db: &impl ConnectionTrait,
    slug: &str,
    name: &str,
    kind: TenantKind,
    parent_slug: Option<&str>,
) -> AppResult<Tenant> {
    if slug.is_empty()
        || slug.len() > 64
        || !slug
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
    {
        return Err(AppError::Validation(
            "Kürzel: nur Kleinbuchstaben, Ziffern und Bindestriche (1–64 Zeichen)".into(),
        ));
    }
    if name.trim().is_empty() {
        return Err(AppError::Validation("Name fehlt".into()));
    }
    let parent = match parent_slug {
        Some(p) => Some(by_slug(db, p).await?),
        None => None,
    };
    let parent_kind = parent
        .as_ref()
        .map(|p| p.kind.parse::<TenantKind>())
        .transpose()
        .map_err(|e| AppError::Validation(e.to_string()))?;
    kind.check_parent(parent_kind)
        .map_err(|e| AppError::Validation(e.to_string()))?;
    if tenants::Entity::find()
        .filter(tenants::Column::Slug.eq(slug))
        .one(db)
        .await?
        .is_some()
    {
        return Err(AppError::Conflict(format!("Kürzel {slug} ist vergeben")));
    }
    Ok(tenants::ActiveModel {
        slug: Set(slug.to_owned()),
        name: Set(name.trim().to_owned()),
        kind: Set(kind.as_str().to_owned()),
        parent_id: Set(parent.map(|p| p.id)),
        created_at: Set(chrono::Utc::now()),
        ..Default::default()
    }
    .insert(db)
    .await?)
}

/// Replaces the tenants a dataset is shared with.
///
/// # Errors
/// Database errors.
pub async fn set_shares(
    db: &impl ConnectionTrait,
    kind: &str,
    dataset_id: i32,
    tenant_ids: &[i32],
) -> AppResult<()> {
    dataset_shares::Entity::delete_many()
        .filter(dataset_shares::Column::DatasetKind.eq(kind))
        .filter(dataset_shares::Column::DatasetId.eq(dataset_id))
        .exec(db)
        .await?;
    let mut unique = tenant_ids.to_vec();
    unique.sort_unstable();
    unique.dedup();
    for tenant_id in unique {
        dataset_shares::ActiveModel {
            dataset_kind: Set(kind.to_owned()),
            dataset_id: Set(dataset_id),
            tenant_id: Set(tenant_id),
            ..Default::default()
        }
        .insert(db)
        .await?;
    }
    Ok(())
}

/// The SQL form of [`qn_domain::tenancy::DatasetAccess::visible_to`]: a condition on a dataset
/// table's id, owner and visibility columns for someone who is a member of `member_of`.
pub fn visible_condition(
    kind: &str,
    id_col: impl ColumnTrait,
    tenant_col: impl ColumnTrait,
    visibility_col: impl ColumnTrait,
    member_of: &[i32],
) -> Condition {
    let mut any = Condition::any().add(visibility_col.eq(Visibility::Public.as_str()));
    if !member_of.is_empty() {
        let shared_with_me = Query::select()
            .column(dataset_shares::Column::DatasetId)
            .from(dataset_shares::Entity)
            .and_where(Expr::col(dataset_shares::Column::DatasetKind).eq(kind))
            .and_where(Expr::col(dataset_shares::Column::TenantId).is_in(member_of.iter().copied()))
            .to_owned();
        any = any.add(tenant_col.is_in(member_of.iter().copied())).add(
            Condition::all()
                .add(visibility_col.eq(Visibility::Shared.as_str()))
                .add(id_col.in_subquery(shared_with_me)),
        );
    }
    any
}
