//! Tables of the boards module (and the audit log it is the first to write).

macro_rules! no_relations {
    () => {
        #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
        pub enum Relation {}

        impl ActiveModelBehavior for ActiveModel {}
    };
}

pub mod boards {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
    #[sea_orm(table_name = "boards")]
    pub struct Model {
        #[sea_orm(primary_key)]
        pub id: i32,
        pub tenant_id: i32,
        /// The Quartier the board is for; `None` for a topic board of the whole Kommune.
        pub area_id: Option<i32>,
        pub topic: Option<String>,
        pub title: String,
        /// Sanitised HTML.
        #[sea_orm(column_type = "Text")]
        pub rules: String,
        pub open: bool,
        pub access: String,
        pub premoderate_first: bool,
        pub created_by: Option<i32>,
        pub created_at: DateTimeUtc,
    }

    no_relations!();
}

pub mod board_tags {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
    #[sea_orm(table_name = "board_tags")]
    pub struct Model {
        #[sea_orm(primary_key)]
        pub id: i32,
        pub tenant_id: i32,
        pub name: String,
    }

    no_relations!();
}

pub mod board_posts {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
    #[sea_orm(table_name = "board_posts")]
    pub struct Model {
        #[sea_orm(primary_key)]
        pub id: i32,
        pub board_id: i32,
        pub tenant_id: i32,
        pub user_id: Option<i32>,
        /// SHA-256 of the device cookie of an anonymous author.
        pub device_hash: Option<String>,
        pub author_name: String,
        pub kind: String,
        pub title: String,
        #[sea_orm(column_type = "Text")]
        pub body_html: String,
        /// What the author typed; only ever given back into the edit form (as text).
        #[sea_orm(column_type = "Text", nullable)]
        pub body_source: Option<String>,
        pub lon: Option<f64>,
        pub lat: Option<f64>,
        pub status: String,
        #[sea_orm(column_type = "Text", nullable)]
        pub answer_html: Option<String>,
        pub answered_at: Option<DateTimeUtc>,
        /// The answering office's name as shown (not an account).
        pub answered_by: Option<String>,
        pub moderation: String,
        pub moderation_reason: Option<String>,
        pub support_count: i32,
        pub comment_count: i32,
        pub created_at: DateTimeUtc,
        pub updated_at: DateTimeUtc,
    }

    no_relations!();
}

pub mod board_post_areas {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
    #[sea_orm(table_name = "board_post_areas")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub post_id: i32,
        #[sea_orm(primary_key, auto_increment = false)]
        pub area_id: i32,
    }

    no_relations!();
}

pub mod board_post_tags {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
    #[sea_orm(table_name = "board_post_tags")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub post_id: i32,
        #[sea_orm(primary_key, auto_increment = false)]
        pub tag_id: i32,
    }

    no_relations!();
}

pub mod board_comments {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
    #[sea_orm(table_name = "board_comments")]
    pub struct Model {
        #[sea_orm(primary_key)]
        pub id: i32,
        pub post_id: i32,
        pub parent_id: Option<i32>,
        pub user_id: Option<i32>,
        pub device_hash: Option<String>,
        pub author_name: String,
        #[sea_orm(column_type = "Text")]
        pub body_html: String,
        pub moderation: String,
        pub moderation_reason: Option<String>,
        pub created_at: DateTimeUtc,
        pub updated_at: DateTimeUtc,
    }

    no_relations!();
}

pub mod board_supports {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
    #[sea_orm(table_name = "board_supports")]
    pub struct Model {
        #[sea_orm(primary_key)]
        pub id: i32,
        pub post_id: i32,
        pub user_id: Option<i32>,
        pub device_hash: Option<String>,
        pub created_at: DateTimeUtc,
    }

    no_relations!();
}

pub mod board_follows {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
    #[sea_orm(table_name = "board_follows")]
    pub struct Model {
        #[sea_orm(primary_key)]
        pub id: i32,
        pub user_id: i32,
        pub board_id: Option<i32>,
        pub post_id: Option<i32>,
        pub created_at: DateTimeUtc,
    }

    no_relations!();
}

pub mod board_reports {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
    #[sea_orm(table_name = "board_reports")]
    pub struct Model {
        #[sea_orm(primary_key)]
        pub id: i32,
        pub tenant_id: i32,
        pub target: String,
        pub target_id: i32,
        /// The post itself or the post of the reported comment.
        pub post_id: i32,
        #[sea_orm(column_type = "Text")]
        pub reason: String,
        pub user_id: Option<i32>,
        pub device_hash: Option<String>,
        pub created_at: DateTimeUtc,
        pub resolved_at: Option<DateTimeUtc>,
        pub resolved_by: Option<i32>,
    }

    no_relations!();
}

pub mod board_revisions {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
    #[sea_orm(table_name = "board_revisions")]
    pub struct Model {
        #[sea_orm(primary_key)]
        pub id: i32,
        pub target: String,
        pub target_id: i32,
        pub title: Option<String>,
        #[sea_orm(column_type = "Text")]
        pub body_html: String,
        /// Who edited, as shown ("Autorin", "Moderation").
        pub edited_by: String,
        pub edited_at: DateTimeUtc,
    }

    no_relations!();
}

pub mod board_bans {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
    #[sea_orm(table_name = "board_bans")]
    pub struct Model {
        #[sea_orm(primary_key)]
        pub id: i32,
        pub tenant_id: i32,
        pub user_id: Option<i32>,
        pub device_hash: Option<String>,
        #[sea_orm(column_type = "Text")]
        pub reason: String,
        pub until: Option<DateTimeUtc>,
        pub created_by: Option<i32>,
        pub created_at: DateTimeUtc,
    }

    no_relations!();
}

pub mod board_filter_words {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
    #[sea_orm(table_name = "board_filter_words")]
    pub struct Model {
        #[sea_orm(primary_key)]
        pub id: i32,
        pub tenant_id: i32,
        pub word: String,
    }

    no_relations!();
}
