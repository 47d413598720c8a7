//! The intake key: its file, and what `decrypt` does with good and bad messages. Messages here
//! are made with rpgp itself (to exercise SEIPD v2, compression bombs and damaged packets);
//! [`gpg`] checks the same key against the real GnuPG, [`hostile`] sends it messages crafted
//! to break the decryption, [`fuzz`] throws arbitrary input at it.
//!
//! One key is generated per run of this binary and shared ([`fixture`]).

mod fuzz;
mod gpg;
mod hostile;

use std::sync::OnceLock;

use pgp::composed::{Deserializable, MessageBuilder, SignedPublicKey};
use pgp::crypto::aead::{AeadAlgorithm, ChunkSize};
use pgp::crypto::sym::SymmetricKeyAlgorithm;
use pgp::types::{CompressionAlgorithm, Password, StringToKey};
use rand_core_06::OsRng;
use ward_desk::intake::{IntakeError, IntakeKey, MAX_MESSAGE_BYTES, MAX_PLAINTEXT_BYTES};

const USER_ID: &str = "ward intake <security@example.org>";

/// A plaintext that says whether it leaked: errors must never contain it.
const SECRET: &[u8] =
    b"CONFIDENTIAL-REPORT-MARKER: heap overflow in parse_header()\r\n\x00\xff\xfe";

/// The key every test shares, and what was observed when ward wrote it.
struct Fixture {
    key: IntakeKey,
    generated: bool,
    /// The bytes of `intake.asc` as ward wrote them.
    secret_file: Vec<u8>,
    file_mode: u32,
    dir_mode: u32,
    /// The names in the keys directory after writing.
    entries: Vec<String>,
}

fn fixture() -> &'static Fixture {
    static FIXTURE: OnceLock<Fixture> = OnceLock::new();
    FIXTURE.get_or_init(|| {
        use std::os::unix::fs::PermissionsExt;
        let root = tempfile::tempdir().unwrap();
        // The data directory exists, its keys directory does not yet: ward creates it.
        let dir = root.path().join("keys");
        let (key, generated) = IntakeKey::load_or_create(&dir, USER_ID).unwrap();
        let path = dir.join("intake.asc");
        let mut entries: Vec<String> = std::fs::read_dir(&dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        entries.sort();
        Fixture {
            key,
            generated,
            secret_file: std::fs::read(&path).unwrap(),
            file_mode: std::fs::metadata(&path).unwrap().permissions().mode() & 0o777,
            dir_mode: std::fs::metadata(&dir).unwrap().permissions().mode() & 0o777,
            entries,
        }
    })
}

fn key() -> &'static IntakeKey {
    &fixture().key
}

/// The published certificate, as a sender reads it.
fn certificate() -> SignedPublicKey {
    let (cert, _) = SignedPublicKey::from_armor_single(key().public_armored().as_bytes()).unwrap();
    cert.verify_bindings().unwrap();
    cert
}

/// Encrypts `plaintext` to the intake key with rpgp, SEIPD v1 (CFB + MDC).
fn encrypt_v1(plaintext: &[u8], compression: Option<CompressionAlgorithm>) -> Vec<u8> {
    let cert = certificate();
    let mut builder = MessageBuilder::from_bytes("", plaintext.to_vec())
        .seipd_v1(OsRng, SymmetricKeyAlgorithm::AES256);
    if let Some(compression) = compression {
        builder.compression(compression);
    }
    builder
        .encrypt_to_key(OsRng, &cert.public_subkeys[0])
        .unwrap();
    builder.to_vec(OsRng).unwrap()
}

/// Encrypts `plaintext` to the intake key with rpgp, SEIPD v2 (AES-256, OCB) and a v6 PKESK.
fn encrypt_v2(plaintext: &[u8], compression: Option<CompressionAlgorithm>) -> Vec<u8> {
    let cert = certificate();
    let mut builder = MessageBuilder::from_bytes("", plaintext.to_vec()).seipd_v2(
        OsRng,
        SymmetricKeyAlgorithm::AES256,
        AeadAlgorithm::Ocb,
        ChunkSize::default(),
    );
    if let Some(compression) = compression {
        builder.compression(compression);
    }
    builder
        .encrypt_to_key(OsRng, &cert.public_subkeys[0])
        .unwrap();
    builder.to_vec(OsRng).unwrap()
}

/// Writes `contents` as `intake.asc` with `mode` in a fresh directory.
fn key_dir_with(contents: &[u8], mode: u32) -> tempfile::TempDir {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("intake.asc");
    std::fs::write(&path, contents).unwrap();
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(mode)).unwrap();
    dir
}

/// Asserts that an error says nothing of the plaintext, and is not a panic ward caught in
/// rpgp (which ward must see coming and refuse before).
fn assert_sound(error: &IntakeError) {
    let shown = format!("{error} {error:?}");
    assert!(!shown.contains("CONFIDENTIAL"), "{shown}");
    assert!(!shown.contains("panic"), "{shown}");
}

