//! The offer categories each Kommune manages. A Kommune without rows has the default taxonomy
//! (`qn_domain::directory::taxonomy::CATEGORIES`); its first change writes the whole list.
//! Categories are retired, never deleted: offers keep their keys.

use sea_orm_migration::{prelude::*, schema::*};

use crate::common::Tenants;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum DirectoryCategories {
    Table,
    TenantId,
    Key,
    Label,
    Position,
    Retired,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table(DirectoryCategories::Table)
                .col(integer(DirectoryCategories::TenantId))
                .col(string_len(DirectoryCategories::Key, 40))
                .col(string_len(DirectoryCategories::Label, 80))
                .col(integer(DirectoryCategories::Position))
                .col(boolean(DirectoryCategories::Retired).default(false))
                .primary_key(
                    Index::create()
                        .col(DirectoryCategories::TenantId)
                        .col(DirectoryCategories::Key),
                )
                .foreign_key(
                    ForeignKey::create()
                        .from(DirectoryCategories::Table, DirectoryCategories::TenantId)
                        .to(Tenants::Table, Tenants::Id)
                        .on_delete(ForeignKeyAction::Cascade),
                )
                .to_owned(),
        )
        .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.drop_table(Table::drop().table(DirectoryCategories::Table).to_owned())
            .await
    }
}
