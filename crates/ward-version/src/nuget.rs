//! NuGet versions, as `NuGet.Versioning`'s `NuGetVersion` parses and orders them, and NuGet
//! version ranges ([`parse_range`], in `nuget/range.rs`).
//!
//! A version is one to four numeric parts (`major.minor.patch.revision`, missing parts are
//! zero), then optional SemVer 2.0 release labels after `-` and build metadata after `+`.
//!
//! Traps:
//! - **`1.0 == 1.0.0 == 1.0.0.0`**: missing parts are zero, and a fourth part (the revision)
//!   orders before the release labels: `1.0.0.1-alpha > 1.0.0`. `Eq` and `Hash` are written
//!   by hand to agree with `Ord`.
//! - **Leading zeros are allowed in the numeric parts** (`01.002 == 1.2`) but not in numeric
//!   release labels (`1.0.0-01` is invalid), as in NuGet.
//! - **Release labels compare case-insensitively** (`1.0.0-BETA == 1.0.0-beta`), numeric
//!   labels numerically and below alphanumeric ones, and more labels win when the shared ones
//!   are equal (`beta < beta.1`). NuGet reads a numeric label that overflows `Int32` as text;
//!   ward (like SemVer, OSV and `univers`) keeps comparing it as a number.
//! - **Build metadata does not order**: `1.0.0+a == 1.0.0+b`.
//! - **Numbers have no size limit**: NuGet caps parts at `Int32`, but OSV's data orders
//!   `999999999999999999999999999991 < 999999999999999999999999999999`; parts are
//!   [`Number`]s.
//! - **A leading `v` is not NuGet**: `NuGetVersion.Parse("v1.0")` fails, and so does ward
//!   (`univers` strips it). Surrounding whitespace is trimmed, as NuGet trims it; whitespace,
//!   signs or anything but ASCII digits inside a part are errors (NuGet's `System.Version`
//!   would accept `+1` and ` 1` there; no package uses them).

use std::cmp::Ordering;
use std::fmt;
use std::hash::{Hash, Hasher};
use std::str::FromStr;

use crate::error::VersionError;
use crate::number::Number;

mod range;

pub use range::parse_range;

const SYNTAX: &str = "NuGet";

/// A NuGet version: `major[.minor[.patch[.revision]]][-labels][+metadata]`.
///
/// `Eq`, `Ord` and `Hash` ignore build metadata and the case of release labels.
#[derive(Debug, Clone)]
pub struct Version {
    original: Box<str>,
    parts: [Number; 4],
    labels: Vec<Label>,
}

/// One dot-separated release label.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
enum Label {
    /// Digits only (no leading zero): compared numerically.
    Numeric(Number),
    /// Letters, digits and hyphens, lowercased: compared as ASCII, case-insensitively.
    Text(Box<str>),
}

impl Ord for Label {
    fn cmp(&self, other: &Self) -> Ordering {
        match (self, other) {
            (Label::Numeric(a), Label::Numeric(b)) => a.cmp(b),
            (Label::Numeric(_), Label::Text(_)) => Ordering::Less,
            (Label::Text(_), Label::Numeric(_)) => Ordering::Greater,
            (Label::Text(a), Label::Text(b)) => a.cmp(b),
        }
    }
}

impl PartialOrd for Label {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

fn is_identifier(s: &str) -> bool {
    !s.is_empty() && s.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-')
}

impl FromStr for Version {
    type Err = VersionError;

    fn from_str(input: &str) -> Result<Self, Self::Err> {
        VersionError::check_len(SYNTAX, input)?;
        let s = input.trim();
        let err = |reason: String| VersionError::new(SYNTAX, input, reason);
        if s.is_empty() {
            return Err(err("empty; expected a version such as 1.0.0".into()));
        }
        if s.starts_with(['v', 'V']) {
            return Err(err(format!(
                "starts with {:?}; NuGet versions have no prefix, expected {}",
                &s[..1],
                &s[1..]
            )));
        }
        // The numeric part ends at the first `-` or `+`; labels end at the first `+`.
        let (numbers, rest) = match s.find(['-', '+']) {
            Some(at) => (&s[..at], &s[at..]),
            None => (s, ""),
        };
        let (labels, metadata) = match rest.strip_prefix('-') {
            Some(after) => match after.split_once('+') {
                Some((labels, metadata)) => (Some(labels), Some(metadata)),
                None => (Some(after), None),
            },
            None => (None, rest.strip_prefix('+')),
        };
        let mut parts = [Number::ZERO, Number::ZERO, Number::ZERO, Number::ZERO];
        for (i, part) in numbers.split('.').enumerate() {
            let Some(slot) = parts.get_mut(i) else {
                return Err(err(format!(
                    "{numbers:?} has more than 4 parts; expected major[.minor[.patch[.revision]]]"
                )));
            };
            *slot = Number::parse(part).ok_or_else(|| {
                err(format!(
                    "part {} is {part:?}; expected digits (major[.minor[.patch[.revision]]])",
                    i + 1
                ))
            })?;
        }
        let mut parsed = Vec::new();
        if let Some(labels) = labels {
            for label in labels.split('.') {
                if !is_identifier(label) {
                    return Err(err(format!(
                        "release label {label:?}; expected letters, digits and '-', \
                         separated by '.'"
                    )));
                }
                parsed.push(match Number::parse(label) {
                    Some(n) if label.len() > 1 && label.starts_with('0') => {
                        return Err(err(format!(
                            "numeric release label {label:?} has a leading zero; expected {n}"
                        )));
                    }
                    Some(n) => Label::Numeric(n),
                    None => Label::Text(label.to_ascii_lowercase().into()),
                });
            }
        }
        if let Some(metadata) = metadata
            && let Some(bad) = metadata.split('.').find(|m| !is_identifier(m))
        {
            return Err(err(format!(
                "build metadata part {bad:?}; expected letters, digits and '-', separated by '.'"
            )));
        }
        Ok(Version {
            original: s.into(),
            parts,
            labels: parsed,
        })
    }
}

impl Version {
    /// Whether the version has release labels (is a pre-release).
    pub fn is_prerelease(&self) -> bool {
        !self.labels.is_empty()
    }
}

impl fmt::Display for Version {
    /// The version as written (surrounding whitespace trimmed).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.original)
    }
}

impl Ord for Version {
    fn cmp(&self, other: &Self) -> Ordering {
        self.parts.cmp(&other.parts).then_with(|| {
            match (self.labels.is_empty(), other.labels.is_empty()) {
                // A release sorts above its pre-releases.
                (true, true) => Ordering::Equal,
                (true, false) => Ordering::Greater,
                (false, true) => Ordering::Less,
                (false, false) => self.labels.cmp(&other.labels),
            }
        })
    }
}

impl PartialOrd for Version {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl PartialEq for Version {
    fn eq(&self, other: &Self) -> bool {
        self.cmp(other).is_eq()
    }
}

impl Eq for Version {}

impl Hash for Version {
    /// Parts (as numbers) and lowercased labels: exactly what `Ord` looks at.
    fn hash<H: Hasher>(&self, state: &mut H) {
        self.parts.hash(state);
        self.labels.hash(state);
    }
}

crate::set::intervals_only!(Version);

#[cfg(test)]
mod tests;
