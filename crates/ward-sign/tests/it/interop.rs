//! Interoperability with the real tools, in both directions: minisign 0.11, OpenSSH's
//! `ssh-keygen -Y`, GnuPG. Each test skips with a printed reason when its tool is missing,
//! unless `WARD_REQUIRE_SIGNING_TOOLS=1` (as `.ci/run` sets it).
//!
//! Every key is generated at run time, in a temporary directory.

use std::fs;
use std::io::Write;
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

use ward_sign::{
    Format, KeyError, Passphrase, PublicKey, SecretKey, SignOptions, VerifyError, VerifyOptions,
};

use crate::{key_pair, public, secret};

const CONTENT: &[u8] = b"ward 1.0.0 release tarball, signed for the interop suite\n";

/// Runs `program` with `args`, feeding `stdin`; the output, whatever the exit status.
fn run(program: &Path, args: &[&str], stdin: &[u8], envs: &[(&str, &Path)]) -> Output {
    let mut child = Command::new(program)
        .args(args)
        .envs(envs.iter().map(|(k, v)| (*k, *v)))
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap_or_else(|e| panic!("starting {}: {e}", program.display()));
    child
        .stdin
        .take()
        .expect("stdin")
        .write_all(stdin)
        .expect("writing stdin");
    child.wait_with_output().expect("waiting")
}

