//! `ward serve`: the intake and the triage desk over HTTP.
//!
//! (To be written: router, pages, API, auth, jobs. See `Config` for what the CLI passes in.)
#![deny(missing_docs)]
#![forbid(unsafe_code)]

use std::net::SocketAddr;
use std::path::PathBuf;

use ward_desk::sla::SlaPolicy;

/// Everything `ward serve` is configured with; `ward-cli` builds it from flags, `WARD_*`
/// variables and `ward.toml` (flags win).
#[derive(Debug, Clone)]
pub struct Config {
    /// Where to listen (default `127.0.0.1:8080`).
    pub listen: SocketAddr,
    /// Where the SQLite store and the keys live (default `./ward-data`). With PostgreSQL, the
    /// keys still live here.
    pub data_dir: PathBuf,
    /// `postgres://...` to use PostgreSQL instead of SQLite.
    pub database_url: Option<String>,
    /// Serve HTTPS with this certificate chain and key (PEM).
    pub tls: Option<Tls>,
    /// The URL users reach the instance at, for links in emails (default from `listen`).
    pub public_url: Option<String>,
    /// The instance's name on pages and in emails.
    pub instance_name: String,
    /// SLA commitments.
    pub sla: SlaPolicy,
    /// Purge attachments and reporter contact details this many days after disclosure.
    pub retention_days: Option<u32>,
    /// Outgoing email; none configured means notifications are not emailed.
    pub smtp: Option<Smtp>,
    /// Chat webhooks.
    pub webhooks: Vec<Webhook>,
}

/// TLS files.
#[derive(Debug, Clone)]
pub struct Tls {
    /// Certificate chain, PEM.
    pub cert: PathBuf,
    /// Private key, PEM.
    pub key: PathBuf,
}

/// An SMTP relay.
#[derive(Debug, Clone)]
pub struct Smtp {
    /// Host.
    pub host: String,
    /// Port.
    pub port: u16,
    /// The From address.
    pub from: String,
    /// Whether to require STARTTLS.
    pub starttls: bool,
}

/// A chat webhook: ward POSTs JSON with an `X-Ward-Signature: sha256=<hex HMAC>` header.
#[derive(Clone)]
pub struct Webhook {
    /// Where to POST.
    pub url: String,
    /// The HMAC key.
    pub secret: String,
}

impl std::fmt::Debug for Webhook {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Webhook")
            .field("url", &self.url)
            .finish_non_exhaustive()
    }
}

impl Default for Config {
    fn default() -> Self {
        Config {
            listen: SocketAddr::from(([127, 0, 0, 1], 8080)),
            data_dir: PathBuf::from("ward-data"),
            database_url: None,
            tls: None,
            public_url: None,
            instance_name: "ward".to_owned(),
            sla: SlaPolicy::default(),
            retention_days: None,
            smtp: None,
            webhooks: Vec::new(),
        }
    }
}
