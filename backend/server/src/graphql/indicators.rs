//! GraphQL types and operations of indicators, maps, need indices and profiles. Every value
//! comes through `indicators::cells`, so disclosure control holds here as everywhere.

use super::areas::{AreaNode, LevelNode, VisibilityGql};
use super::{ctx, loaders, parse_id, tenancy::TenantNode, GqlResult};
use crate::indicators::{
    self, derived, import as imp, index as need, maps, profile, Dates, Indicator, IndicatorInput,
};
use crate::kernel::error::AppError;
use async_graphql::dataloader::DataLoader;
use async_graphql::{Context, Enum, InputObject, Object, Result, SimpleObject, ID};
use base64::Engine;
use chrono::NaiveDate;
use qn_domain::indicators::classify::Method;
use qn_domain::indicators::derive::Derivation;
use qn_domain::indicators::import::{Format, Layout};
use qn_domain::indicators::index::{Combination, IndexClasses, Normalisation};
use qn_domain::indicators::{Cell, IndicatorKind, Polarity};

fn parse_ids(ids: &[ID]) -> Result<Vec<i32>> {
    ids.iter().map(parse_id).collect()
}

gql_enum!(PolarityGql, "Polarity", Polarity, { HighIsGood, HighIsBad, Neutral });
gql_enum!(KindGql, "IndicatorKind", IndicatorKind, { Count, Share, Rate, Index });
gql_enum!(MethodGql, "ClassificationMethod", Method, { Quantiles, EqualInterval, NaturalBreaks, StdDev, Manual });
gql_enum!(NormalisationGql, "Normalisation", Normalisation, { ZScore, DeviationFromMean, RankMinMax });
gql_enum!(CombinationGql, "Combination", Combination, { WeightedSum, WeightedMean });
gql_enum!(FormatGql, "ImportFormat", Format, { Auto, Csv, KomMonitorJson, GeoJson });
gql_enum!(LayoutGql, "CsvLayout", Layout, { Auto, Long, Wide });

/// Whether a value is there, missing, or hidden by disclosure control.
#[derive(Enum, Copy, Clone, Eq, PartialEq)]
pub enum ValueStatus {
    Value,
    NoData,
    Suppressed,
}

fn status(c: Cell) -> ValueStatus {
    match c {
        Cell::Value(_) => ValueStatus::Value,
        Cell::NoData => ValueStatus::NoData,
        Cell::Suppressed => ValueStatus::Suppressed,
    }
}

pub struct IndicatorNode(pub Indicator);

