//! `uv.lock`: every fixture, uv's own lockfile, roots, groups and the malformed cases.

use ward_lockfile::{Kind, Relation, Source, parse};

use crate::support::{
    Expect, check_fixture_dir, check_invariants, is_empty, is_syntax, parse_error, shared_file,
    snapshot,
};

#[test]
fn every_fixture() {
    let p = Expect::Packages;
    check_fixture_dir(
        "python/uvlock",
        Kind::UvLock,
        &[
            ("grouped-packages.lock", p),
            ("no-dependencies.lock", p),
            ("no-packages.lock", Expect::Error(is_empty)),
            ("not-toml.txt", Expect::Error(is_syntax)),
            ("one-package.lock", p),
            ("source-git.lock", p),
        ],
    );
}

/// uv's own uv.lock: 89 packages, each line a `[[package]]` header followed by its name; the
/// project is the one editable root.
#[test]
fn big_lockfile() {
    let Some(path) = shared_file("big-lockfiles/uv-cargo/uv.lock") else {
        return;
    };
    let text = std::fs::read_to_string(&path).expect("readable");
    let lockfile = ward_lockfile::read(Kind::UvLock, &path).expect("parses");
    check_invariants("uv.lock", &lockfile);
    let independent: toml::Table = toml::from_str(&text).expect("TOML");
    let count = independent["package"].as_array().expect("array").len();
    assert_eq!(count, 89);
    assert_eq!(lockfile.packages.len(), count);
    let lines: Vec<&str> = text.lines().collect();
    for p in &lockfile.packages {
        let at = p.line as usize - 1;
        assert_eq!(lines[at], "[[package]]", "{p:?}");
        assert_eq!(lines[at + 1], format!("name = \"{}\"", p.name), "{p:?}");
    }
    let local: Vec<&str> = lockfile
        .packages
        .iter()
        .filter(|p| p.source == Source::Local)
        .map(|p| p.name.as_str())
        .collect();
    assert_eq!(local, ["uv"]);
    assert!(lockfile.packages.iter().any(|p| p.dev));
    assert!(
        lockfile
            .packages
            .iter()
            .any(|p| p.relation == Relation::Transitive)
    );
}

#[test]
fn groups_are_dev_extras_are_not() {
    let text = r#"version = 1

[[package]]
name = "app"
version = "0.1.0"
source = { editable = "." }
dependencies = [{ name = "a" }]

[package.optional-dependencies]
test = [{ name = "b" }]

[package.dev-dependencies]
dev = [{ name = "c" }, { name = "a" }]

[[package]]
name = "a"
version = "1.0"
source = { registry = "https://pypi.org/simple" }

[[package]]
name = "b"
version = "2.0"
source = { registry = "https://pypi.org/simple" }

[[package]]
name = "c"
version = "3.0"
source = { registry = "https://pypi.org/simple" }
dependencies = [{ name = "d", version = "4.1", source = { registry = "https://pypi.org/simple" } }]

[[package]]
name = "d"
version = "4.0"
source = { registry = "https://pypi.org/simple" }

[[package]]
name = "d"
version = "4.1"
source = { registry = "https://pypi.org/simple" }

[[package]]
name = "member"
source = { editable = "packages/member" }
"#;
    let lockfile = parse(Kind::UvLock, "uv.lock", text).expect("parses");
    insta::assert_snapshot!(snapshot(&lockfile), @r"
    PyPI app 0.1.0 line=3 direct prod local
    PyPI a 1.0 line=15 direct prod registry
    PyPI b 2.0 line=20 direct prod registry
    PyPI c 3.0 line=25 direct dev registry
    PyPI d 4.0 line=31 transitive prod registry
    PyPI d 4.1 line=36 transitive dev registry
    ");
}

fn error(text: &str) -> String {
    parse_error(Kind::UvLock, "uv.lock", text)
}

#[test]
fn malformed() {
    assert_eq!(
        error("version = 2\n[[package]]\nname = \"a\"\nversion = \"1\"\n"),
        "uv.lock:1: unsupported uv.lock version 2; ward reads version 1"
    );
    assert_eq!(
        error(
            "version = 1\n\n[[package]]\nname = \"a\"\nsource = { registry = \"https://pypi.org/simple\" }\n"
        ),
        "uv.lock:3: expected a \"version\" for package \"a\""
    );
    assert_eq!(
        error("version = 1\n[[package]]\nversion = \"1\"\n"),
        "uv.lock:2: missing field `name`"
    );
    assert_eq!(
        error("version = 1\n[[package]]\nname = \"a\"\ndependencies = [{ version = \"1\" }]\n"),
        "uv.lock:4: missing field `name`"
    );
}
