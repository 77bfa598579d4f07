//! Bulk import of offers from GeoJSON points (e.g. OpenStreetMap extracts) or CSV with
//! coordinates (e.g. a city's list of Kitas), through a property mapping. Every record becomes
//! an actor (reused when one of the same name is near) with one offer. Reading and checking
//! happen here, without I/O; the server compares with what is stored and writes it all in one
//! transaction, or nothing when any row is broken.

use super::categories::Categories;
use super::dedupe::duplicates_within;
use super::entry::{ActorInput, OfferInput};
use super::Point;
use crate::areas::postcodes::RowProblem;
use serde::{Deserialize, Serialize};
use std::collections::HashMap;

/// Which property or column holds what, and the values every record gets.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Mapping {
    /// The offer's title.
    pub title: String,
    /// The actor's name; empty: the title.
    pub actor: String,
    pub description: String,
    pub website: String,
    pub email: String,
    pub phone: String,
    pub street: String,
    pub postcode: String,
    pub city: String,
    /// Coordinates in CSV (GeoJSON has them in the geometry).
    pub lon: String,
    pub lat: String,
    /// A stable id of the record in its source; empty: the GeoJSON feature id or the line.
    pub id: String,
    /// Prefix of the stored source (`osm` gives `osm:123`).
    pub source: String,
    /// Values for every record.
    pub actor_kind: String,
    pub categories: Vec<String>,
    pub target_groups: Vec<String>,
    pub age_min: Option<u8>,
    pub age_max: Option<u8>,
    pub languages: Vec<String>,
    pub cost: String,
    /// Text of the offer when `description` is empty or missing.
    pub default_description: String,
}

impl Default for Mapping {
    fn default() -> Self {
        Self {
            title: "name".into(),
            actor: String::new(),
            description: "beschreibung".into(),
            website: "website".into(),
            email: "email".into(),
            phone: "telefon".into(),
            street: "strasse".into(),
            postcode: "plz".into(),
            city: "ort".into(),
            lon: "lon".into(),
            lat: "lat".into(),
            id: String::new(),
            source: "import".into(),
            actor_kind: "sonstiges".into(),
            categories: Vec::new(),
            target_groups: Vec::new(),
            age_min: None,
            age_max: None,
            languages: Vec::new(),
            cost: "kostenlos".into(),
            default_description: String::new(),
        }
    }
}

/// One checked record, ready to be stored.
#[derive(Debug, Clone, PartialEq)]
pub struct Record {
    /// Line (CSV) or feature number (GeoJSON, 1-based), for messages.
    pub line: usize,
    /// `prefix:id`, to find the record again at the next import.
    pub source: String,
    pub actor: ActorInput,
    pub offer: OfferInput,
    pub point: Point,
}

/// What was read: records, broken rows (each named), and rows that repeat an earlier one.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Read {
    pub records: Vec<Record>,
    pub problems: Vec<RowProblem>,
    /// (line, line of the record it repeats).
    pub duplicates: Vec<(usize, usize)>,
}

/// The file as a whole cannot be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum FileProblem {
    #[error("Die Datei ist weder GeoJSON noch CSV mit Kopfzeile: {0}")]
    Unreadable(String),
    #[error("In der Kopfzeile fehlt die Spalte „{0}“.")]
    MissingColumn(String),
    #[error("Die Zuordnung ist unvollständig: {0}")]
    Mapping(String),
}

/// Field names that mean longitude or latitude in the CSV files municipalities publish.
const LON: &[&str] = &["lon", "lng", "long", "laenge", "länge", "longitude", "x"];
const LAT: &[&str] = &["lat", "breite", "latitude", "y"];

fn number(s: &str) -> Option<f64> {
    s.trim()
        .replace(',', ".")
        .parse::<f64>()
        .ok()
        .filter(|v| v.is_finite())
}

