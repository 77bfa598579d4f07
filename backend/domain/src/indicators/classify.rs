//! Classification of indicator values for choropleth maps: quantiles, equal intervals, natural
//! breaks (Fisher–Jenks), standard-deviation bands and manual breaks, plus colour-blind-safe
//! ColorBrewer palettes for the classes.
//!
//! All classes are lower-closed intervals `[b_i, b_{i+1})`: a value equal to a break belongs to
//! the class above it. The last class also holds the maximum.

use super::UnknownValue;
use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;

/// Fewest classes a planner may ask for.
pub const MIN_CLASSES: usize = 2;
/// Most classes a planner may ask for: ColorBrewer's schemes stop at 9 distinguishable colours.
pub const MAX_CLASSES: usize = 9;
/// With this many distinct values or fewer, the values themselves are the classes: breaks
/// computed between three values would only invent boundaries nobody can read off the legend.
pub const MAX_DISTINCT_AS_CLASSES: usize = 4;
/// Natural breaks run on at most this many evenly spaced order statistics (Jenks is O(k·n²)).
pub const JENKS_SAMPLE: usize = 1_000;
/// Standard-deviation bands used when none are given: below −1 sd, −1 to +1, +1 to +1.5, above.
pub const DEFAULT_SD_BREAKS: [f64; 3] = [-1.0, 1.0, 1.5];

/// Fill for areas without data. The map draws it with a hatching on top, so "no data" never
/// looks like the lightest class.
pub const NO_DATA_FILL: &str = "#ffffff";
/// Fill for areas whose value was suppressed by statistical disclosure control: a neutral grey
/// that is in none of the palettes, so a suppressed area is never read as a low or high value.
pub const SUPPRESSED_FILL: &str = "#bdbdbd";

/// How class breaks are found.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Method {
    /// About the same number of areas in each class.
    Quantiles,
    /// Classes of equal width between minimum and maximum.
    EqualInterval,
    /// Fisher–Jenks: classes that minimise the squared deviations within classes.
    NaturalBreaks,
    /// Breaks at the mean plus multiples of the (population) standard deviation.
    StdDev,
    /// Breaks given by the planner.
    Manual,
}

impl Method {
    pub const ALL: [Method; 5] = [
        Self::Quantiles,
        Self::EqualInterval,
        Self::NaturalBreaks,
        Self::StdDev,
        Self::Manual,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Quantiles => "quantiles",
            Self::EqualInterval => "equal_interval",
            Self::NaturalBreaks => "natural_breaks",
            Self::StdDev => "std_dev",
            Self::Manual => "manual",
        }
    }
}

impl fmt::Display for Method {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Method {
    type Err = UnknownValue;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::ALL
            .into_iter()
            .find(|m| m.as_str() == s)
            .ok_or_else(|| UnknownValue(s.to_owned()))
    }
}

/// A stored map setting: everything `classify` needs besides the values.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ClassifySpec {
    pub method: Method,
    /// Number of classes for quantiles, equal intervals and natural breaks.
    #[serde(default = "default_classes")]
    pub classes: usize,
    /// Ascending breaks for `manual`.
    #[serde(default)]
    pub manual_breaks: Vec<f64>,
    /// Multiples of the standard deviation for `std_dev`; empty means [`DEFAULT_SD_BREAKS`].
    #[serde(default)]
    pub sd_breaks: Vec<f64>,
}

fn default_classes() -> usize {
    5
}

impl Default for ClassifySpec {
    fn default() -> Self {
        Self {
            method: Method::Quantiles,
            classes: default_classes(),
            manual_breaks: Vec::new(),
            sd_breaks: Vec::new(),
        }
    }
}

impl ClassifySpec {
    pub fn apply(&self, values: &[f64]) -> Result<Classification, ClassifyError> {
        classify(
            values,
            self.method,
            self.classes,
            &self.manual_breaks,
            &self.sd_breaks,
        )
    }
}

/// The result of a classification.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Classification {
    pub method: Method,
    /// Ascending lower bounds of classes 2..n (n − 1 inner breaks).
    pub breaks: Vec<f64>,
    /// Smallest and largest finite value classified.
    pub min: f64,
    pub max: f64,
    /// True when the classes are the distinct values themselves (1 to 4 distinct values).
    pub distinct: bool,
    /// Number of values in each class.
    pub counts: Vec<usize>,
}

