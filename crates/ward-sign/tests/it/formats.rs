//! Round trips and refusals in every format: each refusal is checked to be the right variant,
//! every single-bit flip of the file, the signature, the trusted comment and the key is
//! refused, and every truncation of every input is an error, not a panic.

use base64::Engine;
use base64::engine::general_purpose::STANDARD as BASE64;
use proptest::prelude::*;
use ward_sign::{
    Format, KeyError, Passphrase, PublicKey, SecretKey, SignError, SignOptions, VerifyError,
    VerifyOptions,
};

use crate::{key_pair, public, secret, sign, verify};

const CONTENT: &[u8] = b"ward 1.0.0 release tarball\n";

fn flip(bytes: &[u8], bit: usize) -> Vec<u8> {
    let mut flipped = bytes.to_vec();
    flipped[bit / 8] ^= 1 << (bit % 8);
    flipped
}

#[test]
fn round_trip_in_every_format_encrypted_or_not() {
    for format in Format::ALL {
        for passphrase in [None, Some("correct horse")] {
            let generated = key_pair(format, passphrase);
            let secret = secret(&generated, passphrase);
            let public = public(&generated);
            assert_eq!(secret.format(), format);
            assert_eq!(public.format(), format);
            assert_eq!(secret.key_id(), generated.key_id);
            assert_eq!(public.key_id(), generated.key_id);
            let signature = sign(&secret, CONTENT);
            let verified = verify(&public, CONTENT, &signature).expect("verifies");
            assert_eq!(verified.format, format);
            assert_eq!(verified.key_id, generated.key_id);
            assert_eq!(
                verified.trusted_comment.is_some(),
                format == Format::Minisign
            );
            // A Debug of the key shows no secret.
            let shown = format!("{secret:?} {generated:?}");
            assert!(shown.contains("SecretKey") && !shown.contains("BEGIN OPENSSH PRIVATE"));
        }
    }
}

#[test]
fn minisign_signature_file_is_minisign_s() {
    let generated = key_pair(Format::Minisign, None);
    let options = SignOptions {
        trusted_comment: Some("timestamp:1700000000\tfile:ward.tar.gz\thashed".into()),
        ..SignOptions::default()
    };
    let signature = ward_sign::sign(&secret(&generated, None), CONTENT, &options).expect("sign");
    let text = String::from_utf8(signature.clone()).expect("text");
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines.len(), 4);
    assert_eq!(
        lines[0],
        "untrusted comment: signature from minisign secret key"
    );
    assert_eq!(&BASE64.decode(lines[1]).expect("base64")[..2], b"ED");
    assert_eq!(
        lines[2],
        "trusted comment: timestamp:1700000000\tfile:ward.tar.gz\thashed"
    );
    assert_eq!(BASE64.decode(lines[3]).expect("base64").len(), 64);
    let verified = verify(&public(&generated), CONTENT, &signature).expect("verifies");
    assert_eq!(
        verified.trusted_comment.as_deref(),
        Some("timestamp:1700000000\tfile:ward.tar.gz\thashed")
    );
    // The public key file: minisign's comment and 42 bytes starting with "Ed".
    let public_lines: Vec<&str> = generated.public.lines().collect();
    assert!(public_lines[0].ends_with(&format!("minisign public key {}", generated.key_id)));
    assert_eq!(&BASE64.decode(public_lines[1]).expect("base64")[..2], b"Ed");
}

#[test]
fn wrong_key_names_both_ids() {
    for format in Format::ALL {
        let signer = key_pair(format, None);
        let other = key_pair(format, None);
        let signature = sign(&secret(&signer, None), CONTENT);
        match verify(&public(&other), CONTENT, &signature) {
            Err(VerifyError::WrongKey {
                signature_key_id,
                key_id,
                ..
            }) => {
                assert_eq!(signature_key_id, signer.key_id, "{format}");
                assert_eq!(key_id, other.key_id, "{format}");
                let message = verify(&public(&other), CONTENT, &signature)
                    .expect_err("wrong key")
                    .to_string();
                assert!(message.contains(&signer.key_id) && message.contains(&other.key_id));
            }
            other => panic!("{format}: {other:?}"),
        }
    }
}

