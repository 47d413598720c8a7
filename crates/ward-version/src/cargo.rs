//! crates.io versions and Cargo version requirements.
//!
//! A crates.io version is SemVer 2.0.0 exactly as the `semver` crate (which Cargo and
//! crates.io use) accepts it, ordered by SemVer precedence. A requirement is the
//! `semver::VersionReq` syntax (`^1.2.3`, `~1.2`, `>=1.0, <2.0`, `1.*`, `*`), desugared into
//! intervals the way Cargo's documentation defines each operator; see [`parse_range`].
//!
//! Traps:
//! - **Components are `u64`.** The `semver` crate rejects `18446744073709551616.0.0`, so this
//!   module does too; the bounds a requirement produces may go one past (`^18446744073709551615`
//!   ends at `18446744073709551616.0.0-0`), which is why bounds are [`Number`]s.
//! - **No leading zeros, no `v`, exactly three components**: `01.0.0`, `v1.0.0` and `1.0` are
//!   not versions (`1.0` is only a *partial* version inside a requirement).
//! - **Build metadata does not order**: `1.0.0+a == 1.0.0+b`. The `semver` crate's own `Ord`
//!   breaks ties on build metadata (so that `Ord` agrees with its `Eq`); precedence is its
//!   `cmp_precedence`, which is what this module implements.
//! - **A bare version means `^`**: `1.2.3` is `^1.2.3`, not `=1.2.3`.
//! - **`^0.x` is narrower**: `^0.2.3` is `>=0.2.3, <0.3.0` and `^0.0.3` is `>=0.0.3, <0.0.4`.
//! - **Pre-releases and upper bounds**: `2.0.0-alpha` sorts below `2.0.0` but is not in
//!   `^1.2.3`; every upper bound derived from a caret, tilde, wildcard or partial version is
//!   `X.Y.Z-0`, the lowest version of `X.Y.Z`, so it excludes `X.Y.Z`'s pre-releases.
//! - **Pre-releases inside the interval are in** (a vulnerability matcher's question). The
//!   `semver` crate applies Cargo's resolver opt-in instead: a pre-release matches only when
//!   some comparator names the same `MAJOR.MINOR.PATCH` with a pre-release. So
//!   `1.5.0-beta` is in `^1.2.3` here but not for `VersionReq::matches`. For releases both
//!   agree exactly.
//! - **A partial version stands for its whole line, pre-releases included**: `1.2` is
//!   `[1.2.0-0, 1.3.0-0)`, so `>=1.2` starts at `1.2.0-0`, `>1.2` at `1.3.0-0` and `<1.2`
//!   ends before `1.2.0-0` (node-semver's `includePrerelease` desugaring). The `semver` crate
//!   itself lets `^1.2` and `>1.2` match `1.2.0-alpha` and `1.3.0-alpha` once opted in; with
//!   release-only lower bounds (`>=1.3.0`) a requirement such as `>1.2, >=1.3.0-alpha` would
//!   miss a version Cargo accepts. On releases this is exactly Cargo's table.
//! - **`*` must stand alone**: `*, <2` is an error in the `semver` crate, and here.
//! - **Whitespace is spaces only**, around operators and commas; a tab is an error, and two
//!   comparators must be separated by a comma (`>=1 <2` is an error).
//! - **At most 32 comparators**, the `semver` crate's limit.

use std::cmp::Ordering;
use std::fmt;
use std::str::FromStr;

use crate::error::VersionError;
use crate::number::Number;
use crate::semver;

mod range;

pub use range::parse_range;

const SYNTAX: &str = "crates.io";

/// A crates.io version: SemVer 2.0.0 with `u64` components. `Eq`/`Ord` are SemVer precedence
/// (build metadata ignored).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Version(semver::Version);

impl Version {
    /// The SemVer version inside.
    pub fn as_semver(&self) -> &semver::Version {
        &self.0
    }

    /// Wraps a SemVer version without checking the `u64` limit: used for the bounds of
    /// requirement intervals, which may lie one past `u64::MAX`.
    pub(crate) fn bound(v: semver::Version) -> Self {
        Self(v)
    }
}

