//! Cross-checks of `ward scan` against independent tools on the same data: whether the set of
//! (lockfile, package, version, advisory) ward reports equals what another implementation
//! reports for the same lockfiles and the same advisories.
//!
//! - `cargo_audit`: `Cargo.lock` files against `cargo audit` and the same RustSec
//!   advisory-db checkout.
//! - `npm`: npm lockfiles against an oracle built on npm's `semver` package that evaluates
//!   the same OSV records by the OSV schema's pseudocode (`tests/oracles/npm_osv.js`).
//! - `pypi`: `requirements.txt`, `poetry.lock` and `uv.lock` against an oracle built on
//!   PyPI's `packaging` evaluating the PyPA advisory database (`tests/oracles/pypi_osv.py`).
//!
//! Each suite prepares its inputs in a temporary directory from `../shared/data` (real
//! lockfiles plus a synthetic one with the versions around every bound of the advisories),
//! runs `ward db import` and `ward scan --format json`, runs the reference, and compares.
//! A difference fails the test unless a named entry of the suite's divergence table, with
//! its reason, recognises it; an entry that no longer matches anything fails too. Counts are
//! printed (CI runs the tests with `--show-output`).
//!
//! Suites skip with a printed reason when the shared data or the reference tools are
//! missing, unless `WARD_REQUIRE_SHARED_DATA=1` / `WARD_REQUIRE_REFERENCE=1` (as in
//! `.ci/run`), which make them fail instead.

#![allow(clippy::print_stderr)] // suites report what they compared

mod cargo_audit;
mod npm;
mod pypi;
mod support;
