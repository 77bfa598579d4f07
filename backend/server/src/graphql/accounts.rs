//! GraphQL types and operations of accounts.

use super::{ctx, loaders, tenancy::TenantNode, GqlResult};
use crate::accounts::{self, session_cookie, Registration};
use crate::kernel::error::AppError;
use crate::kernel::permissions::Can;
use async_graphql::dataloader::DataLoader;
use async_graphql::{Context, Json, Object, Result, SimpleObject, ID};
use axum::http::header::SET_COOKIE;
use qn_domain::tenancy::Role;

/// A role in a tenant.
pub struct MembershipNode {
    tenant_id: i32,
    role: Role,
}

#[Object(name = "Membership")]
impl MembershipNode {
    /// `admin`, `planner`, `quartier_manager`, `moderator`, `provider` or `resident`.
    async fn role(&self) -> &str {
        self.role.as_str()
    }
    async fn tenant(&self, c: &Context<'_>) -> Result<Option<TenantNode>> {
        let loader = c.data::<DataLoader<loaders::TenantLoader>>()?;
        Ok(loader
            .load_one(self.tenant_id)
            .await
            .map_err(loaders::err)?
            .map(TenantNode))
    }
}

/// The signed-in person.
pub struct ViewerNode {
    user: crate::kernel::viewer::Person,
    memberships: Vec<(i32, Role)>,
}

#[Object(name = "Viewer")]
impl ViewerNode {
    async fn id(&self) -> ID {
        ID(self.user.id.to_string())
    }
    async fn email(&self) -> &str {
        &self.user.email
    }
    async fn display_name(&self) -> &str {
        &self.user.display_name
    }
    async fn memberships(&self) -> Vec<MembershipNode> {
        self.memberships
            .iter()
            .map(|&(tenant_id, role)| MembershipNode { tenant_id, role })
            .collect()
    }
    /// Everything stored about this account, as the download on `/konto` (DSGVO Art. 15, 20):
    /// German keys, no secrets. Survey answers are not linked to accounts and never in it.
    async fn personal_data(&self, c: &Context<'_>) -> Result<Json<serde_json::Value>> {
        let (state, _) = ctx(c)?;
        Ok(Json(
            crate::flows::personal_data::export(&state.db, &self.user)
                .await
                .gql()?,
        ))
    }
}

/// The answer to a login or registration.
#[derive(SimpleObject)]
pub struct AuthPayload {
    pub user_id: ID,
    pub display_name: String,
}

#[derive(Default)]
pub struct AccountsQuery;

#[Object]
impl AccountsQuery {
    /// The signed-in person, or null.
    async fn viewer(&self, c: &Context<'_>) -> Result<Option<ViewerNode>> {
        let (_, rc) = ctx(c)?;
        Ok(rc.viewer.user.clone().map(|user| ViewerNode {
            user,
            memberships: rc.viewer.memberships.clone(),
        }))
    }
}

#[derive(Default)]
pub struct AccountsMutation;

fn set_session_cookie(c: &Context<'_>, token: Option<&str>) -> Result<()> {
    let (state, _) = ctx(c)?;
    c.append_http_header(
        SET_COOKIE,
        session_cookie(token, state.settings.secure_cookies()),
    );
    Ok(())
}

async fn sign_in(c: &Context<'_>, email: &str, password: &str) -> Result<AuthPayload> {
    let (state, rc) = ctx(c)?;
    let (user, token) = accounts::login(state, email, password, &rc.client)
        .await
        .gql()?;
    set_session_cookie(c, Some(&token))?;
    Ok(AuthPayload {
        user_id: ID(user.id.to_string()),
        display_name: user.display_name,
    })
}

