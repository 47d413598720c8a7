//! Semantic Versioning 2.0.0, and the lenient reading of it that OSV's `SEMVER` ranges need.
//!
//! Several ecosystems build on this module: npm, Go, Hex and Pub parse their own dialects and
//! keep a [`Version`] inside; OSV's `SEMVER` range type uses [`Version::parse_lenient`] directly.
//!
//! Traps:
//! - **Build metadata does not order.** `1.0.0+a == 1.0.0+b` in precedence (spec item 10),
//!   so [`Version`]'s `Eq`/`Ord` ignore it; [`Version::cmp_with_build`] is for the schemes
//!   that do order it (Pub).
//! - **Pre-releases sort below their release**: `1.0.0-rc.1 < 1.0.0`, and `1.0.0 < 1.0.1-0`.
//! - **Numeric identifiers compare as numbers, others as ASCII**: `beta.2 < beta.11`, but
//!   `r100 < r2` and `R2 < r100`; a numeric identifier sorts below any alphanumeric one, and a
//!   longer list of identifiers wins when all shared ones are equal (`alpha < alpha.1`).
//! - **Numbers have no upper bound**: `999999999999999999999999999991.0.0` occurs in real
//!   data; components are [`Number`]s, not `u64`.
//! - **OSV's `SEMVER` is written loosely in the wild**: a leading `v`, missing minor or patch
//!   (`1.5`), leading zeros, and a fourth component (`1.1.3.4`) that tools treat as build
//!   metadata. [`Version::parse_lenient`] accepts exactly these, and nothing more, so that a
//!   garbled version is reported instead of guessed at.

use std::cmp::Ordering;
use std::fmt;
use std::str::FromStr;

use crate::error::{RangeError, VersionError};
use crate::number::Number;
use crate::set::VersionSet;

const STRICT: &str = "SemVer 2.0.0";
const LENIENT: &str = "SEMVER";

/// A Semantic Versioning 2.0.0 version: `MAJOR.MINOR.PATCH[-PRE][+BUILD]`.
///
/// `Eq` and `Ord` are SemVer precedence: build metadata is ignored.
#[derive(Debug, Clone)]
pub struct Version {
    /// The major version.
    pub major: Number,
    /// The minor version.
    pub minor: Number,
    /// The patch version.
    pub patch: Number,
    /// Pre-release identifiers; empty for a release.
    pub pre: Vec<Identifier>,
    /// Build metadata identifiers, kept for display; they do not take part in precedence.
    pub build: Vec<Box<str>>,
}

/// One dot-separated pre-release identifier.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Identifier {
    /// Digits only: compared numerically.
    Numeric(Number),
    /// Contains a letter or a hyphen: compared in ASCII order.
    Alphanumeric(Box<str>),
}

impl Version {
    /// `major.minor.patch` with no pre-release or build.
    pub fn new(
        major: impl Into<Number>,
        minor: impl Into<Number>,
        patch: impl Into<Number>,
    ) -> Self {
        Self {
            major: major.into(),
            minor: minor.into(),
            patch: patch.into(),
            pre: Vec::new(),
            build: Vec::new(),
        }
    }

    /// Parses exactly SemVer 2.0.0: three components without leading zeros, no `v`.
    pub fn parse_strict(input: &str) -> Result<Self, VersionError> {
        parse(input, STRICT, false)
    }

    /// Parses the way OSV tools read `SEMVER` range events: an optional leading `v`, one to
    /// three components (missing ones are zero), leading zeros allowed, and components past
    /// the third moved into the build metadata.
    pub fn parse_lenient(input: &str) -> Result<Self, VersionError> {
        parse(input, LENIENT, true)
    }

    /// Whether this is a pre-release.
    pub fn is_prerelease(&self) -> bool {
        !self.pre.is_empty()
    }

    /// The same version without pre-release and build.
    #[must_use]
    pub fn release(&self) -> Self {
        Self::new(self.major.clone(), self.minor.clone(), self.patch.clone())
    }

    /// The same version with the pre-release `0`: the lowest version of this release.
    #[must_use]
    pub fn with_lowest_prerelease(&self) -> Self {
        let mut v = self.release();
        v.pre = vec![Identifier::Numeric(Number::ZERO)];
        v
    }

