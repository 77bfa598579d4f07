//! HTTP glue: CSRF protection, form handlers, the data the pages read, and small JSON endpoints.

pub mod addresses;
pub mod backend;
pub mod board_pages;
pub mod boards;
pub mod csrf;
pub mod directory;
pub mod directory_pages;
pub mod forms;
pub mod indicator_pages;
pub mod indicators;
pub mod input_guard;
pub mod member_pages;
pub mod members;
pub mod postcodes;
pub mod survey_pages;
pub mod surveys;

use crate::accounts;
use crate::areas;
use crate::kernel::error::AppError;
use crate::kernel::state::AppState;
use crate::kernel::viewer::Viewer;
use axum::extract::{FromRequestParts, Path, Query, State};
use axum::http::request::Parts;
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use serde::Deserialize;

/// The device cookie of anonymous boards: read from the request, or minted when missing. It
/// is sent back (`Set-Cookie`) only when something used it, so reading pages sets no cookie.
#[derive(Clone)]
pub struct DeviceCookie {
    token: String,
    fresh: bool,
    used: std::sync::Arc<std::sync::atomic::AtomicBool>,
}

/// The value of cookie `name` when it looks like one of our tokens (20–100 URL-safe
/// characters); anything else a client sends under that name counts as absent.
pub fn token_cookie(headers: &HeaderMap, name: &str) -> Option<String> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .find_map(|c| {
            let (k, v) = c.trim().split_once('=')?;
            (k == name
                && (20..=100).contains(&v.len())
                && v.bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_'))
            .then(|| v.to_owned())
        })
}

impl DeviceCookie {
    pub fn from_headers(headers: &HeaderMap) -> Self {
        let sent = token_cookie(headers, crate::boards::DEVICE_COOKIE);
        let fresh = sent.is_none();
        Self {
            token: sent.unwrap_or_else(crate::kernel::tokens::random_token),
            fresh,
            used: std::sync::Arc::default(),
        }
    }

    /// The stored form (hash) of the device; marks the cookie as needed.
    pub fn hash(&self) -> String {
        self.used.store(true, std::sync::atomic::Ordering::Relaxed);
        crate::boards::device_hash(&self.token)
    }

    /// The hash of a cookie the client sent, without minting one (for reading).
    pub fn existing_hash(&self) -> Option<String> {
        (!self.fresh).then(|| crate::boards::device_hash(&self.token))
    }

    /// For writing: anonymous viewers act as their device (minting a cookie when needed);
    /// signed-in viewers as their account.
    pub fn for_writing(&self, viewer: &crate::kernel::viewer::Viewer) -> Option<String> {
        viewer.user.is_none().then(|| self.hash())
    }

    /// For reading: the device of an anonymous viewer that has one.
    pub fn for_reading(&self, viewer: &crate::kernel::viewer::Viewer) -> Option<String> {
        viewer
            .user
            .is_none()
            .then(|| self.existing_hash())
            .flatten()
    }

    /// The `Set-Cookie` value when a new cookie was minted and used.
    pub fn set_cookie(&self, secure: bool) -> Option<String> {
        (self.fresh && self.used.load(std::sync::atomic::Ordering::Relaxed)).then(|| {
            let secure = if secure { "; Secure" } else { "" };
            format!(
                "{}={}; Path=/; HttpOnly; SameSite=Lax; Max-Age=31536000{secure}",
                crate::boards::DEVICE_COOKIE,
                self.token
            )
        })
    }
}

/// The viewer of a request, from its session cookie: the one way every edge (form handlers,
/// pages, GraphQL) learns who is asking. Looked up once per request and kept in the request's
/// extensions, so that a page and the server functions it renders share one lookup.
impl FromRequestParts<AppState> for Viewer {
    type Rejection = ViewerUnknown;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        viewer_of_parts(parts, state).await.map_err(|e| {
            tracing::error!(error = %e, "viewer lookup");
            ViewerUnknown(e)
        })
    }
}

/// The viewer could not be looked up (the database did not answer). A JSON error by default;
/// an edge with an error shape of its own takes `Result<Viewer, ViewerUnknown>`.
#[derive(Debug)]
pub struct ViewerUnknown(pub AppError);

impl IntoResponse for ViewerUnknown {
    fn into_response(self) -> Response {
        json_error(&self.0)
    }
}

/// What the extractor does, for the edges that get the parts without an extractor (the
/// pages' server functions).
///
/// # Errors
/// Database errors.
pub async fn viewer_of_parts(parts: &mut Parts, state: &AppState) -> Result<Viewer, AppError> {
    if let Some(v) = parts.extensions.get::<Viewer>() {
        return Ok(v.clone());
    }
    let token = accounts::session_token(
        parts
            .headers
            .get(header::COOKIE)
            .and_then(|v| v.to_str().ok()),
    );
    let v = accounts::viewer(&state.db, token.as_deref()).await?;
    parts.extensions.insert(v.clone());
    Ok(v)
}

