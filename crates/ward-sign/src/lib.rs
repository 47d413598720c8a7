//! Release signatures with Ed25519 keys, in the three formats people verify with:
//!
//! - [`Format::Minisign`] (the default): byte-compatible with minisign 0.11. Public keys,
//!   secret keys (scrypt-encrypted, or unencrypted like `minisign -W`), prehashed `ED`
//!   signatures with a signed *trusted comment*; legacy `Ed` signatures are verified too.
//! - [`Format::Ssh`]: OpenSSH Ed25519 keys (passphrase-encrypted or not) and SSH signatures
//!   (`sshsig`, what `ssh-keygen -Y sign` and git write), with a *namespace* (`file` unless
//!   told otherwise).
//! - [`Format::OpenPgp`]: v4 Ed25519 keys and ASCII-armoured detached signatures that
//!   `gpg --verify` accepts; gpg's own signatures (armoured or binary) by Ed25519 or RSA keys
//!   are verified.
//!
//! The entry points are [`generate`], [`sign`] and [`verify`], over [`SecretKey`] and
//! [`PublicKey`], which recognise their format from the bytes.
//!
//! What this crate answers for:
//!
//! - **No home-made cryptography.** Ed25519 is ed25519-dalek's, BLAKE2b and scrypt
//!   RustCrypto's, OpenSSH key encryption ssh-key's, OpenPGP rpgp's. What is written here by
//!   hand is only the file formats around them.
//! - **Files are hashed as they are read.** Signing and verifying read the file through a
//!   reader, never whole; the one exception is a legacy (non-prehashed) minisign signature,
//!   which Ed25519 needs whole: such files are capped at [`MAX_LEGACY_MESSAGE_BYTES`].
//! - **Every refusal says why**, as a distinct variant: [`VerifyError::WrongKey`] names both key
//!   ids, [`VerifyError::FileAltered`], [`VerifyError::TrustedCommentAltered`],
//!   [`VerifyError::NamespaceMismatch`], [`VerifyError::UnsupportedAlgorithm`],
//!   [`VerifyError::Malformed`]; [`KeyError::WrongPassphrase`] and the others for keys. No
//!   error carries key material or the signed content.
//! - **No input makes it panic or allocate without bound.** Every parser refuses input over a
//!   size cap first ([`MAX_KEY_BYTES`], [`MAX_SIGNATURE_BYTES`]), and a secret key whose key
//!   derivation would cost more than minisign's or OpenSSH's defaults many times over is
//!   refused before deriving.
//! - **Secrets are wiped.** Passphrases and secret key bytes are [`Zeroizing`]; their `Debug`
//!   prints no secret.
//!
//! ```
//! use ward_sign::{Format, PublicKey, SecretKey, SignOptions, VerifyOptions, VerifyError};
//!
//! let generated = ward_sign::generate(Format::Minisign, None, "release key")?;
//! let secret = SecretKey::parse(&generated.secret, || None)?;
//! let public = PublicKey::parse(generated.public.as_bytes())?;
//!
//! let options = SignOptions {
//!     trusted_comment: Some("release 1.0".into()),
//!     ..SignOptions::default()
//! };
//! let signature = ward_sign::sign(&secret, &b"release 1.0 tarball"[..], &options)?;
//!
//! let verified = ward_sign::verify(&public, &b"release 1.0 tarball"[..], &signature, &VerifyOptions::default())?;
//! assert_eq!(verified.trusted_comment.as_deref(), Some("release 1.0"));
//!
//! let altered = ward_sign::verify(&public, &b"release 1.0 tarbalL"[..], &signature, &VerifyOptions::default());
//! assert!(matches!(altered, Err(VerifyError::FileAltered { .. })));
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

#![deny(missing_docs)]
#![forbid(unsafe_code)]

mod error;
mod minisign;
mod openpgp;
mod passphrase;
mod ssh;

use std::fmt;
use std::io::Read;
use std::str::FromStr;

