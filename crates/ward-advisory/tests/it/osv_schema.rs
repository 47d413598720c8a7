//! ward's validation, cross-checked against the OSV JSON schema itself on every OSV record of
//! the shared data: the schema's examples (including the OSV linter's deliberately broken
//! `nointroduced-*`, `nondistinct-*`, `nopackage-*`), the Go database, RustSec's export, PyPA
//! (YAML, read into JSON), the EEF's Hex advisories and LoopBack's one record.
//!
//! For each record: when the schema accepts it, ward must import it with no warning; when the
//! schema rejects it, ward must refuse it or import it with warnings, and importing is allowed
//! only for the records listed in [`TOLERATED`], each with the reason. A stale entry fails too.

use std::collections::BTreeMap;
use std::path::Path;

use serde_json::Value;
use ward_advisory::{Format, parse};

use crate::support::{each_in_archive, each_in_dir, shared_data};

/// Records the schema rejects and ward imports anyway (with warnings), and why that is right.
const TOLERATED: &[(&str, &str)] = &[
    (
        "LBSA-20201130",
        "LoopBack's prefix is not in the schema's list of home databases; the record is otherwise valid",
    ),
    (
        "CVE-2023-41045",
        "the OSV linter's `nointroduced-` case: the range without `introduced` is a GIT range, which ward never evaluates",
    ),
    (
        "EEF-CVE-2026-20123",
        "EEF staging draft: a GIT range whose `fixed` is a version (1.11.0), not a commit; ward never evaluates GIT ranges",
    ),
    (
        "EEF-CVE-2026-20639",
        "EEF staging draft: a GIT range whose `fixed` is a version (1.11.0), not a commit; ward never evaluates GIT ranges",
    ),
    // PyPA's seven records with malformed commit hashes in GIT ranges; every other field valid.
    ("PYSEC-2017-27", GIT_HASH),
    ("PYSEC-2019-155", GIT_HASH),
    ("PYSEC-2021-371", GIT_HASH),
    ("PYSEC-2021-424", GIT_HASH),
    ("PYSEC-2021-425", GIT_HASH),
    ("PYSEC-2021-436", GIT_HASH),
    ("PYSEC-2023-80", GIT_HASH),
];

const GIT_HASH: &str = "GIT range with an abbreviated or suffixed commit hash (`cb35df940a`, `...b929.patch`); \
     ward never evaluates GIT ranges, and the PyPI ranges beside it are valid";

/// Records the schema accepts and ward does not take as they are: none.
const STRICTER: &[(&str, &str)] = &[];

#[derive(Debug)]
enum Ward {
    /// Imported, no warning.
    Clean,
    /// Imported with warnings.
    Tolerated(Vec<String>),
    /// Refused, and why.
    Refused(#[allow(dead_code)] String),
}

#[derive(Default)]
struct Tally {
    records: usize,
    schema_invalid: usize,
    refused: usize,
    tolerated: BTreeMap<String, Vec<String>>,
    stricter: BTreeMap<String, String>,
    failures: Vec<String>,
}

fn validator(data: &Path) -> jsonschema::Validator {
    let text = std::fs::read_to_string(data.join("osv-schema/validation/schema.json"))
        .expect("the OSV schema");
    let schema: Value = serde_json::from_str(&text).expect("schema JSON");
    jsonschema::options()
        .should_validate_formats(true)
        .build(&schema)
        .expect("a valid schema")
}

impl Tally {
    fn check(&mut self, schema: &jsonschema::Validator, name: &str, value: &Value, ward: Ward) {
        self.records += 1;
        let id = value
            .get("id")
            .and_then(Value::as_str)
            .unwrap_or(name)
            .to_owned();
        let schema_errors: Vec<String> = schema
            .iter_errors(value)
            .map(|e| format!("{} at {}", e, e.instance_path()))
            .collect();
        let schema_ok = schema_errors.is_empty();
        if !schema_ok {
            self.schema_invalid += 1;
        }
        match (schema_ok, ward) {
            (true, Ward::Clean) => {}
            (false, Ward::Refused(_)) => self.refused += 1,
            (false, Ward::Tolerated(warnings)) => {
                if TOLERATED.iter().any(|(i, _)| *i == id) {
                    self.tolerated.insert(id, warnings);
                } else {
                    self.failures.push(format!(
                        "{name}: the schema rejects it ({}), ward imports it with warnings {warnings:?}",
                        schema_errors.join("; ")
                    ));
                }
            }
            (false, Ward::Clean) => self.failures.push(format!(
                "{name}: the schema rejects it ({}), ward sees nothing wrong",
                schema_errors.join("; ")
            )),
            (true, ward) => {
                if STRICTER.iter().any(|(i, _)| *i == id) {
                    self.stricter.insert(id, format!("{ward:?}"));
                } else {
                    self.failures
                        .push(format!("{name}: the schema accepts it, ward says {ward:?}"));
                }
            }
        }
    }

