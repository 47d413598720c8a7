//! ward serve as a whole: a real server on loopback, real browsers, a real SMTP server.
//!
//! - `browser`: the end-to-end test in headless Chromium (report → TOTP login → inbox
//!   → acknowledge → score → the reporter's page and the acknowledgment email), and the report
//!   form without JavaScript.
//! - `matrix`: every route × every role × own/other's/guessed objects against
//!   `ward_desk::access::authorize`.
//! - `marker`: a report's content is nowhere in clear: database files, WAL, keys, logs,
//!   PostgreSQL, emails.
//! - `support`: the harness (server, SMTP capture, chromedriver, HTTP client, TOTP, scans).
#![allow(clippy::unwrap_used, reason = "tests fail loudly")]
#![allow(
    clippy::print_stderr,
    reason = "tests report what they skipped and counted"
)]

mod browser;
mod marker;
mod matrix;
mod support;