/// An indicator of a tenant's catalogue.
#[Object(name = "Indicator")]
impl IndicatorNode {
    async fn id(&self) -> ID {
        ID(self.0.id.to_string())
    }
    async fn key(&self) -> &str {
        &self.0.key
    }
    async fn name(&self) -> &str {
        &self.0.name
    }
    async fn abbreviation(&self) -> &str {
        &self.0.abbreviation
    }
    async fn unit(&self) -> &str {
        &self.0.unit
    }
    async fn description(&self) -> &str {
        &self.0.description
    }
    async fn source(&self) -> &str {
        &self.0.source
    }
    /// Topic or field of action (Handlungsfeld).
    async fn topic(&self) -> &str {
        &self.0.topic
    }
    async fn polarity(&self) -> PolarityGql {
        indicators::polarity(&self.0).into()
    }
    async fn kind(&self) -> KindGql {
        indicators::kind(&self.0).into()
    }
    /// Decimal places shown.
    async fn precision(&self) -> i32 {
        self.0.precision
    }
    /// Values whose underlying count is below this are suppressed (0 = no suppression).
    async fn min_count(&self) -> i32 {
        self.0.min_count
    }
    async fn visibility(&self) -> &str {
        &self.0.visibility
    }
    /// How the indicator is computed from others (JSON), if it is derived.
    async fn derivation(&self) -> Option<async_graphql::Json<serde_json::Value>> {
        self.0
            .derivation
            .as_deref()
            .and_then(|d| serde_json::from_str(d).ok())
            .map(async_graphql::Json)
    }
    /// Whether the viewer sees values below the disclosure threshold (statisticians only).
    async fn raw_data(&self, c: &Context<'_>) -> Result<bool> {
        let (_, rc) = ctx(c)?;
        Ok(indicators::sees_raw(&rc.viewer, &self.0))
    }
    async fn tenant(&self, c: &Context<'_>) -> Result<Option<TenantNode>> {
        let loader = c.data::<DataLoader<loaders::TenantLoader>>()?;
        Ok(loader
            .load_one(self.0.tenant_id)
            .await
            .map_err(loaders::err)?
            .map(TenantNode))
    }
    /// Levels with values of this indicator, top level first.
    async fn levels(&self, c: &Context<'_>) -> Result<Vec<LevelNode>> {
        let (state, rc) = ctx(c)?;
        Ok(indicators::levels_with_values(
            &state.db,
            Some(&state.mem.published),
            &rc.viewer,
            &self.0,
        )
        .await
        .gql()?
        .into_iter()
        .map(LevelNode)
        .collect())
    }
    /// Dates with values, ascending (at one level when given).
    async fn dates(&self, c: &Context<'_>, level_id: Option<ID>) -> Result<Vec<NaiveDate>> {
        let (state, _) = ctx(c)?;
        let level = level_id.as_ref().map(parse_id).transpose()?;
        indicators::dates(&state.db, Some(&state.mem.published), self.0.id, level)
            .await
            .gql()
    }
    /// Values at a level (all levels when not given), at one date or all dates.
    #[graphql(complexity = "5 + child_complexity * 100")]
    async fn values(
        &self,
        c: &Context<'_>,
        level_id: Option<ID>,
        date: Option<NaiveDate>,
    ) -> Result<Vec<IndicatorValue>> {
        let (state, rc) = ctx(c)?;
        let level = level_id.as_ref().map(parse_id).transpose()?;
        if let Some(l) = level {
            crate::areas::level(&state.db, &rc.viewer, l).await.gql()?;
        }
        let only = date.map(|d| [d]);
        let dates = match &only {
            Some(d) => Dates::Only(d),
            None => Dates::All,
        };
        let mut cells = indicators::cells(
            &state.db,
            Some(&state.mem.published),
            &rc.viewer,
            std::slice::from_ref(&self.0),
            dates,
            level,
        )
        .await
        .gql()?;
        let mut out = Vec::new();
        for (date, list) in cells.remove(&self.0.id).unwrap_or_default() {
            for v in list {
                out.push(IndicatorValue {
                    area_id: v.area_id,
                    date,
                    cell: v.cell,
                    numerator: v.numerator,
                    denominator: v.denominator,
                });
            }
        }
        Ok(out)
    }
}

/// One value of an indicator.
pub struct IndicatorValue {
    area_id: i32,
    date: NaiveDate,
    cell: Cell,
    numerator: Option<f64>,
    denominator: Option<f64>,
}

#[Object]
impl IndicatorValue {
    async fn area(&self, c: &Context<'_>) -> Result<Option<AreaNode>> {
        let loader = c.data::<DataLoader<loaders::AreaLoader>>()?;
        Ok(loader
            .load_one(self.area_id)
            .await
            .map_err(loaders::err)?
            .map(AreaNode::from_area))
    }
    async fn area_id(&self) -> ID {
        ID(self.area_id.to_string())
    }
    async fn date(&self) -> NaiveDate {
        self.date
    }
    /// Null when there is no data or the value is suppressed (see `status`); never 0 for those.
    async fn value(&self) -> Option<f64> {
        self.cell.value()
    }
    async fn status(&self) -> ValueStatus {
        status(self.cell)
    }
    async fn numerator(&self) -> Option<f64> {
        self.numerator
    }
    async fn denominator(&self) -> Option<f64> {
        self.denominator
    }
}

/// One class of a map legend.
#[derive(SimpleObject)]
pub struct LegendClass {
    pub lower: f64,
    pub upper: f64,
    /// Fill colour (colour-blind-safe scheme).
    pub color: String,
    pub count: i32,
    /// The class is a single value (maps with 1–4 distinct values).
    pub single_value: bool,
}

/// One area of a map.
pub struct MapArea(maps::MapRow, i32, String);

#[Object]
impl MapArea {
    async fn area(&self) -> AreaNode {
        AreaNode::from_area(self.0.area.clone())
    }
    async fn value(&self) -> Option<f64> {
        self.0.cell.value()
    }
    async fn status(&self) -> ValueStatus {
        status(self.0.cell)
    }
    /// The value as people read it ("12,5 %", "keine Daten", "geheim gehalten").
    async fn label(&self) -> String {
        maps::label(self.0.cell, self.1, &self.2)
    }
    /// 0-based class; null for no data and suppressed areas.
    async fn class(&self) -> Option<i32> {
        self.0.class.map(count)
    }
    async fn color(&self) -> Option<&str> {
        self.0.color
    }
}