/// The caller's address for rate limits: the peer, or behind a trusted proxy the address the
/// proxy appended last to `X-Forwarded-For` (earlier entries are the client's own claims).
pub fn client_address(
    settings: &crate::kernel::settings::Settings,
    headers: &HeaderMap,
    peer: std::net::SocketAddr,
) -> String {
    if settings.trust_proxy {
        if let Some(last) = headers
            .get("x-forwarded-for")
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.rsplit(',').next())
            .map(str::trim)
            .filter(|v| !v.is_empty())
        {
            return last.to_owned();
        }
    }
    peer.ip().to_string()
}

/// `GET /healthz`: the database answers.
pub async fn healthz(State(state): State<AppState>) -> Response {
    match state.db.ping().await {
        Ok(()) => (StatusCode::OK, "ok").into_response(),
        Err(e) => {
            tracing::error!(error = %e, "health check");
            (StatusCode::SERVICE_UNAVAILABLE, "database unavailable").into_response()
        }
    }
}

#[derive(Deserialize)]
pub struct GeoJsonQuery {
    /// Simplification tolerance in degrees; the default (about 7–10 m) is invisible at the zoom
    /// of a Kommune or Quartier map and halves the download against 5 m.
    simplify: Option<f64>,
}

/// `GET /api/v1/levels/{id}/areas.geojson`: a level's current boundaries for maps and open data.
pub async fn level_geojson(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<i32>,
    Query(q): Query<GeoJsonQuery>,
) -> Response {
    let simplify = q.simplify.unwrap_or(0.0001);
    if !(0.0..=1.0).contains(&simplify) {
        return json_error(&AppError::Validation(
            "simplify muss zwischen 0 und 1 liegen".into(),
        ));
    }
    let result =
        async { areas::level_feature_collection(&state.db, &viewer, id, Some(simplify)).await }
            .await;
    match result {
        Ok(fc) => geojson(&fc, Keep::PrivateFiveMinutes),
        Err(e) => json_error(&e),
    }
}

/// Who may keep a downloaded file or a map's GeoJSON.
#[derive(Debug, Clone, Copy)]
pub enum Keep {
    /// What it holds depends on the viewer: kept only by their browser, revalidated.
    Private,
    /// Depends on the viewer and changes rarely (area outlines): their browser keeps it 5 min.
    PrivateFiveMinutes,
    /// Personal data or raw responses: never stored.
    Nowhere,
    /// Open data: readable from any origin, revalidated on every use (entries change at any
    /// time).
    Open,
}

impl Keep {
    fn apply(self, r: &mut Response) {
        let h = r.headers_mut();
        let cache = match self {
            Self::Private => "private, no-cache",
            Self::PrivateFiveMinutes => "private, max-age=300",
            Self::Nowhere => "no-store",
            Self::Open => {
                h.insert(
                    header::ACCESS_CONTROL_ALLOW_ORIGIN,
                    HeaderValue::from_static("*"),
                );
                "no-cache"
            }
        };
        h.insert(header::CACHE_CONTROL, HeaderValue::from_static(cache));
    }
}

/// A file to download: its media type, its name, and who may keep it.
pub fn download(body: String, content_type: &'static str, file: &str, keep: Keep) -> Response {
    let mut r = body.into_response();
    let h = r.headers_mut();
    h.insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
    if let Ok(v) = HeaderValue::from_str(&format!("attachment; filename=\"{file}\"")) {
        h.insert(header::CONTENT_DISPOSITION, v);
    }
    keep.apply(&mut r);
    r
}

/// GeoJSON for maps and open data, with its media type; `keep` as for downloads.
pub fn geojson<T: serde::Serialize>(body: &T, keep: Keep) -> Response {
    let mut r = axum::Json(body).into_response();
    r.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/geo+json"),
    );
    keep.apply(&mut r);
    r
}

pub fn json_error(e: &AppError) -> Response {
    use crate::kernel::error::ErrorCode as C;
    let status = match e.code() {
        C::NotFound => StatusCode::NOT_FOUND,
        C::Forbidden => StatusCode::FORBIDDEN,
        C::Unauthenticated => StatusCode::UNAUTHORIZED,
        C::RateLimited => StatusCode::TOO_MANY_REQUESTS,
        C::Conflict => StatusCode::CONFLICT,
        C::Internal => StatusCode::INTERNAL_SERVER_ERROR,
        _ => StatusCode::BAD_REQUEST,
    };
    (
        status,
        axum::Json(
            serde_json::json!({"error": {"code": e.detail_code(), "message": e.public_message()}}),
        ),
    )
        .into_response()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn client_address_trusts_the_proxy_only_when_told() {
        let peer: std::net::SocketAddr = ([127, 0, 0, 1], 9999).into();
        let mut headers = HeaderMap::new();
        headers.insert(
            "x-forwarded-for",
            HeaderValue::from_static("6.6.6.6, 203.0.113.7"),
        );
        let mut settings = crate::kernel::settings::Settings::default();
        assert_eq!(client_address(&settings, &headers, peer), "127.0.0.1");
        settings.trust_proxy = true;
        assert_eq!(client_address(&settings, &headers, peer), "203.0.113.7");
        assert_eq!(
            client_address(&settings, &HeaderMap::new(), peer),
            "127.0.0.1"
        );
    }
}
