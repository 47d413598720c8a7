//! Pub (Dart) versions and version constraints, as `pub_semver` defines them and OSV tools
//! order them.
//!
//! A version is SemVer read leniently (as osv-scalibr reads Pub versions) and ordered like
//! `pub_semver`'s `Version.compareTo`: SemVer precedence, then **build metadata**. A
//! constraint is `VersionConstraint.parse`'s syntax: `any`, an exact version, `^1.2.3`, or
//! comparators `>= > <= <` separated by optional whitespace; see [`parse_range`].
//!
//! Traps:
//! - **Build metadata orders, unlike SemVer**: `1.0.0-pre < 1.0.0-pre+build < 1.0.0`,
//!   `1.2.3 < 1.2.3+1 < 1.2.3+a`; numeric build identifiers compare as numbers and sort
//!   below alphanumeric ones. `Eq` agrees with that order, so `1.0.0+a != 1.0.0+b`, and an
//!   exact constraint `1.2.3` does not contain `1.2.3+1` (`pub_semver`'s `Version ==`).
//! - **Lenient reading**: a leading `v`, missing minor/patch, leading zeros (`01` is `1`, as
//!   Dart's `int.parse` reads it) and 30-digit components; components past the third become
//!   build identifiers (`1.1.3.4.5` is `1.1.3+4.5`), as OSV tools do. Constraint operands
//!   are read the same way, a superset of `pub_semver`'s strict three-component operands.
//! - **`^0.x` is wider than npm's**: `pub_semver`'s `nextBreaking` bumps the minor when the
//!   major is 0, so `^0.0.3` is `>=0.0.3 <0.1.0` (npm and Cargo would say `<0.0.4`).
//! - **An exclusive maximum that is a release excludes its pre-releases**: `pub_semver`
//!   rewrites `<2.0.0` to `<2.0.0-0` (its `VersionRange` factory), so `2.0.0-dev` is not in
//!   `<2.0.0` nor in `^1.2.3`. The rewrite is skipped when the maximum has build metadata
//!   (`<2.0.0+1` keeps `2.0.0` and its pre-releases) or is itself a pre-release. Each `<`
//!   comparator is rewritten on its own before intersecting, so `>=2.0.0-dev.1 <2.0.0` is
//!   empty, as in `pub_semver`.
//! - **`^` stands alone**: `^1.0.0 <1.5.0` is an error in `pub_semver`, and here.
//! - **Space-separated comparators intersect**; there is no union operator (`||` is an error).

use std::cmp::Ordering;
use std::fmt;
use std::hash::{Hash, Hasher};
use std::str::FromStr;

use crate::error::{RangeError, VersionError};
use crate::number::Number;
use crate::semver;
use crate::set::{Ranges, VersionSet};

const SYNTAX: &str = "Pub";
const RANGE_SYNTAX: &str = "Pub constraint";

/// A Pub version. `Eq`/`Ord` include build metadata (see the module's Traps).
#[derive(Debug, Clone)]
pub struct Version(semver::Version);

impl Version {
    /// The SemVer version inside.
    pub fn as_semver(&self) -> &semver::Version {
        &self.0
    }

    /// Whether this is a pre-release.
    pub fn is_prerelease(&self) -> bool {
        self.0.is_prerelease()
    }
}

impl Ord for Version {
    fn cmp(&self, other: &Self) -> Ordering {
        self.0.cmp_with_build(&other.0)
    }
}

crate::eq_from_ord!(Version);

impl Hash for Version {
    fn hash<H: Hasher>(&self, state: &mut H) {
        // Consistent with `Eq`: precedence fields plus build identifiers read as `Ord` reads
        // them (numeric ones as numbers, so `+01` and `+1` hash alike).
        self.0.hash(state);
        for id in &self.0.build {
            match Number::parse(id) {
                Some(n) => (0u8, n).hash(state),
                None => (1u8, id).hash(state),
            }
        }
    }
}

impl FromStr for Version {
    type Err = VersionError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        VersionError::check_len(SYNTAX, s)?;
        semver::Version::parse_lenient(s)
            .map(Version)
            .map_err(|e| VersionError::new(SYNTAX, s, e.reason))
    }
}

impl fmt::Display for Version {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.fmt(f)
    }
}

crate::set::intervals_only!(Version);

