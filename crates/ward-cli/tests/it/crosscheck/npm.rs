//! Suite B: `ward scan` on npm lockfiles against `tests/oracles/npm_osv.js`, which evaluates
//! the same OSV records with npm's `semver` package by the OSV schema's pseudocode.
//!
//! Records: the Node.js security working group's `vuln/npm/*.json`, converted to OSV by
//! ward's importer (`ward_advisory::import::parse`, the conversion `ward db import` applies:
//! there is no other OSV form of them; the oracle checks the evaluation, not the conversion),
//! plus, as published, the LoopBack OSV record and the OSV records with an `npm` package of
//! the EEF advisories and the OSV schema's GHSA examples. ward imports exactly these files.
//!
//! Lockfiles: every package-lock.json, npm-shrinkwrap.json, yarn.lock and pnpm-lock.yaml of
//! the shared fixtures and big lockfiles (but the fixtures named as negative cases), and a
//! synthetic package-lock.json v3 with, for every npm package of the records, the versions
//! at and around each event version (the version, the release below, the next patch and a
//! pre-release of it, the release of a pre-release) and every `versions` entry.
//!
//! Packages: the oracle reads package-lock.json and npm-shrinkwrap.json itself; for
//! yarn.lock and pnpm-lock.yaml it gets ward's own reading (`ward_lockfile::parse`, registry
//! packages only), so for those files the suite checks matching, not parsing.
//!
//! Compared, per lockfile: the (package, version, advisory) answers with verdict
//! `affected`, and separately those with verdict `unknown`.

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

use semver::{Prerelease, Version};
use serde_json::{Value, json};
use ward_advisory::Format;
use ward_lockfile::{Kind, Source};

use super::support::{
    Divergence, Hit, Ward, canonical, compare, files_in, finish, oracle_answers, oracle_script,
    place_real_lockfiles, reference_available, reference_dir, scratch, shared_data, ward_hits,
};

/// Where the oracle and ward differ by design. Empty: an entry needs a reason and a test that
/// recognises exactly its answers.
const DIVERGENCES: &[Divergence<()>] = &[];

/// The OSV records with an `npm` package, below the shared data's root.
const OSV_RECORDS: &[&str] = &[
    "loopback-security/advisories/lbsa-20201130.osv.json",
    "eef-cna-advisories/osv/EEF-CVE-2026-56812.json",
    "osv-schema/examples/ghsa-to-osv-testdata/equals_with_patch.osv.json",
    "osv-schema/examples/ghsa-to-osv-testdata/greater_than_equals_no_patch.osv.json",
    "osv-schema/examples/ghsa-to-osv-testdata/less_than_equals_no_patch.osv.json",
    "osv-schema/examples/ghsa-to-osv-testdata/less_than_equals_with_patch.osv.json",
    "osv-schema/examples/ghsa-to-osv-testdata/npm_greater_than.osv.json",
];

/// Fixture directories of npm lockfiles, and the name each of their files is scanned under.
const FIXTURE_DIRS: &[(&str, &str)] = &[
    (
        "lockfile-fixtures/osv-scalibr/javascript/packagelockjson",
        "package-lock.json",
    ),
    (
        "lockfile-fixtures/osv-scalibr/javascript/yarnlock",
        "yarn.lock",
    ),
    (
        "lockfile-fixtures/osv-scalibr/javascript/pnpmlock",
        "pnpm-lock.yaml",
    ),
];

/// npm lockfiles under their own names.
const NAMED_LOCKFILES: &[&str] = &[
    "lockfile-fixtures/osv-scalibr/javascript/packagelockjson/both/package-lock.json",
    "lockfile-fixtures/osv-scalibr/javascript/packagelockjson/both/npm-shrinkwrap.json",
    "lockfile-fixtures/osv-scalibr/javascript/packagelockjson/npm-shrinkwrap-only/npm-shrinkwrap.json",
    "lockfile-fixtures/osv-scanner-e2e/testdata/locks-test-ignore/package-lock.json",
    "lockfile-fixtures/osv-scanner-e2e/testdata/exp-plugins-pkgdeprecate/deprecated-npm/package-lock.json",
    "lockfile-fixtures/osv-scanner-e2e/testdata/locks-many-with-insecure/package-lock.json",
    "lockfile-fixtures/osv-scanner-e2e/testdata/locks-many-with-insecure/yarn.lock",
    "lockfile-fixtures/osv-scanner-e2e/testdata/locks-one-with-nested/yarn.lock",
    "lockfile-fixtures/osv-scanner-e2e/testdata/locks-gitignore/yarn.lock",
    "lockfile-fixtures/osv-scanner-e2e/testdata/locks-many/package-lock.json",
    "lockfile-fixtures/osv-scanner-e2e/testdata/locks-many/yarn.lock",
    "lockfile-fixtures/osv-scanner-e2e/testdata/locks-licenses/package-lock.json",
    "big-lockfiles/create-react-app-npm/package-lock.json",
    "big-lockfiles/excalidraw-yarn-v1/yarn.lock",
    "big-lockfiles/babel-yarn-berry/yarn.lock",
    "big-lockfiles/vite-pnpm/pnpm-lock.yaml",
];

