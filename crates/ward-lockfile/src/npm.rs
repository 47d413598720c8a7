//! `package-lock.json` (lockfileVersion 1, 2 and 3) and `npm-shrinkwrap.json`.
//!
//! Traps:
//! - **Two layouts.** v1 nests `dependencies` inside `dependencies`; v2 carries both that and
//!   the flat `packages` map; v3 only `packages`. When `packages` is there it is read, and the
//!   legacy tree ignored. A `lockfileVersion` above 3 is refused, not read as if it were 3.
//! - **Names.** A `packages` key is a path (`node_modules/a/node_modules/@s/b`): the name is
//!   what follows the last `node_modules/`, unless the entry has a `name`, which is the real
//!   package behind an alias (`"string-width-cjs": "npm:string-width@^4"`). In v1 an alias is
//!   in the version: `npm:@babel/code-frame@7.0.0`.
//! - **The root and the project's own folders.** Key `""` is the project: not a package,
//!   but its `dependencies`, `devDependencies`, `optionalDependencies` and
//!   `peerDependencies` are the [`Relation::Direct`] ones, found as node does (the nearest
//!   `node_modules` up the folder tree). Keys without `node_modules/` are workspace members
//!   or `file:` folders, [`Source::Local`] and direct too; their dependencies are direct as
//!   well. A member without a `version` (allowed in its `package.json`) is left out: it has
//!   no version to report and no advisory can name it. `link: true` entries are symlinks to
//!   such folders, listed once, at the folder.
//! - **v1 does not say** which top-level entries are direct (it has no root entry):
//!   [`Relation::Unknown`]; a nested entry is [`Relation::Transitive`].
//! - **Dev.** `dev: true` means only development needs it. `devOptional: true` is not dev:
//!   npm sets it on a package that is both a dev dependency and an optional dependency of a
//!   production one, which a production install does install.
//! - **Sources.** `resolved` `git+…`/`github:…` is [`Source::Git`] (URL without the commit,
//!   the commit from `#`); a tarball URL in a registry's layout (`…/name/-/name-1.0.0.tgz`,
//!   as npmjs, mirrors and Artifactory write them) or no `resolved` at all is
//!   [`Source::Registry`]; another URL is [`Source::Other`]; `file:` is local. In v1 the
//!   version itself may be `git+…`, `file:…` or a URL: kept as written, with that source.
//! - **Lines.** `serde_json` keeps no positions; `locate` finds the line of each entry's key
//!   in one pass over the text.

mod locate;

use std::borrow::Cow;
use std::collections::HashSet;

use serde_json::{Map, Value};

use crate::lines::unexpected;
use crate::{Error, ErrorKind, Kind, Lockfile, Package, Relation, Source};
use locate::{Located, locate};

/// The sections of the root (and of each workspace member) whose names are direct.
const DEPENDENCY_SECTIONS: [&str; 4] = [
    "dependencies",
    "devDependencies",
    "optionalDependencies",
    "peerDependencies",
];

pub(crate) fn parse(kind: Kind, origin: &str, content: &str) -> Result<Lockfile, Error> {
    let document: Value = serde_json::from_str(content).map_err(|e| json_error(origin, &e))?;
    let Value::Object(document) = document else {
        return Err(unexpected(origin, Some(1), "a JSON object"));
    };
    let v2 = matches!(document.get("packages"), Some(Value::Object(_)));
    let located = locate(content, |parent| {
        parent.is_empty()
            || if v2 {
                parent.len() == 1 && parent.first().is_some_and(|k| k == "packages")
            } else {
                parent.len() % 2 == 1 && parent.iter().step_by(2).all(|k| k == "dependencies")
            }
    });
    let line_of = |key: &str| {
        located
            .iter()
            .find(|l| l.path.len() == 1 && l.path.first().is_some_and(|k| k == key))
            .map(|l| l.line)
    };
    if let Some(version) = document
        .get("lockfileVersion")
        .filter(|v| !matches!(v.as_u64(), Some(1..=3)))
    {
        return Err(Error::new(
            origin,
            line_of("lockfileVersion"),
            ErrorKind::UnsupportedVersion {
                format: kind.file_name(),
                version: version.to_string(),
                supported: "lockfileVersion 1, 2 and 3",
            },
        ));
    }
    let reader = Reader { kind, origin };
    let packages = if let Some(Value::Object(packages)) = document.get("packages") {
        reader.packages(packages, &located)?
    } else {
        match document.get("dependencies") {
            None => Vec::new(),
            Some(Value::Object(_)) => reader.dependencies(&document, &located)?,
            Some(_) => {
                return Err(unexpected(
                    origin,
                    line_of("dependencies"),
                    "\"dependencies\" to be an object",
                ));
            }
        }
    };
    if packages.is_empty() {
        return Err(Error::new(
            origin,
            None,
            ErrorKind::Empty {
                format: kind.file_name(),
            },
        ));
    }
    Ok(Lockfile::new(kind, packages))
}

