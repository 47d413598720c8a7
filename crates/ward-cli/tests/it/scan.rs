//! `ward scan`, end to end: a database filled by `ward db import` from records written here,
//! lockfiles on disk, and the real binary's output and exit status.

use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::{Value, json};

use crate::Run;

const CRATES_IO: &str = "registry+https://github.com/rust-lang/crates.io-index";

/// A project directory with a filled database beside it.
struct Project {
    dir: tempfile::TempDir,
}

impl Project {
    fn new() -> Self {
        let dir = tempfile::tempdir().expect("tempdir");
        let project = Project { dir };
        std::fs::create_dir_all(project.path("advisories")).expect("mkdir");
        for record in records() {
            let id = record["id"].as_str().expect("id").to_owned();
            project.write(&format!("advisories/{id}.json"), &record.to_string());
        }
        let run = project.ward(&["db", "import", "--db", "db", "advisories"]);
        assert_eq!(run.code, 0, "import failed: {run:?}");
        project.write("app/Cargo.lock", &cargo_lock());
        project
    }

    fn path(&self, relative: &str) -> PathBuf {
        self.dir.path().join(relative)
    }

    fn write(&self, relative: &str, text: &str) {
        let path = self.path(relative);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).expect("mkdir");
        }
        std::fs::write(path, text).expect("write");
    }

    /// Runs ward in the project directory, with no WARD_DB from the environment.
    fn ward(&self, args: &[&str]) -> Run {
        let output = Command::new(env!("CARGO_BIN_EXE_ward"))
            .args(args)
            .current_dir(self.dir.path())
            .env_remove("WARD_DB")
            .output()
            .expect("ward runs");
        Run {
            code: output.status.code().expect("exit status"),
            stdout: String::from_utf8(output.stdout).expect("UTF-8"),
            stderr: String::from_utf8(output.stderr).expect("UTF-8"),
        }
    }

    fn scan_json(&self, extra: &[&str]) -> (i32, Value, String) {
        let mut args = vec!["scan", "--db", "db", "--format", "json"];
        args.extend_from_slice(extra);
        let run = self.ward(&args);
        let json = serde_json::from_str(&run.stdout)
            .unwrap_or_else(|e| panic!("scan JSON: {e}\n{}\n{}", run.stdout, run.stderr));
        (run.code, json, run.stderr)
    }
}

/// A file of `../shared/data`, or `None` (with the reason printed) when the data is absent
/// and not required.
#[allow(
    clippy::print_stdout,
    reason = "the skip reason belongs in the test output"
)]
pub(crate) fn shared_data(relative: &str) -> Option<PathBuf> {
    let root = std::env::var_os("WARD_SHARED_DATA").map_or_else(
        || Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/data"),
        PathBuf::from,
    );
    let path = root.join(relative);
    if path.exists() {
        return Some(path);
    }
    assert!(
        std::env::var_os("WARD_REQUIRE_SHARED_DATA").is_none(),
        "{} is missing and WARD_REQUIRE_SHARED_DATA is set",
        path.display()
    );
    println!(
        "skipped: {} is missing (set WARD_SHARED_DATA)",
        path.display()
    );
    None
}

fn record(id: &str, name: &str, events: Value, extra: Value) -> Value {
    let mut record = json!({
        "schema_version": "1.7.0",
        "id": id,
        "modified": "2026-01-02T03:04:05Z",
        "published": "2026-01-01T00:00:00Z",
        "summary": format!("test advisory {id}"),
        "affected": [{
            "package": {"ecosystem": "crates.io", "name": name},
            "ranges": [{"type": "SEMVER", "events": events}],
        }],
    });
    if let (Some(record), Some(extra)) = (record.as_object_mut(), extra.as_object()) {
        for (k, v) in extra {
            record.insert(k.clone(), v.clone());
        }
    }
    record
}

