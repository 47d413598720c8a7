//! ward-server's integration tests: the whole application, driven with `oneshot` over a fresh
//! SQLite instance per test (no socket), except `server`, which binds one.
//!
//! - `desk`: the triage desk through HTTP: the workflow, holds, escalation, retention, the CVSS
//!   editor, metrics, reporter data requests, and notifications against a real SMTP server and
//!   a webhook listener.
#![allow(clippy::unwrap_used, reason = "tests fail loudly")]
#![allow(clippy::print_stderr, reason = "suites say why they skip")]

mod accounts;
mod admin;
mod bad_input;
mod confidentiality;
mod csrf;
mod desk;
mod headers;
mod intake;
mod login;
mod routes;
mod server;
mod support;
