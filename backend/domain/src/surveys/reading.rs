//! Reading survey structures from JSON without serde's buffering. A derived internally tagged
//! enum (`{"type": "rating", "min": 1, …}`) first copies every object into serde's `Content`
//! tree, because the tag may come last (PostgreSQL's `jsonb` sorts keys); that machinery is a
//! twelfth of the survey checks' wasm. Here each object is read once into a flat record of
//! every variant's fields, and the variant is built from it. The JSON is the same as the
//! derived one's (serialisation stays derived), unknown fields are ignored as before.

use super::{iso_date, Choice, Condition, QuestionKind, FREE_TEXT_MAX};
use serde::de::{self, Deserializer, Visitor};
use serde::Deserialize;
use std::fmt;

#[derive(Deserialize)]
#[serde(rename_all = "snake_case")]
enum KindTag {
    SingleChoice,
    MultipleChoice,
    Rating,
    Matrix,
    Number,
    FreeText,
    Date,
    MapPoint,
    Ranking,
    Quartier,
}

/// A question kind's fields, of all kinds (`min` and `max` mean a number, a count or a date).
#[derive(Deserialize)]
pub(super) struct RawKind {
    #[serde(rename = "type")]
    kind: KindTag,
    options: Option<Vec<Choice>>,
    other: Option<bool>,
    min: Option<Bound>,
    max: Option<Bound>,
    integer: Option<bool>,
    max_chars: Option<usize>,
    items: Option<Vec<String>>,
    scale: Option<Vec<Choice>>,
}

/// A bound as written: a whole number, a decimal, or text (a date).
enum Bound {
    Whole(i64),
    Decimal(f64),
    Text(String),
}

impl<'de> Deserialize<'de> for Bound {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl Visitor<'_> for V {
            type Value = Bound;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a number or a date")
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<Bound, E> {
                Ok(Bound::Whole(v))
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<Bound, E> {
                i64::try_from(v)
                    .map(Bound::Whole)
                    .map_err(|_| E::custom("number too large"))
            }
            fn visit_f64<E: de::Error>(self, v: f64) -> Result<Bound, E> {
                Ok(Bound::Decimal(v))
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Bound, E> {
                Ok(Bound::Text(v.to_owned()))
            }
        }
        d.deserialize_any(V)
    }
}

/// Why a question kind or condition cannot be read (serde's own wording where it has one).
pub(super) struct Unreadable(String);

impl fmt::Display for Unreadable {
    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str(&self.0)
    }
}

fn missing<T>(field: &str) -> Result<T, Unreadable> {
    Err(Unreadable(format!("missing field `{field}`")))
}

fn wrong<T>(field: &str, expected: &str) -> Result<T, Unreadable> {
    Err(Unreadable(format!("`{field}` must be {expected}")))
}

fn required<T>(v: Option<T>, field: &str) -> Result<T, Unreadable> {
    v.map_or_else(|| missing(field), Ok)
}

fn whole<T: TryFrom<i64>>(b: Option<Bound>, field: &str) -> Result<Option<T>, Unreadable> {
    match b {
        None => Ok(None),
        Some(Bound::Whole(n)) => T::try_from(n)
            .map(Some)
            .or_else(|_| wrong(field, "a whole number in range")),
        Some(_) => wrong(field, "a whole number"),
    }
}

fn number(b: Option<Bound>, field: &str) -> Result<Option<f64>, Unreadable> {
    match b {
        None => Ok(None),
        Some(Bound::Whole(n)) => Ok(Some(n as f64)),
        Some(Bound::Decimal(x)) => Ok(Some(x)),
        Some(Bound::Text(_)) => wrong(field, "a number"),
    }
}

fn date(b: Option<Bound>, field: &str) -> Result<Option<chrono::NaiveDate>, Unreadable> {
    match b {
        None => Ok(None),
        Some(Bound::Text(t)) => iso_date::parse(&t)
            .map_or_else(|| wrong(field, "a date as YYYY-MM-DD"), |d| Ok(Some(d))),
        Some(_) => wrong(field, "a date as YYYY-MM-DD"),
    }
}

impl TryFrom<RawKind> for QuestionKind {
    type Error = Unreadable;

    fn try_from(r: RawKind) -> Result<Self, Unreadable> {
        Ok(match r.kind {
            KindTag::SingleChoice => QuestionKind::SingleChoice {
                options: required(r.options, "options")?,
            },
            KindTag::MultipleChoice => QuestionKind::MultipleChoice {
                options: required(r.options, "options")?,
                other: r.other.unwrap_or_default(),
                max: whole(r.max, "max")?,
            },
            KindTag::Rating => QuestionKind::Rating {
                min: required(whole(r.min, "min")?, "min")?,
                max: required(whole(r.max, "max")?, "max")?,
            },
            KindTag::Matrix => QuestionKind::Matrix {
                items: required(r.items, "items")?,
                scale: required(r.scale, "scale")?,
            },
            KindTag::Number => QuestionKind::Number {
                min: number(r.min, "min")?,
                max: number(r.max, "max")?,
                integer: r.integer.unwrap_or_default(),
            },
            KindTag::FreeText => QuestionKind::FreeText {
                max_chars: r.max_chars.unwrap_or(FREE_TEXT_MAX),
            },
            KindTag::Date => QuestionKind::Date {
                min: date(r.min, "min")?,
                max: date(r.max, "max")?,
            },
            KindTag::MapPoint => QuestionKind::MapPoint,
            KindTag::Ranking => QuestionKind::Ranking {
                options: required(r.options, "options")?,
            },
            KindTag::Quartier => QuestionKind::Quartier,
        })
    }
}

