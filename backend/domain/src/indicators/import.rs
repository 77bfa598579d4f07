//! Reading indicator values from the files municipalities already keep: CSV in long or wide
//! layout (spreadsheets, statistics offices), KomMonitor's value JSON and KomMonitor's indicator
//! GeoJSON. Every problem is collected with its line (JSON: entry or feature number) so a planner
//! can fix the file in one go. Nothing is stored from here; whether the areas exist on the target
//! level is checked separately by [`check_against_areas`].

use super::UnknownValue;
use chrono::{Datelike, Months, NaiveDate};
use serde::{Serialize, Serializer};
use serde_json::{Map, Value};
use std::borrow::Cow;
use std::collections::hash_map::Entry;
use std::collections::HashMap;
use std::fmt;
use std::str::FromStr;

/// Default limit of values per import (`ImportOptions::max_rows`).
pub const DEFAULT_MAX_ROWS: usize = 500_000;
/// At most this many problems are listed; one summary problem counts the rest.
pub const MAX_PROBLEMS: usize = 1_000;

/// Which kind of file is read.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum Format {
    /// JSON when the file starts with `{` or `[` (GeoJSON when it is a FeatureCollection), else CSV.
    #[default]
    Auto,
    Csv,
    KomMonitorJson,
    GeoJson,
}

/// How a CSV file arranges its values.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum Layout {
    /// Wide when a header after the first parses as a date and no value column exists.
    #[default]
    Auto,
    /// One row per area and date: area id, date, value[, numerator, denominator].
    Long,
    /// One row per area, one column per date.
    Wide,
}

macro_rules! str_enum {
    ($t:ty, $($v:ident => $s:literal),+) => {
        impl $t {
            pub const ALL: [$t; [$($s),+].len()] = [$(Self::$v),+];

            pub fn as_str(self) -> &'static str {
                match self { $(Self::$v => $s),+ }
            }
        }
        impl fmt::Display for $t {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(self.as_str())
            }
        }
        impl FromStr for $t {
            type Err = UnknownValue;
            fn from_str(s: &str) -> Result<Self, Self::Err> {
                Self::ALL
                    .into_iter()
                    .find(|v| v.as_str() == s)
                    .ok_or_else(|| UnknownValue(s.to_owned()))
            }
        }
    };
}
str_enum!(Format, Auto => "auto", Csv => "csv", KomMonitorJson => "kommonitor", GeoJson => "geojson");
str_enum!(Layout, Auto => "auto", Long => "long", Wide => "wide");

/// What the caller knows about the file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImportOptions {
    pub format: Format,
    pub layout: Layout,
    /// Name of the column (CSV) or feature property (GeoJSON, flat KomMonitor entries) holding
    /// the area id, instead of guessing it.
    pub area_property: Option<String>,
    /// More values than this fail the import with `TOO_MANY_ROWS`.
    pub max_rows: usize,
    /// The target level's area codes with the end of their validity: when given, the rows are
    /// checked against them ([`check_against_areas`]) in the same pass, so one report lists
    /// unknown areas next to unreadable numbers.
    pub known_areas: Option<HashMap<String, Option<NaiveDate>>>,
}

impl Default for ImportOptions {
    fn default() -> Self {
        Self {
            format: Format::Auto,
            layout: Layout::Auto,
            area_property: None,
            max_rows: DEFAULT_MAX_ROWS,
            known_areas: None,
        }
    }
}

/// One value read from the file. `value: None` is "no data", never 0.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ParsedValue {
    /// 1-based physical line of the CSV row; for JSON the 1-based entry or feature number.
    pub line: usize,
    pub area_code: String,
    pub date: NaiveDate,
    pub value: Option<f64>,
    pub numerator: Option<f64>,
    pub denominator: Option<f64>,
}

/// A file read without problems, and what was detected about it.
#[derive(Debug, Clone, PartialEq)]
pub struct Parsed {
    pub rows: Vec<ParsedValue>,
    /// The concrete format (never `Auto`).
    pub format: Format,
    /// `Long` or `Wide` for CSV, `None` for JSON.
    pub layout: Option<Layout>,
    /// `UTF-8`, `windows-1252`, `UTF-16LE` or `UTF-16BE`.
    pub encoding: &'static str,
    /// The CSV separator, `None` for JSON.
    pub separator: Option<char>,
}

/// Stable machine codes of [`Problem`]s.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ProblemCode {
    EmptyFile,
    MissingColumn,
    RaggedRow,
    NotANumber,
    BadDate,
    DuplicateRow,
    UnknownArea,
    OutsideValidity,
    TooManyRows,
    BadJson,
    MissingArea,
    /// The CSV reader failed (should not happen with decoded text).
    Unreadable,
    /// Summary after [`MAX_PROBLEMS`] problems.
    TooManyProblems,
}

impl ProblemCode {
    pub const ALL: [ProblemCode; 13] = [
        Self::EmptyFile,
        Self::MissingColumn,
        Self::RaggedRow,
        Self::NotANumber,
        Self::BadDate,
        Self::DuplicateRow,
        Self::UnknownArea,
        Self::OutsideValidity,
        Self::TooManyRows,
        Self::BadJson,
        Self::MissingArea,
        Self::Unreadable,
        Self::TooManyProblems,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::EmptyFile => "EMPTY_FILE",
            Self::MissingColumn => "MISSING_COLUMN",
            Self::RaggedRow => "RAGGED_ROW",
            Self::NotANumber => "NOT_A_NUMBER",
            Self::BadDate => "BAD_DATE",
            Self::DuplicateRow => "DUPLICATE_ROW",
            Self::UnknownArea => "UNKNOWN_AREA",
            Self::OutsideValidity => "OUTSIDE_VALIDITY",
            Self::TooManyRows => "TOO_MANY_ROWS",
            Self::BadJson => "BAD_JSON",
            Self::MissingArea => "MISSING_AREA",
            Self::Unreadable => "UNREADABLE",
            Self::TooManyProblems => "TOO_MANY_PROBLEMS",
        }
    }
}

impl fmt::Display for ProblemCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl Serialize for ProblemCode {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

/// Something wrong with the file. `line` is the 1-based physical CSV line (header = 1), for JSON
/// the 1-based entry or feature number, and `None` for the whole file. `message` is German.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Problem {
    pub line: Option<usize>,
    pub code: ProblemCode,
    pub message: String,
}

/// Text that is not a number (see [`parse_number`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct NotANumber;

impl fmt::Display for NotANumber {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("keine Zahl")
    }
}

