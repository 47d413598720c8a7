//! SSH signatures (OpenSSH's `PROTOCOL.sshsig`, what `ssh-keygen -Y sign` and git write) with
//! Ed25519 keys in OpenSSH's formats. ssh-key reads and writes the keys (and encrypts them:
//! bcrypt-pbkdf and AES-256-CTR, as ssh-keygen) and the armoured signature; the blob that is
//! signed is built here, so that the file is hashed as it is read:
//!
//! ```text
//! "SSHSIG" ‖ string namespace ‖ string reserved ("") ‖ string hash ("sha512") ‖ string H(file)
//! ```
//!
//! (`string` is a 32-bit big-endian length and the bytes.)
//!
//! Traps:
//!
//! - The namespace is signed: a signature for `git` is not one for `file`. Verifying checks it
//!   and names both when they differ, as `ssh-keygen -Y verify -n` refuses them.
//! - The signature carries its own public key; it is compared with the key given (by
//!   fingerprint) before anything else, so a signature by another key is "wrong key", not
//!   "altered file".
//! - ssh-keygen hashes with SHA-512 and accepts SHA-256 too; so does this module. Ed25519 is the
//!   only key type: an RSA, ECDSA or security-key (`sk-`) key is refused by name.
//! - A hostile encrypted key can ask for billions of bcrypt rounds: more than
//!   [`MAX_BCRYPT_ROUNDS`] is refused before deriving (ssh-keygen writes 16).

use std::io::Read;

use ed25519_dalek::{Signer, SigningKey, VerifyingKey};
use rand_core_06::OsRng;
use sha2::{Digest, Sha256, Sha512};
use ssh_key::private::{Ed25519Keypair, KeypairData};
use ssh_key::public::{Ed25519PublicKey, KeyData};
use ssh_key::{Algorithm, HashAlg, Kdf, LineEnding, SshSig};
use zeroize::Zeroizing;

use crate::{Format, GeneratedKey, KeyError, Passphrase, SignError, Verified, VerifyError};

/// bcrypt-pbkdf rounds allowed in an encrypted key: 64 times ssh-keygen's default of 16.
const MAX_BCRYPT_ROUNDS: u32 = 1024;
const SSHSIG_MAGIC: &[u8] = b"SSHSIG";

/// Whether `text` starts like an OpenSSH public key line (`ssh-ed25519 AAAA...`, or another key
/// type, refused later by name).
pub(crate) fn looks_like_public_key(text: &[u8]) -> bool {
    const PREFIXES: [&[u8]; 5] = [b"ssh-", b"ecdsa-sha2-", b"sk-ssh-", b"sk-ecdsa-", b"rsa-"];
    PREFIXES.iter().any(|p| text.starts_with(p))
}

/// An Ed25519 public key from an OpenSSH public key line.
#[derive(Debug)]
pub(crate) struct PublicKey {
    key: ssh_key::PublicKey,
    verifying: VerifyingKey,
}

impl PublicKey {
    pub(crate) fn parse(bytes: &[u8]) -> Result<PublicKey, KeyError> {
        let malformed = |reason: &str| KeyError::Malformed {
            format: Format::Ssh,
            what: "public key",
            reason: reason.to_owned(),
        };
        let text = std::str::from_utf8(bytes).map_err(|_| malformed("not text"))?;
        let line = text
            .lines()
            .map(str::trim)
            .find(|l| !l.is_empty() && !l.starts_with('#'))
            .ok_or_else(|| malformed("empty"))?;
        let algorithm = line.split_ascii_whitespace().next().unwrap_or_default();
        if algorithm != "ssh-ed25519" {
            return Err(unsupported_key(algorithm));
        }
        let key = ssh_key::PublicKey::from_openssh(line)
            .map_err(|_| malformed("not a valid `ssh-ed25519 AAAA... comment` line"))?;
        // ssh-key reads some fields leniently (an Ed25519 key's length prefix); only the
        // canonical encoding of the key is accepted, as ssh-keygen writes it.
        let canonical = key
            .to_openssh()
            .map_err(|_| malformed("not a valid `ssh-ed25519 AAAA... comment` line"))?;
        if canonical.split_ascii_whitespace().nth(1) != line.split_ascii_whitespace().nth(1) {
            return Err(malformed("the key blob is not canonically encoded"));
        }
        let verifying =
            verifying_key(key.key_data()).map_err(|_| malformed("not a valid Ed25519 point"))?;
        Ok(PublicKey { key, verifying })
    }

