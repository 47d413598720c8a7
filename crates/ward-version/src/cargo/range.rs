//! Cargo version requirements (`semver::VersionReq` syntax) as intervals.
//!
//! ```text
//! req        = *" " ( wildcard *" " | comparator *( *" " "," *" " comparator ) *" " )
//! comparator = [op] *" " major [ "." minor [ "." patch [ "-" pre ] [ "+" build ] ] ]
//! op         = "=" / ">" / ">=" / "<" / "<=" / "~" / "^"       (none means "^")
//! minor, patch = digits / wildcard                             (wildcard = "*" / "x" / "X")
//! ```

use crate::error::RangeError;
use crate::number::Number;
use crate::semver::{self, Identifier};
use crate::set::{Ranges, VersionSet};

use super::{Version, check_u64};

const SYNTAX: &str = "Cargo requirement";

/// The `semver` crate's limit on comparators in one requirement.
const MAX_COMPARATORS: usize = 32;

/// Parses a Cargo version requirement into the set of versions it admits.
///
/// Desugaring, with `X.Y.Z-0` upper bounds (see the module's Traps for pre-releases):
///
/// | requirement | interval |
/// |---|---|
/// | `^1.2.3`, `1.2.3` | `>=1.2.3, <2.0.0-0` |
/// | `^0.2.3` / `^0.0.3` / `^0.0` / `^0` | `>=0.2.3, <0.3.0-0` / `>=0.0.3, <0.0.4-0` / `>=0.0.0-0, <0.1.0-0` / `>=0.0.0-0, <1.0.0-0` |
/// | `~1.2.3` / `~1.2` / `~1` | `>=1.2.3, <1.3.0-0` / `>=1.2.0-0, <1.3.0-0` / `>=1.0.0-0, <2.0.0-0` |
/// | `=1.2.3` / `=1.2`, `1.2.*` | exactly `1.2.3` / `>=1.2.0-0, <1.3.0-0` |
/// | `>1.2.3` / `>1.2` | `>1.2.3` / `>=1.3.0-0` |
/// | `<=1.2.3` / `<=1.2` | `<=1.2.3` / `<1.3.0-0` |
/// | `*` | every version |
///
/// Comma-separated comparators intersect.
pub fn parse_range(input: &str) -> Result<VersionSet<Version>, RangeError> {
    RangeError::check_len(SYNTAX, input)?;
    let mut p = Parser { input, pos: 0 };
    p.skip_spaces();
    if let Some(c) = p.peek().filter(|c| is_wildcard(*c)) {
        let at = p.pos;
        p.pos += 1;
        p.skip_spaces();
        return match p.peek() {
            None => Ok(VersionSet::full()),
            Some(b',') => Err(p.err(
                format!(
                    "{:?} must be the only comparator; expected nothing after it",
                    c as char
                ),
                at,
            )),
            Some(_) => Err(p.err(
                "a wildcard is a whole requirement or a component (1.*); expected nothing after it",
                p.pos,
            )),
        };
    }
    let mut set = Ranges::full();
    let mut count = 0;
    loop {
        let comparator = p.comparator()?;
        count += 1;
        set = set.intersection(&comparator.interval());
        p.skip_spaces();
        match p.peek() {
            None => break,
            Some(b',') => {
                if count == MAX_COMPARATORS {
                    return Err(p.err(
                        format!("more than {MAX_COMPARATORS} comparators; Cargo allows at most {MAX_COMPARATORS}"),
                        p.pos,
                    ));
                }
                p.pos += 1;
                p.skip_spaces();
            }
            Some(_) => {
                return Err(p.err(
                    format!(
                        "found {:?} after a comparator; expected \",\" between comparators",
                        p.rest_char()
                    ),
                    p.pos,
                ));
            }
        }
    }
    Ok(VersionSet::new(set))
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Op {
    Exact,
    Greater,
    GreaterEq,
    Less,
    LessEq,
    Tilde,
    Caret,
}

struct Comparator {
    op: Op,
    major: Number,
    minor: Option<Number>,
    patch: Option<Number>,
    pre: Vec<Identifier>,
}

impl Comparator {
    /// The full version, when minor and patch are both given.
    fn full(&self) -> Option<semver::Version> {
        let (Some(minor), Some(patch)) = (&self.minor, &self.patch) else {
            return None;
        };
        let mut v = semver::Version::new(self.major.clone(), minor.clone(), patch.clone());
        v.pre.clone_from(&self.pre);
        Some(v)
    }

    /// The lowest version the comparator's operand stands for: itself when full, else the
    /// first pre-release of its line (`1.2` → `1.2.0-0`).
    fn low(&self) -> semver::Version {
        self.full().unwrap_or_else(|| {
            semver::Version::new(
                self.major.clone(),
                self.minor.clone().unwrap_or(Number::ZERO),
                Number::ZERO,
            )
            .with_lowest_prerelease()
        })
    }

    /// The first version after a partial operand's line (`1.2` → `1.3.0-0`, `1` → `2.0.0-0`).
    fn after_line(&self) -> semver::Version {
        match &self.minor {
            Some(minor) => semver::Version::new(self.major.clone(), minor.increment(), 0u64),
            None => semver::Version::new(self.major.increment(), 0u64, 0u64),
        }
        .with_lowest_prerelease()
    }

    fn interval(&self) -> Ranges<Version> {
        let low = Version::bound(self.low());
        let full = self.full().map(Version::bound);
        match (self.op, full) {
            (Op::Exact, Some(v)) => Ranges::singleton(v),
            (Op::Exact, None) => Ranges::between(low, Version::bound(self.after_line())),
            (Op::Greater, Some(v)) => Ranges::strictly_higher_than(v),
            (Op::Greater, None) => Ranges::higher_than(Version::bound(self.after_line())),
            (Op::GreaterEq, _) => Ranges::higher_than(low),
            (Op::Less, Some(v)) => Ranges::strictly_lower_than(v),
            (Op::Less, None) => Ranges::strictly_lower_than(low),
            (Op::LessEq, Some(v)) => Ranges::lower_than(v),
            (Op::LessEq, None) => Ranges::strictly_lower_than(Version::bound(self.after_line())),
            (Op::Tilde, _) => {
                let end = match &self.minor {
                    Some(minor) => {
                        semver::Version::new(self.major.clone(), minor.increment(), 0u64)
                    }
                    None => semver::Version::new(self.major.increment(), 0u64, 0u64),
                };
                Ranges::between(low, Version::bound(end.with_lowest_prerelease()))
            }
            (Op::Caret, _) => Ranges::between(low, Version::bound(self.caret_end())),
        }
    }

    /// The end of a caret range: the next change of the leftmost non-zero component given.
    fn caret_end(&self) -> semver::Version {
        let end = if !self.major.is_zero() {
            semver::Version::new(self.major.increment(), 0u64, 0u64)
        } else {
            match (&self.minor, &self.patch) {
                (None, _) => semver::Version::new(1u64, 0u64, 0u64),
                (Some(minor), _) if !minor.is_zero() => {
                    semver::Version::new(0u64, minor.increment(), 0u64)
                }
                (Some(_), None) => semver::Version::new(0u64, 1u64, 0u64),
                (Some(_), Some(patch)) => semver::Version::new(0u64, 0u64, patch.increment()),
            }
        };
        end.with_lowest_prerelease()
    }
}

fn identifier(s: &str) -> Identifier {
    match Number::parse(s) {
        Some(n) => Identifier::Numeric(n),
        None => Identifier::Alphanumeric(s.into()),
    }
}

fn is_wildcard(c: u8) -> bool {
    matches!(c, b'*' | b'x' | b'X')
}

fn is_identifier_byte(c: u8) -> bool {
    c.is_ascii_alphanumeric() || c == b'-' || c == b'.'
}

struct Parser<'a> {
    input: &'a str,
    pos: usize,
}

