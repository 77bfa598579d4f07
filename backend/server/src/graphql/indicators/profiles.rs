//! An area's profile: one line per indicator.

use super::*;

/// One line of a Quartier profile.
pub struct ProfileLineNode(pub(super) profile::ProfileEntry);

#[Object(name = "ProfileLine")]
impl ProfileLineNode {
    async fn indicator(&self) -> IndicatorNode {
        IndicatorNode(self.0.indicator.clone())
    }
    async fn date(&self) -> NaiveDate {
        self.0.date
    }
    async fn value(&self) -> Option<f64> {
        self.0.cell.value()
    }
    async fn status(&self) -> ValueStatus {
        status(self.0.cell)
    }
    /// Mean of the level's areas with a visible value.
    async fn level_mean(&self) -> Option<f64> {
        self.0.line.mean
    }
    async fn deviation(&self) -> Option<f64> {
        self.0.line.deviation
    }
    /// 1 = highest value of the level.
    async fn rank(&self) -> Option<i32> {
        self.0.line.rank.map(count)
    }
    async fn rank_of(&self) -> i32 {
        count(self.0.line.of)
    }
    /// Change against the previous date.
    async fn trend(&self) -> Option<f64> {
        self.0.line.trend
    }
}

/// The profile (Steckbrief) of an area.
pub struct ProfileNode(pub(super) profile::Profile);

#[Object(name = "AreaProfile")]
impl ProfileNode {
    async fn area(&self) -> AreaNode {
        AreaNode::from_area(self.0.area.clone())
    }
    async fn lines(&self) -> Vec<ProfileLineNode> {
        self.0
            .entries
            .iter()
            .cloned()
            .map(ProfileLineNode)
            .collect()
    }
    /// Indicators where the area does best against its level.
    async fn strengths(&self) -> Vec<ProfileLineNode> {
        self.0
            .strengths
            .iter()
            .filter_map(|i| self.0.entries.get(*i).cloned().map(ProfileLineNode))
            .collect()
    }
    async fn weaknesses(&self) -> Vec<ProfileLineNode> {
        self.0
            .weaknesses
            .iter()
            .filter_map(|i| self.0.entries.get(*i).cloned().map(ProfileLineNode))
            .collect()
    }
}
