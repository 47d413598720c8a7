//! Reading the shared data: members of `.tar.zst` archives and files of fixture directories,
//! always in a stable order. Every failure is a panic naming the file.

use std::fs;
use std::io::Read;
use std::path::{Path, PathBuf};

/// A `.tar.zst` archive opened for reading (to unpack, or to walk with `entries`).
pub fn open_archive(archive: &Path) -> tar::Archive<impl Read> {
    let file =
        fs::File::open(archive).unwrap_or_else(|e| panic!("opening {}: {e}", archive.display()));
    let decoder = ruzstd::decoding::StreamingDecoder::new(file).expect("a zstd stream");
    tar::Archive::new(decoder)
}

/// Calls `f` with the name and bytes of every member of a `.tar.zst` archive (directories
/// included, their names ending with `/`) whose name contains `under` and ends with
/// `suffix`, in archive order.
pub fn each_in_archive(archive: &Path, under: &str, suffix: &str, mut f: impl FnMut(&str, &[u8])) {
    each_member(archive, |name, _, member| {
        if name.contains(under) && name.ends_with(suffix) {
            f(name, &read_member(name, member));
        }
    });
}

/// Every regular file of a `.tar.zst` archive: its path and contents, in archive order.
pub fn archive_files(archive: &Path) -> Vec<(String, Vec<u8>)> {
    let mut files = Vec::new();
    each_member(archive, |name, is_file, member| {
        if is_file {
            files.push((name.to_owned(), read_member(name, member)));
        }
    });
    files
}

/// Calls `f` with the path and bytes of every file in `dir` (not recursive) whose name ends
/// with `suffix`, sorted by name.
pub fn each_in_dir(dir: &Path, suffix: &str, mut f: impl FnMut(&str, &[u8])) {
    for path in files_in(dir, suffix) {
        let bytes = fs::read(&path).unwrap_or_else(|e| panic!("reading {}: {e}", path.display()));
        f(&path.display().to_string(), &bytes);
    }
}

/// The files directly in `dir` whose names end with `suffix` (`""` for all), sorted.
pub fn files_in(dir: &Path, suffix: &str) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("reading {}: {e}", dir.display()))
        .map(|e| e.expect("a directory entry").path())
        .filter(|p| p.is_file() && p.to_string_lossy().ends_with(suffix))
        .collect();
    files.sort();
    files
}

/// Every file under `dir`, recursively, sorted.
pub fn files_under(dir: &Path) -> Vec<PathBuf> {
    let mut files = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(dir) = stack.pop() {
        let entries =
            fs::read_dir(&dir).unwrap_or_else(|e| panic!("reading {}: {e}", dir.display()));
        for entry in entries {
            let path = entry.expect("a directory entry").path();
            if path.is_dir() {
                stack.push(path);
            } else {
                files.push(path);
            }
        }
    }
    files.sort();
    files
}

/// `path` relative to `root`, `/`-separated on every platform (for names in snapshots).
pub fn relative(root: &Path, path: &Path) -> String {
    path.strip_prefix(root)
        .expect("under the root")
        .to_string_lossy()
        .replace('\\', "/")
}

/// Calls `f` with each member's name, whether it is a regular file, and its contents.
fn each_member(archive: &Path, mut f: impl FnMut(&str, bool, &mut dyn Read)) {
    let mut tar = open_archive(archive);
    for entry in tar.entries().expect("a tar archive") {
        let mut entry = entry.expect("a tar entry");
        let name = entry.path().expect("a path").to_string_lossy().into_owned();
        let is_file = entry.header().entry_type().is_file();
        f(&name, is_file, &mut entry);
    }
}

fn read_member(name: &str, member: &mut dyn Read) -> Vec<u8> {
    let mut bytes = Vec::new();
    member
        .read_to_end(&mut bytes)
        .unwrap_or_else(|e| panic!("reading {name}: {e}"));
    bytes
}
