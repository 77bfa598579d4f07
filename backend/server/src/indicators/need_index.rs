//! Need index (Sozialindex) definitions: saved per tenant with their indicators, polarities,
//! weights and method, computed per date on request over the level's areas.

use super::entity::{index_definitions as defs, indicator_values};
use super::{by_ids, Indicator, DATASET_INDEX};
use crate::areas::{self, entity::areas as area_table};
use crate::kernel::error::{AppError, AppResult};
use crate::kernel::permissions::Can;
use crate::kernel::viewer::Viewer;
use crate::tenancy;
use chrono::{NaiveDate, Utc};
use qn_domain::indicators::need_index::{
    compute, Combination, Component, IndexClasses, IndexSpec, Normalisation,
};
use qn_domain::indicators::Polarity;
use qn_domain::tenancy::Visibility;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, Condition, ConnectionTrait, EntityTrait, QueryFilter,
    QuerySelect, Set,
};
use serde::{Deserialize, Serialize};
use std::collections::{BTreeSet, HashMap, HashSet};

pub use defs::Model as IndexDefinition;

/// One indicator of an index.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StoredComponent {
    pub indicator_id: i32,
    pub polarity: Polarity,
    pub weight: f64,
}

/// Everything that defines an index besides its name and level.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StoredSpec {
    pub components: Vec<StoredComponent>,
    pub normalisation: Normalisation,
    pub combination: Combination,
    pub restandardise: bool,
    pub classes: IndexClasses,
    /// Areas whose population (this indicator) is below `min_population` are left out.
    pub population_indicator_id: Option<i32>,
    pub min_population: Option<f64>,
    /// Areas the planner leaves out by name (e.g. an industrial estate with few residents).
    pub excluded_area_ids: Vec<i32>,
}

impl StoredSpec {
    fn domain(&self) -> IndexSpec {
        IndexSpec {
            components: self
                .components
                .iter()
                .map(|c| Component {
                    polarity: c.polarity,
                    weight: c.weight,
                })
                .collect(),
            normalisation: self.normalisation,
            combination: self.combination,
            restandardise: self.restandardise,
            classes: self.classes.clone(),
        }
    }
}

fn visible(viewer: &Viewer) -> Condition {
    tenancy::visible_condition(
        DATASET_INDEX,
        defs::Column::Id,
        defs::Column::TenantId,
        defs::Column::Visibility,
        &viewer.staff_tenant_ids(),
    )
}

/// # Errors
/// Database errors.
pub async fn list(
    db: &impl ConnectionTrait,
    viewer: &Viewer,
    tenant_id: i32,
) -> AppResult<Vec<IndexDefinition>> {
    let mut list = defs::Entity::find()
        .filter(defs::Column::TenantId.eq(tenant_id))
        .filter(visible(viewer))
        .all(db)
        .await?;
    list.sort_by_cached_key(|d| (areas::name_key(&d.name), d.id));
    Ok(list)
}

/// Every definition of a tenant, whoever may see it (for integrity checks).
///
/// # Errors
/// Database errors.
pub(crate) async fn list_all_of_tenant(
    db: &impl ConnectionTrait,
    tenant_id: i32,
) -> AppResult<Vec<IndexDefinition>> {
    Ok(defs::Entity::find()
        .filter(defs::Column::TenantId.eq(tenant_id))
        .all(db)
        .await?)
}

/// # Errors
/// `NotFound` when missing or not visible.
pub async fn get(
    db: &impl ConnectionTrait,
    viewer: &Viewer,
    id: i32,
) -> AppResult<IndexDefinition> {
    defs::Entity::find_by_id(id)
        .filter(visible(viewer))
        .one(db)
        .await?
        .ok_or(AppError::NotFound)
}

pub fn spec(def: &IndexDefinition) -> AppResult<StoredSpec> {
    serde_json::from_str(&def.spec).map_err(AppError::internal)
}

/// A new or changed definition.
#[derive(Debug, Clone)]
pub struct DefinitionInput {
    pub tenant_id: i32,
    pub key: String,
    pub name: String,
    pub description: String,
    pub level_id: i32,
    pub spec: StoredSpec,
    pub visibility: Visibility,
    pub shared_with: Vec<i32>,
}