#[test]
fn the_key_file_is_written_whole_and_private() {
    let fixture = fixture();
    assert!(fixture.generated);
    assert_eq!(fixture.entries, ["intake.asc"], "no temporary file is left");
    assert_eq!(fixture.file_mode, 0o600);
    assert_eq!(fixture.dir_mode, 0o700);
    assert!(
        fixture
            .secret_file
            .starts_with(b"-----BEGIN PGP PRIVATE KEY BLOCK-----")
    );
}

#[test]
fn reloading_the_file_gives_the_same_key() {
    let dir = key_dir_with(&fixture().secret_file, 0o600);
    let (reloaded, generated) = IntakeKey::load_or_create(dir.path(), "another <uid>").unwrap();
    assert!(!generated);
    assert_eq!(reloaded.fingerprint(), key().fingerprint());
    assert_eq!(reloaded.public_armored(), key().public_armored());
    // The reloaded key decrypts what was encrypted to the original.
    assert_eq!(reloaded.decrypt(&encrypt_v1(SECRET, None)).unwrap(), SECRET);
}

#[test]
fn a_key_file_other_users_can_read_is_refused() {
    let dir = key_dir_with(&fixture().secret_file, 0o644);
    let error = IntakeKey::load_or_create(dir.path(), USER_ID).unwrap_err();
    assert!(
        matches!(&error, IntakeError::Key(why) if why.contains("chmod 600")),
        "{error}"
    );
    let untouched = std::fs::read(dir.path().join("intake.asc")).unwrap();
    assert_eq!(
        untouched,
        fixture().secret_file,
        "a refused key is never replaced"
    );
}

#[test]
fn a_damaged_or_public_key_file_is_a_clear_error() {
    let public = key().public_armored();
    let half = &fixture().secret_file[..fixture().secret_file.len() / 2];
    for contents in [b"not a key\n".as_slice(), public.as_bytes(), half] {
        let dir = key_dir_with(contents, 0o600);
        let error = IntakeKey::load_or_create(dir.path(), USER_ID).unwrap_err();
        assert!(matches!(error, IntakeError::Key(_)), "{error}");
    }
}

#[test]
fn the_fingerprint_is_upper_case_hex_and_debug_shows_only_it() {
    let fingerprint = key().fingerprint();
    assert_eq!(fingerprint.len(), 40, "a v4 fingerprint");
    assert!(
        fingerprint
            .bytes()
            .all(|b| b.is_ascii_digit() || (b'A'..=b'F').contains(&b))
    );
    assert_eq!(
        format!("{:?}", key()),
        format!("IntakeKey {{ fingerprint: {fingerprint:?}, .. }}")
    );
    assert!(
        key()
            .public_armored()
            .starts_with("-----BEGIN PGP PUBLIC KEY BLOCK-----")
    );
}

#[test]
fn a_user_id_with_control_characters_or_none_is_refused() {
    for user_id in ["", "  ", "ward\n<security@example.org>", &"x".repeat(257)] {
        let error = IntakeKey::generate(user_id).unwrap_err();
        assert!(matches!(error, IntakeError::Key(_)), "{user_id:?}");
    }
}

#[test]
fn seipd_v1_and_v2_messages_decrypt_compressed_or_not() {
    for compression in [
        None,
        Some(CompressionAlgorithm::ZLIB),
        Some(CompressionAlgorithm::ZIP),
        Some(CompressionAlgorithm::BZip2),
    ] {
        let v1 = encrypt_v1(SECRET, compression);
        assert_eq!(key().decrypt(&v1).unwrap(), SECRET, "v1 {compression:?}");
        let v2 = encrypt_v2(SECRET, compression);
        assert_eq!(v2[0], 0xc1, "a PKESK first");
        assert_eq!(v2[2], 6, "a v6 PKESK, as SEIPD v2 needs");
        assert_eq!(key().decrypt(&v2).unwrap(), SECRET, "v2 {compression:?}");
    }
}

#[test]
fn armor_with_crlf_line_ends_and_surrounding_blank_lines_decrypts() {
    let mut builder = MessageBuilder::from_bytes("", SECRET.to_vec())
        .seipd_v1(OsRng, SymmetricKeyAlgorithm::AES128);
    builder
        .encrypt_to_key(OsRng, &certificate().public_subkeys[0])
        .unwrap();
    let armored = builder
        .to_armored_string(OsRng, Default::default())
        .unwrap();
    // A browser posts a textarea with CRLF line ends; people paste with blank lines around.
    let pasted = format!("\r\n  \r\n{}\r\n\r\n", armored.replace('\n', "\r\n"));
    assert_eq!(key().decrypt(pasted.as_bytes()).unwrap(), SECRET);
    assert_eq!(key().decrypt(armored.as_bytes()).unwrap(), SECRET);
}

