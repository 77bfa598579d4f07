//! Building the application (router, state) and serving it on any listener, so tests can run
//! the real server on port 0.

use crate::graphql;
use crate::kernel::settings::Settings;
use crate::kernel::state::AppState;
use crate::web::{self, backend::WebBackend, csrf, forms};
use axum::extract::DefaultBodyLimit;
use axum::http::{header, HeaderValue};
use axum::routing::{get, post};
use axum::{Extension, Router};
use leptos::prelude::*;
use leptos_axum::{generate_route_list, LeptosRoutes};
use qn_app::api::backend::SharedBackend;
use qn_app::{shell, App};
use sea_orm::DatabaseConnection;
use std::sync::Arc;
use std::time::Duration;
use tower_http::compression::CompressionLayer;
use tower_http::set_header::SetResponseHeaderLayer;
use tower_http::timeout::{RequestBodyTimeoutLayer, TimeoutLayer};

/// Connects, migrates, loads the index; loads demo data into an empty database if configured.
///
/// # Errors
/// Database and migration errors.
pub async fn prepare(
    settings: Settings,
) -> Result<AppState, Box<dyn std::error::Error + Send + Sync>> {
    let db: DatabaseConnection =
        crate::kernel::db::connect(&settings.database_url, settings.sqlite_synchronous).await?;
    crate::kernel::db::migrate(&db).await?;
    let state = AppState::new(db, settings);
    if state.settings.demo_on_empty
        && crate::tenancy::list(&state.db)
            .await
            .map_err(|e| e.public_message())?
            .is_empty()
    {
        tracing::info!("empty database: loading demo data");
        crate::demo::load(&state)
            .await
            .map_err(|e| e.public_message())?;
    }
    let n = crate::areas::rebuild_index(&state)
        .await
        .map_err(|e| e.public_message())?;
    tracing::info!(areas = n, "area index built");
    // A search server that is down must not keep the platform from starting: searches fall
    // back to the database until `quartiersnetz search reindex` (or the next start) succeeds.
    match crate::directory::search_sync::reindex(&state).await {
        Ok(offers) => tracing::info!(offers, backend = state.search.name(), "search index built"),
        Err(e) => {
            tracing::error!(backend = state.search.name(), error = %e.public_message(), "search index not built")
        }
    }
    Ok(state)
}

