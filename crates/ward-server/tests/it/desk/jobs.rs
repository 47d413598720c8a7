//! The background jobs, run one pass at a time at chosen times: escalation fires once per
//! milestone; retention purges attachments and the contact after the retention period.

use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use jiff::SignedDuration;
use tower::ServiceExt as _;
use ward_desk::access::Role;
use ward_desk::sla::Milestone;
use ward_server::jobs::{escalate_once, retention_once};
use ward_server::{Smtp, app};

use super::support::{Desk, attribute_after, walk};

/// Takes every notification due now out of the outbox; returns how many were emails.
fn drain_emails(desk: &Desk) -> usize {
    let store = desk.state.store();
    let claimed = store
        .claim_notifications(desk.now(), SignedDuration::from_secs(1), 1000)
        .unwrap();
    for n in &claimed {
        store.notification_sent(n.id).unwrap();
    }
    claimed
        .iter()
        .filter(|n| n.notification.channel == "email")
        .count()
}

#[tokio::test]
async fn escalation_fires_once_per_overdue_milestone() {
    let desk = Desk::with(|config| {
        // Configured, never reached: the test counts what is queued, nothing is sent.
        config.smtp = Some(Smtp {
            host: "127.0.0.1".to_owned(),
            port: 9,
            from: "ward@ward.test".to_owned(),
            starttls: false,
        });
    });
    let coordinator = desk.user(Role::Coordinator, "coord").await;
    let _admin = desk.user(Role::Admin, "admin").await;
    let _maintainer = desk.user(Role::Maintainer, "maint").await;
    let case = desk
        .submit(serde_json::json!({"title": "Slow", "description": "nobody answers"}))
        .await;
    let on_time = desk
        .submit(serde_json::json!({"title": "Fine", "description": "answered"}))
        .await;
    walk(&desk, &coordinator, on_time.id, &["acknowledged"]).await;
    // What submitting queued (the new-report notice) is cleared first.
    let _ = drain_emails(&desk);

    assert_eq!(
        escalate_once(&desk.state, desk.now()).await.unwrap(),
        0,
        "nothing due yet"
    );
    desk.advance(SignedDuration::from_hours(49));
    let now = desk.now();
    assert_eq!(escalate_once(&desk.state, now).await.unwrap(), 1);
    assert_eq!(
        escalate_once(&desk.state, now).await.unwrap(),
        0,
        "only once"
    );
    desk.advance(SignedDuration::from_mins(5));
    assert_eq!(
        escalate_once(&desk.state, desk.now()).await.unwrap(),
        0,
        "still once"
    );
    let stored = desk.report(case.id);
    assert_eq!(stored.escalated, vec![Milestone::Acknowledge]);
    let events = desk.events("report.escalate");
    assert_eq!(events.len(), 1);
    assert_eq!(events[0].actor, "system");
    assert_eq!(events[0].report, Some(case.id));
    assert!(events[0].detail.contains("acknowledge"));
    // The escalation went to the coordinator and the admin, not the maintainer.
    assert_eq!(drain_emails(&desk), 2);

    // Acknowledged late, the case still owes its triage by day 7: escalated once more.
    walk(&desk, &coordinator, case.id, &["acknowledged"]).await;
    let _ = drain_emails(&desk);
    assert_eq!(escalate_once(&desk.state, desk.now()).await.unwrap(), 0);
    desk.advance(SignedDuration::from_hours(6 * 24));
    // Both cases are now overdue on triage.
    assert_eq!(escalate_once(&desk.state, desk.now()).await.unwrap(), 2);
    assert_eq!(escalate_once(&desk.state, desk.now()).await.unwrap(), 0);
    assert_eq!(
        desk.report(case.id).escalated,
        vec![Milestone::Acknowledge, Milestone::Triage]
    );
    assert_eq!(desk.events("report.escalate").len(), 3);
    assert_eq!(
        drain_emails(&desk),
        4,
        "two escalations, two recipients each"
    );
}

#[tokio::test]
async fn a_held_case_is_not_escalated() {
    let desk = Desk::new();
    let coordinator = desk.user(Role::Coordinator, "coord").await;
    let case = desk
        .submit(serde_json::json!({"title": "Waiting", "description": "on the reporter"}))
        .await;
    let answer = desk
        .post(
            &coordinator,
            &format!("/cases/{}/hold", case.id),
            &[("hold", "on")],
        )
        .await;
    assert_eq!(answer.status, StatusCode::SEE_OTHER);
    desk.advance(SignedDuration::from_hours(24 * 30));
    assert_eq!(escalate_once(&desk.state, desk.now()).await.unwrap(), 0);
    assert!(desk.events("report.escalate").is_empty());
}

