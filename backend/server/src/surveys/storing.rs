//! Writing one response: its ballot, the response and its free texts at once, on the survey as
//! it was read. The survey comes from a cache (`Memory::records`), so every write requires the
//! survey's `updated_at` it was read with; a survey changed meanwhile writes nothing and is read
//! again. The duplicate check is the unique keys (idempotency key, ballot), not a prior read.
//!
//! PostgreSQL without codes: one statement (a CTE), one round trip, its own transaction.
//! Otherwise one transaction of two to four statements; on SQLite responses queue for the one
//! writer in the process (`Memory::sqlite_writer`) instead of polling SQLite's busy handler.

use super::*;
use sea_orm::sea_query::{Alias, Query};
use sea_orm::{DbBackend, DbErr, Statement, Value};

/// What one response writes.
pub(super) struct Record<'a> {
    pub survey: &'a SurveyRow,
    /// The one-time code's hash, to be used up with the response.
    pub code_hash: Option<String>,
    /// The account or device that has now answered, with its expiry (devices only).
    pub ballot: Option<Ballot>,
    pub key_hash: &'a str,
    pub body_hash: &'a str,
    pub area: Option<i32>,
    pub language: &'a str,
    pub answers: String,
    pub submitted_on: chrono::NaiveDate,
    /// Free texts for moderation: question key and text.
    pub texts: Vec<(String, String)>,
}

pub(super) struct Ballot {
    pub user: Option<i32>,
    pub device: Option<String>,
    pub expires: Option<DateTime<Utc>>,
}

pub(super) enum Written {
    Stored,
    /// The survey changed since it was read: nothing written.
    Stale,
    /// The key or the ballot exists already: nothing written.
    Taken,
    /// The code was used meanwhile: nothing written.
    CodeUsed,
}

/// Writes the response, or nothing.
///
/// # Errors
/// Database errors other than a taken key or ballot.
pub(super) async fn write(state: &AppState, r: &Record<'_>) -> AppResult<Written> {
    let result = if state.db.get_database_backend() == DbBackend::Postgres && r.code_hash.is_none()
    {
        in_one_statement(&state.db, r).await
    } else {
        in_a_transaction(state, r).await
    };
    match result {
        Err(e) if unique_violation(&e) => Ok(Written::Taken),
        other => Ok(other?),
    }
}

/// PostgreSQL: ballot, response and free texts in one CTE; all of it or nothing.
async fn in_one_statement(db: &impl ConnectionTrait, r: &Record<'_>) -> Result<Written, DbErr> {
    let mut values: Vec<Value> = vec![
        r.survey.id.into(),
        r.survey.updated_at.into(),
        r.survey.tenant_id.into(),
        r.key_hash.into(),
        r.area.into(),
        r.language.into(),
        r.answers.clone().into(),
        r.submitted_on.into(),
        r.body_hash.into(),
    ];
    let mut sql = String::from(
        "WITH s AS (SELECT id FROM surveys WHERE id = $1 AND updated_at = $2::timestamptz), \
         r AS (INSERT INTO survey_responses \
           (survey_id, tenant_id, idem_key, area_id, language, answers, submitted_on, body_hash) \
           SELECT id, $3, $4, $5::int4, $6, $7, $8::date, $9 FROM s RETURNING id)",
    );
    if let Some(b) = &r.ballot {
        values.extend([b.user.into(), b.device.clone().into(), b.expires.into()]);
        let n = values.len();
        sql.push_str(&format!(
            ", b AS (INSERT INTO survey_ballots (survey_id, user_id, device_hash, expires_at) \
             SELECT id, ${}::int4, ${}, ${}::timestamptz FROM s)",
            n - 2,
            n - 1,
            n
        ));
    }
    if !r.texts.is_empty() {
        let texts: Vec<serde_json::Value> = r
            .texts
            .iter()
            .map(|(q, b)| serde_json::json!({"q": q, "b": b}))
            .collect();
        values.push(serde_json::Value::Array(texts).to_string().into());
        sql.push_str(&format!(
            ", t AS (INSERT INTO survey_free_texts (survey_id, response_id, question, body, status) \
             SELECT $1, r.id, x.q, x.b, 'pending' FROM r, json_to_recordset(${}::json) AS x(q text, b text))",
            values.len()
        ));
    }
    sql.push_str(" SELECT CAST(count(*) AS BIGINT) AS n FROM r");
    let row = db
        .query_one_raw(Statement::from_sql_and_values(
            DbBackend::Postgres,
            sql,
            values,
        ))
        .await?;
    let stored = row.map(|r| r.try_get::<i64>("", "n")).transpose()?;
    Ok(if stored == Some(1) {
        Written::Stored
    } else {
        Written::Stale
    })
}

