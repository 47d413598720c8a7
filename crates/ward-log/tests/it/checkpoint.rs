//! Checkpoints: Go sumdb's tree note (`sumdb/tlog/note_test.go`, with a fixed hash), a real
//! `sum.golang.org` checkpoint signed by Go's server (from transparency-dev/formats'
//! `log/note_test.go`), transparency-dev/formats' checkpoint cases and C2SP's example; then a
//! flipped bit anywhere in a signed checkpoint is refused and no input panics.

use proptest::prelude::*;
use ward_log::note::{self, NoteSigner, NoteVerifier};
use ward_log::{Checkpoint, Error, Hash, leaf_hash};

use crate::note::PETER_SKEY;

const SUMDB_VKEY: &str = "sum.golang.org+033de0ae+Ac4zctda0e5eza+HJyk9SxEdh+s3Ux18htTTAD8OuAn8";
const SUMDB_NOTE: &str = "go.sum database tree\n6476701\nmb8QLQIs0Z0yP5Cstq6guj87oXWeC9gEM8oVikmm9Wk=\n\n— sum.golang.org Az3grsLX85Gz+s1SiTbgkuqxgItqFq7gsMUEyVnrsa9LM7Us9S+1xbFIGu95949rj4nPRYfvimWEPWL+o3GeoWwOoAw=\n";

fn is_malformed(result: &Result<Checkpoint, Error>) -> bool {
    matches!(
        result,
        Err(Error::Malformed {
            what: "checkpoint",
            ..
        })
    )
}

#[test]
fn go_tree_note_formats_and_parses() {
    // Go's RecordHash is the RFC 6962 leaf hash.
    let golden =
        "go.sum database tree\n123456789012\nTszzRgjTG6xce+z2AG31kAXYKBgQVtCSCE40HmuwBb0=\n";
    let cp = Checkpoint {
        origin: "go.sum database tree".to_owned(),
        size: 123_456_789_012,
        root: leaf_hash(b"hello world"),
        extensions: Vec::new(),
    };
    assert_eq!(cp.to_text(), golden);
    assert_eq!(Checkpoint::parse(golden), Ok(cp));
    // Go's bad trees but "not-" before the origin, which only Go's fixed origin refuses.
    for bad in [
        "go.sum database tree\n0xabcdef\nTszzRgjTG6xce+z2AG31kAXYKBgQVtCSCE40HmuwBb0=\n".to_owned(),
        "go.sum database tree\n123456789012\nTszzRgjTG6xce+z2AG31kAXYKBgQVtCSCE40HmuwBTOOBIG=\n"
            .to_owned(),
        // Go ignores junk after the third line; a checkpoint's extension lines must be whole
        // non-empty lines.
        format!("{golden}JOE"),
        format!("{golden}\n"),
    ] {
        assert!(is_malformed(&Checkpoint::parse(&bad)), "{bad:?}");
    }
    let with_ext = Checkpoint::parse(&format!("{golden}JOE\n")).unwrap();
    assert_eq!(with_ext.extensions, ["JOE"]);
}

#[test]
fn a_real_sumdb_checkpoint_opens() {
    let verifier = NoteVerifier::parse(SUMDB_VKEY).unwrap();
    let text = note::open(SUMDB_NOTE, &verifier).unwrap();
    let cp = Checkpoint::parse(text).unwrap();
    assert_eq!(cp.origin, "go.sum database tree");
    assert_eq!(cp.size, 6_476_701);
    assert_eq!(
        cp.root.to_string(),
        "99bf102d022cd19d323f90acb6aea0ba3f3ba1759e0bd80433ca158a49a6f569"
    );
    assert_eq!(cp.to_text(), text);
    // The sum database's key is not named after its origin: ward's open refuses that.
    assert_eq!(
        Checkpoint::open(SUMDB_NOTE, &verifier),
        Err(Error::Origin {
            expected: "sum.golang.org".to_owned()
        })
    );
    // Change the size by one: the signature no longer verifies.
    let forged = SUMDB_NOTE.replace("6476701", "6476702");
    assert!(matches!(
        note::open(&forged, &verifier),
        Err(Error::Signature(_))
    ));
}

#[test]
fn the_c2sp_example_parses() {
    let text =
        "example.com/behind-the-sofa\n20852163\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=\n";
    let cp = Checkpoint::parse(text).unwrap();
    assert_eq!(cp.size, 20_852_163);
    assert_eq!(cp.to_text(), text);
}

