#![allow(clippy::unwrap_used, reason = "tests fail loudly")]
//! The transparency log from the outside: `ward log verify` against a running `ward serve`
//! as it grows, after its stored entries or tiles are edited on disk, and after its history
//! forks; `ward audit verify` against the same edits.

use std::io::Write as _;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use crate::serve::{Serving, free_port, get};
use crate::{Run, ward};

/// Submits `n` reports anonymously (each an audit event).
fn submit(base: &str, n: usize, tag: &str) {
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .http_status_as_error(false)
        .build()
        .into();
    for i in 0..n {
        let body = format!(r#"{{"title":"{tag} {i}","description":"Found by the log test."}}"#);
        let response = agent
            .post(&format!("{base}/api/v1/reports"))
            .header("Content-Type", "application/json")
            .send(body.as_bytes())
            .unwrap();
        assert_eq!(response.status().as_u16(), 201);
    }
}

/// Waits until the log holds every audit event of the database (the sequencer runs every
/// second); returns the size.
fn wait_for_log(base: &str, data: &Path) -> u64 {
    let db = rusqlite::Connection::open_with_flags(
        data.join("ward.db"),
        rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY,
    )
    .unwrap();
    let events: i64 = db
        .query_row("SELECT count(*) FROM audit_events", [], |r| r.get(0))
        .unwrap();
    let events = u64::try_from(events).unwrap();
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        let (status, note) = get(&format!("{base}/log/checkpoint"));
        assert_eq!(status, 200);
        let size: u64 = note.lines().nth(1).unwrap().parse().unwrap();
        if size >= events {
            return size;
        }
        assert!(
            Instant::now() < deadline,
            "the sequencer did not log {events} events (size {size})"
        );
        std::thread::sleep(Duration::from_millis(100));
    }
}

fn verify(base: &str, state: &Path) -> Run {
    ward(&[
        "log",
        "verify",
        "--url",
        base,
        "--state-dir",
        state.to_str().unwrap(),
    ])
}

fn sqlite(data: &Path) -> rusqlite::Connection {
    let db = rusqlite::Connection::open(data.join("ward.db")).unwrap();
    db.execute_batch(
        "DROP TRIGGER IF EXISTS log_entries_no_update; DROP TRIGGER IF EXISTS log_entries_no_delete;
         DROP TRIGGER IF EXISTS audit_events_no_delete;",
    )
    .unwrap();
    db
}

