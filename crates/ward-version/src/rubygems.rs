//! RubyGems versions (`Gem::Version`) and requirements (`Gem::Requirement`), exactly as the
//! RubyGems that ships with Ruby 3.1 (3.3.x) reads, orders and matches them.
//!
//! A version is digits, then dot-separated alphanumeric parts, then optionally a `-` and
//! dot-separated parts that may also contain `-` (`1.2.3`, `1.0.a10`, `2.0.0-rc.1`). It is
//! compared on its *segments*: runs of digits (numbers) and runs of letters (strings), with
//! `-` read as `.pre.`. A version containing a letter is a prerelease. Requirements are
//! `OP VERSION` (`~>`, `>=`, `>`, `<=`, `<`, `=`, `!=`; none means `=`), comma-separated ones
//! all apply; see [`parse_range`].
//!
//! Traps:
//! - **Segments split at digit/letter boundaries, not only at dots**: `1.0.a10` is
//!   `1, 0, "a", 10` and equals `1.0.a.10`; so `1.0.a10 > 1.0.a.9` and `1.0.a9 < 1.0.a.10`
//!   (numbers compare as numbers, not as text).
//! - **Trailing zeros do not count, but only at the end of the numeric part and at the very
//!   end**: `1.0 == 1 == 1.0.0`, `1.0.a == 1.a` (RubyGems' `canonical_segments`), yet
//!   `1.a.0.b != 1.a.b`. Equality, ordering and [`Hash`] all use the canonical segments.
//! - **Strings sort below numbers, and a missing segment counts as `0`**: `1.0.b1 < 1.0`,
//!   `1.a < 1 < 1.0.1`, and `1.a.b < 1.a` (the `b` meets a padding `0`). Strings compare
//!   byte-wise: `1.B < 1.a`.
//! - **`-` means `.pre.`**: `1.0-rc1` is `1.0.pre.rc1`, a prerelease that sorts with the
//!   other `pre` strings: `1.0-rc1 == 1.0.pre.rc1` and `1.0-rc1 < 1.0.a` is false (`pre > a`).
//! - **Whitespace around a version is ignored, and an empty version is `0`**: `Gem::Version.
//!   correct?` accepts `""` and `"  "`, which `Gem::Version.new` reads as `0`. This module
//!   accepts them the same way (and displays them as `0`) so that it agrees with RubyGems on
//!   every string; whitespace *inside* a version is an error.
//! - **Numbers have no upper bound**: segments are [`Number`]s, so 30-digit versions order.
//! - **`~>` excludes the prereleases of its upper bound**: `~> 1.2` is
//!   `v >= 1.2 && v.release < 2`, so `2.0.a` is *not* in it although `2.0.a < 2`. Because
//!   there is no lowest prerelease of `2` (`2.A > 2.A.A > 2.A.A.A ...`), the upper bound is a
//!   version that no string parses to: the infimum of `2`'s prereleases, displayed `2.A` (its
//!   largest member of that chain) — see [`parse_range`].

mod range;

use std::cmp::Ordering;
use std::fmt;
use std::hash::{Hash, Hasher};
use std::str::FromStr;

use crate::error::VersionError;
use crate::number::Number;

pub use range::parse_range;

const SYNTAX: &str = "RubyGems";

/// A RubyGems version, as `Gem::Version` reads it.
///
/// `Eq`, `Ord` and `Hash` are `Gem::Version#<=>` on canonical segments: `1.0 == 1`.
#[derive(Debug, Clone)]
pub struct Version {
    /// The version as written, without surrounding whitespace (`0` for an empty one).
    text: Box<str>,
    /// Ruby's `segments`: numbers and letter runs, with `-` read as `.pre.`.
    segments: Vec<Segment>,
    /// Ruby's `canonical_segments`: trailing zeros dropped from the numeric part and the end.
    canonical: Vec<Segment>,
}

/// One segment. The derived order is RubyGems' for present segments: the `Floor` of a
/// range bound below every string, strings below numbers, strings byte-wise.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
enum Segment {
    /// Below every segment and the padding `0`: ends the infimum of a release's prereleases.
    /// Only range bounds built by [`range`] contain it, as their last segment.
    Floor,
    Str(Box<str>),
    Num(Number),
}

