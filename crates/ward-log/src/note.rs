//! C2SP signed notes (<https://c2sp.org/signed-note>) with Ed25519 keys, the envelope of a
//! checkpoint, byte-compatible with Go's `golang.org/x/mod/sumdb/note`.
//!
//! - A verifier key is `<name>+<key id, 8 hex>+<base64(0x01 || public key)>`; the key id is
//!   the first 4 bytes of `SHA-256(name || 0x0A || 0x01 || public key)`, big-endian.
//! - A signer key is `PRIVATE+KEY+<name>+<key id>+<base64(0x01 || seed)>`.
//! - A note is its text (ending in a newline), a blank line, then one or more lines
//!   `— <name> <base64(key id || signature)>` (U+2014 em dash).
//!
//! Traps, and what this module does about them (Go's `note.go` decides where the spec is
//! silent):
//!
//! - The text may itself contain blank lines: the signatures start after the *last* one.
//! - A name is non-empty, without `+` and without any Unicode space (Go's `unicode.IsSpace`,
//!   which is Rust's `char::is_whitespace`). Origins like `go.sum database tree` are fine as
//!   checkpoint origins but are not key names.
//! - A whole note is valid UTF-8 without ASCII control characters other than `\n` (a `\r` is
//!   refused: a note written on Windows does not verify).
//! - Signature lines by unknown keys (another name *or* another key id) are skipped without
//!   being decoded beyond their shape; a repeated line by the known key is skipped too, as Go
//!   does, after the first one was checked. A known key's signature that fails is fatal.
//! - More than 100 signature lines, or a note over 1 MiB, is refused before any
//!   verification, so a hostile note costs bounded work.
//! - Base64 is RFC 4648 standard with padding, canonical: Go also accepts stray `\r\n` and
//!   non-zero trailing bits, this module does not (it only refuses more).
//! - A verifier key whose 32 bytes are not an Ed25519 point is refused when parsed (Go accepts
//!   it and then never verifies anything with it). Verification is RFC 8032 cofactorless with
//!   canonical `S`, as Go's `crypto/ed25519` does.

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use ed25519_dalek::{Signer as _, SigningKey, Verifier as _, VerifyingKey};
use sha2::{Digest, Sha256};
use zeroize::Zeroizing;

use crate::Error;

/// The signature type byte of Ed25519 in C2SP signed-note.
const ALG_ED25519: u8 = 0x01;
/// The largest note [`open`] reads: 1 MiB.
pub const MAX_NOTE_LEN: usize = 1 << 20;
/// The most signature lines [`open`] reads (Go's limit; the spec asks for at least 16).
pub const MAX_SIGNATURES: usize = 100;
/// What starts a signature line: an em dash and a space.
const SIG_PREFIX: &str = "\u{2014} ";

/// The key that signs notes (and so checkpoints) for one name (the log's origin).
pub struct NoteSigner {
    name: String,
    key: SigningKey,
}

impl std::fmt::Debug for NoteSigner {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("NoteSigner")
            .field("name", &self.name)
            .finish_non_exhaustive()
    }
}

impl NoteSigner {
    /// A new random key for `name` (a non-empty name without `+`, spaces or newlines), from
    /// the operating system's random source.
    pub fn generate(name: &str) -> Result<Self, Error> {
        check_name(name, "signer key")?;
        let key = SigningKey::generate(&mut rand_core_06::OsRng);
        Ok(Self {
            name: name.to_owned(),
            key,
        })
    }

    /// The signer for `name` with this Ed25519 seed (the 32-byte private key of RFC 8032).
    pub fn from_seed(name: &str, seed: &[u8; 32]) -> Result<Self, Error> {
        check_name(name, "signer key")?;
        Ok(Self {
            name: name.to_owned(),
            key: SigningKey::from_bytes(seed),
        })
    }