/// Bounds of one class for the legend: `[lower, upper)`, the last class closed at `upper`.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct ClassRange {
    pub lower: f64,
    pub upper: f64,
}

impl Classification {
    /// Number of classes (at least 1).
    pub fn len(&self) -> usize {
        self.breaks.len() + 1
    }

    /// Always false: a classification has at least one class.
    pub fn is_empty(&self) -> bool {
        false
    }

    /// The 0-based class of `v`; classes are lower-closed `[b_i, b_{i+1})`. Values below the
    /// first break (and NaN, which callers should show as "no data" instead) fall in class 0.
    pub fn class_of(&self, v: f64) -> usize {
        self.breaks.partition_point(|&b| b <= v)
    }

    /// Bounds of every class. The outer bounds are the data range, widened to the first and
    /// last break when standard-deviation or manual breaks lie outside the data.
    pub fn classes(&self) -> Vec<ClassRange> {
        let n = self.len();
        (0..n)
            .map(|i| {
                let lower = match i.checked_sub(1).and_then(|j| self.breaks.get(j)) {
                    Some(&b) => b,
                    None => self.breaks.first().map_or(self.min, |&b| self.min.min(b)),
                };
                if self.distinct {
                    return ClassRange {
                        lower,
                        upper: lower,
                    };
                }
                let upper = match self.breaks.get(i) {
                    Some(&b) => b,
                    None => self.breaks.last().map_or(self.max, |&b| self.max.max(b)),
                };
                ClassRange { lower, upper }
            })
            .collect()
    }
}

#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum ClassifyError {
    #[error("Es gibt keine Werte, die sich klassifizieren lassen.")]
    NoValues,
    #[error("Die Zahl der Klassen muss zwischen {min} und {max} liegen (gewählt: {requested}).")]
    InvalidClassCount {
        requested: usize,
        min: usize,
        max: usize,
    },
    #[error("Die Klassengrenzen müssen endliche Zahlen in aufsteigender Reihenfolge sein.")]
    InvalidBreaks,
}

impl ClassifyError {
    /// A stable code for forms and API clients.
    pub fn code(&self) -> &'static str {
        match self {
            Self::NoValues => "NO_VALUES",
            Self::InvalidClassCount { .. } => "INVALID_CLASS_COUNT",
            Self::InvalidBreaks => "INVALID_BREAKS",
        }
    }
}

/// Classifies `values` (non-finite values are ignored).
///
/// `classes` is used by quantiles, equal intervals and natural breaks; `manual` uses
/// `manual_breaks` (n − 1 strictly ascending breaks for n classes), `std_dev` uses `sd_breaks`
/// (multiples of the population sd around the mean; empty means [`DEFAULT_SD_BREAKS`]). Either
/// way the number of classes must be 2..=9. With 1–4 distinct values the distinct values are
/// the classes, whatever the method.
pub fn classify(
    values: &[f64],
    method: Method,
    classes: usize,
    manual_breaks: &[f64],
    sd_breaks: &[f64],
) -> Result<Classification, ClassifyError> {
    let mut sorted: Vec<f64> = values.iter().copied().filter(|v| v.is_finite()).collect();
    sorted.sort_unstable_by(f64::total_cmp);
    let (Some(&min), Some(&max)) = (sorted.first(), sorted.last()) else {
        return Err(ClassifyError::NoValues);
    };

    let sd_breaks = if sd_breaks.is_empty() {
        &DEFAULT_SD_BREAKS[..]
    } else {
        sd_breaks
    };
    // Parameters are checked before the distinct-value rule so that a bad setting is reported
    // the same way whatever today's data looks like.
    let requested = match method {
        Method::Manual => manual_breaks.len() + 1,
        Method::StdDev => sd_breaks.len() + 1,
        _ => classes,
    };
    if !(MIN_CLASSES..=MAX_CLASSES).contains(&requested) {
        return Err(ClassifyError::InvalidClassCount {
            requested,
            min: MIN_CLASSES,
            max: MAX_CLASSES,
        });
    }
    match method {
        Method::Manual => check_ascending(manual_breaks)?,
        Method::StdDev => check_ascending(sd_breaks)?,
        _ => {}
    }

    let mut distinct_values = Vec::with_capacity(MAX_DISTINCT_AS_CLASSES + 1);
    for &v in &sorted {
        if distinct_values.last() != Some(&v) {
            distinct_values.push(v);
            if distinct_values.len() > MAX_DISTINCT_AS_CLASSES {
                break;
            }
        }
    }
    let distinct = distinct_values.len() <= MAX_DISTINCT_AS_CLASSES;
    let breaks = if distinct {
        distinct_values.split_off(1)
    } else {
        match method {
            Method::Quantiles => quantile_breaks(&sorted, classes),
            Method::EqualInterval => {
                let step = (max - min) / classes as f64;
                (1..classes).map(|i| min + step * i as f64).collect()
            }
            Method::NaturalBreaks => natural_breaks(&sorted, classes),
            Method::StdDev => {
                let (mean, sd) = mean_sd(&sorted);
                sd_breaks.iter().map(|s| mean + s * sd).collect()
            }
            Method::Manual => manual_breaks.to_vec(),
        }
    };

    let mut classification = Classification {
        method,
        counts: vec![0; breaks.len() + 1],
        breaks,
        min,
        max,
        distinct,
    };
    for &v in &sorted {
        let class = classification.class_of(v);
        if let Some(count) = classification.counts.get_mut(class) {
            *count += 1;
        }
    }
    Ok(classification)
}

