//! The instance's OpenPGP intake key: reporters who want end-to-end encryption encrypt their
//! report to it (with gpg, Sequoia or any OpenPGP tool); ward decrypts on arrival and then
//! seals the text like any other report.
//!
//! The key is generated on first start and kept in `<data-dir>/keys/intake.asc`, mode 0600.
//! Its public half is published on the policy page and at `/.well-known/ward-intake.asc`.
//!
//! What this module answers for, and how:
//!
//! - **Every OpenPGP tool can encrypt to it.** A v4 key (GnuPG 2.2, still in Debian 12 and
//!   most LTS distributions, reads no RFC 9580 v6 key): an Ed25519 (legacy EdDSA) primary for
//!   certification and signing, a Curve25519 ECDH subkey for encryption, self-signed with one
//!   user id, preferring AES-256 and advertising both SEIPD v1 (MDC) and v2 (AEAD).
//! - **Only integrity-protected messages are decrypted.** SEIPD v1 (with its MDC, checked
//!   before any plaintext is released) or v2 (AEAD). A legacy SED packet, which an attacker can
//!   alter undetected, is refused, and so is GnuPG's non-standard OCB packet (GnuPG writes it
//!   only when forced to, or for keys that ask for it, which this one does not).
//! - **Bad input is an error, never a panic or an unbounded allocation.** The message is at
//!   most [`MAX_MESSAGE_BYTES`], its packets are checked whole before any decryption (and the
//!   parameters rpgp would panic on refused), the decrypted (possibly decompressed) content is
//!   cut off at [`MAX_PLAINTEXT_BYTES`], and a panic left in rpgp is caught and reported as a
//!   decryption failure.
//! - **No plaintext in errors.** Errors carry ward's own fixed descriptions, never the
//!   underlying library's text. (rpgp also logs through `log`, at debug level, some packet
//!   details: the server keeps the `pgp` target above debug.) The secret key's armored text is
//!   wiped from memory after use.
//! - **The key file is written once, whole, and privately**: to a temporary file created with
//!   mode 0600, synced, then hard-linked to `intake.asc` (a rename that cannot replace a key
//!   another process wrote meanwhile), and the directory synced. A key file that other users
//!   can read is refused, as ssh refuses one.
//!
//! ```
//! use ward_desk::intake::{IntakeError, IntakeKey};
//!
//! let keys = tempfile::tempdir()?;
//! let (key, generated) = IntakeKey::load_or_create(keys.path(), "ward <security@example.org>")?;
//! assert!(generated);
//! assert_eq!(key.fingerprint().len(), 40);
//! assert!(key.public_armored().starts_with("-----BEGIN PGP PUBLIC KEY BLOCK-----"));
//! assert!(matches!(key.decrypt(b"hello"), Err(IntakeError::Malformed(_))));
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

mod keyfile;
mod message;

use std::io;
use std::panic::AssertUnwindSafe;
use std::path::Path;

use pgp::composed::{
    ArmorOptions, Deserializable, EncryptionCaps, KeyType, Message, SecretKeyParamsBuilder,
    SignedSecretKey, SubkeyParamsBuilder, TheRing,
};
use pgp::crypto::aead::AeadAlgorithm;
use pgp::crypto::ecc_curve::ECCCurve;
use pgp::crypto::hash::HashAlgorithm;
use pgp::crypto::sym::SymmetricKeyAlgorithm;
use pgp::packet::PublicKeyEncryptedSessionKey;
use pgp::types::{CompressionAlgorithm, KeyDetails, KeyVersion, Password, SecretParams};
use zeroize::Zeroizing;

/// The largest encrypted message ward accepts, armored or binary.
pub const MAX_MESSAGE_BYTES: usize = 1 << 20;

/// The largest decrypted content ward accepts: a message within [`MAX_MESSAGE_BYTES`] may be
/// compressed, and must not inflate beyond this.
pub const MAX_PLAINTEXT_BYTES: usize = 4 * MAX_MESSAGE_BYTES;

/// The key file's name inside the keys directory.
pub const KEY_FILE: &str = "intake.asc";

/// The intake key. `Debug` shows only the fingerprint.
pub struct IntakeKey {
    secret: SignedSecretKey,
    public_armored: String,
    fingerprint: String,
}

