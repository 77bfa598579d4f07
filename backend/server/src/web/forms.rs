//! Form handlers for the account pages. They work without JavaScript: each answers with a
//! redirect (303) to the next page, carrying an error code or a notice in the query string.

use super::DeviceCookie;
use crate::accounts::{self, session_cookie, Registration};
use crate::kernel::error::AppError;
use crate::kernel::error::AppResult;
use crate::kernel::state::AppState;
use crate::kernel::viewer::Viewer;
use axum::extract::{ConnectInfo, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Form;
use qn_domain::surveys::Refusal;
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
/// names the field or line, signed so that the page shows it only when this server wrote it
/// (the page has a German text for every code).
pub(crate) fn back_with_error(
    signer: &crate::kernel::signing::Signer,
    path: &str,
    e: &AppError,
) -> Response {
    let sep = if path.contains('?') { '&' } else { '?' };
    let code = e.detail_code();
    let detail = match e {
        AppError::Entry(_) => Some(e.to_string()),
        AppError::Validation(m) | AppError::Conflict(m) => Some(m.clone()),
        // A builder's structure or text problem names the key it is about.
        AppError::Survey(r @ (Refusal::Structure(_) | Refusal::Texts(_))) => Some(r.to_string()),
        _ => None,
    };
    match detail {
        Some(d) => see_other(&format!(
            "{path}{sep}fehler={code}&meldung={}&zeichen={}",
            enc(&d),
            signer.sign(code, &d)
        )),
        None => see_other(&format!("{path}{sep}fehler={code}")),
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
    let result = accounts::request_registration(
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
        Ok(()) => see_other("/registrieren?hinweis=bestaetigen"),
        Err(AppError::Validation(m)) if m == "unbekannte Kommune" => back("UNKNOWN_TENANT"),
        Err(e) => back(e.detail_code()),
    }
}

#[derive(Deserialize)]
pub struct ConfirmForm {
    token: String,
}

/// The registration link's form: creates the account and signs it in.
pub async fn confirm_registration(
    State(state): State<AppState>,
    Form(f): Form<ConfirmForm>,
) -> Response {
    match accounts::confirm_registration(&state, &f.token).await {
        Ok((_, token)) => with_cookie(
            see_other("/?hinweis=willkommen"),
            &session_cookie(Some(&token), state.settings.secure_cookies()),
        ),
        Err(e) => see_other(&format!(
            "/konto-bestaetigen?fehler={}&token={}",
            e.detail_code(),
            enc(&f.token)
        )),
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

/// Everything stored about the signed-in person as a JSON download (DSGVO Art. 15 and 20).
pub async fn account_data(State(state): State<AppState>, viewer: Viewer) -> Response {
    let result = async {
        let user = viewer.user.ok_or(AppError::Unauthenticated)?;
        crate::flows::personal_data::export(&state.db, &user).await
    }
    .await;
    match result {
        Ok(data) => super::download(
            serde_json::to_string_pretty(&data).unwrap_or_default(),
            "application/json; charset=utf-8",
            "quartiersnetz-meine-daten.json",
            super::Keep::Nowhere,
        ),
        Err(AppError::Unauthenticated) => see_other("/anmelden?weiter=/konto"),
        Err(e) => super::json_error(&e),
    }
}

#[derive(Deserialize)]
pub struct RenameForm {
    display_name: String,
}

pub async fn rename(
    State(state): State<AppState>,
    viewer: Viewer,
    Form(f): Form<RenameForm>,
) -> Response {
    let result =
        async { crate::flows::account::rename(&state, &viewer, &f.display_name).await }.await;
    match result {
        Ok(()) => see_other("/konto?hinweis=name-geaendert"),
        Err(e) => back_with_error(&state.signer, "/konto", &e),
    }
}

#[derive(Deserialize)]
pub struct DeleteForm {
    password: String,
    /// The "I understand" checkbox: unticked boxes are not sent.
    bestaetigung: Option<String>,
}

pub async fn delete_account(
    State(state): State<AppState>,
    viewer: Viewer,
    Form(f): Form<DeleteForm>,
) -> Response {
    let result = async {
        if f.bestaetigung.is_none() {
            return Err(AppError::Validation(
                "Bitte bestätigen Sie, dass Ihr Konto gelöscht werden soll.".into(),
            ));
        }
        crate::flows::account::delete(&state, &viewer, &f.password).await
    }
    .await;
    match result {
        Ok(()) => with_cookie(
            see_other("/anmelden?hinweis=konto-geloescht"),
            &session_cookie(None, state.settings.secure_cookies()),
        ),
        Err(e) => back_with_error(&state.signer, "/konto", &e),
    }
}

/// The fields of a url-encoded form, repeated names kept.
pub(crate) struct Fields(pub Vec<(String, String)>);

impl Fields {
    pub(crate) fn parse(body: &[u8]) -> Self {
        Self(url::form_urlencoded::parse(body).into_owned().collect())
    }

    pub(crate) fn get(&self, name: &str) -> Option<&str> {
        self.0
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }

    pub(crate) fn text(&self, name: &str) -> &str {
        self.get(name).unwrap_or_default()
    }

    pub(crate) fn non_empty(&self, name: &str) -> Option<&str> {
        self.get(name).map(str::trim).filter(|v| !v.is_empty())
    }

    pub(crate) fn flag(&self, name: &str) -> bool {
        matches!(self.get(name), Some("1" | "on" | "ja" | "true"))
    }

    pub(crate) fn int(&self, name: &str) -> Result<Option<i32>, AppError> {
        self.non_empty(name)
            .map(|v| {
                v.parse::<i32>()
                    .map_err(|_| AppError::Validation(format!("{name}: keine Zahl")))
            })
            .transpose()
    }

    pub(crate) fn ints(&self, name: &str) -> Result<Vec<i32>, AppError> {
        self.0
            .iter()
            .filter(|(k, v)| k == name && !v.is_empty())
            .map(|(_, v)| {
                v.parse::<i32>()
                    .map_err(|_| AppError::Validation(format!("{name}: keine Zahl")))
            })
            .collect()
    }

    /// A coordinate typed with a decimal point or comma.
    pub(crate) fn coordinate(&self, name: &str) -> Result<Option<f64>, AppError> {
        self.non_empty(name)
            .map(|v| {
                v.replace(',', ".")
                    .parse::<f64>()
                    .map_err(|_| AppError::Validation(format!("{name}: keine Koordinate")))
            })
            .transpose()
    }

    /// A local path to return to (no open redirect), else `fallback`.
    pub(crate) fn back_to(&self, fallback: String) -> String {
        local_path(self.get("weiter")).map_or(fallback, str::to_owned)
    }
}

pub(crate) fn with_device(mut r: Response, state: &AppState, device: &DeviceCookie) -> Response {
    if let Some(c) = device.set_cookie(state.settings.secure_cookies()) {
        if let Ok(v) = HeaderValue::from_str(&c) {
            r.headers_mut().append(header::SET_COOKIE, v);
        }
    }
    r
}

/// `Ok(path)` redirects there, an error redirects to `on_error` with the message; a device
/// cookie minted on the way is set.
pub(crate) fn finish(
    state: &AppState,
    device: &DeviceCookie,
    result: AppResult<String>,
    on_error: &str,
) -> Response {
    let r = match result {
        Ok(path) => see_other(&path),
        Err(e) => back_with_error(&state.signer, on_error, &e),
    };
    with_device(r, state, device)
}

/// The fields of a multipart form (a file upload), by name; a later field of the same name wins.
///
/// # Errors
/// `Validation` when the body is cut off or unreadable.
pub(crate) async fn multipart_fields(
    mut multipart: axum::extract::Multipart,
) -> AppResult<std::collections::HashMap<String, axum::body::Bytes>> {
    let mut out = std::collections::HashMap::new();
    while let Some(field) = multipart
        .next_field()
        .await
        .map_err(|e| AppError::Validation(format!("Formular unvollständig: {e}")))?
    {
        let name = field.name().unwrap_or_default().to_owned();
        let data = field
            .bytes()
            .await
            .map_err(|e| AppError::Validation(format!("Datei nicht lesbar: {e}")))?;
        out.insert(name, data);
    }
    Ok(out)
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
