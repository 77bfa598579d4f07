//! Data of the directory pages (search, offer, actor, provider self-service, moderation,
//! import). Rich text arrives sanitised by the server (`*_html`); form values are the domain's
//! input types, so a form shows back exactly what was typed.

use super::{AreaLink, MapConfig, TenantSummary};
pub use qn_domain::directory::entry::{ActorInput, OfferInput};
use serde::{Deserialize, Serialize};

/// The GET parameters of the search page (German names: they are the page's URL).
/// Every field may be absent: the URL encoding of a server-function call leaves out empty
/// lists and `None`s.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct OfferSearchArgs {
    pub q: Option<String>,
    pub kategorie: Vec<String>,
    pub zielgruppe: Vec<String>,
    pub sprache: Vec<String>,
    pub kosten: Vec<String>,
    pub tag: Vec<String>,
    pub gebiet: Option<i32>,
    /// `relevanz` or `entfernung`.
    pub sortierung: Option<String>,
    pub seite: Option<u64>,
    /// "Near me": a point and a radius in metres.
    pub lon: Option<f64>,
    pub lat: Option<f64>,
    pub umkreis: Option<u32>,
}

impl OfferSearchArgs {
    /// The query string of these arguments (for links to other pages and the map's points).
    pub fn query_string(&self, page: Option<u64>) -> String {
        let mut parts: Vec<(String, String)> = Vec::new();
        if let Some(q) = self.q.as_ref().filter(|q| !q.trim().is_empty()) {
            parts.push(("q".into(), q.clone()));
        }
        for (key, values) in [
            ("kategorie", &self.kategorie),
            ("zielgruppe", &self.zielgruppe),
            ("sprache", &self.sprache),
            ("kosten", &self.kosten),
            ("tag", &self.tag),
        ] {
            for v in values {
                parts.push((key.into(), v.clone()));
            }
        }
        if let Some(g) = self.gebiet {
            parts.push(("gebiet".into(), g.to_string()));
        }
        if let Some(s) = &self.sortierung {
            parts.push(("sortierung".into(), s.clone()));
        }
        if let (Some(lon), Some(lat)) = (self.lon, self.lat) {
            parts.push(("lon".into(), format!("{lon:.5}")));
            parts.push(("lat".into(), format!("{lat:.5}")));
            if let Some(r) = self.umkreis {
                parts.push(("umkreis".into(), r.to_string()));
            }
        }
        if let Some(p) = page.filter(|p| *p > 1) {
            parts.push(("seite".into(), p.to_string()));
        }
        parts
            .iter()
            .map(|(k, v)| format!("{k}={}", encode(v)))
            .collect::<Vec<_>>()
            .join("&")
    }
}

/// Percent-encoding for query values (no dependency for this one use).
pub fn encode(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                out.push(char::from(b));
            }
            _ => out.push_str(&format!("%{b:02X}")),
        }
    }
    out
}

/// One offer in a list.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct OfferCard {
    pub id: i32,
    pub title: String,
    pub actor_id: i32,
    pub actor: String,
    pub categories: Vec<String>,
    pub cost: String,
    /// "Mo 15:00-17:00; Mi …".
    pub times: String,
    pub distance: Option<String>,
    /// `published`, `pending` or `rejected` (lists of one's own entries show all).
    pub status: String,
    pub change_pending: bool,
    pub stale: bool,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct FacetOption {
    pub value: String,
    pub label: String,
    pub count: u64,
    pub checked: bool,
}

/// A filter group of the search page: the GET name and its options with counts.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct FacetGroup {
    pub name: String,
    pub label: String,
    pub options: Vec<FacetOption>,
}

/// `/kommune/{slug}/angebote`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct OfferSearchData {
    pub tenant: TenantSummary,
    pub args: OfferSearchArgs,
    pub hits: Vec<OfferCard>,
    pub total: u64,
    pub page: u64,
    pub pages: u64,
    pub facets: Vec<FacetGroup>,
    /// Areas to search in, with their level's name.
    pub areas: Vec<(String, AreaLink)>,
    /// The search server did not answer; results come from a simpler search.
    pub degraded: bool,
    pub map: MapConfig,
    pub level_id: Option<i32>,
    pub points_url: String,
    pub can_moderate: bool,
    pub can_import: bool,
}

/// A labelled fact of an entry ("Sprachen": "Deutsch, Türkisch").
pub type Fact = (String, String);