    /// Compares precedence first, then build metadata (numeric identifiers below
    /// alphanumeric ones, as for pre-releases; no build below any build). For schemes that
    /// order build metadata, such as Pub.
    pub fn cmp_with_build(&self, other: &Self) -> Ordering {
        self.cmp(other).then_with(|| {
            let a = self.build.iter().map(|s| Identifier::parse(s));
            let b = other.build.iter().map(|s| Identifier::parse(s));
            a.cmp(b)
        })
    }
}

impl Identifier {
    fn parse(s: &str) -> Identifier {
        match Number::parse(s) {
            Some(n) => Identifier::Numeric(n),
            None => Identifier::Alphanumeric(s.into()),
        }
    }
}

impl Ord for Identifier {
    fn cmp(&self, other: &Self) -> Ordering {
        match (self, other) {
            (Identifier::Numeric(a), Identifier::Numeric(b)) => a.cmp(b),
            (Identifier::Numeric(_), Identifier::Alphanumeric(_)) => Ordering::Less,
            (Identifier::Alphanumeric(_), Identifier::Numeric(_)) => Ordering::Greater,
            (Identifier::Alphanumeric(a), Identifier::Alphanumeric(b)) => {
                a.as_bytes().cmp(b.as_bytes())
            }
        }
    }
}

impl PartialOrd for Identifier {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl fmt::Display for Identifier {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Identifier::Numeric(n) => n.fmt(f),
            Identifier::Alphanumeric(s) => f.write_str(s),
        }
    }
}

impl Ord for Version {
    fn cmp(&self, other: &Self) -> Ordering {
        self.major
            .cmp(&other.major)
            .then_with(|| self.minor.cmp(&other.minor))
            .then_with(|| self.patch.cmp(&other.patch))
            .then_with(|| match (self.pre.is_empty(), other.pre.is_empty()) {
                (true, true) => Ordering::Equal,
                // A release has higher precedence than any of its pre-releases.
                (true, false) => Ordering::Greater,
                (false, true) => Ordering::Less,
                (false, false) => self.pre.cmp(&other.pre),
            })
    }
}

crate::eq_from_ord!(Version);

impl std::hash::Hash for Version {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        // Consistent with `Eq`: build metadata is left out.
        (&self.major, &self.minor, &self.patch, &self.pre).hash(state);
    }
}

impl fmt::Display for Version {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}.{}.{}", self.major, self.minor, self.patch)?;
        for (i, id) in self.pre.iter().enumerate() {
            f.write_str(if i == 0 { "-" } else { "." })?;
            id.fmt(f)?;
        }
        for (i, id) in self.build.iter().enumerate() {
            f.write_str(if i == 0 { "+" } else { "." })?;
            f.write_str(id)?;
        }
        Ok(())
    }
}

/// `FromStr` is the strict SemVer 2.0.0 grammar.
impl FromStr for Version {
    type Err = VersionError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::parse_strict(s)
    }
}

crate::set::intervals_only!(Version);

/// Parses a range of OSV `SEMVER` versions in the plain comparator syntax
/// ([`crate::comparator`]), reading versions leniently.
pub fn parse_range(input: &str) -> Result<VersionSet<Version>, RangeError> {
    crate::comparator::parse("SEMVER range", input, Version::parse_lenient)
}

fn parse(input: &str, syntax: &'static str, lenient: bool) -> Result<Version, VersionError> {
    VersionError::check_len(syntax, input)?;
    let err = |reason: String| VersionError::new(syntax, input, reason);
    let mut rest = input;
    if lenient {
        rest = rest.strip_prefix('v').unwrap_or(rest);
    }
    let (rest, build) = match rest.split_once('+') {
        Some((r, b)) => (r, Some(b)),
        None => (rest, None),
    };
    let (core, pre) = match rest.split_once('-') {
        Some((c, p)) => (c, Some(p)),
        None => (rest, None),
    };
    if core.is_empty() {
        return Err(err(
            "expected MAJOR.MINOR.PATCH, found nothing before the pre-release or build".into(),
        ));
    }

    let mut numbers = Vec::with_capacity(3);
    for (i, part) in core.split('.').enumerate() {
        let Some(n) = Number::parse(part) else {
            return Err(err(format!(
                "component {} is {part:?}; expected digits{}",
                i + 1,
                if part.chars().any(|c| c.is_ascii_alphabetic()) {
                    " (a pre-release is written after a hyphen, as in 1.0.0-beta.1)"
                } else {
                    ""
                }
            )));
        };
        if !lenient && part.len() > 1 && part.starts_with('0') {
            return Err(err(format!(
                "component {} is {part:?}; leading zeros are not allowed",
                i + 1
            )));
        }
        numbers.push(n);
    }
    if !lenient && numbers.len() != 3 {
        return Err(err(format!(
            "found {} components; expected exactly three, MAJOR.MINOR.PATCH",
            numbers.len()
        )));
    }
    // Past the third component, lenient readers keep numbers as build metadata.
    let extra: Vec<Box<str>> = numbers
        .iter()
        .skip(3)
        .map(|n| n.to_string().into())
        .collect();
    let mut numbers = numbers.into_iter().take(3);
    let mut version = Version::new(
        numbers.next().unwrap_or(Number::ZERO),
        numbers.next().unwrap_or(Number::ZERO),
        numbers.next().unwrap_or(Number::ZERO),
    );

    if let Some(pre) = pre {
        for id in pre.split('.') {
            check_identifier(id, "pre-release").map_err(&err)?;
            let parsed = Identifier::parse(id);
            if !lenient
                && matches!(parsed, Identifier::Numeric(_))
                && id.len() > 1
                && id.starts_with('0')
            {
                return Err(err(format!(
                    "numeric pre-release identifier {id:?} has a leading zero"
                )));
            }
            version.pre.push(parsed);
        }
    }
    version.build = extra;
    if let Some(build) = build {
        for id in build.split('.') {
            check_identifier(id, "build").map_err(&err)?;
            version.build.push(id.into());
        }
    }
    Ok(version)
}

