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
    /// Editing: keep the question's condition as it is (one the form cannot show, set in the
    /// JSON editor), instead of `condition`.
    pub keep_condition: bool,
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
    #[error("a question's type cannot change; remove it and add a new one")]
    KindChanged,
    #[error("no section {0}")]
    NoSuchSection(usize),
}

impl BuildError {
    pub fn code(&self) -> &'static str {
        match self {
            Self::Survey(e) => e.code(),
            Self::UnknownKind(_) => "UNKNOWN_KIND",
            Self::TextMissing => "TEXT_MISSING",
            Self::NoSuchQuestion(_) => "NO_SUCH_QUESTION",
            Self::Referenced(..) => "QUESTION_REFERENCED",
            Self::KindChanged => "KIND_CHANGED",
            Self::NoSuchSection(_) => "NO_SUCH_SECTION",
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

/// The builder's name of a question type (the form's `kind`).
pub fn kind_name(kind: &QuestionKind) -> &'static str {
    match kind {
        QuestionKind::SingleChoice { .. } => "single_choice",
        QuestionKind::MultipleChoice { .. } => "multiple_choice",
        QuestionKind::Rating { .. } => "rating",
        QuestionKind::Matrix { .. } => "matrix",
        QuestionKind::Number { .. } => "number",
        QuestionKind::FreeText { .. } => "free_text",
        QuestionKind::Date { .. } => "date",
        QuestionKind::MapPoint => "map_point",
        QuestionKind::Ranking { .. } => "ranking",
        QuestionKind::Quartier => "quartier",
    }
}

/// A question under `key` from the form, with its German texts.
fn make(key: &str, q: &NewQuestion) -> Result<(Question, BTreeMap<String, String>), BuildError> {
    let text = q.text.trim();
    if text.is_empty() {
        return Err(BuildError::TextMissing);
    }
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
    let mut de = BTreeMap::new();
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
        let label = |l: &Option<String>, default: &str| {
            l.clone()
                .filter(|l| !l.trim().is_empty())
                .unwrap_or_else(|| default.into())
        };
        de.insert(format!("low.{key}"), label(&q.low, "gar nicht"));
        de.insert(format!("high.{key}"), label(&q.high, "sehr"));
    }
    let question = Question {
        key: key.to_owned(),
        required: q.required,
        show_if: q
            .condition
            .clone()
            .map(|(question, option)| Condition::Is { question, option }),
        kind,
    };
    Ok((question, de))
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
    let mut next = survey.clone();
    let mut words = texts.clone();
    let key = unique(&slug(q.text.trim(), "frage"), |k| {
        next.questions().any(|x| x.key == k)
    });
    let (question, de) = make(&key, &q)?;
    german(&mut words).extend(de);
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
    for lang in texts.0.values_mut() {
        lang.retain(|k, _| {
            !is_text_of(k, key)
                && !dropped_sections
                    .iter()
                    .any(|s| *k == format!("section.{s}"))
        });
    }
    *survey = next;
    Ok(())
}

/// The texts of a question in every language: the keys under it.
fn is_text_of(k: &str, key: &str) -> bool {
    [
        format!("q.{key}"),
        format!("help.{key}"),
        format!("low.{key}"),
        format!("high.{key}"),
    ]
    .iter()
    .any(|p| k == p)
        || k.starts_with(&format!("opt.{key}."))
        || k.starts_with(&format!("item.{key}."))
}

