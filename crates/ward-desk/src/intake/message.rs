//! Reading an encrypted message: armor to packets, the checks made before any decryption (the
//! packets are whole, one of them is for us, the data is integrity-protected), and the literal
//! data after it, bounded. Errors are ward's own words: the library's text is not passed on, as
//! it is not written for reporters and must never carry plaintext.

use std::io::{self, Read};

use pgp::armor::{BlockType, Dearmor, DearmorOptions};
use pgp::composed::Message;
use pgp::crypto::aead::AeadAlgorithm;
use pgp::crypto::sym::SymmetricKeyAlgorithm;
use pgp::packet::{
    Packet, PacketParser, PublicKeyEncryptedSessionKey,
    SymEncryptedProtectedDataConfig as SeipdConfig,
};

use super::{IntakeError, MAX_MESSAGE_BYTES, MAX_PLAINTEXT_BYTES};

/// How a message whose packets do not parse is described.
pub(super) const DAMAGED: &str = "the OpenPGP packets are damaged or truncated";

/// The message as binary packets: armored input (`-----BEGIN PGP MESSAGE-----`, surrounding
/// whitespace and CRLF line ends allowed, as a web form sends them) is decoded whole.
pub(super) fn to_binary(message: &[u8]) -> Result<Vec<u8>, IntakeError> {
    let trimmed = message.trim_ascii_start();
    if trimmed.starts_with(b"-----BEGIN ") {
        let options = DearmorOptions::new().set_limit(MAX_MESSAGE_BYTES);
        let mut dearmor = Dearmor::with_options(trimmed, options);
        let damaged = |_| IntakeError::Malformed("the ASCII armor is damaged".into());
        dearmor.read_header().map_err(damaged)?;
        if dearmor.typ != Some(BlockType::Message) {
            return Err(IntakeError::Malformed(
                "the armored block is not a PGP MESSAGE (a key or a signature?)".into(),
            ));
        }
        let mut binary = Vec::new();
        dearmor.read_to_end(&mut binary).map_err(|_| {
            IntakeError::Malformed("the ASCII armor is damaged or truncated".into())
        })?;
        Ok(binary)
    } else if trimmed.first().is_some_and(|b| b & 0x80 != 0) {
        Ok(trimmed.to_vec())
    } else {
        Err(IntakeError::Malformed(
            "expected an ASCII-armored message (-----BEGIN PGP MESSAGE-----) or binary OpenPGP data"
                .into(),
        ))
    }
}

/// The encrypted data packet's kind, as far as it decides whether ward decrypts it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum EncryptedData {
    /// SEIPD v1 (MDC), or v2 (AEAD) with AES and EAX, OCB or GCM.
    Protected,
    /// Legacy SED: no integrity protection.
    Unprotected,
    /// SEIPD v2 with another cipher or AEAD mode (rpgp decrypts AES with EAX, OCB and GCM,
    /// and panics on an unknown AEAD mode).
    Unsupported,
    /// GnuPG's own OCB packet (LibrePGP, tag 20): GnuPG writes it only when forced to, or for
    /// keys that ask for it, which this one does not.
    GnupgOcb,
}

impl EncryptedData {
    fn of_seipd(config: &SeipdConfig) -> EncryptedData {
        match config {
            SeipdConfig::V1 => EncryptedData::Protected,
            SeipdConfig::V2 { sym_alg, aead, .. } => {
                let aes = matches!(
                    sym_alg,
                    SymmetricKeyAlgorithm::AES128
                        | SymmetricKeyAlgorithm::AES192
                        | SymmetricKeyAlgorithm::AES256
                );
                let mode = matches!(
                    aead,
                    AeadAlgorithm::Eax | AeadAlgorithm::Ocb | AeadAlgorithm::Gcm
                );
                if aes && mode {
                    EncryptedData::Protected
                } else {
                    EncryptedData::Unsupported
                }
            }
        }
    }

    /// Why ward does not decrypt this kind, if it does not.
    pub(super) fn refusal(self) -> Option<IntakeError> {
        let why = match self {
            EncryptedData::Protected => return None,
            EncryptedData::Unprotected => {
                "it uses the legacy encryption without integrity protection (SED), which can be \
                 altered undetected; encrypt with a current OpenPGP tool"
            }
            EncryptedData::Unsupported => {
                "it uses a cipher or AEAD mode ward does not decrypt (AES with EAX, OCB or GCM)"
            }
            EncryptedData::GnupgOcb => {
                "it uses GnuPG's own OCB format (packet 20), not OpenPGP's; encrypt without \
                 --force-ocb"
            }
        };
        Some(IntakeError::Decrypt(why.into()))
    }
}

