//! `discover`: ignore files, vendored trees, file roots and errors.

use std::fs;
use std::path::{Path, PathBuf};

use ward_lockfile::{Discovered, ErrorKind, Kind, discover};

fn touch(path: &Path) {
    fs::create_dir_all(path.parent().expect("has a parent")).expect("mkdir");
    fs::write(path, "").expect("write");
}

fn relative(root: &Path, found: &[Discovered]) -> Vec<(String, Kind)> {
    found
        .iter()
        .map(|d| {
            let path = d.path.strip_prefix(root).expect("under the root");
            (path.to_string_lossy().replace('\\', "/"), d.kind)
        })
        .collect()
}

#[test]
fn honours_ignore_files_hidden_and_vendored_directories_outside_git() {
    let dir = tempfile::tempdir().expect("temp dir");
    let root = dir.path();
    for file in [
        "Cargo.lock",
        "app/package-lock.json",
        "app/node_modules/dep/package-lock.json",
        "app/node_modules/.package-lock.json",
        "target/debug/Cargo.lock",
        "ignored/yarn.lock",
        "app/build/poetry.lock",
        ".hidden/uv.lock",
        "py/requirements-dev.txt",
        "py/mix.lock",
        "py/notes.txt",
    ] {
        touch(&root.join(file));
    }
    fs::write(root.join(".gitignore"), "ignored/\n").expect("write");
    fs::write(root.join("app/.ignore"), "build\n").expect("write");
    let (found, errors) = discover(&[root.to_path_buf()]);
    assert!(errors.is_empty(), "{errors:?}");
    assert_eq!(
        relative(root, &found),
        [
            ("Cargo.lock".to_owned(), Kind::CargoLock),
            ("app/package-lock.json".to_owned(), Kind::PackageLockJson),
            ("py/mix.lock".to_owned(), Kind::MixLock),
            ("py/requirements-dev.txt".to_owned(), Kind::Requirements),
        ]
    );
}

#[test]
fn file_roots_are_taken_as_given_and_sorted_once() {
    let dir = tempfile::tempdir().expect("temp dir");
    let root = dir.path();
    touch(&root.join("node_modules/x/yarn.lock"));
    touch(&root.join("b/uv.lock"));
    let roots = [
        root.join("node_modules/x/yarn.lock"),
        root.join("b"),
        root.join("b/uv.lock"),
    ];
    let (found, errors) = discover(&roots);
    assert!(errors.is_empty(), "{errors:?}");
    assert_eq!(
        relative(root, &found),
        [
            ("b/uv.lock".to_owned(), Kind::UvLock),
            ("node_modules/x/yarn.lock".to_owned(), Kind::YarnLock),
        ]
    );
}

#[test]
fn unknown_files_and_missing_roots_are_errors() {
    let dir = tempfile::tempdir().expect("temp dir");
    let notes = dir.path().join("notes.md");
    touch(&notes);
    let missing = dir.path().join("missing");
    let (found, errors) = discover(&[notes.clone(), missing.clone()]);
    assert!(found.is_empty());
    assert_eq!(errors.len(), 2);
    assert_eq!(errors[0].file, notes.display().to_string());
    assert_eq!(
        errors[0].to_string(),
        format!(
            "{}: expected one of the lockfiles ward reads (Cargo.lock, package-lock.json, \
             npm-shrinkwrap.json, yarn.lock, pnpm-lock.yaml, mix.lock, poetry.lock, uv.lock, \
             or *requirements*.txt), not a file of this name",
            notes.display()
        )
    );
    assert_eq!(errors[1].file, missing.display().to_string());
    assert!(matches!(errors[1].kind, ErrorKind::Io(_)));
}

#[cfg(unix)]
#[test]
fn unreadable_directories_are_reported_beside_what_was_found() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().expect("temp dir");
    let locked = dir.path().join("locked");
    touch(&locked.join("Cargo.lock"));
    touch(&dir.path().join("Cargo.lock"));
    fs::set_permissions(&locked, fs::Permissions::from_mode(0o000)).expect("chmod");
    if fs::read_dir(&locked).is_ok() {
        // Running as root: permissions do not stop reading; nothing to check.
        fs::set_permissions(&locked, fs::Permissions::from_mode(0o755)).expect("chmod");
        eprintln!("SKIPPED: permissions are not enforced for this user");
        return;
    }
    let (found, errors) = discover(&[dir.path().to_path_buf()]);
    fs::set_permissions(&locked, fs::Permissions::from_mode(0o755)).expect("chmod");
    assert_eq!(found.len(), 1);
    assert_eq!(errors.len(), 1, "{errors:?}");
    assert_eq!(PathBuf::from(&errors[0].file), locked);
}

#[test]
fn read_refuses_files_over_the_limit_without_reading_them() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("Cargo.lock");
    let file = fs::File::create(&path).expect("create");
    file.set_len(ward_lockfile::MAX_LOCKFILE_SIZE + 1)
        .expect("sparse file");
    let error = ward_lockfile::read(Kind::CargoLock, &path).expect_err("too large");
    assert!(
        matches!(error.kind, ErrorKind::TooLarge { size, .. } if size == ward_lockfile::MAX_LOCKFILE_SIZE + 1)
    );
}
