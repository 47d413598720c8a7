//! Notifications: who is told what ([`enqueue`], [`enqueue_to`]) and the outbox sender
//! ([`send_once`]) that delivers them by email and signed webhook.
//!
//! A notice never carries report content (see `ward_desk::notice`), but its recipient can be
//! the reporter's contact address, which is. So every outbox entry (`crate::outbox`) is
//! sealed with the case's data key (label `report:<id>:outbox`) and opened only by the sender,
//! just before delivery, which is also when the email and the webhook body are rendered.
//!
//! Who receives what:
//!
//! | notice | email | webhooks |
//! | --- | --- | --- |
//! | new report | every coordinator | every configured webhook |
//! | state changed (acknowledged, ...) | the reporter | every configured webhook |
//! | new reply | the other side of the thread ([`Audience`]) | every configured webhook |
//! | escalation | every coordinator and admin | every configured webhook |
//!
//! The team is the coordinator in charge of a case for replies when one is assigned, every
//! coordinator otherwise; disabled accounts get nothing. The reporter is the registered
//! reporter's account address, or the `contact` the anonymous reporter gave (none given: no
//! email). Nothing is emailed when no SMTP relay is configured.

mod email;
mod send;
pub mod webhook;

use anyhow::Context as _;
use ward_desk::access::Role;
use ward_desk::notice::{Notice, Recipient};
use ward_desk::seal::DataKey;
use ward_store::{Report, Store};

use crate::outbox::{self, Outgoing};
use crate::{AppState, content};

pub(crate) use send::blocking;
pub use send::{SendSummary, send_once};

/// Which side of a case a notice is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Audience {
    /// The triage team (coordinators; admins too for escalations).
    Team,
    /// Whoever reported the case.
    Reporter,
}

impl Audience {
    /// The side a notice goes to when nobody says otherwise: the team hears of new reports
    /// and escalations, the reporter of state changes and of the team's replies.
    pub fn of(notice: &Notice) -> Audience {
        match notice {
            Notice::NewReport { .. } | Notice::Escalation { .. } => Audience::Team,
            Notice::StateChanged { .. } | Notice::NewReply { .. } => Audience::Reporter,
        }
    }
}

/// Queues `notice` about `report` for its usual audience ([`Audience::of`]) and every
/// webhook. Returns how many deliveries were queued.
pub async fn enqueue(state: &AppState, report: &Report, notice: Notice) -> anyhow::Result<usize> {
    let audience = Audience::of(&notice);
    enqueue_to(state, report, notice, audience).await
}

/// Queues `notice` about `report` for `audience` (by email) and every webhook.
pub async fn enqueue_to(
    state: &AppState,
    report: &Report,
    notice: Notice,
    audience: Audience,
) -> anyhow::Result<usize> {
    let state = state.clone();
    let report = report.clone();
    tokio::task::spawn_blocking(move || enqueue_blocking(&state, &report, &notice, audience))
        .await
        .context("the notification task failed")?
}

fn enqueue_blocking(
    state: &AppState,
    report: &Report,
    notice: &Notice,
    audience: Audience,
) -> anyhow::Result<usize> {
    let store: &dyn Store = &*state.store;
    let key = content::data_key(state, report)?;
    let case_link = outbox::case_link(state, report.id);
    let mut outgoing = Vec::new();
    if state.config.smtp.is_some() {
        let (recipients, link, recipient) = match audience {
            Audience::Team => (
                team_addresses(store, report, notice)?,
                case_link.clone(),
                Recipient::Team,
            ),
            Audience::Reporter => {
                let (to, link) = reporter_address(state, &key, report)?;
                let recipient = match report.reporter {
                    Some(_) => Recipient::Reporter,
                    None => Recipient::AnonymousReporter,
                };
                (to, link, recipient)
            }
        };
        outgoing.extend(recipients.into_iter().map(|to| Outgoing::Email {
            to,
            recipient,
            link: link.clone(),
            notice: notice.clone(),
        }));
    }
    outgoing.extend(state.config.webhooks.iter().map(|hook| Outgoing::Webhook {
        url: hook.url.clone(),
        link: case_link.clone(),
        notice: notice.clone(),
    }));
    outbox::enqueue(store, &key, report.id, &outgoing, state.now())
        .context("queueing notifications")?;
    Ok(outgoing.len())
}

/// The team's addresses for a notice.
fn team_addresses(
    store: &dyn Store,
    report: &Report,
    notice: &Notice,
) -> anyhow::Result<Vec<String>> {
    let users = store.users().context("listing accounts")?;
    let live = users.iter().filter(|u| !u.disabled);
    let mut to: Vec<String> = match notice {
        Notice::NewReply { .. } if report.coordinator.is_some() => live
            .filter(|u| Some(u.id) == report.coordinator)
            .map(|u| u.email.clone())
            .collect(),
        Notice::Escalation { .. } => live
            .filter(|u| matches!(u.role, Role::Coordinator | Role::Admin))
            .map(|u| u.email.clone())
            .collect(),
        _ => live
            .filter(|u| u.role == Role::Coordinator)
            .map(|u| u.email.clone())
            .collect(),
    };
    to.sort();
    to.dedup();
    Ok(to)
}

/// The reporter's address (none when anonymous without a contact) and the link for them: the
/// case page for a registered reporter, the follow-up link otherwise.
fn reporter_address(
    state: &AppState,
    key: &DataKey,
    report: &Report,
) -> anyhow::Result<(Vec<String>, String)> {
    if let Some(id) = report.reporter {
        let user = state.store.user(id).context("reading the reporter")?;
        let to = user
            .filter(|u| !u.disabled)
            .map(|u| vec![u.email])
            .unwrap_or_default();
        return Ok((to, outbox::case_link(state, report.id)));
    }
    let content = content::open_content(key, report)?;
    let to = content
        .submission
        .contact
        .filter(|c| !c.trim().is_empty())
        .map(|c| vec![c])
        .unwrap_or_default();
    Ok((to, outbox::follow_up_link(state, &content.followup)))
}
