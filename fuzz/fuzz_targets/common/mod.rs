//! What every scheme's fuzz target checks, beyond "does not panic".
//!
//! The input is split at newlines into two versions and a range. For whatever parses:
//! a version equals itself, ordering is antisymmetric, displaying a version and parsing it
//! back gives an equal version, and a range answers membership and displays itself.
//!
//! The lockfile readers' checks are in [`lockfile`], the OSV converters' in [`advisory`], the
//! signature formats' in [`sign`].

// Each target includes all of `common` and uses one part of it.
#![allow(dead_code)]

pub mod advisory;
pub mod lockfile;
pub mod sign;

use std::cmp::Ordering;

use ward_version::Scheme;


pub fn scheme(scheme: Scheme, data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let mut parts = text.splitn(3, '\n');
    let a = parts.next().unwrap_or_default();
    let b = parts.next().unwrap_or_default();
    let range = parts.next().unwrap_or(text);

    let va = scheme.parse_version(a);
    let vb = scheme.parse_version(b);
    if let Ok(va) = &va {
        assert_eq!(va.compare(va), Some(Ordering::Equal), "{a:?} is not equal to itself");
        let shown = va.to_string();
        // The length limit guards untrusted input; normalising can lengthen a version
        // (SEMVER's `1.2` displays as `1.2.0`), so a display past the limit is not re-read.
        if shown.len() <= ward_version::MAX_VERSION_LEN {
            let back = scheme
                .parse_version(&shown)
                .unwrap_or_else(|e| panic!("{a:?} displays as {shown:?}, which does not parse: {e}"));
            assert_eq!(va.compare(&back), Some(Ordering::Equal), "{a:?} displays as {shown:?}, a different version");
        }
    }
    if let (Ok(va), Ok(vb)) = (&va, &vb) {
        let ab = va.compare(vb).expect("same scheme");
        let ba = vb.compare(va).expect("same scheme");
        assert_eq!(ab, ba.reverse(), "{a:?} vs {b:?} is not antisymmetric");
    }
    if let Ok(r) = scheme.parse_range(range) {
        let _ = r.to_string();
        for v in [&va, &vb].into_iter().flatten() {
            assert!(r.contains(v).is_some(), "a range and a version of one scheme always compare");
        }
    }
}
