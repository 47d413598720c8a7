//! Every POST form checks its CSRF token; a missing or wrong one is a 403 and stores nothing.

use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use ward_desk::access::Role;

use crate::support::{Browser, Harness, csrf_of, multipart};

async fn post_report(h: &Harness, browser: &mut Browser, csrf: Option<&str>) -> StatusCode {
    let mut fields = vec![
        ("title", "XSS in the login page"),
        ("description", "Reflected."),
    ];
    if let Some(csrf) = csrf {
        fields.push(("csrf", csrf));
    }
    let (content_type, body) = multipart(&fields, &[]);
    let builder = Request::post("/report").header(header::CONTENT_TYPE, content_type);
    browser.send(h, builder, Body::from(body)).await.status
}

#[tokio::test]
async fn the_report_form_needs_the_token_of_this_browser() {
    let h = Harness::unlimited();
    let mut browser = Browser::new();
    let page = browser.get(&h, "/").await;
    let csrf = csrf_of(&page.body);
    assert!(
        browser.cookies.contains_key("ward_csrf"),
        "the policy page sets the CSRF cookie"
    );
    let before = h.counts();

    assert_eq!(
        post_report(&h, &mut browser, None).await,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        post_report(&h, &mut browser, Some("forged")).await,
        StatusCode::FORBIDDEN
    );
    let mut other = Browser::new();
    other.get(&h, "/").await;
    assert_eq!(
        post_report(&h, &mut other, Some(&csrf)).await,
        StatusCode::FORBIDDEN,
        "another browser's token does not match this browser's cookie"
    );
    let mut cookieless = Browser::new();
    assert_eq!(
        post_report(&h, &mut cookieless, Some(&csrf)).await,
        StatusCode::FORBIDDEN
    );
    assert_eq!(h.counts(), before, "nothing stored");

    assert_eq!(
        post_report(&h, &mut browser, Some(&csrf)).await,
        StatusCode::SEE_OTHER
    );
    assert_eq!(h.counts().0, before.0 + 1);
}

#[tokio::test]
async fn urlencoded_forms_refuse_missing_and_wrong_tokens() {
    let h = Harness::unlimited();
    h.user("reporter@example.org", Role::Reporter);
    let mut browser = Browser::new();
    browser.get(&h, "/").await;
    let before = h.counts();
    for (path, fields) in [
        (
            "/login",
            vec![
                ("email", "reporter@example.org"),
                ("password", crate::support::PASSWORD),
            ],
        ),
        (
            "/report/encrypted",
            vec![("message", "-----BEGIN PGP MESSAGE-----")],
        ),
        ("/logout", vec![]),
    ] {
        let reply = browser.post_form(&h, path, &fields).await;
        assert_eq!(
            reply.status,
            StatusCode::FORBIDDEN,
            "{path} without a token"
        );
        let mut with_wrong = fields.clone();
        with_wrong.push(("csrf", "AAAA"));
        let reply = browser.post_form(&h, path, &with_wrong).await;
        assert_eq!(
            reply.status,
            StatusCode::FORBIDDEN,
            "{path} with a wrong token"
        );
    }
    assert!(
        !browser.cookies.contains_key("ward_session"),
        "no login happened"
    );
    assert_eq!(h.counts(), before);
}

#[tokio::test]
async fn logged_in_forms_take_the_session_token() {
    let h = Harness::unlimited();
    let id = h.user("reporter@example.org", Role::Reporter);
    let mut browser = Browser::new();
    browser.login(&h, "reporter@example.org", None).await;
    let account = browser.get(&h, "/account").await;
    assert_eq!(account.status, StatusCode::OK, "{}", account.body);
    let csrf = csrf_of(&account.body);
    let fields = [("name", "ci"), ("scope_read", "on")];
    let reply = browser.post_form(&h, "/account/tokens", &fields).await;
    assert_eq!(reply.status, StatusCode::FORBIDDEN);
    let mut forged = fields.to_vec();
    forged.push(("csrf", "x"));
    assert_eq!(
        browser
            .post_form(&h, "/account/tokens", &forged)
            .await
            .status,
        StatusCode::FORBIDDEN
    );
    assert!(h.state.store().tokens_of(id).unwrap().is_empty());

    let mut good = fields.to_vec();
    good.push(("csrf", &csrf));
    assert_eq!(
        browser.post_form(&h, "/account/tokens", &good).await.status,
        StatusCode::OK
    );
    assert_eq!(h.state.store().tokens_of(id).unwrap().len(), 1);
}
