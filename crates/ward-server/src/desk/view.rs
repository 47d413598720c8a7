//! Reading a case: everything about it in one view ([`CaseView`]) — state, deadlines, the
//! decrypted submission, the reporter's contact (only with `ViewReporterContact`), the thread
//! and the team notes (only with `ViewNotes`), attachments, score — shown as the case page
//! (`GET /cases/{id}`, with the forms the caller may use) and as JSON
//! (`GET /api/v1/cases/{id}`); and downloading an attachment. Every read of content appends
//! its audit event first (`report.read`, `report.attachment.read`).

use std::collections::HashMap;

use askama::Template;
use axum::Json;
use axum::extract::{Path, State as AxumState};
use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Response};
use jiff::{SignedDuration, Timestamp};
use serde::Serialize;
use ward_desk::UserId;
use ward_desk::access::{Action, Role};
use ward_desk::report::Credit;
use ward_desk::severity::Band;
use ward_desk::sla::Milestone;
use ward_desk::state::{Resolution, State, check_transition};
use ward_store::User;

use super::case::{self, DeadlineView};
use super::score::{self, Editor};
use crate::AppState;
use crate::auth::{Caller, Case};
use crate::content;
use crate::error::WebError;
use crate::pages::{Chrome, render};

/// Everything about a case that the caller may see.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct CaseView {
    pub(crate) id: i64,
    pub(crate) state: &'static str,
    #[serde(skip)]
    pub(crate) state_label: &'static str,
    pub(crate) resolution: Option<&'static str>,
    pub(crate) duplicate_of: Option<i64>,
    pub(crate) on_hold: bool,
    pub(crate) deadline: Option<DeadlineView>,
    pub(crate) milestones: Vec<MilestoneView>,
    pub(crate) received_at: String,
    pub(crate) submission: SubmissionView,
    /// Only with `ViewReporterContact`.
    pub(crate) reporter: Option<ReporterView>,
    pub(crate) coordinator: Option<String>,
    pub(crate) maintainers: Vec<String>,
    pub(crate) parties: Vec<String>,
    pub(crate) thread: Vec<MessageView>,
    pub(crate) attachments: Vec<AttachmentView>,
    pub(crate) severity: Option<SeverityView>,
    pub(crate) purged: bool,
}

/// One commitment of the policy and where the case is with it.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct MilestoneView {
    pub(crate) milestone: &'static str,
    #[serde(skip)]
    pub(crate) label: &'static str,
    /// When it was met.
    pub(crate) done: Option<String>,
    /// When it is due (holds counted up to now), if not met.
    pub(crate) due: Option<String>,
}

/// The submission, without the reporter's contact and credit.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct SubmissionView {
    pub(crate) title: String,
    pub(crate) description: String,
    pub(crate) impact: Option<String>,
    pub(crate) reproduction: Option<String>,
    pub(crate) packages: Vec<String>,
}

/// Who reported, how to reach them, how to credit them.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct ReporterView {
    pub(crate) account: Option<String>,
    pub(crate) contact: Option<String>,
    pub(crate) credit: String,
}

/// A message of the thread.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct MessageView {
    pub(crate) id: i64,
    pub(crate) author: String,
    pub(crate) team_only: bool,
    pub(crate) at: String,
    pub(crate) body: String,
}

/// An attachment.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct AttachmentView {
    pub(crate) id: i64,
    pub(crate) name: String,
    pub(crate) size: i64,
}

/// The score, its band and what the band typically means.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct SeverityView {
    pub(crate) score: f64,
    pub(crate) band: &'static str,
    #[serde(skip)]
    pub(crate) band_label: &'static str,
    pub(crate) examples: &'static str,
    pub(crate) cvss3: Option<String>,
    pub(crate) cvss4: Option<String>,
}

