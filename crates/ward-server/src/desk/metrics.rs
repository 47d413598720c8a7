//! How the team is doing: median time to acknowledge, to triage and to a ready fix, and how
//! many cases are open and overdue in each state. Shown at `/team/metrics` and exported at
//! `/metrics` in the Prometheus (OpenMetrics) text format; both need
//! `Action::ViewMetrics` (coordinators, admins, or their read tokens).
//!
//! The medians are wall-clock times from receipt (holds included: they measure what the
//! reporter waited), over every case that reached the milestone. "Open" is every state but
//! closed.

use std::collections::BTreeMap;

use askama::Template;
use axum::extract::State as AxumState;
use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Response};
use jiff::{SignedDuration, Timestamp};
use prometheus_client::encoding::text::encode;
use prometheus_client::metrics::family::Family;
use prometheus_client::metrics::gauge::Gauge;
use prometheus_client::registry::Registry;
use ward_desk::sla::{self, Clock, SlaPolicy};
use ward_desk::state::{Resolution, State};

use super::case;
use crate::AppState;
use crate::auth::{Authorized, perm};
use crate::error::WebError;
use crate::pages::{Chrome, render};

/// The content type of `/metrics`.
pub(crate) const OPENMETRICS: &str = "application/openmetrics-text; version=1.0.0; charset=utf-8";

#[derive(Template)]
#[template(path = "desk/metrics.html")]
struct MetricsPage {
    chrome: Chrome,
    medians: Vec<(&'static str, &'static str, Option<String>)>,
    states: Vec<(&'static str, &'static str, u64, u64)>,
    total: u64,
    open: u64,
    overdue: u64,
}

/// `GET /team/metrics`.
pub(crate) async fn page(
    AxumState(state): AxumState<AppState>,
    authorized: Authorized<perm::ViewMetrics>,
) -> Result<Response, WebError> {
    let caller = authorized.caller;
    let figures = current(&state).await?;
    let shown = |d: Option<SignedDuration>| d.map(human);
    render(&MetricsPage {
        chrome: Chrome::new(&state, &caller, "Metrics"),
        medians: vec![
            (
                "acknowledge",
                "Time to acknowledge",
                shown(figures.acknowledge),
            ),
            ("triage", "Time to triage", shown(figures.triage)),
            ("fix", "Time to a ready fix", shown(figures.fix)),
        ],
        states: figures
            .by_state
            .iter()
            .map(|(s, (open, overdue))| (s.as_str(), case::state_label(*s), *open, *overdue))
            .collect(),
        total: figures.total,
        open: figures.by_state.values().map(|(o, _)| o).sum(),
        overdue: figures.by_state.values().map(|(_, o)| o).sum(),
    })
}

/// `GET /metrics`.
pub(crate) async fn prometheus(
    AxumState(state): AxumState<AppState>,
    _: Authorized<perm::ViewMetrics>,
) -> Result<Response, WebError> {
    let figures = current(&state).await?;
    let mut response = openmetrics(&figures).into_response();
    response
        .headers_mut()
        .insert(header::CONTENT_TYPE, HeaderValue::from_static(OPENMETRICS));
    Ok(response)
}

/// The figures now.
async fn current(state: &AppState) -> Result<Figures, WebError> {
    let clocks = state.db(|store| store.clocks()).await?;
    Ok(figures(&state.config.sla, &clocks, state.now()))
}

/// The figures of the metrics page.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Figures {
    /// Median received → acknowledged.
    pub(crate) acknowledge: Option<SignedDuration>,
    /// Median received → triaged.
    pub(crate) triage: Option<SignedDuration>,
    /// Median received → fix ready.
    pub(crate) fix: Option<SignedDuration>,
    /// Per state (closed left out): (open, overdue).
    pub(crate) by_state: BTreeMap<State, (u64, u64)>,
    /// Cases counted in all.
    pub(crate) total: u64,
}