    fn ward(format: Format, name: &str, bytes: &[u8]) -> Ward {
        match parse(format, name, bytes) {
            Ok(record) => {
                let warnings: Vec<String> =
                    record.warnings().iter().map(ToString::to_string).collect();
                if warnings.is_empty() {
                    Ward::Clean
                } else {
                    Ward::Tolerated(warnings)
                }
            }
            Err(e) => Ward::Refused(e.to_string()),
        }
    }
}

#[test]
fn ward_agrees_with_the_osv_schema() {
    let Some(data) = shared_data() else { return };
    let schema = validator(&data);
    let mut tally = Tally::default();
    let json = |tally: &mut Tally, name: &str, bytes: &[u8]| {
        let value: Value = serde_json::from_slice(bytes).unwrap_or_else(|e| panic!("{name}: {e}"));
        let ward = Tally::ward(Format::OsvJson, name, bytes);
        tally.check(&schema, name, &value, ward);
    };
    let examples = data.join("osv-schema/examples");
    each_in_dir(&examples.join("osv-linter-testdata"), ".json", |n, b| {
        json(&mut tally, n, b)
    });
    each_in_dir(
        &examples.join("ghsa-to-osv-testdata"),
        ".osv.json",
        |n, b| json(&mut tally, n, b),
    );
    each_in_dir(
        &examples.join("redhat-csaf-to-osv-testdata/OSV"),
        ".json",
        |n, b| json(&mut tally, n, b),
    );
    each_in_dir(
        &data.join("loopback-security/advisories"),
        ".osv.json",
        |n, b| json(&mut tally, n, b),
    );
    for dir in ["eef-cna-advisories/osv", "eef-cna-advisories/staging/osv"] {
        each_in_dir(&data.join(dir), ".json", |n, b| json(&mut tally, n, b));
    }
    each_in_archive(
        &data.join("golang-vulndb/golang-vulndb-osv-and-reports.tar.zst"),
        "data/osv/",
        ".json",
        |n, b| json(&mut tally, n, b),
    );
    each_in_archive(
        &data.join("rustsec-advisory-db/rustsec-osv-export.tar.zst"),
        "crates/",
        ".json",
        |n, b| json(&mut tally, n, b),
    );
    each_in_archive(
        &data.join("pypa-advisory-database/pypa-advisory-database.tar.zst"),
        "vulns/",
        ".yaml",
        |name, bytes| {
            let value: Value =
                serde_saphyr::from_slice(bytes).unwrap_or_else(|e| panic!("{name}: {e}"));
            let ward = Tally::ward(Format::OsvYaml, name, bytes);
            tally.check(&schema, name, &value, ward);
        },
    );

    assert!(
        tally.failures.is_empty(),
        "{} of {} records where ward and the schema disagree:\n{}",
        tally.failures.len(),
        tally.records,
        tally
            .failures
            .iter()
            .take(30)
            .cloned()
            .collect::<Vec<_>>()
            .join("\n")
    );
    let stale: Vec<&str> = TOLERATED
        .iter()
        .map(|(id, _)| *id)
        .filter(|id| !tally.tolerated.contains_key(*id))
        .chain(
            STRICTER
                .iter()
                .map(|(id, _)| *id)
                .filter(|id| !tally.stricter.contains_key(*id)),
        )
        .collect();
    assert!(
        stale.is_empty(),
        "divergences listed but not seen: {stale:?}"
    );
    eprintln!(
        "OSV schema cross-check: {} records; the schema rejects {} of which ward refuses {} and \
         tolerates {} (listed); ward is stricter on {}",
        tally.records,
        tally.schema_invalid,
        tally.refused,
        tally.tolerated.len(),
        tally.stricter.len()
    );
}
