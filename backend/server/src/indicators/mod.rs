//! Indicators: the catalogue per tenant, values per area and date, and the one path by which
//! values leave the server ([`cells`]), which applies statistical disclosure control for every
//! viewer without the explicit right to raw data. Maps, tables, exports, profiles and the API
//! all read through it.

pub mod derived;
pub mod entity;
pub mod export;
pub mod import;
pub mod maps;
pub mod need_index;
pub mod profile;
mod published;
pub mod values;
pub use published::*;

use crate::areas::{self, entity::areas as area_table};
use crate::kernel::audit;
use crate::kernel::error::{AppError, AppResult};
pub use crate::kernel::memory::PublishedCache;
use crate::kernel::memory::{Group, Shape};
use crate::kernel::permissions::Can;
use crate::kernel::viewer::Viewer;
use crate::tenancy;
use chrono::{NaiveDate, Utc};
use entity::{indicator_values, indicators};
pub use qn_domain::indicators::disclosure::VisibleValue;
use qn_domain::indicators::disclosure::{suppress, SdcCell};
use qn_domain::indicators::{Cell, IndicatorKind, Polarity};
use qn_domain::tenancy::Visibility;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, Condition, ConnectionTrait, EntityTrait, QueryFilter,
    QuerySelect, Set,
};
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::sync::Arc;

pub use entity::indicators::Model as Indicator;

/// Dataset kinds for [`tenancy::visible_condition`].
pub const DATASET_INDICATOR: &str = "indicator";
pub const DATASET_INDEX: &str = "index_definition";

fn visible(viewer: &Viewer) -> Condition {
    tenancy::visible_condition(
        DATASET_INDICATOR,
        indicators::Column::Id,
        indicators::Column::TenantId,
        indicators::Column::Visibility,
        &viewer.staff_tenant_ids(),
    )
}

/// Whether the viewer sees this indicator's values unsuppressed.
pub fn sees_raw(viewer: &Viewer, indicator: &Indicator) -> bool {
    viewer.may(indicator.tenant_id, Can::ReadRawValues)
}

pub fn polarity(i: &Indicator) -> Polarity {
    i.polarity.parse().unwrap_or(Polarity::Neutral)
}

pub fn kind(i: &Indicator) -> IndicatorKind {
    i.kind.parse().unwrap_or(IndicatorKind::Index)
}

/// The visible indicators of a tenant, ordered by topic and name.
///
/// # Errors
/// Database errors.
pub async fn list(
    db: &impl ConnectionTrait,
    viewer: &Viewer,
    tenant_id: i32,
) -> AppResult<Vec<Indicator>> {
    let mut list = indicators::Entity::find()
        .filter(indicators::Column::TenantId.eq(tenant_id))
        .filter(visible(viewer))
        .all(db)
        .await?;
    list.sort_by_cached_key(|i| (areas::name_key(&i.topic), areas::name_key(&i.name), i.id));
    Ok(list)
}

/// # Errors
/// `NotFound` when missing or not visible to the viewer.
pub async fn get(db: &impl ConnectionTrait, viewer: &Viewer, id: i32) -> AppResult<Indicator> {
    indicators::Entity::find_by_id(id)
        .filter(visible(viewer))
        .one(db)
        .await?
        .ok_or(AppError::NotFound)
}

/// Indicators by id, only the visible ones; one query.
///
/// # Errors
/// Database errors.
pub async fn by_ids(
    db: &impl ConnectionTrait,
    viewer: &Viewer,
    ids: &[i32],
) -> AppResult<Vec<Indicator>> {
    Ok(indicators::Entity::find()
        .filter(indicators::Column::Id.is_in(ids.iter().copied()))
        .filter(visible(viewer))
        .all(db)
        .await?)
}

/// The catalogue entry of an indicator, as a planner enters it.
#[derive(Debug, Clone)]
pub struct IndicatorInput {
    pub key: String,
    pub name: String,
    pub abbreviation: String,
    pub unit: String,
    pub description: String,
    pub source: String,
    pub topic: String,
    pub polarity: Polarity,
    pub kind: IndicatorKind,
    pub precision: i32,
    pub min_count: i32,
    pub visibility: Visibility,
    pub shared_with: Vec<i32>,
}

