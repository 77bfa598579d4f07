//! What a provider, planner or import writes for an actor or offer, the checks it must pass
//! (all problems at once, so a form can show them together), and the rules of self-service:
//! who needs a moderator's approval, and when an entry counts as stale.

use super::categories::Categories;
use super::schedule::Schedule;
use super::taxonomy::{self, check_keys};
use super::{
    check_ages, check_email, check_name, check_website, EntryError, Point, DESCRIPTION_MAX,
};
use chrono::{DateTime, Duration, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

/// An actor (organisation) as typed. The description is raw; the server sanitises it.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct ActorInput {
    pub name: String,
    pub kind: String,
    pub description: String,
    pub contact_name: String,
    pub email: String,
    pub phone: String,
    pub street: String,
    pub postcode: String,
    pub city: String,
    pub lon: Option<f64>,
    pub lat: Option<f64>,
    pub website: String,
    pub languages: Vec<String>,
    pub accessibility: String,
}

/// An offer as typed. Without a location of its own it takes place at the actor's.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct OfferInput {
    pub title: String,
    pub description: String,
    pub categories: Vec<String>,
    pub target_groups: Vec<String>,
    pub age_min: Option<u8>,
    pub age_max: Option<u8>,
    pub languages: Vec<String>,
    /// One weekly time or date per line (see [`Schedule::parse`]).
    pub schedule: String,
    pub cost: String,
    pub registration: bool,
    pub barrier_free: bool,
    pub street: String,
    pub postcode: String,
    pub city: String,
    pub lon: Option<f64>,
    pub lat: Option<f64>,
    pub valid_from: Option<NaiveDate>,
    pub valid_until: Option<NaiveDate>,
    /// Areas the offer serves beyond where it lies (ids of the tenant's areas).
    pub serves: Vec<i32>,
}

/// An entry that may be given by its address only: the server then looks the point up in the
/// Kommune's address register before the checks run.
pub trait Addressed {
    /// Street (with house number), postcode and place when there is an address but no point.
    fn address_only(&self) -> Option<(&str, &str, &str)>;
    fn set_point(&mut self, p: Point);
}

macro_rules! addressed {
    ($t:ty) => {
        impl Addressed for $t {
            fn address_only(&self) -> Option<(&str, &str, &str)> {
                (self.lon.is_none() && self.lat.is_none() && !self.street.trim().is_empty())
                    .then_some((&self.street, &self.postcode, &self.city))
            }

            fn set_point(&mut self, p: Point) {
                self.lon = Some(p.lon);
                self.lat = Some(p.lat);
            }
        }
    };
}
addressed!(ActorInput);
addressed!(OfferInput);

/// A checked actor (description still raw).
#[derive(Debug, Clone, PartialEq)]
pub struct Actor {
    pub name: String,
    pub kind: String,
    pub description: String,
    pub contact_name: Option<String>,
    pub email: Option<String>,
    pub phone: Option<String>,
    pub street: Option<String>,
    pub postcode: Option<String>,
    pub city: Option<String>,
    pub location: Point,
    pub website: Option<String>,
    pub languages: Vec<String>,
    pub accessibility: Option<String>,
}

/// A checked offer (description still raw).
#[derive(Debug, Clone, PartialEq)]
pub struct Offer {
    pub title: String,
    pub description: String,
    pub categories: Vec<String>,
    pub target_groups: Vec<String>,
    pub age_min: Option<u8>,
    pub age_max: Option<u8>,
    pub languages: Vec<String>,
    pub schedule: Schedule,
    pub cost: String,
    pub registration: bool,
    pub barrier_free: bool,
    pub street: Option<String>,
    pub postcode: Option<String>,
    pub city: Option<String>,
    /// `None`: at the actor's place.
    pub location: Option<Point>,
    pub valid_from: Option<NaiveDate>,
    pub valid_until: Option<NaiveDate>,
    pub serves: Vec<i32>,
}

fn opt(s: &str, max: usize) -> Result<Option<String>, ()> {
    let s = s.trim();
    if s.is_empty() {
        Ok(None)
    } else if s.chars().count() > max || s.chars().any(|c| c.is_control() && c != '\n') {
        Err(())
    } else {
        Ok(Some(s.to_owned()))
    }
}

fn short(field: &'static str, s: &str, max: usize, errs: &mut Vec<EntryError>) -> Option<String> {
    opt(s, max).unwrap_or_else(|()| {
        errs.push(EntryError::TooLong(field, max));
        None
    })
}

