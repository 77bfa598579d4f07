//! The Quartier profile (Steckbrief): for each indicator the area's value next to the mean of its
//! level, the deviation, the rank and the trend, and which deviations are strengths and which are
//! weaknesses. Works on the values as the viewer may see them (after disclosure control), so the
//! level's mean cannot give a hidden value away.

use super::Polarity;

/// One indicator line of a profile.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ProfileLine {
    pub value: Option<f64>,
    /// Unweighted mean of the level's areas that have a (visible) value.
    pub mean: Option<f64>,
    pub deviation: Option<f64>,
    /// Deviation in standard deviations of the level (population sd); `None` when sd is 0.
    pub z: Option<f64>,
    /// 1 = the highest value of the level.
    pub rank: Option<usize>,
    /// Areas of the level with a value.
    pub of: usize,
    /// Change against the previous date.
    pub trend: Option<f64>,
    /// Positive = better than the mean, negative = worse (by polarity); `None` when neutral.
    pub assessment: Option<f64>,
}

/// Builds a profile line from the area's value, the visible values of all areas of its level at
/// the same date (the area's own included), and the area's value at the previous date.
pub fn line(
    polarity: Polarity,
    value: Option<f64>,
    level_values: &[f64],
    previous: Option<f64>,
) -> ProfileLine {
    let n = level_values.len();
    let mean = (n > 0).then(|| level_values.iter().sum::<f64>() / n as f64);
    let sd =
        mean.map(|m| (level_values.iter().map(|v| (v - m).powi(2)).sum::<f64>() / n as f64).sqrt());
    let deviation = value.zip(mean).map(|(v, m)| v - m);
    let z = deviation
        .zip(sd)
        .and_then(|(d, s)| (s > 0.0).then(|| d / s));
    let rank = value.map(|v| 1 + level_values.iter().filter(|&&o| o > v).count());
    let assessment = match polarity {
        Polarity::Neutral => None,
        p => z.map(|z| -p.need_sign() * z),
    };
    ProfileLine {
        value,
        mean,
        deviation,
        z,
        rank,
        of: n,
        trend: value.zip(previous).map(|(v, p)| v - p),
        assessment,
    }
}

/// Indexes of the `n` largest favourable and the `n` largest unfavourable deviations.
pub fn strengths_and_weaknesses(lines: &[ProfileLine], n: usize) -> (Vec<usize>, Vec<usize>) {
    let mut scored: Vec<(usize, f64)> = lines
        .iter()
        .enumerate()
        .filter_map(|(i, l)| l.assessment.map(|a| (i, a)))
        .collect();
    scored.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
    let strengths = scored
        .iter()
        .filter(|(_, a)| *a > 0.0)
        .take(n)
        .map(|(i, _)| *i)
        .collect();
    let weaknesses = scored
        .iter()
        .rev()
        .filter(|(_, a)| *a < 0.0)
        .take(n)
        .map(|(i, _)| *i)
        .collect();
    (strengths, weaknesses)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_line_compares_with_the_level() {
        let l = line(
            Polarity::HighIsBad,
            Some(30.0),
            &[10.0, 20.0, 30.0],
            Some(25.0),
        );
        assert_eq!(l.mean, Some(20.0));
        assert_eq!(l.deviation, Some(10.0));
        assert_eq!(l.rank, Some(1));
        assert_eq!(l.of, 3);
        assert_eq!(l.trend, Some(5.0));
        let z = l.z.expect("z");
        assert!((z - 10.0 / (200.0f64 / 3.0).sqrt()).abs() < 1e-12);
        assert!(
            l.assessment.expect("assessment") < 0.0,
            "high is bad: above the mean is worse"
        );
        let good = line(Polarity::HighIsGood, Some(30.0), &[10.0, 20.0, 30.0], None);
        assert!(good.assessment.expect("assessment") > 0.0);
        assert_eq!(good.trend, None);
        let none = line(Polarity::Neutral, None, &[], None);
        assert_eq!((none.mean, none.rank, none.assessment), (None, None, None));
    }

    #[test]
    fn strengths_and_weaknesses_by_polarity() {
        let level = [0.0, 10.0, 20.0];
        let lines = [
            line(Polarity::HighIsBad, Some(20.0), &level, None), // weakness
            line(Polarity::HighIsGood, Some(20.0), &level, None), // strength
            line(Polarity::Neutral, Some(20.0), &level, None),   // neither
            line(Polarity::HighIsBad, Some(0.0), &level, None),  // strength
            line(Polarity::HighIsBad, Some(10.0), &level, None), // at the mean: neither
        ];
        let (s, w) = strengths_and_weaknesses(&lines, 3);
        assert_eq!(s, vec![1, 3]);
        assert_eq!(w, vec![0]);
    }
}
