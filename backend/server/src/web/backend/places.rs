//! The pages of a place: a Kommune with its levels and areas, an area with everything shown on
//! it, and the address register's page.

use super::*;

impl WebBackend {
    pub(super) async fn kommune_page(
        &self,
        parts: &Parts,
        slug: &str,
        level: Option<&str>,
    ) -> Result<KommuneData, ApiError> {
        let db = &self.state.db;
        let viewer = self.viewer_of(parts).await.map_err(api_error)?;
        let all = self.all_tenants().await.map_err(api_error)?;
        let tenant = all
            .values()
            .find(|t| t.slug == slug)
            .cloned()
            .ok_or(ApiError::new("NOT_FOUND"))?;
        let levels = areas::levels(db, &viewer, tenant.id)
            .await
            .map_err(api_error)?;
        // The requested level, else the finest one (Quartiere are what people look for).
        let chosen = level
            .and_then(|k| levels.iter().find(|l| l.key == k))
            .or_else(|| levels.last())
            .cloned();
        let mut rows = Vec::new();
        if let Some(l) = &chosen {
            let list = areas::areas_of_level(db, &viewer, l.id, None)
                .await
                .map_err(api_error)?;
            let parent_ids: Vec<i32> = list.iter().filter_map(|a| a.area.parent_id).collect();
            let parents: HashMap<i32, Area> = areas::by_ids(db, &viewer, &parent_ids)
                .await
                .map_err(api_error)?
                .into_iter()
                .map(|a| (a.id, a))
                .collect();
            rows = list
                .iter()
                .map(|a| AreaRow {
                    area: link(&a.area),
                    parent: a.area.parent_id.and_then(|p| parents.get(&p)).map(link),
                })
                .collect();
        }
        let mut children: Vec<TenantSummary> = all
            .values()
            .filter(|t| t.parent_id == Some(tenant.id))
            .map(|t| summary(t, &all))
            .collect();
        children.sort_by(|a, b| a.name.cmp(&b.name));
        let lsum = |l: &areas::Level| LevelSummary {
            id: l.id,
            key: l.key.clone(),
            name: l.name.clone(),
        };
        Ok(KommuneData {
            parent: tenant
                .parent_id
                .and_then(|p| all.get(&p))
                .map(|p| summary(p, &all)),
            tenant: summary(&tenant, &all),
            children,
            levels: levels.iter().map(lsum).collect(),
            level: chosen.as_ref().map(lsum),
            areas: rows,
            map: self.map_config(),
            administer: accounts::members::administers(&viewer, &tenant),
        })
    }

    pub(super) async fn area_page(&self, parts: &Parts, id: i32) -> Result<AreaData, ApiError> {
        let db = &self.state.db;
        let viewer = self.viewer_of(parts).await.map_err(api_error)?;
        let area = areas::by_id(db, &viewer, id).await.map_err(api_error)?;
        let level = areas::level(db, &viewer, area.level_id)
            .await
            .map_err(api_error)?;
        let all = self.all_tenants().await.map_err(api_error)?;
        let tenant = all.get(&area.tenant_id).ok_or(ApiError::new("NOT_FOUND"))?;
        let parent = match area.parent_id {
            Some(p) => areas::by_ids(db, &viewer, &[p])
                .await
                .map_err(api_error)?
                .pop(),
            None => None,
        };
        let parent_level = match &parent {
            Some(p) => areas::level(db, &viewer, p.level_id)
                .await
                .ok()
                .map(|l| l.name),
            None => None,
        };
        let children = areas::children(db, &viewer, area.id)
            .await
            .map_err(api_error)?;
        let neighbours = areas::neighbours(&self.state, &viewer, area.id)
            .await
            .map_err(api_error)?;
        let (profile, strengths, weaknesses) =
            indicator_pages::profile_lines(&self.state, &viewer, area.id)
                .await
                .map_err(api_error)?;
        Ok(AreaData {
            area: link(&area),
            level: LevelSummary {
                id: level.id,
                key: level.key,
                name: level.name,
            },
            tenant: summary(tenant, &all),
            parent: parent.as_ref().map(link),
            parent_level,
            children: children.iter().map(link).collect(),
            neighbours: neighbours.iter().map(link).collect(),
            map: self.map_config(),
            profile,
            strengths,
            weaknesses,
            boards: board_pages::area_boards(&self.state, &viewer, area.id)
                .await
                .map_err(api_error)?,
            surveys: crate::surveys::open_for_area(&self.state.db, area.id)
                .await
                .map_err(api_error)?
                .iter()
                .map(|s| survey_pages::card(s, None))
                .collect(),
            offers: directory_pages::area_offers(&self.state, area.id)
                .await
                .map_err(api_error)?,
        })
    }

    pub(super) async fn addresses_data(
        &self,
        parts: &Parts,
        slug: &str,
        probe: &str,
    ) -> Result<AddressesData, ApiError> {
        use crate::areas::addresses;
        let viewer = self.viewer_of(parts).await.map_err(api_error)?;
        let (tenant, sum) = self.tenant_by_slug(slug).await?;
        let db = &self.state.db;
        let houses = addresses::size(db, &viewer, tenant.id)
            .await
            .map_err(api_error)?;
        let probe = match probe.trim() {
            "" => None,
            typed => {
                let found = match addresses::find(&self.state, &viewer, tenant.id, typed).await {
                    Ok(Some(f)) => Ok((
                        f.point.lon,
                        f.point.lat,
                        f.areas
                            .into_iter()
                            .map(|a| AreaLink {
                                id: a.id,
                                code: a.code,
                                name: a.name,
                            })
                            .collect(),
                    )),
                    Ok(None) => Err(EntryError::NoCoordinates.german()),
                    Err(AppError::Entry(list)) => {
                        Err(list.first().map(EntryError::german).unwrap_or_default())
                    }
                    Err(e) => return Err(api_error(e)),
                };
                Some(AddressProbe {
                    typed: typed.to_owned(),
                    found,
                })
            }
        };
        Ok(AddressesData {
            tenant: sum,
            houses,
            probe,
        })
    }
}
