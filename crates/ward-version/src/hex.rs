//! Hex versions and requirements, as Elixir's `Version` module reads and matches them.
//!
//! A version is strict SemVer 2.0.0 (`Version.parse/1`) ordered by precedence
//! (`Version.compare/2`). A requirement is `Version.parse_requirement/1`'s syntax: comparators
//! `== != > >= < <= ~>` joined by `and` / `or` (`and` binds tighter), evaluated as
//! `Version.match?(v, req, allow_pre: true)`; see [`parse_range`].
//!
//! Traps:
//! - **Numbers have no upper bound**: Elixir integers are arbitrary-size, so
//!   `99999999999999999999999999.0.0` is a valid Hex version; components are [`Number`]s.
//! - **Exactly three components, no leading zeros, no `v`**, except after `~>`, where the
//!   patch may be left out (`~> 2.1`); every other operator needs a full version.
//! - **`~>` depends on how many components are given**: `~> 2.0.0` is `>= 2.0.0 and
//!   < 2.1.0-0`, `~> 2.1` is `>= 2.1.0 and < 3.0.0-0`. The upper bound is the `-0`
//!   pre-release, so `2.1.0-rc.1` is not in `~> 2.0.0`. A pre-release operand moves only the
//!   lower bound: `~> 2.1-rc` is `>= 2.1.0-rc and < 3.0.0-0`.
//! - **Pre-releases**: Hex's resolver (`allow_pre: false`) skips pre-releases unless the
//!   requirement names one; a vulnerability matcher asks `allow_pre: true`, which is plain
//!   interval membership, and that is what this module computes.
//! - **`and` binds tighter than `or`**: `< 1.0.0 or > 2.0.0 and == 3.0.0` contains `0.5.0`.
//! - **A bare version means `==`**, also after `or` / `and` (`1.0.0 or 2.0.0`).
//! - **`and` / `or` need a space on each side**, and whitespace is spaces only: a tab, or
//!   `>=1.0.0and<2.0.0`, is invalid. `!=` and its old spelling `!` are accepted (deprecated in
//!   Elixir, but valid).
//! - **Build metadata is parsed and ignored** in versions and in requirements.

use std::fmt;
use std::str::FromStr;

use crate::error::{RangeError, VersionError};
use crate::number::Number;
use crate::semver;
use crate::set::{Ranges, VersionSet};

const SYNTAX: &str = "Hex";
const RANGE_SYNTAX: &str = "Elixir requirement";

/// A Hex version: SemVer 2.0.0 with components of any size. `Eq`/`Ord` are SemVer precedence
/// (build metadata ignored), as `Version.compare/2`.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Version(semver::Version);

impl Version {
    /// The SemVer version inside.
    pub fn as_semver(&self) -> &semver::Version {
        &self.0
    }
}

impl FromStr for Version {
    type Err = VersionError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        VersionError::check_len(SYNTAX, s)?;
        semver::Version::parse_strict(s)
            .map(Version)
            .map_err(|e| VersionError::new(SYNTAX, s, e.reason))
    }
}

impl fmt::Display for Version {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.fmt(f)
    }
}

crate::set::intervals_only!(Version);

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Op {
    Eq,
    Ne,
    Gt,
    Ge,
    Lt,
    Le,
    Pessimistic,
}

#[derive(Debug)]
enum Token<'a> {
    Op(Op),
    And,
    Or,
    Version(&'a str),
}

/// Operators in the order Elixir's lexer tries them: longest first, `" or "` / `" and "` with
/// their surrounding spaces.
const LEXEMES: &[(&str, Option<Op>, bool)] = &[
    (">=", Some(Op::Ge), false),
    ("<=", Some(Op::Le), false),
    ("~>", Some(Op::Pessimistic), false),
    (">", Some(Op::Gt), false),
    ("<", Some(Op::Lt), false),
    ("==", Some(Op::Eq), false),
    ("!=", Some(Op::Ne), false),
    ("!", Some(Op::Ne), false),
    (" or ", None, false),
    (" and ", None, true),
];

