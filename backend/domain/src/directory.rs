//! The actor and offer directory (Angebotslandkarte): the words (actor kinds, categories,
//! target groups, costs, weekdays), the rules an actor or offer must meet, duplicate
//! detection for imports, and the search contract every search backend fulfils.
//! Storage, sanitising of rich text, placement and the backends live in the server.

pub mod categories;
pub mod coverage;
pub mod dedupe;
pub mod entry;
pub mod import;
pub mod schedule;
pub mod search;
pub mod taxonomy;

use serde::{Deserialize, Serialize};

/// Longest name of an actor or title of an offer, in characters.
pub const NAME_MAX: usize = 200;
/// Longest description as typed, in characters (before sanitising).
pub const DESCRIPTION_MAX: usize = 10_000;

/// What is wrong with an actor or offer; each names the field a person can correct.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum EntryError {
    #[error("name: 2 to {NAME_MAX} characters")]
    Name,
    #[error("description: at most {DESCRIPTION_MAX} characters")]
    Description,
    #[error("website: only http:// and https:// addresses")]
    Website,
    #[error("email: not an e-mail address")]
    Email,
    #[error("location: longitude -180..180 and latitude -90..90 are needed")]
    Location,
    #[error("{0}: unknown value {1:?}")]
    Unknown(&'static str, String),
    #[error("ages: the youngest age is above the oldest, or above 120")]
    Ages,
    #[error("schedule: {0}")]
    Schedule(String),
    #[error("validity: the end is before the start")]
    Validity,
    #[error("{0}: at most {1} characters, no control characters")]
    TooLong(&'static str, usize),
    #[error("{0}: at least one value is needed")]
    Missing(&'static str),
    #[error(
        "location: an address needs coordinates (the Kommune has no address register); set the point on the map"
    )]
    NoCoordinates,
    #[error("location: the address {0:?} is not in the Kommune's address register")]
    AddressUnknown(String),
    #[error("location: the address is in several places ({0:?}); give the postcode")]
    AddressAmbiguous(Vec<String>),
    #[error("location: the point lies outside the Kommune's areas")]
    Outside,
    #[error("location: the geocoder could not be asked just now")]
    AddressLookupFailed,
}

impl EntryError {
    pub fn code(&self) -> &'static str {
        match self {
            Self::Name => "NAME_INVALID",
            Self::Description => "DESCRIPTION_TOO_LONG",
            Self::Website => "WEBSITE_INVALID",
            Self::Email => "EMAIL_INVALID",
            Self::Location => "LOCATION_INVALID",
            Self::Unknown(..) => "UNKNOWN_VALUE",
            Self::Ages => "AGES_INVALID",
            Self::Schedule(_) => "SCHEDULE_INVALID",
            Self::Validity => "VALIDITY_INVALID",
            Self::TooLong(..) => "TOO_LONG",
            Self::Missing(_) => "MISSING",
            Self::NoCoordinates => "COORDINATES_MISSING",
            Self::AddressUnknown(_) => "ADDRESS_UNKNOWN",
            Self::AddressAmbiguous(_) => "ADDRESS_AMBIGUOUS",
            Self::Outside => "OUTSIDE_AREAS",
            Self::AddressLookupFailed => "ADDRESS_LOOKUP_FAILED",
        }
    }

    /// The message for a person filling in a form.
    pub fn german(&self) -> String {
        match self {
            Self::Name => format!("Der Name muss 2 bis {NAME_MAX} Zeichen lang sein."),
            Self::Description => {
                format!("Die Beschreibung darf höchstens {DESCRIPTION_MAX} Zeichen lang sein.")
            }
            Self::Website => "Die Webadresse muss mit http:// oder https:// beginnen.".into(),
            Self::Email => "Die E-Mail-Adresse ist ungültig.".into(),
            Self::Location => "Der Ort braucht Länge (-180 bis 180) und Breite (-90 bis 90).".into(),
            Self::Unknown(field, v) => format!("Unbekannter Wert „{v}“ im Feld {}.", field_de(field)),
            Self::Ages => "Das Mindestalter liegt über dem Höchstalter (oder über 120).".into(),
            Self::Schedule(m) => format!(
                "Zeiten: {} Schreiben Sie je Zeile z. B. „Mo 15:00-17:00“ oder „05.12.2026 10-12“.",
                m.replace("line", "Zeile")
            ),
            Self::Validity => "Das Ende des Zeitraums liegt vor dem Beginn.".into(),
            Self::TooLong(field, max) => {
                format!("Das Feld {} darf höchstens {max} Zeichen lang sein.", field_de(field))
            }
            Self::Missing(field) => format!("Bitte wählen Sie mindestens eine {}.", field_de(field)),
            Self::NoCoordinates => "Zur Adresse fehlt der Ort: Bitte setzen Sie den Punkt auf der Karte oder geben Sie Länge und Breite an.".into(),
            Self::AddressUnknown(a) => format!("Die Adresse „{a}“ steht nicht im Adressverzeichnis der Kommune. Bitte prüfen Sie Straße und Hausnummer, oder setzen Sie den Punkt auf der Karte."),
            Self::AddressAmbiguous(places) => format!("Diese Adresse gibt es mehrmals ({}). Bitte geben Sie die Postleitzahl an.", places.join(", ")),
            Self::Outside => "Der Ort liegt außerhalb der Gebiete dieser Kommune.".into(),
            Self::AddressLookupFailed => "Die Adresse konnte gerade nicht gesucht werden. Bitte versuchen Sie es gleich noch einmal, oder setzen Sie den Punkt auf der Karte.".into(),
        }
    }
}