fn check_ascending(breaks: &[f64]) -> Result<(), ClassifyError> {
    let finite = breaks.iter().all(|b| b.is_finite());
    let ascending = breaks.windows(2).all(|w| w[0] < w[1]);
    if finite && ascending {
        Ok(())
    } else {
        Err(ClassifyError::InvalidBreaks)
    }
}

fn mean_sd(values: &[f64]) -> (f64, f64) {
    let n = values.len() as f64;
    let mean = values.iter().sum::<f64>() / n;
    let ss: f64 = values.iter().map(|v| (v - mean) * (v - mean)).sum();
    (mean, (ss / n).sqrt())
}

/// Quantile breaks over ascending `sorted` values: the lower bound of class i is the order
/// statistic at position ⌊i·n/k⌋, so with lower-closed classes each class holds ⌊n/k⌋ or
/// ⌈n/k⌉ values when there are no ties. Equal breaks (and a break at the minimum, which
/// would leave class 0 empty) are dropped, so heavy ties can yield fewer classes.
pub(crate) fn quantile_breaks(sorted: &[f64], k: usize) -> Vec<f64> {
    let n = sorted.len();
    let Some(&min) = sorted.first() else {
        return Vec::new();
    };
    let mut breaks: Vec<f64> = Vec::with_capacity(k.saturating_sub(1));
    for i in 1..k {
        let Some(&b) = sorted.get(i * n / k) else {
            continue;
        };
        if b > min && breaks.last().is_none_or(|&last| b > last) {
            breaks.push(b);
        }
    }
    breaks
}

/// Natural breaks on ascending values. More than [`JENKS_SAMPLE`] values are reduced to that
/// many evenly spaced order statistics first: deterministic, and it keeps 10,000 areas fast
/// while the breaks stay within one sample step of the exact optimum.
fn natural_breaks(sorted: &[f64], k: usize) -> Vec<f64> {
    let n = sorted.len();
    let breaks = if n > JENKS_SAMPLE {
        let last = JENKS_SAMPLE - 1;
        let sample: Vec<f64> = (0..JENKS_SAMPLE)
            .filter_map(|i| sorted.get((i * (n - 1) + last / 2) / last).copied())
            .collect();
        jenks(&sample, k)
    } else {
        jenks(sorted, k)
    };
    // A class boundary can fall between equal values; lower-closed classes move all of them
    // up, which can make two breaks equal.
    let mut out: Vec<f64> = Vec::with_capacity(breaks.len());
    for b in breaks {
        if sorted.first().is_some_and(|&min| b > min) && out.last().is_none_or(|&l| b > l) {
            out.push(b);
        }
    }
    out
}

