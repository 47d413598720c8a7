//! Suite A: `ward scan` against `cargo audit` on `Cargo.lock` files, with the same checkout
//! of the RustSec advisory-db (`rustsec-advisory-db-main.tar.zst`, unpacked at run time).
//!
//! Inputs: every `Cargo.lock` of the shared lockfile fixtures and big lockfiles, and a
//! synthetic `Cargo.lock` (format v3) holding, for every package an advisory names, the
//! versions at and around each bound of its `patched` and `unaffected` requirements (the
//! bound and a pre-release of it, the next patch release and a pre-release of it, the
//! release below; the end of a
//! `^`/`~`/partial requirement and the release below that). Pre-release probes catch the
//! exclusive lower bounds RustSec writes as `X.Y.Z-0`.
//!
//! Compared, per lockfile: the set of (package, version, advisory id) of `cargo audit
//! --json`'s `vulnerabilities.list` with ward's findings whose `informational` is `null`,
//! and, separately, cargo audit's `warnings` of kinds `unmaintained`, `unsound` and `notice`
//! with ward's informational findings.
//!
//! cargo audit runs fully offline: `--no-fetch` (no git fetch of the database), `--stale`
//! (no complaint about its age), `--no-yanked` (the yanked check queries the crates.io
//! index). The unpacked checkout needs no `.git`: cargo audit then reports no last commit.
//! No `--target-os`/`--target-arch`: without them cargo audit does not filter on an
//! advisory's `affected.os`/`arch`, and it never filters on `affected.functions` for a
//! lockfile; ward matches on package and version only, so the two agree there.
//!
//! Traps: cargo audit skips withdrawn advisories and the `rust/` collection (advisories
//! about the toolchain's `std`, `cargo` and `rustdoc`, which are not crates.io packages), and
//! matches only packages from the crates.io registry (`source = "registry+..."`); the
//! synthetic lockfile names the `rust/` packages too, to check ward skips them as well.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

use semver::{Comparator, Op, Prerelease, Version, VersionReq};
use serde::Deserialize;

use super::support::{
    Divergence, Hit, Ward, canonical, compare, finish, label, place, record, reference_available,
    reference_dir, runs, scratch, shared_data, unpack, ward_hits,
};

/// Where cargo audit keeps its answers apart from ward's. Empty: on this data the two agree
/// exactly; an entry needs a reason and a test that recognises exactly its answers.
const DIVERGENCES: &[Divergence<Advisories>] = &[];

/// The informational kinds cargo audit reports as warnings (its default
/// `informational_warnings`) and ward as informational findings.
const INFORMATIONAL: [&str; 3] = ["unmaintained", "unsound", "notice"];

/// The real `Cargo.lock` files of the shared data, below its root, and whether their
/// `dependencies` lists must go: two fixtures name a dependency (`gimli`) they do not list,
/// which cargo audit (like cargo) refuses; without the lists they are still real packages,
/// among them a local one without `source`.
const REAL_LOCKFILES: &[(&str, bool)] = &[
    (
        "lockfile-fixtures/osv-scalibr/rust/cargolock/duplicate.lock",
        false,
    ),
    (
        "lockfile-fixtures/osv-scalibr/rust/cargolock/many-packages.lock",
        false,
    ),
    (
        "lockfile-fixtures/osv-scalibr/rust/cargolock/one-package.lock",
        true,
    ),
    (
        "lockfile-fixtures/osv-scalibr/rust/cargolock/package-with-build-string.lock",
        false,
    ),
    (
        "lockfile-fixtures/osv-scalibr/rust/cargolock/two-packages-with-local.lock",
        true,
    ),
    (
        "lockfile-fixtures/osv-scanner-e2e/testdata/exp-plugins-pkgdeprecate/clean/Cargo.lock",
        false,
    ),
    (
        "lockfile-fixtures/osv-scanner-e2e/testdata/exp-plugins-pkgdeprecate/deprecated-novuln/Cargo.lock",
        false,
    ),
    (
        "lockfile-fixtures/osv-scanner-e2e/testdata/exp-plugins-pkgdeprecate/deprecated-vuln/Cargo.lock",
        false,
    ),
    ("big-lockfiles/uv-cargo/Cargo.lock", false),
];

