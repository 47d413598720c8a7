//! Every case of `../shared/data/version-vectors`: osv-scalibr's and osv.dev's own ordering
//! tests, one comparison per line (`A < B`, `A = B`, ...), and their machine-generated sorted
//! chains built from real registry version lists.

use std::cmp::Ordering;
use std::fs;

use ward_version::Scheme;

use crate::support::shared_data;

/// Checks every comparison line of `file` (relative to `version-vectors/`) in `scheme`.
fn check_file(scheme: Scheme, file: &str) {
    let Some(data) = shared_data() else { return };
    let path = data.join("version-vectors").join(file);
    let text =
        fs::read_to_string(&path).unwrap_or_else(|e| panic!("reading {}: {e}", path.display()));
    let mut failures = Vec::new();
    let mut cases = 0;
    for (number, line) in text.lines().enumerate() {
        let line = line.trim();
        if line.is_empty() || line.starts_with("//") || line.starts_with('#') {
            continue;
        }
        let parts: Vec<&str> = line.split_whitespace().collect();
        let [a, op, b] = parts[..] else {
            panic!(
                "{}:{}: expected `A OP B`, found {line:?}",
                path.display(),
                number + 1
            );
        };
        cases += 1;
        let location = format!("{}:{}", file, number + 1);
        let (va, vb) = match (scheme.parse_version(a), scheme.parse_version(b)) {
            (Ok(va), Ok(vb)) => (va, vb),
            (Err(e), _) | (_, Err(e)) => {
                failures.push(format!("{location}: {line}: {e}"));
                continue;
            }
        };
        let order = va.compare(&vb).expect("same scheme");
        let holds = match op {
            "<" => order == Ordering::Less,
            ">" => order == Ordering::Greater,
            "=" | "==" => order == Ordering::Equal,
            "!=" => order != Ordering::Equal,
            "<=" => order != Ordering::Greater,
            ">=" => order != Ordering::Less,
            other => panic!("{location}: unknown operator {other:?}"),
        };
        // Both directions: `A < B` must also mean `B > A`.
        let reverse = vb.compare(&va).expect("same scheme");
        if !holds || reverse != order.reverse() {
            failures.push(format!(
                "{location}: {line}: ward orders them {order:?} (reverse {reverse:?})"
            ));
        }
    }
    assert!(cases > 0, "{file}: no cases found");
    assert!(
        failures.is_empty(),
        "{file}: {} of {cases} cases fail:\n{}",
        failures.len(),
        failures
            .iter()
            .take(30)
            .cloned()
            .collect::<Vec<_>>()
            .join("\n")
    );
    eprintln!("{file}: {cases} cases passed ({scheme})");
}

/// Checks a list of versions that are all valid, or all invalid, in `scheme`.
fn check_validity(scheme: Scheme, file: &str, valid: bool) {
    let Some(data) = shared_data() else { return };
    let path = data.join("version-vectors").join(file);
    let text =
        fs::read_to_string(&path).unwrap_or_else(|e| panic!("reading {}: {e}", path.display()));
    let mut failures = Vec::new();
    let mut cases = 0;
    for (number, line) in text.lines().enumerate() {
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        cases += 1;
        let parsed = scheme.parse_version(line);
        if parsed.is_ok() != valid {
            failures.push(format!(
                "{file}:{}: {line:?} parsed as {parsed:?}",
                number + 1
            ));
        }
    }
    assert!(
        failures.is_empty(),
        "{file}: {} of {cases} cases fail:\n{}",
        failures.len(),
        failures.join("\n")
    );
    eprintln!(
        "{file}: {cases} cases passed ({scheme}, all {})",
        if valid { "valid" } else { "invalid" }
    );
}

macro_rules! vector_tests {
    ($( $name:ident: $scheme:ident, $file:literal; )*) => {
        $( #[test] fn $name() { check_file(Scheme::$scheme, $file); } )*
    };
}

vector_tests! {
    semver: SemVer, "osv-scalibr/semver-versions.txt";
    pypi: Pep440, "osv-scalibr/pypi-versions.txt";
    pypi_generated: Pep440, "osv-scalibr/pypi-versions-generated.txt";
    maven: Maven, "osv-scalibr/maven-versions.txt";
    maven_generated: Maven, "osv-scalibr/maven-versions-generated.txt";
    nuget: NuGet, "osv-scalibr/nuget-versions.txt";
    rubygems: RubyGems, "osv-scalibr/rubygems-versions.txt";
    rubygems_generated: RubyGems, "osv-scalibr/rubygems-versions-generated.txt";
    packagist: Packagist, "osv-scalibr/packagist-versions.txt";
    packagist_generated: Packagist, "osv-scalibr/packagist-versions-generated.txt";
    packagist_osv_dev: Packagist, "osv.dev/packagist_test_cases.txt";
    pub_: Pub, "osv-scalibr/pub-versions.txt";
    debian: Debian, "osv-scalibr/debian-versions.txt";
    debian_generated: Debian, "osv-scalibr/debian-versions-generated.txt";
    alpine: Alpine, "osv-scalibr/alpine-versions.txt";
    alpine_generated: Alpine, "osv-scalibr/alpine-versions-generated.txt";
    redhat: Rpm, "osv-scalibr/redhat-versions.txt";
    cran: Cran, "osv-scalibr/cran-versions.txt";
    cran_generated: Cran, "osv-scalibr/cran-versions-generated.txt";
    hackage: Hackage, "osv-scalibr/hackage-versions.txt";
}

#[test]
fn alpine_valid() {
    check_validity(Scheme::Alpine, "osv.dev/alpine_valid_versions.txt", true);
}

#[test]
fn alpine_invalid() {
    check_validity(Scheme::Alpine, "osv.dev/alpine_invalid_versions.txt", false);
}

/// Every file of `version-vectors/` is checked by one of the tests above.
#[test]
fn every_vector_file_is_covered() {
    let Some(data) = shared_data() else { return };
    let this = include_str!("vectors.rs");
    for dir in ["osv-scalibr", "osv.dev"] {
        for entry in fs::read_dir(data.join("version-vectors").join(dir)).expect("vector directory")
        {
            let name = entry
                .expect("entry")
                .file_name()
                .into_string()
                .expect("UTF-8 name");
            if name == "LICENSE" {
                continue;
            }
            let quoted = format!("\"{dir}/{name}\"");
            assert!(
                this.contains(&quoted),
                "version-vectors/{dir}/{name} is not checked by any test"
            );
        }
    }
}
