//! RPM versions (`[epoch:]version[-release]`, Red Hat, Rocky, AlmaLinux, SUSE, openEuler…),
//! ordered by rpm's `rpmvercmp` as rpm 4.18 does, read the way OSV's tools (osv-scalibr's Red
//! Hat comparator and osv.dev's) read an EVR string; ranges use the plain comparator syntax
//! (see [`crate::comparator`]).
//!
//! `rpmvercmp` skips every character that is not an ASCII letter, digit, `~` or `^`, then
//! compares what is left as segments: maximal runs of digits (as numbers) or of letters (as
//! bytes), with `~` and `^` as markers. Ward reads each part as that list of segments once,
//! at parse time, and compares the lists; this is the same order (see [`Segment`]).
//!
//! Traps:
//! - **`~` sorts before everything, even the end**: `1.0~rc1 < 1.0`.
//! - **`^` sorts after the end but before anything else**: `1.0 < 1.0^git1 < 1.0.1` and
//!   `1.0^git1 < 1.0a`.
//! - **Numbers beat letters**: `1.0.1 > 1.0.a`; digit runs compare as numbers of any size,
//!   leading zeros ignored (`10.0001 == 10.1`); letter runs compare by bytes (`Z < a`).
//! - **Separators only separate**: `1_0 == 1.0 == 1+0`, `1. == 1`; non-ASCII characters (`α`)
//!   are separators too, so `1.1.α == 1.1.β` — rpm and OSV agree on that.
//! - **The epoch is digits before the first colon**: `1:2.0`; a colon after anything else is
//!   part of the version (`a:1`, `1.m+e2:1`), and `:1` has epoch 0, as rpm reads them. A
//!   missing epoch equals `0`.
//! - **A missing release is lower than any release**: `1 < 1-`, `1 < 1-1`, even
//!   `1 < 1-~1`. OSV's tools and rpm 4.18's EVR comparison (`rpm.ver`) agree on this; only
//!   rpm's dependency matching skips a missing release (`Requires: foo >= 1.0` accepts every
//!   release of 1.0), which is a question of ranges, not of order.
//! - **The release starts after the *first* hyphen** in OSV's tools, and after the *last* in
//!   rpm. rpm forbids hyphens inside a version or a release, so this only decides malformed
//!   strings; ward follows OSV, and the differential test leaves multi-hyphen strings out.
//! - **Validity**: rpm compares any string. Ward rejects only what cannot be a version: an
//!   empty string, an empty version part (`1:`, `-1`), and whitespace or control
//!   characters. Epochs of any size compare as numbers.

use std::cmp::Ordering;
use std::fmt;
use std::str::FromStr;

use crate::error::{RangeError, VersionError};
use crate::number::Number;
use crate::set::VersionSet;

const SYNTAX: &str = "RPM";
const RANGE_SYNTAX: &str = "RPM range";

/// A segment of a version or release as `rpmvercmp` sees it.
///
/// Lists of segments compare element by element, a missing element (the end of the string)
/// ordering between [`Segment::Tilde`] and [`Segment::Caret`]:
/// `Tilde < end < Caret < Alpha < Numeric`. This is exactly `rpmvercmp`'s order: its loop
/// returns at the first differing segment, and when one string runs out "the one with
/// characters left wins", unless what is left starts with `~` (which loses) — and `^` wins
/// only against the end.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Segment {
    /// `~`: sorts before everything, even the end of the string.
    Tilde,
    /// `^`: sorts after the end of the string, before any other segment.
    Caret,
    /// A run of ASCII letters, compared by bytes.
    Alpha(Box<str>),
    /// A run of ASCII digits, compared as a number.
    Numeric(Number),
}

/// One segment or the end of the list, in `rpmvercmp`'s order.
fn rank(s: Option<&Segment>) -> u8 {
    match s {
        Some(Segment::Tilde) => 0,
        None => 1,
        Some(Segment::Caret) => 2,
        Some(Segment::Alpha(_)) => 3,
        Some(Segment::Numeric(_)) => 4,
    }
}