fn json_error(origin: &str, error: &serde_json::Error) -> Error {
    let message = error.to_string();
    // serde_json ends its messages with the position, which the error already carries.
    let message = message
        .rsplit_once(" at line ")
        .map_or(message.as_str(), |(m, _)| m);
    let line = u32::try_from(error.line()).ok().filter(|&l| l > 0);
    Error::new(origin, line, ErrorKind::Syntax(message.to_owned()))
}

struct Reader<'a> {
    kind: Kind,
    origin: &'a str,
}

impl Reader<'_> {
    /// v2 and v3: the flat `packages` map.
    fn packages(
        &self,
        packages: &Map<String, Value>,
        located: &[Located],
    ) -> Result<Vec<Package>, Error> {
        let mut seen = HashSet::new();
        let mut out = Vec::new();
        let mut keys = Vec::new();
        for l in located {
            let [section, key] = l.path.as_slice() else {
                continue;
            };
            // A duplicated key: serde_json kept the last value, read it once.
            if section != "packages" || key.is_empty() || !seen.insert(key.as_str()) {
                continue;
            }
            let Some(entry) = packages.get(key) else {
                continue;
            };
            let Value::Object(entry) = entry else {
                return Err(self.expected(l.line, format!("an object for package \"{key}\"")));
            };
            if entry.get("link").and_then(Value::as_bool) == Some(true) {
                continue;
            }
            let local = !key.starts_with("node_modules/") && !key.contains("/node_modules/");
            let version = match entry.get("version") {
                Some(Value::String(v)) if !v.is_empty() => v.clone(),
                None if local => continue,
                _ => {
                    return Err(self.expected(
                        l.line,
                        format!("a \"version\" string for package \"{key}\""),
                    ));
                }
            };
            let name = match entry.get("name") {
                Some(Value::String(name)) if !name.is_empty() => name.clone(),
                _ => name_from_path(key).to_owned(),
            };
            let source = if local {
                Source::Local
            } else {
                source_of(entry.get("resolved").and_then(Value::as_str))
            };
            keys.push(key.as_str());
            out.push(Package {
                ecosystem: self.kind.ecosystem(),
                name,
                version,
                line: l.line,
                relation: Relation::Unknown,
                dev: entry.get("dev").and_then(Value::as_bool) == Some(true),
                source,
            });
        }
        if packages.contains_key("") {
            let direct = direct_keys(packages);
            for (package, key) in out.iter_mut().zip(keys) {
                package.relation = if package.source == Source::Local || direct.contains(key) {
                    Relation::Direct
                } else {
                    Relation::Transitive
                };
            }
        }
        Ok(out)
    }

    /// v1: the nested `dependencies` tree, in document order.
    fn dependencies(
        &self,
        document: &Map<String, Value>,
        located: &[Located],
    ) -> Result<Vec<Package>, Error> {
        let mut seen = HashSet::new();
        let mut out = Vec::new();
        for l in located {
            if l.path.len() < 2 || l.path.len() % 2 == 1 || !seen.insert(l.path.as_slice()) {
                continue;
            }
            let Some(entry) = lookup(document, &l.path) else {
                continue;
            };
            let key = l.path.last().map_or("", String::as_str);
            let Value::Object(entry) = entry else {
                return Err(self.expected(l.line, format!("an object for package \"{key}\"")));
            };
            let written = match entry.get("version") {
                Some(Value::String(written)) if !written.is_empty() => written,
                _ => {
                    return Err(self.expected(
                        l.line,
                        format!("a \"version\" string for package \"{key}\""),
                    ));
                }
            };
            let (name, version, source) = v1_version(key, written, entry);
            out.push(Package {
                ecosystem: self.kind.ecosystem(),
                name,
                version,
                line: l.line,
                relation: if l.path.len() == 2 {
                    Relation::Unknown
                } else {
                    Relation::Transitive
                },
                dev: entry.get("dev").and_then(Value::as_bool) == Some(true),
                source,
            });
        }
        Ok(out)
    }

    fn expected(&self, line: u32, what: String) -> Error {
        unexpected(self.origin, Some(line), what)
    }
}

/// Name, version and source of a v1 entry, whose `version` may be an alias, a git URL, a
/// `file:` path or a tarball URL.
fn v1_version(key: &str, written: &str, entry: &Map<String, Value>) -> (String, String, Source) {
    let alias = written
        .strip_prefix("npm:")
        .and_then(|alias| alias.rsplit_once('@'))
        .filter(|(name, version)| !name.is_empty() && !version.is_empty());
    if let Some((name, version)) = alias {
        let source = source_of(entry.get("resolved").and_then(Value::as_str));
        return (name.to_owned(), version.to_owned(), source);
    }
    let source = if written.starts_with("file:") || is_git(written) || written.contains("://") {
        source_of(Some(written))
    } else {
        source_of(entry.get("resolved").and_then(Value::as_str))
    };
    (key.to_owned(), written.to_owned(), source)
}

