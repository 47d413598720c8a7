//! Signed notes against Go's `golang.org/x/mod/sumdb/note` (`note_test.go`): its keys, its
//! signed text (Ed25519 is deterministic, so the signature must match byte for byte), its
//! manglings and malformed notes; the keys of transparency-dev/formats' `log/note_test.go`;
//! then properties: sign/open round trips, a flipped bit anywhere is refused, nothing panics.

use proptest::prelude::*;
use ward_log::Error;
use ward_log::note::{self, NoteSigner, NoteVerifier};

// golang.org/x/mod sumdb/note/note_test.go.
pub(crate) const PETER_SKEY: &str =
    "PRIVATE+KEY+PeterNeumann+c74f20a3+AYEKFALVFGyNhPJEMzD1QIDr+Y7hfZx09iUvxdXHKDFz";
pub(crate) const PETER_VKEY: &str =
    "PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW";
const ENOCH_VKEY: &str = "EnochRoot+af0cfe78+ATtqJ7zOtqQtYqOo0CpvDXNlMhV3HeJDpjrASKGLWdop";
const TEXT: &str = "If you think cryptography is the answer to your problem,\n\
                    then you don't know what your problem is.\n";
const PETER_SIG: &str = "— PeterNeumann x08go/ZJkuBS9UG/SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZSNXgKvqfqdngotpRZb6KE6RyyBwJnAM=\n";
const ENOCH_SIG: &str = "— EnochRoot rwz+eBzmZa0SO3NbfRGzPCpDckykFXSdeX+MNtCOXm2/5n2tiOHp+vAF1aGrQ5ovTG01oOTGwnWLox33WWd1RvMc+QQ=\n";

// transparency-dev/formats log/note_test.go: (signer key, verifier key) pairs made by Go.
const FORMATS_KEYS: [(&str, &str); 4] = [
    (
        "PRIVATE+KEY+Log+2271c621+AdEIq9FLRQni54Wg68T96VJO+iayOaulswav2DUMKgvQ",
        "Log+2271c621+AemuH5ooBpEPcr+W8onrjA1NfuzBVHdezakU81Ekarvs",
    ),
    (
        "PRIVATE+KEY+Known+451c786d+AQPRoE2+Z+Ed1HaHBA9F/FfracvcZ2rDU39kCecMEoci",
        "Known+451c786d+AXAQ0T7lbwuY4ABJ9/MYY9bWV3hmSyOGVt2x42NkmdUH",
    ),
    (
        "PRIVATE+KEY+KnownAgain+4893b26c+ARhZda/l25zjGZswYLDZsLNRzNpmv5wYTN9IoTr1OJ2+",
        "KnownAgain+4893b26c+AQ+LR7BFF/F/dkpIBjBpSvT0crkteizuUkavAoGeaYMj",
    ),
    (
        "PRIVATE+KEY+Unknown+fdbb2e08+Aav2knTC6orbhXX8pMWuNiWgO+Wwk2DB+h1eU2Q1W1nU",
        "Unknown+fdbb2e08+AWgRIYZ+8x1Vl+1Q+sR8zciNHiYI1SdlBjNw+RV0rots",
    ),
];

fn peter() -> NoteVerifier {
    NoteVerifier::parse(PETER_VKEY).unwrap()
}

fn is_malformed_note(result: Result<&str, Error>) -> bool {
    matches!(result, Err(Error::Malformed { what: "note", .. }))
}

#[test]
fn go_signs_the_same_bytes() {
    let signer = NoteSigner::parse(PETER_SKEY).unwrap();
    assert_eq!(signer.name(), "PeterNeumann");
    assert_eq!(signer.key_id(), 0xc74f_20a3);
    assert_eq!(signer.verifier(), peter());
    assert_eq!(signer.verifier().to_vkey(), PETER_VKEY);
    assert_eq!(&*signer.to_skey(), PETER_SKEY);
    assert_eq!(signer.sign(TEXT).unwrap(), format!("{TEXT}\n{PETER_SIG}"));
    // Go's "Sign with short text": a text without its final newline.
    assert!(matches!(
        signer.sign("abc"),
        Err(Error::Malformed { what: "note", .. })
    ));
}

#[test]
fn a_seed_that_does_not_give_the_key_id_is_refused() {
    // The same key with its last five seed bytes changed: the key id no longer matches.
    let wrong = "PRIVATE+KEY+PeterNeumann+c74f20a3+AYEKFALVFGyNhPJEMzD1QIDr+Y7hfZx09iUvxEXHgdse";
    assert!(matches!(
        NoteSigner::parse(wrong),
        Err(Error::Malformed {
            what: "signer key",
            ..
        })
    ));
}

