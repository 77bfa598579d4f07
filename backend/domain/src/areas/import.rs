//! Reading a GeoJSON FeatureCollection of boundaries: every problem is collected with its
//! feature number, so a planner can fix the file in one go; nothing is stored from here.

use super::crs::{Crs, Reprojector};
use geo::{LineString, MultiPolygon, Polygon};
use serde_json::Value;
use std::collections::{HashMap, HashSet};
use std::fmt;

/// Which feature properties hold the area's id, name and parent id.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldMapping {
    pub id: String,
    pub name: String,
    pub parent: Option<String>,
}

/// One valid area read from the file, in EPSG:4326.
#[derive(Debug, Clone)]
pub struct SourceArea {
    /// 1-based position of the feature in the file.
    pub feature: usize,
    pub code: String,
    pub name: String,
    pub parent_code: Option<String>,
    pub geometry: MultiPolygon<f64>,
}

/// What is wrong with a file or one of its features.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum Problem {
    #[error("kein gültiges JSON (Zeile {line}, Spalte {column}): {message}")]
    MalformedJson {
        line: usize,
        column: usize,
        message: String,
    },
    #[error("keine GeoJSON-FeatureCollection")]
    NotAFeatureCollection,
    #[error("die FeatureCollection enthält keine Features")]
    Empty,
    #[error("nicht unterstütztes Koordinatensystem {0} (unterstützt: EPSG:4326, EPSG:25832, EPSG:25833)")]
    UnsupportedCrs(String),
    #[error("die Datei gibt {in_file} an, angefordert wurde {requested}")]
    CrsConflict { in_file: Crs, requested: Crs },
    #[error(
        "Koordinate ({x}, {y}) passt nicht zu {crs}: falsches oder fehlendes Koordinatensystem?"
    )]
    WrongCrs { crs: Crs, x: f64, y: f64 },
    #[error("Feature ohne Geometrie")]
    MissingGeometry,
    #[error("Geometrietyp {0} wird nicht unterstützt (nur Polygon und MultiPolygon)")]
    UnsupportedGeometry(String),
    #[error("fehlerhafte Koordinaten: {0}")]
    MalformedCoordinates(String),
    #[error("Ring {ring} ist nicht geschlossen (erster und letzter Punkt verschieden)")]
    UnclosedRing { ring: usize },
    #[error("Ring {ring} hat weniger als 4 Punkte")]
    TooFewPoints { ring: usize },
    #[error("ungültige Geometrie: {0}")]
    InvalidGeometry(String),
    #[error("Eigenschaft \u{201e}{0}\u{201c} fehlt oder ist leer")]
    MissingProperty(String),
    #[error("doppelte Kennung \u{201e}{code}\u{201c} (schon in Feature {first})")]
    DuplicateId { code: String, first: usize },
    #[error("unbekannte übergeordnete Kennung \u{201e}{0}\u{201c}")]
    UnknownParent(String),
    #[error("Umprojektion fehlgeschlagen: {0}")]
    Reprojection(String),
    #[error("Eigenschaft \u{201e}{0}\u{201c} ist länger als {max} Zeichen", max = TEXT_MAX)]
    TooLong(String),
}

/// Longest id or name of an area (official names are far shorter; a page must show it).
pub const TEXT_MAX: usize = 200;

impl Problem {
    /// A stable, machine-readable code for API clients and translations.
    pub fn code(&self) -> &'static str {
        match self {
            Self::MalformedJson { .. } => "MALFORMED_JSON",
            Self::NotAFeatureCollection => "NOT_A_FEATURE_COLLECTION",
            Self::Empty => "EMPTY",
            Self::UnsupportedCrs(_) => "UNSUPPORTED_CRS",
            Self::CrsConflict { .. } => "CRS_CONFLICT",
            Self::WrongCrs { .. } => "WRONG_CRS",
            Self::MissingGeometry => "MISSING_GEOMETRY",
            Self::UnsupportedGeometry(_) => "UNSUPPORTED_GEOMETRY",
            Self::MalformedCoordinates(_) => "MALFORMED_COORDINATES",
            Self::UnclosedRing { .. } => "UNCLOSED_RING",
            Self::TooFewPoints { .. } => "TOO_FEW_POINTS",
            Self::InvalidGeometry(_) => "INVALID_GEOMETRY",
            Self::MissingProperty(_) => "MISSING_PROPERTY",
            Self::DuplicateId { .. } => "DUPLICATE_ID",
            Self::UnknownParent(_) => "UNKNOWN_PARENT",
            Self::Reprojection(_) => "REPROJECTION",
            Self::TooLong(_) => "TOO_LONG",
        }
    }
}

