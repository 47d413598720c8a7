//! The admin's pages: accounts (create with a role and an initial password, change the role,
//! disable), the packages-in-scope table, the audit log.

use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;
use ward_desk::UserId;
use ward_desk::access::Role;
use ward_desk::audit::NewEvent;

use crate::auth::{Authorized, Caller, perm};
use crate::csrf::CsrfForm;
use crate::error::WebError;
use crate::pages::{self, AuditPage, AuditRow, Chrome, ScopePage, ScopeRow, UserRow, UsersPage};
use crate::{AppState, admin, password};

/// Roles an admin can give, with their names.
const ROLES: [(&str, Role); 5] = [
    ("admin", Role::Admin),
    ("coordinator", Role::Coordinator),
    ("maintainer", Role::Maintainer),
    ("reporter", Role::Reporter),
    ("party", Role::Party),
];

fn parse_role(name: &str) -> Option<Role> {
    ROLES
        .iter()
        .find(|(n, _)| *n == name.trim())
        .map(|(_, r)| *r)
}

/// `GET /admin/users`.
pub(crate) async fn users(
    State(state): State<AppState>,
    Authorized { caller, .. }: Authorized<perm::ManageUsers>,
) -> Result<Response, WebError> {
    users_page(&state, &caller, Vec::new(), StatusCode::OK).await
}

async fn users_page(
    state: &AppState,
    caller: &Caller,
    errors: Vec<(String, String)>,
    status: StatusCode,
) -> Result<Response, WebError> {
    let users = state.db(|store| store.users()).await?;
    let page = UsersPage {
        chrome: Chrome::new(state, caller, "Accounts"),
        users: users
            .into_iter()
            .map(|u| UserRow {
                id: u.id.0,
                email: u.email,
                name: u.name,
                role: u.role.as_str(),
                totp: u.totp_secret.is_some(),
                disabled: u.disabled,
            })
            .collect(),
        roles: ROLES.iter().map(|(n, _)| *n).collect(),
        errors,
    };
    pages::render_status(status, &page)
}

/// The new-account form.
#[derive(Debug, Deserialize)]
pub(crate) struct NewUserForm {
    #[serde(default)]
    email: String,
    #[serde(default)]
    name: String,
    #[serde(default)]
    role: String,
    #[serde(default)]
    password: String,
}

/// `POST /admin/users`.
pub(crate) async fn create_user(
    State(state): State<AppState>,
    Authorized { caller, .. }: Authorized<perm::ManageUsers>,
    CsrfForm(form): CsrfForm<NewUserForm>,
) -> Result<Response, WebError> {
    let mut errors = Vec::new();
    if !admin::valid_email(form.email.trim()) {
        errors.push(("email".to_owned(), "an email address".to_owned()));
    }
    if form.name.trim().is_empty() {
        errors.push(("name".to_owned(), "required".to_owned()));
    }
    let role = parse_role(&form.role);
    if role.is_none() {
        errors.push((
            "role".to_owned(),
            "one of admin, coordinator, maintainer, reporter, party".to_owned(),
        ));
    }
    if let Err(expected) = password::check_new(&form.password) {
        errors.push(("password".to_owned(), expected));
    }
    let (Some(role), true) = (role, errors.is_empty()) else {
        return users_page(&state, &caller, errors, StatusCode::UNPROCESSABLE_ENTITY).await;
    };
    let actor = caller.actor();
    let state2 = state.clone();
    let created = tokio::task::spawn_blocking(move || {
        admin::create_user_as(
            &state2,
            &actor,
            &form.email,
            &form.name,
            role,
            &form.password,
        )
    })
    .await
    .map_err(|e| WebError::Internal(anyhow::anyhow!("account task failed: {e}")))?;
    match created {
        Ok(_) => Ok(Redirect::to("/admin/users").into_response()),
        Err(error) => match error.downcast::<ward_store::Error>() {
            Ok(ward_store::Error::Duplicate { .. }) => {
                let errors = vec![("email".to_owned(), "already has an account".to_owned())];
                users_page(&state, &caller, errors, StatusCode::CONFLICT).await
            }
            Ok(other) => Err(other.into()),
            Err(other) => Err(WebError::Internal(other)),
        },
    }
}

