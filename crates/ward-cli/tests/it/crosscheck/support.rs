//! What the cross-check suites share: where the data and the reference tools are, unpacking
//! archives, running `ward db import` and `ward scan`, and comparing two sets of answers.

use std::collections::{BTreeMap, BTreeSet};
use std::env;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

use serde::{Deserialize, Serialize};

pub(crate) use ward_testkit::{files_in, reference_dir, run_oracle, runs, shared_data};

/// Whether a reference tool is usable; prints why not, or fails when
/// `WARD_REQUIRE_REFERENCE=1`.
pub(crate) fn reference_available(name: &str, available: bool, hint: &str) -> bool {
    let hint = format!("{hint}; {}", ward_testkit::INSTALLED_BY_CI);
    ward_testkit::reference_available(&format!("reference tool {name}"), available, &hint)
}

/// The path of a script in `tests/oracles/`.
pub(crate) fn oracle_script(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/oracles")
        .join(name)
}

/// Runs an oracle of the cross-check protocol: `{"records": ..., "lockfiles": ...}` on
/// standard input; one JSON line per answer (`lockfile`, `name`, `version`, `id`, `verdict`)
/// or per lockfile read (`lockfile`, `packages`, printed here) on standard output. Returns
/// the answers by verdict, each name passed through `normalise`.
pub(crate) fn oracle_answers(
    command: &mut Command,
    records: &(impl Serialize + ?Sized),
    lockfiles: &[serde_json::Value],
    normalise: impl Fn(&str) -> String,
) -> BTreeMap<String, BTreeSet<Hit>> {
    let input = serde_json::json!({"records": records, "lockfiles": lockfiles}).to_string();
    let output = run_oracle(command, &input);
    let mut answers: BTreeMap<String, BTreeSet<Hit>> = BTreeMap::new();
    for line in output.lines() {
        let answer: serde_json::Value =
            serde_json::from_str(line).expect("the oracle prints JSON lines");
        let field = |name: &str| answer[name].as_str().unwrap_or_default().to_owned();
        if let Some(packages) = answer["packages"].as_u64() {
            eprintln!(
                "  {}: the oracle read {packages} packages",
                field("lockfile")
            );
            continue;
        }
        answers.entry(field("verdict")).or_default().insert(Hit {
            lockfile: field("lockfile"),
            name: normalise(&field("name")),
            version: field("version"),
            id: field("id"),
        });
    }
    answers
}

/// A scratch directory for one suite, removed afterwards unless `WARD_CROSSCHECK_KEEP=1`
/// (then its path is printed, to look at the inputs and both tools' outputs).
pub(crate) fn scratch(suite: &str) -> Scratch {
    let dir = tempfile::Builder::new()
        .prefix(&format!("ward-crosscheck-{suite}-"))
        .tempdir()
        .expect("a temporary directory");
    if env::var("WARD_CROSSCHECK_KEEP").is_ok_and(|v| v == "1") {
        let path = dir.keep();
        eprintln!("{suite}: keeping the scratch directory {}", path.display());
        Scratch { path, _dir: None }
    } else {
        Scratch {
            path: dir.path().to_owned(),
            _dir: Some(dir),
        }
    }
}

/// A suite's scratch directory; see [`scratch`].
#[derive(Debug)]
pub(crate) struct Scratch {
    /// Where it is.
    pub(crate) path: PathBuf,
    _dir: Option<tempfile::TempDir>,
}

/// Writes `text` to `path`, for the record: what a tool printed, kept with the inputs.
pub(crate) fn record(path: &Path, text: &[u8]) {
    fs::write(path, text).unwrap_or_else(|e| panic!("writing {}: {e}", path.display()));
}

/// Unpacks a `.tar.zst` archive into `into`.
pub(crate) fn unpack(archive: &Path, into: &Path) {
    ward_testkit::open_archive(archive)
        .unpack(into)
        .unwrap_or_else(|e| panic!("unpacking {}: {e}", archive.display()));
}

