//! Notifications the workflow sends. They carry states, deadlines and links, never report
//! content: an email or a chat message leaves the instance's encryption behind.
//!
//! Emails are plain text. The team's carry the case id (`[ward] Report #17 acknowledged`); an
//! anonymous reporter's never do: the follow-up link is how they find their report, and an id
//! in their mailbox would tie them to a case. [`Notice::email`] picks the recipient from the
//! notice (new reports and escalations go to the team, state changes and replies to the
//! reporter, so without the id); [`Notice::email_to`] says it explicitly.
//!
//! Chat webhooks get JSON with the kind, ids, states and the link, signed with
//! [`webhook_signature`].

use hmac::{Hmac, Mac};
use serde::{Deserialize, Serialize};
use serde_json::json;
use sha2::Sha256;

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

/// Who an email is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Recipient {
    /// Coordinators, maintainers, admins: the case id is shown.
    Team,
    /// A registered reporter, who sees their reports by id: the case id is shown.
    Reporter,
    /// A reporter known only by a contact address: no case id, only the link.
    AnonymousReporter,
}

impl Notice {
    /// The email for `to`; `link` is where the recipient follows the case (the follow-up link
    /// for a reporter, the case page for the team). `instance` names the instance in the
    /// subject (`[ward] ...`). The recipient is the notice's usual one: the team for
    /// [`Notice::NewReport`] and [`Notice::Escalation`], a reporter who may be anonymous for
    /// the others (so no case id).
    pub fn email(&self, instance: &str, to: &str, link: &str) -> Email {
        let recipient = match self {
            Notice::NewReport { .. } | Notice::Escalation { .. } => Recipient::Team,
            Notice::StateChanged { .. } | Notice::NewReply { .. } => Recipient::AnonymousReporter,
        };
        self.email_to(recipient, instance, to, link)
    }

    /// The email for `to`, written for `recipient`.
    pub fn email_to(&self, recipient: Recipient, instance: &str, to: &str, link: &str) -> Email {
        let instance = one_line(instance);
        let link = one_line(link);
        let (subject, text) = match recipient {
            Recipient::Team => self.for_team(),
            Recipient::Reporter => self.for_reporter(Some(self.report())),
            Recipient::AnonymousReporter => self.for_reporter(None),
        };
        let follow = match recipient {
            Recipient::Team => format!("Open the case: {link}"),
            Recipient::Reporter => format!("Follow your report here: {link}"),
            Recipient::AnonymousReporter => format!(
                "Follow your report here: {link}\n\
                 This link is the only key to your report: keep it private."
            ),
        };
        Email {
            to: one_line(to),
            subject: format!("[{instance}] {subject}"),
            body: format!(
                "{text}\n\n{follow}\n\n\
                 -- \n\
                 {instance} never puts a report's content in email; it is on the page above.\n"
            ),
        }
    }

    /// The JSON body of the chat webhook (no content, ids and states only).
    pub fn webhook_json(&self, link: &str) -> serde_json::Value {
        let (headline, _) = self.for_team();
        let mut body = json!({
            "kind": self.kind(),
            "report": self.report(),
            "link": link,
            "text": headline,
        });
        match self {
            Notice::StateChanged { to, .. } => body["state"] = json!(to.as_str()),
            Notice::Escalation { milestone, .. } => {
                body["milestone"] = json!(milestone.as_str());
            }
            Notice::NewReport { .. } | Notice::NewReply { .. } => {}
        }
        body
    }

    /// The case the notice is about.
    pub fn report(&self) -> ReportId {
        match self {
            Notice::NewReport { report }
            | Notice::StateChanged { report, .. }
            | Notice::NewReply { report }
            | Notice::Escalation { report, .. } => *report,
        }
    }

    /// The stable name of the notice's kind (`state_changed`).
    pub fn kind(&self) -> &'static str {
        match self {
            Notice::NewReport { .. } => "new_report",
            Notice::StateChanged { .. } => "state_changed",
            Notice::NewReply { .. } => "new_reply",
            Notice::Escalation { .. } => "escalation",
        }
    }

    /// Subject and first paragraph for the team.
    fn for_team(&self) -> (String, String) {
        let id = self.report();
        match self {
            Notice::NewReport { .. } => (
                format!("New report #{id}"),
                format!("A new vulnerability report arrived: #{id}."),
            ),
            Notice::StateChanged { to, .. } => (
                format!("Report #{id} {}", headline(*to)),
                format!("Report #{id} is now: {}.", to.label()),
            ),
            Notice::NewReply { .. } => (
                format!("New message on report #{id}"),
                format!("There is a new message in the thread of report #{id}."),
            ),
            Notice::Escalation { milestone, .. } => (
                format!("Overdue: {} of report #{id}", milestone.noun()),
                format!(
                    "The {} of report #{id} is past its deadline.",
                    milestone.noun()
                ),
            ),
        }
    }

    /// Subject and first paragraph for a reporter; `id` only when they may see it.
    fn for_reporter(&self, id: Option<ReportId>) -> (String, String) {
        let yours = match id {
            Some(id) => format!("your report #{id}"),
            None => "your report".to_owned(),
        };
        let subject_report = match id {
            Some(id) => format!("Report #{id}"),
            None => "Your report".to_owned(),
        };
        match self {
            Notice::NewReport { .. } => (
                format!("{subject_report} was received"),
                format!(
                    "Thank you: {yours} has arrived. The security team will acknowledge it \
                     and tell you what happens next."
                ),
            ),
            Notice::StateChanged { to, .. } => (
                format!("{subject_report} {}", headline(*to)),
                format!(
                    "There is news about {yours}: it is now {}.\n\n{}",
                    to.label().to_lowercase(),
                    to.describe()
                ),
            ),
            Notice::NewReply { .. } => (
                format!("New message about {}", yours),
                format!("The security team wrote to you about {yours}."),
            ),
            Notice::Escalation { .. } => (
                format!("Update on {yours}"),
                format!("There is an update on {yours}."),
            ),
        }
    }
}