/// A problem and where it is: `feature` is 1-based, `None` for the whole file.
#[derive(Debug, Clone, PartialEq)]
pub struct ImportProblem {
    pub feature: Option<usize>,
    pub problem: Problem,
}

impl fmt::Display for ImportProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.feature {
            Some(n) => write!(f, "Feature {n}: {}", self.problem),
            None => write!(f, "{}", self.problem),
        }
    }
}

fn whole_file(problem: Problem) -> Vec<ImportProblem> {
    vec![ImportProblem {
        feature: None,
        problem,
    }]
}

/// Parses and validates a FeatureCollection. `requested` is the CRS the caller names; the file's
/// own `crs` member is used when the caller names none, and EPSG:4326 when neither does.
///
/// # Errors
/// Every problem found, each with its feature number.
pub fn parse_feature_collection(
    input: &str,
    mapping: &FieldMapping,
    requested: Option<Crs>,
) -> Result<Vec<SourceArea>, Vec<ImportProblem>> {
    let root: Value = serde_json::from_str(input).map_err(|e| {
        whole_file(Problem::MalformedJson {
            line: e.line(),
            column: e.column(),
            message: e.to_string(),
        })
    })?;
    if root.get("type").and_then(Value::as_str) != Some("FeatureCollection") {
        return Err(whole_file(Problem::NotAFeatureCollection));
    }
    let Some(features) = root.get("features").and_then(Value::as_array) else {
        return Err(whole_file(Problem::NotAFeatureCollection));
    };
    if features.is_empty() {
        return Err(whole_file(Problem::Empty));
    }
    let crs = resolve_crs(&root, requested).map_err(whole_file)?;
    let reprojector = Reprojector::new(crs).map_err(|e| whole_file(Problem::Reprojection(e)))?;

    let mut problems = Vec::new();
    let mut areas = Vec::with_capacity(features.len());
    let mut first_seen: HashMap<String, usize> = HashMap::new();
    for (i, feature) in features.iter().enumerate() {
        let number = i + 1;
        match read_feature(feature, mapping, crs, &reprojector) {
            Ok(area) => {
                if let Some(&first) = first_seen.get(&area.0) {
                    problems.push(ImportProblem {
                        feature: Some(number),
                        problem: Problem::DuplicateId {
                            code: area.0,
                            first,
                        },
                    });
                    continue;
                }
                first_seen.insert(area.0.clone(), number);
                areas.push(SourceArea {
                    feature: number,
                    code: area.0,
                    name: area.1,
                    parent_code: area.2,
                    geometry: area.3,
                });
            }
            Err(found) => problems.extend(found.into_iter().map(|problem| ImportProblem {
                feature: Some(number),
                problem,
            })),
        }
    }
    if problems.is_empty() {
        Ok(areas)
    } else {
        Err(problems)
    }
}

/// Reports every area whose parent code is missing from `known_parents`.
pub fn check_parents(areas: &[SourceArea], known_parents: &HashSet<String>) -> Vec<ImportProblem> {
    areas
        .iter()
        .filter_map(|a| match &a.parent_code {
            Some(p) if !known_parents.contains(p) => Some(ImportProblem {
                feature: Some(a.feature),
                problem: Problem::UnknownParent(p.clone()),
            }),
            _ => None,
        })
        .collect()
}

fn resolve_crs(root: &Value, requested: Option<Crs>) -> Result<Crs, Problem> {
    let declared = root
        .get("crs")
        .and_then(|c| c.get("properties"))
        .and_then(|p| p.get("name"))
        .and_then(Value::as_str);
    let in_file = match declared {
        Some(name) => {
            Some(Crs::parse(name).ok_or_else(|| Problem::UnsupportedCrs(name.to_owned()))?)
        }
        None => None,
    };
    match (in_file, requested) {
        (Some(f), Some(r)) if f != r => Err(Problem::CrsConflict {
            in_file: f,
            requested: r,
        }),
        (Some(c), _) | (None, Some(c)) => Ok(c),
        (None, None) => Ok(Crs::Wgs84),
    }
}

