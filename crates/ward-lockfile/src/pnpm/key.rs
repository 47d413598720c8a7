//! pnpm's dependency paths, which changed with each lockfile major version.
//!
//! | version | package key                         | importer/dependency value      |
//! |---------|-------------------------------------|--------------------------------|
//! | 5.x     | `/@scope/name/1.2.3_peer@1.0.0`     | `1.2.3_peer@1.0.0`             |
//! | 6.x     | `/@scope/name@1.2.3(peer@1.0.0)`    | `1.2.3(peer@1.0.0)`            |
//! | 9.x     | `@scope/name@1.2.3` (+ `snapshots`) | `1.2.3(peer@1.0.0)`            |
//!
//! Traps:
//! - peer suffixes (`_...` in v5, `(...)` from v6) are part of the key, not of the version;
//!   they may themselves contain `@` and `/`;
//! - keys without the leading `/` start with a host: `registry.example.com/foo/1.0.0` (a
//!   registry mirror), `github.com/owner/repo/<sha>` (git); their name and version come
//!   from the body's `name` and `version` unless the path spells a version;
//! - a dependency value that is itself a path (`/real/1.0.0`, `real@1.0.0`) is an alias;
//!   `link:` values are workspace links, not packages;
//! - a version is taken from a key only if it starts with a digit, as npm versions do.

use crate::Source;

use super::document::Resolution;

/// The pnpm lockfile generations ward reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Format {
    V5,
    V6,
    V9,
}

/// [`Format::of`]'s versions in words, for errors.
pub(super) const SUPPORTED: &str = "lockfileVersion 5.x, 6.x and 9.x";

impl Format {
    /// The format of a `lockfileVersion` (`5.4`, `'6.0'`, `'9.0'`), if ward reads it.
    pub(super) fn of(version: &str) -> Option<Format> {
        let (major, minor) = version.split_once('.').unwrap_or((version, "0"));
        if minor.is_empty() || !minor.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        match major {
            "5" => Some(Format::V5),
            "6" => Some(Format::V6),
            "9" => Some(Format::V9),
            _ => None,
        }
    }
}

/// The name and version a package key spells, each `None` where it does not say.
pub(super) type KeyParts<'a> = (Option<&'a str>, Option<&'a str>);

/// Reads a package key; `Err` when the key cannot be a dependency path of `format`.
pub(super) fn parse_key(format: Format, key: &str) -> Result<KeyParts<'_>, ()> {
    if key.starts_with("file:") || key.starts_with("link:") {
        return Ok((None, None));
    }
    if format == Format::V9 {
        let (name, rest) = split_at_version(key).ok_or(())?;
        return Ok((Some(name), version_of(strip_peers(format, rest))));
    }
    let (path, hosted) = match key.strip_prefix('/') {
        Some(path) => (path, false),
        None => (key.split_once('/').ok_or(())?.1, true),
    };
    let parts = if format == Format::V6 {
        split_at_version(path)
    } else {
        let mut segments = path.splitn(3, '/');
        let (first, second) = (segments.next().unwrap_or_default(), segments.next());
        match (first.starts_with('@'), second, segments.next()) {
            (true, Some(_), Some(version)) => Some((
                &path[..first.len() + 1 + second.map_or(0, str::len)],
                version,
            )),
            (false, Some(version), _) => Some((first, version)),
            _ => None,
        }
    };
    let (name, version) = match parts {
        Some((name, rest)) => (name, version_of(strip_peers(format, rest))),
        None if hosted => return Ok((None, None)),
        None => return Err(()),
    };
    if hosted && version.is_none() {
        return Ok((None, None));
    }
    Ok((Some(name), version))
}

/// The package key of a v9 snapshot key, or any key without its peer suffix.
pub(super) fn strip_peers(format: Format, key: &str) -> &str {
    let separator = if format == Format::V5 { '_' } else { '(' };
    key.split(separator).next().unwrap_or(key)
}

/// The keys a dependency `name: value` may refer to, most likely first; `None` for a
/// workspace link.
pub(super) fn dependency_keys(format: Format, name: &str, value: &str) -> Option<[String; 2]> {
    if value.starts_with("link:") {
        return None;
    }
    let joined = match format {
        Format::V5 => format!("/{name}/{value}"),
        Format::V6 => format!("/{name}@{value}"),
        Format::V9 => format!("{name}@{value}"),
    };
    Some([joined, value.to_owned()])
}

