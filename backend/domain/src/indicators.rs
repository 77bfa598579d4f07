//! Indicators: the small-area statistics side. Catalogue facts, cells that keep "no data" and
//! "suppressed" apart from numbers, and the rules that work on them without I/O: import parsing
//! and export writing, statistical disclosure control, derived indicators, classification for
//! maps, the composite need index, and the Quartier profile.

pub mod classify;
pub mod derive;
#[cfg(feature = "disclosure")]
pub mod disclosure;
pub mod export;
pub mod import;
pub mod need_index;
pub mod profile;

use serde::{Deserialize, Serialize};

/// Whether a high value is good or bad for the people of an area.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Polarity {
    HighIsGood,
    HighIsBad,
    Neutral,
}

impl Polarity {
    /// The sign that turns a deviation into "more need": a high value of a "high is bad"
    /// indicator adds need, a high value of a "high is good" one removes it.
    pub fn need_sign(self) -> f64 {
        match self {
            Self::HighIsGood => -1.0,
            Self::HighIsBad | Self::Neutral => 1.0,
        }
    }
}

/// What kind of number an indicator is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum IndicatorKind {
    /// An absolute count (residents, recipients).
    Count,
    /// A share in percent (numerator / denominator × 100).
    Share,
    /// A rate per 1,000 (numerator / denominator × 1,000).
    Rate,
    /// A composite or otherwise dimensionless index.
    Index,
}

str_enum!(Polarity, UnknownValue, UnknownValue, {
    HighIsGood => "high_is_good",
    HighIsBad => "high_is_bad",
    Neutral => "neutral",
});
str_enum!(IndicatorKind, UnknownValue, UnknownValue, {
    Count => "count",
    Share => "share",
    Rate => "rate",
    Index => "index",
});

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unbekannter Wert: {0}")]
pub struct UnknownValue(pub String);

/// One value as it may leave the server: a number, "no data" (never 0), or suppressed by
/// statistical disclosure control (never the number, never 0).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub enum Cell {
    Value(f64),
    NoData,
    Suppressed,
}

impl Cell {
    pub fn value(self) -> Option<f64> {
        match self {
            Self::Value(v) => Some(v),
            Self::NoData | Self::Suppressed => None,
        }
    }

    /// `value`, `no_data` or `suppressed`: the status shown in APIs and exports.
    pub fn status(self) -> &'static str {
        match self {
            Self::Value(_) => "value",
            Self::NoData => "no_data",
            Self::Suppressed => "suppressed",
        }
    }
}

impl From<Option<f64>> for Cell {
    fn from(v: Option<f64>) -> Self {
        match v {
            Some(v) if v.is_finite() => Self::Value(v),
            _ => Self::NoData,
        }
    }
}

/// Default minimum count below which a value is suppressed.
pub const DEFAULT_MIN_COUNT: u32 = 3;
