//! Envelope encryption of report contents.
//!
//! Every report gets its own random data key; its text, thread, attachments and outbox entries
//! are sealed with it (XChaCha20-Poly1305, with associated data naming what the ciphertext is,
//! so one ciphertext cannot be swapped for another). The data key is stored only wrapped by
//! the instance's key-encryption key (KEK), which lives in a file outside the database
//! (`<data-dir>/keys/`). Rotating the KEK rewraps every data key; report ciphertexts are not
//! touched.
//!
//! On disk, in `<dir>` (`<data-dir>/keys/`, mode 0700 when ward creates it):
//! - `kek-<id>.key`: one KEK each. `<id>` is `<sequence>-<random>` (`0001-9f86d081`); the
//!   highest sequence is the current KEK (two first starts racing may both write a `0001`:
//!   the higher random part is then current, and both stay until retired). The file is
//!   `ward-kek` (8 bytes), a version byte (1), the id's length (1 byte) and the id, then the
//!   32 key bytes.
//! - `<name>` ([`Secret`]): `ward-sec` (8 bytes), a version byte (1), then the 32 secret bytes.
//!
//! Every key file is written atomically (a temporary file, fsync, link into place, fsync of the
//! directory) with mode 0600, and refused when group or others may read it.
//!
//! Ciphertexts are a version byte (1), the 24-byte random nonce, then the XChaCha20-Poly1305
//! ciphertext and tag. A wrapped data key is the same, with `ward-data-key:<kek id>` as the
//! associated data, so a wrapped key cannot be passed off as wrapped by another KEK.

/// Key-file I/O, also for the other key files of `<data-dir>/keys/` (the intake key).
pub(crate) mod files;

use std::fs;
use std::path::Path;

use chacha20poly1305::aead::{Aead, KeyInit, Payload};
use chacha20poly1305::{XChaCha20Poly1305, XNonce};
use rand::TryRngCore;
use zeroize::{Zeroize, Zeroizing};

use files::{create_dir, kek_path, load_keks, sync_dir, write_new_kek};

/// A data key, wrapped by a KEK, as stored beside the report.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WrappedKey {
    /// Which KEK wrapped it.
    pub kek_id: String,
    /// Nonce and ciphertext of the data key.
    pub bytes: Vec<u8>,
}

/// The key-encryption keys of an instance: the current one, and older ones still needed to
/// unwrap data keys during a rotation. `Debug` shows only key ids.
pub struct Keyring {
    /// Oldest first ([`Kek::order`]); the last is current. Never empty.
    keks: Vec<Kek>,
}

struct Kek {
    seq: u32,
    id: String,
    key: Zeroizing<[u8; 32]>,
}

impl Kek {
    /// KEKs age by sequence number, then by id (which only two racing first starts share).
    fn order(&self) -> (u32, &str) {
        (self.seq, &self.id)
    }
}

impl std::fmt::Debug for Keyring {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Keyring")
            .field("current", &self.current_id())
            .field("ids", &self.keks.iter().map(|k| &k.id).collect::<Vec<_>>())
            .finish()
    }
}

/// A report's data key, in memory only; zeroed on drop, redacted in `Debug`.
pub struct DataKey {
    key: Zeroizing<[u8; 32]>,
}

impl std::fmt::Debug for DataKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("DataKey(..)")
    }
}

/// What can go wrong with keys and ciphertexts.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum SealError {
    /// A key file could not be read or written.
    #[error("key file {path}: {source}")]
    Io {
        /// The file.
        path: std::path::PathBuf,
        /// The cause.
        #[source]
        source: std::io::Error,
    },
    /// A key file exists but is not a key ward wrote.
    #[error("key file {path} is not a ward key: {reason}")]
    BadKeyFile {
        /// The file.
        path: std::path::PathBuf,
        /// What is wrong.
        reason: String,
    },
    /// A wrapped key names a KEK this keyring does not have.
    #[error("no key-encryption key {kek_id:?} in the keyring")]
    UnknownKek {
        /// The missing KEK.
        kek_id: String,
    },
    /// Authentication failed: wrong key, wrong associated data, or altered ciphertext.
    #[error("ciphertext does not authenticate")]
    Open,
}

impl Keyring {
    /// Loads the keyring from `dir`, creating a first KEK (file mode 0600) when there is none.
    /// The `bool` says whether it was created.
    pub fn load_or_create(dir: &Path) -> Result<(Keyring, bool), SealError> {
        create_dir(dir)?;
        let keks = load_keks(dir)?;
        if !keks.is_empty() {
            return Ok((Keyring { keks }, false));
        }
        let first = write_new_kek(dir, 1)?;
        Ok((Keyring { keks: vec![first] }, true))
    }

