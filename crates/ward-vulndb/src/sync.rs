//! Bringing configured sources up to date: OSV dumps over HTTP(S) and local git checkouts.
//!
//! Traps:
//! - **Each source is its own transaction**, so one unreachable server does not undo the
//!   others; its failure is reported in its [`SyncOutcome`] and the rest go on.
//! - **URL sources** follow OSV.dev's layout, incrementally where it can (see `sync/url.rs`).
//! - **Git checkouts are read from the work tree**, not from git objects: ward records the
//!   commit `HEAD` names (read from `.git` itself, see `git.rs`) and skips a source whose
//!   commit has not changed since its last sync. A directory that is not a git checkout is
//!   read on every sync.
//! - **Nothing is deleted by a sync**: databases withdraw records rather than remove them,
//!   and a record missing from one dump may still be right in another source.
//! - **`ecosystems`** keeps only records with a package in one of the listed ecosystems
//!   (names without suffix, any case); the others are counted as filtered.

use std::fs;
use std::path::{Path, PathBuf};
use std::str::FromStr;

use rusqlite::{OptionalExtension, Transaction, params};
use ward_version::Ecosystem;

use crate::import::{self, Progress, Sink, SourceReport};
use crate::{Database, Error, git};

mod url;

/// A source of advisories, as configured in `ward.toml` (`[[db.source]]`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Source {
    /// The name records and statistics are attributed to.
    pub name: String,
    /// Where the data is.
    pub location: Location,
    /// Only records about packages in these ecosystems; all when empty.
    pub ecosystems: Vec<String>,
    /// Allow plain `http://` for a host other than the loopback addresses.
    pub allow_http: bool,
}

/// Where a source's data is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Location {
    /// An HTTP(S) URL of an OSV `.zip` dump (or a `.tar.zst` archive).
    Url(String),
    /// A local directory (a git checkout of an advisory database), file or archive.
    Path(PathBuf),
}

/// What syncing each source did.
#[derive(Debug, Default)]
pub struct SyncReport {
    /// One per source, in the order given.
    pub sources: Vec<SyncOutcome>,
}

/// What syncing one source did, or why it failed.
#[derive(Debug)]
pub struct SyncOutcome {
    /// The source's name.
    pub source: String,
    /// What happened; a failure leaves the source's data as it was.
    pub result: Result<SyncAction, Error>,
    /// What happened to each record read (empty when nothing was read).
    pub report: SourceReport,
}

/// How a source was brought up to date.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum SyncAction {
    /// The server answered `304 Not Modified`, or `modified_id.csv` listed nothing new.
    NotModified,
    /// The checkout is at the commit of the last sync.
    UnchangedCommit(String),
    /// The whole dump was downloaded and read.
    Downloaded {
        /// Bytes downloaded.
        bytes: u64,
    },
    /// Only records newer than the last sync were fetched.
    Incremental {
        /// Records fetched.
        fetched: usize,
    },
    /// A local checkout, file or archive was read.
    Read {
        /// The checkout's commit, when it is a git checkout.
        revision: Option<String>,
    },
}

/// A row of the `sources` table.
#[derive(Debug, Clone, Default)]
pub(crate) struct SourceState {
    pub(crate) name: String,
    pub(crate) kind: String,
    pub(crate) location: String,
    pub(crate) etag: Option<String>,
    pub(crate) last_modified: Option<String>,
    pub(crate) cursor_us: Option<i64>,
    pub(crate) revision: Option<String>,
}

impl Database {
    /// Brings each source up to date, each in its own transaction.
    ///
    /// # Errors
    ///
    /// Only when the database itself cannot be read; a source's own failure is in its
    /// [`SyncOutcome`].
    pub fn sync(
        &mut self,
        sources: &[Source],
        progress: &mut dyn Progress,
    ) -> Result<SyncReport, Error> {
        let mut report = SyncReport::default();
        for source in sources {
            let state = self
                .source_state(&source.name)?
                .filter(|s| s.location == location_text(&source.location));
            let mut records = SourceReport {
                source: source.name.clone(),
                ..SourceReport::default()
            };
            let result = match &source.location {
                Location::Url(url) => self.sync_url(source, url, state, progress, &mut records),
                Location::Path(path) => self.sync_path(source, path, state, progress, &mut records),
            };
            report.sources.push(SyncOutcome {
                source: source.name.clone(),
                result,
                report: records,
            });
        }
        Ok(report)
    }

