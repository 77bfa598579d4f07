//! Boards and their fields of action: created, configured, listed.

use super::*;

/// Settings of a board as a planner enters them.
#[derive(Debug, Clone)]
pub struct BoardInput {
    pub area_id: Option<i32>,
    pub topic: Option<String>,
    pub title: String,
    pub rules: String,
    pub open: bool,
    pub access: Access,
    pub premoderate_first: bool,
}

pub(super) async fn check_board_input(
    db: &impl ConnectionTrait,
    viewer: &Viewer,
    tenant_id: i32,
    input: &BoardInput,
) -> AppResult<String> {
    let title = rules::title(&input.title)?;
    if let Some(area_id) = input.area_id {
        let area = areas::by_id(db, viewer, area_id).await?;
        if area.tenant_id != tenant_id {
            return Err(AppError::Validation(
                "das Gebiet gehört nicht zu dieser Kommune".into(),
            ));
        }
    }
    Ok(title)
}

/// # Errors
/// `Forbidden` without a managing role in the tenant; validation errors.
pub async fn create_board(
    db: &impl ConnectionTrait,
    viewer: &Viewer,
    tenant_id: i32,
    input: BoardInput,
) -> AppResult<Board> {
    viewer.require(tenant_id, Can::ManageBoards)?;
    let title = check_board_input(db, viewer, tenant_id, &input).await?;
    Ok(boards::ActiveModel {
        tenant_id: Set(tenant_id),
        created_by: Set(viewer.account_id()),
        created_at: Set(Utc::now()),
        ..settings(input, title)
    }
    .insert(db)
    .await?)
}

/// # Errors
/// `NotFound`, `Forbidden`, validation errors.
pub async fn update_board(
    db: &impl ConnectionTrait,
    viewer: &Viewer,
    id: i32,
    input: BoardInput,
) -> AppResult<Board> {
    let board = board(db, id).await?;
    viewer.require(board.tenant_id, Can::ManageBoards)?;
    let title = check_board_input(db, viewer, board.tenant_id, &input).await?;
    Ok(boards::ActiveModel {
        id: Set(id),
        ..settings(input, title)
    }
    .update(db)
    .await?)
}

/// The columns a planner sets, for creating and for updating a board.
pub(super) fn settings(input: BoardInput, title: String) -> boards::ActiveModel {
    boards::ActiveModel {
        area_id: Set(input.area_id),
        topic: Set(input
            .topic
            .map(|t| t.trim().to_owned())
            .filter(|t| !t.is_empty())),
        title: Set(title),
        rules: Set(richtext::to_html(&input.rules)),
        open: Set(input.open),
        access: Set(input.access.as_str().to_owned()),
        premoderate_first: Set(input.premoderate_first),
        ..Default::default()
    }
}

/// # Errors
/// `NotFound`.
pub async fn board(db: &impl ConnectionTrait, id: i32) -> AppResult<Board> {
    boards::Entity::find_by_id(id)
        .one(db)
        .await?
        .ok_or(AppError::NotFound)
}

/// A board with the number of its visible posts.
#[derive(Debug, Clone)]
pub struct BoardSummary {
    pub board: Board,
    pub posts: i64,
}

/// The boards of a tenant (or, with `area_id`, of one Quartier), newest first. Two queries.
///
/// # Errors
/// Database errors.
pub async fn boards_of(
    db: &impl ConnectionTrait,
    tenant_id: Option<i32>,
    area_id: Option<i32>,
) -> AppResult<Vec<BoardSummary>> {
    let mut q = boards::Entity::find().order_by_desc(boards::Column::Id);
    if let Some(t) = tenant_id {
        q = q.filter(boards::Column::TenantId.eq(t));
    }
    if let Some(a) = area_id {
        q = q.filter(boards::Column::AreaId.eq(a));
    }
    let list = q.all(db).await?;
    let ids: Vec<i32> = list.iter().map(|b| b.id).collect();
    let counts: HashMap<i32, i64> = if ids.is_empty() {
        HashMap::new()
    } else {
        board_posts::Entity::find()
            .select_only()
            .column(board_posts::Column::BoardId)
            .column_as(board_posts::Column::Id.count(), "n")
            .filter(board_posts::Column::BoardId.is_in(ids))
            .filter(board_posts::Column::Moderation.eq(Moderation::Visible.as_str()))
            .group_by(board_posts::Column::BoardId)
            .into_tuple::<(i32, i64)>()
            .all(db)
            .await?
            .into_iter()
            .collect()
    };
    Ok(list
        .into_iter()
        .map(|b| BoardSummary {
            posts: counts.get(&b.id).copied().unwrap_or(0),
            board: b,
        })
        .collect())
}

/// The tenant's fields of action, by name.
///
/// # Errors
/// Database errors.
pub async fn tags(db: &impl ConnectionTrait, tenant_id: i32) -> AppResult<Vec<board_tags::Model>> {
    Ok(board_tags::Entity::find()
        .filter(board_tags::Column::TenantId.eq(tenant_id))
        .order_by_asc(board_tags::Column::Name)
        .all(db)
        .await?)
}

/// Adds a field of action to the managed list (idempotent by name).
///
/// # Errors
/// `Forbidden`; validation errors.
pub async fn create_tag(
    db: &impl ConnectionTrait,
    viewer: &Viewer,
    tenant_id: i32,
    name: &str,
) -> AppResult<board_tags::Model> {
    viewer.require(tenant_id, Can::ManageBoards)?;
    let name = rules::title(name)?;
    if let Some(t) = board_tags::Entity::find()
        .filter(board_tags::Column::TenantId.eq(tenant_id))
        .filter(board_tags::Column::Name.eq(&name))
        .one(db)
        .await?
    {
        return Ok(t);
    }
    Ok(board_tags::ActiveModel {
        tenant_id: Set(tenant_id),
        name: Set(name),
        ..Default::default()
    }
    .insert(db)
    .await?)
}