impl Version {
    /// Whether this is a prerelease: it contains a letter (`1.0.a`, `1.0-1`).
    pub fn is_prerelease(&self) -> bool {
        self.segments.iter().any(|s| matches!(s, Segment::Str(_)))
    }

    /// `Gem::Version#release`: the segments before the first string (`1.2.a3` -> `1.2`).
    #[must_use]
    pub fn release(&self) -> Version {
        if !self.is_prerelease() {
            return self.clone();
        }
        let numbers: Vec<Segment> = self
            .segments
            .iter()
            .take_while(|s| matches!(s, Segment::Num(_)))
            .cloned()
            .collect();
        Version::from_numbers(numbers)
    }

    /// `Gem::Version#bump`, the exclusive upper bound of `~>`: the release, without its last
    /// number when it has more than one, with the last remaining number incremented
    /// (`1.2.3 -> 1.3`, `1.2 -> 2`, `1 -> 2`, `1.0.rc1 -> 2`).
    #[must_use]
    pub fn bump(&self) -> Version {
        let mut numbers: Vec<Segment> = self
            .segments
            .iter()
            .take_while(|s| matches!(s, Segment::Num(_)))
            .cloned()
            .collect();
        if numbers.len() > 1 {
            numbers.pop();
        }
        match numbers.last_mut() {
            Some(Segment::Num(n)) => *n = n.increment(),
            // A parsed version always starts with a number; this keeps `bump` total anyway.
            _ => numbers = vec![Segment::Num(Number::from(1))],
        }
        Version::from_numbers(numbers)
    }

    /// A release made of numeric segments only.
    fn from_numbers(numbers: Vec<Segment>) -> Version {
        let text = numbers
            .iter()
            .map(|s| match s {
                Segment::Num(n) => n.to_string(),
                Segment::Str(s) => s.to_string(),
                Segment::Floor => String::new(),
            })
            .collect::<Vec<_>>()
            .join(".");
        let canonical = canonical(&numbers);
        Version {
            text: text.into(),
            segments: numbers,
            canonical,
        }
    }

    /// The infimum of this release's prereleases: above every version whose release is
    /// lower, below every prerelease of this release. No string parses to it.
    pub(crate) fn prerelease_floor(&self) -> Version {
        let mut v = self.release();
        v.canonical.push(Segment::Floor);
        v.text = format!("{}.A", v.text).into();
        v
    }

    fn compare(&self, other: &Self) -> Ordering {
        let zero = Segment::Num(Number::ZERO);
        let len = self.canonical.len().max(other.canonical.len());
        for i in 0..len {
            let a = self.canonical.get(i).unwrap_or(&zero);
            let b = other.canonical.get(i).unwrap_or(&zero);
            match a.cmp(b) {
                Ordering::Equal => {}
                unequal => return unequal,
            }
        }
        Ordering::Equal
    }
}

/// Ruby's `canonical_segments`: drop trailing zeros from the numeric part (before the first
/// string) and from the rest, then join them.
fn canonical(segments: &[Segment]) -> Vec<Segment> {
    let split = segments
        .iter()
        .position(|s| !matches!(s, Segment::Num(_)))
        .unwrap_or(segments.len());
    let (numeric, rest) = segments.split_at(split);
    let trim = |part: &[Segment]| -> Vec<Segment> {
        let end = part
            .iter()
            .rposition(|s| !matches!(s, Segment::Num(n) if n.is_zero()))
            .map_or(0, |i| i + 1);
        part.get(..end).unwrap_or_default().to_vec()
    };
    let mut out = trim(numeric);
    out.extend(trim(rest));
    out
}

/// Ruby's `\s`: space, tab, line feed, vertical tab, form feed, carriage return.
pub(crate) fn is_ruby_space(c: char) -> bool {
    matches!(c, ' ' | '\t' | '\n' | '\x0B' | '\x0C' | '\r')
}

