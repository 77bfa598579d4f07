//! What every request handler shares.

use crate::accounts::rate_limit::FailureLimiter;
use crate::search::SearchBackend;
use crate::settings::Settings;
use qn_domain::areas::AreaIndex;
use sea_orm::DatabaseConnection;
use std::sync::{Arc, RwLock};
use std::time::Duration;
use tokio::sync::Notify;

#[derive(Clone)]
pub struct AppState {
    pub db: DatabaseConnection,
    pub settings: Arc<Settings>,
    /// Swapped as a whole after an import; readers keep the `Arc` they took.
    pub area_index: Arc<RwLock<Arc<AreaIndex>>>,
    /// Failed logins per e-mail address.
    pub login_limiter: Arc<FailureLimiter>,
    /// Failed logins per client address (ten times the per-address allowance).
    pub client_limiter: Arc<FailureLimiter>,
    /// Registrations per client address and hour.
    pub signup_limiter: Arc<FailureLimiter>,
    /// Survey responses per client address and minute.
    pub survey_limiter: Arc<FailureLimiter>,
    /// Board writes without an account per client address and hour.
    pub anonymous_limiter: Arc<FailureLimiter>,
    /// Imports and index rebuilds run one at a time, so versions and the index stay consistent.
    pub import_lock: Arc<tokio::sync::Mutex<()>>,
    pub mail_wakeup: Arc<Notify>,
    /// Simplified current boundaries per (level, tolerance) for choropleth maps; cleared with
    /// every index rebuild (after an area import).
    pub feature_cache: Arc<RwLock<FeatureCache>>,
    /// Indicator values after disclosure control (see `indicators::PublishedCache`).
    pub published: Arc<crate::indicators::PublishedCache>,
    /// The directory's search backend (built-in unless `QN_SEARCH_URL` names Meilisearch).
    pub search: Arc<dyn SearchBackend>,
    /// Signs the detail texts form handlers send back in the URL (see `signing`).
    pub signer: Arc<crate::signing::Signer>,
    /// The external geocoder, when `QN_GEOCODER_URL` names one.
    pub geocoder: Option<Arc<crate::areas::geocoder::Geocoder>>,
    /// Refused long forms, to show them filled in again.
    pub form_drafts: Arc<crate::web::drafts::Drafts>,
}

/// Area id and simplified GeoJSON geometry of each current area of a level.
pub type LevelFeatures = Arc<Vec<(i32, serde_json::Value)>>;
pub type FeatureCache = std::collections::HashMap<(i32, u64), LevelFeatures>;

impl AppState {
    pub fn new(db: DatabaseConnection, settings: Settings) -> Self {
        let window = Duration::from_secs(settings.login_window_secs);
        let limiter = FailureLimiter::new(settings.login_attempts, window);
        let client_limiter =
            FailureLimiter::new(settings.login_attempts.saturating_mul(10), window);
        let signup_limiter =
            FailureLimiter::new(settings.signups_per_hour, Duration::from_secs(3600));
        let survey_limiter = FailureLimiter::new(
            settings.survey_submissions_per_minute,
            Duration::from_secs(60),
        );
        let anonymous_limiter = FailureLimiter::new(
            settings.anonymous_writes_per_hour,
            Duration::from_secs(3600),
        );
        let search = crate::search::from_settings(&settings);
        let signer = Arc::new(crate::signing::Signer::new(settings.secret.as_deref()));
        let geocoder = settings
            .geocoder_url
            .as_deref()
            .filter(|u| !u.trim().is_empty())
            .and_then(|u| match crate::areas::geocoder::Geocoder::new(u) {
                Ok(g) => Some(Arc::new(g)),
                Err(e) => {
                    tracing::error!(error = %e, "geocoder unusable; addresses come from the register only");
                    None
                }
            });
        Self {
            db,
            settings: Arc::new(settings),
            area_index: Arc::new(RwLock::new(Arc::new(AreaIndex::default()))),
            login_limiter: Arc::new(limiter),
            client_limiter: Arc::new(client_limiter),
            signup_limiter: Arc::new(signup_limiter),
            survey_limiter: Arc::new(survey_limiter),
            anonymous_limiter: Arc::new(anonymous_limiter),
            import_lock: Arc::new(tokio::sync::Mutex::new(())),
            mail_wakeup: Arc::new(Notify::new()),
            feature_cache: Arc::new(RwLock::new(FeatureCache::new())),
            published: Arc::new(crate::indicators::PublishedCache::default()),
            search,
            signer,
            geocoder,
            form_drafts: Arc::default(),
        }
    }

    pub fn index(&self) -> Arc<AreaIndex> {
        self.area_index
            .read()
            .map(|g| Arc::clone(&g))
            .unwrap_or_default()
    }
}
