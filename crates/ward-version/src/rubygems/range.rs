//! `Gem::Requirement`: `OP VERSION` requirements, several separated by commas, all of which
//! must hold, turned into intervals of [`Version`].

use std::str::FromStr;

use crate::error::RangeError;
use crate::rubygems::{SYNTAX as VERSION_SYNTAX, Version, is_ruby_space};
use crate::set::{Ranges, VersionSet};

const SYNTAX: &str = "RubyGems requirement";

/// The operators of `Gem::Requirement::OPS`, longest first so that `>=` is not read as `>`.
const OPERATORS: [&str; 7] = ["~>", ">=", "<=", "!=", "=", ">", "<"];

/// Parses RubyGems requirements: `~> 1.2`, `>= 1.0, < 2`, `!= 1.5`, `= 1.0`, or a bare
/// version (meaning `=`), as `Gem::Requirement.new(*parts)` reads the comma-separated parts.
/// A version is in the set exactly when `satisfied_by?` is true:
///
/// - `= V` / `!= V`: equal / not equal in `Gem::Version` order (`= 1.0` holds for `1`).
/// - `~> V`: `v >= V && v.release < V.bump` (`~> 1.2` is `>= 1.2, < 2` without `2`'s
///   prereleases; `~> 1.2.3` is `>= 1.2.3, < 1.3` without `1.3`'s). The upper bound is the
///   infimum of `V.bump`'s prereleases, which no version string parses to.
///
/// Whitespace is allowed around operators, versions and commas; an empty requirement or an
/// empty part is an error, as `Gem::Requirement.new("")` raises.
pub fn parse_range(input: &str) -> Result<VersionSet<Version>, RangeError> {
    RangeError::check_len(SYNTAX, input)?;
    let mut set = Ranges::full();
    let mut start = 0;
    for part in input.split(',') {
        set = set.intersection(&requirement(input, part, start)?);
        start += part.len() + 1;
    }
    Ok(VersionSet::new(set))
}

