//! Suite C: `ward scan` on Python lockfiles against `tests/oracles/pypi_osv.py`, which
//! evaluates the same PyPA advisory database records with PyPI's `packaging` by the OSV
//! schema's pseudocode.
//!
//! Records: the PyPA advisory database (`vulns/<package>/PYSEC-*.yaml`), unpacked at run
//! time. ward imports the `vulns` directory; the oracle gets the same YAML as JSON, read
//! here into plain strings (so `1.10` stays `1.10`, and timestamps stay text), independently
//! of ward's importer. Records ward's importer refuses are left out of both sides and
//! printed.
//!
//! Lockfiles: the requirements files, `poetry.lock` and `uv.lock` fixtures (but the negative
//! cases), `big-lockfiles/uv-cargo/uv.lock`, and a synthetic `requirements.txt` pinning, for
//! every PyPI package of the records, the versions at and around each event version (the
//! version, its release, the next release and a release candidate of it, the release below,
//! a post-release), the name written in varied PEP 503 spellings (`Foo_Bar`, `FOO-BAR`).
//! The oracle reads every lockfile itself (pinned `==` lines only for requirements files).
//!
//! Compared, per lockfile directory, with names PEP 503-normalised: the (package, version,
//! advisory) answers with verdict `affected`, and separately those with verdict `unknown`.
//! Unknown is compared strictly too: both sides follow the same rules (legacy, pre-PEP 440
//! versions such as `0.2.0-n653` are ordered as packaging's old `LegacyVersion` did, below
//! every PEP 440 version; a version that is neither makes its range not evaluable, and
//! "could not tell" is never "not affected"), so the two lists must be equal.

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

use serde::{Deserialize, Serialize};
use serde_json::{Value, json};
use ward_advisory::Format;

use super::support::{
    Divergence, Hit, Ward, canonical, compare, files_in, finish, label, oracle_answers,
    oracle_script, place, place_real_lockfiles, reference_available, reference_dir, scratch,
    shared_data, unpack, ward_hits,
};

/// Where the oracle and ward differ by design. Empty: an entry needs a reason and a test that
/// recognises exactly its answers.
const DIVERGENCES: &[Divergence<()>] = &[];

/// Fixture directories, the name each file is scanned under, and the negative cases.
const FIXTURE_DIRS: &[(&str, &str)] = &[
    (
        "lockfile-fixtures/osv-scalibr/python/requirements",
        "requirements.txt",
    ),
    (
        "lockfile-fixtures/osv-scalibr/python/poetrylock",
        "poetry.lock",
    ),
    ("lockfile-fixtures/osv-scalibr/python/uvlock", "uv.lock"),
];

/// Fixtures without a pinned package or broken on purpose, by name.
fn negative(file_name: &str) -> bool {
    ["not-", "empty", "no-packages", "no_version"]
        .iter()
        .any(|p| file_name.starts_with(p))
}

/// Fixtures that are not a readable lockfile as a whole, and why: ward refuses them with an
/// error naming the line (as pip would), so there is nothing to compare.
const UNREADABLE: &[(&str, &str)] = &[
    (
        "example.txt",
        "includes other-requirements.txt, which the fixtures do not have",
    ),
    (
        "per_req_options.txt",
        "line 13 puts text that is not an option after a requirement",
    ),
];

/// A directory of requirements files scanned together (they include each other).
const REQUIREMENTS_DIR: &str = "lockfile-fixtures/osv-scanner-e2e/testdata/locks-requirements";

/// Lockfiles under their own names.
const NAMED_LOCKFILES: &[&str] = &[
    "lockfile-fixtures/osv-scanner-e2e/testdata/locks-scalibr/uv.lock",
    "big-lockfiles/uv-cargo/uv.lock",
];