/// Copies `from` to `<root>/<label>/<file_name>`, the name `ward scan` and the reference
/// tool recognise, and returns the new path. Labels name lockfiles in the comparison.
pub(crate) fn place(root: &Path, label: &str, file_name: &str, from: &Path) -> PathBuf {
    let dir = root.join(label);
    fs::create_dir_all(&dir).expect("creating an input directory");
    let to = dir.join(file_name);
    fs::copy(from, &to).unwrap_or_else(|e| panic!("copying {}: {e}", from.display()));
    to
}

/// Places real lockfiles of the shared data under `inputs`, one directory each, labelled by
/// their path below `data`: each file of the fixture directories `dirs` (directory, the file
/// name the tools recognise) whose name `keep` accepts, then each file of `named` under its
/// own name. Returns the placed paths.
pub(crate) fn place_real_lockfiles(
    data: &Path,
    inputs: &Path,
    dirs: &[(&str, &str)],
    keep: impl Fn(&str) -> bool,
    named: &[&str],
) -> Vec<PathBuf> {
    let mut lockfiles = Vec::new();
    for (dir, file_name) in dirs {
        for file in files_in(&data.join(dir), "") {
            let name = file.file_name().expect("a file name").to_string_lossy();
            if keep(&name) {
                lockfiles.push(place(inputs, &label(data, &file), file_name, &file));
            }
        }
    }
    for file in named {
        let from = data.join(file);
        let name = from.file_name().expect("a file name").to_string_lossy();
        lockfiles.push(place(inputs, &label(data, &from), &name, &from));
    }
    lockfiles
}

/// A label for a file of the shared data: its path below `data`, `/` turned into `__`.
pub(crate) fn label(data: &Path, file: &Path) -> String {
    file.strip_prefix(data)
        .unwrap_or(file)
        .to_string_lossy()
        .replace(['/', '\\'], "__")
}

/// `ward` against one database in a scratch directory.
#[derive(Debug)]
pub(crate) struct Ward {
    db: PathBuf,
    cwd: PathBuf,
}

impl Ward {
    /// A `ward` whose database is `<scratch>/db`, run from `scratch` (where no `ward.toml` is).
    pub(crate) fn new(scratch: &Path) -> Ward {
        Ward {
            db: scratch.join("db"),
            cwd: scratch.to_owned(),
        }
    }

    fn run(&self, args: &[&std::ffi::OsStr]) -> (i32, String, String) {
        let output = Command::new(env!("CARGO_BIN_EXE_ward"))
            .args(args)
            .arg("--db")
            .arg(&self.db)
            .current_dir(&self.cwd)
            .env_remove("WARD_DB")
            .env("NO_COLOR", "1")
            .output()
            .expect("ward runs");
        (
            output.status.code().expect("ward exits with a status"),
            String::from_utf8_lossy(&output.stdout).into_owned(),
            String::from_utf8_lossy(&output.stderr).into_owned(),
        )
    }

    /// `ward db import <paths>`; fails unless it succeeds. Returns what it printed.
    pub(crate) fn import(&self, paths: &[PathBuf]) -> String {
        let mut args: Vec<&std::ffi::OsStr> = vec!["db".as_ref(), "import".as_ref()];
        args.extend(paths.iter().map(|p| p.as_os_str()));
        let (code, stdout, stderr) = self.run(&args);
        assert_eq!(
            code, 0,
            "ward db import {paths:?} failed:\n{stdout}\n{stderr}"
        );
        format!("{stdout}{stderr}")
    }

    /// `ward scan <lockfiles> --format json`; fails on exit status 2 or any lockfile error.
    pub(crate) fn scan(&self, lockfiles: &[PathBuf]) -> ScanReport {
        let mut args: Vec<&std::ffi::OsStr> =
            vec!["scan".as_ref(), "--format".as_ref(), "json".as_ref()];
        args.extend(lockfiles.iter().map(|p| p.as_os_str()));
        let (code, stdout, stderr) = self.run(&args);
        record(&self.cwd.join("ward-scan.json"), stdout.as_bytes());
        assert!(
            code == 0 || code == 1,
            "ward scan exited with {code}:\n{stderr}\n{}",
            stdout.chars().take(4000).collect::<String>()
        );
        let report: ScanReport = serde_json::from_str(&stdout)
            .unwrap_or_else(|e| panic!("ward scan --format json printed invalid JSON: {e}"));
        assert!(
            report.errors.is_empty(),
            "ward scan could not read lockfiles the reference reads: {:#?}",
            report.errors
        );
        assert_eq!(
            report.lockfiles.len(),
            lockfiles.len(),
            "ward scan read {} lockfiles of the {} given",
            report.lockfiles.len(),
            lockfiles.len()
        );
        report
    }
}