type FeatureParts = (String, String, Option<String>, MultiPolygon<f64>);

fn read_feature(
    feature: &Value,
    mapping: &FieldMapping,
    crs: Crs,
    reprojector: &Reprojector,
) -> Result<FeatureParts, Vec<Problem>> {
    let mut problems = Vec::new();
    let props = feature.get("properties").and_then(Value::as_object);
    let text = |key: &str| -> Option<String> {
        let v = props?.get(key)?;
        let s = match v {
            Value::String(s) => crate::text::single_line(s),
            Value::Number(n) => n.to_string(),
            _ => return None,
        };
        (!s.is_empty()).then_some(s)
    };
    for key in std::iter::once(&mapping.id)
        .chain(std::iter::once(&mapping.name))
        .chain(mapping.parent.as_ref())
    {
        if text(key).is_some_and(|v| v.chars().count() > TEXT_MAX) {
            problems.push(Problem::TooLong(key.clone()));
        }
    }
    let code = text(&mapping.id);
    if code.is_none() {
        problems.push(Problem::MissingProperty(mapping.id.clone()));
    }
    let name = text(&mapping.name);
    if name.is_none() {
        problems.push(Problem::MissingProperty(mapping.name.clone()));
    }
    let parent = mapping.parent.as_deref().and_then(text);
    if let (Some(key), None) = (&mapping.parent, &parent) {
        problems.push(Problem::MissingProperty(key.clone()));
    }
    let geometry = match feature.get("geometry") {
        None | Some(Value::Null) => Err(vec![Problem::MissingGeometry]),
        Some(g) => read_geometry(g, crs, reprojector),
    };
    match (code, name, geometry) {
        (Some(c), Some(n), Ok(g)) if problems.is_empty() => Ok((c, n, parent, g)),
        (_, _, geometry) => {
            if let Err(g) = geometry {
                problems.extend(g);
            }
            Err(problems)
        }
    }
}

fn read_geometry(
    g: &Value,
    crs: Crs,
    reprojector: &Reprojector,
) -> Result<MultiPolygon<f64>, Vec<Problem>> {
    let raw = read_polygons(g).map_err(|p| vec![p])?;
    let mut polygons = Vec::with_capacity(raw.len());
    for rings in raw {
        let mut out = Vec::with_capacity(rings.len());
        for ring in rings {
            let mut line = Vec::with_capacity(ring.len());
            for [x, y] in ring {
                if !crs.plausible(x, y) {
                    return Err(vec![Problem::WrongCrs { crs, x, y }]);
                }
                let (lon, lat) = reprojector
                    .to_lon_lat(x, y)
                    .map_err(|e| vec![Problem::Reprojection(e)])?;
                line.push(geo::coord! { x: lon, y: lat });
            }
            out.push(clean_ring(line));
        }
        if out.iter().any(|r| r.len() < 4) {
            return Err(vec![Problem::InvalidGeometry(
                "Ring fällt nach dem Zusammenlegen naher Punkte zusammen".into(),
            )]);
        }
        polygons.push(polygon_from_rings(out));
    }
    let multi = MultiPolygon(polygons);
    let errors = super::validate::problems(&multi);
    if errors.is_empty() {
        Ok(multi)
    } else {
        Err(errors.into_iter().map(Problem::InvalidGeometry).collect())
    }
}

