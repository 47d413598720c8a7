//! A small HTTP client for the suites: a cookie jar, an optional Bearer token, forms (with
//! the page's CSRF token), multipart and JSON bodies; over a real socket (the server under
//! test listening on loopback) or `oneshot` on the router.

use std::collections::BTreeMap;
use std::net::SocketAddr;

use axum::body::{Body, Bytes};
use axum::http::{HeaderMap, HeaderValue, Method, Request, StatusCode, header};
use http_body_util::{BodyExt, Full};
use hyper_util::client::legacy::Client as HyperClient;
use hyper_util::client::legacy::connect::HttpConnector;
use hyper_util::rt::TokioExecutor;
use tower::ServiceExt;

use super::html;

/// Where requests go.
#[derive(Clone)]
pub(crate) enum Transport {
    /// A server listening on a socket.
    Socket(SocketAddr, Box<HyperClient<HttpConnector, Full<Bytes>>>),
    /// The router itself, one `oneshot` per request, seen as coming from 127.0.0.1.
    Router(axum::Router),
}

/// A user agent: its cookies and, for the API, its token.
#[derive(Clone)]
pub(crate) struct Client {
    transport: Transport,
    cookies: BTreeMap<String, String>,
    /// Sent as `Authorization: Bearer ...` when set.
    pub(crate) bearer: Option<String>,
}

/// A response, read whole.
#[derive(Debug, Clone)]
pub(crate) struct Response {
    pub(crate) status: StatusCode,
    pub(crate) headers: HeaderMap,
    pub(crate) body: Vec<u8>,
}

impl Response {
    /// The body as text (lossy).
    pub(crate) fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }

    /// The `Location` header.
    pub(crate) fn location(&self) -> Option<&str> {
        self.headers
            .get(header::LOCATION)
            .and_then(|v| v.to_str().ok())
    }

    /// The body as JSON.
    pub(crate) fn json(&self) -> serde_json::Value {
        serde_json::from_slice(&self.body).unwrap_or_else(|e| {
            panic!(
                "{} is not JSON ({e}): {}",
                self.status,
                self.text().chars().take(500).collect::<String>()
            )
        })
    }

    /// Fails with the status and the start of the body unless the status is `want`.
    #[track_caller]
    pub(crate) fn expect(&self, want: u16, what: &str) -> &Self {
        assert_eq!(
            self.status.as_u16(),
            want,
            "{what}: got {} {}; body: {}",
            self.status,
            self.location().unwrap_or(""),
            self.text().chars().take(800).collect::<String>()
        );
        self
    }
}

/// A file to upload.
pub(crate) struct Upload<'a> {
    pub(crate) field: &'a str,
    pub(crate) file_name: &'a str,
    pub(crate) media_type: &'a str,
    pub(crate) bytes: &'a [u8],
}

impl Client {
    /// A client of the server at `addr`.
    pub(crate) fn socket(addr: SocketAddr) -> Client {
        let hyper = HyperClient::builder(TokioExecutor::new()).build_http();
        Client::new(Transport::Socket(addr, Box::new(hyper)))
    }

    /// A client of `router`, without a socket.
    pub(crate) fn router(router: axum::Router) -> Client {
        Client::new(Transport::Router(router))
    }

    fn new(transport: Transport) -> Client {
        Client {
            transport,
            cookies: BTreeMap::new(),
            bearer: None,
        }
    }

    /// A client on the same transport with no cookies and no token.
    pub(crate) fn fresh(&self) -> Client {
        Client::new(self.transport.clone())
    }

    /// The value of a cookie the server set.
    pub(crate) fn cookie(&self, name: &str) -> Option<&str> {
        self.cookies.get(name).map(String::as_str)
    }

    /// Sends a request, with the jar's cookies and the token; keeps the cookies it sets.
    pub(crate) async fn send(
        &mut self,
        method: Method,
        path: &str,
        content_type: Option<&str>,
        body: Vec<u8>,
    ) -> Response {
        let mut request = Request::builder().method(method).uri(path);
        if let Some(content_type) = content_type {
            request = request.header(header::CONTENT_TYPE, content_type);
        }
        if !self.cookies.is_empty() {
            let jar: Vec<String> = self
                .cookies
                .iter()
                .map(|(name, value)| format!("{name}={value}"))
                .collect();
            request = request.header(header::COOKIE, jar.join("; "));
        }
        if let Some(token) = &self.bearer {
            request = request.header(header::AUTHORIZATION, format!("Bearer {token}"));
        }
        let response = match &self.transport {
            Transport::Socket(addr, hyper) => {
                let request = request
                    .uri(format!("http://{addr}{path}"))
                    .header(header::HOST, addr.to_string())
                    .body(Full::new(Bytes::from(body)))
                    .expect("a valid request");
                let response = hyper
                    .request(request)
                    .await
                    .unwrap_or_else(|e| panic!("{path}: {e}"));
                let (parts, body) = response.into_parts();
                let body = body.collect().await.expect("the body is read").to_bytes();
                (parts.status, parts.headers, body.to_vec())
            }
            Transport::Router(router) => {
                let mut request = request
                    .header(header::HOST, "127.0.0.1")
                    .body(Body::from(body))
                    .expect("a valid request");
                request
                    .extensions_mut()
                    .insert(axum::extract::ConnectInfo(SocketAddr::from((
                        [127, 0, 0, 1],
                        40000,
                    ))));
                let response = router
                    .clone()
                    .oneshot(request)
                    .await
                    .unwrap_or_else(|e| match e {});
                let (parts, body) = response.into_parts();
                let body = body.collect().await.expect("the body is read").to_bytes();
                (parts.status, parts.headers, body.to_vec())
            }
        };
        let (status, headers, body) = response;
        for set in headers.get_all(header::SET_COOKIE) {
            self.keep_cookie(set);
        }
        Response {
            status,
            headers,
            body,
        }
    }

