//! pnpm-lock.yaml: a snapshot per fixture, the negative fixtures' errors, malformed input
//! with the exact message, directness and dev-only on small files, and vite's lockfile
//! against an independent reading with serde-saphyr.

use std::collections::{BTreeMap, BTreeSet};

use ward_lockfile::{Kind, Relation, Source, parse};

use crate::support::{check_js_fixtures, parse_error, render, shared_data};

const FIXTURES: &str = "lockfile-fixtures/osv-scalibr/javascript/pnpmlock";

/// The negative fixtures (by name) and the error kind each must give.
const NEGATIVE: [(&str, &str); 3] = [
    ("invalid-path.yaml", "Unexpected"),
    ("invalid-paths.yaml", "Unexpected"),
    ("not-yaml.txt", "Syntax"),
];

#[test]
fn every_fixture() {
    check_js_fixtures(
        Kind::PnpmLock,
        FIXTURES,
        &NEGATIVE,
        "it__pnpm__",
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
            "pnpm-lock.yaml: no packages found; a pnpm-lock.yaml that lists none is not a lockfile ward can trust",
        ),
        (
            "lockfileVersion: '11.0'\n\nimporters: {}\n",
            "pnpm-lock.yaml:1: unsupported pnpm-lock.yaml version 11.0; ward reads lockfileVersion 5.x, 6.x and 9.x",
        ),
        (
            "# generated\nlockfileVersion: \"10.0\" # future\npackages: [not, a, map]\n",
            "pnpm-lock.yaml:2: unsupported pnpm-lock.yaml version 10.0; ward reads lockfileVersion 5.x, 6.x and 9.x",
        ),
        (
            "packages:\n  /a/1.0.0: {}\n",
            "pnpm-lock.yaml: unsupported pnpm-lock.yaml version (none); ward reads lockfileVersion 5.x, 6.x and 9.x",
        ),
        (
            "this is not valid yaml!\n",
            "pnpm-lock.yaml:1: expected mapping start at line 1, column 1",
        ),
        (
            "lockfileVersion: '6.0'\npackages:\n  /a@1.0.0: {}\n  acorn: {}\n",
            "pnpm-lock.yaml:4: expected a package key like /name@1.0.0, not \"acorn\"",
        ),
        (
            "lockfileVersion: 5.4\npackages:\n  /a/1.0.0: {}\n  /a/1.0.0: {}\n",
            "pnpm-lock.yaml:4: duplicate mapping key: /a/1.0.0, set DuplicateKeyPolicy in Options if acceptable at line 4, column 3",
        ),
        (
            "lockfileVersion: '9.0'\npackages: {}\n",
            "pnpm-lock.yaml: no packages found; a pnpm-lock.yaml that lists none is not a lockfile ward can trust",
        ),
        (
            "lockfileVersion: '9.0'\npackages:\n  a@1.0.0:\n    resolution: {integrity: x\n",
            "pnpm-lock.yaml:4: unclosed bracket '{' at line 4, column 17",
        ),
    ];
    for (text, expected) in cases {
        assert_eq!(
            parse_error(Kind::PnpmLock, "pnpm-lock.yaml", text),
            expected,
            "{text:?}"
        );
    }
}

/// (name, version, relation, dev) of each package.
fn summary(text: &str) -> Vec<(String, String, Relation, bool)> {
    let lockfile = parse(Kind::PnpmLock, "pnpm-lock.yaml", text).expect("parses");
    let packages = lockfile.packages.into_iter();
    packages
        .map(|p| (p.name, p.version, p.relation, p.dev))
        .collect()
}

fn row(
    name: &str,
    version: &str,
    relation: Relation,
    dev: bool,
) -> (String, String, Relation, bool) {
    (name.into(), version.into(), relation, dev)
}

