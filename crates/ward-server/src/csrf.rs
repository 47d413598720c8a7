//! CSRF protection of every POST form.
//!
//! A form carries a hidden `csrf` field: the HMAC-SHA-256, under the instance's web key, of the
//! session token (logged in) or of the `ward_csrf` cookie (anonymous forms: the report form,
//! login, setup). Both cookies are HttpOnly and SameSite=Strict, so another site can neither
//! read them nor make the browser send them; a token matching either proves the form came from
//! a page of this instance. Comparison is constant-time. [`CsrfForm`] checks urlencoded forms;
//! multipart handlers call [`CsrfCheck::verify`] with the field they read.

use axum::extract::{FromRequest, FromRequestParts, Request};
use axum::http::request::Parts;
use axum::http::{HeaderMap, HeaderValue, header};
use axum::middleware::Next;
use axum::response::Response;
use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use hmac::{Hmac, Mac as _};
use serde::Deserialize;
use serde::de::DeserializeOwned;
use sha2::Sha256;
use subtle::ConstantTimeEq as _;

use crate::AppState;
use crate::auth::{self, AuthCheck, Caller, SESSION_COOKIE};
use crate::error::WebError;

/// The anonymous forms' cookie.
pub(crate) const CSRF_COOKIE: &str = "ward_csrf";
/// How long it lasts: a reporter may take days over a report.
const ANON_COOKIE_MAX_AGE: i64 = 30 * 24 * 60 * 60;

/// The token to put in a form's `csrf` field for this caller.
pub(crate) fn token(state: &AppState, caller: &Caller) -> String {
    match &caller.session {
        Some(session) => mac(state, "session", &session.token),
        None => mac(state, "anon", &caller.anon_csrf),
    }
}

fn mac(state: &AppState, kind: &str, value: &str) -> String {
    let mut mac = Hmac::<Sha256>::new_from_slice(state.secrets.web.expose())
        .expect("HMAC takes a key of any length");
    mac.update(kind.as_bytes());
    mac.update(b"\0");
    mac.update(value.as_bytes());
    URL_SAFE_NO_PAD.encode(mac.finalize().into_bytes())
}

/// The value of the anonymous `ward_csrf` cookie for this request: the browser's, or the one
/// [`ensure_cookie`] minted when it had none.
pub(crate) fn anon_cookie(parts: &Parts) -> String {
    if let Some(value) = auth::cookie(&parts.headers, CSRF_COOKIE) {
        return value.to_owned();
    }
    parts
        .extensions
        .get::<AnonCookie>()
        .map(|c| c.0.clone())
        .unwrap_or_default()
}

#[derive(Debug, Clone)]
struct AnonCookie(String);

/// Middleware: gives a browser without a `ward_csrf` cookie one (pages only, not `/api/`).
pub(crate) async fn ensure_cookie(
    axum::extract::State(state): axum::extract::State<AppState>,
    mut request: Request,
    next: Next,
) -> Response {
    let minted = if request.uri().path().starts_with("/api/")
        || auth::cookie(request.headers(), CSRF_COOKIE).is_some()
    {
        None
    } else {
        let value = auth::new_token();
        request.extensions_mut().insert(AnonCookie(value.clone()));
        Some(value)
    };
    let mut response = next.run(request).await;
    if let Some(value) = minted {
        let cookie = auth::set_cookie(
            CSRF_COOKIE,
            &value,
            ANON_COOKIE_MAX_AGE,
            state.config.tls.is_some(),
        );
        if let Ok(value) = HeaderValue::from_str(&cookie) {
            response.headers_mut().append(header::SET_COOKIE, value);
        }
    }
    response
}

/// What checking a submitted token needs, taken from the request before its body is read.
#[derive(Debug, Clone)]
pub(crate) struct CsrfCheck {
    state: AppState,
    session: Option<String>,
    anon: Option<String>,
    check: AuthCheck,
}

impl CsrfCheck {
    fn from_headers(state: &AppState, headers: &HeaderMap, check: AuthCheck) -> CsrfCheck {
        CsrfCheck {
            state: state.clone(),
            session: auth::cookie(headers, SESSION_COOKIE).map(str::to_owned),
            anon: auth::cookie(headers, CSRF_COOKIE).map(str::to_owned),
            check,
        }
    }

    /// Checks a submitted token; [`WebError::Forbidden`] when it matches neither cookie.
    pub(crate) fn verify(&self, submitted: &str) -> Result<(), WebError> {
        let submitted = submitted.trim().as_bytes();
        let expected = [
            self.session
                .as_deref()
                .map(|s| mac(&self.state, "session", s)),
            self.anon.as_deref().map(|a| mac(&self.state, "anon", a)),
        ];
        // Both are compared whichever matches, so timing says nothing about which cookie exists.
        let mut ok = subtle::Choice::from(0);
        for token in expected.iter().flatten() {
            ok |= token.as_bytes().ct_eq(submitted);
        }
        if bool::from(ok) {
            self.check.csrf_checked();
            Ok(())
        } else {
            Err(WebError::Forbidden)
        }
    }
}

impl FromRequestParts<AppState> for CsrfCheck {
    type Rejection = WebError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, WebError> {
        let check = parts
            .extensions
            .get::<AuthCheck>()
            .cloned()
            .unwrap_or_default();
        Ok(CsrfCheck::from_headers(state, &parts.headers, check))
    }
}

/// A urlencoded form whose `csrf` field was checked. `T` ignores the `csrf` field (serde
/// ignores unknown fields unless told otherwise).
#[derive(Debug)]
pub(crate) struct CsrfForm<T>(pub(crate) T);

#[derive(Deserialize)]
struct CsrfField {
    #[serde(default)]
    csrf: String,
}

impl<T: DeserializeOwned + Send> FromRequest<AppState> for CsrfForm<T> {
    type Rejection = WebError;

    async fn from_request(request: Request, state: &AppState) -> Result<Self, WebError> {
        let (mut parts, body) = request.into_parts();
        let check = CsrfCheck::from_request_parts(&mut parts, state).await?;
        let is_form = parts
            .headers
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| v.starts_with("application/x-www-form-urlencoded"));
        if !is_form {
            return Err(WebError::UnsupportedMediaType {
                expected: "application/x-www-form-urlencoded",
            });
        }
        let bytes = axum::body::to_bytes(body, usize::MAX)
            .await
            .map_err(|e| body_error(&e))?;
        let csrf: CsrfField = parse_form(&bytes).await?;
        check.verify(&csrf.csrf)?;
        Ok(CsrfForm(parse_form(&bytes).await?))
    }
}

async fn parse_form<T: DeserializeOwned>(bytes: &axum::body::Bytes) -> Result<T, WebError> {
    // POST: for GET, `Form` would read the query string instead of the body.
    let request = Request::builder()
        .method(axum::http::Method::POST)
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .body(axum::body::Body::from(bytes.clone()))
        .map_err(|e| WebError::Internal(e.into()))?;
    let axum::Form(value) = axum::Form::<T>::from_request(request, &())
        .await
        .map_err(|_| {
            WebError::BadRequest("The form is missing fields or has invalid ones.".to_owned())
        })?;
    Ok(value)
}

/// A body that could not be read: too large (the route's limit), or broken off.
pub(crate) fn body_error(error: &axum::Error) -> WebError {
    let mut source: Option<&(dyn std::error::Error + 'static)> = Some(error);
    while let Some(e) = source {
        if e.is::<http_body_util::LengthLimitError>() {
            return WebError::PayloadTooLarge;
        }
        source = e.source();
    }
    WebError::BadRequest("The request body could not be read.".to_owned())
}