    /// Adds a new current KEK to `dir`; older KEKs stay until [`Keyring::retire`].
    pub fn rotate(dir: &Path) -> Result<Keyring, SealError> {
        create_dir(dir)?;
        let mut keks = load_keks(dir)?;
        let next = keks.last().map_or(1, |k| k.seq.saturating_add(1));
        keks.push(write_new_kek(dir, next)?);
        Ok(Keyring { keks })
    }

    /// Removes every KEK but the current one from `dir` (after every data key was rewrapped).
    /// KEKs newer than this keyring's current one (a rotation since it was loaded) are kept.
    pub fn retire(&self, dir: &Path) -> Result<(), SealError> {
        let current = self.current();
        let on_disk = load_keks(dir)?;
        if !on_disk.iter().any(|k| k.id == current.id) {
            return Err(SealError::UnknownKek {
                kek_id: current.id.clone(),
            });
        }
        for kek in on_disk.iter().filter(|k| k.order() < current.order()) {
            let path = kek_path(dir, &kek.id);
            fs::remove_file(&path).map_err(|source| SealError::Io { path, source })?;
        }
        sync_dir(dir)
    }

    /// The current KEK's id.
    pub fn current_id(&self) -> &str {
        &self.current().id
    }

    /// The ids of every KEK in the keyring, oldest first.
    pub fn ids(&self) -> impl Iterator<Item = &str> {
        self.keks.iter().map(|k| k.id.as_str())
    }

    /// A fresh data key, and the same wrapped by the current KEK.
    pub fn new_data_key(&self) -> (DataKey, WrappedKey) {
        let data_key = DataKey {
            key: Zeroizing::new(os_random()),
        };
        let wrapped = self.wrap(&data_key);
        (data_key, wrapped)
    }

    /// Unwraps a stored data key.
    pub fn unwrap(&self, wrapped: &WrappedKey) -> Result<DataKey, SealError> {
        let kek = self
            .keks
            .iter()
            .find(|k| k.id == wrapped.kek_id)
            .ok_or_else(|| SealError::UnknownKek {
                kek_id: wrapped.kek_id.clone(),
            })?;
        let plain = Zeroizing::new(open(&kek.key, &wrap_label(&kek.id), &wrapped.bytes)?);
        let key: [u8; 32] = plain.as_slice().try_into().map_err(|_| SealError::Open)?;
        Ok(DataKey {
            key: Zeroizing::new(key),
        })
    }

    /// Rewraps a data key under the current KEK.
    pub fn rewrap(&self, wrapped: &WrappedKey) -> Result<WrappedKey, SealError> {
        Ok(self.wrap(&self.unwrap(wrapped)?))
    }

    fn current(&self) -> &Kek {
        self.keks
            .last()
            .expect("a keyring is never empty: it is built with at least one KEK")
    }

    fn wrap(&self, data_key: &DataKey) -> WrappedKey {
        let kek = self.current();
        WrappedKey {
            kek_id: kek.id.clone(),
            bytes: seal(&kek.key, &wrap_label(&kek.id), data_key.key.as_slice()),
        }
    }
}

impl DataKey {
    /// Encrypts `plaintext`; `label` is bound as associated data (e.g. `report:17:content`).
    pub fn seal(&self, label: &str, plaintext: &[u8]) -> Vec<u8> {
        seal(&self.key, label.as_bytes(), plaintext)
    }

    /// Decrypts what [`DataKey::seal`] produced with the same label.
    pub fn open(&self, label: &str, ciphertext: &[u8]) -> Result<Vec<u8>, SealError> {
        open(&self.key, label.as_bytes(), ciphertext)
    }
}

/// A 32-byte instance secret kept in `<data-dir>/keys/<name>` (mode 0600), created on first
/// use: the audit chain key, the cookie/CSRF key. `Debug` is redacted; zeroed on drop.
pub struct Secret(pub(crate) [u8; 32]);

impl Drop for Secret {
    fn drop(&mut self) {
        self.0.zeroize();
    }
}

impl std::fmt::Debug for Secret {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Secret(..)")
    }
}

impl Secret {
    /// Loads `<dir>/<name>`, creating it when missing.
    /// `name` is a plain file name (`audit.key`), not a path.
    pub fn load_or_create(dir: &Path, name: &str) -> Result<Secret, SealError> {
        files::load_or_create_secret(dir, name).map(Secret)
    }

    /// A random secret that lives only in memory (tests).
    pub fn random() -> Secret {
        Secret(os_random())
    }

    /// The key bytes, for a MAC.
    pub fn expose(&self) -> &[u8; 32] {
        &self.0
    }
}

const CIPHERTEXT_VERSION: u8 = 1;
const NONCE_LEN: usize = 24;
const TAG_LEN: usize = 16;

/// `N` bytes from the operating system's random number generator.
fn os_random<const N: usize>() -> [u8; N] {
    let mut bytes = [0u8; N];
    rand::rngs::OsRng
        .try_fill_bytes(&mut bytes)
        .expect("the operating system's random number generator is available");
    bytes
}