#[test]
fn the_formats_keys_pair_up() {
    for (skey, vkey) in FORMATS_KEYS {
        let signer = NoteSigner::parse(skey).unwrap();
        assert_eq!(signer.verifier().to_vkey(), vkey);
        assert_eq!(NoteVerifier::parse(vkey).unwrap(), signer.verifier());
        assert_eq!(&*signer.to_skey(), skey);
    }
}

/// Go's TestNewVerifier and TestNewSigner: every proper substring of a key, and the key with
/// any one byte incremented, is refused.
#[test]
fn mangled_keys_are_refused() {
    fn manglings(key: &str) -> Vec<String> {
        let b = key.as_bytes();
        let mut out = Vec::new();
        for i in 0..=b.len() {
            for j in i + 1..=b.len() {
                if i != 0 || j != b.len() {
                    out.push(String::from_utf8(b[i..j].to_vec()).unwrap());
                }
            }
        }
        for i in 0..b.len() {
            let mut m = b.to_vec();
            m[i] += 1;
            out.push(String::from_utf8(m).unwrap());
        }
        out
    }
    let mut refused = 0;
    for key in manglings(PETER_VKEY) {
        assert!(NoteVerifier::parse(&key).is_err(), "{key}");
        refused += 1;
    }
    for key in manglings(PETER_SKEY) {
        assert!(NoteSigner::parse(&key).is_err(), "{key}");
        refused += 1;
    }
    // A key of the wrong length and an unknown algorithm, each with a matching key id.
    for key in [
        "PeterNeumann+cc469956+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TWBADKEY==",
        "PeterNeumann+173116ae+ZRpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW",
    ] {
        assert!(
            matches!(
                NoteVerifier::parse(key),
                Err(Error::Malformed { what: "verifier key", ref reason }) if !reason.contains("key id")
            ),
            "{key}: {:?}",
            NoteVerifier::parse(key)
        );
    }
    eprintln!("note keys: {refused} Go manglings refused");
}

#[test]
fn go_open_cases() {
    let peter = peter();
    let enoch = NoteVerifier::parse(ENOCH_VKEY).unwrap();
    let both = format!("{TEXT}\n{PETER_SIG}{ENOCH_SIG}");
    assert_eq!(note::open(&both, &peter), Ok(TEXT));
    assert_eq!(note::open(&both, &enoch), Ok(TEXT));

    // Signed by others only: no signature by this key.
    let enoch_only = format!("{TEXT}\n{ENOCH_SIG}");
    assert!(matches!(
        note::open(&enoch_only, &peter),
        Err(Error::Signature(_))
    ));

    // Too many signatures, whether they verify or not.
    let many = format!("{TEXT}\n{}", PETER_SIG.repeat(101));
    assert!(is_malformed_note(note::open(&many, &peter)));
    assert!(is_malformed_note(note::open(&many, &enoch)));
    let hundred = format!("{TEXT}\n{}", PETER_SIG.repeat(100));
    assert_eq!(note::open(&hundred, &peter), Ok(TEXT));

    // A signature by the known key that does not verify is fatal.
    let bad = format!("{TEXT}\n{}ABCD{}", &PETER_SIG[..60], &PETER_SIG[60..]);
    assert_eq!(
        note::open(&bad, &peter),
        Err(Error::Signature(
            "invalid signature for key PeterNeumann+c74f20a3".to_owned()
        ))
    );

    // Repeats are skipped once the key's first signature verified (Go's "duplicated verified
    // and unverified signatures").
    let enoch_abcd = format!("{}ABCD{}", &ENOCH_SIG[..60], &ENOCH_SIG[60..]);
    let dup = format!("{TEXT}\n{PETER_SIG}{PETER_SIG}{ENOCH_SIG}{ENOCH_SIG}{enoch_abcd}");
    assert_eq!(note::open(&dup, &peter), Ok(TEXT));
    assert_eq!(note::open(&dup, &enoch), Ok(TEXT));

    // Go's malformed notes.
    let bad_msgs = [
        TEXT.to_owned(),
        format!("{TEXT}\n"),
        format!("{TEXT}\n{}", &PETER_SIG[..PETER_SIG.len() - 1]),
        format!("\x01{TEXT}\n{PETER_SIG}"),
        format!(
            "{TEXT}\n— Bad Name x08go/ZJkuBS9UG/SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZSNXgKvqfqdngotpRZb6KE6RyyBwJnAM="
        ),
        format!("{TEXT}\n{PETER_SIG}Unexpected line.\n"),
    ];
    for msg in &bad_msgs {
        assert!(is_malformed_note(note::open(msg, &peter)), "{msg:?}");
    }
    // Go's "\xff" case is invalid UTF-8, which a `&str` cannot hold.

    // Another name or key id than the verifier's: not this key's signature, so unsigned.
    for other in [
        PETER_SIG.replace("PeterNeumann", "CarmenSandiego"),
        PETER_SIG.replace("x08g", "xxxx"),
    ] {
        let msg = format!("{TEXT}\n{other}");
        assert!(
            matches!(note::open(&msg, &peter), Err(Error::Signature(_))),
            "{msg}"
        );
    }
}

