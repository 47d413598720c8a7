//! What the instance's transparency log records, byte for byte: the entries whose leaf hashes
//! make its Merkle tree.
//!
//! The log is public, so an entry never carries report content, names or anything an embargo
//! hides:
//!
//! - an **audit event** is recorded by its sequence number and its chain hash, an HMAC under
//!   the instance's audit key. Anyone can see that the log grew by one event; only the holder
//!   of the key can check that a database's events are the logged ones (`ward audit verify`),
//!   and then no event can be edited, inserted, deleted or cut from the tail unseen;
//! - a **release signature** registered with `ward log add` is recorded as the SHA-256 of the
//!   signed file and the signature file itself, so `ward verify --log` can find it again from
//!   the file and its signature alone.
//!
//! Every entry starts with a line naming its kind and version, so a monitor can read the log
//! without guessing.
//!
//! ```
//! use ward_desk::ledger::{Entry, audit_entry, signature_entry};
//!
//! let entry = audit_entry(42, &[7; 32]);
//! assert!(entry.starts_with(b"ward-audit/v1\nseq 42\n"));
//! assert_eq!(Entry::parse(&entry)?, Entry::Audit { seq: 42, hash: [7; 32] });
//!
//! let entry = signature_entry(&[1; 32], b"untrusted comment: ...\n")?;
//! assert!(matches!(Entry::parse(&entry)?, Entry::Signature { .. }));
//! # Ok::<(), ward_desk::ledger::EntryError>(())
//! ```

use crate::audit::hex;

/// The longest entry the log takes (the tile format's 16-bit length prefix).
pub const MAX_ENTRY: usize = 65_535;

const AUDIT: &str = "ward-audit/v1";
const SIGNATURE: &str = "ward-signature/v1";

/// The entry recording audit event `seq` with chain hash `hash`.
#[must_use]
pub fn audit_entry(seq: i64, hash: &[u8; 32]) -> Vec<u8> {
    format!("{AUDIT}\nseq {seq}\nhash {}\n", hex(hash)).into_bytes()
}

/// The entry recording a release signature: the SHA-256 of the signed file, then the
/// signature file's bytes as they are.
pub fn signature_entry(file_sha256: &[u8; 32], signature: &[u8]) -> Result<Vec<u8>, EntryError> {
    let mut entry = format!("{SIGNATURE}\nsha256 {}\n\n", hex(file_sha256)).into_bytes();
    entry.extend_from_slice(signature);
    if entry.len() > MAX_ENTRY {
        return Err(EntryError::TooLong { len: entry.len() });
    }
    Ok(entry)
}

/// A log entry, read back.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Entry<'a> {
    /// An audit event.
    Audit {
        /// Its sequence number.
        seq: i64,
        /// Its chain hash.
        hash: [u8; 32],
    },
    /// A release signature.
    Signature {
        /// The SHA-256 of the signed file.
        file_sha256: [u8; 32],
        /// The signature file.
        signature: &'a [u8],
    },
}

impl<'a> Entry<'a> {
    /// Reads an entry made by [`audit_entry`] or [`signature_entry`].
    pub fn parse(entry: &'a [u8]) -> Result<Self, EntryError> {
        let (kind, rest) = split_line(entry).ok_or(EntryError::Malformed("no kind line"))?;
        match kind {
            AUDIT => {
                let (seq, rest) = field(rest, "seq ")?;
                let (hash, rest) = field(rest, "hash ")?;
                if !rest.is_empty() {
                    return Err(EntryError::Malformed("bytes after the hash line"));
                }
                let seq = seq
                    .parse::<i64>()
                    .ok()
                    .filter(|s| *s > 0 && !seq.starts_with(['+', '0']))
                    .ok_or(EntryError::Malformed("seq is not a positive decimal"))?;
                Ok(Entry::Audit {
                    seq,
                    hash: unhex(hash)?,
                })
            }
            SIGNATURE => {
                let (sha, rest) = field(rest, "sha256 ")?;
                let signature = rest
                    .strip_prefix(b"\n")
                    .ok_or(EntryError::Malformed("no blank line before the signature"))?;
                Ok(Entry::Signature {
                    file_sha256: unhex(sha)?,
                    signature,
                })
            }
            _ => Err(EntryError::UnknownKind),
        }
    }
}