#[test]
fn every_bit_flip_of_the_file_is_an_altered_file() {
    for format in Format::ALL {
        let generated = key_pair(format, None);
        let public = public(&generated);
        let signature = sign(&secret(&generated, None), CONTENT);
        for bit in 0..CONTENT.len() * 8 {
            let altered = flip(CONTENT, bit);
            assert!(
                matches!(
                    verify(&public, &altered, &signature),
                    Err(VerifyError::FileAltered { .. })
                ),
                "{format}: bit {bit}"
            );
        }
        // Appended or removed bytes too.
        let mut longer = CONTENT.to_vec();
        longer.push(b'\n');
        assert!(matches!(
            verify(&public, &longer, &signature),
            Err(VerifyError::FileAltered { .. })
        ));
        assert!(matches!(
            verify(&public, &CONTENT[1..], &signature),
            Err(VerifyError::FileAltered { .. })
        ));
    }
}

/// Splits a minisign signature file into its four lines.
fn minisig_lines(signature: &[u8]) -> Vec<String> {
    String::from_utf8(signature.to_vec())
        .expect("text")
        .lines()
        .map(str::to_owned)
        .collect()
}

fn minisig(lines: &[String]) -> Vec<u8> {
    format!("{}\n", lines.join("\n")).into_bytes()
}

#[test]
fn minisign_every_bit_flip_of_the_signature_is_refused_with_its_reason() {
    let generated = key_pair(Format::Minisign, None);
    let public = public(&generated);
    let lines = minisig_lines(&sign(&secret(&generated, None), CONTENT));

    let raw = BASE64.decode(&lines[1]).expect("base64");
    for bit in 0..raw.len() * 8 {
        let mut altered = lines.clone();
        altered[1] = BASE64.encode(flip(&raw, bit));
        let result = verify(&public, CONTENT, &minisig(&altered));
        let byte = bit / 8;
        match result {
            // The algorithm: another unknown one, or `Ed` (legacy), which does not verify.
            Err(VerifyError::UnsupportedAlgorithm { .. } | VerifyError::FileAltered { .. })
                if byte < 2 => {}
            Err(VerifyError::WrongKey { .. }) if (2..10).contains(&byte) => {}
            Err(VerifyError::FileAltered { .. }) if byte >= 10 => {}
            other => panic!("signature bit {bit}: {other:?}"),
        }
    }

    let global = BASE64.decode(&lines[3]).expect("base64");
    for bit in 0..global.len() * 8 {
        let mut altered = lines.clone();
        altered[3] = BASE64.encode(flip(&global, bit));
        assert!(
            matches!(
                verify(&public, CONTENT, &minisig(&altered)),
                Err(VerifyError::TrustedCommentAltered)
            ),
            "global signature bit {bit}"
        );
    }
}

#[test]
fn minisign_every_bit_flip_of_the_trusted_comment_is_refused() {
    let generated = key_pair(Format::Minisign, None);
    let public = public(&generated);
    let signature = sign(&secret(&generated, None), CONTENT);
    let start = signature
        .windows(17)
        .position(|w| w == b"trusted comment: ")
        .and_then(|p| {
            // The second match: the first is inside "untrusted comment: ".
            signature[p + 1..]
                .windows(17)
                .position(|w| w == b"trusted comment: ")
                .map(|q| p + 1 + q + 17)
        })
        .expect("trusted comment line");
    let end = start
        + signature[start..]
            .iter()
            .position(|&b| b == b'\n')
            .expect("eol");
    for bit in start * 8..end * 8 {
        let altered = flip(&signature, bit);
        match verify(&public, CONTENT, &altered) {
            Err(VerifyError::TrustedCommentAltered) => {}
            // A flip that makes the text non-UTF-8 or splits the line.
            Err(VerifyError::Malformed { .. }) => {}
            other => panic!("trusted comment bit {bit}: {other:?}"),
        }
    }
}

