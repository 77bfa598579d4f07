//! An external geocoder of the operator's choice (`QN_GEOCODER_URL`, Nominatim's search API:
//! a self-hosted Nominatim, or a hosted service that speaks it), asked when the Kommune's own
//! address register does not know an address. The search stays inside the Kommune's areas;
//! only houses count, chosen by the same rules as the register's.

use qn_domain::areas::addresses::{geocoder_houses, RegisterAddress};
use qn_domain::directory::EntryError;
use std::time::Duration;

pub struct Geocoder {
    client: reqwest::Client,
    search: url::Url,
}

impl Geocoder {
    /// `base` is the service's address (`https://nominatim.example.org`) or its search
    /// endpoint (`…/search`).
    ///
    /// # Errors
    /// A description when the address is not an http(s) URL.
    pub fn new(base: &str) -> Result<Self, String> {
        let mut search = url::Url::parse(base.trim())
            .map_err(|e| format!("QN_GEOCODER_URL {base:?} is not a URL: {e}"))?;
        if !matches!(search.scheme(), "http" | "https") {
            return Err(format!(
                "QN_GEOCODER_URL {base:?} must start with http(s)://"
            ));
        }
        if !search.path().ends_with("/search") {
            let path = format!("{}/search", search.path().trim_end_matches('/'));
            search.set_path(&path);
        }
        let client = reqwest::Client::builder()
            // A form waits for the answer: a slow geocoder must not hold it long.
            .timeout(Duration::from_secs(5))
            // Nominatim's usage policy asks every application to name itself.
            .user_agent(concat!("Quartiersnetz/", env!("CARGO_PKG_VERSION")))
            .build()
            .map_err(|e| format!("HTTP client for the geocoder: {e}"))?;
        Ok(Self { client, search })
    }

    /// The houses the geocoder finds for a typed address, inside `bounds` (min lon, min lat,
    /// max lon, max lat) when given.
    ///
    /// # Errors
    /// [`EntryError::AddressLookupFailed`] when the service does not answer or answers
    /// something else than a result list (logged with the reason).
    pub async fn houses(
        &self,
        typed: &str,
        bounds: Option<(f64, f64, f64, f64)>,
    ) -> Result<Vec<RegisterAddress>, EntryError> {
        let mut query: Vec<(&str, String)> = vec![
            ("q", typed.to_owned()),
            ("format", "jsonv2".into()),
            ("addressdetails", "1".into()),
            ("limit", "10".into()),
            ("countrycodes", "de".into()),
        ];
        if let Some((x1, y1, x2, y2)) = bounds {
            query.push(("viewbox", format!("{x1},{y2},{x2},{y1}")));
            query.push(("bounded", "1".into()));
        }
        let failed = |reason: String| {
            tracing::warn!(geocoder = %self.search, %reason, "address lookup failed");
            EntryError::AddressLookupFailed
        };
        let response = self
            .client
            .get(self.search.clone())
            .query(&query)
            .send()
            .await
            .map_err(|e| failed(e.to_string()))?;
        if !response.status().is_success() {
            return Err(failed(format!("HTTP {}", response.status())));
        }
        let body = response.text().await.map_err(|e| failed(e.to_string()))?;
        geocoder_houses(&body).map_err(failed)
    }
}
