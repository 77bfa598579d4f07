//! DataLoaders batch the lookups of parents, levels and tenants across a response (no N+1).
//! They are built per request because what they return depends on the viewer.

use crate::areas::{self, Area, Level};
use crate::kernel::error::AppError;
use crate::kernel::state::AppState;
use crate::kernel::viewer::Viewer;
use crate::tenancy::{entity::tenants, Tenant};
use async_graphql::dataloader::Loader;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
use std::collections::HashMap;
use std::sync::Arc;

pub struct Loaders {
    pub areas: AreaLoader,
    pub levels: LevelLoader,
    pub tenants: TenantLoader,
}

impl Loaders {
    pub fn new(state: &AppState, viewer: &Viewer) -> Self {
        Self {
            areas: AreaLoader {
                state: state.clone(),
                viewer: viewer.clone(),
            },
            levels: LevelLoader {
                state: state.clone(),
                viewer: viewer.clone(),
            },
            tenants: TenantLoader {
                state: state.clone(),
            },
        }
    }
}

pub struct AreaLoader {
    state: AppState,
    viewer: Viewer,
}

impl Loader<i32> for AreaLoader {
    type Value = Area;
    type Error = Arc<AppError>;

    async fn load(&self, keys: &[i32]) -> Result<HashMap<i32, Area>, Self::Error> {
        let list = areas::by_ids(&self.state.db, &self.viewer, keys)
            .await
            .map_err(Arc::new)?;
        Ok(list.into_iter().map(|a| (a.id, a)).collect())
    }
}

pub struct LevelLoader {
    state: AppState,
    viewer: Viewer,
}

impl Loader<i32> for LevelLoader {
    type Value = Level;
    type Error = Arc<AppError>;

    async fn load(&self, keys: &[i32]) -> Result<HashMap<i32, Level>, Self::Error> {
        let list = areas::levels_by_ids(&self.state.db, &self.viewer, keys)
            .await
            .map_err(Arc::new)?;
        Ok(list.into_iter().map(|l| (l.id, l)).collect())
    }
}

pub struct TenantLoader {
    state: AppState,
}

impl Loader<i32> for TenantLoader {
    type Value = Tenant;
    type Error = Arc<AppError>;

    async fn load(&self, keys: &[i32]) -> Result<HashMap<i32, Tenant>, Self::Error> {
        let list = tenants::Entity::find()
            .filter(tenants::Column::Id.is_in(keys.iter().copied()))
            .all(&self.state.db)
            .await
            .map_err(|e| Arc::new(AppError::from(e)))?;
        Ok(list.into_iter().map(|t| (t.id, t)).collect())
    }
}

/// Maps a loader error to a GraphQL error with its code.
pub fn err(e: Arc<AppError>) -> async_graphql::Error {
    match Arc::try_unwrap(e) {
        Ok(e) => super::gql(e),
        Err(shared) => {
            tracing::error!(error = ?shared, "loader");
            super::gql(AppError::Internal(shared.to_string().into()))
        }
    }
}
