//! The mail outbox: mails are written in the same transaction as what caused them and sent by a
//! background worker, by SMTP when `QN_SMTP_URL` is set, otherwise written to the log.

use crate::kernel::error::AppResult;
use crate::kernel::settings::Settings;
use chrono::Utc;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter,
    QueryOrder, QuerySelect, Set,
};

pub mod entity {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
    #[sea_orm(table_name = "outbox")]
    pub struct Model {
        #[sea_orm(primary_key)]
        pub id: i32,
        pub recipient: String,
        pub subject: String,
        pub body: String,
        pub created_at: DateTimeUtc,
        pub sent_at: Option<DateTimeUtc>,
        pub attempts: i32,
        pub last_error: Option<String>,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

const MAX_ATTEMPTS: i32 = 5;

/// How long the record of a mail (recipient, subject; the body too without SMTP) is kept:
/// long enough to answer "did the reminder go out?", not longer (data minimisation).
pub const KEEP_DAYS: i64 = 30;

/// Deletes the records of mails created more than [`KEEP_DAYS`] ago, sent or given up.
///
/// # Errors
/// Database errors.
pub async fn purge_old(db: &impl ConnectionTrait) -> AppResult<u64> {
    let r = entity::Entity::delete_many()
        .filter(entity::Column::CreatedAt.lt(Utc::now() - chrono::Duration::days(KEEP_DAYS)))
        .filter(
            sea_orm::Condition::any()
                .add(entity::Column::SentAt.is_not_null())
                .add(entity::Column::Attempts.gte(MAX_ATTEMPTS)),
        )
        .exec(db)
        .await?;
    Ok(r.rows_affected)
}

/// # Errors
/// Database errors.
pub async fn enqueue(
    db: &impl ConnectionTrait,
    to: &str,
    subject: &str,
    body: &str,
) -> AppResult<()> {
    entity::ActiveModel {
        recipient: Set(to.to_owned()),
        subject: Set(subject.to_owned()),
        body: Set(body.to_owned()),
        created_at: Set(Utc::now()),
        sent_at: Set(None),
        attempts: Set(0),
        last_error: Set(None),
        ..Default::default()
    }
    .insert(db)
    .await?;
    Ok(())
}

enum Transport {
    Log,
    Smtp(lettre::AsyncSmtpTransport<lettre::Tokio1Executor>),
}

impl Transport {
    fn from_settings(settings: &Settings) -> Result<Self, String> {
        match &settings.smtp_url {
            None => Ok(Self::Log),
            Some(url) => lettre::AsyncSmtpTransport::<lettre::Tokio1Executor>::from_url(url)
                .map(|b| Self::Smtp(b.build()))
                .map_err(|e| e.to_string()),
        }
    }

    async fn send(&self, from: &str, m: &entity::Model) -> Result<(), String> {
        match self {
            Self::Log => {
                tracing::info!(to = %m.recipient, subject = %m.subject, body = %m.body, "mail (not sent: no QN_SMTP_URL)");
                Ok(())
            }
            Self::Smtp(t) => {
                use lettre::AsyncTransport;
                let msg = lettre::Message::builder()
                    .from(
                        from.parse()
                            .map_err(|e: lettre::address::AddressError| e.to_string())?,
                    )
                    .to(m
                        .recipient
                        .parse()
                        .map_err(|e: lettre::address::AddressError| e.to_string())?)
                    .subject(m.subject.clone())
                    .header(lettre::message::header::ContentType::TEXT_PLAIN)
                    .body(m.body.clone())
                    .map_err(|e| e.to_string())?;
                t.send(msg).await.map(|_| ()).map_err(|e| e.to_string())
            }
        }
    }
}

/// Sends what is due once; returns how many mails went out.
///
/// # Errors
/// Database errors (send failures are recorded on the mail and retried later).
pub async fn deliver_due(db: &DatabaseConnection, settings: &Settings) -> AppResult<usize> {
    let transport = Transport::from_settings(settings)
        .map_err(|e| crate::kernel::error::AppError::Internal(e.into()))?;
    let due = entity::Entity::find()
        .filter(entity::Column::SentAt.is_null())
        .filter(entity::Column::Attempts.lt(MAX_ATTEMPTS))
        .order_by_asc(entity::Column::Id)
        .limit(50)
        .all(db)
        .await?;
    let mut sent = 0;
    for m in due {
        let result = transport.send(&settings.mail_from, &m).await;
        let mut am: entity::ActiveModel = m.clone().into();
        am.attempts = Set(m.attempts + 1);
        match result {
            Ok(()) => {
                am.sent_at = Set(Some(Utc::now()));
                // Mails can carry secrets (reset links): once sent by SMTP, only the envelope
                // is kept. (Without SMTP, in development, the log has them anyway.)
                if matches!(transport, Transport::Smtp(_)) {
                    am.body = Set(String::new());
                }
                sent += 1;
            }
            Err(e) => {
                tracing::warn!(id = m.id, error = %e, "mail delivery failed");
                am.last_error = Set(Some(e));
            }
        }
        am.update(db).await?;
    }
    Ok(sent)
}

/// Deletes the mails to an address, sent or waiting (its account is deleted).
///
/// # Errors
/// Database errors.
pub async fn forget_recipient(db: &impl ConnectionTrait, address: &str) -> AppResult<u64> {
    let r = entity::Entity::delete_many()
        .filter(entity::Column::Recipient.eq(address))
        .exec(db)
        .await?;
    Ok(r.rows_affected)
}
