//! Who may do what: roles, the principal behind a request, and [`authorize`], the one
//! permission check every handler of `ward serve` goes through.
//!
//! The rules, in one table (✓ = allowed; "case" = only on cases the principal can see):
//!
//! | action | admin | coordinator | maintainer | reporter | party | follow-up link | anonymous |
//! | --- | --- | --- | --- | --- | --- | --- | --- |
//! | public pages, submit a report | ✓ | ✓ | ✓ | ✓ | ✓ | ✓ | ✓ |
//! | own account (password, TOTP, tokens) | ✓ | ✓ | ✓ | ✓ | ✓ | | |
//! | inbox (filtered to what they see) | ✓ | ✓ | ✓ | ✓ | ✓ | | |
//! | view a case and its thread | ✓ | ✓ | in scope | own | invited | its case | |
//! | reply to the reporter | ✓ | ✓ | in scope | own | | its case | |
//! | team notes (read, write) | ✓ | ✓ | in scope | | invited | | |
//! | reporter's contact details | ✓ | ✓ | | own | | its case | |
//! | transitions, hold, assign, duplicate, invite | ✓ | ✓ | fixing → fix ready only | | | | |
//! | score (CVSS) | ✓ | ✓ | in scope | | | | |
//! | metrics | ✓ | ✓ | | | | | |
//! | users, packages in scope, audit, reporter data export/erase | ✓ | | | | | | |
//!
//! Admin and coordinator sessions must have passed TOTP before anything beyond their own account.
//! A case the principal cannot see is [`Denied::NotFound`], exactly like a case that does not
//! exist, so guessing ids reveals nothing.

use serde::{Deserialize, Serialize};

use crate::state::State;
use crate::{ReportId, UserId};

/// An account's role on the instance.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    /// Runs the instance: users, packages in scope, audit, data requests.
    Admin,
    /// The triage team: sees and handles every case.
    Coordinator,
    /// Owns packages; sees the cases about them (and cases they are assigned to).
    Maintainer,
    /// Reports vulnerabilities; sees their own reports only.
    Reporter,
    /// Invited to individual cases (a downstream vendor, say); sees only those.
    Party,
}

impl Role {
    /// Every role.
    pub const ALL: [Role; 5] = [
        Role::Admin,
        Role::Coordinator,
        Role::Maintainer,
        Role::Reporter,
        Role::Party,
    ];

    /// The stable lower-case name.
    pub fn as_str(self) -> &'static str {
        todo!()
    }

    /// Whether the role must pass a TOTP second factor.
    pub fn needs_second_factor(self) -> bool {
        matches!(self, Role::Admin | Role::Coordinator)
    }
}

/// What an API token may be used for. A token never exceeds its owner's role.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TokenScope {
    /// Read cases, the inbox and metrics.
    Read,
    /// Everything a case action can do: transitions, replies, notes, scores.
    Write,
    /// Submit reports on the owner's behalf.
    Submit,
    /// Administration.
    Admin,
}

/// Who is making a request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Principal {
    /// Nobody in particular.
    Anonymous,
    /// The holder of a report's unguessable follow-up link.
    FollowUp {
        /// The one report the link opens.
        report: ReportId,
    },
    /// A logged-in account, by session or API token.
    User(Account),
}

/// A logged-in account as the permission check sees it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Account {
    /// The account.
    pub id: UserId,
    /// Its role.
    pub role: Role,
    /// Whether this session passed TOTP (API tokens count as passed: creating one needs it).
    pub second_factor: bool,
    /// `None` for a browser session; the token's scopes for an API token.
    pub token_scopes: Option<Vec<TokenScope>>,
}

/// The facts about a case that decide who may touch it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CaseFacts {
    /// The case.
    pub id: ReportId,
    /// Its state.
    pub state: State,
    /// The registered reporter, if the report was not anonymous.
    pub reporter: Option<UserId>,
    /// Maintainers who own a package in the case's scope or were assigned to it.
    pub maintainers: Vec<UserId>,
    /// Parties invited to the case.
    pub parties: Vec<UserId>,
}

/// Everything a request can ask to do.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Action {
    /// The policy page, the intake key, static assets, login.
    ViewPublic,
    /// Submit a vulnerability report.
    SubmitReport,
    /// Change one's own password, TOTP and API tokens.
    ManageOwnAccount,
    /// List the cases one can see.
    ViewInbox,
    /// Read a case: its state, content and the reporter thread.
    ViewCase,
    /// Write to the thread the reporter sees.
    Reply,
    /// Read team-only notes.
    ViewNotes,
    /// Write a team-only note.
    WriteNote,
    /// Read the reporter's contact details and credit preference.
    ViewReporterContact,
    /// Attach a file to a case.
    Attach,
    /// Move the case to a state.
    Transition(State),
    /// Put the case on hold or resume it.
    Hold,
    /// Assign a coordinator or maintainers.
    Assign,
    /// Set the CVSS vectors.
    Score,
    /// Mark the case a duplicate of another.
    LinkDuplicate,
    /// Invite a party to the case.
    InviteParty,
    /// The metrics page and `/metrics`.
    ViewMetrics,
    /// Accounts and roles.
    ManageUsers,
    /// The packages-in-scope table.
    ManageScope,
    /// Read the audit log.
    ViewAudit,
    /// Export or erase a reporter's data.
    ManageReporterData,
}

/// Why a request was refused. Handlers map these to responses that reveal nothing:
/// `NotFound` → 404 (identical to a missing case), the others → 403.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum Denied {
    /// The object does not exist or the principal may not know it exists.
    #[error("not found")]
    NotFound,
    /// The principal sees the object but may not do this.
    #[error("forbidden")]
    Forbidden,
    /// Log in first.
    #[error("login required")]
    LoginRequired,
    /// This role must pass TOTP first.
    #[error("second factor required")]
    SecondFactorRequired,
}

/// The one permission check. `case` is the case the action is about (`None` for actions not
/// about a case, and for a case that does not exist: a case action without facts is
/// [`Denied::NotFound`]).
pub fn authorize(who: &Principal, action: Action, case: Option<&CaseFacts>) -> Result<(), Denied> {
    let _ = (who, action, case);
    todo!()
}

/// Which cases a principal's inbox lists.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Visibility {
    /// Every case (admin, coordinator).
    All,
    /// Cases in the maintainer's scope or assigned to them.
    Maintainer(UserId),
    /// Cases the party is invited to.
    Party(UserId),
    /// The reporter's own reports.
    Reporter(UserId),
    /// Nothing.
    Nothing,
}

/// The inbox filter for a principal.
pub fn visibility(who: &Principal) -> Visibility {
    let _ = who;
    todo!()
}