fn check_identifier(id: &str, what: &str) -> Result<(), String> {
    if id.is_empty() {
        return Err(format!(
            "empty {what} identifier; expected [0-9A-Za-z-]+ between dots"
        ));
    }
    if let Some(c) = id
        .chars()
        .find(|c| !(c.is_ascii_alphanumeric() || *c == '-'))
    {
        return Err(format!(
            "{what} identifier {id:?} contains {c:?}; expected only [0-9A-Za-z-]"
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn strict(s: &str) -> Version {
        Version::parse_strict(s).unwrap_or_else(|e| panic!("{e}"))
    }

    fn lenient(s: &str) -> Version {
        Version::parse_lenient(s).unwrap_or_else(|e| panic!("{e}"))
    }

    #[test]
    fn spec_item_11_example_chain() {
        let chain = [
            "1.0.0-alpha",
            "1.0.0-alpha.1",
            "1.0.0-alpha.beta",
            "1.0.0-beta",
            "1.0.0-beta.2",
            "1.0.0-beta.11",
            "1.0.0-rc.1",
            "1.0.0",
        ];
        for pair in chain.windows(2) {
            assert!(
                strict(pair[0]) < strict(pair[1]),
                "{} < {}",
                pair[0],
                pair[1]
            );
        }
    }

    #[test]
    fn build_metadata_is_ignored_by_precedence_only() {
        assert_eq!(strict("1.0.0+a"), strict("1.0.0+b"));
        assert_eq!(
            strict("1.0.0+1").cmp_with_build(&strict("1.0.0+2")),
            Ordering::Less
        );
        assert_eq!(
            strict("1.0.0").cmp_with_build(&strict("1.0.0+0")),
            Ordering::Less
        );
    }

    #[test]
    fn strict_rejects_what_the_spec_rejects() {
        for bad in [
            "1.0",
            "v1.0.0",
            "01.0.0",
            "1.0.0-01",
            "1.0.0-",
            "1.0.0+",
            "1.0.0-a..b",
            "1.0.0-a_b",
            "",
        ] {
            assert!(
                Version::parse_strict(bad).is_err(),
                "{bad:?} should be rejected"
            );
        }
    }

    #[test]
    fn lenient_accepts_what_osv_data_holds() {
        assert_eq!(lenient("v1.5"), strict("1.5.0"));
        assert_eq!(lenient("1"), strict("1.0.0"));
        assert_eq!(lenient("01.02.03"), strict("1.2.3"));
        assert_eq!(lenient("1.1.3.4.5").to_string(), "1.1.3+4.5");
        assert!(Version::parse_lenient("1.0.0beta").is_err());
        assert!(Version::parse_lenient("latest").is_err());
    }

    #[test]
    fn errors_say_what_was_expected() {
        let err = Version::parse_strict("1.2.x").unwrap_err();
        assert_eq!(
            err.to_string(),
            "invalid SemVer 2.0.0 version \"1.2.x\": component 3 is \"x\"; expected digits (a pre-release is written after a hyphen, as in 1.0.0-beta.1)"
        );
    }
}
