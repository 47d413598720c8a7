//! Alpine (apk) package versions, ordered as apk-tools orders them and as OSV's own test data
//! requires, and ranges over them in the plain comparator syntax (see [`crate::comparator`]).
//!
//! An apk version is `number{.number}[letter[number]]{_suffix[number]}[~hash][-rN]`:
//! numbers compare numerically, then the letter (none lowest), then the suffixes — `_alpha`
//! `_beta` `_pre` `_rc` below "no suffix", `_cvs` `_svn` `_git` `_hg` `_p` above it — then
//! the `-r` revision.
//!
//! Traps:
//! - **Leading zeros are a string comparison** after the first component: `1.02 < 1.1`
//!   (`"02" < "1"`) and `1.0 < 1.00`, as apk-tools does (a Gentoo rule); the first component
//!   is always numeric (`006 == 6`).
//! - **A longer version is greater**: `1.2 < 1.2.0 < 1.2.0.1`, except that a pre-release
//!   suffix makes it smaller (`1.2_rc1 < 1.2`).
//! - **Numbers of any size**: components, suffix numbers and revisions are [`Number`]s, where
//!   apk-tools uses `uint64_t` and would wrap.
//! - **`1.2p1` is not `1.2_p1`**: a letter may be followed by a number (apk-tools 2.x reads
//!   it as one more component, so `6.6.2_p1 < 6.6.2p1 < 6.6.2p2`; osv.dev rewrites it to
//!   `_p1`; OSV's test data orders it as apk 2.x does, and so does ward).
//! - **A missing revision is `-r0`**, and `-r` alone is `-r0`; a missing suffix number is 0.
//! - **`.rN` is a revision too**: osv.dev's data holds `10.2.24.r0`, which it reads as
//!   `10.2.24-r0`; ward reads it the same way when it ends the version.
//! - **Commit hashes (`~abc123`) do not order**, as in osv-scalibr: two builds that differ
//!   only by hash are equal.
//! - **Malformed versions still occur in the data**, and OSV's two tools disagree on them.
//!   Ward keeps what it cannot read as a *tail* and orders it after everything it can read:
//!   a version with a tail is below the same version without one (`1.2_blah < 1.2`,
//!   `1-r0-1 < 1-r0`); tails after a revision are all equal to each other (`1-ruff1 ==
//!   1-ruff2`, as osv-scalibr says), other tails compare as strings (`0..1..0 < 0..1..1`) and
//!   sort below tails after a revision. Ward rejects, as osv.dev does: characters outside
//!   `[0-9A-Za-z._~-]` (`110.73/r0`), a hyphen that does not start the `-r` revision
//!   (`4.10-1-r1`, `110.73-e0`, `1.18.-r2`, `2.15.r-r1`; a doubled `--r` is read as `-r`
//!   because osv-scalibr's data compares `1--ruff1`), and an unknown suffix that carries a
//!   number (`2.19.10.4_y8`; a bare `_blah` is in osv-scalibr's data, so it is tolerated).
//! - **univers is not apk**: the differential test compares with univers'
//!   `AlpineLinuxVersion` (apk-tools is not packaged for Debian 12), which uses Gentoo's
//!   algorithm: it rejects `_cvs`/`_svn`/`_git`/`_hg`, hashes, `1.2p1`, `.rN` and `006`, and
//!   strips trailing zeros of leading-zero components (`1.010 == 1.01`). Those classes are
//!   left out of the generated cases; ward follows apk-tools and OSV's data there.

use std::cmp::Ordering;
use std::fmt;
use std::hash::{Hash, Hasher};
use std::str::FromStr;

use crate::error::{RangeError, VersionError};
use crate::number::Number;
use crate::set::VersionSet;

const SYNTAX: &str = "Alpine";
const RANGE_SYNTAX: &str = "Alpine range";

/// An apk suffix, in apk-tools' order; [`Suffix::None`] is the place of "no suffix".
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Suffix {
    /// `_alpha`
    Alpha,
    /// `_beta`
    Beta,
    /// `_pre`
    Pre,
    /// `_rc`
    Rc,
    /// No suffix (only used to pad the shorter list when comparing).
    None,
    /// `_cvs`
    Cvs,
    /// `_svn`
    Svn,
    /// `_git`
    Git,
    /// `_hg`
    Hg,
    /// `_p`
    P,
}

/// Names in matching order: `pre` before `p`.
const SUFFIXES: &[(&str, Suffix)] = &[
    ("alpha", Suffix::Alpha),
    ("beta", Suffix::Beta),
    ("pre", Suffix::Pre),
    ("rc", Suffix::Rc),
    ("cvs", Suffix::Cvs),
    ("svn", Suffix::Svn),
    ("git", Suffix::Git),
    ("hg", Suffix::Hg),
    ("p", Suffix::P),
];