#[Object]
impl AccountsMutation {
    /// Starts a registration: sends a confirmation link to a new address, or a note to an
    /// address that has an account. Answers true either way (after the fields are checked), so
    /// it does not tell who is registered. With `tenant`, the person becomes a resident there.
    async fn register(
        &self,
        c: &Context<'_>,
        email: String,
        password: String,
        display_name: String,
        tenant: Option<String>,
    ) -> Result<bool> {
        let (state, rc) = ctx(c)?;
        accounts::request_registration(
            state,
            Registration {
                email: &email,
                password: &password,
                display_name: &display_name,
                tenant_slug: tenant.as_deref(),
                client: Some(&rc.client),
            },
        )
        .await
        .gql()?;
        Ok(true)
    }

    /// Creates the account with the token from the registration mail and signs it in.
    async fn confirm_registration(&self, c: &Context<'_>, token: String) -> Result<AuthPayload> {
        let (state, _) = ctx(c)?;
        let (user, session) = accounts::confirm_registration(state, &token).await.gql()?;
        set_session_cookie(c, Some(&session))?;
        Ok(AuthPayload {
            user_id: ID(user.id.to_string()),
            display_name: user.display_name,
        })
    }

    /// Signs in; the session travels in an HttpOnly cookie.
    async fn login(&self, c: &Context<'_>, email: String, password: String) -> Result<AuthPayload> {
        sign_in(c, &email, &password).await
    }

    /// Ends this session.
    async fn logout(&self, c: &Context<'_>) -> Result<bool> {
        let (state, rc) = ctx(c)?;
        if let Some(t) = &rc.token {
            accounts::logout(&state.db, t).await.gql()?;
        }
        set_session_cookie(c, None)?;
        Ok(true)
    }

    /// Sends a reset link if the address has an account; always answers true.
    async fn request_password_reset(&self, c: &Context<'_>, email: String) -> Result<bool> {
        let (state, _) = ctx(c)?;
        accounts::request_password_reset(state, &email)
            .await
            .gql()?;
        Ok(true)
    }

    /// Sets a new password with the token from the reset mail; signs out everywhere.
    async fn reset_password(
        &self,
        c: &Context<'_>,
        token: String,
        password: String,
    ) -> Result<bool> {
        let (state, _) = ctx(c)?;
        accounts::reset_password(state, &token, &password)
            .await
            .gql()?;
        Ok(true)
    }

    /// Changes the signed-in person's display name (also on what they wrote under the old one).
    async fn rename_account(&self, c: &Context<'_>, display_name: String) -> Result<bool> {
        let (state, rc) = ctx(c)?;
        crate::flows::account::rename(state, &rc.viewer, &display_name)
            .await
            .gql()?;
        Ok(true)
    }

    /// Deletes the signed-in person's account with all its roles and sessions (DSGVO Art. 17);
    /// the password is asked again.
    async fn delete_account(&self, c: &Context<'_>, password: String) -> Result<bool> {
        let (state, rc) = ctx(c)?;
        crate::flows::account::delete(state, &rc.viewer, &password)
            .await
            .gql()?;
        set_session_cookie(c, None)?;
        Ok(true)
    }

    /// Gives a person a role in a tenant. Admins of the tenant, or of the Kreis it belongs to.
    async fn grant_role(
        &self,
        c: &Context<'_>,
        email: String,
        tenant: String,
        role: String,
    ) -> Result<bool> {
        let (state, rc) = ctx(c)?;
        let t = crate::tenancy::by_slug(&state.db, &tenant).await.gql()?;
        let role: Role = role
            .parse()
            .map_err(|e: qn_domain::tenancy::TenancyError| {
                super::gql(AppError::Validation(e.to_string()))
            })?;
        let kreis_admin = t
            .parent_id
            .is_some_and(|p| rc.viewer.may(p, Can::ManageMembers));
        if !kreis_admin {
            rc.viewer.require(t.id, Can::ManageMembers).gql()?;
        }
        let user = accounts::user_by_email(&state.db, &email).await.gql()?;
        accounts::grant(&state.db, user.id, t.id, role)
            .await
            .gql()?;
        Ok(true)
    }
}
