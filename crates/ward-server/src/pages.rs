//! Typed page templates (askama, `templates/`), one struct per page, mirroring the handlers.
//!
//! Every page extends `base.html` and carries a [`Chrome`]: the instance's name, the page
//! title, the navigation for the logged-in account and the CSRF token of its forms (the logout
//! button is a form). Askama escapes every value in `.html` templates; nothing is marked safe.
//! Pages use no inline script or style (the CSP forbids both): `/static/ward.css` only.

use askama::Template;
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Response};
use ward_desk::access::{Principal, Role};

use crate::AppState;
use crate::auth::Caller;
use crate::error::{Rendered, WebError};

/// What every page shows around its content.
#[derive(Debug, Clone)]
pub(crate) struct Chrome {
    /// The instance's name.
    pub(crate) instance: String,
    /// The page's title.
    pub(crate) title: String,
    /// The CSRF token for this page's forms.
    pub(crate) csrf: String,
    /// The logged-in account, for the navigation.
    pub(crate) user: Option<NavUser>,
}

/// The account in the navigation bar.
#[derive(Debug, Clone)]
pub(crate) struct NavUser {
    /// Display name.
    pub(crate) name: String,
    /// Whether to show the desk's links (inbox).
    pub(crate) desk: bool,
    /// Whether to show team links (metrics).
    pub(crate) team: bool,
    /// Whether to show the admin links.
    pub(crate) admin: bool,
}

impl Chrome {
    /// The chrome of a page titled `title` for `caller`.
    pub(crate) fn new(state: &AppState, caller: &Caller, title: impl Into<String>) -> Chrome {
        let user = match (&caller.principal, &caller.user) {
            (Principal::User(account), Some(user)) => {
                let passed = account.second_factor || !account.role.needs_second_factor();
                Some(NavUser {
                    name: user.name.clone(),
                    desk: passed,
                    team: passed && matches!(account.role, Role::Admin | Role::Coordinator),
                    admin: passed && account.role == Role::Admin,
                })
            }
            _ => None,
        };
        Chrome {
            instance: state.config.instance_name.clone(),
            title: title.into(),
            csrf: crate::csrf::token(state, caller),
            user,
        }
    }

    /// A chrome without a caller (error pages rendered by the middleware).
    pub(crate) fn bare(title: impl Into<String>) -> Chrome {
        Chrome {
            instance: "ward".to_owned(),
            title: title.into(),
            csrf: String::new(),
            user: None,
        }
    }
}

/// Renders a page with status 200.
pub(crate) fn render<T: Template>(page: &T) -> Result<Response, WebError> {
    Ok(Html(page.render()?).into_response())
}

/// Renders a page with another status (a form shown again with its errors: 422).
pub(crate) fn render_status<T: Template>(
    status: StatusCode,
    page: &T,
) -> Result<Response, WebError> {
    Ok((status, Html(page.render()?)).into_response())
}

/// An error page.
#[derive(Template)]
#[template(path = "error.html")]
pub(crate) struct ErrorPage {
    pub(crate) chrome: Chrome,
    pub(crate) status: u16,
    pub(crate) reason: String,
    pub(crate) message: String,
    pub(crate) fields: Vec<(String, String)>,
}

impl ErrorPage {
    pub(crate) fn new(status: StatusCode, rendered: &Rendered) -> ErrorPage {
        let reason = status.canonical_reason().unwrap_or("Error").to_owned();
        ErrorPage {
            chrome: Chrome::bare(reason.clone()),
            status: status.as_u16(),
            reason,
            message: rendered.error.clone(),
            fields: rendered
                .fields
                .iter()
                .map(|f| (f.field.clone(), f.message.clone()))
                .collect(),
        }
    }
}

/// A page that only says something (a confirmation, a message with a link).
#[derive(Template)]
#[template(path = "message.html")]
pub(crate) struct MessagePage {
    pub(crate) chrome: Chrome,
    pub(crate) heading: String,
    pub(crate) text: String,
    pub(crate) link: Option<(String, String)>,
}

/// The policy page and the report form (`GET /`, and `POST /report` shown again with errors).
#[derive(Template)]
#[template(path = "policy.html")]
pub(crate) struct PolicyPage {
    pub(crate) chrome: Chrome,
    pub(crate) acknowledge: String,
    pub(crate) triage: String,
    pub(crate) disclose: String,
    pub(crate) fingerprint: String,
    pub(crate) max_attachments: usize,
    pub(crate) max_attachment_mib: usize,
    pub(crate) form: FormValues,
    pub(crate) errors: Vec<ward_desk::report::FieldError>,
}

impl PolicyPage {
    /// The error for `field`, if any.
    pub(crate) fn error(&self, field: &str) -> Option<&str> {
        self.errors
            .iter()
            .find(|e| e.field == field || e.field.starts_with(&format!("{field}[")))
            .map(|e| e.message.as_str())
    }
}

