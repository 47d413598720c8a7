//! `Cargo.lock`, versions 1 to 4.
//!
//! Traps:
//! - **Which version.** v1 and v2 have no top-level `version` key (v1 keeps checksums in a
//!   `[metadata]` table and writes every dependency fully qualified); v3 says `version = 3`,
//!   v4 `version = 4`. Any other number is refused, never read as if it were one of those.
//! - **Dependency strings** are `"name"` when one version of `name` is locked, `"name 1.0.0"`
//!   when several are, and `"name 1.0.0 (source)"` when several sources are (always, in v1).
//!   They are resolved with every part given; a string naming nothing the file lists (a
//!   trimmed or hand-edited file) is ignored, not an error.
//! - **Roots.** A package without `source` is a workspace member or a path dependency
//!   ([`Source::Local`]); what those depend on is [`Relation::Direct`], everything else
//!   [`Relation::Transitive`]. A file with no local package (trimmed, as in test fixtures)
//!   does not say, so every package is [`Relation::Unknown`]. Local packages themselves are
//!   `Direct`: they are the project.
//! - **Dev.** `Cargo.lock` merges normal, build and dev dependencies without saying which:
//!   `dev` is always false.
//! - **Sources.** Only crates.io (`registry+https://github.com/rust-lang/crates.io-index`
//!   or `sparse+https://index.crates.io/`) is [`Source::Registry`]: RustSec advisories, like
//!   `cargo audit`, concern crates.io, and a crate of the same name on another registry is
//!   another crate ([`Source::Other`] with the source string). `git+URL?branch=x#commit` is
//!   [`Source::Git`] with the URL (without `git+` and query) and the commit.
//! - **`[root]`.** Cargo before 1.22 wrote the root package in a `[root]` table; it is read as
//!   the first (local) package.
//! - **Lines** are those of the `[[package]]` header.

use std::collections::{HashMap, HashSet};

use serde::Deserialize;
use toml::Spanned;

use crate::lines::{LineIndex, toml_error, unexpected};
use crate::{Error, ErrorKind, Kind, Lockfile, Package, Relation, Source};

const CRATES_IO: [&str; 2] = [
    "registry+https://github.com/rust-lang/crates.io-index",
    "sparse+https://index.crates.io/",
];

#[derive(Deserialize)]
struct RawLock {
    version: Option<Spanned<toml::Value>>,
    /// The root package, in the v1 files of Cargo before 1.22 (kept in the list, first).
    root: Option<Spanned<RawPackage>>,
    #[serde(default)]
    package: Vec<Spanned<RawPackage>>,
}

#[derive(Deserialize)]
struct RawPackage {
    name: String,
    version: String,
    source: Option<String>,
    #[serde(default)]
    dependencies: Vec<String>,
}

pub(crate) fn parse(origin: &str, content: &str) -> Result<Lockfile, Error> {
    let mut raw: RawLock = toml::from_str(content).map_err(|e| toml_error(origin, content, &e))?;
    if let Some(root) = raw.root.take() {
        raw.package.insert(0, root);
    }
    let index = LineIndex::new(content);
    if let Some(version) = &raw.version {
        let supported = matches!(version.get_ref(), toml::Value::Integer(3 | 4));
        if !supported {
            return Err(Error::new(
                origin,
                Some(index.line(version.span().start)),
                ErrorKind::UnsupportedVersion {
                    format: "Cargo.lock",
                    version: version.get_ref().to_string(),
                    supported: "1 to 4",
                },
            ));
        }
    }
    if raw.package.is_empty() {
        return Err(Error::new(
            origin,
            None,
            ErrorKind::Empty {
                format: "Cargo.lock",
            },
        ));
    }
    let mut packages = Vec::with_capacity(raw.package.len());
    for spanned in &raw.package {
        let line = index.line(spanned.span().start);
        let raw = spanned.get_ref();
        for (field, value) in [("name", &raw.name), ("version", &raw.version)] {
            if value.is_empty() {
                return Err(unexpected(
                    origin,
                    Some(line),
                    format!("a non-empty \"{field}\" string"),
                ));
            }
        }
        packages.push(Package {
            ecosystem: Kind::CargoLock.ecosystem(),
            name: raw.name.clone(),
            version: raw.version.clone(),
            line,
            relation: Relation::Unknown,
            dev: false,
            source: source(raw.source.as_deref()),
        });
    }
    mark_direct(&raw.package, &mut packages);
    Ok(Lockfile::new(Kind::CargoLock, packages))
}

fn source(source: Option<&str>) -> Source {
    let Some(source) = source else {
        return Source::Local;
    };
    if CRATES_IO.contains(&source) {
        return Source::Registry;
    }
    match source.strip_prefix("git+") {
        Some(git) => {
            let (url, rev) = match git.split_once('#') {
                Some((url, rev)) => (url, Some(rev.to_owned())),
                None => (git, None),
            };
            let url = url.split_once('?').map_or(url, |(url, _)| url);
            Source::Git {
                url: url.to_owned(),
                rev,
            }
        }
        None => Source::Other(source.to_owned()),
    }
}

/// Sets `relation` from the dependencies of the local packages (see the module's traps).
fn mark_direct(raw: &[Spanned<RawPackage>], packages: &mut [Package]) {
    let roots: Vec<usize> = raw
        .iter()
        .enumerate()
        .filter(|(_, p)| p.get_ref().source.is_none())
        .map(|(i, _)| i)
        .collect();
    if roots.is_empty() {
        return;
    }
    let mut by_name: HashMap<&str, Vec<usize>> = HashMap::new();
    for (i, p) in raw.iter().enumerate() {
        by_name
            .entry(p.get_ref().name.as_str())
            .or_default()
            .push(i);
    }
    let mut direct = HashSet::new();
    for &root in &roots {
        for dependency in raw.get(root).map_or(&[][..], |p| &p.get_ref().dependencies) {
            direct.extend(resolve(dependency, raw, &by_name));
        }
    }
    for (i, package) in packages.iter_mut().enumerate() {
        package.relation = if package.source == Source::Local || direct.contains(&i) {
            Relation::Direct
        } else {
            Relation::Transitive
        };
    }
}

/// The packages a dependency string (`name`, `name version`, `name version (source)`) names.
fn resolve(
    dependency: &str,
    raw: &[Spanned<RawPackage>],
    by_name: &HashMap<&str, Vec<usize>>,
) -> Vec<usize> {
    let mut parts = dependency.splitn(3, ' ');
    let name = parts.next().unwrap_or_default();
    let version = parts.next();
    let source = parts
        .next()
        .map(|s| s.trim_start_matches('(').trim_end_matches(')'));
    by_name
        .get(name)
        .map(|candidates| {
            candidates
                .iter()
                .copied()
                .filter(|&i| {
                    raw.get(i).is_some_and(|p| {
                        let p = p.get_ref();
                        version.is_none_or(|v| v == p.version)
                            && source.is_none_or(|s| p.source.as_deref() == Some(s))
                    })
                })
                .collect()
        })
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn git_sources_keep_url_and_commit() {
        assert_eq!(
            source(Some("git+https://github.com/a/b?branch=main#0123abc")),
            Source::Git {
                url: "https://github.com/a/b".into(),
                rev: Some("0123abc".into())
            }
        );
        assert_eq!(
            source(Some("registry+https://example.com/index")),
            Source::Other("registry+https://example.com/index".into())
        );
        assert_eq!(source(Some(CRATES_IO[1])), Source::Registry);
        assert_eq!(source(None), Source::Local);
    }
}
