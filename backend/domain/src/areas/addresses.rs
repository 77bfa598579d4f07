//! A tenant's address register: house coordinates the Kommune imports (its official
//! Hauskoordinaten, or an OpenStreetMap address extract), so that an entry given by its address
//! lands on its house and in its Quartier without anybody tapping a map. Here: how addresses
//! are compared, how a register file is read, and which register entry a typed address means.

use super::crs::{Crs, Reprojector};
use serde_json::Value;

/// A street name as compared: lower case, umlauts and ß spelled out, "Straße", "Strasse" and
/// "Str." the same, spaces, hyphens and dots ignored ("Kalker Hauptstr." = "Kalker-Hauptstraße").
pub fn street_key(street: &str) -> String {
    let mut s = String::with_capacity(street.len());
    for c in street.trim().chars().flat_map(char::to_lowercase) {
        match c {
            'ß' => s.push_str("ss"),
            'ä' => s.push_str("ae"),
            'ö' => s.push_str("oe"),
            'ü' => s.push_str("ue"),
            c if c.is_alphanumeric() => s.push(c),
            _ => {}
        }
    }
    s.replace("strasse", "str")
}

/// A house number as compared: its digits and a letter right after them ("12 a" = "12A" =
/// "12a"); a range or a fraction counts by its first number ("12-14" → "12").
pub fn number_key(number: &str) -> String {
    let t = number.trim();
    let digits: String = t.chars().take_while(char::is_ascii_digit).collect();
    if digits.is_empty() {
        return String::new();
    }
    // "12 a" but not "12 Hinterhaus": a letter that stands alone after the digits.
    let mut rest = t[digits.len()..].trim_start().chars();
    let letter = rest
        .next()
        .filter(|c| c.is_alphabetic())
        .filter(|_| rest.next().is_none_or(|c| !c.is_alphabetic()));
    match letter {
        Some(l) => format!("{digits}{}", l.to_lowercase()),
        None => digits,
    }
}

/// Splits what a person typed as street into the street and the house number:
/// "Kalker Hauptstraße 120a" → ("Kalker Hauptstraße", "120a"); the number is the last part
/// that starts with a digit ("Straße des 17. Juni 4" → "4"). `None` without a number.
pub fn split_house_number(typed: &str) -> Option<(String, String)> {
    let t = typed.trim();
    let words: Vec<(usize, &str)> = t
        .split_whitespace()
        .map(|w| (w.as_ptr() as usize - t.as_ptr() as usize, w))
        .collect();
    let (i, (at, _)) = words
        .iter()
        .enumerate()
        .rev()
        .find(|(_, (_, w))| w.starts_with(|c: char| c.is_ascii_digit()))?;
    // The number is at most "12", "12 a", "12 - 14" at the end, after a street name.
    if i == 0 || words.len() - i > 3 {
        return None;
    }
    let street = t[..*at].trim().trim_end_matches(',').trim();
    let number = t[*at..].trim();
    (!street.is_empty() && !number_key(number).is_empty())
        .then(|| (street.to_owned(), number.to_owned()))
}

/// An address typed on one line, "Kalker Hauptstraße 120, 51103 Köln": the street with its
/// number, the postcode and the place (both may be missing).
pub fn one_line(typed: &str) -> (String, String, String) {
    let (street, rest) = typed.split_once(',').unwrap_or((typed, ""));
    let rest = rest.trim();
    let digits = rest.chars().take_while(char::is_ascii_digit).count();
    let (postcode, city) = if digits == 5 {
        (&rest[..5], rest[5..].trim())
    } else {
        ("", rest)
    };
    (
        street.trim().to_owned(),
        postcode.to_owned(),
        city.to_owned(),
    )
}

/// One house of a register.
#[derive(Debug, Clone, PartialEq)]
pub struct RegisterAddress {
    pub street: String,
    pub number: String,
    pub postcode: Option<String>,
    pub city: Option<String>,
    pub lon: f64,
    pub lat: f64,
}

impl RegisterAddress {
    pub fn street_key(&self) -> String {
        street_key(&self.street)
    }

    pub fn number_key(&self) -> String {
        number_key(&self.number)
    }
}

