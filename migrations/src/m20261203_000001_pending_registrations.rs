//! A registration waits for its e-mail address to be confirmed before an account exists, so the
//! registration form answers the same whether or not the address already has an account, and
//! nobody can hold an address they cannot read. Unconfirmed entries expire (housekeeping
//! deletes them) and hold only what the account will need.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum PendingRegistrations {
    Table,
    Id,
    TokenHash,
    Email,
    PasswordHash,
    DisplayName,
    TenantId,
    CreatedAt,
    ExpiresAt,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table(PendingRegistrations::Table)
                .col(pk_auto(PendingRegistrations::Id))
                .col(string_uniq(PendingRegistrations::TokenHash))
                .col(string(PendingRegistrations::Email))
                .col(string(PendingRegistrations::PasswordHash))
                .col(string(PendingRegistrations::DisplayName))
                .col(integer_null(PendingRegistrations::TenantId))
                .col(timestamp_with_time_zone(PendingRegistrations::CreatedAt))
                .col(timestamp_with_time_zone(PendingRegistrations::ExpiresAt))
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("idx_pending_registrations_email")
                .table(PendingRegistrations::Table)
                .col(PendingRegistrations::Email)
                .to_owned(),
        )
        .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.drop_table(Table::drop().table(PendingRegistrations::Table).to_owned())
            .await
    }
}