#[test]
fn pypi_findings_equal_a_packaging_oracle() {
    let Some(data) = shared_data() else { return };
    let python = reference_dir().join("python");
    let legacy = reference_dir().join("python-legacy");
    if !reference_available(
        "packaging",
        python.join("packaging").is_dir()
            && legacy.join("packaging").is_dir()
            && super::support::runs(Path::new("python3"), &["--version"]),
        &format!(
            "python3, packaging 26.3 in {} or packaging 21.3 in {} is missing",
            python.display(),
            legacy.display()
        ),
    ) {
        return;
    }
    let scratch = scratch("pypi");
    let scratch = scratch.path.as_path();
    let pypa = scratch.join("pypa");
    unpack(
        &data.join("pypa-advisory-database/pypa-advisory-database.tar.zst"),
        &pypa,
    );
    let vulns = find_dir(&pypa, "vulns");
    let (records, refused) = read_records(&vulns);

    let inputs = scratch.join("in");
    let mut lockfiles = real_lockfiles(&data, &inputs);
    let synthetic = inputs.join("synthetic");
    fs::create_dir_all(&synthetic).expect("creating the synthetic input directory");
    let (text, count) = synthetic_requirements(&records);
    fs::write(synthetic.join("requirements.txt"), text).expect("writing requirements.txt");
    lockfiles.push(synthetic.join("requirements.txt"));
    eprintln!(
        "PyPI: {} records (ward's importer refused {}: {refused:?}); {} lockfiles, the \
         synthetic requirements.txt with {count} pins",
        records.len(),
        refused.len(),
        lockfiles.len()
    );

    let reference = oracle(&python, &legacy, &records, &lockfiles);

    let ward = Ward::new(scratch);
    ward.import(&[vulns]);
    let report = ward.scan(&lockfiles);
    let mut seen = Vec::new();
    for verdict in ["affected", "unknown"] {
        let (ours, groups) = ward_hits(&report, |f| f.verdict == verdict, pep503);
        let theirs = reference.get(verdict).cloned().unwrap_or_default();
        if verdict == "unknown" {
            for hit in &ours {
                eprintln!("  ward: unknown {hit}");
            }
        }
        seen.push(compare(
            &format!("PyPI oracle, verdict {verdict}"),
            &(),
            &ours,
            &canonical(&groups, theirs),
            DIVERGENCES,
        ));
    }
    finish("PyPI oracle", DIVERGENCES, &seen);
}

/// The fields of an OSV record the oracle evaluates, every scalar read as a string.
#[derive(Debug, Serialize, Deserialize)]
struct Record {
    id: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    withdrawn: Option<String>,
    #[serde(default)]
    affected: Vec<Affected>,
}

#[derive(Debug, Serialize, Deserialize)]
struct Affected {
    package: Option<Package>,
    #[serde(default)]
    ranges: Vec<Range>,
    #[serde(default)]
    versions: Vec<String>,
}

#[derive(Debug, Serialize, Deserialize)]
struct Package {
    ecosystem: String,
    name: String,
}

#[derive(Debug, Serialize, Deserialize)]
struct Range {
    #[serde(rename = "type")]
    kind: String,
    #[serde(default)]
    events: Vec<BTreeMap<String, String>>,
}

/// The directory named `name` somewhere below `root`.
fn find_dir(root: &Path, name: &str) -> PathBuf {
    let mut stack = vec![root.to_owned()];
    while let Some(dir) = stack.pop() {
        for entry in fs::read_dir(&dir).expect("reading an unpacked directory") {
            let path = entry.expect("a directory entry").path();
            if path.is_dir() {
                if path.file_name().is_some_and(|n| n == name) {
                    return path;
                }
                stack.push(path);
            }
        }
    }
    panic!("no {name}/ below {}", root.display());
}

/// The records of `vulns/<package>/*.yaml` that ward's importer accepts, and the refused.
fn read_records(vulns: &Path) -> (Vec<Record>, Vec<String>) {
    let mut dirs: Vec<PathBuf> = fs::read_dir(vulns)
        .expect("reading vulns/")
        .map(|e| e.expect("a directory entry").path())
        .filter(|p| p.is_dir())
        .collect();
    dirs.sort();
    let mut records = Vec::new();
    let mut refused = Vec::new();
    for file in dirs.iter().flat_map(|d| files_in(d, ".yaml")) {
        let name = file.file_name().expect("a file name").to_string_lossy();
        let text = fs::read_to_string(&file).expect("reading a record");
        if let Err(e) = ward_advisory::import::parse(Format::OsvYaml, &name, text.as_bytes()) {
            refused.push(format!("{name}: {e}"));
            continue;
        }
        records.push(
            serde_saphyr::from_str::<Record>(&text).unwrap_or_else(|e| panic!("{name}: {e}")),
        );
    }
    assert!(
        records.len() > 2500,
        "only {} PyPA records read ({} refused)",
        records.len(),
        refused.len()
    );
    (records, refused)
}

