//! One's own account: password, TOTP enrollment, API tokens.
//!
//! An admin or coordinator whose session has not passed TOTP may only enroll (when not
//! enrolled yet): changing the password or creating a token — which counts as having passed
//! TOTP — needs the second factor first, or a stolen password would be enough.

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use jiff::SignedDuration;
use serde::Deserialize;
use ward_desk::access::{Role, TokenScope};
use ward_desk::audit::NewEvent;
use ward_store::{NewApiToken, User};

use crate::auth::{self, Authorized, Caller, TOKEN_PREFIX, perm};
use crate::csrf::CsrfForm;
use crate::error::WebError;
use crate::pages::{self, AccountPage, Chrome, EnrollPage, TokenRow};
use crate::session::start_session;
use crate::{AppState, admin, password, totp};

/// `GET /account`.
pub(crate) async fn page(
    State(state): State<AppState>,
    Authorized { caller, .. }: Authorized<perm::ManageOwnAccount>,
) -> Result<Response, WebError> {
    account_page(&state, &caller, None, Vec::new(), StatusCode::OK).await
}

async fn account_page(
    state: &AppState,
    caller: &Caller,
    new_token: Option<String>,
    errors: Vec<(String, String)>,
    status: StatusCode,
) -> Result<Response, WebError> {
    let user = caller.account()?.clone();
    let id = user.id;
    let tokens = state.db(move |store| store.tokens_of(id)).await?;
    let page = AccountPage {
        chrome: Chrome::new(state, caller, "Your account"),
        name: user.name.clone(),
        email: user.email.clone(),
        role: user.role.as_str(),
        totp_enrolled: user.totp_secret.is_some(),
        may_admin: user.role == Role::Admin,
        tokens: tokens
            .into_iter()
            .map(|t| TokenRow {
                id: t.id,
                name: t.name,
                scopes: t
                    .scopes
                    .iter()
                    .map(|s| scope_name(*s))
                    .collect::<Vec<_>>()
                    .join(", "),
                created: crate::intake::format_time(t.created_at),
                expires: t
                    .expires_at
                    .map(crate::intake::format_time)
                    .unwrap_or_else(|| "never".to_owned()),
            })
            .collect(),
        new_token,
        errors,
    };
    pages::render_status(status, &page)
}

/// The password form.
#[derive(Debug, Deserialize)]
pub(crate) struct PasswordForm {
    #[serde(default)]
    current: String,
    #[serde(default)]
    new: String,
}

