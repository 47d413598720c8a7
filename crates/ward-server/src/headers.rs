//! Security headers on every response, and the request log (which names the route pattern,
//! never the URI: a follow-up link is a secret, and never a body).

use std::time::Instant;

use axum::extract::{MatchedPath, Request, State};
use axum::http::{HeaderName, HeaderValue, StatusCode, header};
use axum::middleware::Next;
use axum::response::Response;

use crate::AppState;

/// The Content-Security-Policy: only same-origin scripts, styles and images (no inline script
/// or style), forms post only here, no framing, no `<base>`.
pub(crate) const CSP: &str = "default-src 'none'; script-src 'self'; style-src 'self'; \
img-src 'self' data:; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

/// Browser features ward never uses.
pub(crate) const PERMISSIONS_POLICY: &str = "camera=(), microphone=(), geolocation=(), \
payment=(), usb=(), interest-cohort=()";

/// HSTS under TLS: one year.
pub(crate) const HSTS: &str = "max-age=31536000; includeSubDomains";

/// Middleware: sets the security headers on whatever response comes back, errors included.
/// Pages are `no-store` (they show report content); static assets may be cached, and the
/// log's tiles forever (a tile's content at a width never changes).
pub(crate) async fn security_headers(
    State(state): State<AppState>,
    request: Request,
    next: Next,
) -> Response {
    let path = request.uri().path();
    let is_static = path.starts_with("/static/");
    let is_tile = path.starts_with("/log/tile/");
    let mut response = next.run(request).await;
    let status = response.status();
    let headers = response.headers_mut();
    let mut set = |name: HeaderName, value: &'static str| {
        headers.insert(name, HeaderValue::from_static(value));
    };
    set(header::CONTENT_SECURITY_POLICY, CSP);
    set(header::X_FRAME_OPTIONS, "DENY");
    set(header::X_CONTENT_TYPE_OPTIONS, "nosniff");
    set(header::REFERRER_POLICY, "no-referrer");
    set(
        HeaderName::from_static("permissions-policy"),
        PERMISSIONS_POLICY,
    );
    set(
        HeaderName::from_static("cross-origin-opener-policy"),
        "same-origin",
    );
    set(
        HeaderName::from_static("cross-origin-resource-policy"),
        "same-origin",
    );
    if is_tile && status == StatusCode::OK {
        set(header::CACHE_CONTROL, "public, max-age=31536000, immutable");
    } else if is_static {
        set(header::CACHE_CONTROL, "public, max-age=3600");
    } else {
        set(header::CACHE_CONTROL, "no-store");
    }
    if state.config.tls.is_some() {
        set(header::STRICT_TRANSPORT_SECURITY, HSTS);
    }
    response
}

/// Middleware: one log line per request — method, route pattern, status, duration.
pub(crate) async fn log_requests(request: Request, next: Next) -> Response {
    let started = Instant::now();
    let method = request.method().clone();
    let route = request
        .extensions()
        .get::<MatchedPath>()
        .map(|p| p.as_str().to_owned())
        .unwrap_or_else(|| "(unrouted)".to_owned());
    let response = next.run(request).await;
    tracing::info!(
        %method,
        route,
        status = response.status().as_u16(),
        ms = started.elapsed().as_millis() as u64,
        "request"
    );
    response
}
