//! TODO(helper): the npm reader.

use crate::{Error, ErrorKind, Lockfile};

pub(crate) fn parse(_kind: crate::Kind, origin: &str, _content: &str) -> Result<Lockfile, Error> {
    Err(Error::new(
        origin,
        None,
        ErrorKind::Syntax("not implemented yet".into()),
    ))
}