impl std::fmt::Debug for IntakeKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("IntakeKey")
            .field("fingerprint", &self.fingerprint)
            .finish_non_exhaustive()
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
    /// The message is larger than [`MAX_MESSAGE_BYTES`], or its content than
    /// [`MAX_PLAINTEXT_BYTES`].
    #[error(
        "the encrypted message is larger than {MAX_MESSAGE_BYTES} bytes, or its content larger than {MAX_PLAINTEXT_BYTES}"
    )]
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
        check_user_id(user_id)?;
        let encryption = SubkeyParamsBuilder::default()
            .key_type(KeyType::ECDH(ECCCurve::Curve25519Legacy))
            .can_encrypt(EncryptionCaps::All)
            .build()
            .map_err(|e| IntakeError::Key(format!("encryption subkey parameters: {e}")))?;
        let params = SecretKeyParamsBuilder::default()
            .version(KeyVersion::V4)
            .key_type(KeyType::Ed25519Legacy)
            .can_certify(true)
            .can_sign(true)
            .primary_user_id(user_id.to_owned())
            .preferred_symmetric_algorithms(
                vec![
                    SymmetricKeyAlgorithm::AES256,
                    SymmetricKeyAlgorithm::AES192,
                    SymmetricKeyAlgorithm::AES128,
                ]
                .into(),
            )
            .preferred_hash_algorithms(
                vec![
                    HashAlgorithm::Sha512,
                    HashAlgorithm::Sha384,
                    HashAlgorithm::Sha256,
                ]
                .into(),
            )
            .preferred_compression_algorithms(
                vec![
                    CompressionAlgorithm::ZLIB,
                    CompressionAlgorithm::ZIP,
                    CompressionAlgorithm::Uncompressed,
                ]
                .into(),
            )
            .feature_seipd_v1(true)
            .feature_seipd_v2(true)
            .preferred_aead_algorithms(
                vec![
                    (SymmetricKeyAlgorithm::AES256, AeadAlgorithm::Ocb),
                    (SymmetricKeyAlgorithm::AES128, AeadAlgorithm::Ocb),
                ]
                .into(),
            )
            .subkey(encryption)
            .build()
            .map_err(|e| IntakeError::Key(format!("key parameters: {e}")))?;
        let secret = params
            .generate(rand_core_06::OsRng)
            .map_err(|e| IntakeError::Key(format!("generating the key: {e}")))?;
        IntakeKey::from_secret(secret)
    }

    /// Loads `<dir>/intake.asc`, generating it when missing. The `bool` says whether it was
    /// generated. An existing key is used as it is, whatever its user id.
    pub fn load_or_create(dir: &Path, user_id: &str) -> Result<(IntakeKey, bool), IntakeError> {
        let path = dir.join(KEY_FILE);
        match IntakeKey::load(&path) {
            Err(IntakeError::Io { source, .. }) if source.kind() == io::ErrorKind::NotFound => {}
            loaded => return loaded.map(|key| (key, false)),
        }
        let key = IntakeKey::generate(user_id)?;
        let armored = Zeroizing::new(
            key.secret
                .to_armored_string(ArmorOptions::default())
                .map_err(|e| IntakeError::Key(format!("armoring the secret key: {e}")))?,
        );
        // What is written must read back as the same key, before it becomes the instance's.
        let reread = IntakeKey::parse(armored.as_bytes())?;
        if reread.fingerprint != key.fingerprint {
            return Err(IntakeError::Key(
                "the armored key does not read back".into(),
            ));
        }
        let created = keyfile::create_private(&path, armored.as_bytes()).map_err(|source| {
            IntakeError::Io {
                path: path.clone(),
                source,
            }
        })?;
        if created {
            Ok((key, true))
        } else {
            // Another process created the key first: that one is the instance's.
            IntakeKey::load(&path).map(|key| (key, false))
        }
    }

    /// The public key, ASCII-armored, as published.
    pub fn public_armored(&self) -> String {
        self.public_armored.clone()
    }

    /// The primary key's fingerprint, upper-case hex.
    pub fn fingerprint(&self) -> String {
        self.fingerprint.clone()
    }

    /// Decrypts a message (armored or binary) encrypted to this key, and returns its literal
    /// data. Signed or not (a signature is not verified: reporters are not known in advance);
    /// the integrity protection (MDC or AEAD) is required.
    pub fn decrypt(&self, message: &[u8]) -> Result<Vec<u8>, IntakeError> {
        if message.len() > MAX_MESSAGE_BYTES {
            return Err(IntakeError::TooLarge);
        }
        let binary = message::to_binary(message)?;
        let outline = message::Outline::of(&binary)?;
        if !outline.pkesks.iter().any(|p| self.is_recipient(p)) {
            return Err(IntakeError::NotForUs);
        }
        if let Some(refusal) = outline.data.refusal() {
            return Err(refusal);
        }
        // rpgp has panicked on hostile input (an unknown AEAD mode, now refused above); a
        // panic it still has must not take the request, or the server, down with it.
        std::panic::catch_unwind(AssertUnwindSafe(|| self.decrypt_checked(&binary))).unwrap_or_else(
            |_| {
                Err(IntakeError::Decrypt(
                    "the OpenPGP library failed on this message (a panic, caught)".into(),
                ))
            },
        )
    }
}

