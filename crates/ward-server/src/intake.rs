//! The public side: the policy page with the report form, submissions (form, JSON, OpenPGP),
//! the reporter's follow-up page and replies, the intake key, `security.txt`, the stylesheet.

use axum::Json;
use axum::body::Bytes;
use axum::extract::multipart::{Field, MultipartError, MultipartRejection};
use axum::extract::{Multipart, Path, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use jiff::{SignedDuration, Timestamp};
use serde::Deserialize;
use ward_desk::access::{Action, Principal};
use ward_desk::audit::NewEvent;
use ward_desk::intake::IntakeError;
use ward_desk::notice::Notice;
use ward_desk::report::{Attachment, Credit, FieldError, Submission, limits};
use ward_store::NewMessage;

use crate::auth::{self, Authorized, Caller, perm};
use crate::content::{self, Via};
use crate::csrf::{CsrfCheck, CsrfForm};
use crate::error::WebError;
use crate::pages::{self, Chrome};
use crate::pages::{FollowUpPage, FormValues, PolicyPage, ThreadEntry};
use crate::submit::{self, Receipt};
use crate::{AppState, outbox};

/// `GET /`.
pub(crate) async fn policy(
    State(state): State<AppState>,
    Authorized { caller, .. }: Authorized<perm::ViewPublic>,
) -> Result<Response, WebError> {
    pages::render(&policy_page(
        &state,
        &caller,
        FormValues::default(),
        Vec::new(),
    ))
}

fn policy_page(
    state: &AppState,
    caller: &Caller,
    form: FormValues,
    errors: Vec<FieldError>,
) -> PolicyPage {
    let sla = &state.config.sla;
    PolicyPage {
        chrome: Chrome::new(state, caller, "Report a vulnerability"),
        acknowledge: human(sla.acknowledge),
        triage: human(sla.triage),
        disclose: human(sla.disclose),
        fingerprint: state.intake.fingerprint(),
        max_attachments: limits::ATTACHMENTS,
        max_attachment_mib: limits::ATTACHMENT_BYTES / (1024 * 1024),
        form,
        errors,
    }
}

/// `POST /report`: the multipart form.
pub(crate) async fn submit_form(
    State(state): State<AppState>,
    Authorized { caller, .. }: Authorized<perm::SubmitReport>,
    csrf: CsrfCheck,
    multipart: Result<Multipart, MultipartRejection>,
) -> Result<Response, WebError> {
    let mut multipart = multipart.map_err(|_| WebError::UnsupportedMediaType {
        expected: "multipart/form-data",
    })?;
    let mut form = FormValues::default();
    let mut token = String::new();
    let mut attachments = Vec::new();
    let mut errors = Vec::new();
    while let Some(field) = multipart.next_field().await.map_err(multipart_error)? {
        let name = field.name().unwrap_or_default().to_owned();
        if name == "attachments" {
            let file_name = field.file_name().unwrap_or_default().to_owned();
            let media_type = field
                .content_type()
                .unwrap_or("application/octet-stream")
                .to_owned();
            let bytes = field.bytes().await.map_err(multipart_error)?;
            if file_name.is_empty() && bytes.is_empty() {
                continue; // the file input left empty
            }
            attachments.push(Attachment {
                name: file_name,
                media_type,
                bytes: bytes.to_vec(),
            });
            continue;
        }
        let value = text(field).await?;
        let Some(value) = value else {
            errors.push(FieldError {
                field: name,
                message: "must be UTF-8 text".to_owned(),
            });
            continue;
        };
        match name.as_str() {
            "csrf" => token = value,
            "title" => form.title = value,
            "description" => form.description = value,
            "impact" => form.impact = value,
            "reproduction" => form.reproduction = value,
            "packages" => form.packages = value,
            "credit_type" => form.credit_type = value,
            "credit_value" => form.credit_value = value,
            "contact" => form.contact = value,
            _ => {}
        }
    }
    if csrf.verify(&token).is_err() {
        // Show the report again rather than lose it (a page left open past its cookie, say);
        // nothing is stored, and the new page carries a valid token.
        let expired = vec![FieldError {
            field: "csrf".to_owned(),
            message: "this form expired or did not come from this site: check the report (and \
                      attach any files again), then send it"
                .to_owned(),
        }];
        let page = policy_page(&state, &caller, form, expired);
        return pages::render_status(StatusCode::FORBIDDEN, &page);
    }
    let submission = form.to_submission(&mut errors);
    if !errors.is_empty() {
        let mut check = submission.clone();
        if let Err(more) = check.validate(&attachments) {
            errors.extend(more);
        }
        return show_errors(&state, &caller, form, errors);
    }
    match submit::submit(&state, &caller, submission, attachments, Via::Form).await {
        Ok(receipt) => Ok(Redirect::to(&receipt.path()).into_response()),
        Err(WebError::Unprocessable { fields }) => show_errors(&state, &caller, form, fields),
        Err(other) => Err(other),
    }
}

fn show_errors(
    state: &AppState,
    caller: &Caller,
    form: FormValues,
    errors: Vec<FieldError>,
) -> Result<Response, WebError> {
    pages::render_status(
        StatusCode::UNPROCESSABLE_ENTITY,
        &policy_page(state, caller, form, errors),
    )
}

/// A text field; `None` when it is not UTF-8.
async fn text(field: Field<'_>) -> Result<Option<String>, WebError> {
    let bytes = field.bytes().await.map_err(multipart_error)?;
    Ok(String::from_utf8(bytes.to_vec()).ok())
}

fn multipart_error(error: MultipartError) -> WebError {
    if error.status() == StatusCode::PAYLOAD_TOO_LARGE {
        WebError::PayloadTooLarge
    } else {
        WebError::BadRequest("The multipart form could not be read.".to_owned())
    }
}

impl FormValues {
    /// The submission the form describes; problems only the form can have (an unknown credit
    /// type) go to `errors`.
    fn to_submission(&self, errors: &mut Vec<FieldError>) -> Submission {
        let value = self.credit_value.trim().to_owned();
        let credit = match self.credit_type.trim() {
            "" | "anonymous" => Credit::Anonymous,
            "name" => Credit::Name(value),
            "handle" => Credit::Handle(value),
            _ => {
                errors.push(FieldError {
                    field: "credit_type".to_owned(),
                    message: "one of name, handle, anonymous".to_owned(),
                });
                Credit::Anonymous
            }
        };
        let optional = |s: &str| Some(s.trim().to_owned()).filter(|s| !s.is_empty());
        Submission {
            title: self.title.clone(),
            description: self.description.clone(),
            impact: optional(&self.impact),
            reproduction: optional(&self.reproduction),
            packages: submit::parse_packages(&self.packages),
            credit,
            contact: optional(&self.contact),
        }
    }
}

/// The encrypted form's field.
#[derive(Debug, Deserialize)]
pub(crate) struct EncryptedForm {
    #[serde(default)]
    message: String,
}

/// `POST /report/encrypted`.
pub(crate) async fn submit_encrypted_form(
    State(state): State<AppState>,
    Authorized { caller, .. }: Authorized<perm::SubmitReport>,
    CsrfForm(form): CsrfForm<EncryptedForm>,
) -> Result<Response, WebError> {
    let receipt = submit_encrypted(&state, &caller, form.message.into_bytes()).await?;
    Ok(Redirect::to(&receipt.path()).into_response())
}

/// `POST /api/v1/reports`.
pub(crate) async fn api_submit(
    State(state): State<AppState>,
    Authorized { caller, .. }: Authorized<perm::SubmitReport>,
    headers: HeaderMap,
    body: Result<Bytes, axum::extract::rejection::BytesRejection>,
) -> Result<Response, WebError> {
    if !content_type_is(&headers, &["application/json"]) {
        return Err(WebError::UnsupportedMediaType {
            expected: "application/json",
        });
    }
    let body = body.map_err(body_rejection)?;
    let submission = submit::from_json(&body)?;
    let receipt = submit::submit(&state, &caller, submission, Vec::new(), Via::Api).await?;
    Ok(created(&state, &receipt))
}

/// `POST /api/v1/reports/encrypted`: the body is the armored (or binary) message.
pub(crate) async fn api_submit_encrypted(
    State(state): State<AppState>,
    Authorized { caller, .. }: Authorized<perm::SubmitReport>,
    headers: HeaderMap,
    body: Result<Bytes, axum::extract::rejection::BytesRejection>,
) -> Result<Response, WebError> {
    let accepted = [
        "application/pgp-encrypted",
        "text/plain",
        "application/octet-stream",
    ];
    if headers.contains_key(header::CONTENT_TYPE) && !content_type_is(&headers, &accepted) {
        return Err(WebError::UnsupportedMediaType {
            expected: "application/pgp-encrypted, text/plain or application/octet-stream",
        });
    }
    let body = body.map_err(body_rejection)?;
    let receipt = submit_encrypted(&state, &caller, body.to_vec()).await?;
    Ok(created(&state, &receipt))
}

fn created(state: &AppState, receipt: &Receipt) -> Response {
    let url = format!("{}{}", state.public_url(), receipt.path());
    let mut response = (
        StatusCode::CREATED,
        Json(serde_json::json!({ "follow_up_url": url, "state": "received" })),
    )
        .into_response();
    if let Ok(location) = HeaderValue::from_str(&url) {
        response.headers_mut().insert(header::LOCATION, location);
    }
    response
}

pub(crate) fn body_rejection(rejection: axum::extract::rejection::BytesRejection) -> WebError {
    if rejection.status() == StatusCode::PAYLOAD_TOO_LARGE {
        WebError::PayloadTooLarge
    } else {
        WebError::BadRequest("The request body could not be read.".to_owned())
    }
}

/// Whether the request's content type (without parameters) is one of `types`.
pub(crate) fn content_type_is(headers: &HeaderMap, types: &[&str]) -> bool {
    headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .map(|v| v.split(';').next().unwrap_or_default().trim())
        .is_some_and(|v| types.iter().any(|t| v.eq_ignore_ascii_case(t)))
}

/// Decrypts (on the blocking pool: it is CPU work) and submits.
async fn submit_encrypted(
    state: &AppState,
    caller: &Caller,
    message: Vec<u8>,
) -> Result<Receipt, WebError> {
    if message.iter().all(u8::is_ascii_whitespace) {
        return Err(WebError::field("message", "required: an OpenPGP message"));
    }
    let intake = state.intake.clone();
    let plaintext = tokio::task::spawn_blocking(move || intake.decrypt(&message))
        .await
        .map_err(|e| WebError::Internal(anyhow::anyhow!("decryption task failed: {e}")))?
        .map_err(intake_error)?;
    let submission = submit::from_plaintext(&plaintext)?;
    drop(plaintext);
    submit::submit(state, caller, submission, Vec::new(), Via::Openpgp).await
}

fn intake_error(error: IntakeError) -> WebError {
    match error {
        IntakeError::TooLarge => WebError::PayloadTooLarge,
        IntakeError::Malformed(_) => {
            WebError::field("message", "expected an OpenPGP message (armored or binary)")
        }
        IntakeError::NotForUs => WebError::field(
            "message",
            "the message is not encrypted to this instance's intake key (see /.well-known/ward-intake.asc)",
        ),
        IntakeError::Decrypt(_) => WebError::field(
            "message",
            "the message could not be decrypted or failed its integrity check",
        ),
        other => WebError::Internal(anyhow::Error::new(other).context("the intake key")),
    }
}

/// `GET /r/{token}`: the reporter's follow-up page.
pub(crate) async fn follow_up(
    State(state): State<AppState>,
    caller: Caller,
    Path(token): Path<String>,
) -> Result<Response, WebError> {
    let (case, principal) = follow_up_case(&state, &caller, &token, Action::ViewCase).await?;
    let report = &case.report;
    let content = content::read(&state, caller_as(&principal), report).await?;
    let key = content::data_key(&state, report)?;
    let id = report.id;
    let messages = state.db(move |store| store.messages(id)).await?;
    let mut thread = Vec::new();
    for message in messages.iter().filter(|m| !m.message.team_only) {
        let from_reporter =
            message.message.author.is_none() || message.message.author == report.reporter;
        thread.push(ThreadEntry {
            from_reporter,
            at: format_time(message.message.created_at),
            body: content::open_message(&key, id, &message.message.body)?,
        });
    }
    let now = state.now();
    let deadline = ward_desk::sla::next_deadline(
        &state.config.sla,
        &report.clock,
        report.state,
        report.resolution,
        now,
    );
    let can_reply = caller
        .authorize_as(&principal, Action::Reply, Some(&case.facts))
        .is_ok();
    let page = FollowUpPage {
        chrome: Chrome::new(&state, &caller, "Your report"),
        link: outbox::follow_up_link(&state, &token),
        reply_action: format!("/r/{token}/reply"),
        state: report.state.as_str(),
        state_label: state_label(report.state),
        describe: report.state.describe(),
        received: format_time(report.clock.received_at),
        next: deadline.map(|d| (milestone_label(d.milestone), format_time(d.due))),
        on_hold: report.clock.held_since.is_some(),
        title: content.submission.title,
        description: content.submission.description,
        thread,
        can_reply,
    };
    pages::render(&page)
}

/// The reply form.
#[derive(Debug, Deserialize)]
pub(crate) struct ReplyForm {
    #[serde(default)]
    body: String,
}

/// `POST /r/{token}/reply`.
pub(crate) async fn follow_up_reply(
    State(state): State<AppState>,
    caller: Caller,
    Path(token): Path<String>,
    CsrfForm(form): CsrfForm<ReplyForm>,
) -> Result<Response, WebError> {
    let (case, principal) = follow_up_case(&state, &caller, &token, Action::Reply).await?;
    let body = form.body.trim();
    if body.is_empty() {
        return Err(WebError::field("body", "required: your message"));
    }
    if body.len() > limits::TEXT {
        return Err(WebError::field(
            "body",
            format!("at most {} bytes", limits::TEXT),
        ));
    }
    let report = case.report;
    let key = content::data_key(&state, &report)?;
    let message = NewMessage {
        report: report.id,
        author: match &principal {
            Principal::User(account) => Some(account.id),
            _ => None,
        },
        team_only: false,
        body: content::seal_message(&key, report.id, body),
        created_at: state.now(),
    };
    let event = NewEvent {
        actor: caller_as(&principal),
        action: "report.reply".to_owned(),
        report: Some(report.id),
        detail: "{}".to_owned(),
    };
    let state2 = state.clone();
    state
        .db(move |store| {
            store.add_message(&message, &[], &event)?;
            let notice = Notice::NewReply { report: report.id };
            let queued = outbox::to_team(&state2, store, report.id, &notice)
                .map_err(|e| anyhow::anyhow!("{e}"))
                .and_then(|out| outbox::enqueue(store, &key, report.id, &out, message.created_at));
            if let Err(error) = queued {
                tracing::error!(report = %report.id, error = format!("{error:#}"), "queueing the reply notification");
            }
            Ok(())
        })
        .await?;
    Ok(Redirect::to(&format!("/r/{token}")).into_response())
}

/// The case a follow-up token opens, checked for `action` as the link's holder. An unknown
/// token and a malformed one are the same 404.
async fn follow_up_case(
    state: &AppState,
    caller: &Caller,
    token: &str,
    action: Action,
) -> Result<(auth::Case, Principal), WebError> {
    let hash = auth::hash_token(token);
    let found = state
        .db(move |store| store.report_by_followup(&hash))
        .await?;
    let case = match found {
        Some(report) => auth::load_case(state, report.id).await?,
        None => None,
    };
    // An unknown token opens nothing: the same 404 as a case the holder may not see.
    let case = case.ok_or(WebError::NotFound)?;
    let principal = Principal::FollowUp {
        report: case.report.id,
    };
    caller.authorize_as(&principal, action, Some(&case.facts))?;
    Ok((case, principal))
}

fn caller_as(principal: &Principal) -> String {
    match principal {
        Principal::FollowUp { report } => format!("followup:{report}"),
        Principal::User(account) => format!("user:{}", account.id),
        Principal::Anonymous => "anonymous".to_owned(),
    }
}

/// `GET /.well-known/ward-intake.asc`.
pub(crate) async fn intake_key(
    State(state): State<AppState>,
    _: Authorized<perm::ViewPublic>,
) -> Response {
    (
        [(header::CONTENT_TYPE, "application/pgp-keys")],
        state.intake.public_armored(),
    )
        .into_response()
}

/// `GET /.well-known/security.txt` (RFC 9116).
pub(crate) async fn security_txt(
    State(state): State<AppState>,
    _: Authorized<perm::ViewPublic>,
) -> Response {
    let base = state.public_url();
    let expires = state
        .now()
        .checked_add(SignedDuration::from_hours(24 * 364))
        .unwrap_or_else(|_| state.now());
    let body = format!(
        "Contact: {base}/\n\
         Expires: {}\n\
         Encryption: {base}/.well-known/ward-intake.asc\n\
         Policy: {base}/\n\
         Canonical: {base}/.well-known/security.txt\n\
         Preferred-Languages: en\n",
        expires.strftime("%Y-%m-%dT%H:%M:%SZ")
    );
    ([(header::CONTENT_TYPE, "text/plain; charset=utf-8")], body).into_response()
}

/// `GET /static/ward.css`.
pub(crate) async fn stylesheet(_: Authorized<perm::ViewPublic>) -> Response {
    (
        [(header::CONTENT_TYPE, "text/css; charset=utf-8")],
        include_str!("../static/ward.css"),
    )
        .into_response()
}

/// A duration as a policy states it: hours up to three days, days beyond.
pub(crate) fn human(duration: SignedDuration) -> String {
    let hours = duration.as_hours();
    if hours <= 72 {
        format!("{hours} hours")
    } else {
        format!("{} days", hours / 24)
    }
}

/// A timestamp as pages show it (UTC, to the minute).
pub(crate) fn format_time(at: Timestamp) -> String {
    at.strftime("%Y-%m-%d %H:%M UTC").to_string()
}

/// A state's name as shown.
pub(crate) fn state_label(state: ward_desk::state::State) -> &'static str {
    use ward_desk::state::State;
    match state {
        State::Received => "Received",
        State::Acknowledged => "Acknowledged",
        State::Triaged => "Triaged",
        State::Fixing => "Fixing",
        State::FixReady => "Fix ready",
        State::DisclosureScheduled => "Disclosure scheduled",
        State::Disclosed => "Disclosed",
        State::Closed => "Closed",
    }
}

/// What a milestone is, for the reporter.
pub(crate) fn milestone_label(milestone: ward_desk::sla::Milestone) -> &'static str {
    use ward_desk::sla::Milestone;
    match milestone {
        Milestone::Acknowledge => "We acknowledge your report",
        Milestone::Triage => "We decide what the report is (triage)",
        Milestone::Disclose => "The vulnerability is disclosed",
    }
}