/// Fisher–Jenks optimal partition of ascending `x` into `k` contiguous classes minimising the
/// total within-class sum of squared deviations, by dynamic programming in O(k·n²). Returns
/// the first value of classes 2..k.
fn jenks(x: &[f64], k: usize) -> Vec<f64> {
    let n = x.len();
    let k = k.min(n);
    if k < 2 {
        return Vec::new();
    }
    // Prefix sums of values shifted by the median: sums of squares of raw values like
    // 1e6 ± 1 would cancel catastrophically.
    let shift = x.get(n / 2).copied().unwrap_or(0.0);
    let mut s1 = vec![0.0; n + 1];
    let mut s2 = vec![0.0; n + 1];
    for (i, &v) in x.iter().enumerate() {
        let d = v - shift;
        s1[i + 1] = s1[i] + d;
        s2[i + 1] = s2[i] + d * d;
    }
    // Squared deviations of x[i..j].
    let ssd = |i: usize, j: usize| {
        let s = s1[j] - s1[i];
        (s2[j] - s2[i] - s * s / (j - i) as f64).max(0.0)
    };

    // prev[j]: least cost of the first j values in c classes; back holds the start of the
    // last class for every (c, j).
    let mut prev: Vec<f64> = (0..=n)
        .map(|j| if j == 0 { 0.0 } else { ssd(0, j) })
        .collect();
    let inv_len: Vec<f64> = (0..=n).map(|len| 1.0 / len.max(1) as f64).collect();
    let mut cur = vec![f64::INFINITY; n + 1];
    let mut back = vec![0usize; k * (n + 1)];
    for c in 1..k {
        cur.fill(f64::INFINITY);
        for j in (c + 1)..=n {
            let mut best = f64::INFINITY;
            let mut arg = c;
            // ssd(i, j) inlined over slices, with 1/len from a table: this loop is all of
            // Jenks' O(k·n²), and bounds-check-free multiplications beat a division per step.
            let (t1, t2) = (s1[j], s2[j]);
            let candidates = prev[c..j]
                .iter()
                .zip(&s1[c..j])
                .zip(&s2[c..j])
                .zip(inv_len[1..=j - c].iter().rev());
            for (offset, (((&before, &a1), &a2), &inv)) in candidates.enumerate() {
                let s = t1 - a1;
                let cost = before + (t2 - a2 - s * s * inv).max(0.0);
                if cost < best {
                    best = cost;
                    arg = c + offset;
                }
            }
            cur[j] = best;
            back[c * (n + 1) + j] = arg;
        }
        std::mem::swap(&mut prev, &mut cur);
    }

    let mut starts = vec![0usize; k];
    let mut j = n;
    for c in (1..k).rev() {
        let i = back[c * (n + 1) + j];
        starts[c] = i;
        j = i;
    }
    starts[1..].iter().map(|&i| x[i]).collect()
}

/// Palette family. Both are ColorBrewer schemes marked colour-blind safe.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Scheme {
    /// YlGnBu, light (low) to dark (high).
    Sequential,
    /// PuOr, orange (low) through light grey to purple (high); for values around a mean, such
    /// as the need index.
    Diverging,
}

/// ColorBrewer YlGnBu for 3..=9 classes (Cynthia A. Brewer, colorbrewer2.org, Apache-2.0).
const YL_GN_BU: [&[&str]; 7] = [
    &["#edf8b1", "#7fcdbb", "#2c7fb8"],
    &["#ffffcc", "#a1dab4", "#41b6c4", "#225ea8"],
    &["#ffffcc", "#a1dab4", "#41b6c4", "#2c7fb8", "#253494"],
    &[
        "#ffffcc", "#c7e9b4", "#7fcdbb", "#41b6c4", "#2c7fb8", "#253494",
    ],
    &[
        "#ffffcc", "#c7e9b4", "#7fcdbb", "#41b6c4", "#1d91c0", "#225ea8", "#0c2c84",
    ],
    &[
        "#ffffd9", "#edf8b1", "#c7e9b4", "#7fcdbb", "#41b6c4", "#1d91c0", "#225ea8", "#0c2c84",
    ],
    &[
        "#ffffd9", "#edf8b1", "#c7e9b4", "#7fcdbb", "#41b6c4", "#1d91c0", "#225ea8", "#253494",
        "#081d58",
    ],
];

/// ColorBrewer PuOr for 3..=9 classes, orange end first.
const PU_OR: [&[&str]; 7] = [
    &["#f1a340", "#f7f7f7", "#998ec3"],
    &["#e66101", "#fdb863", "#b2abd2", "#5e3c99"],
    &["#e66101", "#fdb863", "#f7f7f7", "#b2abd2", "#5e3c99"],
    &[
        "#b35806", "#f1a340", "#fee0b6", "#d8daeb", "#998ec3", "#542788",
    ],
    &[
        "#b35806", "#f1a340", "#fee0b6", "#f7f7f7", "#d8daeb", "#998ec3", "#542788",
    ],
    &[
        "#b35806", "#e08214", "#fdb863", "#fee0b6", "#d8daeb", "#b2abd2", "#8073ac", "#542788",
    ],
    &[
        "#b35806", "#e08214", "#fdb863", "#fee0b6", "#f7f7f7", "#d8daeb", "#b2abd2", "#8073ac",
        "#542788",
    ],
];

