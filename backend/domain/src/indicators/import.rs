//! Reading indicator values from the files municipalities already keep: CSV in long or wide
//! layout (spreadsheets, statistics offices), KomMonitor's value JSON and KomMonitor's indicator
//! GeoJSON. Every problem is collected with its line (JSON: entry or feature number) so a planner
//! can fix the file in one go. Nothing is stored from here; whether the areas exist on the target
//! level is checked separately by [`check_against_areas`].

mod csv_files;
mod json_files;
mod level_check;
mod numbers;
mod sink;
use csv_files::*;
use json_files::*;
pub use level_check::*;
pub use numbers::*;
use sink::*;

use super::UnknownValue;
use chrono::{Datelike, Months, NaiveDate};
use serde::{Serialize, Serializer};
use serde_json::{Map, Value};
use std::borrow::Cow;
use std::collections::hash_map::Entry;
use std::collections::HashMap;
use std::fmt;

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

str_enum!(Format, UnknownValue, UnknownValue, {
    Auto => "auto",
    Csv => "csv",
    KomMonitorJson => "kommonitor",
    GeoJson => "geojson",
});
str_enum!(Layout, UnknownValue, UnknownValue, {
    Auto => "auto",
    Long => "long",
    Wide => "wide",
});

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
