//! The edge's check of what every request carries: no NUL character anywhere — not in the
//! query string, not in a form, a JSON body or an upload. PostgreSQL refuses NUL in text and no
//! field of this platform has a use for it, so such a request is refused here with a clear
//! answer (400) before a handler could fail on it with an internal error on one database and
//! store it on the other. Other control characters are each field's own rule.

use axum::body::{to_bytes, Body};
use axum::extract::{Request, State};
use axum::http::{header, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

/// The German message shown to people; the API gets it with the code below.
pub const MESSAGE: &str = "Die Eingabe enthält ein unzulässiges Steuerzeichen (NUL). Bitte entfernen Sie es und senden Sie erneut.";
pub const CODE: &str = "CONTROL_CHARACTER";

/// How a body encodes its text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Encoding {
    /// Forms and query strings: `%00`.
    Percent,
    /// JSON: `\u0000`, unless its backslash is itself escaped.
    Json,
    /// Anything else (uploads): only the raw byte.
    Raw,
}

/// Whether `bytes` carry a NUL, raw or in their encoding.
pub fn carries_nul(bytes: &[u8], encoding: Encoding) -> bool {
    if bytes.contains(&0) {
        return true;
    }
    match encoding {
        Encoding::Percent => bytes.windows(3).any(|w| w == b"%00"),
        Encoding::Json => bytes
            .windows(6)
            .enumerate()
            .filter(|(_, w)| w.eq_ignore_ascii_case(b"\\u0000"))
            .any(|(i, _)| {
                // `\\u0000` is the text "\u0000", not a NUL: count the backslashes before.
                let before = bytes[..i].iter().rev().take_while(|&&b| b == b'\\').count();
                before % 2 == 0
            }),
        Encoding::Raw => false,
    }
}

pub async fn layer(State(max_body): State<usize>, req: Request, next: Next) -> Response {
    if req
        .uri()
        .query()
        .is_some_and(|q| carries_nul(q.as_bytes(), Encoding::Percent))
    {
        return refuse(req.headers());
    }
    let has_body = req
        .headers()
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .is_none_or(|v| v != "0")
        && !matches!(
            *req.method(),
            axum::http::Method::GET | axum::http::Method::HEAD | axum::http::Method::OPTIONS
        );
    if !has_body {
        return next.run(req).await;
    }
    let content_type = req
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    let encoding = if content_type.starts_with("application/x-www-form-urlencoded") {
        Encoding::Percent
    } else if content_type.starts_with("application/json") {
        Encoding::Json
    } else {
        Encoding::Raw
    };
    let (parts, body) = req.into_parts();
    let bytes = match to_bytes(body, max_body).await {
        Ok(b) => b,
        Err(e) => {
            // The body stalled (the read timeout) or outgrew the limit.
            let stalled =
                std::iter::successors(Some(&e as &(dyn std::error::Error + 'static)), |e| {
                    e.source()
                })
                .any(|e| e.is::<tower_http::timeout::TimeoutError>());
            let (status, code, message) = if stalled {
                (
                    StatusCode::REQUEST_TIMEOUT,
                    "TIMEOUT",
                    "Die Anfrage kam nicht rechtzeitig vollständig an",
                )
            } else {
                (
                    StatusCode::PAYLOAD_TOO_LARGE,
                    "TOO_LARGE",
                    "Die Anfrage ist zu groß",
                )
            };
            return (
                status,
                axum::Json(serde_json::json!({
                    "errors": [{"message": message, "extensions": {"code": code}}],
                    "error": {"code": code, "message": message},
                })),
            )
                .into_response();
        }
    };
    if carries_nul(&bytes, encoding) {
        return refuse(&parts.headers);
    }
    next.run(Request::from_parts(parts, Body::from(bytes)))
        .await
}

/// One answer both kinds of API client read (GraphQL's `errors`, the JSON endpoints'
/// `error`); a page for a browser's plain form.
fn refuse(headers: &axum::http::HeaderMap) -> Response {
    let browser = headers
        .get(header::ACCEPT)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.contains("text/html"));
    if browser {
        return (
            StatusCode::BAD_REQUEST,
            [(
                header::CONTENT_SECURITY_POLICY,
                "default-src 'self'; object-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'",
            )],
            axum::response::Html(format!(
                "<!DOCTYPE html><html lang=\"de\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width\"><title>Eingabe abgelehnt</title><link rel=\"stylesheet\" href=\"/qn.css\"></head><body><main><h1>Eingabe abgelehnt</h1><p role=\"alert\">{MESSAGE}</p><p><a href=\"/\">Zur Startseite</a></p></main></body></html>"
            )),
        )
            .into_response();
    }
    (
        StatusCode::BAD_REQUEST,
        axum::Json(serde_json::json!({
            "errors": [{"message": MESSAGE, "extensions": {"code": CODE}}],
            "error": {"code": CODE, "message": MESSAGE},
        })),
    )
        .into_response()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_nul_in_every_encoding_and_nothing_else() {
        use Encoding::*;
        assert!(carries_nul(b"a\0b", Raw));
        assert!(carries_nul(b"titel=a%00b", Percent));
        assert!(!carries_nul(b"url=a%00b", Raw), "an upload's text");
        assert!(carries_nul(br#"{"q":"a\u0000b"}"#, Json));
        assert!(
            carries_nul(br#"{"q":"a\\\u0000b"}"#, Json),
            "escaped backslash, then NUL"
        );
        assert!(
            !carries_nul(br#"{"q":"a\\u0000b"}"#, Json),
            "the text \\u0000"
        );
        assert!(!carries_nul(br#"{"q":"100%00"}"#, Json));
        assert!(!carries_nul(b"titel=100%25&n=%0A", Percent));
        assert!(!carries_nul("Straße 10".as_bytes(), Percent));
    }
}