/// A choropleth: classes, legend and every area of the level.
pub struct ChoroplethNode(maps::Choropleth);

#[Object(name = "Choropleth")]
impl ChoroplethNode {
    async fn title(&self) -> &str {
        &self.0.title
    }
    async fn unit(&self) -> &str {
        &self.0.unit
    }
    async fn level(&self) -> LevelNode {
        LevelNode(self.0.level.clone())
    }
    async fn dates(&self) -> &[NaiveDate] {
        &self.0.dates
    }
    async fn date(&self) -> Option<NaiveDate> {
        self.0.date
    }
    async fn legend(&self) -> Vec<LegendClass> {
        self.0
            .legend
            .iter()
            .map(|e| LegendClass {
                lower: e.lower,
                upper: e.upper,
                color: e.color.to_owned(),
                count: count(e.count),
                single_value: e.single_value,
            })
            .collect()
    }
    async fn no_data_count(&self) -> i32 {
        count(self.0.no_data)
    }
    async fn suppressed_count(&self) -> i32 {
        count(self.0.suppressed)
    }
    #[graphql(complexity = "5 + child_complexity * 100")]
    async fn areas(&self) -> Vec<MapArea> {
        self.0
            .rows
            .iter()
            .map(|r| MapArea(r.clone(), self.0.precision, self.0.unit.clone()))
            .collect()
    }
}

#[derive(InputObject)]
pub struct ChoroplethInput {
    /// The indicator to map (or `indexId`).
    pub indicator_id: Option<ID>,
    /// A need-index definition to map.
    pub index_id: Option<ID>,
    pub level_id: Option<ID>,
    pub date: Option<NaiveDate>,
    /// Default: quantiles for an indicator, the index's own classes for a need index.
    pub method: Option<MethodGql>,
    #[graphql(default = 5)]
    pub classes: i32,
    /// Inner breaks for the `MANUAL` method, ascending.
    #[graphql(default)]
    pub breaks: Vec<f64>,
}

pub fn map_request(input: ChoroplethInput) -> Result<maps::MapRequest> {
    let source = match (&input.indicator_id, &input.index_id) {
        (Some(i), None) => maps::MapSource::Indicator(parse_id(i)?),
        (None, Some(i)) => maps::MapSource::Index(parse_id(i)?),
        _ => {
            return Err(super::gql(AppError::Validation(
                "genau eines von indicatorId und indexId angeben".into(),
            )))
        }
    };
    Ok(maps::MapRequest {
        source,
        level_id: input.level_id.as_ref().map(parse_id).transpose()?,
        date: input.date,
        method: input.method.map(Into::into),
        classes: usize::try_from(input.classes).unwrap_or(0),
        breaks: input.breaks,
    })
}

/// One line of a Quartier profile.
pub struct ProfileLineNode(profile::ProfileEntry);

#[Object(name = "ProfileLine")]
impl ProfileLineNode {
    async fn indicator(&self) -> IndicatorNode {
        IndicatorNode(self.0.indicator.clone())
    }
    async fn date(&self) -> NaiveDate {
        self.0.date
    }
    async fn value(&self) -> Option<f64> {
        self.0.cell.value()
    }
    async fn status(&self) -> ValueStatus {
        status(self.0.cell)
    }
    /// Mean of the level's areas with a visible value.
    async fn level_mean(&self) -> Option<f64> {
        self.0.line.mean
    }
    async fn deviation(&self) -> Option<f64> {
        self.0.line.deviation
    }
    /// 1 = highest value of the level.
    async fn rank(&self) -> Option<i32> {
        self.0.line.rank.map(count)
    }
    async fn rank_of(&self) -> i32 {
        count(self.0.line.of)
    }
    /// Change against the previous date.
    async fn trend(&self) -> Option<f64> {
        self.0.line.trend
    }
}

/// The profile (Steckbrief) of an area.
pub struct ProfileNode(profile::Profile);

