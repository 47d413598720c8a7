//! A report's life: states, triage resolutions, and the transitions between them.
//!
//! ```text
//! received → acknowledged → triaged ─┬─ accepted → fixing → fix ready → disclosure scheduled → disclosed → closed
//!    │                         ▲     └─ invalid | duplicate | out of scope ───────────────────────────────→ closed
//!    └─────────────────────────┘ (triage acknowledges too)
//! ```
//!
//! The graph is strict: every edge above and no other. In particular:
//! - `received → triaged` is allowed: triaging a report tells the reporter the team has it, so a
//!   separate acknowledgment step would only add a click (the acknowledgment clock stops too,
//!   see [`crate::sla`]).
//! - entering `triaged` needs a [`Resolution`]; only an `accepted` report goes on to `fixing`, and
//!   only a report triaged `invalid`, `duplicate` or `out of scope` goes straight to `closed`.
//! - there is no way back (re-opening a closed report is a new report) and no skipping ahead
//!   (an accepted report is closed only after disclosure).
//!
//! Who may take an edge is [`crate::access`]'s business; handlers check both.
//!
//! Holding a case (waiting on the reporter, say) is not a state: it is a flag beside the state
//! that pauses the SLA clocks (see [`crate::sla`]).

use serde::{Deserialize, Serialize};

/// Where a report stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum State {
    /// Submitted; nobody on the team has answered yet.
    Received,
    /// The team told the reporter it has the report.
    Acknowledged,
    /// The team decided what the report is; see [`Resolution`].
    Triaged,
    /// An accepted report whose fix is being developed in private.
    Fixing,
    /// The fix is ready and waits for disclosure.
    FixReady,
    /// A disclosure date is set.
    DisclosureScheduled,
    /// The advisory is public.
    Disclosed,
    /// Nothing more to do.
    Closed,
}

/// The outcome of triage.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Resolution {
    /// A real vulnerability in scope: it goes on to be fixed and disclosed.
    Accepted,
    /// Not a vulnerability.
    Invalid,
    /// Already reported: the case links to the original.
    Duplicate,
    /// A real issue, but not in a package this team handles.
    OutOfScope,
}

impl State {
    /// Every state, in workflow order.
    pub const ALL: [State; 8] = [
        State::Received,
        State::Acknowledged,
        State::Triaged,
        State::Fixing,
        State::FixReady,
        State::DisclosureScheduled,
        State::Disclosed,
        State::Closed,
    ];

    /// The stable lower-case name used in URLs, JSON and the database.
    pub fn as_str(self) -> &'static str {
        match self {
            State::Received => "received",
            State::Acknowledged => "acknowledged",
            State::Triaged => "triaged",
            State::Fixing => "fixing",
            State::FixReady => "fix_ready",
            State::DisclosureScheduled => "disclosure_scheduled",
            State::Disclosed => "disclosed",
            State::Closed => "closed",
        }
    }

    /// The name shown to people (`Fix ready`).
    pub fn label(self) -> &'static str {
        match self {
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

    /// What a reporter reads on their follow-up page.
    pub fn describe(self) -> &'static str {
        match self {
            State::Received => {
                "Your report has arrived. The security team will acknowledge it and tell you \
                 what happens next."
            }
            State::Acknowledged => {
                "The security team has your report and is assessing whether it is a \
                 vulnerability in a package it handles."
            }
            State::Triaged => "The security team has assessed your report.",
            State::Fixing => {
                "The report is accepted as a vulnerability; a fix is being developed in private."
            }
            State::FixReady => "A fix is ready; the team is preparing the disclosure.",
            State::DisclosureScheduled => {
                "A date is set for the fix and the advisory to be published."
            }
            State::Disclosed => "The advisory is public. Thank you for reporting.",
            State::Closed => "Nothing more is planned for this report.",
        }
    }

    /// The states `self` may go to, given the case's triage resolution (see
    /// [`check_transition`]; entering [`State::Triaged`] is listed whatever the resolution,
    /// since the transition sets it).
    pub fn successors(self, resolution: Option<Resolution>) -> Vec<State> {
        State::ALL
            .into_iter()
            .filter(|&to| {
                let with = if to == State::Triaged {
                    Some(Resolution::Accepted)
                } else {
                    resolution
                };
                check_transition(self, to, with).is_ok()
            })
            .collect()
    }
}

impl std::fmt::Display for State {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

impl std::str::FromStr for State {
    type Err = UnknownName;

    /// Reads [`State::as_str`]'s names.
    fn from_str(s: &str) -> Result<State, UnknownName> {
        State::ALL
            .into_iter()
            .find(|state| state.as_str() == s)
            .ok_or(UnknownName { what: "state" })
    }
}

impl Resolution {
    /// Every resolution.
    pub const ALL: [Resolution; 4] = [
        Resolution::Accepted,
        Resolution::Invalid,
        Resolution::Duplicate,
        Resolution::OutOfScope,
    ];

    /// The stable lower-case name used in URLs, JSON and the database.
    pub fn as_str(self) -> &'static str {
        match self {
            Resolution::Accepted => "accepted",
            Resolution::Invalid => "invalid",
            Resolution::Duplicate => "duplicate",
            Resolution::OutOfScope => "out_of_scope",
        }
    }

    /// The name shown to people (`Out of scope`).
    pub fn label(self) -> &'static str {
        match self {
            Resolution::Accepted => "Accepted",
            Resolution::Invalid => "Invalid",
            Resolution::Duplicate => "Duplicate",
            Resolution::OutOfScope => "Out of scope",
        }
    }
}

impl std::fmt::Display for Resolution {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

impl std::str::FromStr for Resolution {
    type Err = UnknownName;

