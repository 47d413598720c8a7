//! A fresh instance per test (SQLite in a temp dir), driven with `oneshot`, and a tiny browser
//! that keeps cookies and reads CSRF tokens from pages.

use std::collections::BTreeMap;
use std::net::SocketAddr;

use axum::Router;
use axum::body::Body;
use axum::extract::ConnectInfo;
use axum::http::{HeaderMap, Method, Request, StatusCode, header};
use http_body_util::BodyExt as _;
use tower::ServiceExt as _;
use ward_desk::UserId;
use ward_desk::access::{Role, Visibility};
use ward_server::{AppState, Config, app};
use ward_store::InboxQuery;

/// An instance.
pub(crate) struct Harness {
    pub(crate) dir: tempfile::TempDir,
    pub(crate) state: AppState,
    app: Router,
}

/// A response, read whole.
#[derive(Debug)]
pub(crate) struct Reply {
    pub(crate) status: StatusCode,
    pub(crate) headers: HeaderMap,
    pub(crate) body: String,
    pub(crate) unrouted: bool,
}

impl Reply {
    pub(crate) fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|v| v.to_str().ok())
    }

    pub(crate) fn location(&self) -> &str {
        self.header("location").unwrap_or_default()
    }

    pub(crate) fn json(&self) -> serde_json::Value {
        serde_json::from_str(&self.body).unwrap_or_else(|e| panic!("not JSON ({e}): {}", self.body))
    }
}

impl Harness {
    pub(crate) fn new() -> Harness {
        Harness::with(|_| {})
    }

    /// An instance without rate limits (tests that send many requests from one address).
    pub(crate) fn unlimited() -> Harness {
        Harness::with(|config| config.limits = ward_server::RateLimits::unlimited())
    }

    pub(crate) fn with(configure: impl FnOnce(&mut Config)) -> Harness {
        let dir = tempfile::tempdir().unwrap();
        let mut config = Config {
            data_dir: dir.path().to_path_buf(),
            public_url: Some("http://ward.test".to_owned()),
            ..Config::default()
        };
        configure(&mut config);
        let state = AppState::open(config).unwrap();
        let app = app(state.clone());
        Harness { dir, state, app }
    }

    /// The same data dir, served by another state (after a KEK rotation, say).
    pub(crate) fn reopen(old: Harness, state: AppState) -> Harness {
        let app = app(state.clone());
        Harness {
            dir: old.dir,
            state,
            app,
        }
    }

    pub(crate) async fn send(&self, request: Request<Body>) -> Reply {
        self.send_from(request, "127.0.0.1:40000").await
    }

    /// Sends as if from the TCP peer `from`.
    pub(crate) async fn send_from(&self, mut request: Request<Body>, from: &str) -> Reply {
        let addr: SocketAddr = from.parse().unwrap();
        request.extensions_mut().insert(ConnectInfo(addr));
        let response = self.app.clone().oneshot(request).await.unwrap();
        let status = response.status();
        let headers = response.headers().clone();
        let unrouted = response
            .extensions()
            .get::<ward_server::routes::Unrouted>()
            .is_some();
        let bytes = response.into_body().collect().await.unwrap().to_bytes();
        Reply {
            status,
            headers,
            body: String::from_utf8_lossy(&bytes).into_owned(),
            unrouted,
        }
    }

    pub(crate) async fn get(&self, path: &str) -> Reply {
        self.send(Request::get(path).body(Body::empty()).unwrap())
            .await
    }

    pub(crate) async fn post_json(&self, path: &str, json: &str) -> Reply {
        let request = Request::post(path)
            .header(header::CONTENT_TYPE, "application/json")
            .body(Body::from(json.to_owned()))
            .unwrap();
        self.send(request).await
    }

    /// Reports and audit events stored.
    pub(crate) fn counts(&self) -> (u64, usize) {
        let store = self.state.store();
        let reports = store
            .inbox(&InboxQuery {
                visibility: Visibility::All,
                state: None,
                include_done: true,
                limit: 1,
                offset: 0,
            })
            .unwrap()
            .total;
        let events = store.events(0, u32::MAX).unwrap().len();
        (reports, events)
    }

    pub(crate) fn user(&self, email: &str, role: Role) -> UserId {
        ward_server::admin::create_user(&self.state, email, "Test User", role, PASSWORD).unwrap()
    }

    /// The bytes of every file under the data dir (the database, its WAL, the keys).
    pub(crate) fn data_files(&self) -> Vec<(String, Vec<u8>)> {
        let mut out = Vec::new();
        let mut stack = vec![self.dir.path().to_path_buf()];
        while let Some(dir) = stack.pop() {
            for entry in std::fs::read_dir(dir).unwrap() {
                let path = entry.unwrap().path();
                if path.is_dir() {
                    stack.push(path);
                } else if let Ok(bytes) = std::fs::read(&path) {
                    out.push((path.display().to_string(), bytes));
                }
            }
        }
        out
    }
}

pub(crate) const PASSWORD: &str = "a long enough password";

/// The current TOTP code for a base32 secret.
pub(crate) fn totp_code(base32: &str) -> String {
    let secret = totp_rs::Secret::try_from_base32(base32).unwrap();
    let totp = totp_rs::Builder::new()
        .with_secret(secret.as_bytes().to_vec())
        .build()
        .unwrap();
    totp.generate_current().to_string()
}

