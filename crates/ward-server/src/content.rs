//! A report's sealed content, its thread messages and attachments: what the seal labels are,
//! and reading them (reading a report's content appends a `report.read` audit event first, so
//! no read goes unrecorded).
//!
//! Labels (associated data of `ward_desk::seal`):
//! - content: `report:content`. The store's `Report` does not carry the follow-up hash the
//!   store's doc suggested binding to, and the report id does not exist before the insert; the
//!   per-report data key already binds the ciphertext to its report (another report's
//!   ciphertext does not open under this key).
//! - thread messages: `report:<id>:message`.
//! - attachments: meta `report:attachment:meta`, body `report:attachment:<uid>:body`, where the
//!   random `uid` is inside the sealed meta — a body cannot be swapped for another's.
//! - outbox payloads: `report:<id>:outbox` (see [`crate::outbox`]).

use serde::{Deserialize, Serialize};
use ward_desk::ReportId;
use ward_desk::audit::NewEvent;
use ward_desk::report::{Attachment, Submission};
use ward_desk::seal::DataKey;
use ward_store::{NewAttachment, Report};

use crate::AppState;
use crate::error::WebError;

/// The seal label of a report's content.
pub(crate) const CONTENT_LABEL: &str = "report:content";
const ATTACHMENT_META_LABEL: &str = "report:attachment:meta";

/// What a report's sealed content holds.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct ReportContent {
    /// The submission, validated.
    pub(crate) submission: Submission,
    /// How it arrived.
    pub(crate) via: Via,
    /// The follow-up token, so notifications to the reporter can carry their link (the store
    /// keeps only its hash).
    pub(crate) followup: String,
    /// Whether the retention job purged the contact details.
    #[serde(default)]
    pub(crate) purged: bool,
}

/// How a report arrived.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub(crate) enum Via {
    /// The web form.
    Form,
    /// `POST /api/v1/reports`.
    Api,
    /// An OpenPGP message to the intake key (form or API).
    Openpgp,
}

/// A sealed attachment's metadata.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct AttachmentInfo {
    /// The file name as given (shown, never used as a path).
    pub(crate) name: String,
    /// The media type as given (attachments are always served as downloads).
    pub(crate) media_type: String,
    /// Binds the body's label to this meta.
    pub(crate) uid: String,
}

/// The data key of a report.
pub(crate) fn data_key(state: &AppState, report: &Report) -> Result<DataKey, WebError> {
    state
        .keyring
        .unwrap(&report.wrapped_key)
        .map_err(|e| WebError::Internal(anyhow::Error::new(e).context("unwrapping a report key")))
}

/// Seals a report's content.
pub(crate) fn seal_content(key: &DataKey, content: &ReportContent) -> Result<Vec<u8>, WebError> {
    let json = serde_json::to_vec(content)
        .map_err(|e| WebError::Internal(anyhow::Error::new(e).context("encoding a report")))?;
    Ok(key.seal(CONTENT_LABEL, &json))
}

/// Opens a report's content without recording it: only for the system's own jobs (retention,
/// notifications), which record what they do themselves.
pub(crate) fn open_content(key: &DataKey, report: &Report) -> Result<ReportContent, WebError> {
    let json = key
        .open(CONTENT_LABEL, &report.content)
        .map_err(|e| WebError::Internal(anyhow::Error::new(e).context("opening a report")))?;
    serde_json::from_slice(&json)
        .map_err(|_| WebError::Internal(anyhow::anyhow!("a stored report does not decode")))
}

/// Reads a report's content on behalf of `actor` (`user:<id>`, `followup:<id>`): appends the
/// `report.read` audit event, then opens the content.
pub(crate) async fn read(
    state: &AppState,
    actor: String,
    report: &Report,
) -> Result<ReportContent, WebError> {
    let event = NewEvent {
        actor,
        action: "report.read".to_owned(),
        report: Some(report.id),
        detail: "{}".to_owned(),
    };
    state.db(move |store| store.append_event(&event)).await?;
    let key = data_key(state, report)?;
    open_content(&key, report)
}

/// The seal label of a case's messages.
pub(crate) fn message_label(report: ReportId) -> String {
    format!("report:{report}:message")
}

/// Seals a thread message's body.
pub(crate) fn seal_message(key: &DataKey, report: ReportId, body: &str) -> Vec<u8> {
    key.seal(&message_label(report), body.as_bytes())
}

/// Opens a thread message's body.
pub(crate) fn open_message(
    key: &DataKey,
    report: ReportId,
    sealed: &[u8],
) -> Result<String, WebError> {
    let bytes = key
        .open(&message_label(report), sealed)
        .map_err(|e| WebError::Internal(anyhow::Error::new(e).context("opening a message")))?;
    String::from_utf8(bytes)
        .map_err(|_| WebError::Internal(anyhow::anyhow!("a stored message is not UTF-8")))
}

/// Seals an attachment for the store.
pub(crate) fn seal_attachment(
    key: &DataKey,
    attachment: &Attachment,
) -> Result<NewAttachment, WebError> {
    let info = AttachmentInfo {
        name: attachment.name.clone(),
        media_type: attachment.media_type.clone(),
        uid: crate::auth::new_token(),
    };
    let meta = serde_json::to_vec(&info)
        .map_err(|e| WebError::Internal(anyhow::Error::new(e).context("encoding an attachment")))?;
    Ok(NewAttachment {
        sealed_meta: key.seal(ATTACHMENT_META_LABEL, &meta),
        sealed_body: key.seal(&body_label(&info.uid), &attachment.bytes),
        size: i64::try_from(attachment.bytes.len()).unwrap_or(i64::MAX),
    })
}

/// Opens an attachment's metadata.
#[allow(dead_code, reason = "the desk serves attachments")]
pub(crate) fn open_attachment_info(
    key: &DataKey,
    sealed_meta: &[u8],
) -> Result<AttachmentInfo, WebError> {
    let meta = key
        .open(ATTACHMENT_META_LABEL, sealed_meta)
        .map_err(|e| WebError::Internal(anyhow::Error::new(e).context("opening an attachment")))?;
    serde_json::from_slice(&meta).map_err(|_| {
        WebError::Internal(anyhow::anyhow!(
            "a stored attachment's metadata does not decode"
        ))
    })
}

/// Opens an attachment's body.
#[allow(dead_code, reason = "the desk serves attachments")]
pub(crate) fn open_attachment_body(
    key: &DataKey,
    info: &AttachmentInfo,
    sealed_body: &[u8],
) -> Result<Vec<u8>, WebError> {
    key.open(&body_label(&info.uid), sealed_body)
        .map_err(|e| WebError::Internal(anyhow::Error::new(e).context("opening an attachment")))
}

fn body_label(uid: &str) -> String {
    format!("report:attachment:{uid}:body")
}
