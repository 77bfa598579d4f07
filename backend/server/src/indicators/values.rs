//! The one way indicator values are written: in one transaction, and the published values of
//! the indicator forgotten right after the commit (before it, a reader could cache the old
//! values again).

use super::entity::indicator_values;
use crate::kernel::error::AppResult;
use crate::kernel::memory::PublishedCache;
use chrono::NaiveDate;
use sea_orm::sea_query::OnConflict;
use sea_orm::{ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter};

/// Which stored values of the indicator the new ones replace.
#[derive(Debug, Clone, Copy)]
pub enum Replacing {
    /// Those of the same area and date (an import).
    SameAreaAndDate,
    /// Every value of one date (a recomputation for that date).
    Date(NaiveDate),
    /// Every value (a derived indicator computed again).
    All,
}

/// Writes `models` (all of `indicator`) in one transaction, replacing stored values as
/// `replacing` says, then forgets the indicator's published values.
///
/// # Errors
/// Database errors (then nothing was written).
pub async fn replace(
    db: &DatabaseConnection,
    cache: &PublishedCache,
    indicator: i32,
    models: Vec<indicator_values::ActiveModel>,
    replacing: Replacing,
) -> AppResult<()> {
    let txn = crate::kernel::db::write_txn(db).await?;
    let of_indicator = indicator_values::Entity::delete_many()
        .filter(indicator_values::Column::IndicatorId.eq(indicator));
    match replacing {
        Replacing::SameAreaAndDate => {}
        Replacing::Date(date) => {
            of_indicator
                .filter(indicator_values::Column::Date.eq(date))
                .exec(&txn)
                .await?;
        }
        Replacing::All => {
            of_indicator.exec(&txn).await?;
        }
    }
    for chunk in models.chunks(batch_rows(db)) {
        indicator_values::Entity::insert_many(chunk.to_vec())
            .on_conflict(
                OnConflict::columns([
                    indicator_values::Column::IndicatorId,
                    indicator_values::Column::AreaId,
                    indicator_values::Column::Date,
                ])
                .update_columns([
                    indicator_values::Column::Value,
                    indicator_values::Column::Numerator,
                    indicator_values::Column::Denominator,
                ])
                .to_owned(),
            )
            .exec_without_returning(&txn)
            .await?;
    }
    txn.commit().await?;
    cache.forget(Some(indicator));
    Ok(())
}

/// Rows per INSERT, 6 bound values each: below SQLite's 32,766 and PostgreSQL's 65,535 bound
/// values per statement. Fewer, larger statements are what makes 300,000 rows fast.
fn batch_rows(db: &DatabaseConnection) -> usize {
    match db.get_database_backend() {
        sea_orm::DbBackend::Postgres => 10_000,
        _ => 5_000,
    }
}
