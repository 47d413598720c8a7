//! How long matching a large lockfile takes against a large database. Ignored by default
//! (building 200,000 records takes a while); run it in release:
//!
//! ```text
//! cargo test -p ward-vulndb --release --test it speed -- --ignored --nocapture
//! ```

use std::time::Instant;

use ward_vulndb::{NoProgress, Query};

use crate::support::{fresh_db, write_zip};

/// 200,000 records over 20,000 npm packages (ten each, with GHSA-style ranges and aliases),
/// and a 3,000-package lockfile of which 1,000 packages have records.
#[test]
#[ignore = "a benchmark: run in release with --ignored"]
fn three_thousand_packages_against_two_hundred_thousand_records() {
    let (dir, mut db) = fresh_db();
    let members: Vec<(String, Vec<u8>)> = (0..200_000u32)
        .map(|i| {
            let package = i % 20_000;
            let major = i / 20_000;
            let id = format!("GHSA-{:04x}-{:04x}-test", i >> 16, i & 0xffff);
            let record = serde_json::json!({
                "id": id,
                "modified": "2024-01-01T00:00:00Z",
                "aliases": [format!("CVE-2024-{i}")],
                "summary": "synthetic",
                "severity": [{ "type": "CVSS_V3", "score": "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H" }],
                "affected": [{
                    "package": { "ecosystem": "npm", "name": format!("package-{package}") },
                    "ranges": [{ "type": "SEMVER", "events": [
                        { "introduced": format!("{major}.0.0") },
                        { "fixed": format!("{major}.5.0") },
                    ] }],
                }],
            });
            (format!("{id}.json"), serde_json::to_vec(&record).expect("JSON"))
        })
        .collect();
    let zip = dir.path().join("all.zip");
    write_zip(&zip, &members);
    let started = Instant::now();
    let report = db.import(&[&zip], &mut NoProgress).expect("imports");
    assert_eq!(report.sources[0].added, 200_000);
    eprintln!("import of 200,000 records: {:?}", started.elapsed());

    let names: Vec<String> = (0..3_000).map(|i| format!("package-{}", i * 20)).collect();
    let queries: Vec<Query<'_>> = names
        .iter()
        .enumerate()
        .map(|(i, name)| Query {
            ecosystem: "npm",
            // A third of the packages have records (every 20th of 20,000, up to 60,000).
            name: if i < 1_000 { name } else { "left-pad-unknown" },
            version: "3.2.1",
        })
        .collect();
    let mut best = std::time::Duration::MAX;
    let mut findings = Vec::new();
    for _ in 0..5 {
        let started = Instant::now();
        findings = db.matches(&queries).expect("matches");
        best = best.min(started.elapsed());
    }
    // Each of the 1,000 packages has ten records; version 3.2.1 is in 3.0.0..3.5.0 only.
    assert_eq!(findings.len(), 1_000);
    eprintln!(
        "3,000 queries, {} findings: best of 5 {best:?}",
        findings.len()
    );
    if !cfg!(debug_assertions) {
        assert!(best.as_millis() < 100, "{best:?}");
    }
}
