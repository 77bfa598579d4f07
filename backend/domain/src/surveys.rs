//! Resident surveys: the structure of a survey (sections, questions of ten kinds, conditions),
//! the check of one submitted response against it, and the disclosure rule for results (small
//! groups suppressed, including the one that the others would give away).
//!
//! The same code decides on the server and in the browser which questions are shown, so a
//! condition cannot mean one thing on the phone and another when the answers arrive. Texts
//! (question wording, option labels, translations) live beside the structure, keyed by the
//! stable keys used here; storage and transport are the server's.

mod answers;
pub mod builder;
pub mod codebook;
pub mod form;
mod iso_date;
mod reading;
mod refusals;
pub mod results;
mod structure;
pub mod texts;
pub use answers::*;
pub use refusals::*;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, HashSet};

/// Longest free-text answer, in characters.
pub const FREE_TEXT_MAX: usize = 5_000;
/// Longest "other" text of a multiple-choice question.
pub const OTHER_TEXT_MAX: usize = 500;
/// Default smallest group of answers that may be shown (per area, per cell).
pub const DEFAULT_MIN_GROUP: u64 = 5;

/// A survey's questions in sections (one section is one page of the no-JS form).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Survey {
    pub sections: Vec<Section>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Section {
    pub key: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub show_if: Option<Condition>,
    pub questions: Vec<Question>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Question {
    pub key: String,
    #[serde(default)]
    pub required: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub show_if: Option<Condition>,
    pub kind: QuestionKind,
}

/// An answer option with its stable key (forms, conditions) and its number in the codebook.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Choice {
    pub key: String,
    pub code: i32,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
// Read through `reading` (defaults and checks of the fields are there), written as derived.
#[serde(tag = "type", rename_all = "snake_case", try_from = "reading::RawKind")]
pub enum QuestionKind {
    SingleChoice {
        options: Vec<Choice>,
    },
    MultipleChoice {
        options: Vec<Choice>,
        /// Offers an "other" field with free text.
        other: bool,
        /// At most this many options (none: any number).
        max: Option<usize>,
    },
    /// A scale from `min` to `max`; the ends are labelled in the texts.
    Rating {
        min: i32,
        max: i32,
    },
    /// Several items answered on one scale.
    Matrix {
        items: Vec<String>,
        scale: Vec<Choice>,
    },
    Number {
        min: Option<f64>,
        max: Option<f64>,
        integer: bool,
    },
    FreeText {
        max_chars: usize,
    },
    Date {
        min: Option<NaiveDate>,
        max: Option<NaiveDate>,
    },
    /// A point picked on the map (WGS84); the server checks it lies in the survey's areas.
    MapPoint,
    /// The options in the order of preference; not all need to be ranked.
    Ranking {
        options: Vec<Choice>,
    },
    /// The respondent's Quartier (an area id); the server checks it is a target area.
    Quartier,
}

/// When a question or section is shown. Conditions refer only to questions before them, so
/// they can be evaluated in order and cannot loop.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(
    tag = "op",
    rename_all = "snake_case",
    try_from = "reading::RawCondition"
)]
pub enum Condition {
    /// The question has an answer.
    Answered {
        question: String,
    },
    /// The answer is, or (multiple choice) contains, the option.
    Is {
        question: String,
        option: String,
    },
    /// The answer is, or contains, one of the options.
    AnyOf {
        question: String,
        options: Vec<String>,
    },
    /// A number or rating of at least `value`.
    AtLeast {
        question: String,
        value: f64,
    },
    /// A number or rating of at most `value`.
    AtMost {
        question: String,
        value: f64,
    },
    All {
        all: Vec<Condition>,
    },
    Any {
        any: Vec<Condition>,
    },
    Not {
        not: Box<Condition>,
    },
}

/// One answer, as checked against its question.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", content = "value", rename_all = "snake_case")]
pub enum Answer {
    Choice(String),
    Choices {
        selected: Vec<String>,
        #[serde(default)]
        other: Option<String>,
    },
    Number(f64),
    Text(String),
    Date(NaiveDate),
    Point {
        lon: f64,
        lat: f64,
    },
    Ranking(Vec<String>),
    /// Item key → scale option key.
    Matrix(BTreeMap<String, String>),
    Area(i64),
}

