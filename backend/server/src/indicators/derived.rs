//! Derived indicators: computed from stored indicators once, stored as a new catalogue entry with
//! its derivation, and recomputed on request (`recompute`) after new source values arrive.

use super::entity::indicator_values;
use super::values::{self, Replacing};
use super::{by_ids, cells, create, get, Dates, Indicator, IndicatorInput};
use crate::areas::entity::areas as area_table;
use crate::kernel::error::{AppError, AppResult};
use crate::kernel::permissions::Can;
use crate::kernel::state::AppState;
use crate::kernel::viewer::Viewer;
use qn_domain::indicators::derive::{self, Derivation, DerivedSeries, Series};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QuerySelect, Set};
use std::collections::HashMap;

/// A source's values as they are published (after disclosure control), so a derived value
/// never reveals a hidden one: a change from a shown to a hidden count would give the hidden one
/// away, and a share whose source picked another secondary partner would give that one away.
async fn series(state: &AppState, tenant_id: i32, indicator_id: i64) -> AppResult<Series> {
    let id = i32::try_from(indicator_id)
        .map_err(|_| AppError::Validation(format!("ungültige Indikator-ID {indicator_id}")))?;
    let published = Viewer::system(tenant_id, qn_domain::tenancy::Role::Planner);
    let ind = get(&state.db, &published, id).await?;
    let mut out = Series::new();
    for (_, by_date) in cells(&state.db, None, &published, &[ind], Dates::All, None).await? {
        for (date, values) in by_date {
            for v in values {
                out.insert((i64::from(v.area_id), date), v.cell.value());
            }
        }
    }
    Ok(out)
}

/// Child → parent of the areas of a level.
async fn parents(state: &AppState, level_id: i64, tenant_id: i32) -> AppResult<HashMap<i64, i64>> {
    let level = i32::try_from(level_id)
        .map_err(|_| AppError::Validation(format!("ungültige Ebenen-ID {level_id}")))?;
    let rows = area_table::Entity::find()
        .select_only()
        .column(area_table::Column::Id)
        .column(area_table::Column::ParentId)
        .filter(area_table::Column::LevelId.eq(level))
        .filter(area_table::Column::TenantId.eq(tenant_id))
        .into_tuple::<(i32, Option<i32>)>()
        .all(&state.db)
        .await?;
    if rows.is_empty() {
        return Err(AppError::Validation(
            "Die Ebene hat keine Gebiete dieses Mandanten".into(),
        ));
    }
    Ok(rows
        .into_iter()
        .filter_map(|(id, p)| p.map(|p| (i64::from(id), i64::from(p))))
        .collect())
}

async fn compute(state: &AppState, tenant_id: i32, d: &Derivation) -> AppResult<DerivedSeries> {
    Ok(match *d {
        Derivation::Share {
            numerator,
            denominator,
        } => derive::share(
            &series(state, tenant_id, numerator).await?,
            &series(state, tenant_id, denominator).await?,
        ),
        Derivation::RatePer1000 {
            numerator,
            denominator,
        } => derive::rate_per_1000(
            &series(state, tenant_id, numerator).await?,
            &series(state, tenant_id, denominator).await?,
        ),
        Derivation::AbsoluteChange { source, periods } => {
            derive::change(&series(state, tenant_id, source).await?, periods, false)
                .map_err(|e| AppError::Validation(e.to_string()))?
        }
        Derivation::RelativeChange { source, periods } => {
            derive::change(&series(state, tenant_id, source).await?, periods, true)
                .map_err(|e| AppError::Validation(e.to_string()))?
        }
        Derivation::RollUpSum { source, level } => derive::roll_up(
            &series(state, tenant_id, source).await?,
            None,
            &parents(state, level, tenant_id).await?,
        ),
        Derivation::RollUpWeightedMean {
            source,
            weight,
            level,
        } => derive::roll_up(
            &series(state, tenant_id, source).await?,
            Some(&series(state, tenant_id, weight).await?),
            &parents(state, level, tenant_id).await?,
        ),
    })
}

