//! The answers of one page of the plain HTML form, read from its fields, and written back into
//! them. Field names: `q.<question>` for one value (or several, for a multiple choice),
//! `q.<question>.other`, `q.<question>.<item>` for a matrix row, `q.<question>.<option>` with a
//! rank for a ranking, `q.<question>.lat` / `.lon` for a point, `q.<question>.plz` for the
//! postcode a Quartier is derived from.

use super::{Answer, AnswerError, Answers, Question, QuestionKind, Section};
use chrono::NaiveDate;
use std::collections::BTreeMap;

/// The name of a question's main field.
pub fn field(question: &str) -> String {
    format!("q.{question}")
}

/// The name of a sub-field (an item, an option, `other`, `lat`, `lon`).
pub fn sub_field(question: &str, part: &str) -> String {
    format!("q.{question}.{part}")
}

/// Numbers as people type them: German decimal comma or point, spaces ignored.
pub fn parse_number(s: &str) -> Option<f64> {
    let t: String = s.chars().filter(|c| !c.is_whitespace()).collect();
    if t.is_empty() {
        return None;
    }
    let t = if t.contains(',') && !t.contains('.') {
        t.replace(',', ".")
    } else {
        t
    };
    t.parse::<f64>().ok().filter(|n| n.is_finite())
}

/// Fills "your Quartier" answers from a typed postcode where the list was left empty, using the
/// survey's postcode table (postcode → its Quartiere). A postcode that names no Quartier, or
/// several, is a problem for the question: the respondent then picks from the list.
pub fn apply_postcodes(
    section: &Section,
    fields: &mut Vec<(String, String)>,
    table: &BTreeMap<String, Vec<i64>>,
) -> Vec<(String, AnswerError)> {
    use crate::areas::postcodes::{resolve, PostcodeMatch};
    let allowed: std::collections::HashSet<i64> = table.values().flatten().copied().collect();
    let mut problems = Vec::new();
    for q in &section.questions {
        if !matches!(q.kind, QuestionKind::Quartier) {
            continue;
        }
        let name = field(&q.key);
        let given = |n: &str| {
            fields
                .iter()
                .find(|(k, v)| k == n && !v.trim().is_empty())
                .map(|(_, v)| v.clone())
        };
        if given(&name).is_some() {
            continue;
        }
        let Some(typed) = given(&sub_field(&q.key, "plz")) else {
            continue;
        };
        match resolve(table, &typed, &allowed) {
            PostcodeMatch::One(id) => fields.push((name, id.to_string())),
            PostcodeMatch::Several(_) => {
                problems.push((q.key.clone(), AnswerError::AmbiguousPostcode))
            }
            PostcodeMatch::Unknown => problems.push((q.key.clone(), AnswerError::UnknownPostcode)),
            PostcodeMatch::Invalid => problems.push((q.key.clone(), AnswerError::NotAPostcode)),
        }
    }
    problems
}

/// Reads the answers to one section's questions. Empty fields are no answer; a value that
/// cannot be read (a word in a number field) is an error for that question. Whether the
/// answers fit their questions is checked afterwards (`check_answer`), as for every response.
pub fn read_section(
    section: &Section,
    fields: &[(String, String)],
) -> (Answers, Vec<(String, AnswerError)>) {
    let mut answers = Answers::new();
    let mut problems = Vec::new();
    for q in &section.questions {
        match read_question(q, fields) {
            Ok(Some(a)) => {
                answers.insert(q.key.clone(), a);
            }
            Ok(None) => {}
            Err(e) => problems.push((q.key.clone(), e)),
        }
    }
    (answers, problems)
}

