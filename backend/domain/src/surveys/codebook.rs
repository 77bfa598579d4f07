//! The coded export of responses: one row per response, one or more columns per question, and
//! the codebook that explains them, in the shape SPSS, R and Excel users expect (numeric codes,
//! one 0/1 column per option of a multiple choice, distinct codes for "not asked" and "no
//! answer").

use super::{Answer, Answers, QuestionKind, Survey};
use std::collections::HashSet;

/// The code of a question the respondent was not shown (filtered out by a condition).
pub const NOT_ASKED: i32 = -2;
/// The code of a shown question left without an answer.
pub const NO_ANSWER: i32 = -1;

/// What a column holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Measure {
    /// A code with value labels (nominal or ordinal).
    Code,
    /// 1 chosen, 0 not chosen.
    Flag,
    /// A number (rating, number, rank, coordinate, area id).
    Number,
    /// Text; empty when not asked or not answered.
    Text,
    /// An ISO date; empty when not asked or not answered.
    Date,
}

/// One column of the export.
#[derive(Debug, Clone, PartialEq)]
pub struct Column {
    /// Column name: the question key, with the option or item key after `_` where a question
    /// has several columns.
    pub name: String,
    pub question: String,
    /// The option or item this column is about, for its label.
    pub part: Option<String>,
    pub measure: Measure,
    /// Value labels of a `Code` column: code → option key.
    pub values: Vec<(i32, String)>,
}

impl Column {
    fn new(question: &str, part: Option<&str>, measure: Measure) -> Self {
        Self {
            name: match part {
                Some(p) => format!("{question}_{p}"),
                None => question.to_owned(),
            },
            question: question.to_owned(),
            part: part.map(str::to_owned),
            measure,
            values: Vec::new(),
        }
    }
}

/// The columns of a survey's export, in question order.
pub fn columns(survey: &Survey) -> Vec<Column> {
    let mut out = Vec::new();
    for q in survey.questions() {
        let k = q.key.as_str();
        match &q.kind {
            QuestionKind::SingleChoice { options } => {
                let mut c = Column::new(k, None, Measure::Code);
                c.values = options.iter().map(|o| (o.code, o.key.clone())).collect();
                out.push(c);
            }
            QuestionKind::MultipleChoice { options, other, .. } => {
                out.extend(
                    options
                        .iter()
                        .map(|o| Column::new(k, Some(&o.key), Measure::Flag)),
                );
                if *other {
                    out.push(Column::new(k, Some("other"), Measure::Text));
                }
            }
            QuestionKind::Matrix { items, scale } => {
                for item in items {
                    let mut c = Column::new(k, Some(item), Measure::Code);
                    c.values = scale.iter().map(|o| (o.code, o.key.clone())).collect();
                    out.push(c);
                }
            }
            QuestionKind::Ranking { options } => out.extend(
                options
                    .iter()
                    .map(|o| Column::new(k, Some(&o.key), Measure::Number)),
            ),
            QuestionKind::MapPoint => {
                out.push(Column::new(k, Some("lon"), Measure::Number));
                out.push(Column::new(k, Some("lat"), Measure::Number));
            }
            QuestionKind::FreeText { .. } => out.push(Column::new(k, None, Measure::Text)),
            QuestionKind::Date { .. } => out.push(Column::new(k, None, Measure::Date)),
            QuestionKind::Rating { .. } | QuestionKind::Number { .. } | QuestionKind::Quartier => {
                out.push(Column::new(k, None, Measure::Number));
            }
        }
    }
    out
}

/// The questions shown to a respondent with these (stored, already checked) answers.
fn shown(survey: &Survey, answers: &Answers) -> HashSet<String> {
    let mut set = HashSet::new();
    for s in &survey.sections {
        if !s.show_if.as_ref().is_none_or(|c| c.holds(answers)) {
            continue;
        }
        for q in &s.questions {
            if q.show_if.as_ref().is_none_or(|c| c.holds(answers)) {
                set.insert(q.key.clone());
            }
        }
    }
    set
}

fn number(n: f64) -> String {
    // Whole numbers without ".0"; others as Rust prints them (shortest exact form, "." decimal).
    if n.fract() == 0.0 && n.abs() < 1e15 {
        format!("{}", n as i64)
    } else {
        n.to_string()
    }
}

