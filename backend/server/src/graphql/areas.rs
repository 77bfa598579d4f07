//! GraphQL types and operations of spatial units.

use super::{ctx, loaders, parse_id, tenancy::TenantNode, GqlResult};
use crate::areas::{self, entity::area_versions, Area, ImportReport, ImportRequest, Level};
use crate::kernel::error::AppError;
use async_graphql::dataloader::DataLoader;
use async_graphql::{Context, Enum, InputObject, Json, Object, Result, SimpleObject, ID};
use chrono::{DateTime, Utc};
use qn_domain::areas::{geometry_from_geojson, geometry_to_geojson, Crs, FieldMapping};
use qn_domain::tenancy::Visibility;

pub struct LevelNode(pub Level);

/// A level of spatial units of one tenant (e.g. Stadtbezirk, Stadtteil, Wohnplatz).
#[Object(name = "AreaLevel")]
impl LevelNode {
    async fn id(&self) -> ID {
        ID(self.0.id.to_string())
    }
    async fn key(&self) -> &str {
        &self.0.key
    }
    async fn name(&self) -> &str {
        &self.0.name
    }
    /// `public`, `tenant` or `shared`.
    async fn visibility(&self) -> &str {
        &self.0.visibility
    }
    async fn tenant(&self, c: &Context<'_>) -> Result<Option<TenantNode>> {
        let loader = c.data::<DataLoader<loaders::TenantLoader>>()?;
        Ok(loader
            .load_one(self.0.tenant_id)
            .await
            .map_err(loaders::err)?
            .map(TenantNode))
    }
    async fn parent_level(&self, c: &Context<'_>) -> Result<Option<LevelNode>> {
        let Some(pid) = self.0.parent_level_id else {
            return Ok(None);
        };
        let loader = c.data::<DataLoader<loaders::LevelLoader>>()?;
        Ok(loader
            .load_one(pid)
            .await
            .map_err(loaders::err)?
            .map(LevelNode))
    }
    /// The areas of this level with the boundaries valid now, or at `at`.
    #[graphql(complexity = "5 + child_complexity * 100")]
    async fn areas(&self, c: &Context<'_>, at: Option<DateTime<Utc>>) -> Result<Vec<AreaNode>> {
        let (state, rc) = ctx(c)?;
        Ok(areas::areas_of_level(&state.db, &rc.viewer, self.0.id, at)
            .await
            .gql()?
            .into_iter()
            .map(|a| AreaNode {
                area: a.area,
                version: Some(a.version),
            })
            .collect())
    }
}

pub struct AreaNode {
    pub area: Area,
    pub version: Option<area_versions::Model>,
}

impl AreaNode {
    pub fn from_area(area: Area) -> Self {
        Self::new(area)
    }

    fn new(area: Area) -> Self {
        Self {
            area,
            version: None,
        }
    }

    async fn boundary(&self, c: &Context<'_>) -> Result<Option<area_versions::Model>> {
        if let Some(v) = &self.version {
            return Ok(Some(v.clone()));
        }
        let (state, _) = ctx(c)?;
        Ok(areas::versions(&state.db, self.area.id)
            .await
            .gql()?
            .into_iter()
            .find(|v| v.valid_to.is_none()))
    }
}

/// A boundary version of an area.
#[derive(SimpleObject)]
pub struct AreaVersion {
    pub valid_from: DateTime<Utc>,
    pub valid_to: Option<DateTime<Utc>>,
    /// GeoJSON geometry (EPSG:4326).
    pub geometry: Json<serde_json::Value>,
}

