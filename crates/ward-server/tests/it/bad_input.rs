//! Bad input: each a clear 4xx, nothing stored (reports and audit events counted before and
//! after), nothing of it echoed, and the server keeps serving.

use axum::body::Body;
use axum::http::{Request, StatusCode, header};

use crate::intake::submit_api;
use crate::support::{Browser, Harness, Reply, csrf_of, multipart};

const MARKER: &str = "MARKER-bad-input-9f8e7d";

fn json_request(path: &str, content_type: &str, body: impl Into<Body>) -> Request<Body> {
    Request::post(path)
        .header(header::CONTENT_TYPE, content_type)
        .body(body.into())
        .unwrap()
}

/// Sends, checks the status, that nothing was stored, that the answer does not echo the
/// marker, and that the server still accepts a valid submission afterwards.
async fn refused(h: &Harness, request: Request<Body>, status: StatusCode) -> Reply {
    let before = h.counts();
    let reply = h.send(request).await;
    assert_eq!(reply.status, status, "{}", reply.body);
    assert_eq!(h.counts(), before, "nothing stored");
    assert!(
        !reply.body.contains(MARKER),
        "the answer echoes the input: {}",
        reply.body
    );
    reply
}

#[tokio::test]
async fn oversized_bodies_are_413() {
    let h = Harness::unlimited();
    let big = format!(
        r#"{{"title": "{MARKER}", "description": "{}"}}"#,
        "A".repeat(2 << 20)
    );
    let reply = refused(
        &h,
        json_request("/api/v1/reports", "application/json", big.clone()),
        StatusCode::PAYLOAD_TOO_LARGE,
    )
    .await;
    assert_eq!(reply.header("content-type"), Some("application/json"));
    assert!(reply.json()["error"].as_str().unwrap().contains("larger"));
    // Announced up front: refused before the body is read.
    let announced = Request::post("/api/v1/reports")
        .header(header::CONTENT_TYPE, "application/json")
        .header(header::CONTENT_LENGTH, big.len())
        .body(Body::from(big))
        .unwrap();
    refused(&h, announced, StatusCode::PAYLOAD_TOO_LARGE).await;
    let armored = format!("-----BEGIN PGP MESSAGE-----\n{}\n", "A".repeat(4 << 20));
    refused(
        &h,
        json_request("/api/v1/reports/encrypted", "text/plain", armored),
        StatusCode::PAYLOAD_TOO_LARGE,
    )
    .await;

    // The form: more than every attachment at its limit.
    let mut browser = Browser::new();
    let csrf = csrf_of(&browser.get(&h, "/").await.body);
    let file = vec![b'x'; 11 << 20];
    let (content_type, body) = multipart(
        &[("title", MARKER), ("description", "d"), ("csrf", &csrf)],
        &[("attachments", "big.bin", &file)],
    );
    let before = h.counts();
    let reply = browser
        .send(
            &h,
            Request::post("/report").header(header::CONTENT_TYPE, content_type),
            Body::from(body),
        )
        .await;
    assert_eq!(reply.status, StatusCode::PAYLOAD_TOO_LARGE);
    assert!(
        reply
            .header("content-type")
            .unwrap()
            .starts_with("text/html")
    );
    assert_eq!(h.counts(), before);
    submit_api(&h, r#"{"title": "still serving", "description": "d"}"#).await;
}

#[tokio::test]
async fn an_attachment_over_its_limit_is_422_naming_it() {
    let h = Harness::unlimited();
    let mut browser = Browser::new();
    let csrf = csrf_of(&browser.get(&h, "/").await.body);
    let file = vec![b'x'; (5 << 20) + 1];
    let (content_type, body) = multipart(
        &[("title", MARKER), ("description", "d"), ("csrf", &csrf)],
        &[("attachments", "big.bin", &file)],
    );
    let before = h.counts();
    let reply = browser
        .send(
            &h,
            Request::post("/report").header(header::CONTENT_TYPE, content_type),
            Body::from(body),
        )
        .await;
    assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        reply.body.contains("data-field=\"attachments[0]"),
        "{}",
        reply.body
    );
    assert_eq!(h.counts(), before);
}

