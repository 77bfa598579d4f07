//! Composite need index (Sozialindex): several indicators per area are normalised over the
//! areas taking part, turned so that a higher value always means more need, weighted,
//! combined, optionally standardised again, and put into classes. Areas in the top classes
//! are the "Quartiere mit besonderem Handlungsbedarf".
//!
//! Two published methods are presets: the status index of Berlin's "Monitoring Soziale
//! Stadtentwicklung" ([`IndexSpec::berlin_mss`]) and the deviation-from-mean index of the
//! Rheinisch-Bergischer Kreis ([`IndexSpec::deviation_sum`]).

use super::classify::quantile_breaks;
use super::Polarity;
use serde::{Deserialize, Serialize};

/// Standard-deviation bands of the MSS status index: < −1 hoch, −1..+1 mittel,
/// +1..+1.5 niedrig, ≥ +1.5 sehr niedrig (status; need runs the other way). The MSS material
/// we could consult does not say which group a score of exactly a threshold belongs to; we use
/// lower-closed intervals like every other classification here.
pub const DEFAULT_SD_BANDS: [f64; 3] = [-1.0, 1.0, 1.5];
/// With [`DEFAULT_SD_BANDS`], classes from this one up (score ≥ +1 sd) have special need.
pub const DEFAULT_HIGH_NEED_CLASS: usize = 2;

/// How each indicator is made comparable before combining.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Normalisation {
    /// (x − mean) / sd, population sd over the valid areas.
    ZScore,
    /// x − mean over the valid areas, in the indicator's own unit.
    DeviationFromMean,
    /// Rank among the valid areas scaled to 0..1 (lowest 0, highest 1); ties share their
    /// average rank.
    RankMinMax,
}

/// How the weighted, normalised indicators are combined.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Combination {
    WeightedSum,
    /// Weighted sum divided by the sum of weights.
    WeightedMean,
}

/// One indicator of the index.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Component {
    pub polarity: Polarity,
    /// Finite and ≥ 0. A weight of 0 keeps the indicator out of the score, but areas still
    /// need a value for it to be valid.
    pub weight: f64,
}

impl Component {
    pub const fn new(polarity: Polarity, weight: f64) -> Self {
        Self { polarity, weight }
    }
}

/// How the scores are put into classes; class 0 is always the least need.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum IndexClasses {
    /// Lower-closed bands at these multiples of the score's standard deviation around its
    /// mean (1 to 8 strictly ascending breaks). With `restandardise` the score already is a
    /// z-score and the breaks apply to it directly; without, they apply to the z-score of the
    /// score over the valid areas, and [`IndexResult::breaks`] gives them in score units.
    SdBands(Vec<f64>),
    /// This many quantile classes (2..=9) of the valid areas' scores.
    Quantiles(usize),
}

impl Default for IndexClasses {
    fn default() -> Self {
        Self::SdBands(DEFAULT_SD_BANDS.to_vec())
    }
}

impl IndexClasses {
    /// The first class at or above +1 sd, the usual line for "besonderer Handlungsbedarf";
    /// `None` for quantiles, where the planner chooses.
    pub fn high_need_from(&self) -> Option<usize> {
        match self {
            Self::SdBands(breaks) => breaks.iter().position(|&b| b >= 1.0).map(|p| p + 1),
            Self::Quantiles(_) => None,
        }
    }
}

/// A need index as stored with its results.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct IndexSpec {
    pub components: Vec<Component>,
    pub normalisation: Normalisation,
    pub combination: Combination,
    /// Standardise the combined score again (population sd over the valid areas).
    #[serde(default)]
    pub restandardise: bool,
    #[serde(default)]
    pub classes: IndexClasses,
}

impl IndexSpec {
    /// Berlin MSS status index over `indicators` "high is bad" shares (unemployment, transfer
    /// receipt, child poverty, ...): z-scores summed with equal weights, the sum standardised
    /// again, classes at −1 / +1 / +1.5.
    pub fn berlin_mss(indicators: usize) -> Self {
        Self {
            components: vec![Component::new(Polarity::HighIsBad, 1.0); indicators],
            normalisation: Normalisation::ZScore,
            combination: Combination::WeightedSum,
            restandardise: true,
            classes: IndexClasses::default(),
        }
    }

