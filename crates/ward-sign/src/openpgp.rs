//! OpenPGP detached signatures (RFC 9580 / RFC 4880) with rpgp: what `gpg --detach-sign`
//! writes and `gpg --verify` reads.
//!
//! - **Keys made here** are v4 (GnuPG 2.2 reads no v6 key), one Ed25519 (legacy EdDSA) primary
//!   key for certifying and signing, one user id, the secret half locked with the passphrase
//!   (rpgp's v4 default: AES-256, iterated and salted S2K), preferring SHA-512.
//! - **Signatures made here** are binary-mode (type 0x00) detached signatures, SHA-512, with
//!   the issuer fingerprint and creation time, ASCII-armoured.
//! - **Signatures verified** are binary or text mode, armoured or not, made by the primary key
//!   or by a subkey bound to it for signing, with Ed25519 (legacy EdDSA or RFC 9580) or RSA
//!   keys, over SHA-256, SHA-384, SHA-512, SHA-224 or SHA-3. MD5, SHA-1 and RIPEMD-160 are
//!   refused by name, and so are DSA, ECDSA and the other key algorithms.
//!
//! Traps:
//!
//! - rpgp hashes the file through a reader (streaming, any size) but reports everything,
//!   including an I/O error of that reader and a bad signature, as one error type: the issuer,
//!   the algorithms and the subkey binding are checked here first, and the reader records its
//!   own I/O error, so that what is left of rpgp's failure is "the file was altered".
//! - rpgp has panicked on hostile input before (see ward-desk's intake); parsing and verifying
//!   run under `catch_unwind`, a panic becoming a malformed-input error.
//! - A key's Argon2 S2K is capped by rpgp at 2 GiB; the iterated S2K is bounded by its format.
//! - gpg refuses to import a key without a user id: one is always written.

use std::io::{self, BufReader, Cursor, Read};
use std::panic::{AssertUnwindSafe, catch_unwind};

use pgp::armor::{BlockType, Dearmor, DearmorOptions};
use pgp::composed::{
    ArmorOptions, Deserializable, DetachedSignature, KeyType, SecretKeyParamsBuilder,
    SignedPublicKey, SignedSecretKey,
};
use pgp::crypto::hash::HashAlgorithm;
use pgp::crypto::public_key::PublicKeyAlgorithm;
use pgp::crypto::sym::SymmetricKeyAlgorithm;
use pgp::packet::SignatureType;
use pgp::ser::Serialize;
use pgp::types::{KeyDetails, KeyVersion, Password};
use zeroize::Zeroizing;

use crate::{Format, GeneratedKey, KeyError, Passphrase, SignError, Verified, VerifyError};

/// The user id written when none is given (gpg imports no key without one).
const DEFAULT_USER_ID: &str = "ward release signing key";

/// Whether `bytes` starts with an OpenPGP packet header of one of these tags (old or new
/// format): 2 signature, 5 secret key, 6 public key.
pub(crate) fn starts_with_packet(bytes: &[u8], tags: &[u8]) -> bool {
    let Some(&first) = bytes.first() else {
        return false;
    };
    if first & 0x80 == 0 {
        return false;
    }
    let tag = if first & 0x40 != 0 {
        first & 0x3f
    } else {
        (first >> 2) & 0x0f
    };
    tags.contains(&tag)
}

fn is_armored(bytes: &[u8]) -> bool {
    crate::trim_start(bytes).starts_with(b"-----BEGIN PGP")
}

/// The binary packets of an armoured block of type `typ`, or the bytes as they are when not
/// armoured. `None` when the armour is damaged or of another type.
fn to_binary(bytes: &[u8], typ: BlockType) -> Option<Vec<u8>> {
    if !is_armored(bytes) {
        return Some(bytes.to_vec());
    }
    let options = DearmorOptions::new().set_limit(crate::MAX_KEY_BYTES);
    let mut dearmor = Dearmor::with_options(crate::trim_start(bytes), options);
    dearmor.read_header().ok()?;
    if dearmor.typ != Some(typ) {
        return None;
    }
    let mut binary = Vec::new();
    dearmor.read_to_end(&mut binary).ok()?;
    Some(binary)
}