impl<'a> Parser<'a> {
    fn peek(&self) -> Option<u8> {
        self.input.as_bytes().get(self.pos).copied()
    }

    /// The character at the current position, for messages.
    fn rest_char(&self) -> char {
        self.input
            .get(self.pos..)
            .and_then(|s| s.chars().next())
            .unwrap_or(' ')
    }

    fn err(&self, reason: impl Into<std::borrow::Cow<'static, str>>, at: usize) -> RangeError {
        RangeError::new(SYNTAX, self.input, reason).at(at)
    }

    fn skip_spaces(&mut self) {
        while self.peek() == Some(b' ') {
            self.pos += 1;
        }
    }

    /// An explicit operator, if there is one.
    fn op(&mut self) -> Option<Op> {
        let (op, len) = match (self.peek(), self.input.as_bytes().get(self.pos + 1)) {
            (Some(b'='), _) => (Op::Exact, 1),
            (Some(b'>'), Some(b'=')) => (Op::GreaterEq, 2),
            (Some(b'>'), _) => (Op::Greater, 1),
            (Some(b'<'), Some(b'=')) => (Op::LessEq, 2),
            (Some(b'<'), _) => (Op::Less, 1),
            (Some(b'~'), _) => (Op::Tilde, 1),
            (Some(b'^'), _) => (Op::Caret, 1),
            _ => return None,
        };
        self.pos += len;
        Some(op)
    }

