//! The provider's page and the actor and offer forms.

use super::*;
use crate::pages::page_with;

pub(super) fn checks(
    name: &'static str,
    legend: &'static str,
    terms: Vec<(String, String)>,
    selected: &[String],
) -> impl IntoView {
    view! {
        <fieldset class="checks">
            <legend>{legend}</legend>
            {terms.into_iter().map(|(k, l)| {
                let id = format!("{name}-{k}");
                let on = selected.contains(&k);
                view! {
                    <div class="check">
                        <input type="checkbox" id=id.clone() name=name value=k checked=on/>
                        <label for=id>{l}</label>
                    </div>
                }
            }).collect_view()}
        </fieldset>
    }
}

/// A fixed list of the taxonomy as owned (key, label) pairs for [`checks`].
pub(super) fn owned(list: &[(&str, &str)]) -> Vec<(String, String)> {
    list.iter()
        .map(|(k, l)| ((*k).to_owned(), (*l).to_owned()))
        .collect()
}

pub(super) fn target_groups() -> Vec<(String, String)> {
    taxonomy::TARGET_GROUPS
        .iter()
        .map(|g| (g.0.to_owned(), g.1.to_owned()))
        .collect()
}

pub(super) fn text_input(
    id: &'static str,
    label: &'static str,
    value: String,
    required: bool,
) -> impl IntoView {
    view! {
        <label for=id>{label}</label>
        <input id=id name=id value=value required=required/>
    }
}

/// Where an entry is: a map to click and the coordinates (required for actors).
pub(super) fn place_fields(
    tenant: &str,
    lon: Option<f64>,
    lat: Option<f64>,
    hint: &'static str,
    level_id: Option<i32>,
    map: &MapConfig,
) -> impl IntoView {
    let td = td();
    view! {
        <fieldset>
            <legend>{td.place_legend}</legend>
            <p class="hint" id="ort-hinweis">{hint}</p>
            {level_id.map(|l| view! {
                <div class="qn-map small" data-geojson=level_geojson_url(l) data-pick="ort-koordinaten"
                    data-marker=lat.zip(lon).map(|(a, o)| format!("{a:.6},{o:.6}"))
                    data-tiles=map.tile_url.clone() data-attribution=map.tile_attribution.clone()></div>
            })}
            <div id="ort-koordinaten" class="coords">
                <label for="lat">{td.lat}</label>
                <input id="lat" name="lat" inputmode="decimal" data-pick-lat aria-describedby="ort-hinweis" value=lat.map(|v| format!("{v:.6}"))/>
                <label for="lon">{td.lon}</label>
                <input id="lon" name="lon" inputmode="decimal" data-pick-lon aria-describedby="ort-hinweis" value=lon.map(|v| format!("{v:.6}"))/>
            </div>
            {address_finder(tenant.to_owned(), "strasse plz ort", "ort-koordinaten", "ort-gefunden".into(), None, t().find_address)}
        </fieldset>
    }
}

pub(super) fn actor_fields(
    tenant: &str,
    f: ActorInput,
    level_id: Option<i32>,
    map: MapConfig,
) -> impl IntoView {
    let td = td();
    view! {
        {text_input("name", td.actor_name, f.name.clone(), true)}
        <label for="art">{td.actor_kind}</label>
        <select id="art" name="art">
            {taxonomy::ACTOR_KINDS.iter().map(|(k, l)| view! { <option value=*k selected=f.kind == *k>{*l}</option> }).collect_view()}
        </select>
        <label for="beschreibung">{td.description}</label>
        <textarea id="beschreibung" name="beschreibung" rows="6" aria-describedby="beschreibung-hinweis">{textarea_text(&f.description)}</textarea>
        <p class="hint" id="beschreibung-hinweis">{td.description_hint}</p>
        {text_input("ansprechperson", td.contact_name, f.contact_name.clone(), false)}
        <label for="email">{td.email}</label>
        <input id="email" name="email" type="email" value=f.email.clone()/>
        <label for="telefon">{td.phone}</label>
        <input id="telefon" name="telefon" type="tel" value=f.phone.clone()/>
        <label for="website">{td.website}</label>
        <input id="website" name="website" type="url" inputmode="url" value=f.website.clone()/>
        {text_input("strasse", td.street, f.street.clone(), false)}
        {text_input("plz", td.postcode, f.postcode.clone(), false)}
        {text_input("ort", td.city, f.city.clone(), false)}
        {place_fields(tenant, f.lon, f.lat, td.place_hint, level_id, &map)}
        {checks("sprache", td.languages, owned(taxonomy::LANGUAGES), &f.languages)}
        <label for="barrierefreiheit">{td.accessibility}</label>
        <textarea id="barrierefreiheit" name="barrierefreiheit" rows="2" placeholder=td.accessibility_hint>{textarea_text(&f.accessibility)}</textarea>
    }
}

