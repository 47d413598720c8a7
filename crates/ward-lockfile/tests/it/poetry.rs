//! `poetry.lock`: every fixture, sources, groups and the malformed cases.

use ward_lockfile::{Kind, parse};

use crate::support::{Expect, check_fixture_dir, is_empty, is_syntax, parse_error, snapshot};

#[test]
fn every_fixture() {
    let p = Expect::Packages;
    check_fixture_dir(
        "python/poetrylock",
        Kind::PoetryLock,
        &[
            ("empty-file.lock", Expect::Error(is_empty)),
            ("empty.lock", Expect::Error(is_empty)),
            ("multiple-packages.v2.lock", p),
            ("not-toml.txt", Expect::Error(is_syntax)),
            ("source-git.lock", p),
            ("source-legacy.lock", p),
            ("two-packages.lock", p),
        ],
    );
}

#[test]
fn categories_groups_and_sources() {
    let text = r#"[[package]]
name = "old-dev"
version = "1.0"
category = "dev"

[[package]]
name = "docs-only"
version = "2.0"
groups = ["docs"]

[[package]]
name = "local"
version = "0.1.0"
groups = ["main", "dev"]

[package.source]
type = "directory"
url = "../local"

[[package]]
name = "tarball"
version = "3.0"

[package.source]
type = "url"
url = "https://example.com/tarball-3.0.tar.gz"

[metadata]
lock-version = "2.1"
"#;
    let lockfile = parse(Kind::PoetryLock, "poetry.lock", text).expect("parses");
    insta::assert_snapshot!(snapshot(&lockfile), @r"
    PyPI old-dev 1.0 line=1 unknown dev registry
    PyPI docs-only 2.0 line=6 unknown dev registry
    PyPI local 0.1.0 line=11 unknown prod local
    PyPI tarball 3.0 line=20 unknown prod other https://example.com/tarball-3.0.tar.gz
    ");
}

fn error(text: &str) -> String {
    parse_error(Kind::PoetryLock, "poetry.lock", text)
}

#[test]
fn malformed() {
    assert_eq!(
        error("[[package]]\nname = \"a\"\nversion = \"1\"\n\n[metadata]\nlock-version = \"3.0\"\n"),
        "poetry.lock:6: unsupported poetry.lock version 3.0; ward reads lock-version 1.x and 2.x"
    );
    assert_eq!(
        error("[[package]]\nname = \"a\"\n"),
        "poetry.lock:1: missing field `version`"
    );
    assert_eq!(
        error("[[package]]\nname = \"a\"\nversion = \"\"\n"),
        "poetry.lock:1: expected a non-empty \"name\" and \"version\""
    );
    assert_eq!(
        error("package = \"a\"\n"),
        "poetry.lock:1: invalid type: string \"a\", expected a sequence"
    );
}
