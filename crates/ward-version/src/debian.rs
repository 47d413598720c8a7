//! Debian package versions, ordered exactly as dpkg orders them (Debian Policy §5.6.12 and
//! dpkg's `verrevcmp`), and ranges over them in the plain comparator syntax
//! (`>= 1.2-1, << 2.0` — see [`crate::comparator`]).
//!
//! A version is `[epoch:]upstream_version[-debian_revision]`. Epochs compare as integers, then
//! the upstream version, then the revision, each with dpkg's string algorithm: alternating
//! runs of non-digits (compared character by character, with `~` below everything, then the
//! end of the run, then letters, then everything else in ASCII order) and runs of digits
//! (compared as numbers).
//!
//! Traps:
//! - **`~` sorts before everything, even the end of the string**: `1.0~rc1 < 1.0`, and
//!   `1.0~~ < 1.0~ < 1.0`. Backports and security uploads (`1.2-1~deb7u1`) rely on it.
//! - **Letters sort before non-letters**: `1.0a < 1.0+`, `1.0a < 1.0.` — not ASCII order,
//!   where `+` and `.` come before letters.
//! - **Digit runs compare as numbers of any size**: `9 < 10`, `007 == 7`; dpkg compares
//!   digit by digit, so ward does too (no `u64` overflow on 30-digit runs).
//! - **The revision starts after the *last* hyphen**: `1.2-3-4` has upstream `1.2-3` and
//!   revision `4`. A hyphen is only allowed in the upstream version when a revision follows.
//! - **A missing revision equals `0`**: `1.0 == 1.0-0 == 1.0-00`; a missing epoch equals
//!   `0:`. [`Version`]'s `Eq` and `Hash` follow the order, not the spelling.
//! - **Trailing zero runs vanish**: dpkg reads a missing digit run as `0`, so `1.0a0 == 1.0a`.
//! - **The epoch is the text before the *first* colon**, a decimal integer no larger than
//!   dpkg's `INT_MAX`; further colons belong to the upstream version (`1:2:3`). dpkg reads it
//!   with `strtol`, so one sign is allowed (`+1:2.0` has epoch 1, `-0:2.0` epoch 0) and ward
//!   reads it the same way; `-1:` is a negative epoch, an error.
//! - **Validity is dpkg's**: dpkg *errors* on an empty version, embedded blanks, a bad or
//!   empty epoch, nothing after the colon, an empty upstream version or an empty revision
//!   (`1.0-`); it only *warns* when the upstream version does not start with a digit or a
//!   character is outside `[A-Za-z0-9.+~:-]` (`[A-Za-z0-9.+~]` in the revision). A warning
//!   means the version is not what Policy allows, so ward rejects those too, and it does not
//!   trim surrounding blanks as dpkg does.

use std::cmp::Ordering;
use std::fmt;
use std::hash::{Hash, Hasher};
use std::str::FromStr;

use crate::error::{RangeError, VersionError};
use crate::set::VersionSet;

const SYNTAX: &str = "Debian";
const RANGE_SYNTAX: &str = "Debian range";

/// dpkg stores the epoch in an `int` and rejects anything above `INT_MAX`.
const MAX_EPOCH: u32 = i32::MAX as u32;

/// A Debian version: `[epoch:]upstream_version[-debian_revision]`.
///
/// `Eq`, `Ord` and `Hash` are dpkg's order: `1.0 == 0:1.0 == 1.0-0`.
/// `Display` shows the version as it was written.
#[derive(Debug, Clone)]
pub struct Version {
    original: Box<str>,
    epoch: u32,
    /// Byte range of the upstream version in `original`.
    upstream: (usize, usize),
    /// Byte range of the revision in `original`; empty when there is none.
    revision: (usize, usize),
}

impl Version {
    /// The epoch; `0` when none is written.
    pub fn epoch(&self) -> u32 {
        self.epoch
    }

    /// The upstream version (between the epoch and the last hyphen).
    pub fn upstream(&self) -> &str {
        self.original
            .get(self.upstream.0..self.upstream.1)
            .unwrap_or("")
    }

    /// The Debian revision (after the last hyphen); empty when there is none.
    pub fn revision(&self) -> &str {
        self.original
            .get(self.revision.0..self.revision.1)
            .unwrap_or("")
    }
}

impl FromStr for Version {
    type Err = VersionError;

