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

/// The account page: the person's facts, roles and how much is stored about them.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct AccountData {
    pub email: String,
    pub display_name: String,
    /// The registration day, `TT.MM.JJJJ`.
    pub since: String,
    pub memberships: Vec<AccountMembership>,
    pub counts: qn_domain::accounts::StoredCounts,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct AccountMembership {
    pub slug: String,
    pub kommune: String,
    /// `planner`, `resident`, …
    pub role: String,
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
    /// The viewer administers the tenant (a link to its people and roles).
    pub administer: bool,
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
    /// The Steckbrief: the area's indicators against its level (empty without indicators).
    pub profile: Vec<ProfileLineData>,
    pub strengths: Vec<String>,
    pub weaknesses: Vec<String>,
    /// Participation boards of this area.
    pub boards: Vec<BoardCard>,
    /// Open surveys aimed at this area.
    pub surveys: Vec<SurveyCard>,
    /// Public offers that lie in or serve this area.
    pub offers: Vec<OfferCard>,
}

/// One indicator line of a Quartier profile, formatted for reading.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ProfileLineData {
    pub indicator_id: i32,
    pub name: String,
    pub topic: String,
    pub date: String,
    /// The value formatted with its unit; empty unless `status` is `value`.
    pub value: String,
    /// `value`, `no_data` or `suppressed`.
    pub status: String,
    pub mean: String,
    pub deviation: String,
    pub rank: String,
    pub trend: String,
    /// `better`, `worse` or `neutral` against the level's mean, by the indicator's polarity.
    pub assessment: String,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct IndicatorSummary {
    pub id: i32,
    pub key: String,
    pub name: String,
    pub abbreviation: String,
    pub unit: String,
    pub topic: String,
    pub source: String,
    pub description: String,
    /// `high_is_good`, `high_is_bad` or `neutral`.
    pub polarity: String,
    /// `count`, `share`, `rate` or `index`.
    pub kind: String,
    pub visibility: String,
    pub derived: bool,
    pub min_count: i32,
    pub precision: i32,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct IndexSummary {
    pub id: i32,
    pub name: String,
    pub level: String,
}

/// The indicator catalogue of a tenant.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct IndicatorsData {
    pub tenant: TenantSummary,
    /// Planners and admins see the forms for new indicators, imports and indices.
    pub can_edit: bool,
    pub indicators: Vec<IndicatorSummary>,
    pub indices: Vec<IndexSummary>,
    pub levels: Vec<LevelSummary>,
}

