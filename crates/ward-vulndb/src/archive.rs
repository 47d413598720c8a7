//! Reading records out of files, directory trees, zip archives and `.tar.zst` archives, within
//! size limits.
//!
//! Traps:
//! - **Zip bombs.** A zip declares each member's uncompressed size; the sum is checked against
//!   [`crate::Limits::max_archive_bytes`] and the count against [`crate::Limits::max_members`] before any
//!   member is read, and the bytes actually inflated are counted again while reading (the
//!   declared sizes can lie). A member larger than [`crate::Limits::max_member_bytes`] is rejected
//!   on its own, without being inflated, and the import goes on.
//! - **`.tar.zst` declares nothing up front**: the decompressed stream is capped as it is
//!   read, and each entry's header size is checked before its data is.
//! - **Member names are untrusted**: they name records in reports and go to `detect`; nothing
//!   is ever extracted to the file system, so `../` in a name is harmless.
//! - **Only regular files** are records: directories, links and special entries are skipped.
//! - **A zstd file is one frame**: archives written by `zstd` and `tar --zstd` are; a
//!   concatenation of frames is read up to the end of its first and then fails as a
//!   truncated tar, never silently short.

use std::cell::Cell;
use std::fs::{self, File};
use std::io::{self, BufReader, Read};
use std::path::{Path, PathBuf};
use std::rc::Rc;

use ward_advisory::import::{Format, detect};

use crate::Error;
use crate::import::{InputKind, Progress, Sink, detect_path};

/// Deepest directory level walked.
const MAX_DEPTH: usize = 64;

/// Whether `path` names an archive ward opens, by its extension.
pub(crate) fn kind(path: &Path) -> Option<InputKind> {
    let name = path.file_name()?.to_string_lossy().to_ascii_lowercase();
    if name.ends_with(".zip") {
        Some(InputKind::Zip)
    } else if name.ends_with(".tar.zst") || name.ends_with(".tzst") {
        Some(InputKind::TarZst)
    } else {
        None
    }
}

/// Collects, in name order, the advisory files (with their format) and archives (`None`)
/// under `root`.
pub(crate) fn walk(root: &Path, files: &mut Vec<(PathBuf, Option<Format>)>) -> Result<(), Error> {
    walk_at(root, root, files, 0)
}

fn walk_at(
    root: &Path,
    dir: &Path,
    files: &mut Vec<(PathBuf, Option<Format>)>,
    depth: usize,
) -> Result<(), Error> {
    if depth > MAX_DEPTH {
        return Ok(());
    }
    let mut entries = fs::read_dir(dir)
        .map_err(Error::io(dir, "listing"))?
        .map(|e| e.map(|e| e.path()))
        .collect::<Result<Vec<_>, _>>()
        .map_err(Error::io(dir, "listing"))?;
    entries.sort();
    for path in entries {
        let meta = fs::symlink_metadata(&path).map_err(Error::io(&path, "reading"))?;
        if meta.is_dir() {
            if path.file_name().is_some_and(|n| n == ".git") {
                continue;
            }
            walk_at(root, &path, files, depth + 1)?;
        } else if meta.is_file() {
            if kind(&path).is_some() {
                files.push((path, None));
            } else if let Some(format) = detect(&detect_path(Some(root), &path)) {
                files.push((path, Some(format)));
            }
        }
    }
    Ok(())
}

/// Reads one advisory file.
pub(crate) fn read_file(
    path: &Path,
    format: Format,
    sink: &mut Sink<'_, '_>,
    progress: &mut dyn Progress,
) -> Result<(), Error> {
    let origin = path.display().to_string();
    let file = File::open(path).map_err(Error::io(path, "reading"))?;
    let size = file.metadata().map(|m| m.len()).unwrap_or(0);
    let limit = sink.limits.max_member_bytes;
    match read_limited(file, limit).map_err(Error::io(path, "reading"))? {
        Some(bytes) => sink.record(format, &origin, &bytes)?,
        None => sink.reject(&origin, too_large(size.max(limit + 1), limit)),
    }
    progress.advance(size);
    Ok(())
}

