//! `ward db import`, `sync`, `stats` and `show`: the real binary, with `--db` in a temporary
//! directory and the current directory set to another one, so no ward.toml or database of
//! the machine is used.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

use tempfile::TempDir;

use crate::Run;

/// A temporary working directory and database directory.
struct Sandbox {
    dir: TempDir,
}

impl Sandbox {
    fn new() -> Sandbox {
        Sandbox {
            dir: tempfile::tempdir().expect("a temporary directory"),
        }
    }

    fn path(&self) -> &Path {
        self.dir.path()
    }

    fn db(&self) -> String {
        self.path().join("db").display().to_string()
    }

    /// Runs `ward` in the sandbox with `WARD_DB` unset, and `env` set.
    fn ward(&self, args: &[&str], env: &[(&str, &str)]) -> Run {
        let mut command = Command::new(env!("CARGO_BIN_EXE_ward"));
        command
            .args(args)
            .current_dir(self.path())
            .env_remove("WARD_DB")
            .env("HOME", self.path());
        for (k, v) in env {
            command.env(k, v);
        }
        let output = command.output().expect("ward runs");
        Run {
            code: output.status.code().expect("ward exits with a status"),
            stdout: String::from_utf8(output.stdout).expect("UTF-8 stdout"),
            stderr: String::from_utf8(output.stderr).expect("UTF-8 stderr"),
        }
    }

    /// Writes OSV records `<id>.json` into `dir` (under the sandbox) and returns its path.
    fn records(&self, dir: &str, records: &[serde_json::Value]) -> PathBuf {
        let dir = self.path().join(dir);
        fs::create_dir_all(&dir).expect("created");
        for r in records {
            let id = r["id"].as_str().expect("an id");
            fs::write(dir.join(format!("{id}.json")), r.to_string()).expect("written");
        }
        dir
    }
}

fn record(id: &str, name: &str, fixed: &str, aliases: &[&str]) -> serde_json::Value {
    serde_json::json!({
        "id": id,
        "modified": "2024-03-01T00:00:00Z",
        "published": "2024-02-01T00:00:00Z",
        "aliases": aliases,
        "summary": format!("{name} does something unsafe"),
        "affected": [{
            "package": { "ecosystem": "crates.io", "name": name },
            "ranges": [{ "type": "SEMVER", "events": [{ "introduced": "0" }, { "fixed": fixed }] }],
        }],
        "references": [{ "type": "ADVISORY", "url": format!("https://rustsec.org/advisories/{id}.html") }],
    })
}

/// Replaces the sandbox's path with `[SANDBOX]`; a line that held it has its runs of spaces
/// collapsed, since its columns were aligned to the real path's length.
fn redact(text: &str, sandbox: &Sandbox) -> String {
    let real = fs::canonicalize(sandbox.path()).expect("canonical");
    let mut out = String::new();
    for line in text.lines() {
        let redacted = line
            .replace(&real.display().to_string(), "[SANDBOX]")
            .replace(&sandbox.path().display().to_string(), "[SANDBOX]");
        if redacted == line {
            out.push_str(line);
        } else {
            out.push_str(&redacted.split_whitespace().collect::<Vec<_>>().join(" "));
        }
        out.push('\n');
    }
    out
}

#[test]
fn import_then_stats_then_show() {
    let sandbox = Sandbox::new();
    let dir = sandbox.records(
        "advisories",
        &[
            record("RUSTSEC-2024-0001", "smallvec", "1.6.1", &["CVE-2024-0001"]),
            record("RUSTSEC-2024-0002", "tokio", "1.0.1", &[]),
            serde_json::json!({ "id": "RUSTSEC-2024-0003", "modified": "yesterday" }),
        ],
    );
    let db = sandbox.db();
    let run = sandbox.ward(
        &["db", "import", "--db", &db, &dir.display().to_string()],
        &[],
    );
    assert_eq!(run.code, 0, "{run:?}");
    insta::assert_snapshot!("import_stdout", redact(&run.stdout, &sandbox));
    insta::assert_snapshot!("import_stderr", redact(&run.stderr, &sandbox));

    let run = sandbox.ward(&["db", "stats", "--db", &db, "--format", "json"], &[]);
    assert_eq!(run.code, 0, "{run:?}");
    let stats: serde_json::Value = serde_json::from_str(&run.stdout).expect("JSON");
    assert_eq!(stats["records"], 2);
    assert_eq!(stats["ecosystems"][0]["ecosystem"], "crates.io");
    assert_eq!(stats["ecosystems"][0]["packages"], 2);
    assert_eq!(stats["sources"][0]["records"], 2);
    assert_eq!(stats["sources"][0]["kind"], "directory");

    let run = sandbox.ward(&["db", "stats", "--db", &db], &[]);
    assert_eq!(run.code, 0, "{run:?}");
    // The source column is as wide as the temporary path: compare with spaces collapsed.
    let collapsed: Vec<String> = redact(&run.stdout, &sandbox)
        .lines()
        .map(|l| l.split_whitespace().collect::<Vec<_>>().join(" "))
        .collect();
    insta::assert_snapshot!("stats_table", collapsed.join("\n"));
    assert!(
        run.stdout
            .contains("ECOSYSTEM  RECORDS  PACKAGES\ncrates.io        2         2\n")
    );

    // An alias, in lower case, finds the record.
    let run = sandbox.ward(&["db", "--db", &db, "show", "cve-2024-0001"], &[]);
    assert_eq!(run.code, 0, "{run:?}");
    insta::assert_snapshot!("show_text", run.stdout);
    let run = sandbox.ward(
        &[
            "db",
            "show",
            "RUSTSEC-2024-0002",
            "--format",
            "json",
            "--db",
            &db,
        ],
        &[],
    );
    assert_eq!(run.code, 0, "{run:?}");
    let shown: serde_json::Value = serde_json::from_str(&run.stdout).expect("JSON");
    assert_eq!(shown[0]["id"], "RUSTSEC-2024-0002");
    assert_eq!(
        shown[0]["affected"][0]["ranges"][0]["events"][1]["fixed"],
        "1.0.1"
    );

    let run = sandbox.ward(&["db", "show", "CVE-1999-0001", "--db", &db], &[]);
    assert_eq!(
        (run.code, run.stdout.as_str(), run.stderr.as_str()),
        (1, "", "no record has the id or alias CVE-1999-0001\n")
    );
}

