//! Answering: places, answer checks, idempotent submission with anonymous ballots.

use super::*;

/// One response as a client sends it.
pub struct Submission<'a> {
    pub survey_id: i32,
    /// The client's idempotency key (a replay of the same key stores nothing new).
    pub key: &'a str,
    pub language: &'a str,
    pub answers: Answers,
    pub code: Option<&'a str>,
    /// The honeypot field: people leave it empty, form-filling robots do not.
    pub honeypot: Option<&'a str>,
    pub viewer: &'a Viewer,
    /// The device's hash (see `web::DeviceCookie`), for one response per device.
    pub device: Option<&'a str>,
    /// The client's address, for the rate limit only (never stored).
    pub client: &'a str,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    Stored,
    /// The key was seen before: the first response stands.
    Replay,
    /// The honeypot was filled: answered as stored, nothing kept.
    Discarded,
}

pub(super) fn good_idem_key(k: &str) -> bool {
    (16..=128).contains(&k.len()) && k.bytes().all(|b| b.is_ascii_graphic())
}

/// The areas a respondent may name as their Quartier: the target areas, or without targets
/// the tenant's finest level.
pub async fn quartier_choices(
    db: &impl ConnectionTrait,
    viewer: &Viewer,
    s: &Loaded,
) -> AppResult<Vec<areas::Area>> {
    let mut list = if s.areas.is_empty() {
        match areas::levels(db, viewer, s.row.tenant_id).await?.last() {
            Some(l) => areas::current_areas(db, viewer, l.id).await?,
            None => Vec::new(),
        }
    } else {
        areas::by_ids(db, viewer, &s.areas).await?
    };
    list.sort_by_cached_key(|a| areas::name_key(&a.name));
    Ok(list)
}

/// Postcode → the survey's Quartier choices, for deriving "your Quartier" from a postcode.
///
/// # Errors
/// Database errors.
pub async fn postcode_table(
    state: &AppState,
    s: &Loaded,
) -> AppResult<std::collections::BTreeMap<String, Vec<i64>>> {
    let choices: Vec<i32> = quartier_choices(&state.db, &Viewer::anonymous(), s)
        .await?
        .iter()
        .map(|a| a.id)
        .collect();
    areas::postcodes::for_choices(&state.db, s.row.tenant_id, &choices).await
}

/// The server's checks that the domain cannot make: a Quartier answer names an allowed area,
/// a point lies inside the survey's areas. Returns the respondent's area.
pub(super) async fn check_places(
    state: &AppState,
    s: &Loaded,
    answers: &Answers,
) -> AppResult<(Option<i32>, Vec<(String, AnswerError)>)> {
    let mut problems = Vec::new();
    let mut area = None;
    let index = state.mem.area_index();
    let tenant = i64::from(s.row.tenant_id);
    let targets: HashSet<i64> = s.areas.iter().map(|a| i64::from(*a)).collect();
    let mut allowed: Option<HashSet<i64>> = None;
    for q in s.survey.questions() {
        match (&q.kind, answers.get(&q.key)) {
            (QuestionKind::Quartier, Some(Answer::Area(id))) => {
                if allowed.is_none() {
                    // The targets are the choices: no query on the submission path. Only a
                    // survey without targets reads its tenant's finest level.
                    allowed = Some(if targets.is_empty() {
                        quartier_choices(&state.db, &Viewer::anonymous(), s)
                            .await?
                            .iter()
                            .map(|a| i64::from(a.id))
                            .collect()
                    } else {
                        targets.clone()
                    });
                }
                if allowed.as_ref().is_some_and(|a| a.contains(id)) {
                    area = area.or(i32::try_from(*id).ok());
                } else {
                    problems.push((q.key.clone(), AnswerError::UnknownArea));
                }
            }
            (QuestionKind::MapPoint, Some(Answer::Point { lon, lat })) => {
                let inside = index.containing(*lon, *lat).any(|a| {
                    a.tenant_id == tenant && (targets.is_empty() || targets.contains(&a.area_id))
                });
                if !inside {
                    problems.push((q.key.clone(), AnswerError::UnknownArea));
                }
            }
            _ => {}
        }
    }
    if area.is_none() && s.areas.len() == 1 {
        area = s.areas.first().copied();
    }
    Ok((area, problems))
}