/// The account-change form.
#[derive(Debug, Deserialize)]
pub(crate) struct UpdateUserForm {
    #[serde(default)]
    role: String,
    #[serde(default)]
    disabled: Option<String>,
}

/// `POST /admin/users/{id}`: role and disabled flag. Changing either ends the account's
/// sessions. The last enabled admin cannot be demoted or disabled.
pub(crate) async fn update_user(
    State(state): State<AppState>,
    Authorized { caller, .. }: Authorized<perm::ManageUsers>,
    Path(id): Path<i64>,
    CsrfForm(form): CsrfForm<UpdateUserForm>,
) -> Result<Response, WebError> {
    let role = parse_role(&form.role).ok_or_else(|| {
        WebError::field(
            "role",
            "one of admin, coordinator, maintainer, reporter, party",
        )
    })?;
    let disabled = form.disabled.is_some();
    let id = UserId(id);
    let users = state.db(|store| store.users()).await?;
    let mut user = users
        .iter()
        .find(|u| u.id == id)
        .cloned()
        .ok_or(WebError::NotFound)?;
    let other_admins = users
        .iter()
        .filter(|u| u.id != id && u.role == Role::Admin && !u.disabled)
        .count();
    if user.role == Role::Admin && (role != Role::Admin || disabled) && other_admins == 0 {
        return users_page(
            &state,
            &caller,
            vec![(
                "role".to_owned(),
                "the last admin stays an enabled admin".to_owned(),
            )],
            StatusCode::UNPROCESSABLE_ENTITY,
        )
        .await;
    }
    let changed = user.role != role || user.disabled != disabled;
    user.role = role;
    user.disabled = disabled;
    let event = NewEvent {
        actor: caller.actor(),
        action: "user.update".to_owned(),
        report: None,
        detail: serde_json::json!({ "user": id, "role": role, "disabled": disabled }).to_string(),
    };
    state
        .db(move |store| {
            store.update_user(&user, &event)?;
            if changed {
                store.delete_sessions_of(id)?;
            }
            Ok(())
        })
        .await?;
    Ok(Redirect::to("/admin/users").into_response())
}

/// `GET /admin/scope`.
pub(crate) async fn scope(
    State(state): State<AppState>,
    Authorized { caller, .. }: Authorized<perm::ManageScope>,
) -> Result<Response, WebError> {
    scope_page(&state, &caller, Vec::new(), StatusCode::OK).await
}

async fn scope_page(
    state: &AppState,
    caller: &Caller,
    errors: Vec<(String, String)>,
    status: StatusCode,
) -> Result<Response, WebError> {
    let (scope, users) = state
        .db(|store| Ok((store.scope()?, store.users()?)))
        .await?;
    let name_of = |id: UserId| {
        users
            .iter()
            .find(|u| u.id == id)
            .map(|u| format!("{} <{}>", u.name, u.email))
            .unwrap_or_else(|| format!("user {id}"))
    };
    let page = ScopePage {
        chrome: Chrome::new(state, caller, "Packages in scope"),
        rows: scope
            .iter()
            .map(|e| ScopeRow {
                id: e.id,
                ecosystem: e.ecosystem.clone(),
                package: e.package.clone(),
                maintainer: name_of(e.maintainer),
            })
            .collect(),
        maintainers: users
            .iter()
            .filter(|u| u.role == Role::Maintainer && !u.disabled)
            .map(|u| (u.id.0, format!("{} <{}>", u.name, u.email)))
            .collect(),
        errors,
    };
    pages::render_status(status, &page)
}

/// The add-to-scope form.
#[derive(Debug, Deserialize)]
pub(crate) struct ScopeForm {
    #[serde(default)]
    ecosystem: String,
    #[serde(default)]
    package: String,
    #[serde(default)]
    maintainer: String,
}

