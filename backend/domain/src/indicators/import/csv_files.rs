//! CSV files: separator and column detection, long and wide layouts.

use super::*;

pub(super) const AREA_ALIASES: &[&str] = &[
    "area_id",
    "gebiet_id",
    "raum_id",
    "spatialreferencekey",
    "schluessel",
    "schlüssel",
    "area",
    "id",
    "gebiet",
    "raum",
];
pub(super) const DATE_ALIASES: &[&str] =
    &["date", "datum", "stichtag", "timestamp", "jahr", "year"];
pub(super) const VALUE_ALIASES: &[&str] = &["value", "wert", "indicatorvalue"];
pub(super) const NUMERATOR_ALIASES: &[&str] = &["numerator", "zaehler", "zähler"];
pub(super) const DENOMINATOR_ALIASES: &[&str] = &["denominator", "nenner"];

pub(super) fn normalise_header(h: &str) -> String {
    h.trim()
        .to_lowercase()
        .chars()
        .map(|c| if c == ' ' || c == '-' { '_' } else { c })
        .collect()
}

pub(super) fn find_column(headers: &[String], aliases: &[&str]) -> Option<usize> {
    aliases
        .iter()
        .find_map(|a| headers.iter().position(|h| h == a))
}

/// Most frequent of `,` `;` tab outside quotes in the header line; ties go to `;`.
pub(super) fn detect_separator(text: &str) -> u8 {
    let (mut comma, mut semicolon, mut tab) = (0usize, 0usize, 0usize);
    let mut quoted = false;
    for b in text.bytes() {
        match b {
            b'"' => quoted = !quoted,
            b'\n' if !quoted => break,
            b',' if !quoted => comma += 1,
            b';' if !quoted => semicolon += 1,
            b'\t' if !quoted => tab += 1,
            _ => {}
        }
    }
    if comma > semicolon && comma > tab {
        b','
    } else if tab > semicolon && tab > comma {
        b'\t'
    } else {
        b';'
    }
}

/// Physical line of a record, counted from its byte offset: the csv crate's own line count is
/// off after CRLF line ends and skipped blank lines.
pub(super) struct Lines<'t> {
    pub(super) text: &'t [u8],
    pub(super) byte: usize,
    pub(super) line: usize,
}

impl<'t> Lines<'t> {
    pub(super) fn new(text: &'t str) -> Self {
        Self {
            text: text.as_bytes(),
            byte: 0,
            line: 1,
        }
    }

    pub(super) fn of(&mut self, record: &csv::StringRecord) -> usize {
        let mut byte = record.position().map_or(self.byte, |p| p.byte() as usize);
        // The reported offset may sit before the previous line end or skipped blank lines.
        while matches!(self.text.get(byte), Some(b'\r' | b'\n')) {
            byte += 1;
        }
        if byte > self.byte {
            let skipped = self.text.get(self.byte..byte).unwrap_or_default();
            self.line += skipped.iter().filter(|&&b| b == b'\n').count();
            self.byte = byte;
        }
        self.line
    }
}

pub(super) struct LongColumns {
    pub(super) area: usize,
    pub(super) date: usize,
    pub(super) value: usize,
    pub(super) numerator: Option<usize>,
    pub(super) denominator: Option<usize>,
}

