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
