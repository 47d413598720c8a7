//! minisign 0.11's files, byte for byte. Each is an `untrusted comment: ...` line and base64
//! lines; all integers little-endian.
//!
//! - **Public key**: base64 of `Ed` ‖ key id (8) ‖ Ed25519 public key (32). The comment
//!   minisign writes is `minisign public key <ID>`, the id printed as the hex of the 8 bytes
//!   read as a little-endian integer (so reversed).
//! - **Signature** (`.minisig`): base64 of algorithm (2) ‖ key id (8) ‖ signature (64); a
//!   `trusted comment: ...` line; base64 of the *global signature* (64) over signature ‖
//!   trusted comment bytes. Algorithm `ED` signs the BLAKE2b-512 of the file (the default
//!   since 0.8, any file size); legacy `Ed` signs the file itself.
//! - **Secret key**: see [`secret`].
//!
//! Traps:
//!
//! - The global signature covers the 64 signature bytes only, not algorithm and key id; the
//!   trusted comment is the line after `trusted comment: ` without its line end.
//! - minisign checks the key id before anything else, then the file signature, then the
//!   comment signature, and says which failed; so does [`PublicKey::verify`].
//! - The `untrusted comment` is exactly that: not signed, never shown as verified.

pub(crate) mod secret;

use std::io::Read;

use base64::Engine;
use base64::engine::general_purpose::STANDARD as BASE64;
use blake2::{Blake2b512, Digest};
use ed25519_dalek::{Signature, Signer, SigningKey, VerifyingKey};

use crate::{Format, KeyError, MAX_LEGACY_MESSAGE_BYTES, SignError, Verified, VerifyError};

pub use secret::KdfLimits;
pub(crate) use secret::{SecretKey, generate};

/// The signature algorithm of keys, and of legacy signatures.
const ALG_ED: [u8; 2] = *b"Ed";
/// Prehashed (BLAKE2b-512) signatures.
const ALG_PREHASHED: [u8; 2] = *b"ED";
const KEY_ID_LEN: usize = 8;
const PUBLIC_KEY_LEN: usize = 2 + KEY_ID_LEN + 32;
const SIGNATURE_LEN: usize = 2 + KEY_ID_LEN + 64;
const UNTRUSTED_PREFIX: &str = "untrusted comment: ";
const TRUSTED_PREFIX: &str = "trusted comment: ";

/// A minisign key id as minisign prints it: 16 upper-case hex digits of the little-endian
/// integer.
pub(crate) fn key_id_hex(id: &[u8; KEY_ID_LEN]) -> String {
    format!("{:016X}", u64::from_le_bytes(*id))
}

/// A minisign public key.
#[derive(Debug)]
pub(crate) struct PublicKey {
    key_id: [u8; KEY_ID_LEN],
    key: VerifyingKey,
}

impl PublicKey {
    /// Reads a `.pub` file (comment line and base64 line) or the base64 line alone.
    pub(crate) fn parse(bytes: &[u8]) -> Result<PublicKey, KeyError> {
        let malformed = |reason: String| KeyError::Malformed {
            format: Format::Minisign,
            what: "public key",
            reason,
        };
        let text = std::str::from_utf8(bytes).map_err(|_| malformed("not text".into()))?;
        let mut lines = text.lines().map(str::trim).filter(|l| !l.is_empty());
        let mut line = lines.next().ok_or_else(|| malformed("empty".into()))?;
        if line.starts_with(UNTRUSTED_PREFIX.trim_end()) {
            line = lines
                .next()
                .ok_or_else(|| malformed("no key after the comment line".into()))?;
        }
        if lines.next().is_some() {
            return Err(malformed("more lines than a comment and a key".into()));
        }
        let raw = BASE64
            .decode(line)
            .map_err(|_| malformed("the key line is not valid base64".into()))?;
        if raw.len() != PUBLIC_KEY_LEN {
            return Err(malformed(format!(
                "the key is {} bytes, expected {PUBLIC_KEY_LEN}",
                raw.len()
            )));
        }
        if raw[..2] != ALG_ED {
            return Err(KeyError::UnsupportedAlgorithm {
                format: Format::Minisign,
                found: algorithm_name(&raw[..2]),
                expected: "Ed (Ed25519)",
            });
        }
        let key_id = raw[2..10].try_into().expect("8 bytes");
        let point: [u8; 32] = raw[10..].try_into().expect("32 bytes");
        let key = VerifyingKey::from_bytes(&point)
            .map_err(|_| malformed("not a valid Ed25519 public key".into()))?;
        Ok(PublicKey { key_id, key })
    }

