//! Messages crafted to break the decryption. The intake key is public, so anyone can encrypt a
//! session key to it: everything inside the session key packet (the cipher, the key's length)
//! is as much the attacker's as the encrypted data's header. Every such message must be a
//! clear error, refused before decryption where ward can tell, and never a panic (not even one
//! ward catches).

use pgp::composed::RawSessionKey;
use pgp::crypto::sym::SymmetricKeyAlgorithm;
use pgp::packet::{PacketTrait, PublicKeyEncryptedSessionKey};
use rand_core_06::OsRng;
use ward_desk::intake::IntakeError;

use super::{SECRET, assert_sound, certificate, encrypt_v1, encrypt_v2, key};

/// A v3 (for SEIPD v1) or v6 (for SEIPD v2) session key packet to the intake key, holding
/// `session_key` said to be for `cipher`.
fn session_key_packet(version: u8, cipher: SymmetricKeyAlgorithm, session_key: &[u8]) -> Vec<u8> {
    let subkey = &certificate().public_subkeys[0];
    let session_key = RawSessionKey::from(session_key.to_vec());
    let packet = if version == 3 {
        PublicKeyEncryptedSessionKey::from_session_key_v3(OsRng, &session_key, cipher, subkey)
    } else {
        PublicKeyEncryptedSessionKey::from_session_key_v6(OsRng, &session_key, subkey)
    };
    let mut bytes = Vec::new();
    packet.unwrap().to_writer_with_header(&mut bytes).unwrap();
    bytes
}

/// A packet with a new-format header and a one-byte length.
fn packet(tag: u8, body: &[u8]) -> Vec<u8> {
    assert!(body.len() < 192);
    [
        vec![0xc0 | tag, u8::try_from(body.len()).unwrap()],
        body.to_vec(),
    ]
    .concat()
}

/// The session key packet of a real message to us.
fn real_session_key_packet() -> Vec<u8> {
    let real = encrypt_v1(SECRET, None);
    assert_eq!(real[0], 0xc1, "new-format PKESK header");
    assert!(real[1] < 192, "one-byte length");
    real[..2 + usize::from(real[1])].to_vec()
}

fn assert_refused(message: &[u8], because: &str) {
    let error = key().decrypt(message).unwrap_err();
    assert!(
        matches!(&error, IntakeError::Decrypt(why) if why.contains(because)),
        "{error}"
    );
}

#[test]
fn a_legacy_sed_packet_is_refused_before_decryption() {
    let sed = [real_session_key_packet(), packet(9, &[0x5a; 48])].concat();
    assert_refused(&sed, "integrity");
}

#[test]
fn gnupg_s_own_ocb_packet_is_refused() {
    // Version 1, AES-256, OCB, chunk size 2^(6+6), a 15-byte nonce, then data.
    let body = [&[1, 9, 2, 6][..], &[0x11; 15], &[0x42; 64]].concat();
    let ocb = [real_session_key_packet(), packet(20, &body)].concat();
    assert_refused(&ocb, "OCB");
}

#[test]
fn seipd_v2_with_a_cipher_or_mode_rpgp_lacks_is_refused() {
    let real = encrypt_v2(SECRET, None);
    let seipd = 2 + usize::from(real[1]);
    assert_eq!(&real[seipd..seipd + 5], &[0xd2, real[seipd + 1], 2, 9, 2]);
    // rpgp 0.21 panics on an unknown AEAD mode (0, 4, 100...), and has AEAD only for AES.
    for (cipher, mode) in [
        (9, 0),
        (9, 4),
        (9, 100),
        (9, 255),
        (0, 2),
        (2, 2),
        (10, 2),
        (13, 3),
    ] {
        let mut crafted = real.clone();
        crafted[seipd + 3] = cipher;
        crafted[seipd + 4] = mode;
        assert_refused(&crafted, "cipher or AEAD mode");
    }
    // An unknown chunk size is not a SEIPD v2 header at all.
    let mut crafted = real.clone();
    crafted[seipd + 5] = 0xff;
    let error = key().decrypt(&crafted).unwrap_err();
    assert!(matches!(error, IntakeError::Malformed(_)), "{error}");
}

#[test]
fn session_keys_of_any_cipher_and_length_are_errors_not_panics() {
    use SymmetricKeyAlgorithm as S;
    let ciphers = [
        S::Plaintext,
        S::IDEA,
        S::TripleDES,
        S::CAST5,
        S::Blowfish,
        S::AES128,
        S::AES192,
        S::AES256,
        S::Twofish,
        S::Camellia256,
        S::Private10,
        S::Other(99),
    ];
    let seipd_v1 = packet(18, &[&[1][..], &[0x42; 80]].concat());
    let seipd_v2 = packet(18, &[&[2, 9, 2, 6][..], &[0x11; 32], &[0x42; 80]].concat());
    for length in [0, 1, 8, 15, 16, 24, 31, 32, 33, 64] {
        let session_key = vec![0x07; length];
        for cipher in ciphers {
            let v3 = session_key_packet(3, cipher, &session_key);
            for data in [&seipd_v1, &seipd_v2] {
                let error = key().decrypt(&[&v3[..], data].concat()).unwrap_err();
                assert_sound(&error);
                assert!(
                    matches!(error, IntakeError::Decrypt(_)),
                    "{cipher:?} {length}: {error}"
                );
            }
        }
        let v6 = session_key_packet(6, S::AES256, &session_key);
        for data in [&seipd_v1, &seipd_v2] {
            let error = key().decrypt(&[&v6[..], data].concat()).unwrap_err();
            assert_sound(&error);
            assert!(
                matches!(error, IntakeError::Decrypt(_)),
                "v6 {length}: {error}"
            );
        }
    }
}
