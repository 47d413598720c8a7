#![allow(clippy::unwrap_used, reason = "tests fail loudly")]
//! `ward serve` as a newcomer runs it, and the commands that work on its instance:
//! `ward admin create-user`, `ward admin rotate-kek`, `ward audit verify`.

use std::io::{BufRead as _, BufReader, Write as _};
use std::net::TcpListener;
use std::path::Path;
use std::process::{Child, Command, Stdio};

use crate::ward;

/// A `ward serve` child process, stopped with SIGTERM on drop.
pub(crate) struct Serving {
    child: Child,
    pub(crate) base: String,
    setup_link: Option<String>,
}

impl Serving {
    /// Starts `ward serve` with no arguments in `dir` (so with its defaults: ./ward-data), on a
    /// free port given through `WARD_LISTEN`, and reads what it prints until it listens.
    pub(crate) fn start(dir: &Path) -> Serving {
        Serving::start_on(dir, free_port())
    }

    /// [`Serving::start`] on a given port (a second instance at the same URL).
    pub(crate) fn start_on(dir: &Path, port: u16) -> Serving {
        Serving::spawn(dir, port, true)
    }

    /// [`Serving::start_on`] of an instance that has accounts (so no setup link is printed).
    pub(crate) fn start_with_accounts(dir: &Path, port: u16) -> Serving {
        Serving::spawn(dir, port, false)
    }

    fn spawn(dir: &Path, port: u16, expect_setup_link: bool) -> Serving {
        let mut child = Command::new(env!("CARGO_BIN_EXE_ward"))
            .arg("serve")
            .current_dir(dir)
            .env("WARD_LISTEN", format!("127.0.0.1:{port}"))
            .env_remove("WARD_DATA_DIR")
            .env_remove("WARD_DATABASE_URL")
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        // An instance without accounts prints the setup link (with accounts, the data line is
        // the last), and its last line ends what ward prints before serving.
        let stdout = BufReader::new(child.stdout.take().unwrap());
        let mut base = None;
        let mut setup_link = None;
        for line in stdout.lines() {
            let line = line.unwrap();
            if let Some(url) = line.strip_prefix("ward serve: listening on ") {
                base = Some(url.trim().to_owned());
            }
            if let Some((_, link)) = line.split_once("create the admin account at ") {
                setup_link = Some(link.trim().to_owned());
            }
            if line.contains("the link works once")
                || (!expect_setup_link && line.starts_with("  data: "))
            {
                break;
            }
        }
        Serving {
            child,
            base: base.expect("ward serve says where it listens"),
            setup_link,
        }
    }

    pub(crate) fn stop(mut self) -> std::process::ExitStatus {
        let status = Command::new("kill")
            .args(["-TERM", &self.child.id().to_string()])
            .status()
            .unwrap();
        assert!(status.success());
        self.child.wait().unwrap()
    }
}

impl Drop for Serving {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A port nothing listens on at the moment.
pub(crate) fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

pub(crate) fn get(url: &str) -> (u16, String) {
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .http_status_as_error(false)
        .build()
        .into();
    let mut response = agent.get(url).call().unwrap();
    let status = response.status().as_u16();
    (status, response.body_mut().read_to_string().unwrap())
}

#[test]
fn the_readme_starts_with_ward_serve() {
    let readme =
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("../../README.md"))
            .unwrap();
    let first_block = readme
        .split("```sh\n")
        .nth(1)
        .and_then(|rest| rest.split("```").next())
        .expect("README.md has a ```sh block");
    let mut commands = first_block
        .lines()
        .map(|l| l.split('#').next().unwrap_or("").trim());
    assert_eq!(commands.next(), Some("cargo run --release -- serve"));
    assert_eq!(commands.next(), Some("cargo test --workspace"));
}

