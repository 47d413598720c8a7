//! Checkpoints in the C2SP tlog-checkpoint format (<https://c2sp.org/tlog-checkpoint>): the
//! origin line, the tree size in decimal, the base64 root hash, optional extension lines; the
//! body of a signed note.
//!
//! Parsing is strict where transparency-dev/formats is lenient, so that a parsed checkpoint
//! prints back to the very bytes that were signed: no empty line anywhere (formats keeps
//! trailing empty lines as "rest"), no sign or leading zero in the size, a root of exactly 32
//! bytes in canonical padded base64, no control characters. The origin may hold spaces (Go's
//! sum database calls itself `go.sum database tree`); to be signed or opened with a key it
//! must be that key's name.

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;

use crate::note::{self, NoteSigner, NoteVerifier};
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
        let mut text = format!(
            "{}\n{}\n{}\n",
            self.origin,
            self.size,
            STANDARD.encode(self.root.as_bytes())
        );
        for line in &self.extensions {
            text.push_str(line);
            text.push('\n');
        }
        text
    }

    /// Parses a note text; refuses anything that is not exactly this form (a size with a sign,
    /// leading zeros or out of range, a root not 32 bytes of standard base64, empty lines).
    pub fn parse(text: &str) -> Result<Self, Error> {
        let malformed = |reason: &str| Error::Malformed {
            what: "checkpoint",
            reason: reason.to_owned(),
        };
        let body = text
            .strip_suffix('\n')
            .ok_or_else(|| malformed("it does not end in a newline"))?;
        if text.bytes().any(|b| b < 0x20 && b != b'\n') {
            return Err(malformed(
                "it holds an ASCII control character other than newline",
            ));
        }
        let mut lines = body.split('\n');
        let (Some(origin), Some(size), Some(root)) = (lines.next(), lines.next(), lines.next())
        else {
            return Err(malformed("fewer than three lines"));
        };
        if origin.is_empty() {
            return Err(malformed("the origin is empty"));
        }
        let size_ok = !size.is_empty()
            && size.bytes().all(|b| b.is_ascii_digit())
            && (size == "0" || !size.starts_with('0'));
        let size = size
            .parse::<u64>()
            .ok()
            .filter(|_| size_ok)
            .ok_or_else(|| malformed("the size is not a decimal u64 without leading zeros"))?;
        let root = STANDARD
            .decode(root)
            .ok()
            .and_then(|bytes| Hash::from_slice(&bytes).ok())
            .ok_or_else(|| malformed("the root is not 32 bytes in standard base64"))?;
        let extensions: Vec<String> = lines.map(str::to_owned).collect();
        if extensions.iter().any(String::is_empty) {
            return Err(malformed("an empty extension line"));
        }
        Ok(Self {
            origin: origin.to_owned(),
            size,
            root,
            extensions,
        })
    }

    /// Signs the checkpoint; the signer's name must be the origin, and the checkpoint must be
    /// one [`Checkpoint::parse`] reads back (no newline in the origin or an extension, no
    /// empty extension).
    pub fn sign(&self, signer: &NoteSigner) -> Result<String, Error> {
        if self.origin != signer.name() {
            return Err(Error::Origin {
                expected: signer.name().to_owned(),
            });
        }
        let text = self.to_text();
        if Self::parse(&text).as_ref() != Ok(self) {
            return Err(Error::Malformed {
                what: "checkpoint",
                reason: "it would not parse back as itself (a newline, control character or \
                         empty extension line)"
                    .to_owned(),
            });
        }
        signer.sign(&text)
    }

    /// Opens a signed checkpoint note with the log's verifier key; the origin must be the
    /// verifier's name.
    pub fn open(note: &str, verifier: &NoteVerifier) -> Result<Self, Error> {
        let checkpoint = Self::parse(note::open(note, verifier)?)?;
        if checkpoint.origin != verifier.name() {
            return Err(Error::Origin {
                expected: verifier.name().to_owned(),
            });
        }
        Ok(checkpoint)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_round_trips() {
        let cp = Checkpoint {
            origin: "ward.example/log".to_owned(),
            size: 7,
            root: Hash::new([9; 32]),
            extensions: vec!["ext one".to_owned()],
        };
        assert_eq!(Checkpoint::parse(&cp.to_text()), Ok(cp));
    }

    #[test]
    fn sign_refuses_what_would_not_parse_back() {
        let signer = NoteSigner::generate("o").unwrap();
        let mut cp = Checkpoint {
            origin: "o".to_owned(),
            size: 1,
            root: Hash::new([0; 32]),
            extensions: vec![String::new()],
        };
        assert!(matches!(cp.sign(&signer), Err(Error::Malformed { .. })));
        cp.extensions = vec!["a\nb".to_owned()];
        assert!(matches!(cp.sign(&signer), Err(Error::Malformed { .. })));
        cp.extensions.clear();
        cp.origin = "p".to_owned();
        assert!(matches!(cp.sign(&signer), Err(Error::Origin { .. })));
    }
}
