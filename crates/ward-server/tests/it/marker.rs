//! Nothing of a report's content is stored or logged in clear.
//!
//! A report carrying a unique random marker goes in every way there is (the form with an
//! attachment, the JSON API, OpenPGP-encrypted through the API and the form, a reply of the
//! reporter, a team note and a team reply), is read back in the desk (so the marker did go
//! through the server, and is shown to those entitled to it), and rejected input carrying it
//! is answered without echoing it. Then the server is shut down and every byte of every file
//! under its data directory (the database, its `-wal` and `-shm`, the keys), every line
//! logged at TRACE level during the test, and with PostgreSQL a dump of the database, are
//! searched for the marker, its hex, base64 and UTF-16 forms: none is found. The reporter's
//! contact address (a second marker) is held to the same rule, except in the emails sent to
//! it; the emails carry neither the content nor anything else of the report.

use std::time::Duration;

use serde_json::json;
use ward_desk::access::Role;
use ward_server::RateLimits;

use crate::harness::gpg::gpg_encrypt;
use crate::harness::http::Upload;
use crate::harness::isolated::{inside, run_isolated};
use crate::harness::postgres::ScratchDatabase;
use crate::harness::scan::{self, Hit, Needle};
use crate::harness::{Mail, Options, TestServer, form_fields, html, logs};

#[test]
fn no_report_content_in_the_sqlite_files_or_the_logs() {
    run_isolated("marker::isolated::sqlite");
}

#[test]
fn no_report_content_in_the_postgres_database_or_the_logs() {
    run_isolated("marker::isolated::postgres");
}

