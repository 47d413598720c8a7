//! `ward key generate`, `ward sign` and `ward verify`: the files they write, and the exit
//! status and message of each way a verification fails.

use std::fs;
use std::os::unix::fs::PermissionsExt;
use std::path::Path;
use std::process::Command;

use crate::{Run, ward};

fn s(path: &Path) -> &str {
    path.to_str().expect("UTF-8 temp path")
}

/// A directory with a file to sign and a passphrase file.
struct Scene {
    dir: tempfile::TempDir,
}

impl Scene {
    fn new() -> Scene {
        let dir = tempfile::tempdir().expect("tempdir");
        fs::write(dir.path().join("release.tar"), b"ward 1.0 release\n").expect("write");
        fs::write(dir.path().join("pass"), b"a test passphrase\n").expect("write");
        Scene { dir }
    }

    fn path(&self, name: &str) -> String {
        s(&self.dir.path().join(name)).to_owned()
    }

    /// Generates a key of `format` at NAME (and NAME.pub), encrypted with the passphrase file.
    fn key(&self, format: &str, name: &str, encrypted: bool) {
        let output = self.path(name);
        let pass = self.path("pass");
        let mut args = vec!["key", "generate", "--format", format, "-o", &output];
        if encrypted {
            args.extend(["--passphrase-file", &pass]);
        } else {
            args.push("--unencrypted");
        }
        let run = ward(&args);
        assert_eq!(run.code, 0, "{run:?}");
    }
}

fn fails(run: &Run, code: i32, message: &str) {
    assert_eq!(run.code, code, "{run:?}");
    assert!(run.stderr.contains(message), "{message:?} not in {run:?}");
}

#[test]
fn generate_sign_verify_in_every_format() {
    let scene = Scene::new();
    let file = scene.path("release.tar");
    for (format, key, extension, ok) in [
        ("ssh", "id", "sig", "Good SSH signature by SHA256:"),
        ("openpgp", "pgp", "asc", "Good OpenPGP signature by "),
        (
            "minisign",
            "mini",
            "minisig",
            "Signature and comment signature verified",
        ),
    ] {
        // minisign's own scrypt limits (1 GiB): unencrypted here, encrypted in the test below.
        scene.key(format, key, format != "minisign");
        let secret = scene.dir.path().join(key);
        let mode = fs::metadata(&secret).expect("key").permissions().mode();
        assert_eq!(mode & 0o777, 0o600, "{format}");
        let pass = scene.path("pass");
        let run = ward(&[
            "sign",
            "--key",
            s(&secret),
            "--passphrase-file",
            &pass,
            &file,
        ]);
        assert_eq!(run.code, 0, "{run:?}");
        let signature = format!("{file}.{extension}");
        assert_eq!(run.stdout.trim(), signature);
        let public = format!("{}.pub", scene.path(key));
        let run = ward(&["verify", &file, "--key", &public]);
        assert_eq!(run.code, 0, "{run:?}");
        assert!(run.stdout.contains(ok), "{run:?}");
        if format == "minisign" {
            assert!(
                run.stdout.contains("Trusted comment: timestamp:"),
                "{run:?}"
            );
            assert!(run.stdout.contains("\tfile:release.tar\thashed"), "{run:?}");
        }
    }
}

#[test]
fn an_encrypted_minisign_key_asks_for_its_passphrase() {
    let scene = Scene::new();
    scene.key("minisign", "ward.key", true);
    let key = scene.path("ward.key");
    let file = scene.path("release.tar");
    // No terminal and no passphrase file: refused, saying how to give one.
    let run = ward(&["sign", "--key", &key, &file]);
    fails(&run, 2, "a passphrase is needed");
    assert!(run.stderr.contains("--passphrase-file"), "{run:?}");
    fs::write(scene.path("wrong"), "not the passphrase\n").expect("write");
    let run = ward(&[
        "sign",
        "--key",
        &key,
        "--passphrase-file",
        &scene.path("wrong"),
        &file,
    ]);
    fails(&run, 2, "wrong passphrase");
    let run = Command::new(env!("CARGO_BIN_EXE_ward"))
        .args([
            "sign",
            "--key",
            &key,
            "--trusted-comment",
            "ward 1.0",
            &file,
        ])
        .env("WARD_PASSPHRASE_FILE", scene.path("pass"))
        .output()
        .expect("runs");
    assert!(run.status.success(), "{run:?}");
    let run = ward(&["verify", &file, "--key", &format!("{key}.pub")]);
    assert_eq!(run.code, 0, "{run:?}");
    assert!(
        run.stdout.contains("Trusted comment: ward 1.0\n"),
        "{run:?}"
    );
}

#[test]
fn keys_are_never_replaced_without_force_nor_left_unprotected_by_mistake() {
    let scene = Scene::new();
    scene.key("minisign", "k", false);
    let out = scene.path("k");
    let run = ward(&["key", "generate", "--unencrypted", "-o", &out]);
    fails(
        &run,
        2,
        "exists: ward never replaces a key unless --force is given",
    );
    let run = ward(&["key", "generate", "--unencrypted", "-o", &out, "--force"]);
    assert_eq!(run.code, 0, "{run:?}");
    fs::write(scene.path("empty"), "\n").expect("write");
    let run = ward(&[
        "key",
        "generate",
        "-o",
        &scene.path("e"),
        "--passphrase-file",
        &scene.path("empty"),
    ]);
    fails(&run, 2, "an empty passphrase is refused");
    let run = ward(&["key", "generate", "-o", &scene.path("t")]);
    fails(&run, 2, "no terminal to ask for a passphrase");
    assert!(!scene.dir.path().join("t").exists());
}

