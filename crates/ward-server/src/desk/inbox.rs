//! The inbox: the cases a principal can see (`ward_desk::access::visibility`), ordered by the
//! nearest deadline, overdue ones flagged, held ones shown as on hold, a page at a time; as a
//! page (`GET /inbox`) and as JSON (`GET /api/v1/inbox`).
//!
//! Titles are report content: each row's title is opened with its case's key, and the page
//! view is recorded as one `inbox.read` audit event naming the cases shown.

use askama::Template;
use axum::Json;
use axum::extract::{Query, State as AxumState};
use axum::response::Response;
use serde::{Deserialize, Serialize};
use ward_desk::access::visibility;
use ward_desk::audit::NewEvent;
use ward_desk::severity::Band;
use ward_desk::state::State;
use ward_store::{InboxQuery, Report};

use super::case::{self, DeadlineView};
use crate::AppState;
use crate::auth::{Authorized, Caller, perm};
use crate::content;
use crate::error::WebError;
use crate::pages::{Chrome, render};

/// Cases per page.
const PAGE_SIZE: u32 = 50;

/// `?page=2&state=fixing&all=1`.
#[derive(Debug, Default, Deserialize)]
pub(crate) struct InboxParams {
    /// 1-based.
    #[serde(default)]
    page: Option<String>,
    /// Only this state.
    #[serde(default)]
    state: Option<String>,
    /// Include disclosed and closed cases.
    #[serde(default)]
    all: Option<String>,
}

/// One row.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct Row {
    /// The case.
    pub(crate) id: i64,
    /// Decrypted title.
    pub(crate) title: String,
    /// State name.
    pub(crate) state: &'static str,
    /// State for people.
    #[serde(skip)]
    pub(crate) state_label: &'static str,
    /// The next deadline.
    pub(crate) deadline: Option<DeadlineView>,
    /// Whether the case is on hold.
    pub(crate) on_hold: bool,
    /// Past its deadline.
    pub(crate) overdue: bool,
    /// The score shown.
    pub(crate) score: Option<f64>,
    /// Its band.
    pub(crate) band: Option<&'static str>,
}

/// A page of rows.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct Listing {
    /// The rows.
    pub(crate) cases: Vec<Row>,
    /// Matching cases in all.
    pub(crate) total: u64,
    /// This page, 1-based.
    pub(crate) page: u32,
    /// Pages in all (at least 1).
    pub(crate) pages: u32,
}

#[derive(Template)]
#[template(path = "desk/inbox.html")]
struct InboxPage {
    chrome: Chrome,
    listing: Listing,
    filter: String,
    all: bool,
    states: Vec<(&'static str, &'static str)>,
    prev: Option<String>,
    next: Option<String>,
}

/// `GET /inbox`.
pub(crate) async fn page(
    AxumState(state): AxumState<AppState>,
    authorized: Authorized<perm::ViewInbox>,
    Query(params): Query<InboxParams>,
) -> Result<Response, WebError> {
    let caller = authorized.caller;
    let (listing, filter, all) = list(&state, &caller, &params).await?;
    let link = |page: u32| {
        let mut href = format!("/inbox?page={page}");
        if !filter.is_empty() {
            href.push_str(&format!("&state={filter}"));
        }
        if all {
            href.push_str("&all=1");
        }
        href
    };
    let prev = (listing.page > 1).then(|| link(listing.page - 1));
    let next = (listing.page < listing.pages).then(|| link(listing.page + 1));
    render(&InboxPage {
        chrome: Chrome::new(&state, &caller, "Inbox"),
        states: State::ALL
            .iter()
            .map(|s| (s.as_str(), case::state_label(*s)))
            .collect(),
        listing,
        filter,
        all,
        prev,
        next,
    })
}

/// `GET /api/v1/inbox`.
pub(crate) async fn api(
    AxumState(state): AxumState<AppState>,
    authorized: Authorized<perm::ViewInbox>,
    Query(params): Query<InboxParams>,
) -> Result<Json<Listing>, WebError> {
    let caller = authorized.caller;
    let (listing, _, _) = list(&state, &caller, &params).await?;
    Ok(Json(listing))
}

/// Reads the page of the inbox the parameters ask for.
async fn list(
    state: &AppState,
    caller: &Caller,
    params: &InboxParams,
) -> Result<(Listing, String, bool), WebError> {
    let page = match params.page.as_deref().map(str::trim) {
        None | Some("") => 1,
        Some(p) => p
            .parse::<u32>()
            .ok()
            .filter(|p| (1..=100_000).contains(p))
            .ok_or_else(|| WebError::field("page", "a page number from 1"))?,
    };
    let filter = match params.state.as_deref().map(str::trim) {
        None | Some("") => None,
        Some(name) => {
            Some(case::parse_state(name).ok_or_else(|| WebError::field("state", "a state name"))?)
        }
    };
    let all = matches!(params.all.as_deref(), Some("1" | "true" | "on")) || filter.is_some();
    let query = InboxQuery {
        visibility: visibility(&caller.principal),
        state: filter,
        include_done: all,
        limit: PAGE_SIZE,
        offset: (page - 1) * PAGE_SIZE,
    };
    let found = state.db(move |store| store.inbox(&query)).await?;
    let now = state.now();
    let mut cases = Vec::with_capacity(found.reports.len());
    for report in &found.reports {
        cases.push(row(state, report, now)?);
    }
    if !cases.is_empty() {
        let ids: Vec<i64> = cases.iter().map(|r| r.id).collect();
        let event = NewEvent {
            actor: caller.actor(),
            action: "inbox.read".to_owned(),
            report: None,
            detail: serde_json::json!({ "cases": ids }).to_string(),
        };
        state.db(move |store| store.append_event(&event)).await?;
    }
    let pages = u32::try_from(found.total.div_ceil(u64::from(PAGE_SIZE)))
        .unwrap_or(u32::MAX)
        .max(1);
    let listing = Listing {
        cases,
        total: found.total,
        page,
        pages,
    };
    Ok((
        listing,
        filter.map(|s| s.as_str().to_owned()).unwrap_or_default(),
        all,
    ))
}

/// One row, its title opened with the case's key.
fn row(state: &AppState, report: &Report, now: jiff::Timestamp) -> Result<Row, WebError> {
    let key = content::data_key(state, report)?;
    let title = content::open_content(&key, report)?.submission.title;
    let deadline = case::next_deadline(state, report, now);
    Ok(Row {
        id: report.id.0,
        title,
        state: report.state.as_str(),
        state_label: case::state_label(report.state),
        overdue: deadline.as_ref().is_some_and(|d| d.overdue),
        on_hold: report.clock.held_since.is_some(),
        deadline,
        score: report.score,
        band: report.score.map(|s| Band::from_score(s).as_str()),
    })
}
