//! Tenants (Kreis, kreisangehörige Kommune, kreisfreie Stadt), roles, and dataset visibility.

use serde::{Deserialize, Serialize};

/// Database id of a tenant.
pub type TenantId = i64;

/// The kind of a tenant decides where it may stand in the tree.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum TenantKind {
    /// A county; parent of its kreisangehörige Kommunen.
    Kreis,
    /// A municipality inside a Kreis.
    Kommune,
    /// A city outside any Kreis.
    KreisfreieStadt,
}

impl TenantKind {
    /// Checks the tree rule: a Kommune hangs below a Kreis; Kreise and kreisfreie Städte are roots.
    ///
    /// # Errors
    /// [`TenancyError::InvalidParent`] when the combination is not allowed.
    pub fn check_parent(self, parent: Option<TenantKind>) -> Result<(), TenancyError> {
        match (self, parent) {
            (Self::Kommune, Some(Self::Kreis)) => Ok(()),
            (Self::Kreis | Self::KreisfreieStadt, None) => Ok(()),
            (child, parent) => Err(TenancyError::InvalidParent { child, parent }),
        }
    }
}

str_enum!(TenantKind, TenancyError, TenancyError::UnknownValue, {
    Kreis => "kreis",
    Kommune => "kommune",
    KreisfreieStadt => "kreisfreie_stadt",
});

/// Roles are granted per tenant.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum Role {
    Admin,
    Planner,
    QuartierManager,
    Moderator,
    Provider,
    Resident,
    /// The shielded statistics office (abgeschottete Statistikstelle): the one role that sees
    /// indicator values below the disclosure threshold. Granted explicitly, never implied.
    Statistician,
}

/// Who may see a dataset (area levels, indicators, surveys, boards, …).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Visibility {
    /// Everyone, signed in or not.
    Public,
    /// Members of the owning tenant only.
    Tenant,
    /// Members of the owning tenant and of the tenants it is shared with.
    Shared,
}

str_enum!(Role, TenancyError, TenancyError::UnknownValue, {
    Admin => "admin",
    Planner => "planner",
    QuartierManager => "quartier_manager",
    Moderator => "moderator",
    Provider => "provider",
    Resident => "resident",
    Statistician => "statistician",
});

str_enum!(Visibility, TenancyError, TenancyError::UnknownValue, {
    Public => "public",
    Tenant => "tenant",
    Shared => "shared",
});

/// The access facts of one dataset. The store expresses the same rule as a SQL condition;
/// this is the reference it is tested against.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DatasetAccess {
    pub owner: TenantId,
    pub visibility: Visibility,
    pub shared_with: Vec<TenantId>,
}

impl DatasetAccess {
    /// Whether someone who is a member of `member_of` may read the dataset.
    pub fn visible_to(&self, member_of: &[TenantId]) -> bool {
        match self.visibility {
            Visibility::Public => true,
            Visibility::Tenant => member_of.contains(&self.owner),
            Visibility::Shared => {
                member_of.contains(&self.owner)
                    || self.shared_with.iter().any(|t| member_of.contains(t))
            }
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TenancyError {
    #[error("unbekannter Wert: {0}")]
    UnknownValue(String),
    #[error("ein Mandant der Art {child} kann nicht unter {parent:?} stehen")]
    InvalidParent {
        child: TenantKind,
        parent: Option<TenantKind>,
    },
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tree_rules() {
        assert!(TenantKind::Kommune
            .check_parent(Some(TenantKind::Kreis))
            .is_ok());
        assert!(TenantKind::Kommune.check_parent(None).is_err());
        assert!(TenantKind::Kommune
            .check_parent(Some(TenantKind::KreisfreieStadt))
            .is_err());
        assert!(TenantKind::KreisfreieStadt.check_parent(None).is_ok());
        assert!(TenantKind::Kreis
            .check_parent(Some(TenantKind::Kreis))
            .is_err());
    }

    #[test]
    fn visibility_rules() {
        let kreis = 1;
        let (kommune_a, kommune_b, kommune_c) = (2, 3, 4);
        let shared = DatasetAccess {
            owner: kreis,
            visibility: Visibility::Shared,
            shared_with: vec![kommune_a, kommune_b],
        };
        assert!(shared.visible_to(&[kreis]));
        assert!(shared.visible_to(&[kommune_a]));
        assert!(!shared.visible_to(&[kommune_c]));
        assert!(!shared.visible_to(&[]));

        let own = DatasetAccess {
            owner: kommune_a,
            visibility: Visibility::Tenant,
            shared_with: vec![kreis],
        };
        // Shares only count when the dataset is marked shared.
        assert!(!own.visible_to(&[kreis]));
        assert!(own.visible_to(&[kommune_a]));

        let public = DatasetAccess {
            owner: kommune_a,
            visibility: Visibility::Public,
            shared_with: vec![],
        };
        assert!(public.visible_to(&[]));
    }

    #[test]
    fn names_round_trip() {
        for r in Role::ALL {
            assert_eq!(r.as_str().parse::<Role>(), Ok(r));
        }
        for k in TenantKind::ALL {
            assert_eq!(k.as_str().parse::<TenantKind>(), Ok(k));
        }
        assert!("superuser".parse::<Role>().is_err());
    }
}
