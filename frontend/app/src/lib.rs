//! The Quartiersnetz web app: pages rendered on the server, complete without any script; forms
//! are plain HTML forms and links load the next page. No component reacts in the browser, so
//! none is hydrated and no page loads the app as wasm: `/qn.js` adds the maps and the offline
//! outbox, and a survey's question pages load the survey checks (`qn-client`, a small wasm of
//! the domain's survey rules) named in [`Assets`].
//!
//! Later modules add their pages under `pages/` and their routes in [`App`].

#![recursion_limit = "512"]

pub mod api;
pub mod i18n;
mod pages;

use i18n::t;
use leptos::prelude::*;
use leptos_meta::{provide_meta_context, MetaTags, Title};
use leptos_router::components::{Route, Router, Routes};
use leptos_router::{path, SsrMode};

/// The CSP `img-src` sources of pages (this site and the configured tile server), given by the
/// server as context.
#[derive(Clone, Debug)]
pub struct ImageSources(pub String);

/// The Content-Security-Policy of every page: scripts only from this site or carrying this
/// response's nonce (for any inline script Leptos writes); the survey checks' wasm may be compiled;
/// styles only from this site's style sheets (no inline styles: scripts set styles through the
/// DOM, which the policy allows); images from this site and the tile server in `images`.
pub fn content_security_policy(nonce: &str, images: &str) -> String {
    format!(
        "default-src 'self'; script-src 'self' 'nonce-{nonce}' 'wasm-unsafe-eval'; \
         style-src 'self'; img-src {images}; connect-src 'self'; \
         font-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; \
         frame-ancestors 'none'; worker-src 'self'; manifest-src 'self'"
    )
}

/// Where the page's static files are, as the build named them by their content (`assets.txt`
/// in the site, read by the server; unhashed names for a site built otherwise).
#[derive(Clone, Debug, PartialEq)]
pub struct Assets {
    pub script: String,
    pub outbox: String,
    pub style: String,
    /// The survey checks' module (its wasm beside it as `_bg.wasm`).
    pub survey: String,
}

impl Default for Assets {
    fn default() -> Self {
        Assets {
            script: "/qn.js".into(),
            outbox: "/outbox.js".into(),
            style: "/qn.css".into(),
            survey: "/pkg/quartiersnetz.js".into(),
        }
    }
}

impl Assets {
    /// Reads `assets.txt` (lines `qn.js /pkg/qn-<hash>.js`); unknown or odd lines are skipped,
    /// missing names keep their default.
    pub fn from_manifest(text: &str) -> Assets {
        let mut a = Assets::default();
        for line in text.lines() {
            let Some((file, path)) = line.trim().split_once(' ') else {
                continue;
            };
            let safe = path.starts_with("/pkg/")
                && path[5..]
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'));
            if !safe {
                continue;
            }
            let slot = match file {
                "qn.js" => &mut a.script,
                "outbox.js" => &mut a.outbox,
                "qn.css" => &mut a.style,
                "survey" => &mut a.survey,
                _ => continue,
            };
            *slot = path.to_owned();
        }
        a
    }
}

/// The HTML document around the app (server only).
pub fn shell(_options: LeptosOptions) -> impl IntoView {
    // Nothing is hydrated: the pages' data is not written into the page a second time for a
    // client that would take it over.
    if let Some(sc) = Owner::current_shared_context() {
        sc.set_is_hydrating(false);
    }
    let assets = use_context::<Assets>().unwrap_or_default();
    #[cfg(feature = "ssr")]
    if let (Some(nonce), Some(response)) = (
        leptos::nonce::use_nonce(),
        use_context::<leptos_axum::ResponseOptions>(),
    ) {
        let images =
            use_context::<ImageSources>().map_or_else(|| "'self' data:".to_owned(), |i| i.0);
        if let Ok(v) =
            http::HeaderValue::from_str(&content_security_policy(&nonce.to_string(), &images))
        {
            response.insert_header(http::header::CONTENT_SECURITY_POLICY, v);
        }
    }
    view! {
        <!DOCTYPE html>
        <html lang="de">
            <head>
                <meta charset="utf-8"/>
                <meta name="viewport" content="width=device-width, initial-scale=1"/>
                <meta name="theme-color" content="#1d4f91"/>
                <link rel="manifest" href="/manifest.webmanifest"/>
                <link rel="icon" href="/favicon.ico" sizes="32x32"/>
                <link rel="icon" href="/icons/icon.svg" type="image/svg+xml"/>
                <link rel="apple-touch-icon" href="/icons/icon-192.png"/>
                <link rel="stylesheet" href=assets.style.clone()/>
                <script src=assets.outbox.clone() defer></script>
                <script src=assets.script.clone() defer></script>
                <MetaTags/>
            </head>
            <body>
                <App/>
            </body>
        </html>
    }
}

