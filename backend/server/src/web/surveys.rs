//! HTTP glue of the surveys: the plain form (start, one section per page, review, send; every
//! step a POST answered with a redirect, so it works without JavaScript), the JSON endpoint
//! the browser and its offline queue send responses to, the builders' forms, and the exports.
//!
//! The plain form keeps its answers in a server-side draft named by a cookie that is scoped
//! to the survey's path and lives 24 hours; the draft's token is also the response's
//! idempotency key, so sending twice (a double click, a reload) stores one response.

mod answer_form;
mod building;
mod sending;
pub use answer_form::*;
pub use building::*;
pub use sending::*;

use super::forms::{back_with_error, enc, see_other, with_device, Fields};
use super::{client_address, json_error};
use crate::kernel::error::{AppError, AppResult};
use crate::kernel::permissions::Can;
use crate::kernel::state::AppState;
use crate::kernel::tokens::random_token;
use crate::kernel::viewer::Viewer;
use crate::surveys::{
    self, export, Access, Draft, Outcome, Pending, Status, Submission, SurveyInput,
};
use crate::tenancy;
use axum::body::Bytes;
use axum::extract::{ConnectInfo, Path, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use chrono::{NaiveDate, TimeZone, Utc};
use qn_domain::surveys::texts::Translations;
use qn_domain::surveys::{
    builder, check_answer, form, Answers, Refusal, Survey, DEFAULT_MIN_GROUP,
};
use serde::Deserialize;
use std::collections::BTreeMap;
use std::net::SocketAddr;

fn cookie_name(id: i32) -> String {
    format!("qn_umfrage_{id}")
}

/// The draft token this browser holds for a survey.
pub fn draft_token(headers: &HeaderMap, id: i32) -> Option<String> {
    super::token_cookie(headers, &cookie_name(id))
}

fn set_draft_cookie(mut r: Response, state: &AppState, id: i32, token: Option<&str>) -> Response {
    let secure = if state.settings.secure_cookies() {
        "; Secure"
    } else {
        ""
    };
    let cookie = match token {
        Some(t) => format!(
            "{}={t}; Path=/umfrage/{id}; HttpOnly; SameSite=Lax; Max-Age=86400{secure}",
            cookie_name(id)
        ),
        None => format!(
            "{}=; Path=/umfrage/{id}; HttpOnly; SameSite=Lax; Max-Age=0{secure}",
            cookie_name(id)
        ),
    };
    if let Ok(v) = HeaderValue::from_str(&cookie) {
        r.headers_mut().append(header::SET_COOKIE, v);
    }
    r
}

fn page(id: i32, number: usize) -> String {
    format!("/umfrage/{id}/seite/{number}")
}

/// `GET /api/v1/surveys/{id}/{file}`: `responses.csv`, `codebook.csv`, `responses.json`
/// (planners), `results.json` (suppressed results, for whoever may see them).
pub async fn export_file(
    State(state): State<AppState>,
    viewer: Viewer,
    Path((id, file)): Path<(i32, String)>,
) -> Response {
    let result = async {
        let db = &state.db;
        Ok::<Response, AppError>(match file.as_str() {
            "responses.csv" => {
                let (name, body) = export::responses_csv(db, &viewer, id).await?;
                super::download(body, "text/csv; charset=utf-8", &name, super::Keep::Nowhere)
            }
            "codebook.csv" => {
                let (name, body) = export::codebook_csv(db, &viewer, id).await?;
                super::download(body, "text/csv; charset=utf-8", &name, super::Keep::Nowhere)
            }
            "responses.json" => {
                let (name, body) = export::responses_json(db, &viewer, id).await?;
                super::download(body.to_string(), "application/json", &name, super::Keep::Nowhere)
            }
            "results.json" => {
                let r = surveys::results(db, &viewer, id).await?;
                let mut resp = axum::Json(serde_json::json!({
                    "survey": r.survey.row.id,
                    "minGroup": r.survey.min_group(),
                    "areas": r.areas.iter().map(|a| serde_json::json!({"id": a.id, "code": a.code, "name": a.name})).collect::<Vec<_>>(),
                    "results": r.results,
                    "freeTexts": r.free_texts.iter().filter(|t| t.status == "approved").map(|t| serde_json::json!({"question": t.question, "text": t.body})).collect::<Vec<_>>(),
                }))
                .into_response();
                resp.headers_mut()
                    .insert(header::CACHE_CONTROL, HeaderValue::from_static("private, no-store"));
                resp
            }
            _ => return Err(AppError::NotFound),
        })
    }
    .await;
    result.unwrap_or_else(|e| json_error(&e))
}