    fn from_str(input: &str) -> Result<Self, Self::Err> {
        VersionError::check_len(SYNTAX, input)?;
        let err = |reason: String| VersionError::new(SYNTAX, input, reason);
        if input.is_empty() {
            return Err(err(
                "the version is empty; expected [epoch:]upstream[-revision]".into(),
            ));
        }
        if let Some(c) = input.chars().find(|c| c.is_whitespace()) {
            return Err(err(format!(
                "it contains the blank {c:?}; expected no spaces (dpkg: embedded spaces)"
            )));
        }
        let (epoch, upstream_start) = match input.find(':') {
            None => (0, 0),
            Some(colon) => {
                let text = &input[..colon];
                // dpkg reads the epoch with strtol, which takes one sign: `+1:` is epoch 1,
                // `-0:` is epoch 0, and `-1:` is a negative epoch.
                let (negative, digits) = match text.as_bytes().first() {
                    Some(b'+') => (false, &text[1..]),
                    Some(b'-') => (true, &text[1..]),
                    _ => (false, text),
                };
                if digits.is_empty() {
                    return Err(err(format!(
                        "the epoch before \":\" is {text:?}; expected digits"
                    )));
                }
                if !digits.bytes().all(|b| b.is_ascii_digit()) {
                    return Err(err(format!(
                        "the epoch {text:?} is not a number; expected digits before the first \":\""
                    )));
                }
                let zero = digits.bytes().all(|b| b == b'0');
                if negative && !zero {
                    return Err(err(format!(
                        "the epoch {text:?} is negative; expected a number from 0 to {MAX_EPOCH}"
                    )));
                }
                let epoch = digits
                    .trim_start_matches('0')
                    .parse::<u64>()
                    .ok()
                    .or(zero.then_some(0))
                    .filter(|&e| e <= u64::from(MAX_EPOCH))
                    .ok_or_else(|| {
                        err(format!(
                            "the epoch {text:?} is too big; expected at most {MAX_EPOCH}"
                        ))
                    })?;
                if colon + 1 == input.len() {
                    return Err(err(
                        "nothing follows the epoch's \":\"; expected an upstream version".into(),
                    ));
                }
                // The bound was checked above, so the conversion cannot fail.
                (u32::try_from(epoch).unwrap_or(MAX_EPOCH), colon + 1)
            }
        };
        let rest = &input[upstream_start..];
        let (upstream, revision) = match rest.rfind('-') {
            Some(hyphen) => {
                if hyphen + 1 == rest.len() {
                    return Err(err(
                        "the revision after the last \"-\" is empty; expected a revision such as \"1\""
                            .into(),
                    ));
                }
                (
                    (upstream_start, upstream_start + hyphen),
                    (upstream_start + hyphen + 1, input.len()),
                )
            }
            None => ((upstream_start, input.len()), (input.len(), input.len())),
        };
        let upstream_text = &input[upstream.0..upstream.1];
        match upstream_text.chars().next() {
            None => {
                return Err(err(
                    "the upstream version is empty; expected it to start with a digit".into(),
                ));
            }
            Some(c) if !c.is_ascii_digit() => {
                return Err(err(format!(
                    "the upstream version {upstream_text:?} starts with {c:?}; expected a digit"
                )));
            }
            Some(_) => {}
        }
        if let Some(c) = upstream_text
            .chars()
            .find(|&c| !(c.is_ascii_alphanumeric() || ".+~:-".contains(c)))
        {
            return Err(err(format!(
                "the upstream version contains {c:?}; expected only letters, digits and . + ~ : -"
            )));
        }
        let revision_text = &input[revision.0..revision.1];
        if let Some(c) = revision_text
            .chars()
            .find(|&c| !(c.is_ascii_alphanumeric() || ".+~".contains(c)))
        {
            return Err(err(format!(
                "the revision {revision_text:?} contains {c:?}; expected only letters, digits and . + ~"
            )));
        }
        Ok(Version {
            original: input.into(),
            epoch,
            upstream,
            revision,
        })
    }
}

/// The weight dpkg gives a character of a non-digit run (`order()` in dpkg): `~` lowest,
/// then the end of the run, then letters, then everything else by ASCII value.
fn order(c: Option<u8>) -> i32 {
    match c {
        None => 0,
        Some(b'~') => -1,
        Some(c) if c.is_ascii_digit() => 0,
        Some(c) if c.is_ascii_alphabetic() => i32::from(c),
        Some(c) => i32::from(c) + 256,
    }
}