impl Ord for Version {
    fn cmp(&self, other: &Self) -> Ordering {
        self.0.cmp(&other.0)
    }
}

impl PartialOrd for Version {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl FromStr for Version {
    type Err = VersionError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        VersionError::check_len(SYNTAX, s)?;
        let v =
            semver::Version::parse_strict(s).map_err(|e| VersionError::new(SYNTAX, s, e.reason))?;
        for (name, n) in [
            ("major", &v.major),
            ("minor", &v.minor),
            ("patch", &v.patch),
        ] {
            check_u64(name, n).map_err(|reason| VersionError::new(SYNTAX, s, reason))?;
        }
        Ok(Self(v))
    }
}

/// The `semver` crate stores components as `u64` and rejects larger ones.
pub(crate) fn check_u64(name: &str, n: &Number) -> Result<(), String> {
    match n.as_u64() {
        Some(_) => Ok(()),
        None => Err(format!(
            "{name} version {n} is too large; expected at most {} (Cargo stores it as u64)",
            u64::MAX
        )),
    }
}

impl fmt::Display for Version {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.fmt(f)
    }
}

crate::set::intervals_only!(Version);

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn v(s: &str) -> Version {
        s.parse().unwrap_or_else(|e| panic!("{e}"))
    }

    #[test]
    fn precedence_ignores_build() {
        assert_eq!(v("1.0.0+a"), v("1.0.0+b"));
        assert!(v("1.0.0-rc.1") < v("1.0.0"));
        assert!(v("1.0.0-beta.2") < v("1.0.0-beta.11"));
        assert!(v("1.0.0-alpha") < v("1.0.0-alpha.1"));
    }

    #[test]
    fn accepts_what_the_semver_crate_accepts() {
        for good in [
            "0.0.0",
            "18446744073709551615.0.0",
            "1.2.3-0",
            "1.2.3--",
            "1.2.3-99999999999999999999999",
            "1.2.3+001",
            "1.2.3-a-b.c+d-e.f",
        ] {
            assert!(good.parse::<Version>().is_ok(), "{good}");
        }
        for bad in [
            "",
            "1",
            "1.2",
            "1.2.3.4",
            "v1.2.3",
            "01.2.3",
            "1.2.3-01",
            "18446744073709551616.0.0",
            " 1.2.3",
            "1.2.3 ",
            "1.2.3-",
            "1.2.3+",
            "1.2.3-a..b",
            "1.2.3+a+b",
            "1.2.3-ä",
        ] {
            assert!(
                bad.parse::<Version>().is_err(),
                "{bad:?} should be rejected"
            );
        }
        let err = "18446744073709551616.0.0"
            .parse::<Version>()
            .expect_err("too large");
        assert!(err.to_string().contains("too large"), "{err}");
    }

    fn version() -> impl Strategy<Value = String> {
        let num = prop_oneof![0u64..4, Just(u64::MAX), any::<u64>()];
        let ident = prop_oneof![
            "[0-9]{1,3}"
                .prop_map(|s| s.trim_start_matches('0').to_owned())
                .prop_map(|s| if s.is_empty() { "0".to_owned() } else { s }),
            "[a-zA-Z-][0-9a-zA-Z-]{0,3}",
        ];
        let pre = proptest::collection::vec(ident, 0..3);
        let build = proptest::collection::vec("[0-9a-z-]{1,3}", 0..2);
        (num.clone(), num.clone(), num, pre, build).prop_map(|(a, b, c, pre, build)| {
            let mut s = format!("{a}.{b}.{c}");
            if !pre.is_empty() {
                s = format!("{s}-{}", pre.join("."));
            }
            if !build.is_empty() {
                s = format!("{s}+{}", build.join("."));
            }
            s
        })
    }

    proptest! {
        #[test]
        fn display_round_trips(s in version()) {
            let parsed = v(&s);
            prop_assert_eq!(parsed.to_string(), s);
        }

        #[test]
        fn total_order(a in version(), b in version(), c in version()) {
            let (a, b, c) = (v(&a), v(&b), v(&c));
            crate::laws::total_order(&a, &b, &c)?;
        }
    }
}
