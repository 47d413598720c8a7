//! SLA escalation: a case whose next deadline has passed is escalated once per milestone — an
//! `Escalation` notice to the coordinators and admins (and the webhooks), the milestone added
//! to the case's `escalated` list, and a `report.escalate` audit event, stored together by one
//! optimistic update so a milestone is never escalated twice.

use std::sync::Arc;

use anyhow::Context as _;
use jiff::Timestamp;
use ward_desk::access::Visibility;
use ward_desk::audit::NewEvent;
use ward_desk::notice::Notice;
use ward_desk::sla::{self, Milestone};
use ward_store::{InboxQuery, Report};

use crate::AppState;
use crate::notify::{self, blocking};

/// Rows read per page of the inbox.
const PAGE: u32 = 200;

/// Escalates every case overdue at `now` and not yet escalated for that milestone; returns how
/// many were escalated.
///
/// Candidates are read from the inbox, which is ordered by the stored next deadline, so the
/// pass stops at the first case not due yet; each candidate's deadline is then recomputed from
/// its clock with the current policy (a held case is never overdue).
pub async fn escalate_once(state: &AppState, now: Timestamp) -> anyhow::Result<usize> {
    let mut due = Vec::new();
    let mut offset = 0;
    'pages: loop {
        let query = InboxQuery {
            visibility: Visibility::All,
            state: None,
            include_done: false,
            limit: PAGE,
            offset,
        };
        let page = blocking(&state.store, move |s| s.inbox(&query))
            .await
            .context("reading the inbox")?;
        let count = page.reports.len();
        for report in page.reports {
            match report.next_due_at {
                Some(at) if at <= now => due.push(report),
                // Ordered by deadline with the undated last: nothing further is due.
                _ => break 'pages,
            }
        }
        if count < PAGE as usize {
            break;
        }
        offset += PAGE;
    }
    let mut escalated = 0;
    for report in due {
        let Some(milestone) = overdue_milestone(state, &report, now) else {
            continue;
        };
        match escalate(state, report, milestone).await {
            Ok(true) => escalated += 1,
            Ok(false) => {}
            Err(e) => tracing::warn!(error = format!("{e:#}"), "escalating a case failed"),
        }
    }
    Ok(escalated)
}

/// The milestone a case is overdue on and not yet escalated for.
fn overdue_milestone(state: &AppState, report: &Report, now: Timestamp) -> Option<Milestone> {
    let deadline = sla::next_deadline(
        &state.config.sla,
        &report.clock,
        report.state,
        report.resolution,
        now,
    )?;
    (deadline.overdue && !report.escalated.contains(&deadline.milestone))
        .then_some(deadline.milestone)
}

/// Records the escalation, then queues its notice. `false` when someone changed the case in
/// the meantime (the next pass looks again).
async fn escalate(
    state: &AppState,
    mut report: Report,
    milestone: Milestone,
) -> anyhow::Result<bool> {
    report.escalated.push(milestone);
    let event = NewEvent {
        actor: "system".to_owned(),
        action: "report.escalate".to_owned(),
        report: Some(report.id),
        detail: serde_json::json!({ "milestone": milestone }).to_string(),
    };
    let stored = report.clone();
    let updated = tokio::task::spawn_blocking({
        let store = Arc::clone(&state.store);
        move || store.update_report(&stored, &event)
    })
    .await
    .context("the store task failed")?;
    match updated {
        Ok(()) => {}
        Err(ward_store::Error::Conflict { .. }) => return Ok(false),
        Err(e) => return Err(e).context("recording the escalation"),
    }
    // The stored version moved on; the notice needs only ids and the key.
    notify::enqueue(
        state,
        &report,
        Notice::Escalation {
            report: report.id,
            milestone,
        },
    )
    .await
    .context("queueing the escalation notice")?;
    Ok(true)
}
