//! Where the test data is, and how to read it.

use std::env;
use std::fs;
use std::io::Read;
use std::path::{Path, PathBuf};

/// `../shared/data`, or `$WARD_SHARED_DATA`. `None` (with the reason printed) when absent and
/// not required; a failure when `WARD_REQUIRE_SHARED_DATA=1`.
pub(crate) fn shared_data() -> Option<PathBuf> {
    let dir = match env::var_os("WARD_SHARED_DATA") {
        Some(dir) => PathBuf::from(dir),
        None => Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/data"),
    };
    if dir.join("README.md").is_file() {
        return Some(dir);
    }
    skip_or_fail(
        "WARD_REQUIRE_SHARED_DATA",
        &format!(
            "shared test data not found at {} (set WARD_SHARED_DATA)",
            dir.display()
        ),
    );
    None
}

/// The directory `.ci/install-references` installs the reference implementations into.
pub(crate) fn reference_dir() -> PathBuf {
    env::var_os("WARD_REFERENCE_DIR")
        .map_or_else(|| PathBuf::from("/var/tmp/ward-reference"), PathBuf::from)
}

/// Whether a reference implementation is usable; prints why not, or fails when
/// `WARD_REQUIRE_REFERENCE=1`.
pub(crate) fn reference_available(name: &str, available: bool, hint: &str) -> bool {
    if !available {
        skip_or_fail(
            "WARD_REQUIRE_REFERENCE",
            &format!("reference implementation {name} is not installed ({hint})"),
        );
    }
    available
}

/// Calls `f` with the name and bytes of every file in a `.tar.zst` archive whose name contains
/// `under` and ends with `suffix`, in archive order.
pub(crate) fn each_in_archive(
    archive: &Path,
    under: &str,
    suffix: &str,
    mut f: impl FnMut(&str, &[u8]),
) {
    let file =
        fs::File::open(archive).unwrap_or_else(|e| panic!("opening {}: {e}", archive.display()));
    let decoder = ruzstd::decoding::StreamingDecoder::new(file).expect("a zstd stream");
    let mut tar = tar::Archive::new(decoder);
    for entry in tar.entries().expect("a tar archive") {
        let mut entry = entry.expect("a tar entry");
        let name = entry.path().expect("a path").to_string_lossy().into_owned();
        if !name.contains(under) || !name.ends_with(suffix) {
            continue;
        }
        let mut bytes = Vec::new();
        entry
            .read_to_end(&mut bytes)
            .unwrap_or_else(|e| panic!("reading {name}: {e}"));
        f(&name, &bytes);
    }
}

/// Calls `f` with the path and bytes of every file in `dir` (not recursive) whose name ends
/// with `suffix`, sorted by name.
pub(crate) fn each_in_dir(dir: &Path, suffix: &str, mut f: impl FnMut(&str, &[u8])) {
    let mut paths: Vec<PathBuf> = fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("reading {}: {e}", dir.display()))
        .map(|e| e.expect("entry").path())
        .filter(|p| p.to_string_lossy().ends_with(suffix))
        .collect();
    paths.sort();
    for path in paths {
        let bytes = fs::read(&path).unwrap_or_else(|e| panic!("reading {}: {e}", path.display()));
        f(&path.display().to_string(), &bytes);
    }
}

/// Calls `f` with the path (relative to `dir`, `/`-separated) and bytes of every file under
/// `dir`, recursively, sorted by path.
pub(crate) fn each_in_tree(dir: &Path, mut f: impl FnMut(&str, &[u8])) {
    let mut stack = vec![dir.to_path_buf()];
    let mut files = Vec::new();
    while let Some(d) = stack.pop() {
        for entry in fs::read_dir(&d).unwrap_or_else(|e| panic!("reading {}: {e}", d.display())) {
            let path = entry.expect("entry").path();
            if path.is_dir() {
                stack.push(path);
            } else {
                files.push(path);
            }
        }
    }
    files.sort();
    for path in files {
        let bytes = fs::read(&path).unwrap_or_else(|e| panic!("reading {}: {e}", path.display()));
        let relative = path.strip_prefix(dir).expect("under dir");
        f(&relative.to_string_lossy().replace('\\', "/"), &bytes);
    }
}

/// Runs `command` with `input` on standard input and returns its output lines; panics with its
/// standard error when it fails.
pub(crate) fn run_oracle(command: &mut std::process::Command, input: &str) -> Vec<String> {
    use std::io::Write;
    use std::process::Stdio;
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
    String::from_utf8(output.stdout)
        .expect("oracle prints UTF-8")
        .lines()
        .map(str::to_owned)
        .collect()
}

fn skip_or_fail(variable: &str, reason: &str) {
    if env::var(variable).is_ok_and(|v| v == "1") {
        panic!("{reason}, and {variable}=1 makes this suite required");
    }
    eprintln!("SKIPPED: {reason}");
}