    /// Parses a `PRIVATE+KEY+...` signer key; the key id must be the one of the public key
    /// the seed gives.
    pub fn parse(skey: &str) -> Result<Self, Error> {
        let malformed = |reason: &str| Error::Malformed {
            what: "signer key",
            reason: reason.to_owned(),
        };
        let rest = skey
            .strip_prefix("PRIVATE+KEY+")
            .ok_or_else(|| malformed("it does not start with PRIVATE+KEY+"))?;
        let (name, key_id, key) = split_key(rest, "signer key")?;
        let key = Zeroizing::new(
            STANDARD
                .decode(key)
                .map_err(|_| malformed("the key is not standard base64"))?,
        );
        let Some((&alg, seed)) = key.split_first() else {
            return Err(malformed("the key is empty"));
        };
        if alg != ALG_ED25519 {
            return Err(malformed("the algorithm is not Ed25519 (0x01)"));
        }
        let seed: &[u8; 32] = seed
            .try_into()
            .map_err(|_| malformed("an Ed25519 seed is 32 bytes long"))?;
        let signer = Self::from_seed(name, seed)?;
        if signer.key_id() != key_id {
            return Err(malformed("the key id is not the one of this key"));
        }
        Ok(signer)
    }

    /// The `PRIVATE+KEY+...` form, for storing (a secret: never log it).
    #[must_use]
    pub fn to_skey(&self) -> Zeroizing<String> {
        let mut raw = Zeroizing::new([0u8; 33]);
        raw[0] = ALG_ED25519;
        raw[1..].copy_from_slice(self.key.as_bytes());
        let id = format!("{:08x}", self.key_id());
        // Sized up front so the string never reallocates and leaves an unzeroed copy behind.
        let mut skey = Zeroizing::new(String::with_capacity(
            "PRIVATE+KEY+".len() + self.name.len() + 1 + id.len() + 1 + 44,
        ));
        skey.push_str("PRIVATE+KEY+");
        skey.push_str(&self.name);
        skey.push('+');
        skey.push_str(&id);
        skey.push('+');
        STANDARD.encode_string(&raw[..], &mut skey);
        skey
    }

    /// The name this key signs for.
    #[must_use]
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The key id (shared with the verifier).
    #[must_use]
    pub fn key_id(&self) -> u32 {
        key_id(&self.name, &self.key.verifying_key())
    }

    /// The matching verifier.
    #[must_use]
    pub fn verifier(&self) -> NoteVerifier {
        let key = self.key.verifying_key();
        NoteVerifier {
            name: self.name.clone(),
            key_id: key_id(&self.name, &key),
            key,
        }
    }

    /// Signs `text`, returning the whole note: the text, a blank line, one signature line.
    ///
    /// The text must end in `\n` and be a valid note text: no ASCII control characters other
    /// than `\n`, and the note no longer than [`MAX_NOTE_LEN`] (what [`open`] would refuse is
    /// not signed). It may contain blank lines.
    pub fn sign(&self, text: &str) -> Result<String, Error> {
        let malformed = |reason: &str| Error::Malformed {
            what: "note",
            reason: reason.to_owned(),
        };
        if !text.ends_with('\n') {
            return Err(malformed("the text does not end in a newline"));
        }
        if has_control(text) {
            return Err(malformed(
                "the text holds an ASCII control character other than newline",
            ));
        }
        let mut sig = Vec::with_capacity(68);
        sig.extend_from_slice(&self.key_id().to_be_bytes());
        sig.extend_from_slice(&self.key.sign(text.as_bytes()).to_bytes());
        let mut note = String::with_capacity(text.len() + self.name.len() + 100);
        note.push_str(text);
        note.push('\n');
        note.push_str(SIG_PREFIX);
        note.push_str(&self.name);
        note.push(' ');
        STANDARD.encode_string(&sig, &mut note);
        note.push('\n');
        if note.len() > MAX_NOTE_LEN {
            return Err(malformed("the note would be larger than 1 MiB"));
        }
        Ok(note)
    }
}

/// A public key that verifies notes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NoteVerifier {
    name: String,
    key_id: u32,
    key: VerifyingKey,
}