pub(crate) fn key_ok(key: &str) -> bool {
    !key.is_empty()
        && key.len() <= 64
        && key
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-' || c == '_')
}

fn check_input(input: &IndicatorInput) -> AppResult<()> {
    if !key_ok(&input.key) {
        return Err(AppError::Validation(
            "Kürzel: nur Kleinbuchstaben, Ziffern, - und _ (1–64 Zeichen)".into(),
        ));
    }
    if input.name.trim().is_empty() || input.name.len() > 200 {
        return Err(AppError::Validation("Name fehlt oder ist zu lang".into()));
    }
    if !(0..=6).contains(&input.precision) {
        return Err(AppError::Validation(
            "Nachkommastellen: zwischen 0 und 6".into(),
        ));
    }
    if !(0..=1000).contains(&input.min_count) {
        return Err(AppError::Validation(
            "Mindestfallzahl: zwischen 0 und 1000".into(),
        ));
    }
    for (field, value) in [
        ("Abkürzung", &input.abbreviation),
        ("Einheit", &input.unit),
        ("Quelle", &input.source),
        ("Thema", &input.topic),
    ] {
        if value.len() > 200 {
            return Err(AppError::Validation(format!("{field} ist zu lang")));
        }
    }
    if input.description.len() > 10_000 {
        return Err(AppError::Validation("Beschreibung ist zu lang".into()));
    }
    Ok(())
}

/// Creates an indicator in a tenant's catalogue; planners and admins only.
///
/// # Errors
/// `Forbidden`, validation errors, `Conflict` for a key in use.
pub async fn create(
    db: &sea_orm::DatabaseConnection,
    viewer: &Viewer,
    tenant_id: i32,
    input: IndicatorInput,
    derivation: Option<String>,
) -> AppResult<Indicator> {
    viewer.require(tenant_id, Can::EditIndicators)?;
    check_input(&input)?;
    let txn = crate::kernel::db::write_txn(db).await?;
    if indicators::Entity::find()
        .filter(indicators::Column::TenantId.eq(tenant_id))
        .filter(indicators::Column::Key.eq(input.key.as_str()))
        .one(&txn)
        .await?
        .is_some()
    {
        return Err(AppError::Conflict(format!(
            "Es gibt schon einen Indikator mit dem Kürzel {}",
            input.key
        )));
    }
    let now = Utc::now();
    let ind = indicators::ActiveModel {
        tenant_id: Set(tenant_id),
        key: Set(input.key.clone()),
        name: Set(input.name.trim().to_owned()),
        abbreviation: Set(input.abbreviation.trim().to_owned()),
        unit: Set(input.unit.trim().to_owned()),
        description: Set(input.description.trim().to_owned()),
        source: Set(input.source.trim().to_owned()),
        topic: Set(input.topic.trim().to_owned()),
        polarity: Set(input.polarity.as_str().to_owned()),
        kind: Set(input.kind.as_str().to_owned()),
        precision: Set(input.precision),
        min_count: Set(input.min_count),
        visibility: Set(input.visibility.as_str().to_owned()),
        derivation: Set(derivation),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    }
    .insert(&txn)
    .await?;
    let shares = shares_of(&input);
    tenancy::set_shares(&txn, DATASET_INDICATOR, ind.id, &shares).await?;
    txn.commit().await?;
    Ok(ind)
}

fn shares_of(input: &IndicatorInput) -> Vec<i32> {
    if input.visibility == Visibility::Shared {
        input.shared_with.clone()
    } else {
        Vec::new()
    }
}

