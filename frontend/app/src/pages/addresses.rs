//! The planners' address register: house coordinates that place an entry given by its address
//! on its house and in its Quartier, and a way to try an address against them.

use crate::api::{get_addresses_page, AddressesData};
use crate::i18n::{directory::td, t};
use crate::pages::page_with;
use crate::pages::{feedback, use_query_map};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;

fn notice(code: &str) -> Option<&'static str> {
    (code == "gespeichert").then(|| td().addresses_saved)
}

#[component]
pub fn AddressesPage() -> impl IntoView {
    let params = use_params_map();
    let query = use_query_map();
    page_with(
        move || {
            (
                params.read().get("slug").unwrap_or_default(),
                query.read().get("adresse").unwrap_or_default(),
            )
        },
        |(slug, probe)| get_addresses_page(slug, probe),
        |d| view! { <Addresses d/> },
    )
}

#[component]
fn Addresses(d: AddressesData) -> impl IntoView {
    let td = td();
    let AddressesData {
        tenant,
        houses,
        probe,
    } = d;
    let base = format!("/kommune/{}/angebote/adressen", tenant.slug);
    let typed = probe.as_ref().map(|p| p.typed.clone()).unwrap_or_default();
    view! {
        <Title text=td.addresses_title/>
        <nav aria-label=t().breadcrumb class="breadcrumb">
            <a href=format!("/kommune/{}", tenant.slug)>{tenant.name.clone()}</a>
            " › "
            <a href=format!("/kommune/{}/angebote", tenant.slug)>{td.nav_offers}</a>
        </nav>
        <h1>{td.addresses_title}</h1>
        {feedback(notice)}
        <p class="lead">{td.addresses_intro}</p>
        {if houses == 0 {
            view! { <p>{td.addresses_empty}</p> }.into_any()
        } else {
            view! { <p>{td.addresses_count}" "<strong>{houses}</strong></p> }.into_any()
        }}
        <form method="get" action=base.clone() class="stack">
            <fieldset>
                <legend>{td.addresses_probe}</legend>
                <label for="adresse">{td.addresses_probe_label}</label>
                <input id="adresse" name="adresse" type="text" value=typed autocomplete="street-address"
                    aria-describedby="adresse-hinweis"/>
                <p class="hint" id="adresse-hinweis">{td.addresses_probe_hint}</p>
                <button type="submit">{td.addresses_probe_button}</button>
            </fieldset>
        </form>
        {probe.map(|p| match p.found {
            Ok((lon, lat, areas)) => {
                let place = if areas.is_empty() {
                    view! { {td.addresses_found_nowhere} }.into_any()
                } else {
                    view! {
                        {td.addresses_found_in}" "
                        {areas.into_iter().enumerate().map(|(i, a)| view! {
                            {(i > 0).then_some(", ")}
                            <a href=format!("/quartier/{}", a.id)>{a.name}</a>
                        }).collect_view()}
                        "."
                    }
                    .into_any()
                };
                view! {
                    <p class="notice notice-info" role="status" id="adresse-ergebnis">
                        {td.addresses_found}" "<strong>{p.typed}</strong>" ("
                        {format!("{lat:.5}, {lon:.5}")}") "{place}
                    </p>
                }
                .into_any()
            }
            Err(why) => view! {
                <p class="notice notice-error" role="alert" id="adresse-ergebnis">{why}</p>
            }
            .into_any(),
        })}
        <form method="post" enctype="multipart/form-data" class="stack" action=base>
            <fieldset>
                <legend>{td.addresses_upload}</legend>
                <p class="hint" id="adressen-format">{td.addresses_format}</p>
                <label for="adressen-datei">{td.addresses_file}</label>
                <input id="adressen-datei" name="datei" type="file" required
                    accept=".csv,.txt,.geojson,.json,text/csv,application/geo+json"
                    aria-describedby="adressen-format"/>
                <label for="adressen-crs">{td.addresses_crs}</label>
                <select id="adressen-crs" name="crs">
                    <option value="EPSG:25832" selected>"ETRS89 / UTM 32N (EPSG:25832)"</option>
                    <option value="EPSG:25833">"ETRS89 / UTM 33N (EPSG:25833)"</option>
                </select>
                <button type="submit">{td.addresses_replace}</button>
            </fieldset>
        </form>
    }
}
