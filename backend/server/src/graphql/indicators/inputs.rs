//! The mutations' inputs and reports: indicators, value imports, derivations, need indices.

use super::*;

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

pub(super) async fn indicator_input(
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

pub(super) fn need_id(id: Option<&ID>, what: &str) -> Result<i64> {
    let id =
        id.ok_or_else(|| crate::graphql::gql(AppError::Validation(format!("{what} fehlt"))))?;
    Ok(i64::from(parse_id(id)?))
}

pub(super) fn derivation(d: &DerivationInput) -> Result<Derivation> {
    let periods = || -> Result<usize> {
        usize::try_from(d.periods.unwrap_or(1))
            .map_err(|_| crate::graphql::gql(AppError::Validation("periods muss ≥ 1 sein".into())))
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
