//! The data the pages read, implemented on the domain services (the `qn_app::api::backend`
//! trait), so pages and GraphQL share one path to the database and one visibility rule.

use super::{board_pages, directory_pages, indicator_pages, member_pages, survey_pages};
use crate::accounts;
use crate::areas::{self, Area};
use crate::indicators::maps::MapSource;
use crate::kernel::error::AppError;
use crate::kernel::state::AppState;
use crate::kernel::viewer::Viewer;
use crate::tenancy::{self, Tenant};
use axum::http::request::Parts;
use qn_app::api::{
    backend::Backend, AccountData, AccountMembership, ActorFormData, ActorPageData, AddressProbe,
    AddressesData, ApiError, AreaData, AreaLink, AreaRow, BoardArgs, BoardData, BoardsData,
    CategoriesData, ChoroplethData, DirectoryImportData, ImportPageData, IndicatorsData,
    InvitationData, KommuneData, LevelSummary, MapArgs, MapConfig, MembersData, ModerationData,
    OfferFormData, OfferPageData, OfferSearchArgs, OfferSearchData, PostData, PostcodeEntry,
    PostcodesData, ProviderData, ReviewData, SurveyManageData, SurveyResultsData, SurveyReviewData,
    SurveySectionData, SurveyStartData, SurveyTextsData, SurveyThanksData, SurveysData,
    TenantSummary, ViewerSummary,
};
use qn_domain::directory::EntryError;
use std::collections::HashMap;

mod places;

pub struct WebBackend {
    pub state: AppState,
}

/// Internal errors are logged (by `public_message`) and reach the page only as their code.
fn api_error(e: AppError) -> ApiError {
    let _ = e.public_message();
    ApiError::new(e.detail_code())
}

fn link(a: &Area) -> AreaLink {
    AreaLink {
        id: a.id,
        code: a.code.clone(),
        name: a.name.clone(),
    }
}

fn summary(t: &Tenant, all: &HashMap<i32, Tenant>) -> TenantSummary {
    TenantSummary {
        slug: t.slug.clone(),
        name: t.name.clone(),
        kind: t.kind.clone(),
        parent_slug: t
            .parent_id
            .and_then(|p| all.get(&p))
            .map(|p| p.slug.clone()),
    }
}

impl WebBackend {
    async fn viewer_of(&self, parts: &Parts) -> Result<Viewer, AppError> {
        // The page's parts are a copy: the lookup is not kept for the next call.
        super::viewer_of_parts(&mut parts.clone(), &self.state).await
    }

    fn map_config(&self) -> MapConfig {
        MapConfig {
            tile_url: self.state.settings.tile_url.clone(),
            tile_attribution: self.state.settings.tile_attribution.clone(),
        }
    }

    async fn all_tenants(&self) -> Result<HashMap<i32, Tenant>, AppError> {
        Ok(tenancy::list(&self.state.db)
            .await?
            .into_iter()
            .map(|t| (t.id, t))
            .collect())
    }
}

#[async_trait::async_trait]
impl Backend for WebBackend {
    async fn viewer(&self, parts: &Parts) -> Result<Option<ViewerSummary>, ApiError> {
        let v = self.viewer_of(parts).await.map_err(api_error)?;
        let Some(user) = v.user else { return Ok(None) };
        let all = self.all_tenants().await.map_err(api_error)?;
        let mut ids: Vec<i32> = v.memberships.iter().map(|(t, _)| *t).collect();
        ids.sort_unstable();
        ids.dedup();
        Ok(Some(ViewerSummary {
            display_name: user.display_name,
            tenants: ids
                .iter()
                .filter_map(|id| all.get(id))
                .map(|t| summary(t, &all))
                .collect(),
        }))
    }

    async fn account(&self, parts: &Parts) -> Result<AccountData, ApiError> {
        let v = self.viewer_of(parts).await.map_err(api_error)?;
        let user = v.user.ok_or_else(|| ApiError::new("UNAUTHENTICATED"))?;
        let o = crate::flows::personal_data::overview(&self.state.db, &user)
            .await
            .map_err(api_error)?;
        Ok(AccountData {
            email: o.email,
            display_name: o.display_name,
            since: o.created_at.format("%d.%m.%Y").to_string(),
            memberships: o
                .memberships
                .into_iter()
                .map(|(slug, kommune, role)| AccountMembership {
                    slug,
                    kommune,
                    role: role.as_str().to_owned(),
                })
                .collect(),
            counts: o.counts,
        })
    }

    fn notice_is_genuine(&self, code: &str, text: &str, signature: &str) -> bool {
        self.state.signer.verify(code, text, signature)
    }

    async fn tenants(&self) -> Result<Vec<TenantSummary>, ApiError> {
        let list = tenancy::list(&self.state.db).await.map_err(api_error)?;
        let all: HashMap<i32, Tenant> = list.iter().map(|t| (t.id, t.clone())).collect();
        Ok(list.iter().map(|t| summary(t, &all)).collect())
    }

