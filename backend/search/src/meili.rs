//! Meilisearch as search backend (`QN_SEARCH_URL`, `QN_SEARCH_KEY`), for installations that
//! run a search server. Documents carry the tenant and every facet as filterable attributes and
//! the place as `_geo`; every write waits until Meilisearch has applied it, so a search right
//! after a change sees it (as with the built-in backend).

use super::{SearchBackend, SearchError};
use async_trait::async_trait;
use meilisearch_sdk::client::Client;
use meilisearch_sdk::errors::Error as MeiliError;
use meilisearch_sdk::search::{MatchingStrategies, Selectors};
use meilisearch_sdk::settings::Settings;
use qn_domain::directory::search::OfferDoc;
use qn_domain::directory::search::{Facets, Hit, Order, SearchQuery, SearchResults};
use qn_domain::directory::Point;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::time::Duration;

const FACETS: [&str; 6] = [
    "categories",
    "target_groups",
    "languages",
    "cost",
    "weekdays",
    "area_ids",
];

pub struct Meili {
    client: Client,
    index: String,
}

#[derive(Serialize)]
struct Geo {
    lat: f64,
    lng: f64,
}

#[derive(Serialize)]
struct Doc<'a> {
    #[serde(flatten)]
    doc: &'a OfferDoc,
    #[serde(rename = "_geo", skip_serializing_if = "Option::is_none")]
    geo: Option<Geo>,
}

#[derive(Deserialize)]
struct GeoIn {
    lat: f64,
    lng: f64,
}

#[derive(Deserialize)]
struct HitDoc {
    id: i64,
    #[serde(rename = "_geo")]
    geo: Option<GeoIn>,
}

fn err(e: MeiliError) -> SearchError {
    match e {
        MeiliError::HttpError(_)
        | MeiliError::Timeout
        | MeiliError::MeilisearchCommunication(_) => SearchError::Unreachable(e.to_string()),
        e => SearchError::Index(e.to_string()),
    }
}

/// A filter value as Meilisearch expects it (strings quoted, quotes escaped).
fn quoted(v: &str) -> String {
    format!("\"{}\"", v.replace('\\', "\\\\").replace('"', "\\\""))
}

fn any_of(field: &str, values: &[String]) -> Option<String> {
    (!values.is_empty()).then(|| {
        format!(
            "{field} IN [{}]",
            values
                .iter()
                .map(|v| quoted(v))
                .collect::<Vec<_>>()
                .join(", ")
        )
    })
}

/// The filter expression of a query (tenant, facets, area, radius).
pub fn filter(q: &SearchQuery) -> String {
    let f = &q.filters;
    let mut parts = vec![format!("tenant_id = {}", q.tenant_id)];
    parts.extend(any_of("categories", &f.categories));
    parts.extend(any_of("target_groups", &f.target_groups));
    parts.extend(any_of("languages", &f.languages));
    parts.extend(any_of("cost", &f.costs));
    parts.extend(any_of("weekdays", &f.weekdays));
    if let Some(a) = f.area {
        parts.push(format!("area_ids = {a}"));
    }
    if let (Some(p), Some(r)) = (q.near, q.radius_m) {
        parts.push(format!("_geoRadius({}, {}, {})", p.lat, p.lon, r.round()));
    }
    parts.join(" AND ")
}

impl Meili {
    /// A client for `url`; the index (`offers`) and its settings are set up on first use.
    ///
    /// # Errors
    /// An unusable URL.
    pub fn new(url: &str, key: Option<&str>) -> Result<Self, SearchError> {
        let client = Client::new(url, key).map_err(err)?;
        Ok(Self {
            client,
            index: "offers".into(),
        })
    }

    /// Another index name (tests use one per run).
    pub fn with_index(mut self, name: &str) -> Self {
        self.index = name.into();
        self
    }

    async fn wait(&self, task: meilisearch_sdk::task_info::TaskInfo) -> Result<(), SearchError> {
        let done = task
            .wait_for_completion(
                &self.client,
                Some(Duration::from_millis(20)),
                Some(Duration::from_secs(60)),
            )
            .await
            .map_err(err)?;
        if done.is_failure() {
            return Err(SearchError::Index(format!("task failed: {done:?}")));
        }
        Ok(())
    }

