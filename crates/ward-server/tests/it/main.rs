//! ward serve's integration tests: one binary, one submodule per area.
//!
//! - `desk`: the triage desk through HTTP (`oneshot` over `app(state)`, a fresh SQLite data
//!   directory per test): the workflow, holds, escalation, retention, the CVSS editor, metrics,
//!   reporter data requests, and notifications against a real SMTP server and a webhook
//!   listener.
#![allow(clippy::unwrap_used, reason = "tests fail loudly")]
#![allow(clippy::print_stderr, reason = "tests say what they skipped")]

mod desk;