#[test]
fn v9_dev_only_is_what_only_dev_dependencies_reach() {
    let text = "lockfileVersion: '9.0'
importers:
  .:
    dependencies:
      a: {specifier: ^1, version: 1.0.0(p@1.0.0)}
      w: {specifier: 'workspace:*', version: link:packages/w}
    devDependencies:
      c: {specifier: ^1, version: 1.0.0}
  packages/w:
    devDependencies:
      alias: {specifier: 'npm:e@^1', version: e@1.0.0}
packages:
  a@1.0.0: {resolution: {integrity: x}}
  b@1.0.0: {resolution: {integrity: x}}
  c@1.0.0: {resolution: {integrity: x}}
  d@1.0.0: {resolution: {integrity: x}}
  e@1.0.0: {resolution: {integrity: x}}
  p@1.0.0: {resolution: {integrity: x}}
snapshots:
  a@1.0.0(p@1.0.0):
    dependencies: {b: 1.0.0, p: 1.0.0}
  b@1.0.0: {}
  c@1.0.0:
    dependencies: {b: 1.0.0, d: 1.0.0}
  d@1.0.0: {}
  e@1.0.0: {}
  p@1.0.0: {}
";
    assert_eq!(
        summary(text),
        [
            row("a", "1.0.0", Relation::Direct, false),
            row("b", "1.0.0", Relation::Transitive, false),
            row("c", "1.0.0", Relation::Direct, true),
            row("d", "1.0.0", Relation::Transitive, true),
            row("e", "1.0.0", Relation::Direct, true),
            row("p", "1.0.0", Relation::Transitive, false),
        ]
    );
}

#[test]
fn v5_peer_variants_are_one_package() {
    let text = "lockfileVersion: 5.4
dependencies:
  a: 1.0.0_b@1.0.0
devDependencies:
  c: 2.0.0
packages:
  /a/1.0.0_b@1.0.0: {dev: false}
  /a/1.0.0_b@2.0.0: {dev: true}
  /b/1.0.0: {dev: false}
  /c/2.0.0: {dev: true}
";
    assert_eq!(
        summary(text),
        [
            row("a", "1.0.0", Relation::Direct, false),
            row("b", "1.0.0", Relation::Transitive, false),
            row("c", "2.0.0", Relation::Direct, true),
        ]
    );
}

/// vite's pnpm-lock.yaml (v9, 279 importers): one package per `packages` key that names a
/// version, and `Direct` exactly for what the importers name, both read independently with
/// serde-saphyr into generic maps.
#[test]
fn big_v9_lockfile() {
    let Some(data) = shared_data() else { return };
    let path = data.join("big-lockfiles/vite-pnpm/pnpm-lock.yaml");
    let text = std::fs::read_to_string(&path).expect("reading the lockfile");
    let lockfile = parse(Kind::PnpmLock, "pnpm-lock.yaml", &text).expect("parses");

    type Map = BTreeMap<String, serde_json::Value>;
    let document: Map = serde_saphyr::from_str(&text).expect("serde-saphyr reads it");
    let packages: Map = serde_json::from_value(document["packages"].clone()).expect("packages");
    let versioned = packages
        .iter()
        .filter(|(key, body)| {
            let spelled = key
                .rsplit_once('@')
                .is_some_and(|(_, v)| v.starts_with(|c: char| c.is_ascii_digit()));
            spelled || body.get("version").is_some()
        })
        .count();
    assert_eq!(lockfile.packages.len(), versioned);
    assert_eq!((packages.len(), versioned), (1_405, 1_296));

    let importers: Map = serde_json::from_value(document["importers"].clone()).expect("importers");
    assert_eq!(importers.len(), 279);
    let mut expected: BTreeSet<(String, String)> = BTreeSet::new();
    for importer in importers.values() {
        for group in ["dependencies", "devDependencies", "optionalDependencies"] {
            let Some(deps) = importer.get(group).and_then(|g| g.as_object()) else {
                continue;
            };
            for (name, dep) in deps {
                let version = dep["version"].as_str().expect("a version string");
                let version = version.split('(').next().unwrap_or_default();
                if version.starts_with(|c: char| c.is_ascii_digit()) {
                    expected.insert((name.clone(), version.to_owned()));
                } else if let Some(at) = version.get(1..).and_then(|v| v.find('@'))
                    && !version.contains(':')
                {
                    // An alias: `target@1.0.0`, `@scope/target@1.0.0`.
                    let (target, version) = (&version[..=at], &version[at + 2..]);
                    expected.insert((target.to_owned(), version.to_owned()));
                }
            }
        }
    }
    let direct: BTreeSet<(String, String)> = lockfile
        .packages
        .iter()
        .filter(|p| p.relation == Relation::Direct && p.source == Source::Registry)
        .map(|p| (p.name.clone(), p.version.clone()))
        .collect();
    assert_eq!(direct, expected);
    let dev = lockfile.packages.iter().filter(|p| p.dev).count();
    assert!(
        dev > 100 && dev < lockfile.packages.len(),
        "dev-only: {dev}"
    );
}
