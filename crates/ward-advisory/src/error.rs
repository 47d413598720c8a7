//! Why a record was refused.

use std::fmt;

/// A record that could not be read or did not validate, with where it came from.
#[derive(Debug, thiserror::Error)]
#[error("{origin}: {kind}")]
pub struct Error {
    /// The file (or `archive.zip!inner/path.json`) the record came from.
    pub origin: String,
    /// What was wrong.
    #[source]
    pub kind: ErrorKind,
}

impl Error {
    /// Whether the file was not an advisory at all ([`ErrorKind::NotARecord`]), as opposed to
    /// a broken one.
    pub fn is_not_a_record(&self) -> bool {
        matches!(self.kind, ErrorKind::NotARecord { .. })
    }

    /// Whether an importer should report the file as skipped rather than failed: not an
    /// advisory ([`ErrorKind::NotARecord`]) or one ward leaves out on purpose
    /// ([`ErrorKind::Unsupported`]).
    pub fn is_skip(&self) -> bool {
        matches!(
            self.kind,
            ErrorKind::NotARecord { .. } | ErrorKind::Unsupported { .. }
        )
    }

    /// An error about the record read from `origin`.
    pub fn new(origin: impl fmt::Display, kind: ErrorKind) -> Self {
        Error {
            origin: origin.to_string(),
            kind,
        }
    }
}

/// What was wrong with a record.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ErrorKind {
    /// Not well-formed JSON, or JSON of the wrong shape.
    #[error("line {line}, column {column}: {message}")]
    Json {
        /// 1-based line.
        line: usize,
        /// 1-based column.
        column: usize,
        /// What serde_json said.
        message: String,
    },
    /// Not well-formed YAML or TOML, or of the wrong shape.
    #[error("{}{message}", line.map(|l| format!("line {l}: ")).unwrap_or_default())]
    Syntax {
        /// 1-based line, when known.
        line: Option<usize>,
        /// What the parser said.
        message: String,
    },
    /// Well-formed, but breaks a rule of the format.
    #[error("invalid {field}: {reason}")]
    Invalid {
        /// The field, as a path (`affected[0].ranges[1].events`).
        field: String,
        /// What was expected.
        reason: String,
    },
    /// The file is not an advisory of the format at all (a GitHub GraphQL advisory or a CSAF
    /// document among OSV records): an importer reports it as skipped, not as a failure.
    #[error("{reason}")]
    NotARecord {
        /// What the file looks like instead.
        reason: String,
    },
    /// An advisory of a kind ward does not import (RustSec's advisories about the Rust
    /// toolchain itself, `rust/std/CVE-*.md`): reported as skipped, with why.
    #[error("{reason}")]
    Unsupported {
        /// Why ward leaves it out.
        reason: String,
    },
    /// The record is larger than ward reads.
    #[error("record is {size} bytes; the limit is {limit}")]
    TooLarge {
        /// The record's size.
        size: usize,
        /// The limit.
        limit: usize,
    },
}
