//! Exports of a board: the planners' CSV (every post, with moderation state, areas and answer)
//! and GeoJSON of the visible posts with a point (for maps and open data).

use super::entity::{board_post_areas, board_posts};
use super::{board, points, tags_of, PostPoint};
use crate::accounts::Viewer;
use crate::error::{AppError, AppResult};
use crate::richtext;
use qn_domain::boards::export::{csv, PostRow};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect};
use serde_json::{json, Value};
use std::collections::HashMap;

/// The CSV of all posts of a board, for the tenant's administration.
///
/// # Errors
/// `NotFound`; `Forbidden` for anyone outside the tenant's administration.
pub async fn posts_csv(
    db: &impl ConnectionTrait,
    viewer: &Viewer,
    board_id: i32,
    public_url: &str,
) -> AppResult<(String, String)> {
    let board = board(db, board_id).await?;
    if viewer.user.is_none() {
        return Err(AppError::Unauthenticated);
    }
    if !viewer.staff_tenant_ids().contains(&board.tenant_id) {
        return Err(AppError::Forbidden);
    }
    let posts = board_posts::Entity::find()
        .filter(board_posts::Column::BoardId.eq(board_id))
        .order_by_asc(board_posts::Column::Id)
        .all(db)
        .await?;
    let ids: Vec<i32> = posts.iter().map(|p| p.id).collect();
    let mut tags = tags_of(db, &ids).await?;
    let mut area_names: HashMap<i32, Vec<String>> = HashMap::new();
    if !ids.is_empty() {
        use crate::areas::entity::areas;
        let rows: Vec<(i32, String)> = board_post_areas::Entity::find()
            .select_only()
            .column(board_post_areas::Column::PostId)
            .column(areas::Column::Name)
            .join(
                sea_orm::JoinType::InnerJoin,
                board_post_areas::Entity::belongs_to(areas::Entity)
                    .from(board_post_areas::Column::AreaId)
                    .to(areas::Column::Id)
                    .into(),
            )
            .filter(board_post_areas::Column::PostId.is_in(ids))
            .order_by_asc(areas::Column::LevelId)
            .into_tuple()
            .all(db)
            .await?;
        for (post, name) in rows {
            area_names.entry(post).or_default().push(name);
        }
    }
    let base = public_url.trim_end_matches('/');
    let rows: Vec<PostRow> = posts
        .into_iter()
        .map(|p| PostRow {
            id: p.id,
            created_at: p.created_at.to_rfc3339(),
            kind: p.kind,
            status: p.status,
            moderation: p.moderation,
            title: p.title,
            text: richtext::to_text(&p.body_html),
            author: p.author_name,
            supports: i64::from(p.support_count),
            comments: i64::from(p.comment_count),
            lat: p.lat,
            lon: p.lon,
            areas: area_names.remove(&p.id).unwrap_or_default().join("|"),
            tags: tags.remove(&p.id).unwrap_or_default().join("|"),
            answer: p
                .answer_html
                .as_deref()
                .map(richtext::to_text)
                .unwrap_or_default(),
            url: format!("{base}/beitrag/{}", p.id),
        })
        .collect();
    Ok((csv(&rows), format!("pinnwand-{board_id}.csv")))
}

/// Visible posts with a point as a GeoJSON FeatureCollection.
pub fn feature_collection(points: &[PostPoint]) -> Value {
    let features: Vec<Value> = points
        .iter()
        .map(|p| {
            json!({
                "type": "Feature",
                "id": p.id,
                "geometry": {"type": "Point", "coordinates": [p.lon, p.lat]},
                "properties": {
                    "id": p.id,
                    "title": p.title,
                    "kind": p.kind,
                    "status": p.status,
                    "supports": p.support_count,
                    "url": format!("/beitrag/{}", p.id),
                },
            })
        })
        .collect();
    json!({"type": "FeatureCollection", "features": features})
}

/// # Errors
/// `NotFound` for an unknown board.
pub async fn board_geojson(db: &impl ConnectionTrait, board_id: i32) -> AppResult<Value> {
    board(db, board_id).await?;
    Ok(feature_collection(&points(db, Some(board_id), None).await?))
}
