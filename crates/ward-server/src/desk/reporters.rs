//! A registered reporter's data on request (admins only, `ManageReporterData`):
//!
//! - `GET /admin/reporters/{id}/export`: a JSON download of every report they submitted,
//!   decrypted — the submission with contact and credit, their side of the thread (team notes
//!   are the team's, not theirs), attachments (base64). Each report read is audited
//!   (`report.read`), and the export itself (`reporter.export`).
//! - `POST /admin/reporters/{id}/erase`: every report of theirs loses its attachments, its
//!   contact address, credit and text (title and description become a placeholder; the affected
//!   packages, the state, the clocks and the score stay, so the case and its advisory remain
//!   coherent). Each case's purge is audited (`report.erase`), and the request
//!   (`reporter.erase`). Their account itself is managed on the users page.

use axum::extract::{Path, State as AxumState};
use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Response};
use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use serde::Deserialize;
use ward_desk::UserId;
use ward_desk::audit::NewEvent;
use ward_desk::report::Credit;

use super::case;
use crate::AppState;
use crate::auth::{Authorized, Caller, perm};
use crate::content;
use crate::csrf::CsrfForm;
use crate::error::WebError;
use crate::jobs::retention;
use crate::pages::{Chrome, MessagePage, render};

/// What an erased report's title and description read.
pub(crate) const ERASED: &str = "(erased at the reporter's request)";

/// The erase form carries only its CSRF token.
#[derive(Debug, Deserialize)]
pub(crate) struct EraseForm {}

/// `GET /admin/reporters/{id}/export`.
pub(crate) async fn export(
    AxumState(state): AxumState<AppState>,
    authorized: Authorized<perm::ManageReporterData>,
    Path(id): Path<String>,
) -> Result<Response, WebError> {
    let caller = authorized.caller;
    let user = reporter(&state, &id).await?;
    let uid = user.id;
    let ids = state.db(move |store| store.reports_of(uid)).await?;
    let mut reports = Vec::with_capacity(ids.len());
    for id in &ids {
        let id = *id;
        let Some(report) = state.db(move |store| store.report(id)).await? else {
            continue;
        };
        let sealed = content::read(&state, caller.actor(), &report).await?;
        let key = content::data_key(&state, &report)?;
        let (messages, attachments) = state
            .db(move |store| Ok((store.messages(id)?, store.attachments(id)?)))
            .await?;
        let mut thread = Vec::new();
        for message in messages.iter().filter(|m| !m.message.team_only) {
            thread.push(serde_json::json!({
                "at": message.message.created_at.to_string(),
                "from_reporter": message.message.author.is_none_or(|a| a == uid),
                "body": content::open_message(&key, id, &message.message.body)?,
            }));
        }
        let mut files = Vec::new();
        for meta in &attachments {
            let aid = meta.id;
            let Some((meta, body)) = state.db(move |store| store.attachment(id, aid)).await? else {
                continue;
            };
            let info = content::open_attachment_info(&key, &meta.sealed_meta)?;
            let bytes = content::open_attachment_body(&key, &info, &body)?;
            files.push(serde_json::json!({
                "name": info.name,
                "media_type": info.media_type,
                "size": meta.size,
                "base64": STANDARD.encode(bytes),
            }));
        }
        reports.push(serde_json::json!({
            "id": id.0,
            "state": report.state.as_str(),
            "resolution": report.resolution.map(case::resolution_name),
            "received_at": report.clock.received_at.to_string(),
            "submission": sealed.submission,
            "thread": thread,
            "attachments": files,
        }));
    }
    audit(&state, &caller, "reporter.export", uid, ids.len()).await?;
    let body = serde_json::json!({
        "reporter": { "id": uid.0, "email": user.email, "name": user.name },
        "reports": reports,
    });
    let mut response = axum::Json(body).into_response();
    let disposition = format!("attachment; filename=\"reporter-{uid}.json\"");
    if let Ok(value) = HeaderValue::from_str(&disposition) {
        response
            .headers_mut()
            .insert(header::CONTENT_DISPOSITION, value);
    }
    Ok(response)
}

/// `POST /admin/reporters/{id}/erase`.
pub(crate) async fn erase(
    AxumState(state): AxumState<AppState>,
    authorized: Authorized<perm::ManageReporterData>,
    Path(id): Path<String>,
    CsrfForm(EraseForm {}): CsrfForm<EraseForm>,
) -> Result<Response, WebError> {
    let caller = authorized.caller;
    let user = reporter(&state, &id).await?;
    let uid = user.id;
    let ids = state.db(move |store| store.reports_of(uid)).await?;
    let now = state.now();
    for id in &ids {
        retention::purge_with(
            &state,
            *id,
            now,
            "report.erase",
            &caller.actor(),
            serde_json::json!({ "reporter": uid.0 }),
            |content| {
                let submission = &mut content.submission;
                submission.title = ERASED.to_owned();
                submission.description = ERASED.to_owned();
                submission.impact = None;
                submission.reproduction = None;
                submission.contact = None;
                submission.credit = Credit::Anonymous;
                content.purged = true;
            },
        )
        .await
        .map_err(WebError::Internal)?;
    }
    audit(&state, &caller, "reporter.erase", uid, ids.len()).await?;
    render(&MessagePage {
        chrome: Chrome::new(&state, &caller, "Reporter data erased"),
        heading: "Reporter data erased".to_owned(),
        text: format!(
            "The contents, contact details and attachments of {} report(s) by {} were erased.",
            ids.len(),
            user.name
        ),
        link: Some(("/admin/users".to_owned(), "Back to the accounts".to_owned())),
    })
}

/// The account `id` names; 404 when there is none.
async fn reporter(state: &AppState, id: &str) -> Result<ward_store::User, WebError> {
    let id = UserId(id.parse().map_err(|_| WebError::NotFound)?);
    state
        .db(move |store| store.user(id))
        .await?
        .ok_or(WebError::NotFound)
}

async fn audit(
    state: &AppState,
    caller: &Caller,
    action: &str,
    reporter: UserId,
    reports: usize,
) -> Result<(), WebError> {
    let event = NewEvent {
        actor: caller.actor(),
        action: action.to_owned(),
        report: None,
        detail: serde_json::json!({ "reporter": reporter.0, "reports": reports }).to_string(),
    };
    state.db(move |store| store.append_event(&event)).await?;
    Ok(())
}
