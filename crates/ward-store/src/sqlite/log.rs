//! The transparency log's rows in SQLite; the tree itself is [`crate::tlog`]'s.

use rusqlite::{OptionalExtension, Transaction};
use ward_log::Hash;

use super::journal;
use crate::tlog::{self, HeadRow, LogTx};
use crate::{Error, LogAppended, LogHead, Result, SignCheckpoint};

/// The writer's `BEGIN IMMEDIATE` transaction already holds the file's write lock, so the
/// head needs no lock of its own.
struct Tx<'a, 'c>(&'a Transaction<'c>);

/// SQLite INTEGER is i64; the log's sizes and indexes never come near 2^63.
fn int(n: u64) -> Result<i64> {
    i64::try_from(n).map_err(|_| Error::Invalid(format!("log index {n} is out of range")))
}

fn uint(n: i64, what: &str) -> Result<u64> {
    u64::try_from(n).map_err(|_| Error::Corrupt(format!("the log's {what} is negative")))
}

impl LogTx for Tx<'_, '_> {
    fn lock_head(&mut self) -> Result<HeadRow> {
        let (size, audit_seq) = self
            .0
            .prepare_cached("SELECT size, audit_seq FROM log_head WHERE id = 1")?
            .query_row([], |row| Ok((row.get::<_, i64>(0)?, row.get::<_, i64>(1)?)))?;
        Ok(HeadRow {
            size: uint(size, "size")?,
            audit_seq,
        })
    }

    fn tile(&mut self, level: u8, index: u64) -> Result<Option<Vec<u8>>> {
        tile(self.0, level, index)
    }

    fn put_tile(&mut self, level: u8, index: u64, data: &[u8]) -> Result<()> {
        self.0
            .prepare_cached(
                "INSERT INTO log_tiles (level, idx, data) VALUES (?1, ?2, ?3)
                 ON CONFLICT (level, idx) DO UPDATE SET data = excluded.data",
            )?
            .execute((level, int(index)?, data))?;
        Ok(())
    }

    fn put_entry(&mut self, index: u64, leaf: &Hash, data: &[u8]) -> Result<()> {
        self.0
            .prepare_cached("INSERT INTO log_entries (idx, leaf_hash, data) VALUES (?1, ?2, ?3)")?
            .execute((int(index)?, &leaf.as_bytes()[..], data))?;
        Ok(())
    }

    fn set_head(&mut self, size: u64, audit_seq: i64, checkpoint: &str) -> Result<()> {
        self.0
            .prepare_cached(
                "UPDATE log_head SET size = ?1, audit_seq = ?2, checkpoint = ?3 WHERE id = 1",
            )?
            .execute((int(size)?, audit_seq, checkpoint))?;
        Ok(())
    }
}

pub(super) fn head(tx: &Transaction<'_>) -> Result<Option<LogHead>> {
    let row = tx
        .prepare_cached("SELECT size, audit_seq, checkpoint FROM log_head WHERE id = 1")?
        .query_row([], |row| {
            Ok((
                row.get::<_, i64>(0)?,
                row.get::<_, i64>(1)?,
                row.get::<_, Option<String>>(2)?,
            ))
        })?;
    match row {
        (size, audit_seq, Some(checkpoint)) => Ok(Some(LogHead {
            size: uint(size, "size")?,
            audit_seq,
            checkpoint,
        })),
        _ => Ok(None),
    }
}

pub(super) fn append(
    tx: &Transaction<'_>,
    entries: &[Vec<u8>],
    sign: SignCheckpoint<'_>,
) -> Result<LogAppended> {
    tlog::append(&mut Tx(tx), &tlog::pending(entries), sign)
}

pub(super) fn append_audit(
    tx: &Transaction<'_>,
    limit: u32,
    sign: SignCheckpoint<'_>,
) -> Result<Option<LogAppended>> {
    let after: i64 = tx
        .prepare_cached("SELECT audit_seq FROM log_head WHERE id = 1")?
        .query_row([], |row| row.get(0))?;
    let events = journal::events(tx, after, limit)?;
    if events.is_empty() {
        return Ok(None);
    }
    tlog::append(&mut Tx(tx), &tlog::pending_audit(&events), sign).map(Some)
}

pub(super) fn tile(tx: &Transaction<'_>, level: u8, index: u64) -> Result<Option<Vec<u8>>> {
    Ok(tx
        .prepare_cached("SELECT data FROM log_tiles WHERE level = ?1 AND idx = ?2")?
        .query_row((level, int(index)?), |row| row.get(0))
        .optional()?)
}

pub(super) fn entries(tx: &Transaction<'_>, first: u64, count: u32) -> Result<Vec<Vec<u8>>> {
    let mut stmt =
        tx.prepare_cached("SELECT data FROM log_entries WHERE idx >= ?1 ORDER BY idx LIMIT ?2")?;
    let rows = stmt.query_map((int(first)?, count), |row| row.get(0))?;
    Ok(rows.collect::<Result<_, _>>()?)
}

pub(super) fn find(tx: &Transaction<'_>, leaf: &Hash) -> Result<Option<u64>> {
    let idx: Option<i64> = tx
        .prepare_cached("SELECT min(idx) FROM log_entries WHERE leaf_hash = ?1")?
        .query_row([&leaf.as_bytes()[..]], |row| row.get(0))?;
    idx.map(|i| uint(i, "entry index")).transpose()
}