/// A row of a register file that cannot be used (line 1 is the header; for GeoJSON the
/// feature's position, from 1).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{place} {line}: {problem}")]
pub struct RegisterProblem {
    pub place: &'static str,
    pub line: usize,
    pub problem: String,
}

/// The columns a register file may name, as municipalities and OpenStreetMap name them.
const STREET: &[&str] = &[
    "strasse",
    "straße",
    "strassenname",
    "straßenname",
    "str",
    "stn",
    "street",
    "addr:street",
];
const NUMBER: &[&str] = &["hausnummer", "hnr", "nr", "housenumber", "addr:housenumber"];
const SUFFIX: &[&str] = &["zusatz", "hausnummerzusatz", "adz"];
const POSTCODE: &[&str] = &["plz", "postleitzahl", "postcode", "addr:postcode"];
const CITY: &[&str] = &["ort", "ortsname", "onm", "gemeinde", "city", "addr:city"];
const LON: &[&str] = &["lon", "lng", "laenge", "länge", "longitude"];
const LAT: &[&str] = &["lat", "breite", "latitude"];
const EAST: &[&str] = &["ostwert", "rechtswert", "east", "easting", "x"];
const NORTH: &[&str] = &["nordwert", "hochwert", "north", "northing", "y"];

fn column(header: &[String], names: &[&str]) -> Option<usize> {
    header.iter().position(|h| names.contains(&h.as_str()))
}

/// Where the coordinates of a register file are.
enum Coordinates {
    Degrees { lon: usize, lat: usize },
    Metres { east: usize, north: usize },
}

/// Reads a register as CSV (separator `;`, `,` or tab; a header naming street, house number
/// and either `lon`/`lat` in degrees or `ostwert`/`nordwert` in metres of `metres_crs`,
/// ETRS89/UTM as the Länder deliver house coordinates) or as a GeoJSON FeatureCollection of
/// OpenStreetMap addresses (`addr:street`, `addr:housenumber`, …; points or building outlines).
/// Returns the usable houses and every broken row, so a caller can report all at once.
pub fn parse_register(
    text: &str,
    metres_crs: Crs,
) -> Result<(Vec<RegisterAddress>, Vec<RegisterProblem>), String> {
    let text = text.trim_start_matches('\u{feff}');
    if text.trim_start().starts_with('{') {
        return parse_geojson(text);
    }
    let mut reader = crate::csv_in::reader(text);
    let header: Vec<String> = reader
        .headers()
        .map_err(|e| format!("Die Kopfzeile ist nicht lesbar ({e})."))?
        .iter()
        .map(|h| h.trim().to_lowercase())
        .collect();
    let (Some(street), Some(number)) = (column(&header, STREET), column(&header, NUMBER)) else {
        return Err(
            "Die Kopfzeile braucht eine Spalte „strasse“ und eine Spalte „hausnummer“.".into(),
        );
    };
    let coordinates = match (
        column(&header, LON),
        column(&header, LAT),
        column(&header, EAST),
        column(&header, NORTH),
    ) {
        (Some(lon), Some(lat), ..) => Coordinates::Degrees { lon, lat },
        (_, _, Some(east), Some(north)) => Coordinates::Metres { east, north },
        _ => {
            return Err("Die Kopfzeile braucht „lon“ und „lat“ (Grad) oder „ostwert“ und „nordwert“ (Meter, ETRS89/UTM).".into())
        }
    };
    let crs = match coordinates {
        Coordinates::Degrees { .. } => Crs::Wgs84,
        Coordinates::Metres { .. } => metres_crs,
    };
    let reproject = Reprojector::new(crs)?;
    let (suffix, postcode, city) = (
        column(&header, SUFFIX),
        column(&header, POSTCODE),
        column(&header, CITY),
    );
    let mut houses = Vec::new();
    let mut problems = Vec::new();
    for (i, record) in reader.records().enumerate() {
        let line = i + 2;
        let problem = |problem: String| RegisterProblem {
            place: "Zeile",
            line,
            problem,
        };
        let record = match record {
            Ok(r) => r,
            Err(e) => {
                problems.push(problem(format!("nicht lesbar ({e})")));
                continue;
            }
        };
        if record.iter().all(str::is_empty) {
            continue;
        }
        let cell = |i: Option<usize>| i.and_then(|i| record.get(i)).unwrap_or_default();
        let number_text = format!("{}{}", cell(Some(number)), cell(suffix));
        let (x, y) = match coordinates {
            Coordinates::Degrees { lon, lat } => (cell(Some(lon)), cell(Some(lat))),
            Coordinates::Metres { east, north } => (cell(Some(east)), cell(Some(north))),
        };
        // Decimal commas are common in German spreadsheets.
        let x = x.replace(',', ".").parse::<f64>();
        let y = y.replace(',', ".").parse::<f64>();
        let house = match (x, y) {
            (Ok(x), Ok(y)) => house(
                cell(Some(street)),
                &number_text,
                cell(postcode),
                cell(city),
                (x, y),
                crs,
                &reproject,
            ),
            _ => Err("die Koordinaten sind keine Zahlen".into()),
        };
        match house {
            Ok(h) => houses.push(h),
            Err(p) => problems.push(problem(p)),
        }
    }
    Ok((houses, problems))
}

