//! `package-lock.json` and `npm-shrinkwrap.json`: every fixture, a big real file, the
//! layouts and the malformed cases.

use ward_lockfile::{Kind, Source, parse};

use crate::support::{
    Expect, check_fixture_dir, check_invariants, is_empty, is_syntax, is_unexpected, parse_error,
    shared_file, snapshot,
};

#[test]
fn every_fixture() {
    let p = Expect::Packages;
    check_fixture_dir(
        "javascript/packagelockjson",
        Kind::PackageLockJson,
        &[
            ("alias.v1.json", p),
            ("alias.v2.json", p),
            ("both/npm-shrinkwrap.json", p),
            ("both/package-lock.json", p),
            // A lockfile of a project without dependencies: nothing to scan is not "no
            // vulnerability", so it is an error.
            ("empty.v1.json", Expect::Error(is_empty)),
            ("empty.v2.json", Expect::Error(is_empty)),
            ("files.v1.json", p),
            ("files.v2.json", p),
            ("not-json.txt", Expect::Error(is_syntax)),
            ("npm-shrinkwrap-only/npm-shrinkwrap.json", p),
            ("null.v2.jsontest", Expect::Error(is_unexpected)),
            ("one-package-dev.v1.json", p),
            ("one-package-dev.v2.json", p),
            ("optional-package.v1.json", p),
            ("optional-package.v2.json", p),
            ("same-package-different-groups.v1.json", p),
            ("same-package-different-groups.v2.json", p),
            ("scoped-packages.v1.json", p),
            ("scoped-packages.v2.json", p),
            ("two-packages.v1.json", p),
            ("two-packages.v2.json", p),
        ],
    );
}

/// create-react-app's lockfile (2 MB): one package per `packages` entry but the root, the
/// links and the one workspace member without a version, counted here with `serde_json`
/// alone; each line is that of the entry's key.
#[test]
fn big_lockfile() {
    let Some(path) = shared_file("big-lockfiles/create-react-app-npm/package-lock.json") else {
        return;
    };
    let text = std::fs::read_to_string(&path).expect("readable");
    let started = std::time::Instant::now();
    let lockfile = ward_lockfile::read(Kind::PackageLockJson, &path).expect("parses");
    let elapsed = started.elapsed();
    check_invariants("create-react-app", &lockfile);
    let document: serde_json::Value = serde_json::from_str(&text).expect("JSON");
    let entries = document["packages"].as_object().expect("packages");
    let expected: Vec<(&String, &serde_json::Value)> = entries
        .iter()
        .filter(|(key, entry)| {
            !key.is_empty() && entry.get("link").is_none() && entry.get("version").is_some()
        })
        .collect();
    assert_eq!(expected.len(), 2576);
    assert_eq!(lockfile.packages.len(), expected.len());
    let lines: Vec<&str> = text.lines().collect();
    let mut keys_seen = std::collections::HashSet::new();
    for p in &lockfile.packages {
        let key_line = lines[p.line as usize - 1].trim();
        let key: String =
            serde_json::from_str(key_line.trim_end_matches(": {")).expect("a key line");
        assert!(keys_seen.insert(key.clone()), "{key} twice");
        let entry = &entries[&key];
        assert_eq!(entry["version"], p.version.as_str(), "{key}");
        assert_eq!(entry.get("dev").is_some_and(|d| d == true), p.dev, "{key}");
        assert!(
            key.ends_with(&p.name) || entry["name"] == p.name.as_str(),
            "{key}"
        );
    }
    let local = lockfile
        .packages
        .iter()
        .filter(|p| p.source == Source::Local)
        .count();
    assert_eq!(local, 11, "the workspace members with a version");
    eprintln!("create-react-app package-lock.json parsed in {elapsed:?}");
}

#[test]
fn workspaces_links_git_and_nested_resolution() {
    let text = r#"{
  "name": "root",
  "lockfileVersion": 3,
  "packages": {
    "": { "workspaces": ["packages/a"], "devDependencies": { "b": "^1" } },
    "node_modules/a": { "resolved": "packages/a", "link": true },
    "node_modules/b": { "version": "1.0.0", "resolved": "https://registry.npmjs.org/b/-/b-1.0.0.tgz", "dev": true },
    "node_modules/c": { "version": "2.0.0", "resolved": "git+ssh://git@github.com/o/c.git#0a1b2c" },
    "node_modules/d": { "version": "3.0.0", "devOptional": true },
    "packages/a": { "name": "a", "version": "0.1.0", "dependencies": { "c": "github:o/c", "d": "^3" } },
    "packages/a/node_modules/d": { "version": "3.1.0", "resolved": "https://example.com/d.tgz" }
  }
}"#;
    let lockfile = parse(Kind::PackageLockJson, "package-lock.json", text).expect("parses");
    insta::assert_snapshot!(snapshot(&lockfile), @r"
    npm b 1.0.0 line=7 direct dev registry
    npm c 2.0.0 line=8 direct prod git ssh://git@github.com/o/c.git#0a1b2c
    npm d 3.0.0 line=9 transitive prod registry
    npm a 0.1.0 line=10 direct prod local
    npm d 3.1.0 line=11 direct prod other https://example.com/d.tgz
    ");
}

#[test]
fn v1_git_file_and_nested() {
    let text = r#"{
  "lockfileVersion": 1,
  "dependencies": {
    "g": { "version": "git+https://github.com/o/g.git#abc123", "from": "git+https://github.com/o/g.git" },
    "t": { "version": "https://example.com/t.tgz" },
    "p": { "version": "1.0.0", "bundled": true, "dependencies": {
      "q": { "version": "2.0.0", "dev": true }
    } }
  }
}"#;
    let lockfile = parse(Kind::NpmShrinkwrap, "npm-shrinkwrap.json", text).expect("parses");
    insta::assert_snapshot!(snapshot(&lockfile), @r"
    npm g git+https://github.com/o/g.git#abc123 line=4 unknown prod git https://github.com/o/g.git#abc123
    npm t https://example.com/t.tgz line=5 unknown prod other https://example.com/t.tgz
    npm p 1.0.0 line=6 unknown prod registry
    npm q 2.0.0 line=7 transitive dev registry
    ");
}

fn error(text: &str) -> String {
    parse_error(Kind::PackageLockJson, "package-lock.json", text)
}

#[test]
fn malformed() {
    assert_eq!(
        error("{\n  \"lockfileVersion\": 4,\n  \"packages\": {}\n}"),
        "package-lock.json:2: unsupported package-lock.json version 4; ward reads lockfileVersion 1, 2 and 3"
    );
    assert_eq!(
        error("{\n  \"packages\": {\n    \"node_modules/a\": {\"resolved\": \"x\"}\n  }\n}"),
        "package-lock.json:3: expected a \"version\" string for package \"node_modules/a\""
    );
    assert_eq!(
        error("{\n  \"dependencies\": {\n    \"a\": []\n  }\n}"),
        "package-lock.json:3: expected an object for package \"a\""
    );
    assert_eq!(
        error("{\n  \"packages\": {\n    \"node_modules/a\": {\"version\": \"1\",}\n  }\n}"),
        "package-lock.json:3: trailing comma"
    );
    assert_eq!(error("[]"), "package-lock.json:1: expected a JSON object");
    assert_eq!(
        error("{\"lockfileVersion\": 3, \"packages\": {\"\": {}}}"),
        "package-lock.json: no packages found; a package-lock.json that lists none is not a lockfile ward can trust"
    );
}