/// Places the real lockfiles under `inputs`: one directory each, but the requirements files
/// that include each other share one (placed last).
fn real_lockfiles(data: &Path, inputs: &Path) -> Vec<PathBuf> {
    let keep = |name: &str| !negative(name) && !UNREADABLE.iter().any(|(n, _)| *n == name);
    let mut lockfiles = place_real_lockfiles(data, inputs, FIXTURE_DIRS, keep, NAMED_LOCKFILES);
    let dir = data.join(REQUIREMENTS_DIR);
    let together = label(data, &dir);
    for file in files_in(&dir, ".txt") {
        let name = file.file_name().expect("a file name").to_string_lossy();
        lockfiles.push(place(inputs, &together, &name, &file));
    }
    lockfiles
}

/// Runs the oracle on every lockfile. Returns its answers by verdict.
fn oracle(
    python: &Path,
    legacy: &Path,
    records: &[Record],
    lockfiles: &[PathBuf],
) -> BTreeMap<String, BTreeSet<Hit>> {
    let inputs: Vec<Value> = lockfiles
        .iter()
        .map(|path| json!({"label": super::support::label_of(&path.to_string_lossy()), "path": path}))
        .collect();
    oracle_answers(
        Command::new("python3")
            .arg(oracle_script("pypi_osv.py"))
            .arg(legacy)
            .env("PYTHONPATH", python),
        records,
        &inputs,
        pep503,
    )
}

/// PEP 503: lower case, each run of `-`, `_` and `.` one `-`.
fn pep503(name: &str) -> String {
    let mut out = String::with_capacity(name.len());
    for c in name.chars() {
        if matches!(c, '-' | '_' | '.') {
            if !out.ends_with('-') {
                out.push('-');
            }
        } else {
            out.push(c.to_ascii_lowercase());
        }
    }
    out
}

/// A requirements.txt pinning the versions around every event version of the records, and
/// how many pins it has.
fn synthetic_requirements(records: &[Record]) -> (String, usize) {
    let mut versions: BTreeMap<&str, BTreeSet<String>> = BTreeMap::new();
    for affected in records.iter().flat_map(|r| &r.affected) {
        let Some(package) = affected.package.as_ref().filter(|p| p.ecosystem == "PyPI") else {
            continue;
        };
        let set = versions.entry(&package.name).or_default();
        for range in affected.ranges.iter().filter(|r| r.kind != "GIT") {
            for text in range.events.iter().flat_map(|e| e.values()) {
                set.extend(probes(text));
            }
        }
    }
    let mut text =
        String::from("# ward's cross-check with packaging: versions around every bound\n");
    let mut count = 0;
    for (i, (name, versions)) in versions.iter().enumerate() {
        // The same package in the spellings PEP 503 makes equal.
        let spelled = match i % 3 {
            0 => (*name).to_owned(),
            1 => name.to_uppercase(),
            _ => name.replace('-', "_").replace('.', "-"),
        };
        for version in versions {
            text.push_str(&format!("{spelled}=={version}\n"));
            count += 1;
        }
    }
    (text, count)
}

/// The versions at and around one event version: the version as written, its release, the
/// next release and a release candidate of it, the release below, a post-release. Only for
/// versions that begin with a release number; others are probed as written.
fn probes(text: &str) -> Vec<String> {
    if text == "0" || text == "*" {
        return vec!["0.0.1".to_owned()];
    }
    let release_end = text
        .find(|c: char| !(c.is_ascii_digit() || c == '.'))
        .unwrap_or(text.len());
    let release: Vec<u64> = text[..release_end]
        .trim_end_matches('.')
        .split('.')
        .map_while(|n| n.parse().ok())
        .collect();
    let Some((&last, init)) = release.split_last() else {
        return vec![text.to_owned()];
    };
    let join = |last: u64| {
        init.iter()
            .chain(std::iter::once(&last))
            .map(u64::to_string)
            .collect::<Vec<_>>()
            .join(".")
    };
    let base = join(last);
    let next = join(last + 1);
    let mut out = vec![
        text.to_owned(),
        base.clone(),
        next.clone(),
        format!("{next}rc1"),
        format!("{base}.post1"),
    ];
    if last > 0 {
        out.push(join(last - 1));
    }
    out
}