#[test]
fn log_verify_follows_the_log_and_names_the_first_tampered_entry() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("ward-data");
    let state = dir.path().join("client-state");
    let port = free_port();
    let serving = Serving::start_on(dir.path(), port);
    submit(&serving.base, 3, "first");
    let size = wait_for_log(&serving.base, &data);

    let run = verify(&serving.base, &state);
    assert_eq!(run.code, 0, "{run:?}");
    assert!(run.stderr.contains("pinned its key"), "{}", run.stderr);
    assert!(
        run.stdout.contains(&format!("verified: size {size}")),
        "{}",
        run.stdout
    );
    assert!(
        run.stdout.contains("every entry and tile matches"),
        "{}",
        run.stdout
    );

    submit(&serving.base, 2, "second");
    let grown = wait_for_log(&serving.base, &data);
    assert!(grown > size);
    let run = verify(&serving.base, &state);
    assert_eq!(run.code, 0, "{run:?}");
    assert!(
        run.stdout
            .contains(&format!("consistent with the size {size} seen before")),
        "{}",
        run.stdout
    );
    assert!(
        !run.stderr.contains("pinned"),
        "the key is pinned once: {}",
        run.stderr
    );
    assert_eq!(serving.stop().code(), Some(0));
    let clean = ward(&["audit", "verify", "--data-dir", data.to_str().unwrap()]);
    assert_eq!(clean.code, 0, "{clean:?}");
    assert!(
        clean.stdout.contains("transparency log intact"),
        "{}",
        clean.stdout
    );

    // Someone with the database edits the third entry.
    let db = sqlite(&data);
    let original: Vec<u8> = db
        .query_row("SELECT data FROM log_entries WHERE idx = 2", [], |r| {
            r.get(0)
        })
        .unwrap();
    let mut forged = original.clone();
    let last = forged.len() - 2;
    forged[last] = if forged[last] == b'0' { b'1' } else { b'0' };
    db.execute("UPDATE log_entries SET data = ?1 WHERE idx = 2", [&forged])
        .unwrap();
    let serving = Serving::start_on(dir.path(), port);
    let run = verify(&serving.base, &state);
    assert_eq!(run.code, 1, "{run:?}");
    assert!(run.stderr.contains("FAILED"), "{}", run.stderr);
    assert!(
        run.stderr.contains("entry 2 is inconsistent"),
        "{}",
        run.stderr
    );
    assert_eq!(serving.stop().code(), Some(0));
    let audit = ward(&["audit", "verify", "--data-dir", data.to_str().unwrap()]);
    assert_eq!(audit.code, 1, "{audit:?}");
    assert!(
        audit
            .stdout
            .contains("transparency log BROKEN: entry 2 is inconsistent"),
        "{}",
        audit.stdout
    );

    // Put it back; then flip one bit of the first hash tile instead.
    db.execute(
        "UPDATE log_entries SET data = ?1 WHERE idx = 2",
        [&original],
    )
    .unwrap();
    let tile: Vec<u8> = db
        .query_row(
            "SELECT data FROM log_tiles WHERE level = 0 AND idx = 0",
            [],
            |r| r.get(0),
        )
        .unwrap();
    let mut flipped = tile.clone();
    flipped[32 * 4 + 7] ^= 0x10;
    db.execute(
        "UPDATE log_tiles SET data = ?1 WHERE level = 0 AND idx = 0",
        [&flipped],
    )
    .unwrap();
    let serving = Serving::start_on(dir.path(), port);
    let run = verify(&serving.base, &state);
    assert_eq!(run.code, 1, "{run:?}");
    assert!(
        run.stderr.contains("entry 4 is inconsistent"),
        "{}",
        run.stderr
    );
    assert_eq!(serving.stop().code(), Some(0));
    db.execute(
        "UPDATE log_tiles SET data = ?1 WHERE level = 0 AND idx = 0",
        [&tile],
    )
    .unwrap();

    // Cutting the last audit event from the database is invisible to the hash chain, not to
    // the log.
    let chain_only = ward(&["audit", "verify", "--data-dir", data.to_str().unwrap()]);
    assert_eq!(chain_only.code, 0, "{chain_only:?}");
    db.execute(
        "DELETE FROM audit_events WHERE seq = (SELECT max(seq) FROM audit_events)",
        [],
    )
    .unwrap();
    let cut = ward(&["audit", "verify", "--data-dir", data.to_str().unwrap()]);
    assert_eq!(cut.code, 1, "{cut:?}");
    assert!(
        cut.stdout.contains("audit log intact"),
        "the chain alone cannot tell: {}",
        cut.stdout
    );
    assert!(
        cut.stdout.contains("is in the log but not in the database"),
        "{}",
        cut.stdout
    );
}

#[test]
fn a_forked_history_is_reported_and_not_saved() {
    let dir = tempfile::tempdir().unwrap();
    let port = free_port();
    let state = dir.path().join("client-state");
    let one = dir.path().join("one");
    std::fs::create_dir_all(&one).unwrap();
    let serving = Serving::start_on(&one, port);
    submit(&serving.base, 2, "shared");
    wait_for_log(&serving.base, &one.join("ward-data"));
    assert_eq!(verify(&serving.base, &state).code, 0);
    assert_eq!(serving.stop().code(), Some(0));

    // The same instance, copied: from here on, two histories under one key.
    let two = dir.path().join("two");
    copy_dir(&one, &two);
    let serving = Serving::start_on(&one, port);
    submit(&serving.base, 1, "one");
    wait_for_log(&serving.base, &one.join("ward-data"));
    let run = verify(&serving.base, &state);
    assert_eq!(run.code, 0, "{run:?}");
    assert_eq!(serving.stop().code(), Some(0));

    let serving = Serving::start_on(&two, port);
    submit(&serving.base, 3, "two");
    wait_for_log(&serving.base, &two.join("ward-data"));
    let saved = std::fs::read_dir(state.join("logs"))
        .unwrap()
        .map(|e| e.unwrap().path().join("checkpoint"))
        .next()
        .unwrap();
    let before = std::fs::read_to_string(&saved).unwrap();
    for quick in [true, false] {
        let mut args = vec!["log", "verify", "--url", &serving.base, "--state-dir"];
        args.push(state.to_str().unwrap());
        if quick {
            args.push("--quick");
        }
        let run = ward(&args);
        assert_eq!(run.code, 1, "{run:?}");
        assert!(run.stderr.contains("FORK"), "{}", run.stderr);
    }
    assert_eq!(
        std::fs::read_to_string(&saved).unwrap(),
        before,
        "the forked checkpoint is not saved"
    );
    assert_eq!(serving.stop().code(), Some(0));

    // A server whose key is not the pinned one is refused outright.
    let three = dir.path().join("three");
    std::fs::create_dir_all(&three).unwrap();
    let serving = Serving::start_on(&three, port);
    let run = verify(&serving.base, &state);
    assert_eq!(run.code, 1, "{run:?}");
    assert!(
        run.stderr.contains("does not verify with the key"),
        "{}",
        run.stderr
    );
    assert_eq!(serving.stop().code(), Some(0));
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), &target).unwrap();
        }
    }
}

