//! Recognising a file's advisory format from its path, and parsing it.
//!
//! [`detect`] looks at the path only (the importer of a directory or archive calls it for every
//! file); [`parse`] reads one record. Every format ends as a [`Vulnerability`] that passed
//! [`Vulnerability::validate`].
//!
//! Traps:
//! - **Not every `.json` is an OSV record.** Databases keep indexes (`index.json`), schemas,
//!   `package.json`, CSAF documents (`*.csaf.json`), GitHub's GraphQL advisories (the
//!   `ghsa-to-osv` test inputs) and CVE JSON 5 records (`cve5/CVE-*.json`) next to their
//!   records. [`detect`] leaves out the names it knows; a JSON object that still turns out to
//!   have neither `id` nor `modified` is [`ErrorKind::NotARecord`], which an importer reports
//!   as skipped rather than failed. CVE JSON 5 import is a separate format, not done yet.
//! - **Not every `.yaml` is OSV either**: the Go database's `data/reports/GO-*.yaml` are Go's
//!   own report format (the OSV is in `data/osv/`), PyPA's `triage/` holds lists.
//! - **Size.** A record larger than [`MAX_RECORD_LEN`] is refused before parsing: the largest
//!   real records (Linux kernel CVEs with thousands of versions) are under 1 MiB.
//! - **JSON errors** carry the line and column serde_json reports; YAML errors the line.
//! - **YAML timestamps** stay strings (the model's fields are strings; serde-saphyr does not
//!   resolve YAML 1.1 timestamps), so `modified` round-trips exactly.

use serde::de::IgnoredAny;

use crate::{Error, ErrorKind, Vulnerability};

mod nswg;
mod rustsec;

/// The largest record ward parses: 4 MiB.
pub const MAX_RECORD_LEN: usize = 4 << 20;

/// The advisory formats ward imports.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Format {
    /// One OSV record as JSON.
    OsvJson,
    /// One OSV record as YAML (PyPA's advisory-database).
    OsvYaml,
    /// A RustSec advisory: Markdown with a ```` ```toml ```` front matter block.
    RustSec,
    /// A Node.js security-wg `vuln/npm/<n>.json` advisory.
    NswgNpm,
    /// A Node.js security-wg `vuln/core/<n>.json` advisory.
    NswgCore,
}

/// The format of the file at `path` (a path inside a directory or archive, `/`-separated),
/// or `None` when it is not an advisory (a README, `index.json`, a schema).
///
/// | path | format |
/// |---|---|
/// | `.../vuln/npm/<n>.json`, `.../vuln/core/<n>.json` | [`Format::NswgNpm`], [`Format::NswgCore`] |
/// | `.../crates/<crate>/RUSTSEC-*.md`, `.../rust/<component>/{CVE,RUSTSEC}-*.md` | [`Format::RustSec`] |
/// | other `*.json` | [`Format::OsvJson`], except `index.json`, `package.json`, `package-lock.json`, `ecosystems.json`, `*schema*.json`, `*.csaf.json`, anything under `cve5/`, `vuln/` (other than the two above) or a hidden directory |
/// | `*.yaml`, `*.yml` | [`Format::OsvYaml`], except under `triage/`, Go's `data/reports/` or a hidden directory |
pub fn detect(path: &str) -> Option<Format> {
    let path = path.trim_start_matches("./");
    let segments: Vec<&str> = path.split(['/', '\\']).filter(|s| !s.is_empty()).collect();
    let (&file, dirs) = segments.split_last()?;
    if dirs.iter().chain([&file]).any(|s| s.starts_with('.')) {
        return None;
    }
    let parent = dirs.last().copied();
    let grandparent = dirs.len().checked_sub(2).and_then(|i| dirs.get(i)).copied();
    let lower = file.to_ascii_lowercase();

    if let Some(stem) = lower.strip_suffix(".json") {
        if grandparent == Some("vuln") {
            let numbered = !stem.is_empty() && stem.bytes().all(|b| b.is_ascii_digit());
            return match parent {
                Some("npm") if numbered => Some(Format::NswgNpm),
                Some("core") if numbered => Some(Format::NswgCore),
                _ => None,
            };
        }
        let not_records = ["index", "package", "package-lock", "ecosystems"];
        if not_records.contains(&stem)
            || stem.contains("schema")
            || stem.ends_with(".csaf")
            || dirs.contains(&"cve5")
        {
            return None;
        }
        return Some(Format::OsvJson);
    }
    if lower.ends_with(".yaml") || lower.ends_with(".yml") {
        let go_reports = dirs.windows(2).any(|w| w == ["data", "reports"]);
        if go_reports || dirs.contains(&"triage") {
            return None;
        }
        return Some(Format::OsvYaml);
    }
    if let Some(stem) = file.strip_suffix(".md") {
        let rustsec = match grandparent {
            Some("crates") => stem.starts_with("RUSTSEC-"),
            Some("rust") => stem.starts_with("CVE-") || stem.starts_with("RUSTSEC-"),
            _ => false,
        };
        return rustsec.then_some(Format::RustSec);
    }
    None
}