fn field_de(field: &str) -> &'static str {
    match field {
        "kind" => "Art",
        "categories" => "Kategorie",
        "target_groups" => "Zielgruppe",
        "languages" => "Sprachen",
        "cost" => "Kosten",
        "contact_name" => "Ansprechperson",
        "phone" => "Telefon",
        "street" => "Straße",
        "postcode" => "Postleitzahl",
        "city" => "Ort",
        "accessibility" => "Barrierefreiheit",
        _ => "Eingabe",
    }
}

/// A point (EPSG:4326).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Point {
    pub lon: f64,
    pub lat: f64,
}

impl Point {
    /// # Errors
    /// `Location` for coordinates off the globe (or swapped into impossible ranges).
    pub fn new(lon: f64, lat: f64) -> Result<Self, EntryError> {
        if lon.is_finite()
            && lat.is_finite()
            && (-180.0..=180.0).contains(&lon)
            && (-90.0..=90.0).contains(&lat)
        {
            Ok(Self { lon, lat })
        } else {
            Err(EntryError::Location)
        }
    }

    /// Great-circle distance in metres.
    pub fn distance_m(&self, other: &Point) -> f64 {
        use geo::{Distance, Haversine};
        Haversine.distance(
            geo::Point::new(self.lon, self.lat),
            geo::Point::new(other.lon, other.lat),
        )
    }
}

/// Checks a name or title: trimmed, 2 to [`NAME_MAX`] characters.
///
/// # Errors
/// `Name`.
pub fn check_name(name: &str) -> Result<String, EntryError> {
    let n = name.trim();
    let len = n.chars().count();
    if (2..=NAME_MAX).contains(&len) {
        Ok(n.to_owned())
    } else {
        Err(EntryError::Name)
    }
}