/// Checks `body` (no surrounding whitespace, not empty) against RubyGems' `VERSION_PATTERN`
/// `[0-9]+(\.[0-9a-zA-Z]+)*(-[0-9A-Za-z-]+(\.[0-9A-Za-z-]+)*)?`; the reason names the part.
fn check_pattern(body: &str) -> Result<(), String> {
    let (head, tail) = match body.split_once('-') {
        Some((head, tail)) => (head, Some(tail)),
        None => (body, None),
    };
    for (i, part) in head.split('.').enumerate() {
        if i == 0 {
            if part.is_empty() || !part.bytes().all(|b| b.is_ascii_digit()) {
                return Err(format!(
                    "it starts with {part:?}; expected digits first (like `1.2.3`)"
                ));
            }
        } else if part.is_empty() || !part.bytes().all(|b| b.is_ascii_alphanumeric()) {
            return Err(format!(
                "part {} is {part:?}; expected letters or digits between dots",
                i + 1
            ));
        }
    }
    if let Some(tail) = tail {
        for part in tail.split('.') {
            if part.is_empty() || !part.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-') {
                return Err(format!(
                    "the part after `-` contains {part:?}; expected letters, digits or `-` between dots"
                ));
            }
        }
    }
    Ok(())
}

impl FromStr for Version {
    type Err = VersionError;

    /// Parses what `Gem::Version.correct?` accepts, as `Gem::Version.new` reads it.
    fn from_str(input: &str) -> Result<Self, Self::Err> {
        VersionError::check_len(SYNTAX, input)?;
        let body = input.trim_matches(is_ruby_space);
        if body.is_empty() {
            // `Gem::Version.new("")` is `0`.
            return Ok(Version::from_numbers(vec![Segment::Num(Number::ZERO)]));
        }
        check_pattern(body).map_err(|reason| VersionError::new(SYNTAX, input, reason))?;
        let segments = scan_segments(body);
        let canonical = canonical(&segments);
        Ok(Version {
            text: body.into(),
            segments,
            canonical,
        })
    }
}

/// Ruby's `@version.scan(/[0-9]+|[a-z]+/i)` on the version with `-` replaced by `.pre.`.
fn scan_segments(body: &str) -> Vec<Segment> {
    let ruby = body.replace('-', ".pre.");
    let mut segments = Vec::new();
    let mut run = String::new();
    let mut flush = |run: &mut String| {
        if let Some(n) = Number::parse(run) {
            segments.push(Segment::Num(n));
        } else if !run.is_empty() {
            segments.push(Segment::Str(run.as_str().into()));
        }
        run.clear();
    };
    for c in ruby.chars() {
        let continues = c.is_ascii_alphanumeric()
            && run
                .chars()
                .next()
                .is_some_and(|first| first.is_ascii_digit() == c.is_ascii_digit());
        if !continues {
            flush(&mut run);
        }
        if c.is_ascii_alphanumeric() {
            run.push(c);
        }
    }
    flush(&mut run);
    segments
}

impl fmt::Display for Version {
    /// The version as written (without surrounding whitespace).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text)
    }
}

impl PartialEq for Version {
    fn eq(&self, other: &Self) -> bool {
        self.compare(other) == Ordering::Equal
    }
}

impl Eq for Version {}

impl Hash for Version {
    fn hash<H: Hasher>(&self, state: &mut H) {
        // Canonical segments never end in a zero, so equal versions have equal lists.
        self.canonical.hash(state);
    }
}

impl Ord for Version {
    fn cmp(&self, other: &Self) -> Ordering {
        self.compare(other)
    }
}

impl PartialOrd for Version {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

crate::set::intervals_only!(Version);

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn v(s: &str) -> Version {
        s.parse().unwrap_or_else(|e| panic!("{s}: {e}"))
    }

    #[test]
    fn segments_split_at_letters_and_digits() {
        assert_eq!(v("1.0.a10"), v("1.0.a.10"));
        assert!(v("1.0.a10") > v("1.0.a.9"));
        assert!(v("1.0.a9") < v("1.0.a.10"));
        assert_eq!(v("1.0.a2"), v("1.0.a.2"));
    }

