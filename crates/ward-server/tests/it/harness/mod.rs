//! The harness of the whole-system suites: a real `ward serve` started in-process on
//! `127.0.0.1:0` with a fresh data directory (and, when asked, a real SMTP server capturing
//! mail), accounts of every role, logins with password and TOTP, and the log capture.
//!
//! Everything a suite starts is stopped when its value is dropped: the server (shut down
//! gracefully by [`TestServer::stop`], aborted on drop), the SMTP server, chromedriver and
//! the browsers.

pub(crate) mod chrome;
pub(crate) mod gpg;
pub(crate) mod html;
pub(crate) mod http;
pub(crate) mod isolated;
pub(crate) mod logs;
pub(crate) mod mail;
pub(crate) mod postgres;
pub(crate) mod scan;
pub(crate) mod totp;

use std::net::SocketAddr;
use std::path::Path;
use std::time::{Duration, Instant};

use tempfile::TempDir;
use tokio::sync::oneshot;
use tokio::task::JoinHandle;
use ward_desk::UserId;
use ward_desk::access::Role;
use ward_server::{AppState, Config, RateLimits, Server, Smtp};
use ward_testkit::{CapturedMail, SmtpCapture};

use self::http::Client;
use self::totp::Authenticator;

/// What a suite needs of its server.
#[derive(Default)]
pub(crate) struct Options {
    /// Whether to start an SMTP capture server and send mail to it.
    pub(crate) smtp: Mail,
    /// PostgreSQL instead of SQLite.
    pub(crate) database_url: Option<String>,
    /// Rate limits other than the defaults (the suites that send many requests from one
    /// address lift them).
    pub(crate) limits: Option<RateLimits>,
}

/// Whether a suite's server sends mail to a capture server.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(crate) enum Mail {
    /// No SMTP server configured.
    #[default]
    None,
    /// Needed: [`TestServer::start`] gives `None` (skipped, with the reason printed) when the
    /// capture server cannot be had, or fails under `WARD_REQUIRE_BROWSER=1`.
    Required,
    /// Used when aiosmtpd is installed, silently left out when not.
    IfAvailable,
}

/// A running server and what it was started with.
pub(crate) struct TestServer {
    pub(crate) addr: SocketAddr,
    /// Taken on drop and dropped on a thread outside the runtime: the PostgreSQL client's
    /// connections block on their own runtime when closed.
    state: Option<AppState>,
    pub(crate) config: Config,
    pub(crate) smtp: Option<SmtpCapture>,
    shutdown: Option<oneshot::Sender<()>>,
    task: Option<JoinHandle<anyhow::Result<()>>>,
    // Last: removed after the server and the SMTP server are gone.
    _data: TempDir,
}

impl TestServer {
    /// Starts a server on a free loopback port with a fresh data directory. `None` (skipped,
    /// with the reason printed) when the SMTP server was asked for and is not available.
    pub(crate) async fn start(options: Options) -> Option<TestServer> {
        let data = tempfile::tempdir().unwrap();
        let python = match options.smtp {
            Mail::None => None,
            Mail::Required => Some(SmtpCapture::python()?),
            Mail::IfAvailable => SmtpCapture::find_python(),
        };
        let smtp = python.map(|python| {
            SmtpCapture::start(&python, &data.path().join("smtp"))
                .unwrap_or_else(|e| panic!("starting the SMTP capture server: {e}"))
        });
        let config = Config {
            listen: SocketAddr::from(([127, 0, 0, 1], 0)),
            data_dir: data.path().join("ward-data"),
            database_url: options.database_url,
            instance_name: "ward test".to_owned(),
            smtp: smtp.as_ref().map(|smtp| Smtp {
                host: "127.0.0.1".to_owned(),
                port: smtp.port(),
                from: "ward@ward.test".to_owned(),
                starttls: false,
            }),
            limits: options.limits.unwrap_or_default(),
            ..Config::default()
        };
        let server = Server::start(config.clone())
            .await
            .unwrap_or_else(|e| panic!("starting the server: {e:#}"));
        let addr = server.local_addr();
        let state = server.state().clone();
        let (tx, rx) = oneshot::channel::<()>();
        let task = tokio::spawn(server.run(async move {
            let _ = rx.await;
        }));
        Some(TestServer {
            addr,
            state: Some(state),
            config,
            smtp,
            shutdown: Some(tx),
            task: Some(task),
            _data: data,
        })
    }

    /// What the server's handlers share.
    pub(crate) fn state(&self) -> &AppState {
        self.state
            .as_ref()
            .expect("the state lives until the server is dropped")
    }

    /// `http://127.0.0.1:<port><path>`.
    pub(crate) fn url(&self, path: &str) -> String {
        format!("http://{}{path}", self.addr)
    }

    /// A client of this server over its socket.
    pub(crate) fn client(&self) -> Client {
        Client::socket(self.addr)
    }

    /// The data directory (`<temp>/ward-data`).
    pub(crate) fn data_dir(&self) -> &Path {
        &self.config.data_dir
    }