/// Fixtures that are negative cases by name (no packages, broken on purpose).
fn negative(file_name: &str) -> bool {
    [
        "not-",
        "invalid",
        "empty",
        "null.",
        "no-packages",
        "missing-",
        "metadata-only",
    ]
    .iter()
    .any(|p| file_name.starts_with(p))
}

#[test]
fn npm_findings_equal_a_node_semver_oracle() {
    let Some(data) = shared_data() else { return };
    let semver_js = reference_dir().join("npm/node_modules/semver");
    if !reference_available(
        "node-semver",
        semver_js.join("package.json").is_file()
            && super::support::runs(Path::new("node"), &["--version"]),
        &format!("node, or {} is missing", semver_js.display()),
    ) {
        return;
    }
    let scratch = scratch("npm");
    let scratch = scratch.path.as_path();

    let records = Records::gather(&data, &scratch.join("records"));
    let inputs = scratch.join("in");
    let mut lockfiles = real_lockfiles(&data, &inputs);
    let synthetic = inputs.join("synthetic");
    fs::create_dir_all(&synthetic).expect("creating the synthetic input directory");
    let (text, count) = synthetic_package_lock(&records.records);
    fs::write(synthetic.join("package-lock.json"), text).expect("writing the synthetic lockfile");
    lockfiles.push(synthetic.join("package-lock.json"));
    eprintln!(
        "npm: {} records ({} converted from the Node.js security-wg, {} it refused: {:?}); \
         {} lockfiles, the synthetic one with {count} versions",
        records.records.len(),
        records.converted,
        records.refused.len(),
        records.refused,
        lockfiles.len()
    );

    let reference = oracle(&semver_js, &records.records, &lockfiles);

    let ward = Ward::new(scratch);
    ward.import(&[scratch.join("records")]);
    let report = ward.scan(&lockfiles);
    let mut seen = Vec::new();
    for verdict in ["affected", "unknown"] {
        let (ours, groups) = ward_hits(&report, |f| f.verdict == verdict, str::to_owned);
        let theirs = reference.get(verdict).cloned().unwrap_or_default();
        seen.push(compare(
            &format!("npm oracle, verdict {verdict}"),
            &(),
            &ours,
            &canonical(&groups, theirs),
            DIVERGENCES,
        ));
    }
    finish("npm oracle", DIVERGENCES, &seen);
}

/// The records both sides evaluate, and the copies ward imports under `dir`.
struct Records {
    records: Vec<Value>,
    converted: usize,
    refused: Vec<String>,
}

impl Records {
    fn gather(data: &Path, dir: &Path) -> Records {
        let nswg = dir.join("nodejs-security-wg/vuln/npm");
        let osv = dir.join("osv");
        fs::create_dir_all(&nswg).expect("creating the records directory");
        fs::create_dir_all(&osv).expect("creating the records directory");
        let mut records = Records {
            records: Vec::new(),
            converted: 0,
            refused: Vec::new(),
        };
        for file in files_in(&data.join("nodejs-security-wg/vuln/npm"), ".json") {
            let name = file.file_name().expect("a file name").to_string_lossy();
            if name == "index.json" {
                continue;
            }
            let bytes = fs::read(&file).expect("reading a security-wg advisory");
            match ward_advisory::import::parse(Format::NswgNpm, &name, &bytes) {
                Ok(record) => {
                    records
                        .records
                        .push(serde_json::to_value(&record).expect("a record serialises"));
                    records.converted += 1;
                    fs::write(nswg.join(&*name), &bytes).expect("copying a record");
                }
                Err(e) => records.refused.push(format!("{name}: {e}")),
            }
        }
        for file in OSV_RECORDS {
            let from = data.join(file);
            let bytes = fs::read(&from).unwrap_or_else(|e| panic!("reading {file}: {e}"));
            records
                .records
                .push(serde_json::from_slice(&bytes).unwrap_or_else(|e| panic!("{file}: {e}")));
            let name = from.file_name().expect("a file name");
            fs::write(osv.join(name), &bytes).expect("copying a record");
        }
        assert!(
            records.converted > 400,
            "only {} of the security-wg's npm advisories converted",
            records.converted
        );
        records
    }
}

/// Places the real lockfiles under `inputs`, one directory each.
fn real_lockfiles(data: &Path, inputs: &Path) -> Vec<PathBuf> {
    let keep = |name: &str| !negative(name);
    place_real_lockfiles(data, inputs, FIXTURE_DIRS, keep, NAMED_LOCKFILES)
}

