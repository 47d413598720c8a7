//! Finding lockfiles under directories, and reading one with a size limit.
//!
//! Traps:
//! - **`.gitignore` outside git.** The `ignore` crate honours `.gitignore` only inside a git
//!   repository unless told otherwise; a project unpacked from a tarball has the same intent,
//!   so `require_git(false)`.
//! - **Vendored trees.** `node_modules/` and `target/` hold other projects' lockfiles (npm
//!   writes `node_modules/.package-lock.json`, crates vendor theirs); they are skipped even
//!   when no ignore file says so.
//! - **Roots that are files** are taken as given (even if ignored or hidden), by name; a file
//!   ward does not read is an error, not silence.
//! - **Includes** (requirements `-r`/`-c`) resolve against the including file's directory, as
//!   pip does; each file is read once per call (cycles and diamonds end there), to a depth of
//!   [`MAX_INCLUDE_DEPTH`].

use std::collections::HashSet;
use std::path::{Path, PathBuf};

use ignore::WalkBuilder;

use crate::{Error, ErrorKind, Included, Kind, Lockfile};

/// How deep `-r` includes may nest before the chain is refused.
const MAX_INCLUDE_DEPTH: usize = 32;

/// A lockfile found on disk.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Discovered {
    /// Its path.
    pub path: PathBuf,
    /// Its format.
    pub kind: Kind,
}

/// Finds every lockfile under `roots` (files are taken as given), honouring `.gitignore`,
/// `.ignore` and hidden-file rules, skipping `node_modules` and `target`. Sorted by path.
/// Directories that cannot be read are returned as errors beside what was found.
pub fn discover(roots: &[PathBuf]) -> (Vec<Discovered>, Vec<Error>) {
    let mut found = Vec::new();
    let mut errors = Vec::new();
    for root in roots {
        match std::fs::metadata(root) {
            Err(e) => errors.push(Error::new(
                &root.display().to_string(),
                None,
                ErrorKind::Io(e),
            )),
            Ok(meta) if meta.is_dir() => walk(root, &mut found, &mut errors),
            Ok(_) => match root
                .file_name()
                .and_then(|n| n.to_str())
                .and_then(Kind::detect)
            {
                Some(kind) => found.push(Discovered {
                    path: root.clone(),
                    kind,
                }),
                None => errors.push(Error::new(
                    &root.display().to_string(),
                    None,
                    ErrorKind::Unexpected {
                        expected: format!(
                            "one of the lockfiles ward reads ({}, or *requirements*.txt), \
                             not a file of this name",
                            Kind::ALL
                                .iter()
                                .filter(|k| **k != Kind::Requirements)
                                .map(|k| k.file_name())
                                .collect::<Vec<_>>()
                                .join(", ")
                        ),
                    },
                )),
            },
        }
    }
    found.sort();
    found.dedup();
    (found, errors)
}

fn walk(root: &Path, found: &mut Vec<Discovered>, errors: &mut Vec<Error>) {
    let walker = WalkBuilder::new(root)
        .require_git(false)
        .filter_entry(|entry| {
            let vendored = matches!(entry.file_name().to_str(), Some("node_modules" | "target"));
            !(vendored && entry.file_type().is_some_and(|t| t.is_dir()))
        })
        .build();
    for entry in walker {
        match entry {
            Ok(entry) => {
                if !entry.file_type().is_some_and(|t| t.is_file()) {
                    continue;
                }
                let kind = entry.file_name().to_str().and_then(Kind::detect);
                if let Some(kind) = kind {
                    found.push(Discovered {
                        path: entry.into_path(),
                        kind,
                    });
                }
            }
            Err(error) => errors.push(walk_error(root, error)),
        }
    }
}

fn walk_error(root: &Path, error: ignore::Error) -> Error {
    fn path_of(error: &ignore::Error) -> Option<&Path> {
        match error {
            ignore::Error::WithPath { path, .. } => Some(path),
            ignore::Error::WithDepth { err, .. } | ignore::Error::WithLineNumber { err, .. } => {
                path_of(err)
            }
            _ => None,
        }
    }
    let file = path_of(&error).unwrap_or(root).display().to_string();
    let message = error.to_string();
    let kind = match error.into_io_error() {
        Some(io) => ErrorKind::Io(io),
        None => ErrorKind::Syntax(message),
    };
    Error::new(&file, None, kind)
}

pub(crate) fn read(kind: Kind, path: &Path) -> Result<Lockfile, Error> {
    if kind == Kind::Requirements {
        return read_requirements(path, &mut HashSet::new(), 0);
    }
    crate::parse(kind, &path.display().to_string(), &read_text(path)?)
}

/// The text of `path`, refusing files over the size limit.
fn read_text(path: &Path) -> Result<String, Error> {
    let origin = path.display().to_string();
    let meta = std::fs::metadata(path).map_err(|e| Error::new(&origin, None, ErrorKind::Io(e)))?;
    if meta.len() > crate::MAX_LOCKFILE_SIZE {
        return Err(Error::new(
            &origin,
            None,
            ErrorKind::TooLarge {
                size: meta.len(),
                limit: crate::MAX_LOCKFILE_SIZE,
            },
        ));
    }
    std::fs::read_to_string(path).map_err(|e| Error::new(&origin, None, ErrorKind::Io(e)))
}

/// A requirements file and, recursively, the files it includes (see the module's traps).
fn read_requirements(
    path: &Path,
    seen: &mut HashSet<PathBuf>,
    depth: usize,
) -> Result<Lockfile, Error> {
    let origin = path.display().to_string();
    seen.insert(std::fs::canonicalize(path).unwrap_or_else(|_| path.to_path_buf()));
    let mut lockfile = crate::parse(Kind::Requirements, &origin, &read_text(path)?)?;
    let dir = path.parent().unwrap_or(Path::new(""));
    for include in &mut lockfile.includes {
        if include.path.contains("://") {
            continue; // ward never fetches
        }
        let target = dir.join(&include.path);
        let failed = |source: Error| {
            Error::new(
                &origin,
                Some(include.line),
                ErrorKind::Include {
                    path: target.display().to_string(),
                    source: Box::new(source),
                },
            )
        };
        let canonical = std::fs::canonicalize(&target).map_err(|e| {
            failed(Error::new(
                &target.display().to_string(),
                None,
                ErrorKind::Io(e),
            ))
        })?;
        if seen.contains(&canonical) {
            continue;
        }
        if depth >= MAX_INCLUDE_DEPTH {
            return Err(failed(Error::new(
                &target.display().to_string(),
                None,
                ErrorKind::Unexpected {
                    expected: format!("includes nested at most {MAX_INCLUDE_DEPTH} deep"),
                },
            )));
        }
        let included = read_requirements(&target, seen, depth + 1).map_err(failed)?;
        include.lockfile = Some(Box::new(Included {
            path: target,
            lockfile: included,
        }));
    }
    Ok(lockfile)
}
