//! The actions on a case: transition (with triage resolution and duplicate linking), hold,
//! assignment, inviting a party, replying to the reporter and writing a team note. Each is one
//! function used by both the form handler (303 back to the case page) and the JSON handler.
//!
//! Every action: the one permission check on the loaded case (a case the caller cannot see is
//! a 404), validation (422 naming the field, nothing stored), one optimistic store update with
//! its audit event (ids and names only; a concurrent change is a 409), then the notice it
//! causes — a state change tells the reporter (the `acknowledged` transition's notice is the
//! acknowledgment), a reply tells the other side. A notice that cannot be queued is logged; the
//! action it follows stands.

use axum::Json;
use axum::extract::{Path, State as AxumState};
use axum::response::{IntoResponse, Redirect, Response};
use serde::{Deserialize, Serialize};
use ward_desk::access::{Action, Role};
use ward_desk::notice::Notice;
use ward_desk::report::limits;
use ward_desk::state::{Resolution, State, check_transition};
use ward_desk::{ReportId, UserId};
use ward_store::{NewMessage, Report};

use super::case;
use crate::AppState;
use crate::auth::{Caller, Case};
use crate::content;
use crate::csrf::CsrfForm;
use crate::error::WebError;
use crate::notify::{self, Audience};

/// The transition form and JSON body.
#[derive(Debug, Default, Deserialize)]
pub(crate) struct TransitionInput {
    #[serde(default)]
    to: String,
    #[serde(default)]
    resolution: Option<String>,
    #[serde(default, deserialize_with = "lenient_id")]
    duplicate_of: Option<String>,
}

/// The hold form: `hold` = `on` | `off`.
#[derive(Debug, Default, Deserialize)]
pub(crate) struct HoldInput {
    #[serde(default)]
    hold: String,
}

/// The assignment form: user ids, either or both.
#[derive(Debug, Default, Deserialize)]
pub(crate) struct AssignInput {
    #[serde(default)]
    coordinator: Option<String>,
    #[serde(default)]
    maintainer: Option<String>,
}

/// The invitation form.
#[derive(Debug, Default, Deserialize)]
pub(crate) struct InviteInput {
    #[serde(default)]
    email: String,
}

/// The reply and note forms and JSON bodies.
#[derive(Debug, Default, Deserialize)]
pub(crate) struct BodyInput {
    #[serde(default)]
    body: String,
}

/// What the JSON actions answer.
#[derive(Debug, Serialize)]
pub(crate) struct Done {
    id: i64,
    state: &'static str,
    resolution: Option<&'static str>,
    duplicate_of: Option<i64>,
    on_hold: bool,
}

impl Done {
    fn of(report: &Report) -> Json<Done> {
        Json(Done {
            id: report.id.0,
            state: report.state.as_str(),
            resolution: report.resolution.map(case::resolution_name),
            duplicate_of: report.duplicate_of.map(|d| d.0),
            on_hold: report.clock.held_since.is_some(),
        })
    }
}

macro_rules! handlers {
    ($($form:ident, $api:ident, $input:ty, $op:ident;)*) => {$(
        /// The form handler: the action, then back to the case page.
        pub(crate) async fn $form(
            AxumState(state): AxumState<AppState>,
            caller: Caller,
            Path(id): Path<String>,
            CsrfForm(input): CsrfForm<$input>,
        ) -> Result<Response, WebError> {
            let id = case::parse_id(&id)?;
            $op(&state, &caller, id, input).await?;
            Ok(Redirect::to(&format!("/cases/{id}")).into_response())
        }

        /// The JSON handler.
        pub(crate) async fn $api(
            AxumState(state): AxumState<AppState>,
            caller: Caller,
            Path(id): Path<String>,
            Json(input): Json<$input>,
        ) -> Result<Json<Done>, WebError> {
            let id = case::parse_id(&id)?;
            Ok(Done::of(&$op(&state, &caller, id, input).await?))
        }
    )*};
}

handlers! {
    transition_form, transition_api, TransitionInput, transition;
    hold_form, hold_api, HoldInput, hold;
    assign_form, assign_api, AssignInput, assign;
    invite_form, invite_api, InviteInput, invite;
    reply_form, reply_api, BodyInput, reply;
    note_form, note_api, BodyInput, note;
}

