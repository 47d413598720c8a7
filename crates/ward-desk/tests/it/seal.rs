//! Envelope encryption on real key files: round trips, tampering, labels, KEK rotation.

use std::fs;
use std::path::Path;

use proptest::prelude::*;
use ward_desk::seal::{Keyring, SealError, Secret, WrappedKey};

fn kek_files(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .filter(|n| n.starts_with("kek-"))
        .collect();
    names.sort();
    names
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    /// Whatever the text and label, sealing then opening gives the text back, and the
    /// ciphertext hides it.
    #[test]
    fn seal_round_trips(plaintext in prop::collection::vec(any::<u8>(), 0..2048), label in ".{0,40}") {
        let dir = tempfile::tempdir().unwrap();
        let (ring, _) = Keyring::load_or_create(dir.path()).unwrap();
        let (key, wrapped) = ring.new_data_key();
        let sealed = key.seal(&label, &plaintext);
        prop_assert_eq!(key.open(&label, &sealed).unwrap(), plaintext.clone());
        let unwrapped = ring.unwrap(&wrapped).unwrap();
        prop_assert_eq!(unwrapped.open(&label, &sealed).unwrap(), plaintext.clone());
        if plaintext.len() >= 16 {
            prop_assert!(!sealed.windows(16).any(|w| w == &plaintext[..16]));
        }
        // The same text sealed twice differs (a fresh nonce each time).
        prop_assert_ne!(key.seal(&label, &plaintext), sealed);
    }
}

/// Flipping any bit pattern in any byte of a ciphertext, or cutting it, makes it fail to open.
#[test]
fn any_altered_byte_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let (ring, _) = Keyring::load_or_create(dir.path()).unwrap();
    let (key, wrapped) = ring.new_data_key();
    let sealed = key.seal("report:1:content", b"the report's text");
    for i in 0..sealed.len() {
        for flip in [0x01, 0x80, 0xff] {
            let mut altered = sealed.clone();
            altered[i] ^= flip;
            assert!(
                matches!(key.open("report:1:content", &altered), Err(SealError::Open)),
                "byte {i} ^ {flip:#x} went unnoticed"
            );
        }
    }
    for len in 0..sealed.len() {
        assert!(
            key.open("report:1:content", &sealed[..len]).is_err(),
            "cut to {len}"
        );
    }
    let mut longer = sealed.clone();
    longer.push(0);
    assert!(key.open("report:1:content", &longer).is_err());

    // The same for a wrapped data key.
    for i in 0..wrapped.bytes.len() {
        let mut altered = wrapped.clone();
        altered.bytes[i] ^= 0x01;
        assert!(
            matches!(ring.unwrap(&altered), Err(SealError::Open)),
            "wrapped byte {i}"
        );
    }
}

/// A ciphertext opens only under its own label and its own report's key.
#[test]
fn labels_and_keys_bind() {
    let dir = tempfile::tempdir().unwrap();
    let (ring, _) = Keyring::load_or_create(dir.path()).unwrap();
    let (key, _) = ring.new_data_key();
    let (other, _) = ring.new_data_key();
    let sealed = key.seal("report:1:content", b"text");
    for label in [
        "report:2:content",
        "report:1:reply:1",
        "",
        "report:1:content ",
    ] {
        assert!(
            matches!(key.open(label, &sealed), Err(SealError::Open)),
            "{label:?}"
        );
    }
    assert!(matches!(
        other.open("report:1:content", &sealed),
        Err(SealError::Open)
    ));
}

/// Rotation: the new KEK is current, old wrapped keys still unwrap, rewrapping moves them to
/// the new KEK, and retiring removes the old KEK (whose wrapped keys then no longer unwrap).
#[test]
fn rotation_rewraps_and_retires() {
    let dir = tempfile::tempdir().unwrap();
    let keys = dir.path().join("keys");
    let (first, created) = Keyring::load_or_create(&keys).unwrap();
    assert!(created);
    let (key, old) = first.new_data_key();
    let sealed = key.seal("report:9:content", b"text");

    let rotated = Keyring::rotate(&keys).unwrap();
    assert_ne!(rotated.current_id(), first.current_id());
    assert_eq!(kek_files(&keys).len(), 2);
    // Loading again finds the rotated KEK current.
    let (reloaded, created) = Keyring::load_or_create(&keys).unwrap();
    assert!(!created);
    assert_eq!(reloaded.current_id(), rotated.current_id());

    let still = rotated.unwrap(&old).unwrap();
    assert_eq!(still.open("report:9:content", &sealed).unwrap(), b"text");
    let new = rotated.rewrap(&old).unwrap();
    assert_eq!(new.kek_id, rotated.current_id());
    assert_ne!(new.bytes, old.bytes);

    rotated.retire(&keys).unwrap();
    assert_eq!(
        kek_files(&keys),
        [format!("kek-{}.key", rotated.current_id())]
    );
    let (after, _) = Keyring::load_or_create(&keys).unwrap();
    assert!(matches!(
        after.unwrap(&old),
        Err(SealError::UnknownKek { .. })
    ));
    let opened = after.unwrap(&new).unwrap();
    assert_eq!(opened.open("report:9:content", &sealed).unwrap(), b"text");

    // A wrapped key cannot pass as wrapped by another KEK.
    let again = Keyring::rotate(&keys).unwrap();
    let forged = WrappedKey {
        kek_id: again.current_id().to_owned(),
        bytes: new.bytes.clone(),
    };
    assert!(matches!(again.unwrap(&forged), Err(SealError::Open)));

    // An older keyring does not retire a KEK newer than its own current one.
    after.retire(&keys).unwrap();
    assert_eq!(
        kek_files(&keys),
        [
            format!("kek-{}.key", after.current_id()),
            format!("kek-{}.key", again.current_id())
        ]
    );
    again.retire(&keys).unwrap();
    assert_eq!(
        kek_files(&keys),
        [format!("kek-{}.key", again.current_id())]
    );
}

