//! Indicators: catalogue, values per area and date, need-index definitions, and import drafts
//! (an uploaded file waiting for the planner's confirmation after its preview).

use sea_orm_migration::{prelude::*, schema::*};

use crate::common::{drop_tables, Areas, Tenants, Users};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum AreaLevels {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum Indicators {
    Table,
    Id,
    TenantId,
    Key,
    Name,
    Abbreviation,
    Unit,
    Description,
    Source,
    Topic,
    Polarity,
    Kind,
    Precision,
    MinCount,
    Visibility,
    Derivation,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum IndicatorValues {
    Table,
    Id,
    IndicatorId,
    AreaId,
    Date,
    Value,
    Numerator,
    Denominator,
}

#[derive(DeriveIden)]
enum IndexDefinitions {
    Table,
    Id,
    TenantId,
    Key,
    Name,
    Description,
    LevelId,
    Spec,
    Visibility,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum IndicatorImportDrafts {
    Table,
    Id,
    TenantId,
    UserId,
    IndicatorId,
    LevelId,
    Options,
    Payload,
    Report,
    CreatedAt,
}

fn fk(
    from: (impl IntoIden, impl IntoIden),
    to: (impl IntoIden, impl IntoIden),
) -> ForeignKeyCreateStatement {
    ForeignKey::create()
        .from(from.0, from.1)
        .to(to.0, to.1)
        .on_delete(ForeignKeyAction::Cascade)
        .to_owned()
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table(Indicators::Table)
                .col(pk_auto(Indicators::Id))
                .col(integer(Indicators::TenantId))
                .col(string(Indicators::Key))
                .col(string(Indicators::Name))
                .col(string(Indicators::Abbreviation))
                .col(string(Indicators::Unit))
                .col(text(Indicators::Description))
                .col(string(Indicators::Source))
                .col(string(Indicators::Topic))
                .col(string(Indicators::Polarity))
                .col(string(Indicators::Kind))
                .col(integer(Indicators::Precision))
                .col(integer(Indicators::MinCount))
                .col(string(Indicators::Visibility))
                .col(text_null(Indicators::Derivation))
                .col(timestamp_with_time_zone(Indicators::CreatedAt))
                .col(timestamp_with_time_zone(Indicators::UpdatedAt))
                .foreign_key(&mut fk(
                    (Indicators::Table, Indicators::TenantId),
                    (Tenants::Table, Tenants::Id),
                ))
                .index(
                    Index::create()
                        .name("ux_indicators_tenant_key")
                        .col(Indicators::TenantId)
                        .col(Indicators::Key)
                        .unique(),
                )
                .to_owned(),
        )
        .await?;

        m.create_table(
            Table::create()
                .table(IndicatorValues::Table)
                .col(pk_auto(IndicatorValues::Id))
                .col(integer(IndicatorValues::IndicatorId))
                .col(integer(IndicatorValues::AreaId))
                .col(date(IndicatorValues::Date))
                // NULL is "no data", distinct from 0.
                .col(double_null(IndicatorValues::Value))
                .col(double_null(IndicatorValues::Numerator))
                .col(double_null(IndicatorValues::Denominator))
                .foreign_key(&mut fk(
                    (IndicatorValues::Table, IndicatorValues::IndicatorId),
                    (Indicators::Table, Indicators::Id),
                ))
                .foreign_key(&mut fk(
                    (IndicatorValues::Table, IndicatorValues::AreaId),
                    (Areas::Table, Areas::Id),
                ))
                .index(
                    Index::create()
                        .name("ux_indicator_values")
                        .col(IndicatorValues::IndicatorId)
                        .col(IndicatorValues::AreaId)
                        .col(IndicatorValues::Date)
                        .unique(),
                )
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("ix_indicator_values_indicator_date")
                .table(IndicatorValues::Table)
                .col(IndicatorValues::IndicatorId)
                .col(IndicatorValues::Date)
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("ix_indicator_values_area")
                .table(IndicatorValues::Table)
                .col(IndicatorValues::AreaId)
                .to_owned(),
        )
        .await?;

        m.create_table(
            Table::create()
                .table(IndexDefinitions::Table)
                .col(pk_auto(IndexDefinitions::Id))
                .col(integer(IndexDefinitions::TenantId))
                .col(string(IndexDefinitions::Key))
                .col(string(IndexDefinitions::Name))
                .col(text(IndexDefinitions::Description))
                .col(integer(IndexDefinitions::LevelId))
                .col(text(IndexDefinitions::Spec))
                .col(string(IndexDefinitions::Visibility))
                .col(timestamp_with_time_zone(IndexDefinitions::CreatedAt))
                .col(timestamp_with_time_zone(IndexDefinitions::UpdatedAt))
                .foreign_key(&mut fk(
                    (IndexDefinitions::Table, IndexDefinitions::TenantId),
                    (Tenants::Table, Tenants::Id),
                ))
                .foreign_key(&mut fk(
                    (IndexDefinitions::Table, IndexDefinitions::LevelId),
                    (AreaLevels::Table, AreaLevels::Id),
                ))
                .index(
                    Index::create()
                        .name("ux_index_definitions_tenant_key")
                        .col(IndexDefinitions::TenantId)
                        .col(IndexDefinitions::Key)
                        .unique(),
                )
                .to_owned(),
        )
        .await?;

        m.create_table(
            Table::create()
                .table(IndicatorImportDrafts::Table)
                .col(pk_auto(IndicatorImportDrafts::Id))
                .col(integer(IndicatorImportDrafts::TenantId))
                .col(integer(IndicatorImportDrafts::UserId))
                .col(integer(IndicatorImportDrafts::IndicatorId))
                .col(integer(IndicatorImportDrafts::LevelId))
                .col(text(IndicatorImportDrafts::Options))
                .col(blob(IndicatorImportDrafts::Payload))
                .col(text(IndicatorImportDrafts::Report))
                .col(timestamp_with_time_zone(IndicatorImportDrafts::CreatedAt))
                .foreign_key(&mut fk(
                    (
                        IndicatorImportDrafts::Table,
                        IndicatorImportDrafts::TenantId,
                    ),
                    (Tenants::Table, Tenants::Id),
                ))
                .foreign_key(&mut fk(
                    (IndicatorImportDrafts::Table, IndicatorImportDrafts::UserId),
                    (Users::Table, Users::Id),
                ))
                .foreign_key(&mut fk(
                    (
                        IndicatorImportDrafts::Table,
                        IndicatorImportDrafts::IndicatorId,
                    ),
                    (Indicators::Table, Indicators::Id),
                ))
                .to_owned(),
        )
        .await?;
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        drop_tables(
            m,
            [
                IndicatorImportDrafts::Table.into_iden(),
                IndexDefinitions::Table.into_iden(),
                IndicatorValues::Table.into_iden(),
                Indicators::Table.into_iden(),
            ],
        )
        .await
    }
}
