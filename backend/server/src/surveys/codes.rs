//! One-time access codes: generated, counted, checked.

use super::*;

/// Letters without 0/O, 1/I/L, 5/S, 2/Z: read off paper and typed on a phone.
pub(super) const CODE_ALPHABET: &[u8] = b"ABCDEFGHJKMNPQRTUVWXY346789";

/// A code as people type it: letters upper case, spaces and dashes dropped.
pub fn normalise_code(code: &str) -> String {
    code.chars()
        .filter(|c| c.is_ascii_alphanumeric())
        .map(|c| c.to_ascii_uppercase())
        .collect()
}

pub(super) fn code_hash(survey_id: i32, code: &str) -> String {
    hash(
        "qn-survey-code",
        &format!("{survey_id}:{}", normalise_code(code)),
    )
}

/// Makes `count` one-time codes (`XXXX-XXXX`, about 38 bits each). They are shown once and
/// stored only hashed.
///
/// # Errors
/// `Forbidden`, `NotFound`, a count out of range, database errors.
pub async fn generate_codes(
    db: &sea_orm::DatabaseConnection,
    viewer: &Viewer,
    id: i32,
    count: usize,
) -> AppResult<Vec<String>> {
    use rand::Rng;
    let txn = crate::kernel::db::write_txn(db).await?;
    let s = load(&txn, viewer, id).await?;
    viewer.require(s.row.tenant_id, Can::ManageSurveys)?;
    if count == 0 || count > CODES_MAX {
        return Err(bad(format!("zwischen 1 und {CODES_MAX} Codes")));
    }
    let mut rng = rand::rngs::OsRng;
    let mut seen = HashSet::new();
    let mut codes = Vec::with_capacity(count);
    while codes.len() < count {
        let raw: String = (0..8)
            .map(|_| char::from(CODE_ALPHABET[rng.gen_range(0..CODE_ALPHABET.len())]))
            .collect();
        if seen.insert(raw.clone()) {
            codes.push(format!("{}-{}", &raw[..4], &raw[4..]));
        }
    }
    let now = Utc::now();
    for chunk in codes.chunks(500) {
        survey_codes::Entity::insert_many(chunk.iter().map(|c| survey_codes::ActiveModel {
            survey_id: Set(id),
            code_hash: Set(code_hash(id, c)),
            used_at: Set(None),
            created_at: Set(now),
            ..Default::default()
        }))
        .exec(&txn)
        .await?;
    }
    audit::record(
        &txn,
        s.row.tenant_id,
        viewer,
        "survey_codes",
        &format!("survey:{id}"),
        &format!("{count} Codes"),
    )
    .await?;
    txn.commit().await?;
    Ok(codes)
}

/// How many codes a survey has and how many are used.
///
/// # Errors
/// Database errors.
pub async fn code_counts(db: &impl ConnectionTrait, id: i32) -> AppResult<(u64, u64)> {
    let all = survey_codes::Entity::find()
        .filter(survey_codes::Column::SurveyId.eq(id))
        .count(db)
        .await?;
    let used = survey_codes::Entity::find()
        .filter(survey_codes::Column::SurveyId.eq(id))
        .filter(survey_codes::Column::UsedAt.is_not_null())
        .count(db)
        .await?;
    Ok((all, used))
}

/// Checks a code without using it (the start page of a code survey).
///
/// # Errors
/// `CODE_UNKNOWN`, `CODE_USED`, database errors.
pub async fn check_code(db: &impl ConnectionTrait, survey_id: i32, code: &str) -> AppResult<()> {
    let found = survey_codes::Entity::find()
        .filter(survey_codes::Column::SurveyId.eq(survey_id))
        .filter(survey_codes::Column::CodeHash.eq(code_hash(survey_id, code)))
        .one(db)
        .await?;
    match found {
        None => Err(Refusal::CodeUnknown.into()),
        Some(c) if c.used_at.is_some() => Err(Refusal::CodeUsed.into()),
        Some(_) => Ok(()),
    }
}