    /// Creates an account (through `ward_server::admin`, as the CLI does); admins and
    /// coordinators are enrolled in TOTP unless `totp` is false.
    pub(crate) async fn user(&self, role: Role, name: &str, totp: bool) -> TestUser {
        let email = format!("{name}@ward.test");
        let password = format!("{name}-correct horse battery staple");
        // The admin functions are synchronous (the store is), as the CLI calls them.
        let (state, who, mail, pass) = (
            self.state().clone(),
            name.to_owned(),
            email.clone(),
            password.clone(),
        );
        let (id, secret) = tokio::task::spawn_blocking(move || {
            let id = ward_server::admin::create_user(&state, &mail, &who, role, &pass)
                .unwrap_or_else(|e| panic!("creating {who}: {e:#}"));
            let secret = totp.then(|| {
                ward_server::admin::enroll_totp(&state, id)
                    .unwrap_or_else(|e| panic!("enrolling {who} in TOTP: {e:#}"))
            });
            (id, secret)
        })
        .await
        .unwrap();
        let authenticator = secret.map(|s| Authenticator::new(&s));
        TestUser {
            id,
            email,
            password,
            authenticator,
            used_step: None,
        }
    }

    /// Mail the SMTP server received that satisfies `want`, polled until `timeout`.
    pub(crate) async fn wait_for_mail(
        &self,
        timeout: Duration,
        want: impl Fn(&CapturedMail) -> bool,
    ) -> Option<CapturedMail> {
        let smtp = self.smtp.as_ref().expect("started with an SMTP server");
        let start = Instant::now();
        loop {
            let messages = smtp.messages().unwrap();
            if let Some(found) = messages.into_iter().find(|m| want(m)) {
                return Some(found);
            }
            if start.elapsed() > timeout {
                return None;
            }
            tokio::time::sleep(Duration::from_millis(200)).await;
        }
    }

    /// Shuts the server down gracefully and waits until it has stopped; the data directory
    /// stays until the value is dropped.
    pub(crate) async fn stop(&mut self) {
        if let Some(tx) = self.shutdown.take() {
            let _ = tx.send(());
        }
        if let Some(task) = self.task.take() {
            tokio::time::timeout(Duration::from_secs(30), task)
                .await
                .expect("the server stops within 30 s of the shutdown signal")
                .expect("the server task does not panic")
                .unwrap_or_else(|e| panic!("the server failed: {e:#}"));
        }
    }
}

impl Drop for TestServer {
    fn drop(&mut self) {
        if let Some(tx) = self.shutdown.take() {
            let _ = tx.send(());
        }
        if let Some(task) = self.task.take() {
            task.abort();
        }
        if let Some(state) = self.state.take() {
            let _ = std::thread::spawn(move || drop(state)).join();
        }
    }
}

/// An account the suites log in with.
#[derive(Debug, Clone)]
pub(crate) struct TestUser {
    pub(crate) id: UserId,
    pub(crate) email: String,
    pub(crate) password: String,
    pub(crate) authenticator: Option<Authenticator>,
    /// The TOTP step last used to log in (a step is accepted once).
    pub(crate) used_step: Option<u64>,
}

impl TestUser {
    /// Logs `client` in with the password and, when enrolled, a TOTP code; fails unless the
    /// server ends up giving the client a session that passed every factor.
    pub(crate) async fn login(&mut self, client: &mut Client) {
        let response = self.login_password(client).await;
        if let Some(authenticator) = &self.authenticator {
            let next = response.location().unwrap_or_default().to_owned();
            assert!(
                next.starts_with("/login/totp"),
                "{}: after the password, expected the TOTP step, got {} {next}",
                self.email,
                response.status
            );
            let (code, step) = authenticator.fresh_code(self.used_step).await;
            self.used_step = Some(step);
            let response = client
                .submit("/login/totp", "/login/totp", &[("code", &code)])
                .await;
            response.expect(303, &format!("{}: POST /login/totp", self.email));
        }
    }

    /// The password step only: `POST /login`, which must redirect (to the TOTP step, the
    /// TOTP enrolment, or the inbox).
    pub(crate) async fn login_password(&self, client: &mut Client) -> http::Response {
        let response = client
            .submit(
                "/login",
                "/login",
                &[("email", &self.email), ("password", &self.password)],
            )
            .await;
        response.expect(303, &format!("{}: POST /login", self.email));
        response
    }
}

/// A submission's fields in the report form's names, with `text` in every free-text field.
pub(crate) fn form_fields(text: &str, contact: &str) -> Vec<(String, String)> {
    vec![
        ("title".into(), format!("Path traversal {text}")),
        (
            "description".into(),
            format!("The static handler {text} joins paths without checking."),
        ),
        ("impact".into(), format!("Read any file {text}")),
        (
            "reproduction".into(),
            format!("curl http://host/..%2f..%2fetc/passwd {text}"),
        ),
        (
            "packages".into(),
            format!("npm express <4.19.2\nnpm {text}"),
        ),
        ("credit_type".into(), "handle".into()),
        ("credit_value".into(), format!("@{text}")),
        ("contact".into(), contact.into()),
    ]
}
