//! The one background loop: mail delivery, purges, and the directory's periodic work.

use crate::kernel::outbox;
use crate::kernel::state::AppState;
use crate::{accounts, directory};
use std::time::Duration;
use tokio::time::Instant;

/// How often the directory reminds about stale entries and rebuilds its search (offers leave
/// their validity period without any write).
const DIRECTORY_PERIOD: Duration = Duration::from_secs(6 * 3600);

/// Runs until the process ends: delivers mails when woken and every 30 seconds, purges expired
/// sessions, reset tokens and old mail records, and every six hours (first after six hours: the
/// search was just built at start) sends directory reminders and rebuilds the search.
pub fn spawn(state: AppState) {
    tokio::spawn(async move {
        let mut directory_due = Instant::now() + DIRECTORY_PERIOD;
        loop {
            if let Err(e) = outbox::deliver_due(&state.db, &state.settings).await {
                tracing::error!(error = %e.public_message(), "outbox");
            }
            if let Err(e) = accounts::purge_expired(&state.db).await {
                tracing::error!(error = %e.public_message(), "purging expired sessions");
            }
            if let Err(e) = outbox::purge_old(&state.db).await {
                tracing::error!(error = %e.public_message(), "purging old mails");
            }
            if Instant::now() >= directory_due {
                directory_due = Instant::now() + DIRECTORY_PERIOD;
                if let Err(e) = directory::remind_stale(&state).await {
                    tracing::error!(error = %e.public_message(), "directory reminders");
                }
                if let Err(e) = directory::search_sync::reindex(&state).await {
                    tracing::error!(error = %e.public_message(), "directory search rebuild");
                }
            }
            tokio::select! {
                () = state.mail_wakeup.notified() => {}
                () = tokio::time::sleep(Duration::from_secs(30)) => {}
            }
        }
    });
}
