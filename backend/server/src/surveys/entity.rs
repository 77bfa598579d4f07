//! Tables of the surveys module.

macro_rules! no_relations {
    () => {
        #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
        pub enum Relation {}

        impl ActiveModelBehavior for ActiveModel {}
    };
}

pub mod surveys {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
    #[sea_orm(table_name = "surveys")]
    pub struct Model {
        #[sea_orm(primary_key)]
        pub id: i32,
        pub tenant_id: i32,
        /// The German title (for lists; the texts hold every language's).
        pub title: String,
        /// `draft`, `open` or `closed`.
        pub status: String,
        /// `public`, `codes` or `residents`.
        pub access: String,
        pub opens_at: Option<DateTimeUtc>,
        pub closes_at: Option<DateTimeUtc>,
        /// `qn_domain::surveys::Survey` as JSON.
        #[sea_orm(column_type = "Text")]
        pub structure: String,
        /// `qn_domain::surveys::texts::Translations` as JSON.
        #[sea_orm(column_type = "Text")]
        pub texts: String,
        pub min_group: i32,
        pub results_published: bool,
        /// The last response the published results include (frozen at publication).
        pub results_upto: Option<i32>,
        pub version: i32,
        pub previous_id: Option<i32>,
        pub created_by: Option<i32>,
        pub created_at: DateTimeUtc,
        pub updated_at: DateTimeUtc,
    }

    no_relations!();
}

pub mod survey_areas {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
    #[sea_orm(table_name = "survey_areas")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub survey_id: i32,
        #[sea_orm(primary_key, auto_increment = false)]
        pub area_id: i32,
    }

    no_relations!();
}

pub mod survey_codes {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
    #[sea_orm(table_name = "survey_codes")]
    pub struct Model {
        #[sea_orm(primary_key)]
        pub id: i32,
        pub survey_id: i32,
        pub code_hash: String,
        pub used_at: Option<DateTimeUtc>,
        pub created_at: DateTimeUtc,
    }

    no_relations!();
}

pub mod survey_responses {
    use sea_orm::entity::prelude::*;

    /// One response. Deliberately without account, device, code, address or time of day.
    #[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
    #[sea_orm(table_name = "survey_responses")]
    pub struct Model {
        #[sea_orm(primary_key)]
        pub id: i32,
        pub survey_id: i32,
        pub tenant_id: i32,
        /// Hash of the client's idempotency key: a replay finds the first response.
        pub idem_key: String,
        pub area_id: Option<i32>,
        pub language: String,
        /// Checked `Answers` as JSON.
        #[sea_orm(column_type = "Text")]
        pub answers: String,
        pub submitted_on: Date,
        /// Hash of the answers as sent: a replayed key must bring the same answers.
        pub body_hash: Option<String>,
    }

    no_relations!();
}

pub mod survey_ballots {
    use sea_orm::entity::prelude::*;

    /// That an account or device has answered (not what, not when).
    #[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
    #[sea_orm(table_name = "survey_ballots")]
    pub struct Model {
        #[sea_orm(primary_key)]
        pub id: i32,
        pub survey_id: i32,
        pub user_id: Option<i32>,
        pub device_hash: Option<String>,
        pub expires_at: Option<DateTimeUtc>,
    }

    no_relations!();
}

pub mod survey_drafts {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
    #[sea_orm(table_name = "survey_drafts")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub token_hash: String,
        pub survey_id: i32,
        #[sea_orm(column_type = "Text")]
        pub data: String,
        pub expires_at: DateTimeUtc,
    }

    no_relations!();
}

pub mod survey_free_texts {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
    #[sea_orm(table_name = "survey_free_texts")]
    pub struct Model {
        #[sea_orm(primary_key)]
        pub id: i32,
        pub survey_id: i32,
        pub response_id: i32,
        pub question: String,
        #[sea_orm(column_type = "Text")]
        pub body: String,
        /// `pending`, `approved` or `rejected`.
        pub status: String,
        pub reviewed_by: Option<i32>,
        pub reviewed_at: Option<DateTimeUtc>,
    }

    no_relations!();
}
