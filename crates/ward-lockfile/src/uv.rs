//! `uv.lock`, version 1.
//!
//! Traps:
//! - **Roots.** The project and its workspace members are packages too, with source
//!   `{ editable = "." }` or `{ virtual = "." }`; path dependencies have `directory`/`path`.
//!   All are [`Source::Local`] and [`Relation::Direct`], and what they depend on — in
//!   `dependencies`, `[package.optional-dependencies]` (extras) or
//!   `[package.dev-dependencies]` (dependency groups) — is direct; the rest transitive.
//! - **Dev.** A package is dev when only the roots' dependency groups reach it (through any
//!   dependencies and extras). Extras are not dev, whatever their name (`dev`, `test`): users
//!   install them with the project.
//! - **Dependency references** are `{ name = "x" }`, plus `version` and `source` when the
//!   lock holds several packages of that name (forks by marker); they are resolved by every
//!   part given.
//! - **Versions.** A workspace member with a dynamic version has no `version`: it is left out
//!   (nothing to report, and no advisory can name it). Another package without one is an
//!   error.
//! - **Sources.** `registry` (PyPI, a mirror or a private index) is [`Source::Registry`];
//!   `git = "URL?rev=x#commit"` is [`Source::Git`] with the commit; `url` is
//!   [`Source::Other`].
//! - **Empty.** A lock without any `[[package]]` is [`ErrorKind::Empty`]; one listing only the
//!   project (no dependencies) is valid.
//! - **Lines** are those of the `[[package]]` header.

use std::collections::{BTreeMap, HashMap, HashSet};

use serde::Deserialize;
use toml::Spanned;

use crate::lines::{LineIndex, toml_error, unexpected};
use crate::{Error, ErrorKind, Kind, Lockfile, Package, Relation, Source};

#[derive(Deserialize)]
struct RawLock {
    version: Option<Spanned<toml::Value>>,
    #[serde(default)]
    package: Vec<Spanned<RawPackage>>,
}

#[derive(Deserialize)]
struct RawPackage {
    name: String,
    version: Option<String>,
    #[serde(default)]
    source: BTreeMap<String, toml::Value>,
    #[serde(default)]
    dependencies: Vec<Dependency>,
    #[serde(default, rename = "optional-dependencies")]
    extras: BTreeMap<String, Vec<Dependency>>,
    #[serde(default, rename = "dev-dependencies")]
    groups: BTreeMap<String, Vec<Dependency>>,
}

#[derive(Deserialize)]
struct Dependency {
    name: String,
    version: Option<String>,
    source: Option<BTreeMap<String, toml::Value>>,
}

pub(crate) fn parse(origin: &str, content: &str) -> Result<Lockfile, Error> {
    let raw: RawLock = toml::from_str(content).map_err(|e| toml_error(origin, content, &e))?;
    let index = LineIndex::new(content);
    if let Some(version) = raw
        .version
        .as_ref()
        .filter(|v| !matches!(v.get_ref(), toml::Value::Integer(1)))
    {
        return Err(Error::new(
            origin,
            Some(index.line(version.span().start)),
            ErrorKind::UnsupportedVersion {
                format: "uv.lock",
                version: version.get_ref().to_string(),
                supported: "version 1",
            },
        ));
    }
    if raw.package.is_empty() {
        return Err(Error::new(
            origin,
            None,
            ErrorKind::Empty { format: "uv.lock" },
        ));
    }
    let raw: Vec<(u32, RawPackage)> = raw
        .package
        .into_iter()
        .map(|p| (index.line(p.span().start), p.into_inner()))
        .collect();
    let sources: Vec<Source> = raw.iter().map(|(_, p)| source(&p.source)).collect();
    let graph = Graph::new(&raw);
    let roots: Vec<usize> = (0..raw.len())
        .filter(|&i| sources.get(i) == Some(&Source::Local))
        .collect();
    let (direct, prod, dev) = graph.walk(&raw, &roots);
    let mut packages = Vec::with_capacity(raw.len());
    for (i, ((line, package), source)) in raw.into_iter().zip(sources).enumerate() {
        let version = match package.version {
            Some(version) if !version.is_empty() => version,
            None if source == Source::Local => continue,
            _ => {
                return Err(unexpected(
                    origin,
                    Some(line),
                    format!("a \"version\" for package \"{}\"", package.name),
                ));
            }
        };
        let relation = if source == Source::Local || direct.contains(&i) {
            Relation::Direct
        } else {
            Relation::Transitive
        };
        packages.push(Package {
            ecosystem: Kind::UvLock.ecosystem(),
            name: package.name,
            version,
            line,
            relation,
            dev: dev.contains(&i) && !prod.contains(&i),
            source,
        });
    }
    Ok(Lockfile::new(Kind::UvLock, packages))
}

