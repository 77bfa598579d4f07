//! GraphQL reads of the actor and offer directory: the search (words, facets, area, near a
//! point) with facet counts, one offer, one actor, and a Kommune's categories. The same
//! visibility as the pages: the search and anonymous readers see public entries only; members
//! and staff also see their pending entries through `offer` and `actor`. Entries are written
//! through the forms (self-service with moderation), not through this API.

use super::{ctx, parse_id, GqlResult};
use crate::directory::{self, entity::actors, entity::offers, list, offer_point, offer_public};
use async_graphql::{Context, Enum, InputObject, Object, Result, SimpleObject, ID};
use chrono::{NaiveDate, Utc};
use qn_domain::directory::categories::Categories;
use qn_domain::directory::search::{Filters, Order, SearchQuery, MAX_LIMIT};
use qn_domain::directory::{taxonomy, Point};
use std::collections::BTreeMap;

fn gid(i: i32) -> ID {
    ID(i.to_string())
}

/// A key of the taxonomy with its German label.
#[derive(SimpleObject, Clone)]
pub struct Term {
    key: String,
    label: String,
}

fn terms(keys: Vec<String>, label: impl Fn(&str) -> Option<String>) -> Vec<Term> {
    keys.into_iter()
        .map(|key| Term {
            label: label(&key).unwrap_or_else(|| key.clone()),
            key,
        })
        .collect()
}

/// An offer of the directory.
#[derive(SimpleObject)]
#[graphql(name = "Offer")]
pub struct OfferGql {
    id: ID,
    tenant_id: ID,
    title: String,
    /// Sanitised HTML.
    description_html: String,
    actor_id: ID,
    actor_name: String,
    categories: Vec<Term>,
    target_groups: Vec<Term>,
    age_min: Option<i32>,
    age_max: Option<i32>,
    /// ISO 639-1 codes (`dgs`: German Sign Language, `ls`: Leichte Sprache).
    languages: Vec<String>,
    /// Weekly times and dates, one per line (`Mo 15:00-17:00`, `05.12.2026 10:00-12:00`).
    schedule: String,
    cost: Term,
    registration: bool,
    barrier_free: bool,
    /// Its own place, else its actor's.
    lon: Option<f64>,
    lat: Option<f64>,
    valid_from: Option<NaiveDate>,
    valid_until: Option<NaiveDate>,
    /// `pending`, `published` or `rejected` (members and staff see the others).
    status: String,
    /// Metres from the search's point, when it asked for one.
    distance_m: Option<f64>,
    /// The offer's page.
    url: String,
}

impl OfferGql {
    fn new(o: offers::Model, a: &actors::Model, cats: &Categories, distance: Option<f64>) -> Self {
        let point = offer_point(&o, a);
        Self {
            id: gid(o.id),
            tenant_id: gid(o.tenant_id),
            actor_id: gid(a.id),
            actor_name: a.name.clone(),
            categories: terms(list(&o.categories), |k| cats.label(k).map(str::to_owned)),
            target_groups: terms(list(&o.target_groups), |k| {
                taxonomy::target_group_label(k).map(str::to_owned)
            }),
            languages: list(&o.languages),
            schedule: directory::schedule_of(&o).to_text(),
            cost: Term {
                label: taxonomy::label(taxonomy::COSTS, &o.cost)
                    .unwrap_or(&o.cost)
                    .to_owned(),
                key: o.cost.clone(),
            },
            lon: point.map(|p| p.lon),
            lat: point.map(|p| p.lat),
            distance_m: distance,
            url: format!("/angebot/{}", o.id),
            title: o.title,
            description_html: o.description,
            age_min: o.age_min,
            age_max: o.age_max,
            registration: o.registration,
            barrier_free: o.barrier_free,
            valid_from: o.valid_from,
            valid_until: o.valid_until,
            status: o.status.as_str().to_owned(),
        }
    }
}

/// An actor (organisation) with its offers.
#[derive(SimpleObject)]
#[graphql(name = "Actor")]
pub struct ActorGql {
    id: ID,
    tenant_id: ID,
    name: String,
    kind: Term,
    /// Sanitised HTML.
    description_html: String,
    website: Option<String>,
    email: Option<String>,
    phone: Option<String>,
    street: Option<String>,
    postcode: Option<String>,
    city: Option<String>,
    lon: Option<f64>,
    lat: Option<f64>,
    languages: Vec<String>,
    accessibility: Option<String>,
    status: String,
    /// Its offers the viewer may see.
    offers: Vec<OfferGql>,
    url: String,
}

