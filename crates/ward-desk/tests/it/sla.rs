//! SLA clocks on worked examples: the default policy, holds, overdue flags, the inbox order
//! and the medians.

use jiff::{SignedDuration, Timestamp};
use ward_desk::sla::{Clock, Milestone, SlaPolicy, median, next_deadline, sort_key};
use ward_desk::state::{Resolution, State};

fn at(s: &str) -> Timestamp {
    s.parse().unwrap()
}

fn received(s: &str) -> Clock {
    Clock {
        received_at: at(s),
        ..Clock::default()
    }
}

#[test]
fn a_report_through_its_life() {
    let policy = SlaPolicy::default();
    let mut clock = received("2025-01-10T09:00:00Z");
    let due = |clock: &Clock, state, resolution, now| {
        next_deadline(&policy, clock, state, resolution, at(now))
            .map(|d| (d.milestone, d.due.to_string(), d.overdue))
    };
    assert_eq!(
        due(&clock, State::Received, None, "2025-01-11T09:00:00Z"),
        Some((Milestone::Acknowledge, "2025-01-12T09:00:00Z".into(), false))
    );
    clock.acknowledged_at = Some(at("2025-01-11T10:00:00Z"));
    assert_eq!(
        due(&clock, State::Acknowledged, None, "2025-01-18T09:00:01Z"),
        Some((Milestone::Triage, "2025-01-17T09:00:00Z".into(), true))
    );
    clock.triaged_at = Some(at("2025-01-15T10:00:00Z"));
    assert_eq!(
        due(
            &clock,
            State::Fixing,
            Some(Resolution::Accepted),
            "2025-02-01T00:00:00Z"
        ),
        Some((Milestone::Disclose, "2025-04-10T09:00:00Z".into(), false))
    );
    clock.disclosed_at = Some(at("2025-03-01T00:00:00Z"));
    assert_eq!(
        due(
            &clock,
            State::Disclosed,
            Some(Resolution::Accepted),
            "2025-03-02T00:00:00Z"
        ),
        None
    );
}

#[test]
fn triage_straight_from_receipt_stops_the_acknowledgment_clock() {
    let policy = SlaPolicy::default();
    let mut clock = received("2025-01-10T09:00:00Z");
    clock.triaged_at = Some(at("2025-01-10T12:00:00Z"));
    let d = next_deadline(
        &policy,
        &clock,
        State::Triaged,
        Some(Resolution::Accepted),
        at("2025-01-20T00:00:00Z"),
    )
    .unwrap();
    assert_eq!(d.milestone, Milestone::Disclose);
    for resolution in [
        Resolution::Invalid,
        Resolution::Duplicate,
        Resolution::OutOfScope,
    ] {
        assert_eq!(
            next_deadline(
                &policy,
                &clock,
                State::Triaged,
                Some(resolution),
                at("2025-01-20T00:00:00Z")
            ),
            None
        );
    }
}

#[test]
fn holds_pause_the_clock_and_are_never_overdue() {
    let policy = SlaPolicy::default();
    let mut clock = received("2025-01-10T09:00:00Z");
    // On hold from hour 40 of the 48: the deadline is still ahead at hour 100.
    clock.held_since = Some(at("2025-01-12T01:00:00Z"));
    let d = next_deadline(
        &policy,
        &clock,
        State::Received,
        None,
        at("2025-01-14T13:00:00Z"),
    )
    .unwrap();
    assert!(d.paused && !d.overdue);
    assert_eq!(
        d.due,
        at("2025-01-14T21:00:00Z"),
        "8 hours left after the hold so far"
    );
    // Resumed after 60 hours: 8 hours left from the resumption.
    clock.held_since = None;
    clock.held_for = SignedDuration::from_hours(60);
    let d = next_deadline(
        &policy,
        &clock,
        State::Received,
        None,
        at("2025-01-14T13:00:00Z"),
    )
    .unwrap();
    assert_eq!(d.due, at("2025-01-14T21:00:00Z"));
    assert!(!d.paused && !d.overdue);
    let late = next_deadline(
        &policy,
        &clock,
        State::Received,
        None,
        at("2025-01-14T21:00:01Z"),
    )
    .unwrap();
    assert!(late.overdue);
    // A second hold adds to the first.
    clock.held_since = Some(at("2025-01-14T20:00:00Z"));
    let d = next_deadline(
        &policy,
        &clock,
        State::Received,
        None,
        at("2025-01-15T20:00:00Z"),
    )
    .unwrap();
    assert_eq!(d.due, at("2025-01-15T21:00:00Z"));
    assert!(!d.overdue);
}

#[test]
fn an_overdue_case_put_on_hold_is_not_flagged_until_it_resumes() {
    let policy = SlaPolicy::default();
    let mut clock = received("2025-01-10T09:00:00Z");
    // Acknowledgment was due 01-12 09:00; the case went on hold 15 hours later.
    clock.held_since = Some(at("2025-01-13T00:00:00Z"));
    let now = at("2025-01-14T00:00:00Z");
    let d = next_deadline(&policy, &clock, State::Received, None, now).unwrap();
    assert_eq!(d.due, at("2025-01-13T09:00:00Z"));
    assert!(d.paused && !d.overdue, "{d:?}");
    clock.held_since = None;
    clock.held_for = SignedDuration::from_hours(24);
    let d = next_deadline(&policy, &clock, State::Received, None, now).unwrap();
    assert!(!d.paused && d.overdue, "{d:?}");
}

#[test]
fn the_inbox_orders_by_the_nearest_deadline_with_held_cases_last() {
    let policy = SlaPolicy::default();
    let cases = [
        (
            "new",
            received("2025-01-10T09:00:00Z"),
            State::Received,
            None,
        ),
        (
            "older",
            received("2025-01-09T09:00:00Z"),
            State::Received,
            None,
        ),
        (
            "held",
            Clock {
                held_since: Some(at("2025-01-09T10:00:00Z")),
                ..received("2025-01-01T00:00:00Z")
            },
            State::Received,
            None,
        ),
        (
            "to triage",
            Clock {
                acknowledged_at: Some(at("2025-01-06T00:00:00Z")),
                ..received("2025-01-05T00:00:00Z")
            },
            State::Acknowledged,
            None,
        ),
        (
            "invalid",
            Clock {
                triaged_at: Some(at("2025-01-06T00:00:00Z")),
                ..received("2025-01-05T00:00:00Z")
            },
            State::Triaged,
            Some(Resolution::Invalid),
        ),
    ];
    let mut keyed: Vec<(&str, Option<Timestamp>)> = cases
        .iter()
        .map(|(name, clock, state, resolution)| {
            (*name, sort_key(&policy, clock, *state, *resolution))
        })
        .collect();
    // What the store does: nulls last.
    keyed.sort_by_key(|(_, key)| (key.is_none(), *key));
    let order: Vec<&str> = keyed.iter().map(|(name, _)| *name).collect();
    // older: acknowledge by 01-11 09:00; to triage: triage by 01-12 00:00; new: acknowledge by
    // 01-12 09:00; held: paused; invalid: nothing due.
    assert_eq!(order, ["older", "to triage", "new", "held", "invalid"]);
}

#[test]
fn medians_of_response_times() {
    let h = SignedDuration::from_hours;
    assert_eq!(median(&mut [h(30), h(2), h(50), h(7), h(12)]), Some(h(12)));
    assert_eq!(
        median(&mut [h(1), h(2)]),
        Some(SignedDuration::from_mins(90))
    );
    assert_eq!(median(&mut [h(5)]), Some(h(5)));
    assert_eq!(median(&mut []), None);
}
