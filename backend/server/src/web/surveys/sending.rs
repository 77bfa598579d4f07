//! Sending a response: the plain form's last page and the JSON endpoint of the offline form.

use super::*;
use crate::kernel::viewer::Viewer;
use crate::web::DeviceCookie;

pub(super) enum Sent {
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
    viewer: Viewer,
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
    pub(super) key: String,
    #[serde(default)]
    pub(super) language: Option<String>,
    pub(super) answers: Answers,
    #[serde(default)]
    pub(super) code: Option<String>,
    /// The honeypot.
    #[serde(default)]
    pub(super) website: Option<String>,
}

/// `POST /api/v1/surveys/{id}/responses`: 201 stored, 200 a replay of a stored one; 400 with
/// every problem by question, 403 closed, 409 code used or already answered, 429 too fast.
pub async fn submit_json(
    State(state): State<AppState>,
    viewer: Viewer,
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
