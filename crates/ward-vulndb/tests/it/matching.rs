//! Matching packages against real records (RustSec, PyPA, Go) and against records written to
//! exercise one rule each.

use std::path::Path;

use serde_json::json;
use ward_version::osv::Verdict;
use ward_vulndb::{Database, Finding, NoProgress, Query};

use crate::support::{fresh_db, record, shared_data, write_records};

fn query<'a>(ecosystem: &'a str, name: &'a str, version: &'a str) -> Query<'a> {
    Query {
        ecosystem,
        name,
        version,
    }
}

fn ids(findings: &[Finding]) -> Vec<&str> {
    findings.iter().map(|f| f.id.as_str()).collect()
}

fn import(db: &mut Database, path: &Path) {
    let report = db
        .import(&[path], &mut NoProgress)
        .expect("the import succeeds");
    assert!(report.sources[0].stored() > 0);
}

#[test]
fn rustsec_openssl_vulnerable_and_patched_versions() {
    let Some(data) = shared_data() else { return };
    let (_dir, mut db) = fresh_db();
    import(
        &mut db,
        &data.join("rustsec-advisory-db/rustsec-osv-export.tar.zst"),
    );
    // RUSTSEC-2016-0001: every openssl before 0.9.0 (introduced "0.0.0-0", fixed "0.9.0").
    let queries = [
        query("crates.io", "openssl", "0.8.3"),
        query("crates.io", "openssl", "0.9.0"),
        query("crates.io", "openssl", "0.0.1"),
    ];
    let findings = db.matches(&queries).expect("matches");
    let first: Vec<&Finding> = findings.iter().filter(|f| f.query == 0).collect();
    let old = first
        .iter()
        .find(|f| f.id == "RUSTSEC-2016-0001")
        .expect("0.8.3 is affected by RUSTSEC-2016-0001");
    assert_eq!(old.verdict, Verdict::Affected);
    assert_eq!(old.fixed.as_deref(), Some("0.9.0"));
    assert_eq!(old.aliases, ["CVE-2016-10931", "GHSA-34p9-f4q3-c4r7"]);
    assert_eq!(
        old.summary.as_deref(),
        Some("SSL/TLS MitM vulnerability due to insecure defaults")
    );
    assert!(old.informational.is_none());
    assert!(
        !findings
            .iter()
            .any(|f| f.query == 1 && f.id == "RUSTSEC-2016-0001"),
        "0.9.0 is the fix"
    );
    assert!(
        findings
            .iter()
            .any(|f| f.query == 2 && f.id == "RUSTSEC-2016-0001")
    );
    // Crate names are case-sensitive on crates.io? No: crates.io folds case and `-`/`_`
    // for lookups; ward keys them as `ward_advisory::name::normalize` says.
}

#[test]
fn informational_and_withdrawn_rustsec_advisories() {
    let Some(data) = shared_data() else { return };
    let (_dir, mut db) = fresh_db();
    import(
        &mut db,
        &data.join("rustsec-advisory-db/rustsec-osv-export.tar.zst"),
    );
    let findings = db
        .matches(&[
            // RUSTSEC-2016-0005: rust-crypto is unmaintained (fixed "0.2.37-0": every release).
            query("crates.io", "rust-crypto", "0.2.36"),
            // RUSTSEC-2019-0031 (spin) was withdrawn: it matches nothing.
            query("crates.io", "spin", "0.4.0"),
        ])
        .expect("matches");
    let unmaintained = findings
        .iter()
        .find(|f| f.id == "RUSTSEC-2016-0005")
        .expect("rust-crypto 0.2.36 is reported");
    assert_eq!(unmaintained.informational.as_deref(), Some("unmaintained"));
    assert!(!ids(&findings).contains(&"RUSTSEC-2019-0031"));
    assert!(
        db.show("RUSTSEC-2019-0031").expect("show")[0]
            .withdrawn
            .is_some()
    );
}

#[test]
fn pypi_names_match_in_any_spelling() {
    let Some(data) = shared_data() else { return };
    let (_dir, mut db) = fresh_db();
    import(
        &mut db,
        &data.join("pypa-advisory-database/pypa-advisory-database.tar.zst"),
    );
    // PYSEC-2018-35: aiohttp-session before 2.7.0. PEP 503: case and runs of -_. fold.
    for name in [
        "aiohttp-session",
        "AIOHTTP_Session",
        "aiohttp.session",
        "Aiohttp__-Session",
    ] {
        let findings = db
            .matches(&[query("PyPI", name, "2.6.0"), query("pypi", name, "2.7.0")])
            .expect("matches");
        let hit = findings
            .iter()
            .find(|f| f.id == "PYSEC-2018-35")
            .unwrap_or_else(|| panic!("{name} 2.6.0 finds PYSEC-2018-35: {findings:?}"));
        assert_eq!(hit.query, 0);
        assert_eq!(hit.fixed.as_deref(), Some("2.7.0"));
        assert!(hit.aliases.contains(&"CVE-2018-1000814".to_owned()));
        assert!(
            !findings
                .iter()
                .any(|f| f.query == 1 && f.id == "PYSEC-2018-35")
        );
    }
}