/// The top-level packets of an encrypted message, every one parsed whole, so that a
/// truncated or damaged message is told apart from one that fails to decrypt.
pub(super) struct Outline {
    pub(super) pkesks: Vec<PublicKeyEncryptedSessionKey>,
    pub(super) data: EncryptedData,
}

impl Outline {
    pub(super) fn of(binary: &[u8]) -> Result<Outline, IntakeError> {
        let malformed = |why: &str| IntakeError::Malformed(why.to_owned());
        let mut pkesks = Vec::new();
        let mut data = None;
        let mut packets = 0_usize;
        for packet in PacketParser::new(binary) {
            let packet = packet.map_err(|_| malformed(DAMAGED))?;
            packets += 1;
            if data.is_some() && !matches!(packet, Packet::Padding(_)) {
                return Err(malformed("packets follow the encrypted data"));
            }
            match packet {
                Packet::PublicKeyEncryptedSessionKey(pkesk) => pkesks.push(pkesk),
                Packet::SymKeyEncryptedSessionKey(_) | Packet::Marker(_) | Packet::Padding(_) => {}
                Packet::SymEncryptedProtectedData(seipd) => {
                    data = Some(EncryptedData::of_seipd(seipd.config()));
                }
                Packet::GnupgAeadData(_) => data = Some(EncryptedData::GnupgOcb),
                Packet::SymEncryptedData(_) => data = Some(EncryptedData::Unprotected),
                Packet::LiteralData(_)
                | Packet::CompressedData(_)
                | Packet::OnePassSignature(_)
                | Packet::Signature(_)
                    if packets == 1 =>
                {
                    // A readable (signed or plain) message: nothing is encrypted to us.
                    return Err(IntakeError::NotForUs);
                }
                _ => return Err(malformed("unexpected packets for an encrypted message")),
            }
        }
        match data {
            Some(data) => Ok(Outline { pkesks, data }),
            None if packets == 0 => Err(malformed("no OpenPGP packets")),
            None => Err(malformed("the encrypted data is missing")),
        }
    }
}

/// The literal data of a decrypted message: compression layers and signature wrappers
/// removed, at most [`MAX_PLAINTEXT_BYTES`].
pub(super) fn read_literal(mut message: Message<'_>) -> Result<Vec<u8>, IntakeError> {
    // gpg nests at most compression and one signature layer; a few more are tolerated.
    for _ in 0..8 {
        if message.literal_data_header().is_some() {
            // One byte more than allowed tells an oversized content from one at the limit.
            const CUT_OFF: u64 = MAX_PLAINTEXT_BYTES as u64 + 1;
            let mut plaintext = Vec::new();
            (&mut message)
                .take(CUT_OFF)
                .read_to_end(&mut plaintext)
                .map_err(|e| read_error(&e))?;
            if plaintext.len() > MAX_PLAINTEXT_BYTES {
                return Err(IntakeError::TooLarge);
            }
            return Ok(plaintext);
        }
        if message.is_encrypted() {
            return Err(IntakeError::Malformed(
                "the decrypted content is encrypted again; encrypt once, to the intake key".into(),
            ));
        }
        message = message.decompress().map_err(|_| {
            IntakeError::Malformed("the decrypted content could not be decompressed".into())
        })?;
    }
    Err(IntakeError::Malformed(
        "the decrypted content holds no literal data".into(),
    ))
}

/// ward's own description of a failure to find or use the session key (the library's text
/// is not passed on: it is not written for reporters, and must never carry plaintext).
pub(super) fn decrypt_error(error: &pgp::errors::Error) -> IntakeError {
    use pgp::errors::Error as E;
    IntakeError::Decrypt(
        match error {
            E::MissingKey => {
                "the intake key recovers no session key from it: the message was altered, or is \
                 for another key that hides its recipient"
            }
            E::MdcError | E::Aead { .. } => "the integrity check failed: the message was altered",
            E::Unsupported { .. } | E::Unimplemented { .. } => {
                "the message uses an algorithm ward does not support"
            }
            _ => "the encrypted data is damaged",
        }
        .into(),
    )
}

/// ward's own description of a failure while reading the decrypted content.
fn read_error(error: &io::Error) -> IntakeError {
    use pgp::errors::Error as E;
    match error.get_ref().and_then(|e| e.downcast_ref::<E>()) {
        Some(E::MdcError | E::Aead { .. }) => {
            IntakeError::Decrypt("the integrity check failed: the message was altered".into())
        }
        _ => IntakeError::Malformed(
            "the decrypted content is not a well-formed OpenPGP message".into(),
        ),
    }
}
