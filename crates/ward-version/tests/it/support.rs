//! Where the test data and the reference implementations are, and how to run an oracle:
//! ward-testkit's, with this crate's wording of a missing reference.

use std::path::{Path, PathBuf};

pub(crate) use ward_testkit::{reference_dir, run_oracle_lines, runs, shared_data};

/// Whether a reference implementation is usable; prints why not, or fails when
/// `WARD_REQUIRE_REFERENCE=1`.
pub(crate) fn reference_available(name: &str, available: bool, hint: &str) -> bool {
    let hint = format!("{hint}; {}", ward_testkit::INSTALLED_BY_CI);
    ward_testkit::reference_available(
        &format!("reference implementation {name}"),
        available,
        &hint,
    )
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
