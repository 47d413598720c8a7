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

fn skip_or_fail(variable: &str, reason: &str) {
    if env::var(variable).is_ok_and(|v| v == "1") {
        panic!("{reason}, and {variable}=1 makes this suite required");
    }
    eprintln!("SKIPPED: {reason}");
}