pub use error::{KeyError, SignError, VerifyError};
pub use minisign::KdfLimits;
pub use passphrase::Passphrase;
pub use zeroize::Zeroizing;

/// The largest key file (public or secret, any format) that is read: 1 MiB. An OpenPGP
/// certificate with many signatures is the largest honest one.
pub const MAX_KEY_BYTES: usize = 1 << 20;

/// The largest signature file that is read: 64 KiB (a minisign signature with a long trusted
/// comment, an RSA-4096 OpenPGP signature and an SSH signature are all far smaller).
pub const MAX_SIGNATURE_BYTES: usize = 64 << 10;

/// The largest file a legacy (non-prehashed, `Ed`) minisign signature is verified over: 1 GiB.
/// Ed25519 needs such a message whole in memory; minisign itself signs large files prehashed.
pub const MAX_LEGACY_MESSAGE_BYTES: u64 = 1 << 30;

/// The namespace of SSH signatures when none is given, as `ssh-keygen -Y sign -n file`.
pub const DEFAULT_SSH_NAMESPACE: &str = "file";

/// A signature format. Each has its own key files; a key is used in its own format only.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Format {
    /// minisign 0.11: `.minisig` signatures with a trusted comment.
    Minisign,
    /// SSH signatures (`ssh-keygen -Y sign`), `.sig`, with OpenSSH keys.
    Ssh,
    /// OpenPGP detached signatures (`gpg --detach-sign --armor`), `.asc`.
    OpenPgp,
}

impl Format {
    /// Every format, in the order of their names in help texts.
    pub const ALL: [Format; 3] = [Format::Minisign, Format::Ssh, Format::OpenPgp];

    /// The name used on the command line and in messages: `minisign`, `ssh`, `openpgp`.
    pub fn name(self) -> &'static str {
        match self {
            Format::Minisign => "minisign",
            Format::Ssh => "ssh",
            Format::OpenPgp => "openpgp",
        }
    }

    /// The extension a signature file conventionally has, without the dot: `minisig` (as
    /// minisign writes), `sig` (as `ssh-keygen -Y sign` writes), `asc` (armoured OpenPGP).
    pub fn signature_extension(self) -> &'static str {
        match self {
            Format::Minisign => "minisig",
            Format::Ssh => "sig",
            Format::OpenPgp => "asc",
        }
    }
}

impl fmt::Display for Format {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// A format name that is not `minisign`, `ssh` or `openpgp`.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown signature format {0:?}: expected minisign, ssh or openpgp")]
pub struct UnknownFormat(pub String);

impl FromStr for Format {
    type Err = UnknownFormat;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.to_ascii_lowercase().as_str() {
            "minisign" => Ok(Format::Minisign),
            "ssh" | "sshsig" => Ok(Format::Ssh),
            "openpgp" | "pgp" | "gpg" => Ok(Format::OpenPgp),
            _ => Err(UnknownFormat(s.to_owned())),
        }
    }
}

/// A freshly generated key pair, as the files to write.
pub struct GeneratedKey {
    /// The format of both halves.
    pub format: Format,
    /// The key id, as [`PublicKey::key_id`] shows it.
    pub key_id: String,
    /// The public key file's text: minisign's two lines, an OpenSSH `ssh-ed25519 AAAA...
    /// comment` line, or an armoured OpenPGP public key block.
    pub public: String,
    /// The secret key file's bytes, encrypted with the passphrase when one was given.
    pub secret: Zeroizing<Vec<u8>>,
}

impl fmt::Debug for GeneratedKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("GeneratedKey")
            .field("format", &self.format)
            .field("key_id", &self.key_id)
            .field("public", &self.public)
            .field("secret", &"<redacted>")
            .finish()
    }
}

