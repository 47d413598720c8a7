//! The CVSS 3.1 / 4.0 editor: selects, free vectors, invalid input (422, nothing stored), the
//! score and band shown, and who may score.

use axum::http::{Method, StatusCode};
use ward_desk::access::Role;
use ward_desk::severity::{CvssVersion, base_metrics};

use super::support::{Desk, attribute_after, text_of};

const CRITICAL_V3: &str = "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H";
const V4: &str = "CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N";

async fn setup() -> (Desk, super::support::Who, String) {
    let desk = Desk::new();
    let coordinator = desk.user(Role::Coordinator, "coord").await;
    let case = desk
        .submit(serde_json::json!({"title": "RCE", "description": "eval of input"}))
        .await;
    (desk, coordinator, format!("/cases/{}", case.id))
}

#[tokio::test]
async fn the_editor_has_a_select_per_base_metric_and_scores_from_them() {
    let (desk, coordinator, path) = setup().await;
    let page = desk.get(&coordinator, &path).await.body;
    for (prefix, version) in [("v3", CvssVersion::V3), ("v4", CvssVersion::V4)] {
        for metric in base_metrics(version) {
            let select = format!("<select name=\"{prefix}_{}\">", metric.key);
            assert!(page.contains(&select), "missing {select}");
        }
    }
    assert!(page.contains("name=\"cvss3\"") && page.contains("name=\"cvss4\""));
    assert_eq!(
        text_of(&page, "id=\"score\"").as_deref(),
        Some("not scored")
    );

    let choices: Vec<(String, &str)> = CRITICAL_V3
        .split('/')
        .skip(1)
        .map(|kv| {
            let (k, v) = kv.split_once(':').unwrap();
            (format!("v3_{k}"), v)
        })
        .collect();
    let fields: Vec<(&str, &str)> = choices.iter().map(|(k, v)| (k.as_str(), *v)).collect();
    let answer = desk
        .post(&coordinator, &format!("{path}/score"), &fields)
        .await;
    assert_eq!(answer.status, StatusCode::SEE_OTHER, "{}", answer.body);
    let page = desk.get(&coordinator, &path).await.body;
    assert_eq!(
        text_of(&page, "id=\"score\"").as_deref(),
        Some("9.8 Critical")
    );
    assert_eq!(
        attribute_after(&page, "id=\"score\"", "data-band").as_deref(),
        Some("critical")
    );
    assert!(
        page.contains("remote code execution"),
        "the band's typical examples are shown"
    );
    assert!(page.contains(CRITICAL_V3));
    // The selects now show the stored vector.
    assert!(
        page.contains("<option value=\"N\" selected>"),
        "preselected values"
    );

    // Submitting the form unchanged keeps the vector.
    let answer = desk
        .post(&coordinator, &format!("{path}/score"), &fields)
        .await;
    assert_eq!(answer.status, StatusCode::SEE_OTHER);
    let id = path.rsplit('/').next().unwrap().parse().unwrap();
    assert_eq!(
        desk.report(ward_desk::ReportId(id)).cvss3.as_deref(),
        Some(CRITICAL_V3)
    );
    assert_eq!(desk.events("report.score").len(), 2);
}

#[tokio::test]
async fn a_typed_vector_wins_and_the_shown_score_is_the_4_0_one() {
    let (desk, coordinator, path) = setup().await;
    let answer = desk
        .post(
            &coordinator,
            &format!("{path}/score"),
            &[
                ("cvss3", "CVSS:3.1/AV:L/AC:H/PR:H/UI:R/S:U/C:L/I:N/A:N"),
                ("cvss4", V4),
            ],
        )
        .await;
    assert_eq!(answer.status, StatusCode::SEE_OTHER, "{}", answer.body);
    let page = desk.get(&coordinator, &path).await.body;
    let score = attribute_after(&page, "id=\"score\"", "data-score").unwrap();
    assert_eq!(score, "9.3", "the 4.0 score of {V4}");
    assert_eq!(
        attribute_after(&page, "id=\"score\"", "data-band").as_deref(),
        Some("critical")
    );
}

