//! Everything the process keeps in memory, in one place: each entry says its bound and who
//! clears it. All of it is a cache or a counter that a restart may lose; nothing here is the only
//! copy of anything. It assumes one process per database (see ARCHITECTURE.md, "What lives in
//! memory").

use crate::kernel::drafts::Drafts;
use crate::kernel::settings::Settings;
use crate::kernel::window_counter::FailureLimiter;
use chrono::NaiveDate;
use qn_domain::areas::AreaIndex;
use qn_domain::indicators::disclosure::VisibleValue;
use std::collections::HashMap;
use std::sync::{Arc, RwLock};
use std::time::Duration;

/// Area id and simplified GeoJSON geometry of each current area of a level.
pub type LevelFeatures = Arc<Vec<(i32, serde_json::Value)>>;
pub type FeatureCache = HashMap<(i32, u64), LevelFeatures>;
/// The values of one indicator at one date at every level, each with its area's level.
pub type Group = Arc<Vec<(i32, VisibleValue)>>;
/// The (level, date) pairs at which an indicator has values.
pub type Shape = Arc<Vec<(i32, NaiveDate)>>;

pub struct Memory {
    /// The current boundaries for point-in-polygon, all tenants. Bound: the areas table.
    /// Swapped as a whole by `flows::boundaries` after an area import (and at startup); readers
    /// keep the `Arc` they took.
    pub area_index: RwLock<Arc<AreaIndex>>,
    /// Simplified current boundaries per (level, tolerance) for choropleth maps. Bound: levels ×
    /// the few tolerances the maps ask for. Cleared by `flows::boundaries`.
    pub map_features: RwLock<FeatureCache>,
    /// Indicator values after disclosure control. Bound: indicators × dates. Cleared per
    /// indicator by every write to its values or catalogue entry, wholly by `flows::boundaries`.
    pub published: PublishedCache,
    /// Refused long forms, to show them filled in again (see `drafts`). Bound: 10,000 drafts,
    /// one hour each.
    pub form_drafts: Drafts,
    pub limits: Limits,
    /// Records read on a hot path that change rarely (a survey with its structure and target
    /// areas, for each response). Bound: 2,000 entries, then emptied. Nobody clears it: a user
    /// of an entry checks it against the database in the statement that relies on it (e.g. the
    /// response's insert requires the survey's `updated_at` it was read with) and reloads it
    /// when that fails, so an entry can be stale but never wrongly used — in any process.
    pub records: RecordCache,
    /// SQLite has one writer: survey responses queue here for it instead of polling SQLite's
    /// busy handler against each other (PostgreSQL: unused).
    pub sqlite_writer: tokio::sync::Mutex<()>,
    /// Imports and search rebuilds run one at a time, so versions and the search index stay
    /// consistent.
    pub write_lock: tokio::sync::Mutex<()>,
}

/// Sliding-window counters per key; each bounds its map at 100,000 keys and forgets keys whose
/// window has passed.
pub struct Limits {
    /// Failed logins per e-mail address; cleared for the address by a successful login.
    pub logins_per_email: FailureLimiter,
    /// Failed logins per client address (ten times the per-address allowance).
    pub logins_per_client: FailureLimiter,
    /// Registrations per client address and hour.
    pub signups: FailureLimiter,
    /// Survey responses per client address and minute.
    pub survey_responses: FailureLimiter,
    /// Board writes without an account per client address and hour.
    pub anonymous_writes: FailureLimiter,
}

impl Memory {
    pub fn new(settings: &Settings) -> Self {
        let window = Duration::from_secs(settings.login_window_secs);
        let hour = Duration::from_secs(3600);
        Self {
            area_index: RwLock::new(Arc::new(AreaIndex::default())),
            map_features: RwLock::new(FeatureCache::new()),
            published: PublishedCache::default(),
            form_drafts: Drafts::default(),
            limits: Limits {
                logins_per_email: FailureLimiter::new(settings.login_attempts, window),
                logins_per_client: FailureLimiter::new(
                    settings.login_attempts.saturating_mul(10),
                    window,
                ),
                signups: FailureLimiter::new(settings.signups_per_hour, hour),
                survey_responses: FailureLimiter::new(
                    settings.survey_submissions_per_minute,
                    Duration::from_secs(60),
                ),
                anonymous_writes: FailureLimiter::new(settings.anonymous_writes_per_hour, hour),
            },
            records: RecordCache::default(),
            sqlite_writer: tokio::sync::Mutex::new(()),
            write_lock: tokio::sync::Mutex::new(()),
        }
    }

