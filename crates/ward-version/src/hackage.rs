//! Hackage (Haskell) package versions, as Cabal reads and orders them, and ranges over them
//! in the plain comparator syntax (see [`crate::comparator`]; Cabal's own `^>=` and `&&`
//! syntax is not what OSV records hold).
//!
//! A version is a non-empty list of natural numbers separated by dots, ordered as a list
//! (`Data.Version`'s `Ord`): element by element, and a longer list with an equal prefix is
//! greater.
//!
//! Traps:
//! - **Length counts**: `1.0 < 1.0.0` and `1 < 1.0` — a missing component is not zero.
//! - **Components are numbers**: `1.10 > 1.9`.
//! - **Validity is Cabal's**: digits and single dots only (`1..2`, `1.`, `v1`, `1.0-rc1` and
//!   `Data.Version`'s obsolete tags `1.0-foo` are rejected), no leading zeros (`1.01`) and at
//!   most 9 digits per component, as Cabal's parser requires: Hackage refuses any other
//!   version, so no package can have one.

use std::cmp::Ordering;
use std::fmt;
use std::str::FromStr;

use crate::error::{RangeError, VersionError};
use crate::number::Number;
use crate::set::VersionSet;

const SYNTAX: &str = "Hackage";
const RANGE_SYNTAX: &str = "Hackage range";

/// A Hackage package version: natural numbers separated by dots.
///
/// Cabal allows no leading zeros, so the spelling is canonical and `Display` rebuilds it.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Version {
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
                "the version is empty; expected numbers separated by dots such as \"1.2.0\"",
            ));
        }
        let components = input
            .split('.')
            .enumerate()
            .map(|(i, part)| {
                let err = |what: &str| {
                    VersionError::new(
                        SYNTAX,
                        input,
                        format!("component {} is {part:?}; expected {what}", i + 1),
                    )
                };
                let n = Number::parse(part)
                    .ok_or_else(|| err("digits, with components separated by dots"))?;
                if part.len() > 1 && part.starts_with('0') {
                    return Err(err("no leading zeros (Cabal rejects them)"));
                }
                if part.len() > 9 {
                    return Err(err("at most 9 digits (Cabal's limit)"));
                }
                Ok(n)
            })
            .collect::<Result<Vec<_>, _>>()?;
        Ok(Version { components })
    }
}

impl Ord for Version {
    fn cmp(&self, other: &Self) -> Ordering {
        // Slices compare element by element, then by length: `Data.Version`'s order.
        self.components.cmp(&other.components)
    }
}

impl PartialOrd for Version {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl fmt::Display for Version {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, n) in self.components.iter().enumerate() {
            if i > 0 {
                f.write_str(".")?;
            }
            write!(f, "{n}")?;
        }
        Ok(())
    }
}

crate::set::intervals_only!(Version);

/// Parses a range of Hackage versions in the comparator syntax (`>= 1.2, < 1.3`), see
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
    fn list_order() {
        assert!(v("1.0") < v("1.0.0"));
        assert!(v("1") < v("1.0"));
        assert!(v("1.9") < v("1.10"));
        assert!(v("0.11.3.0") < v("1.0"));
        assert!(v("999999999.1") > v("999999998.2"));
    }

    #[test]
    fn rejects_what_cabal_rejects() {
        for (input, reason) in [
            ("", "empty"),
            ("1..2", "component 2 is \"\""),
            ("1.", "component 2 is \"\""),
            ("v1", "component 1 is \"v1\""),
            ("1.0-rc1", "component 2 is \"0-rc1\""),
            ("1.01", "leading zeros"),
            ("1.1234567890", "at most 9 digits"),
        ] {
            let err = input
                .parse::<Version>()
                .expect_err("must be rejected")
                .to_string();
            assert!(err.contains(reason), "{input:?}: {err}");
        }
        assert_eq!(v("0.0").to_string(), "0.0");
    }

    #[test]
    fn ranges() {
        let r = parse_range(">= 1.2, < 1.3").expect("must parse");
        assert!(r.contains(&v("1.2")));
        assert!(r.contains(&v("1.2.0.1")));
        assert!(!r.contains(&v("1.1.9")));
        assert!(!r.contains(&v("1.3")));
        assert!(r.contains(&v("1.2.99")));
    }

    fn version() -> impl Strategy<Value = String> {
        prop::collection::vec(
            prop::sample::select(&["0", "1", "2", "10", "999999999"][..]),
            1..5,
        )
        .prop_map(|parts| parts.join("."))
    }

    crate::laws::comparator_scheme_laws!((">", "<"));
}