/// Saves a definition (created, or replaced when the key exists) after checking it: every
/// indicator visible and of the tenant, weights finite and not negative, the level the tenant's.
///
/// # Errors
/// `Forbidden` for non-planners, validation errors naming the bad part.
pub async fn save(
    db: &sea_orm::DatabaseConnection,
    viewer: &Viewer,
    input: DefinitionInput,
) -> AppResult<IndexDefinition> {
    viewer.require(input.tenant_id, Can::EditIndicators)?;
    if !super::key_ok(&input.key) {
        return Err(AppError::Validation(
            "Kürzel: nur Kleinbuchstaben, Ziffern, - und _ (1–64 Zeichen)".into(),
        ));
    }
    if input.name.trim().is_empty() {
        return Err(AppError::Validation("Name fehlt".into()));
    }
    let level = areas::level(db, viewer, input.level_id).await?;
    if level.tenant_id != input.tenant_id {
        return Err(AppError::Validation(
            "Die Ebene gehört nicht zu diesem Mandanten".into(),
        ));
    }
    let s = &input.spec;
    if s.components.is_empty() {
        return Err(AppError::Validation(
            "Ein Index braucht mindestens einen Indikator".into(),
        ));
    }
    for c in &s.components {
        if !c.weight.is_finite() || c.weight < 0.0 {
            return Err(AppError::Validation(format!(
                "Gewicht von Indikator {}: eine Zahl ab 0 angeben",
                c.indicator_id
            )));
        }
    }
    if s.components.iter().all(|c| c.weight == 0.0) {
        return Err(AppError::Validation(
            "Mindestens ein Gewicht muss größer als 0 sein".into(),
        ));
    }
    let classes_ok = match &s.classes {
        IndexClasses::SdBands(b) => {
            (1..=8).contains(&b.len())
                && b.iter().all(|x| x.is_finite())
                && b.windows(2).all(|w| w[0] < w[1])
        }
        IndexClasses::Quantiles(n) => (2..=9).contains(n),
    };
    if !classes_ok {
        return Err(AppError::Validation(
            "Klassen: 1 bis 8 aufsteigende Grenzen (Standardabweichungen) oder 2 bis 9 Quantile"
                .into(),
        ));
    }
    if s.min_population.is_some_and(|m| !m.is_finite() || m < 0.0) {
        return Err(AppError::Validation(
            "Mindesteinwohnerzahl: eine Zahl ab 0 angeben".into(),
        ));
    }
    if s.min_population.is_some() != s.population_indicator_id.is_some() {
        return Err(AppError::Validation(
            "Mindesteinwohnerzahl und Einwohner-Indikator nur gemeinsam angeben".into(),
        ));
    }
    let mut ids: Vec<i32> = s.components.iter().map(|c| c.indicator_id).collect();
    ids.extend(s.population_indicator_id);
    let found = by_ids(db, viewer, &ids).await?;
    for id in &ids {
        if !found
            .iter()
            .any(|i| i.id == *id && i.tenant_id == input.tenant_id)
        {
            return Err(AppError::Validation(format!(
                "Indikator {id} gibt es in diesem Mandanten nicht"
            )));
        }
    }
    let spec_json = serde_json::to_string(s).map_err(AppError::internal)?;
    let now = Utc::now();
    let txn = crate::kernel::db::write_txn(db).await?;
    let existing = defs::Entity::find()
        .filter(defs::Column::TenantId.eq(input.tenant_id))
        .filter(defs::Column::Key.eq(input.key.as_str()))
        .one(&txn)
        .await?;
    let def = match existing {
        Some(d) => {
            let mut am: defs::ActiveModel = d.into();
            am.name = Set(input.name.trim().to_owned());
            am.description = Set(input.description.trim().to_owned());
            am.level_id = Set(input.level_id);
            am.spec = Set(spec_json);
            am.visibility = Set(input.visibility.as_str().to_owned());
            am.updated_at = Set(now);
            am.update(&txn).await?
        }
        None => {
            defs::ActiveModel {
                tenant_id: Set(input.tenant_id),
                key: Set(input.key.clone()),
                name: Set(input.name.trim().to_owned()),
                description: Set(input.description.trim().to_owned()),
                level_id: Set(input.level_id),
                spec: Set(spec_json),
                visibility: Set(input.visibility.as_str().to_owned()),
                created_at: Set(now),
                updated_at: Set(now),
                ..Default::default()
            }
            .insert(&txn)
            .await?
        }
    };
    // A shared index saved without a list (e.g. from the page's form) keeps its partners.
    if input.visibility != Visibility::Shared || !input.shared_with.is_empty() {
        let shares = if input.visibility == Visibility::Shared {
            input.shared_with.clone()
        } else {
            Vec::new()
        };
        tenancy::set_shares(&txn, DATASET_INDEX, def.id, &shares).await?;
    }
    txn.commit().await?;
    Ok(def)
}

