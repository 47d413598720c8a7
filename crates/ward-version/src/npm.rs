//! npm versions and ranges, exactly as node-semver 7 reads them in strict mode (not `loose`),
//! with ranges evaluated as `semver.satisfies(v, range, { includePrerelease: true })`.
//!
//! A version is `new SemVer(v)`: SemVer 2.0.0 with an optional leading `v`, surrounding
//! whitespace ignored. A range is node-semver's full grammar (`||`, whitespace-separated
//! comparator sets, `< <= > >= =`, hyphen ranges, x-ranges, `~`, `^`, partial versions),
//! desugared to comparators as node-semver does it (in `npm/range.rs`), then to intervals.
//!
//! Traps:
//! - **`v` yes, `=` no.** `new SemVer("v1.2.3")` is `1.2.3`, but `=1.2.3` and `V1.2.3` are
//!   invalid versions (`=` is only a comparator operator, in ranges). Only ECMAScript
//!   whitespace (`String.prototype.trim`, which includes U+00A0, U+3000 and U+FEFF but not
//!   U+0085) is trimmed, and the 256-character limit counts UTF-16 units of the untrimmed
//!   input, as JavaScript does.
//! - **Numbers stop at 2^53 − 1.** node-semver rejects a major, minor or patch above
//!   `Number.MAX_SAFE_INTEGER`; so does this module, and so does a range whose desugaring
//!   needs one (`^9007199254740991.0.0` is invalid: its upper bound overflows).
//! - **Build metadata is dropped.** It takes no part in ordering, node-semver's normalized
//!   form (`semver.valid`) omits it, and the npm registry strips it on publish; `Display`
//!   prints that normalized form (`v1.2.3+b` → `1.2.3`), so display and parse round-trip.
//! - **Huge numeric pre-release identifiers** (≥ 2^53) are compared exactly here. node-semver
//!   compares them as JavaScript doubles, so `1.0.0-9007199254740993` and
//!   `1.0.0-9007199254740992` are equal to it; SemVer 2.0.0 (and OSV) order them. This is the
//!   one deliberate difference in ordering; the differential tests generate no such pair.
//! - **Range desugaring is string rewriting, quirks included.** `1.2.3-a*` means `1.2.3-a`,
//!   `==1.2` is `1.2.x` but `==1.2.3` is invalid, `^*.1.2` is any version, `1.2.3 ||` is any
//!   version, `> = 1` is invalid. `npm/range.rs` replays node-semver's pipeline step by step instead
//!   of approximating it with a tidy grammar, and is checked against node-semver on generated
//!   ranges.
//! - **`includePrerelease` bounds.** With it, `~1.2`, `^1.2.3`'s lower partials, x-ranges and
//!   hyphen ranges start at `X.Y.Z-0` and end below `X.Y.Z-0`, so `1.2.0-rc.1` is in `1.2.x`
//!   and `2.0.0-rc.1` is not in `^1.2.3`; but a full-version lower bound stays as written
//!   (`^1.2.3` excludes `1.2.3-rc.1`, `>=0.0.0` excludes `0.0.0-alpha`).
//! - **Ranges longer than 4096 bytes** are rejected ([`crate::MAX_RANGE_LEN`]); node-semver
//!   has no limit.

use std::fmt;
use std::str::FromStr;

use crate::error::{RangeError, VersionError};
use crate::semver;
use crate::set::VersionSet;

mod range;
mod scan;

const SYNTAX: &str = "npm";

/// `Number.MAX_SAFE_INTEGER`: the largest major, minor or patch node-semver accepts.
pub const MAX_SAFE_INTEGER: u64 = (1 << 53) - 1;

/// The longest version node-semver accepts, in UTF-16 code units of the untrimmed input.
const MAX_LENGTH: usize = 256;

/// A npm version: `[v]MAJOR.MINOR.PATCH[-PRE][+BUILD]`, SemVer 2.0.0 precedence.
///
/// `Eq`, `Ord` and `Hash` ignore build metadata, as `semver.compare` does.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Version(semver::Version);

impl Version {
    /// The SemVer version inside, build metadata included.
    pub fn as_semver(&self) -> &semver::Version {
        &self.0
    }

    /// Whether this is a pre-release.
    pub fn is_prerelease(&self) -> bool {
        self.0.is_prerelease()
    }
}

impl From<Version> for semver::Version {
    fn from(v: Version) -> Self {
        v.0
    }
}

/// Whether `c` is whitespace to ECMAScript (`\s`, and what `String.prototype.trim` removes).
pub(crate) fn is_js_space(c: char) -> bool {
    matches!(
        c,
        '\t' | '\n' | '\u{0B}' | '\u{0C}' | '\r' | ' ' | '\u{A0}' | '\u{1680}' | '\u{2000}'
            ..='\u{200A}'
                | '\u{2028}'
                | '\u{2029}'
                | '\u{202F}'
                | '\u{205F}'
                | '\u{3000}'
                | '\u{FEFF}'
    )
}

/// Parses what `new SemVer(input)` accepts (strict mode).
impl FromStr for Version {
    type Err = VersionError;

    fn from_str(input: &str) -> Result<Self, Self::Err> {
        // Cheap bound first (a UTF-16 unit is at most 4 bytes), then JavaScript's own count.
        if input.len() > 4 * MAX_LENGTH || input.encode_utf16().count() > MAX_LENGTH {
            return Err(VersionError::new(
                SYNTAX,
                input,
                format!(
                    "longer than {MAX_LENGTH} characters; npm versions are at most {MAX_LENGTH}"
                ),
            ));
        }
        let trimmed = input.trim_matches(is_js_space);
        VersionError::check_len(SYNTAX, trimmed)?;
        let core = trimmed.strip_prefix('v').unwrap_or(trimmed);
        if let Some(rest) = core.strip_prefix('=') {
            return Err(VersionError::new(
                SYNTAX,
                input,
                format!(
                    "\"=\" is a range operator, not part of a version; expected {rest:?} \
                     (\"={rest}\" is a range, which matches exactly that version)"
                ),
            ));
        }
        let version = semver::Version::parse_strict(core)
            .map_err(|e| VersionError::new(SYNTAX, input, e.reason))?;
        for (name, n) in [
            ("major", &version.major),
            ("minor", &version.minor),
            ("patch", &version.patch),
        ] {
            if n.as_u64().is_none_or(|n| n > MAX_SAFE_INTEGER) {
                return Err(VersionError::new(
                    SYNTAX,
                    input,
                    format!(
                        "{name} version {n} is above {MAX_SAFE_INTEGER} \
                         (Number.MAX_SAFE_INTEGER), the largest node-semver accepts"
                    ),
                ));
            }
        }
        Ok(Version(version))
    }
}

/// node-semver's normalized form (`semver.valid`): no `v`, no build metadata.
impl fmt::Display for Version {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let v = &self.0;
        write!(f, "{}.{}.{}", v.major, v.minor, v.patch)?;
        for (i, id) in v.pre.iter().enumerate() {
            f.write_str(if i == 0 { "-" } else { "." })?;
            id.fmt(f)?;
        }
        Ok(())
    }
}

crate::set::intervals_only!(Version);

/// Parses a npm range (`^1.2.3 || >=2.0.0 <3`, `1.x`, `1.2 - 2`, ...) into the versions
/// `semver.satisfies(v, range, { includePrerelease: true })` accepts.
///
/// Errors exactly where `semver.validRange(range)` is `null`, with the column of the
/// comparator that failed.
pub fn parse_range(input: &str) -> Result<VersionSet<Version>, RangeError> {
    range::parse(input)
}

#[cfg(test)]
mod tests;
