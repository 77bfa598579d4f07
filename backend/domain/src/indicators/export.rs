//! Writing indicator values in the formats [`super::import`] reads back: CSV for German
//! spreadsheets (long and wide), KomMonitor's value JSON and the properties of KomMonitor's
//! indicator GeoJSON. A suppressed cell never leaves with its number or its counts.
//!
//! CSV is UTF-8 with BOM (so Excel detects the encoding), `;` separated, decimal comma, CRLF line
//! ends. Every field goes through [`crate::csv_out`], which defuses formula starts (OWASP "CSV
//! injection").

use super::Cell;
use chrono::NaiveDate;
use serde_json::{Map, Value};
use std::cmp::Ordering;
use std::collections::HashMap;

/// One value of one area at one date, as it may leave the server (after disclosure control).
#[derive(Debug, Clone, PartialEq)]
pub struct ExportRow {
    pub area_code: String,
    pub area_name: String,
    pub date: NaiveDate,
    pub cell: Cell,
    pub numerator: Option<f64>,
    pub denominator: Option<f64>,
}

/// Status column text of a suppressed cell, and its text in a wide CSV.
pub const SUPPRESSED: &str = "geheim";
/// Status column text of a cell without data (wide CSV: empty field).
pub const NO_DATA: &str = "keine Daten";

/// Long layout, one row per area and date, sorted by area code and date:
/// `gebiet_id;gebiet;datum;wert;zaehler;nenner;status;indikator`. `status` is empty for a
/// value, `keine Daten` or `geheim` otherwise, and then `wert`, `zaehler` and `nenner` are
/// empty. `wert` has `precision` decimals; counts are written without decimals when whole.
pub fn csv_long(indicator_name: &str, rows: &[ExportRow], precision: u32) -> String {
    write_csv(|w| {
        w.write_record([
            "gebiet_id",
            "gebiet",
            "datum",
            "wert",
            "zaehler",
            "nenner",
            "status",
            "indikator",
        ])?;
        for row in sorted(rows) {
            let (value, numerator, denominator, status) = match row.cell {
                Cell::Value(v) if v.is_finite() => (
                    decimal(v, precision),
                    row.numerator.map(|n| count(n, precision)),
                    row.denominator.map(|d| count(d, precision)),
                    "",
                ),
                Cell::Suppressed => (String::new(), None, None, SUPPRESSED),
                Cell::Value(_) | Cell::NoData => (String::new(), None, None, NO_DATA),
            };
            let date = row.date.format("%Y-%m-%d").to_string();
            w.write_record([
                row.area_code.as_str(),
                row.area_name.as_str(),
                date.as_str(),
                value.as_str(),
                numerator.as_deref().unwrap_or_default(),
                denominator.as_deref().unwrap_or_default(),
                status,
                indicator_name,
            ])?;
        }
        Ok(())
    })
}

/// Wide layout, one row per area (sorted by code), one column per date (sorted):
/// `gebiet_id;gebiet;2011-12-31;2012-12-31;…`. No data (or no row) is an empty field, a
/// suppressed cell is `geheim`; both read back as "no data".
pub fn csv_wide(rows: &[ExportRow], precision: u32) -> String {
    let mut dates: Vec<NaiveDate> = rows.iter().map(|r| r.date).collect();
    dates.sort_unstable();
    dates.dedup();
    let mut names: HashMap<&str, &str> = HashMap::new();
    let mut cells: HashMap<(&str, NaiveDate), Cell> = HashMap::with_capacity(rows.len());
    for row in rows {
        names
            .entry(row.area_code.as_str())
            .or_insert(row.area_name.as_str());
        cells.insert((row.area_code.as_str(), row.date), row.cell);
    }
    let mut codes: Vec<&str> = names.keys().copied().collect();
    codes.sort_unstable_by(|a, b| cmp_codes(a, b));
    write_csv(|w| {
        let mut header = vec!["gebiet_id".to_owned(), "gebiet".to_owned()];
        header.extend(dates.iter().map(|d| d.format("%Y-%m-%d").to_string()));
        w.write_record(&header)?;
        let mut record: Vec<String> = Vec::with_capacity(header.len());
        for code in codes {
            record.clear();
            record.push(code.to_string());
            record.push(names.get(code).copied().unwrap_or_default().to_owned());
            for date in &dates {
                record.push(match cells.get(&(code, *date)) {
                    Some(Cell::Value(v)) if v.is_finite() => decimal(*v, precision),
                    Some(Cell::Suppressed) => SUPPRESSED.to_owned(),
                    Some(Cell::Value(_) | Cell::NoData) | None => String::new(),
                });
            }
            w.write_record(&record)?;
        }
        Ok(())
    })
}

