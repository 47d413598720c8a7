//! Running the programs tests compare ward with.

use std::ffi::OsStr;
use std::io::Write;
use std::process::{Command, Stdio};

/// Whether `program` runs and exits successfully with `args` (`runs("node", &["--version"])`).
pub fn runs(program: impl AsRef<OsStr>, args: &[&str]) -> bool {
    Command::new(program)
        .args(args)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success())
}

/// Runs an oracle: feeds `input` on standard input (written from another thread, so a large
/// input cannot deadlock against a full output pipe), returns its standard output. Panics
/// with the oracle's standard error when it fails.
pub fn run_oracle(command: &mut Command, input: &str) -> String {
    let mut child = command
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap_or_else(|e| panic!("starting oracle {command:?}: {e}"));
    let mut stdin = child.stdin.take().expect("stdin is piped");
    let input = input.to_owned();
    let writer = std::thread::spawn(move || stdin.write_all(input.as_bytes()));
    let output = child.wait_with_output().expect("oracle runs");
    writer
        .join()
        .expect("writer thread")
        .expect("oracle reads its input");
    assert!(
        output.status.success(),
        "oracle {command:?} failed: {}\n{}",
        output.status,
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8(output.stdout).expect("oracle prints UTF-8")
}

/// [`run_oracle`] for oracles that print one answer per line: the lines.
pub fn run_oracle_lines(command: &mut Command, input: &str) -> Vec<String> {
    run_oracle(command, input)
        .lines()
        .map(str::to_owned)
        .collect()
}
