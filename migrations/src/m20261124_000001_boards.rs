//! Participation boards: boards per Quartier or topic, posts with comments, support and
//! follows, the managed list of fields of action (tags), reports, edit history, bans, the word
//! filter, and the audit log of everything a moderator does.

use sea_orm_migration::{prelude::*, schema::*};

use crate::common::{drop_tables, fk, index, Areas, Tenants, Users};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Boards {
    Table,
    Id,
    TenantId,
    AreaId,
    Topic,
    Title,
    Rules,
    Open,
    Access,
    PremoderateFirst,
    CreatedBy,
    CreatedAt,
}

#[derive(DeriveIden)]
enum BoardTags {
    Table,
    Id,
    TenantId,
    Name,
}

#[derive(DeriveIden)]
enum BoardPosts {
    Table,
    Id,
    BoardId,
    TenantId,
    UserId,
    DeviceHash,
    AuthorName,
    Kind,
    Title,
    BodyHtml,
    Lon,
    Lat,
    Status,
    AnswerHtml,
    AnsweredAt,
    AnsweredBy,
    Moderation,
    ModerationReason,
    SupportCount,
    CommentCount,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum BoardPostAreas {
    Table,
    PostId,
    AreaId,
}

#[derive(DeriveIden)]
enum BoardPostTags {
    Table,
    PostId,
    TagId,
}

#[derive(DeriveIden)]
enum BoardComments {
    Table,
    Id,
    PostId,
    ParentId,
    UserId,
    DeviceHash,
    AuthorName,
    BodyHtml,
    Moderation,
    ModerationReason,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum BoardSupports {
    Table,
    Id,
    PostId,
    UserId,
    DeviceHash,
    CreatedAt,
}

#[derive(DeriveIden)]
enum BoardFollows {
    Table,
    Id,
    UserId,
    BoardId,
    PostId,
    CreatedAt,
}

#[derive(DeriveIden)]
enum BoardReports {
    Table,
    Id,
    TenantId,
    Target,
    TargetId,
    PostId,
    Reason,
    UserId,
    DeviceHash,
    CreatedAt,
    ResolvedAt,
    ResolvedBy,
}

#[derive(DeriveIden)]
enum BoardRevisions {
    Table,
    Id,
    Target,
    TargetId,
    Title,
    BodyHtml,
    EditedBy,
    EditedAt,
}

#[derive(DeriveIden)]
enum BoardBans {
    Table,
    Id,
    TenantId,
    UserId,
    DeviceHash,
    Reason,
    Until,
    CreatedBy,
    CreatedAt,
}

#[derive(DeriveIden)]
enum BoardFilterWords {
    Table,
    Id,
    TenantId,
    Word,
}

#[derive(DeriveIden)]
enum AuditLog {
    Table,
    Id,
    TenantId,
    UserId,
    Action,
    Subject,
    Detail,
    CreatedAt,
}

use ForeignKeyAction::{Cascade, SetNull};

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table(Boards::Table)
                .col(pk_auto(Boards::Id))
                .col(integer(Boards::TenantId))
                .col(integer_null(Boards::AreaId))
                .col(string_null(Boards::Topic))
                .col(string(Boards::Title))
                .col(text(Boards::Rules))
                .col(boolean(Boards::Open))
                .col(string(Boards::Access))
                .col(boolean(Boards::PremoderateFirst))
                .col(integer_null(Boards::CreatedBy))
                .col(timestamp_with_time_zone(Boards::CreatedAt))
                .foreign_key(&mut fk(
                    (Boards::Table, Boards::TenantId),
                    (Tenants::Table, Tenants::Id),
                    Cascade,
                ))
                .foreign_key(&mut fk(
                    (Boards::Table, Boards::AreaId),
                    (Areas::Table, Areas::Id),
                    SetNull,
                ))
                .foreign_key(&mut fk(
                    (Boards::Table, Boards::CreatedBy),
                    (Users::Table, Users::Id),
                    SetNull,
                ))
                .to_owned(),
        )
        .await?;
        m.create_index(index("ix_boards_tenant", Boards::Table, &["tenant_id"]))
            .await?;

        m.create_table(
            Table::create()
                .table(BoardTags::Table)
                .col(pk_auto(BoardTags::Id))
                .col(integer(BoardTags::TenantId))
                .col(string(BoardTags::Name))
                .foreign_key(&mut fk(
                    (BoardTags::Table, BoardTags::TenantId),
                    (Tenants::Table, Tenants::Id),
                    Cascade,
                ))
                .index(
                    Index::create()
                        .name("ux_board_tags")
                        .col(BoardTags::TenantId)
                        .col(BoardTags::Name)
                        .unique(),
                )
                .to_owned(),
        )
        .await?;

