//! Real OSV records, evaluated with ward: the Go vulnerability database, RustSec's official
//! OSV export, the PyPA advisory database, the Erlang Ecosystem Foundation's Hex advisories
//! and the OSV schema's own examples, all from `../shared/data`.
//!
//! Three checks, each able to fail:
//! 1. **Every event version parses** in its range's scheme: evaluating a range at each of its
//!    own event versions never says "could not evaluate". A parser that rejects real data
//!    would silently blind the scanner.
//! 2. **Every enumerated version is affected.** PyPA, EEF and GHSA records carry a `versions`
//!    list that OSV.dev expanded from the `ECOSYSTEM` ranges with its own implementation: an
//!    independent oracle. For entries without `GIT` ranges (whose tags feed that list too),
//!    each listed version must be affected by the ranges alone, but for the few listed,
//!    explained places where OSV.dev departs from the schema's pseudocode.
//! 3. **Boundaries**: in a range with one `introduced` and one `fixed` or `last_affected`,
//!    the introduced version is affected, the fixed version is not, and the last affected
//!    version is.

use serde::Deserialize;
use ward_version::Ecosystem;
use ward_version::osv::{self, Event, OsvRange, RangeType, Verdict};

use ward_testkit::{each_in_archive, each_in_dir};

use crate::support::shared_data;

/// Listed versions that the schema's pseudocode does not put in the record's ranges: places
/// where OSV.dev's expansion of the ranges departs from the pseudocode, which ward follows.
/// Each entry must keep occurring, so a stale one fails too.
const EXPANSION_DIVERGENCES: &[(&str, &str, &str)] = &[
    // OSV.dev lists the pre-releases of an `introduced` release; `3.2a1 < 3.2`, so the
    // pseudocode does not.
    ("PYSEC-2023-61", "3.2a1", "pre-release below introduced 3.2"),
    ("PYSEC-2023-61", "3.2b1", "pre-release below introduced 3.2"),
    (
        "PYSEC-2023-61",
        "3.2rc1",
        "pre-release below introduced 3.2",
    ),
    ("PYSEC-2023-61", "4.2a1", "pre-release below introduced 4.2"),
    ("PYSEC-2023-61", "4.2b1", "pre-release below introduced 4.2"),
    (
        "PYSEC-2023-61",
        "4.2rc1",
        "pre-release below introduced 4.2",
    ),
    // Overlapping events in one range: introduced 0, introduced 2.11, fixed 2.11.6, fixed
    // 2.11.7. Sorted and walked, 2.11.6 turns "affected" off; OSV.dev pairs the events as two
    // intervals instead.
    (
        "PYSEC-2021-114",
        "2.11.6",
        "overlapping events, fixed 2.11.6 walked before fixed 2.11.7",
    ),
];

#[derive(Debug, Deserialize)]
struct Record {
    id: String,
    #[serde(default)]
    affected: Vec<Affected>,
}

#[derive(Debug, Deserialize)]
struct Affected {
    package: Option<Package>,
    #[serde(default)]
    ranges: Vec<OsvRange>,
    #[serde(default)]
    versions: Vec<String>,
}

#[derive(Debug, Deserialize)]
struct Package {
    ecosystem: String,
}

#[derive(Default)]
struct Tally {
    records: usize,
    ranges: usize,
    event_versions: usize,
    listed_versions: usize,
    boundaries: usize,
    divergences: Vec<(String, String)>,
    failures: Vec<String>,
}

impl Tally {
    fn record(&mut self, record: &Record) {
        self.records += 1;
        for affected in &record.affected {
            let Some(package) = &affected.package else {
                continue;
            };
            let ecosystem: Ecosystem = package
                .ecosystem
                .parse()
                .expect("records name an ecosystem");
            self.events_parse(&record.id, &ecosystem, affected);
            self.listed_versions_affected(&record.id, &ecosystem, affected);
            self.boundaries(&record.id, &ecosystem, affected);
        }
    }

    fn events_parse(&mut self, id: &str, ecosystem: &Ecosystem, affected: &Affected) {
        for range in affected.ranges.iter().filter(|r| r.kind != RangeType::Git) {
            self.ranges += 1;
            for event in &range.events {
                let v = event.version();
                if v == "0" || v == "*" {
                    continue;
                }
                self.event_versions += 1;
                let e = osv::evaluate(ecosystem, std::slice::from_ref(range), &[], v);
                if e.verdict == Verdict::Unknown {
                    let why: Vec<String> = e.diagnostics.iter().map(ToString::to_string).collect();
                    self.failures
                        .push(format!("{id} ({ecosystem}): {}", why.join("; ")));
                }
            }
        }
    }

