//! `ward version compare` and `ward version check`.

use crate::{Run, ward};

fn out(code: i32, stdout: &str) -> Run {
    Run {
        code,
        stdout: stdout.to_owned(),
        stderr: String::new(),
    }
}

#[test]
fn compare_prints_one_sign_and_exits_zero() {
    assert_eq!(
        ward(&["version", "compare", "SEMVER", "1.0.0-rc.1", "1.0.0"]),
        out(0, "<\n")
    );
    assert_eq!(
        ward(&["version", "compare", "SEMVER", "v1.2", "1.2.0+build.7"]),
        out(0, "=\n")
    );
    assert_eq!(
        ward(&["version", "compare", "semver", "1.10.0", "1.9.0"]),
        out(0, ">\n")
    );
}

#[test]
fn check_answers_yes_or_no_with_the_exit_status() {
    assert_eq!(
        ward(&["version", "check", "SEMVER", "1.5.0", ">=1.0.0, <2.0.0"]),
        out(0, "yes\n")
    );
    assert_eq!(
        ward(&["version", "check", "SEMVER", "2.0.0", ">=1.0.0, <2.0.0"]),
        out(1, "no\n")
    );
    // A pre-release inside the interval is in the range.
    assert_eq!(
        ward(&["version", "check", "SEMVER", "2.0.0-rc.1", ">=1.0.0 <2.0.0"]),
        out(0, "yes\n")
    );
}

#[test]
fn explain_shows_the_intervals_on_stderr() {
    let run = ward(&[
        "version",
        "check",
        "--explain",
        "SEMVER",
        "3.0.0",
        ">=1.0.0 <2.0.0 || >=3",
    ]);
    assert_eq!(run.code, 0);
    assert_eq!(run.stdout, "yes\n");
    assert!(
        run.stderr.contains("is >=1.0.0, <2.0.0 | >=3.0.0"),
        "{}",
        run.stderr
    );
}

#[test]
fn invalid_input_exits_two_naming_what_was_expected() {
    let run = ward(&["version", "compare", "SEMVER", "1.0.x", "1.0.0"]);
    assert_eq!(run.code, 2);
    assert_eq!(run.stdout, "");
    assert_eq!(
        run.stderr,
        "error: invalid SEMVER version \"1.0.x\": component 3 is \"x\"; expected digits \
         (a pre-release is written after a hyphen, as in 1.0.0-beta.1)\n"
    );

    let run = ward(&["version", "check", "SEMVER", "1.0.0", ">=1.0.0 <"]);
    assert_eq!(run.code, 2);
    assert_eq!(
        run.stderr,
        "error: invalid SEMVER range \">=1.0.0 <\" at column 9: expected a version after \"<\"\n"
    );
}

#[test]
fn unknown_ecosystems_list_the_known_ones() {
    let run = ward(&["version", "compare", "cocoapods", "1", "2"]);
    assert_eq!(run.code, 2);
    assert!(
        run.stderr.starts_with(
            "error: unknown ecosystem \"cocoapods\"; expected an OSV ecosystem name ("
        ),
        "{}",
        run.stderr
    );
    for name in [
        "npm",
        "crates.io",
        "PyPI",
        "Go",
        "Maven",
        "RubyGems",
        "NuGet",
        "Hex",
        "Packagist",
        "Pub",
        "Debian",
    ] {
        assert!(
            run.stderr.contains(name),
            "{name} missing from: {}",
            run.stderr
        );
    }
    assert!(
        run.stderr.trim_end().ends_with("or SEMVER"),
        "{}",
        run.stderr
    );

    let run = ward(&["version", "compare", "Linux", "5.10", "5.11"]);
    assert_eq!(run.code, 2);
    assert!(
        run.stderr
            .contains("ward has no version ordering for the Linux ecosystem"),
        "{}",
        run.stderr
    );
}

#[test]
fn usage_errors_exit_two() {
    let run = ward(&["version", "compare", "npm", "1.0.0"]);
    assert_eq!(run.code, 2);
    assert!(
        run.stderr
            .contains("Usage: ward version compare <ECOSYSTEM> <A> <B>"),
        "{}",
        run.stderr
    );
}

#[test]
fn check_help_explains_pre_release_membership() {
    let run = ward(&["version", "check", "--help"]);
    assert_eq!(run.code, 0);
    assert!(run.stdout.contains("includePrerelease"), "{}", run.stdout);
    assert!(run.stdout.contains("prereleases=True"), "{}", run.stdout);
    assert!(
        run.stdout.contains("Exit status: 0 and \"yes\""),
        "{}",
        run.stdout
    );
}
