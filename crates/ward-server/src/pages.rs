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