#[test]
fn go_stdlib_and_modules() {
    let Some(data) = shared_data() else { return };
    let (_dir, mut db) = fresh_db();
    import(
        &mut db,
        &data.join("golang-vulndb/golang-vulndb-osv-and-reports.tar.zst"),
    );
    // Go writes versions without the `v`, and exclusive lower bounds as pre-releases.
    let record = &db.show("GO-2020-0001").expect("show")[0];
    let affected = &record.affected[0];
    let name = affected.package.as_ref().expect("a package").name.clone();
    let findings = db
        .matches(&[query("Go", &name, "1.0.0"), query("Go", &name, "99.0.0")])
        .expect("matches");
    let hit = findings
        .iter()
        .find(|f| f.id == "GO-2020-0001")
        .expect("an early version is affected");
    assert_eq!(hit.query, 0);
    assert!(hit.fixed.is_some());
    assert!(
        !findings
            .iter()
            .any(|f| f.query == 1 && f.id == "GO-2020-0001")
    );
}

#[test]
fn aliased_records_are_reported_once_under_the_native_id() {
    let (dir, mut db) = fresh_db();
    let pkg = ("crates.io", "smallvec");
    let records = [
        // GHSA and RustSec name each other; the CVE record shares only the CVE with GHSA.
        record(
            "GHSA-1111-2222-3333",
            "2024-01-01T00:00:00Z",
            pkg,
            ("0", "1.6.1"),
            &["RUSTSEC-2021-0003", "CVE-2021-25900"],
        ),
        record(
            "RUSTSEC-2021-0003",
            "2024-01-01T00:00:00Z",
            pkg,
            ("0", "1.6.1"),
            &["GHSA-1111-2222-3333"],
        ),
        record(
            "CVE-2021-25900",
            "2024-01-01T00:00:00Z",
            pkg,
            ("0", "1.6.2"),
            &[],
        ),
        // Unrelated to them.
        record(
            "RUSTSEC-2018-0003",
            "2024-01-01T00:00:00Z",
            pkg,
            ("0", "0.6.3"),
            &["CVE-2018-20991"],
        ),
        // Withdrawn: never matches.
        {
            let mut r = record(
                "RUSTSEC-2099-0001",
                "2024-01-01T00:00:00Z",
                pkg,
                ("0", ""),
                &[],
            );
            r["withdrawn"] = json!("2024-01-02T00:00:00Z");
            r
        },
    ];
    import(&mut db, &write_records(&dir.path().join("r"), &records));
    let findings = db
        .matches(&[query("crates.io", "smallvec", "0.6.0")])
        .expect("matches");
    assert_eq!(ids(&findings), ["RUSTSEC-2018-0003", "RUSTSEC-2021-0003"]);
    let grouped = &findings[1];
    assert_eq!(grouped.aliases, ["CVE-2021-25900", "GHSA-1111-2222-3333"]);
    // The fix that leaves every grouped range.
    assert_eq!(grouped.fixed.as_deref(), Some("1.6.2"));

    // For npm there is no native database: GHSA is preferred over the CVE.
    let findings = db
        .matches(&[query("npm", "smallvec", "0.6.0")])
        .expect("matches");
    assert!(
        findings.is_empty(),
        "another ecosystem's package of that name is not it"
    );
    assert_eq!(
        db.show("cve-2021-25900").expect("show").len(),
        2,
        "the CVE record and GHSA's"
    );
}

#[test]
fn ghsa_last_known_affected_bounds_an_open_range() {
    let (dir, mut db) = fresh_db();
    let mut open = record(
        "GHSA-4444-5555-6666",
        "2024-01-01T00:00:00Z",
        ("npm", "tar"),
        ("1.0.0", ""),
        &[],
    );
    open["affected"][0]["database_specific"] =
        json!({ "last_known_affected_version_range": "<= 1.2.3" });
    let mut below = record(
        "GHSA-7777-8888-9999",
        "2024-01-01T00:00:00Z",
        ("npm", "tar"),
        ("0", ""),
        &[],
    );
    below["affected"][0]["database_specific"] =
        json!({ "last_known_affected_version_range": "< 0.5.0" });
    import(
        &mut db,
        &write_records(&dir.path().join("r"), &[open, below]),
    );
    let findings = db
        .matches(&[
            query("npm", "tar", "1.2.3"),
            query("npm", "tar", "1.2.4"),
            query("npm", "tar", "0.4.9"),
            query("npm", "tar", "0.5.0"),
        ])
        .expect("matches");
    let summary: Vec<(usize, &str, Option<&str>, Option<&str>)> = findings
        .iter()
        .map(|f| {
            (
                f.query,
                f.id.as_str(),
                f.fixed.as_deref(),
                f.last_known_affected.as_deref(),
            )
        })
        .collect();
    assert_eq!(
        summary,
        [
            (0, "GHSA-4444-5555-6666", None, Some("<= 1.2.3")),
            (2, "GHSA-7777-8888-9999", None, Some("< 0.5.0")),
        ]
    );
    // The record as shown is the record as published: the bound is not written into it.
    let shown = &db.show("GHSA-4444-5555-6666").expect("show")[0];
    assert_eq!(shown.affected[0].ranges[0].events.len(), 1);
}

#[test]
fn an_unreadable_version_is_unknown_never_not_affected() {
    let (dir, mut db) = fresh_db();
    let r = record(
        "RUSTSEC-2020-0001",
        "2024-01-01T00:00:00Z",
        ("crates.io", "tokio"),
        ("0", "1.0.0"),
        &[],
    );
    import(&mut db, &write_records(&dir.path().join("r"), &[r]));
    let findings = db
        .matches(&[query("crates.io", "tokio", "not a version")])
        .expect("matches");
    assert_eq!(findings.len(), 1);
    assert_eq!(findings[0].verdict, Verdict::Unknown);
    assert!(
        findings[0].diagnostics[0].contains("could not evaluate"),
        "{:?}",
        findings[0].diagnostics
    );
    assert!(
        db.matches(&[query("", "tokio", "1.0.0")]).is_err(),
        "an empty ecosystem"
    );
}
