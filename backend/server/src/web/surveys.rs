//! HTTP glue of the surveys: the plain form (start, one section per page, review, send; every
//! step a POST answered with a redirect, so it works without JavaScript), the JSON endpoint
//! the browser and its offline queue send responses to, the builders' forms, and the exports.
//!
//! The plain form keeps its answers in a server-side draft named by a cookie that is scoped
//! to the survey's path and lives 24 hours; the draft's token is also the response's
//! idempotency key, so sending twice (a double click, a reload) stores one response.

use super::forms::{back_with_error, begin, enc, see_other, with_device, Fields};
use super::{client_address, json_error, viewer_from_headers, DeviceCookie};
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
    let name = cookie_name(id);
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

/// `POST /umfrage/{id}/start`: language and (for code surveys) the code; opens a draft.
pub async fn start(
    State(state): State<AppState>,
    Path(id): Path<i32>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let f = Fields::parse(&body);
    let (viewer, device) = begin(&state, &headers).await;
    let back = format!("/umfrage/{id}");
    let result: AppResult<(String, String)> = async {
        let viewer = viewer?;
        let s = surveys::load(&state.db, &viewer, id).await?;
        // Builders walk through a draft as a preview; everyone else needs an open survey.
        let preview = s.row.status == Status::Draft.as_str()
            && viewer.may(s.row.tenant_id, Can::ManageSurveys);
        if !preview {
            qn_domain::surveys::accepting(
                &s.row.status,
                s.row.opens_at,
                s.row.closes_at,
                Utc::now(),
            )?;
        }
        let code = match s.access() {
            _ if preview => None,
            Access::Codes => {
                let code = f
                    .non_empty("code")
                    .ok_or(AppError::Survey(Refusal::CodeRequired))?;
                surveys::check_code(&state.db, id, code).await?;
                Some(surveys::normalise_code(code))
            }
            Access::Residents
                if !viewer
                    .memberships
                    .iter()
                    .any(|(t, _)| *t == s.row.tenant_id) =>
            {
                return Err(Refusal::AccountRequired.into());
            }
            _ => None,
        };
        let dev = device.for_writing(&viewer);
        if !preview && surveys::has_ballot(&state.db, &s, &viewer, dev.as_deref()).await? {
            return Err(Refusal::AlreadyAnswered.into());
        }
        let language = f
            .non_empty("sprache")
            .filter(|l| s.texts.0.contains_key(*l))
            .unwrap_or(qn_domain::surveys::texts::BASE_LANGUAGE)
            .to_owned();
        // Continue a draft of this browser, else start a new one.
        let (token, mut draft) = match draft_token(&headers, id) {
            Some(t) => match surveys::draft(&state.db, id, &t).await? {
                Some(d) => (t, d),
                None => (random_token(), Draft::default()),
            },
            None => (random_token(), Draft::default()),
        };
        draft.language = language;
        draft.code = code.or(draft.code);
        draft.pending = None;
        draft.preview = preview;
        surveys::save_draft(&state.db, id, &token, &draft).await?;
        let first = s
            .survey
            .shown_sections(&draft.answers)
            .first()
            .copied()
            .unwrap_or(0);
        Ok((page(id, first + 1), token))
    }
    .await;
    match result {
        Ok((to, token)) => set_draft_cookie(
            with_device(see_other(&to), &state, &device),
            &state,
            id,
            Some(&token),
        ),
        Err(AppError::Survey(Refusal::AccountRequired)) => {
            see_other(&format!("/anmelden?weiter={}", enc(&back)))
        }
        Err(e) => with_device(back_with_error(&state.signer, &back, &e), &state, &device),
    }
}

