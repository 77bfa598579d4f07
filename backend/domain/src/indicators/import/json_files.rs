//! JSON files: KomMonitor-style features and plain records.

use super::*;

pub(super) const ID_PROPERTIES: &[&str] = &["id", "ID", "spatialReferenceKey", "NR"];

pub(super) fn parse_json(
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

pub(super) fn is_date_key(k: &str) -> bool {
    k.get(..5).is_some_and(|p| p.eq_ignore_ascii_case("date_"))
}

pub(super) fn area_of(v: Option<&Value>) -> Option<String> {
    match v? {
        Value::String(s) if !s.trim().is_empty() => Some(s.trim().to_owned()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

pub(super) fn json_number(v: Option<&Value>) -> Result<Option<f64>, NotANumber> {
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

pub(super) fn json_text(v: Option<&Value>) -> String {
    match v {
        Some(Value::String(s)) => s.clone(),
        Some(v) => v.to_string(),
        None => String::new(),
    }
}

/// One `{spatialReferenceKey, valueMapping}` entry; false when the import must stop.
pub(super) fn value_mapping(
    sink: &mut Sink,
    line: usize,
    obj: &Map<String, Value>,
    mapping: &Value,
) -> bool {
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
pub(super) fn properties(
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