pub(super) fn offer_fields(
    tenant: &str,
    f: OfferInput,
    areas: Vec<(String, AreaLink)>,
    level_id: Option<i32>,
    map: MapConfig,
    categories: Vec<(String, String)>,
) -> impl IntoView {
    let td = td();
    let groups = target_groups();
    view! {
        {text_input("titel", td.offer_title, f.title.clone(), true)}
        <label for="beschreibung">{td.description}</label>
        <textarea id="beschreibung" name="beschreibung" rows="6" aria-describedby="beschreibung-hinweis">{textarea_text(&f.description)}</textarea>
        <p class="hint" id="beschreibung-hinweis">{td.description_hint}</p>
        {checks("kategorie", td.categories, categories, &f.categories)}
        {checks("zielgruppe", td.target_groups, groups, &f.target_groups)}
        <div class="inline-fields">
            <label for="alter_von">{td.age_from}</label>
            <input id="alter_von" name="alter_von" type="number" min="0" max="120" value=f.age_min.map(|a| a.to_string())/>
            <label for="alter_bis">{td.age_to}</label>
            <input id="alter_bis" name="alter_bis" type="number" min="0" max="120" value=f.age_max.map(|a| a.to_string())/>
        </div>
        {checks("sprache", td.languages, owned(taxonomy::LANGUAGES), &f.languages)}
        <label for="zeiten">{td.schedule}</label>
        <textarea id="zeiten" name="zeiten" rows="3" aria-describedby="zeiten-hinweis">{textarea_text(&f.schedule)}</textarea>
        <p class="hint" id="zeiten-hinweis">{td.schedule_hint}</p>
        <fieldset>
            <legend>{td.cost}</legend>
            {taxonomy::COSTS.iter().map(|(k, l)| {
                let id = format!("kosten-{k}");
                view! { <div class="check"><input type="radio" id=id.clone() name="kosten" value=*k checked=f.cost == *k/><label for=id>{*l}</label></div> }
            }).collect_view()}
        </fieldset>
        <div class="check"><input type="checkbox" id="anmeldung" name="anmeldung" value="1" checked=f.registration/><label for="anmeldung">{td.registration}</label></div>
        <div class="check"><input type="checkbox" id="barrierefrei" name="barrierefrei" value="1" checked=f.barrier_free/><label for="barrierefrei">{td.barrier_free}</label></div>
        <div class="inline-fields">
            <label for="gueltig_ab">{td.valid_from}</label>
            <input id="gueltig_ab" name="gueltig_ab" type="date" value=f.valid_from.map(|d| d.to_string())/>
            <label for="gueltig_bis">{td.valid_until}</label>
            <input id="gueltig_bis" name="gueltig_bis" type="date" value=f.valid_until.map(|d| d.to_string())/>
        </div>
        {text_input("strasse", td.street, f.street.clone(), false)}
        {text_input("plz", td.postcode, f.postcode.clone(), false)}
        {text_input("ort", td.city, f.city.clone(), false)}
        {place_fields(tenant, f.lon, f.lat, td.place_own_hint, level_id, &map)}
        <label for="gebiete">{td.serves}</label>
        <select id="gebiete" name="gebiete" multiple size="6" aria-describedby="gebiete-hinweis">
            {areas.into_iter().map(|(level, a)| {
                let on = f.serves.contains(&a.id);
                view! { <option value=a.id.to_string() selected=on>{format!("{} ({level})", a.name)}</option> }
            }).collect_view()}
        </select>
        <p class="hint" id="gebiete-hinweis">{td.serves_hint}</p>
    }
}

#[component]
pub fn ProviderPage() -> impl IntoView {
    let params = use_params_map();
    let query = use_query_map();
    page_with(
        move || {
            (
                params.read().get("slug").unwrap_or_default(),
                query.read().get("entwurf"),
            )
        },
        |(slug, draft)| get_provider_page(slug, draft),
        |d| view! { <Provider d/> },
    )
}

