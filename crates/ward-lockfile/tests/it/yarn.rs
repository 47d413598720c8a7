//! yarn.lock: a snapshot per fixture, the negative fixtures' errors, malformed input with the
//! exact message, and the big real lockfiles against counts taken independently.

use std::collections::{BTreeMap, HashMap};

use ward_lockfile::{Kind, Relation, Source, parse};

use crate::support::{check_js_fixtures, parse_error, render, shared_data};

const FIXTURES: &str = "lockfile-fixtures/osv-scalibr/javascript/yarnlock";

/// The negative fixtures (by name) and the error kind each must give.
const NEGATIVE: [(&str, &str); 2] = [("empty.v1.lock", "Empty"), ("empty.v2.lock", "Empty")];

#[test]
fn every_fixture() {
    check_js_fixtures(
        Kind::YarnLock,
        FIXTURES,
        &NEGATIVE,
        "it__yarn__",
        |name, result| {
            insta::assert_snapshot!(name, render(result));
        },
    );
}

#[test]
fn malformed_input_is_an_error_with_its_line() {
    let cases = [
        (
            "",
            "yarn.lock: no packages found; a yarn.lock that lists none is not a lockfile ward can trust",
        ),
        (
            "# yarn lockfile v1\n\na@^1:\n  version \"1.0.0\n",
            "yarn.lock:4: unterminated quoted string",
        ),
        (
            "a@^1:\n  resolved \"https://r/a.tgz\"\n",
            "yarn.lock:1: expected a non-empty \"version\" in the entry for \"a@^1\"",
        ),
        (
            "a@^1:\n   version \"1.0.0\"\n",
            "yarn.lock:2: 3 spaces of indentation; yarn.lock indents by two spaces per level",
        ),
        (
            "a@^1:\n  version \"1.0.0\"\n    b \"1\"\n",
            "yarn.lock:3: indented 2 levels, but the line above opens no block that deep",
        ),
        (
            "a@^1 \"1.0.0\"\n",
            "yarn.lock:1: expected an entry header ending with ':'",
        ),
        (
            "a@^1:\n  version \"1.0.0\"\n  version \"1.0.1\"\n",
            "yarn.lock:3: a second \"version\" in the same entry",
        ),
        (
            "\"@1\":\n  version \"1.0.0\"\n",
            "yarn.lock:1: expected a package name (`name` or `@scope/name`) in \"@1\"",
        ),
        (
            "__metadata:\n  version: 11\n\n\"a@npm:1\":\n  version: 1.0.0\n  resolution: \"a@npm:1.0.0\"\n",
            "yarn.lock:2: unsupported yarn.lock (berry) version 11; ward reads __metadata.version 4 to 10",
        ),
        (
            "__metadata:\n  cacheKey: 8\n",
            "yarn.lock: unsupported yarn.lock (berry) version (none); ward reads __metadata.version 4 to 10",
        ),
        (
            "__metadata:\n  version: 8\n\n\"a@npm:1\":\n  version: 1.0.0\n",
            "yarn.lock:4: expected a non-empty \"resolution\" in the entry for \"a@npm:1\"",
        ),
        (
            "__metadata:\n  version: 8\n\n\"a@npm:1\":\n  version: 1.0.0\n  resolution: {a: 1}\n",
            "yarn.lock:6: YAML construct starting with '{' is outside the subset yarn writes",
        ),
        (
            "__metadata:\n  version: 8\n\n\"a@npm:1\":\n\tversion: 1.0.0\n",
            "yarn.lock:5: indentation with a tab; yarn.lock indents with spaces",
        ),
        (
            "__metadata:\n  version: 8\n  cacheKey: 10c0\n",
            "yarn.lock: no packages found; a yarn.lock that lists none is not a lockfile ward can trust",
        ),
    ];
    for (text, expected) in cases {
        assert_eq!(
            parse_error(Kind::YarnLock, "yarn.lock", text),
            expected,
            "{text:?}"
        );
    }
}

#[test]
fn berry_directness_comes_from_the_workspaces() {
    let text = r#"__metadata:
  version: 6
  cacheKey: 8

"a@npm:^1.0.0":
  version: 1.2.0
  resolution: "a@npm:1.2.0"
  dependencies:
    b: ^2.0.0

"b@npm:^2.0.0":
  version: 2.0.1
  resolution: "b@npm:2.0.1"

"c@npm:1.0.0":
  version: 1.0.0
  resolution: "c@npm:1.0.0"

"c@npm:2.0.0":
  version: 2.0.0
  resolution: "c@npm:2.0.0"

"root@workspace:.":
  version: 0.0.0-use.local
  resolution: "root@workspace:."
  dependencies:
    a: ^1.0.0
    c: "catalog:"
  languageName: unknown
  linkType: soft
"#;
    let lockfile = parse(Kind::YarnLock, "yarn.lock", text).expect("parses");
    let relations: Vec<(&str, &str, Relation)> = lockfile
        .packages
        .iter()
        .map(|p| (p.name.as_str(), p.version.as_str(), p.relation))
        .collect();
    assert_eq!(
        relations,
        [
            ("a", "1.2.0", Relation::Direct),
            ("b", "2.0.1", Relation::Transitive),
            ("c", "1.0.0", Relation::Unknown),
            ("c", "2.0.0", Relation::Unknown),
        ]
    );
}

