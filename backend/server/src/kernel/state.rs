//! What every request handler shares: connections to what lives outside the process, and
//! [`Memory`], what lives inside it.

use crate::kernel::geocoder::Geocoder;
use crate::kernel::memory::Memory;
use crate::kernel::search::SearchBackend;
use crate::kernel::settings::Settings;
use crate::kernel::signing::Signer;
use sea_orm::DatabaseConnection;
use std::sync::Arc;
use tokio::sync::Notify;

#[derive(Clone)]
pub struct AppState {
    pub db: DatabaseConnection,
    pub settings: Arc<Settings>,
    /// Caches and counters (see `memory`).
    pub mem: Arc<Memory>,
    /// Wakes the outbox worker after a mail was written.
    pub mail_wakeup: Arc<Notify>,
    /// The directory's search backend (built-in unless `QN_SEARCH_URL` names Meilisearch).
    pub search: Arc<dyn SearchBackend>,
    /// Signs the detail texts form handlers send back in the URL (see `signing`).
    pub signer: Arc<Signer>,
    /// The external geocoder, when `QN_GEOCODER_URL` names one.
    pub geocoder: Option<Arc<Geocoder>>,
}

impl AppState {
    pub fn new(db: DatabaseConnection, settings: Settings) -> Self {
        let search = crate::kernel::search::from_settings(&settings);
        let signer = Arc::new(Signer::new(settings.secret.as_deref()));
        let geocoder = settings
            .geocoder_url
            .as_deref()
            .filter(|u| !u.trim().is_empty())
            .and_then(|u| match Geocoder::new(u) {
                Ok(g) => Some(Arc::new(g)),
                Err(e) => {
                    tracing::error!(error = %e, "geocoder unusable; addresses come from the register only");
                    None
                }
            });
        Self {
            db,
            mem: Arc::new(Memory::new(&settings)),
            settings: Arc::new(settings),
            mail_wakeup: Arc::new(Notify::new()),
            search,
            signer,
            geocoder,
        }
    }
}