#[tokio::test]
async fn malformed_json_is_400_saying_what_was_expected() {
    let h = Harness::unlimited();
    let reply = refused(
        &h,
        json_request(
            "/api/v1/reports",
            "application/json",
            format!(r#"{{"title": "{MARKER}", "description": "#),
        ),
        StatusCode::BAD_REQUEST,
    )
    .await;
    let error = reply.json()["error"].as_str().unwrap().to_owned();
    assert!(
        error.contains("not valid JSON") && error.contains("expected an object"),
        "{error}"
    );
    assert!(error.contains("line 1"), "{error}");

    let reply = refused(
        &h,
        json_request("/api/v1/reports", "application/json", "[]"),
        StatusCode::UNPROCESSABLE_ENTITY,
    )
    .await;
    assert!(reply.body.contains("JSON object"), "{}", reply.body);

    let wrong_type = format!(r#"{{"title": "t", "description": "d", "packages": "{MARKER}"}}"#);
    let reply = refused(
        &h,
        json_request("/api/v1/reports", "application/json", wrong_type),
        StatusCode::UNPROCESSABLE_ENTITY,
    )
    .await;
    assert!(
        reply.json()["fields"][0]["message"]
            .as_str()
            .unwrap()
            .starts_with("expected"),
        "{}",
        reply.body
    );

    let unknown = r#"{"title": "t", "description": "d", "severity": "high"}"#;
    let reply = refused(
        &h,
        json_request("/api/v1/reports", "application/json", unknown),
        StatusCode::UNPROCESSABLE_ENTITY,
    )
    .await;
    // What was expected is said; the sender's own key is not echoed back.
    assert_eq!(
        reply.json()["fields"][0]["field"],
        "(body)",
        "{}",
        reply.body
    );
    assert!(
        reply.json()["fields"][0]["message"]
            .as_str()
            .unwrap()
            .contains("expected only title, description"),
        "{}",
        reply.body
    );
    assert!(!reply.body.contains("severity"), "{}", reply.body);
    submit_api(&h, r#"{"title": "still serving", "description": "d"}"#).await;
}

#[tokio::test]
async fn a_wrong_content_type_is_415() {
    let h = Harness::unlimited();
    let body = format!(r#"{{"title": "{MARKER}", "description": "d"}}"#);
    let reply = refused(
        &h,
        json_request("/api/v1/reports", "text/plain", body.clone()),
        StatusCode::UNSUPPORTED_MEDIA_TYPE,
    )
    .await;
    assert!(
        reply.json()["error"]
            .as_str()
            .unwrap()
            .contains("application/json")
    );
    let no_type = Request::post("/api/v1/reports")
        .body(Body::from(body.clone()))
        .unwrap();
    refused(&h, no_type, StatusCode::UNSUPPORTED_MEDIA_TYPE).await;
    refused(
        &h,
        json_request(
            "/api/v1/reports/encrypted",
            "application/json",
            body.clone(),
        ),
        StatusCode::UNSUPPORTED_MEDIA_TYPE,
    )
    .await;

    let mut browser = Browser::new();
    let csrf = csrf_of(&browser.get(&h, "/").await.body);
    let before = h.counts();
    let reply = browser
        .post_form(
            &h,
            "/report",
            &[("title", MARKER), ("description", "d"), ("csrf", &csrf)],
        )
        .await;
    assert_eq!(
        reply.status,
        StatusCode::UNSUPPORTED_MEDIA_TYPE,
        "{}",
        reply.body
    );
    assert_eq!(h.counts(), before);
    submit_api(&h, r#"{"title": "still serving", "description": "d"}"#).await;
}

#[tokio::test]
async fn garbage_openpgp_is_422() {
    let h = Harness::unlimited();
    for garbage in [
        format!("-----BEGIN PGP MESSAGE-----\n\n{MARKER}\n-----END PGP MESSAGE-----\n"),
        MARKER.to_owned(),
        "\u{0}\u{1}\u{2}garbage".to_owned(),
    ] {
        let reply = refused(
            &h,
            json_request(
                "/api/v1/reports/encrypted",
                "application/pgp-encrypted",
                garbage.clone(),
            ),
            StatusCode::UNPROCESSABLE_ENTITY,
        )
        .await;
        assert_eq!(
            reply.json()["fields"][0]["field"],
            "message",
            "{}",
            reply.body
        );
    }
    refused(
        &h,
        json_request("/api/v1/reports/encrypted", "text/plain", ""),
        StatusCode::UNPROCESSABLE_ENTITY,
    )
    .await;

    let mut browser = Browser::new();
    let csrf = csrf_of(&browser.get(&h, "/").await.body);
    let before = h.counts();
    let reply = browser
        .post_form(
            &h,
            "/report/encrypted",
            &[("message", MARKER), ("csrf", &csrf)],
        )
        .await;
    assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(reply.body.contains("OpenPGP"), "{}", reply.body);
    assert_eq!(h.counts(), before);
    submit_api(&h, r#"{"title": "still serving", "description": "d"}"#).await;
}

#[tokio::test]
async fn invalid_fields_are_422_listing_every_field() {
    let h = Harness::unlimited();
    let body = format!(
        r#"{{"title": "{}", "description": "  ", "contact": "not an address {MARKER}",
            "credit": {{"type": "name", "value": ""}}, "packages": [{{"name": ""}}]}}"#,
        "T".repeat(300)
    );
    let reply = refused(
        &h,
        json_request("/api/v1/reports", "application/json", body),
        StatusCode::UNPROCESSABLE_ENTITY,
    )
    .await;
    let json = reply.json();
    let fields: Vec<&str> = json["fields"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["field"].as_str().unwrap())
        .collect();
    for expected in [
        "title",
        "description",
        "contact",
        "credit_value",
        "packages[0].name",
    ] {
        assert!(
            fields.contains(&expected),
            "{expected} missing from {fields:?}"
        );
    }
    for field in json["fields"].as_array().unwrap() {
        assert!(!field["message"].as_str().unwrap().is_empty());
    }
    submit_api(&h, r#"{"title": "still serving", "description": "d"}"#).await;
}

#[tokio::test]
async fn submissions_are_rate_limited_per_address() {
    let h = Harness::with(|config| {
        config.limits.submissions_per_minute = 1;
        config.limits.submissions_burst = 2;
    });
    submit_api(&h, r#"{"title": "one", "description": "d"}"#).await;
    submit_api(&h, r#"{"title": "two", "description": "d"}"#).await;
    let request = json_request(
        "/api/v1/reports",
        "application/json",
        r#"{"title": "three", "description": "d"}"#,
    );
    let reply = refused(&h, request, StatusCode::TOO_MANY_REQUESTS).await;
    assert!(reply.header("retry-after").unwrap().parse::<u64>().unwrap() >= 1);
    assert!(reply.json()["error"].as_str().unwrap().contains("Too many"));
    // Another address is not limited; pages are not limited by the submission quota.
    let other = json_request(
        "/api/v1/reports",
        "application/json",
        r#"{"title": "four", "description": "d"}"#,
    );
    assert_eq!(
        h.send_from(other, "10.1.2.3:1000").await.status,
        StatusCode::CREATED
    );
    assert_eq!(h.get("/").await.status, StatusCode::OK);
}
