//! Who is asking. Built once per request from the session (see `accounts::viewer`); the
//! kernel knows the person, not the table row behind them.

use crate::kernel::error::{AppError, AppResult};
use crate::kernel::permissions::Can;
use qn_domain::tenancy::Role;

/// A signed-in person as every module sees them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Person {
    /// 0 for the installation itself (see [`Viewer::system`]).
    pub id: i32,
    pub email: String,
    pub display_name: String,
}

/// Anonymous, or a person with roles per tenant.
#[derive(Debug, Clone, Default)]
pub struct Viewer {
    pub user: Option<Person>,
    pub memberships: Vec<(i32, Role)>,
}

impl Viewer {
    pub fn anonymous() -> Self {
        Self::default()
    }

    /// The installation itself (command line, demo loader) acting with `role` in one tenant.
    pub fn system(tenant_id: i32, role: Role) -> Self {
        Self {
            user: Some(Person {
                id: 0,
                email: "system".into(),
                display_name: "System".into(),
            }),
            memberships: vec![(tenant_id, role)],
        }
    }

    pub fn person(&self) -> Option<&Person> {
        self.user.as_ref()
    }

    /// The id of a stored account: `None` for anonymous viewers and for the installation
    /// itself, whose [`Self::system`] person has id 0 and no row to point to.
    pub fn account_id(&self) -> Option<i32> {
        self.user_id().filter(|id| *id > 0)
    }

    /// The person behind a stored account (not the installation itself).
    pub fn account_holder(&self) -> Option<&Person> {
        self.user.as_ref().filter(|u| u.id > 0)
    }

    pub fn user_id(&self) -> Option<i32> {
        self.user.as_ref().map(|u| u.id)
    }

    /// # Errors
    /// `Unauthenticated` for anonymous viewers.
    pub fn require_person(&self) -> AppResult<&Person> {
        self.user.as_ref().ok_or(AppError::Unauthenticated)
    }

    /// Tenants whose non-public datasets the viewer may read: those where they work for the
    /// administration. A `resident` or `provider` membership is self-chosen (residents pick
    /// their Kommune at registration) and grants nothing beyond public data.
    pub fn staff_tenant_ids(&self) -> Vec<i32> {
        let mut ids: Vec<i32> = self
            .memberships
            .iter()
            .filter(|(_, r)| Can::SeeInternal.roles().contains(r))
            .map(|(t, _)| *t)
            .collect();
        ids.sort_unstable();
        ids.dedup();
        ids
    }

    /// Whether the viewer has one of `roles` in the tenant (for a role itself, e.g. whether a
    /// person is a provider there; permissions go through [`Self::may`]).
    pub fn has_any_role(&self, tenant_id: i32, roles: &[Role]) -> bool {
        self.memberships
            .iter()
            .any(|(t, r)| *t == tenant_id && roles.contains(r))
    }

    /// Whether the viewer has the permission in the tenant.
    pub fn may(&self, tenant_id: i32, can: Can) -> bool {
        self.has_any_role(tenant_id, can.roles())
    }

    /// # Errors
    /// `Unauthenticated` for anonymous viewers, `Forbidden` without the permission.
    pub fn require(&self, tenant_id: i32, can: Can) -> AppResult<&Person> {
        let user = self.require_person()?;
        if self.may(tenant_id, can) {
            Ok(user)
        } else {
            Err(AppError::Forbidden)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn residents_and_providers_are_not_staff() {
        let v = Viewer {
            user: None,
            memberships: vec![(1, Role::Resident), (2, Role::Provider), (3, Role::Planner)],
        };
        assert_eq!(v.staff_tenant_ids(), vec![3]);
        assert!(matches!(
            v.require(3, Can::EditAreas),
            Err(AppError::Unauthenticated)
        ));
    }

    #[test]
    fn system_acts_in_its_tenant_only() {
        let v = Viewer::system(7, Role::Admin);
        assert_eq!(v.user_id(), Some(0));
        assert!(v.require(7, Can::ManageMembers).is_ok());
        assert!(matches!(
            v.require(8, Can::ManageMembers),
            Err(AppError::Forbidden)
        ));
    }
}