impl Mapping {
    fn check(&self, categories: &Categories) -> Result<(), FileProblem> {
        if self.title.trim().is_empty() {
            return Err(FileProblem::Mapping("welche Spalte ist der Titel?".into()));
        }
        let mut probe = OfferInput {
            title: "xx".into(),
            categories: self.categories.clone(),
            target_groups: self.target_groups.clone(),
            languages: self.languages.clone(),
            cost: self.cost.clone(),
            age_min: self.age_min,
            age_max: self.age_max,
            ..OfferInput::default()
        };
        if let Err(errs) = probe.check(categories) {
            return Err(FileProblem::Mapping(
                errs.iter()
                    .map(super::EntryError::german)
                    .collect::<Vec<_>>()
                    .join(" "),
            ));
        }
        probe.title.clear();
        if super::taxonomy::label(super::taxonomy::ACTOR_KINDS, &self.actor_kind).is_none() {
            return Err(FileProblem::Mapping(format!(
                "unbekannte Art des Akteurs „{}“",
                self.actor_kind
            )));
        }
        Ok(())
    }

    /// Builds and checks one record from a property lookup.
    fn record(
        &self,
        categories: &Categories,
        line: usize,
        source_id: String,
        point: Option<(f64, f64)>,
        get: &dyn Fn(&str) -> String,
    ) -> Result<Record, String> {
        let field = |name: &str| {
            if name.is_empty() {
                String::new()
            } else {
                get(name)
            }
        };
        let title = field(&self.title);
        if title.trim().is_empty() {
            return Err(format!("kein Titel in „{}“", self.title));
        }
        let (lon, lat) = point.ok_or("keine Koordinaten")?;
        let actor_name = match field(&self.actor) {
            a if a.trim().is_empty() => title.clone(),
            a => a,
        };
        let description = match field(&self.description) {
            d if d.trim().is_empty() => self.default_description.clone(),
            d => d,
        };
        let actor = ActorInput {
            name: actor_name,
            kind: self.actor_kind.clone(),
            description: String::new(),
            email: field(&self.email),
            phone: field(&self.phone),
            street: field(&self.street),
            postcode: field(&self.postcode),
            city: field(&self.city),
            lon: Some(lon),
            lat: Some(lat),
            website: field(&self.website),
            ..ActorInput::default()
        };
        let offer = OfferInput {
            title,
            description,
            categories: self.categories.clone(),
            target_groups: self.target_groups.clone(),
            age_min: self.age_min,
            age_max: self.age_max,
            languages: self.languages.clone(),
            cost: self.cost.clone(),
            ..OfferInput::default()
        };
        let german = |errs: Vec<super::EntryError>| {
            errs.iter()
                .map(super::EntryError::german)
                .collect::<Vec<_>>()
                .join(" ")
        };
        let checked = actor.check().map_err(german)?;
        offer.check(categories).map_err(german)?;
        Ok(Record {
            line,
            source: format!("{}:{source_id}", self.source),
            actor,
            offer,
            point: checked.location,
        })
    }
}

fn finish(mut read: Read) -> Read {
    let keys: Vec<(String, Point)> = read
        .records
        .iter()
        .map(|r| (format!("{} | {}", r.actor.name, r.offer.title), r.point))
        .collect();
    let dups = duplicates_within(&keys);
    let drop: std::collections::HashSet<usize> = dups.iter().map(|(i, _)| *i).collect();
    read.duplicates = dups
        .iter()
        .map(|(i, j)| (read.records[*i].line, read.records[*j].line))
        .collect();
    let mut i = 0;
    read.records.retain(|_| {
        let keep = !drop.contains(&i);
        i += 1;
        keep
    });
    read
}

