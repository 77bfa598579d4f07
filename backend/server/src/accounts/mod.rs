//! Registration, login with sessions, password reset, roles, and the viewer of a request.

pub mod entity;
pub mod members;
mod registration;
pub use registration::*;

use crate::kernel::error::{AppError, AppResult};
use crate::kernel::outbox;
use crate::kernel::state::AppState;
use crate::kernel::tokens::{random_token, token_hash};
pub use crate::kernel::viewer::{Person, Viewer};
use argon2::password_hash::{
    rand_core::OsRng, PasswordHash, PasswordHasher, PasswordVerifier, SaltString,
};
use argon2::Argon2;
use chrono::{Duration, Utc};
use entity::{memberships, password_resets, pending_registrations, sessions, users};
use qn_domain::accounts::{DisplayName, Email, Password};
use qn_domain::tenancy::Role;
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter, Set,
};

pub const SESSION_COOKIE: &str = "qn_session";
/// Reset mails per account and hour; more requests are answered the same way but send nothing.
const RESETS_PER_HOUR: u64 = 3;
const SESSION_DAYS: i64 = 14;
const RESET_MINUTES: i64 = 60;
/// How long a registration link stays valid.
const REGISTRATION_HOURS: i64 = 24;

/// Argon2id with the crate's defaults (19 MiB, 2 passes): OWASP's recommended minimum. It takes
/// tens of milliseconds of CPU, so it runs on the blocking pool, not on the async workers.
async fn hash_password(password: &Password) -> AppResult<String> {
    let password = password.expose().to_owned();
    tokio::task::spawn_blocking(move || {
        let salt = SaltString::generate(&mut OsRng);
        Argon2::default()
            .hash_password(password.as_bytes(), &salt)
            .map(|h| h.to_string())
            .map_err(|e| AppError::Internal(e.to_string().into()))
    })
    .await
    .map_err(AppError::internal)?
}

fn verify_password(password: &str, hash: &str) -> bool {
    PasswordHash::new(hash)
        .map(|h| {
            Argon2::default()
                .verify_password(password.as_bytes(), &h)
                .is_ok()
        })
        .unwrap_or(false)
}

/// A valid hash of a random password, verified against when the e-mail is unknown so that
/// the response time does not tell whether an account exists.
fn dummy_hash() -> &'static str {
    static DUMMY: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    DUMMY.get_or_init(|| {
        let salt = SaltString::generate(&mut OsRng);
        Argon2::default()
            .hash_password(random_token().as_bytes(), &salt)
            .map(|h| h.to_string())
            .unwrap_or_default()
    })
}

/// Gives a user a role in a tenant (idempotent).
///
/// # Errors
/// Database errors.
pub async fn grant(
    db: &impl ConnectionTrait,
    user_id: i32,
    tenant_id: i32,
    role: Role,
) -> AppResult<()> {
    let exists = memberships::Entity::find()
        .filter(memberships::Column::UserId.eq(user_id))
        .filter(memberships::Column::TenantId.eq(tenant_id))
        .filter(memberships::Column::Role.eq(role.as_str()))
        .one(db)
        .await?
        .is_some();
    if !exists {
        memberships::ActiveModel {
            user_id: Set(user_id),
            tenant_id: Set(tenant_id),
            role: Set(role.as_str().to_owned()),
            created_at: Set(Utc::now()),
            ..Default::default()
        }
        .insert(db)
        .await?;
    }
    Ok(())
}

/// # Errors
/// `NotFound` for an unknown address.
pub async fn user_by_email(db: &impl ConnectionTrait, email: &str) -> AppResult<users::Model> {
    let email = Email::parse(email)?;
    users::Entity::find()
        .filter(users::Column::Email.eq(email.as_str()))
        .one(db)
        .await?
        .ok_or(AppError::NotFound)
}