    pub(crate) fn key_id(&self) -> String {
        key_id_hex(&self.key_id)
    }

    /// The `.pub` file's text, as minisign writes it (`comment`, when not empty, before
    /// minisign's own).
    pub(crate) fn to_file(&self, comment: &str) -> String {
        let mut raw = Vec::with_capacity(PUBLIC_KEY_LEN);
        raw.extend_from_slice(&ALG_ED);
        raw.extend_from_slice(&self.key_id);
        raw.extend_from_slice(self.key.as_bytes());
        let label = if comment.is_empty() {
            String::new()
        } else {
            format!("{comment}: ")
        };
        format!(
            "{UNTRUSTED_PREFIX}{label}minisign public key {}\n{}\n",
            self.key_id(),
            BASE64.encode(raw)
        )
    }

    pub(crate) fn verify(
        &self,
        content: impl Read,
        signature: &[u8],
    ) -> Result<Verified, VerifyError> {
        let signature = SignatureFile::parse(signature)?;
        if signature.key_id != self.key_id {
            return Err(VerifyError::WrongKey {
                format: Format::Minisign,
                signature_key_id: key_id_hex(&signature.key_id),
                key_id: self.key_id(),
            });
        }
        let altered = || VerifyError::FileAltered {
            format: Format::Minisign,
        };
        if signature.prehashed {
            let hash = blake2b512(content).map_err(VerifyError::Io)?;
            self.key
                .verify_strict(&hash, &signature.signature)
                .map_err(|_| altered())?;
        } else {
            let mut message = Vec::new();
            content
                .take(MAX_LEGACY_MESSAGE_BYTES + 1)
                .read_to_end(&mut message)
                .map_err(VerifyError::Io)?;
            if message.len() as u64 > MAX_LEGACY_MESSAGE_BYTES {
                return Err(VerifyError::TooLarge {
                    limit: MAX_LEGACY_MESSAGE_BYTES as usize,
                });
            }
            self.key
                .verify_strict(&message, &signature.signature)
                .map_err(|_| altered())?;
        }
        let mut global = signature.signature.to_bytes().to_vec();
        global.extend_from_slice(signature.trusted_comment.as_bytes());
        self.key
            .verify_strict(&global, &signature.global)
            .map_err(|_| VerifyError::TrustedCommentAltered)?;
        Ok(Verified {
            format: Format::Minisign,
            key_id: self.key_id(),
            trusted_comment: Some(signature.trusted_comment),
        })
    }
}

/// Signs `content` prehashed, as minisign 0.11 does by default.
pub(crate) fn sign(
    key: &SigningKey,
    key_id: &[u8; KEY_ID_LEN],
    content: impl Read,
    trusted_comment: Option<&str>,
) -> Result<Vec<u8>, SignError> {
    let trusted_comment = match trusted_comment {
        Some(comment) => comment.to_owned(),
        None => {
            let now = std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map_or(0, |d| d.as_secs());
            format!("timestamp:{now}")
        }
    };
    if trusted_comment.contains(['\r', '\n']) {
        return Err(SignError::InvalidOption {
            reason: "the trusted comment must be one line".into(),
        });
    }
    let hash = blake2b512(content).map_err(SignError::Io)?;
    let signature = key.sign(&hash);
    let mut global = signature.to_bytes().to_vec();
    global.extend_from_slice(trusted_comment.as_bytes());
    let global = key.sign(&global);

    let mut raw = Vec::with_capacity(SIGNATURE_LEN);
    raw.extend_from_slice(&ALG_PREHASHED);
    raw.extend_from_slice(key_id);
    raw.extend_from_slice(&signature.to_bytes());
    Ok(format!(
        "{UNTRUSTED_PREFIX}signature from minisign secret key\n{}\n{TRUSTED_PREFIX}{trusted_comment}\n{}\n",
        BASE64.encode(raw),
        BASE64.encode(global.to_bytes())
    )
    .into_bytes())
}

