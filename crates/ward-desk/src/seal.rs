//! Envelope encryption of report contents.
//!
//! Every report gets its own random data key; its text, thread, attachments and outbox entries
//! are sealed with it (XChaCha20-Poly1305, with associated data naming what the ciphertext is,
//! so one ciphertext cannot be swapped for another). The data key is stored only wrapped by
//! the instance's key-encryption key (KEK), which lives in a file outside the database
//! (`<data-dir>/keys/`). Rotating the KEK rewraps every data key; report ciphertexts are not
//! touched.

use std::path::Path;

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
    _private: (),
}

impl std::fmt::Debug for Keyring {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Keyring").finish_non_exhaustive()
    }
}

/// A report's data key, in memory only; zeroed on drop, redacted in `Debug`.
pub struct DataKey {
    _private: (),
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
        let _ = dir;
        todo!()
    }

    /// Adds a new current KEK to `dir`; older KEKs stay until [`Keyring::retire`].
    pub fn rotate(dir: &Path) -> Result<Keyring, SealError> {
        let _ = dir;
        todo!()
    }

    /// Removes every KEK but the current one from `dir` (after every data key was rewrapped).
    pub fn retire(&self, dir: &Path) -> Result<(), SealError> {
        let _ = dir;
        todo!()
    }

    /// The current KEK's id.
    pub fn current_id(&self) -> &str {
        todo!()
    }

    /// A fresh data key, and the same wrapped by the current KEK.
    pub fn new_data_key(&self) -> (DataKey, WrappedKey) {
        todo!()
    }

    /// Unwraps a stored data key.
    pub fn unwrap(&self, wrapped: &WrappedKey) -> Result<DataKey, SealError> {
        let _ = wrapped;
        todo!()
    }

    /// Rewraps a data key under the current KEK.
    pub fn rewrap(&self, wrapped: &WrappedKey) -> Result<WrappedKey, SealError> {
        let _ = wrapped;
        todo!()
    }
}

impl DataKey {
    /// Encrypts `plaintext`; `label` is bound as associated data (e.g. `report:17:content`).
    pub fn seal(&self, label: &str, plaintext: &[u8]) -> Vec<u8> {
        let _ = (label, plaintext);
        todo!()
    }

    /// Decrypts what [`DataKey::seal`] produced with the same label.
    pub fn open(&self, label: &str, ciphertext: &[u8]) -> Result<Vec<u8>, SealError> {
        let _ = (label, ciphertext);
        todo!()
    }
}

/// A 32-byte instance secret kept in `<data-dir>/keys/<name>` (mode 0600), created on first
/// use: the audit chain key, the cookie/CSRF key. `Debug` is redacted.
pub struct Secret(pub(crate) [u8; 32]);

impl std::fmt::Debug for Secret {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Secret(..)")
    }
}

impl Secret {
    /// Loads `<dir>/<name>`, creating it when missing.
    pub fn load_or_create(dir: &Path, name: &str) -> Result<Secret, SealError> {
        let _ = (dir, name);
        todo!()
    }

    /// A random secret that lives only in memory (tests).
    pub fn random() -> Secret {
        todo!()
    }

    /// The key bytes, for a MAC.
    pub fn expose(&self) -> &[u8; 32] {
        &self.0
    }
}
