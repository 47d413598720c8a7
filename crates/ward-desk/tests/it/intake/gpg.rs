//! The intake key against the real GnuPG (the `gpg` on the machine, 2.2 on Debian 12): gpg must
//! read the key ward publishes and the key file ward writes, and ward must decrypt whatever
//! gpg encrypts to it, to the exact bytes. Each test has its own GnuPG home. Skipped with a
//! printed reason when gpg is missing, a failure when `WARD_REQUIRE_REFERENCE=1`.

use std::io::Write;
use std::process::{Command, Output, Stdio};

use ward_desk::intake::IntakeError;

use super::{SECRET, assert_sound, fixture, key};

/// A temporary GnuPG home holding the intake key's public half.
struct GnuPg {
    home: tempfile::TempDir,
}

impl GnuPg {
    fn new() -> Option<GnuPg> {
        let installed = ward_testkit::runs("gpg", &["--version"]);
        if !ward_testkit::reference_available("GnuPG (gpg)", installed, "Debian package gnupg") {
            return None;
        }
        let gpg = GnuPg {
            home: tempfile::Builder::new().prefix("gpg").tempdir().unwrap(),
        };
        gpg.run(&["--import"], key().public_armored().as_bytes());
        Some(gpg)
    }

    /// Runs gpg with `args`, `stdin` written from another thread.
    fn output(&self, args: &[&str], stdin: &[u8]) -> Output {
        let mut child = Command::new("gpg")
            .arg("--homedir")
            .arg(self.home.path())
            .args(["--batch", "--no-tty", "--trust-model", "always"])
            .args(["--pinentry-mode", "loopback"])
            .args(args)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let mut input = child.stdin.take().unwrap();
        let stdin = stdin.to_vec();
        let writer = std::thread::spawn(move || input.write_all(&stdin));
        let output = child.wait_with_output().unwrap();
        writer.join().unwrap().unwrap();
        output
    }

    /// Runs gpg, which must succeed; its standard output.
    fn run(&self, args: &[&str], stdin: &[u8]) -> Vec<u8> {
        let output = self.output(args, stdin);
        assert!(
            output.status.success(),
            "gpg {args:?}: {}\n{}",
            output.status,
            String::from_utf8_lossy(&output.stderr)
        );
        output.stdout
    }

    fn run_text(&self, args: &[&str], stdin: &[u8]) -> String {
        String::from_utf8(self.run(args, stdin)).unwrap()
    }

    /// Encrypts `plaintext` to the intake key, with more options.
    fn encrypt(&self, options: &[&str], plaintext: &[u8]) -> Vec<u8> {
        let fingerprint = key().fingerprint();
        let args = [&["--encrypt", "--recipient", &fingerprint], options].concat();
        self.run(&args, plaintext)
    }

    /// Generates a gpg key of gpg's own (Ed25519 + Curve25519); its fingerprint.
    fn generate_key(&self, user_id: &str) -> String {
        let key = [
            "--quick-gen-key",
            user_id,
            "future-default",
            "default",
            "never",
        ];
        self.run(&[&["--passphrase", ""][..], &key].concat(), b"");
        let listing = self.run_text(&["--with-colons", "--list-secret-keys", user_id], b"");
        colon_lines(&listing, "fpr")[0][9].to_owned()
    }
}

impl Drop for GnuPg {
    fn drop(&mut self) {
        // The agent gpg started for this home; it would otherwise outlive the test.
        let _ = Command::new("gpgconf")
            .arg("--homedir")
            .arg(self.home.path())
            .args(["--kill", "all"])
            .status();
    }
}

/// The fields of the `--with-colons` lines of record type `kind`.
fn colon_lines<'a>(listing: &'a str, kind: &str) -> Vec<Vec<&'a str>> {
    listing
        .lines()
        .map(|line| line.split(':').collect::<Vec<_>>())
        .filter(|fields| fields[0] == kind)
        .collect()
}

/// The marker (with a CRLF and bytes that are not UTF-8), then `len` pseudo-random bytes:
/// nothing may be normalized on the way.
fn awkward_plaintext(len: usize) -> Vec<u8> {
    let mut state = 0x9e37_79b9_7f4a_7c15_u64;
    let mut bytes = SECRET.to_vec();
    bytes.extend((0..len).map(|_| {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        state.to_le_bytes()[0]
    }));
    bytes
}

