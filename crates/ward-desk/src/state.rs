//! A report's life: states, triage resolutions, and the transitions between them.
//!
//! ```text
//! received → acknowledged → triaged ─┬─ accepted → fixing → fix ready → disclosure scheduled → disclosed → closed
//!                                    └─ invalid | duplicate | out of scope ───────────────────────────────→ closed
//! ```
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
        todo!()
    }

    /// What a reporter reads on their follow-up page.
    pub fn describe(self) -> &'static str {
        todo!()
    }
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
pub fn check_transition(
    from: State,
    to: State,
    resolution: Option<Resolution>,
) -> Result<(), InvalidTransition> {
    let _ = (from, to, resolution);
    todo!()
}
