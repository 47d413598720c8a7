//! What a scan found: the model every output format is rendered from. Its JSON form is the
//! documented `ward scan --format json` shape (`docs/scan-json.md`); fields are added, never
//! renamed, within a `version`.

use serde::Serialize;

/// The outcome of a scan.
#[derive(Debug, Clone, Serialize)]
pub struct Report {
    /// The version of this JSON shape.
    pub version: u32,
    /// The database the scan matched against.
    pub database: DatabaseInfo,
    /// Every lockfile that was read.
    pub lockfiles: Vec<LockfileSummary>,
    /// One entry per (advisory, package, version).
    pub findings: Vec<Finding>,
    /// Lockfiles that could not be read.
    pub errors: Vec<LockfileError>,
    /// Things the user should know that are not findings (an expired ignore entry).
    pub warnings: Vec<String>,
    /// Counts.
    pub summary: Summary,
}

/// The database a scan used.
#[derive(Debug, Clone, Serialize)]
pub struct DatabaseInfo {
    /// Its directory.
    pub path: String,
    /// How many records it holds.
    pub records: u64,
    /// The newest `modified` timestamp in it, the age of the data.
    pub newest_modified: Option<String>,
}

/// A lockfile that was read.
#[derive(Debug, Clone, Serialize)]
pub struct LockfileSummary {
    /// Its path, as found.
    pub path: String,
    /// Its format (`Cargo.lock`, `pnpm-lock.yaml`).
    pub kind: String,
    /// The OSV ecosystem of its packages.
    pub ecosystem: String,
    /// How many packages it lists.
    pub packages: usize,
    /// Requirements without an exact version (requirements.txt): not checked, and said so.
    pub unpinned: Vec<Unpinned>,
}

/// A requirement that names no exact version.
#[derive(Debug, Clone, Serialize)]
pub struct Unpinned {
    /// The package.
    pub name: String,
    /// The requirement as written.
    pub requirement: String,
    /// 1-based line.
    pub line: u32,
}

/// A lockfile that could not be read.
#[derive(Debug, Clone, Serialize)]
pub struct LockfileError {
    /// The file.
    pub path: String,
    /// 1-based line, when known.
    pub line: Option<u32>,
    /// What was wrong and what was expected.
    pub message: String,
}

/// One advisory affecting one version of one package.
#[derive(Debug, Clone, Serialize)]
pub struct Finding {
    /// The advisory id.
    pub id: String,
    /// Its other names (CVE, GHSA, the ids of records grouped with it).
    pub aliases: Vec<String>,
    /// One line.
    pub summary: Option<String>,
    /// How severe.
    pub severity: Option<SeverityInfo>,
    /// `unmaintained`, `unsound`, `notice` for informational advisories.
    pub informational: Option<String>,
    /// `affected`, or `unknown` when a range could not be evaluated.
    pub verdict: &'static str,
    /// The package.
    pub package: PackageRef,
    /// The smallest version that leaves the affected range.
    pub fixed: Option<String>,
    /// The last version known to be affected, when the data gives only that.
    pub last_known_affected: Option<String>,
    /// Where the package version is locked.
    pub locations: Vec<Location>,
    /// The ignore entry that accepted it.
    pub ignored: Option<Ignored>,
    /// Whether it makes the exit status 1.
    pub counted: bool,
    /// Why some range of the advisory could not be evaluated.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub diagnostics: Vec<String>,
}

/// Severity as reported.
#[derive(Debug, Clone, Serialize)]
pub struct SeverityInfo {
    /// `none`, `low`, `medium`, `high`, `critical`.
    pub level: &'static str,
    /// The CVSS base score.
    pub score: Option<f64>,
    /// The vector or rating it came from.
    pub source: String,
}

/// A package version.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
pub struct PackageRef {
    /// The OSV ecosystem.
    pub ecosystem: String,
    /// The name as the lockfile writes it.
    pub name: String,
    /// The exact version.
    pub version: String,
}

/// A place a package version is locked.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct Location {
    /// The lockfile.
    pub path: String,
    /// 1-based line.
    pub line: u32,
    /// `direct`, `transitive` or `unknown`.
    pub relation: &'static str,
    /// Needed only for development.
    pub dev: bool,
}

/// The ignore entry that accepted a finding.
#[derive(Debug, Clone, Serialize)]
pub struct Ignored {
    /// Why.
    pub reason: String,
    /// Until when.
    pub until: Option<String>,
}

/// Counts over the report.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Summary {
    /// Lockfiles read.
    pub lockfiles: usize,
    /// Packages listed in them (with repeats across files).
    pub packages: usize,
    /// Findings, all kinds.
    pub findings: usize,
    /// Findings that fail the scan.
    pub counted: usize,
    /// Findings accepted by the ignore list.
    pub ignored: usize,
    /// Findings under the severity threshold.
    pub below_threshold: usize,
    /// Informational advisories (unmaintained, unsound, notice).
    pub informational: usize,
    /// Lockfiles that could not be read.
    pub errors: usize,
}

/// How the scan should end.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ExitStatus {
    /// Nothing found that counts (0).
    Clean,
    /// Findings at or above the threshold (1).
    Findings,
    /// A lockfile could not be read (2): "no issues" would be a lie.
    InputError,
}

impl Report {
    /// 2 if any lockfile could not be read, else 1 if any finding counts, else 0.
    pub fn exit_status(&self) -> ExitStatus {
        if !self.errors.is_empty() {
            ExitStatus::InputError
        } else if self.findings.iter().any(|f| f.counted) {
            ExitStatus::Findings
        } else {
            ExitStatus::Clean
        }
    }
}
