//! The text an author typed, kept beside the sanitised HTML, so the edit form gives back what
//! they wrote (paragraphs as blank lines) instead of markup.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum BoardPosts {
    Table,
    BodySource,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.alter_table(
            Table::alter()
                .table(BoardPosts::Table)
                .add_column(text_null(BoardPosts::BodySource))
                .to_owned(),
        )
        .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.alter_table(
            Table::alter()
                .table(BoardPosts::Table)
                .drop_column(BoardPosts::BodySource)
                .to_owned(),
        )
        .await
    }
}
