//! Need-index definitions and their results.

use super::*;

pub struct IndexDefinitionNode(pub(super) need::IndexDefinition);

/// A saved need-index definition.
#[Object(name = "IndexDefinition")]
impl IndexDefinitionNode {
    async fn id(&self) -> ID {
        ID(self.0.id.to_string())
    }
    async fn key(&self) -> &str {
        &self.0.key
    }
    async fn name(&self) -> &str {
        &self.0.name
    }
    async fn description(&self) -> &str {
        &self.0.description
    }
    async fn level(&self, c: &Context<'_>) -> Result<Option<LevelNode>> {
        let loader = c.data::<DataLoader<loaders::LevelLoader>>()?;
        Ok(loader
            .load_one(self.0.level_id)
            .await
            .map_err(loaders::err)?
            .map(LevelNode))
    }
    /// The method as stored (JSON).
    async fn spec(&self) -> Result<async_graphql::Json<serde_json::Value>> {
        Ok(async_graphql::Json(
            serde_json::from_str(&self.0.spec)
                .map_err(|e| crate::graphql::gql(AppError::internal(e)))?,
        ))
    }
}

/// One area's result in a need index.
#[derive(SimpleObject)]
pub struct IndexScore {
    pub area: AreaNode,
    pub score: Option<f64>,
    /// 0 = least need.
    pub class: Option<i32>,
    /// 1 = most need.
    pub rank: Option<i32>,
    /// `NAMED`, `SMALL_POPULATION` or `MISSING_VALUE` when the area has no score.
    pub excluded: Option<String>,
}

/// A need index computed for one date.
#[derive(SimpleObject)]
pub struct NeedIndexResult {
    pub date: Option<NaiveDate>,
    pub dates: Vec<NaiveDate>,
    pub valid_areas: i32,
    /// Lower bounds of classes 2…n in score units.
    pub breaks: Vec<f64>,
    pub scores: Vec<IndexScore>,
    /// The "Quartiere mit besonderem Handlungsbedarf", most need first.
    pub high_need: Vec<IndexScore>,
}

pub(super) fn score(r: &need::IndexRow) -> IndexScore {
    IndexScore {
        area: AreaNode::from_area(r.area.clone()),
        score: r.score,
        class: r.class.map(count),
        rank: r.rank.map(count),
        excluded: r.excluded.map(|e| {
            match e {
                need::Exclusion::Named => "NAMED",
                need::Exclusion::SmallPopulation => "SMALL_POPULATION",
                need::Exclusion::MissingValue => "MISSING_VALUE",
            }
            .to_owned()
        }),
    }
}