    async fn kommune(
        &self,
        parts: &Parts,
        slug: &str,
        level: Option<&str>,
    ) -> Result<KommuneData, ApiError> {
        self.kommune_page(parts, slug, level).await
    }

    async fn area(&self, parts: &Parts, id: i32) -> Result<AreaData, ApiError> {
        self.area_page(parts, id).await
    }

    async fn indicators(&self, parts: &Parts, slug: &str) -> Result<IndicatorsData, ApiError> {
        let viewer = self.viewer_of(parts).await.map_err(api_error)?;
        let all = self.all_tenants().await.map_err(api_error)?;
        let tenant = all
            .values()
            .find(|t| t.slug == slug)
            .ok_or(ApiError::new("NOT_FOUND"))?;
        indicator_pages::catalogue(&self.state, &viewer, tenant, summary(tenant, &all))
            .await
            .map_err(api_error)
    }

    async fn indicator_map(
        &self,
        parts: &Parts,
        id: i32,
        args: MapArgs,
    ) -> Result<ChoroplethData, ApiError> {
        self.choropleth(parts, MapSource::Indicator(id), args).await
    }

    async fn index_map(
        &self,
        parts: &Parts,
        id: i32,
        args: MapArgs,
    ) -> Result<ChoroplethData, ApiError> {
        self.choropleth(parts, MapSource::Index(id), args).await
    }

    async fn import_page(
        &self,
        parts: &Parts,
        slug: &str,
        draft: Option<i32>,
    ) -> Result<ImportPageData, ApiError> {
        let viewer = self.viewer_of(parts).await.map_err(api_error)?;
        let all = self.all_tenants().await.map_err(api_error)?;
        let tenant = all
            .values()
            .find(|t| t.slug == slug)
            .ok_or(ApiError::new("NOT_FOUND"))?;
        indicator_pages::import_page(&self.state, &viewer, tenant, summary(tenant, &all), draft)
            .await
            .map_err(api_error)
    }

    async fn boards_page(&self, parts: &Parts, slug: &str) -> Result<BoardsData, ApiError> {
        let (viewer, tenant, sum) = self.kommune(parts, slug).await?;
        board_pages::boards_page(&self.state, &viewer, &tenant, sum)
            .await
            .map_err(api_error)
    }

    async fn board_page(
        &self,
        parts: &Parts,
        id: i32,
        args: BoardArgs,
    ) -> Result<BoardData, ApiError> {
        let viewer = self.viewer_of(parts).await.map_err(api_error)?;
        let all = self.all_tenants().await.map_err(api_error)?;
        board_pages::board_page(&self.state, &viewer, id, args, self.map_config(), |t| {
            all.get(&t).map(|t| summary(t, &all))
        })
        .await
        .map_err(api_error)
    }

    async fn post_page(&self, parts: &Parts, id: i32) -> Result<PostData, ApiError> {
        let viewer = self.viewer_of(parts).await.map_err(api_error)?;
        let all = self.all_tenants().await.map_err(api_error)?;
        let device = super::DeviceCookie::from_headers(&parts.headers).for_reading(&viewer);
        let participant = crate::boards::Participant {
            viewer: &viewer,
            device: device.as_deref(),
        };
        board_pages::post_page(&self.state, participant, id, self.map_config(), |t| {
            all.get(&t).map(|t| summary(t, &all))
        })
        .await
        .map_err(api_error)
    }

    async fn moderation_page(
        &self,
        parts: &Parts,
        slug: &str,
        page: u64,
    ) -> Result<ModerationData, ApiError> {
        let (viewer, tenant, sum) = self.kommune(parts, slug).await?;
        board_pages::moderation_page(&self.state, &viewer, &tenant, sum, page)
            .await
            .map_err(api_error)
    }

    async fn offer_search(
        &self,
        parts: &Parts,
        slug: &str,
        args: OfferSearchArgs,
    ) -> Result<OfferSearchData, ApiError> {
        let (viewer, tenant, sum) = self.kommune(parts, slug).await?;
        directory_pages::search_page(&self.state, &viewer, &tenant, sum, args, self.map_config())
            .await
            .map_err(api_error)
    }

    async fn offer_page(&self, parts: &Parts, id: i32) -> Result<OfferPageData, ApiError> {
        let viewer = self.viewer_of(parts).await.map_err(api_error)?;
        let all = self.all_tenants().await.map_err(api_error)?;
        directory_pages::offer_page(
            &self.state,
            &viewer,
            id,
            |t| all.get(&t).map(|t| summary(t, &all)),
            self.map_config(),
        )
        .await
        .map_err(api_error)
    }

