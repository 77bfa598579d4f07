//! Indicators: the catalogue per tenant, values per area and date, and the one path by which
//! values leave the server ([`cells`]), which applies statistical disclosure control for every
//! viewer without the explicit right to raw data. Maps, tables, exports, profiles and the API
//! all read through it.

pub mod derived;
pub mod entity;
pub mod export;
pub mod import;
pub mod index;
pub mod maps;
pub mod profile;

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
    for def in index::list_all_of_tenant(db, ind.tenant_id).await? {
        let spec = index::spec(&def)?;
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

/// Which dates to read.
#[derive(Debug, Clone, Copy)]
pub enum Dates<'a> {
    All,
    Only(&'a [NaiveDate]),
}

/// Reads the values of `list` (visible indicators) and applies disclosure control per indicator
/// and date across all levels of the tenant, because a value hidden at one level could otherwise
/// be recovered from its parent at the level above. Restricted to the levels the viewer may see,
/// and to `level` when given. Published values of given dates come from `cache` when it has
/// them; raw values (the statistics office) are never cached.
///
/// # Errors
/// Database errors.
pub async fn cells(
    db: &impl ConnectionTrait,
    cache: Option<&PublishedCache>,
    viewer: &Viewer,
    list: &[Indicator],
    dates: Dates<'_>,
    level: Option<i32>,
) -> AppResult<Cells> {
    let mut out: Cells = HashMap::new();
    if list.is_empty() || matches!(dates, Dates::Only(d) if d.is_empty()) {
        return Ok(out);
    }
    let (raw, published): (Vec<Indicator>, Vec<Indicator>) =
        list.iter().cloned().partition(|i| sees_raw(viewer, i));
    let mut groups = groups(db, viewer, &raw, dates).await?;
    match (cache, dates) {
        (Some(cache), Dates::Only(wanted)) => {
            let mut missing: Vec<Indicator> = Vec::new();
            for ind in &published {
                let mut complete = true;
                for d in wanted {
                    match cache.get((ind.id, *d)) {
                        Some(g) => {
                            groups.insert((ind.id, *d), g);
                        }
                        None => complete = false,
                    }
                }
                if !complete {
                    missing.push(ind.clone());
                }
            }
            if !missing.is_empty() {
                let mut fresh = self::groups(db, viewer, &missing, dates).await?;
                for ind in &missing {
                    for d in wanted {
                        let g = fresh.remove(&(ind.id, *d)).unwrap_or_default();
                        cache.put((ind.id, *d), Arc::clone(&g));
                        groups.insert((ind.id, *d), g);
                    }
                }
            }
        }
        _ => groups.extend(self::groups(db, viewer, &published, dates).await?),
    }
    // Values on levels the viewer may not see stay inside (they still count for suppression).
    let tenants: BTreeSet<i32> = list.iter().map(|i| i.tenant_id).collect();
    let mut visible_levels = BTreeSet::new();
    for tenant in &tenants {
        visible_levels.extend(
            areas::levels(db, viewer, *tenant)
                .await?
                .iter()
                .map(|l| l.id),
        );
    }
    for ((indicator_id, date), group) in groups {
        let visible: Vec<VisibleValue> = group
            .iter()
            .filter(|(l, _)| visible_levels.contains(l) && level.is_none_or(|want| want == *l))
            .map(|(_, v)| *v)
            .collect();
        if !visible.is_empty() {
            out.entry(indicator_id).or_default().insert(date, visible);
        }
    }
    Ok(out)
}

/// The values of `list` by indicator and date at every level, raw for the indicators whose raw
/// values the viewer may see, after disclosure control for the others.
async fn groups(
    db: &impl ConnectionTrait,
    viewer: &Viewer,
    list: &[Indicator],
    dates: Dates<'_>,
) -> AppResult<HashMap<(i32, NaiveDate), Group>> {
    let mut out = HashMap::new();
    if list.is_empty() {
        return Ok(out);
    }
    let mut q = indicator_values::Entity::find()
        .filter(indicator_values::Column::IndicatorId.is_in(list.iter().map(|i| i.id)));
    if let Dates::Only(d) = dates {
        q = q.filter(indicator_values::Column::Date.is_in(d.iter().copied()));
    }
    let rows = q.all(db).await?;
    let tenants: BTreeSet<i32> = list.iter().map(|i| i.tenant_id).collect();
    let meta: HashMap<i32, (i32, Option<i32>)> = area_table::Entity::find()
        .select_only()
        .column(area_table::Column::Id)
        .column(area_table::Column::LevelId)
        .column(area_table::Column::ParentId)
        .filter(area_table::Column::TenantId.is_in(tenants.iter().copied()))
        .into_tuple::<(i32, i32, Option<i32>)>()
        .all(db)
        .await?
        .into_iter()
        .map(|(id, level, parent)| (id, (level, parent)))
        .collect();
    let mut grouped: HashMap<(i32, NaiveDate), Vec<indicator_values::Model>> = HashMap::new();
    for r in rows {
        grouped.entry((r.indicator_id, r.date)).or_default().push(r);
    }
    let by_id: HashMap<i32, &Indicator> = list.iter().map(|i| (i.id, i)).collect();
    for ((indicator_id, date), group) in grouped {
        let Some(ind) = by_id.get(&indicator_id) else {
            continue;
        };
        let hidden = if sees_raw(viewer, ind) {
            vec![None; group.len()]
        } else {
            let k = kind(ind);
            let sdc: Vec<SdcCell> = group
                .iter()
                .map(|v| SdcCell {
                    area: i64::from(v.area_id),
                    level: meta.get(&v.area_id).map_or(0, |m| i64::from(m.0)),
                    ancestors: ancestors(&meta, v.area_id),
                    has_value: v.value.is_some(),
                    counts: counts_behind(k, v),
                })
                .collect();
            suppress(&sdc, f64::from(ind.min_count))
        };
        let values: Vec<(i32, VisibleValue)> = group
            .into_iter()
            .zip(hidden)
            .filter_map(|(v, h)| {
                let level = meta.get(&v.area_id)?.0;
                let value = match h {
                    Some(_) => VisibleValue {
                        area_id: v.area_id,
                        cell: Cell::Suppressed,
                        numerator: None,
                        denominator: None,
                    },
                    // Counts travel only with a value (a row without one has nothing to show).
                    None => {
                        let cell = Cell::from(v.value);
                        let shown = matches!(cell, Cell::Value(_));
                        VisibleValue {
                            area_id: v.area_id,
                            cell,
                            numerator: v.numerator.filter(|_| shown),
                            denominator: v.denominator.filter(|_| shown),
                        }
                    }
                };
                Some((level, value))
            })
            .collect();
        out.insert((indicator_id, date), Arc::new(values));
    }
    Ok(out)
}

/// The counts disclosure control checks: the value of a count indicator; numerator and
/// denominator; and for a share or rate given with its denominator only, the numerator that the
/// two reveal (0.5 % of 400 is 2).
fn counts_behind(kind: IndicatorKind, v: &indicator_values::Model) -> [Option<f64>; 3] {
    let implied = match (kind, v.value, v.numerator, v.denominator) {
        (IndicatorKind::Share, Some(x), None, Some(d)) => Some(x * d / 100.0),
        (IndicatorKind::Rate, Some(x), None, Some(d)) => Some(x * d / 1000.0),
        _ => None,
    };
    let own = (kind == IndicatorKind::Count).then_some(v.value).flatten();
    [own.or(implied), v.numerator, v.denominator]
}

/// Every ancestor of an area, nearest first: a Bezirk is the sum of its Quartiere also across a
/// level in between.
fn ancestors(meta: &HashMap<i32, (i32, Option<i32>)>, area: i32) -> Vec<i64> {
    let mut out = Vec::new();
    let mut current = area;
    // Bounded: area trees are shallow, and bad data must not loop.
    for _ in 0..16 {
        let Some(parent) = meta.get(&current).and_then(|(_, p)| *p) else {
            break;
        };
        out.push(i64::from(parent));
        current = parent;
    }
    out
}

/// The (level, date) pairs at which an indicator has values, from `cache` when it has them.
/// One query over the indicator's values otherwise.
///
/// # Errors
/// Database errors.
pub async fn shape(
    db: &impl ConnectionTrait,
    cache: Option<&PublishedCache>,
    indicator_id: i32,
) -> AppResult<Shape> {
    if let Some(hit) = cache.and_then(|c| c.shape_of(indicator_id)) {
        return Ok(hit);
    }
    let pairs: Vec<(i32, NaiveDate)> = indicator_values::Entity::find()
        .select_only()
        .column(area_table::Column::LevelId)
        .column(indicator_values::Column::Date)
        .distinct()
        .inner_join(area_table::Entity)
        .filter(indicator_values::Column::IndicatorId.eq(indicator_id))
        .into_tuple()
        .all(db)
        .await?;
    let pairs = Arc::new(pairs);
    if let Some(c) = cache {
        c.put_shape(indicator_id, Arc::clone(&pairs));
    }
    Ok(pairs)
}

/// The dates an indicator has values for at a level (all levels when `None`), ascending.
///
/// # Errors
/// Database errors.
pub async fn dates(
    db: &impl ConnectionTrait,
    cache: Option<&PublishedCache>,
    indicator_id: i32,
    level: Option<i32>,
) -> AppResult<Vec<NaiveDate>> {
    let pairs = shape(db, cache, indicator_id).await?;
    let set: BTreeSet<NaiveDate> = pairs
        .iter()
        .filter(|(l, _)| level.is_none_or(|want| want == *l))
        .map(|(_, d)| *d)
        .collect();
    Ok(set.into_iter().collect())
}

/// The visible levels of the indicator's tenant that have values of it, top level first.
///
/// # Errors
/// Database errors.
pub async fn levels_with_values(
    db: &impl ConnectionTrait,
    cache: Option<&PublishedCache>,
    viewer: &Viewer,
    indicator: &Indicator,
) -> AppResult<Vec<areas::Level>> {
    let used: BTreeSet<i32> = shape(db, cache, indicator.id)
        .await?
        .iter()
        .map(|(l, _)| *l)
        .collect();
    Ok(areas::levels(db, viewer, indicator.tenant_id)
        .await?
        .into_iter()
        .filter(|l| used.contains(&l.id))
        .collect())
}

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
