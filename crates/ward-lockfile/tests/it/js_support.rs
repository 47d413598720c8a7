//! Helpers of the yarn.lock and pnpm-lock.yaml suites: where the shared fixtures are, and
//! how a parse result is written for a snapshot.

use std::env;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use ward_lockfile::{Error, Kind, Lockfile, Source};

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

/// The files of a fixture directory under the shared data, sorted by name.
pub(crate) fn fixture_files(data: &Path, dir: &str) -> Vec<(String, PathBuf)> {
    let dir = data.join(dir);
    let mut files: Vec<(String, PathBuf)> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("reading {}: {e}", dir.display()))
        .map(|entry| entry.expect("directory entry").path())
        .filter(|path| path.is_file())
        .map(|path| {
            let name = path
                .file_name()
                .expect("a file name")
                .to_string_lossy()
                .into_owned();
            (name, path)
        })
        .collect();
    files.sort();
    assert!(!files.is_empty(), "no fixtures in {}", dir.display());
    files
}

/// Whether a fixture is a negative case by its name (`not-*`, `invalid*`, `empty*`).
pub(crate) fn is_negative(name: &str) -> bool {
    name.starts_with("not-") || name.starts_with("invalid") || name.starts_with("empty")
}

/// Parses a file, naming it by `name` in errors (so snapshots hold no local paths).
pub(crate) fn parse_file(kind: Kind, name: &str, path: &Path) -> Result<Lockfile, Error> {
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
pub(crate) fn error_kind(error: &Error) -> String {
    let debug = format!("{:?}", error.kind);
    debug
        .split(|c: char| !c.is_alphanumeric())
        .next()
        .unwrap_or_default()
        .to_owned()
}

/// Fails unless every fixture that is not a negative case has a committed snapshot named
/// `<prefix><fixture>.snap` (insta's file name for `assert_snapshot!(fixture, ...)`).
pub(crate) fn assert_snapshots_committed(prefix: &str, fixtures: &[(String, PathBuf)]) {
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