#[tokio::test]
async fn invalid_vectors_are_422_with_the_reason_and_nothing_is_stored() {
    let (desk, coordinator, path) = setup().await;
    let score = format!("{path}/score");
    let id = ward_desk::ReportId(path.rsplit('/').next().unwrap().parse().unwrap());
    let cases: &[&[(&str, &str)]] = &[
        &[("cvss3", "CVSS:3.1/AV:X/AC:L")],
        &[("cvss3", "not a vector")],
        &[("cvss4", "CVSS:4.0/AV:N")],
        &[("cvss3", V4)],
        &[("cvss4", CRITICAL_V3)],
        &[("v3_AV", "N"), ("v3_AC", "L")],
        &[
            ("v3_AV", "Q"),
            ("v3_AC", "L"),
            ("v3_PR", "N"),
            ("v3_UI", "N"),
            ("v3_S", "U"),
            ("v3_C", "H"),
            ("v3_I", "H"),
            ("v3_A", "H"),
        ],
    ];
    for fields in cases {
        let answer = desk.post(&coordinator, &score, fields).await;
        assert_eq!(
            answer.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{fields:?}: {}",
            answer.body
        );
        assert!(
            answer.body.contains("data-field=\"cvss"),
            "the field is named: {}",
            answer.body
        );
        let stored = desk.report(id);
        assert_eq!(
            (stored.cvss3, stored.cvss4, stored.score),
            (None, None, None)
        );
    }
    // A valid 3.1 with an invalid 4.0 stores neither.
    let answer = desk
        .post(
            &coordinator,
            &score,
            &[("cvss3", CRITICAL_V3), ("cvss4", "CVSS:4.0/nope")],
        )
        .await;
    assert_eq!(answer.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(desk.report(id).cvss3, None);
    assert!(desk.events("report.score").is_empty());

    // The API answers the same as JSON.
    let api = format!("/api/v1{path}/score");
    let answer = desk
        .api(
            &coordinator,
            Method::POST,
            &api,
            Some(serde_json::json!({"cvss3": "CVSS:3.1/AV:Z"})),
        )
        .await;
    assert_eq!(answer.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(answer.json()["fields"][0]["field"], "cvss3");
    let answer = desk
        .api(
            &coordinator,
            Method::POST,
            &api,
            Some(serde_json::json!({"cvss3": CRITICAL_V3})),
        )
        .await;
    assert_eq!(answer.status, StatusCode::OK, "{}", answer.body);
    assert_eq!(answer.json()["score"], 9.8);
    assert_eq!(answer.json()["band"], "critical");
    // Leaving a field out keeps it; an empty string clears it.
    let answer = desk
        .api(
            &coordinator,
            Method::POST,
            &api,
            Some(serde_json::json!({"cvss4": V4})),
        )
        .await;
    assert_eq!(answer.json()["cvss3"], CRITICAL_V3);
    let answer = desk
        .api(
            &coordinator,
            Method::POST,
            &api,
            Some(serde_json::json!({"cvss3": ""})),
        )
        .await;
    assert_eq!(answer.json()["cvss3"], serde_json::Value::Null);
    assert_eq!(answer.json()["score"], 9.3);
}

#[tokio::test]
async fn only_those_who_may_score_see_the_editor_or_can_post_it() {
    let (desk, coordinator, path) = setup().await;
    let party = desk.user(Role::Party, "vendor").await;
    let id = path.rsplit('/').next().unwrap();
    let email = party.email.clone();
    let answer = desk
        .post(
            &coordinator,
            &format!("{path}/invite"),
            &[("email", &email)],
        )
        .await;
    assert_eq!(answer.status, StatusCode::SEE_OTHER, "{}", answer.body);
    let page = desk.get(&party, &path).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(!page.body.contains("id=\"score-form\""));
    let answer = desk
        .post(&party, &format!("{path}/score"), &[("cvss3", CRITICAL_V3)])
        .await;
    assert_eq!(answer.status, StatusCode::FORBIDDEN, "case {id}");
}
