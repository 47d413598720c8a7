//! Lockfile readers: from `Cargo.lock`, `package-lock.json`, `yarn.lock`, `pnpm-lock.yaml`,
//! `mix.lock`, `requirements.txt`, `poetry.lock` and `uv.lock` to the list of packages a
//! project installs, each with its ecosystem, exact version, file and line, and whether it is
//! a direct, transitive or dev-only dependency where the lockfile says.
//!
//! [`parse`] is pure (a [`Kind`], a name for messages, the text); [`read`] reads a file with
//! a size limit, and [`discover()`] finds lockfiles under directories, honouring `.gitignore`.
//! A lockfile that cannot be parsed is an [`Error`] naming file, line and what was expected;
//! it is never an empty list. This crate knows nothing of advisories.

#![deny(missing_docs)]
#![forbid(unsafe_code)]

mod cargo;
mod discover;
mod error;
mod lines;
mod mix;
mod npm;
mod pnpm;
mod poetry;
mod requirements;
mod uv;
mod yarn;

use std::fmt;
use std::path::Path;

pub use discover::{Discovered, discover};
pub use error::{Error, ErrorKind};

/// Files larger than this are refused rather than read (the largest real lockfiles ward has
/// seen are a few MB).
pub const MAX_LOCKFILE_SIZE: u64 = 64 * 1024 * 1024;

/// The lockfile formats ward reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[non_exhaustive]
pub enum Kind {
    /// `Cargo.lock`, versions 1 to 4.
    CargoLock,
    /// `package-lock.json`, lockfileVersion 1, 2 and 3.
    PackageLockJson,
    /// `npm-shrinkwrap.json` (same format as `package-lock.json`).
    NpmShrinkwrap,
    /// `yarn.lock`, classic (v1) and berry (v2+).
    YarnLock,
    /// `pnpm-lock.yaml`, lockfileVersion 5.x to 9.
    PnpmLock,
    /// `mix.lock` (Elixir/Erlang, Hex packages).
    MixLock,
    /// `requirements.txt` and `*requirements*.txt`: pinned PyPI requirements.
    Requirements,
    /// `poetry.lock`.
    PoetryLock,
    /// `uv.lock`.
    UvLock,
}

impl Kind {
    /// Every kind, in the order they are documented.
    pub const ALL: [Kind; 9] = [
        Kind::CargoLock,
        Kind::PackageLockJson,
        Kind::NpmShrinkwrap,
        Kind::YarnLock,
        Kind::PnpmLock,
        Kind::MixLock,
        Kind::Requirements,
        Kind::PoetryLock,
        Kind::UvLock,
    ];

    /// The kind of a file, from its name alone; `None` if ward does not read it.
    pub fn detect(file_name: &str) -> Option<Kind> {
        Some(match file_name {
            "Cargo.lock" => Kind::CargoLock,
            "package-lock.json" => Kind::PackageLockJson,
            "npm-shrinkwrap.json" => Kind::NpmShrinkwrap,
            "yarn.lock" => Kind::YarnLock,
            "pnpm-lock.yaml" => Kind::PnpmLock,
            "mix.lock" => Kind::MixLock,
            "poetry.lock" => Kind::PoetryLock,
            "uv.lock" => Kind::UvLock,
            name if requirements::is_requirements_file(name) => Kind::Requirements,
            _ => return None,
        })
    }

    /// The OSV ecosystem of the packages this kind lists.
    pub fn ecosystem(self) -> &'static str {
        match self {
            Kind::CargoLock => "crates.io",
            Kind::PackageLockJson | Kind::NpmShrinkwrap | Kind::YarnLock | Kind::PnpmLock => "npm",
            Kind::MixLock => "Hex",
            Kind::Requirements | Kind::PoetryLock | Kind::UvLock => "PyPI",
        }
    }

    /// The usual file name (for messages).
    pub fn file_name(self) -> &'static str {
        match self {
            Kind::CargoLock => "Cargo.lock",
            Kind::PackageLockJson => "package-lock.json",
            Kind::NpmShrinkwrap => "npm-shrinkwrap.json",
            Kind::YarnLock => "yarn.lock",
            Kind::PnpmLock => "pnpm-lock.yaml",
            Kind::MixLock => "mix.lock",
            Kind::Requirements => "requirements.txt",
            Kind::PoetryLock => "poetry.lock",
            Kind::UvLock => "uv.lock",
        }
    }
}

impl fmt::Display for Kind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.file_name())
    }
}

/// What a lockfile says is installed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Lockfile {
    /// The format.
    pub kind: Kind,
    /// Packages in the order the file lists them.
    pub packages: Vec<Package>,
    /// Requirements without an exact version (requirements.txt only): reported, never
    /// guessed.
    pub unpinned: Vec<Unpinned>,
    /// Other files this one includes (requirements.txt `-r`/`-c` only), in file order.
    pub includes: Vec<Include>,
}

