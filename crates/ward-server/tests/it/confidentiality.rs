//! Nothing of a report's content reaches the database file, its WAL, the key files or the
//! logs in clear: a unique marker is submitted every way there is (JSON, form with an
//! attachment, OpenPGP, a reply, and rejected submissions), read back, and then searched for.

use std::io::Write as _;
use std::sync::{Arc, Mutex, OnceLock};

use axum::body::Body;
use axum::http::{Request, StatusCode, header};

use crate::intake::submit_api;
use crate::support::{Browser, Harness, csrf_of, multipart};

/// Every log line of this test binary, at every level.
fn logs() -> &'static Arc<Mutex<Vec<u8>>> {
    static LOGS: OnceLock<Arc<Mutex<Vec<u8>>>> = OnceLock::new();
    LOGS.get_or_init(|| {
        let logs = Arc::new(Mutex::new(Vec::new()));
        let sink = Arc::clone(&logs);
        let subscriber = tracing_subscriber::fmt()
            .with_max_level(tracing::Level::TRACE)
            .with_writer(move || Sink(Arc::clone(&sink)))
            .finish();
        tracing::subscriber::set_global_default(subscriber).unwrap();
        logs
    })
}

struct Sink(Arc<Mutex<Vec<u8>>>);

impl std::io::Write for Sink {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(buf);
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// Encrypts `plaintext` with GnuPG to the published key `public` (armored); `None` without a
/// working `gpg`.
fn gpg_encrypt(public: &str, plaintext: &str) -> Option<String> {
    let home = tempfile::tempdir().unwrap();
    let run = |args: &[&str], input: &str| {
        let mut child = std::process::Command::new("gpg")
            .arg("--homedir")
            .arg(home.path())
            .args(["--batch", "--quiet", "--no-tty"])
            .args(args)
            .stdin(std::process::Stdio::piped())
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .ok()?;
        child.stdin.take()?.write_all(input.as_bytes()).ok()?;
        let out = child.wait_with_output().ok()?;
        out.status
            .success()
            .then(|| String::from_utf8_lossy(&out.stdout).into_owned())
    };
    run(&["--import"], public)?;
    run(
        &[
            "--trust-model",
            "always",
            "--armor",
            "--encrypt",
            "--recipient",
            "ward intake",
        ],
        plaintext,
    )
}

#[tokio::test]
async fn a_marker_submitted_every_way_is_nowhere_in_clear() {
    let logs = logs();
    let h = Harness::unlimited();
    let marker = format!("MARKER-{}", unique_suffix());

    // JSON.
    let path = submit_api(
        &h,
        &format!(
            r#"{{"title": "{marker} title", "description": "{marker} description", "impact": "{marker}",
                "contact": "{marker}@example.org", "credit": {{"type": "name", "value": "{marker}"}},
                "packages": [{{"ecosystem": "npm", "name": "{marker}", "versions": "<1"}}]}}"#
        ),
    )
    .await;
    // The follow-up page reads it (and shows it, to the link's holder).
    let mut reporter = Browser::new();
    let page = reporter.get(&h, &path).await;
    assert!(page.body.contains(&marker));
    let csrf = csrf_of(&page.body);
    let reply = reporter
        .post_form(
            &h,
            &format!("{path}/reply"),
            &[("body", &format!("{marker} reply")), ("csrf", &csrf)],
        )
        .await;
    assert_eq!(reply.status, StatusCode::SEE_OTHER);

    // The form, with an attachment named and filled with the marker.
    let mut browser = Browser::new();
    let csrf = csrf_of(&browser.get(&h, "/").await.body);
    let file_name = format!("{marker}.txt");
    let (content_type, body) = multipart(
        &[
            ("title", &marker),
            ("description", &marker),
            ("reproduction", &marker),
            ("csrf", &csrf),
        ],
        &[("attachments", &file_name, marker.as_bytes())],
    );
    let reply = browser
        .send(
            &h,
            Request::post("/report").header(header::CONTENT_TYPE, content_type),
            Body::from(body),
        )
        .await;
    assert_eq!(reply.status, StatusCode::SEE_OTHER, "{}", reply.body);

    // Rejected ones: invalid fields, malformed JSON.
    let invalid = format!(r#"{{"title": "", "description": "{marker}", "contact": "{marker}"}}"#);
    assert_eq!(
        h.post_json("/api/v1/reports", &invalid).await.status,
        StatusCode::UNPROCESSABLE_ENTITY
    );
    let malformed = format!(r#"{{"title": "{marker}", "#);
    assert_eq!(
        h.post_json("/api/v1/reports", &malformed).await.status,
        StatusCode::BAD_REQUEST
    );

    // OpenPGP, when GnuPG is here.
    let key = h.get("/.well-known/ward-intake.asc").await;
    match gpg_encrypt(
        &key.body,
        &format!("Subject: {marker} encrypted\n\n{marker} body\n"),
    ) {
        Some(armored) => {
            let request = Request::post("/api/v1/reports/encrypted")
                .header(header::CONTENT_TYPE, "application/pgp-encrypted")
                .body(Body::from(armored))
                .unwrap();
            let reply = h.send(request).await;
            assert_eq!(reply.status, StatusCode::CREATED, "{}", reply.body);
            let follow = reply.json()["follow_up_url"]
                .as_str()
                .unwrap()
                .replace("http://ward.test", "");
            let page = h.get(&follow).await;
            assert!(
                page.body.contains(&format!("{marker} encrypted")),
                "decrypted and titled"
            );
        }
        None => eprintln!("OpenPGP part skipped: gpg could not encrypt"),
    }

    let (reports, _) = h.counts();
    assert!(reports >= 2);
    for (path, bytes) in h.data_files() {
        assert!(
            !bytes.windows(marker.len()).any(|w| w == marker.as_bytes()),
            "{path} holds the marker in clear"
        );
    }
    let logged = String::from_utf8_lossy(&logs.lock().unwrap()).into_owned();
    assert!(logged.contains("report received"), "the logs were captured");
    assert!(!logged.contains(&marker), "the logs hold the marker");
}

fn unique_suffix() -> String {
    use std::time::{SystemTime, UNIX_EPOCH};
    let nanos = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap()
        .as_nanos();
    format!("{nanos:x}{:x}", std::process::id())
}
