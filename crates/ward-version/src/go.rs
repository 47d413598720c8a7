//! Go module versions, as go.mod and `golang.org/x/mod/semver` write them and as OSV's Go
//! records do (without the `v`).
//!
//! A Go version is SemVer 2.0.0 behind a `v`: `v1.2.3`, `v1.2.3-rc.1`, `v2.0.0+incompatible`,
//! and pseudo-versions for untagged commits. Ordering is SemVer precedence. Go has no range
//! syntax of its own, so [`parse_range`] is the plain comparator syntax
//! ([`crate::comparator`]).
//!
//! [`Display`](std::fmt::Display) prints the canonical Go form, **with** the `v` (`v1.2.0`
//! for `1.2` or `v1.2`), as `go list -m` and go.mod do, followed by any build metadata.
//!
//! Traps:
//! - **The `v` is optional here.** go.mod always writes it; OSV's Go records never do
//!   (`"fixed": "1.4.1"`). Both spellings parse to the same version.
//! - **Shorthands.** `golang.org/x/mod/semver` accepts `v1` and `v1.2` as `v1.0.0` and
//!   `v1.2.0`, but not with a pre-release or build (`v1.2-pre` is invalid); so does this.
//! - **Pseudo-versions are pre-releases**, and SemVer precedence already orders them right:
//!   `v0.0.0-20191109021931-daa7c04131f5` is below `v0.0.0`; `v1.2.4-0.2019…` (a commit after
//!   `v1.2.3`) is above `v1.2.3` and below both `v1.2.4-rc.1` and `v1.2.4`; `v1.2.3-pre.0.2019…`
//!   is above `v1.2.3-pre`. Their timestamps compare as digits, so commits order by time.
//!   [`Version::pseudo`] takes one apart.
//! - **`+incompatible` is build metadata**: it marks a v2+ module without a `/vN` path and
//!   does not order (`v2.0.0+incompatible == v2.0.0`). It is kept for display.
//! - **Leading zeros are invalid** in numbers and numeric pre-release identifiers, as in
//!   `x/mod/semver` (`v1.02.3`, `v1.2.3-01`); components have no upper bound.

use std::fmt;
use std::str::FromStr;

use crate::error::{RangeError, VersionError};
use crate::semver::{self, Identifier};
use crate::set::VersionSet;

const SYNTAX: &str = "Go";

/// A Go module version. `Eq`, `Ord` and `Hash` are SemVer precedence: build metadata such as
/// `+incompatible` is ignored.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Version(semver::Version);

/// The parts of a pseudo-version (`vX.Y.Z-[pre.]0.yyyymmddhhmmss-abcdefabcdef` and
/// `vX.0.0-yyyymmddhhmmss-abcdefabcdef`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Pseudo<'a> {
    /// The commit time, UTC, as 14 digits `yyyymmddhhmmss`.
    pub timestamp: &'a str,
    /// The abbreviated commit hash (12 hex digits in versions the go command writes).
    pub revision: &'a str,
}

impl Version {
    /// The SemVer version inside, build metadata included.
    pub fn as_semver(&self) -> &semver::Version {
        &self.0
    }

    /// Whether this is `+incompatible`: a major version 2 or above of a module that has no
    /// go.mod or no `/vN` suffix in its path.
    pub fn is_incompatible(&self) -> bool {
        self.0.build.iter().map(AsRef::as_ref).eq(["incompatible"])
    }