/// Checks one house whose coordinates `xy` are in `crs`.
fn house(
    street: &str,
    number: &str,
    postcode: &str,
    city: &str,
    xy: (f64, f64),
    crs: Crs,
    reproject: &Reprojector,
) -> Result<RegisterAddress, String> {
    if street_key(street).is_empty() {
        return Err("die Straße fehlt".into());
    }
    if number_key(number).is_empty() {
        return Err(format!("„{number}“ ist keine Hausnummer"));
    }
    if !crs.plausible(xy.0, xy.1) {
        return Err(format!(
            "die Koordinaten {} {} passen nicht zu {crs}",
            xy.0, xy.1
        ));
    }
    let (lon, lat) = reproject.to_lon_lat(xy.0, xy.1)?;
    let postcode = match postcode.trim() {
        "" => None,
        p => Some(
            super::postcodes::normalise(p)
                .ok_or_else(|| format!("„{p}“ ist keine fünfstellige Postleitzahl"))?,
        ),
    };
    Ok(RegisterAddress {
        street: street.trim().to_owned(),
        number: number.trim().to_owned(),
        postcode,
        city: Some(city.trim().to_owned()).filter(|c| !c.is_empty()),
        lon,
        lat,
    })
}

fn parse_geojson(text: &str) -> Result<(Vec<RegisterAddress>, Vec<RegisterProblem>), String> {
    let doc: Value = serde_json::from_str(text)
        .map_err(|e| format!("Die GeoJSON-Datei ist nicht lesbar ({e})."))?;
    let features = doc["features"]
        .as_array()
        .ok_or("Die GeoJSON-Datei braucht eine FeatureCollection mit „features“.")?;
    let degrees = Reprojector::new(Crs::Wgs84)?;
    let mut houses = Vec::new();
    let mut problems = Vec::new();
    for (i, f) in features.iter().enumerate() {
        let p = &f["properties"];
        let text = |names: &[&str]| {
            names
                .iter()
                .find_map(|n| p[*n].as_str())
                .unwrap_or_default()
                .to_owned()
        };
        let (street, number) = (text(STREET), text(NUMBER));
        // Features without an address (parks, shops without a house number) are not houses.
        if street.is_empty() && number.is_empty() {
            continue;
        }
        let house = centre(&f["geometry"])
            .ok_or_else(|| "keine Punkt- oder Flächengeometrie".to_owned())
            .and_then(|xy| {
                house(
                    &street,
                    &number,
                    &text(POSTCODE),
                    &text(CITY),
                    xy,
                    Crs::Wgs84,
                    &degrees,
                )
            });
        match house {
            Ok(h) => houses.push(h),
            Err(problem) => problems.push(RegisterProblem {
                place: "Objekt",
                line: i + 1,
                problem,
            }),
        }
    }
    Ok((houses, problems))
}

/// A point's position, or the mean of a building outline's corners (close enough for a house).
fn centre(geometry: &Value) -> Option<(f64, f64)> {
    let pair = |v: &Value| Some((v.get(0)?.as_f64()?, v.get(1)?.as_f64()?));
    let ring = match geometry["type"].as_str()? {
        "Point" => return pair(&geometry["coordinates"]),
        "Polygon" => geometry["coordinates"].get(0)?,
        "MultiPolygon" => geometry["coordinates"].get(0)?.get(0)?,
        _ => return None,
    };
    let points: Vec<(f64, f64)> = ring.as_array()?.iter().filter_map(pair).collect();
    if points.is_empty() {
        return None;
    }
    #[allow(clippy::cast_precision_loss)]
    let n = points.len() as f64;
    Some((
        points.iter().map(|p| p.0).sum::<f64>() / n,
        points.iter().map(|p| p.1).sum::<f64>() / n,
    ))
}