/// Reads a GeoJSON FeatureCollection of points (EPSG:4326). Features that are not points are
/// reported as broken rows.
///
/// # Errors
/// The file is not a FeatureCollection, or the mapping is incomplete.
pub fn read_geojson(text: &str, m: &Mapping, categories: &Categories) -> Result<Read, FileProblem> {
    m.check(categories)?;
    let v: serde_json::Value =
        serde_json::from_str(text).map_err(|e| FileProblem::Unreadable(e.to_string()))?;
    let features = v
        .get("features")
        .and_then(|f| f.as_array())
        .ok_or_else(|| FileProblem::Unreadable("keine FeatureCollection".into()))?;
    let mut read = Read::default();
    for (i, f) in features.iter().enumerate() {
        let line = i + 1;
        let props = f.get("properties").cloned().unwrap_or_default();
        let get = |name: &str| match props.get(name) {
            Some(serde_json::Value::String(s)) => s.clone(),
            Some(serde_json::Value::Null) | None => String::new(),
            Some(other) => other.to_string(),
        };
        let geometry = f.get("geometry");
        let point = match geometry
            .and_then(|g| g.get("type"))
            .and_then(|t| t.as_str())
        {
            Some("Point") => geometry
                .and_then(|g| g.get("coordinates"))
                .and_then(|c| c.as_array())
                .and_then(|c| Some((c.first()?.as_f64()?, c.get(1)?.as_f64()?))),
            _ => None,
        };
        let id = if m.id.is_empty() {
            match f.get("id") {
                Some(serde_json::Value::String(s)) => s.clone(),
                Some(serde_json::Value::Number(n)) => n.to_string(),
                _ => line.to_string(),
            }
        } else {
            get(&m.id)
        };
        match m.record(categories, line, id, point, &get) {
            Ok(r) => read.records.push(r),
            Err(problem) => read.problems.push(RowProblem {
                line,
                problem: format!("Objekt {line}: {problem}"),
            }),
        }
    }
    Ok(finish(read))
}

