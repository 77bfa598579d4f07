//! Tables of the areas module: levels, areas (stable identity) and their boundary versions.

pub mod area_levels {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
    #[sea_orm(table_name = "area_levels")]
    pub struct Model {
        #[sea_orm(primary_key)]
        pub id: i32,
        pub tenant_id: i32,
        pub key: String,
        pub name: String,
        pub parent_level_id: Option<i32>,
        pub visibility: String,
        pub created_at: DateTimeUtc,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

pub mod areas {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
    #[sea_orm(table_name = "areas")]
    pub struct Model {
        #[sea_orm(primary_key)]
        pub id: i32,
        pub tenant_id: i32,
        pub level_id: i32,
        pub code: String,
        pub name: String,
        pub parent_id: Option<i32>,
        pub created_at: DateTimeUtc,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {
        #[sea_orm(
            belongs_to = "super::area_levels::Entity",
            from = "Column::LevelId",
            to = "super::area_levels::Column::Id"
        )]
        Level,
    }

    impl Related<super::area_levels::Entity> for Entity {
        fn to() -> RelationDef {
            Relation::Level.def()
        }
    }

    impl ActiveModelBehavior for ActiveModel {}
}

pub mod area_versions {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
    #[sea_orm(table_name = "area_versions")]
    pub struct Model {
        #[sea_orm(primary_key)]
        pub id: i32,
        pub area_id: i32,
        /// GeoJSON geometry in EPSG:4326.
        #[sea_orm(column_type = "Text")]
        pub geometry: String,
        pub min_lon: f64,
        pub min_lat: f64,
        pub max_lon: f64,
        pub max_lat: f64,
        pub valid_from: DateTimeUtc,
        pub valid_to: Option<DateTimeUtc>,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}
