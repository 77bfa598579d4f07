//! Tenants, accounts, sessions, the mail outbox, dataset shares and spatial units.

use sea_orm_migration::{prelude::*, schema::*};

use crate::common::{drop_tables, fk};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Tenants {
    Table,
    Id,
    Slug,
    Name,
    Kind,
    ParentId,
    CreatedAt,
}

#[derive(DeriveIden)]
enum Users {
    Table,
    Id,
    Email,
    PasswordHash,
    DisplayName,
    CreatedAt,
}

#[derive(DeriveIden)]
enum Memberships {
    Table,
    Id,
    UserId,
    TenantId,
    Role,
    CreatedAt,
}

#[derive(DeriveIden)]
enum Sessions {
    Table,
    Id,
    TokenHash,
    UserId,
    CreatedAt,
    ExpiresAt,
}

#[derive(DeriveIden)]
enum PasswordResets {
    Table,
    Id,
    TokenHash,
    UserId,
    CreatedAt,
    ExpiresAt,
    UsedAt,
}

#[derive(DeriveIden)]
enum Outbox {
    Table,
    Id,
    Recipient,
    Subject,
    Body,
    CreatedAt,
    SentAt,
    Attempts,
    LastError,
}

#[derive(DeriveIden)]
enum DatasetShares {
    Table,
    Id,
    DatasetKind,
    DatasetId,
    TenantId,
}

#[derive(DeriveIden)]
enum AreaLevels {
    Table,
    Id,
    TenantId,
    Key,
    Name,
    ParentLevelId,
    Visibility,
    CreatedAt,
}

#[derive(DeriveIden)]
enum Areas {
    Table,
    Id,
    TenantId,
    LevelId,
    Code,
    Name,
    ParentId,
    CreatedAt,
}

