//! The server implements this; pages reach it through the server functions in `api.rs`.

use super::*;
use std::sync::Arc;

#[async_trait::async_trait]
pub trait Backend: Send + Sync + 'static {
    async fn viewer(&self, parts: &http::request::Parts)
        -> Result<Option<ViewerSummary>, ApiError>;
    async fn tenants(&self) -> Result<Vec<TenantSummary>, ApiError>;
    /// Whether `signature` is the server's signature of a form's detail text for `code`.
    fn notice_is_genuine(&self, code: &str, text: &str, signature: &str) -> bool;
    async fn account(&self, parts: &http::request::Parts) -> Result<AccountData, ApiError>;
    async fn kommune(
        &self,
        parts: &http::request::Parts,
        slug: &str,
        level: Option<&str>,
    ) -> Result<KommuneData, ApiError>;
    async fn area(&self, parts: &http::request::Parts, id: i32) -> Result<AreaData, ApiError>;
    async fn indicators(
        &self,
        parts: &http::request::Parts,
        slug: &str,
    ) -> Result<IndicatorsData, ApiError>;
    async fn indicator_map(
        &self,
        parts: &http::request::Parts,
        id: i32,
        args: MapArgs,
    ) -> Result<ChoroplethData, ApiError>;
    async fn index_map(
        &self,
        parts: &http::request::Parts,
        id: i32,
        args: MapArgs,
    ) -> Result<ChoroplethData, ApiError>;
    async fn import_page(
        &self,
        parts: &http::request::Parts,
        slug: &str,
        draft: Option<i32>,
    ) -> Result<ImportPageData, ApiError>;
    async fn boards_page(
        &self,
        parts: &http::request::Parts,
        slug: &str,
    ) -> Result<BoardsData, ApiError>;
    async fn board_page(
        &self,
        parts: &http::request::Parts,
        id: i32,
        args: BoardArgs,
    ) -> Result<BoardData, ApiError>;
    async fn post_page(&self, parts: &http::request::Parts, id: i32) -> Result<PostData, ApiError>;
    async fn moderation_page(
        &self,
        parts: &http::request::Parts,
        slug: &str,
        page: u64,
    ) -> Result<ModerationData, ApiError>;
    async fn surveys_page(
        &self,
        parts: &http::request::Parts,
        slug: &str,
    ) -> Result<SurveysData, ApiError>;
    async fn postcodes_page(
        &self,
        parts: &http::request::Parts,
        slug: &str,
    ) -> Result<PostcodesData, ApiError>;
    async fn addresses_page(
        &self,
        parts: &http::request::Parts,
        slug: &str,
        probe: &str,
    ) -> Result<AddressesData, ApiError>;
    async fn members_page(
        &self,
        parts: &http::request::Parts,
        slug: &str,
    ) -> Result<MembersData, ApiError>;
    async fn invitation(&self, token: &str) -> Result<InvitationData, ApiError>;
    async fn survey_start(
        &self,
        parts: &http::request::Parts,
        id: i32,
        lang: Option<String>,
    ) -> Result<SurveyStartData, ApiError>;
    async fn survey_section(
        &self,
        parts: &http::request::Parts,
        id: i32,
        number: usize,
    ) -> Result<SurveySectionData, ApiError>;
    async fn survey_review(
        &self,
        parts: &http::request::Parts,
        id: i32,
    ) -> Result<SurveyReviewData, ApiError>;
    async fn survey_thanks(
        &self,
        parts: &http::request::Parts,
        id: i32,
        lang: Option<String>,
    ) -> Result<SurveyThanksData, ApiError>;
    async fn survey_results(
        &self,
        parts: &http::request::Parts,
        id: i32,
    ) -> Result<SurveyResultsData, ApiError>;
    async fn survey_manage(
        &self,
        parts: &http::request::Parts,
        id: i32,
    ) -> Result<SurveyManageData, ApiError>;
    async fn survey_texts(
        &self,
        parts: &http::request::Parts,
        id: i32,
        lang: Option<String>,
    ) -> Result<SurveyTextsData, ApiError>;
    async fn offer_search(
        &self,
        parts: &http::request::Parts,
        slug: &str,
        args: OfferSearchArgs,
    ) -> Result<OfferSearchData, ApiError>;
    async fn offer_page(
        &self,
        parts: &http::request::Parts,
        id: i32,
    ) -> Result<OfferPageData, ApiError>;
    async fn actor_page(
        &self,
        parts: &http::request::Parts,
        id: i32,
    ) -> Result<ActorPageData, ApiError>;
    async fn provider_page(
        &self,
        parts: &http::request::Parts,
        slug: &str,
        draft: Option<String>,
    ) -> Result<ProviderData, ApiError>;
    async fn actor_form(
        &self,
        parts: &http::request::Parts,
        id: i32,
        draft: Option<String>,
    ) -> Result<ActorFormData, ApiError>;
    /// `actor_id` for a new offer, `offer_id` for a change.
    async fn offer_form(
        &self,
        parts: &http::request::Parts,
        actor_id: Option<i32>,
        offer_id: Option<i32>,
        draft: Option<String>,
    ) -> Result<OfferFormData, ApiError>;
    async fn review_page(
        &self,
        parts: &http::request::Parts,
        slug: &str,
        page: u64,
    ) -> Result<ReviewData, ApiError>;
    async fn directory_import_page(
        &self,
        parts: &http::request::Parts,
        slug: &str,
    ) -> Result<DirectoryImportData, ApiError>;
    async fn categories_page(
        &self,
        parts: &http::request::Parts,
        slug: &str,
    ) -> Result<CategoriesData, ApiError>;
}

pub type SharedBackend = Arc<dyn Backend>;

pub(crate) fn get() -> Result<(SharedBackend, http::request::Parts), ServerFnError> {
    let backend = use_context::<SharedBackend>().ok_or_else(|| ServerFnError::new("no backend"))?;
    let parts =
        use_context::<http::request::Parts>().ok_or_else(|| ServerFnError::new("no request"))?;
    Ok((backend, parts))
}
