//! Collecting rows and problems while reading, with a cap on the problems reported.

use super::*;

pub(super) struct Sink {
    pub(super) rows: Vec<ParsedValue>,
    pub(super) problems: Vec<Problem>,
    pub(super) values: usize,
    pub(super) max_rows: usize,
    /// Line at which `max_rows` was exceeded.
    pub(super) too_many: Option<Option<usize>>,
}

impl Sink {
    pub(super) fn new(max_rows: usize) -> Self {
        Self {
            rows: Vec::new(),
            problems: Vec::new(),
            values: 0,
            max_rows,
            too_many: None,
        }
    }

    pub(super) fn problem(&mut self, line: Option<usize>, code: ProblemCode, message: String) {
        self.problems.push(Problem {
            line,
            code,
            message,
        });
    }

    /// Counts `n` more values; false (and the import stops) once there are too many.
    pub(super) fn admit(&mut self, n: usize, line: Option<usize>) -> bool {
        self.values += n;
        if self.values > self.max_rows {
            self.too_many = Some(line);
            false
        } else {
            true
        }
    }

    pub(super) fn value(&mut self, line: usize, area: &str, date: NaiveDate, value: Option<f64>) {
        self.rows.push(ParsedValue {
            line,
            area_code: area.to_owned(),
            date,
            value,
            numerator: None,
            denominator: None,
        });
    }

    pub(super) fn number(
        &mut self,
        line: usize,
        column: &str,
        raw: &str,
    ) -> Result<Option<f64>, NotANumber> {
        let parsed = parse_number(raw);
        if parsed.is_err() {
            self.problem(
                Some(line),
                ProblemCode::NotANumber,
                format!(
                    "{} in Spalte {} ist keine Zahl.",
                    shown(raw.trim()),
                    shown(column)
                ),
            );
        }
        parsed
    }

    pub(super) fn date(&mut self, line: usize, raw: &str) -> Option<NaiveDate> {
        let date = parse_date(raw);
        if date.is_none() {
            self.problem(
                Some(line),
                ProblemCode::BadDate,
                format!(
                    "{} ist kein gültiges Datum ({BAD_DATE_HINT}).",
                    shown(raw.trim())
                ),
            );
        }
        date
    }

    pub(super) fn missing_area(&mut self, line: usize) {
        self.problem(
            Some(line),
            ProblemCode::MissingArea,
            "Die Gebietskennung fehlt.".to_owned(),
        );
    }

    pub(super) fn finish(
        mut self,
        meta: Parsed,
        known_areas: Option<&HashMap<String, Option<NaiveDate>>>,
    ) -> Result<Parsed, Vec<Problem>> {
        if let (None, Some(areas)) = (self.too_many, known_areas) {
            self.problems.extend(check_against_areas(&self.rows, areas));
            // Whole-file problems first, then by line.
            self.problems.sort_by_key(|p| p.line.unwrap_or(0));
        }
        if let Some(line) = self.too_many {
            let problem = too_many_rows(self.max_rows, None, line);
            self.problems.insert(0, problem);
        } else if self.problems.is_empty() && self.rows.is_empty() {
            self.problem(
                None,
                ProblemCode::EmptyFile,
                "Die Datei enthält keine Werte.".to_owned(),
            );
        }
        if self.problems.is_empty() {
            Ok(Parsed {
                rows: self.rows,
                ..meta
            })
        } else {
            Err(cap(self.problems))
        }
    }
}

/// Keeps the first [`MAX_PROBLEMS`] problems and adds one that counts the rest.
pub(super) fn cap(mut problems: Vec<Problem>) -> Vec<Problem> {
    if problems.len() > MAX_PROBLEMS {
        let more = problems.len() - MAX_PROBLEMS;
        problems.truncate(MAX_PROBLEMS);
        problems.push(Problem {
            line: None,
            code: ProblemCode::TooManyProblems,
            message: format!("… und {} weitere Probleme.", german_int(more)),
        });
    }
    problems
}

pub(super) fn whole_file(code: ProblemCode, message: impl Into<String>) -> Vec<Problem> {
    vec![Problem {
        line: None,
        code,
        message: message.into(),
    }]
}
