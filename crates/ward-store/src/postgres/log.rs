//! The transparency log's rows in PostgreSQL; the tree itself is [`crate::tlog`]'s.
//!
//! An append locks the one `log_head` row (`SELECT ... FOR UPDATE`) first: appenders on every
//! replica take turns, each reading the head and the edge tiles the previous one committed.

use postgres::{GenericClient, Transaction};
use ward_log::Hash;

use super::journal;
use crate::tlog::{self, HeadRow, LogTx};
use crate::{Error, LogAppended, LogHead, Result, SignCheckpoint};

struct Tx<'a, 'c>(&'a mut Transaction<'c>);

fn int(n: u64) -> Result<i64> {
    i64::try_from(n).map_err(|_| Error::Invalid(format!("log index {n} is out of range")))
}

fn uint(n: i64, what: &str) -> Result<u64> {
    u64::try_from(n).map_err(|_| Error::Corrupt(format!("the log's {what} is negative")))
}

impl LogTx for Tx<'_, '_> {
    fn lock_head(&mut self) -> Result<HeadRow> {
        let row = self.0.query_one(
            "SELECT size, audit_seq FROM log_head WHERE id = 1 FOR UPDATE",
            &[],
        )?;
        Ok(HeadRow {
            size: uint(row.try_get(0)?, "size")?,
            audit_seq: row.try_get(1)?,
        })
    }

    fn tile(&mut self, level: u8, index: u64) -> Result<Option<Vec<u8>>> {
        tile(self.0, level, index)
    }

    fn put_tile(&mut self, level: u8, index: u64, data: &[u8]) -> Result<()> {
        self.0.execute(
            "INSERT INTO log_tiles (level, idx, data) VALUES ($1, $2, $3)
             ON CONFLICT (level, idx) DO UPDATE SET data = excluded.data",
            &[&i16::from(level), &int(index)?, &data],
        )?;
        Ok(())
    }

    fn put_entry(&mut self, index: u64, leaf: &Hash, data: &[u8]) -> Result<()> {
        self.0.execute(
            "INSERT INTO log_entries (idx, leaf_hash, data) VALUES ($1, $2, $3)",
            &[&int(index)?, &&leaf.as_bytes()[..], &data],
        )?;
        Ok(())
    }

    fn set_head(&mut self, size: u64, audit_seq: i64, checkpoint: &str) -> Result<()> {
        self.0.execute(
            "UPDATE log_head SET size = $1, audit_seq = $2, checkpoint = $3 WHERE id = 1",
            &[&int(size)?, &audit_seq, &checkpoint],
        )?;
        Ok(())
    }
}

pub(super) fn head(c: &mut impl GenericClient) -> Result<Option<LogHead>> {
    let row = c.query_one(
        "SELECT size, audit_seq, checkpoint FROM log_head WHERE id = 1",
        &[],
    )?;
    let checkpoint: Option<String> = row.try_get(2)?;
    match checkpoint {
        Some(checkpoint) => Ok(Some(LogHead {
            size: uint(row.try_get(0)?, "size")?,
            audit_seq: row.try_get(1)?,
            checkpoint,
        })),
        None => Ok(None),
    }
}

pub(super) fn append(
    tx: &mut Transaction<'_>,
    entries: &[Vec<u8>],
    sign: SignCheckpoint<'_>,
) -> Result<LogAppended> {
    tlog::append(&mut Tx(tx), &tlog::pending(entries), sign)
}

pub(super) fn append_audit(
    tx: &mut Transaction<'_>,
    limit: u32,
    sign: SignCheckpoint<'_>,
) -> Result<Option<LogAppended>> {
    // The head's lock first, so two replicas never read the same events to log.
    let after: i64 = tx
        .query_one(
            "SELECT audit_seq FROM log_head WHERE id = 1 FOR UPDATE",
            &[],
        )?
        .try_get(0)?;
    let events = journal::events(tx, after, limit)?;
    if events.is_empty() {
        return Ok(None);
    }
    tlog::append(&mut Tx(tx), &tlog::pending_audit(&events), sign).map(Some)
}

pub(super) fn tile(c: &mut impl GenericClient, level: u8, index: u64) -> Result<Option<Vec<u8>>> {
    Ok(c.query_opt(
        "SELECT data FROM log_tiles WHERE level = $1 AND idx = $2",
        &[&i16::from(level), &int(index)?],
    )?
    .map(|row| row.try_get(0))
    .transpose()?)
}

pub(super) fn entries(c: &mut impl GenericClient, first: u64, count: u32) -> Result<Vec<Vec<u8>>> {
    c.query(
        "SELECT data FROM log_entries WHERE idx >= $1 ORDER BY idx LIMIT $2",
        &[&int(first)?, &i64::from(count)],
    )?
    .iter()
    .map(|row| Ok(row.try_get(0)?))
    .collect()
}

pub(super) fn find(c: &mut impl GenericClient, leaf: &Hash) -> Result<Option<u64>> {
    let idx: Option<i64> = c
        .query_one(
            "SELECT min(idx) FROM log_entries WHERE leaf_hash = $1",
            &[&&leaf.as_bytes()[..]],
        )?
        .try_get(0)?;
    idx.map(|i| uint(i, "entry index")).transpose()
}