/// A map point given as an address (the form's way without JavaScript or a map): the house
/// from the Kommune's register becomes the point's coordinates. The address itself is not
/// kept, only the point, as if it had been tapped.
async fn place_addresses(
    state: &AppState,
    s: &surveys::Loaded,
    section: &qn_domain::surveys::Section,
    fields: &mut Vec<(String, String)>,
) -> AppResult<Vec<(String, qn_domain::surveys::AnswerError)>> {
    use qn_domain::directory::EntryError;
    use qn_domain::surveys::AnswerError;
    let mut problems = Vec::new();
    for q in &section.questions {
        if !matches!(q.kind, qn_domain::surveys::QuestionKind::MapPoint) {
            continue;
        }
        let given = |n: &str| {
            fields
                .iter()
                .find(|(k, v)| k == n && !v.trim().is_empty())
                .map(|(_, v)| v.trim().to_owned())
        };
        let (lat, lon) = (
            form::sub_field(&q.key, "lat"),
            form::sub_field(&q.key, "lon"),
        );
        if given(&lat).is_some() || given(&lon).is_some() {
            continue;
        }
        let Some(typed) = given(&form::sub_field(&q.key, "address")) else {
            continue;
        };
        let (street, postcode, city) = qn_domain::areas::addresses::one_line(&typed);
        let found =
            crate::areas::addresses::point_of(state, s.row.tenant_id, &street, &postcode, &city)
                .await;
        match found {
            Ok(Some(p)) => {
                fields.retain(|(k, _)| *k != lat && *k != lon);
                fields.push((lat, p.lat.to_string()));
                fields.push((lon, p.lon.to_string()));
            }
            Ok(None) => problems.push((q.key.clone(), AnswerError::NoAddressRegister)),
            Err(AppError::Entry(list)) => problems.push((
                q.key.clone(),
                match list.first() {
                    Some(EntryError::AddressAmbiguous(_)) => AnswerError::AddressAmbiguous,
                    Some(EntryError::AddressLookupFailed) => AnswerError::AddressLookupFailed,
                    _ => AnswerError::AddressUnknown,
                },
            )),
            Err(e) => return Err(e),
        }
    }
    Ok(problems)
}

/// The answers of a page merged into the draft: the page's questions replaced by what was
/// sent; returns the problems of the page (unreadable, not fitting, required but missing).
async fn merge_page(
    state: &AppState,
    s: &surveys::Loaded,
    draft: &mut Draft,
    index: usize,
    fields: &[(String, String)],
    require: bool,
) -> AppResult<Vec<(String, String)>> {
    let section = &s.survey.sections[index];
    let mut fields = fields.to_vec();
    let mut problems = Vec::new();
    if section
        .questions
        .iter()
        .any(|q| matches!(q.kind, qn_domain::surveys::QuestionKind::Quartier))
    {
        let table = surveys::postcode_table(state, s).await?;
        problems = form::apply_postcodes(section, &mut fields, &table);
    }
    problems.extend(place_addresses(state, s, section, &mut fields).await?);
    let (read, unreadable) = form::read_section(section, &fields);
    problems.extend(unreadable);
    for q in &section.questions {
        draft.answers.remove(&q.key);
        if let Some(a) = read.get(&q.key) {
            match check_answer(&q.kind, a) {
                Ok(Some(a)) => {
                    draft.answers.insert(q.key.clone(), a);
                }
                Ok(None) => {}
                Err(e) => problems.push((q.key.clone(), e)),
            }
        }
    }
    // Places (a Quartier of the survey, a point inside its areas) are the server's checks.
    let page_answers: Answers = section
        .questions
        .iter()
        .filter_map(|q| {
            draft
                .answers
                .get(&q.key)
                .map(|a| (q.key.clone(), a.clone()))
        })
        .collect();
    for (key, e) in surveys::check_places_of(state, s, &page_answers).await? {
        draft.answers.remove(&key);
        problems.push((key, e));
    }
    if require {
        let kept = s.survey.visible_answers(&draft.answers);
        for q in &section.questions {
            if q.required
                && s.survey.is_shown(&q.key, &kept)
                && !kept.contains_key(&q.key)
                && !problems.iter().any(|(k, _)| *k == q.key)
            {
                problems.push((q.key.clone(), qn_domain::surveys::AnswerError::Required));
            }
        }
    }
    let order: Vec<&str> = section.questions.iter().map(|q| q.key.as_str()).collect();
    problems.sort_by_key(|(k, _)| order.iter().position(|o| o == k));
    Ok(problems
        .into_iter()
        .map(|(k, e)| (k, e.code().to_owned()))
        .collect())
}