/// A website as a provider typed it: only `http(s)://host…`, no spaces or control characters
/// (no `javascript:` or `data:` links). A bare `www.…` gets `https://`.
///
/// # Errors
/// `Website`.
pub fn check_website(url: &str) -> Result<Option<String>, EntryError> {
    let u = url.trim();
    if u.is_empty() {
        return Ok(None);
    }
    let u = if u.to_ascii_lowercase().starts_with("www.") {
        format!("https://{u}")
    } else {
        u.to_owned()
    };
    let lower = u.to_ascii_lowercase();
    let rest = lower
        .strip_prefix("https://")
        .or_else(|| lower.strip_prefix("http://"))
        .ok_or(EntryError::Website)?;
    let host = rest.split(['/', '?', '#']).next().unwrap_or_default();
    let ok = host.contains('.')
        && host.len() <= 253
        && u.len() <= 2000
        && !u
            .chars()
            .any(|c| c.is_whitespace() || c.is_control() || c == '"' || c == '<' || c == '>');
    if ok {
        Ok(Some(u))
    } else {
        Err(EntryError::Website)
    }
}

/// An e-mail address: one `@`, something on both sides, a dot in the domain.
///
/// # Errors
/// `Email`.
pub fn check_email(email: &str) -> Result<Option<String>, EntryError> {
    let e = email.trim();
    if e.is_empty() {
        return Ok(None);
    }
    match e.split_once('@') {
        Some((local, domain))
            if !local.is_empty()
                && domain.contains('.')
                && !domain.contains('@')
                && e.len() <= 254
                && !e.chars().any(|c| c.is_whitespace() || c.is_control()) =>
        {
            Ok(Some(e.to_owned()))
        }
        _ => Err(EntryError::Email),
    }
}

/// An age range (in years); both ends optional.
///
/// # Errors
/// `Ages` when upside down or above 120.
pub fn check_ages(
    min: Option<u8>,
    max: Option<u8>,
) -> Result<(Option<u8>, Option<u8>), EntryError> {
    if min.is_some_and(|m| m > 120) || max.is_some_and(|m| m > 120) {
        return Err(EntryError::Ages);
    }
    if let (Some(a), Some(b)) = (min, max) {
        if a > b {
            return Err(EntryError::Ages);
        }
    }
    Ok((min, max))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn websites_are_http_only() {
        assert_eq!(
            check_website(" https://example.org/a?b=1 "),
            Ok(Some("https://example.org/a?b=1".into()))
        );
        assert_eq!(
            check_website("www.kalk.de"),
            Ok(Some("https://www.kalk.de".into()))
        );
        assert_eq!(check_website(""), Ok(None));
        for bad in [
            "javascript:alert(1)",
            "JaVaScRiPt:alert(1)",
            "data:text/html,x",
            "https://",
            "ftp://x.de",
            "https://exa mple.org",
            "https://x.de/\"onmouseover",
            "//evil.example",
        ] {
            assert_eq!(check_website(bad), Err(EntryError::Website), "{bad}");
        }
    }

    #[test]
    fn names_emails_ages_and_points() {
        assert_eq!(check_name("  Kalk-Treff "), Ok("Kalk-Treff".into()));
        assert_eq!(check_name("K"), Err(EntryError::Name));
        assert_eq!(check_name(&"x".repeat(201)), Err(EntryError::Name));
        assert_eq!(
            check_email("info@kalk-treff.de"),
            Ok(Some("info@kalk-treff.de".into()))
        );
        assert_eq!(check_email("info@localhost"), Err(EntryError::Email));
        assert_eq!(check_ages(Some(6), Some(12)), Ok((Some(6), Some(12))));
        assert_eq!(check_ages(Some(12), Some(6)), Err(EntryError::Ages));
        assert_eq!(check_ages(None, Some(121)), Err(EntryError::Ages));
        assert!(Point::new(6.99, 50.94).is_ok());
        assert_eq!(Point::new(50.94, 200.0), Err(EntryError::Location));
        assert_eq!(Point::new(f64::NAN, 1.0), Err(EntryError::Location));
        // Kalk Post to Köln Dom: about 3.3 km.
        let d = Point {
            lon: 6.9996,
            lat: 50.9389,
        }
        .distance_m(&Point {
            lon: 6.9581,
            lat: 50.9413,
        });
        assert!((2800.0..3400.0).contains(&d), "{d}");
    }
}