#[derive(Deserialize)]
#[serde(rename_all = "snake_case")]
enum OpTag {
    Answered,
    Is,
    AnyOf,
    AtLeast,
    AtMost,
    All,
    Any,
    Not,
}

/// A condition's fields, of all operators.
#[derive(Deserialize)]
pub(super) struct RawCondition {
    op: OpTag,
    question: Option<String>,
    option: Option<String>,
    options: Option<Vec<String>>,
    value: Option<f64>,
    all: Option<Vec<Condition>>,
    any: Option<Vec<Condition>>,
    not: Option<Box<Condition>>,
}

impl TryFrom<RawCondition> for Condition {
    type Error = Unreadable;

    fn try_from(r: RawCondition) -> Result<Self, Unreadable> {
        let question = || required(r.question.clone(), "question");
        Ok(match r.op {
            OpTag::Answered => Condition::Answered {
                question: question()?,
            },
            OpTag::Is => Condition::Is {
                question: question()?,
                option: required(r.option, "option")?,
            },
            OpTag::AnyOf => Condition::AnyOf {
                question: question()?,
                options: required(r.options, "options")?,
            },
            OpTag::AtLeast => Condition::AtLeast {
                question: question()?,
                value: required(r.value, "value")?,
            },
            OpTag::AtMost => Condition::AtMost {
                question: question()?,
                value: required(r.value, "value")?,
            },
            OpTag::All => Condition::All {
                all: required(r.all, "all")?,
            },
            OpTag::Any => Condition::Any {
                any: required(r.any, "any")?,
            },
            OpTag::Not => Condition::Not {
                not: required(r.not, "not")?,
            },
        })
    }
}

#[cfg(test)]
mod tests {
    use super::super::*;
    use serde_json::json;

    /// Every kind and operator reads back what serialisation wrote, whatever the key order.
    #[test]
    fn reads_what_is_written() {
        let d = |s: &str| iso_date::parse(s);
        let kinds = vec![
            QuestionKind::SingleChoice {
                options: vec![Choice {
                    key: "a".into(),
                    code: 1,
                }],
            },
            QuestionKind::MultipleChoice {
                options: vec![],
                other: true,
                max: Some(2),
            },
            QuestionKind::Rating { min: -2, max: 5 },
            QuestionKind::Matrix {
                items: vec!["x".into()],
                scale: vec![],
            },
            QuestionKind::Number {
                min: Some(0.5),
                max: Some(100.0),
                integer: true,
            },
            QuestionKind::FreeText { max_chars: 40 },
            QuestionKind::Date {
                min: d("2020-01-01"),
                max: None,
            },
            QuestionKind::MapPoint,
            QuestionKind::Ranking { options: vec![] },
            QuestionKind::Quartier,
        ];
        for k in kinds {
            let v = serde_json::to_value(&k).expect("json");
            // `jsonb` gives keys sorted, the tag not first; serde_json's map is sorted too.
            let text = v.to_string();
            assert_eq!(serde_json::from_str::<QuestionKind>(&text).expect(&text), k);
        }
        let c = Condition::Not {
            not: Box::new(Condition::All {
                all: vec![
                    Condition::AtLeast {
                        question: "q".into(),
                        value: 3.0,
                    },
                    Condition::AnyOf {
                        question: "q".into(),
                        options: vec!["a".into()],
                    },
                    Condition::Is {
                        question: "r".into(),
                        option: "b".into(),
                    },
                    Condition::Answered {
                        question: "s".into(),
                    },
                    Condition::Any {
                        any: vec![Condition::AtMost {
                            question: "q".into(),
                            value: 1.5,
                        }],
                    },
                ],
            }),
        };
        let text = serde_json::to_string(&c).expect("json");
        assert_eq!(serde_json::from_str::<Condition>(&text).expect(&text), c);
    }

    #[test]
    fn defaults_and_refusals_as_before() {
        let k: QuestionKind =
            serde_json::from_value(json!({"type": "free_text"})).expect("default");
        assert_eq!(
            k,
            QuestionKind::FreeText {
                max_chars: FREE_TEXT_MAX
            }
        );
        let k: QuestionKind =
            serde_json::from_value(json!({"min": null, "type": "number", "extra": 1}))
                .expect("null, unknown");
        assert_eq!(
            k,
            QuestionKind::Number {
                min: None,
                max: None,
                integer: false
            }
        );
        for bad in [
            json!({"type": "rating", "min": 1}),
            json!({"type": "rating", "min": 1.5, "max": 5}),
            json!({"type": "date", "min": "1.1.2020"}),
            json!({"type": "number", "min": "3"}),
            json!({"type": "multiple_choice", "options": [], "max": -1}),
            json!({"type": "essay"}),
            json!({"options": []}),
        ] {
            assert!(
                serde_json::from_value::<QuestionKind>(bad.clone()).is_err(),
                "{bad}"
            );
        }
        assert!(serde_json::from_value::<Condition>(json!({"op": "is", "question": "q"})).is_err());
    }
}