/// `/angebot/{id}`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct OfferPageData {
    pub tenant: TenantSummary,
    pub id: i32,
    pub title: String,
    pub description_html: String,
    pub actor_id: i32,
    pub actor: String,
    pub facts: Vec<Fact>,
    pub times: Vec<String>,
    pub address: Option<String>,
    pub point: Option<(f64, f64)>,
    pub areas: Vec<AreaLink>,
    pub serves: Vec<AreaLink>,
    pub status: String,
    pub change_pending: bool,
    pub rejection_reason: Option<String>,
    pub stale: bool,
    pub confirmed: String,
    pub can_edit: bool,
    /// schema.org JSON-LD, already escaped for a `<script>` element.
    pub json_ld: String,
    pub map: MapConfig,
    pub level_id: Option<i32>,
}

/// `/akteur/{id}`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ActorPageData {
    pub tenant: TenantSummary,
    pub id: i32,
    pub name: String,
    pub kind: String,
    pub description_html: String,
    pub facts: Vec<Fact>,
    pub website: Option<String>,
    pub email: Option<String>,
    pub address: Option<String>,
    /// Areas it lies in (every level), coarse to fine as stored.
    pub areas: Vec<AreaLink>,
    pub offers: Vec<OfferCard>,
    pub status: String,
    pub change_pending: bool,
    pub rejection_reason: Option<String>,
    pub stale: bool,
    pub confirmed: String,
    pub can_edit: bool,
    pub json_ld: String,
}

/// `/kommune/{slug}/anbieten`: the provider's entries and the form for a new actor.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ProviderData {
    pub tenant: TenantSummary,
    pub signed_in: bool,
    pub actors: Vec<(OfferCard, Vec<OfferCard>)>,
    pub form: ActorInput,
    pub map: MapConfig,
    pub level_id: Option<i32>,
}

/// `/akteur/{id}/bearbeiten`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ActorFormData {
    pub tenant: TenantSummary,
    pub id: i32,
    pub form: ActorInput,
    /// A change is waiting: the form shows it (not the published version).
    pub change_pending: bool,
    pub map: MapConfig,
    pub level_id: Option<i32>,
}

/// `/akteur/{id}/angebot-neu` and `/angebot/{id}/bearbeiten`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct OfferFormData {
    pub tenant: TenantSummary,
    pub actor_id: i32,
    pub actor: String,
    pub offer_id: Option<i32>,
    pub form: OfferInput,
    pub change_pending: bool,
    /// Areas the offer may say it serves, with their level's name.
    pub areas: Vec<(String, AreaLink)>,
    pub map: MapConfig,
    pub level_id: Option<i32>,
    /// The Kommune's categories in use: (key, label).
    pub categories: Vec<(String, String)>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ReviewItem {
    /// `actor` or `offer`.
    pub kind: String,
    pub id: i32,
    pub name: String,
    pub actor_id: i32,
    pub actor: String,
    /// `None`: a first publication; else the fields a change touches.
    pub changed: Option<Vec<String>>,
    pub since: String,
    /// Where it will be (lon, lat) and the areas that point lies in.
    pub point: Option<(f64, f64)>,
    pub areas: Vec<AreaLink>,
}

/// `/kommune/{slug}/angebote/pruefen`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ReviewData {
    pub tenant: TenantSummary,
    /// One page of the queue (`QUEUE_PAGE` entries).
    pub items: Vec<ReviewItem>,
    pub total: u64,
    pub page: u64,
    pub pages: u64,
}

/// `/kommune/{slug}/angebote/import`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct DirectoryImportData {
    pub tenant: TenantSummary,
    /// Indicators with resident counts (counts, or shares with numerators) for coverage.
    pub populations: Vec<(i32, String)>,
    /// The Kommune's categories in use: (key, label).
    pub categories: Vec<(String, String)>,
}

/// `/kommune/{slug}/angebote/adressen`: planners keep the address register (house
/// coordinates) that places entries given by their address, and try an address against it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct AddressesData {
    pub tenant: TenantSummary,
    /// Houses in the register.
    pub houses: u64,
    /// The address tried (`?adresse=`), and what the register says about it.
    pub probe: Option<AddressProbe>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct AddressProbe {
    pub typed: String,
    /// The point and the areas it lies in, or why there is none (German, for the page).
    pub found: Result<(f64, f64, Vec<AreaLink>), String>,
}

/// One category on `/kommune/{slug}/angebote/kategorien`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CategoryRow {
    pub key: String,
    pub label: String,
    pub retired: bool,
    /// Offers (any status) that carry it.
    pub offers: u64,
}

/// `/kommune/{slug}/angebote/kategorien`: planners manage the offer categories.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CategoriesData {
    pub tenant: TenantSummary,
    pub categories: Vec<CategoryRow>,
}