    async fn ensure_settings(&self) -> Result<(), SearchError> {
        let settings = Settings::new()
            .with_searchable_attributes(["title", "actor", "tags", "description"])
            .with_filterable_attributes([
                "tenant_id",
                "categories",
                "target_groups",
                "languages",
                "cost",
                "weekdays",
                "area_ids",
                "_geo",
            ])
            .with_sortable_attributes(["_geo", "title"]);
        let task = self
            .client
            .index(&self.index)
            .set_settings(&settings)
            .await
            .map_err(err)?;
        self.wait(task).await
    }
}

fn docs(list: &[OfferDoc]) -> Vec<Doc<'_>> {
    list.iter()
        .map(|d| Doc {
            doc: d,
            geo: d.location.map(|p| Geo {
                lat: p.lat,
                lng: p.lon,
            }),
        })
        .collect()
}

#[async_trait]
impl SearchBackend for Meili {
    fn name(&self) -> &'static str {
        "meilisearch"
    }

    async fn upsert(&self, list: Vec<OfferDoc>) -> Result<(), SearchError> {
        if list.is_empty() {
            return Ok(());
        }
        let index = self.client.index(&self.index);
        let task = index
            .add_or_replace(&docs(&list), Some("id"))
            .await
            .map_err(err)?;
        self.wait(task).await
    }

    async fn remove(&self, ids: &[i64]) -> Result<(), SearchError> {
        if ids.is_empty() {
            return Ok(());
        }
        let task = self
            .client
            .index(&self.index)
            .delete_documents(ids)
            .await
            .map_err(err)?;
        self.wait(task).await
    }

    async fn replace_all(&self, list: Vec<OfferDoc>) -> Result<(), SearchError> {
        self.ensure_settings().await?;
        let index = self.client.index(&self.index);
        let task = index.delete_all_documents().await.map_err(err)?;
        self.wait(task).await?;
        for chunk in list.chunks(10_000) {
            let task = index
                .add_or_replace(&docs(chunk), Some("id"))
                .await
                .map_err(err)?;
            self.wait(task).await?;
        }
        Ok(())
    }

    async fn search(&self, q: &SearchQuery) -> Result<SearchResults, SearchError> {
        let index = self.client.index(&self.index);
        let filter = filter(q);
        let geo_sort;
        let sort: Vec<&str> = match (q.order, q.near) {
            (Order::Distance, Some(p)) => {
                geo_sort = format!("_geoPoint({}, {}):asc", p.lat, p.lon);
                vec![geo_sort.as_str()]
            }
            // Without words every hit is equally relevant: alphabetical, as the contract says.
            _ if q.text.trim().is_empty() => vec!["title:asc"],
            _ => Vec::new(),
        };
        let mut query = index.search();
        query
            .with_query(q.text.trim())
            .with_filter(&filter)
            .with_facets(Selectors::Some(&FACETS))
            .with_matching_strategy(MatchingStrategies::ALL)
            .with_offset(q.offset)
            .with_limit(q.limit.min(qn_domain::directory::search::MAX_LIMIT));
        if !sort.is_empty() {
            query.with_sort(&sort);
        }
        let r = query.execute::<HitDoc>().await.map_err(err)?;
        let mut facets = Facets::default();
        if let Some(dist) = r.facet_distribution {
            let to_map = |name: &str| -> BTreeMap<String, u64> {
                dist.get(name)
                    .map(|m| m.iter().map(|(k, v)| (k.clone(), *v as u64)).collect())
                    .unwrap_or_default()
            };
            facets.categories = to_map("categories");
            facets.target_groups = to_map("target_groups");
            facets.languages = to_map("languages");
            facets.costs = to_map("cost");
            facets.weekdays = to_map("weekdays");
            facets.areas = to_map("area_ids")
                .into_iter()
                .filter_map(|(k, v)| Some((k.parse().ok()?, v)))
                .collect();
        }
        let total = r
            .estimated_total_hits
            .or(r.total_hits)
            .unwrap_or(r.hits.len());
        Ok(SearchResults {
            hits: r
                .hits
                .into_iter()
                .map(|h| Hit {
                    id: h.result.id,
                    // Computed here like the built-in backend does (Meilisearch reports
                    // `_geoDistance` only when sorting or filtering by place).
                    distance_m: q.near.zip(h.result.geo).map(|(p, g)| {
                        p.distance_m(&Point {
                            lon: g.lng,
                            lat: g.lat,
                        })
                    }),
                })
                .collect(),
            total,
            facets,
            degraded: false,
        })
    }
}
