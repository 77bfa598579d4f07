//! Coverage indicators: public offers for a target group per 1,000 residents of the matching
//! age, per area, written as values of a rate indicator (`qn_domain::directory::coverage`).
//! The residents come from a population indicator of the tenant: its counts, or the numerators
//! of a share (e.g. "Anteil unter 6-Jähriger" carries the number of children under 6).

use crate::indicators::{self, entity::indicator_values, Indicator, IndicatorInput};
use crate::kernel::audit;
use crate::kernel::error::{AppError, AppResult};
use crate::kernel::permissions::Can;
use crate::kernel::state::AppState;
use crate::kernel::viewer::Viewer;
use qn_domain::directory::coverage::per_thousand;
use qn_domain::directory::taxonomy;
use qn_domain::indicators::{IndicatorKind, Polarity};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect, Set};
use std::collections::HashMap;

/// What to compute.
#[derive(Debug, Clone)]
pub struct CoverageRequest {
    pub target_group: String,
    /// Only offers of these categories (all when empty).
    pub categories: Vec<String>,
    /// The indicator holding the residents of the matching age.
    pub population: i32,
}

/// Computes and stores the coverage on the population indicator's latest date. Returns the
/// indicator and the number of areas with a value.
///
/// # Errors
/// `Forbidden` for anyone but planners and admins, `Validation` for an unknown target group or
/// a population indicator without counts, database errors.
pub async fn save(
    state: &AppState,
    viewer: &Viewer,
    tenant_id: i32,
    req: &CoverageRequest,
) -> AppResult<(Indicator, usize)> {
    viewer.require(tenant_id, Can::EditIndicators)?;
    let db = &state.db;
    let group = taxonomy::target_group_label(&req.target_group).ok_or_else(|| {
        AppError::Validation(format!("Unbekannte Zielgruppe „{}“.", req.target_group))
    })?;
    let categories = super::categories::of(db, tenant_id).await?;
    taxonomy::check_keys("categories", &req.categories, |k| {
        categories.label(k).is_some()
    })
    .map_err(|e| AppError::Entry(vec![e]))?;
    let population = indicators::get(db, viewer, req.population).await?;
    if population.tenant_id != tenant_id {
        return Err(AppError::NotFound);
    }
    let date: Option<chrono::NaiveDate> = indicator_values::Entity::find()
        .select_only()
        .column(indicator_values::Column::Date)
        .filter(indicator_values::Column::IndicatorId.eq(population.id))
        .order_by_desc(indicator_values::Column::Date)
        .into_tuple()
        .one(db)
        .await?;
    let date = date
        .ok_or_else(|| AppError::Validation(format!("„{}“ hat keine Werte.", population.name)))?;
    let counts = indicators::kind(&population) == IndicatorKind::Count;
    let residents: HashMap<i32, f64> = indicator_values::Entity::find()
        .filter(indicator_values::Column::IndicatorId.eq(population.id))
        .filter(indicator_values::Column::Date.eq(date))
        .all(db)
        .await?
        .into_iter()
        .filter_map(|v| Some((v.area_id, if counts { v.value? } else { v.numerator? })))
        .collect();
    if residents.is_empty() {
        return Err(AppError::Validation(format!(
            "„{}“ enthält keine Anzahlen (weder Zählwerte noch Zähler eines Anteils).",
            population.name
        )));
    }
    let offers = super::search_sync::docs_of_tenant(db, tenant_id).await?;
    let rows = per_thousand(&offers, &req.target_group, &req.categories, &residents);
    let category_part = if req.categories.is_empty() {
        String::new()
    } else {
        format!("_{}", req.categories.join("_"))
    };
    let key: String = format!("angebote_{}{category_part}_je_1000", req.target_group)
        .chars()
        .take(64)
        .collect();
    let existing = indicators::list(db, viewer, tenant_id)
        .await?
        .into_iter()
        .find(|i| i.key == key);
    let indicator = match existing {
        Some(i) => i,
        None => {
            let cats: Vec<&str> = req
                .categories
                .iter()
                .filter_map(|c| categories.label(c))
                .collect();
            indicators::create(
                db,
                viewer,
                tenant_id,
                IndicatorInput {
                    key: key.clone(),
                    name: format!("Angebote für {group} je 1.000 ({})", population.name),
                    abbreviation: String::new(),
                    unit: "je 1.000".into(),
                    description: format!(
                        "Öffentliche Angebote des Angebotsverzeichnisses für „{group}“{} (im Gebiet oder für das Gebiet), je 1.000 Personen laut „{}“.",
                        if cats.is_empty() { String::new() } else { format!(" in {}", cats.join(", ")) },
                        population.name
                    ),
                    source: "Angebotsverzeichnis Quartiersnetz".into(),
                    topic: "Angebote".into(),
                    polarity: Polarity::HighIsGood,
                    kind: IndicatorKind::Rate,
                    precision: 1,
                    // The numerator counts public offers: nothing to protect by suppression.
                    min_count: 0,
                    visibility: qn_domain::tenancy::Visibility::Tenant,
                    shared_with: Vec::new(),
                },
                None,
            )
            .await?
        }
    };
    let models: Vec<indicator_values::ActiveModel> = rows
        .iter()
        .map(|c| indicator_values::ActiveModel {
            indicator_id: Set(indicator.id),
            area_id: Set(c.area_id),
            date: Set(date),
            value: Set(Some(c.rate)),
            numerator: Set(Some(c.offers as f64)),
            denominator: Set(Some(c.residents)),
            ..Default::default()
        })
        .collect();
    let written = models.len();
    // The same date again replaces (recomputed after offers changed).
    indicators::values::replace(
        db,
        &state.mem.published,
        indicator.id,
        models,
        indicators::values::Replacing::Date(date),
    )
    .await?;
    audit::record(
        db,
        tenant_id,
        viewer,
        "directory.coverage",
        &format!("indicator:{}", indicator.id),
        &format!("{written} Gebiete, Stand {date}"),
    )
    .await?;
    Ok((indicator, written))
}
