//! A tenant's address register (house coordinates), so that entries given by address land on
//! their house. Replaced as a whole by the planners; looked up by street and number keys.

use sea_orm_migration::{prelude::*, schema::*};

use crate::common::Tenants;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum AddressPoints {
    Table,
    Id,
    TenantId,
    StreetKey,
    NumberKey,
    Street,
    Number,
    Postcode,
    City,
    Lon,
    Lat,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table(AddressPoints::Table)
                .col(pk_auto(AddressPoints::Id))
                .col(integer(AddressPoints::TenantId))
                .col(string(AddressPoints::StreetKey))
                .col(string(AddressPoints::NumberKey))
                .col(string(AddressPoints::Street))
                .col(string(AddressPoints::Number))
                .col(string_len_null(AddressPoints::Postcode, 5))
                .col(string_null(AddressPoints::City))
                .col(double(AddressPoints::Lon))
                .col(double(AddressPoints::Lat))
                .foreign_key(
                    ForeignKey::create()
                        .from(AddressPoints::Table, AddressPoints::TenantId)
                        .to(Tenants::Table, Tenants::Id)
                        .on_delete(ForeignKeyAction::Cascade),
                )
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("ix_address_points_street")
                .table(AddressPoints::Table)
                .col(AddressPoints::TenantId)
                .col(AddressPoints::StreetKey)
                .to_owned(),
        )
        .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.drop_table(Table::drop().table(AddressPoints::Table).to_owned())
            .await
    }
}