/// Splits a version or release into `rpmvercmp`'s segments.
fn segments(s: &str) -> Vec<Segment> {
    let b = s.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < b.len() {
        let start = i;
        match b[i] {
            b'~' => {
                out.push(Segment::Tilde);
                i += 1;
            }
            b'^' => {
                out.push(Segment::Caret);
                i += 1;
            }
            c if c.is_ascii_digit() => {
                while i < b.len() && b[i].is_ascii_digit() {
                    i += 1;
                }
                // Digits only, so this always succeeds.
                if let Some(n) = Number::parse(&s[start..i]) {
                    out.push(Segment::Numeric(n));
                }
            }
            c if c.is_ascii_alphabetic() => {
                while i < b.len() && b[i].is_ascii_alphabetic() {
                    i += 1;
                }
                out.push(Segment::Alpha(s[start..i].into()));
            }
            // Any other byte (including those of non-ASCII characters) only separates.
            _ => i += 1,
        }
    }
    out
}

/// `rpmvercmp` over segment lists.
fn compare_segments(a: &[Segment], b: &[Segment]) -> Ordering {
    let mut i = 0;
    loop {
        let (x, y) = (a.get(i), b.get(i));
        if x.is_none() && y.is_none() {
            return Ordering::Equal;
        }
        let order = rank(x).cmp(&rank(y)).then_with(|| x.cmp(&y));
        if order != Ordering::Equal {
            return order;
        }
        i += 1;
    }
}

/// An RPM version: `[epoch:]version[-release]`.
///
/// `Eq`, `Ord` and `Hash` are the EVR order (`1.0 == 0:1.0 == 1_0`); `Display` shows the
/// string as it was written.
#[derive(Debug, Clone)]
pub struct Version {
    original: Box<str>,
    epoch: Number,
    version: Vec<Segment>,
    /// `None` when there is no hyphen; `Some` (possibly empty) otherwise.
    release: Option<Vec<Segment>>,
}

impl Version {
    /// The epoch; zero when none is written.
    pub fn epoch(&self) -> &Number {
        &self.epoch
    }

    /// The version's segments, as `rpmvercmp` compares them.
    pub fn version_segments(&self) -> &[Segment] {
        &self.version
    }

    /// The release's segments; `None` when the string has no release.
    pub fn release_segments(&self) -> Option<&[Segment]> {
        self.release.as_deref()
    }
}

/// `rpmvercmp(a, b)` on two version or release strings, as `rpm.vercmp` answers it.
pub fn vercmp(a: &str, b: &str) -> Ordering {
    compare_segments(&segments(a), &segments(b))
}

impl FromStr for Version {
    type Err = VersionError;

    fn from_str(input: &str) -> Result<Self, Self::Err> {
        VersionError::check_len(SYNTAX, input)?;
        let err = |reason: String| VersionError::new(SYNTAX, input, reason);
        if input.is_empty() {
            return Err(err(
                "the version is empty; expected [epoch:]version[-release]".into(),
            ));
        }
        if let Some(c) = input.chars().find(|c| c.is_whitespace() || c.is_control()) {
            return Err(err(format!(
                "it contains {c:?}; expected no whitespace or control characters"
            )));
        }
        // The epoch is the digits before the first colon, when only digits precede it.
        let (epoch, rest) = match input.split_once(':') {
            Some((e, rest)) if e.bytes().all(|b| b.is_ascii_digit()) => {
                (Number::parse(e).unwrap_or(Number::ZERO), rest)
            }
            _ => (Number::ZERO, input),
        };
        let (version, release) = match rest.split_once('-') {
            Some((v, r)) => (v, Some(r)),
            None => (rest, None),
        };
        if version.is_empty() {
            return Err(err(format!(
                "the version part is empty{}; expected a version such as \"1.2.3\"",
                if rest.len() < input.len() {
                    " after the epoch"
                } else {
                    ""
                }
            )));
        }
        Ok(Version {
            original: input.into(),
            epoch,
            version: segments(version),
            release: release.map(segments),
        })
    }
}

impl Ord for Version {
    fn cmp(&self, other: &Self) -> Ordering {
        self.epoch
            .cmp(&other.epoch)
            .then_with(|| compare_segments(&self.version, &other.version))
            .then_with(|| match (&self.release, &other.release) {
                (None, None) => Ordering::Equal,
                (None, Some(_)) => Ordering::Less,
                (Some(_), None) => Ordering::Greater,
                (Some(a), Some(b)) => compare_segments(a, b),
            })
    }
}

crate::eq_from_ord!(Version);

