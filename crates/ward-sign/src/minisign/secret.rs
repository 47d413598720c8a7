//! minisign's secret key file: base64 of
//!
//! ```text
//! "Ed" ‖ kdf "Sc" (or 0 0) ‖ "B2" ‖ salt (32) ‖ opslimit (8) ‖ memlimit (8) ‖
//!     [ key id (8) ‖ Ed25519 secret key (seed 32 ‖ public 32) ‖ checksum (32) ]
//! ```
//!
//! The bracketed 104 bytes are XORed with as many bytes of scrypt(passphrase, salt), the
//! scrypt parameters derived from opslimit and memlimit by libsodium's
//! `crypto_pwhash_scryptsalsa208sha256` (its `pickparams`, below). The checksum is the
//! 32-byte BLAKE2b of `Ed` ‖ key id ‖ secret key; a wrong passphrase shows as a checksum that
//! does not match.
//!
//! Traps:
//!
//! - `minisign -G -W` writes kdf `0 0`, salt, limits **and checksum** all zero, under the same
//!   `minisign encrypted secret key` comment. Such a key is read with a zero or a correct
//!   checksum, and checked by deriving its public half from the seed.
//! - minisign's default limits (libsodium's "sensitive": 32 Mi operations, 1 GiB) mean N = 2^20,
//!   r = 8, p = 1: a second or more and 1 GiB per decryption. A file may ask for anything;
//!   more than [`MAX_LOG_N`] / [`MAX_P`] is refused before deriving.

use std::io::Read;

use base64::Engine;
use base64::engine::general_purpose::STANDARD as BASE64;
use blake2::Blake2b;
use blake2::digest::Digest;
use blake2::digest::consts::U32;
use ed25519_dalek::SigningKey;
use rand_core_06::{OsRng, RngCore};
use subtle::ConstantTimeEq;
use zeroize::Zeroizing;

use super::{ALG_ED, KEY_ID_LEN, PublicKey, UNTRUSTED_PREFIX, algorithm_name};
use crate::{Format, GeneratedKey, KeyError, Passphrase, SignError};

const KDF_SCRYPT: [u8; 2] = *b"Sc";
const KDF_NONE: [u8; 2] = [0, 0];
const CHECKSUM_BLAKE2: [u8; 2] = *b"B2";
const SALT_LEN: usize = 32;
/// Key id, seed, public key, checksum: the part that is encrypted.
const KEYNUM_SK_LEN: usize = KEY_ID_LEN + 64 + 32;
const SECRET_KEY_LEN: usize = 2 + 2 + 2 + SALT_LEN + 8 + 8 + KEYNUM_SK_LEN;
/// scrypt's N at most 2^21 (2 GiB with r = 8): twice minisign's default.
const MAX_LOG_N: u32 = 21;
/// At most 16 passes: sixteen times minisign's default time.
const MAX_P: u32 = 16;

/// The cost of the scrypt derivation that encrypts a minisign secret key, in libsodium's
/// terms (stored in the key file; minisign reads any).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct KdfLimits {
    /// libsodium's `opslimit`.
    pub opslimit: u64,
    /// libsodium's `memlimit`, in bytes.
    pub memlimit: u64,
}

impl KdfLimits {
    /// minisign's own (libsodium's "sensitive"): N = 2^20, r = 8, p = 1, 1 GiB of memory.
    pub const MINISIGN: KdfLimits = KdfLimits {
        opslimit: 33_554_432,
        memlimit: 1_073_741_824,
    };
    /// libsodium's "interactive": N = 2^14, r = 8, p = 1, 16 MiB. minisign reads such keys.
    pub const INTERACTIVE: KdfLimits = KdfLimits {
        opslimit: 524_288,
        memlimit: 16_777_216,
    };

    /// scrypt's (log2 N, r, p) for these limits, as libsodium's `pickparams` computes them.
    fn scrypt_params(self) -> (u32, u32, u32) {
        let opslimit = self.opslimit.max(32_768);
        let r: u32 = 8;
        let log_n_below = |max_n: u64| {
            let mut log_n = 1;
            while log_n < 63 && (1u64 << log_n) <= max_n / 2 {
                log_n += 1;
            }
            log_n
        };
        if opslimit < self.memlimit / 32 {
            let max_n = opslimit / (u64::from(r) * 4);
            (log_n_below(max_n), r, 1)
        } else {
            let max_n = self.memlimit / (u64::from(r) * 128);
            let log_n = log_n_below(max_n);
            let max_rp = ((opslimit / 4) >> log_n).min(0x3fff_ffff);
            // As libsodium: a p of 0 (tiny opslimit for the memory) is left to scrypt to refuse.
            (log_n, r, u32::try_from(max_rp).expect("capped above") / r)
        }
    }
}