    pub(crate) fn key_id(&self) -> String {
        self.key.fingerprint(HashAlg::Sha256).to_string()
    }

    pub(crate) fn verify(
        &self,
        content: impl Read,
        signature: &[u8],
        namespace: &str,
    ) -> Result<Verified, VerifyError> {
        let malformed = |reason: &str| VerifyError::Malformed {
            format: Format::Ssh,
            reason: reason.to_owned(),
        };
        let text = std::str::from_utf8(signature).map_err(|_| malformed("not text"))?;
        let signature = SshSig::from_pem(text.trim()).map_err(|e| match e {
            ssh_key::Error::Version { number } => {
                malformed(&format!("SSHSIG version {number}, expected 1"))
            }
            ssh_key::Error::AlgorithmUnknown | ssh_key::Error::AlgorithmUnsupported { .. } => {
                malformed("an unknown key or hash algorithm")
            }
            _ => malformed("not a valid `-----BEGIN SSH SIGNATURE-----` block"),
        })?;
        // ssh-key accepts versions below its own and reads some fields leniently: only version 1
        // in its canonical encoding is accepted, as ssh-keygen does.
        if signature.version() != 1 {
            return Err(malformed(&format!(
                "SSHSIG version {}, expected 1",
                signature.version()
            )));
        }
        let canonical = signature
            .to_pem(LineEnding::LF)
            .map_err(|_| malformed("not a valid `-----BEGIN SSH SIGNATURE-----` block"))?;
        if armour_body(&canonical) != armour_body(text) {
            return Err(malformed("the signature is not canonically encoded"));
        }
        let signer_algorithm = signature.public_key().algorithm();
        if signer_algorithm != Algorithm::Ed25519 {
            return Err(VerifyError::UnsupportedAlgorithm {
                format: Format::Ssh,
                found: signer_algorithm.to_string(),
                expected: "ssh-ed25519",
            });
        }
        if signature.public_key() != self.key.key_data() {
            return Err(VerifyError::WrongKey {
                format: Format::Ssh,
                signature_key_id: signature
                    .public_key()
                    .fingerprint(HashAlg::Sha256)
                    .to_string(),
                key_id: self.key_id(),
            });
        }
        if signature.namespace() != namespace {
            return Err(VerifyError::NamespaceMismatch {
                expected: namespace.to_owned(),
                found: signature.namespace().to_owned(),
            });
        }
        if signature.algorithm() != Algorithm::Ed25519 {
            return Err(VerifyError::UnsupportedAlgorithm {
                format: Format::Ssh,
                found: signature.algorithm().to_string(),
                expected: "ssh-ed25519",
            });
        }
        let raw: [u8; 64] = signature
            .signature_bytes()
            .try_into()
            .map_err(|_| malformed("the Ed25519 signature is not 64 bytes"))?;
        let digest = hash(content, signature.hash_alg()).map_err(VerifyError::Io)?;
        let blob = signed_data(namespace, signature.hash_alg(), &digest);
        self.verifying
            .verify_strict(&blob, &ed25519_dalek::Signature::from_bytes(&raw))
            .map_err(|_| VerifyError::FileAltered {
                format: Format::Ssh,
            })?;
        Ok(Verified {
            format: Format::Ssh,
            key_id: self.key_id(),
            trusted_comment: None,
        })
    }
}

/// A decrypted Ed25519 key from an OpenSSH private key file.
pub(crate) struct SecretKey {
    public: ssh_key::PublicKey,
    key: SigningKey,
}