#[test]
fn gpg_sees_a_v4_ed25519_key_with_a_usable_cv25519_encryption_subkey() {
    let Some(gpg) = GnuPg::new() else { return };
    let fingerprint = key().fingerprint();
    let listing = gpg.run_text(&["--with-colons", "--list-keys", &fingerprint], b"");
    let primary = &colon_lines(&listing, "pub")[0];
    assert_eq!(primary[3], "22", "EdDSA: {listing}");
    assert_eq!(primary[16], "ed25519", "{listing}");
    assert!(
        primary[11].contains('E'),
        "usable for encryption: {listing}"
    );
    assert!(
        primary[11].contains('c') && primary[11].contains('s'),
        "{listing}"
    );
    assert_eq!(colon_lines(&listing, "fpr")[0][9], fingerprint);
    let subkeys = colon_lines(&listing, "sub");
    assert_eq!(subkeys.len(), 1, "{listing}");
    let subkey = &subkeys[0];
    assert_eq!(subkey[3], "18", "ECDH: {listing}");
    assert_eq!(subkey[16], "cv25519", "{listing}");
    assert_eq!(subkey[11], "e", "{listing}");
    assert!(
        !["i", "d", "r", "e"].contains(&subkey[1]),
        "valid: {listing}"
    );
    let uids = colon_lines(&listing, "uid");
    assert_eq!(uids[0][9], super::USER_ID);

    let packets = gpg.run_text(&["--list-packets"], key().public_armored().as_bytes());
    assert!(
        packets.contains(":public key packet:\n\tversion 4, algo 22"),
        "{packets}"
    );
    assert!(
        packets.contains(":public sub key packet:\n\tversion 4, algo 18"),
        "{packets}"
    );
    assert!(packets.contains("cv25519"), "{packets}");
    assert!(
        packets.contains("(key flags: 0C)"),
        "encrypt communications + storage: {packets}"
    );
    assert!(
        packets.contains("(pref-sym-algos: 9 8 7)"),
        "AES-256 first: {packets}"
    );
}

#[test]
fn gpg_reads_the_key_file_ward_wrote_and_decrypts_with_it() {
    let Some(gpg) = GnuPg::new() else { return };
    let file = gpg.home.path().join("intake.asc");
    std::fs::write(&file, &fixture().secret_file).unwrap();
    let path = file.to_str().unwrap();
    let shown = gpg.run_text(&["--with-colons", "--show-keys", path], b"");
    assert_eq!(colon_lines(&shown, "sec").len(), 1, "{shown}");
    assert_eq!(
        colon_lines(&shown, "fpr")[0][9],
        key().fingerprint(),
        "{shown}"
    );
    assert_eq!(colon_lines(&shown, "ssb")[0][11], "e", "{shown}");

    // An operator can take the key to gpg: the secret halves are gpg-readable too.
    gpg.run(&["--import", path], b"");
    let message = gpg.encrypt(&[], SECRET);
    assert_eq!(gpg.run(&["--decrypt"], &message), SECRET);
}

#[test]
fn armored_messages_from_gpg_decrypt_to_the_exact_bytes() {
    let Some(gpg) = GnuPg::new() else { return };
    let plaintext = awkward_plaintext(4000);
    let armored = gpg.encrypt(&["--armor"], &plaintext);
    assert!(armored.starts_with(b"-----BEGIN PGP MESSAGE-----"));
    assert_eq!(key().decrypt(&armored).unwrap(), plaintext);

    // As a browser posts it from a textarea.
    let crlf = String::from_utf8(armored).unwrap().replace('\n', "\r\n");
    assert_eq!(key().decrypt(crlf.as_bytes()).unwrap(), plaintext);
}

#[test]
fn binary_messages_from_gpg_decrypt_with_every_cipher_and_compression() {
    let Some(gpg) = GnuPg::new() else { return };
    let plaintext = awkward_plaintext(2000);
    for cipher in ["AES256", "AES192", "AES128"] {
        for compression in ["none", "zip", "zlib", "bzip2"] {
            let binary = gpg.encrypt(
                &["--cipher-algo", cipher, "--compress-algo", compression],
                &plaintext,
            );
            assert_ne!(binary[0] & 0x80, 0, "binary OpenPGP");
            let decrypted = key().decrypt(&binary);
            assert_eq!(decrypted.unwrap(), plaintext, "{cipher} {compression}");
        }
    }
}

