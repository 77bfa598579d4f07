//! Drafts of the plain form, kept on the server between its pages.

use super::*;

/// What the plain HTML form has collected so far, kept on the server between pages.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct Draft {
    pub answers: Answers,
    pub language: String,
    pub code: Option<String>,
    /// The fields of a page that had problems, to show them again with the problems.
    pub pending: Option<Pending>,
    /// A builder walking through a draft: nothing is stored at the end.
    #[serde(default)]
    pub preview: bool,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct Pending {
    pub section: usize,
    pub fields: Vec<(String, String)>,
    /// Question key → error code.
    pub problems: Vec<(String, String)>,
}

pub(super) fn draft_hash(token: &str) -> String {
    hash("qn-survey-draft", token)
}

/// The draft behind a draft cookie, if it has not expired.
///
/// # Errors
/// Database errors.
pub async fn draft(
    db: &impl ConnectionTrait,
    survey_id: i32,
    token: &str,
) -> AppResult<Option<Draft>> {
    let row = survey_drafts::Entity::find_by_id(draft_hash(token))
        .one(db)
        .await?
        .filter(|d| d.survey_id == survey_id && d.expires_at > Utc::now());
    Ok(row.and_then(|d| serde_json::from_str(&d.data).ok()))
}

/// Saves a draft (and removes expired ones of any survey, a few at a time).
///
/// # Errors
/// Database errors.
pub async fn save_draft(
    db: &impl ConnectionTrait,
    survey_id: i32,
    token: &str,
    draft: &Draft,
) -> AppResult<()> {
    let now = Utc::now();
    survey_drafts::Entity::delete_many()
        .filter(survey_drafts::Column::ExpiresAt.lt(now))
        .exec(db)
        .await?;
    let model = survey_drafts::ActiveModel {
        token_hash: Set(draft_hash(token)),
        survey_id: Set(survey_id),
        data: Set(to_json(draft)?),
        expires_at: Set(now + Duration::hours(DRAFT_HOURS)),
    };
    let exists = survey_drafts::Entity::find_by_id(draft_hash(token))
        .one(db)
        .await?
        .is_some();
    if exists {
        model.update(db).await?;
    } else {
        model.insert(db).await?;
    }
    Ok(())
}

/// Removes a draft (after the response is stored).
///
/// # Errors
/// Database errors.
pub async fn delete_draft(db: &impl ConnectionTrait, token: &str) -> AppResult<()> {
    survey_drafts::Entity::delete_by_id(draft_hash(token))
        .exec(db)
        .await?;
    Ok(())
}
