//! The laws every scheme's property tests check, written once (test builds only).
//!
//! Each scheme module generates versions that hit its own traps and hands them here.

use std::fmt::{Debug, Display};
use std::hash::{DefaultHasher, Hash, Hasher};
use std::str::FromStr;

use proptest::prelude::*;

use crate::error::{RangeError, VersionError};
use crate::set::{RangeVersion, VersionSet};

/// Parses a generated version, which must be valid.
pub(crate) fn version<V: FromStr<Err = VersionError>>(s: &str) -> V {
    s.parse().unwrap_or_else(|e| panic!("{e}"))
}

/// Antisymmetry, `Eq` agreeing with `Ord`, and transitivity on one triple.
pub(crate) fn total_order<V: Ord + Debug>(a: &V, b: &V, c: &V) -> Result<(), TestCaseError> {
    prop_assert_eq!(a.cmp(b), b.cmp(a).reverse());
    prop_assert_eq!(a == b, a.cmp(b) == std::cmp::Ordering::Equal);
    if a <= b && b <= c {
        prop_assert!(
            a <= c,
            "{:?} <= {:?} <= {:?} but not {:?} <= {:?}",
            a,
            b,
            c,
            a,
            c
        );
    }
    Ok(())
}

/// Equal versions hash alike.
pub(crate) fn hash_agrees<V: Hash + Eq + Debug>(a: &V, b: &V) -> Result<(), TestCaseError> {
    if a == b {
        let hash = |v: &V| {
            let mut h = DefaultHasher::new();
            v.hash(&mut h);
            h.finish()
        };
        prop_assert_eq!(hash(a), hash(b), "{:?} == {:?}", a, b);
    }
    Ok(())
}

/// A version displays as it was written, and that parses back to an equal version.
pub(crate) fn round_trips<V>(s: &str) -> Result<(), TestCaseError>
where
    V: FromStr<Err = VersionError> + Display + Eq + Debug,
{
    let x: V = version(s);
    prop_assert_eq!(x.to_string(), s);
    prop_assert_eq!(version::<V>(&x.to_string()), x);
    Ok(())
}

/// In the comparator syntax, `>=lo, <=hi` holds both bounds and `>lo <hi` (with `strict`
/// spelling `>` and `<`) holds neither.
pub(crate) fn comparator_bounds<V>(
    a: &str,
    b: &str,
    parse_range: fn(&str) -> Result<VersionSet<V>, RangeError>,
    (above, below): (&str, &str),
) -> Result<(), TestCaseError>
where
    V: RangeVersion + FromStr<Err = VersionError>,
{
    let (lo, hi) = if version::<V>(a) <= version::<V>(b) {
        (a, b)
    } else {
        (b, a)
    };
    let (vlo, vhi) = (version::<V>(lo), version::<V>(hi));
    let inclusive = parse_range(&format!(">={lo}, <={hi}")).expect("must parse");
    prop_assert!(inclusive.contains(&vlo) && inclusive.contains(&vhi));
    let exclusive = parse_range(&format!("{above}{lo} {below}{hi}")).expect("must parse");
    prop_assert!(!exclusive.contains(&vlo) && !exclusive.contains(&vhi));
    Ok(())
}

/// The four property tests of a scheme whose ranges are plain comparators: total order (and
/// hash agreement when `hash_agrees` is named), display round trip, comparator bounds with
/// `ops` (the scheme's strict `>`/`<`), and no panic on any text. Expects `version()` (the
/// generator), `v` (parse a generated string), `Version` and `parse_range` in scope.
macro_rules! comparator_scheme_laws {
    ($ops:expr $(, $hash:ident)?) => {
        proptest! {
            #[test]
            fn order_is_total(a in version(), b in version(), c in version()) {
                let (a, b, c) = (v(&a), v(&b), v(&c));
                crate::laws::total_order(&a, &b, &c)?;
                $(crate::laws::$hash(&a, &b)?;)?
            }

            #[test]
            fn display_round_trips(s in version()) {
                crate::laws::round_trips::<Version>(&s)?;
            }

            #[test]
            fn ranges_hold_their_bounds(a in version(), b in version()) {
                crate::laws::comparator_bounds(&a, &b, parse_range, $ops)?;
            }

            #[test]
            fn never_panics(s in "\\PC{0,40}") {
                let _ = s.parse::<Version>();
                let _ = parse_range(&s);
            }
        }
    };
}
pub(crate) use comparator_scheme_laws;
