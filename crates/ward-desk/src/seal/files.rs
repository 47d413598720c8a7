//! The key files: their format, atomic creation with private permissions, and reading them
//! back (refusing files that others may read). See [`super`] for the format.

use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};

use zeroize::Zeroizing;

use super::{Kek, SealError, os_random};

pub(super) const KEK_MAGIC: &[u8; 8] = b"ward-kek";
pub(super) const SECRET_MAGIC: &[u8; 8] = b"ward-sec";
pub(super) const FORMAT_VERSION: u8 = 1;

/// Loads the secret `<dir>/<name>`, creating it when missing.
pub(super) fn load_or_create_secret(dir: &Path, name: &str) -> Result<[u8; 32], SealError> {
    let path = dir.join(name);
    if name.is_empty()
        || name.starts_with('.')
        || name.contains(['/', '\\'])
        || name.starts_with("kek-")
    {
        return Err(SealError::BadKeyFile {
            path,
            reason: "a secret's name is a plain file name, not a path or a KEK's".to_owned(),
        });
    }
    create_dir(dir)?;
    let mut contents = Zeroizing::new(Vec::with_capacity(SECRET_MAGIC.len() + 33));
    contents.extend_from_slice(SECRET_MAGIC);
    contents.push(FORMAT_VERSION);
    contents.extend_from_slice(&os_random::<32>());
    // Whoever links first wins; everyone then reads the file that won.
    write_new_file(dir, name, &contents)?;
    let bytes = Zeroizing::new(read_key_file(&path)?);
    let bad = |reason: &str| SealError::BadKeyFile {
        path: path.clone(),
        reason: reason.to_owned(),
    };
    let rest = bytes
        .strip_prefix(SECRET_MAGIC.as_slice())
        .ok_or_else(|| bad("it does not start with ward-sec"))?;
    match rest {
        [FORMAT_VERSION, key @ ..] => {
            let key: [u8; 32] = key
                .try_into()
                .map_err(|_| bad("a version 1 secret has 32 bytes"))?;
            Ok(key)
        }
        _ => Err(bad("unknown format version")),
    }
}

pub(super) fn kek_path(dir: &Path, id: &str) -> PathBuf {
    dir.join(format!("kek-{id}.key"))
}

/// Every KEK file in `dir`, oldest first (see [`Kek::order`]).
pub(super) fn load_keks(dir: &Path) -> Result<Vec<Kek>, SealError> {
    let io = |source| SealError::Io {
        path: dir.to_path_buf(),
        source,
    };
    let mut keks = Vec::new();
    for entry in fs::read_dir(dir).map_err(io)? {
        let entry = entry.map_err(io)?;
        let name = entry.file_name();
        let Some(id) = name
            .to_str()
            .and_then(|n| n.strip_prefix("kek-"))
            .and_then(|n| n.strip_suffix(".key"))
        else {
            continue;
        };
        keks.push(read_kek(&entry.path(), id)?);
    }
    keks.sort_by(|a, b| a.order().cmp(&b.order()));
    Ok(keks)
}

pub(super) fn read_kek(path: &Path, id_from_name: &str) -> Result<Kek, SealError> {
    let bad = |reason: String| SealError::BadKeyFile {
        path: path.to_path_buf(),
        reason,
    };
    let bytes = Zeroizing::new(read_key_file(path)?);
    let rest = bytes
        .strip_prefix(KEK_MAGIC.as_slice())
        .ok_or_else(|| bad("it does not start with ward-kek".to_owned()))?;
    let [version, id_len, rest @ ..] = rest else {
        return Err(bad("truncated".to_owned()));
    };
    if *version != FORMAT_VERSION {
        return Err(bad(format!("unknown format version {version}")));
    }
    let (id, key) = rest
        .split_at_checked(usize::from(*id_len))
        .ok_or_else(|| bad("truncated".to_owned()))?;
    if id != id_from_name.as_bytes() {
        return Err(bad("the id inside is not the one in its name".to_owned()));
    }
    let key: [u8; 32] = key
        .try_into()
        .map_err(|_| bad("a version 1 KEK has 32 key bytes".to_owned()))?;
    let seq = parse_seq(id_from_name)
        .ok_or_else(|| bad("its id is not <sequence>-<random>".to_owned()))?;
    Ok(Kek {
        seq,
        id: id_from_name.to_owned(),
        key: Zeroizing::new(key),
    })
}

