//! Postcodes → areas, kept by the planners of a tenant: residents name their Quartier by
//! postcode in surveys. One row per pair; a postcode may belong to several areas.

use sea_orm_migration::{prelude::*, schema::*};

use crate::common::{Areas, Tenants};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum PostcodeAreas {
    Table,
    TenantId,
    Postcode,
    AreaId,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table(PostcodeAreas::Table)
                .col(integer(PostcodeAreas::TenantId))
                .col(string_len(PostcodeAreas::Postcode, 5))
                .col(integer(PostcodeAreas::AreaId))
                .primary_key(
                    Index::create()
                        .col(PostcodeAreas::TenantId)
                        .col(PostcodeAreas::Postcode)
                        .col(PostcodeAreas::AreaId),
                )
                .foreign_key(
                    ForeignKey::create()
                        .from(PostcodeAreas::Table, PostcodeAreas::TenantId)
                        .to(Tenants::Table, Tenants::Id)
                        .on_delete(ForeignKeyAction::Cascade),
                )
                .foreign_key(
                    ForeignKey::create()
                        .from(PostcodeAreas::Table, PostcodeAreas::AreaId)
                        .to(Areas::Table, Areas::Id)
                        .on_delete(ForeignKeyAction::Cascade),
                )
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("ix_postcode_areas_area")
                .table(PostcodeAreas::Table)
                .col(PostcodeAreas::AreaId)
                .to_owned(),
        )
        .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.drop_table(Table::drop().table(PostcodeAreas::Table).to_owned())
            .await
    }
}