/// Generates an Ed25519 key pair in `format`, its secret half encrypted with `passphrase`
/// (`None`: unencrypted). `comment` is the minisign or OpenSSH key comment, or the OpenPGP
/// user id (`Name <email>`). minisign keys use minisign's own (costly: 1 GiB, seconds) scrypt
/// limits: see [`generate_minisign`] for others.
pub fn generate(
    format: Format,
    passphrase: Option<&Passphrase>,
    comment: &str,
) -> Result<GeneratedKey, KeyError> {
    check_comment(comment)?;
    match format {
        Format::Minisign => minisign::generate(passphrase, comment, KdfLimits::MINISIGN),
        Format::Ssh => ssh::generate(passphrase, comment),
        Format::OpenPgp => openpgp::generate(passphrase, comment),
    }
}

/// [`generate`] for minisign with explicit scrypt limits, e.g. [`KdfLimits::INTERACTIVE`]
/// where a key is made and used at once (tests) and the passphrase is not what protects it.
pub fn generate_minisign(
    passphrase: Option<&Passphrase>,
    comment: &str,
    limits: KdfLimits,
) -> Result<GeneratedKey, KeyError> {
    check_comment(comment)?;
    minisign::generate(passphrase, comment, limits)
}

fn check_comment(comment: &str) -> Result<(), KeyError> {
    if comment.contains(['\r', '\n']) || comment.len() > 1024 {
        return Err(KeyError::InvalidComment(
            "a key comment is one line of at most 1024 bytes",
        ));
    }
    Ok(())
}

/// A secret key, decrypted, ready to sign. Its `Debug` shows the format and key id only.
pub struct SecretKey {
    inner: SecretInner,
}

enum SecretInner {
    Minisign(minisign::SecretKey),
    Ssh(ssh::SecretKey),
    OpenPgp(Box<openpgp::SecretKey>),
}

impl SecretKey {
    /// Reads a secret key file in any of the formats. `passphrase` is called only when the key
    /// is encrypted; `None` from it gives [`KeyError::PassphraseRequired`].
    pub fn parse(
        bytes: &[u8],
        passphrase: impl FnOnce() -> Option<Passphrase>,
    ) -> Result<SecretKey, KeyError> {
        if bytes.len() > MAX_KEY_BYTES {
            return Err(KeyError::TooLarge {
                what: "secret key",
                limit: MAX_KEY_BYTES,
            });
        }
        let inner = match detect_secret(bytes) {
            Some(Format::Minisign) => {
                SecretInner::Minisign(minisign::SecretKey::parse(bytes, passphrase)?)
            }
            Some(Format::Ssh) => SecretInner::Ssh(ssh::SecretKey::parse(bytes, passphrase)?),
            Some(Format::OpenPgp) => {
                SecretInner::OpenPgp(Box::new(openpgp::SecretKey::parse(bytes, passphrase)?))
            }
            None => return Err(KeyError::Unrecognized { what: "secret key" }),
        };
        Ok(SecretKey { inner })
    }

    /// The key's format.
    pub fn format(&self) -> Format {
        match self.inner {
            SecretInner::Minisign(_) => Format::Minisign,
            SecretInner::Ssh(_) => Format::Ssh,
            SecretInner::OpenPgp(_) => Format::OpenPgp,
        }
    }

    /// The key id, as [`PublicKey::key_id`] of its public half shows it.
    pub fn key_id(&self) -> String {
        match &self.inner {
            SecretInner::Minisign(key) => key.key_id(),
            SecretInner::Ssh(key) => key.key_id(),
            SecretInner::OpenPgp(key) => key.key_id(),
        }
    }
}

impl fmt::Debug for SecretKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SecretKey")
            .field("format", &self.format())
            .field("key_id", &self.key_id())
            .finish_non_exhaustive()
    }
}

/// A public key that signatures are verified with.
#[derive(Debug)]
pub struct PublicKey {
    inner: PublicInner,
}

#[derive(Debug)]
enum PublicInner {
    Minisign(minisign::PublicKey),
    Ssh(ssh::PublicKey),
    OpenPgp(Box<openpgp::PublicKey>),
}