/// The signature of a webhook body: `sha256=` and the hex HMAC-SHA-256 of the body under the
/// webhook's secret (the `X-Hub-Signature-256` convention), for the receiver to check.
pub fn webhook_signature(secret: &[u8], body: &[u8]) -> String {
    let mut mac =
        <Hmac<Sha256> as Mac>::new_from_slice(secret).expect("HMAC takes a key of any length");
    mac.update(body);
    let tag = mac.finalize().into_bytes();
    let hex: String = tag.iter().map(|b| format!("{b:02x}")).collect();
    format!("sha256={hex}")
}

/// What a state change is called in a subject line (`Report #17 acknowledged`).
fn headline(state: State) -> &'static str {
    match state {
        State::Received => "received",
        State::Acknowledged => "acknowledged",
        State::Triaged => "triaged",
        State::Fixing => "accepted, fix in progress",
        State::FixReady => "fixed, disclosure in preparation",
        State::DisclosureScheduled => "disclosure scheduled",
        State::Disclosed => "disclosed",
        State::Closed => "closed",
    }
}

/// `s` without control characters (no header injection through a subject or an address).
fn one_line(s: &str) -> String {
    s.chars().filter(|c| !c.is_control()).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    const LINK: &str = "https://ward.example.org/r/tok3n";

    #[test]
    fn the_team_sees_the_case_id() {
        let notice = Notice::StateChanged {
            report: ReportId(17),
            to: State::Acknowledged,
        };
        let email = notice.email_to(Recipient::Team, "ward", "team@example.org", LINK);
        assert_eq!(email.subject, "[ward] Report #17 acknowledged");
        assert!(email.body.contains("#17") && email.body.contains(LINK));
        let email = Notice::NewReport {
            report: ReportId(17),
        }
        .email("ward", "team@example.org", LINK);
        assert_eq!(email.subject, "[ward] New report #17");
        let email = Notice::Escalation {
            report: ReportId(3),
            milestone: Milestone::Acknowledge,
        }
        .email("ward", "team@example.org", LINK);
        assert_eq!(email.subject, "[ward] Overdue: acknowledgment of report #3");
    }

    #[test]
    fn anonymous_reporters_get_the_link_not_the_id() {
        for notice in [
            Notice::NewReport {
                report: ReportId(17),
            },
            Notice::StateChanged {
                report: ReportId(17),
                to: State::Fixing,
            },
            Notice::NewReply {
                report: ReportId(17),
            },
            Notice::Escalation {
                report: ReportId(17),
                milestone: Milestone::Triage,
            },
        ] {
            let email =
                notice.email_to(Recipient::AnonymousReporter, "ward", "r@example.org", LINK);
            assert!(!email.subject.contains("17"), "{}", email.subject);
            assert!(!email.body.contains("17"), "{}", email.body);
            assert!(email.body.contains(LINK) && email.body.contains("keep it private"));
            let registered = notice.email_to(Recipient::Reporter, "ward", "r@example.org", LINK);
            assert!(registered.subject.contains("#17"), "{}", registered.subject);
        }
        let email = Notice::StateChanged {
            report: ReportId(17),
            to: State::Acknowledged,
        }
        .email("ward", "r@example.org", LINK);
        assert_eq!(email.subject, "[ward] Your report acknowledged");
        assert!(email.body.contains(State::Acknowledged.describe()));
    }

    #[test]
    fn no_header_injection() {
        let email = Notice::NewReport {
            report: ReportId(1),
        }
        .email(
            "ward\r\nBcc: x@example.org",
            "a@example.org\r\nBcc: y@example.org",
            LINK,
        );
        assert!(!email.subject.contains('\n') && !email.to.contains('\n'));
    }

    #[test]
    fn webhooks_carry_ids_and_states_only() {
        let body = Notice::StateChanged {
            report: ReportId(17),
            to: State::FixReady,
        }
        .webhook_json(LINK);
        assert_eq!(
            body,
            json!({
                "kind": "state_changed",
                "report": 17,
                "state": "fix_ready",
                "link": LINK,
                "text": "Report #17 fixed, disclosure in preparation",
            })
        );
        let body = Notice::Escalation {
            report: ReportId(2),
            milestone: Milestone::Disclose,
        }
        .webhook_json(LINK);
        assert_eq!(body["milestone"], "disclose");
    }

    #[test]
    fn webhook_signatures() {
        // RFC 4231 test case 2.
        assert_eq!(
            webhook_signature(b"Jefe", b"what do ya want for nothing?"),
            "sha256=5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"
        );
    }
}
