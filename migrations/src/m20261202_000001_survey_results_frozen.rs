//! Published survey results are frozen at publication: the public sees the responses up to the
//! last one stored when the results were published (`results_upto`, a response id), so answers
//! sent afterwards cannot be subtracted from a group to reveal the others' answers. A response
//! also keeps a hash of its answers (`body_hash`), so an idempotency key replayed with other
//! answers is refused instead of answered as a replay.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Surveys {
    Table,
    ResultsUpto,
}

#[derive(DeriveIden)]
enum SurveyResponses {
    Table,
    BodyHash,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.alter_table(
            Table::alter()
                .table(Surveys::Table)
                .add_column(integer_null(Surveys::ResultsUpto))
                .to_owned(),
        )
        .await?;
        m.alter_table(
            Table::alter()
                .table(SurveyResponses::Table)
                .add_column(string_len_null(SurveyResponses::BodyHash, 64))
                .to_owned(),
        )
        .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.alter_table(
            Table::alter()
                .table(SurveyResponses::Table)
                .drop_column(SurveyResponses::BodyHash)
                .to_owned(),
        )
        .await?;
        m.alter_table(
            Table::alter()
                .table(Surveys::Table)
                .drop_column(Surveys::ResultsUpto)
                .to_owned(),
        )
        .await
    }
}