    /// Rheinisch-Bergischer Kreis: sum of each indicator's deviation from the mean of the
    /// areas, in the indicators' own units, without standardising again.
    pub fn deviation_sum(components: Vec<Component>) -> Self {
        Self {
            components,
            normalisation: Normalisation::DeviationFromMean,
            combination: Combination::WeightedSum,
            restandardise: false,
            classes: IndexClasses::default(),
        }
    }
}

/// The index for one date.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct IndexResult {
    /// Per area; `None` for excluded areas and areas missing any component. Higher = more need.
    pub scores: Vec<Option<f64>>,
    /// Per area; class 0 = least need.
    pub classes: Vec<Option<usize>>,
    /// Lower bounds of classes 1.. in score units.
    pub breaks: Vec<f64>,
    /// Included areas with a value for every component: the base of all means and sds.
    pub valid_areas: usize,
    /// Mean and population sd of each component's raw values over the valid areas, so the
    /// method can be documented alongside the result.
    pub component_means: Vec<f64>,
    pub component_sds: Vec<f64>,
}

impl IndexResult {
    /// Areas in class `from_class` or above.
    pub fn high_need(&self, from_class: usize) -> Vec<usize> {
        high_need(&self.classes, from_class)
    }
}

/// Indices of the areas whose class is `from_class` or above ("Quartiere mit besonderem
/// Handlungsbedarf" with `from_class` = [`DEFAULT_HIGH_NEED_CLASS`] and the default bands).
pub fn high_need(classes: &[Option<usize>], from_class: usize) -> Vec<usize> {
    classes
        .iter()
        .enumerate()
        .filter(|(_, c)| c.is_some_and(|c| c >= from_class))
        .map(|(a, _)| a)
        .collect()
}

#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum IndexError {
    #[error("Der Index braucht mindestens einen Indikator.")]
    NoComponents,
    #[error("Das Gewicht des {}. Indikators muss eine endliche Zahl größer oder gleich 0 sein.", .component + 1)]
    InvalidWeight { component: usize },
    #[error("Mindestens ein Indikator muss ein Gewicht größer als 0 haben.")]
    AllWeightsZero,
    #[error("Kein einbezogenes Gebiet hat Werte für alle Indikatoren des Index.")]
    NoValidAreas,
    #[error("Der {}. Indikator hat in allen einbezogenen Gebieten denselben Wert und lässt sich nicht z-standardisieren.", .component + 1)]
    ZeroVariance { component: usize },
    #[error("Die Zahl der Werte passt nicht zur Zahl der Indikatoren oder Gebiete.")]
    LengthMismatch,
    #[error("Die Klassen des Index sind ungültig: 1 bis 8 endliche, aufsteigende Grenzen oder 2 bis 9 Quantilsklassen.")]
    InvalidClasses,
}

impl IndexError {
    /// A stable code for forms and API clients.
    pub fn code(&self) -> &'static str {
        match self {
            Self::NoComponents => "NO_COMPONENTS",
            Self::InvalidWeight { .. } => "INVALID_WEIGHT",
            Self::AllWeightsZero => "ALL_WEIGHTS_ZERO",
            Self::NoValidAreas => "NO_VALID_AREAS",
            Self::ZeroVariance { .. } => "ZERO_VARIANCE",
            Self::LengthMismatch => "LENGTH_MISMATCH",
            Self::InvalidClasses => "INVALID_CLASSES",
        }
    }
}

/// A combined score spread smaller than this share of what the components could produce is
/// rounding noise (e.g. two indicators that cancel exactly), not a difference between areas.
const RELATIVE_ZERO_SPREAD: f64 = 1e-9;