/// dpkg's `verrevcmp`: alternating non-digit and digit runs.
fn verrevcmp(a: &[u8], b: &[u8]) -> Ordering {
    let (mut i, mut j) = (0, 0);
    while i < a.len() || j < b.len() {
        // Non-digit runs, character by character.
        while a.get(i).is_some_and(|c| !c.is_ascii_digit())
            || b.get(j).is_some_and(|c| !c.is_ascii_digit())
        {
            let (ac, bc) = (order(a.get(i).copied()), order(b.get(j).copied()));
            if ac != bc {
                return ac.cmp(&bc);
            }
            i += 1;
            j += 1;
        }
        // Digit runs, as numbers: skip leading zeros, then the longer run wins, then the
        // first differing digit.
        while a.get(i) == Some(&b'0') {
            i += 1;
        }
        while b.get(j) == Some(&b'0') {
            j += 1;
        }
        let mut first_diff = Ordering::Equal;
        while let (Some(x), Some(y)) = (a.get(i), b.get(j)) {
            if !(x.is_ascii_digit() && y.is_ascii_digit()) {
                break;
            }
            if first_diff == Ordering::Equal {
                first_diff = x.cmp(y);
            }
            i += 1;
            j += 1;
        }
        if a.get(i).is_some_and(u8::is_ascii_digit) {
            return Ordering::Greater;
        }
        if b.get(j).is_some_and(u8::is_ascii_digit) {
            return Ordering::Less;
        }
        if first_diff != Ordering::Equal {
            return first_diff;
        }
    }
    Ordering::Equal
}

/// Feeds `hasher` a form of `s` that is equal exactly when `verrevcmp` says equal: each
/// non-digit run, then its digit run without leading zeros, with trailing empty pairs
/// (which compare as an empty run and `0`) dropped.
fn hash_verrev<H: Hasher>(s: &[u8], state: &mut H) {
    let mut pairs: Vec<(&[u8], &[u8])> = Vec::new();
    let mut i = 0;
    while i < s.len() {
        let start = i;
        while i < s.len() && !s[i].is_ascii_digit() {
            i += 1;
        }
        let text = &s[start..i];
        while i < s.len() && s[i] == b'0' {
            i += 1;
        }
        let digits_start = i;
        while i < s.len() && s[i].is_ascii_digit() {
            i += 1;
        }
        pairs.push((text, &s[digits_start..i]));
    }
    while pairs
        .last()
        .is_some_and(|(t, d)| t.is_empty() && d.is_empty())
    {
        pairs.pop();
    }
    pairs.hash(state);
}

impl Ord for Version {
    fn cmp(&self, other: &Self) -> Ordering {
        self.epoch
            .cmp(&other.epoch)
            .then_with(|| verrevcmp(self.upstream().as_bytes(), other.upstream().as_bytes()))
            .then_with(|| verrevcmp(self.revision().as_bytes(), other.revision().as_bytes()))
    }
}

crate::eq_from_ord!(Version);

impl Hash for Version {
    fn hash<H: Hasher>(&self, state: &mut H) {
        self.epoch.hash(state);
        hash_verrev(self.upstream().as_bytes(), state);
        hash_verrev(self.revision().as_bytes(), state);
    }
}

impl fmt::Display for Version {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.original)
    }
}

crate::set::intervals_only!(Version);

