//! Bringing configured sources up to date: OSV dumps over HTTP(S) and local git checkouts.
//!
//! Traps:
//! - **Each source is its own transaction**, so one unreachable server does not undo the
//!   others; its failure is reported in its [`SyncOutcome`] and the rest go on.
//! - **Incremental, OSV.dev style.** Next to `<base>/all.zip`, OSV.dev publishes
//!   `<base>/modified_id.csv` (`<RFC 3339 modified>,<id>` lines, newest first) and each record
//!   as `<base>/<id>.json`. After a first full download ward remembers the newest `modified`
//!   it has seen; the next sync reads the CSV and fetches only records modified *after* it (a
//!   record rewritten within the same second as that mark is caught by the next full
//!   download). Every line is read, so the order does not matter. With no CSV (404), or more
//!   than [`crate::Limits::max_incremental`] new records, ward downloads the dump, sending
//!   the stored `ETag` / `Last-Modified` so an unchanged dump costs one `304`.
//! - **Git checkouts are read from the work tree**, not from git objects: ward records the
//!   commit `HEAD` names (read from `.git` itself, see `git.rs`) and skips a source whose
//!   commit has not changed since its last sync. A directory that is not a git checkout is
//!   read on every sync.
//! - **Nothing is deleted by a sync**: databases withdraw records rather than remove them,
//!   and a record missing from one dump may still be right in another source.
//! - **`ecosystems`** keeps only records with a package in one of the listed ecosystems
//!   (names without suffix, any case); the others are counted as filtered.

use std::fs::{self, File, OpenOptions};
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};
use std::str::FromStr;

use rusqlite::{OptionalExtension, Transaction, params};
use ward_advisory::import::Format;
use ward_version::Ecosystem;

