//! Search over the directory's offers behind one interface, with backends chosen by
//! configuration: the built-in one (in memory, no other server; the embedded default) and
//! Meilisearch (`QN_SEARCH_URL`). The contract (documents, queries, results) is
//! `qn_domain::directory::search`; the conformance suite runs against every backend.
//!
//! A crate of its own so that the search can be built, tested and benchmarked without the
//! server around it.

pub mod builtin;
pub mod meili;

use async_trait::async_trait;
use qn_domain::directory::search::{OfferDoc, SearchQuery, SearchResults};

/// Why a backend could not do what was asked.
#[derive(Debug, thiserror::Error)]
pub enum SearchError {
    #[error("search index: {0}")]
    Index(String),
    #[error("search server unreachable: {0}")]
    Unreachable(String),
}

/// One search backend. Writes are idempotent (an upsert replaces the offer with the same id).
#[async_trait]
pub trait SearchBackend: Send + Sync {
    /// For logs and the admin page.
    fn name(&self) -> &'static str;
    /// Adds or replaces offers.
    async fn upsert(&self, docs: Vec<OfferDoc>) -> Result<(), SearchError>;
    /// Removes offers (unknown ids are ignored).
    async fn remove(&self, ids: &[i64]) -> Result<(), SearchError>;
    /// Replaces everything with `docs` (`quartiersnetz search reindex`).
    async fn replace_all(&self, docs: Vec<OfferDoc>) -> Result<(), SearchError>;
    async fn search(&self, q: &SearchQuery) -> Result<SearchResults, SearchError>;
}

/// Stands in when no backend could be set up: every search fails over to the database.
pub struct Unavailable(pub String);

#[async_trait]
impl SearchBackend for Unavailable {
    fn name(&self) -> &'static str {
        "unavailable"
    }
    async fn upsert(&self, _docs: Vec<OfferDoc>) -> Result<(), SearchError> {
        Err(SearchError::Unreachable(self.0.clone()))
    }
    async fn remove(&self, _ids: &[i64]) -> Result<(), SearchError> {
        Err(SearchError::Unreachable(self.0.clone()))
    }
    async fn replace_all(&self, _docs: Vec<OfferDoc>) -> Result<(), SearchError> {
        Err(SearchError::Unreachable(self.0.clone()))
    }
    async fn search(&self, _q: &SearchQuery) -> Result<SearchResults, SearchError> {
        Err(SearchError::Unreachable(self.0.clone()))
    }
}
