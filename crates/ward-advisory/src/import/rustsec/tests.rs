use super::*;

const EXAMPLE: &str = r#"```toml
[advisory]
id = "RUSTSEC-2020-0001"
package = "crate-name"
date = "2020-01-31"
url = "https://github.com/me/crate/issues/1"
informational = "unsound"
categories = ["memory-corruption"]
cvss = "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:C/C:H/I:H/A:H"

[affected.functions]
"crate_name::MyStruct::vulnerable_fn" = [">= 1.3.0, < 1.3.4"]

[versions]
patched = [">= 1.2.3, < 1.3.0", ">= 1.3.4"]
unaffected = ["<= 0.1.2"]
```

# Advisory Title

Some *details*.
"#;

fn events(v: &Vulnerability) -> Vec<String> {
    v.affected[0].ranges[0]
        .events
        .iter()
        .map(|e| serde_json::to_string(e).expect("serializes"))
        .collect()
}

#[test]
fn converts_like_the_official_export() {
    let v = parse(EXAMPLE).expect("valid advisory");
    assert_eq!(v.summary.as_deref(), Some("Advisory Title"));
    assert_eq!(v.details.as_deref(), Some("Some *details*."));
    assert_eq!(v.published.as_deref(), Some("2020-01-31T12:00:00Z"));
    assert_eq!(
        events(&v),
        [
            r#"{"introduced":"0.1.3-0"}"#,
            r#"{"fixed":"1.2.3"}"#,
            r#"{"introduced":"1.3.0"}"#,
            r#"{"fixed":"1.3.4"}"#
        ]
    );
    let db = v.affected[0].database_specific.as_ref().expect("set");
    assert_eq!(db["informational"], "unsound");
    assert_eq!(v.references[2].kind, "REPORT");
    assert_eq!(v.severity[0].kind, "CVSS_V3");
}

#[test]
fn no_patched_version_means_every_version() {
    let text = EXAMPLE
        .replace(
            r#"patched = [">= 1.2.3, < 1.3.0", ">= 1.3.4"]"#,
            "patched = []",
        )
        .replace(r#"unaffected = ["<= 0.1.2"]"#, "");
    let v = parse(&text).expect("valid");
    assert_eq!(events(&v), [r#"{"introduced":"0.0.0-0"}"#]);
}

#[test]
fn toolchain_advisories_are_unsupported() {
    let text = EXAMPLE.replace("RUSTSEC-2020-0001", "CVE-2021-28875");
    assert!(matches!(parse(&text), Err(ErrorKind::Unsupported { .. })));
}

#[test]
fn malformed_advisories_name_the_problem() {
    let cases = [
        ("# no front matter", "start with ```toml"),
        ("```toml\n[advisory]\n", "not closed"),
        ("```toml\nid = 1\n```\n# T\n", "line 2"),
        (
            &EXAMPLE.replace("[versions]\npatched", "[versions]\npatchd"),
            "unknown field",
        ),
        (
            &EXAMPLE.replace("# Advisory Title", "Advisory Title"),
            "# Title",
        ),
        (
            &EXAMPLE.replace("2020-01-31", "2020-13-31"),
            "advisory.date",
        ),
        (
            &EXAMPLE.replace(">= 1.3.4", ">= 1.3.4.5"),
            "versions.patched",
        ),
    ];
    for (text, expected) in cases {
        let e = parse(text).expect_err(expected).to_string();
        assert!(e.contains(expected), "{expected:?} not in {e:?}");
    }
}

#[test]
fn a_partial_bound_is_the_release_not_its_pre_releases() {
    // `>= 2` patches 2.0.0, not 2.0.0-alpha.1 (cargo audit and the export agree); the
    // implicit end of `^1.4.2` still excludes 2.0.0's pre-releases.
    let text = EXAMPLE
        .replace(
            r#"patched = [">= 1.2.3, < 1.3.0", ">= 1.3.4"]"#,
            r#"patched = ["^1.4.2", ">= 2"]"#,
        )
        .replace(r#"unaffected = ["<= 0.1.2"]"#, r#"unaffected = ["< 0.9"]"#);
    let v = parse(&text).expect("valid");
    assert_eq!(
        events(&v),
        [
            r#"{"introduced":"0.9.0"}"#,
            r#"{"fixed":"1.4.2"}"#,
            r#"{"introduced":"2.0.0-0"}"#,
            r#"{"fixed":"2.0.0"}"#
        ]
    );
}