/// Computes the index. `values[c][a]` is component `c` for area `a` (`None` or non-finite =
/// no data); `included[a]` is false for areas left out (below the minimum population, or
/// named by the planner). Excluded and incomplete areas get no score and do not enter any
/// mean or sd.
pub fn compute(
    spec: &IndexSpec,
    values: &[Vec<Option<f64>>],
    included: &[bool],
) -> Result<IndexResult, IndexError> {
    validate(spec, values, included)?;
    let n = included.len();

    let mut valid = included.to_vec();
    for column in values {
        for (ok, v) in valid.iter_mut().zip(column) {
            *ok &= v.is_some_and(f64::is_finite);
        }
    }
    let valid_areas = valid.iter().filter(|&&ok| ok).count();
    if valid_areas == 0 {
        return Err(IndexError::NoValidAreas);
    }
    let inv_valid = 1.0 / valid_areas as f64;

    let mut score = vec![0.0; n];
    let mut component_means = Vec::with_capacity(values.len());
    let mut component_sds = Vec::with_capacity(values.len());
    // Typical spread the components contribute, to tell a flat score from rounding noise.
    let mut spread_scale = 0.0;
    let mut ranks: Vec<(f64, usize)> = Vec::new();
    for (c, (component, column)) in spec.components.iter().zip(values).enumerate() {
        // Two passes (mean, then squared deviations) for numerical stability.
        let (mut sum, mut lo, mut hi) = (0.0, f64::INFINITY, f64::NEG_INFINITY);
        for (&ok, v) in valid.iter().zip(column) {
            if let (true, Some(x)) = (ok, *v) {
                sum += x;
                lo = lo.min(x);
                hi = hi.max(x);
            }
        }
        let mean = sum * inv_valid;
        let mut squares = 0.0;
        for (&ok, v) in valid.iter().zip(column) {
            if let (true, Some(x)) = (ok, *v) {
                squares += (x - mean) * (x - mean);
            }
        }
        let sd = (squares * inv_valid).sqrt();
        component_means.push(mean);
        component_sds.push(sd);
        if component.weight == 0.0 {
            continue;
        }
        let factor = component.polarity.need_sign() * component.weight;
        match spec.normalisation {
            Normalisation::ZScore => {
                // min == max is exact, unlike sd == 0 after rounding.
                if lo == hi {
                    return Err(IndexError::ZeroVariance { component: c });
                }
                let f = factor / sd;
                add_deviations(&mut score, &valid, column, mean, f);
                spread_scale += component.weight;
            }
            Normalisation::DeviationFromMean => {
                add_deviations(&mut score, &valid, column, mean, factor);
                spread_scale += component.weight * sd;
            }
            Normalisation::RankMinMax => {
                add_ranks(&mut score, &valid, column, factor, &mut ranks);
                spread_scale += component.weight * 0.5;
            }
        }
    }
    if spec.combination == Combination::WeightedMean {
        let total: f64 = spec.components.iter().map(|c| c.weight).sum();
        let inv = 1.0 / total;
        for (s, &ok) in score.iter_mut().zip(&valid) {
            if ok {
                *s *= inv;
            }
        }
        spread_scale *= inv;
    }

    let (mean, sd) = masked_mean_sd(&score, &valid, inv_valid);
    let flat = sd.is_nan() || sd <= RELATIVE_ZERO_SPREAD * spread_scale;
    if spec.restandardise {
        // All valid areas equally needy: nothing to standardise, everyone sits at the mean.
        let inv_sd = if flat { 0.0 } else { 1.0 / sd };
        for (s, &ok) in score.iter_mut().zip(&valid) {
            if ok {
                *s = (*s - mean) * inv_sd;
            }
        }
    }

    let breaks = match &spec.classes {
        IndexClasses::SdBands(bands) if spec.restandardise => bands.clone(),
        IndexClasses::SdBands(bands) => bands.iter().map(|b| mean + b * sd).collect(),
        IndexClasses::Quantiles(k) => {
            let mut sorted: Vec<f64> = score
                .iter()
                .zip(&valid)
                .filter(|(_, &ok)| ok)
                .map(|(&s, _)| s)
                .collect();
            sorted.sort_unstable_by(f64::total_cmp);
            quantile_breaks(&sorted, *k)
        }
    };
    // A flat score without restandardising has all band breaks at the mean; place every area
    // where a z-score of 0 falls instead of in the top class.
    let flat_class = match &spec.classes {
        IndexClasses::SdBands(bands) if flat && !spec.restandardise => {
            Some(bands.partition_point(|&b| b <= 0.0))
        }
        _ => None,
    };

    let mut scores = Vec::with_capacity(n);
    let mut classes = Vec::with_capacity(n);
    for (&s, &ok) in score.iter().zip(&valid) {
        if ok {
            scores.push(Some(s));
            classes.push(Some(
                flat_class.unwrap_or_else(|| breaks.partition_point(|&b| b <= s)),
            ));
        } else {
            scores.push(None);
            classes.push(None);
        }
    }
    Ok(IndexResult {
        scores,
        classes,
        breaks,
        valid_areas,
        component_means,
        component_sds,
    })
}