/// What follows the part of a version that ward can read.
#[derive(Debug, Clone)]
enum Tail {
    /// Text that is not part of the apk grammar, before any revision: compared as a string.
    Unparsed(Box<str>),
    /// Text after the revision: all such tails are equal.
    AfterRevision,
    /// Nothing: the version was read completely.
    None,
}

impl Tail {
    fn rank(&self) -> u8 {
        match self {
            Tail::Unparsed(_) => 0,
            Tail::AfterRevision => 1,
            Tail::None => 2,
        }
    }
}

/// An Alpine package version.
///
/// `Eq`, `Ord` and `Hash` are apk's order (`006 == 6`, `1-r0 == 1`); `Display` shows the
/// version as written.
#[derive(Debug, Clone)]
pub struct Version {
    original: Box<str>,
    /// The digits of each dotted component as written.
    components: Vec<Box<str>>,
    /// The first component's value (compared numerically); zero when there is none.
    first: Number,
    letter: Option<u8>,
    letter_number: Option<Number>,
    suffixes: Vec<(Suffix, Number)>,
    revision: Number,
    tail: Tail,
}

/// Compares two components after the first: numerically, unless either has a leading zero,
/// then as strings (`"02" < "1"`, `"0" < "00"`). All leading-zero spellings sort below all
/// others, so this is a total order.
fn compare_component(a: &str, b: &str) -> Ordering {
    if a.starts_with('0') || b.starts_with('0') {
        return a.cmp(b);
    }
    a.len().cmp(&b.len()).then_with(|| a.cmp(b))
}

fn digits_end(b: &[u8], mut i: usize) -> usize {
    while i < b.len() && b[i].is_ascii_digit() {
        i += 1;
    }
    i
}

impl FromStr for Version {
    type Err = VersionError;

    fn from_str(input: &str) -> Result<Self, Self::Err> {
        VersionError::check_len(SYNTAX, input)?;
        let err = |reason: String| VersionError::new(SYNTAX, input, reason);
        if let Some(c) = input
            .chars()
            .find(|&c| !(c.is_ascii_alphanumeric() || "._~-".contains(c)))
        {
            return Err(err(format!(
                "it contains {c:?}; expected only letters, digits and . _ ~ -"
            )));
        }
        if !input.bytes().any(|c| c.is_ascii_alphanumeric()) {
            return Err(err(
                "it has no digits or letters; expected a version such as \"1.2.3-r0\"".into(),
            ));
        }
        let b = input.as_bytes();
        let num = |from: usize, to: usize| Number::parse(&input[from..to]).unwrap_or(Number::ZERO);

        // number{.number}
        let mut i = 0;
        let mut components: Vec<Box<str>> = Vec::new();
        if b.first().is_some_and(u8::is_ascii_digit) {
            loop {
                let end = digits_end(b, i);
                components.push(input[i..end].into());
                i = end;
                if b.get(i) == Some(&b'.') && b.get(i + 1).is_some_and(u8::is_ascii_digit) {
                    i += 1;
                } else {
                    break;
                }
            }
        }
        let first = components
            .first()
            .and_then(|c| Number::parse(c))
            .unwrap_or(Number::ZERO);

        // [letter[number]]
        let (mut letter, mut letter_number) = (None, None);
        if let Some(&c) = b.get(i).filter(|c| c.is_ascii_lowercase()) {
            letter = Some(c);
            i += 1;
            let end = digits_end(b, i);
            if end > i {
                letter_number = Some(num(i, end));
                i = end;
            }
        }

        // {_suffix[number]}
        let mut suffixes = Vec::new();
        while b.get(i) == Some(&b'_') {
            let rest = &input[i + 1..];
            let Some(&(name, suffix)) = SUFFIXES.iter().find(|(n, _)| rest.starts_with(n)) else {
                break;
            };
            let start = i + 1 + name.len();
            let end = digits_end(b, start);
            suffixes.push((suffix, num(start, end)));
            i = end;
        }

        // [~hash]: lower-case hexadecimal, kept for display only.
        if b.get(i) == Some(&b'~') {
            let mut end = i + 1;
            while b
                .get(end)
                .is_some_and(|c| matches!(c, b'0'..=b'9' | b'a'..=b'f'))
            {
                end += 1;
            }
            if end > i + 1 {
                i = end;
            }
        }

        // [-rN] (or `--rN`, or a final `.rN`), then whatever is left.
        let rest = &input[i..];
        let hyphens = rest.len() - rest.trim_start_matches('-').len();
        let (revision, tail) = if (1..=2).contains(&hyphens) && rest[hyphens..].starts_with('r') {
            let start = i + hyphens + 1;
            let end = digits_end(b, start);
            let tail = if input.len() == end {
                Tail::None
            } else {
                Tail::AfterRevision
            };
            (num(start, end), tail)
        } else if rest.len() > 2
            && rest.starts_with(".r")
            && rest[2..].bytes().all(|c| c.is_ascii_digit())
        {
            (num(i + 2, input.len()), Tail::None)
        } else if rest.is_empty() {
            (Number::ZERO, Tail::None)
        } else {
            if rest.contains('-') {
                return Err(err(format!(
                    "it cannot read {rest:?}: a \"-\" must start the \"-rN\" revision; expected \
                     number{{.number}}[letter]{{_suffix[number]}}[~hash][-rN]"
                )));
            }
            if let Some(word) = rest.strip_prefix('_') {
                let letters = word.bytes().take_while(u8::is_ascii_alphabetic).count();
                if letters > 0 && word.as_bytes().get(letters).is_some_and(u8::is_ascii_digit) {
                    return Err(err(format!(
                        "unknown suffix \"_{}\"; expected one of _alpha _beta _pre _rc _cvs _svn \
                         _git _hg _p",
                        &word[..letters]
                    )));
                }
            }
            (Number::ZERO, Tail::Unparsed(rest.into()))
        };

        Ok(Version {
            original: input.into(),
            components,
            first,
            letter,
            letter_number,
            suffixes,
            revision,
            tail,
        })
    }
}