/// The place checks for some answers (one page of the plain form).
///
/// # Errors
/// Database errors; the problems are the value.
pub async fn check_places_of(
    state: &AppState,
    s: &Loaded,
    answers: &Answers,
) -> AppResult<Vec<(String, AnswerError)>> {
    Ok(check_places(state, s, answers).await?.1)
}

/// Checks answers the way a submission will (structure rules, then places), without storing.
/// The plain form uses it page by page.
///
/// # Errors
/// Database errors; the problems are the `Ok` value.
pub async fn check_answers(
    state: &AppState,
    s: &Loaded,
    answers: &Answers,
) -> AppResult<Result<(Answers, Option<i32>), Vec<(String, AnswerError)>>> {
    let kept = match s.survey.check_response(answers) {
        Ok(k) => k,
        Err(p) => return Ok(Err(p)),
    };
    let (area, problems) = check_places(state, s, &kept).await?;
    Ok(if problems.is_empty() {
        Ok((kept, area))
    } else {
        Err(problems)
    })
}

/// Whether the key was used before: `Some(Replay)` when it came with the same answers; a
/// refusal when it came with others (the first response stands).
pub(super) async fn replayed(
    db: &impl ConnectionTrait,
    survey_id: i32,
    key_hash: &str,
    body_hash: &str,
) -> AppResult<Option<Outcome>> {
    let found = survey_responses::Entity::find()
        .select_only()
        .column(survey_responses::Column::BodyHash)
        .filter(survey_responses::Column::SurveyId.eq(survey_id))
        .filter(survey_responses::Column::IdemKey.eq(key_hash))
        .into_tuple::<Option<String>>()
        .one(db)
        .await?;
    match found {
        None => Ok(None),
        // Responses stored before bodies were hashed answer as replays.
        Some(Some(stored)) if stored != body_hash => Err(Refusal::KeyReused.into()),
        Some(_) => Ok(Some(Outcome::Replay)),
    }
}

pub(super) fn unique_violation(e: &sea_orm::DbErr) -> bool {
    matches!(e.sql_err(), Some(SqlErr::UniqueConstraintViolation(_)))
}

/// A survey to answer: from the record cache, else read and kept. `true` when it came from
/// the cache (it may be stale; the write checks it).
async fn survey_to_answer(
    state: &AppState,
    viewer: &Viewer,
    id: i32,
) -> AppResult<(Arc<Loaded>, bool)> {
    if let Some(s) = state.mem.records.get::<Loaded>(RECORD_KIND, id) {
        if may_see(viewer, &s.row) {
            return Ok((s, true));
        }
    }
    Ok((fresh_survey(state, viewer, id).await?, false))
}

/// The survey read again (and kept for the next response).
async fn fresh_survey(state: &AppState, viewer: &Viewer, id: i32) -> AppResult<Arc<Loaded>> {
    state.mem.records.forget(RECORD_KIND, id);
    let s = Arc::new(load(&state.db, viewer, id).await?);
    state.mem.records.put(RECORD_KIND, id, Arc::clone(&s));
    Ok(s)
}

const RECORD_KIND: &str = "survey";

/// What one attempt came to.
enum Attempt {
    Done(Outcome),
    /// The survey changed since it was read.
    Stale,
    /// An expired ballot was removed: try again.
    Again,
}