impl std::error::Error for NotANumber {}

// ---------------------------------------------------------------------------------------------
// Numbers and dates

/// Parses a number as German and English spreadsheets write it: decimal comma or point,
/// thousands separators (`1.234,5`, `1,234.5`; with both, the last one is the decimal separator;
/// a single `,` or `.` alone is decimal), surrounding spaces, a leading sign, an exponent.
/// "No data" markers give `Ok(None)`: empty, `NA`, `N/A`, `#NV`, `.`, `..`, `...`, `x`, `X`,
/// `/`, `geheim`, `keine Daten`.
///
/// # Errors
/// Any other text, and NaN or infinity.
pub fn parse_number(s: &str) -> Result<Option<f64>, NotANumber> {
    let s = s.trim();
    if is_no_data(s) {
        return Ok(None);
    }
    // Destatis: a dash alone means "nichts vorhanden", a true zero (unlike `.`: unknown or secret).
    if matches!(s, "-" | "–" | "—") {
        return Ok(Some(0.0));
    }
    let (negative, body) = if let Some(rest) = s.strip_prefix('-') {
        (true, rest)
    } else if let Some(rest) = s.strip_prefix('−') {
        (true, rest)
    } else if let Some(rest) = s.strip_prefix('+') {
        (false, rest)
    } else {
        (false, s)
    };
    let (mantissa, exponent) = match body.find(['e', 'E']) {
        Some(i) => (&body[..i], Some(&body[i + 1..])),
        None => (body, None),
    };

    // Normalised into a stack buffer: no allocation per field.
    let mut buf = Buf::new();
    if negative {
        buf.push(b'-')?;
    }
    normalise_mantissa(mantissa, &mut buf)?;
    if let Some(exp) = exponent {
        let digits = exp.strip_prefix(['+', '-']).unwrap_or(exp);
        if digits.is_empty() || digits.len() > 4 || !all_digits(digits) {
            return Err(NotANumber);
        }
        buf.push(b'e')?;
        for b in exp.bytes() {
            buf.push(b)?;
        }
    }
    let text = std::str::from_utf8(buf.as_slice()).map_err(|_| NotANumber)?;
    match text.parse::<f64>() {
        Ok(v) if v.is_finite() => Ok(Some(v)),
        _ => Err(NotANumber),
    }
}

fn is_no_data(s: &str) -> bool {
    matches!(s, "" | "." | ".." | "..." | "x" | "X" | "/")
        || ["na", "n/a", "#nv", "#n/a", "geheim", "keine daten"]
            .iter()
            .any(|m| s.eq_ignore_ascii_case(m))
}

fn all_digits(s: &str) -> bool {
    s.bytes().all(|b| b.is_ascii_digit())
}

struct Buf {
    bytes: [u8; 64],
    len: usize,
}

impl Buf {
    fn new() -> Self {
        Self {
            bytes: [0; 64],
            len: 0,
        }
    }

    fn push(&mut self, b: u8) -> Result<(), NotANumber> {
        let slot = self.bytes.get_mut(self.len).ok_or(NotANumber)?;
        *slot = b;
        self.len += 1;
        Ok(())
    }

    fn as_slice(&self) -> &[u8] {
        self.bytes.get(..self.len).unwrap_or_default()
    }
}

/// Writes the digits of `m` with a `.` as decimal separator and no thousands separators.
fn normalise_mantissa(m: &str, out: &mut Buf) -> Result<(), NotANumber> {
    let (dots, commas) = (m.matches('.').count(), m.matches(',').count());
    let (decimal, group) = match (m.rfind('.'), m.rfind(',')) {
        (Some(d), Some(c)) if d > c => (Some('.'), Some(',')),
        (Some(_), Some(_)) => (Some(','), Some('.')),
        (Some(_), None) if dots == 1 => (Some('.'), None),
        (Some(_), None) => (None, Some('.')),
        (None, Some(_)) if commas == 1 => (Some(','), None),
        (None, Some(_)) => (None, Some(',')),
        (None, None) => (None, None),
    };
    let (int, frac) = match decimal.and_then(|d| m.rsplit_once(d)) {
        Some((int, frac)) => (int, frac),
        None => (m, ""),
    };
    if !all_digits(frac) || (int.is_empty() && frac.is_empty()) {
        return Err(NotANumber);
    }
    match group {
        Some(g) => {
            for (i, part) in int.split(g).enumerate() {
                // Groups of three after a first group of one to three digits.
                let ok = if i == 0 {
                    (1..=3).contains(&part.len())
                } else {
                    part.len() == 3
                };
                if !ok || !all_digits(part) {
                    return Err(NotANumber);
                }
                for b in part.bytes() {
                    out.push(b)?;
                }
            }
        }
        None => {
            if !all_digits(int) {
                return Err(NotANumber);
            }
            for b in int.bytes() {
                out.push(b)?;
            }
        }
    }
    if int.is_empty() {
        out.push(b'0')?;
    }
    if !frac.is_empty() {
        out.push(b'.')?;
        for b in frac.bytes() {
            out.push(b)?;
        }
    }
    Ok(())
}

/// Parses `YYYY` (31 December: German population statistics are as of 31.12.), `YYYY-MM`
/// (last day of the month), `YYYY-MM-DD` (also with a time after `T` or a space),
/// `DD.MM.YYYY` and KomMonitor's property names `DATE_YYYY-MM-DD`. Years 1800–2200 only, so
/// that area ids in a header are not taken for years.
pub fn parse_date(s: &str) -> Option<NaiveDate> {
    let s = s.trim();
    let s = match s.get(..5) {
        Some(p) if p.eq_ignore_ascii_case("date_") => s.get(5..)?,
        _ => s,
    };
    let s = match s.as_bytes().get(10) {
        Some(b'T' | b' ') => s.get(..10)?,
        _ => s,
    };
    let num = |part: &str, min: usize, max: usize| -> Option<u32> {
        if (min..=max).contains(&part.len()) && all_digits(part) {
            part.parse().ok()
        } else {
            None
        }
    };
    let year = |part: &str| -> Option<i32> {
        let y = i32::try_from(num(part, 4, 4)?).ok()?;
        (1800..=2200).contains(&y).then_some(y)
    };
    let mut dashes = s.split('-');
    let mut dots = s.split('.');
    match (dashes.next(), dashes.next(), dashes.next(), dashes.next()) {
        (Some(y), None, _, _) if !s.contains('.') => NaiveDate::from_ymd_opt(year(y)?, 12, 31),
        (Some(y), Some(m), None, _) => {
            let first = NaiveDate::from_ymd_opt(year(y)?, num(m, 2, 2)?, 1)?;
            first.checked_add_months(Months::new(1))?.pred_opt()
        }
        (Some(y), Some(m), Some(d), None) => {
            NaiveDate::from_ymd_opt(year(y)?, num(m, 2, 2)?, num(d, 2, 2)?)
        }
        _ => match (dots.next(), dots.next(), dots.next(), dots.next()) {
            (Some(d), Some(m), Some(y), None) => {
                NaiveDate::from_ymd_opt(year(y)?, num(m, 1, 2)?, num(d, 1, 2)?)
            }
            _ => None,
        },
    }
}