/// The parts of `ward scan --format json` (docs/scan-json.md) the comparison reads.
#[derive(Debug, Deserialize)]
pub(crate) struct ScanReport {
    /// The lockfiles read.
    pub(crate) lockfiles: Vec<ScannedLockfile>,
    /// One per (advisory, package, version).
    pub(crate) findings: Vec<Finding>,
    /// Lockfiles that could not be read.
    pub(crate) errors: Vec<serde_json::Value>,
}

/// One lockfile of the report.
#[derive(Debug, Deserialize)]
pub(crate) struct ScannedLockfile {
    /// As given on the command line.
    pub(crate) path: String,
    /// How many packages ward read from it.
    pub(crate) packages: usize,
}

/// One finding of the report.
#[derive(Debug, Deserialize)]
pub(crate) struct Finding {
    /// The advisory.
    pub(crate) id: String,
    /// The other ids of the same vulnerability.
    #[serde(default)]
    pub(crate) aliases: Vec<String>,
    /// `null`, `unmaintained`, `unsound` or `notice`.
    pub(crate) informational: Option<String>,
    /// `affected` or `unknown`.
    pub(crate) verdict: String,
    /// The package.
    pub(crate) package: FindingPackage,
    /// Where it is.
    pub(crate) locations: Vec<Location>,
}

/// The package of a finding.
#[derive(Debug, Deserialize)]
pub(crate) struct FindingPackage {
    /// As the lockfile writes it.
    pub(crate) name: String,
    /// The exact version.
    pub(crate) version: String,
}

/// A place a finding's package is listed.
#[derive(Debug, Deserialize)]
pub(crate) struct Location {
    /// The lockfile.
    pub(crate) path: String,
}

/// The label of a lockfile placed by [`place`]: the name of its directory.
pub(crate) fn label_of(path: &str) -> String {
    Path::new(path)
        .parent()
        .and_then(Path::file_name)
        .map_or_else(|| path.to_owned(), |n| n.to_string_lossy().into_owned())
}

/// One answer: advisory `id` affects `version` of `name` in the lockfile labelled `lockfile`.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub(crate) struct Hit {
    /// The lockfile's label.
    pub(crate) lockfile: String,
    /// The package name (normalised where the ecosystem says names are).
    pub(crate) name: String,
    /// The version as the lockfile writes it.
    pub(crate) version: String,
    /// The advisory id.
    pub(crate) id: String,
}

impl std::fmt::Display for Hit {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{} {}@{} in {}",
            self.id, self.name, self.version, self.lockfile
        )
    }
}

/// ward's findings that `keep` selects, one [`Hit`] per location, with the alias group of
/// each (the finding's id and aliases), so that the reference's answers can be mapped onto
/// ward's choice of id by [`canonical`].
pub(crate) fn ward_hits(
    report: &ScanReport,
    keep: impl Fn(&Finding) -> bool,
    normalise: impl Fn(&str) -> String,
) -> (BTreeSet<Hit>, Groups) {
    let mut hits = BTreeSet::new();
    let mut groups = Groups::default();
    for finding in report.findings.iter().filter(|f| keep(f)) {
        for location in &finding.locations {
            let hit = Hit {
                lockfile: label_of(&location.path),
                name: normalise(&finding.package.name),
                version: finding.package.version.clone(),
                id: finding.id.clone(),
            };
            let group = std::iter::once(&finding.id)
                .chain(&finding.aliases)
                .cloned()
                .collect();
            groups
                .0
                .entry((hit.lockfile.clone(), hit.name.clone(), hit.version.clone()))
                .or_default()
                .push((finding.id.clone(), group));
            hits.insert(hit);
        }
    }
    (hits, groups)
}

/// ward's alias groups per (lockfile, name, version): ward reports records that are aliases
/// of each other once, under one of their ids.
#[derive(Debug, Default)]
pub(crate) struct Groups(BTreeMap<Coordinates, Vec<(String, BTreeSet<String>)>>);

