//! Changes to a tenant's people (grant, revoke, suspend, restore) and the ones refused because
//! they would lock the tenant out of its own administration or let someone act on themselves.

use crate::tenancy::Role;

/// The roles an administrator gives. `resident` is not among them: people choose the Kommune
/// they live in themselves when they register.
pub const GRANTABLE: [Role; 6] = [
    Role::Admin,
    Role::Planner,
    Role::QuartierManager,
    Role::Moderator,
    Role::Provider,
    Role::Statistician,
];

/// Why a change to someone's roles is refused. Each variant has a stable code.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum MemberError {
    #[error("diese Rolle wählt jede Person selbst bei der Registrierung")]
    NotGrantable,
    #[error("die Person hat diese Rolle nicht")]
    NoSuchRole,
    #[error("die letzte Administration der Kommune kann nicht entfernt werden; geben Sie die Rolle vorher einer zweiten Person")]
    LastAdmin,
    #[error("Ihren eigenen Zugang können Sie nicht sperren")]
    OwnAccount,
    #[error("der Zugang ist schon gesperrt")]
    AlreadySuspended,
    #[error("der Zugang ist nicht gesperrt")]
    NotSuspended,
}

impl MemberError {
    pub fn code(&self) -> &'static str {
        match self {
            Self::NotGrantable => "NOT_GRANTABLE",
            Self::NoSuchRole => "NO_SUCH_ROLE",
            Self::LastAdmin => "LAST_ADMIN",
            Self::OwnAccount => "OWN_ACCOUNT",
            Self::AlreadySuspended => "ALREADY_SUSPENDED",
            Self::NotSuspended => "NOT_SUSPENDED",
        }
    }
}

/// One change to a person's standing in a tenant.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Change {
    Grant(Role),
    Revoke(Role),
    /// Keeps the roles but makes them grant nothing until restored.
    Suspend,
    Restore,
}

/// What a change needs to know about the person it touches.
#[derive(Debug, Clone, Default)]
pub struct Standing {
    /// The person is the one making the change.
    pub is_self: bool,
    /// Their roles in the tenant.
    pub roles: Vec<Role>,
    pub suspended: bool,
    /// Administrators of the tenant whose access is not suspended, the person included.
    pub active_admins: usize,
}

impl Standing {
    fn is_only_admin(&self) -> bool {
        !self.suspended && self.roles.contains(&Role::Admin) && self.active_admins <= 1
    }
}

/// Checks a change against the rules.
///
/// # Errors
/// The [`MemberError`] that refuses it.
pub fn check(change: Change, who: &Standing) -> Result<(), MemberError> {
    match change {
        Change::Grant(role) if !GRANTABLE.contains(&role) => Err(MemberError::NotGrantable),
        Change::Grant(_) => Ok(()),
        Change::Revoke(role) if !who.roles.contains(&role) => Err(MemberError::NoSuchRole),
        Change::Revoke(Role::Admin) if who.is_only_admin() => Err(MemberError::LastAdmin),
        Change::Revoke(_) => Ok(()),
        Change::Suspend if who.is_self => Err(MemberError::OwnAccount),
        Change::Suspend if who.suspended => Err(MemberError::AlreadySuspended),
        Change::Suspend if who.is_only_admin() => Err(MemberError::LastAdmin),
        Change::Suspend => Ok(()),
        Change::Restore if !who.suspended => Err(MemberError::NotSuspended),
        Change::Restore => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn admin(active_admins: usize) -> Standing {
        Standing {
            roles: vec![Role::Admin, Role::Planner],
            active_admins,
            ..Standing::default()
        }
    }

    #[test]
    fn residents_are_chosen_not_granted() {
        assert_eq!(
            check(Change::Grant(Role::Resident), &Standing::default()),
            Err(MemberError::NotGrantable)
        );
        assert_eq!(
            check(Change::Grant(Role::Statistician), &Standing::default()),
            Ok(())
        );
    }

    #[test]
    fn the_last_admin_stays() {
        assert_eq!(
            check(Change::Revoke(Role::Admin), &admin(1)),
            Err(MemberError::LastAdmin)
        );
        assert_eq!(
            check(Change::Suspend, &admin(1)),
            Err(MemberError::LastAdmin)
        );
        assert_eq!(check(Change::Revoke(Role::Admin), &admin(2)), Ok(()));
        // The last admin may still give up other roles.
        assert_eq!(check(Change::Revoke(Role::Planner), &admin(1)), Ok(()));
    }

    #[test]
    fn nobody_suspends_themselves() {
        let me = Standing {
            is_self: true,
            ..admin(3)
        };
        assert_eq!(check(Change::Suspend, &me), Err(MemberError::OwnAccount));
    }

    #[test]
    fn revoking_needs_the_role_and_restoring_a_suspension() {
        assert_eq!(
            check(Change::Revoke(Role::Moderator), &admin(2)),
            Err(MemberError::NoSuchRole)
        );
        assert_eq!(
            check(Change::Restore, &admin(2)),
            Err(MemberError::NotSuspended)
        );
        let suspended = Standing {
            suspended: true,
            ..admin(1)
        };
        assert_eq!(check(Change::Restore, &suspended), Ok(()));
        assert_eq!(
            check(Change::Suspend, &suspended),
            Err(MemberError::AlreadySuspended)
        );
    }
}