/// The whole HTTP application.
pub fn router(state: AppState) -> Router {
    let settings = state.settings.clone();
    // The output name is Leptos' bundle, which no page loads (nothing is hydrated).
    let leptos_options = LeptosOptions::builder()
        .output_name("quartiersnetz")
        .site_root(settings.site_root.to_string_lossy().to_string())
        .site_pkg_dir("pkg")
        .build();
    let routes = route_list();
    let backend: SharedBackend = Arc::new(WebBackend {
        state: state.clone(),
    });

    let api = Router::new()
        .route("/graphql", post(graphql::handler))
        .route("/healthz", get(web::healthz))
        .route("/api/v1/levels/{id}/areas.geojson", get(web::level_geojson))
        .route(
            "/api/v1/indicators/{id}/values.csv",
            get(web::indicators::values_csv),
        )
        .route(
            "/api/v1/indicators/{id}/values.json",
            get(web::indicators::values_json),
        )
        .route(
            "/api/v1/indicators/{id}/values.geojson",
            get(web::indicators::values_geojson),
        )
        .route(
            "/api/v1/indicators/{id}/map.geojson",
            get(web::indicators::indicator_map),
        )
        .route(
            "/api/v1/indices/{id}/map.geojson",
            get(web::indicators::index_map),
        )
        .route(
            "/api/v1/areas/{id}/profile.csv",
            get(web::indicators::profile_csv),
        )
        .route(
            "/kommune/{slug}/indikatoren/neu",
            post(web::indicators::create_indicator),
        )
        .route(
            "/kommune/{slug}/indikatoren/import",
            post(web::indicators::upload_import),
        )
        .route(
            "/kommune/{slug}/indikatoren/import/{draft}",
            post(web::indicators::apply_import),
        )
        .route(
            "/kommune/{slug}/postleitzahlen",
            post(web::postcodes::replace),
        )
        .route(
            "/kommune/{slug}/verwaltung/{action}",
            post(web::members::change),
        )
        .route("/einladung", post(web::members::accept))
        .route(
            "/kommune/{slug}/sozialindex",
            post(web::indicators::save_index),
        )
        .route(
            "/indikator/{id}/bearbeiten",
            post(web::indicators::update_indicator),
        )
        .route(
            "/indikator/{id}/loeschen",
            post(web::indicators::delete_indicator),
        )
        .route(
            "/kommune/{slug}/anbieten",
            post(web::directory::create_actor),
        )
        .route(
            "/akteur/{id}/bearbeiten",
            post(web::directory::update_actor),
        )
        .route(
            "/akteur/{id}/angebot-neu",
            post(web::directory::create_offer),
        )
        .route(
            "/angebot/{id}/bearbeiten",
            post(web::directory::update_offer),
        )
        .route("/angebot/{id}/loeschen", post(web::directory::delete_offer))
        .route(
            "/akteur/{id}/bestaetigen",
            post(web::directory::confirm_actor),
        )
        .route(
            "/angebot/{id}/bestaetigen",
            post(web::directory::confirm_offer),
        )
        .route(
            "/kommune/{slug}/angebote/pruefen",
            post(web::directory::review),
        )
        .route(
            "/kommune/{slug}/angebote/import",
            post(web::directory::import),
        )
        .route(
            "/kommune/{slug}/angebote/versorgung",
            post(web::directory::coverage),
        )
        .route(
            "/kommune/{slug}/angebote/kategorien",
            post(web::directory::categories),
        )
        .route(
            "/kommune/{slug}/angebote/adressen",
            post(web::addresses::replace),
        )
        .route(
            "/api/v1/kommune/{slug}/angebote.geojson",
            get(web::directory::offers_geojson),
        )
        .route(
            "/api/v1/kommune/{slug}/angebote.csv",
            get(web::directory::offers_csv),
        )
        .route(
            "/api/v1/areas/{id}/offers.geojson",
            get(web::directory::area_geojson),
        )
        .route(
            "/api/v1/boards/{id}/posts.geojson",
            get(web::boards::board_geojson),
        )
        .route("/api/v1/boards/{id}/posts.csv", get(web::boards::board_csv))
        .route(
            "/api/v1/areas/{id}/posts.geojson",
            get(web::boards::area_geojson),
        )
        .route(
            "/kommune/{slug}/beteiligung",
            post(web::boards::create_board),
        )
        .route(
            "/kommune/{slug}/handlungsfelder",
            post(web::boards::create_tag),
        )
        .route(
            "/kommune/{slug}/moderation/wortfilter",
            post(web::boards::set_words),
        )
        .route(
            "/kommune/{slug}/moderation/sperren/{ban}/aufheben",
            post(web::boards::lift_ban),
        )
        .route("/pinnwand/{id}/beitraege", post(web::boards::create_post))
        .route("/pinnwand/{id}/folgen", post(web::boards::follow_board))
        .route("/beitrag/{id}/{action}", post(web::boards::post_action))
        .route(
            "/api/v1/surveys/{id}/responses",
            post(web::surveys::submit_json),
        )
        .route(
            "/api/v1/surveys/{id}/{file}",
            get(web::surveys::export_file),
        )
        .route("/kommune/{slug}/umfragen", post(web::surveys::create))
        .route("/umfrage/{id}/start", post(web::surveys::start))
        .route("/umfrage/{id}/seite/{nr}", post(web::surveys::section))
        .route("/umfrage/{id}/absenden", post(web::surveys::send))
        .route(
            "/umfrage/{id}/verwaltung/{action}",
            post(web::surveys::manage),
        )
        .route("/anmelden", post(forms::login))
        .route("/registrieren", post(forms::register))
        .route("/konto-bestaetigen", post(forms::confirm_registration))
        .route("/abmelden", post(forms::logout))
        .route("/passwort-vergessen", post(forms::forgot))
        .route("/passwort-neu", post(forms::reset))
        .route("/konto/daten.json", get(forms::account_data))
        .route("/konto/name", post(forms::rename))
        .route("/konto/loeschen", post(forms::delete_account));
    let api = api
        .layer(Extension(graphql::schema(Some(state.clone()))))
        .with_state(state);

    // The hashed files, served as the build compressed them (brotli or gzip, by the browser's
    // Accept-Encoding); everything else static goes through Leptos' file handler.
    let bundle = tower_http::services::ServeDir::new(settings.site_root.join("pkg"))
        .precompressed_br()
        .precompressed_gzip();
    let pages = Router::new()
        .nest_service("/pkg", bundle)
        .leptos_routes_with_context(
            &leptos_options,
            routes,
            {
                let images = qn_app::ImageSources(image_sources(settings.tile_url.as_deref()));
                let assets = qn_app::Assets::from_manifest(
                    &std::fs::read_to_string(settings.site_root.join("assets.txt"))
                        .unwrap_or_default(),
                );
                move || {
                    provide_context(backend.clone());
                    provide_context(images.clone());
                    provide_context(assets.clone());
                }
            },
            {
                let o = leptos_options.clone();
                move || shell(o.clone())
            },
        )
        .fallback(leptos_axum::file_and_error_handler(shell))
        .with_state(leptos_options);

    let public_host: Vec<String> = settings
        .public_url
        .split_once("://")
        .map(|(_, rest)| rest.split('/').next().unwrap_or(rest).to_owned())
        .into_iter()
        .collect();
    pages
        .merge(api)
        .layer(axum::middleware::from_fn_with_state(
            settings.max_upload_bytes,
            web::input_guard::layer,
        ))
        .layer(axum::middleware::from_fn_with_state(
            csrf::AllowedOrigins(Arc::new(public_host)),
            csrf::layer,
        ))
        .layer(DefaultBodyLimit::max(settings.max_upload_bytes))
        // A body that stalls between two parts, and a request that takes too long in all.
        .layer(RequestBodyTimeoutLayer::new(Duration::from_secs(
            settings.read_timeout_secs,
        )))
        .layer(TimeoutLayer::with_status_code(
            axum::http::StatusCode::REQUEST_TIMEOUT,
            Duration::from_secs(settings.request_timeout_secs),
        ))
        .layer(CompressionLayer::new())
        .layer(axum::middleware::from_fn(cache_policy))
        // Pages set their own policy (with the response's nonce); everything else — JSON,
        // GeoJSON, CSV, static files, the edge's refusal page — gets one without inline script,
        // plugins or framing.
        .layer(axum::middleware::map_response(default_csp))
        .layer(SetResponseHeaderLayer::if_not_present(
            header::X_CONTENT_TYPE_OPTIONS,
            HeaderValue::from_static("nosniff"),
        ))
        .layer(SetResponseHeaderLayer::if_not_present(
            header::X_FRAME_OPTIONS,
            HeaderValue::from_static("DENY"),
        ))
        .layer(SetResponseHeaderLayer::if_not_present(
            header::REFERRER_POLICY,
            HeaderValue::from_static("same-origin"),
        ))
}