fn validate(
    spec: &IndexSpec,
    values: &[Vec<Option<f64>>],
    included: &[bool],
) -> Result<(), IndexError> {
    if spec.components.is_empty() {
        return Err(IndexError::NoComponents);
    }
    if let Some(component) = spec
        .components
        .iter()
        .position(|c| !(c.weight.is_finite() && c.weight >= 0.0))
    {
        return Err(IndexError::InvalidWeight { component });
    }
    if spec.components.iter().all(|c| c.weight == 0.0) {
        return Err(IndexError::AllWeightsZero);
    }
    if values.len() != spec.components.len()
        || values.iter().any(|column| column.len() != included.len())
    {
        return Err(IndexError::LengthMismatch);
    }
    let classes_ok = match &spec.classes {
        IndexClasses::SdBands(bands) => {
            (1..=8).contains(&bands.len())
                && bands.iter().all(|b| b.is_finite())
                && bands.windows(2).all(|w| w[0] < w[1])
        }
        IndexClasses::Quantiles(k) => (2..=9).contains(k),
    };
    if !classes_ok {
        return Err(IndexError::InvalidClasses);
    }
    Ok(())
}

/// score[a] += (x − mean) · factor for every valid area.
fn add_deviations(score: &mut [f64], valid: &[bool], column: &[Option<f64>], mean: f64, f: f64) {
    for ((s, &ok), v) in score.iter_mut().zip(valid).zip(column) {
        if let (true, Some(x)) = (ok, *v) {
            *s += (x - mean) * f;
        }
    }
}

/// score[a] += scaled rank · factor; `ranks` is a buffer reused across components.
fn add_ranks(
    score: &mut [f64],
    valid: &[bool],
    column: &[Option<f64>],
    factor: f64,
    ranks: &mut Vec<(f64, usize)>,
) {
    ranks.clear();
    ranks.extend(
        valid
            .iter()
            .zip(column)
            .enumerate()
            .filter_map(|(a, (&ok, v))| v.filter(|_| ok).map(|x| (x, a))),
    );
    ranks.sort_unstable_by(|l, r| l.0.total_cmp(&r.0));
    let m = ranks.len();
    // Ranks 1..=m map to 0..1; a single area (or all tied) sits in the middle.
    let scale = if m > 1 { 1.0 / (m - 1) as f64 } else { 0.0 };
    let mut start = 0;
    while start < m {
        let x = ranks[start].0;
        let end = start + ranks[start..].iter().take_while(|r| r.0 == x).count();
        // Average of the 0-based ranks start..end.
        let scaled = if m > 1 {
            (start + end - 1) as f64 * 0.5 * scale
        } else {
            0.5
        };
        for &(_, a) in &ranks[start..end] {
            if let Some(s) = score.get_mut(a) {
                *s += scaled * factor;
            }
        }
        start = end;
    }
}

fn masked_mean_sd(score: &[f64], valid: &[bool], inv_valid: f64) -> (f64, f64) {
    let sum: f64 = score
        .iter()
        .zip(valid)
        .filter(|(_, &ok)| ok)
        .map(|(s, _)| s)
        .sum();
    let mean = sum * inv_valid;
    let squares: f64 = score
        .iter()
        .zip(valid)
        .filter(|(_, &ok)| ok)
        .map(|(s, _)| (s - mean) * (s - mean))
        .sum();
    (mean, (squares * inv_valid).sqrt())
}

#[cfg(test)]
mod tests {
    use super::*;

    const TOL: f64 = 1e-9;

    fn col(values: &[f64]) -> Vec<Option<f64>> {
        values.iter().map(|&v| Some(v)).collect()
    }

    fn assert_scores(actual: &[Option<f64>], expected: &[Option<f64>]) {
        assert_eq!(actual.len(), expected.len());
        for (a, (x, e)) in actual.iter().zip(expected).enumerate() {
            match (x, e) {
                (Some(x), Some(e)) => assert!((x - e).abs() < TOL, "area {a}: {x} vs {e}"),
                (None, None) => {}
                _ => panic!("area {a}: {x:?} vs {e:?}"),
            }
        }
    }