/// `POST /account/password`: ends every session of the account and starts a new one here.
pub(crate) async fn password(
    State(state): State<AppState>,
    Authorized { caller, .. }: Authorized<perm::ManageOwnAccount>,
    CsrfForm(form): CsrfForm<PasswordForm>,
) -> Result<Response, WebError> {
    let user = caller.account()?.clone();
    let check = user.password_hash.clone();
    let current = form.current;
    let new = form.new;
    let hashed = tokio::task::spawn_blocking(
        move || -> Result<Result<String, (String, String)>, WebError> {
            if !password::verify(&check, &current) {
                return Ok(Err((
                    "current".to_owned(),
                    "not your current password".to_owned(),
                )));
            }
            if let Err(expected) = password::check_new(&new) {
                return Ok(Err(("new".to_owned(), expected)));
            }
            Ok(Ok(password::hash(&new)?))
        },
    )
    .await
    .map_err(|e| WebError::Internal(anyhow::anyhow!("password task failed: {e}")))??;
    let hash = match hashed {
        Ok(hash) => hash,
        Err(error) => {
            return account_page(
                &state,
                &caller,
                None,
                vec![error],
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await;
        }
    };
    let mut updated = user.clone();
    updated.password_hash = hash;
    let event = NewEvent {
        actor: caller.actor(),
        action: "user.password".to_owned(),
        report: None,
        detail: "{}".to_owned(),
    };
    let id = user.id;
    state
        .db(move |store| {
            store.update_user(&updated, &event)?;
            store.delete_sessions_of(id)
        })
        .await?;
    let passed = caller.session.as_ref().is_some_and(|s| s.second_factor);
    let mut fresh = caller.clone();
    fresh.session = None; // already deleted with the others
    start_session(&state, &fresh, id, passed, "user.login", "/account").await
}

/// `GET /account/totp`: a new secret to enroll (or re-enroll, after passing TOTP).
pub(crate) async fn totp_page(
    State(state): State<AppState>,
    Authorized { caller, .. }: Authorized<perm::EnrollSecondFactor>,
) -> Result<Response, WebError> {
    let user = caller.account()?;
    let secret: [u8; totp::SECRET_BYTES] = rand::random();
    enroll_page(&state, &caller, user, &secret, None, StatusCode::OK)
}

fn enroll_page(
    state: &AppState,
    caller: &Caller,
    user: &User,
    secret: &[u8],
    error: Option<String>,
    status: StatusCode,
) -> Result<Response, WebError> {
    pages::render_status(
        status,
        &EnrollPage {
            chrome: Chrome::new(state, caller, "Second factor"),
            required: user.role.needs_second_factor(),
            base32: totp::base32(secret),
            uri: totp::otpauth_uri(&state.config.instance_name, &user.email, secret),
            pending: totp::encode_pending(secret),
            error,
        },
    )
}

/// The enrollment form: the secret shown, and a code from it.
#[derive(Debug, Deserialize)]
pub(crate) struct EnrollForm {
    #[serde(default)]
    secret: String,
    #[serde(default)]
    code: String,
}

/// `POST /account/totp`: stores the secret once a code from it checks; the session counts as
/// having passed TOTP.
pub(crate) async fn totp_confirm(
    State(state): State<AppState>,
    Authorized { caller, .. }: Authorized<perm::EnrollSecondFactor>,
    CsrfForm(form): CsrfForm<EnrollForm>,
) -> Result<Response, WebError> {
    let user = caller.account()?.clone();
    let secret = totp::decode_pending(&form.secret)
        .ok_or_else(|| WebError::field("secret", "the secret shown on the enrollment page"))?;
    let now = u64::try_from(jiff::Timestamp::now().as_second()).unwrap_or_default();
    let Some(step) = totp::check(&secret, &form.code, now) else {
        return enroll_page(
            &state,
            &caller,
            &user,
            &secret,
            Some(
                "That code does not match; check the clock of your device and try again."
                    .to_owned(),
            ),
            StatusCode::UNPROCESSABLE_ENTITY,
        );
    };
    let id = user.id;
    let actor = caller.actor();
    let state2 = state.clone();
    let session = caller.session.as_ref().map(|s| s.hash);
    tokio::task::spawn_blocking(move || -> anyhow::Result<()> {
        admin::store_totp(&state2, &actor, id, &secret)?;
        state2
            .store
            .advance_totp_step(id, i64::try_from(step).unwrap_or(i64::MAX))?;
        if let Some(hash) = session {
            state2.store.set_second_factor(&hash)?;
        }
        Ok(())
    })
    .await
    .map_err(|e| WebError::Internal(anyhow::anyhow!("enrollment task failed: {e}")))??;
    Ok(Redirect::to("/account").into_response())
}

/// The new-token form: checkboxes per scope, days until expiry (empty: never).
#[derive(Debug, Deserialize)]
pub(crate) struct TokenForm {
    #[serde(default)]
    name: String,
    #[serde(default)]
    scope_read: Option<String>,
    #[serde(default)]
    scope_write: Option<String>,
    #[serde(default)]
    scope_submit: Option<String>,
    #[serde(default)]
    scope_admin: Option<String>,
    #[serde(default)]
    expires_days: String,
}

/// `POST /account/tokens`: the token is shown once, on the page this answers with.
pub(crate) async fn create_token(
    State(state): State<AppState>,
    Authorized { caller, .. }: Authorized<perm::ManageOwnAccount>,
    CsrfForm(form): CsrfForm<TokenForm>,
) -> Result<Response, WebError> {
    let user = caller.account()?.clone();
    let mut errors = Vec::new();
    let name = form.name.trim().to_owned();
    if name.is_empty() || name.chars().count() > 100 {
        errors.push((
            "name".to_owned(),
            "a label of 1 to 100 characters".to_owned(),
        ));
    }
    let mut scopes = Vec::new();
    for (on, scope) in [
        (&form.scope_read, TokenScope::Read),
        (&form.scope_write, TokenScope::Write),
        (&form.scope_submit, TokenScope::Submit),
        (&form.scope_admin, TokenScope::Admin),
    ] {
        if on.is_some() {
            scopes.push(scope);
        }
    }
    if scopes.is_empty() {
        errors.push(("scopes".to_owned(), "at least one scope".to_owned()));
    }
    if scopes.contains(&TokenScope::Admin) && user.role != Role::Admin {
        errors.push((
            "scopes".to_owned(),
            "the admin scope is for admins".to_owned(),
        ));
    }
    let expires_at = match form.expires_days.trim() {
        "" => None,
        days => match days.parse::<i64>() {
            Ok(days @ 1..=3650) => state
                .now()
                .checked_add(SignedDuration::from_hours(days * 24))
                .ok(),
            _ => {
                errors.push((
                    "expires_days".to_owned(),
                    "a number of days from 1 to 3650, or empty".to_owned(),
                ));
                None
            }
        },
    };
    if !errors.is_empty() {
        return account_page(
            &state,
            &caller,
            None,
            errors,
            StatusCode::UNPROCESSABLE_ENTITY,
        )
        .await;
    }
    let token = format!(
        "{TOKEN_PREFIX}{}",
        URL_SAFE_NO_PAD.encode(rand::random::<[u8; 32]>())
    );
    let new = NewApiToken {
        user: user.id,
        name,
        token_hash: auth::hash_token(&token),
        scopes: scopes.clone(),
        expires_at,
    };
    let event = NewEvent {
        actor: caller.actor(),
        action: "token.create".to_owned(),
        report: None,
        detail: serde_json::json!({ "scopes": scopes }).to_string(),
    };
    state
        .db(move |store| store.create_token(&new, &event))
        .await?;
    account_page(&state, &caller, Some(token), Vec::new(), StatusCode::OK).await
}

/// `POST /account/tokens/{id}/delete`.
pub(crate) async fn delete_token(
    State(state): State<AppState>,
    Authorized { caller, .. }: Authorized<perm::ManageOwnAccount>,
    Path(id): Path<i64>,
    CsrfForm(_): CsrfForm<serde::de::IgnoredAny>,
) -> Result<Response, WebError> {
    let user = caller.account()?.id;
    let event = NewEvent {
        actor: caller.actor(),
        action: "token.delete".to_owned(),
        report: None,
        detail: serde_json::json!({ "token": id }).to_string(),
    };
    if !state
        .db(move |store| store.delete_token(user, id, &event))
        .await?
    {
        return Err(WebError::NotFound);
    }
    Ok(Redirect::to("/account").into_response())
}

/// A scope's name as shown.
pub(crate) fn scope_name(scope: TokenScope) -> &'static str {
    match scope {
        TokenScope::Read => "read",
        TokenScope::Write => "write",
        TokenScope::Submit => "submit",
        TokenScope::Admin => "admin",
    }
}
