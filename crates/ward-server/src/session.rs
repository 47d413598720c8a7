//! Logging in and out: password (argon2id, throttled per account and per IP), the TOTP second
//! factor (admins and coordinators), sessions, and the one-time setup link for the first admin.
//!
//! A session is a random 32-byte token in the `ward_session` cookie (HttpOnly, SameSite=Strict,
//! Path=/, Secure under TLS); the store keeps its SHA-256. Logging in always starts a new
//! session (no fixation), and ends the one the browser had.

use std::time::Instant;

use axum::extract::{Path, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use jiff::{SignedDuration, Timestamp};
use serde::Deserialize;
use ward_desk::UserId;
use ward_desk::access::Role;
use ward_desk::audit::NewEvent;
use ward_store::Session;

use crate::auth::{self, Authorized, Caller, SESSION_COOKIE, perm};
use crate::csrf::CsrfForm;
use crate::error::WebError;
use crate::pages::{self, Chrome, LoginPage, SetupPage, TotpPage};
use crate::{AppState, password, totp};

/// How long a session lasts.
pub(crate) const SESSION_LIFETIME: SignedDuration = SignedDuration::from_hours(12);

/// `GET /login`.
pub(crate) async fn login_page(
    State(state): State<AppState>,
    Authorized { caller, .. }: Authorized<perm::ViewPublic>,
) -> Result<Response, WebError> {
    pages::render(&LoginPage {
        chrome: Chrome::new(&state, &caller, "Log in"),
        email: String::new(),
        error: None,
    })
}

/// The login form.
#[derive(Debug, Deserialize)]
pub(crate) struct LoginForm {
    #[serde(default)]
    email: String,
    #[serde(default)]
    password: String,
}

/// `POST /login`.
pub(crate) async fn login(
    State(state): State<AppState>,
    Authorized { caller, .. }: Authorized<perm::ViewPublic>,
    CsrfForm(form): CsrfForm<LoginForm>,
) -> Result<Response, WebError> {
    let email = form.email.trim().to_lowercase();
    let keys = [format!("ip:{}", caller.ip), format!("acct:{email}")];
    throttled(&state, &keys)?;
    let lookup = email.clone();
    let user = state
        .db(move |store| store.user_by_email(&lookup))
        .await?
        .filter(|u| !u.disabled);
    let password = form.password;
    let phc = user.as_ref().map(|u| u.password_hash.clone());
    let ok = tokio::task::spawn_blocking(move || match phc {
        Some(phc) => password::verify(&phc, &password),
        None => {
            password::verify_dummy(&password);
            false
        }
    })
    .await
    .map_err(|e| WebError::Internal(anyhow::anyhow!("password check failed: {e}")))?;
    let Some(user) = user.filter(|_| ok) else {
        let now = Instant::now();
        for key in &keys {
            state.limits.login.failed(key, now);
        }
        let page = LoginPage {
            chrome: Chrome::new(&state, &caller, "Log in"),
            email: form.email,
            error: Some("Wrong email or password.".to_owned()),
        };
        return pages::render_status(StatusCode::UNAUTHORIZED, &page);
    };
    state.limits.login.succeeded(&keys[1]);
    let next = if !user.role.needs_second_factor() {
        "/inbox"
    } else if user.totp_secret.is_some() {
        "/login/totp"
    } else {
        "/account/totp"
    };
    start_session(&state, &caller, user.id, false, "user.login", next).await
}

/// Ends the caller's session (if any), starts a new one for `user`, records `action`, and
/// redirects to `next` with the new cookie.
pub(crate) async fn start_session(
    state: &AppState,
    caller: &Caller,
    user: UserId,
    second_factor: bool,
    action: &str,
    next: &str,
) -> Result<Response, WebError> {
    let token = auth::new_token();
    let now = state.now();
    let session = Session {
        token_hash: auth::hash_token(&token),
        user,
        second_factor,
        created_at: now,
        expires_at: now
            .checked_add(SESSION_LIFETIME)
            .map_err(|e| WebError::Internal(e.into()))?,
    };
    let old = caller.session.as_ref().map(|s| s.hash);
    let event = NewEvent {
        actor: format!("user:{user}"),
        action: action.to_owned(),
        report: None,
        detail: "{}".to_owned(),
    };
    state
        .db(move |store| {
            if let Some(old) = old {
                store.delete_session(&old)?;
            }
            store.create_session(&session)?;
            store.append_event(&event)?;
            Ok(())
        })
        .await?;
    let mut response = Redirect::to(next).into_response();
    set_session_cookie(state, &mut response, &token, SESSION_LIFETIME.as_secs());
    Ok(response)
}

fn set_session_cookie(state: &AppState, response: &mut Response, token: &str, max_age: i64) {
    let cookie = auth::set_cookie(SESSION_COOKIE, token, max_age, state.config.tls.is_some());
    if let Ok(value) = HeaderValue::from_str(&cookie) {
        response.headers_mut().append(header::SET_COOKIE, value);
    }
}

/// [`WebError::TooManyRequests`] while any of `keys` must wait.
fn throttled(state: &AppState, keys: &[String]) -> Result<(), WebError> {
    let now = Instant::now();
    let wait = keys
        .iter()
        .filter_map(|key| state.limits.login.wait(key, now))
        .max();
    match wait {
        Some(retry_after) => Err(WebError::TooManyRequests { retry_after }),
        None => Ok(()),
    }
}

/// `GET /login/totp`.
pub(crate) async fn totp_page(
    State(state): State<AppState>,
    Authorized { caller, .. }: Authorized<perm::ViewPublic>,
) -> Result<Response, WebError> {
    let (Some(user), Some(session)) = (&caller.user, &caller.session) else {
        return Ok(Redirect::to("/login").into_response());
    };
    if session.second_factor {
        return Ok(Redirect::to("/inbox").into_response());
    }
    if user.totp_secret.is_none() {
        return Ok(Redirect::to("/account/totp").into_response());
    }
    pages::render(&TotpPage {
        chrome: Chrome::new(&state, &caller, "Second factor"),
        error: None,
    })
}

/// The second-factor form.
#[derive(Debug, Deserialize)]
pub(crate) struct CodeForm {
    #[serde(default)]
    code: String,
}

/// `POST /login/totp`.
pub(crate) async fn totp(
    State(state): State<AppState>,
    Authorized { caller, .. }: Authorized<perm::ViewPublic>,
    CsrfForm(form): CsrfForm<CodeForm>,
) -> Result<Response, WebError> {
    let (Some(user), Some(session)) = (caller.user.clone(), caller.session.clone()) else {
        return Err(WebError::LoginRequired);
    };
    let keys = [format!("ip:{}", caller.ip), format!("totp:{}", user.id)];
    throttled(&state, &keys)?;
    let secret = totp::secret_of(&state.keyring, &user)?.ok_or(WebError::BadRequest(
        "This account has no second factor yet.".to_owned(),
    ))?;
    if !verify_code(&state, user.id, &secret, &form.code).await? {
        let now = Instant::now();
        for key in &keys {
            state.limits.login.failed(key, now);
        }
        let page = TotpPage {
            chrome: Chrome::new(&state, &caller, "Second factor"),
            error: Some("That code is not valid (or was already used).".to_owned()),
        };
        return pages::render_status(StatusCode::UNAUTHORIZED, &page);
    }
    state.limits.login.succeeded(&keys[1]);
    let hash = session.hash;
    let event = NewEvent {
        actor: format!("user:{}", user.id),
        action: "user.login_totp".to_owned(),
        report: None,
        detail: "{}".to_owned(),
    };
    state
        .db(move |store| {
            store.set_second_factor(&hash)?;
            store.append_event(&event)?;
            Ok(())
        })
        .await?;
    Ok(Redirect::to("/inbox").into_response())
}

/// Checks a TOTP code against `secret` at the wall clock (authenticator apps use it), and
/// records its step so it cannot be used again.
pub(crate) async fn verify_code(
    state: &AppState,
    user: UserId,
    secret: &[u8],
    code: &str,
) -> Result<bool, WebError> {
    let now = u64::try_from(Timestamp::now().as_second()).unwrap_or_default();
    let Some(step) = totp::check(secret, code, now) else {
        return Ok(false);
    };
    let step = i64::try_from(step).unwrap_or(i64::MAX);
    state
        .db(move |store| store.advance_totp_step(user, step))
        .await
}

/// `POST /logout`.
pub(crate) async fn logout(
    State(state): State<AppState>,
    Authorized { caller, .. }: Authorized<perm::ViewPublic>,
    CsrfForm(_): CsrfForm<serde::de::IgnoredAny>,
) -> Result<Response, WebError> {
    if let Some(session) = &caller.session {
        let hash = session.hash;
        let event = NewEvent {
            actor: caller.actor(),
            action: "user.logout".to_owned(),
            report: None,
            detail: "{}".to_owned(),
        };
        state
            .db(move |store| {
                store.delete_session(&hash)?;
                store.append_event(&event)?;
                Ok(())
            })
            .await?;
    }
    let mut response = Redirect::to("/").into_response();
    set_session_cookie(&state, &mut response, "", 0);
    Ok(response)
}

/// `GET /setup/{token}`: the first admin's form (a 404 once an account exists).
pub(crate) async fn setup_page(
    State(state): State<AppState>,
    Authorized { caller, .. }: Authorized<perm::ViewPublic>,
    Path(token): Path<String>,
) -> Result<Response, WebError> {
    let hash = crate::auth::hash_token(&token);
    let now = state.now();
    let live = state
        .db(move |store| Ok(store.count_users()? == 0 && store.setup_link_live(&hash, now)?))
        .await?;
    if !live {
        return Err(WebError::NotFound);
    }
    pages::render(&SetupPage {
        chrome: Chrome::new(&state, &caller, "Set up"),
        action: format!("/setup/{token}"),
        email: String::new(),
        name: String::new(),
        errors: Vec::new(),
    })
}

/// The first admin's form.
#[derive(Debug, Deserialize)]
pub(crate) struct SetupForm {
    #[serde(default)]
    email: String,
    #[serde(default)]
    name: String,
    #[serde(default)]
    password: String,
}

/// `POST /setup/{token}`: creates the first admin (the link works once) and logs them in, on
/// the way to TOTP enrollment.
pub(crate) async fn setup(
    State(state): State<AppState>,
    Authorized { caller, .. }: Authorized<perm::ViewPublic>,
    Path(token): Path<String>,
    CsrfForm(form): CsrfForm<SetupForm>,
) -> Result<Response, WebError> {
    let mut errors = Vec::new();
    if !crate::admin::valid_email(form.email.trim()) {
        errors.push(("email".to_owned(), "an email address".to_owned()));
    }
    if form.name.trim().is_empty() {
        errors.push(("name".to_owned(), "required".to_owned()));
    }
    if let Err(expected) = password::check_new(&form.password) {
        errors.push(("password".to_owned(), expected));
    }
    if !errors.is_empty() {
        let page = SetupPage {
            chrome: Chrome::new(&state, &caller, "Set up"),
            action: format!("/setup/{token}"),
            email: form.email,
            name: form.name,
            errors,
        };
        return pages::render_status(StatusCode::UNPROCESSABLE_ENTITY, &page);
    }
    let hash = auth::hash_token(&token);
    let now = state.now();
    let state2 = state.clone();
    let created = tokio::task::spawn_blocking(move || -> anyhow::Result<Option<UserId>> {
        if state2.store.count_users()? > 0 || !state2.store.consume_setup_link(&hash, now)? {
            return Ok(None);
        }
        let id = crate::admin::create_user_as(
            &state2,
            "setup",
            &form.email,
            &form.name,
            Role::Admin,
            &form.password,
        )?;
        Ok(Some(id))
    })
    .await
    .map_err(|e| WebError::Internal(anyhow::anyhow!("setup task failed: {e}")))??;
    let Some(id) = created else {
        return Err(WebError::NotFound);
    };
    start_session(&state, &caller, id, false, "user.login", "/account/totp").await
}