    fn keep_cookie(&mut self, set: &HeaderValue) {
        let Ok(set) = set.to_str() else { return };
        let Some((name, rest)) = set.split_once('=') else {
            return;
        };
        let value = rest.split(';').next().unwrap_or("").trim();
        let expired = set.split(';').any(|attribute| {
            let attribute = attribute.trim().to_ascii_lowercase();
            attribute == "max-age=0" || attribute.starts_with("max-age=-")
        });
        if expired || value.is_empty() {
            self.cookies.remove(name.trim());
        } else {
            self.cookies
                .insert(name.trim().to_owned(), value.to_owned());
        }
    }

    /// `GET path`.
    pub(crate) async fn get(&mut self, path: &str) -> Response {
        self.send(Method::GET, path, None, Vec::new()).await
    }

    /// `POST path` with a URL-encoded form.
    pub(crate) async fn post_form(&mut self, path: &str, fields: &[(&str, &str)]) -> Response {
        self.send(
            Method::POST,
            path,
            Some("application/x-www-form-urlencoded"),
            urlencode(fields).into_bytes(),
        )
        .await
    }

    /// `POST path` with a JSON body.
    pub(crate) async fn post_json(&mut self, path: &str, json: &serde_json::Value) -> Response {
        self.send(
            Method::POST,
            path,
            Some("application/json"),
            json.to_string().into_bytes(),
        )
        .await
    }

    /// `POST path` with a `multipart/form-data` body.
    pub(crate) async fn post_multipart(
        &mut self,
        path: &str,
        fields: &[(&str, &str)],
        files: &[Upload<'_>],
    ) -> Response {
        let (content_type, body) = multipart(fields, files);
        self.send(Method::POST, path, Some(&content_type), body)
            .await
    }

    /// Opens `page`, takes the CSRF token of its form, and posts `fields` with it to `action`
    /// (URL-encoded).
    pub(crate) async fn submit(
        &mut self,
        page: &str,
        action: &str,
        fields: &[(&str, &str)],
    ) -> Response {
        let csrf = self.csrf(page).await;
        let mut with_csrf = fields.to_vec();
        with_csrf.push(("csrf", &csrf));
        self.post_form(action, &with_csrf).await
    }

    /// The CSRF token of the first form on `page`.
    pub(crate) async fn csrf(&mut self, page: &str) -> String {
        let response = self.get(page).await;
        response.expect(200, &format!("GET {page} for its CSRF token"));
        html::csrf(&response.text())
            .unwrap_or_else(|| panic!("{page} has no form with a csrf field"))
    }
}

/// `application/x-www-form-urlencoded`.
pub(crate) fn urlencode(fields: &[(&str, &str)]) -> String {
    fields
        .iter()
        .map(|(name, value)| format!("{}={}", encode_component(name), encode_component(value)))
        .collect::<Vec<_>>()
        .join("&")
}

fn encode_component(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for byte in text.bytes() {
        match byte {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'*' | b'-' | b'.' | b'_' => {
                out.push(char::from(byte));
            }
            b' ' => out.push('+'),
            _ => out.push_str(&format!("%{byte:02X}")),
        }
    }
    out
}

/// A `multipart/form-data` body and its content type.
pub(crate) fn multipart(fields: &[(&str, &str)], files: &[Upload<'_>]) -> (String, Vec<u8>) {
    let boundary = format!("----ward-test-{:016x}", rand::random::<u64>());
    let mut body = Vec::new();
    for (name, value) in fields {
        body.extend_from_slice(
            format!(
                "--{boundary}\r\nContent-Disposition: form-data; name=\"{name}\"\r\n\r\n{value}\r\n"
            )
            .as_bytes(),
        );
    }
    for file in files {
        body.extend_from_slice(
            format!(
                "--{boundary}\r\nContent-Disposition: form-data; name=\"{}\"; filename=\"{}\"\r\nContent-Type: {}\r\n\r\n",
                file.field, file.file_name, file.media_type
            )
            .as_bytes(),
        );
        body.extend_from_slice(file.bytes);
        body.extend_from_slice(b"\r\n");
    }
    body.extend_from_slice(format!("--{boundary}--\r\n").as_bytes());
    (format!("multipart/form-data; boundary={boundary}"), body)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn forms_are_encoded_like_browsers_do() {
        assert_eq!(
            urlencode(&[("a b", "c&d=e"), ("x", "é~")]),
            "a+b=c%26d%3De&x=%C3%A9%7E"
        );
    }
}
