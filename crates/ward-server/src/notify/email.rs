//! Email over SMTP (lettre, tokio transport): plain SMTP to a relay on a trusted network
//! (`127.0.0.1`, say), or STARTTLS required when [`crate::Smtp::starttls`] is set, in which
//! case the relay's certificate is checked against the web PKI roots.

use std::time::Duration;

use lettre::message::header::ContentType;
use lettre::transport::smtp::client::{Tls, TlsParameters};
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};
use ward_desk::notice::Email;

use crate::Smtp;

/// How long one SMTP exchange may take.
const TIMEOUT: Duration = Duration::from_secs(20);

/// A configured SMTP relay.
#[derive(Clone)]
pub(crate) struct Mailer {
    transport: AsyncSmtpTransport<Tokio1Executor>,
    from: String,
}

impl std::fmt::Debug for Mailer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Mailer").finish_non_exhaustive()
    }
}

impl Mailer {
    /// The transport for `smtp`; fails only when the TLS parameters cannot be built.
    pub(crate) fn new(smtp: &Smtp) -> Result<Mailer, String> {
        let builder = AsyncSmtpTransport::<Tokio1Executor>::builder_dangerous(smtp.host.as_str())
            .port(smtp.port)
            .timeout(Some(TIMEOUT));
        let builder = if smtp.starttls {
            let params = TlsParameters::new(smtp.host.clone())
                .map_err(|e| format!("SMTP TLS parameters for {}: {e}", smtp.host))?;
            builder.tls(Tls::Required(params))
        } else {
            builder.tls(Tls::None)
        };
        Ok(Mailer {
            transport: builder.build(),
            from: smtp.from.clone(),
        })
    }

    /// Sends one email.
    pub(crate) async fn send(&self, email: &Email) -> Result<(), Failure> {
        let message = build(&self.from, email).map_err(|what| Failure {
            permanent: true,
            what,
        })?;
        self.transport
            .send(message)
            .await
            .map(|_| ())
            .map_err(|e| Failure::from_smtp(&e))
    }
}

/// Why an email was not sent, described without the server's reply text: a relay's answer
/// often quotes the recipient's address, which is the reporter's contact and stays out of logs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Failure {
    /// A 5xx answer or an unbuildable message: retrying will not help.
    pub(crate) permanent: bool,
    /// What failed, for the log.
    pub(crate) what: String,
}

impl Failure {
    fn from_smtp(e: &lettre::transport::smtp::Error) -> Failure {
        let code = e
            .status()
            .map(|c| format!(" (SMTP code {c})"))
            .unwrap_or_default();
        let kind = if e.is_permanent() {
            "the relay refused the message permanently"
        } else if e.is_transient() {
            "the relay refused the message for now"
        } else if e.is_timeout() {
            "the relay timed out"
        } else if e.is_tls() {
            "TLS with the relay failed"
        } else {
            "the connection to the relay failed"
        };
        Failure {
            permanent: e.is_permanent(),
            what: format!("{kind}{code}"),
        }
    }
}

/// The message: plain text, UTF-8, with a random Message-ID in the From address's domain
/// (not the host's name, which relays would otherwise see in lettre's default).
fn build(from: &str, email: &Email) -> Result<Message, String> {
    let from: lettre::message::Mailbox = from
        .parse()
        .map_err(|e| format!("the configured From address is not valid: {e}"))?;
    let id: String = rand::random::<[u8; 16]>()
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    let message_id = format!("<{id}@{}>", from.email.domain());
    let to = email
        .to
        .parse()
        .map_err(|e| format!("the recipient address is not valid: {e}"))?;
    Message::builder()
        .message_id(Some(message_id))
        .from(from)
        .to(to)
        .subject(email.subject.as_str())
        .header(ContentType::TEXT_PLAIN)
        .body(email.body.clone())
        .map_err(|e| format!("building the message: {e}"))
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn builds_plain_text_message() {
        let email = Email {
            to: "team@example.org".into(),
            subject: "New report".into(),
            body: "A report arrived.".into(),
        };
        let formatted = String::from_utf8(
            build("ward <ward@example.org>", &email)
                .unwrap()
                .formatted(),
        )
        .unwrap();
        assert!(formatted.contains("To: team@example.org"));
        assert!(formatted.contains("Subject: New report"));
        assert!(formatted.contains("text/plain"));
        assert!(formatted.contains("@example.org>"), "{formatted}");
        assert!(formatted.contains("Message-ID: <"), "{formatted}");
    }

    #[test]
    fn refuses_bad_addresses() {
        let email = Email {
            to: "not an address".into(),
            subject: "s".into(),
            body: "b".into(),
        };
        assert!(build("ward@example.org", &email).is_err());
        assert!(build("nope", &email).is_err());
    }
}