/// The scans themselves; they do nothing unless started by [`run_isolated`].
mod isolated {
    use super::*;

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn sqlite() {
        if !inside() {
            return;
        }
        marker_scan(None).await;
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn postgres() {
        if !inside() {
            return;
        }
        let Some(base) = ward_testkit::postgres_url() else {
            return;
        };
        let Some(database) = ScratchDatabase::create(&base) else {
            return;
        };
        marker_scan(Some(&database)).await;
    }
}

async fn marker_scan(postgres: Option<&ScratchDatabase>) {
    let logs = logs::capture()
        .expect("the log capture is the process's tracing subscriber (nothing else installs one)");
    let marker = scan::marker();
    let contact_marker = scan::marker();
    let contact = format!("{contact_marker}@example.net");
    let Some(mut server) = TestServer::start(Options {
        smtp: Mail::IfAvailable,
        database_url: postgres.map(|db| db.url.clone()),
        limits: Some(RateLimits::unlimited()),
    })
    .await
    else {
        return;
    };
    let mut coordinator = server.user(Role::Coordinator, "coordinator", true).await;
    let mut desk = server.client();
    coordinator.login(&mut desk).await;

    let mut follow_ups = Vec::new();

    // 1. The form, with an attachment whose name and bytes carry the marker.
    let mut reporter = server.client();
    let csrf = reporter.csrf("/").await;
    let mut fields = form_fields(&marker, &contact);
    fields.push(("csrf".into(), csrf));
    let fields: Vec<(&str, &str)> = fields
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect();
    let attachment = format!("proof of concept {marker}\n").repeat(20);
    let file_name = format!("{marker}.txt");
    let response = reporter
        .post_multipart(
            "/report",
            &fields,
            &[Upload {
                field: "attachments",
                file_name: &file_name,
                media_type: "text/plain",
                bytes: attachment.as_bytes(),
            }],
        )
        .await;
    response.expect(303, "POST /report");
    let form_follow_up = response.location().unwrap().to_owned();
    assert!(form_follow_up.starts_with("/r/"), "{form_follow_up}");
    follow_ups.push(form_follow_up.clone());

    // 2. The JSON API, every field set.
    let submission = json!({
        "title": format!("Prototype pollution {marker}"),
        "description": format!("merge() copies __proto__ {marker}"),
        "impact": format!("Denial of service {marker}"),
        "reproduction": format!("node poc.js {marker}"),
        "packages": [{"ecosystem": "npm", "name": format!("lib-{marker}"), "versions": "<1.2.3"}],
        "credit": {"type": "name", "value": format!("Ada {marker}")},
        "contact": contact,
    });
    let response = server
        .client()
        .post_json("/api/v1/reports", &submission)
        .await;
    response.expect(201, "POST /api/v1/reports");
    follow_ups.push(path_of(response.json()["follow_up_url"].as_str().unwrap()));

    // 3. OpenPGP-encrypted, through the API and through the form (when gpg is installed).
    let key = server.client().get("/.well-known/ward-intake.asc").await;
    key.expect(200, "the intake key");
    let encrypted_marker = scan::marker();
    if let Some(message) = gpg_encrypt(&key.text(), &submission_text(&encrypted_marker, &contact)) {
        let response = server
            .client()
            .send(
                axum::http::Method::POST,
                "/api/v1/reports/encrypted",
                Some("application/pgp-encrypted"),
                message.clone().into_bytes(),
            )
            .await;
        response.expect(201, "POST /api/v1/reports/encrypted");
        follow_ups.push(path_of(response.json()["follow_up_url"].as_str().unwrap()));

        let mut browser = server.client();
        let response = browser
            .submit("/", "/report/encrypted", &[("message", &message)])
            .await;
        response.expect(303, "POST /report/encrypted");
        follow_ups.push(response.location().unwrap().to_owned());
    }

    // 4. The reporter writes back on the follow-up page.
    let response = reporter
        .submit(
            &form_follow_up,
            &format!("{form_follow_up}/reply"),
            &[("body", &format!("More detail: {marker}"))],
        )
        .await;
    assert!(
        response.status.is_redirection() || response.status.is_success(),
        "the reporter's reply: {}",
        response.status
    );

    // 5. Rejected input carrying the marker is answered without echoing it.
    let mut stranger = server.client();
    let rejected = [
        stranger
            .send(
                axum::http::Method::POST,
                "/api/v1/reports",
                Some("application/json"),
                format!("{{\"title\": \"{marker}\", \"description\": ").into_bytes(),
            )
            .await,
        stranger
            .post_json(
                "/api/v1/reports",
                &json!({"title": marker.repeat(20), "description": marker}),
            )
            .await,
        stranger
            .post_json(
                "/api/v1/reports",
                &json!({"title": "t", "description": "d", marker.clone(): marker}),
            )
            .await,
        stranger
            .send(
                axum::http::Method::POST,
                "/api/v1/reports/encrypted",
                Some("application/pgp-encrypted"),
                format!("-----BEGIN PGP MESSAGE-----\n\n{marker}\n-----END PGP MESSAGE-----\n")
                    .into_bytes(),
            )
            .await,
    ];
    let mut echoed = Vec::new();
    for response in &rejected {
        assert!(
            response.status.is_client_error(),
            "bad input is a 4xx, got {}",
            response.status
        );
        echoed.extend(scan::find_in(
            &format!("a {} error response", response.status.as_u16()),
            &response.body,
            &scan::labelled("the report's content", &marker),
        ));
    }

    // 6. The desk: every case is read (content, attachment), noted, answered, acknowledged.
    let inbox = desk.get("/inbox").await;
    inbox.expect(200, "the inbox");
    let cases = html::inbox_cases(&inbox.text());
    assert_eq!(
        cases.len(),
        follow_ups.len(),
        "the inbox lists every accepted submission"
    );
    for case in &cases {
        let page = desk.get(&format!("/cases/{case}")).await;
        page.expect(200, "a case page");
        let text = page.text();
        assert!(
            text.contains(&marker) || text.contains(&encrypted_marker),
            "the case page shows the report's content"
        );
        for link in html::links(&text) {
            if link.contains("/attachments/") {
                let file = desk.get(&link).await;
                file.expect(200, "an attachment");
                assert_eq!(
                    file.body,
                    attachment.as_bytes(),
                    "the attachment round-trips"
                );
            }
        }
        let path = format!("/cases/{case}");
        for (action, body) in [("note", "Team only"), ("reply", "Thanks")] {
            let response = desk
                .submit(
                    &path,
                    &format!("{path}/{action}"),
                    &[("body", &format!("{body} {marker}"))],
                )
                .await;
            assert!(
                response.status.is_redirection() || response.status.is_success(),
                "{action}: {}",
                response.status
            );
        }
        let response = desk
            .submit(
                &path,
                &format!("{path}/transition"),
                &[("to", "acknowledged")],
            )
            .await;
        assert!(
            response.status.is_redirection(),
            "acknowledging: {}",
            response.status
        );
    }

    // The reporter sees the team's reply, not its note.
    let page = reporter.get(&form_follow_up).await;
    page.expect(200, "the follow-up page");
    let text = page.text();
    assert!(
        text.contains(&format!("Thanks {marker}")),
        "the team's reply"
    );
    assert!(
        !text.contains("Team only"),
        "a team note on the reporter's page"
    );

    // Mail (when an SMTP server is there) goes out before the shutdown.
    if server.smtp.is_some() {
        let sent = server
            .wait_for_mail(Duration::from_secs(60), |m| {
                m.rcpt_to.iter().any(|r| r == &contact)
            })
            .await;
        assert!(
            sent.is_some(),
            "the reporter was emailed about the acknowledgment"
        );
    }

    server.stop().await;

    // What must not be found: the content, the contact address, and the secrets that are
    // stored only hashed or sealed (follow-up tokens, the session token, the password, the
    // TOTP secret).
    let mut needles = scan::labelled("the report's content", &marker);
    needles.extend(scan::labelled("the reporter's contact", &contact_marker));
    needles.extend(scan::labelled(
        "the encrypted report's content",
        &encrypted_marker,
    ));
    for follow_up in &follow_ups {
        needles.extend(scan::labelled(
            "a follow-up token",
            follow_up.trim_start_matches("/r/"),
        ));
    }
    needles.extend(scan::labelled(
        "the session token",
        desk.cookie("ward_session").expect("the desk has a session"),
    ));
    needles.extend(scan::labelled("a password", &coordinator.password));
    needles.extend(scan::labelled(
        "a TOTP secret",
        coordinator
            .authenticator
            .as_ref()
            .expect("enrolled")
            .base32(),
    ));
    let mut hits = echoed;
    let files = scan::files_under(server.data_dir());
    assert!(
        files
            .iter()
            .any(|(p, _)| p.to_string_lossy().contains("keys")),
        "the data directory holds the keys: {:?}",
        files.iter().map(|(p, _)| p).collect::<Vec<_>>()
    );
    if postgres.is_none() {
        let names: Vec<String> = files
            .iter()
            .map(|(p, _)| p.file_name().unwrap().to_string_lossy().into_owned())
            .collect();
        assert!(
            names.iter().any(|n| n.ends_with("-wal"))
                || names
                    .iter()
                    .any(|n| n.ends_with(".db") || n.ends_with(".sqlite")),
            "a SQLite database is there to scan: {names:?}"
        );
    }
    for (path, bytes) in &files {
        hits.extend(scan::find_in(&path.display().to_string(), bytes, &needles));
    }

    // The logs.
    let logged = logs.bytes();
    assert!(!logged.is_empty(), "the capture captured the server's log");
    hits.extend(scan::find_in("the TRACE log", &logged, &needles));

    // The PostgreSQL database.
    if let Some(database) = postgres {
        hits.extend(scan::find_in("pg_dump", &database.dump(), &needles));
    }

    // The mail: never the content (the contact address is, necessarily, its recipient).
    if let Some(smtp) = &server.smtp {
        let mut content = scan::labelled("the report's content", &marker);
        content.extend(scan::labelled(
            "the encrypted report's content",
            &encrypted_marker,
        ));
        for mail in smtp.messages().unwrap() {
            hits.extend(scan::find_in("an email", mail.raw.as_bytes(), &content));
        }
    }

    report(&hits, &needles);
}

fn report(hits: &[Hit], needles: &[Needle]) {
    assert!(
        hits.is_empty(),
        "report content found in clear ({} needles searched):\n{}",
        needles.len(),
        hits.iter()
            .take(50)
            .map(|h| format!("  {h}"))
            .collect::<Vec<_>>()
            .join("\n")
    );
}

fn path_of(url: &str) -> String {
    match url.find("/r/") {
        Some(at) => url[at..].to_owned(),
        None => panic!("not a follow-up URL: {url}"),
    }
}

fn submission_text(marker: &str, contact: &str) -> String {
    json!({
        "title": format!("Encrypted {marker}"),
        "description": format!("Sent encrypted {marker}"),
        "contact": contact,
    })
    .to_string()
}