    fn comparator(&mut self) -> Result<Comparator, RangeError> {
        let op = self.op();
        self.skip_spaces();
        if self.peek().is_some_and(is_wildcard) {
            return Err(self.err(
                "a wildcard major version must be the whole requirement (\"*\"); expected a major version number",
                self.pos,
            ));
        }
        let major = self.number("major")?;
        let mut minor = None;
        let mut patch = None;
        let mut minor_wild = false;
        let mut patch_wild = false;
        if self.peek() == Some(b'.') {
            self.pos += 1;
            if self.peek().is_some_and(is_wildcard) {
                self.pos += 1;
                minor_wild = true;
            } else {
                minor = Some(self.number("minor")?);
            }
            if self.peek() == Some(b'.') {
                self.pos += 1;
                if self.peek().is_some_and(is_wildcard) {
                    self.pos += 1;
                    patch_wild = true;
                } else if minor_wild {
                    return Err(self.err(
                        "a number after a wildcard; expected a wildcard (1.*.*) or nothing",
                        self.pos,
                    ));
                } else {
                    patch = Some(self.number("patch")?);
                }
            }
        }
        let mut pre = Vec::new();
        if patch.is_some() {
            if self.peek() == Some(b'-') {
                self.pos += 1;
                let text = self.identifiers("pre-release")?;
                pre = text.split('.').map(identifier).collect();
                if let Some(bad) = text.split('.').find(|id| {
                    id.len() > 1 && id.starts_with('0') && id.bytes().all(|b| b.is_ascii_digit())
                }) {
                    return Err(self.err(
                        format!("numeric pre-release identifier {bad:?} has a leading zero"),
                        self.pos - text.len(),
                    ));
                }
            }
            if self.peek() == Some(b'+') {
                self.pos += 1;
                // Build metadata is checked, then ignored, as the semver crate does.
                self.identifiers("build")?;
            }
        }
        // `1.*` with no operator is `=1`; with an operator, a wildcard is a missing component.
        let op = match op {
            Some(op) => op,
            // `1.*` with no operator is `=1`; with an operator, a wildcard is only a missing
            // component (`>=1.*` is `>=1`).
            None if minor_wild || patch_wild => Op::Exact,
            None => Op::Caret,
        };
        Ok(Comparator {
            op,
            major,
            minor,
            patch,
            pre,
        })
    }

    /// Digits without a leading zero, that fit in a `u64`.
    fn number(&mut self, name: &'static str) -> Result<Number, RangeError> {
        let start = self.pos;
        while self.peek().is_some_and(|c| c.is_ascii_digit()) {
            self.pos += 1;
        }
        let digits = self.input.get(start..self.pos).unwrap_or("");
        let Some(n) = Number::parse(digits) else {
            return Err(self.err(
                match self.peek() {
                    None => format!("the requirement ends; expected the {name} version number"),
                    Some(_) => format!(
                        "found {:?}; expected the {name} version number",
                        self.rest_char()
                    ),
                },
                start,
            ));
        };
        if digits.len() > 1 && digits.starts_with('0') {
            return Err(self.err(
                format!("{name} version {digits:?} has a leading zero"),
                start,
            ));
        }
        check_u64(name, &n).map_err(|reason| self.err(reason, start))?;
        Ok(n)
    }

    /// A dot-separated list of non-empty `[0-9A-Za-z-]` identifiers.
    fn identifiers(&mut self, what: &str) -> Result<&'a str, RangeError> {
        let start = self.pos;
        while self.peek().is_some_and(is_identifier_byte) {
            self.pos += 1;
        }
        let text = self.input.get(start..self.pos).unwrap_or("");
        if text.split('.').any(str::is_empty) {
            return Err(self.err(
                format!("empty {what} identifier; expected [0-9A-Za-z-]+ between dots"),
                start,
            ));
        }
        Ok(text)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn v(s: &str) -> Version {
        s.parse().unwrap_or_else(|e| panic!("{e}"))
    }