/// Checks the password and opens a session; returns the user and the session token for the
/// cookie. Failures are limited per e-mail address and, more generously (many people can share
/// one address, e.g. a town hall's network), per client address `client`.
///
/// # Errors
/// `RateLimited` after too many failures, `InvalidCredentials` for a wrong address or password.
pub async fn login(
    state: &AppState,
    email: &str,
    password: &str,
    client: &str,
) -> AppResult<(users::Model, String)> {
    let email_key = email.trim().to_lowercase();
    if state.mem.limits.logins_per_email.is_blocked(&[&email_key])
        || state.mem.limits.logins_per_client.is_blocked(&[client])
    {
        return Err(AppError::RateLimited);
    }
    // Counted before the slow check, so parallel guesses cannot slip past the limit;
    // forgiven below when the password was right.
    state
        .mem
        .limits
        .logins_per_email
        .record_failure(&[&email_key]);
    state.mem.limits.logins_per_client.record_failure(&[client]);
    let user = match Email::parse(email) {
        Ok(e) => {
            users::Entity::find()
                .filter(users::Column::Email.eq(e.as_str()))
                .one(&state.db)
                .await?
        }
        Err(_) => None,
    };
    let password = password.to_owned();
    let hash = user
        .as_ref()
        .map_or_else(|| dummy_hash().to_owned(), |u| u.password_hash.clone());
    // Argon2 takes tens of milliseconds of CPU: keep it off the async workers.
    let ok = tokio::task::spawn_blocking(move || verify_password(&password, &hash))
        .await
        .map_err(AppError::internal)?;
    match user {
        Some(user) if ok => {
            state.mem.limits.logins_per_email.clear(&email_key);
            state.mem.limits.logins_per_client.forgive_last(client);
            let token = open_session(&state.db, user.id).await?;
            Ok((user, token))
        }
        _ => Err(AppError::InvalidCredentials),
    }
}

async fn open_session(db: &impl ConnectionTrait, user_id: i32) -> AppResult<String> {
    let token = random_token();
    let now = Utc::now();
    sessions::ActiveModel {
        token_hash: Set(token_hash(&token)),
        user_id: Set(user_id),
        created_at: Set(now),
        expires_at: Set(now + Duration::days(SESSION_DAYS)),
        ..Default::default()
    }
    .insert(db)
    .await?;
    Ok(token)
}

/// Ends the session of this token (other sessions of the user stay).
///
/// # Errors
/// Database errors.
pub async fn logout(db: &impl ConnectionTrait, token: &str) -> AppResult<()> {
    sessions::Entity::delete_many()
        .filter(sessions::Column::TokenHash.eq(token_hash(token)))
        .exec(db)
        .await?;
    Ok(())
}

/// Resolves a session token to a viewer; unknown or expired tokens give an anonymous viewer.
///
/// # Errors
/// Database errors.
pub async fn viewer(db: &impl ConnectionTrait, token: Option<&str>) -> AppResult<Viewer> {
    let Some(token) = token else {
        return Ok(Viewer::anonymous());
    };
    let Some(session) = sessions::Entity::find()
        .filter(sessions::Column::TokenHash.eq(token_hash(token)))
        .filter(sessions::Column::ExpiresAt.gt(Utc::now()))
        .one(db)
        .await?
    else {
        return Ok(Viewer::anonymous());
    };
    let Some(user) = users::Entity::find_by_id(session.user_id).one(db).await? else {
        return Ok(Viewer::anonymous());
    };
    let memberships = memberships::Entity::find()
        .filter(memberships::Column::UserId.eq(user.id))
        .filter(memberships::Column::SuspendedAt.is_null())
        .all(db)
        .await?
        .into_iter()
        .filter_map(|m| m.role.parse::<Role>().ok().map(|r| (m.tenant_id, r)))
        .collect();
    Ok(Viewer {
        user: Some(person(user)),
        memberships,
    })
}