/// What a map page asks for (the GET form's fields).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct MapArgs {
    pub level: Option<i32>,
    pub date: Option<String>,
    pub method: Option<String>,
    pub classes: Option<usize>,
    pub breaks: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct LegendItem {
    /// Lower and upper bound, formatted (with unit); equal for a class of one value.
    pub lower: String,
    pub upper: String,
    pub single: bool,
    pub color: String,
    pub count: usize,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct MapRowData {
    pub area: AreaLink,
    pub value: Option<f64>,
    /// The value formatted with its unit; empty unless `status` is `value`.
    pub label: String,
    /// `value`, `no_data` or `suppressed`.
    pub status: String,
    pub color: Option<String>,
    /// Need index only: rank (1 = most need) and class (0 = least need).
    pub rank: Option<usize>,
    pub class: Option<usize>,
}

/// A choropleth page: an indicator or a need index at a level and date.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ChoroplethData {
    pub tenant: TenantSummary,
    /// Planners and admins of the tenant may edit the catalogue entry.
    pub can_edit: bool,
    pub title: String,
    pub unit: String,
    pub indicator: Option<IndicatorSummary>,
    pub levels: Vec<LevelSummary>,
    pub level: LevelSummary,
    pub dates: Vec<String>,
    pub date: Option<String>,
    pub method: String,
    pub classes: usize,
    pub breaks: String,
    pub legend: Vec<LegendItem>,
    pub no_data: usize,
    pub suppressed: usize,
    pub rows: Vec<MapRowData>,
    /// The GeoJSON the map draws (same parameters).
    pub geojson_url: String,
    /// Export links (label, URL); empty for indices.
    pub exports: Vec<(String, String)>,
    /// Need index only: the "Quartiere mit besonderem Handlungsbedarf".
    pub high_need: Vec<MapRowData>,
    /// Need index only: areas in the index, areas of the level, first class of high need, and
    /// whether the classes are the standard-deviation bands that have names.
    pub index: Option<IndexFacts>,
    /// A classification that failed (e.g. manual breaks out of order), in German.
    pub problem: Option<String>,
    pub map: MapConfig,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct IndexFacts {
    pub valid_areas: usize,
    pub areas: usize,
    pub high_need_from: usize,
    pub class_count: usize,
    pub named_classes: bool,
    /// The map shows the index's own classes (so the legend can name them).
    pub own_classes: bool,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ProblemData {
    pub line: Option<usize>,
    pub code: String,
    pub message: String,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PreviewData {
    pub line: usize,
    pub area: String,
    pub date: String,
    /// `None` is "no data".
    pub value: Option<String>,
}

/// A checked upload waiting for the planner's confirmation.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct DraftData {
    pub id: i32,
    pub indicator: String,
    pub level: String,
    pub rows: usize,
    pub created: usize,
    pub replaced: usize,
    pub no_data: usize,
    pub areas: usize,
    pub dates: Vec<String>,
    pub format: String,
    pub encoding: String,
    pub problems: Vec<ProblemData>,
    pub preview: Vec<PreviewData>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ImportPageData {
    pub tenant: TenantSummary,
    pub indicators: Vec<IndicatorSummary>,
    pub levels: Vec<LevelSummary>,
    pub draft: Option<DraftData>,
}

/// One pair of the postcode table.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PostcodeEntry {
    pub postcode: String,
    pub area: AreaLink,
}

/// The planners' page of the postcode table (postcode → Quartiere).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PostcodesData {
    pub tenant: TenantSummary,
    pub entries: Vec<PostcodeEntry>,
}

pub mod boards;
pub use boards::*;
pub mod surveys;
pub use surveys::*;
pub mod directory;
pub use directory::*;
pub mod members;
pub use members::*;

/// The URL of a level's boundaries for maps.
pub fn level_geojson_url(level_id: i32) -> String {
    format!("/api/v1/levels/{level_id}/areas.geojson")
}

#[cfg(feature = "ssr")]
pub mod backend;

#[server]
pub async fn get_viewer() -> Result<Option<ViewerSummary>, ServerFnError> {
    let (b, parts) = backend::get()?;
    Ok(b.viewer(&parts).await.unwrap_or(None))
}

#[server]
pub async fn get_account_page() -> Result<Result<AccountData, ApiError>, ServerFnError> {
    let (b, parts) = backend::get()?;
    Ok(b.account(&parts).await)
}

/// The detail text a form handler sent back, if the server signed it (see the server's
/// `signing`): a link made elsewhere cannot put its own text on a page.
#[server]
pub async fn check_notice(
    code: String,
    text: String,
    signature: String,
) -> Result<bool, ServerFnError> {
    let (b, _) = backend::get()?;
    Ok(b.notice_is_genuine(&code, &text, &signature))
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

#[server]
pub async fn get_indicators(
    slug: String,
) -> Result<Result<IndicatorsData, ApiError>, ServerFnError> {
    let (b, parts) = backend::get()?;
    Ok(b.indicators(&parts, &slug).await)
}

#[server]
pub async fn get_indicator_map(
    id: i32,
    // Absent when every field is empty: the URL encoding leaves them out.
    #[server(default)] args: MapArgs,
) -> Result<Result<ChoroplethData, ApiError>, ServerFnError> {
    let (b, parts) = backend::get()?;
    Ok(b.indicator_map(&parts, id, args).await)
}

#[server]
pub async fn get_index_map(
    id: i32,
    // Absent when every field is empty: the URL encoding leaves them out.
    #[server(default)] args: MapArgs,
) -> Result<Result<ChoroplethData, ApiError>, ServerFnError> {
    let (b, parts) = backend::get()?;
    Ok(b.index_map(&parts, id, args).await)
}

#[server]
pub async fn get_import_page(
    slug: String,
    draft: Option<i32>,
) -> Result<Result<ImportPageData, ApiError>, ServerFnError> {
    let (b, parts) = backend::get()?;
    Ok(b.import_page(&parts, &slug, draft).await)
}

#[server]
pub async fn get_addresses_page(
    slug: String,
    probe: String,
) -> Result<Result<AddressesData, ApiError>, ServerFnError> {
    let (b, parts) = backend::get()?;
    Ok(b.addresses_page(&parts, &slug, &probe).await)
}

#[server]
pub async fn get_postcodes_page(
    slug: String,
) -> Result<Result<PostcodesData, ApiError>, ServerFnError> {
    let (b, parts) = backend::get()?;
    Ok(b.postcodes_page(&parts, &slug).await)
}

#[server]
pub async fn get_members_page(
    slug: String,
) -> Result<Result<MembersData, ApiError>, ServerFnError> {
    let (b, parts) = backend::get()?;
    Ok(b.members_page(&parts, &slug).await)
}

#[server]
pub async fn get_invitation(
    token: String,
) -> Result<Result<InvitationData, ApiError>, ServerFnError> {
    let (b, _) = backend::get()?;
    Ok(b.invitation(&token).await)
}

#[server]
pub async fn get_boards_page(slug: String) -> Result<Result<BoardsData, ApiError>, ServerFnError> {
    let (b, parts) = backend::get()?;
    Ok(b.boards_page(&parts, &slug).await)
}

#[server]
pub async fn get_board_page(
    id: i32,
    // Absent when every field is empty: the URL encoding leaves them out.
    #[server(default)] args: BoardArgs,
) -> Result<Result<BoardData, ApiError>, ServerFnError> {
    let (b, parts) = backend::get()?;
    Ok(b.board_page(&parts, id, args).await)
}

#[server]
pub async fn get_post_page(id: i32) -> Result<Result<PostData, ApiError>, ServerFnError> {
    let (b, parts) = backend::get()?;
    Ok(b.post_page(&parts, id).await)
}

#[server]
pub async fn get_moderation_page(
    slug: String,
    page: u64,
) -> Result<Result<ModerationData, ApiError>, ServerFnError> {
    let (b, parts) = backend::get()?;
    Ok(b.moderation_page(&parts, &slug, page).await)
}

#[server]
pub async fn get_surveys_page(
    slug: String,
) -> Result<Result<SurveysData, ApiError>, ServerFnError> {
    let (b, parts) = backend::get()?;
    Ok(b.surveys_page(&parts, &slug).await)
}

#[server]
pub async fn get_survey_start(
    id: i32,
    lang: Option<String>,
) -> Result<Result<SurveyStartData, ApiError>, ServerFnError> {
    let (b, parts) = backend::get()?;
    Ok(b.survey_start(&parts, id, lang).await)
}

#[server]
pub async fn get_survey_section(
    id: i32,
    number: usize,
) -> Result<Result<SurveySectionData, ApiError>, ServerFnError> {
    let (b, parts) = backend::get()?;
    Ok(b.survey_section(&parts, id, number).await)
}

#[server]
pub async fn get_survey_review(
    id: i32,
) -> Result<Result<SurveyReviewData, ApiError>, ServerFnError> {
    let (b, parts) = backend::get()?;
    Ok(b.survey_review(&parts, id).await)
}

#[server]
pub async fn get_survey_thanks(
    id: i32,
    lang: Option<String>,
) -> Result<Result<SurveyThanksData, ApiError>, ServerFnError> {
    let (b, parts) = backend::get()?;
    Ok(b.survey_thanks(&parts, id, lang).await)
}

#[server]
pub async fn get_survey_results(
    id: i32,
) -> Result<Result<SurveyResultsData, ApiError>, ServerFnError> {
    let (b, parts) = backend::get()?;
    Ok(b.survey_results(&parts, id).await)
}

#[server]
pub async fn get_survey_manage(
    id: i32,
) -> Result<Result<SurveyManageData, ApiError>, ServerFnError> {
    let (b, parts) = backend::get()?;
    Ok(b.survey_manage(&parts, id).await)
}

#[server]
pub async fn get_survey_texts(
    id: i32,
    lang: Option<String>,
) -> Result<Result<SurveyTextsData, ApiError>, ServerFnError> {
    let (b, parts) = backend::get()?;
    Ok(b.survey_texts(&parts, id, lang).await)
}

#[server]
pub async fn get_offer_search(
    slug: String,
    // Absent when every field is empty: the URL encoding leaves them out.
    #[server(default)] args: OfferSearchArgs,
) -> Result<Result<OfferSearchData, ApiError>, ServerFnError> {
    let (b, parts) = backend::get()?;
    Ok(b.offer_search(&parts, &slug, args).await)
}

#[server]
pub async fn get_offer_page(id: i32) -> Result<Result<OfferPageData, ApiError>, ServerFnError> {
    let (b, parts) = backend::get()?;
    Ok(b.offer_page(&parts, id).await)
}

#[server]
pub async fn get_actor_page(id: i32) -> Result<Result<ActorPageData, ApiError>, ServerFnError> {
    let (b, parts) = backend::get()?;
    Ok(b.actor_page(&parts, id).await)
}

#[server]
pub async fn get_provider_page(
    slug: String,
    draft: Option<String>,
) -> Result<Result<ProviderData, ApiError>, ServerFnError> {
    let (b, parts) = backend::get()?;
    Ok(b.provider_page(&parts, &slug, draft).await)
}

#[server]
pub async fn get_actor_form(
    id: i32,
    draft: Option<String>,
) -> Result<Result<ActorFormData, ApiError>, ServerFnError> {
    let (b, parts) = backend::get()?;
    Ok(b.actor_form(&parts, id, draft).await)
}

#[server]
pub async fn get_offer_form(
    actor_id: Option<i32>,
    offer_id: Option<i32>,
    draft: Option<String>,
) -> Result<Result<OfferFormData, ApiError>, ServerFnError> {
    let (b, parts) = backend::get()?;
    Ok(b.offer_form(&parts, actor_id, offer_id, draft).await)
}

#[server]
pub async fn get_review_page(
    slug: String,
    page: u64,
) -> Result<Result<ReviewData, ApiError>, ServerFnError> {
    let (b, parts) = backend::get()?;
    Ok(b.review_page(&parts, &slug, page).await)
}

#[server]
pub async fn get_directory_import_page(
    slug: String,
) -> Result<Result<DirectoryImportData, ApiError>, ServerFnError> {
    let (b, parts) = backend::get()?;
    Ok(b.directory_import_page(&parts, &slug).await)
}

#[server]
pub async fn get_categories_page(
    slug: String,
) -> Result<Result<CategoriesData, ApiError>, ServerFnError> {
    let (b, parts) = backend::get()?;
    Ok(b.categories_page(&parts, &slug).await)
}