/// Submits a report with an attachment and a contact through the multipart form.
async fn submit_with_attachment(desk: &Desk, title: &str) -> ward_desk::ReportId {
    let app = app(desk.state.clone());
    let form = app
        .clone()
        .oneshot(Request::get("/").body(Body::empty()).unwrap())
        .await
        .unwrap();
    let cookie = form
        .headers()
        .get_all(header::SET_COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find(|v| v.starts_with("ward_csrf="))
        .map(|v| v.split(';').next().unwrap().to_owned())
        .expect("the policy page sets the CSRF cookie");
    let body = http_body_util::BodyExt::collect(form.into_body())
        .await
        .unwrap()
        .to_bytes();
    let page = String::from_utf8_lossy(&body);
    let csrf = attribute_after(&page, "name=\"csrf\"", "value").unwrap();
    let boundary = "ward-test-boundary";
    let mut multipart = String::new();
    for (name, value) in [
        ("csrf", csrf.as_str()),
        ("title", title),
        ("description", "Attached is a proof of concept."),
        ("credit_type", "handle"),
        ("credit_value", "@finder"),
        ("contact", "finder@example.net"),
    ] {
        multipart.push_str(&format!(
            "--{boundary}\r\nContent-Disposition: form-data; name=\"{name}\"\r\n\r\n{value}\r\n"
        ));
    }
    multipart.push_str(&format!(
        "--{boundary}\r\nContent-Disposition: form-data; name=\"attachments\"; filename=\"poc.py\"\r\nContent-Type: text/x-python\r\n\r\nprint('poc')\r\n--{boundary}--\r\n"
    ));
    let answer = app
        .oneshot(
            Request::post("/report")
                .header(header::COOKIE, cookie)
                .header(
                    header::CONTENT_TYPE,
                    format!("multipart/form-data; boundary={boundary}"),
                )
                .body(Body::from(multipart))
                .unwrap(),
        )
        .await
        .unwrap();
    assert_eq!(answer.status(), StatusCode::SEE_OTHER);
    let location = answer.headers()[header::LOCATION].to_str().unwrap();
    let token = location.rsplit('/').next().unwrap();
    desk.state
        .store()
        .report_by_followup(&super::support::sha256(token))
        .unwrap()
        .unwrap()
        .id
}

#[tokio::test]
async fn retention_purges_attachments_and_contact_after_the_period() {
    let desk = Desk::with(|config| config.retention_days = Some(30));
    let coordinator = desk.user(Role::Coordinator, "coord").await;
    let old = submit_with_attachment(&desk, "Disclosed long ago").await;
    let recent = submit_with_attachment(&desk, "Disclosed recently").await;
    let open = submit_with_attachment(&desk, "Still open").await;
    let path = format!("/cases/{old}");
    let page = desk.get(&coordinator, &path).await.body;
    assert!(
        page.contains("finder@example.net") && page.contains("poc.py"),
        "{page}"
    );
    let attachment = format!("/cases/{old}/attachments/");
    let at = page.find(&attachment).unwrap() + attachment.len();
    let aid: String = page[at..]
        .chars()
        .take_while(char::is_ascii_digit)
        .collect();
    let download = desk.get(&coordinator, &format!("{attachment}{aid}")).await;
    assert_eq!(download.status, StatusCode::OK);
    assert_eq!(download.body, "print('poc')");
    assert_eq!(
        download.headers[header::CONTENT_TYPE],
        "application/octet-stream"
    );
    assert!(
        download.headers[header::CONTENT_DISPOSITION]
            .to_str()
            .unwrap()
            .starts_with("attachment;")
    );

    let to_disclosed = [
        "acknowledged",
        "triaged",
        "fixing",
        "fix_ready",
        "disclosure_scheduled",
        "disclosed",
    ];
    walk(&desk, &coordinator, old, &to_disclosed).await;
    desk.advance(SignedDuration::from_hours(24 * 20));
    walk(&desk, &coordinator, recent, &to_disclosed).await;
    desk.advance(SignedDuration::from_hours(24 * 11)); // 31 days after the first disclosure

    assert_eq!(retention_once(&desk.state, desk.now()).await.unwrap(), 1);
    assert_eq!(
        retention_once(&desk.state, desk.now()).await.unwrap(),
        0,
        "purged once"
    );
    let store = desk.state.store();
    assert!(store.attachments(old).unwrap().is_empty());
    assert_eq!(store.attachments(recent).unwrap().len(), 1);
    assert_eq!(store.attachments(open).unwrap().len(), 1);
    assert!(desk.report(old).purged_at.is_some());
    let page = desk.get(&coordinator, &path).await.body;
    assert!(!page.contains("finder@example.net"), "the contact is gone");
    assert!(page.contains("Disclosed long ago"), "the rest stays");
    assert!(
        page.contains("@finder"),
        "the credit stays, for the advisory"
    );
    let download = desk.get(&coordinator, &format!("{attachment}{aid}")).await;
    assert_eq!(download.status, StatusCode::NOT_FOUND);
    let events = desk.events("report.purge");
    assert_eq!(events.len(), 1);
    assert_eq!(events[0].report, Some(old));

    // Without a retention period, nothing is purged.
    let keep = Desk::new();
    assert_eq!(retention_once(&keep.state, keep.now()).await.unwrap(), 0);
}
