//! `poetry.lock`, lock-version 1.x and 2.x.
//!
//! Traps:
//! - **Dev.** Poetry before 1.5 wrote `category = "dev"`; Poetry 2 writes `groups = [...]`;
//!   the lock-version 2.0 files in between say neither. A package is dev when its category is
//!   `dev`, or when it has groups and `main` is not one of them (any other group, `dev`,
//!   `test`, `docs`, is for development). Otherwise it is not: not said means not dev.
//! - **Relations.** The lockfile does not list the project's own dependencies (they are in
//!   `pyproject.toml`): [`Relation::Unknown`].
//! - **Sources.** `[package.source]` `type = "git"` is [`Source::Git`] (commit from
//!   `resolved_reference`, else `reference`); `url` is [`Source::Other`]; `directory` and
//!   `file` are local; `legacy` (a private or mirror index) and no source at all are
//!   [`Source::Registry`].
//! - **Empty.** `package = []` (a project without dependencies) and an empty file are both
//!   [`ErrorKind::Empty`]: nothing was read, so nothing can be said to be safe.
//! - A `lock-version` with a major version other than 1 or 2 is refused.
//! - **Lines** are those of the `[[package]]` header.

use serde::Deserialize;
use toml::Spanned;

use crate::lines::{LineIndex, toml_error, unexpected};
use crate::{Error, ErrorKind, Kind, Lockfile, Package, Relation, Source};

#[derive(Deserialize)]
struct RawLock {
    #[serde(default)]
    package: Vec<Spanned<RawPackage>>,
    metadata: Option<Metadata>,
}

#[derive(Deserialize)]
struct Metadata {
    #[serde(rename = "lock-version")]
    lock_version: Option<Spanned<String>>,
}

#[derive(Deserialize)]
struct RawPackage {
    name: String,
    version: String,
    category: Option<String>,
    groups: Option<Vec<String>>,
    source: Option<RawSource>,
}

#[derive(Deserialize)]
struct RawSource {
    #[serde(rename = "type")]
    kind: String,
    url: Option<String>,
    reference: Option<String>,
    resolved_reference: Option<String>,
}

pub(crate) fn parse(origin: &str, content: &str) -> Result<Lockfile, Error> {
    let raw: RawLock = toml::from_str(content).map_err(|e| toml_error(origin, content, &e))?;
    let index = LineIndex::new(content);
    if let Some(version) = raw.metadata.and_then(|m| m.lock_version) {
        let major = version.get_ref().split('.').next().unwrap_or_default();
        if !matches!(major, "1" | "2") {
            return Err(Error::new(
                origin,
                Some(index.line(version.span().start)),
                ErrorKind::UnsupportedVersion {
                    format: "poetry.lock",
                    version: version.get_ref().clone(),
                    supported: "lock-version 1.x and 2.x",
                },
            ));
        }
    }
    if raw.package.is_empty() {
        return Err(Error::new(
            origin,
            None,
            ErrorKind::Empty {
                format: "poetry.lock",
            },
        ));
    }
    let mut packages = Vec::with_capacity(raw.package.len());
    for spanned in raw.package {
        let line = index.line(spanned.span().start);
        let raw = spanned.into_inner();
        if raw.name.is_empty() || raw.version.is_empty() {
            return Err(unexpected(
                origin,
                Some(line),
                "a non-empty \"name\" and \"version\"",
            ));
        }
        let dev = raw.category.as_deref() == Some("dev")
            || raw
                .groups
                .as_ref()
                .is_some_and(|g| !g.is_empty() && !g.iter().any(|g| g == "main"));
        packages.push(Package {
            ecosystem: Kind::PoetryLock.ecosystem(),
            name: raw.name,
            version: raw.version,
            line,
            relation: Relation::Unknown,
            dev,
            source: raw.source.map_or(Source::Registry, source),
        });
    }
    Ok(Lockfile::new(Kind::PoetryLock, packages))
}

fn source(raw: RawSource) -> Source {
    match raw.kind.as_str() {
        "git" => Source::Git {
            url: raw.url.unwrap_or_default(),
            rev: raw.resolved_reference.or(raw.reference),
        },
        "directory" | "file" => Source::Local,
        "url" => Source::Other(raw.url.unwrap_or(raw.kind)),
        _ => Source::Registry,
    }
}
