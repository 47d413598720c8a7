//! SLA clocks: deadlines a policy sets from a report's receipt, paused while the case is on hold.
//!
//! Defaults follow the working groups' charters: acknowledge within 48 hours, triage within
//! 7 days, disclose at most 90 days after receipt. Every deadline is measured from receipt and
//! moved later by the time the case spent on hold.
//!
//! The pending milestone is read from the clock's timestamps, with the state as a backstop (a
//! case past a state counts as having reached it even if a timestamp is missing):
//!
//! - **acknowledge** until the report is acknowledged (or triaged directly: triage acknowledges);
//! - **triage** until it is triaged;
//! - **disclose** until it is disclosed, only when triage accepted it;
//! - nothing after a triage that did not accept it, after disclosure, or once closed.
//!
//! While a case is on hold its clock stands still: the deadline moves later by the hold so far
//! (up to `now`), it is never overdue, and [`sort_key`] puts it last in the inbox.

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
    let milestone = pending(clock, state, resolution)?;
    let paused = clock.held_since.is_some();
    let due = add(
        clock.received_at,
        add_durations(policy.allows(milestone), held(clock, now)),
    );
    Some(Deadline {
        milestone,
        due,
        overdue: !paused && now > due,
        paused,
    })
}

/// The deadline to order the inbox by and store with the case: the next deadline with holds
/// accounted for, or `None` when on hold (held cases sort last) or when nothing is due.
pub fn sort_key(
    policy: &SlaPolicy,
    clock: &Clock,
    state: State,
    resolution: Option<Resolution>,
) -> Option<Timestamp> {
    if clock.held_since.is_some() {
        return None;
    }
    let milestone = pending(clock, state, resolution)?;
    Some(add(
        clock.received_at,
        add_durations(policy.allows(milestone), clock.held_for),
    ))
}

/// The median of durations (the mean of the two middle ones for an even count); `None` when
/// empty.
pub fn median(durations: &mut [SignedDuration]) -> Option<SignedDuration> {
    if durations.is_empty() {
        return None;
    }
    durations.sort_unstable();
    let middle = durations.len() / 2;
    if durations.len() % 2 == 1 {
        return Some(durations[middle]);
    }
    // In nanoseconds as i128, where the sum of two durations cannot overflow; the mean of two
    // durations always fits a duration again.
    let sum = durations[middle - 1].as_nanos() + durations[middle].as_nanos();
    SignedDuration::try_from_nanos_i128(sum.div_euclid(2))
}

impl SlaPolicy {
    /// The time from receipt a milestone is due by.
    pub fn allows(&self, milestone: Milestone) -> SignedDuration {
        match milestone {
            Milestone::Acknowledge => self.acknowledge,
            Milestone::Triage => self.triage,
            Milestone::Disclose => self.disclose,
        }
    }
}

impl Milestone {
    /// The stable lower-case name.
    pub fn as_str(self) -> &'static str {
        match self {
            Milestone::Acknowledge => "acknowledge",
            Milestone::Triage => "triage",
            Milestone::Disclose => "disclose",
        }
    }

    /// What is due, as a noun (`acknowledgment`).
    pub fn noun(self) -> &'static str {
        match self {
            Milestone::Acknowledge => "acknowledgment",
            Milestone::Triage => "triage",
            Milestone::Disclose => "disclosure",
        }
    }
}

/// What the case owes next, if anything.
fn pending(clock: &Clock, state: State, resolution: Option<Resolution>) -> Option<Milestone> {
    let reached = |at: Option<Timestamp>, s: State| at.is_some() || state >= s;
    if state == State::Closed || reached(clock.disclosed_at, State::Disclosed) {
        return None;
    }
    if reached(clock.triaged_at, State::Triaged) {
        return (resolution == Some(Resolution::Accepted)).then_some(Milestone::Disclose);
    }
    if reached(clock.acknowledged_at, State::Acknowledged) {
        return Some(Milestone::Triage);
    }
    Some(Milestone::Acknowledge)
}

/// Time on hold up to `now`: completed holds plus the current one.
fn held(clock: &Clock, now: Timestamp) -> SignedDuration {
    let current = match clock.held_since {
        Some(since) if now > since => now.duration_since(since),
        _ => SignedDuration::ZERO,
    };
    add_durations(clock.held_for, current)
}

