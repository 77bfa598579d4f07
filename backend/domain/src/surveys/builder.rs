//! The builder's steps on a survey: add a question (with its German texts), remove one, move
//! one. Keys are made from the question's text; every step ends with the structure check, so
//! a builder cannot store what a respondent could not answer.

use super::texts::{Translations, BASE_LANGUAGE};
use super::{Choice, Condition, Question, QuestionKind, Section, Survey, SurveyError};
use std::collections::BTreeMap;

/// A question as the builder's form describes it (German texts; options one per line).
#[derive(Debug, Clone, Default)]
pub struct NewQuestion {
    /// The section to add to (index); `None` starts a new section titled `section_title`.
    pub section: Option<usize>,
    pub section_title: Option<String>,
    /// `single_choice`, `multiple_choice`, `rating`, `matrix`, `number`, `free_text`, `date`,
    /// `map_point`, `ranking`, `quartier`.
    pub kind: String,
    pub text: String,
    pub help: Option<String>,
    pub required: bool,
    /// Options, or the scale of a matrix.
    pub options: Vec<String>,
    /// Matrix rows.
    pub items: Vec<String>,
    pub min: Option<f64>,
    pub max: Option<f64>,
    /// Labels of a rating's ends.
    pub low: Option<String>,
    pub high: Option<String>,
    /// Multiple choice: offer "other" with a text field.
    pub other: bool,
    /// Shown only when this earlier question has this option.
    pub condition: Option<(String, String)>,
}

/// What is wrong with a builder step.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum BuildError {
    #[error("{0}")]
    Survey(#[from] SurveyError),
    #[error("unknown question type {0:?}")]
    UnknownKind(String),
    #[error("the question text is missing")]
    TextMissing,
    #[error("no question {0:?}")]
    NoSuchQuestion(String),
    #[error("question {0:?} is used by the condition of {1:?}")]
    Referenced(String, String),
}

impl BuildError {
    pub fn code(&self) -> &'static str {
        match self {
            Self::Survey(e) => e.code(),
            Self::UnknownKind(_) => "UNKNOWN_KIND",
            Self::TextMissing => "TEXT_MISSING",
            Self::NoSuchQuestion(_) => "NO_SUCH_QUESTION",
            Self::Referenced(..) => "QUESTION_REFERENCED",
        }
    }
}

/// A key from a text: lower case ASCII, umlauts spelt out, other characters as `-`, at most
/// 40 characters; `fallback` when nothing is left.
pub fn slug(text: &str, fallback: &str) -> String {
    let mut out = String::new();
    for c in text.trim().to_lowercase().chars() {
        let piece = match c {
            'ä' => "ae".to_owned(),
            'ö' => "oe".to_owned(),
            'ü' => "ue".to_owned(),
            'ß' => "ss".to_owned(),
            c if c.is_ascii_alphanumeric() => c.to_string(),
            _ => "-".to_owned(),
        };
        out.push_str(&piece);
    }
    let mut key = String::new();
    for part in out.split('-').filter(|p| !p.is_empty()) {
        if key.len() + part.len() + 1 > 40 {
            break;
        }
        if !key.is_empty() {
            key.push('-');
        }
        key.push_str(part);
    }
    if key.is_empty() {
        fallback.to_owned()
    } else {
        key
    }
}

fn unique(base: &str, taken: impl Fn(&str) -> bool) -> String {
    if !taken(base) {
        return base.to_owned();
    }
    (2..)
        .map(|i| format!("{base}-{i}"))
        .find(|k| !taken(k))
        .unwrap_or_else(|| base.to_owned())
}

fn choices(labels: &[String], prefix: &str) -> Vec<(Choice, String)> {
    let mut out: Vec<(Choice, String)> = Vec::new();
    for (i, label) in labels
        .iter()
        .map(|l| l.trim())
        .filter(|l| !l.is_empty())
        .enumerate()
    {
        let base = slug(label, &format!("{prefix}{}", i + 1));
        let key = unique(&base, |k| out.iter().any(|(c, _)| c.key == k));
        let code = i32::try_from(i + 1).unwrap_or(i32::MAX);
        out.push((Choice { key, code }, label.to_owned()));
    }
    out
}

fn german(t: &mut Translations) -> &mut BTreeMap<String, String> {
    t.0.entry(BASE_LANGUAGE.to_owned()).or_default()
}

