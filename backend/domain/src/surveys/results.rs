//! Results of a survey: per question, overall and per area, with counts and shares, after the
//! disclosure rule. There is no way to get the tallies before the rule is applied, so nothing
//! that leaves the server (API, page, export, map) can show a small group.

use super::{disclosed, Answer, Answers, QuestionKind, Survey};
use serde::Serialize;
use std::collections::BTreeMap;

/// One stored response as the results see it: the respondent's area (if known) and answers.
#[derive(Debug, Clone, Copy)]
pub struct Respondent<'a> {
    pub area: Option<i32>,
    pub answers: &'a Answers,
}

/// One category of a question: an option, a scale value, or an item's option (`item.option`).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Count {
    pub key: String,
    pub count: u64,
    /// Of those who answered the question (for a matrix: the item).
    pub share: f64,
}

/// The answers of one group (everyone, or the respondents of one area).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Group {
    /// `None` for the total, or for respondents without an area in an area breakdown.
    pub area: Option<i32>,
    /// False when the group is too small (or would give a small one away): then `n`, counts
    /// and means are empty.
    pub shown: bool,
    pub n: Option<u64>,
    pub counts: Vec<Count>,
    /// Mean of a rating or number.
    pub mean: Option<f64>,
    /// Mean rank per option of a ranking.
    pub ranks: Vec<(String, f64)>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct QuestionResult {
    pub question: String,
    pub total: Group,
    /// One group per area asked for, then respondents without an area (if any).
    pub areas: Vec<Group>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Results {
    /// Responses overall (`None` when fewer than the smallest group).
    pub responses: Option<u64>,
    /// Responses per area, in the order asked for, then without an area.
    pub by_area: Vec<(Option<i32>, Option<u64>)>,
    pub questions: Vec<QuestionResult>,
}

#[derive(Default)]
struct Tally {
    n: u64,
    counts: BTreeMap<String, u64>,
    /// Denominator per count key where it is not `n` (matrix items).
    bases: BTreeMap<String, u64>,
    sum: f64,
    ranks: BTreeMap<String, (f64, u64)>,
}

impl Tally {
    fn add(&mut self, kind: &QuestionKind, answer: &Answer) {
        self.n += 1;
        let mut bump = |k: String| *self.counts.entry(k).or_default() += 1;
        match answer {
            Answer::Choice(c) => bump(c.clone()),
            Answer::Choices { selected, other } => {
                for s in selected {
                    bump(s.clone());
                }
                if other.is_some() {
                    bump("other".into());
                }
            }
            Answer::Number(x) => {
                self.sum += x;
                if matches!(kind, QuestionKind::Rating { .. }) {
                    bump(format!("{x}"));
                }
            }
            Answer::Matrix(m) => {
                for (item, option) in m {
                    bump(format!("{item}.{option}"));
                    *self.bases.entry(item.clone()).or_default() += 1;
                }
            }
            Answer::Ranking(r) => {
                if let Some(first) = r.first() {
                    bump(first.clone());
                }
                for (i, o) in r.iter().enumerate() {
                    let e = self.ranks.entry(o.clone()).or_default();
                    e.0 += (i + 1) as f64;
                    e.1 += 1;
                }
            }
            Answer::Area(a) => bump(a.to_string()),
            Answer::Text(_) | Answer::Date(_) | Answer::Point { .. } => {}
        }
    }

    /// The categories a question always shows (with zeros), in the survey's order.
    fn categories(kind: &QuestionKind) -> Vec<String> {
        match kind {
            QuestionKind::SingleChoice { options } | QuestionKind::Ranking { options } => {
                options.iter().map(|o| o.key.clone()).collect()
            }
            QuestionKind::MultipleChoice { options, other, .. } => {
                let mut v: Vec<String> = options.iter().map(|o| o.key.clone()).collect();
                if *other {
                    v.push("other".into());
                }
                v
            }
            QuestionKind::Rating { min, max } => (*min..=*max).map(|x| x.to_string()).collect(),
            QuestionKind::Matrix { items, scale } => items
                .iter()
                .flat_map(|i| scale.iter().map(move |o| format!("{i}.{}", o.key)))
                .collect(),
            _ => Vec::new(),
        }
    }

    fn group(mut self, kind: &QuestionKind, area: Option<i32>, shown: bool) -> Group {
        if !shown {
            return Group {
                area,
                shown,
                n: None,
                counts: Vec::new(),
                mean: None,
                ranks: Vec::new(),
            };
        }
        // A Quartier question's categories are the areas themselves: their sizes are the
        // response counts per area, which `Results::by_area` gives after the disclosure rule.
        if matches!(kind, QuestionKind::Quartier) {
            self.counts.clear();
        }
        let mut keys = Self::categories(kind);
        // Categories without a fixed list (areas of a Quartier question) in key order.
        let extra: Vec<String> = self
            .counts
            .keys()
            .filter(|k| !keys.contains(k))
            .cloned()
            .collect();
        keys.extend(extra);
        let share = |count: u64, base: u64| {
            if base == 0 {
                0.0
            } else {
                count as f64 / base as f64
            }
        };
        let counts = keys
            .into_iter()
            .map(|key| {
                let count = self.counts.get(&key).copied().unwrap_or(0);
                let base = match key.split_once('.') {
                    Some((item, _)) => self.bases.get(item).copied().unwrap_or(0),
                    None => self.n,
                };
                Count {
                    share: share(count, base),
                    count,
                    key,
                }
            })
            .collect();
        let numeric = matches!(
            kind,
            QuestionKind::Rating { .. } | QuestionKind::Number { .. }
        );
        Group {
            area,
            shown,
            n: Some(self.n),
            counts,
            mean: (numeric && self.n > 0).then(|| self.sum / self.n as f64),
            ranks: self
                .ranks
                .into_iter()
                .map(|(k, (sum, n))| (k, sum / n as f64))
                .collect(),
        }
    }
}

/// The results of a survey for these respondents, broken down by `areas` (in that order; a
/// respondent in an area not listed counts only in the total and "without area"), with every
/// group of fewer than `min` answers suppressed, per question, and the one the others would
/// give away (see [`disclosed`]).
pub fn results(survey: &Survey, respondents: &[Respondent], areas: &[i32], min: u64) -> Results {
    let slot = |area: Option<i32>| -> usize {
        area.and_then(|a| areas.iter().position(|x| *x == a))
            .unwrap_or(areas.len())
    };
    let groups = areas.len() + 1;
    let mut per_area = vec![0u64; groups];
    for r in respondents {
        per_area[slot(r.area)] += 1;
    }
    let total = respondents.len() as u64;
    let shown_total = total == 0 || total >= min;
    let area_shown = disclosed(&per_area, min);
    let keys: Vec<Option<i32>> = areas.iter().map(|a| Some(*a)).chain([None]).collect();
    // "Without area" is listed only when somebody is in it.
    let listed = |i: usize, count: u64| i < areas.len() || count > 0;
    let by_area = keys
        .iter()
        .enumerate()
        .filter(|(i, _)| listed(*i, per_area[*i]))
        .map(|(i, k)| (*k, (area_shown[i] && shown_total).then_some(per_area[i])))
        .collect();

    let questions = survey
        .questions()
        .map(|q| {
            let mut all = Tally::default();
            let mut parts: Vec<Tally> = (0..groups).map(|_| Tally::default()).collect();
            for r in respondents {
                if let Some(a) = r.answers.get(&q.key) {
                    all.add(&q.kind, a);
                    parts[slot(r.area)].add(&q.kind, a);
                }
            }
            let ns: Vec<u64> = parts.iter().map(|t| t.n).collect();
            let shown = disclosed(&ns, min);
            let total_shown = all.n == 0 || all.n >= min;
            QuestionResult {
                question: q.key.clone(),
                total: all.group(&q.kind, None, total_shown),
                areas: parts
                    .into_iter()
                    .enumerate()
                    .filter(|(i, t)| listed(*i, t.n))
                    .map(|(i, t)| t.group(&q.kind, keys[i], shown[i] && total_shown))
                    .collect(),
            }
        })
        .collect();
    Results {
        responses: shown_total.then_some(total),
        by_area,
        questions,
    }
}

/// The share of respondents per area whose answer to `question` is (or includes) one of
/// `options`: `(area, numerator, denominator)` for the areas whose group may be shown (the
/// same rule as [`results`]); suppressed areas are left out. For the indicator module's map.
pub fn share_by_area(
    survey: &Survey,
    respondents: &[Respondent],
    areas: &[i32],
    min: u64,
    question: &str,
    options: &[String],
) -> Vec<(i32, u64, u64)> {
    let mut den = vec![0u64; areas.len() + 1];
    let mut num = vec![0u64; areas.len() + 1];
    let known = survey.questions().any(|q| q.key == question);
    for r in respondents.iter().filter(|_| known) {
        let Some(answer) = r.answers.get(question) else {
            continue;
        };
        let slot = r
            .area
            .and_then(|a| areas.iter().position(|x| *x == a))
            .unwrap_or(areas.len());
        den[slot] += 1;
        let hit = match answer {
            Answer::Choice(c) => options.contains(c),
            Answer::Choices { selected, .. } => selected.iter().any(|s| options.contains(s)),
            _ => false,
        };
        num[slot] += u64::from(hit);
    }
    let total: u64 = den.iter().sum();
    if total < min {
        return Vec::new();
    }
    let shown = disclosed(&den, min);
    areas
        .iter()
        .enumerate()
        .filter(|(i, _)| shown[*i] && den[*i] > 0)
        .map(|(i, a)| (*a, num[i], den[i]))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn survey() -> Survey {
        serde_json::from_value(json!({"sections": [{"key": "a", "questions": [
            {"key": "sicher", "kind": {"type": "single_choice", "options": [
                {"key": "ja", "code": 1}, {"key": "nein", "code": 2}]}},
            {"key": "note", "kind": {"type": "rating", "min": 1, "max": 3}},
            {"key": "orte", "kind": {"type": "matrix", "items": ["park"], "scale": [
                {"key": "gern", "code": 1}, {"key": "ungern", "code": 2}]}}
        ]}]}))
        .expect("survey")
    }

    fn answers(sicher: &str, note: f64) -> Answers {
        serde_json::from_value(json!({
            "sicher": {"type": "choice", "value": sicher},
            "note": {"type": "number", "value": note},
        }))
        .expect("answers")
    }

    #[test]
    fn counts_shares_and_means_per_area() {
        let s = survey();
        let a: Vec<Answers> = (0..10)
            .map(|i| answers(if i < 7 { "ja" } else { "nein" }, f64::from(i % 3 + 1)))
            .collect();
        let resp: Vec<Respondent> = a
            .iter()
            .enumerate()
            .map(|(i, a)| Respondent {
                area: Some(if i < 5 { 1 } else { 2 }),
                answers: a,
            })
            .collect();
        let r = results(&s, &resp, &[1, 2, 3], 5);
        assert_eq!(r.responses, Some(10));
        assert_eq!(
            r.by_area,
            vec![(Some(1), Some(5)), (Some(2), Some(5)), (Some(3), Some(0))]
        );
        let sicher = &r.questions[0];
        assert_eq!(sicher.total.n, Some(10));
        assert_eq!(sicher.total.counts[0].count, 7);
        assert!((sicher.total.counts[0].share - 0.7).abs() < 1e-9);
        assert_eq!(sicher.areas[1].counts[1].count, 3, "area 2: 3 × nein");
        let note = &r.questions[1];
        assert_eq!(
            note.total
                .counts
                .iter()
                .map(|c| c.key.as_str())
                .collect::<Vec<_>>(),
            vec!["1", "2", "3"]
        );
        assert!(note.total.mean.is_some_and(|m| (m - 1.9).abs() < 1e-9));
        let orte = &r.questions[2];
        assert_eq!(orte.total.n, Some(0));
        assert!(orte.total.shown, "nobody answered: nothing to hide");
    }

    #[test]
    fn small_groups_are_suppressed_with_the_one_they_give_away() {
        let s = survey();
        let a: Vec<Answers> = (0..13).map(|_| answers("ja", 2.0)).collect();
        // Area 1: 8, area 2: 3 (too small), area 3: 2 (too small) → both hidden, area 1 shown.
        let resp: Vec<Respondent> = a
            .iter()
            .enumerate()
            .map(|(i, a)| Respondent {
                area: Some(match i {
                    0..=7 => 1,
                    8..=10 => 2,
                    _ => 3,
                }),
                answers: a,
            })
            .collect();
        let r = results(&s, &resp, &[1, 2, 3], 5);
        let g = &r.questions[0].areas;
        assert!(g[0].shown && !g[1].shown && !g[2].shown);
        assert_eq!(g[1].n, None);
        assert!(g[1].counts.is_empty() && g[1].mean.is_none());

        // Area 1: 8, area 2: 6, area 3: 2 → area 3 hidden, and area 2 with it (else 16 − 8 − 6).
        let resp: Vec<Respondent> = a
            .iter()
            .chain(a.iter().take(3))
            .enumerate()
            .map(|(i, a)| Respondent {
                area: Some(match i {
                    0..=7 => 1,
                    8..=13 => 2,
                    _ => 3,
                }),
                answers: a,
            })
            .collect();
        let r = results(&s, &resp, &[1, 2, 3], 5);
        let g = &r.questions[0].areas;
        assert_eq!(
            g.iter().map(|g| g.shown).collect::<Vec<_>>(),
            vec![true, false, false]
        );
        assert_eq!(r.by_area[1].1, None);

        // Fewer than 5 in total: nothing at all.
        let resp: Vec<Respondent> = a
            .iter()
            .take(4)
            .map(|a| Respondent {
                area: None,
                answers: a,
            })
            .collect();
        let r = results(&s, &resp, &[], 5);
        assert_eq!(r.responses, None);
        assert!(!r.questions[0].total.shown);
        assert!(r.questions[0].areas.iter().all(|g| !g.shown));
    }

    #[test]
    fn shares_per_area_leave_suppressed_areas_out() {
        let s = survey();
        let a: Vec<Answers> = (0..14)
            .map(|i| answers(if i % 2 == 0 { "nein" } else { "ja" }, 1.0))
            .collect();
        let resp: Vec<Respondent> = a
            .iter()
            .enumerate()
            .map(|(i, a)| Respondent {
                area: Some(if i < 6 {
                    1
                } else if i < 12 {
                    2
                } else {
                    3
                }),
                answers: a,
            })
            .collect();
        // Area 3 has 2 answers: hidden, and with it the next smallest (area 1 or 2, 6 each).
        let shares = share_by_area(&s, &resp, &[1, 2, 3], 5, "sicher", &["nein".into()]);
        assert_eq!(shares.len(), 1, "{shares:?}");
        assert_eq!(shares[0].2, 6);
        assert_eq!(shares[0].1, 3);
        let shares = share_by_area(&s, &resp[..12], &[1, 2, 3], 5, "sicher", &["nein".into()]);
        assert_eq!(shares, vec![(1, 3, 6), (2, 3, 6)]);
    }
}
