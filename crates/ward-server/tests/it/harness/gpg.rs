//! Encrypting to the instance's intake key as a reporter does, with GnuPG.

use std::process::Command;

/// Encrypts `plaintext` to the armored public key with GnuPG (a fresh home directory), as a
/// reporter would; `None` (with the reason printed) when gpg is not installed.
pub(crate) fn gpg_encrypt(public_key: &str, plaintext: &str) -> Option<String> {
    let Some(gpg) = ward_testkit::find_program(&["gpg"]) else {
        ward_testkit::require_or_skip(
            "WARD_REQUIRE_BROWSER",
            false,
            "gpg is not installed: the encrypted submissions are left out (Debian: gnupg)",
        );
        return None;
    };
    let home = tempfile::tempdir().unwrap();
    let key_file = home.path().join("ward.asc");
    std::fs::write(&key_file, public_key).unwrap();
    let mut child = Command::new(gpg)
        .arg("--homedir")
        .arg(home.path())
        .args(["--batch", "--quiet", "--armor", "--trust-model", "always"])
        .arg("--recipient-file")
        .arg(&key_file)
        .arg("--encrypt")
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    {
        use std::io::Write as _;
        child
            .stdin
            .take()
            .unwrap()
            .write_all(plaintext.as_bytes())
            .unwrap();
    }
    let output = child.wait_with_output().unwrap();
    assert!(
        output.status.success(),
        "gpg could not encrypt to the intake key: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    Some(String::from_utf8(output.stdout).unwrap())
}
