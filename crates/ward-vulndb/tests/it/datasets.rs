//! Import of every dataset in `../shared/data` that ward reads, with the number of records
//! counted independently of ward: by the file layout each database documents.

use std::path::Path;

use ward_vulndb::{NoProgress, SourceReport};

use crate::support::{archive_files, fresh_db, go_records, json_id, shared_data};

/// Imports `path` into a fresh database and checks that exactly `expected` records were
/// stored, none rejected, and that the statistics agree.
fn imports_exactly(path: &Path, expected: usize) -> SourceReport {
    let (_dir, mut db) = fresh_db();
    let report = db
        .import(&[path], &mut NoProgress)
        .expect("the import succeeds");
    let source = report.sources.into_iter().next().expect("one source");
    assert!(
        source.rejected.is_empty(),
        "{}: {} rejected, first: {:?}",
        path.display(),
        source.rejected.len(),
        source.rejected.first()
    );
    assert_eq!(
        (source.added, source.replaced, source.kept_newer),
        (expected as u64, 0, 0),
        "{}",
        path.display()
    );
    let stats = db.stats().expect("stats");
    assert_eq!(stats.records, expected as u64);
    assert_eq!(stats.sources.len(), 1);
    assert_eq!(stats.sources[0].records, expected as u64);
    assert_eq!(stats.sources[0].name, source.source);
    eprintln!("{}: {expected} records", path.display());
    source
}

fn count(members: &[(String, Vec<u8>)], wanted: impl Fn(&str) -> bool) -> usize {
    members.iter().filter(|(path, _)| wanted(path)).count()
}

#[test]
fn go_vulnerability_database() {
    let Some(data) = shared_data() else { return };
    // The archive also holds Go's own YAML reports: only `data/osv/*.json` are records.
    let expected = go_records(&data).len();
    assert!(expected > 4000, "{expected}");
    imports_exactly(
        &data.join("golang-vulndb/golang-vulndb-osv-and-reports.tar.zst"),
        expected,
    );
}

#[test]
fn rustsec_osv_export() {
    let Some(data) = shared_data() else { return };
    let archive = data.join("rustsec-advisory-db/rustsec-osv-export.tar.zst");
    let members = archive_files(&archive);
    let expected = count(&members, |p| {
        p.starts_with("rustsec-osv/crates/RUSTSEC-") && p.ends_with(".json")
    });
    assert_eq!(expected, 1206, "the README says 1,206 records");
    imports_exactly(&archive, expected);
}

#[test]
fn rustsec_advisory_db_markdown() {
    let Some(data) = shared_data() else { return };
    let archive = data.join("rustsec-advisory-db/rustsec-advisory-db-main.tar.zst");
    let members = archive_files(&archive);
    let crates = count(&members, |p| {
        let parts: Vec<&str> = p.split('/').collect();
        matches!(parts.as_slice(), [_, "crates", _, file] if file.starts_with("RUSTSEC-") && file.ends_with(".md"))
    });
    let toolchain = count(&members, |p| {
        let parts: Vec<&str> = p.split('/').collect();
        matches!(parts.as_slice(), [_, "rust", _, file] if file.ends_with(".md"))
    });
    assert_eq!(
        (crates, toolchain),
        (1205, 20),
        "the README says 1,205 crate and 20 Rust advisories"
    );
    // The toolchain advisories (`rust/{std,cargo,rustdoc}`) are about no crates.io package:
    // RustSec's own OSV export leaves them out, and so does ward, saying why.
    let (_dir, mut db) = fresh_db();
    let report = db
        .import(&[&archive], &mut NoProgress)
        .expect("the import succeeds");
    let source = &report.sources[0];
    assert_eq!(source.added, crates as u64);
    assert!(source.rejected.is_empty(), "{:?}", source.rejected);
    assert_eq!(source.left_out.len(), toolchain);
    for rejected in &source.left_out {
        assert!(
            rejected.origin.contains("!rustsec-advisory-db/rust/"),
            "{rejected:?}"
        );
        assert!(rejected.reason.contains("toolchain"), "{rejected:?}");
    }
    assert_eq!(db.stats().expect("stats").records, crates as u64);
}

#[test]
fn pypa_advisory_database() {
    let Some(data) = shared_data() else { return };
    let archive = data.join("pypa-advisory-database/pypa-advisory-database.tar.zst");
    let members = archive_files(&archive);
    let expected = count(&members, |p| {
        p.starts_with("pypa-advisory-database/vulns/") && p.ends_with(".yaml")
    });
    assert_eq!(expected, 2661, "the README says 2,661 records");
    imports_exactly(&archive, expected);
}

