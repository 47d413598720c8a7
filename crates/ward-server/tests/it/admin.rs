//! The CLI's administration functions: KEK rotation keeps every report and TOTP secret readable
//! and leaves one KEK; the audit chain verifies, a page at a time.

use axum::http::StatusCode;
use ward_desk::access::Role;
use ward_server::{AppState, Config};

use crate::intake::submit_api;
use crate::support::{Browser, Harness};

fn keks(h: &Harness) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(h.dir.path().join("keys"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with("kek-"))
        .collect();
    names.sort();
    names
}

#[tokio::test]
async fn rotating_the_kek_rewraps_every_key_and_retires_the_old_one() {
    let h = Harness::unlimited();
    let admin = h.user("admin@example.org", Role::Admin);
    let secret = ward_server::admin::enroll_totp(&h.state, admin).unwrap();
    let first = submit_api(&h, r#"{"title": "first report", "description": "d"}"#).await;
    let second = submit_api(&h, r#"{"title": "second report", "description": "d"}"#).await;
    let before = keks(&h);
    assert_eq!(before.len(), 1);

    let config = Config {
        data_dir: h.dir.path().to_path_buf(),
        ..Config::default()
    };
    let rotation = ward_server::admin::rotate_kek(&config).unwrap();
    assert_eq!(rotation.rewrapped, 3, "two reports and one TOTP secret");
    let after = keks(&h);
    assert_eq!(after.len(), 1, "the old KEK is retired: {after:?}");
    assert_ne!(after, before);

    // A server started afterwards (with the new keyring) reads everything.
    let state = AppState::open(Config {
        public_url: Some("http://ward.test".to_owned()),
        ..config.clone()
    })
    .unwrap();
    let reopened = Harness::reopen(h, state);
    for (path, title) in [(&first, "first report"), (&second, "second report")] {
        let page = reopened.get(path).await;
        assert_eq!(page.status, StatusCode::OK, "{}", page.body);
        assert!(page.body.contains(title));
    }
    let mut browser = Browser::new();
    let reply = browser
        .login(&reopened, "admin@example.org", Some(&secret))
        .await;
    assert_eq!(reply.location(), "/inbox", "the TOTP secret still opens");

    let verified = ward_server::admin::verify_audit(&config).unwrap();
    let events = reopened.state.store().events(0, u32::MAX).unwrap();
    assert_eq!(verified.events, events.len() as u64);
    assert_eq!(verified.head, events.last().unwrap().hash);
    assert!(events.iter().any(|e| e.action == "kek.rotate"));
}

#[tokio::test]
async fn the_audit_chain_verifies_across_pages() {
    let h = Harness::unlimited();
    // More than one page (1000 events) of verification.
    for i in 0..1100 {
        let event = ward_desk::audit::NewEvent {
            actor: "system".into(),
            action: "test.event".into(),
            report: None,
            detail: format!("{{\"i\":{i}}}"),
        };
        h.state.store().append_event(&event).unwrap();
    }
    let config = Config {
        data_dir: h.dir.path().to_path_buf(),
        ..Config::default()
    };
    let verified = ward_server::admin::verify_audit(&config).unwrap();
    assert_eq!(verified.events, 1100);
}