/// Sends a reset link if the address has an account. Always succeeds for valid addresses, so
/// the answer does not reveal who is registered.
///
/// # Errors
/// Validation error for a malformed address; database errors.
pub async fn request_password_reset(state: &AppState, email: &str) -> AppResult<()> {
    let email = Email::parse(email)?;
    let Some(user) = users::Entity::find()
        .filter(users::Column::Email.eq(email.as_str()))
        .one(&state.db)
        .await?
    else {
        return Ok(());
    };
    let now = Utc::now();
    let recent = password_resets::Entity::find()
        .filter(password_resets::Column::UserId.eq(user.id))
        .filter(password_resets::Column::CreatedAt.gt(now - Duration::hours(1)))
        .count(&state.db)
        .await?;
    if recent >= RESETS_PER_HOUR {
        tracing::warn!(user = user.id, "password reset requests throttled");
        return Ok(());
    }
    let token = random_token();
    let txn = crate::kernel::db::write_txn(&state.db).await?;
    password_resets::ActiveModel {
        token_hash: Set(token_hash(&token)),
        user_id: Set(user.id),
        created_at: Set(now),
        expires_at: Set(now + Duration::minutes(RESET_MINUTES)),
        used_at: Set(None),
        ..Default::default()
    }
    .insert(&txn)
    .await?;
    let link = format!(
        "{}/passwort-neu?token={token}",
        state.settings.public_url.trim_end_matches('/')
    );
    outbox::enqueue(
        &txn,
        &user.email,
        "Quartiersnetz: Passwort zurücksetzen",
        &format!(
            "Hallo {},\n\nüber diesen Link können Sie ein neues Passwort festlegen (gültig {RESET_MINUTES} Minuten):\n\n{link}\n\nWenn Sie das nicht angefordert haben, können Sie diese E-Mail ignorieren.\n",
            user.display_name
        ),
    )
    .await?;
    txn.commit().await?;
    state.mail_wakeup.notify_one();
    Ok(())
}

/// Sets a new password with a reset token; the token is used up and all sessions end.
///
/// # Errors
/// `InvalidToken` for unknown, used or expired tokens; validation errors for the password.
pub async fn reset_password(state: &AppState, token: &str, new_password: &str) -> AppResult<()> {
    let password = Password::parse(new_password)?;
    let txn = crate::kernel::db::write_txn(&state.db).await?;
    let reset = password_resets::Entity::find()
        .filter(password_resets::Column::TokenHash.eq(token_hash(token)))
        .one(&txn)
        .await?
        .filter(|r| r.used_at.is_none() && r.expires_at > Utc::now())
        .ok_or(AppError::InvalidToken)?;
    let hash = hash_password(&password).await?;
    let user_id = reset.user_id;
    // Conditional, so two concurrent requests cannot both use the token.
    let claimed = password_resets::Entity::update_many()
        .col_expr(
            password_resets::Column::UsedAt,
            sea_orm::sea_query::Expr::value(Utc::now()),
        )
        .filter(password_resets::Column::Id.eq(reset.id))
        .filter(password_resets::Column::UsedAt.is_null())
        .exec(&txn)
        .await?;
    if claimed.rows_affected != 1 {
        return Err(AppError::InvalidToken);
    }
    // Other links sent to this person stop working too.
    password_resets::Entity::delete_many()
        .filter(password_resets::Column::UserId.eq(user_id))
        .filter(password_resets::Column::Id.ne(reset.id))
        .exec(&txn)
        .await?;
    users::ActiveModel {
        id: Set(user_id),
        password_hash: Set(hash),
        ..Default::default()
    }
    .update(&txn)
    .await?;
    sessions::Entity::delete_many()
        .filter(sessions::Column::UserId.eq(user_id))
        .exec(&txn)
        .await?;
    txn.commit().await?;
    Ok(())
}

/// Deletes expired sessions and used or expired reset tokens; returns how many rows went.
///
/// # Errors
/// Database errors.
pub async fn purge_expired(db: &impl ConnectionTrait) -> AppResult<u64> {
    let now = Utc::now();
    let s = sessions::Entity::delete_many()
        .filter(sessions::Column::ExpiresAt.lte(now))
        .exec(db)
        .await?;
    let r = password_resets::Entity::delete_many()
        .filter(
            sea_orm::Condition::any()
                .add(password_resets::Column::ExpiresAt.lte(now))
                .add(password_resets::Column::UsedAt.is_not_null()),
        )
        .exec(db)
        .await?;
    let p = pending_registrations::Entity::delete_many()
        .filter(pending_registrations::Column::ExpiresAt.lte(now))
        .exec(db)
        .await?;
    let i = entity::invitations::Entity::delete_many()
        .filter(entity::invitations::Column::ExpiresAt.lte(now))
        .exec(db)
        .await?;
    Ok(s.rows_affected + r.rows_affected + p.rows_affected + i.rows_affected)
}