/// Records with obviously fake ids (year 2099) covering every rule of the scan.
fn records() -> Vec<Value> {
    let critical =
        json!([{"type": "CVSS_V3", "score": "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H"}]);
    let low = json!([{"type": "CVSS_V3", "score": "CVSS:3.1/AV:L/AC:H/PR:H/UI:R/S:U/C:L/I:N/A:N"}]);
    vec![
        record(
            "RUSTSEC-2099-0001",
            "smallvec",
            json!([{"introduced": "0"}, {"fixed": "1.6.1"}]),
            json!({"aliases": ["CVE-2099-0001"], "severity": critical}),
        ),
        // The same vulnerability under its GHSA id: reported once, with the other's names.
        record(
            "GHSA-2099-abcd-wxyz",
            "smallvec",
            json!([{"introduced": "0"}, {"fixed": "1.6.1"}]),
            json!({"aliases": ["RUSTSEC-2099-0001", "CVE-2099-0001"], "severity": critical}),
        ),
        record(
            "RUSTSEC-2099-0002",
            "ansi_term",
            json!([{"introduced": "0"}]),
            json!({"database_specific": {"informational": "unmaintained"}}),
        ),
        record(
            "RUSTSEC-2099-0003",
            "time",
            json!([{"introduced": "0.1.0"}, {"fixed": "0.2.23"}]),
            json!({"severity": low}),
        ),
        record(
            "RUSTSEC-2099-0004",
            "nofix",
            json!([{"introduced": "0"}]),
            json!({}),
        ),
        record(
            "RUSTSEC-2099-0005",
            "serde",
            json!([{"introduced": "0"}]),
            json!({"withdrawn": "2026-01-03T00:00:00Z"}),
        ),
    ]
}

fn cargo_lock() -> String {
    let mut text = String::from(
        "# This file is automatically @generated by Cargo.\nversion = 3\n\n[[package]]\nname = \"app\"\nversion = \"0.1.0\"\ndependencies = [\n \"ansi_term\",\n \"nofix\",\n \"serde\",\n \"smallvec\",\n \"time\",\n]\n",
    );
    for (name, version) in [
        ("ansi_term", "0.12.1"),
        ("nofix", "1.0.0"),
        ("serde", "1.0.100"),
        ("smallvec", "1.6.0"),
        ("time", "0.1.45"),
    ] {
        text.push_str(&format!(
            "\n[[package]]\nname = \"{name}\"\nversion = \"{version}\"\nsource = \"{CRATES_IO}\"\n"
        ));
    }
    text
}

fn ids(report: &Value) -> Vec<String> {
    let mut ids: Vec<String> = report["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .map(|f| f["id"].as_str().expect("id").to_owned())
        .collect();
    ids.sort();
    ids
}

fn finding<'a>(report: &'a Value, id: &str) -> &'a Value {
    report["findings"]
        .as_array()
        .and_then(|f| f.iter().find(|f| f["id"] == id))
        .unwrap_or_else(|| panic!("no finding {id} in {report:#}"))
}

#[test]
fn finds_each_vulnerability_once_with_its_fix_and_location() {
    let project = Project::new();
    let (code, report, _) = project.scan_json(&["app"]);
    assert_eq!(code, 1, "{report:#}");
    assert_eq!(
        ids(&report),
        [
            "RUSTSEC-2099-0001",
            "RUSTSEC-2099-0002",
            "RUSTSEC-2099-0003",
            "RUSTSEC-2099-0004"
        ],
        "the GHSA twin is grouped with the RUSTSEC record and the withdrawn one never matches"
    );
    let smallvec = finding(&report, "RUSTSEC-2099-0001");
    assert_eq!(smallvec["fixed"], "1.6.1");
    assert_eq!(smallvec["severity"]["level"], "critical");
    assert_eq!(smallvec["severity"]["score"], 9.8);
    let mut aliases: Vec<&str> = smallvec["aliases"]
        .as_array()
        .expect("aliases")
        .iter()
        .filter_map(Value::as_str)
        .collect();
    aliases.sort_unstable();
    assert_eq!(aliases, ["CVE-2099-0001", "GHSA-2099-abcd-wxyz"]);
    let location = &smallvec["locations"][0];
    assert_eq!(location["path"], "app/Cargo.lock");
    assert_eq!(location["relation"], "direct");
    assert!(location["line"].as_u64().expect("line") > 1);

    let unmaintained = finding(&report, "RUSTSEC-2099-0002");
    assert_eq!(unmaintained["informational"], "unmaintained");
    assert_eq!(unmaintained["counted"], false);
    assert_eq!(finding(&report, "RUSTSEC-2099-0004")["fixed"], Value::Null);
    assert_eq!(report["summary"]["counted"], 3);
    assert_eq!(report["database"]["records"], 6);
    assert_eq!(
        report["database"]["newest_modified"],
        "2026-01-02T03:04:05Z"
    );
    assert_eq!(report["summary"]["informational"], 1);
}

