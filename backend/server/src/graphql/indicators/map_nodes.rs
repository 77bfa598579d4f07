//! Choropleth maps: areas with their class, the legend, the request.

use super::*;

/// One class of a map legend.
#[derive(SimpleObject)]
pub struct LegendClass {
    pub lower: f64,
    pub upper: f64,
    /// Fill colour (colour-blind-safe scheme).
    pub color: String,
    pub count: i32,
    /// The class is a single value (maps with 1–4 distinct values).
    pub single_value: bool,
}

/// One area of a map.
pub struct MapArea(pub(super) maps::MapRow, pub(super) i32, pub(super) String);

#[Object]
impl MapArea {
    async fn area(&self) -> AreaNode {
        AreaNode::from_area(self.0.area.clone())
    }
    async fn value(&self) -> Option<f64> {
        self.0.cell.value()
    }
    async fn status(&self) -> ValueStatus {
        status(self.0.cell)
    }
    /// The value as people read it ("12,5 %", "keine Daten", "geheim gehalten").
    async fn label(&self) -> String {
        maps::label(self.0.cell, self.1, &self.2)
    }
    /// 0-based class; null for no data and suppressed areas.
    async fn class(&self) -> Option<i32> {
        self.0.class.map(count)
    }
    async fn color(&self) -> Option<&str> {
        self.0.color
    }
}

/// A choropleth: classes, legend and every area of the level.
pub struct ChoroplethNode(pub(super) maps::Choropleth);

#[Object(name = "Choropleth")]
impl ChoroplethNode {
    async fn title(&self) -> &str {
        &self.0.title
    }
    async fn unit(&self) -> &str {
        &self.0.unit
    }
    async fn level(&self) -> LevelNode {
        LevelNode(self.0.level.clone())
    }
    async fn dates(&self) -> &[NaiveDate] {
        &self.0.dates
    }
    async fn date(&self) -> Option<NaiveDate> {
        self.0.date
    }
    async fn legend(&self) -> Vec<LegendClass> {
        self.0
            .legend
            .iter()
            .map(|e| LegendClass {
                lower: e.lower,
                upper: e.upper,
                color: e.color.to_owned(),
                count: count(e.count),
                single_value: e.single_value,
            })
            .collect()
    }
    async fn no_data_count(&self) -> i32 {
        count(self.0.no_data)
    }
    async fn suppressed_count(&self) -> i32 {
        count(self.0.suppressed)
    }
    #[graphql(complexity = "5 + child_complexity * 100")]
    async fn areas(&self) -> Vec<MapArea> {
        self.0
            .rows
            .iter()
            .map(|r| MapArea(r.clone(), self.0.precision, self.0.unit.clone()))
            .collect()
    }
}

#[derive(InputObject)]
pub struct ChoroplethInput {
    /// The indicator to map (or `indexId`).
    pub indicator_id: Option<ID>,
    /// A need-index definition to map.
    pub index_id: Option<ID>,
    pub level_id: Option<ID>,
    pub date: Option<NaiveDate>,
    /// Default: quantiles for an indicator, the index's own classes for a need index.
    pub method: Option<MethodGql>,
    #[graphql(default = 5)]
    pub classes: i32,
    /// Inner breaks for the `MANUAL` method, ascending.
    #[graphql(default)]
    pub breaks: Vec<f64>,
}

pub fn map_request(input: ChoroplethInput) -> Result<maps::MapRequest> {
    let source = match (&input.indicator_id, &input.index_id) {
        (Some(i), None) => maps::MapSource::Indicator(parse_id(i)?),
        (None, Some(i)) => maps::MapSource::Index(parse_id(i)?),
        _ => {
            return Err(crate::graphql::gql(AppError::Validation(
                "genau eines von indicatorId und indexId angeben".into(),
            )))
        }
    };
    Ok(maps::MapRequest {
        source,
        level_id: input.level_id.as_ref().map(parse_id).transpose()?,
        date: input.date,
        method: input.method.map(Into::into),
        classes: usize::try_from(input.classes).unwrap_or(0),
        breaks: input.breaks,
    })
}
