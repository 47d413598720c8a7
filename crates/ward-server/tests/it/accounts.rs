//! API tokens are stored hashed; the setup link works once; admins manage accounts.

use axum::http::StatusCode;
use ward_desk::access::Role;

use crate::support::{Browser, Harness, PASSWORD, attribute_after, totp_code};

#[tokio::test]
async fn api_tokens_are_shown_once_and_stored_hashed() {
    let h = Harness::new();
    let id = h.user("reporter@example.org", Role::Reporter);
    let mut browser = Browser::new();
    browser.login(&h, "reporter@example.org", None).await;
    let page = browser
        .submit(
            &h,
            "/account",
            "/account/tokens",
            &[("name", "ci"), ("scope_read", "on"), ("expires_days", "30")],
        )
        .await;
    let token = attribute_after(&page.body, r#"<code class="secret">"#)
        .map(|t| t.split('<').next().unwrap().to_owned())
        .unwrap();
    assert!(token.starts_with("ward_") && token.len() > 40, "{token}");
    let again = browser.get(&h, "/account").await;
    assert!(!again.body.contains(&token), "shown once");
    assert!(again.body.contains("ci"));

    let stored = h.state.store().tokens_of(id).unwrap();
    assert_eq!(stored.len(), 1);
    assert!(stored[0].expires_at.is_some());
    let hash: [u8; 32] = {
        use sha2::Digest as _;
        sha2::Sha256::digest(token.as_bytes()).into()
    };
    assert!(
        h.state
            .store()
            .token(&hash, jiff::Timestamp::now())
            .unwrap()
            .is_some(),
        "found by its SHA-256"
    );
    for (path, bytes) in h.data_files() {
        assert!(
            !bytes.windows(token.len()).any(|w| w == token.as_bytes()),
            "{path} holds the token in clear"
        );
    }

    // Revoked, it stops working.
    let csrf = crate::support::csrf_of(&again.body);
    let token_id = stored[0].id.to_string();
    let reply = browser
        .post_form(
            &h,
            &format!("/account/tokens/{token_id}/delete"),
            &[("csrf", &csrf)],
        )
        .await;
    assert_eq!(reply.status, StatusCode::SEE_OTHER);
    assert!(
        h.state
            .store()
            .token(&hash, jiff::Timestamp::now())
            .unwrap()
            .is_none()
    );
    let reply = browser
        .post_form(&h, "/account/tokens/999/delete", &[("csrf", &csrf)])
        .await;
    assert_eq!(
        reply.status,
        StatusCode::NOT_FOUND,
        "someone else's or no token"
    );
}

#[tokio::test]
async fn the_setup_link_creates_the_first_admin_once() {
    let h = Harness::new();
    let link = ward_server::admin::setup_link(&h.state).unwrap().unwrap();
    let path = link.strip_prefix("http://ward.test").unwrap().to_owned();
    assert!(path.starts_with("/setup/"));
    let fields = [
        ("email", "admin@example.org"),
        ("name", "Admin"),
        ("password", PASSWORD),
    ];

    // A wrong token shows no form, and posting to it does nothing.
    let mut wrong = Browser::new();
    assert_eq!(
        wrong.get(&h, "/setup/not-the-token").await.status,
        StatusCode::NOT_FOUND
    );
    let reply = wrong
        .submit(&h, &path, "/setup/not-the-token", &fields)
        .await;
    assert_eq!(reply.status, StatusCode::NOT_FOUND);

    let mut browser = Browser::new();
    let short = browser
        .submit(
            &h,
            &path,
            &path,
            &[
                ("email", "admin@example.org"),
                ("name", "Admin"),
                ("password", "short"),
            ],
        )
        .await;
    assert_eq!(
        short.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "a bad form does not use up the link"
    );
    let reply = browser.submit(&h, &path, &path, &fields).await;
    assert_eq!(reply.status, StatusCode::SEE_OTHER, "{}", reply.body);
    assert_eq!(
        reply.location(),
        "/account/totp",
        "the admin enrolls TOTP first"
    );
    assert_eq!(h.state.store().count_users().unwrap(), 1);
    let admin = h
        .state
        .store()
        .user_by_email("admin@example.org")
        .unwrap()
        .unwrap();
    assert_eq!(admin.role, Role::Admin);
    assert!(admin.password_hash.starts_with("$argon2id$"));

    let mut again = Browser::new();
    let shown = again.get(&h, &path).await;
    assert_eq!(
        shown.status,
        StatusCode::NOT_FOUND,
        "once an account exists"
    );
    let reply = browser
        .post_form(
            &h,
            &path,
            &[
                ("email", "second@example.org"),
                ("name", "x"),
                ("password", PASSWORD),
                ("csrf", "x"),
            ],
        )
        .await;
    assert!(reply.status.is_client_error());
    assert_eq!(h.state.store().count_users().unwrap(), 1);
    assert!(ward_server::admin::setup_link(&h.state).unwrap().is_none());
}

#[tokio::test]
async fn an_admin_creates_changes_and_disables_accounts() {
    let h = Harness::new();
    let admin = h.user("admin@example.org", Role::Admin);
    let secret = ward_server::admin::enroll_totp(&h.state, admin).unwrap();
    let mut browser = Browser::new();
    let reply = browser.login(&h, "admin@example.org", Some(&secret)).await;
    assert_eq!(reply.location(), "/inbox");

    let reply = browser
        .submit(
            &h,
            "/admin/users",
            "/admin/users",
            &[
                ("email", "maint@example.org"),
                ("name", "Maintainer"),
                ("role", "maintainer"),
                ("password", PASSWORD),
            ],
        )
        .await;
    assert_eq!(reply.status, StatusCode::SEE_OTHER, "{}", reply.body);
    let dup = browser
        .submit(
            &h,
            "/admin/users",
            "/admin/users",
            &[
                ("email", "MAINT@example.org"),
                ("name", "Again"),
                ("role", "maintainer"),
                ("password", PASSWORD),
            ],
        )
        .await;
    assert_eq!(dup.status, StatusCode::CONFLICT);
    let maint = h
        .state
        .store()
        .user_by_email("maint@example.org")
        .unwrap()
        .unwrap();

    // The maintainer logs in; then the admin disables the account: the session ends.
    let mut theirs = Browser::new();
    theirs.login(&h, "maint@example.org", None).await;
    assert_eq!(theirs.get(&h, "/account").await.status, StatusCode::OK);
    let path = format!("/admin/users/{}", maint.id);
    let reply = browser
        .submit(
            &h,
            "/admin/users",
            &path,
            &[("role", "maintainer"), ("disabled", "on")],
        )
        .await;
    assert_eq!(reply.status, StatusCode::SEE_OTHER);
    assert_eq!(
        theirs.get(&h, "/account").await.status,
        StatusCode::SEE_OTHER
    );
    let mut retry = Browser::new();
    let reply = retry
        .submit(
            &h,
            "/login",
            "/login",
            &[("email", "maint@example.org"), ("password", PASSWORD)],
        )
        .await;
    assert_eq!(
        reply.status,
        StatusCode::UNAUTHORIZED,
        "a disabled account cannot log in"
    );

    // The last admin cannot demote themselves.
    let path = format!("/admin/users/{admin}");
    let reply = browser
        .submit(&h, "/admin/users", &path, &[("role", "coordinator")])
        .await;
    assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY);

    // Scope: add a package for the maintainer (re-enabled first).
    let path = format!("/admin/users/{}", maint.id);
    browser
        .submit(&h, "/admin/users", &path, &[("role", "maintainer")])
        .await;
    let reply = browser
        .submit(
            &h,
            "/admin/scope",
            "/admin/scope",
            &[
                ("ecosystem", "npm"),
                ("package", "express"),
                ("maintainer", &maint.id.to_string()),
            ],
        )
        .await;
    assert_eq!(reply.status, StatusCode::SEE_OTHER, "{}", reply.body);
    assert_eq!(h.state.store().scope().unwrap().len(), 1);
    let audit = browser.get(&h, "/admin/audit").await;
    assert_eq!(audit.status, StatusCode::OK);
    assert!(audit.body.contains("scope.add") && audit.body.contains("user.update"));
    let _ = totp_code;
}

#[tokio::test]
async fn non_admins_are_refused_the_admin_pages() {
    let h = Harness::new();
    h.user("reporter@example.org", Role::Reporter);
    let mut browser = Browser::new();
    browser.login(&h, "reporter@example.org", None).await;
    for path in ["/admin/users", "/admin/scope", "/admin/audit"] {
        assert_eq!(
            browser.get(&h, path).await.status,
            StatusCode::FORBIDDEN,
            "{path}"
        );
    }
    let mut anonymous = Browser::new();
    let reply = anonymous.get(&h, "/admin/users").await;
    assert_eq!(reply.status, StatusCode::SEE_OTHER);
    assert_eq!(reply.location(), "/login");
}