fn location(
    lon: Option<f64>,
    lat: Option<f64>,
    address: bool,
) -> Result<Option<Point>, EntryError> {
    match (lon, lat) {
        (Some(lon), Some(lat)) => Point::new(lon, lat).map(Some),
        (None, None) if address => Err(EntryError::NoCoordinates),
        (None, None) => Ok(None),
        _ => Err(EntryError::Location),
    }
}

fn description(raw: &str, errs: &mut Vec<EntryError>) -> String {
    if raw.chars().count() > DESCRIPTION_MAX {
        errs.push(EntryError::Description);
    }
    raw.trim().to_owned()
}

fn keys(
    field: &'static str,
    list: &[String],
    known: impl Fn(&str) -> bool,
    errs: &mut Vec<EntryError>,
) -> Vec<String> {
    check_keys(field, list, known).unwrap_or_else(|e| {
        errs.push(e);
        Vec::new()
    })
}

impl ActorInput {
    /// # Errors
    /// Every problem found; an actor needs a point (there is no geocoder to derive it from the
    /// address).
    pub fn check(&self) -> Result<Actor, Vec<EntryError>> {
        let mut errs = Vec::new();
        let name = check_name(&self.name).map_err(|e| errs.push(e)).ok();
        if taxonomy::label(taxonomy::ACTOR_KINDS, &self.kind).is_none() {
            errs.push(EntryError::Unknown("kind", self.kind.clone()));
        }
        let description = description(&self.description, &mut errs);
        let email = check_email(&self.email).map_err(|e| errs.push(e)).ok();
        let website = check_website(&self.website).map_err(|e| errs.push(e)).ok();
        let contact_name = short("contact_name", &self.contact_name, 200, &mut errs);
        let phone = short("phone", &self.phone, 50, &mut errs);
        let street = short("street", &self.street, 200, &mut errs);
        let postcode = short("postcode", &self.postcode, 10, &mut errs);
        let city = short("city", &self.city, 100, &mut errs);
        let accessibility = short("accessibility", &self.accessibility, 2000, &mut errs);
        let languages = keys(
            "languages",
            &self.languages,
            |k| taxonomy::label(taxonomy::LANGUAGES, k).is_some(),
            &mut errs,
        );
        let location = match location(self.lon, self.lat, true) {
            Ok(Some(p)) => Some(p),
            Ok(None) => None,
            Err(e) => {
                errs.push(e);
                None
            }
        };
        match (name, email, website, location) {
            (Some(name), Some(email), Some(website), Some(location)) if errs.is_empty() => {
                Ok(Actor {
                    name,
                    kind: self.kind.clone(),
                    description,
                    contact_name,
                    email,
                    phone,
                    street,
                    postcode,
                    city,
                    location,
                    website,
                    languages,
                    accessibility,
                })
            }
            _ => Err(errs),
        }
    }
}

impl ActorInput {
    /// The input as it will be stored (lists sorted, text trimmed), so comparing it with a
    /// stored entry shows only real changes; unchanged when it does not pass the checks.
    pub fn normalised(&self) -> Self {
        match self.check() {
            Ok(a) => Self {
                name: a.name,
                kind: a.kind,
                description: a.description,
                contact_name: a.contact_name.unwrap_or_default(),
                email: a.email.unwrap_or_default(),
                phone: a.phone.unwrap_or_default(),
                street: a.street.unwrap_or_default(),
                postcode: a.postcode.unwrap_or_default(),
                city: a.city.unwrap_or_default(),
                lon: Some(a.location.lon),
                lat: Some(a.location.lat),
                website: a.website.unwrap_or_default(),
                languages: a.languages,
                accessibility: a.accessibility.unwrap_or_default(),
            },
            Err(_) => self.clone(),
        }
    }
}

impl OfferInput {
    /// See [`ActorInput::normalised`].
    pub fn normalised(&self, categories: &Categories) -> Self {
        match self.check(categories) {
            Ok(o) => Self {
                title: o.title,
                description: o.description,
                categories: o.categories,
                target_groups: o.target_groups,
                age_min: o.age_min,
                age_max: o.age_max,
                languages: o.languages,
                schedule: o.schedule.to_text(),
                cost: o.cost,
                registration: o.registration,
                barrier_free: o.barrier_free,
                street: o.street.unwrap_or_default(),
                postcode: o.postcode.unwrap_or_default(),
                city: o.city.unwrap_or_default(),
                lon: o.location.map(|p| p.lon),
                lat: o.location.map(|p| p.lat),
                valid_from: o.valid_from,
                valid_until: o.valid_until,
                serves: o.serves,
            },
            Err(_) => self.clone(),
        }
    }