/// Changes a catalogue entry (the key stays).
///
/// # Errors
/// `NotFound`, `Forbidden`, validation errors.
pub async fn update(
    db: &sea_orm::DatabaseConnection,
    cache: &PublishedCache,
    viewer: &Viewer,
    id: i32,
    input: IndicatorInput,
) -> AppResult<Indicator> {
    let current = get(db, viewer, id).await?;
    viewer.require(current.tenant_id, Can::EditIndicators)?;
    check_input(&IndicatorInput {
        key: current.key.clone(),
        ..input.clone()
    })?;
    let lowered = lowers_protection(&current, &input);
    if lowered.is_some() && !sees_raw(viewer, &current) {
        return Err(AppError::Forbidden);
    }
    let txn = crate::kernel::db::write_txn(db).await?;
    if let Some(detail) = lowered {
        audit::record(
            &txn,
            current.tenant_id,
            viewer,
            "indicator.protection_lowered",
            &format!("indicator:{}", current.id),
            &detail,
        )
        .await?;
    }
    let mut am: indicators::ActiveModel = current.into();
    am.name = Set(input.name.trim().to_owned());
    am.abbreviation = Set(input.abbreviation.trim().to_owned());
    am.unit = Set(input.unit.trim().to_owned());
    am.description = Set(input.description.trim().to_owned());
    am.source = Set(input.source.trim().to_owned());
    am.topic = Set(input.topic.trim().to_owned());
    am.polarity = Set(input.polarity.as_str().to_owned());
    am.kind = Set(input.kind.as_str().to_owned());
    am.precision = Set(input.precision);
    am.min_count = Set(input.min_count);
    am.visibility = Set(input.visibility.as_str().to_owned());
    am.updated_at = Set(Utc::now());
    let ind = am.update(&txn).await?;
    // A shared indicator saved without a list (e.g. from the page's form) keeps its partners.
    if input.visibility != Visibility::Shared || !input.shared_with.is_empty() {
        tenancy::set_shares(&txn, DATASET_INDICATOR, ind.id, &shares_of(&input)).await?;
    }
    txn.commit().await?;
    // Kind and minimum count decide what is hidden.
    cache.forget(Some(ind.id));
    Ok(ind)
}

/// What a change would lift of disclosure control, in words for the audit trail: a lower
/// minimum count, or another kind (a count read as an index, say, has no counts to protect).
/// Only the statistics office may make such a change.
fn lowers_protection(current: &Indicator, input: &IndicatorInput) -> Option<String> {
    let mut what = Vec::new();
    if input.min_count < current.min_count {
        what.push(format!(
            "Mindestfallzahl {} → {}",
            current.min_count, input.min_count
        ));
    }
    if input.kind != kind(current) {
        what.push(format!("Art {} → {}", current.kind, input.kind.as_str()));
    }
    (!what.is_empty()).then(|| what.join("; "))
}

/// Deletes an indicator with its values. Refused while a need index or a derived indicator
/// uses it (those would silently break).
///
/// # Errors
/// `NotFound`, `Forbidden`, `Conflict` when still in use.
pub async fn delete(
    db: &sea_orm::DatabaseConnection,
    cache: &PublishedCache,
    viewer: &Viewer,
    id: i32,
) -> AppResult<()> {
    let ind = get(db, viewer, id).await?;
    viewer.require(ind.tenant_id, Can::EditIndicators)?;
    for def in need_index::list_all_of_tenant(db, ind.tenant_id).await? {
        let spec = need_index::spec(&def)?;
        let used = spec.components.iter().any(|c| c.indicator_id == id)
            || spec.population_indicator_id == Some(id);
        if used {
            return Err(AppError::Conflict(format!(
                "Der Sozialindex „{}“ verwendet diesen Indikator",
                def.name
            )));
        }
    }
    let derived_from_it = indicators::Entity::find()
        .filter(indicators::Column::TenantId.eq(ind.tenant_id))
        .filter(indicators::Column::Derivation.is_not_null())
        .all(db)
        .await?
        .into_iter()
        .find(|d| {
            d.derivation
                .as_deref()
                .and_then(|j| {
                    serde_json::from_str::<qn_domain::indicators::derive::Derivation>(j).ok()
                })
                .is_some_and(|der| der.sources().contains(&i64::from(id)))
        });
    if let Some(d) = derived_from_it {
        return Err(AppError::Conflict(format!(
            "Der Indikator „{}“ wird aus diesem berechnet",
            d.name
        )));
    }
    let txn = crate::kernel::db::write_txn(db).await?;
    indicator_values::Entity::delete_many()
        .filter(indicator_values::Column::IndicatorId.eq(id))
        .exec(&txn)
        .await?;
    entity::indicator_import_drafts::Entity::delete_many()
        .filter(entity::indicator_import_drafts::Column::IndicatorId.eq(id))
        .exec(&txn)
        .await?;
    tenancy::set_shares(&txn, DATASET_INDICATOR, id, &[]).await?;
    indicators::Entity::delete_by_id(id).exec(&txn).await?;
    txn.commit().await?;
    cache.forget(Some(id));
    Ok(())
}