        m.create_table(
            Table::create()
                .table(BoardPosts::Table)
                .col(pk_auto(BoardPosts::Id))
                .col(integer(BoardPosts::BoardId))
                .col(integer(BoardPosts::TenantId))
                // NULL after the author deleted the account, or for anonymous posts.
                .col(integer_null(BoardPosts::UserId))
                .col(string_null(BoardPosts::DeviceHash))
                .col(string(BoardPosts::AuthorName))
                .col(string(BoardPosts::Kind))
                .col(string(BoardPosts::Title))
                .col(text(BoardPosts::BodyHtml))
                .col(double_null(BoardPosts::Lon))
                .col(double_null(BoardPosts::Lat))
                .col(string(BoardPosts::Status))
                .col(text_null(BoardPosts::AnswerHtml))
                .col(timestamp_with_time_zone_null(BoardPosts::AnsweredAt))
                .col(string_null(BoardPosts::AnsweredBy))
                .col(string(BoardPosts::Moderation))
                .col(string_null(BoardPosts::ModerationReason))
                .col(integer(BoardPosts::SupportCount))
                .col(integer(BoardPosts::CommentCount))
                .col(timestamp_with_time_zone(BoardPosts::CreatedAt))
                .col(timestamp_with_time_zone(BoardPosts::UpdatedAt))
                .foreign_key(&mut fk(
                    (BoardPosts::Table, BoardPosts::BoardId),
                    (Boards::Table, Boards::Id),
                    Cascade,
                ))
                .foreign_key(&mut fk(
                    (BoardPosts::Table, BoardPosts::TenantId),
                    (Tenants::Table, Tenants::Id),
                    Cascade,
                ))
                .foreign_key(&mut fk(
                    (BoardPosts::Table, BoardPosts::UserId),
                    (Users::Table, Users::Id),
                    SetNull,
                ))
                .to_owned(),
        )
        .await?;
        // The list orders: most supported, newest, by status (all within a board).
        m.create_index(index(
            "ix_board_posts_support",
            BoardPosts::Table,
            &["board_id", "support_count", "id"],
        ))
        .await?;
        m.create_index(index(
            "ix_board_posts_created",
            BoardPosts::Table,
            &["board_id", "created_at"],
        ))
        .await?;
        m.create_index(index(
            "ix_board_posts_moderation",
            BoardPosts::Table,
            &["tenant_id", "moderation"],
        ))
        .await?;
        m.create_index(index(
            "ix_board_posts_user",
            BoardPosts::Table,
            &["user_id", "created_at"],
        ))
        .await?;
        m.create_index(index(
            "ix_board_posts_device",
            BoardPosts::Table,
            &["device_hash", "created_at"],
        ))
        .await?;

        m.create_table(
            Table::create()
                .table(BoardPostAreas::Table)
                .col(integer(BoardPostAreas::PostId))
                .col(integer(BoardPostAreas::AreaId))
                .primary_key(
                    Index::create()
                        .col(BoardPostAreas::PostId)
                        .col(BoardPostAreas::AreaId),
                )
                .foreign_key(&mut fk(
                    (BoardPostAreas::Table, BoardPostAreas::PostId),
                    (BoardPosts::Table, BoardPosts::Id),
                    Cascade,
                ))
                .foreign_key(&mut fk(
                    (BoardPostAreas::Table, BoardPostAreas::AreaId),
                    (Areas::Table, Areas::Id),
                    Cascade,
                ))
                .to_owned(),
        )
        .await?;
        m.create_index(index(
            "ix_board_post_areas_area",
            BoardPostAreas::Table,
            &["area_id", "post_id"],
        ))
        .await?;

        m.create_table(
            Table::create()
                .table(BoardPostTags::Table)
                .col(integer(BoardPostTags::PostId))
                .col(integer(BoardPostTags::TagId))
                .primary_key(
                    Index::create()
                        .col(BoardPostTags::PostId)
                        .col(BoardPostTags::TagId),
                )
                .foreign_key(&mut fk(
                    (BoardPostTags::Table, BoardPostTags::PostId),
                    (BoardPosts::Table, BoardPosts::Id),
                    Cascade,
                ))
                .foreign_key(&mut fk(
                    (BoardPostTags::Table, BoardPostTags::TagId),
                    (BoardTags::Table, BoardTags::Id),
                    Cascade,
                ))
                .to_owned(),
        )
        .await?;

