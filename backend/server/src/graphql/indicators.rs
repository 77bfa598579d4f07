//! GraphQL types and operations of indicators, maps, need indices and profiles. Every value
//! comes through `indicators::cells`, so disclosure control holds here as everywhere.

mod inputs;
mod map_nodes;
mod need_index;
mod profiles;
pub use inputs::*;
pub use map_nodes::*;
pub use need_index::*;
pub use profiles::*;

use super::areas::{AreaNode, LevelNode, VisibilityGql};
use super::{ctx, loaders, parse_id, tenancy::TenantNode, GqlResult};
use crate::indicators::{
    self, derived, import as imp, maps, need_index as need, profile, Dates, Indicator,
    IndicatorInput,
};
use crate::kernel::error::AppError;
use async_graphql::dataloader::DataLoader;
use async_graphql::{Context, Enum, InputObject, Object, Result, SimpleObject, ID};
use base64::Engine;
use chrono::NaiveDate;
use qn_domain::indicators::classify::Method;
use qn_domain::indicators::derive::Derivation;
use qn_domain::indicators::import::{Format, Layout};
use qn_domain::indicators::need_index::{Combination, IndexClasses, Normalisation};
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