/// Parses one record of `format`; `origin` names it in errors.
///
/// # Errors
///
/// When the bytes are not a well-formed, valid record of the format; a file that is not an
/// advisory at all is [`ErrorKind::NotARecord`].
pub fn parse(format: Format, origin: &str, bytes: &[u8]) -> Result<Vulnerability, Error> {
    parse_kind(format, origin, bytes).map_err(|kind| Error::new(origin, kind))
}

fn parse_kind(format: Format, origin: &str, bytes: &[u8]) -> Result<Vulnerability, ErrorKind> {
    if bytes.len() > MAX_RECORD_LEN {
        return Err(ErrorKind::TooLarge {
            size: bytes.len(),
            limit: MAX_RECORD_LEN,
        });
    }
    let record = match format {
        Format::OsvJson => osv_json(bytes)?,
        Format::OsvYaml => osv_yaml(bytes)?,
        Format::RustSec => rustsec::parse(text(bytes)?)?,
        Format::NswgNpm => nswg::parse_npm(bytes)?,
        Format::NswgCore => nswg::parse_core(origin, bytes)?,
    };
    record.validate()?;
    Ok(record)
}

fn text(bytes: &[u8]) -> Result<&str, ErrorKind> {
    std::str::from_utf8(bytes).map_err(|e| ErrorKind::Syntax {
        line: Some(
            bytes
                .get(..e.valid_up_to())
                .unwrap_or(bytes)
                .iter()
                .filter(|b| **b == b'\n')
                .count()
                + 1,
        ),
        message: format!("not UTF-8: {e}"),
    })
}

/// What every OSV record has; a JSON or YAML object without it is some other document.
#[derive(serde::Deserialize)]
struct Probe {
    id: Option<IgnoredAny>,
    modified: Option<IgnoredAny>,
}

const NOT_OSV: &str = "not an OSV record: an object with neither \"id\" nor \"modified\"";

fn osv_json(bytes: &[u8]) -> Result<Vulnerability, ErrorKind> {
    match serde_json::from_slice::<Vulnerability>(bytes) {
        Ok(record) => Ok(record),
        Err(e) => {
            if let Ok(Probe {
                id: None,
                modified: None,
            }) = serde_json::from_slice(bytes)
            {
                return Err(ErrorKind::NotARecord {
                    reason: NOT_OSV.into(),
                });
            }
            Err(json_error(&e))
        }
    }
}

pub(crate) fn json_error(e: &serde_json::Error) -> ErrorKind {
    ErrorKind::Json {
        line: e.line(),
        column: e.column(),
        message: e.to_string(),
    }
}

fn osv_yaml(bytes: &[u8]) -> Result<Vulnerability, ErrorKind> {
    match serde_saphyr::from_slice::<Vulnerability>(bytes) {
        Ok(record) => Ok(record),
        Err(e) => {
            if let Ok(Probe {
                id: None,
                modified: None,
            }) = serde_saphyr::from_slice(bytes)
            {
                return Err(ErrorKind::NotARecord {
                    reason: NOT_OSV.into(),
                });
            }
            Err(ErrorKind::Syntax {
                line: e.location().and_then(|l| usize::try_from(l.line()).ok()),
                message: e.to_string(),
            })
        }
    }
}

#[cfg(test)]
mod tests;