fn is_git(spec: &str) -> bool {
    ["git+", "git:", "github:", "gitlab:", "bitbucket:"]
        .iter()
        .any(|p| spec.starts_with(p))
}

/// Where a `resolved` value (or a v1 version that is a location) points.
fn source_of(resolved: Option<&str>) -> Source {
    let Some(resolved) = resolved else {
        return Source::Registry;
    };
    if is_git(resolved) {
        let (url, rev) = match resolved.split_once('#') {
            Some((url, rev)) => (url, Some(rev.to_owned())),
            None => (resolved, None),
        };
        let url = url.strip_prefix("git+").unwrap_or(url);
        return Source::Git {
            url: url.to_owned(),
            rev,
        };
    }
    if resolved.starts_with("file:") {
        return Source::Local;
    }
    let tarball = resolved.starts_with("https://") || resolved.starts_with("http://");
    if tarball && resolved.contains("/-/") {
        Source::Registry
    } else {
        Source::Other(resolved.to_owned())
    }
}

/// `node_modules/a/node_modules/@s/b` -> `@s/b`; a folder `packages/x` -> `x`.
fn name_from_path(key: &str) -> &str {
    match key.rfind("node_modules/") {
        Some(at) => key.get(at + "node_modules/".len()..).unwrap_or(key),
        None => key.rsplit('/').next().unwrap_or(key),
    }
}

/// The `packages` keys the project's own folders (the root and workspace members) depend on,
/// resolved as node does: `<folder>/node_modules/<name>`, then each parent folder's.
fn direct_keys(packages: &Map<String, Value>) -> HashSet<String> {
    let mut direct = HashSet::new();
    let folders = packages
        .iter()
        .filter(|(key, _)| !key.starts_with("node_modules/") && !key.contains("/node_modules/"));
    for (folder, entry) in folders {
        let names = DEPENDENCY_SECTIONS
            .iter()
            .filter_map(|section| entry.get(section).and_then(Value::as_object))
            .flat_map(|section| section.keys());
        for name in names {
            let mut dir: Cow<'_, str> = Cow::Borrowed(folder);
            loop {
                let candidate = if dir.is_empty() {
                    format!("node_modules/{name}")
                } else {
                    format!("{dir}/node_modules/{name}")
                };
                if packages.contains_key(&candidate) {
                    direct.insert(candidate);
                    break;
                }
                if dir.is_empty() {
                    break;
                }
                dir = Cow::Owned(dir.rsplit_once('/').map_or("", |(d, _)| d).to_owned());
            }
        }
    }
    direct
}

/// The value at `path` (`dependencies/a/dependencies/b`) of a v1 document.
fn lookup<'v>(document: &'v Map<String, Value>, path: &[String]) -> Option<&'v Value> {
    let (first, rest) = path.split_first()?;
    rest.iter()
        .try_fold(document.get(first)?, |value, key| value.get(key))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_from_paths() {
        assert_eq!(name_from_path("node_modules/a/node_modules/@s/b"), "@s/b");
        assert_eq!(name_from_path("node_modules/a"), "a");
        assert_eq!(name_from_path("packages/x"), "x");
    }

    #[test]
    fn aliases_in_v1_versions() {
        let entry = Map::new();
        let (name, version, _) = v1_version("cf", "npm:@babel/code-frame@7.0.0", &entry);
        assert_eq!(
            (name.as_str(), version.as_str()),
            ("@babel/code-frame", "7.0.0")
        );
        let (name, version, _) = v1_version("sw", "npm:string-width@4.2.0", &entry);
        assert_eq!((name.as_str(), version.as_str()), ("string-width", "4.2.0"));
        // No version after the name: not an alias this reader understands, kept as written.
        let (name, version, _) = v1_version("x", "npm:@scope", &entry);
        assert_eq!((name.as_str(), version.as_str()), ("x", "npm:@scope"));
    }

    #[test]
    fn sources() {
        assert_eq!(
            source_of(Some("git+ssh://git@github.com/a/b.git#abc")),
            Source::Git {
                url: "ssh://git@github.com/a/b.git".into(),
                rev: Some("abc".into())
            }
        );
        assert_eq!(
            source_of(Some("https://registry.npmjs.org/a/-/a-1.0.0.tgz")),
            Source::Registry
        );
        assert_eq!(
            source_of(Some("https://example.com/a.tgz")),
            Source::Other("https://example.com/a.tgz".into())
        );
        assert_eq!(source_of(Some("file:../a")), Source::Local);
        assert_eq!(source_of(None), Source::Registry);
    }
}