/// The report form's values, to show again after an error.
#[derive(Debug, Clone, Default)]
pub(crate) struct FormValues {
    pub(crate) title: String,
    pub(crate) description: String,
    pub(crate) impact: String,
    pub(crate) reproduction: String,
    pub(crate) packages: String,
    pub(crate) credit_type: String,
    pub(crate) credit_value: String,
    pub(crate) contact: String,
}

/// The reporter's follow-up page (`GET /r/{token}`).
#[derive(Template)]
#[template(path = "follow_up.html")]
pub(crate) struct FollowUpPage {
    pub(crate) chrome: Chrome,
    pub(crate) link: String,
    pub(crate) reply_action: String,
    pub(crate) state: &'static str,
    pub(crate) state_label: &'static str,
    pub(crate) describe: &'static str,
    pub(crate) received: String,
    pub(crate) next: Option<(&'static str, String)>,
    pub(crate) on_hold: bool,
    pub(crate) title: String,
    pub(crate) description: String,
    pub(crate) thread: Vec<ThreadEntry>,
    pub(crate) can_reply: bool,
}

/// A message of the thread the reporter sees.
#[derive(Debug, Clone)]
pub(crate) struct ThreadEntry {
    pub(crate) from_reporter: bool,
    pub(crate) at: String,
    pub(crate) body: String,
}

/// `GET /login`.
#[derive(Template)]
#[template(path = "login.html")]
pub(crate) struct LoginPage {
    pub(crate) chrome: Chrome,
    pub(crate) email: String,
    pub(crate) error: Option<String>,
}

/// `GET /login/totp`.
#[derive(Template)]
#[template(path = "login_totp.html")]
pub(crate) struct TotpPage {
    pub(crate) chrome: Chrome,
    pub(crate) error: Option<String>,
}

/// `GET /setup/{token}`.
#[derive(Template)]
#[template(path = "setup.html")]
pub(crate) struct SetupPage {
    pub(crate) chrome: Chrome,
    pub(crate) action: String,
    pub(crate) email: String,
    pub(crate) name: String,
    pub(crate) errors: Vec<(String, String)>,
}

/// `GET /account`.
#[derive(Template)]
#[template(path = "account.html")]
pub(crate) struct AccountPage {
    pub(crate) chrome: Chrome,
    pub(crate) name: String,
    pub(crate) email: String,
    pub(crate) role: &'static str,
    pub(crate) totp_enrolled: bool,
    pub(crate) may_admin: bool,
    pub(crate) tokens: Vec<TokenRow>,
    pub(crate) new_token: Option<String>,
    pub(crate) errors: Vec<(String, String)>,
}

/// An API token as listed.
#[derive(Debug, Clone)]
pub(crate) struct TokenRow {
    pub(crate) id: i64,
    pub(crate) name: String,
    pub(crate) scopes: String,
    pub(crate) created: String,
    pub(crate) expires: String,
}

/// `GET /account/totp`.
#[derive(Template)]
#[template(path = "account_totp.html")]
pub(crate) struct EnrollPage {
    pub(crate) chrome: Chrome,
    pub(crate) required: bool,
    pub(crate) base32: String,
    pub(crate) uri: String,
    pub(crate) pending: String,
    pub(crate) error: Option<String>,
}

/// `GET /admin/users`.
#[derive(Template)]
#[template(path = "admin_users.html")]
pub(crate) struct UsersPage {
    pub(crate) chrome: Chrome,
    pub(crate) users: Vec<UserRow>,
    pub(crate) roles: Vec<&'static str>,
    pub(crate) errors: Vec<(String, String)>,
}

/// An account as listed.
#[derive(Debug, Clone)]
pub(crate) struct UserRow {
    pub(crate) id: i64,
    pub(crate) email: String,
    pub(crate) name: String,
    pub(crate) role: &'static str,
    pub(crate) totp: bool,
    pub(crate) disabled: bool,
}

/// `GET /admin/scope`.
#[derive(Template)]
#[template(path = "admin_scope.html")]
pub(crate) struct ScopePage {
    pub(crate) chrome: Chrome,
    pub(crate) rows: Vec<ScopeRow>,
    pub(crate) maintainers: Vec<(i64, String)>,
    pub(crate) errors: Vec<(String, String)>,
}

/// A row of the packages-in-scope table.
#[derive(Debug, Clone)]
pub(crate) struct ScopeRow {
    pub(crate) id: i64,
    pub(crate) ecosystem: String,
    pub(crate) package: String,
    pub(crate) maintainer: String,
}

/// `GET /admin/audit`.
#[derive(Template)]
#[template(path = "admin_audit.html")]
pub(crate) struct AuditPage {
    pub(crate) chrome: Chrome,
    pub(crate) rows: Vec<AuditRow>,
    pub(crate) next: Option<i64>,
}

/// An audit event as listed.
#[derive(Debug, Clone)]
pub(crate) struct AuditRow {
    pub(crate) seq: i64,
    pub(crate) at: String,
    pub(crate) actor: String,
    pub(crate) action: String,
    pub(crate) report: String,
    pub(crate) detail: String,
    pub(crate) hash: String,
}