use crate::http::{Client, Fetched};
use crate::import::{self, Progress, Sink, SourceReport};
use crate::{Database, Error, archive, git};

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

    fn sync_url(
        &mut self,
        source: &Source,
        url: &str,
        state: Option<SourceState>,
        progress: &mut dyn Progress,
        records: &mut SourceReport,
    ) -> Result<SyncAction, Error> {
        let client = Client::new(url, source.allow_http, self.limits)?;
        let filter = ecosystem_filter(&source.ecosystems)?;
        let mut next = SourceState {
            name: source.name.clone(),
            kind: "url".into(),
            location: url.to_owned(),
            ..state.clone().unwrap_or_default()
        };
        let base = url.strip_suffix("/all.zip");
        if let (Some(base), Some(cursor)) = (base, state.as_ref().and_then(|s| s.cursor_us)) {
            let csv_url = format!("{base}/modified_id.csv");
            progress.stage(&format!("checking {csv_url}"));
            if let Fetched::Body { response, .. } = client.get(&csv_url, None, None)? {
                let csv = client.read(&csv_url, response)?;
                let (newest, ids) = newer_ids(&csv_url, &csv, cursor)?;
                if ids.is_empty() {
                    self.touch(&next)?;
                    return Ok(SyncAction::NotModified);
                }
                if ids.len() <= self.limits.max_incremental {
                    let mut fetched = Vec::with_capacity(ids.len());
                    progress.stage(&format!("fetching {} records from {base}", ids.len()));
                    progress.start(Some(ids.len() as u64));
                    for id in &ids {
                        let record_url = format!("{base}/{}.json", id.replace(' ', "%20"));
                        match client.get(&record_url, None, None)? {
                            Fetched::Body { response, .. } => {
                                fetched.push((client.read(&record_url, response)?, record_url));
                            }
                            _ => {
                                return Err(Error::HttpStatus {
                                    url: record_url,
                                    status: 404,
                                });
                            }
                        }
                        progress.advance(1);
                    }
                    progress.finish();
                    next.cursor_us = Some(newest.max(cursor));
                    let limits = self.limits;
                    let tx = self.transaction()?;
                    let mut sink = Sink::new(&tx, &source.name, limits, filter);
                    for (bytes, origin) in &fetched {
                        sink.record(Format::OsvJson, origin, bytes)?;
                    }
                    record_source(&tx, &next)?;
                    *records = sink.report;
                    tx.commit().map_err(Error::sql("committing the sync"))?;
                    return Ok(SyncAction::Incremental {
                        fetched: fetched.len(),
                    });
                }
            }
        }
        // The whole dump, conditionally.
        let (etag, modified) = match &state {
            Some(s) => (s.etag.as_deref(), s.last_modified.as_deref()),
            None => (None, None),
        };
        progress.stage(&format!("downloading {url}"));
        let (response, etag, last_modified) = match client.get(url, etag, modified)? {
            Fetched::NotModified => {
                self.touch(&next)?;
                return Ok(SyncAction::NotModified);
            }
            Fetched::NotFound => {
                return Err(Error::HttpStatus {
                    url: url.to_owned(),
                    status: 404,
                });
            }
            Fetched::Body {
                response,
                etag,
                last_modified,
            } => (response, etag, last_modified),
        };
        let download = Download::create(self.path.parent().unwrap_or(Path::new(".")), url)?;
        progress.start(response.body().content_length());
        let mut writer = BufWriter::new(&download.file);
        let bytes = client.copy(url, response, &mut writer, progress)?;
        writer
            .flush()
            .map_err(Error::io(&download.path, "writing"))?;
        drop(writer);
        progress.finish();
        next.etag = etag;
        next.last_modified = last_modified;
        let limits = self.limits;
        let tx = self.transaction()?;
        let mut sink = Sink::new(&tx, &source.name, limits, filter);
        progress.stage(&format!("importing {url}"));
        progress.start(Some(bytes));
        let read = if url.ends_with(".tar.zst") {
            archive::read_tar_zst(&download.path, &mut sink, progress)
        } else {
            archive::read_zip(&download.path, &mut sink, progress)
        };
        progress.finish();
        read.map_err(|e| rename_origin(e, &download.path, url))?;
        next.cursor_us = sink.newest_us.or(next.cursor_us);
        record_source(&tx, &next)?;
        *records = sink.report;
        tx.commit().map_err(Error::sql("committing the sync"))?;
        Ok(SyncAction::Downloaded { bytes })
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

    fn transaction(&mut self) -> Result<Transaction<'_>, Error> {
        self.conn
            .transaction()
            .map_err(Error::sql("starting the sync"))
    }

    /// Records that `state`'s source was checked just now and is current.
    fn touch(&mut self, state: &SourceState) -> Result<(), Error> {
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

/// The ids `modified_id.csv` lists as modified after `cursor` (microseconds), and the newest
/// time it lists.
pub(crate) fn newer_ids(url: &str, csv: &[u8], cursor: i64) -> Result<(i64, Vec<String>), Error> {
    let malformed = |line: usize, reason: &str| Error::Malformed {
        origin: format!("{url} line {line}"),
        reason: reason.to_owned(),
    };
    let text = std::str::from_utf8(csv).map_err(|_| malformed(1, "not UTF-8"))?;
    let mut newest = i64::MIN;
    let mut ids = Vec::new();
    for (index, line) in text.lines().enumerate() {
        let line = line.trim();
        if line.is_empty() {
            continue;
        }
        let (time, id) = line
            .split_once(',')
            .ok_or_else(|| malformed(index + 1, "expected `<RFC 3339 time>,<id>`"))?;
        let time = jiff::Timestamp::from_str(time.trim())
            .map_err(|_| malformed(index + 1, "expected an RFC 3339 time before the comma"))?
            .as_microsecond();
        let id = id.trim();
        let safe = !id.is_empty()
            && !id.starts_with('/')
            && !id.split('/').any(|p| p.is_empty() || p == "." || p == "..")
            && id
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || "-_.:/ ".contains(c));
        if !safe {
            return Err(malformed(
                index + 1,
                "expected an advisory id after the comma",
            ));
        }
        newest = newest.max(time);
        if time > cursor {
            ids.push(id.to_owned());
        }
    }
    Ok((newest, ids))
}

fn ecosystem_filter(ecosystems: &[String]) -> Result<Option<Vec<String>>, Error> {
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

/// Errors about the temporary download name the URL instead.
fn rename_origin(error: Error, path: &Path, url: &str) -> Error {
    let shown = path.display().to_string();
    match error {
        Error::Archive {
            origin,
            format,
            source,
        } => Error::Archive {
            origin: origin.replace(&shown, url),
            format,
            source,
        },
        Error::TooLarge {
            origin,
            what,
            size,
            limit,
        } => Error::TooLarge {
            origin: origin.replace(&shown, url),
            what,
            size,
            limit,
        },
        other => other,
    }
}

/// A temporary file next to the database, removed when dropped.
struct Download {
    path: PathBuf,
    file: File,
}

impl Download {
    fn create(dir: &Path, url: &str) -> Result<Download, Error> {
        let extension = if url.ends_with(".tar.zst") {
            "tar.zst"
        } else {
            "zip"
        };
        for attempt in 0..100u32 {
            let path = dir.join(format!(
                ".download-{}-{attempt}.{extension}",
                std::process::id()
            ));
            match OpenOptions::new()
                .read(true)
                .write(true)
                .create_new(true)
                .open(&path)
            {
                Ok(file) => return Ok(Download { path, file }),
                Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => continue,
                Err(e) => return Err(Error::io(path, "creating")(e)),
            }
        }
        Err(Error::Io {
            path: dir.to_owned(),
            action: "creating a temporary file in",
            source: std::io::Error::other("100 temporary download files already exist"),
        })
    }
}

impl Drop for Download {
    fn drop(&mut self) {
        let _ = fs::remove_file(&self.path);
    }
}