/// SQLite, and code surveys on PostgreSQL: one transaction, rolled back at once (not when
/// dropped) unless stored, so the next writer does not wait for it.
async fn in_a_transaction(state: &AppState, r: &Record<'_>) -> Result<Written, DbErr> {
    let db = &state.db;
    let _turn = if db.get_database_backend() == DbBackend::Sqlite {
        Some(state.mem.sqlite_writer.lock().await)
    } else {
        None
    };
    let txn = crate::kernel::db::write_txn(db).await?;
    match statements(&txn, r).await {
        Ok(Written::Stored) => {
            txn.commit().await?;
            Ok(Written::Stored)
        }
        Ok(other) => {
            txn.rollback().await?;
            Ok(other)
        }
        Err(e) => {
            let _ = txn.rollback().await;
            Err(e)
        }
    }
}

async fn statements(txn: &impl ConnectionTrait, r: &Record<'_>) -> Result<Written, DbErr> {
    let id = r.survey.id;
    if let Some(c) = &r.code_hash {
        let used = survey_codes::Entity::update_many()
            .col_expr(survey_codes::Column::UsedAt, Expr::value(Utc::now()))
            .filter(survey_codes::Column::SurveyId.eq(id))
            .filter(survey_codes::Column::CodeHash.eq(c.as_str()))
            .filter(survey_codes::Column::UsedAt.is_null())
            .exec(txn)
            .await?;
        if used.rows_affected == 0 {
            return Ok(Written::CodeUsed);
        }
    }
    if let Some(b) = &r.ballot {
        survey_ballots::Entity::insert(survey_ballots::ActiveModel {
            survey_id: Set(id),
            user_id: Set(b.user),
            device_hash: Set(b.device.clone()),
            expires_at: Set(b.expires),
            ..Default::default()
        })
        .exec_without_returning(txn)
        .await?;
    }
    // The response, if the survey is still as it was read.
    let guard = Query::select()
        .exprs([
            Expr::col(surveys::Column::Id),
            Expr::val(r.survey.tenant_id),
            Expr::val(r.key_hash),
            Expr::val(r.area),
            Expr::val(r.language),
            Expr::val(r.answers.as_str()),
            Expr::val(r.submitted_on),
            Expr::val(r.body_hash),
        ])
        .from(surveys::Entity)
        .and_where(surveys::Column::Id.eq(id))
        .and_where(surveys::Column::UpdatedAt.eq(r.survey.updated_at))
        .to_owned();
    let insert = Query::insert()
        .into_table(survey_responses::Entity)
        .columns([
            survey_responses::Column::SurveyId,
            survey_responses::Column::TenantId,
            survey_responses::Column::IdemKey,
            survey_responses::Column::AreaId,
            survey_responses::Column::Language,
            survey_responses::Column::Answers,
            survey_responses::Column::SubmittedOn,
            survey_responses::Column::BodyHash,
        ])
        .select_from(guard)
        .map_err(|e| DbErr::Custom(e.to_string()))?
        .returning(Query::returning().column(Alias::new("id")))
        .to_owned();
    let Some(row) = txn.query_one(&insert).await? else {
        return Ok(Written::Stale);
    };
    let response_id: i32 = row.try_get("", "id")?;
    if !r.texts.is_empty() {
        survey_free_texts::Entity::insert_many(r.texts.iter().map(|(q, b)| {
            survey_free_texts::ActiveModel {
                survey_id: Set(id),
                response_id: Set(response_id),
                question: Set(q.clone()),
                body: Set(b.clone()),
                status: Set("pending".into()),
                reviewed_by: Set(None),
                reviewed_at: Set(None),
                ..Default::default()
            }
        }))
        .exec_without_returning(txn)
        .await?;
    }
    Ok(Written::Stored)
}