/// What an address typed into a form means in the register.
#[derive(Debug, Clone, PartialEq)]
pub enum Located {
    /// One house (or several entries at one spot).
    Found {
        lon: f64,
        lat: f64,
    },
    /// Houses at different places share the street and number (one street name in two
    /// Ortsteile): the postcode or the place decides.
    Ambiguous(Vec<String>),
    NotFound,
}

/// Chooses among the register's houses of one street key: the exact number first, then the
/// number without its letter ("120a" where the register has "120"); the postcode, then the
/// place narrow them down.
pub fn locate(houses: &[RegisterAddress], number: &str, postcode: &str, city: &str) -> Located {
    let wanted = number_key(number);
    let digits: String = wanted.chars().take_while(char::is_ascii_digit).collect();
    let postcode = super::postcodes::normalise(postcode);
    let city = street_key(city);
    for key in [wanted.as_str(), digits.as_str()] {
        let mut hits: Vec<&RegisterAddress> =
            houses.iter().filter(|h| h.number_key() == key).collect();
        if hits.is_empty() {
            continue;
        }
        if let Some(p) = &postcode {
            let same: Vec<_> = hits
                .iter()
                .copied()
                .filter(|h| h.postcode.as_ref() == Some(p))
                .collect();
            if !same.is_empty() {
                hits = same;
            }
        }
        if !city.is_empty() {
            let same: Vec<_> = hits
                .iter()
                .copied()
                .filter(|h| h.city.as_deref().map(street_key).as_deref() == Some(city.as_str()))
                .collect();
            if !same.is_empty() {
                hits = same;
            }
        }
        // Entries closer than about 50 m are one house (a register may list entrances).
        let (lon, lat) = (hits[0].lon, hits[0].lat);
        if hits
            .iter()
            .all(|h| (h.lon - lon).abs() < 7e-4 && (h.lat - lat).abs() < 4.5e-4)
        {
            return Located::Found { lon, lat };
        }
        let mut places: Vec<String> = hits
            .iter()
            .map(|h| {
                [h.postcode.as_deref(), h.city.as_deref()]
                    .into_iter()
                    .flatten()
                    .collect::<Vec<_>>()
                    .join(" ")
            })
            .collect();
        places.sort();
        places.dedup();
        return Located::Ambiguous(places);
    }
    Located::NotFound
}

