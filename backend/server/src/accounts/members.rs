//! A tenant's people as its administrators see them: who holds which role, invitations by
//! e-mail, revoking roles, suspending and restoring access. Administrators of the tenant, or of
//! the Kreis it belongs to, act here; every change is written to the audit log. The rules
//! (which changes are refused) are in [`qn_domain::members`].

use super::entity::{invitations, memberships, users};
use super::{create_user, grant, hash_password, open_session, random_token};
use super::{token_hash, Viewer};
use crate::kernel::audit;
use crate::kernel::error::{AppError, AppResult};
use crate::kernel::outbox;
use crate::kernel::permissions::Can;
use crate::kernel::state::AppState;
use crate::tenancy::{self, Tenant};
use chrono::{DateTime, Duration, Utc};
use qn_domain::accounts::{DisplayName, Email, Password};
use qn_domain::members::{self as rules, Change, Standing};
use qn_domain::tenancy::Role;
use sea_orm::sea_query::Expr;
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, Set};
use std::collections::BTreeMap;

/// How long an invitation link stays valid.
const INVITATION_DAYS: i64 = 14;

/// One person with a role given by the administration.
#[derive(Debug, Clone, PartialEq)]
pub struct Member {
    pub user_id: i32,
    pub display_name: String,
    pub email: String,
    /// Their roles in the tenant, `resident` included when they live there.
    pub roles: Vec<Role>,
    pub suspended: bool,
}

/// The administration page's facts about a tenant.
#[derive(Debug, Clone)]
pub struct Roster {
    /// People with at least one role besides `resident`, by name.
    pub members: Vec<Member>,
    /// How many people live in the tenant by their own choice (only counted: residents are not
    /// the administration's to list).
    pub residents: u64,
    pub invitations: Vec<invitations::Model>,
}

/// What an invitation led to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Invited {
    /// The address has an account: the role is granted at once.
    Granted,
    /// A link to create the account was sent.
    Invitation,
}

/// What following an invitation link led to.
pub enum Accepted {
    /// A new account with the role, signed in (the session token).
    SignedIn(String),
    /// The address got an account meanwhile: the role went to it; the person signs in.
    ExistingAccount,
}

/// # Errors
/// `Unauthenticated` or `Forbidden` unless the viewer administers the tenant or its Kreis.
pub fn require_admin(viewer: &Viewer, tenant: &Tenant) -> AppResult<()> {
    if viewer.user.is_none() {
        Err(AppError::Unauthenticated)
    } else if administers(viewer, tenant) {
        Ok(())
    } else {
        Err(AppError::Forbidden)
    }
}

/// Whether the viewer may open the administration page (for a link to it).
pub fn administers(viewer: &Viewer, tenant: &Tenant) -> bool {
    viewer.may(tenant.id, Can::ManageMembers)
        || tenant
            .parent_id
            .is_some_and(|p| viewer.may(p, Can::ManageMembers))
}

/// # Errors
/// `Forbidden` unless the viewer administers the tenant.
pub async fn roster(
    db: &impl ConnectionTrait,
    viewer: &Viewer,
    tenant: &Tenant,
) -> AppResult<Roster> {
    require_admin(viewer, tenant)?;
    let rows = memberships::Entity::find()
        .filter(memberships::Column::TenantId.eq(tenant.id))
        .all(db)
        .await?;
    let mut by_user: BTreeMap<i32, (Vec<Role>, bool)> = BTreeMap::new();
    for m in rows {
        let Ok(role) = m.role.parse::<Role>() else {
            continue;
        };
        let entry = by_user.entry(m.user_id).or_default();
        entry.0.push(role);
        entry.1 |= m.suspended_at.is_some();
    }
    let residents = by_user
        .values()
        .filter(|(roles, _)| roles.contains(&Role::Resident))
        .count() as u64;
    by_user.retain(|_, (roles, _)| roles.iter().any(|r| *r != Role::Resident));
    let users = users::Entity::find()
        .filter(users::Column::Id.is_in(by_user.keys().copied()))
        .all(db)
        .await?;
    let mut members: Vec<Member> = users
        .into_iter()
        .filter_map(|u| {
            let (mut roles, suspended) = by_user.remove(&u.id)?;
            roles.sort_unstable();
            Some(Member {
                user_id: u.id,
                display_name: u.display_name,
                email: u.email,
                roles,
                suspended,
            })
        })
        .collect();
    members.sort_by_key(|m| m.display_name.to_lowercase());
    let invitations = invitations::Entity::find()
        .filter(invitations::Column::TenantId.eq(tenant.id))
        .filter(invitations::Column::ExpiresAt.gt(Utc::now()))
        .all(db)
        .await?;
    Ok(Roster {
        members,
        residents,
        invitations,
    })
}

