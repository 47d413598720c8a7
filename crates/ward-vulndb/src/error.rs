//! What can go wrong opening, importing into, syncing or querying the database.
//!
//! A record that fails validation is *not* an error: imports report it and go on. These are
//! the failures that stop an operation as a whole, and roll back whatever it had written.

use std::io;
use std::path::PathBuf;

/// A failure of a whole database operation. Each variant names the file, URL or archive
/// member concerned.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The database file could not be opened or created.
    #[error("opening the database {}", path.display())]
    Open {
        /// The database file.
        path: PathBuf,
        /// What SQLite said.
        #[source]
        source: rusqlite::Error,
    },
    /// `open_existing` found no database.
    #[error(
        "no vulnerability database at {}; create one with `ward db import <PATH>` or `ward db sync`",
        path.display()
    )]
    Missing {
        /// The database file that does not exist.
        path: PathBuf,
    },
    /// The file was written by a newer ward whose schema this one does not know.
    #[error(
        "the database {} has schema version {found}; this ward knows versions up to {supported}: upgrade ward",
        path.display()
    )]
    NewerSchema {
        /// The database file.
        path: PathBuf,
        /// `PRAGMA user_version` found.
        found: i64,
        /// The newest version this ward can read.
        supported: i64,
    },
    /// A statement failed.
    #[error("database error while {doing}")]
    Sqlite {
        /// What was being done (`storing RUSTSEC-2024-0001`).
        doing: String,
        /// What SQLite said.
        #[source]
        source: rusqlite::Error,
    },
    /// A stored value that ward wrote no longer reads back (the file was edited or damaged).
    #[error("the database is damaged: {what}")]
    Corrupt {
        /// What did not read back, and why.
        what: String,
    },
    /// A file or directory could not be read, or a temporary file written.
    #[error("{}: {action}", path.display())]
    Io {
        /// The file or directory.
        path: PathBuf,
        /// `reading`, `listing`, `writing`...
        action: &'static str,
        /// The cause.
        #[source]
        source: io::Error,
    },
    /// A zip or tar archive is malformed.
    #[error("{origin}: not a readable {format} archive")]
    Archive {
        /// The archive, or `archive!member`.
        origin: String,
        /// `zip` or `tar.zst`.
        format: &'static str,
        /// What the archive reader said.
        #[source]
        source: Box<dyn std::error::Error + Send + Sync + 'static>,
    },
    /// Input larger than ward reads: an archive whose members add up past the limit (a zip
    /// bomb), one with too many members, or a download past its limit.
    #[error("{origin}: {what} is {size}; the limit is {limit}")]
    TooLarge {
        /// The archive, file or URL.
        origin: String,
        /// `the uncompressed size`, `the number of members`, `the download`.
        what: &'static str,
        /// The size found (at least; reading stops past the limit).
        size: u64,
        /// The limit.
        limit: u64,
    },
    /// A path given to import is neither an advisory file, a directory nor an archive.
    #[error(
        "{}: not an advisory file (.json, .yaml, RustSec .md), a directory, a .zip or a .tar.zst",
        path.display()
    )]
    UnsupportedInput {
        /// The path.
        path: PathBuf,
    },
    /// A source URL ward refuses to fetch.
    #[error("{url}: {reason}")]
    BadUrl {
        /// The URL.
        url: String,
        /// Why (`plain http is allowed only for 127.0.0.1 and localhost, or with allow_http`).
        reason: String,
    },
    /// The server answered with a status ward cannot use.
    #[error("GET {url}: the server answered {status}")]
    HttpStatus {
        /// The URL.
        url: String,
        /// The HTTP status code.
        status: u16,
    },
    /// The request failed before an answer: DNS, TLS, connection, timeout.
    #[error("GET {url}")]
    Http {
        /// The URL.
        url: String,
        /// What ureq said.
        #[source]
        source: Box<ureq::Error>,
    },
    /// A `modified_id.csv` line or a `.git` file that does not read as expected.
    #[error("{origin}: {reason}")]
    Malformed {
        /// The URL or file, with the line where known (`.../modified_id.csv line 3`).
        origin: String,
        /// What was expected.
        reason: String,
    },
    /// An ecosystem name in a query or a source filter that is not one.
    #[error(
        "invalid ecosystem {0:?}: expected an OSV ecosystem name such as npm, PyPI or crates.io"
    )]
    InvalidEcosystem(String),
}

impl Error {
    /// A [`Error::Sqlite`] saying what was being done.
    pub(crate) fn sql(doing: impl Into<String>) -> impl FnOnce(rusqlite::Error) -> Error {
        let doing = doing.into();
        move |source| Error::Sqlite { doing, source }
    }

    /// An [`Error::Io`] about `path`.
    pub(crate) fn io(
        path: impl Into<PathBuf>,
        action: &'static str,
    ) -> impl FnOnce(io::Error) -> Error {
        let path = path.into();
        move |source| Error::Io {
            path,
            action,
            source,
        }
    }
}