/// Computes the figures from every case's clock at `now`.
pub(crate) fn figures(
    policy: &SlaPolicy,
    clocks: &[(State, Option<Resolution>, Clock)],
    now: Timestamp,
) -> Figures {
    let mut acknowledge = Vec::new();
    let mut triage = Vec::new();
    let mut fix = Vec::new();
    let mut by_state: BTreeMap<State, (u64, u64)> = State::ALL
        .iter()
        .filter(|s| **s != State::Closed)
        .map(|s| (*s, (0, 0)))
        .collect();
    for (state, resolution, clock) in clocks {
        let since = |at: Option<Timestamp>| at.map(|at| at.duration_since(clock.received_at));
        acknowledge.extend(since(clock.acknowledged_at));
        triage.extend(since(clock.triaged_at));
        fix.extend(since(clock.fix_ready_at));
        if *state == State::Closed {
            continue;
        }
        let overdue =
            sla::next_deadline(policy, clock, *state, *resolution, now).is_some_and(|d| d.overdue);
        let entry = by_state.entry(*state).or_default();
        entry.0 += 1;
        entry.1 += u64::from(overdue);
    }
    Figures {
        acknowledge: sla::median(&mut acknowledge),
        triage: sla::median(&mut triage),
        fix: sla::median(&mut fix),
        by_state,
        total: clocks.len() as u64,
    }
}

/// The figures in the OpenMetrics text format.
pub(crate) fn openmetrics(figures: &Figures) -> String {
    let mut registry = Registry::with_prefix("ward");
    for (name, help, value) in [
        (
            "time_to_acknowledge_median_seconds",
            "Median time from receipt to acknowledgment",
            figures.acknowledge,
        ),
        (
            "time_to_triage_median_seconds",
            "Median time from receipt to triage",
            figures.triage,
        ),
        (
            "time_to_fix_median_seconds",
            "Median time from receipt to a ready fix",
            figures.fix,
        ),
    ] {
        // A median of no case is left out rather than reported as zero.
        if let Some(value) = value {
            let gauge = Gauge::<f64, std::sync::atomic::AtomicU64>::default();
            gauge.set(value.as_secs_f64());
            registry.register(name, help, gauge);
        }
    }
    let open = Family::<Vec<(String, String)>, Gauge>::default();
    let overdue = Family::<Vec<(String, String)>, Gauge>::default();
    for (state, (n_open, n_overdue)) in &figures.by_state {
        let labels = vec![("state".to_owned(), state.as_str().to_owned())];
        open.get_or_create(&labels)
            .set(i64::try_from(*n_open).unwrap_or(i64::MAX));
        overdue
            .get_or_create(&labels)
            .set(i64::try_from(*n_overdue).unwrap_or(i64::MAX));
    }
    registry.register("cases_open", "Cases not closed, by state", open);
    registry.register("cases_overdue", "Cases past a deadline, by state", overdue);
    let total = Gauge::<i64>::default();
    total.set(i64::try_from(figures.total).unwrap_or(i64::MAX));
    registry.register("cases", "Cases received in all", total);
    let mut out = String::new();
    // Writing into a String cannot fail.
    let _ = encode(&mut out, &registry);
    out
}

/// A duration for people: `3 d 4 h`, `5 h 12 min`, `40 min`, `12 s`.
pub(crate) fn human(duration: SignedDuration) -> String {
    let secs = duration.as_secs().max(0);
    let (d, h, m) = (secs / 86_400, secs % 86_400 / 3_600, secs % 3_600 / 60);
    if d > 0 {
        format!("{d} d {h} h")
    } else if h > 0 {
        format!("{h} h {m} min")
    } else if m > 0 {
        format!("{m} min")
    } else {
        format!("{secs} s")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn human_durations() {
        assert_eq!(human(SignedDuration::from_secs(12)), "12 s");
        assert_eq!(human(SignedDuration::from_mins(40)), "40 min");
        assert_eq!(human(SignedDuration::from_mins(312)), "5 h 12 min");
        assert_eq!(human(SignedDuration::from_hours(76)), "3 d 4 h");
        assert_eq!(human(SignedDuration::from_secs(-5)), "0 s");
    }
}
