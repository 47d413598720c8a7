//! The compact texts lockfile snapshots are made of, the fixture-directory checks, and the
//! helpers of the yarn.lock and pnpm-lock.yaml suites. Where the shared data is comes from
//! ward-testkit.

use std::collections::BTreeSet;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use ward_lockfile::{Error, ErrorKind, Include, Kind, Lockfile, Relation, Source};
use ward_testkit::{files_in, files_under, relative};

pub(crate) use ward_testkit::{shared_data, shared_file};

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
    Error(fn(&ErrorKind) -> bool),
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

/// The message of the error `text` must give when parsed as `kind` from a file `name`.
pub(crate) fn parse_error(kind: Kind, name: &str, text: &str) -> String {
    match ward_lockfile::parse(kind, name, text) {
        Ok(l) => panic!("expected an error, got {l:?}"),
        Err(e) => e.to_string(),
    }
}

/// [`Expect::Error`] for a syntax error of the format's parser.
pub(crate) fn is_syntax(kind: &ErrorKind) -> bool {
    matches!(kind, ErrorKind::Syntax(_))
}

/// [`Expect::Error`] for a file that lists no packages.
pub(crate) fn is_empty(kind: &ErrorKind) -> bool {
    matches!(kind, ErrorKind::Empty { .. })
}

/// [`Expect::Error`] for well-formed input of an unexpected shape.
pub(crate) fn is_unexpected(kind: &ErrorKind) -> bool {
    matches!(kind, ErrorKind::Unexpected { .. })
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

/// The files of a fixture directory under the shared data, sorted by name.
fn fixture_files(data: &Path, dir: &str) -> Vec<(String, PathBuf)> {
    let dir = data.join(dir);
    let files: Vec<(String, PathBuf)> = files_in(&dir, "")
        .into_iter()
        .map(|path| {
            let name = path
                .file_name()
                .expect("a file name")
                .to_string_lossy()
                .into_owned();
            (name, path)
        })
        .collect();
    assert!(!files.is_empty(), "no fixtures in {}", dir.display());
    files
}

/// Whether a fixture is a negative case by its name (`not-*`, `invalid*`, `empty*`).
fn is_negative(name: &str) -> bool {
    name.starts_with("not-") || name.starts_with("invalid") || name.starts_with("empty")
}

/// Parses a file, naming it by `name` in errors (so snapshots hold no local paths).
fn parse_file(kind: Kind, name: &str, path: &Path) -> Result<Lockfile, Error> {
    let content =
        std::fs::read_to_string(path).unwrap_or_else(|e| panic!("reading {}: {e}", path.display()));
    ward_lockfile::parse(kind, name, &content)
}

/// One line per package (`line name@version relation [dev] source`), or the error.
pub(crate) fn render(result: &Result<Lockfile, Error>) -> String {
    let lockfile = match result {
        Ok(lockfile) => lockfile,
        Err(error) => return format!("error ({:?}): {error}\n", error_kind(error)),
    };
    let mut out = String::new();
    for p in &lockfile.packages {
        let source = match &p.source {
            Source::Registry => "registry".to_owned(),
            Source::Local => "local".to_owned(),
            Source::Git { url, rev } => format!("git {url} {}", rev.as_deref().unwrap_or("-")),
            Source::Other(what) => format!("other {what}"),
        };
        let dev = if p.dev { " dev" } else { "" };
        writeln!(
            out,
            "{:>5} {} {}@{} {:?}{dev} {source}",
            p.line, p.ecosystem, p.name, p.version, p.relation
        )
        .expect("writing to a String");
    }
    out
}

/// The variant name of an error's kind (`Empty`, `Syntax`, ...).
fn error_kind(error: &Error) -> String {
    let debug = format!("{:?}", error.kind);
    debug
        .split(|c: char| !c.is_alphanumeric())
        .next()
        .unwrap_or_default()
        .to_owned()
}

/// Parses every fixture of a JavaScript lockfile directory as `kind`: a negative case (by
/// name, see [`is_negative`]) must be in `negative` and give that error kind; every other
/// fixture goes to `snapshot` (the caller's `insta::assert_snapshot!`, so the snapshot keeps
/// the caller's module name, `prefix`) and must have its snapshot committed. Fails when an
/// entry of `negative` names no fixture.
pub(crate) fn check_js_fixtures(
    kind: Kind,
    dir: &str,
    negative: &[(&str, &str)],
    prefix: &str,
    snapshot: impl Fn(&str, &Result<Lockfile, Error>),
) {
    let Some(data) = shared_data() else { return };
    let fixtures = fixture_files(&data, dir);
    for (name, path) in &fixtures {
        let result = parse_file(kind, name, path);
        if is_negative(name) {
            let expected = negative.iter().find(|(n, _)| n == name).map(|(_, k)| *k);
            let expected = expected.unwrap_or_else(|| panic!("{name}: not in NEGATIVE"));
            let error = result.expect_err(name);
            assert_eq!(error_kind(&error), expected, "{name}: {error}");
        } else {
            snapshot(name, &result);
        }
    }
    for (name, _) in negative {
        assert!(fixtures.iter().any(|(n, _)| n == name), "{name} is gone");
    }
    assert_snapshots_committed(prefix, &fixtures);
}

/// Fails unless every fixture that is not a negative case has a committed snapshot named
/// `<prefix><fixture>.snap` (insta's file name for `assert_snapshot!(fixture, ...)`).
fn assert_snapshots_committed(prefix: &str, fixtures: &[(String, PathBuf)]) {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/it/snapshots");
    let missing: Vec<&str> = fixtures
        .iter()
        .map(|(name, _)| name.as_str())
        .filter(|name| !is_negative(name))
        .filter(|name| !dir.join(format!("{prefix}{name}.snap")).is_file())
        .collect();
    assert!(
        missing.is_empty(),
        "fixtures without a snapshot: {missing:?}"
    );
}