#[test]
fn rejected_records_are_listed_up_to_twenty() {
    let sandbox = Sandbox::new();
    let broken: Vec<serde_json::Value> = (0..25)
        .map(|i| serde_json::json!({ "id": format!("GHSA-{i:04}-xxxx-xxxx"), "modified": "not a time" }))
        .collect();
    let dir = sandbox.records("broken", &broken);
    let run = sandbox.ward(
        &[
            "db",
            "import",
            "--db",
            &sandbox.db(),
            &dir.display().to_string(),
        ],
        &[],
    );
    assert_eq!(run.code, 0, "{run:?}");
    let lines: Vec<&str> = run.stderr.lines().collect();
    assert_eq!(lines.len(), 21, "{}", run.stderr);
    assert!(
        lines[..20]
            .iter()
            .all(|l| l.starts_with("warning: ") && l.contains("GHSA-"))
    );
    assert_eq!(lines[20], "warning: ... and 5 more");
    assert!(
        run.stdout
            .contains("0 added, 0 replaced, 0 unchanged, 25 rejected"),
        "{}",
        run.stdout
    );
}

#[test]
fn a_failed_import_exits_2_and_keeps_nothing() {
    let sandbox = Sandbox::new();
    let good = sandbox.records(
        "good",
        &[record("RUSTSEC-2024-0001", "smallvec", "1.6.1", &[])],
    );
    let zip = sandbox.path().join("broken.zip");
    fs::write(&zip, "not a zip").expect("written");
    let db = sandbox.db();
    let run = sandbox.ward(
        &[
            "db",
            "import",
            "--db",
            &db,
            &good.display().to_string(),
            &zip.display().to_string(),
        ],
        &[],
    );
    assert_eq!(run.code, 2, "{run:?}");
    assert!(run.stderr.starts_with("error: "), "{}", run.stderr);
    assert!(
        run.stderr
            .contains("broken.zip: not a readable zip archive"),
        "{}",
        run.stderr
    );
    let run = sandbox.ward(&["db", "stats", "--db", &db, "--format", "json"], &[]);
    let stats: serde_json::Value = serde_json::from_str(&run.stdout).expect("JSON");
    assert_eq!(stats["records"], 0);
}

#[test]
fn the_database_directory_comes_from_ward_db_when_no_flag() {
    let sandbox = Sandbox::new();
    let dir = sandbox.records(
        "a",
        &[record("RUSTSEC-2024-0001", "smallvec", "1.6.1", &[])],
    );
    let db = sandbox.db();
    let run = sandbox.ward(
        &["db", "import", &dir.display().to_string()],
        &[("WARD_DB", &db)],
    );
    assert_eq!(run.code, 0, "{run:?}");
    assert!(Path::new(&db).join("vulndb.sqlite3").is_file());

    let missing = sandbox.path().join("nowhere").display().to_string();
    let run = sandbox.ward(&["db", "stats", "--db", &missing], &[]);
    assert_eq!(run.code, 2);
    assert!(
        run.stderr.contains("no vulnerability database at"),
        "{}",
        run.stderr
    );
    assert!(
        !Path::new(&missing).exists(),
        "stats does not create a database"
    );
}

