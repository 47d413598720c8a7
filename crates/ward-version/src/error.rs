//! The two errors of this crate: a version that does not parse, and a range that does not.
//!
//! Both keep the offending input (shortened when it is long, because inputs are untrusted and
//! end up in terminals and logs), the name of the syntax that was expected, and a reason that
//! says what was expected where.

use std::borrow::Cow;
use std::fmt;

/// The longest version string any parser accepts, in bytes (npm's own limit).
pub const MAX_VERSION_LEN: usize = 256;

/// The longest range expression any parser accepts, in bytes.
pub const MAX_RANGE_LEN: usize = 4096;

/// How much of an offending input an error keeps.
const SHOWN_INPUT: usize = 120;

/// A version string that its scheme cannot parse.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("invalid {syntax} version {input:?}: {reason}")]
#[non_exhaustive]
pub struct VersionError {
    /// The syntax that was expected, for example `PEP 440` or `npm (node-semver)`.
    pub syntax: &'static str,
    /// The input (its first 120 characters when longer).
    pub input: String,
    /// What was wrong and what was expected instead.
    pub reason: Cow<'static, str>,
}

impl VersionError {
    /// An error for `input`, which is not a valid `syntax` version because of `reason`.
    pub fn new(syntax: &'static str, input: &str, reason: impl Into<Cow<'static, str>>) -> Self {
        Self {
            syntax,
            input: shorten(input),
            reason: reason.into(),
        }
    }

    /// Rejects inputs longer than [`MAX_VERSION_LEN`] before any parsing work is done.
    pub fn check_len(syntax: &'static str, input: &str) -> Result<(), Self> {
        if input.len() > MAX_VERSION_LEN {
            return Err(Self::new(
                syntax,
                input,
                format!(
                    "{} bytes long; versions are at most {MAX_VERSION_LEN} bytes",
                    input.len()
                ),
            ));
        }
        Ok(())
    }
}

/// A range expression that its syntax cannot parse.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub struct RangeError {
    /// The range syntax that was expected, for example `npm range` or `PEP 440 specifier set`.
    pub syntax: &'static str,
    /// The input (its first 120 characters when longer).
    pub input: String,
    /// Byte offset into the input where the problem was found, when known.
    pub offset: Option<usize>,
    /// What was wrong and what was expected instead.
    pub reason: Cow<'static, str>,
    /// The version inside the range that did not parse, when that was the problem.
    #[source]
    pub version: Option<Box<VersionError>>,
}

impl RangeError {
    /// An error for `input`, which is not a valid `syntax` range because of `reason`.
    pub fn new(syntax: &'static str, input: &str, reason: impl Into<Cow<'static, str>>) -> Self {
        Self {
            syntax,
            input: shorten(input),
            offset: None,
            reason: reason.into(),
            version: None,
        }
    }

    /// The same error, located at byte `offset` of the input.
    #[must_use]
    pub fn at(mut self, offset: usize) -> Self {
        self.offset = Some(offset);
        self
    }

    /// A range that is invalid because one of its versions is.
    pub fn version(syntax: &'static str, input: &str, err: VersionError) -> Self {
        Self {
            syntax,
            input: shorten(input),
            offset: None,
            reason: "it contains an invalid version".into(),
            version: Some(Box::new(err)),
        }
    }

    /// Rejects inputs longer than [`MAX_RANGE_LEN`] before any parsing work is done.
    pub fn check_len(syntax: &'static str, input: &str) -> Result<(), Self> {
        if input.len() > MAX_RANGE_LEN {
            return Err(Self::new(
                syntax,
                input,
                format!(
                    "{} bytes long; ranges are at most {MAX_RANGE_LEN} bytes",
                    input.len()
                ),
            ));
        }
        Ok(())
    }
}

impl fmt::Display for RangeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "invalid {} {:?}", self.syntax, self.input)?;
        if let Some(offset) = self.offset {
            // Columns are 1-based for people.
            write!(f, " at column {}", offset + 1)?;
        }
        write!(f, ": {}", self.reason)
    }
}

fn shorten(input: &str) -> String {
    if input.chars().count() <= SHOWN_INPUT {
        return input.to_owned();
    }
    let mut s: String = input.chars().take(SHOWN_INPUT).collect();
    s.push('…');
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_inputs_are_rejected_and_shortened() {
        let long = "1".repeat(MAX_VERSION_LEN + 1);
        let err = VersionError::check_len("test", &long).unwrap_err();
        assert_eq!(err.input.chars().count(), SHOWN_INPUT + 1);
        assert!(err.to_string().contains("at most 256 bytes"), "{err}");
    }

    #[test]
    fn range_error_names_the_column() {
        let err = RangeError::new("npm range", ">=1 <x", "expected a version after \"<\"").at(4);
        assert_eq!(
            err.to_string(),
            "invalid npm range \">=1 <x\" at column 5: expected a version after \"<\""
        );
    }
}