    async fn actor_page(&self, parts: &Parts, id: i32) -> Result<ActorPageData, ApiError> {
        let viewer = self.viewer_of(parts).await.map_err(api_error)?;
        let all = self.all_tenants().await.map_err(api_error)?;
        directory_pages::actor_page(&self.state, &viewer, id, |t| {
            all.get(&t).map(|t| summary(t, &all))
        })
        .await
        .map_err(api_error)
    }

    async fn provider_page(
        &self,
        parts: &Parts,
        slug: &str,
        draft: Option<String>,
    ) -> Result<ProviderData, ApiError> {
        let (viewer, tenant, sum) = self.kommune(parts, slug).await?;
        directory_pages::provider_page(&self.state, &viewer, &tenant, sum, draft, self.map_config())
            .await
            .map_err(api_error)
    }

    async fn actor_form(
        &self,
        parts: &Parts,
        id: i32,
        draft: Option<String>,
    ) -> Result<ActorFormData, ApiError> {
        let viewer = self.viewer_of(parts).await.map_err(api_error)?;
        let all = self.all_tenants().await.map_err(api_error)?;
        directory_pages::actor_form(
            &self.state,
            &viewer,
            id,
            draft,
            |t| all.get(&t).map(|t| summary(t, &all)),
            self.map_config(),
        )
        .await
        .map_err(api_error)
    }

    async fn offer_form(
        &self,
        parts: &Parts,
        actor_id: Option<i32>,
        offer_id: Option<i32>,
        draft: Option<String>,
    ) -> Result<OfferFormData, ApiError> {
        let viewer = self.viewer_of(parts).await.map_err(api_error)?;
        let all = self.all_tenants().await.map_err(api_error)?;
        directory_pages::offer_form(
            &self.state,
            &viewer,
            actor_id,
            offer_id,
            draft,
            |t| all.get(&t).map(|t| summary(t, &all)),
            self.map_config(),
        )
        .await
        .map_err(api_error)
    }

    async fn review_page(
        &self,
        parts: &Parts,
        slug: &str,
        page: u64,
    ) -> Result<ReviewData, ApiError> {
        let (viewer, tenant, sum) = self.kommune(parts, slug).await?;
        directory_pages::review_page(&self.state, &viewer, &tenant, sum, page)
            .await
            .map_err(api_error)
    }

    async fn directory_import_page(
        &self,
        parts: &Parts,
        slug: &str,
    ) -> Result<DirectoryImportData, ApiError> {
        let (viewer, tenant, sum) = self.kommune(parts, slug).await?;
        directory_pages::import_page(&self.state, &viewer, &tenant, sum)
            .await
            .map_err(api_error)
    }

    async fn categories_page(&self, parts: &Parts, slug: &str) -> Result<CategoriesData, ApiError> {
        let (viewer, tenant, sum) = self.kommune(parts, slug).await?;
        directory_pages::categories_page(&self.state, &viewer, &tenant, sum)
            .await
            .map_err(api_error)
    }

    async fn surveys_page(&self, parts: &Parts, slug: &str) -> Result<SurveysData, ApiError> {
        let (viewer, tenant, sum) = self.kommune(parts, slug).await?;
        survey_pages::surveys_page(&self.state, &viewer, &tenant, sum)
            .await
            .map_err(api_error)
    }

    async fn members_page(&self, parts: &Parts, slug: &str) -> Result<MembersData, ApiError> {
        let (viewer, tenant, sum) = self.kommune(parts, slug).await?;
        member_pages::members_page(&self.state, &viewer, &tenant, sum)
            .await
            .map_err(api_error)
    }

    async fn invitation(&self, token: &str) -> Result<InvitationData, ApiError> {
        let (inv, tenant) = accounts::members::invitation(&self.state.db, token)
            .await
            .map_err(api_error)?;
        Ok(InvitationData {
            tenant_name: tenant.name,
            email: inv.email,
            role: inv.role,
        })
    }

    async fn addresses_page(
        &self,
        parts: &Parts,
        slug: &str,
        probe: &str,
    ) -> Result<AddressesData, ApiError> {
        self.addresses_data(parts, slug, probe).await
    }

    async fn postcodes_page(&self, parts: &Parts, slug: &str) -> Result<PostcodesData, ApiError> {
        let (viewer, tenant, sum) = self.kommune(parts, slug).await?;
        let entries = crate::areas::postcodes::entries(&self.state.db, &viewer, tenant.id)
            .await
            .map_err(api_error)?;
        Ok(PostcodesData {
            tenant: sum,
            entries: entries
                .into_iter()
                .map(|e| PostcodeEntry {
                    postcode: e.postcode,
                    area: AreaLink {
                        id: e.area_id,
                        code: e.area_code,
                        name: e.area_name,
                    },
                })
                .collect(),
        })
    }

