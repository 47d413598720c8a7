//! A case's whole life through HTTP, with the wrong roles refused at each step; triage as a
//! duplicate; assignment and invitation; replies and notes; the JSON API.

use axum::http::{Method, StatusCode};
use ward_desk::access::Role;
use ward_desk::state::State;

use super::support::{Desk, inbox_order, inbox_row, shown_state, walk};

fn report(title: &str) -> serde_json::Value {
    serde_json::json!({
        "title": title,
        "description": "The parser follows symlinks out of the upload directory.",
        "contact": "finder@example.net",
        "packages": [{"ecosystem": "npm", "name": "left-pad", "versions": "<1.3.0"}],
    })
}

#[tokio::test]
async fn a_case_goes_from_received_to_closed_and_the_wrong_roles_are_refused() {
    let desk = Desk::new();
    let coordinator = desk.user(Role::Coordinator, "coord").await;
    let maintainer = desk.user(Role::Maintainer, "maint").await;
    let outsider = desk.user(Role::Maintainer, "outsider").await;
    let party = desk.user(Role::Party, "vendor").await;
    let reporter = desk.user(Role::Reporter, "someone").await;
    let case = desk.submit(report("Path traversal in upload")).await;
    let path = format!("/cases/{}", case.id);

    // The coordinator sees it in the inbox and on its page, in state received.
    let inbox = desk.get(&coordinator, "/inbox").await;
    assert!(inbox_row(&inbox.body, case.id).is_some(), "{}", inbox.body);
    assert!(inbox.body.contains("Path traversal in upload"));
    let page = desk.get(&coordinator, &path).await;
    assert_eq!(page.status, StatusCode::OK);
    assert_eq!(shown_state(&page.body).as_deref(), Some("received"));
    assert!(
        page.body.contains("finder@example.net"),
        "coordinators see the contact"
    );
    assert!(
        page.body.contains("npm left-pad &#60;1.3.0"),
        "{}",
        page.body
    );

    // Those who may not see it get the 404 of a case that does not exist.
    let missing = desk.get(&coordinator, "/cases/999999").await;
    for who in [&outsider, &party, &reporter] {
        let answer = desk.get(who, &path).await;
        assert_eq!(answer.status, StatusCode::NOT_FOUND);
        assert_eq!(
            answer.body, missing.body,
            "a hidden case looks exactly like a missing one"
        );
        let answer = desk
            .post(
                who,
                &format!("{path}/transition"),
                &[("to", "acknowledged")],
            )
            .await;
        assert_eq!(answer.status, StatusCode::NOT_FOUND);
        assert!(inbox_row(&desk.get(who, "/inbox").await.body, case.id).is_none());
    }

    // Assigned, the maintainer sees it, without the reporter's contact, and may not move it.
    let answer = desk
        .post(
            &coordinator,
            &format!("{path}/assign"),
            &[("maintainer", &maintainer.id.to_string())],
        )
        .await;
    assert_eq!(answer.status, StatusCode::SEE_OTHER, "{}", answer.body);
    let page = desk.get(&maintainer, &path).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(
        !page.body.contains("finder@example.net"),
        "maintainers do not see the contact"
    );
    assert!(
        !page.body.contains("id=\"transition\""),
        "no transition form for the maintainer"
    );
    let answer = desk
        .post(
            &maintainer,
            &format!("{path}/transition"),
            &[("to", "acknowledged")],
        )
        .await;
    assert_eq!(answer.status, StatusCode::FORBIDDEN);

    // An edge that does not exist is a 422, and nothing changes.
    let answer = desk
        .post(
            &coordinator,
            &format!("{path}/transition"),
            &[("to", "fixing")],
        )
        .await;
    assert_eq!(answer.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(desk.report(case.id).state, State::Received);
    let answer = desk
        .post(
            &coordinator,
            &format!("{path}/transition"),
            &[("to", "triaged")],
        )
        .await;
    assert_eq!(
        answer.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "triage needs a resolution"
    );

    walk(
        &desk,
        &coordinator,
        case.id,
        &["acknowledged", "triaged", "fixing"],
    )
    .await;
    let stored = desk.report(case.id);
    assert!(stored.clock.acknowledged_at.is_some() && stored.clock.triaged_at.is_some());

    // Fixing → fix ready is the one step a maintainer in scope may take.
    let answer = desk
        .post(
            &maintainer,
            &format!("{path}/transition"),
            &[("to", "fix_ready")],
        )
        .await;
    assert_eq!(answer.status, StatusCode::SEE_OTHER, "{}", answer.body);
    assert!(desk.report(case.id).clock.fix_ready_at.is_some());
    let answer = desk
        .post(
            &maintainer,
            &format!("{path}/transition"),
            &[("to", "disclosure_scheduled")],
        )
        .await;
    assert_eq!(answer.status, StatusCode::FORBIDDEN);

    walk(
        &desk,
        &coordinator,
        case.id,
        &["disclosure_scheduled", "disclosed", "closed"],
    )
    .await;
    let stored = desk.report(case.id);
    assert_eq!(stored.state, State::Closed);
    assert!(stored.clock.disclosed_at.is_some() && stored.closed_at.is_some());
    let page = desk.get(&coordinator, &path).await;
    assert_eq!(shown_state(&page.body).as_deref(), Some("closed"));

    // Closed cases leave the default inbox, and come back with `all`.
    assert!(inbox_row(&desk.get(&coordinator, "/inbox").await.body, case.id).is_none());
    assert!(inbox_row(&desk.get(&coordinator, "/inbox?all=1").await.body, case.id).is_some());

    // Every step was audited with ids and names only, and reading the case too.
    let transitions = desk.events("report.transition");
    assert_eq!(transitions.len(), 7, "seven steps from received to closed");
    assert!(transitions.iter().all(|e| e.report == Some(case.id)));
    assert!(transitions.iter().all(|e| !e.detail.contains("traversal")));
    assert!(!desk.events("report.read").is_empty());

    // The reporter's follow-up page shows where it stands.
    let follow_up = desk.get_anonymous(&format!("/r/{}", case.token)).await;
    assert_eq!(shown_state(&follow_up.body).as_deref(), Some("closed"));
}

#[tokio::test]
async fn a_duplicate_links_to_a_case_the_coordinator_can_see() {
    let desk = Desk::new();
    let coordinator = desk.user(Role::Coordinator, "coord").await;
    let first = desk.submit(report("Original")).await;
    let second = desk.submit(report("Same again")).await;
    walk(&desk, &coordinator, second.id, &["acknowledged"]).await;
    let path = format!("/cases/{}/transition", second.id);
    for bad in ["999999", "abc", &second.id.to_string(), ""] {
        let answer = desk
            .post(
                &coordinator,
                &path,
                &[
                    ("to", "triaged"),
                    ("resolution", "duplicate"),
                    ("duplicate_of", bad),
                ],
            )
            .await;
        assert_eq!(
            answer.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "duplicate_of={bad:?}"
        );
    }
    assert_eq!(desk.report(second.id).state, State::Acknowledged);
    let answer = desk
        .post(
            &coordinator,
            &path,
            &[
                ("to", "triaged"),
                ("resolution", "duplicate"),
                ("duplicate_of", &first.id.to_string()),
            ],
        )
        .await;
    assert_eq!(answer.status, StatusCode::SEE_OTHER, "{}", answer.body);
    let stored = desk.report(second.id);
    assert_eq!(stored.duplicate_of, Some(first.id));
    let page = desk
        .get(&coordinator, &format!("/cases/{}", second.id))
        .await;
    assert!(page.body.contains(&format!("href=\"/cases/{}\"", first.id)));
    // A duplicate has nothing more due; it can only be closed.
    walk(&desk, &coordinator, second.id, &["closed"]).await;
}

#[tokio::test]
async fn parties_are_invited_by_email_and_see_only_their_case_without_the_contact() {
    let desk = Desk::new();
    let coordinator = desk.user(Role::Coordinator, "coord").await;
    let party = desk.user(Role::Party, "vendor").await;
    let maintainer = desk.user(Role::Maintainer, "maint").await;
    let invited = desk.submit(report("Invited")).await;
    let other = desk.submit(report("Other")).await;
    let invite = format!("/cases/{}/invite", invited.id);
    for email in [maintainer.email.as_str(), "nobody@example.org", ""] {
        let answer = desk.post(&coordinator, &invite, &[("email", email)]).await;
        assert_eq!(answer.status, StatusCode::UNPROCESSABLE_ENTITY, "{email:?}");
    }
    let answer = desk
        .post(&coordinator, &invite, &[("email", &party.email)])
        .await;
    assert_eq!(answer.status, StatusCode::SEE_OTHER, "{}", answer.body);
    let page = desk.get(&party, &format!("/cases/{}", invited.id)).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(!page.body.contains("finder@example.net"));
    let order = inbox_order(&desk.get(&party, "/inbox").await.body);
    assert_eq!(order, vec![invited.id.0]);
    let answer = desk.get(&party, &format!("/cases/{}", other.id)).await;
    assert_eq!(answer.status, StatusCode::NOT_FOUND);
    assert_eq!(desk.events("report.invite").len(), 1);
}

#[tokio::test]
async fn replies_reach_the_reporter_and_notes_stay_with_the_team() {
    let desk = Desk::new();
    let coordinator = desk.user(Role::Coordinator, "coord").await;
    let case = desk.submit(report("Thread")).await;
    let path = format!("/cases/{}", case.id);
    let answer = desk
        .post(
            &coordinator,
            &format!("{path}/reply"),
            &[("body", "Thanks, we can reproduce it.")],
        )
        .await;
    assert_eq!(answer.status, StatusCode::SEE_OTHER);
    let answer = desk
        .post(
            &coordinator,
            &format!("{path}/note"),
            &[("body", "Team eyes only: CVE pending.")],
        )
        .await;
    assert_eq!(answer.status, StatusCode::SEE_OTHER);
    let answer = desk
        .post(&coordinator, &format!("{path}/note"), &[("body", "   ")])
        .await;
    assert_eq!(answer.status, StatusCode::UNPROCESSABLE_ENTITY);

    let page = desk.get(&coordinator, &path).await;
    assert!(page.body.contains("Thanks, we can reproduce it."));
    assert!(page.body.contains("Team eyes only: CVE pending."));
    let follow_up = desk.get_anonymous(&format!("/r/{}", case.token)).await;
    assert!(
        follow_up.body.contains("Thanks, we can reproduce it."),
        "{}",
        follow_up.body
    );
    assert!(!follow_up.body.contains("Team eyes only"));
    assert_eq!(desk.events("report.reply").len(), 1);
    assert_eq!(desk.events("report.note").len(), 1);
    // Message bodies are not in the audit log.
    let all = desk.state.store().events(0, 10_000).unwrap();
    assert!(all.iter().all(|e| !e.detail.contains("reproduce")));
}

#[tokio::test]
async fn hold_pauses_the_clock_and_the_inbox_orders_by_the_nearest_deadline() {
    use jiff::SignedDuration;
    let desk = Desk::new();
    let coordinator = desk.user(Role::Coordinator, "coord").await;
    let held = desk.submit(report("Held")).await;
    desk.advance(SignedDuration::from_hours(1));
    let later = desk.submit(report("Later")).await;
    let order = inbox_order(&desk.get(&coordinator, "/inbox").await.body);
    assert_eq!(
        order,
        vec![held.id.0, later.id.0],
        "the earlier deadline first"
    );

    desk.advance(SignedDuration::from_hours(46)); // 47 h after the first report
    let answer = desk
        .post(
            &coordinator,
            &format!("/cases/{}/hold", held.id),
            &[("hold", "on")],
        )
        .await;
    assert_eq!(answer.status, StatusCode::SEE_OTHER, "{}", answer.body);
    desk.advance(SignedDuration::from_hours(10)); // 57 h: the other one is overdue
    let inbox = desk.get(&coordinator, "/inbox").await.body;
    let held_row = inbox_row(&inbox, held.id).unwrap();
    assert!(
        held_row.contains("on hold") && !held_row.contains("overdue"),
        "{held_row}"
    );
    let later_row = inbox_row(&inbox, later.id).unwrap();
    assert!(later_row.contains("class=\"overdue\"") && later_row.contains("overdue"));
    assert_eq!(
        inbox_order(&inbox),
        vec![later.id.0, held.id.0],
        "held cases sort last"
    );

    let answer = desk
        .post(
            &coordinator,
            &format!("/cases/{}/hold", held.id),
            &[("hold", "off")],
        )
        .await;
    assert_eq!(answer.status, StatusCode::SEE_OTHER);
    let stored = desk.report(held.id);
    assert_eq!(stored.clock.held_for.as_secs() / 3600, 10);
    assert!(stored.clock.held_since.is_none());
    // Due at 48 h + 10 h on hold = 58 h; it is 57 h.
    let row = inbox_row(&desk.get(&coordinator, "/inbox").await.body, held.id).unwrap();
    assert!(!row.contains("overdue"), "{row}");
    desk.advance(SignedDuration::from_hours(2));
    let row = inbox_row(&desk.get(&coordinator, "/inbox").await.body, held.id).unwrap();
    assert!(row.contains("class=\"overdue\""), "{row}");
    assert_eq!(desk.events("report.hold").len(), 2);
    let answer = desk
        .post(
            &coordinator,
            &format!("/cases/{}/hold", held.id),
            &[("hold", "maybe")],
        )
        .await;
    assert_eq!(answer.status, StatusCode::UNPROCESSABLE_ENTITY);
}

#[tokio::test]
async fn the_json_api_lists_reads_and_moves_cases_with_a_token() {
    let desk = Desk::new();
    let coordinator = desk.user(Role::Coordinator, "coord").await;
    let maintainer = desk.user(Role::Maintainer, "maint").await;
    let case = desk.submit(report("Via API")).await;
    let inbox = desk
        .api(&coordinator, Method::GET, "/api/v1/inbox", None)
        .await;
    assert_eq!(inbox.status, StatusCode::OK, "{}", inbox.body);
    let json = inbox.json();
    assert_eq!(json["total"], 1);
    assert_eq!(json["cases"][0]["id"], case.id.0);
    assert_eq!(json["cases"][0]["title"], "Via API");
    assert_eq!(json["cases"][0]["deadline"]["milestone"], "acknowledge");

    let path = format!("/api/v1/cases/{}", case.id);
    let answer = desk
        .api(
            &coordinator,
            Method::POST,
            &format!("{path}/transition"),
            Some(serde_json::json!({"to": "acknowledged"})),
        )
        .await;
    assert_eq!(answer.status, StatusCode::OK, "{}", answer.body);
    assert_eq!(answer.json()["state"], "acknowledged");
    let answer = desk
        .api(
            &coordinator,
            Method::POST,
            &format!("{path}/transition"),
            Some(serde_json::json!({"to": "closed", "resolution": "accepted"})),
        )
        .await;
    assert_eq!(answer.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(answer.json()["fields"][0]["field"].is_string());
    let answer = desk
        .api(
            &coordinator,
            Method::POST,
            &format!("{path}/reply"),
            Some(serde_json::json!({"body": "On it."})),
        )
        .await;
    assert_eq!(answer.status, StatusCode::OK);
    let answer = desk
        .api(
            &coordinator,
            Method::POST,
            &format!("{path}/note"),
            Some(serde_json::json!({"body": "Internal."})),
        )
        .await;
    assert_eq!(answer.status, StatusCode::OK);
    let read = desk
        .api(&coordinator, Method::GET, &path, None)
        .await
        .json();
    assert_eq!(read["state"], "acknowledged");
    assert_eq!(read["submission"]["title"], "Via API");
    assert_eq!(read["reporter"]["contact"], "finder@example.net");
    assert_eq!(read["thread"].as_array().unwrap().len(), 2);

    // Others: the same 404 as a missing case; malformed ids too.
    for path in [
        path.clone(),
        "/api/v1/cases/999999".to_owned(),
        "/api/v1/cases/x".to_owned(),
    ] {
        let answer = desk.api(&maintainer, Method::GET, &path, None).await;
        assert_eq!(answer.status, StatusCode::NOT_FOUND, "{path}");
    }
    let answer = desk.get_anonymous("/api/v1/inbox").await;
    assert_eq!(answer.status, StatusCode::UNAUTHORIZED);
}
