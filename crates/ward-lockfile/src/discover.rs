//! Finding lockfiles under directories, and reading one with a size limit.

use std::path::{Path, PathBuf};

use crate::{Error, ErrorKind, Kind, Lockfile};

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
    let _ = roots;
    (Vec::new(), Vec::new())
}

pub(crate) fn read(kind: Kind, path: &Path) -> Result<Lockfile, Error> {
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
    let content =
        std::fs::read_to_string(path).map_err(|e| Error::new(&origin, None, ErrorKind::Io(e)))?;
    crate::parse(kind, &origin, &content)
}