/// Moves a case to `to`.
async fn transition(
    state: &AppState,
    caller: &Caller,
    id: ReportId,
    input: TransitionInput,
) -> Result<Report, WebError> {
    // A case the caller cannot see is a 404 whatever the form says; then the state asked for.
    let Case { mut report, facts } = caller.case(state, id, Action::ViewCase).await?;
    let to = case::parse_state(&input.to).ok_or_else(|| WebError::field("to", "a state"))?;
    caller.authorize_as(&caller.principal, Action::Transition(to), Some(&facts))?;
    let resolution = match input.resolution.as_deref().map(str::trim) {
        None | Some("") => None,
        Some(name) => Some(case::parse_resolution(name).ok_or_else(|| {
            WebError::field("resolution", "accepted, invalid, duplicate or out_of_scope")
        })?),
    };
    if to != State::Triaged && resolution.is_some() {
        return Err(WebError::field(
            "resolution",
            "only triage sets a resolution",
        ));
    }
    let resolution = if to == State::Triaged {
        resolution
    } else {
        report.resolution
    };
    check_transition(report.state, to, resolution)
        .map_err(|e| WebError::field("to", e.to_string()))?;
    let duplicate_of = match (resolution, input.duplicate_of.as_deref().map(str::trim)) {
        (Some(Resolution::Duplicate), Some(other)) if to == State::Triaged && !other.is_empty() => {
            caller.authorize_as(&caller.principal, Action::LinkDuplicate, Some(&facts))?;
            Some(original(state, caller, id, other).await?)
        }
        (Some(Resolution::Duplicate), _) if to == State::Triaged => {
            return Err(WebError::field(
                "duplicate_of",
                "the case this one duplicates",
            ));
        }
        (_, Some(other)) if !other.is_empty() => {
            return Err(WebError::field(
                "duplicate_of",
                "only a case triaged as duplicate links to another",
            ));
        }
        _ => report.duplicate_of,
    };
    let from = report.state;
    let now = state.now();
    report.state = to;
    report.resolution = resolution;
    report.duplicate_of = duplicate_of;
    let clock = &mut report.clock;
    match to {
        State::Acknowledged => clock.acknowledged_at = Some(now),
        State::Triaged => clock.triaged_at = Some(now),
        State::FixReady => clock.fix_ready_at = Some(now),
        State::Disclosed => clock.disclosed_at = Some(now),
        State::Closed => report.closed_at = Some(now),
        State::Received | State::Fixing | State::DisclosureScheduled => {}
    }
    let event = case::event(
        caller,
        "report.transition",
        id,
        serde_json::json!({
            "from": from.as_str(),
            "to": to.as_str(),
            "resolution": resolution.map(case::resolution_name),
            "duplicate_of": duplicate_of.map(|d| d.0),
        }),
    );
    let report = case::save(state, report, event).await?;
    tell(
        state,
        &report,
        Notice::StateChanged { report: id, to },
        None,
    )
    .await;
    Ok(report)
}

/// The case a duplicate points at: an existing case the caller can see, not itself.
async fn original(
    state: &AppState,
    caller: &Caller,
    id: ReportId,
    other: &str,
) -> Result<ReportId, WebError> {
    let unknown = || WebError::field("duplicate_of", "the number of another case you can see");
    let other = case::parse_id(other).map_err(|_| unknown())?;
    if other == id {
        return Err(unknown());
    }
    match caller.case(state, other, Action::ViewCase).await {
        Ok(_) => Ok(other),
        Err(WebError::NotFound) => Err(unknown()),
        Err(e) => Err(e),
    }
}

/// Puts a case on hold (its clocks pause) or resumes it.
async fn hold(
    state: &AppState,
    caller: &Caller,
    id: ReportId,
    input: HoldInput,
) -> Result<Report, WebError> {
    let Case { mut report, .. } = caller.case(state, id, Action::Hold).await?;
    let on = match input.hold.trim() {
        "on" => true,
        "off" => false,
        _ => return Err(WebError::field("hold", "on or off")),
    };
    let now = state.now();
    let clock = &mut report.clock;
    match (on, clock.held_since) {
        (true, None) => clock.held_since = Some(now),
        (false, Some(since)) => {
            clock.held_for = clock.held_for.saturating_add(now.duration_since(since));
            clock.held_since = None;
        }
        // Already so: nothing to record.
        _ => return Ok(report),
    }
    let event = case::event(caller, "report.hold", id, serde_json::json!({ "hold": on }));
    case::save(state, report, event).await
}

/// Assigns the coordinator in charge and/or a maintainer.
async fn assign(
    state: &AppState,
    caller: &Caller,
    id: ReportId,
    input: AssignInput,
) -> Result<Report, WebError> {
    let Case { mut report, .. } = caller.case(state, id, Action::Assign).await?;
    let coordinator = account(
        state,
        "coordinator",
        input.coordinator.as_deref(),
        &[Role::Coordinator, Role::Admin],
    )
    .await?;
    let maintainer = account(
        state,
        "maintainer",
        input.maintainer.as_deref(),
        &[Role::Maintainer],
    )
    .await?;
    if coordinator.is_none() && maintainer.is_none() {
        return Err(WebError::field(
            "coordinator",
            "choose a coordinator or a maintainer",
        ));
    }
    if let Some(user) = coordinator {
        report.coordinator = Some(user);
        let event = case::event(
            caller,
            "report.assign",
            id,
            serde_json::json!({ "coordinator": user.0 }),
        );
        report = case::save(state, report, event).await?;
    }
    if let Some(user) = maintainer {
        let event = case::event(
            caller,
            "report.assign",
            id,
            serde_json::json!({ "maintainer": user.0 }),
        );
        state
            .db(move |store| store.assign_maintainer(id, user, &event))
            .await?;
    }
    Ok(report)
}