#[Object(name = "AreaProfile")]
impl ProfileNode {
    async fn area(&self) -> AreaNode {
        AreaNode::from_area(self.0.area.clone())
    }
    async fn lines(&self) -> Vec<ProfileLineNode> {
        self.0
            .entries
            .iter()
            .cloned()
            .map(ProfileLineNode)
            .collect()
    }
    /// Indicators where the area does best against its level.
    async fn strengths(&self) -> Vec<ProfileLineNode> {
        self.0
            .strengths
            .iter()
            .filter_map(|i| self.0.entries.get(*i).cloned().map(ProfileLineNode))
            .collect()
    }
    async fn weaknesses(&self) -> Vec<ProfileLineNode> {
        self.0
            .weaknesses
            .iter()
            .filter_map(|i| self.0.entries.get(*i).cloned().map(ProfileLineNode))
            .collect()
    }
}

pub struct IndexDefinitionNode(need::IndexDefinition);

/// A saved need-index definition.
#[Object(name = "IndexDefinition")]
impl IndexDefinitionNode {
    async fn id(&self) -> ID {
        ID(self.0.id.to_string())
    }
    async fn key(&self) -> &str {
        &self.0.key
    }
    async fn name(&self) -> &str {
        &self.0.name
    }
    async fn description(&self) -> &str {
        &self.0.description
    }
    async fn level(&self, c: &Context<'_>) -> Result<Option<LevelNode>> {
        let loader = c.data::<DataLoader<loaders::LevelLoader>>()?;
        Ok(loader
            .load_one(self.0.level_id)
            .await
            .map_err(loaders::err)?
            .map(LevelNode))
    }
    /// The method as stored (JSON).
    async fn spec(&self) -> Result<async_graphql::Json<serde_json::Value>> {
        Ok(async_graphql::Json(
            serde_json::from_str(&self.0.spec).map_err(|e| super::gql(AppError::internal(e)))?,
        ))
    }
}

/// One area's result in a need index.
#[derive(SimpleObject)]
pub struct IndexScore {
    pub area: AreaNode,
    pub score: Option<f64>,
    /// 0 = least need.
    pub class: Option<i32>,
    /// 1 = most need.
    pub rank: Option<i32>,
    /// `NAMED`, `SMALL_POPULATION` or `MISSING_VALUE` when the area has no score.
    pub excluded: Option<String>,
}

/// A need index computed for one date.
#[derive(SimpleObject)]
pub struct NeedIndexResult {
    pub date: Option<NaiveDate>,
    pub dates: Vec<NaiveDate>,
    pub valid_areas: i32,
    /// Lower bounds of classes 2…n in score units.
    pub breaks: Vec<f64>,
    pub scores: Vec<IndexScore>,
    /// The "Quartiere mit besonderem Handlungsbedarf", most need first.
    pub high_need: Vec<IndexScore>,
}

fn score(r: &need::IndexRow) -> IndexScore {
    IndexScore {
        area: AreaNode::from_area(r.area.clone()),
        score: r.score,
        class: r.class.map(count),
        rank: r.rank.map(count),
        excluded: r.excluded.map(|e| {
            match e {
                need::Exclusion::Named => "NAMED",
                need::Exclusion::SmallPopulation => "SMALL_POPULATION",
                need::Exclusion::MissingValue => "MISSING_VALUE",
            }
            .to_owned()
        }),
    }
}

fn count(n: usize) -> i32 {
    i32::try_from(n).unwrap_or(i32::MAX)
}

#[derive(Default)]
pub struct IndicatorsQuery;

