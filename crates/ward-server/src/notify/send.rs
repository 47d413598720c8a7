//! The outbox sender: claims due notifications, opens each with its case's data key, delivers
//! it, and marks it sent or reschedules it with exponential backoff.
//!
//! Claims are leased ([`LEASE`]), so two instances on one PostgreSQL database do not send the
//! same notification twice while both are alive. A notification that can never be delivered
//! (its case is gone, it does not open, its webhook was removed from the configuration, the
//! relay refused it permanently, or it failed [`MAX_ATTEMPTS`] times) is dropped with a warning
//! that names its id and the reason, never its recipient or contents.

use std::sync::Arc;

use anyhow::Context as _;
use jiff::{SignedDuration, Timestamp};
use ward_store::{Notification, Store};

use super::email::Mailer;
use super::webhook;
use crate::AppState;
use crate::outbox::{self, Outgoing};

/// How long a claimed notification is not handed out again.
const LEASE: SignedDuration = SignedDuration::from_mins(5);
/// How many notifications one pass claims: few enough that sending them all (each bounded by
/// its transport's timeout, 20 s for SMTP) ends well within the [`LEASE`].
const BATCH: u32 = 10;
/// Attempts before a notification is given up.
pub(crate) const MAX_ATTEMPTS: i64 = 10;
/// The first retry's delay; each later one doubles, up to [`MAX_DELAY`].
const FIRST_DELAY: SignedDuration = SignedDuration::from_secs(30);
/// The longest delay between attempts.
const MAX_DELAY: SignedDuration = SignedDuration::from_hours(6);

/// What one pass of the sender did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct SendSummary {
    /// Delivered and marked sent.
    pub sent: usize,
    /// Failed and rescheduled.
    pub retried: usize,
    /// Given up (see the module documentation).
    pub dropped: usize,
}

/// One pass: claims the notifications due at `now` and tries each once.
pub async fn send_once(state: &AppState, now: Timestamp) -> anyhow::Result<SendSummary> {
    let store = Arc::clone(&state.store);
    let claimed = blocking(&store, move |s| s.claim_notifications(now, LEASE, BATCH))
        .await
        .context("claiming notifications")?;
    let mut summary = SendSummary::default();
    if claimed.is_empty() {
        return Ok(summary);
    }
    let mailer = match &state.config.smtp {
        Some(smtp) => match Mailer::new(smtp) {
            Ok(mailer) => Some(mailer),
            Err(e) => {
                tracing::warn!(error = %e, "SMTP is configured but unusable");
                None
            }
        },
        None => None,
    };
    for notification in claimed {
        let id = notification.id;
        let outcome = deliver(state, mailer.as_ref(), &notification, now).await;
        let attempts = notification.attempts + 1;
        let next = match outcome {
            Ok(()) => Next::Sent,
            Err(Failure::Unconfigured) => {
                tracing::debug!(
                    notification = id,
                    "no SMTP relay configured: email not sent"
                );
                Next::Dropped
            }
            Err(Failure::Never(why)) => {
                tracing::warn!(notification = id, reason = %why, "dropping a notification");
                Next::Dropped
            }
            Err(Failure::Again(why)) if attempts >= MAX_ATTEMPTS => {
                tracing::warn!(notification = id, attempts, reason = %why,
                    "dropping a notification after too many attempts");
                Next::Dropped
            }
            Err(Failure::Again(why)) => {
                let retry_at = now.saturating_add(backoff(attempts)).unwrap_or(now);
                tracing::info!(notification = id, attempts, reason = %why, %retry_at,
                    "a notification failed; retrying later");
                Next::Retry(retry_at)
            }
        };
        let result = match next {
            Next::Sent | Next::Dropped => blocking(&store, move |s| s.notification_sent(id)).await,
            Next::Retry(at) => blocking(&store, move |s| s.notification_failed(id, at)).await,
        };
        result.with_context(|| format!("recording the outcome of notification {id}"))?;
        match next {
            Next::Sent => summary.sent += 1,
            Next::Dropped => summary.dropped += 1,
            Next::Retry(_) => summary.retried += 1,
        }
    }
    Ok(summary)
}