impl NoteVerifier {
    /// Parses a `<name>+<key id>+<base64>` verifier key; a key id that does not match the key
    /// or an algorithm other than Ed25519 (0x01) is refused.
    pub fn parse(vkey: &str) -> Result<Self, Error> {
        let malformed = |reason: &str| Error::Malformed {
            what: "verifier key",
            reason: reason.to_owned(),
        };
        let (name, id, key) = split_key(vkey, "verifier key")?;
        let key = STANDARD
            .decode(key)
            .map_err(|_| malformed("the key is not standard base64"))?;
        // Go checks the id over the encoded key before looking at the algorithm.
        if key.is_empty() {
            return Err(malformed("the key is empty"));
        }
        if raw_key_id(name, &key) != id {
            return Err(malformed("the key id is not the one of this key"));
        }
        let Some((&ALG_ED25519, key)) = key.split_first() else {
            return Err(malformed("the algorithm is not Ed25519 (0x01)"));
        };
        let key: &[u8; 32] = key
            .try_into()
            .map_err(|_| malformed("an Ed25519 public key is 32 bytes long"))?;
        let key = VerifyingKey::from_bytes(key)
            .map_err(|_| malformed("the key is not an Ed25519 point"))?;
        Ok(Self {
            name: name.to_owned(),
            key_id: id,
            key,
        })
    }

    /// The verifier for `name` with this Ed25519 public key.
    pub fn from_public_key(name: &str, key: &[u8; 32]) -> Result<Self, Error> {
        check_name(name, "verifier key")?;
        let key = VerifyingKey::from_bytes(key).map_err(|_| Error::Malformed {
            what: "verifier key",
            reason: "the key is not an Ed25519 point".to_owned(),
        })?;
        Ok(Self {
            name: name.to_owned(),
            key_id: key_id(name, &key),
            key,
        })
    }

    /// The verifier key in its text form.
    #[must_use]
    pub fn to_vkey(&self) -> String {
        let mut raw = [0u8; 33];
        raw[0] = ALG_ED25519;
        raw[1..].copy_from_slice(self.key.as_bytes());
        format!("{}+{:08x}+{}", self.name, self.key_id, STANDARD.encode(raw))
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

    /// The Ed25519 public key.
    #[must_use]
    pub fn public_key(&self) -> [u8; 32] {
        self.key.to_bytes()
    }
}

/// Opens a note: checks that it is well formed (size-capped at 1 MiB) and that at least one
/// signature line is by `verifier` (name and key id) and verifies; returns the text. Signature
/// lines by unknown keys are ignored, as the spec says; a line by this key that does not verify
/// is an error, as is a note with no signature by it.
pub fn open<'a>(note: &'a str, verifier: &NoteVerifier) -> Result<&'a str, Error> {
    let malformed = |reason: &str| Error::Malformed {
        what: "note",
        reason: reason.to_owned(),
    };
    if note.len() > MAX_NOTE_LEN {
        return Err(malformed("larger than 1 MiB"));
    }
    if has_control(note) {
        return Err(malformed(
            "it holds an ASCII control character other than newline",
        ));
    }
    let split = note
        .rfind("\n\n")
        .ok_or_else(|| malformed("no blank line before the signatures"))?;
    let (text, sigs) = (&note[..=split], &note[split + 2..]);
    if sigs.is_empty() {
        return Err(malformed("no signature lines"));
    }
    let Some(sigs) = sigs.strip_suffix('\n') else {
        return Err(malformed(
            "the last signature line does not end in a newline",
        ));
    };
    let mut verified = false;
    for (n, line) in sigs.split('\n').enumerate() {
        let line = line
            .strip_prefix(SIG_PREFIX)
            .ok_or_else(|| malformed("a signature line does not start with an em dash"))?;
        let (name, b64) = line.split_once(' ').unwrap_or((line, ""));
        let sig = STANDARD.decode(b64).ok().filter(|_| is_valid_name(name));
        let Some(sig) = sig.filter(|s| !b64.is_empty() && s.len() >= 5) else {
            return Err(malformed("a signature line is not `— <name> <base64>`"));
        };
        if n >= MAX_SIGNATURES {
            return Err(malformed("more than 100 signatures"));
        }
        let (id, sig) = sig.split_at(4);
        let id = u32::from_be_bytes([id[0], id[1], id[2], id[3]]);
        if name != verifier.name || id != verifier.key_id || verified {
            // Another key's, or a repeat of one already checked: Go skips both.
            continue;
        }
        // Go's `ed25519.Verify`: cofactorless, canonical `S`, the recomputed `R` compared as
        // bytes. That is dalek's `verify`; `verify_strict` would also refuse small-order keys
        // and `R`s, which Go accepts.
        let good = ed25519_dalek::Signature::from_slice(sig)
            .is_ok_and(|sig| verifier.key.verify(text.as_bytes(), &sig).is_ok());
        if !good {
            return Err(Error::Signature(format!(
                "invalid signature for key {}+{:08x}",
                verifier.name, verifier.key_id
            )));
        }
        verified = true;
    }
    if !verified {
        return Err(Error::Signature(format!(
            "the note has no signature by key {}+{:08x}",
            verifier.name, verifier.key_id
        )));
    }
    Ok(text)
}