/// Why an area has no score.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Exclusion {
    /// Named by the planner.
    Named,
    /// Fewer residents than the minimum.
    SmallPopulation,
    /// A component (or the population) has no value.
    MissingValue,
}

#[derive(Debug, Clone)]
pub struct IndexRow {
    pub area: areas::Area,
    pub score: Option<f64>,
    pub class: Option<usize>,
    /// 1 = the most need.
    pub rank: Option<usize>,
    pub excluded: Option<Exclusion>,
}

/// An index computed for one date.
#[derive(Debug, Clone)]
pub struct IndexRun {
    pub definition: IndexDefinition,
    pub spec: StoredSpec,
    pub indicators: Vec<Indicator>,
    pub date: Option<NaiveDate>,
    /// Dates with values of every component.
    pub dates: Vec<NaiveDate>,
    pub rows: Vec<IndexRow>,
    /// Lower bounds of classes 2…n in score units.
    pub breaks: Vec<f64>,
    pub class_count: usize,
    pub valid_areas: usize,
}

impl IndexRun {
    /// The classes that mean "besonderer Handlungsbedarf": with standard-deviation bands those
    /// above the +1 break (classes 3 and 4 with the default −1/+1/+1.5), with quantiles the top one.
    pub fn high_need_from(&self) -> usize {
        self.spec
            .classes
            .high_need_from()
            .unwrap_or_else(|| self.class_count.saturating_sub(1))
    }

    pub fn high_need(&self) -> Vec<&IndexRow> {
        let from = self.high_need_from();
        let mut list: Vec<&IndexRow> = self
            .rows
            .iter()
            .filter(|r| r.class.is_some_and(|c| c >= from))
            .collect();
        list.sort_by(|a, b| b.score.unwrap_or(0.0).total_cmp(&a.score.unwrap_or(0.0)));
        list
    }
}

