//! What the database holds, and single records by id or alias.
//!
//! Traps:
//! - **A record counts once per ecosystem it affects**: a record about a PyPI and a Go package
//!   is in both ecosystems' counts, so they can add up to more than [`Stats::records`].
//! - **Withdrawn records are counted** in [`Stats::records`] and [`Stats::withdrawn`], but in
//!   no ecosystem: they have no package rows, since they never match.
//! - **Lookup ignores ASCII case** and finds every record that *is* or *aliases* the id: a CVE
//!   usually finds a GHSA record and the ecosystem's own, each returned whole.

use std::io::Read;

use serde::Serialize;
use ward_advisory::Vulnerability;

use crate::{Database, Error};

/// Counts and ages of the data, for `ward db stats`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Stats {
    /// The database file.
    pub path: String,
    /// Records stored, withdrawn ones included.
    pub records: u64,
    /// Records withdrawn.
    pub withdrawn: u64,
    /// The newest `modified` of any record (RFC 3339), if there is a record.
    pub newest_modified: Option<String>,
    /// Per ecosystem (canonical name, no suffix), by name.
    pub ecosystems: Vec<EcosystemStats>,
    /// Per source, by name.
    pub sources: Vec<SourceStats>,
}

/// One ecosystem's share of the data.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct EcosystemStats {
    /// `PyPI`, `crates.io`, `Debian`...
    pub ecosystem: String,
    /// Records (not withdrawn) with at least one package in it.
    pub records: u64,
    /// Distinct packages named.
    pub packages: u64,
}

/// One source's share of the data and when it was last brought in.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SourceStats {
    /// The configured name, or the canonical path of an imported file or directory.
    pub name: String,
    /// `url`, `git`, `directory`, `file`, `zip`, `tar.zst`.
    pub kind: String,
    /// The URL or path.
    pub location: String,
    /// Records currently attributed to it (a record belongs to the source that last stored
    /// it).
    pub records: u64,
    /// When it was last imported or synced (RFC 3339).
    pub imported_at: String,
    /// The git commit of a checkout, when known.
    pub revision: Option<String>,
    /// The `ETag` of the last download, when the server sent one.
    pub etag: Option<String>,
}

/// How many records there are and how new the newest is: what a scan reports about the
/// database, read without walking it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Overview {
    /// Records stored, withdrawn ones included.
    pub records: u64,
    /// The newest `modified` of any record (RFC 3339), if there is a record.
    pub newest_modified: Option<String>,
}

impl Database {
    /// The record count and the newest `modified`, from indexes only (fast at any size,
    /// unlike [`Database::stats`], which reads every package row).
    ///
    /// # Errors
    ///
    /// When the database cannot be read.
    pub fn overview(&self) -> Result<Overview, Error> {
        let (records, newest_us): (i64, Option<i64>) = self
            .conn
            .query_row(
                "SELECT (SELECT count(*) FROM records), (SELECT max(modified_us) FROM records)",
                [],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .map_err(Error::sql("counting records"))?;
        Ok(Overview {
            records: count(records),
            newest_modified: newest_us
                .and_then(|us| jiff::Timestamp::from_microsecond(us).ok())
                .map(|t| t.to_string()),
        })
    }

    /// Counts of records per ecosystem and source, and how old the data is.
    ///
    /// # Errors
    ///
    /// When the database cannot be read.
    pub fn stats(&self) -> Result<Stats, Error> {
        let err = Error::sql;
        let (records, withdrawn, newest_us): (i64, i64, Option<i64>) = self
            .conn
            .query_row(
                "SELECT count(*), count(withdrawn), max(modified_us) FROM records",
                [],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
            )
            .map_err(err("counting records"))?;
        let newest_modified = newest_us
            .and_then(|us| jiff::Timestamp::from_microsecond(us).ok())
            .map(|t| t.to_string());
        let ecosystems = self
            .conn
            .prepare(
                "SELECT ecosystem_key, count(DISTINCT record), count(DISTINCT name)
                 FROM affected GROUP BY ecosystem_key ORDER BY ecosystem_key",
            )
            .and_then(|mut s| {
                s.query_map([], |r| {
                    Ok(EcosystemStats {
                        ecosystem: r.get(0)?,
                        records: count(r.get(1)?),
                        packages: count(r.get(2)?),
                    })
                })?
                .collect::<Result<Vec<_>, _>>()
            })
            .map_err(err("counting records per ecosystem"))?;
        let sources = self
            .conn
            .prepare(
                "SELECT s.name, s.kind, s.location,
                        (SELECT count(*) FROM records r WHERE r.source = s.name),
                        s.imported_at, s.revision, s.etag
                 FROM sources s ORDER BY s.name",
            )
            .and_then(|mut s| {
                s.query_map([], |r| {
                    Ok(SourceStats {
                        name: r.get(0)?,
                        kind: r.get(1)?,
                        location: r.get(2)?,
                        records: count(r.get(3)?),
                        imported_at: r.get(4)?,
                        revision: r.get(5)?,
                        etag: r.get(6)?,
                    })
                })?
                .collect::<Result<Vec<_>, _>>()
            })
            .map_err(err("counting records per source"))?;
        Ok(Stats {
            path: self.path.display().to_string(),
            records: count(records),
            withdrawn: count(withdrawn),
            newest_modified,
            ecosystems,
            sources,
        })
    }

    /// Every record whose id is `id_or_alias` or that lists it as an alias (ignoring ASCII
    /// case): the record with that id first, then the others by id. Empty when none.
    ///
    /// # Errors
    ///
    /// When the database cannot be read or a stored record does not read back.
    pub fn show(&self, id_or_alias: &str) -> Result<Vec<Vulnerability>, Error> {
        let blobs: Vec<(String, Vec<u8>)> = self
            .conn
            .prepare_cached(
                "SELECT r.id, r.osv FROM aliases a JOIN records r ON r.id = a.record
                 WHERE a.alias = ?1
                 ORDER BY r.id <> ?1 COLLATE NOCASE, r.id",
            )
            .and_then(|mut s| {
                s.query_map([id_or_alias], |r| Ok((r.get(0)?, r.get(1)?)))?
                    .collect::<Result<Vec<_>, _>>()
            })
            .map_err(Error::sql(format!("looking up {id_or_alias}")))?;
        blobs
            .into_iter()
            .map(|(id, blob)| decode(&id, &blob))
            .collect()
    }
}

/// A stored record: zstd-compressed OSV JSON.
fn decode(id: &str, blob: &[u8]) -> Result<Vulnerability, Error> {
    let corrupt = |what: String| Error::Corrupt {
        what: format!("record {id}: {what}"),
    };
    let mut json = Vec::new();
    ruzstd::decoding::StreamingDecoder::new(blob)
        .map_err(|e| corrupt(e.to_string()))?
        .read_to_end(&mut json)
        .map_err(|e| corrupt(e.to_string()))?;
    serde_json::from_slice(&json).map_err(|e| corrupt(e.to_string()))
}

fn count(n: i64) -> u64 {
    u64::try_from(n).unwrap_or(0)
}