fn german_date(d: NaiveDate) -> String {
    format!("{:02}.{:02}.{}", d.day(), d.month(), d.year())
}

/// `500000` → `500.000`.
fn german_int(n: usize) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push('.');
        }
        out.push(c);
    }
    out
}

/// Quotes text from the file for a message, shortened so a garbage field cannot flood the UI.
fn shown(s: &str) -> String {
    const MAX: usize = 40;
    match s.char_indices().nth(MAX) {
        Some((i, _)) => format!("„{}…“", &s[..i]),
        None => format!("„{s}“"),
    }
}

const BAD_DATE_HINT: &str = "erwartet JJJJ, JJJJ-MM-TT, TT.MM.JJJJ oder JJJJ-MM";

// ---------------------------------------------------------------------------------------------
// Collecting rows and problems

struct Sink {
    rows: Vec<ParsedValue>,
    problems: Vec<Problem>,
    values: usize,
    max_rows: usize,
    /// Line at which `max_rows` was exceeded.
    too_many: Option<Option<usize>>,
}

impl Sink {
    fn new(max_rows: usize) -> Self {
        Self {
            rows: Vec::new(),
            problems: Vec::new(),
            values: 0,
            max_rows,
            too_many: None,
        }
    }

    fn problem(&mut self, line: Option<usize>, code: ProblemCode, message: String) {
        self.problems.push(Problem {
            line,
            code,
            message,
        });
    }

    /// Counts `n` more values; false (and the import stops) once there are too many.
    fn admit(&mut self, n: usize, line: Option<usize>) -> bool {
        self.values += n;
        if self.values > self.max_rows {
            self.too_many = Some(line);
            false
        } else {
            true
        }
    }

    fn value(&mut self, line: usize, area: &str, date: NaiveDate, value: Option<f64>) {
        self.rows.push(ParsedValue {
            line,
            area_code: area.to_owned(),
            date,
            value,
            numerator: None,
            denominator: None,
        });
    }