/// A response as the respondent gave it: question key → answer.
pub type Answers = BTreeMap<String, Answer>;

/// Whether a survey takes answers at `now`: its status, then its dates.
pub fn accepting(
    status: &str,
    opens: Option<chrono::DateTime<chrono::Utc>>,
    closes: Option<chrono::DateTime<chrono::Utc>>,
    now: chrono::DateTime<chrono::Utc>,
) -> Result<(), Refusal> {
    match status {
        "open" if opens.is_some_and(|o| now < o) => Err(Refusal::NotOpen),
        "open" if closes.is_some_and(|c| now >= c) => Err(Refusal::Closed),
        "open" => Ok(()),
        "closed" => Err(Refusal::Closed),
        _ => Err(Refusal::NotOpen),
    }
}

fn good_key(k: &str) -> bool {
    !k.is_empty()
        && k.len() <= 64
        && k.bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_' || b == b'-')
}

impl Condition {
    /// The questions this condition reads.
    fn questions(&self, out: &mut Vec<String>) {
        match self {
            Self::Answered { question }
            | Self::Is { question, .. }
            | Self::AnyOf { question, .. }
            | Self::AtLeast { question, .. }
            | Self::AtMost { question, .. } => out.push(question.clone()),
            Self::All { all: cs } | Self::Any { any: cs } => {
                for c in cs {
                    c.questions(out);
                }
            }
            Self::Not { not } => not.questions(out),
        }
    }

    /// The options this condition names, with their question.
    fn options(&self, out: &mut Vec<(String, String)>) {
        match self {
            Self::Is { question, option } => out.push((question.clone(), option.clone())),
            Self::AnyOf { question, options } => {
                out.extend(options.iter().map(|o| (question.clone(), o.clone())));
            }
            Self::Answered { .. } | Self::AtLeast { .. } | Self::AtMost { .. } => {}
            Self::All { all: cs } | Self::Any { any: cs } => {
                for c in cs {
                    c.options(out);
                }
            }
            Self::Not { not } => not.options(out),
        }
    }

    /// Whether the condition holds for the answers given so far. Answers to hidden questions
    /// must already be removed (see [`Survey::visible_answers`]).
    pub fn holds(&self, answers: &Answers) -> bool {
        let number = |q: &str| match answers.get(q) {
            Some(Answer::Number(n)) => Some(*n),
            _ => None,
        };
        match self {
            Self::Answered { question } => answers.contains_key(question),
            Self::Is { question, option } => has_option(answers.get(question), option),
            Self::AnyOf { question, options } => {
                options.iter().any(|o| has_option(answers.get(question), o))
            }
            Self::AtLeast { question, value } => number(question).is_some_and(|n| n >= *value),
            Self::AtMost { question, value } => number(question).is_some_and(|n| n <= *value),
            Self::All { all } => all.iter().all(|c| c.holds(answers)),
            Self::Any { any } => any.iter().any(|c| c.holds(answers)),
            Self::Not { not } => !not.holds(answers),
        }
    }
}

fn has_option(answer: Option<&Answer>, option: &str) -> bool {
    match answer {
        Some(Answer::Choice(c)) => c == option,
        Some(Answer::Choices { selected, .. }) => selected.iter().any(|s| s == option),
        Some(Answer::Ranking(r)) => r.first().is_some_and(|s| s == option),
        _ => false,
    }
}