/// A value of a facet with the number of hits that have it.
#[derive(SimpleObject)]
pub struct FacetCount {
    value: String,
    label: String,
    count: u64,
}

#[derive(SimpleObject)]
pub struct AreaCount {
    area_id: ID,
    count: u64,
}

/// Counts over all hits of a search, not only the page.
#[derive(SimpleObject)]
pub struct OfferFacets {
    categories: Vec<FacetCount>,
    target_groups: Vec<FacetCount>,
    languages: Vec<FacetCount>,
    costs: Vec<FacetCount>,
    weekdays: Vec<FacetCount>,
    areas: Vec<AreaCount>,
}

#[derive(SimpleObject)]
pub struct OfferSearchResult {
    /// All hits.
    total: u64,
    /// The requested page, in order.
    offers: Vec<OfferGql>,
    facets: OfferFacets,
    /// Answered by the database because the search server is down: no typo tolerance.
    degraded: bool,
}

#[derive(Enum, Copy, Clone, Eq, PartialEq)]
pub enum OfferOrder {
    /// Best match first; without words, by title.
    Relevance,
    /// Nearest to `near` first.
    Distance,
}

#[derive(InputObject)]
pub struct PointInput {
    lon: f64,
    lat: f64,
}

/// What to search: within one list any value, between lists all.
#[derive(InputObject, Default)]
pub struct OfferFilter {
    categories: Option<Vec<String>>,
    target_groups: Option<Vec<String>>,
    languages: Option<Vec<String>>,
    costs: Option<Vec<String>>,
    /// `mo` … `so`.
    weekdays: Option<Vec<String>>,
    /// Inside this area (any level).
    area_id: Option<ID>,
}

#[derive(SimpleObject)]
pub struct CategoryGql {
    key: String,
    label: String,
    /// No longer offered for new entries; old offers keep it.
    retired: bool,
}

fn counts(map: BTreeMap<String, u64>, label: impl Fn(&str) -> Option<String>) -> Vec<FacetCount> {
    map.into_iter()
        .map(|(value, count)| FacetCount {
            label: label(&value).unwrap_or_else(|| value.clone()),
            value,
            count,
        })
        .collect()
}

#[derive(Default)]
pub struct DirectoryQuery;