/// Splits `<name>+<8 hex>+<base64>` (the base64 may hold `+` itself), checking the name and
/// the key id's form.
fn split_key<'a>(key: &'a str, what: &'static str) -> Result<(&'a str, u32, &'a str), Error> {
    let malformed = |reason: &str| Error::Malformed {
        what,
        reason: reason.to_owned(),
    };
    let (name, rest) = key
        .split_once('+')
        .ok_or_else(|| malformed("it is not <name>+<key id>+<key>"))?;
    let (id, b64) = rest.split_once('+').unwrap_or((rest, ""));
    check_name(name, what)?;
    // Go's ParseUint(hash, 16, 32) on exactly 8 characters: hex digits of either case.
    if id.len() != 8 || !id.bytes().all(|b| b.is_ascii_hexdigit()) {
        return Err(malformed("the key id is not 8 hexadecimal digits"));
    }
    let id = u32::from_str_radix(id, 16).map_err(|_| malformed("the key id is not hex"))?;
    Ok((name, id, b64))
}

fn check_name(name: &str, what: &'static str) -> Result<(), Error> {
    if is_valid_name(name) {
        Ok(())
    } else {
        Err(Error::Malformed {
            what,
            reason: "a key name must be non-empty, without `+` or spaces".to_owned(),
        })
    }
}

/// Go's `isValidName`: non-empty, no Unicode space, no `+`.
fn is_valid_name(name: &str) -> bool {
    !name.is_empty() && !name.contains(|c: char| c.is_whitespace() || c == '+')
}

/// An ASCII control character other than newline (what a note must not hold).
fn has_control(text: &str) -> bool {
    text.bytes().any(|b| b < 0x20 && b != b'\n')
}

fn key_id(name: &str, key: &VerifyingKey) -> u32 {
    let mut raw = [0u8; 33];
    raw[0] = ALG_ED25519;
    raw[1..].copy_from_slice(key.as_bytes());
    raw_key_id(name, &raw)
}

/// `SHA-256(name || "\n" || encoded key)[:4]`, big-endian; `key` starts with its type byte.
fn raw_key_id(name: &str, key: &[u8]) -> u32 {
    let mut h = Sha256::new();
    h.update(name.as_bytes());
    h.update(b"\n");
    h.update(key);
    let sum = h.finalize();
    u32::from_be_bytes([sum[0], sum[1], sum[2], sum[3]])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_follow_go() {
        for good in ["PeterNeumann", "example.com/log", "Señor-1", "a"] {
            assert!(is_valid_name(good), "{good}");
        }
        for bad in [
            "",
            "a b",
            "a+b",
            "a\tb",
            "a\u{a0}b",
            "a\u{2028}b",
            "a\u{3000}",
        ] {
            assert!(!is_valid_name(bad), "{bad:?}");
        }
    }

    #[test]
    fn a_generated_key_round_trips() {
        let signer = NoteSigner::generate("ward.example/log").unwrap();
        let again = NoteSigner::parse(&signer.to_skey()).unwrap();
        assert_eq!(again.verifier(), signer.verifier());
        let vkey = signer.verifier().to_vkey();
        assert_eq!(NoteVerifier::parse(&vkey).unwrap(), signer.verifier());
        assert!(!format!("{signer:?}").contains("PRIVATE"));
        assert!(NoteSigner::generate("bad name").is_err());
    }
}
