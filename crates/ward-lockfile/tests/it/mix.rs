//! `mix.lock`: every fixture (Elixir and Erlang), aliases, repositories and the malformed
//! cases.

use ward_lockfile::{Kind, parse};

use crate::support::{Expect, check_fixture_dir, is_empty, parse_error, snapshot};

#[test]
fn every_elixir_fixture() {
    check_fixture_dir(
        "elixir/mixlock",
        Kind::MixLock,
        &[
            ("empty", Expect::Error(is_empty)),
            ("valid", Expect::Packages),
        ],
    );
}

#[test]
fn every_erlang_fixture() {
    check_fixture_dir(
        "erlang/mixlock",
        Kind::MixLock,
        &[
            ("empty.lock", Expect::Error(is_empty)),
            ("git.lock", Expect::Packages),
            ("two-packages.lock", Expect::Packages),
        ],
    );
}

#[test]
fn hex_names_old_entries_and_private_repositories() {
    let text = r#"%{
  # an alias: the app is my_json, the Hex package jason
  "my_json": {:hex, :jason, "1.4.0", "abc", [:mix], [{:decimal, "~> 2.0", [hex: :decimal, repo: "hexpm", optional: true]}], "hexpm", "def"},
  "old": {:hex, :old, "0.1.0"},
  "secret": {:hex, :secret, "2.0.0", "abc", [:mix], [], "hexpm:acme", "def"},
}
"#;
    let lockfile = parse(Kind::MixLock, "mix.lock", text).expect("parses");
    insta::assert_snapshot!(snapshot(&lockfile), @r"
    Hex jason 1.4.0 line=3 unknown prod registry
    Hex old 0.1.0 line=4 unknown prod registry
    Hex secret 2.0.0 line=5 unknown prod other hexpm:acme
    ");
}

fn error(text: &str) -> String {
    parse_error(Kind::MixLock, "mix.lock", text)
}

#[test]
fn malformed() {
    assert_eq!(
        error("%{\n  \"a\": {:hex, :a, \"1.0.0\"\n}\n"),
        "mix.lock:4: expected `,` or `}` in the map, found the end of the file"
    );
    assert_eq!(
        error("%{\n  \"a\": {:path, \"../a\"}\n}"),
        "mix.lock:2: expected `:hex` or `:git` as the first element for \"a\""
    );
    assert_eq!(
        error("%{\"a\": {:hex, :a, 1}}"),
        "mix.lock:1: expected the version as the third element (`\"1.0.0\"`) for \"a\""
    );
    assert_eq!(error("[]"), "mix.lock:1: expected a map `%{...}`");
    assert_eq!(
        error("%{\n\"a\": {:hex, :a, \"1\"} \"b\"}"),
        "mix.lock:2: expected `,` or `}` in the map, found `\"`"
    );
}