/// Why an entry cannot be made or read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum EntryError {
    /// Longer than [`MAX_ENTRY`].
    #[error("a log entry is {len} bytes long; at most {MAX_ENTRY} fit")]
    TooLong {
        /// Its length.
        len: usize,
    },
    /// Not a kind this version of ward writes.
    #[error("not a ward log entry kind")]
    UnknownKind,
    /// Not the form its kind has.
    #[error("malformed log entry: {0}")]
    Malformed(&'static str),
}

fn split_line(bytes: &[u8]) -> Option<(&str, &[u8])> {
    let end = bytes.iter().position(|b| *b == b'\n')?;
    Some((std::str::from_utf8(&bytes[..end]).ok()?, &bytes[end + 1..]))
}

fn field<'a>(bytes: &'a [u8], name: &'static str) -> Result<(&'a str, &'a [u8]), EntryError> {
    let (line, rest) = split_line(bytes).ok_or(EntryError::Malformed("a line is missing"))?;
    let value = line
        .strip_prefix(name)
        .ok_or(EntryError::Malformed("a field is missing or out of order"))?;
    Ok((value, rest))
}

fn unhex(text: &str) -> Result<[u8; 32], EntryError> {
    let bad = EntryError::Malformed("a hash is not 64 lowercase hex digits");
    if text.len() != 64 {
        return Err(bad);
    }
    let mut out = [0u8; 32];
    for (i, pair) in text.as_bytes().chunks(2).enumerate() {
        let digit = |c: u8| match c {
            b'0'..=b'9' => Some(c - b'0'),
            b'a'..=b'f' => Some(c - b'a' + 10),
            _ => None,
        };
        out[i] = match (digit(pair[0]), digit(pair[1])) {
            (Some(h), Some(l)) => h << 4 | l,
            _ => return Err(bad),
        };
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn entries_read_back_as_written() {
        for (seq, hash) in [(1, [0u8; 32]), (i64::MAX, [0xff; 32]), (77, [0x5a; 32])] {
            let entry = audit_entry(seq, &hash);
            assert_eq!(Entry::parse(&entry), Ok(Entry::Audit { seq, hash }));
        }
        let sig = b"-----BEGIN PGP SIGNATURE-----\n\nabc\n";
        let entry = signature_entry(&[3; 32], sig).unwrap();
        assert_eq!(
            Entry::parse(&entry),
            Ok(Entry::Signature {
                file_sha256: [3; 32],
                signature: &sig[..]
            })
        );
    }

    #[test]
    fn malformed_entries_are_refused() {
        let good = audit_entry(5, &[1; 32]);
        for bad in [
            &b""[..],
            b"ward-audit/v1",
            b"ward-audit/v2\nseq 1\n",
            b"ward-audit/v1\nseq 01\nhash 0101010101010101010101010101010101010101010101010101010101010101\n",
            b"ward-audit/v1\nseq -1\nhash 0101010101010101010101010101010101010101010101010101010101010101\n",
            b"ward-audit/v1\nseq 1\nhash 0101010101010101010101010101010101010101010101010101010101010101\nx",
            b"ward-audit/v1\nseq 1\nhash 01010101010101010101010101010101010101010101010101010101010101\n",
            b"ward-audit/v1\nseq 1\nhash 010101010101010101010101010101010101010101010101010101010101010G\n",
            b"ward-signature/v1\nsha256 0101010101010101010101010101010101010101010101010101010101010101\nsig",
        ] {
            assert!(Entry::parse(bad).is_err(), "{:?}", String::from_utf8_lossy(bad));
        }
        for cut in 0..good.len() {
            assert!(Entry::parse(&good[..cut]).is_err(), "cut at {cut}");
        }
    }

    #[test]
    fn an_entry_too_long_for_a_bundle_is_refused() {
        assert!(matches!(
            signature_entry(&[0; 32], &vec![b'x'; MAX_ENTRY]),
            Err(EntryError::TooLong { .. })
        ));
    }
}
