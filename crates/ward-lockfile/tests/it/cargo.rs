//! `Cargo.lock`: every fixture, a big real file, the versions and the malformed cases.

use ward_lockfile::{Kind, Relation, Source, parse};

use crate::support::{Expect, check_fixture_dir, is_syntax, parse_error, shared_file, snapshot};

#[test]
fn every_fixture() {
    check_fixture_dir(
        "rust/cargolock",
        Kind::CargoLock,
        &[
            ("duplicate.lock", Expect::Packages),
            ("many-packages.lock", Expect::Packages),
            ("not-toml.txt", Expect::Error(is_syntax)),
            ("one-package.lock", Expect::Packages),
            ("package-with-build-string.lock", Expect::Packages),
            ("two-packages-with-local.lock", Expect::Packages),
        ],
    );
}

/// uv's own Cargo.lock: 753 packages; each line is a `[[package]]` header followed by its
/// `name`, and the workspace members' dependencies are direct.
#[test]
fn big_lockfile() {
    let Some(path) = shared_file("big-lockfiles/uv-cargo/Cargo.lock") else {
        return;
    };
    let text = std::fs::read_to_string(&path).expect("readable");
    let lockfile = ward_lockfile::read(Kind::CargoLock, &path).expect("parses");
    let independent: toml::Table = toml::from_str(&text).expect("TOML");
    let count = independent["package"].as_array().expect("array").len();
    assert_eq!(count, 753);
    assert_eq!(lockfile.packages.len(), count);
    let lines: Vec<&str> = text.lines().collect();
    for p in &lockfile.packages {
        let at = p.line as usize - 1;
        assert_eq!(lines[at], "[[package]]", "{p:?}");
        assert_eq!(lines[at + 1], format!("name = \"{}\"", p.name), "{p:?}");
        assert_eq!(
            lines[at + 2],
            format!("version = \"{}\"", p.version),
            "{p:?}"
        );
    }
    let local = lockfile
        .packages
        .iter()
        .filter(|p| p.source == Source::Local)
        .count();
    assert!(local > 10, "uv is a workspace of many crates");
    let direct = |name: &str| {
        lockfile
            .packages
            .iter()
            .find(|p| p.name == name)
            .map(|p| p.relation)
    };
    // `uv` depends on `anyhow`; `windows_x86_64_msvc` only comes through `windows-targets`.
    assert_eq!(direct("anyhow"), Some(Relation::Direct));
    assert_eq!(direct("windows_x86_64_msvc"), Some(Relation::Transitive));
}

const V1: &str = r#"[[package]]
name = "app"
version = "0.1.0"
dependencies = [
 "serde 1.0.0 (registry+https://github.com/rust-lang/crates.io-index)",
]

[[package]]
name = "serde"
version = "1.0.0"
source = "registry+https://github.com/rust-lang/crates.io-index"

[[package]]
name = "serde"
version = "0.9.0"
source = "registry+https://github.com/rust-lang/crates.io-index"

[metadata]
"checksum serde 1.0.0 (registry+https://github.com/rust-lang/crates.io-index)" = "abc"
"#;

#[test]
fn v1_with_metadata_and_qualified_dependencies() {
    let lockfile = parse(Kind::CargoLock, "Cargo.lock", V1).expect("v1 parses");
    insta::assert_snapshot!(snapshot(&lockfile), @r"
    crates.io app 0.1.0 line=1 direct prod local
    crates.io serde 1.0.0 line=8 direct prod registry
    crates.io serde 0.9.0 line=13 transitive prod registry
    ");
}

#[test]
fn v1_root_table() {
    let text = "[root]\nname = \"app\"\nversion = \"0.1.0\"\ndependencies = [\"log 0.3.0 (registry+https://github.com/rust-lang/crates.io-index)\"]\n\n[[package]]\nname = \"log\"\nversion = \"0.3.0\"\nsource = \"registry+https://github.com/rust-lang/crates.io-index\"\n";
    let lockfile = parse(Kind::CargoLock, "Cargo.lock", text).expect("parses");
    insta::assert_snapshot!(snapshot(&lockfile), @r"
    crates.io app 0.1.0 line=1 direct prod local
    crates.io log 0.3.0 line=6 direct prod registry
    ");
}

#[test]
fn v4_git_sparse_and_disambiguated_dependencies() {
    let text = r#"version = 4

[[package]]
name = "member"
version = "0.1.0"
dependencies = [
 "rand 0.8.5",
 "mine",
]

[[package]]
name = "rand"
version = "0.8.5"
source = "sparse+https://index.crates.io/"
dependencies = ["rand 0.7.0"]

[[package]]
name = "rand"
version = "0.7.0"
source = "sparse+https://index.crates.io/"

[[package]]
name = "mine"
version = "1.0.0"
source = "git+https://github.com/me/mine?branch=main#0123456789abcdef"

[[package]]
name = "private"
version = "1.0.0"
source = "registry+https://my.registry/index"
"#;
    let lockfile = parse(Kind::CargoLock, "Cargo.lock", text).expect("v4 parses");
    insta::assert_snapshot!(snapshot(&lockfile), @r"
    crates.io member 0.1.0 line=3 direct prod local
    crates.io rand 0.8.5 line=11 direct prod registry
    crates.io rand 0.7.0 line=17 transitive prod registry
    crates.io mine 1.0.0 line=22 direct prod git https://github.com/me/mine#0123456789abcdef
    crates.io private 1.0.0 line=27 transitive prod other registry+https://my.registry/index
    ");
}

fn error(text: &str) -> String {
    parse_error(Kind::CargoLock, "Cargo.lock", text)
}

#[test]
fn malformed() {
    assert_eq!(
        error("version = 5\n[[package]]\nname = \"a\"\nversion = \"1.0.0\"\n"),
        "Cargo.lock:1: unsupported Cargo.lock version 5; ward reads 1 to 4"
    );
    assert_eq!(
        error("version = 3\n"),
        "Cargo.lock: no packages found; a Cargo.lock that lists none is not a lockfile ward can trust"
    );
    assert_eq!(
        error("version = 3\n\n[[package]]\nname = \"a\"\n"),
        "Cargo.lock:3: missing field `version`"
    );
    assert_eq!(
        error("[[package]]\nname = \"a\"\nversion = \"\"\n"),
        "Cargo.lock:1: expected a non-empty \"version\" string"
    );
    assert_eq!(
        error("[[package]]\nname = \"a\"\nversion = 1\n"),
        "Cargo.lock:3: invalid type: integer `1`, expected a string"
    );
    assert_eq!(
        error("[[package]\n"),
        "Cargo.lock:1: unclosed array table, expected `]`"
    );
}
