//! What the pages read: data types shared by server and browser, the server functions that
//! deliver them, and (server only) the `Backend` trait the server implements.

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

/// An error with a stable code (`NOT_FOUND`, `FORBIDDEN`, …) that the pages translate.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ApiError {
    pub code: String,
}

impl ApiError {
    pub fn new(code: &str) -> Self {
        Self {
            code: code.to_owned(),
        }
    }
    pub fn is_not_found(&self) -> bool {
        self.code == "NOT_FOUND"
    }
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct TenantSummary {
    pub slug: String,
    pub name: String,
    /// `kreis`, `kommune` or `kreisfreie_stadt`.
    pub kind: String,
    pub parent_slug: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ViewerSummary {
    pub display_name: String,
    /// The Kommunen the person belongs to (as resident or staff), for a direct link.
    pub tenants: Vec<TenantSummary>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct LevelSummary {
    pub id: i32,
    pub key: String,
    pub name: String,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct AreaLink {
    pub id: i32,
    pub code: String,
    pub name: String,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct AreaRow {
    pub area: AreaLink,
    pub parent: Option<AreaLink>,
}

/// Base map settings; without a tile URL the map shows the boundaries alone.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct MapConfig {
    pub tile_url: Option<String>,
    pub tile_attribution: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct KommuneData {
    pub tenant: TenantSummary,
    pub parent: Option<TenantSummary>,
    pub children: Vec<TenantSummary>,
    pub levels: Vec<LevelSummary>,
    /// The level shown; `None` when the tenant has no visible level.
    pub level: Option<LevelSummary>,
    pub areas: Vec<AreaRow>,
    pub map: MapConfig,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct AreaData {
    pub area: AreaLink,
    pub level: LevelSummary,
    pub tenant: TenantSummary,
    pub parent: Option<AreaLink>,
    pub parent_level: Option<String>,
    pub children: Vec<AreaLink>,
    pub neighbours: Vec<AreaLink>,
    pub map: MapConfig,
}

/// The URL of a level's boundaries for maps.
pub fn level_geojson_url(level_id: i32) -> String {
    format!("/api/v1/levels/{level_id}/areas.geojson")
}

#[cfg(feature = "ssr")]
pub mod backend {
    //! The server implements this; pages reach it through the server functions below.
    use super::*;
    use std::sync::Arc;

    #[async_trait::async_trait]
    pub trait Backend: Send + Sync + 'static {
        async fn viewer(
            &self,
            parts: &http::request::Parts,
        ) -> Result<Option<ViewerSummary>, ApiError>;
        async fn tenants(&self) -> Result<Vec<TenantSummary>, ApiError>;
        async fn kommune(
            &self,
            parts: &http::request::Parts,
            slug: &str,
            level: Option<&str>,
        ) -> Result<KommuneData, ApiError>;
        async fn area(&self, parts: &http::request::Parts, id: i32) -> Result<AreaData, ApiError>;
    }

    pub type SharedBackend = Arc<dyn Backend>;

    pub(crate) fn get() -> Result<(SharedBackend, http::request::Parts), ServerFnError> {
        let backend =
            use_context::<SharedBackend>().ok_or_else(|| ServerFnError::new("no backend"))?;
        let parts = use_context::<http::request::Parts>()
            .ok_or_else(|| ServerFnError::new("no request"))?;
        Ok((backend, parts))
    }
}

#[server]
pub async fn get_viewer() -> Result<Option<ViewerSummary>, ServerFnError> {
    let (b, parts) = backend::get()?;
    Ok(b.viewer(&parts).await.unwrap_or(None))
}

#[server]
pub async fn get_tenants() -> Result<Result<Vec<TenantSummary>, ApiError>, ServerFnError> {
    let (b, _) = backend::get()?;
    Ok(b.tenants().await)
}

#[server]
pub async fn get_kommune(
    slug: String,
    level: Option<String>,
) -> Result<Result<KommuneData, ApiError>, ServerFnError> {
    let (b, parts) = backend::get()?;
    Ok(b.kommune(&parts, &slug, level.as_deref()).await)
}

#[server]
pub async fn get_area(id: i32) -> Result<Result<AreaData, ApiError>, ServerFnError> {
    let (b, parts) = backend::get()?;
    Ok(b.area(&parts, id).await)
}