/// Stores one response, exactly once per idempotency key.
///
/// The survey is read from the record cache; its checks (open, honeypot, rate limit, access,
/// answers) run on it, and the write requires it unchanged (else it is read again and the
/// response checked again). The key's uniqueness decides about replays: a replay is answered
/// as one whatever changed since (the survey may have closed while the phone was offline, and
/// the response was accepted then), so a refusal is given only after looking for the key. Code,
/// ballot, response and free texts are written together.
///
/// # Errors
/// `Survey(..)` refusals, `RateLimited`, `Validation` for a malformed key, `Conflict` when the
/// survey changed twice while answering, database errors.
pub async fn submit(state: &AppState, sub: Submission<'_>) -> AppResult<Outcome> {
    if !good_idem_key(sub.key) {
        return Err(bad(
            "der Idempotenzschlüssel muss 16 bis 128 sichtbare ASCII-Zeichen haben",
        ));
    }
    let key_hash = hash("qn-survey-key", &format!("{}:{}", sub.survey_id, sub.key));
    let body_hash = hash("qn-survey-body", &to_json(&sub.answers)?);
    let replay = || replayed(&state.db, sub.survey_id, &key_hash, &body_hash);
    let (mut s, mut cached) = match survey_to_answer(state, sub.viewer, sub.survey_id).await {
        Ok(found) => found,
        Err(e) => return replay().await?.ok_or(e),
    };
    for _ in 0..3 {
        match attempt(state, &sub, &s, &key_hash, &body_hash).await {
            Ok(Attempt::Done(outcome)) => return Ok(outcome),
            Ok(Attempt::Again) => {}
            Ok(Attempt::Stale) => {
                s = fresh_survey(state, sub.viewer, sub.survey_id).await?;
                cached = false;
            }
            Err(e) if matches!(e, AppError::Survey(_) | AppError::RateLimited) => {
                if let Some(outcome) = replay().await? {
                    return Ok(outcome);
                }
                // A refusal on a cached survey stands only if the survey is still as read.
                if !cached {
                    return Err(e);
                }
                let now = fresh_survey(state, sub.viewer, sub.survey_id).await?;
                if now.row.updated_at == s.row.updated_at {
                    return Err(e);
                }
                (s, cached) = (now, false);
            }
            Err(e) => return Err(e),
        }
    }
    Err(AppError::Conflict(
        "die Umfrage wurde beim Absenden geändert; bitte noch einmal senden".into(),
    ))
}

