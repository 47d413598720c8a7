//! What every desk handler shares: reading a case id from a path, names and labels of states
//! and resolutions, how times are shown, the deadline summary of a case, and saving a case
//! with its audit event.

use jiff::Timestamp;
use serde::Serialize;
use ward_desk::ReportId;
use ward_desk::audit::NewEvent;
use ward_desk::sla::{self, Milestone};
use ward_desk::state::{Resolution, State};
use ward_store::Report;

use crate::AppState;
use crate::auth::Caller;
use crate::error::WebError;

/// Reads a case id from a path segment. Anything that is not a positive number is the same
/// 404 as a case that does not exist.
pub(crate) fn parse_id(segment: &str) -> Result<ReportId, WebError> {
    segment
        .parse::<i64>()
        .ok()
        .filter(|id| *id > 0)
        .map(ReportId)
        .ok_or(WebError::NotFound)
}

/// A state by its stable name.
pub(crate) fn parse_state(name: &str) -> Option<State> {
    State::ALL.into_iter().find(|s| s.as_str() == name.trim())
}

/// Every resolution, in the order the triage form offers them.
pub(crate) const RESOLUTIONS: [Resolution; 4] = [
    Resolution::Accepted,
    Resolution::Invalid,
    Resolution::Duplicate,
    Resolution::OutOfScope,
];

/// A resolution's stable name (as serialized).
pub(crate) fn resolution_name(resolution: Resolution) -> &'static str {
    match resolution {
        Resolution::Accepted => "accepted",
        Resolution::Invalid => "invalid",
        Resolution::Duplicate => "duplicate",
        Resolution::OutOfScope => "out_of_scope",
    }
}

/// A resolution by its stable name.
pub(crate) fn parse_resolution(name: &str) -> Option<Resolution> {
    RESOLUTIONS
        .into_iter()
        .find(|r| resolution_name(*r) == name.trim())
}

/// A resolution for people.
pub(crate) fn resolution_label(resolution: Resolution) -> &'static str {
    match resolution {
        Resolution::Accepted => "Accepted",
        Resolution::Invalid => "Invalid",
        Resolution::Duplicate => "Duplicate",
        Resolution::OutOfScope => "Out of scope",
    }
}

/// A state for people.
pub(crate) fn state_label(state: State) -> &'static str {
    match state {
        State::Received => "Received",
        State::Acknowledged => "Acknowledged",
        State::Triaged => "Triaged",
        State::Fixing => "Fixing",
        State::FixReady => "Fix ready",
        State::DisclosureScheduled => "Disclosure scheduled",
        State::Disclosed => "Disclosed",
        State::Closed => "Closed",
    }
}

/// A milestone's stable name.
pub(crate) fn milestone_name(milestone: Milestone) -> &'static str {
    match milestone {
        Milestone::Acknowledge => "acknowledge",
        Milestone::Triage => "triage",
        Milestone::Disclose => "disclose",
    }
}

/// A milestone for people.
pub(crate) fn milestone_label(milestone: Milestone) -> &'static str {
    match milestone {
        Milestone::Acknowledge => "Acknowledge",
        Milestone::Triage => "Triage",
        Milestone::Disclose => "Disclose",
    }
}

/// A time as the desk shows it: UTC, to the minute, with the zone named.
pub(crate) fn show_time(at: Timestamp) -> String {
    at.strftime("%Y-%m-%d %H:%M UTC").to_string()
}

/// The next deadline of a case, as the inbox and the case page show it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub(crate) struct DeadlineView {
    /// `acknowledge`, `triage`, `disclose`.
    pub(crate) milestone: &'static str,
    /// For people.
    pub(crate) label: &'static str,
    /// RFC 3339.
    pub(crate) due: String,
    /// For people, with the time zone.
    pub(crate) due_shown: String,
    /// Past due.
    pub(crate) overdue: bool,
    /// On hold: the clock is paused.
    pub(crate) paused: bool,
}

/// The next deadline of `report` at `now`.
pub(crate) fn next_deadline(
    state: &AppState,
    report: &Report,
    now: Timestamp,
) -> Option<DeadlineView> {
    let deadline = sla::next_deadline(
        &state.config.sla,
        &report.clock,
        report.state,
        report.resolution,
        now,
    )?;
    Some(DeadlineView {
        milestone: milestone_name(deadline.milestone),
        label: milestone_label(deadline.milestone),
        due: deadline.due.to_string(),
        due_shown: show_time(deadline.due),
        overdue: deadline.overdue,
        paused: deadline.paused,
    })
}

/// The audit event of an action on a case by `caller`; `detail` holds ids and names only.
pub(crate) fn event(
    caller: &Caller,
    action: &str,
    report: ReportId,
    detail: serde_json::Value,
) -> NewEvent {
    NewEvent {
        actor: caller.actor(),
        action: action.to_owned(),
        report: Some(report),
        detail: detail.to_string(),
    }
}

/// Saves a changed case (optimistic: [`WebError::Conflict`] when someone changed it since it
/// was read) with its audit event, recomputing the inbox's sort key first.
pub(crate) async fn save(
    state: &AppState,
    mut report: Report,
    event: NewEvent,
) -> Result<Report, WebError> {
    report.next_due_at = sla::sort_key(
        &state.config.sla,
        &report.clock,
        report.state,
        report.resolution,
    );
    let stored = report.clone();
    state
        .db(move |store| store.update_report(&stored, &event))
        .await?;
    report.version += 1;
    Ok(report)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_that_are_not_positive_numbers_are_not_found() {
        assert!(matches!(parse_id("7"), Ok(ReportId(7))));
        for bad in ["0", "-1", "x", "", "1.5", "99999999999999999999"] {
            assert!(matches!(parse_id(bad), Err(WebError::NotFound)), "{bad}");
        }
    }

    #[test]
    fn resolution_names_round_trip() {
        for r in RESOLUTIONS {
            assert_eq!(parse_resolution(resolution_name(r)), Some(r));
            let json = serde_json::to_value(r).ok();
            assert_eq!(json, Some(serde_json::Value::from(resolution_name(r))));
        }
        assert_eq!(parse_resolution("maybe"), None);
    }
}
