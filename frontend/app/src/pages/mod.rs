//! Pages, one module per domain.

pub mod accounts;
pub mod addresses;
pub mod boards;
pub mod directory;
pub mod home;
pub mod indicators;
pub mod kommune;
pub mod members;
pub mod postcodes;
pub mod quartier;
pub mod surveys;

use crate::api::{get_viewer, ApiError, MapConfig};
use crate::i18n::{error_message, t};
use crate::LoadingText;
use leptos::prelude::*;
use leptos_meta::Title;

/// The query parameters of the current URL, each value decoded once. leptos_router 0.8's
/// `use_query_map` decodes values a second time (`ParamsMap::insert` unescapes what the URL
/// parser already decoded), so a typed `%20` came back as a space; here the raw query string is
/// parsed and each value is escaped before that insert undoes it.
pub fn use_query_map() -> Memo<leptos_router::params::ParamsMap> {
    let location = leptos_router::hooks::use_location();
    Memo::new(move |_| {
        let search = location.search.get();
        let mut map = leptos_router::params::ParamsMap::new();
        for (k, v) in form_urlencoded::parse(search.trim_start_matches('?').as_bytes()) {
            map.insert(k.into_owned(), leptos_router::location::Url::escape(&v));
        }
        map
    })
}

/// What a page's server function answers.
pub type Loaded<T> = Result<Result<T, ApiError>, ServerFnError>;

/// A page whose data is loaded by the Kommune in its path (`slug`): the loading text, then the
/// page or the error. Most of the Kommune's own pages are this.
pub fn by_slug<T, Fut, V>(
    fetch: impl Fn(String) -> Fut + Send + Sync + 'static,
    page: fn(T) -> V,
) -> impl IntoView
where
    T: Clone + Send + Sync + 'static,
    Loaded<T>: serde::Serialize + serde::de::DeserializeOwned,
    Fut: std::future::Future<Output = Loaded<T>> + Send + 'static,
    V: IntoView + 'static,
{
    let params = leptos_router::hooks::use_params_map();
    page_with(
        move || params.read().get("slug").unwrap_or_default(),
        fetch,
        page,
    )
}

/// A page whose data is loaded by what `source` reads from the URL: the loading text, then
/// the page or the error.
pub fn page_with<S, T, Fut, V>(
    source: impl Fn() -> S + Send + Sync + 'static,
    fetch: impl Fn(S) -> Fut + Send + Sync + 'static,
    page: fn(T) -> V,
) -> impl IntoView
where
    S: PartialEq + Clone + Send + Sync + 'static,
    T: Clone + Send + Sync + 'static,
    Loaded<T>: serde::Serialize + serde::de::DeserializeOwned,
    Fut: std::future::Future<Output = Loaded<T>> + Send + 'static,
    V: IntoView + 'static,
{
    let data = Resource::new(source, fetch);
    view! {
        <Suspense fallback=LoadingText>
            {move || Suspend::new(async move { loaded(data.await, |d| page(d).into_any()) })}
        </Suspense>
    }
}

/// The detail text of a form handler's error (`meldung`), once the server has confirmed that
/// it wrote it (`zeichen` is its signature); `None` without one or for a forged text.
pub fn verified_detail() -> Resource<Option<String>> {
    let q = use_query_map();
    Resource::new(
        move || {
            let q = q.read();
            (q.get("fehler"), q.get("meldung"), q.get("zeichen"))
        },
        |(code, text, sig)| async move {
            let (Some(code), Some(text), Some(sig)) = (code, text, sig) else {
                return None;
            };
            if text.is_empty() {
                return None;
            }
            crate::api::check_notice(code, text.clone(), sig)
                .await
                .ok()
                .filter(|ok| *ok)
                .map(|_| text)
        },
    )
}

/// The error and the notice a form handler sent back (`fehler`, `meldung`, `hinweis`). The
/// error is shown in German by its code; input errors bring a message naming the field or line,
/// shown only when the server signed it. `notice` gives each page's texts for its `hinweis`
/// codes (unknown codes show nothing).
pub fn feedback(notice: fn(&str) -> Option<&'static str>) -> impl IntoView {
    feedback_with(notice, |code, detail| {
        detail.unwrap_or_else(|| error_message(code).to_owned())
    })
}

