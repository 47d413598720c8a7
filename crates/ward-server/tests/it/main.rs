//! ward-server's integration tests: the whole application, driven with `oneshot` over a fresh
//! SQLite instance per test (no socket), except `server`, which binds one.
#![allow(clippy::unwrap_used, reason = "tests fail loudly")]
#![allow(clippy::print_stderr, reason = "suites say why they skip")]

mod accounts;
mod admin;
mod bad_input;
mod confidentiality;
mod csrf;
mod headers;
mod intake;
mod login;
mod routes;
mod server;
mod support;