/// One `OP VERSION` requirement at byte `offset` of `input`.
fn requirement(input: &str, part: &str, offset: usize) -> Result<Ranges<Version>, RangeError> {
    let trimmed_start = part.trim_start_matches(is_ruby_space);
    let op_at = offset + (part.len() - trimmed_start.len());
    if trimmed_start.trim_end_matches(is_ruby_space).is_empty() {
        let reason = if input.trim_matches(is_ruby_space).is_empty() {
            "it is empty; expected a requirement such as `~> 1.2` or `>= 1.0, < 2`"
        } else {
            "expected a requirement such as `>= 1.0` between commas"
        };
        return Err(RangeError::new(SYNTAX, input, reason).at(op_at));
    }
    let op = OPERATORS
        .iter()
        .copied()
        .find(|op| trimmed_start.starts_with(op));
    let after_op = op.map_or(trimmed_start, |op| {
        trimmed_start.get(op.len()..).unwrap_or_default()
    });
    let rest = after_op.trim_start_matches(is_ruby_space);
    let version_at = op_at + (trimmed_start.len() - rest.len());
    let version_text = rest.split(is_ruby_space).next().unwrap_or_default();
    let after_version = rest
        .get(version_text.len()..)
        .unwrap_or_default()
        .trim_start_matches(is_ruby_space);
    if version_text.is_empty() {
        let reason = match op {
            Some(op) => format!("expected a version after {op:?}"),
            None => format!(
                "found {:?}; expected an operator (~> >= > <= < = !=) or a version",
                trimmed_start.chars().next().unwrap_or(' ')
            ),
        };
        return Err(RangeError::new(SYNTAX, input, reason).at(version_at));
    }
    if !version_text.starts_with(|c: char| c.is_ascii_digit()) {
        // The requirement's version may not be empty (unlike `Gem::Version.new("")`), and
        // an operator RubyGems does not know (`=>`, `==`, `^`) lands here too.
        return Err(RangeError::new(
            SYNTAX,
            input,
            format!(
                "found {version_text:?}; expected a version starting with a digit{}",
                if op.is_some() {
                    ""
                } else {
                    " after one of the operators ~> >= > <= < = !="
                }
            ),
        )
        .at(version_at));
    }
    if !after_version.is_empty() {
        let at = version_at + (rest.len() - after_version.len());
        return Err(RangeError::new(
            SYNTAX,
            input,
            format!(
                "found {after_version:?} after the version {version_text:?}; expected `,` or the end"
            ),
        )
        .at(at));
    }
    let version = Version::from_str(version_text)
        .map_err(|e| RangeError::version(VERSION_SYNTAX, input, e).at(version_at))?;
    Ok(match op.unwrap_or("=") {
        "~>" => {
            let floor = version.bump().prerelease_floor();
            Ranges::higher_than(version).intersection(&Ranges::strictly_lower_than(floor))
        }
        ">=" => Ranges::higher_than(version),
        ">" => Ranges::strictly_higher_than(version),
        "<=" => Ranges::lower_than(version),
        "<" => Ranges::strictly_lower_than(version),
        "!=" => Ranges::singleton(version).complement(),
        _ => Ranges::singleton(version),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn v(s: &str) -> Version {
        s.parse().unwrap_or_else(|e| panic!("{s}: {e}"))
    }

    fn contains(range: &str, version: &str) -> bool {
        parse_range(range)
            .unwrap_or_else(|e| panic!("{range}: {e}"))
            .contains(&v(version))
    }

    #[test]
    fn pessimistic() {
        assert!(contains("~> 1.2", "1.2"));
        assert!(contains("~> 1.2", "1.9.9"));
        assert!(contains("~> 1.2", "1.99.z"));
        assert!(!contains("~> 1.2", "2"));
        assert!(!contains("~> 1.2", "2.0.a"));
        assert!(!contains("~> 1.2", "2.A.A.A"));
        assert!(!contains("~> 1.2", "1.2.a"));
        assert!(contains("~> 1.2.3", "1.2.99"));
        assert!(!contains("~> 1.2.3", "1.3.0.pre"));
        assert!(contains("~> 1.0.rc1", "1.9"));
        assert!(contains("~> 1.0.rc1", "1.0.rc2"));
        assert!(!contains("~> 1.0.rc1", "1.0.rc0"));
        assert!(contains("~>1", "1.5"));
        assert!(!contains("~>1", "2.0-1"));
    }

    #[test]
    fn operators_and_lists() {
        assert!(contains("= 1.0", "1"));
        assert!(contains("1.0", "1.0.0"));
        assert!(!contains("!= 1.5", "1.5.0"));
        assert!(contains("!= 1.5", "1.5.1"));
        assert!(contains(">= 1.0, < 2", "1.5"));
        assert!(!contains(">= 1.0, < 2", "2"));
        assert!(contains(">= 1.0, < 2", "2.a"));
        assert!(contains(" >1 ,<=2 ", "2"));
        assert!(contains(">= 0", "0.a") == (v("0.a") >= v("0")));
    }

    #[test]
    fn errors_name_the_column() {
        for (input, column) in [
            ("", 0),
            (">= 1.0,", 7),
            ("=> 1.0", 1),
            (">= ", 3),
            (">= 1.0 2", 7),
            ("~> 1..2", 3),
            ("^1.2", 0),
        ] {
            let err = parse_range(input).expect_err(input);
            assert_eq!(err.offset, Some(column), "{input:?}: {err}");
        }
    }

    fn version() -> impl Strategy<Value = String> {
        (
            0u32..4,
            prop::collection::vec(0u32..4, 0..3),
            prop::option::of(prop::sample::select(vec!["a", "b1", "pre", "rc.1"])),
        )
            .prop_map(|(a, rest, pre)| {
                let mut s = a.to_string();
                for r in rest {
                    s.push_str(&format!(".{r}"));
                }
                if let Some(p) = pre {
                    s.push('.');
                    s.push_str(p);
                }
                s
            })
    }

    proptest! {
        #[test]
        fn bounds(op in prop::sample::select(vec![">=", ">", "<=", "<", "=", "!=", "~>"]),
                  bound in version()) {
            let set = parse_range(&format!("{op} {bound}")).expect("generated requirement parses");
            let b = v(&bound);
            let expected = matches!(op, ">=" | "<=" | "=" | "~>");
            prop_assert_eq!(set.contains(&b), expected);
        }

        #[test]
        fn never_panics(s in "\\PC{0,24}") {
            let _ = parse_range(&s);
        }
    }
}
