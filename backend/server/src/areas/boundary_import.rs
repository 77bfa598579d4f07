//! Importing a level's boundaries: validated first, then applied in one transaction; what follows is owed as BoundariesChanged.

use super::*;

/// What to import: the target level (created if new) and how to read the file.
#[derive(Debug, Clone)]
pub struct ImportRequest {
    pub tenant_id: i32,
    pub level_key: String,
    pub level_name: String,
    pub parent_level_key: Option<String>,
    /// `None`: a new level is `Tenant`, an existing one keeps its visibility and shares.
    pub visibility: Option<Visibility>,
    pub shared_with: Vec<i32>,
    pub mapping: FieldMapping,
    pub crs: Option<Crs>,
    pub geojson: String,
    pub dry_run: bool,
}

/// The outcome of an import. With problems, nothing was stored.
#[derive(Debug, Clone, Default)]
pub struct ImportReport {
    pub applied: bool,
    pub level_id: Option<i32>,
    pub created: usize,
    pub changed: usize,
    pub unchanged: usize,
    pub retired: usize,
    pub problems: Vec<ImportProblem>,
    /// Steps after the stored import that failed (the import itself stands; each step runs
    /// again at the next import or start). Filled by `flows::boundaries`.
    pub unsettled: Vec<String>,
}

/// An applied or refused import, and the reaction it still owes.
#[must_use = "the changed boundaries must be settled: flows::boundaries::import"]
#[derive(Debug)]
pub struct Imported {
    pub report: ImportReport,
    /// `Some` once boundaries were stored: only `flows::boundaries::settle` consumes it.
    pub changed: Option<BoundariesChanged>,
}

/// Proof that a tenant's boundaries changed. What depends on them (the area index, maps,
/// published values, where posts and directory entries lie, the search) is out of date until
/// `flows::boundaries::settle` consumes this; dropping it unsettled is a bug, logged (and a
/// panic in debug builds).
#[must_use = "pass it to flows::boundaries::settle"]
#[derive(Debug)]
pub struct BoundariesChanged {
    pub(super) tenant_id: i32,
    pub(super) settled: bool,
}

impl BoundariesChanged {
    fn new(tenant_id: i32) -> Self {
        Self {
            tenant_id,
            settled: false,
        }
    }

    pub fn tenant_id(&self) -> i32 {
        self.tenant_id
    }

    /// Marks the reaction as done; returns the tenant.
    pub fn settle(mut self) -> i32 {
        self.settled = true;
        self.tenant_id
    }
}

impl Drop for BoundariesChanged {
    fn drop(&mut self) {
        if !self.settled && !std::thread::panicking() {
            tracing::error!(
                tenant_id = self.tenant_id,
                "boundaries changed and not settled"
            );
            debug_assert!(false, "BoundariesChanged dropped unsettled");
        }
    }
}

pub(super) fn problem_report(problems: Vec<ImportProblem>) -> Imported {
    Imported {
        report: ImportReport {
            problems,
            ..Default::default()
        },
        changed: None,
    }
}

pub(super) fn level_key_ok(key: &str) -> bool {
    !key.is_empty()
        && key.len() <= 64
        && key
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-' || c == '_')
}