/// Reads every advisory member of a zip archive (OSV's `all.zip`).
pub(crate) fn read_zip(
    path: &Path,
    sink: &mut Sink<'_, '_>,
    progress: &mut dyn Progress,
) -> Result<(), Error> {
    let name = path.display().to_string();
    let archive_error = |source: zip::result::ZipError| Error::Archive {
        origin: name.clone(),
        format: "zip",
        source: Box::new(source),
    };
    let file = File::open(path).map_err(Error::io(path, "reading"))?;
    let mut zip = zip::ZipArchive::new(BufReader::new(file)).map_err(archive_error)?;
    let limits = sink.limits;
    let members = zip.len() as u64;
    if members > limits.max_members {
        return Err(too_many(&name, members, limits.max_members));
    }
    let declared = zip.decompressed_size().unwrap_or(u128::MAX);
    if declared > u128::from(limits.max_archive_bytes) {
        return Err(Error::TooLarge {
            origin: name,
            what: "the declared uncompressed size",
            size: u64::try_from(declared).unwrap_or(u64::MAX),
            limit: limits.max_archive_bytes,
        });
    }
    let mut inflated: u64 = 0;
    for index in 0..zip.len() {
        let member = zip.by_index(index).map_err(archive_error)?;
        progress.advance(member.compressed_size());
        if !member.is_file() {
            continue;
        }
        let inner = member.name().map_err(archive_error)?.into_owned();
        let Some(format) = detect(&inner) else {
            continue;
        };
        let origin = format!("{name}!{inner}");
        if member.size() > limits.max_member_bytes {
            sink.reject(&origin, too_large(member.size(), limits.max_member_bytes));
            continue;
        }
        let read = read_limited(member, limits.max_member_bytes).map_err(|e| Error::Archive {
            origin: origin.clone(),
            format: "zip",
            source: Box::new(e),
        })?;
        let Some(bytes) = read else {
            // The member inflates past the size it declares: a forged header.
            sink.reject(
                &origin,
                too_large(limits.max_member_bytes + 1, limits.max_member_bytes),
            );
            continue;
        };
        inflated += bytes.len() as u64;
        if inflated > limits.max_archive_bytes {
            return Err(Error::TooLarge {
                origin: name,
                what: "the uncompressed size",
                size: inflated,
                limit: limits.max_archive_bytes,
            });
        }
        sink.record(format, &origin, &bytes)?;
    }
    Ok(())
}

/// Reads every advisory member of a zstd-compressed tar archive.
pub(crate) fn read_tar_zst(
    path: &Path,
    sink: &mut Sink<'_, '_>,
    progress: &mut dyn Progress,
) -> Result<(), Error> {
    let name = path.display().to_string();
    let archive_error = |source: io::Error| Error::Archive {
        origin: name.clone(),
        format: "tar.zst",
        source: Box::new(source),
    };
    let file = File::open(path).map_err(Error::io(path, "reading"))?;
    let consumed = Rc::new(Cell::new(0u64));
    let counted = Counting {
        inner: BufReader::new(file),
        count: Rc::clone(&consumed),
    };
    let decoder = ruzstd::decoding::StreamingDecoder::new(counted).map_err(|e| Error::Archive {
        origin: name.clone(),
        format: "tar.zst",
        source: Box::new(e),
    })?;
    let limits = sink.limits;
    let over = Rc::new(Cell::new(false));
    let capped = Capped {
        inner: decoder,
        left: limits.max_archive_bytes,
        over: Rc::clone(&over),
    };
    let mut tar = tar::Archive::new(capped);
    let entries = tar.entries().map_err(archive_error)?;
    let mut members: u64 = 0;
    let mut reported: u64 = 0;
    let too_big = |name: &str| Error::TooLarge {
        origin: name.to_owned(),
        what: "the uncompressed size",
        size: limits.max_archive_bytes + 1,
        limit: limits.max_archive_bytes,
    };
    for entry in entries {
        let entry = entry.map_err(|e| {
            if over.get() {
                too_big(&name)
            } else {
                archive_error(e)
            }
        })?;
        progress.advance(consumed.get() - reported);
        reported = consumed.get();
        members += 1;
        if members > limits.max_members {
            return Err(too_many(&name, members, limits.max_members));
        }
        if !entry.header().entry_type().is_file() {
            continue;
        }
        let inner = String::from_utf8_lossy(&entry.path_bytes()).into_owned();
        let Some(format) = detect(&inner) else {
            continue;
        };
        let origin = format!("{name}!{inner}");
        let size = entry.size();
        if size > limits.max_member_bytes {
            sink.reject(&origin, too_large(size, limits.max_member_bytes));
            continue;
        }
        let bytes = read_limited(entry, limits.max_member_bytes)
            .map_err(|e| {
                if over.get() {
                    too_big(&name)
                } else {
                    archive_error(e)
                }
            })?
            .unwrap_or_default();
        sink.record(format, &origin, &bytes)?;
    }
    progress.advance(consumed.get() - reported);
    Ok(())
}

/// Reads all of `reader` if it holds at most `limit` bytes; `None` if it holds more.
pub(crate) fn read_limited(reader: impl Read, limit: u64) -> io::Result<Option<Vec<u8>>> {
    let mut bytes = Vec::new();
    reader
        .take(limit.saturating_add(1))
        .read_to_end(&mut bytes)?;
    Ok((bytes.len() as u64 <= limit).then_some(bytes))
}

fn too_large(size: u64, limit: u64) -> String {
    format!("record is {size} bytes; the limit is {limit}")
}

fn too_many(origin: &str, members: u64, limit: u64) -> Error {
    Error::TooLarge {
        origin: origin.to_owned(),
        what: "the number of members",
        size: members,
        limit,
    }
}

/// Counts the bytes read through it.
struct Counting<R> {
    inner: R,
    count: Rc<Cell<u64>>,
}

impl<R: Read> Read for Counting<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.count.set(self.count.get() + n as u64);
        Ok(n)
    }
}

/// Fails once more than `left` bytes have been read, and says so in `over`.
struct Capped<R> {
    inner: R,
    left: u64,
    over: Rc<Cell<bool>>,
}

impl<R: Read> Read for Capped<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        match self.left.checked_sub(n as u64) {
            Some(left) => {
                self.left = left;
                Ok(n)
            }
            None => {
                self.over.set(true);
                Err(io::Error::other("archive larger than the limit"))
            }
        }
    }
}
