//! ward-lockfile's integration tests: one binary, one module per format.
//!
//! Each format module snapshots every fixture of its format under
//! `../shared/data/lockfile-fixtures/osv-scalibr` (and fails when a new one appears that it
//! does not cover), reads the big real lockfiles of `../shared/data/big-lockfiles` and checks
//! their counts against an independent reading, and pins the exact error for malformed input.
//! `e2e` checks package counts against osv-scanner's own end-to-end expectations, and
//! `discover` the walk over directories.
//! Suites that need the shared data skip with a printed reason when it is missing, unless
//! `WARD_REQUIRE_SHARED_DATA=1` makes them required.

#![allow(clippy::print_stderr)] // suites say why they skip

mod cargo;
mod discover;
mod e2e;
mod mix;
mod npm;
mod pnpm;
mod poetry;
mod requirements;
mod support;
mod uv;
mod yarn;