/// The signed-in person, after checking their password once more (before a deletion).
///
/// # Errors
/// `Unauthenticated` without a person (or for the installation itself); `InvalidCredentials`
/// for a wrong password.
pub async fn check_password_again(
    db: &impl ConnectionTrait,
    viewer: &Viewer,
    password: &str,
) -> AppResult<Person> {
    let person = viewer.account_holder().ok_or(AppError::Unauthenticated)?;
    let user = users::Entity::find_by_id(person.id)
        .one(db)
        .await?
        .ok_or(AppError::Unauthenticated)?;
    let hash = user.password_hash;
    let password = password.to_owned();
    let ok = tokio::task::spawn_blocking(move || verify_password(&password, &hash))
        .await
        .map_err(AppError::internal)?;
    if ok {
        Ok(person.clone())
    } else {
        Err(AppError::InvalidCredentials)
    }
}

/// Deletes an account (see `flows::account::delete` for what goes with it). Foreign keys
/// cascade to memberships, sessions, reset tokens, follows, survey ballots and actor
/// memberships; invitations the person sent stay valid for the invitee but no longer name who
/// sent them.
///
/// # Errors
/// Database errors.
pub async fn delete_user(db: &impl ConnectionTrait, user_id: i32) -> AppResult<()> {
    entity::invitations::Entity::update_many()
        .col_expr(
            entity::invitations::Column::InvitedBy,
            Expr::value(Option::<i32>::None),
        )
        .filter(entity::invitations::Column::InvitedBy.eq(user_id))
        .exec(db)
        .await?;
    users::Entity::delete_by_id(user_id).exec(db).await?;
    Ok(())
}

/// Stores a new display name (see `flows::account::rename`).
///
/// # Errors
/// Database errors.
pub async fn set_display_name(
    db: &impl ConnectionTrait,
    user_id: i32,
    name: &DisplayName,
) -> AppResult<()> {
    users::Entity::update_many()
        .col_expr(users::Column::DisplayName, Expr::value(name.as_str()))
        .filter(users::Column::Id.eq(user_id))
        .exec(db)
        .await?;
    Ok(())
}

/// The person behind a stored account.
pub fn person(user: users::Model) -> Person {
    Person {
        id: user.id,
        email: user.email,
        display_name: user.display_name,
    }
}

/// Reads the session token from a `Cookie` header.
pub fn session_token(cookie_header: Option<&str>) -> Option<String> {
    cookie_header?.split(';').find_map(|c| {
        let (k, v) = c.trim().split_once('=')?;
        (k == SESSION_COOKIE && !v.is_empty()).then(|| v.to_owned())
    })
}

/// The `Set-Cookie` value for a new session (or, with `None`, one that removes it).
pub fn session_cookie(token: Option<&str>, secure: bool) -> String {
    let secure = if secure { "; Secure" } else { "" };
    match token {
        Some(t) => format!(
            "{SESSION_COOKIE}={t}; Path=/; HttpOnly; SameSite=Lax; Max-Age={}{secure}",
            SESSION_DAYS * 24 * 3600
        ),
        None => format!("{SESSION_COOKIE}=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0{secure}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cookies() {
        assert_eq!(
            session_token(Some("a=1; qn_session=abc; b=2")).as_deref(),
            Some("abc")
        );
        assert_eq!(session_token(Some("qn_session=")), None);
        assert_eq!(session_token(None), None);
        let c = session_cookie(Some("t"), true);
        assert!(c.contains("HttpOnly") && c.contains("SameSite=Lax") && c.ends_with("; Secure"));
        assert!(!session_cookie(Some("t"), false).contains("Secure"));
        assert!(session_cookie(None, false).contains("Max-Age=0"));
    }

    #[tokio::test]
    async fn passwords_hash_and_verify() {
        let p = Password::parse("ein gutes Passwort").expect("valid");
        let h = hash_password(&p).await.expect("hash");
        assert!(h.starts_with("$argon2id$"));
        assert!(verify_password("ein gutes Passwort", &h));
        assert!(!verify_password("ein anderes Passwort", &h));
        assert!(!verify_password("x", "not a hash"));
    }

    #[test]
    fn token_hashes_are_stable_and_distinct() {
        assert_eq!(token_hash("a"), token_hash("a"));
        assert_ne!(token_hash("a"), token_hash("b"));
        assert_ne!(random_token(), random_token());
    }
}
