//! Tests that need a process of their own: one whose log capture must be the process's only
//! tracing subscriber (other suites of this binary install theirs), or one that may abort.

use std::process::Command;

/// Runs the test named `test` (its full path) in a process of its own: this test binary again,
/// with only that test, and [`inside`] true there. Its output is shown when it fails; its
/// `SKIPPED`/`NOTE` lines always.
pub(crate) fn run_isolated(test: &str) {
    let output = Command::new(std::env::current_exe().unwrap())
        .args([test, "--exact", "--nocapture", "--test-threads=1"])
        .env(ISOLATED, "1")
        .output()
        .unwrap();
    let said = format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    for line in said
        .lines()
        .filter(|l| l.starts_with("SKIPPED") || l.starts_with("NOTE"))
    {
        eprintln!("{line}");
    }
    assert!(output.status.success(), "{test} failed:\n{said}");
    assert!(
        said.contains("1 passed"),
        "{test} did not run in the child process:\n{said}"
    );
}

/// Set in the process [`run_isolated`] starts.
const ISOLATED: &str = "WARD_TEST_ISOLATED";

/// Whether this process is one [`run_isolated`] started (a test meant to run there does
/// nothing elsewhere).
pub(crate) fn inside() -> bool {
    std::env::var_os(ISOLATED).is_some()
}