#[test]
fn eef_cna_advisories() {
    let Some(data) = shared_data() else { return };
    // The OSV records (published and staging); the CVE JSON 5 twins are not OSV.
    let dir = data.join("eef-cna-advisories");
    let mut expected = 0;
    for sub in ["osv", "staging/osv"] {
        for entry in std::fs::read_dir(dir.join(sub)).expect("the directory lists") {
            let path = entry.expect("an entry").path();
            if path.extension().is_some_and(|e| e == "json") {
                expected += 1;
            }
        }
    }
    assert_eq!(expected, 151 + 4);
    imports_exactly(&dir, expected);
}

#[test]
fn nodejs_security_wg() {
    let Some(data) = shared_data() else { return };
    let dir = data.join("nodejs-security-wg");
    let numbered = |sub: &str| {
        std::fs::read_dir(dir.join("vuln").join(sub))
            .expect("the directory lists")
            .filter(|e| {
                let name = e.as_ref().expect("an entry").file_name();
                let name = name.to_string_lossy();
                name.strip_suffix(".json")
                    .is_some_and(|s| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit()))
            })
            .count()
    };
    let expected = numbered("npm") + numbered("core");
    assert_eq!(
        expected,
        467 + 171,
        "the README says 467 npm and 171 core advisories"
    );
    imports_exactly(&dir, expected);
}

#[test]
fn loopback_osv_record() {
    let Some(data) = shared_data() else { return };
    let report = imports_exactly(&data.join("loopback-security"), 1);
    assert_eq!(report.added, 1);
}

#[test]
fn osv_schema_examples_share_ids_and_none_is_lost() {
    let Some(data) = shared_data() else { return };
    let dir = data.join("osv-schema/examples/osv-linter-testdata");
    let files: Vec<_> = std::fs::read_dir(&dir)
        .expect("the directory lists")
        .map(|e| e.expect("an entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == "json"))
        .collect();
    // The linter's broken variants (`nointroduced-X.json`...) carry the id of the good X.
    let mut ids: Vec<String> = files
        .iter()
        .map(|p| json_id(&std::fs::read(p).expect("the file reads")))
        .collect();
    ids.sort();
    ids.dedup();
    let (_dir, mut db) = fresh_db();
    let report = db
        .import(&[&dir], &mut NoProgress)
        .expect("the import succeeds");
    let source = &report.sources[0];
    assert_eq!(
        source.added
            + source.replaced
            + source.unchanged
            + source.kept_newer
            + source.not_advisories
            + source.rejected.len() as u64,
        files.len() as u64,
        "{source:#?}"
    );
    assert_eq!(source.added, ids.len() as u64, "{source:#?}");
    assert_eq!(db.stats().expect("stats").records, ids.len() as u64);
}

#[test]
fn stats_count_withdrawn_and_the_newest_modification() {
    let Some(data) = shared_data() else { return };
    let records = go_records(&data);
    let values: Vec<serde_json::Value> = records
        .iter()
        .map(|(_, bytes)| serde_json::from_slice(bytes).expect("JSON"))
        .collect();
    let withdrawn = values
        .iter()
        .filter(|v| v.get("withdrawn").is_some())
        .count() as u64;
    let newest = values
        .iter()
        .map(|v| {
            v["modified"]
                .as_str()
                .expect("modified")
                .parse::<jiff::Timestamp>()
                .expect("RFC 3339")
        })
        .max()
        .expect("records");
    let (_dir, mut db) = fresh_db();
    db.import(
        &[data.join("golang-vulndb/golang-vulndb-osv-and-reports.tar.zst")],
        &mut NoProgress,
    )
    .expect("the import succeeds");
    let stats = db.stats().expect("stats");
    assert_eq!(stats.withdrawn, withdrawn);
    assert!(withdrawn > 0);
    assert_eq!(stats.newest_modified, Some(newest.to_string()));
    let go = stats
        .ecosystems
        .iter()
        .find(|e| e.ecosystem == "Go")
        .expect("Go is counted");
    let with_go: usize = values
        .iter()
        .filter(|v| {
            // Withdrawn records are in no ecosystem's count: they never match.
            v.get("withdrawn").is_none()
                && v["affected"]
                    .as_array()
                    .is_some_and(|a| a.iter().any(|e| e["package"]["ecosystem"] == "Go"))
        })
        .count();
    assert_eq!(go.records, with_go as u64);
    assert!(!stats.sources[0].imported_at.is_empty());
    // Distinct ids, read without ward.
    let mut ids: Vec<String> = records.iter().map(|(_, b)| json_id(b)).collect();
    ids.sort();
    ids.dedup();
    assert_eq!(stats.records, ids.len() as u64);
}