#[Object]
impl IndicatorsQuery {
    /// The visible indicators of a tenant.
    #[graphql(complexity = "5 + child_complexity * 20")]
    async fn indicators(&self, c: &Context<'_>, tenant: String) -> Result<Vec<IndicatorNode>> {
        let (state, rc) = ctx(c)?;
        let t = crate::tenancy::by_slug(&state.db, &tenant).await.gql()?;
        Ok(indicators::list(&state.db, &rc.viewer, t.id)
            .await
            .gql()?
            .into_iter()
            .map(IndicatorNode)
            .collect())
    }
    async fn indicator(&self, c: &Context<'_>, id: ID) -> Result<Option<IndicatorNode>> {
        let (state, rc) = ctx(c)?;
        match indicators::get(&state.db, &rc.viewer, parse_id(&id)?).await {
            Ok(i) => Ok(Some(IndicatorNode(i))),
            Err(AppError::NotFound) => Ok(None),
            Err(e) => Err(super::gql(e)),
        }
    }
    /// A choropleth of an indicator or need index at a level and date.
    #[graphql(complexity = 200)]
    async fn choropleth(&self, c: &Context<'_>, input: ChoroplethInput) -> Result<ChoroplethNode> {
        let (state, rc) = ctx(c)?;
        let req = map_request(input)?;
        Ok(ChoroplethNode(
            maps::choropleth(&state.db, Some(&state.mem.published), &rc.viewer, &req)
                .await
                .gql()?,
        ))
    }
    /// The profile (Steckbrief) of an area.
    async fn area_profile(&self, c: &Context<'_>, area_id: ID) -> Result<ProfileNode> {
        let (state, rc) = ctx(c)?;
        Ok(ProfileNode(
            profile::profile(
                &state.db,
                Some(&state.mem.published),
                &rc.viewer,
                parse_id(&area_id)?,
            )
            .await
            .gql()?,
        ))
    }
    async fn index_definitions(
        &self,
        c: &Context<'_>,
        tenant: String,
    ) -> Result<Vec<IndexDefinitionNode>> {
        let (state, rc) = ctx(c)?;
        let t = crate::tenancy::by_slug(&state.db, &tenant).await.gql()?;
        Ok(need::list(&state.db, &rc.viewer, t.id)
            .await
            .gql()?
            .into_iter()
            .map(IndexDefinitionNode)
            .collect())
    }
    /// Computes a saved need index at a date (default: the latest with values of every indicator).
    #[graphql(complexity = 200)]
    async fn need_index(
        &self,
        c: &Context<'_>,
        definition_id: ID,
        date: Option<NaiveDate>,
    ) -> Result<NeedIndexResult> {
        let (state, rc) = ctx(c)?;
        let run = need::run(
            &state.db,
            Some(&state.mem.published),
            &rc.viewer,
            parse_id(&definition_id)?,
            date,
        )
        .await
        .gql()?;
        Ok(NeedIndexResult {
            date: run.date,
            dates: run.dates.clone(),
            valid_areas: count(run.valid_areas),
            breaks: run.breaks.clone(),
            scores: run.rows.iter().map(score).collect(),
            high_need: run.high_need().into_iter().map(score).collect(),
        })
    }
}

/// A catalogue entry.
#[derive(InputObject)]
#[graphql(name = "IndicatorInput")]
pub struct IndicatorInputGql {
    pub key: String,
    pub name: String,
    #[graphql(default)]
    pub abbreviation: String,
    #[graphql(default)]
    pub unit: String,
    #[graphql(default)]
    pub description: String,
    #[graphql(default)]
    pub source: String,
    #[graphql(default)]
    pub topic: String,
    pub polarity: PolarityGql,
    pub kind: KindGql,
    #[graphql(default = 1)]
    pub precision: i32,
    #[graphql(default = 3)]
    pub min_count: i32,
    #[graphql(default_with = "VisibilityGql::Public")]
    pub visibility: VisibilityGql,
    /// Slugs of the tenants that may see a `SHARED` indicator.
    #[graphql(default)]
    pub shared_with: Vec<String>,
}

async fn indicator_input(
    state: &crate::kernel::state::AppState,
    i: IndicatorInputGql,
) -> Result<IndicatorInput> {
    let mut shared_with = Vec::new();
    for slug in &i.shared_with {
        shared_with.push(crate::tenancy::by_slug(&state.db, slug).await.gql()?.id);
    }
    Ok(IndicatorInput {
        key: i.key,
        name: i.name,
        abbreviation: i.abbreviation,
        unit: i.unit,
        description: i.description,
        source: i.source,
        topic: i.topic,
        polarity: i.polarity.into(),
        kind: i.kind.into(),
        precision: i.precision,
        min_count: i.min_count,
        visibility: i.visibility.into(),
        shared_with,
    })
}

/// Changes to a catalogue entry; what is left out stays as it is. `sharedWith` replaces the
/// list of tenants of a `SHARED` indicator; left out or empty, the list stays.
#[derive(InputObject)]
pub struct IndicatorPatch {
    pub name: Option<String>,
    pub abbreviation: Option<String>,
    pub unit: Option<String>,
    pub description: Option<String>,
    pub source: Option<String>,
    pub topic: Option<String>,
    pub polarity: Option<PolarityGql>,
    pub kind: Option<KindGql>,
    pub precision: Option<i32>,
    pub min_count: Option<i32>,
    pub visibility: Option<VisibilityGql>,
    pub shared_with: Option<Vec<String>>,
}

