//! The route table and the router agree.

use axum::body::Body;
use axum::http::{Request, StatusCode};

use crate::support::Harness;

/// A concrete path for a pattern.
pub(crate) fn concrete(pattern: &str) -> String {
    pattern
        .split('/')
        .map(|segment| match segment {
            "{token}" => "not-a-real-token",
            s if s.starts_with('{') => "1",
            s => s,
        })
        .collect::<Vec<_>>()
        .join("/")
}

#[tokio::test]
async fn every_route_in_the_table_is_routed_with_its_method() {
    let h = Harness::new();
    let mut seen = std::collections::HashSet::new();
    for route in ward_server::routes::route_table() {
        assert!(
            seen.insert((route.method, route.path)),
            "{route:?} is listed twice"
        );
        let request = Request::builder()
            .method(route.method)
            .uri(concrete(route.path))
            .body(Body::empty())
            .unwrap();
        let reply = h.send(request).await;
        assert!(
            !reply.unrouted,
            "{route:?} is in the table but not in the router"
        );
        assert_ne!(
            reply.status,
            StatusCode::METHOD_NOT_ALLOWED,
            "{route:?}: {}",
            reply.body
        );
        assert_ne!(
            reply.status,
            StatusCode::INTERNAL_SERVER_ERROR,
            "{route:?}: {}",
            reply.body
        );
    }
}

#[tokio::test]
async fn a_path_outside_the_table_is_unrouted_and_a_wrong_method_is_405() {
    let h = Harness::new();
    let reply = h.get("/no/such/page").await;
    assert_eq!(reply.status, StatusCode::NOT_FOUND);
    assert!(reply.unrouted);
    assert!(reply.body.contains("Not found"), "{}", reply.body);
    let reply = h
        .send(Request::delete("/login").body(Body::empty()).unwrap())
        .await;
    assert_eq!(reply.status, StatusCode::METHOD_NOT_ALLOWED);
}