/// Whether rpgp writes back exactly `binary`: it reads some fields leniently (an MPI's bit
/// count), and a key or signature is accepted only in the one encoding gpg would hash and
/// write.
fn is_canonical(parsed: &impl Serialize, binary: &[u8]) -> bool {
    parsed.to_bytes().is_ok_and(|written| written == binary)
}

/// Runs an rpgp call that may panic on hostile input; a panic is `None`.
fn guarded<T>(work: impl FnOnce() -> T) -> Option<T> {
    catch_unwind(AssertUnwindSafe(work)).ok()
}

fn upper_hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02X}")).collect()
}

/// An OpenPGP certificate (public key with its user ids and subkeys).
#[derive(Debug)]
pub(crate) struct PublicKey {
    key: SignedPublicKey,
}

impl PublicKey {
    pub(crate) fn parse(bytes: &[u8]) -> Result<PublicKey, KeyError> {
        let malformed = |reason: &str| KeyError::Malformed {
            format: Format::OpenPgp,
            what: "public key",
            reason: reason.to_owned(),
        };
        let binary = to_binary(bytes, BlockType::PublicKey)
            .ok_or_else(|| malformed("a damaged armour, or not a PUBLIC KEY BLOCK"))?;
        let key = guarded(|| SignedPublicKey::from_bytes(Cursor::new(&binary)))
            .ok_or_else(|| malformed("the OpenPGP library failed on it (a panic, caught)"))?
            .map_err(|_| malformed("not a valid OpenPGP public key (armoured or binary)"))?;
        if !is_canonical(&key, &binary) {
            return Err(malformed("not canonically encoded, or packets rpgp drops"));
        }
        guarded(|| key.details.verify_bindings(&key.primary_key))
            .and_then(Result::ok)
            .ok_or_else(|| malformed("its user id self-signatures do not verify"))?;
        Ok(PublicKey { key })
    }

    pub(crate) fn key_id(&self) -> String {
        upper_hex(self.key.primary_key.fingerprint().as_bytes())
    }

    pub(crate) fn verify(
        &self,
        content: impl Read,
        signature: &[u8],
    ) -> Result<Verified, VerifyError> {
        let malformed = |reason: &str| VerifyError::Malformed {
            format: Format::OpenPgp,
            reason: reason.to_owned(),
        };
        let binary = to_binary(signature, BlockType::Signature)
            .ok_or_else(|| malformed("a damaged armour, or not a PGP SIGNATURE block"))?;
        let detached = guarded(|| DetachedSignature::from_bytes(Cursor::new(&binary)))
            .ok_or_else(|| malformed("the OpenPGP library failed on it (a panic, caught)"))?
            .map_err(|_| malformed("not a valid OpenPGP signature (armoured or binary)"))?;
        if !is_canonical(&detached, &binary) {
            return Err(malformed(
                "not canonically encoded (or more than one signature)",
            ));
        }
        let signature = detached.signature;
        if !matches!(
            signature.typ(),
            Some(SignatureType::Binary | SignatureType::Text)
        ) {
            return Err(malformed(
                "not a signature over a document (binary or text)",
            ));
        }
        let Some(config) = signature.config() else {
            return Err(VerifyError::UnsupportedAlgorithm {
                format: Format::OpenPgp,
                found: format!("signature version {:?}", signature.version()),
                expected: "v4 and v6 signatures",
            });
        };
        check_key_algorithm(config.pub_alg)?;
        check_hash(config.hash_alg)?;

        let primary_matches = issued_by(&signature, &self.key.primary_key);
        let mut reader = RecordingReader::new(content);
        let outcome = if primary_matches {
            guarded(|| signature.verify(&self.key.primary_key, &mut reader))
        } else {
            let subkey = self.key.public_subkeys.iter().find(|subkey| {
                issued_by(&signature, &subkey.key)
                    && subkey.signatures.iter().any(|s| s.key_flags().sign())
                    && guarded(|| subkey.verify_bindings(&self.key.primary_key))
                        .is_some_and(|r| r.is_ok())
            });
            let Some(subkey) = subkey else {
                return Err(VerifyError::WrongKey {
                    format: Format::OpenPgp,
                    signature_key_id: issuer_name(&signature),
                    key_id: self.key_id(),
                });
            };
            guarded(|| signature.verify(&subkey.key, &mut reader))
        };
        if let Some(error) = reader.error {
            return Err(VerifyError::Io(error));
        }
        match outcome {
            Some(Ok(())) => Ok(Verified {
                format: Format::OpenPgp,
                key_id: self.key_id(),
                trusted_comment: None,
            }),
            Some(Err(_)) => Err(VerifyError::FileAltered {
                format: Format::OpenPgp,
            }),
            None => Err(malformed(
                "the OpenPGP library failed on it (a panic, caught)",
            )),
        }
    }
}