fn add_durations(a: SignedDuration, b: SignedDuration) -> SignedDuration {
    a.checked_add(b).unwrap_or(if b.is_negative() {
        SignedDuration::MIN
    } else {
        SignedDuration::MAX
    })
}

/// `at + by`, saturating at the ends of time rather than failing on absurd policies.
fn add(at: Timestamp, by: SignedDuration) -> Timestamp {
    at.checked_add(by).unwrap_or(if by.is_negative() {
        Timestamp::MIN
    } else {
        Timestamp::MAX
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(s: &str) -> Timestamp {
        s.parse().unwrap()
    }

    fn clock() -> Clock {
        Clock {
            received_at: at("2025-03-01T00:00:00Z"),
            ..Clock::default()
        }
    }

    #[test]
    fn a_new_report_owes_an_acknowledgment_in_48_hours() {
        let policy = SlaPolicy::default();
        let d = next_deadline(
            &policy,
            &clock(),
            State::Received,
            None,
            at("2025-03-02T00:00:00Z"),
        )
        .unwrap();
        assert_eq!(d.milestone, Milestone::Acknowledge);
        assert_eq!(d.due, at("2025-03-03T00:00:00Z"));
        assert!(!d.overdue && !d.paused);
        let late = next_deadline(
            &policy,
            &clock(),
            State::Received,
            None,
            at("2025-03-03T00:00:01Z"),
        )
        .unwrap();
        assert!(late.overdue);
    }

    #[test]
    fn milestones_follow_the_workflow() {
        let policy = SlaPolicy::default();
        let now = at("2025-03-02T00:00:00Z");
        let mut c = clock();
        c.acknowledged_at = Some(at("2025-03-01T01:00:00Z"));
        let d = next_deadline(&policy, &c, State::Acknowledged, None, now).unwrap();
        assert_eq!(
            (d.milestone, d.due),
            (Milestone::Triage, at("2025-03-08T00:00:00Z"))
        );
        c.triaged_at = Some(at("2025-03-01T02:00:00Z"));
        let d = next_deadline(&policy, &c, State::Fixing, Some(Resolution::Accepted), now).unwrap();
        assert_eq!(
            (d.milestone, d.due),
            (Milestone::Disclose, at("2025-05-30T00:00:00Z"))
        );
        assert_eq!(
            next_deadline(&policy, &c, State::Triaged, Some(Resolution::Invalid), now),
            None
        );
        assert_eq!(
            next_deadline(&policy, &c, State::Closed, Some(Resolution::Accepted), now),
            None
        );
        // The state is a backstop for a missing timestamp.
        assert_eq!(
            next_deadline(&policy, &clock(), State::Disclosed, None, now),
            None
        );
    }

    #[test]
    fn holds_pause_and_move_the_clock() {
        let policy = SlaPolicy::default();
        let mut c = clock();
        c.held_for = SignedDuration::from_hours(10);
        c.held_since = Some(at("2025-03-02T00:00:00Z"));
        let now = at("2025-03-05T00:00:00Z");
        let d = next_deadline(&policy, &c, State::Received, None, now).unwrap();
        // 48 h + 10 h of past holds + 72 h of the current one.
        assert_eq!(d.due, at("2025-03-06T10:00:00Z"));
        assert!(d.paused && !d.overdue);
        assert_eq!(sort_key(&policy, &c, State::Received, None), None);
        c.held_since = None;
        assert_eq!(
            sort_key(&policy, &c, State::Received, None),
            Some(at("2025-03-03T10:00:00Z"))
        );
    }

    #[test]
    fn absurd_policies_saturate() {
        let policy = SlaPolicy {
            acknowledge: SignedDuration::MAX,
            ..SlaPolicy::default()
        };
        assert_eq!(
            sort_key(&policy, &clock(), State::Received, None),
            Some(Timestamp::MAX)
        );
    }

    #[test]
    fn medians() {
        let h = SignedDuration::from_hours;
        assert_eq!(median(&mut []), None);
        assert_eq!(median(&mut [h(5), h(1), h(3)]), Some(h(3)));
        assert_eq!(median(&mut [h(4), h(1), h(2), h(8)]), Some(h(3)));
        assert_eq!(
            median(&mut [SignedDuration::MAX, SignedDuration::MAX]),
            Some(SignedDuration::MAX)
        );
    }
}
