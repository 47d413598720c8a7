//! `yarn.lock`, classic (v1) and berry (v2+): one [`Package`] per entry, except berry's
//! workspace entries (the project itself).
//!
//! The two dialects share the file name and little else: classic has its own indentation
//! syntax ([`classic`]), berry writes a YAML subset with a `__metadata` block ([`berry`]).
//! A file with a top-level `__metadata:` is berry. Both are read line by line
//! ([`lexer`]), so every package's line is its entry header's line.
//!
//! Traps:
//! - the package name is everything before the first `@` that is not the first character:
//!   npm names contain no `@` after a scope's, while ranges and URLs may (`git@github.com`),
//!   so the *last* `@` would be wrong for `pkg@git+ssh://git@host/repo.git`;
//! - npm aliases: classic `alias@npm:real@^1` installs `real`; berry's `resolution` already
//!   names the real package;
//! - berry `patch:` resolutions (`resolve@patch:resolve@npm%3A1.22.12#...`) install the
//!   registry package with a patch applied: the inner, URL-encoded descriptor is decoded and
//!   the package is reported as that registry version. A scanner that took it for a
//!   non-registry source would miss every advisory of the patched package;
//! - git entries: the commit is in the `resolved` URL's `#hash` (classic), a
//!   `codeload.github.com/.../tar.gz/<sha>` URL, or `#commit=<sha>` (berry);
//! - `file:`, `link:`, `portal:` and relative paths are [`Source::Local`]; tarball URLs are
//!   [`Source::Other`];
//! - directness: classic files do not record which dependencies the project asked for, so
//!   every package is [`Relation::Unknown`]. Berry's workspace entries list the project's
//!   dependencies, resolved here through the entry headers: those are `Direct`, the rest
//!   `Transitive`; a workspace dependency that cannot be resolved (`catalog:`) makes the
//!   packages of that name `Unknown` unless only one entry has it. Neither dialect separates
//!   `devDependencies` (berry merges them into the workspace's `dependencies`), so `dev` is
//!   always false;
//! - a file that lists no package at all (only comments, only `__metadata`) is an error.

mod berry;
mod classic;
mod lexer;
mod source;

use std::borrow::Cow;
use std::collections::{HashMap, HashSet};

use crate::{Error, ErrorKind, Kind, Lockfile, Package, Relation};
pub(crate) use source::codeload_commit;
use source::{Resolved, classic_source, classify_berry, split_descriptor};

const FORMAT: &str = "yarn.lock";

pub(crate) fn parse(origin: &str, content: &str) -> Result<Lockfile, Error> {
    let content = crate::lines::sized_text(origin, content)?;
    let berry = content.lines().any(|l| l.trim_end() == "__metadata:");
    let packages = if berry {
        read_berry(origin, content)?
    } else {
        read_classic(origin, content)?
    };
    if packages.is_empty() {
        return Err(Error::new(
            origin,
            None,
            ErrorKind::Empty { format: FORMAT },
        ));
    }
    Ok(Lockfile::new(Kind::YarnLock, packages))
}

/// One entry of either dialect, as read from the file.
#[derive(Debug)]
struct Entry<'a> {
    /// The header's descriptors (`name@range`), at least one.
    descriptors: Vec<Cow<'a, str>>,
    /// The header's line.
    line: u32,
    version: Option<Cow<'a, str>>,
    /// Classic `resolved`, berry `resolution`.
    resolution: Option<Cow<'a, str>>,
    /// Berry `dependencies` (name, range); empty for classic.
    dependencies: Vec<(Cow<'a, str>, Cow<'a, str>)>,
}

impl<'a> Entry<'a> {
    fn new(descriptors: Vec<Cow<'a, str>>, line: u32) -> Self {
        Entry {
            descriptors,
            line,
            version: None,
            resolution: None,
            dependencies: Vec::new(),
        }
    }

    fn first(&self) -> &str {
        self.descriptors.first().map_or("", |d| d.as_ref())
    }

    /// The `version` field, or an error naming the entry.
    fn version(&self, origin: &str) -> Result<&str, Error> {
        self.field(origin, self.version.as_deref(), "version")
    }

    fn field<'s>(
        &self,
        origin: &str,
        value: Option<&'s str>,
        name: &str,
    ) -> Result<&'s str, Error> {
        match value {
            Some(value) if !value.is_empty() => Ok(value),
            _ => Err(unexpected(
                origin,
                self.line,
                format!("a non-empty \"{name}\" in the entry for {:?}", self.first()),
            )),
        }
    }
}

/// A line-level syntax error from [`classic`] or [`berry`].
#[derive(Debug)]
struct SyntaxError {
    line: u32,
    message: String,
}

impl SyntaxError {
    fn into_error(self, origin: &str) -> Error {
        Error::new(origin, Some(self.line), ErrorKind::Syntax(self.message))
    }
}

fn unexpected(origin: &str, line: u32, expected: String) -> Error {
    Error::new(origin, Some(line), ErrorKind::Unexpected { expected })
}

/// The 1-based line number of the 0-based line `index`.
fn line_number(index: usize) -> u32 {
    u32::try_from(index.saturating_add(1)).unwrap_or(u32::MAX)
}