/// `POST /umfrage/{id}/seite/{n}`: one page sent, forward (`richtung=weiter`) or back.
pub async fn section(
    State(state): State<AppState>,
    Path((id, number)): Path<(i32, usize)>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let f = Fields::parse(&body);
    let here = page(id, number);
    let result: AppResult<String> = async {
        let viewer = viewer_from_headers(&state, &headers).await?;
        let s = surveys::load(&state.db, &viewer, id).await?;
        let token = draft_token(&headers, id).ok_or(AppError::Survey(Refusal::NoDraft))?;
        let mut draft = surveys::draft(&state.db, id, &token)
            .await?
            .ok_or(AppError::Survey(Refusal::NoDraft))?;
        if !draft.preview {
            qn_domain::surveys::accepting(
                &s.row.status,
                s.row.opens_at,
                s.row.closes_at,
                Utc::now(),
            )?;
        }
        let index = number.checked_sub(1).ok_or(AppError::NotFound)?;
        if index >= s.survey.sections.len() {
            return Err(AppError::NotFound);
        }
        let back = f.get("richtung") == Some("zurueck");
        let shown_before: Vec<&str> = f.text("angezeigt").split(',').collect();
        let problems = merge_page(&state, &s, &mut draft, index, &f.0, !back).await?;
        let kept = s.survey.visible_answers(&draft.answers);
        // Questions the page did not show (their condition was met on this page) are shown
        // before going on; a form without the list (a script) is not held back.
        let revealed = f.get("angezeigt").is_some()
            && s.survey.sections[index].questions.iter().any(|q| {
                s.survey.is_shown(&q.key, &kept) && !shown_before.contains(&q.key.as_str())
            });
        let shown = s.survey.shown_sections(&draft.answers);
        if back {
            draft.pending = None;
            surveys::save_draft(&state.db, id, &token, &draft).await?;
            return Ok(match shown.iter().rev().find(|i| **i < index) {
                Some(prev) => page(id, prev + 1),
                None => format!("/umfrage/{id}"),
            });
        }
        if !problems.is_empty() || revealed {
            draft.pending = Some(Pending {
                section: index,
                fields: f
                    .0
                    .iter()
                    .filter(|(k, _)| k.starts_with("q."))
                    .cloned()
                    .collect(),
                problems,
            });
            surveys::save_draft(&state.db, id, &token, &draft).await?;
            return Ok(format!("{here}#fragen"));
        }
        draft.pending = None;
        surveys::save_draft(&state.db, id, &token, &draft).await?;
        Ok(match shown.iter().find(|i| **i > index) {
            Some(next) => page(id, next + 1),
            None => format!("/umfrage/{id}/abschluss"),
        })
    }
    .await;
    match result {
        Ok(to) => see_other(&to),
        Err(e @ AppError::Survey(Refusal::NoDraft | Refusal::Closed | Refusal::NotOpen)) => {
            back_with_error(&state.signer, &format!("/umfrage/{id}"), &e)
        }
        Err(e) => back_with_error(&state.signer, &here, &e),
    }
}

enum Sent {
    /// Stored (or a replay, or discarded): thanks, in this language.
    Done(String),
    /// A problem on this page (after the survey changed under a draft, or a forged field).
    Fix(usize),
    /// The end of a builder's preview: nothing stored.
    Preview(String),
}