    /// Berlin MSS fixture: 12 Planungsräume; area 10 has 250 residents (below the MSS minimum
    /// of 300) and extreme values, area 11 lacks the child-poverty value.
    const RESIDENTS: [u32; 12] = [
        1200, 3400, 800, 5600, 2100, 950, 4300, 1800, 2700, 3900, 250, 1500,
    ];
    const UNEMPLOYMENT: [f64; 12] = [3.1, 5.4, 9.8, 2.2, 7.5, 4.0, 12.6, 6.1, 3.7, 8.9, 30.0, 5.0];
    const TRANSFER: [f64; 12] = [
        4.2, 8.8, 15.1, 3.0, 11.9, 6.3, 19.4, 9.7, 5.5, 13.2, 45.0, 7.0,
    ];
    const CHILD_POVERTY: [Option<f64>; 12] = [
        Some(8.5),
        Some(17.2),
        Some(38.0),
        Some(5.1),
        Some(26.4),
        Some(12.0),
        Some(47.3),
        Some(20.8),
        Some(10.9),
        Some(31.5),
        Some(80.0),
        None,
    ];

    fn mss_input() -> (Vec<Vec<Option<f64>>>, Vec<bool>) {
        let included = RESIDENTS.iter().map(|&r| r >= 300).collect();
        let values = vec![col(&UNEMPLOYMENT), col(&TRANSFER), CHILD_POVERTY.to_vec()];
        (values, included)
    }

    #[test]
    fn berlin_mss_status_index() {
        let (values, included) = mss_input();
        let result = compute(&IndexSpec::berlin_mss(3), &values, &included).expect("index");
        // Computed independently in plain Python (statistics by hand, population sd).
        let expected = [
            Some(-1.049185707895508),
            Some(-0.2755916055760389),
            Some(1.1417014504470642),
            Some(-1.3113833101612224),
            Some(0.38862074517683803),
            Some(-0.7238408594418728),
            Some(1.9630860150494318),
            Some(-0.04960091917355577),
            Some(-0.8373272863362621),
            Some(0.7535214779111259),
            None,
            None,
        ];
        assert_scores(&result.scores, &expected);
        // Status groups 1 hoch .. 4 sehr niedrig are classes 0..3. The MSS reports we could
        // consult give the thresholds (−1, +1, +1.5 sd) but not the closure at exactly a
        // threshold; we use lower-closed intervals, so a score of exactly +1.0 is "niedrig".
        assert_eq!(
            result.classes,
            vec![
                Some(0),
                Some(1),
                Some(2),
                Some(0),
                Some(1),
                Some(1),
                Some(3),
                Some(1),
                Some(1),
                Some(1),
                None,
                None
            ]
        );
        assert_eq!(result.breaks, DEFAULT_SD_BANDS.to_vec());
        assert_eq!(result.valid_areas, 10);
        assert_eq!(result.high_need(DEFAULT_HIGH_NEED_CLASS), vec![2, 6]);
        assert_eq!(
            IndexSpec::berlin_mss(3).classes.high_need_from(),
            Some(DEFAULT_HIGH_NEED_CLASS)
        );

        // The excluded area's values do not enter any mean.
        let mut changed = values.clone();
        for column in &mut changed {
            column[10] = Some(1_000.0);
        }
        let again = compute(&IndexSpec::berlin_mss(3), &changed, &included).expect("index");
        assert_eq!(again, result);
        let mean_unemployment = UNEMPLOYMENT[..10].iter().sum::<f64>() / 10.0;
        assert!((result.component_means[0] - mean_unemployment).abs() < TOL);
    }