#[derive(DeriveIden)]
enum AreaVersions {
    Table,
    Id,
    AreaId,
    Geometry,
    MinLon,
    MinLat,
    MaxLon,
    MaxLat,
    ValidFrom,
    ValidTo,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table(Tenants::Table)
                .col(pk_auto(Tenants::Id))
                .col(string_uniq(Tenants::Slug))
                .col(string(Tenants::Name))
                .col(string(Tenants::Kind))
                .col(integer_null(Tenants::ParentId))
                .col(timestamp_with_time_zone(Tenants::CreatedAt))
                .foreign_key(&mut fk(
                    (Tenants::Table, Tenants::ParentId),
                    (Tenants::Table, Tenants::Id),
                    ForeignKeyAction::Restrict,
                ))
                .to_owned(),
        )
        .await?;

        m.create_table(
            Table::create()
                .table(Users::Table)
                .col(pk_auto(Users::Id))
                .col(string_uniq(Users::Email))
                .col(string(Users::PasswordHash))
                .col(string(Users::DisplayName))
                .col(timestamp_with_time_zone(Users::CreatedAt))
                .to_owned(),
        )
        .await?;

        m.create_table(
            Table::create()
                .table(Memberships::Table)
                .col(pk_auto(Memberships::Id))
                .col(integer(Memberships::UserId))
                .col(integer(Memberships::TenantId))
                .col(string(Memberships::Role))
                .col(timestamp_with_time_zone(Memberships::CreatedAt))
                .foreign_key(&mut fk(
                    (Memberships::Table, Memberships::UserId),
                    (Users::Table, Users::Id),
                    ForeignKeyAction::Cascade,
                ))
                .foreign_key(&mut fk(
                    (Memberships::Table, Memberships::TenantId),
                    (Tenants::Table, Tenants::Id),
                    ForeignKeyAction::Cascade,
                ))
                .index(
                    Index::create()
                        .name("ux_memberships_user_tenant_role")
                        .col(Memberships::UserId)
                        .col(Memberships::TenantId)
                        .col(Memberships::Role)
                        .unique(),
                )
                .to_owned(),
        )
        .await?;

        m.create_table(
            Table::create()
                .table(Sessions::Table)
                .col(pk_auto(Sessions::Id))
                .col(string_uniq(Sessions::TokenHash))
                .col(integer(Sessions::UserId))
                .col(timestamp_with_time_zone(Sessions::CreatedAt))
                .col(timestamp_with_time_zone(Sessions::ExpiresAt))
                .foreign_key(&mut fk(
                    (Sessions::Table, Sessions::UserId),
                    (Users::Table, Users::Id),
                    ForeignKeyAction::Cascade,
                ))
                .to_owned(),
        )
        .await?;

        m.create_table(
            Table::create()
                .table(PasswordResets::Table)
                .col(pk_auto(PasswordResets::Id))
                .col(string_uniq(PasswordResets::TokenHash))
                .col(integer(PasswordResets::UserId))
                .col(timestamp_with_time_zone(PasswordResets::CreatedAt))
                .col(timestamp_with_time_zone(PasswordResets::ExpiresAt))
                .col(timestamp_with_time_zone_null(PasswordResets::UsedAt))
                .foreign_key(&mut fk(
                    (PasswordResets::Table, PasswordResets::UserId),
                    (Users::Table, Users::Id),
                    ForeignKeyAction::Cascade,
                ))
                .to_owned(),
        )
        .await?;

        m.create_table(
            Table::create()
                .table(Outbox::Table)
                .col(pk_auto(Outbox::Id))
                .col(string(Outbox::Recipient))
                .col(string(Outbox::Subject))
                .col(text(Outbox::Body))
                .col(timestamp_with_time_zone(Outbox::CreatedAt))
                .col(timestamp_with_time_zone_null(Outbox::SentAt))
                .col(integer(Outbox::Attempts).default(0))
                .col(text_null(Outbox::LastError))
                .to_owned(),
        )
        .await?;

        m.create_table(
            Table::create()
                .table(DatasetShares::Table)
                .col(pk_auto(DatasetShares::Id))
                .col(string(DatasetShares::DatasetKind))
                .col(integer(DatasetShares::DatasetId))
                .col(integer(DatasetShares::TenantId))
                .foreign_key(&mut fk(
                    (DatasetShares::Table, DatasetShares::TenantId),
                    (Tenants::Table, Tenants::Id),
                    ForeignKeyAction::Cascade,
                ))
                .index(
                    Index::create()
                        .name("ux_dataset_shares")
                        .col(DatasetShares::DatasetKind)
                        .col(DatasetShares::DatasetId)
                        .col(DatasetShares::TenantId)
                        .unique(),
                )
                .to_owned(),
        )
        .await?;

        m.create_table(
            Table::create()
                .table(AreaLevels::Table)
                .col(pk_auto(AreaLevels::Id))
                .col(integer(AreaLevels::TenantId))
                .col(string(AreaLevels::Key))
                .col(string(AreaLevels::Name))
                .col(integer_null(AreaLevels::ParentLevelId))
                .col(string(AreaLevels::Visibility))
                .col(timestamp_with_time_zone(AreaLevels::CreatedAt))
                .foreign_key(&mut fk(
                    (AreaLevels::Table, AreaLevels::TenantId),
                    (Tenants::Table, Tenants::Id),
                    ForeignKeyAction::Cascade,
                ))
                .foreign_key(&mut fk(
                    (AreaLevels::Table, AreaLevels::ParentLevelId),
                    (AreaLevels::Table, AreaLevels::Id),
                    ForeignKeyAction::Restrict,
                ))
                .index(
                    Index::create()
                        .name("ux_area_levels_tenant_key")
                        .col(AreaLevels::TenantId)
                        .col(AreaLevels::Key)
                        .unique(),
                )
                .to_owned(),
        )
        .await?;

        m.create_table(
            Table::create()
                .table(Areas::Table)
                .col(pk_auto(Areas::Id))
                .col(integer(Areas::TenantId))
                .col(integer(Areas::LevelId))
                .col(string(Areas::Code))
                .col(string(Areas::Name))
                .col(integer_null(Areas::ParentId))
                .col(timestamp_with_time_zone(Areas::CreatedAt))
                .foreign_key(&mut fk(
                    (Areas::Table, Areas::TenantId),
                    (Tenants::Table, Tenants::Id),
                    ForeignKeyAction::Cascade,
                ))
                .foreign_key(&mut fk(
                    (Areas::Table, Areas::LevelId),
                    (AreaLevels::Table, AreaLevels::Id),
                    ForeignKeyAction::Cascade,
                ))
                .foreign_key(&mut fk(
                    (Areas::Table, Areas::ParentId),
                    (Areas::Table, Areas::Id),
                    ForeignKeyAction::SetNull,
                ))
                .index(
                    Index::create()
                        .name("ux_areas_level_code")
                        .col(Areas::LevelId)
                        .col(Areas::Code)
                        .unique(),
                )
                .to_owned(),
        )
        .await?;

        m.create_table(
            Table::create()
                .table(AreaVersions::Table)
                .col(pk_auto(AreaVersions::Id))
                .col(integer(AreaVersions::AreaId))
                .col(text(AreaVersions::Geometry))
                .col(double(AreaVersions::MinLon))
                .col(double(AreaVersions::MinLat))
                .col(double(AreaVersions::MaxLon))
                .col(double(AreaVersions::MaxLat))
                .col(timestamp_with_time_zone(AreaVersions::ValidFrom))
                .col(timestamp_with_time_zone_null(AreaVersions::ValidTo))
                .foreign_key(&mut fk(
                    (AreaVersions::Table, AreaVersions::AreaId),
                    (Areas::Table, Areas::Id),
                    ForeignKeyAction::Cascade,
                ))
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("ix_area_versions_area_valid_to")
                .table(AreaVersions::Table)
                .col(AreaVersions::AreaId)
                .col(AreaVersions::ValidTo)
                .to_owned(),
        )
        .await?;
        // At most one current boundary per area, whatever the application does (partial index:
        // same syntax in SQLite and PostgreSQL).
        m.get_connection()
            .execute_unprepared(
                "CREATE UNIQUE INDEX ux_area_versions_current ON area_versions (area_id) WHERE valid_to IS NULL",
            )
            .await?;
        m.create_index(
            Index::create()
                .name("ix_sessions_user")
                .table(Sessions::Table)
                .col(Sessions::UserId)
                .to_owned(),
        )
        .await?;
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        // Children before parents, so foreign keys never block the drop.
        drop_tables(
            m,
            [
                AreaVersions::Table.into_iden(),
                Areas::Table.into_iden(),
                AreaLevels::Table.into_iden(),
                DatasetShares::Table.into_iden(),
                Outbox::Table.into_iden(),
                PasswordResets::Table.into_iden(),
                Sessions::Table.into_iden(),
                Memberships::Table.into_iden(),
                Users::Table.into_iden(),
                Tenants::Table.into_iden(),
            ],
        )
        .await
    }
}