#[test]
fn a_release_signature_is_logged_then_proven_by_ward_verify() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("ward-data");
    let data_arg = data.to_str().unwrap();
    let state = dir.path().join("client-state");
    let state_arg = state.to_str().unwrap();

    // A coordinator and a write token for the release pipeline.
    let mut child = Command::new(env!("CARGO_BIN_EXE_ward"))
        .args(["admin", "create-user", "--data-dir", data_arg])
        .args(["--email", "rel@example.org", "--role", "coordinator"])
        .stdin(Stdio::piped())
        .stdout(Stdio::null())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(b"correct horse battery staple\n")
        .unwrap();
    assert!(child.wait().unwrap().success());
    let made = ward(&[
        "admin",
        "create-token",
        "--data-dir",
        data_arg,
        "--email",
        "rel@example.org",
        "--name",
        "release pipeline",
        "--scope",
        "write",
        "--expires-days",
        "30",
    ]);
    assert_eq!(made.code, 0, "{made:?}");
    let token = made.stdout.trim().to_owned();
    assert!(token.starts_with("ward_"), "{token}");

    // A release, signed with a key made by ward.
    let key = dir.path().join("release.key");
    let made = ward(&[
        "key",
        "generate",
        "--format",
        "minisign",
        "--unencrypted",
        "-o",
        key.to_str().unwrap(),
    ]);
    assert_eq!(made.code, 0, "{made:?}");
    let artifact = dir.path().join("ward-1.0.0.tar.gz");
    std::fs::write(&artifact, b"the release's bytes").unwrap();
    let signed = ward(&[
        "sign",
        artifact.to_str().unwrap(),
        "--key",
        key.to_str().unwrap(),
    ]);
    assert_eq!(signed.code, 0, "{signed:?}");
    let signature = dir.path().join("ward-1.0.0.tar.gz.minisig");
    let public = dir.path().join("release.key.pub");

    let serving = Serving::start_with_accounts(dir.path(), free_port());
    let verify_logged = || {
        ward(&[
            "verify",
            artifact.to_str().unwrap(),
            "--key",
            public.to_str().unwrap(),
            "--log",
            &serving.base,
            "--log-state",
            state_arg,
        ])
    };
    let run = verify_logged();
    assert_eq!(run.code, 1, "not logged yet: {run:?}");
    assert!(
        run.stdout
            .contains("Signature and comment signature verified"),
        "{run:?}"
    );
    assert!(run.stderr.contains("never registered"), "{}", run.stderr);

    let add = Command::new(env!("CARGO_BIN_EXE_ward"))
        .args(["log", "add", signature.to_str().unwrap(), "--file"])
        .arg(&artifact)
        .args(["--url", &serving.base, "--state-dir", state_arg])
        .env("WARD_TOKEN", &token)
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&add.stdout);
    assert!(add.status.success(), "{add:?}");
    assert!(stdout.contains("as entry"), "{stdout}");

    let run = verify_logged();
    assert_eq!(run.code, 0, "{run:?}");
    assert!(run.stdout.contains("Logged: entry"), "{}", run.stdout);

    // The same signature over other bytes fails before the log is asked.
    std::fs::write(&artifact, b"the release's bytes, altered").unwrap();
    let run = verify_logged();
    assert_eq!(run.code, 1, "{run:?}");
    assert!(!run.stdout.contains("Logged"), "{}", run.stdout);

    // A token without the write scope is refused.
    let refused = Command::new(env!("CARGO_BIN_EXE_ward"))
        .args(["log", "add", signature.to_str().unwrap(), "--file"])
        .arg(&artifact)
        .args(["--url", &serving.base, "--state-dir", state_arg])
        .env("WARD_TOKEN", "ward_not-a-token")
        .output()
        .unwrap();
    assert!(!refused.status.success());
    assert!(
        String::from_utf8_lossy(&refused.stderr).contains("401"),
        "{refused:?}"
    );
    assert_eq!(serving.stop().code(), Some(0));
}
