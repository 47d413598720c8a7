//! ward-log's integration tests.
#![allow(clippy::unwrap_used)]
