//! Where the test data and the reference implementations are, and how to run an oracle.

use std::env;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

/// `../shared/data`, or `$WARD_SHARED_DATA`. `None` (with the reason printed) when absent and
/// not required; a failure when `WARD_REQUIRE_SHARED_DATA=1`.
pub(crate) fn shared_data() -> Option<PathBuf> {
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

/// The directory `.ci/install-references` installs the reference implementations into:
/// `$WARD_REFERENCE_DIR`, by default `/var/tmp/ward-reference`.
pub(crate) fn reference_dir() -> PathBuf {
    env::var_os("WARD_REFERENCE_DIR")
        .map_or_else(|| PathBuf::from("/var/tmp/ward-reference"), PathBuf::from)
}

/// Whether a reference implementation is usable; prints why not, or fails when
/// `WARD_REQUIRE_REFERENCE=1`.
pub(crate) fn reference_available(name: &str, available: bool, hint: &str) -> bool {
    if !available {
        skip_or_fail(
            "WARD_REQUIRE_REFERENCE",
            &format!(
                "reference implementation {name} is not installed ({hint}; `.ci/install-references` installs it)"
            ),
        );
    }
    available
}

/// Whether `program` can be run at all.
pub(crate) fn has_program(program: &str, version_arg: &str) -> bool {
    Command::new(program)
        .arg(version_arg)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success())
}

/// Runs an oracle: feeds `input` on standard input, returns standard output, one answer per
/// line. Panics with the oracle's standard error when it fails.
pub(crate) fn run_oracle(command: &mut Command, input: &str) -> Vec<String> {
    let mut child = command
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap_or_else(|e| panic!("starting oracle {command:?}: {e}"));
    let mut stdin = child.stdin.take().expect("stdin is piped");
    let input = input.to_owned();
    let writer = std::thread::spawn(move || stdin.write_all(input.as_bytes()));
    let output = child.wait_with_output().expect("oracle runs");
    writer
        .join()
        .expect("writer thread")
        .expect("oracle reads its input");
    assert!(
        output.status.success(),
        "oracle {command:?} failed: {}\n{}",
        output.status,
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8(output.stdout)
        .expect("oracle prints UTF-8")
        .lines()
        .map(str::to_owned)
        .collect()
}

/// The path of an oracle script in `tests/oracles/`.
pub(crate) fn oracle_script(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/oracles")
        .join(name)
}

/// Compares answers case by case; fails listing up to 20 disagreements and how many there
/// were. Prints how many cases ran.
pub(crate) fn assert_agreement(suite: &str, cases: &[String], ours: &[String], theirs: &[String]) {
    assert_eq!(
        ours.len(),
        cases.len(),
        "{suite}: one answer per case from ward"
    );
    assert_eq!(
        theirs.len(),
        cases.len(),
        "{suite}: one answer per case from the reference"
    );
    let disagreements: Vec<String> = cases
        .iter()
        .zip(ours.iter().zip(theirs))
        .filter(|(_, (a, b))| a != b)
        .map(|(case, (a, b))| format!("  {case}: ward says {a}, reference says {b}"))
        .collect();
    assert!(
        disagreements.is_empty(),
        "{suite}: {} of {} cases disagree with the reference:\n{}",
        disagreements.len(),
        cases.len(),
        disagreements
            .iter()
            .take(20)
            .cloned()
            .collect::<Vec<_>>()
            .join("\n")
    );
    eprintln!(
        "{suite}: {} cases, all agree with the reference",
        cases.len()
    );
}

fn skip_or_fail(variable: &str, reason: &str) {
    if env::var(variable).is_ok_and(|v| v == "1") {
        panic!("{reason}, and {variable}=1 makes this suite required");
    }
    eprintln!("SKIPPED: {reason}");
}
