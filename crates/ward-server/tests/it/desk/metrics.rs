//! Metrics on crafted clocks: the medians, open and overdue counts per state, on the page and
//! in the Prometheus text format; who may read them.

use axum::http::{Method, StatusCode, header};
use jiff::{SignedDuration, Timestamp};
use ward_desk::ReportId;
use ward_desk::access::Role;
use ward_desk::state::{Resolution, State};

use super::support::{Desk, system};

fn hours(h: i64) -> SignedDuration {
    SignedDuration::from_hours(h)
}

/// Sets a case's state and clock (hours after its receipt) directly in the store.
fn craft(
    desk: &Desk,
    id: ReportId,
    state: State,
    ack: Option<i64>,
    triage: Option<i64>,
    fix: Option<i64>,
) {
    let mut report = desk.report(id);
    let received: Timestamp = report.clock.received_at;
    report.state = state;
    report.resolution = triage.map(|_| Resolution::Accepted);
    report.clock.received_at = received;
    report.clock.acknowledged_at = ack.map(|h| received + hours(h));
    report.clock.triaged_at = triage.map(|h| received + hours(h));
    report.clock.fix_ready_at = fix.map(|h| received + hours(h));
    if state == State::Closed {
        report.closed_at = Some(received + hours(50));
    }
    desk.state
        .store()
        .update_report(&report, &system("test.craft"))
        .unwrap();
}

/// The value of an un-labelled or labelled sample line.
fn sample(text: &str, name: &str) -> Option<f64> {
    text.lines()
        .find_map(|line| line.strip_prefix(name)?.strip_prefix(' '))
        .and_then(|v| v.trim().parse().ok())
}

#[tokio::test]
async fn medians_and_counts_on_crafted_data() {
    let desk = Desk::new();
    let coordinator = desk.user(Role::Coordinator, "coord").await;
    let maintainer = desk.user(Role::Maintainer, "maint").await;
    let mut ids = Vec::new();
    for i in 0..5 {
        let case = desk
            .submit(serde_json::json!({"title": format!("case {i}"), "description": "x"}))
            .await;
        ids.push(case.id);
    }
    craft(&desk, ids[0], State::FixReady, Some(1), Some(10), Some(120));
    craft(&desk, ids[1], State::Triaged, Some(3), Some(30), None);
    craft(&desk, ids[2], State::Acknowledged, Some(5), None, None);
    craft(&desk, ids[3], State::Received, None, None, None);
    craft(&desk, ids[4], State::Closed, Some(7), Some(40), None);
    desk.advance(hours(72));

    let answer = desk.api(&coordinator, Method::GET, "/metrics", None).await;
    assert_eq!(answer.status, StatusCode::OK, "{}", answer.body);
    assert!(
        answer.headers[header::CONTENT_TYPE]
            .to_str()
            .unwrap()
            .starts_with("application/openmetrics-text")
    );
    let text = answer.body;
    // Acknowledged after 1, 3, 5, 7 h: median 4 h. Triaged after 10, 30, 40 h: 30 h.
    // Fix ready after 120 h.
    assert_eq!(
        sample(&text, "ward_time_to_acknowledge_median_seconds"),
        Some(4.0 * 3600.0),
        "{text}"
    );
    assert_eq!(
        sample(&text, "ward_time_to_triage_median_seconds"),
        Some(30.0 * 3600.0)
    );
    assert_eq!(
        sample(&text, "ward_time_to_fix_median_seconds"),
        Some(120.0 * 3600.0)
    );
    assert_eq!(
        sample(&text, "ward_cases_open{state=\"received\"}"),
        Some(1.0)
    );
    assert_eq!(
        sample(&text, "ward_cases_open{state=\"fix_ready\"}"),
        Some(1.0)
    );
    assert_eq!(
        sample(&text, "ward_cases_open{state=\"closed\"}"),
        None,
        "closed is not open"
    );
    // Received 72 h ago and never acknowledged: overdue. The acknowledged one owes its triage
    // on day 7: not yet.
    assert_eq!(
        sample(&text, "ward_cases_overdue{state=\"received\"}"),
        Some(1.0)
    );
    assert_eq!(
        sample(&text, "ward_cases_overdue{state=\"acknowledged\"}"),
        Some(0.0)
    );
    assert_eq!(sample(&text, "ward_cases"), Some(5.0));
    assert!(text.trim_end().ends_with("# EOF"));

    let page = desk.get(&coordinator, "/team/metrics").await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(
        page.body.contains("4 h 0 min") && page.body.contains("1 d 6 h"),
        "{}",
        page.body
    );
    assert!(page.body.contains("5 d 0 h"));
    assert!(page.body.contains("<span id=\"overdue-total\">1</span>"));

    // Maintainers and strangers may not read them.
    assert_eq!(
        desk.get(&maintainer, "/team/metrics").await.status,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        desk.api(&maintainer, Method::GET, "/metrics", None)
            .await
            .status,
        StatusCode::FORBIDDEN
    );
    let anonymous = desk.get_anonymous("/metrics").await;
    assert!(
        anonymous.status == StatusCode::SEE_OTHER || anonymous.status == StatusCode::UNAUTHORIZED
    );
    assert!(!anonymous.body.contains("ward_cases"));
}

#[tokio::test]
async fn no_case_yet_leaves_the_medians_out() {
    let desk = Desk::new();
    let coordinator = desk.user(Role::Coordinator, "coord").await;
    let text = desk
        .api(&coordinator, Method::GET, "/metrics", None)
        .await
        .body;
    assert_eq!(
        sample(&text, "ward_time_to_acknowledge_median_seconds"),
        None
    );
    assert_eq!(sample(&text, "ward_cases"), Some(0.0));
    let page = desk.get(&coordinator, "/team/metrics").await.body;
    assert!(page.contains("no case yet"));
}