#[test]
fn sync_reads_ward_toml_sources() {
    let sandbox = Sandbox::new();
    sandbox.records(
        "checkout/crates",
        &[record("RUSTSEC-2024-0001", "smallvec", "1.6.1", &[])],
    );
    let git = sandbox.path().join("checkout/.git");
    fs::create_dir_all(git.join("refs/heads")).expect("created");
    fs::write(git.join("HEAD"), "ref: refs/heads/main\n").expect("written");
    fs::write(git.join("refs/heads/main"), format!("{}\n", "a".repeat(40))).expect("written");
    fs::write(
        sandbox.path().join("ward.toml"),
        "[db]\ndir = \"db\"\n\n[[db.source]]\nname = \"local\"\npath = \"checkout\"\n",
    )
    .expect("written");

    let run = sandbox.ward(&["db", "sync"], &[]);
    assert_eq!(run.code, 0, "{run:?}");
    assert_eq!(
        run.stdout,
        "local: read commit aaaaaaaaaaaa\n  1 added, 0 replaced, 0 unchanged, 0 rejected\n"
    );
    let run = sandbox.ward(&["db", "sync"], &[]);
    assert_eq!(
        (run.code, run.stdout.as_str()),
        (0, "local: commit aaaaaaaaaaaa unchanged\n")
    );
    assert!(
        sandbox.path().join("db/vulndb.sqlite3").is_file(),
        "[db] dir is relative to ward.toml"
    );

    // A failing source: exit 2, the others are still reported.
    fs::write(
        sandbox.path().join("other.toml"),
        "[[db.source]]\nname = \"gone\"\npath = \"missing\"\n\n[[db.source]]\nname = \"local\"\npath = \"checkout\"\n",
    )
    .expect("written");
    let run = sandbox.ward(
        &[
            "db",
            "sync",
            "--config",
            "other.toml",
            "--db",
            &sandbox.db(),
        ],
        &[],
    );
    assert_eq!(run.code, 2, "{run:?}");
    assert!(run.stderr.starts_with("error: gone: "), "{}", run.stderr);
    assert_eq!(run.stdout, "local: commit aaaaaaaaaaaa unchanged\n");
}

#[test]
fn configuration_errors_name_the_file_and_line() {
    let sandbox = Sandbox::new();
    fs::write(
        sandbox.path().join("ward.toml"),
        "[db]\n\n[[db.source]]\nname = \"x\"\nurl = \"https://example.org/all.zip\"\necosytems = [\"npm\"]\n",
    )
    .expect("written");
    let run = sandbox.ward(&["db", "sync", "--db", &sandbox.db()], &[]);
    assert_eq!(run.code, 2, "{run:?}");
    assert!(
        run.stderr
            .starts_with("error: ward.toml:6:1: unknown field `ecosytems`"),
        "{}",
        run.stderr
    );

    fs::write(sandbox.path().join("ward.toml"), "[db]\n").expect("written");
    let run = sandbox.ward(&["db", "sync", "--db", &sandbox.db()], &[]);
    assert_eq!(run.code, 2, "{run:?}");
    assert!(
        run.stderr.contains("no [[db.source]] to sync"),
        "{}",
        run.stderr
    );

    let run = sandbox.ward(&["db", "sync", "--config", "absent.toml"], &[]);
    assert_eq!(run.code, 2, "{run:?}");
    assert!(run.stderr.contains("absent.toml"), "{}", run.stderr);
}

#[test]
fn help_teaches_with_examples() {
    let sandbox = Sandbox::new();
    let run = sandbox.ward(&["db", "--help"], &[]);
    assert_eq!(run.code, 0);
    for expected in [
        "[[db.source]]",
        "ward db sync",
        "WARD_DB",
        "--db <DIR>",
        "--config <FILE>",
    ] {
        assert!(run.stdout.contains(expected), "{expected}: {}", run.stdout);
    }
    let run = sandbox.ward(&["db", "import", "--help"], &[]);
    assert!(run.stdout.contains("one transaction"), "{}", run.stdout);
    assert!(run.stdout.contains("Examples:"), "{}", run.stdout);
}

#[test]
fn records_left_out_on_purpose_are_one_note_not_warnings() {
    let Some(archive) =
        ward_testkit::shared_file("rustsec-advisory-db/rustsec-advisory-db-main.tar.zst")
    else {
        return;
    };
    let sandbox = Sandbox::new();
    let archive = archive.display().to_string();
    let run = sandbox.ward(&["db", "import", "--db", &sandbox.db(), &archive], &[]);
    assert_eq!(run.code, 0, "{run:?}");
    assert!(
        run.stdout
            .contains("1205 added, 0 replaced, 0 unchanged, 20 left out, 0 rejected"),
        "{}",
        run.stdout
    );
    assert_eq!(run.stderr.lines().count(), 1, "{}", run.stderr);
    assert!(
        run.stderr
            .starts_with("note: 20 records left out on purpose, such as "),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains("Rust toolchain advisory"),
        "{}",
        run.stderr
    );
}
