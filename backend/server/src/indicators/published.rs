//! Values as the viewer may see them: disclosure control over all levels, cached per indicator and date.

use super::*;

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
pub(super) async fn groups(
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
pub(super) fn counts_behind(kind: IndicatorKind, v: &indicator_values::Model) -> [Option<f64>; 3] {
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
pub(super) fn ancestors(meta: &HashMap<i32, (i32, Option<i32>)>, area: i32) -> Vec<i64> {
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