impl PublicKey {
    /// Reads a public key in any of the formats: a minisign `.pub` file (or its base64 line
    /// alone, as `minisign -P` takes it), an OpenSSH `ssh-ed25519 AAAA... comment` line, an
    /// OpenPGP public key (armoured or binary, as `gpg --export` writes).
    pub fn parse(bytes: &[u8]) -> Result<PublicKey, KeyError> {
        if bytes.len() > MAX_KEY_BYTES {
            return Err(KeyError::TooLarge {
                what: "public key",
                limit: MAX_KEY_BYTES,
            });
        }
        let inner = match detect_public(bytes) {
            Some(Format::Minisign) => PublicInner::Minisign(minisign::PublicKey::parse(bytes)?),
            Some(Format::Ssh) => PublicInner::Ssh(ssh::PublicKey::parse(bytes)?),
            Some(Format::OpenPgp) => {
                PublicInner::OpenPgp(Box::new(openpgp::PublicKey::parse(bytes)?))
            }
            None => return Err(KeyError::Unrecognized { what: "public key" }),
        };
        Ok(PublicKey { inner })
    }

    /// The key's format.
    pub fn format(&self) -> Format {
        match self.inner {
            PublicInner::Minisign(_) => Format::Minisign,
            PublicInner::Ssh(_) => Format::Ssh,
            PublicInner::OpenPgp(_) => Format::OpenPgp,
        }
    }

    /// The key id: minisign's 16 hex digits (as minisign prints it), the OpenSSH
    /// `SHA256:...` fingerprint, the OpenPGP primary key's fingerprint in upper-case hex.
    pub fn key_id(&self) -> String {
        match &self.inner {
            PublicInner::Minisign(key) => key.key_id(),
            PublicInner::Ssh(key) => key.key_id(),
            PublicInner::OpenPgp(key) => key.key_id(),
        }
    }
}

/// What [`sign`] writes besides the signature.
#[derive(Debug, Clone, Default)]
pub struct SignOptions {
    /// minisign's trusted comment (signed, one line). `None`: `timestamp:<unix time>`; see
    /// [`default_trusted_comment`] for minisign's own. Refused for the other formats, which have
    /// no such field.
    pub trusted_comment: Option<String>,
    /// The SSH signature namespace; `None`: [`DEFAULT_SSH_NAMESPACE`]. Refused for the other
    /// formats.
    pub namespace: Option<String>,
}

/// minisign's default trusted comment for a file: `timestamp:<unix time>\tfile:<name>\thashed`.
pub fn default_trusted_comment(file_name: &str, unix_time: u64) -> String {
    format!("timestamp:{unix_time}\tfile:{file_name}\thashed")
}

/// Signs what `content` yields with `key`, and returns the signature file's bytes: a minisign
/// `.minisig`, an armoured SSH signature, or an armoured OpenPGP detached signature.
pub fn sign(
    key: &SecretKey,
    content: impl Read,
    options: &SignOptions,
) -> Result<Vec<u8>, SignError> {
    let format = key.format();
    if options.trusted_comment.is_some() && format != Format::Minisign {
        return Err(SignError::InvalidOption {
            reason: format!(
                "a trusted comment is a minisign feature; {format} signatures have none"
            ),
        });
    }
    if options.namespace.is_some() && format != Format::Ssh {
        return Err(SignError::InvalidOption {
            reason: format!(
                "a namespace is an SSH signature feature; {format} signatures have none"
            ),
        });
    }
    match &key.inner {
        SecretInner::Minisign(key) => key.sign(content, options.trusted_comment.as_deref()),
        SecretInner::Ssh(key) => key.sign(
            content,
            options
                .namespace
                .as_deref()
                .unwrap_or(DEFAULT_SSH_NAMESPACE),
        ),
        SecretInner::OpenPgp(key) => key.sign(content),
    }
}

/// What [`verify`] checks besides the signature.
#[derive(Debug, Clone, Default)]
pub struct VerifyOptions {
    /// The SSH signature namespace required; `None`: [`DEFAULT_SSH_NAMESPACE`]. Ignored for the
    /// other formats.
    pub namespace: Option<String>,
}