/// Runs the oracle: package-lock files are read by it, the others are given as ward's
/// lockfile reader sees them. Returns its answers by verdict.
fn oracle(
    semver_js: &Path,
    records: &[Value],
    lockfiles: &[PathBuf],
) -> BTreeMap<String, BTreeSet<Hit>> {
    let mut inputs = Vec::new();
    for path in lockfiles {
        let label = super::support::label_of(&path.to_string_lossy());
        let file_name = path.file_name().expect("a file name").to_string_lossy();
        let kind = Kind::detect(&file_name).expect("an npm lockfile name");
        if matches!(kind, Kind::PackageLockJson | Kind::NpmShrinkwrap) {
            inputs.push(json!({"label": label, "path": path}));
            continue;
        }
        let text = fs::read_to_string(path).expect("reading a lockfile");
        let lockfile = ward_lockfile::parse(kind, &path.to_string_lossy(), &text)
            .unwrap_or_else(|e| panic!("ward_lockfile cannot read {}: {e}", path.display()));
        let packages: Vec<Value> = lockfile
            .packages
            .iter()
            .filter(|p| p.source == Source::Registry)
            .map(|p| json!({"name": p.name, "version": p.version}))
            .collect();
        inputs.push(json!({"label": label, "packages": packages}));
    }
    oracle_answers(
        Command::new("node")
            .arg(oracle_script("npm_osv.js"))
            .arg(semver_js),
        records,
        &inputs,
        str::to_owned,
    )
}

/// A package-lock.json v3 with the versions around every bound of the records' npm ranges,
/// and how many versions it lists. A package's second, third... version is nested under a
/// holder package of its own, as npm nests a second copy.
fn synthetic_package_lock(records: &[Value]) -> (String, usize) {
    let mut versions: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for affected in records
        .iter()
        .flat_map(|r| r["affected"].as_array().into_iter().flatten())
        .filter(|a| a["package"]["ecosystem"] == "npm")
    {
        let Some(name) = affected["package"]["name"].as_str() else {
            continue;
        };
        let set = versions.entry(name.to_owned()).or_default();
        let listed = affected["versions"].as_array().into_iter().flatten();
        let events = affected["ranges"]
            .as_array()
            .into_iter()
            .flatten()
            .filter(|r| r["type"] != "GIT")
            .flat_map(|r| r["events"].as_array().into_iter().flatten())
            .flat_map(|e| e.as_object().into_iter().flat_map(|o| o.values()));
        for text in listed.chain(events).filter_map(Value::as_str) {
            match Version::parse(text) {
                Ok(v) => set.extend(probes(&v).iter().map(ToString::to_string)),
                Err(_) if text == "0" || text == "*" => {
                    set.insert("0.0.0".to_owned());
                }
                Err(_) => {}
            }
        }
    }
    let mut packages = serde_json::Map::new();
    packages.insert(
        String::new(),
        json!({"name": "ward-crosscheck-synthetic", "version": "1.0.0"}),
    );
    let mut count = 0;
    let mut holders = 0;
    for (name, versions) in &versions {
        for (i, version) in versions.iter().enumerate() {
            let key = if i == 0 {
                format!("node_modules/{name}")
            } else {
                holders = holders.max(i);
                format!("node_modules/ward-crosscheck-holder-{i}/node_modules/{name}")
            };
            let tarball = name.rsplit('/').next().unwrap_or(name);
            packages.insert(
                key,
                json!({
                    "version": version,
                    "resolved": format!("https://registry.npmjs.org/{name}/-/{tarball}-{version}.tgz"),
                }),
            );
            count += 1;
        }
    }
    for i in 1..=holders {
        packages.insert(
            format!("node_modules/ward-crosscheck-holder-{i}"),
            json!({"version": "1.0.0", "resolved": format!(
                "https://registry.npmjs.org/ward-crosscheck-holder-{i}/-/ward-crosscheck-holder-{i}-1.0.0.tgz"
            )}),
        );
    }
    let lock = json!({
        "name": "ward-crosscheck-synthetic",
        "version": "1.0.0",
        "lockfileVersion": 3,
        "requires": true,
        "packages": packages,
    });
    (
        serde_json::to_string_pretty(&lock).expect("JSON serialises"),
        count,
    )
}

/// The versions at and around one event version.
fn probes(v: &Version) -> Vec<Version> {
    let release = Version::new(v.major, v.minor, v.patch);
    let mut next_pre = Version::new(v.major, v.minor, v.patch + 1);
    next_pre.pre = Prerelease::new("alpha.1").expect("a valid pre-release");
    let below = match (v.major, v.minor, v.patch) {
        (major, minor, patch) if patch > 0 => Version::new(major, minor, patch - 1),
        (major, minor, _) if minor > 0 => Version::new(major, minor - 1, 99),
        (major, _, _) if major > 0 => Version::new(major - 1, 99, 99),
        _ => Version::new(0, 0, 0),
    };
    vec![
        v.clone(),
        release,
        below,
        Version::new(v.major, v.minor, v.patch + 1),
        next_pre,
    ]
}
