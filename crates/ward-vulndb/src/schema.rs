//! The SQLite schema and its migrations.
//!
//! Traps:
//! - **Applied migrations are never edited.** `PRAGMA user_version` counts the migrations a
//!   file has had; a change of schema is a new entry at the end of [`MIGRATIONS`]. A file
//!   whose version is higher than ward knows is refused rather than misread.
//! - **Timestamps sort as integers.** OSV writes `2024-01-01T00:00:00Z` and
//!   `2024-01-01T00:00:00.5Z`; as text the second sorts first. `modified_us` holds microseconds
//!   since the Unix epoch for every comparison, `modified` the text as written.
//! - **Ids and aliases are compared ignoring ASCII case** (`cve-2021-44228` finds
//!   `CVE-2021-44228`) but kept as written: GHSA ids are lower case after the prefix.
//! - **One row per `affected[]` entry**, keyed by the ecosystem's canonical name without its
//!   suffix (`Debian` for `Debian:12`) and the name as `ward_advisory::name::normalize` folds
//!   it, so a scan reads only the rows of its packages and never the raw records. The table
//!   is clustered on that key (`WITHOUT ROWID`), so a package's rows are one range of one
//!   B-tree, and carries the record's summary and aliases, so matching joins nothing.
//! - **Withdrawn records have no `affected` rows**: they can never match, and the matcher
//!   need not filter them out.

use rusqlite::Connection;

use crate::Error;

/// Each migration, in order; the `n`-th brings a file from `user_version` `n` to `n + 1`.
const MIGRATIONS: &[&str] = &[
    // 1: the first schema.
    "
    CREATE TABLE records (
        id TEXT PRIMARY KEY COLLATE NOCASE,
        source TEXT NOT NULL,
        modified TEXT NOT NULL,
        modified_us INTEGER NOT NULL,
        published TEXT,
        withdrawn TEXT,
        summary TEXT,
        severity_level INTEGER,
        severity_score REAL,
        severity_source TEXT,
        aliases TEXT NOT NULL,
        osv BLOB NOT NULL
    );
    CREATE INDEX records_source ON records(source);

    CREATE TABLE aliases (
        alias TEXT NOT NULL COLLATE NOCASE,
        record TEXT NOT NULL COLLATE NOCASE REFERENCES records(id) ON DELETE CASCADE,
        PRIMARY KEY (alias, record)
    ) WITHOUT ROWID;
    CREATE INDEX aliases_record ON aliases(record);

    CREATE TABLE affected (
        ecosystem_key TEXT NOT NULL,
        name TEXT NOT NULL,
        record TEXT NOT NULL COLLATE NOCASE REFERENCES records(id) ON DELETE CASCADE,
        position INTEGER NOT NULL,
        ecosystem TEXT NOT NULL,
        ecosystem_suffix TEXT,
        package TEXT NOT NULL,
        severity_level INTEGER,
        severity_score REAL,
        severity_source TEXT,
        informational TEXT,
        last_known_affected TEXT,
        ranges TEXT NOT NULL,
        summary TEXT,
        aliases TEXT NOT NULL,
        PRIMARY KEY (ecosystem_key, name, record, position)
    ) WITHOUT ROWID;
    CREATE INDEX affected_record ON affected(record);

    CREATE TABLE sources (
        name TEXT PRIMARY KEY,
        kind TEXT NOT NULL,
        location TEXT NOT NULL,
        etag TEXT,
        last_modified TEXT,
        cursor_us INTEGER,
        revision TEXT,
        imported_at TEXT NOT NULL
    );
    ",
    // 2: the age of the data in O(log n), for the line every scan prints.
    "
    CREATE INDEX records_modified ON records(modified_us);
    ",
];

/// The schema version this ward writes and reads.
pub(crate) const VERSION: i64 = MIGRATIONS.len() as i64;

/// Sets the connection's pragmas and brings the schema up to date.
pub(crate) fn prepare(conn: &mut Connection, path: &std::path::Path) -> Result<(), Error> {
    // WAL lets a scan read while an import writes; NORMAL is durable across application
    // crashes in WAL mode (only a power loss can drop the last transactions, never corrupt).
    conn.pragma_update(None, "journal_mode", "WAL")
        .map_err(Error::sql("setting WAL mode"))?;
    conn.pragma_update(None, "synchronous", "NORMAL")
        .map_err(Error::sql("setting synchronous mode"))?;
    conn.pragma_update(None, "foreign_keys", true)
        .map_err(Error::sql("enabling foreign keys"))?;
    conn.busy_timeout(std::time::Duration::from_secs(10))
        .map_err(Error::sql("setting the busy timeout"))?;

    // Each step reads the version inside an immediate (write-locked) transaction, so two
    // processes opening a new file at once do not both run a migration.
    loop {
        let tx = conn
            .transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)
            .map_err(Error::sql("starting a migration"))?;
        let found: i64 = tx
            .pragma_query_value(None, "user_version", |row| row.get(0))
            .map_err(Error::sql("reading the schema version"))?;
        if found > VERSION {
            return Err(Error::NewerSchema {
                path: path.to_owned(),
                found,
                supported: VERSION,
            });
        }
        let Ok(applied) = usize::try_from(found) else {
            return Err(Error::Corrupt {
                what: format!("{}: schema version {found}", path.display()),
            });
        };
        let Some(migration) = MIGRATIONS.get(applied) else {
            return Ok(());
        };
        let to = found + 1;
        tx.execute_batch(migration)
            .map_err(Error::sql(format!("migrating the schema to version {to}")))?;
        tx.pragma_update(None, "user_version", to)
            .map_err(Error::sql("recording the schema version"))?;
        tx.commit()
            .map_err(Error::sql(format!("committing schema version {to}")))?;
    }
}