#[test]
fn each_verification_failure_has_its_exit_status_and_reason() {
    let scene = Scene::new();
    let file = scene.path("release.tar");
    scene.key("minisign", "a", false);
    scene.key("minisign", "b", false);
    scene.key("ssh", "s", false);
    for key in ["a", "s"] {
        let run = ward(&["sign", "--key", &scene.path(key), &file]);
        assert_eq!(run.code, 0, "{run:?}");
    }
    let a_pub = format!("{}.pub", scene.path("a"));
    let b_pub = format!("{}.pub", scene.path("b"));
    let s_pub = format!("{}.pub", scene.path("s"));

    // Another key: both ids named.
    let run = ward(&["verify", &file, "--key", &b_pub]);
    fails(&run, 1, "wrong key: the signature was made by key ");

    // The trusted comment altered.
    let minisig = format!("{file}.minisig");
    let original = fs::read_to_string(&minisig).expect("sig");
    fs::write(
        &minisig,
        original.replace("file:release.tar", "file:release.taR"),
    )
    .expect("w");
    let run = ward(&["verify", &file, "--key", &a_pub]);
    fails(&run, 1, "comment signature verification failed");

    // Truncated: malformed input.
    fs::write(&minisig, &original[..original.len() / 2]).expect("w");
    let run = ward(&["verify", &file, "--key", &a_pub]);
    fails(&run, 2, "malformed minisign signature");
    fs::write(&minisig, &original).expect("w");

    // Namespace.
    let run = ward(&["verify", &file, "--key", &s_pub, "--namespace", "git"]);
    fails(
        &run,
        1,
        "namespace mismatch: the signature is for namespace \"file\", expected \"git\"",
    );

    // An SSH signature checked with a minisign key.
    let run = ward(&[
        "verify",
        &file,
        "--key",
        &a_pub,
        "--signature",
        &format!("{file}.sig"),
    ]);
    fails(
        &run,
        2,
        "the signature is a ssh signature but the key is a minisign key",
    );

    // The file altered (last: the signatures above are of the original).
    fs::write(&file, b"ward 1.0 release, altered\n").expect("w");
    let run = ward(&["verify", &file, "--key", &a_pub]);
    fails(
        &run,
        1,
        "signature verification failed: the file does not match the signature",
    );
    let run = ward(&["verify", &file, "--key", &s_pub]);
    fails(&run, 1, "the file does not match the signature");

    // Missing signature, unreadable key, unsupported key type: input errors.
    let run = ward(&["verify", &scene.path("pass"), "--key", &a_pub]);
    fails(&run, 2, "reading the signature");
    fs::write(
        scene.path("rsa.pub"),
        "ssh-rsa AAAAB3NzaC1yc2EAAAADAQABAAABAQ== x\n",
    )
    .expect("w");
    let run = ward(&["verify", &file, "--key", &scene.path("rsa.pub")]);
    fails(
        &run,
        2,
        "unsupported ssh key: ssh-rsa; expected ssh-ed25519",
    );
}

#[test]
fn options_of_another_format_are_usage_errors() {
    let scene = Scene::new();
    scene.key("ssh", "s", false);
    let file = scene.path("release.tar");
    let run = ward(&[
        "sign",
        "--key",
        &scene.path("s"),
        "--trusted-comment",
        "x",
        &file,
    ]);
    fails(&run, 2, "--trusted-comment is for minisign keys");
    let other = scene.path("pass");
    let run = ward(&[
        "sign",
        "--key",
        &scene.path("s"),
        "-o",
        "x.sig",
        &file,
        &other,
    ]);
    fails(&run, 2, "--output names one signature file");
}

#[test]
fn ward_signatures_verify_with_minisign_and_ssh_keygen() {
    let scene = Scene::new();
    let file = scene.path("release.tar");
    if let Some(minisign) = ward_testkit::signing_tool("minisign") {
        scene.key("minisign", "m", false);
        assert_eq!(ward(&["sign", "--key", &scene.path("m"), &file]).code, 0);
        let output = Command::new(minisign)
            .args(["-Vm", &file, "-p", &format!("{}.pub", scene.path("m"))])
            .output()
            .expect("minisign runs");
        assert!(output.status.success(), "{output:?}");
    }
    if let Some(ssh_keygen) = ward_testkit::signing_tool("ssh-keygen") {
        scene.key("ssh", "id", true);
        let output = Command::new(ssh_keygen)
            .args(["-y", "-P", "a test passphrase", "-f", &scene.path("id")])
            .output()
            .expect("ssh-keygen runs");
        assert!(output.status.success(), "{output:?}");
        let public = fs::read_to_string(format!("{}.pub", scene.path("id"))).expect("pub");
        let derived = String::from_utf8_lossy(&output.stdout);
        assert_eq!(
            derived.split_whitespace().nth(1),
            public.split_whitespace().nth(1)
        );
    }
}