fn seal(key: &[u8; 32], aad: &[u8], plaintext: &[u8]) -> Vec<u8> {
    let cipher = XChaCha20Poly1305::new(key.into());
    let nonce: [u8; NONCE_LEN] = os_random();
    let sealed = cipher
        .encrypt(
            XNonce::from_slice(&nonce),
            Payload {
                msg: plaintext,
                aad,
            },
        )
        .expect("XChaCha20-Poly1305 encrypts any message shorter than 256 GiB");
    let mut out = Vec::with_capacity(1 + NONCE_LEN + sealed.len());
    out.push(CIPHERTEXT_VERSION);
    out.extend_from_slice(&nonce);
    out.extend_from_slice(&sealed);
    out
}

fn open(key: &[u8; 32], aad: &[u8], ciphertext: &[u8]) -> Result<Vec<u8>, SealError> {
    let [CIPHERTEXT_VERSION, rest @ ..] = ciphertext else {
        return Err(SealError::Open);
    };
    if rest.len() < NONCE_LEN + TAG_LEN {
        return Err(SealError::Open);
    }
    let (nonce, sealed) = rest.split_at(NONCE_LEN);
    XChaCha20Poly1305::new(key.into())
        .decrypt(XNonce::from_slice(nonce), Payload { msg: sealed, aad })
        .map_err(|_| SealError::Open)
}

fn wrap_label(kek_id: &str) -> Vec<u8> {
    format!("ward-data-key:{kek_id}").into_bytes()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn seal_and_open() {
        let dir = tempfile::tempdir().unwrap();
        let (ring, created) = Keyring::load_or_create(dir.path()).unwrap();
        assert!(created);
        let (key, wrapped) = ring.new_data_key();
        let sealed = key.seal("report:1:content", b"secret text");
        assert!(!sealed.windows(6).any(|w| w == b"secret"));
        assert_eq!(
            key.open("report:1:content", &sealed).unwrap(),
            b"secret text"
        );
        assert!(matches!(
            key.open("report:2:content", &sealed),
            Err(SealError::Open)
        ));
        let again = ring.unwrap(&wrapped).unwrap();
        assert_eq!(
            again.open("report:1:content", &sealed).unwrap(),
            b"secret text"
        );
        assert!(matches!(key.open("x", &[]), Err(SealError::Open)));
        assert!(matches!(key.open("x", &[1; 40]), Err(SealError::Open)));
    }

    #[test]
    fn the_keyring_persists() {
        let dir = tempfile::tempdir().unwrap();
        let (ring, _) = Keyring::load_or_create(dir.path()).unwrap();
        let (_, wrapped) = ring.new_data_key();
        let (again, created) = Keyring::load_or_create(dir.path()).unwrap();
        assert!(!created);
        assert_eq!(again.current_id(), ring.current_id());
        assert!(again.unwrap(&wrapped).is_ok());
        assert!(format!("{again:?}").contains(ring.current_id()));
    }

    #[cfg(unix)]
    #[test]
    fn key_files_are_private() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let keys = dir.path().join("keys");
        let (ring, _) = Keyring::load_or_create(&keys).unwrap();
        let _secret = Secret::load_or_create(&keys, "audit.key").unwrap();
        for entry in fs::read_dir(&keys).unwrap() {
            let mode = entry.unwrap().metadata().unwrap().permissions().mode();
            assert_eq!(mode & 0o777, 0o600);
        }
        let path = kek_path(&keys, ring.current_id());
        fs::set_permissions(&path, fs::Permissions::from_mode(0o644)).unwrap();
        let err = Keyring::load_or_create(&keys).unwrap_err();
        assert!(err.to_string().contains("chmod 600"), "{err}");
    }

    #[test]
    fn secrets_persist_and_names_are_checked() {
        let dir = tempfile::tempdir().unwrap();
        let a = Secret::load_or_create(dir.path(), "audit.key").unwrap();
        let b = Secret::load_or_create(dir.path(), "audit.key").unwrap();
        assert_eq!(a.expose(), b.expose());
        let c = Secret::load_or_create(dir.path(), "cookie.key").unwrap();
        assert_ne!(a.expose(), c.expose());
        assert_eq!(format!("{a:?}"), "Secret(..)");
        for name in ["", "../x", "a/b", ".hidden", "kek-0001-00.key"] {
            assert!(Secret::load_or_create(dir.path(), name).is_err(), "{name}");
        }
        fs::write(dir.path().join("bogus"), b"ward-sec\x02").unwrap();
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            fs::set_permissions(dir.path().join("bogus"), fs::Permissions::from_mode(0o600))
                .unwrap();
        }
        assert!(matches!(
            Secret::load_or_create(dir.path(), "bogus"),
            Err(SealError::BadKeyFile { .. })
        ));
    }
}