/// The forms of the case page the caller may use.
#[derive(Debug, Clone, Default)]
struct Forms {
    transitions: Vec<(&'static str, &'static str)>,
    triage: bool,
    duplicate: bool,
    hold: bool,
    assign: bool,
    coordinators: Vec<(i64, String)>,
    maintainer_choices: Vec<(i64, String)>,
    invite: bool,
    score: bool,
    reply: bool,
    note: bool,
}

#[derive(Template)]
#[template(path = "desk/case.html")]
struct CasePage {
    chrome: Chrome,
    case: CaseView,
    forms: Forms,
    resolutions: Vec<(&'static str, &'static str)>,
    editors: Vec<Editor>,
}

/// `GET /cases/{id}`.
pub(crate) async fn page(
    AxumState(state): AxumState<AppState>,
    caller: Caller,
    Path(id): Path<String>,
) -> Result<Response, WebError> {
    let id = case::parse_id(&id)?;
    let case = caller.case(&state, id, Action::ViewCase).await?;
    let users = users(&state).await?;
    let view = load(&state, &caller, &case, &users).await?;
    let forms = forms(&caller, &case, &users);
    let (v3, v4) = score::editors(&case.report);
    render(&CasePage {
        chrome: Chrome::new(&state, &caller, format!("Case {id}")),
        case: view,
        forms,
        resolutions: case::RESOLUTIONS
            .iter()
            .map(|r| (case::resolution_name(*r), case::resolution_label(*r)))
            .collect(),
        editors: vec![v3, v4],
    })
}

/// `GET /api/v1/cases/{id}`.
pub(crate) async fn api(
    AxumState(state): AxumState<AppState>,
    caller: Caller,
    Path(id): Path<String>,
) -> Result<Json<CaseView>, WebError> {
    let id = case::parse_id(&id)?;
    let case = caller.case(&state, id, Action::ViewCase).await?;
    let users = users(&state).await?;
    Ok(Json(load(&state, &caller, &case, &users).await?))
}

/// `GET /cases/{id}/attachments/{aid}`: always a download (`application/octet-stream`,
/// `Content-Disposition: attachment`), whatever type the reporter claimed, so a file can
/// never run as a page of this origin.
pub(crate) async fn attachment(
    AxumState(state): AxumState<AppState>,
    caller: Caller,
    Path((id, aid)): Path<(String, String)>,
) -> Result<Response, WebError> {
    let id = case::parse_id(&id)?;
    let case = caller.case(&state, id, Action::ViewCase).await?;
    let aid: i64 = aid.parse().map_err(|_| WebError::NotFound)?;
    let (meta, body) = state
        .db(move |store| store.attachment(id, aid))
        .await?
        .ok_or(WebError::NotFound)?;
    let event = case::event(
        &caller,
        "report.attachment.read",
        id,
        serde_json::json!({ "attachment": aid }),
    );
    state.db(move |store| store.append_event(&event)).await?;
    let key = content::data_key(&state, &case.report)?;
    let info = content::open_attachment_info(&key, &meta.sealed_meta)?;
    let bytes = content::open_attachment_body(&key, &info, &body)?;
    let disposition = format!("attachment; filename=\"{}\"", safe_file_name(&info.name));
    let mut response = bytes.into_response();
    let headers = response.headers_mut();
    headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/octet-stream"),
    );
    if let Ok(value) = HeaderValue::from_str(&disposition) {
        headers.insert(header::CONTENT_DISPOSITION, value);
    }
    Ok(response)
}

/// Every account, by id (names for the thread and the assignment form).
pub(crate) async fn users(state: &AppState) -> Result<HashMap<UserId, User>, WebError> {
    let users = state.db(|store| store.users()).await?;
    Ok(users.into_iter().map(|u| (u.id, u)).collect())
}