/// The houses in a geocoder's answer (Nominatim's `/search?format=jsonv2&addressdetails=1`,
/// which self-hosted Nominatim and most hosted services speak), as register entries, so the
/// same rules choose among them as among the Kommune's own houses. Streets, places and other
/// hits without a house number are dropped: Nominatim answers an unknown number with the
/// street, which must not count as the house.
///
/// # Errors
/// A description when the answer is not such a list.
pub fn geocoder_houses(json: &str) -> Result<Vec<RegisterAddress>, String> {
    #[derive(serde::Deserialize)]
    struct Hit {
        lat: String,
        lon: String,
        #[serde(default)]
        address: std::collections::BTreeMap<String, String>,
    }
    let hits: Vec<Hit> =
        serde_json::from_str(json).map_err(|e| format!("keine Nominatim-Antwort: {e}"))?;
    Ok(hits
        .into_iter()
        .filter_map(|h| {
            let a = &h.address;
            let number = a.get("house_number")?;
            let street = ["road", "pedestrian", "footway", "square", "place"]
                .iter()
                .find_map(|k| a.get(*k))?;
            let city = ["city", "town", "village", "municipality"]
                .iter()
                .find_map(|k| a.get(*k))
                .cloned();
            Some(RegisterAddress {
                street: street.clone(),
                number: number.clone(),
                postcode: a.get("postcode").cloned(),
                city,
                lon: h.lon.trim().parse().ok().filter(|v: &f64| v.is_finite())?,
                lat: h.lat.trim().parse().ok().filter(|v: &f64| v.is_finite())?,
            })
        })
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_geocoders_houses_are_register_entries_and_its_streets_are_not() {
        let json = r#"[
          {"lat":"50.9375000","lon":"6.9990000","type":"house","place_rank":30,
           "address":{"house_number":"120","road":"Kalker Hauptstraße","city":"Köln","postcode":"51103"}},
          {"lat":"50.9377","lon":"7.0000","type":"residential","place_rank":26,
           "address":{"road":"Kalker Hauptstraße","city":"Köln"}},
          {"lat":"50.87","lon":"7.05","address":{"house_number":"5","pedestrian":"Markt","town":"Porz"}},
          {"lat":"x","lon":"7.05","address":{"house_number":"5","road":"Kaputt"}}
        ]"#;
        let houses = geocoder_houses(json).expect("parsed");
        assert_eq!(houses.len(), 2);
        assert_eq!(houses[0].street, "Kalker Hauptstraße");
        assert_eq!(houses[0].postcode.as_deref(), Some("51103"));
        assert_eq!((houses[0].lon, houses[0].lat), (6.999, 50.9375));
        assert_eq!(houses[1].city.as_deref(), Some("Porz"));
        assert_eq!(
            locate(&houses, "120", "51103", ""),
            Located::Found {
                lon: 6.999,
                lat: 50.9375
            }
        );
        assert!(geocoder_houses("[]").expect("empty").is_empty());
        assert!(geocoder_houses("{\"error\": \"x\"}").is_err());
    }

    #[test]
    fn an_address_on_one_line_is_split() {
        let parts = one_line;
        assert_eq!(
            parts("Kalker Hauptstraße 120, 51103 Köln"),
            (
                "Kalker Hauptstraße 120".into(),
                "51103".into(),
                "Köln".into()
            )
        );
        assert_eq!(
            parts("Domkloster 4, Köln"),
            ("Domkloster 4".into(), String::new(), "Köln".into())
        );
        assert_eq!(
            parts(" Domkloster 4 "),
            ("Domkloster 4".into(), String::new(), String::new())
        );
    }

    #[test]
    fn streets_compare_as_people_write_them() {
        let k = street_key("Kalker Hauptstraße");
        for same in [
            "Kalker Hauptstr.",
            "kalker hauptstrasse",
            "Kalker-Hauptstr",
            " KALKER HAUPTSTRASSE ",
        ] {
            assert_eq!(street_key(same), k, "{same}");
        }
        assert_ne!(street_key("Kalker Straße"), k);
        assert_eq!(
            street_key("Mülheimer Freiheit"),
            street_key("Muelheimer Freiheit")
        );
    }

    #[test]
    fn house_numbers_keep_their_letter_and_drop_ranges() {
        assert_eq!(number_key("120"), "120");
        assert_eq!(number_key("12 a"), "12a");
        assert_eq!(number_key("12A"), "12a");
        assert_eq!(number_key("12-14"), "12");
        assert_eq!(number_key("12 Hinterhaus"), "12");
        assert_eq!(number_key("a12"), "");
    }

    #[test]
    fn a_typed_street_is_split_at_its_house_number() {
        let split = split_house_number;
        assert_eq!(
            split("Kalker Hauptstraße 120a"),
            Some(("Kalker Hauptstraße".into(), "120a".into()))
        );
        assert_eq!(
            split("Straße des 17. Juni 4 b"),
            Some(("Straße des 17. Juni".into(), "4 b".into()))
        );
        assert_eq!(split("Am Markt, 3"), Some(("Am Markt".into(), "3".into())));
        assert_eq!(split("Domkloster"), None);
        assert_eq!(split("12"), None, "a number without a street");
    }

    const CSV: &str = "\u{feff}Strasse;Hausnummer;Zusatz;PLZ;Ort;lon;lat\n\
        Kalker Hauptstraße;120;;51103;Köln;6,9967;50,9372\n\
        Kalker Hauptstraße;120;a;51103;Köln;6.9969;50.9373\n\
        Hauptstraße;1;;51143;Köln;6.97;50.85\n\
        Hauptstraße;1;;50996;Köln;6.98;50.88\n\
        ;5;;51103;Köln;6.9;50.9\n\
        Kalk-Mülheimer Str.;x;;51103;Köln;6.9;50.9\n\
        Kalker Hauptstraße;7;;51103;Köln;356560;5645000\n";

    #[test]
    fn a_csv_register_is_read_and_its_bad_rows_named() {
        let (houses, problems) = parse_register(CSV, Crs::Utm32).expect("readable");
        assert_eq!(houses.len(), 4);
        assert_eq!(houses[1].number_key(), "120a");
        assert!((houses[0].lon - 6.9967).abs() < 1e-9, "decimal comma");
        let lines: Vec<usize> = problems.iter().map(|p| p.line).collect();
        assert_eq!(lines, [6, 7, 8], "{problems:?}");
        assert!(problems[2].problem.contains("EPSG:4326"), "{}", problems[2]);
    }

    #[test]
    fn metres_in_utm_become_degrees() {
        let text =
            "STN,HNR,ADZ,PLZ,ONM,OSTWERT,NORDWERT\nDomkloster,4,,50667,Köln,356560.26,5645227.28\n";
        let (houses, problems) = parse_register(text, Crs::Utm32).expect("readable");
        assert!(problems.is_empty(), "{problems:?}");
        // Kölner Dom: 6.9583 E, 50.9413 N.
        assert!((houses[0].lon - 6.958).abs() < 0.002, "{}", houses[0].lon);
        assert!((houses[0].lat - 50.941).abs() < 0.002, "{}", houses[0].lat);
    }

    #[test]
    fn a_register_without_the_needed_columns_is_refused() {
        let e = parse_register("plz;ort\n51103;Köln\n", Crs::Utm32).expect_err("no street");
        assert!(e.contains("strasse"), "{e}");
        let e = parse_register("strasse;hausnummer\nA;1\n", Crs::Utm32).expect_err("no point");
        assert!(e.contains("lon"), "{e}");
    }

    #[test]
    fn osm_addresses_as_geojson() {
        let text = r#"{"type":"FeatureCollection","features":[
          {"type":"Feature","properties":{"addr:street":"Kalker Hauptstraße","addr:housenumber":"120","addr:postcode":"51103"},
           "geometry":{"type":"Polygon","coordinates":[[[6.99,50.93],[7.0,50.93],[7.0,50.94],[6.99,50.94],[6.99,50.93]]]}},
          {"type":"Feature","properties":{"name":"Park"},"geometry":{"type":"Point","coordinates":[6.9,50.9]}},
          {"type":"Feature","properties":{"addr:street":"Kalker Hauptstraße","addr:housenumber":"122"},"geometry":null}
        ]}"#;
        let (houses, problems) = parse_register(text, Crs::Utm32).expect("readable");
        assert_eq!(houses.len(), 1);
        assert!((houses[0].lon - 6.994).abs() < 0.001);
        assert_eq!(problems.len(), 1);
        assert_eq!(problems[0].line, 3);
    }

    #[test]
    fn an_address_is_located_by_number_postcode_and_place() {
        let (houses, _) = parse_register(CSV, Crs::Utm32).expect("readable");
        let kalk: Vec<_> = houses
            .iter()
            .filter(|h| h.street_key() == street_key("Kalker Hauptstr."))
            .cloned()
            .collect();
        assert_eq!(
            locate(&kalk, "120a", "", ""),
            Located::Found {
                lon: 6.9969,
                lat: 50.9373
            }
        );
        // "120b" is not listed: the house 120 is meant.
        assert_eq!(
            locate(&kalk, "120 b", "", ""),
            Located::Found {
                lon: 6.9967,
                lat: 50.9372
            }
        );
        assert_eq!(locate(&kalk, "999", "", ""), Located::NotFound);
        let haupt: Vec<_> = houses
            .iter()
            .filter(|h| h.street_key() == street_key("Hauptstraße"))
            .cloned()
            .collect();
        assert_eq!(
            locate(&haupt, "1", "", "Köln"),
            Located::Ambiguous(vec!["50996 Köln".into(), "51143 Köln".into()])
        );
        assert_eq!(
            locate(&haupt, "1", "51143", ""),
            Located::Found {
                lon: 6.97,
                lat: 50.85
            }
        );
    }
}