/// `n` colours ("#rrggbb") for classes 0..n, from low to high; empty unless 1 <= n <= 9.
///
/// ColorBrewer starts at 3 classes: 2 classes take the two ends of the 3-class scheme, and a
/// single class takes the sequential middle colour for both schemes (the diverging middle is
/// near-white and would look like "no data").
pub fn palette(scheme: Scheme, n: usize) -> Vec<&'static str> {
    let table = match scheme {
        Scheme::Sequential => &YL_GN_BU,
        Scheme::Diverging => &PU_OR,
    };
    match n {
        1 => vec![YL_GN_BU[0][1]],
        2 => vec![table[0][0], table[0][2]],
        3..=MAX_CLASSES => table[n - 3].to_vec(),
        _ => Vec::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(values: &[f64], method: Method, classes: usize) -> Classification {
        classify(values, method, classes, &[], &[]).expect("classify")
    }

    fn assert_close(actual: &[f64], expected: &[f64]) {
        assert_eq!(actual.len(), expected.len(), "{actual:?} vs {expected:?}");
        for (a, e) in actual.iter().zip(expected) {
            assert!((a - e).abs() < 1e-9, "{actual:?} vs {expected:?}");
        }
    }

    #[test]
    fn quantiles_split_into_equal_counts() {
        let values: Vec<f64> = (1..=10).map(f64::from).rev().collect();
        let c = run(&values, Method::Quantiles, 5);
        assert_eq!(c.breaks, vec![3.0, 5.0, 7.0, 9.0]);
        assert_eq!(c.counts, vec![2, 2, 2, 2, 2]);
        assert_eq!((c.min, c.max, c.distinct), (1.0, 10.0, false));
    }

    #[test]
    fn quantiles_drop_equal_breaks() {
        let values = [1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 2.0, 3.0, 4.0, 5.0];
        let c = run(&values, Method::Quantiles, 4);
        // Order statistics at 2, 5, 7 are 1, 1, 3: the breaks at the minimum are dropped.
        assert_eq!(c.breaks, vec![3.0]);
        assert_eq!(c.counts, vec![7, 3]);
    }

    #[test]
    fn equal_interval_breaks() {
        let values: Vec<f64> = (0..=10).map(f64::from).collect();
        let c = run(&values, Method::EqualInterval, 5);
        assert_close(&c.breaks, &[2.0, 4.0, 6.0, 8.0]);
        assert_eq!(c.counts, vec![2, 2, 2, 2, 3]);
    }

    const JENKS_EXAMPLE: [f64; 12] = [1.3, 7.1, 7.3, 2.3, 3.9, 4.1, 7.8, 1.2, 4.3, 7.3, 5.0, 4.3];

    fn ssd(values: &[f64]) -> f64 {
        let mean = values.iter().sum::<f64>() / values.len() as f64;
        values.iter().map(|v| (v - mean) * (v - mean)).sum()
    }

    /// Tries every way to cut the sorted values into `k` contiguous classes.
    fn brute_force_breaks(sorted: &[f64], k: usize) -> (f64, Vec<f64>) {
        fn go(
            sorted: &[f64],
            from: usize,
            left: usize,
            cuts: &mut Vec<usize>,
            best: &mut (f64, Vec<usize>),
        ) {
            if left == 1 {
                let mut bounds = vec![0];
                bounds.extend(cuts.iter().copied());
                bounds.push(sorted.len());
                let cost: f64 = bounds.windows(2).map(|w| ssd(&sorted[w[0]..w[1]])).sum();
                if cost < best.0 {
                    *best = (cost, cuts.clone());
                }
                return;
            }
            for cut in from..sorted.len() {
                cuts.push(cut);
                go(sorted, cut + 1, left - 1, cuts, best);
                cuts.pop();
            }
        }
        let mut best = (f64::INFINITY, Vec::new());
        go(sorted, 1, k, &mut Vec::new(), &mut best);
        (best.0, best.1.iter().map(|&i| sorted[i]).collect())
    }

    #[test]
    fn natural_breaks_match_brute_force() {
        let mut sorted = JENKS_EXAMPLE.to_vec();
        sorted.sort_by(f64::total_cmp);
        for k in 2..=5 {
            let c = run(&JENKS_EXAMPLE, Method::NaturalBreaks, k);
            let (_, expected) = brute_force_breaks(&sorted, k);
            assert_eq!(c.breaks, expected, "k = {k}");
        }
        // The textbook answer (also computed independently in Python).
        assert_eq!(
            run(&JENKS_EXAMPLE, Method::NaturalBreaks, 3).breaks,
            vec![3.9, 7.1]
        );
        assert_eq!(
            run(&JENKS_EXAMPLE, Method::NaturalBreaks, 4).breaks,
            vec![2.3, 3.9, 7.1]
        );
    }

    #[test]
    fn natural_breaks_on_many_values_use_a_sample_and_find_the_clusters() {
        // Three well separated clusters of 4,000, 3,000 and 3,000 values.
        let values: Vec<f64> = (0..10_000)
            .map(|i| {
                let jitter = f64::from(i % 97) / 97.0;
                match i % 10 {
                    0..=3 => 10.0 + jitter,
                    4..=6 => 50.0 + jitter,
                    _ => 90.0 + jitter,
                }
            })
            .collect();
        let c = run(&values, Method::NaturalBreaks, 3);
        assert_eq!(c.breaks, vec![50.0, 90.0]);
        assert_eq!(c.counts, vec![4_000, 3_000, 3_000]);
        // Deterministic.
        assert_eq!(c, run(&values, Method::NaturalBreaks, 3));
    }

    #[test]
    fn std_dev_breaks_use_population_sd() {
        // Mean 5, population sd 2.
        let values = [2.0, 4.0, 4.0, 4.0, 5.0, 5.0, 7.0, 9.0];
        let c = run(&values, Method::StdDev, 0);
        assert_close(&c.breaks, &[3.0, 7.0, 8.0]);
        assert_eq!(c.counts, vec![1, 5, 1, 1]);
        let c = classify(&values, Method::StdDev, 0, &[], &[-2.0, 0.0, 2.0]).expect("sd");
        assert_close(&c.breaks, &[1.0, 5.0, 9.0]);
        // The −2 sd break lies below the data: the legend widens to it.
        assert_eq!(
            c.classes()[0],
            ClassRange {
                lower: 1.0,
                upper: 1.0
            }
        );
        assert_eq!(c.counts, vec![0, 4, 3, 1]);
    }

    #[test]
    fn manual_breaks() {
        let values = [1.0, 5.0, 10.0, 15.0, 20.0, 25.0];
        let c = classify(&values, Method::Manual, 0, &[10.0, 20.0], &[]).expect("manual");
        assert_eq!(c.breaks, vec![10.0, 20.0]);
        assert_eq!(c.counts, vec![2, 2, 2]);
        for bad in [
            &[20.0, 10.0][..],
            &[10.0, 10.0],
            &[f64::NAN, 1.0],
            &[1.0, f64::INFINITY],
        ] {
            assert_eq!(
                classify(&values, Method::Manual, 0, bad, &[]),
                Err(ClassifyError::InvalidBreaks)
            );
        }
        assert!(matches!(
            classify(&values, Method::Manual, 5, &[], &[]),
            Err(ClassifyError::InvalidClassCount { requested: 1, .. })
        ));
        assert_eq!(
            classify(&values, Method::StdDev, 0, &[], &[1.0, -1.0]),
            Err(ClassifyError::InvalidBreaks)
        );
    }

    #[test]
    fn few_distinct_values_are_the_classes_whatever_the_method() {
        let values = [3.0, 1.0, 3.0, 2.0, 3.0, 1.0];
        for method in Method::ALL {
            let c = classify(&values, method, 5, &[10.0], &[]).expect("classify");
            assert!(c.distinct, "{method}");
            assert_eq!(c.breaks, vec![2.0, 3.0]);
            assert_eq!(c.counts, vec![2, 1, 3]);
            assert_eq!(c.len(), 3);
            assert_eq!(
                c.classes(),
                vec![
                    ClassRange {
                        lower: 1.0,
                        upper: 1.0
                    },
                    ClassRange {
                        lower: 2.0,
                        upper: 2.0
                    },
                    ClassRange {
                        lower: 3.0,
                        upper: 3.0
                    },
                ]
            );
        }
        let single = run(&[7.0, 7.0], Method::Quantiles, 3);
        assert!(single.distinct);
        assert_eq!((single.len(), single.class_of(7.0)), (1, 0));
        // Five distinct values are classified normally.
        assert!(!run(&[1.0, 2.0, 3.0, 4.0, 5.0], Method::Quantiles, 2).distinct);
    }

    #[test]
    fn errors() {
        assert_eq!(
            classify(&[], Method::Quantiles, 5, &[], &[]),
            Err(ClassifyError::NoValues)
        );
        assert_eq!(
            classify(&[f64::NAN, f64::INFINITY], Method::Quantiles, 5, &[], &[]),
            Err(ClassifyError::NoValues)
        );
        for classes in [0, 1, 10] {
            let err = classify(&[1.0, 2.0], Method::EqualInterval, classes, &[], &[])
                .expect_err("class count");
            assert_eq!(err.code(), "INVALID_CLASS_COUNT");
            assert!(err.to_string().contains("zwischen 2 und 9"));
        }
        assert_eq!(ClassifyError::NoValues.code(), "NO_VALUES");
        assert_eq!(ClassifyError::InvalidBreaks.code(), "INVALID_BREAKS");
    }

    #[test]
    fn non_finite_values_are_ignored() {
        let values = [f64::NAN, 1.0, 2.0, f64::NEG_INFINITY, 3.0, 4.0, 5.0, 6.0];
        let c = run(&values, Method::EqualInterval, 5);
        assert_eq!((c.min, c.max), (1.0, 6.0));
        assert_eq!(c.counts.iter().sum::<usize>(), 6);
    }

    #[test]
    fn class_of_is_lower_closed() {
        let values: Vec<f64> = (0..=10).map(f64::from).collect();
        let c = run(&values, Method::EqualInterval, 5);
        assert_eq!(c.class_of(-1.0), 0);
        assert_eq!(c.class_of(0.0), 0);
        assert_eq!(c.class_of(1.999), 0);
        assert_eq!(c.class_of(2.0), 1);
        assert_eq!(c.class_of(7.999), 3);
        assert_eq!(c.class_of(8.0), 4);
        assert_eq!(c.class_of(10.0), 4);
        assert_eq!(c.class_of(11.0), 4);
        let ranges = c.classes();
        assert_eq!(ranges.len(), 5);
        assert_eq!(
            ranges[0],
            ClassRange {
                lower: 0.0,
                upper: 2.0
            }
        );
        assert_eq!(
            ranges[4],
            ClassRange {
                lower: 8.0,
                upper: 10.0
            }
        );
    }

    #[test]
    fn method_names_and_spec_json() {
        for method in Method::ALL {
            assert_eq!(method.as_str().parse::<Method>(), Ok(method));
            assert_eq!(
                serde_json::to_string(&method).expect("json"),
                format!("\"{}\"", method.as_str())
            );
        }
        assert!("jenks".parse::<Method>().is_err());
        let spec: ClassifySpec =
            serde_json::from_str(r#"{"method":"natural_breaks"}"#).expect("spec");
        assert_eq!((spec.method, spec.classes), (Method::NaturalBreaks, 5));
        let c = spec.apply(&JENKS_EXAMPLE).expect("apply");
        assert_eq!(c.len(), 5);
    }

    #[test]
    fn palettes() {
        for scheme in [Scheme::Sequential, Scheme::Diverging] {
            assert!(palette(scheme, 0).is_empty());
            assert!(palette(scheme, 10).is_empty());
            for n in 1..=9 {
                let colours = palette(scheme, n);
                assert_eq!(colours.len(), n);
                for c in &colours {
                    assert!(c.len() == 7 && c.starts_with('#'), "{c}");
                    assert!(c[1..].chars().all(|ch| ch.is_ascii_hexdigit()), "{c}");
                    assert_ne!(*c, NO_DATA_FILL);
                    assert_ne!(*c, SUPPRESSED_FILL);
                }
            }
        }
        assert_eq!(palette(Scheme::Sequential, 1), vec!["#7fcdbb"]);
        assert_eq!(palette(Scheme::Sequential, 2), vec!["#edf8b1", "#2c7fb8"]);
        assert_eq!(palette(Scheme::Sequential, 9)[8], "#081d58");
        assert_eq!(palette(Scheme::Diverging, 5)[2], "#f7f7f7");
        assert_eq!(palette(Scheme::Diverging, 9)[0], "#b35806");
    }
}