/// The delay before attempt `attempts + 1`: 30 s, 1 min, 2 min, ... capped at 6 h.
pub(crate) fn backoff(attempts: i64) -> SignedDuration {
    let exponent = u32::try_from(attempts.saturating_sub(1).clamp(0, 20)).unwrap_or(20);
    let factor = 1i32.checked_shl(exponent).unwrap_or(i32::MAX);
    FIRST_DELAY
        .checked_mul(factor)
        .map_or(MAX_DELAY, |d| d.min(MAX_DELAY))
}

enum Next {
    Sent,
    Dropped,
    Retry(Timestamp),
}

/// Why a delivery failed.
enum Failure {
    /// An email, and no SMTP relay is configured: nothing to do (not a fault).
    Unconfigured,
    /// It can never succeed.
    Never(String),
    /// It may succeed later.
    Again(String),
}

async fn deliver(
    state: &AppState,
    mailer: Option<&Mailer>,
    notification: &Notification,
    now: Timestamp,
) -> Result<(), Failure> {
    let outgoing = open(state, notification).await?;
    match outgoing {
        Outgoing::Email {
            to,
            recipient,
            link,
            notice,
        } => {
            let Some(mailer) = mailer else {
                return Err(if state.config.smtp.is_none() {
                    Failure::Unconfigured
                } else {
                    Failure::Never("the configured SMTP relay is unusable".into())
                });
            };
            let email = notice.email_to(recipient, &state.config.instance_name, &to, &link);
            mailer.send(&email).await.map_err(|f| {
                if f.permanent {
                    Failure::Never(f.what)
                } else {
                    Failure::Again(f.what)
                }
            })
        }
        Outgoing::Webhook { url, link, notice } => {
            let Some(hook) = state.config.webhooks.iter().find(|h| h.url == url) else {
                return Err(Failure::Never("its webhook is no longer configured".into()));
            };
            let secret = hook.secret.clone();
            let delivery = notification.id.to_string();
            let timestamp = now.as_second();
            let body = webhook::body(&notice.webhook_json(&link), &delivery, timestamp);
            tokio::task::spawn_blocking(move || {
                webhook::post(&url, secret.as_bytes(), &body, &delivery, timestamp)
            })
            .await
            .map_err(|e| Failure::Again(format!("the webhook task failed: {e}")))?
            .map_err(|e| Failure::Again(format!("webhook: {e}")))
        }
    }
}

/// Opens a notification's payload with its case's data key.
async fn open(state: &AppState, notification: &Notification) -> Result<Outgoing, Failure> {
    let report_id = notification.notification.report;
    let store = Arc::clone(&state.store);
    let report = blocking(&store, move |s| s.report(report_id))
        .await
        .map_err(|e| Failure::Again(format!("reading its case: {e:#}")))?
        .ok_or_else(|| Failure::Never("its case no longer exists".into()))?;
    let key = state
        .keyring
        .unwrap(&report.wrapped_key)
        .map_err(|e| Failure::Never(format!("unwrapping its case's data key: {e}")))?;
    outbox::open(&key, notification).map_err(|e| Failure::Never(format!("opening it: {e:#}")))
}

/// Runs a store call on the blocking pool.
pub(crate) async fn blocking<T, F>(store: &Arc<dyn Store>, f: F) -> anyhow::Result<T>
where
    T: Send + 'static,
    F: FnOnce(&dyn Store) -> ward_store::Result<T> + Send + 'static,
{
    let store = Arc::clone(store);
    Ok(tokio::task::spawn_blocking(move || f(&*store))
        .await
        .context("the store task failed")??)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_doubles_and_caps() {
        assert_eq!(backoff(1), SignedDuration::from_secs(30));
        assert_eq!(backoff(2), SignedDuration::from_secs(60));
        assert_eq!(backoff(3), SignedDuration::from_secs(120));
        assert_eq!(backoff(9), SignedDuration::from_secs(30 * 256));
        assert_eq!(backoff(30), MAX_DELAY);
        assert_eq!(backoff(i64::MAX), MAX_DELAY);
        assert_eq!(backoff(0), FIRST_DELAY);
    }
}
