//! Data minimisation: `retention_days` after a case was disclosed (or closed without
//! disclosure), its attachments are deleted and the reporter's contact address is removed from
//! its sealed submission; the rest — what the advisory and the metrics need — stays. Each purge
//! is one store transaction with its `report.purge` audit event.

use anyhow::Context as _;
use jiff::{SignedDuration, Timestamp};
use ward_desk::ReportId;
use ward_desk::audit::NewEvent;

use crate::AppState;
use crate::content::{self, ReportContent};
use crate::notify::blocking;

/// Purges every case past the retention period at `now`; returns how many were purged. Does
/// nothing when the policy sets no retention period.
pub async fn retention_once(state: &AppState, now: Timestamp) -> anyhow::Result<usize> {
    let Some(days) = state.config.retention_days else {
        return Ok(0);
    };
    let before = now
        .checked_sub(SignedDuration::from_hours(i64::from(days) * 24))
        .context("the retention period reaches before the start of time")?;
    let ids = blocking(&state.store, move |s| s.purgeable(before))
        .await
        .context("listing cases past retention")?;
    let mut purged = 0;
    for id in ids {
        let detail = serde_json::json!({ "reason": "retention", "retention_days": days });
        match purge(state, id, now, "report.purge", detail).await {
            Ok(_) => purged += 1,
            Err(e) => {
                tracing::warn!(report = %id, error = format!("{e:#}"), "purging a case failed")
            }
        }
    }
    Ok(purged)
}

/// Deletes a case's attachments and the reporter's contact from its submission, recorded as
/// `action` by the system; returns how many attachments went. Used by the retention job and by
/// the admin's erase of a reporter's data (which also blanks the content, see
/// `desk::reporters`).
pub(crate) async fn purge(
    state: &AppState,
    id: ReportId,
    now: Timestamp,
    action: &str,
    detail: serde_json::Value,
) -> anyhow::Result<u64> {
    purge_with(state, id, now, action, "system", detail, |content| {
        content.submission.contact = None;
        content.purged = true;
    })
    .await
}

/// Like [`purge`], with the actor and the change to the submission given.
pub(crate) async fn purge_with(
    state: &AppState,
    id: ReportId,
    now: Timestamp,
    action: &str,
    actor: &str,
    detail: serde_json::Value,
    change: impl FnOnce(&mut ReportContent) + Send + 'static,
) -> anyhow::Result<u64> {
    let state = state.clone();
    let event = NewEvent {
        actor: actor.to_owned(),
        action: action.to_owned(),
        report: Some(id),
        detail: detail.to_string(),
    };
    tokio::task::spawn_blocking(move || {
        let report = state
            .store
            .report(id)
            .context("reading the case")?
            .context("the case no longer exists")?;
        let key = content::data_key(&state, &report)?;
        let mut sealed_content = content::open_content(&key, &report)?;
        change(&mut sealed_content);
        let sealed = content::seal_content(&key, &sealed_content)?;
        state
            .store
            .purge(id, &sealed, now, &event)
            .context("purging the case")
    })
    .await
    .context("the purge task failed")?
}
