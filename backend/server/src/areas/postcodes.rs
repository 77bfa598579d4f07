//! The postcode table of a tenant (postcode → areas), kept by its planners: residents name
//! their Quartier by postcode in surveys. Replaced as a whole from a CSV file, checked first,
//! written in one transaction.

use super::entity::areas;
use crate::kernel::error::{AppError, AppResult};
use crate::kernel::permissions::Can;
use crate::kernel::viewer::Viewer;
use qn_domain::areas::postcodes::{parse_csv, RowProblem};
use sea_orm::{
    ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter, QueryOrder,
    QuerySelect, Set,
};
use std::collections::{BTreeMap, HashMap, HashSet};

/// Largest table accepted (Germany has about 8,200 postcodes).
const MAX_ROWS: usize = 100_000;

pub mod entity {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
    #[sea_orm(table_name = "postcode_areas")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub tenant_id: i32,
        #[sea_orm(primary_key, auto_increment = false)]
        pub postcode: String,
        #[sea_orm(primary_key, auto_increment = false)]
        pub area_id: i32,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

/// One pair of the table, with the area's name for the planners' page.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    pub postcode: String,
    pub area_id: i32,
    pub area_code: String,
    pub area_name: String,
}

/// The table as the planners see it, ordered by postcode and area name.
///
/// # Errors
/// `Forbidden` for anyone but the tenant's planners; database errors.
pub async fn entries(
    db: &impl ConnectionTrait,
    viewer: &Viewer,
    tenant_id: i32,
) -> AppResult<Vec<Entry>> {
    viewer.require(tenant_id, Can::EditPostcodes)?;
    let pairs: Vec<(String, i32)> = entity::Entity::find()
        .select_only()
        .columns([entity::Column::Postcode, entity::Column::AreaId])
        .filter(entity::Column::TenantId.eq(tenant_id))
        .order_by_asc(entity::Column::Postcode)
        .into_tuple()
        .all(db)
        .await?;
    let ids: Vec<i32> = pairs
        .iter()
        .map(|(_, a)| *a)
        .collect::<HashSet<_>>()
        .into_iter()
        .collect();
    let names: HashMap<i32, (String, String)> = super::by_ids(db, viewer, &ids)
        .await?
        .into_iter()
        .map(|a| (a.id, (a.code, a.name)))
        .collect();
    let mut out: Vec<Entry> = pairs
        .into_iter()
        .filter_map(|(postcode, area_id)| {
            names.get(&area_id).map(|(code, name)| Entry {
                postcode,
                area_id,
                area_code: code.clone(),
                area_name: name.clone(),
            })
        })
        .collect();
    out.sort_by_cached_key(|e| (e.postcode.clone(), super::name_key(&e.area_name)));
    Ok(out)
}

/// Postcode → the given choices (a survey's Quartiere). A row may name a choice itself or an
/// area inside one (a postcode table kept for Stadtteile serves a survey of Stadtbezirke).
///
/// # Errors
/// Database errors.
pub async fn for_choices(
    db: &impl ConnectionTrait,
    tenant_id: i32,
    choices: &[i32],
) -> AppResult<BTreeMap<String, Vec<i64>>> {
    if choices.is_empty() {
        return Ok(BTreeMap::new());
    }
    let pairs: Vec<(String, i32)> = entity::Entity::find()
        .select_only()
        .columns([entity::Column::Postcode, entity::Column::AreaId])
        .filter(entity::Column::TenantId.eq(tenant_id))
        .into_tuple()
        .all(db)
        .await?;
    if pairs.is_empty() {
        return Ok(BTreeMap::new());
    }
    let parents: HashMap<i32, Option<i32>> = areas::Entity::find()
        .select_only()
        .columns([areas::Column::Id, areas::Column::ParentId])
        .filter(areas::Column::TenantId.eq(tenant_id))
        .into_tuple::<(i32, Option<i32>)>()
        .all(db)
        .await?
        .into_iter()
        .collect();
    let wanted: HashSet<i32> = choices.iter().copied().collect();
    let choice_of = |mut id: i32| -> Option<i32> {
        // Bounded walk up the hierarchy (a cycle in broken data must not hang a request).
        for _ in 0..16 {
            if wanted.contains(&id) {
                return Some(id);
            }
            id = (*parents.get(&id)?)?;
        }
        None
    };
    let mut table: BTreeMap<String, Vec<i64>> = BTreeMap::new();
    for (postcode, area) in pairs {
        if let Some(c) = choice_of(area) {
            let list = table.entry(postcode).or_default();
            if !list.contains(&i64::from(c)) {
                list.push(i64::from(c));
            }
        }
    }
    Ok(table)
}

