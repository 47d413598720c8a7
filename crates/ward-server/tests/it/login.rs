//! Login with password and TOTP, replay refusal, enrollment, throttling, logout.

use axum::http::StatusCode;
use ward_desk::access::Role;

use crate::support::{Browser, Harness, PASSWORD, attribute_after, totp_code};

#[tokio::test]
async fn an_admin_needs_totp_before_anything_beyond_their_account() {
    let h = Harness::new();
    let id = h.user("admin@example.org", Role::Admin);
    let secret = ward_server::admin::enroll_totp(&h.state, id).unwrap();
    let mut browser = Browser::new();
    let reply = browser
        .submit(
            &h,
            "/login",
            "/login",
            &[("email", "ADMIN@example.org"), ("password", PASSWORD)],
        )
        .await;
    assert_eq!(reply.status, StatusCode::SEE_OTHER, "{}", reply.body);
    assert_eq!(reply.location(), "/login/totp");
    let cookie = reply.header("set-cookie").unwrap();
    for attribute in ["ward_session=", "HttpOnly", "SameSite=Strict", "Path=/"] {
        assert!(cookie.contains(attribute), "{cookie}");
    }
    assert!(!cookie.contains("Secure"), "not under TLS");

    let admin_page = browser.get(&h, "/admin/users").await;
    assert_eq!(
        admin_page.status,
        StatusCode::SEE_OTHER,
        "password alone is not enough"
    );
    assert_eq!(admin_page.location(), "/login/totp");
    // Not even their own account: a stolen password must not change the password or make a
    // token (which counts as a passed second factor).
    let account = browser.get(&h, "/account").await;
    assert_eq!(account.status, StatusCode::SEE_OTHER);
    assert_eq!(account.location(), "/login/totp");

    let wrong = browser
        .submit(&h, "/login/totp", "/login/totp", &[("code", "000000")])
        .await;
    assert_eq!(wrong.status, StatusCode::UNAUTHORIZED);
    let code = totp_code(&secret);
    let passed = browser
        .submit(&h, "/login/totp", "/login/totp", &[("code", &code)])
        .await;
    assert_eq!(passed.status, StatusCode::SEE_OTHER, "{}", passed.body);
    assert_eq!(passed.location(), "/inbox");
    let users = browser.get(&h, "/admin/users").await;
    assert_eq!(users.status, StatusCode::OK);
    assert!(users.body.contains("admin@example.org"));

    // The same code again, in another browser: refused (replay).
    let mut other = Browser::new();
    other
        .submit(
            &h,
            "/login",
            "/login",
            &[("email", "admin@example.org"), ("password", PASSWORD)],
        )
        .await;
    let replay = other
        .submit(&h, "/login/totp", "/login/totp", &[("code", &code)])
        .await;
    assert_eq!(
        replay.status,
        StatusCode::UNAUTHORIZED,
        "a TOTP code works once"
    );
    assert_eq!(
        other.get(&h, "/admin/users").await.status,
        StatusCode::SEE_OTHER
    );

    let actions: Vec<String> = h
        .state
        .store()
        .events(0, 1000)
        .unwrap()
        .into_iter()
        .map(|e| e.action)
        .collect();
    assert!(
        actions.contains(&"user.login".to_owned())
            && actions.contains(&"user.login_totp".to_owned()),
        "{actions:?}"
    );
}

#[tokio::test]
async fn a_coordinator_without_totp_must_enroll_first() {
    let h = Harness::new();
    let id = h.user("coord@example.org", Role::Coordinator);
    let mut browser = Browser::new();
    let reply = browser.login(&h, "coord@example.org", None).await;
    assert_eq!(reply.location(), "/account/totp");
    let page = browser.get(&h, "/account/totp").await;
    assert_eq!(page.status, StatusCode::OK);
    let base32 = attribute_after(&page.body, "id=\"totp-secret\">")
        .map(|s| s.split('<').next().unwrap().to_owned());
    let base32 = base32.unwrap();
    assert!(page.body.contains("otpauth://totp/"), "{}", page.body);
    // Refused without enrolling: a token would count as a passed second factor.
    let csrf = crate::support::csrf_of(&page.body);
    let token = browser
        .post_form(
            &h,
            "/account/tokens",
            &[("name", "x"), ("scope_read", "on"), ("csrf", &csrf)],
        )
        .await;
    assert_eq!(token.status, StatusCode::SEE_OTHER, "{}", token.body);
    assert_eq!(token.location(), "/login/totp");

    let pending = attribute_after(&page.body, "name=\"secret\" value=\"").unwrap();
    let wrong = browser
        .post_form(
            &h,
            "/account/totp",
            &[("secret", &pending), ("code", "123456"), ("csrf", &csrf)],
        )
        .await;
    assert_eq!(wrong.status, StatusCode::UNPROCESSABLE_ENTITY);
    let code = totp_code(&base32);
    let enrolled = browser
        .post_form(
            &h,
            "/account/totp",
            &[("secret", &pending), ("code", &code), ("csrf", &csrf)],
        )
        .await;
    assert_eq!(enrolled.status, StatusCode::SEE_OTHER, "{}", enrolled.body);
    let user = h.state.store().user(id).unwrap().unwrap();
    assert!(user.totp_secret.is_some());
    assert!(
        !user
            .totp_secret
            .as_ref()
            .unwrap()
            .windows(pending.len())
            .any(|w| w == pending.as_bytes()),
        "the secret is stored sealed"
    );
    assert_eq!(browser.get(&h, "/account").await.status, StatusCode::OK);
    let again = browser
        .post_form(
            &h,
            "/account/tokens",
            &[("name", "x"), ("scope_read", "on"), ("csrf", &csrf)],
        )
        .await;
    assert_eq!(
        again.status,
        StatusCode::OK,
        "the enrolled session passed TOTP"
    );
}

