//! The forms: provider self-service, actor and offer forms, review, import, categories.

use super::*;

/// A form draft kept after a refused post (see `web::drafts`), else `fallback`.
pub(super) fn draft_or<T: serde::de::DeserializeOwned>(
    state: &AppState,
    viewer: &Viewer,
    draft: Option<String>,
    fallback: T,
) -> T {
    let user = viewer.user.as_ref().map_or(0, |u| u.id);
    draft
        .and_then(|t| state.mem.form_drafts.get(&t, user))
        .and_then(|json| serde_json::from_str(&json).ok())
        .unwrap_or(fallback)
}

pub async fn provider_page(
    state: &AppState,
    viewer: &Viewer,
    tenant: &Tenant,
    sum: TenantSummary,
    draft: Option<String>,
    map: MapConfig,
) -> AppResult<ProviderData> {
    let signed_in = viewer.user.is_some();
    let categories = directory::categories::of(&state.db, tenant.id).await?;
    let actors = if signed_in {
        directory::mine(&state.db, viewer, tenant.id)
            .await?
            .iter()
            .map(|v| {
                (
                    actor_card(&v.actor),
                    v.offers
                        .iter()
                        .map(|o| card(o, &v.actor, None, &categories))
                        .collect(),
                )
            })
            .collect()
    } else {
        Vec::new()
    };
    let levels = areas::levels(&state.db, viewer, tenant.id).await?;
    Ok(ProviderData {
        tenant: sum,
        signed_in,
        actors,
        form: draft_or(
            state,
            viewer,
            draft,
            ActorInput {
                kind: "verein".into(),
                languages: vec!["de".into()],
                ..ActorInput::default()
            },
        ),
        map,
        level_id: levels.last().map(|l| l.id),
    })
}

pub async fn actor_form(
    state: &AppState,
    viewer: &Viewer,
    id: i32,
    draft: Option<String>,
    tenant_of: impl Fn(i32) -> Option<TenantSummary>,
    map: MapConfig,
) -> AppResult<ActorFormData> {
    let v = directory::actor_view(&state.db, viewer, id).await?;
    if !v.can_edit {
        return Err(AppError::Forbidden);
    }
    let a = &v.actor;
    // A waiting change is what the provider last wrote: edit that, not the published version.
    let current = a
        .pending_change
        .as_deref()
        .and_then(|p| serde_json::from_str(p).ok())
        .unwrap_or_else(|| directory::actor_input(a));
    let levels = areas::levels(&state.db, viewer, a.tenant_id).await?;
    Ok(ActorFormData {
        tenant: tenant_of(a.tenant_id).ok_or(AppError::NotFound)?,
        id,
        form: draft_or(state, viewer, draft, current),
        change_pending: a.pending_change.is_some(),
        map,
        level_id: levels.last().map(|l| l.id),
    })
}

pub async fn offer_form(
    state: &AppState,
    viewer: &Viewer,
    actor_id: Option<i32>,
    offer_id: Option<i32>,
    draft: Option<String>,
    tenant_of: impl Fn(i32) -> Option<TenantSummary>,
    map: MapConfig,
) -> AppResult<OfferFormData> {
    let (offer, actor_id) = match (offer_id, actor_id) {
        (Some(o), _) => {
            let o = directory::offer_by_id(&state.db, o).await?;
            let a = o.actor_id;
            (Some(o), a)
        }
        (None, Some(a)) => (None, a),
        (None, None) => return Err(AppError::NotFound),
    };
    let v = directory::actor_view(&state.db, viewer, actor_id).await?;
    if !v.can_edit {
        return Err(AppError::Forbidden);
    }
    let current = match &offer {
        Some(o) => match o
            .pending_change
            .as_deref()
            .and_then(|p| serde_json::from_str(p).ok())
        {
            Some(pending) => pending,
            None => directory::offer_input(o, directory::serves_of(&state.db, o.id).await?),
        },
        None => OfferInput {
            cost: "kostenlos".into(),
            languages: vec!["de".into()],
            ..OfferInput::default()
        },
    };
    let (areas, level_id) = tenant_areas(state, viewer, v.actor.tenant_id).await?;
    let categories = directory::categories::of(&state.db, v.actor.tenant_id).await?;
    Ok(OfferFormData {
        tenant: tenant_of(v.actor.tenant_id).ok_or(AppError::NotFound)?,
        actor_id,
        actor: v.actor.name.clone(),
        offer_id: offer.as_ref().map(|o| o.id),
        change_pending: offer.as_ref().is_some_and(|o| o.pending_change.is_some()),
        form: draft_or(state, viewer, draft, current),
        areas,
        map,
        level_id,
        categories: categories.choices(),
    })
}