/// Parses a range of Debian versions in the comparator syntax (`>= 1.0-1, << 2.0`; `<<` and
/// `>>` are Debian's strict operators), see [`crate::comparator`].
pub fn parse_range(input: &str) -> Result<VersionSet<Version>, RangeError> {
    crate::comparator::parse(RANGE_SYNTAX, input, Version::from_str)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use std::collections::hash_map::DefaultHasher;

    fn v(s: &str) -> Version {
        s.parse().unwrap_or_else(|e| panic!("{e}"))
    }

    fn hash(v: &Version) -> u64 {
        let mut h = DefaultHasher::new();
        v.hash(&mut h);
        h.finish()
    }

    #[test]
    fn policy_examples_order() {
        let chain = [
            "1.0~~",
            "1.0~",
            "1.0~rc1",
            "1.0",
            "1.0-0.1",
            "1.0-1~bpo1",
            "1.0-1",
            "1.0-1+b1",
            "1.0a",
            "1.0+",
            "1.0.1",
            "1.1",
            "1.10",
            "1:0.1",
        ];
        for pair in chain.windows(2) {
            assert!(v(pair[0]) < v(pair[1]), "{} < {}", pair[0], pair[1]);
        }
    }

    #[test]
    fn equal_spellings_are_equal_and_hash_alike() {
        for (a, b) in [
            ("1.0", "0:1.0"),
            ("1.0", "1.0-0"),
            ("1.0", "1.0-00"),
            ("1.007", "1.7"),
            ("1.0a0", "1.0a"),
            ("1.0-1", "1.0-01"),
        ] {
            assert_eq!(v(a), v(b), "{a} == {b}");
            assert_eq!(hash(&v(a)), hash(&v(b)), "hash {a} == {b}");
        }
        assert_ne!(v("1.0"), v("1.0a"));
    }

    #[test]
    fn revision_is_after_the_last_hyphen() {
        let x = v("2:1.2-3-4");
        assert_eq!((x.epoch(), x.upstream(), x.revision()), (2, "1.2-3", "4"));
        let x = v("1:2:3");
        assert_eq!((x.epoch(), x.upstream(), x.revision()), (1, "2:3", ""));
    }

    #[test]
    fn huge_digit_runs_compare_numerically() {
        assert!(v("1.99999999999999999999999999999") < v("1.100000000000000000000000000000"));
        assert_eq!(v("1.000000000000000000000000000000042"), v("1.42"));
    }

    #[test]
    fn rejects_what_dpkg_rejects_or_warns_about() {
        for (input, reason) in [
            ("", "empty"),
            ("1.0 1", "blank"),
            (":1.0", "epoch before"),
            ("+:1.0", "epoch before"),
            ("-1:1.0", "negative"),
            ("a:1.0", "not a number"),
            ("+-1:1.0", "not a number"),
            ("2147483648:1.0", "too big"),
            ("1:", "nothing follows"),
            ("1.0-", "revision after the last"),
            ("1:-1", "upstream version is empty"),
            ("a1.0", "expected a digit"),
            ("1.0_1", "contains '_'"),
            ("1:1.0-1:2", "revision \"1:2\" contains ':'"),
            ("1.0-1-", "revision after the last"),
        ] {
            let err = input
                .parse::<Version>()
                .expect_err("must be rejected")
                .to_string();
            assert!(err.contains(reason), "{input:?}: {err}");
        }
        assert!("2147483647:1.0".parse::<Version>().is_ok());
        assert_eq!(v("+1:1.0"), v("1:1.0"));
        assert_eq!(v("-0:1.0"), v("1.0"));
    }

    #[test]
    fn ranges_use_debian_operators() {
        let r = parse_range(">= 1.2-1, << 1.3").expect("must parse");
        assert!(r.contains(&v("1.2-1")));
        assert!(r.contains(&v("1.3~rc1")));
        assert!(!r.contains(&v("1.3")));
        assert!(!r.contains(&v("1.2-0")));
        let err = parse_range(">= a1").expect_err("must be rejected");
        assert_eq!(err.syntax, "Debian range");
    }

    fn part(alphabet: &'static [&'static str]) -> impl Strategy<Value = String> {
        prop::collection::vec(prop::sample::select(alphabet), 0..5).prop_map(|v| v.concat())
    }

    /// Versions full of dpkg's traps: epochs, `~`, `+`, letters against symbols, revisions
    /// with hyphens, leading and trailing zeros.
    fn version() -> impl Strategy<Value = String> {
        const UP: &[&str] = &[
            "0", "1", "00", "09", "10", ".", "+", "~", "a", "Z", "-", ":",
        ];
        const REV: &[&str] = &["0", "1", "01", ".", "+", "~", "b", "deb9u1"];
        (
            prop::option::of(prop::sample::select(&["0", "1", "01", "2"][..])),
            prop::sample::select(&["0", "1", "2", "10"][..]),
            part(UP),
            prop::option::of(("[0-9a-z]", part(REV))),
        )
            .prop_map(|(epoch, first, up, rev)| {
                let mut s = String::new();
                if let Some(e) = epoch {
                    s.push_str(e);
                    s.push(':');
                }
                s.push_str(first);
                // A colon in the upstream version needs an epoch; a hyphen needs a revision.
                let up = if epoch.is_some() {
                    up
                } else {
                    up.replace(':', ".")
                };
                match rev {
                    Some((r0, r)) => s.push_str(&format!("{up}-{r0}{r}")),
                    None => s.push_str(&up.replace('-', "+")),
                }
                s
            })
    }

    crate::laws::comparator_scheme_laws!((">>", "<<"), hash_agrees);
}