fn read_classic(origin: &str, content: &str) -> Result<Vec<Package>, Error> {
    let entries = classic::entries(content).map_err(|e| e.into_error(origin))?;
    let mut packages = Vec::with_capacity(entries.len());
    for entry in &entries {
        let version = entry.version(origin)?;
        let (mut name, mut range) = split_descriptor(entry.first());
        if let Some(target) = range.strip_prefix("npm:")
            && (target.starts_with('@') || target.contains('@'))
        {
            (name, range) = split_descriptor(target);
        }
        check_name(origin, entry.line, name, entry.first())?;
        packages.push(Package {
            ecosystem: Kind::YarnLock.ecosystem(),
            name: name.to_owned(),
            version: version.to_owned(),
            line: entry.line,
            relation: Relation::Unknown,
            dev: false,
            source: classic_source(range, entry.resolution.as_deref()),
        });
    }
    Ok(packages)
}

fn read_berry(origin: &str, content: &str) -> Result<Vec<Package>, Error> {
    let lockfile = berry::entries(content).map_err(|e| e.into_error(origin))?;
    let (version, line) = match &lockfile.version {
        Some((version, line)) => (version.as_ref(), Some(*line)),
        None => ("(none)", None),
    };
    if !version.parse().is_ok_and(|v| berry::SUPPORTED.contains(&v)) {
        let kind = ErrorKind::UnsupportedVersion {
            format: "yarn.lock (berry)",
            version: version.to_owned(),
            supported: berry::SUPPORTED_TEXT,
        };
        return Err(Error::new(origin, line, kind));
    }
    let entries = &lockfile.entries;
    let mut resolved = Vec::with_capacity(entries.len());
    for entry in entries {
        let resolution = entry.field(origin, entry.resolution.as_deref(), "resolution")?;
        let version = entry.version(origin)?;
        resolved.push((classify_berry(resolution), version));
    }
    let relations = berry_relations(entries, &resolved);
    let mut packages = Vec::with_capacity(entries.len());
    for ((entry, (resolution, version)), relation) in entries.iter().zip(resolved).zip(relations) {
        let Some((name, source)) = resolution else {
            continue;
        };
        check_name(
            origin,
            entry.line,
            &name,
            entry.resolution.as_deref().unwrap_or_default(),
        )?;
        packages.push(Package {
            ecosystem: Kind::YarnLock.ecosystem(),
            name,
            version: version.to_owned(),
            line: entry.line,
            relation,
            dev: false,
            source,
        });
    }
    Ok(packages)
}

/// Direct, transitive or unknown for each entry (see the module's traps).
fn berry_relations(entries: &[Entry<'_>], resolved: &[(Resolved, &str)]) -> Vec<Relation> {
    let is_workspace = |i: usize| resolved.get(i).is_some_and(|(r, _)| r.is_none());
    if !(0..entries.len()).any(is_workspace) {
        return vec![Relation::Unknown; entries.len()];
    }
    let mut by_descriptor: HashMap<&str, usize> = HashMap::new();
    for (i, entry) in entries.iter().enumerate() {
        for descriptor in &entry.descriptors {
            by_descriptor.entry(descriptor.as_ref()).or_insert(i);
        }
    }
    let mut direct = vec![false; entries.len()];
    let mut unresolved: HashSet<&str> = HashSet::new();
    let workspaces = entries.iter().enumerate().filter(|(i, _)| is_workspace(*i));
    for (_, entry) in workspaces {
        for (name, range) in &entry.dependencies {
            let found = by_descriptor
                .get(format!("{name}@{range}").as_str())
                .or_else(|| by_descriptor.get(format!("{name}@npm:{range}").as_str()));
            match found {
                Some(&target) => direct[target] |= !is_workspace(target),
                None => {
                    unresolved.insert(name.as_ref());
                }
            }
        }
    }
    let mut ambiguous = vec![false; entries.len()];
    if !unresolved.is_empty() {
        let mut holders: HashMap<&str, Vec<usize>> = HashMap::new();
        for (i, entry) in entries
            .iter()
            .enumerate()
            .filter(|(i, _)| !is_workspace(*i))
        {
            for descriptor in &entry.descriptors {
                let (name, _) = split_descriptor(descriptor);
                if unresolved.contains(name) {
                    holders.entry(name).or_default().push(i);
                }
            }
        }
        for indices in holders.values_mut() {
            indices.dedup();
            match indices.as_slice() {
                [only] => direct[*only] = true,
                many => many.iter().for_each(|&i| ambiguous[i] = true),
            }
        }
    }
    (0..entries.len())
        .map(|i| match (direct[i], ambiguous[i]) {
            (true, _) => Relation::Direct,
            (false, true) => Relation::Unknown,
            (false, false) => Relation::Transitive,
        })
        .collect()
}

/// Refuses what cannot be an npm package name (empty, `@scope` without `/name`, spaces).
fn check_name(origin: &str, line: u32, name: &str, spec: &str) -> Result<(), Error> {
    let scoped_ok = match name.strip_prefix('@') {
        Some(scoped) => scoped
            .split_once('/')
            .is_some_and(|(s, n)| !s.is_empty() && !n.is_empty()),
        None => !name.is_empty(),
    };
    if scoped_ok && !name.contains(char::is_whitespace) {
        return Ok(());
    }
    let expected = format!("a package name (`name` or `@scope/name`) in {spec:?}");
    Err(unexpected(origin, line, expected))
}