/// (lockfile, name, version): where a finding is.
type Coordinates = (String, String, String);

/// The reference's hits with each id replaced by the id ward reports its alias group under,
/// where ward has a finding of that group for the same package in the same lockfile.
pub(crate) fn canonical(groups: &Groups, reference: BTreeSet<Hit>) -> BTreeSet<Hit> {
    reference
        .into_iter()
        .map(|mut hit| {
            let key = (hit.lockfile.clone(), hit.name.clone(), hit.version.clone());
            if let Some((id, _)) = groups
                .0
                .get(&key)
                .and_then(|g| g.iter().find(|(_, group)| group.contains(&hit.id)))
            {
                hit.id.clone_from(id);
            }
            hit
        })
        .collect()
}

/// Which tool gave an answer the other did not.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Side {
    /// Only ward.
    Ward,
    /// Only the reference tool.
    Reference,
}

/// A systematic, understood difference between ward and a reference tool: which side has
/// the extra answers, why, and a test that recognises exactly those answers.
pub(crate) struct Divergence<C> {
    /// A short name, printed with the counts.
    pub(crate) name: &'static str,
    /// The side that has the answers the other lacks.
    pub(crate) side: Side,
    /// Why the tools differ, and which is right.
    pub(crate) reason: &'static str,
    /// Whether this divergence explains one answer.
    pub(crate) explains: fn(&C, &Hit) -> bool,
}

/// What one [`compare`] found.
#[derive(Debug)]
pub(crate) struct Comparison {
    /// How many answers each divergence explained.
    explained: BTreeMap<&'static str, usize>,
    /// The answers no divergence explains, ready to print; `None` when there are none.
    failure: Option<String>,
}

/// Compares ward's answers with the reference's. Every answer on one side only must be
/// explained by a [`Divergence`] for that side; [`finish`] fails on those that are not.
/// Prints the counts.
pub(crate) fn compare<C>(
    what: &str,
    context: &C,
    ward: &BTreeSet<Hit>,
    reference: &BTreeSet<Hit>,
    divergences: &[Divergence<C>],
) -> Comparison {
    let mut explained: BTreeMap<&'static str, usize> = BTreeMap::new();
    let mut unexplained: Vec<String> = Vec::new();
    let mut one_side = |side: Side, hits: Vec<&Hit>, who: &str| {
        for hit in hits {
            match divergences
                .iter()
                .find(|d| d.side == side && (d.explains)(context, hit))
            {
                Some(d) => *explained.entry(d.name).or_default() += 1,
                None => unexplained.push(format!("  only {who}: {hit}")),
            }
        }
    };
    one_side(Side::Ward, ward.difference(reference).collect(), "ward");
    one_side(
        Side::Reference,
        reference.difference(ward).collect(),
        "reference",
    );
    let agreed = ward.intersection(reference).count();
    eprintln!(
        "{what}: ward {}, reference {}, agreed {agreed}, explained divergences {explained:?}, \
         unexplained {}",
        ward.len(),
        reference.len(),
        unexplained.len()
    );
    let total = unexplained.len();
    let failure = (total > 0).then(|| {
        format!(
            "{what}: ward and the reference disagree on {total} answers that no known \
             divergence explains (ward {}, reference {}, agreed {agreed}):\n{}{}",
            ward.len(),
            reference.len(),
            unexplained
                .iter()
                .take(60)
                .cloned()
                .collect::<Vec<_>>()
                .join("\n"),
            if total > 60 { "\n  ..." } else { "" }
        )
    });
    Comparison { explained, failure }
}

/// Fails when a comparison found answers no divergence explains, or when a divergence of the
/// table explained nothing in any comparison (a stale entry would hide a future difference of
/// the same shape).
pub(crate) fn finish<C>(suite: &str, divergences: &[Divergence<C>], comparisons: &[Comparison]) {
    let failures: Vec<&str> = comparisons
        .iter()
        .filter_map(|c| c.failure.as_deref())
        .collect();
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
    for d in divergences {
        assert!(
            comparisons.iter().any(|c| c.explained.contains_key(d.name)),
            "{suite}: the known divergence {:?} no longer occurs; remove it from the table \
             ({})",
            d.name,
            d.reason
        );
    }
}