/// Computes an index at `date` (the latest date with values of every component when `None`).
///
/// # Errors
/// `NotFound` for an invisible definition or component; validation errors from the method
/// (no valid area, zero variance) with German messages.
pub async fn run(
    db: &impl ConnectionTrait,
    cache: Option<&super::PublishedCache>,
    viewer: &Viewer,
    id: i32,
    date: Option<NaiveDate>,
) -> AppResult<IndexRun> {
    let def = get(db, viewer, id).await?;
    let spec = spec(&def)?;
    let mut ids: Vec<i32> = spec.components.iter().map(|c| c.indicator_id).collect();
    ids.extend(spec.population_indicator_id);
    let indicators = by_ids(db, viewer, &ids).await?;
    if ids.iter().any(|id| !indicators.iter().any(|i| i.id == *id)) {
        return Err(AppError::NotFound);
    }
    let area_list = areas::current_areas(db, viewer, def.level_id).await?;
    let level_area_ids: Vec<i32> = area_list.iter().map(|a| a.id).collect();
    let in_level = || {
        indicator_values::Column::AreaId.in_subquery(
            sea_orm::sea_query::Query::select()
                .column(area_table::Column::Id)
                .from(area_table::Entity)
                .and_where(sea_orm::sea_query::ExprTrait::eq(
                    sea_orm::sea_query::Expr::col(area_table::Column::LevelId),
                    def.level_id,
                ))
                .to_owned(),
        )
    };
    // The dates first (small), then the values of one date only.
    let pairs: Vec<(i32, NaiveDate)> = indicator_values::Entity::find()
        .select_only()
        .column(indicator_values::Column::IndicatorId)
        .column(indicator_values::Column::Date)
        .distinct()
        .filter(indicator_values::Column::IndicatorId.is_in(ids.iter().copied()))
        .filter(indicator_values::Column::Value.is_not_null())
        .filter(in_level())
        .into_tuple()
        .all(db)
        .await?;
    let mut per_indicator_dates: HashMap<i32, BTreeSet<NaiveDate>> = HashMap::new();
    for (indicator, d) in pairs {
        per_indicator_dates.entry(indicator).or_default().insert(d);
    }
    let component_ids: Vec<i32> = spec.components.iter().map(|c| c.indicator_id).collect();
    let mut dates: Option<BTreeSet<NaiveDate>> = None;
    // The population counts too: without it at a date, every area would be left out.
    let population = spec
        .population_indicator_id
        .filter(|_| spec.min_population.is_some());
    for id in component_ids.iter().chain(population.iter()) {
        let d = per_indicator_dates.get(id).cloned().unwrap_or_default();
        dates = Some(match dates {
            None => d,
            Some(acc) => acc.intersection(&d).copied().collect(),
        });
    }
    let dates: Vec<NaiveDate> = dates.unwrap_or_default().into_iter().collect();
    let date = date.or_else(|| dates.last().copied());
    // The published values (after disclosure control, the same for every viewer): a score
    // computed from a hidden value could give it away, above all in an index of one indicator.
    let published = Viewer::system(def.tenant_id, qn_domain::tenancy::Role::Planner);
    let mut lookup: HashMap<(i32, i32), Option<f64>> = HashMap::new();
    if let Some(d) = date {
        let found = super::cells(
            db,
            cache,
            &published,
            &indicators,
            super::Dates::Only(&[d]),
            Some(def.level_id),
        )
        .await?;
        for (indicator, by_date) in found {
            for v in by_date.into_values().flatten() {
                lookup.insert((indicator, v.area_id), v.cell.value());
            }
        }
    }
    let excluded_named: HashSet<i32> = spec.excluded_area_ids.iter().copied().collect();
    let mut exclusions: Vec<Option<Exclusion>> = Vec::with_capacity(level_area_ids.len());
    for area in &level_area_ids {
        let e = if excluded_named.contains(area) {
            Some(Exclusion::Named)
        } else if let (Some(pop_id), Some(min)) =
            (spec.population_indicator_id, spec.min_population)
        {
            match lookup.get(&(pop_id, *area)).copied().flatten() {
                Some(p) if p >= min => None,
                Some(_) => Some(Exclusion::SmallPopulation),
                None => Some(Exclusion::MissingValue),
            }
        } else {
            None
        };
        exclusions.push(e);
    }
    let matrix: Vec<Vec<Option<f64>>> = component_ids
        .iter()
        .map(|id| {
            level_area_ids
                .iter()
                .map(|a| lookup.get(&(*id, *a)).copied().flatten())
                .collect()
        })
        .collect();
    let included: Vec<bool> = exclusions.iter().map(Option::is_none).collect();
    let result = compute(&spec.domain(), &matrix, &included)
        .map_err(|e| AppError::Validation(e.to_string()))?;
    let mut order: Vec<(usize, f64)> = result
        .scores
        .iter()
        .enumerate()
        .filter_map(|(i, s)| s.map(|s| (i, s)))
        .collect();
    order.sort_by(|a, b| b.1.total_cmp(&a.1));
    let mut ranks = vec![None; level_area_ids.len()];
    for (rank, (i, _)) in order.iter().enumerate() {
        ranks[*i] = Some(rank + 1);
    }
    let class_count = result.breaks.len() + 1;
    let rows = area_list
        .into_iter()
        .enumerate()
        .map(|(i, a)| IndexRow {
            area: a,
            score: result.scores[i],
            class: result.classes[i],
            rank: ranks[i],
            excluded: exclusions[i].or_else(|| {
                result.scores[i]
                    .is_none()
                    .then_some(Exclusion::MissingValue)
            }),
        })
        .collect();
    Ok(IndexRun {
        definition: def,
        spec,
        indicators,
        date,
        dates,
        rows,
        breaks: result.breaks,
        class_count,
        valid_areas: result.valid_areas,
    })
}