/// The app's routes, listed once per process. Listing them runs the app with resource loading
/// switched off by a process-wide flag (leptos_server's `SuppressResourceLoad`); a page being
/// rendered meanwhile in another router of the same process (the test servers) had a resource
/// parked for good, and its response never ended (leptos-rs/leptos#4773).
fn route_list() -> Vec<leptos_axum::AxumRouteListing> {
    static ROUTES: std::sync::OnceLock<Vec<leptos_axum::AxumRouteListing>> =
        std::sync::OnceLock::new();
    ROUTES.get_or_init(|| generate_route_list(App)).clone()
}

/// How long browsers keep what they get: the files in `/pkg/` a year (each is named by its
/// content); everything else is revalidated on every use (`no-cache`: kept, but asked for
/// again with `If-Modified-Since`) and only in the browser's own cache (`private`: pages and
/// data show what the signed-in person may see). Responses that set their own policy keep it.
async fn cache_policy(
    req: axum::extract::Request,
    next: axum::middleware::Next,
) -> axum::response::Response {
    let immutable = req.uri().path().starts_with("/pkg/");
    let mut res = next.run(req).await;
    if res.headers().contains_key(header::CACHE_CONTROL) || !res.status().is_success() {
        return res;
    }
    let policy = if immutable {
        "public, max-age=31536000, immutable"
    } else {
        "private, no-cache"
    };
    res.headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static(policy));
    res
}