    #[test]
    fn canonical_segments() {
        assert_eq!(v("1.0"), v("1"));
        assert_eq!(v("1.0.0"), v("1"));
        assert_eq!(v("1.0.a"), v("1.a"));
        assert_eq!(v("1.a.0"), v("1.a"));
        assert_ne!(v("1.a.0.b"), v("1.a.b"));
        assert!(v("1.a.0.b") > v("1.a.b"));
        assert!(v("1.a.b") < v("1.a"));
        assert!(v("1.0.b1") < v("1.0"));
        assert!(v("1.B") < v("1.a"));
    }

    #[test]
    fn dash_is_pre() {
        assert_eq!(v("1.0-rc1"), v("1.0.pre.rc1"));
        assert!(v("1.0-rc1").is_prerelease());
        assert!(v("1-1").is_prerelease());
        assert!(v("1.0-rc1") > v("1.0.a"));
        assert_eq!(v("1.0-a-b"), v("1.0.pre.a.pre.b"));
    }

    #[test]
    fn whitespace_and_empty() {
        assert_eq!(v("  1.2 \n"), v("1.2"));
        assert_eq!(v("  1.2 ").to_string(), "1.2");
        assert_eq!(v(""), v("0"));
        assert_eq!(v(" ").to_string(), "0");
        for bad in [
            "1 2", "a", "1..2", "1.", ".1", "1-", "1.0-", "1-.a", "v1", "1_0", "1.0+b", "-1",
            "1.0-a..b", "1.\u{e9}", "\u{0}1",
        ] {
            assert!(bad.parse::<Version>().is_err(), "{bad:?} should be invalid");
        }
        let err = "1..2".parse::<Version>().expect_err("invalid").to_string();
        assert!(err.contains("part 2"), "{err}");
    }

    #[test]
    fn big_numbers() {
        assert!(v("999999999999999999999999999991.1") < v("999999999999999999999999999999.0"));
        assert_eq!(
            v("99999999999999999999999.9").bump(),
            v("100000000000000000000000")
        );
    }

    #[test]
    fn bump_and_release() {
        assert_eq!(v("1.2.3").bump(), v("1.3"));
        assert_eq!(v("1.2").bump(), v("2"));
        assert_eq!(v("1").bump(), v("2"));
        assert_eq!(v("1.0.rc1").bump(), v("2"));
        assert_eq!(v("1.2.a3").release(), v("1.2"));
        assert_eq!(v("1.0-1").release(), v("1.0"));
        let floor = v("2").prerelease_floor();
        assert!(floor < v("2.A.A.A.A"));
        assert!(floor > v("1.99999.z"));
        assert!(floor < v("2.0.0.a"));
    }

    fn segment() -> impl Strategy<Value = String> {
        prop_oneof![
            4 => (0u32..12).prop_map(|n| n.to_string()),
            1 => Just("00".to_owned()),
            1 => Just("99999999999999999999999".to_owned()),
            2 => prop::sample::select(vec!["a", "b", "A", "pre", "rc", "beta", "z"]).prop_map(str::to_owned),
            2 => (prop::sample::select(vec!["a", "rc", "B"]), 0u32..12).prop_map(|(s, n)| format!("{s}{n}")),
        ]
    }

    fn version() -> impl Strategy<Value = String> {
        (
            0u32..4,
            prop::collection::vec(segment(), 0..5),
            prop::option::of(prop::collection::vec(segment(), 1..3)),
        )
            .prop_map(|(first, rest, tail)| {
                let mut s = first.to_string();
                for r in rest {
                    s.push('.');
                    s.push_str(&r);
                }
                if let Some(tail) = tail {
                    s.push('-');
                    s.push_str(&tail.join("."));
                }
                s
            })
    }

    proptest! {
        #[test]
        fn total_order(a in version(), b in version(), c in version()) {
            let (a, b, c) = (v(&a), v(&b), v(&c));
            crate::laws::total_order(&a, &b, &c)?;
        }

        #[test]
        fn display_round_trips(s in version()) {
            let parsed = v(&s);
            let again = v(&parsed.to_string());
            prop_assert_eq!(&again, &parsed);
            prop_assert_eq!(again.to_string(), parsed.to_string());
        }

        #[test]
        fn never_panics(s in "\\PC{0,20}") {
            let _ = s.parse::<Version>();
        }
    }
}