/// Splits a requirement into operators, conjunctions and version strings, with offsets.
fn lex(input: &str) -> Vec<(usize, Token<'_>)> {
    let mut tokens = Vec::new();
    let mut pos = 0;
    let mut buffer_start: Option<usize> = None;
    fn flush<'a>(
        input: &'a str,
        tokens: &mut Vec<(usize, Token<'a>)>,
        start: &mut Option<usize>,
        end: usize,
    ) {
        if let Some(s) = start.take()
            && let Some(text) = input.get(s..end)
        {
            tokens.push((s, Token::Version(text)));
        }
    }
    'outer: while let Some(rest) = input.get(pos..) {
        if rest.is_empty() {
            break;
        }
        for (lexeme, op, is_and) in LEXEMES {
            if rest.starts_with(lexeme) {
                flush(input, &mut tokens, &mut buffer_start, pos);
                let token = match op {
                    Some(op) => Token::Op(*op),
                    None if *is_and => Token::And,
                    None => Token::Or,
                };
                tokens.push((pos, token));
                pos += lexeme.len();
                continue 'outer;
            }
        }
        if rest.starts_with(' ') {
            flush(input, &mut tokens, &mut buffer_start, pos);
            pos += 1;
            continue;
        }
        buffer_start.get_or_insert(pos);
        pos += rest.chars().next().map_or(1, char::len_utf8);
    }
    flush(input, &mut tokens, &mut buffer_start, pos);
    tokens
}

/// Parses an Elixir version requirement (`Version.parse_requirement/1`) into the versions
/// `Version.match?(v, req, allow_pre: true)` accepts.
///
/// `== v` is `{v}`, `!= v` everything else, `> >= < <=` the usual half-lines, `~> 2.0.0`
/// `[2.0.0, 2.1.0-0)` and `~> 2.1` `[2.1.0, 3.0.0-0)`. `and` intersects, `or` unites, `and`
/// first.
pub fn parse_range(input: &str) -> Result<VersionSet<Version>, RangeError> {
    RangeError::check_len(RANGE_SYNTAX, input)?;
    let err = |reason: String, at: usize| RangeError::new(RANGE_SYNTAX, input, reason).at(at);
    let mut tokens = lex(input).into_iter().peekable();
    let mut union = Ranges::empty();
    let mut conjunction = Ranges::full();
    loop {
        // One comparator: an optional operator, then a version.
        let (op, op_at) = match tokens.peek() {
            Some((at, Token::Op(op))) => {
                let found = (*op, *at);
                tokens.next();
                found
            }
            _ => (Op::Eq, input.len()),
        };
        let (at, text) = match tokens.next() {
            Some((at, Token::Version(text))) => (at, text),
            Some((at, other)) => {
                return Err(err(
                    format!("found {}; expected a version", describe(&other)),
                    at,
                ));
            }
            None => {
                let at = if op_at < input.len() {
                    op_at
                } else {
                    input.len()
                };
                return Err(err("the requirement ends; expected a version".into(), at));
            }
        };
        let interval = comparator(op, text).map_err(|e| {
            RangeError::version(RANGE_SYNTAX, input, VersionError::new(SYNTAX, text, e)).at(at)
        })?;
        conjunction = conjunction.intersection(&interval);
        match tokens.next() {
            None => break,
            Some((_, Token::And)) => {}
            Some((_, Token::Or)) => {
                union = union.union(&conjunction);
                conjunction = Ranges::full();
            }
            Some((at, Token::Version(word @ ("and" | "or")))) => {
                return Err(err(
                    format!(
                        "found {word:?} with no space after it; \"and\" and \"or\" need a space on each side and a comparator after them"
                    ),
                    at,
                ));
            }
            Some((at, other)) => {
                return Err(err(
                    format!(
                        "found {} after a version; expected \" and \", \" or \" or the end",
                        describe(&other)
                    ),
                    at,
                ));
            }
        }
    }
    Ok(VersionSet::new(union.union(&conjunction)))
}

fn describe(token: &Token<'_>) -> String {
    match token {
        Token::Op(_) => "an operator".into(),
        Token::And => "\"and\"".into(),
        Token::Or => "\"or\"".into(),
        Token::Version(v) => format!("{v:?}"),
    }
}

