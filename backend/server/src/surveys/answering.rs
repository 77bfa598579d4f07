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

/// Stores one response, exactly once per idempotency key.
///
/// Order: a replay is answered first (whatever changed since: the survey may have closed
/// while the phone was offline, and the response was accepted then); then the survey must
/// accept answers, the honeypot be empty, the rate limit allow, the access mode be met, and
/// the answers fit. Code, ballot, response and free texts are written in one transaction.
///
/// # Errors
/// `Survey(..)` refusals, `RateLimited`, `Validation` for a malformed key, database errors.
pub async fn submit(state: &AppState, sub: Submission<'_>) -> AppResult<Outcome> {
    let db = &state.db;
    if !good_idem_key(sub.key) {
        return Err(bad(
            "der Idempotenzschlüssel muss 16 bis 128 sichtbare ASCII-Zeichen haben",
        ));
    }
    let key_hash = hash("qn-survey-key", &format!("{}:{}", sub.survey_id, sub.key));
    let body_hash = hash("qn-survey-body", &to_json(&sub.answers)?);
    if let Some(replay) = replayed(db, sub.survey_id, &key_hash, &body_hash).await? {
        return Ok(replay);
    }
    let s = load(db, sub.viewer, sub.survey_id).await?;
    accepting(&s.row.status, s.row.opens_at, s.row.closes_at, Utc::now())?;
    if sub.honeypot.is_some_and(|h| !h.trim().is_empty()) {
        return Ok(Outcome::Discarded);
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
    let (answers, area) = check_answers(state, &s, &sub.answers)
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
    let txn = crate::kernel::db::write_txn(db).await?;
    if let Some(c) = &code {
        let used = survey_codes::Entity::update_many()
            .col_expr(survey_codes::Column::UsedAt, Expr::value(now))
            .filter(survey_codes::Column::SurveyId.eq(s.row.id))
            .filter(survey_codes::Column::CodeHash.eq(code_hash(s.row.id, c)))
            .filter(survey_codes::Column::UsedAt.is_null())
            .exec(&txn)
            .await?;
        if used.rows_affected == 0 {
            txn.rollback().await?;
            // A replay that raced this one used the code: answer as a replay.
            if let Some(replay) = replayed(db, s.row.id, &key_hash, &body_hash).await? {
                return Ok(replay);
            }
            check_code(db, s.row.id, c).await?;
            return Err(Refusal::CodeUsed.into());
        }
    }
    let ballot = match (access, user_id, sub.device) {
        (Access::Codes, ..) => None,
        (_, Some(u), _) => Some((Some(u), None)),
        (Access::Public, None, Some(d)) => Some((
            None,
            Some(hash("qn-survey-device", &format!("{}:{d}", s.row.id))),
        )),
        _ => None,
    };
    if let Some((user, device)) = ballot {
        let expires = (user.is_none()).then(|| {
            let limit = now + Duration::days(BALLOT_DAYS);
            s.row.closes_at.map_or(limit, |c| Ord::min(c, limit))
        });
        let inserted = survey_ballots::ActiveModel {
            survey_id: Set(s.row.id),
            user_id: Set(user),
            device_hash: Set(device.clone()),
            expires_at: Set(expires),
            ..Default::default()
        }
        .insert(&txn)
        .await;
        if let Err(e) = inserted {
            txn.rollback().await?;
            if !unique_violation(&e) {
                return Err(e.into());
            }
            if let Some(replay) = replayed(db, s.row.id, &key_hash, &body_hash).await? {
                return Ok(replay);
            }
            // An expired ballot of a device does not count.
            if let Some(d) = device {
                let removed = survey_ballots::Entity::delete_many()
                    .filter(survey_ballots::Column::SurveyId.eq(s.row.id))
                    .filter(survey_ballots::Column::DeviceHash.eq(d))
                    .filter(survey_ballots::Column::ExpiresAt.lt(now))
                    .exec(db)
                    .await?;
                if removed.rows_affected > 0 {
                    return Box::pin(submit(state, sub)).await;
                }
            }
            return Err(Refusal::AlreadyAnswered.into());
        }
    }
    let inserted = survey_responses::ActiveModel {
        survey_id: Set(s.row.id),
        tenant_id: Set(s.row.tenant_id),
        idem_key: Set(key_hash.clone()),
        area_id: Set(area),
        language: Set(language.to_owned()),
        answers: Set(to_json(&answers)?),
        submitted_on: Set(now.date_naive()),
        body_hash: Set(Some(body_hash.clone())),
        ..Default::default()
    }
    .insert(&txn)
    .await;
    let response = match inserted {
        Ok(r) => r,
        Err(e) if unique_violation(&e) => {
            txn.rollback().await?;
            // The same key won a race: a replay, unless it brought other answers.
            return Ok(replayed(db, s.row.id, &key_hash, &body_hash)
                .await?
                .unwrap_or(Outcome::Replay));
        }
        Err(e) => return Err(e.into()),
    };
    let texts: Vec<survey_free_texts::ActiveModel> = s
        .survey
        .questions()
        .filter(|q| {
            matches!(
                q.kind,
                QuestionKind::FreeText { .. } | QuestionKind::MultipleChoice { other: true, .. }
            )
        })
        .filter_map(|q| {
            let body = match answers.get(&q.key)? {
                Answer::Text(t) => t.clone(),
                Answer::Choices { other: Some(o), .. } => o.clone(),
                _ => return None,
            };
            Some(survey_free_texts::ActiveModel {
                survey_id: Set(s.row.id),
                response_id: Set(response.id),
                question: Set(q.key.clone()),
                body: Set(body),
                status: Set("pending".into()),
                reviewed_by: Set(None),
                reviewed_at: Set(None),
                ..Default::default()
            })
        })
        .collect();
    if !texts.is_empty() {
        survey_free_texts::Entity::insert_many(texts)
            .exec(&txn)
            .await?;
    }
    txn.commit().await?;
    Ok(Outcome::Stored)
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