/// KomMonitor's value JSON: `{"indicatorValues":[{"spatialReferenceKey", "valueMapping":
/// [{"timestamp","indicatorValue"}]}]}`, entries sorted by area code, mappings by timestamp.
/// `indicatorValue` is null for no data and for suppressed cells; values are not rounded.
pub fn kommonitor_json(rows: &[ExportRow]) -> Value {
    let mut entries: Vec<Value> = Vec::new();
    let mut current: Option<(&str, Vec<Value>)> = None;
    for row in sorted(rows) {
        let mapping = serde_json::json!({
            "timestamp": row.date.format("%Y-%m-%d").to_string(),
            "indicatorValue": json_value(row.cell),
        });
        match &mut current {
            Some((code, list)) if *code == row.area_code => list.push(mapping),
            _ => {
                if let Some((code, list)) = current.take() {
                    entries.push(entry(code, list));
                }
                current = Some((row.area_code.as_str(), vec![mapping]));
            }
        }
    }
    if let Some((code, list)) = current {
        entries.push(entry(code, list));
    }
    serde_json::json!({ "indicatorValues": entries })
}

/// Properties of one area's feature in KomMonitor's indicator GeoJSON: `ID` and `NAME` (from the
/// first row) and `DATE_YYYY-MM-DD` → value, or null for no data and suppressed cells. The
/// server adds the geometry.
pub fn geojson_properties(rows_of_one_area: &[ExportRow]) -> Map<String, Value> {
    let mut props = Map::new();
    if let Some(first) = rows_of_one_area.first() {
        props.insert("ID".to_owned(), Value::from(first.area_code.as_str()));
        props.insert("NAME".to_owned(), Value::from(first.area_name.as_str()));
    }
    for row in rows_of_one_area {
        props.insert(
            format!("DATE_{}", row.date.format("%Y-%m-%d")),
            json_value(row.cell),
        );
    }
    props
}

fn entry(code: &str, mapping: Vec<Value>) -> Value {
    serde_json::json!({ "spatialReferenceKey": code, "valueMapping": mapping })
}

fn json_value(cell: Cell) -> Value {
    // `Value::from(f64)` is null for NaN and infinity.
    cell.value().map_or(Value::Null, Value::from)
}

fn sorted(rows: &[ExportRow]) -> Vec<&ExportRow> {
    let mut sorted: Vec<&ExportRow> = rows.iter().collect();
    sorted.sort_by(|a, b| cmp_codes(&a.area_code, &b.area_code).then(a.date.cmp(&b.date)));
    sorted
}

/// Numeric codes in numeric order (`9` before `10`), everything else as text.
fn cmp_codes(a: &str, b: &str) -> Ordering {
    let numeric = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    if numeric(a) && numeric(b) {
        let (ta, tb) = (a.trim_start_matches('0'), b.trim_start_matches('0'));
        ta.len()
            .cmp(&tb.len())
            .then_with(|| ta.cmp(tb))
            .then_with(|| a.cmp(b))
    } else {
        a.cmp(b)
    }
}

/// `precision` decimals with a decimal comma, no thousands separators (they would make the
/// number ambiguous on import), and no `-0,0`.
fn decimal(v: f64, precision: u32) -> String {
    let mut s = format!("{:.*}", precision as usize, v);
    if s.starts_with('-') && s.bytes().skip(1).all(|b| b == b'0' || b == b'.') {
        s.remove(0);
    }
    s.replace('.', ",")
}