#[derive(InputObject)]
pub struct ImportIndicatorValuesInput {
    pub indicator_id: ID,
    /// The level whose area ids the file uses.
    pub level_id: ID,
    #[graphql(default_with = "FormatGql::Auto")]
    pub format: FormatGql,
    #[graphql(default_with = "LayoutGql::Auto")]
    pub layout: LayoutGql,
    /// The GeoJSON property (or CSV column) holding the area id, when not found by name.
    pub area_property: Option<String>,
    /// The file as text (UTF-8), or
    pub content: Option<String>,
    /// the file's bytes in base64 (for Windows-1252 files).
    pub content_base64: Option<String>,
    #[graphql(default)]
    pub dry_run: bool,
}

#[derive(SimpleObject)]
pub struct ValueImportProblem {
    /// Line of the file (entry or feature number for JSON); null for the whole file.
    pub line: Option<i32>,
    /// Stable code, e.g. `UNKNOWN_AREA`, `NOT_A_NUMBER`, `DUPLICATE_ROW`, `RAGGED_ROW`.
    pub code: String,
    pub message: String,
}

#[derive(SimpleObject)]
pub struct ValueImportReport {
    pub applied: bool,
    pub rows: i32,
    pub created: i32,
    pub replaced: i32,
    pub no_data: i32,
    pub areas: i32,
    pub dates: Vec<NaiveDate>,
    pub format: String,
    pub encoding: String,
    pub problems: Vec<ValueImportProblem>,
}

impl From<imp::ImportReport> for ValueImportReport {
    fn from(r: imp::ImportReport) -> Self {
        Self {
            applied: r.applied,
            rows: count(r.rows),
            created: count(r.created),
            replaced: count(r.replaced),
            no_data: count(r.no_data),
            areas: count(r.areas),
            dates: r.dates,
            format: r.format,
            encoding: r.encoding,
            problems: r
                .problems
                .into_iter()
                .map(|p| ValueImportProblem {
                    line: p.line.map(count),
                    code: p.code,
                    message: p.message,
                })
                .collect(),
        }
    }
}

#[derive(Enum, Copy, Clone, Eq, PartialEq)]
pub enum DerivationKind {
    Share,
    RatePer1000,
    AbsoluteChange,
    RelativeChange,
    RollUpSum,
    RollUpWeightedMean,
}

/// How to derive an indicator: `SHARE`/`RATE_PER_1000` need numerator and denominator;
/// the changes need source and periods; roll-ups need source and the child level (and weight).
#[derive(InputObject)]
pub struct DerivationInput {
    pub kind: DerivationKind,
    pub numerator_id: Option<ID>,
    pub denominator_id: Option<ID>,
    pub source_id: Option<ID>,
    pub weight_id: Option<ID>,
    /// The level whose values are rolled up to their parents.
    pub level_id: Option<ID>,
    pub periods: Option<i32>,
}

fn need_id(id: Option<&ID>, what: &str) -> Result<i64> {
    let id = id.ok_or_else(|| super::gql(AppError::Validation(format!("{what} fehlt"))))?;
    Ok(i64::from(parse_id(id)?))
}

fn derivation(d: &DerivationInput) -> Result<Derivation> {
    let periods = || -> Result<usize> {
        usize::try_from(d.periods.unwrap_or(1))
            .map_err(|_| super::gql(AppError::Validation("periods muss ≥ 1 sein".into())))
    };
    Ok(match d.kind {
        DerivationKind::Share => Derivation::Share {
            numerator: need_id(d.numerator_id.as_ref(), "numeratorId")?,
            denominator: need_id(d.denominator_id.as_ref(), "denominatorId")?,
        },
        DerivationKind::RatePer1000 => Derivation::RatePer1000 {
            numerator: need_id(d.numerator_id.as_ref(), "numeratorId")?,
            denominator: need_id(d.denominator_id.as_ref(), "denominatorId")?,
        },
        DerivationKind::AbsoluteChange => Derivation::AbsoluteChange {
            source: need_id(d.source_id.as_ref(), "sourceId")?,
            periods: periods()?,
        },
        DerivationKind::RelativeChange => Derivation::RelativeChange {
            source: need_id(d.source_id.as_ref(), "sourceId")?,
            periods: periods()?,
        },
        DerivationKind::RollUpSum => Derivation::RollUpSum {
            source: need_id(d.source_id.as_ref(), "sourceId")?,
            level: need_id(d.level_id.as_ref(), "levelId")?,
        },
        DerivationKind::RollUpWeightedMean => Derivation::RollUpWeightedMean {
            source: need_id(d.source_id.as_ref(), "sourceId")?,
            weight: need_id(d.weight_id.as_ref(), "weightId")?,
            level: need_id(d.level_id.as_ref(), "levelId")?,
        },
    })
}