impl IntakeKey {
    /// Decrypts a message whose packets [`message::Outline`] checked.
    fn decrypt_checked(&self, binary: &[u8]) -> Result<Vec<u8>, IntakeError> {
        let parsed = Message::from_bytes(binary)
            .map_err(|_| IntakeError::Malformed(message::DAMAGED.into()))?;
        let password = Password::empty();
        let ring = TheRing {
            secret_keys: vec![&self.secret],
            key_passwords: vec![&password],
            ..TheRing::default()
        };
        let (decrypted, _) = parsed
            .decrypt_the_ring(ring, true)
            .map_err(|e| message::decrypt_error(&e))?;
        message::read_literal(decrypted)
    }

    /// Reads and checks a key file.
    fn load(path: &Path) -> Result<IntakeKey, IntakeError> {
        IntakeKey::parse(&keyfile::read_private(path)?)
    }

    fn parse(armored: &[u8]) -> Result<IntakeKey, IntakeError> {
        let (secret, _) = SignedSecretKey::from_armor_single(armored)
            .map_err(|e| IntakeError::Key(format!("not an armored OpenPGP secret key: {e}")))?;
        IntakeKey::from_secret(secret)
    }

    /// Checks that `secret` is a key ward can publish and decrypt with, and derives what is
    /// shown of it.
    fn from_secret(secret: SignedSecretKey) -> Result<IntakeKey, IntakeError> {
        secret
            .verify_bindings()
            .map_err(|e| IntakeError::Key(format!("a self-signature does not verify: {e}")))?;
        if secret.primary_key.version() != KeyVersion::V4 {
            return Err(IntakeError::Key(
                "not a v4 key (GnuPG 2.2 cannot encrypt to v6 keys)".into(),
            ));
        }
        let can_decrypt = |params: &SecretParams| !params.is_encrypted();
        if !can_decrypt(secret.primary_key.secret_params())
            || secret
                .secret_subkeys
                .iter()
                .any(|s| !can_decrypt(s.key.secret_params()))
        {
            return Err(IntakeError::Key(
                "the key is passphrase-protected; ward needs it unprotected (the file is mode 0600)"
                    .into(),
            ));
        }
        let has_encryption_subkey = secret.secret_subkeys.iter().any(|s| {
            s.key.algorithm().can_encrypt()
                && s.signatures.iter().any(|sig| {
                    let flags = sig.key_flags();
                    flags.encrypt_comms() || flags.encrypt_storage()
                })
        });
        if !has_encryption_subkey {
            return Err(IntakeError::Key("the key has no encryption subkey".into()));
        }
        let public_armored = secret
            .to_public_key()
            .to_armored_string(ArmorOptions::default())
            .map_err(|e| IntakeError::Key(format!("armoring the public key: {e}")))?;
        let fingerprint = format!("{:X}", secret.fingerprint());
        Ok(IntakeKey {
            secret,
            public_armored,
            fingerprint,
        })
    }

    /// Whether a session key packet names one of this key's (sub)keys, or no one (a hidden
    /// recipient, `gpg --throw-keyids`).
    fn is_recipient(&self, pkesk: &PublicKeyEncryptedSessionKey) -> bool {
        pkesk.match_identity(self.secret.primary_key.public_key())
            || self
                .secret
                .secret_subkeys
                .iter()
                .any(|s| pkesk.match_identity(s.key.public_key()))
    }
}

fn check_user_id(user_id: &str) -> Result<(), IntakeError> {
    if user_id.trim().is_empty() || user_id.len() > 256 || user_id.chars().any(char::is_control) {
        return Err(IntakeError::Key(
            "the user id must be 1 to 256 bytes of text without control characters".into(),
        ));
    }
    Ok(())
}