/// Whether `signature` names `key` as its issuer (by fingerprint or key id), or names none.
fn issued_by(signature: &pgp::packet::Signature, key: &impl KeyDetails) -> bool {
    let fingerprints = signature.issuer_fingerprint();
    let key_ids = signature.issuer_key_id();
    if fingerprints.is_empty() && key_ids.is_empty() {
        return true;
    }
    fingerprints.iter().any(|f| **f == key.fingerprint())
        || key_ids.iter().any(|id| **id == key.legacy_key_id())
}

fn issuer_name(signature: &pgp::packet::Signature) -> String {
    if let Some(fingerprint) = signature.issuer_fingerprint().first() {
        upper_hex(fingerprint.as_bytes())
    } else if let Some(key_id) = signature.issuer_key_id().first() {
        upper_hex(key_id.as_ref())
    } else {
        "(unnamed)".to_owned()
    }
}

fn check_key_algorithm(algorithm: PublicKeyAlgorithm) -> Result<(), VerifyError> {
    match algorithm {
        PublicKeyAlgorithm::EdDSALegacy
        | PublicKeyAlgorithm::Ed25519
        | PublicKeyAlgorithm::RSA
        | PublicKeyAlgorithm::RSASign => Ok(()),
        other => Err(VerifyError::UnsupportedAlgorithm {
            format: Format::OpenPgp,
            found: format!("{other:?} key"),
            expected: "Ed25519 (EdDSA) and RSA signatures",
        }),
    }
}

fn check_hash(hash: HashAlgorithm) -> Result<(), VerifyError> {
    match hash {
        HashAlgorithm::Sha256
        | HashAlgorithm::Sha384
        | HashAlgorithm::Sha512
        | HashAlgorithm::Sha224
        | HashAlgorithm::Sha3_256
        | HashAlgorithm::Sha3_512 => Ok(()),
        other => Err(VerifyError::UnsupportedAlgorithm {
            format: Format::OpenPgp,
            found: format!("{other:?} hash"),
            expected: "SHA-2 and SHA-3 hashes",
        }),
    }
}

/// A reader that keeps its first I/O error, which rpgp would fold into its own error type.
struct RecordingReader<R> {
    inner: R,
    error: Option<io::Error>,
}

impl<R: Read> RecordingReader<R> {
    fn new(inner: R) -> Self {
        RecordingReader { inner, error: None }
    }
}

impl<R: Read> Read for RecordingReader<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        match self.inner.read(buf) {
            Ok(n) => Ok(n),
            Err(e) if e.kind() == io::ErrorKind::Interrupted => Err(e),
            Err(e) => {
                let copy = io::Error::new(e.kind(), "reading the signed content failed");
                self.error.get_or_insert(e);
                Err(copy)
            }
        }
    }
}

/// An OpenPGP secret key, unlocked in memory.
pub(crate) struct SecretKey {
    key: SignedSecretKey,
}