    fn source_state(&self, name: &str) -> Result<Option<SourceState>, Error> {
        self.conn
            .query_row(
                "SELECT name, kind, location, etag, last_modified, cursor_us, revision
                 FROM sources WHERE name = ?1",
                [name],
                |r| {
                    Ok(SourceState {
                        name: r.get(0)?,
                        kind: r.get(1)?,
                        location: r.get(2)?,
                        etag: r.get(3)?,
                        last_modified: r.get(4)?,
                        cursor_us: r.get(5)?,
                        revision: r.get(6)?,
                    })
                },
            )
            .optional()
            .map_err(Error::sql(format!("reading the state of source {name}")))
    }

    fn sync_path(
        &mut self,
        source: &Source,
        path: &Path,
        state: Option<SourceState>,
        progress: &mut dyn Progress,
        records: &mut SourceReport,
    ) -> Result<SyncAction, Error> {
        let filter = ecosystem_filter(&source.ecosystems)?;
        let revision = if path.is_dir() {
            git::head(path)?
        } else {
            None
        };
        if let (Some(now), Some(before)) =
            (&revision, state.as_ref().and_then(|s| s.revision.as_ref()))
            && now == before
        {
            return Ok(SyncAction::UnchangedCommit(now.clone()));
        }
        let input = import::resolve(path)?;
        let next = SourceState {
            name: source.name.clone(),
            kind: if revision.is_some() {
                "git".into()
            } else {
                input.kind.name().into()
            },
            location: location_text(&source.location),
            revision: revision.clone(),
            ..SourceState::default()
        };
        let limits = self.limits;
        let tx = self.transaction()?;
        let mut sink = Sink::new(&tx, &source.name, limits, filter);
        progress.stage(&format!("reading {}", path.display()));
        progress.start(Some(input.bytes));
        let read = import::read(&input, &mut sink, progress);
        progress.finish();
        read?;
        record_source(&tx, &next)?;
        *records = sink.report;
        tx.commit().map_err(Error::sql("committing the sync"))?;
        Ok(SyncAction::Read { revision })
    }

    pub(crate) fn transaction(&mut self) -> Result<Transaction<'_>, Error> {
        self.conn
            .transaction()
            .map_err(Error::sql("starting the sync"))
    }

    /// Records that `state`'s source was checked just now and is current.
    pub(crate) fn touch(&mut self, state: &SourceState) -> Result<(), Error> {
        let tx = self.transaction()?;
        record_source(&tx, state)?;
        tx.commit().map_err(Error::sql("recording the sync"))
    }
}

/// Stores a source's state, with `imported_at` now.
pub(crate) fn record_source(tx: &Transaction<'_>, state: &SourceState) -> Result<(), Error> {
    tx.execute(
        "INSERT INTO sources (name, kind, location, etag, last_modified, cursor_us, revision,
             imported_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)
         ON CONFLICT (name) DO UPDATE SET kind = ?2, location = ?3, etag = ?4,
             last_modified = ?5, cursor_us = ?6, revision = ?7, imported_at = ?8",
        params![
            state.name,
            state.kind,
            state.location,
            state.etag,
            state.last_modified,
            state.cursor_us,
            state.revision,
            jiff::Timestamp::now().to_string(),
        ],
    )
    .map(drop)
    .map_err(Error::sql(format!("recording source {}", state.name)))
}

pub(crate) fn ecosystem_filter(ecosystems: &[String]) -> Result<Option<Vec<String>>, Error> {
    if ecosystems.is_empty() {
        return Ok(None);
    }
    ecosystems
        .iter()
        .map(|e| {
            Ecosystem::from_str(e)
                .map(|e| e.name().to_owned())
                .map_err(|_| Error::InvalidEcosystem(e.clone()))
        })
        .collect::<Result<Vec<_>, _>>()
        .map(Some)
}

fn location_text(location: &Location) -> String {
    match location {
        Location::Url(url) => url.clone(),
        Location::Path(path) => fs::canonicalize(path)
            .unwrap_or_else(|_| path.clone())
            .display()
            .to_string(),
    }
}
