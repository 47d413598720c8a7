//! SLA clocks: deadlines a policy sets from a report's receipt, paused while the case is on hold.
//!
//! Defaults follow the working groups' charters: acknowledge within 48 hours, triage within
//! 7 days, disclose at most 90 days after receipt. Every deadline is measured from receipt and
//! moved later by the time the case spent on hold.

use jiff::{SignedDuration, Timestamp};
use serde::{Deserialize, Serialize};

use crate::state::{Resolution, State};

/// The commitments of a policy.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct SlaPolicy {
    /// From receipt to acknowledgment.
    pub acknowledge: SignedDuration,
    /// From receipt to triage.
    pub triage: SignedDuration,
    /// From receipt to disclosure.
    pub disclose: SignedDuration,
}

impl Default for SlaPolicy {
    fn default() -> Self {
        SlaPolicy {
            acknowledge: SignedDuration::from_hours(48),
            triage: SignedDuration::from_hours(7 * 24),
            disclose: SignedDuration::from_hours(90 * 24),
        }
    }
}

/// The timestamps of a case that the clocks read.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Clock {
    /// When the report arrived.
    pub received_at: Timestamp,
    /// When it was acknowledged.
    pub acknowledged_at: Option<Timestamp>,
    /// When it was triaged.
    pub triaged_at: Option<Timestamp>,
    /// When the fix was ready.
    pub fix_ready_at: Option<Timestamp>,
    /// When it was disclosed.
    pub disclosed_at: Option<Timestamp>,
    /// Since when the case is on hold, if it is.
    pub held_since: Option<Timestamp>,
    /// Time spent on hold before `held_since` (completed holds).
    pub held_for: SignedDuration,
}

/// A commitment with a deadline.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Milestone {
    /// Acknowledge the report.
    Acknowledge,
    /// Triage it.
    Triage,
    /// Disclose it.
    Disclose,
}

/// The next deadline of a case.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Deadline {
    /// What is due.
    pub milestone: Milestone,
    /// When, with holds accounted for up to `now`.
    pub due: Timestamp,
    /// Whether `now` is past `due` (never while on hold).
    pub overdue: bool,
    /// Whether the clock is paused.
    pub paused: bool,
}

/// The next pending milestone of a case and its deadline at `now`; `None` when nothing is due
/// (disclosed, closed, or triaged as not accepted).
pub fn next_deadline(
    policy: &SlaPolicy,
    clock: &Clock,
    state: State,
    resolution: Option<Resolution>,
    now: Timestamp,
) -> Option<Deadline> {
    let _ = (policy, clock, state, resolution, now);
    todo!()
}

/// The deadline to order the inbox by and store with the case: the next deadline with holds
/// accounted for, or `None` when on hold (held cases sort last) or when nothing is due.
pub fn sort_key(
    policy: &SlaPolicy,
    clock: &Clock,
    state: State,
    resolution: Option<Resolution>,
) -> Option<Timestamp> {
    let _ = (policy, clock, state, resolution);
    todo!()
}

/// The median of durations (the mean of the two middle ones for an even count); `None` when
/// empty.
pub fn median(durations: &mut [SignedDuration]) -> Option<SignedDuration> {
    let _ = durations;
    todo!()
}