fn read_question(q: &Question, fields: &[(String, String)]) -> Result<Option<Answer>, AnswerError> {
    let name = field(&q.key);
    let values = |n: &str| -> Vec<&str> {
        fields
            .iter()
            .filter(|(k, _)| k == n)
            .map(|(_, v)| v.trim())
            .filter(|v| !v.is_empty())
            .collect()
    };
    let one = |n: &str| values(n).first().map(|v| (*v).to_owned());
    Ok(match &q.kind {
        QuestionKind::SingleChoice { .. } => one(&name).map(Answer::Choice),
        QuestionKind::MultipleChoice { .. } => {
            let selected: Vec<String> = values(&name).into_iter().map(str::to_owned).collect();
            let other = one(&sub_field(&q.key, "other"));
            (!selected.is_empty() || other.is_some()).then_some(Answer::Choices { selected, other })
        }
        QuestionKind::Rating { .. } | QuestionKind::Number { .. } => match one(&name) {
            Some(v) => Some(Answer::Number(
                parse_number(&v).ok_or(AnswerError::NotANumber)?,
            )),
            None => None,
        },
        QuestionKind::FreeText { .. } => {
            // Not trimmed away here: `check_answer` trims and measures.
            fields
                .iter()
                .find(|(k, _)| *k == name)
                .map(|(_, v)| v.clone())
                .filter(|v| !v.trim().is_empty())
                .map(Answer::Text)
        }
        QuestionKind::Date { .. } => match one(&name) {
            Some(v) => Some(Answer::Date(parse_date(&v).ok_or(AnswerError::NotADate)?)),
            None => None,
        },
        QuestionKind::MapPoint => {
            let lat = one(&sub_field(&q.key, "lat"));
            let lon = one(&sub_field(&q.key, "lon"));
            match (lat, lon) {
                (None, None) => None,
                (Some(lat), Some(lon)) => {
                    let (Some(lat), Some(lon)) = (parse_number(&lat), parse_number(&lon)) else {
                        return Err(AnswerError::NotANumber);
                    };
                    Some(Answer::Point { lon, lat })
                }
                _ => return Err(AnswerError::Incomplete),
            }
        }
        QuestionKind::Matrix { items, .. } => {
            let m: BTreeMap<String, String> = items
                .iter()
                .filter_map(|i| one(&sub_field(&q.key, i)).map(|v| (i.clone(), v)))
                .collect();
            (!m.is_empty()).then_some(Answer::Matrix(m))
        }
        QuestionKind::Ranking { options } => {
            let mut ranked = Vec::new();
            for o in options {
                if let Some(v) = one(&sub_field(&q.key, &o.key)) {
                    let rank = v
                        .parse::<usize>()
                        .ok()
                        .filter(|r| (1..=options.len()).contains(r))
                        .ok_or(AnswerError::OutOfRange)?;
                    ranked.push((rank, o.key.clone()));
                }
            }
            ranked.sort();
            if ranked.windows(2).any(|w| w[0].0 == w[1].0) {
                return Err(AnswerError::Duplicate);
            }
            (!ranked.is_empty())
                .then(|| Answer::Ranking(ranked.into_iter().map(|(_, k)| k).collect()))
        }
        QuestionKind::Quartier => match one(&name) {
            Some(v) => Some(Answer::Area(
                v.parse().map_err(|_| AnswerError::OutOfRange)?,
            )),
            None => None,
        },
    })
}

/// Dates as ISO (what `<input type="date">` sends) or German (`24.12.2026`, typed where the
/// browser has no date picker).
///
/// Read by hand rather than with chrono's format strings: this runs in the browser too, and
/// the format parser would be a fifth of the survey checks' wasm.
pub fn parse_date(s: &str) -> Option<NaiveDate> {
    let s = s.trim();
    if s.contains('-') {
        return super::iso_date::parse(s);
    }
    let mut parts = s.split('.');
    let (d, m, y) = (parts.next()?, parts.next()?, parts.next()?);
    if parts.next().is_some() {
        return None;
    }
    super::iso_date::ymd(y, m, d)
}

/// The shortest text that reads back as `x`, with ryu (which serde_json already brings), not
/// `f64`'s Display: its algorithms would add about 15 kB to the browser's wasm.
fn decimal(x: f64) -> String {
    ryu::Buffer::new().format(x).to_owned()
}

/// The form fields that show a stored answer again (the inverse of [`read_section`]).
pub fn fields_of(q: &Question, answer: &Answer) -> Vec<(String, String)> {
    let name = field(&q.key);
    let num = |n: f64| {
        if n.fract() == 0.0 && n.abs() < 1e15 {
            format!("{}", n as i64)
        } else {
            decimal(n)
        }
    };
    match answer {
        Answer::Choice(c) => vec![(name, c.clone())],
        Answer::Choices { selected, other } => {
            let mut v: Vec<(String, String)> =
                selected.iter().map(|s| (name.clone(), s.clone())).collect();
            if let Some(o) = other {
                v.push((sub_field(&q.key, "other"), o.clone()));
            }
            v
        }
        Answer::Number(n) => vec![(name, num(*n))],
        Answer::Text(t) => vec![(name, t.clone())],
        // NaiveDate's Display is ISO (YYYY-MM-DD) without chrono's formatter.
        Answer::Date(d) => vec![(name, d.to_string())],
        Answer::Point { lon, lat } => vec![
            (sub_field(&q.key, "lat"), decimal(*lat)),
            (sub_field(&q.key, "lon"), decimal(*lon)),
        ],
        Answer::Ranking(r) => r
            .iter()
            .enumerate()
            .map(|(i, o)| (sub_field(&q.key, o), (i + 1).to_string()))
            .collect(),
        Answer::Matrix(m) => m
            .iter()
            .map(|(i, o)| (sub_field(&q.key, i), o.clone()))
            .collect(),
        Answer::Area(a) => vec![(name, a.to_string())],
    }
}

#[cfg(test)]
mod tests {
    use super::super::{check_answer, Survey};
    use super::*;
    use serde_json::json;