fn ok(output: Output, what: &str) -> Output {
    assert!(
        output.status.success(),
        "{what} failed: {}\n{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    output
}

fn write(path: &Path, bytes: &[u8], mode: u32) -> PathBuf {
    fs::write(path, bytes).expect("write");
    fs::set_permissions(path, fs::Permissions::from_mode(mode)).expect("chmod");
    path.to_path_buf()
}

fn s(path: &Path) -> &str {
    path.to_str().expect("UTF-8 temp path")
}

// ---- minisign ----

#[test]
fn ward_minisign_signatures_verify_with_minisign() {
    let Some(minisign) = ward_testkit::signing_tool("minisign") else {
        return;
    };
    let dir = tempfile::tempdir().expect("tempdir");
    let file = write(&dir.path().join("release.tar"), CONTENT, 0o644);
    let generated = key_pair(Format::Minisign, None);
    let public_path = write(
        &dir.path().join("ward.pub"),
        generated.public.as_bytes(),
        0o644,
    );
    let options = SignOptions {
        trusted_comment: Some(ward_sign::default_trusted_comment(
            "release.tar",
            1_700_000_000,
        )),
        ..SignOptions::default()
    };
    let signature = ward_sign::sign(&secret(&generated, None), CONTENT, &options).expect("sign");
    let sig_path = write(&dir.path().join("release.tar.minisig"), &signature, 0o644);
    let output = ok(
        run(
            &minisign,
            &[
                "-V",
                "-m",
                s(&file),
                "-p",
                s(&public_path),
                "-x",
                s(&sig_path),
            ],
            b"",
            &[],
        ),
        "minisign -V",
    );
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(
        stdout.contains("Signature and comment signature verified"),
        "{stdout}"
    );
    assert!(
        stdout.contains("Trusted comment: timestamp:1700000000\tfile:release.tar\thashed"),
        "{stdout}"
    );

    // An altered file is refused by minisign too.
    let altered = write(&dir.path().join("altered.tar"), b"other content", 0o644);
    let output = run(
        &minisign,
        &[
            "-V",
            "-m",
            s(&altered),
            "-p",
            s(&public_path),
            "-x",
            s(&sig_path),
        ],
        b"",
        &[],
    );
    assert!(!output.status.success());
}

#[test]
fn ward_minisign_secret_keys_are_read_by_minisign() {
    let Some(minisign) = ward_testkit::signing_tool("minisign") else {
        return;
    };
    let dir = tempfile::tempdir().expect("tempdir");
    let file = write(&dir.path().join("f"), CONTENT, 0o644);
    // Encrypted with libsodium's interactive limits (minisign reads any limits), and
    // unencrypted (as minisign -W writes).
    for passphrase in [Some("ward interop"), None] {
        let generated = key_pair(Format::Minisign, passphrase);
        let key = write(&dir.path().join("ward.key"), &generated.secret, 0o600);
        let sig = dir.path().join("f.minisig");
        let stdin = passphrase.map(|p| format!("{p}\n")).unwrap_or_default();
        ok(
            run(
                &minisign,
                &[
                    "-S",
                    "-s",
                    s(&key),
                    "-m",
                    s(&file),
                    "-x",
                    s(&sig),
                    "-t",
                    "made by minisign",
                ],
                stdin.as_bytes(),
                &[],
            ),
            "minisign -S with ward's key",
        );
        let verified = ward_sign::verify(
            &public(&generated),
            CONTENT,
            &fs::read(&sig).expect("sig"),
            &VerifyOptions::default(),
        )
        .expect("ward verifies minisign's signature");
        assert_eq!(
            verified.trusted_comment.as_deref(),
            Some("made by minisign")
        );
    }
}

#[test]
fn minisign_keys_and_signatures_are_read_by_ward() {
    let Some(minisign) = ward_testkit::signing_tool("minisign") else {
        return;
    };
    let dir = tempfile::tempdir().expect("tempdir");
    let file = write(&dir.path().join("f"), CONTENT, 0o644);
    let public_path = dir.path().join("m.pub");
    let secret_path = dir.path().join("m.key");
    ok(
        run(
            &minisign,
            &["-G", "-W", "-p", s(&public_path), "-s", s(&secret_path)],
            b"",
            &[],
        ),
        "minisign -G -W",
    );
    let public_key = PublicKey::parse(&fs::read(&public_path).expect("pub")).expect("ward reads");
    let sig = dir.path().join("f.minisig");
    // Prehashed (the default) and legacy signatures.
    for legacy in [false, true] {
        let mut args = vec!["-S", "-s", s(&secret_path), "-m", s(&file), "-x", s(&sig)];
        if legacy {
            args.push("-l");
        }
        ok(run(&minisign, &args, b"", &[]), "minisign -S");
        let signature = fs::read(&sig).expect("sig");
        let verified =
            ward_sign::verify(&public_key, CONTENT, &signature, &VerifyOptions::default())
                .expect("ward verifies");
        assert!(
            verified
                .trusted_comment
                .is_some_and(|c| c.contains("file:f"))
        );
        assert!(matches!(
            ward_sign::verify(
                &public_key,
                &b"altered"[..],
                &signature,
                &VerifyOptions::default()
            ),
            Err(VerifyError::FileAltered { .. })
        ));
    }
    // ward signs with minisign's unencrypted secret key; minisign verifies.
    let key = SecretKey::parse(&fs::read(&secret_path).expect("key"), || None).expect("reads");
    assert_eq!(key.key_id(), public_key.key_id());
    let signature = ward_sign::sign(&key, CONTENT, &SignOptions::default()).expect("sign");
    fs::write(&sig, signature).expect("write");
    ok(
        run(
            &minisign,
            &["-V", "-m", s(&file), "-p", s(&public_path), "-x", s(&sig)],
            b"",
            &[],
        ),
        "minisign -V of ward's signature",
    );
}

#[test]
fn minisign_encrypted_keys_with_default_limits_are_read_by_ward() {
    let Some(minisign) = ward_testkit::signing_tool("minisign") else {
        return;
    };
    let dir = tempfile::tempdir().expect("tempdir");
    let file = write(&dir.path().join("f"), CONTENT, 0o644);
    let public_path = dir.path().join("m.pub");
    let secret_path = dir.path().join("m.key");
    // minisign's own limits: 1 GiB of memory, seconds; once in the suite.
    ok(
        run(
            &minisign,
            &["-G", "-p", s(&public_path), "-s", s(&secret_path)],
            b"a minisign passphrase\na minisign passphrase\n",
            &[],
        ),
        "minisign -G",
    );
    let bytes = fs::read(&secret_path).expect("key");
    assert!(matches!(
        SecretKey::parse(&bytes, || Some(Passphrase::from("not it"))),
        Err(KeyError::WrongPassphrase)
    ));
    let key = SecretKey::parse(&bytes, || Some(Passphrase::from("a minisign passphrase")))
        .expect("the right passphrase");
    let signature = ward_sign::sign(&key, CONTENT, &SignOptions::default()).expect("sign");
    let sig = write(&dir.path().join("f.minisig"), &signature, 0o644);
    ok(
        run(
            &minisign,
            &["-V", "-m", s(&file), "-p", s(&public_path), "-x", s(&sig)],
            b"",
            &[],
        ),
        "minisign -V of ward's signature",
    );
}

// ---- SSH ----

#[test]
fn ssh_keygen_signatures_verify_with_ward_and_back() {
    let Some(ssh_keygen) = ward_testkit::signing_tool("ssh-keygen") else {
        return;
    };
    let dir = tempfile::tempdir().expect("tempdir");
    let file = write(&dir.path().join("release.tar"), CONTENT, 0o644);
    let key = dir.path().join("id_ed25519");
    ok(
        run(
            &ssh_keygen,
            &[
                "-q",
                "-t",
                "ed25519",
                "-N",
                "an ssh passphrase",
                "-C",
                "interop",
                "-f",
                s(&key),
            ],
            b"",
            &[],
        ),
        "ssh-keygen -t ed25519",
    );
    let public_line = fs::read(key.with_extension("pub")).expect("pub");
    let public_key = PublicKey::parse(&public_line).expect("ward reads the .pub");

    // ward signs with ssh-keygen's encrypted key; ssh-keygen verifies.
    let secret = SecretKey::parse(&fs::read(&key).expect("key"), || {
        Some(Passphrase::from("an ssh passphrase"))
    })
    .expect("ward decrypts it");
    assert_eq!(secret.key_id(), public_key.key_id());
    let signature = ward_sign::sign(&secret, CONTENT, &SignOptions::default()).expect("sign");
    let sig = write(&dir.path().join("release.tar.sig"), &signature, 0o644);
    let mut allowed = b"release@example.invalid ".to_vec();
    allowed.extend_from_slice(&public_line);
    let allowed_signers = write(&dir.path().join("allowed_signers"), &allowed, 0o644);
    ok(
        run(
            &ssh_keygen,
            &[
                "-Y",
                "verify",
                "-f",
                s(&allowed_signers),
                "-I",
                "release@example.invalid",
                "-n",
                "file",
                "-s",
                s(&sig),
            ],
            CONTENT,
            &[],
        ),
        "ssh-keygen -Y verify",
    );
    ok(
        run(
            &ssh_keygen,
            &["-Y", "check-novalidate", "-n", "file", "-s", s(&sig)],
            CONTENT,
            &[],
        ),
        "ssh-keygen -Y check-novalidate",
    );
    // ...and refuses it for another namespace, as ward does.
    let output = run(
        &ssh_keygen,
        &["-Y", "check-novalidate", "-n", "git", "-s", s(&sig)],
        CONTENT,
        &[],
    );
    assert!(!output.status.success());

    // ssh-keygen signs (with an unencrypted copy of the key); ward verifies.
    let plain = dir.path().join("plain_ed25519");
    ok(
        run(
            &ssh_keygen,
            &["-q", "-t", "ed25519", "-N", "", "-f", s(&plain)],
            b"",
            &[],
        ),
        "ssh-keygen -t ed25519 -N ''",
    );
    fs::remove_file(&sig).expect("ssh-keygen -Y sign writes release.tar.sig itself");
    ok(
        run(
            &ssh_keygen,
            &["-Y", "sign", "-f", s(&plain), "-n", "file", s(&file)],
            b"",
            &[],
        ),
        "ssh-keygen -Y sign",
    );
    let plain_public = PublicKey::parse(&fs::read(plain.with_extension("pub")).expect("pub"))
        .expect("ward reads the .pub");
    let their_signature = fs::read(dir.path().join("release.tar.sig")).expect("sig");
    let verified = ward_sign::verify(
        &plain_public,
        CONTENT,
        &their_signature,
        &VerifyOptions::default(),
    )
    .expect("ward verifies ssh-keygen's signature");
    assert_eq!(verified.format, Format::Ssh);
    assert!(matches!(
        ward_sign::verify(
            &public_key,
            CONTENT,
            &their_signature,
            &VerifyOptions::default()
        ),
        Err(VerifyError::WrongKey { .. })
    ));
    let git = VerifyOptions {
        namespace: Some("git".into()),
    };
    assert!(matches!(
        ward_sign::verify(&plain_public, CONTENT, &their_signature, &git),
        Err(VerifyError::NamespaceMismatch { .. })
    ));
}

#[test]
fn ward_ssh_keys_are_read_by_ssh_keygen() {
    let Some(ssh_keygen) = ward_testkit::signing_tool("ssh-keygen") else {
        return;
    };
    let dir = tempfile::tempdir().expect("tempdir");
    for passphrase in [Some("ward ssh passphrase"), None] {
        let generated = key_pair(Format::Ssh, passphrase);
        let key = write(&dir.path().join("ward_ed25519"), &generated.secret, 0o600);
        let output = ok(
            run(
                &ssh_keygen,
                &["-y", "-P", passphrase.unwrap_or(""), "-f", s(&key)],
                b"",
                &[],
            ),
            "ssh-keygen -y",
        );
        let derived = String::from_utf8_lossy(&output.stdout);
        let blob = |line: &str| {
            line.split_whitespace()
                .take(2)
                .collect::<Vec<_>>()
                .join(" ")
        };
        assert_eq!(blob(&derived), blob(&generated.public));
    }
}

#[test]
fn other_ssh_key_types_are_refused_by_name() {
    let Some(ssh_keygen) = ward_testkit::signing_tool("ssh-keygen") else {
        return;
    };
    let dir = tempfile::tempdir().expect("tempdir");
    for (kind, name) in [("rsa", "ssh-rsa"), ("ecdsa", "ecdsa-sha2-nistp256")] {
        let key = dir.path().join(format!("id_{kind}"));
        let mut args = vec!["-q", "-t", kind, "-N", "", "-f", s(&key)];
        if kind == "rsa" {
            args.extend(["-b", "2048"]);
        }
        ok(run(&ssh_keygen, &args, b"", &[]), "ssh-keygen");
        match SecretKey::parse(&fs::read(&key).expect("key"), || None) {
            Err(KeyError::UnsupportedAlgorithm { found, .. }) => assert_eq!(found, name),
            other => panic!("{kind}: {other:?}"),
        }
        match PublicKey::parse(&fs::read(key.with_extension("pub")).expect("pub")) {
            Err(KeyError::UnsupportedAlgorithm { found, .. }) => assert_eq!(found, name),
            other => panic!("{kind}: {other:?}"),
        }
    }
}

// ---- OpenPGP ----

/// A temporary GNUPGHOME whose agent is stopped when dropped.
struct GnupgHome {
    gpg: PathBuf,
    dir: tempfile::TempDir,
}

impl GnupgHome {
    fn new(gpg: PathBuf) -> GnupgHome {
        // Short, so that the agent's socket path fits.
        let dir = tempfile::Builder::new()
            .prefix("wg")
            .tempdir_in("/tmp")
            .expect("tempdir");
        fs::set_permissions(dir.path(), fs::Permissions::from_mode(0o700)).expect("chmod");
        GnupgHome { gpg, dir }
    }

    fn gpg(&self, args: &[&str], stdin: &[u8]) -> Output {
        let mut full = vec!["--batch", "--no-tty", "--pinentry-mode", "loopback"];
        full.extend_from_slice(args);
        run(&self.gpg, &full, stdin, &[("GNUPGHOME", self.dir.path())])
    }

    fn path(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }
}

impl Drop for GnupgHome {
    fn drop(&mut self) {
        let _ = Command::new("gpgconf")
            .args(["--kill", "all"])
            .env("GNUPGHOME", self.dir.path())
            .output();
    }
}

#[test]
fn gpg_signatures_verify_with_ward() {
    let Some(gpg) = ward_testkit::signing_tool("gpg") else {
        return;
    };
    let home = GnupgHome::new(gpg);
    let file = write(&home.path("release.tar"), CONTENT, 0o644);
    for (user, algorithm) in [
        ("Ed <ed@example.invalid>", "ed25519"),
        ("Rsa <rsa@example.invalid>", "rsa3072"),
    ] {
        ok(
            home.gpg(
                &[
                    "--passphrase",
                    "gpg pass",
                    "--quick-gen-key",
                    user,
                    algorithm,
                    "sign",
                    "never",
                ],
                b"",
            ),
            "gpg --quick-gen-key",
        );
        for (armor, name) in [(true, "release.tar.asc"), (false, "release.tar.sig")] {
            let sig = home.path(name);
            let mut args = vec![
                "--passphrase",
                "gpg pass",
                "--local-user",
                user,
                "--detach-sign",
                "-o",
                s(&sig),
            ];
            if armor {
                args.push("--armor");
            }
            args.push(s(&file));
            let _ = fs::remove_file(&sig);
            ok(home.gpg(&args, b""), "gpg --detach-sign");
            let signature = fs::read(&sig).expect("sig");
            for export_armor in [true, false] {
                let mut args = vec!["--export"];
                if export_armor {
                    args.push("--armor");
                }
                args.push(user);
                let exported = ok(home.gpg(&args, b""), "gpg --export").stdout;
                let key = PublicKey::parse(&exported)
                    .unwrap_or_else(|e| panic!("{algorithm} export (armor {export_armor}): {e}"));
                let verified =
                    ward_sign::verify(&key, CONTENT, &signature, &VerifyOptions::default())
                        .unwrap_or_else(|e| panic!("{algorithm}, armor {armor}: {e}"));
                assert_eq!(verified.format, Format::OpenPgp);
                assert!(matches!(
                    ward_sign::verify(&key, &b"altered"[..], &signature, &VerifyOptions::default()),
                    Err(VerifyError::FileAltered { .. })
                ));
            }
        }
    }

    // A signature by a signing subkey verifies with the certificate.
    let user = "Sub <sub@example.invalid>";
    ok(
        home.gpg(
            &[
                "--passphrase",
                "gpg pass",
                "--quick-gen-key",
                user,
                "ed25519",
                "cert",
                "never",
            ],
            b"",
        ),
        "gpg --quick-gen-key cert",
    );
    let listing = ok(
        home.gpg(&["--with-colons", "--list-keys", user], b""),
        "gpg --list-keys",
    )
    .stdout;
    let fingerprint = String::from_utf8_lossy(&listing)
        .lines()
        .find(|l| l.starts_with("fpr:"))
        .and_then(|l| l.split(':').nth(9).map(str::to_owned))
        .expect("fingerprint");
    ok(
        home.gpg(
            &[
                "--passphrase",
                "gpg pass",
                "--quick-add-key",
                &fingerprint,
                "ed25519",
                "sign",
                "never",
            ],
            b"",
        ),
        "gpg --quick-add-key",
    );
    let sig = home.path("sub.asc");
    ok(
        home.gpg(
            &[
                "--passphrase",
                "gpg pass",
                "--local-user",
                user,
                "--detach-sign",
                "--armor",
                "-o",
                s(&sig),
                s(&file),
            ],
            b"",
        ),
        "gpg --detach-sign (subkey)",
    );
    let exported = ok(
        home.gpg(&["--export", "--armor", user], b""),
        "gpg --export",
    )
    .stdout;
    let key = PublicKey::parse(&exported).expect("certificate with a subkey");
    let verified = ward_sign::verify(
        &key,
        CONTENT,
        &fs::read(&sig).expect("sig"),
        &VerifyOptions::default(),
    )
    .expect("subkey signature verifies");
    assert_eq!(verified.key_id, fingerprint);
}

#[test]
fn ward_openpgp_keys_and_signatures_are_accepted_by_gpg() {
    let Some(gpg) = ward_testkit::signing_tool("gpg") else {
        return;
    };
    let home = GnupgHome::new(gpg);
    let file = write(&home.path("release.tar"), CONTENT, 0o644);
    let generated = key_pair(Format::OpenPgp, Some("ward pgp pass"));
    let public_path = write(&home.path("ward.asc"), generated.public.as_bytes(), 0o644);
    let secret_path = write(&home.path("ward.pgp"), &generated.secret, 0o600);
    ok(
        home.gpg(&["--import", s(&public_path)], b""),
        "gpg --import (public)",
    );

    let signature = ward_sign::sign(
        &secret(&generated, Some("ward pgp pass")),
        CONTENT,
        &SignOptions::default(),
    )
    .expect("sign");
    let sig = write(&home.path("release.tar.asc"), &signature, 0o644);
    let output = ok(
        home.gpg(&["--status-fd", "1", "--verify", s(&sig), s(&file)], b""),
        "gpg --verify",
    );
    let status = String::from_utf8_lossy(&output.stdout);
    assert!(status.contains("[GNUPG:] GOODSIG"), "{status}");
    assert!(status.contains(&generated.key_id), "{status}");

    let altered = write(&home.path("altered.tar"), b"altered", 0o644);
    let output = home.gpg(&["--verify", s(&sig), s(&altered)], b"");
    assert!(!output.status.success(), "gpg must refuse an altered file");

    // The secret key (passphrase-protected) imports too, and gpg signs with it for ward.
    ok(
        home.gpg(
            &["--passphrase", "ward pgp pass", "--import", s(&secret_path)],
            b"",
        ),
        "gpg --import (secret)",
    );
    let gpg_sig = home.path("by-gpg.asc");
    ok(
        home.gpg(
            &[
                "--passphrase",
                "ward pgp pass",
                "--local-user",
                &generated.key_id,
                "--detach-sign",
                "--armor",
                "-o",
                s(&gpg_sig),
                s(&file),
            ],
            b"",
        ),
        "gpg --detach-sign with ward's key",
    );
    ward_sign::verify(
        &public(&generated),
        CONTENT,
        &fs::read(&gpg_sig).expect("sig"),
        &VerifyOptions::default(),
    )
    .expect("ward verifies gpg's signature by ward's key");
}
