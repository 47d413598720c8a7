//! A registered reporter's data on request: the admin's export (decrypted JSON of their
//! reports) and erase (contents, contact and attachments gone, audited); nobody else may.

use axum::http::{Method, StatusCode, header};
use ward_desk::access::Role;

use super::support::Desk;

const MARKER: &str = "MARKER-data-request-4d2e";

#[tokio::test]
async fn an_admin_exports_and_erases_a_reporters_data() {
    let desk = Desk::new();
    let admin = desk.user(Role::Admin, "admin").await;
    let coordinator = desk.user(Role::Coordinator, "coord").await;
    let reporter = desk.user(Role::Reporter, "finder").await;
    let other = desk.user(Role::Reporter, "other").await;
    let theirs = desk
        .submit_as(
            &reporter,
            serde_json::json!({
                "title": format!("{MARKER} title"),
                "description": format!("{MARKER} description"),
                "credit": {"type": "name", "value": "Fin Der"},
                "packages": [{"ecosystem": "npm", "name": "left-pad"}],
            }),
        )
        .await;
    let not_theirs = desk
        .submit_as(
            &other,
            serde_json::json!({"title": "Other's", "description": "kept"}),
        )
        .await;
    assert_eq!(desk.report(theirs.id).reporter, Some(reporter.id));
    let answer = desk
        .api(
            &coordinator,
            Method::POST,
            &format!("/api/v1/cases/{}/reply", theirs.id),
            Some(serde_json::json!({"body": "Could you share a proof of concept?"})),
        )
        .await;
    assert_eq!(answer.status, StatusCode::OK, "{}", answer.body);
    let answer = desk
        .api(
            &coordinator,
            Method::POST,
            &format!("/api/v1/cases/{}/note", theirs.id),
            Some(serde_json::json!({"body": "team only"})),
        )
        .await;
    assert_eq!(answer.status, StatusCode::OK);

    let export = format!("/admin/reporters/{}/export", reporter.id);
    let answer = desk.get(&admin, &export).await;
    assert_eq!(answer.status, StatusCode::OK, "{}", answer.body);
    assert!(
        answer.headers[header::CONTENT_DISPOSITION]
            .to_str()
            .unwrap()
            .contains(&format!("reporter-{}.json", reporter.id))
    );
    let json = answer.json();
    assert_eq!(json["reporter"]["email"], reporter.email);
    let reports = json["reports"].as_array().unwrap();
    assert_eq!(reports.len(), 1, "only their reports");
    assert_eq!(reports[0]["id"], theirs.id.0);
    assert_eq!(reports[0]["submission"]["title"], format!("{MARKER} title"));
    assert_eq!(reports[0]["submission"]["credit"]["value"], "Fin Der");
    let thread = reports[0]["thread"].as_array().unwrap();
    assert_eq!(
        thread.len(),
        1,
        "their side of the thread, not the team's notes"
    );
    assert_eq!(thread[0]["body"], "Could you share a proof of concept?");
    assert_eq!(desk.events("reporter.export").len(), 1);

    // Nobody but an admin: coordinators are forbidden, reporters too (even themselves).
    for who in [&coordinator, &reporter] {
        assert_eq!(desk.get(who, &export).await.status, StatusCode::FORBIDDEN);
        let erase = desk
            .post(who, &format!("/admin/reporters/{}/erase", reporter.id), &[])
            .await;
        assert_eq!(erase.status, StatusCode::FORBIDDEN);
    }
    assert_eq!(
        desk.get(&admin, "/admin/reporters/999999/export")
            .await
            .status,
        StatusCode::NOT_FOUND
    );

    let answer = desk
        .post(
            &admin,
            &format!("/admin/reporters/{}/erase", reporter.id),
            &[],
        )
        .await;
    assert_eq!(answer.status, StatusCode::OK, "{}", answer.body);
    let page = desk
        .get(&coordinator, &format!("/cases/{}", theirs.id))
        .await
        .body;
    assert!(!page.contains(MARKER), "the content is gone");
    assert!(!page.contains("Fin Der"), "the credit is gone");
    assert!(page.contains("erased at the reporter"), "{page}");
    assert!(page.contains("left-pad"), "the affected packages stay");
    assert!(desk.report(theirs.id).purged_at.is_some());
    assert!(desk.report(not_theirs.id).purged_at.is_none());
    let page = desk
        .get(&coordinator, &format!("/cases/{}", not_theirs.id))
        .await
        .body;
    assert!(page.contains("<h1>Case 2: Other"), "{page}");
    assert_eq!(desk.events("report.erase").len(), 1);
    assert_eq!(desk.events("reporter.erase").len(), 1);
    let exported = desk.get(&admin, &export).await.json();
    assert!(!exported.to_string().contains(MARKER));
}