/// Adds a question at the end of a section (or of a new one) and its German texts; returns its
/// key.
///
/// # Errors
/// The first problem: an unknown type, no text, or what [`Survey::check`] finds (too few
/// options, a range upside down, a condition on a later question).
pub fn add_question(
    survey: &mut Survey,
    texts: &mut Translations,
    q: NewQuestion,
) -> Result<String, BuildError> {
    let text = q.text.trim();
    if text.is_empty() {
        return Err(BuildError::TextMissing);
    }
    let mut next = survey.clone();
    let mut words = texts.clone();
    let taken = |k: &str| next.questions().any(|x| x.key == k);
    let key = unique(&slug(text, "frage"), taken);
    let opts = choices(&q.options, "antwort-");
    let whole = |x: Option<f64>| x.map(|v| v.round() as i32);
    let kind = match q.kind.as_str() {
        "single_choice" => QuestionKind::SingleChoice {
            options: opts.iter().map(|(c, _)| c.clone()).collect(),
        },
        "multiple_choice" => QuestionKind::MultipleChoice {
            options: opts.iter().map(|(c, _)| c.clone()).collect(),
            other: q.other,
            max: q.max.map(|m| m.max(1.0) as usize),
        },
        "ranking" => QuestionKind::Ranking {
            options: opts.iter().map(|(c, _)| c.clone()).collect(),
        },
        "matrix" => QuestionKind::Matrix {
            items: choices(&q.items, "zeile-")
                .into_iter()
                .map(|(c, _)| c.key)
                .collect(),
            scale: opts.iter().map(|(c, _)| c.clone()).collect(),
        },
        "rating" => QuestionKind::Rating {
            min: whole(q.min).unwrap_or(1),
            max: whole(q.max).unwrap_or(5),
        },
        "number" => QuestionKind::Number {
            min: q.min,
            max: q.max,
            integer: q.min.is_none_or(|m| m.fract() == 0.0)
                && q.max.is_none_or(|m| m.fract() == 0.0),
        },
        "free_text" => QuestionKind::FreeText {
            max_chars: super::FREE_TEXT_MAX,
        },
        "date" => QuestionKind::Date {
            min: None,
            max: None,
        },
        "map_point" => QuestionKind::MapPoint,
        "quartier" => QuestionKind::Quartier,
        other => return Err(BuildError::UnknownKind(other.chars().take(40).collect())),
    };
    let de = german(&mut words);
    de.insert(format!("q.{key}"), text.to_owned());
    if let Some(h) = q.help.as_deref().map(str::trim).filter(|h| !h.is_empty()) {
        de.insert(format!("help.{key}"), h.to_owned());
    }
    for (c, label) in &opts {
        de.insert(format!("opt.{key}.{}", c.key), label.clone());
    }
    if let QuestionKind::Matrix { .. } = kind {
        for (c, label) in choices(&q.items, "zeile-") {
            de.insert(format!("item.{key}.{}", c.key), label);
        }
    }
    if let QuestionKind::Rating { .. } = kind {
        de.insert(
            format!("low.{key}"),
            q.low
                .clone()
                .filter(|l| !l.trim().is_empty())
                .unwrap_or_else(|| "gar nicht".into()),
        );
        de.insert(
            format!("high.{key}"),
            q.high
                .clone()
                .filter(|l| !l.trim().is_empty())
                .unwrap_or_else(|| "sehr".into()),
        );
    }
    let question = Question {
        key: key.clone(),
        required: q.required,
        show_if: q
            .condition
            .map(|(question, option)| Condition::Is { question, option }),
        kind,
    };
    match q.section.filter(|i| *i < next.sections.len()) {
        Some(i) => next.sections[i].questions.push(question),
        None => {
            let title = q
                .section_title
                .as_deref()
                .map(str::trim)
                .filter(|t| !t.is_empty())
                .unwrap_or("Teil");
            let skey = unique(&slug(title, "teil"), |k| {
                next.sections.iter().any(|s| s.key == k)
            });
            if let Some(t) = q
                .section_title
                .as_deref()
                .map(str::trim)
                .filter(|t| !t.is_empty())
            {
                german(&mut words).insert(format!("section.{skey}"), t.to_owned());
            }
            next.sections.push(Section {
                key: skey,
                show_if: None,
                questions: vec![question],
            });
        }
    }
    next.check()?;
    *survey = next;
    *texts = words;
    Ok(key)
}

/// Removes a question and its texts in every language (and its section when it was the last
/// one there). A question another one's condition reads cannot go.
///
/// # Errors
/// `NoSuchQuestion`, `Referenced`, or a structure problem (the last question of the survey).
pub fn remove_question(
    survey: &mut Survey,
    texts: &mut Translations,
    key: &str,
) -> Result<(), BuildError> {
    if !survey.questions().any(|q| q.key == key) {
        return Err(BuildError::NoSuchQuestion(key.chars().take(64).collect()));
    }
    let reads = |c: &Option<Condition>| {
        let mut refs = Vec::new();
        if let Some(c) = c {
            c.questions(&mut refs);
        }
        refs.iter().any(|r| r == key)
    };
    for s in &survey.sections {
        if reads(&s.show_if) {
            return Err(BuildError::Referenced(key.into(), s.key.clone()));
        }
        for q in &s.questions {
            if q.key != key && reads(&q.show_if) {
                return Err(BuildError::Referenced(key.into(), q.key.clone()));
            }
        }
    }
    let mut next = survey.clone();
    let mut dropped_sections = Vec::new();
    for s in &mut next.sections {
        s.questions.retain(|q| q.key != key);
        if s.questions.is_empty() {
            dropped_sections.push(s.key.clone());
        }
    }
    next.sections.retain(|s| !s.questions.is_empty());
    next.check()?;
    let prefixes = [
        format!("q.{key}"),
        format!("help.{key}"),
        format!("low.{key}"),
        format!("high.{key}"),
    ];
    let nested = [format!("opt.{key}."), format!("item.{key}.")];
    for lang in texts.0.values_mut() {
        lang.retain(|k, _| {
            !prefixes.contains(k)
                && !nested.iter().any(|p| k.starts_with(p.as_str()))
                && !dropped_sections
                    .iter()
                    .any(|s| *k == format!("section.{s}"))
        });
    }
    *survey = next;
    Ok(())
}