impl Version {
    fn compare_components(&self, other: &Self) -> Ordering {
        if self.components.is_empty() || other.components.is_empty() {
            return self.components.len().cmp(&other.components.len());
        }
        self.first.cmp(&other.first).then_with(|| {
            let (a, b) = (&self.components[1..], &other.components[1..]);
            a.iter()
                .zip(b)
                .map(|(x, y)| compare_component(x, y))
                .find(|o| o.is_ne())
                .unwrap_or_else(|| a.len().cmp(&b.len()))
        })
    }

    fn compare_suffixes(&self, other: &Self) -> Ordering {
        let none = (Suffix::None, Number::ZERO);
        let len = self.suffixes.len().max(other.suffixes.len());
        (0..len)
            .map(|k| {
                let x = self.suffixes.get(k).unwrap_or(&none);
                let y = other.suffixes.get(k).unwrap_or(&none);
                x.cmp(y)
            })
            .find(|o| o.is_ne())
            .unwrap_or(Ordering::Equal)
    }

    fn compare_tails(&self, other: &Self) -> Ordering {
        match (&self.tail, &other.tail) {
            (Tail::Unparsed(a), Tail::Unparsed(b)) => a.cmp(b),
            (a, b) => a.rank().cmp(&b.rank()),
        }
    }
}

impl Ord for Version {
    fn cmp(&self, other: &Self) -> Ordering {
        self.compare_components(other)
            .then_with(|| self.letter.cmp(&other.letter))
            .then_with(|| self.letter_number.cmp(&other.letter_number))
            .then_with(|| self.compare_suffixes(other))
            .then_with(|| self.revision.cmp(&other.revision))
            .then_with(|| self.compare_tails(other))
    }
}

crate::eq_from_ord!(Version);

impl Hash for Version {
    fn hash<H: Hasher>(&self, state: &mut H) {
        // Components after the first are equal exactly when their spellings are (a leading
        // zero makes the comparison a string one; without one, equal numbers are equal
        // strings).
        self.components.len().hash(state);
        self.first.hash(state);
        self.components.iter().skip(1).for_each(|c| c.hash(state));
        self.letter.hash(state);
        self.letter_number.hash(state);
        // Trailing `None` padding never occurs: there is no explicit "no suffix".
        self.suffixes.hash(state);
        self.revision.hash(state);
        self.tail.rank().hash(state);
        if let Tail::Unparsed(t) = &self.tail {
            t.hash(state);
        }
    }
}

impl fmt::Display for Version {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.original)
    }
}

crate::set::intervals_only!(Version);

/// Parses a range of Alpine versions in the comparator syntax (`>= 1.2.3-r0, < 1.2.4`), see
/// [`crate::comparator`].
pub fn parse_range(input: &str) -> Result<VersionSet<Version>, RangeError> {
    crate::comparator::parse(RANGE_SYNTAX, input, Version::from_str)
}

#[cfg(test)]
mod tests;
