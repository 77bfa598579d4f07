//! Resident surveys: the survey (structure and texts as JSON, frozen once answered; a change
//! is a new version), its target areas, one-time codes (hashed), responses (no account, IP
//! address or user agent; only the day), ballots that stop a second response from the same
//! account or device (kept apart from the responses, so they cannot be linked), drafts of the
//! plain HTML form, and the review of free-text answers.

use sea_orm_migration::{prelude::*, schema::*};

use crate::common::{drop_tables, fk, Areas, Tenants, Users};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Surveys {
    Table,
    Id,
    TenantId,
    Title,
    Status,
    Access,
    OpensAt,
    ClosesAt,
    Structure,
    Texts,
    MinGroup,
    ResultsPublished,
    Version,
    PreviousId,
    CreatedBy,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum SurveyAreas {
    Table,
    SurveyId,
    AreaId,
}

#[derive(DeriveIden)]
enum SurveyCodes {
    Table,
    Id,
    SurveyId,
    CodeHash,
    UsedAt,
    CreatedAt,
}

#[derive(DeriveIden)]
enum SurveyResponses {
    Table,
    Id,
    SurveyId,
    TenantId,
    IdemKey,
    AreaId,
    Language,
    Answers,
    SubmittedOn,
}

#[derive(DeriveIden)]
enum SurveyBallots {
    Table,
    Id,
    SurveyId,
    UserId,
    DeviceHash,
    ExpiresAt,
}

#[derive(DeriveIden)]
enum SurveyDrafts {
    Table,
    TokenHash,
    SurveyId,
    Data,
    ExpiresAt,
}

#[derive(DeriveIden)]
enum SurveyFreeTexts {
    Table,
    Id,
    SurveyId,
    ResponseId,
    Question,
    Body,
    Status,
    ReviewedBy,
    ReviewedAt,
}

use ForeignKeyAction::{Cascade, SetNull};

fn index(
    name: &str,
    table: impl IntoIden,
    cols: &[&'static str],
    unique: bool,
) -> IndexCreateStatement {
    let mut i = Index::create().name(name).table(table).to_owned();
    for c in cols {
        i.col(Alias::new(*c));
    }
    if unique {
        i.unique();
    }
    i
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table(Surveys::Table)
                .col(pk_auto(Surveys::Id))
                .col(integer(Surveys::TenantId))
                .col(string(Surveys::Title))
                .col(string(Surveys::Status))
                .col(string(Surveys::Access))
                .col(timestamp_with_time_zone_null(Surveys::OpensAt))
                .col(timestamp_with_time_zone_null(Surveys::ClosesAt))
                .col(text(Surveys::Structure))
                .col(text(Surveys::Texts))
                .col(integer(Surveys::MinGroup))
                .col(boolean(Surveys::ResultsPublished))
                .col(integer(Surveys::Version))
                .col(integer_null(Surveys::PreviousId))
                .col(integer_null(Surveys::CreatedBy))
                .col(timestamp_with_time_zone(Surveys::CreatedAt))
                .col(timestamp_with_time_zone(Surveys::UpdatedAt))
                .foreign_key(&mut fk(
                    (Surveys::Table, Surveys::TenantId),
                    (Tenants::Table, Tenants::Id),
                    Cascade,
                ))
                .foreign_key(&mut fk(
                    (Surveys::Table, Surveys::PreviousId),
                    (Surveys::Table, Surveys::Id),
                    SetNull,
                ))
                .foreign_key(&mut fk(
                    (Surveys::Table, Surveys::CreatedBy),
                    (Users::Table, Users::Id),
                    SetNull,
                ))
                .to_owned(),
        )
        .await?;
        m.create_index(index(
            "ix_surveys_tenant",
            Surveys::Table,
            &["tenant_id"],
            false,
        ))
        .await?;

        m.create_table(
            Table::create()
                .table(SurveyAreas::Table)
                .col(integer(SurveyAreas::SurveyId))
                .col(integer(SurveyAreas::AreaId))
                .primary_key(
                    Index::create()
                        .col(SurveyAreas::SurveyId)
                        .col(SurveyAreas::AreaId),
                )
                .foreign_key(&mut fk(
                    (SurveyAreas::Table, SurveyAreas::SurveyId),
                    (Surveys::Table, Surveys::Id),
                    Cascade,
                ))
                .foreign_key(&mut fk(
                    (SurveyAreas::Table, SurveyAreas::AreaId),
                    (Areas::Table, Areas::Id),
                    Cascade,
                ))
                .to_owned(),
        )
        .await?;
        m.create_index(index(
            "ix_survey_areas_area",
            SurveyAreas::Table,
            &["area_id"],
            false,
        ))
        .await?;

        m.create_table(
            Table::create()
                .table(SurveyCodes::Table)
                .col(pk_auto(SurveyCodes::Id))
                .col(integer(SurveyCodes::SurveyId))
                .col(string(SurveyCodes::CodeHash))
                .col(timestamp_with_time_zone_null(SurveyCodes::UsedAt))
                .col(timestamp_with_time_zone(SurveyCodes::CreatedAt))
                .foreign_key(&mut fk(
                    (SurveyCodes::Table, SurveyCodes::SurveyId),
                    (Surveys::Table, Surveys::Id),
                    Cascade,
                ))
                .to_owned(),
        )
        .await?;
        m.create_index(index(
            "ux_survey_codes",
            SurveyCodes::Table,
            &["survey_id", "code_hash"],
            true,
        ))
        .await?;

        m.create_table(
            Table::create()
                .table(SurveyResponses::Table)
                .col(pk_auto(SurveyResponses::Id))
                .col(integer(SurveyResponses::SurveyId))
                .col(integer(SurveyResponses::TenantId))
                .col(string(SurveyResponses::IdemKey))
                .col(integer_null(SurveyResponses::AreaId))
                .col(string(SurveyResponses::Language))
                .col(text(SurveyResponses::Answers))
                .col(date(SurveyResponses::SubmittedOn))
                .foreign_key(&mut fk(
                    (SurveyResponses::Table, SurveyResponses::SurveyId),
                    (Surveys::Table, Surveys::Id),
                    Cascade,
                ))
                .foreign_key(&mut fk(
                    (SurveyResponses::Table, SurveyResponses::TenantId),
                    (Tenants::Table, Tenants::Id),
                    Cascade,
                ))
                .foreign_key(&mut fk(
                    (SurveyResponses::Table, SurveyResponses::AreaId),
                    (Areas::Table, Areas::Id),
                    SetNull,
                ))
                .to_owned(),
        )
        .await?;
        m.create_index(index(
            "ux_survey_responses_key",
            SurveyResponses::Table,
            &["survey_id", "idem_key"],
            true,
        ))
        .await?;

        m.create_table(
            Table::create()
                .table(SurveyBallots::Table)
                .col(pk_auto(SurveyBallots::Id))
                .col(integer(SurveyBallots::SurveyId))
                .col(integer_null(SurveyBallots::UserId))
                .col(string_null(SurveyBallots::DeviceHash))
                .col(timestamp_with_time_zone_null(SurveyBallots::ExpiresAt))
                .foreign_key(&mut fk(
                    (SurveyBallots::Table, SurveyBallots::SurveyId),
                    (Surveys::Table, Surveys::Id),
                    Cascade,
                ))
                .foreign_key(&mut fk(
                    (SurveyBallots::Table, SurveyBallots::UserId),
                    (Users::Table, Users::Id),
                    Cascade,
                ))
                .to_owned(),
        )
        .await?;
        m.create_index(index(
            "ux_survey_ballots_user",
            SurveyBallots::Table,
            &["survey_id", "user_id"],
            true,
        ))
        .await?;
        m.create_index(index(
            "ux_survey_ballots_device",
            SurveyBallots::Table,
            &["survey_id", "device_hash"],
            true,
        ))
        .await?;

        m.create_table(
            Table::create()
                .table(SurveyDrafts::Table)
                .col(string(SurveyDrafts::TokenHash).primary_key())
                .col(integer(SurveyDrafts::SurveyId))
                .col(text(SurveyDrafts::Data))
                .col(timestamp_with_time_zone(SurveyDrafts::ExpiresAt))
                .foreign_key(&mut fk(
                    (SurveyDrafts::Table, SurveyDrafts::SurveyId),
                    (Surveys::Table, Surveys::Id),
                    Cascade,
                ))
                .to_owned(),
        )
        .await?;
        m.create_index(index(
            "ix_survey_drafts_expiry",
            SurveyDrafts::Table,
            &["expires_at"],
            false,
        ))
        .await?;

        m.create_table(
            Table::create()
                .table(SurveyFreeTexts::Table)
                .col(pk_auto(SurveyFreeTexts::Id))
                .col(integer(SurveyFreeTexts::SurveyId))
                .col(integer(SurveyFreeTexts::ResponseId))
                .col(string(SurveyFreeTexts::Question))
                .col(text(SurveyFreeTexts::Body))
                .col(string(SurveyFreeTexts::Status))
                .col(integer_null(SurveyFreeTexts::ReviewedBy))
                .col(timestamp_with_time_zone_null(SurveyFreeTexts::ReviewedAt))
                .foreign_key(&mut fk(
                    (SurveyFreeTexts::Table, SurveyFreeTexts::SurveyId),
                    (Surveys::Table, Surveys::Id),
                    Cascade,
                ))
                .foreign_key(&mut fk(
                    (SurveyFreeTexts::Table, SurveyFreeTexts::ResponseId),
                    (SurveyResponses::Table, SurveyResponses::Id),
                    Cascade,
                ))
                .foreign_key(&mut fk(
                    (SurveyFreeTexts::Table, SurveyFreeTexts::ReviewedBy),
                    (Users::Table, Users::Id),
                    SetNull,
                ))
                .to_owned(),
        )
        .await?;
        m.create_index(index(
            "ix_survey_free_texts",
            SurveyFreeTexts::Table,
            &["survey_id", "status"],
            false,
        ))
        .await?;
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        drop_tables(
            m,
            [
                SurveyFreeTexts::Table.into_iden(),
                SurveyDrafts::Table.into_iden(),
                SurveyBallots::Table.into_iden(),
                SurveyResponses::Table.into_iden(),
                SurveyCodes::Table.into_iden(),
                SurveyAreas::Table.into_iden(),
                Surveys::Table.into_iden(),
            ],
        )
        .await
    }
}
