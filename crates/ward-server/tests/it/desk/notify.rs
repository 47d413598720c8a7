//! Notifications delivered for real: signed webhooks to a small HTTP listener on loopback (the
//! signature recomputed here), retries with backoff, and email to a real SMTP server (Python's
//! aiosmtpd writing a Maildir), skipped with a printed reason when aiosmtpd is missing and
//! required under `WARD_REQUIRE_BROWSER=1`.

use std::io::{BufRead as _, BufReader, Read as _, Write as _};
use std::net::{Ipv4Addr, TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use axum::http::StatusCode;
use hmac::{Hmac, Mac as _};
use jiff::SignedDuration;
use sha2::Sha256;
use ward_desk::access::Role;
use ward_server::notify::{SendSummary, send_once, webhook};
use ward_server::{Smtp, Webhook};

use super::support::{Desk, walk};

const SECRET: &str = "webhook secret for tests";
const MARKER: &str = "MARKER-7f3a9c-report-content";

/// One request the listener received.
#[derive(Debug, Clone)]
struct Received {
    request_line: String,
    headers: Vec<(String, String)>,
    body: Vec<u8>,
}

impl Received {
    fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
}

/// An HTTP listener on loopback that records each request and answers `status`.
struct Listener {
    port: u16,
    received: Arc<Mutex<Vec<Received>>>,
}

impl Listener {
    fn start(status: u16) -> Listener {
        let socket = TcpListener::bind((Ipv4Addr::LOCALHOST, 0)).unwrap();
        let port = socket.local_addr().unwrap().port();
        let received = Arc::new(Mutex::new(Vec::new()));
        let log = Arc::clone(&received);
        std::thread::spawn(move || {
            for stream in socket.incoming().flatten() {
                if let Some(request) = read_request(&stream) {
                    log.lock().unwrap().push(request);
                }
                let mut stream = stream;
                let _ = write!(
                    stream,
                    "HTTP/1.1 {status} X\r\ncontent-length: 0\r\nconnection: close\r\n\r\n"
                );
            }
        });
        Listener { port, received }
    }

    fn url(&self) -> String {
        format!("http://127.0.0.1:{}/hook", self.port)
    }

    fn requests(&self) -> Vec<Received> {
        self.received.lock().unwrap().clone()
    }
}

fn read_request(stream: &TcpStream) -> Option<Received> {
    stream.set_read_timeout(Some(Duration::from_secs(5))).ok()?;
    let mut reader = BufReader::new(stream);
    let mut request_line = String::new();
    reader.read_line(&mut request_line).ok()?;
    let mut headers = Vec::new();
    loop {
        let mut line = String::new();
        reader.read_line(&mut line).ok()?;
        let line = line.trim_end();
        if line.is_empty() {
            break;
        }
        let (k, v) = line.split_once(':')?;
        headers.push((k.trim().to_owned(), v.trim().to_owned()));
    }
    let length: usize = headers
        .iter()
        .find(|(k, _)| k.eq_ignore_ascii_case("content-length"))
        .and_then(|(_, v)| v.parse().ok())
        .unwrap_or(0);
    let mut body = vec![0; length];
    reader.read_exact(&mut body).ok()?;
    Some(Received {
        request_line: request_line.trim_end().to_owned(),
        headers,
        body,
    })
}

fn hmac_hex(secret: &str, body: &[u8]) -> String {
    let mut mac = Hmac::<Sha256>::new_from_slice(secret.as_bytes()).unwrap();
    mac.update(body);
    mac.finalize()
        .into_bytes()
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

fn with_webhook(url: String) -> Desk {
    Desk::with(|config| {
        config.webhooks = vec![Webhook {
            url,
            secret: SECRET.to_owned(),
        }];
    })
}

#[tokio::test]
async fn webhooks_are_signed_over_the_exact_body_with_a_timestamp() {
    let listener = Listener::start(204);
    let desk = with_webhook(listener.url());
    let coordinator = desk.user(Role::Coordinator, "coord").await;
    let case = desk
        .submit(serde_json::json!({"title": MARKER, "description": MARKER}))
        .await;
    walk(&desk, &coordinator, case.id, &["acknowledged"]).await;
    let now = desk.now();
    let summary = send_once(&desk.state, now).await.unwrap();
    assert_eq!((summary.sent, summary.retried), (2, 0), "{summary:?}");
    let requests = listener.requests();
    assert_eq!(requests.len(), 2, "the new report and the acknowledgment");
    let mut kinds = Vec::new();
    for request in &requests {
        assert_eq!(request.request_line, "POST /hook HTTP/1.1");
        assert_eq!(request.header("content-type"), Some("application/json"));
        let signature = request.header("x-ward-signature").unwrap();
        assert_eq!(
            signature,
            format!("sha256={}", hmac_hex(SECRET, &request.body))
        );
        let timestamp: i64 = request.header("x-ward-timestamp").unwrap().parse().unwrap();
        assert_eq!(timestamp, now.as_second());
        let body: serde_json::Value = serde_json::from_slice(&request.body).unwrap();
        assert_eq!(body["timestamp"], timestamp, "the timestamp is signed too");
        assert_eq!(body["delivery"].as_str(), request.header("x-ward-delivery"));
        assert_eq!(body["report"], case.id.0);
        assert_eq!(
            body["link"].as_str(),
            Some(format!("http://ward.test/cases/{}", case.id).as_str())
        );
        assert!(
            !String::from_utf8_lossy(&request.body).contains(MARKER),
            "no content"
        );
        // The library's own check agrees, and refuses a changed body or an old delivery.
        assert!(
            webhook::verify(
                SECRET.as_bytes(),
                &request.body,
                signature,
                timestamp,
                timestamp + 10,
                300
            )
            .is_ok()
        );
        let mut changed = request.body.clone();
        changed.push(b' ');
        assert!(
            webhook::verify(
                SECRET.as_bytes(),
                &changed,
                signature,
                timestamp,
                timestamp,
                300
            )
            .is_err()
        );
        assert!(
            webhook::verify(
                SECRET.as_bytes(),
                &request.body,
                signature,
                timestamp,
                timestamp + 3600,
                300
            )
            .is_err()
        );
        kinds.push(body["kind"].as_str().unwrap().to_owned());
    }
    kinds.sort();
    assert_eq!(kinds, ["new_report", "state_changed"]);
    // Sent means gone from the outbox.
    assert_eq!(
        send_once(&desk.state, now).await.unwrap(),
        SendSummary::default()
    );
}

#[tokio::test]
async fn a_failing_webhook_is_retried_with_backoff() {
    let listener = Listener::start(500);
    let desk = with_webhook(listener.url());
    desk.submit(serde_json::json!({"title": "t", "description": "d"}))
        .await;
    let now = desk.now();
    let summary = send_once(&desk.state, now).await.unwrap();
    assert_eq!(
        summary,
        SendSummary {
            sent: 0,
            retried: 1,
            dropped: 0
        }
    );
    // Not again before its backoff, then again after it.
    let summary = send_once(&desk.state, now + SignedDuration::from_secs(20))
        .await
        .unwrap();
    assert_eq!(summary, SendSummary::default());
    let summary = send_once(&desk.state, now + SignedDuration::from_secs(31))
        .await
        .unwrap();
    assert_eq!(summary.retried, 1);
    assert_eq!(listener.requests().len(), 2);
    let deliveries: Vec<_> = listener
        .requests()
        .iter()
        .map(|r| r.header("x-ward-delivery").unwrap().to_owned())
        .collect();
    assert_eq!(deliveries[0], deliveries[1], "a retry is the same delivery");
}

#[tokio::test]
async fn a_webhook_no_longer_configured_is_dropped() {
    let desk = with_webhook("http://127.0.0.1:9/gone".to_owned());
    desk.submit(serde_json::json!({"title": "t", "description": "d"}))
        .await;
    // The same data directory, reopened without the webhook.
    let config = ward_server::Config {
        webhooks: Vec::new(),
        ..desk.state.config().clone()
    };
    let reopened = ward_server::AppState::open(config).unwrap();
    let summary = send_once(&reopened, reopened.now()).await.unwrap();
    assert_eq!(
        summary,
        SendSummary {
            sent: 0,
            retried: 0,
            dropped: 1
        }
    );
}

/// `python3 -m aiosmtpd` writing every message into a Maildir; killed on drop.
struct SmtpServer {
    child: Child,
    port: u16,
    maildir: PathBuf,
}

impl Drop for SmtpServer {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl SmtpServer {
    /// `None` (with the reason printed) when python3 or aiosmtpd is missing; a failure then
    /// under `WARD_REQUIRE_BROWSER=1`.
    fn start(dir: &Path) -> Option<SmtpServer> {
        // Debian's python3-aiosmtpd is for the system interpreter; a `python3` earlier in
        // PATH (pyenv, a virtualenv) may not have it.
        let python = ["/usr/bin/python3", "python3"].into_iter().find(|python| {
            Command::new(python)
                .args(["-c", "import aiosmtpd"])
                .stdout(Stdio::null())
                .stderr(Stdio::null())
                .status()
                .is_ok_and(|s| s.success())
        });
        let Some(python) = python else {
            let reason = "python3 with aiosmtpd (Debian: python3-aiosmtpd) is not installed";
            assert!(
                std::env::var("WARD_REQUIRE_BROWSER").as_deref() != Ok("1"),
                "WARD_REQUIRE_BROWSER=1 but {reason}"
            );
            eprintln!("SKIPPED: the SMTP test: {reason}");
            return None;
        };
        let maildir = dir.join("maildir");
        let port = TcpListener::bind((Ipv4Addr::LOCALHOST, 0))
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        let child = Command::new(python)
            .args(["-m", "aiosmtpd", "-n", "-l", &format!("127.0.0.1:{port}")])
            .args(["-c", "aiosmtpd.handlers.Mailbox"])
            .arg(&maildir)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let server = SmtpServer {
            child,
            port,
            maildir,
        };
        let start = Instant::now();
        while TcpStream::connect((Ipv4Addr::LOCALHOST, port)).is_err() {
            assert!(
                start.elapsed() < Duration::from_secs(20),
                "aiosmtpd did not start"
            );
            std::thread::sleep(Duration::from_millis(50));
        }
        Some(server)
    }

    /// Every message received so far, quoted-printable bodies decoded.
    fn messages(&self) -> Vec<String> {
        let Ok(entries) = std::fs::read_dir(self.maildir.join("new")) else {
            return Vec::new();
        };
        entries
            .flatten()
            .map(|e| quoted_printable(&std::fs::read_to_string(e.path()).unwrap()))
            .collect()
    }
}

/// Decodes quoted-printable text (soft line breaks and `=XX`); headers pass through.
fn quoted_printable(text: &str) -> String {
    let joined = text.replace("=\r\n", "").replace("=\n", "");
    let bytes = joined.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = bytes
            .get(i + 1..i + 3)
            .and_then(|h| std::str::from_utf8(h).ok())
            .and_then(|h| u8::from_str_radix(h, 16).ok());
        match (bytes[i], hex) {
            (b'=', Some(byte)) => {
                out.push(byte);
                i += 3;
            }
            (b, _) => {
                out.push(b);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

#[tokio::test]
async fn emails_reach_a_real_smtp_server() {
    let dir = tempfile::tempdir().unwrap();
    let Some(smtp) = SmtpServer::start(dir.path()) else {
        return;
    };
    let port = smtp.port;
    let desk = Desk::with(|config| {
        config.smtp = Some(Smtp {
            host: "127.0.0.1".to_owned(),
            port,
            from: "ward@ward.test".to_owned(),
            starttls: false,
        });
    });
    let coordinator = desk.user(Role::Coordinator, "coord").await;
    let case = desk
        .submit(serde_json::json!({
            "title": MARKER,
            "description": MARKER,
            "contact": "finder@example.net",
        }))
        .await;
    let answer = desk
        .post(
            &coordinator,
            &format!("/cases/{}/transition", case.id),
            &[("to", "acknowledged")],
        )
        .await;
    assert_eq!(answer.status, StatusCode::SEE_OTHER);
    let summary = send_once(&desk.state, desk.now()).await.unwrap();
    assert_eq!(
        summary,
        SendSummary {
            sent: 2,
            retried: 0,
            dropped: 0
        }
    );

    let messages = smtp.messages();
    if std::env::var_os("WARD_SHOW_MAIL").is_some() {
        eprintln!("{messages:#?}");
    }
    assert_eq!(messages.len(), 2, "{messages:#?}");
    let to_reporter = messages
        .iter()
        .find(|m| m.contains("To: finder@example.net"))
        .expect("the acknowledgment went to the reporter's contact");
    assert!(to_reporter.contains("From: ward@ward.test"));
    assert!(
        to_reporter.contains(&format!("http://ward.test/r/{}", case.token)),
        "the reporter's email carries their follow-up link: {to_reporter}"
    );
    let to_team = messages
        .iter()
        .find(|m| m.contains(&format!("To: {}", coordinator.email)))
        .expect("the new report went to the coordinator");
    assert!(to_team.contains(&format!("http://ward.test/cases/{}", case.id)));
    for message in &messages {
        assert!(!message.contains(MARKER), "no report content in email");
    }
}

#[tokio::test]
async fn the_background_jobs_deliver_and_stop_when_asked() {
    let listener = Listener::start(204);
    let desk = with_webhook(listener.url());
    desk.submit(serde_json::json!({"title": "t", "description": "d"}))
        .await;
    let (stop, stopped) = tokio::sync::watch::channel(false);
    let jobs = ward_server::jobs::spawn(&desk.state, stopped);
    let start = Instant::now();
    while listener.requests().is_empty() {
        assert!(
            start.elapsed() < Duration::from_secs(20),
            "the outbox job did not send"
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    stop.send(true).unwrap();
    for job in jobs {
        tokio::time::timeout(Duration::from_secs(10), job)
            .await
            .expect("a job stops when asked")
            .unwrap();
    }
}

#[tokio::test]
async fn starttls_required_sends_nothing_to_a_relay_without_it() {
    let dir = tempfile::tempdir().unwrap();
    let Some(smtp) = SmtpServer::start(dir.path()) else {
        return;
    };
    let port = smtp.port;
    let desk = Desk::with(|config| {
        config.smtp = Some(Smtp {
            host: "127.0.0.1".to_owned(),
            port,
            from: "ward@ward.test".to_owned(),
            starttls: true,
        });
    });
    let _coordinator = desk.user(Role::Coordinator, "coord").await;
    desk.submit(serde_json::json!({"title": MARKER, "description": MARKER}))
        .await;
    let summary = send_once(&desk.state, desk.now()).await.unwrap();
    assert_eq!(summary.sent, 0, "{summary:?}");
    assert_eq!(summary.retried + summary.dropped, 1, "{summary:?}");
    assert!(smtp.messages().is_empty(), "nothing went out in clear");
}
