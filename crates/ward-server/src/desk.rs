//! The triage desk: inbox, case pages and their actions, metrics, notifications, jobs.
//! (Filled in by the desk's own commits; the core calls [`routes`] and [`spawn_jobs`].)

use axum::Router;
use tokio::sync::watch;
use tokio::task::JoinHandle;

use crate::AppState;
use crate::routes::Route;

/// The desk's routes, listed like [`crate::routes::ROUTES`].
pub(crate) static ROUTES: &[Route] = &[];

/// The desk's router, merged into [`crate::app`].
pub(crate) fn routes() -> Router<AppState> {
    Router::new()
}

/// Starts the background jobs (notification sender, escalations, retention); they stop when
/// `shutdown` turns `true`. [`crate::Server::run`] awaits the handles after the last request.
pub(crate) fn spawn_jobs(state: &AppState, shutdown: watch::Receiver<bool>) -> Vec<JoinHandle<()>> {
    let _ = (state, shutdown);
    Vec::new()
}
