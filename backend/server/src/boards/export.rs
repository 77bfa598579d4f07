//! Exports of a board: the planners' CSV (every post, with moderation state, areas and answer)
//! and GeoJSON of the visible posts with a point (for maps and open data).

use super::entity::{board_post_areas, board_posts};
use super::{board, points, tags_of, PostPoint};
use crate::kernel::error::{AppError, AppResult};
use crate::kernel::richtext;
use crate::kernel::viewer::Viewer;
use qn_domain::boards::export::{csv, PostRow};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect};
use serde::Serialize;
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

/// Visible posts with a point as a GeoJSON FeatureCollection, typed and serialised in one pass
/// (no intermediate `serde_json::Value`): a Quartier board's map asks for thousands of points.
/// A post's page is `/beitrag/{id}`.
#[derive(Serialize)]
pub struct PostFeatures<'a> {
    #[serde(rename = "type")]
    kind: &'static str,
    features: Vec<PostFeature<'a>>,
}

#[derive(Serialize)]
struct PostFeature<'a> {
    #[serde(rename = "type")]
    kind: &'static str,
    id: i32,
    geometry: PointGeometry,
    properties: PostProperties<'a>,
}

#[derive(Serialize)]
struct PointGeometry {
    #[serde(rename = "type")]
    kind: &'static str,
    coordinates: [f64; 2],
}

#[derive(Serialize)]
struct PostProperties<'a> {
    title: &'a str,
    kind: &'a str,
    status: &'a str,
    supports: i32,
}

/// Six decimals are about 10 cm: more only makes the file longer.
fn round6(x: f64) -> f64 {
    (x * 1e6).round() / 1e6
}

pub fn feature_collection(points: &[PostPoint]) -> PostFeatures<'_> {
    PostFeatures {
        kind: "FeatureCollection",
        features: points
            .iter()
            .map(|p| PostFeature {
                kind: "Feature",
                id: p.id,
                geometry: PointGeometry {
                    kind: "Point",
                    coordinates: [round6(p.lon), round6(p.lat)],
                },
                properties: PostProperties {
                    title: &p.title,
                    kind: &p.kind,
                    status: &p.status,
                    supports: p.support_count,
                },
            })
            .collect(),
    }
}

/// # Errors
/// `NotFound` for an unknown board.
pub async fn board_points(db: &impl ConnectionTrait, board_id: i32) -> AppResult<Vec<PostPoint>> {
    board(db, board_id).await?;
    points(db, Some(board_id), None).await
}
