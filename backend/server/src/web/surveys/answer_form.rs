//! The plain HTML survey form, page by page: start, addresses, sections.

use super::*;
use crate::kernel::viewer::Viewer;
use crate::web::DeviceCookie;

/// `POST /umfrage/{id}/start`: language and (for code surveys) the code; opens a draft.
pub async fn start(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<i32>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let f = Fields::parse(&body);
    let device = DeviceCookie::from_headers(&headers);
    let back = format!("/umfrage/{id}");
    let result: AppResult<(String, String)> = async {
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
pub(super) async fn place_addresses(
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
pub(super) async fn merge_page(
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
    viewer: Viewer,
    Path((id, number)): Path<(i32, usize)>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let f = Fields::parse(&body);
    let here = page(id, number);
    let result: AppResult<String> = async {
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
