//! Building surveys: checked input, create, update, edit, status, publishing results, duplicating.

use super::*;

/// Checks the builder's input: structure and texts by the domain rules, target areas in the
/// tenant, dates in order, a smallest group that protects anyone.
pub(super) async fn check_input(
    db: &impl ConnectionTrait,
    viewer: &Viewer,
    tenant_id: i32,
    input: &SurveyInput,
) -> AppResult<String> {
    input.structure.check().map_err(Refusal::Structure)?;
    input
        .texts
        .check(&input.structure)
        .map_err(Refusal::Texts)?;
    if let (Some(o), Some(c)) = (input.opens_at, input.closes_at) {
        if c <= o {
            return Err(bad("das Ende der Umfrage liegt vor ihrem Beginn"));
        }
    }
    if input.min_group < MIN_GROUP_FLOOR || input.min_group > 1000 {
        return Err(bad(format!(
            "die kleinste gezeigte Gruppe muss zwischen {MIN_GROUP_FLOOR} und 1000 liegen"
        )));
    }
    let found = areas::by_ids(db, viewer, &input.areas).await?;
    for id in &input.areas {
        if !found
            .iter()
            .any(|a| a.id == *id && a.tenant_id == tenant_id)
        {
            return Err(bad(format!("Gebiet {id} gehört nicht zu dieser Kommune")));
        }
    }
    let title = input
        .texts
        .of(qn_domain::surveys::texts::BASE_LANGUAGE)
        .get("title")
        .unwrap_or_default()
        .trim()
        .to_owned();
    if title.chars().count() > 200 {
        return Err(bad("der Titel ist länger als 200 Zeichen"));
    }
    Ok(title)
}

pub(super) fn to_json<T: Serialize>(v: &T) -> AppResult<String> {
    serde_json::to_string(v).map_err(AppError::internal)
}

pub(super) async fn set_areas(
    db: &impl ConnectionTrait,
    survey_id: i32,
    areas: &[i32],
) -> AppResult<()> {
    survey_areas::Entity::delete_many()
        .filter(survey_areas::Column::SurveyId.eq(survey_id))
        .exec(db)
        .await?;
    let unique: HashSet<i32> = areas.iter().copied().collect();
    if !unique.is_empty() {
        survey_areas::Entity::insert_many(unique.into_iter().map(|a| survey_areas::ActiveModel {
            survey_id: Set(survey_id),
            area_id: Set(a),
        }))
        .exec(db)
        .await?;
    }
    Ok(())
}

/// Creates a survey as a draft.
///
/// # Errors
/// `Forbidden` without a builder role, the input's first problem, database errors.
pub async fn create(
    db: &sea_orm::DatabaseConnection,
    viewer: &Viewer,
    tenant_id: i32,
    input: SurveyInput,
) -> AppResult<Loaded> {
    let user = viewer.require(tenant_id, Can::ManageSurveys)?.id;
    let txn = crate::kernel::db::write_txn(db).await?;
    let title = check_input(&txn, viewer, tenant_id, &input).await?;
    let now = Utc::now();
    let row = surveys::ActiveModel {
        tenant_id: Set(tenant_id),
        title: Set(title),
        status: Set(Status::Draft.as_str().into()),
        access: Set(input.access.as_str().into()),
        opens_at: Set(input.opens_at),
        closes_at: Set(input.closes_at),
        structure: Set(to_json(&input.structure)?),
        texts: Set(to_json(&input.texts)?),
        min_group: Set(i32::try_from(input.min_group).unwrap_or(5)),
        results_published: Set(false),
        results_upto: Set(None),
        version: Set(1),
        previous_id: Set(None),
        created_by: Set(Some(user).filter(|u| *u > 0)),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    }
    .insert(&txn)
    .await?;
    set_areas(&txn, row.id, &input.areas).await?;
    audit::record(
        &txn,
        tenant_id,
        viewer,
        "survey_create",
        &format!("survey:{}", row.id),
        &row.title,
    )
    .await?;
    txn.commit().await?;
    Ok(Loaded {
        areas: target_areas(db, row.id).await?,
        survey: input.structure,
        texts: input.texts,
        row,
    })
}

/// Changes a survey. Once it has responses its questions are frozen (a change would make the
/// answers mean something else): then only texts, dates and settings change, and a changed
/// structure is refused with `SURVEY_FROZEN` (make a new version instead).
///
/// # Errors
/// `Forbidden`, `NotFound`, the input's first problem, `SURVEY_FROZEN`, database errors.
pub async fn update(
    db: &sea_orm::DatabaseConnection,
    viewer: &Viewer,
    id: i32,
    input: SurveyInput,
) -> AppResult<Loaded> {
    let txn = crate::kernel::db::write_txn(db).await?;
    let current = load(&txn, viewer, id).await?;
    viewer.require(current.row.tenant_id, Can::ManageSurveys)?;
    let title = check_input(&txn, viewer, current.row.tenant_id, &input).await?;
    if current.survey != input.structure && has_responses(&txn, id).await? {
        return Err(Refusal::Frozen.into());
    }
    let mut m: surveys::ActiveModel = current.row.clone().into();
    m.title = Set(title);
    m.access = Set(input.access.as_str().into());
    m.opens_at = Set(input.opens_at);
    m.closes_at = Set(input.closes_at);
    m.structure = Set(to_json(&input.structure)?);
    m.texts = Set(to_json(&input.texts)?);
    m.min_group = Set(i32::try_from(input.min_group).unwrap_or(5));
    m.updated_at = Set(Utc::now());
    let row = m.update(&txn).await?;
    set_areas(&txn, id, &input.areas).await?;
    audit::record(
        &txn,
        row.tenant_id,
        viewer,
        "survey_update",
        &format!("survey:{id}"),
        &row.title,
    )
    .await?;
    txn.commit().await?;
    load(db, viewer, id).await.map(|mut l| {
        l.row = row;
        l
    })
}

