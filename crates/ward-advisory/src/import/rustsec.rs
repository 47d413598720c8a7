//! RustSec advisories (skeleton).

use crate::{ErrorKind, Vulnerability};

pub(super) fn parse(_text: &str) -> Result<Vulnerability, ErrorKind> {
    Err(ErrorKind::NotARecord {
        reason: "RustSec import is not implemented yet".into(),
    })
}