/// Builds the view: reads (and records reading) the content, the thread and the attachments.
pub(crate) async fn load(
    state: &AppState,
    caller: &Caller,
    case: &Case,
    users: &HashMap<UserId, User>,
) -> Result<CaseView, WebError> {
    let report = &case.report;
    let id = report.id;
    let sealed = content::read(state, caller.actor(), report).await?;
    let key = content::data_key(state, report)?;
    let (messages, attachments) = state
        .db(move |store| Ok((store.messages(id)?, store.attachments(id)?)))
        .await?;
    let notes = caller.can(Action::ViewNotes, &case.facts);
    let name = |user: UserId| {
        users
            .get(&user)
            .map_or_else(|| format!("account {user}"), |u| u.name.clone())
    };
    let mut thread = Vec::new();
    for message in messages.iter().filter(|m| notes || !m.message.team_only) {
        let author = match message.message.author {
            None => "Reporter".to_owned(),
            Some(user) if Some(user) == report.reporter => format!("{} (reporter)", name(user)),
            Some(user) => name(user),
        };
        thread.push(MessageView {
            id: message.id,
            author,
            team_only: message.message.team_only,
            at: case::show_time(message.message.created_at),
            body: content::open_message(&key, id, &message.message.body)?,
        });
    }
    let mut files = Vec::new();
    for meta in &attachments {
        let info = content::open_attachment_info(&key, &meta.sealed_meta)?;
        files.push(AttachmentView {
            id: meta.id,
            name: info.name,
            size: meta.size,
        });
    }
    let submission = &sealed.submission;
    let reporter = caller
        .can(Action::ViewReporterContact, &case.facts)
        .then(|| ReporterView {
            account: report
                .reporter
                .and_then(|r| users.get(&r))
                .map(|u| format!("{} <{}>", u.name, u.email)),
            contact: submission.contact.clone(),
            credit: match &submission.credit {
                Credit::Name(name) => format!("by name: {name}"),
                Credit::Handle(handle) => format!("by handle: {handle}"),
                Credit::Anonymous => "anonymous".to_owned(),
            },
        });
    let now = state.now();
    Ok(CaseView {
        id: id.0,
        state: report.state.as_str(),
        state_label: case::state_label(report.state),
        resolution: report.resolution.map(case::resolution_name),
        duplicate_of: report.duplicate_of.map(|d| d.0),
        on_hold: report.clock.held_since.is_some(),
        deadline: case::next_deadline(state, report, now),
        milestones: milestones(state, report, now),
        received_at: case::show_time(report.clock.received_at),
        submission: SubmissionView {
            title: submission.title.clone(),
            description: submission.description.clone(),
            impact: submission.impact.clone(),
            reproduction: submission.reproduction.clone(),
            packages: submission
                .packages
                .iter()
                .map(|p| {
                    [
                        p.ecosystem.as_deref(),
                        Some(p.name.as_str()),
                        p.versions.as_deref(),
                    ]
                    .into_iter()
                    .flatten()
                    .collect::<Vec<_>>()
                    .join(" ")
                })
                .collect(),
        },
        reporter,
        coordinator: report.coordinator.map(name),
        maintainers: case.facts.maintainers.iter().map(|u| name(*u)).collect(),
        parties: case.facts.parties.iter().map(|u| name(*u)).collect(),
        thread,
        attachments: files,
        severity: report.score.map(|score| {
            let band = Band::from_score(score);
            SeverityView {
                score,
                band: band.as_str(),
                band_label: band_label(band),
                examples: band.examples(),
                cvss3: report.cvss3.clone(),
                cvss4: report.cvss4.clone(),
            }
        }),
        purged: report.purged_at.is_some(),
    })
}