        m.create_table(
            Table::create()
                .table(BoardComments::Table)
                .col(pk_auto(BoardComments::Id))
                .col(integer(BoardComments::PostId))
                .col(integer_null(BoardComments::ParentId))
                .col(integer_null(BoardComments::UserId))
                .col(string_null(BoardComments::DeviceHash))
                .col(string(BoardComments::AuthorName))
                .col(text(BoardComments::BodyHtml))
                .col(string(BoardComments::Moderation))
                .col(string_null(BoardComments::ModerationReason))
                .col(timestamp_with_time_zone(BoardComments::CreatedAt))
                .col(timestamp_with_time_zone(BoardComments::UpdatedAt))
                .foreign_key(&mut fk(
                    (BoardComments::Table, BoardComments::PostId),
                    (BoardPosts::Table, BoardPosts::Id),
                    Cascade,
                ))
                .foreign_key(&mut fk(
                    (BoardComments::Table, BoardComments::ParentId),
                    (BoardComments::Table, BoardComments::Id),
                    Cascade,
                ))
                .foreign_key(&mut fk(
                    (BoardComments::Table, BoardComments::UserId),
                    (Users::Table, Users::Id),
                    SetNull,
                ))
                .to_owned(),
        )
        .await?;
        m.create_index(index(
            "ix_board_comments_post",
            BoardComments::Table,
            &["post_id", "id"],
        ))
        .await?;
        m.create_index(index(
            "ix_board_comments_user",
            BoardComments::Table,
            &["user_id", "created_at"],
        ))
        .await?;
        m.create_index(index(
            "ix_board_comments_device",
            BoardComments::Table,
            &["device_hash", "created_at"],
        ))
        .await?;

        m.create_table(
            Table::create()
                .table(BoardSupports::Table)
                .col(pk_auto(BoardSupports::Id))
                .col(integer(BoardSupports::PostId))
                .col(integer_null(BoardSupports::UserId))
                .col(string_null(BoardSupports::DeviceHash))
                .col(timestamp_with_time_zone(BoardSupports::CreatedAt))
                .foreign_key(&mut fk(
                    (BoardSupports::Table, BoardSupports::PostId),
                    (BoardPosts::Table, BoardPosts::Id),
                    Cascade,
                ))
                .foreign_key(&mut fk(
                    (BoardSupports::Table, BoardSupports::UserId),
                    (Users::Table, Users::Id),
                    Cascade,
                ))
                .to_owned(),
        )
        .await?;
        // One support per account and per device: the database enforces it against races.
        m.create_index(
            index(
                "ux_board_supports_user",
                BoardSupports::Table,
                &["post_id", "user_id"],
            )
            .unique()
            .to_owned(),
        )
        .await?;
        m.create_index(
            index(
                "ux_board_supports_device",
                BoardSupports::Table,
                &["post_id", "device_hash"],
            )
            .unique()
            .to_owned(),
        )
        .await?;

        m.create_table(
            Table::create()
                .table(BoardFollows::Table)
                .col(pk_auto(BoardFollows::Id))
                .col(integer(BoardFollows::UserId))
                .col(integer_null(BoardFollows::BoardId))
                .col(integer_null(BoardFollows::PostId))
                .col(timestamp_with_time_zone(BoardFollows::CreatedAt))
                .foreign_key(&mut fk(
                    (BoardFollows::Table, BoardFollows::UserId),
                    (Users::Table, Users::Id),
                    Cascade,
                ))
                .foreign_key(&mut fk(
                    (BoardFollows::Table, BoardFollows::BoardId),
                    (Boards::Table, Boards::Id),
                    Cascade,
                ))
                .foreign_key(&mut fk(
                    (BoardFollows::Table, BoardFollows::PostId),
                    (BoardPosts::Table, BoardPosts::Id),
                    Cascade,
                ))
                .to_owned(),
        )
        .await?;
        m.create_index(index(
            "ix_board_follows_user",
            BoardFollows::Table,
            &["user_id"],
        ))
        .await?;

        m.create_table(
            Table::create()
                .table(BoardReports::Table)
                .col(pk_auto(BoardReports::Id))
                .col(integer(BoardReports::TenantId))
                .col(string(BoardReports::Target))
                .col(integer(BoardReports::TargetId))
                .col(integer(BoardReports::PostId))
                .col(text(BoardReports::Reason))
                .col(integer_null(BoardReports::UserId))
                .col(string_null(BoardReports::DeviceHash))
                .col(timestamp_with_time_zone(BoardReports::CreatedAt))
                .col(timestamp_with_time_zone_null(BoardReports::ResolvedAt))
                .col(integer_null(BoardReports::ResolvedBy))
                .foreign_key(&mut fk(
                    (BoardReports::Table, BoardReports::TenantId),
                    (Tenants::Table, Tenants::Id),
                    Cascade,
                ))
                .foreign_key(&mut fk(
                    (BoardReports::Table, BoardReports::PostId),
                    (BoardPosts::Table, BoardPosts::Id),
                    Cascade,
                ))
                .foreign_key(&mut fk(
                    (BoardReports::Table, BoardReports::UserId),
                    (Users::Table, Users::Id),
                    SetNull,
                ))
                .foreign_key(&mut fk(
                    (BoardReports::Table, BoardReports::ResolvedBy),
                    (Users::Table, Users::Id),
                    SetNull,
                ))
                .to_owned(),
        )
        .await?;
        m.create_index(index(
            "ix_board_reports_open",
            BoardReports::Table,
            &["tenant_id", "resolved_at"],
        ))
        .await?;

