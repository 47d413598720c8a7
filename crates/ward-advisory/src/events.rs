//! Version sets (intervals) to OSV range events, for the importers whose source formats
//! write ranges as requirement strings (RustSec's Cargo requirements, the Node.js
//! security-wg's npm ranges).
//!
//! Each interval becomes an `introduced` event and, when bounded above, a `fixed` (exclusive
//! upper bound) or `last_affected` (inclusive upper bound) event.
//!
//! Traps:
//! - **Exclusive lower bounds** have no OSV event. `>1.2.3` starts at the smallest SemVer
//!   version above `1.2.3`, which is the pre-release `1.2.4-0` (and above the pre-release
//!   `1.2.3-rc.1` it is `1.2.3-rc.1.0`): the same rule as RustSec's official OSV export and
//!   the Go database.
//! - **`fixed` and `last_affected` cannot share a range** (schema rule). Intervals closed above
//!   go into a second `SEMVER` range of their own; each range's intervals stay disjoint and
//!   sorted, so the schema's evaluation walk gives exactly the set's answer. Or, as RustSec's
//!   export does, `<=1.2.3` is written `fixed: 1.2.4-0` (the same set in SemVer).
//! - **An unbounded lower end** is `introduced: "0"`; RustSec's export writes `0.0.0-0`, the
//!   smallest SemVer version, which means the same. The caller picks the spelling.
//! - **An empty set** gives no range at all: nothing is affected.

use std::ops::Bound;

use ward_version::number::Number;
use ward_version::semver::{Identifier, Version as SemVer};
use ward_version::{RangeVersion, Ranges};

use crate::osv::{Event, Range, RangeType};

/// The OSV `SEMVER` ranges whose events cover exactly the versions in `set`.
///
/// `zero` spells an unbounded lower end; `semver` gives each bound's SemVer version; `closed`
/// says how an inclusive upper bound is written.
pub(crate) fn semver_ranges<V: RangeVersion>(
    set: &Ranges<V>,
    zero: &str,
    closed: Closed,
    semver: impl Fn(&V) -> &SemVer,
) -> Vec<Range> {
    let closed_as = closed;
    let mut open = Vec::new();
    let mut closed = Vec::new();
    for (lower, upper) in set.iter() {
        let introduced = match lower {
            Bound::Unbounded => zero.to_owned(),
            Bound::Included(v) => display(semver(v)),
            Bound::Excluded(v) => display(&successor(semver(v))),
        };
        match upper {
            Bound::Unbounded => open.push(Event::Introduced(introduced)),
            Bound::Excluded(v) => {
                let fixed = display(semver(v));
                // `<0.0.0-0` and `>1.2.3 <1.2.4-0` hold no version at all.
                if fixed != introduced && fixed != "0.0.0-0" {
                    open.push(Event::Introduced(introduced));
                    open.push(Event::Fixed(fixed));
                }
            }
            Bound::Included(v) => match closed_as {
                Closed::LastAffected => {
                    closed.push(Event::Introduced(introduced));
                    closed.push(Event::LastAffected(display(semver(v))));
                }
                Closed::FixedAtSuccessor => {
                    open.push(Event::Introduced(introduced));
                    open.push(Event::Fixed(display(&successor(semver(v)))));
                }
            },
        }
    }
    [open, closed]
        .into_iter()
        .filter(|events| !events.is_empty())
        .map(|events| Range {
            kind: RangeType::Semver,
            repo: None,
            events,
            database_specific: None,
        })
        .collect()
}

/// How an interval closed above (`<=1.2.3`) is written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Closed {
    /// `last_affected: 1.2.3`, in a range of its own.
    LastAffected,
    /// `fixed: 1.2.4-0`, the successor: the same set, in the same range as the `fixed` ones
    /// (RustSec's export writes it so).
    FixedAtSuccessor,
}

