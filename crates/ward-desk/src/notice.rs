//! Notifications the workflow sends. They carry states, deadlines and links, never report
//! content: an email or a chat message leaves the instance's encryption behind.

use serde::{Deserialize, Serialize};

use crate::ReportId;
use crate::sla::Milestone;
use crate::state::State;

/// Something worth telling someone.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "kind")]
pub enum Notice {
    /// A report arrived (to the team).
    NewReport {
        /// The case.
        report: ReportId,
    },
    /// The case changed state (to the reporter; "acknowledged" is the acknowledgment).
    StateChanged {
        /// The case.
        report: ReportId,
        /// The new state.
        to: State,
    },
    /// Someone wrote in the thread (to the other side).
    NewReply {
        /// The case.
        report: ReportId,
    },
    /// A deadline passed (to the team and the admins).
    Escalation {
        /// The case.
        report: ReportId,
        /// What is overdue.
        milestone: Milestone,
    },
}

/// An email, ready for the SMTP transport.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Email {
    /// Recipient address.
    pub to: String,
    /// Subject line.
    pub subject: String,
    /// Plain-text body.
    pub body: String,
}

impl Notice {
    /// The email for `to`; `link` is where the recipient follows the case (the follow-up link
    /// for a reporter, the case page for the team).
    pub fn email(&self, instance: &str, to: &str, link: &str) -> Email {
        let _ = (instance, to, link);
        todo!()
    }

    /// The JSON body of the chat webhook (no content, ids and states only).
    pub fn webhook_json(&self, link: &str) -> serde_json::Value {
        let _ = link;
        todo!()
    }
}