pub async fn review_page(
    state: &AppState,
    viewer: &Viewer,
    tenant: &Tenant,
    sum: TenantSummary,
    page: u64,
) -> AppResult<ReviewData> {
    let items = directory::queue(&state.db, viewer, tenant.id).await?;
    let total = items.len() as u64;
    let pages = total.div_ceil(qn_app::api::QUEUE_PAGE).max(1);
    let page = page.clamp(1, pages);
    let skip = usize::try_from((page - 1) * qn_app::api::QUEUE_PAGE).unwrap_or(usize::MAX);
    let take = usize::try_from(qn_app::api::QUEUE_PAGE).unwrap_or(usize::MAX);
    let items: Vec<_> = items.into_iter().skip(skip).take(take).collect();
    // The areas of every card's point in one query (the moderator sees where it will show).
    let placed: Vec<Vec<i32>> = items
        .iter()
        .map(|i| {
            i.point
                .map(|p| directory::place(state, tenant.id, p))
                .unwrap_or_default()
        })
        .collect();
    let all: Vec<i32> = placed.iter().flatten().copied().collect();
    let names: HashMap<i32, area_table::Model> = areas::by_ids(&state.db, viewer, &all)
        .await?
        .into_iter()
        .map(|a| (a.id, a))
        .collect();
    Ok(ReviewData {
        tenant: sum,
        total,
        page,
        pages,
        items: items
            .into_iter()
            .zip(placed)
            .map(|(i, placed)| ReviewItem {
                point: i.point.map(|p| (p.lon, p.lat)),
                areas: placed
                    .iter()
                    .filter_map(|id| names.get(id))
                    .map(link)
                    .collect(),
                kind: i.kind.as_str().into(),
                id: i.id,
                name: i.name,
                actor_id: i.actor_id,
                actor: i.actor_name,
                changed: i
                    .changed
                    .map(|c| c.iter().map(|f| field_label(f).to_owned()).collect()),
                since: i.since.format("%d.%m.%Y, %H:%M").to_string(),
            })
            .collect(),
    })
}

/// German names of the input fields (for "what changed" in the queue).
pub(super) fn field_label(f: &str) -> &str {
    match f {
        "name" => "Name",
        "title" => "Titel",
        "kind" => "Art",
        "description" => "Beschreibung",
        "contact_name" => "Ansprechperson",
        "email" => "E-Mail",
        "phone" => "Telefon",
        "street" => "Straße",
        "postcode" => "Postleitzahl",
        "city" => "Ort",
        "lon" | "lat" => "Lage",
        "website" => "Webseite",
        "languages" => "Sprachen",
        "accessibility" => "Barrierefreiheit",
        "categories" => "Kategorien",
        "target_groups" => "Zielgruppen",
        "age_min" | "age_max" => "Alter",
        "schedule" => "Zeiten",
        "cost" => "Kosten",
        "registration" => "Anmeldung",
        "barrier_free" => "Barrierefrei",
        "valid_from" | "valid_until" => "Zeitraum",
        "serves" => "Gebiete",
        other => other,
    }
}

pub async fn import_page(
    state: &AppState,
    viewer: &Viewer,
    tenant: &Tenant,
    sum: TenantSummary,
) -> AppResult<DirectoryImportData> {
    use qn_domain::indicators::IndicatorKind;
    viewer.require(tenant.id, Can::ImportDirectory)?;
    let populations = crate::indicators::list(&state.db, viewer, tenant.id)
        .await?
        .into_iter()
        .filter(|i| {
            i.tenant_id == tenant.id
                && matches!(
                    crate::indicators::kind(i),
                    IndicatorKind::Count | IndicatorKind::Share
                )
        })
        .map(|i| (i.id, i.name))
        .collect();
    Ok(DirectoryImportData {
        tenant: sum,
        populations,
        categories: directory::categories::of(&state.db, tenant.id)
            .await?
            .choices(),
    })
}

/// The planners' category list, with how many offers carry each category.
pub async fn categories_page(
    state: &AppState,
    viewer: &Viewer,
    tenant: &Tenant,
    sum: TenantSummary,
) -> AppResult<CategoriesData> {
    viewer.require(tenant.id, Can::EditCategories)?;
    let categories = directory::categories::of(&state.db, tenant.id).await?;
    let used: Vec<String> = offers::Entity::find()
        .select_only()
        .column(offers::Column::Categories)
        .filter(offers::Column::TenantId.eq(tenant.id))
        .into_tuple()
        .all(&state.db)
        .await?;
    let mut counts: HashMap<String, u64> = HashMap::new();
    for keys in used {
        for k in list(&keys) {
            *counts.entry(k).or_default() += 1;
        }
    }
    Ok(CategoriesData {
        tenant: sum,
        categories: categories
            .0
            .into_iter()
            .map(|c| CategoryRow {
                offers: counts.get(&c.key).copied().unwrap_or(0),
                key: c.key,
                label: c.label,
                retired: c.retired,
            })
            .collect(),
    })
}