/// The smallest SemVer version above `v` by precedence: `1.2.3` → `1.2.4-0`,
/// `1.2.3-rc.1` → `1.2.3-rc.1.0`. Build metadata takes no part in precedence and is dropped.
pub(crate) fn successor(v: &SemVer) -> SemVer {
    if v.pre.is_empty() {
        SemVer::new(v.major.clone(), v.minor.clone(), v.patch.increment()).with_lowest_prerelease()
    } else {
        let mut next = v.clone();
        next.build.clear();
        next.pre.push(Identifier::Numeric(Number::ZERO));
        next
    }
}

/// A SemVer version as OSV events write it: without build metadata.
fn display(v: &SemVer) -> String {
    let mut v = v.clone();
    v.build.clear();
    v.to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sv(s: &str) -> SemVer {
        SemVer::parse_strict(s).unwrap_or_else(|e| panic!("{e}"))
    }

    #[test]
    fn successor_is_the_next_version_by_precedence() {
        for (v, next) in [
            ("1.2.3", "1.2.4-0"),
            ("1.2.3+build.5", "1.2.4-0"),
            ("1.2.3-9", "1.2.3-9.0"),
            ("1.2.3-alpha.1", "1.2.3-alpha.1.0"),
        ] {
            let got = successor(&sv(v));
            assert_eq!(got.to_string(), next, "{v}");
            assert!(got > sv(v), "{v}");
        }
        // Nothing lies between a version and its successor: the next candidates above.
        assert!(successor(&sv("1.2.3-9")) < sv("1.2.3-10"));
        assert!(successor(&sv("1.2.3-alpha1")) < sv("1.2.3-alpha1-"));
    }

    fn ranges(range: &str) -> Vec<Range> {
        let set = ward_version::npm::parse_range(range).unwrap_or_else(|e| panic!("{e}"));
        semver_ranges(set.intervals(), "0", Closed::LastAffected, |v| {
            v.as_semver()
        })
    }

    fn events(range: &Range) -> Vec<String> {
        range
            .events
            .iter()
            .map(|e| match e {
                Event::Introduced(v) => format!("introduced {v}"),
                Event::Fixed(v) => format!("fixed {v}"),
                Event::LastAffected(v) => format!("last_affected {v}"),
                Event::Limit(v) => format!("limit {v}"),
            })
            .collect()
    }

    #[test]
    fn bounds_become_events() {
        let r = ranges("<1.0.0 || >=2.0.0 <2.5.0 || >3.0.0");
        assert_eq!(r.len(), 1);
        assert_eq!(
            events(&r[0]),
            [
                "introduced 0",
                "fixed 1.0.0",
                "introduced 2.0.0",
                "fixed 2.5.0",
                "introduced 3.0.1-0"
            ]
        );
    }

    #[test]
    fn closed_intervals_get_their_own_range() {
        let r = ranges("<=1.0.0 || >=2.0.0 <3.0.0 || 4.0.0");
        assert_eq!(r.len(), 2);
        assert_eq!(events(&r[0]), ["introduced 2.0.0", "fixed 3.0.0"]);
        assert_eq!(
            events(&r[1]),
            [
                "introduced 0",
                "last_affected 1.0.0",
                "introduced 4.0.0",
                "last_affected 4.0.0"
            ]
        );
    }

    #[test]
    fn closed_intervals_can_end_at_the_successor() {
        let set = ward_version::npm::parse_range("<=1.0.0 || >=2.0.0 <3.0.0").expect("valid");
        let r = semver_ranges(set.intervals(), "0.0.0-0", Closed::FixedAtSuccessor, |v| {
            v.as_semver()
        });
        assert_eq!(r.len(), 1);
        assert_eq!(
            events(&r[0]),
            [
                "introduced 0.0.0-0",
                "fixed 1.0.1-0",
                "introduced 2.0.0",
                "fixed 3.0.0"
            ]
        );
    }

    #[test]
    fn every_and_no_version() {
        assert_eq!(events(&ranges("*")[0]), ["introduced 0"]);
        assert!(ranges("<0.0.0-0").is_empty());
    }
}
