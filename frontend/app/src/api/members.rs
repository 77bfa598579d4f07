//! Data of the administration pages (who holds which role, invitations) and of the page that
//! accepts an invitation.

use super::TenantSummary;
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct MemberRow {
    pub user_id: i32,
    pub display_name: String,
    pub email: String,
    /// Role keys (`planner`, …), `resident` included when the person lives there.
    pub roles: Vec<String>,
    pub suspended: bool,
    /// The row is the viewer's own.
    pub is_self: bool,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct InvitationRow {
    pub id: i32,
    pub email: String,
    pub role: String,
    /// `TT.MM.JJJJ`.
    pub until: String,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct MemberAuditRow {
    /// `member.granted`, `member.revoked`, …
    pub action: String,
    /// Whom it was about: a name, or an address for invitations.
    pub subject: String,
    /// The role key, when the action concerned one.
    pub role: Option<String>,
    /// Who did it; `None` for a deleted account.
    pub actor: Option<String>,
    /// `TT.MM.JJJJ HH:MM`.
    pub when: String,
}

/// `/kommune/{slug}/verwaltung`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct MembersData {
    pub tenant: TenantSummary,
    pub members: Vec<MemberRow>,
    pub residents: u64,
    pub invitations: Vec<InvitationRow>,
    /// The roles the form offers.
    pub grantable: Vec<String>,
    pub audit: Vec<MemberAuditRow>,
}

/// `/einladung?token=…`: what the invitation offers.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct InvitationData {
    pub tenant_name: String,
    pub email: String,
    pub role: String,
}