pub(super) fn parse_csv(
    text: &str,
    encoding: &'static str,
    opts: &ImportOptions,
) -> Result<Parsed, Vec<Problem>> {
    let separator = detect_separator(text);
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(separator)
        .has_headers(false)
        .flexible(true)
        .from_reader(text.as_bytes());
    let unreadable = |e: csv::Error| {
        whole_file(
            ProblemCode::Unreadable,
            format!("Die CSV-Datei ist nicht lesbar: {e}"),
        )
    };
    let mut record = csv::StringRecord::new();
    if !reader.read_record(&mut record).map_err(unreadable)? {
        return Err(whole_file(ProblemCode::EmptyFile, "Die Datei ist leer."));
    }
    let header: Vec<String> = record.iter().map(|h| h.trim().to_owned()).collect();
    let normalised: Vec<String> = header.iter().map(|h| normalise_header(h)).collect();

    let area_override = match &opts.area_property {
        Some(name) => {
            let wanted = normalise_header(name);
            match normalised.iter().position(|h| *h == wanted) {
                Some(i) => Some(i),
                None => {
                    return Err(header_problem(format!(
                        "Die Spalte {} für die Gebietskennung fehlt.",
                        shown(name)
                    )))
                }
            }
        }
        None => None,
    };
    let date_headers: Vec<(usize, NaiveDate)> = header
        .iter()
        .enumerate()
        .skip(1)
        .filter_map(|(i, h)| parse_date(h).map(|d| (i, d)))
        .collect();
    let layout = match opts.layout {
        Layout::Auto
            if !date_headers.is_empty() && find_column(&normalised, VALUE_ALIASES).is_none() =>
        {
            Layout::Wide
        }
        Layout::Auto => Layout::Long,
        l => l,
    };
    let meta = Parsed {
        rows: Vec::new(),
        format: Format::Csv,
        layout: Some(layout),
        encoding,
        separator: Some(char::from(separator)),
    };
    let mut sink = Sink::new(opts.max_rows);
    let mut data_rows = 0usize;
    let mut lines = Lines::new(text);

    if layout == Layout::Wide {
        let area = area_override
            .or_else(|| find_column(&normalised, AREA_ALIASES))
            .unwrap_or(0);
        let dates: Vec<(usize, NaiveDate)> = date_headers
            .into_iter()
            .filter(|(i, _)| *i != area)
            .collect();
        if dates.is_empty() {
            return Err(header_problem(
                "Keine Spalte hat ein Datum als Überschrift (z. B. 2012 oder 2012-12-31)."
                    .to_owned(),
            ));
        }
        reject_huge_file(text, separator, dates.len(), opts.max_rows)?;
        while reader.read_record(&mut record).map_err(unreadable)? {
            if record.iter().all(|f| f.trim().is_empty()) {
                continue;
            }
            data_rows += 1;
            let line = lines.of(&record);
            if !sink.admit(dates.len(), Some(line)) {
                break;
            }
            if record.len() != header.len() {
                ragged(&mut sink, line, record.len(), header.len());
                continue;
            }
            let code = record.get(area).unwrap_or_default().trim();
            if code.is_empty() {
                sink.missing_area(line);
                continue;
            }
            for &(i, date) in &dates {
                let raw = record.get(i).unwrap_or_default();
                if let Ok(value) = sink.number(line, &header[i], raw) {
                    sink.value(line, code, date, value);
                }
            }
        }
    } else {
        let cols = long_columns(&normalised, area_override)?;
        reject_huge_file(text, separator, 1, opts.max_rows)?;
        while reader.read_record(&mut record).map_err(unreadable)? {
            if record.iter().all(|f| f.trim().is_empty()) {
                continue;
            }
            data_rows += 1;
            let line = lines.of(&record);
            if !sink.admit(1, Some(line)) {
                break;
            }
            if record.len() != header.len() {
                ragged(&mut sink, line, record.len(), header.len());
                continue;
            }
            let field = |i: usize| record.get(i).unwrap_or_default();
            let code = field(cols.area).trim();
            if code.is_empty() {
                sink.missing_area(line);
            }
            let date = sink.date(line, field(cols.date));
            let value = sink.number(line, &header[cols.value], field(cols.value));
            let mut optional = |col: Option<usize>| match col {
                Some(i) => sink.number(line, &header[i], field(i)),
                None => Ok(None),
            };
            let numerator = optional(cols.numerator);
            let denominator = optional(cols.denominator);
            if let (false, Some(date), Ok(value), Ok(numerator), Ok(denominator)) =
                (code.is_empty(), date, value, numerator, denominator)
            {
                sink.rows.push(ParsedValue {
                    line,
                    area_code: code.to_owned(),
                    date,
                    value,
                    numerator,
                    denominator,
                });
            }
        }
    }
    if data_rows == 0 {
        return Err(whole_file(
            ProblemCode::EmptyFile,
            "Die Datei enthält nur die Kopfzeile und keine Werte.",
        ));
    }
    sink.finish(meta, opts.known_areas.as_ref())
}