/// A decrypted minisign secret key.
pub(crate) struct SecretKey {
    key_id: [u8; KEY_ID_LEN],
    key: SigningKey,
}

impl SecretKey {
    pub(crate) fn parse(
        bytes: &[u8],
        passphrase: impl FnOnce() -> Option<Passphrase>,
    ) -> Result<SecretKey, KeyError> {
        let malformed = |reason: String| KeyError::Malformed {
            format: Format::Minisign,
            what: "secret key",
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
        let raw = Zeroizing::new(
            BASE64
                .decode(line)
                .map_err(|_| malformed("the key line is not valid base64".into()))?,
        );
        if raw.len() != SECRET_KEY_LEN {
            return Err(malformed(format!(
                "the key is {} bytes, expected {SECRET_KEY_LEN}",
                raw.len()
            )));
        }
        if raw[0..2] != ALG_ED {
            return Err(unsupported(&raw[0..2], "Ed (Ed25519)"));
        }
        if raw[4..6] != CHECKSUM_BLAKE2 {
            return Err(unsupported(&raw[4..6], "B2 (BLAKE2b checksum)"));
        }
        let salt = &raw[6..38];
        let limits = KdfLimits {
            opslimit: u64::from_le_bytes(raw[38..46].try_into().expect("8 bytes")),
            memlimit: u64::from_le_bytes(raw[46..54].try_into().expect("8 bytes")),
        };
        let mut keynum_sk = Zeroizing::new([0u8; KEYNUM_SK_LEN]);
        keynum_sk.copy_from_slice(&raw[54..]);
        let encrypted = match [raw[2], raw[3]] {
            KDF_SCRYPT => true,
            KDF_NONE => false,
            _ => return Err(unsupported(&raw[2..4], "Sc (scrypt) or none")),
        };
        if encrypted {
            let passphrase = passphrase().ok_or(KeyError::PassphraseRequired)?;
            let stream = derive(&passphrase, salt, limits)?;
            for (byte, mask) in keynum_sk.iter_mut().zip(stream.iter()) {
                *byte ^= mask;
            }
        }
        let key_id: [u8; KEY_ID_LEN] = keynum_sk[..KEY_ID_LEN].try_into().expect("8 bytes");
        let sk = &keynum_sk[KEY_ID_LEN..KEY_ID_LEN + 64];
        let stored = &keynum_sk[KEY_ID_LEN + 64..];
        let computed = checksum(&key_id, sk);
        let checksum_ok: bool = stored.ct_eq(&computed[..]).into();
        if encrypted && !checksum_ok {
            return Err(KeyError::WrongPassphrase);
        }
        if !encrypted && !checksum_ok && stored.iter().any(|&b| b != 0) {
            return Err(malformed("the checksum does not match the key".into()));
        }
        let seed: Zeroizing<[u8; 32]> = Zeroizing::new(sk[..32].try_into().expect("32 bytes"));
        let key = SigningKey::from_bytes(&seed);
        if key.verifying_key().as_bytes()[..] != sk[32..] {
            return Err(malformed(
                "the public half does not belong to the secret half".into(),
            ));
        }
        Ok(SecretKey { key_id, key })
    }

    pub(crate) fn key_id(&self) -> String {
        super::key_id_hex(&self.key_id)
    }

    pub(crate) fn sign(
        &self,
        content: impl Read,
        trusted_comment: Option<&str>,
    ) -> Result<Vec<u8>, SignError> {
        super::sign(&self.key, &self.key_id, content, trusted_comment)
    }
}

/// A new key pair; the secret key encrypted with `passphrase` (with `limits`) when given, else
/// unencrypted exactly as `minisign -G -W` writes it.
pub(crate) fn generate(
    passphrase: Option<&Passphrase>,
    comment: &str,
    limits: KdfLimits,
) -> Result<GeneratedKey, KeyError> {
    let key = SigningKey::generate(&mut OsRng);
    let mut key_id = [0u8; KEY_ID_LEN];
    OsRng.fill_bytes(&mut key_id);

    let mut keynum_sk = Zeroizing::new(Vec::with_capacity(KEYNUM_SK_LEN));
    keynum_sk.extend_from_slice(&key_id);
    keynum_sk.extend_from_slice(&key.to_keypair_bytes());
    let mut raw = Zeroizing::new(Vec::with_capacity(SECRET_KEY_LEN));
    raw.extend_from_slice(&ALG_ED);
    match passphrase {
        Some(passphrase) => {
            let checksum = checksum(&key_id, &key.to_keypair_bytes());
            keynum_sk.extend_from_slice(&checksum);
            let mut salt = [0u8; SALT_LEN];
            OsRng.fill_bytes(&mut salt);
            let stream = derive(passphrase, &salt, limits)?;
            for (byte, mask) in keynum_sk.iter_mut().zip(stream.iter()) {
                *byte ^= mask;
            }
            raw.extend_from_slice(&KDF_SCRYPT);
            raw.extend_from_slice(&CHECKSUM_BLAKE2);
            raw.extend_from_slice(&salt);
            raw.extend_from_slice(&limits.opslimit.to_le_bytes());
            raw.extend_from_slice(&limits.memlimit.to_le_bytes());
        }
        None => {
            keynum_sk.extend_from_slice(&[0; 32]);
            raw.extend_from_slice(&KDF_NONE);
            raw.extend_from_slice(&CHECKSUM_BLAKE2);
            raw.extend_from_slice(&[0; SALT_LEN + 16]);
        }
    }
    raw.extend_from_slice(&keynum_sk);
    let label = if passphrase.is_some() {
        "minisign encrypted secret key"
    } else {
        "minisign unencrypted secret key"
    };
    let mut secret = Zeroizing::new(format!("{UNTRUSTED_PREFIX}{label}\n").into_bytes());
    secret.extend_from_slice(BASE64.encode(&*raw).as_bytes());
    secret.push(b'\n');

    let public = PublicKey {
        key_id,
        key: key.verifying_key(),
    };
    // The public key's untrusted comment says whose key it is; minisign ignores it.
    let public_file = public.to_file(comment);
    Ok(GeneratedKey {
        format: Format::Minisign,
        key_id: public.key_id(),
        public: public_file,
        secret: Zeroizing::new(std::mem::take(&mut *secret)),
    })
}

/// The BLAKE2b-256 checksum of `Ed` ‖ key id ‖ secret key.
fn checksum(key_id: &[u8; KEY_ID_LEN], sk: &[u8]) -> [u8; 32] {
    let mut hasher = Blake2b::<U32>::new();
    hasher.update(ALG_ED);
    hasher.update(key_id);
    hasher.update(sk);
    hasher.finalize().into()
}

/// The 104-byte mask: scrypt(passphrase, salt) with the parameters of `limits`.
fn derive(
    passphrase: &Passphrase,
    salt: &[u8],
    limits: KdfLimits,
) -> Result<Zeroizing<[u8; KEYNUM_SK_LEN]>, KeyError> {
    let (log_n, r, p) = limits.scrypt_params();
    if log_n > MAX_LOG_N {
        return Err(KeyError::KdfTooCostly {
            reason: format!("scrypt N = 2^{log_n}, ward allows up to 2^{MAX_LOG_N}"),
        });
    }
    if p > MAX_P {
        return Err(KeyError::KdfTooCostly {
            reason: format!("scrypt p = {p}, ward allows up to {MAX_P}"),
        });
    }
    let invalid = || KeyError::Malformed {
        format: Format::Minisign,
        what: "secret key",
        reason: format!(
            "its key derivation limits give invalid scrypt parameters (N = 2^{log_n}, r = {r}, p = {p})"
        ),
    };
    let params = scrypt::Params::new(
        u8::try_from(log_n).map_err(|_| invalid())?,
        r,
        p,
        scrypt::Params::RECOMMENDED_LEN,
    )
    .map_err(|_| invalid())?;
    let mut stream = Zeroizing::new([0u8; KEYNUM_SK_LEN]);
    scrypt::scrypt(passphrase.as_bytes(), salt, &params, &mut *stream).map_err(|_| invalid())?;
    Ok(stream)
}

fn unsupported(bytes: &[u8], expected: &'static str) -> KeyError {
    KeyError::UnsupportedAlgorithm {
        format: Format::Minisign,
        found: algorithm_name(bytes),
        expected,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pickparams_matches_libsodium() {
        // minisign's defaults and libsodium's interactive limits, worked through libsodium's
        // pickparams by hand.
        assert_eq!(KdfLimits::MINISIGN.scrypt_params(), (20, 8, 1));
        assert_eq!(KdfLimits::INTERACTIVE.scrypt_params(), (14, 8, 1));
        // opslimit < memlimit / 32: N from the operations, p = 1.
        let ops_bound = KdfLimits {
            opslimit: 1 << 20,
            memlimit: 1 << 30,
        };
        assert_eq!(ops_bound.scrypt_params(), (15, 8, 1));
        // A tiny opslimit is raised to 32768.
        let tiny = KdfLimits {
            opslimit: 1,
            memlimit: 1 << 30,
        };
        assert_eq!(tiny.scrypt_params(), (10, 8, 1));
    }
}
