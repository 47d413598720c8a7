//! The OSV record, field for field (schema 1.7.x).
//!
//! Unknown fields are kept in `database_specific` / `ecosystem_specific` only where the schema
//! puts them; a field the schema does not define at the top level is ignored on import, as
//! OSV consumers must (schema.md, "Extensions").
//!
//! Traps:
//! - **`null` lists.** The schema allows `"aliases": null`, `"affected": null`,
//!   `"references": null` and `"severity": null`; they read as empty lists.
//! - **Timestamps are strings.** YAML loaders turn `modified: 2021-06-22T04:54:55Z` into a
//!   date; here every timestamp is kept as written and checked by [`Vulnerability::validate`].
//! - **What is valid** is decided in `validate.rs`, not by deserialization: a record that
//!   deserializes may still be refused, and one the strict schema rejects may still be imported
//!   with warnings.

use serde::{Deserialize, Deserializer, Serialize};
use serde_json::Value;

pub use ward_version::osv::{Event, OsvRange as EvalRange, RangeType};

/// One OSV record: a vulnerability, or an informational advisory (RustSec's `unmaintained`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Vulnerability {
    /// The schema version the record claims, e.g. `1.7.0`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub schema_version: Option<String>,
    /// The record's id, `<PREFIX>-<rest>` (`GHSA-xxxx-xxxx-xxxx`, `RUSTSEC-2024-0001`).
    pub id: String,
    /// When the record last changed (RFC 3339, UTC).
    pub modified: String,
    /// When the record was first published.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub published: Option<String>,
    /// When the record was withdrawn; a withdrawn record matches nothing.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub withdrawn: Option<String>,
    /// Other ids of the same vulnerability (CVE, GHSA, ...).
    #[serde(
        default,
        deserialize_with = "null_as_empty",
        skip_serializing_if = "Vec::is_empty"
    )]
    pub aliases: Vec<String>,
    /// Ids of records this one derives from.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub upstream: Vec<String>,
    /// Ids of related but distinct vulnerabilities.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub related: Vec<String>,
    /// One line.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub summary: Option<String>,
    /// Markdown.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub details: Option<String>,
    /// Severity scores of the whole record.
    #[serde(
        default,
        deserialize_with = "null_as_empty",
        skip_serializing_if = "Vec::is_empty"
    )]
    pub severity: Vec<Severity>,
    /// The packages and versions affected.
    #[serde(
        default,
        deserialize_with = "null_as_empty",
        skip_serializing_if = "Vec::is_empty"
    )]
    pub affected: Vec<Affected>,
    /// Links.
    #[serde(
        default,
        deserialize_with = "null_as_empty",
        skip_serializing_if = "Vec::is_empty"
    )]
    pub references: Vec<Reference>,
    /// Who found, reported or fixed it.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub credits: Vec<Credit>,
    /// Whatever the database adds (GHSA's `severity`, RustSec's `informational`, ...).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub database_specific: Option<Value>,
}

/// A severity score: `{"type": "CVSS_V3", "score": "CVSS:3.1/AV:N/..."}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Severity {
    /// `CVSS_V2`, `CVSS_V3`, `CVSS_V4`, `Ubuntu`.
    #[serde(rename = "type")]
    pub kind: String,
    /// The vector or rating.
    pub score: String,
}

/// One `affected[]` entry: a package and the versions of it that are affected.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Affected {
    /// The package (absent only in records about something other than a package).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub package: Option<Package>,
    /// Severity of this package's entry, when it differs per package.
    #[serde(
        default,
        deserialize_with = "null_as_empty",
        skip_serializing_if = "Vec::is_empty"
    )]
    pub severity: Vec<Severity>,
    /// Version ranges.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub ranges: Vec<Range>,
    /// Versions listed one by one.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub versions: Vec<String>,
    /// Ecosystem data (Go's `imports` symbols, RustSec's `affects`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ecosystem_specific: Option<Value>,
    /// Database data (GHSA's `last_known_affected_version_range`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub database_specific: Option<Value>,
}

/// `affected[].package`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Package {
    /// The OSV ecosystem name (`crates.io`, `PyPI`, `Debian:12`).
    pub ecosystem: String,
    /// The package name as the ecosystem writes it.
    pub name: String,
    /// A package URL.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub purl: Option<String>,
}

/// One `affected[].ranges[]` entry.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Range {
    /// `SEMVER`, `ECOSYSTEM` or `GIT`.
    #[serde(rename = "type")]
    pub kind: RangeType,
    /// The repository of a `GIT` range.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub repo: Option<String>,
    /// The events, in any order.
    pub events: Vec<Event>,
    /// Database data about this range.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub database_specific: Option<Value>,
}

/// A link: `{"type": "ADVISORY", "url": "https://..."}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Reference {
    /// `ADVISORY`, `ARTICLE`, `DETECTION`, `DISCUSSION`, `REPORT`, `FIX`, `INTRODUCED`,
    /// `GIT`, `PACKAGE`, `EVIDENCE`, `WEB`.
    #[serde(rename = "type")]
    pub kind: String,
    /// The URL.
    pub url: String,
}

/// A credit: who and what they did.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Credit {
    /// Name or handle.
    pub name: String,
    /// Ways to reach them.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub contact: Vec<String>,
    /// `FINDER`, `REPORTER`, `ANALYST`, `COORDINATOR`, `REMEDIATION_DEVELOPER`, ...
    #[serde(rename = "type", default, skip_serializing_if = "Option::is_none")]
    pub kind: Option<String>,
}

impl Range {
    /// The range as `ward-version` evaluates it.
    pub fn to_eval(&self) -> EvalRange {
        EvalRange {
            kind: self.kind.clone(),
            repo: self.repo.clone(),
            events: self.events.clone(),
        }
    }
}

/// Reads a list the schema allows to be `null` (`"aliases": null`) as an empty list.
fn null_as_empty<'de, D, T>(deserializer: D) -> Result<Vec<T>, D::Error>
where
    D: Deserializer<'de>,
    T: Deserialize<'de>,
{
    Ok(Option::<Vec<T>>::deserialize(deserializer)?.unwrap_or_default())
}