/// Checks that every source is visible and of the tenant; returns the strictest minimum count
/// among them, which the derived indicator keeps at least.
async fn check_sources(
    state: &AppState,
    viewer: &Viewer,
    tenant_id: i32,
    d: &Derivation,
) -> AppResult<i32> {
    let ids: Vec<i32> = d
        .sources()
        .into_iter()
        .map(|s| i32::try_from(s).map_err(|_| AppError::NotFound))
        .collect::<AppResult<_>>()?;
    let found: Vec<Indicator> = by_ids(&state.db, viewer, &ids).await?;
    for id in &ids {
        match found.iter().find(|i| i.id == *id) {
            Some(i) if i.tenant_id == tenant_id => {}
            Some(_) => {
                return Err(AppError::Validation(
                    "Ausgangsindikatoren müssen zum selben Mandanten gehören".into(),
                ))
            }
            None => {
                return Err(AppError::Validation(format!(
                    "Ausgangsindikator {id} gibt es nicht"
                )))
            }
        }
    }
    Ok(found.iter().map(|i| i.min_count).max().unwrap_or(0))
}

async fn store(
    state: &AppState,
    ind: &Indicator,
    values: DerivedSeries,
    replace_all: bool,
) -> AppResult<usize> {
    if values.is_empty() {
        return Err(AppError::Validation(derive::DeriveError::Empty.to_string()));
    }
    let n = values.len();
    let models = values
        .into_iter()
        .filter_map(|((area, date), v)| {
            Some(indicator_values::ActiveModel {
                indicator_id: Set(ind.id),
                area_id: Set(i32::try_from(area).ok()?),
                date: Set(date),
                value: Set(v.value),
                numerator: Set(v.numerator),
                denominator: Set(v.denominator),
                ..Default::default()
            })
        })
        .collect();
    let replacing = if replace_all {
        Replacing::All
    } else {
        Replacing::SameAreaAndDate
    };
    values::replace(&state.db, &state.mem.published, ind.id, models, replacing).await?;
    Ok(n)
}

/// Creates a derived indicator and computes its values.
///
/// # Errors
/// `Forbidden` for non-planners; validation errors for sources of another tenant, an unknown
/// level, or a computation without any value (then nothing is stored).
pub async fn create_derived(
    state: &AppState,
    viewer: &Viewer,
    tenant_id: i32,
    input: IndicatorInput,
    derivation: Derivation,
) -> AppResult<(Indicator, usize)> {
    viewer.require(tenant_id, Can::EditIndicators)?;
    let strictest = check_sources(state, viewer, tenant_id, &derivation).await?;
    let input = IndicatorInput {
        min_count: input.min_count.max(strictest),
        ..input
    };
    let values = compute(state, tenant_id, &derivation).await?;
    if values.is_empty() {
        return Err(AppError::Validation(derive::DeriveError::Empty.to_string()));
    }
    let json = serde_json::to_string(&derivation).map_err(AppError::internal)?;
    let ind = create(&state.db, viewer, tenant_id, input, Some(json)).await?;
    match store(state, &ind, values, false).await {
        Ok(n) => Ok((ind, n)),
        Err(e) => {
            // The entry goes with its values, or neither stays.
            if let Err(cleanup) =
                super::delete(&state.db, &state.mem.published, viewer, ind.id).await
            {
                tracing::error!(error = %cleanup.public_message(), "removing a failed derivation");
            }
            Err(e)
        }
    }
}

/// Computes a derived indicator again from its sources' current values.
///
/// # Errors
/// `Validation` for an indicator that is not derived; as [`create_derived`].
pub async fn recompute(state: &AppState, viewer: &Viewer, id: i32) -> AppResult<usize> {
    let ind = get(&state.db, viewer, id).await?;
    viewer.require(ind.tenant_id, Can::EditIndicators)?;
    let derivation: Derivation = ind
        .derivation
        .as_deref()
        .map(serde_json::from_str)
        .transpose()
        .map_err(AppError::internal)?
        .ok_or_else(|| AppError::Validation("Der Indikator ist nicht abgeleitet".into()))?;
    check_sources(state, viewer, ind.tenant_id, &derivation).await?;
    let values = compute(state, ind.tenant_id, &derivation).await?;
    store(state, &ind, values, true).await
}
