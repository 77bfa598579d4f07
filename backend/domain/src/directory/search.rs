//! The search contract: what an offer looks like to a search backend, what a query asks and
//! what comes back. Every backend (built-in, Meilisearch, the database fallback) answers the
//! same query with the same hits for the same data; the conformance suite checks it. Filters
//! and facets are evaluated here in plain Rust wherever a backend needs them.

use super::Point;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// An offer as the backends index it (published and valid offers only).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct OfferDoc {
    pub id: i64,
    pub tenant_id: i32,
    pub title: String,
    /// Plain text (the sanitised description without markup).
    pub description: String,
    /// The actor's name.
    pub actor: String,
    pub categories: Vec<String>,
    pub target_groups: Vec<String>,
    /// The labels of its categories and target groups, searchable as words ("Sprachkurse").
    #[serde(default)]
    pub tags: Vec<String>,
    pub languages: Vec<String>,
    pub cost: String,
    /// Days with a regular time (`mo` … `so`).
    pub weekdays: Vec<String>,
    /// Every area the offer lies in or serves, at every level.
    pub area_ids: Vec<i32>,
    pub location: Option<Point>,
}

/// Filters: within one field any of the values (or), between fields all (and).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Filters {
    pub categories: Vec<String>,
    pub target_groups: Vec<String>,
    pub languages: Vec<String>,
    pub costs: Vec<String>,
    pub weekdays: Vec<String>,
    /// Inside this area (at any level).
    pub area: Option<i32>,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum Order {
    /// Best text match first; without text, by title.
    #[default]
    Relevance,
    /// Nearest to `near` first; offers without a location last.
    Distance,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SearchQuery {
    pub tenant_id: i32,
    /// Words as typed; empty: every offer passing the filters.
    pub text: String,
    pub filters: Filters,
    pub near: Option<Point>,
    /// With `near`: only offers within this many metres.
    pub radius_m: Option<f64>,
    pub order: Order,
    pub offset: usize,
    pub limit: usize,
}

impl SearchQuery {
    pub fn new(tenant_id: i32, text: &str) -> Self {
        Self {
            tenant_id,
            text: text.to_owned(),
            filters: Filters::default(),
            near: None,
            radius_m: None,
            order: Order::Relevance,
            offset: 0,
            limit: 20,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Hit {
    pub id: i64,
    /// Metres from `near`, when asked and known.
    pub distance_m: Option<f64>,
}

/// Counts per value of each facet, over all hits (not only the page).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Facets {
    pub categories: BTreeMap<String, u64>,
    pub target_groups: BTreeMap<String, u64>,
    pub languages: BTreeMap<String, u64>,
    pub costs: BTreeMap<String, u64>,
    pub weekdays: BTreeMap<String, u64>,
    pub areas: BTreeMap<i32, u64>,
}

impl Facets {
    pub fn add(&mut self, d: &OfferDoc) {
        // Clone a value only the first time it is seen: this runs for every matching offer.
        let count = |map: &mut BTreeMap<String, u64>, values: &[String]| {
            for v in values {
                match map.get_mut(v) {
                    Some(n) => *n += 1,
                    None => {
                        map.insert(v.clone(), 1);
                    }
                }
            }
        };
        count(&mut self.categories, &d.categories);
        count(&mut self.target_groups, &d.target_groups);
        count(&mut self.languages, &d.languages);
        count(&mut self.weekdays, &d.weekdays);
        count(&mut self.costs, std::slice::from_ref(&d.cost));
        for a in &d.area_ids {
            *self.areas.entry(*a).or_default() += 1;
        }
    }
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct SearchResults {
    /// The requested page of hits, in order.
    pub hits: Vec<Hit>,
    /// All hits.
    pub total: usize,
    pub facets: Facets,
    /// Answered by the database fallback (the search server is down): no typo tolerance, no
    /// stemming.
    pub degraded: bool,
}

/// Whether an offer passes the query's tenant, filters and radius (not the words).
pub fn passes(d: &OfferDoc, q: &SearchQuery) -> bool {
    let any = |wanted: &[String], have: &[String]| {
        wanted.is_empty() || wanted.iter().any(|w| have.contains(w))
    };
    let f = &q.filters;
    d.tenant_id == q.tenant_id
        && any(&f.categories, &d.categories)
        && any(&f.target_groups, &d.target_groups)
        && any(&f.languages, &d.languages)
        && any(&f.weekdays, &d.weekdays)
        && (f.costs.is_empty() || f.costs.contains(&d.cost))
        && f.area.is_none_or(|a| d.area_ids.contains(&a))
        && match (q.near, q.radius_m) {
            (Some(p), Some(r)) => d.location.is_some_and(|l| l.distance_m(&p) <= r),
            _ => true,
        }
}

/// A matching offer as the ordering sees it.
#[derive(Debug, Clone)]
pub struct Ranked<'a> {
    pub id: i64,
    /// Text score, higher is better (0 without words).
    pub score: f32,
    /// Metres from the query's point, when asked and known.
    pub distance: Option<f64>,
    /// The lower-case title; only read when the order is by title (see [`by_title`]).
    pub key: &'a str,
}

/// Whether the query's order needs the titles (no words, or by distance with a tie-break).
pub fn by_title(q: &SearchQuery) -> bool {
    q.text.trim().is_empty() || matches!((q.order, q.near), (Order::Distance, Some(_)))
}

/// Orders the matches and cuts the requested page; returns it with the number of matches.
/// Every backend that filters itself ends here, so all of them order alike.
pub fn page(q: &SearchQuery, mut rows: Vec<Ranked<'_>>) -> (Vec<Hit>, usize) {
    use std::cmp::Ordering;
    let by_distance = matches!((q.order, q.near), (Order::Distance, Some(_)));
    let no_words = q.text.trim().is_empty();
    let title = |a: &Ranked, b: &Ranked| a.key.cmp(b.key).then(a.id.cmp(&b.id));
    let cmp = |a: &Ranked, b: &Ranked| -> Ordering {
        if by_distance {
            match (a.distance, b.distance) {
                (Some(x), Some(y)) => x.total_cmp(&y).then(a.id.cmp(&b.id)),
                (Some(_), None) => Ordering::Less,
                (None, Some(_)) => Ordering::Greater,
                (None, None) => title(a, b),
            }
        } else if no_words {
            title(a, b)
        } else {
            b.score.total_cmp(&a.score).then(a.id.cmp(&b.id))
        }
    };
    let total = rows.len();
    // Only the requested page needs order: select it in linear time, then sort just that part.
    let wanted = q.offset.saturating_add(q.limit.min(MAX_LIMIT)).min(total);
    if wanted == 0 {
        rows.clear();
    } else if wanted < total {
        rows.select_nth_unstable_by(wanted - 1, cmp);
        rows.truncate(wanted);
    }
    rows.sort_unstable_by(cmp);
    let hits = rows
        .into_iter()
        .skip(q.offset)
        .map(|r| Hit {
            id: r.id,
            distance_m: r.distance,
        })
        .collect();
    (hits, total)
}

/// Orders matching offers (each with its text score, higher is better), counts the facets and
/// cuts the page: the part of a search every backend shares once it knows what matched.
pub fn finish<'a>(
    q: &SearchQuery,
    matched: impl Iterator<Item = (&'a OfferDoc, f32)>,
) -> SearchResults {
    let mut facets = Facets::default();
    let matched: Vec<(&OfferDoc, f32)> = matched.inspect(|(d, _)| facets.add(d)).collect();
    let keys: Vec<String> = if by_title(q) {
        matched
            .iter()
            .map(|(d, _)| d.title.to_lowercase())
            .collect()
    } else {
        Vec::new()
    };
    let rows = matched
        .iter()
        .enumerate()
        .map(|(i, (d, score))| Ranked {
            id: d.id,
            score: *score,
            distance: q.near.and_then(|p| d.location.map(|l| l.distance_m(&p))),
            key: keys.get(i).map_or("", String::as_str),
        })
        .collect();
    let (hits, total) = page(q, rows);
    SearchResults {
        hits,
        total,
        facets,
        degraded: false,
    }
}

/// The most hits on one page.
pub const MAX_LIMIT: usize = 200;

#[cfg(test)]
mod tests {
    use super::*;

    fn doc(id: i64, title: &str, cost: &str, at: Option<(f64, f64)>) -> OfferDoc {
        OfferDoc {
            id,
            tenant_id: 1,
            title: title.into(),
            description: String::new(),
            actor: String::new(),
            categories: vec!["sport".into()],
            target_groups: vec!["kinder".into()],
            tags: Vec::new(),
            languages: vec!["de".into()],
            cost: cost.into(),
            weekdays: vec!["mo".into()],
            area_ids: vec![10, 11],
            location: at.map(|(lon, lat)| Point { lon, lat }),
        }
    }

    #[test]
    fn filters_order_facets_and_pages() {
        let docs = [
            doc(1, "Zumba", "kostenlos", Some((7.0, 50.94))),
            doc(2, "Aikido", "kostenpflichtig", Some((7.01, 50.94))),
            doc(3, "Boxen", "kostenlos", None),
        ];
        let mut q = SearchQuery::new(1, "");
        q.filters.costs = vec!["kostenlos".into()];
        let r = finish(&q, docs.iter().filter(|d| passes(d, &q)).map(|d| (d, 0.0)));
        assert_eq!(
            r.hits.iter().map(|h| h.id).collect::<Vec<_>>(),
            [3, 1],
            "by title"
        );
        assert_eq!(r.facets.costs.get("kostenlos"), Some(&2));
        q.filters.costs.clear();
        q.near = Some(Point {
            lon: 7.011,
            lat: 50.94,
        });
        q.order = Order::Distance;
        let r = finish(&q, docs.iter().filter(|d| passes(d, &q)).map(|d| (d, 0.0)));
        assert_eq!(
            r.hits.iter().map(|h| h.id).collect::<Vec<_>>(),
            [2, 1, 3],
            "nearest first, unknown last"
        );
        q.radius_m = Some(200.0);
        let r = finish(&q, docs.iter().filter(|d| passes(d, &q)).map(|d| (d, 0.0)));
        assert_eq!(r.total, 1);
        let mut q = SearchQuery::new(2, "");
        q.limit = 1;
        assert_eq!(
            finish(&q, docs.iter().filter(|d| passes(d, &q)).map(|d| (d, 0.0))).total,
            0,
            "other tenant"
        );
    }
}
