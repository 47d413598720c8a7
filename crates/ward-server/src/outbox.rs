//! Notifications queued in the store's outbox: what a payload is, and queueing them. (The
//! desk's sender claims, opens and sends them.)
//!
//! A payload names its recipient and carries the [`Notice`] (ids, states, deadlines — never
//! report content) and the link to put in it. It is sealed with the case's data key, label
//! `report:<id>:outbox`, because a recipient's address is personal data.

use jiff::Timestamp;
use serde::{Deserialize, Serialize};
use ward_desk::ReportId;
use ward_desk::access::Role;
use ward_desk::notice::{Notice, Recipient};
use ward_desk::seal::DataKey;
use ward_store::{NewNotification, Notification};

use crate::AppState;
use crate::error::WebError;

/// One notification to send.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "channel", rename_all = "snake_case")]
pub(crate) enum Outgoing {
    /// An email to `to`.
    Email {
        /// Recipient address.
        to: String,
        /// Who they are, decided when queued (so sending needs no lookup by address).
        recipient: Recipient,
        /// The link for the recipient (case page or follow-up link).
        link: String,
        /// What happened.
        notice: Notice,
    },
    /// A chat webhook POST to `url` (one of `Config::webhooks`, whose secret signs it).
    Webhook {
        /// Where.
        url: String,
        /// The case page.
        link: String,
        /// What happened.
        notice: Notice,
    },
}

impl Outgoing {
    /// The store's channel name.
    pub(crate) fn channel(&self) -> &'static str {
        match self {
            Outgoing::Email { .. } => "email",
            Outgoing::Webhook { .. } => "webhook",
        }
    }
}

/// The seal label of a case's outbox payloads.
pub(crate) fn label(report: ReportId) -> String {
    format!("report:{report}:outbox")
}

/// Seals and queues notifications about `report`, due at `due_at`.
pub(crate) fn enqueue(
    store: &dyn ward_store::Store,
    key: &DataKey,
    report: ReportId,
    outgoing: &[Outgoing],
    due_at: Timestamp,
) -> anyhow::Result<()> {
    for item in outgoing {
        let payload = serde_json::to_vec(item)?;
        store.enqueue(&NewNotification {
            report,
            channel: item.channel().to_owned(),
            payload: key.seal(&label(report), &payload),
            due_at,
        })?;
    }
    Ok(())
}

/// Opens a claimed notification's payload.
#[allow(dead_code, reason = "the desk's sender uses it")]
pub(crate) fn open(key: &DataKey, notification: &Notification) -> anyhow::Result<Outgoing> {
    let report = notification.notification.report;
    let json = key.open(&label(report), &notification.notification.payload)?;
    Ok(serde_json::from_slice(&json)?)
}

/// The case page's URL.
pub(crate) fn case_link(state: &AppState, report: ReportId) -> String {
    format!("{}/cases/{report}", state.public_url())
}

/// The reporter's follow-up URL.
pub(crate) fn follow_up_link(state: &AppState, token: &str) -> String {
    format!("{}/r/{token}", state.public_url())
}

/// A notice to the team: an email to every enabled coordinator and admin, and every webhook.
pub(crate) fn to_team(
    state: &AppState,
    store: &dyn ward_store::Store,
    report: ReportId,
    notice: &Notice,
) -> Result<Vec<Outgoing>, WebError> {
    let link = case_link(state, report);
    let mut outgoing: Vec<Outgoing> = store
        .users()?
        .into_iter()
        .filter(|u| !u.disabled && matches!(u.role, Role::Coordinator | Role::Admin))
        .map(|u| Outgoing::Email {
            to: u.email,
            recipient: Recipient::Team,
            link: link.clone(),
            notice: notice.clone(),
        })
        .collect();
    outgoing.extend(state.config.webhooks.iter().map(|w| Outgoing::Webhook {
        url: w.url.clone(),
        link: link.clone(),
        notice: notice.clone(),
    }));
    Ok(outgoing)
}