/// Values of several indicators, per indicator and date, as the viewer may see them.
pub type Cells = HashMap<i32, BTreeMap<NaiveDate, Vec<VisibleValue>>>;

/// Formats a number the German way with the indicator's precision (1.234,5).
pub fn format_de(v: f64, precision: i32) -> String {
    let p = usize::try_from(precision.clamp(0, 6)).unwrap_or(1);
    let s = format!("{:.*}", p, v.abs());
    let (int, frac) = s.split_once('.').unwrap_or((&s, ""));
    let mut grouped = String::new();
    for (i, c) in int.chars().enumerate() {
        if i > 0 && (int.len() - i) % 3 == 0 {
            grouped.push('.');
        }
        grouped.push(c);
    }
    let sign = if v < 0.0 && s.chars().any(|c| c.is_ascii_digit() && c != '0') {
        "−"
    } else {
        ""
    };
    if frac.is_empty() {
        format!("{sign}{grouped}")
    } else {
        format!("{sign}{grouped},{frac}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn german_number_format() {
        assert_eq!(format_de(1234.56, 1), "1.234,6");
        assert_eq!(format_de(-0.04, 1), "0,0");
        assert_eq!(format_de(-12.5, 2), "−12,50");
        assert_eq!(format_de(1_044_555.0, 0), "1.044.555");
        assert_eq!(format_de(999.0, 0), "999");
    }

    fn row(
        value: Option<f64>,
        numerator: Option<f64>,
        denominator: Option<f64>,
    ) -> indicator_values::Model {
        indicator_values::Model {
            id: 1,
            indicator_id: 1,
            area_id: 1,
            date: chrono::NaiveDate::from_ymd_opt(2020, 12, 31).unwrap_or_default(),
            value,
            numerator,
            denominator,
        }
    }

    #[test]
    fn the_counts_behind_a_value() {
        // A count is checked by its value even when a denominator is given.
        assert_eq!(
            counts_behind(IndicatorKind::Count, &row(Some(2.0), None, Some(5000.0))),
            [Some(2.0), None, Some(5000.0)]
        );
        // 0.5 % of 400 reveals a numerator of 2.
        let c = counts_behind(IndicatorKind::Share, &row(Some(0.5), None, Some(400.0)));
        assert!(c[0].is_some_and(|n| (n - 2.0).abs() < 1e-9));
        assert_eq!(
            counts_behind(IndicatorKind::Rate, &row(Some(5.0), None, Some(400.0)))[0],
            Some(2.0)
        );
        assert_eq!(
            counts_behind(IndicatorKind::Index, &row(Some(5.0), None, None)),
            [None, None, None]
        );
    }

    #[test]
    fn ancestors_reach_the_top_and_end_on_bad_data() {
        // Block 3 lies in Stadtteil 2 in Bezirk 1.
        let meta: HashMap<i32, (i32, Option<i32>)> =
            [(1, (10, None)), (2, (20, Some(1))), (3, (30, Some(2)))].into();
        assert_eq!(ancestors(&meta, 3), vec![2, 1]);
        assert!(ancestors(&meta, 1).is_empty());
        let cyclic: HashMap<i32, (i32, Option<i32>)> =
            [(1, (10, Some(2))), (2, (10, Some(1)))].into();
        assert_eq!(ancestors(&cyclic, 1).len(), 16, "bad data ends");
    }

    #[test]
    fn keys() {
        assert!(key_ok("anteil_u18"));
        assert!(!key_ok("Anteil U18"));
        assert!(!key_ok(""));
    }
}