    /// Reads [`Resolution::as_str`]'s names.
    fn from_str(s: &str) -> Result<Resolution, UnknownName> {
        Resolution::ALL
            .into_iter()
            .find(|resolution| resolution.as_str() == s)
            .ok_or(UnknownName { what: "resolution" })
    }
}

/// A name that is not one of a state's or a resolution's (the input is not repeated: it may
/// come from a form).
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("unknown {what}")]
pub struct UnknownName {
    /// `state` or `resolution`.
    pub what: &'static str,
}

/// A transition the workflow does not allow.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("a report cannot go from {from:?} to {to:?}{}", .why.map(|w| format!(": {w}")).unwrap_or_default())]
pub struct InvalidTransition {
    /// The current state.
    pub from: State,
    /// The requested state.
    pub to: State,
    /// Why, when there is more to say than "not an edge of the graph".
    pub why: Option<&'static str>,
}

/// Checks that `from → to` is an edge of the workflow, given the triage resolution (required
/// when entering [`State::Triaged`]; only an accepted report goes on to [`State::Fixing`]).
///
/// `resolution` is the one being set when `to` is [`State::Triaged`], and the case's current
/// one otherwise; it is read only on edges into and out of [`State::Triaged`].
pub fn check_transition(
    from: State,
    to: State,
    resolution: Option<Resolution>,
) -> Result<(), InvalidTransition> {
    use State::*;
    let refuse = |why| {
        Err(InvalidTransition {
            from,
            to,
            why: Some(why),
        })
    };
    match (from, to) {
        (Received, Acknowledged)
        | (Fixing, FixReady)
        | (FixReady, DisclosureScheduled)
        | (DisclosureScheduled, Disclosed)
        | (Disclosed, Closed) => Ok(()),
        (Received | Acknowledged, Triaged) => match resolution {
            Some(_) => Ok(()),
            None => refuse("triage needs a resolution"),
        },
        (Triaged, Fixing) => match resolution {
            Some(Resolution::Accepted) => Ok(()),
            _ => refuse("only an accepted report is fixed"),
        },
        (Triaged, Closed) => match resolution {
            Some(Resolution::Invalid | Resolution::Duplicate | Resolution::OutOfScope) => Ok(()),
            Some(Resolution::Accepted) => {
                refuse("an accepted report is closed only after its disclosure")
            }
            None => refuse("the report has no triage resolution"),
        },
        _ => Err(InvalidTransition {
            from,
            to,
            why: None,
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip_and_match_serde() {
        for state in State::ALL {
            assert_eq!(state.as_str().parse::<State>(), Ok(state));
            assert_eq!(
                serde_json::to_value(state).unwrap(),
                serde_json::Value::from(state.as_str())
            );
        }
        for resolution in Resolution::ALL {
            assert_eq!(resolution.as_str().parse::<Resolution>(), Ok(resolution));
            assert_eq!(
                serde_json::to_value(resolution).unwrap(),
                serde_json::Value::from(resolution.as_str())
            );
        }
        assert!("Received".parse::<State>().is_err());
        assert!("".parse::<Resolution>().is_err());
    }

    #[test]
    fn the_happy_path_is_open() {
        let path = [
            (State::Received, State::Acknowledged, None),
            (
                State::Acknowledged,
                State::Triaged,
                Some(Resolution::Accepted),
            ),
            (State::Triaged, State::Fixing, Some(Resolution::Accepted)),
            (State::Fixing, State::FixReady, Some(Resolution::Accepted)),
            (
                State::FixReady,
                State::DisclosureScheduled,
                Some(Resolution::Accepted),
            ),
            (
                State::DisclosureScheduled,
                State::Disclosed,
                Some(Resolution::Accepted),
            ),
            (State::Disclosed, State::Closed, Some(Resolution::Accepted)),
        ];
        for (from, to, resolution) in path {
            assert_eq!(
                check_transition(from, to, resolution),
                Ok(()),
                "{from} → {to}"
            );
        }
    }

    #[test]
    fn triage_needs_a_resolution_and_decides_the_way_on() {
        let err = check_transition(State::Acknowledged, State::Triaged, None).unwrap_err();
        assert_eq!(err.why, Some("triage needs a resolution"));
        assert!(err.to_string().contains("triage needs a resolution"));
        assert!(
            check_transition(State::Received, State::Triaged, Some(Resolution::Invalid)).is_ok()
        );
        for resolution in [
            Resolution::Invalid,
            Resolution::Duplicate,
            Resolution::OutOfScope,
        ] {
            assert!(check_transition(State::Triaged, State::Closed, Some(resolution)).is_ok());
            assert!(check_transition(State::Triaged, State::Fixing, Some(resolution)).is_err());
        }
        assert!(
            check_transition(State::Triaged, State::Closed, Some(Resolution::Accepted)).is_err()
        );
    }

    #[test]
    fn no_way_back_and_no_skipping() {
        assert!(check_transition(State::Acknowledged, State::Received, None).is_err());
        assert!(check_transition(State::Closed, State::Received, None).is_err());
        assert!(check_transition(State::Fixing, State::Disclosed, None).is_err());
        assert!(check_transition(State::Received, State::Closed, None).is_err());
        let err = check_transition(State::Fixing, State::Fixing, None).unwrap_err();
        assert_eq!(err.why, None);
    }

    #[test]
    fn successors_list_the_edges() {
        assert_eq!(
            State::Received.successors(None),
            [State::Acknowledged, State::Triaged]
        );
        assert_eq!(
            State::Triaged.successors(Some(Resolution::Accepted)),
            [State::Fixing]
        );
        assert_eq!(
            State::Triaged.successors(Some(Resolution::Duplicate)),
            [State::Closed]
        );
        assert!(State::Closed.successors(None).is_empty());
    }
}
