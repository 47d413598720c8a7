//! Checkpoints in the C2SP tlog-checkpoint format (<https://c2sp.org/tlog-checkpoint>): the
//! origin line, the tree size in decimal, the base64 root hash, optional extension lines; the
//! body of a signed note.

use crate::note::{NoteSigner, NoteVerifier};
use crate::{Error, Hash};

/// A tree head, named by the log's origin.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Checkpoint {
    /// The log's origin (its name, e.g. `ward.example.org/log`).
    pub origin: String,
    /// The tree size.
    pub size: u64,
    /// The tree head at that size.
    pub root: Hash,
    /// Extension lines, in order (without newlines).
    pub extensions: Vec<String>,
}

impl Checkpoint {
    /// The note text: `origin\nsize\nbase64(root)\n[extension\n...]`.
    #[must_use]
    pub fn to_text(&self) -> String {
        todo!()
    }
    /// Parses a note text; refuses anything that is not exactly this form (a size with a sign,
    /// leading zeros or out of range, a root not 32 bytes of standard base64, empty lines).
    pub fn parse(text: &str) -> Result<Self, Error> {
        todo!()
    }
    /// Signs the checkpoint; the signer's name must be the origin.
    pub fn sign(&self, signer: &NoteSigner) -> Result<String, Error> {
        todo!()
    }
    /// Opens a signed checkpoint note with the log's verifier key; the origin must be the
    /// verifier's name.
    pub fn open(note: &str, verifier: &NoteVerifier) -> Result<Self, Error> {
        todo!()
    }
}
