//! Where the shared test data and the reference implementations are, and what a suite does
//! when they are missing.

use std::env;
use std::path::{Path, PathBuf};

/// `../shared/data` beside the workspace, or `$WARD_SHARED_DATA`. `None` (with the reason
/// printed) when absent and not required; a failure when `WARD_REQUIRE_SHARED_DATA=1`.
pub fn shared_data() -> Option<PathBuf> {
    let dir = match env::var_os("WARD_SHARED_DATA") {
        Some(dir) => PathBuf::from(dir),
        None => Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/data"),
    };
    if dir.join("README.md").is_file() {
        return Some(dir);
    }
    skip_or_fail(
        "WARD_REQUIRE_SHARED_DATA",
        &format!(
            "shared test data not found at {} (set WARD_SHARED_DATA)",
            dir.display()
        ),
    );
    None
}

/// A file of the shared data (`big-lockfiles/uv-cargo/Cargo.lock`), or `None` when the data
/// is missing and not required.
pub fn shared_file(relative: &str) -> Option<PathBuf> {
    shared_data().map(|dir| dir.join(relative))
}

/// The directory `.ci/install-references` installs the reference implementations into:
/// `$WARD_REFERENCE_DIR`, by default `/var/tmp/ward-reference`.
pub fn reference_dir() -> PathBuf {
    env::var_os("WARD_REFERENCE_DIR")
        .map_or_else(|| PathBuf::from("/var/tmp/ward-reference"), PathBuf::from)
}

/// The end of a hint for a reference that `.ci/install-references` installs.
pub const INSTALLED_BY_CI: &str = "`.ci/install-references` installs it";

/// Whether a reference is usable. When it is not, prints `SKIPPED: <what> is not installed
/// (<hint>)`, or fails with that reason when `WARD_REQUIRE_REFERENCE=1`.
pub fn reference_available(what: &str, available: bool, hint: &str) -> bool {
    if !available {
        skip_or_fail(
            "WARD_REQUIRE_REFERENCE",
            &format!("{what} is not installed ({hint})"),
        );
    }
    available
}

#[allow(
    clippy::print_stderr,
    reason = "the skip reason belongs in the test output"
)]
pub(crate) fn skip_or_fail(variable: &str, reason: &str) {
    if env::var(variable).is_ok_and(|v| v == "1") {
        panic!("{reason}, and {variable}=1 makes this suite required");
    }
    eprintln!("SKIPPED: {reason}");
}