#[component]
pub(super) fn Provider(d: ProviderData) -> impl IntoView {
    let td = td();
    let ProviderData {
        tenant,
        signed_in,
        actors,
        form,
        map,
        level_id,
    } = d;
    let here = format!("/kommune/{}/anbieten", tenant.slug);
    view! {
        <Title text=td.provider_title/>
        <nav aria-label=t().breadcrumb class="breadcrumb">
            <a href=format!("/kommune/{}", tenant.slug)>{tenant.name.clone()}</a>" › "
            <a href=format!("/kommune/{}/angebote", tenant.slug)>{td.nav_offers}</a>
        </nav>
        <h1>{td.provider_title}</h1>
        {feedback(notice)}
        <p class="lead">{td.provider_intro}</p>
        {if !signed_in {
            view! {
                <p>{td.provider_sign_in}</p>
                <p class="actions">
                    <a class="button" href=format!("/anmelden?weiter={here}")>{td.sign_in}</a>" "
                    <a href=format!("/registrieren?kommune={}&weiter={here}", tenant.slug)>{td.register}</a>
                </p>
            }.into_any()
        } else {
            view! {
                <section aria-labelledby="meine">
                    <h2 id="meine">{td.mine}</h2>
                    {if actors.is_empty() { view! { <p>{td.mine_empty}</p> }.into_any() } else {
                        view! {
                            <ul class="cards">
                                {actors.into_iter().map(|(a, offers)| view! {
                                    <li class="card">
                                        <h3><a href=format!("/akteur/{}", a.id)>{a.title}</a></h3>
                                        <p class="meta">{a.categories.join(", ")}</p>
                                        {badges(&a.status, a.change_pending, a.stale)}
                                        {(!offers.is_empty()).then(|| offer_list(offers, true))}
                                        <p class="actions"><a href=format!("/akteur/{}/angebot-neu", a.id)>{td.new_offer}</a></p>
                                    </li>
                                }).collect_view()}
                            </ul>
                        }.into_any()
                    }}
                </section>
                <section aria-labelledby="neu">
                    <h2 id="neu">{td.new_actor}</h2>
                    <form method="post" action=here.clone() class="stack">
                        {actor_fields(&tenant.slug, form, level_id, map)}
                        <button type="submit">{td.submit}</button>
                    </form>
                </section>
            }.into_any()
        }}
    }
}

#[component]
pub fn ActorEditPage() -> impl IntoView {
    let id = id_param("id");
    let query = use_query_map();
    page_with(
        move || (id(), query.read().get("entwurf")),
        |(id, draft)| async move {
            match id {
                Some(id) => get_actor_form(id, draft).await,
                None => Ok(Err(crate::api::ApiError::new("NOT_FOUND"))),
            }
        },
        |d| view! { <ActorEdit d/> },
    )
}

#[component]
pub(super) fn ActorEdit(d: ActorFormData) -> impl IntoView {
    let td = td();
    let ActorFormData {
        tenant,
        id,
        form,
        change_pending,
        map,
        level_id,
    } = d;
    view! {
        <Title text=td.edit_actor/>
        <nav aria-label=t().breadcrumb class="breadcrumb">
            <a href=format!("/kommune/{}/angebote", tenant.slug)>{td.nav_offers}</a>" › "
            <a href=format!("/akteur/{id}")>{form.name.clone()}</a>
        </nav>
        <h1>{td.edit_actor}</h1>
        {feedback(notice)}
        {change_pending.then(|| view! { <p class="notice notice-info" role="status">{td.change_notice}</p> })}
        <form method="post" action=format!("/akteur/{id}/bearbeiten") class="stack">
            {actor_fields(&tenant.slug, form, level_id, map)}
            <button type="submit">{td.save}</button>
        </form>
    }
}

#[component]
pub fn OfferNewPage() -> impl IntoView {
    let id = id_param("id");
    let query = use_query_map();
    page_with(
        move || (id(), query.read().get("entwurf")),
        |(id, draft)| get_offer_form(id, None, draft),
        |d| view! { <OfferEdit d/> },
    )
}

#[component]
pub fn OfferEditPage() -> impl IntoView {
    let id = id_param("id");
    let query = use_query_map();
    page_with(
        move || (id(), query.read().get("entwurf")),
        |(id, draft)| async move {
            match id {
                Some(id) => get_offer_form(None, Some(id), draft).await,
                None => Ok(Err(crate::api::ApiError::new("NOT_FOUND"))),
            }
        },
        |d| view! { <OfferEdit d/> },
    )
}

#[component]
pub(super) fn OfferEdit(d: OfferFormData) -> impl IntoView {
    let td = td();
    let OfferFormData {
        tenant,
        actor_id,
        actor,
        offer_id,
        form,
        change_pending,
        areas,
        map,
        level_id,
        categories,
    } = d;
    let (heading, action) = match offer_id {
        Some(o) => (td.edit_offer, format!("/angebot/{o}/bearbeiten")),
        None => (td.new_offer, format!("/akteur/{actor_id}/angebot-neu")),
    };
    view! {
        <Title text=heading/>
        <nav aria-label=t().breadcrumb class="breadcrumb">
            <a href=format!("/kommune/{}/angebote", tenant.slug)>{td.nav_offers}</a>" › "
            <a href=format!("/akteur/{actor_id}")>{actor}</a>
        </nav>
        <h1>{heading}</h1>
        {feedback(notice)}
        {change_pending.then(|| view! { <p class="notice notice-info" role="status">{td.change_notice}</p> })}
        <form method="post" action=action class="stack">
            {offer_fields(&tenant.slug, form, areas, level_id, map, categories)}
            <button type="submit">{td.save}</button>
        </form>
    }
}
