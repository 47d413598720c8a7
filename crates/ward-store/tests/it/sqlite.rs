//! What only the SQLite backend has: the file's permissions, WAL, readers beside a writer,
//! the append-only audit table.

use std::time::{Duration, Instant};

use ward_desk::access::Visibility;
use ward_store::InboxQuery;

use crate::backends::Db;
use crate::suite::{ev, new_report, t};

#[cfg(unix)]
#[test]
fn the_directory_and_the_files_are_private() {
    use std::os::unix::fs::PermissionsExt;
    let db = Db::sqlite();
    db.store()
        .create_report(&new_report(t(0), None), &[], &ev("report.submit"))
        .unwrap();
    let path = db.sqlite_path().unwrap();
    let mode = |p: &std::path::Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode(path.parent().unwrap()), 0o700, "the data directory");
    assert_eq!(mode(path), 0o600, "the database");
    for suffix in ["-wal", "-shm"] {
        let side = path.with_file_name(format!("ward.db{suffix}"));
        assert_eq!(mode(&side), 0o600, "{}", side.display());
    }
}

#[test]
fn the_file_is_in_wal_mode() {
    let db = Db::sqlite();
    let conn = rusqlite::Connection::open(db.sqlite_path().unwrap()).unwrap();
    let mode: String = conn
        .query_row("PRAGMA journal_mode", [], |r| r.get(0))
        .unwrap();
    assert_eq!(mode, "wal");
}

/// Another connection holds the write lock with a change not committed: the store's reads
/// go on, from the last committed state, without waiting.
#[test]
fn readers_do_not_wait_for_a_writer() {
    let db = Db::sqlite();
    let s = db.store();
    s.create_report(&new_report(t(0), None), &[], &ev("report.submit"))
        .unwrap();
    let mut other = rusqlite::Connection::open(db.sqlite_path().unwrap()).unwrap();
    let tx = other
        .transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)
        .unwrap();
    tx.execute(
        "INSERT INTO setup_links (token_hash, expires_at) VALUES (x'00', 0)",
        [],
    )
    .unwrap();
    let start = Instant::now();
    let page = s
        .inbox(&InboxQuery {
            visibility: Visibility::All,
            state: None,
            include_done: true,
            limit: 10,
            offset: 0,
        })
        .unwrap();
    assert_eq!(page.total, 1);
    assert_eq!(s.events(0, 10).unwrap().len(), 1);
    assert!(
        start.elapsed() < Duration::from_secs(1),
        "{:?}",
        start.elapsed()
    );
    tx.rollback().unwrap();
}

#[test]
fn audit_events_cannot_be_edited_or_deleted_through_sql() {
    let db = Db::sqlite();
    db.store().append_event(&ev("user.login")).unwrap();
    let conn = rusqlite::Connection::open(db.sqlite_path().unwrap()).unwrap();
    for sql in [
        "UPDATE audit_events SET detail = '{\"forged\":1}'",
        "DELETE FROM audit_events",
    ] {
        let err = conn.execute(sql, []).unwrap_err();
        assert!(err.to_string().contains("append-only"), "{sql}: {err}");
    }
    assert_eq!(db.store().events(0, 10).unwrap().len(), 1);
}

#[test]
fn a_file_that_is_not_a_database_is_an_error_not_a_panic() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("ward.db");
    std::fs::write(
        &path,
        b"this is not an SQLite database, just some text in a file",
    )
    .unwrap();
    let key = ward_desk::seal::Secret::load_or_create(dir.path(), "audit").unwrap();
    let err = ward_store::open(&ward_store::Location::Sqlite(path), key).unwrap_err();
    assert!(matches!(err, ward_store::Error::Sqlite(_)), "{err:?}");
}