impl std::hash::Hash for Version {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        // Segment lists are equal exactly when they compare equal.
        self.epoch.hash(state);
        self.version.hash(state);
        self.release.hash(state);
    }
}

impl fmt::Display for Version {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.original)
    }
}

crate::set::intervals_only!(Version);

/// Parses a range of RPM versions in the comparator syntax (`>= 0:1.2-3.el8, < 1.3`), see
/// [`crate::comparator`].
pub fn parse_range(input: &str) -> Result<VersionSet<Version>, RangeError> {
    crate::comparator::parse(RANGE_SYNTAX, input, Version::from_str)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use std::collections::hash_map::DefaultHasher;
    use std::hash::{Hash, Hasher};

    fn v(s: &str) -> Version {
        s.parse().unwrap_or_else(|e| panic!("{e}"))
    }

    fn hash(v: &Version) -> u64 {
        let mut h = DefaultHasher::new();
        v.hash(&mut h);
        h.finish()
    }

    #[test]
    fn rpmvercmp_examples() {
        use Ordering::*;
        for (a, b, o) in [
            ("1.0", "1.0", Equal),
            ("1.0~rc1", "1.0", Less),
            ("1.0~rc1~git", "1.0~rc1", Less),
            ("1.0^", "1.0", Greater),
            ("1.0^git1", "1.0.1", Less),
            ("1.0^git1", "1.0a", Less),
            ("1.0^git1~pre", "1.0^git1", Less),
            ("1.0a", "1.0.1", Less),
            ("10.0001", "10.1", Equal),
            ("2_0", "2.0", Equal),
            ("1.", "1", Equal),
            ("xyz.4", "8", Less),
            ("1.1.α", "1.1.β", Equal),
            ("Z", "a", Less),
            (
                "1.99999999999999999999999",
                "1.100000000000000000000000",
                Less,
            ),
        ] {
            assert_eq!(vercmp(a, b), o, "{a} vs {b}");
            assert_eq!(vercmp(b, a), o.reverse(), "{b} vs {a}");
        }
    }

    #[test]
    fn evr_reading() {
        assert!(v("3") < v("1:2"));
        assert_eq!(v("0:1.0-1"), v("1.0-1"));
        assert_eq!(v(":1.0"), v("1.0"));
        assert!(v("a:1") < v("b:1"));
        assert!(v("1") < v("1-1"));
        assert!(v("1") < v("1-"));
        assert!(v("1-~1") > v("1"));
        assert_eq!(v("1-"), v("1-."));
        assert_eq!(v("13:5").epoch(), &Number::from(13));
        assert_eq!(hash(&v("1.0-1")), hash(&v("0:1_0-01")));
    }

    #[test]
    fn rejects_what_cannot_be_a_version() {
        for (input, reason) in [
            ("", "empty"),
            ("1:", "empty after the epoch"),
            ("-1", "version part is empty"),
            ("1.0 -1", "whitespace"),
            ("1.0\u{0}", "control"),
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
        let r = parse_range(">= 0:1.2-3.el8, < 1.3").expect("must parse");
        assert!(r.contains(&v("1.2-3.el8_1")));
        assert!(!r.contains(&v("1.2-3")));
        assert!(r.contains(&v("1.3~rc1-1")));
        assert!(!r.contains(&v("1:1.0")));
        assert_eq!(
            parse_range("<").expect_err("must be rejected").syntax,
            "RPM range"
        );
    }

    fn part() -> impl Strategy<Value = String> {
        const A: &[&str] = &[
            "0", "1", "01", "10", "a", "b", "Z", "rc", ".", "_", "+", "~", "^", "α",
        ];
        prop::collection::vec(prop::sample::select(A), 1..6).prop_map(|v| v.concat())
    }

    fn version() -> impl Strategy<Value = String> {
        (
            prop::option::of(prop::sample::select(&["0", "1", "007", "a"][..])),
            "[0-9a-z]",
            part(),
            prop::option::of(part()),
        )
            .prop_map(|(e, first, v, r)| {
                let mut s = String::new();
                if let Some(e) = e {
                    s.push_str(&format!("{e}:"));
                }
                s.push_str(&first);
                s.push_str(&v);
                if let Some(r) = r {
                    s.push_str(&format!("-{r}"));
                }
                s
            })
    }

    crate::laws::comparator_scheme_laws!((">", "<"), hash_agrees);
}