#[test]
fn a_message_gpg_signed_and_encrypted_decrypts_to_its_literal_data() {
    let Some(gpg) = GnuPg::new() else { return };
    let reporter = gpg.generate_key("Reporter <reporter@example.org>");
    // Large enough that gpg streams it in partial-length packets.
    let plaintext = awkward_plaintext(300 * 1024);
    let signed = gpg.encrypt(&["--sign", "--local-user", &reporter], &plaintext);
    assert_eq!(key().decrypt(&signed).unwrap(), plaintext);
    let armored = gpg.encrypt(&["--sign", "--armor", "--local-user", &reporter], SECRET);
    assert_eq!(key().decrypt(&armored).unwrap(), SECRET);
}

#[test]
fn hidden_and_multiple_recipients_are_found() {
    let Some(gpg) = GnuPg::new() else { return };
    let hidden = gpg.encrypt(&["--throw-keyids"], SECRET);
    assert_eq!(key().decrypt(&hidden).unwrap(), SECRET);

    let other = gpg.generate_key("Someone Else <else@example.org>");
    let both = gpg.encrypt(&["--recipient", &other], SECRET);
    assert_eq!(key().decrypt(&both).unwrap(), SECRET);
}

#[test]
fn messages_gpg_encrypted_to_another_key_or_a_password_are_not_for_us() {
    let Some(gpg) = GnuPg::new() else { return };
    let other = gpg.generate_key("Someone Else <else@example.org>");
    for options in [
        &["--encrypt", "--recipient", &other][..],
        &["--encrypt", "--armor", "--recipient", &other],
        &["--symmetric", "--passphrase", "hunter2"],
        &["--sign", "--local-user", &other],
    ] {
        let message = gpg.run(options, SECRET);
        let error = key().decrypt(&message).unwrap_err();
        assert!(
            matches!(error, IntakeError::NotForUs),
            "{options:?}: {error}"
        );
    }
    // A hidden recipient may be us: ward tries, and says it could not decrypt.
    let hidden = gpg.run(
        &["--encrypt", "--throw-keyids", "--recipient", &other],
        SECRET,
    );
    let error = key().decrypt(&hidden).unwrap_err();
    assert!(matches!(error, IntakeError::Decrypt(_)), "{error}");
}

#[test]
fn a_gpg_message_without_integrity_protection_is_refused() {
    let Some(gpg) = GnuPg::new() else { return };
    // --rfc2440 makes gpg 2.2 write a legacy SED packet (tag 9), with a warning.
    let legacy = gpg.encrypt(&["--rfc2440"], SECRET);
    let packets =
        String::from_utf8_lossy(&gpg.output(&["--list-packets"], &legacy).stdout).into_owned();
    assert!(packets.contains(" tag=9 "), "{packets}");
    let error = key().decrypt(&legacy).unwrap_err();
    assert!(
        matches!(&error, IntakeError::Decrypt(why) if why.contains("integrity")),
        "{error}"
    );
}

#[test]
fn a_tampered_gpg_message_fails_its_integrity_check() {
    let Some(gpg) = GnuPg::new() else { return };
    let binary = gpg.encrypt(&["--compress-algo", "none"], SECRET);
    // gpg writes an old-format PKESK then a new-format SEIPD, both with one-byte lengths here.
    assert_eq!(binary[0], 0x84, "PKESK");
    let seipd = 2 + usize::from(binary[1]);
    assert_eq!(binary[seipd], 0xd2, "SEIPD");
    assert!(binary[seipd + 1] < 192);
    for at in 0..binary.len() {
        let mut tampered = binary.clone();
        tampered[at] ^= 0x01;
        match key().decrypt(&tampered) {
            Ok(plaintext) => assert_eq!(plaintext, SECRET, "flipped byte {at}"),
            Err(error) => {
                assert_sound(&error);
                if at > seipd + 2 {
                    assert!(matches!(error, IntakeError::Decrypt(_)), "{at}: {error}");
                }
            }
        }
    }
}
