//! Writing a read import (`qn_domain::directory::import`): every row checked against the
//! tenant's areas and what is stored, then everything in one transaction, or nothing when a
//! row is broken. Duplicates (same name near the same place, in the file or already stored,
//! or the same source id again) are reported and skipped, never stored twice.

use super::entity::{actor_areas, actors, offer_areas, offers};
use super::{place, search_sync, EntryStatus};
use crate::kernel::audit;
use crate::kernel::error::AppResult;
use crate::kernel::permissions::Can;
use crate::kernel::state::AppState;
use crate::kernel::viewer::Viewer;
use chrono::Utc;
use qn_domain::areas::postcodes::RowProblem;
use qn_domain::directory::dedupe::{name_key, NEAR_M};
use qn_domain::directory::import::Read;
use qn_domain::directory::Point;
use sea_orm::{ActiveModelTrait, ColumnTrait, EntityTrait, QueryFilter, Set};
use std::collections::{HashMap, HashSet};

#[derive(Debug, Clone, Default, PartialEq)]
pub struct Report {
    /// Usable records in the file (after dropping the file's own duplicates).
    pub records: usize,
    pub actors_created: usize,
    pub actors_reused: usize,
    pub offers_created: usize,
    /// (line, why it was skipped): repeats within the file or of stored entries.
    pub duplicates: Vec<(usize, String)>,
    pub problems: Vec<RowProblem>,
    /// False when nothing was stored (broken rows, or a dry run).
    pub applied: bool,
}

impl Report {
    /// One German paragraph for the import page and the command line.
    pub fn describe(&self) -> String {
        let mut out = if self.applied {
            format!(
                "{} Angebote angelegt, {} Akteure neu, {} vorhandene Akteure ergänzt.",
                self.offers_created, self.actors_created, self.actors_reused
            )
        } else if self.problems.is_empty() {
            format!(
                "Prüfung ohne Fehler: {} Angebote würden angelegt.",
                self.offers_created
            )
        } else {
            format!(
                "Nichts gespeichert: {} fehlerhafte Zeilen.",
                self.problems.len()
            )
        };
        for p in self.problems.iter().take(50) {
            out.push('\n');
            out.push_str(&p.to_string());
        }
        if self.problems.len() > 50 {
            out.push_str(&format!("\n… und {} weitere", self.problems.len() - 50));
        }
        if !self.duplicates.is_empty() {
            out.push_str(&format!(
                "\n{} Doppelte übersprungen:",
                self.duplicates.len()
            ));
            for (line, why) in self.duplicates.iter().take(50) {
                out.push_str(&format!("\nZeile {line}: {why}"));
            }
        }
        out
    }
}

struct Known {
    id: i32,
    key: String,
    point: Point,
}

