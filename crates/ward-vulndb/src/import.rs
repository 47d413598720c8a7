//! Importing advisory files, directories and archives: what each record did, and progress.
//!
//! Traps:
//! - **One transaction per import.** Everything an import writes is committed at the end or
//!   not at all: a process that dies mid-import leaves the database as it was, and so does a
//!   failure of the input as a whole (an unreadable file, a corrupt archive, an archive past
//!   its size limits). A *record* that fails validation is not such a failure: it is listed
//!   in the report with its origin and reason, and skipped.
//! - **What a file is, is decided by its path** (`ward_advisory::import::detect`): inside a
//!   directory or archive, files that are not advisories (READMEs, `index.json`, licences),
//!   and JSON that turns out not to be a record, are passed over and only counted. A path
//!   given explicitly must be something ward imports. `detect` sees the path below the
//!   directory imported, after the (at most three) directories above it that are not hidden:
//!   an advisory database checked out under `~/.cache` is not a hidden file, but
//!   `.github/workflows/ci.yml` inside it is.
//! - **Directories are walked recursively**, in name order (reports are deterministic), into
//!   `.zip` and `.tar.zst` archives found there but not into archives inside archives;
//!   `.git` and symbolic links are not followed (a link can make a walk endless).
//! - **Progress counts bytes of input** (compressed bytes for archives): the one measure
//!   known before reading for every kind of input.

use std::fs;
use std::path::{Path, PathBuf};

use rusqlite::Transaction;
use serde::Serialize;
use ward_advisory::import::{Format, detect, parse};

use crate::store::{self, Outcome};
use crate::{Error, Limits, archive};

/// Reports how far a long operation has got. The CLI draws a progress bar with it.
pub trait Progress {
    /// Starts a stage of `total` units (bytes of input), when known.
    fn start(&mut self, total: Option<u64>);
    /// `n` more units are done.
    fn advance(&mut self, n: u64);
    /// The stage is over.
    fn finish(&mut self);
    /// Names what the next stage does (`downloading https://...`); by default ignored.
    fn stage(&mut self, what: &str) {
        let _ = what;
    }
}

/// A [`Progress`] that shows nothing.
#[derive(Debug, Default, Clone, Copy)]
pub struct NoProgress;

impl Progress for NoProgress {
    fn start(&mut self, _total: Option<u64>) {}
    fn advance(&mut self, _n: u64) {}
    fn finish(&mut self) {}
}

/// What an import did, per source.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct ImportReport {
    /// One entry per path imported (or per synced source), in order.
    pub sources: Vec<SourceReport>,
}

/// What importing one source did to each of its records.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct SourceReport {
    /// The source's name: the canonical path for `import`, the configured name for `sync`.
    pub source: String,
    /// Records whose id was new.
    pub added: u64,
    /// Records that replaced a stored record with the same id and an older or equal
    /// `modified`.
    pub replaced: u64,
    /// Records identical to the stored one.
    pub unchanged: u64,
    /// Records older than the stored one with the same id, which was kept.
    pub kept_newer: u64,
    /// Records left out because none of their packages is in the source's `ecosystems`.
    pub filtered: u64,
    /// Files that turned out not to be advisories (a JSON object without `id` and
    /// `modified`); skipped.
    pub not_advisories: u64,
    /// Records ward leaves out on purpose (RustSec's advisories about the Rust toolchain,
    /// which name no package), with where they came from and why.
    pub left_out: Vec<Rejected>,
    /// Records that failed validation, with where they came from and why; each was skipped.
    pub rejected: Vec<Rejected>,
}

/// A record that was skipped because it did not read or validate.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Rejected {
    /// The file, `archive!member` or URL.
    pub origin: String,
    /// Why.
    pub reason: String,
}

impl SourceReport {
    /// Records stored by this import (added or replaced).
    pub fn stored(&self) -> u64 {
        self.added + self.replaced
    }
}

/// Where imported records go: the open transaction, the source's report and its filter.
pub(crate) struct Sink<'t, 'c> {
    tx: &'t Transaction<'c>,
    pub(crate) limits: Limits,
    ecosystems: Option<Vec<String>>,
    pub(crate) report: SourceReport,
    /// The newest `modified` of the records read, in microseconds.
    pub(crate) newest_us: Option<i64>,
}

impl<'t, 'c> Sink<'t, 'c> {
    /// A sink writing records of `source` into `tx`, keeping only records with a package in
    /// one of `ecosystems` (canonical names) when given.
    pub(crate) fn new(
        tx: &'t Transaction<'c>,
        source: &str,
        limits: Limits,
        ecosystems: Option<Vec<String>>,
    ) -> Self {
        Sink {
            tx,
            limits,
            ecosystems,
            report: SourceReport {
                source: source.to_owned(),
                ..SourceReport::default()
            },
            newest_us: None,
        }
    }

    /// Notes a record that could not even be read (too large, unreadable).
    pub(crate) fn reject(&mut self, origin: &str, reason: impl Into<String>) {
        self.report.rejected.push(Rejected {
            origin: origin.to_owned(),
            reason: reason.into(),
        });
    }