/// Reads CSV with a header row (`;`, `,` or tab; decimal commas in coordinates are fine).
///
/// # Errors
/// No header, a mapped column missing from it, or an incomplete mapping.
pub fn read_csv(text: &str, m: &Mapping, categories: &Categories) -> Result<Read, FileProblem> {
    m.check(categories)?;
    let mut reader = crate::csv_in::reader(text);
    let header: Vec<String> = reader
        .headers()
        .map_err(|e| FileProblem::Unreadable(e.to_string()))?
        .iter()
        .map(|h| h.to_lowercase())
        .collect();
    let col = |name: &str| header.iter().position(|h| *h == name.to_lowercase());
    let find = |wanted: &str, aliases: &[&str]| {
        col(wanted).or_else(|| aliases.iter().find_map(|a| col(a)))
    };
    let lon = find(&m.lon, LON).ok_or_else(|| FileProblem::MissingColumn(m.lon.clone()))?;
    let lat = find(&m.lat, LAT).ok_or_else(|| FileProblem::MissingColumn(m.lat.clone()))?;
    col(&m.title).ok_or_else(|| FileProblem::MissingColumn(m.title.clone()))?;
    let index: HashMap<String, usize> = header
        .iter()
        .enumerate()
        .map(|(i, h)| (h.clone(), i))
        .collect();
    let mut read = Read::default();
    for (i, row) in reader.records().enumerate() {
        // Line numbers count the header; records spanning lines are rare in such lists.
        let line = row
            .as_ref()
            .ok()
            .and_then(|r| r.position())
            .map_or(i + 2, |p| usize::try_from(p.line()).unwrap_or(i + 2));
        let row = match row {
            Ok(r) => r,
            Err(e) => {
                read.problems.push(RowProblem {
                    line,
                    problem: format!("nicht lesbar ({e})"),
                });
                continue;
            }
        };
        if row.iter().all(str::is_empty) {
            continue;
        }
        let get = |name: &str| {
            index
                .get(&name.to_lowercase())
                .and_then(|i| row.get(*i))
                .unwrap_or_default()
                .to_owned()
        };
        let point = match (row.get(lon).and_then(number), row.get(lat).and_then(number)) {
            (Some(x), Some(y)) => Some((x, y)),
            _ => None,
        };
        let id = if m.id.is_empty() {
            line.to_string()
        } else {
            get(&m.id)
        };
        match m.record(categories, line, id, point, &get) {
            Ok(r) => read.records.push(r),
            Err(problem) => read.problems.push(RowProblem { line, problem }),
        }
    }
    Ok(finish(read))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kitas() -> Mapping {
        Mapping {
            actor_kind: "kita".into(),
            categories: vec!["betreuung".into()],
            target_groups: vec!["kinder".into()],
            age_min: Some(0),
            age_max: Some(6),
            source: "kitas".into(),
            ..Mapping::default()
        }
    }

    #[test]
    fn csv_with_german_headers_decimal_commas_and_broken_rows() {
        let text = "Name;Strasse;Breite;Länge;Website\n\
            Kita Sonnenschein;Kalker Hauptstr. 1;50,9385;6,9990;www.sonne.de\n\
            Kita Regenbogen;;50.94;;\n\
            ;Ohne Name;50.94;7.0;\n\
            Kita Sternchen;;50.9;7.0;javascript:alert(1)\n\
            KITA Sonnenschein e.V.;;50.93851;6.99901;\n";
        let r = read_csv(text, &kitas(), &Categories::default()).expect("readable");
        assert_eq!(r.records.len(), 1);
        assert_eq!(r.records[0].line, 2);
        assert_eq!(r.records[0].source, "kitas:2");
        assert_eq!(
            r.records[0].point,
            Point {
                lon: 6.999,
                lat: 50.9385
            }
        );
        let lines: Vec<usize> = r.problems.iter().map(|p| p.line).collect();
        assert_eq!(lines, vec![3, 4, 5]);
        assert!(
            r.problems[0].problem.contains("Koordinaten"),
            "{:?}",
            r.problems
        );
        assert!(
            r.problems[2].problem.contains("Webadresse"),
            "{:?}",
            r.problems
        );
        assert_eq!(r.duplicates, vec![(6, 2)]);
    }

    #[test]
    fn geojson_points_with_flattened_osm_tags() {
        let text = r#"{"type":"FeatureCollection","features":[
            {"type":"Feature","id":42,"properties":{"tags/name":"Jugendzentrum Kalk"},"geometry":{"type":"Point","coordinates":[7.0,50.94]}},
            {"type":"Feature","id":43,"properties":{"tags/name":""},"geometry":{"type":"Point","coordinates":[7.0,50.94]}},
            {"type":"Feature","id":44,"properties":{"tags/name":"Fläche"},"geometry":{"type":"Polygon","coordinates":[]}}
        ]}"#;
        let m = Mapping {
            title: "tags/name".into(),
            source: "osm".into(),
            actor_kind: "jugendeinrichtung".into(),
            categories: vec!["freizeit".into()],
            ..Mapping::default()
        };
        let r = read_geojson(text, &m, &Categories::default()).expect("readable");
        assert_eq!(r.records.len(), 1);
        assert_eq!(r.records[0].source, "osm:42");
        assert_eq!(r.records[0].actor.name, "Jugendzentrum Kalk");
        assert_eq!(r.problems.len(), 2);
        assert!(matches!(
            read_geojson("[]", &m, &Categories::default()),
            Err(FileProblem::Unreadable(_))
        ));
        let bad = Mapping {
            categories: vec!["zauberei".into()],
            ..m
        };
        assert!(matches!(
            read_geojson(text, &bad, &Categories::default()),
            Err(FileProblem::Mapping(_))
        ));
    }

    #[test]
    fn a_missing_column_is_named() {
        assert_eq!(
            read_csv("titel;lat;lon\nA;1;2\n", &kitas(), &Categories::default()),
            Err(FileProblem::MissingColumn("name".into()))
        );
    }
}
