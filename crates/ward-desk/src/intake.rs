//! The instance's OpenPGP intake key: reporters who want end-to-end encryption encrypt their
//! report to it (with gpg, Sequoia or any OpenPGP tool); ward decrypts on arrival and then
//! seals the text like any other report.
//!
//! The key is generated on first start (Ed25519 signing primary, Curve25519 encryption subkey,
//! which GnuPG 2.2 reads) and kept in `<data-dir>/keys/intake.asc`, mode 0600. Its public half
//! is published on the policy page and at `/.well-known/ward-intake.asc`.

use std::path::Path;

/// The largest encrypted message ward accepts, armored.
pub const MAX_MESSAGE_BYTES: usize = 1 << 20;

/// The intake key. `Debug` shows only the fingerprint.
pub struct IntakeKey {
    _private: (),
}

impl std::fmt::Debug for IntakeKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("IntakeKey").finish_non_exhaustive()
    }
}

/// What can go wrong.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum IntakeError {
    /// The key file could not be read or written.
    #[error("intake key file {path}: {source}")]
    Io {
        /// The file.
        path: std::path::PathBuf,
        /// The cause.
        #[source]
        source: std::io::Error,
    },
    /// The key could not be generated or parsed.
    #[error("intake key: {0}")]
    Key(String),
    /// The message is larger than [`MAX_MESSAGE_BYTES`].
    #[error("encrypted message is larger than {MAX_MESSAGE_BYTES} bytes")]
    TooLarge,
    /// The input is not an OpenPGP message.
    #[error("not an OpenPGP message: {0}")]
    Malformed(String),
    /// The message is not encrypted to this instance's key.
    #[error("the message is not encrypted to this instance's intake key")]
    NotForUs,
    /// Decryption or the integrity check failed.
    #[error("the message could not be decrypted: {0}")]
    Decrypt(String),
}

impl IntakeKey {
    /// Generates a new key for `user_id` (e.g. `ward intake <security@example.org>`).
    pub fn generate(user_id: &str) -> Result<IntakeKey, IntakeError> {
        let _ = user_id;
        todo!()
    }

    /// Loads `<dir>/intake.asc`, generating it when missing. The `bool` says whether it was
    /// generated.
    pub fn load_or_create(dir: &Path, user_id: &str) -> Result<(IntakeKey, bool), IntakeError> {
        let _ = (dir, user_id);
        todo!()
    }

    /// The public key, ASCII-armored, as published.
    pub fn public_armored(&self) -> String {
        todo!()
    }

    /// The primary key's fingerprint, upper-case hex.
    pub fn fingerprint(&self) -> String {
        todo!()
    }

    /// Decrypts a message (armored or binary) encrypted to this key. Signed or not; the
    /// integrity protection (MDC or AEAD) is required.
    pub fn decrypt(&self, message: &[u8]) -> Result<Vec<u8>, IntakeError> {
        let _ = message;
        todo!()
    }
}