/// Fails a file with more than `max_rows` values before reading it: counting lines is much
/// cheaper than parsing them. The count (lines with content outside quotes, after the header)
/// never exceeds the records the reader will see; the reader still stops at `max_rows`.
pub(super) fn reject_huge_file(
    text: &str,
    separator: u8,
    values_per_row: usize,
    max_rows: usize,
) -> Result<(), Vec<Problem>> {
    let mut records = 0usize;
    let (mut quoted, mut content) = (false, false);
    for &b in text.as_bytes() {
        match b {
            b'"' => quoted = !quoted,
            b'\n' if !quoted => {
                records += usize::from(content);
                content = false;
            }
            b' ' | b'\t' | b'\r' => {}
            _ if b == separator => {}
            _ => content = true,
        }
    }
    records += usize::from(content);
    let values = records.saturating_sub(1).saturating_mul(values_per_row);
    if values > max_rows {
        Err(vec![too_many_rows(max_rows, Some(values), None)])
    } else {
        Ok(())
    }
}

pub(super) fn too_many_rows(max_rows: usize, found: Option<usize>, line: Option<usize>) -> Problem {
    let message = match found {
        Some(found) => format!(
            "Die Datei enthält {} Werte, je Import sind höchstens {} möglich. \
             Bitte die Datei aufteilen.",
            german_int(found),
            german_int(max_rows)
        ),
        None => format!(
            "Die Datei enthält mehr als {} Werte; das Einlesen wurde abgebrochen. \
             Bitte die Datei aufteilen.",
            german_int(max_rows)
        ),
    };
    Problem {
        line,
        code: ProblemCode::TooManyRows,
        message,
    }
}

/// A missing column, reported at the header line.
pub(super) fn header_problem(message: String) -> Vec<Problem> {
    vec![Problem {
        line: Some(1),
        code: ProblemCode::MissingColumn,
        message,
    }]
}

pub(super) fn ragged(sink: &mut Sink, line: usize, fields: usize, expected: usize) {
    sink.problem(
        Some(line),
        ProblemCode::RaggedRow,
        format!("Die Zeile hat {fields} Felder, die Kopfzeile aber {expected}."),
    );
}

/// Columns by header name; by position (area, date, value[, numerator, denominator]) when no
/// header name is recognised at all.
pub(super) fn long_columns(
    headers: &[String],
    area_override: Option<usize>,
) -> Result<LongColumns, Vec<Problem>> {
    let area = area_override.or_else(|| find_column(headers, AREA_ALIASES));
    let date = find_column(headers, DATE_ALIASES);
    let value = find_column(headers, VALUE_ALIASES);
    let numerator = find_column(headers, NUMERATOR_ALIASES);
    let denominator = find_column(headers, DENOMINATOR_ALIASES);
    let nothing_known = [area, date, value, numerator, denominator]
        .iter()
        .all(Option::is_none);
    if nothing_known {
        if headers.len() < 3 {
            return Err(header_problem(
                "Die Datei braucht mindestens drei Spalten: Gebietskennung, Datum und Wert."
                    .to_owned(),
            ));
        }
        return Ok(LongColumns {
            area: 0,
            date: 1,
            value: 2,
            numerator: (headers.len() > 3).then_some(3),
            denominator: (headers.len() > 4).then_some(4),
        });
    }
    let mut problems = Vec::new();
    let mut required = |col: Option<usize>, what: &str, aliases: &[&str]| {
        if col.is_none() {
            problems.push(Problem {
                line: Some(1),
                code: ProblemCode::MissingColumn,
                message: format!(
                    "Die Spalte für {what} fehlt (erwartete Überschrift: {}).",
                    aliases.join(", ")
                ),
            });
        }
        col.unwrap_or_default()
    };
    let cols = LongColumns {
        area: required(area, "die Gebietskennung", AREA_ALIASES),
        date: required(date, "das Datum", DATE_ALIASES),
        value: required(value, "den Wert", VALUE_ALIASES),
        numerator,
        denominator,
    };
    if problems.is_empty() {
        Ok(cols)
    } else {
        Err(problems)
    }
}