    #[test]
    fn rheinisch_bergischer_kreis_deviation_index() {
        let sgb2_under_15 = [12.0, 18.5, 25.3, 9.8, 31.2, 15.0, 21.7, 27.9, 11.4];
        let under_18 = [22.1, 19.4, 17.8, 24.6, 16.2, 20.3, 18.9, 15.5, 23.0];
        let childcare_under_3 = [35.0, 28.0, 21.5, 41.2, 18.0, 33.3, 26.1, 20.4, 38.7];
        let values = vec![col(&sgb2_under_15), col(&under_18), col(&childcare_under_3)];
        let spec = IndexSpec::deviation_sum(vec![
            Component::new(Polarity::HighIsBad, 1.0),
            Component::new(Polarity::HighIsBad, 1.0),
            Component::new(Polarity::HighIsGood, 1.0),
        ]);
        let result = compute(&spec, &values, &[true; 9]).expect("index");
        // Computed independently in plain Python.
        let expected = [
            -10.722222222222225,
            0.07777777777777217,
            11.777777777777775,
            -16.622222222222227,
            19.577777777777772,
            -7.822222222222223,
            4.67777777777777,
            13.177777777777774,
            -14.122222222222229,
        ];
        assert_scores(&result.scores, &expected.map(Some));
        // Bands apply to the z-score of the score: in score units mean ± k·sd.
        let expected_breaks = [-12.33529513926763, 12.33529513926762, 18.502942708901433];
        assert_eq!(result.breaks.len(), 3);
        for (b, e) in result.breaks.iter().zip(expected_breaks) {
            assert!((b - e).abs() < TOL, "{b} vs {e}");
        }
        let expected_classes = [1, 1, 1, 0, 3, 1, 1, 2, 0];
        assert_eq!(result.classes, expected_classes.map(Some).to_vec());
        assert_eq!(result.high_need(2), vec![4, 7]);
        let means = [19.200000000000003, 19.755555555555556, 29.133333333333333];
        for (m, e) in result.component_means.iter().zip(means) {
            assert!((m - e).abs() < TOL);
        }
    }

    fn two_component_spec(first: Polarity, normalisation: Normalisation) -> IndexSpec {
        IndexSpec {
            components: vec![
                Component::new(first, 2.0),
                Component::new(Polarity::HighIsBad, 1.0),
            ],
            normalisation,
            combination: Combination::WeightedSum,
            restandardise: false,
            classes: IndexClasses::default(),
        }
    }

    #[test]
    fn polarity_turns_high_good_values_into_less_need() {
        let values = vec![col(&[1.0, 2.0, 3.0, 6.0])];
        let spec = |polarity, normalisation| IndexSpec {
            components: vec![Component::new(polarity, 2.0)],
            normalisation,
            combination: Combination::WeightedSum,
            restandardise: false,
            classes: IndexClasses::default(),
        };
        for normalisation in [
            Normalisation::ZScore,
            Normalisation::DeviationFromMean,
            Normalisation::RankMinMax,
        ] {
            let run = |polarity| compute(&spec(polarity, normalisation), &values, &[true; 4]);
            let bad = run(Polarity::HighIsBad).expect("bad");
            let good = run(Polarity::HighIsGood).expect("good");
            let neutral = run(Polarity::Neutral).expect("neutral");
            assert_eq!(neutral.scores, bad.scores);
            for (b, g) in bad.scores.iter().zip(&good.scores) {
                let (b, g) = (b.expect("score"), g.expect("score"));
                assert!((b + g).abs() < TOL, "{normalisation:?}: {b} vs {g}");
            }
        }
        // Deviation, weight 2: mean 3 → (−4, −2, 0, 6) for high-is-bad.
        let bad = spec(Polarity::HighIsBad, Normalisation::DeviationFromMean);
        let r = compute(&bad, &values, &[true; 4]).expect("index");
        assert_scores(&r.scores, &[Some(-4.0), Some(-2.0), Some(0.0), Some(6.0)]);
        // The lowest raw value of a high-is-good indicator is the most need.
        let good = spec(Polarity::HighIsGood, Normalisation::DeviationFromMean);
        let r = compute(&good, &values, &[true; 4]).expect("index");
        assert_scores(&r.scores, &[Some(4.0), Some(2.0), Some(0.0), Some(-6.0)]);
        assert_eq!(r.classes[0], r.classes.iter().copied().max().flatten());
    }

    #[test]
    fn weighted_mean_divides_the_weighted_sum_by_the_weights() {
        let values = vec![col(&[1.0, 4.0, 2.0, 9.0]), col(&[3.0, 3.0, 8.0, 2.0])];
        let mut spec = two_component_spec(Polarity::HighIsBad, Normalisation::ZScore);
        let sum = compute(&spec, &values, &[true; 4]).expect("sum");
        spec.combination = Combination::WeightedMean;
        let mean = compute(&spec, &values, &[true; 4]).expect("mean");
        for (s, m) in sum.scores.iter().zip(&mean.scores) {
            let (s, m) = (s.expect("score"), m.expect("score"));
            assert!((s / 3.0 - m).abs() < TOL);
        }
        // Classes by sd bands do not depend on the overall scale.
        assert_eq!(sum.classes, mean.classes);
        // z-scores of x = (1, 4, 2, 9): mean 4, sd √9.5; of (3, 3, 8, 2): mean 4, sd √5.5.
        let expected0 = 2.0 * (1.0 - 4.0) / 9.5f64.sqrt() + (3.0 - 4.0) / 5.5f64.sqrt();
        assert!((sum.scores[0].expect("score") - expected0).abs() < TOL);
    }

