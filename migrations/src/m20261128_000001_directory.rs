//! The actor and offer directory (Angebotslandkarte): actors (organisations) with their
//! members (provider accounts), offers, the areas each one lies in (point in polygon, at every
//! level; recomputed when boundaries change) and the areas an offer says it serves.
//!
//! Moderation lives in the rows: `status` is `pending` until a first publication is approved
//! (`published`, or `rejected` with a reason), and a change to a published entry by a provider
//! who is not trusted waits in `pending_change` (the whole proposed entry as JSON) while the
//! published version stays visible. Lists (categories, target groups, languages, schedule) are
//! JSON text: they are read and written as a whole and searched through the search index.

use sea_orm_migration::{prelude::*, schema::*};

use crate::common::{drop_tables, fk, index, Areas, Tenants, Users};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden, Clone, Copy)]
enum DirectoryActors {
    Table,
    Id,
    TenantId,
    Name,
    Kind,
    Description,
    ContactName,
    Email,
    Phone,
    Street,
    Postcode,
    City,
    Lon,
    Lat,
    Website,
    Languages,
    Accessibility,
    Status,
    Trusted,
    PendingChange,
    PendingBy,
    RejectionReason,
    Source,
    ConfirmedAt,
    RemindedAt,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden, Clone, Copy)]
enum DirectoryActorMembers {
    Table,
    ActorId,
    UserId,
    CreatedAt,
}

#[derive(DeriveIden, Clone, Copy)]
enum DirectoryOffers {
    Table,
    Id,
    TenantId,
    ActorId,
    Title,
    Description,
    Categories,
    TargetGroups,
    AgeMin,
    AgeMax,
    Languages,
    Schedule,
    Cost,
    Registration,
    BarrierFree,
    Street,
    Postcode,
    City,
    Lon,
    Lat,
    ValidFrom,
    ValidUntil,
    Status,
    PendingChange,
    PendingBy,
    RejectionReason,
    Source,
    ConfirmedAt,
    RemindedAt,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden, Clone, Copy)]
enum DirectoryOfferServes {
    Table,
    OfferId,
    AreaId,
}

#[derive(DeriveIden, Clone, Copy)]
enum DirectoryActorAreas {
    Table,
    ActorId,
    AreaId,
}

#[derive(DeriveIden, Clone, Copy)]
enum DirectoryOfferAreas {
    Table,
    OfferId,
    AreaId,
}

use ForeignKeyAction::{Cascade, SetNull};