#[test]
fn a_fresh_start_serves_the_policy_page_and_prints_a_setup_link() {
    let dir = tempfile::tempdir().unwrap();
    let serving = Serving::start(dir.path());
    let (status, page) = get(&format!("{}/", serving.base));
    assert_eq!(status, 200);
    assert!(page.contains(r#"<form id="report""#), "{page}");
    assert!(page.contains(r#"name="description""#), "{page}");

    let link = serving
        .setup_link
        .clone()
        .expect("a first start prints the setup link");
    assert!(
        link.starts_with(&format!("{}/setup/", serving.base)),
        "{link}"
    );
    let (status, page) = get(&link);
    assert_eq!(status, 200);
    assert!(page.contains(r#"name="password""#), "{page}");

    let (status, key) = get(&format!("{}/.well-known/ward-intake.asc", serving.base));
    assert_eq!(status, 200);
    assert!(
        key.starts_with("-----BEGIN PGP PUBLIC KEY BLOCK-----"),
        "{key}"
    );

    let status = serving.stop();
    assert!(status.success(), "SIGTERM is a clean stop: {status:?}");
    let data = dir.path().join("ward-data");
    assert!(data.join("ward.db").is_file());
    assert!(data.join("keys").is_dir());

    // The second start finds its instance and its keys (the setup link is printed again, as
    // long as no account exists).
    let keys_before = std::fs::read_dir(data.join("keys")).unwrap().count();
    let serving = Serving::start(dir.path());
    assert_eq!(get(&format!("{}/", serving.base)).0, 200);
    assert!(serving.stop().success());
    assert_eq!(
        std::fs::read_dir(data.join("keys")).unwrap().count(),
        keys_before
    );
}

#[test]
fn audit_verify_finds_an_edited_inserted_or_deleted_event() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("ward-data");
    let data_arg = data.to_str().unwrap();

    // No instance yet: the commands refuse rather than create one.
    let run = ward(&["audit", "verify", "--data-dir", data_arg]);
    assert_eq!(run.code, 2, "{run:?}");
    assert!(run.stderr.contains("no ward instance at"), "{}", run.stderr);

    // An instance with a few events: accounts created from the command line.
    for (email, role) in [
        ("ada@example.org", "coordinator"),
        ("bo@example.org", "maintainer"),
    ] {
        let mut child = Command::new(env!("CARGO_BIN_EXE_ward"))
            .args([
                "admin",
                "create-user",
                "--data-dir",
                data_arg,
                "--email",
                email,
                "--role",
                role,
            ])
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        child
            .stdin
            .take()
            .unwrap()
            .write_all(b"correct horse battery staple\n")
            .unwrap();
        let output = child.wait_with_output().unwrap();
        assert!(output.status.success(), "{output:?}");
        assert!(
            String::from_utf8_lossy(&output.stdout).contains(&format!("created {email} ({role})"))
        );
    }
    let run = ward(&["admin", "rotate-kek", "--data-dir", data_arg]);
    assert_eq!(run.code, 0, "{run:?}");
    assert!(run.stdout.contains("data keys rewrapped"), "{}", run.stdout);

    let run = ward(&["audit", "verify", "--data-dir", data_arg]);
    assert_eq!(run.code, 0, "{run:?}");
    assert!(
        run.stdout.starts_with("audit log intact: 3 events"),
        "{}",
        run.stdout
    );

    // Someone with the database but not the audit key edits an event.
    let db = rusqlite::Connection::open(data.join("ward.db")).unwrap();
    db.execute_batch(
        "DROP TRIGGER IF EXISTS audit_events_no_update; DROP TRIGGER IF EXISTS audit_events_no_delete;",
    )
    .unwrap();
    let original: String = db
        .query_row("SELECT detail FROM audit_events WHERE seq = 2", [], |r| {
            r.get(0)
        })
        .unwrap();
    db.execute(
        "UPDATE audit_events SET detail = ?1 WHERE seq = 2",
        [original.replace("maintainer", "admin")],
    )
    .unwrap();
    let run = ward(&["audit", "verify", "--data-dir", data_arg]);
    assert_eq!(run.code, 1, "{run:?}");
    assert!(
        run.stdout.contains("BROKEN: event 2 was altered"),
        "{}",
        run.stdout
    );

    // Put it back, then insert a forged event between 2 and 3 (3 moved up to make room),
    // then delete one instead.
    db.execute(
        "UPDATE audit_events SET detail = ?1 WHERE seq = 2",
        [&original],
    )
    .unwrap();
    assert_eq!(ward(&["audit", "verify", "--data-dir", data_arg]).code, 0);
    db.execute_batch(
        "UPDATE audit_events SET seq = 4 WHERE seq = 3;
         INSERT INTO audit_events (seq, at, actor, action, report_id, detail, prev_hash, hash)
             SELECT 3, at, 'user:1', 'report.read', NULL, '{}', hash, hash
             FROM audit_events WHERE seq = 2;",
    )
    .unwrap();
    let run = ward(&["audit", "verify", "--data-dir", data_arg]);
    assert_eq!(run.code, 1, "{run:?}");
    assert!(run.stdout.contains("BROKEN: event 3"), "{}", run.stdout);
    db.execute_batch(
        "DELETE FROM audit_events WHERE seq = 3; UPDATE audit_events SET seq = 3 WHERE seq = 4;",
    )
    .unwrap();
    assert_eq!(ward(&["audit", "verify", "--data-dir", data_arg]).code, 0);
    db.execute("DELETE FROM audit_events WHERE seq = 2", [])
        .unwrap();
    let run = ward(&["audit", "verify", "--data-dir", data_arg]);
    assert_eq!(run.code, 1, "{run:?}");
    assert!(run.stdout.contains("BROKEN"), "{}", run.stdout);
}
