//! Security headers on every response.

use axum::body::Body;
use axum::http::Request;

use crate::routes::concrete;
use crate::support::{Harness, Reply};

fn assert_secured(what: &str, reply: &Reply, tls: bool) {
    let csp = reply
        .header("content-security-policy")
        .unwrap_or_else(|| panic!("{what}: no CSP"));
    assert_eq!(
        csp,
        "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; \
         form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
        "{what}"
    );
    assert!(!csp.contains("unsafe-inline"));
    assert_eq!(reply.header("x-frame-options"), Some("DENY"), "{what}");
    assert_eq!(
        reply.header("x-content-type-options"),
        Some("nosniff"),
        "{what}"
    );
    assert_eq!(
        reply.header("referrer-policy"),
        Some("no-referrer"),
        "{what}"
    );
    assert!(
        reply
            .header("permissions-policy")
            .is_some_and(|p| p.contains("camera=()")),
        "{what}"
    );
    assert_eq!(
        reply.header("strict-transport-security").is_some(),
        tls,
        "{what}: HSTS only under TLS"
    );
}

#[tokio::test]
async fn every_route_answers_with_the_security_headers() {
    let h = Harness::new();
    for route in ward_server::routes::route_table() {
        let request = Request::builder()
            .method(route.method)
            .uri(concrete(route.path))
            .body(Body::empty())
            .unwrap();
        let reply = h.send(request).await;
        assert_secured(&format!("{} {}", route.method, route.path), &reply, false);
    }
    assert_secured("404", &h.get("/nothing-here").await, false);
    let oversized = Request::post("/api/v1/reports")
        .header("content-type", "application/json")
        .body(Body::from(vec![b' '; 2 << 20]))
        .unwrap();
    assert_secured("413", &h.send(oversized).await, false);
}

#[tokio::test]
async fn hsts_is_sent_under_tls() {
    let h = Harness::with(|config| {
        config.tls = Some(ward_server::Tls {
            cert: "unused.pem".into(),
            key: "unused.pem".into(),
        });
    });
    assert_secured("/ under TLS", &h.get("/").await, true);
    assert_secured("404 under TLS", &h.get("/nothing").await, true);
}

#[tokio::test]
async fn pages_are_not_cached_and_the_stylesheet_is() {
    let h = Harness::new();
    assert_eq!(h.get("/").await.header("cache-control"), Some("no-store"));
    let css = h.get("/static/ward.css").await;
    assert_eq!(css.header("content-type"), Some("text/css; charset=utf-8"));
    assert!(css.header("cache-control").unwrap().starts_with("public"));
}