/// Reads the rings of a Polygon or MultiPolygon geometry object, checking that every ring is
/// closed and has at least four positions.
pub(crate) fn read_polygons(g: &Value) -> Result<Vec<Vec<Vec<[f64; 2]>>>, Problem> {
    let kind = g
        .get("type")
        .and_then(Value::as_str)
        .unwrap_or("(ohne Typ)");
    let coords = g
        .get("coordinates")
        .ok_or_else(|| Problem::MalformedCoordinates("\u{201e}coordinates\u{201c} fehlt".into()))?;
    let polygons: Vec<&Value> = match kind {
        "Polygon" => vec![coords],
        "MultiPolygon" => coords
            .as_array()
            .ok_or_else(|| Problem::MalformedCoordinates("keine Liste von Polygonen".into()))?
            .iter()
            .collect(),
        other => return Err(Problem::UnsupportedGeometry(other.to_owned())),
    };
    if polygons.is_empty() {
        return Err(Problem::MalformedCoordinates("keine Polygone".into()));
    }
    let mut ring_number = 0;
    polygons
        .into_iter()
        .map(|p| {
            let rings = p
                .as_array()
                .filter(|r| !r.is_empty())
                .ok_or_else(|| Problem::MalformedCoordinates("keine Liste von Ringen".into()))?;
            rings
                .iter()
                .map(|r| {
                    ring_number += 1;
                    read_ring(r, ring_number)
                })
                .collect()
        })
        .collect()
}

fn read_ring(r: &Value, ring: usize) -> Result<Vec<[f64; 2]>, Problem> {
    let positions = r
        .as_array()
        .ok_or_else(|| Problem::MalformedCoordinates(format!("Ring {ring} ist keine Liste")))?;
    let points = positions
        .iter()
        .map(|p| match p.as_array().map(Vec::as_slice) {
            Some([x, y, ..]) => match (x.as_f64(), y.as_f64()) {
                (Some(x), Some(y)) if x.is_finite() && y.is_finite() => Ok([x, y]),
                _ => Err(Problem::MalformedCoordinates(format!(
                    "Ring {ring}: keine Zahl"
                ))),
            },
            _ => Err(Problem::MalformedCoordinates(format!(
                "Ring {ring}: Position ist kein Zahlenpaar"
            ))),
        })
        .collect::<Result<Vec<_>, _>>()?;
    if points.len() < 4 {
        return Err(Problem::TooFewPoints { ring });
    }
    if points.first() != points.last() {
        return Err(Problem::UnclosedRing { ring });
    }
    Ok(points)
}

/// Vertices closer than this (in degrees, about 7–11 cm in Germany) are merged.
const MERGE_TOLERANCE: f64 = 1e-6;

/// Removes what converted shapefiles often carry and validation would reject although nobody
/// drew it: runs of vertices within [`MERGE_TOLERANCE`] (knots left by rounding) and spikes that
/// go out and straight back. Real self-intersections stay and are reported.
fn clean_ring(ring: Vec<geo::Coord<f64>>) -> Vec<geo::Coord<f64>> {
    let near = |a: &geo::Coord<f64>, b: &geo::Coord<f64>| {
        (a.x - b.x).abs() <= MERGE_TOLERANCE && (a.y - b.y).abs() <= MERGE_TOLERANCE
    };
    let Some(&first) = ring.first() else {
        return ring;
    };
    let mut out: Vec<geo::Coord<f64>> = Vec::with_capacity(ring.len());
    for c in ring {
        if out.last().is_some_and(|last| near(last, &c)) {
            continue;
        }
        // A spike A → B → A: drop B and do not repeat A.
        if out.len() >= 2 && near(&out[out.len() - 2], &c) {
            out.pop();
            continue;
        }
        out.push(c);
    }
    // Close exactly on the first vertex.
    while out.len() > 1 && out.last().is_some_and(|l| near(l, &first)) {
        out.pop();
    }
    out.push(first);
    out
}