/// Validates the whole file first, then applies it in one transaction: new areas are created,
/// changed boundaries get a new version (the old one keeps its `valid_to`), areas missing from
/// the file are retired. The index is rebuilt afterwards.
///
/// # Errors
/// `Forbidden` unless the viewer is a planner or admin of the tenant; validation errors for the
/// level; problems in the file come back in the report, not as an error.
pub async fn import(
    state: &AppState,
    viewer: &Viewer,
    mut req: ImportRequest,
) -> AppResult<Imported> {
    viewer.require(req.tenant_id, Can::EditAreas)?;
    if !level_key_ok(&req.level_key) {
        return Err(AppError::Validation(
            "Ebenen-Kürzel: nur Kleinbuchstaben, Ziffern, - und _ (1–64 Zeichen)".into(),
        ));
    }
    if req.level_name.trim().is_empty() {
        return Err(AppError::Validation("Name der Ebene fehlt".into()));
    }
    let parent_level = match &req.parent_level_key {
        Some(key) => Some(
            area_levels::Entity::find()
                .filter(area_levels::Column::TenantId.eq(req.tenant_id))
                .filter(area_levels::Column::Key.eq(key.as_str()))
                .one(&state.db)
                .await?
                .ok_or_else(|| {
                    AppError::Validation(format!("übergeordnete Ebene {key} gibt es nicht"))
                })?,
        ),
        None => None,
    };
    if parent_level.is_some() != req.mapping.parent.is_some() {
        return Err(AppError::Validation(
            "Übergeordnete Ebene und Eigenschaft der übergeordneten Kennung nur gemeinsam angeben"
                .into(),
        ));
    }
    if req.parent_level_key.as_deref() == Some(req.level_key.as_str()) {
        return Err(AppError::Validation(
            "eine Ebene kann nicht ihre eigene übergeordnete sein".into(),
        ));
    }

    let geojson = std::mem::take(&mut req.geojson);
    let mapping = req.mapping.clone();
    let crs = req.crs;
    // Parsing and validating large files is CPU work: off the async workers.
    let parsed =
        tokio::task::spawn_blocking(move || parse_feature_collection(&geojson, &mapping, crs))
            .await
            .map_err(AppError::internal)?;
    let source = match parsed {
        Ok(s) => s,
        Err(problems) => return Ok(problem_report(problems)),
    };

    // One import at a time: two imports of one level would both close the same versions, and
    // the parents checked here must not change before they are used.
    let _guard = state.mem.write_lock.lock().await;
    let parent_ids: HashMap<String, i32> = match &parent_level {
        Some(p) => current_codes(&state.db, p.id).await?,
        None => HashMap::new(),
    };
    let problems = check_parents(&source, &parent_ids.keys().cloned().collect());
    if !problems.is_empty() {
        return Ok(problem_report(problems));
    }
    let existing_level = area_levels::Entity::find()
        .filter(area_levels::Column::TenantId.eq(req.tenant_id))
        .filter(area_levels::Column::Key.eq(req.level_key.as_str()))
        .one(&state.db)
        .await?;
    let now = Utc::now();
    let txn = crate::kernel::db::write_txn(&state.db).await?;
    let level = match existing_level {
        Some(l) => {
            let mut am: area_levels::ActiveModel = l.into();
            am.name = Set(req.level_name.trim().to_owned());
            am.parent_level_id = Set(parent_level.as_ref().map(|p| p.id));
            if let Some(v) = req.visibility {
                am.visibility = Set(v.as_str().to_owned());
            }
            am.update(&txn).await?
        }
        None => {
            area_levels::ActiveModel {
                tenant_id: Set(req.tenant_id),
                key: Set(req.level_key.clone()),
                name: Set(req.level_name.trim().to_owned()),
                parent_level_id: Set(parent_level.as_ref().map(|p| p.id)),
                visibility: Set(req
                    .visibility
                    .unwrap_or(Visibility::Tenant)
                    .as_str()
                    .to_owned()),
                created_at: Set(now),
                ..Default::default()
            }
            .insert(&txn)
            .await?
        }
    };
    if let Some(v) = req.visibility {
        let shares = if v == Visibility::Shared {
            req.shared_with.clone()
        } else {
            Vec::new()
        };
        tenancy::set_shares(&txn, DATASET_AREA_LEVEL, level.id, &shares).await?;
    }

    let existing: HashMap<String, Area> = areas::Entity::find()
        .filter(areas::Column::LevelId.eq(level.id))
        .all(&txn)
        .await?
        .into_iter()
        .map(|a| (a.code.clone(), a))
        .collect();
    let mut current: HashMap<i32, area_versions::Model> = area_versions::Entity::find()
        .filter(versions_of_level(level.id))
        .filter(area_versions::Column::ValidTo.is_null())
        .all(&txn)
        .await?
        .into_iter()
        .map(|v| (v.area_id, v))
        .collect();

    // Batched writes: a few statements per level instead of several per area.
    let new_areas: Vec<areas::ActiveModel> = source
        .iter()
        .filter(|s| !existing.contains_key(&s.code))
        .map(|s| areas::ActiveModel {
            tenant_id: Set(req.tenant_id),
            level_id: Set(level.id),
            code: Set(s.code.clone()),
            name: Set(s.name.clone()),
            parent_id: Set(s
                .parent_code
                .as_ref()
                .and_then(|c| parent_ids.get(c).copied())),
            created_at: Set(now),
            ..Default::default()
        })
        .collect();
    let mut by_code = existing;
    for chunk in new_areas.chunks(BATCH) {
        for a in areas::Entity::insert_many(chunk.to_vec())
            .exec_with_returning(&txn)
            .await?
        {
            by_code.insert(a.code.clone(), a);
        }
    }

    let mut report = ImportReport {
        applied: true,
        level_id: Some(level.id),
        ..Default::default()
    };
    let mut to_close: Vec<i32> = Vec::new();
    let mut new_versions: Vec<area_versions::ActiveModel> = Vec::new();
    let mut seen = HashSet::new();
    for s in &source {
        let Some(area) = by_code.get(&s.code) else {
            return Err(AppError::Internal(
                format!("area {} missing after insert", s.code).into(),
            ));
        };
        let parent_id = s
            .parent_code
            .as_ref()
            .and_then(|c| parent_ids.get(c).copied());
        if area.name != s.name || area.parent_id != parent_id {
            let mut am: areas::ActiveModel = area.clone().into();
            am.name = Set(s.name.clone());
            am.parent_id = Set(parent_id);
            am.update(&txn).await?;
        }
        seen.insert(area.id);
        let geometry = geometry_to_geojson(&s.geometry, None).to_string();
        match current.remove(&area.id) {
            Some(v) if v.geometry == geometry => {
                report.unchanged += 1;
                continue;
            }
            Some(v) => {
                to_close.push(v.id);
                report.changed += 1;
            }
            None => report.created += 1,
        }
        let Some(bbox) = s.geometry.bounding_rect() else {
            return Err(AppError::Validation(format!(
                "Feature {}: leere Geometrie",
                s.feature
            )));
        };
        new_versions.push(area_versions::ActiveModel {
            area_id: Set(area.id),
            geometry: Set(geometry),
            min_lon: Set(bbox.min().x),
            min_lat: Set(bbox.min().y),
            max_lon: Set(bbox.max().x),
            max_lat: Set(bbox.max().y),
            valid_from: Set(now),
            valid_to: Set(None),
            ..Default::default()
        });
    }
    // Areas no longer in the file keep their history but stop being current.
    for (_, v) in current.into_iter().filter(|(id, _)| !seen.contains(id)) {
        to_close.push(v.id);
        report.retired += 1;
    }
    for chunk in to_close.chunks(BATCH) {
        area_versions::Entity::update_many()
            .col_expr(
                area_versions::Column::ValidTo,
                sea_orm::sea_query::Expr::value(now),
            )
            .filter(area_versions::Column::Id.is_in(chunk.iter().copied()))
            .exec(&txn)
            .await?;
    }
    for chunk in new_versions.chunks(BATCH) {
        area_versions::Entity::insert_many(chunk.to_vec())
            .exec_without_returning(&txn)
            .await?;
    }
    if req.dry_run {
        // Everything was checked and counted against what is stored; nothing is kept.
        txn.rollback().await?;
        report.applied = false;
        report.level_id = None;
        return Ok(Imported {
            report,
            changed: None,
        });
    }
    txn.commit().await?;
    Ok(Imported {
        report,
        changed: Some(BoundariesChanged::new(req.tenant_id)),
    })
}
