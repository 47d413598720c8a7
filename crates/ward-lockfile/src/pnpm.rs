//! `pnpm-lock.yaml`, lockfileVersion 5.x, 6.x and 9.x: one [`Package`] per distinct
//! (name, version, source) among the `packages` entries.
//!
//! The file is YAML written by pnpm (flow maps, quoted keys, comments after hand edits), so
//! it is read with serde-saphyr into the few fields ward needs ([`document`]); package keys
//! keep their line. The key formats of each version are in [`key`], directness and dev-only
//! in [`relation`].
//!
//! Traps:
//! - the lockfile version decides how every key is read, so it is checked first, by a scan
//!   of the top-level `lockfileVersion:` line, before the rest is parsed: a future format
//!   (pnpm's '10', '11') is [`ErrorKind::UnsupportedVersion`] even if its structure also
//!   changed. osv-scanner reports "no issues" for files it cannot read; ward never does;
//! - the same package appears once per peer-dependency set in v5 and v6 (`/a/1.0.0_b@1`,
//!   `/a/1.0.0_b@2`) and once in v9 `packages` (peers are in `snapshots`): ward reports one
//!   package per (name, version, source), at its first key's line, `Direct` if any of its
//!   entries is, dev-only if all are;
//! - `name` and `version` in a package's body override its key (git, tarball and `file:`
//!   packages). An entry whose key and body do not both give a name and a version (a git
//!   host path without fields, a v9 `file:` directory) has nothing a scanner could match
//!   and is not listed; a key that cannot be a dependency path of the file's version is an
//!   error;
//! - sources: `resolution: {integrity}` is the registry; `{tarball}` on a
//!   `codeload.github.com/<owner>/<repo>/tar.gz/<sha>` URL or `{repo, commit}` is git;
//!   `{directory}`, `file:` and `link:` are local; other tarballs are [`Source::Other`]
//!   unless the key is a registry path (a registry mirror serves tarballs too);
//! - a file without `packages` (or with an empty one) is [`ErrorKind::Empty`].

mod document;
mod key;
mod relation;

use std::collections::HashMap;

use crate::{Error, ErrorKind, Kind, Lockfile, Package, Relation, Source};
use document::{Document, Entries};
use key::Format;

const FORMAT: &str = "pnpm-lock.yaml";

pub(crate) fn parse(origin: &str, content: &str) -> Result<Lockfile, Error> {
    let content = crate::lines::sized_text(origin, content)?;
    if content.trim().is_empty() {
        return Err(Error::new(
            origin,
            None,
            ErrorKind::Empty { format: FORMAT },
        ));
    }
    let scanned = scan_version(content);
    if let Some((version, line)) = scanned
        && Format::of(version).is_none()
    {
        return Err(unsupported(origin, version, Some(line)));
    }
    let document: Document = serde_saphyr::from_str_with_options(content, options(content.len()))
        .map_err(|error| {
        let line = error.location().map(|l| line_number(l.line()));
        let message = error.without_snippet().to_string();
        Error::new(origin, line, ErrorKind::Syntax(message))
    })?;
    let scanned_line = scanned.map(|(_, line)| line);
    let version = document.lockfile_version.as_deref().unwrap_or("(none)");
    let format = Format::of(version).ok_or_else(|| unsupported(origin, version, scanned_line))?;
    let packages = read_packages(origin, format, &document)?;
    if packages.is_empty() {
        return Err(Error::new(
            origin,
            None,
            ErrorKind::Empty { format: FORMAT },
        ));
    }
    Ok(Lockfile::new(Kind::PnpmLock, packages))
}

/// A `packages` entry that names a package.
struct Identified {
    name: String,
    version: String,
    source: Source,
    line: u32,
}