/// The person's standing in the tenant, as the rules need it.
async fn standing(
    db: &impl ConnectionTrait,
    viewer: &Viewer,
    tenant_id: i32,
    user_id: i32,
) -> AppResult<Standing> {
    let rows = memberships::Entity::find()
        .filter(memberships::Column::TenantId.eq(tenant_id))
        .all(db)
        .await?;
    let mut admins: Vec<i32> = rows
        .iter()
        .filter(|m| m.role == Role::Admin.as_str() && m.suspended_at.is_none())
        .map(|m| m.user_id)
        .collect();
    admins.sort_unstable();
    admins.dedup();
    let own: Vec<&memberships::Model> = rows.iter().filter(|m| m.user_id == user_id).collect();
    Ok(Standing {
        is_self: viewer.user.as_ref().is_some_and(|u| u.id == user_id),
        roles: own.iter().filter_map(|m| m.role.parse().ok()).collect(),
        suspended: own.iter().any(|m| m.suspended_at.is_some()),
        active_admins: admins.len(),
    })
}

fn base_url(state: &AppState) -> String {
    state.settings.public_url.trim_end_matches('/').to_owned()
}

/// Gives `role` to the person with this address: at once when the address has an account
/// (they get a note by mail), otherwise by an invitation link that creates the account.
///
/// # Errors
/// `Forbidden` for non-administrators, `Validation` for a bad address, [`rules::MemberError`]
/// for a role that is not granted (`resident`).
pub async fn invite(
    state: &AppState,
    viewer: &Viewer,
    tenant: &Tenant,
    email: &str,
    role: Role,
) -> AppResult<Invited> {
    require_admin(viewer, tenant)?;
    let email = Email::parse(email)?;
    rules::check(Change::Grant(role), &Standing::default())?;
    let label = role_label(role);
    let base = base_url(state);
    let txn = crate::kernel::db::write_txn(&state.db).await?;
    let existing = users::Entity::find()
        .filter(users::Column::Email.eq(email.as_str()))
        .one(&txn)
        .await?;
    let outcome = if let Some(user) = existing {
        let who = standing(&txn, viewer, tenant.id, user.id).await?;
        grant(&txn, user.id, tenant.id, role).await?;
        if who.suspended {
            // A new role of a suspended person waits with the others.
            memberships::Entity::update_many()
                .col_expr(memberships::Column::SuspendedAt, Expr::value(Utc::now()))
                .filter(memberships::Column::UserId.eq(user.id))
                .filter(memberships::Column::TenantId.eq(tenant.id))
                .filter(memberships::Column::SuspendedAt.is_null())
                .exec(&txn)
                .await?;
        }
        audit::record(
            &txn,
            tenant.id,
            viewer,
            "member.granted",
            &format!("user:{}", user.id),
            role.as_str(),
        )
        .await?;
        let body = format!(
            "Hallo {},\n\nSie haben bei Quartiersnetz in {} die Rolle „{label}“ erhalten. Sie sehen Ihre Rollen unter „Mein Konto“:\n\n{base}/konto\n",
            user.display_name, tenant.name
        );
        outbox::enqueue(
            &txn,
            &user.email,
            &format!("Quartiersnetz: neue Rolle in {}", tenant.name),
            &body,
        )
        .await?;
        Invited::Granted
    } else {
        let token = random_token();
        let now = Utc::now();
        let row = invitations::ActiveModel {
            tenant_id: Set(tenant.id),
            email: Set(email.as_str().to_owned()),
            role: Set(role.as_str().to_owned()),
            token_hash: Set(token_hash(&token)),
            invited_by: Set(viewer.account_id()),
            created_at: Set(now),
            expires_at: Set(now + Duration::days(INVITATION_DAYS)),
            ..Default::default()
        };
        let row = sea_orm::ActiveModelTrait::insert(row, &txn).await?;
        audit::record(
            &txn,
            tenant.id,
            viewer,
            "member.invited",
            &format!("invitation:{}", row.id),
            &format!("{} {}", role.as_str(), email.as_str()),
        )
        .await?;
        let inviter = viewer
            .user
            .as_ref()
            .map_or("Die Verwaltung", |u| u.display_name.as_str());
        let body = format!(
            "Hallo,\n\n{inviter} lädt Sie ein, bei Quartiersnetz in {} mitzuarbeiten, mit der Rolle „{label}“. Über diesen Link legen Sie Ihr Konto an (gültig {INVITATION_DAYS} Tage):\n\n{base}/einladung?token={token}\n\nWenn Sie die Einladung nicht erwartet haben, können Sie diese E-Mail ignorieren; ohne Ihren Klick wird kein Konto angelegt.\n",
            tenant.name
        );
        outbox::enqueue(
            &txn,
            email.as_str(),
            &format!("Quartiersnetz: Einladung von {}", tenant.name),
            &body,
        )
        .await?;
        Invited::Invitation
    };
    txn.commit().await?;
    state.mail_wakeup.notify_one();
    Ok(outcome)
}