    /// The timestamp and revision, when this is a pseudo-version: the last pre-release
    /// identifier is `yyyymmddhhmmss-revision`, preceded by `0` or nothing, as the go command
    /// writes them.
    pub fn pseudo(&self) -> Option<Pseudo<'_>> {
        let pre = &self.0.pre;
        let Some(Identifier::Alphanumeric(last)) = pre.last() else {
            return None;
        };
        let (timestamp, revision) = last.split_once('-')?;
        let digits = timestamp.len() == 14 && timestamp.bytes().all(|b| b.is_ascii_digit());
        let hex = !revision.is_empty()
            && revision
                .bytes()
                .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b));
        let base_ok = match pre.len() {
            // vX.0.0-yyyymmddhhmmss-abcdef: no earlier tag.
            1 => self.0.minor.is_zero() && self.0.patch.is_zero(),
            // vX.Y.(Z+1)-0.yyyymmddhhmmss-abcdef and vX.Y.Z-pre.0.yyyymmddhhmmss-abcdef.
            _ => matches!(pre.get(pre.len() - 2), Some(Identifier::Numeric(n)) if n.is_zero()),
        };
        (digits && hex && base_ok).then_some(Pseudo {
            timestamp,
            revision,
        })
    }
}

impl FromStr for Version {
    type Err = VersionError;

    /// `v1.2.3`, `1.2.3`, `v1.2` (= `v1.2.0`), `v1` (= `v1.0.0`), pre-releases, build metadata.
    fn from_str(input: &str) -> Result<Self, Self::Err> {
        VersionError::check_len(SYNTAX, input)?;
        let err = |reason: String| VersionError::new(SYNTAX, input, reason);
        let body = input.strip_prefix('v').unwrap_or(input);
        // x/mod/semver: `vMAJOR` and `vMAJOR.MINOR` stand for `.0` completions, but only
        // when nothing follows them.
        let core_end = body.find(['-', '+']).unwrap_or(body.len());
        let dots = body
            .get(..core_end)
            .map_or(0, |core| core.matches('.').count());
        let expanded;
        let full = match dots {
            0 | 1 if core_end < body.len() => {
                return Err(err(format!(
                    "{:?} has a pre-release or build after a shortened version; expected \
                     MAJOR.MINOR.PATCH before \"-\" or \"+\" (shorthands such as v1.2 stand \
                     alone)",
                    body
                )));
            }
            0 => {
                expanded = format!("{body}.0.0");
                &expanded
            }
            1 => {
                expanded = format!("{body}.0");
                &expanded
            }
            _ => body,
        };
        semver::Version::parse_strict(full)
            .map(Version)
            .map_err(|e| err(e.reason.into_owned()))
    }
}

/// The canonical Go form: `v`, MAJOR.MINOR.PATCH, pre-release, build metadata.
impl fmt::Display for Version {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "v{}", self.0)
    }
}

crate::set::intervals_only!(Version);

