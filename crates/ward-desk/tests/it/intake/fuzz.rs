//! Whatever arrives at the public endpoint, `decrypt` answers with an error and never
//! panics: arbitrary bytes, arbitrary bytes in armor, and damaged versions of a real message,
//! which never decrypt to anything but the original.

use std::sync::OnceLock;

use base64::Engine;
use pgp::types::CompressionAlgorithm;
use proptest::prelude::*;

use super::{SECRET, assert_sound, encrypt_v1, key};

/// A real, compressed message to the intake key, made once.
fn real_message() -> &'static [u8] {
    static MESSAGE: OnceLock<Vec<u8>> = OnceLock::new();
    MESSAGE.get_or_init(|| encrypt_v1(SECRET, Some(CompressionAlgorithm::ZLIB)))
}

fn armored(binary: &[u8]) -> String {
    let encoded = base64::engine::general_purpose::STANDARD.encode(binary);
    let lines: Vec<&str> = encoded
        .as_bytes()
        .chunks(64)
        .map(|line| std::str::from_utf8(line).unwrap())
        .collect();
    format!(
        "-----BEGIN PGP MESSAGE-----\n\n{}\n-----END PGP MESSAGE-----\n",
        lines.join("\n")
    )
}

/// A packet header byte, so that arbitrary bodies get past the first check.
fn packet_start() -> impl Strategy<Value = u8> {
    prop_oneof![
        any::<u8>(),
        Just(0xc1),
        Just(0xd2),
        Just(0xc9),
        Just(0x84),
        Just(0xa3)
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn arbitrary_bytes_are_an_error(bytes in proptest::collection::vec(any::<u8>(), 0..2048)) {
        prop_assert!(key().decrypt(&bytes).is_err());
    }

    #[test]
    fn arbitrary_packets_are_an_error(
        first in packet_start(),
        rest in proptest::collection::vec(any::<u8>(), 0..2048),
    ) {
        let bytes = [vec![first], rest].concat();
        prop_assert!(key().decrypt(&bytes).is_err());
    }

    #[test]
    fn arbitrary_armored_bytes_are_an_error(
        first in packet_start(),
        rest in proptest::collection::vec(any::<u8>(), 0..2048),
    ) {
        let bytes = [vec![first], rest].concat();
        prop_assert!(key().decrypt(armored(&bytes).as_bytes()).is_err());
    }

    #[test]
    fn a_damaged_real_message_never_decrypts_to_something_else(
        flips in proptest::collection::vec((any::<prop::sample::Index>(), 1..=255_u8), 1..4),
        cut in any::<prop::sample::Index>(),
        truncate in any::<bool>(),
        armor in any::<bool>(),
    ) {
        let mut damaged = real_message().to_vec();
        for (at, xor) in flips {
            let at = at.index(damaged.len());
            damaged[at] ^= xor;
        }
        if truncate {
            damaged.truncate(cut.index(damaged.len()));
        }
        let input = if armor { armored(&damaged).into_bytes() } else { damaged };
        match key().decrypt(&input) {
            Ok(plaintext) => prop_assert_eq!(plaintext, SECRET),
            Err(error) => assert_sound(&error),
        }
    }

    #[test]
    fn a_real_armored_message_cut_anywhere_is_an_error(cut in any::<prop::sample::Index>()) {
        let armored = armored(real_message());
        let cut = cut.index(armored.len());
        // Cutting only the final newline leaves a complete message.
        prop_assume!(cut < armored.len() - 1);
        prop_assert!(key().decrypt(&armored.as_bytes()[..cut]).is_err());
    }
}