/// `pub_semver`'s exclusive-maximum rule: `<M` with a release `M` without build means
/// `<M-0`, so `M`'s pre-releases are out.
fn exclusive_max(max: Version) -> Ranges<Version> {
    if max.0.is_prerelease() || !max.0.build.is_empty() {
        return Ranges::strictly_lower_than(max);
    }
    Ranges::strictly_lower_than(Version(max.0.with_lowest_prerelease()))
}

/// Parses a Pub version constraint (`VersionConstraint.parse`) into the versions it allows.
///
/// `any` is every version; `1.2.3` exactly that version (build included); `^1.2.3` is
/// `>=1.2.3 <2.0.0-0` and `^0.2.3`, `^0.0.3` are `>=0.2.3 <0.3.0-0`, `>=0.0.3 <0.1.0-0`;
/// `>=`, `>`, `<=`, `<` are half-lines, with `<` following the exclusive-maximum rule.
pub fn parse_range(input: &str) -> Result<VersionSet<Version>, RangeError> {
    RangeError::check_len(RANGE_SYNTAX, input)?;
    if input.trim() == "any" {
        return Ok(VersionSet::full());
    }
    let err = |reason: String, at: usize| RangeError::new(RANGE_SYNTAX, input, reason).at(at);
    let bytes = input.as_bytes();
    let mut pos = 0;
    let mut set = Ranges::full();
    let mut count = 0;
    loop {
        while bytes.get(pos).is_some_and(u8::is_ascii_whitespace) {
            pos += 1;
        }
        let Some(&c) = bytes.get(pos) else { break };
        let start = pos;
        let op = match (c, bytes.get(pos + 1)) {
            (b'>' | b'<', Some(b'=')) => 2,
            (b'>' | b'<' | b'^', _) => 1,
            _ => 0,
        };
        let op_text = input.get(pos..pos + op).unwrap_or("");
        pos += op;
        while op > 0 && bytes.get(pos).is_some_and(u8::is_ascii_whitespace) {
            pos += 1;
        }
        let version_start = pos;
        while bytes
            .get(pos)
            .is_some_and(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'-' | b'+'))
        {
            pos += 1;
        }
        let text = input.get(version_start..pos).unwrap_or("");
        if text.is_empty() {
            let found = input.get(pos..).and_then(|r| r.chars().next());
            return Err(err(
                match (op_text, found) {
                    ("", Some(ch)) => format!(
                        "found {ch:?}; expected a version, an operator (>= > <= < ^) or \"any\""
                    ),
                    (op, Some(ch)) => format!("found {ch:?} after {op:?}; expected a version"),
                    (op, None) => format!("the constraint ends after {op:?}; expected a version"),
                },
                pos,
            ));
        }
        let version = text
            .parse::<Version>()
            .map_err(|e| RangeError::version(RANGE_SYNTAX, input, e).at(version_start))?;
        let comparator = match op_text {
            "" => Ranges::singleton(version),
            ">=" => Ranges::higher_than(version),
            ">" => Ranges::strictly_higher_than(version),
            "<=" => Ranges::lower_than(version),
            "<" => exclusive_max(version),
            _ => {
                // `^`: nothing may come before or after it.
                let rest_blank = input.get(pos..).is_some_and(|r| r.trim().is_empty());
                if count > 0 || !rest_blank {
                    return Err(err(
                        "\"^\" cannot be combined with other constraints; expected it alone, as in \"^1.2.3\"".into(),
                        start,
                    ));
                }
                let v = &version.0;
                let next = if v.major.is_zero() {
                    semver::Version::new(Number::ZERO, v.minor.increment(), Number::ZERO)
                } else {
                    semver::Version::new(v.major.increment(), Number::ZERO, Number::ZERO)
                };
                Ranges::higher_than(version).intersection(&exclusive_max(Version(next)))
            }
        };
        set = set.intersection(&comparator);
        count += 1;
    }
    if count == 0 {
        return Err(err(
            "an empty constraint; expected \"any\", a version, or comparators such as \">=1.0.0 <2.0.0\"".into(),
            0,
        ));
    }
    Ok(VersionSet::new(set))
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn v(s: &str) -> Version {
        s.parse().unwrap_or_else(|e| panic!("{e}"))
    }

    fn c(s: &str) -> VersionSet<Version> {
        parse_range(s).unwrap_or_else(|e| panic!("{e}"))
    }

    #[test]
    fn build_metadata_orders() {
        assert!(v("1.0.0-pre") < v("1.0.0-pre+build"));
        assert!(v("1.0.0-pre+build") < v("1.0.0"));
        assert!(v("1.2.3+1") < v("1.2.3+a"));
        assert!(v("1.2.3+900") < v("1.2.3+a"));
        assert_ne!(v("1.0.0+a"), v("1.0.0+b"));
        assert_eq!(v("1.2.3+01"), v("1.2.3+1"));
        assert_eq!(v("v1.2.3-0"), v("1.2.3-0"));
        assert_eq!(v("1.1.3.4.5").to_string(), "1.1.3+4.5");
    }

    #[test]
    fn constraints() {
        assert_eq!(c("^1.2.3").to_string(), ">=1.2.3, <2.0.0-0");
        assert_eq!(c("^0.2.3").to_string(), ">=0.2.3, <0.3.0-0");
        assert_eq!(c("^0.0.3").to_string(), ">=0.0.3, <0.1.0-0");
        assert_eq!(c(">=1.0.0 <2.0.0").to_string(), ">=1.0.0, <2.0.0-0");
        assert_eq!(c(">= 1.0.0<2.0.0"), c(">=1.0.0 <2.0.0"));
        assert_eq!(c("  any "), VersionSet::full());
        assert!(!c("<2.0.0").contains(&v("2.0.0-dev")));
        assert!(c("<2.0.0-dev.2").contains(&v("2.0.0-dev.1")));
        assert!(c("<2.0.0+1").contains(&v("2.0.0")));
        assert!(c("<2.0.0+1").contains(&v("2.0.0-dev")));
        assert!(!c(">=2.0.0-dev.1 <2.0.0").contains(&v("2.0.0-dev.2")));
        assert!(!c("^1.2.3").contains(&v("2.0.0-dev")));
        assert!(c("^1.2.3").contains(&v("1.5.0-dev")));
        assert!(c("1.2.3").contains(&v("1.2.3")));
        assert!(!c("1.2.3").contains(&v("1.2.3+1")));
        assert!(c(">1.2.3").contains(&v("1.2.3+1")));
    }

    #[test]
    fn errors_say_what_was_expected() {
        for (input, expected) in [
            ("", "an empty constraint"),
            ("^1.0.0 <1.5.0", "cannot be combined"),
            (">=1.0.0 ^1.2.0", "cannot be combined"),
            (">=", "expected a version"),
            ("1.0.0 || 2.0.0", "found '|'"),
            ("=1.0.0", "found '='"),
            (">=1.0.0.x", "invalid version"),
        ] {
            let err = parse_range(input).expect_err(input);
            let text = format!("{err} {:?}", err.version);
            assert!(text.contains(expected), "{input:?}: {text}");
        }
    }

    fn version() -> impl Strategy<Value = String> {
        let num = prop_oneof!["0|1|2|01|10", "[1-9][0-9]{25,29}"];
        let pre = proptest::option::of("(alpha|beta|rc|0|1|11|01)(\\.(0|1|2|x-y))?");
        let build = proptest::option::of("(1|2|a|a1|01|9a)(\\.(0|b))?");
        (num.clone(), num.clone(), num, pre, build, any::<bool>()).prop_map(
            |(a, b, c, pre, build, prefix)| {
                let mut s = format!("{}{a}.{b}.{c}", if prefix { "v" } else { "" });
                if let Some(p) = pre {
                    s = format!("{s}-{p}");
                }
                if let Some(b) = build {
                    s = format!("{s}+{b}");
                }
                s
            },
        )
    }

    proptest! {
        #[test]
        fn round_trip_and_order(a in version(), b in version(), c in version()) {
            let (a, b, c) = (v(&a), v(&b), v(&c));
            prop_assert_eq!(v(&a.to_string()), a.clone());
            prop_assert_eq!(a.cmp(&b), b.cmp(&a).reverse());
            prop_assert_eq!(a == b, a.cmp(&b) == Ordering::Equal);
            if a <= b && b <= c {
                prop_assert!(a <= c);
            }
        }

        #[test]
        fn bounds(s in version()) {
            let x = v(&s);
            for op in [">=", "<=", ""] {
                prop_assert!(c(&format!("{op}{s}")).contains(&x), "{op}{s}");
            }
            for op in [">", "<"] {
                prop_assert!(!c(&format!("{op}{s}")).contains(&x), "{op}{s}");
            }
            prop_assert!(c(&format!("^{s}")).contains(&x), "^{s}");
        }
    }
}