/// Parses a Go range in the plain comparator syntax (`>=v1.2.0, <v1.3.0 || =v2.0.0`), since
/// Go has no range syntax of its own.
pub fn parse_range(input: &str) -> Result<VersionSet<Version>, RangeError> {
    crate::comparator::parse("Go range", input, Version::from_str)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn v(s: &str) -> Version {
        s.parse().unwrap_or_else(|e| panic!("{e}"))
    }

    #[test]
    fn v_prefix_and_shorthands() {
        assert_eq!(v("v1.2.3"), v("1.2.3"));
        assert_eq!(v("v1"), v("1.0.0"));
        assert_eq!(v("v1.2"), v("v1.2.0"));
        assert_eq!(v("1.2").to_string(), "v1.2.0");
        assert_eq!(v("v2.0.0+incompatible").to_string(), "v2.0.0+incompatible");
        for bad in [
            "",
            "v",
            "V1.2.3",
            "v1.2-pre",
            "v1-rc.1",
            "v1+meta",
            "v01.2.3",
            "v1.02.3",
            "v1.2.3-01",
            "v1.2.3.4",
            "vv1.2.3",
            " v1.2.3",
            "v1.2.3-",
            "v1.2.3+",
            "latest",
        ] {
            assert!(
                bad.parse::<Version>().is_err(),
                "{bad:?} should be rejected"
            );
        }
    }

    #[test]
    fn pseudo_versions_order_below_their_base_and_by_time() {
        let chain = [
            "v0.0.0-20191109021931-daa7c04131f5",
            "v0.0.0-20200101000000-000000000000",
            "v0.0.0",
            "v1.2.3-pre",
            "v1.2.3-pre.0.20191109021931-daa7c04131f5",
            "v1.2.3",
            "v1.2.4-0.20191109021931-daa7c04131f5",
            "v1.2.4-0.20201109021931-aaaaaaaaaaaa",
            "v1.2.4-rc.1",
            "v1.2.4",
            "v2.0.0+incompatible",
            "v2.0.1",
        ];
        for pair in chain.windows(2) {
            assert!(v(pair[0]) < v(pair[1]), "{} < {}", pair[0], pair[1]);
        }
        assert_eq!(v("v2.0.0+incompatible"), v("2.0.0"));
        assert!(v("v2.0.0+incompatible").is_incompatible());
    }

    #[test]
    fn pseudo_parts() {
        let p = v("v1.2.4-0.20191109021931-daa7c04131f5");
        assert_eq!(
            p.pseudo(),
            Some(Pseudo {
                timestamp: "20191109021931",
                revision: "daa7c04131f5"
            })
        );
        assert!(v("v0.0.0-20191109021931-daa7c04131f5").pseudo().is_some());
        assert!(
            v("v1.2.3-pre.0.20191109021931-daa7c04131f5")
                .pseudo()
                .is_some()
        );
        assert_eq!(v("v1.2.3-rc.1").pseudo(), None);
        assert_eq!(v("v1.2.3-20191109021931-daa7c04131f5").pseudo(), None);
    }

    #[test]
    fn ranges_use_the_comparator_syntax() {
        let r = parse_range(">=1.2.0, <v1.3.0 || =v2.0.0+incompatible")
            .unwrap_or_else(|e| panic!("{e}"));
        assert!(r.contains(&v("v1.2.9")));
        assert!(r.contains(&v("v1.3.0-0.20191109021931-daa7c04131f5")));
        assert!(!r.contains(&v("v1.3.0")));
        assert!(r.contains(&v("v2.0.0")));
        assert!(parse_range(">=v1.2-pre").is_err());
    }

    fn go_version() -> impl Strategy<Value = String> {
        let n = prop_oneof![
            Just("0".to_owned()),
            Just("1".to_owned()),
            "[0-9]{1,3}"
                .prop_map(|s| s.trim_start_matches('0').to_owned())
                .prop_map(|s| if s.is_empty() { "0".to_owned() } else { s })
        ];
        let pre = prop_oneof![
            Just(String::new()),
            Just("-0.20191109021931-daa7c04131f5".to_owned()),
            Just("-20191109021931-daa7c04131f5".to_owned()),
            Just("-pre.0.20191109021931-daa7c04131f5".to_owned()),
            Just("-rc.1".to_owned()),
            Just("-rc.11".to_owned()),
            Just("-r2".to_owned()),
            Just("-r100".to_owned()),
        ];
        let build = prop_oneof![Just(""), Just("+incompatible")];
        (any::<bool>(), n.clone(), n.clone(), n, pre, build).prop_map(
            |(prefix, a, b, c, pre, build)| {
                format!("{}{a}.{b}.{c}{pre}{build}", if prefix { "v" } else { "" })
            },
        )
    }

    proptest! {
        #[test]
        fn total_order(a in go_version(), b in go_version(), c in go_version()) {
            let (a, b, c) = (v(&a), v(&b), v(&c));
            crate::laws::total_order(&a, &b, &c)?;
        }

        #[test]
        fn display_round_trips(s in go_version()) {
            let parsed = v(&s);
            let again = v(&parsed.to_string());
            prop_assert_eq!(&again, &parsed);
            prop_assert_eq!(again.to_string(), parsed.to_string());
        }

        #[test]
        fn ranges_hold_inclusive_bounds_only(a in go_version(), b in go_version()) {
            crate::laws::comparator_bounds(&a, &b, parse_range, (">", "<"))?;
        }

        #[test]
        fn never_panics(s in "\\PC{0,40}") {
            let _ = s.parse::<Version>();
            let _ = parse_range(&s);
        }
    }
}
