//! C2SP signed notes (<https://c2sp.org/signed-note>) with Ed25519 keys, the envelope of a
//! checkpoint, byte-compatible with Go's `golang.org/x/mod/sumdb/note`.
//!
//! - A verifier key is `<name>+<key id, 8 hex>+<base64(0x01 || public key)>`; the key id is
//!   the first 4 bytes of `SHA-256(name || 0x0A || 0x01 || public key)`, big-endian.
//! - A signer key is `PRIVATE+KEY+<name>+<key id>+<base64(0x01 || seed)>`.
//! - A note is its text (ending in a newline), a blank line, then one or more lines
//!   `— <name> <base64(key id || signature)>` (U+2014 em dash).

use crate::Error;

/// The key that signs notes (and so checkpoints) for one name (the log's origin).
pub struct NoteSigner {
    name: String,
    key: ed25519_dalek::SigningKey,
}

impl std::fmt::Debug for NoteSigner {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("NoteSigner")
            .field("name", &self.name)
            .finish_non_exhaustive()
    }
}

impl NoteSigner {
    /// A new random key for `name` (a non-empty name without `+`, spaces or newlines).
    pub fn generate(name: &str) -> Result<Self, Error> {
        todo!()
    }
    /// Parses a `PRIVATE+KEY+...` signer key.
    pub fn parse(skey: &str) -> Result<Self, Error> {
        todo!()
    }
    /// The `PRIVATE+KEY+...` form, for storing (a secret: never log it).
    #[must_use]
    pub fn to_skey(&self) -> zeroize::Zeroizing<String> {
        todo!()
    }
    /// The name this key signs for.
    #[must_use]
    pub fn name(&self) -> &str {
        &self.name
    }
    /// The matching verifier.
    #[must_use]
    pub fn verifier(&self) -> NoteVerifier {
        todo!()
    }
    /// Signs `text` (which must end in `\n` and contain no blank line... as the spec requires),
    /// returning the whole note.
    pub fn sign(&self, text: &str) -> Result<String, Error> {
        todo!()
    }
}

/// A public key that verifies notes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NoteVerifier {
    name: String,
    key_id: u32,
    key: ed25519_dalek::VerifyingKey,
}

impl NoteVerifier {
    /// Parses a `<name>+<key id>+<base64>` verifier key; a key id that does not match the key
    /// or an algorithm other than Ed25519 (0x01) is refused.
    pub fn parse(vkey: &str) -> Result<Self, Error> {
        todo!()
    }
    /// The verifier key in its text form.
    #[must_use]
    pub fn to_vkey(&self) -> String {
        todo!()
    }
    /// The name.
    #[must_use]
    pub fn name(&self) -> &str {
        &self.name
    }
    /// The key id.
    #[must_use]
    pub fn key_id(&self) -> u32 {
        self.key_id
    }
}

/// Opens a note: checks that it is well formed (size-capped at 1 MiB) and that at least one
/// signature line is by `verifier` (name and key id) and verifies; returns the text. Signature
/// lines by unknown keys are ignored, as the spec says; a line by this key that does not verify
/// is an error, as is a note with no signature by it.
pub fn open<'a>(note: &'a str, verifier: &NoteVerifier) -> Result<&'a str, Error> {
    todo!()
}