/// Moves a question one place up or down within its section (a condition must still only
/// read earlier questions).
///
/// # Errors
/// `NoSuchQuestion`, or `CONDITION_FORWARD` when the move would break a condition.
pub fn move_question(survey: &mut Survey, key: &str, up: bool) -> Result<(), BuildError> {
    let mut next = survey.clone();
    let found = next.sections.iter_mut().find_map(|s| {
        let i = s.questions.iter().position(|q| q.key == key)?;
        Some((s, i))
    });
    let Some((section, i)) = found else {
        return Err(BuildError::NoSuchQuestion(key.chars().take(64).collect()));
    };
    let j = if up { i.checked_sub(1) } else { Some(i + 1) };
    if let Some(j) = j.filter(|j| *j < section.questions.len()) {
        section.questions.swap(i, j);
    }
    next.check()?;
    *survey = next;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn start() -> (Survey, Translations) {
        let mut s = Survey {
            sections: Vec::new(),
        };
        let mut t = Translations::default();
        german(&mut t).insert("title".into(), "Test".into());
        add_question(
            &mut s,
            &mut t,
            NewQuestion {
                section_title: Some("Wohnen".into()),
                kind: "single_choice".into(),
                text: "Fühlen Sie sich sicher?".into(),
                options: vec!["Ja".into(), "Eher nicht".into(), "".into(), "Nein".into()],
                required: true,
                ..Default::default()
            },
        )
        .expect("first question");
        (s, t)
    }

    #[test]
    fn questions_get_keys_texts_and_checks() {
        let (mut s, mut t) = start();
        assert_eq!(s.sections[0].key, "wohnen");
        let q = &s.sections[0].questions[0];
        assert_eq!(q.key, "fuehlen-sie-sich-sicher");
        let QuestionKind::SingleChoice { options } = &q.kind else {
            panic!("single choice");
        };
        assert_eq!(
            options
                .iter()
                .map(|o| (o.key.as_str(), o.code))
                .collect::<Vec<_>>(),
            [("ja", 1), ("eher-nicht", 2), ("nein", 3)]
        );
        assert_eq!(t.check(&s), Ok(()), "the German texts are complete");
        // A conditional matrix in the same section; the same text again gets its own key.
        let key = add_question(
            &mut s,
            &mut t,
            NewQuestion {
                section: Some(0),
                kind: "matrix".into(),
                text: "Fühlen Sie sich sicher?".into(),
                options: vec!["gern".into(), "ungern".into()],
                items: vec!["im Park".into(), "am Bahnhof".into()],
                condition: Some(("fuehlen-sie-sich-sicher".into(), "nein".into())),
                ..Default::default()
            },
        )
        .expect("matrix");
        assert_eq!(key, "fuehlen-sie-sich-sicher-2");
        assert_eq!(t.check(&s), Ok(()));
        // Bad steps change nothing.
        let before = (s.clone(), t.clone());
        let bad = NewQuestion {
            section: Some(0),
            kind: "single_choice".into(),
            text: "Nur eine Antwort".into(),
            options: vec!["ja".into()],
            ..Default::default()
        };
        assert_eq!(
            add_question(&mut s, &mut t, bad).map_err(|e| e.code()),
            Err("TOO_FEW_OPTIONS")
        );
        let bad = NewQuestion {
            kind: "rating".into(),
            text: "Note".into(),
            min: Some(5.0),
            max: Some(1.0),
            ..Default::default()
        };
        assert_eq!(
            add_question(&mut s, &mut t, bad).map_err(|e| e.code()),
            Err("BAD_RANGE")
        );
        assert_eq!((s.clone(), t.clone()), before);
        // The first question is read by the matrix's condition: it cannot go, nor move below.
        assert_eq!(
            remove_question(&mut s, &mut t, "fuehlen-sie-sich-sicher").map_err(|e| e.code()),
            Err("QUESTION_REFERENCED")
        );
        assert_eq!(
            move_question(&mut s, "fuehlen-sie-sich-sicher", false).map_err(|e| e.code()),
            Err("CONDITION_FORWARD")
        );
        remove_question(&mut s, &mut t, "fuehlen-sie-sich-sicher-2").expect("remove");
        assert!(
            !t.0["de"].keys().any(|k| k.contains("sicher-2")),
            "its texts are gone"
        );
        assert_eq!(t.check(&s), Ok(()));
        assert_eq!(
            remove_question(&mut s, &mut t, "fuehlen-sie-sich-sicher").map_err(|e| e.code()),
            Err("SURVEY_EMPTY"),
            "the last question stays"
        );
    }
}
