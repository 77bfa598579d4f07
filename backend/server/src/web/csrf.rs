//! CSRF protection for every state-changing request (forms, GraphQL, server functions):
//! the browser's `Origin` (or `Sec-Fetch-Site`, or `Referer`) must name this site.
//! Together with `SameSite=Lax` session cookies this follows OWASP's "verifying origin with
//! standard headers"; requests that carry no such header and no session cookie (scripts using
//! the API without a browser session) have no ambient authority to abuse and pass.

use axum::extract::{Request, State};
use axum::http::{header, HeaderMap, Method, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use std::sync::Arc;

/// The hosts (`host[:port]`) this site answers as, besides the request's own `Host`.
#[derive(Clone)]
pub struct AllowedOrigins(pub Arc<Vec<String>>);

fn host_of(url: &str) -> Option<&str> {
    let rest = url.split_once("://")?.1;
    Some(rest.split('/').next().unwrap_or(rest))
}

/// Whether the request may change state.
pub fn allowed(method: &Method, headers: &HeaderMap, extra: &[String]) -> bool {
    if matches!(*method, Method::GET | Method::HEAD | Method::OPTIONS) {
        return true;
    }
    let own_host = headers.get(header::HOST).and_then(|v| v.to_str().ok());
    let same_site = |url: &str| {
        host_of(url).is_some_and(|h| Some(h) == own_host || extra.iter().any(|e| e == h))
    };
    if let Some(origin) = headers.get(header::ORIGIN).and_then(|v| v.to_str().ok()) {
        return origin != "null" && same_site(origin);
    }
    if let Some(site) = headers.get("sec-fetch-site").and_then(|v| v.to_str().ok()) {
        return site == "same-origin" || site == "none";
    }
    if let Some(referer) = headers.get(header::REFERER).and_then(|v| v.to_str().ok()) {
        return same_site(referer);
    }
    // No browser headers at all: only safe without a session cookie.
    crate::accounts::session_token(headers.get(header::COOKIE).and_then(|v| v.to_str().ok()))
        .is_none()
}

pub async fn layer(State(origins): State<AllowedOrigins>, req: Request, next: Next) -> Response {
    if allowed(req.method(), req.headers(), &origins.0) {
        next.run(req).await
    } else {
        tracing::warn!(path = %req.uri().path(), "CSRF check failed");
        (
            StatusCode::FORBIDDEN,
            axum::Json(serde_json::json!({"errors": [{"message": "Anfrage von einer fremden Seite abgelehnt (CSRF-Schutz)", "extensions": {"code": "CSRF"}}]})),
        )
            .into_response()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::HeaderValue;

    fn h(pairs: &[(&'static str, &'static str)]) -> HeaderMap {
        let mut m = HeaderMap::new();
        for (k, v) in pairs {
            m.insert(*k, HeaderValue::from_static(v));
        }
        m
    }

    #[test]
    fn rules() {
        let extra = vec!["quartiersnetz.example.de".to_owned()];
        let post = Method::POST;
        assert!(allowed(
            &Method::GET,
            &h(&[("origin", "https://evil.example")]),
            &extra
        ));
        assert!(allowed(
            &post,
            &h(&[
                ("host", "127.0.0.1:8080"),
                ("origin", "http://127.0.0.1:8080")
            ]),
            &extra
        ));
        assert!(!allowed(
            &post,
            &h(&[
                ("host", "127.0.0.1:8080"),
                ("origin", "http://evil.example")
            ]),
            &extra
        ));
        assert!(!allowed(
            &post,
            &h(&[("host", "127.0.0.1:8080"), ("origin", "null")]),
            &extra
        ));
        // Behind a proxy the public host is accepted.
        assert!(allowed(
            &post,
            &h(&[
                ("host", "10.0.0.5:8080"),
                ("origin", "https://quartiersnetz.example.de")
            ]),
            &extra
        ));
        assert!(!allowed(
            &post,
            &h(&[("sec-fetch-site", "cross-site")]),
            &extra
        ));
        assert!(allowed(
            &post,
            &h(&[("sec-fetch-site", "same-origin")]),
            &extra
        ));
        assert!(!allowed(
            &post,
            &h(&[("host", "a:1"), ("referer", "http://evil.example/x")]),
            &extra
        ));
        // A script without cookies may call the API; with a session cookie it must say where from.
        assert!(allowed(&post, &h(&[]), &extra));
        assert!(!allowed(&post, &h(&[("cookie", "qn_session=abc")]), &extra));
    }
}
