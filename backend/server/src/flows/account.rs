//! A person deletes their account or changes their name: what they wrote elsewhere follows.

use crate::kernel::error::{AppError, AppResult};
use crate::kernel::outbox;
use crate::kernel::state::AppState;
use crate::kernel::viewer::Viewer;
use crate::{accounts, boards};
use qn_domain::accounts::DisplayName;

/// Deletes the signed-in person's account after checking the password again (DSGVO Art. 17),
/// in one transaction: posts, comments and reports stay, shown as "gelöschtes Konto"; mails to
/// the address (sent or waiting) go; then the account with what cascades from it.
///
/// # Errors
/// `Unauthenticated` without a person; `InvalidCredentials` for a wrong password.
pub async fn delete(state: &AppState, viewer: &Viewer, password: &str) -> AppResult<()> {
    let person = accounts::check_password_again(&state.db, viewer, password).await?;
    let txn = crate::kernel::db::write_txn(&state.db).await?;
    boards::forget_user(&txn, person.id).await?;
    outbox::forget_recipient(&txn, &person.email).await?;
    accounts::delete_user(&txn, person.id).await?;
    txn.commit().await?;
    Ok(())
}

/// Changes the signed-in person's display name, also on the posts and comments shown under the
/// old one (DSGVO Art. 16: the name they chose is the name shown).
///
/// # Errors
/// `Unauthenticated` without a person; `Validation` for an empty or too long name.
pub async fn rename(state: &AppState, viewer: &Viewer, name: &str) -> AppResult<()> {
    let person = viewer.account_holder().ok_or(AppError::Unauthenticated)?;
    let name = DisplayName::parse(name)?;
    let txn = crate::kernel::db::write_txn(&state.db).await?;
    accounts::set_display_name(&txn, person.id, &name).await?;
    boards::rename_author(&txn, person.id, Some(&person.display_name), name.as_str()).await?;
    txn.commit().await?;
    Ok(())
}