/// The interval of one comparator; the error is the reason its version is invalid.
fn comparator(op: Op, text: &str) -> Result<Ranges<Version>, String> {
    if op != Op::Pessimistic {
        let v = Version(semver::Version::parse_strict(text).map_err(|e| e.reason.into_owned())?);
        return Ok(match op {
            Op::Eq => Ranges::singleton(v),
            Op::Ne => Ranges::singleton(v).complement(),
            Op::Gt => Ranges::strictly_higher_than(v),
            Op::Ge => Ranges::higher_than(v),
            Op::Lt => Ranges::strictly_lower_than(v),
            Op::Le => Ranges::lower_than(v),
            Op::Pessimistic => Ranges::empty(),
        });
    }
    // `~>` accepts MAJOR.MINOR[-PRE][+BUILD] as well: parse with a zero patch put in.
    let core_end = text.find(['-', '+']).unwrap_or(text.len());
    let (core, tail) = text.split_at(core_end);
    let two_parts = core.split('.').count() == 2;
    let full = if two_parts {
        format!("{core}.0{tail}")
    } else {
        text.to_owned()
    };
    let low = semver::Version::parse_strict(&full).map_err(|e| {
        if two_parts {
            format!("{} (with a patch of 0 supplied)", e.reason)
        } else {
            format!(
                "{}; \"~>\" takes MAJOR.MINOR or MAJOR.MINOR.PATCH",
                e.reason
            )
        }
    })?;
    let high = if two_parts {
        semver::Version::new(low.major.increment(), Number::ZERO, Number::ZERO)
    } else {
        semver::Version::new(low.major.clone(), low.minor.increment(), Number::ZERO)
    };
    Ok(Ranges::between(
        Version(low),
        Version(high.with_lowest_prerelease()),
    ))
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

    #[test]
    fn versions_are_strict_semver_of_any_size() {
        assert!(v("99999999999999999999999999.0.0") > v("18446744073709551615.0.0"));
        assert_eq!(v("1.0.0+a"), v("1.0.0+b"));
        assert!(v("1.0.0-beta.2") < v("1.0.0-beta.11"));
        for bad in [
            "1.0", "v1.0.0", "01.0.0", "1.0.0-01", " 1.0.0", "1.0.0.0", "1.0.0+",
        ] {
            assert!(bad.parse::<Version>().is_err(), "{bad:?}");
        }
    }

    #[test]
    fn pessimistic_operator() {
        assert_eq!(req("~> 2.0.0").to_string(), ">=2.0.0, <2.1.0-0");
        assert_eq!(req("~> 2.1").to_string(), ">=2.1.0, <3.0.0-0");
        assert_eq!(req("~> 2.1-rc").to_string(), ">=2.1.0-rc, <3.0.0-0");
        assert!(!req("~> 2.0.0").contains(&v("2.1.0-rc.1")));
        assert!(req("~> 2.0.0").contains(&v("2.0.1-rc.1")));
        assert!(parse_range("~> 2").is_err());
        assert!(parse_range("== 2.0").is_err());
    }

    #[test]
    fn and_binds_tighter_than_or() {
        let r = req("< 1.0.0 or > 2.0.0 and == 3.0.0");
        assert!(r.contains(&v("0.5.0")));
        assert!(r.contains(&v("3.0.0")));
        assert!(!r.contains(&v("2.5.0")));
        assert!(req("1.0.0 or 2.0.0").contains(&v("2.0.0")));
        assert!(!req("!= 1.0.0").contains(&v("1.0.0")));
        assert!(!req("!1.0.0").contains(&v("1.0.0")));
    }

    #[test]
    fn errors_say_what_was_expected() {
        for (input, expected) in [
            ("", "expected a version"),
            (">= 1.0.0 and", "need a space on each side"),
            (">= 1.0.0 and ", "expected a version"),
            ("> >= 1.0.0", "found an operator; expected a version"),
            (">= 1.0.0 < 2.0.0", "expected \" and \""),
            (">=1.0.0and<2.0.0", "invalid version"),
            ("= 1.0.0", "invalid version"),
        ] {
            let err = parse_range(input).expect_err(input);
            let text = format!("{err} {:?}", err.version);
            assert!(text.contains(expected), "{input:?}: {text}");
        }
    }

    fn version() -> impl Strategy<Value = String> {
        let num = prop_oneof!["0|1|2|10", "[1-9][0-9]{19,25}"];
        let pre = proptest::option::of("(alpha|beta|rc|0|1|11)(\\.(0|1|2|x-y))?");
        (num.clone(), num.clone(), num, pre).prop_map(|(a, b, c, pre)| match pre {
            Some(p) => format!("{a}.{b}.{c}-{p}"),
            None => format!("{a}.{b}.{c}"),
        })
    }

    proptest! {
        #[test]
        fn round_trip_and_order(a in version(), b in version(), c in version()) {
            let (a, b, c) = (v(&a), v(&b), v(&c));
            prop_assert_eq!(v(&a.to_string()), a.clone());
            prop_assert_eq!(a.cmp(&b), b.cmp(&a).reverse());
            if a <= b && b <= c {
                prop_assert!(a <= c);
            }
        }

        #[test]
        fn bounds(s in version()) {
            let x = v(&s);
            for op in [">=", "<=", "==", "~>", ""] {
                prop_assert!(req(&format!("{op} {s}")).contains(&x), "{op} {s}");
            }
            for op in [">", "<", "!="] {
                prop_assert!(!req(&format!("{op} {s}")).contains(&x), "{op} {s}");
            }
        }
    }
}