/// `POST /admin/scope`.
pub(crate) async fn add_scope(
    State(state): State<AppState>,
    Authorized { caller, .. }: Authorized<perm::ManageScope>,
    CsrfForm(form): CsrfForm<ScopeForm>,
) -> Result<Response, WebError> {
    let ecosystem = form.ecosystem.trim().to_owned();
    let package = form.package.trim().to_owned();
    let mut errors = Vec::new();
    if ecosystem.is_empty() || ecosystem.len() > 100 {
        errors.push((
            "ecosystem".to_owned(),
            "an OSV ecosystem name (npm, PyPI, crates.io, ...)".to_owned(),
        ));
    }
    if package.is_empty() || package.len() > 300 {
        errors.push(("package".to_owned(), "a package name".to_owned()));
    }
    let users = state.db(|store| store.users()).await?;
    let maintainer = form
        .maintainer
        .trim()
        .parse::<i64>()
        .ok()
        .map(UserId)
        .filter(|id| {
            users
                .iter()
                .any(|u| u.id == *id && u.role == Role::Maintainer)
        });
    if maintainer.is_none() {
        errors.push((
            "maintainer".to_owned(),
            "one of the maintainers' accounts".to_owned(),
        ));
    }
    let (Some(maintainer), true) = (maintainer, errors.is_empty()) else {
        return scope_page(&state, &caller, errors, StatusCode::UNPROCESSABLE_ENTITY).await;
    };
    let event = NewEvent {
        actor: caller.actor(),
        action: "scope.add".to_owned(),
        report: None,
        detail: serde_json::json!({ "ecosystem": ecosystem, "package": package, "maintainer": maintainer })
            .to_string(),
    };
    state
        .db(move |store| store.add_scope(&ecosystem, &package, maintainer, &event))
        .await?;
    Ok(Redirect::to("/admin/scope").into_response())
}

/// `POST /admin/scope/{id}/delete`.
pub(crate) async fn delete_scope(
    State(state): State<AppState>,
    Authorized { caller, .. }: Authorized<perm::ManageScope>,
    Path(id): Path<i64>,
    CsrfForm(_): CsrfForm<serde::de::IgnoredAny>,
) -> Result<Response, WebError> {
    let event = NewEvent {
        actor: caller.actor(),
        action: "scope.remove".to_owned(),
        report: None,
        detail: serde_json::json!({ "scope": id }).to_string(),
    };
    if !state
        .db(move |store| store.remove_scope(id, &event))
        .await?
    {
        return Err(WebError::NotFound);
    }
    Ok(Redirect::to("/admin/scope").into_response())
}

/// Which page of the audit log.
#[derive(Debug, Deserialize)]
pub(crate) struct AuditQuery {
    #[serde(default)]
    after: i64,
}

/// Events per page of the audit log.
const AUDIT_PAGE: u32 = 100;

/// `GET /admin/audit?after=<seq>`.
pub(crate) async fn audit(
    State(state): State<AppState>,
    Authorized { caller, .. }: Authorized<perm::ViewAudit>,
    Query(query): Query<AuditQuery>,
) -> Result<Response, WebError> {
    let after = query.after.max(0);
    let events = state
        .db(move |store| store.events(after, AUDIT_PAGE))
        .await?;
    let next = (events.len() == AUDIT_PAGE as usize)
        .then(|| events.last().map(|e| e.seq))
        .flatten();
    let page = AuditPage {
        chrome: Chrome::new(&state, &caller, "Audit log"),
        rows: events
            .into_iter()
            .map(|e| AuditRow {
                seq: e.seq,
                at: crate::intake::format_time(e.at),
                actor: e.actor,
                action: e.action,
                report: e.report.map(|r| r.to_string()).unwrap_or_default(),
                detail: e.detail,
                hash: e.hash.iter().take(8).map(|b| format!("{b:02x}")).collect(),
            })
            .collect(),
        next,
    };
    pages::render(&page)
}
