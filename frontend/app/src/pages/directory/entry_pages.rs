//! An offer's page and an actor's page.

use super::*;

pub(super) fn status_notices(
    status: &str,
    change_pending: bool,
    reason: Option<String>,
    stale: bool,
) -> impl IntoView {
    let d = td();
    view! {
        {(status == "pending").then(|| view! { <p class="notice notice-info" role="status">{d.pending_notice}</p> })}
        {(status == "rejected" || reason.is_some()).then(|| view! {
            <p class="notice notice-error" role="status">{d.rejected_notice}" "{reason.clone().unwrap_or_default()}</p>
        })}
        {change_pending.then(|| view! { <p class="notice notice-info" role="status">{d.change_notice}</p> })}
        {stale.then(|| view! { <p class="notice notice-info" role="status">{d.stale_notice}</p> })}
    }
}

pub(super) fn facts_list(facts: Vec<(String, String)>) -> impl IntoView {
    view! {
        <dl class="facts">
            {facts.into_iter().map(|(k, v)| view! { <dt>{k}</dt><dd>{v}</dd> }).collect_view()}
        </dl>
    }
}

pub(super) fn area_links(list: Vec<AreaLink>) -> impl IntoView {
    list.into_iter()
        .enumerate()
        .map(|(i, a)| view! { {(i > 0).then_some(", ")}<a href=format!("/quartier/{}", a.id)>{a.name}</a> })
        .collect_view()
}

#[component]
pub fn OfferPage() -> impl IntoView {
    let id = id_param("id");
    let data = Resource::new(id, |id| async move {
        match id {
            Some(id) => get_offer_page(id).await,
            None => Ok(Err(crate::api::ApiError::new("NOT_FOUND"))),
        }
    });
    view! {
        <Suspense fallback=LoadingText>
            {move || Suspend::new(async move { loaded(data.await, |d| view! { <Offer d/> }.into_any()) })}
        </Suspense>
    }
}

#[component]
pub(super) fn Offer(d: OfferPageData) -> impl IntoView {
    let td = td();
    let OfferPageData {
        tenant,
        id,
        title,
        description_html,
        actor_id,
        actor,
        facts,
        times,
        address,
        point,
        areas,
        serves,
        status,
        change_pending,
        rejection_reason,
        stale,
        confirmed,
        can_edit,
        json_ld,
        map,
        level_id,
    } = d;
    view! {
        <Title text=format!("{title} – {actor}")/>
        <script type="application/ld+json" inner_html=json_ld></script>
        <nav aria-label=t().breadcrumb class="breadcrumb">
            <a href=format!("/kommune/{}", tenant.slug)>{tenant.name.clone()}</a>" › "
            <a href=format!("/kommune/{}/angebote", tenant.slug)>{td.nav_offers}</a>
        </nav>
        <h1>{title.clone()}</h1>
        {feedback(notice)}
        <p class="lead">{td.offer_provider}": "<a href=format!("/akteur/{actor_id}")>{actor}</a></p>
        {status_notices(&status, change_pending, rejection_reason, stale)}
        <div class="rich" inner_html=description_html></div>
        {facts_list(facts)}
        {(!times.is_empty()).then(|| view! {
            <h2>{td.offer_when}</h2>
            <ul>{times.into_iter().map(|l| view! { <li>{l}</li> }).collect_view()}</ul>
        })}
        <h2>{td.offer_where}</h2>
        {address.map(|a| view! { <p>{a}</p> })}
        {(!areas.is_empty()).then(|| view! { <p>{td.offer_areas}": "{area_links(areas)}</p> })}
        {(!serves.is_empty()).then(|| view! { <p>{td.offer_serves}": "{area_links(serves)}</p> })}
        {level_id.zip(point).map(|(l, (lon, lat))| view! {
            <section class="map-section" aria-label=td.offer_where>
                <div class="qn-map small" data-geojson=level_geojson_url(l) data-marker=format!("{lat:.6},{lon:.6}")
                    data-tiles=map.tile_url.clone() data-attribution=map.tile_attribution.clone()></div>
            </section>
        })}
        <p class="hint">{td.offer_confirmed}" "{confirmed}</p>
        {can_edit.then(|| view! {
            <p class="actions">
                <a class="button" href=format!("/angebot/{id}/bearbeiten")>{td.edit}</a>
            </p>
            <form method="post" action=format!("/angebot/{id}/bestaetigen")>
                <button type="submit" class="secondary">{td.confirm_entry}</button>
            </form>
            <form method="post" action=format!("/angebot/{id}/loeschen")>
                <button type="submit" class="secondary danger">{td.delete_confirm}</button>
            </form>
        })}
    }
}

#[component]
pub fn ActorPage() -> impl IntoView {
    let id = id_param("id");
    let data = Resource::new(id, |id| async move {
        match id {
            Some(id) => get_actor_page(id).await,
            None => Ok(Err(crate::api::ApiError::new("NOT_FOUND"))),
        }
    });
    view! {
        <Suspense fallback=LoadingText>
            {move || Suspend::new(async move { loaded(data.await, |d| view! { <ActorView d/> }.into_any()) })}
        </Suspense>
    }
}

#[component]
pub(super) fn ActorView(d: ActorPageData) -> impl IntoView {
    let td = td();
    let ActorPageData {
        tenant,
        id,
        name,
        kind,
        description_html,
        facts,
        website,
        email,
        address,
        areas,
        offers,
        status,
        change_pending,
        rejection_reason,
        stale,
        confirmed,
        can_edit,
        json_ld,
    } = d;
    view! {
        <Title text=name.clone()/>
        <script type="application/ld+json" inner_html=json_ld></script>
        <nav aria-label=t().breadcrumb class="breadcrumb">
            <a href=format!("/kommune/{}", tenant.slug)>{tenant.name.clone()}</a>" › "
            <a href=format!("/kommune/{}/angebote", tenant.slug)>{td.nav_offers}</a>
        </nav>
        <h1>{name}</h1>
        {feedback(notice)}
        <p class="lead">{kind}</p>
        {status_notices(&status, change_pending, rejection_reason, stale)}
        <div class="rich" inner_html=description_html></div>
        {facts_list(facts)}
        <h2>{td.contact}</h2>
        <ul class="plain">
            {address.map(|a| view! { <li>{a}</li> })}
            {website.map(|w| view! { <li>{td.website}": "<a href=w.clone() rel="nofollow noopener">{w.clone()}</a></li> })}
            {email.map(|e| view! { <li>{td.email}": "<a href=format!("mailto:{e}")>{e.clone()}</a></li> })}
        </ul>
        {(!areas.is_empty()).then(|| view! { <p>{td.offer_areas}": "{area_links(areas)}</p> })}
        <h2>{td.actor_offers}</h2>
        {if offers.is_empty() { view! { <p>{td.actor_no_offers}</p> }.into_any() } else { offer_list(offers, can_edit).into_any() }}
        <p class="hint">{td.offer_confirmed}" "{confirmed}</p>
        {can_edit.then(|| view! {
            <p class="actions">
                <a class="button" href=format!("/akteur/{id}/angebot-neu")>{td.new_offer}</a>" "
                <a href=format!("/akteur/{id}/bearbeiten")>{td.edit_actor}</a>
            </p>
            <form method="post" action=format!("/akteur/{id}/bestaetigen")>
                <button type="submit" class="secondary">{td.confirm_all}</button>
            </form>
        })}
    }
}
