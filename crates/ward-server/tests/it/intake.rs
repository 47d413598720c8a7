//! Submissions through the API and the form, the follow-up page, the well-known files.

use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use ward_desk::access::Role;

use crate::support::{Browser, Harness, csrf_of, multipart};

/// Submits through the API; returns the follow-up path.
pub(crate) async fn submit_api(h: &Harness, json: &str) -> String {
    let reply = h.post_json("/api/v1/reports", json).await;
    assert_eq!(reply.status, StatusCode::CREATED, "{}", reply.body);
    let url = reply.json()["follow_up_url"].as_str().unwrap().to_owned();
    assert_eq!(reply.json()["state"], "received");
    assert_eq!(reply.header("location"), Some(url.as_str()));
    url.strip_prefix("http://ward.test").unwrap().to_owned()
}

#[tokio::test]
async fn an_api_submission_answers_201_and_its_follow_up_link_works() {
    let h = Harness::new();
    let marker = "MARKER-5a1b2c-api";
    let before = h.counts();
    let path = submit_api(
        &h,
        &format!(r#"{{"title": "Prototype pollution {marker}", "description": "In merge()."}}"#),
    )
    .await;
    assert!(path.starts_with("/r/") && path.len() > 40, "{path}");
    assert_eq!(h.counts().0, before.0 + 1);

    let mut reporter = Browser::new();
    let page = reporter.get(&h, &path).await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    assert!(
        page.body
            .contains(r#"<span id="state" data-state="received">"#),
        "{}",
        page.body
    );
    assert!(page.body.contains(marker));
    assert!(page.body.contains("Keep this link"));
    assert!(
        page.body.contains("We acknowledge your report"),
        "what happens next and by when"
    );

    // The reporter writes in the thread.
    let csrf = csrf_of(&page.body);
    let reply = reporter
        .post_form(
            &h,
            &format!("{path}/reply"),
            &[("body", "More details: MARKER-reply-77"), ("csrf", &csrf)],
        )
        .await;
    assert_eq!(reply.status, StatusCode::SEE_OTHER, "{}", reply.body);
    let page = reporter.get(&h, &path).await;
    assert!(page.body.contains("MARKER-reply-77"));

    // Audit: the submission, the reads and the reply, none with content.
    let events = h.state.store().events(0, 1000).unwrap();
    let actions: Vec<&str> = events.iter().map(|e| e.action.as_str()).collect();
    assert!(actions.contains(&"report.submit"), "{actions:?}");
    assert_eq!(
        actions.iter().filter(|a| **a == "report.read").count(),
        2,
        "{actions:?}"
    );
    assert!(actions.contains(&"report.reply"));
    let submit = events.iter().find(|e| e.action == "report.submit").unwrap();
    assert_eq!(submit.actor, "anonymous");
    for event in &events {
        assert!(!format!("{event:?}").contains("MARKER"), "{event:?}");
    }
}

#[tokio::test]
async fn the_team_is_notified_of_a_new_report() {
    let h = Harness::new();
    h.user("coord@example.org", Role::Coordinator);
    h.user("reporter@example.org", Role::Reporter);
    submit_api(&h, r#"{"title": "t", "description": "d"}"#).await;
    let queued = h
        .state
        .store()
        .claim_notifications(
            jiff::Timestamp::now()
                .checked_add(jiff::SignedDuration::from_secs(5))
                .unwrap(),
            jiff::SignedDuration::from_secs(60),
            100,
        )
        .unwrap();
    assert_eq!(queued.len(), 1, "one email, to the coordinator");
    assert_eq!(queued[0].notification.channel, "email");
    let payload = &queued[0].notification.payload;
    assert!(
        !payload.windows(5).any(|w| w == b"coord"),
        "the payload is sealed"
    );
}

#[tokio::test]
async fn an_unknown_follow_up_token_is_a_plain_404() {
    let h = Harness::new();
    let reply = h
        .get("/r/AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")
        .await;
    assert_eq!(reply.status, StatusCode::NOT_FOUND);
    assert!(!reply.unrouted);
    let missing = h.get("/r/x").await;
    assert_eq!(
        missing.body, reply.body,
        "every unknown token answers the same"
    );
}

#[tokio::test]
async fn the_form_submits_with_attachments_and_lists_every_invalid_field() {
    let h = Harness::new();
    let mut browser = Browser::new();
    let page = browser.get(&h, "/").await;
    assert!(page.body.contains(
        r#"<form id="report" method="post" action="/report" enctype="multipart/form-data">"#
    ));
    let csrf = csrf_of(&page.body);
    let before = h.counts();
    let (content_type, body) = multipart(
        &[
            ("title", ""),
            ("description", ""),
            ("credit_type", "name"),
            ("credit_value", ""),
            ("csrf", &csrf),
        ],
        &[],
    );
    let reply = browser
        .send(
            &h,
            Request::post("/report").header(header::CONTENT_TYPE, content_type),
            Body::from(body),
        )
        .await;
    assert_eq!(
        reply.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        reply.body
    );
    for field in ["title", "description"] {
        assert!(
            reply.body.contains(&format!(r#"data-field="{field}""#)),
            "{field}: {}",
            reply.body
        );
    }
    assert_eq!(h.counts(), before);

    let (content_type, body) = multipart(
        &[
            ("title", "Path traversal in static()"),
            ("description", "GET /..%2f..%2fetc/passwd"),
            ("packages", "npm express <4.19.2"),
            ("credit_type", "handle"),
            ("credit_value", "@finder"),
            ("contact", "finder@example.org"),
            ("csrf", &csrf),
        ],
        &[
            ("attachments", "poc.txt", b"proof of concept"),
            ("attachments", "", b""),
        ],
    );
    let reply = browser
        .send(
            &h,
            Request::post("/report").header(header::CONTENT_TYPE, content_type),
            Body::from(body),
        )
        .await;
    assert_eq!(reply.status, StatusCode::SEE_OTHER, "{}", reply.body);
    assert!(reply.location().starts_with("/r/"));
    let follow = browser.get(&h, reply.location()).await;
    assert!(follow.body.contains("Path traversal in static()"));
    let report = h
        .state
        .store()
        .report_by_followup(&sha256(&reply.location()[3..]))
        .unwrap()
        .unwrap();
    let attachments = h.state.store().attachments(report.id).unwrap();
    assert_eq!(
        attachments.len(),
        1,
        "the empty file input is not an attachment"
    );
    assert_eq!(attachments[0].size, 16);
}

fn sha256(text: &str) -> [u8; 32] {
    use sha2::Digest as _;
    sha2::Sha256::digest(text.as_bytes()).into()
}

#[tokio::test]
async fn packages_in_scope_show_the_case_to_their_maintainer() {
    let h = Harness::new();
    let maintainer = h.user("maint@example.org", Role::Maintainer);
    let audit = ward_desk::audit::NewEvent {
        actor: "system".into(),
        action: "scope.add".into(),
        report: None,
        detail: "{}".into(),
    };
    h.state
        .store()
        .add_scope("npm", "Express", maintainer, &audit)
        .unwrap();
    let path = submit_api(
        &h,
        r#"{"title": "t", "description": "d", "packages": [{"ecosystem": "NPM", "name": "express"}]}"#,
    )
    .await;
    let report = h
        .state
        .store()
        .report_by_followup(&sha256(&path[3..]))
        .unwrap()
        .unwrap();
    let (maintainers, _) = h.state.store().case_members(report.id).unwrap();
    assert_eq!(maintainers, vec![maintainer]);
    assert!(
        report.next_due_at.is_some(),
        "the acknowledgment clock runs"
    );
}

#[tokio::test]
async fn the_intake_key_and_security_txt_are_published() {
    let h = Harness::new();
    let key = h.get("/.well-known/ward-intake.asc").await;
    assert_eq!(key.status, StatusCode::OK);
    assert!(
        key.body.starts_with("-----BEGIN PGP PUBLIC KEY BLOCK-----"),
        "{}",
        key.body
    );
    assert_eq!(key.header("content-type"), Some("application/pgp-keys"));

    let txt = h.get("/.well-known/security.txt").await;
    assert_eq!(txt.status, StatusCode::OK);
    let lines: Vec<&str> = txt.body.lines().collect();
    assert!(
        lines.contains(&"Contact: http://ward.test/"),
        "{}",
        txt.body
    );
    assert!(lines.contains(&"Encryption: http://ward.test/.well-known/ward-intake.asc"));
    assert!(lines.contains(&"Policy: http://ward.test/"));
    assert!(lines.contains(&"Canonical: http://ward.test/.well-known/security.txt"));
    let expires = lines
        .iter()
        .find_map(|l| l.strip_prefix("Expires: "))
        .unwrap();
    let expires: jiff::Timestamp = expires.parse().unwrap();
    let in_a_year = jiff::Timestamp::now()
        .checked_add(jiff::SignedDuration::from_hours(24 * 365))
        .unwrap();
    assert!(
        expires > jiff::Timestamp::now() && expires <= in_a_year,
        "RFC 9116: less than a year"
    );

    let policy = h.get("/").await;
    let fingerprint = crate::support::attribute_after(&policy.body, r#"<code id="fingerprint">"#)
        .map(|t| t.split('<').next().unwrap().to_owned())
        .unwrap();
    assert!(
        fingerprint.len() >= 40 && fingerprint.chars().all(|c| c.is_ascii_hexdigit()),
        "{fingerprint}"
    );
    assert!(
        policy.body.contains("48 hours")
            && policy.body.contains("7 days")
            && policy.body.contains("90 days")
    );
}

#[tokio::test]
async fn a_registered_reporter_submits_with_a_token_and_owns_the_report() {
    let h = Harness::new();
    let id = h.user("reporter@example.org", Role::Reporter);
    let mut browser = Browser::new();
    browser.login(&h, "reporter@example.org", None).await;
    let page = browser
        .submit(
            &h,
            "/account",
            "/account/tokens",
            &[("name", "cli"), ("scope_submit", "on")],
        )
        .await;
    assert_eq!(page.status, StatusCode::OK);
    let token = crate::support::attribute_after(&page.body, r#"<code class="secret">"#)
        .map(|t| t.split('<').next().unwrap().to_owned())
        .unwrap_or_default();
    assert!(token.starts_with("ward_"), "{token}");

    let request = |token: &str| {
        Request::post("/api/v1/reports")
            .header(header::CONTENT_TYPE, "application/json")
            .header(header::AUTHORIZATION, format!("Bearer {token}"))
            .body(Body::from(r#"{"title": "t", "description": "d"}"#))
            .unwrap()
    };
    let reply = h.send(request(&token)).await;
    assert_eq!(reply.status, StatusCode::CREATED, "{}", reply.body);
    assert_eq!(h.state.store().reports_of(id).unwrap().len(), 1);

    let wrong = h.send(request("ward_not-a-token")).await;
    assert_eq!(wrong.status, StatusCode::UNAUTHORIZED);
    assert_eq!(wrong.json()["error"], "Log in first.");
    assert!(wrong.header("www-authenticate").is_some());
}