    #[test]
    fn rank_min_max_gives_ties_their_average_rank() {
        let values = vec![col(&[30.0, 10.0, 20.0, 20.0, 40.0])];
        let spec = IndexSpec {
            components: vec![Component::new(Polarity::HighIsBad, 1.0)],
            normalisation: Normalisation::RankMinMax,
            combination: Combination::WeightedSum,
            restandardise: false,
            classes: IndexClasses::Quantiles(2),
        };
        let r = compute(&spec, &values, &[true; 5]).expect("index");
        // Ranks 4, 1, 2.5, 2.5, 5 → (rank − 1) / 4.
        assert_scores(
            &r.scores,
            &[Some(0.75), Some(0.0), Some(0.375), Some(0.375), Some(1.0)],
        );
        // Quantile classes over the scores: lower bound of class 1 is the order statistic 2.
        assert_eq!(r.breaks, vec![0.375]);
        assert_eq!(r.classes, vec![Some(1), Some(0), Some(1), Some(1), Some(1)]);
        // A single valid area sits in the middle.
        let r = compute(&spec, &values, &[false, false, true, false, false]).expect("index");
        assert_eq!(r.scores[2], Some(0.5));
    }

    #[test]
    fn missing_and_non_finite_values_make_an_area_invalid() {
        let values = vec![
            vec![Some(1.0), None, Some(3.0), Some(4.0)],
            vec![Some(1.0), Some(2.0), Some(f64::NAN), Some(5.0)],
        ];
        let spec = IndexSpec::deviation_sum(vec![Component::new(Polarity::HighIsBad, 1.0); 2]);
        let r = compute(&spec, &values, &[true; 4]).expect("index");
        assert_eq!(r.valid_areas, 2);
        // Means over areas 0 and 3 only: 2.5 and 3.
        assert_scores(&r.scores, &[Some(-3.5), None, None, Some(3.5)]);
    }

    #[test]
    fn zero_weight_components_need_values_but_add_nothing() {
        let values = vec![col(&[1.0, 2.0, 3.0]), vec![Some(5.0), Some(5.0), None]];
        let spec = IndexSpec {
            components: vec![
                Component::new(Polarity::HighIsBad, 1.0),
                Component::new(Polarity::HighIsBad, 0.0),
            ],
            normalisation: Normalisation::ZScore,
            combination: Combination::WeightedSum,
            restandardise: true,
            classes: IndexClasses::default(),
        };
        let r = compute(&spec, &values, &[true; 3]).expect("index");
        assert_scores(&r.scores, &[Some(-1.0), Some(1.0), None]);
    }

    #[test]
    fn flat_scores_do_not_land_in_the_top_class() {
        // Two indicators that cancel exactly: every area has the same need.
        let values = vec![col(&[1.0, 2.0, 3.0, 7.0]), col(&[1.0, 2.0, 3.0, 7.0])];
        let mut spec = IndexSpec {
            components: vec![
                Component::new(Polarity::HighIsBad, 1.0),
                Component::new(Polarity::HighIsGood, 1.0),
            ],
            normalisation: Normalisation::ZScore,
            combination: Combination::WeightedSum,
            restandardise: true,
            classes: IndexClasses::default(),
        };
        let r = compute(&spec, &values, &[true; 4]).expect("index");
        assert_eq!(r.scores, vec![Some(0.0); 4]);
        assert_eq!(r.classes, vec![Some(1); 4]);
        spec.restandardise = false;
        let r = compute(&spec, &values, &[true; 4]).expect("index");
        assert_eq!(r.classes, vec![Some(1); 4]);
    }