    fn number(&mut self, line: usize, column: &str, raw: &str) -> Result<Option<f64>, NotANumber> {
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

    fn date(&mut self, line: usize, raw: &str) -> Option<NaiveDate> {
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

    fn missing_area(&mut self, line: usize) {
        self.problem(
            Some(line),
            ProblemCode::MissingArea,
            "Die Gebietskennung fehlt.".to_owned(),
        );
    }

    fn finish(
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
fn cap(mut problems: Vec<Problem>) -> Vec<Problem> {
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

fn whole_file(code: ProblemCode, message: impl Into<String>) -> Vec<Problem> {
    vec![Problem {
        line: None,
        code,
        message: message.into(),
    }]
}

// ---------------------------------------------------------------------------------------------
// Entry point

/// Reads indicator values from a file's bytes.
///
/// # Errors
/// All problems found (capped at [`MAX_PROBLEMS`] plus a summary), each with its line. A file
/// with more than `opts.max_rows` values stops at that point with `TOO_MANY_ROWS` first.
pub fn parse(bytes: &[u8], opts: &ImportOptions) -> Result<Parsed, Vec<Problem>> {
    let (text, encoding) = decode(bytes);
    let text = text.as_ref();
    if text.trim().is_empty() {
        return Err(whole_file(ProblemCode::EmptyFile, "Die Datei ist leer."));
    }
    let looks_like_json = matches!(text.trim_start().as_bytes().first(), Some(b'{' | b'['));
    match opts.format {
        Format::Csv => parse_csv(text, encoding, opts),
        Format::Auto if !looks_like_json => parse_csv(text, encoding, opts),
        Format::Auto | Format::KomMonitorJson | Format::GeoJson => parse_json(text, encoding, opts),
    }
}

/// UTF-8 (BOM or not); UTF-16 with BOM (Excel's "Unicode-Text"); otherwise Windows-1252, what
/// German Excel writes as "CSV (Trennzeichen-getrennt)".
pub fn decode(bytes: &[u8]) -> (Cow<'_, str>, &'static str) {
    let (bom_encoding, body) = match encoding_rs::Encoding::for_bom(bytes) {
        Some((enc, len)) => (Some(enc), bytes.get(len..).unwrap_or_default()),
        None => (None, bytes),
    };
    match bom_encoding {
        Some(enc) if enc != encoding_rs::UTF_8 => {
            (enc.decode_without_bom_handling(body).0, enc.name())
        }
        _ => match std::str::from_utf8(body) {
            Ok(s) => (Cow::Borrowed(s), "UTF-8"),
            Err(_) => {
                let enc = encoding_rs::WINDOWS_1252;
                (enc.decode_without_bom_handling(body).0, enc.name())
            }
        },
    }
}

// ---------------------------------------------------------------------------------------------
// CSV

// Most specific first: `gebiet`/`raum` may also name a column of area names.
const AREA_ALIASES: &[&str] = &[
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
const DATE_ALIASES: &[&str] = &["date", "datum", "stichtag", "timestamp", "jahr", "year"];
const VALUE_ALIASES: &[&str] = &["value", "wert", "indicatorvalue"];
const NUMERATOR_ALIASES: &[&str] = &["numerator", "zaehler", "zähler"];
const DENOMINATOR_ALIASES: &[&str] = &["denominator", "nenner"];

fn normalise_header(h: &str) -> String {
    h.trim()
        .to_lowercase()
        .chars()
        .map(|c| if c == ' ' || c == '-' { '_' } else { c })
        .collect()
}

fn find_column(headers: &[String], aliases: &[&str]) -> Option<usize> {
    aliases
        .iter()
        .find_map(|a| headers.iter().position(|h| h == a))
}

/// Most frequent of `,` `;` tab outside quotes in the header line; ties go to `;`.
fn detect_separator(text: &str) -> u8 {
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
struct Lines<'t> {
    text: &'t [u8],
    byte: usize,
    line: usize,
}

impl<'t> Lines<'t> {
    fn new(text: &'t str) -> Self {
        Self {
            text: text.as_bytes(),
            byte: 0,
            line: 1,
        }
    }

    fn of(&mut self, record: &csv::StringRecord) -> usize {
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

struct LongColumns {
    area: usize,
    date: usize,
    value: usize,
    numerator: Option<usize>,
    denominator: Option<usize>,
}

fn parse_csv(
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
fn reject_huge_file(
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

fn too_many_rows(max_rows: usize, found: Option<usize>, line: Option<usize>) -> Problem {
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
fn header_problem(message: String) -> Vec<Problem> {
    vec![Problem {
        line: Some(1),
        code: ProblemCode::MissingColumn,
        message,
    }]
}

fn ragged(sink: &mut Sink, line: usize, fields: usize, expected: usize) {
    sink.problem(
        Some(line),
        ProblemCode::RaggedRow,
        format!("Die Zeile hat {fields} Felder, die Kopfzeile aber {expected}."),
    );
}

/// Columns by header name; by position (area, date, value[, numerator, denominator]) when no
/// header name is recognised at all.
fn long_columns(
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

// ---------------------------------------------------------------------------------------------
// JSON

const ID_PROPERTIES: &[&str] = &["id", "ID", "spatialReferenceKey", "NR"];

fn parse_json(
    text: &str,
    encoding: &'static str,
    opts: &ImportOptions,
) -> Result<Parsed, Vec<Problem>> {
    let root: Value = serde_json::from_str(text).map_err(|e| {
        whole_file(
            ProblemCode::BadJson,
            format!(
                "Kein gültiges JSON (Zeile {}, Spalte {}): {e}",
                e.line(),
                e.column()
            ),
        )
    })?;
    let is_feature_collection =
        root.get("type").and_then(Value::as_str) == Some("FeatureCollection");
    let format = match opts.format {
        Format::Auto if is_feature_collection => Format::GeoJson,
        Format::Auto | Format::Csv => Format::KomMonitorJson,
        f => f,
    };
    let meta = Parsed {
        rows: Vec::new(),
        format,
        layout: None,
        encoding,
        separator: None,
    };
    let mut sink = Sink::new(opts.max_rows);
    let area_property = opts.area_property.as_deref();
    if format == Format::GeoJson {
        if !is_feature_collection {
            return Err(whole_file(
                ProblemCode::BadJson,
                "Die Datei ist keine GeoJSON-FeatureCollection.",
            ));
        }
        let Some(features) = root.get("features").and_then(Value::as_array) else {
            return Err(whole_file(
                ProblemCode::BadJson,
                "Die FeatureCollection hat keine Liste „features“.",
            ));
        };
        let empty = Map::new();
        let mut saw_date = false;
        for (i, feature) in features.iter().enumerate() {
            let props = feature
                .get("properties")
                .and_then(Value::as_object)
                .unwrap_or(&empty);
            let id = feature.get("id");
            if !properties(&mut sink, i + 1, props, id, area_property, &mut saw_date) {
                break;
            }
        }
        if !saw_date && sink.too_many.is_none() && !features.is_empty() {
            sink.problem(
                None,
                ProblemCode::MissingColumn,
                "Kein Feature hat Eigenschaften der Form DATE_JJJJ-MM-TT.".to_owned(),
            );
        }
    } else {
        let entries =
            match &root {
                Value::Array(a) => a,
                Value::Object(o) => match o.get("indicatorValues") {
                    Some(Value::Array(a)) => a,
                    _ => return Err(whole_file(
                        ProblemCode::BadJson,
                        "Erwartet wird ein Objekt mit der Liste „indicatorValues“ oder eine Liste.",
                    )),
                },
                _ => {
                    return Err(whole_file(
                        ProblemCode::BadJson,
                        "Erwartet wird ein Objekt mit der Liste „indicatorValues“ oder eine Liste.",
                    ))
                }
            };
        let mut saw_date = false;
        for (i, entry) in entries.iter().enumerate() {
            let line = i + 1;
            let Some(obj) = entry.as_object() else {
                sink.problem(
                    Some(line),
                    ProblemCode::BadJson,
                    "Der Eintrag ist kein Objekt.".to_owned(),
                );
                continue;
            };
            let more = match obj.get("valueMapping") {
                Some(mapping) => value_mapping(&mut sink, line, obj, mapping),
                // KomMonitor's values "without geometry": flat `ID` and `DATE_…` properties.
                None if obj.keys().any(|k| is_date_key(k)) => {
                    properties(&mut sink, line, obj, None, area_property, &mut saw_date)
                }
                None => {
                    sink.problem(
                        Some(line),
                        ProblemCode::BadJson,
                        "Der Eintrag hat weder „valueMapping“ noch Eigenschaften DATE_JJJJ-MM-TT."
                            .to_owned(),
                    );
                    true
                }
            };
            if !more {
                break;
            }
        }
    }
    sink.finish(meta, opts.known_areas.as_ref())
}

fn is_date_key(k: &str) -> bool {
    k.get(..5).is_some_and(|p| p.eq_ignore_ascii_case("date_"))
}

fn area_of(v: Option<&Value>) -> Option<String> {
    match v? {
        Value::String(s) if !s.trim().is_empty() => Some(s.trim().to_owned()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

fn json_number(v: Option<&Value>) -> Result<Option<f64>, NotANumber> {
    match v {
        None | Some(Value::Null) => Ok(None),
        Some(Value::Number(n)) => n
            .as_f64()
            .filter(|f| f.is_finite())
            .map(Some)
            .ok_or(NotANumber),
        Some(Value::String(s)) => parse_number(s),
        Some(_) => Err(NotANumber),
    }
}

fn json_text(v: Option<&Value>) -> String {
    match v {
        Some(Value::String(s)) => s.clone(),
        Some(v) => v.to_string(),
        None => String::new(),
    }
}

/// One `{spatialReferenceKey, valueMapping}` entry; false when the import must stop.
fn value_mapping(sink: &mut Sink, line: usize, obj: &Map<String, Value>, mapping: &Value) -> bool {
    let Some(mapping) = mapping.as_array() else {
        sink.problem(
            Some(line),
            ProblemCode::BadJson,
            "„valueMapping“ ist keine Liste.".to_owned(),
        );
        return true;
    };
    if !sink.admit(mapping.len(), Some(line)) {
        return false;
    }
    let area = area_of(obj.get("spatialReferenceKey"));
    if area.is_none() {
        sink.missing_area(line);
    }
    for m in mapping {
        let date = sink.date(line, &json_text(m.get("timestamp")));
        let raw = m.get("indicatorValue");
        let value = json_number(raw);
        if value.is_err() {
            sink.problem(
                Some(line),
                ProblemCode::NotANumber,
                format!(
                    "{} in „indicatorValue“ ist keine Zahl.",
                    shown(&json_text(raw))
                ),
            );
        }
        if let (Some(area), Some(date), Ok(value)) = (&area, date, value) {
            sink.value(line, area, date, value);
        }
    }
    true
}

/// Area id and `DATE_…` values of a GeoJSON feature's properties (or a flat KomMonitor entry);
/// false when the import must stop.
fn properties(
    sink: &mut Sink,
    line: usize,
    props: &Map<String, Value>,
    feature_id: Option<&Value>,
    area_property: Option<&str>,
    saw_date: &mut bool,
) -> bool {
    let count = props.keys().filter(|k| is_date_key(k)).count();
    *saw_date |= count > 0;
    if !sink.admit(count, Some(line)) {
        return false;
    }
    let area = match area_property {
        Some(name) => area_of(props.get(name)),
        None => ID_PROPERTIES
            .iter()
            .find_map(|k| area_of(props.get(*k)))
            .or_else(|| area_of(feature_id)),
    };
    let Some(area) = area else {
        let message = match area_property {
            Some(name) => format!("Die Gebietskennung (Eigenschaft {}) fehlt.", shown(name)),
            None => {
                "Die Gebietskennung fehlt (gesucht: id, ID, spatialReferenceKey, NR).".to_owned()
            }
        };
        sink.problem(Some(line), ProblemCode::MissingArea, message);
        return true;
    };
    for (key, raw) in props.iter().filter(|(k, _)| is_date_key(k)) {
        let date = parse_date(key);
        if date.is_none() {
            sink.problem(
                Some(line),
                ProblemCode::BadDate,
                format!(
                    "Die Eigenschaft {} enthält kein gültiges Datum.",
                    shown(key)
                ),
            );
        }
        let value = json_number(Some(raw));
        if value.is_err() {
            sink.problem(
                Some(line),
                ProblemCode::NotANumber,
                format!(
                    "{} in {} ist keine Zahl.",
                    shown(&json_text(Some(raw))),
                    shown(key)
                ),
            );
        }
        if let (Some(date), Ok(value)) = (date, value) {
            sink.value(line, &area, date, value);
        }
    }
    true
}

// ---------------------------------------------------------------------------------------------
// Checks against the target level

/// Checks parsed rows against the areas of the target level (`code → valid_until`, exclusive):
/// unknown area ids (`UNKNOWN_AREA`, once per id at its first line), rows dated on or after an
/// area's end of validity (`OUTSIDE_VALIDITY`) and repeated (area, date) pairs
/// (`DUPLICATE_ROW`, naming the first line). Sorted by line, capped like [`parse`].
pub fn check_against_areas(
    rows: &[ParsedValue],
    areas: &HashMap<String, Option<NaiveDate>>,
) -> Vec<Problem> {
    let mut problems = Vec::new();
    // Unknown ids in order of first appearance: (code, first line, rows).
    let mut unknown: Vec<(&str, usize, usize)> = Vec::new();
    let mut unknown_index: HashMap<&str, usize> = HashMap::new();
    let mut seen: HashMap<(&str, NaiveDate), usize> = HashMap::with_capacity(rows.len());
    for row in rows {
        let code = row.area_code.as_str();
        match areas.get(code) {
            None => match unknown_index.entry(code) {
                Entry::Occupied(e) => {
                    if let Some(u) = unknown.get_mut(*e.get()) {
                        u.2 += 1;
                    }
                }
                Entry::Vacant(e) => {
                    e.insert(unknown.len());
                    unknown.push((code, row.line, 1));
                }
            },
            Some(Some(until)) if row.date >= *until => problems.push(Problem {
                line: Some(row.line),
                code: ProblemCode::OutsideValidity,
                message: format!(
                    "Das Gebiet {} gilt nur bis vor dem {}; ein Wert zum {} ist nicht möglich.",
                    shown(code),
                    german_date(*until),
                    german_date(row.date)
                ),
            }),
            Some(_) => {}
        }
        match seen.entry((code, row.date)) {
            Entry::Occupied(e) => problems.push(Problem {
                line: Some(row.line),
                code: ProblemCode::DuplicateRow,
                message: format!(
                    "Für das Gebiet {} und den {} gibt es schon einen Wert (Zeile {}).",
                    shown(code),
                    german_date(row.date),
                    e.get()
                ),
            }),
            Entry::Vacant(e) => {
                e.insert(row.line);
            }
        }
    }
    for (code, line, count) in unknown {
        let also = if count > 1 {
            format!(" ({} Werte)", german_int(count))
        } else {
            String::new()
        };
        problems.push(Problem {
            line: Some(line),
            code: ProblemCode::UnknownArea,
            message: format!(
                "Das Gebiet {} gibt es auf dieser Raumebene nicht{also}.",
                shown(code)
            ),
        });
    }
    problems.sort_by_key(|p| p.line);
    cap(problems)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Instant;

    fn date(y: i32, m: u32, d: u32) -> NaiveDate {
        match NaiveDate::from_ymd_opt(y, m, d) {
            Some(d) => d,
            None => panic!("bad test date"),
        }
    }

    fn ok(bytes: &[u8]) -> Parsed {
        match parse(bytes, &ImportOptions::default()) {
            Ok(p) => p,
            Err(problems) => panic!("unexpected problems: {problems:#?}"),
        }
    }

    fn problems(bytes: &[u8], opts: &ImportOptions) -> Vec<(Option<usize>, &'static str)> {
        match parse(bytes, opts) {
            Ok(p) => panic!("expected problems, got {p:#?}"),
            Err(problems) => problems.iter().map(|p| (p.line, p.code.as_str())).collect(),
        }
    }

    fn err(bytes: &[u8]) -> Vec<(Option<usize>, &'static str)> {
        problems(bytes, &ImportOptions::default())
    }

    fn triples(p: &Parsed) -> Vec<(usize, &str, NaiveDate, Option<f64>)> {
        p.rows
            .iter()
            .map(|r| (r.line, r.area_code.as_str(), r.date, r.value))
            .collect()
    }

    #[test]
    fn numbers() {
        let cases: &[(&str, Option<f64>)] = &[
            ("12", Some(12.0)),
            (" 12,5 ", Some(12.5)),
            ("12.5", Some(12.5)),
            ("1.234,5", Some(1234.5)),
            ("1,234.5", Some(1234.5)),
            ("1.234.567", Some(1_234_567.0)),
            ("1,234,567", Some(1_234_567.0)),
            ("-3,25", Some(-3.25)),
            ("+7", Some(7.0)),
            (",5", Some(0.5)),
            ("1,5E3", Some(1500.0)),
            ("2e-2", Some(0.02)),
            ("-", Some(0.0)),
            ("–", Some(0.0)),
            ("", None),
            ("  ", None),
            ("NA", None),
            ("n/a", None),
            (".", None),
            ("..", None),
            ("...", None),
            ("x", None),
            ("X", None),
            ("geheim", None),
            ("keine Daten", None),
        ];
        for (s, want) in cases {
            assert_eq!(parse_number(s), Ok(*want), "{s:?}");
        }
        for s in [
            "abc", "NaN", "inf", "-inf", "12a", "1.2.3", "12,34,5", "1,2.5", "1e", "--1", ",",
            "1 2", "e5",
        ] {
            assert_eq!(parse_number(s), Err(NotANumber), "{s:?}");
        }
    }

    #[test]
    fn dates() {
        assert_eq!(parse_date("2012"), Some(date(2012, 12, 31)));
        assert_eq!(parse_date("2012-06-30"), Some(date(2012, 6, 30)));
        assert_eq!(parse_date("31.12.2012"), Some(date(2012, 12, 31)));
        assert_eq!(parse_date("1.2.2012"), Some(date(2012, 2, 1)));
        assert_eq!(parse_date("2012-02"), Some(date(2012, 2, 29)));
        assert_eq!(parse_date("2012-12"), Some(date(2012, 12, 31)));
        assert_eq!(parse_date("DATE_2012-12-31"), Some(date(2012, 12, 31)));
        assert_eq!(parse_date("2012-12-31T00:00:00Z"), Some(date(2012, 12, 31)));
        for s in [
            "",
            "12",
            "0101",
            "9999",
            "2012-13-01",
            "2012-02-30",
            "31.12.12",
            "gebiet",
            "2012.5",
        ] {
            assert_eq!(parse_date(s), None, "{s:?}");
        }
    }

    #[test]
    fn long_semicolon_decimal_comma() {
        let p =
            ok(b"Gebiet_ID;Jahr;Wert;Zaehler;Nenner\n101;2012;12,5;25;200\n102;31.12.2013;NA;;\n");
        assert_eq!(p.format, Format::Csv);
        assert_eq!(p.layout, Some(Layout::Long));
        assert_eq!(p.separator, Some(';'));
        assert_eq!(p.encoding, "UTF-8");
        assert_eq!(
            p.rows,
            vec![
                ParsedValue {
                    line: 2,
                    area_code: "101".into(),
                    date: date(2012, 12, 31),
                    value: Some(12.5),
                    numerator: Some(25.0),
                    denominator: Some(200.0),
                },
                ParsedValue {
                    line: 3,
                    area_code: "102".into(),
                    date: date(2013, 12, 31),
                    value: None,
                    numerator: None,
                    denominator: None,
                },
            ]
        );
    }

    #[test]
    fn long_comma_and_tab_and_crlf() {
        let p = ok(b"area,date,value\r\n7,2012-12-31,1.5\r\n");
        assert_eq!(p.separator, Some(','));
        assert_eq!(triples(&p), vec![(2, "7", date(2012, 12, 31), Some(1.5))]);
        let p = ok(b"raum_id\tstichtag\tindicatorValue\n7\t2012\t1,5\n8\t2012\t-\n");
        assert_eq!(p.separator, Some('\t'));
        assert_eq!(
            triples(&p),
            vec![
                (2, "7", date(2012, 12, 31), Some(1.5)),
                (3, "8", date(2012, 12, 31), Some(0.0)),
            ]
        );
    }

    #[test]
    fn long_by_position_and_override() {
        let p = ok(b"a;b;c\n7;2012;3\n");
        assert_eq!(triples(&p), vec![(2, "7", date(2012, 12, 31), Some(3.0))]);
        let opts = ImportOptions {
            area_property: Some("Bezirksnummer".into()),
            ..ImportOptions::default()
        };
        let p = match parse(b"name;bezirksnummer;jahr;wert\nNord;7;2012;3\n", &opts) {
            Ok(p) => p,
            Err(e) => panic!("{e:?}"),
        };
        assert_eq!(triples(&p), vec![(2, "7", date(2012, 12, 31), Some(3.0))]);
    }

    #[test]
    fn missing_column() {
        assert_eq!(
            err(b"gebiet;jahr;anzahl\n1;2012;3\n"),
            vec![(Some(1), "MISSING_COLUMN")]
        );
    }

    #[test]
    fn bom_keeps_line_numbers() {
        let p = ok("\u{feff}gebiet;jahr;wert\n1;2012;3\n".as_bytes());
        assert_eq!(p.encoding, "UTF-8");
        assert_eq!(triples(&p), vec![(2, "1", date(2012, 12, 31), Some(3.0))]);
        assert_eq!(
            err("\u{feff}gebiet;jahr;wert\n1;2012;3\n\n2;2012;drei\n".as_bytes()),
            vec![(Some(4), "NOT_A_NUMBER")]
        );
    }

    #[test]
    fn crlf_and_blank_lines_keep_line_numbers() {
        let csv = "gebiet;jahr;wert\r\n1;2012;3\r\n\r\n\r\n2;2012;drei\r\n3;\"x\r\ny\";4\r\n4;2012;vier\r\n";
        assert_eq!(
            err(csv.as_bytes()),
            vec![
                (Some(5), "NOT_A_NUMBER"),
                (Some(6), "BAD_DATE"),
                (Some(8), "NOT_A_NUMBER")
            ]
        );
    }

    #[test]
    fn windows_1252() {
        // "Schlüssel;Gebiet Köln;Jahr;Wert" / "Bärenkamp;Mäckingerbach;2012;1,5" in Windows-1252.
        let bytes =
            b"Schl\xfcssel;Gebiet K\xf6ln;Jahr;Wert\nB\xe4renkamp;M\xe4ckingerbach;2012;1,5\n";
        let p = ok(bytes);
        assert_eq!(p.encoding, "windows-1252");
        assert_eq!(
            triples(&p),
            vec![(2, "Bärenkamp", date(2012, 12, 31), Some(1.5))]
        );
    }

    #[test]
    fn utf16_excel_unicode_text() {
        let text = "gebiet\tjahr\twert\n1\t2012\t3,5\n";
        let mut bytes = vec![0xFF, 0xFE];
        for u in text.encode_utf16() {
            bytes.extend_from_slice(&u.to_le_bytes());
        }
        let p = ok(&bytes);
        assert_eq!(p.encoding, "UTF-16LE");
        assert_eq!(triples(&p), vec![(2, "1", date(2012, 12, 31), Some(3.5))]);
    }

    #[test]
    fn ragged_row_after_quoted_separator() {
        let csv = "gebiet;name;jahr;wert\n1;\"Nord; Mitte\";2012;5\n2;Süd;2012\n";
        assert_eq!(err(csv.as_bytes()), vec![(Some(3), "RAGGED_ROW")]);
        // A quoted line break still counts as a physical line.
        let csv = "gebiet;name;jahr;wert\n1;\"Nord\nMitte\";2012;5\n2;Süd;2012\n";
        assert_eq!(err(csv.as_bytes()), vec![(Some(4), "RAGGED_ROW")]);
    }

    #[test]
    fn collects_all_problems_with_lines() {
        let csv = "gebiet;jahr;wert;zaehler\n1;2012;viel;3\n;2012;1;1\n3;20122;1;1\n4;2012;1;z\n";
        let got = match parse(csv.as_bytes(), &ImportOptions::default()) {
            Ok(p) => panic!("{p:?}"),
            Err(e) => e,
        };
        let codes: Vec<_> = got.iter().map(|p| (p.line, p.code.as_str())).collect();
        assert_eq!(
            codes,
            vec![
                (Some(2), "NOT_A_NUMBER"),
                (Some(3), "MISSING_AREA"),
                (Some(4), "BAD_DATE"),
                (Some(5), "NOT_A_NUMBER"),
            ]
        );
        assert!(got[0].message.contains("„viel“") && got[0].message.contains("„wert“"));
        assert!(got[3].message.contains("„zaehler“"));
    }

    #[test]
    fn problems_are_capped() {
        let mut csv = String::from("gebiet;jahr;wert\n");
        for i in 0..1_500 {
            csv.push_str(&format!("{i};2012;kaputt\n"));
        }
        let got = match parse(csv.as_bytes(), &ImportOptions::default()) {
            Ok(p) => panic!("{p:?}"),
            Err(e) => e,
        };
        assert_eq!(got.len(), MAX_PROBLEMS + 1);
        let last = &got[MAX_PROBLEMS];
        assert_eq!(last.code, ProblemCode::TooManyProblems);
        assert!(last.message.contains("500"), "{}", last.message);
    }

    #[test]
    fn empty_and_header_only() {
        assert_eq!(err(b""), vec![(None, "EMPTY_FILE")]);
        assert_eq!(err(b" \n\r\n"), vec![(None, "EMPTY_FILE")]);
        assert_eq!(err(b"gebiet;jahr;wert\n"), vec![(None, "EMPTY_FILE")]);
        assert_eq!(err(b"gebiet;jahr;wert\n;;\n"), vec![(None, "EMPTY_FILE")]);
        assert_eq!(err(b"{\"indicatorValues\":[]}"), vec![(None, "EMPTY_FILE")]);
    }

    #[test]
    fn too_many_rows_fails_fast() {
        let mut csv = String::with_capacity(20_000_000);
        csv.push_str("gebiet;jahr;wert\n");
        for i in 0..1_000_001u32 {
            csv.push_str(&i.to_string());
            csv.push_str(";2012;12,5\n");
        }
        let started = Instant::now();
        let got = err(csv.as_bytes());
        assert_eq!(got, vec![(None, "TOO_MANY_ROWS")]);
        let elapsed = started.elapsed();
        eprintln!("1,000,001 rows rejected in {elapsed:?}");
        assert!(elapsed.as_secs_f64() < 1.0, "took {elapsed:?}");

        let opts = ImportOptions {
            max_rows: 3,
            ..ImportOptions::default()
        };
        // Wide: every area row holds two values.
        let wide = b"gebiet;2011;2012\n1;1;2\n2;3;4\n";
        assert_eq!(problems(wide, &opts), vec![(None, "TOO_MANY_ROWS")]);
        // Within the limit: blank lines, empty rows and quoted line breaks are not rows.
        let csv = "gebiet;name;jahr;wert\n\n1;\"a\nb\nc\";2012;1\n;;;\n2;b;2012;2\n3;c;2012;3\n";
        match parse(csv.as_bytes(), &opts) {
            Ok(p) => assert_eq!(p.rows.len(), 3),
            Err(e) => panic!("{e:?}"),
        }
        // JSON stops while reading.
        let json = r#"[{"spatialReferenceKey":"1","valueMapping":[
            {"timestamp":"2011","indicatorValue":1},{"timestamp":"2012","indicatorValue":1}]},
            {"spatialReferenceKey":"2","valueMapping":[{"timestamp":"2012","indicatorValue":1},
            {"timestamp":"2013","indicatorValue":1}]}]"#;
        assert_eq!(
            problems(json.as_bytes(), &opts),
            vec![(Some(2), "TOO_MANY_ROWS")]
        );
    }

    #[test]
    fn wide_layout() {
        let csv = "gebiet_id;gebiet;2012;DATE_2013-12-31;31.12.2014\n\
                   101;\"Nord; Altstadt\";1,5;;geheim\n\
                   102;Süd;2;3;4\n";
        let p = ok(csv.as_bytes());
        assert_eq!(p.layout, Some(Layout::Wide));
        assert_eq!(
            triples(&p),
            vec![
                (2, "101", date(2012, 12, 31), Some(1.5)),
                (2, "101", date(2013, 12, 31), None),
                (2, "101", date(2014, 12, 31), None),
                (3, "102", date(2012, 12, 31), Some(2.0)),
                (3, "102", date(2013, 12, 31), Some(3.0)),
                (3, "102", date(2014, 12, 31), Some(4.0)),
            ]
        );
        // A "wert" column means long even though a header looks like a year.
        let p = ok(b"gebiet;2012;wert;jahr\n1;x;5;2012\n");
        assert_eq!(p.layout, Some(Layout::Long));
        // Forced wide without date headers.
        let opts = ImportOptions {
            layout: Layout::Wide,
            ..ImportOptions::default()
        };
        assert_eq!(
            problems(b"gebiet;jahr;wert\n1;2012;3\n", &opts),
            vec![(Some(1), "MISSING_COLUMN")]
        );
    }

    #[test]
    fn kommonitor_json() {
        let json = r#"{"indicatorValues":[
            {"spatialReferenceKey":"101","valueMapping":[
                {"timestamp":"2012-12-31","indicatorValue":123.4},
                {"timestamp":"2013-12-31","indicatorValue":null},
                {"timestamp":"2014-12-31","indicatorValue":"1,5"}]},
            {"spatialReferenceKey":102,"valueMapping":[{"timestamp":"2012-12-31","indicatorValue":7}]}
        ]}"#;
        let p = ok(json.as_bytes());
        assert_eq!(p.format, Format::KomMonitorJson);
        assert_eq!(p.layout, None);
        assert_eq!(
            triples(&p),
            vec![
                (1, "101", date(2012, 12, 31), Some(123.4)),
                (1, "101", date(2013, 12, 31), None),
                (1, "101", date(2014, 12, 31), Some(1.5)),
                (2, "102", date(2012, 12, 31), Some(7.0)),
            ]
        );
        // A top-level array of entries, with problems per entry.
        let json = r#"[{"spatialReferenceKey":"1","valueMapping":[{"timestamp":"2012","indicatorValue":1}]},
            {"valueMapping":[{"timestamp":"2012-12-31","indicatorValue":1}]},
            {"spatialReferenceKey":"3","valueMapping":[{"timestamp":"gestern","indicatorValue":"viel"}]}]"#;
        assert_eq!(
            err(json.as_bytes()),
            vec![
                (Some(2), "MISSING_AREA"),
                (Some(3), "BAD_DATE"),
                (Some(3), "NOT_A_NUMBER")
            ]
        );
        assert_eq!(err(b"{\"indicatorValues\": [1,"), vec![(None, "BAD_JSON")]);
    }

    #[test]
    fn geojson() {
        let json = r#"{"type":"FeatureCollection","features":[
            {"type":"Feature","geometry":null,"properties":{"ID":"101","NAME":"Nord","DATE_2012-12-31":1.5,"DATE_2013-12-31":null}},
            {"type":"Feature","id":"102","geometry":null,"properties":{"NAME":"Süd","DATE_2012-12-31":"2,5"}}
        ]}"#;
        let p = ok(json.as_bytes());
        assert_eq!(p.format, Format::GeoJson);
        assert_eq!(
            triples(&p),
            vec![
                (1, "101", date(2012, 12, 31), Some(1.5)),
                (1, "101", date(2013, 12, 31), None),
                (2, "102", date(2012, 12, 31), Some(2.5)),
            ]
        );
        let opts = ImportOptions {
            area_property: Some("NAME".into()),
            ..ImportOptions::default()
        };
        let p = match parse(json.as_bytes(), &opts) {
            Ok(p) => p,
            Err(e) => panic!("{e:?}"),
        };
        assert_eq!(p.rows[2].area_code, "Süd");
        let json = r#"{"type":"FeatureCollection","features":[
            {"type":"Feature","properties":{"DATE_2012-12-31":1}},
            {"type":"Feature","properties":{"id":"2","DATE_2012-13-31":1,"DATE_2013-12-31":true}}]}"#;
        assert_eq!(
            err(json.as_bytes()),
            vec![
                (Some(1), "MISSING_AREA"),
                (Some(2), "BAD_DATE"),
                (Some(2), "NOT_A_NUMBER")
            ]
        );
        let json = r#"{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"id":"1"}}]}"#;
        assert_eq!(err(json.as_bytes()), vec![(None, "MISSING_COLUMN")]);
    }

    #[test]
    fn check_against_level() {
        let row = |line: usize, code: &str, year: i32| ParsedValue {
            line,
            area_code: code.into(),
            date: date(year, 12, 31),
            value: Some(1.0),
            numerator: None,
            denominator: None,
        };
        let rows = vec![
            row(2, "1", 2012),
            row(3, "2", 2012),
            row(4, "9", 2012),
            row(5, "1", 2012),
            row(6, "2", 2015),
            row(7, "9", 2013),
        ];
        let areas: HashMap<String, Option<NaiveDate>> = [
            ("1".to_owned(), None),
            ("2".to_owned(), Some(date(2014, 1, 1))),
        ]
        .into_iter()
        .collect();
        let got = check_against_areas(&rows, &areas);
        let codes: Vec<_> = got.iter().map(|p| (p.line, p.code.as_str())).collect();
        assert_eq!(
            codes,
            vec![
                (Some(4), "UNKNOWN_AREA"),
                (Some(5), "DUPLICATE_ROW"),
                (Some(6), "OUTSIDE_VALIDITY"),
            ]
        );
        assert!(got[0].message.contains("2 Werte"), "{}", got[0].message);
        assert!(got[1].message.contains("Zeile 2"), "{}", got[1].message);
        // The end of validity itself is already outside.
        let on_end = [ParsedValue {
            date: date(2014, 1, 1),
            ..row(2, "2", 2014)
        }];
        assert_eq!(check_against_areas(&on_end, &areas).len(), 1);
    }

    #[test]
    fn enums_round_trip_as_strings() {
        for f in Format::ALL {
            assert_eq!(f.as_str().parse::<Format>(), Ok(f));
        }
        for l in Layout::ALL {
            assert_eq!(l.as_str().parse::<Layout>(), Ok(l));
        }
        assert!("xml".parse::<Format>().is_err());
        assert_eq!(ProblemCode::TooManyRows.as_str(), "TOO_MANY_ROWS");
    }

    #[test]
    #[ignore = "timing; run with --release --ignored"]
    fn parses_300k_rows_quickly() {
        let mut csv = String::from("gebiet_id;jahr;wert;zaehler;nenner\n");
        for i in 0..300_000u32 {
            csv.push_str(&format!(
                "{};{};{},5;{};{}\n",
                i % 3000,
                2000 + i / 3000,
                i,
                i,
                i + 7
            ));
        }
        let started = Instant::now();
        let p = ok(csv.as_bytes());
        let elapsed = started.elapsed();
        eprintln!("300,000 rows parsed in {elapsed:?}");
        assert_eq!(p.rows.len(), 300_000);
        assert!(elapsed.as_secs_f64() < 1.0, "took {elapsed:?}");
    }
}
