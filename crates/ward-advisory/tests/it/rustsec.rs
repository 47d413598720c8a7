//! RustSec: every Markdown advisory of advisory-db converted by ward, compared field by field
//! with RustSec's official OSV export of the same commit (the `osv` branch), which `rustsec`'s
//! own converter wrote.
//!
//! Compared: id, aliases, related, summary, details, published, withdrawn, severity,
//! references, `database_specific`, and of the one `affected` entry its package, ranges,
//! `ecosystem_specific` and `database_specific` (categories, cvss, informational). Not
//! compared: `modified`, which the export takes from git history (ward uses the advisory's
//! date; see `import/rustsec.rs`).

use std::collections::{BTreeMap, BTreeSet};

use serde_json::Value;
use ward_advisory::{Format, detect, parse};

use crate::support::{each_in_archive, shared_data};

/// Where ward's conversion deliberately differs from the export: (id, field, why).
const DIVERGENCES: &[(&str, &str, &str)] = &[
    (
        "RUSTSEC-2019-0031",
        "affected.ranges",
        "withdrawn, `unaffected = [\">= 0\"]`: every version; the export still calls 0.0.0's \
         pre-releases affected (`fixed 0.0.0`), ward writes no range (nothing affected)",
    ),
    (
        "RUSTSEC-2026-0149",
        "affected.ranges",
        "patched ranges that touch at 45.0.0; the export writes the empty gap as `introduced \
         45.0.0, fixed 45.0.0`, ward leaves it out (same versions)",
    ),
    (
        "RUSTSEC-2020-0055",
        "affected.ranges",
        "`unaffected = [\"> 0\"]`: Cargo reads `>0` as `>=1.0.0` (so does cargo audit); the export \
         reads it as `>0.0.0` and calls every 0.x version unaffected",
    ),
    (
        "RUSTSEC-2023-0039",
        "affected.ranges",
        "patched `>= 1.1.5, < 1.2.0` and `>= 1.2.0` touch; the export writes the empty gap between \
         them as `introduced 1.2.0, fixed 1.2.0`, ward leaves it out (same versions)",
    ),
    (
        "RUSTSEC-2024-0399",
        "affected.ranges",
        "unaffected `< 0.23` and `>= 0.23, < 0.23.13` touch; the export writes the empty gap as \
         `introduced 0.23.0, fixed 0.23.0`, ward leaves it out (same versions)",
    ),
];

/// Records whose ranges differ from the export only by `-0` on bounds written as partial
/// versions (`>= 0.8`): Cargo, and `ward_version::cargo`, read a partial version as its whole
/// line, pre-releases included (`>= 0.8` starts at `0.8.0-0`); the export fills in zeros
/// (`0.8.0`). The two agree on every release and differ only on pre-releases of that line.
const PARTIAL_VERSION_BOUNDS: usize = 31;

/// Export records with no Markdown source in the snapshot: (id, why).
const EXPORT_ONLY: &[(&str, &str)] = &[(
    "RUSTSEC-2025-0000",
    "in the osv branch but not in main's crates/: the export keeps records whose file was removed",
)];

fn fields(v: &Value) -> BTreeMap<String, Value> {
    let mut out = BTreeMap::new();
    for key in [
        "id",
        "aliases",
        "related",
        "summary",
        "details",
        "published",
        "withdrawn",
        "severity",
        "references",
        "database_specific",
    ] {
        let value = v.get(key).cloned().unwrap_or(Value::Null);
        // The export writes empty lists where ward omits them.
        let value = match value {
            Value::Array(a) if a.is_empty() => Value::Null,
            other => other,
        };
        out.insert(key.to_owned(), value);
    }
    let affected = v.pointer("/affected/0").cloned().unwrap_or(Value::Null);
    for key in [
        "package",
        "ranges",
        "ecosystem_specific",
        "database_specific",
    ] {
        out.insert(
            format!("affected.{key}"),
            affected.get(key).cloned().unwrap_or(Value::Null),
        );
    }
    out
}

