//! CRAN (R) package versions, ordered as R's `package_version` orders them, and ranges over
//! them in the plain comparator syntax (see [`crate::comparator`]).
//!
//! R reads a version as a list of non-negative integers separated by `.` or `-`
//! (`1.2-3` is `[1, 2, 3]`) and compares the lists element by element; when one list is a
//! prefix of the other, the longer one is greater.
//!
//! Traps:
//! - **`.` and `-` are the same separator**: `1.2-3 == 1.2.3`. [`Version`]'s `Display`
//!   keeps the spelling; `Eq` and `Hash` do not.
//! - **Components are numbers**: `0.01 == 0.1` and `1.10 > 1.9`; they have no upper bound
//!   here ([`Number`]), where R would lose precision past 2^31.
//! - **Length counts**: `0.1.0 < 0.1.0.0` and `1.0 < 1.0.0` — a missing component is not
//!   zero, unlike SemVer-minded tools.
//! - **Validity is R's**: only digits and single separators, starting and ending with a
//!   digit (`1..2`, `1.`, `v1.0`, `1.0a` are rejected). R's `package_version` wants at least
//!   two components, but OSV's test data compares `1` as a version (`numeric_version`
//!   allows it), so ward accepts one component.

use std::cmp::Ordering;
use std::fmt;
use std::str::FromStr;

use crate::error::{RangeError, VersionError};
use crate::number::Number;
use crate::set::VersionSet;

const SYNTAX: &str = "CRAN";
const RANGE_SYNTAX: &str = "CRAN range";

/// A CRAN package version: integers separated by `.` or `-`.
///
/// `Eq`, `Ord` and `Hash` compare the integer lists (`1.2-3 == 1.2.03`); `Display` shows the
/// version as it was written.
#[derive(Debug, Clone)]
pub struct Version {
    original: Box<str>,
    components: Vec<Number>,
}

impl Version {
    /// The integer components, in order.
    pub fn components(&self) -> &[Number] {
        &self.components
    }
}

impl FromStr for Version {
    type Err = VersionError;

    fn from_str(input: &str) -> Result<Self, Self::Err> {
        VersionError::check_len(SYNTAX, input)?;
        if input.is_empty() {
            return Err(VersionError::new(
                SYNTAX,
                input,
                "the version is empty; expected integers separated by \".\" or \"-\" such as \"1.2-3\"",
            ));
        }
        let components = input
            .split(['.', '-'])
            .enumerate()
            .map(|(i, part)| {
                Number::parse(part).ok_or_else(|| {
                    VersionError::new(
                        SYNTAX,
                        input,
                        format!(
                            "component {} is {part:?}; expected digits, separated by \".\" or \"-\"",
                            i + 1
                        ),
                    )
                })
            })
            .collect::<Result<Vec<_>, _>>()?;
        Ok(Version {
            original: input.into(),
            components,
        })
    }
}

impl Ord for Version {
    fn cmp(&self, other: &Self) -> Ordering {
        // Slices compare element by element, then by length: R's order.
        self.components.cmp(&other.components)
    }
}

impl PartialOrd for Version {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl PartialEq for Version {
    fn eq(&self, other: &Self) -> bool {
        self.components == other.components
    }
}

impl Eq for Version {}

impl std::hash::Hash for Version {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        self.components.hash(state);
    }
}

impl fmt::Display for Version {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.original)
    }
}

crate::set::intervals_only!(Version);

/// Parses a range of CRAN versions in the comparator syntax (`>= 1.2-3, < 2.0`), see
/// [`crate::comparator`].
pub fn parse_range(input: &str) -> Result<VersionSet<Version>, RangeError> {
    crate::comparator::parse(RANGE_SYNTAX, input, Version::from_str)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn v(s: &str) -> Version {
        s.parse().unwrap_or_else(|e| panic!("{e}"))
    }

    #[test]
    fn r_order() {
        assert_eq!(v("0.01"), v("0.1"));
        assert_eq!(v("1.2-3"), v("1.2.3"));
        assert!(v("0.1.0") < v("0.1.0.0"));
        assert!(v("1.9") < v("1.10"));
        assert!(v("0.3.2.0") > v("0.3.2"));
        assert!(v("1") < v("1.0"));
        assert!(v("99999999999999999999999.1") > v("99999999999999999999998.2"));
    }

    #[test]
    fn rejects_non_numeric_components() {
        for (input, reason) in [
            ("", "empty"),
            ("1..2", "component 2 is \"\""),
            ("1.", "component 2 is \"\""),
            ("-1", "component 1 is \"\""),
            ("v1.0", "component 1 is \"v1\""),
            ("1.0a", "component 2 is \"0a\""),
            ("1.0 ", "component 2 is \"0 \""),
        ] {
            let err = input
                .parse::<Version>()
                .expect_err("must be rejected")
                .to_string();
            assert!(err.contains(reason), "{input:?}: {err}");
        }
    }

    #[test]
    fn ranges() {
        let r = parse_range(">= 1.2-3, < 2.0").expect("must parse");
        assert!(r.contains(&v("1.2.3")));
        assert!(r.contains(&v("1.10")));
        assert!(!r.contains(&v("1.2")));
        assert!(!r.contains(&v("2.0")));
        assert!(r.contains(&v("2")));
    }

    fn version() -> impl Strategy<Value = String> {
        prop::collection::vec(
            (
                prop::sample::select(
                    &["0", "00", "01", "1", "2", "10", "123456789012345678901"][..],
                ),
                prop::sample::select(&[".", "-"][..]),
            ),
            1..5,
        )
        .prop_map(|parts| {
            let mut s = String::new();
            for (i, (n, sep)) in parts.iter().enumerate() {
                if i > 0 {
                    s.push_str(sep);
                }
                s.push_str(n);
            }
            s
        })
    }

    crate::laws::comparator_scheme_laws!((">", "<"));
}