impl SecretKey {
    pub(crate) fn parse(
        bytes: &[u8],
        passphrase: impl FnOnce() -> Option<Passphrase>,
    ) -> Result<SecretKey, KeyError> {
        let malformed = |reason: &str| KeyError::Malformed {
            format: Format::OpenPgp,
            what: "secret key",
            reason: reason.to_owned(),
        };
        let mut key = guarded(|| {
            if is_armored(bytes) {
                SignedSecretKey::from_armor_single(Cursor::new(bytes)).map(|(key, _)| key)
            } else {
                SignedSecretKey::from_bytes(BufReader::new(Cursor::new(bytes)))
            }
        })
        .ok_or_else(|| malformed("the OpenPGP library failed on it (a panic, caught)"))?
        .map_err(|_| malformed("not a valid OpenPGP secret key (armoured or binary)"))?;
        let algorithm = key.primary_key.algorithm();
        if !matches!(
            algorithm,
            PublicKeyAlgorithm::EdDSALegacy | PublicKeyAlgorithm::Ed25519
        ) {
            return Err(KeyError::UnsupportedAlgorithm {
                format: Format::OpenPgp,
                found: format!("{algorithm:?}"),
                expected: "an Ed25519 (EdDSA) primary key",
            });
        }
        if key.primary_key.secret_params().is_encrypted() {
            let passphrase = passphrase().ok_or(KeyError::PassphraseRequired)?;
            let password = password(&passphrase)?;
            guarded(|| key.primary_key.remove_password(&password))
                .ok_or_else(|| malformed("the OpenPGP library failed on it (a panic, caught)"))?
                .map_err(|_| KeyError::WrongPassphrase)?;
        }
        Ok(SecretKey { key })
    }

    pub(crate) fn key_id(&self) -> String {
        upper_hex(self.key.primary_key.fingerprint().as_bytes())
    }

    pub(crate) fn sign(&self, content: impl Read) -> Result<Vec<u8>, SignError> {
        let failed = |reason| SignError::Failed {
            format: Format::OpenPgp,
            reason,
        };
        let mut reader = RecordingReader::new(content);
        let signature = DetachedSignature::sign_binary_data(
            rand_core_06::OsRng,
            &self.key.primary_key,
            &Password::empty(),
            HashAlgorithm::Sha512,
            &mut reader,
        );
        if let Some(error) = reader.error {
            return Err(SignError::Io(error));
        }
        signature
            .map_err(|_| failed("signing"))?
            .to_armored_bytes(ArmorOptions::default())
            .map_err(|_| failed("armouring the signature"))
    }
}

/// rpgp takes passphrases as text.
fn password(passphrase: &Passphrase) -> Result<Password, KeyError> {
    let text = std::str::from_utf8(passphrase.as_bytes())
        .map_err(|_| KeyError::InvalidPassphrase("OpenPGP passphrases must be UTF-8 text"))?;
    Ok(Password::from(text))
}

pub(crate) fn generate(
    passphrase: Option<&Passphrase>,
    user_id: &str,
) -> Result<GeneratedKey, KeyError> {
    let failed = |reason| KeyError::Generation {
        format: Format::OpenPgp,
        reason,
    };
    let user_id = if user_id.trim().is_empty() {
        DEFAULT_USER_ID
    } else {
        user_id
    };
    let passphrase = passphrase
        .map(|p| {
            std::str::from_utf8(p.as_bytes())
                .map(|s| Zeroizing::new(s.to_owned()))
                .map_err(|_| KeyError::InvalidPassphrase("OpenPGP passphrases must be UTF-8 text"))
        })
        .transpose()?;
    let mut builder = SecretKeyParamsBuilder::default();
    builder
        .version(KeyVersion::V4)
        .key_type(KeyType::Ed25519Legacy)
        .can_certify(true)
        .can_sign(true)
        .primary_user_id(user_id.to_owned())
        .passphrase(passphrase.as_ref().map(|p| p.to_string()))
        .preferred_hash_algorithms(
            vec![
                HashAlgorithm::Sha512,
                HashAlgorithm::Sha384,
                HashAlgorithm::Sha256,
            ]
            .into(),
        )
        .preferred_symmetric_algorithms(
            vec![SymmetricKeyAlgorithm::AES256, SymmetricKeyAlgorithm::AES128].into(),
        );
    let params = builder.build().map_err(|_| failed("key parameters"))?;
    let secret = params
        .generate(rand_core_06::OsRng)
        .map_err(|_| failed("generating the key"))?;
    let public = secret
        .to_public_key()
        .to_armored_string(ArmorOptions::default())
        .map_err(|_| failed("armouring the public key"))?;
    let armored = secret
        .to_armored_bytes(ArmorOptions::default())
        .map_err(|_| failed("armouring the secret key"))?;
    Ok(GeneratedKey {
        format: Format::OpenPgp,
        key_id: upper_hex(secret.primary_key.fingerprint().as_bytes()),
        public,
        secret: Zeroizing::new(armored),
    })
}
