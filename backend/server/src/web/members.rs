//! Form handlers of the administration page and of the invitation page. Each answers with a
//! redirect (303), so the pages work without JavaScript.

use super::forms::{back_with_error, enc, finish, see_other, Fields};
use crate::accounts::members::{self, Accepted, Invited};
use crate::accounts::session_cookie;
use crate::kernel::error::{AppError, AppResult};
use crate::kernel::state::AppState;
use crate::kernel::viewer::Viewer;
use crate::tenancy;
use crate::web::DeviceCookie;
use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::{header, HeaderMap, HeaderValue};
use axum::response::Response;
use qn_domain::tenancy::Role;

fn role(f: &Fields) -> AppResult<Role> {
    f.text("rolle")
        .parse()
        .map_err(|_| AppError::Validation("Bitte eine Rolle wählen.".into()))
}

fn person(f: &Fields) -> AppResult<i32> {
    f.int("person")?
        .ok_or_else(|| AppError::Validation("person fehlt".into()))
}

/// `POST /kommune/{slug}/verwaltung/{action}`: `einladen` (`email`, `rolle`), `entziehen`
/// (`person`, `rolle`), `sperren` and `freigeben` (`person`), `zurueckziehen` (`einladung`).
pub async fn change(
    State(state): State<AppState>,
    viewer: Viewer,
    Path((slug, action)): Path<(String, String)>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let f = Fields::parse(&body);
    let back = format!("/kommune/{slug}/verwaltung");
    let device = DeviceCookie::from_headers(&headers);
    let result: AppResult<String> = async {
        let viewer = &viewer;
        let tenant = tenancy::by_slug(&state.db, &slug).await?;
        let db = &state.db;
        let notice = match action.as_str() {
            "einladen" => {
                match members::invite(&state, viewer, &tenant, f.text("email"), role(&f)?).await? {
                    Invited::Granted => "vergeben",
                    Invited::Invitation => "eingeladen",
                }
            }
            "entziehen" => {
                members::revoke(db, viewer, &tenant, person(&f)?, role(&f)?).await?;
                "entzogen"
            }
            "sperren" => {
                members::set_suspended(db, viewer, &tenant, person(&f)?, true).await?;
                "gesperrt"
            }
            "freigeben" => {
                members::set_suspended(db, viewer, &tenant, person(&f)?, false).await?;
                "freigegeben"
            }
            "zurueckziehen" => {
                let id = f
                    .int("einladung")?
                    .ok_or_else(|| AppError::Validation("einladung fehlt".into()))?;
                members::withdraw(db, viewer, &tenant, id).await?;
                "zurueckgezogen"
            }
            _ => return Err(AppError::NotFound),
        };
        Ok(format!("{back}?hinweis={notice}"))
    }
    .await;
    finish(&state, &device, result, &back)
}

/// `POST /einladung` (`token`, `name`, `password`): creates the invited account and signs in.
pub async fn accept(State(state): State<AppState>, body: Bytes) -> Response {
    let f = Fields::parse(&body);
    let token = f.text("token");
    match members::accept(&state, token, f.text("name"), f.text("password")).await {
        Ok(Accepted::SignedIn(session)) => {
            let mut r = see_other("/konto?hinweis=eingeladen");
            let cookie = session_cookie(Some(&session), state.settings.secure_cookies());
            if let Ok(v) = HeaderValue::from_str(&cookie) {
                r.headers_mut().append(header::SET_COOKIE, v);
            }
            r
        }
        Ok(Accepted::ExistingAccount) => see_other("/anmelden?hinweis=rolle&weiter=/konto"),
        Err(e) => back_with_error(
            &state.signer,
            &format!("/einladung?token={}", enc(token)),
            &e,
        ),
    }
}