/// babel's yarn.lock (berry, `__metadata.version` 10): one package per top-level entry
/// except the workspaces, with the versions and registry names serde-saphyr reads.
#[test]
fn big_berry_lockfile() {
    let Some(data) = shared_data() else { return };
    let path = data.join("big-lockfiles/babel-yarn-berry/yarn.lock");
    let text = std::fs::read_to_string(&path).expect("reading the lockfile");
    let lockfile = parse(Kind::YarnLock, "yarn.lock", &text).expect("parses");

    #[derive(serde::Deserialize)]
    struct Entry {
        version: String,
        resolution: String,
    }
    let mut document: BTreeMap<String, serde_json::Value> =
        serde_saphyr::from_str(&text).expect("serde-saphyr reads it");
    document.remove("__metadata").expect("a __metadata block");
    let mut expected: Vec<(String, String)> = Vec::new();
    for (key, value) in document {
        let entry: Entry = serde_json::from_value(value).expect(&key);
        if entry.resolution.contains("@workspace:") && !entry.resolution.contains("@patch:") {
            continue;
        }
        // A patch names the registry package it patches, URL-encoded, before its `#`.
        let resolution = match entry.resolution.split_once("@patch:") {
            Some((_, inner)) => inner
                .split('#')
                .next()
                .unwrap_or_default()
                .replace("%3A", ":"),
            None => entry.resolution.clone(),
        };
        let name = match resolution.split_once("@npm:") {
            Some((name, _)) => name.to_owned(),
            None => String::new(),
        };
        expected.push((name, entry.version));
    }
    assert_eq!(lockfile.packages.len(), expected.len());
    assert!(
        lockfile.packages.len() > 1_000,
        "{}",
        lockfile.packages.len()
    );
    let mut ours: Vec<(String, String)> = lockfile
        .packages
        .iter()
        .map(|p| {
            let registry = p.source == Source::Registry;
            (
                if registry {
                    p.name.clone()
                } else {
                    String::new()
                },
                p.version.clone(),
            )
        })
        .collect();
    ours.sort();
    expected.sort();
    assert_eq!(ours, expected);

    let count = |relation| {
        lockfile
            .packages
            .iter()
            .filter(|p| p.relation == relation)
            .count()
    };
    assert!(
        count(Relation::Direct) > 100,
        "direct: {}",
        count(Relation::Direct)
    );
    assert!(count(Relation::Transitive) > 500);
    let patched = lockfile
        .packages
        .iter()
        .filter(|p| p.name == "resolve")
        .count();
    assert!(patched >= 6, "resolve and its patched copies: {patched}");
}

/// excalidraw's yarn.lock (classic): one package per `version` line, named as the registry
/// URL in `resolved` names it (which also checks the `npm:` aliases).
#[test]
fn big_classic_lockfile() {
    let Some(data) = shared_data() else { return };
    let path = data.join("big-lockfiles/excalidraw-yarn-v1/yarn.lock");
    let text = std::fs::read_to_string(&path).expect("reading the lockfile");
    let lockfile = parse(Kind::YarnLock, "yarn.lock", &text).expect("parses");

    let versions = text.lines().filter(|l| l.starts_with("  version ")).count();
    assert_eq!(lockfile.packages.len(), versions);
    assert_eq!(versions, 1_444);
    let mut from_urls: HashMap<u32, String> = HashMap::new();
    let mut header = 0;
    for (index, line) in text.lines().enumerate() {
        if !line.starts_with(' ') && line.ends_with(':') {
            header = u32::try_from(index + 1).expect("small file");
        }
        if let Some(url) = line.strip_prefix("  resolved \"https://registry.yarnpkg.com/")
            && let Some((name, _)) = url.split_once("/-/")
        {
            from_urls.insert(header, name.to_owned());
        }
    }
    assert_eq!(
        from_urls.len(),
        versions,
        "every entry is from the registry"
    );
    for package in &lockfile.packages {
        assert_eq!(
            from_urls.get(&package.line),
            Some(&package.name),
            "line {}",
            package.line
        );
        assert_eq!(package.source, Source::Registry);
        assert_eq!(package.relation, Relation::Unknown);
    }
}