/// An existing question as the builder's form shows it (German texts, labels one per line).
pub fn describe_question(survey: &Survey, texts: &Translations, key: &str) -> Option<NewQuestion> {
    let q = survey.questions().find(|q| q.key == key)?;
    let de = texts.0.get(BASE_LANGUAGE);
    let text = |k: String| de.and_then(|d| d.get(&k)).cloned();
    let labels = |opts: &[Choice]| -> Vec<String> {
        opts.iter()
            .map(|o| text(format!("opt.{key}.{}", o.key)).unwrap_or_else(|| o.key.clone()))
            .collect()
    };
    let mut form = NewQuestion {
        kind: kind_name(&q.kind).to_owned(),
        text: text(format!("q.{key}")).unwrap_or_default(),
        help: text(format!("help.{key}")),
        required: q.required,
        low: text(format!("low.{key}")),
        high: text(format!("high.{key}")),
        ..Default::default()
    };
    match &q.show_if {
        None => {}
        Some(Condition::Is { question, option }) => {
            form.condition = Some((question.clone(), option.clone()));
        }
        Some(_) => form.keep_condition = true,
    }
    match &q.kind {
        QuestionKind::SingleChoice { options } | QuestionKind::Ranking { options } => {
            form.options = labels(options);
        }
        QuestionKind::MultipleChoice {
            options,
            other,
            max,
        } => {
            form.options = labels(options);
            form.other = *other;
            form.max = max.map(|m| m as f64);
        }
        QuestionKind::Matrix { items, scale } => {
            form.options = labels(scale);
            form.items = items
                .iter()
                .map(|i| text(format!("item.{key}.{i}")).unwrap_or_else(|| i.clone()))
                .collect();
        }
        QuestionKind::Rating { min, max } => {
            form.min = Some(f64::from(*min));
            form.max = Some(f64::from(*max));
        }
        QuestionKind::Number { min, max, .. } => {
            form.min = *min;
            form.max = *max;
        }
        _ => {}
    }
    Some(form)
}

/// Changes an existing question from the builder's form: texts, options, range, condition,
/// required. Its key and type stay (conditions and results refer to them). Options keep their
/// keys (and translations) while their German label stays the same; the German texts are
/// replaced, other languages lose only the texts of options that are gone.
///
/// # Errors
/// `NoSuchQuestion`, `KindChanged`, or what [`Survey::check`] finds (a condition of another
/// question on an option that is gone, too few options, a range upside down).
pub fn edit_question(
    survey: &mut Survey,
    texts: &mut Translations,
    key: &str,
    q: NewQuestion,
) -> Result<(), BuildError> {
    let mut next = survey.clone();
    let Some(old) = next
        .sections
        .iter_mut()
        .flat_map(|s| s.questions.iter_mut())
        .find(|x| x.key == key)
    else {
        return Err(BuildError::NoSuchQuestion(key.chars().take(64).collect()));
    };
    if kind_name(&old.kind) != q.kind {
        return Err(BuildError::KindChanged);
    }
    let (mut question, de) = make(key, &q)?;
    // What the form does not carry stays as it was (set in the JSON editor).
    match (&old.kind, &mut question.kind) {
        (QuestionKind::Date { min, max }, QuestionKind::Date { min: m, max: x }) => {
            *m = *min;
            *x = *max;
        }
        (QuestionKind::FreeText { max_chars }, QuestionKind::FreeText { max_chars: m }) => {
            *m = *max_chars;
        }
        _ => {}
    }
    if q.keep_condition {
        question.show_if = old.show_if.clone();
    }
    *old = question;
    next.check()?;
    let mut words = texts.clone();
    for (lang, map) in &mut words.0 {
        let base = lang == BASE_LANGUAGE;
        map.retain(|k, _| {
            if !is_text_of(k, key) {
                return true;
            }
            // Other languages keep their question, help and scale-end texts (the translation
            // table shows them next to the new German), and those of options still there.
            let option_text = k.starts_with("opt.") || k.starts_with("item.");
            !base && (!option_text || de.contains_key(k))
        });
    }
    german(&mut words).extend(de);
    *survey = next;
    *texts = words;
    Ok(())
}