/// A requirements file named by another with `-r`/`--requirement` or `-c`/`--constraint`.
///
/// [`parse`] records the reference; [`read`] also reads the file, relative to the including
/// file's directory. Each file is read once per [`read`] call: a second reference to a file
/// already read (a cycle, or a diamond) keeps `lockfile: None`, as do URLs, which ward never
/// fetches.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Include {
    /// The path (or URL) as written.
    pub path: String,
    /// 1-based line of the `-r`/`-c` option.
    pub line: u32,
    /// `-c`: a constraints file, whose pins apply only to packages required elsewhere; pip
    /// installs nothing because of a constraint alone.
    pub constraint: bool,
    /// Filled by [`read`]: the file as opened and what it lists.
    pub lockfile: Option<Box<Included>>,
}

/// An included requirements file, as [`read`] found it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Included {
    /// The path that was opened: the including file's directory joined with [`Include::path`].
    pub path: std::path::PathBuf,
    /// What the file lists (and its own includes).
    pub lockfile: Lockfile,
}

impl Lockfile {
    /// A lockfile of `kind` listing `packages`, with no unpinned requirement or include.
    pub fn new(kind: Kind, packages: Vec<Package>) -> Self {
        Lockfile {
            kind,
            packages,
            unpinned: Vec::new(),
            includes: Vec::new(),
        }
    }
}

/// One installed package.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Package {
    /// The OSV ecosystem (`npm`, `crates.io`, `PyPI`, `Hex`).
    pub ecosystem: &'static str,
    /// The name as the lockfile writes it (`@types/node`, `Django`).
    pub name: String,
    /// The exact version.
    pub version: String,
    /// 1-based line of the package's entry in the file.
    pub line: u32,
    /// Direct, transitive, or not said by this format.
    pub relation: Relation,
    /// True when the lockfile says the package is needed only for development.
    pub dev: bool,
    /// Where it comes from; only registry packages have advisories by name and version.
    pub source: Source,
}

/// Whether the project depends on a package itself.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Relation {
    /// Listed by the project's own manifest.
    Direct,
    /// Pulled in by another package.
    Transitive,
    /// The format does not say.
    Unknown,
}

/// Where a package comes from.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Source {
    /// The ecosystem's registry (or a mirror of it).
    Registry,
    /// A git repository, with the commit when the lockfile pins one.
    Git {
        /// The repository URL.
        url: String,
        /// The pinned commit.
        rev: Option<String>,
    },
    /// A local path, a workspace member or the project itself.
    Local,
    /// Anything else (a tarball URL, a patch).
    Other(String),
}

/// A requirement that does not pin one version (`requests>=2.0`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unpinned {
    /// The package name.
    pub name: String,
    /// The requirement as written.
    pub requirement: String,
    /// 1-based line.
    pub line: u32,
}

/// Parses `content` as a lockfile of `kind`; `origin` (usually the path) names it in errors.
///
/// # Errors
///
/// When the text is not of the format, or yields no packages where the format cannot be
/// empty; the error names `origin`, the line and what was expected.
///
/// # Example
///
/// ```
/// use ward_lockfile::{Kind, Relation, Source};
///
/// let lock = r#"version = 4
///
/// [[package]]
/// name = "app"
/// version = "0.1.0"
/// dependencies = ["log"]
///
/// [[package]]
/// name = "log"
/// version = "0.4.22"
/// source = "registry+https://github.com/rust-lang/crates.io-index"
/// "#;
/// let lockfile = ward_lockfile::parse(Kind::CargoLock, "Cargo.lock", lock)?;
/// let log = &lockfile.packages[1];
/// assert_eq!((log.name.as_str(), log.version.as_str(), log.line), ("log", "0.4.22", 8));
/// assert_eq!((log.relation, &log.source), (Relation::Direct, &Source::Registry));
/// # Ok::<(), ward_lockfile::Error>(())
/// ```
pub fn parse(kind: Kind, origin: &str, content: &str) -> Result<Lockfile, Error> {
    let lockfile = match kind {
        Kind::CargoLock => cargo::parse(origin, content)?,
        Kind::PackageLockJson | Kind::NpmShrinkwrap => npm::parse(kind, origin, content)?,
        Kind::YarnLock => yarn::parse(origin, content)?,
        Kind::PnpmLock => pnpm::parse(origin, content)?,
        Kind::MixLock => mix::parse(origin, content)?,
        Kind::Requirements => requirements::parse(origin, content)?,
        Kind::PoetryLock => poetry::parse(origin, content)?,
        Kind::UvLock => uv::parse(origin, content)?,
    };
    Ok(lockfile)
}

/// Reads and parses the lockfile at `path`, refusing files over [`MAX_LOCKFILE_SIZE`]. For
/// `requirements.txt`, `-r`/`-c` includes are followed (relative to the file, once each).
///
/// # Errors
///
/// When the file cannot be read, is too large, or does not parse.
pub fn read(kind: Kind, path: &Path) -> Result<Lockfile, Error> {
    discover::read(kind, path)
}