#[component]
pub fn App() -> impl IntoView {
    provide_meta_context();
    provide_context(i18n::Lang::De);
    view! {
        // leptos_meta writes the title into the server-rendered <title> unescaped; titles carry
        // names people typed (posts, areas), so "</title><script>" must not close the element.
        <Title formatter=|title: String| {
            let title = title.replace('<', "‹").replace('>', "›");
            if title.is_empty() { "Quartiersnetz".to_owned() } else { format!("{title} – Quartiersnetz") }
        }/>
        <Router>
            <pages::Layout>
                <Routes fallback=pages::NotFound>
                    <Route path=path!("") view=pages::home::HomePage ssr=SsrMode::Async/>
                    <Route path=path!("/kommune/:slug") view=pages::kommune::KommunePage ssr=SsrMode::Async/>
                    <Route path=path!("/quartier/:id") view=pages::quartier::QuartierPage ssr=SsrMode::Async/>
                    <Route path=path!("/kommune/:slug/indikatoren") view=pages::indicators::IndicatorsPage ssr=SsrMode::Async/>
                    <Route path=path!("/kommune/:slug/indikatoren/import") view=pages::indicators::ImportPage ssr=SsrMode::Async/>
                    <Route path=path!("/indikator/:id") view=pages::indicators::IndicatorMapPage ssr=SsrMode::Async/>
                    <Route path=path!("/sozialindex/:id") view=pages::indicators::IndexMapPage ssr=SsrMode::Async/>
                    <Route path=path!("/kommune/:slug/beteiligung") view=pages::boards::BoardsPage ssr=SsrMode::Async/>
                    <Route path=path!("/kommune/:slug/moderation") view=pages::boards::ModerationPage ssr=SsrMode::Async/>
                    <Route path=path!("/pinnwand/:id") view=pages::boards::BoardPage ssr=SsrMode::Async/>
                    <Route path=path!("/beitrag/:id") view=pages::boards::PostPage ssr=SsrMode::Async/>
                    <Route path=path!("/kommune/:slug/umfragen") view=pages::surveys::SurveysPage ssr=SsrMode::Async/>
                    <Route path=path!("/kommune/:slug/postleitzahlen") view=pages::postcodes::PostcodesPage ssr=SsrMode::Async/>
                    <Route path=path!("/kommune/:slug/verwaltung") view=pages::members::MembersPage ssr=SsrMode::Async/>
                    <Route path=path!("/einladung") view=pages::members::InvitationPage ssr=SsrMode::Async/>
                    <Route path=path!("/umfrage/:id") view=pages::surveys::SurveyStartPage ssr=SsrMode::Async/>
                    <Route path=path!("/umfrage/:id/seite/:nr") view=pages::surveys::SurveySectionPage ssr=SsrMode::Async/>
                    <Route path=path!("/umfrage/:id/abschluss") view=pages::surveys::SurveyReviewPage ssr=SsrMode::Async/>
                    <Route path=path!("/umfrage/:id/danke") view=pages::surveys::SurveyThanksPage ssr=SsrMode::Async/>
                    <Route path=path!("/umfrage/:id/ergebnisse") view=pages::surveys::SurveyResultsPage ssr=SsrMode::Async/>
                    <Route path=path!("/umfrage/:id/verwaltung") view=pages::surveys::SurveyManagePage ssr=SsrMode::Async/>
                    <Route path=path!("/umfrage/:id/texte") view=pages::surveys::SurveyTextsPage ssr=SsrMode::Async/>
                    <Route path=path!("/angebote") view=pages::directory::DirectoryStartPage ssr=SsrMode::Async/>
                    <Route path=path!("/kommune/:slug/angebote") view=pages::directory::OfferSearchPage ssr=SsrMode::Async/>
                    <Route path=path!("/kommune/:slug/angebote/pruefen") view=pages::directory::ReviewPage ssr=SsrMode::Async/>
                    <Route path=path!("/kommune/:slug/angebote/import") view=pages::directory::DirectoryImportPage ssr=SsrMode::Async/>
                    <Route path=path!("/kommune/:slug/angebote/kategorien") view=pages::directory::CategoriesPage ssr=SsrMode::Async/>
                    <Route path=path!("/kommune/:slug/angebote/adressen") view=pages::addresses::AddressesPage ssr=SsrMode::Async/>
                    <Route path=path!("/kommune/:slug/anbieten") view=pages::directory::ProviderPage ssr=SsrMode::Async/>
                    <Route path=path!("/angebot/:id") view=pages::directory::OfferPage ssr=SsrMode::Async/>
                    <Route path=path!("/angebot/:id/bearbeiten") view=pages::directory::OfferEditPage ssr=SsrMode::Async/>
                    <Route path=path!("/akteur/:id") view=pages::directory::ActorPage ssr=SsrMode::Async/>
                    <Route path=path!("/akteur/:id/bearbeiten") view=pages::directory::ActorEditPage ssr=SsrMode::Async/>
                    <Route path=path!("/akteur/:id/angebot-neu") view=pages::directory::OfferNewPage ssr=SsrMode::Async/>
                    <Route path=path!("/anmelden") view=pages::accounts::LoginPage ssr=SsrMode::Async/>
                    <Route path=path!("/konto") view=pages::accounts::AccountPage ssr=SsrMode::Async/>
                    <Route path=path!("/registrieren") view=pages::accounts::RegisterPage ssr=SsrMode::Async/>
                    <Route path=path!("/konto-bestaetigen") view=pages::accounts::ConfirmPage ssr=SsrMode::Async/>
                    <Route path=path!("/passwort-vergessen") view=pages::accounts::ForgotPage ssr=SsrMode::Async/>
                    <Route path=path!("/passwort-neu") view=pages::accounts::ResetPage ssr=SsrMode::Async/>
                </Routes>
            </pages::Layout>
        </Router>
    }
}

/// A short notice for messages passed in the query string after a form redirect.
#[component]
fn Notice(#[prop(into)] kind: String, #[prop(into)] text: String) -> impl IntoView {
    let role = if kind == "error" { "alert" } else { "status" };
    view! { <p class=format!("notice notice-{kind}") role=role>{text}</p> }
}

#[component]
fn LoadingText() -> impl IntoView {
    view! { <p aria-busy="true">{t().loading}</p> }
}