/// Checks the records against areas and stored entries and, unless a row is broken or
/// `dry_run`, stores them in one transaction (published: the import is the planner's act).
///
/// # Errors
/// `Forbidden` for anyone but planners and admins; database errors (then nothing is stored).
pub async fn apply(
    state: &AppState,
    viewer: &Viewer,
    tenant_id: i32,
    read: Read,
    dry_run: bool,
) -> AppResult<Report> {
    viewer.require(tenant_id, Can::ImportDirectory)?;
    let categories = super::categories::of(&state.db, tenant_id).await?;
    let mut report = Report {
        problems: read.problems,
        duplicates: read
            .duplicates
            .iter()
            .map(|(line, first)| (*line, format!("wie Zeile {first}")))
            .collect(),
        ..Report::default()
    };
    let stored_actors = actors::Entity::find()
        .filter(actors::Column::TenantId.eq(tenant_id))
        .all(&state.db)
        .await?;
    let mut known: HashMap<String, Vec<Known>> = HashMap::new();
    for a in &stored_actors {
        if let (Some(lon), Some(lat)) = (a.lon, a.lat) {
            let key = name_key(&a.name);
            known.entry(key.clone()).or_default().push(Known {
                id: a.id,
                key,
                point: Point { lon, lat },
            });
        }
    }
    let stored_offers: Vec<(i32, String, Option<String>)> = offers::Entity::find()
        .filter(offers::Column::TenantId.eq(tenant_id))
        .all(&state.db)
        .await?
        .into_iter()
        .map(|o| (o.actor_id, name_key(&o.title), o.source))
        .collect();
    let offer_keys: HashSet<(i32, String)> = stored_offers
        .iter()
        .map(|(a, t, _)| (*a, t.clone()))
        .collect();
    let sources: HashSet<String> = stored_offers
        .into_iter()
        .filter_map(|(_, _, s)| s)
        .collect();

    // (record, placed areas, actor to reuse)
    let mut plan = Vec::new();
    for r in read.records {
        let areas = place(state, tenant_id, r.point);
        if areas.is_empty() {
            report.problems.push(RowProblem {
                line: r.line,
                problem: "Der Ort liegt außerhalb der Gebiete dieser Kommune.".into(),
            });
            continue;
        }
        if sources.contains(&r.source) {
            report
                .duplicates
                .push((r.line, format!("schon importiert ({})", r.source)));
            continue;
        }
        let key = name_key(&r.actor.name);
        let reuse = known
            .get(&key)
            .and_then(|list| {
                list.iter()
                    .find(|k| k.key == key && k.point.distance_m(&r.point) <= NEAR_M)
            })
            .map(|k| k.id);
        if let Some(actor_id) = reuse {
            if offer_keys.contains(&(actor_id, name_key(&r.offer.title))) {
                report
                    .duplicates
                    .push((r.line, format!("„{}“ ist schon eingetragen", r.offer.title)));
                continue;
            }
        }
        plan.push((r, areas, reuse));
    }
    report.records = plan.len();
    report.duplicates.sort_by_key(|d| d.0);
    report.problems.sort_by_key(|p| p.line);
    if !report.problems.is_empty() {
        return Ok(report);
    }
    let now = Utc::now();
    let txn = crate::kernel::db::write_txn(&state.db).await?;
    let mut created_here: HashMap<(String, i64, i64), i32> = HashMap::new();
    let mut new_offers = Vec::with_capacity(plan.len());
    let mut area_rows = Vec::new();
    let mut actor_area_rows = Vec::new();
    for (r, areas, reuse) in plan {
        let actor_id = match reuse {
            Some(id) => {
                report.actors_reused += 1;
                id
            }
            None => {
                // Several offers of one new actor in the same file share it (same name, ~same place).
                let cell = (
                    name_key(&r.actor.name),
                    (r.point.lon * 1_000.0).round() as i64,
                    (r.point.lat * 1_000.0).round() as i64,
                );
                if let Some(id) = created_here.get(&cell) {
                    *id
                } else {
                    let checked = r.actor.check()?;
                    let mut m = actors::ActiveModel {
                        tenant_id: Set(tenant_id),
                        status: Set(EntryStatus::Published),
                        trusted: Set(false),
                        pending_change: Set(None),
                        pending_by: Set(None),
                        rejection_reason: Set(None),
                        source: Set(Some(r.source.clone())),
                        confirmed_at: Set(now),
                        reminded_at: Set(None),
                        created_at: Set(now),
                        updated_at: Set(now),
                        ..Default::default()
                    };
                    super::actor_columns(&mut m, &checked);
                    let a = m.insert(&txn).await?;
                    report.actors_created += 1;
                    actor_area_rows.extend(areas.iter().map(|area| actor_areas::ActiveModel {
                        actor_id: Set(a.id),
                        area_id: Set(*area),
                    }));
                    created_here.insert(cell, a.id);
                    a.id
                }
            }
        };
        let checked = r.offer.check(&categories)?;
        let mut m = offers::ActiveModel {
            tenant_id: Set(tenant_id),
            actor_id: Set(actor_id),
            status: Set(EntryStatus::Published),
            pending_change: Set(None),
            pending_by: Set(None),
            rejection_reason: Set(None),
            source: Set(Some(r.source.clone())),
            confirmed_at: Set(now),
            reminded_at: Set(None),
            created_at: Set(now),
            updated_at: Set(now),
            ..Default::default()
        };
        super::offer_columns(&mut m, &checked);
        let o = m.insert(&txn).await?;
        report.offers_created += 1;
        area_rows.extend(areas.iter().map(|area| offer_areas::ActiveModel {
            offer_id: Set(o.id),
            area_id: Set(*area),
        }));
        new_offers.push(o.id);
    }
    for chunk in actor_area_rows.chunks(5_000) {
        actor_areas::Entity::insert_many(chunk.to_vec())
            .exec_without_returning(&txn)
            .await?;
    }
    for chunk in area_rows.chunks(5_000) {
        offer_areas::Entity::insert_many(chunk.to_vec())
            .exec_without_returning(&txn)
            .await?;
    }
    if dry_run {
        txn.rollback().await?;
        return Ok(report);
    }
    audit::record(
        &txn,
        tenant_id,
        viewer,
        "directory.imported",
        "import",
        &format!(
            "{} offers, {} new actors, {} duplicates skipped",
            report.offers_created,
            report.actors_created,
            report.duplicates.len()
        ),
    )
    .await?;
    txn.commit().await?;
    report.applied = true;
    search_sync::sync_offers(state, &new_offers).await;
    Ok(report)
}

/// Reads an uploaded file: GeoJSON when it starts with `{`, else CSV (UTF-8 or Windows-1252).
///
/// # Errors
/// `Validation` with the German reason when the file as a whole cannot be read.
pub fn read(
    bytes: &[u8],
    mapping: &qn_domain::directory::import::Mapping,
    categories: &qn_domain::directory::categories::Categories,
) -> AppResult<Read> {
    use qn_domain::directory::import::{read_csv, read_geojson};
    let (text, _) = qn_domain::indicators::import::decode(bytes);
    let result = if text
        .trim_start_matches('\u{feff}')
        .trim_start()
        .starts_with('{')
    {
        read_geojson(&text, mapping, categories)
    } else {
        read_csv(&text, mapping, categories)
    };
    result.map_err(|e| crate::kernel::error::AppError::Validation(e.to_string()))
}