/// [`feedback`] with the page's own way of putting the code's text and the detail together.
pub fn feedback_with(
    notice: fn(&str) -> Option<&'static str>,
    text: fn(&str, Option<String>) -> String,
) -> impl IntoView {
    let q = use_query_map();
    let detail = verified_detail();
    let error = move || {
        q.read().get("fehler").map(|c| {
            view! {
                <Suspense fallback=|| ()>
                    {move || {
                        let c = c.clone();
                        Suspend::new(async move {
                            view! { <crate::Notice kind="error" text=text(&c, detail.await)/> }
                        })
                    }}
                </Suspense>
            }
        })
    };
    let info = move || {
        q.read()
            .get("hinweis")
            .and_then(|h| notice(&h))
            .map(|text| view! { <crate::Notice kind="info" text=text/> })
    };
    (error, info)
}

/// The page number a list's `?seite=` asks for (1 when absent or not a number).
pub fn page_number(q: &leptos_router::params::ParamsMap) -> u64 {
    q.get("seite")
        .and_then(|s| s.parse::<u64>().ok())
        .unwrap_or(1)
}

/// The text inside a `<textarea>`. Leptos (tachys 0.2) writes a textarea's children raw on
/// the server, as it does for `<script>`, so typed text containing `</textarea>` would end the
/// element and the rest would be parsed as markup. On the server the text is escaped (the
/// browser decodes the entities); in the browser it becomes a text node and needs nothing.
pub fn textarea_text(text: impl AsRef<str>) -> String {
    #[cfg(feature = "ssr")]
    {
        html_escape::encode_text(text.as_ref()).into_owned()
    }
    #[cfg(not(feature = "ssr"))]
    {
        text.as_ref().to_owned()
    }
}

/// A table that may scroll sideways on a phone: the wrapper is a labelled region that takes
/// keyboard focus, so its hidden columns can be reached without a mouse (WCAG 2.1.1).
#[component]
pub fn TableWrap(#[prop(into)] label: String, children: Children) -> impl IntoView {
    view! { <div class="table-wrap" role="region" tabindex="0" aria-label=label>{children()}</div> }
}

/// A table of rows under column heads, in its [`TableWrap`], with the label as the caption for
/// screen readers. The children are the body's rows.
#[component]
pub fn DataTable(
    #[prop(into)] label: String,
    #[prop(optional)] class: &'static str,
    heads: Vec<&'static str>,
    children: Children,
) -> impl IntoView {
    view! {
        <TableWrap label=label.clone()>
            <table class=(!class.is_empty()).then_some(class)>
                <caption class="sr-only">{label}</caption>
                <thead><tr>
                    {heads.into_iter().map(|h| view! { <th scope="col">{h}</th> }).collect_view()}
                </tr></thead>
                <tbody>{children()}</tbody>
            </table>
        </TableWrap>
    }
}

/// The signed-in person, loaded once per page by [`Layout`].
#[derive(Clone, Copy)]
pub struct ViewerResource(pub Resource<Result<Option<crate::api::ViewerSummary>, ServerFnError>>);

/// Header with skip link and navigation, the main region, the footer.
#[component]
pub fn Layout(children: Children) -> impl IntoView {
    let viewer = ViewerResource(Resource::new(|| (), |_| get_viewer()));
    // Pages that need the viewer read this one instead of asking the server again.
    provide_context(viewer);
    let viewer = viewer.0;
    let t = t();
    view! {
        <a class="skip" href="#inhalt">{t.skip_to_content}</a>
        <header class="site-header">
            <a class="brand" href="/">{t.app_name}</a>
            <nav aria-label=t.nav_main>
                <ul>
                    <li><a href="/">{t.nav_kommunen}</a></li>
                    <li><a href="/angebote">{crate::i18n::directory::td().nav_directory}</a></li>
                    <Suspense fallback=|| ()>
                        {move || Suspend::new(async move {
                            match viewer.await.ok().flatten() {
                                Some(v) => view! {
                                    <li class="viewer">{t.signed_in_as}" "<strong>{v.display_name}</strong></li>
                                    <li><a href="/konto">{crate::i18n::accounts::tk().nav_account}</a></li>
                                    <li>
                                        <form method="post" action="/abmelden" class="inline">
                                            <button type="submit" class="link">{t.nav_logout}</button>
                                        </form>
                                    </li>
                                }.into_any(),
                                None => view! {
                                    <li><a href="/anmelden">{t.nav_login}</a></li>
                                    <li><a href="/registrieren">{t.nav_register}</a></li>
                                }.into_any(),
                            }
                        })}
                    </Suspense>
                </ul>
            </nav>
        </header>
        <main id="inhalt" tabindex="-1">{children()}</main>
        <footer class="site-footer"><p>{t.footer}</p></footer>
        // The maps' texts (qn.js draws the maps and reads them here, so they go through i18n).
        <div id="qn-map-texts" hidden data-zoom-in=t.map_zoom_in data-zoom-out=t.map_zoom_out
            data-two-fingers=t.map_two_fingers data-legend=t.map_legend data-legend-post=t.map_legend_post
            data-legend-offer=t.map_legend_offer data-legend-place=t.map_legend_place></div>
    }
}