/// transparency-dev/formats `log/checkpoint_test.go`: its valid cases carry hashes that are
/// not 32 bytes long ("bananas"), which ward refuses; its invalid ones ward refuses too; and
/// its trailing-empty-lines case, valid there, is refused here (extension lines are non-empty).
#[test]
fn formats_cases_are_refused_for_the_right_reason() {
    let cases = [
        "Log\n123\nYmFuYW5hcw==\n",
        "Banana\n9944\ndGhlIHZpZXcgZnJvbSB0aGUgdHJlZSB0b3BzIGlzIGdyZWF0IQ==\n",
        "Moon Log\n4027504\naXQncyBhIHJvb3QgaGFzaA==\n6086d1a9\nWaxing gibbous\n",
        "Head\n9944\n",
        "\n9944\ndGhlIHZpZXcgZnJvbSB0aGUgdHJlZSB0b3BzIGlzIGdyZWF0IQ==\n",
        "Log\n123\nYmFuYW5hcw==",
        "Log\nbananas\ndGhlIHZpZXcgZnJvbSB0aGUgdHJlZSB0b3BzIGlzIGdyZWF0IQ==\n",
        "Log\n-34\ndGhlIHZpZXcgZnJvbSB0aGUgdHJlZSB0b3BzIGlzIGdyZWF0IQ==\n",
        "Log\n3438945738945739845734895735\ndGhlIHZpZXcgZnJvbSB0aGUgdHJlZSB0b3BzIGlzIGdyZWF0IQ==\n",
        "Log\n123\nThisIsn'tBase64\n",
    ];
    for case in cases {
        assert!(is_malformed(&Checkpoint::parse(case)), "{case:?}");
    }
    let root = "TszzRgjTG6xce+z2AG31kAXYKBgQVtCSCE40HmuwBb0=";
    for bad in [
        format!("Log\n9944\n{root}\n\n\n\n"),
        format!("Log\n+5\n{root}\n"),
        format!("Log\n05\n{root}\n"),
        format!("Log\n\n{root}\n"),
        format!("Log\n18446744073709551616\n{root}\n"),
        format!("Log\n1\n{root}\next\n\nmore\n"),
        format!("Log\r\n1\n{root}\n"),
        format!("Log\n1\n{}\n", root.trim_end_matches('=')),
        // Non-zero trailing bits: the same bytes as `root`, not canonical base64.
        format!("Log\n1\n{}\n", root.replace("Bb0=", "Bb1=")),
    ] {
        assert!(is_malformed(&Checkpoint::parse(&bad)), "{bad:?}");
    }
    for good in [
        format!("Log\n0\n{root}\n"),
        format!("Log\n18446744073709551615\n{root}\n"),
    ] {
        assert_eq!(Checkpoint::parse(&good).unwrap().to_text(), good);
    }
}

#[test]
fn signed_checkpoints_open_with_the_origin_key_only() {
    let signer = NoteSigner::parse(PETER_SKEY).unwrap();
    let cp = Checkpoint {
        origin: "PeterNeumann".to_owned(),
        size: 42,
        root: leaf_hash(b"x"),
        extensions: vec!["witness-extension 1".to_owned()],
    };
    let signed = cp.sign(&signer).unwrap();
    assert_eq!(
        Checkpoint::open(&signed, &signer.verifier()),
        Ok(cp.clone())
    );
    let other = NoteSigner::generate("PeterNeumann").unwrap();
    assert!(matches!(
        Checkpoint::open(&signed, &other.verifier()),
        Err(Error::Signature(_))
    ));
    // A valid signature over a text that is not a checkpoint.
    let not_cp = signer
        .sign("if this is a checkpoint I'll eat my hat\n")
        .unwrap();
    assert!(is_malformed(&Checkpoint::open(&not_cp, &signer.verifier())));
}

fn checkpoint() -> impl Strategy<Value = Checkpoint> {
    (
        any::<u64>(),
        any::<[u8; 32]>(),
        proptest::collection::vec("[^\\x00-\\x1f]{1,20}", 0..3),
    )
        .prop_map(|(size, root, extensions)| Checkpoint {
            origin: "ward.example/log".to_owned(),
            size,
            root: Hash::new(root),
            extensions,
        })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn a_flipped_bit_in_a_signed_checkpoint_is_refused(
        cp in checkpoint(),
        seed in any::<[u8; 32]>(),
        flips in proptest::collection::vec(any::<prop::sample::Index>(), 8),
    ) {
        let signer = NoteSigner::from_seed("ward.example/log", &seed).unwrap();
        let verifier = signer.verifier();
        let signed = cp.sign(&signer).unwrap();
        prop_assert_eq!(Checkpoint::open(&signed, &verifier), Ok(cp.clone()));
        prop_assert_eq!(Checkpoint::parse(&cp.to_text()), Ok(cp));
        for flip in flips {
            let bit = flip.index(signed.len() * 8);
            let mut bad = signed.as_bytes().to_vec();
            bad[bit / 8] ^= 0x80 >> (bit % 8);
            if let Ok(bad) = String::from_utf8(bad) {
                prop_assert!(Checkpoint::open(&bad, &verifier).is_err(), "bit {}", bit);
            }
        }
    }

    #[test]
    fn checkpoint_parsers_never_panic(input in "\\PC{0,200}", lines in proptest::collection::vec("\\PC{0,40}", 0..6)) {
        let verifier = NoteSigner::parse(PETER_SKEY).unwrap().verifier();
        let joined: String = lines.iter().map(|l| format!("{l}\n")).collect();
        for s in [input.as_str(), joined.as_str()] {
            if let Ok(cp) = Checkpoint::parse(s) {
                prop_assert_eq!(cp.to_text(), s);
            }
            let _ = Checkpoint::open(s, &verifier);
            let _ = Checkpoint::open(&format!("{s}\n— PeterNeumann x08go/ZJkuBS9UG/SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZSNXgKvqfqdngotpRZb6KE6RyyBwJnAM=\n"), &verifier);
        }
    }
}
