//! The search backend the settings choose (`qn_search` holds the backends).

pub use qn_search::{builtin, meili, SearchBackend, SearchError, Unavailable};

/// The backend the settings ask for.
pub fn from_settings(
    settings: &crate::kernel::settings::Settings,
) -> std::sync::Arc<dyn SearchBackend> {
    if let Some(url) = settings.search_url.as_deref().filter(|u| !u.is_empty()) {
        match meili::Meili::new(url, settings.search_key.as_deref()) {
            Ok(m) => return std::sync::Arc::new(m),
            Err(e) => {
                tracing::error!(error = %e, "Meilisearch unusable; searching the database");
                return std::sync::Arc::new(Unavailable(e.to_string()));
            }
        }
    }
    match builtin::Builtin::new() {
        Ok(b) => std::sync::Arc::new(b),
        Err(e) => {
            tracing::error!(error = %e, "built-in search unavailable; searching the database");
            std::sync::Arc::new(Unavailable(e.to_string()))
        }
    }
}