/// "Auf der Karte zeigen": looks the typed address up in the Kommune's register (qn.js; the
/// button shows with JavaScript only) and fills the latitude and longitude inside `into`, so
/// the form says where the place is before it is sent. `from` are the ids of the fields that
/// make up the address; `targets` (area ids) refuses a house outside a survey's areas.
pub fn address_finder(
    tenant: String,
    from: &str,
    into: &str,
    status: String,
    targets: Option<String>,
    texts: crate::i18n::FinderTexts,
) -> impl IntoView {
    view! {
        <button type="button" class="secondary" hidden data-find-address=tenant data-from=from.to_owned()
            data-into=into.to_owned() data-status=status.clone() data-targets=targets
            data-wait=texts.wait data-found=texts.found data-msg-address_unknown=texts.unknown
            data-msg-address_ambiguous=texts.ambiguous data-msg-outside_areas=texts.outside
            data-msg-unknown_area=texts.outside data-msg-no_address_register=texts.no_register
            data-msg-failed=texts.failed>{texts.button}</button>
        <p id=status class="hint" role="status"></p>
    }
}

#[component]
pub fn NotFound() -> impl IntoView {
    #[cfg(feature = "ssr")]
    if let Some(r) = use_context::<leptos_axum::ResponseOptions>() {
        r.set_status(http::StatusCode::NOT_FOUND);
    }
    let t = t();
    view! {
        <Title text=t.not_found_title/>
        <h1>{t.not_found_title}</h1>
        <p>{t.not_found_text}</p>
        <p><a href="/">{t.nav_kommunen}</a></p>
    }
}

/// Renders loaded page data, or the error page when loading failed (shared by every page that
/// reads through a server function).
pub fn loaded<T>(
    result: Result<Result<T, ApiError>, ServerFnError>,
    page: impl FnOnce(T) -> AnyView,
) -> AnyView {
    match result {
        Ok(Ok(data)) => page(data),
        Ok(Err(e)) => view! { <ErrorView error=e/> }.into_any(),
        Err(_) => view! { <ErrorView error=ApiError::new("INTERNAL")/> }.into_any(),
    }
}

/// What a page shows when its data could not be loaded.
#[component]
pub fn ErrorView(error: ApiError) -> impl IntoView {
    if error.is_not_found() {
        return view! { <NotFound/> }.into_any();
    }
    // The status of the page being rendered on the server (not of a server-function call,
    // whose client expects 200 with the error inside).
    #[cfg(feature = "ssr")]
    if let Some(r) = use_context::<leptos_axum::ResponseOptions>() {
        r.set_status(match error.code.as_str() {
            "FORBIDDEN" | "UNAUTHENTICATED" => http::StatusCode::FORBIDDEN,
            "VALIDATION" => http::StatusCode::BAD_REQUEST,
            _ => http::StatusCode::INTERNAL_SERVER_ERROR,
        });
    }
    let t = t();
    view! {
        <Title text=t.error_title/>
        <h1>{t.error_title}</h1>
        <p role="alert">{error_message(&error.code)}</p>
    }
    .into_any()
}

/// A Leaflet map of a level's boundaries, drawn by `/qn.js` (plain JS, so it works before and
/// without the wasm). `highlight` marks one area and zooms to it.
#[component]
pub fn AreaMap(
    geojson_url: String,
    label: String,
    map: MapConfig,
    #[prop(optional)] highlight: Option<i32>,
    /// GeoJSON of posts drawn as points over the areas.
    #[prop(optional, into)]
    points: Option<String>,
) -> impl IntoView {
    let t = t();
    view! {
        // One area's map is part of its printed profile; other maps are not printed.
        <section class=if highlight.is_some() { "map-section map-of-area" } else { "map-section" } aria-label=label>
            <div
                class="qn-map"
                data-geojson=geojson_url
                data-highlight=highlight.map(|h| h.to_string())
                data-points=points
                data-tiles=map.tile_url
                data-attribution=map.tile_attribution
            ></div>
            <p class="hint">{if highlight.is_some() { t.map_hint_area } else { t.map_hint }}</p>
            <noscript><p>{t.map_noscript}</p></noscript>
        </section>
    }
}