/// Each commitment: met when, or due when (receipt + the policy's time + time on hold).
fn milestones(state: &AppState, report: &ward_store::Report, now: Timestamp) -> Vec<MilestoneView> {
    let policy = &state.config.sla;
    let clock = &report.clock;
    let held = clock
        .held_since
        .map_or(SignedDuration::ZERO, |since| now.duration_since(since))
        .saturating_add(clock.held_for);
    let closed_early = matches!(
        report.resolution,
        Some(Resolution::Invalid | Resolution::Duplicate | Resolution::OutOfScope)
    ) || report.state == State::Closed;
    [
        (
            Milestone::Acknowledge,
            policy.acknowledge,
            clock.acknowledged_at,
        ),
        (Milestone::Triage, policy.triage, clock.triaged_at),
        (Milestone::Disclose, policy.disclose, clock.disclosed_at),
    ]
    .into_iter()
    .filter(|(m, _, done)| done.is_some() || !(closed_early && *m == Milestone::Disclose))
    .map(|(milestone, within, done)| MilestoneView {
        milestone: case::milestone_name(milestone),
        label: case::milestone_label(milestone),
        done: done.map(case::show_time),
        due: done
            .is_none()
            .then(|| {
                let wait = within.saturating_add(held);
                clock.received_at.saturating_add(wait).ok()
            })
            .flatten()
            .map(case::show_time),
    })
    .collect()
}

/// The forms `caller` may use on this case.
fn forms(caller: &Caller, case: &Case, users: &HashMap<UserId, User>) -> Forms {
    let facts = &case.facts;
    let report = &case.report;
    let transitions: Vec<_> = State::ALL
        .into_iter()
        .filter(|to| {
            let resolution = if *to == State::Triaged {
                Some(Resolution::Accepted)
            } else {
                report.resolution
            };
            check_transition(report.state, *to, resolution).is_ok()
                && caller.can(Action::Transition(*to), facts)
        })
        .map(|to| (to.as_str(), case::state_label(to)))
        .collect();
    let assign = caller.can(Action::Assign, facts);
    let by_role = |role: Role| {
        let mut list: Vec<(i64, String)> = users
            .values()
            .filter(|u| u.role == role && !u.disabled)
            .map(|u| (u.id.0, u.name.clone()))
            .collect();
        list.sort();
        list
    };
    Forms {
        triage: transitions
            .iter()
            .any(|(s, _)| *s == State::Triaged.as_str()),
        duplicate: caller.can(Action::LinkDuplicate, facts),
        transitions,
        hold: caller.can(Action::Hold, facts),
        coordinators: if assign {
            by_role(Role::Coordinator)
        } else {
            Vec::new()
        },
        maintainer_choices: if assign {
            by_role(Role::Maintainer)
        } else {
            Vec::new()
        },
        assign,
        invite: caller.can(Action::InviteParty, facts),
        score: caller.can(Action::Score, facts),
        reply: caller.can(Action::Reply, facts),
        note: caller.can(Action::WriteNote, facts),
    }
}

/// A band for people.
fn band_label(band: Band) -> &'static str {
    match band {
        Band::None => "None",
        Band::Low => "Low",
        Band::Medium => "Medium",
        Band::High => "High",
        Band::Critical => "Critical",
    }
}

/// A file name safe inside a quoted `Content-Disposition` parameter: ASCII letters, digits,
/// `.`, `-`, `_`; anything else becomes `_`; never empty, never a dot file.
fn safe_file_name(name: &str) -> String {
    let cleaned: String = name
        .chars()
        .take(100)
        .map(|c| {
            if c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_') {
                c
            } else {
                '_'
            }
        })
        .collect();
    let cleaned = cleaned.trim_start_matches('.');
    if cleaned.is_empty() {
        "attachment".to_owned()
    } else {
        cleaned.to_owned()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn file_names_are_made_safe() {
        assert_eq!(safe_file_name("poc.py"), "poc.py");
        assert_eq!(safe_file_name("a\"b\r\nc.txt"), "a_b__c.txt");
        assert_eq!(safe_file_name("../../etc/passwd"), "_.._etc_passwd");
        assert_eq!(safe_file_name("..."), "attachment");
        assert_eq!(safe_file_name("résumé.pdf"), "r_sum_.pdf");
    }
}