/// Takes a role from a person.
///
/// # Errors
/// `Forbidden` for non-administrators; [`rules::MemberError`] when the rules refuse.
pub async fn revoke(
    db: &sea_orm::DatabaseConnection,
    viewer: &Viewer,
    tenant: &Tenant,
    user_id: i32,
    role: Role,
) -> AppResult<()> {
    let txn = crate::kernel::db::write_txn(db).await?;
    require_admin(viewer, tenant)?;
    let who = standing(&txn, viewer, tenant.id, user_id).await?;
    if role == Role::Resident {
        return Err(rules::MemberError::NotGrantable.into());
    }
    rules::check(Change::Revoke(role), &who)?;
    memberships::Entity::delete_many()
        .filter(memberships::Column::UserId.eq(user_id))
        .filter(memberships::Column::TenantId.eq(tenant.id))
        .filter(memberships::Column::Role.eq(role.as_str()))
        .exec(&txn)
        .await?;
    audit::record(
        &txn,
        tenant.id,
        viewer,
        "member.revoked",
        &format!("user:{user_id}"),
        role.as_str(),
    )
    .await?;
    txn.commit().await?;
    Ok(())
}

/// Suspends (`suspend = true`) or restores a person's access to the tenant: all their roles
/// there stop or start granting anything, and stay listed.
///
/// # Errors
/// `Forbidden` for non-administrators; `NotFound` when the person has no role here;
/// [`rules::MemberError`] when the rules refuse.
pub async fn set_suspended(
    db: &sea_orm::DatabaseConnection,
    viewer: &Viewer,
    tenant: &Tenant,
    user_id: i32,
    suspend: bool,
) -> AppResult<()> {
    let txn = crate::kernel::db::write_txn(db).await?;
    require_admin(viewer, tenant)?;
    let who = standing(&txn, viewer, tenant.id, user_id).await?;
    if who.roles.iter().all(|r| *r == Role::Resident) {
        return Err(AppError::NotFound);
    }
    let (change, value, action) = if suspend {
        (Change::Suspend, Some(Utc::now()), "member.suspended")
    } else {
        (Change::Restore, None::<DateTime<Utc>>, "member.restored")
    };
    rules::check(change, &who)?;
    // A resident's own membership stays: living in the Kommune is not the administration's
    // to take.
    memberships::Entity::update_many()
        .col_expr(memberships::Column::SuspendedAt, Expr::value(value))
        .filter(memberships::Column::UserId.eq(user_id))
        .filter(memberships::Column::TenantId.eq(tenant.id))
        .filter(memberships::Column::Role.ne(Role::Resident.as_str()))
        .exec(&txn)
        .await?;
    audit::record(
        &txn,
        tenant.id,
        viewer,
        action,
        &format!("user:{user_id}"),
        "",
    )
    .await?;
    txn.commit().await?;
    Ok(())
}