#[test]
fn cargo_lock_findings_equal_cargo_audit() {
    let Some(data) = shared_data() else { return };
    let cargo_audit = reference_dir().join("cargo-audit/bin/cargo-audit");
    if !reference_available(
        "cargo-audit",
        runs(&cargo_audit, &["audit", "--version"]),
        &format!("{} does not run", cargo_audit.display()),
    ) {
        return;
    }
    let scratch = scratch("cargo-audit");
    let scratch = scratch.path.as_path();
    let archive = data.join("rustsec-advisory-db/rustsec-advisory-db-main.tar.zst");
    unpack(&archive, &scratch.join("advisory-db"));
    let db = scratch.join("advisory-db/rustsec-advisory-db");
    let advisories = Advisories::read(&db);

    let inputs = scratch.join("in");
    let mut lockfiles: Vec<PathBuf> = REAL_LOCKFILES
        .iter()
        .map(|&(file, drop_dependencies)| {
            let from = data.join(file);
            let to = place(&inputs, &label(&data, &from), "Cargo.lock", &from);
            if drop_dependencies {
                let text = fs::read_to_string(&to).expect("reading a placed lockfile");
                fs::write(&to, without_dependencies(&text)).expect("writing a lockfile");
            }
            to
        })
        .collect();
    let synthetic = inputs.join("synthetic");
    fs::create_dir_all(&synthetic).expect("creating the synthetic input directory");
    let (text, packages) = advisories.synthetic_lockfile();
    fs::write(synthetic.join("Cargo.lock"), text).expect("writing the synthetic Cargo.lock");
    lockfiles.push(synthetic.join("Cargo.lock"));
    eprintln!(
        "cargo audit: {} advisories ({} withdrawn) for {} packages; synthetic Cargo.lock of {packages} versions",
        advisories.ids.len(),
        advisories.withdrawn.len(),
        advisories.bounds.len()
    );

    let mut reference = Answers::default();
    for lockfile in &lockfiles {
        reference.add(&cargo_audit_json(&cargo_audit, &db, lockfile), lockfile);
    }

    let ward = Ward::new(scratch);
    ward.import(std::slice::from_ref(&db));
    let report = ward.scan(&lockfiles);
    let (ward_vulns, groups) = ward_hits(&report, |f| f.informational.is_none(), str::to_owned);
    let (ward_info, info_groups) = ward_hits(&report, |f| f.informational.is_some(), str::to_owned);
    for (path, packages) in report.lockfiles.iter().map(|l| (&l.path, l.packages)) {
        eprintln!("  {path}: ward read {packages} packages");
    }

    let seen = [
        compare(
            "cargo audit, vulnerabilities",
            &advisories,
            &ward_vulns,
            &canonical(&groups, reference.vulnerabilities),
            DIVERGENCES,
        ),
        compare(
            "cargo audit, informational (unmaintained, unsound, notice)",
            &advisories,
            &ward_info,
            &canonical(&info_groups, reference.informational),
            DIVERGENCES,
        ),
    ];
    finish("cargo audit", DIVERGENCES, &seen);
}

/// `text` without its `dependencies = [...]` lists.
fn without_dependencies(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut in_list = false;
    for line in text.lines() {
        if line.starts_with("dependencies = [") {
            in_list = !line.ends_with(']');
        } else if in_list {
            in_list = line != "]";
        } else {
            out.push_str(line);
            out.push('\n');
        }
    }
    out
}

/// Runs `cargo audit --json` offline on one lockfile.
fn cargo_audit_json(cargo_audit: &Path, db: &Path, lockfile: &Path) -> AuditReport {
    let home = lockfile
        .parent()
        .expect("a placed lockfile has a directory");
    let output = Command::new(cargo_audit)
        .args([
            "audit",
            "--no-fetch",
            "--stale",
            "--no-yanked",
            "--json",
            "--db",
        ])
        .arg(db)
        .arg("--file")
        .arg(lockfile)
        .current_dir(home)
        // No ~/.cargo/audit.toml of the machine's user may change what is reported.
        .env("HOME", home)
        .env("CARGO_HOME", home.join(".cargo"))
        .output()
        .expect("cargo audit runs");
    record(&home.join("cargo-audit.json"), &output.stdout);
    let code = output.status.code();
    assert!(
        matches!(code, Some(0 | 1)),
        "cargo audit on {} exited with {code:?}:\n{}",
        lockfile.display(),
        String::from_utf8_lossy(&output.stderr)
    );
    serde_json::from_slice(&output.stdout).unwrap_or_else(|e| {
        panic!(
            "cargo audit on {} printed no JSON report ({e}):\n{}",
            lockfile.display(),
            String::from_utf8_lossy(&output.stderr)
        )
    })
}

