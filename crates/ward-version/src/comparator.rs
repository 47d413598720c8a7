//! A plain comparator syntax for schemes that have no range syntax of their own (Go, Debian,
//! RPM, Alpine, CRAN, Hackage, OSV's `SEMVER`).
//!
//! ```text
//! range      = set *( "||" set )          union
//! set        = comparator *( [","] comparator )   intersection; commas or spaces
//! comparator = [op] version | "*"
//! op         = "=" / "==" / "!=" / "<" / "<=" / ">" / ">=" / "<<" / ">>"
//! ```
//!
//! A version without an operator means exactly that version. `<<` and `>>` are Debian's
//! spellings of `<` and `>`. Whitespace between an operator and its version is allowed
//! (`>= 1.0`), as Debian control files write it.
//!
//! Traps: a bare `<`, a dangling `||`, or an empty set are errors, not "any version"; a
//! version is compared with its scheme's order, so `1.0 == 1.0.0` where the scheme says so.

use crate::error::{RangeError, VersionError};
use crate::set::{RangeVersion, Ranges, VersionSet};

/// Parses `input` in the comparator syntax, reading each version with `parse_version`.
///
/// `syntax` names the range syntax in errors, for example `Debian range`.
pub fn parse<V: RangeVersion>(
    syntax: &'static str,
    input: &str,
    parse_version: impl Fn(&str) -> Result<V, VersionError>,
) -> Result<VersionSet<V>, RangeError> {
    RangeError::check_len(syntax, input)?;
    let mut union: Option<Ranges<V>> = None;
    let mut offset = 0;
    for alternative in input.split("||") {
        let set = parse_set(syntax, input, alternative, offset, &parse_version)?;
        union = Some(match union {
            Some(u) => u.union(&set),
            None => set,
        });
        offset += alternative.len() + 2;
    }
    Ok(VersionSet::new(union.unwrap_or_else(Ranges::empty)))
}

fn parse_set<V: RangeVersion>(
    syntax: &'static str,
    input: &str,
    text: &str,
    base: usize,
    parse_version: &impl Fn(&str) -> Result<V, VersionError>,
) -> Result<Ranges<V>, RangeError> {
    let mut set = Ranges::full();
    let mut count = 0;
    let mut tokens = Tokens { text, pos: 0 };
    while let Some((start, token)) = tokens.next_token() {
        count += 1;
        if token == "*" {
            continue;
        }
        let (op, rest) = split_op(token);
        let (version_text, version_start) = if rest.is_empty() {
            if op.is_empty() {
                unreachable!("tokens are never empty");
            }
            // `>= 1.0`: the version is the next token.
            match tokens.next_token() {
                Some((s, t)) if split_op(t).0.is_empty() => (t, s),
                _ => {
                    return Err(RangeError::new(
                        syntax,
                        input,
                        format!("expected a version after {op:?}"),
                    )
                    .at(base + start));
                }
            }
        } else {
            (rest, start + op.len())
        };
        let version = parse_version(version_text)
            .map_err(|e| RangeError::version(syntax, input, e).at(base + version_start))?;
        let comparator = match op {
            "" | "=" | "==" => Ranges::singleton(version),
            "!=" => Ranges::singleton(version).complement(),
            "<" | "<<" => Ranges::strictly_lower_than(version),
            "<=" => Ranges::lower_than(version),
            ">" | ">>" => Ranges::strictly_higher_than(version),
            ">=" => Ranges::higher_than(version),
            other => {
                return Err(RangeError::new(
                    syntax,
                    input,
                    format!("unknown operator {other:?}; expected one of = == != < <= > >= << >>"),
                )
                .at(base + start));
            }
        };
        set = set.intersection(&comparator);
    }
    if count == 0 {
        let what = if input.trim().is_empty() {
            "an empty range"
        } else {
            "an empty alternative around \"||\""
        };
        return Err(RangeError::new(
            syntax,
            input,
            format!(
                "{what}; expected comparators such as \">=1.0, <2.0\" or \"*\" for any version"
            ),
        )
        .at(base));
    }
    Ok(set)
}

fn split_op(token: &str) -> (&str, &str) {
    let end = token
        .find(|c: char| !matches!(c, '<' | '>' | '=' | '!'))
        .unwrap_or(token.len());
    token.split_at(end)
}

struct Tokens<'a> {
    text: &'a str,
    pos: usize,
}

impl<'a> Tokens<'a> {
    /// The next run of characters that are neither whitespace nor commas, with its offset.
    fn next_token(&mut self) -> Option<(usize, &'a str)> {
        let is_sep = |c: char| c.is_whitespace() || c == ',';
        let rest = &self.text[self.pos..];
        let skipped = rest.len() - rest.trim_start_matches(is_sep).len();
        let start = self.pos + skipped;
        let rest = &self.text[start..];
        if rest.is_empty() {
            self.pos = self.text.len();
            return None;
        }
        let len = rest.find(is_sep).unwrap_or(rest.len());
        self.pos = start + len;
        Some((start, &rest[..len]))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::semver::Version;

    fn set(s: &str) -> VersionSet<Version> {
        parse("SemVer range", s, Version::parse_strict).unwrap_or_else(|e| panic!("{e}"))
    }

    fn v(s: &str) -> Version {
        Version::parse_strict(s).expect("valid")
    }

    #[test]
    fn comparators_intersect_and_alternatives_unite() {
        let r = set(">=1.0.0, <2.0.0 || >= 3.0.0 <3.1.0 || 5.0.0");
        for (version, inside) in [
            ("0.9.0", false),
            ("1.0.0", true),
            ("2.0.0-rc.1", true),
            ("2.0.0", false),
            ("3.0.5", true),
            ("3.1.0", false),
            ("5.0.0", true),
            ("5.0.1", false),
        ] {
            assert_eq!(r.contains(&v(version)), inside, "{version}");
        }
    }

    #[test]
    fn debian_operators_and_star() {
        assert!(set(">> 1.0.0").contains(&v("1.0.1")));
        assert!(!set("<< 1.0.0").contains(&v("1.0.0")));
        assert!(set("*").contains(&v("9.9.9")));
        assert!(!set("!=1.0.0").contains(&v("1.0.0")));
    }

    #[test]
    fn errors_point_at_the_problem() {
        let err = parse("SemVer range", ">=1.0.0 <", Version::parse_strict).unwrap_err();
        assert_eq!(err.offset, Some(8));
        assert!(
            err.to_string().contains("expected a version after \"<\""),
            "{err}"
        );
        let err = parse("SemVer range", ">=1.0.0 || ", Version::parse_strict).unwrap_err();
        assert!(err.to_string().contains("empty alternative"), "{err}");
        let err = parse("SemVer range", "~1.0.0", Version::parse_strict).unwrap_err();
        assert!(err.version.is_some(), "{err}");
        let err = parse("SemVer range", "=<1.0.0", Version::parse_strict).unwrap_err();
        assert!(err.to_string().contains("unknown operator \"=<\""), "{err}");
    }
}