#[tokio::test]
async fn failed_logins_are_throttled_per_account_and_per_ip() {
    let h = Harness::new();
    h.user("someone@example.org", Role::Reporter);
    h.user("other@example.org", Role::Reporter);
    let mut browser = Browser::new();
    for _ in 0..3 {
        let reply = browser
            .submit(
                &h,
                "/login",
                "/login",
                &[
                    ("email", "someone@example.org"),
                    ("password", "wrong password!"),
                ],
            )
            .await;
        assert_eq!(reply.status, StatusCode::UNAUTHORIZED);
        assert!(reply.body.contains("Wrong email or password."));
    }
    // Now even the right password waits, and from another address too (the account's key).
    let throttled = browser
        .submit(
            &h,
            "/login",
            "/login",
            &[("email", "someone@example.org"), ("password", PASSWORD)],
        )
        .await;
    assert_eq!(throttled.status, StatusCode::TOO_MANY_REQUESTS);
    assert!(throttled.header("retry-after").is_some());
    let mut elsewhere = Browser {
        ip: Some("10.0.0.9:5000".to_owned()),
        ..Browser::new()
    };
    let reply = elsewhere
        .submit(
            &h,
            "/login",
            "/login",
            &[("email", "someone@example.org"), ("password", PASSWORD)],
        )
        .await;
    assert_eq!(reply.status, StatusCode::TOO_MANY_REQUESTS);

    // The first address is throttled for other accounts as well (the IP's key).
    let reply = browser
        .submit(
            &h,
            "/login",
            "/login",
            &[("email", "other@example.org"), ("password", PASSWORD)],
        )
        .await;
    assert_eq!(reply.status, StatusCode::TOO_MANY_REQUESTS);
    let reply = elsewhere
        .submit(
            &h,
            "/login",
            "/login",
            &[("email", "other@example.org"), ("password", PASSWORD)],
        )
        .await;
    assert_eq!(
        reply.status,
        StatusCode::SEE_OTHER,
        "other accounts from other addresses are not"
    );
}

#[tokio::test]
async fn unknown_accounts_and_disabled_ones_cannot_log_in() {
    let h = Harness::new();
    let mut browser = Browser::new();
    let reply = browser
        .submit(
            &h,
            "/login",
            "/login",
            &[("email", "nobody@example.org"), ("password", PASSWORD)],
        )
        .await;
    assert_eq!(reply.status, StatusCode::UNAUTHORIZED);
    assert!(!browser.cookies.contains_key("ward_session"));
}

#[tokio::test]
async fn logout_ends_the_session() {
    let h = Harness::new();
    h.user("reporter@example.org", Role::Reporter);
    let mut browser = Browser::new();
    browser.login(&h, "reporter@example.org", None).await;
    let session = browser.cookies.get("ward_session").cloned().unwrap();
    let out = browser.submit(&h, "/account", "/logout", &[]).await;
    assert_eq!(out.status, StatusCode::SEE_OTHER);
    assert!(!browser.cookies.contains_key("ward_session"));
    // The old cookie no longer works.
    browser.cookies.insert("ward_session".to_owned(), session);
    let account = browser.get(&h, "/account").await;
    assert_eq!(account.status, StatusCode::SEE_OTHER);
    assert_eq!(account.location(), "/login");
}

#[tokio::test]
async fn a_password_change_ends_the_other_sessions() {
    let h = Harness::new();
    h.user("reporter@example.org", Role::Reporter);
    let mut first = Browser::new();
    first.login(&h, "reporter@example.org", None).await;
    let mut second = Browser::new();
    second.login(&h, "reporter@example.org", None).await;
    let new_password = "another long password";
    let reply = first
        .submit(
            &h,
            "/account",
            "/account/password",
            &[("current", PASSWORD), ("new", new_password)],
        )
        .await;
    assert_eq!(reply.status, StatusCode::SEE_OTHER, "{}", reply.body);
    assert_eq!(
        first.get(&h, "/account").await.status,
        StatusCode::OK,
        "this browser stays in"
    );
    assert_eq!(
        second.get(&h, "/account").await.status,
        StatusCode::SEE_OTHER,
        "the other is out"
    );
}