pub(super) fn parse_seq(id: &str) -> Option<u32> {
    let (seq, random) = id.split_once('-')?;
    if random.is_empty() || !random.bytes().all(|b| b.is_ascii_hexdigit()) {
        return None;
    }
    seq.parse().ok()
}

pub(super) fn write_new_kek(dir: &Path, seq: u32) -> Result<Kek, SealError> {
    let random: [u8; 4] = os_random();
    let id = format!(
        "{seq:04}-{}",
        random
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect::<String>()
    );
    let key = Zeroizing::new(os_random::<32>());
    let id_len = u8::try_from(id.len()).expect("a KEK id is at most 15 characters");
    let mut contents = Zeroizing::new(Vec::with_capacity(KEK_MAGIC.len() + 2 + id.len() + 32));
    contents.extend_from_slice(KEK_MAGIC);
    contents.push(FORMAT_VERSION);
    contents.push(id_len);
    contents.extend_from_slice(id.as_bytes());
    contents.extend_from_slice(key.as_slice());
    let name = format!("kek-{id}.key");
    if !write_new_file(dir, &name, &contents)? {
        return Err(SealError::Io {
            path: dir.join(name),
            source: std::io::Error::new(
                std::io::ErrorKind::AlreadyExists,
                "a KEK with this random id already exists",
            ),
        });
    }
    Ok(Kek { seq, id, key })
}

pub(crate) fn create_dir(dir: &Path) -> Result<(), SealError> {
    let mut builder = fs::DirBuilder::new();
    builder.recursive(true);
    #[cfg(unix)]
    std::os::unix::fs::DirBuilderExt::mode(&mut builder, 0o700);
    builder.create(dir).map_err(|source| SealError::Io {
        path: dir.to_path_buf(),
        source,
    })
}

/// Writes `<dir>/<name>` atomically when it does not exist yet: a temporary file (0600),
/// fsync, a hard link to the final name (which fails if the name is taken), fsync of the
/// directory. `false` when the file already existed (it is left as it was).
pub(crate) fn write_new_file(dir: &Path, name: &str, contents: &[u8]) -> Result<bool, SealError> {
    let path = dir.join(name);
    if path.exists() {
        return Ok(false);
    }
    let random: [u8; 8] = os_random();
    let temp = dir.join(format!(
        ".{name}.{}.tmp",
        random
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect::<String>()
    ));
    let io = |path: &Path| {
        let path = path.to_path_buf();
        move |source| SealError::Io { path, source }
    };
    let mut options = fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    let written = (|| {
        let mut file = options.open(&temp)?;
        file.write_all(contents)?;
        file.sync_all()
    })();
    if let Err(source) = written {
        let _ = fs::remove_file(&temp);
        return Err(io(&temp)(source));
    }
    let linked = match fs::hard_link(&temp, &path) {
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => Ok(false),
        // A file system without hard links: rename, which replaces a file created since the
        // check above (a race between two first starts, at worst).
        Err(_) => fs::rename(&temp, &path).map(|()| true),
        Ok(()) => Ok(true),
    };
    let _ = fs::remove_file(&temp);
    let created = linked.map_err(io(&path))?;
    if created {
        sync_dir(dir)?;
    }
    Ok(created)
}

/// Reads a key file, refusing one that group or others may read.
pub(crate) fn read_key_file(path: &Path) -> Result<Vec<u8>, SealError> {
    let io = |source| SealError::Io {
        path: path.to_path_buf(),
        source,
    };
    let metadata = fs::metadata(path).map_err(io)?;
    if !metadata.is_file() {
        return Err(SealError::BadKeyFile {
            path: path.to_path_buf(),
            reason: "not a regular file".to_owned(),
        });
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = metadata.permissions().mode() & 0o777;
        if mode & 0o077 != 0 {
            return Err(SealError::BadKeyFile {
                path: path.to_path_buf(),
                reason: format!(
                    "group or others may access it (mode {mode:04o}); run chmod 600 on it"
                ),
            });
        }
    }
    fs::read(path).map_err(io)
}

pub(super) fn sync_dir(dir: &Path) -> Result<(), SealError> {
    #[cfg(unix)]
    fs::File::open(dir)
        .and_then(|d| d.sync_all())
        .map_err(|source| SealError::Io {
            path: dir.to_path_buf(),
            source,
        })?;
    #[cfg(not(unix))]
    let _ = dir;
    Ok(())
}