#[test]
fn unencrypted_or_password_encrypted_messages_are_not_for_us() {
    let literal = MessageBuilder::from_bytes("", SECRET.to_vec())
        .to_vec(OsRng)
        .unwrap();
    let mut compressed = MessageBuilder::from_bytes("", SECRET.to_vec());
    compressed.compression(CompressionAlgorithm::ZLIB);
    let compressed = compressed.to_vec(OsRng).unwrap();
    let mut symmetric = MessageBuilder::from_bytes("", SECRET.to_vec())
        .seipd_v1(OsRng, SymmetricKeyAlgorithm::AES256);
    symmetric
        .encrypt_with_password(StringToKey::new_default(OsRng), &Password::from("hunter2"))
        .unwrap();
    let symmetric = symmetric.to_vec(OsRng).unwrap();
    for message in [literal, compressed, symmetric] {
        let error = key().decrypt(&message).unwrap_err();
        assert!(matches!(error, IntakeError::NotForUs), "{error}");
    }
}

#[test]
fn input_that_is_not_openpgp_is_malformed() {
    let public = key().public_armored();
    let cases: [&[u8]; 8] = [
        b"",
        b"   \n",
        b"Hello, I found a bug in your parser",
        b"-----BEGIN PGP MESSAGE-----\n\n!!!! not base64 !!!!\n-----END PGP MESSAGE-----\n",
        b"-----BEGIN PGP MESSAGE-----\n\n",
        public.as_bytes(),
        // A packet header announcing more than there is.
        &[0xc1, 0x50, 0x03, 0x01],
        &[0xff; 64],
    ];
    for input in cases {
        let error = key().decrypt(input).unwrap_err();
        assert!(
            matches!(error, IntakeError::Malformed(_)),
            "{:?}: {error}",
            String::from_utf8_lossy(input)
        );
    }
}

#[test]
fn truncated_messages_are_malformed() {
    let binary = encrypt_v1(SECRET, None);
    for len in 1..binary.len() {
        let error = key().decrypt(&binary[..len]).unwrap_err();
        assert!(matches!(error, IntakeError::Malformed(_)), "{len}: {error}");
    }
    let mut builder = MessageBuilder::from_bytes("", SECRET.to_vec())
        .seipd_v1(OsRng, SymmetricKeyAlgorithm::AES256);
    builder
        .encrypt_to_key(OsRng, &certificate().public_subkeys[0])
        .unwrap();
    let armored = builder
        .to_armored_string(OsRng, Default::default())
        .unwrap();
    let cut = armored.len() / 2;
    let error = key().decrypt(&armored.as_bytes()[..cut]).unwrap_err();
    assert!(matches!(error, IntakeError::Malformed(_)), "{error}");
}

#[test]
fn packets_after_the_encrypted_data_are_malformed() {
    let mut twice = encrypt_v1(SECRET, None);
    twice.extend(encrypt_v1(SECRET, None));
    let error = key().decrypt(&twice).unwrap_err();
    assert!(matches!(error, IntakeError::Malformed(_)), "{error}");
}

#[test]
fn every_flipped_byte_is_an_error_that_tells_nothing() {
    for binary in [encrypt_v1(SECRET, None), encrypt_v2(SECRET, None)] {
        // The SEIPD packet follows the PKESK: header (2 bytes), version, then the ciphertext
        // (v1), or the cipher, AEAD, chunk size and salt (v2), then the ciphertext.
        assert!(binary[1] < 192, "one-byte PKESK length");
        let seipd = 2 + usize::from(binary[1]);
        assert_eq!(binary[seipd], 0xd2, "SEIPD");
        assert!(binary[seipd + 1] < 192, "one-byte SEIPD length");
        let version = binary[seipd + 2];
        let ciphertext = seipd + 3 + if version == 2 { 3 + 32 } else { 0 };
        for at in 0..binary.len() {
            let mut tampered = binary.clone();
            tampered[at] ^= 0x5a;
            match key().decrypt(&tampered) {
                Ok(plaintext) => assert_eq!(plaintext, SECRET, "v{version} byte {at}"),
                Err(error) => {
                    assert_sound(&error);
                    if at >= ciphertext {
                        assert!(
                            matches!(error, IntakeError::Decrypt(_)),
                            "v{version} byte {at}: {error}"
                        );
                    }
                }
            }
        }
    }
}

#[test]
fn oversized_messages_and_inflating_content_are_too_large() {
    let error = key()
        .decrypt(&vec![b'a'; MAX_MESSAGE_BYTES + 1])
        .unwrap_err();
    assert!(matches!(error, IntakeError::TooLarge), "{error}");

    // Zeros compress a thousandfold: a small message whose content is over the limit.
    let limit = vec![0; MAX_PLAINTEXT_BYTES];
    let at_limit = encrypt_v1(&limit, Some(CompressionAlgorithm::ZLIB));
    assert!(at_limit.len() < MAX_MESSAGE_BYTES / 10);
    assert_eq!(key().decrypt(&at_limit).unwrap(), limit);
    let over = encrypt_v1(&[limit, vec![0]].concat(), Some(CompressionAlgorithm::ZLIB));
    let error = key().decrypt(&over).unwrap_err();
    assert!(matches!(error, IntakeError::TooLarge), "{error}");
}