#[test]
fn more_malformed_notes() {
    let peter = peter();
    let good = format!("{TEXT}\n{PETER_SIG}");
    let cases = [
        // A carriage return (a note saved with CRLF).
        good.replace('\n', "\r\n"),
        // Larger than 1 MiB.
        format!("{}\n{TEXT}\n{PETER_SIG}", "a".repeat(1 << 20)),
        // An empty signature, a signature shorter than key id + 1 byte.
        format!("{TEXT}\n— PeterNeumann \n"),
        format!("{TEXT}\n— PeterNeumann x08g\n"),
        // A signature line without the space, with a hyphen for the dash.
        format!("{TEXT}\n—PeterNeumann x08go/ZJ\n"),
        format!(
            "{TEXT}\n- PeterNeumann x08go/ZJkuBS9UG/SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZSNXgKvqfqdngotpRZb6KE6RyyBwJnAM=\n"
        ),
        // Base64 without its padding.
        good.replace("AM=\n", "AM\n"),
    ];
    for msg in &cases {
        assert!(
            is_malformed_note(note::open(msg, &peter)),
            "{:?}",
            &msg[msg.len().saturating_sub(120)..]
        );
    }
    // A text with blank lines of its own: the signatures follow the last one.
    let signer = NoteSigner::parse(PETER_SKEY).unwrap();
    for text in ["a\n\nb\n", "\n", "a\n\n", "\n\n\n"] {
        let signed = signer.sign(text).unwrap();
        assert_eq!(note::open(&signed, &peter), Ok(text));
    }
    assert!(signer.sign("tab\there\n").is_err());
    assert!(signer.sign("").is_err());
}

/// Every single-bit change of Go's signed note is refused (or is not UTF-8 any more).
#[test]
fn any_flipped_bit_in_the_go_note_is_refused() {
    let signed = format!("{TEXT}\n{PETER_SIG}");
    let peter = peter();
    let mut refused = 0;
    for i in 0..signed.len() {
        for bit in 0..8 {
            let mut bad = signed.as_bytes().to_vec();
            bad[i] ^= 1 << bit;
            if let Ok(bad) = String::from_utf8(bad) {
                assert!(note::open(&bad, &peter).is_err(), "byte {i} bit {bit}");
                refused += 1;
            }
        }
    }
    eprintln!("note: {refused} single-bit changes of Go's note refused");
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn signed_notes_open_and_a_flipped_bit_is_refused(
        lines in proptest::collection::vec("[^\\x00-\\x1f]{0,30}", 1..5),
        seed in any::<[u8; 32]>(),
        flip in any::<prop::sample::Index>(),
    ) {
        let signer = NoteSigner::from_seed("ward.example/log", &seed).unwrap();
        let text: String = lines.iter().map(|l| format!("{l}\n")).collect();
        let signed = signer.sign(&text).unwrap();
        prop_assert_eq!(note::open(&signed, &signer.verifier()), Ok(text.as_str()));
        let bit = flip.index(signed.len() * 8);
        let mut bad = signed.as_bytes().to_vec();
        bad[bit / 8] ^= 0x80 >> (bit % 8);
        if let Ok(bad) = String::from_utf8(bad) {
            prop_assert!(note::open(&bad, &signer.verifier()).is_err(), "bit {} of {:?}", bit, signed);
        }
    }

    #[test]
    fn note_parsers_never_panic(input in "\\PC{0,200}", bytes in any::<Vec<u8>>()) {
        let peter = peter();
        let lossy = String::from_utf8_lossy(&bytes);
        for s in [input.as_str(), &lossy] {
            let _ = NoteVerifier::parse(s);
            let _ = NoteSigner::parse(s);
            let _ = note::open(s, &peter);
            let _ = note::open(&format!("{TEXT}\n{s}"), &peter);
            let _ = note::open(&format!("{TEXT}\n— PeterNeumann {s}\n"), &peter);
            let _ = NoteVerifier::parse(&format!("PeterNeumann+c74f20a3+{s}"));
            let _ = NoteSigner::parse(&format!("PRIVATE+KEY+PeterNeumann+c74f20a3+{s}"));
        }
    }
}
