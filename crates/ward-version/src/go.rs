//! Go versions. (Placeholder: this scheme's module is being written.)

use std::fmt;
use std::str::FromStr;

use crate::error::{RangeError, VersionError};
use crate::set::{NoExclusion, RangeVersion, VersionSet};

const SYNTAX: &str = "Go";

/// A Go version.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Version(String);

impl FromStr for Version {
    type Err = VersionError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Err(VersionError::new(SYNTAX, s, "not supported yet"))
    }
}

impl fmt::Display for Version {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl RangeVersion for Version {
    type Exclusion = NoExclusion;

    fn is_excluded_by(&self, exclusion: &NoExclusion) -> bool {
        match *exclusion {}
    }
}

/// Parses a Go range.
pub fn parse_range(input: &str) -> Result<VersionSet<Version>, RangeError> {
    Err(RangeError::new(SYNTAX, input, "not supported yet"))
}