fn read_packages(origin: &str, format: Format, document: &Document) -> Result<Vec<Package>, Error> {
    let entries = Entries::of(document.packages.as_ref());
    let mut identified: Vec<Option<Identified>> = Vec::with_capacity(entries.len());
    for (key, body) in entries {
        let line = line_number(key.referenced.line());
        let (key_name, key_version) = key::parse_key(format, &key.value).map_err(|()| {
            let example = match format {
                Format::V5 => "/name/1.0.0",
                Format::V6 => "/name@1.0.0",
                Format::V9 => "name@1.0.0",
            };
            let expected = format!("a package key like {example}, not {:?}", key.value);
            Error::new(origin, Some(line), ErrorKind::Unexpected { expected })
        })?;
        let body = body.as_ref();
        let name = body.and_then(|b| b.name.as_deref()).or(key_name);
        let version = body.and_then(|b| b.version.as_deref()).or(key_version);
        let (Some(name), Some(version)) = (name, version) else {
            identified.push(None);
            continue;
        };
        let resolution = body.and_then(|b| b.resolution.as_ref());
        identified.push(Some(Identified {
            name: name.to_owned(),
            version: version.to_owned(),
            source: key::source(&key.value, resolution, key_version.is_some()),
            line,
        }));
    }
    let names: Vec<Option<&str>> = identified
        .iter()
        .map(|entry| entry.as_ref().map(|e| e.name.as_str()))
        .collect();
    let flags = relation::flags(format, document, &names);

    let mut packages: Vec<Package> = Vec::with_capacity(identified.len());
    let mut seen: HashMap<(&str, &str, &Source), usize> = HashMap::new();
    for (i, entry) in identified.iter().enumerate() {
        let Some(entry) = entry else { continue };
        let relation = match (flags.known, flags.direct[i], flags.ambiguous[i]) {
            (false, _, _) => Relation::Unknown,
            (true, true, _) => Relation::Direct,
            (true, false, true) => Relation::Unknown,
            (true, false, false) => Relation::Transitive,
        };
        let dev = flags.dev[i];
        let id = (entry.name.as_str(), entry.version.as_str(), &entry.source);
        if let Some(&at) = seen.get(&id) {
            let package = &mut packages[at];
            package.relation = merge(package.relation, relation);
            package.dev &= dev;
            continue;
        }
        seen.insert(id, packages.len());
        packages.push(Package {
            ecosystem: Kind::PnpmLock.ecosystem(),
            name: entry.name.clone(),
            version: entry.version.clone(),
            line: entry.line,
            relation,
            dev,
            source: entry.source.clone(),
        });
    }
    Ok(packages)
}

/// The relation of one package listed under several keys.
fn merge(a: Relation, b: Relation) -> Relation {
    match (a, b) {
        (Relation::Direct, _) | (_, Relation::Direct) => Relation::Direct,
        (Relation::Unknown, _) | (_, Relation::Unknown) => Relation::Unknown,
        (Relation::Transitive, Relation::Transitive) => Relation::Transitive,
    }
}

/// The value of the top-level `lockfileVersion:` line, unquoted, and its line.
fn scan_version(content: &str) -> Option<(&str, u32)> {
    yaml_lines(content).enumerate().find_map(|(index, line)| {
        let value = line.strip_prefix("lockfileVersion:")?;
        let value = value.split(" #").next().unwrap_or_default().trim();
        let value = value.trim_matches(|c| c == '\'' || c == '"');
        Some((value, line_number(index as u64 + 1)))
    })
}

/// Lines as YAML counts them: `\r\n`, `\n` and a lone `\r` each end one (as in the
/// positions serde-saphyr reports).
fn yaml_lines(content: &str) -> impl Iterator<Item = &str> {
    content
        .split('\n')
        .flat_map(|line| line.strip_suffix('\r').unwrap_or(line).split('\r'))
}

fn unsupported(origin: &str, version: &str, line: Option<u32>) -> Error {
    let kind = ErrorKind::UnsupportedVersion {
        format: FORMAT,
        version: version.to_owned(),
        supported: key::SUPPORTED,
    };
    Error::new(origin, line, kind)
}

fn line_number(line: u64) -> u32 {
    u32::try_from(line).unwrap_or(u32::MAX)
}

/// serde-saphyr's options: no comments or snippets kept, and budgets that grow with the input
/// (the defaults refuse real lockfiles of a few MB) while still bounding alias expansion.
fn options(length: usize) -> serde_saphyr::Options {
    let mut budget = serde_saphyr::Budget::default();
    budget.max_events = budget.max_events.max(length);
    budget.max_nodes = budget.max_nodes.max(length);
    let mut options = serde_saphyr::Options::default();
    options.budget = Some(budget);
    options.emit_comments = false;
    options.with_snippet = false;
    options
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn version_line_counts_every_yaml_line_break() {
        assert_eq!(
            scan_version("a: 1\r\rlockfileVersion: '6.0'\rb: 2"),
            Some(("6.0", 3))
        );
        assert_eq!(
            scan_version("a: 1\r\nlockfileVersion: 5.4 # x\n"),
            Some(("5.4", 2))
        );
        assert_eq!(scan_version("a:\n  lockfileVersion: 1\n"), None);
    }
}