#[test]
fn every_bit_flip_of_a_signature_file_is_refused_or_harmless() {
    for format in Format::ALL {
        let generated = key_pair(format, None);
        let public = public(&generated);
        let signature = sign(&secret(&generated, None), CONTENT);
        // What a flip may leave verifying: minisign's untrusted comment (unsigned by design)
        // and line ends; armour headers and OpenPGP's optional CRC line.
        let signed_region = match format {
            Format::Minisign => {
                let first_eol = signature.iter().position(|&b| b == b'\n').expect("eol");
                first_eol + 1..signature.len() - 1
            }
            _ => 0..0,
        };
        // Armoured formats are only checked not to panic here, so a sample of bits will do;
        // their decoded forms are flipped bit by bit below.
        let step = if format == Format::Minisign { 1 } else { 5 };
        for bit in (0..signature.len() * 8).step_by(step) {
            let result = verify(&public, CONTENT, &flip(&signature, bit));
            if signed_region.contains(&(bit / 8)) {
                assert!(result.is_err(), "{format}: bit {bit}");
            }
        }
    }
}

/// The base64 body of an armoured block (between the blank line or BEGIN line and the CRC or
/// END line), decoded.
fn dearmor(armored: &[u8]) -> Vec<u8> {
    let text = std::str::from_utf8(armored).expect("text");
    let body: String = text
        .lines()
        .filter(|l| !l.starts_with("-----") && !l.contains(':') && !l.starts_with('='))
        .collect();
    BASE64.decode(body.trim()).expect("base64")
}

#[test]
fn every_bit_flip_of_a_binary_openpgp_signature_is_refused() {
    let generated = key_pair(Format::OpenPgp, None);
    let public = public(&generated);
    let binary = dearmor(&sign(&secret(&generated, None), CONTENT));
    verify(&public, CONTENT, &binary).expect("the binary form verifies");
    // The unhashed subpackets (the issuer key id rpgp repeats there) are not signed, by
    // OpenPGP's design: a flip there must not panic, and may verify. A v4 signature packet with
    // a one-byte length: tag, length, version, type, algorithms (2), hashed length (2), hashed
    // area, unhashed length (2), unhashed area.
    assert_eq!(binary[2], 4, "a v4 signature with a one-byte length");
    let hashed_len = usize::from(u16::from_be_bytes([binary[6], binary[7]]));
    let unhashed_start = 8 + hashed_len + 2;
    let unhashed_len = usize::from(u16::from_be_bytes([
        binary[unhashed_start - 2],
        binary[unhashed_start - 1],
    ]));
    let unhashed = unhashed_start..unhashed_start + unhashed_len;
    for bit in 0..binary.len() * 8 {
        if unhashed.contains(&(bit / 8)) {
            let _ = verify(&public, CONTENT, &flip(&binary, bit));
            continue;
        }
        assert!(
            verify(&public, CONTENT, &flip(&binary, bit)).is_err(),
            "bit {bit}"
        );
    }
}

#[test]
fn every_bit_flip_of_an_ssh_signature_blob_is_refused() {
    let generated = key_pair(Format::Ssh, None);
    let public = public(&generated);
    let blob = dearmor(&sign(&secret(&generated, None), CONTENT));
    for bit in 0..blob.len() * 8 {
        let encoded = BASE64.encode(flip(&blob, bit));
        let mut pem = String::from("-----BEGIN SSH SIGNATURE-----\n");
        for chunk in encoded.as_bytes().chunks(70) {
            pem.push_str(std::str::from_utf8(chunk).expect("ascii"));
            pem.push('\n');
        }
        pem.push_str("-----END SSH SIGNATURE-----\n");
        assert!(
            verify(&public, CONTENT, pem.as_bytes()).is_err(),
            "bit {bit}"
        );
    }
}