/// Withdraws an open invitation; its link stops working.
///
/// # Errors
/// `Forbidden` for non-administrators, `NotFound` for an invitation of another tenant.
pub async fn withdraw(
    db: &impl ConnectionTrait,
    viewer: &Viewer,
    tenant: &Tenant,
    invitation_id: i32,
) -> AppResult<()> {
    require_admin(viewer, tenant)?;
    let gone = invitations::Entity::delete_many()
        .filter(invitations::Column::Id.eq(invitation_id))
        .filter(invitations::Column::TenantId.eq(tenant.id))
        .exec(db)
        .await?;
    if gone.rows_affected == 0 {
        return Err(AppError::NotFound);
    }
    audit::record(
        db,
        tenant.id,
        viewer,
        "member.withdrawn",
        &format!("invitation:{invitation_id}"),
        "",
    )
    .await?;
    Ok(())
}

/// The open invitation behind a link, with its tenant (for the page that accepts it).
///
/// # Errors
/// `InvalidToken` for unknown, withdrawn or expired links.
pub async fn invitation(
    db: &impl ConnectionTrait,
    token: &str,
) -> AppResult<(invitations::Model, Tenant)> {
    let inv = invitations::Entity::find()
        .filter(invitations::Column::TokenHash.eq(token_hash(token)))
        .filter(invitations::Column::ExpiresAt.gt(Utc::now()))
        .one(db)
        .await?
        .ok_or(AppError::InvalidToken)?;
    let tenant = tenancy::by_id(db, inv.tenant_id).await?;
    Ok((inv, tenant))
}

/// Accepts an invitation: creates the account with the offered role and signs in. The link
/// works once. The address proves itself by receiving the link, so no second mail is sent.
///
/// # Errors
/// `InvalidToken` for unknown or expired links; validation errors for name and password.
pub async fn accept(
    state: &AppState,
    token: &str,
    display_name: &str,
    password: &str,
) -> AppResult<Accepted> {
    let name = DisplayName::parse(display_name)?;
    let password = Password::parse(password)?;
    let hash = hash_password(&password).await?;
    let txn = crate::kernel::db::write_txn(&state.db).await?;
    let (inv, tenant) = invitation(&txn, token).await?;
    let role: Role = inv.role.parse().map_err(|_| AppError::InvalidToken)?;
    invitations::Entity::delete_by_id(inv.id).exec(&txn).await?;
    let existing = users::Entity::find()
        .filter(users::Column::Email.eq(inv.email.as_str()))
        .one(&txn)
        .await?;
    let (user, outcome) = match existing {
        Some(user) => (user, None),
        None => {
            let user = create_user(&txn, &inv.email, &hash, name.as_str(), None).await?;
            let session = open_session(&txn, user.id).await?;
            (user, Some(session))
        }
    };
    grant(&txn, user.id, tenant.id, role).await?;
    let subject = format!("user:{}", user.id);
    let actor = Viewer {
        user: Some(super::person(user)),
        memberships: Vec::new(),
    };
    audit::record(
        &txn,
        tenant.id,
        &actor,
        "member.accepted",
        &subject,
        role.as_str(),
    )
    .await?;
    txn.commit().await?;
    Ok(outcome.map_or(Accepted::ExistingAccount, Accepted::SignedIn))
}

/// The German name of a role in mails.
fn role_label(role: Role) -> &'static str {
    match role {
        Role::Admin => "Verwaltung der Plattform",
        Role::Planner => "Sozialplanung",
        Role::QuartierManager => "Quartiersmanagement",
        Role::Moderator => "Moderation",
        Role::Provider => "Anbieter im Angebotsverzeichnis",
        Role::Resident => "Bewohnerin oder Bewohner",
        Role::Statistician => "Statistikstelle",
    }
}
