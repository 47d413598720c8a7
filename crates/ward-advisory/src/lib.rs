//! Security advisories: the model, with the [OSV schema](https://ossf.github.io/osv-schema/)
//! (1.7) as its canonical form, and the importers that turn other formats into it.
//!
//! This crate owns what an advisory *is*: [`Vulnerability`] mirrors an OSV record field for
//! field, validation says which records ward refuses and why, and each importer (OSV JSON and
//! YAML, RustSec Markdown + TOML, the Node.js security working group's legacy JSON) turns
//! bytes into records. It is pure: it takes `&str`/`&[u8]` and a name for error messages, and
//! never touches files, sockets, clocks or async. Walking directories, reading archives and
//! storing records is `ward-vulndb`'s job.

#![deny(missing_docs)]
#![forbid(unsafe_code)]

mod error;
pub mod import;
pub mod name;
pub mod osv;
pub mod severity;

pub use error::{Error, ErrorKind};
pub use import::Format;
pub use osv::Vulnerability;
