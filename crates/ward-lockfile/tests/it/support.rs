//! Where the shared test data is, and the compact text every lockfile snapshot is made of.

use std::collections::BTreeSet;
use std::env;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use ward_lockfile::{Error, Include, Kind, Lockfile, Relation, Source};

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
    let reason = format!(
        "shared test data not found at {} (set WARD_SHARED_DATA)",
        dir.display()
    );
    if env::var("WARD_REQUIRE_SHARED_DATA").is_ok_and(|v| v == "1") {
        panic!("{reason}, and WARD_REQUIRE_SHARED_DATA=1 makes this suite required");
    }
    eprintln!("SKIPPED: {reason}");
    None
}

/// A file of the shared data (`big-lockfiles/uv-cargo/Cargo.lock`), or `None` when the data
/// is missing and not required.
pub(crate) fn shared_file(relative: &str) -> Option<PathBuf> {
    shared_data().map(|dir| dir.join(relative))
}

/// One line per package (`ecosystem name version line=N relation dev source`), then one per
/// unpinned requirement and per include.
pub(crate) fn snapshot(lockfile: &Lockfile) -> String {
    let mut out = String::new();
    for p in &lockfile.packages {
        let relation = match p.relation {
            Relation::Direct => "direct",
            Relation::Transitive => "transitive",
            Relation::Unknown => "unknown",
        };
        let dev = if p.dev { "dev" } else { "prod" };
        let source = match &p.source {
            Source::Registry => "registry".to_owned(),
            Source::Git { url, rev } => format!("git {url}#{}", rev.as_deref().unwrap_or("-")),
            Source::Local => "local".to_owned(),
            Source::Other(other) => format!("other {other}"),
        };
        let _ = writeln!(
            out,
            "{} {} {} line={} {relation} {dev} {source}",
            p.ecosystem, p.name, p.version, p.line
        );
    }
    for u in &lockfile.unpinned {
        let _ = writeln!(
            out,
            "unpinned {} line={} {:?}",
            u.name, u.line, u.requirement
        );
    }
    for Include {
        path,
        line,
        constraint,
        lockfile,
    } in &lockfile.includes
    {
        let what = if *constraint {
            "constraints"
        } else {
            "requirements"
        };
        let _ = writeln!(out, "include {what} {path} line={line}");
        if let Some(included) = lockfile {
            for l in snapshot(&included.lockfile).lines() {
                let _ = writeln!(out, "  {l}");
            }
        }
    }
    out
}

/// The snapshot text of a parse result: the packages, or `error: ` and the message.
pub(crate) fn snapshot_result(result: &Result<Lockfile, Error>) -> String {
    match result {
        Ok(lockfile) => snapshot(lockfile),
        Err(error) => format!("error: {error}\n"),
    }
}

/// What a fixture must give.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Expect {
    /// Packages (checked by snapshot).
    Packages,
    /// An error of this kind (checked by the predicate, and by snapshot of the message).
    Error(fn(&ward_lockfile::ErrorKind) -> bool),
}

/// Parses (with [`ward_lockfile::parse`]: includes are not followed) every file under
/// `lockfile-fixtures/osv-scalibr/<dir>` as `kind`, checks it against
/// `cases` (relative path -> expectation) and snapshots it as `<dir>/<path>`; fails when a
/// file has no case (a new upstream fixture) or a case has no file.
pub(crate) fn check_fixture_dir(dir: &str, kind: Kind, cases: &[(&str, Expect)]) {
    let Some(data) = shared_data() else { return };
    let root = data.join("lockfile-fixtures/osv-scalibr").join(dir);
    let found: BTreeSet<String> = files_under(&root)
        .iter()
        .map(|p| relative(&root, p))
        .collect();
    let expected: BTreeSet<String> = cases.iter().map(|(f, _)| (*f).to_owned()).collect();
    assert_eq!(
        found, expected,
        "the fixtures under {dir} are not the ones this test covers: cover new files"
    );
    for (file, expect) in cases {
        let path = root.join(file);
        let origin = format!("{dir}/{file}");
        let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{origin}: {e}"));
        let result = ward_lockfile::parse(kind, &origin, &text);
        match (expect, &result) {
            (Expect::Packages, Ok(lockfile)) => check_invariants(&origin, lockfile),
            (Expect::Packages, Err(e)) => panic!("{origin}: expected packages, got {e}"),
            (Expect::Error(is), Err(e)) => assert!(is(&e.kind), "{origin}: wrong error: {e:?}"),
            (Expect::Error(_), Ok(l)) => panic!("{origin}: expected an error, got {l:?}"),
        }
        insta::with_settings!({ prepend_module_to_snapshot => false, snapshot_path => "snapshots/fixtures" }, {
            insta::assert_snapshot!(origin.replace('/', "__"), snapshot_result(&result));
        });
    }
}

/// What every parsed lockfile must satisfy: non-empty names and versions, lines from 1.
pub(crate) fn check_invariants(origin: &str, lockfile: &Lockfile) {
    for p in &lockfile.packages {
        assert!(
            !p.name.is_empty() && !p.version.is_empty() && p.line >= 1,
            "{origin}: {p:?}"
        );
    }
}

/// Every file under `dir`, recursively, sorted.
pub(crate) fn files_under(dir: &Path) -> Vec<PathBuf> {
    let mut files = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(dir) = stack.pop() {
        let entries = std::fs::read_dir(&dir).unwrap_or_else(|e| panic!("{}: {e}", dir.display()));
        for entry in entries {
            let path = entry.expect("directory entry").path();
            if path.is_dir() {
                stack.push(path);
            } else {
                files.push(path);
            }
        }
    }
    files.sort();
    files
}

fn relative(root: &Path, path: &Path) -> String {
    path.strip_prefix(root)
        .expect("under the root")
        .to_string_lossy()
        .replace('\\', "/")
}