/// Two first starts racing each write a first KEK: both stay usable, one is current, and
/// retiring keeps only that one.
#[cfg(unix)]
#[test]
fn racing_first_keks_are_both_kept() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    let (mine, _) = Keyring::load_or_create(dir.path()).unwrap();
    let (_, wrapped) = mine.new_data_key();
    // The other process's first KEK, in the documented format.
    let id = "0001-ffffffff";
    let mut theirs = b"ward-kek\x01".to_vec();
    theirs.push(id.len() as u8);
    theirs.extend_from_slice(id.as_bytes());
    theirs.extend_from_slice(&[7; 32]);
    let path = dir.path().join(format!("kek-{id}.key"));
    fs::write(&path, theirs).unwrap();
    fs::set_permissions(&path, fs::Permissions::from_mode(0o600)).unwrap();

    let (both, created) = Keyring::load_or_create(dir.path()).unwrap();
    assert!(!created);
    assert_eq!(both.current_id(), id);
    assert_eq!(both.ids().count(), 2);
    let rewrapped = both.rewrap(&wrapped).unwrap();
    both.retire(dir.path()).unwrap();
    assert_eq!(kek_files(dir.path()), [format!("kek-{id}.key")]);
    let (after, _) = Keyring::load_or_create(dir.path()).unwrap();
    assert!(after.unwrap(&rewrapped).is_ok());
}

/// Key files are private, written whole, and nothing temporary is left behind.
#[cfg(unix)]
#[test]
fn key_files_are_private_and_whole() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    let keys = dir.path().join("keys");
    let (ring, _) = Keyring::load_or_create(&keys).unwrap();
    Keyring::rotate(&keys).unwrap();
    let secret = Secret::load_or_create(&keys, "audit.key").unwrap();
    assert_eq!(
        fs::metadata(&keys).unwrap().permissions().mode() & 0o777,
        0o700
    );
    let mut names = Vec::new();
    for entry in fs::read_dir(&keys).unwrap() {
        let entry = entry.unwrap();
        let name = entry.file_name().into_string().unwrap();
        assert!(!name.starts_with('.'), "left behind: {name}");
        assert_eq!(
            entry.metadata().unwrap().permissions().mode() & 0o777,
            0o600,
            "{name}"
        );
        names.push(name);
    }
    assert_eq!(names.len(), 3, "{names:?}");
    // The secret file holds the secret, after a versioned header.
    let bytes = fs::read(keys.join("audit.key")).unwrap();
    assert_eq!(&bytes[..9], b"ward-sec\x01");
    assert_eq!(&bytes[9..], secret.expose());
    // A KEK file names its id inside.
    let kek = fs::read(keys.join(format!("kek-{}.key", ring.current_id()))).unwrap();
    assert!(kek.starts_with(b"ward-kek\x01"));
    assert!(
        kek.windows(ring.current_id().len())
            .any(|w| w == ring.current_id().as_bytes())
    );
}

/// A damaged key file is an error naming it, never a panic or a silently new key.
#[cfg(unix)]
#[test]
fn damaged_key_files_are_refused() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    let (ring, _) = Keyring::load_or_create(dir.path()).unwrap();
    let path = dir.path().join(format!("kek-{}.key", ring.current_id()));
    let good = fs::read(&path).unwrap();
    for damaged in [
        Vec::new(),
        good[..good.len() - 1].to_vec(),
        [good.as_slice(), b"x"].concat(),
        [b"ward-kek\x02".as_slice(), &good[9..]].concat(),
    ] {
        fs::write(&path, &damaged).unwrap();
        fs::set_permissions(&path, fs::Permissions::from_mode(0o600)).unwrap();
        let err = Keyring::load_or_create(dir.path()).unwrap_err();
        assert!(matches!(err, SealError::BadKeyFile { .. }), "{err}");
        assert!(err.to_string().contains(&path.display().to_string()));
    }
    // A KEK file renamed to another id is refused too.
    fs::write(&path, &good).unwrap();
    fs::rename(&path, dir.path().join("kek-0001-00000000.key")).unwrap();
    assert!(matches!(
        Keyring::load_or_create(dir.path()),
        Err(SealError::BadKeyFile { .. })
    ));
}

#[test]
fn debug_output_is_redacted() {
    let dir = tempfile::tempdir().unwrap();
    let (ring, _) = Keyring::load_or_create(dir.path()).unwrap();
    let (key, _) = ring.new_data_key();
    assert_eq!(format!("{key:?}"), "DataKey(..)");
    let debug = format!("{ring:?}");
    assert!(
        debug.contains(ring.current_id()) && debug.len() < 200,
        "{debug}"
    );
    assert_eq!(format!("{:?}", Secret::random()), "Secret(..)");
}