fn source(source: &BTreeMap<String, toml::Value>) -> Source {
    let string = |key: &str| source.get(key).and_then(toml::Value::as_str);
    if let Some(git) = string("git") {
        let (url, rev) = match git.split_once('#') {
            Some((url, rev)) => (url, Some(rev.to_owned())),
            None => (git, None),
        };
        let url = url.split_once('?').map_or(url, |(url, _)| url);
        return Source::Git {
            url: url.to_owned(),
            rev,
        };
    }
    if let Some(url) = string("url") {
        return Source::Other(url.to_owned());
    }
    if ["editable", "virtual", "directory", "path"]
        .iter()
        .any(|k| source.contains_key(*k))
    {
        return Source::Local;
    }
    Source::Registry
}

/// Packages by name, to resolve dependency references.
struct Graph<'a> {
    by_name: HashMap<&'a str, Vec<usize>>,
}

impl<'a> Graph<'a> {
    fn new(raw: &'a [(u32, RawPackage)]) -> Self {
        let mut by_name: HashMap<&str, Vec<usize>> = HashMap::new();
        for (i, (_, p)) in raw.iter().enumerate() {
            by_name.entry(p.name.as_str()).or_default().push(i);
        }
        Graph { by_name }
    }

    fn resolve(&self, raw: &[(u32, RawPackage)], dependency: &Dependency) -> Vec<usize> {
        let candidates = self.by_name.get(dependency.name.as_str());
        candidates
            .into_iter()
            .flatten()
            .copied()
            .filter(|&i| {
                raw.get(i).is_some_and(|(_, p)| {
                    dependency
                        .version
                        .as_ref()
                        .is_none_or(|v| p.version.as_ref() == Some(v))
                        && dependency.source.as_ref().is_none_or(|s| *s == p.source)
                })
            })
            .collect()
    }

    /// The roots' direct dependencies, what production reaches, what dependency groups reach.
    fn walk(
        &self,
        raw: &[(u32, RawPackage)],
        roots: &[usize],
    ) -> (HashSet<usize>, HashSet<usize>, HashSet<usize>) {
        let mut direct = HashSet::new();
        let mut prod_start = Vec::new();
        let mut dev_start = Vec::new();
        for &root in roots {
            let Some((_, p)) = raw.get(root) else {
                continue;
            };
            for d in p.dependencies.iter().chain(p.extras.values().flatten()) {
                prod_start.extend(self.resolve(raw, d));
            }
            for d in p.groups.values().flatten() {
                dev_start.extend(self.resolve(raw, d));
            }
        }
        direct.extend(prod_start.iter().chain(&dev_start).copied());
        prod_start.extend(roots);
        (
            direct,
            self.reach(raw, prod_start),
            self.reach(raw, dev_start),
        )
    }

    /// Everything reachable from `start` through dependencies and extras.
    fn reach(&self, raw: &[(u32, RawPackage)], mut stack: Vec<usize>) -> HashSet<usize> {
        let mut seen = HashSet::new();
        while let Some(i) = stack.pop() {
            if !seen.insert(i) {
                continue;
            }
            let Some((_, p)) = raw.get(i) else { continue };
            for d in p.dependencies.iter().chain(p.extras.values().flatten()) {
                stack.extend(
                    self.resolve(raw, d)
                        .into_iter()
                        .filter(|j| !seen.contains(j)),
                );
            }
        }
        seen
    }
}
