//! Tables of the indicators module.

pub mod indicators {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
    #[sea_orm(table_name = "indicators")]
    pub struct Model {
        #[sea_orm(primary_key)]
        pub id: i32,
        pub tenant_id: i32,
        pub key: String,
        pub name: String,
        pub abbreviation: String,
        pub unit: String,
        #[sea_orm(column_type = "Text")]
        pub description: String,
        pub source: String,
        pub topic: String,
        pub polarity: String,
        pub kind: String,
        pub precision: i32,
        pub min_count: i32,
        pub visibility: String,
        /// JSON of a `qn_domain::indicators::derive::Derivation` for derived indicators.
        #[sea_orm(column_type = "Text", nullable)]
        pub derivation: Option<String>,
        pub created_at: DateTimeUtc,
        pub updated_at: DateTimeUtc,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

pub mod indicator_values {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
    #[sea_orm(table_name = "indicator_values")]
    pub struct Model {
        #[sea_orm(primary_key)]
        pub id: i32,
        pub indicator_id: i32,
        pub area_id: i32,
        pub date: Date,
        pub value: Option<f64>,
        pub numerator: Option<f64>,
        pub denominator: Option<f64>,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {
        #[sea_orm(
            belongs_to = "crate::areas::entity::areas::Entity",
            from = "Column::AreaId",
            to = "crate::areas::entity::areas::Column::Id"
        )]
        Area,
    }

    impl Related<crate::areas::entity::areas::Entity> for Entity {
        fn to() -> RelationDef {
            Relation::Area.def()
        }
    }

    impl ActiveModelBehavior for ActiveModel {}
}

pub mod index_definitions {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
    #[sea_orm(table_name = "index_definitions")]
    pub struct Model {
        #[sea_orm(primary_key)]
        pub id: i32,
        pub tenant_id: i32,
        pub key: String,
        pub name: String,
        #[sea_orm(column_type = "Text")]
        pub description: String,
        pub level_id: i32,
        /// JSON of [`crate::indicators::need_index::StoredSpec`].
        #[sea_orm(column_type = "Text")]
        pub spec: String,
        pub visibility: String,
        pub created_at: DateTimeUtc,
        pub updated_at: DateTimeUtc,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

pub mod indicator_import_drafts {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
    #[sea_orm(table_name = "indicator_import_drafts")]
    pub struct Model {
        #[sea_orm(primary_key)]
        pub id: i32,
        pub tenant_id: i32,
        pub user_id: i32,
        pub indicator_id: i32,
        pub level_id: i32,
        #[sea_orm(column_type = "Text")]
        pub options: String,
        #[sea_orm(column_type = "Blob")]
        pub payload: Vec<u8>,
        #[sea_orm(column_type = "Text")]
        pub report: String,
        pub created_at: DateTimeUtc,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}
