//! ward-vulndb's integration tests: real databases in temporary directories, filled from the
//! shared data and from records written by the tests, and a real HTTP server on 127.0.0.1.

#![allow(clippy::print_stderr)] // suites report what they counted and why they skip

mod archives;
mod datasets;
mod matching;
mod server;
mod speed;
mod support;
mod sync;