#[derive(Debug, Deserialize)]
struct AuditReport {
    lockfile: AuditLockfile,
    vulnerabilities: AuditVulnerabilities,
    #[serde(default)]
    warnings: BTreeMap<String, Vec<AuditWarning>>,
}

#[derive(Debug, Deserialize)]
struct AuditLockfile {
    #[serde(rename = "dependency-count")]
    dependency_count: usize,
}

#[derive(Debug, Deserialize)]
struct AuditVulnerabilities {
    list: Vec<AuditVulnerability>,
}

#[derive(Debug, Deserialize)]
struct AuditVulnerability {
    advisory: AuditAdvisory,
    package: AuditPackage,
}

#[derive(Debug, Deserialize)]
struct AuditWarning {
    kind: String,
    advisory: Option<AuditAdvisory>,
    package: AuditPackage,
}

#[derive(Debug, Deserialize)]
struct AuditAdvisory {
    id: String,
}

#[derive(Debug, Deserialize)]
struct AuditPackage {
    name: String,
    version: String,
}

/// cargo audit's answers over all lockfiles.
#[derive(Debug, Default)]
struct Answers {
    vulnerabilities: BTreeSet<Hit>,
    informational: BTreeSet<Hit>,
}

impl Answers {
    fn add(&mut self, report: &AuditReport, lockfile: &Path) {
        let lockfile_label = super::support::label_of(&lockfile.to_string_lossy());
        let hit = |package: &AuditPackage, id: &str| Hit {
            lockfile: lockfile_label.clone(),
            name: package.name.clone(),
            version: package.version.clone(),
            id: id.to_owned(),
        };
        let before = (self.vulnerabilities.len(), self.informational.len());
        for v in &report.vulnerabilities.list {
            self.vulnerabilities.insert(hit(&v.package, &v.advisory.id));
        }
        for (kind, warnings) in &report.warnings {
            assert!(
                INFORMATIONAL.contains(&kind.as_str()),
                "cargo audit reported warnings of kind {kind:?} (yanked checks are off)"
            );
            for w in warnings {
                let advisory = w.advisory.as_ref().unwrap_or_else(|| {
                    panic!("cargo audit's {} warning names no advisory", w.kind)
                });
                self.informational.insert(hit(&w.package, &advisory.id));
            }
        }
        eprintln!(
            "  {lockfile_label}: cargo audit read {} packages, {} vulnerabilities, {} warnings",
            report.lockfile.dependency_count,
            self.vulnerabilities.len() - before.0,
            self.informational.len() - before.1
        );
    }
}

/// What the advisory-db says, read with the `semver` crate cargo audit itself uses: only to
/// pick the versions of the synthetic lockfile and to explain divergences, never to decide
/// what is affected.
#[derive(Debug, Default)]
struct Advisories {
    /// Every advisory id of the checkout.
    ids: BTreeSet<String>,
    /// The withdrawn ones.
    withdrawn: BTreeSet<String>,
    /// Per package: the requirements of its advisories' `patched` and `unaffected` lists
    /// (none for an advisory that lists no versions).
    bounds: BTreeMap<String, Vec<VersionReq>>,
    /// Per advisory id: the requirements of its `patched` and `unaffected` lists.
    requirements: BTreeMap<String, Vec<VersionReq>>,
}

#[derive(Debug, Deserialize)]
struct FrontMatter {
    advisory: AdvisoryMeta,
    #[serde(default)]
    versions: VersionsMeta,
}

#[derive(Debug, Deserialize)]
struct AdvisoryMeta {
    id: String,
    package: String,
    withdrawn: Option<toml::Value>,
}

#[derive(Debug, Default, Deserialize)]
struct VersionsMeta {
    #[serde(default)]
    patched: Vec<String>,
    #[serde(default)]
    unaffected: Vec<String>,
}

impl Advisories {
    /// Reads `crates/<crate>/*.md` and `rust/<package>/*.md` of the checkout at `db`.
    fn read(db: &Path) -> Advisories {
        let mut advisories = Advisories::default();
        for collection in ["crates", "rust"] {
            let mut dirs: Vec<PathBuf> = fs::read_dir(db.join(collection))
                .unwrap_or_else(|e| panic!("reading {collection}/ of the advisory-db: {e}"))
                .map(|e| e.expect("a directory entry").path())
                .collect();
            dirs.sort();
            for file in dirs.iter().flat_map(|d| super::support::files_in(d, ".md")) {
                advisories.add(&file);
            }
        }
        assert!(
            advisories.ids.len() > 1000,
            "the advisory-db holds {} advisories, expected over 1,000",
            advisories.ids.len()
        );
        advisories
    }