    fn section() -> Section {
        let s: Survey = serde_json::from_value(json!({"sections": [{"key": "a", "questions": [
            {"key": "warum", "kind": {"type": "multiple_choice", "other": true, "options": [
                {"key": "licht", "code": 1}, {"key": "menschen", "code": 2}]}},
            {"key": "alter", "kind": {"type": "number"}},
            {"key": "seit", "kind": {"type": "date"}},
            {"key": "punkt", "kind": {"type": "map_point"}},
            {"key": "orte", "kind": {"type": "matrix", "items": ["park", "schule"], "scale": [
                {"key": "gern", "code": 1}, {"key": "ungern", "code": 2}]}},
            {"key": "wohin", "kind": {"type": "ranking", "options": [
                {"key": "a", "code": 1}, {"key": "b", "code": 2}, {"key": "c", "code": 3}]}},
            {"key": "text", "kind": {"type": "free_text"}}
        ]}]}))
        .expect("survey");
        s.sections[0].clone()
    }

    fn f(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
        pairs
            .iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect()
    }

    #[test]
    fn fields_are_read_and_written_back() {
        let s = section();
        let given = f(&[
            ("q.warum", "licht"),
            ("q.warum", "menschen"),
            ("q.warum.other", "  Hunde "),
            ("q.alter", "12,5"),
            ("q.seit", "24.12.2020"),
            ("q.punkt.lat", "50,94"),
            ("q.punkt.lon", "6.96"),
            ("q.orte.park", "gern"),
            ("q.orte.schule", ""),
            ("q.wohin.c", "1"),
            ("q.wohin.a", "2"),
            ("q.wohin.b", ""),
            ("q.text", "  Mehr Bänke  "),
        ]);
        let (answers, problems) = read_section(&s, &given);
        assert!(problems.is_empty(), "{problems:?}");
        assert_eq!(answers["alter"], Answer::Number(12.5));
        assert_eq!(
            answers["wohin"],
            Answer::Ranking(vec!["c".into(), "a".into()])
        );
        assert_eq!(
            answers["punkt"],
            Answer::Point {
                lon: 6.96,
                lat: 50.94
            }
        );
        // Written back and read again: the same answers.
        let mut again = Vec::new();
        for q in &s.questions {
            if let Some(a) = answers.get(&q.key) {
                again.extend(fields_of(q, a));
            }
        }
        let (round, _) = read_section(&s, &again);
        assert_eq!(round, answers);
        // The text is trimmed by the check, as for every response.
        let checked = check_answer(&s.questions[6].kind, &answers["text"]).expect("ok");
        assert_eq!(checked, Some(Answer::Text("Mehr Bänke".into())));
    }

    #[test]
    fn unreadable_fields_name_their_question() {
        let s = section();
        let (_, problems) = read_section(
            &s,
            &f(&[
                ("q.alter", "zwölf"),
                ("q.seit", "gestern"),
                ("q.punkt.lat", "50.9"),
                ("q.wohin.a", "1"),
                ("q.wohin.b", "1"),
            ]),
        );
        let codes: Vec<(&str, &str)> = problems
            .iter()
            .map(|(k, e)| (k.as_str(), e.code()))
            .collect();
        assert_eq!(
            codes,
            vec![
                ("alter", "NOT_A_NUMBER"),
                ("seit", "NOT_A_DATE"),
                ("punkt", "INCOMPLETE"),
                ("wohin", "DUPLICATE_OPTION")
            ]
        );
    }

    #[test]
    fn a_postcode_fills_the_quartier_when_the_list_is_left_empty() {
        let s: Survey = serde_json::from_value(json!({"sections": [{"key": "a", "questions": [
            {"key": "wo", "kind": {"type": "quartier"}}]}]}))
        .expect("survey");
        let section = &s.sections[0];
        let table = BTreeMap::from([
            ("51103".to_owned(), vec![7, 8]),
            ("51105".to_owned(), vec![9]),
        ]);
        let answer = |pairs: &[(&str, &str)]| {
            let mut fields = f(pairs);
            let problems = apply_postcodes(section, &mut fields, &table);
            let (answers, _) = read_section(section, &fields);
            (answers.get("wo").cloned(), problems)
        };
        assert_eq!(
            answer(&[("q.wo.plz", " 51105 ")]),
            (Some(Answer::Area(9)), vec![])
        );
        // A choice in the list wins over the postcode.
        assert_eq!(
            answer(&[("q.wo", "7"), ("q.wo.plz", "51105")]).0,
            Some(Answer::Area(7))
        );
        let problem = |pairs: &[(&str, &str)]| answer(pairs).1.first().map(|(_, e)| e.clone());
        assert_eq!(
            problem(&[("q.wo.plz", "51103")]),
            Some(AnswerError::AmbiguousPostcode)
        );
        assert_eq!(
            problem(&[("q.wo.plz", "50667")]),
            Some(AnswerError::UnknownPostcode)
        );
        assert_eq!(
            problem(&[("q.wo.plz", "5110")]),
            Some(AnswerError::NotAPostcode)
        );
        assert_eq!(answer(&[("q.wo", ""), ("q.wo.plz", "")]), (None, vec![]));
    }
}