/// A browser: keeps cookies, reads CSRF tokens.
#[derive(Debug, Default, Clone)]
pub(crate) struct Browser {
    pub(crate) cookies: BTreeMap<String, String>,
    pub(crate) ip: Option<String>,
}

impl Browser {
    pub(crate) fn new() -> Browser {
        Browser::default()
    }

    fn cookie_header(&self) -> String {
        self.cookies
            .iter()
            .map(|(k, v)| format!("{k}={v}"))
            .collect::<Vec<_>>()
            .join("; ")
    }

    pub(crate) async fn send(
        &mut self,
        h: &Harness,
        builder: axum::http::request::Builder,
        body: Body,
    ) -> Reply {
        let mut builder = builder;
        if !self.cookies.is_empty() {
            builder = builder.header(header::COOKIE, self.cookie_header());
        }
        let ip = self
            .ip
            .clone()
            .unwrap_or_else(|| "127.0.0.1:40000".to_owned());
        let reply = h.send_from(builder.body(body).unwrap(), &ip).await;
        for value in reply.headers.get_all(header::SET_COOKIE) {
            let value = value.to_str().unwrap();
            let pair = value.split(';').next().unwrap();
            let (name, v) = pair.split_once('=').unwrap();
            if v.is_empty() || value.contains("Max-Age=0") {
                self.cookies.remove(name);
            } else {
                self.cookies.insert(name.to_owned(), v.to_owned());
            }
        }
        reply
    }

    pub(crate) async fn get(&mut self, h: &Harness, path: &str) -> Reply {
        self.send(h, Request::get(path), Body::empty()).await
    }

    pub(crate) async fn post_form(
        &mut self,
        h: &Harness,
        path: &str,
        fields: &[(&str, &str)],
    ) -> Reply {
        let body = fields
            .iter()
            .map(|(k, v)| format!("{}={}", encode(k), encode(v)))
            .collect::<Vec<_>>()
            .join("&");
        let builder = Request::builder()
            .method(Method::POST)
            .uri(path)
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded");
        self.send(h, builder, Body::from(body)).await
    }

    /// Loads `page` and posts `fields` plus the page's CSRF token to `path`.
    pub(crate) async fn submit(
        &mut self,
        h: &Harness,
        page: &str,
        path: &str,
        fields: &[(&str, &str)],
    ) -> Reply {
        let shown = self.get(h, page).await;
        assert_eq!(shown.status, StatusCode::OK, "{page}: {}", shown.body);
        let csrf = csrf_of(&shown.body);
        let mut all = fields.to_vec();
        all.push(("csrf", &csrf));
        self.post_form(h, path, &all).await
    }

    /// Logs in with email and password (and TOTP when a secret is given).
    pub(crate) async fn login(
        &mut self,
        h: &Harness,
        email: &str,
        totp_secret: Option<&str>,
    ) -> Reply {
        let reply = self
            .submit(
                h,
                "/login",
                "/login",
                &[("email", email), ("password", PASSWORD)],
            )
            .await;
        assert_eq!(reply.status, StatusCode::SEE_OTHER, "{}", reply.body);
        let Some(secret) = totp_secret else {
            return reply;
        };
        assert_eq!(reply.location(), "/login/totp");
        let code = totp_code(secret);
        self.submit(h, "/login/totp", "/login/totp", &[("code", &code)])
            .await
    }
}

/// The value of the first `name="csrf"` hidden field.
pub(crate) fn csrf_of(page: &str) -> String {
    attribute_after(page, "name=\"csrf\" value=\"")
        .unwrap_or_else(|| panic!("no csrf field in {page}"))
}

/// The text after `marker` up to the next `"`.
pub(crate) fn attribute_after(page: &str, marker: &str) -> Option<String> {
    let start = page.find(marker)? + marker.len();
    let end = page[start..].find('"')? + start;
    Some(page[start..end].to_owned())
}

/// Percent-encodes a form value.
pub(crate) fn encode(text: &str) -> String {
    let mut out = String::new();
    for byte in text.bytes() {
        match byte {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                out.push(byte as char)
            }
            _ => out.push_str(&format!("%{byte:02X}")),
        }
    }
    out
}

/// A multipart body: text fields and files `(field, file name, bytes)`.
pub(crate) fn multipart(
    fields: &[(&str, &str)],
    files: &[(&str, &str, &[u8])],
) -> (String, Vec<u8>) {
    let boundary = "----wardtestboundary7MA4YWxkTrZu0gW";
    let mut body = Vec::new();
    for (name, value) in fields {
        body.extend_from_slice(
            format!(
                "--{boundary}\r\nContent-Disposition: form-data; name=\"{name}\"\r\n\r\n{value}\r\n"
            )
            .as_bytes(),
        );
    }
    for (name, file, bytes) in files {
        body.extend_from_slice(
            format!(
                "--{boundary}\r\nContent-Disposition: form-data; name=\"{name}\"; filename=\"{file}\"\r\nContent-Type: application/octet-stream\r\n\r\n"
            )
            .as_bytes(),
        );
        body.extend_from_slice(bytes);
        body.extend_from_slice(b"\r\n");
    }
    body.extend_from_slice(format!("--{boundary}--\r\n").as_bytes());
    (format!("multipart/form-data; boundary={boundary}"), body)
}