/// One try at storing the response on the survey as read.
async fn attempt(
    state: &AppState,
    sub: &Submission<'_>,
    s: &Loaded,
    key_hash: &str,
    body_hash: &str,
) -> AppResult<Attempt> {
    accepting(&s.row.status, s.row.opens_at, s.row.closes_at, Utc::now())?;
    if sub.honeypot.is_some_and(|h| !h.trim().is_empty()) {
        return Ok(Attempt::Done(Outcome::Discarded));
    }
    if state.mem.limits.survey_responses.is_blocked(&[sub.client]) {
        return Err(AppError::RateLimited);
    }
    let access = s.access();
    let user_id = sub.viewer.account_id();
    if access == Access::Residents
        && (user_id.is_none()
            || !sub
                .viewer
                .memberships
                .iter()
                .any(|(t, _)| *t == s.row.tenant_id))
    {
        return Err(Refusal::AccountRequired.into());
    }
    let code = match (
        access,
        sub.code.map(normalise_code).filter(|c| !c.is_empty()),
    ) {
        (Access::Codes, None) => return Err(Refusal::CodeRequired.into()),
        (Access::Codes, Some(c)) => Some(c),
        _ => None,
    };
    let (answers, area) = check_answers(state, s, &sub.answers)
        .await?
        .map_err(Refusal::Answers)?;
    let language = if s.texts.0.contains_key(sub.language) {
        sub.language
    } else {
        qn_domain::surveys::texts::BASE_LANGUAGE
    };
    state
        .mem
        .limits
        .survey_responses
        .record_failure(&[sub.client]);

    let now = Utc::now();
    let ballot = match (access, user_id, sub.device) {
        (Access::Codes, ..) => None,
        (_, Some(u), _) => Some(storing::Ballot {
            user: Some(u),
            device: None,
            expires: None,
        }),
        (Access::Public, None, Some(d)) => {
            let limit = now + Duration::days(BALLOT_DAYS);
            Some(storing::Ballot {
                user: None,
                device: Some(hash("qn-survey-device", &format!("{}:{d}", s.row.id))),
                expires: Some(s.row.closes_at.map_or(limit, |c| Ord::min(c, limit))),
            })
        }
        _ => None,
    };
    let texts = s
        .survey
        .questions()
        .filter(|q| {
            matches!(
                q.kind,
                QuestionKind::FreeText { .. } | QuestionKind::MultipleChoice { other: true, .. }
            )
        })
        .filter_map(|q| match answers.get(&q.key)? {
            Answer::Text(t) => Some((q.key.clone(), t.clone())),
            Answer::Choices { other: Some(o), .. } => Some((q.key.clone(), o.clone())),
            _ => None,
        })
        .collect();
    let record = storing::Record {
        survey: &s.row,
        code_hash: code.as_ref().map(|c| code_hash(s.row.id, c)),
        ballot,
        key_hash,
        body_hash,
        area,
        language,
        answers: to_json(&answers)?,
        submitted_on: now.date_naive(),
        texts,
    };
    let device = record.ballot.as_ref().and_then(|b| b.device.clone());
    match storing::write(state, &record).await? {
        storing::Written::Stored => Ok(Attempt::Done(Outcome::Stored)),
        storing::Written::Stale => Ok(Attempt::Stale),
        storing::Written::CodeUsed => {
            // A replay that raced this one used the code: answer as a replay.
            if let Some(replay) = replayed(&state.db, s.row.id, key_hash, body_hash).await? {
                return Ok(Attempt::Done(replay));
            }
            if let Some(c) = &code {
                check_code(&state.db, s.row.id, c).await?;
            }
            Err(Refusal::CodeUsed.into())
        }
        storing::Written::Taken => {
            // The same key won: a replay, unless it brought other answers.
            if let Some(replay) = replayed(&state.db, s.row.id, key_hash, body_hash).await? {
                return Ok(Attempt::Done(replay));
            }
            // Else the ballot: an expired one of a device does not count.
            if let Some(d) = device {
                let removed = survey_ballots::Entity::delete_many()
                    .filter(survey_ballots::Column::SurveyId.eq(s.row.id))
                    .filter(survey_ballots::Column::DeviceHash.eq(d))
                    .filter(survey_ballots::Column::ExpiresAt.lt(now))
                    .exec(&state.db)
                    .await?;
                if removed.rows_affected > 0 {
                    return Ok(Attempt::Again);
                }
            }
            Err(Refusal::AlreadyAnswered.into())
        }
    }
}

/// The ballot of this account (or, on a public survey, device), if one is stored.
pub(super) fn ballot_filter(
    s: &Loaded,
    viewer: &Viewer,
    device: Option<&str>,
) -> Option<sea_orm::Condition> {
    let user_id = viewer.account_id();
    match (s.access(), user_id, device) {
        (Access::Codes, ..) => None,
        (_, Some(u), _) => {
            Some(sea_orm::Condition::all().add(survey_ballots::Column::UserId.eq(u)))
        }
        (Access::Public, None, Some(d)) => Some(
            sea_orm::Condition::all().add(
                survey_ballots::Column::DeviceHash
                    .eq(hash("qn-survey-device", &format!("{}:{d}", s.row.id))),
            ),
        ),
        _ => None,
    }
}

/// Whether this account or device has already answered the survey.
///
/// # Errors
/// Database errors.
pub async fn has_ballot(
    db: &impl ConnectionTrait,
    s: &Loaded,
    viewer: &Viewer,
    device: Option<&str>,
) -> AppResult<bool> {
    let Some(filter) = ballot_filter(s, viewer, device) else {
        return Ok(false);
    };
    let found = survey_ballots::Entity::find()
        .filter(survey_ballots::Column::SurveyId.eq(s.row.id))
        .filter(filter)
        .one(db)
        .await?;
    Ok(found.is_some_and(|b| b.expires_at.is_none_or(|e| e > Utc::now())))
}