/// A spatial unit (Stadtteil, Quartier, Sozialraum, Wohnplatz, …).
#[Object(name = "Area")]
impl AreaNode {
    async fn id(&self) -> ID {
        ID(self.area.id.to_string())
    }
    /// The municipality's own id of the area (e.g. the Stadtteil number).
    async fn code(&self) -> &str {
        &self.area.code
    }
    async fn name(&self) -> &str {
        &self.area.name
    }
    async fn level(&self, c: &Context<'_>) -> Result<Option<LevelNode>> {
        let loader = c.data::<DataLoader<loaders::LevelLoader>>()?;
        Ok(loader
            .load_one(self.area.level_id)
            .await
            .map_err(loaders::err)?
            .map(LevelNode))
    }
    async fn tenant(&self, c: &Context<'_>) -> Result<Option<TenantNode>> {
        let loader = c.data::<DataLoader<loaders::TenantLoader>>()?;
        Ok(loader
            .load_one(self.area.tenant_id)
            .await
            .map_err(loaders::err)?
            .map(TenantNode))
    }
    async fn parent(&self, c: &Context<'_>) -> Result<Option<AreaNode>> {
        let Some(pid) = self.area.parent_id else {
            return Ok(None);
        };
        let loader = c.data::<DataLoader<loaders::AreaLoader>>()?;
        Ok(loader
            .load_one(pid)
            .await
            .map_err(loaders::err)?
            .map(AreaNode::new))
    }
    #[graphql(complexity = "5 + child_complexity * 10")]
    async fn children(&self, c: &Context<'_>) -> Result<Vec<AreaNode>> {
        let (state, rc) = ctx(c)?;
        Ok(areas::children(&state.db, &rc.viewer, self.area.id)
            .await
            .gql()?
            .into_iter()
            .map(AreaNode::new)
            .collect())
    }
    /// Areas of the same level sharing a boundary with this one.
    #[graphql(complexity = "5 + child_complexity * 10")]
    async fn neighbours(&self, c: &Context<'_>) -> Result<Vec<AreaNode>> {
        let (state, rc) = ctx(c)?;
        Ok(areas::neighbours(state, &rc.viewer, self.area.id)
            .await
            .gql()?
            .into_iter()
            .map(AreaNode::new)
            .collect())
    }
    /// The boundary as a GeoJSON geometry; `simplify` is a tolerance in degrees
    /// (0.0001 ≈ 10 m) for lighter maps.
    async fn geometry(
        &self,
        c: &Context<'_>,
        simplify: Option<f64>,
    ) -> Result<Option<Json<serde_json::Value>>> {
        if simplify.is_some_and(|s| !(0.0..=1.0).contains(&s)) {
            return Err(super::gql(AppError::Validation(
                "simplify muss zwischen 0 und 1 liegen".into(),
            )));
        }
        let Some(v) = self.boundary(c).await? else {
            return Ok(None);
        };
        let g = geometry_from_geojson(&v.geometry)
            .map_err(|e| super::gql(AppError::Internal(e.into())))?;
        Ok(Some(Json(geometry_to_geojson(&g, simplify))))
    }
    async fn valid_from(&self, c: &Context<'_>) -> Result<Option<DateTime<Utc>>> {
        Ok(self.boundary(c).await?.map(|v| v.valid_from))
    }
    async fn valid_to(&self, c: &Context<'_>) -> Result<Option<DateTime<Utc>>> {
        Ok(self.boundary(c).await?.and_then(|v| v.valid_to))
    }
    /// Every boundary this area has had, newest first.
    #[graphql(complexity = "5 + child_complexity * 5")]
    async fn versions(&self, c: &Context<'_>) -> Result<Vec<AreaVersion>> {
        let (state, _) = ctx(c)?;
        areas::versions(&state.db, self.area.id)
            .await
            .gql()?
            .into_iter()
            .map(|v| {
                let value = serde_json::from_str(&v.geometry)
                    .map_err(|e| super::gql(AppError::internal(e)))?;
                Ok(AreaVersion {
                    valid_from: v.valid_from,
                    valid_to: v.valid_to,
                    geometry: Json(value),
                })
            })
            .collect()
    }
}

#[derive(Default)]
pub struct AreasQuery;

