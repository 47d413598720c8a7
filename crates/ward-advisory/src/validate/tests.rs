use super::*;
use crate::import::{Format, parse};

fn record(json: &str) -> Vulnerability {
    serde_json::from_str(json).unwrap_or_else(|e| panic!("{e}"))
}

fn with_range(kind: &str, events: &str) -> Vulnerability {
    record(&format!(
        r#"{{"id": "GHSA-1", "modified": "2024-01-02T03:04:05Z", "affected": [{{
          "package": {{"ecosystem": "PyPI", "name": "x"}},
          "ranges": [{{"type": "{kind}", "repo": "https://g/r", "events": {events}}}]}}]}}"#
    ))
}

fn fatal(v: &Vulnerability) -> String {
    v.validate().expect_err("should be refused").to_string()
}

#[test]
fn ids_are_checked() {
    for (id, ok) in [
        ("GHSA-1", true),
        ("x_private", true),
        ("", false),
        ("../etc/passwd", false),
        ("GHSA 1", false),
    ] {
        let v = record(&format!(
            r#"{{"id": {id:?}, "modified": "2024-01-02T03:04:05Z"}}"#
        ));
        assert_eq!(v.validate().is_ok(), ok, "{id}");
    }
    let v = record(r#"{"id": "NSWG-ECO-1", "modified": "2024-01-02T03:04:05Z"}"#);
    assert!(v.validate().is_ok());
    assert_eq!(v.warnings().len(), 1, "unknown prefix is a warning");
}

#[test]
fn timestamps_are_rfc3339() {
    for (t, fatal_, warns) in [
        ("2024-01-02T03:04:05Z", false, false),
        ("2024-01-02T03:04:05.123456Z", false, false),
        ("2024-01-02T03:04:05+02:00", false, true),
        ("2024-02-30T03:04:05Z", true, false),
        ("2024-01-02", true, false),
        ("2024-01-02 03:04:05Z", true, false),
        ("2024-01-02T03:04:05", true, false),
        ("yesterday", true, false),
    ] {
        let v = record(&format!(r#"{{"id": "GHSA-1", "modified": "{t}"}}"#));
        assert_eq!(v.validate().is_err(), fatal_, "{t}");
        if !fatal_ {
            assert_eq!(!v.warnings().is_empty(), warns, "{t}");
        }
    }
}

#[test]
fn ranges_need_introduced_and_one_kind_of_end() {
    assert!(fatal(&with_range("SEMVER", r#"[{"fixed": "1.0.0"}]"#)).contains("introduced"));
    assert!(fatal(&with_range("ECOSYSTEM", "[]")).contains("at least one event"));
    let both = r#"[{"introduced": "0"}, {"fixed": "1"}, {"last_affected": "2"}]"#;
    assert!(fatal(&with_range("ECOSYSTEM", both)).contains("same range"));
    assert!(fatal(&with_range("RANGE", r#"[{"introduced": "0"}]"#)).contains("unknown range type"));
}

#[test]
fn git_range_defects_are_warnings() {
    let v = with_range("GIT", r#"[{"introduced": "0"}, {"fixed": "cb35df940a"}]"#);
    assert!(v.validate().is_ok());
    let w = v.warnings();
    assert_eq!(w.len(), 1, "{w:?}");
    assert_eq!(w[0].field, "affected[0].ranges[0].events[1]");
    let full = format!(r#"[{{"fixed": "{}"}}]"#, "a".repeat(40));
    let v = with_range("GIT", &full);
    assert!(
        v.validate().is_ok(),
        "GIT ranges without introduced are tolerated"
    );
    assert_eq!(v.warnings().len(), 1);
}

#[test]
fn packages_need_a_name_and_an_ecosystem() {
    let v = record(
        r#"{"id": "GHSA-1", "modified": "2024-01-02T03:04:05Z",
           "affected": [{"package": {"ecosystem": "npm", "name": ""}}]}"#,
    );
    assert!(fatal(&v).contains("package.name"));
    let v = record(
        r#"{"id": "GHSA-1", "modified": "2024-01-02T03:04:05Z",
           "affected": [{"package": {"ecosystem": ":12", "name": "x"}}]}"#,
    );
    assert!(fatal(&v).contains("package.ecosystem"));
    for (ecosystem, warns) in [
        ("pypi", true),
        ("Debian:12", false),
        ("Debian:", true),
        ("Nix", true),
        ("GIT", false),
    ] {
        let v = record(&format!(
            r#"{{"id": "GHSA-1", "modified": "2024-01-02T03:04:05Z",
               "affected": [{{"package": {{"ecosystem": "{ecosystem}", "name": "x"}}}}]}}"#
        ));
        assert!(v.validate().is_ok(), "{ecosystem}");
        assert_eq!(!v.warnings().is_empty(), warns, "{ecosystem}");
    }
}

#[test]
fn severities_follow_the_schema_patterns() {
    for (kind, score, ok) in [
        (
            "CVSS_V3",
            "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H",
            true,
        ),
        ("CVSS_V3", "CVSS:3.2/AV:N", false),
        ("CVSS_V3", "AV:N/AC:L", false),
        ("CVSS_V2", "AV:N/AC:L/Au:N/C:P/I:P/A:P", true),
        ("CVSS_V2", "AV:N/AC:L/Au:N/C:P/I:P/A:X", false),
        (
            "CVSS_V4",
            "CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N",
            true,
        ),
        (
            "CVSS_V4",
            "CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N/E:A/U:Red",
            true,
        ),
        (
            "CVSS_V4",
            "CVSS:4.0/AC:L/AV:N/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N",
            false,
        ),
        (
            "CVSS_V4",
            "CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N",
            false,
        ),
        ("Ubuntu", "medium", true),
        ("Ubuntu", "Medium", false),
        ("CVSS_V5", "whatever", false),
    ] {
        assert_eq!(
            patterns::check_severity(kind, score).is_ok(),
            ok,
            "{kind} {score}"
        );
    }
}

#[test]
fn uris_and_enums() {
    assert!(patterns::is_uri("https://example.com/a%20b?x=1#f"));
    assert!(patterns::is_uri("mailto:someone@example.com"));
    assert!(!patterns::is_uri("example.com/path"));
    assert!(!patterns::is_uri("https://example.com/a b"));
    assert!(!patterns::is_uri("https://example.com/%zz"));
    let v = record(
        r#"{"id": "GHSA-1", "modified": "2024-01-02T03:04:05Z",
           "references": [{"type": "BLOG", "url": "https://x"}],
           "credits": [{"name": "a", "type": "HERO"}], "database_specific": 5}"#,
    );
    assert_eq!(v.warnings().len(), 3, "{:?}", v.warnings());
}

#[test]
fn every_ecosystem_ward_knows_is_in_the_schema_list() {
    for (name, _) in ward_version::Ecosystem::known() {
        assert!(patterns::ECOSYSTEMS.contains(&name), "{name}");
    }
}

#[test]
fn parse_refuses_invalid_records() {
    let e = parse(
        Format::OsvJson,
        "bad.json",
        br#"{"id": "GHSA-1", "modified": "soon"}"#,
    )
    .expect_err("bad timestamp");
    assert_eq!(e.to_string().split(':').next(), Some("bad.json"));
    assert!(matches!(e.kind, ErrorKind::Invalid { ref field, .. } if field == "modified"));
}
