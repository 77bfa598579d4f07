//! The directory's search page with its facets.

use super::*;

/// The tenant's visible areas with their level's name, coarse levels first; and the finest
/// level (for maps).
pub(super) async fn tenant_areas(
    state: &AppState,
    viewer: &Viewer,
    tenant_id: i32,
) -> AppResult<(Vec<(String, AreaLink)>, Option<i32>)> {
    let levels = areas::levels(&state.db, viewer, tenant_id).await?;
    let names: HashMap<i32, (usize, String)> = levels
        .iter()
        .enumerate()
        .map(|(i, l)| (l.id, (i, l.name.clone())))
        .collect();
    let mut list = area_table::Entity::find()
        .filter(area_table::Column::LevelId.is_in(levels.iter().map(|l| l.id)))
        .order_by_asc(area_table::Column::Name)
        .all(&state.db)
        .await?;
    list.sort_by_key(|a| names.get(&a.level_id).map_or(usize::MAX, |n| n.0));
    Ok((
        list.iter()
            .filter_map(|a| Some((names.get(&a.level_id)?.1.clone(), link(a))))
            .collect(),
        levels.last().map(|l| l.id),
    ))
}

pub(super) fn facet<'t>(
    name: &str,
    label: &str,
    terms: impl IntoIterator<Item = (&'t str, &'t str)>,
    counts: &BTreeMap<String, u64>,
    checked: &[String],
) -> FacetGroup {
    FacetGroup {
        name: name.into(),
        label: label.into(),
        options: terms
            .into_iter()
            .filter(|(k, _)| counts.contains_key(*k) || checked.iter().any(|c| c == k))
            .map(|(k, l)| FacetOption {
                value: k.into(),
                label: l.into(),
                count: counts.get(k).copied().unwrap_or(0),
                checked: checked.iter().any(|c| c == k),
            })
            .collect(),
    }
}

/// The search query of the page's arguments (shared with the map's GeoJSON endpoint).
pub fn query_of(
    tenant_id: i32,
    args: &OfferSearchArgs,
    offset: usize,
    limit: usize,
) -> SearchQuery {
    let mut q = SearchQuery::new(tenant_id, args.q.as_deref().unwrap_or_default());
    q.filters = Filters {
        categories: args.kategorie.clone(),
        target_groups: args.zielgruppe.clone(),
        languages: args.sprache.clone(),
        costs: args.kosten.clone(),
        weekdays: args.tag.clone(),
        area: args.gebiet,
    };
    if let (Some(lon), Some(lat)) = (args.lon, args.lat) {
        if let Ok(p) = Point::new(lon, lat) {
            q.near = Some(p);
            // "beliebig" is 0: a location without a limit (it still orders by distance).
            q.radius_m = args.umkreis.filter(|m| *m > 0).map(f64::from);
        }
    }
    q.order = if args.sortierung.as_deref() == Some("entfernung") && q.near.is_some() {
        Order::Distance
    } else {
        Order::Relevance
    };
    q.offset = offset;
    q.limit = limit.min(MAX_LIMIT);
    q
}

pub async fn search_page(
    state: &AppState,
    viewer: &Viewer,
    tenant: &Tenant,
    sum: TenantSummary,
    args: OfferSearchArgs,
    map: MapConfig,
) -> AppResult<OfferSearchData> {
    let page = args.seite.unwrap_or(1).clamp(1, crate::boards::MAX_PAGE);
    let offset = usize::try_from(page - 1)
        .unwrap_or(0)
        .saturating_mul(PAGE_SIZE);
    let q = query_of(tenant.id, &args, offset, PAGE_SIZE);
    let results = directory::search_sync::find(state, viewer, &q).await?;
    let categories = directory::categories::of(&state.db, tenant.id).await?;
    let ids: Vec<i32> = results
        .hits
        .iter()
        .filter_map(|h| i32::try_from(h.id).ok())
        .collect();
    let distances: HashMap<i32, f64> = results
        .hits
        .iter()
        .filter_map(|h| Some((i32::try_from(h.id).ok()?, h.distance_m?)))
        .collect();
    let hits = directory::offers_with_actors(&state.db, &ids)
        .await?
        .iter()
        .map(|(o, a)| card(o, a, distances.get(&o.id).copied(), &categories))
        .collect();
    let f = &results.facets;
    let terms = |list: &'static [Term]| list.iter().copied();
    let facets = vec![
        facet(
            "kategorie",
            "Kategorie",
            categories
                .0
                .iter()
                .map(|c| (c.key.as_str(), c.label.as_str())),
            &f.categories,
            &args.kategorie,
        ),
        facet(
            "zielgruppe",
            "Für wen",
            taxonomy::TARGET_GROUPS.iter().map(|g| (g.0, g.1)),
            &f.target_groups,
            &args.zielgruppe,
        ),
        facet(
            "sprache",
            "Sprache",
            terms(taxonomy::LANGUAGES),
            &f.languages,
            &args.sprache,
        ),
        facet(
            "kosten",
            "Kosten",
            terms(taxonomy::COSTS),
            &f.costs,
            &args.kosten,
        ),
        facet(
            "tag",
            "Wochentag",
            terms(taxonomy::WEEKDAYS),
            &f.weekdays,
            &args.tag,
        ),
    ];
    let (areas, level_id) = tenant_areas(state, viewer, tenant.id).await?;
    let total = results.total as u64;
    let qs = args.query_string(None);
    Ok(OfferSearchData {
        // `suche=1`: the map shows this search's offers (at most 200), never all of them.
        points_url: format!(
            "/api/v1/kommune/{}/angebote.geojson?suche=1&{qs}",
            tenant.slug
        ),
        tenant: sum,
        hits,
        total,
        page,
        pages: total.div_ceil(PAGE_SIZE as u64).max(1),
        facets,
        areas,
        degraded: results.degraded,
        map,
        level_id,
        can_moderate: viewer.may(tenant.id, Can::ModerateDirectory),
        can_import: viewer.may(tenant.id, Can::ImportDirectory),
        args,
    })
}
