use super::*;

#[test]
fn detects_formats_by_path_shape() {
    let cases = [
        ("security-wg/vuln/npm/12.json", Some(Format::NswgNpm)),
        ("vuln/core/171.json", Some(Format::NswgCore)),
        ("vuln/npm/index.json", None),
        ("vuln/core/index.json", None),
        ("vuln/deps/3.json", None),
        (
            "advisory-db/crates/openssl/RUSTSEC-2016-0001.md",
            Some(Format::RustSec),
        ),
        ("rust/std/CVE-2021-28875.md", Some(Format::RustSec)),
        ("crates/openssl/README.md", None),
        ("EXAMPLE_ADVISORY.md", None),
        ("data/osv/GO-2020-0001.json", Some(Format::OsvJson)),
        ("data/reports/GO-2020-0001.yaml", None),
        ("vulns/django/PYSEC-2021-98.yaml", Some(Format::OsvYaml)),
        ("triage/false_positives.yaml", None),
        ("eef/cve5/CVE-2025-4748.json", None),
        ("eef/osv/EEF-CVE-2025-4748.json", Some(Format::OsvJson)),
        ("advisories/lbsa-20201130.csaf.json", None),
        ("osv-schema/validation/schema.json", None),
        ("osv-schema/ecosystems.json", None),
        ("node_modules/x/package.json", None),
        ("repo/.github/workflows/ci.yml", None),
        ("all.zip!GHSA-xxxx-xxxx-xxxx.json", Some(Format::OsvJson)),
        ("", None),
        ("README", None),
    ];
    for (path, format) in cases {
        assert_eq!(detect(path), format, "{path}");
    }
}

const MINIMAL: &str = r#"{"id": "GHSA-aaaa-bbbb-cccc", "modified": "2024-01-02T03:04:05Z",
  "affected": [{"package": {"ecosystem": "npm", "name": "left-pad"},
    "ranges": [{"type": "SEMVER", "events": [{"introduced": "0"}, {"fixed": "1.0.0"}]}]}]}"#;

fn kind(format: Format, input: &str) -> ErrorKind {
    match parse(format, "test.json", input.as_bytes()) {
        Ok(record) => panic!("expected an error, got {record:?}"),
        Err(e) => {
            assert_eq!(e.origin, "test.json");
            e.kind
        }
    }
}

#[test]
fn reads_a_minimal_record() {
    let record = parse(Format::OsvJson, "x", MINIMAL.as_bytes()).expect("valid record");
    assert_eq!(record.id, "GHSA-aaaa-bbbb-cccc");
    assert!(record.warnings().is_empty());
}

#[test]
fn json_errors_name_line_and_column() {
    let ErrorKind::Json { line, column, .. } = kind(Format::OsvJson, "{\n  \"id\": 5,\n}") else {
        panic!("expected a JSON error")
    };
    assert_eq!((line, column), (2, 9));
}

#[test]
fn other_json_documents_are_not_records() {
    let e = kind(
        Format::OsvJson,
        r#"{"ghsaId": "GHSA-4g4c-8gqh-m4vm", "identifiers": []}"#,
    );
    assert!(matches!(e, ErrorKind::NotARecord { .. }), "{e}");
    let e = kind(Format::OsvYaml, "- a\n- b\n");
    assert!(matches!(e, ErrorKind::Syntax { .. }), "{e}");
    let e = kind(Format::OsvJson, r#"{"id": "GHSA-1"}"#);
    assert!(
        matches!(e, ErrorKind::Json { .. }),
        "a record missing modified is broken: {e}"
    );
}

#[test]
fn oversized_records_are_refused_before_parsing() {
    let big = vec![b' '; MAX_RECORD_LEN + 1];
    let e = parse(Format::OsvJson, "big.json", &big).expect_err("too large");
    assert!(matches!(e.kind, ErrorKind::TooLarge { .. }), "{e}");
}

#[test]
fn yaml_timestamps_stay_strings() {
    let yaml = "id: PYSEC-2021-1\nmodified: 2021-06-22T04:54:55.381670Z\npublished: 2021-06-08T18:15:00Z\n";
    let record = parse(Format::OsvYaml, "x.yaml", yaml.as_bytes()).expect("valid");
    assert_eq!(record.modified, "2021-06-22T04:54:55.381670Z");
    assert_eq!(record.published.as_deref(), Some("2021-06-08T18:15:00Z"));
    let e = kind(Format::OsvYaml, "id: PYSEC-2021-1\nmodified: [\n");
    assert!(matches!(e, ErrorKind::Syntax { line: Some(_), .. }), "{e}");
}

#[test]
fn null_lists_read_as_empty() {
    let json = r#"{"id": "OSV-1", "modified": "2024-01-02T03:04:05Z", "aliases": null,
      "affected": null, "references": null, "severity": null}"#;
    let record = parse(Format::OsvJson, "x", json.as_bytes()).expect("valid");
    assert!(record.aliases.is_empty() && record.affected.is_empty());
}

#[test]
fn invalid_utf8_is_a_syntax_error_with_a_line() {
    let e = parse(Format::RustSec, "x.md", b"```toml\n\xff").expect_err("not UTF-8");
    assert!(
        matches!(e.kind, ErrorKind::Syntax { line: Some(2), .. }),
        "{e}"
    );
}