    async fn survey_start(
        &self,
        parts: &Parts,
        id: i32,
        lang: Option<String>,
    ) -> Result<SurveyStartData, ApiError> {
        let viewer = self.viewer_of(parts).await.map_err(api_error)?;
        let all = self.all_tenants().await.map_err(api_error)?;
        let device = super::DeviceCookie::from_headers(&parts.headers).for_reading(&viewer);
        survey_pages::start(
            &self.state,
            &viewer,
            &parts.headers,
            device.as_deref(),
            id,
            lang,
            |t| all.get(&t).map(|t| summary(t, &all)),
        )
        .await
        .map_err(api_error)
    }

    async fn survey_section(
        &self,
        parts: &Parts,
        id: i32,
        number: usize,
    ) -> Result<SurveySectionData, ApiError> {
        let viewer = self.viewer_of(parts).await.map_err(api_error)?;
        let all = self.all_tenants().await.map_err(api_error)?;
        survey_pages::section(
            &self.state,
            &viewer,
            &parts.headers,
            id,
            number,
            self.map_config(),
            |t| all.get(&t).map(|t| summary(t, &all)),
        )
        .await
        .map_err(api_error)
    }

    async fn survey_review(&self, parts: &Parts, id: i32) -> Result<SurveyReviewData, ApiError> {
        let viewer = self.viewer_of(parts).await.map_err(api_error)?;
        let all = self.all_tenants().await.map_err(api_error)?;
        survey_pages::review(&self.state, &viewer, &parts.headers, id, |t| {
            all.get(&t).map(|t| summary(t, &all))
        })
        .await
        .map_err(api_error)
    }

    async fn survey_thanks(
        &self,
        parts: &Parts,
        id: i32,
        lang: Option<String>,
    ) -> Result<SurveyThanksData, ApiError> {
        let viewer = self.viewer_of(parts).await.map_err(api_error)?;
        let all = self.all_tenants().await.map_err(api_error)?;
        survey_pages::thanks(&self.state, &viewer, id, lang, |t| {
            all.get(&t).map(|t| summary(t, &all))
        })
        .await
        .map_err(api_error)
    }

    async fn survey_results(&self, parts: &Parts, id: i32) -> Result<SurveyResultsData, ApiError> {
        let viewer = self.viewer_of(parts).await.map_err(api_error)?;
        let all = self.all_tenants().await.map_err(api_error)?;
        survey_pages::results(&self.state, &viewer, id, |t| {
            all.get(&t).map(|t| summary(t, &all))
        })
        .await
        .map_err(api_error)
    }

    async fn survey_manage(&self, parts: &Parts, id: i32) -> Result<SurveyManageData, ApiError> {
        let viewer = self.viewer_of(parts).await.map_err(api_error)?;
        let all = self.all_tenants().await.map_err(api_error)?;
        survey_pages::manage(&self.state, &viewer, id, |t| {
            all.get(&t).map(|t| summary(t, &all))
        })
        .await
        .map_err(api_error)
    }

    async fn survey_texts(
        &self,
        parts: &Parts,
        id: i32,
        lang: Option<String>,
    ) -> Result<SurveyTextsData, ApiError> {
        let viewer = self.viewer_of(parts).await.map_err(api_error)?;
        let all = self.all_tenants().await.map_err(api_error)?;
        survey_pages::texts(&self.state, &viewer, id, lang, |t| {
            all.get(&t).map(|t| summary(t, &all))
        })
        .await
        .map_err(api_error)
    }
}

impl WebBackend {
    /// The viewer and the Kommune of a page under `/kommune/{slug}`.
    async fn kommune(
        &self,
        parts: &Parts,
        slug: &str,
    ) -> Result<(Viewer, Tenant, TenantSummary), ApiError> {
        let viewer = self.viewer_of(parts).await.map_err(api_error)?;
        let (tenant, sum) = self.tenant_by_slug(slug).await?;
        Ok((viewer, tenant, sum))
    }

    async fn tenant_by_slug(&self, slug: &str) -> Result<(Tenant, TenantSummary), ApiError> {
        let all = self.all_tenants().await.map_err(api_error)?;
        let tenant = all
            .values()
            .find(|t| t.slug == slug)
            .ok_or(ApiError::new("NOT_FOUND"))?;
        Ok((tenant.clone(), summary(tenant, &all)))
    }

    async fn choropleth(
        &self,
        parts: &Parts,
        source: MapSource,
        args: MapArgs,
    ) -> Result<ChoroplethData, ApiError> {
        let viewer = self.viewer_of(parts).await.map_err(api_error)?;
        let all = self.all_tenants().await.map_err(api_error)?;
        indicator_pages::choropleth(
            &self.state,
            &viewer,
            source,
            args,
            |id| all.get(&id).map(|t| summary(t, &all)),
            self.map_config(),
        )
        .await
        .map_err(api_error)
    }
}
