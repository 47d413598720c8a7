//! The three error types: reading or making a key, signing, verifying.
//!
//! Messages are ward's own fixed texts with names and numbers filled in (formats, algorithm
//! names, key ids, sizes); never key material, a passphrase or the signed content, and never
//! an underlying library's message where that could quote its input.

use std::io;

use crate::Format;

/// A key could not be read, decrypted or generated.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum KeyError {
    /// The bytes are not a key in any of the formats.
    #[error("not a minisign, OpenSSH or OpenPGP {what}")]
    Unrecognized {
        /// `public key` or `secret key`.
        what: &'static str,
    },
    /// The bytes start as a key of `format` but are damaged or incomplete.
    #[error("malformed {format} {what}: {reason}")]
    Malformed {
        /// The format the bytes were read as.
        format: Format,
        /// `public key` or `secret key`.
        what: &'static str,
        /// What is wrong, e.g. `the key is 40 bytes, expected 42`.
        reason: String,
    },
    /// A well-formed key of a type ward does not sign or verify with.
    #[error("unsupported {format} key: {found}; expected {expected}")]
    UnsupportedAlgorithm {
        /// The format of the key.
        format: Format,
        /// The key's algorithm, e.g. `ssh-rsa` or `ecdsa-sha2-nistp256`.
        found: String,
        /// What ward accepts there, e.g. `ssh-ed25519`.
        expected: &'static str,
    },
    /// The secret key is encrypted and no passphrase was given.
    #[error("the secret key is encrypted: a passphrase is needed")]
    PassphraseRequired,
    /// The passphrase does not decrypt the secret key.
    #[error("wrong passphrase for this secret key")]
    WrongPassphrase,
    /// The passphrase cannot be used for this format (OpenPGP keys take UTF-8 passphrases).
    #[error("invalid passphrase: {0}")]
    InvalidPassphrase(&'static str),
    /// Decrypting the key would cost more than ward allows (a hostile or absurd key file).
    #[error("the secret key's key derivation is too costly: {reason}")]
    KdfTooCostly {
        /// The parameter over the limit and the limit.
        reason: String,
    },
    /// The input is larger than any honest key.
    #[error("the {what} is larger than {limit} bytes")]
    TooLarge {
        /// `public key` or `secret key`.
        what: &'static str,
        /// The limit, in bytes.
        limit: usize,
    },
    /// A key comment or user id that cannot be written.
    #[error("invalid key comment: {0}")]
    InvalidComment(&'static str),
    /// The underlying library failed to generate or encode a key.
    #[error("generating the {format} key failed: {reason}")]
    Generation {
        /// The format being generated.
        format: Format,
        /// What failed.
        reason: &'static str,
    },
}

/// A signature could not be made.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum SignError {
    /// Reading the content to sign failed.
    #[error("reading the content to sign")]
    Io(#[source] io::Error),
    /// An option the format cannot carry, or an invalid value (a trusted comment over two lines).
    #[error("{reason}")]
    InvalidOption {
        /// What is wrong with it.
        reason: String,
    },
    /// The underlying library failed to make the signature.
    #[error("making the {format} signature failed: {reason}")]
    Failed {
        /// The format of the signature.
        format: Format,
        /// What failed.
        reason: &'static str,
    },
}

/// A signature did not verify, and why.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum VerifyError {
    /// The signature was made by another key than the one given.
    #[error(
        "wrong key: the signature was made by key {signature_key_id}, but the key given is {key_id}"
    )]
    WrongKey {
        /// The format of both.
        format: Format,
        /// The key id the signature names.
        signature_key_id: String,
        /// The id of the key it was checked with.
        key_id: String,
    },
    /// The signature is by this key but not over this content: the file was altered, or the
    /// signature belongs to another file.
    #[error(
        "signature verification failed: the file does not match the signature (it was altered, or the signature is of another file)"
    )]
    FileAltered {
        /// The format of the signature.
        format: Format,
    },
    /// minisign: the signature over the file holds, the one over the trusted comment does not
    /// (the comment was altered).
    #[error("comment signature verification failed: the trusted comment was altered after signing")]
    TrustedCommentAltered,
    /// SSH: the signature was made for another namespace (another purpose).
    #[error("namespace mismatch: the signature is for namespace {found:?}, expected {expected:?}")]
    NamespaceMismatch {
        /// The namespace required.
        expected: String,
        /// The namespace in the signature.
        found: String,
    },
    /// The signature uses an algorithm ward does not verify.
    #[error("unsupported algorithm in the {format} signature: {found} (ward verifies {expected})")]
    UnsupportedAlgorithm {
        /// The format of the signature.
        format: Format,
        /// The algorithm found (e.g. `SHA1`, `ecdsa-sha2-nistp256`).
        found: String,
        /// What ward accepts there.
        expected: &'static str,
    },
    /// The signature is in another format than the key.
    #[error("the signature is a {signature} signature but the key is a {key} key")]
    FormatMismatch {
        /// The key's format.
        key: Format,
        /// The signature's format.
        signature: Format,
    },
    /// The signature file is damaged, truncated or not a signature at all.
    #[error("malformed {format} signature: {reason}")]
    Malformed {
        /// The format it was read as (the key's).
        format: Format,
        /// What is wrong.
        reason: String,
    },
    /// The signature file (or, for a legacy minisign signature, the file) is too large.
    #[error("the signature input is larger than {limit} bytes")]
    TooLarge {
        /// The limit, in bytes.
        limit: usize,
    },
    /// Reading the content failed.
    #[error("reading the signed content")]
    Io(#[source] io::Error),
}

impl VerifyError {
    /// Whether the input is unusable (malformed, too large, of another format, unreadable)
    /// rather than a well-formed signature that fails: the command line exits 2 for these, 1
    /// for the others.
    pub fn is_malformed_input(&self) -> bool {
        matches!(
            self,
            VerifyError::Malformed { .. }
                | VerifyError::TooLarge { .. }
                | VerifyError::FormatMismatch { .. }
                | VerifyError::Io(_)
        )
    }
}