/// Where a package comes from: its `resolution`, else its key.
pub(super) fn source(key: &str, resolution: Option<&Resolution>, registry_key: bool) -> Source {
    if let Some(resolution) = resolution {
        if resolution.kind.as_deref() == Some("git") || resolution.repo.is_some() {
            return Source::Git {
                url: resolution.repo.clone().unwrap_or_default(),
                rev: resolution.commit.clone(),
            };
        }
        if resolution.kind.as_deref() == Some("directory") || resolution.directory.is_some() {
            return Source::Local;
        }
        if let Some(tarball) = &resolution.tarball {
            if let Some((url, commit)) = crate::yarn::codeload_commit(tarball) {
                let rev = Some(commit.to_owned());
                return Source::Git { url, rev };
            }
            if tarball.starts_with("file:") {
                return Source::Local;
            }
            if !registry_key {
                return Source::Other(tarball.clone());
            }
        }
    }
    if key.starts_with("file:") || key.starts_with("link:") {
        Source::Local
    } else if registry_key {
        Source::Registry
    } else {
        Source::Other(key.to_owned())
    }
}

/// `name@rest` split at the first `@` after the first character.
fn split_at_version(spec: &str) -> Option<(&str, &str)> {
    let (at, _) = spec.char_indices().skip(1).find(|&(_, c)| c == '@')?;
    Some((&spec[..at], &spec[at + 1..]))
}

fn version_of(text: &str) -> Option<&str> {
    text.starts_with(|c: char| c.is_ascii_digit())
        .then_some(text)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_of_each_format() {
        use Format::{V5, V6, V9};
        let cases: [(Format, &str, KeyParts<'_>); 14] = [
            (V5, "/acorn/8.7.0", (Some("acorn"), Some("8.7.0"))),
            (
                V5,
                "/@a/b/5.13.0_eslint@8.10.0+typescript@4.6.2",
                (Some("@a/b"), Some("5.13.0")),
            ),
            (
                V5,
                "/foo/1.4.0_@types+babel__core@7.1.14",
                (Some("foo"), Some("1.4.0")),
            ),
            (
                V5,
                "registry.npmjs.org/@foo/bar/1.1.0",
                (Some("@foo/bar"), Some("1.1.0")),
            ),
            (V5, "github.com/kevva/is-positive", (None, None)),
            (V5, "/foo/bar", (Some("foo"), None)),
            (V5, "file:../a", (None, None)),
            (
                V6,
                "/react-dom@18.3.0(react@18.3.0)",
                (Some("react-dom"), Some("18.3.0")),
            ),
            (V6, "/@t/types@5.57.1", (Some("@t/types"), Some("5.57.1"))),
            (
                V6,
                "github.com/o/r/267087851ad5fac92a184749c27cd539e2fc862e",
                (None, None),
            ),
            (V9, "@t/types@5.62.0", (Some("@t/types"), Some("5.62.0"))),
            (
                V9,
                "a@https://codeload.github.com/c/a/tar.gz/02fa",
                (Some("a"), None),
            ),
            (V9, "c@3.6.0(patch_hash=e1)", (Some("c"), Some("3.6.0"))),
            (V9, "d@file:p/d", (Some("d"), None)),
        ];
        for (format, key, expected) in cases {
            assert_eq!(parse_key(format, key), Ok(expected), "{key}");
        }
        assert_eq!(parse_key(V5, "invalidpath"), Err(()));
        assert_eq!(parse_key(V5, "/acorn"), Err(()));
        assert_eq!(parse_key(V6, "/acorn"), Err(()));
        assert_eq!(parse_key(V9, "acorn"), Err(()));
    }

    #[test]
    fn versions() {
        assert_eq!(Format::of("5.3"), Some(Format::V5));
        assert_eq!(Format::of("5.4"), Some(Format::V5));
        assert_eq!(Format::of("6.0"), Some(Format::V6));
        assert_eq!(Format::of("9.0"), Some(Format::V9));
        for unsupported in ["11.0", "10", "7.0", "4.0", "9.", "9.x", "", "six"] {
            assert_eq!(Format::of(unsupported), None, "{unsupported}");
        }
    }
}
