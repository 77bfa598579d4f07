//! The Quartier profile (Steckbrief) of one area: every visible indicator with values at the
//! area's level, compared with the level, plus strengths and weaknesses.

use super::entity::indicator_values;
use super::{cells, list, polarity, Dates, Indicator};
use crate::areas::{self, Area, Level};
use crate::kernel::error::AppResult;
use crate::kernel::viewer::Viewer;
use chrono::NaiveDate;
use qn_domain::indicators::profile::{line, strengths_and_weaknesses, ProfileLine};
use qn_domain::indicators::Cell;
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QuerySelect};
use std::collections::{BTreeSet, HashMap};

#[derive(Debug, Clone)]
pub struct ProfileEntry {
    pub indicator: Indicator,
    pub date: NaiveDate,
    pub cell: Cell,
    pub line: ProfileLine,
}

#[derive(Debug, Clone)]
pub struct Profile {
    pub area: Area,
    pub level: Level,
    pub entries: Vec<ProfileEntry>,
    /// Indexes into `entries`.
    pub strengths: Vec<usize>,
    pub weaknesses: Vec<usize>,
}

/// How many strengths and weaknesses a profile names.
const HIGHLIGHTS: usize = 3;

/// # Errors
/// `NotFound` for an area the viewer may not see.
pub async fn profile(
    db: &impl ConnectionTrait,
    cache: Option<&super::PublishedCache>,
    viewer: &Viewer,
    area_id: i32,
) -> AppResult<Profile> {
    let area = areas::by_id(db, viewer, area_id).await?;
    let level = areas::level(db, viewer, area.level_id).await?;
    let indicators = list(db, viewer, area.tenant_id).await?;
    // Only the two latest dates at which this area has an entry, per indicator: a profile must
    // not read every value of every indicator.
    let own: Vec<(i32, NaiveDate)> = indicator_values::Entity::find()
        .select_only()
        .column(indicator_values::Column::IndicatorId)
        .column(indicator_values::Column::Date)
        .filter(indicator_values::Column::AreaId.eq(area.id))
        .filter(indicator_values::Column::IndicatorId.is_in(indicators.iter().map(|i| i.id)))
        .into_tuple()
        .all(db)
        .await?;
    let mut latest: HashMap<i32, BTreeSet<NaiveDate>> = HashMap::new();
    for (indicator, date) in own {
        let set = latest.entry(indicator).or_default();
        set.insert(date);
        if set.len() > 2 {
            set.pop_first();
        }
    }
    let dates: Vec<NaiveDate> = latest
        .into_values()
        .flatten()
        .collect::<BTreeSet<_>>()
        .into_iter()
        .collect();
    let mut all = cells(
        db,
        cache,
        viewer,
        &indicators,
        Dates::Only(&dates),
        Some(level.id),
    )
    .await?;
    let mut entries = Vec::new();
    for ind in indicators {
        let Some(by_date) = all.remove(&ind.id) else {
            continue;
        };
        // The latest date at which the area has an entry, and the one before it.
        let mut own = by_date.iter().rev().filter_map(|(d, vs)| {
            vs.iter()
                .find(|v| v.area_id == area.id)
                .map(|v| (*d, v.cell))
        });
        let Some((date, cell)) = own.next() else {
            continue;
        };
        let previous = own.next().and_then(|(_, c)| c.value());
        let level_values: Vec<f64> = by_date
            .get(&date)
            .map(|vs| vs.iter().filter_map(|v| v.cell.value()).collect())
            .unwrap_or_default();
        let l = line(polarity(&ind), cell.value(), &level_values, previous);
        entries.push(ProfileEntry {
            indicator: ind,
            date,
            cell,
            line: l,
        });
    }
    let lines: Vec<ProfileLine> = entries.iter().map(|e| e.line).collect();
    let (strengths, weaknesses) = strengths_and_weaknesses(&lines, HIGHLIGHTS);
    Ok(Profile {
        area,
        level,
        entries,
        strengths,
        weaknesses,
    })
}

/// The profile as CSV for spreadsheets (UTF-8 with BOM, `;`, decimal comma).
///
/// # Errors
/// Never in practice (writing to memory); kept for the csv writer's signature.
pub fn to_csv(p: &Profile) -> AppResult<String> {
    let mut w = qn_domain::csv_out::Sheet::new(true, true);
    let err = |e: csv::Error| crate::kernel::error::AppError::internal(e);
    w.write_record([
        "gebiet_id",
        "gebiet",
        "indikator",
        "einheit",
        "datum",
        "wert",
        "mittelwert_ebene",
        "abweichung",
        "rang",
        "von",
        "veraenderung",
    ])
    .map_err(err)?;
    for e in &p.entries {
        // Spreadsheet numbers: decimal comma, no grouping, ASCII minus.
        let prec = usize::try_from(e.indicator.precision.clamp(0, 6)).unwrap_or(1);
        let n = |v: Option<f64>| {
            v.map(|v| format!("{v:.prec$}").replace('.', ","))
                .unwrap_or_default()
        };
        let value = match e.cell {
            Cell::Value(v) => n(Some(v)),
            Cell::NoData => "keine Daten".into(),
            Cell::Suppressed => "geheim".into(),
        };
        w.write_record([
            p.area.code.as_str(),
            p.area.name.as_str(),
            e.indicator.name.as_str(),
            e.indicator.unit.as_str(),
            &e.date.to_string(),
            &value,
            &n(e.line.mean),
            &n(e.line.deviation),
            &e.line.rank.map(|r| r.to_string()).unwrap_or_default(),
            &e.line.of.to_string(),
            &n(e.line.trend),
        ])
        .map_err(err)?;
    }
    Ok(w.into_string())
}
