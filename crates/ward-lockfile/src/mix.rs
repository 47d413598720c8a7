//! TODO(helper): the mix reader.

use crate::{Error, ErrorKind, Lockfile};

pub(crate) fn parse(origin: &str, _content: &str) -> Result<Lockfile, Error> {
    Err(Error::new(
        origin,
        None,
        ErrorKind::Syntax("not implemented yet".into()),
    ))
}