#[derive(InputObject)]
pub struct IndexComponentInput {
    pub indicator_id: ID,
    pub polarity: PolarityGql,
    #[graphql(default = 1.0)]
    pub weight: f64,
}

#[derive(InputObject)]
pub struct IndexDefinitionInput {
    pub tenant: String,
    /// Saving under an existing key replaces that definition.
    pub key: String,
    pub name: String,
    #[graphql(default)]
    pub description: String,
    pub level_id: ID,
    pub components: Vec<IndexComponentInput>,
    #[graphql(default_with = "NormalisationGql::ZScore")]
    pub normalisation: NormalisationGql,
    #[graphql(default_with = "CombinationGql::WeightedSum")]
    pub combination: CombinationGql,
    #[graphql(default)]
    pub restandardise: bool,
    /// Standard-deviation band breaks (default −1, +1, +1.5); ignored with `quantiles`.
    #[graphql(default)]
    pub sd_breaks: Vec<f64>,
    /// Classify by this many quantiles instead of standard-deviation bands.
    pub quantiles: Option<i32>,
    pub population_indicator_id: Option<ID>,
    pub min_population: Option<f64>,
    #[graphql(default)]
    pub excluded_area_ids: Vec<ID>,
    #[graphql(default_with = "VisibilityGql::Tenant")]
    pub visibility: VisibilityGql,
    #[graphql(default)]
    pub shared_with: Vec<String>,
}

#[derive(Default)]
pub struct IndicatorsMutation;