/// Replaces the tenant's table with the rows of a CSV file (`plz;gebiet`, the area by code or
/// name). Every problem is reported at once and nothing changes unless all rows are usable.
/// Returns the number of pairs stored.
///
/// # Errors
/// `Validation` listing the broken rows; `Forbidden`; database errors.
pub async fn replace(
    db: &DatabaseConnection,
    viewer: &Viewer,
    tenant_id: i32,
    csv: &str,
) -> AppResult<usize> {
    viewer.require(tenant_id, Can::EditPostcodes)?;
    let (rows, mut problems) = parse_csv(csv);
    if rows.is_empty() && problems.is_empty() {
        return Err(AppError::Validation(
            "Die Datei enthält keine Zeilen mit Postleitzahl und Gebiet.".into(),
        ));
    }
    if rows.len() > MAX_ROWS {
        return Err(AppError::Validation(format!(
            "Höchstens {MAX_ROWS} Zeilen auf einmal."
        )));
    }
    let resolver = AreaRefs::load(db, viewer, tenant_id).await?;
    let mut pairs: Vec<(String, i32)> = Vec::with_capacity(rows.len());
    for row in rows {
        match resolver.resolve(&row.area) {
            Ok(id) => pairs.push((row.postcode, id)),
            Err(problem) => problems.push(RowProblem {
                line: row.line,
                problem,
            }),
        }
    }
    if !problems.is_empty() {
        problems.sort_by_key(|p| p.line);
        return Err(AppError::Validation(describe(&problems)));
    }
    pairs.sort();
    pairs.dedup();
    let txn = crate::kernel::db::write_txn(db).await?;
    entity::Entity::delete_many()
        .filter(entity::Column::TenantId.eq(tenant_id))
        .exec(&txn)
        .await?;
    for chunk in pairs.chunks(500) {
        entity::Entity::insert_many(chunk.iter().map(|(postcode, area_id)| entity::ActiveModel {
            tenant_id: Set(tenant_id),
            postcode: Set(postcode.clone()),
            area_id: Set(*area_id),
        }))
        .exec(&txn)
        .await?;
    }
    txn.commit().await?;
    Ok(pairs.len())
}

/// The first problems, one per line of the message (a file with thousands of broken rows
/// should not make a message of megabytes).
fn describe(problems: &[RowProblem]) -> String {
    let mut lines: Vec<String> = problems.iter().take(20).map(ToString::to_string).collect();
    if problems.len() > 20 {
        lines.push(format!("… und {} weitere Zeilen", problems.len() - 20));
    }
    format!(
        "Die Datei wurde nicht übernommen ({} fehlerhafte Zeilen):\n{}",
        problems.len(),
        lines.join("\n")
    )
}

/// Area references of a file: a code (the finest level wins when levels share codes) or a
/// unique name.
struct AreaRefs {
    by_code: HashMap<String, i32>,
    by_name: HashMap<String, Vec<i32>>,
}

impl AreaRefs {
    async fn load(db: &impl ConnectionTrait, viewer: &Viewer, tenant_id: i32) -> AppResult<Self> {
        let levels = super::levels(db, viewer, tenant_id).await?;
        let mut by_code = HashMap::new();
        let mut by_name: HashMap<String, Vec<i32>> = HashMap::new();
        // Top level first, so a finer level's code overwrites a coarser one's.
        for level in &levels {
            for a in super::current_areas(db, viewer, level.id).await? {
                by_code.insert(a.code.clone(), a.id);
                by_name
                    .entry(super::name_key(&a.name))
                    .or_default()
                    .push(a.id);
            }
        }
        Ok(Self { by_code, by_name })
    }

    fn resolve(&self, reference: &str) -> Result<i32, String> {
        if let Some(id) = self.by_code.get(reference) {
            return Ok(*id);
        }
        match self
            .by_name
            .get(&super::name_key(reference))
            .map(Vec::as_slice)
        {
            Some([one]) => Ok(*one),
            Some([_, ..]) => Err(format!(
                "der Name „{reference}“ passt auf mehrere Gebiete; bitte den Schlüssel angeben"
            )),
            _ => Err(format!(
                "kein Gebiet mit Schlüssel oder Namen „{reference}“"
            )),
        }
    }
}
