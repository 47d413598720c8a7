//! How many records each shared dataset yields, exactly: every file is detected and parsed as
//! `ward db import` would, and the numbers of records imported, files skipped (not advisories,
//! or advisories ward leaves out on purpose) and files failed are asserted per dataset, so an
//! importer change that loses records fails here.

use std::collections::BTreeMap;

use ward_advisory::{detect, parse};

use crate::support::{each_in_archive, each_in_tree, shared_data};

#[derive(Debug, Default, PartialEq, Eq)]
struct Count {
    /// Records parsed and valid.
    imported: usize,
    /// Files `parse` reports as skips (not an advisory, or one ward leaves out).
    skipped: usize,
    /// Files that are advisories but broken.
    failed: usize,
    /// Files `detect` does not take for advisories.
    ignored: usize,
}

fn count(count: &mut Count, failures: &mut Vec<String>, name: &str, bytes: &[u8]) {
    let Some(format) = detect(name) else {
        count.ignored += 1;
        return;
    };
    match parse(format, name, bytes) {
        Ok(_) => count.imported += 1,
        Err(e) if e.is_skip() => count.skipped += 1,
        Err(e) => {
            count.failed += 1;
            failures.push(e.to_string());
        }
    }
}

#[test]
fn every_dataset_yields_its_records() {
    let Some(data) = shared_data() else { return };
    let mut counts: BTreeMap<&str, Count> = BTreeMap::new();
    let mut failures = Vec::new();
    let archives = [
        (
            "golang-vulndb",
            "golang-vulndb/golang-vulndb-osv-and-reports.tar.zst",
        ),
        (
            "rustsec-advisory-db",
            "rustsec-advisory-db/rustsec-advisory-db-main.tar.zst",
        ),
        (
            "rustsec-osv-export",
            "rustsec-advisory-db/rustsec-osv-export.tar.zst",
        ),
        (
            "pypa-advisory-database",
            "pypa-advisory-database/pypa-advisory-database.tar.zst",
        ),
    ];
    for (dataset, archive) in archives {
        let c = counts.entry(dataset).or_default();
        each_in_archive(&data.join(archive), "", "", |name, bytes| {
            if !name.ends_with('/') {
                count(c, &mut failures, name, bytes);
            }
        });
    }
    for dataset in [
        "eef-cna-advisories",
        "nodejs-security-wg",
        "loopback-security",
        "osv-schema",
    ] {
        let c = counts.entry(dataset).or_default();
        each_in_tree(&data.join(dataset), |name, bytes| {
            count(c, &mut failures, name, bytes)
        });
    }
    assert!(
        failures.is_empty(),
        "failed records:\n{}",
        failures.join("\n")
    );
    let c = |imported, skipped, ignored| Count {
        imported,
        skipped,
        failed: 0,
        ignored,
    };
    let expected: BTreeMap<&str, Count> = [
        // 4,291 OSV records; the 4,291 Go report YAMLs, README and LICENSE are not OSV.
        ("golang-vulndb", c(4291, 0, 4293)),
        // 1,205 crate advisories; the 20 rust/ toolchain advisories skipped as the export does.
        ("rustsec-advisory-db", c(1205, 20, 6)),
        ("rustsec-osv-export", c(1206, 0, 1)),
        // 2,661 PYSEC records; triage/false_positives.yaml, README, LICENSE ignored.
        ("pypa-advisory-database", c(2661, 0, 3)),
        // 151 OSV + 4 staging OSV; the 158 CVE JSON 5 records are not OSV.
        ("eef-cna-advisories", c(155, 0, 159)),
        // 467 npm + 171 core; index.json files, vuln/deps, docs ignored.
        ("nodejs-security-wg", c(638, 0, 12)),
        // The OSV record; the CSAF twin and licence files ignored.
        ("loopback-security", c(1, 0, 7)),
        // 12 linter records, 11 GHSA conversions, 2 Red Hat OSV; the 11 GitHub GraphQL inputs
        // and 5 CSAF documents are skipped as not OSV.
        ("osv-schema", c(25, 16, 5)),
    ]
    .into_iter()
    .collect();
    assert_eq!(counts, expected);
    let imported: usize = counts.values().map(|c| c.imported).sum();
    eprintln!(
        "counts: {imported} records imported from {} datasets",
        counts.len()
    );
}