#[Object]
impl AreasQuery {
    /// The visible area levels of a tenant.
    async fn levels(&self, c: &Context<'_>, tenant: String) -> Result<Vec<LevelNode>> {
        let (state, rc) = ctx(c)?;
        let t = crate::tenancy::by_slug(&state.db, &tenant).await.gql()?;
        Ok(areas::levels(&state.db, &rc.viewer, t.id)
            .await
            .gql()?
            .into_iter()
            .map(LevelNode)
            .collect())
    }
    /// The areas of a level, with boundaries valid now or at `at`.
    #[graphql(complexity = "5 + child_complexity * 100")]
    async fn areas(
        &self,
        c: &Context<'_>,
        level_id: ID,
        at: Option<DateTime<Utc>>,
    ) -> Result<Vec<AreaNode>> {
        let (state, rc) = ctx(c)?;
        Ok(
            areas::areas_of_level(&state.db, &rc.viewer, parse_id(&level_id)?, at)
                .await
                .gql()?
                .into_iter()
                .map(|a| AreaNode {
                    area: a.area,
                    version: Some(a.version),
                })
                .collect(),
        )
    }
    async fn area(&self, c: &Context<'_>, id: ID) -> Result<Option<AreaNode>> {
        let (state, rc) = ctx(c)?;
        match areas::by_id(&state.db, &rc.viewer, parse_id(&id)?).await {
            Ok(a) => Ok(Some(AreaNode::new(a))),
            Err(AppError::NotFound) => Ok(None),
            Err(e) => Err(super::gql(e)),
        }
    }
    /// The visible areas containing the point (EPSG:4326), at every level, top level first.
    #[graphql(complexity = "5 + child_complexity * 5")]
    async fn area_at(&self, c: &Context<'_>, lon: f64, lat: f64) -> Result<Vec<AreaNode>> {
        let (state, rc) = ctx(c)?;
        Ok(areas::at_point(state, &rc.viewer, lon, lat)
            .await
            .gql()?
            .into_iter()
            .map(AreaNode::new)
            .collect())
    }
    /// Where a typed address lies ("Kalker Hauptstraße 120, 51103 Köln"), from the tenant's
    /// address register, else the configured geocoder: a form shows the point and the Quartier
    /// before anything is saved. `null` when there is neither. Errors: `ADDRESS_UNKNOWN`,
    /// `ADDRESS_AMBIGUOUS` (the places it could be), `OUTSIDE_AREAS`, `ADDRESS_LOOKUP_FAILED`.
    #[graphql(complexity = "5 + child_complexity * 5")]
    async fn locate_address(
        &self,
        c: &Context<'_>,
        tenant: String,
        address: String,
    ) -> Result<Option<LocatedAddress>> {
        let (state, rc) = ctx(c)?;
        if address.chars().count() > 200 {
            return Err(super::gql(AppError::Validation(
                "Die Adresse ist zu lang (höchstens 200 Zeichen).".into(),
            )));
        }
        let t = crate::tenancy::by_slug(&state.db, &tenant).await.gql()?;
        Ok(
            crate::areas::addresses::find(state, &rc.viewer, t.id, &address)
                .await
                .gql()?
                .map(|f| LocatedAddress {
                    lon: f.point.lon,
                    lat: f.point.lat,
                    areas: f.areas.into_iter().map(AreaNode::new).collect(),
                }),
        )
    }
}

/// A house of the address register and the areas it lies in, top level first.
#[derive(SimpleObject)]
pub struct LocatedAddress {
    pub lon: f64,
    pub lat: f64,
    pub areas: Vec<AreaNode>,
}

#[derive(Enum, Copy, Clone, Eq, PartialEq)]
#[graphql(name = "Visibility")]
pub enum VisibilityGql {
    Public,
    Tenant,
    Shared,
}

impl From<VisibilityGql> for Visibility {
    fn from(v: VisibilityGql) -> Self {
        match v {
            VisibilityGql::Public => Visibility::Public,
            VisibilityGql::Tenant => Visibility::Tenant,
            VisibilityGql::Shared => Visibility::Shared,
        }
    }
}

/// Import of one level of areas from a GeoJSON FeatureCollection.
#[derive(InputObject)]
pub struct ImportAreasInput {
    /// Slug of the tenant that owns the areas.
    pub tenant: String,
    /// Key of the level (created when new), e.g. `stadtteil`.
    pub level_key: String,
    pub level_name: String,
    /// Key of the level above, whose areas the parent property refers to.
    pub parent_level_key: Option<String>,
    /// Who may see the level. A new level is `TENANT` unless given; a re-import keeps the
    /// level's visibility (and shares) unless given.
    pub visibility: Option<VisibilityGql>,
    /// Slugs of tenants that may see a `SHARED` level.
    #[graphql(default)]
    pub shared_with: Vec<String>,
    pub id_property: String,
    pub name_property: String,
    pub parent_property: Option<String>,
    /// `EPSG:4326`, `EPSG:25832` or `EPSG:25833`; defaults to the file's `crs` member, else 4326.
    pub crs: Option<String>,
    /// The FeatureCollection as text.
    pub geojson: String,
    /// Only validate; store nothing.
    #[graphql(default)]
    pub dry_run: bool,
}

/// One problem in an import file.
#[derive(SimpleObject)]
pub struct ImportProblemGql {
    /// 1-based feature number; null for problems of the whole file.
    pub feature: Option<i32>,
    /// Stable code, e.g. `UNCLOSED_RING`, `DUPLICATE_ID`, `UNKNOWN_PARENT`, `WRONG_CRS`.
    pub code: String,
    pub message: String,
}