fn blake2b512(content: impl Read) -> std::io::Result<[u8; 64]> {
    let mut hasher = Blake2b512::new();
    crate::hash_reader(content, |piece| hasher.update(piece))?;
    Ok(hasher.finalize().into())
}

/// A `.minisig` file's parts.
struct SignatureFile {
    prehashed: bool,
    key_id: [u8; KEY_ID_LEN],
    signature: Signature,
    trusted_comment: String,
    global: Signature,
}

impl SignatureFile {
    fn parse(bytes: &[u8]) -> Result<SignatureFile, VerifyError> {
        let malformed = |reason: &str| VerifyError::Malformed {
            format: Format::Minisign,
            reason: reason.to_owned(),
        };
        let text = std::str::from_utf8(bytes).map_err(|_| malformed("not UTF-8 text"))?;
        let mut lines = text.split('\n').map(|l| l.strip_suffix('\r').unwrap_or(l));
        let mut next = |what: &str| {
            lines
                .next()
                .filter(|l| !l.is_empty())
                .ok_or_else(|| malformed(&format!("truncated: no {what} line")))
        };
        if !next("untrusted comment")?.starts_with(UNTRUSTED_PREFIX) {
            return Err(malformed("the first line is not `untrusted comment: ...`"));
        }
        let raw = BASE64
            .decode(next("signature")?.trim())
            .map_err(|_| malformed("the signature line is not valid base64"))?;
        if raw.len() != SIGNATURE_LEN {
            return Err(malformed(&format!(
                "the signature is {} bytes, expected {SIGNATURE_LEN}",
                raw.len()
            )));
        }
        let prehashed = match [raw[0], raw[1]] {
            ALG_PREHASHED => true,
            ALG_ED => false,
            _ => {
                return Err(VerifyError::UnsupportedAlgorithm {
                    format: Format::Minisign,
                    found: algorithm_name(&raw[..2]),
                    expected: "ED (prehashed Ed25519) and legacy Ed",
                });
            }
        };
        let trusted_comment = next("trusted comment")?
            .strip_prefix(TRUSTED_PREFIX)
            .ok_or_else(|| malformed("the third line is not `trusted comment: ...`"))?
            .to_owned();
        let global = BASE64
            .decode(next("comment signature")?.trim())
            .map_err(|_| malformed("the comment signature line is not valid base64"))?;
        let global: [u8; 64] = global.try_into().map_err(|g: Vec<u8>| {
            malformed(&format!(
                "the comment signature is {} bytes, expected 64",
                g.len()
            ))
        })?;
        if lines.any(|l| !l.trim().is_empty()) {
            return Err(malformed("text after the comment signature"));
        }
        Ok(SignatureFile {
            prehashed,
            key_id: raw[2..10].try_into().expect("8 bytes"),
            signature: Signature::from_bytes(&raw[10..].try_into().expect("64 bytes")),
            trusted_comment,
            global: Signature::from_bytes(&global),
        })
    }
}

/// Two algorithm bytes, as text when printable (`Ed`, `Sc`), else in hex; never more.
fn algorithm_name(bytes: &[u8]) -> String {
    if bytes.iter().all(|b| b.is_ascii_graphic()) {
        String::from_utf8_lossy(bytes).into_owned()
    } else {
        bytes
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect::<Vec<_>>()
            .concat()
    }
}