    fn add(&mut self, file: &Path) {
        let text =
            fs::read_to_string(file).unwrap_or_else(|e| panic!("reading {}: {e}", file.display()));
        let toml = text
            .strip_prefix("```toml\n")
            .and_then(|rest| rest.split_once("\n```"))
            .map(|(toml, _)| toml)
            .unwrap_or_else(|| panic!("{}: no ```toml front matter", file.display()));
        let front: FrontMatter =
            toml::from_str(toml).unwrap_or_else(|e| panic!("{}: {e}", file.display()));
        let id = front.advisory.id;
        if front.advisory.withdrawn.is_some() {
            self.withdrawn.insert(id.clone());
        }
        let reqs: Vec<VersionReq> = front
            .versions
            .patched
            .iter()
            .chain(&front.versions.unaffected)
            .map(|req| {
                VersionReq::parse(req)
                    .unwrap_or_else(|e| panic!("{}: requirement {req:?}: {e}", file.display()))
            })
            .collect();
        self.bounds
            .entry(front.advisory.package)
            .or_default()
            .extend(reqs.iter().cloned());
        self.requirements.insert(id.clone(), reqs);
        self.ids.insert(id);
    }

    /// The synthetic `Cargo.lock` and how many packages it lists.
    fn synthetic_lockfile(&self) -> (String, usize) {
        let mut text = String::from(
            "# Generated by ward's cross-check with cargo audit: versions around every bound.\n\
             version = 3\n",
        );
        let mut count = 0;
        for (name, reqs) in &self.bounds {
            let mut versions = BTreeSet::new();
            if reqs.is_empty() {
                versions.extend([Version::new(0, 1, 0), Version::new(1, 0, 0)]);
            }
            for comparator in reqs.iter().flat_map(|r| &r.comparators) {
                versions.extend(probes(comparator));
            }
            // Build metadata does not take part in SemVer precedence: keep one per version.
            for version in versions {
                count += 1;
                write!(
                    text,
                    "\n[[package]]\nname = \"{name}\"\nversion = \"{version}\"\n\
                     source = \"registry+https://github.com/rust-lang/crates.io-index\"\n"
                )
                .expect("writing to a String");
            }
        }
        (text, count)
    }
}

/// The versions at and around one comparator's bound.
fn probes(c: &Comparator) -> Vec<Version> {
    let release = Version::new(c.major, c.minor.unwrap_or(0), c.patch.unwrap_or(0));
    // A pre-release of the bound itself: below it in SemVer, where `-0` conversions differ.
    let mut release_pre = release.clone();
    release_pre.pre = Prerelease::new("alpha.1").expect("a valid pre-release");
    let mut out = vec![release.clone(), release_pre, below(&release)];
    if !c.pre.is_empty() {
        let mut bound = release.clone();
        bound.pre = c.pre.clone();
        out.push(bound);
    }
    let next_patch = Version::new(release.major, release.minor, release.patch + 1);
    let mut next_pre = next_patch.clone();
    next_pre.pre = Prerelease::new("alpha.1").expect("a valid pre-release");
    out.extend([next_patch, next_pre]);
    // Where a `^`, `~` or partial requirement ends.
    let end = match (c.op, c.minor, c.patch) {
        (Op::Caret, Some(0), Some(patch)) if c.major == 0 => Some(Version::new(0, 0, patch + 1)),
        (Op::Caret, Some(minor), _) if c.major == 0 => Some(Version::new(0, minor + 1, 0)),
        (Op::Caret | Op::Tilde, None, _) | (_, None, _) => Some(Version::new(c.major + 1, 0, 0)),
        (Op::Caret, _, _) => Some(Version::new(c.major + 1, 0, 0)),
        (Op::Tilde, Some(minor), _) | (_, Some(minor), None) => {
            Some(Version::new(c.major, minor + 1, 0))
        }
        _ => None,
    };
    if let Some(end) = end {
        out.push(below(&end));
        out.push(end);
    }
    out
}

/// A release just below `v` (itself a release): the previous patch, or a high patch of the
/// previous minor or major; `0.0.0` stays.
fn below(v: &Version) -> Version {
    match (v.major, v.minor, v.patch) {
        (major, minor, patch) if patch > 0 => Version::new(major, minor, patch - 1),
        (major, minor, _) if minor > 0 => Version::new(major, minor - 1, 99),
        (major, _, _) if major > 0 => Version::new(major - 1, 99, 99),
        _ => Version::new(0, 0, 0),
    }
}
