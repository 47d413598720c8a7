//! Why a lockfile could not be read.

/// A lockfile that could not be read: which file, which line, what was expected.
#[derive(Debug, thiserror::Error)]
#[error("{file}{}: {kind}", line.map(|l| format!(":{l}")).unwrap_or_default())]
pub struct Error {
    /// The file, as given.
    pub file: String,
    /// 1-based line, when known.
    pub line: Option<u32>,
    /// What was wrong.
    #[source]
    pub kind: ErrorKind,
}

impl Error {
    /// An error in `file` at `line`.
    pub fn new(file: &str, line: Option<u32>, kind: ErrorKind) -> Self {
        Error {
            file: file.to_owned(),
            line,
            kind,
        }
    }
}

/// What was wrong with a lockfile.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ErrorKind {
    /// The file could not be read.
    #[error("cannot read: {0}")]
    Io(#[source] std::io::Error),
    /// The file is over the size limit.
    #[error("{size} bytes is over the {limit}-byte limit for lockfiles")]
    TooLarge {
        /// The file's size.
        size: u64,
        /// The limit.
        limit: u64,
    },
    /// Not well-formed (JSON, TOML, YAML, the yarn or mix syntax).
    #[error("{0}")]
    Syntax(String),
    /// Well-formed but not what the format says: `expected` names what should be there.
    #[error("expected {expected}")]
    Unexpected {
        /// What was expected, in words (`a "version" string`).
        expected: String,
    },
    /// A lockfile version ward does not read (yet), e.g. pnpm's lockfileVersion 11.
    #[error("unsupported {format} version {version}; ward reads {supported}")]
    UnsupportedVersion {
        /// The format.
        format: &'static str,
        /// The version found.
        version: String,
        /// The versions ward reads.
        supported: &'static str,
    },
    /// A file this one includes (requirements.txt `-r`/`-c`) could not be read.
    #[error("cannot read the included file {path}")]
    Include {
        /// The included file, as opened.
        path: String,
        /// Why.
        #[source]
        source: Box<Error>,
    },
    /// The file parsed but lists no package, which this format cannot mean.
    #[error("no packages found; a {format} that lists none is not a lockfile ward can trust")]
    Empty {
        /// The format.
        format: &'static str,
    },
}