/// The events with every `-0` pre-release removed (`0.8.0-0` → `0.8.0`).
fn without_zero_pre(ranges: &Value) -> String {
    ranges.to_string().replace("-0\"", "\"")
}

#[test]
fn every_advisory_converts_as_the_official_export() {
    let Some(data) = shared_data() else { return };
    let dir = data.join("rustsec-advisory-db");
    let mut export: BTreeMap<String, Value> = BTreeMap::new();
    each_in_archive(
        &dir.join("rustsec-osv-export.tar.zst"),
        "crates/",
        ".json",
        |n, b| {
            let v: Value = serde_json::from_slice(b).unwrap_or_else(|e| panic!("{n}: {e}"));
            let id = v["id"].as_str().expect("an id").to_owned();
            export.insert(id, v);
        },
    );

    let mut converted = 0;
    let mut partial = 0;
    let mut toolchain = Vec::new();
    let mut seen = BTreeSet::new();
    let mut diverged = BTreeSet::new();
    let mut failures = Vec::new();
    each_in_archive(
        &dir.join("rustsec-advisory-db-main.tar.zst"),
        "",
        ".md",
        |name, bytes| {
            if detect(name) != Some(Format::RustSec) {
                return;
            }
            let record = match parse(Format::RustSec, name, bytes) {
                Ok(record) => record,
                Err(e) if e.is_skip() => return toolchain.push(name.to_owned()),
                Err(e) => return failures.push(e.to_string()),
            };
            converted += 1;
            if record.id == "RUSTSEC-2016-0001" {
                // One conversion whole, as ward stores it.
                insta::assert_json_snapshot!("RUSTSEC-2016-0001", record);
            }
            seen.insert(record.id.clone());
            let Some(official) = export.get(&record.id) else {
                return failures.push(format!("{name}: {} is not in the export", record.id));
            };
            let ours = fields(&serde_json::to_value(&record).expect("serializes"));
            for (field, theirs) in fields(official) {
                let mine = ours.get(&field).cloned().unwrap_or(Value::Null);
                if mine == theirs {
                    continue;
                }
                if DIVERGENCES
                    .iter()
                    .any(|(i, f, _)| *i == record.id && *f == field)
                {
                    diverged.insert((record.id.clone(), field));
                } else if field == "affected.ranges"
                    && without_zero_pre(&mine) == without_zero_pre(&theirs)
                {
                    partial += 1;
                } else {
                    failures.push(format!(
                        "{}: {field}: ward {mine}\n    export {theirs}",
                        record.id
                    ));
                }
            }
        },
    );

    let missing: Vec<&String> = export
        .keys()
        .filter(|id| !seen.contains(*id) && !EXPORT_ONLY.iter().any(|(i, _)| i == id))
        .collect();
    assert!(
        missing.is_empty(),
        "export records ward did not produce: {missing:?}"
    );
    assert!(
        failures.is_empty(),
        "{} differences from the export:\n{}",
        failures.len(),
        failures
            .iter()
            .take(30)
            .cloned()
            .collect::<Vec<_>>()
            .join("\n")
    );
    let stale: Vec<_> = DIVERGENCES
        .iter()
        .filter(|(i, f, _)| !diverged.contains(&((*i).to_owned(), (*f).to_owned())))
        .collect();
    assert!(
        stale.is_empty(),
        "divergences listed but not seen: {stale:?}"
    );
    assert_eq!(converted, 1205, "crates/ advisories converted");
    assert_eq!(
        partial, PARTIAL_VERSION_BOUNDS,
        "records differing only by -0 on partial-version bounds"
    );
    assert_eq!(
        toolchain.len(),
        20,
        "rust/ toolchain advisories skipped: {toolchain:?}"
    );
    eprintln!(
        "RustSec: {converted} advisories equal the official export ({} listed divergences, \
         {partial} partial-version bounds); {} toolchain advisories skipped",
        diverged.len(),
        toolchain.len()
    );
}