/// Changes a survey's structure and texts with a builder step, keeping its settings (the same
/// rules as [`update`]: frozen once answered).
///
/// # Errors
/// As [`update`], and the step's own refusal.
pub async fn edit(
    db: &sea_orm::DatabaseConnection,
    viewer: &Viewer,
    id: i32,
    step: impl FnOnce(&mut Survey, &mut Translations) -> Result<(), Refusal>,
) -> AppResult<Loaded> {
    let mut s = load(db, viewer, id).await?;
    viewer.require(s.row.tenant_id, Can::ManageSurveys)?;
    step(&mut s.survey, &mut s.texts)?;
    let input = SurveyInput {
        access: s.access(),
        opens_at: s.row.opens_at,
        closes_at: s.row.closes_at,
        min_group: s.min_group(),
        areas: s.areas,
        structure: s.survey,
        texts: s.texts,
    };
    update(db, viewer, id, input).await
}

/// Opens, closes or (without responses) returns a survey to draft.
///
/// # Errors
/// `Forbidden`, `NotFound`, `CONFLICT` for a draft with responses, database errors.
pub async fn set_status(
    db: &impl ConnectionTrait,
    viewer: &Viewer,
    id: i32,
    status: Status,
) -> AppResult<SurveyRow> {
    let current = load(db, viewer, id).await?;
    viewer.require(current.row.tenant_id, Can::ManageSurveys)?;
    if status == Status::Draft && has_responses(db, id).await? {
        return Err(AppError::Conflict(
            "eine Umfrage mit Antworten kann kein Entwurf mehr werden".into(),
        ));
    }
    let mut m: surveys::ActiveModel = current.row.into();
    m.status = Set(status.as_str().into());
    m.updated_at = Set(Utc::now());
    let row = m.update(db).await?;
    audit::record(
        db,
        row.tenant_id,
        viewer,
        "survey_status",
        &format!("survey:{id}"),
        status.as_str(),
    )
    .await?;
    Ok(row)
}

/// Publishes the (suppressed) results for residents, or withdraws them.
///
/// # Errors
/// `Forbidden`, `NotFound`, database errors.
pub async fn publish_results(
    db: &impl ConnectionTrait,
    viewer: &Viewer,
    id: i32,
    published: bool,
) -> AppResult<SurveyRow> {
    let current = load(db, viewer, id).await?;
    viewer.require(current.row.tenant_id, Can::ManageSurveys)?;
    // Frozen at publication: answers sent later cannot be subtracted from a published group
    // (send seven own answers, see a hidden group appear, take the seven away).
    let upto = if published {
        Some(
            survey_responses::Entity::find()
                .select_only()
                .column_as(survey_responses::Column::Id.max(), "upto")
                .filter(survey_responses::Column::SurveyId.eq(id))
                .into_tuple::<Option<i32>>()
                .one(db)
                .await?
                .flatten()
                .unwrap_or(0),
        )
    } else {
        None
    };
    let mut m: surveys::ActiveModel = current.row.into();
    m.results_published = Set(published);
    m.results_upto = Set(upto);
    let row = m.update(db).await?;
    audit::record(
        db,
        row.tenant_id,
        viewer,
        "survey_publish",
        &format!("survey:{id}"),
        if published {
            "veröffentlicht"
        } else {
            "zurückgezogen"
        },
    )
    .await?;
    Ok(row)
}

/// Copies a survey as a new draft: a duplicate starts over at version 1, a new version
/// continues the old one (`previous_id`, version + 1) so its results can be read together.
///
/// # Errors
/// `Forbidden`, `NotFound`, database errors.
pub async fn duplicate(
    db: &sea_orm::DatabaseConnection,
    viewer: &Viewer,
    id: i32,
    new_version: bool,
) -> AppResult<Loaded> {
    let txn = crate::kernel::db::write_txn(db).await?;
    let src = load(&txn, viewer, id).await?;
    let user = viewer.require(src.row.tenant_id, Can::ManageSurveys)?.id;
    let now = Utc::now();
    let title = if new_version {
        src.row.title.clone()
    } else {
        format!("{} (Kopie)", src.row.title)
    };
    let row = surveys::ActiveModel {
        tenant_id: Set(src.row.tenant_id),
        title: Set(title),
        status: Set(Status::Draft.as_str().into()),
        access: Set(src.row.access.clone()),
        opens_at: Set(None),
        closes_at: Set(None),
        structure: Set(src.row.structure.clone()),
        texts: Set(src.row.texts.clone()),
        min_group: Set(src.row.min_group),
        results_published: Set(false),
        results_upto: Set(None),
        version: Set(if new_version { src.row.version + 1 } else { 1 }),
        previous_id: Set(new_version.then_some(src.row.id)),
        created_by: Set(Some(user).filter(|u| *u > 0)),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    }
    .insert(&txn)
    .await?;
    set_areas(&txn, row.id, &src.areas).await?;
    audit::record(
        &txn,
        row.tenant_id,
        viewer,
        if new_version {
            "survey_version"
        } else {
            "survey_duplicate"
        },
        &format!("survey:{}", row.id),
        &format!("aus survey:{id}"),
    )
    .await?;
    txn.commit().await?;
    Ok(Loaded {
        row,
        survey: src.survey,
        texts: src.texts,
        areas: src.areas,
    })
}
