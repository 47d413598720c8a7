//! The response workflow of a security team, as domain logic with no HTTP and no SQL.
//!
//! - [`state`]: a report's states (received → acknowledged → triaged → fixing → fix ready →
//!   disclosure scheduled → disclosed → closed), triage resolutions, and which transitions exist.
//! - [`access`]: roles, the [`access::Principal`] making a request, and [`access::authorize`], the
//!   one permission check every handler goes through.
//! - [`sla`]: the clocks a policy starts at receipt (acknowledge, triage, disclose), paused while
//!   a case is on hold.
//! - [`severity`]: CVSS 3.1 and 4.0 vectors, scores and the Critical/High/Medium/Low band.
//! - [`seal`]: envelope encryption of report contents: a data key per report, wrapped by a
//!   key-encryption key that lives outside the database.
//! - [`audit`]: the hash chain of audit events and its verification.
//! - [`intake`]: the instance's OpenPGP intake key; decrypts encrypted submissions.
//! - [`report`]: what a reporter submits, validated, and the limits on it.
//! - [`notice`]: the notifications the workflow sends (never with report content in them).
//! - [`ledger`]: the entries of the instance's transparency log (audit events, release
//!   signatures), which carry no report content.
//!
//! ```
//! use ward_desk::ReportId;
//! use ward_desk::access::{Action, CaseFacts, Principal, authorize};
//! use ward_desk::severity::{Band, Cvss};
//! use ward_desk::state::{State, check_transition};
//!
//! // A follow-up link opens its one report, to read and answer, nothing more.
//! let case = CaseFacts {
//!     id: ReportId(17),
//!     state: State::Received,
//!     reporter: None,
//!     maintainers: vec![],
//!     parties: vec![],
//! };
//! let link = Principal::FollowUp { report: ReportId(17) };
//! assert!(authorize(&link, Action::Reply, Some(&case)).is_ok());
//! assert!(authorize(&link, Action::Transition(State::Acknowledged), Some(&case)).is_err());
//! // Triage needs a resolution.
//! assert!(check_transition(State::Received, State::Triaged, None).is_err());
//! let cvss = Cvss::parse("CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H")?;
//! assert_eq!((cvss.score, cvss.band()), (9.8, Band::Critical));
//! # Ok::<(), ward_desk::severity::CvssError>(())
//! ```
//!
//! This crate never touches the network or a database; [`seal`] and [`intake`] read and write
//! key files because keys must live outside the database.
#![deny(missing_docs)]
#![forbid(unsafe_code)]

pub mod access;
pub mod audit;
pub mod intake;
pub mod ledger;
pub mod notice;
pub mod report;
pub mod seal;
pub mod severity;
pub mod sla;
pub mod state;

/// A report's (case's) identifier inside one instance. Never shown to anonymous reporters,
/// who hold a follow-up token instead; guessing one gives nothing (see [`access`]).
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize, serde::Deserialize,
)]
#[serde(transparent)]
pub struct ReportId(pub i64);

/// A user account's identifier.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize, serde::Deserialize,
)]
#[serde(transparent)]
pub struct UserId(pub i64);

impl std::fmt::Display for ReportId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.0.fmt(f)
    }
}

impl std::fmt::Display for UserId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.0.fmt(f)
    }
}
