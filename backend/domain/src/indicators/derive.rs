//! Derived indicators: shares and rates from two count indicators, change over n periods, and
//! roll-up to the level above by area containment. "No data" in any input gives "no data" in
//! the result, never 0.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet, HashMap};

/// A value with its counts, keyed by area and date.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Derived {
    pub value: Option<f64>,
    pub numerator: Option<f64>,
    pub denominator: Option<f64>,
}

pub type Series = HashMap<(i64, NaiveDate), Option<f64>>;
pub type DerivedSeries = BTreeMap<(i64, NaiveDate), Derived>;

/// How to derive an indicator; stored with it so its origin stays visible.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Derivation {
    /// numerator / denominator × 100.
    Share { numerator: i64, denominator: i64 },
    /// numerator / denominator × 1,000.
    RatePer1000 { numerator: i64, denominator: i64 },
    /// value(t) − value(t − n periods).
    AbsoluteChange { source: i64, periods: usize },
    /// (value(t) − value(t − n)) / value(t − n) × 100.
    RelativeChange { source: i64, periods: usize },
    /// Sum of the children's values (counts).
    RollUpSum { source: i64, level: i64 },
    /// Mean of the children's values weighted by a weight indicator (e.g. population).
    RollUpWeightedMean {
        source: i64,
        weight: i64,
        level: i64,
    },
}

impl Derivation {
    /// The indicators this one is computed from.
    pub fn sources(&self) -> Vec<i64> {
        match *self {
            Self::Share {
                numerator,
                denominator,
            }
            | Self::RatePer1000 {
                numerator,
                denominator,
            } => {
                vec![numerator, denominator]
            }
            Self::AbsoluteChange { source, .. }
            | Self::RelativeChange { source, .. }
            | Self::RollUpSum { source, .. } => vec![source],
            Self::RollUpWeightedMean { source, weight, .. } => vec![source, weight],
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DeriveError {
    #[error("Veränderung über {0} Perioden: die Zahl der Perioden muss mindestens 1 sein")]
    NoPeriods(usize),
    #[error(
        "die Berechnung ergibt keinen einzigen Wert (fehlende oder nicht passende Ausgangsdaten)"
    )]
    Empty,
}

impl DeriveError {
    pub fn code(&self) -> &'static str {
        match self {
            Self::NoPeriods(_) => "NO_PERIODS",
            Self::Empty => "EMPTY_RESULT",
        }
    }
}

fn ratio(num: &Series, den: &Series, factor: f64) -> DerivedSeries {
    let mut out = DerivedSeries::new();
    for (key, n) in num {
        let Some(d) = den.get(key) else { continue };
        let value = match (n, d) {
            // A share of nobody is undefined, not 0.
            (Some(n), Some(d)) if *d != 0.0 => Some(n / d * factor),
            _ => None,
        };
        out.insert(
            *key,
            Derived {
                value,
                numerator: *n,
                denominator: *d,
            },
        );
    }
    out
}

/// Share in percent of two count indicators, per area and date present in both.
pub fn share(numerator: &Series, denominator: &Series) -> DerivedSeries {
    ratio(numerator, denominator, 100.0)
}

/// Rate per 1,000.
pub fn rate_per_1000(numerator: &Series, denominator: &Series) -> DerivedSeries {
    ratio(numerator, denominator, 1000.0)
}

/// Change over `periods` of the dates present in the series (dates of the whole series, so a
/// missing year of one area is no data for that area, not a shorter period).
///
/// # Errors
/// [`DeriveError::NoPeriods`] for 0 periods.
pub fn change(
    source: &Series,
    periods: usize,
    relative: bool,
) -> Result<DerivedSeries, DeriveError> {
    if periods == 0 {
        return Err(DeriveError::NoPeriods(periods));
    }
    let dates: Vec<NaiveDate> = source
        .keys()
        .map(|(_, d)| *d)
        .collect::<BTreeSet<_>>()
        .into_iter()
        .collect();
    let areas: BTreeSet<i64> = source.keys().map(|(a, _)| *a).collect();
    let mut out = DerivedSeries::new();
    for (i, date) in dates.iter().enumerate().skip(periods) {
        let before = dates[i - periods];
        for area in &areas {
            let now = source.get(&(*area, *date)).copied().flatten();
            let then = source.get(&(*area, before)).copied().flatten();
            let value = match (now, then) {
                (Some(n), Some(t)) if relative && t != 0.0 => Some((n - t) / t * 100.0),
                (Some(_), Some(_)) if relative => None,
                (Some(n), Some(t)) => Some(n - t),
                _ => None,
            };
            out.insert(
                (*area, *date),
                Derived {
                    value,
                    numerator: None,
                    denominator: None,
                },
            );
        }
    }
    Ok(out)
}

