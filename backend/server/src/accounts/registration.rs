//! Registration: direct (tests, demo, command line) or by a confirmation link.

use super::*;

/// Input of a registration.
pub struct Registration<'a> {
    pub email: &'a str,
    pub password: &'a str,
    pub display_name: &'a str,
    /// The Kommune the person lives in; they become a `resident` there.
    pub tenant_slug: Option<&'a str>,
    /// The caller's address, to limit registrations per client; `None` for the operator.
    pub client: Option<&'a str>,
}

/// Creates an account at once (and a `resident` membership when a tenant is named): for the
/// operator's CLI, the demo and tests. People register through [`request_registration`].
///
/// # Errors
/// Validation errors per field; `Conflict` when the address is registered.
pub async fn register(state: &AppState, input: Registration<'_>) -> AppResult<users::Model> {
    let email = Email::parse(input.email)?;
    let password = Password::parse(input.password)?;
    let name = DisplayName::parse(input.display_name)?;
    let tenant = registration_tenant(state, input.tenant_slug).await?;
    let hash = hash_password(&password).await?;
    let txn = crate::kernel::db::write_txn(&state.db).await?;
    if email_taken(&txn, email.as_str()).await? {
        return Err(AppError::Conflict(
            "Für diese E-Mail-Adresse gibt es bereits ein Konto.".into(),
        ));
    }
    let user = create_user(&txn, email.as_str(), &hash, name.as_str(), tenant).await?;
    txn.commit().await?;
    Ok(user)
}

pub(super) async fn registration_tenant(
    state: &AppState,
    slug: Option<&str>,
) -> AppResult<Option<i32>> {
    match slug.filter(|s| !s.is_empty()) {
        Some(slug) => match crate::tenancy::by_slug(&state.db, slug).await {
            Ok(t) => Ok(Some(t.id)),
            Err(AppError::NotFound) => Err(AppError::Validation("unbekannte Kommune".into())),
            Err(e) => Err(e),
        },
        None => Ok(None),
    }
}

pub(super) async fn email_taken(db: &impl ConnectionTrait, email: &str) -> AppResult<bool> {
    Ok(users::Entity::find()
        .filter(users::Column::Email.eq(email))
        .one(db)
        .await?
        .is_some())
}

pub(super) async fn create_user(
    db: &impl ConnectionTrait,
    email: &str,
    password_hash: &str,
    display_name: &str,
    tenant_id: Option<i32>,
) -> AppResult<users::Model> {
    let user = users::ActiveModel {
        email: Set(email.to_owned()),
        password_hash: Set(password_hash.to_owned()),
        display_name: Set(display_name.to_owned()),
        created_at: Set(Utc::now()),
        ..Default::default()
    }
    .insert(db)
    .await?;
    if let Some(t) = tenant_id {
        grant(db, user.id, t, Role::Resident).await?;
    }
    Ok(user)
}

/// Starts a registration: after the fields are checked the answer is the same whether or not
/// the address has an account, so the form does not tell who is registered. A new address gets
/// a link that creates the account ([`confirm_registration`]); a registered one gets a note
/// pointing to login and password reset. Mails per address and hour are limited like resets.
///
/// # Errors
/// Validation errors per field, `RateLimited` per client address.
pub async fn request_registration(state: &AppState, input: Registration<'_>) -> AppResult<()> {
    if let Some(client) = input.client {
        if state.mem.limits.signups.is_blocked(&[client]) {
            return Err(AppError::RateLimited);
        }
        state.mem.limits.signups.record_failure(&[client]);
    }
    let email = Email::parse(input.email)?;
    let password = Password::parse(input.password)?;
    let name = DisplayName::parse(input.display_name)?;
    let tenant = registration_tenant(state, input.tenant_slug).await?;
    // Hashed on both paths, so the answer takes as long for a registered address.
    let hash = hash_password(&password).await?;
    let now = Utc::now();
    let txn = crate::kernel::db::write_txn(&state.db).await?;
    let recent = pending_registrations::Entity::find()
        .filter(pending_registrations::Column::Email.eq(email.as_str()))
        .filter(pending_registrations::Column::CreatedAt.gt(now - Duration::hours(1)))
        .count(&txn)
        .await?;
    if recent >= RESETS_PER_HOUR {
        tracing::warn!("registration mails to one address throttled");
        return Ok(());
    }
    let base = state.settings.public_url.trim_end_matches('/').to_owned();
    let token = random_token();
    // The row is written on both paths: it is what counts mails per address.
    pending_registrations::ActiveModel {
        token_hash: Set(token_hash(&token)),
        email: Set(email.as_str().to_owned()),
        password_hash: Set(hash),
        display_name: Set(name.as_str().to_owned()),
        tenant_id: Set(tenant),
        created_at: Set(now),
        expires_at: Set(now + Duration::hours(REGISTRATION_HOURS)),
        ..Default::default()
    }
    .insert(&txn)
    .await?;
    let (subject, body) = if email_taken(&txn, email.as_str()).await? {
        (
            "Quartiersnetz: Sie haben schon ein Konto",
            format!(
                "Hallo,\n\njemand hat mit dieser E-Mail-Adresse ein Konto bei Quartiersnetz angelegt. Für diese Adresse gibt es schon ein Konto; ein zweites wurde nicht angelegt.\n\nAnmelden: {base}/anmelden\nPasswort vergessen: {base}/passwort-vergessen\n\nWenn Sie das nicht waren, können Sie diese E-Mail ignorieren.\n"
            ),
        )
    } else {
        (
            "Quartiersnetz: Bitte bestätigen Sie Ihre E-Mail-Adresse",
            format!(
                "Hallo {},\n\nüber diesen Link legen Sie Ihr Konto bei Quartiersnetz an (gültig {REGISTRATION_HOURS} Stunden):\n\n{base}/konto-bestaetigen?token={token}\n\nWenn Sie sich nicht registriert haben, können Sie diese E-Mail ignorieren; ohne Bestätigung wird kein Konto angelegt.\n",
                name.as_str()
            ),
        )
    };
    outbox::enqueue(&txn, email.as_str(), subject, &body).await?;
    txn.commit().await?;
    state.mail_wakeup.notify_one();
    Ok(())
}

/// Creates the account of a confirmed registration and opens a session. The link works once;
/// other pending registrations of the address end with it.
///
/// # Errors
/// `InvalidToken` for unknown, used or expired links, also when the address got an account
/// meanwhile.
pub async fn confirm_registration(
    state: &AppState,
    token: &str,
) -> AppResult<(users::Model, String)> {
    let txn = crate::kernel::db::write_txn(&state.db).await?;
    let pending = pending_registrations::Entity::find()
        .filter(pending_registrations::Column::TokenHash.eq(token_hash(token)))
        .filter(pending_registrations::Column::ExpiresAt.gt(Utc::now()))
        .one(&txn)
        .await?
        .ok_or(AppError::InvalidToken)?;
    if email_taken(&txn, &pending.email).await? {
        return Err(AppError::InvalidToken);
    }
    let user = create_user(
        &txn,
        &pending.email,
        &pending.password_hash,
        &pending.display_name,
        pending.tenant_id,
    )
    .await?;
    pending_registrations::Entity::delete_many()
        .filter(pending_registrations::Column::Email.eq(pending.email.as_str()))
        .exec(&txn)
        .await?;
    let session = open_session(&txn, user.id).await?;
    txn.commit().await?;
    Ok((user, session))
}