#[Object]
impl DirectoryQuery {
    /// Searches a Kommune's public offers (at most 200 per page).
    #[allow(clippy::too_many_arguments)]
    async fn offer_search(
        &self,
        c: &Context<'_>,
        tenant_id: ID,
        #[graphql(default)] text: String,
        #[graphql(default)] filter: OfferFilter,
        near: Option<PointInput>,
        radius_m: Option<f64>,
        #[graphql(default_with = "OfferOrder::Relevance")] order: OfferOrder,
        #[graphql(default)] offset: i32,
        #[graphql(default = 20)] limit: i32,
    ) -> Result<OfferSearchResult> {
        let (state, rc) = ctx(c)?;
        let tenant = parse_id(&tenant_id)?;
        let near = match near {
            Some(p) => Some(
                Point::new(p.lon, p.lat)
                    .map_err(|e| super::gql(crate::kernel::error::AppError::Entry(vec![e])))?,
            ),
            None => None,
        };
        let q = SearchQuery {
            tenant_id: tenant,
            text: text.chars().take(200).collect(),
            filters: Filters {
                categories: filter.categories.unwrap_or_default(),
                target_groups: filter.target_groups.unwrap_or_default(),
                languages: filter.languages.unwrap_or_default(),
                costs: filter.costs.unwrap_or_default(),
                weekdays: filter.weekdays.unwrap_or_default(),
                area: filter.area_id.as_ref().map(parse_id).transpose()?,
            },
            near,
            radius_m: radius_m.filter(|r| r.is_finite() && *r > 0.0),
            order: match order {
                OfferOrder::Relevance => Order::Relevance,
                OfferOrder::Distance => Order::Distance,
            },
            offset: usize::try_from(offset).unwrap_or(0),
            limit: usize::try_from(limit).unwrap_or(0).min(MAX_LIMIT),
        };
        let r = directory::search_sync::find(state, &rc.viewer, &q)
            .await
            .gql()?;
        let cats = directory::categories::of(&state.db, tenant).await.gql()?;
        let ids: Vec<i32> = r
            .hits
            .iter()
            .filter_map(|h| i32::try_from(h.id).ok())
            .collect();
        let distances: BTreeMap<i32, f64> = r
            .hits
            .iter()
            .filter_map(|h| Some((i32::try_from(h.id).ok()?, h.distance_m?)))
            .collect();
        let today = Utc::now().date_naive();
        let offers = directory::offers_with_actors(&state.db, &ids)
            .await
            .gql()?
            .into_iter()
            // The index may lag a change by a moment: only what is public now.
            .filter(|(o, a)| offer_public(o, a, today))
            .map(|(o, a)| {
                let d = distances.get(&o.id).copied();
                OfferGql::new(o, &a, &cats, d)
            })
            .collect();
        let f = r.facets;
        let static_label = |list: &'static [taxonomy::Term]| {
            move |k: &str| taxonomy::label(list, k).map(str::to_owned)
        };
        Ok(OfferSearchResult {
            total: r.total as u64,
            offers,
            facets: OfferFacets {
                categories: counts(f.categories, |k| cats.label(k).map(str::to_owned)),
                target_groups: counts(f.target_groups, |k| {
                    taxonomy::target_group_label(k).map(str::to_owned)
                }),
                languages: counts(f.languages, static_label(taxonomy::LANGUAGES)),
                costs: counts(f.costs, static_label(taxonomy::COSTS)),
                weekdays: counts(f.weekdays, static_label(taxonomy::WEEKDAYS)),
                areas: f
                    .areas
                    .into_iter()
                    .map(|(a, count)| AreaCount {
                        area_id: gid(a),
                        count,
                    })
                    .collect(),
            },
            degraded: r.degraded,
        })
    }

    /// One offer: public ones for everybody, pending or rejected ones for members and staff.
    async fn offer(&self, c: &Context<'_>, id: ID) -> Result<Option<OfferGql>> {
        let (state, rc) = ctx(c)?;
        match directory::offer_view(&state.db, &rc.viewer, parse_id(&id)?).await {
            Ok(v) => {
                let cats = directory::categories::of(&state.db, v.offer.tenant_id)
                    .await
                    .gql()?;
                Ok(Some(OfferGql::new(v.offer, &v.actor, &cats, None)))
            }
            Err(crate::kernel::error::AppError::NotFound) => Ok(None),
            Err(e) => Err(super::gql(e)),
        }
    }

    /// One actor with the offers the viewer may see.
    async fn actor(&self, c: &Context<'_>, id: ID) -> Result<Option<ActorGql>> {
        let (state, rc) = ctx(c)?;
        let v = match directory::actor_view(&state.db, &rc.viewer, parse_id(&id)?).await {
            Ok(v) => v,
            Err(crate::kernel::error::AppError::NotFound) => return Ok(None),
            Err(e) => return Err(super::gql(e)),
        };
        let a = v.actor;
        let cats = directory::categories::of(&state.db, a.tenant_id)
            .await
            .gql()?;
        let offers = v
            .offers
            .into_iter()
            .map(|o| OfferGql::new(o, &a, &cats, None))
            .collect();
        let point = directory::offer_point_of_actor(&a);
        Ok(Some(ActorGql {
            id: gid(a.id),
            tenant_id: gid(a.tenant_id),
            kind: Term {
                label: taxonomy::label(taxonomy::ACTOR_KINDS, &a.kind)
                    .unwrap_or(&a.kind)
                    .to_owned(),
                key: a.kind.clone(),
            },
            languages: list(&a.languages),
            lon: point.map(|p| p.lon),
            lat: point.map(|p| p.lat),
            url: format!("/akteur/{}", a.id),
            name: a.name,
            description_html: a.description,
            website: a.website,
            email: a.email,
            phone: a.phone,
            street: a.street,
            postcode: a.postcode,
            city: a.city,
            accessibility: a.accessibility,
            status: a.status.as_str().to_owned(),
            offers,
        }))
    }

    /// A Kommune's offer categories in their order (retired ones included, marked).
    async fn offer_categories(&self, c: &Context<'_>, tenant_id: ID) -> Result<Vec<CategoryGql>> {
        let (state, _) = ctx(c)?;
        Ok(directory::categories::of(&state.db, parse_id(&tenant_id)?)
            .await
            .gql()?
            .0
            .into_iter()
            .map(|c| CategoryGql {
                key: c.key,
                label: c.label,
                retired: c.retired,
            })
            .collect())
    }
}
