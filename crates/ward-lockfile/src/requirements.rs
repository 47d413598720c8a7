//! TODO(helper): the requirements reader.

use crate::{Error, ErrorKind, Lockfile};

pub(crate) fn parse(origin: &str, _content: &str) -> Result<Lockfile, Error> {
    Err(Error::new(
        origin,
        None,
        ErrorKind::Syntax("not implemented yet".into()),
    ))
}

/// `requirements.txt`, `requirements-dev.txt`, `dev-requirements.txt`, `requirements/base.txt`
/// is handled by the caller passing the kind explicitly.
pub(crate) fn is_requirements_file(name: &str) -> bool {
    name.ends_with(".txt") && name.contains("requirements")
}