        m.create_table(
            Table::create()
                .table(BoardRevisions::Table)
                .col(pk_auto(BoardRevisions::Id))
                .col(string(BoardRevisions::Target))
                .col(integer(BoardRevisions::TargetId))
                .col(string_null(BoardRevisions::Title))
                .col(text(BoardRevisions::BodyHtml))
                .col(string(BoardRevisions::EditedBy))
                .col(timestamp_with_time_zone(BoardRevisions::EditedAt))
                .to_owned(),
        )
        .await?;
        m.create_index(index(
            "ix_board_revisions_target",
            BoardRevisions::Table,
            &["target", "target_id"],
        ))
        .await?;

        m.create_table(
            Table::create()
                .table(BoardBans::Table)
                .col(pk_auto(BoardBans::Id))
                .col(integer(BoardBans::TenantId))
                .col(integer_null(BoardBans::UserId))
                .col(string_null(BoardBans::DeviceHash))
                .col(text(BoardBans::Reason))
                .col(timestamp_with_time_zone_null(BoardBans::Until))
                .col(integer_null(BoardBans::CreatedBy))
                .col(timestamp_with_time_zone(BoardBans::CreatedAt))
                .foreign_key(&mut fk(
                    (BoardBans::Table, BoardBans::TenantId),
                    (Tenants::Table, Tenants::Id),
                    Cascade,
                ))
                .foreign_key(&mut fk(
                    (BoardBans::Table, BoardBans::UserId),
                    (Users::Table, Users::Id),
                    Cascade,
                ))
                .foreign_key(&mut fk(
                    (BoardBans::Table, BoardBans::CreatedBy),
                    (Users::Table, Users::Id),
                    SetNull,
                ))
                .to_owned(),
        )
        .await?;
        m.create_index(index(
            "ix_board_bans_tenant",
            BoardBans::Table,
            &["tenant_id"],
        ))
        .await?;

        m.create_table(
            Table::create()
                .table(BoardFilterWords::Table)
                .col(pk_auto(BoardFilterWords::Id))
                .col(integer(BoardFilterWords::TenantId))
                .col(string(BoardFilterWords::Word))
                .foreign_key(&mut fk(
                    (BoardFilterWords::Table, BoardFilterWords::TenantId),
                    (Tenants::Table, Tenants::Id),
                    Cascade,
                ))
                .to_owned(),
        )
        .await?;

        m.create_table(
            Table::create()
                .table(AuditLog::Table)
                .col(pk_auto(AuditLog::Id))
                .col(integer(AuditLog::TenantId))
                // Kept (NULL) when the acting account is deleted: the log must outlive it.
                .col(integer_null(AuditLog::UserId))
                .col(string(AuditLog::Action))
                .col(string(AuditLog::Subject))
                .col(text(AuditLog::Detail))
                .col(timestamp_with_time_zone(AuditLog::CreatedAt))
                .foreign_key(&mut fk(
                    (AuditLog::Table, AuditLog::TenantId),
                    (Tenants::Table, Tenants::Id),
                    Cascade,
                ))
                .foreign_key(&mut fk(
                    (AuditLog::Table, AuditLog::UserId),
                    (Users::Table, Users::Id),
                    SetNull,
                ))
                .to_owned(),
        )
        .await?;
        m.create_index(index(
            "ix_audit_log_tenant",
            AuditLog::Table,
            &["tenant_id", "created_at"],
        ))
        .await?;
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        drop_tables(
            m,
            [
                AuditLog::Table.into_iden(),
                BoardFilterWords::Table.into_iden(),
                BoardBans::Table.into_iden(),
                BoardRevisions::Table.into_iden(),
                BoardReports::Table.into_iden(),
                BoardFollows::Table.into_iden(),
                BoardSupports::Table.into_iden(),
                BoardComments::Table.into_iden(),
                BoardPostTags::Table.into_iden(),
                BoardPostAreas::Table.into_iden(),
                BoardPosts::Table.into_iden(),
                BoardTags::Table.into_iden(),
                Boards::Table.into_iden(),
            ],
        )
        .await
    }
}