/// Counts are whole numbers: no decimals then.
fn count(v: f64, precision: u32) -> String {
    if v.fract() == 0.0 && v.abs() < 1e15 {
        format!("{v:.0}")
    } else {
        decimal(v, precision)
    }
}

pub(crate) fn write_csv(
    body: impl FnOnce(&mut crate::csv_out::Sheet) -> csv::Result<()>,
) -> String {
    let mut sheet = crate::csv_out::Sheet::new(true, true);
    // Writing into memory cannot fail; a failure would only cut the file short.
    let _ = body(&mut sheet);
    sheet.into_string()
}

#[cfg(test)]
mod tests {
    use super::super::import::{parse, ImportOptions, Layout, Parsed};
    use super::*;

    fn date(y: i32) -> NaiveDate {
        match NaiveDate::from_ymd_opt(y, 12, 31) {
            Some(d) => d,
            None => panic!("bad test date"),
        }
    }

    fn row(code: &str, name: &str, year: i32, cell: Cell) -> ExportRow {
        let (numerator, denominator) = match cell {
            Cell::Value(v) => (Some(v * 2.0), Some(200.0)),
            // Callers may pass counts along; they must not leave with a hidden cell.
            Cell::Suppressed | Cell::NoData => (Some(2.0), Some(200.0)),
        };
        ExportRow {
            area_code: code.into(),
            area_name: name.into(),
            date: date(year),
            cell,
            numerator,
            denominator,
        }
    }

    fn rows() -> Vec<ExportRow> {
        vec![
            row("10", "Süd; Altstadt", 2012, Cell::Value(1.23456)),
            row("9", "Nord \"alt\"", 2013, Cell::Suppressed),
            row("9", "Nord \"alt\"", 2012, Cell::Value(-0.5)),
            row("10", "Süd; Altstadt", 2013, Cell::NoData),
        ]
    }

    fn read(text: &str) -> Parsed {
        match parse(text.as_bytes(), &ImportOptions::default()) {
            Ok(p) => p,
            Err(e) => panic!("{e:#?}\n{text}"),
        }
    }

    fn values(p: &Parsed) -> Vec<(String, NaiveDate, Option<f64>)> {
        let mut v: Vec<_> = p
            .rows
            .iter()
            .map(|r| (r.area_code.clone(), r.date, r.value))
            .collect();
        v.sort_by(|a, b| a.0.cmp(&b.0).then(a.1.cmp(&b.1)));
        v
    }

    fn expected() -> Vec<(String, NaiveDate, Option<f64>)> {
        vec![
            ("10".into(), date(2012), Some(1.23)),
            ("10".into(), date(2013), None),
            ("9".into(), date(2012), Some(-0.5)),
            ("9".into(), date(2013), None),
        ]
    }

    #[test]
    fn long_csv_for_german_spreadsheets() {
        let text = csv_long("SGB-II-Quote", &rows(), 2);
        assert!(text.starts_with('\u{feff}'));
        let lines: Vec<&str> = text.trim_start_matches('\u{feff}').split("\r\n").collect();
        assert_eq!(
            lines,
            vec![
                "gebiet_id;gebiet;datum;wert;zaehler;nenner;status;indikator",
                "9;\"Nord \"\"alt\"\"\";2012-12-31;-0,50;-1;200;;SGB-II-Quote",
                "9;\"Nord \"\"alt\"\"\";2013-12-31;;;;geheim;SGB-II-Quote",
                "10;\"Süd; Altstadt\";2012-12-31;1,23;2,47;200;;SGB-II-Quote",
                "10;\"Süd; Altstadt\";2013-12-31;;;;keine Daten;SGB-II-Quote",
                "",
            ]
        );
    }

    #[test]
    fn long_csv_round_trip() {
        let p = read(&csv_long("Quote", &rows(), 2));
        assert_eq!(p.layout, Some(Layout::Long));
        assert_eq!(values(&p), expected());
        let counts: Vec<_> = p
            .rows
            .iter()
            .map(|r| (r.numerator, r.denominator))
            .collect();
        assert_eq!(
            counts,
            vec![
                (Some(-1.0), Some(200.0)),
                (None, None),
                (Some(2.47), Some(200.0)),
                (None, None)
            ]
        );
    }