    /// Parses and stores one record of `format` read from `origin`.
    pub(crate) fn record(
        &mut self,
        format: Format,
        origin: &str,
        bytes: &[u8],
    ) -> Result<(), Error> {
        let vuln = match parse(format, origin, bytes) {
            Ok(vuln) => vuln,
            Err(e) if e.is_not_a_record() => {
                self.report.not_advisories += 1;
                return Ok(());
            }
            Err(e) if e.is_skip() => {
                self.report.left_out.push(Rejected {
                    origin: origin.to_owned(),
                    reason: e.kind.to_string(),
                });
                return Ok(());
            }
            Err(e) => {
                self.reject(origin, e.kind.to_string());
                return Ok(());
            }
        };
        if let Some(wanted) = &self.ecosystems {
            let keep = vuln.affected.iter().any(|a| {
                a.package.as_ref().is_some_and(|p| {
                    let name = p.ecosystem.split(':').next().unwrap_or_default();
                    wanted.iter().any(|w| w.eq_ignore_ascii_case(name))
                })
            });
            if !keep {
                self.report.filtered += 1;
                return Ok(());
            }
        }
        let prepared = match store::prepare(&vuln) {
            Ok(prepared) => prepared,
            Err(reason) => {
                self.reject(origin, reason);
                return Ok(());
            }
        };
        self.newest_us = self.newest_us.max(Some(prepared.modified_us()));
        match store::store(self.tx, &self.report.source, &prepared)? {
            Outcome::Added => self.report.added += 1,
            Outcome::Replaced => self.report.replaced += 1,
            Outcome::Unchanged => self.report.unchanged += 1,
            Outcome::KeptNewer => self.report.kept_newer += 1,
        }
        Ok(())
    }
}

/// One path to import, resolved before anything is written.
#[derive(Debug)]
pub(crate) struct Input {
    /// The canonical path, also the source's name.
    pub(crate) path: PathBuf,
    pub(crate) kind: InputKind,
    /// Bytes to read, for progress.
    pub(crate) bytes: u64,
}

/// What a path to import is.
#[derive(Debug)]
pub(crate) enum InputKind {
    /// One advisory file.
    File(Format),
    /// A directory, with the files found in it in walk order: archives (`None`) and
    /// advisories.
    Directory(Vec<(PathBuf, Option<Format>)>),
    /// A zip archive.
    Zip,
    /// A zstd-compressed tar archive.
    TarZst,
}

impl InputKind {
    /// The kind as stored in the `sources` table.
    pub(crate) fn name(&self) -> &'static str {
        match self {
            InputKind::File(_) => "file",
            InputKind::Directory(_) => "directory",
            InputKind::Zip => "zip",
            InputKind::TarZst => "tar.zst",
        }
    }
}

/// Resolves `path`: canonical form, what it is, and how many bytes it holds.
pub(crate) fn resolve(path: &Path) -> Result<Input, Error> {
    let canonical = fs::canonicalize(path).map_err(Error::io(path, "reading"))?;
    let meta = fs::metadata(&canonical).map_err(Error::io(&canonical, "reading"))?;
    if meta.is_dir() {
        let mut files = Vec::new();
        archive::walk(&canonical, &mut files)?;
        let mut bytes = 0;
        for (file, _) in &files {
            bytes += fs::metadata(file).map(|m| m.len()).unwrap_or(0);
        }
        return Ok(Input {
            path: canonical,
            kind: InputKind::Directory(files),
            bytes,
        });
    }
    let kind = match archive::kind(&canonical) {
        Some(kind) => kind,
        None => match detect(&detect_path(canonical.parent(), &canonical)) {
            Some(format) => InputKind::File(format),
            None => {
                return Err(Error::UnsupportedInput {
                    path: path.to_owned(),
                });
            }
        },
    };
    Ok(Input {
        path: canonical,
        kind,
        bytes: meta.len(),
    })
}

/// Reads every record of `input` into `sink`.
pub(crate) fn read(
    input: &Input,
    sink: &mut Sink<'_, '_>,
    progress: &mut dyn Progress,
) -> Result<(), Error> {
    match &input.kind {
        InputKind::File(format) => archive::read_file(&input.path, *format, sink, progress),
        InputKind::Zip => archive::read_zip(&input.path, sink, progress),
        InputKind::TarZst => archive::read_tar_zst(&input.path, sink, progress),
        InputKind::Directory(files) => {
            for (file, format) in files {
                match (format, archive::kind(file)) {
                    (Some(format), _) => archive::read_file(file, *format, sink, progress)?,
                    (None, Some(InputKind::Zip)) => archive::read_zip(file, sink, progress)?,
                    (None, _) => archive::read_tar_zst(file, sink, progress)?,
                }
            }
            Ok(())
        }
    }
}

/// The path `detect` judges `file` by: `file` below `root`, after at most three of the
/// directories `root` is in (or is), none of them hidden, `/`-separated.
pub(crate) fn detect_path(root: Option<&Path>, file: &Path) -> String {
    let below = root.and_then(|r| file.strip_prefix(r).ok()).unwrap_or(file);
    let mut above: Vec<String> = Vec::new();
    if let Some(root) = root {
        for part in root.iter().rev().take(3) {
            let part = part.to_string_lossy();
            if part.starts_with('.') || part == "/" {
                break;
            }
            above.push(part.into_owned());
        }
    }
    above.reverse();
    above.extend(below.iter().map(|p| p.to_string_lossy().into_owned()));
    above.join("/")
}