/// Which groups of a breakdown (e.g. answers per area) may be shown: those with at least
/// `min` answers. When the hidden groups could be worked out from the shown ones and a shown
/// total (exactly one hidden group with answers), the next smallest shown group is hidden too.
/// Empty groups (0 answers) give nothing away and stay shown.
pub fn disclosed(counts: &[u64], min: u64) -> Vec<bool> {
    let mut shown: Vec<bool> = counts.iter().map(|c| *c == 0 || *c >= min).collect();
    let hidden_with_answers = counts
        .iter()
        .zip(&shown)
        .filter(|(c, s)| **c > 0 && !**s)
        .count();
    if hidden_with_answers == 1 {
        let next = counts
            .iter()
            .enumerate()
            .filter(|(i, c)| shown[*i] && **c > 0)
            .min_by_key(|(i, c)| (**c, *i))
            .map(|(i, _)| i);
        if let Some(i) = next {
            shown[i] = false;
        }
    }
    shown
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn survey() -> Survey {
        serde_json::from_value(json!({"sections": [
            {"key": "wohnen", "questions": [
                {"key": "sicher", "required": true, "kind": {"type": "single_choice", "options": [
                    {"key": "ja", "code": 1}, {"key": "eher_nicht", "code": 2}, {"key": "nein", "code": 3}]}},
                {"key": "warum", "show_if": {"op": "any_of", "question": "sicher", "options": ["eher_nicht", "nein"]},
                 "required": true, "kind": {"type": "multiple_choice", "other": true, "max": 3, "options": [
                    {"key": "licht", "code": 1}, {"key": "menschen", "code": 2}, {"key": "verkehr", "code": 3}]}},
                {"key": "alter", "kind": {"type": "number", "min": 0, "max": 120, "integer": true}},
                {"key": "note", "kind": {"type": "rating", "min": 1, "max": 5}}
            ]},
            {"key": "jugend", "show_if": {"op": "at_most", "question": "alter", "value": 25}, "questions": [
                {"key": "treff", "required": true, "kind": {"type": "free_text", "max_chars": 200}},
                {"key": "orte", "kind": {"type": "matrix", "items": ["park", "schule"],
                  "scale": [{"key": "gern", "code": 1}, {"key": "ungern", "code": 2}]}}
            ]},
            {"key": "ort", "questions": [
                {"key": "punkt", "kind": {"type": "map_point"}},
                {"key": "wohin", "kind": {"type": "ranking", "options": [
                    {"key": "a", "code": 1}, {"key": "b", "code": 2}, {"key": "c", "code": 3}]}},
                {"key": "quartier", "kind": {"type": "quartier"}},
                {"key": "seit", "kind": {"type": "date", "min": "1950-01-01", "max": "2026-12-31"}}
            ]}
        ]}))
        .expect("survey")
    }

    fn answers(v: serde_json::Value) -> Answers {
        serde_json::from_value(v).expect("answers")
    }

    fn codes(r: Result<Answers, Vec<(String, AnswerError)>>) -> Vec<(String, &'static str)> {
        r.err()
            .unwrap_or_default()
            .into_iter()
            .map(|(k, e)| (k, e.code()))
            .collect()
    }

    #[test]
    fn the_structure_is_checked() {
        assert_eq!(survey().check(), Ok(()));
        let mut s = survey();
        s.sections[0].questions[0].show_if = Some(Condition::Answered {
            question: "alter".into(),
        });
        assert_eq!(s.check().map_err(|e| e.code()), Err("CONDITION_FORWARD"));
        let mut s = survey();
        s.sections[1].show_if = Some(Condition::Answered {
            question: "treff".into(),
        });
        assert_eq!(
            s.check().map_err(|e| e.code()),
            Err("CONDITION_FORWARD"),
            "a section cannot depend on itself"
        );
        let mut s = survey();
        s.sections[2].questions[1].key = "sicher".into();
        assert_eq!(s.check().map_err(|e| e.code()), Err("DUPLICATE_KEY"));
        let mut s = survey();
        if let QuestionKind::SingleChoice { options } = &mut s.sections[0].questions[0].kind {
            options[1].code = 1;
        }
        assert_eq!(s.check().map_err(|e| e.code()), Err("DUPLICATE_CODE"));
        let mut s = survey();
        s.sections[0].questions[3].kind = QuestionKind::Rating { min: 5, max: 1 };
        assert_eq!(s.check().map_err(|e| e.code()), Err("BAD_RANGE"));
        let mut s = survey();
        s.sections[0].questions[0].key = "Sicher!".into();
        assert_eq!(s.check().map_err(|e| e.code()), Err("BAD_KEY"));
        assert_eq!(Survey { sections: vec![] }.check(), Err(SurveyError::Empty));
    }

    #[test]
    fn conditions_show_and_hide() {
        let s = survey();
        let a = answers(json!({"sicher": {"type": "choice", "value": "ja"}}));
        assert!(!s.is_shown("warum", &a));
        let a = answers(json!({"sicher": {"type": "choice", "value": "nein"}}));
        assert!(s.is_shown("warum", &a));
        // A section depending on a number.
        let a = answers(json!({"alter": {"type": "number", "value": 17}}));
        assert!(s.is_shown("treff", &a));
        let a = answers(json!({"alter": {"type": "number", "value": 40}}));
        assert!(!s.is_shown("treff", &a));
        assert!(
            !s.is_shown("treff", &Answers::new()),
            "no age, no youth section"
        );
        // Nested conditions.
        let c: Condition = serde_json::from_value(json!({"op": "all", "all": [
            {"op": "answered", "question": "alter"},
            {"op": "not", "not": {"op": "is", "question": "sicher", "option": "ja"}}]}))
        .expect("condition");
        assert!(c.holds(&answers(json!({"alter": {"type": "number", "value": 3}, "sicher": {"type": "choice", "value": "nein"}}))));
        assert!(!c.holds(&answers(json!({"alter": {"type": "number", "value": 3}, "sicher": {"type": "choice", "value": "ja"}}))));
    }

    #[test]
    fn a_complete_response_is_accepted_and_hidden_answers_are_dropped() {
        let s = survey();
        let given = answers(json!({
            "sicher": {"type": "choice", "value": "ja"},
            // Answered before "sicher" was changed to "ja": now hidden, dropped.
            "warum": {"type": "choices", "value": {"selected": ["licht"]}},
            "alter": {"type": "number", "value": 30},
            "treff": {"type": "text", "value": "hidden as well"},
            "punkt": {"type": "point", "value": {"lon": 6.96, "lat": 50.94}},
            "wohin": {"type": "ranking", "value": ["c", "a"]},
            "quartier": {"type": "area", "value": 12},
            "seit": {"type": "date", "value": "2001-05-01"}
        }));
        let kept = s.check_response(&given).expect("valid");
        assert_eq!(
            kept.keys().map(String::as_str).collect::<Vec<_>>(),
            ["alter", "punkt", "quartier", "seit", "sicher", "wohin"]
        );
    }

    #[test]
    fn bad_answers_get_precise_errors() {
        let s = survey();
        // Required questions, including one shown by a condition.
        assert_eq!(
            codes(s.check_response(&Answers::new())),
            [("sicher".into(), "ANSWER_REQUIRED")]
        );
        let a = answers(
            json!({"sicher": {"type": "choice", "value": "nein"}, "alter": {"type": "number", "value": 15}}),
        );
        assert_eq!(
            codes(s.check_response(&a)),
            [
                ("warum".into(), "ANSWER_REQUIRED"),
                ("treff".into(), "ANSWER_REQUIRED")
            ]
        );
        // Forged: an option or question that does not exist, the wrong shape.
        let a = answers(
            json!({"sicher": {"type": "choice", "value": "vielleicht"}, "gibts": {"type": "text", "value": "x"}}),
        );
        assert_eq!(
            codes(s.check_response(&a)),
            [
                ("sicher".into(), "UNKNOWN_OPTION"),
                ("gibts".into(), "UNKNOWN_QUESTION")
            ]
        );
        let a = answers(json!({"sicher": {"type": "number", "value": 1}}));
        assert_eq!(
            codes(s.check_response(&a)),
            [("sicher".into(), "WRONG_TYPE")]
        );
        // A forged option cannot switch a condition on: "warum" stays hidden.
        let a = answers(
            json!({"sicher": {"type": "choice", "value": "nein!"}, "warum": {"type": "choices", "value": {"selected": ["licht"]}}}),
        );
        assert_eq!(
            codes(s.check_response(&a)),
            [("sicher".into(), "UNKNOWN_OPTION")]
        );
        let base = || {
            answers(
                json!({"sicher": {"type": "choice", "value": "nein"}, "warum": {"type": "choices", "value": {"selected": ["licht"]}}}),
            )
        };
        for (key, value, code) in [
            (
                "alter",
                json!({"type": "number", "value": 121}),
                "OUT_OF_RANGE",
            ),
            (
                "alter",
                json!({"type": "number", "value": 12.5}),
                "NOT_WHOLE",
            ),
            (
                "note",
                json!({"type": "number", "value": 0}),
                "OUT_OF_RANGE",
            ),
            ("note", json!({"type": "number", "value": 2.5}), "NOT_WHOLE"),
            (
                "punkt",
                json!({"type": "point", "value": {"lon": 200.0, "lat": 50.0}}),
                "OUT_OF_RANGE",
            ),
            (
                "wohin",
                json!({"type": "ranking", "value": ["a", "a"]}),
                "DUPLICATE_OPTION",
            ),
            (
                "wohin",
                json!({"type": "ranking", "value": ["x"]}),
                "UNKNOWN_OPTION",
            ),
            (
                "seit",
                json!({"type": "date", "value": "1900-01-01"}),
                "OUT_OF_RANGE",
            ),
            (
                "quartier",
                json!({"type": "area", "value": -1}),
                "OUT_OF_RANGE",
            ),
            (
                "warum",
                json!({"type": "choices", "value": {"selected": ["licht", "menschen", "verkehr"], "other": "Baustelle"}}),
                "TOO_MANY_OPTIONS",
            ),
            (
                "warum",
                json!({"type": "choices", "value": {"selected": ["licht", "licht"]}}),
                "DUPLICATE_OPTION",
            ),
            (
                "warum",
                json!({"type": "choices", "value": {"selected": [], "other": "x".repeat(OTHER_TEXT_MAX + 1)}}),
                "TOO_LONG",
            ),
        ] {
            let mut a = base();
            a.insert(key.into(), serde_json::from_value(value).expect("answer"));
            assert_eq!(codes(s.check_response(&a)), [(key.into(), code)], "{key}");
        }
        // One megabyte of free text.
        let mut a = base();
        a.insert("alter".into(), Answer::Number(16.0));
        a.insert("treff".into(), Answer::Text("x".repeat(1 << 20)));
        assert_eq!(codes(s.check_response(&a)), [("treff".into(), "TOO_LONG")]);
        // Empty answers count as none: a blank required text is missing, not stored.
        a.insert("treff".into(), Answer::Text("   ".into()));
        assert_eq!(
            codes(s.check_response(&a)),
            [("treff".into(), "ANSWER_REQUIRED")]
        );
        // "Other" alone answers a multiple-choice question; where there is no "other", text is forged.
        let mut a = base();
        a.insert(
            "warum".into(),
            Answer::Choices {
                selected: vec![],
                other: Some(" Baustelle ".into()),
            },
        );
        assert_eq!(
            s.check_response(&a).expect("valid").get("warum"),
            Some(&Answer::Choices {
                selected: vec![],
                other: Some("Baustelle".into())
            })
        );
        let kind = QuestionKind::MultipleChoice {
            options: vec![
                Choice {
                    key: "a".into(),
                    code: 1,
                },
                Choice {
                    key: "b".into(),
                    code: 2,
                },
            ],
            other: false,
            max: None,
        };
        assert_eq!(
            check_answer(
                &kind,
                &Answer::Choices {
                    selected: vec![],
                    other: Some("x".into())
                }
            ),
            Err(AnswerError::WrongType)
        );
        let matrix = &s.sections[1].questions[1].kind;
        let m =
            |item: &str, v: &str| Answer::Matrix(BTreeMap::from([(item.to_owned(), v.to_owned())]));
        assert!(check_answer(matrix, &m("park", "gern")).is_ok());
        assert_eq!(
            check_answer(matrix, &m("kirche", "gern")),
            Err(AnswerError::UnknownOption("kirche".into()))
        );
        assert_eq!(
            check_answer(matrix, &m("park", "egal")),
            Err(AnswerError::UnknownOption("egal".into()))
        );
    }

    #[test]
    fn small_groups_are_suppressed_with_the_one_that_would_give_them_away() {
        // Nothing small: all shown.
        assert_eq!(disclosed(&[5, 9, 12], 5), [true, true, true]);
        // One small group: with the total, it could be worked out, so the next smallest goes too.
        assert_eq!(disclosed(&[3, 9, 12], 5), [false, false, true]);
        // Two small groups hide each other.
        assert_eq!(disclosed(&[3, 2, 12], 5), [false, false, true]);
        // Empty groups reveal nothing and stay shown; they do not count as a second hidden group.
        assert_eq!(disclosed(&[0, 4, 7, 20], 5), [true, false, false, true]);
        // A lone small group with nothing else to hide stays hidden alone.
        assert_eq!(disclosed(&[4], 5), [false]);
        assert_eq!(disclosed(&[], 5), Vec::<bool>::new());
    }
}