/// A link table (`left` id, area id) with cascades both ways and an index on the area.
async fn area_link(
    m: &SchemaManager<'_>,
    table: impl IntoIden + Copy + 'static,
    left: impl IntoIden + Copy + 'static,
    left_table: impl IntoIden + Copy + 'static,
    left_id: impl IntoIden + Copy + 'static,
    area: impl IntoIden + Copy + 'static,
    index_name: &str,
) -> Result<(), DbErr> {
    m.create_table(
        Table::create()
            .table(table)
            .col(integer(left))
            .col(integer(area))
            .primary_key(Index::create().col(left).col(area))
            .foreign_key(&mut fk((table, left), (left_table, left_id), Cascade))
            .foreign_key(&mut fk((table, area), (Areas::Table, Areas::Id), Cascade))
            .to_owned(),
    )
    .await?;
    m.create_index(index(index_name, table, &["area_id"])).await
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        use DirectoryActors as A;
        m.create_table(
            Table::create()
                .table(A::Table)
                .col(pk_auto(A::Id))
                .col(integer(A::TenantId))
                .col(string(A::Name))
                .col(string(A::Kind))
                .col(text(A::Description))
                .col(string_null(A::ContactName))
                .col(string_null(A::Email))
                .col(string_null(A::Phone))
                .col(string_null(A::Street))
                .col(string_null(A::Postcode))
                .col(string_null(A::City))
                .col(double_null(A::Lon))
                .col(double_null(A::Lat))
                .col(string_null(A::Website))
                .col(text(A::Languages))
                .col(text_null(A::Accessibility))
                .col(string(A::Status))
                .col(boolean(A::Trusted))
                .col(text_null(A::PendingChange))
                .col(integer_null(A::PendingBy))
                .col(text_null(A::RejectionReason))
                .col(string_null(A::Source))
                .col(timestamp_with_time_zone(A::ConfirmedAt))
                .col(timestamp_with_time_zone_null(A::RemindedAt))
                .col(timestamp_with_time_zone(A::CreatedAt))
                .col(timestamp_with_time_zone(A::UpdatedAt))
                .foreign_key(&mut fk(
                    (A::Table, A::TenantId),
                    (Tenants::Table, Tenants::Id),
                    Cascade,
                ))
                .foreign_key(&mut fk(
                    (A::Table, A::PendingBy),
                    (Users::Table, Users::Id),
                    SetNull,
                ))
                .to_owned(),
        )
        .await?;
        m.create_index(index(
            "ix_directory_actors_tenant",
            A::Table,
            &["tenant_id", "status"],
        ))
        .await?;
        m.create_index(index(
            "ix_directory_actors_source",
            A::Table,
            &["tenant_id", "source"],
        ))
        .await?;

        use DirectoryActorMembers as M;
        m.create_table(
            Table::create()
                .table(M::Table)
                .col(integer(M::ActorId))
                .col(integer(M::UserId))
                .col(timestamp_with_time_zone(M::CreatedAt))
                .primary_key(Index::create().col(M::ActorId).col(M::UserId))
                .foreign_key(&mut fk((M::Table, M::ActorId), (A::Table, A::Id), Cascade))
                .foreign_key(&mut fk(
                    (M::Table, M::UserId),
                    (Users::Table, Users::Id),
                    Cascade,
                ))
                .to_owned(),
        )
        .await?;
        m.create_index(index(
            "ix_directory_actor_members_user",
            M::Table,
            &["user_id"],
        ))
        .await?;

        use DirectoryOffers as O;
        m.create_table(
            Table::create()
                .table(O::Table)
                .col(pk_auto(O::Id))
                .col(integer(O::TenantId))
                .col(integer(O::ActorId))
                .col(string(O::Title))
                .col(text(O::Description))
                .col(text(O::Categories))
                .col(text(O::TargetGroups))
                .col(integer_null(O::AgeMin))
                .col(integer_null(O::AgeMax))
                .col(text(O::Languages))
                .col(text(O::Schedule))
                .col(string(O::Cost))
                .col(boolean(O::Registration))
                .col(boolean(O::BarrierFree))
                .col(string_null(O::Street))
                .col(string_null(O::Postcode))
                .col(string_null(O::City))
                .col(double_null(O::Lon))
                .col(double_null(O::Lat))
                .col(date_null(O::ValidFrom))
                .col(date_null(O::ValidUntil))
                .col(string(O::Status))
                .col(text_null(O::PendingChange))
                .col(integer_null(O::PendingBy))
                .col(text_null(O::RejectionReason))
                .col(string_null(O::Source))
                .col(timestamp_with_time_zone(O::ConfirmedAt))
                .col(timestamp_with_time_zone_null(O::RemindedAt))
                .col(timestamp_with_time_zone(O::CreatedAt))
                .col(timestamp_with_time_zone(O::UpdatedAt))
                .foreign_key(&mut fk(
                    (O::Table, O::TenantId),
                    (Tenants::Table, Tenants::Id),
                    Cascade,
                ))
                .foreign_key(&mut fk((O::Table, O::ActorId), (A::Table, A::Id), Cascade))
                .foreign_key(&mut fk(
                    (O::Table, O::PendingBy),
                    (Users::Table, Users::Id),
                    SetNull,
                ))
                .to_owned(),
        )
        .await?;
        m.create_index(index(
            "ix_directory_offers_tenant",
            O::Table,
            &["tenant_id", "status"],
        ))
        .await?;
        m.create_index(index("ix_directory_offers_actor", O::Table, &["actor_id"]))
            .await?;

        area_link(
            m,
            DirectoryOfferServes::Table,
            DirectoryOfferServes::OfferId,
            O::Table,
            O::Id,
            DirectoryOfferServes::AreaId,
            "ix_directory_offer_serves_area",
        )
        .await?;
        area_link(
            m,
            DirectoryActorAreas::Table,
            DirectoryActorAreas::ActorId,
            A::Table,
            A::Id,
            DirectoryActorAreas::AreaId,
            "ix_directory_actor_areas_area",
        )
        .await?;
        area_link(
            m,
            DirectoryOfferAreas::Table,
            DirectoryOfferAreas::OfferId,
            O::Table,
            O::Id,
            DirectoryOfferAreas::AreaId,
            "ix_directory_offer_areas_area",
        )
        .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        drop_tables(
            m,
            [
                DirectoryOfferAreas::Table.into_iden(),
                DirectoryActorAreas::Table.into_iden(),
                DirectoryOfferServes::Table.into_iden(),
                DirectoryOffers::Table.into_iden(),
                DirectoryActorMembers::Table.into_iden(),
                DirectoryActors::Table.into_iden(),
            ],
        )
        .await
    }
}
