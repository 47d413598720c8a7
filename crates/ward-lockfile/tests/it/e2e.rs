//! Package counts against osv-scanner's own end-to-end expectations: its snapshot
//! (`osv-scanner-e2e/expected/scan_source_command_test.snap`) says "Scanned <file> file and
//! found N packages" for the lockfiles of its test data; ward must find as many.

use std::collections::BTreeMap;

use ward_lockfile::{Kind, Lockfile, Source};

use crate::support::{check_invariants, shared_data};

/// Registry and git packages, with those of followed includes: osv-scanner does not count
/// the project's own local packages in `uv.lock` and `package-lock.json`, but counts every
/// `[[package]]` of a `Cargo.lock`.
fn count(lockfile: &Lockfile) -> usize {
    let own = lockfile
        .packages
        .iter()
        .filter(|p| lockfile.kind == Kind::CargoLock || p.source != Source::Local)
        .count();
    own + lockfile
        .includes
        .iter()
        .filter_map(|i| i.lockfile.as_ref())
        .map(|i| count(&i.lockfile))
        .sum::<usize>()
}

fn kind_of(file: &str) -> Option<Kind> {
    let name = file.rsplit('/').next()?;
    if name.ends_with("package-lock.json") {
        Some(Kind::PackageLockJson)
    } else if name.ends_with(".txt") {
        Some(Kind::Requirements)
    } else {
        Kind::detect(name).filter(|k| matches!(k, Kind::CargoLock | Kind::UvLock))
    }
}

#[test]
fn counts_match_osv_scanner() {
    let Some(data) = shared_data() else { return };
    let root = data.join("lockfile-fixtures/osv-scanner-e2e");
    let snap = std::fs::read_to_string(root.join("expected/scan_source_command_test.snap"))
        .expect("readable");
    let mut expected = BTreeMap::new();
    for line in snap.lines() {
        let Some(rest) = line.strip_prefix("Scanned <rootdir>/") else {
            continue;
        };
        let Some((file, found)) = rest.split_once(" file and found ") else {
            continue;
        };
        let Some(kind) = kind_of(file) else { continue };
        let n: usize = found
            .split(' ')
            .next()
            .and_then(|n| n.parse().ok())
            .expect("a count");
        expected.insert(file.to_owned(), (kind, n));
    }
    assert!(expected.len() >= 15, "{expected:?}");
    for (file, (kind, n)) in &expected {
        let lockfile =
            ward_lockfile::read(*kind, &root.join(file)).unwrap_or_else(|e| panic!("{file}: {e}"));
        check_invariants(file, &lockfile);
        assert_eq!(count(&lockfile), *n, "{file}: {lockfile:#?}");
    }
    eprintln!(
        "{} lockfiles agree with osv-scanner's counts",
        expected.len()
    );
}