/// The outcome of an import; with problems, nothing was stored.
#[derive(SimpleObject)]
#[graphql(name = "ImportReport")]
pub struct ImportReportGql {
    pub applied: bool,
    pub level: Option<LevelNode>,
    pub created: i32,
    pub changed: i32,
    pub unchanged: i32,
    pub retired: i32,
    pub problems: Vec<ImportProblemGql>,
    /// Steps after a stored import that failed (`area_index`, `board_posts`,
    /// `directory_entries`, `search`); the import stands, and each step runs again at the next
    /// import (the area index and search also at the next start). Empty when all went well.
    pub unsettled: Vec<String>,
}

fn count(n: usize) -> i32 {
    i32::try_from(n).unwrap_or(i32::MAX)
}

/// One pair of a tenant's postcode table.
#[derive(SimpleObject)]
pub struct PostcodeArea {
    pub postcode: String,
    pub area_id: ID,
    pub area_name: String,
}

#[derive(Default)]
pub struct AreasMutation;

#[Object]
impl AreasMutation {
    /// Replaces a tenant's postcode table (residents name their Quartier by postcode in
    /// surveys) with `csv` rows `plz;gebiet` (area code or unique name). Every broken row is
    /// reported and nothing changes unless all are usable. Planners and admins only.
    #[graphql(complexity = "super::HEAVY")]
    async fn replace_postcodes(
        &self,
        c: &Context<'_>,
        tenant: String,
        csv: String,
    ) -> Result<Vec<PostcodeArea>> {
        let (state, rc) = ctx(c)?;
        let t = crate::tenancy::by_slug(&state.db, &tenant).await.gql()?;
        areas::postcodes::replace(&state.db, &rc.viewer, t.id, &csv)
            .await
            .gql()?;
        Ok(areas::postcodes::entries(&state.db, &rc.viewer, t.id)
            .await
            .gql()?
            .into_iter()
            .map(|e| PostcodeArea {
                postcode: e.postcode,
                area_id: ID(e.area_id.to_string()),
                area_name: e.area_name,
            })
            .collect())
    }

    /// Imports (or re-imports) a level of areas; planners and admins of the tenant only.
    #[graphql(complexity = "super::HEAVY")]
    async fn import_areas(
        &self,
        c: &Context<'_>,
        input: ImportAreasInput,
    ) -> Result<ImportReportGql> {
        let (state, rc) = ctx(c)?;
        let tenant = crate::tenancy::by_slug(&state.db, &input.tenant)
            .await
            .gql()?;
        let crs = match input.crs.as_deref() {
            Some(name) => Some(Crs::parse(name).ok_or_else(|| {
                super::gql(AppError::Validation(format!(
                    "nicht unterstütztes Koordinatensystem {name}"
                )))
            })?),
            None => None,
        };
        let mut shared_with = Vec::new();
        for slug in &input.shared_with {
            shared_with.push(crate::tenancy::by_slug(&state.db, slug).await.gql()?.id);
        }
        let report: ImportReport = crate::flows::boundaries::import(
            state,
            &rc.viewer,
            ImportRequest {
                tenant_id: tenant.id,
                level_key: input.level_key,
                level_name: input.level_name,
                parent_level_key: input.parent_level_key,
                visibility: input.visibility.map(Into::into),
                shared_with,
                mapping: FieldMapping {
                    id: input.id_property,
                    name: input.name_property,
                    parent: input.parent_property,
                },
                crs,
                geojson: input.geojson,
                dry_run: input.dry_run,
            },
        )
        .await
        .gql()?;
        let level = match report.level_id {
            Some(id) => Some(LevelNode(
                areas::level(&state.db, &rc.viewer, id).await.gql()?,
            )),
            None => None,
        };
        Ok(ImportReportGql {
            applied: report.applied,
            level,
            created: count(report.created),
            changed: count(report.changed),
            unchanged: count(report.unchanged),
            retired: count(report.retired),
            problems: report
                .problems
                .iter()
                .map(|p| ImportProblemGql {
                    feature: p.feature.map(count),
                    code: p.problem.code().to_owned(),
                    message: p.problem.to_string(),
                })
                .collect(),
            unsettled: report.unsettled,
        })
    }
}