/// The cells of one response, matching [`columns`]. Numeric and coded columns of a question
/// not asked hold [`NOT_ASKED`], of a question left open [`NO_ANSWER`]; text and date columns
/// stay empty. Unranked options of a ranking are empty.
pub fn row(survey: &Survey, columns: &[Column], answers: &Answers) -> Vec<String> {
    let asked = shown(survey, answers);
    columns
        .iter()
        .map(|c| {
            let missing = || match c.measure {
                Measure::Text | Measure::Date => String::new(),
                _ if !asked.contains(&c.question) => NOT_ASKED.to_string(),
                _ => NO_ANSWER.to_string(),
            };
            let Some(answer) = answers.get(&c.question) else {
                return missing();
            };
            let part = c.part.as_deref().unwrap_or_default();
            let code_of = |key: &str| {
                c.values
                    .iter()
                    .find(|(_, k)| k == key)
                    .map(|(code, _)| code.to_string())
            };
            match answer {
                Answer::Choice(key) => code_of(key).unwrap_or_else(missing),
                Answer::Choices { selected, other } => match c.measure {
                    Measure::Text => other.clone().unwrap_or_default(),
                    _ => u8::from(selected.iter().any(|s| s == part)).to_string(),
                },
                Answer::Matrix(m) => m
                    .get(part)
                    .and_then(|v| code_of(v))
                    .unwrap_or_else(|| NO_ANSWER.to_string()),
                Answer::Ranking(r) => r
                    .iter()
                    .position(|o| o == part)
                    .map(|i| (i + 1).to_string())
                    .unwrap_or_default(),
                Answer::Point { lon, lat } => number(if part == "lon" { *lon } else { *lat }),
                Answer::Number(n) => number(*n),
                Answer::Text(t) => t.clone(),
                Answer::Date(d) => d.format("%Y-%m-%d").to_string(),
                Answer::Area(a) => a.to_string(),
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn responses_become_coded_rows() {
        let s: Survey = serde_json::from_value(json!({"sections": [{"key": "a", "questions": [
            {"key": "sicher", "kind": {"type": "single_choice", "options": [{"key": "ja", "code": 1}, {"key": "nein", "code": 2}]}},
            {"key": "warum", "show_if": {"op": "is", "question": "sicher", "option": "nein"},
             "kind": {"type": "multiple_choice", "other": true, "options": [{"key": "licht", "code": 1}, {"key": "laerm", "code": 2}]}},
            {"key": "orte", "kind": {"type": "matrix", "items": ["park", "bahn"], "scale": [{"key": "gut", "code": 1}, {"key": "schlecht", "code": 5}]}},
            {"key": "rang", "kind": {"type": "ranking", "options": [{"key": "x", "code": 1}, {"key": "y", "code": 2}]}},
            {"key": "punkt", "kind": {"type": "map_point"}},
            {"key": "alter", "kind": {"type": "number"}},
            {"key": "text", "kind": {"type": "free_text"}},
            {"key": "seit", "kind": {"type": "date"}}
        ]}]}))
        .expect("survey");
        let cols = columns(&s);
        let names: Vec<&str> = cols.iter().map(|c| c.name.as_str()).collect();
        assert_eq!(
            names,
            [
                "sicher",
                "warum_licht",
                "warum_laerm",
                "warum_other",
                "orte_park",
                "orte_bahn",
                "rang_x",
                "rang_y",
                "punkt_lon",
                "punkt_lat",
                "alter",
                "text",
                "seit"
            ]
        );
        assert_eq!(
            cols[4].values,
            [(1, "gut".to_owned()), (5, "schlecht".to_owned())]
        );

        let answers: Answers = serde_json::from_value(json!({
            "sicher": {"type": "choice", "value": "nein"},
            "warum": {"type": "choices", "value": {"selected": ["laerm"], "other": "Baustelle; nachts"}},
            "orte": {"type": "matrix", "value": {"bahn": "schlecht"}},
            "rang": {"type": "ranking", "value": ["y"]},
            "punkt": {"type": "point", "value": {"lon": 6.95, "lat": 50.9375}},
            "alter": {"type": "number", "value": 34},
            "seit": {"type": "date", "value": "2019-04-01"}
        }))
        .expect("answers");
        assert_eq!(
            row(&s, &cols, &answers),
            [
                "2",
                "0",
                "1",
                "Baustelle; nachts",
                "-1",
                "5",
                "",
                "1",
                "6.95",
                "50.9375",
                "34",
                "",
                "2019-04-01"
            ]
        );
        // "warum" was not asked of someone who feels safe: -2, not -1.
        let answers: Answers =
            serde_json::from_value(json!({"sicher": {"type": "choice", "value": "ja"}}))
                .expect("answers");
        let r = row(&s, &cols, &answers);
        assert_eq!(&r[..5], ["1", "-2", "-2", "", "-1"]);
        assert_eq!(r[10], "-1");
    }
}