/// `POST /umfrage/{id}/absenden`: the response is stored (once), the draft removed.
pub async fn send(
    State(state): State<AppState>,
    Path(id): Path<i32>,
    ConnectInfo(addr): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let f = Fields::parse(&body);
    let device = DeviceCookie::from_headers(&headers);
    let review = format!("/umfrage/{id}/abschluss");
    let token = draft_token(&headers, id);
    let result: AppResult<Sent> = async {
        let viewer = viewer_from_headers(&state, &headers).await?;
        let token = token.as_deref().ok_or(AppError::Survey(Refusal::NoDraft))?;
        // Sent twice (the first already removed the draft): the key finds the response.
        let draft = surveys::draft(&state.db, id, token)
            .await?
            .unwrap_or_default();
        if draft.preview {
            surveys::delete_draft(&state.db, token).await?;
            return Ok(Sent::Preview(draft.language));
        }
        let client = client_address(&state.settings, &headers, addr);
        let dev = device.for_writing(&viewer);
        let outcome = surveys::submit(
            &state,
            Submission {
                survey_id: id,
                key: token,
                language: &draft.language,
                answers: draft.answers.clone(),
                code: draft.code.as_deref(),
                honeypot: f.get("website"),
                viewer: &viewer,
                device: dev.as_deref(),
                client: &client,
            },
        )
        .await;
        match outcome {
            Ok(_) => {
                surveys::delete_draft(&state.db, token).await?;
                Ok(Sent::Done(draft.language))
            }
            Err(AppError::Survey(Refusal::Answers(problems))) => {
                // Back to the first page with a problem, with the problems shown there.
                let s = surveys::load(&state.db, &viewer, id).await?;
                let index = s
                    .survey
                    .sections
                    .iter()
                    .position(|sec| {
                        sec.questions
                            .iter()
                            .any(|q| problems.iter().any(|(k, _)| *k == q.key))
                    })
                    .unwrap_or(0);
                let mut draft = draft;
                let section = &s.survey.sections[index];
                draft.pending = Some(Pending {
                    section: index,
                    fields: section
                        .questions
                        .iter()
                        .filter_map(|q| draft.answers.get(&q.key).map(|a| form::fields_of(q, a)))
                        .flatten()
                        .collect(),
                    problems: problems
                        .iter()
                        .map(|(k, e)| (k.clone(), e.code().to_owned()))
                        .collect(),
                });
                surveys::save_draft(&state.db, id, token, &draft).await?;
                Ok(Sent::Fix(index + 1))
            }
            Err(e) => Err(e),
        }
    }
    .await;
    match result {
        Ok(Sent::Fix(number)) => see_other(&format!("{}#fragen", page(id, number))),
        Ok(Sent::Preview(language)) => set_draft_cookie(
            see_other(&format!(
                "/umfrage/{id}/danke?sprache={}&vorschau=1",
                enc(&language)
            )),
            &state,
            id,
            None,
        ),
        Ok(Sent::Done(language)) => set_draft_cookie(
            with_device(
                see_other(&format!("/umfrage/{id}/danke?sprache={}", enc(&language))),
                &state,
                &device,
            ),
            &state,
            id,
            None,
        ),
        // Sent again after the draft was removed: the start page says it is answered.
        Err(AppError::Survey(Refusal::NoDraft)) => see_other(&format!("/umfrage/{id}")),
        Err(e @ AppError::Survey(Refusal::Closed | Refusal::NotOpen)) => {
            back_with_error(&state.signer, &format!("/umfrage/{id}"), &e)
        }
        Err(e) => with_device(back_with_error(&state.signer, &review, &e), &state, &device),
    }
}

/// A response as the browser sends it (also from its offline queue).
#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ResponseBody {
    /// Made by the browser once per response; a replay with the same key stores nothing.
    key: String,
    #[serde(default)]
    language: Option<String>,
    answers: Answers,
    #[serde(default)]
    code: Option<String>,
    /// The honeypot.
    #[serde(default)]
    website: Option<String>,
}

