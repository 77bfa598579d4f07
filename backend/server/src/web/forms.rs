//! Form handlers for the account pages. They work without JavaScript: each answers with a
//! redirect (303) to the next page, carrying an error code or a notice in the query string.

use crate::accounts::{self, session_cookie, Registration};
use crate::error::AppError;
use crate::state::AppState;
use axum::extract::{ConnectInfo, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Form;
use serde::Deserialize;
use std::net::SocketAddr;

pub(crate) fn enc(s: &str) -> String {
    url::form_urlencoded::byte_serialize(s.as_bytes()).collect()
}

pub(crate) fn see_other(location: &str) -> Response {
    let mut r = StatusCode::SEE_OTHER.into_response();
    if let Ok(v) = HeaderValue::from_str(location) {
        r.headers_mut().insert(header::LOCATION, v);
    }
    r
}

fn with_cookie(mut r: Response, cookie: &str) -> Response {
    if let Ok(v) = HeaderValue::from_str(cookie) {
        r.headers_mut().append(header::SET_COOKIE, v);
    }
    r
}

/// Only local paths are followed after a form (no open redirect). Browsers drop tabs and line
/// breaks from URLs, so `/\t/evil.example` would become `//evil.example`: only visible ASCII.
pub(crate) fn local_path(next: Option<&str>) -> Option<&str> {
    next.filter(|n| {
        n.starts_with('/')
            && !n.starts_with("//")
            && n.chars().all(|c| c.is_ascii_graphic() && c != '\\')
    })
}

fn safe_next(next: Option<&str>) -> &str {
    local_path(next).unwrap_or("/")
}

/// Back to the form's page with the error's code; input errors also carry their message, which
/// names the field or line (the page has a German text for every code).
pub(crate) fn back_with_error(path: &str, e: &AppError) -> Response {
    let sep = if path.contains('?') { '&' } else { '?' };
    match e {
        AppError::Validation(m) | AppError::Conflict(m) => see_other(&format!(
            "{path}{sep}fehler={}&meldung={}",
            e.detail_code(),
            enc(m)
        )),
        e => see_other(&format!("{path}{sep}fehler={}", e.detail_code())),
    }
}

#[derive(Deserialize)]
pub struct LoginForm {
    email: String,
    password: String,
    weiter: Option<String>,
}

pub async fn login(
    State(state): State<AppState>,
    ConnectInfo(addr): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    Form(f): Form<LoginForm>,
) -> Response {
    let client = super::client_address(&state.settings, &headers, addr);
    match accounts::login(&state, &f.email, &f.password, &client).await {
        Ok((_, token)) => with_cookie(
            see_other(safe_next(f.weiter.as_deref())),
            &session_cookie(Some(&token), state.settings.secure_cookies()),
        ),
        Err(e) => see_other(&format!(
            "/anmelden?fehler={}&email={}",
            e.detail_code(),
            enc(&f.email)
        )),
    }
}

#[derive(Deserialize)]
pub struct RegisterForm {
    email: String,
    password: String,
    display_name: String,
    tenant: Option<String>,
}

pub async fn register(
    State(state): State<AppState>,
    ConnectInfo(addr): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    Form(f): Form<RegisterForm>,
) -> Response {
    let client = super::client_address(&state.settings, &headers, addr);
    let result = accounts::register(
        &state,
        Registration {
            email: &f.email,
            password: &f.password,
            display_name: &f.display_name,
            tenant_slug: f.tenant.as_deref(),
            client: Some(&client),
        },
    )
    .await;
    let back = |code: &str| {
        see_other(&format!(
            "/registrieren?fehler={code}&email={}&name={}",
            enc(&f.email),
            enc(&f.display_name)
        ))
    };
    match result {
        Ok(_) => match accounts::login(&state, &f.email, &f.password, &client).await {
            Ok((_, token)) => with_cookie(
                see_other("/"),
                &session_cookie(Some(&token), state.settings.secure_cookies()),
            ),
            Err(e) => back(e.detail_code()),
        },
        Err(AppError::Validation(m)) if m == "unbekannte Kommune" => back("UNKNOWN_TENANT"),
        Err(e) => back(e.detail_code()),
    }
}

pub async fn logout(State(state): State<AppState>, headers: HeaderMap) -> Response {
    if let Some(token) =
        accounts::session_token(headers.get(header::COOKIE).and_then(|v| v.to_str().ok()))
    {
        if let Err(e) = accounts::logout(&state.db, &token).await {
            return see_other(&format!("/?fehler={}", e.detail_code()));
        }
    }
    with_cookie(
        see_other("/anmelden?hinweis=abgemeldet"),
        &session_cookie(None, state.settings.secure_cookies()),
    )
}

#[derive(Deserialize)]
pub struct ForgotForm {
    email: String,
}

pub async fn forgot(State(state): State<AppState>, Form(f): Form<ForgotForm>) -> Response {
    match accounts::request_password_reset(&state, &f.email).await {
        Ok(()) => see_other("/passwort-vergessen?hinweis=gesendet"),
        Err(e) => see_other(&format!("/passwort-vergessen?fehler={}", e.detail_code())),
    }
}

#[derive(Deserialize)]
pub struct ResetForm {
    token: String,
    password: String,
}

pub async fn reset(State(state): State<AppState>, Form(f): Form<ResetForm>) -> Response {
    match accounts::reset_password(&state, &f.token, &f.password).await {
        Ok(()) => see_other("/anmelden?hinweis=passwort-geaendert"),
        Err(e) => see_other(&format!(
            "/passwort-neu?fehler={}&token={}",
            e.detail_code(),
            enc(&f.token)
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::safe_next;

    #[test]
    fn no_open_redirects() {
        assert_eq!(safe_next(Some("/kommune/koeln")), "/kommune/koeln");
        assert_eq!(safe_next(Some("//evil.example")), "/");
        assert_eq!(safe_next(Some("https://evil.example")), "/");
        assert_eq!(safe_next(Some("/\\evil.example")), "/");
        assert_eq!(safe_next(Some("/\t/evil.example")), "/");
        assert_eq!(safe_next(Some("/\n/evil.example")), "/");
        assert_eq!(safe_next(Some("/ /evil.example")), "/");
        assert_eq!(safe_next(None), "/");
    }
}
