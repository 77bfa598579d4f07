//! Tables of the directory (see the migration `m20261128_000001_directory`).

use sea_orm::entity::prelude::*;

/// Where an actor or an offer stands with moderation; stored as its word.
#[derive(Debug, Clone, Copy, PartialEq, Eq, EnumIter, DeriveActiveEnum)]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::None)")]
pub enum EntryStatus {
    /// Waits for a moderator (new, or changed by a provider).
    #[sea_orm(string_value = "pending")]
    Pending,
    #[sea_orm(string_value = "published")]
    Published,
    #[sea_orm(string_value = "rejected")]
    Rejected,
}

impl EntryStatus {
    /// The stored word, as the pages and the API show it.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Pending => "pending",
            Self::Published => "published",
            Self::Rejected => "rejected",
        }
    }
}

macro_rules! no_relations {
    () => {
        #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
        pub enum Relation {}

        impl ActiveModelBehavior for ActiveModel {}
    };
}

/// A link between an entry and an area.
macro_rules! area_link {
    ($module:ident, $table:literal, $left:ident) => {
        pub mod $module {
            use sea_orm::entity::prelude::*;

            #[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
            #[sea_orm(table_name = $table)]
            pub struct Model {
                #[sea_orm(primary_key, auto_increment = false)]
                pub $left: i32,
                #[sea_orm(primary_key, auto_increment = false)]
                pub area_id: i32,
            }

            no_relations!();
        }
    };
}

pub mod actors {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
    #[sea_orm(table_name = "directory_actors")]
    pub struct Model {
        #[sea_orm(primary_key)]
        pub id: i32,
        pub tenant_id: i32,
        pub name: String,
        pub kind: String,
        /// Sanitised HTML.
        #[sea_orm(column_type = "Text")]
        pub description: String,
        pub contact_name: Option<String>,
        pub email: Option<String>,
        pub phone: Option<String>,
        pub street: Option<String>,
        pub postcode: Option<String>,
        pub city: Option<String>,
        pub lon: Option<f64>,
        pub lat: Option<f64>,
        pub website: Option<String>,
        /// JSON array of language keys.
        #[sea_orm(column_type = "Text")]
        pub languages: String,
        #[sea_orm(column_type = "Text", nullable)]
        pub accessibility: Option<String>,
        pub status: super::EntryStatus,
        pub trusted: bool,
        /// A change waiting for a moderator: the whole `ActorInput` as JSON.
        #[sea_orm(column_type = "Text", nullable)]
        pub pending_change: Option<String>,
        pub pending_by: Option<i32>,
        #[sea_orm(column_type = "Text", nullable)]
        pub rejection_reason: Option<String>,
        /// Where an imported entry came from (`osm:node/123`, `kitas.csv:17`).
        pub source: Option<String>,
        pub confirmed_at: DateTimeUtc,
        pub reminded_at: Option<DateTimeUtc>,
        pub created_at: DateTimeUtc,
        pub updated_at: DateTimeUtc,
    }

    no_relations!();
}

pub mod actor_members {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
    #[sea_orm(table_name = "directory_actor_members")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub actor_id: i32,
        #[sea_orm(primary_key, auto_increment = false)]
        pub user_id: i32,
        pub created_at: DateTimeUtc,
    }

    no_relations!();
}

pub mod offers {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
    #[sea_orm(table_name = "directory_offers")]
    pub struct Model {
        #[sea_orm(primary_key)]
        pub id: i32,
        pub tenant_id: i32,
        pub actor_id: i32,
        pub title: String,
        /// Sanitised HTML.
        #[sea_orm(column_type = "Text")]
        pub description: String,
        #[sea_orm(column_type = "Text")]
        pub categories: String,
        #[sea_orm(column_type = "Text")]
        pub target_groups: String,
        pub age_min: Option<i32>,
        pub age_max: Option<i32>,
        #[sea_orm(column_type = "Text")]
        pub languages: String,
        /// `qn_domain::directory::schedule::Schedule` as JSON.
        #[sea_orm(column_type = "Text")]
        pub schedule: String,
        pub cost: String,
        pub registration: bool,
        pub barrier_free: bool,
        pub street: Option<String>,
        pub postcode: Option<String>,
        pub city: Option<String>,
        /// `None`: at the actor's place.
        pub lon: Option<f64>,
        pub lat: Option<f64>,
        pub valid_from: Option<Date>,
        pub valid_until: Option<Date>,
        pub status: super::EntryStatus,
        #[sea_orm(column_type = "Text", nullable)]
        pub pending_change: Option<String>,
        pub pending_by: Option<i32>,
        #[sea_orm(column_type = "Text", nullable)]
        pub rejection_reason: Option<String>,
        pub source: Option<String>,
        pub confirmed_at: DateTimeUtc,
        pub reminded_at: Option<DateTimeUtc>,
        pub created_at: DateTimeUtc,
        pub updated_at: DateTimeUtc,
    }

    no_relations!();
}

area_link!(offer_serves, "directory_offer_serves", offer_id);
area_link!(actor_areas, "directory_actor_areas", actor_id);
area_link!(offer_areas, "directory_offer_areas", offer_id);

pub mod categories {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
    #[sea_orm(table_name = "directory_categories")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub tenant_id: i32,
        #[sea_orm(primary_key, auto_increment = false)]
        pub key: String,
        pub label: String,
        pub position: i32,
        pub retired: bool,
    }

    no_relations!();
}
