//! GraphQL types of tenants.

use super::{ctx, loaders, GqlResult};
use crate::tenancy::{self, Tenant};
use async_graphql::dataloader::DataLoader;
use async_graphql::{Context, Object, Result, ID};

pub struct TenantNode(pub Tenant);

/// A Kreis, a kreisangehörige Kommune or a kreisfreie Stadt.
#[Object(name = "Tenant")]
impl TenantNode {
    async fn id(&self) -> ID {
        ID(self.0.id.to_string())
    }
    async fn slug(&self) -> &str {
        &self.0.slug
    }
    async fn name(&self) -> &str {
        &self.0.name
    }
    /// `kreis`, `kommune` or `kreisfreie_stadt`.
    async fn kind(&self) -> &str {
        &self.0.kind
    }
    async fn parent(&self, c: &Context<'_>) -> Result<Option<TenantNode>> {
        let Some(pid) = self.0.parent_id else {
            return Ok(None);
        };
        let loader = c.data::<DataLoader<loaders::TenantLoader>>()?;
        Ok(loader
            .load_one(pid)
            .await
            .map_err(loaders::err)?
            .map(TenantNode))
    }
    async fn children(&self, c: &Context<'_>) -> Result<Vec<TenantNode>> {
        let (state, _) = ctx(c)?;
        Ok(tenancy::list(&state.db)
            .await
            .gql()?
            .into_iter()
            .filter(|t| t.parent_id == Some(self.0.id))
            .map(TenantNode)
            .collect())
    }
    /// The area levels of this tenant that the viewer may see, top level first.
    async fn levels(&self, c: &Context<'_>) -> Result<Vec<super::areas::LevelNode>> {
        let (state, rc) = ctx(c)?;
        Ok(crate::areas::levels(&state.db, &rc.viewer, self.0.id)
            .await
            .gql()?
            .into_iter()
            .map(super::areas::LevelNode)
            .collect())
    }
}

#[derive(Default)]
pub struct TenancyQuery;

#[Object]
impl TenancyQuery {
    /// All tenants (the list of municipalities is public).
    async fn tenants(&self, c: &Context<'_>) -> Result<Vec<TenantNode>> {
        let (state, _) = ctx(c)?;
        Ok(tenancy::list(&state.db)
            .await
            .gql()?
            .into_iter()
            .map(TenantNode)
            .collect())
    }
    async fn tenant(&self, c: &Context<'_>, slug: String) -> Result<Option<TenantNode>> {
        let (state, _) = ctx(c)?;
        match tenancy::by_slug(&state.db, &slug).await {
            Ok(t) => Ok(Some(TenantNode(t))),
            Err(crate::kernel::error::AppError::NotFound) => Ok(None),
            Err(e) => Err(super::gql(e)),
        }
    }
}