/// The CSP `img-src` of pages: this site, inline data, and the tile server's origin when one is
/// configured (`{s}` subdomains become a wildcard), instead of every HTTPS origin.
fn image_sources(tile_url: Option<&str>) -> String {
    let origin = tile_url.and_then(|u| {
        let (scheme, rest) = u.split_once("://")?;
        let host = rest.split('/').next()?.replace("{s}.", "*.");
        let ok = matches!(scheme, "https" | "http")
            && !host.is_empty()
            && host
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | ':' | '*'));
        ok.then(|| format!("{scheme}://{host}"))
    });
    match origin {
        Some(o) => format!("'self' data: {o}"),
        None => "'self' data:".to_owned(),
    }
}

/// The policy of every response that is not a page (a page's policy carries its nonce).
async fn default_csp(mut res: axum::response::Response) -> axum::response::Response {
    let page = res
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("text/html"));
    let h = res.headers_mut();
    if !page && !h.contains_key(header::CONTENT_SECURITY_POLICY) {
        h.insert(
            header::CONTENT_SECURITY_POLICY,
            HeaderValue::from_static(
                "default-src 'self'; object-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'",
            ),
        );
    }
    res
}

/// Serves until the process is stopped (or the future is dropped).
///
/// The connection loop is the server's own (hyper-util's, as `axum::serve` uses) so that it can
/// set what `axum::serve` cannot: a client has `QN_READ_TIMEOUT_SECS` to send its headers, then
/// the connection is closed — a slow client cannot hold connections for minutes.
///
/// # Errors
/// I/O errors of the listener.
pub async fn serve(listener: tokio::net::TcpListener, state: AppState) -> std::io::Result<()> {
    use hyper_util::rt::{TokioExecutor, TokioIo, TokioTimer};
    use hyper_util::server::conn::auto::Builder;
    use hyper_util::service::TowerToHyperService;
    use tower::ServiceExt;

    crate::flows::housekeeping::spawn(state.clone());
    let header_timeout = Duration::from_secs(state.settings.read_timeout_secs);
    let app = router(state);
    let mut stop = std::pin::pin!(tokio::signal::ctrl_c());
    loop {
        let (tcp, addr) = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok(a) => a,
                // Out of file descriptors and the like: wait a moment, keep serving.
                Err(e) => {
                    tracing::warn!(error = %e, "accept failed");
                    tokio::time::sleep(Duration::from_millis(50)).await;
                    continue;
                }
            },
            _ = &mut stop => return Ok(()),
        };
        let service =
            app.clone()
                .map_request(move |mut req: axum::http::Request<hyper::body::Incoming>| {
                    req.extensions_mut()
                        .insert(axum::extract::ConnectInfo(addr));
                    req.map(axum::body::Body::new)
                });
        tokio::spawn(async move {
            let mut builder = Builder::new(TokioExecutor::new());
            builder
                .http1()
                .timer(TokioTimer::new())
                .header_read_timeout(header_timeout);
            let conn = builder.serve_connection_with_upgrades(
                TokioIo::new(tcp),
                TowerToHyperService::new(service),
            );
            if let Err(e) = conn.await {
                tracing::debug!(error = %e, "connection ended");
            }
        });
    }
}

#[cfg(test)]
mod tests {
    use super::image_sources;

    #[test]
    fn images_come_from_this_site_and_the_tile_server_only() {
        assert_eq!(image_sources(None), "'self' data:");
        assert_eq!(
            image_sources(Some("https://{s}.tile.openstreetmap.org/{z}/{x}/{y}.png")),
            "'self' data: https://*.tile.openstreetmap.org"
        );
        assert_eq!(
            image_sources(Some("http://tiles.kreis.local:8080/osm/{z}/{x}/{y}.png")),
            "'self' data: http://tiles.kreis.local:8080"
        );
        // Nothing that could smuggle another directive into the policy.
        assert_eq!(
            image_sources(Some("https://a.example; script-src *")),
            "'self' data:"
        );
        assert_eq!(image_sources(Some("javascript:alert(1)")), "'self' data:");
    }
}