/// A signature that verified.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct Verified {
    /// The signature's format.
    pub format: Format,
    /// The id of the key that made it (for OpenPGP, the primary key's fingerprint even when a
    /// signing subkey made it).
    pub key_id: String,
    /// minisign's trusted comment, verified with the signature; `None` for the other formats.
    pub trusted_comment: Option<String>,
}

/// Verifies that `signature` (a signature file's bytes) was made by `key` over what `content`
/// yields.
pub fn verify(
    key: &PublicKey,
    content: impl Read,
    signature: &[u8],
    options: &VerifyOptions,
) -> Result<Verified, VerifyError> {
    if signature.len() > MAX_SIGNATURE_BYTES {
        return Err(VerifyError::TooLarge {
            limit: MAX_SIGNATURE_BYTES,
        });
    }
    if let Some(found) = detect_signature(signature)
        && found != key.format()
    {
        return Err(VerifyError::FormatMismatch {
            key: key.format(),
            signature: found,
        });
    }
    match &key.inner {
        PublicInner::Minisign(key) => key.verify(content, signature),
        PublicInner::Ssh(key) => key.verify(
            content,
            signature,
            options
                .namespace
                .as_deref()
                .unwrap_or(DEFAULT_SSH_NAMESPACE),
        ),
        PublicInner::OpenPgp(key) => key.verify(content, signature),
    }
}

/// The format a secret key file is in, from its first bytes.
fn detect_secret(bytes: &[u8]) -> Option<Format> {
    let text = trim_start(bytes);
    if text.starts_with(b"-----BEGIN OPENSSH PRIVATE KEY-----") {
        Some(Format::Ssh)
    } else if text.starts_with(b"-----BEGIN PGP PRIVATE KEY BLOCK-----")
        || openpgp::starts_with_packet(bytes, &[5])
    {
        Some(Format::OpenPgp)
    } else if text.starts_with(b"untrusted comment:") || text.starts_with(b"RW") {
        Some(Format::Minisign)
    } else {
        None
    }
}

/// The format a public key file is in, from its first bytes.
fn detect_public(bytes: &[u8]) -> Option<Format> {
    let text = trim_start(bytes);
    if text.starts_with(b"-----BEGIN PGP PUBLIC KEY BLOCK-----")
        || openpgp::starts_with_packet(bytes, &[6])
    {
        Some(Format::OpenPgp)
    } else if text.starts_with(b"untrusted comment:") || text.starts_with(b"RW") {
        Some(Format::Minisign)
    } else if ssh::looks_like_public_key(text) {
        Some(Format::Ssh)
    } else {
        None
    }
}

/// The format a signature file is in, from its first bytes; `None` when it is none of them
/// (the key's format then parses it and says what is wrong).
fn detect_signature(bytes: &[u8]) -> Option<Format> {
    let text = trim_start(bytes);
    if text.starts_with(b"-----BEGIN SSH SIGNATURE-----") {
        Some(Format::Ssh)
    } else if text.starts_with(b"-----BEGIN PGP SIGNATURE-----")
        || openpgp::starts_with_packet(bytes, &[2])
    {
        Some(Format::OpenPgp)
    } else if text.starts_with(b"untrusted comment:") {
        Some(Format::Minisign)
    } else {
        None
    }
}

fn trim_start(bytes: &[u8]) -> &[u8] {
    let start = bytes
        .iter()
        .position(|b| !b.is_ascii_whitespace())
        .unwrap_or(bytes.len());
    &bytes[start..]
}

/// Reads `content` to its end through `update`, in 64 KiB pieces.
fn hash_reader(mut content: impl Read, mut update: impl FnMut(&[u8])) -> std::io::Result<()> {
    let mut buffer = vec![0u8; 64 << 10];
    loop {
        match content.read(&mut buffer) {
            Ok(0) => return Ok(()),
            Ok(n) => update(&buffer[..n]),
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
}