    /// The current area index (empty until the first build). A lock poisoned by a panic
    /// elsewhere still holds a whole index (it is swapped in one assignment), so it is used
    /// rather than an empty one that would put every point outside.
    pub fn area_index(&self) -> Arc<AreaIndex> {
        match self.area_index.read() {
            Ok(g) => Arc::clone(&g),
            Err(poisoned) => Arc::clone(&poisoned.into_inner()),
        }
    }

    /// Replaces the area index and forgets what was derived from the old boundaries.
    pub fn boundaries_replaced(&self, index: AreaIndex) {
        if let Ok(mut g) = self.area_index.write() {
            *g = Arc::new(index);
        }
        if let Ok(mut m) = self.map_features.write() {
            m.clear();
        }
        self.published.forget(None);
    }
}

/// A kept record of any type.
type Record = Arc<dyn std::any::Any + Send + Sync>;

/// Rarely changing records by kind and id, of any type (see [`Memory::records`]).
#[derive(Default)]
pub struct RecordCache {
    map: RwLock<HashMap<(&'static str, i32), Record>>,
}

impl RecordCache {
    const MAX: usize = 2_000;

    pub fn get<T: Send + Sync + 'static>(&self, kind: &'static str, id: i32) -> Option<Arc<T>> {
        let any = self.map.read().ok()?.get(&(kind, id)).cloned()?;
        any.downcast::<T>().ok()
    }

    pub fn put<T: Send + Sync + 'static>(&self, kind: &'static str, id: i32, value: Arc<T>) {
        if let Ok(mut m) = self.map.write() {
            if m.len() >= Self::MAX {
                m.clear();
            }
            m.insert((kind, id), value);
        }
    }

    pub fn forget(&self, kind: &'static str, id: i32) {
        if let Ok(mut m) = self.map.write() {
            m.remove(&(kind, id));
        }
    }
}

/// Published values (after disclosure control) per indicator and date, so a Quartier page or a
/// map does not run disclosure control over all levels on every view. Raw values (the
/// statistics office's view) are never kept here.
#[derive(Default)]
pub struct PublishedCache {
    groups: RwLock<HashMap<(i32, NaiveDate), Group>>,
    /// The (level, date) pairs with values, per indicator.
    shapes: RwLock<HashMap<i32, Shape>>,
}

impl PublishedCache {
    /// Forgets one indicator's values, or everything (`None`, e.g. after an area import).
    pub fn forget(&self, indicator: Option<i32>) {
        if let Ok(mut map) = self.groups.write() {
            match indicator {
                Some(id) => map.retain(|(i, _), _| *i != id),
                None => map.clear(),
            }
        }
        if let Ok(mut map) = self.shapes.write() {
            match indicator {
                Some(id) => {
                    map.remove(&id);
                }
                None => map.clear(),
            }
        }
    }

    pub fn get(&self, key: (i32, NaiveDate)) -> Option<Group> {
        self.groups.read().ok().and_then(|m| m.get(&key).cloned())
    }

    pub fn put(&self, key: (i32, NaiveDate), group: Group) {
        if let Ok(mut map) = self.groups.write() {
            map.insert(key, group);
        }
    }

    pub fn shape_of(&self, indicator: i32) -> Option<Shape> {
        self.shapes
            .read()
            .ok()
            .and_then(|m| m.get(&indicator).cloned())
    }

    pub fn put_shape(&self, indicator: i32, shape: Shape) {
        if let Ok(mut map) = self.shapes.write() {
            map.insert(indicator, shape);
        }
    }
}