    /// Checks the offer against the Kommune's categories (only those in use).
    ///
    /// # Errors
    /// Every problem found. A street without coordinates is refused (no geocoder).
    pub fn check(&self, categories: &Categories) -> Result<Offer, Vec<EntryError>> {
        let mut errs = Vec::new();
        let title = check_name(&self.title).map_err(|e| errs.push(e)).ok();
        let description = description(&self.description, &mut errs);
        let categories = keys(
            "categories",
            &self.categories,
            |k| categories.is_active(k),
            &mut errs,
        );
        if categories.is_empty()
            && !errs
                .iter()
                .any(|e| matches!(e, EntryError::Unknown("categories", _)))
        {
            errs.push(EntryError::Missing("categories"));
        }
        let target_groups = keys(
            "target_groups",
            &self.target_groups,
            |k| taxonomy::target_group_label(k).is_some(),
            &mut errs,
        );
        let languages = keys(
            "languages",
            &self.languages,
            |k| taxonomy::label(taxonomy::LANGUAGES, k).is_some(),
            &mut errs,
        );
        let ages = check_ages(self.age_min, self.age_max)
            .map_err(|e| errs.push(e))
            .ok();
        let schedule = Schedule::parse(&self.schedule)
            .map_err(|e| errs.push(e))
            .ok();
        if taxonomy::label(taxonomy::COSTS, &self.cost).is_none() {
            errs.push(EntryError::Unknown("cost", self.cost.clone()));
        }
        let street = short("street", &self.street, 200, &mut errs);
        let postcode = short("postcode", &self.postcode, 10, &mut errs);
        let city = short("city", &self.city, 100, &mut errs);
        let location = location(self.lon, self.lat, street.is_some())
            .map_err(|e| errs.push(e))
            .ok();
        if let (Some(a), Some(b)) = (self.valid_from, self.valid_until) {
            if b < a {
                errs.push(EntryError::Validity);
            }
        }
        let mut serves = self.serves.clone();
        serves.sort_unstable();
        serves.dedup();
        match (title, ages, schedule, location) {
            (Some(title), Some((age_min, age_max)), Some(schedule), Some(location))
                if errs.is_empty() =>
            {
                Ok(Offer {
                    title,
                    description,
                    categories,
                    target_groups,
                    age_min,
                    age_max,
                    languages,
                    schedule,
                    cost: self.cost.clone(),
                    registration: self.registration,
                    barrier_free: self.barrier_free,
                    street,
                    postcode,
                    city,
                    location,
                    valid_from: self.valid_from,
                    valid_until: self.valid_until,
                    serves,
                })
            }
            _ => Err(errs),
        }
    }
}

/// Who writes a change, as far as moderation cares.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Editor {
    /// Planners, admins and moderators of the tenant, and imports they run.
    Staff,
    /// A member of an actor a moderator has marked as trusted.
    TrustedProvider,
    Provider,
}

/// A first publication by a provider always waits for a moderator; later changes wait unless
/// the provider is trusted. Staff publish directly.
pub fn needs_review(editor: Editor, first_publication: bool) -> bool {
    match editor {
        Editor::Staff => false,
        Editor::TrustedProvider => first_publication,
        Editor::Provider => true,
    }
}

/// Entries not confirmed for this long are marked stale and their providers asked to confirm.
pub const STALE_AFTER_DAYS: i64 = 365;
/// A stale entry's providers are reminded again after this many days.
pub const REMIND_EVERY_DAYS: i64 = 30;

pub fn is_stale(confirmed_at: DateTime<Utc>, now: DateTime<Utc>) -> bool {
    now - confirmed_at > Duration::days(STALE_AFTER_DAYS)
}

/// Whether a stale entry's providers should get a reminder now.
pub fn reminder_due(
    confirmed_at: DateTime<Utc>,
    reminded_at: Option<DateTime<Utc>>,
    now: DateTime<Utc>,
) -> bool {
    is_stale(confirmed_at, now)
        && reminded_at
            .is_none_or(|r| r < confirmed_at || now - r > Duration::days(REMIND_EVERY_DAYS))
}

