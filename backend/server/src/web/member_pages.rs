//! The data of the administration page (`/kommune/{slug}/verwaltung`) and of the invitation
//! page (`/einladung`), built on [`crate::accounts::members`].

use crate::accounts::entity::users;
use crate::accounts::{members, Viewer};
use crate::kernel::audit;
use crate::kernel::error::AppResult;
use crate::kernel::state::AppState;
use crate::tenancy::Tenant;
use chrono::{DateTime, Utc};
use qn_app::api::{InvitationRow, MemberAuditRow, MemberRow, MembersData, TenantSummary};
use qn_domain::members::GRANTABLE;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
use std::collections::HashMap;

/// How many lines of the role changes' log the page shows.
const AUDIT_SHOWN: u64 = 50;

fn when(t: DateTime<Utc>) -> String {
    t.format("%d.%m.%Y, %H:%M").to_string()
}

/// # Errors
/// `Forbidden` unless the viewer administers the tenant.
pub async fn members_page(
    state: &AppState,
    viewer: &Viewer,
    tenant: &Tenant,
    summary: TenantSummary,
) -> AppResult<MembersData> {
    let db = &state.db;
    let roster = members::roster(db, viewer, tenant).await?;
    let lines = audit::newest(db, tenant.id, Some("member."), AUDIT_SHOWN).await?;
    // Names of everyone the log mentions, in one query.
    let mut ids: Vec<i32> = lines.iter().filter_map(|l| l.user_id).collect();
    ids.extend(lines.iter().filter_map(|l| {
        l.subject
            .strip_prefix("user:")
            .and_then(|id| id.parse::<i32>().ok())
    }));
    ids.sort_unstable();
    ids.dedup();
    let names: HashMap<i32, String> = users::Entity::find()
        .filter(users::Column::Id.is_in(ids))
        .all(db)
        .await?
        .into_iter()
        .map(|u| (u.id, u.display_name))
        .collect();
    let me = viewer.user.as_ref().map(|u| u.id);
    let audit = lines
        .into_iter()
        .map(|l| {
            let (role, subject) = match l.subject.split_once(':') {
                Some(("user", id)) => (
                    Some(l.detail.clone()).filter(|d| !d.is_empty()),
                    id.parse::<i32>()
                        .ok()
                        .and_then(|id| names.get(&id).cloned())
                        .unwrap_or_else(|| "–".to_owned()),
                ),
                // Invitations keep the role and the address they went to.
                _ => match l.detail.split_once(' ') {
                    Some((role, email)) => (Some(role.to_owned()), email.to_owned()),
                    None => (None, "–".to_owned()),
                },
            };
            MemberAuditRow {
                action: l.action,
                subject,
                role,
                actor: l.user_id.and_then(|id| names.get(&id).cloned()),
                when: when(l.created_at),
            }
        })
        .collect();
    Ok(MembersData {
        tenant: summary,
        members: roster
            .members
            .into_iter()
            .map(|m| MemberRow {
                is_self: Some(m.user_id) == me,
                user_id: m.user_id,
                display_name: m.display_name,
                email: m.email,
                roles: m.roles.iter().map(|r| r.as_str().to_owned()).collect(),
                suspended: m.suspended,
            })
            .collect(),
        residents: roster.residents,
        invitations: roster
            .invitations
            .into_iter()
            .map(|i| InvitationRow {
                id: i.id,
                email: i.email,
                role: i.role,
                until: i.expires_at.format("%d.%m.%Y").to_string(),
            })
            .collect(),
        grantable: GRANTABLE.iter().map(|r| r.as_str().to_owned()).collect(),
        audit,
    })
}