impl SecretKey {
    pub(crate) fn parse(
        bytes: &[u8],
        passphrase: impl FnOnce() -> Option<Passphrase>,
    ) -> Result<SecretKey, KeyError> {
        let malformed = |reason: &str| KeyError::Malformed {
            format: Format::Ssh,
            what: "secret key",
            reason: reason.to_owned(),
        };
        // The key type first, so that another type is named even where ssh-key (built for
        // Ed25519 only) cannot read the rest.
        if let Some(algorithm) = private_key_algorithm(bytes)
            && algorithm != "ssh-ed25519"
        {
            return Err(unsupported_key(&algorithm));
        }
        let mut key = ssh_key::PrivateKey::from_openssh(bytes).map_err(|e| match e {
            ssh_key::Error::AlgorithmUnknown | ssh_key::Error::AlgorithmUnsupported { .. } => {
                malformed("an unknown key, cipher or key derivation algorithm")
            }
            _ => malformed("not a valid `-----BEGIN OPENSSH PRIVATE KEY-----` block"),
        })?;
        if key.algorithm() != Algorithm::Ed25519 {
            return Err(unsupported_key(key.algorithm().as_str()));
        }
        if key.is_encrypted() {
            if let Kdf::Bcrypt { rounds, .. } = key.kdf()
                && *rounds > MAX_BCRYPT_ROUNDS
            {
                return Err(KeyError::KdfTooCostly {
                    reason: format!(
                        "{rounds} bcrypt rounds, ward allows up to {MAX_BCRYPT_ROUNDS}"
                    ),
                });
            }
            let passphrase = passphrase().ok_or(KeyError::PassphraseRequired)?;
            key = key
                .decrypt(passphrase.as_bytes())
                .map_err(|_| KeyError::WrongPassphrase)?;
        }
        let KeypairData::Ed25519(pair) = key.key_data() else {
            return Err(malformed("the key data is not an Ed25519 key pair"));
        };
        let seed = Zeroizing::new(pair.private.to_bytes());
        let signing = SigningKey::from_bytes(&seed);
        if signing.verifying_key().as_bytes() != &pair.public.0 {
            return Err(malformed(
                "the public half does not belong to the secret half",
            ));
        }
        Ok(SecretKey {
            public: key.public_key().clone(),
            key: signing,
        })
    }

    pub(crate) fn key_id(&self) -> String {
        self.public.fingerprint(HashAlg::Sha256).to_string()
    }

    pub(crate) fn sign(&self, content: impl Read, namespace: &str) -> Result<Vec<u8>, SignError> {
        if namespace.is_empty() {
            return Err(SignError::InvalidOption {
                reason: "an SSH signature namespace must not be empty".into(),
            });
        }
        let digest = hash(content, HashAlg::Sha512).map_err(SignError::Io)?;
        let blob = signed_data(namespace, HashAlg::Sha512, &digest);
        let raw = self.key.sign(&blob).to_bytes();
        let failed = |reason| SignError::Failed {
            format: Format::Ssh,
            reason,
        };
        let signature = ssh_key::Signature::new(Algorithm::Ed25519, raw.to_vec())
            .map_err(|_| failed("encoding the signature"))?;
        let sshsig = SshSig::new(
            self.public.key_data().clone(),
            namespace,
            HashAlg::Sha512,
            signature,
        )
        .map_err(|_| failed("building the SSHSIG"))?;
        let mut pem = sshsig
            .to_pem(LineEnding::LF)
            .map_err(|_| failed("armouring the SSHSIG"))?;
        if !pem.ends_with('\n') {
            pem.push('\n');
        }
        Ok(pem.into_bytes())
    }
}

pub(crate) fn generate(
    passphrase: Option<&Passphrase>,
    comment: &str,
) -> Result<GeneratedKey, KeyError> {
    let failed = |reason| KeyError::Generation {
        format: Format::Ssh,
        reason,
    };
    let pair = Ed25519Keypair::random(&mut OsRng);
    let mut key = ssh_key::PrivateKey::new(KeypairData::Ed25519(pair), comment)
        .map_err(|_| failed("building the key"))?;
    key.set_comment(comment);
    let public = key
        .public_key()
        .to_openssh()
        .map_err(|_| failed("encoding the public key"))?;
    let key_id = key.fingerprint(HashAlg::Sha256).to_string();
    if let Some(passphrase) = passphrase {
        key = key
            .encrypt(&mut OsRng, passphrase.as_bytes())
            .map_err(|_| failed("encrypting the key"))?;
    }
    let secret = key
        .to_openssh(LineEnding::LF)
        .map_err(|_| failed("encoding the secret key"))?;
    Ok(GeneratedKey {
        format: Format::Ssh,
        key_id,
        public: format!("{public}\n"),
        secret: Zeroizing::new(secret.as_bytes().to_vec()),
    })
}

