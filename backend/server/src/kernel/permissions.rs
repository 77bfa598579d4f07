//! Who may do what: one table from each permission to the roles that have it. Roles are per
//! tenant (a `Viewer` holds them); use cases ask `viewer.require(tenant, Can::…)`.

use qn_domain::tenancy::Role;

use Role::{Admin, Moderator, Planner, QuartierManager, Statistician};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Can {
    /// See the tenant's datasets that are not public (the administration's roles).
    SeeInternal,
    /// Invite, suspend and revoke members; give roles.
    ManageMembers,
    /// Import and change levels and areas.
    EditAreas,
    /// Keep the postcode table.
    EditPostcodes,
    /// Keep the address register (house coordinates).
    EditAddressRegister,
    /// Keep the indicator catalogue, import values, define need indices.
    EditIndicators,
    /// See values below the disclosure threshold.
    ReadRawValues,
    /// Create and configure boards, keep the fields of action.
    ManageBoards,
    /// Answer posts for the administration and set their status.
    AnswerPosts,
    /// Hide, restore, approve posts and comments; ban.
    ModeratePosts,
    /// Approve and reject directory entries; edit any entry of the tenant.
    ModerateDirectory,
    /// Import directory entries in bulk.
    ImportDirectory,
    /// Keep the directory's categories.
    EditCategories,
    /// Build, open and close surveys; see their results.
    ManageSurveys,
    /// See raw survey responses (one row per response).
    ReadRawAnswers,
    /// Review free-text answers before they are shown beyond the planners.
    ReviewFreeTexts,
}

impl Can {
    /// The table.
    pub const fn roles(self) -> &'static [Role] {
        match self {
            Self::SeeInternal => &[Admin, Planner, QuartierManager, Moderator, Statistician],
            Self::ManageMembers => &[Admin],
            Self::EditAreas
            | Self::EditPostcodes
            | Self::EditAddressRegister
            | Self::EditIndicators
            | Self::ImportDirectory
            | Self::EditCategories
            | Self::ReadRawAnswers => &[Admin, Planner],
            Self::ReadRawValues => &[Statistician],
            Self::ManageBoards | Self::AnswerPosts | Self::ManageSurveys => {
                &[Admin, Planner, QuartierManager]
            }
            Self::ModeratePosts => &[Admin, Moderator],
            Self::ModerateDirectory | Self::ReviewFreeTexts => &[Admin, Planner, Moderator],
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn residents_and_providers_have_no_permission() {
        let all = [
            Can::SeeInternal,
            Can::ManageMembers,
            Can::EditAreas,
            Can::EditPostcodes,
            Can::EditAddressRegister,
            Can::EditIndicators,
            Can::ReadRawValues,
            Can::ManageBoards,
            Can::AnswerPosts,
            Can::ModeratePosts,
            Can::ModerateDirectory,
            Can::ImportDirectory,
            Can::EditCategories,
            Can::ManageSurveys,
            Can::ReadRawAnswers,
            Can::ReviewFreeTexts,
        ];
        for can in all {
            let roles = can.roles();
            assert!(!roles.contains(&Role::Resident) && !roles.contains(&Role::Provider));
            assert!(!roles.is_empty());
        }
        // Raw values are a right of their own: not even an admin has it by role.
        assert!(!Can::ReadRawValues.roles().contains(&Admin));
    }
}