/// Shows a section only when an earlier question has an option (`None`: always).
///
/// # Errors
/// `NoSuchSection`, or what [`Survey::check`] finds (a condition on a question of the same or
/// a later section, an unknown option).
pub fn set_section_condition(
    survey: &mut Survey,
    section: usize,
    condition: Option<(String, String)>,
) -> Result<(), BuildError> {
    let mut next = survey.clone();
    let s = next
        .sections
        .get_mut(section)
        .ok_or(BuildError::NoSuchSection(section + 1))?;
    s.show_if = condition.map(|(question, option)| Condition::Is { question, option });
    next.check()?;
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

    #[test]
    fn a_question_is_edited_in_place() {
        let (mut s, mut t) = start();
        t.0.entry("tr".into()).or_default().extend([
            (
                "q.fuehlen-sie-sich-sicher".to_owned(),
                "Güvende misiniz?".to_owned(),
            ),
            (
                "opt.fuehlen-sie-sich-sicher.ja".to_owned(),
                "Evet".to_owned(),
            ),
            (
                "opt.fuehlen-sie-sich-sicher.nein".to_owned(),
                "Hayır".to_owned(),
            ),
        ]);
        add_question(
            &mut s,
            &mut t,
            NewQuestion {
                section: Some(0),
                kind: "free_text".into(),
                text: "Warum?".into(),
                condition: Some(("fuehlen-sie-sich-sicher".into(), "nein".into())),
                ..Default::default()
            },
        )
        .expect("free text");
        let key = "fuehlen-sie-sich-sicher";
        let mut form = describe_question(&s, &t, key).expect("described");
        assert_eq!(form.kind, "single_choice");
        assert_eq!(form.options, ["Ja", "Eher nicht", "Nein"]);
        assert!(form.required);
        // A new text, "Eher nicht" dropped, a fourth option; "Nein" is still read by "Warum?".
        form.text = "Wie sicher fühlen Sie sich?".into();
        form.options = vec!["Ja".into(), "Nein".into(), "Weiß nicht".into()];
        form.required = false;
        edit_question(&mut s, &mut t, key, form.clone()).expect("edited");
        let q = s.questions().find(|q| q.key == key).expect("same key");
        assert!(!q.required);
        let de = &t.0["de"];
        assert_eq!(de[&format!("q.{key}")], "Wie sicher fühlen Sie sich?");
        assert!(!de.contains_key(&format!("opt.{key}.eher-nicht")));
        assert_eq!(de[&format!("opt.{key}.weiss-nicht")], "Weiß nicht");
        let tr = &t.0["tr"];
        assert_eq!(tr[&format!("opt.{key}.nein")], "Hayır", "kept: same option");
        assert!(
            tr.contains_key(&format!("q.{key}")),
            "the translation stays for review"
        );
        assert_eq!(t.check(&s), Ok(()));
        // Dropping "Nein" would leave "Warum?" reading a missing option: refused, unchanged.
        let before = (s.clone(), t.clone());
        let mut bad = form.clone();
        bad.options = vec!["Ja".into(), "Weiß nicht".into()];
        assert!(edit_question(&mut s, &mut t, key, bad).is_err());
        let mut other_kind = form;
        other_kind.kind = "multiple_choice".into();
        assert_eq!(
            edit_question(&mut s, &mut t, key, other_kind).map_err(|e| e.code()),
            Err("KIND_CHANGED")
        );
        assert_eq!((s.clone(), t.clone()), before);
    }

    #[test]
    fn sections_get_conditions_on_earlier_questions_only() {
        let (mut s, mut t) = start();
        add_question(
            &mut s,
            &mut t,
            NewQuestion {
                section_title: Some("Unsicherheit".into()),
                kind: "free_text".into(),
                text: "Wo genau?".into(),
                ..Default::default()
            },
        )
        .expect("second section");
        let cond = Some(("fuehlen-sie-sich-sicher".to_owned(), "nein".to_owned()));
        set_section_condition(&mut s, 1, cond.clone()).expect("set");
        assert!(s.sections[1].show_if.is_some());
        assert!(
            set_section_condition(&mut s, 0, cond.clone()).is_err(),
            "not on itself"
        );
        assert_eq!(
            set_section_condition(&mut s, 5, cond).map_err(|e| e.code()),
            Err("NO_SUCH_SECTION")
        );
        set_section_condition(&mut s, 1, None).expect("cleared");
        assert!(s.sections[1].show_if.is_none());
    }
}