/// `POST /api/v1/surveys/{id}/responses`: 201 stored, 200 a replay of a stored one; 400 with
/// every problem by question, 403 closed, 409 code used or already answered, 429 too fast.
pub async fn submit_json(
    State(state): State<AppState>,
    Path(id): Path<i32>,
    ConnectInfo(addr): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let device = DeviceCookie::from_headers(&headers);
    let parsed: Result<ResponseBody, _> = serde_json::from_slice(&body);
    let b = match parsed {
        Ok(b) => b,
        Err(e) => {
            return json_error(&AppError::Validation(format!("malformed response: {e}")));
        }
    };
    let result = async {
        let viewer = viewer_from_headers(&state, &headers).await?;
        let client = client_address(&state.settings, &headers, addr);
        let dev = device.for_writing(&viewer);
        surveys::submit(
            &state,
            Submission {
                survey_id: id,
                key: &b.key,
                language: b.language.as_deref().unwrap_or_default(),
                answers: b.answers,
                code: b.code.as_deref(),
                honeypot: b.website.as_deref(),
                viewer: &viewer,
                device: dev.as_deref(),
                client: &client,
            },
        )
        .await
    }
    .await;
    let r = match result {
        Ok(o) => {
            let (status, name) = match o {
                Outcome::Stored | Outcome::Discarded => (StatusCode::CREATED, "stored"),
                Outcome::Replay => (StatusCode::OK, "duplicate"),
            };
            (status, axum::Json(serde_json::json!({"status": name}))).into_response()
        }
        Err(AppError::Survey(Refusal::Answers(problems))) => {
            let list: Vec<serde_json::Value> = problems
                .iter()
                .map(|(q, e)| serde_json::json!({"question": q, "code": e.code(), "message": e.to_string()}))
                .collect();
            (
                StatusCode::BAD_REQUEST,
                axum::Json(serde_json::json!({"error": {
                    "code": "INVALID_ANSWERS",
                    "message": Refusal::Answers(problems).to_string(),
                    "problems": list,
                }})),
            )
                .into_response()
        }
        Err(e) => json_error(&e),
    };
    let mut r = with_device(r, &state, &device);
    r.headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    r
}

fn download(name: &str, content_type: &'static str, body: String) -> Response {
    let mut r = body.into_response();
    r.headers_mut()
        .insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
    if let Ok(v) = HeaderValue::from_str(&format!("attachment; filename=\"{name}\"")) {
        r.headers_mut().insert(header::CONTENT_DISPOSITION, v);
    }
    r.headers_mut().insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static("private, no-store"),
    );
    r
}