/// Roll-up to parents: `parent_of` maps each child area to its parent. A parent gets a value
/// at a date only when every one of its children has one (a partial sum would look like a
/// complete one). With `weights`, the weighted mean Σ(v·w)/Σw; else the sum.
pub fn roll_up(
    source: &Series,
    weights: Option<&Series>,
    parent_of: &HashMap<i64, i64>,
) -> DerivedSeries {
    let mut children: HashMap<i64, Vec<i64>> = HashMap::new();
    for (child, parent) in parent_of {
        children.entry(*parent).or_default().push(*child);
    }
    let dates: BTreeSet<NaiveDate> = source.keys().map(|(_, d)| *d).collect();
    let mut out = DerivedSeries::new();
    for (parent, kids) in &children {
        for date in &dates {
            let mut sum = 0.0;
            let mut weight_sum = 0.0;
            let mut complete = true;
            for kid in kids {
                let v = source.get(&(*kid, *date)).copied().flatten();
                let w = match weights {
                    Some(ws) => ws.get(&(*kid, *date)).copied().flatten(),
                    None => Some(1.0),
                };
                match (v, w) {
                    (Some(v), Some(w)) => {
                        sum += if weights.is_some() { v * w } else { v };
                        weight_sum += w;
                    }
                    _ => {
                        complete = false;
                        break;
                    }
                }
            }
            let value = match (complete, weights.is_some()) {
                (false, _) => None,
                (true, false) => Some(sum),
                (true, true) if weight_sum != 0.0 => Some(sum / weight_sum),
                (true, true) => None,
            };
            out.insert(
                (*parent, *date),
                Derived {
                    value,
                    numerator: None,
                    denominator: None,
                },
            );
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, 12, 31).expect("date")
    }

    fn series(rows: &[(i64, i32, Option<f64>)]) -> Series {
        rows.iter().map(|&(a, y, v)| ((a, d(y)), v)).collect()
    }

    #[test]
    fn shares_and_rates_keep_no_data_and_counts() {
        let num = series(&[(1, 2012, Some(25.0)), (2, 2012, None), (3, 2012, Some(1.0))]);
        let den = series(&[
            (1, 2012, Some(200.0)),
            (2, 2012, Some(10.0)),
            (3, 2012, Some(0.0)),
        ]);
        let s = share(&num, &den);
        let first = s[&(1, d(2012))];
        assert_eq!(first.value, Some(12.5));
        assert_eq!(
            (first.numerator, first.denominator),
            (Some(25.0), Some(200.0))
        );
        assert_eq!(s[&(2, d(2012))].value, None);
        assert_eq!(s[&(3, d(2012))].value, None, "share of nobody is undefined");
        assert_eq!(rate_per_1000(&num, &den)[&(1, d(2012))].value, Some(125.0));
    }

    #[test]
    fn change_over_periods() {
        let src = series(&[
            (1, 2010, Some(100.0)),
            (1, 2011, Some(110.0)),
            (1, 2012, Some(121.0)),
            (2, 2010, None),
            (2, 2012, Some(5.0)),
        ]);
        let abs = change(&src, 1, false).expect("change");
        assert_eq!(abs[&(1, d(2011))].value, Some(10.0));
        assert!(!abs.contains_key(&(1, d(2010))));
        let rel = change(&src, 2, true).expect("change");
        assert!((rel[&(1, d(2012))].value.expect("value") - 21.0).abs() < 1e-9);
        assert_eq!(rel[&(2, d(2012))].value, None);
        assert_eq!(change(&src, 0, false), Err(DeriveError::NoPeriods(0)));
    }

    #[test]
    fn roll_up_sums_and_weighted_means_only_complete_groups() {
        let parent_of: HashMap<i64, i64> = [(1, 10), (2, 10), (3, 20), (4, 20)].into();
        let src = series(&[
            (1, 2012, Some(10.0)),
            (2, 2012, Some(30.0)),
            (3, 2012, Some(5.0)),
            (4, 2012, None),
        ]);
        let sum = roll_up(&src, None, &parent_of);
        assert_eq!(sum[&(10, d(2012))].value, Some(40.0));
        assert_eq!(sum[&(20, d(2012))].value, None);
        let weights = series(&[
            (1, 2012, Some(1.0)),
            (2, 2012, Some(3.0)),
            (3, 2012, Some(1.0)),
            (4, 2012, Some(1.0)),
        ]);
        let mean = roll_up(&src, Some(&weights), &parent_of);
        assert_eq!(mean[&(10, d(2012))].value, Some(25.0));
    }

    #[test]
    fn derivations_name_their_sources_and_round_trip_as_json() {
        let d = Derivation::RollUpWeightedMean {
            source: 1,
            weight: 2,
            level: 3,
        };
        assert_eq!(d.sources(), vec![1, 2]);
        let json = serde_json::to_string(&d).expect("json");
        assert!(json.contains("\"kind\":\"roll_up_weighted_mean\""));
        assert_eq!(serde_json::from_str::<Derivation>(&json).expect("parse"), d);
    }
}