/// The key type named in an OpenSSH private key file (`openssh-key-v1`: magic, cipher, kdf,
/// kdf options, number of keys, then the first public key blob, which starts with its type).
fn private_key_algorithm(bytes: &[u8]) -> Option<String> {
    use base64::Engine;
    let text = std::str::from_utf8(bytes).ok()?;
    let raw = base64::engine::general_purpose::STANDARD
        .decode(armour_body(text))
        .ok()?;
    let rest = raw.strip_prefix(b"openssh-key-v1\0")?;
    let (_cipher, rest) = ssh_string(rest)?;
    let (_kdf, rest) = ssh_string(rest)?;
    let (_kdf_options, rest) = ssh_string(rest)?;
    let rest = rest.get(4..)?; // the number of keys
    let (public_blob, _) = ssh_string(rest)?;
    let (algorithm, _) = ssh_string(public_blob)?;
    String::from_utf8(algorithm.to_vec()).ok()
}

/// An SSH `string` (32-bit big-endian length, bytes) and what follows it.
fn ssh_string(bytes: &[u8]) -> Option<(&[u8], &[u8])> {
    let len = usize::try_from(u32::from_be_bytes(bytes.get(..4)?.try_into().ok()?)).ok()?;
    let value = bytes.get(4..4usize.checked_add(len)?)?;
    Some((value, &bytes[4 + len..]))
}

/// The base64 of an armoured block, without its BEGIN and END lines and line ends.
fn armour_body(armoured: &str) -> String {
    armoured
        .lines()
        .map(str::trim)
        .filter(|l| !l.starts_with("-----"))
        .collect()
}

fn verifying_key(key: &KeyData) -> Result<VerifyingKey, ()> {
    let Some(Ed25519PublicKey(point)) = key.ed25519() else {
        return Err(());
    };
    VerifyingKey::from_bytes(point).map_err(|_| ())
}

fn unsupported_key(algorithm: &str) -> KeyError {
    // The name is from the key file, shown only when it is a known algorithm's.
    let known = [
        "ssh-rsa",
        "ssh-dss",
        "ecdsa-sha2-nistp256",
        "ecdsa-sha2-nistp384",
        "ecdsa-sha2-nistp521",
        "sk-ssh-ed25519@openssh.com",
        "sk-ecdsa-sha2-nistp256@openssh.com",
    ];
    let found = if known.contains(&algorithm) {
        algorithm.to_owned()
    } else if let Some(known) = known
        .iter()
        .find(|k| algorithm.starts_with(&format!("{k}-cert")))
    {
        format!("{known} certificate")
    } else {
        "an unknown key type".to_owned()
    };
    KeyError::UnsupportedAlgorithm {
        format: Format::Ssh,
        found,
        expected: "ssh-ed25519",
    }
}

fn hash(content: impl Read, alg: HashAlg) -> std::io::Result<Vec<u8>> {
    match alg {
        HashAlg::Sha256 => {
            let mut hasher = Sha256::new();
            crate::hash_reader(content, |piece| hasher.update(piece))?;
            Ok(hasher.finalize().to_vec())
        }
        _ => {
            let mut hasher = Sha512::new();
            crate::hash_reader(content, |piece| hasher.update(piece))?;
            Ok(hasher.finalize().to_vec())
        }
    }
}

/// The blob an SSH signature signs (PROTOCOL.sshsig, "Signed Data").
fn signed_data(namespace: &str, alg: HashAlg, digest: &[u8]) -> Vec<u8> {
    let mut blob = Vec::with_capacity(64 + namespace.len() + digest.len());
    blob.extend_from_slice(SSHSIG_MAGIC);
    for field in [namespace.as_bytes(), b"", alg.as_str().as_bytes(), digest] {
        blob.extend_from_slice(&u32::try_from(field.len()).expect("short").to_be_bytes());
        blob.extend_from_slice(field);
    }
    blob
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn signed_data_is_what_ssh_key_computes() {
        let message = b"the message";
        let ours = signed_data("file", HashAlg::Sha512, &Sha512::digest(message));
        let theirs = SshSig::signed_data("file", HashAlg::Sha512, message).expect("valid");
        assert_eq!(ours, theirs);
        let ours = signed_data("git", HashAlg::Sha256, &Sha256::digest(message));
        let theirs = SshSig::signed_data("git", HashAlg::Sha256, message).expect("valid");
        assert_eq!(ours, theirs);
    }
}