    fn req(s: &str) -> VersionSet<Version> {
        parse_range(s).unwrap_or_else(|e| panic!("{e}"))
    }

    /// `(requirement, its interval as displayed)`: Cargo's documented table.
    #[test]
    fn desugars_as_cargo_documents() {
        for (r, interval) in [
            ("^1.2.3", ">=1.2.3, <2.0.0-0"),
            ("1.2.3", ">=1.2.3, <2.0.0-0"),
            ("^0.2.3", ">=0.2.3, <0.3.0-0"),
            ("^0.0.3", ">=0.0.3, <0.0.4-0"),
            ("^0.0", ">=0.0.0-0, <0.1.0-0"),
            ("^0", ">=0.0.0-0, <1.0.0-0"),
            ("~1.2.3", ">=1.2.3, <1.3.0-0"),
            ("~1.2", ">=1.2.0-0, <1.3.0-0"),
            ("~1", ">=1.0.0-0, <2.0.0-0"),
            ("=1.2", ">=1.2.0-0, <1.3.0-0"),
            ("1.2.*", ">=1.2.0-0, <1.3.0-0"),
            ("1.*", ">=1.0.0-0, <2.0.0-0"),
            (">1.2", ">=1.3.0-0"),
            ("<=1.2", "<1.3.0-0"),
            ("<1.2", "<1.2.0-0"),
            (">= 1.2.0, < 1.5", ">=1.2.0, <1.5.0-0"),
        ] {
            assert_eq!(req(r).to_string(), interval, "{r}");
        }
        assert_eq!(req("=1.2.3").to_string(), "1.2.3");
        assert_eq!(req(" * "), VersionSet::full());
    }

    #[test]
    fn prereleases_inside_the_interval_are_in() {
        let r = req("^1.2.3");
        assert!(r.contains(&v("1.5.0-beta")));
        assert!(!r.contains(&v("2.0.0-alpha")), "upper bound is 2.0.0-0");
        assert!(!r.contains(&v("1.2.3-rc.1")), "below the lower bound");
        assert!(req(">=1.2.3-rc.1").contains(&v("1.2.3-rc.2")));
        assert!(req("<1.2.3").contains(&v("1.2.3-rc.1")));
        assert!(req(">1.2, >=1.3.0-alpha").contains(&v("1.3.0-alpha")));
        assert!(req("*").contains(&v("0.0.0-0")));
        // The largest u64 major still has an upper bound.
        assert!(req("^18446744073709551615").contains(&v("18446744073709551615.9.9")));
    }

    #[test]
    fn errors_say_what_was_expected() {
        for (input, expected) in [
            ("", "expected the major version number"),
            (">=1 <2", "expected \",\" between comparators"),
            ("*, <2", "must be the only comparator"),
            ("1.*.3", "expected a wildcard"),
            ("01.2", "leading zero"),
            ("~>1.2", "expected the major version number"),
            ("1.2.3-", "empty pre-release identifier"),
            ("1.2.3-01", "leading zero"),
            ("1,", "the requirement ends"),
            ("18446744073709551616", "too large"),
        ] {
            let err = parse_range(input).expect_err(input);
            assert!(err.to_string().contains(expected), "{input:?}: {err}");
        }
        let many = vec!["1"; 33].join(",");
        assert!(parse_range(&many).is_err());
        assert!(parse_range(&vec!["1"; 32].join(",")).is_ok());
    }

    proptest! {
        /// Bounds: `>=a, <=b` holds both; `>a, <b` holds neither; `^`/`~` hold their operand.
        #[test]
        fn bounds(a in 0u64..5, b in 0u64..5, c in 0u64..5, pre in proptest::option::of("(alpha|beta|0|1)(\\.([1-9][0-9]?|[a-z]{1,2}))?")) {
            let s = match &pre {
                Some(p) => format!("{a}.{b}.{c}-{p}"),
                None => format!("{a}.{b}.{c}"),
            };
            let x = v(&s);
            for op in [">=", "<=", "=", "^", "~", ""] {
                prop_assert!(req(&format!("{op}{s}")).contains(&x), "{op}{s}");
            }
            for op in [">", "<"] {
                prop_assert!(!req(&format!("{op}{s}")).contains(&x), "{op}{s}");
            }
        }
    }
}