    #[test]
    fn wide_csv_and_round_trip() {
        let text = csv_wide(&rows(), 2);
        let lines: Vec<&str> = text.trim_start_matches('\u{feff}').split("\r\n").collect();
        assert_eq!(
            lines,
            vec![
                "gebiet_id;gebiet;2012-12-31;2013-12-31",
                "9;\"Nord \"\"alt\"\"\";-0,50;geheim",
                "10;\"Süd; Altstadt\";1,23;",
                "",
            ]
        );
        let p = read(&text);
        assert_eq!(p.layout, Some(Layout::Wide));
        assert_eq!(values(&p), expected());
    }

    #[test]
    fn kommonitor_json_and_round_trip() {
        let json = kommonitor_json(&rows());
        let want = serde_json::json!({"indicatorValues": [
            {"spatialReferenceKey": "9", "valueMapping": [
                {"timestamp": "2012-12-31", "indicatorValue": -0.5},
                {"timestamp": "2013-12-31", "indicatorValue": null}]},
            {"spatialReferenceKey": "10", "valueMapping": [
                {"timestamp": "2012-12-31", "indicatorValue": 1.23456},
                {"timestamp": "2013-12-31", "indicatorValue": null}]}
        ]});
        assert_eq!(json, want);
        let p = read(&json.to_string());
        let mut exact = expected();
        exact[0].2 = Some(1.23456);
        assert_eq!(values(&p), exact);
    }

    #[test]
    fn geojson_properties_round_trip() {
        let rows = rows();
        let nine: Vec<ExportRow> = rows
            .iter()
            .filter(|r| r.area_code == "9")
            .cloned()
            .collect();
        let props = geojson_properties(&nine);
        assert_eq!(props.get("ID"), Some(&Value::from("9")));
        assert_eq!(props.get("DATE_2012-12-31"), Some(&Value::from(-0.5)));
        assert_eq!(props.get("DATE_2013-12-31"), Some(&Value::Null));
        let fc = serde_json::json!({"type": "FeatureCollection", "features": [
            {"type": "Feature", "geometry": null, "properties": props}]});
        let p = read(&fc.to_string());
        assert_eq!(values(&p), expected()[2..].to_vec());
    }

    #[test]
    fn csv_injection_is_defused() {
        let rows = vec![
            row("=1+1", "=HYPERLINK(\"http://x\")", 2012, Cell::Value(1.0)),
            row("2", "+49 Nord", 2012, Cell::Value(1.0)),
            row("3", "-Süd", 2012, Cell::Value(-1.0)),
            row("4", "@SUM(A1)", 2012, Cell::Value(1.0)),
            row("5", "Mitte", 2012, Cell::Value(1.0)),
        ];
        let long = csv_long("=cmd", &rows, 0);
        assert!(long.contains("\"'=HYPERLINK(\"\"http://x\"\")\""), "{long}");
        assert!(long.contains("'=1+1;"), "{long}");
        assert!(long.contains(";'+49 Nord;"), "{long}");
        assert!(long.contains(";'-Süd;2012-12-31;-1;"), "{long}");
        assert!(long.contains(";'@SUM(A1);"), "{long}");
        assert!(long.contains(";Mitte;"), "{long}");
        assert!(long.contains(";'=cmd\r\n"), "{long}");
        let wide = csv_wide(&rows, 0);
        assert!(wide.contains("\r\n3;'-Süd;-1\r\n"), "{wide}");
    }

    #[test]
    fn decimals() {
        assert_eq!(decimal(1234.5678, 2), "1234,57");
        assert_eq!(decimal(-0.001, 2), "0,00");
        assert_eq!(decimal(3.0, 0), "3");
        assert_eq!(count(1234.0, 2), "1234");
        assert_eq!(count(2.5, 1), "2,5");
        assert_eq!(cmp_codes("9", "10"), Ordering::Less);
        assert_eq!(cmp_codes("A9", "A10"), Ordering::Greater);
    }
}