#[test]
fn threshold_ignore_list_and_ignore_unfixed_decide_the_exit_status() {
    let project = Project::new();
    project.write(
        "ward.toml",
        r#"
[[scan.ignore]]
id = "CVE-2099-0001"
reason = "the vulnerable function is never called"

[[scan.ignore]]
id = "RUSTSEC-2099-0009"
reason = "a typo that must be reported as unused"

[[scan.ignore]]
id = "RUSTSEC-2099-0004"
reason = "accepted last year"
until = "2020-01-01"
"#,
    );
    // smallvec ignored by alias; time is low; nofix has no severity, so it still counts.
    let (code, report, stderr) = project.scan_json(&["--severity-threshold", "high", "app"]);
    assert_eq!(code, 1, "{report:#}");
    let counted: Vec<&str> = report["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .filter(|f| f["counted"] == true)
        .filter_map(|f| f["id"].as_str())
        .collect();
    assert_eq!(counted, ["RUSTSEC-2099-0004"]);
    assert_eq!(
        finding(&report, "RUSTSEC-2099-0001")["ignored"]["reason"],
        "the vulnerable function is never called"
    );
    assert_eq!(report["summary"]["below_threshold"], 1);
    assert!(
        stderr.contains("ignore entry RUSTSEC-2099-0009 matched no finding"),
        "{stderr}"
    );
    assert!(
        stderr.contains("ignore entry RUSTSEC-2099-0004 expired on 2020-01-01"),
        "{stderr}"
    );

    // Without the unfixed finding, nothing at or above the threshold is left.
    let (code, report, stderr) =
        project.scan_json(&["--severity-threshold", "high", "--ignore-unfixed", "app"]);
    assert_eq!(code, 0, "{report:#}");
    assert!(
        stderr.contains("without a fixed version hidden by --ignore-unfixed"),
        "{stderr}"
    );
}

#[test]
fn a_lockfile_that_cannot_be_read_is_an_error_never_no_issues() {
    let project = Project::new();
    project.write(
        "broken/Cargo.lock",
        "version = 3\n\n[[package]]\nname = \"x\"\nversion = ",
    );
    project.write(
        "empty/package-lock.json",
        "{\"lockfileVersion\": 3, \"packages\": {}}",
    );
    project.write("future/pnpm-lock.yaml", "lockfileVersion: '11.0'\n");
    for dir in ["broken", "empty", "future"] {
        let run = project.ward(&["scan", "--db", "db", dir]);
        assert_eq!(run.code, 2, "{dir}: {run:?}");
        assert!(
            run.stdout.contains("Could not read:"),
            "{dir}: {}",
            run.stdout
        );
    }
    let run = project.ward(&["scan", "--db", "db", "future"]);
    assert!(
        run.stdout.contains("future/pnpm-lock.yaml"),
        "{}",
        run.stdout
    );
    assert!(run.stdout.contains("unsupported"), "{}", run.stdout);

    std::fs::create_dir_all(project.path("nothing")).expect("mkdir");
    let run = project.ward(&["scan", "--db", "db", "nothing"]);
    assert_eq!(run.code, 2);
    assert!(
        run.stderr.contains("no lockfile found under nothing"),
        "{}",
        run.stderr
    );
}

#[test]
fn a_missing_database_says_how_to_fill_one() {
    let project = Project::new();
    let run = project.ward(&["scan", "--db", "no-such-db", "app"]);
    assert_eq!(run.code, 2);
    assert!(run.stderr.contains("ward db import"), "{}", run.stderr);
}

#[test]
fn table_is_grouped_by_lockfile_and_ends_with_a_verdict() {
    let project = Project::new();
    let run = project.ward(&["scan", "--db", "db", "app"]);
    assert_eq!(run.code, 1);
    let first = run.stdout.lines().next().unwrap_or_default();
    assert_eq!(first, "app/Cargo.lock (crates.io, 6 packages): 4 findings");
    assert!(run.stdout.contains("critical 9.8"), "{}", run.stdout);
    assert!(run.stdout.contains("smallvec@1.6.0"), "{}", run.stdout);
    let aliases = run
        .stdout
        .lines()
        .find(|l| l.trim_start().starts_with("aka "))
        .unwrap_or_default();
    assert_eq!(
        aliases.trim_start(),
        "aka CVE-2099-0001, GHSA-2099-abcd-wxyz",
        "{}",
        run.stdout
    );
    // Under the id column.
    let id_column = run
        .stdout
        .lines()
        .nth(1)
        .and_then(|header| header.find("ID"))
        .unwrap_or_default();
    assert_eq!(aliases.find("aka"), Some(id_column), "{}", run.stdout);
    let last = run.stdout.lines().last().unwrap_or_default();
    assert!(
        last.ends_with("3 vulnerabilities (1 critical, 1 low, 1 unrated); 1 informational."),
        "{last}"
    );
}

#[test]
fn markdown_escapes_what_advisories_say() {
    let project = Project::new();
    let run = project.ward(&["scan", "--db", "db", "--format", "markdown", "app"]);
    assert_eq!(run.code, 1);
    assert!(run.stdout.starts_with("## ward scan\n"), "{}", run.stdout);
    assert!(
        run.stdout
            .contains("| critical 9.8 | RUSTSEC-2099-0001 (CVE-2099-0001, GHSA-2099-abcd-wxyz) | `smallvec` | 1.6.0 (line"),
        "{}",
        run.stdout
    );
}

#[test]
fn sarif_is_valid_sarif_2_1_0() {
    let Some(schema) = shared_data("schemas/sarif-2.1.0/sarif-schema-2.1.0.json") else {
        return;
    };
    let project = Project::new();
    let run = project.ward(&["scan", "--db", "db", "--format", "sarif", "app"]);
    assert_eq!(run.code, 1);
    let log: Value = serde_json::from_str(&run.stdout).expect("SARIF is JSON");
    let schema: Value =
        serde_json::from_slice(&std::fs::read(schema).expect("schema")).expect("schema JSON");
    let validator = jsonschema::validator_for(&schema).expect("the SARIF schema compiles");
    let errors: Vec<String> = validator.iter_errors(&log).map(|e| e.to_string()).collect();
    assert!(errors.is_empty(), "{errors:#?}\n{log:#}");
    let results = log["runs"][0]["results"].as_array().expect("results");
    assert_eq!(results.len(), 4);
    let result = results
        .iter()
        .find(|r| r["ruleId"] == "RUSTSEC-2099-0001")
        .expect("smallvec result");
    assert_eq!(result["level"], "error");
    assert_eq!(
        result["locations"][0]["physicalLocation"]["artifactLocation"]["uri"],
        "app/Cargo.lock"
    );
}

#[test]
fn json_has_every_documented_field() {
    let project = Project::new();
    let (_, report, _) = project.scan_json(&["app"]);
    let doc = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../../docs/scan-json.md"),
    )
    .expect("docs/scan-json.md");
    for key in [
        "version",
        "database",
        "lockfiles",
        "findings",
        "errors",
        "warnings",
        "summary",
    ] {
        assert!(report.get(key).is_some(), "missing {key}");
        assert!(doc.contains(&format!("\"{key}\"")), "{key} undocumented");
    }
    let finding = finding(&report, "RUSTSEC-2099-0001");
    for key in [
        "id",
        "aliases",
        "summary",
        "severity",
        "informational",
        "verdict",
        "package",
        "fixed",
        "last_known_affected",
        "locations",
        "ignored",
        "counted",
    ] {
        assert!(finding.get(key).is_some(), "finding lacks {key}");
        assert!(doc.contains(&format!("\"{key}\"")), "{key} undocumented");
    }
}