/// `GET /api/v1/surveys/{id}/{file}`: `responses.csv`, `codebook.csv`, `responses.json`
/// (planners), `results.json` (suppressed results, for whoever may see them).
pub async fn export_file(
    State(state): State<AppState>,
    Path((id, file)): Path<(i32, String)>,
    headers: HeaderMap,
) -> Response {
    let result = async {
        let viewer = viewer_from_headers(&state, &headers).await?;
        let db = &state.db;
        Ok::<Response, AppError>(match file.as_str() {
            "responses.csv" => {
                let (name, body) = export::responses_csv(db, &viewer, id).await?;
                download(&name, "text/csv; charset=utf-8", body)
            }
            "codebook.csv" => {
                let (name, body) = export::codebook_csv(db, &viewer, id).await?;
                download(&name, "text/csv; charset=utf-8", body)
            }
            "responses.json" => {
                let (name, body) = export::responses_json(db, &viewer, id).await?;
                download(&name, "application/json", body.to_string())
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

// ---------------------------------------------------------------------------------------------
// Builders

/// A new survey starts as a small, valid draft that the builder then extends.
fn skeleton(title: &str) -> (Survey, Translations) {
    let survey: Survey = serde_json::from_value(serde_json::json!({"sections": [
        {"key": "teil-1", "questions": [
            {"key": "frage-1", "required": false, "kind": {"type": "single_choice", "options": [
                {"key": "ja", "code": 1}, {"key": "nein", "code": 2}]}}
        ]}
    ]}))
    .unwrap_or(Survey {
        sections: Vec::new(),
    });
    let mut de = BTreeMap::new();
    for (k, v) in [
        ("title", title),
        ("q.frage-1", "Ihre erste Frage"),
        ("opt.frage-1.ja", "Ja"),
        ("opt.frage-1.nein", "Nein"),
    ] {
        de.insert(k.to_owned(), v.to_owned());
    }
    let mut texts = Translations::default();
    texts.0.insert("de".into(), de);
    (survey, texts)
}

/// `POST /kommune/{slug}/umfragen`: a new draft with a title.
pub async fn create(
    State(state): State<AppState>,
    Path(slug): Path<String>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let f = Fields::parse(&body);
    let back = format!("/kommune/{slug}/umfragen");
    let result: AppResult<String> = async {
        let viewer = viewer_from_headers(&state, &headers).await?;
        let tenant = tenancy::by_slug(&state.db, &slug).await?;
        let title = f
            .non_empty("titel")
            .ok_or_else(|| AppError::Validation("der Titel fehlt".into()))?;
        let (structure, texts) = skeleton(title);
        let s = surveys::create(
            &state.db,
            &viewer,
            tenant.id,
            SurveyInput {
                access: Access::Public,
                opens_at: None,
                closes_at: None,
                structure,
                texts,
                areas: Vec::new(),
                min_group: DEFAULT_MIN_GROUP,
            },
        )
        .await?;
        Ok(format!("/umfrage/{}/verwaltung?hinweis=angelegt", s.row.id))
    }
    .await;
    match result {
        Ok(to) => see_other(&to),
        Err(e) => back_with_error(&state.signer, &back, &e),
    }
}

fn date_field(f: &Fields, name: &str, end: bool) -> AppResult<Option<chrono::DateTime<Utc>>> {
    f.non_empty(name)
        .map(|v| {
            let d = NaiveDate::parse_from_str(v, "%Y-%m-%d")
                .or_else(|_| NaiveDate::parse_from_str(v, "%d.%m.%Y"))
                .map_err(|_| AppError::Validation(format!("{name}: kein Datum")))?;
            // The end date is the last day on which answers are taken.
            let d = if end { d.succ_opt().unwrap_or(d) } else { d };
            let t = d.and_hms_opt(0, 0, 0).unwrap_or_default();
            Ok(Utc.from_utc_datetime(&t))
        })
        .transpose()
}

fn manage_input(f: &Fields) -> AppResult<SurveyInput> {
    let structure: Survey = serde_json::from_str(f.text("aufbau"))
        .map_err(|e| AppError::Validation(format!("Aufbau (JSON): {e}")))?;
    let texts: Translations = serde_json::from_str(f.text("texte"))
        .map_err(|e| AppError::Validation(format!("Texte (JSON): {e}")))?;
    let min_group = f
        .non_empty("mindestgruppe")
        .map(|v| {
            v.parse::<u64>()
                .map_err(|_| AppError::Validation("mindestgruppe: keine Zahl".into()))
        })
        .transpose()?
        .unwrap_or(DEFAULT_MIN_GROUP);
    Ok(SurveyInput {
        access: Access::parse(f.text("zugang")),
        opens_at: date_field(f, "beginn", false)?,
        closes_at: date_field(f, "ende", true)?,
        structure,
        texts,
        areas: f.ints("gebiete")?,
        min_group,
    })
}

/// `POST /umfrage/{id}/verwaltung/{action}`: the builders' actions. `codes` answers with the
/// new codes as a CSV download (they are shown this once).
pub async fn manage(
    State(state): State<AppState>,
    Path((id, action)): Path<(i32, String)>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let f = Fields::parse(&body);
    let here = format!("/umfrage/{id}/verwaltung");
    let viewer = match viewer_from_headers(&state, &headers).await {
        Ok(v) => v,
        Err(e) => return back_with_error(&state.signer, &here, &e),
    };
    if action == "codes" {
        let count = f
            .non_empty("anzahl")
            .and_then(|v| v.parse::<usize>().ok())
            .unwrap_or(0);
        return match surveys::generate_codes(&state.db, &viewer, id, count).await {
            Ok(codes) => {
                let mut body = String::from("\u{feff}code\r\n");
                for c in codes {
                    body.push_str(&c);
                    body.push_str("\r\n");
                }
                download(
                    &format!("umfrage-{id}-codes.csv"),
                    "text/csv; charset=utf-8",
                    body,
                )
            }
            Err(e) => back_with_error(&state.signer, &here, &e),
        };
    }
    let result = manage_action(&state, &viewer, id, &action, &f).await;
    match result {
        Ok(to) => see_other(&to),
        Err(e) => back_with_error(&state.signer, &here, &e),
    }
}

/// `question=option` from the builder's condition select (empty: always).
fn condition_of(f: &Fields) -> Option<(String, String)> {
    f.non_empty("bedingung")
        .and_then(|b| b.split_once('='))
        .filter(|(q, _)| !q.is_empty())
        .map(|(q, o)| (q.to_owned(), o.to_owned()))
}

/// A question from the builder's form (adding or editing).
fn builder_question(f: &Fields) -> AppResult<builder::NewQuestion> {
    let lines = |name: &str| -> Vec<String> {
        f.text(name)
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty())
            .map(str::to_owned)
            .collect()
    };
    let number = |name: &str| -> AppResult<Option<f64>> {
        f.non_empty(name)
            .map(|v| {
                form::parse_number(v)
                    .ok_or_else(|| AppError::Validation(format!("{name}: keine Zahl")))
            })
            .transpose()
    };
    Ok(builder::NewQuestion {
        section: f
            .non_empty("teil")
            .and_then(|t| t.parse::<usize>().ok())
            .and_then(|n| n.checked_sub(1)),
        section_title: f.non_empty("neuer_teil").map(str::to_owned),
        kind: f.text("art").to_owned(),
        text: f.text("text").to_owned(),
        help: f.non_empty("hilfe").map(str::to_owned),
        required: f.flag("pflicht"),
        options: lines("antworten"),
        items: lines("zeilen"),
        min: number("min")?,
        max: number("max")?,
        low: f.non_empty("links").map(str::to_owned),
        high: f.non_empty("rechts").map(str::to_owned),
        other: f.flag("sonstiges"),
        condition: condition_of(f),
        keep_condition: f.get("bedingung") == Some("=keep"),
    })
}

async fn manage_action(
    state: &AppState,
    viewer: &Viewer,
    id: i32,
    action: &str,
    f: &Fields,
) -> AppResult<String> {
    let db = &state.db;
    let here = format!("/umfrage/{id}/verwaltung");
    Ok(match action {
        "speichern" => {
            surveys::update(db, viewer, id, manage_input(f)?).await?;
            format!("{here}?hinweis=gespeichert")
        }
        "oeffnen" => {
            surveys::set_status(db, viewer, id, Status::Open).await?;
            format!("{here}?hinweis=geoeffnet")
        }
        "schliessen" => {
            surveys::set_status(db, viewer, id, Status::Closed).await?;
            format!("{here}?hinweis=geschlossen")
        }
        "entwurf" => {
            surveys::set_status(db, viewer, id, Status::Draft).await?;
            format!("{here}?hinweis=entwurf")
        }
        "veroeffentlichen" => {
            surveys::publish_results(db, viewer, id, true).await?;
            format!("{here}?hinweis=veroeffentlicht")
        }
        "zurueckziehen" => {
            surveys::publish_results(db, viewer, id, false).await?;
            format!("{here}?hinweis=zurueckgezogen")
        }
        "kopie" | "version" => {
            let s = surveys::duplicate(db, viewer, id, action == "version").await?;
            format!("/umfrage/{}/verwaltung?hinweis=kopiert", s.row.id)
        }
        "indikator" => {
            use qn_domain::indicators::Polarity;
            let date = match f.non_empty("datum") {
                Some(d) => form::parse_date(d)
                    .ok_or_else(|| AppError::Validation("datum: kein Datum".into()))?,
                None => Utc::now().date_naive(),
            };
            let (ind, _) = surveys::save_as_indicator(
                state,
                viewer,
                id,
                surveys::IndicatorRequest {
                    question: f.text("frage").to_owned(),
                    options: f
                        .0
                        .iter()
                        .filter(|(k, _)| k == "antwort")
                        .map(|(_, v)| v.clone())
                        .collect(),
                    key: f.text("kuerzel").trim().to_owned(),
                    name: f.text("name").trim().to_owned(),
                    polarity: match f.get("richtung") {
                        Some("hoch_gut") => Polarity::HighIsGood,
                        Some("neutral") => Polarity::Neutral,
                        _ => Polarity::HighIsBad,
                    },
                    date,
                },
            )
            .await?;
            format!("/indikator/{}?hinweis=aus-umfrage", ind.id)
        }
        "frage" => {
            let q = builder_question(f)?;
            surveys::edit(db, viewer, id, |survey, texts| {
                builder::add_question(survey, texts, q)
                    .map(|_| ())
                    .map_err(Refusal::Build)
            })
            .await?;
            format!("{here}?hinweis=frage#aufbau")
        }
        "frage-aendern" => {
            let key = f.text("frage").to_owned();
            let q = builder_question(f)?;
            surveys::edit(db, viewer, id, |survey, texts| {
                builder::edit_question(survey, texts, &key, q).map_err(Refusal::Build)
            })
            .await?;
            format!("{here}?hinweis=gespeichert#aufbau")
        }
        "teil-bedingung" => {
            let section = f
                .text("teil")
                .parse::<usize>()
                .ok()
                .and_then(|n| n.checked_sub(1))
                .ok_or_else(|| AppError::Validation("teil: keine Nummer".into()))?;
            let condition = condition_of(f);
            surveys::edit(db, viewer, id, |survey, _| {
                builder::set_section_condition(survey, section, condition).map_err(Refusal::Build)
            })
            .await?;
            format!("{here}?hinweis=gespeichert#aufbau")
        }
        "frage-weg" | "frage-hoch" | "frage-runter" => {
            let key = f.text("frage").to_owned();
            surveys::edit(db, viewer, id, |survey, texts| {
                match action {
                    "frage-weg" => builder::remove_question(survey, texts, &key),
                    _ => builder::move_question(survey, &key, action == "frage-hoch"),
                }
                .map_err(Refusal::Build)
            })
            .await?;
            format!("{here}?hinweis=gespeichert#aufbau")
        }
        "texte" => {
            let lang = f.text("sprache").trim().to_owned();
            let typed: Vec<(String, String)> =
                f.0.iter()
                    .filter_map(|(k, v)| {
                        k.strip_prefix("t.")
                            .map(|k| (k.to_owned(), v.replace("\r\n", "\n").trim().to_owned()))
                    })
                    .collect();
            let chosen = lang.clone();
            surveys::edit(db, viewer, id, move |_, texts| {
                let words = texts.0.entry(chosen).or_default();
                for (k, v) in typed {
                    if v.is_empty() {
                        words.remove(&k);
                    } else {
                        words.insert(k, v);
                    }
                }
                Ok(())
            })
            .await?;
            format!(
                "/umfrage/{id}/texte?sprache={}&hinweis=gespeichert",
                enc(&lang)
            )
        }
        "freitext" => {
            let text = f
                .int("text")?
                .ok_or_else(|| AppError::Validation("text fehlt".into()))?;
            surveys::review_free_text(db, viewer, text, f.get("entscheidung") == Some("freigeben"))
                .await?;
            format!("/umfrage/{id}/ergebnisse?hinweis=geprueft#freitext-{text}")
        }
        _ => return Err(AppError::NotFound),
    })
}