    #[test]
    fn errors() {
        let values = vec![col(&[1.0, 2.0, 3.0])];
        let one = |weight: f64| {
            IndexSpec::deviation_sum(vec![Component::new(Polarity::HighIsBad, weight)])
        };
        let err = |spec: &IndexSpec, values: &[Vec<Option<f64>>], included: &[bool]| {
            compute(spec, values, included).expect_err("error")
        };

        assert_eq!(
            err(&IndexSpec::deviation_sum(Vec::new()), &[], &[true; 3]),
            IndexError::NoComponents
        );
        for weight in [f64::NAN, f64::INFINITY, -1.0] {
            assert_eq!(
                err(&one(weight), &values, &[true; 3]),
                IndexError::InvalidWeight { component: 0 }
            );
        }
        let mut two = IndexSpec::berlin_mss(2);
        two.components[1].weight = -0.5;
        let e = err(&two, &[col(&[1.0]), col(&[1.0])], &[true]);
        assert_eq!(e, IndexError::InvalidWeight { component: 1 });
        assert!(e.to_string().contains("2. Indikators"));
        assert_eq!(
            err(&one(0.0), &values, &[true; 3]),
            IndexError::AllWeightsZero
        );
        assert_eq!(
            err(&one(1.0), &values, &[false; 3]),
            IndexError::NoValidAreas
        );
        assert_eq!(
            err(&one(1.0), &[vec![None; 3]], &[true; 3]),
            IndexError::NoValidAreas
        );
        assert_eq!(
            err(
                &IndexSpec::berlin_mss(2),
                &[col(&[1.0, 2.0, 3.0]), col(&[4.0, 4.0, 9.0])],
                &[true, true, false]
            ),
            IndexError::ZeroVariance { component: 1 }
        );
        assert_eq!(
            err(&one(1.0), &values, &[true; 2]),
            IndexError::LengthMismatch
        );
        assert_eq!(
            err(
                &one(1.0),
                &[col(&[1.0, 2.0, 3.0]), col(&[1.0, 2.0, 3.0])],
                &[true; 3]
            ),
            IndexError::LengthMismatch
        );
        for classes in [
            IndexClasses::SdBands(Vec::new()),
            IndexClasses::SdBands(vec![1.0, -1.0]),
            IndexClasses::SdBands(vec![f64::NAN]),
            IndexClasses::SdBands(vec![0.0; 9]),
            IndexClasses::Quantiles(1),
            IndexClasses::Quantiles(10),
        ] {
            let mut spec = one(1.0);
            spec.classes = classes;
            assert_eq!(err(&spec, &values, &[true; 3]), IndexError::InvalidClasses);
        }

        let all = [
            IndexError::NoComponents,
            IndexError::InvalidWeight { component: 0 },
            IndexError::AllWeightsZero,
            IndexError::NoValidAreas,
            IndexError::ZeroVariance { component: 0 },
            IndexError::LengthMismatch,
            IndexError::InvalidClasses,
        ];
        let codes: std::collections::HashSet<_> = all.iter().map(IndexError::code).collect();
        assert_eq!(codes.len(), all.len());
        assert!(all.iter().all(|e| !e.to_string().is_empty()));
    }

    #[test]
    fn high_need_helper() {
        let classes = [Some(0), None, Some(2), Some(3), Some(1)];
        assert_eq!(high_need(&classes, DEFAULT_HIGH_NEED_CLASS), vec![2, 3]);
        assert_eq!(high_need(&classes, 4), Vec::<usize>::new());
        assert_eq!(IndexClasses::Quantiles(5).high_need_from(), None);
        assert_eq!(
            IndexClasses::SdBands(vec![-2.0, -1.0, 1.0]).high_need_from(),
            Some(3)
        );
    }

    #[test]
    fn spec_json_shape() {
        let spec = IndexSpec::berlin_mss(1);
        let json = serde_json::to_value(&spec).expect("json");
        assert_eq!(json["normalisation"], "z_score");
        assert_eq!(json["combination"], "weighted_sum");
        assert_eq!(
            json["classes"]["sd_bands"],
            serde_json::json!([-1.0, 1.0, 1.5])
        );
        let back: IndexSpec = serde_json::from_value(json).expect("back");
        assert_eq!(back, spec);
        let minimal: IndexSpec = serde_json::from_str(
            r#"{"components":[{"polarity":"HighIsGood","weight":1.0}],
                "normalisation":"rank_min_max","combination":"weighted_mean"}"#,
        )
        .expect("minimal");
        assert!(!minimal.restandardise);
        assert_eq!(minimal.classes, IndexClasses::default());
        let quantiles: IndexClasses = serde_json::from_str(r#"{"quantiles":5}"#).expect("q");
        assert_eq!(quantiles, IndexClasses::Quantiles(5));
    }
}
