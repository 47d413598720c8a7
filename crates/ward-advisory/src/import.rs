//! Recognising a file's advisory format from its path, and parsing it. (Skeleton: the
//! advisory helper implements each format.)

use crate::{Error, ErrorKind, Vulnerability};

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
pub fn detect(path: &str) -> Option<Format> {
    let _ = path;
    None
}

/// Parses one record of `format`; `origin` names it in errors.
///
/// # Errors
///
/// When the bytes are not a well-formed, valid record of the format.
pub fn parse(format: Format, origin: &str, bytes: &[u8]) -> Result<Vulnerability, Error> {
    let _ = (format, bytes);
    Err(Error::new(
        origin,
        ErrorKind::Invalid {
            field: "record".into(),
            reason: "not implemented yet".into(),
        },
    ))
}