    fn listed_versions_affected(&mut self, id: &str, ecosystem: &Ecosystem, affected: &Affected) {
        if affected.ranges.is_empty() || affected.ranges.iter().any(|r| r.kind == RangeType::Git) {
            return;
        }
        for version in &affected.versions {
            self.listed_versions += 1;
            let e = osv::evaluate(ecosystem, &affected.ranges, &[], version);
            let known = EXPANSION_DIVERGENCES
                .iter()
                .any(|(i, v, _)| *i == id && v == version);
            if known && e.verdict == Verdict::NotAffected {
                self.divergences.push((id.to_owned(), version.clone()));
            } else if e.verdict != Verdict::Affected {
                self.failures.push(format!(
                    "{id} ({ecosystem}): listed version {version:?} is {:?} by the ranges {:?}",
                    e.verdict, e.diagnostics
                ));
            }
        }
    }

    fn boundaries(&mut self, id: &str, ecosystem: &Ecosystem, affected: &Affected) {
        for range in affected.ranges.iter().filter(|r| r.kind != RangeType::Git) {
            let [a, b] = &range.events[..] else { continue };
            let (Event::Introduced(introduced), end) = (a, b) else {
                continue;
            };
            let one = std::slice::from_ref(range);
            let mut expect = |version: &str, verdict: Verdict| {
                self.boundaries += 1;
                let got = osv::evaluate(ecosystem, one, &[], version).verdict;
                if got != verdict {
                    self.failures.push(format!(
                        "{id} ({ecosystem}): {version:?} should be {verdict:?}, is {got:?}"
                    ));
                }
            };
            if introduced != "0" {
                expect(introduced, Verdict::Affected);
            }
            match end {
                Event::Fixed(fixed) if fixed != introduced => expect(fixed, Verdict::NotAffected),
                Event::LastAffected(last) => expect(last, Verdict::Affected),
                _ => {}
            }
        }
    }

    fn finish(self, corpus: &str, expected_divergences: usize) {
        assert!(self.records > 0, "{corpus}: no records read");
        assert_eq!(
            self.divergences.len(),
            expected_divergences,
            "{corpus}: known OSV.dev expansion divergences seen: {:?}",
            self.divergences
        );
        assert!(
            self.failures.is_empty(),
            "{corpus}: {} failures in {} records:\n{}",
            self.failures.len(),
            self.records,
            self.failures
                .iter()
                .take(40)
                .cloned()
                .collect::<Vec<_>>()
                .join("\n")
        );
        eprintln!(
            "{corpus}: {} records, {} ranges, {} event versions parsed, {} listed versions affected \
             ({} known divergences), {} boundaries",
            self.records,
            self.ranges,
            self.event_versions,
            self.listed_versions - self.divergences.len(),
            self.divergences.len(),
            self.boundaries
        );
    }
}

fn json(name: &str, bytes: &[u8]) -> Record {
    serde_json::from_slice(bytes).unwrap_or_else(|e| panic!("{name}: {e}"))
}

#[test]
fn go_vulndb() {
    let Some(data) = shared_data() else { return };
    let mut tally = Tally::default();
    each_in_archive(
        &data.join("golang-vulndb/golang-vulndb-osv-and-reports.tar.zst"),
        "data/osv/",
        ".json",
        |name, bytes| {
            tally.record(&json(name, bytes));
        },
    );
    tally.finish("golang/vulndb", 0);
}

#[test]
fn rustsec_osv_export() {
    let Some(data) = shared_data() else { return };
    let mut tally = Tally::default();
    each_in_archive(
        &data.join("rustsec-advisory-db/rustsec-osv-export.tar.zst"),
        "crates/",
        ".json",
        |name, bytes| {
            tally.record(&json(name, bytes));
        },
    );
    tally.finish("RustSec OSV export", 0);
}

#[test]
fn pypa_advisory_database() {
    let Some(data) = shared_data() else { return };
    let mut tally = Tally::default();
    each_in_archive(
        &data.join("pypa-advisory-database/pypa-advisory-database.tar.zst"),
        "vulns/",
        ".yaml",
        |name, bytes| {
            let record: Record =
                serde_saphyr::from_slice(bytes).unwrap_or_else(|e| panic!("{name}: {e}"));
            tally.record(&record);
        },
    );
    tally.finish("PyPA advisory database", EXPANSION_DIVERGENCES.len());
}

#[test]
fn eef_hex_advisories() {
    let Some(data) = shared_data() else { return };
    let mut tally = Tally::default();
    each_in_dir(
        &data.join("eef-cna-advisories/osv"),
        ".json",
        |name, bytes| tally.record(&json(name, bytes)),
    );
    tally.finish("EEF CNA advisories", 0);
}

#[test]
fn osv_schema_examples() {
    let Some(data) = shared_data() else { return };
    let mut tally = Tally::default();
    let examples = data.join("osv-schema/examples");
    // Includes the linter's deliberately broken records; their package-less or GIT-only
    // entries are skipped, the rest must evaluate.
    each_in_dir(
        &examples.join("osv-linter-testdata"),
        ".json",
        |name, bytes| tally.record(&json(name, bytes)),
    );
    each_in_dir(
        &examples.join("ghsa-to-osv-testdata"),
        ".osv.json",
        |name, bytes| tally.record(&json(name, bytes)),
    );
    tally.finish("OSV schema examples", 0);
}
