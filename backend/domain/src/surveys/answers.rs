//! Checks of one answer against its question.

use super::*;

pub(super) fn known<'a>(options: &'a [Choice], key: &str) -> Result<&'a Choice, AnswerError> {
    options
        .iter()
        .find(|o| o.key == key)
        .ok_or_else(|| AnswerError::UnknownOption(key.chars().take(40).collect()))
}

pub(super) fn distinct(keys: &[String]) -> Result<(), AnswerError> {
    let mut seen = HashSet::new();
    if keys.iter().all(|k| seen.insert(k)) {
        Ok(())
    } else {
        Err(AnswerError::Duplicate)
    }
}

/// Checks one answer against its question; `None` when it is empty (no answer given).
///
/// # Errors
/// The [`AnswerError`] of the first rule it breaks.
pub fn check_answer(kind: &QuestionKind, answer: &Answer) -> Result<Option<Answer>, AnswerError> {
    use QuestionKind as K;
    Ok(Some(match (kind, answer) {
        (K::SingleChoice { options }, Answer::Choice(c)) => {
            known(options, c)?;
            answer.clone()
        }
        (
            K::MultipleChoice {
                options,
                other,
                max,
            },
            Answer::Choices {
                selected,
                other: text,
            },
        ) => {
            for s in selected {
                known(options, s)?;
            }
            distinct(selected)?;
            let text = text.as_deref().map(crate::text::single_line);
            let text = match text.as_deref().filter(|t| !t.is_empty()) {
                Some(_) if !other => return Err(AnswerError::WrongType),
                Some(t) if t.chars().count() > OTHER_TEXT_MAX => {
                    return Err(AnswerError::TooLong(OTHER_TEXT_MAX))
                }
                t => t.map(str::to_owned),
            };
            let count = selected.len() + usize::from(text.is_some());
            if count == 0 {
                return Ok(None);
            }
            if let Some(m) = max.filter(|m| count > *m) {
                return Err(AnswerError::TooMany(m));
            }
            Answer::Choices {
                selected: selected.clone(),
                other: text,
            }
        }
        (K::Rating { min, max }, Answer::Number(n)) => {
            if n.fract() != 0.0 {
                return Err(AnswerError::NotWhole);
            }
            if !(f64::from(*min)..=f64::from(*max)).contains(n) {
                return Err(AnswerError::OutOfRange);
            }
            answer.clone()
        }
        (K::Matrix { items, scale }, Answer::Matrix(m)) => {
            for (item, value) in m {
                if !items.contains(item) {
                    return Err(AnswerError::UnknownOption(item.chars().take(40).collect()));
                }
                known(scale, value)?;
            }
            if m.is_empty() {
                return Ok(None);
            }
            answer.clone()
        }
        (K::Number { min, max, integer }, Answer::Number(n)) => {
            if !n.is_finite() || min.is_some_and(|lo| *n < lo) || max.is_some_and(|hi| *n > hi) {
                return Err(AnswerError::OutOfRange);
            }
            if *integer && n.fract() != 0.0 {
                return Err(AnswerError::NotWhole);
            }
            answer.clone()
        }
        (K::FreeText { max_chars }, Answer::Text(t)) => {
            // Control characters (NUL and friends) are never part of what a person meant.
            let t = crate::text::multi_line(t);
            let t = t.trim();
            if t.is_empty() {
                return Ok(None);
            }
            if t.chars().count() > *max_chars {
                return Err(AnswerError::TooLong(*max_chars));
            }
            Answer::Text(t.to_owned())
        }
        (K::Date { min, max }, Answer::Date(d)) => {
            if min.is_some_and(|lo| *d < lo) || max.is_some_and(|hi| *d > hi) {
                return Err(AnswerError::OutOfRange);
            }
            answer.clone()
        }
        (K::MapPoint, Answer::Point { lon, lat }) => {
            if !(-180.0..=180.0).contains(lon) || !(-90.0..=90.0).contains(lat) {
                return Err(AnswerError::OutOfRange);
            }
            answer.clone()
        }
        (K::Ranking { options }, Answer::Ranking(r)) => {
            for o in r {
                known(options, o)?;
            }
            distinct(r)?;
            if r.is_empty() {
                return Ok(None);
            }
            answer.clone()
        }
        (K::Quartier, Answer::Area(id)) if *id > 0 => answer.clone(),
        (K::Quartier, Answer::Area(_)) => return Err(AnswerError::OutOfRange),
        _ => return Err(AnswerError::WrongType),
    }))
}
