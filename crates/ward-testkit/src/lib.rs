//! What ward's integration tests share, written once: where the shared test data and the
//! reference implementations are (and whether a suite that needs them skips or fails), how an
//! oracle is run, and how archives and fixture directories are read.
//!
//! **A dev-dependency only.** No ward library or binary may depend on this crate: it panics
//! instead of returning errors and prints skip reasons, as tests should and products must
//! not. It depends on no ward crate either, so every crate's tests can use it.
//!
//! Suites that need something outside the repository skip with a printed reason
//! (`SKIPPED: ...` on standard error) when it is missing, unless the matching variable is
//! `1`, as `.ci/run` sets it, which makes them fail instead:
//!
//! | what | where | required by |
//! | --- | --- | --- |
//! | the shared test data | `$WARD_SHARED_DATA`, default `../shared/data` beside the workspace | `WARD_REQUIRE_SHARED_DATA=1` |
//! | the reference implementations | `$WARD_REFERENCE_DIR`, default `/var/tmp/ward-reference` | `WARD_REQUIRE_REFERENCE=1` |
//! | Chromium, `chromedriver`, Python's `aiosmtpd` ([`Chromedriver`], [`SmtpCapture`]) | `/usr/bin`, `PATH`, `$WARD_CHROMIUM`, `$WARD_CHROMEDRIVER`, `$WARD_TEST_PYTHON` | `WARD_REQUIRE_BROWSER=1` |
//! | PostgreSQL | `$WARD_TEST_POSTGRES_URL`, default `postgres://postgres@127.0.0.1:5432/test` | `WARD_REQUIRE_POSTGRES=1` |
//! | `minisign`, `ssh-keygen`, `gpg` ([`signing_tool`]) | `PATH` | `WARD_REQUIRE_SIGNING_TOOLS=1` |
//!
//! [`require_or_skip`] applies the same rule to any other prerequisite.
//!
//! ```no_run
//! let Some(data) = ward_testkit::shared_data() else { return };
//! ward_testkit::each_in_archive(
//!     &data.join("rustsec-advisory-db/rustsec-osv-export.tar.zst"),
//!     "crates/",
//!     ".json",
//!     |name, bytes| assert!(!bytes.is_empty(), "{name}"),
//! );
//! ```

#![deny(missing_docs)]
#![forbid(unsafe_code)]

mod files;
mod oracle;
mod prerequisites;
mod services;

pub use files::{
    archive_files, each_in_archive, each_in_dir, files_in, files_under, open_archive, relative,
};
pub use oracle::{run_oracle, run_oracle_lines, runs};
pub use prerequisites::{
    INSTALLED_BY_CI, reference_available, reference_dir, shared_data, shared_file,
};
pub use services::chromedriver::Chromedriver;
pub use services::postgres::postgres_url;
pub use services::smtp::{CapturedMail, SmtpCapture};
pub use services::{
    OwnedProcess, find_program, free_port, output_of, require_or_skip, required, signing_tool,
    wait_for_port,
};