/// An enabled account of one of `roles`, by id from a form field (empty: none).
async fn account(
    state: &AppState,
    field: &str,
    value: Option<&str>,
    roles: &[Role],
) -> Result<Option<UserId>, WebError> {
    let Some(value) = value.map(str::trim).filter(|v| !v.is_empty()) else {
        return Ok(None);
    };
    let wrong = || WebError::field(field, format!("the id of an enabled {field} account"));
    let id = UserId(value.parse().map_err(|_| wrong())?);
    let user = state.db(move |store| store.user(id)).await?;
    match user {
        Some(user) if !user.disabled && roles.contains(&user.role) => Ok(Some(user.id)),
        _ => Err(wrong()),
    }
}

/// Invites an existing party account, by email, to the case.
async fn invite(
    state: &AppState,
    caller: &Caller,
    id: ReportId,
    input: InviteInput,
) -> Result<Report, WebError> {
    let Case { report, .. } = caller.case(state, id, Action::InviteParty).await?;
    let email = input.email.trim().to_owned();
    if email.is_empty() || email.len() > 320 {
        return Err(WebError::field("email", "the email of a party account"));
    }
    let user = state.db(move |store| store.user_by_email(&email)).await?;
    let party = match user {
        Some(user) if user.role == Role::Party && !user.disabled => user.id,
        _ => {
            return Err(WebError::field(
                "email",
                "no enabled party account has this email; an admin creates one first",
            ));
        }
    };
    let event = case::event(
        caller,
        "report.invite",
        id,
        serde_json::json!({ "party": party.0 }),
    );
    state
        .db(move |store| store.invite_party(id, party, &event))
        .await?;
    Ok(report)
}

/// Writes to the thread the reporter sees, and tells them.
async fn reply(
    state: &AppState,
    caller: &Caller,
    id: ReportId,
    input: BodyInput,
) -> Result<Report, WebError> {
    let case = caller.case(state, id, Action::Reply).await?;
    write(state, caller, &case.report, &input.body, false).await?;
    // A registered reporter writing on their own case tells the team; the team tells the
    // reporter.
    let audience = if Some(author(caller)?) == case.report.reporter {
        Audience::Team
    } else {
        Audience::Reporter
    };
    tell(
        state,
        &case.report,
        Notice::NewReply { report: id },
        Some(audience),
    )
    .await;
    Ok(case.report)
}

/// Writes a team-only note.
async fn note(
    state: &AppState,
    caller: &Caller,
    id: ReportId,
    input: BodyInput,
) -> Result<Report, WebError> {
    let case = caller.case(state, id, Action::WriteNote).await?;
    write(state, caller, &case.report, &input.body, true).await?;
    Ok(case.report)
}

/// Seals and stores a message with its audit event.
async fn write(
    state: &AppState,
    caller: &Caller,
    report: &Report,
    body: &str,
    team_only: bool,
) -> Result<i64, WebError> {
    let body = body.trim();
    if body.is_empty() {
        return Err(WebError::field("body", "write something"));
    }
    if body.len() > limits::TEXT {
        return Err(WebError::field(
            "body",
            format!("at most {} KiB", limits::TEXT / 1024),
        ));
    }
    let key = content::data_key(state, report)?;
    let id = report.id;
    let message = NewMessage {
        report: id,
        author: Some(author(caller)?),
        team_only,
        body: content::seal_message(&key, id, body),
        created_at: state.now(),
    };
    let action = if team_only {
        "report.note"
    } else {
        "report.reply"
    };
    let event = case::event(caller, action, id, serde_json::json!({}));
    state
        .db(move |store| store.add_message(&message, &[], &event))
        .await
}

/// The account writing (only accounts reach these actions; the follow-up link has its own
/// reply handler).
fn author(caller: &Caller) -> Result<UserId, WebError> {
    Ok(caller.account()?.id)
}

/// Queues a notice; a failure is logged, the action stands.
async fn tell(state: &AppState, report: &Report, notice: Notice, audience: Option<Audience>) {
    let audience = audience.unwrap_or_else(|| Audience::of(&notice));
    if let Err(e) = notify::enqueue_to(state, report, notice, audience).await {
        tracing::error!(report = %report.id, error = format!("{e:#}"), "queueing a notice failed");
    }
}

/// Accepts `"duplicate_of": 3` as well as `"3"` in JSON.
fn lenient_id<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Option<String>, D::Error> {
    #[derive(Deserialize)]
    #[serde(untagged)]
    enum Id {
        Number(i64),
        Text(String),
    }
    Ok(Option::<Id>::deserialize(d)?.map(|id| match id {
        Id::Number(n) => n.to_string(),
        Id::Text(t) => t,
    }))
}
