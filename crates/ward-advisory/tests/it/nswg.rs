//! The Node.js security-wg database: every record converts, and the converted ranges mean what
//! node-semver means by the original range strings.
//!
//! For every npm and core record, versions around each range's boundaries are sampled (each
//! event's version, one patch below and above, its `-0` and `-alpha` pre-releases, and a few
//! fixed ones) and two answers compared: ward's, evaluating the converted OSV events with
//! `ward_version::osv::evaluate`, and node-semver 7's
//! `satisfies(v, vulnerable) && !satisfies(v, patched)` (with `includePrerelease: true`; a
//! missing range is left out), run by `tests/oracles/npm-satisfies.js`: how the WG's own
//! tools read a record.

use std::collections::BTreeSet;
use std::process::Command;

use serde_json::Value;
use ward_advisory::osv::Event;
use ward_advisory::{Format, Vulnerability, parse};
use ward_version::osv::{Verdict, evaluate};

use crate::support::{
    each_in_dir, reference_available, reference_dir, run_oracle_lines, shared_data,
};

/// A version of a record, the record's ranges and ward's answer.
struct Case {
    id: String,
    vulnerable: Option<String>,
    patched: Option<String>,
    version: String,
    ward: bool,
}

fn samples(record: &Vulnerability) -> BTreeSet<String> {
    let mut out: BTreeSet<String> = ["0.0.0", "0.0.1-rc.1", "0.1.0", "1.0.0", "99.0.0"]
        .into_iter()
        .map(str::to_owned)
        .collect();
    for range in record.affected.iter().flat_map(|a| &a.ranges) {
        for event in &range.events {
            let Ok(v) = ward_version::semver::Version::parse_strict(event.version()) else {
                continue;
            };
            let (major, minor, patch) = (&v.major, &v.minor, &v.patch);
            out.insert(event.version().to_owned());
            out.insert(format!("{major}.{minor}.{}", patch.increment()));
            out.insert(format!("{major}.{minor}.{patch}-0"));
            out.insert(format!("{major}.{minor}.{patch}-alpha"));
            if let Some(p) = patch.as_u64().and_then(|p| p.checked_sub(1)) {
                out.insert(format!("{major}.{minor}.{p}"));
            }
            if matches!(event, Event::Fixed(_)) {
                out.insert(format!("{major}.{minor}.{patch}-rc.1"));
            }
        }
    }
    out
}

fn cases(records: &[(Vulnerability, Value)], npm: &ward_version::Ecosystem) -> Vec<Case> {
    let mut cases = Vec::new();
    for (record, db) in records {
        let affected = &record.affected[0];
        let vulnerable = ["vulnerable_versions", "vulnerable"]
            .iter()
            .find_map(|k| db.get(*k).and_then(Value::as_str))
            .filter(|s| !s.trim().is_empty());
        let patched = ["patched_versions", "patched"]
            .iter()
            .find_map(|k| db.get(*k).and_then(Value::as_str))
            .filter(|s| !s.trim().is_empty());
        let ranges: Vec<_> = affected.ranges.iter().map(|r| r.to_eval()).collect();
        for version in samples(record) {
            let e = evaluate(npm, &ranges, &affected.versions, &version);
            assert_ne!(
                e.verdict,
                Verdict::Unknown,
                "{}: {version}: {:?}",
                record.id,
                e
            );
            cases.push(Case {
                id: record.id.clone(),
                vulnerable: vulnerable.map(str::to_owned),
                patched: patched.map(str::to_owned),
                version,
                ward: e.verdict == Verdict::Affected,
            });
        }
    }
    cases
}

#[test]
fn every_record_converts_and_ranges_agree_with_node_semver() {
    let Some(data) = shared_data() else { return };
    let dir = data.join("nodejs-security-wg/vuln");
    let mut records = Vec::new();
    let mut counts = [0usize; 2];
    for (i, (kind, format)) in [("npm", Format::NswgNpm), ("core", Format::NswgCore)]
        .into_iter()
        .enumerate()
    {
        each_in_dir(&dir.join(kind), ".json", |name, bytes| {
            if name.ends_with("index.json") {
                return;
            }
            let record = parse(format, name, bytes).unwrap_or_else(|e| panic!("{e}"));
            // NSWG ids are not in the schema's prefix list; a few vectors are malformed
            // (`I:U/A:U`), which the rating skips.
            let unexpected: Vec<_> = record
                .warnings()
                .into_iter()
                .filter(|w| w.field != "id" && w.field != "severity[0]")
                .collect();
            assert!(unexpected.is_empty(), "{name}: {unexpected:?}");
            let db = record.affected[0]
                .database_specific
                .clone()
                .unwrap_or_default();
            counts[i] += 1;
            records.push((record, db));
        });
    }
    assert_eq!(counts, [467, 171], "npm and core records converted");
    let core = records
        .iter()
        .filter(|(r, _)| r.id.starts_with("NSWG-CORE-"));
    assert!(core.clone().all(|(r, _)| r.affected[0].package.is_none()));
    assert!(
        records
            .iter()
            .any(|(r, _)| r.id == "NSWG-ECO-1" && r.aliases == ["CVE-2014-7205"])
    );

    // One record of each kind, whole, as ward stores it.
    for id in ["NSWG-ECO-1", "NSWG-CORE-6"] {
        let (record, _) = records.iter().find(|(r, _)| r.id == id).expect("present");
        insta::assert_json_snapshot!(id, record);
    }

    let npm: ward_version::Ecosystem = "npm".parse().expect("npm");
    let cases = cases(&records, &npm);
    let module = reference_dir().join("npm/node_modules/semver");
    let available = Command::new("node").arg("--version").output().is_ok()
        && module.join("package.json").is_file();
    if !reference_available("node-semver", available, "node and npm/node_modules/semver") {
        return;
    }
    // Two questions per case: in the vulnerable range? in the patched range? ("*" and
    // "<0.0.0-0" stand in for a missing one: every version, no version.)
    let input: String = cases
        .iter()
        .flat_map(|c| {
            [
                (c.vulnerable.as_deref().unwrap_or("*"), &c.version),
                (c.patched.as_deref().unwrap_or("<0.0.0-0"), &c.version),
            ]
        })
        .map(|(range, version)| serde_json::to_string(&[range, version]).expect("JSON") + "\n")
        .collect();
    let script =
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/oracles/npm-satisfies.js");
    let answers = run_oracle_lines(Command::new("node").arg(script).arg(&module), &input);
    assert_eq!(answers.len(), 2 * cases.len(), "two answers per case");
    let disagreements: Vec<String> = cases
        .iter()
        .zip(answers.chunks(2))
        .filter(|(c, a)| c.ward != (a[0] == "true" && a[1] == "false"))
        .map(|(c, a)| {
            format!(
                "{} vulnerable {:?} patched {:?} at {}: ward {}, node-semver satisfies {} / {}",
                c.id, c.vulnerable, c.patched, c.version, c.ward, a[0], a[1]
            )
        })
        .collect();
    assert!(
        disagreements.is_empty(),
        "{} of {} cases disagree with node-semver:\n{}",
        disagreements.len(),
        cases.len(),
        disagreements
            .iter()
            .take(30)
            .cloned()
            .collect::<Vec<_>>()
            .join("\n")
    );
    eprintln!(
        "nswg: {} npm + {} core records; {} sampled versions agree with node-semver",
        counts[0],
        counts[1],
        cases.len()
    );
}