pub(crate) fn polygon_from_rings(mut rings: Vec<Vec<geo::Coord<f64>>>) -> Polygon<f64> {
    let exterior = if rings.is_empty() {
        Vec::new()
    } else {
        rings.remove(0)
    };
    Polygon::new(
        LineString(exterior),
        rings.into_iter().map(LineString).collect(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn mapping() -> FieldMapping {
        FieldMapping {
            id: "id".into(),
            name: "name".into(),
            parent: None,
        }
    }

    fn square(x: f64, y: f64, d: f64) -> Value {
        serde_json::json!({"type": "Polygon", "coordinates": [[[x, y], [x + d, y], [x + d, y + d], [x, y + d], [x, y]]]})
    }

    fn fc(features: Vec<Value>) -> String {
        serde_json::json!({"type": "FeatureCollection", "features": features}).to_string()
    }

    fn feature(id: &str, geometry: Value) -> Value {
        serde_json::json!({"type": "Feature", "properties": {"id": id, "name": format!("Gebiet {id}")}, "geometry": geometry})
    }

    fn codes(problems: &[ImportProblem]) -> Vec<(Option<usize>, &'static str)> {
        problems
            .iter()
            .map(|p| (p.feature, p.problem.code()))
            .collect()
    }

    #[test]
    fn reads_valid_polygons() {
        let input = fc(vec![
            feature("1", square(6.9, 50.9, 0.01)),
            feature("2", square(6.91, 50.9, 0.01)),
        ]);
        let areas = parse_feature_collection(&input, &mapping(), None).expect("valid");
        assert_eq!(areas.len(), 2);
        assert_eq!(areas[1].code, "2");
        assert_eq!(areas[1].name, "Gebiet 2");
    }

    #[test]
    fn reports_every_problem_with_its_feature_number() {
        let unclosed = serde_json::json!({"type": "Polygon", "coordinates": [[[6.9, 50.9], [7.0, 50.9], [7.0, 51.0], [6.9, 51.0]]]});
        let bowtie = serde_json::json!({"type": "Polygon", "coordinates": [[[6.9, 50.9], [7.0, 51.0], [7.0, 50.9], [6.9, 51.0], [6.9, 50.9]]]});
        let point = serde_json::json!({"type": "Point", "coordinates": [6.9, 50.9]});
        let input = fc(vec![
            feature("1", square(6.9, 50.9, 0.01)),
            feature("2", unclosed),
            feature("3", bowtie),
            serde_json::json!({"type": "Feature", "properties": {"id": "4", "name": "ohne"}, "geometry": null}),
            feature("1", square(6.8, 50.9, 0.01)),
            feature("6", point),
            serde_json::json!({"type": "Feature", "properties": {"name": "ohne id"}, "geometry": square(6.7, 50.9, 0.01)}),
        ]);
        let problems = parse_feature_collection(&input, &mapping(), None).expect_err("invalid");
        assert_eq!(
            codes(&problems),
            vec![
                (Some(2), "UNCLOSED_RING"),
                (Some(3), "INVALID_GEOMETRY"),
                (Some(4), "MISSING_GEOMETRY"),
                (Some(5), "DUPLICATE_ID"),
                (Some(6), "UNSUPPORTED_GEOMETRY"),
                (Some(7), "MISSING_PROPERTY"),
            ]
        );
        assert!(
            problems[1]
                .to_string()
                .starts_with("Feature 3: ungültige Geometrie"),
            "{}",
            problems[1]
        );
        assert_eq!(
            problems[3].problem,
            Problem::DuplicateId {
                code: "1".into(),
                first: 1
            }
        );
    }

    #[test]
    fn names_are_one_line_and_bounded() {
        let input = fc(vec![
            serde_json::json!({"type": "Feature", "properties": {"id": "1", "name": "Alt\u{202E}stadt\n Nord"}, "geometry": square(6.9, 50.9, 0.01)}),
            serde_json::json!({"type": "Feature", "properties": {"id": "2", "name": "x".repeat(TEXT_MAX + 1)}, "geometry": square(6.91, 50.9, 0.01)}),
        ]);
        let problems = parse_feature_collection(&input, &mapping(), None).expect_err("too long");
        assert_eq!(codes(&problems), vec![(Some(2), "TOO_LONG")]);
        let ok = fc(vec![
            serde_json::json!({"type": "Feature", "properties": {"id": "1", "name": "Alt\u{202E}stadt\n Nord"}, "geometry": square(6.9, 50.9, 0.01)}),
        ]);
        let areas = parse_feature_collection(&ok, &mapping(), None).expect("valid");
        assert_eq!(areas[0].name, "Altstadt Nord");
    }

    #[test]
    fn merges_rounding_knots_but_keeps_real_intersections() {
        // Taken from Köln-Marienburg: a knot of vertices within 3e-7 degrees.
        let ring = serde_json::json!({"type": "Polygon", "coordinates": [[
            [6.9713164, 50.9047797], [6.9715463, 50.9048274], [6.9715464, 50.9048274],
            [6.9715466, 50.9048275], [6.9715465, 50.9048274], [6.9715463, 50.9048273],
            [6.9715463, 50.9048274], [6.9715247, 50.9048765], [6.9716, 50.906], [6.97, 50.906],
            [6.9713164, 50.9047797]
        ]]});
        let input = fc(vec![feature("1", ring)]);
        let areas = parse_feature_collection(&input, &mapping(), None).expect("cleaned");
        assert_eq!(areas[0].geometry.0[0].exterior().0.len(), 6);
        // A spike out and back.
        let spike = serde_json::json!({"type": "Polygon", "coordinates": [[
            [0.0, 0.0], [1.0, 0.0], [1.5, 0.5], [1.0, 0.0], [1.0, 1.0], [0.0, 1.0], [0.0, 0.0]
        ]]});
        let areas = parse_feature_collection(&fc(vec![feature("1", spike)]), &mapping(), None)
            .expect("spike removed");
        assert_eq!(areas[0].geometry.0[0].exterior().0.len(), 5);
    }

    #[test]
    fn whole_file_problems() {
        let m = mapping();
        let e = parse_feature_collection("{\"type\": ", &m, None).expect_err("bad json");
        assert_eq!(codes(&e), vec![(None, "MALFORMED_JSON")]);
        let e = parse_feature_collection("{\"type\": \"Feature\"}", &m, None).expect_err("not fc");
        assert_eq!(codes(&e), vec![(None, "NOT_A_FEATURE_COLLECTION")]);
        let e = parse_feature_collection(&fc(vec![]), &m, None).expect_err("empty");
        assert_eq!(codes(&e), vec![(None, "EMPTY")]);
    }

    #[test]
    fn crs_handling() {
        let m = mapping();
        // Metres without a declared CRS: caught as a wrong CRS, not stored in the Atlantic.
        let utm = fc(vec![feature("1", square(356_000.0, 5_645_000.0, 500.0))]);
        let e = parse_feature_collection(&utm, &m, None).expect_err("wrong crs");
        assert_eq!(codes(&e), vec![(Some(1), "WRONG_CRS")]);
        // Declared as a parameter: reprojected near the Kölner Dom.
        let areas = parse_feature_collection(&utm, &m, Some(Crs::Utm32)).expect("utm");
        let c = areas[0].geometry.0[0].exterior().0[0];
        assert!(
            (c.x - 6.95).abs() < 0.01 && (c.y - 50.94).abs() < 0.01,
            "{c:?}"
        );
        // Declared in the file.
        let mut v: Value = serde_json::from_str(&utm).expect("json");
        v["crs"] = serde_json::json!({"type": "name", "properties": {"name": "urn:ogc:def:crs:EPSG::25832"}});
        assert!(parse_feature_collection(&v.to_string(), &m, None).is_ok());
        let e =
            parse_feature_collection(&v.to_string(), &m, Some(Crs::Utm33)).expect_err("conflict");
        assert_eq!(codes(&e), vec![(None, "CRS_CONFLICT")]);
        v["crs"]["properties"]["name"] = "EPSG:3857".into();
        let e = parse_feature_collection(&v.to_string(), &m, None).expect_err("unsupported");
        assert_eq!(codes(&e), vec![(None, "UNSUPPORTED_CRS")]);
        // Degrees declared as UTM.
        let deg = fc(vec![feature("1", square(6.9, 50.9, 0.01))]);
        let e = parse_feature_collection(&deg, &m, Some(Crs::Utm32)).expect_err("degrees as utm");
        assert_eq!(codes(&e), vec![(Some(1), "WRONG_CRS")]);
    }

    #[test]
    fn parents() {
        let m = FieldMapping {
            parent: Some("parent".into()),
            ..mapping()
        };
        let input = fc(vec![
            serde_json::json!({"type": "Feature", "properties": {"id": "101", "name": "A", "parent": "1"}, "geometry": square(6.9, 50.9, 0.01)}),
            serde_json::json!({"type": "Feature", "properties": {"id": "102", "name": "B", "parent": 9}, "geometry": square(6.92, 50.9, 0.01)}),
        ]);
        let areas = parse_feature_collection(&input, &m, None).expect("valid");
        assert_eq!(areas[1].parent_code.as_deref(), Some("9"));
        let known: HashSet<String> = ["1".to_owned()].into();
        assert_eq!(
            codes(&check_parents(&areas, &known)),
            vec![(Some(2), "UNKNOWN_PARENT")]
        );
    }
}
