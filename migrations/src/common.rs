//! What the migrations build with: foreign keys, indexes, dropping tables, and the tables that
//! later migrations only point at. Frozen like the migrations: a change here would change the
//! past, so a new need gets a new function.

use sea_orm_migration::prelude::*;

/// The tenants table, as later migrations point at it.
#[derive(DeriveIden, Clone, Copy)]
pub enum Tenants {
    Table,
    Id,
}

/// The accounts table, as later migrations point at it.
#[derive(DeriveIden, Clone, Copy)]
pub enum Users {
    Table,
    Id,
}

/// The spatial units, as later migrations point at them.
#[derive(DeriveIden, Clone, Copy)]
pub enum Areas {
    Table,
    Id,
}

pub fn fk(
    from: (impl IntoIden, impl IntoIden),
    to: (impl IntoIden, impl IntoIden),
    on_delete: ForeignKeyAction,
) -> ForeignKeyCreateStatement {
    ForeignKey::create()
        .from(from.0, from.1)
        .to(to.0, to.1)
        .on_delete(on_delete)
        .to_owned()
}

/// A plain index on `cols` of `table`.
pub fn index(name: &str, table: impl IntoIden, cols: &[&'static str]) -> IndexCreateStatement {
    let mut i = Index::create().name(name).table(table).to_owned();
    for c in cols {
        i.col(Alias::new(*c));
    }
    i
}

/// Drops `tables` in the order given: children before parents, so that no foreign key blocks.
pub async fn drop_tables(
    m: &SchemaManager<'_>,
    tables: impl IntoIterator<Item = DynIden>,
) -> Result<(), DbErr> {
    for t in tables {
        m.drop_table(Table::drop().table(t).to_owned()).await?;
    }
    Ok(())
}