#[test]
fn every_bit_flip_of_a_public_key_is_refused() {
    for format in Format::ALL {
        let generated = key_pair(format, None);
        let signature = sign(&secret(&generated, None), CONTENT);
        let key = generated.public.as_bytes();
        // The key material: minisign's base64 line, the OpenSSH blob (not its comment), the
        // OpenPGP packets (binary).
        let (bytes, region): (Vec<u8>, std::ops::Range<usize>) = match format {
            Format::Minisign => {
                let start = key.iter().position(|&b| b == b'\n').expect("eol") + 1;
                (key.to_vec(), start..key.len() - 1)
            }
            Format::Ssh => {
                let start = key.iter().position(|&b| b == b' ').expect("space") + 1;
                let end = start + key[start..].iter().position(|&b| b == b' ').expect("space");
                (key.to_vec(), start..end)
            }
            Format::OpenPgp => {
                let binary = dearmor(key);
                let len = binary.len();
                (binary, 0..len)
            }
        };
        // OpenPGP: the first packet is the key itself; the self-signature after it has an
        // unhashed (unsigned, by OpenPGP's design) area where a flip changes nothing that
        // matters, so there only the key must stay the same.
        let key_packet_end = match format {
            Format::OpenPgp => 2 + usize::from(bytes[1]),
            _ => usize::MAX,
        };
        for bit in region.start * 8..region.end * 8 {
            let flipped = flip(&bytes, bit);
            if let Ok(key) = PublicKey::parse(&flipped)
                && verify(&key, CONTENT, &signature).is_ok()
            {
                assert!(
                    bit / 8 >= key_packet_end && key.key_id() == generated.key_id,
                    "{format}: key bit {bit} still verifies"
                );
            }
        }
    }
}

#[test]
fn truncations_are_errors_not_panics() {
    for format in Format::ALL {
        let generated = key_pair(format, None);
        let public = public(&generated);
        let signature = sign(&secret(&generated, None), CONTENT);
        for len in 0..signature.len() {
            // The last line end of a minisign signature is optional, as in minisign.
            let result = verify(&public, CONTENT, &signature[..len]);
            if len < signature.len() - 1 {
                assert!(result.is_err(), "{format}: signature cut at {len}");
            }
        }
        for len in 0..generated.public.len() - 1 {
            // A truncated key may still parse (an OpenPGP key without its last signature):
            // then it must not verify.
            if let Ok(key) = PublicKey::parse(&generated.public.as_bytes()[..len]) {
                assert!(
                    verify(&key, CONTENT, &signature).is_err() || len > 0,
                    "{format}: key cut at {len}"
                );
            }
        }
        for len in 0..generated.secret.len() - 1 {
            let _ = SecretKey::parse(&generated.secret[..len], || None);
        }
    }
}

#[test]
fn encrypted_keys_need_the_right_passphrase() {
    for format in Format::ALL {
        let generated = key_pair(format, Some("right"));
        assert!(
            matches!(
                SecretKey::parse(&generated.secret, || None),
                Err(KeyError::PassphraseRequired)
            ),
            "{format}"
        );
        assert!(
            matches!(
                SecretKey::parse(&generated.secret, || Some(Passphrase::from("wrong"))),
                Err(KeyError::WrongPassphrase)
            ),
            "{format}"
        );
    }
}

#[test]
fn options_of_another_format_are_refused() {
    let ssh = secret(&key_pair(Format::Ssh, None), None);
    let options = SignOptions {
        trusted_comment: Some("x".into()),
        ..SignOptions::default()
    };
    assert!(matches!(
        ward_sign::sign(&ssh, CONTENT, &options),
        Err(SignError::InvalidOption { .. })
    ));
    let minisign = secret(&key_pair(Format::Minisign, None), None);
    let options = SignOptions {
        trusted_comment: Some("two\nlines".into()),
        ..SignOptions::default()
    };
    assert!(matches!(
        ward_sign::sign(&minisign, CONTENT, &options),
        Err(SignError::InvalidOption { .. })
    ));
}

