//! The intake key's file: read only while no other user can access it, written once and whole
//! (a temporary file created with mode 0600, synced, then hard-linked to its name, which unlike
//! a rename cannot replace a key another process wrote meanwhile; then the directory synced).

use std::fs;
use std::io::{self, Read, Write};
use std::path::Path;

use zeroize::Zeroizing;

use super::{IntakeError, KEY_FILE};

/// The contents of the key file at `path`, refused when other users can access it.
pub(super) fn read_private(path: &Path) -> Result<Zeroizing<Vec<u8>>, IntakeError> {
    let io_error = |source| IntakeError::Io {
        path: path.to_path_buf(),
        source,
    };
    let mut file = fs::File::open(path).map_err(io_error)?;
    check_private(&file, path)?;
    let mut contents = Zeroizing::new(Vec::new());
    file.read_to_end(&mut contents).map_err(io_error)?;
    Ok(contents)
}

/// Writes `contents` to `path` unless it exists, creating its directory (mode 0700) when
/// missing. `false` when `path` already existed.
pub(super) fn create_private(path: &Path, contents: &[u8]) -> io::Result<bool> {
    let dir = path.parent().unwrap_or(Path::new("."));
    create_private_dir(dir)?;
    write_new_private(path, contents)
}

/// Creates the keys directory, private to ward's user, when it is missing.
fn create_private_dir(dir: &Path) -> io::Result<()> {
    let mut builder = fs::DirBuilder::new();
    builder.recursive(true);
    #[cfg(unix)]
    std::os::unix::fs::DirBuilderExt::mode(&mut builder, 0o700);
    builder.create(dir)
}

/// Writes `contents` to a temporary file, links it to `path`, syncs the directory.
fn write_new_private(path: &Path, contents: &[u8]) -> io::Result<bool> {
    let dir = path.parent().unwrap_or(Path::new("."));
    let temporary = dir.join(format!(
        ".{KEY_FILE}.{}.{:016x}.tmp",
        std::process::id(),
        rand::random::<u64>()
    ));
    let written = write_private(&temporary, contents);
    let linked = written.and_then(|()| fs::hard_link(&temporary, path));
    let removed = fs::remove_file(&temporary);
    match linked {
        Ok(()) => {}
        Err(e) if e.kind() == io::ErrorKind::AlreadyExists => return Ok(false),
        Err(e) => return Err(e),
    }
    removed?;
    sync_dir(dir)?;
    Ok(true)
}

fn write_private(path: &Path, contents: &[u8]) -> io::Result<()> {
    let mut options = fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    let mut file = options.open(path)?;
    file.write_all(contents)?;
    file.sync_all()
}

fn sync_dir(dir: &Path) -> io::Result<()> {
    #[cfg(unix)]
    fs::File::open(dir)?.sync_all()?;
    #[cfg(not(unix))]
    let _ = dir;
    Ok(())
}

/// Refuses a key file that users other than ward's can read or write.
fn check_private(file: &fs::File, path: &Path) -> Result<(), IntakeError> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = file
            .metadata()
            .map_err(|source| IntakeError::Io {
                path: path.to_path_buf(),
                source,
            })?
            .permissions()
            .mode();
        if mode & 0o077 != 0 {
            return Err(IntakeError::Key(format!(
                "{} is accessible to other users (mode {:o}); run `chmod 600` on it",
                path.display(),
                mode & 0o777
            )));
        }
    }
    #[cfg(not(unix))]
    let _ = (file, path);
    Ok(())
}