/// An offer is shown while today lies in its validity period.
pub fn valid_on(from: Option<NaiveDate>, until: Option<NaiveDate>, day: NaiveDate) -> bool {
    from.is_none_or(|f| f <= day) && until.is_none_or(|u| day <= u)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn actor() -> ActorInput {
        ActorInput {
            name: "Familienzentrum Kalk".into(),
            kind: "familienzentrum".into(),
            lon: Some(6.99),
            lat: Some(50.94),
            languages: vec!["tr".into(), "de".into(), "de".into()],
            website: "www.fz-kalk.de".into(),
            ..ActorInput::default()
        }
    }

    fn offer() -> OfferInput {
        OfferInput {
            title: "Elterncafé".into(),
            categories: vec!["beratung".into()],
            cost: "kostenlos".into(),
            schedule: "Mi 9-11".into(),
            ..OfferInput::default()
        }
    }

    #[test]
    fn a_good_actor_is_normalised() {
        let a = actor().check().expect("valid");
        assert_eq!(a.languages, vec!["de", "tr"]);
        assert_eq!(a.website.as_deref(), Some("https://www.fz-kalk.de"));
        assert_eq!(a.contact_name, None);
    }

    #[test]
    fn every_problem_is_reported_at_once() {
        let bad = ActorInput {
            name: "X".into(),
            kind: "geheimbund".into(),
            website: "javascript:alert(1)".into(),
            email: "nein".into(),
            street: "Kalker Hauptstraße 1".into(),
            lon: None,
            lat: None,
            languages: vec!["xx".into()],
            ..ActorInput::default()
        };
        let errs = bad.check().expect_err("invalid");
        let codes: Vec<&str> = errs.iter().map(EntryError::code).collect();
        assert_eq!(
            codes,
            vec![
                "NAME_INVALID",
                "UNKNOWN_VALUE",
                "EMAIL_INVALID",
                "WEBSITE_INVALID",
                "UNKNOWN_VALUE",
                "COORDINATES_MISSING"
            ]
        );
    }

    #[test]
    fn an_offer_may_take_the_actors_place_but_an_address_needs_coordinates() {
        let o = offer().check(&Categories::default()).expect("valid");
        assert_eq!(o.location, None);
        assert_eq!(o.schedule.weekdays(), vec!["mi"]);
        let with_street = OfferInput {
            street: "Kalker Hauptstraße 1".into(),
            ..offer()
        };
        assert_eq!(
            with_street
                .check(&Categories::default())
                .expect_err("no coordinates"),
            vec![EntryError::NoCoordinates]
        );
        let upside_down = OfferInput {
            valid_from: NaiveDate::from_ymd_opt(2026, 5, 1),
            valid_until: NaiveDate::from_ymd_opt(2026, 4, 1),
            categories: vec![],
            age_min: Some(12),
            age_max: Some(6),
            ..offer()
        };
        let codes: Vec<&str> = upside_down
            .check(&Categories::default())
            .expect_err("invalid")
            .iter()
            .map(EntryError::code)
            .collect();
        assert_eq!(codes, vec!["MISSING", "AGES_INVALID", "VALIDITY_INVALID"]);
    }

    #[test]
    fn review_rules() {
        assert!(needs_review(Editor::Provider, true));
        assert!(needs_review(Editor::Provider, false));
        assert!(needs_review(Editor::TrustedProvider, true));
        assert!(!needs_review(Editor::TrustedProvider, false));
        assert!(!needs_review(Editor::Staff, true));
    }

    #[test]
    fn stale_after_a_year_reminded_monthly() {
        let now = Utc::now();
        let old = now - Duration::days(400);
        assert!(!is_stale(now - Duration::days(300), now));
        assert!(is_stale(old, now));
        assert!(reminder_due(old, None, now));
        assert!(!reminder_due(old, Some(now - Duration::days(3)), now));
        assert!(reminder_due(old, Some(now - Duration::days(31)), now));
        let day = |d| NaiveDate::from_ymd_opt(2026, 11, d).unwrap_or_default();
        assert!(valid_on(None, None, day(1)));
        assert!(valid_on(Some(day(1)), Some(day(1)), day(1)));
        assert!(!valid_on(None, Some(day(1)), day(2)));
    }
}