#[Object]
impl IndicatorsMutation {
    /// Adds an indicator to a tenant's catalogue; planners and admins.
    async fn create_indicator(
        &self,
        c: &Context<'_>,
        tenant: String,
        input: IndicatorInputGql,
    ) -> Result<IndicatorNode> {
        let (state, rc) = ctx(c)?;
        let t = crate::tenancy::by_slug(&state.db, &tenant).await.gql()?;
        let input = indicator_input(state, input).await?;
        Ok(IndicatorNode(
            indicators::create(&state.db, &rc.viewer, t.id, input, None)
                .await
                .gql()?,
        ))
    }
    /// Changes a catalogue entry (not its key); fields left out keep their value.
    async fn update_indicator(
        &self,
        c: &Context<'_>,
        id: ID,
        input: IndicatorPatch,
    ) -> Result<IndicatorNode> {
        let (state, rc) = ctx(c)?;
        let id = parse_id(&id)?;
        let current = indicators::get(&state.db, &rc.viewer, id).await.gql()?;
        let mut shared_with = Vec::new();
        for slug in input.shared_with.iter().flatten() {
            shared_with.push(crate::tenancy::by_slug(&state.db, slug).await.gql()?.id);
        }
        let merged = IndicatorInput {
            key: current.key.clone(),
            name: input.name.unwrap_or_else(|| current.name.clone()),
            abbreviation: input
                .abbreviation
                .unwrap_or_else(|| current.abbreviation.clone()),
            unit: input.unit.unwrap_or_else(|| current.unit.clone()),
            description: input
                .description
                .unwrap_or_else(|| current.description.clone()),
            source: input.source.unwrap_or_else(|| current.source.clone()),
            topic: input.topic.unwrap_or_else(|| current.topic.clone()),
            polarity: input
                .polarity
                .map_or_else(|| indicators::polarity(&current), Into::into),
            kind: input
                .kind
                .map_or_else(|| indicators::kind(&current), Into::into),
            precision: input.precision.unwrap_or(current.precision),
            min_count: input.min_count.unwrap_or(current.min_count),
            visibility: match input.visibility {
                Some(v) => v.into(),
                None => current
                    .visibility
                    .parse()
                    .map_err(|e| super::gql(AppError::internal(e)))?,
            },
            shared_with,
        };
        Ok(IndicatorNode(
            indicators::update(&state.db, &state.mem.published, &rc.viewer, id, merged)
                .await
                .gql()?,
        ))
    }
    /// Deletes an indicator with its values; refused while an index or a derived indicator
    /// uses it.
    async fn delete_indicator(&self, c: &Context<'_>, id: ID) -> Result<bool> {
        let (state, rc) = ctx(c)?;
        indicators::delete(&state.db, &state.mem.published, &rc.viewer, parse_id(&id)?)
            .await
            .gql()?;
        Ok(true)
    }
    /// Imports values (CSV long/wide, KomMonitor JSON, GeoJSON). Problems come back in the
    /// report with their lines; then nothing is stored.
    #[graphql(complexity = "super::HEAVY")]
    async fn import_indicator_values(
        &self,
        c: &Context<'_>,
        input: ImportIndicatorValuesInput,
    ) -> Result<ValueImportReport> {
        let (state, rc) = ctx(c)?;
        let bytes = match (input.content, input.content_base64) {
            (Some(text), None) => text.into_bytes(),
            (None, Some(b64)) => base64::engine::general_purpose::STANDARD
                .decode(b64.trim())
                .map_err(|_| {
                    super::gql(AppError::Validation("contentBase64 ist kein Base64".into()))
                })?,
            _ => {
                return Err(super::gql(AppError::Validation(
                    "genau eines von content und contentBase64 angeben".into(),
                )))
            }
        };
        let report = imp::import(
            state,
            &rc.viewer,
            imp::ImportInput {
                indicator_id: parse_id(&input.indicator_id)?,
                level_id: parse_id(&input.level_id)?,
                bytes,
                format: input.format.into(),
                layout: input.layout.into(),
                area_property: input.area_property,
                dry_run: input.dry_run,
            },
        )
        .await
        .gql()?;
        Ok(report.into())
    }
    /// Creates a derived indicator (share, rate, change, roll-up) and computes its values.
    #[graphql(complexity = "super::HEAVY")]
    async fn derive_indicator(
        &self,
        c: &Context<'_>,
        tenant: String,
        input: IndicatorInputGql,
        derivation: DerivationInput,
    ) -> Result<IndicatorNode> {
        let (state, rc) = ctx(c)?;
        let t = crate::tenancy::by_slug(&state.db, &tenant).await.gql()?;
        let d = self::derivation(&derivation)?;
        let input = indicator_input(state, input).await?;
        let (ind, _) = derived::create_derived(state, &rc.viewer, t.id, input, d)
            .await
            .gql()?;
        Ok(IndicatorNode(ind))
    }
    /// Computes a derived indicator again from its sources; returns the number of values.
    #[graphql(complexity = "super::HEAVY")]
    async fn recompute_indicator(&self, c: &Context<'_>, id: ID) -> Result<i32> {
        let (state, rc) = ctx(c)?;
        Ok(count(
            derived::recompute(state, &rc.viewer, parse_id(&id)?)
                .await
                .gql()?,
        ))
    }
    /// Saves a need-index definition (replacing the one with the same key).
    async fn save_index_definition(
        &self,
        c: &Context<'_>,
        input: IndexDefinitionInput,
    ) -> Result<IndexDefinitionNode> {
        let (state, rc) = ctx(c)?;
        let t = crate::tenancy::by_slug(&state.db, &input.tenant)
            .await
            .gql()?;
        let mut shared_with = Vec::new();
        for slug in &input.shared_with {
            shared_with.push(crate::tenancy::by_slug(&state.db, slug).await.gql()?.id);
        }
        let classes = match input.quantiles {
            Some(n) => IndexClasses::Quantiles(usize::try_from(n).unwrap_or(0)),
            None => IndexClasses::SdBands(if input.sd_breaks.is_empty() {
                vec![-1.0, 1.0, 1.5]
            } else {
                input.sd_breaks
            }),
        };
        let components = input
            .components
            .iter()
            .map(|c| {
                Ok(need::StoredComponent {
                    indicator_id: parse_id(&c.indicator_id)?,
                    polarity: c.polarity.into(),
                    weight: c.weight,
                })
            })
            .collect::<Result<Vec<_>>>()?;
        let def = need::save(
            &state.db,
            &rc.viewer,
            need::DefinitionInput {
                tenant_id: t.id,
                key: input.key,
                name: input.name,
                description: input.description,
                level_id: parse_id(&input.level_id)?,
                spec: need::StoredSpec {
                    components,
                    normalisation: input.normalisation.into(),
                    combination: input.combination.into(),
                    restandardise: input.restandardise,
                    classes,
                    population_indicator_id: input
                        .population_indicator_id
                        .as_ref()
                        .map(parse_id)
                        .transpose()?,
                    min_population: input.min_population,
                    excluded_area_ids: parse_ids(&input.excluded_area_ids)?,
                },
                visibility: input.visibility.into(),
                shared_with,
            },
        )
        .await
        .gql()?;
        Ok(IndexDefinitionNode(def))
    }
}