#[test]
fn ssh_namespace_must_match() {
    let generated = key_pair(Format::Ssh, None);
    let options = SignOptions {
        namespace: Some("git".into()),
        ..SignOptions::default()
    };
    let signature = ward_sign::sign(&secret(&generated, None), CONTENT, &options).expect("signs");
    match verify(&public(&generated), CONTENT, &signature) {
        Err(VerifyError::NamespaceMismatch { expected, found }) => {
            assert_eq!((expected.as_str(), found.as_str()), ("file", "git"));
        }
        other => panic!("{other:?}"),
    }
    let git = VerifyOptions {
        namespace: Some("git".into()),
    };
    ward_sign::verify(&public(&generated), CONTENT, &signature, &git).expect("verifies");
}

#[test]
fn a_signature_of_another_format_is_named() {
    let minisign = key_pair(Format::Minisign, None);
    let ssh = key_pair(Format::Ssh, None);
    let signature = sign(&secret(&ssh, None), CONTENT);
    assert!(matches!(
        verify(&public(&minisign), CONTENT, &signature),
        Err(VerifyError::FormatMismatch {
            key: Format::Minisign,
            signature: Format::Ssh
        })
    ));
}

#[test]
fn unsupported_ssh_key_types_are_named() {
    // Public key lines of other types (the blobs need not be valid: the type is read first).
    for (line, name) in [
        ("ssh-rsa AAAAB3NzaC1yc2EAAAADAQABAAABAQ== x", "ssh-rsa"),
        (
            "ecdsa-sha2-nistp256 AAAAE2VjZHNhLXNoYTItbmlzdHAyNTY= x",
            "ecdsa-sha2-nistp256",
        ),
    ] {
        match PublicKey::parse(line.as_bytes()) {
            Err(KeyError::UnsupportedAlgorithm {
                found, expected, ..
            }) => {
                assert_eq!(found, name);
                assert_eq!(expected, "ssh-ed25519");
            }
            other => panic!("{other:?}"),
        }
    }
}

#[test]
fn garbage_is_unrecognized() {
    assert!(matches!(
        PublicKey::parse(b"hello"),
        Err(KeyError::Unrecognized { .. })
    ));
    assert!(matches!(
        SecretKey::parse(b"hello", || None),
        Err(KeyError::Unrecognized { .. })
    ));
    assert!(matches!(
        PublicKey::parse(b"untrusted comment: x\nRWnot-base64!\n"),
        Err(KeyError::Malformed { .. })
    ));
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn minisign_round_trips_any_content_and_comment(
        content in proptest::collection::vec(any::<u8>(), 0..2048),
        comment in "[^\r\n]{0,200}",
    ) {
        let generated = key_pair(Format::Minisign, None);
        let options = SignOptions { trusted_comment: Some(comment.clone()), ..SignOptions::default() };
        let signature = ward_sign::sign(&secret(&generated, None), &content[..], &options).expect("sign");
        let verified = verify(&public(&generated), &content, &signature).expect("verify");
        prop_assert_eq!(verified.trusted_comment, Some(comment));
    }

    #[test]
    fn parsers_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..600)) {
        let _ = PublicKey::parse(&bytes);
        let _ = SecretKey::parse(&bytes, || Some(Passphrase::from("x")));
        let mut prefixed = b"untrusted comment: x\n".to_vec();
        prefixed.extend_from_slice(&bytes);
        let _ = PublicKey::parse(&prefixed);
        let _ = SecretKey::parse(&prefixed, || None);
    }
}

#[test]
fn signature_parsers_never_panic_on_random_input() {
    let keys: Vec<PublicKey> = Format::ALL
        .iter()
        .map(|&format| public(&key_pair(format, None)))
        .collect();
    let mut runner = proptest::test_runner::TestRunner::default();
    runner
        .run(&proptest::collection::vec(any::<u8>(), 0..600), |bytes| {
            for key in &keys {
                let _ = verify(key, CONTENT, &bytes);
                let mut armored = b"-----BEGIN PGP SIGNATURE-----\n\n".to_vec();
                armored.extend_from_slice(&bytes);
                let _ = verify(key, CONTENT, &armored);
            }
            Ok(())
        })
        .expect("no panic");
}
