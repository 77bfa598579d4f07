//! Tenants (Kreis, kreisangehörige Kommune, kreisfreie Stadt), roles, and dataset visibility.

use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;

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
    pub const ALL: [TenantKind; 3] = [Self::Kreis, Self::Kommune, Self::KreisfreieStadt];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Kreis => "kreis",
            Self::Kommune => "kommune",
            Self::KreisfreieStadt => "kreisfreie_stadt",
        }
    }

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

impl fmt::Display for TenantKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for TenantKind {
    type Err = TenancyError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::ALL
            .into_iter()
            .find(|k| k.as_str() == s)
            .ok_or_else(|| TenancyError::UnknownValue(s.to_owned()))
    }
}

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

impl Role {
    pub const ALL: [Role; 7] = [
        Self::Admin,
        Self::Planner,
        Self::QuartierManager,
        Self::Moderator,
        Self::Provider,
        Self::Resident,
        Self::Statistician,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Admin => "admin",
            Self::Planner => "planner",
            Self::QuartierManager => "quartier_manager",
            Self::Moderator => "moderator",
            Self::Provider => "provider",
            Self::Resident => "resident",
            Self::Statistician => "statistician",
        }
    }
}

impl fmt::Display for Role {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Role {
    type Err = TenancyError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::ALL
            .into_iter()
            .find(|r| r.as_str() == s)
            .ok_or_else(|| TenancyError::UnknownValue(s.to_owned()))
    }
}

/// Who may see a dataset (an area level now; indicators, surveys, … later).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Visibility {
    /// Everyone, signed in or not.
    Public,
    /// Members of the owning tenant only.
    Tenant,
    /// Members of the owning tenant and of the tenants it is shared with.
    Shared,
}

impl Visibility {
    pub const ALL: [Visibility; 3] = [Self::Public, Self::Tenant, Self::Shared];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Public => "public",
            Self::Tenant => "tenant",
            Self::Shared => "shared",
        }
    }
}

impl FromStr for Visibility {
    type Err = TenancyError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::ALL
            .into_iter()
            .find(|v| v.as_str() == s)
            .ok_or_else(|| TenancyError::UnknownValue(s.to_owned()))
    }
}

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
