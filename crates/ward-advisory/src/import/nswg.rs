//! Node.js security-wg advisories (skeleton).

use crate::{ErrorKind, Vulnerability};

pub(super) fn parse_npm(_bytes: &[u8]) -> Result<Vulnerability, ErrorKind> {
    Err(ErrorKind::NotARecord {
        reason: "not implemented yet".into(),
    })
}

pub(super) fn parse_core(_bytes: &[u8]) -> Result<Vulnerability, ErrorKind> {
    Err(ErrorKind::NotARecord {
        reason: "not implemented yet".into(),
    })
}
