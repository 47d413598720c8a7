//! The commit a local git checkout is at, read from `.git` without running `git`.
//!
//! Traps:
//! - **`.git` can be a file** (`gitdir: <path>`) in worktrees and submodules; a worktree's
//!   branches live in the common directory its `commondir` file names.
//! - **A branch can be loose or packed**: `refs/heads/main` as a file, or a line of
//!   `packed-refs` (lines starting with `#` are headers, with `^` peeled tags).
//! - **`HEAD` can be detached** (a bare object id), and a loose ref can itself be symbolic.
//! - **The contents are untrusted**: a ref name must start with `refs/` and contain no `..`,
//!   so a crafted `HEAD` cannot make ward read outside the git directory; object ids must
//!   be 40 (SHA-1) or 64 (SHA-256) hex digits.

use std::fs;
use std::path::{Path, PathBuf};

use crate::Error;
use crate::archive::read_limited;

/// Largest `.git` file read (`packed-refs` of a big repository included).
const MAX_FILE: u64 = 64 << 20;
/// Most symbolic refs followed.
const MAX_HOPS: usize = 5;

/// The commit `checkout` is at, or `None` when it is not a git checkout.
pub(crate) fn head(checkout: &Path) -> Result<Option<String>, Error> {
    let dot_git = checkout.join(".git");
    let git_dir = if dot_git.is_dir() {
        dot_git
    } else if dot_git.is_file() {
        let text = read(&dot_git)?;
        let target = text
            .trim()
            .strip_prefix("gitdir:")
            .ok_or_else(|| malformed(&dot_git, "expected `gitdir: <path>`"))?
            .trim();
        checkout.join(target)
    } else {
        return Ok(None);
    };
    let common = match read_optional(&git_dir.join("commondir"))? {
        Some(text) => git_dir.join(text.trim()),
        None => git_dir.clone(),
    };
    let mut content = read(&git_dir.join("HEAD"))?;
    let mut origin = git_dir.join("HEAD");
    for _ in 0..MAX_HOPS {
        let line = content.trim();
        let Some(reference) = line.strip_prefix("ref:") else {
            return object_id(line)
                .map(|id| Some(id.to_owned()))
                .ok_or_else(|| malformed(&origin, "expected an object id or `ref: refs/...`"));
        };
        let reference = reference.trim();
        if !reference.starts_with("refs/")
            || reference.split('/').any(|p| p == ".." || p.is_empty())
        {
            return Err(malformed(
                &origin,
                "a ref name must be refs/... without `..`",
            ));
        }
        let loose = [git_dir.join(reference), common.join(reference)]
            .into_iter()
            .find(|p| p.is_file());
        match loose {
            Some(path) => {
                content = read(&path)?;
                origin = path;
            }
            None => return packed(&common, reference),
        }
    }
    Err(malformed(&origin, "too many symbolic refs"))
}

/// The id of `reference` in `packed-refs`, or `None` when it is not there (an unborn branch).
fn packed(common: &Path, reference: &str) -> Result<Option<String>, Error> {
    let path = common.join("packed-refs");
    let Some(text) = read_optional(&path)? else {
        return Ok(None);
    };
    for line in text.lines() {
        if line.starts_with('#') || line.starts_with('^') {
            continue;
        }
        if let Some((id, name)) = line.split_once(' ')
            && name.trim() == reference
        {
            return object_id(id)
                .map(|id| Some(id.to_owned()))
                .ok_or_else(|| malformed(&path, "expected `<object id> <ref>` lines"));
        }
    }
    Ok(None)
}

fn object_id(text: &str) -> Option<&str> {
    ((text.len() == 40 || text.len() == 64) && text.bytes().all(|b| b.is_ascii_hexdigit()))
        .then_some(text)
}

fn read(path: &Path) -> Result<String, Error> {
    read_optional(path)?.ok_or_else(|| malformed(path, "missing"))
}

fn read_optional(path: &Path) -> Result<Option<String>, Error> {
    let file = match fs::File::open(path) {
        Ok(file) => file,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(Error::io(path, "reading")(e)),
    };
    let bytes = read_limited(file, MAX_FILE)
        .map_err(Error::io(path, "reading"))?
        .ok_or_else(|| malformed(path, "larger than 64 MiB"))?;
    String::from_utf8(bytes)
        .map(Some)
        .map_err(|_| malformed(path, "not UTF-8"))
}

fn malformed(path: &Path, reason: &str) -> Error {
    Error::Malformed {
        origin: PathBuf::from(path).display().to_string(),
        reason: reason.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use std::fs;

    use super::head;

    #[test]
    fn a_worktree_reads_its_branch_from_the_common_directory() {
        let dir = tempfile::tempdir().expect("a temporary directory");
        let main = dir.path().join("main/.git");
        let worktree_git = main.join("worktrees/feature");
        fs::create_dir_all(main.join("refs/heads")).expect("created");
        fs::create_dir_all(&worktree_git).expect("created");
        let id = "0123456789abcdef0123456789abcdef01234567";
        fs::write(main.join("refs/heads/feature"), format!("{id}\n")).expect("written");
        fs::write(worktree_git.join("HEAD"), "ref: refs/heads/feature\n").expect("written");
        fs::write(worktree_git.join("commondir"), "../..\n").expect("written");
        let checkout = dir.path().join("feature");
        fs::create_dir_all(&checkout).expect("created");
        fs::write(
            checkout.join(".git"),
            format!("gitdir: {}\n", worktree_git.display()),
        )
        .expect("written");
        assert_eq!(head(&checkout).expect("readable").as_deref(), Some(id));
    }

    #[test]
    fn no_git_directory_and_unborn_branches_have_no_commit() {
        let dir = tempfile::tempdir().expect("a temporary directory");
        assert_eq!(head(dir.path()).expect("readable"), None);
        fs::create_dir_all(dir.path().join(".git")).expect("created");
        fs::write(dir.path().join(".git/HEAD"), "ref: refs/heads/main\n").expect("written");
        assert_eq!(head(dir.path()).expect("readable"), None);
        fs::write(dir.path().join(".git/HEAD"), "not a ref\n").expect("written");
        assert!(head(dir.path()).is_err());
    }
}
